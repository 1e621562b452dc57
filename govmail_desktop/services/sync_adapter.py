"""Adapts the sync engine's ``SyncService`` (services/sync_service.py) to ``mailbox.SyncPort``.

The mailbox facade speaks in folder ids, whole-action results and a connection
state; the engine speaks in folder names, operations and an online flag. This
module only translates — it holds no sync logic:

* **actions** — ``apply(op)`` calls ``set_flags`` / ``move_messages`` /
  ``delete_messages``. The engine records the action on its local worker (the
  cache already shows it: its own cache change finds nothing left to do) and
  appends it to the durable offline queue, then replays the queue on the
  connection. Its *record* operation finishing ``failed``/``cancelled`` fails
  the action at once; ``done`` means "queued on disk". The server's answer is
  then known when the replay operation has run: an action the server refused
  is reported by ``actionFailed(text)`` (the engine has already put the
  server's state back in the cache) and becomes ``failed`` here; the others
  become ``done`` once the replay finishes and they have left the queue.
* **bodies** — the engine's ``fetch_body`` (first in line on its connection
  worker; an IMAP connection never crosses threads) keeps the message, up to
  16 MB, in the cache under ``BODY_PART``.
* **state and progress** — ``onlineChanged`` and running operations give
  offline / connecting / syncing / online; operation titles and counts give
  the progress text.

Where the engine's API differs from the facade's, it is bridged here: the
engine reports no per-action server result (matched through the offline
queue), and ``newMail`` carries a count (the newest UIDs are read from the
cache).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from govmail_desktop.core.errors import GovMailError, ServerError
from govmail_desktop.services.mailbox import (
    BODY_PART,
    DONE,
    FAILED,
    STATE_CONNECTING,
    STATE_OFFLINE,
    STATE_ONLINE,
    STATE_SYNCING,
    MailOp,
)
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind

log = logging.getLogger(__name__)


class ServerRefused(ServerError):
    """The server refused an action; the engine's own sentence (already translated) says how."""

    code = "server-refused"

    def __init__(self, text: str) -> None:
        super().__init__(detail=text)
        self.text = text

    def user_text(self, lang: str | None = None) -> str:
        return self.text


@dataclass
class _Action:
    op: MailOp
    seq: int | None = None  # its row in the durable offline queue, once recorded


class EngineSyncAdapter(QObject):
    """``SyncPort`` over the engine's ``SyncService`` (see the module doc for the mapping)."""

    op_finished = Signal(int, str, object)
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

    def __init__(self, service: Any, cache: MailCache, queue: OfflineOpQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.cache = cache
        self.queue = queue
        self._recording: dict[int, _Action] = {}  # engine op id → action being recorded
        self._awaiting: list[_Action] = []  # recorded, waiting for the server (queue order)
        self._bodies: dict[int, tuple[int, int]] = {}  # engine op id → (folder id, uid)
        self._titles: dict[int, str] = {}  # running sync operations → their titles
        self._creating: dict[int, str] = {}  # engine op id → role of the folder being created
        self._quiet: set[int] = set()  # cache-only operations: no progress, no state change
        self._online = False
        self._state = STATE_OFFLINE
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
        s.newMail.connect(self._on_new_mail)
        s.messagesUnreadable.connect(self.messages_unreadable)
        s.actionFailed.connect(self._on_action_failed)

    # ------------------------------------------------------------------ SyncPort

    #: Body requests made offline wait in the engine's queue for the connection.
    queues_offline = True

    def start(self) -> None:
        self._set_state(STATE_CONNECTING)
        self.service.start()

    def stop(self) -> None:
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
        s = self.service
        if op.kind is OpKind.FLAGS:
            engine_id = s.set_flags(op.folder, op.uids, add=sorted(op.add_flags), remove=sorted(op.remove_flags))
        elif op.kind is OpKind.MOVE:
            assert op.target is not None
            engine_id = s.move_messages(op.folder, op.uids, op.target)
        elif op.kind is OpKind.COPY:
            assert op.target is not None
            engine_id = s.copy_messages(op.folder, op.uids, op.target)
        else:
            engine_id = s.delete_messages(op.folder, op.uids, permanent=op.permanent)
        self._recording[engine_id] = _Action(op)

    def set_chosen_folders(self, chosen: dict[str, str]) -> None:
        """{role: folder name} picked by the user or the policy: shown now, kept by every LIST."""
        self._quiet.add(self.service.set_chosen_folders(chosen))

    def create_special_folder(self, role: str) -> None:
        """Create the missing folder for ``role``; ``special_folder_created`` tells how it went."""
        self._creating[self.service.create_special_folder(role)] = role

    def fetch_body(self, folder_id: int, uid: int) -> None:
        cached = self.cache.folder(folder_id)
        if cached is None:
            self.body_failed.emit(folder_id, uid, ServerError(detail="folder gone"))
            return
        self._bodies[self.service.fetch_body(cached.name, uid)] = (folder_id, uid)

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
        if op_id in self._recording or op_id in self._bodies or op_id in self._quiet:
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
        action = self._recording.pop(op_id, None)
        if action is not None:
            self._recorded(action, outcome, error)
            return
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
        self._settle_replayed()
        if not self._titles:
            self.progress.emit("", 0, 0)
        self._update_state()

    def _recorded(self, action: _Action, outcome: str, error: object) -> None:
        if outcome != DONE:
            self.op_finished.emit(action.op.op_id, outcome, error)
            return
        action.seq = self._find_seq(action.op)
        if action.seq is None:  # already replayed and gone (a fast server)
            self.op_finished.emit(action.op.op_id, DONE, None)
            return
        self._awaiting.append(action)

    def _find_seq(self, op: MailOp) -> int | None:
        """The newest queued row that is this action (kind, folder, UIDs, flags, target)."""
        taken = {a.seq for a in self._awaiting}
        for pending in reversed(self.queue.pending()):
            if (
                pending.seq not in taken
                and pending.kind is op.kind
                and pending.folder == op.folder
                and list(pending.uids) == list(op.uids)
                and pending.add_flags == op.add_flags
                and pending.remove_flags == op.remove_flags
                and (pending.target or None) == (op.target or None)
            ):
                return pending.seq
        return None

    def _left_queue(self) -> set[int]:
        queued = {p.seq for p in self.queue.pending()}
        return {a.seq for a in self._awaiting if a.seq is not None and a.seq not in queued}

    def _settle_replayed(self) -> None:
        """A replay has run: what left the queue without a refusal was done."""
        if not self._awaiting:
            return
        gone = self._left_queue()
        still = []
        for action in self._awaiting:
            if action.seq in gone:
                self.op_finished.emit(action.op.op_id, DONE, None)
            else:
                still.append(action)
        self._awaiting = still

    @Slot(str)
    def _on_action_failed(self, text: str) -> None:
        """The engine's refusal names kind and folder; match the oldest such action that left the queue."""
        gone = self._left_queue()
        candidates = [a for a in self._awaiting if a.seq in gone]
        chosen = next((a for a in candidates if self._refusal_matches(a.op, text)), None)
        if chosen is None and candidates:
            chosen = candidates[0]
        if chosen is None:
            self.problem.emit(ServerRefused(text))  # an action from an earlier session
            return
        self._awaiting.remove(chosen)
        self.op_finished.emit(chosen.op.op_id, FAILED, ServerRefused(text))

    @staticmethod
    def _refusal_matches(op: MailOp, text: str) -> bool:
        try:
            from govmail_desktop.sync import offline
        except ImportError:  # pragma: no cover
            return False
        template = {
            OpKind.FLAGS: offline.MSG_FLAGS_REFUSED,
            OpKind.MOVE: offline.MSG_MOVE_REFUSED,
            OpKind.COPY: offline.MSG_COPY_REFUSED,
            OpKind.DELETE: offline.MSG_DELETE_REFUSED,
            OpKind.EXPUNGE: offline.MSG_DELETE_REFUSED,
        }[op.kind]
        templates = [template] + ([offline.MSG_NO_TRASH] if op.kind is OpKind.DELETE else [])
        return any(
            t.format(folder=op.folder, target=op.target or "").text(lang) == text
            for t in templates
            for lang in ("th", "en")
        )

    @Slot(int, int)
    def _on_new_mail(self, folder_id: int, count: int) -> None:
        try:
            uids = list(self.cache.known_uids(folder_id))[-max(0, count):] if count else []
        except GovMailError as exc:
            log.warning("New mail in folder %d, but the cache could not be read: %s", folder_id, exc)
            return
        self.new_mail.emit(folder_id, uids)


# -- the factory the composition root uses ------------------------------------------------------

SyncFactory = Callable[[Any, MailCache, "OfflineOpQueue | None"], "EngineSyncAdapter | None"]



def default_sync_factory(ctx: Any) -> SyncFactory | None:
    """Builds each account's engine + adapter; None when nothing may connect.

    A broken machine policy fails closed: no sync service at all (the window
    shows the cache, offline). The password comes from the keyring or the
    session's memory, asked on the engine's worker thread at connect time.
    """
    policy = getattr(ctx, "policy", None)
    if policy is None or getattr(policy, "error", None) is not None:
        return None
    try:
        from govmail_desktop.services.sync_service import SyncService, imap_connector
    except ImportError:  # pragma: no cover - the engine is part of the app
        log.warning("No sync engine available; mailboxes stay offline")
        return None
    from govmail_desktop.core.accounts import special_folder_roles
    from govmail_desktop.core.errors import PasswordNeeded
    from govmail_desktop.credentials import CredentialStore, password_for

    store = CredentialStore()
    settings = ctx.settings

    def factory(account: Any, cache: MailCache, queue: OfflineOpQueue | None) -> EngineSyncAdapter | None:
        if queue is None:
            return None

        def password() -> str:
            found = password_for(account, store, ctx.session_passwords)
            if found is None:  # "ask each session" after a restart, or the keyring lost it
                raise PasswordNeeded(detail=f"no password known for account {account.id}")
            return found

        server_policy = policy.server_policy()
        connect = imap_connector(account, password, server_policy)
        idle = imap_connector(account, password, server_policy) if settings.get("sync.idle") else None
        chosen = special_folder_roles(account, getattr(settings, "locked", {}))
        service = SyncService(cache, queue, connect, idle_connect=idle, chosen_folders=chosen)
        adapter = EngineSyncAdapter(service, cache, queue)
        service.setParent(adapter)
        return adapter

    return factory
