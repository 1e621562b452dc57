"""The composition root is the one place that builds the app's parts (govmail_desktop/app.py).

Checked on the source tree, each guard proven on planted samples:

* the OS keyring's :class:`CredentialStore` is built in ``app.py`` only (everything
  else is handed the one the root built, behind a ``PasswordKeeper``);
* the UI (``ui/``, ``models/``) starts no thread of its own: work off the GUI
  thread belongs to a service (its worker, or the sync engine's).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "govmail_desktop"
ROOT_MODULE = PACKAGE / "app.py"
UI_LAYERS = ("ui", "models")

#: What starts a thread: the standard library's and Qt's ways.
THREAD_MAKERS = frozenset({
    "Thread", "Timer", "start_new_thread", "ThreadPoolExecutor", "ProcessPoolExecutor", "QThread", "QThreadPool",
    "QtConcurrent", "run_in_executor",
})


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def calls_of(source: str, names: frozenset[str]) -> list[tuple[int, str]]:
    """(line, name) of every call of one of ``names`` (``x.Name(...)`` or ``Name(...)``),
    and of every class deriving from one of them."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called_name(node) in names:
            found.append((node.lineno, _called_name(node)))
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name in names:
                    found.append((node.lineno, name))
    return found


def test_the_credential_store_is_built_in_the_composition_root_only():
    built = {
        path.relative_to(PACKAGE).as_posix(): [line for line, _ in calls_of(path.read_text("utf-8"),
                                                                          frozenset({"CredentialStore"}))]
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    # govmail-admin is a program of its own: its doctor command builds the one store it probes.
    roots = {"app.py", "admin/doctor.py"}
    assert {path: lines for path, lines in built.items() if lines} == {path: built[path] for path in roots}
    assert all(len(built[path]) == 1 for path in roots)


def test_the_ui_starts_no_thread_of_its_own():
    started = []
    for layer in UI_LAYERS:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            started.extend(f"{path.relative_to(PACKAGE)}:{line}: {name}"
                           for line, name in calls_of(path.read_text("utf-8"), THREAD_MAKERS))
    assert started == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import threading\nthreading.Thread(target=print).start()\n", [(2, "Thread")]),
        ("from threading import Thread\n\ndef save():\n    Thread(target=print, daemon=True).start()\n",
         [(4, "Thread")]),
        ("from PySide6.QtCore import QThread\n\nclass Saver(QThread):\n    pass\n", [(3, "QThread")]),
        ("from concurrent.futures import ThreadPoolExecutor\npool = ThreadPoolExecutor(1)\n",
         [(2, "ThreadPoolExecutor")]),
        ("import _thread\n_thread.start_new_thread(print, ())\n", [(2, "start_new_thread")]),
        ("from PySide6.QtCore import QTimer\nQTimer.singleShot(0, print)\n", []),  # the event loop, no thread
    ],
)
def test_the_thread_guard_reports_a_planted_thread(source, expected):
    assert calls_of(source, THREAD_MAKERS) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from govmail_desktop.credentials import CredentialStore\nstore = CredentialStore()\n",
         [(2, "CredentialStore")]),
        ("from govmail_desktop import credentials\n\ndef keyring():\n    return credentials.CredentialStore()\n",
         [(4, "CredentialStore")]),
        ("def f(store: CredentialStore) -> None:\n    store.get_password('a')\n", []),  # handed one: fine
    ],
)
def test_the_credential_store_guard_reports_a_planted_second_one(source, expected):
    assert calls_of(source, frozenset({"CredentialStore"})) == expected
