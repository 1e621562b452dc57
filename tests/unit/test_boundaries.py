"""The import rules between the layers (docs/architecture.md), checked on the real source tree.

Two kinds of rule:

* **direct** — a function of (module, imported name): no Qt in the pure layers,
  no network in ui/ and models/, one importer each of imapclient and smtplib;
* **graph** — over every import of the package (lazy imports inside functions
  and ``TYPE_CHECKING`` blocks included): no layer imports a layer above it
  (:data:`LAYER_RANK`), and what a module reaches *through other modules*
  obeys the same Qt rules as its own imports — services/ never reach QtGui or
  QtWidgets, the pure layers never reach Qt at all.

The checkers are also run on small synthetic trees, so a broken rule is proven
to fail.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "govmail_desktop"

PURE_LAYERS = ("core", "policy", "net", "mime", "store", "sync", "search", "i18n", "admin", "resources")
GUI_LAYERS = ("ui", "models")

#: Qt's modules for widgets and painting: services/ must not reach them at all.
QT_GUI_MODULES = ("PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg", "PySide6.QtSvgWidgets",
                  "PySide6.QtPrintSupport")

#: Data flows up: a layer imports only layers of a lower rank (or itself). The package
#: root (``govmail_desktop/__init__.py``: the name and version) is at the bottom.
ROOT = ""
LAYER_RANK = {
    ROOT: 0, "resources": 0, "i18n": 0,
    "core": 1,
    "policy": 2, "store": 2, "credentials": 2,
    "mime": 3, "net": 3,
    "sync": 4, "search": 4,
    "services": 5, "admin": 5,
    "models": 6,
    "ui": 7,
    "app": 8, "wiring": 8,  # the composition root (app.py) and its parts by responsibility
    "__main__": 9,
}


def imports_of(source: str, module: str) -> list[tuple[str, int]]:
    """Fully-qualified names imported by a module (relative imports resolved)."""
    tree = ast.parse(source)
    package_parts = module.split(".")[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.append((prefix, node.lineno))
            # `from govmail_desktop import net` imports the net package.
            found.extend((f"{prefix}.{alias.name}", node.lineno) for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            if node.args and isinstance(node.args[0], ast.Constant):
                found.append((str(node.args[0].value), node.lineno))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((str(node.args[0].value), node.lineno))
    return found


def _is(name: str, target: str) -> bool:
    return name == target or name.startswith(target + ".")


def violations(module: str, imported: str) -> list[str]:
    parts = module.split(".")
    layer = parts[1] if len(parts) > 1 else ""
    problems = []
    if layer in PURE_LAYERS and _is(imported, "PySide6"):
        problems.append(f"{layer}/ must not import Qt")
    if layer in GUI_LAYERS:
        for banned in ("imapclient", "smtplib", "socket", "ssl", "govmail_desktop.net"):
            if _is(imported, banned):
                problems.append(f"{layer}/ must talk to services/, not {banned}")
    if _is(imported, "imapclient") and module != "govmail_desktop.net.imap_session":
        problems.append("only net/imap_session.py may import imapclient")
    if _is(imported, "smtplib") and module != "govmail_desktop.net.smtp_session":
        problems.append("only net/smtp_session.py may import smtplib")
    return problems


def check_tree(root: Path, package: str = "govmail_desktop") -> list[str]:
    report = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        parts = [package, *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1] + ["__init__"]
        module = ".".join(parts)
        for imported, line in imports_of(path.read_text(encoding="utf-8"), module):
            for problem in violations(module, imported):
                report.append(f"{path.relative_to(root)}:{line}: imports {imported}: {problem}")
    return report


# -- the import graph: upward imports, and Qt reached through other modules ----------------


def module_of(root: Path, path: Path, package: str = "govmail_desktop") -> str:
    """``govmail_desktop.services.mailbox``; a package's ``__init__`` is the package."""
    parts = [package, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


class ImportGraph:
    """Every import of every module of a package tree, resolved to the package's modules."""

    def __init__(self, root: Path, package: str = "govmail_desktop") -> None:
        self.package = package
        self.files: dict[str, Path] = {module_of(root, p, package): p for p in sorted(root.rglob("*.py"))}
        #: module -> [(imported name, line)] as written (external names too)
        self.raw: dict[str, list[tuple[str, int]]] = {}
        #: module -> {module of the package it runs by importing: line}
        self.edges: dict[str, dict[str, int]] = {}
        for module, path in self.files.items():
            named = module + ".__init__" if path.name == "__init__.py" else module
            self.raw[module] = imports_of(path.read_text(encoding="utf-8"), named)
            self.edges[module] = {}
            for imported, line in self.raw[module]:
                for target in self._modules_run_by(imported):
                    if target != module:
                        self.edges[module].setdefault(target, line)

    def _modules_run_by(self, name: str) -> Iterator[str]:
        """The package's modules executed by importing ``name``: each package on the way
        (its ``__init__``) and the module itself; a name inside a module is that module."""
        parts = name.split(".")
        if parts[0] != self.package:
            return
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in self.files:
                yield prefix

    def path_to(self, start: str, found: Callable[[str], bool]) -> list[str] | None:
        """The shortest chain of imports from ``start`` to a module where ``found`` holds."""
        seen = {start}
        frontier = [[start]]
        while frontier:
            chain = frontier.pop(0)
            if found(chain[-1]):
                return chain
            for target in sorted(self.edges.get(chain[-1], {})):
                if target not in seen:
                    seen.add(target)
                    frontier.append([*chain, target])
        return None

    def imports_external(self, module: str, banned: tuple[str, ...]) -> str | None:
        for imported, _line in self.raw.get(module, []):
            if any(_is(imported, b) for b in banned):
                return imported
        return None


def upward_imports(graph: ImportGraph) -> list[str]:
    report = []
    for module, targets in graph.edges.items():
        layer = layer_of(module)
        rank = LAYER_RANK.get(layer)
        if rank is None:
            report.append(f"{module}: layer {layer!r} has no rank in LAYER_RANK (add it where it belongs)")
            continue
        for target, line in sorted(targets.items()):
            target_layer = layer_of(target)
            target_rank = LAYER_RANK.get(target_layer)
            if target_rank is not None and target_rank > rank:
                report.append(f"{module}:{line}: imports {target}: {layer or 'the package root'}/ must not "
                              f"import the layer above it ({target_layer}/)")
    return report


def qt_reached_through_others(graph: ImportGraph) -> list[str]:
    """Modules that reach banned Qt modules through the package's other modules."""
    report = []
    for module in sorted(graph.files):
        layer = layer_of(module)
        if layer in PURE_LAYERS:
            banned: tuple[str, ...] = ("PySide6",)
            what = "Qt"
        elif layer == "services":
            banned = QT_GUI_MODULES
            what = "QtGui/QtWidgets"
        else:
            continue
        def reaches(m: str, start: str = module, banned: tuple[str, ...] = banned) -> bool:
            return m != start and graph.imports_external(m, banned) is not None

        chain = graph.path_to(module, reaches)
        if chain is not None:
            imported = graph.imports_external(chain[-1], banned)
            report.append(f"{module} reaches {what} through {' -> '.join(chain[1:])} (imports {imported}): "
                          f"{layer}/ must not depend on it, even indirectly")
    return report


def check_graph(root: Path, package: str = "govmail_desktop") -> list[str]:
    graph = ImportGraph(root, package)
    return upward_imports(graph) + qt_reached_through_others(graph)


def test_source_tree_respects_the_boundaries():
    assert PACKAGE.is_dir()
    assert list(PACKAGE.rglob("*.py")), "no source files found"
    assert check_tree(PACKAGE) == []


def test_no_layer_imports_a_layer_above_it():
    assert upward_imports(ImportGraph(PACKAGE)) == []


def test_services_and_pure_layers_reach_no_gui_qt_through_other_modules():
    graph = ImportGraph(PACKAGE)
    assert "govmail_desktop.services.mailbox" in graph.files
    assert qt_reached_through_others(graph) == []


@pytest.mark.parametrize(
    ("relpath", "source", "expected"),
    [
        ("policy/rules.py", "from PySide6.QtCore import QObject\n", "must not import Qt"),
        ("store/cache.py", "import PySide6\n", "must not import Qt"),
        ("ui/window.py", "import imapclient\n", "must talk to services/"),
        ("models/list.py", "from govmail_desktop.net import imap_session\n", "must talk to services/"),
        ("models/list.py", "from ..net.imap_session import ImapSession\n", "must talk to services/"),
        ("ui/window.py", "from govmail_desktop import net\n", "must talk to services/"),
        ("ui/window.py", "import socket\n", "must talk to services/"),
        ("services/send.py", "import smtplib\n", "only net/smtp_session.py"),
        ("sync/engine.py", "from imapclient import IMAPClient\n", "only net/imap_session.py"),
        ("net/smtp_session.py", "import imapclient\n", "only net/imap_session.py"),
        ("core/x.py", "__import__('PySide6.QtCore')\n", "must not import Qt"),
        ("mime/x.py", "import importlib\nimportlib.import_module('PySide6')\n", "must not import Qt"),
    ],
)
def test_a_broken_rule_is_reported(tmp_path, relpath, source, expected):
    target = tmp_path / relpath
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    report = check_tree(tmp_path)
    assert len(report) >= 1 and expected in report[0]


@pytest.mark.parametrize(
    ("relpath", "source"),
    [
        ("net/imap_session.py", "import imapclient\n"),
        ("net/smtp_session.py", "import smtplib\n"),
        ("services/account.py", "from PySide6.QtCore import QObject\nfrom govmail_desktop.net import imap_session\n"),
        ("ui/window.py", "from PySide6.QtWidgets import QWidget\nfrom govmail_desktop.services import x\n"),
    ],
)
def test_allowed_imports_pass(tmp_path, relpath, source):
    target = tmp_path / relpath
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    assert check_tree(tmp_path) == []


def _plant(root: Path, files: dict[str, str]) -> Path:
    for relpath, source in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(  # the case of the issue: a service using a Qt item model
            {
                "services/mailbox.py": "from govmail_desktop.models.folder_tree import FolderTreeModel\n",
                "models/folder_tree.py": "from PySide6.QtGui import QFont\n",
            },
            "govmail_desktop.services.mailbox reaches QtGui/QtWidgets through govmail_desktop.models.folder_tree "
            "(imports PySide6.QtGui)",
            id="service-through-a-model",
        ),
        pytest.param(  # two hops, the last one a lazy import inside a function
            {
                "services/preview.py": "from govmail_desktop.services import render\n",
                "services/render.py": "def draw():\n    from govmail_desktop.ui import fonts\n",
                "ui/fonts.py": "from PySide6 import QtWidgets\n",
            },
            "through govmail_desktop.services.render -> govmail_desktop.ui.fonts (imports PySide6.QtWidgets)",
            id="lazy-import-two-hops",
        ),
        pytest.param(  # a package's __init__ runs when a module inside it is imported
            {
                "services/sync.py": "import govmail_desktop.helpers.text\n",
                "helpers/__init__.py": "import PySide6.QtGui\n",
                "helpers/text.py": "X = 1\n",
            },
            "govmail_desktop.services.sync reaches QtGui/QtWidgets through govmail_desktop.helpers "
            "(imports PySide6.QtGui)",
            id="through-a-package-init",
        ),
        pytest.param(  # a pure layer must not reach even QtCore
            {
                "store/cache.py": "from govmail_desktop.core import clock\n",
                "core/clock.py": "from govmail_desktop.services.timer import tick\n",
                "services/timer.py": "from PySide6.QtCore import QTimer\n",
            },
            "govmail_desktop.store.cache reaches Qt through govmail_desktop.core.clock -> "
            "govmail_desktop.services.timer (imports PySide6.QtCore)",
            id="pure-layer-through-services",
        ),
    ],
)
def test_a_planted_transitive_qt_import_is_reported(tmp_path, files, expected):
    report = qt_reached_through_others(ImportGraph(_plant(tmp_path, files)))
    assert any(expected in line for line in report), report


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"services/mailbox.py": "from govmail_desktop.models import folder_tree\n", "models/folder_tree.py": ""},
         ("govmail_desktop.services.mailbox:1: imports govmail_desktop.models.folder_tree: services/ must not "
          "import the layer above it (models/)")),
        ({"core/x.py": "def f():\n    from govmail_desktop.services.mailbox import M\n", "services/mailbox.py": ""},
         ("govmail_desktop.core.x:2: imports govmail_desktop.services.mailbox: core/ must not import the layer "
          "above it (services/)")),
        ({"store/cache.py": "from ..sync import engine\n", "sync/engine.py": ""},
         "govmail_desktop.store.cache:1: imports govmail_desktop.sync.engine: store/ must not import"),
        ({"models/list.py": "from govmail_desktop.ui.main_window import MainWindow\n", "ui/main_window.py": ""},
         "models/ must not import the layer above it (ui/)"),
        ({"ui/window.py": "import govmail_desktop.app\n", "app.py": ""},
         "govmail_desktop.ui.window:1: imports govmail_desktop.app: ui/ must not import the layer above it (app/)"),
        ({"gadgets/x.py": "X = 1\n"}, "layer 'gadgets' has no rank in LAYER_RANK"),
    ],
)
def test_a_planted_upward_import_is_reported(tmp_path, files, expected):
    report = upward_imports(ImportGraph(_plant(tmp_path, files)))
    assert any(expected in line for line in report), report


def test_the_graph_rules_pass_a_tree_that_keeps_them(tmp_path):
    _plant(tmp_path, {
        "__init__.py": "APP_NAME = 'x'\n",
        "core/errors.py": "from govmail_desktop import APP_NAME\n",
        "services/mailbox.py": "from PySide6.QtCore import QObject\nfrom govmail_desktop.core import errors\n",
        "models/tree.py": "from PySide6.QtGui import QFont\nfrom govmail_desktop.services import mailbox\n",
        "ui/window.py": "from PySide6.QtWidgets import QWidget\nfrom govmail_desktop.models import tree\n",
        "app.py": "from govmail_desktop.ui import window\n",
    })
    assert check_graph(tmp_path) == []
