"""Icons, compiled translations and the Thai font are package data (govmail_desktop/resources):
every icon the UI names is shipped, and nothing is looked up in the source tree's top level.

The icon names are read from the UI's source (``icon_names_in``): string literals inside an
``icon(...)`` call, passed to a parameter called ``icon_name``, kept in a name with "ICON" in
it, or shaped like a Freedesktop icon name (``mail-reply-all``); ``QIcon.fromTheme`` names are
the desktop theme's, not ours. The planted cases prove each route is read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from govmail_desktop import resources

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "govmail_desktop"

#: Freedesktop icon-naming contexts ("mail-", "folder-", "go-", …) with at least one hyphen.
ICON_NAME = re.compile(
    r"^(?:address-book|application|appointment|call|contact|dialog|document|edit|emblem|folder|format|go|help|"
    r"insert|list|mail|media|network|object|process|security|system|tools|user|view|window|zoom|govmail)"
    r"(?:-[a-z0-9]+)+$"
)

NAME_CHARS = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def icon_names_in(source: str) -> set[str]:
    """The icon names a module's source asks for (see the module docstring)."""
    tree = ast.parse(source)
    theme_names: set[str] = set()
    names: set[str] = set()
    # Functions of this module with an ``icon_name`` parameter, and its position (self excluded).
    icon_param: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            params = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
            if "icon_name" in params:
                icon_param[node.name] = params.index("icon_name")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = _called_name(node)
            if called == "fromTheme":
                theme_names |= _strings(node)
            elif called == "icon":
                for arg in node.args:
                    names |= _strings(arg)
            elif called in icon_param and len(node.args) > icon_param[called]:
                names |= _strings(node.args[icon_param[called]])
            for kw in node.keywords:
                if kw.arg == "icon_name":
                    names |= _strings(kw.value)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(isinstance(t, ast.Name) and "ICON" in t.id for t in targets):
                value = node.value
                names |= _strings(ast.Tuple(elts=list(value.values), ctx=ast.Load())) if isinstance(
                    value, ast.Dict) else _strings(value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and ICON_NAME.match(node.value):
            names.add(node.value)
    # Keys and fallbacks such as ``special_use or ""`` are not names.
    return {n for n in names - theme_names if NAME_CHARS.match(n)}


def ui_icon_names() -> dict[str, list[str]]:
    """Every icon name the app's Qt code asks for: {name: [files]}."""
    found: dict[str, list[str]] = {}
    for path in sorted([*(PACKAGE / "ui").rglob("*.py"), PACKAGE / "app.py"]):
        for name in icon_names_in(path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize(
    ("source", "planted"),
    [
        ('icons.icon("mail-unshipped")\n', "mail-unshipped"),
        ('def state_icon(s):\n    return icons.icon(TABLE.get(s, "unshipped"))\n', "unshipped"),
        (('class W:\n    def _action(self, name, icon_name=None): ...\n'
          '    def build(self):\n        self._action("saveAction", "save-unshipped")\n'), "save-unshipped"),
        ('make(name="x", icon_name="unshipped-too")\n', "unshipped-too"),
        ('FOLDER_ICONS = {"inbox": "unshipped"}\n', "unshipped"),
        ('names = []\nnames.append("view-unshipped")\n', "view-unshipped"),
    ],
)
def test_a_planted_icon_reference_is_found(source, planted):
    assert planted in icon_names_in(source)
    assert not resources.icon_file(planted).is_file()


def test_theme_icons_and_dict_keys_are_not_taken_for_ours():
    names = icon_names_in('QIcon.fromTheme("mail-message")\nFOLDER_ICONS = {"saved-search": "folder"}\n')
    assert names == {"folder"}


def test_every_icon_the_ui_names_is_package_data():
    found = ui_icon_names()
    assert {"govmail-desktop", "folder", "mail-flag", "network-connected", "folder-inbox"} <= set(found)
    missing = {name: files for name, files in found.items() if not resources.icon_file(name).is_file()}
    assert missing == {}


def test_icons_live_in_the_package_not_the_source_tree_top_level():
    icons_dir = Path(str(resources.icons_dir()))
    assert icons_dir.is_relative_to(PACKAGE)
    assert not (ROOT / "resources" / "icons").exists()
    assert set(resources.icon_names()) >= set(ui_icon_names())
    assert resources.icon_path("govmail-desktop").read_bytes().startswith((b"<svg", b"<?xml"))


def test_an_unknown_icon_has_no_path():
    assert resources.icon_path("mail-unshipped") is None


def test_translations_and_font_are_package_data():
    assert Path(str(resources.translations_dir())) == PACKAGE / "_generated"
    fonts = resources.font_files(("Regular", "Bold", "NoSuchStyle"))
    assert [f.name for f in fonts] == ["Sarabun-Regular.ttf", "Sarabun-Bold.ttf"]
    assert all(f.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO") for f in fonts)
