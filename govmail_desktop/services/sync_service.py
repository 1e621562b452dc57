"""The account's sync service: worker threads, operations, and signals for the window.

Threads:

* one **connection worker** owns the IMAP connection and runs operations one
  after another from a serial queue (Anki's single-worker executor, aerc's
  worker loop): folder list, folder syncs, sending offline actions;
* one **local worker** for cache-only work (no network), such as showing the
  special folders the user picked; the user's actions are recorded by the
  mailbox (``sync/offline.record_action``) and sent here, first in line on
  the connection worker, by :meth:`SyncService.send_offline_actions`;
* the **IDLE watcher** (services/idle_watcher.py) has its own connection and
  thread and asks for an INBOX resync when the server reports a change.

Every operation ends in exactly one of ``done``, ``failed`` or ``cancelled``
(``operationFinished``; the worker thread is services/sync_worker.py). A dropped
connection is not a failure of a sync: the worker goes offline, waits (exponential backoff with jitter), reconnects and
runs the operation again; the user may cancel meanwhile. The GUI thread never
waits for any of this: the public methods only enqueue, and results come back
as signals that are always emitted in the thread this object lives in (the GUI
thread), relayed from the workers by queued connections.

Start offline: the models read the cache at once; the worker connects in the
background and the signals tell the models what changed.
"""

from __future__ import annotations

import gc
import itertools
import logging
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, SignalInstance, Slot

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import BugError, GovMailError, PolicyRefused
from govmail_desktop.services.sync_worker import CANCELLED, DONE, FAILED, Operation, Worker, _Relay
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.message_rows import RowKey
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync import connection_policy, offline
from govmail_desktop.sync.connection import ConnectionFactory, MailboxConnection
from govmail_desktop.sync.control import Backoff, CancelToken
from govmail_desktop.sync.engine import sync_account
from govmail_desktop.sync.folder_list import apply_chosen_folders, create_special_folder, sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from govmail_desktop.sync.listener import SyncListener
from govmail_desktop.sync.part_fetch import fetch_message

if TYPE_CHECKING:
    from pathlib import Path

    from govmail_desktop.core.accounts import Account
    from govmail_desktop.net.report import ConnectionReport
    from govmail_desktop.net.resolver import Resolver
    from govmail_desktop.policy.api import ServerPolicy
    from govmail_desktop.services.idle_watcher import IdleWatcher

log = logging.getLogger(__name__)

#: Progress signals at most this often per operation (a 100,000-row sync must not flood the GUI).
PROGRESS_INTERVAL = 0.1
#: New rows are announced to the models at most this often (see _RelayListener). The
#: first screen is announced at once; later batches (older mail, usually below the
#: visible rows) need no faster updates, and each costs a model update and a repaint
#: (measured: 1 s instead of 0.3 s makes the full sync of 100,000 ~0.1 s faster).
INSERT_INTERVAL = 1.0
#: Longest pause of the worker while the GUI thread applies announced rows and repaints.
GUI_WAIT_MAX = 0.1
#: Turns of the GUI event loop after an announcement of new rows before the worker goes on
#: (the model's change, the view's re-layout, its repaint: see SyncService._after_inserted).
ACK_TURNS = 3
#: Interpreter lock handover interval while the service runs (see SyncService.start).
GIL_SWITCH_INTERVAL = 0.001


_frozen = False


def _freeze_long_lived_objects() -> None:
    """Once per process, when the first sync service starts.

    A big sync allocates millions of objects, so the collector's full passes come
    often; each one walks every object the process holds (modules, classes, Qt
    wrappers, ...) with the interpreter lock held: 20-30 ms GUI stalls, measured.
    What exists at this point lives as long as the app: take it out of the
    collector's walks (cyclic garbage made later is still collected).
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


class _RelayListener(SyncListener):
    """SyncListener → relay signals for one operation: progress throttled, inserts coalesced.

    Why coalesce and pause: every model update makes the view repaint, and a
    repaint calls Python (``data()``) hundreds of times; each call must win the
    interpreter lock from this busy worker (measured: 30-80 ms paints and
    150 ms GUI stalls at 100,000 messages). So inserted rows are announced at
    most every :data:`INSERT_INTERVAL` seconds (the first batch at once, for the
    first screen), and after each announcement the worker waits until the GUI
    thread has applied them and repainted: the service acknowledges through
    ``caught_up`` (at most :data:`GUI_WAIT_MAX`, so a busy GUI never holds the
    sync up for long).
    """

    def __init__(self, relay: _Relay, op_id: int, caught_up: threading.Event | None = None) -> None:
        self.relay = relay
        self.op_id = op_id
        self._last = 0.0
        self._pending: dict[int, list[int]] = {}
        self._flushed_at: float | None = None
        self._caught_up = caught_up

    def flush(self) -> None:
        """Announce rows still held back (called before other changes and at the end)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        if self._caught_up is not None:
            self._caught_up.clear()
        for folder_id, uids in pending.items():
            self._emit(self.relay.inserted, folder_id, uids)
        if self._caught_up is not None:
            self._caught_up.wait(GUI_WAIT_MAX)
        self._flushed_at = time.monotonic()

    @staticmethod
    def _emit(signal: SignalInstance, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the Qt side is gone (shutdown): nobody is listening
            pass

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self._emit(self.relay.progress, self.op_id, done, total)

    def folders_changed(self) -> None:
        self.flush()
        self._emit(self.relay.folders)

    def rows_inserted(self, folder_id: int, uids: Sequence[int]) -> None:
        self._pending.setdefault(folder_id, []).extend(uids)
        now = time.monotonic()
        if self._flushed_at is None or now - self._flushed_at >= INSERT_INTERVAL:
            self.flush()

    def rows_changed(self, folder_id: int, uids: Sequence[int]) -> None:
        self.flush()
        self._emit(self.relay.changed, folder_id, list(uids))

    def rows_removed(self, folder_id: int, keys: Sequence[RowKey]) -> None:
        self.flush()
        self._emit(self.relay.removed, folder_id, list(keys))

    def folder_reset(self, folder_id: int) -> None:
        self._pending.pop(folder_id, None)
        self.flush()
        self._emit(self.relay.reset, folder_id)

    def new_mail(self, folder_id: int, uids: Sequence[int]) -> None:
        self.flush()
        self._emit(self.relay.new_mail, folder_id, list(uids))

    def messages_unreadable(self, folder_id: int, count: int) -> None:
        self.flush()
        self._emit(self.relay.unreadable, folder_id, count)

    def action_settled(self, op_id: int, outcome: Outcome, error: GovMailError | None) -> None:
        self.flush()
        self._emit(self.relay.action_settled, op_id, outcome, error)


class SyncService(QObject):
    """Sync of one account: queue operations, get results as signals (GUI thread).

    Signals (always emitted in this object's thread):
        operationStarted(int op_id, str title): translated, e.g. "Synchronizing Inbox".
        operationProgress(int op_id, int done, int total): messages so far.
        operationFinished(int op_id, str outcome, object error): outcome "done",
            "failed" (error: GovMailError, worded by the message bridge) or "cancelled".
        onlineChanged(bool): a connection is up / was lost.
        statusChanged(str): a short translated status ("Offline", "Reconnecting in 8 s…").
        foldersChanged(): folder list or unread counts changed in the cache.
        messagesInserted(int folder_id, list uids) / messagesChanged(int, list uids) /
        messagesRemoved(int folder_id, list RowKey) / folderReset(int folder_id):
            for ``MessageListModel.messages_inserted/changed/removed/folder_reset``.
        newMail(int folder_id, list uids): mail arrived in a folder synced before (the
            UIDs that arrived, already in the cache unless unreadable).
        messagesUnreadable(int folder_id, int count): a folder sync could not use this
            many of the server's FETCH responses (the log has the first one's shape).
        connectionRefused(object error): a changed policy refuses this account's server (a
            PolicyRefused, the words a refused connect has): its open connections were closed;
            None once a later change allows it again (the account syncs again).
        actionSettled(int op_id, Outcome outcome, object error): a user action sent by
            :meth:`send_offline_actions` ended (its id is the one stored with its queued
            row): DONE, or FAILED with an ``ActionRefused`` once the cache shows the
            server's state again. Actions the connection could not send stay queued.
    """

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

    def __init__(
        self,
        cache: MailCache,
        queue: OfflineOpQueue,
        connect: ConnectionFactory,
        *,
        idle_connect: ConnectionFactory | None = None,
        options: SyncOptions | None = None,
        backoff: Callable[[], Backoff] = Backoff,
        chosen_folders: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cache = cache
        self.queue = queue
        self.options = options or SyncOptions()
        #: {role: folder name} the user or the policy picked (core/folder_roles.py); replaced, never changed.
        self._chosen: dict[str, str] = dict(chosen_folders or {})
        self._ids = itertools.count(1)
        self._ops: dict[int, Operation] = {}
        self._online = False
        self._relay = _Relay(self)
        #: Set by the GUI thread once announced rows are applied and painted (see _RelayListener).
        self._gui_caught_up = threading.Event()
        self._connect_relay()
        self._worker = Worker("sync-connection", self._relay, connect, backoff(), self._after_connect)
        self._local = Worker("sync-local", self._relay, None, backoff())
        self._idle_connect = idle_connect
        self._backoff_factory = backoff
        self._idle: IdleWatcher | None = None
        self._started = False
        #: Why a changed policy refuses this account's server (None: it does not), and how the
        #: connection it closed was made (judged again at the next change).
        self.refused: PolicyRefused | None = None
        self._refused_report: ConnectionReport | None = None

    def _connect_relay(self) -> None:
        queued = Qt.ConnectionType.QueuedConnection
        r = self._relay
        r.started.connect(self._on_started, queued)
        r.progress.connect(self.operationProgress, queued)
        r.finished.connect(self._on_finished, queued)
        r.online.connect(self._on_online, queued)
        r.status.connect(self.statusChanged, queued)
        r.folders.connect(self.foldersChanged, queued)
        r.inserted.connect(self.messagesInserted, queued)
        # Connected after the forwarding: runs once the models have the rows.
        r.inserted.connect(self._after_inserted, queued)
        r.changed.connect(self.messagesChanged, queued)
        r.removed.connect(self.messagesRemoved, queued)
        r.reset.connect(self.folderReset, queued)
        r.new_mail.connect(self.newMail, queued)
        r.unreadable.connect(self.messagesUnreadable, queued)
        r.action_settled.connect(self.actionSettled, queued)

    # -- life cycle ----------------------------------------------------------------------
    def start(self, *, initial_sync: bool = True) -> None:
        """Start the workers (and IDLE); queue the first sync. Returns at once."""
        if self._started:
            return
        self._started = True
        # The sync thread parses in Python; by default a GUI thread asking for the
        # interpreter lock waits 5 ms per handover, and a repaint (hundreds of data()
        # callbacks) needs many: 1 ms halves the GUI's worst stall during a big sync.
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL))
        _freeze_long_lived_objects()
        self._worker.start()
        self._local.start()
        if initial_sync:
            if self.queue.count():
                self.send_offline_actions()
            self.sync_folder_list()
            self.sync_folder("INBOX")
        if self._idle_connect is not None:
            from govmail_desktop.services.idle_watcher import IdleWatcher

            self._idle = IdleWatcher(self._idle_connect, backoff=self._backoff_factory(), parent=self)
            self._idle.changed.connect(self._on_idle_change)
            self._idle.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Cancel everything and end the threads; True if they ended within ``timeout``.

        Blocks up to ``timeout`` (shutdown only). Workers are daemon threads, so a
        server that hangs cannot keep the app from quitting.
        """
        if self._idle is not None:
            self._idle.stop()
        for worker in (self._worker, self._local):
            worker.stop()
        deadline = time.monotonic() + timeout
        for worker in (self._worker, self._local):
            if worker.is_alive():
                worker.join(max(0.0, deadline - time.monotonic()))
        if self._idle is not None:
            self._idle.wait(max(0.0, deadline - time.monotonic()))
        return not (self._worker.is_alive() or self._local.is_alive())

    @property
    def online(self) -> bool:
        return self._online

    def policy_changed(self, policy: ServerPolicy) -> None:
        """The policy changed (GUI thread; ``policy`` the server rules now in force): every open
        connection going where it now refuses is closed by its own thread and the account told
        refused (``connectionRefused``), with the words a refused connect has; connections
        still allowed are left alone. Once a later change allows the server again, the account
        syncs again (an interrupted sync goes on from what the cache has) and IDLE reconnects."""
        refused: list[tuple[PolicyRefused, ConnectionReport | None]] = []
        for owner in (self._worker, self._idle):
            if owner is None:
                continue
            report = connection_policy.report_of(owner.connection)
            refusal = owner.recheck(policy)
            if refusal is not None:
                refused.append((refusal, report))
        if refused:
            self.refused, self._refused_report = refused[0]
            self.connectionRefused.emit(self.refused)
        elif self.refused is not None and connection_policy.refusal_of(self._refused_report, policy) is None:
            log.info("The changed policy allows this account's server again: syncing")
            self.refused, self._refused_report = None, None
            self.connectionRefused.emit(None)
            if self._started:
                self.sync_all()  # resumes IDLE too

    def pending_operations(self) -> int:
        return self._worker.pending() + self._local.pending()

    # -- operations --------------------------------------------------------------------------
    def _enqueue(
        self,
        worker: Worker,
        key: tuple[str | int, ...],
        title: Callable[[], str],
        run: Callable[[SyncListener, MailboxConnection | None, CancelToken], object],
        *,
        first: bool = False,
        needs_connection: bool = True,
        retry_on_network: bool = True,
    ) -> int:
        op_id = next(self._ids)
        relay = self._relay
        caught_up = self._gui_caught_up

        def body(conn: MailboxConnection | None, cancel: CancelToken) -> object:
            listener = _RelayListener(relay, op_id, caught_up)
            try:
                return run(listener, conn, cancel)
            finally:
                listener.flush()

        op = Operation(op_id, key, title, body, needs_connection, retry_on_network)
        returned = worker.submit(op, first=first)
        if returned == op_id:
            self._ops[op_id] = op
        return returned

    def _submit(
        self,
        key: tuple[str | int, ...],
        title: Callable[[], str],
        run: Callable[[SyncListener, MailboxConnection, CancelToken], object],
        *,
        first: bool = False,
        retry_on_network: bool = True,
    ) -> int:
        """Queue ``run`` on the connection worker, which hands it the connection."""

        def connected(listener: SyncListener, conn: MailboxConnection | None, cancel: CancelToken) -> object:
            if conn is None:  # the worker connects first for every operation that needs it
                raise BugError(detail="a network operation ran without a connection")
            return run(listener, conn, cancel)

        return self._enqueue(self._worker, key, title, connected, first=first, retry_on_network=retry_on_network)

    def _submit_local(self, key: tuple[str | int, ...], title: Callable[[], str],
                      run: Callable[[SyncListener], object]) -> int:
        """Queue ``run`` on the local worker (the cache only, no connection)."""
        return self._enqueue(
            self._local, key, title, lambda listener, _conn, _cancel: run(listener), needs_connection=False
        )

    def sync_folder_list(self) -> int:
        def run(listener: SyncListener, conn: MailboxConnection, cancel: CancelToken) -> object:
            return sync_folder_list(conn, self.cache, listener, cancel, self._chosen)

        return self._submit(
            ("folders",), lambda: QCoreApplication.translate("SyncService", "Updating the folder list"), run
        )

    def sync_folder(self, name: str) -> int:
        """Bring one folder up to date (the open folder, or INBOX after IDLE)."""

        def run(listener: SyncListener, conn: MailboxConnection, cancel: CancelToken) -> object:
            return FolderSync(conn, self.cache, listener, cancel, self.options).run(name)

        def title() -> str:
            text = QCoreApplication.translate("SyncService", "Synchronizing {folder}")
            return text.format(folder=self._folder_title(name))

        return self._submit(("folder", name), title, run)

    def sync_all(self) -> int:
        """Offline actions, folder list, then every subscribed folder (INBOX first).

        Also what the app calls after the user typed a password: an IDLE watcher
        waiting for one connects again.
        """
        if self._idle is not None:
            self._idle.resume()

        def run(listener: SyncListener, conn: MailboxConnection, cancel: CancelToken) -> object:
            return sync_account(conn, self.cache, self.queue, listener, cancel, self.options, chosen=self._chosen)

        return self._submit(
            ("all",), lambda: QCoreApplication.translate("SyncService", "Synchronizing all folders"), run
        )

    def send_offline_actions(self) -> int:
        """Send queued actions to the server (first in line: they are the user's work);
        each ends with ``actionSettled`` under its id."""

        def run(listener: SyncListener, conn: MailboxConnection, cancel: CancelToken) -> object:
            return offline.replay(conn, self.cache, self.queue, listener, cancel)

        return self._submit(
            ("replay",),
            lambda: QCoreApplication.translate("SyncService", "Sending your changes to the server"),
            run,
            first=True,
        )

    def set_chosen_folders(self, chosen: Mapping[str, str]) -> int:
        """The special folders picked by the user or the policy changed: the cached folder
        list shows them at once (local worker, no network) and every later LIST keeps them."""
        self._chosen = dict(chosen)

        def run(listener: SyncListener) -> object:
            return apply_chosen_folders(self.cache, self._chosen, listener)  # the newest (requests join)

        return self._submit_local(
            ("chosen-folders",),
            lambda: QCoreApplication.translate("SyncService", "Applying the choice of special folders"),
            run,
        )

    def create_special_folder(self, role: str) -> int:
        """Create the missing folder for ``role`` (the user asked for a Trash) and list the
        folders again; ``failed`` with the server's refusal."""

        def run(listener: SyncListener, conn: MailboxConnection, cancel: CancelToken) -> object:
            return create_special_folder(conn, self.cache, role, listener, cancel, self._chosen)

        return self._submit(
            ("create-folder", role),
            lambda: QCoreApplication.translate("SyncService", "Creating the Trash folder")
            if role == SpecialUse.TRASH else QCoreApplication.translate("SyncService", "Creating a folder"),
            run, first=True,
        )

    def fetch_body(
        self, folder: str, uid: int, *, part: str = "", limit: int = 16 * 1024 * 1024, whole: bool = False
    ) -> int:
        """Fetch one message into the cache: whole (up to ``limit`` bytes) as ``part``, or —
        for the preview (``part`` "" and not ``whole``) of a message larger than
        ``sync.part_fetch.SKELETON_THRESHOLD`` — as a skeleton under ``SKELETON_PART``
        (text and attachment list; the files on demand: services/part_fetch.py).

        First in line on the connection worker (the user is waiting for the preview);
        ``done`` once ``MailCache.get_part(folder_id, uid, part)`` (or the skeleton) has it.
        """

        def run(listener: SyncListener, conn: MailboxConnection, cancel: CancelToken) -> object:
            return fetch_message(conn, self.cache, folder, uid, cancel, part=part, limit=limit, whole=whole)

        return self._submit(
            ("body", folder, uid, part, whole),
            lambda: QCoreApplication.translate("SyncService", "Downloading a message"),
            run,
            first=True,
        )

    def run_on_connection(
        self,
        key: tuple[str | int, ...],
        title: Callable[[], str],
        job: Callable[[MailboxConnection, CancelToken], object],
        *,
        first: bool = False,
        retry_on_network: bool = True,
    ) -> int:
        """Run ``job(conn, cancel)`` on this account's connection worker (after what is queued,
        or ``first``); a job with the same ``key`` already waiting is not queued twice. Its end
        is ``operationFinished(op_id, outcome, error)``; its result is the job's to hand on.
        ``retry_on_network=False``: a lost connection ends it as failed (no reconnect and rerun)."""
        return self._submit(
            key, title, lambda _listener, conn, cancel: job(conn, cancel),
            first=first, retry_on_network=retry_on_network,
        )

    def run_in_background(
        self,
        key: tuple[str | int, ...],
        title: Callable[[], str],
        job: Callable[[SyncListener, MailboxConnection, CancelToken], object],
    ) -> int:
        """Run background work (the text download for search: services/body_download.py) at the
        back of the connection worker's queue; ``job`` reports progress through its listener and
        should stop early while :meth:`others_waiting` (the user's work goes first). A lost
        connection ends it as failed (no reconnect and rerun for optional work)."""
        return self._submit(key, title, job, retry_on_network=False)

    def others_waiting(self) -> bool:
        """For a job running on the connection worker: True when other operations wait behind
        it (a clicked message, a folder opened, a sync) — a background job then stops early."""
        return self._worker.pending() > 1

    def cancel(self, op_id: int) -> None:
        """Cancel a queued or running operation (its ``cancelled`` follows, queued)."""
        self._worker.cancel(op_id) or self._local.cancel(op_id)

    def cancel_all(self) -> None:
        self._worker.cancel_all()
        self._local.cancel_all()

    # -- slots (GUI thread) ------------------------------------------------------------------------
    @Slot(int, str)
    def _on_started(self, op_id: int, title: str) -> None:
        self.operationStarted.emit(op_id, title)

    @Slot(int, str, object)
    def _on_finished(self, op_id: int, outcome: str, value: object) -> None:
        self._ops.pop(op_id, None)
        self.operationFinished.emit(op_id, outcome, value if outcome == FAILED else None)

    @Slot(int, object)
    def _after_inserted(self, folder_id: int, uids: object) -> None:
        # Posted behind the model's change, the view's delayed re-layout and the repaint
        # they cause: acknowledge once those have run, :data:`ACK_TURNS` turns of the event
        # loop later. Two turns let the worker go on during the repaint (its ~1,000 data()
        # calls then wait for the interpreter lock: 50-85 ms paints and GUI stalls at
        # 300,000 messages, measured); three keep it at 15-25 ms.
        self._ack_after(ACK_TURNS)

    def _ack_after(self, turns: int) -> None:
        if turns <= 0:
            self._gui_caught_up.set()
            return
        QTimer.singleShot(0, lambda: self._ack_after(turns - 1))

    @Slot(bool)
    def _on_online(self, online: bool) -> None:
        self._online = online
        self.onlineChanged.emit(online)

    @Slot(str)
    def _on_idle_change(self, folder: str) -> None:
        self.sync_folder(folder)

    def _after_connect(self, conn: MailboxConnection, cancel: CancelToken) -> None:
        """Worker thread, right after a (re)connect and before the operation that needed
        it: send what was done offline first, so no sync shows a message the user has
        already moved away."""
        if self.queue.count():
            offline.replay(conn, self.cache, self.queue, _RelayListener(self._relay, 0), cancel)

    def _folder_title(self, name: str) -> str:
        if name.upper() == "INBOX":
            return QCoreApplication.translate("SyncService", "Inbox")
        return name


def imap_connector(
    account: Account,
    password: Callable[[], str],
    policy: ServerPolicy,
    *,
    timeout: float = 30.0,
    resolver: Resolver | None = None,
    extra_ca_files: Sequence[Path] = (),
) -> ConnectionFactory:
    """A ConnectionFactory for an ``core.accounts.Account``: policy → TLS → login → wire.

    ``password`` is asked each time (keyring or the session's memory), never stored here,
    and before anything is opened: with none known (it raises PasswordNeeded) no
    connection is made only to fail.
    """
    from govmail_desktop.net.endpoint import Endpoint
    from govmail_desktop.net.imap.client import wire_from_session
    from govmail_desktop.net.imap_session import ImapSession

    def connect() -> MailboxConnection:
        server = account.imap
        secret = password()
        session = ImapSession.connect(
            Endpoint(server.host, server.port, server.security),
            policy,
            resolver=resolver,
            timeout=timeout,
            extra_ca_files=extra_ca_files,
        )
        try:
            session.login(account.login, secret)
            return wire_from_session(session, timeout=timeout)
        except BaseException:
            session.close()
            raise

    return connect


# Worker and _Relay live in services/sync_worker.py; still importable from here (tests, stress).
__all__ = ["CANCELLED", "DONE", "FAILED", "Operation", "SyncService", "Worker", "_Relay", "imap_connector"]
