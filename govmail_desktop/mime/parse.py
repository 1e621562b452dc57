"""Raw message bytes → a safe plain-text preview (headers, body text, attachment list).

Why our own walk over the standard ``email`` package (``compat32`` policy):

* **Thai legacy charsets.** Python has no ``windows-874``; Outlook labels its
  Thai mail that way and often sends windows-874 bytes (curly quotes 0x93/0x94,
  ellipsis 0x85) labelled ``tis-620``. Header text, charset labels and dates are
  read by the one decoder the message list uses too (:mod:`mime.charsets`,
  :mod:`mime.dates`): every Thai label is decoded as ``cp874``, a superset of
  TIS-620 and ISO-8859-11; unlabelled 8-bit text is UTF-8 if it is valid UTF-8,
  else cp874 (this is a Thai client).
* **Spoofing.** Address headers are unfolded and
  split into mailboxes by our own RFC 5322 parser (:func:`mime.addresses.split_address_list`:
  the same answer on every Python release, unlike ``email.utils.getaddresses``)
  *before* RFC 2047 words are decoded, so an encoded word can never invent an
  address; decoded names lose control and invisible bidi/format characters;
  look-alike domains are shown in punycode; odd From headers are flagged
  (:attr:`ParsedMessage.warnings`, codes in :mod:`mime.preview_warnings`).
  ``email.policy.default`` decodes first.
* **Bounded time and memory.** Before parsing, the input
  is cut to :data:`MAX_PARSE_BYTES`, :data:`MAX_LINES` lines and lines of at
  most :data:`MAX_LINE_BYTES`; messages with more MIME containers than
  :data:`MAX_CONTAINERS` are not handed to the recursive parser at all. Each
  text part decodes at most :data:`MAX_PART_BYTES`; HTML is cut to
  :data:`mime.body_text.MAX_HTML_CHARS` and, with more than
  :data:`mime.body_text.MAX_HTML_TAGS` tags (where the sanitiser's cost grows with
  nesting), reduced to text by stripping tags; the whole text is capped at
  :data:`MAX_TEXT_CHARS` with lines of at most :data:`mime.body_text.MAX_LINE_CHARS`
  and collapsed whitespace. What is cut is said
  (``truncated`` / warnings), and what can be shown is shown.
* **No remote content, no glued parts.** HTML is sanitised by
  nh3 (no images, styles, scripts, iframes) and converted to text by html2text,
  which never fetches anything (:mod:`mime.body_text`). Each MIME part is converted on its own and the
  texts are joined with a separator line: no markup spans two parts.

Nothing here touches the network, Qt or the disk.
"""

from __future__ import annotations

import binascii
import email
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.policy import compat32

from govmail_desktop.core.entities import Address
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.mime.body_text import _strip_tags, html_to_text, tidy_text
from govmail_desktop.mime.charsets import (
    THAI_CHARSETS,
    codec_for,
    decode_bytes,
    decode_param,
    to_bytes,
    unfold,
)
from govmail_desktop.mime.dates import parse_date
from govmail_desktop.mime.header_text import _CONTROL, clean_display_text, decode_words
from govmail_desktop.mime.headers import ADDRESS_FIELDS, header_fields, header_section, occurrences
from govmail_desktop.mime.markings import MARKING_FIELDS, Markings, header_lookup, recognise
from govmail_desktop.mime.preview_warnings import (
    SENDER_WARNINGS,
    W_ATTACHMENT_NAME,
    W_FROM_MISSING,
    W_FROM_SEVERAL_ADDRESSES,
    W_HTML_SIMPLIFIED,
    W_SEVERAL_FROM,
    W_TOO_DEEP,
    W_TOO_MANY_PARTS,
    W_TRUNCATED,
    WARNING_TEXT,
)
from govmail_desktop.policy.attachments import BIDI_AND_HIDDEN, DECOY_EXTENSIONS, real_extension, safe_display_name

log = logging.getLogger(__name__)

# -- limits ---------------------------------------------------------------------
#: Bytes of the raw message handed to the parser (the rest is not looked at).
MAX_PARSE_BYTES = 16 * 1024 * 1024
#: Lines of the raw message handed to the parser (each costs the parser memory).
MAX_LINES = 250_000
#: Longer raw lines are cut (a single 100 MB line cannot be shown anyway).
MAX_LINE_BYTES = 256 * 1024
#: Longer header fields (with their folded lines) are cut.
MAX_FIELD_BYTES = 8 * 1024
#: More multipart/message containers than this → no MIME tree (flat fallback);
#: keeps the stdlib parser's recursion far below Python's limit.
MAX_CONTAINERS = 100
#: Nesting depth walked; deeper parts are skipped and said to be.
MAX_DEPTH = 100
#: Parts walked at most.
MAX_PARTS = 500
#: Encoded bytes of one text part that are decoded.
MAX_PART_BYTES = 4 * 1024 * 1024
#: Characters of preview text in all.
MAX_TEXT_CHARS = 200_000

PART_SEPARATOR = "\n\n" + "─" * 24 + "\n\n"


_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]+")


def _base64_lenient(text: str) -> bytes:
    """Base64 with junk characters ignored and missing padding tolerated."""
    data = _NOT_BASE64.sub("", text)
    rest = len(data) % 4
    if rest == 1:
        data = data[:-1]
    elif rest:
        data += "=" * (4 - rest)
    try:
        return binascii.a2b_base64(data.encode("ascii"))
    except binascii.Error:
        return b""


# -- results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    """One attached file as listed under the preview (never opened here)."""

    filename: str  # decoded, exactly as sent (may hold bidi characters)
    content_type: str
    size: int  # decoded bytes (estimated from the encoded size); an attached message: its bytes as sent
    part: str  # IMAP part number, "2" / "2.1"
    suspicious_name: bool = False
    #: An attached message (message/rfc822): its own Subject, decoded ("" if it has none);
    #: None for every other attachment.
    subject: str | None = None

    @property
    def display_name(self) -> str:
        """The name with hidden/bidi characters made visible (``<U+202E>``)."""
        return safe_display_name(self.filename)


@dataclass(frozen=True)
class ParsedMessage:
    """What the preview pane shows of one message."""

    subject: str = ""
    from_: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    to_total: int = 0
    cc_total: int = 0
    date: datetime | None = None
    message_id: str | None = None
    #: The message IDs ("<...>") of In-Reply-To and References, in order (for replies).
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    #: The header fields official markings are read from (:data:`mime.markings.MARKING_FIELDS`),
    #: as (lower-case name, value) pairs.
    marking_fields: tuple[tuple[str, str], ...] = ()
    text: str = ""
    #: Where the text came from: "plain", "html", "mixed" or "none".
    text_source: str = "none"
    attachments: tuple[Attachment, ...] = ()
    warnings: tuple[str, ...] = ()
    truncated: bool = False

    @property
    def sender_warnings(self) -> tuple[str, ...]:
        return tuple(w for w in self.warnings if w in SENDER_WARNINGS)

    @property
    def markings(self) -> Markings:
        """Urgency and secrecy, from the marking header fields and the subject prefix."""
        return recognise(self.subject, header_lookup(self.marking_fields))


@dataclass
class _State:
    """Budget and findings of one parse."""

    chars_left: int = MAX_TEXT_CHARS
    #: Bytes of a line break in the raw message (CRLF as IMAP serves it, LF in files).
    eol: int = 2
    parts_seen: int = 0
    warnings: set[str] = field(default_factory=set)
    attachments: list[Attachment] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    truncated: bool = False


# -- pre-parse bounding ------------------------------------------------------------------
_CONTAINER_HEADER = re.compile(rb"^content-type:[ \t]*(?:multipart|message)/", re.IGNORECASE | re.MULTILINE)


def _cap_header_fields(lines: list[bytes]) -> tuple[list[bytes], bool]:
    """Cut every header field (first line plus folded lines) to :data:`MAX_FIELD_BYTES`.

    The stdlib re-parses a Content-Type's parameters on every look-up, in time
    that grows with the square of its length; a few hundred kilobytes of
    parameters would freeze the preview for seconds. Header blocks are: the
    top, after a line starting with ``--`` (a boundary) and after the header
    block of a ``message/*`` part, each up to its first empty line.
    """
    out: list[bytes] = []
    cut = False
    in_header = True
    field_len = 0
    field_is_ctype = False
    block_has_message = False
    for line in lines:
        if not in_header:
            if line.startswith(b"--"):
                in_header, field_len, block_has_message = True, 0, False
            out.append(line)
            continue
        body = line.rstrip(b"\r")
        if not body:
            in_header = block_has_message  # an embedded message's headers follow
            block_has_message = False
            out.append(line)
            continue
        if body[:1] in (b" ", b"\t"):
            field_len += len(body)
            if field_is_ctype and b"message/" in body[:256].lower():
                block_has_message = True
            if field_len > MAX_FIELD_BYTES:
                cut = True
                continue
        else:
            field_len = len(body)
            head = body[:256].lower()
            field_is_ctype = head.startswith(b"content-type:")
            if field_is_ctype and b"message/" in head:
                block_has_message = True
            if field_len > MAX_FIELD_BYTES:
                line, cut = line[:MAX_FIELD_BYTES], True
        out.append(line)
    return out, cut


def bound_input(raw: bytes) -> tuple[bytes, bool]:
    """Cut size, line count, line length and header fields so the parser's cost is bounded."""
    truncated = False
    if len(raw) > MAX_PARSE_BYTES:
        raw, truncated = raw[:MAX_PARSE_BYTES], True
    if raw.count(b"\n") > MAX_LINES:
        raw, truncated = b"\n".join(raw.split(b"\n", MAX_LINES)[:MAX_LINES]), True
    lines = raw.split(b"\n")
    if any(len(line) > MAX_LINE_BYTES for line in lines):
        lines = [line[:MAX_LINE_BYTES] for line in lines]
        truncated = True
    lines, fields_cut = _cap_header_fields(lines)
    return b"\n".join(lines), truncated or fields_cut


# -- parts ------------------------------------------------------------------------------------
_TEXT_SHOWN = frozenset({"text/plain", "text/html", "text/enriched", "text/richtext", "text/rfc822-headers"})
_SIGNATURE_TYPES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # noqa: BLE001
        return "application/octet-stream"


def _disposition(part: Message) -> str | None:
    value = part.get("content-disposition")
    if not value:
        return None
    return str(value).split(";", 1)[0].strip().lower() or None


def _filename(part: Message) -> str:
    try:
        name = part.get_param("filename", None, "content-disposition") or part.get_param("name") or ""
    except Exception:  # noqa: BLE001
        name = ""
    name = decode_param(name)  # RFC 2231 (charset, language, text) or RFC 2047 words
    # Keep bidi characters (they are what the warning is about); drop line breaks.
    return _CONTROL.sub("", name).strip()


def _payload_text(part: Message) -> str:
    """The undecoded payload as parsed (8-bit bytes kept as surrogates).

    ``get_payload()`` would already decode 8-bit text with the *declared*
    charset (Python's tis-620, which lacks the windows-874 quotes), so the
    stored payload is read instead.
    """
    payload = getattr(part, "_payload", None)
    if payload is None:
        payload = part.get_payload()
    if isinstance(payload, bytes):
        return payload.decode("ascii", "surrogateescape")
    return payload if isinstance(payload, str) else ""


def _decoded_size(part: Message) -> int:
    payload = _payload_text(part)
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte == "base64":
        data_chars = len(payload) - payload.count("\n") - payload.count("\r") - payload.count(" ")
        return max(0, data_chars * 3 // 4 - payload.count("="))
    return len(payload)


def _entity_size(entity: Message, eol: int) -> int:
    """Bytes of a whole entity as it was sent: header lines, blank line, body.

    For an attached message (message/rfc822), whose payload the parser turned
    into a message tree: the tree is measured back (header lines, boundary lines,
    preamble and epilogue, leaf payloads as stored), with an explicit stack so a
    deep nesting cannot recurse.
    """
    total = 0
    stack = [entity]
    while stack:
        part = stack.pop()
        total += sum(len(name) + 2 + len(value) + eol for name, value in part.raw_items()) + eol
        payload = part.get_payload()
        if not isinstance(payload, list):
            total += len(_payload_text(part))
            continue
        children = [child for child in payload if isinstance(child, Message)]
        if part.is_multipart() and not _content_type(part).startswith("message/"):
            boundary = len(part.get_boundary() or "")
            # "--b" EOL before each child, EOL ending each child, "--b--" EOL at the end
            total += (boundary + 2 + eol) * len(children) + eol * len(children) + boundary + 4 + eol
            if part.preamble is not None:  # the line break before the first "--b" ends it
                total += len(part.preamble) + eol
            total += len(part.epilogue or "")
        stack.extend(children)
    return total


def decode_part_bytes(part: Message, limit: int = MAX_PART_BYTES) -> tuple[bytes, bool]:
    """The transfer-decoded bytes of a leaf part (at most ``limit``); True if cut."""
    payload = _payload_text(part)
    cut = False
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte == "base64":
        if len(payload) > limit * 4 // 3 + 4096:
            payload, cut = payload[: limit * 4 // 3 + 4096], True
        out = _base64_lenient(payload)
    elif cte == "quoted-printable":
        if len(payload) > limit:
            payload, cut = payload[:limit], True
        out = binascii.a2b_qp(to_bytes(payload))
    else:
        if len(payload) > limit:
            payload, cut = payload[:limit], True
        out = to_bytes(payload)
    if len(out) > limit:
        out, cut = out[:limit], True
    return out, cut


def part_bytes(raw: bytes, number: str) -> bytes | None:
    """The bytes of the part numbered ``number`` as :class:`Attachment` ``.part`` names it (IMAP
    numbering: "2", "2.1"), transfer-decoded; an attached message (message/rfc822): the message
    itself. None when there is no such part. Used to keep the files of a forwarded message."""
    raw, _ = bound_input(raw or b"")
    if len(_CONTAINER_HEADER.findall(raw)) > MAX_CONTAINERS:
        return None
    try:
        node: Message = email.message_from_bytes(raw, policy=compat32)
        steps = [int(step) for step in number.split(".")]
    except (ValueError, RecursionError):
        return None
    for step in steps:
        if step < 1:
            return None
        if _content_type(node) == "message/rfc822":
            inner = node.get_payload()
            if not (isinstance(inner, list) and inner and isinstance(inner[0], Message)):
                return None
            node = inner[0]
        if node.is_multipart():
            children = [c for c in node.get_payload() if isinstance(c, Message)]
            if step > len(children):
                return None
            node = children[step - 1]
        elif step != 1:
            return None
    if _content_type(node) == "message/rfc822":
        inner = node.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            try:
                return inner[0].as_bytes(policy=compat32)
            except (RecursionError, LookupError, UnicodeError):
                return None
    data, cut = decode_part_bytes(node, limit=MAX_PARSE_BYTES)
    return None if cut else data


def _part_text(part: Message, ctype: str, state: _State) -> str:
    data, cut = decode_part_bytes(part)
    if cut:
        state.truncated = True
        state.warnings.add(W_TRUNCATED)
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    text = decode_bytes(data, charset)
    if ctype == "text/html":
        state.sources.add("html")
        state.warnings.add(W_HTML_SIMPLIFIED)
        return html_to_text(text, state)
    if ctype in ("text/enriched", "text/richtext"):
        text = _strip_tags(text)
    state.sources.add("plain")
    return text


def _is_attachment(part: Message, ctype: str) -> bool:
    disposition = _disposition(part)
    if disposition == "attachment":
        return True
    if ctype in _TEXT_SHOWN:
        return False
    return not ctype.startswith("multipart/") and ctype != "message/rfc822"


def deceptive_name(name: str) -> bool:
    """A file name that hides its real type: bidi/hidden characters, or a trusted extension
    before another one (``หนังสือ.pdf.exe``, ``report.pdf   .lnk``)."""
    if not name:
        return False
    if any(ch in BIDI_AND_HIDDEN for ch in name):
        return True
    ext = real_extension(name)
    stem = name.rstrip(" .").rpartition(".")[0].rstrip(" .")
    inner = real_extension(stem) if stem else ""
    return bool(ext and inner in DECOY_EXTENSIONS and ext not in DECOY_EXTENSIONS)


def _add_attachment(
    part: Message, ctype: str, number: str, state: _State, embedded: Message | None = None
) -> None:
    """List a part as a file; ``embedded`` is the message an attached message/rfc822 holds."""
    name = _filename(part)
    suspicious = deceptive_name(name)
    if suspicious:
        state.warnings.add(W_ATTACHMENT_NAME)
    if embedded is None:
        state.attachments.append(Attachment(name, ctype, _decoded_size(part), number, suspicious))
        return
    subject = clean_display_text(decode_words((header_values(embedded, "subject") or [""])[0]))[0]
    size = _entity_size(embedded, state.eol)
    state.attachments.append(Attachment(name, ctype, size, number, suspicious, subject=subject))


def _child_number(prefix: str, index: int) -> str:
    return f"{prefix}.{index}" if prefix else str(index)


def _alternative_choice(children: list[Message]) -> Message | None:
    """text/plain first; else a multipart holding text; else HTML; else the last one."""
    for wanted in ("text/plain", "multipart/", "text/html"):
        for child in children:
            ctype = _content_type(child)
            if (ctype == wanted or (wanted.endswith("/") and ctype.startswith(wanted))) and _disposition(
                child
            ) != "attachment":
                return child
    return children[-1] if children else None


def _render(root: Message, state: _State, prefix: str = "", depth: int = 0) -> list[str]:
    """Text segments of one entity, each from a single part, in display order.

    An explicit stack (not recursion) bounds the walk by :data:`MAX_DEPTH` and
    :data:`MAX_PARTS`.
    """
    segments: list[str] = []
    # Stack items: (part, its IMAP number, depth, header-of-embedded-message or None)
    stack: list[tuple[Message, str, int]] = [(root, prefix, depth)]
    while stack:
        part, number, level = stack.pop()
        state.parts_seen += 1
        if state.parts_seen > MAX_PARTS:
            state.warnings.add(W_TOO_MANY_PARTS)
            break
        if level > MAX_DEPTH:
            state.warnings.add(W_TOO_DEEP)
            continue
        ctype = _content_type(part)
        if part.is_multipart() and not ctype.startswith("message/"):
            children = [c for c in part.get_payload() if isinstance(c, Message)]
            numbered = [(c, _child_number(number, i + 1)) for i, c in enumerate(children)]
            if ctype == "multipart/alternative":
                chosen = _alternative_choice(children)
                # Alternatives not chosen are other forms of the same text; files among them are listed.
                for child, child_number in numbered:
                    if child is chosen:
                        stack.append((child, child_number, level + 1))
                    elif _disposition(child) == "attachment":
                        _add_attachment(child, _content_type(child), child_number, state)
                continue
            if ctype == "multipart/related" and numbered:
                start = str(part.get_param("start") or "").strip()
                root_child = next(
                    (c for c in numbered if start and str(c[0].get("content-id", "")).strip() == start), numbered[0]
                )
                for child, child_number in numbered:
                    if child is root_child[0]:
                        continue
                    if _disposition(child) == "attachment":
                        _add_attachment(child, _content_type(child), child_number, state)
                stack.append((root_child[0], root_child[1], level + 1))
                continue
            # mixed, digest, report, signed, unknown: every child in order.
            for child, child_number in reversed(numbered):
                stack.append((child, child_number, level + 1))
            continue
        if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
            inner = part.get_payload()
            inner_msg = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else None
            if inner_msg is None:
                _add_attachment(part, ctype, number or "1", state)
                continue
            if _disposition(part) == "attachment":  # also offered as a file (forwarded.eml)
                _add_attachment(part, ctype, number or "1", state, embedded=inner_msg)
            segments.append(_embedded_header(inner_msg))
            inner_number = number or "1"
            if inner_msg.is_multipart():
                stack.append((inner_msg, inner_number, level + 1))
            else:
                stack.append((inner_msg, _child_number(inner_number, 1), level + 1))
            continue
        if _is_attachment(part, ctype):
            if ctype not in _SIGNATURE_TYPES or _filename(part):
                _add_attachment(part, ctype, number or "1", state)
            continue
        if state.chars_left <= 0:
            state.truncated = True
            state.warnings.add(W_TRUNCATED)
            continue
        text, cut = tidy_text(_part_text(part, ctype, state), state.chars_left)
        if cut:
            state.truncated = True
            state.warnings.add(W_TRUNCATED)
        state.chars_left -= len(text)
        if text.strip():
            segments.append(text)
    return segments


_EMBEDDED_MARK = "\x00embedded\x00"


def header_values(msg: Message, name: str) -> list[str]:
    """A header's values as sent, folded, 8-bit bytes kept (as surrogates) for
    :func:`decode_words` / :func:`parse_addresses` to decode as UTF-8 or cp874.

    ``Message.get`` under compat32 would turn raw 8-bit header text (Thai mailers
    that skip RFC 2047) into U+FFFD before we could decode it.
    """
    wanted = name.lower()
    return [str(value) for key, value in msg.raw_items() if key.lower() == wanted]


def _embedded_header(inner: Message) -> str:
    """A marker the caller replaces by the forwarded message's header lines."""
    fields = []
    for name in ("From", "Date", "Subject", "To"):
        values = header_values(inner, name)
        if not values:
            continue
        if name in ("From", "To"):
            shown = ", ".join(str(a) for a in parse_addresses(values[:1]).addresses)
        else:
            shown = clean_display_text(decode_words(values[0]))[0]
        fields.append((name, shown))
    return _EMBEDDED_MARK + "\n".join(f"{name}\x01{shown}" for name, shown in fields)


# -- public entry point ------------------------------------------------------------------------

_FORWARDED = QT_TRANSLATE_NOOP("MimeParse", "Forwarded message")
_HEADER_NAMES = {
    "From": QT_TRANSLATE_NOOP("MimeParse", "From"),
    "Date": QT_TRANSLATE_NOOP("MimeParse", "Date"),
    "Subject": QT_TRANSLATE_NOOP("MimeParse", "Subject"),
    "To": QT_TRANSLATE_NOOP("MimeParse", "To"),
}


def _finish_segment(segment: str, lang: str | None) -> str:
    if not segment.startswith(_EMBEDDED_MARK):
        return segment
    lines = [f"---------- {_FORWARDED.text(lang)} ----------"]
    for row in segment[len(_EMBEDDED_MARK) :].split("\n"):
        if "\x01" in row:
            name, shown = row.split("\x01", 1)
            lines.append(f"{_HEADER_NAMES[name].text(lang)}: {shown}")
    return "\n".join(lines)


def _top_fields(raw: bytes) -> Callable[[str], list[str]]:
    """``values(name)``: the values of a top-level header field as :func:`mime.headers.header_fields`
    gives them (unfolded, stripped; every occurrence of an address field, else the first),
    as strings with 8-bit bytes kept as surrogates for :func:`decode_words` / :func:`parse_addresses`."""
    fields = header_fields(header_section(raw))

    def values(name: str) -> list[str]:
        value = fields.get(name)
        if value is None:
            return []
        found = occurrences(value) if name in ADDRESS_FIELDS else [value]
        return [v.decode("ascii", "surrogateescape") for v in found]

    return values


#: A message ID as it stands in In-Reply-To / References: "<left@right>", no blanks inside.
_MESSAGE_ID = re.compile(r"<[^<>\s@]{1,250}@[^<>\s@]{1,250}>")
#: At most this many IDs are read from one References field (a hostile one may hold thousands).
MAX_REFERENCES = 500


def message_ids(values: list[str]) -> tuple[str, ...]:
    """The message IDs in In-Reply-To / References values, in order, each once (comments and
    anything that is not ``<id@domain>`` skipped)."""
    found: dict[str, None] = {}
    for value in values:
        for match in _MESSAGE_ID.finditer(value):
            if len(found) >= MAX_REFERENCES:
                break
            if match.group(0).isascii():
                found.setdefault(match.group(0), None)
    return tuple(found)


def _parse_date(values: list[str]) -> datetime | None:
    """The first Date field, read as the message list reads it (:func:`mime.dates.parse_date`
    of the unfolded, stripped value): ``-0000`` and zone names such as ``ICT`` give a date."""
    if not values:
        return None
    epoch = parse_date(to_bytes(unfold(values[0])).strip())
    if epoch is None:
        return None
    try:
        return datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):  # year 0 or 10000: no date rather than a crash
        return None


def _flat_fallback(raw: bytes, state: _State) -> list[str]:
    """Too many containers for a tree: show the body's text lines without MIME syntax."""
    state.warnings.add(W_TOO_DEEP)
    head_end = raw.find(b"\n\n")
    body = raw[head_end + 2 :] if head_end >= 0 else b""
    keep = []
    for line in body.split(b"\n"):
        stripped = line.strip()
        if stripped.startswith(b"--") or re.match(rb"^[A-Za-z-]{1,64}:[ \t]", stripped):
            continue
        keep.append(line)
    text, _ = tidy_text(decode_bytes(b"\n".join(keep), None), state.chars_left)
    state.sources.add("plain")
    return [text] if text.strip() else []


def parse_message(raw: bytes, *, lang: str | None = None) -> ParsedMessage:
    """Parse one raw message (RFC 5322 bytes) into what the preview shows.

    Never raises on malformed or hostile input; ``lang`` chooses the language
    of the few labels put into the text (forwarded-message headers).
    """
    state = _State()
    raw = raw or b""
    # The fields the message list shows, read from the header as the header sync reads
    # the server's copy of them (one field grammar, mime.headers): the same subject,
    # senders and date in both, even where the MIME parser gives up on a broken header.
    top = _top_fields(raw[:MAX_PARSE_BYTES])
    raw, cut = bound_input(raw)
    state.eol = 2 if b"\r\n" in raw[:65536] else 1
    if cut:
        state.truncated = True
        state.warnings.add(W_TRUNCATED)
    flat = len(_CONTAINER_HEADER.findall(raw)) > MAX_CONTAINERS
    msg: Message | None = None
    if not flat:
        try:
            msg = email.message_from_bytes(raw, policy=compat32)
        except RecursionError:
            flat = True
        except Exception:
            log.warning("Message could not be parsed as MIME; showing it flat", exc_info=True)
            flat = True
    if msg is None:
        from email.parser import BytesHeaderParser

        msg = BytesHeaderParser(policy=compat32).parsebytes(raw)
        segments = _flat_fallback(raw, state)
    else:
        try:
            segments = _render(msg, state)
        except RecursionError:
            segments = _flat_fallback(raw, state)

    from_headers = top("from")
    sender = parse_addresses(from_headers)
    warnings = set(state.warnings) | set(sender.suspicious)
    if len(from_headers) > 1:
        warnings.add(W_SEVERAL_FROM)
    if not from_headers or not sender.addresses:
        warnings.add(W_FROM_MISSING)
    elif sender.total > 1:
        warnings.add(W_FROM_SEVERAL_ADDRESSES)
    to = parse_addresses(top("to"))
    cc = parse_addresses(top("cc"))
    reply_to = parse_addresses(top("reply-to"))
    subject, _ = clean_display_text(decode_words((top("subject") or [""])[0]))
    message_id = (top("message-id") or [""])[0]
    marking_fields = tuple(
        (name, decode_words(value)[:200]) for name in MARKING_FIELDS for value in top(name)[:1]
    )

    text = PART_SEPARATOR.join(_finish_segment(s, lang) for s in segments)
    sources = state.sources
    source = "none" if not sources else ("mixed" if len(sources) > 1 else next(iter(sources)))
    order = list(WARNING_TEXT)
    return ParsedMessage(
        subject=subject,
        from_=sender.addresses,
        to=to.addresses,
        cc=cc.addresses,
        reply_to=reply_to.addresses,
        to_total=to.total,
        cc_total=cc.total,
        date=_parse_date(top("date")),
        message_id=str(message_id).strip()[:998] if message_id else None,
        in_reply_to=message_ids(top("in-reply-to")),
        references=message_ids(top("references")),
        marking_fields=marking_fields,
        text=text,
        text_source=source,
        attachments=tuple(state.attachments),
        warnings=tuple(sorted(warnings, key=lambda w: order.index(w) if w in order else len(order))),
        truncated=state.truncated,
    )


__all__ = [
    "Attachment",
    "MAX_TEXT_CHARS",
    "ParsedMessage",
    "THAI_CHARSETS",
    "codec_for",
    "decode_bytes",
    "deceptive_name",
    "message_ids",
    "parse_message",
    "part_bytes",
]
