"""tests/suite_markers.py: platform markers skip on the wrong platform, and the servers and
keyring_daemon markers follow the fixtures a test uses (so ``-m`` can leave them out)."""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest

from tests import suite_markers

ROOT = Path(__file__).resolve().parents[2]

INI = """
[pytest]
addopts = --strict-markers -p tests.suite_markers -p no:cacheprovider
markers =
    windows: runs on Windows only
    linux_only: needs Linux
    servers: needs the suite's servers
    keyring_daemon: needs the suite's gnome-keyring
    xvfb: needs Xvfb
"""

PLATFORM_TESTS = """
import pytest

@pytest.mark.windows
def test_on_windows():
    pass

@pytest.mark.linux_only
def test_on_linux():
    pass

def test_anywhere():
    pass
"""


def _items(pytester: pytest.Pytester) -> dict[str, pytest.Item]:
    return {item.name: item for item in pytester.getitems(PLATFORM_TESTS)}


def _skip_reason(pytester: pytest.Pytester, name: str, platform: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The skip the real collection hook puts on test ``name`` while sys.platform is ``platform``."""
    item = _items(pytester)[name]  # collected afresh: the hook adds markers to the item
    with monkeypatch.context() as patched:
        patched.setattr(sys, "platform", platform)
        suite_markers.pytest_collection_modifyitems([item])
    skips = [mark.kwargs["reason"] for mark in item.iter_markers("skip")]
    assert len(skips) <= 1
    return skips[0] if skips else None


def test_the_hook_skips_windows_tests_on_linux_and_linux_tests_on_windows(pytester, monkeypatch):
    pytester.makeini(INI)
    assert _skip_reason(pytester, "test_on_windows", "linux", monkeypatch) == (
        "runs on Windows only (marker 'windows'; this is linux)"
    )
    assert _skip_reason(pytester, "test_on_linux", "linux", monkeypatch) is None
    assert _skip_reason(pytester, "test_on_linux", "win32", monkeypatch) == (
        "needs Linux (marker 'linux_only'; this is win32)"
    )
    assert _skip_reason(pytester, "test_on_windows", "win32", monkeypatch) is None
    assert _skip_reason(pytester, "test_on_linux", "darwin", monkeypatch) is not None
    assert _skip_reason(pytester, "test_on_windows", "darwin", monkeypatch) is not None
    for platform in ("linux", "win32", "darwin"):
        assert _skip_reason(pytester, "test_anywhere", platform, monkeypatch) is None


@pytest.mark.linux_only
def test_a_run_on_linux_skips_the_windows_tests_with_the_reason(pytester):
    pytester.makeini(INI)
    pytester.makepyfile(test_platforms=PLATFORM_TESTS)
    result = pytester.runpytest_inprocess("-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED *test_platforms.py:*: runs on Windows only (marker 'windows'; this is linux)"],
    )


SERVER_TESTS = """
import pytest

@pytest.fixture
def mailbox(dovecot):  # a fixture of a test module that needs a server fixture
    return dovecot

def test_plain():
    pass

def test_dovecot(dovecot):
    pass

def test_through_a_fixture(mailbox):
    pass

@pytest.mark.usefixtures("fresh_smtp_server")
def test_by_usefixtures():
    pass

def test_keyring(secret_service):
    pass

def test_interop(interop_servers):
    pass

def test_x_screen(xvfb_binary):
    pass
"""

#: Stand-ins with the names of the suite's fixtures: nothing is started.
STAND_INS = "\n".join(
    f"@pytest.fixture\ndef {name}():\n    return None\n"
    for name in sorted(suite_markers.SERVER_FIXTURES | suite_markers.KEYRING_FIXTURES | suite_markers.XVFB_FIXTURES)
)


def _selected(pytester: pytest.Pytester, expression: str) -> set[str]:
    result = pytester.runpytest_inprocess("--collect-only", "-q", "-m", expression)
    assert result.ret == 0, result.stdout.str()
    return {line.split("::")[1] for line in result.stdout.lines if "::" in line}


def test_servers_and_keyring_markers_follow_the_fixtures(pytester):
    pytester.makeini(INI)
    pytester.makeconftest("import pytest\n\n" + STAND_INS)
    pytester.makepyfile(test_needs=SERVER_TESTS)
    assert _selected(pytester, "servers") == {
        "test_dovecot", "test_through_a_fixture", "test_by_usefixtures", "test_interop",
    }
    assert _selected(pytester, "keyring_daemon") == {"test_keyring"}
    assert _selected(pytester, "xvfb") == {"test_x_screen"}
    assert _selected(pytester, "not servers and not keyring_daemon and not xvfb") == {"test_plain"}


def test_running_as_root_is_false_where_there_are_no_uids(monkeypatch):
    monkeypatch.delattr("os.geteuid")
    assert suite_markers.running_as_root() is False


# -- every fixture or test that starts a server is marked ----------------------------------
#: Classes whose construction starts (or is the first step of starting) a server of the suite.
SERVER_CLASSES = {
    "DovecotServer", "SmtpSubmissionServer", "CyrusServer", "CourierServer", "InteropServers", "DemoServers",
}
KEYRING_CLASSES = {"SecretServiceSession"}
MARKS = ("mark.servers", "mark.keyring_daemon")


def _fixtures(tree: ast.AST) -> dict[str, set[str]]:
    """Fixture name -> the fixtures it asks for."""
    return {
        node.name: {arg.arg for arg in node.args.args}
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any("fixture" in ast.unparse(d) for d in node.decorator_list)
    }


def marked_fixtures(sources: list[str]) -> set[str]:
    """The marked fixtures and every fixture in ``sources`` that uses one, however deep."""
    uses: dict[str, set[str]] = {}
    for source in sources:
        for name, args in _fixtures(ast.parse(source)).items():
            uses.setdefault(name, set()).update(args)
    marked = set(suite_markers.SERVER_FIXTURES | suite_markers.KEYRING_FIXTURES)
    while grown := {name for name, args in uses.items() if name not in marked and args & marked}:
        marked |= grown
    return marked


def unmarked_server_starts(source: str, marked: set[str] | None = None) -> list[str]:
    """Fixtures and tests in ``source`` that construct a server but would not get the
    ``servers``/``keyring_daemon`` marker: a fixture that is not one of the marked fixtures
    and uses none (``marked``: by default those of ``source`` alone); a test without the
    marker (its own or the module's) that uses none."""
    tree = ast.parse(source)
    known = marked if marked is not None else marked_fixtures([source])
    module_marked = any(
        isinstance(node, ast.Assign) and any(ast.unparse(t) == "pytestmark" for t in node.targets)
        and any(mark in ast.unparse(node.value) for mark in MARKS)
        for node in tree.body
    )
    unmarked = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        decorators = [ast.unparse(d) for d in node.decorator_list]
        is_fixture = any("fixture" in d for d in decorators)
        if not (is_fixture or node.name.startswith("test")):
            continue
        called = {
            call.func.id for call in ast.walk(node)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
        }
        if not called & (SERVER_CLASSES | KEYRING_CLASSES):
            continue
        if node.name in known or {arg.arg for arg in node.args.args} & known:
            continue
        if not is_fixture and (module_marked or any(mark in d for d in decorators for mark in MARKS)):
            continue
        unmarked.append(node.name)
    return unmarked


def test_every_fixture_or_test_starting_a_server_is_marked():
    sources = {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "tests").rglob("*.py"))}
    marked = marked_fixtures(list(sources.values()))
    found = {
        str(path.relative_to(ROOT)): names
        for path, source in sources.items()
        if (names := unmarked_server_starts(source, marked))
    }
    assert found == {}, (
        "fixtures: add them to SERVER_FIXTURES or KEYRING_FIXTURES in tests/suite_markers.py; "
        "tests: mark them servers or keyring_daemon"
    )


def test_planted_unmarked_server_starts_are_found():
    planted = textwrap.dedent("""
        import pytest

        @pytest.fixture(scope="session")
        def cyrus(certs):
            server = CyrusServer(certs=certs)
            yield server

        @pytest.fixture
        def my_keyring():
            return SecretServiceSession()

        @pytest.fixture
        def on_top(dovecot):  # uses a marked fixture: its tests are marked already
            return DovecotServer(certs=None)

        @pytest.fixture
        def big_inbox(fresh_dovecot):
            return fresh_dovecot()

        @pytest.fixture
        def deeper(big_inbox):  # through another fixture: marked too
            return SmtpSubmissionServer(big_inbox)

        def test_own_dovecot(certs):
            DovecotServer(certs=certs).start()

        @pytest.mark.servers
        def test_own_dovecot_marked(certs):
            DovecotServer(certs=certs).start()
    """)
    assert unmarked_server_starts(planted) == ["cyrus", "my_keyring", "test_own_dovecot"]
    assert unmarked_server_starts("import pytest\npytestmark = [pytest.mark.servers]\n" + planted) == [
        "cyrus", "my_keyring",
    ]
