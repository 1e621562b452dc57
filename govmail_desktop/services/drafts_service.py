"""Drafts for the GUI: autosave to this computer, save to and open from the Drafts folder.

* :meth:`DraftsService.autosave` returns at once; the write runs on the service's
  disk thread, coalesced per draft (autosaves that arrive while one waits replace
  it: the last one is written), atomically (``store/drafts.py``). ``saved(draft_id)``
  follows each write.
* :meth:`DraftsService.save_to_server` saves locally first, then runs on the
  account's connection worker (``SyncService.run_on_connection``, never the GUI
  thread): the Drafts folder copy replaced (``sync/drafts_sync.py``),
  ``serverSaved(draft_id, MessageRef)``. Saves of one draft queued meanwhile run once,
  with the draft as it is then.
* :meth:`DraftsService.open_server_draft` fetches a draft from the Drafts folder into
  the store: ``opened(Draft)``.
* :meth:`DraftsService.recoverable` — after a crash, the drafts still on disk
  (for the start-up offer); drafts set aside as damaged are reported by ``failed``.

The service is the one place that knows where each draft's server copy is now: a draft
handed in with an older ``server_copy`` (the composer's value from before the last
server save) is written with the current one, so the next server save replaces the
right copy. Errors come as ``failed(draft_id, text)`` (translated, for the status bar).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal, SignalInstance, Slot

from govmail_desktop.core.compose import Draft, MessageRef
from govmail_desktop.core.entities import Address
from govmail_desktop.core.errors import BugError, GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.drafts import DraftDamaged, DraftMissing, DraftStore
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.drafts_sync import drafts_folder, open_server_draft, remove_server_copies, save_draft

log = logging.getLogger(__name__)

#: How often the composer hands its draft over while the user types (milliseconds).
AUTOSAVE_INTERVAL_MS = 3000

MSG_NO_SERVER = QT_TRANSLATE_NOOP(
    "Drafts", "The draft is kept on this computer; it cannot be saved on the server of this account now."
)
MSG_NO_DRAFTS_FOLDER = QT_TRANSLATE_NOOP("Drafts", "The account has no Drafts folder on the server.")


class ConnectionRunner(Protocol):
    """What the service needs of an account's sync service (``SyncService``)."""

    operationFinished: SignalInstance

    def run_on_connection(
        self,
        key: tuple[str | int, ...],
        title: Callable[[], str],
        job: Callable[[MailboxConnection, CancelToken], object],
        *,
        first: bool = False,
    ) -> int: ...


@dataclass
class DraftsServer:
    """One account's way to its Drafts folder."""

    runner: ConnectionRunner
    cache: MailCache
    #: The account's own address: From of a draft whose sender is not (yet) usable.
    address: Address
    #: {role: folder name} the user or the policy chose (core/folder_roles.py).
    chosen: Mapping[str, str] = field(default_factory=dict)


class _Relay(QObject):
    """Results from the connection worker's thread, queued to the service's thread."""

    serverSaved = Signal(str, object)
    opened = Signal(object)


class DraftsService(QObject):
    """Drafts of every account (one store), for the composer and the start-up offer.

    Signals (in the service's thread):
        saved(str draft_id): the draft is on this computer's disk (as last handed in).
        serverSaved(str draft_id, object MessageRef | None): the Drafts folder copy is
            replaced (None: the server took it but did not say where).
        opened(object Draft): a server draft is in the store, ready for the composer.
        failed(str draft_id, str text): something could not be done (translated text).
    """

    saved = Signal(str)
    serverSaved = Signal(str, object)
    opened = Signal(object)
    failed = Signal(str, str)

    def __init__(self, store: DraftStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._disk = LocalWorker("drafts-disk", parent=self)
        self._lock = threading.Lock()
        self._pending: dict[str, Draft] = {}
        self._last_saved: dict[str, Draft] = {}
        #: The newest draft handed in, written or not (what a server save sends).
        self._latest: dict[str, Draft] = {}
        self._server_refs: dict[str, MessageRef] = {}
        self._discarded: set[str] = set()
        self._servers: dict[str, DraftsServer] = {}
        self._ops: dict[tuple[int, int], str] = {}  # (id of runner, op id) -> draft id
        self._watched: set[int] = set()
        self._relay = _Relay(self)
        self._relay.serverSaved.connect(self._on_server_saved)
        self._relay.opened.connect(self._on_opened)

    # ------------------------------------------------------------------ accounts

    def set_server(self, account_id: str, server: DraftsServer | None) -> None:
        """Where ``account_id``'s Drafts folder is reached (None: this computer only)."""
        if server is None:
            self._servers.pop(account_id, None)
            return
        self._servers[account_id] = server
        runner_key = id(server.runner)
        if runner_key not in self._watched:
            self._watched.add(runner_key)
            server.runner.operationFinished.connect(
                lambda op_id, outcome, error, key=runner_key: self._on_finished(key, op_id, outcome, error)
            )

    # ------------------------------------------------------------------ this computer

    def autosave(self, draft: Draft) -> None:
        """Keep ``draft`` on disk soon (off this thread); the last one handed in wins."""
        draft_id = draft.draft_id
        with self._lock:
            if draft_id in self._discarded:
                return
            waiting = draft_id in self._pending
            self._pending[draft_id] = draft
            self._latest[draft_id] = draft
        if not waiting:
            self._disk.submit(lambda: self._write(draft_id), self._after_write,
                              lambda exc: self._fail(draft_id, exc))

    def _current(self, draft: Draft) -> Draft:
        """``draft`` with the server copy as the service last learned it."""
        ref = self._server_refs.get(draft.draft_id)
        return replace(draft, server_copy=ref) if ref is not None and draft.server_copy != ref else draft

    def _write(self, draft_id: str) -> str | None:
        """Disk thread: write what is pending for ``draft_id`` (nothing when already written)."""
        with self._lock:
            draft = self._pending.pop(draft_id, None)
            if draft is None or draft_id in self._discarded:
                return None
            draft = self._current(draft)
        self.store.save(draft)
        with self._lock:
            self._last_saved[draft_id] = draft
        return draft_id

    def _after_write(self, draft_id: str | None) -> None:
        if draft_id is not None:
            self.saved.emit(draft_id)

    def last_saved(self, draft_id: str) -> Draft | None:
        """The draft as this service last wrote it (None: not written by this run)."""
        with self._lock:
            return self._last_saved.get(draft_id)

    @property
    def idle(self) -> SignalInstance:
        """Emitted when no disk work is waiting (tests, shutdown)."""
        return self._disk.idle

    @property
    def pending(self) -> int:
        return self._disk.pending

    def discard(self, draft_id: str) -> None:
        """Throw the draft away on this computer (a later autosave of it is ignored)."""
        with self._lock:
            self._discarded.add(draft_id)
            self._pending.pop(draft_id, None)
            self._last_saved.pop(draft_id, None)
            self._latest.pop(draft_id, None)
        self._disk.submit(lambda: self.store.discard(draft_id), None, lambda exc: self._fail(draft_id, exc))

    def recoverable(self) -> list[Draft]:
        """Drafts left on disk by an earlier run (not empty), newest first; drafts that could
        not be read are set aside (kept) and reported by ``failed``."""
        before = {d.path for d in self.store.damaged()}
        try:
            drafts = [d for d in self.store.unsent() if not d.is_empty or d.server_copy is not None]
        except GovMailError as exc:
            self.failed.emit("", exc.user_text())
            return []
        for damaged in self.store.damaged():
            if damaged.path not in before:
                self.failed.emit(damaged.draft_id, DraftDamaged(damaged.draft_id, damaged.path).user_text())
        with self._lock:
            for draft in drafts:
                if draft.server_copy is not None:
                    self._server_refs.setdefault(draft.draft_id, draft.server_copy)
        return drafts

    # ------------------------------------------------------------------ the server

    def save_to_server(self, draft: Draft) -> int | None:
        """Save locally, then replace the Drafts folder copy on the account's connection.
        Returns the operation's id (None: no server for the account; ``failed`` says so)."""
        self.autosave(draft)
        draft_id = draft.draft_id
        server = self._servers.get(draft.account_id)
        if server is None:
            self.failed.emit(draft_id, MSG_NO_SERVER.text())
            return None
        if draft.server_copy is not None:
            with self._lock:
                self._server_refs.setdefault(draft_id, draft.server_copy)

        def job(conn: MailboxConnection, cancel: CancelToken) -> object:
            with self._lock:
                if draft_id in self._discarded:
                    return None
                current = self._current(self._latest.get(draft_id, draft))
            folder = drafts_folder(conn, server.cache, chosen=server.chosen, cancel=cancel)
            if folder is None:
                raise GovMailError(MSG_NO_DRAFTS_FOLDER)
            ref = save_draft(conn, current, lambda a: self.store.read_attachment(draft_id, a), folder=folder,
                             fallback_sender=server.address, cancel=cancel)
            if ref is not None:
                with self._lock:
                    self._server_refs[draft_id] = ref
                try:
                    self.store.update_server_copy(draft_id, ref)
                except (DraftMissing, DraftDamaged):
                    pass  # discarded meanwhile: the server copy is what is left
            self._relay.serverSaved.emit(draft_id, ref)
            return ref

        op_id = server.runner.run_on_connection(
            ("draft-save", draft_id), lambda: QCoreApplication.translate("DraftsService", "Saving a draft"), job
        )
        self._ops[(id(server.runner), op_id)] = draft_id
        return op_id

    def remove_from_server(self, draft: Draft) -> int | None:
        """Remove the draft's Drafts folder copies (after it was sent). Returns the operation's id."""
        server = self._servers.get(draft.account_id)
        if server is None:
            return None
        draft_id = draft.draft_id

        def job(conn: MailboxConnection, cancel: CancelToken) -> object:
            with self._lock:
                current = self._current(draft)
            folder = drafts_folder(conn, server.cache, chosen=server.chosen, cancel=cancel, create=False)
            return remove_server_copies(conn, current, folder=folder) if folder else 0

        op_id = server.runner.run_on_connection(
            ("draft-remove", draft_id), lambda: QCoreApplication.translate("DraftsService", "Removing a draft"), job
        )
        self._ops[(id(server.runner), op_id)] = draft_id
        return op_id

    def open_server_draft(self, ref: MessageRef) -> int | None:
        """Fetch the draft at ``ref`` into the store: ``opened(Draft)``, or ``failed``."""
        server = self._servers.get(ref.account_id)
        if server is None:
            self.failed.emit("", MSG_NO_SERVER.text())
            return None

        def job(conn: MailboxConnection, cancel: CancelToken) -> object:
            draft = open_server_draft(conn, ref, self.store)
            if draft.server_copy is not None:
                with self._lock:
                    self._server_refs[draft.draft_id] = draft.server_copy
                    self._discarded.discard(draft.draft_id)
            self._relay.opened.emit(draft)
            return draft

        op_id = server.runner.run_on_connection(
            ("draft-open", ref.folder, ref.uid),
            lambda: QCoreApplication.translate("DraftsService", "Opening a draft"), job, first=True,
        )
        self._ops[(id(server.runner), op_id)] = ""
        return op_id

    # ------------------------------------------------------------------ results

    @Slot(str, object)
    def _on_server_saved(self, draft_id: str, ref: object) -> None:
        self.serverSaved.emit(draft_id, ref)

    @Slot(object)
    def _on_opened(self, draft: object) -> None:
        self.opened.emit(draft)

    def _on_finished(self, runner_key: int, op_id: int, outcome: str, error: object) -> None:
        draft_id = self._ops.pop((runner_key, op_id), None)
        if draft_id is None:
            return  # not ours
        if outcome == "failed":
            err = error if isinstance(error, GovMailError) else BugError(detail=repr(error))
            log.warning("Draft operation %d failed: %s", op_id, err)
            self.failed.emit(draft_id, err.user_text())

    def _fail(self, draft_id: str, exc: BaseException) -> None:
        err = exc if isinstance(exc, GovMailError) else BugError(detail=f"{type(exc).__name__}: {exc}")
        if not isinstance(exc, GovMailError):
            log.error("Draft %s: unexpected error", draft_id, exc_info=exc)
        self.failed.emit(draft_id, err.user_text())

    def shutdown(self, timeout: float = 10.0) -> None:
        """Write what is pending, then stop the disk thread."""
        self._disk.shutdown(timeout)


__all__ = ["AUTOSAVE_INTERVAL_MS", "ConnectionRunner", "DraftsServer", "DraftsService"]
