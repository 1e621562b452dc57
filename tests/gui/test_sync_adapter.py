"""services/sync_adapter.py: the engine's operations and signals → the mailbox's SyncPort.

The engine here is a stand-in with the real engine's signal names and methods
that writes the real durable offline queue, so the adapter's matching of an
action to its queue row, and of the engine's refusal sentence to an action,
run against the same data as in the app. (The whole chain against Dovecot is
tests/integration/test_mailbox_live.py.)
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QObject, Signal

from govmail_desktop.core.entities import Flag
from govmail_desktop.core.errors import StorageError
from govmail_desktop.services.mailbox import (
    CANCELLED,
    DONE,
    FAILED,
    STATE_CONNECTING,
    STATE_OFFLINE,
    STATE_ONLINE,
    STATE_SYNCING,
    MailOp,
)
from govmail_desktop.services.sync_adapter import EngineSyncAdapter, ServerRefused
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from govmail_desktop.sync import offline
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
    newMail = Signal(int, int)
    messagesUnreadable = Signal(int, int)
    actionFailed = Signal(str)

    def __init__(self, cache: MailCache, queue: OfflineOpQueue) -> None:
        super().__init__()
        self.cache, self.queue = cache, queue
        self._ids = itertools.count(100)
        self.seqs: dict[int, int] = {}
        self.calls: list[tuple] = []

    def _record(self, kind, folder, uids, **kw) -> int:
        op_id = next(self._ids)
        cached = self.cache.folder(self.cache.folder_id(folder))
        self.seqs[op_id] = self.queue.enqueue(kind, folder, cached.uidvalidity, uids, **kw)
        return op_id

    def set_flags(self, folder, uids, *, add=(), remove=()):
        return self._record(OpKind.FLAGS, folder, uids, add_flags=add, remove_flags=remove)

    def move_messages(self, folder, uids, target):
        return self._record(OpKind.MOVE, folder, uids, target=target)

    def delete_messages(self, folder, uids, *, permanent=False):
        return self._record(OpKind.EXPUNGE if permanent else OpKind.DELETE, folder, uids)

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


def test_an_action_is_done_once_the_replay_has_sent_it(parts, qtbot):
    adapter, engine, cache, queue, _ = parts
    results = []
    adapter.op_finished.connect(lambda *a: results.append(a))
    adapter.apply(op(1))
    [engine_id] = engine.seqs
    engine.operationFinished.emit(engine_id, DONE, None)  # recorded: queued on disk
    assert results == []  # not yet confirmed by the server
    queue.complete(engine.seqs[engine_id])  # the replay sent it
    engine.operationFinished.emit(999, DONE, None)  # the replay operation ends
    assert results == [(1, DONE, None)]


def test_a_refused_action_fails_with_the_engines_sentence(parts, qtbot):
    adapter, engine, cache, queue, _ = parts
    results = []
    adapter.op_finished.connect(lambda *a: results.append(a))
    adapter.apply(op(1))  # flags, kept
    adapter.apply(op(2, OpKind.MOVE, uids=(5,), target="Archive"))  # refused
    ids = list(engine.seqs)
    for engine_id in ids:
        engine.operationFinished.emit(engine_id, DONE, None)
    for engine_id in ids:
        queue.complete(engine.seqs[engine_id])
    text = offline.MSG_MOVE_REFUSED.format(folder="INBOX", target="Archive").text("th")
    engine.actionFailed.emit(text)
    engine.operationFinished.emit(999, DONE, None)
    assert results[0][:2] == (2, FAILED) and isinstance(results[0][2], ServerRefused)
    assert results[0][2].user_text("th") == text
    assert results[1] == (1, DONE, None)


def test_recording_failures_and_cancels_end_the_action_at_once(parts, qtbot):
    adapter, engine, *_ = parts
    results = []
    adapter.op_finished.connect(lambda *a: results.append(a[:2]))
    adapter.apply(op(1))
    adapter.apply(op(2, OpKind.DELETE, uids=(3,)))
    first, second = engine.seqs
    error = StorageError()
    engine.operationFinished.emit(first, FAILED, error)
    engine.operationFinished.emit(second, CANCELLED, None)
    assert results == [(1, FAILED), (2, CANCELLED)]


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


def test_new_mail_count_becomes_the_newest_uids(parts, qtbot):
    adapter, engine, cache, queue, inbox = parts
    with qtbot.waitSignal(adapter.new_mail) as signal:
        engine.newMail.emit(inbox, 2)
    assert signal.args == [inbox, [19, 20]]
    adapter.request_folder_sync(inbox)
    assert engine.calls[-1] == ("sync_folder", "INBOX")


def test_messages_the_engine_could_not_read_are_passed_on(parts, qtbot):
    adapter, engine, _cache, _queue, inbox = parts
    with qtbot.waitSignal(adapter.messages_unreadable) as signal:
        engine.messagesUnreadable.emit(inbox, 3)
    assert signal.args == [inbox, 3]


def test_a_permanent_delete_reaches_the_engine_as_an_expunge(parts, qtbot):
    adapter, _engine, _cache, queue, _ = parts
    adapter.apply(op(1, OpKind.DELETE, uids=(3,), permanent=True))
    adapter.apply(op(2, OpKind.DELETE, uids=(4,)))
    kinds = [p.kind for p in queue.pending()]
    assert kinds == [OpKind.EXPUNGE, OpKind.DELETE]
