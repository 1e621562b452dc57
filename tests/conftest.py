"""Shared test set-up: Qt offscreen, an isolated app home, the server fixtures."""

from __future__ import annotations

import os

# Qt must not look for a display (without one, Qt aborts the whole run).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

# tests.netguard_plugin: no test reaches beyond loopback (tests/netguard.py says how);
# tests.suite_markers: the servers/keyring_daemon markers from the fixtures a test uses, and
# windows/linux_only tests skipped on the other platforms;
# pytester: the guard's own tests run an inner pytest to show a swallowed violation fails.
# Nothing loaded here may need a POSIX-only module: the suite is collected on Windows too
# (tests/unit/test_suite_portable.py).
pytest_plugins = ["tests.netguard_plugin", "tests.suite_markers", "tests.servers.fixtures", "pytester"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own GOVMAIL_HOME: nothing touches a real profile."""
    home = tmp_path_factory.mktemp("govmail-home")
    monkeypatch.setenv("GOVMAIL_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Thai), whatever an earlier test chose
    (govmail-admin --lang en, a language switch in the window)."""
    from govmail_desktop.i18n import catalog

    catalog.set_language(catalog.DEFAULT_LANGUAGE)
    yield
    catalog.set_language(catalog.DEFAULT_LANGUAGE)
