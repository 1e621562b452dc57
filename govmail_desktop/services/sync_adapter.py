"""Adapts the sync engine's ``SyncService`` (services/sync_service.py) to ``mailbox.SyncPort``.

The mailbox facade speaks in folder ids, whole-action results and a connection
state; the engine speaks in folder names, operations and an online flag. This
module only translates — it holds no sync logic:

* **actions** — the mailbox has recorded the action under its id (cache
  changed, row queued on disk: ``sync/offline.record_action``); ``apply(op)``
  asks the engine to send the queue (``send_offline_actions``), and the
  engine's ``actionSettled(op_id, outcome, error)`` for each row it sent is
  passed on as ``action_settled``: the id is the one stored with the row, so
  nothing is matched by contents or by text. An action the server refused is
  already undone in the cache when it arrives.
* **bodies** — the engine's ``fetch_body`` (first in line on its connection
  worker; an IMAP connection never crosses threads) keeps the message, up to
  16 MB, in the cache under ``BODY_PART``; a large one asked for the preview as a
  skeleton under ``SKELETON_PART``, its files then downloaded on demand by
  :attr:`EngineSyncAdapter.part_fetcher` (services/part_fetch.py).
* **state and progress** — ``onlineChanged`` and running operations give
  offline / connecting / syncing / online; operation titles and counts give
  the progress text.

* **new mail** — the engine's ``newMail`` carries the UIDs that arrived, passed on as
  they are.

The composition root (``app.engine_sync_factory``) builds the engine and this
adapter for each account.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.errors import GovMailError, ServerError
from govmail_desktop.services.body_download import BodyDownloader
from govmail_desktop.services.mailbox_types import (
    DONE,
    FAILED,
    STATE_CONNECTING,
    STATE_OFFLINE,
    STATE_ONLINE,
    STATE_SYNCING,
    MailOp,
)
from govmail_desktop.services.part_fetch import PartFetcher
from govmail_desktop.services.sync_service import SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue

log = logging.getLogger(__name__)


class EngineSyncAdapter(QObject):
    """``SyncPort`` over the engine's ``SyncService`` (see the module doc for the mapping)."""

    #: (op_id, Outcome, error): a user action ended (see ``mailbox.SyncPort``).
    action_settled = Signal(int, object, object)
    progress = Signal(str, int, int)
    connection_state = Signal(str)
    folders_changed = Signal()
    rows_inserted = Signal(int, list)
    rows_changed = Signal(int, list)
    rows_removed = Signal(int, list)
    folder_reset = Signal(int)
    new_mail = Signal(int, list)
    messages_unreadable = Signal(int, int)
    body_ready = Signal(int, int)
    body_failed = Signal(int, int, object)
    problem = Signal(object)
    #: (role, outcome, error): a folder the user asked for (a Trash) was created, or not.
    special_folder_created = Signal(str, str, object)

    def __init__(
        self, service: SyncService, cache: MailCache, queue: OfflineOpQueue, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.cache = cache
        self.queue = queue
        self._bodies: dict[int, tuple[int, int]] = {}  # engine op id → (folder id, uid)
        self._titles: dict[int, str] = {}  # running sync operations → their titles
        self._creating: dict[int, str] = {}  # engine op id → role of the folder being created
        self._quiet: set[int] = set()  # cache-only operations: no progress, no state change
        self._online = False
        self._state = STATE_OFFLINE
        #: Files of large messages on demand (services/attachments.py uses it from its worker).
        self.part_fetcher = PartFetcher(service, cache, self)
        s = service
        s.operationStarted.connect(self._on_started)
        s.operationProgress.connect(self._on_progress)
        s.operationFinished.connect(self._on_finished)
        s.onlineChanged.connect(self._on_online)
        s.foldersChanged.connect(self.folders_changed)
        s.messagesInserted.connect(lambda fid, uids: self.rows_inserted.emit(int(fid), list(uids)))
        s.messagesChanged.connect(lambda fid, uids: self.rows_changed.emit(int(fid), list(uids)))
        s.messagesRemoved.connect(lambda fid, keys: self.rows_removed.emit(int(fid), list(keys)))
        s.folderReset.connect(self.folder_reset)
        s.newMail.connect(lambda fid, uids: self.new_mail.emit(int(fid), list(uids)))
        s.messagesUnreadable.connect(self.messages_unreadable)
        s.actionSettled.connect(self._on_action_settled)
        s.connectionRefused.connect(self._on_refused)

    # ------------------------------------------------------------------ SyncPort

    #: Body requests made offline wait in the engine's queue for the connection.
    queues_offline = True
    #: The background text download for search (services/body_download.py), when the app built one.
    body_downloader: BodyDownloader | None = None

    def start(self) -> None:
        self._set_state(STATE_CONNECTING)
        self.service.start()

    def stop(self) -> None:
        if self.body_downloader is not None:
            self.body_downloader.stop()
        self.service.stop()

    def sync_all(self) -> None:
        """Offline actions, the folder list, then every folder (a fresh connection if needed)."""
        self.service.sync_all()

    def request_folder_sync(self, folder_id: int) -> None:
        cached = self.cache.folder(folder_id)
        if cached is not None:
            self.service.sync_folder(cached.name)

    def cancel(self) -> None:
        """Stop the synchronisation now (the user's actions stay queued on disk)."""
        for op_id in list(self._titles):
            self.service.cancel(op_id)

    def apply(self, op: MailOp) -> None:
        """``op`` is recorded and queued under its id: send the queue (first in line)."""
        self.service.send_offline_actions()

    def set_chosen_folders(self, chosen: dict[str, str]) -> None:
        """{role: folder name} picked by the user or the policy: shown now, kept by every LIST."""
        self._quiet.add(self.service.set_chosen_folders(chosen))

    def create_special_folder(self, role: str) -> None:
        """Create the missing folder for ``role``; ``special_folder_created`` tells how it went."""
        self._creating[self.service.create_special_folder(role)] = role

    def fetch_body(self, folder_id: int, uid: int, *, whole: bool = False) -> None:
        cached = self.cache.folder(folder_id)
        if cached is None:
            self.body_failed.emit(folder_id, uid, ServerError(detail="folder gone"))
            return
        self._bodies[self.service.fetch_body(cached.name, uid, whole=whole)] = (folder_id, uid)

    # ------------------------------------------------------------------ engine signals

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.connection_state.emit(state)

    def _update_state(self) -> None:
        if not self._online:
            self._set_state(STATE_CONNECTING if self._titles else STATE_OFFLINE)
        else:
            self._set_state(STATE_SYNCING if self._titles else STATE_ONLINE)

    @Slot(int, str)
    def _on_started(self, op_id: int, title: str) -> None:
        if op_id in self._bodies or op_id in self._quiet:
            return
        self._titles[op_id] = title
        self.progress.emit(title, 0, 0)
        self._update_state()

    @Slot(int, int, int)
    def _on_progress(self, op_id: int, done: int, total: int) -> None:
        title = self._titles.get(op_id)
        if title is not None:
            self.progress.emit(title, done, total)

    @Slot(bool)
    def _on_online(self, online: bool) -> None:
        self._online = online
        self._update_state()

    @Slot(int, str, object)
    def _on_finished(self, op_id: int, outcome: str, error: object) -> None:
        body = self._bodies.pop(op_id, None)
        if body is not None:
            if outcome == DONE:
                self.body_ready.emit(*body)
            else:
                self.body_failed.emit(body[0], body[1], error)
            return
        if op_id in self._quiet:
            self._quiet.discard(op_id)
            if outcome == FAILED and isinstance(error, GovMailError):
                self.problem.emit(error)
            return
        self._titles.pop(op_id, None)
        role = self._creating.pop(op_id, None)
        if role is not None:
            self.special_folder_created.emit(role, outcome, error)  # the mailbox says what failed
        elif outcome == FAILED and isinstance(error, GovMailError):
            self.problem.emit(error)
        if not self._titles:
            self.progress.emit("", 0, 0)
        self._update_state()

    @Slot(object)
    def _on_refused(self, error: object) -> None:
        """A changed policy refuses the account's server: said as a refused connect is."""
        if isinstance(error, GovMailError):
            self.problem.emit(error)

    @Slot(int, object, object)
    def _on_action_settled(self, op_id: int, outcome: object, error: object) -> None:
        self.action_settled.emit(op_id, Outcome(outcome), error)
