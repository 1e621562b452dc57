"""The tray: unread count in the tooltip and on the icon, new-mail notifications, raising the window.

The offscreen test platform has no system tray, so no QSystemTrayIcon is
created (it would only warn); the tray object keeps the same state and emits
``notified``, which is what these tests check, and the status bar gets the
notice instead.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from govmail_desktop.core.entities import Address
from govmail_desktop.ui import icons
from govmail_desktop.ui.tray import badge_icon
from tests.gui.mailbox_helpers import open_mailbox, row_of, select_uid  # noqa: F401
from tests.unit.store.factories import summary


def test_tooltip_and_icon_show_the_inbox_unread_count(open_mailbox, qtbot):
    m = open_mailbox(30)
    tray = m.mailboxes.tray
    assert not tray.available  # offscreen: no system tray
    assert tray.unread == 15
    assert tray.tooltip() == "GovMail Desktop — ยังไม่ได้อ่าน 15 ฉบับ"
    plain = badge_icon(icons.icon(icons.APP_ICON), 0).pixmap(64, 64).toImage()
    assert tray.icon().pixmap(64, 64).toImage() != plain  # the count is drawn on the icon
    select_uid(m.window, 30)
    m.window.toggle_read_action.trigger()
    qtbot.waitUntil(lambda: tray.unread == 14)
    assert tray.tooltip() == "GovMail Desktop — ยังไม่ได้อ่าน 14 ฉบับ"


def test_new_mail_is_shown_and_notified_with_sender_and_subject(open_mailbox, qtbot):
    m = open_mailbox(10)
    tray = m.mailboxes.tray
    new = summary(12, from_=(Address("สมชาย ใจดี", "somchai@agency.go.th"),), subject="ประชุมด่วน")
    with qtbot.waitSignal(tray.notified) as notified:
        m.sync.deliver_new_mail(m.inbox, [new])
    title, text = notified.args
    assert title == "จดหมายใหม่ 1 ฉบับ"
    # ‹ › instead of < >: notification servers may read markup (tests/gui/test_plain_text.py).
    assert text == "สมชาย ใจดี ‹somchai@agency.go.th›: ประชุมด่วน"
    assert row_of(m.window, 12) == 0  # on top of the list at once
    qtbot.waitUntil(lambda: tray.unread == 6)  # 12 is unread
    # No system tray here: the status bar says it instead.
    assert m.window.notice_label.text() == "จดหมายใหม่ 1 ฉบับ"


def test_no_notification_when_the_setting_is_off(open_mailbox, qtbot):
    m = open_mailbox(10)
    m.settings.set("notify.new_mail", False)
    with qtbot.assertNotEmitted(m.mailboxes.tray.notified):
        m.sync.deliver_new_mail(m.inbox, [summary(11)])
        qtbot.waitUntil(lambda: row_of(m.window, 11) == 0)


def test_several_new_messages_are_summed_up(open_mailbox, qtbot):
    m = open_mailbox(10)
    with qtbot.waitSignal(m.mailboxes.tray.notified) as notified:
        m.sync.deliver_new_mail(m.inbox, [summary(u) for u in range(11, 16)])
    title, text = notified.args
    assert title == "จดหมายใหม่ 5 ฉบับ"
    assert text.splitlines()[-1] == "และอีก 2 ฉบับ" and len(text.splitlines()) == 4


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|propagateSizeHints\(\))")
def test_clicking_the_tray_raises_the_window(open_mailbox, qtbot):
    m = open_mailbox(3)
    m.window.hide()
    m.mailboxes.tray.activated.emit()
    qtbot.waitUntil(m.window.isVisible)
    assert m.window.windowState() & Qt.WindowState.WindowMinimized == Qt.WindowState.WindowNoState
