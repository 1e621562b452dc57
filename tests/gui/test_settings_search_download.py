"""Edit → Settings: "Download messages for offline search from the last: N days"
(``search.download_days``). The user's choice is saved and the accounts' downloads start again;
the policy's lock is shown read-only with the usual reason, its cap bounds the choice, and a
cap of 0 shows the download as not allowed."""

from __future__ import annotations

import pytest

from govmail_desktop.core.settings import Settings
from tests.gui.mailbox_helpers import open_settings

pytestmark = pytest.mark.gui


class DownloadRecorder:
    """An account's search download as the settings see it: told when the days change."""

    def __init__(self) -> None:
        self.changes = 0

    def settings_changed(self) -> None:
        self.changes += 1


class AccountStandIn:
    def __init__(self) -> None:
        self.sync = type("Sync", (), {})()
        self.sync.body_downloader = DownloadRecorder()


@pytest.fixture
def window_with(make_main_window, tmp_path):
    from govmail_desktop.wiring.mailboxes import attach_mailboxes
    from tests.gui.mailbox_helpers import offscreen_tray

    def make(settings: Settings, cap: int | None = None):
        under = make_main_window(settings)
        mailboxes = attach_mailboxes(under.window, settings, under.bridge, [], tray_factory=offscreen_tray)
        mailboxes.search_download_cap = cap
        account = AccountStandIn()
        mailboxes.accounts.append(account)
        return under.window, account.sync.body_downloader

    return make


def test_the_days_are_shown_changed_saved_and_the_download_told(window_with, qtbot, tmp_path):
    path = tmp_path / "settings.json"
    window, download = window_with(Settings(path))
    dialog = open_settings(window, qtbot)
    spin = dialog.search_download_spin
    assert spin.isEnabled() and spin.value() == 30 and spin.maximum() == 3650
    assert "ค้นหาแบบออฟไลน์" in dialog._search_download_label.text()
    assert spin.text() == "30 วัน"
    assert "จดหมายขยะและถังขยะ" in spin.toolTip() and "นโยบาย" not in spin.toolTip()
    spin.setValue(0)
    assert spin.text() == "ปิด"
    spin.setValue(7)
    dialog.accept()
    assert Settings.load(path).search_download_days == 7
    assert download.changes == 1

    dialog = open_settings(window, qtbot)
    assert dialog.search_download_spin.value() == 7, "the dialog shows the choice kept"
    dialog.search_download_spin.setValue(90)
    dialog.reject()
    assert Settings.load(path).search_download_days == 7 and download.changes == 1, "Cancel changes nothing"
    dialog = open_settings(window, qtbot)
    dialog.accept()
    assert download.changes == 1, "OK without a change starts nothing again"


def test_a_locked_setting_is_shown_read_only_with_the_reason(window_with, qtbot, tmp_path):
    path = tmp_path / "settings.json"
    window, download = window_with(Settings(path, locked={"search.download_days": 0}))
    dialog = open_settings(window, qtbot)
    spin = dialog.search_download_spin
    assert not spin.isEnabled() and spin.value() == 0 and spin.text() == "ปิด"
    assert spin.toolTip() == "กำหนดโดยนโยบายของหน่วยงาน"
    spin.setValue(30)  # even if it could be changed somehow, OK saves nothing
    dialog.accept()
    assert not path.exists() or "search.download_days" not in path.read_text(encoding="utf-8")
    assert download.changes == 0


def test_the_policys_cap_bounds_the_choice_and_says_so(window_with, qtbot, tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings(path)
    settings.set(Settings.search_download_days, 90)
    window, download = window_with(settings, cap=14)
    dialog = open_settings(window, qtbot)
    spin = dialog.search_download_spin
    assert spin.isEnabled() and spin.maximum() == 14 and spin.value() == 14  # the days in force
    assert "ไม่เกิน 14 วัน" in spin.toolTip()
    spin.setValue(10)
    dialog.accept()
    assert Settings.load(path).search_download_days == 10 and download.changes == 1


def test_a_cap_of_zero_shows_the_download_as_not_allowed(window_with, qtbot, tmp_path):
    path = tmp_path / "settings.json"
    window, download = window_with(Settings(path), cap=0)
    dialog = open_settings(window, qtbot)
    spin = dialog.search_download_spin
    assert not spin.isEnabled() and spin.text() == "ปิด"
    assert spin.toolTip() == "นโยบายของหน่วยงานไม่อนุญาตให้ดาวน์โหลดจดหมายไว้สำหรับค้นหา"
    dialog.accept()
    assert download.changes == 0 and not path.exists()
