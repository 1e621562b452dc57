"""The conversation view: its order is written off the GUI thread, the list says it is
being built, and a click on a column header orders the conversations by that column.

The order (``MailCache.ensure_thread_order``) is a write transaction of about a second
per 100,000 messages; the message list only reads, and the mailbox service builds the
order on its worker. The guard here records the thread of every write transaction the
cache opens while the list is used.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from govmail_desktop.core.entities import Address, Folder
from govmail_desktop.models.message_list import Column, MessageListModel
from govmail_desktop.models.message_roles import UidRole
from govmail_desktop.store import MailCache, SortKey
from tests.gui.mailbox_helpers import open_mailbox, row_of, select_uid, shown_uids  # noqa: F401
from tests.unit.store.factories import summary

pytestmark = pytest.mark.gui

#: Three conversations whose orders by date, subject and sender all differ:
#: uid 1 "ข" (Chai) with reply 4; uid 2 "ก" (Zed); uid 3 "ค" (Anan) with reply 5, the newest.
CONVERSATIONS = (
    dict(uid=1, message_id="<a@x>", subject="ข งบประมาณ", from_=(Address("Chai", "chai@a.go.th"),)),
    dict(uid=2, message_id="<b@x>", subject="ก ประชุม", from_=(Address("Zed", "zed@a.go.th"),)),
    dict(uid=3, message_id="<c@x>", subject="ค หนังสือเวียน", from_=(Address("Anan", "anan@a.go.th"),)),
    dict(uid=4, message_id="<a1@x>", in_reply_to="<a@x>", references=("<a@x>",), subject="Re: ข งบประมาณ"),
    dict(uid=5, message_id="<c1@x>", in_reply_to="<c@x>", references=("<c@x>",), subject="Re: ค หนังสือเวียน"),
)
BY_SUBJECT_ASCENDING = [2, 1, 4, 3, 5]  # ก, ข (+ reply), ค (+ reply)
BY_SUBJECT_DESCENDING = [3, 5, 1, 4, 2]
NEWEST_ACTIVITY_FIRST = [3, 5, 1, 4, 2]
BY_SENDER_ASCENDING = [3, 5, 1, 4, 2]  # Anan, Chai, Zed


@pytest.fixture
def write_threads(monkeypatch):
    """The threads on which the cache opened write transactions from now on."""
    seen: list[threading.Thread] = []
    original = MailCache._writing

    def recording(self):
        seen.append(threading.current_thread())
        return original(self)

    monkeypatch.setattr(MailCache, "_writing", recording)
    return seen


def fill_conversations(cache: MailCache) -> int:
    folder_id = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    cache.insert_summaries(folder_id, [summary(**fields) for fields in CONVERSATIONS])
    return folder_id


def add_conversations(cache: MailCache) -> None:
    cache.insert_summaries(cache.folder_id("INBOX"), [summary(**fields) for fields in CONVERSATIONS])


def click_header(window, column: int) -> None:
    header = window.message_view.header()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def ready(model: MessageListModel) -> bool:
    return model.threaded and not model.building and model.rowCount() > 0


# ---------------------------------------------------------------- the model only reads


def test_the_message_list_never_writes_on_the_gui_thread(qtbot, tmp_path, write_threads):
    cache = MailCache(tmp_path / "acct" / "cache.sqlite3")
    try:
        folder_id = fill_conversations(cache)
        write_threads.clear()
        model = MessageListModel(cache)
        model.set_folder(folder_id)
        asked: list[tuple[int, str, bool]] = []
        model.threadOrderNeeded.connect(lambda *request: asked.append(request))

        model.set_threaded(True)
        assert model.building and model.rowCount() == 0  # nothing built yet: the list waits
        assert asked == [(folder_id, SortKey.DATE.value, True)]

        def build_on_a_worker() -> None:
            try:
                cache.ensure_thread_order(folder_id, SortKey(asked[-1][1]), asked[-1][2])
            finally:
                cache.close_thread()

        worker = threading.Thread(target=build_on_a_worker, name="worker")
        worker.start()
        worker.join()
        with qtbot.waitSignal(model.buildingChanged):
            model.thread_order_ready(*asked[-1])
        assert [model.index(r, 0).data(UidRole) for r in range(5)] == NEWEST_ACTIVITY_FIRST

        # New mail, a refresh and another sort only ask for a new order: they never write.
        cache.insert_summaries(folder_id, [summary(6, message_id="<d@x>")])
        write_threads.clear()
        model.messages_inserted([6])
        model.refresh()
        model.sort(Column.SUBJECT, Qt.SortOrder.AscendingOrder)
        assert write_threads == []
        assert asked[-1] == (folder_id, SortKey.DATE.value, True)  # one request at a time
    finally:
        cache.close()


# ---------------------------------------------------------------- in the window


def test_conversation_view_says_it_is_being_built_then_shows_the_list(open_mailbox, qtbot, write_threads):
    m = open_mailbox(300, fill_cache=add_conversations)
    w = m.window
    model = m.models.message_model
    write_threads.clear()
    w.threading_action.trigger()
    assert model.building and model.rowCount() == 0
    assert w.message_view.empty_text() == "กำลังจัดกลุ่มตามการสนทนา…"
    qtbot.waitUntil(lambda: ready(model))
    assert model.rowCount() == 300
    assert w.message_view.empty_text() != "กำลังจัดกลุ่มตามการสนทนา…"
    assert write_threads and threading.main_thread() not in write_threads  # built on the worker
    uids = shown_uids(w)
    assert uids.index(4) == uids.index(1) + 1 and uids.index(5) == uids.index(3) + 1


def test_clicking_a_column_header_in_the_conversation_view_reorders_the_conversations(open_mailbox, qtbot):
    m = open_mailbox(0, fill_cache=add_conversations)
    w = m.window
    model = m.models.message_model
    header = w.message_view.header()
    w.threading_action.trigger()
    qtbot.waitUntil(lambda: ready(model))
    assert shown_uids(w) == NEWEST_ACTIVITY_FIRST
    select_uid(w, 4)

    click_header(w, Column.SUBJECT)
    expected = (
        BY_SUBJECT_DESCENDING if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder else BY_SUBJECT_ASCENDING
    )
    qtbot.waitUntil(lambda: shown_uids(w) == expected)
    assert header.sortIndicatorSection() == Column.SUBJECT
    click_header(w, Column.SUBJECT)  # the second click reverses
    reverse = BY_SUBJECT_ASCENDING if expected == BY_SUBJECT_DESCENDING else BY_SUBJECT_DESCENDING
    qtbot.waitUntil(lambda: shown_uids(w) == reverse)
    assert w.message_view.currentIndex().data(UidRole) == 4  # the selected message stays selected

    click_header(w, Column.FROM)
    if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
        click_header(w, Column.FROM)
    qtbot.waitUntil(lambda: shown_uids(w) == BY_SENDER_ASCENDING)


def test_new_mail_in_the_conversation_view_appears_under_its_conversation(open_mailbox, qtbot, write_threads):
    m = open_mailbox(0, fill_cache=add_conversations)
    w = m.window
    model = m.models.message_model
    w.threading_action.trigger()
    qtbot.waitUntil(lambda: ready(model))
    m.cache.insert_summaries(m.inbox, [summary(6, message_id="<b1@x>", in_reply_to="<b@x>", references=("<b@x>",))])
    write_threads.clear()  # the fake server's insert above; what follows is the window's
    m.sync.rows_inserted.emit(m.inbox, [6])
    qtbot.waitUntil(lambda: shown_uids(w) == [2, 6, 3, 5, 1, 4])  # its conversation is now the newest
    assert write_threads and threading.main_thread() not in write_threads
