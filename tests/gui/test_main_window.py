"""The main window a user sees first: Thai by default, English on request, switchable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QMessageBox

from govmail_desktop import __version__
from govmail_desktop.core.errors import NetworkError
from govmail_desktop.core.settings import Settings

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

THAI_MENUS = ["ไฟล์(&F)", "แก้ไข(&E)", "มุมมอง(&V)", "จดหมาย(&M)", "วิธีใช้(&H)"]
ENGLISH_MENUS = ["&File", "&Edit", "&View", "&Message", "&Help"]
THAI_FOLDERS = ["กล่องจดหมายเข้า", "ร่างจดหมาย", "จดหมายที่ส่งแล้ว", "ถังขยะ", "จดหมายขยะ"]
ENGLISH_FOLDERS = ["Inbox", "Drafts", "Sent", "Trash", "Junk"]


def menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def folder_names(window) -> list[str]:
    model = window.folder_view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def header_labels(view) -> list[str]:
    model = view.model()
    return [model.headerData(c, view.header().orientation()) for c in range(model.columnCount())]


def test_window_opens_in_thai_by_default(make_main_window):
    w = make_main_window().window

    assert "อีเมลภาครัฐ" in w.windowTitle()
    assert menu_titles(w) == THAI_MENUS
    assert folder_names(w) == THAI_FOLDERS
    assert header_labels(w.folder_view) == ["โฟลเดอร์ (ออฟไลน์)"]
    assert header_labels(w.message_view) == ["เรื่อง", "จาก", "วันที่"]
    assert w.message_view.model().rowCount() == 0
    assert w.message_view.empty_text().startswith("ไม่มีจดหมาย")
    assert w.connection_label.text() == "ออฟไลน์"
    toolbar = [a.text() for a in w.toolbar.actions() if not a.isSeparator() and a.text()]
    assert toolbar == ["รับจดหมาย", "เขียนจดหมาย", "ตอบกลับ", "ตอบกลับทั้งหมด", "ส่งต่อ", "เก็บถาวร", "ลบ"]
    assert w.search_field.placeholderText() == "ค้นหาจดหมายทั้งหมด (Ctrl+K)"  # the search field at the end


def test_mail_actions_are_disabled_until_they_have_work(make_main_window):
    w = make_main_window().window
    assert [a.isEnabled() for a in w.mail_actions] == [False] * 5
    assert not w.add_account_action.isEnabled()  # no setup wizard connected
    assert w.compose_action.shortcut().toString() == "Ctrl+N"
    assert w.quit_action.shortcut().toString() == "Ctrl+Q"


def test_english_setting_gives_english(make_main_window, tmp_path):
    settings = Settings(tmp_path / "settings.json")
    settings.set("ui.language", "en")
    w = make_main_window(settings).window

    assert w.windowTitle() == "GovMail Desktop — government e-mail"
    assert menu_titles(w) == ENGLISH_MENUS
    assert folder_names(w) == ENGLISH_FOLDERS
    assert header_labels(w.message_view) == ["Subject", "From", "Date"]
    assert w.language_actions["en"].isChecked()


def test_language_switch_retranslates_live_and_is_saved(make_main_window, qtbot, tmp_path):
    under = make_main_window()
    w = under.window
    assert w.language_actions["th"].isChecked()

    w.language_actions["en"].trigger()

    qtbot.waitUntil(lambda: menu_titles(w) == ENGLISH_MENUS)
    assert folder_names(w) == ENGLISH_FOLDERS
    assert w.connection_label.text() == "Offline"
    assert w.language_actions["en"].isChecked()
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert saved["settings"]["ui.language"] == "en"
    assert Settings.load(tmp_path / "settings.json").get("ui.language") == "en"


def test_settings_dialog_switches_back_to_thai(make_main_window, qtbot, tmp_path):
    settings = Settings(tmp_path / "settings.json")
    settings.set("ui.language", "en")
    w = make_main_window(settings).window

    w.settings_action.trigger()
    dialog = w.findChild(QComboBox, "languageCombo").window()
    qtbot.waitExposed(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "OK"
    combo = dialog.findChild(QComboBox, "languageCombo")
    combo.setCurrentIndex(combo.findData("th"))
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    qtbot.waitUntil(lambda: menu_titles(w) == THAI_MENUS)
    assert folder_names(w) == THAI_FOLDERS
    assert Settings.load(tmp_path / "settings.json").get("ui.language") == "th"


def test_settings_dialog_buttons_are_thai(make_main_window, qtbot):
    w = make_main_window().window
    w.settings_action.trigger()
    dialog = w.findChild(QComboBox, "languageCombo").window()
    qtbot.waitExposed(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "ตกลง"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "ยกเลิก"
    assert dialog.windowTitle() == "การตั้งค่า"
    buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_preview_pane_toggle_is_saved(make_main_window, tmp_path):
    w = make_main_window().window
    assert w.preview_pane.isVisibleTo(w)

    w.preview_action.trigger()

    assert not w.preview_pane.isVisibleTo(w)
    assert Settings.load(tmp_path / "settings.json").get("mail.preview_pane") is False


def test_about_box_shows_version_and_domestic_server_policy(make_main_window, qtbot):
    w = make_main_window().window
    w.about_action.trigger()
    box = w.findChild(QMessageBox, "aboutBox")
    qtbot.waitExposed(box)

    assert __version__ in box.text()
    assert "มติคณะรัฐมนตรี" in box.text() and "ในประเทศ" in box.text()
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert ok.text() == "ตกลง"
    ok.click()
    qtbot.waitUntil(lambda: not box.isVisible())


def test_errors_appear_in_the_status_bar_without_a_dialog(make_main_window):
    under = make_main_window()
    under.bridge.report_error(NetworkError())

    text = under.window.notice_label.text()
    assert text.startswith("ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้")
    assert under.window.notice_level == "error"
    assert QApplication.activeModalWidget() is None


def test_add_account_hook_opens_the_setup_wizard(make_main_window):
    opened = []
    w = make_main_window(setup_wizard_launcher=opened.append).window

    assert w.add_account_action.isEnabled()
    w.add_account_action.trigger()
    assert opened == [w]


# -- the real start-up path (`python -m govmail_desktop`), in a child process ----------
_STARTUP_PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides

def shown(ctx):
    w = ctx.window
    m = w.folder_view.model()
    print(json.dumps({
        "title": w.windowTitle(),
        "menus": [a.text() for a in w.menuBar().actions()],
        "folders": [m.index(r, 0).data() for r in range(m.rowCount())],
        "font": ctx.app.font().family(),
    }, ensure_ascii=False))
    QTimer.singleShot(0, ctx.app.quit)

settings = Path(sys.argv[1]) if sys.argv[1] != "-" else None
sys.exit(main(sys.argv[2:], AppOverrides(settings_path=settings, on_window_shown=shown)))
"""


def run_app(home: Path, args: list[str], settings: Path | None = None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    proc = subprocess.run(
        [sys.executable, "-c", _STARTUP_PROBE, str(settings) if settings else "-", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.usefixtures("compiled_translations")
def test_startup_in_thai_logs_each_step_and_lang_flag_overrides(tmp_path):
    thai = run_app(tmp_path / "home", [])
    assert thai["menus"] == THAI_MENUS and thai["folders"] == THAI_FOLDERS
    assert thai["font"] == "Sarabun"
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    for step in ("Starting GovMail Desktop", "Settings loaded", "Language: th",
                 "Qt application created", "Registered bundled font Sarabun",
                 "Main window built", "Main window shown", "Shutting down"):
        assert step in log_text, step

    english = run_app(tmp_path / "home", ["--lang", "en"])
    assert english["menus"] == ENGLISH_MENUS and english["folders"] == ENGLISH_FOLDERS

    settings_file = tmp_path / "chosen.json"
    settings = Settings(settings_file)
    settings.set("ui.language", "en")
    settings.save()
    assert run_app(tmp_path / "home", [], settings_file)["menus"] == ENGLISH_MENUS
    # --lang is for this run only: it wins over the setting and does not change it.
    assert run_app(tmp_path / "home", ["--lang", "th"], settings_file)["menus"] == THAI_MENUS
    assert Settings.load(settings_file).get("ui.language") == "en"


def test_without_a_display_the_app_explains_instead_of_aborting(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["GOVMAIL_HOME"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "govmail_desktop"], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "ไม่พบหน้าจอแสดงผล" in proc.stderr and "No display found" in proc.stderr


def test_version_flag_needs_no_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, "-m", "govmail_desktop", "--version"], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"GovMail Desktop {__version__}"


@pytest.mark.parametrize(
    ("env", "plat", "problem"),
    [
        ({}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({}, "win32", False),
    ],
)
def test_display_problem_is_detected_before_qt_aborts(env, plat, problem):
    from govmail_desktop.wiring.command_line import display_problem

    assert (display_problem(env, plat) is not None) is problem


def test_first_run_opens_the_setup_wizard_only_without_accounts(make_main_window):
    from govmail_desktop.wiring.accounts import first_run

    opened = []
    under = make_main_window(setup_wizard_launcher=opened.append)
    first_run(under.settings, under.window, opened.append)
    assert opened == [under.window]


_CRASHING_SLOT_PROBE = """
import sys
from PySide6.QtCore import QTimer
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides

def shown(ctx):
    def broken_slot():
        raise KeyError("folder-counter")
    def report():
        print("NOTICE:" + ctx.window.notice_level + ":" + ctx.window.notice_label.text())
        ctx.app.quit()
    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(100, report)

sys.exit(main([], AppOverrides(on_window_shown=shown)))
"""


@pytest.mark.usefixtures("compiled_translations")
def test_exception_escaping_a_slot_becomes_a_please_report_notice(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-c", _CRASHING_SLOT_PROBE], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    notice = [ln for ln in proc.stdout.splitlines() if ln.startswith("NOTICE:")]
    assert notice == [
        (
            "NOTICE:error:เกิดข้อผิดพลาดที่ไม่คาดคิด รายละเอียดถูกบันทึกไว้ในไฟล์บันทึกการทำงาน (log) แล้ว "
            "กรุณาแจ้งเจ้าหน้าที่ไอทีของหน่วยงาน"
        )
    ]
    log_text = (tmp_path / "log" / "govmail.log").read_text(encoding="utf-8")
    assert "Traceback" in log_text and "broken_slot" in log_text and "folder-counter" in log_text


_ROOT_ORDER_PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides
from govmail_desktop.core.accounts import AccountStore, build_account
from govmail_desktop.core.settings import Settings
from govmail_desktop.ui.tray import MailTray

settings_path = Path(sys.argv[1])
settings = Settings(settings_path)
store = AccountStore(settings)
store.add(build_account("somchai@dwr.mail.go.th"))
store.save()
built = []

def sync_factory(account, cache, queue):
    built.append((account.id, queue is not None))
    return None  # offline: this test connects nowhere

def tray_factory(window, notifications_enabled):
    return MailTray(window, notifications_enabled=notifications_enabled, use_system_tray=False)

def shown(ctx):
    mailbox = ctx.mailboxes.accounts[0]
    print(json.dumps({
        "passwords": type(ctx.passwords).__name__,
        "keyring": ctx.passwords.can_keep,
        "built": built,
        "accounts": [m.account.address for m in ctx.mailboxes.accounts],
        "list_shows_its_model": ctx.window.message_view.model() is mailbox.models.message_model,
        "tray": ctx.mailboxes.tray is not None and not ctx.mailboxes.tray.available,
        "add_account": ctx.window.add_account_action.isEnabled(),
    }))
    QTimer.singleShot(0, ctx.app.quit)

sys.exit(main([], AppOverrides(
    settings_path=settings_path, on_window_shown=shown, sync_factory=sync_factory,
    credential_store_factory=lambda: None, tray_factory=tray_factory,
)))
"""


@pytest.mark.usefixtures("compiled_translations")
def test_the_composition_root_builds_in_order_through_its_seams_and_logs_each_step(tmp_path):
    """app.main builds the parts in a fixed order (policy, settings, language, Qt, the window
    shown and drawn, then passwords, per account its mailbox, the window's controller) and logs
    each step; the seams it takes (sync factory, credential store factory, tray factory) are the
    ones used."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", _ROOT_ORDER_PROBE, str(tmp_path / "settings.json")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    built = json.loads(proc.stdout.strip().splitlines()[-1])
    account_id = built["built"][0][0]
    assert built == {
        "passwords": "PasswordKeeper", "keyring": False, "built": [[account_id, True]],
        "accounts": ["somchai@dwr.mail.go.th"], "list_shows_its_model": True, "tray": True, "add_account": True,
    }
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    steps = [
        "Machine policy", "Settings loaded", "Language: th", "Qt application created", "Registered bundled font",
        "Main window built", "Main window shown", "Main window drawn", "Passwords: session memory only",
        f"Mailbox of account {account_id} opened (offline only)", "Window connected to 1 account(s)",
        "Mailboxes attached: 1 account(s)", "Start-up done", "Shutting down",
    ]
    positions = [log_text.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p == -1]
    assert positions == sorted(positions), steps
