"""Sending: from the outbox to the SMTP server, then to the Sent folder (Qt-free).

:func:`enqueue` checks the draft (``check_before_send``), builds it and writes it
to the outbox durably — nothing touches the network before that. A
:class:`Sender` then works the outbox (one thread; the service's worker):

1. **recheck** the policy right before SMTP (a rule may have changed; no path
   skips it): blocked → ``failed``, the server never sees MAIL FROM;
2. ``sending`` (durable), connect through the policy path (TLS verified, AUTH
   only over TLS); the bytes were built at Send for what the server offered at its
   last EHLO (:class:`~govmail_desktop.store.outbox.ServerOffers`; 7-bit before any is
   known) and are rebuilt only when this EHLO differs (8-bit where 8BITMIME is offered,
   7-bit where not; same Message-ID; kept durably before MAIL), SMTPUTF8 only when offered
   and needed, the server's SIZE respected (too big → ``failed``, no MAIL FROM);
3. MAIL, RCPT (each answer kept), DATA; ``committing`` recorded durably right
   before the end of DATA; the 250 recorded as ``accepted`` the moment it
   arrives, before anything else. 4xx or a lost connection before that →
   ``queued`` again with backoff; 5xx for every recipient, or for the sender or
   the data → ``failed`` with the server's answers; a lost connection after
   the end of DATA left → ``unknown`` ("may have been sent", never resent
   without the user's word). Per recipient: the ones answered 250 are recorded
   with the 250 and never named again; the ones answered 4xx wait and the next
   transaction names only them (the Sent copy filed and the original marked
   once, after the first acceptance); 5xx ones are failed, each with its answer;
4. (:mod:`sync.send_filing`) the Sent copy appended by IMAP (unless the Sent folder has
   it already: found
   by Message-ID, so a crash between APPEND and its record never files it
   twice) → ``filed``; the original marked ``\\Answered`` / ``$Forwarded``
   through the offline op queue (or straight on the connection when the cache
   does not know it) → ``done``.

Temporary failures are tried again on the :data:`BACKOFF` schedule (capped at
its last value), never given up by themselves; a message still not sent
:data:`OVERDUE_AFTER` after Send carries an ``overdue`` notice (the report names
it once: :attr:`SendReport.overdue`).

``steps(name, entry_id)`` is told at each step (tests stop a child process there).
"""

from __future__ import annotations

import email.parser
import email.utils
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef
from govmail_desktop.core.errors import (
    AuthError,
    Cancelled,
    GovMailError,
    InternationalAddressUnsupported,
    NetworkError,
    StorageError,
)
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime.build import BuiltMessage, build_message
from govmail_desktop.mime.outgoing import SendCheck, check_before_send, outgoing_from_draft
from govmail_desktop.net import failures
from govmail_desktop.net.smtp_session import SmtpReply, SmtpSession, SmtpTransaction
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.policy.recipients import RecipientPolicy
from govmail_desktop.store.outbox import (
    OutboxEntry,
    OutboxState,
    OutboxStore,
    RecipientResult,
    ServerOffers,
    merge_results,
)
from govmail_desktop.sync.connection import ConnectionFactory, MailboxConnection
from govmail_desktop.sync.send_choices import mark_sent, retry_now, send_again
from govmail_desktop.sync.send_filing import (
    MSG_NOT_FILED,
    STEP_APPENDED,
    STEP_APPENDING,
    STEP_DONE,
    STEP_FILED,
    Filing,
    SendReport,
)

log = logging.getLogger(__name__)

# Steps reported to ``steps(name, entry_id)``, in order.
STEP_QUEUED = "queued"  # the outbox write is durable
STEP_SENDING = "sending"  # "sending" recorded, about to connect
STEP_DATA_SENT = "data-sent"  # the message is on the wire, not its end (during DATA)
STEP_COMMITTING = "committing"  # recorded: the end of DATA leaves next
STEP_REPLY = "reply"  # the server's answer to the end of DATA arrived, not recorded yet
STEP_ACCEPTED = "accepted"  # the 250 is recorded
# then STEP_APPENDING, STEP_APPENDED, STEP_FILED, STEP_DONE (sync.send_filing)

#: Seconds a closing connection waits for the server's answer to QUIT.
GOODBYE_TIMEOUT = 3.0
#: StorageError codes that mean this computer's disk refuses every write for now (not one
#: damaged entry): a run stops at the first and the outbox waits for room.
DISK_REFUSED = frozenset({"disk-full", "read-only"})
#: Seconds before the n-th retry of a temporary failure (then the last one, again and again).
BACKOFF = (15.0, 60.0, 300.0, 900.0, 1800.0)
#: A message still not sent this long after Send (4 hours) is flagged ``overdue`` and the
#: user told once; it stays queued and is still tried every 30 minutes. Why 4 hours: the
#: backoff has made about ten attempts by then, so a server restart, a greylisting delay
#: or a short network outage has passed without bothering anyone; yet official letters
#: (ด่วน, ด่วนมาก, ด่วนที่สุด) must not wait silently past the same working day — with
#: 24 hours a letter sent in the morning would be reported only the next day, too late to
#: phone or fax it.
OVERDUE_AFTER = 4 * 3600

MSG_POLICY_BLOCKED = QT_TRANSLATE_NOOP("Outbox", "Not sent: the agency's policy does not allow it. {reason}")
MSG_SIZE = QT_TRANSLATE_NOOP(
    "Outbox", "Not sent: the message is {size} MB; the server takes at most {limit} MB. "
    "Remove or shrink attachments and send again."
)
MSG_SIZE_REFUSED = QT_TRANSLATE_NOOP(
    "Outbox",
    "Not sent: the server says the message is too big ({answer}). Remove or shrink attachments and send again.",
)
MSG_SENDER_REFUSED = QT_TRANSLATE_NOOP("Outbox", "Not sent: the server refused the sender {address} ({answer}).")
MSG_ALL_REFUSED = QT_TRANSLATE_NOOP("Outbox", "Not sent: the server refused every recipient. {answers}")
MSG_DATA_REFUSED = QT_TRANSLATE_NOOP("Outbox", "Not sent: the server refused the message ({answer}).")
MSG_TEMPORARY = QT_TRANSLATE_NOOP(
    "Outbox", "The server could not take the message now ({answer}); it will be sent again automatically."
)
MSG_RETRY_NETWORK = QT_TRANSLATE_NOOP(
    "Outbox", "Waiting to be sent: {problem} It will be sent when the connection returns."
)
MSG_HELD = QT_TRANSLATE_NOOP("Outbox", "Waiting to be sent: {problem}")
MSG_PARTLY = QT_TRANSLATE_NOOP("Outbox", "Sent, but not to: {answers}")
MSG_PARTLY_WAITING = QT_TRANSLATE_NOOP(
    "Outbox", "Sent to {delivered} of {total} recipients; {waiting} will be tried again automatically. "
    "Not delivered yet: {answers}"
)
MSG_OVERDUE = QT_TRANSLATE_NOOP(
    "Outbox", "Not sent yet after {hours} hours: {problem} It is still tried automatically; if it is urgent, "
    "tell the recipients another way."
)
MSG_UNKNOWN = QT_TRANSLATE_NOOP(
    "Outbox", "The connection ended while the server was taking the message: it may have been sent. "
    "Check with the recipients, then choose Send again or Mark as sent."
)
MSG_PROGRAM_ERROR = QT_TRANSLATE_NOOP(
    "Outbox", "Not sent: it could not be sent because of an error in the program. The message is kept: "
    "choose Try again or Edit and send again. The details are in the log."
)
MSG_PROGRAM_ERROR_UNKNOWN = QT_TRANSLATE_NOOP(
    "Outbox", "An error in the program stopped the sending after the message was handed to the server: it may "
    "have been sent. The message is kept; the details are in the log. Check with the recipients, then choose "
    "Send again or Mark as sent."
)
MSG_PROGRAM_ERROR_AFTER = QT_TRANSLATE_NOOP(
    "Outbox", "Sent, but an error in the program stopped saving the copy in the Sent folder or marking the "
    "original message; it is tried again later. The details are in the log."
)


#: How the bytes of an entry with UTF-8 header fields are built (``OutboxEntry.transfer``):
#: with an 8-bit body (the server offers 8BITMIME too), or a 7-bit one (it does not).
SMTPUTF8 = "smtputf8"
SMTPUTF8_7BIT = "smtputf8-7bit"


class SendBlocked(GovMailError):
    """The draft cannot be sent as it is: ``check`` names each address or file and why."""

    code = "send-blocked"
    default_message = QT_TRANSLATE_NOOP("Outbox", "The message cannot be sent as it is.")

    def __init__(self, check: SendCheck) -> None:
        super().__init__(detail=", ".join(f"{f.code}:{f.subject[:40]}" for f in check.blocks))
        self.check = check


def _answers(results: Sequence[RecipientResult]) -> str:
    return "; ".join(f"{r.address}: {r.code} {r.text}".strip() for r in results)


def build_for_outbox(
    draft: Draft, read_attachment: Callable[[DraftAttachment], bytes], **options: object
) -> BuiltMessage:
    """The draft built as plain 7-bit (every server takes it); SMTPUTF8 when an address needs it."""
    message = outgoing_from_draft(draft, read_attachment)
    try:
        return build_message(message, **options)  # type: ignore[arg-type]
    except InternationalAddressUnsupported:
        return build_message(message, smtputf8=True, **options)  # type: ignore[arg-type]


def transfer_for(utf8: bool, eightbit: bool) -> str:
    """How an entry's bytes are built for a server that offers 8BITMIME (``eightbit``) or not:
    ``utf8`` when header fields need SMTPUTF8 (an address with Thai letters before the @)."""
    if utf8:
        return SMTPUTF8 if eightbit else SMTPUTF8_7BIT
    return "8bitmime" if eightbit else "7bit"


def _build_at_send(
    draft: Draft, read_attachment: Callable[[DraftAttachment], bytes], offers: ServerOffers | None
) -> tuple[BuiltMessage, str]:
    """The bytes and their transfer for the server as its last EHLO showed it (built once:
    the sender uses them as they are unless the server now offers something else); 7-bit
    when no EHLO is known yet."""
    if offers is None:
        built = build_for_outbox(draft, read_attachment)
        return built, SMTPUTF8 if _is_utf8(built) else "7bit"
    eightbit = offers.eightbitmime
    message = outgoing_from_draft(draft, read_attachment)
    try:
        return build_message(message, eightbit=eightbit), transfer_for(False, eightbit)
    except InternationalAddressUnsupported:
        built = build_message(message, smtputf8=True, seven_bit_body=not eightbit)
        return built, transfer_for(True, eightbit)


def enqueue(
    store: OutboxStore,
    draft: Draft,
    read_attachment: Callable[[DraftAttachment], bytes],
    recipient_policy: RecipientPolicy,
    attachment_rules: AttachmentRules,
    steps: Callable[[str, str], None] | None = None,
) -> OutboxEntry:
    """Check, build and keep ``draft`` in the outbox (``queued``); durable when it returns.

    Raises :class:`SendBlocked` (nothing kept) when the check blocks it, the builder's
    typed errors for a field it refuses, StorageError when the disk does.
    """
    check = check_before_send(draft, recipient_policy, attachment_rules)
    if check.blocked:
        raise SendBlocked(check)
    built, transfer = _build_at_send(draft, read_attachment, store.server_offers())
    entry = store.add(
        draft, read_attachment, wire=built.wire, sent_copy=built.sent_copy, message_id=built.message_id,
        envelope_from=built.envelope_from, envelope_recipients=built.envelope_recipients,
        subject=draft.subject, transfer=transfer,
    )
    if steps is not None:
        steps(STEP_QUEUED, entry.entry_id)
    return entry


def _is_utf8(built: BuiltMessage) -> bool:
    return not built.wire.split(b"\r\n\r\n", 1)[0].isascii()


def _date_of(wire: bytes) -> datetime | None:
    header = email.parser.BytesHeaderParser().parsebytes(wire.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n")
    try:
        return email.utils.parsedate_to_datetime(str(header["Date"]))
    except (TypeError, ValueError):
        return None


def _is_due(entry: OutboxEntry, now: float) -> bool:
    if entry.state in (OutboxState.QUEUED, OutboxState.ACCEPTED):
        return entry.next_attempt_at is not None and entry.next_attempt_at <= now
    return entry.state is OutboxState.FILED


def backoff(attempts: int) -> float:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _results(replies: Mapping[str, SmtpReply] | Sequence[tuple[str, SmtpReply]]) -> list[RecipientResult]:
    items = replies.items() if isinstance(replies, Mapping) else replies
    return [RecipientResult(address, reply.code, reply.text) for address, reply in items]


def international_address(entry: OutboxEntry) -> str:
    """The first address (sender, then recipients) with a non-ASCII local part."""
    for address in (entry.envelope_from, *entry.envelope_recipients):
        if not address.rpartition("@")[0].isascii():
            return address
    return entry.envelope_from


def _after_acceptance(entry: OutboxEntry) -> tuple[Msg | None, str]:
    """What the user reads once the server took the message for some (or all) recipients."""
    waiting = [r for r in entry.recipients if r.address in entry.waiting]
    refused = list(entry.failed)
    if waiting:
        answers = _answers([*waiting, *refused])
        return MSG_PARTLY_WAITING.format(delivered=len(entry.delivered), total=len(entry.envelope_recipients),
                                         waiting=len(entry.waiting), answers=answers), answers
    if refused:
        return MSG_PARTLY.format(answers=_answers(refused)), _answers(refused)
    return None, ""


class _Unknown(Exception):
    """The connection failed after the end of DATA left: the fate is unknown."""

    def __init__(self, error: GovMailError) -> None:
        super().__init__(str(error))
        self.error = error


class Sender:
    """Works one account's outbox: SMTP, then the Sent folder, then the original's mark.

    ``connect_smtp()`` gives a session through the policy path, logged in;
    ``connect_imap()`` a logged-in IMAP connection (None: no Sent copy, no marks by IMAP);
    ``sent_folder()`` the Sent role folder's name (None when the account has none);
    ``record_original(ref, flag)`` queues the flag in the offline op queue and returns
    True (False when the cache does not know the message: it is set on the connection).
    """

    def __init__(
        self,
        store: OutboxStore,
        *,
        connect_smtp: Callable[[], SmtpSession],
        recipient_policy: Callable[[], RecipientPolicy],
        attachment_rules: Callable[[], AttachmentRules],
        connect_imap: ConnectionFactory | None = None,
        sent_folder: Callable[[], str | None] = lambda: None,
        record_original: Callable[[MessageRef, str], bool] | None = None,
        steps: Callable[[str, str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self._connect_smtp = connect_smtp
        self._recipient_policy = recipient_policy
        self._attachment_rules = attachment_rules
        self._steps = steps or (lambda _name, _entry: None)
        self._clock = clock
        self._smtp: SmtpSession | None = None
        #: Told on the worker thread, once per acceptance, the entry and the addresses the
        #: server took (the address book counts them); a failing listener stops nothing.
        self.accepted_listeners: list[Callable[[OutboxEntry, list[str]], object]] = []
        #: The Sent copy, the original's mark, settling "may have been sent" (IMAP).
        self.filing = Filing(store, connect_imap=connect_imap, sent_folder=sent_folder,
                             record_original=record_original, steps=self._steps, retry_waiting=self._retry_waiting,
                             delay=backoff, clock=clock)

    def _tell_accepted(self, entry: OutboxEntry, taken: list[str]) -> None:
        for listener in list(self.accepted_listeners):
            try:
                listener(entry, taken)
            except Exception:
                log.exception("A listener of accepted messages failed (the message is sent and recorded)")

    # ------------------------------------------------------------ the whole outbox

    def due(self) -> list[OutboxEntry]:
        """Entries with work to do now: queued and due, or accepted/filed (not finished)."""
        now = self._clock()
        return [e for e in self.store.entries() if _is_due(e, now)]

    def next_due_at(self) -> float | None:
        """When the earliest waiting entry is due (None: nothing waits on a clock)."""
        times = [e.next_attempt_at for e in self.store.entries()
                 if e.state in (OutboxState.QUEUED, OutboxState.ACCEPTED) and e.next_attempt_at is not None]
        return min(times) if times else None

    def run(
        self,
        cancel: threading.Event | None = None,
        on_change: Callable[[str], None] | None = None,
        *,
        keep_open: bool = False,
    ) -> SendReport:
        """Send everything due, one connection for all; then close the connections — or,
        ``keep_open``, leave them for the next message (the caller closes them after an idle
        time with :meth:`close`; a kept connection the server has meanwhile closed is
        replaced before anything of a message was handed over)."""
        report = SendReport()
        changed = on_change or (lambda _entry_id: None)
        try:
            # Every waiting message leaves first, then the Sent copies are filed: after a time
            # offline the mail is out as soon as SMTP allows, not one IMAP APPEND per message later.
            due = self.due()
            sending = [e.entry_id for e in due if e.state is OutboxState.QUEUED]
            if self._work(sending, report, changed, cancel, file=False):
                self._work([e.entry_id for e in self.due() if e.state is not OutboxState.QUEUED
                            or e.entry_id not in sending], report, changed, cancel)
        except BaseException:
            self.close()
            raise
        if not keep_open:
            self.close()
        return report

    def _work(
        self, entry_ids: list[str], report: SendReport, changed: Callable[[str], None],
        cancel: threading.Event | None, *, file: bool = True,
    ) -> bool:
        """:meth:`process` each entry; False when the run must stop (cancelled, the disk full)."""
        for entry_id in entry_ids:
            if cancel is not None and cancel.is_set():
                return False
            try:
                self.process(entry_id, report, changed, file=file)
            except StorageError as exc:
                if exc.code not in DISK_REFUSED:
                    self._program_error(entry_id, exc, report, changed)
                    continue
                # The disk, not the message: the next write would fail as well. Nothing
                # could be recorded, so nothing goes on (a message is handed to the
                # server only after its state is on disk): stop until there is room.
                self._drop_smtp()
                log.warning("Outbox %s: this computer's disk refused a write; sending waits (%s)",
                            entry_id, exc.detail)
                report.storage = exc
                return False
            except Exception as exc:  # noqa: BLE001 - a bug: recorded on the entry; the next one goes on
                self._program_error(entry_id, exc, report, changed)
        return True

    @property
    def connected(self) -> bool:
        """Whether a connection (SMTP or IMAP) is kept open."""
        return self._smtp is not None or self.filing.connected

    def open_connections(self) -> list[object]:
        """The connections open now (SMTP, the Sent copy's IMAP), for a changed policy to judge
        (read from any thread; only the outbox worker uses or closes them)."""
        return [c for c in (self._smtp, self.filing.imap_connection) if c is not None]

    def _program_error(
        self, eid: str, exc: Exception, report: SendReport, changed: Callable[[str], None]
    ) -> None:
        """An unexpected error (a bug) while working an entry: never left ``sending``, never
        lost. Before the end of DATA → ``failed`` (kept: Try again / Edit); after it may have
        left → ``unknown``; once accepted the message is sent: filing is tried again later."""
        log.error("Outbox %s: unexpected error in the send pipeline", eid, exc_info=exc)
        self._drop_smtp()  # the session may be anywhere in a transaction
        detail = f"program error: {type(exc).__name__}: {exc}"[:300]
        try:
            entry = self.store.get(eid)
            if entry.state is OutboxState.SENDING and entry.committing:
                self.store.update(eid, state=OutboxState.UNKNOWN, committing=False, next_attempt_at=None,
                                  problem=MSG_PROGRAM_ERROR_UNKNOWN, problem_detail=detail)
                report.unknown.append(eid)
            elif entry.state in (OutboxState.QUEUED, OutboxState.SENDING):
                self.store.update(eid, state=OutboxState.FAILED, committing=False, in_flight=(),
                                  next_attempt_at=None, problem=MSG_PROGRAM_ERROR, problem_detail=detail)
                report.failed.append(eid)
            elif entry.state in (OutboxState.ACCEPTED, OutboxState.FILED):
                self.store.update(eid, next_attempt_at=self._clock() + backoff(max(entry.attempts, 1)),
                                  problem=MSG_PROGRAM_ERROR_AFTER, problem_detail=detail)
        except (GovMailError, KeyError, ValueError) as err:  # left to the next start's recovery
            log.error("Outbox %s: the error could not be recorded (%s)", eid, err)
        changed(eid)

    def process(
        self, entry_id: str, report: SendReport, changed: Callable[[str], None], *, file: bool = True
    ) -> None:
        """Work one entry: send it when it waits, then (``file``) its Sent copy and marks."""
        entry = self.store.get(entry_id)
        was_overdue = entry.overdue is not None
        if entry.state is OutboxState.QUEUED:
            entry = self._send(entry, report, changed)
            if entry.state is OutboxState.ACCEPTED:  # the next Send's entry, before the Sent copy
                self.store.prepare_spare()
        if not file:
            if not was_overdue and entry.overdue is not None:
                report.overdue.append(entry_id)
            return
        if entry.problem == MSG_PROGRAM_ERROR_AFTER:  # tried again: what the answers said before
            problem, detail = _after_acceptance(entry)
            entry = self.store.update(entry_id, problem=problem, problem_detail=detail[:300])
        if entry.state is OutboxState.ACCEPTED:
            entry = self.filing.file(entry, changed)
        if entry.state is OutboxState.FILED:
            entry = self.filing.finish(entry, report, changed)
        if not was_overdue and entry.overdue is not None:
            report.overdue.append(entry_id)

    def close(self, clean: bool = True) -> None:
        """Close the connections: QUIT / LOGOUT when ``clean`` (waiting at most a few seconds
        for the goodbye), else just dropped (the network is gone)."""
        if self._smtp is not None:
            if clean:
                self._smtp.quit(timeout=GOODBYE_TIMEOUT)
            else:
                self._smtp.close()
            self._smtp = None
        self.filing.close(clean)

    # ------------------------------------------------------------ SMTP

    def _send(self, entry: OutboxEntry, report: SendReport, changed: Callable[[str], None]) -> OutboxEntry:
        eid = entry.entry_id
        draft = self.store.draft(eid)
        check = check_before_send(draft, self._recipient_policy(), self._attachment_rules())
        if check.blocked:
            first = check.blocks[0]
            entry = self.store.update(
                eid, state=OutboxState.FAILED, next_attempt_at=None,
                problem=MSG_POLICY_BLOCKED.format(reason=first.message),
                problem_detail=f"blocked by policy: {first.code}",
            )
            log.warning("Outbox %s not sent: blocked by the policy (%s)", eid, first.code)
            report.failed.append(eid)
            changed(eid)
            return entry
        # Not waited for on disk: lost in a crash, the entry is queued, as "sending" without
        # ``committing`` becomes at recovery; ``committing`` (durable) writes it along.
        entry = self.store.update(eid, state=OutboxState.SENDING, attempts=entry.attempts + 1, committing=False,
                                  durable=False, current=entry)
        changed(eid)
        self._steps(STEP_SENDING, eid)
        try:
            entry = self._attempt(entry, draft)
        except _Unknown as unknown:
            self._drop_smtp()
            entry = self.store.update(
                eid, state=OutboxState.UNKNOWN, committing=False, next_attempt_at=None,
                problem=MSG_UNKNOWN, problem_detail=unknown.error.detail[:300],
            )
            report.unknown.append(eid)
        except (AuthError, Cancelled) as err:
            self._drop_smtp()
            # Not the message's fault: it waits until the user acts (new password, retry).
            entry = self.store.update(eid, state=OutboxState.QUEUED, next_attempt_at=None,
                                      problem=MSG_HELD.format(problem=err.message), problem_detail=err.detail[:300])
            report.retry.append(eid)
        except NetworkError as err:
            self._drop_smtp()
            entry = self._retry_later(entry, MSG_RETRY_NETWORK.format(problem=err.message), err.detail)
            report.retry.append(eid)
        except GovMailError as err:  # TLS, policy refusal of the server, protocol: the IT staff's to fix
            self._drop_smtp()
            if isinstance(err, StorageError) and err.code in DISK_REFUSED:
                # This computer's disk (full, read-only) refused a write of this attempt before the
                # end of DATA: not the message's problem, no attempt spent. Sender.run stops and says
                # why; an entry left "sending" on disk is queued again by recovery.
                raise
            entry = self._retry_later(entry, MSG_HELD.format(problem=err.message), err.detail)
            report.retry.append(eid)
        else:
            if entry.state is OutboxState.ACCEPTED:
                report.accepted.append(eid)
            elif entry.state is OutboxState.FAILED:
                report.failed.append(eid)
            elif entry.state is OutboxState.QUEUED:
                report.retry.append(eid)
            # FILED: delivered to some before, the rest refused now; finished below
        changed(eid)
        return entry

    def _attempt(self, entry: OutboxEntry, draft: Draft) -> OutboxEntry:
        """The bytes for this server, then the transaction. A connection kept from an earlier
        message that the server has closed meanwhile (its idle timeout) fails before the end
        of DATA: nothing can have been delivered, so the attempt is made again at once on a
        new connection (never after the end of DATA left: that is ``unknown``)."""
        reused = self._smtp is not None
        try:
            smtp = self._session()
            entry = self._prepare_bytes(entry, draft, smtp)
            if entry.state is OutboxState.FAILED:
                return entry
            return self._transaction(entry, smtp, reused=reused)
        except NetworkError as err:
            if not reused:
                raise
            log.info("Outbox %s: the kept SMTP connection is gone (%s); connecting again",
                     entry.entry_id, err.detail[:200])
            self._drop_smtp()
            return self._attempt(self.store.get(entry.entry_id), draft)

    def _session(self) -> SmtpSession:
        if self._smtp is None:
            self._smtp = self._connect_smtp()
        return self._smtp

    def _drop_smtp(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def _retry_later(self, entry: OutboxEntry, problem: Msg, detail: str, **changes: Any) -> OutboxEntry:
        now = self._clock()
        delay = backoff(entry.attempts)
        waited = now - (entry.waiting_since or entry.created_at)
        overdue = entry.overdue
        if waited >= OVERDUE_AFTER:
            overdue = MSG_OVERDUE.format(hours=int(waited // 3600), problem=problem)
            if entry.overdue is None:
                log.warning("Outbox %s: not sent after %.1f hours (%s); the user is told",
                            entry.entry_id, waited / 3600, detail[:200])
        log.info("Outbox %s: temporary failure (%s); next attempt in %.0f s", entry.entry_id, detail[:200], delay)
        return self.store.update(
            entry.entry_id, state=OutboxState.QUEUED, committing=False, in_flight=(), next_attempt_at=now + delay,
            problem=problem, problem_detail=detail[:300], overdue=overdue, **changes,
        )

    def _fail(
        self, entry: OutboxEntry, problem: Msg, detail: str, *, reply: SmtpReply | None = None, **changes: Any
    ) -> OutboxEntry:
        """Refused for good. After an earlier delivery to others the message is finished, not
        failed (``filed``: the Sent copy is there; the refusals stay named in the entry)."""
        results = changes.get("recipients", entry.recipients)
        assert isinstance(results, tuple)
        if any(r.accepted for r in results):
            # The rest are refused for good: each named with the answer that refused it
            # (the server's when there is one, else what stopped it: SIZE, SMTPUTF8).
            answered = {r.address for r in results if r.accepted or r.permanent}
            code, text = (reply.code, reply.text) if reply is not None and not reply.ok else (554, detail[:200])
            results = merge_results(results, [RecipientResult(a, code, text) for a in entry.envelope_recipients
                                              if a not in answered])
            refused = [r for r in results if not r.accepted]
            log.warning("Outbox %s: the rest refused (%s)", entry.entry_id, detail[:300])
            changes["recipients"] = results
            return self.store.update(entry.entry_id, state=OutboxState.FILED, committing=False, in_flight=(),
                                     next_attempt_at=0.0, problem=MSG_PARTLY.format(answers=_answers(refused)),
                                     problem_detail=detail[:300], **changes)
        log.warning("Outbox %s not sent: %s", entry.entry_id, detail[:300])
        return self.store.update(entry.entry_id, state=OutboxState.FAILED, committing=False, in_flight=(),
                                 next_attempt_at=None, problem=problem, problem_detail=detail[:300], **changes)

    def _prepare_bytes(self, entry: OutboxEntry, draft: Draft, smtp: SmtpSession) -> OutboxEntry:
        """The bytes for this server: 8-bit when it offers 8BITMIME (kept durably, same
        Message-ID and Date), never SMTPUTF8 unless offered, within its SIZE."""
        eid = entry.entry_id
        eightbit = smtp.has_extension("8BITMIME")
        # the next message is built for this server right at Send (no rebuild here)
        self.store.remember_server_offers(ServerOffers(eightbit, smtp.has_extension("SMTPUTF8")))
        utf8 = entry.transfer.startswith("smtputf8")
        if utf8 and not smtp.has_extension("SMTPUTF8"):
            address = international_address(entry)
            return self._fail(entry, InternationalAddressUnsupported(address=address).message,
                              "server offers no SMTPUTF8")
        transfer = transfer_for(utf8, eightbit)
        if transfer != entry.transfer:
            # 8-bit where the server offers it; back to 7-bit where it does not (an earlier
            # attempt may have reached another server; a server may offer SMTPUTF8 without
            # 8BITMIME): same Message-ID and Date
            wire = self.store.wire(eid)
            built = build_for_outbox(
                draft, self.store.attachment_reader(eid), eightbit=eightbit, message_id=entry.message_id,
                clock=lambda: _date_of(wire) or datetime.now().astimezone(),
                **({"smtputf8": True, "seven_bit_body": not eightbit} if utf8 else {}),
            )
            if built.wire != wire or transfer != entry.transfer:
                entry = self.store.replace_message(eid, wire=built.wire, sent_copy=built.sent_copy,
                                                   transfer=transfer)
        limit = smtp.size_limit
        size = len(self.store.wire(eid))
        if limit is not None and size > limit:
            return self._fail(entry, MSG_SIZE.format(size=f"{size / 1048576:.1f}", limit=f"{limit / 1048576:.1f}"),
                              f"SIZE {size} > {limit}")
        return entry

    def _transaction(self, entry: OutboxEntry, smtp: SmtpSession, *, reused: bool = False) -> OutboxEntry:
        """One transaction naming only the recipients still waiting (never one that has it).
        On a connection kept from an earlier message, 421 to MAIL is the server's idle
        timeout (it closed the channel): NetworkError, nothing recorded."""
        eid = entry.entry_id
        wire = self.store.wire(eid)
        options = [f"SIZE={len(wire)}"] if smtp.has_extension("SIZE") else []
        if entry.transfer in ("8bitmime", SMTPUTF8):  # an 8-bit body: only where 8BITMIME was offered
            options.append("BODY=8BITMIME")
        if entry.transfer in (SMTPUTF8, SMTPUTF8_7BIT):
            options.append("SMTPUTF8")
        result = SmtpTransaction()
        committed = threading.Event()
        recorded: list[OutboxEntry] = []
        committing: list[OutboxEntry] = []
        named = entry.waiting

        def commit() -> None:
            # Who may get it from now on (the RCPT 250s), and the RCPT refusals, durably.
            refusals = [(a, r) for a, r in result.recipients.items() if not r.ok]
            committing.append(self.store.update(eid, committing=True, in_flight=tuple(result.accepted),
                                                recipients=merge_results(entry.recipients, _results(refusals)),
                                                current=entry))
            committed.set()
            self._steps(STEP_COMMITTING, eid)

        def answered(reply: SmtpReply) -> None:
            self._steps(STEP_REPLY, eid)
            if reply.ok:  # recorded before anything else, with whom it was accepted for
                current = committing[-1]
                taken = [RecipientResult(a, reply.code, reply.text) for a in current.in_flight]
                recorded.append(self.store.update(
                    eid, current=current, state=OutboxState.ACCEPTED, committing=False, in_flight=(),
                    recipients=merge_results(current.recipients, taken), next_attempt_at=0.0,
                    problem=None, problem_detail="",
                ))
                self._steps(STEP_ACCEPTED, eid)
                self._tell_accepted(recorded[-1], [t.address for t in taken])

        try:
            smtp.transaction(
                wire, entry.envelope_from, named, mail_options=options,
                data_sent=lambda: self._steps(STEP_DATA_SENT, eid), before_end_of_data=commit,
                data_answered=answered, result=result,
            )
        except GovMailError as err:
            if committed.is_set() and not recorded:
                raise _Unknown(err) from None
            raise
        if reused and result.mail is not None and result.mail.code == 421:
            smtp.close()
            raise failures.network_error(failures.CONNECTION_CLOSED, smtp.endpoint.host, smtp.endpoint.port,
                                         f"MAIL {result.mail} on a kept connection")
        return self._settle(self.store.get(eid), result, recorded[0] if recorded else None)

    def _settle(self, entry: OutboxEntry, result: SmtpTransaction, accepted: OutboxEntry | None) -> OutboxEntry:
        """The state the server's answers give (the 250 itself was recorded already)."""
        mail, data = result.mail, result.data
        if accepted is not None:
            problem, detail = _after_acceptance(accepted)
            if detail:
                log.warning("Outbox %s accepted for %d of %d; %s", entry.entry_id, len(accepted.delivered),
                            len(accepted.envelope_recipients), detail[:300])
            if problem == entry.problem and detail[:300] == entry.problem_detail:
                return entry  # accepted for all: the record of the 250 says everything
            return self.store.update(entry.entry_id, problem=problem, problem_detail=detail[:300])
        if mail is not None and not mail.ok:
            if mail.temporary:
                return self._retry_later(entry, MSG_TEMPORARY.format(answer=str(mail)), f"MAIL {mail}")
            if mail.code == 552:
                return self._fail(entry, MSG_SIZE_REFUSED.format(answer=str(mail)), f"MAIL {mail}", reply=mail)
            return self._fail(entry, MSG_SENDER_REFUSED.format(address=entry.envelope_from, answer=str(mail)),
                              f"MAIL {mail}", reply=mail)
        answers = _results(result.recipients)
        if not result.accepted:
            results = merge_results(entry.recipients, answers)
            if any(r.temporary for r in answers):  # only these are named next time
                return self._retry_later(entry, MSG_TEMPORARY.format(answer=_answers(answers)),
                                         f"RCPT {_answers(answers)}", recipients=results)
            return self._fail(entry, MSG_ALL_REFUSED.format(answers=_answers(answers)),
                              f"RCPT {_answers(answers)}", recipients=results)
        assert data is not None
        # DATA refused: those the server took at RCPT get its answer to DATA
        answers = [RecipientResult(r.address, data.code, data.text) if r.accepted else r for r in answers]
        results = merge_results(entry.recipients, answers)
        if data.temporary:
            return self._retry_later(entry, MSG_TEMPORARY.format(answer=str(data)), f"DATA {data}",
                                     recipients=results)
        if data.code == 552:
            return self._fail(entry, MSG_SIZE_REFUSED.format(answer=str(data)), f"DATA {data}", recipients=results)
        return self._fail(entry, MSG_DATA_REFUSED.format(answer=str(data)), f"DATA {data}", recipients=results)

    # ------------------------------------------------------------ after acceptance (send_filing)

    def in_sent(self, conn: MailboxConnection, folder: str, message_id: str) -> bool:
        """Whether ``folder`` holds a message with this Message-ID."""
        return self.filing.in_sent(conn, folder, message_id)

    def settle_unknown(self, changed: Callable[[str], None] | None = None) -> SendReport:
        """Entries that may have been sent, looked for in the Sent folder by Message-ID:
        found → filed → done; otherwise they stay for the user to decide."""
        return self.filing.settle_unknown(changed)

    def _retry_waiting(self, entry: OutboxEntry) -> OutboxEntry:
        return self._retry_later(entry, entry.problem or MSG_TEMPORARY.format(answer=entry.problem_detail),
                                 entry.problem_detail or "recipients waiting")


__all__ = [
    "BACKOFF", "OVERDUE_AFTER", "STEP_ACCEPTED", "STEP_APPENDED", "STEP_APPENDING", "STEP_COMMITTING", "STEP_DATA_SENT",
    "STEP_DONE", "STEP_FILED", "STEP_QUEUED", "STEP_REPLY", "STEP_SENDING", "MSG_NOT_FILED",
    "SendBlocked", "SendReport", "Sender", "backoff", "build_for_outbox", "enqueue", "mark_sent", "retry_now",
    "send_again",
]
