"""The GUI-side facade of one account's mailbox: models, preview, and user actions.

:class:`MailboxService` owns the folder tree and message list models over the
account's cache, loads the preview of the selected message (off the GUI
thread) and carries out the user's actions:

1. **at once** — the cache is changed on a local worker thread (a short
   SQLite write, never behind the network) and the models are told, so the
   row turns bold/normal, gets its flag, or disappears immediately;
2. **sent** — the action goes to the sync service as a :class:`MailOp`
   (without a sync service, e.g. before H7's engine runs or with a broken
   policy, it is written to the durable offline queue for later replay);
3. **settled** — when the server answers *done*, nothing more happens; on
   *failed* or *cancelled* the change is **rolled back** in the cache and the
   models (flags return, removed rows come back) and the failure is said in
   plain Thai/English through the message bridge.

What this needs from the sync service is the narrow :class:`SyncPort` below
(``services/sync_adapter.py`` adapts the real engine to it; GUI tests use a
fake). Nothing here blocks on the network or does slow disk work in the GUI
thread: model reads are indexed SQLite reads (see ``models/message_list.py``).

Signals of :class:`MailboxService`:
    preview_ready(PreviewResult): what the preview pane should show now.
    folder_shown(int | None): the message list now shows this folder.
    counts_changed(): unread counts may have changed (folder labels, tray).
    new_mail(NewMail): messages arrived (notifications).
    connection_changed(str): one of the ``STATE_*`` values.
    progress_changed(str, int, int): text, done, total (total 0 = unknown; "" = idle).
    op_settled(int, str): an action ended ``done``/``failed``/``cancelled``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from PySide6.QtCore import QMetaMethod, QObject, QTimer, Signal, Slot

from govmail_desktop.core.entities import Flag, MessageSummary, SpecialUse, decode_flags
from govmail_desktop.core.errors import AuthError, BugError, Cancelled, GovMailError, StorageError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg, current_language
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.mime.parse import ParsedMessage, parse_message
from govmail_desktop.models.folder_tree import FolderTreeModel
from govmail_desktop.models.message_list import MessageListModel
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.store.cache import CachedFolder, MailCache, RowKey
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind


log = logging.getLogger(__name__)

#: The cache part under which a whole fetched message is kept (``BODY.PEEK[]``).
BODY_PART = ""

# Connection states shown in the status bar.
STATE_OFFLINE = "offline"
STATE_CONNECTING = "connecting"
STATE_SYNCING = "syncing"
STATE_ONLINE = "online"
STATES = (STATE_OFFLINE, STATE_CONNECTING, STATE_SYNCING, STATE_ONLINE)

# Outcomes of an action (ARCHITECTURE.md: every operation ends in exactly one).
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"

# What Delete does in a folder (see MailboxService.delete_mode).
DELETE_TO_TRASH = "to-trash"
DELETE_FOR_GOOD = "for-good"  # Shift+Delete, or in the Trash: only after the user confirms
DELETE_NO_TRASH = "no-trash"  # the account has no Trash: ask (create one / delete for good / cancel)

# Preview states.
PREVIEW_EMPTY = "empty"  # nothing selected
PREVIEW_LOADING = "loading"  # headers known, body being fetched
PREVIEW_READY = "ready"
PREVIEW_UNAVAILABLE = "unavailable"  # offline and not cached
PREVIEW_FAILED = "failed"


@dataclass(frozen=True)
class MailOp:
    """One user action for the server (what the sync service needs to send it).

    Folders are named (the server's names) and carry their UIDVALIDITY, as in
    the durable offline queue; ``folder_id`` is the cache's id for listeners.
    ``permanent`` deletes for good (\\Deleted + UID EXPUNGE) even outside the
    Trash (Shift+Delete); a plain DELETE moves to the Trash, or expunges in it.
    """

    op_id: int
    kind: OpKind
    folder: str
    folder_id: int
    uidvalidity: int | None
    uids: tuple[int, ...]
    add_flags: frozenset[str] = frozenset()
    remove_flags: frozenset[str] = frozenset()
    target: str | None = None
    permanent: bool = False


class SyncPort(Protocol):
    """What the mailbox facade needs from an account's sync service.

    Signals (Qt, delivered queued in the GUI thread):
        op_finished(int op_id, str outcome, object error): DONE / FAILED / CANCELLED;
            ``error`` is a GovMailError for FAILED, else None.
        progress(str text, int done, int total): "" text = idle.
        connection_state(str): one of STATES.
        folders_changed(): folder list or counts were written to the cache.
        rows_inserted(int folder_id, list uids), rows_changed(int folder_id, list uids),
        rows_removed(int folder_id, list RowKey), folder_reset(int folder_id):
            the cache changed (the models are told).
        new_mail(int folder_id, list uids): messages arrived (already in the cache).
        messages_unreadable(int folder_id, int count): a sync of the folder could not
            read this many messages from the server (the user is told).
        body_ready(int folder_id, int uid): the whole message is in the cache (BODY_PART).
        body_failed(int folder_id, int uid, object error).
        problem(object error): a GovMailError not tied to an action (login refused,
            certificate not trusted...): said through the message bridge.
    """

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def request_folder_sync(self, folder_id: int) -> None: ...

    def fetch_body(self, folder_id: int, uid: int) -> None: ...

    def apply(self, op: MailOp) -> None: ...

    def cancel(self) -> None: ...


_SYNC_SIGNALS = (
    "op_finished", "progress", "connection_state", "folders_changed", "rows_inserted", "rows_changed",
    "rows_removed", "folder_reset", "new_mail", "messages_unreadable", "body_ready", "body_failed", "problem",
)


@dataclass(frozen=True)
class PreviewResult:
    """What the preview pane shows; ``parsed`` is set when ``state`` is PREVIEW_READY."""

    state: str
    folder_id: int | None = None
    uid: int | None = None
    summary: MessageSummary | None = None
    parsed: ParsedMessage | None = None
    error: GovMailError | None = None


@dataclass(frozen=True)
class NewMail:
    """Messages that just arrived (for a desktop notification)."""

    account_name: str
    folder_id: int
    folder_role: str | None
    messages: tuple[MessageSummary, ...]
    count: int


# -- user-facing wording of failures ------------------------------------------------------
MSG_MARK_READ_FAILED = QT_TRANSLATE_NOOP("Mailbox", "Could not mark the messages as read; the change was undone.")
MSG_MARK_UNREAD_FAILED = QT_TRANSLATE_NOOP(
    "Mailbox", "Could not mark the messages as unread; the change was undone."
)
MSG_FLAG_FAILED = QT_TRANSLATE_NOOP("Mailbox", "Could not flag the messages; the change was undone.")
MSG_UNFLAG_FAILED = QT_TRANSLATE_NOOP("Mailbox", "Could not remove the flag; the change was undone.")
MSG_FLAGS_FAILED = QT_TRANSLATE_NOOP("Mailbox", "Could not change the messages; the change was undone.")
MSG_MOVE_FAILED = QT_TRANSLATE_NOOP(
    "Mailbox", "Could not move the messages to {folder}; they are back where they were."
)
MSG_COPY_FAILED = QT_TRANSLATE_NOOP("Mailbox", "Could not copy the messages to {folder}.")
MSG_ARCHIVE_FAILED = QT_TRANSLATE_NOOP("Mailbox", "Could not archive the messages; they are back where they were.")
MSG_DELETE_FAILED = QT_TRANSLATE_NOOP("Mailbox", "Could not delete the messages; they are back where they were.")
MSG_CANCELLED_UNDONE = QT_TRANSLATE_NOOP("Mailbox", "The action was cancelled and undone.")
MSG_NO_ARCHIVE = QT_TRANSLATE_NOOP(
    "Mailbox", "This account has no Archive folder on the server, so nothing was archived."
)
MSG_NO_TRASH_NOTHING_DELETED = QT_TRANSLATE_NOOP(
    "Mailbox", "This account has no Trash folder, so nothing was deleted."
)
MSG_TRASH_CREATED = QT_TRANSLATE_NOOP("Mailbox", "The Trash folder was created on the server.")
MSG_TRASH_NOT_CREATED = QT_TRANSLATE_NOOP(
    "Mailbox", "Could not create the Trash folder, so nothing was deleted."
)
MSG_TRASH_NEEDS_SERVER = QT_TRANSLATE_NOOP(
    "Mailbox", "A Trash folder can only be created while connected to the server; nothing was deleted."
)
MSG_QUEUED_OFFLINE = QT_TRANSLATE_NOOP(
    "Mailbox", "Not connected: the change is kept on this computer and sent when the connection returns."
)
MSG_UNREADABLE = QT_TRANSLATE_NOOP(
    "Mailbox", "{count} messages in {folder} could not be read from the server; they are not shown."
)
MSG_BODY_OFFLINE = QT_TRANSLATE_NOOP(
    "Mailbox", "This message has not been downloaded yet. It will be shown once connected."
)


class ActionFailed(GovMailError):
    """A user action the server refused or that could not be sent; it was undone.

    The sentence says what was undone; the cause's own wording (network down,
    server refused, ...) follows it.
    """

    code = "action-failed"
    default_message = MSG_FLAGS_FAILED

    def __init__(self, message: Msg, cause: GovMailError | None = None, **kwargs: Any) -> None:
        super().__init__(message, detail=(cause.detail if cause is not None else ""), **kwargs)
        self.cause = cause
        if cause is not None:
            self.code = f"action-failed:{cause.code}"
            self.is_environment = cause.is_environment

    def user_text(self, lang: str | None = None) -> str:
        parts = [self.message.text(lang)]
        if self.cause is not None:
            parts.append(self.cause.user_text(lang))
        return " ".join(parts)


@dataclass
class _Pending:
    """An action shown in the cache and not yet confirmed by the server."""

    op: MailOp
    failure: Msg
    #: FLAGS: the UIDs whose flags this action really changed (only those are undone).
    changed: tuple[int, ...] = ()
    #: MOVE/DELETE: the removed rows, to put back.
    removed: tuple[MessageSummary, ...] = ()


def _as_error(exc: BaseException) -> GovMailError:
    if isinstance(exc, GovMailError):
        return exc
    bug = BugError(detail=f"{type(exc).__name__}: {exc}")
    bug.__cause__ = exc
    return bug


class MailboxService(QObject):
    """One account's models, preview and optimistic actions (see the module doc).

    ``password_needed(error)``: the server refused the password, or none is
    known (an "ask each session" account after a restart); the UI asks the user
    and calls :meth:`retry_connection` (and reports the error itself if the user
    cancels). Without a receiver, the error is reported like any other.
    """

    password_needed = Signal(object)
    preview_ready = Signal(object)
    folder_shown = Signal(object)
    counts_changed = Signal()
    new_mail = Signal(object)
    connection_changed = Signal(str)
    progress_changed = Signal(str, int, int)
    op_settled = Signal(int, str)

    #: Coalescing delay of unread-count refreshes during a big sync (ms).
    COUNTS_DELAY_MS = 150

    _op_ids = itertools.count(1)

    def __init__(
        self,
        account_id: str,
        account_name: str,
        cache: MailCache,
        *,
        sync: SyncPort | None = None,
        offline_queue: OfflineOpQueue | None = None,
        bridge: Any = None,
        formatter: DateFormatter | None = None,
        language: Callable[[], str] = current_language,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.account_id = account_id
        self.account_name = account_name
        self.cache = cache
        self.sync = sync
        self.offline_queue = offline_queue
        self.bridge = bridge
        self._language = language
        self.worker = LocalWorker(f"mailbox-{account_id}", on_thread_exit=self._close_thread_connections, parent=self)
        self.folder_model = FolderTreeModel(cache, self)
        self.message_model = MessageListModel(cache, self, formatter=formatter)
        self.folder_model.storageFailed.connect(self._report)
        self.message_model.storageFailed.connect(self._report)
        self.folder_model.messagesDropped.connect(self._on_dropped)
        self.connection_state = STATE_OFFLINE
        self._pending: dict[int, _Pending] = {}
        self._preview_key: tuple[int, int] | None = None
        self._preview_generation = 0
        self._threaded = False
        self._thread_refresh_running = False
        self._thread_refresh_again = False
        #: Checks every folder now and then (the Inbox is also watched by IDLE).
        self._check_timer = QTimer(self)
        self._check_timer.timeout.connect(self.retry_connection)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(self.COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self._refresh_counts)
        self._closed = False
        #: The special folders picked by the user ({"trash": name} ...) and by the policy.
        self.user_folder_choice: dict[str, str] = {}
        self.policy_folder_choice: dict[str, str] = {}
        #: Deletes waiting for a Trash being created: (folder id, uids).
        self._waiting_for_trash: list[tuple[int, tuple[int, ...]]] = []
        if sync is not None:
            self._connect_sync(sync)

    # ------------------------------------------------------------------ wiring

    def _connect_sync(self, sync: Any) -> None:
        for name in _SYNC_SIGNALS:
            if not hasattr(sync, name):
                log.warning("Sync service has no %s signal; that part of the mailbox stays idle", name)
        connections = {
            "op_finished": self._on_op_finished,
            "progress": self._on_progress,
            "connection_state": self._on_connection_state,
            "folders_changed": self._on_folders_changed,
            "rows_inserted": self._on_rows_inserted,
            "rows_changed": self._on_rows_changed,
            "rows_removed": self._on_rows_removed,
            "folder_reset": self._on_folder_reset,
            "new_mail": self._on_new_mail,
            "messages_unreadable": self._on_messages_unreadable,
            "body_ready": self._on_body_ready,
            "body_failed": self._on_body_failed,
            "problem": self._on_problem,
        }
        for name, slot in connections.items():
            signal = getattr(sync, name, None)
            if signal is not None:
                signal.connect(slot)
        created = getattr(sync, "special_folder_created", None)  # optional: creating a missing Trash
        if created is not None:
            created.connect(self._on_special_folder_created)

    def start(self) -> None:
        """Show the cached mail (no network) and let the sync service start."""
        inbox = self.special_folder_id(SpecialUse.INBOX)
        if inbox is not None and self.message_model.folder_id is None:
            self.select_folder(inbox)
        if self.sync is not None:
            self.sync.start()

    def shutdown(self) -> None:
        """Stop the sync and the local worker; close this thread's cache connections."""
        if self._closed:
            return
        self._closed = True
        self._check_timer.stop()
        self._counts_timer.stop()
        if self.sync is not None:
            try:
                self.sync.stop()
            except Exception:  # noqa: BLE001
                log.exception("Stopping the sync service of %s failed", self.account_id)
        self.worker.shutdown()

    def _close_thread_connections(self) -> None:
        self.cache.close_thread()
        if self.offline_queue is not None:
            self.offline_queue.close_thread()

    def _report(self, error: BaseException) -> None:
        if self.bridge is None:
            log.warning("Mailbox %s: %s", self.account_id, error)
        elif isinstance(error, GovMailError):
            self.bridge.report_error(error)
        else:
            self.bridge.report_exception(error)

    # ------------------------------------------------------------------ folders

    def folder(self, folder_id: int) -> CachedFolder | None:
        try:
            return self.cache.folder(folder_id)
        except StorageError as exc:
            self._report(exc)
            return None

    def special_folder_id(self, role: str) -> int | None:
        """The folder with this special use (``SpecialUse.INBOX`` ...), if the account has one."""
        try:
            folders = self.cache.folders()
        except StorageError as exc:
            self._report(exc)
            return None
        for cached in folders:
            if cached.folder.role == role and cached.folder.selectable:
                return cached.id
        return None

    @property
    def current_folder_id(self) -> int | None:
        return self.message_model.folder_id

    def select_folder(self, folder_id: int | None) -> None:
        """Show a folder's cached messages now, and ask the server for its news."""
        if folder_id == self.message_model.folder_id:
            if folder_id is not None and self.sync is not None:
                self.sync.request_folder_sync(folder_id)
            return
        self.load_preview(None)
        if folder_id is not None and self._threaded:
            # The conversation order costs ~1 s per 100,000 messages: build it off the GUI thread.
            self.message_model.set_folder(None)
            self.worker.submit(
                lambda: self.cache.ensure_thread_order(folder_id),
                lambda _rebuilt: self._show_folder(folder_id),
                self._on_worker_error,
            )
        else:
            self._show_folder(folder_id)
        if folder_id is not None and self.sync is not None:
            self.sync.request_folder_sync(folder_id)

    def _show_folder(self, folder_id: int | None) -> None:
        self.message_model.set_folder(folder_id)
        self.folder_shown.emit(folder_id)

    def set_threaded(self, threaded: bool) -> None:
        """Group the list by conversation (the order is built on the worker first)."""
        self._threaded = threaded
        folder_id = self.message_model.folder_id
        if not threaded or folder_id is None:
            self.message_model.set_threaded(threaded)
            return
        self.worker.submit(
            lambda: self.cache.ensure_thread_order(folder_id),
            lambda _rebuilt: self.message_model.set_threaded(self._threaded),
            self._on_worker_error,
        )

    def refresh(self) -> None:
        """Check the shown folder for news now (F5)."""
        if self.sync is not None and self.message_model.folder_id is not None:
            self.sync.request_folder_sync(self.message_model.folder_id)

    def set_check_interval(self, minutes: float) -> None:
        """Check every folder each ``minutes`` (0 or less: only when asked)."""
        if minutes and minutes > 0 and self.sync is not None:
            self._check_timer.start(max(1, int(minutes * 60_000)))
        else:
            self._check_timer.stop()

    def retry_connection(self) -> None:
        """Connect again now (after the user typed a password): sync everything."""
        if self.sync is None:
            return
        sync_all = getattr(self.sync, "sync_all", None)
        if sync_all is not None:
            sync_all()
        else:
            self.refresh()

    def cancel_sync(self) -> None:
        if self.sync is not None:
            self.sync.cancel()

    def retranslate(self, formatter: DateFormatter | None = None) -> None:
        self.folder_model.retranslate()
        self.message_model.retranslate(formatter)

    def inbox_unread(self) -> int:
        """Unread messages in the Inbox (what the tray shows)."""
        inbox = self.special_folder_id(SpecialUse.INBOX)
        if inbox is None:
            return 0
        try:
            return self.cache.unread_counts().get(inbox, 0)
        except StorageError as exc:
            self._report(exc)
            return 0

    # ------------------------------------------------------------------ preview

    def load_preview(self, uid: int | None) -> None:
        """Show message ``uid`` of the current folder (None: nothing selected).

        The cached summary and body are read and parsed on the worker; a body
        not cached yet is asked of the sync service (PREVIEW_LOADING meanwhile).
        """
        self._preview_generation += 1
        folder_id = self.message_model.folder_id
        if uid is None or folder_id is None:
            self._preview_key = None
            self.preview_ready.emit(PreviewResult(PREVIEW_EMPTY))
            return
        self._preview_key = (folder_id, uid)
        generation = self._preview_generation
        self.worker.submit(
            lambda: self._read_preview(folder_id, uid, generation),
            lambda result: self._preview_read(result, generation),
            lambda exc: self._preview_error(exc, folder_id, uid, generation),
        )

    def _read_preview(self, folder_id: int, uid: int, generation: int) -> PreviewResult | None:
        """Worker: summary + cached body → parsed preview (None if already outdated)."""
        if generation != self._preview_generation:
            return None  # the user has moved on; skip the parse
        summary = self.cache.summary(folder_id, uid)
        raw = self.cache.get_part(folder_id, uid, BODY_PART)
        if raw is None:
            return PreviewResult(PREVIEW_LOADING, folder_id, uid, summary)
        return PreviewResult(PREVIEW_READY, folder_id, uid, summary, parse_message(raw, lang=self._language()))

    def _preview_read(self, result: PreviewResult | None, generation: int) -> None:
        if result is None or generation != self._preview_generation:
            return
        if result.state == PREVIEW_LOADING:
            if result.summary is None:  # gone meanwhile (expunged)
                self.preview_ready.emit(PreviewResult(PREVIEW_EMPTY))
                return
            if self.sync is None or (self.connection_state == STATE_OFFLINE and not self._sync_queues_offline()):
                result = replace(result, state=PREVIEW_UNAVAILABLE)
            else:
                assert result.folder_id is not None and result.uid is not None
                self.sync.fetch_body(result.folder_id, result.uid)
        self.preview_ready.emit(result)

    def _sync_queues_offline(self) -> bool:
        """A sync service may accept body requests while offline (it fetches on reconnect)."""
        return bool(getattr(self.sync, "queues_offline", False))

    def _preview_error(self, exc: BaseException, folder_id: int, uid: int, generation: int) -> None:
        error = _as_error(exc)
        if generation == self._preview_generation:
            self.preview_ready.emit(PreviewResult(PREVIEW_FAILED, folder_id, uid, error=error))
        self._report(error)

    @Slot(int, int)
    def _on_body_ready(self, folder_id: int, uid: int) -> None:
        if self._preview_key == (folder_id, uid):
            self.load_preview(uid)

    @Slot(int, int, object)
    def _on_body_failed(self, folder_id: int, uid: int, error: object) -> None:
        if self._preview_key != (folder_id, uid):
            return
        err = _as_error(error) if isinstance(error, BaseException) else BugError(detail=str(error))
        self.preview_ready.emit(PreviewResult(PREVIEW_FAILED, folder_id, uid, error=err))
        if not isinstance(err, Cancelled):
            self._report(err)

    # ------------------------------------------------------------------ actions (optimistic)

    #: Selections up to this many rows are read from the model's pages; bigger
    #: ones (Ctrl+A in a big folder) in one indexed query.
    SMALL_SELECTION = 512

    def uids_in_rows(self, first: int, last: int) -> list[int]:
        """UIDs of the list rows ``first..last`` as shown now."""
        model = self.message_model
        last = min(last, model.rowCount() - 1)
        if last < first:
            return []
        folder_id = model.folder_id
        if last - first < self.SMALL_SELECTION or folder_id is None:
            return model.uids_at(range(first, last + 1))
        try:
            if model.threaded:
                rows = [r for r, _depth in self.cache.thread_page(folder_id, first, last - first + 1)]
            else:
                rows = self.cache.page(folder_id, model.sort_key, model.descending, first, last - first + 1)
        except StorageError as exc:
            self._report(exc)
            return []
        return [r.uid for r in rows]

    #: A toggle (M, S) decides from at most this many of the selected messages.
    TOGGLE_SAMPLE = 200

    def uids_with_flag(self, uids: Iterable[int], flag: str) -> tuple[list[int], list[int]]:
        """(with, without) the flag among the first :attr:`TOGGLE_SAMPLE` UIDs, read
        from the model's pages (a cache query only for rows not loaded)."""
        with_flag: list[int] = []
        without: list[int] = []
        for uid in itertools.islice(uids, self.TOGGLE_SAMPLE):
            row = self.message_model.row_of_uid(uid)
            data = self.message_model.row_data(row) if row is not None else None
            flags = None
            if data is not None:
                flags = decode_flags(data.flags, data.keywords)
            elif self.message_model.folder_id is not None:
                flags = self.cache.flags_of(self.message_model.folder_id, uid)
            (with_flag if flags is not None and flag in flags else without).append(uid)
        return with_flag, without

    def mark_read(self, uids: Sequence[int], read: bool = True) -> int | None:
        if read:
            return self._change_flags(uids, add={Flag.SEEN}, failure=MSG_MARK_READ_FAILED)
        return self._change_flags(uids, remove={Flag.SEEN}, failure=MSG_MARK_UNREAD_FAILED)

    def toggle_read(self, uids: Sequence[int]) -> int | None:
        """Thunderbird's M: any unread among them → all read; else all unread.

        A huge selection (Ctrl+A) decides by its first messages, as the menu text does.
        """
        _, unread = self.uids_with_flag(uids, Flag.SEEN)
        return self.mark_read(uids, read=bool(unread))

    def set_flagged(self, uids: Sequence[int], flagged: bool = True) -> int | None:
        if flagged:
            return self._change_flags(uids, add={Flag.FLAGGED}, failure=MSG_FLAG_FAILED)
        return self._change_flags(uids, remove={Flag.FLAGGED}, failure=MSG_UNFLAG_FAILED)

    def toggle_flagged(self, uids: Sequence[int]) -> int | None:
        _, unflagged = self.uids_with_flag(uids, Flag.FLAGGED)
        return self.set_flagged(uids, flagged=bool(unflagged))

    def delete_mode(self, folder_id: int | None = None, *, shift: bool = False) -> str:
        """What Delete does here: DELETE_TO_TRASH; DELETE_FOR_GOOD (Shift+Delete, or in
        the Trash: ask the user first); DELETE_NO_TRASH (the account has no Trash: ask
        whether to create one or to delete for good — never erase by default)."""
        folder_id = self.message_model.folder_id if folder_id is None else folder_id
        if shift:
            return DELETE_FOR_GOOD
        trash = self.special_folder_id(SpecialUse.TRASH)
        if trash is None:
            return DELETE_NO_TRASH
        return DELETE_FOR_GOOD if trash == folder_id else DELETE_TO_TRASH

    def delete_is_permanent(self, folder_id: int | None = None, *, shift: bool = False) -> bool:
        """Shift+Delete or a message in the Trash: deleted for good (after the user confirms)."""
        return self.delete_mode(folder_id, shift=shift) == DELETE_FOR_GOOD

    def delete(self, uids: Sequence[int], *, permanent: bool = False) -> int | None:
        """To the Trash (the server moves them), or for good when ``permanent``
        (the caller has asked the user first; see :meth:`delete_mode`).

        Without a Trash and without ``permanent`` nothing is deleted (the user is told):
        erasing mail the user meant to keep in a Trash is never a default.
        """
        folder_id = self.message_model.folder_id
        if folder_id is None or not uids:
            return None
        trash = self.special_folder_id(SpecialUse.TRASH)
        if trash is None and not permanent:
            if self.bridge is not None:
                self.bridge.warning(MSG_NO_TRASH_NOTHING_DELETED)
            return None
        permanent = permanent or trash == folder_id
        return self._remove(OpKind.DELETE, folder_id, uids, None, MSG_DELETE_FAILED, permanent=permanent)

    def create_trash_and_delete(self, uids: Sequence[int]) -> bool:
        """The user chose "Create a Trash folder": create it on the server, then move
        ``uids`` (of the folder shown now) there. False when it cannot be done now."""
        folder_id = self.message_model.folder_id
        create = getattr(self.sync, "create_special_folder", None)
        if create is None or self.connection_state == STATE_OFFLINE:
            if self.bridge is not None:
                self.bridge.warning(MSG_TRASH_NEEDS_SERVER)
            return False
        if folder_id is not None and uids:
            self._waiting_for_trash.append((folder_id, tuple(uids)))
        create(SpecialUse.TRASH)
        return True

    @Slot(str, str, object)
    def _on_special_folder_created(self, role: str, outcome: str, error: object) -> None:
        if role != SpecialUse.TRASH:
            return
        waiting, self._waiting_for_trash = self._waiting_for_trash, []
        trash = self.special_folder_id(SpecialUse.TRASH)
        if outcome != DONE or trash is None:
            if outcome == CANCELLED or isinstance(error, Cancelled):
                if self.bridge is not None:
                    self.bridge.info(MSG_CANCELLED_UNDONE)
                return
            cause = error if isinstance(error, GovMailError) else None
            self._report(ActionFailed(MSG_TRASH_NOT_CREATED, cause))
            return
        if self.bridge is not None:
            self.bridge.info(MSG_TRASH_CREATED)
        for folder_id, uids in waiting:
            if folder_id != trash:
                self._remove(OpKind.DELETE, folder_id, uids, None, MSG_DELETE_FAILED)

    def special_folder_overview(self) -> tuple[list[str], dict[str, str]]:
        """(names of the folders that can hold mail, {role key: folder name} in force now),
        for the Special Folders dialog."""
        from govmail_desktop.core.folder_roles import KEY_OF_ROLE

        try:
            folders = self.cache.folders()
        except StorageError as exc:
            self._report(exc)
            return [], {}
        names = [c.name for c in folders if c.folder.selectable and not c.folder.is_inbox]
        in_force = {
            KEY_OF_ROLE[c.folder.special_use]: c.name for c in folders if c.folder.special_use in KEY_OF_ROLE
        }
        return names, in_force

    def set_folder_choice(
        self, user: dict[str, str], policy: dict[str, str] | None = None, *, apply: bool = True
    ) -> None:
        """Which folders the user (and the policy) made Sent, Drafts, Trash, Junk, Archive
        ({"trash": name} ...). With ``apply`` the folder tree shows it at once (no network)
        and the sync keeps it."""
        from govmail_desktop.core.folder_roles import chosen_roles

        self.user_folder_choice = dict(user)
        if policy is not None:
            self.policy_folder_choice = dict(policy)
        if not apply:
            return
        chosen = chosen_roles(self.user_folder_choice, self.policy_folder_choice)
        setter = getattr(self.sync, "set_chosen_folders", None)
        if setter is not None:
            setter(chosen)
            return
        from govmail_desktop.sync.folder_list import apply_chosen_folders

        self.worker.submit(
            lambda: apply_chosen_folders(self.cache, chosen),
            lambda changed: self._on_folders_changed() if changed else None,
            self._on_worker_error,
        )

    def _transfer(
        self, uids: Sequence[int], target_folder_id: int, source_folder_id: int | None
    ) -> tuple[int, str, str] | None:
        """(source folder id, target name, target's shown name) of a move or copy, or None."""
        source = self.message_model.folder_id if source_folder_id is None else source_folder_id
        if source is None or not uids or target_folder_id == source:
            return None
        target = self.folder(target_folder_id)
        if target is None:
            return None
        return source, target.name, folder_display_name(self.folder_model, target_folder_id) or target.name

    def move(self, uids: Sequence[int], target_folder_id: int, source_folder_id: int | None = None) -> int | None:
        transfer = self._transfer(uids, target_folder_id, source_folder_id)
        if transfer is None:
            return None
        source, target, shown = transfer
        return self._remove(OpKind.MOVE, source, uids, target, MSG_MOVE_FAILED.format(folder=shown))

    def copy(self, uids: Sequence[int], target_folder_id: int, source_folder_id: int | None = None) -> int | None:
        """Copies in another folder (the originals stay); they show there after its next sync."""
        transfer = self._transfer(uids, target_folder_id, source_folder_id)
        if transfer is None:
            return None
        source, target, shown = transfer
        op = self._new_op(OpKind.COPY, source, uids, target=target)
        if op is None:
            return None
        self._send(_Pending(op, MSG_COPY_FAILED.format(folder=shown)))
        return op.op_id

    def archive(self, uids: Sequence[int]) -> int | None:
        archive = self.special_folder_id(SpecialUse.ARCHIVE)
        if archive is None:
            if self.bridge is not None:
                self.bridge.warning(MSG_NO_ARCHIVE)
            return None
        target = self.folder(archive)
        source = self.message_model.folder_id
        if target is None or source is None or source == archive or not uids:
            return None
        return self._remove(OpKind.MOVE, source, uids, target.name, MSG_ARCHIVE_FAILED)

    @Slot(int, int, list, bool)
    def _on_dropped(self, target_id: int, source_id: int, uids: list, copy: bool) -> None:
        """Dropped on a folder: moved, or copied when Ctrl was held (as in every file manager)."""
        if copy:
            self.copy([int(u) for u in uids], target_id, source_id)
        else:
            self.move([int(u) for u in uids], target_id, source_id)

    def _new_op(self, kind: OpKind, folder_id: int, uids: Sequence[int], **fields: Any) -> MailOp | None:
        cached = self.folder(folder_id)
        if cached is None:
            return None
        return MailOp(
            op_id=next(self._op_ids),
            kind=kind,
            folder=cached.name,
            folder_id=folder_id,
            uidvalidity=cached.uidvalidity,
            uids=tuple(sorted(set(int(u) for u in uids))),
            **fields,
        )

    def _change_flags(self, uids: Sequence[int], *, add: Iterable[str] = (), remove: Iterable[str] = (), failure: Msg) -> int | None:
        folder_id = self.message_model.folder_id
        if folder_id is None or not uids:
            return None
        op = self._new_op(OpKind.FLAGS, folder_id, uids, add_flags=frozenset(add), remove_flags=frozenset(remove))
        if op is None:
            return None

        def work() -> list[int]:
            return self.cache.change_flags(folder_id, op.uids, add=op.add_flags, remove=op.remove_flags)

        def shown(changed: list[int]) -> None:
            self._notify_changed(folder_id, changed)
            self._send(_Pending(op, failure, changed=tuple(changed)))

        self.worker.submit(work, shown, lambda exc: self._apply_failed(op, failure, exc))
        return op.op_id

    def _remove(
        self, kind: OpKind, folder_id: int, uids: Sequence[int], target: str | None, failure: Msg, *, permanent: bool = False
    ) -> int | None:
        op = self._new_op(kind, folder_id, uids, target=target, permanent=permanent)
        if op is None:
            return None

        def work() -> tuple[list[MessageSummary], list[RowKey]]:
            kept = [s for s in (self.cache.summary(folder_id, uid) for uid in op.uids) if s is not None]
            return kept, self.cache.expunge(folder_id, op.uids)

        def shown(result: tuple[list[MessageSummary], list[RowKey]]) -> None:
            kept, keys = result
            self._notify_removed(folder_id, keys)
            self._send(_Pending(op, failure, removed=tuple(kept)))

        self.worker.submit(work, shown, lambda exc: self._apply_failed(op, failure, exc))
        return op.op_id

    def _folder_id_of(self, name: str) -> int | None:
        try:
            return self.cache.folder_id(name)
        except GovMailError:
            return None

    def _apply_failed(self, op: MailOp, failure: Msg, exc: BaseException) -> None:
        """The local change itself failed (disk full...): nothing is shown or sent."""
        self._report(ActionFailed(failure, _as_error(exc)))
        self.op_settled.emit(op.op_id, FAILED)

    def _send(self, pending: _Pending) -> None:
        op = pending.op
        self._pending[op.op_id] = pending
        if self.sync is not None:
            try:
                self.sync.apply(op)
            except GovMailError as exc:
                self._on_op_finished(op.op_id, FAILED, exc)
            return
        # No sync service: keep the action durably for the engine to replay later.
        queue = self.offline_queue
        if queue is None:
            self._on_op_finished(op.op_id, DONE, None)
            return

        kind = OpKind.EXPUNGE if op.kind is OpKind.DELETE and op.permanent else op.kind

        def enqueue() -> int:
            return queue.enqueue(
                kind, op.folder, op.uidvalidity, op.uids,
                add_flags=op.add_flags, remove_flags=op.remove_flags, target=op.target,
            )

        def queued(_seq: int) -> None:
            if self.bridge is not None:
                self.bridge.info(MSG_QUEUED_OFFLINE)
            self._on_op_finished(op.op_id, DONE, None)

        self.worker.submit(enqueue, queued, lambda exc: self._on_op_finished(op.op_id, FAILED, _as_error(exc)))

    @Slot(int, str, object)
    def _on_op_finished(self, op_id: int, outcome: str, error: object) -> None:
        pending = self._pending.pop(op_id, None)
        if pending is None:
            return  # not ours, or already settled
        if outcome == DONE:
            if pending.op.kind is OpKind.COPY and pending.op.target and self.sync is not None:
                target_id = self._folder_id_of(pending.op.target)
                if target_id is not None:
                    self.sync.request_folder_sync(target_id)  # the copies (and counts) show there
            self.op_settled.emit(op_id, DONE)
            return
        err = error if isinstance(error, GovMailError) else (
            _as_error(error) if isinstance(error, BaseException) else None
        )
        self._roll_back(pending, outcome, err)

    def _roll_back(self, pending: _Pending, outcome: str, error: GovMailError | None) -> None:
        op = pending.op
        folder_id = op.folder_id

        if op.kind is OpKind.FLAGS:
            def work() -> tuple[str, list[int]]:
                changed = self.cache.change_flags(
                    folder_id, pending.changed, add=op.remove_flags, remove=op.add_flags
                ) if pending.changed else []
                return "changed", changed
        else:
            def work() -> tuple[str, list[int]]:
                # The sync may have put some back already (it refetches what the server has).
                present = {k.uid for k in self.cache.row_keys(folder_id, [s.uid for s in pending.removed])}
                missing = [s for s in pending.removed if s.uid not in present]
                self.cache.insert_summaries(folder_id, missing)
                return "inserted", [s.uid for s in missing]

        def undone(result: tuple[str, list[int]]) -> None:
            what, uids = result
            if what == "changed":
                self._notify_changed(folder_id, uids)
            else:
                self._notify_inserted(folder_id, uids)
            if outcome == CANCELLED or isinstance(error, Cancelled):
                if self.bridge is not None:
                    self.bridge.info(MSG_CANCELLED_UNDONE)
            else:
                self._report(ActionFailed(pending.failure, error))
            self.op_settled.emit(op.op_id, outcome)

        def undo_failed(exc: BaseException) -> None:
            self._report(ActionFailed(pending.failure, _as_error(exc)))
            self.op_settled.emit(op.op_id, outcome)

        self.worker.submit(work, undone, undo_failed)

    @property
    def pending_ops(self) -> int:
        return len(self._pending)

    # ------------------------------------------------------------------ model notifications

    def _shown(self, folder_id: int) -> bool:
        return self.message_model.folder_id == folder_id

    def _notify_changed(self, folder_id: int, uids: Sequence[int]) -> None:
        if uids and self._shown(folder_id):
            self.message_model.messages_changed(uids)
        self._schedule_counts()

    def _notify_removed(self, folder_id: int, keys: Sequence[RowKey]) -> None:
        if keys and self._shown(folder_id):
            if self.message_model.threaded:
                self._refresh_threads(folder_id)
            else:
                self.message_model.messages_removed(keys)
        self._schedule_counts()

    def _notify_inserted(self, folder_id: int, uids: Sequence[int]) -> None:
        if uids and self._shown(folder_id):
            if self.message_model.threaded:
                self._refresh_threads(folder_id)
            else:
                self.message_model.messages_inserted(uids)
        self._schedule_counts()

    def _refresh_threads(self, folder_id: int) -> None:
        """Rebuild the conversation order on the worker, then reset the list once."""
        if self._thread_refresh_running:
            self._thread_refresh_again = True
            return
        self._thread_refresh_running = True

        def rebuilt(_changed: bool) -> None:
            self._thread_refresh_running = False
            if self._thread_refresh_again:
                self._thread_refresh_again = False
                self._refresh_threads(folder_id)
                return
            if self._shown(folder_id) and self.message_model.threaded:
                self.message_model.folder_reset()

        def failed(exc: BaseException) -> None:
            self._thread_refresh_running = False
            self._on_worker_error(exc)

        self.worker.submit(lambda: self.cache.ensure_thread_order(folder_id), rebuilt, failed)

    def _schedule_counts(self) -> None:
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    def _refresh_counts(self) -> None:
        self.folder_model.update_counts()
        self.counts_changed.emit()

    def _on_worker_error(self, exc: BaseException) -> None:
        self._report(_as_error(exc))

    # ------------------------------------------------------------------ from the sync service

    @Slot(object)
    def _on_problem(self, error: object) -> None:
        if isinstance(error, Cancelled):
            return
        if isinstance(error, AuthError) and self.isSignalConnected(QMetaMethod.fromSignal(self.password_needed)):
            # The prompt says why it asks; the UI reports it only if the user cancels.
            self.password_needed.emit(error)
            return
        self._report(error if isinstance(error, BaseException) else BugError(detail=str(error)))

    @Slot(str, int, int)
    def _on_progress(self, text: str, done: int, total: int) -> None:
        self.progress_changed.emit(text, done, total)

    @Slot(str)
    def _on_connection_state(self, state: str) -> None:
        was_offline = self.connection_state == STATE_OFFLINE
        self.connection_state = state if state in STATES else STATE_OFFLINE
        self.connection_changed.emit(self.connection_state)
        if was_offline and self.connection_state != STATE_OFFLINE and self._preview_key is not None:
            self.load_preview(self._preview_key[1])  # a body that was unavailable offline can come now

    @Slot()
    def _on_folders_changed(self) -> None:
        self.folder_model.reload()
        if self.message_model.folder_id is None:
            inbox = self.special_folder_id(SpecialUse.INBOX)
            if inbox is not None:
                self.select_folder(inbox)
        self.counts_changed.emit()

    @Slot(int, list)
    def _on_rows_inserted(self, folder_id: int, uids: list) -> None:
        self._notify_inserted(folder_id, uids)

    @Slot(int, list)
    def _on_rows_changed(self, folder_id: int, uids: list) -> None:
        self._notify_changed(folder_id, uids)

    @Slot(int, list)
    def _on_rows_removed(self, folder_id: int, keys: list) -> None:
        self._notify_removed(folder_id, keys)

    @Slot(int)
    def _on_folder_reset(self, folder_id: int) -> None:
        if self._shown(folder_id):
            if self.message_model.threaded:
                self._refresh_threads(folder_id)
            else:
                self.message_model.folder_reset()
        self._schedule_counts()

    @Slot(int, int)
    def _on_messages_unreadable(self, folder_id: int, count: int) -> None:
        """Say that a sync left messages out (the log has the server's answer)."""
        cached = self.folder(folder_id)
        name = folder_display_name(self.folder_model, folder_id) or (cached.name if cached else "")
        message = MSG_UNREADABLE.format(count=count, folder=name)
        if self.bridge is None:
            log.warning("Mailbox %s: %s", self.account_id, message.text("en"))
        else:
            self.bridge.warning(message)

    @Slot(int, list)
    def _on_new_mail(self, folder_id: int, uids: list) -> None:
        """Tell the user (notification) about new messages; reads at most a few summaries."""
        if not uids:
            return
        cached = self.folder(folder_id)
        newest = sorted((int(u) for u in uids), reverse=True)[:3]
        try:
            messages = tuple(s for s in (self.cache.summary(folder_id, u) for u in newest) if s is not None)
        except StorageError as exc:
            self._report(exc)
            messages = ()
        self.new_mail.emit(NewMail(self.account_name, folder_id, cached.folder.role if cached else None, messages, len(uids))
        )


def folder_display_name(model: FolderTreeModel, folder_id: int) -> str:
    """The name the folder tree shows for a folder (Thai for special folders), without counts."""
    index = model.index_for_folder(folder_id)
    if not index.isValid():
        return ""
    return model.display_name(index.internalPointer())


# -- composition (used by app.py) -------------------------------------------------------


@dataclass
class AccountMailbox:
    """What was built for one account (kept by the composition root for shutdown)."""

    account: Any
    service: MailboxService
    cache: MailCache
    offline_queue: OfflineOpQueue | None
    sync: Any = None
    problems: list[GovMailError] = field(default_factory=list)

    def close(self) -> None:
        self.service.shutdown()
        self.cache.close()
        if self.offline_queue is not None:
            self.offline_queue.close()


def open_account_mailbox(
    account: Any,
    *,
    paths: Any = None,
    bridge: Any = None,
    sync_factory: Callable[[Any, MailCache, OfflineOpQueue | None], SyncPort | None] | None = None,
    parent: QObject | None = None,
) -> AccountMailbox:
    """Open an account's cache and offline queue and build its facade (no network).

    ``sync_factory(account, cache, queue)`` gives the account's sync service
    (None: offline only). Opening the cache may rebuild a damaged file; that
    is logged and the sync refetches.
    """
    cache = MailCache.for_account(account.id, paths)
    if cache.rebuilt:
        log.warning("Cache of account %s was rebuilt: %s", account.id, cache.rebuild_reason)
    problems: list[GovMailError] = []
    try:
        queue: OfflineOpQueue | None = OfflineOpQueue.for_account(account.id, paths)
    except StorageError as exc:
        log.error("Offline queue of %s unusable: %s", account.id, exc)
        problems.append(exc)
        queue = None
    sync = None
    if sync_factory is not None:
        try:
            sync = sync_factory(account, cache, queue)
        except GovMailError as exc:
            problems.append(exc)
            log.error("Sync service of %s could not be built: %s", account.id, exc)
    name = getattr(account, "display_name", "") or getattr(account, "address", account.id)
    service = MailboxService(
        account.id, name, cache, sync=sync, offline_queue=queue, bridge=bridge, parent=parent
    )
    return AccountMailbox(account, service, cache, queue, sync, problems)
