"""The user's actions on one account's mail, as :class:`MailboxActions`: the base class of
:class:`~govmail_desktop.services.mailbox.MailboxService`, which is reached through it.

Every action (read/unread, flag, delete, move, copy, archive, create a Trash and delete):

1. **an id** — the action gets its id (``OfflineOpQueue.new_op_id``) when the
   user starts it; the method returns it;
2. **at once** — on a local worker thread (a short SQLite write, never behind
   the network) ``sync/offline.record_action`` queues the action durably under
   that id and changes the cache, and the models are told, so the row turns
   bold/normal, gets its flag, or disappears immediately. This is the only way
   an action is queued, with or without a sync service;
3. **sent** — the sync service is asked to send the queue
   (:meth:`SyncPort.apply`); without one (a broken policy) the action stays
   queued on disk for later and ends *done* here;
4. **settled** — every action ends exactly once with
   ``action_settled(op_id, outcome, error)`` (an :class:`~govmail_desktop.core.actions.Outcome`
   and a typed error), routed by the id alone. On *failed* the sync has already
   made the cache show the server's state again (``sync/offline.roll_back``,
   the only undo); the failure is worded by the message bridge, never here.

Status-bar notices about an action (a failure, "no Archive folder") are cleared
once a later action has ended *done*.

What the actions need of the service (the folder shown, the cache, the sync, the
folder lookups, reporting) is declared for the type checker in
:class:`MailboxActions` and provided by ``services/mailbox.py``; the service calls
:meth:`MailboxActions._init_actions` from its ``__init__``. This module holds no Qt
GUI type (``tests/unit/test_boundaries.py``).

Signals of :class:`MailboxActions` (so of :class:`MailboxService`):
    action_settled(int, Outcome, object): an action ended (its id, the outcome, for
        FAILED an :class:`ActionFailed` whose ``cause`` is the typed reason, else None).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import Flag, SpecialUse
from govmail_desktop.core.errors import BugError, Cancelled, GovMailError, StorageError
from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.services.mailbox_types import (
    CANCELLED,
    DELETE_FOR_GOOD,
    DELETE_NO_TRASH,
    DELETE_TO_TRASH,
    DONE,
    FAILED,
    MSG_ARCHIVE_FAILED,
    MSG_CANCELLED_UNDONE,
    MSG_COPY_FAILED,
    MSG_DELETE_FAILED,
    MSG_FLAG_FAILED,
    MSG_MARK_READ_FAILED,
    MSG_MARK_UNREAD_FAILED,
    MSG_MOVE_FAILED,
    MSG_NO_ARCHIVE,
    MSG_NO_TRASH_NOTHING_DELETED,
    MSG_QUEUED_OFFLINE,
    MSG_TRASH_CREATED,
    MSG_TRASH_NEEDS_SERVER,
    MSG_TRASH_NOT_CREATED,
    MSG_UNFLAG_FAILED,
    STATE_OFFLINE,
    ActionFailed,
    MailOp,
)
from govmail_desktop.store.message_rows import RowKey
from govmail_desktop.store.op_queue import OpKind
from govmail_desktop.sync import offline
from govmail_desktop.sync.listener import SyncListener

if TYPE_CHECKING:
    from govmail_desktop.services.local_worker import LocalWorker
    from govmail_desktop.services.mailbox_types import SyncPort
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.store.cache import CachedFolder, MailCache
    from govmail_desktop.store.op_queue import OfflineOpQueue

log = logging.getLogger(__name__)


@dataclass
class _Pending:
    """An action started and not yet settled."""

    op: MailOp
    failure: Msg


class _RecordRelay(QObject):
    """What recording an action changed in the cache, for the models (queued to the GUI
    thread while the queue's lock is held: before the sync can settle the action)."""

    changed = Signal(int, list)
    removed = Signal(int, list)


class _RecordListener(SyncListener):
    def __init__(self, relay: _RecordRelay) -> None:
        self.relay = relay

    def rows_changed(self, folder_id: int, uids: Sequence[int]) -> None:
        self.relay.changed.emit(folder_id, list(uids))

    def rows_removed(self, folder_id: int, keys: Sequence[RowKey]) -> None:
        self.relay.removed.emit(folder_id, list(keys))


def as_error(exc: BaseException) -> GovMailError:
    """``exc`` as a typed error: itself, or a :class:`BugError` caused by it."""
    if isinstance(exc, GovMailError):
        return exc
    bug = BugError(detail=f"{type(exc).__name__}: {exc}")
    bug.__cause__ = exc
    return bug


class MailboxActions(QObject):
    """The optimistic actions of one account's mailbox (see the module doc); the base
    class of :class:`~govmail_desktop.services.mailbox.MailboxService`."""

    action_settled = Signal(int, object, object)

    if TYPE_CHECKING:  # provided by MailboxService (services/mailbox.py)
        account_id: str
        cache: MailCache
        sync: SyncPort | None
        offline_queue: OfflineOpQueue | None
        bridge: MessageBridge | None
        worker: LocalWorker
        connection_state: str
        connection_notice_key: str
        _folder_id: int | None

        def folder(self, folder_id: int) -> CachedFolder | None: ...

        def folder_label(self, folder_id: int) -> Msg | str: ...

        def special_folder_id(self, role: str) -> int | None: ...

        def _report(self, error: BaseException, *, key: str | None = None) -> None: ...

        def _on_rows_changed(self, folder_id: int, uids: list[int]) -> None: ...

        def _on_rows_removed(self, folder_id: int, keys: list[RowKey]) -> None: ...

    def _init_actions(self, account_id: str) -> None:
        """The actions' state; called once by the service's ``__init__`` (after its worker)."""
        self._pending: dict[int, _Pending] = {}
        #: Ids of actions when there is no queue to hand them out (nothing can be recorded then).
        self._local_ids = itertools.count(1)
        self._last_op_id = 0
        self._record_relay = _RecordRelay(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._record_relay.changed.connect(self._on_rows_changed, queued)
        self._record_relay.removed.connect(self._on_rows_removed, queued)
        #: Key of this account's status-bar notices about actions (MessageBridge.clear ends them).
        self.action_notice_key = f"actions:{account_id}"
        #: An action notice is cleared by an action newer than this one ending done.
        self._action_notice_after: int | None = None
        #: Deletes waiting for a Trash being created: (action id, folder id, uids).
        self._waiting_for_trash: list[tuple[int, int, tuple[int, ...]]] = []

    # ------------------------------------------------------------------ actions (optimistic)

    def _action_notice(self, text: Msg | GovMailError, *, level: str = "warning", about: int | None = None) -> None:
        """A notice about an action (``about``: its id; else the latest one): it ends
        when a later action has ended done."""
        self._action_notice_after = self._last_op_id if about is None else about
        if self.bridge is None:
            log.warning("Mailbox %s: %s", self.account_id, text if isinstance(text, GovMailError) else text.text("en"))
        elif isinstance(text, GovMailError):
            self.bridge.report_error(text, key=self.action_notice_key)
        elif level == "info":
            self.bridge.info(text, key=self.action_notice_key)
        else:
            self.bridge.warning(text, key=self.action_notice_key)

    def flags_of(self, uid: int) -> frozenset[str] | None:
        """The flags of message ``uid`` of the folder shown, read from the cache (None: gone)."""
        if self._folder_id is None:
            return None
        try:
            return self.cache.flags_of(self._folder_id, uid)
        except StorageError as exc:
            self._report(exc)
            return None

    def mark_read(self, uids: Sequence[int], read: bool = True) -> int | None:
        if read:
            return self._change_flags(uids, add={Flag.SEEN}, failure=MSG_MARK_READ_FAILED)
        return self._change_flags(uids, remove={Flag.SEEN}, failure=MSG_MARK_UNREAD_FAILED)

    def set_flagged(self, uids: Sequence[int], flagged: bool = True) -> int | None:
        if flagged:
            return self._change_flags(uids, add={Flag.FLAGGED}, failure=MSG_FLAG_FAILED)
        return self._change_flags(uids, remove={Flag.FLAGGED}, failure=MSG_UNFLAG_FAILED)

    def delete_mode(self, folder_id: int | None = None, *, shift: bool = False) -> str:
        """What Delete does here: DELETE_TO_TRASH; DELETE_FOR_GOOD (Shift+Delete, or in
        the Trash: ask the user first); DELETE_NO_TRASH (the account has no Trash: ask
        whether to create one or to delete for good — never erase by default)."""
        folder_id = self._folder_id if folder_id is None else folder_id
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
        folder_id = self._folder_id
        if folder_id is None or not uids:
            return None
        trash = self.special_folder_id(SpecialUse.TRASH)
        if trash is None and not permanent:
            self._action_notice(MSG_NO_TRASH_NOTHING_DELETED)
            return None
        permanent = permanent or trash == folder_id
        return self._start(OpKind.DELETE, folder_id, uids, MSG_DELETE_FAILED, permanent=permanent)

    def create_trash_and_delete(self, uids: Sequence[int]) -> int | None:
        """The user chose "Create a Trash folder": create it on the server, then move
        ``uids`` (of the folder shown now) there, as one action: its id is returned
        (None when it cannot be done now) and it settles once, after the move."""
        folder_id = self._folder_id
        create = getattr(self.sync, "create_special_folder", None)
        if create is None or self.connection_state == STATE_OFFLINE:
            self._action_notice(MSG_TRASH_NEEDS_SERVER)
            return None
        op_id = None
        if folder_id is not None and uids:
            op = self._new_op(OpKind.DELETE, folder_id, uids)
            if op is not None:
                op_id = op.op_id
                self._pending[op_id] = _Pending(op, MSG_DELETE_FAILED)
                self._waiting_for_trash.append((op_id, folder_id, op.uids))
        create(SpecialUse.TRASH)
        return op_id

    @Slot(str, str, object)
    def _on_special_folder_created(self, role: str, outcome: str, error: object) -> None:
        if role != SpecialUse.TRASH:
            return
        waiting, self._waiting_for_trash = self._waiting_for_trash, []
        trash = self.special_folder_id(SpecialUse.TRASH)
        if outcome != DONE or trash is None:
            cancelled = outcome == CANCELLED or isinstance(error, Cancelled)
            cause = error if isinstance(error, GovMailError) else None
            for op_id, _folder_id, _uids in waiting:  # nothing was deleted: each ends here
                pending = self._pending.get(op_id)
                if pending is not None:
                    pending.failure = MSG_TRASH_NOT_CREATED
                self._on_action_settled(op_id, CANCELLED if cancelled else FAILED, None if cancelled else cause)
            if not waiting and not cancelled:
                self._action_notice(ActionFailed(MSG_TRASH_NOT_CREATED, cause))
            return
        self._action_notice(MSG_TRASH_CREATED, level="info")
        for op_id, folder_id, _uids in waiting:
            pending = self._pending.get(op_id)
            if pending is not None and folder_id != trash:
                self._record(pending)
            elif pending is not None:  # it was the Trash itself that was shown: nothing to move
                self._on_action_settled(op_id, DONE, None)

    def _transfer(
        self, uids: Sequence[int], target_folder_id: int, source_folder_id: int | None
    ) -> tuple[int, str, Msg | str] | None:
        """(source folder id, target name, target's shown name) of a move or copy, or None."""
        source = self._folder_id if source_folder_id is None else source_folder_id
        if source is None or not uids or target_folder_id == source:
            return None
        target = self.folder(target_folder_id)
        if target is None:
            return None
        return source, target.name, self.folder_label(target_folder_id) or target.name

    def move(self, uids: Sequence[int], target_folder_id: int, source_folder_id: int | None = None) -> int | None:
        transfer = self._transfer(uids, target_folder_id, source_folder_id)
        if transfer is None:
            return None
        source, target, shown = transfer
        return self._start(OpKind.MOVE, source, uids, MSG_MOVE_FAILED.format(folder=shown), target=target)

    def copy(self, uids: Sequence[int], target_folder_id: int, source_folder_id: int | None = None) -> int | None:
        """Copies in another folder (the originals stay); they show there after its next sync."""
        transfer = self._transfer(uids, target_folder_id, source_folder_id)
        if transfer is None:
            return None
        source, target, shown = transfer
        return self._start(OpKind.COPY, source, uids, MSG_COPY_FAILED.format(folder=shown), target=target)

    def archive(self, uids: Sequence[int]) -> int | None:
        archive = self.special_folder_id(SpecialUse.ARCHIVE)
        if archive is None:
            self._action_notice(MSG_NO_ARCHIVE)
            return None
        target = self.folder(archive)
        source = self._folder_id
        if target is None or source is None or source == archive or not uids:
            return None
        return self._start(OpKind.MOVE, source, uids, MSG_ARCHIVE_FAILED, target=target.name)

    @Slot(int, int, list, bool)
    def drop(self, target_id: int, source_id: int, uids: list[int], copy: bool) -> None:
        """Dropped on a folder: moved, or copied when Ctrl was held (as in every file manager)."""
        if copy:
            self.copy([int(u) for u in uids], target_id, source_id)
        else:
            self.move([int(u) for u in uids], target_id, source_id)

    def _new_op_id(self) -> int:
        queue = self.offline_queue
        op_id = queue.new_op_id() if queue is not None else next(self._local_ids)
        self._last_op_id = max(self._last_op_id, op_id)
        return op_id

    def _new_op(
        self,
        kind: OpKind,
        folder_id: int,
        uids: Sequence[int],
        *,
        add_flags: frozenset[str] = frozenset(),
        remove_flags: frozenset[str] = frozenset(),
        target: str | None = None,
        permanent: bool = False,
    ) -> MailOp | None:
        cached = self.folder(folder_id)
        if cached is None:
            return None
        return MailOp(
            op_id=self._new_op_id(),
            kind=kind,
            folder=cached.name,
            folder_id=folder_id,
            uidvalidity=cached.uidvalidity,
            uids=tuple(sorted(set(int(u) for u in uids))),
            add_flags=add_flags,
            remove_flags=remove_flags,
            target=target,
            permanent=permanent,
        )

    def _change_flags(
        self, uids: Sequence[int], *, add: Iterable[str] = (), remove: Iterable[str] = (), failure: Msg
    ) -> int | None:
        folder_id = self._folder_id
        if folder_id is None or not uids:
            return None
        return self._start(
            OpKind.FLAGS, folder_id, uids, failure, add_flags=frozenset(add), remove_flags=frozenset(remove)
        )

    def _start(
        self,
        kind: OpKind,
        folder_id: int,
        uids: Sequence[int],
        failure: Msg,
        *,
        add_flags: frozenset[str] = frozenset(),
        remove_flags: frozenset[str] = frozenset(),
        target: str | None = None,
        permanent: bool = False,
    ) -> int | None:
        """Give the action its id and record it; returns the id (None: nothing to do)."""
        if not uids:
            return None
        op = self._new_op(
            kind, folder_id, uids, add_flags=add_flags, remove_flags=remove_flags, target=target, permanent=permanent
        )
        if op is None:
            return None
        pending = _Pending(op, failure)
        self._pending[op.op_id] = pending  # before the sync can settle it
        self._record(pending)
        return op.op_id

    def _record(self, pending: _Pending) -> None:
        """Worker: queue the action under its id and show it in the cache (the one path,
        ``offline.record_action``); then ask the sync service to send it."""
        op = pending.op
        queue = self.offline_queue
        if queue is None:  # the queue could not be opened (reported then): nothing can be kept
            self._on_action_settled(op.op_id, FAILED, StorageError(detail="no offline action queue"))
            return
        listener = _RecordListener(self._record_relay)

        def record() -> int:
            return offline.record_action(
                self.cache, queue, listener, op.queue_kind, op.folder, op.uids,
                add=sorted(op.add_flags), remove=sorted(op.remove_flags), target=op.target, op_id=op.op_id,
            )

        self.worker.submit(record, lambda _op_id: self._recorded(op), lambda exc: self._on_action_settled(
            op.op_id, FAILED, as_error(exc)
        ))

    def _recorded(self, op: MailOp) -> None:
        if self.sync is not None:
            try:
                self.sync.apply(op)
            except GovMailError as exc:  # it stays queued: sent with the next connection
                self._report(exc, key=self.connection_notice_key)
            return
        # No sync service: kept on disk, sent by the engine when there is one.
        if self.bridge is not None:
            self.bridge.info(MSG_QUEUED_OFFLINE, key=self.connection_notice_key)
        self._on_action_settled(op.op_id, DONE, None)

    def _folder_id_of(self, name: str) -> int | None:
        try:
            return self.cache.folder_id(name)
        except GovMailError:
            return None

    @Slot(int, object, object)
    def _on_action_settled(self, op_id: int, outcome: object, error: object) -> None:
        """The one end of every action, routed by its id (never by text): once."""
        outcome = Outcome(outcome)
        err = error if isinstance(error, GovMailError) else (
            as_error(error) if isinstance(error, BaseException) else None
        )
        pending = self._pending.pop(op_id, None)
        if pending is None:
            # An action queued in an earlier session (or already settled): say a failure.
            if outcome is FAILED and err is not None:
                self._action_notice(err, about=op_id)
            self.action_settled.emit(op_id, outcome, err if outcome is FAILED else None)
            return
        op = pending.op
        if outcome is DONE:
            if op.kind is OpKind.COPY and op.target and self.sync is not None:
                target_id = self._folder_id_of(op.target)
                if target_id is not None:
                    self.sync.request_folder_sync(target_id)  # the copies (and counts) show there
            if self._action_notice_after is not None and op_id > self._action_notice_after and self.bridge is not None:
                self._action_notice_after = None
                self.bridge.clear(self.action_notice_key)  # what an earlier action left said has ended
            self.action_settled.emit(op_id, DONE, None)
            return
        if outcome is CANCELLED or isinstance(err, Cancelled):
            self._action_notice(MSG_CANCELLED_UNDONE, level="info", about=op_id)
            self.action_settled.emit(op_id, CANCELLED, None)
            return
        failure = ActionFailed(pending.failure, err)
        self._action_notice(failure, about=op_id)
        self.action_settled.emit(op_id, FAILED, failure)

    @property
    def pending_ops(self) -> int:
        return len(self._pending)
