"""A draft as a message in the server's Drafts folder, and back.

Writing (:func:`build_draft_copy`): the builder (:mod:`mime.build`) makes the
message with ``draft=True``; the Drafts copy is its ``sent_copy`` (Bcc kept: a
draft is the sender's own). The subject is written as typed and the official
markings go in the header fields (:func:`mime.markings.marking_headers`), so the
subject the user typed comes back unchanged. What a standard header cannot carry
goes in our own fields:

* ``X-GovMail-Draft-Id`` — the draft's id: each save finds and replaces the
  earlier copies of the same draft by it (``UID SEARCH HEADER``);
* ``X-GovMail-Draft-From/-To/-Cc/-Bcc`` — the recipient text exactly as typed,
  only when the standard field cannot give it back (a half-typed address, odd
  spacing); read back only while it still names the addresses of the standard
  field (another mail program that changed To and kept our field is not undone);
* ``X-GovMail-Draft-Original`` / ``-Original-Folder`` — the message replied to
  or forwarded (flagged once this one is sent);
* ``X-GovMail-Draft-Options`` — ``text-no-eol`` / ``html-no-eol`` when a body
  did not end with a line break (the builder ends every body with one).

Reading (:func:`read_draft_copy`) uses the one parser's pieces
(:mod:`mime.parse`, :mod:`mime.addresses`, :mod:`mime.header_text`: header fields,
address lists, encoded words, transfer and charset decoding): body text and HTML
exactly as written (not the tidied preview text), every other leaf part a file (an inline image keeps its Content-ID). A
draft written by another mail program has no fields of ours: its markings are
recognised from its subject and headers (:func:`mime.markings.recognise`).

No Qt, no network, no disk.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import Message
from email.policy import compat32

from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef, OriginalKind, Secrecy, Urgency
from govmail_desktop.core.entities import Address
from govmail_desktop.core.errors import InternationalAddressUnsupported, UnsafeMessageField
from govmail_desktop.i18n.timeutil import from_epoch
from govmail_desktop.mime import markings
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.mime.bounds import parse_bounded
from govmail_desktop.mime.build import BuiltMessage, InlineImage, OutgoingAttachment, OutgoingMessage, build_message
from govmail_desktop.mime.dates import parse_date
from govmail_desktop.mime.header_text import decode_words
from govmail_desktop.mime.outgoing import parse_recipients
from govmail_desktop.mime.parse import (
    _CONTAINER_HEADER,
    MAX_CONTAINERS,
    MAX_DEPTH,
    MAX_PARTS,
    _content_type,
    _disposition,
    _filename,
    _top_fields,
    decode_bytes,
    decode_part_bytes,
    message_ids,
)
from govmail_desktop.policy.hosts import InvalidHost, split_address

log = logging.getLogger(__name__)

DRAFT_ID_FIELD = "X-GovMail-Draft-Id"
ORIGINAL_FIELD = "X-GovMail-Draft-Original"
ORIGINAL_FOLDER_FIELD = "X-GovMail-Draft-Original-Folder"
OPTIONS_FIELD = "X-GovMail-Draft-Options"
#: Recipient fields and the field of ours that keeps their exact text.
EXACT_FIELDS = {"from": "X-GovMail-Draft-From", "to": "X-GovMail-Draft-To", "cc": "X-GovMail-Draft-Cc",
                "bcc": "X-GovMail-Draft-Bcc"}
#: Longer typed text is not kept exactly (the standard field still has its addresses).
MAX_EXACT_CHARS = 4000
#: A Drafts copy bigger than this is not read (attachments included).
MAX_DRAFT_BYTES = 64 * 1024 * 1024
_DRAFT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")
_CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029\x85]")


@dataclass(frozen=True)
class DraftFile:
    """A file of a Drafts copy (an attachment, or an inline image when ``content_id``)."""

    filename: str
    content_type: str
    data: bytes
    content_id: str = ""


@dataclass(frozen=True)
class ServerDraft:
    """What a Drafts copy holds, before its files are put in the draft store."""

    draft_id: str | None  # ours (X-GovMail-Draft-Id), None for another program's draft
    sender: str
    to: str
    cc: str
    bcc: str
    subject: str
    text: str
    html: str | None
    urgency: Urgency | None
    secrecy: Secrecy | None
    in_reply_to: str
    references: tuple[str, ...]
    original: MessageRef | None
    original_kind: OriginalKind | None
    updated_at: float
    message_id: str
    files: tuple[DraftFile, ...]

    def to_draft(self, draft_id: str, account_id: str, attachments: tuple[DraftAttachment, ...],
                 server_copy: MessageRef | None) -> Draft:
        original = self.original
        if original is not None and original.account_id != account_id:
            original = MessageRef(account_id, original.folder, original.uidvalidity, original.uid,
                                  original.message_id)
        return Draft(
            draft_id=draft_id, account_id=account_id, sender=self.sender, to=self.to, cc=self.cc, bcc=self.bcc,
            subject=self.subject, text=self.text, html=self.html, attachments=attachments,
            urgency=self.urgency, secrecy=self.secrecy, in_reply_to=self.in_reply_to,
            references=self.references, original=original, original_kind=self.original_kind,
            server_copy=server_copy, updated_at=self.updated_at,
        )


# ------------------------------------------------------------------ addresses


def format_address(address: Address) -> str:
    """``Name <a@b>`` (the name quoted when it holds list punctuation), or ``a@b``."""
    name = address.name
    if not name:
        return address.email
    if re.search(r'[,;<>"()@:\[\]\\]', name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address.email}>"


def format_addresses(addresses: tuple[Address, ...] | list[Address]) -> str:
    return ", ".join(format_address(a) for a in addresses)


def _usable(address: Address) -> bool:
    """An address the Drafts copy's header can hold (7-bit: an ASCII local part)."""
    try:
        local, _domain = split_address(address.email)
    except InvalidHost:
        return False
    return local.isascii() and not _CONTROL.search(address.name)


def _field_addresses(text: str) -> tuple[Address, ...]:
    if not text.strip():
        return ()
    return tuple(a for a in parse_addresses([text]).addresses if _usable(a))


def _emails(addresses: tuple[Address, ...]) -> list[str]:
    return [a.email.lower() for a in addresses]


# ------------------------------------------------------------------ writing


def build_draft_copy(
    draft: Draft,
    read_attachment: Callable[[DraftAttachment], bytes],
    *,
    fallback_sender: Address,
) -> BuiltMessage:
    """The Drafts folder copy of ``draft`` (use ``.sent_copy``: Bcc kept).

    Never refuses a half-written draft: addresses the header cannot hold stay in our
    exact-text fields; a sender that cannot be used is replaced by ``fallback_sender``
    (the account's address) in From.
    """
    parsed = parse_recipients(draft)
    fields = {name: _field_addresses(getattr(draft, "sender" if name == "from" else name))
              for name in EXACT_FIELDS}
    sender = fields["from"][0] if fields["from"] else (parsed.sender or fallback_sender)
    extra: list[tuple[str, str]] = [(DRAFT_ID_FIELD, draft.draft_id)]
    for name, field in EXACT_FIELDS.items():
        typed = getattr(draft, "sender" if name == "from" else name)
        shown = format_addresses(fields[name][:1] if name == "from" else fields[name])
        if typed and typed != shown and len(typed) <= MAX_EXACT_CHARS and not _CONTROL.search(typed):
            extra.append((field, typed))
    if draft.original is not None:
        kind = draft.original_kind.value if draft.original_kind else "-"
        ref = draft.original
        extra.append((ORIGINAL_FIELD, f"{kind} {ref.uidvalidity} {ref.uid} {ref.message_id or '-'}"))
        if not _CONTROL.search(ref.folder):
            extra.append((ORIGINAL_FOLDER_FIELD, ref.folder))
    options = [name for name, body in (("text-no-eol", draft.text), ("html-no-eol", draft.html))
               if body is not None and not body.endswith(("\n", "\r"))]
    if options:
        extra.append((OPTIONS_FIELD, ", ".join(options)))
    extra += markings.marking_headers(draft.urgency, draft.secrecy)

    files: list[OutgoingAttachment] = []
    images: list[InlineImage] = []
    for att in draft.attachments:
        data = read_attachment(att)
        if att.content_id and draft.html is not None:
            images.append(InlineImage(att.content_id, att.content_type, data))
        else:
            files.append(OutgoingAttachment(att.filename, att.content_type, data))
    message = OutgoingMessage(
        sender=sender,
        to=fields["to"],
        cc=fields["cc"],
        bcc=fields["bcc"],
        subject=_CONTROL.sub(" ", draft.subject),
        text=draft.text,
        html=draft.html,
        attachments=tuple(files),
        inline_images=tuple(images),
        in_reply_to=draft.in_reply_to or None,
        references=draft.references,
        extra_headers=tuple(extra),
    )
    when = from_epoch(draft.updated_at, None) if draft.updated_at > 0 else None
    clock = (lambda: when) if when is not None else None
    try:
        return _build(message, clock)
    except (UnsafeMessageField, InternationalAddressUnsupported) as exc:
        # Something in the recipients the checks above did not foresee: keep them only as
        # typed text (our fields), never refuse to save the user's work.
        log.info("Draft copy built without recipient fields (%s)", exc.detail)
        kept = [(n, v) for n, v in extra if n not in EXACT_FIELDS.values()]
        kept += [(EXACT_FIELDS[n], t) for n, t in (("to", draft.to), ("cc", draft.cc), ("bcc", draft.bcc))
                 if t and len(t) <= MAX_EXACT_CHARS and not _CONTROL.search(t)]
        bare = replace(message, to=(), cc=(), bcc=(), extra_headers=tuple(kept))
        return _build(bare, clock)


def _build(message: OutgoingMessage, clock: Callable[[], datetime] | None) -> BuiltMessage:
    if clock is None:
        return build_message(message, draft=True)
    return build_message(message, draft=True, clock=clock)


# ------------------------------------------------------------------ reading


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _recipient_text(top: Callable[[str], list[str]], name: str) -> str:
    values = top(name)
    standard = tuple(a for a in parse_addresses(values).addresses if a.email) if values else ()
    exact = decode_words(_first(top(EXACT_FIELDS[name].lower()))) if top(EXACT_FIELDS[name].lower()) else ""
    if exact and _emails(_field_addresses(exact)) == _emails(tuple(a for a in standard if _usable(a))):
        return exact
    return format_addresses(standard[:1] if name == "from" else standard)


def _original(top: Callable[[str], list[str]], account_id: str) -> tuple[MessageRef | None, OriginalKind | None]:
    value = _first(top(ORIGINAL_FIELD.lower())).split()
    folder = decode_words(_first(top(ORIGINAL_FOLDER_FIELD.lower())))
    if len(value) != 4 or not folder or not value[1].isdigit() or not value[2].isdigit():
        return None, None
    kind = None
    if value[0] != "-":
        try:
            kind = OriginalKind(value[0])
        except ValueError:
            kind = None
    mid = value[3] if value[3] != "-" else ""
    return MessageRef(account_id, folder, int(value[1]), int(value[2]), mid), kind


def _text_of(part: Message) -> str:
    data, _cut = decode_part_bytes(part, limit=MAX_DRAFT_BYTES)
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001 - a broken parameter: guess the charset
        charset = None
    return decode_bytes(data, charset).replace("\r\n", "\n").replace("\r", "\n")


def _content_id(part: Message) -> str:
    value = str(part.get("content-id", "") or "").strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


def _unnamed(ctype: str, content_id: str) -> str:
    """A name for a part sent without one (an inline image: the builder gives it none)."""
    if ctype == "message/rfc822":
        return "message.eml"
    stem = re.sub(r"[^A-Za-z0-9._-]", "", content_id.split("@", 1)[0]) or "attachment"
    ext = mimetypes.guess_extension(ctype) or ""
    return stem if stem.lower().endswith(ext) else stem + ext


def _walk(msg: Message) -> tuple[str | None, str | None, list[DraftFile]]:
    """The body text, the HTML and the files, in order (an explicit stack, bounded)."""
    text: str | None = None
    html: str | None = None
    files: list[DraftFile] = []
    stack: list[tuple[Message, int]] = [(msg, 0)]
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > MAX_PARTS or depth > MAX_DEPTH:
            log.warning("Drafts copy has too many or too deeply nested parts; the rest is not read")
            break
        ctype = _content_type(part)
        if part.is_multipart() and not ctype.startswith("message/"):
            children = [c for c in part.get_payload() if isinstance(c, Message)]
            stack.extend((child, depth + 1) for child in reversed(children))
            continue
        attached = _disposition(part) == "attachment" or bool(_filename(part))
        if ctype == "text/plain" and text is None and not attached:
            text = _text_of(part)
            continue
        if ctype == "text/html" and html is None and not attached:
            html = _text_of(part)
            continue
        if ctype == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            data = first.as_bytes(policy=compat32) if isinstance(first, Message) else b""
        else:
            data, _cut = decode_part_bytes(part, limit=MAX_DRAFT_BYTES)
        cid = _content_id(part) if _disposition(part) != "attachment" else ""
        name = _filename(part) or _unnamed(ctype, cid)
        files.append(DraftFile(name, ctype, data, cid))
    return text, html, files


def read_draft_copy(raw: bytes, *, account_id: str) -> ServerDraft:
    """What a message in the Drafts folder holds (ours or another program's). Raises
    ValueError for a copy too big or too deeply built to be read as a draft."""
    if len(raw) > MAX_DRAFT_BYTES:
        raise ValueError(f"draft of {len(raw)} bytes is bigger than {MAX_DRAFT_BYTES}")
    if len(_CONTAINER_HEADER.findall(raw)) > MAX_CONTAINERS:
        raise ValueError("draft has too many MIME containers")
    top = _top_fields(raw)
    draft_id = _first(top(DRAFT_ID_FIELD.lower())).strip()
    own = bool(_DRAFT_ID.fullmatch(draft_id))
    subject = decode_words(_first(top("subject")))
    lookup = markings.header_lookup((name, decode_words(value)) for name in markings.MARKING_FIELDS
                                    for value in top(name)[:1])
    if own:
        found = markings.recognise("", lookup)  # the subject is as typed; the classes are in the fields
    else:
        found = markings.recognise(subject, lookup)
        subject = found.bare_subject
    msg = parse_bounded(raw)
    if msg is None:
        raise ValueError("draft not readable as MIME (nested too deeply, or broken)")
    try:
        text, html, files = _walk(msg)
    except RecursionError:
        raise ValueError("draft nested too deeply") from None
    options = {o.strip() for o in _first(top(OPTIONS_FIELD.lower())).split(",")}
    if text is not None and "text-no-eol" in options and text.endswith("\n"):
        text = text[:-1]
    if html is not None and "html-no-eol" in options and html.endswith("\n"):
        html = html[:-1]
    original, kind = _original(top, account_id) if own else (None, None)
    date = parse_date(_first(top("date")))
    return ServerDraft(
        draft_id=draft_id if own else None,
        sender=_recipient_text(top, "from"),
        to=_recipient_text(top, "to"),
        cc=_recipient_text(top, "cc"),
        bcc=_recipient_text(top, "bcc"),
        subject=subject,
        text=text or "",
        html=html,
        urgency=found.urgency,
        secrecy=found.secrecy,
        in_reply_to=_first(list(message_ids(top("in-reply-to")))),
        references=message_ids(top("references")),
        original=original,
        original_kind=kind,
        updated_at=float(date) if date is not None else 0.0,
        message_id=_first(top("message-id")).strip(),
        files=tuple(files),
    )


__all__ = [
    "DRAFT_ID_FIELD", "DraftFile", "ServerDraft", "build_draft_copy", "format_address", "format_addresses",
    "read_draft_copy",
]
