"""pytest side of the network guard (tests/netguard.py): on for the whole suite, and a test
that reached beyond loopback fails — even when the code under test swallowed the error.

Loaded by tests/conftest.py (``pytest_plugins``). After each phase of each test (set-up,
call, teardown) the violations recorded meanwhile, in this process or in a Python
subprocess, fail that phase; anything recorded outside a test fails the session.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest

from tests import netguard

SITE_DIR = Path(__file__).resolve().parent / "netguard_site"


def _failure(violations: list[str]) -> str:
    lines = "\n".join(f"  - {v}" for v in violations)
    return f"the test reached beyond this machine ({len(violations)} blocked):\n{lines}"


def pytest_configure(config: pytest.Config) -> None:
    if netguard.STATE.installed and netguard.STATE.log_path:
        log_path = netguard.STATE.log_path  # an inner pytest run (the guard's own tests)
    else:
        fd, log_path = tempfile.mkstemp(prefix="govmail-netguard-", suffix=".log")
        os.close(fd)
        config.add_cleanup(lambda: Path(log_path).unlink(missing_ok=True))
    netguard.install(log_path=log_path)
    for name, value in netguard.subprocess_environment(log_path, str(SITE_DIR)).items():
        os.environ[name] = value


def _check_phase() -> Generator[None, object, object]:
    try:
        return (yield)
    finally:
        violations = netguard.take()
        if violations:
            pytest.fail(_failure(violations), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _check_phase())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _check_phase())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    return (yield from _check_phase())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    violations = netguard.take()
    if violations:
        session.config.get_terminal_writer().line(_failure(violations), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
