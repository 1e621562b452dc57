"""The whole suite can be collected where the POSIX-only parts of Python do not exist (Windows).

Windows has no ``pwd``, ``grp``, ``fcntl``, ``termios`` or ``resource``, no ``os.geteuid``,
no ``signal.SIGKILL`` and no ``socket.AF_UNIX``. An import of one of them at module level —
in tests/conftest.py, a plugin it loads, a test module or a helper a test module imports —
stops every test on Windows from starting (issue 15: tests/servers/dovecot.py imported
``pwd`` through the root conftest). Here an inner ``pytest --collect-only`` runs over the
whole tests/ tree with those modules unimportable (from interpreter start) and those names
removed (once pytest's own plugins are loaded, before the first conftest), and must collect
exactly what an ordinary collection collects, with no error. The planted files prove that
each kind of slip makes that collection fail.

Collecting the whole tree twice takes about 12 s each on the build machine; the two run side
by side. The whole tree, not a sample: a slip can be in any test module.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BLOCKED_MODULES = ("pwd", "grp", "fcntl", "termios", "resource")

#: Names POSIX has and Windows lacks, removed for the collection (module, names).
REMOVED_NAMES = {
    "os": ("geteuid", "getuid", "getegid", "getgid", "getpgid", "killpg", "setsid", "fork", "getloadavg", "uname"),
    "signal": ("SIGKILL", "SIGSTOP", "SIGCONT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGQUIT"),
    "socket": ("AF_UNIX",),
}

#: ``python -c BOOTSTRAP <pytest arguments>``: pytest as it would start on Windows, as far
#: as imports at collection time can tell.
BOOTSTRAP = textwrap.dedent(f"""
    import importlib
    import sys

    BLOCKED = {BLOCKED_MODULES!r}
    REMOVED = {REMOVED_NAMES!r}

    class NotOnWindows:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}} (blocked: not on Windows)", name=name)
            return None

    for name in BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, NotOnWindows())

    import pytest

    class WindowsNames:
        # After pytest and its plugins (third-party code takes its Linux branch here), before
        # tests/conftest.py and the test modules.
        @pytest.hookimpl(tryfirst=True)
        def pytest_load_initial_conftests(self):
            for module, names in REMOVED.items():
                loaded = importlib.import_module(module)
                for attr in names:
                    if hasattr(loaded, attr):
                        delattr(loaded, attr)

    sys.exit(pytest.main(sys.argv[1:], plugins=[WindowsNames()]))
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


@pytest.mark.timeout(600)
def test_the_whole_suite_collects_without_posix_only_modules():
    plain, blocked = _start(False, "tests"), _start(True, "tests")
    (plain_rc, plain_out), (blocked_rc, blocked_out) = _finish(plain), _finish(blocked)
    assert plain_rc == 0, plain_out[-3000:]  # the ordinary collection itself is sound
    assert blocked_rc == 0 and not errors(blocked_out), (
        "collecting the suite needs a module or name Windows does not have:\n" + blocked_out[-6000:]
    )
    assert collected(blocked_out) == collected(plain_out) > 1000


# -- the check catches each kind of slip ---------------------------------------------------
PLANTED = {
    "import_pwd": ("import pwd\n", "No module named 'pwd'"),
    "import_fcntl": ("import fcntl\n", "No module named 'fcntl'"),
    "from_grp": ("from grp import getgrgid\n", "No module named 'grp'"),
    "import_termios": ("import termios\n", "No module named 'termios'"),
    "import_resource": ("import resource\n", "No module named 'resource'"),
    "geteuid_in_skipif": (
        (
            "import os\nimport pytest\n\n"
            "@pytest.mark.skipif(os.geteuid() != 0, reason='root')\ndef test_root():\n    pass\n"
        ),
        "has no attribute 'geteuid'",
    ),
    "sigkill_at_import": ("import signal\nKILL = signal.SIGKILL\n", "has no attribute 'SIGKILL'"),
    "af_unix_at_import": ("import socket\nFAMILY = socket.AF_UNIX\n", "has no attribute 'AF_UNIX'"),
}


@pytest.mark.timeout(300)
def test_a_planted_posix_only_import_fails_the_blocked_collection(tmp_path):
    # Planted test files collected together with a real module of the suite (and so with
    # tests/conftest.py and its plugins), each with one slip at module level.
    folder = tmp_path / "planted"
    folder.mkdir()
    for name, (source, _) in PLANTED.items():
        (folder / f"test_planted_{name}.py").write_text(f"{source}\n\ndef test_{name}():\n    pass\n")
    real = "tests/unit/test_suite_portable.py"
    plain, blocked = _start(False, real, str(folder)), _start(True, real, str(folder))
    (plain_rc, plain_out), (blocked_rc, blocked_out) = _finish(plain), _finish(blocked)
    # Where those modules and names exist, every planted file collects.
    assert plain_rc == 0 and not errors(plain_out), plain_out[-3000:]
    assert collected(plain_out) == 3 + len(PLANTED) + 1  # this module's tests + the planted ones
    # Without them, each planted file is a collection error naming what it lacked.
    assert blocked_rc != 0
    failed = errors(blocked_out)
    for name, (_, message) in PLANTED.items():
        assert any(f"test_planted_{name}.py" in line for line in failed), (name, blocked_out[-6000:])
        assert message in blocked_out, (name, message)
    assert len(failed) == len(PLANTED)  # the suite's own module still collects


def test_the_count_is_read_from_either_summary_line():
    assert collected("a\n5384/5408 tests collected (24 deselected) in 10.55s\n") == 5408
    assert collected("a\n12 tests collected in 0.4s\n") == 12
    assert collected("1 test collected in 0.1s") == 1
    assert errors("x\nERROR tests/a.py - ImportError\nERROR tests/b.py\n") == ["ERROR tests/a.py - ImportError",
                                                                            "ERROR tests/b.py"]
