"""``govmail --self-test`` (wiring/self_test.py): what installers and ``make test-deb`` run to
see that the installed app starts to its window with the Thai font and its icons."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import keyring.backends.null
import pytest
from PySide6.QtWidgets import QMainWindow

from govmail_desktop import resources
from govmail_desktop.credentials import CredentialStore
from govmail_desktop.ui import fonts
from govmail_desktop.wiring import self_test

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui


def run_self_test(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "govmail_desktop", "--self-test", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=90,
    )


@pytest.mark.keyring_daemon
@pytest.mark.usefixtures("compiled_translations", "secret_service")
def test_self_test_shows_the_window_finds_sarabun_and_every_icon_in_thai(tmp_path):
    # The Secret Service of the tests is the session's (DBUS_SESSION_BUS_ADDRESS, inherited).
    proc = run_self_test(tmp_path / "home", "--lang", "th")
    assert proc.returncode == self_test.EXIT_OK, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("ทดสอบตัวเอง: แสดงหน้าต่างหลักแล้ว") and "offscreen" in lines[0]
    assert lines[1] == "แบบอักษรของหน้าจอโปรแกรม: Sarabun"
    assert lines[2] == "ข้อความภาษาไทยแสดงด้วยแบบอักษร: Sarabun ตัวอักษรที่แสดงไม่ได้: 0"
    total = len(resources.icon_names())
    assert total > 0 and lines[3] == f"พบไอคอน {total} จาก {total}"
    assert lines[4] == "ที่เก็บรหัสผ่าน (keyring backend): keyring.backends.SecretService.Keyring"
    assert lines[5] == "ประเทศของ 1.0.128.1 (ค้นหาในเครื่องโดยไม่เชื่อมต่อ): TH"
    assert lines[-1] == "ทดสอบตัวเองผ่าน"
    # No account: the setup wizard was not opened, and the run ended by itself.
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    assert "opening the setup wizard" not in log_text and "Main window shown" in log_text


def test_report_fails_without_the_thai_font_and_names_a_missing_icon(qapp, thai_app_font, monkeypatch):
    window = QMainWindow()
    family = thai_app_font
    lines, reasons = self_test.report(qapp, window, family, checks=[])
    assert reasons == [] and lines[1].endswith(fonts.FAMILY)
    # Planted: the font was not registered, and an icon is listed that cannot be drawn.
    monkeypatch.setattr(resources, "icon_names", lambda: ["mail-reply", "no-such-icon"])
    lines, reasons = self_test.report(qapp, window, None, checks=[])
    texts = [r.text("en") for r in reasons]
    assert texts == ["the bundled Thai font (Sarabun) was not found", "icons that cannot be drawn: no-such-icon"]
    assert lines[3].endswith("1 of 2") or lines[3].endswith("1 จาก 2")


# -- the password store and the country lookup (what the Windows smoke start asserts) ---------
@pytest.mark.keyring_daemon
def test_keyring_check_names_the_secret_service_the_app_would_use(secret_service):
    check = self_test.keyring_check(CredentialStore())  # as the composition root builds it
    assert check.reason is None
    assert check.line.endswith(": keyring.backends.SecretService.Keyring")


def test_keyring_check_fails_when_the_run_has_no_password_store():
    check = self_test.keyring_check(None)
    assert check.line.endswith(": -")
    assert check.reason is not None and check.reason.text("en").startswith("passwords cannot be kept")


def test_keyring_check_fails_for_a_backend_that_is_not_the_systems_store():
    # Planted: keyring's "null" backend, which forgets every password.
    check = self_test.keyring_check(CredentialStore(backend=keyring.backends.null.Keyring()))
    assert check.line.endswith(": -")
    assert check.reason is not None
    assert check.reason.text("en").startswith("passwords cannot be kept in the system's password store (")
    assert "keyring.backends.null.Keyring" in check.reason.text("en")


class WinVaultKeyring(keyring.backends.null.Keyring):
    """Stands for keyring's Windows backend (its module and class name) on Linux."""

    persist = "enterprise"


WinVaultKeyring.__module__ = "keyring.backends.Windows"


def test_keyring_check_names_windows_credential_manager_and_writes_for_the_machine():
    backend = WinVaultKeyring()
    check = self_test.keyring_check(CredentialStore(backend=backend))
    assert check.reason is None
    assert check.line.endswith(": keyring.backends.Windows.WinVaultKeyring")
    assert backend.persist == "local machine"


def test_country_check_gives_th_for_the_thai_address_from_the_offline_data():
    check = self_test.country_check()
    assert check.reason is None
    assert self_test.THAI_ADDRESS in check.line and check.line.endswith(": TH")


class _Registry:
    def __init__(self, country: str | None) -> None:
        self.country = country
        self.asked: list[str] = []

    def is_public(self, ip) -> bool:
        return True

    def country_of(self, ip) -> str | None:
        self.asked.append(str(ip))
        return self.country


@pytest.mark.parametrize("country", ["US", None])
def test_country_check_fails_when_the_lookup_does_not_say_th(country):
    registry = _Registry(country)
    check = self_test.country_check(registry)
    assert registry.asked == [str(ipaddress.ip_address(self_test.THAI_ADDRESS))]
    assert check.reason is not None
    assert check.reason.text("en") == f"the offline country lookup gives {country or '-'} for a Thai address, not TH"


def test_report_lists_the_checks_after_the_icons_and_fails_with_their_reasons(qapp, thai_app_font):
    window = QMainWindow()
    planted = self_test.Check("Country of 1.0.128.1 (offline lookup): US", self_test.WRONG_COUNTRY.format(
        country="US", expected="TH"))
    lines, reasons = self_test.report(qapp, window, thai_app_font, checks=[self_test.Check("a line"), planted])
    assert lines[4:] == ["a line", planted.line]
    assert reasons == [planted.reason]
