"""The vocabulary of an account's mailbox (:mod:`govmail_desktop.services.mailbox`), shared
with its users: the connection, preview and delete states and the outcomes of an action; the
action sent to the server (:class:`MailOp`); what the mailbox needs from a sync service
(:class:`SyncPort`); what it hands out (:class:`PreviewResult`, :class:`NewMail`); and how a
failed action is worded (``MSG_*``, :class:`ActionFailed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import MessageSummary
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.store.op_queue import OpKind

if TYPE_CHECKING:  # the parser loads with the first message, not before the window draws
    from govmail_desktop.mime.parse import ParsedMessage

#: The cache part under which a whole fetched message is kept (``BODY.PEEK[]``).
BODY_PART = ""

# Connection states shown in the status bar.
STATE_OFFLINE = "offline"
STATE_CONNECTING = "connecting"
STATE_SYNCING = "syncing"
STATE_ONLINE = "online"
STATES = (STATE_OFFLINE, STATE_CONNECTING, STATE_SYNCING, STATE_ONLINE)

# Outcomes of an action (every operation ends in exactly one).
DONE = Outcome.DONE
FAILED = Outcome.FAILED
CANCELLED = Outcome.CANCELLED

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

    @property
    def queue_kind(self) -> OpKind:
        """The kind queued for the server: a delete for good is an EXPUNGE."""
        return OpKind.EXPUNGE if self.kind is OpKind.DELETE and self.permanent else self.kind


class SyncPort(Protocol):
    """What the mailbox facade needs from an account's sync service.

    Signals (Qt, delivered queued in the GUI thread):
        action_settled(int op_id, Outcome outcome, object error): the action recorded
            and queued under ``op_id`` ended, once; ``error`` is a GovMailError for
            FAILED (an ``ActionRefused`` from the server), else None. On FAILED or
            CANCELLED the cache already shows the server's state again.
        progress(str text, int done, int total): "" text = idle.
        connection_state(str): one of STATES.
        folders_changed(): folder list or counts were written to the cache.
        rows_inserted(int folder_id, list uids), rows_changed(int folder_id, list uids),
        rows_removed(int folder_id, list RowKey), folder_reset(int folder_id):
            the cache changed (the models are told).
        new_mail(int folder_id, list uids): the UIDs that arrived (in the cache unless
            unreadable).
        messages_unreadable(int folder_id, int count): a sync of the folder could not
            read this many messages from the server (the user is told).
        body_ready(int folder_id, int uid): the message is in the cache (BODY_PART; a large
            one asked for the preview: its skeleton, SKELETON_PART).
        body_failed(int folder_id, int uid, object error).
        problem(object error): a GovMailError not tied to an action (login refused,
            certificate not trusted...): said through the message bridge.
    """

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def request_folder_sync(self, folder_id: int) -> None: ...

    def fetch_body(self, folder_id: int, uid: int, *, whole: bool = False) -> None:
        """Bring message ``uid`` into the cache (``body_ready`` / ``body_failed``): a large one as
        a skeleton under SKELETON_PART for the preview, unless ``whole`` (reply, forward)."""

    def apply(self, op: MailOp) -> None:
        """``op`` is recorded and queued under its id: send it (and the rest of the queue)."""

    def cancel(self) -> None: ...


@dataclass(frozen=True)
class PreviewResult:
    """What the preview pane shows; ``parsed`` is set when ``state`` is PREVIEW_READY."""

    state: str
    folder_id: int | None = None
    uid: int | None = None
    summary: MessageSummary | None = None
    parsed: ParsedMessage | None = None
    error: GovMailError | None = None
    #: The special use of the message's folder (``SpecialUse.JUNK``: remote content stays blocked).
    folder_role: str | None = None


@dataclass(frozen=True)
class NewMail:
    """Messages that just arrived (for a desktop notification)."""

    account_name: str
    folder_id: int
    folder_role: str | None
    #: The UIDs that arrived (what the sync reported, not a guess from the cache).
    uids: tuple[int, ...]
    #: The newest few of them, for the notification text.
    messages: tuple[MessageSummary, ...]

    @property
    def count(self) -> int:
        return len(self.uids)


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

    def __init__(self, message: Msg, cause: GovMailError | None = None) -> None:
        super().__init__(message, detail=(cause.detail if cause is not None else ""))
        self.cause = cause
        if cause is not None:
            self.code = f"action-failed:{cause.code}"
            self.is_environment = cause.is_environment

    def user_text(self, lang: str | None = None) -> str:
        parts = [self.message.text(lang)]
        if self.cause is not None:
            parts.append(self.cause.user_text(lang))
        return " ".join(parts)
