"""Reply, reply all, forward (inline or as an attachment) and edit as new: a received
message (:class:`~govmail_desktop.mime.parse.ParsedMessage`) → a new
:class:`~govmail_desktop.core.compose.Draft`.

Decisions:

* **Subject.** Every reply/forward prefix already there is taken off (``Re:``,
  ``RE:``, ``Re[2]:``, ``Fwd:``, ``FW:``, ``Fw:``, ``AW:``, ``WG:``, ``SV:``,
  ``TR:`` and the Thai ``ตอบกลับ:``, ``ตอบ:``, ``ส่งต่อ:``, in any mix and
  number), then one is written: ``Re: `` for a reply, ``Fwd: `` for a forward,
  in every UI language. Those two are the ones every client's threading and
  every server's conversation view understand (a Thai prefix would be stacked
  by other clients: "Re: ตอบกลับ: …"); the Thai words are only read.
  Official markings in the subject are taken off too and kept in the draft's
  ``urgency``/``secrecy`` fields: the sender writes them in front again
  (:func:`mime.markings.mark_subject`), so they are never doubled either.
* **Markings carried.** Secrecy always (an answer about a classified matter is
  classified, and the recipient policy must see it); urgency on a forward and
  an edit-as-new (the document forwarded keeps its class) but not on a reply
  (how fast an answer is needed is the replier's decision). The composer shows
  both and the user can change them.
* **Recipients.** Reply: the Reply-To addresses when there are any, else From;
  to a message the user sent themselves (one of ``own_addresses``), its To.
  Reply all adds the original To to that and keeps the original Cc as Cc;
  every address of the user (all identities) is left out and each address is
  named once (the first field wins).
* **Threading.** In-Reply-To is the original's Message-ID; References is the
  original's References (or, lacking them, its single In-Reply-To) plus its
  Message-ID, trimmed to :data:`MAX_REFERENCES` IDs when long (the first, the
  root of the thread, is kept with the newest ones).
* **Quote.** A header line — "เมื่อ 3 ธ.ค. 2569 เวลา 14:30 น. สมชาย ใจดี
  เขียนว่า:" in Thai (Buddhist-era year), "On 3 Dec 2026 at 14:30, Somchai
  Jaidee wrote:" in English — then the original's text with ``> `` before
  each line. The text is what the preview shows: for an HTML message the one
  HTML-to-text conversion of :func:`mime.body_text.html_to_text` (html2text), so
  replies are plain text. The composer puts the signature above it; a rich
  (HTML) reply shows the quote as a ``<blockquote>`` with a left border built
  from that text (:func:`text_to_html`, every line escaped), never from the
  original's HTML.
* **Forward inline**: a "Forwarded message" block (From, Date, Subject, To,
  Cc) and the text, unquoted; the original's attachments (also attached
  messages) come back as :class:`NewAttachment` for the composer to store.
  Images shown inside an HTML body (``cid:``) are not kept (the forward is
  plain text). **As attachment**: the original message's bytes as one
  ``message/rfc822`` attachment, named after its subject.
* **Edit as new**: a new draft with the original's recipients, subject (its
  markings in the fields), text, attachments, markings and threading headers
  (a message rewritten still answers what it answered); it flags nothing.

No Qt, no network, no disk.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo

from govmail_desktop.core.compose import Draft, MessageRef, OriginalKind
from govmail_desktop.core.entities import Address
from govmail_desktop.core.hidden_chars import HIDDEN_CLASS
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, normalize_language
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.mime.markings import recognise
from govmail_desktop.mime.parse import ParsedMessage, message_ids, part_bytes

REPLY_PREFIX = "Re: "
FORWARD_PREFIX = "Fwd: "
#: At most this many IDs in a reply's References (the thread's root and the newest ones).
MAX_REFERENCES = 20
#: Characters of an attachment name made from a subject (before ".eml").
_NAME_CHARS = 60

_PREFIXES = re.compile(
    r"^\s*(?:re|aw|sv|fw|fwd|wg|tr|ตอบ\s*กลับ|ตอบ|ส่งต่อ)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*", re.IGNORECASE
)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:\uff1a\ufe55\ufe13*?"<>|' + HIDDEN_CLASS + "]+")
#: Characters that make a display name need quotes in an address field (RFC 5322 specials).
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')

_WROTE = QT_TRANSLATE_NOOP("Reply", "On {date} at {time}, {name} wrote:")
_WROTE_NO_DATE = QT_TRANSLATE_NOOP("Reply", "{name} wrote:")
_FORWARDED = QT_TRANSLATE_NOOP("Reply", "Forwarded message")
_FIELDS = {
    "from": QT_TRANSLATE_NOOP("Reply", "From"),
    "date": QT_TRANSLATE_NOOP("Reply", "Date"),
    "subject": QT_TRANSLATE_NOOP("Reply", "Subject"),
    "to": QT_TRANSLATE_NOOP("Reply", "To"),
    "cc": QT_TRANSLATE_NOOP("Reply", "Cc"),
}
_UNTITLED = QT_TRANSLATE_NOOP("Reply", "message")


@dataclass(frozen=True)
class NewAttachment:
    """A file the new draft starts with (kept from the original); the composer stores it."""

    filename: str
    content_type: str
    data: bytes


# ---------------------------------------------------------------- subject


def base_subject(subject: str) -> str:
    """The subject without its official markings and without any reply/forward prefix."""
    text = recognise(subject).bare_subject
    while True:
        match = _PREFIXES.match(text)
        if not match:
            break
        text = recognise(text[match.end() :]).bare_subject
    return " ".join(text.split())


def subject_with_prefix(subject: str, prefix: str) -> str:
    """``Re: `` / ``Fwd: `` and the base subject: one prefix, never stacked."""
    base = base_subject(subject)
    return prefix + base if base else prefix.strip()


# ---------------------------------------------------------------- addresses


def format_address(address: Address) -> str:
    """One address as the user would type it, parsed back to the same name and address by
    :func:`mime.addresses.parse_addresses` (names with specials quoted)."""
    name = " ".join(address.name.split())
    if not name or name.casefold() == address.email.casefold():
        return address.email
    if _SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address.email}>"


def _key(address: Address) -> str:
    return address.email.strip().casefold()


def _join(addresses: Iterable[Address]) -> str:
    return ", ".join(format_address(a) for a in addresses)


def reply_recipients(
    original: ParsedMessage, own_addresses: Iterable[str], *, reply_all: bool
) -> tuple[list[Address], list[Address]]:
    """(To, Cc) of a reply; see the module text for the rules."""
    own = {a.strip().casefold() for a in own_addresses if a and a.strip()}
    from_own = any(_key(a) in own for a in original.from_)
    if from_own and not original.reply_to:
        first = list(original.to)  # answering one's own message: to the people it went to
        rest_to: list[Address] = []
    else:
        first = list(original.reply_to or original.from_)
        rest_to = list(original.to) if reply_all else []
    cc = list(original.cc) if reply_all else []
    seen = set(own)
    to_out: list[Address] = []
    cc_out: list[Address] = []
    for address, out in [*((a, to_out) for a in first + rest_to), *((a, cc_out) for a in cc)]:
        key = _key(address)
        if not key or "@" not in key or key in seen:
            continue
        seen.add(key)
        out.append(address)
    if not to_out and not cc_out and first:
        to_out = first[:1]  # only the user's own address is left: reply to it rather than to nobody
    return to_out, cc_out


# ---------------------------------------------------------------- threading


def reply_references(original: ParsedMessage) -> tuple[str, tuple[str, ...]]:
    """(In-Reply-To, References) of a reply to ``original`` (RFC 5322 3.6.4)."""
    own_id = _message_id(original.message_id)
    parents = list(original.references)
    if not parents and len(original.in_reply_to) == 1:
        parents = list(original.in_reply_to)
    return own_id, trim_references([*parents, own_id] if own_id else parents)


def trim_references(ids: Iterable[str]) -> tuple[str, ...]:
    """Each ID once; when more than :data:`MAX_REFERENCES`, the first (the thread's root) and the
    newest ones."""
    chain = list(dict.fromkeys(ids))
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return tuple(chain)


def _message_id(value: str | None) -> str:
    found = message_ids([value or ""])
    return found[0] if found else ""


# ---------------------------------------------------------------- text


def quote_header(original: ParsedMessage, lang: str | None, *, tz: tzinfo | None = None) -> str:
    """"เมื่อ 3 ธ.ค. 2569 เวลา 14:30 น. สมชาย ใจดี เขียนว่า:" (Thai) / "On 3 Dec 2026 at 14:30, … wrote:"."""
    lang = normalize_language(lang)
    sender = original.from_[0] if original.from_ else None
    name = (sender.name or sender.email) if sender else "?"
    if original.date is None:
        return _WROTE_NO_DATE.format(name=name).text(lang)
    dates = DateFormatter(lang, tz=tz)
    return _WROTE.format(date=dates.date(original.date), time=dates.time(original.date), name=name).text(lang)


def quote_text(text: str) -> str:
    """Each line with ``> `` in front (``>`` before an already quoted or empty line)."""
    lines = text.strip("\n").split("\n")
    return "\n".join(
        ">" + line if line.startswith(">") else ("> " + line if line.strip() else ">") for line in lines
    )


#: The left indent of one quote level in a rich body (px): the composer's editor reads the
#: level back from it, and draws the left border in it.
QUOTE_INDENT_PX = 12
#: How a quote looks in a rich (HTML) reply: a left border, indented (as mail clients show it).
QUOTE_STYLE = (
    f"margin:0px 0px 0px {QUOTE_INDENT_PX}px; padding-left:8px; border-left:2px solid #8a8a8a;"
)
_QUOTE_MARKS = re.compile(r"^(?:> ?)+")


def quote_level(line: str) -> tuple[int, str]:
    """How deeply a plain-text line is quoted (its ``>`` marks) and the line without them."""
    found = _QUOTE_MARKS.match(line)
    if found is None:
        return 0, line
    return found.group(0).count(">"), line[found.end():]


def text_to_html(text: str) -> str:
    """A plain body (a reply's ``>`` lines) as rich text for the composer: each line escaped
    (the original's text, never its HTML), the quoted lines in nested ``<blockquote>``s
    with a left border (:data:`QUOTE_STYLE`) instead of ``>`` marks."""
    out: list[str] = []
    depth = 0
    for line in text.split("\n"):
        level, rest = quote_level(line)
        while depth < level:
            out.append(f'<blockquote type="cite" style="{QUOTE_STYLE}">')
            depth += 1
        while depth > level:
            out.append("</blockquote>")
            depth -= 1
        if rest:
            out.append(f'<p style="margin:0px; white-space:pre-wrap;">{html_lib.escape(rest)}</p>')
        else:
            out.append('<p style="-qt-paragraph-type:empty; margin:0px;"><br /></p>')
    out.extend("</blockquote>" for _ in range(depth))
    return "<html><body>" + "".join(out) + "</body></html>"


def forward_header(original: ParsedMessage, lang: str | None, *, tz: tzinfo | None = None) -> str:
    """The block above a forwarded message's text."""
    lang = normalize_language(lang)
    rows = [f"---------- {_FORWARDED.text(lang)} ----------"]
    values = [
        ("from", _join(original.from_)),
        ("date", DateFormatter(lang, tz=tz).full(original.date) if original.date else ""),
        ("subject", original.subject),
        ("to", _join(original.to)),
        ("cc", _join(original.cc)),
    ]
    rows += [f"{_FIELDS[key].text(lang)}: {value}" for key, value in values if value]
    return "\n".join(rows)


def _kept_attachments(original: ParsedMessage, raw: bytes) -> list[NewAttachment]:
    kept = []
    for attachment in original.attachments:
        data = part_bytes(raw, attachment.part)
        if data is None:
            continue
        name = attachment.filename or (
            (_file_stem(attachment.subject or "") or "message") + ".eml"
            if attachment.content_type == "message/rfc822" else "attachment"
        )
        kept.append(NewAttachment(name, attachment.content_type, data))
    return kept


def _file_stem(subject: str) -> str:
    stem = base_subject(subject).replace("/", "-").replace("\\", "-")
    stem = " ".join(_UNSAFE_NAME.sub(" ", stem).split()).strip(" .")
    return stem[:_NAME_CHARS].rstrip(" .")


# ---------------------------------------------------------------- drafts


def reply_draft(
    original: ParsedMessage,
    ref: MessageRef | None,
    *,
    account_id: str,
    sender: str,
    own_addresses: Iterable[str],
    reply_all: bool = False,
    lang: str | None = None,
    tz: tzinfo | None = None,
) -> Draft:
    """A reply (or reply all) to ``original``, quoting it under a Thai/English header line."""
    to, cc = reply_recipients(original, own_addresses, reply_all=reply_all)
    in_reply_to, references = reply_references(original)
    body = quote_header(original, lang, tz=tz) + "\n" + quote_text(original.text) + "\n"
    return Draft.new(
        account_id,
        sender=sender,
        to=_join(to),
        cc=_join(cc),
        subject=subject_with_prefix(original.subject, REPLY_PREFIX),
        text="\n\n" + body,
        secrecy=original.markings.secrecy,
        in_reply_to=in_reply_to,
        references=references,
        original=_with_id(ref, in_reply_to),
        original_kind=OriginalKind.REPLY if ref is not None else None,
    )


def forward_draft(
    original: ParsedMessage,
    ref: MessageRef | None,
    *,
    raw: bytes,
    account_id: str,
    sender: str,
    as_attachment: bool = False,
    lang: str | None = None,
    tz: tzinfo | None = None,
) -> tuple[Draft, list[NewAttachment]]:
    """A forward of ``original`` (its bytes ``raw``): inline with its attachments kept, or the
    whole message as one message/rfc822 attachment."""
    marks = original.markings
    if as_attachment:
        name = (_file_stem(original.subject) or _UNTITLED.text(normalize_language(lang))) + ".eml"
        attachments = [NewAttachment(name, "message/rfc822", raw)]
        text = ""
    else:
        attachments = _kept_attachments(original, raw)
        text = "\n\n" + forward_header(original, lang, tz=tz) + "\n\n" + original.text.strip("\n") + "\n"
    in_reply_to, references = reply_references(original)
    draft = Draft.new(
        account_id,
        sender=sender,
        subject=subject_with_prefix(original.subject, FORWARD_PREFIX),
        text=text,
        urgency=marks.urgency,
        secrecy=marks.secrecy,
        # A forward starts a new conversation: only References, so the server's thread view
        # can link it, no In-Reply-To (it answers nobody).
        references=references,
        original=_with_id(ref, in_reply_to),
        original_kind=OriginalKind.FORWARD if ref is not None else None,
    )
    return draft, attachments


def edit_as_new_draft(
    original: ParsedMessage, *, raw: bytes, account_id: str, sender: str
) -> tuple[Draft, list[NewAttachment]]:
    """A new draft with the original's recipients, subject, text, markings and attachments."""
    marks = original.markings
    draft = Draft.new(
        account_id,
        sender=sender,
        to=_join(original.to),
        cc=_join(original.cc),
        subject=" ".join(marks.bare_subject.split()),
        text=original.text,
        urgency=marks.urgency,
        secrecy=marks.secrecy,
        in_reply_to=original.in_reply_to[0] if len(original.in_reply_to) == 1 else "",
        references=trim_references(original.references),
    )
    return draft, _kept_attachments(original, raw)


def _with_id(ref: MessageRef | None, message_id: str) -> MessageRef | None:
    if ref is None or ref.message_id or not message_id:
        return ref
    from dataclasses import replace

    return replace(ref, message_id=message_id)


__all__ = [
    "FORWARD_PREFIX",
    "QUOTE_INDENT_PX",
    "QUOTE_STYLE",
    "MAX_REFERENCES",
    "REPLY_PREFIX",
    "NewAttachment",
    "base_subject",
    "edit_as_new_draft",
    "format_address",
    "forward_draft",
    "forward_header",
    "quote_header",
    "quote_text",
    "quote_level",
    "text_to_html",
    "reply_draft",
    "reply_recipients",
    "reply_references",
    "subject_with_prefix",
    "trim_references",
]
