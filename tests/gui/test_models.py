"""The folder tree and message list models over a real (temporary) cache.

qtmodeltester checks both against Qt's model rules, also while rows are
inserted, removed and re-sorted; the rest checks what a user sees: order,
bold unread rows, Thai dates, Thai folder names with unread counts, and that
a 20,000-row folder is read a page at a time.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt

from govmail_desktop.core.entities import Flag, Folder, SpecialUse
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.models.folder_tree import (
    FolderIdRole,
    FolderTreeModel,
    SelectableRole,
    SpecialUseRole,
    UnreadRole,
)
from govmail_desktop.models.message_list import MESSAGES_MIME_TYPE, Column, MessageListModel
from govmail_desktop.models.message_roles import ThreadDepthRole, UidRole
from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.store import MailCache, SortKey
from tests.unit.store.factories import BASE_TIME, fill, summaries, summary

BANGKOK = ZoneInfo("Asia/Bangkok")
# BASE_TIME is 14:00 in Bangkok on 3 Nov 2026; "now" is that evening.
NOW = datetime(2026, 11, 3, 22, 0, tzinfo=BANGKOK)


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "acct" / "cache.sqlite3")
    yield c
    c.close()


def thai_formatter() -> DateFormatter:
    return DateFormatter("th", tz=BANGKOK, now=lambda: NOW)


def make_list(cache, folder_id, **kwargs) -> MessageListModel:
    model = MessageListModel(cache, formatter=thai_formatter(), **kwargs)
    model.set_folder(folder_id)
    return model


def build_orders_off_this_thread(model: MessageListModel, cache) -> list[tuple[int, str, bool]]:
    """Answer the list's requests for a conversation order as the mailbox service does:
    the order is written on another thread, then the list is told. Returns the requests."""
    asked: list[tuple[int, str, bool]] = []

    def build(folder_id: int, sort: str, descending: bool) -> None:
        asked.append((folder_id, sort, descending))

        def write() -> None:
            try:
                cache.ensure_thread_order(folder_id, SortKey(sort), descending)
            finally:
                cache.close_thread()

        worker = threading.Thread(target=write)
        worker.start()
        worker.join()
        model.thread_order_ready(folder_id, sort, descending)

    model.threadOrderNeeded.connect(build)
    return asked


def column_uids(model: MessageListModel) -> list[int]:
    return [model.index(r, 0).data(UidRole) for r in range(model.rowCount())]


def top_level_labels(model: FolderTreeModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


# ---------------------------------------------------------------- model rules


def test_message_list_follows_the_model_rules_with_data(qtmodeltester, cache):
    model = make_list(cache, fill(cache, count=300))
    assert model.rowCount() == 300 and model.columnCount() == len(Column)
    qtmodeltester.check(model)


@pytest.mark.parametrize("with_folder", [False, True])
def test_message_list_follows_the_model_rules_when_empty(qtmodeltester, cache, with_folder):
    folder_id = cache.upsert_folders([Folder("INBOX")])["INBOX"] if with_folder else None
    model = make_list(cache, folder_id)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_folder_tree_follows_the_model_rules(qtmodeltester, cache):
    fill(cache, count=50)
    qtmodeltester.check(FolderTreeModel(cache))


def test_folder_tree_follows_the_model_rules_when_empty(qtmodeltester, cache):
    model = FolderTreeModel(cache)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


# ---------------------------------------------------------------- what the user sees


def test_newest_first_and_sorting_by_each_column_requeries_the_cache(cache):
    folder_id = fill(cache, count=300)
    model = make_list(cache, folder_id)
    assert column_uids(model)[:3] == [300, 299, 298]
    columns = (
        (Column.SUBJECT, SortKey.SUBJECT),
        (Column.FROM, SortKey.SENDER),
        (Column.SIZE, SortKey.SIZE),
        (Column.DATE, SortKey.DATE),
    )
    for column, key in columns:
        for order, descending in ((Qt.SortOrder.AscendingOrder, False), (Qt.SortOrder.DescendingOrder, True)):
            model.sort(column, order)
            expected = [r.uid for r in cache.page(folder_id, key, descending, 0, 300)]
            assert column_uids(model) == expected, (column, order)
    model.sort(Column.SIZE, Qt.SortOrder.AscendingOrder)
    sizes = [cache.summary(folder_id, uid).size for uid in column_uids(model)]
    assert sizes == sorted(sizes)
    model.sort(Column.MARKS, Qt.SortOrder.AscendingOrder)  # not sortable: order kept
    assert [cache.summary(folder_id, uid).size for uid in column_uids(model)] == sizes


def test_unread_rows_are_bold_and_read_rows_are_not(cache):
    model = make_list(cache, fill(cache, count=20))
    for row in range(model.rowCount()):
        uid = model.index(row, 0).data(UidRole)
        font = model.index(row, Column.SUBJECT).data(Qt.ItemDataRole.FontRole)
        if uid % 2:  # odd UIDs are \Seen in the factory
            assert font is None, uid
        else:
            assert font is not None and font.bold(), uid


def test_dates_are_thai_with_the_buddhist_era(cache):
    folder_id = fill(cache, count=5)
    cache.insert_summaries(folder_id, [summary(6, internaldate=BASE_TIME - timedelta(days=366))])
    model = make_list(cache, folder_id)
    model.sort(Column.DATE, Qt.SortOrder.DescendingOrder)
    dates = [model.index(r, Column.DATE).data() for r in range(model.rowCount())]
    assert dates[:5] == ["วันนี้ 14:04", "วันนี้ 14:03", "วันนี้ 14:02", "วันนี้ 14:01", "วันนี้ 14:00"]
    assert dates[5] == "2 พ.ย. 2568"
    assert model.index(5, Column.DATE).data(Qt.ItemDataRole.ToolTipRole) == plain_tooltip("2 พฤศจิกายน พ.ศ. 2568 14:00")


def test_columns_marks_tooltips_and_translated_headers(cache, language_controller):
    language_controller.apply("th")
    folder_id = fill(cache, count=35)
    model = make_list(cache, folder_id)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == ["", "เรื่อง", "จาก", "วันที่", "ขนาด"]
    row = model.row_of_uid(35)  # flagged (÷7) with an attachment (÷5)
    assert model.index(row, Column.MARKS).data() == "⚑📎"
    assert model.index(row, Column.FROM).data() == "สมชาย ใจดี"
    # Shown literally (tests/gui/test_plain_text.py): the address is text, not a tag.
    assert model.index(row, Column.FROM).data(Qt.ItemDataRole.ToolTipRole) == plain_tooltip(
        "สมชาย ใจดี <somchai@dwr.mail.go.th>"
    )
    assert model.index(row, Column.SIZE).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.summary_at(row).uid == 35 and model.summary_at(row).preview == "เนื้อหาตัวอย่าง 35"
    language_controller.apply("en")
    model.retranslate(DateFormatter("en", tz=BANGKOK, now=lambda: NOW))
    assert model.headerData(Column.SUBJECT, Qt.Orientation.Horizontal) == "Subject"
    assert model.index(row, Column.DATE).data() == "Today 14:34"


def test_a_20000_row_folder_is_read_a_page_at_a_time(cache):
    folder_id = fill(cache, count=20_000, batch=5000)
    model = make_list(cache, folder_id)
    assert model.rowCount() == 20_000
    assert model.rows_loaded == 0  # counting reads no rows
    assert model.index(19_999, Column.SUBJECT).data(UidRole) == 1  # the oldest, at the bottom
    assert model.pages_loaded == 1 and model.rows_loaded <= model.PAGE_SIZE
    for row in range(0, 20_000, 97):  # scroll through everything
        assert model.index(row, Column.SUBJECT).data() is not None
    assert model.pages_cached <= model.MAX_PAGES  # old pages were dropped
    assert model.rows_loaded <= 20_000 + model.PAGE_SIZE  # each page read about once


# ---------------------------------------------------------------- changes keep the selection


def select_uid(model: MessageListModel, selection: QItemSelectionModel, uid: int) -> None:
    row = model.row_of_uid(uid)
    selection.setCurrentIndex(
        model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )


def selected_uids(model: MessageListModel, selection: QItemSelectionModel) -> list[int]:
    return sorted({model.index(i.row(), 0).data(UidRole) for i in selection.selectedRows()})


def test_new_mail_is_inserted_on_top_and_the_selection_stays(qtmodeltester, qtbot, cache):
    folder_id = fill(cache, count=300)
    model = make_list(cache, folder_id)
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    select_uid(model, selection, 150)
    cache.insert_summaries(folder_id, summaries(301, 303))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.messages_inserted([301, 302, 303])
    assert inserted.args[1:] == [0, 2]
    assert model.rowCount() == 303 and column_uids(model)[:4] == [303, 302, 301, 300]
    assert selected_uids(model, selection) == [150]
    assert model.index(selection.currentIndex().row(), 0).data(UidRole) == 150


def test_messages_inserted_at_scattered_places_in_another_order(qtmodeltester, cache):
    folder_id = fill(cache, count=100)
    model = make_list(cache, folder_id)
    model.sort(Column.SUBJECT, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    select_uid(model, selection, 42)
    cache.insert_summaries(folder_id, summaries(101, 110))
    model.messages_inserted(range(101, 111))
    assert column_uids(model) == [r.uid for r in cache.page(folder_id, SortKey.SUBJECT, False, 0, 200)]
    assert selected_uids(model, selection) == [42]


def test_expunged_messages_are_removed_and_the_selection_stays(qtmodeltester, cache):
    folder_id = fill(cache, count=300)
    model = make_list(cache, folder_id)
    model.sort(Column.FROM, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    select_uid(model, selection, 150)
    removed_rows = []
    model.rowsRemoved.connect(lambda parent, first, last: removed_rows.append((first, last)))
    keys = cache.expunge(folder_id, [10, 11, 12, 200, 250, 299])
    model.messages_removed(keys)
    assert model.rowCount() == 294
    assert column_uids(model) == [r.uid for r in cache.page(folder_id, SortKey.SENDER, False, 0, 300)]
    assert selected_uids(model, selection) == [150]
    assert sum(last - first + 1 for first, last in removed_rows) == 6


def test_removing_the_selected_message_clears_only_it(cache):
    folder_id = fill(cache, count=50)
    model = make_list(cache, folder_id)
    selection = QItemSelectionModel(model)
    select_uid(model, selection, 20)
    model.messages_removed(cache.expunge(folder_id, [20]))
    assert selected_uids(model, selection) == []
    assert model.rowCount() == 49


def test_flag_changes_redraw_the_rows_without_moving_them(qtmodeltester, qtbot, cache):
    folder_id = fill(cache, count=40)
    model = make_list(cache, folder_id)
    qtmodeltester.check(model)
    row = model.row_of_uid(10)  # unread
    assert model.index(row, Column.SUBJECT).data(Qt.ItemDataRole.FontRole).bold()
    changed = cache.change_flags(folder_id, [10], add=[Flag.SEEN])
    with qtbot.waitSignal(model.dataChanged) as signal:
        model.messages_changed(changed)
    assert signal.args[0].row() == row
    assert model.index(row, Column.SUBJECT).data(Qt.ItemDataRole.FontRole) is None
    assert model.row_of_uid(10) == row


def test_sorting_keeps_the_selected_message_selected(qtmodeltester, cache):
    folder_id = fill(cache, count=300)
    model = make_list(cache, folder_id)
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    select_uid(model, selection, 123)
    before = selection.currentIndex().row()
    model.sort(Column.SUBJECT, Qt.SortOrder.AscendingOrder)
    assert selection.currentIndex().row() != before
    assert selected_uids(model, selection) == [123]
    assert model.index(selection.currentIndex().row(), 0).data(UidRole) == 123


def test_many_new_messages_on_top_are_inserted_as_one_block(qtmodeltester, qtbot, cache):
    folder_id = fill(cache, count=10)
    model = make_list(cache, folder_id)
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    select_uid(model, selection, 5)
    cache.insert_summaries(folder_id, summaries(11, 2000))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.messages_inserted(range(11, 2001))
    assert inserted.args[1:] == [0, 1989]
    assert model.rowCount() == 2000 and column_uids(model)[:2] == [2000, 1999]
    assert selected_uids(model, selection) == [5]


def test_an_older_batch_is_appended_at_the_end_as_one_block(qtbot, cache):
    folder_id = fill(cache, count=1000)
    cache.expunge(folder_id, range(1, 601))  # the sync fetches newest first: the older ones come later
    model = make_list(cache, folder_id)
    cache.insert_summaries(folder_id, summaries(1, 600))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.messages_inserted(range(1, 601))
    assert inserted.args[1:] == [400, 999]
    assert column_uids(model) == list(range(1000, 0, -1))


def test_many_new_messages_scattered_in_the_order_reset_the_model(qtbot, cache):
    folder_id = fill(cache, count=10)
    model = make_list(cache, folder_id)
    model.sort(Column.SUBJECT, Qt.SortOrder.AscendingOrder)
    cache.insert_summaries(folder_id, summaries(11, 2000))
    with qtbot.waitSignal(model.modelReset):
        model.messages_inserted(range(11, 2001))
    assert model.rowCount() == 2000
    assert column_uids(model) == [r.uid for r in cache.page(folder_id, SortKey.SUBJECT, False, 0, 2000)]


def test_threaded_view_orders_conversations_and_indents_replies(qtmodeltester, cache):
    folder_id = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    cache.insert_summaries(
        folder_id,
        [
            summary(1, message_id="<root@x>", subject="งบประมาณ"),
            summary(2, message_id="<other@x>", subject="อื่น ๆ"),
            summary(3, message_id="<r1@x>", in_reply_to="<root@x>", references=("<root@x>",), subject="Re: งบประมาณ"),
        ],
    )
    model = make_list(cache, folder_id)
    build_orders_off_this_thread(model, cache)
    model.set_threaded(True)
    qtmodeltester.check(model)
    assert column_uids(model) == [1, 3, 2]
    assert [model.index(r, 0).data(ThreadDepthRole) for r in range(3)] == [0, 1, 0]
    assert model.index(1, Column.SUBJECT).data().strip().startswith("↳")
    cache.insert_summaries(folder_id, [summary(4, message_id="<r2@x>", in_reply_to="<other@x>")])
    model.messages_inserted([4])
    assert column_uids(model) == [2, 4, 1, 3]
    model.set_threaded(False)
    assert column_uids(model) == [4, 3, 2, 1]


def test_drag_carries_the_folder_and_uids(cache):
    folder_id = fill(cache, count=10)
    model = make_list(cache, folder_id)
    mime = model.mimeData([model.index(0, 0), model.index(0, 1), model.index(2, 0)])
    assert mime.hasFormat(MESSAGES_MIME_TYPE)
    assert bytes(mime.data(MESSAGES_MIME_TYPE)).decode() == f'{{"folder_id": {folder_id}, "uids": [8, 10]}}'


# ---------------------------------------------------------------- folder tree


def test_special_folders_come_first_with_thai_names_and_unread_counts(cache, language_controller):
    language_controller.apply("th")
    folder_id = fill(cache, count=300)  # 150 unread in INBOX
    model = FolderTreeModel(cache)
    labels = top_level_labels(model)
    assert labels[:6] == [
        "กล่องจดหมายเข้า (150)",
        "ร่างจดหมาย",
        "จดหมายที่ส่งแล้ว",
        "เก็บถาวร",
        "จดหมายขยะ",
        "ถังขยะ",
    ]
    assert labels[6:] == ["กรม", "โครงการ"]  # user folders, Thai order
    inbox = model.index(0, 0)
    assert inbox.data(FolderIdRole) == folder_id and inbox.data(SpecialUseRole) == SpecialUse.INBOX
    assert inbox.data(UnreadRole) == 150 and inbox.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, 0, inbox).data() == "งานด่วน"  # INBOX/งานด่วน under the inbox
    projects = model.index(7, 0)
    assert model.index(0, 0, projects).data() == "2569"
    # "กรม/กอง/ฝ่าย" was listed without its parents: they appear, not selectable.
    department = model.index(6, 0)
    assert department.data(SelectableRole) is False
    assert not model.flags(department) & Qt.ItemFlag.ItemIsSelectable
    leaf = model.index(0, 0, model.index(0, 0, department))
    assert leaf.data() == "ฝ่าย" and leaf.data(SelectableRole) is True
    language_controller.apply("en")
    model.retranslate()
    assert model.index(0, 0).data() == "Inbox (150)"


def test_special_folders_nested_on_the_server_are_lifted_to_the_top(cache, language_controller):
    language_controller.apply("th")
    cache.upsert_folders(
        [
            Folder("INBOX", "."),
            Folder("INBOX.Sent Items", ".", SpecialUse.SENT, frozenset({"\\Sent"})),
            Folder("INBOX.Deleted", ".", SpecialUse.TRASH, frozenset({"\\Trash"})),
            Folder("INBOX.Deleted.Old", ".", None),
            Folder("INBOX.ลูกค้า", ".", None),
        ]
    )
    model = FolderTreeModel(cache)
    assert top_level_labels(model) == ["กล่องจดหมายเข้า", "จดหมายที่ส่งแล้ว", "ถังขยะ"]
    assert model.index(0, 0, model.index(0, 0)).data() == "ลูกค้า"
    assert model.index(0, 0, model.index(2, 0)).data() == "Old"


def test_an_unsubscribed_folder_stays_in_the_tree(cache):
    # No "show subscribed folders only" option: the tree shows every folder; only the
    # periodic sync skips unsubscribed ones (sync/engine.py, tests/unit/sync/test_subscriptions.py).
    cache.upsert_folders([Folder("INBOX"), Folder("โครงการ"), Folder("เก่า 2560", subscribed=False)])
    model = FolderTreeModel(cache)
    assert sorted(top_level_labels(model)[1:]) == sorted(["โครงการ", "เก่า 2560"])


def test_unread_counts_update_in_place(qtmodeltester, qtbot, cache, language_controller):
    language_controller.apply("th")
    folder_id = fill(cache, count=10)
    model = FolderTreeModel(cache)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "กล่องจดหมายเข้า (5)"
    cache.change_flags(folder_id, [2, 4], add=[Flag.SEEN])
    with qtbot.waitSignal(model.dataChanged):
        model.update_counts()
    assert model.index(0, 0).data() == "กล่องจดหมายเข้า (3)"
    assert model.index_for_folder(folder_id) == model.index(0, 0)
    with qtbot.assertNotEmitted(model.modelReset):
        model.reload()  # same folders: no reset, the selection in the view stays


def test_a_changed_folder_list_resets_the_tree(qtbot, cache):
    fill(cache, count=3)
    model = FolderTreeModel(cache)
    before = model.rowCount()
    cache.upsert_folders([Folder("INBOX"), Folder("ใหม่")])
    with qtbot.waitSignal(model.modelReset):
        model.reload()
    assert model.rowCount() == 2 and before == 8  # factories.STANDARD_FOLDERS: 8 at the top


def test_dropping_messages_on_a_folder_asks_for_a_move(qtbot, cache):
    folder_id = fill(cache, count=10)
    messages = make_list(cache, folder_id)
    tree = FolderTreeModel(cache)
    trash = tree.index(5, 0)
    mime = messages.mimeData([messages.index(0, 0)])
    assert tree.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, trash)
    with qtbot.waitSignal(tree.messagesDropped) as dropped:
        assert tree.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, trash)
    assert dropped.args == [trash.data(FolderIdRole), folder_id, [10], False]
    # Not onto the folder the messages come from, nor onto a placeholder.
    assert not tree.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, tree.index(0, 0))
    assert not tree.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, tree.index(6, 0))
    assert not tree.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())


def test_multi_data_answers_every_role_as_data_does(cache):
    """Qt 6 delegates ask for all roles of a cell in one ``multiData`` call (one call into
    Python per cell while a sync holds the interpreter lock): the same answers as ``data``."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    from govmail_desktop.models import message_roles

    model = make_list(cache, fill(cache, count=30))
    roles = [int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole,
                              Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.DecorationRole)]
    roles += [getattr(message_roles, name) for name in message_roles.__all__]
    for row in (0, 1, 29):
        for column in Column:
            index = model.index(row, int(column))
            for role in roles:
                single = QModelRoleData(role)
                model.multiData(index, single)
                in_span = QModelRoleData(role)
                model.multiData(index, QModelRoleDataSpan(in_span))
                assert single.data() == in_span.data() == index.data(role), (row, column, role)
    option = QStyleOptionViewItem()
    QStyledItemDelegate().initStyleOption(option, model.index(0, int(Column.SUBJECT)))
    assert option.text == model.index(0, int(Column.SUBJECT)).data() and option.text
