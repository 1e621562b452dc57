"""User actions (flag, move, copy, delete): shown in the cache at once, sent to the server later.

Every action takes the same path, online or not, under the id it was given
when the user started it (``core/actions.py``):

1. :func:`record_action` (a local worker thread, no network) appends the
   action with its id to the durable queue (``store.op_queue``), so it
   survives a crash or a power cut before the server has it, and changes the
   cache at once. It is the only way an action enters the queue;
2. :func:`replay` (the connection's worker, when online) sends queued actions
   in order and ends each one with ``listener.action_settled(op_id, outcome,
   error)``: the server's OK removes it from the queue (DONE); a NO removes it
   too, and :func:`roll_back` — the only undo of an action — makes the cache
   show the server's state again (flags fetched again, moved messages fetched
   back) before it ends FAILED with a typed
   :class:`~govmail_desktop.core.errors.ActionRefused`. A dropped connection or
   a cancel leaves the rest queued for the next connection.

An action whose folder's UIDVALIDITY changed meanwhile is dropped (FAILED,
``ActionRefused.FOLDER_REBUILT``): its UIDs no longer name the same messages.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import Flag, MessageSummary, SpecialUse
from govmail_desktop.core.errors import ActionRefused, GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.net.imap.client import ImapCommandError
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.message_rows import RowKey
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind, PendingOp
from govmail_desktop.store.uidset import UidSet
from govmail_desktop.sync import convert
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.listener import SyncListener

log = logging.getLogger(__name__)

#: Server answers worth trying again later (RFC 5530); any other NO is final.
TRANSIENT_CODES = frozenset({"INUSE", "UNAVAILABLE", "LIMIT", "SERVERBUG", "EXPUNGEISSUED"})
MAX_ATTEMPTS = 3

MSG_FLAGS_REFUSED = QT_TRANSLATE_NOOP(
    "Sync",
    "The server did not accept the change of marks in the folder {folder}; the messages show the server's state again.",
)
MSG_MOVE_REFUSED = QT_TRANSLATE_NOOP(
    "Sync", "The server did not move the messages from {folder} to {target}; they are back in {folder}."
)
MSG_COPY_REFUSED = QT_TRANSLATE_NOOP(
    "Sync", "The server did not copy the messages from {folder} to {target}."
)
MSG_DELETE_REFUSED = QT_TRANSLATE_NOOP(
    "Sync", "The server did not delete the messages in {folder}; they are back in the folder."
)
MSG_NO_TRASH = QT_TRANSLATE_NOOP(
    "Sync", "The messages in {folder} were not deleted: this account has no Trash folder. They are back in {folder}."
)
MSG_FOLDER_CHANGED = QT_TRANSLATE_NOOP(
    "Sync", "An action made offline in the folder {folder} was not sent: the folder was rebuilt on the server."
)


@dataclass
class ReplayResult:
    done: int = 0
    failed: int = 0
    dropped: int = 0
    postponed: int = 0
    messages: list[Msg] = field(default_factory=list)


def trash_folder(cache: MailCache) -> str | None:
    """Name of the folder with the \\Trash special use, if the server has one."""
    for cached in cache.folders():
        if cached.folder.special_use == SpecialUse.TRASH and cached.folder.selectable:
            return cached.name
    return None


class NoTrash(Exception):
    """A delete to the Trash, and the account has none: nothing is erased instead."""


def record_action(
    cache: MailCache,
    queue: OfflineOpQueue,
    listener: SyncListener,
    kind: OpKind,
    folder: str,
    uids: Iterable[int],
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    target: str | None = None,
    op_id: int | None = None,
) -> int:
    """Queue an action for the server and show it in the cache now; returns its id.

    ``op_id`` is the id the user's action was given (``queue.new_op_id()``; a new
    one if None). Queue row and cache change are made under the queue's lock, so
    a replay never sends an action whose cache change is not made yet; if the
    cache cannot be changed the row is taken out again and nothing was done.
    """
    uid_list = sorted(set(uids))
    add, remove = tuple(add), tuple(remove)
    fid = cache.folder_id(folder)
    cached = cache.folder(fid) if fid is not None else None
    if fid is None or cached is None:
        raise ValueError(f"unknown folder {folder!r}")
    op_id = queue.new_op_id() if op_id is None else op_id
    with queue.lock:
        seq = queue.enqueue(
            kind, folder, cached.uidvalidity, uid_list, add_flags=add, remove_flags=remove, target=target, op_id=op_id
        )
        try:
            changed: list[int] = []
            keys: list[RowKey] = []
            if kind is OpKind.FLAGS:
                changed = cache.change_flags(fid, uid_list, add=add, remove=remove)
            elif kind is not OpKind.COPY:  # a copy: the originals stay, the copies show after a sync
                keys = cache.expunge(fid, UidSet.of(uid_list))
        except BaseException:
            with contextlib.suppress(GovMailError):
                queue.complete(seq)
            raise
        # Told while the lock is held: before a replay can end the action.
        if changed:
            listener.rows_changed(fid, changed)
        if keys:
            listener.rows_removed(fid, keys)
        listener.folders_changed()  # unread counts
    return op_id


def replay(
    conn: MailboxConnection,
    cache: MailCache,
    queue: OfflineOpQueue,
    listener: SyncListener | None = None,
    cancel: CancelToken | None = None,
) -> ReplayResult:
    """Send queued actions in order, ending each with ``listener.action_settled``.

    NetworkError propagates, and a cancel stops: the rest stays queued, unsettled.
    """
    listener = listener or SyncListener()
    result = ReplayResult()
    with queue.lock:  # only actions recorded completely
        pending = queue.pending()
    for op in pending:
        if cancel is not None:
            cancel.check()
        try:
            info = conn.select(op.folder)
            if op.uidvalidity is not None and info.uidvalidity != op.uidvalidity:
                log.warning("Offline action %d dropped: UIDVALIDITY of its folder changed", op.seq)
                queue.complete(op.seq)
                result.dropped += 1
                # The user is told; the folder sync drops the cache of the rebuilt folder.
                _failed(result, listener, op, ActionRefused(
                    MSG_FOLDER_CHANGED.format(folder=op.folder), reason=ActionRefused.FOLDER_REBUILT,
                    detail=f"UIDVALIDITY {op.uidvalidity} -> {info.uidvalidity}",
                ))
                continue
            _apply(conn, cache, op)
        except NoTrash:
            # Erasing instead would lose mail the user meant to keep in a Trash.
            log.warning("Offline action %d not sent: the account has no Trash folder", op.seq)
            queue.complete(op.seq)
            result.failed += 1
            roll_back(conn, cache, op, listener)
            _failed(result, listener, op, ActionRefused(
                MSG_NO_TRASH.format(folder=op.folder), reason=ActionRefused.NO_TRASH, detail="no Trash folder"
            ))
            continue
        except ImapCommandError as exc:
            attempts = queue.record_failure(op.seq, exc.detail[:500])
            if exc.response_code in TRANSIENT_CODES and attempts < MAX_ATTEMPTS:
                log.info("Offline action %d postponed (%s)", op.seq, exc.detail)
                result.postponed += 1
                break  # keep the order: later actions may depend on this one
            log.warning("Offline action %d refused by the server: %s", op.seq, exc.detail)
            queue.complete(op.seq)
            result.failed += 1
            roll_back(conn, cache, op, listener)
            _failed(result, listener, op, ActionRefused(
                _refusal_message(op), reason=ActionRefused.REFUSED, detail=exc.detail[:500]
            ))
            continue
        queue.complete(op.seq)
        result.done += 1
        listener.action_settled(op.op_id, Outcome.DONE, None)
    if result.done or result.failed:
        listener.folders_changed()
    return result


def _failed(result: ReplayResult, listener: SyncListener, op: PendingOp, error: ActionRefused) -> None:
    result.messages.append(error.message)
    listener.action_settled(op.op_id, Outcome.FAILED, error)


def _apply(conn: MailboxConnection, cache: MailCache, op: PendingOp) -> None:
    uid_set = op.uids.to_imap()
    if not uid_set:
        return
    if op.kind is OpKind.FLAGS:
        if op.add_flags:
            conn.store_flags(uid_set, "+", sorted(op.add_flags))
        if op.remove_flags:
            conn.store_flags(uid_set, "-", sorted(op.remove_flags))
    elif op.kind is OpKind.MOVE:
        assert op.target is not None
        conn.uid_move(uid_set, op.target)
    elif op.kind is OpKind.COPY:
        assert op.target is not None
        conn.uid_copy(uid_set, op.target)
    elif op.kind is OpKind.DELETE and (trash := trash_folder(cache)) != op.folder:
        if trash is None:
            raise NoTrash(op.folder)
        conn.uid_move(uid_set, trash)
    elif op.kind in (OpKind.DELETE, OpKind.EXPUNGE):  # for good: in the Trash, or confirmed (EXPUNGE)
        conn.store_flags(uid_set, "+", [Flag.DELETED])
        conn.uid_expunge(uid_set)
    # The server's own untagged answers (EXPUNGE/FETCH) describe what we already show.
    conn.take_events()


def _refusal_message(op: PendingOp) -> Msg:
    if op.kind is OpKind.FLAGS:
        return MSG_FLAGS_REFUSED.format(folder=op.folder)
    if op.kind is OpKind.MOVE:
        return MSG_MOVE_REFUSED.format(folder=op.folder, target=op.target or "")
    if op.kind is OpKind.COPY:
        return MSG_COPY_REFUSED.format(folder=op.folder, target=op.target or "")
    return MSG_DELETE_REFUSED.format(folder=op.folder)


def roll_back(conn: MailboxConnection, cache: MailCache, op: PendingOp, listener: SyncListener) -> None:
    """Undo an action the server did not carry out: the only undo of a user action.

    Reads the server's state of the action's messages and shows it
    (:func:`show_server_state`); the connection has the folder selected.
    """
    uid_set = op.uids.to_imap()
    if not uid_set or op.kind is OpKind.COPY:  # a copy changed nothing here
        return
    try:
        if op.kind is OpKind.FLAGS:
            changes: dict[int, frozenset[str]] = {}
            # Only the action's messages: rows for other UIDs (a hostile or broken server) are not shown.
            with contextlib.closing(conn.fetch_stream(uid_set, convert.FLAG_ITEMS)) as stream:
                for batch in stream:
                    changes.update((uid, f) for uid, f in convert.flags_of(batch.messages).items() if uid in op.uids)
            show_server_state(cache, op, listener, flags=changes)
        else:
            summaries: list[MessageSummary] = []
            with contextlib.closing(conn.fetch_stream(uid_set, convert.SUMMARY_ITEMS)) as stream:
                for batch in stream:
                    summaries.extend(s for s in convert.summaries_of(batch.messages) if s.uid in op.uids)
            show_server_state(cache, op, listener, summaries=summaries)
    except GovMailError as exc:
        # The next folder sync puts things right; say so in the log only.
        log.warning("Rolling back offline action %d failed: %s", op.seq, exc)


def show_server_state(
    cache: MailCache,
    op: PendingOp,
    listener: SyncListener,
    *,
    flags: Mapping[int, frozenset[str]] | None = None,
    summaries: Sequence[MessageSummary] = (),
) -> None:
    """Write what the server has for an undone action's messages into the cache and tell
    the listener: their ``flags`` (a flag change), or the ``summaries`` of the messages a
    move or delete had taken out of the folder."""
    fid = cache.folder_id(op.folder)
    if fid is None:
        return
    if op.kind is OpKind.FLAGS:
        changed = cache.update_flags(fid, dict(flags or {}))
        if changed:
            listener.rows_changed(fid, changed)
    elif summaries:
        cache.insert_summaries(fid, list(summaries))
        listener.rows_inserted(fid, [s.uid for s in summaries])
