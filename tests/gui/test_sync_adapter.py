"""services/sync_adapter.py: the engine's operations and signals → the mailbox's SyncPort.

The engine here is a stand-in with the real engine's signal names and methods.
An action reaches the adapter already recorded under its id (the mailbox did
it); the adapter asks the engine to send the queue and passes the engine's
settlement on by that id, untouched. (The whole chain: test_action_routing.py
on the in-memory server, tests/integration/test_mailbox_live.py on Dovecot.)
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QObject, Signal

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import Flag
from govmail_desktop.core.errors import ActionRefused
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.services.mailbox_types import (
    CANCELLED,
    STATE_CONNECTING,
    STATE_OFFLINE,
    STATE_ONLINE,
    STATE_SYNCING,
    MailOp,
)
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from tests.unit.store.factories import fill


class Engine(QObject):
    operationStarted = Signal(int, str)
    operationProgress = Signal(int, int, int)
    operationFinished = Signal(int, str, object)
    onlineChanged = Signal(bool)
    statusChanged = Signal(str)
    foldersChanged = Signal()
    messagesInserted = Signal(int, object)
    messagesChanged = Signal(int, object)
    messagesRemoved = Signal(int, object)
    folderReset = Signal(int)
    newMail = Signal(int, object)
    messagesUnreadable = Signal(int, int)
    actionSettled = Signal(int, object, object)
    connectionRefused = Signal(object)

    def __init__(self, cache: MailCache, queue: OfflineOpQueue) -> None:
        super().__init__()
        self.cache, self.queue = cache, queue
        self._ids = itertools.count(100)
        self.calls: list[tuple] = []

    def send_offline_actions(self):
        self.calls.append(("send",))
        return next(self._ids)

    def sync_folder(self, name):
        self.calls.append(("sync_folder", name))
        return next(self._ids)

    def cancel(self, op_id):
        self.calls.append(("cancel", op_id))

    def start(self):
        self.calls.append(("start",))

    def stop(self):
        self.calls.append(("stop",))


@pytest.fixture
def parts(tmp_path):
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    inbox = fill(cache, count=20)
    engine = Engine(cache, queue)
    adapter = EngineSyncAdapter(engine, cache, queue)
    yield adapter, engine, cache, queue, inbox
    queue.close()
    cache.close()


def op(op_id, kind=OpKind.FLAGS, uids=(1, 2), **kw) -> MailOp:
    fields = dict(add_flags=frozenset({Flag.SEEN})) if kind is OpKind.FLAGS else {}
    fields.update(kw)
    return MailOp(op_id, kind, "INBOX", 1, 1234, tuple(uids), **fields)


def test_an_action_is_sent_and_settled_by_its_id(parts, qtbot):
    adapter, engine, *_ = parts
    results = []
    adapter.action_settled.connect(lambda *a: results.append(a))
    adapter.apply(op(7))
    adapter.apply(op(8, OpKind.MOVE, uids=(5,), target="Archive"))
    assert engine.calls == [("send",), ("send",)]  # the queue is sent; nothing recorded twice
    assert results == []  # not yet confirmed by the server
    refusal = ActionRefused(QT_TRANSLATE_NOOP("Sync", "whatever words"), reason=ActionRefused.REFUSED)
    engine.actionSettled.emit(8, "failed", refusal)  # ids, not texts, say which action it was
    engine.actionSettled.emit(7, Outcome.DONE, None)
    assert results == [(8, Outcome.FAILED, refusal), (7, Outcome.DONE, None)]
    assert all(type(outcome) is Outcome for _, outcome, _ in results)


def test_connection_state_and_progress_follow_the_engine(parts, qtbot):
    adapter, engine, *_ = parts
    states, progress = [], []
    adapter.connection_state.connect(states.append)
    adapter.progress.connect(lambda *a: progress.append(a))
    adapter.start()
    assert states == [STATE_CONNECTING] and ("start",) in engine.calls
    engine.operationStarted.emit(7, "กำลังซิงค์ กล่องจดหมายเข้า")
    engine.onlineChanged.emit(True)
    assert states[-1] == STATE_SYNCING
    engine.operationProgress.emit(7, 50, 200)
    assert progress[-1] == ("กำลังซิงค์ กล่องจดหมายเข้า", 50, 200)
    adapter.cancel()
    assert ("cancel", 7) in engine.calls
    engine.operationFinished.emit(7, CANCELLED, None)
    assert progress[-1] == ("", 0, 0) and states[-1] == STATE_ONLINE
    engine.onlineChanged.emit(False)
    assert states[-1] == STATE_OFFLINE


def test_new_mail_is_the_uids_that_arrived_not_the_newest_in_the_cache(parts, qtbot):
    adapter, engine, cache, queue, inbox = parts
    assert max(cache.known_uids(inbox)) == 20
    with qtbot.waitSignal(adapter.new_mail) as signal:
        engine.newMail.emit(inbox, [7, 12])
    assert signal.args == [inbox, [7, 12]]
    adapter.request_folder_sync(inbox)
    assert engine.calls[-1] == ("sync_folder", "INBOX")


def test_messages_the_engine_could_not_read_are_passed_on(parts, qtbot):
    adapter, engine, _cache, _queue, inbox = parts
    with qtbot.waitSignal(adapter.messages_unreadable) as signal:
        engine.messagesUnreadable.emit(inbox, 3)
    assert signal.args == [inbox, 3]


def test_a_permanent_delete_is_queued_as_an_expunge():
    assert op(1, OpKind.DELETE, uids=(3,), permanent=True).queue_kind is OpKind.EXPUNGE
    assert op(2, OpKind.DELETE, uids=(4,)).queue_kind is OpKind.DELETE
