"""What a test needs, as markers the suite applies and enforces (loaded by tests/conftest.py).

- ``servers`` / ``keyring_daemon`` are put on every test that uses, directly or through
  another fixture, a fixture starting Dovecot, SMTP submission, Cyrus/Courier (the
  interop matrix) or the private D-Bus + gnome-keyring: the marker cannot be forgotten,
  and a run without those programs (the Windows job) deselects them with ``-m``.
  Tests starting such a server without a fixture carry the marker themselves. ``xvfb`` is
  put on every test using ``xvfb_binary`` (tests/gui/conftest.py) the same way.
- ``windows`` tests run only on Windows, ``linux_only`` tests only on Linux; elsewhere they
  are skipped with the reason, so a plain run never fails on the wrong platform.

The expressions the Windows CI job uses are in tests/README.md.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import pytest

#: Fixtures that start a real mail server (tests/servers/fixtures.py, the interop matrix).
SERVER_FIXTURES = frozenset({
    "dovecot",
    "seeded_dovecot",
    "smtp_server",
    "fresh_dovecot",
    "fresh_smtp_server",
    "interop_servers",  # tests/integration/test_interop.py: Dovecot, Cyrus, Courier
})

#: Fixtures that start the suite's private D-Bus session and gnome-keyring.
KEYRING_FIXTURES = frozenset({"secret_service", "secret_service_daemon"})

#: Fixtures that need a real X screen.
XVFB_FIXTURES = frozenset({"xvfb_binary"})


def running_as_root() -> bool:
    """Root on a POSIX system; False on Windows, which has no uid (usable in a skipif
    condition, which runs when the module is imported: collection on Windows too)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def needs(fixturenames: Iterable[str]) -> list[str]:
    """The markers a test using ``fixturenames`` (its whole fixture closure) must carry."""
    used = set(fixturenames)
    found = []
    if used & SERVER_FIXTURES:
        found.append("servers")
    if used & KEYRING_FIXTURES:
        found.append("keyring_daemon")
    if used & XVFB_FIXTURES:
        found.append("xvfb")
    return found


def platform_skip_reason(markers: Iterable[str], platform: str) -> str | None:
    """Why a test with these markers does not run on ``platform`` (``sys.platform``), or None."""
    names = set(markers)
    if "windows" in names and platform != "win32":
        return f"runs on Windows only (marker 'windows'; this is {platform})"
    if "linux_only" in names and not platform.startswith("linux"):
        return f"needs Linux (marker 'linux_only'; this is {platform})"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # tryfirst: before pytest's own -m selection looks at the markers.
    for item in items:
        for name in needs(getattr(item, "fixturenames", ())):
            item.add_marker(name)
        reason = platform_skip_reason((mark.name for mark in item.iter_markers()), sys.platform)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))
