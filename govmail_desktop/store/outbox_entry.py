"""An outbox entry as the outbox keeps it: its state (:class:`OutboxState` and the moves
allowed between states), each recipient's answer (:class:`RecipientResult`), the whole entry
(:class:`OutboxEntry`, one JSON line of the state log) and what the server offered
(:class:`ServerOffers`). The files and their durability: :mod:`govmail_desktop.store.outbox`.

No Qt, no network, no disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg

STATE_FORMAT = 1


class OutboxState(str, Enum):
    QUEUED = "queued"  # waiting for (another) attempt
    SENDING = "sending"  # an attempt is running
    ACCEPTED = "accepted"  # the server answered 250 to DATA: never sent again
    FILED = "filed"  # the copy is in the Sent folder
    DONE = "done"  # the original is marked; nothing more to do
    FAILED = "failed"  # the server refused it for good (or the policy blocks it)
    UNKNOWN = "unknown"  # DATA ended, no answer recorded: may have been sent

    @property
    def label(self) -> Msg:
        return STATE_LABELS[self]


STATE_LABELS: dict[OutboxState, Msg] = {
    OutboxState.QUEUED: QT_TRANSLATE_NOOP("Outbox", "Waiting to be sent"),
    OutboxState.SENDING: QT_TRANSLATE_NOOP("Outbox", "Sending"),
    OutboxState.ACCEPTED: QT_TRANSLATE_NOOP("Outbox", "Sent; saving the copy in Sent"),
    OutboxState.FILED: QT_TRANSLATE_NOOP("Outbox", "Sent; marking the original message"),
    OutboxState.DONE: QT_TRANSLATE_NOOP("Outbox", "Sent"),
    OutboxState.FAILED: QT_TRANSLATE_NOOP("Outbox", "Not sent"),
    OutboxState.UNKNOWN: QT_TRANSLATE_NOOP("Outbox", "May have been sent"),
}

#: Which state may follow which (anything else is a bug, refused by :meth:`OutboxStore.update`).
TRANSITIONS: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.QUEUED: frozenset({OutboxState.SENDING, OutboxState.FAILED}),
    # SENDING → FILED: a retry after an earlier delivery ended with the rest refused for good
    # (the Sent copy is filed already; the message is finished, not failed)
    OutboxState.SENDING: frozenset(
        {OutboxState.QUEUED, OutboxState.ACCEPTED, OutboxState.FAILED, OutboxState.UNKNOWN, OutboxState.FILED}
    ),
    OutboxState.ACCEPTED: frozenset({OutboxState.FILED}),
    # FILED → QUEUED: delivered to some, the recipients answered 4xx wait for another attempt
    OutboxState.FILED: frozenset({OutboxState.DONE, OutboxState.QUEUED}),
    OutboxState.DONE: frozenset(),
    OutboxState.FAILED: frozenset({OutboxState.QUEUED}),
    # the user's choice (send again / it was sent), or the Sent folder has it
    OutboxState.UNKNOWN: frozenset({OutboxState.QUEUED, OutboxState.ACCEPTED, OutboxState.FILED}),
}
#: States in which the message may still leave by SMTP (by itself or by the user's word).
WAITING = frozenset({OutboxState.QUEUED, OutboxState.SENDING})


class IllegalTransition(ValueError):
    """A state change the outbox's state machine does not allow (a bug in the caller)."""


def msg_to_json(message: Msg | None) -> dict[str, Any] | None:
    """A translatable message as JSON (its arguments plain values or messages)."""
    if message is None:
        return None
    args: dict[str, Any] = {}
    for key, value in message.args.items():
        if isinstance(value, Msg):
            args[key] = {"msg": msg_to_json(value)}
        elif isinstance(value, (str, int, float)) or value is None:
            args[key] = value
        else:
            args[key] = str(value)
    return {"context": message.context, "source": message.source, "args": args}


def msg_from_json(data: Any) -> Msg | None:
    if not isinstance(data, dict) or not isinstance(data.get("source"), str):
        return None
    args: dict[str, Any] = {}
    for key, value in (data.get("args") or {}).items():
        args[str(key)] = msg_from_json(value["msg"]) if isinstance(value, dict) and "msg" in value else value
    return Msg(str(data.get("context", "")), data["source"], args)


#: How far a message got, recipient by recipient (:attr:`OutboxEntry.progress`).
MSG_PROGRESS = QT_TRANSLATE_NOOP(
    "Outbox", "Delivered to {delivered} of {total} recipients ({waiting} to be tried again, {refused} refused)."
)


@dataclass(frozen=True)
class RecipientResult:
    """The server's answer to ``RCPT TO`` (or to the end of DATA) for one recipient."""

    address: str
    code: int
    text: str = ""

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500

    @property
    def permanent(self) -> bool:
        return self.code >= 500


def merge_results(old: Iterable[RecipientResult], new: Iterable[RecipientResult]) -> tuple[RecipientResult, ...]:
    """``old`` with each recipient's newer answer from ``new`` (order: first seen first).
    An accepted recipient stays accepted: a message delivered is never taken back."""
    merged: dict[str, RecipientResult] = {r.address: r for r in old}
    for result in new:
        known = merged.get(result.address)
        if known is None or not known.accepted:
            merged[result.address] = result
    return tuple(merged.values())


@dataclass(frozen=True)
class OutboxEntry:
    """One message in the outbox (the contents of its ``state.json``)."""

    entry_id: str
    account_id: str
    draft_id: str
    state: OutboxState
    message_id: str
    envelope_from: str
    envelope_recipients: tuple[str, ...]
    subject: str = ""
    created_at: float = 0.0
    updated_at: float = 0.0
    attempts: int = 0
    #: When the next attempt may start (seconds since the epoch); None = only when asked.
    next_attempt_at: float | None = 0.0
    #: The end of DATA is (about to be) on the wire; the reply is not recorded yet.
    committing: bool = False
    #: How the body went: "7bit", "8bitmime", "smtputf8" (UTF-8 header fields, 8-bit body) or
    #: "smtputf8-7bit" (UTF-8 header fields, 7-bit body): what the server offered.
    transfer: str = "7bit"
    #: The server's answer for each recipient (RCPT TO, and the end of DATA).
    recipients: tuple[RecipientResult, ...] = ()
    #: What went wrong last, for the user (a Msg) and for the log (English).
    problem: Msg | None = None
    problem_detail: str = ""
    #: Where the Sent copy went (folder, UID when the server said).
    sent_folder: str = ""
    sent_uid: int | None = None
    #: The user confirmed that an "unknown" message is to be sent again.
    resend_confirmed: bool = False
    #: The recipients the server took at RCPT in the transaction whose end of DATA is
    #: (about to be) on the wire — recorded with ``committing``; the ones an ``unknown``
    #: message may have reached.
    in_flight: tuple[str, ...] = ()
    #: The Sent copy was dealt with (filed, found there, or not possible): never again,
    #: even when recipients answered 4xx are tried again later.
    filed_once: bool = False
    #: The original (of a reply or forward) is marked: never again.
    original_marked: bool = False
    #: Since when the message waits (0: since ``created_at``; "Send again" starts it anew).
    waiting_since: float = 0.0
    #: Set once the message has waited longer than the sender's limit without leaving:
    #: "Not sent yet after N hours: <last problem>" (it stays queued and is still tried).
    overdue: Msg | None = None

    @property
    def delivered(self) -> tuple[str, ...]:
        """Recipients the server accepted the message for (never sent to again)."""
        accepted = {r.address for r in self.recipients if r.accepted}
        return tuple(a for a in self.envelope_recipients if a in accepted)

    @property
    def waiting(self) -> tuple[str, ...]:
        """Recipients still to be sent to: no answer yet, or a temporary (4xx) one. The
        next transaction names exactly these."""
        answered = {r.address for r in self.recipients if r.accepted or r.permanent}
        return tuple(a for a in self.envelope_recipients if a not in answered)

    @property
    def failed(self) -> tuple[RecipientResult, ...]:
        """Recipients refused for good (5xx), each with the server's answer."""
        return tuple(r for r in self.recipients if r.permanent)

    @property
    def progress(self) -> Msg | None:
        """"Delivered to 2 of 3 recipients (1 to be tried again, 0 refused)" once the message
        reached some recipients but not all; None otherwise."""
        delivered, total = len(self.delivered), len(self.envelope_recipients)
        if not delivered or delivered == total:
            return None
        return MSG_PROGRESS.format(delivered=delivered, total=total, waiting=len(self.waiting),
                                   refused=len(self.failed))

    @property
    def refused(self) -> tuple[RecipientResult, ...]:
        """Recipients the server did not take (named to the user as not delivered)."""
        return tuple(r for r in self.recipients if not r.accepted)

    @property
    def needs_attention(self) -> bool:
        """Only the user moves it on, or should know: failed, "may have been sent", waiting too
        long, or finished but kept to say something (sent to some recipients only, the rest
        refused for good; the Sent copy refused) until "Remove from the list"."""
        if self.state in (OutboxState.FAILED, OutboxState.UNKNOWN) or self.overdue is not None:
            return True
        return self.state is OutboxState.DONE and (bool(self.refused) or self.problem is not None)

    @property
    def pending(self) -> bool:
        """Counted in the outbox folder (which shows while any is): not finished, or needing
        the user (a partly sent message stays reachable until removed from the list)."""
        return self.state is not OutboxState.DONE or self.needs_attention

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        data["problem"] = msg_to_json(self.problem)
        data["overdue"] = msg_to_json(self.overdue)
        data["in_flight"] = list(self.in_flight)
        data["recipients"] = [asdict(r) for r in self.recipients]
        data["envelope_recipients"] = list(self.envelope_recipients)
        data["format"] = STATE_FORMAT
        return data

    @staticmethod
    def from_dict(data: Any) -> OutboxEntry:
        if not isinstance(data, dict) or not isinstance(data.get("format"), int) or data["format"] > STATE_FORMAT:
            raise ValueError("not an outbox state")
        try:
            nxt = data.get("next_attempt_at")
            sent_uid = data.get("sent_uid")
            return OutboxEntry(
                entry_id=str(data["entry_id"]),
                account_id=str(data["account_id"]),
                draft_id=str(data["draft_id"]),
                state=OutboxState(data["state"]),
                message_id=str(data["message_id"]),
                envelope_from=str(data["envelope_from"]),
                envelope_recipients=tuple(str(r) for r in data["envelope_recipients"]),
                subject=str(data.get("subject", "")),
                created_at=float(data.get("created_at", 0.0)),
                updated_at=float(data.get("updated_at", 0.0)),
                attempts=int(data.get("attempts", 0)),
                next_attempt_at=None if nxt is None else float(nxt),
                committing=bool(data.get("committing", False)),
                transfer=str(data.get("transfer", "7bit")),
                recipients=tuple(
                    RecipientResult(str(r["address"]), int(r["code"]), str(r.get("text", "")))
                    for r in data.get("recipients") or ()
                ),
                problem=msg_from_json(data.get("problem")),
                problem_detail=str(data.get("problem_detail", "")),
                sent_folder=str(data.get("sent_folder", "")),
                sent_uid=None if sent_uid is None else int(sent_uid),
                resend_confirmed=bool(data.get("resend_confirmed", False)),
                in_flight=tuple(str(r) for r in data.get("in_flight") or ()),
                filed_once=bool(data.get("filed_once", False)),
                original_marked=bool(data.get("original_marked", False)),
                waiting_since=float(data.get("waiting_since", 0.0)),
                overdue=msg_from_json(data.get("overdue")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"damaged outbox state: {exc}") from None


@dataclass(frozen=True)
class ServerOffers:
    """What the account's SMTP server offered in its last EHLO over TLS: the message is
    built for it right at Send. Only a guess (the server may change): the sender compares
    it with the live EHLO and rebuilds the bytes when they differ."""

    eightbitmime: bool
    smtputf8: bool


__all__ = [
    "MSG_PROGRESS", "STATE_FORMAT", "TRANSITIONS", "WAITING", "IllegalTransition", "OutboxEntry", "OutboxState",
    "RecipientResult", "ServerOffers", "merge_results", "msg_from_json", "msg_to_json",
]
