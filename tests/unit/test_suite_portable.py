"""The whole suite can be collected where the POSIX-only parts of Python do not exist (Windows).

Windows has no ``pwd``, ``grp``, ``fcntl``, ``termios`` or ``resource``, no ``os.geteuid``,
no ``signal.SIGKILL`` and no ``socket.AF_UNIX``. An import of one of them at module level —
in tests/conftest.py, a plugin it loads, a test module or a helper a test module imports —
stops every test on Windows from starting (issue 15: tests/servers/dovecot.py imported
``pwd`` through the root conftest).

- Modules: an inner ``pytest --collect-only`` runs over the whole tests/ tree with those
  modules unimportable from interpreter start, and must collect exactly what an ordinary
  collection collects, with no error.
- Names: they cannot be removed for a run in the same way — code that asks
  ``sys.platform`` first is right on Windows but would still reach them here — so every file
  under tests/ is read for a use of one that runs at import (module level, a decorator such as
  ``skipif(os.geteuid() != 0, ...)``, a default value, a class body) outside a platform or
  ``hasattr`` check.

Planted files prove that each kind of slip is caught. Collecting the whole tree twice takes
about 12 s of CPU each (the two run side by side; ~20 s on the shared build machine, more
when it is busy). The whole tree, not a sample: a slip can be in any test module.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]

BLOCKED_MODULES = ("pwd", "grp", "fcntl", "termios", "resource")

#: ``python -c BOOTSTRAP <pytest arguments>``: pytest without the POSIX-only modules.
BOOTSTRAP = textwrap.dedent(f"""
    import sys

    BLOCKED = {BLOCKED_MODULES!r}

    class NotOnWindows:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}} (blocked: not on Windows)", name=name)
            return None

    for name in BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, NotOnWindows())

    import pytest

    sys.exit(pytest.main(sys.argv[1:]))
""")

COLLECT = ("--collect-only", "-q", "-p", "no:cacheprovider")

_COUNT = re.compile(r"^(?:(\d+)/)?(\d+) tests? collected", re.MULTILINE)


def _start(blocked: bool, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, *(("-c", BOOTSTRAP) if blocked else ("-m", "pytest")), *COLLECT, *args]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        out, _ = proc.communicate(timeout=280)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        pytest.fail(f"collection did not finish:\n{out[-3000:]}", pytrace=False)
    return proc.returncode, out


def collected(out: str) -> int:
    """How many tests the ``-q --collect-only`` run collected (before -m deselection)."""
    found = _COUNT.findall(out)
    assert found, f"no 'tests collected' line in:\n{out[-3000:]}"
    return int(found[-1][1])


def errors(out: str) -> list[str]:
    return re.findall(r"^ERROR .*$", out, re.MULTILINE)


def _collection_errors(out: str) -> str:
    """The ERRORS section of a collect-only run (the part that says what failed to import)."""
    start = out.find("= ERRORS =")
    return out[start:][:8000] if start >= 0 else out[-6000:]


@pytest.mark.timeout(600)
def test_the_whole_suite_collects_without_posix_only_modules():
    plain, blocked = _start(False, "tests"), _start(True, "tests")
    (plain_rc, plain_out), (blocked_rc, blocked_out) = _finish(plain), _finish(blocked)
    assert plain_rc == 0, _collection_errors(plain_out)  # the ordinary collection itself is sound
    assert blocked_rc == 0 and not errors(blocked_out), (
        "collecting the suite needs a module Windows does not have:\n" + _collection_errors(blocked_out)
    )
    assert collected(blocked_out) == collected(plain_out) > 1000


# -- the module check catches each kind of slip -------------------------------------------
#: Planted test files: a module-level import of each blocked module, and one through a helper.
PLANTED = {
    "import_pwd": ("import pwd\n", "No module named 'pwd'"),
    "import_fcntl": ("import fcntl\n", "No module named 'fcntl'"),
    "from_grp": ("from grp import getgrgid\n", "No module named 'grp'"),
    "import_termios": ("import termios\n", "No module named 'termios'"),
    "import_resource": ("import resource\n", "No module named 'resource'"),
    "through_a_helper": ("import planted_helper\n", "No module named 'pwd'"),
}
HELPER = "import os\nimport pwd\n\nUSER = pwd.getpwuid(os.getuid()).pw_name\n"


@pytest.mark.timeout(300)
def test_a_planted_posix_only_import_fails_the_blocked_collection(tmp_path):
    # Planted test files collected together with a real module of the suite (and so with
    # tests/conftest.py and its plugins), each with one slip at module level.
    folder = tmp_path / "planted"
    folder.mkdir()
    (folder / "planted_helper.py").write_text(HELPER)
    for name, (source, _) in PLANTED.items():
        (folder / f"test_planted_{name}.py").write_text(f"{source}\n\ndef test_{name}():\n    pass\n")
    real = Path(__file__).relative_to(ROOT)
    plain, blocked = _start(False, str(real), str(folder)), _start(True, str(real), str(folder))
    (plain_rc, plain_out), (blocked_rc, blocked_out) = _finish(plain), _finish(blocked)
    # Where those modules exist, every planted file collects.
    assert plain_rc == 0 and not errors(plain_out), _collection_errors(plain_out)
    assert len(re.findall(r"^test_planted_\w+\.py::test_", plain_out, re.MULTILINE)) == len(PLANTED)
    # Without them, each planted file is a collection error naming the module.
    assert blocked_rc != 0
    failed = errors(blocked_out)
    for name, (_, message) in PLANTED.items():
        assert any(f"test_planted_{name}.py" in line for line in failed), (name, _collection_errors(blocked_out))
        assert message in blocked_out, (name, message)
    assert len(failed) == len(PLANTED)  # the suite's own module still collects


def test_the_count_is_read_from_either_summary_line():
    assert collected("a\n5384/5408 tests collected (24 deselected) in 10.55s\n") == 5408
    assert collected("a\n12 tests collected in 0.4s\n") == 12
    assert collected("1 test collected in 0.1s") == 1
    assert errors("x\nERROR tests/a.py - ImportError\nERROR tests/b.py\n") == ["ERROR tests/a.py - ImportError",
                                                                            "ERROR tests/b.py"]


# -- names: used at import only behind a platform check --------------------------------------
#: Names POSIX has and Windows lacks (module -> names).
POSIX_NAMES = {
    "os": {
        "geteuid", "getuid", "getegid", "getgid", "getgroups", "getpgid", "getpgrp", "killpg", "setsid", "fork",
        "forkpty", "getloadavg", "uname", "sysconf", "pathconf", "statvfs", "mkfifo", "mknod", "chown", "lchown",
        "fchown", "getpriority", "setpriority", "nice", "sched_getaffinity", "sched_setaffinity", "setuid",
        "setgid", "seteuid", "initgroups", "openpty", "pipe2", "wait3", "wait4", "WNOHANG", "O_NOFOLLOW",
        "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK", "sync",
    },
    "signal": {
        "SIGKILL", "SIGSTOP", "SIGCONT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGQUIT", "SIGCHLD",
        "SIGPIPE", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGWINCH", "alarm", "pause", "setitimer", "pthread_kill",
        "pthread_sigmask", "SIG_BLOCK", "SIG_UNBLOCK",
    },
    "socket": {"AF_UNIX", "AF_NETLINK", "SO_PEERCRED"},
}

_GUARDS = re.compile(r"\bsys\.platform\b|\bos\.name\b|\bhasattr\(|\bplatform\.system\(|\bIS_WINDOWS\b|\bIS_LINUX\b")


class _ImportTimeUses(ast.NodeVisitor):
    """Uses of POSIX_NAMES in code that runs when the module is imported, outside a check."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def _guard(self, node: ast.AST) -> bool:
        return bool(_GUARDS.search(ast.unparse(node)))

    def _on_windows(self, test: ast.expr) -> bool | None:
        """The value of a platform check on Windows; None when it cannot be told."""
        names = {
            "sys": SimpleNamespace(platform="win32"), "os": SimpleNamespace(name="nt"),
            "platform": SimpleNamespace(system=lambda: "Windows"), "IS_WINDOWS": True, "IS_LINUX": False,
            "hasattr": hasattr,
        }
        try:
            return bool(eval(compile(ast.Expression(test), "<check>", "eval"), {"__builtins__": {}}, names))
        except Exception:
            return None

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for part in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
            if part is not None:
                self.visit(part)  # run at import; the body does not

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for part in node.args.defaults:
            self.visit(part)

    def visit_If(self, node: ast.If | ast.IfExp) -> None:
        if not self._guard(node.test):
            self.generic_visit(node)
            return
        windows = self._on_windows(node.test)  # only the branch Windows takes runs there
        branch = node.body if windows else node.orelse if windows is False else []
        for part in branch if isinstance(branch, list) else [branch]:
            self.visit(part)

    visit_IfExp = visit_If

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        for value in node.values:  # `not hasattr(os, "geteuid") or os.geteuid() == 0`
            self.visit(value)
            if self._guard(value):
                windows = self._on_windows(value)
                if windows is None or windows == isinstance(node.op, ast.Or):
                    return  # Windows stops here

    def visit_Try(self, node: ast.Try) -> None:
        caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
        if not re.search(r"AttributeError|ImportError|Exception", caught):
            self.generic_visit(node)
        else:
            for part in (*node.handlers, *node.orelse, *node.finalbody):
                self.visit(part)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.attr in POSIX_NAMES.get(node.value.id, ()):
            self.found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name in POSIX_NAMES.get(node.module or "", ()):
                self.found.append(f"line {node.lineno}: from {node.module} import {alias.name}")


def posix_names_at_import(source: str) -> list[str]:
    """Where ``source`` uses a POSIX-only name in code that runs at import, unguarded."""
    visitor = _ImportTimeUses()
    visitor.visit(ast.parse(source))
    return visitor.found


def test_no_test_module_uses_a_posix_only_name_at_import():
    found = {
        str(path.relative_to(ROOT)): uses
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if (uses := posix_names_at_import(path.read_text(encoding="utf-8")))
    }
    assert found == {}, (
        "Windows lacks these names: use them inside the test or behind a sys.platform/hasattr check "
        "(a root check in a skipif: tests.suite_markers.running_as_root())"
    )


SLIPS = {
    "skipif": "import os, pytest\n\n@pytest.mark.skipif(os.geteuid() != 0, reason='root')\ndef test_x():\n    pass\n",
    "module level": "import signal\nKILL = signal.SIGKILL\n",
    "parametrize": "import socket, pytest\n\n@pytest.mark.parametrize('f', [socket.AF_UNIX])\ndef test_x(f): ...\n",
    "default value": "import os\n\ndef helper(uid=os.getuid()):\n    return uid\n",
    "class body": "import os\n\nclass Case:\n    ME = os.geteuid()\n",
    "from import": "from os import geteuid\n",
    "fallback after a guard": "import os, sys\nX = os.geteuid() if sys.platform == 'linux' else os.getuid()\n",
    "after an if block": "import os, sys\nif sys.platform == 'win32':\n    pass\nU = os.getuid()\n",
    "and after a Windows check": "import os\nX = os.name == 'nt' and os.geteuid() == 0\n",
}

FINE = {
    "in the test": "import os\n\ndef test_x():\n    assert os.geteuid() >= 0\n",
    "platform guard": "import os, sys\nUID = os.geteuid() if sys.platform.startswith('linux') else None\n",
    "hasattr guard": "import os, pytest\n\n@pytest.mark.skipif(not hasattr(os, 'geteuid') or os.geteuid() != 0, "
                     "reason='r')\ndef test_x():\n    pass\n",
    "if block": "import signal, sys\nif sys.platform != 'win32':\n    KILL = signal.SIGKILL\n",
    "try": "import socket\ntry:\n    UNIX = socket.AF_UNIX\nexcept AttributeError:\n    UNIX = None\n",
    "portable names": "import os, signal, socket\nX = (os.getpid(), signal.SIGTERM, socket.AF_INET)\n",
    "else of a Windows check": "import os, sys\nif sys.platform == 'win32':\n    U = None\nelse:\n    U = os.getuid()",
    "or after a Windows check": "import os, pytest\n\n@pytest.mark.skipif(os.name == 'nt' or os.geteuid() == 0, "
                                "reason='r')\ndef test_x():\n    pass\n",
    "the app's module list": "import sys\nSKIP = f() if sys.platform.startswith('linux') else 'Linux only'\n",
}


@pytest.mark.parametrize("name", SLIPS)
def test_a_planted_posix_only_name_at_import_is_found(name):
    assert posix_names_at_import(SLIPS[name]) != []


@pytest.mark.parametrize("name", FINE)
def test_guarded_or_deferred_uses_are_not_reported(name):
    assert posix_names_at_import(FINE[name]) == []
