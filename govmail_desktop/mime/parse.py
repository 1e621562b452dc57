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
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from email.policy import compat32

from govmail_desktop.core.entities import Address
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.mime.body_text import _strip_tags, html_to_text, tidy_text
from govmail_desktop.mime.bounds import (
    _CONTAINER_HEADER,
    MAX_CONTAINERS,
    MAX_FIELD_BYTES,
    MAX_LINE_BYTES,
    MAX_LINES,
    MAX_PARSE_BYTES,
    bound_input,
    parse_bounded,
)
from govmail_desktop.mime.charsets import (
    THAI_CHARSETS,
    codec_for,
    decode_bytes,
    decode_param,
    to_bytes,
)
from govmail_desktop.mime.header_text import _CONTROL, clean_display_text, decode_words
from govmail_desktop.mime.html_view import MAX_HTML_CHARS, PART_BREAK, cid_key, text_to_html
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
from govmail_desktop.mime.skeleton import left_out_size, skeleton_token
from govmail_desktop.mime.top_fields import first_date, message_ids, top_fields
from govmail_desktop.mime.top_fields import top_fields as _top_fields  # drafts read the header the same way
from govmail_desktop.policy.attachments import (
    BIDI_AND_HIDDEN,
    DECOY_EXTENSIONS,
    judged_name,
    real_extension,
    safe_display_name,
    stream_hides_type,
)

log = logging.getLogger(__name__)

# -- limits ---------------------------------------------------------------------
#: Nesting depth walked; deeper parts are skipped and said to be.
MAX_DEPTH = 100
#: Parts walked at most.
MAX_PARTS = 500
#: Encoded bytes of one text part that are decoded.
MAX_PART_BYTES = 4 * 1024 * 1024
#: Characters of preview text in all.
MAX_TEXT_CHARS = 200_000
#: Decoded bytes of inline (``cid:``) images kept for the formatted view, in all.
MAX_INLINE_BYTES = 8 * 1024 * 1024

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
    #: False: the body is not in the cache (a large message kept as a skeleton,
    #: mime/skeleton.py): ``size`` is the server's, estimated; fetch it with
    #: ``services.part_fetch.PartFetcher``.
    downloaded: bool = True

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
    #: The formatted view's source: the decoded HTML of the chosen text/html part(s) (the HTML
    #: alternative where the plain view takes text/plain), with the other parts shown beside them
    #: as text (:func:`mime.html_view.text_to_html`), joined by :data:`mime.html_view.PART_BREAK`;
    #: not yet cleaned (:func:`mime.html_view.render_html` does that), bounded. "" without HTML.
    html: str = ""
    #: Inline parts that ``cid:`` URLs can name: (Content-ID as :func:`mime.html_view.cid_key`
    #: writes it, IMAP part number).
    inline_parts: tuple[tuple[str, str], ...] = ()
    #: The decoded bytes of the inline images (Content-ID, bytes), at most :data:`MAX_INLINE_BYTES`
    #: in all; only when the message has HTML.
    inline_images: tuple[tuple[str, bytes], ...] = ()

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
    #: A skeleton's token (mime/skeleton.py): parts marked with it were left out.
    skeleton_token: str | None = None
    warnings: set[str] = field(default_factory=set)
    attachments: list[Attachment] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    truncated: bool = False
    #: The formatted view's segments: ("html", decoded source) or ("text", plain text).
    formatted: list[tuple[str, str]] = field(default_factory=list)
    html_left: int = MAX_HTML_CHARS
    inline_parts: dict[str, str] = field(default_factory=dict)
    inline_images: dict[str, bytes] = field(default_factory=dict)
    inline_left: int = MAX_INLINE_BYTES


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


def stored_payload(part: Message) -> object:
    """The payload as the parser stored it: a list of parts, or the body text (8-bit bytes as
    surrogates). ``Message.get_payload()`` would decode 8-bit text with the declared charset
    and raise TypeError / ValueError on a label it cannot use (RFC 2231 ``charset*=``, a NUL)."""
    return getattr(part, "_payload", None)


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
        payload = stored_payload(part)
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
    parsed = parse_bounded(raw)
    try:
        steps = [int(step) for step in number.split(".")]
    except ValueError:
        return None
    if parsed is None:
        return None
    node: Message = parsed
    for step in steps:
        if step < 1:
            return None
        if _content_type(node) == "message/rfc822":
            inner = stored_payload(node)
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
        inner = stored_payload(node)
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            try:
                return inner[0].as_bytes(policy=compat32)
            except (RecursionError, LookupError, UnicodeError, TypeError, ValueError):
                return None
    data, cut = decode_part_bytes(node, limit=MAX_PARSE_BYTES)
    return None if cut else data


def _part_source(part: Message, state: _State) -> str:
    """A text part's decoded text (its HTML source for text/html)."""
    data, cut = decode_part_bytes(part)
    if cut:
        state.truncated = True
        state.warnings.add(W_TRUNCATED)
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    return decode_bytes(data, charset)


def _part_text(part: Message, ctype: str, state: _State, source: str | None = None) -> str:
    text = _part_source(part, state) if source is None else source
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
    """A file name that hides its real type: bidi/hidden characters, an NTFS stream suffix
    (``report.pdf:evil.exe``), or a trusted extension before another one (``หนังสือ.pdf.exe``,
    ``report.pdf   .lnk``)."""
    if not name:
        return False
    if any(ch in BIDI_AND_HIDDEN for ch in name) or stream_hides_type(name):
        return True
    ext = real_extension(name)
    stem = judged_name(name).rpartition(".")[0].rstrip(" .")
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
    left_out = left_out_size(part, state.skeleton_token) if state.skeleton_token else None
    downloaded = left_out is None
    if embedded is None:
        size = _decoded_size(part) if left_out is None else left_out
        state.attachments.append(Attachment(name, ctype, size, number, suspicious, downloaded=downloaded))
        return
    subject = clean_display_text(decode_words((header_values(embedded, "subject") or [""])[0]))[0]
    size = _entity_size(embedded, state.eol) if left_out is None else left_out
    state.attachments.append(Attachment(name, ctype, size, number, suspicious, subject=subject, downloaded=downloaded))


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


def _formatted_choice(children: list[Message], plain_choice: Message | None) -> Message | None:
    """The alternative the formatted view shows: the last HTML one (a related or mixed
    multipart counts: it holds the HTML with its images); else the plain view's choice."""
    for child in reversed(children):
        ctype = _content_type(child)
        if _disposition(child) == "attachment":
            continue
        if ctype == "text/html" or ctype in ("multipart/related", "multipart/mixed"):
            return child
    return plain_choice


#: Which view a part is walked for: both, the plain view only, the formatted view only.
_BOTH, _PLAIN, _FORMATTED = "both", "plain", "formatted"


def _note_inline(part: Message, number: str, state: _State) -> None:
    """A part with a Content-ID can be shown inline by ``cid:`` in the HTML."""
    content_id = str(part.get("content-id", "") or "").strip()
    if not content_id or len(state.inline_parts) >= MAX_PARTS:
        return
    key = cid_key(content_id)
    state.inline_parts.setdefault(key, number)
    if _content_type(part).startswith("image/") and key not in state.inline_images and state.inline_left > 0:
        data, cut = decode_part_bytes(part, limit=state.inline_left)
        if not cut:
            state.inline_images[key] = data
            state.inline_left -= len(data)


def _formatted_leaf(part: Message, ctype: str, state: _State, view: str, text: str | None) -> None:
    """The formatted view's segment of one text part (``text``: its plain text when the plain
    view converted it already; the HTML source is decoded here once)."""
    if view == _PLAIN:
        return
    if state.html_left <= 0:
        state.truncated = True
        return
    if ctype == "text/html":
        source = text if text is not None else _part_source(part, state)
        kind = "html"
    else:
        source = text if text is not None else tidy_text(_part_text(part, ctype, _State()), MAX_TEXT_CHARS)[0]
        kind = "text"
    source = source.replace(PART_BREAK, "")[: state.html_left]
    state.html_left -= len(source)
    if source.strip():
        state.formatted.append((kind, source))


def _render(root: Message, state: _State, prefix: str = "", depth: int = 0) -> list[str]:
    """Text segments of one entity, each from a single part, in display order; the formatted
    view's segments go to ``state.formatted`` in the same walk.

    An explicit stack (not recursion) bounds the walk by :data:`MAX_DEPTH` and
    :data:`MAX_PARTS`.
    """
    segments: list[str] = []
    # Stack items: (part, its IMAP number, depth, the view(s) it is walked for)
    stack: list[tuple[Message, str, int, str]] = [(root, prefix, depth, _BOTH)]
    while stack:
        part, number, level, view = stack.pop()
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
                formatted = _formatted_choice(children, chosen)
                # Alternatives not chosen are other forms of the same text; files among them are listed.
                for child, child_number in numbered:
                    if child is chosen and child is formatted:
                        stack.append((child, child_number, level + 1, view))
                    elif child is chosen and view != _FORMATTED:
                        stack.append((child, child_number, level + 1, _PLAIN))
                    elif child is formatted and view != _PLAIN:
                        stack.append((child, child_number, level + 1, _FORMATTED))
                    elif _disposition(child) == "attachment" and view != _FORMATTED:
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
                    if view != _PLAIN:
                        _note_inline(child, child_number, state)
                    if _disposition(child) == "attachment" and view != _FORMATTED:
                        _add_attachment(child, _content_type(child), child_number, state)
                stack.append((root_child[0], root_child[1], level + 1, view))
                continue
            # mixed, digest, report, signed, unknown: every child in order.
            for child, child_number in reversed(numbered):
                stack.append((child, child_number, level + 1, view))
            continue
        if state.skeleton_token and left_out_size(part, state.skeleton_token) is not None:
            if view != _FORMATTED:  # left out of a skeleton: a file to fetch, whatever its type
                inner = stored_payload(part) if ctype.startswith("message/") else None
                held = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else None
                _add_attachment(part, ctype, number or "1", state, embedded=held)
            continue
        if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
            inner = stored_payload(part)
            inner_msg = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else None
            if inner_msg is None:
                if view != _FORMATTED:
                    _add_attachment(part, ctype, number or "1", state)
                continue
            if _disposition(part) == "attachment" and view != _FORMATTED:  # also offered as a file
                _add_attachment(part, ctype, number or "1", state, embedded=inner_msg)
            header = _embedded_header(inner_msg)
            if view != _FORMATTED:
                segments.append(header)
            if view != _PLAIN:
                state.formatted.append(("text", header))
            inner_number = number or "1"
            if inner_msg.is_multipart():
                stack.append((inner_msg, inner_number, level + 1, view))
            else:
                stack.append((inner_msg, _child_number(inner_number, 1), level + 1, view))
            continue
        if _is_attachment(part, ctype):
            if view != _PLAIN:
                _note_inline(part, number or "1", state)
            if view != _FORMATTED and (ctype not in _SIGNATURE_TYPES or _filename(part)):
                _add_attachment(part, ctype, number or "1", state)
            continue
        if view == _FORMATTED:
            _formatted_leaf(part, ctype, state, view, None)
            continue
        if state.chars_left <= 0:
            state.truncated = True
            state.warnings.add(W_TRUNCATED)
            continue
        source = _part_source(part, state)
        text, cut = tidy_text(_part_text(part, ctype, state, source), state.chars_left)
        if cut:
            state.truncated = True
            state.warnings.add(W_TRUNCATED)
        state.chars_left -= len(text)
        if text.strip():
            segments.append(text)
        _formatted_leaf(part, ctype, state, view, source if ctype == "text/html" else text)
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


def parse_message(raw: bytes, *, lang: str | None = None, skeleton: bool = False) -> ParsedMessage:
    """Parse one raw message (RFC 5322 bytes) into what the preview shows.

    Never raises on malformed or hostile input; ``lang`` chooses the language
    of the few labels put into the text (forwarded-message headers). ``skeleton``:
    ``raw`` is a skeleton from the cache (mime/skeleton.py; never a message from
    outside): parts it marks as left out are listed with ``downloaded=False``.
    """
    state = _State()
    raw = raw or b""
    # The fields the message list shows, read from the header as the header sync reads
    # the server's copy of them (one field grammar, mime.headers): the same subject,
    # senders and date in both, even where the MIME parser gives up on a broken header.
    top = top_fields(raw[:MAX_PARSE_BYTES])
    raw, cut = bound_input(raw)
    state.eol = 2 if b"\r\n" in raw[:65536] else 1
    if cut:
        state.truncated = True
        state.warnings.add(W_TRUNCATED)
    msg = parse_bounded(raw)
    if msg is None:  # shown flat
        from email.parser import BytesHeaderParser

        msg = BytesHeaderParser(policy=compat32).parsebytes(raw)
        segments = _flat_fallback(raw, state)
    else:
        state.skeleton_token = skeleton_token(msg) if skeleton else None
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
    html = ""
    if any(kind == "html" for kind, _ in state.formatted):
        html = PART_BREAK.join(
            source if kind == "html" else text_to_html(_finish_segment(source, lang))
            for kind, source in state.formatted
        )
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
        date=first_date(top("date")),
        message_id=str(message_id).strip()[:998] if message_id else None,
        in_reply_to=message_ids(top("in-reply-to")),
        references=message_ids(top("references")),
        marking_fields=marking_fields,
        text=text,
        text_source=source,
        attachments=tuple(state.attachments),
        warnings=tuple(sorted(warnings, key=lambda w: order.index(w) if w in order else len(order))),
        truncated=state.truncated,
        html=html,
        inline_parts=tuple(state.inline_parts.items()),
        inline_images=tuple(state.inline_images.items()) if html else (),
    )


__all__ = [
    "_CONTAINER_HEADER",
    "MAX_CONTAINERS",
    "MAX_FIELD_BYTES",
    "MAX_LINES",
    "MAX_LINE_BYTES",
    "MAX_PARSE_BYTES",
    "Attachment",
    "_top_fields",
    "bound_input",
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
