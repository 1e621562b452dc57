"""A server of the interop matrix that cannot start fails the test with what is missing.

Planted cases: the downloaded packages absent, a library the unpacked binaries need
absent (Cyrus's imapd without cyrus-common's libcyrus*), and the matrix's own
registry turning such a problem into a test failure (never a skip).
"""

from __future__ import annotations

import shutil

import pytest

from tests.integration.interop_helpers import InteropServers
from tests.servers import debian_pkgs
from tests.servers.cyrus import CyrusServer

# The matrix's Debian packages (dpkg-deb) and its servers: Linux, with the suite's servers.
pytestmark = [pytest.mark.integration, pytest.mark.interop, pytest.mark.servers, pytest.mark.linux_only]


def test_missing_packages_name_the_package_and_the_remedy(tmp_path):
    with pytest.raises(debian_pkgs.MissingPrerequisite) as caught:
        debian_pkgs.unpacked(["cyrus-imapd"], debs_dir=tmp_path)
    assert "cyrus-imapd" in str(caught.value) and "install-system-deps.sh interop" in str(caught.value)


def test_a_missing_library_is_named(tmp_path):
    # Only cyrus-imapd, without cyrus-common: imapd cannot load libcyrus_imap.
    shutil.copy(debian_pkgs.package_file("cyrus-imapd"), tmp_path)
    root = debian_pkgs.unpacked(["cyrus-imapd"], debs_dir=tmp_path)
    with pytest.raises(debian_pkgs.MissingPrerequisite) as caught:
        debian_pkgs.require_libraries("Cyrus", [root / "usr/lib/cyrus/bin/imapd"], root, "cyrus-common")
    assert "libcyrus_imap.so.0" in str(caught.value)
    # The real set (both packages, the system's libraries) has nothing missing.
    full = debian_pkgs.unpacked(["cyrus-common", "cyrus-imapd"])
    assert debian_pkgs.missing_libraries([full / "usr/lib/cyrus/bin/imapd"], full) == []


def test_the_matrix_fails_a_test_whose_server_cannot_start(certs, monkeypatch):
    def broken(*args, **kwargs):
        raise debian_pkgs.MissingPrerequisite("Cyrus cannot start: missing libxapian.so.30 (planted)")

    monkeypatch.setattr(CyrusServer, "start", broken)
    servers = InteropServers(certs)
    try:
        for _ in range(2):  # and again for the next test: the reason is kept, not retried
            with pytest.raises(pytest.fail.Exception, match="cyrus: .*libxapian.so.30 \\(planted\\)"):
                servers.get("cyrus")
    finally:
        servers.cleanup()
