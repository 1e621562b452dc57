"""The mailbox window over a real (temporary) cache: folders, list, sorting, keys, preview.

No network: the sync service is a fake that records what the window asks for
(``tests/gui/mailbox_helpers.py``); the cache is filled as an earlier session
would have left it, so everything shown comes from it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from govmail_desktop.core.entities import Address, Flag, Folder
from govmail_desktop.models.folder_tree import FolderIdRole
from govmail_desktop.models.message_list import Column
from govmail_desktop.models.message_roles import UidRole
from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.services.mailbox_types import (
    PREVIEW_LOADING,
    PREVIEW_READY,
    PREVIEW_UNAVAILABLE,
    STATE_CONNECTING,
    STATE_OFFLINE,
    STATE_ONLINE,
    STATE_SYNCING,
)
from govmail_desktop.store.message_rows import SortKey
from tests.gui.mailbox_helpers import DATA, open_mailbox, row_of, select_rows, select_uid, shown_uids  # noqa: F401
from tests.unit.store.factories import summary


def tree_labels(window) -> list[str]:
    model = window.folder_view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def folder_index(window, folder_id: int):
    return window.folder_view.model().index_for_folder(folder_id)


def click_folder(window, folder_id: int) -> None:
    view = window.folder_view
    index = folder_index(window, folder_id)
    view.scrollTo(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


# ---------------------------------------------------------------- folders and the list


def test_cached_mail_shows_at_once_without_network(open_mailbox, qtmodeltester):
    m = open_mailbox(300)
    w = m.window
    assert tree_labels(w)[:6] == [
        "กล่องจดหมายเข้า (150)", "ร่างจดหมาย", "จดหมายที่ส่งแล้ว", "เก็บถาวร", "จดหมายขยะ", "ถังขยะ",
    ]
    assert w.folder_view.currentIndex().data(FolderIdRole) == m.inbox  # the Inbox is open
    assert w.message_view.model().rowCount() == 300
    assert shown_uids(w)[:3] == [300, 299, 298]  # newest first
    headers = [w.message_view.model().headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == ["", "เรื่อง", "จาก", "วันที่", "ขนาด"]
    assert m.sync.started and m.sync.sync_requests == [m.inbox]
    assert w.connection_label.text() == "ออฟไลน์"
    qtmodeltester.check(m.models.message_model)
    qtmodeltester.check(m.models.folder_model)


def test_unread_rows_are_bold_with_flag_and_attachment_marks(open_mailbox):
    m = open_mailbox(40)
    model = m.window.message_view.model()
    row = row_of(m.window, 35)  # flagged (÷7), attachment (÷5), read (odd)
    assert model.index(row, Column.MARKS).data() == "⚑📎"
    assert model.index(row, Column.SUBJECT).data(Qt.ItemDataRole.FontRole) is None
    unread = row_of(m.window, 34)
    assert model.index(unread, Column.SUBJECT).data(Qt.ItemDataRole.FontRole).bold()
    assert "พ.ย." in model.index(unread, Column.DATE).data()  # Thai month (Buddhist era when not this year)
    assert "พ.ศ. 2569" in model.index(unread, Column.DATE).data(Qt.ItemDataRole.ToolTipRole)


def test_selecting_a_folder_shows_its_messages_and_asks_for_a_sync(open_mailbox, qtbot):
    def more(cache):
        sent = cache.folder_id("Sent")
        cache.insert_summaries(sent, [summary(u, subject=f"ส่งแล้ว {u}") for u in range(1, 8)])

    m = open_mailbox(50, fill_cache=more)
    sent = m.cache.folder_id("Sent")
    click_folder(m.window, sent)
    qtbot.waitUntil(lambda: m.window.message_view.model().rowCount() == 7)
    assert m.service.current_folder_id == sent
    assert m.sync.sync_requests[-1] == sent
    assert m.window.message_view.model().index(0, Column.SUBJECT).data() == "ส่งแล้ว 7"
    # Keyboard: Up/Down in the folder tree changes the folder too.
    m.window.folder_view.setFocus()
    QTest.keyClick(m.window.folder_view, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: m.service.current_folder_id == m.inbox)
    assert m.window.message_view.model().rowCount() == 50


def click_header(window, column: int) -> None:
    header = window.message_view.header()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_clicking_column_headers_sorts_by_the_cache_indexes(open_mailbox, qtbot):
    m = open_mailbox(120)
    w = m.window
    header = w.message_view.header()
    assert header.sortIndicatorSection() == Column.DATE
    select_uid(w, 77)
    for column, key in ((Column.SUBJECT, SortKey.SUBJECT), (Column.FROM, SortKey.SENDER), (Column.SIZE, SortKey.SIZE)):
        click_header(w, column)
        model = w.message_view.model()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert model.sort_key == key and model.descending == descending
        assert shown_uids(w) == [r.uid for r in m.cache.page(m.inbox, key, descending, 0, 200)]
        click_header(w, column)  # the second click reverses
        assert w.message_view.model().descending != descending
        # the selected message stays selected
        current = w.message_view.currentIndex()
        assert current.data(UidRole) == 77
    click_header(w, Column.DATE)
    click_header(w, Column.DATE)
    assert shown_uids(w)[0] == 120 and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_conversation_view_is_built_off_the_gui_thread_and_saved(open_mailbox, qtbot):
    def thread(cache):
        inbox = cache.folder_id("INBOX")
        cache.insert_summaries(inbox, [
            summary(1001, message_id="<root@x>", subject="งบประมาณ"),
            summary(
                1002, message_id="<r1@x>", in_reply_to="<root@x>", references=("<root@x>",), subject="Re: งบประมาณ"
            ),
        ])

    m = open_mailbox(5, fill_cache=thread)
    m.window.threading_action.trigger()
    model = m.models.message_model
    qtbot.waitUntil(lambda: model.threaded and not model.building and model.rowCount() == 7)
    uids = shown_uids(m.window)
    assert uids.index(1002) == uids.index(1001) + 1  # the reply sits under its root
    assert m.settings.get("mail.threading") is True
    m.window.threading_action.trigger()
    qtbot.waitUntil(lambda: not m.models.message_model.threaded)
    assert shown_uids(m.window)[:2] == [1002, 1001]


# ---------------------------------------------------------------- keyboard


def test_keyboard_moves_through_the_list_and_between_panes(open_mailbox, qtbot):
    m = open_mailbox(300)
    w = m.window
    view = w.message_view
    with qtbot.waitActive(w):
        w.activateWindow()
    w.focus_messages_action.trigger()  # Ctrl+2
    assert QApplication.focusWidget() is view
    select_rows(w, [0])
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    QTest.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == 299
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().row() == 0
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    assert view.currentIndex().row() > 1
    assert view.selectionModel().isSelected(view.currentIndex())
    qtbot.waitUntil(w.preview_view.isVisible)  # the preview of the current message is shown
    # Tab goes on to the message text, Shift+Tab back, and once more back to the folders.
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is w.preview_view.body
    QTest.keyClick(w.preview_view.body, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is view
    QTest.keyClick(view, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is w.folder_view
    # Ctrl+1 / Ctrl+2 / Ctrl+3 jump straight to a pane.
    for key, widget in ((Qt.Key.Key_3, w.preview_view.body), (Qt.Key.Key_1, w.folder_view), (Qt.Key.Key_2, view)):
        QTest.keyClick(w, key, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is widget, key
    shortcuts = {a.objectName(): a.shortcut().toString() for a in w.message_actions}
    assert shortcuts == {
        "toggleReadAction": "M", "toggleFlagAction": "S", "archiveAction": "A", "moveAction": "Ctrl+Shift+V",
        "deleteAction": "Del", "deletePermanentlyAction": "Shift+Del",
    }


# ---------------------------------------------------------------- preview


def with_sample_body(uid: int, file: str, **fields):
    def add(cache):
        inbox = cache.folder_id("INBOX")
        cache.insert_summaries(inbox, [summary(uid, **fields)])
        cache.put_part(inbox, uid, "", (DATA / file).read_bytes())
    return add


def test_preview_shows_tis620_thai_and_the_sender_address_beside_the_name(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=with_sample_body(
        500, "03-tis620-8bit.eml", subject="รายงานผลการดำเนินงานประจำไตรมาสที่ ๑",
        from_=(Address("วิไลวรรณ ทองดี", "wilaiwan.t@agency.mail.go.th"),),
    ))
    w = m.window
    assert w.preview_placeholder.isVisible() and not w.preview_view.isVisible()
    select_uid(w, 500)
    qtbot.waitUntil(lambda: w.preview_view.state == PREVIEW_READY)
    assert w.preview_view.isVisible() and not w.preview_placeholder.isVisible()
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙" in w.preview_view.body.toPlainText()
    assert w.preview_view.from_label.text() == "วิไลวรรณ ทองดี <wilaiwan.t@agency.mail.go.th>"
    assert w.preview_view.subject_label.text() == "รายงานผลการดำเนินงานประจำไตรมาสที่ ๑"
    assert "พ.ศ. 2569" in w.preview_view.date_label.text()  # Thai Buddhist-era date
    assert w.preview_view.body.isReadOnly()
    assert not w.preview_view.warning_label.isVisible()


def test_a_spoofed_sender_is_shown_with_its_real_address_and_a_warning(open_mailbox, qtbot):
    def spoof(cache):
        inbox = cache.folder_id("INBOX")
        cache.insert_summaries(inbox, [summary(600)])
        cache.put_part(inbox, 600, "", b'From: "admin@agency.go.th" <x@evil.example>\nSubject: x\n\nbody\n')

    m = open_mailbox(5, fill_cache=spoof)
    select_uid(m.window, 600)
    qtbot.waitUntil(lambda: m.window.preview_view.state == PREVIEW_READY)
    assert m.window.preview_view.from_label.text() == "admin@agency.go.th <x@evil.example>"
    assert m.window.preview_view.warning_label.isVisibleTo(m.window)
    assert "ปลอม" in m.window.preview_view.warning_label.text()


def test_dangerous_attachments_are_listed_with_a_warning(open_mailbox, qtbot):
    m = open_mailbox(5, fill_cache=with_sample_body(700, "09-dangerous-attachments.eml"))
    select_uid(m.window, 700)
    qtbot.waitUntil(lambda: m.window.preview_view.state == PREVIEW_READY)
    text = m.window.preview_view.attachment_panel.summary_text()
    assert "setup.exe" in text and "⚠ หนังสือ.pdf.exe" in text and "รายงาน<U+202E>fdp.exe" in text


def test_a_body_not_cached_is_requested_and_shown_when_it_arrives(open_mailbox, qtbot):
    m = open_mailbox(20, mark_read_on_view=True)
    w = m.window
    m.service._on_connection_state(STATE_ONLINE)
    select_uid(w, 18)  # unread, no body cached
    qtbot.waitUntil(lambda: w.preview_view.state == PREVIEW_LOADING)
    assert w.preview_view.body.toPlainText() == "กำลังโหลด…"
    assert w.preview_view.subject_label.text() == m.cache.summary(m.inbox, 18).subject  # headers from the cache
    assert m.sync.body_requests == [(m.inbox, 18)]
    assert m.sync.applied == []  # not marked read before it was shown
    m.sync.deliver_body(m.inbox, 18, (DATA / "01-utf8-qp.eml").read_bytes())
    qtbot.waitUntil(lambda: w.preview_view.state == PREVIEW_READY)
    assert "ห้องประชุม ๓๐๑ ชั้น ๓" in w.preview_view.body.toPlainText()
    # Shown → marked read, at once in the list and then sent to the server.
    qtbot.waitUntil(lambda: len(m.sync.applied) == 1)
    assert m.sync.applied[0].add_flags == {Flag.SEEN} and m.sync.applied[0].uids == (18,)
    assert w.message_view.model().index(row_of(w, 18), Column.SUBJECT).data(Qt.ItemDataRole.FontRole) is None


def test_offline_without_a_cached_body_says_so(open_mailbox, qtbot):
    m = open_mailbox(5)
    select_uid(m.window, 4)
    qtbot.waitUntil(lambda: m.window.preview_view.state == PREVIEW_UNAVAILABLE)
    assert "ยังไม่ได้ดาวน์โหลด" in m.window.preview_view.body.toPlainText()
    assert m.sync.body_requests == []
    m.service._on_connection_state(STATE_CONNECTING)  # the connection comes back: it is fetched
    qtbot.waitUntil(lambda: m.sync.body_requests == [(m.inbox, 4)])


# ---------------------------------------------------------------- status bar


def test_status_bar_shows_connection_state_and_sync_progress_with_cancel(open_mailbox, qtbot):
    m = open_mailbox(5)
    w = m.window
    for state, text in ((STATE_CONNECTING, "กำลังเชื่อมต่อ…"), (STATE_SYNCING, "กำลังซิงค์ข้อมูล…"),
                        (STATE_ONLINE, "เชื่อมต่อแล้ว"), (STATE_OFFLINE, "ออฟไลน์")):
        m.sync.connection_state.emit(state)
        assert w.connection_label.text() == text
    assert not w.sync_progress.isVisible()
    m.sync.progress.emit("กำลังซิงค์ กล่องจดหมายเข้า", 1200, 5000)
    assert w.sync_progress.isVisible()
    assert w.sync_progress.label.text() == "กำลังซิงค์ กล่องจดหมายเข้า 1,200/5,000"
    assert w.sync_progress.bar.maximum() == 5000 and w.sync_progress.bar.value() == 1200
    assert w.sync_progress.cancel_button.text() == "ยกเลิก"
    QTest.mouseClick(w.sync_progress.cancel_button, Qt.MouseButton.LeftButton)
    assert m.sync.cancels == 1
    m.sync.progress.emit("", 0, 0)
    assert not w.sync_progress.isVisible()


@pytest.mark.parametrize(
    "lang, text",
    [
        ("th", "อ่านจดหมาย 3 ฉบับในโฟลเดอร์ กล่องจดหมายเข้า จากเซิร์ฟเวอร์ไม่ได้ จึงไม่แสดงในรายการ"),
        ("en", "3 messages in Inbox could not be read from the server; they are not shown."),
    ],
)
def test_messages_the_server_could_not_give_are_said_in_the_status_bar(open_mailbox, qtbot, lang, text):
    m = open_mailbox(5, lang=lang)
    m.sync.messages_unreadable.emit(m.inbox, 3)
    qtbot.waitUntil(lambda: m.window.notice_label.text() == text)
    assert m.window.notice_level == "warning" and m.window.notice_label.textFormat() == Qt.TextFormat.PlainText


def test_new_folders_from_the_server_appear_in_the_tree(open_mailbox, qtbot):
    m = open_mailbox(5)
    m.cache.upsert_folders([Folder("โครงการใหม่", "/")], remove_missing=False)
    m.sync.folders_changed.emit()
    qtbot.waitUntil(lambda: "โครงการใหม่" in tree_labels(m.window))
    # still on the Inbox, highlighted in the new tree
    qtbot.waitUntil(lambda: m.window.folder_view.currentIndex().data(FolderIdRole) == m.inbox)
    assert m.service.current_folder_id == m.inbox


# ---------------------------------------------------------------- language and accounts


def test_switching_to_english_retranslates_folders_list_preview_and_status(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=with_sample_body(
        500, "03-tis620-8bit.eml", from_=(Address("วิไลวรรณ ทองดี", "wilaiwan.t@agency.mail.go.th"),),
    ))
    w = m.window
    select_uid(w, 500)
    qtbot.waitUntil(lambda: w.preview_view.state == PREVIEW_READY)
    w.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: w.preview_view.from_caption.text() == "From:")  # widgets got LanguageChange
    assert tree_labels(w)[0] == "Inbox (6)"
    model = w.message_view.model()
    assert model.headerData(Column.SUBJECT, Qt.Orientation.Horizontal) == "Subject"
    assert "B.E." not in w.preview_view.date_label.text() and "2026" in w.preview_view.date_label.text()
    assert w.connection_label.text() == "Offline"
    assert w.toggle_read_action.text() in ("Mark as Read", "Mark as Unread")
    assert w.refresh_action.text() == "Get Messages"


def test_two_accounts_are_offered_and_each_shows_its_own_folders(make_main_window, qtbot):
    from types import SimpleNamespace

    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.wiring.mailboxes import attach_mailboxes
    from tests.gui.mailbox_helpers import offscreen_tray
    from tests.unit.store.factories import fill

    accounts = [
        SimpleNamespace(id="first", address="alice@agency.go.th", display_name="อลิสา"),
        SimpleNamespace(id="second", address="bob@agency.go.th", display_name="บ็อบ"),
    ]
    for account, count in zip(accounts, (4, 9), strict=True):
        cache = MailCache.for_account(account.id)
        fill(cache, count=count)
        cache.close()
    under = make_main_window()
    mailboxes = attach_mailboxes(under.window, under.settings, under.bridge, accounts,
                                 sync_factory=None, tray_factory=offscreen_tray)
    try:
        w = under.window
        combo = w.account_combo
        assert combo.isVisibleTo(w) and combo.count() == 2
        assert combo.itemText(1) == "บ็อบ <bob@agency.go.th>"
        assert w.message_view.model().rowCount() == 4
        combo.setCurrentIndex(1)
        second = mailboxes.accounts[1].models
        qtbot.waitUntil(lambda: w.message_view.model() is second.message_model)
        assert w.message_view.model().rowCount() == 9
        assert w.folder_view.model() is second.folder_model
        assert mailboxes.tray.unread == 2 + 4  # both Inboxes
    finally:
        mailboxes.shutdown()


def test_the_composition_root_opens_configured_accounts_and_accounts_added_later(make_main_window, qtbot):
    """app.open_mailboxes: accounts from the settings (AccountStore), offline from the cache,
    closed at shutdown; and an account the setup wizard saves later joins the window."""
    from govmail_desktop.core.accounts import Account, AccountStore, ServerSettings
    from govmail_desktop.core.paths import AppPaths
    from govmail_desktop.policy.sources import load_policy_file
    from govmail_desktop.services.account_setup import PasswordKeeper
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.wiring.accounts import account_saved_handler
    from govmail_desktop.wiring.context import AppContext, AppOverrides
    from govmail_desktop.wiring.mailboxes import open_mailboxes
    from tests.gui.mailbox_helpers import FakeSync, offscreen_tray
    from tests.servers.fake_net import TEST_POLICY_FILE
    from tests.unit.store.factories import fill

    def account(account_id: str, user: str) -> Account:
        return Account(
            id=account_id, address=f"{user}@agency.go.th", display_name=user, login=user,
            imap=ServerSettings("mail.agency.go.th", 993, "tls"), smtp=ServerSettings("mail.agency.go.th", 465, "tls"),
        )

    under = make_main_window()
    store = AccountStore(under.settings)
    store.add(account("first", "somchai"))
    cache = MailCache.for_account("first")
    fill(cache, count=6)
    cache.close()
    fakes = []

    def factory(_account, account_cache, _queue):
        fakes.append(FakeSync(account_cache))
        return fakes[-1]

    ctx = AppContext(paths=AppPaths.default(), settings=under.settings, app=QApplication.instance(),
                     language=under.language, bridge=under.bridge, policy=load_policy_file(TEST_POLICY_FILE),
                     passwords=PasswordKeeper(None), window=under.window)
    mailboxes = open_mailboxes(ctx, AppOverrides(sync_factory=factory, tray_factory=offscreen_tray))
    try:
        w = under.window
        assert w.message_view.model().rowCount() == 6 and fakes[0].started
        assert ctx.shutdown_hooks[0] == mailboxes.shutdown  # then what is joined to the preview
        assert w.preview_view.attachment_panel.source_for is not None
        account_saved_handler(mailboxes)(account("second", "wilai"))  # what the setup wizard's "saved" does
        assert w.account_combo.count() == 2 and w.account_combo.isVisibleTo(w)
        assert len(fakes) == 2 and fakes[1].started
    finally:
        mailboxes.shutdown()


def test_every_folder_is_checked_periodically_and_not_when_turned_off(open_mailbox, qtbot):
    m = open_mailbox(5)
    service = m.service
    before = len(m.sync.sync_requests)
    service.set_check_interval(0.0005)  # 30 ms, for the test
    qtbot.waitUntil(lambda: len(m.sync.sync_requests) >= before + 2, timeout=5000)
    service.set_check_interval(0)
    settled = len(m.sync.sync_requests)
    qtbot.wait(120)
    assert len(m.sync.sync_requests) == settled


def test_the_check_interval_comes_from_the_settings(open_mailbox):
    m = open_mailbox(5)
    timer = m.service._check_timer
    assert timer.isActive() and timer.interval() == 10 * 60_000


def _open_settings(window, qtbot):
    from PySide6.QtWidgets import QSpinBox

    # An earlier dialog is deleted on close, a turn of the event loop later.
    qtbot.waitUntil(lambda: window.findChild(QSpinBox, "checkMinutesSpin") is None)
    window.settings_action.trigger()
    spin = window.findChild(QSpinBox, "checkMinutesSpin")
    qtbot.waitUntil(lambda: spin.window().isVisible())
    return spin.window(), spin


def test_settings_change_how_often_folders_are_checked_and_notifications(open_mailbox, qtbot, tmp_path):
    from PySide6.QtWidgets import QCheckBox, QDialogButtonBox

    from govmail_desktop.core.settings import Settings

    settings = Settings(tmp_path / "settings.json")
    settings.set("sync.check_minutes", 10)
    mw = open_mailbox(20, settings=settings)
    timer = mw.service._check_timer  # the schedule the setting drives
    assert timer.isActive() and timer.interval() == 10 * 60_000

    dialog, spin = _open_settings(mw.window, qtbot)
    notify = dialog.findChild(QCheckBox, "notifyNewMailBox")
    assert spin.value() == 10 and spin.suffix() == " นาที" and spin.specialValueText() == "เฉพาะเมื่อสั่ง (F5)"
    assert notify.isChecked() and notify.text() == "แสดงการแจ้งเตือนเมื่อมีจดหมายใหม่(&N)"
    spin.setValue(3)
    notify.setChecked(False)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: timer.interval() == 3 * 60_000)
    saved = Settings.load(tmp_path / "settings.json")
    assert saved.get("sync.check_minutes") == 3 and saved.get("notify.new_mail") is False

    dialog, spin = _open_settings(mw.window, qtbot)
    spin.setValue(0)  # only when asked
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not timer.isActive())
    assert Settings.load(tmp_path / "settings.json").get("sync.check_minutes") == 0


def test_settings_locked_by_the_policy_cannot_be_changed(open_mailbox, qtbot, tmp_path):
    from PySide6.QtWidgets import QCheckBox, QDialogButtonBox

    from govmail_desktop.core.settings import Settings

    settings = Settings(tmp_path / "settings.json", locked={"sync.check_minutes": 5})
    mw = open_mailbox(20, settings=settings)
    dialog, spin = _open_settings(mw.window, qtbot)
    assert spin.value() == 5 and not spin.isEnabled() and spin.toolTip() == "กำหนดโดยนโยบายของหน่วยงาน"
    assert dialog.findChild(QCheckBox, "notifyNewMailBox").isEnabled()
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
    assert mw.service._check_timer.interval() == 5 * 60_000


def test_sent_and_drafts_show_the_recipients_instead_of_the_sender(open_mailbox, qtbot):
    from govmail_desktop.core.entities import Address

    def add_sent(cache):
        sent = cache.folder_id("Sent")
        cache.insert_summaries(sent, [
            summary(1, to=(Address("กองคลัง", "finance@agency.go.th"), Address("", "hr@agency.go.th"))),
            summary(2, to=()),
        ])

    m = open_mailbox(10, fill_cache=add_sent)
    w = m.window
    model = w.message_view.model()
    assert model.headerData(Column.FROM, Qt.Orientation.Horizontal) == "จาก"
    click_folder(w, m.cache.folder_id("Sent"))
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert model.shows_recipients
    assert model.headerData(Column.FROM, Qt.Orientation.Horizontal) == "ถึง"
    by_uid = {model.index(r, 0).data(UidRole): r for r in range(2)}
    first = model.index(by_uid[1], Column.FROM)
    assert first.data() == "กองคลัง, hr@agency.go.th"
    assert first.data(Qt.ItemDataRole.ToolTipRole) == plain_tooltip("กองคลัง <finance@agency.go.th>, hr@agency.go.th")
    assert model.index(by_uid[2], Column.FROM).data() == "(ไม่มีผู้รับ)"
    click_folder(w, m.inbox)
    qtbot.waitUntil(lambda: model.rowCount() == 10)
    assert not model.shows_recipients and model.headerData(Column.FROM, Qt.Orientation.Horizontal) == "จาก"


def test_folders_have_icons_by_their_special_use(open_mailbox):
    from govmail_desktop.models.folder_tree import FolderNameRole
    from govmail_desktop.ui import icons

    m = open_mailbox(5)
    model = m.window.folder_view.model()
    expected = {"INBOX": "folder-inbox", "Drafts": "folder-drafts", "Sent": "folder-sent", "Trash": "folder-trash",
                "Junk": "folder-junk", "Archive": "mail-archive", "โครงการ": "folder"}
    found = {}
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        found[index.data(FolderNameRole)] = index.data(Qt.ItemDataRole.DecorationRole)
    for name, icon_name in expected.items():
        icon = found[name]
        assert not icon.isNull() and icon.cacheKey() == icons.icon(icon_name).cacheKey(), name
