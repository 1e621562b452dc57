"""The import rules between the layers (docs/architecture.md), checked on the real source tree.

Each rule is a function of (module, imported name). The checker is also run on
small synthetic trees, so a broken rule is proven to fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "govmail_desktop"

PURE_LAYERS = ("core", "policy", "net", "mime", "store", "sync", "i18n", "admin")
GUI_LAYERS = ("ui", "models")


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


def test_source_tree_respects_the_boundaries():
    assert PACKAGE.is_dir()
    assert list(PACKAGE.rglob("*.py")), "no source files found"
    assert check_tree(PACKAGE) == []


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
