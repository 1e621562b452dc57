"""User actions: shown at once, then confirmed — or rolled back with a plain error — when the server answers.

The sync service is a fake (``tests/gui/mailbox_helpers.FakeSync``) because a
real server cannot be told to refuse a STORE or a MOVE on demand; the cache
and the models are the real ones, and qtmodeltester watches the list while
rows change, disappear and come back.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from govmail_desktop.core.entities import Flag, FlagBits
from govmail_desktop.core.errors import NetworkError, ServerError
from govmail_desktop.models.message_list import Column
from govmail_desktop.services.mailbox_types import CANCELLED, DONE, FAILED
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from tests.gui.mailbox_helpers import open_mailbox, row_of, select_rows, select_uid, shown_uids  # noqa: F401


def bold(window, uid: int) -> bool:
    model = window.message_view.model()
    font = model.index(row_of(window, uid), Column.SUBJECT).data(Qt.ItemDataRole.FontRole)
    return bool(font is not None and font.bold())


def marks(window, uid: int) -> str:
    model = window.message_view.model()
    return model.index(row_of(window, uid), Column.MARKS).data()


def press(window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.message_view, key, modifier)


# ---------------------------------------------------------------- enabling


def test_message_actions_follow_the_selection_and_say_what_they_will_do(open_mailbox):
    m = open_mailbox(20)
    w = m.window
    assert not any(a.isEnabled() for a in w.message_actions)
    select_uid(w, 20)  # unread, not flagged
    assert all(a.isEnabled() for a in w.message_actions)
    assert w.toggle_read_action.text() == "ทำเครื่องหมายว่าอ่านแล้ว"
    assert w.toggle_flag_action.text() == "ติดธง"
    select_uid(w, 7)  # read and flagged
    assert w.toggle_read_action.text() == "ทำเครื่องหมายว่ายังไม่ได้อ่าน"
    assert w.toggle_flag_action.text() == "เอาธงออก"
    w.message_view.selectionModel().clearSelection()
    assert not any(a.isEnabled() for a in w.message_actions)
    assert [a.isEnabled() for a in w.mail_actions][:4] == [False] * 4  # composer: a later issue


# ---------------------------------------------------------------- flags


def test_mark_read_shows_at_once_and_stays_when_the_server_agrees(open_mailbox, qtbot, qtmodeltester):
    m = open_mailbox(30)
    w = m.window
    qtmodeltester.check(m.models.message_model)
    assert bold(w, 30) and w.folder_view.model().index(0, 0).data() == "กล่องจดหมายเข้า (15)"
    select_rows(w, [row_of(w, 30), row_of(w, 28)])
    press(w, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: not bold(w, 30) and not bold(w, 28))  # before any answer
    [op] = m.sync.applied
    assert op.kind is OpKind.FLAGS and op.add_flags == {Flag.SEEN} and op.uids == (28, 30)
    assert op.folder == "INBOX" and op.uidvalidity == 1234
    qtbot.waitUntil(lambda: w.folder_view.model().index(0, 0).data() == "กล่องจดหมายเข้า (13)")
    with qtbot.waitSignal(m.service.action_settled) as signal:
        m.sync.done(op)
    assert signal.args[1] == DONE and m.service.pending_ops == 0
    assert Flag.SEEN in m.cache.flags_of(m.inbox, 30)
    assert not bold(w, 30) and w.notice_level == ""


def test_mark_read_is_rolled_back_with_a_plain_error_when_the_server_refuses(open_mailbox, qtbot, qtmodeltester):
    m = open_mailbox(30)
    w = m.window
    qtmodeltester.check(m.models.message_model)
    select_uid(w, 30)
    w.toggle_read_action.trigger()
    qtbot.waitUntil(lambda: len(m.sync.applied) == 1)
    assert not bold(w, 30)
    with qtbot.waitSignal(m.service.action_settled) as signal:
        m.sync.failed(ServerError(detail="NO [CANNOT] STORE refused"))
    assert signal.args[1] == FAILED
    assert bold(w, 30)  # the flag came back
    assert Flag.SEEN not in m.cache.flags_of(m.inbox, 30)
    assert w.notice_level == "error"
    assert w.notice_label.text().startswith("ไม่สามารถทำเครื่องหมายว่าอ่านแล้วได้ จึงคืนค่าเดิมแล้ว")
    assert "เซิร์ฟเวอร์" in w.notice_label.text()  # the cause, worded by the bridge
    qtbot.waitUntil(lambda: w.folder_view.model().index(0, 0).data() == "กล่องจดหมายเข้า (15)")


def test_unread_toggle_and_flag_toggle_with_keys_roll_back_only_what_they_changed(open_mailbox, qtbot):
    m = open_mailbox(30)
    w = m.window
    # 21 is read and flagged, 20 unread: "S" on both flags the unflagged one only.
    select_rows(w, [row_of(w, 21), row_of(w, 20)])
    press(w, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: marks(w, 20).startswith("⚑"))
    op = m.sync.applied[-1]
    assert op.add_flags == {Flag.FLAGGED} and op.uids == (20, 21)
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.failed(NetworkError())
    assert not marks(w, 20).startswith("⚑")
    assert marks(w, 21).startswith("⚑")  # was flagged before: stays flagged
    assert w.notice_label.text().startswith("ไม่สามารถติดธงจดหมายได้")
    # "M" on a read message marks it unread; a cancel undoes it quietly.
    select_uid(w, 21)
    press(w, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: bold(w, 21))
    assert m.sync.applied[-1].remove_flags == {Flag.SEEN}
    with qtbot.waitSignal(m.service.action_settled) as signal:
        m.sync.cancelled()
    assert signal.args[1] == CANCELLED and not bold(w, 21)
    assert w.notice_level == "info" and "ยกเลิก" in w.notice_label.text()


# ---------------------------------------------------------------- delete, archive, move


def test_delete_removes_at_once_selects_the_next_and_comes_back_on_failure(open_mailbox, qtbot, qtmodeltester):
    m = open_mailbox(30)
    w = m.window
    qtmodeltester.check(m.models.message_model)
    row = select_uid(w, 25)
    press(w, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: row_of(w, 25) is None)
    assert w.message_view.model().rowCount() == 29
    qtbot.waitUntil(lambda: bool(m.sync.applied))  # the row goes first; apply() follows
    op = m.sync.applied[-1]
    assert op.kind is OpKind.DELETE and op.uids == (25,) and not op.permanent
    qtbot.waitUntil(lambda: w.message_view.currentIndex().row() == row)  # the next message is selected
    assert w.message_view.currentIndex().row() == row_of(w, 24)
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.failed(ServerError())
    assert row_of(w, 25) is not None and w.message_view.model().rowCount() == 30
    assert m.cache.summary(m.inbox, 25).subject.endswith("25")
    assert w.notice_label.text().startswith("ไม่สามารถลบจดหมายได้ จดหมายกลับไปอยู่ที่เดิมแล้ว")


def test_delete_confirmed_by_the_server_stays_deleted(open_mailbox, qtbot):
    m = open_mailbox(10)
    w = m.window
    select_rows(w, [0, 1, 2])
    w.delete_action.trigger()
    qtbot.waitUntil(lambda: w.message_view.model().rowCount() == 7)
    with qtbot.waitSignal(m.service.action_settled) as signal:
        m.sync.done()
    assert signal.args[1] == DONE
    assert shown_uids(w) == [7, 6, 5, 4, 3, 2, 1] and m.cache.count(m.inbox) == 7


def answer_confirmation(qtbot, yes: bool) -> None:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert box.objectName() == "confirmDeleteBox" and "ถาวร" in box.text()
    button = box.button(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No)
    assert button.text().startswith("ใช่" if yes else "ไม่ใช่")
    button.click()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def test_shift_delete_asks_first_and_no_means_nothing_happens(open_mailbox, qtbot):
    m = open_mailbox(10)
    w = m.window
    select_uid(w, 5)
    press(w, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    answer_confirmation(qtbot, yes=False)
    assert row_of(w, 5) is not None and m.sync.applied == []
    press(w, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    answer_confirmation(qtbot, yes=True)
    qtbot.waitUntil(lambda: row_of(w, 5) is None)
    qtbot.waitUntil(lambda: bool(m.sync.applied))  # the row goes first; apply() follows
    op = m.sync.applied[-1]
    assert op.permanent and op.kind is OpKind.DELETE
    row = m.mailboxes.accounts[0].offline_queue.get(op.op_id)  # its queued row, by its id
    assert row.kind is OpKind.EXPUNGE and list(row.uids) == [5]  # for good: never to a Trash


def test_delete_in_the_trash_is_permanent_after_confirmation(open_mailbox, qtbot):
    from tests.unit.store.factories import summary

    def trash(cache):
        cache.insert_summaries(cache.folder_id("Trash"), [summary(u) for u in (1, 2, 3)])

    m = open_mailbox(5, fill_cache=trash)
    w = m.window
    trash_id = m.cache.folder_id("Trash")
    m.service.select_folder(trash_id)
    qtbot.waitUntil(lambda: w.message_view.model().rowCount() == 3)
    select_uid(w, 2)
    press(w, Qt.Key.Key_Delete)
    answer_confirmation(qtbot, yes=True)
    qtbot.waitUntil(lambda: row_of(w, 2) is None)
    qtbot.waitUntil(lambda: bool(m.sync.applied))  # the row goes first; apply() follows
    op = m.sync.applied[-1]
    assert op.folder == "Trash" and op.permanent


def test_archive_moves_to_the_archive_folder_and_cancel_brings_it_back(open_mailbox, qtbot):
    m = open_mailbox(12)
    w = m.window
    select_uid(w, 12)
    press(w, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: row_of(w, 12) is None)
    qtbot.waitUntil(lambda: bool(m.sync.applied))  # the row goes first; apply() follows
    op = m.sync.applied[-1]
    assert op.kind is OpKind.MOVE and op.target == "Archive" and op.uids == (12,)
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.cancelled()
    assert row_of(w, 12) is not None
    assert w.notice_level == "info"


def drop_on_folder(window, folder_id: int, mime: QMimeData, action=Qt.DropAction.MoveAction) -> None:
    """What a drag from the list ends with: enter, move and drop events on the folder."""
    view = window.folder_view
    index = view.model().index_for_folder(folder_id)
    view.scrollTo(index)
    point = view.visualRect(index).center()
    # Qt's C++ API: drag enter/move events take a QPoint, the drop event a QPointF.
    pos = QPointF(point)
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    assert move.isAccepted()
    drop = QDropEvent(pos, actions, mime, buttons, mods)
    drop.setDropAction(action)
    QApplication.sendEvent(view.viewport(), drop)


def test_drag_and_drop_on_a_folder_moves_the_messages(open_mailbox, qtbot, qtmodeltester):
    m = open_mailbox(20)
    w = m.window
    qtmodeltester.check(m.models.message_model)
    qtmodeltester.check(m.models.folder_model)
    select_rows(w, [row_of(w, 20), row_of(w, 19)])
    list_model = w.message_view.model()
    mime = list_model.mimeData(w.message_view.selectionModel().selectedIndexes())
    target = m.cache.folder_id("โครงการ")
    drop_on_folder(w, target, mime)
    qtbot.waitUntil(lambda: row_of(w, 20) is None and row_of(w, 19) is None)
    qtbot.waitUntil(lambda: bool(m.sync.applied))  # the row goes first; apply() follows
    op = m.sync.applied[-1]
    assert op.kind is OpKind.MOVE and op.target == "โครงการ" and op.uids == (19, 20)
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.failed(ServerError())
    assert row_of(w, 20) is not None and row_of(w, 19) is not None
    assert "โครงการ" in w.notice_label.text()  # "could not move the messages to โครงการ"


def test_drag_and_drop_with_ctrl_copies_the_messages(open_mailbox, qtbot):
    m = open_mailbox(20)
    w = m.window
    select_rows(w, [row_of(w, 18)])
    mime = w.message_view.model().mimeData(w.message_view.selectionModel().selectedIndexes())
    target = m.cache.folder_id("โครงการ")
    drop_on_folder(w, target, mime, Qt.DropAction.CopyAction)
    qtbot.waitUntil(lambda: bool(m.sync.applied))
    op = m.sync.applied[-1]
    assert op.kind is OpKind.COPY and op.target == "โครงการ" and op.uids == (18,)
    assert row_of(w, 18) is not None  # the original stays
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.done()
    assert m.sync.sync_requests[-1] == target  # the copies show in the target once it is synced

    drop_on_folder(w, target, mime, Qt.DropAction.CopyAction)
    qtbot.waitUntil(lambda: len(m.sync.applied) == 2)
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.failed(ServerError())
    assert row_of(w, 18) is not None
    assert "คัดลอก" in w.notice_label.text() and "โครงการ" in w.notice_label.text()


# A popup menu on the offscreen test platform: the platform says it cannot raise or grab.
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints\(\))")
def test_move_to_menu_lists_the_folders_and_moves(open_mailbox, qtbot):
    m = open_mailbox(8)
    w = m.window
    select_uid(w, 8)
    w.move_menu.aboutToShow.emit()
    names = [a.text() for a in w.move_menu.actions()]
    top = [n for n in names if not n.startswith(" ")]
    assert top[:6] == ["กล่องจดหมายเข้า", "ร่างจดหมาย", "จดหมายที่ส่งแล้ว", "เก็บถาวร", "จดหมายขยะ", "ถังขยะ"]
    assert names[1] == "    งานด่วน"  # sub-folders indented under their parent
    inbox_action = w.move_menu.actions()[0]
    assert not inbox_action.isEnabled()  # the folder the message is in
    [sent] = [a for a in w.move_menu.actions() if a.text().strip() == "จดหมายที่ส่งแล้ว"]
    sent.trigger()
    qtbot.waitUntil(lambda: row_of(w, 8) is None)
    qtbot.waitUntil(lambda: bool(m.sync.applied))  # the row goes first; apply() follows
    assert m.sync.applied[-1].target == "Sent"
    # Ctrl+Shift+V opens the same menu at the current message.
    select_uid(w, 7)
    w.move_action.trigger()
    qtbot.waitUntil(w.move_menu.isVisible)
    w.move_menu.close()


def test_without_a_sync_service_actions_are_kept_on_disk_for_later(open_mailbox, qtbot):
    m = open_mailbox(10, sync=False)
    w = m.window
    select_uid(w, 10)
    queue = m.mailboxes.accounts[0].offline_queue
    with qtbot.waitSignal(m.service.action_settled) as signal:
        press(w, Qt.Key.Key_M)
    assert signal.args[1] == DONE and not bold(w, 10)
    assert "ออฟไลน์" in w.notice_label.text()
    [pending] = queue.pending()
    assert pending.kind is OpKind.FLAGS and list(pending.uids) == [10] and pending.add_flags == {Flag.SEEN}
    assert pending.folder == "INBOX" and pending.uidvalidity == 1234
    assert isinstance(queue, OfflineOpQueue)


def test_flags_changed_by_the_server_redraw_the_row(open_mailbox, qtbot):
    m = open_mailbox(10)
    w = m.window
    assert bold(w, 10)
    changed = m.cache.update_flags(m.inbox, {10: {Flag.SEEN, Flag.FLAGGED}})
    m.sync.rows_changed.emit(m.inbox, changed)
    assert not bold(w, 10) and marks(w, 10).startswith("⚑")
    assert w.message_view.model().index(row_of(w, 10), 0).data(Qt.ItemDataRole.UserRole + 2) & FlagBits.FLAGGED


def test_actions_in_the_conversation_view(open_mailbox, qtbot, qtmodeltester):
    m = open_mailbox(20)
    w = m.window
    w.threading_action.trigger()
    qtbot.waitUntil(lambda: m.models.message_model.threaded and not m.models.message_model.building)
    qtmodeltester.check(m.models.message_model)
    row = select_uid(w, 15)
    press(w, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: row_of(w, 15) is None)
    qtbot.waitUntil(lambda: w.message_view.currentIndex().row() == row)  # the next one is selected
    assert w.message_view.model().rowCount() == 19
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.failed(ServerError())
    qtbot.waitUntil(lambda: w.message_view.model().rowCount() == 20)
    assert row_of(w, 15) is not None
