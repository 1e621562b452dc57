"""The GUI-side facade of one account's mailbox: the folder shown, preview, and user actions.

:class:`MailboxService` knows which folder of the account's cache is shown,
says what changed in the cache (the Qt item models over it are the UI's:
``ui/mailbox_models.py`` owns them and follows these signals), loads the
preview of the selected message (off the GUI thread) and carries out the
user's actions. Where each part lives:

* this module: the wiring to the sync service, the folders (shown, special,
  chosen by the user and the policy), the preview, the notices to the models;
* ``services/mailbox_actions.py``: the user's actions, in
  :class:`~govmail_desktop.services.mailbox_actions.MailboxActions`, the base class of
  :class:`MailboxService` (each action gets an id, is recorded at once by
  ``sync/offline.record_action`` on the local worker, sent by the sync service, and
  settles exactly once with ``action_settled``; see that module's doc).

What this needs from the sync service is the narrow :class:`SyncPort`
(``services/mailbox_types.py``, with the states, :class:`MailOp` and the wording of failures;
``services/sync_adapter.py`` adapts the real engine to it; GUI tests use a fake). Nothing
here blocks on the network or does slow disk work in the GUI thread: the models' reads
are indexed SQLite reads (see ``models/message_list.py``), writes (an action, a
conversation order) run on the local worker. This module holds no Qt GUI type
(``tests/unit/test_boundaries.py`` checks it, also through other modules).

Signals of :class:`MailboxService`:
    preview_ready(PreviewResult): what the preview pane should show now.
    folder_shown(int | None): the message list now shows this folder.
    folders_changed(): the folder list was written to the cache (the tree is read again).
    unread_changed(): unread counts in the cache changed (the tree's labels).
    counts_changed(): unread counts may have changed (after the two above: the tray).
    messages_inserted(int, list), messages_changed(int, list), messages_removed(int, list),
    folder_reset(int): the shown folder's rows changed in the cache (folder id, UIDs or
        RowKeys); only the folder shown is announced.
    thread_order_ready(int, str, bool), thread_order_failed(int): a conversation order
        asked for with :meth:`build_thread_order` is in the cache (folder, sort,
        descending), or could not be built.
    new_mail(NewMail): messages arrived (notifications).
    connection_changed(str): one of the ``STATE_*`` values.
    progress_changed(str, int, int): text, done, total (total 0 = unknown; "" = idle).
    action_settled(int, Outcome, object): an action ended (its id, the outcome, for
        FAILED an :class:`ActionFailed` whose ``cause`` is the typed reason, else None);
        declared by the base class, :class:`MailboxActions`.

Status-bar notices about an action (a failure, "no Archive folder") are
cleared once a later action has ended *done*; those about the connection
(a password needed, a refused certificate) once the account is connected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QMetaMethod, QObject, QTimer, Signal, Slot

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import AuthError, BugError, Cancelled, GovMailError, StorageError
from govmail_desktop.core.folder_roles import ROLE_NAMES
from govmail_desktop.i18n.catalog import Msg, current_language
from govmail_desktop.mime.parse import ParsedMessage, parse_message
from govmail_desktop.mime.skeleton import SKELETON_PART
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.services.mailbox_actions import MailboxActions, as_error
from govmail_desktop.services.mailbox_types import (
    BODY_PART,
    MSG_UNREADABLE,
    PREVIEW_EMPTY,
    PREVIEW_FAILED,
    PREVIEW_LOADING,
    PREVIEW_READY,
    PREVIEW_UNAVAILABLE,
    STATE_OFFLINE,
    STATE_ONLINE,
    STATE_SYNCING,
    STATES,
    NewMail,
    PreviewResult,
    SyncPort,
)
from govmail_desktop.services.message_bridge import MessageBridge
from govmail_desktop.store.cache import CachedFolder, MailCache
from govmail_desktop.store.message_rows import RowKey, SortKey
from govmail_desktop.store.op_queue import OfflineOpQueue

log = logging.getLogger(__name__)

_SYNC_SIGNALS = (
    "action_settled", "progress", "connection_state", "folders_changed", "rows_inserted", "rows_changed",
    "rows_removed", "folder_reset", "new_mail", "messages_unreadable", "body_ready", "body_failed", "problem",
)


class MailboxService(MailboxActions):
    """One account's shown folder, preview and optimistic actions (see the module doc;
    the actions are those of its base, :class:`MailboxActions`).

    ``password_needed(error)``: the server refused the password, or none is
    known (an "ask each session" account after a restart); the UI asks the user
    and calls :meth:`retry_connection` (and reports the error itself if the user
    cancels). Without a receiver, the error is reported like any other.
    """

    password_needed = Signal(object)
    preview_ready = Signal(object)
    folder_shown = Signal(object)
    folders_changed = Signal()
    unread_changed = Signal()
    counts_changed = Signal()
    messages_inserted = Signal(int, list)
    messages_changed = Signal(int, list)
    messages_removed = Signal(int, list)
    folder_reset = Signal(int)
    thread_order_ready = Signal(int, str, bool)
    thread_order_failed = Signal(int)
    new_mail = Signal(object)
    connection_changed = Signal(str)
    progress_changed = Signal(str, int, int)

    #: Coalescing delay of unread-count refreshes during a big sync (ms).
    COUNTS_DELAY_MS = 150

    def __init__(
        self,
        account_id: str,
        account_name: str,
        cache: MailCache,
        *,
        sync: SyncPort | None = None,
        offline_queue: OfflineOpQueue | None = None,
        bridge: MessageBridge | None = None,
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
        #: The folder the message list shows (None: none yet).
        self._folder_id: int | None = None
        self.connection_state = STATE_OFFLINE
        self._init_actions(account_id)  # the actions' state (services/mailbox_actions.py)
        #: Key of this account's status-bar notices about the connection (MessageBridge.clear ends them).
        self.connection_notice_key = f"connection:{account_id}"
        self._preview_key: tuple[int, int] | None = None
        self._preview_generation = 0
        #: The message parsed last on the worker ((folder, uid, language), body, parse): a reply
        #: to the message the preview shows uses it again. Read and written on the worker only.
        self._last_parsed: tuple[tuple[int, int, str, bool], bytes, ParsedMessage] | None = None
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
        if sync is not None:
            self._connect_sync(sync)

    # ------------------------------------------------------------------ wiring

    def _connect_sync(self, sync: SyncPort) -> None:
        for name in _SYNC_SIGNALS:
            if not hasattr(sync, name):
                log.warning("Sync service has no %s signal; that part of the mailbox stays idle", name)
        connections = {
            "action_settled": self._on_action_settled,
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
        if inbox is not None and self._folder_id is None:
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
            except Exception:
                log.exception("Stopping the sync service of %s failed", self.account_id)
        self.worker.shutdown()

    def _close_thread_connections(self) -> None:
        self.cache.close_thread()
        if self.offline_queue is not None:
            self.offline_queue.close_thread()

    def report_problem(self, error: BaseException) -> None:
        """A problem met while reading the cache for this account (the models' reads)."""
        self._report(error)

    def _report(self, error: BaseException, *, key: str | None = None) -> None:
        if self.bridge is None:
            log.warning("Mailbox %s: %s", self.account_id, error)
        elif isinstance(error, GovMailError):
            self.bridge.report_error(error, key=key)
        else:
            self.bridge.report_exception(error)

    def report_connection_problem(self, error: GovMailError) -> None:
        """Say why the account cannot connect; the notice ends when it is connected."""
        self._report(error, key=self.connection_notice_key)

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
        return self._folder_id

    def folder_label(self, folder_id: int) -> Msg | str:
        """The folder's name as the folder tree shows it: a special folder by its role
        (translated when shown), any other by the last part of its name."""
        cached = self.folder(folder_id)
        if cached is None:
            return ""
        role = cached.folder.role
        if role in ROLE_NAMES and self.special_folder_id(role) == folder_id:
            return ROLE_NAMES[role]
        parts = cached.folder.parts
        return parts[-1] if parts else cached.name

    def select_folder(self, folder_id: int | None) -> None:
        """Show a folder's cached messages now, and ask the server for its news."""
        if folder_id == self._folder_id:
            if folder_id is not None and self.sync is not None:
                self.sync.request_folder_sync(folder_id)
            return
        self.load_preview(None)
        self.show_folder(folder_id)  # in the conversation view: "building" until its order is ready
        if folder_id is not None and self.sync is not None:
            self.sync.request_folder_sync(folder_id)

    def show_folder(self, folder_id: int | None) -> None:
        """Show a folder's cached messages, without asking the server (:meth:`select_folder` does both)."""
        self._folder_id = folder_id
        self.folder_shown.emit(folder_id)

    @Slot(int, str, bool)
    def build_thread_order(self, folder_id: int, sort: str, descending: bool) -> None:
        """The message list needs a conversation order: a write of about a second per
        100,000 messages, so it is built on the worker, never on the GUI thread;
        ``thread_order_ready`` or ``thread_order_failed`` follows."""
        key = SortKey(sort)

        def failed(exc: BaseException) -> None:
            self.thread_order_failed.emit(folder_id)
            self._on_worker_error(exc)

        self.worker.submit(
            lambda: self.cache.ensure_thread_order(folder_id, key, descending),
            lambda _rebuilt: self.thread_order_ready.emit(folder_id, sort, descending),
            failed,
        )

    def refresh(self) -> None:
        """Check the shown folder for news now (F5)."""
        if self.sync is not None and self._folder_id is not None:
            self.sync.request_folder_sync(self._folder_id)

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

    # ------------------------------------------------------------------ preview

    def load_preview(self, uid: int | None) -> None:
        """Show message ``uid`` of the current folder (None: nothing selected).

        The cached summary and body are read and parsed on the worker; a body
        not cached yet is asked of the sync service (PREVIEW_LOADING meanwhile).
        """
        self._preview_generation += 1
        folder_id = self._folder_id
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
        return self.read_message(folder_id, uid)[0]

    def read_message(self, folder_id: int, uid: int) -> tuple[PreviewResult, bytes | None]:
        """Worker thread only: message ``uid`` as the preview shows it (summary + cached body
        → parse; PREVIEW_LOADING when nothing is cached), and its whole cached bytes (None when
        only its skeleton is here). The message window reads its message through this too."""
        summary = self.cache.summary(folder_id, uid)
        raw = self.cache.get_part(folder_id, uid, BODY_PART)
        outline = False
        if raw is None:  # a large message: its skeleton (text and file list; files on demand)
            raw = self.cache.get_part(folder_id, uid, SKELETON_PART)
            outline = raw is not None
        cached = self.cache.folder(folder_id)
        role = cached.folder.role if cached is not None else None
        if raw is None:
            return PreviewResult(PREVIEW_LOADING, folder_id, uid, summary, folder_role=role), None
        parsed = self.parsed_body(folder_id, uid, raw, skeleton=outline)
        return PreviewResult(PREVIEW_READY, folder_id, uid, summary, parsed, folder_role=role), (
            None if outline else raw
        )

    def parsed_body(
        self, folder_id: int, uid: int, raw: bytes, lang: str | None = None, *, skeleton: bool = False
    ) -> ParsedMessage:
        """Worker thread only: message ``uid``'s cached body ``raw`` parsed (in ``lang``, else the
        current language). The message parsed last is used again while it is the same message,
        the same bytes and the same language — Reply on the message the preview shows does not
        parse it a second time (a 2 MB HTML message takes a good part of a second).
        ``skeleton``: ``raw`` was read from ``SKELETON_PART`` (mime/skeleton.py), never otherwise."""
        lang = lang or self._language()
        key = (folder_id, uid, lang, skeleton)
        last = self._last_parsed
        if last is not None and last[0] == key and last[1] == raw:
            return last[2]
        parsed = parse_message(raw, lang=lang, skeleton=skeleton)
        self._last_parsed = (key, raw, parsed)
        return parsed

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
        error = as_error(exc)
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
        err = as_error(error) if isinstance(error, BaseException) else BugError(detail=str(error))
        self.preview_ready.emit(PreviewResult(PREVIEW_FAILED, folder_id, uid, error=err))
        if not isinstance(err, Cancelled):
            self._report(err)

    # ------------------------------------------------------------------ model notifications

    def _shown(self, folder_id: int) -> bool:
        return self._folder_id == folder_id

    def _notify_changed(self, folder_id: int, uids: Sequence[int]) -> None:
        if uids and self._shown(folder_id):
            self.messages_changed.emit(folder_id, list(uids))
        self._schedule_counts()

    def _notify_removed(self, folder_id: int, keys: Sequence[RowKey]) -> None:
        if keys and self._shown(folder_id):
            self.messages_removed.emit(folder_id, list(keys))  # conversation view: a new order is built first
        self._schedule_counts()

    def _notify_inserted(self, folder_id: int, uids: Sequence[int]) -> None:
        if uids and self._shown(folder_id):
            self.messages_inserted.emit(folder_id, list(uids))
        self._schedule_counts()

    def _schedule_counts(self) -> None:
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    def _refresh_counts(self) -> None:
        self.unread_changed.emit()
        self.counts_changed.emit()

    def _on_worker_error(self, exc: BaseException) -> None:
        self._report(as_error(exc))

    # ------------------------------------------------------------------ from the sync service

    @Slot(object)
    def _on_problem(self, error: object) -> None:
        if isinstance(error, Cancelled):
            return
        if isinstance(error, AuthError) and self.isSignalConnected(QMetaMethod.fromSignal(self.password_needed)):
            # The prompt says why it asks; the UI reports it only if the user cancels.
            self.password_needed.emit(error)
            return
        # Problems of the sync (login, certificate, server): they end once connected.
        self._report(error if isinstance(error, BaseException) else BugError(detail=str(error)),
                     key=self.connection_notice_key)

    @Slot(str, int, int)
    def _on_progress(self, text: str, done: int, total: int) -> None:
        self.progress_changed.emit(text, done, total)

    @Slot(str)
    def _on_connection_state(self, state: str) -> None:
        was_offline = self.connection_state == STATE_OFFLINE
        self.connection_state = state if state in STATES else STATE_OFFLINE
        self.connection_changed.emit(self.connection_state)
        if self.connection_state in (STATE_SYNCING, STATE_ONLINE) and self.bridge is not None:
            self.bridge.clear(self.connection_notice_key)  # connected: "password needed"... has ended
        if was_offline and self.connection_state != STATE_OFFLINE and self._preview_key is not None:
            self.load_preview(self._preview_key[1])  # a body that was unavailable offline can come now

    @Slot()
    def _on_folders_changed(self) -> None:
        self.folders_changed.emit()
        if self._folder_id is None:
            inbox = self.special_folder_id(SpecialUse.INBOX)
            if inbox is not None:
                self.select_folder(inbox)
        self.counts_changed.emit()

    @Slot(int, list)
    def _on_rows_inserted(self, folder_id: int, uids: list[int]) -> None:
        self._notify_inserted(folder_id, uids)

    @Slot(int, list)
    def _on_rows_changed(self, folder_id: int, uids: list[int]) -> None:
        self._notify_changed(folder_id, uids)

    @Slot(int, list)
    def _on_rows_removed(self, folder_id: int, keys: list[RowKey]) -> None:
        self._notify_removed(folder_id, keys)

    @Slot(int)
    def _on_folder_reset(self, folder_id: int) -> None:
        if self._shown(folder_id):
            self.folder_reset.emit(folder_id)
        self._schedule_counts()

    @Slot(int, int)
    def _on_messages_unreadable(self, folder_id: int, count: int) -> None:
        """Say that a sync left messages out (the log has the server's answer)."""
        cached = self.folder(folder_id)
        name = self.folder_label(folder_id) or (cached.name if cached else "")
        message = MSG_UNREADABLE.format(count=count, folder=name)
        if self.bridge is None:
            log.warning("Mailbox %s: %s", self.account_id, message.text("en"))
        else:
            self.bridge.warning(message)

    @Slot(int, list)
    def _on_new_mail(self, folder_id: int, uids: list[int]) -> None:
        """Tell the user (notification) about new messages; reads at most a few summaries."""
        if not uids:
            return
        cached = self.folder(folder_id)
        arrived = tuple(sorted({int(u) for u in uids}))
        newest = arrived[::-1][:3]
        try:
            messages = tuple(s for s in (self.cache.summary(folder_id, u) for u in newest) if s is not None)
        except StorageError as exc:
            self._report(exc)
            messages = ()
        role = cached.folder.role if cached else None
        self.new_mail.emit(NewMail(self.account_name, folder_id, role, arrived, messages))
