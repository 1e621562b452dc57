"""The .deb in a clean Debian 12 root (``make test-deb``; needs root): installed with apt, the
programs run there as on a desk, then purged, after which nothing of it may be left.

The root is unpacked afresh from the pristine debootstrap tarball (tools/deb_chroot.py) with
/proc, /sys and /dev mounted, and unmounted again whatever happens. It shares the host's
network, so the session's loopback Dovecot and SMTP servers (tests/servers) are what
``govmail-admin check-server`` checks from inside it. Deselected by default (marker
``packaging``); ``make test-deb`` builds the package first (``make deb``).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govmail_desktop import APP_NAME, __version__
from tests.servers.fake_net import TEST_POLICY_FILE
from tools import build_deb, deb_chroot

pytestmark = [pytest.mark.packaging, pytest.mark.integration, pytest.mark.linux_only, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
DEB = ROOT / "build" / "deb" / f"{build_deb.PACKAGE}_{__version__}_{build_deb.ARCH}.deb"
#: What the package puts on a desk, and nothing of it may stay after purge.
PACKAGE_PATHS = ("/opt/govmail-desktop", "/etc/govmail", "/usr/bin/govmail", "/usr/bin/govmail-admin",
                 "/usr/share/applications/govmail-desktop.desktop", "/usr/share/doc/govmail-desktop",
                 f"/usr/share/metainfo/{build_deb.METAINFO}",
                 "/usr/share/icons/hicolor/scalable/apps/govmail-desktop.svg",
                 "/usr/share/man/man1/govmail.1.gz", "/usr/share/lintian/overrides/govmail-desktop")
#: A desk's session: its own home (not root's), offscreen Qt, Thai.
DESK_ENV = {"HOME": "/tmp/desk", "QT_QPA_PLATFORM": "offscreen", "LANG": "th_TH.UTF-8"}


@dataclass
class Installed:
    session: deb_chroot.ChrootSession
    before: set[str]
    install_log: str


@pytest.fixture(scope="module")
def installed() -> Iterator[Installed]:
    deb_chroot.require_root()
    assert DEB.is_file(), f"{DEB} is missing: run make deb (make test-deb does)"
    with deb_chroot.fresh_root() as session:
        before = deb_chroot.file_list(session.root)
        target = session.copy_in(DEB, f"/tmp/{DEB.name}")
        session.run(["apt-get", "update", "-qq"], timeout=300)
        result = session.run(["apt-get", "install", "-y", "-q", target], timeout=900, check=False)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        yield Installed(session, before, result.stdout)


def test_installs_without_questions_or_maintainer_scripts(installed):
    assert "Setting up govmail-desktop" in installed.install_log
    info = installed.session.root / "var/lib/dpkg/info"
    assert sorted(p.name for p in info.glob("govmail-desktop.*")) == [
        "govmail-desktop.conffiles", "govmail-desktop.list", "govmail-desktop.md5sums"
    ]
    for path in PACKAGE_PATHS:
        assert os.path.lexists(installed.session.root / path.lstrip("/")), path
    for exe in build_deb.EXECUTABLES:  # absolute links, as the root sees them
        assert os.readlink(installed.session.root / "usr/bin" / exe) == f"/opt/govmail-desktop/{exe}"


def test_govmail_version(installed):
    result = installed.session.run(["govmail", "--version"])
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"


def test_govmail_admin_policy_show_reads_the_example_conffile(installed):
    result = installed.session.run(["govmail-admin", "--lang", "en", "policy", "show", "--json"])
    shown = json.loads(result.stdout)
    text = json.dumps(shown, ensure_ascii=False)
    assert "/etc/govmail/policy.json" in text, text[:2000]
    human = installed.session.run(["govmail-admin", "--lang", "en", "policy", "show"]).stdout
    assert "Status: valid" in human


def test_the_app_starts_offscreen_to_its_window_with_the_thai_font(installed):
    """The Debian root has no D-Bus session, so no password store: the self-test says so and fails
    for that reason alone (the bundle's keyring is checked against the Secret Service below)."""
    result = installed.session.run(["govmail", "--self-test", "--lang", "th"], env=DESK_ENV, timeout=120,
                                   check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert "แพลตฟอร์ม Qt offscreen" in lines[0]
    assert lines[1] == "แบบอักษรของหน้าจอโปรแกรม: Sarabun"
    assert lines[2] == "ข้อความภาษาไทยแสดงด้วยแบบอักษร: Sarabun ตัวอักษรที่แสดงไม่ได้: 0"
    assert lines[4] == "ที่เก็บรหัสผ่าน (keyring backend): -"
    assert lines[5] == "ประเทศของ 1.0.128.1 (ค้นหาในเครื่องโดยไม่เชื่อมต่อ): TH"
    assert lines[-1].startswith("ทดสอบตัวเองไม่ผ่าน: ไม่สามารถเก็บรหัสผ่านไว้ในที่เก็บรหัสผ่านของระบบได้ (")
    assert "Sarabun" not in lines[-1] and "ไอคอน" not in lines[-1] and "ประเทศ" not in lines[-1]


def _check_server(installed: Installed, ca_file: Path, *args: str) -> dict:
    session = installed.session
    policy = session.copy_in(TEST_POLICY_FILE, "/tmp/test-loopback.json")
    ca = session.copy_in(ca_file, "/tmp/test-ca.pem")
    result = session.run(["govmail-admin", "--lang", "en", "check-server", "localhost", *args,
                          "--resolve", "localhost:127.0.0.1", "--policy", policy, "--ca-file", ca, "--json"],
                         check=False, timeout=120)
    out = json.loads(result.stdout)
    assert out["exit_code"] == result.returncode
    return out


def test_govmail_admin_check_server_imap_and_smtp(installed, dovecot, smtp_server):
    imap = _check_server(installed, dovecot.ca_file, "--port", str(dovecot.imaps_port), "--security", "tls")
    assert imap["exit_code"] == 0 and imap["verdict"] == "allowed", imap
    assert imap["attempts"][0]["secure"]
    smtp = _check_server(installed, smtp_server.ca_file, "--smtp", "--port", str(smtp_server.starttls_port),
                         "--security", "starttls")
    assert smtp["exit_code"] == 0 and smtp["verdict"] == "allowed", smtp


def test_purge_leaves_nothing_behind(installed):
    """Last: purge (and the libraries it pulled in), then the root's files are as before."""
    session = installed.session
    session.run(["apt-get", "purge", "-y", "-q", build_deb.PACKAGE], timeout=300)
    session.run(["apt-get", "autoremove", "--purge", "-y", "-q"], timeout=300)
    for path in PACKAGE_PATHS:
        assert not os.path.lexists(session.root / path.lstrip("/")), path
    after = deb_chroot.file_list(session.root)
    assert sorted(after - installed.before) == []
    # dpkg removes the folders a package listed once they are empty and no package owns them:
    # /opt is made by base-files' postinst, not shipped, so it goes with the last package in it
    # (as with every package under /opt; base-files makes it again when upgraded). Nothing else
    # of the system may go.
    assert sorted(installed.before - after) in ([], ["/opt"])


BUNDLE = ROOT / "build" / "bundle" / build_deb.PACKAGE


def test_the_bundles_keyring_finds_the_secret_service(secret_service, tmp_path):
    """keyring finds its backends through entry points: the bundle must carry its metadata and
    the backends, or passwords could never be kept (``make bundle``; the Debian root has no
    D-Bus session, so this runs the bundle on the host with the tests' Secret Service)."""
    assert (BUNDLE / "govmail-admin").is_file(), f"{BUNDLE} is missing: run make bundle (make test-deb does)"
    env = dict(os.environ, GOVMAIL_HOME=str(tmp_path), LANG="C.UTF-8")
    env.pop("PYTHON_KEYRING_BACKEND", None)
    result = subprocess.run([str(BUNDLE / "govmail-admin"), "--lang", "en", "doctor", "--offline", "--json"],
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    checks = {c["check"]: c for c in json.loads(result.stdout)["checks"]}
    keyring = checks["keyring.usable"]
    assert keyring["status"] == "ok", keyring
    assert "SecretService" in json.dumps(keyring), keyring


def test_the_root_is_unmounted_after_a_failure(tmp_path):
    """A command failing inside the session still leaves nothing mounted."""
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    with pytest.raises(subprocess.CalledProcessError), deb_chroot.ChrootSession(root) as session:
        session.run(["/nonexistent-program"])
    assert deb_chroot._mounts_below(root) == []
