"""From what the user wrote (:class:`~govmail_desktop.core.compose.Draft`) to what is sent.

Two steps, used by the composer (before it lets Send happen) and again by the
sender right before SMTP, so no path skips them:

* :func:`check_before_send` — every address parsed by the one address parser
  (``mime.addresses.parse_addresses``), then the agency's recipient rules
  (``RecipientPolicy.check``) and attachment rules
  (``AttachmentRules.check_outgoing``). Each finding names the address or the
  file and says why; ``blocked`` means it may not be sent, ``warned`` that
  the user must confirm what was warned.
* :func:`outgoing_from_draft` — the draft as an
  :class:`~govmail_desktop.mime.build.OutgoingMessage`: addresses parsed,
  official markings (urgency, secrecy) put in the subject and the headers by
  ``mime.markings``, attachment bytes read through the caller's reader.

No Qt, no network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from govmail_desktop.core.compose import Draft, DraftAttachment
from govmail_desktop.core.entities import Address
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime import markings
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.mime.build import InlineImage, OutgoingAttachment, OutgoingMessage
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.policy.hosts import InvalidHost, split_address
from govmail_desktop.policy.recipients import RecipientPolicy

WARN = "warn"
BLOCK = "block"

#: What a finding is about.
RECIPIENT = "recipient"
ATTACHMENT = "attachment"
MESSAGE = "message"

# Reason codes of the findings made here (the policy's own codes pass through).
ADDRESS_INVALID = "address-invalid"
SENDER_INVALID = "sender-invalid"
NO_RECIPIENTS = "no-recipients"
TOO_MANY_RECIPIENTS = "too-many-recipients"

MSG_ADDRESS_INVALID = QT_TRANSLATE_NOOP("Outbox", "“{address}” in the {field} field is not a valid e-mail address.")
MSG_SENDER_INVALID = QT_TRANSLATE_NOOP("Outbox", "The sender “{address}” is not one valid e-mail address.")
MSG_NO_RECIPIENTS = QT_TRANSLATE_NOOP("Outbox", "The message has no recipient: fill in To, Cc or Bcc.")
MSG_TOO_MANY = QT_TRANSLATE_NOOP(
    "Outbox", "The {field} field names {count} addresses; at most {limit} can be sent in one message."
)
FIELD_NAMES: dict[str, Msg] = {
    "from": QT_TRANSLATE_NOOP("Outbox", "From"),
    "to": QT_TRANSLATE_NOOP("Outbox", "To"),
    "cc": QT_TRANSLATE_NOOP("Outbox", "Cc"),
    "bcc": QT_TRANSLATE_NOOP("Outbox", "Bcc"),
}


class InvalidAddress(GovMailError):
    """An address of the draft is not one the message can be sent to or from."""

    code = "address-invalid"
    default_message = MSG_ADDRESS_INVALID
    default_hint = QT_TRANSLATE_NOOP("Outbox", "Please correct the address and send again.")


@dataclass(frozen=True)
class SendFinding:
    """One thing about the message the user must know before it leaves."""

    #: The address or the file name it is about ("" for the whole message).
    subject: str
    kind: str  # RECIPIENT | ATTACHMENT | MESSAGE
    level: str  # WARN | BLOCK
    code: str
    message: Msg

    def text(self, lang: str | None = None) -> str:
        return self.message.text(lang)


@dataclass(frozen=True)
class SendCheck:
    """All findings of :func:`check_before_send`, blocking ones first."""

    findings: tuple[SendFinding, ...] = ()

    @property
    def blocked(self) -> bool:
        """The message may not be sent."""
        return any(f.level == BLOCK for f in self.findings)

    @property
    def warned(self) -> bool:
        """Something needs the user's explicit confirmation (and nothing blocks)."""
        return not self.blocked and any(f.level == WARN for f in self.findings)

    @property
    def blocks(self) -> tuple[SendFinding, ...]:
        return tuple(f for f in self.findings if f.level == BLOCK)

    @property
    def warnings(self) -> tuple[SendFinding, ...]:
        return tuple(f for f in self.findings if f.level == WARN)

    def text(self, lang: str | None = None) -> str:
        """Every finding, one a line (what the summary and the outbox show)."""
        return "\n".join(f.text(lang) for f in self.findings)


@dataclass(frozen=True)
class ParsedRecipients:
    """The draft's addresses after the one address parser."""

    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    bcc: tuple[Address, ...]
    findings: tuple[SendFinding, ...]

    @property
    def all(self) -> tuple[Address, ...]:
        return (*self.to, *self.cc, *self.bcc)


def _valid(email: str) -> bool:
    try:
        split_address(email)
    except InvalidHost:
        return False
    return True


def _field(text: str, field: str, findings: list[SendFinding]) -> tuple[Address, ...]:
    parsed = parse_addresses([text]) if text.strip() else None
    if parsed is None:
        return ()
    good: list[Address] = []
    for address in parsed.addresses:
        if _valid(address.email):
            good.append(address)
        else:
            shown = address.email or address.name
            findings.append(SendFinding(shown, RECIPIENT, BLOCK, ADDRESS_INVALID,
                                        MSG_ADDRESS_INVALID.format(address=shown, field=FIELD_NAMES[field])))
    if parsed.total > len(parsed.addresses):
        findings.append(SendFinding("", MESSAGE, BLOCK, TOO_MANY_RECIPIENTS, MSG_TOO_MANY.format(
            field=FIELD_NAMES[field], count=parsed.total, limit=len(parsed.addresses))))
    return tuple(good)


def parse_recipients(draft: Draft) -> ParsedRecipients:
    """Sender and recipients of ``draft``; what cannot be sent to is a blocking finding."""
    findings: list[SendFinding] = []
    sender_list = parse_addresses([draft.sender]).addresses if draft.sender.strip() else ()
    sender = sender_list[0] if len(sender_list) == 1 and _valid(sender_list[0].email) else None
    if sender is None:
        findings.append(SendFinding(draft.sender.strip(), MESSAGE, BLOCK, SENDER_INVALID,
                                    MSG_SENDER_INVALID.format(address=draft.sender.strip())))
    to = _field(draft.to, "to", findings)
    cc = _field(draft.cc, "cc", findings)
    bcc = _field(draft.bcc, "bcc", findings)
    if not (to or cc or bcc) and not any(f.code == ADDRESS_INVALID for f in findings):
        findings.append(SendFinding("", MESSAGE, BLOCK, NO_RECIPIENTS, MSG_NO_RECIPIENTS))
    return ParsedRecipients(sender, to, cc, bcc, tuple(findings))


def _order(findings: Iterable[SendFinding]) -> tuple[SendFinding, ...]:
    return tuple(sorted(findings, key=lambda f: f.level != BLOCK))  # stable: blocks first


def check_before_send(
    draft: Draft, recipient_policy: RecipientPolicy, attachment_rules: AttachmentRules
) -> SendCheck:
    """What stands between ``draft`` and the SMTP server: invalid addresses, the agency's
    recipient rules (To, Cc and Bcc together, with the draft's secrecy class) and its
    attachment rules (types, deceptive names, total size).

    The composer shows :meth:`SendCheck.text` and lets Send happen only when nothing is
    ``blocked`` and every warning was confirmed; the sender calls it again right before
    connecting, and a blocked message never reaches the server.
    """
    parsed = parse_recipients(draft)
    findings = list(parsed.findings)
    for rf in recipient_policy.check([a.email for a in parsed.all], draft.secrecy):
        kind = RECIPIENT if rf.address else MESSAGE
        findings.append(SendFinding(rf.address, kind, rf.level, rf.code, rf.message))
    files = [(a.filename, a.size) for a in draft.attachments]
    for af in attachment_rules.check_outgoing(files):
        kind = ATTACHMENT if af.filename else MESSAGE
        findings.append(SendFinding(af.filename, kind, af.level, af.code, af.message))
    return SendCheck(_order(findings))


def outgoing_from_draft(
    draft: Draft, read_attachment: Callable[[DraftAttachment], bytes]
) -> OutgoingMessage:
    """``draft`` as the builder needs it. Raises :class:`InvalidAddress` naming the first
    address that cannot be used (run :func:`check_before_send` first to see them all).

    The subject gets the Thai urgency/secrecy prefix and the message the marking headers
    (``mime.markings``); an attachment with a ``content_id`` is an inline image of the
    HTML body, the others are attachments, their bytes read by ``read_attachment``.
    """
    parsed = parse_recipients(draft)
    for finding in parsed.findings:
        if finding.code in (ADDRESS_INVALID, SENDER_INVALID, TOO_MANY_RECIPIENTS, NO_RECIPIENTS):
            raise InvalidAddress(finding.message, detail=f"{finding.code}: {finding.subject[:80]!r}")
    assert parsed.sender is not None  # no SENDER_INVALID finding
    attachments: list[OutgoingAttachment] = []
    images: list[InlineImage] = []
    for att in draft.attachments:
        data = read_attachment(att)
        if att.content_id and draft.html is not None:
            images.append(InlineImage(att.content_id, att.content_type, data))
        else:
            attachments.append(OutgoingAttachment(att.filename, att.content_type, data))
    return OutgoingMessage(
        sender=parsed.sender,
        to=parsed.to,
        cc=parsed.cc,
        bcc=parsed.bcc,
        subject=markings.mark_subject(draft.subject, draft.urgency, draft.secrecy),
        text=draft.text,
        html=draft.html,
        attachments=tuple(attachments),
        inline_images=tuple(images),
        in_reply_to=draft.in_reply_to or None,
        references=draft.references,
        extra_headers=markings.marking_headers(draft.urgency, draft.secrecy),
    )


__all__ = [
    "ATTACHMENT", "BLOCK", "MESSAGE", "RECIPIENT", "WARN",
    "InvalidAddress", "ParsedRecipients", "SendCheck", "SendFinding",
    "check_before_send", "outgoing_from_draft", "parse_recipients",
]
