"""IMAP on the wire: a fast parser of server responses and a small command runner.

Why this exists next to imapclient (which H4's ``imap_session`` uses to log in):

* imapclient's parser costs ~12 s of ~15 s for 100,000 ENVELOPE fetches
  (shared/TESTING.md); the header sync must stay within 2x the raw wire time.
  The parser here matches whole FETCH items with compiled regular expressions
  and touches every byte once or twice in C.
* imapclient 4.1.0 breaks on range FETCH (``1:*``), and has no QRESYNC SELECT,
  no VANISHED, no ESEARCH.

Layout of this module (no imapclient, no Qt):

1. header-text decoding: RFC 2047 encoded words, Thai legacy charsets aliased
   to cp874 (windows-874, x-windows-874, tis-620, iso-8859-11), raw 8-bit text;
   modified UTF-7 folder names (RFC 3501 5.1.3); dates;
2. a general tokenizer of one response into nested lists (the slow, always
   correct path) and fast parsers for FETCH, VANISHED, STATUS, LIST, ESEARCH,
   SELECT responses into typed values;
3. :class:`ResponseReader` (bytes from a :class:`Transport` to responses, with
   ``{n}`` literals cut out and bounded) and :class:`ImapWire` (tagged commands,
   streaming FETCH in batches, IDLE) over any transport; ``imap_session`` builds
   one on its verified TLS socket after login.

Malformed rows never crash a sync: the row is skipped with a logged warning
(the log never receives message content beyond a short, escaped excerpt).
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import functools
import itertools
import logging
import re
import select
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from govmail_desktop.core.errors import NetworkError, ServerError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.net import failures

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# 1. Text decoding
# --------------------------------------------------------------------------------------

#: Thai legacy charsets: all decoded as cp874, the superset Outlook and Windows
#: actually write (TIS-620 plus curly quotes and dashes at 0x91-0x97).
THAI_CHARSETS = frozenset(
    {
        "tis-620", "tis620", "tis_620", "tis-620-0", "tis-620-2533", "iso-ir-166",
        "iso-8859-11", "iso8859-11", "iso_8859-11", "iso885911", "iso-8859-11:2001",
        "windows-874", "x-windows-874", "windows874", "cp874", "ms874", "x-cp874",
        "ibm874", "x-ibm874", "cp-874",
    }
)
# Labels that mean "we do not know": guess (UTF-8, else cp874).
_GUESS_CHARSETS = frozenset({"", "unknown", "unknown-8bit", "x-unknown", "us-ascii", "ascii", "default"})
# Supersets mail programs really use under these labels (as the WHATWG encoding spec does).
_SUPERSETS = {
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949",
    "shift_jis": "cp932", "x-sjis": "cp932",
    "utf8": "utf-8",
}


@functools.lru_cache(maxsize=256)
@functools.lru_cache(maxsize=256)
def codec_for(charset: str) -> str | None:
    """Python codec for a MIME charset label; ``None`` = unknown, guess from the bytes."""
    name = charset.strip().strip('"').lower().split("*", 1)[0]
    if name in THAI_CHARSETS:
        return "cp874"
    if name in _GUESS_CHARSETS:
        return None
    name = _SUPERSETS.get(name, name)
    try:
        import codecs

        info = codecs.lookup(name)
    except LookupError:
        return None
    # Never let a label pick a codec that is not a text encoding (e.g. "base64", "rot13").
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def guess_decode(raw: bytes) -> str:
    """Text of unlabelled 8-bit bytes: UTF-8 when valid, else Thai Windows (cp874)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp874", "replace")


def decode_bytes(raw: bytes, charset: str | None) -> str:
    """Decode with a MIME charset label; unknown labels fall back to guessing."""
    codec = codec_for(charset) if charset else None
    if codec is None:
        return guess_decode(raw)
    if codec == "utf-8":
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode(codec, "replace")
    except LookupError:  # pragma: no cover - codec_for already looked it up
        return guess_decode(raw)


_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=")
_BLANK = re.compile(rb"[ \t\r\n]*\Z")
_LINEBREAKS = re.compile(r"\r\n[ \t]*|[\r\n]+[ \t]*")


def _decode_word_payload(encoding: bytes, text: bytes) -> bytes | None:
    try:
        if encoding in (b"B", b"b"):
            text = text.strip()
            return binascii.a2b_base64(text + b"=" * (-len(text) % 4))  # = base64.b64decode, fewer steps
        return binascii.a2b_qp(text, header=True)
    except (binascii.Error, ValueError):
        return None


def decode_header_text(raw: bytes | str | None) -> str:
    """Decoded, unfolded text of a header value (subject, display name).

    RFC 2047 encoded words (adjacent ones joined before decoding, so a Thai
    character split across two words survives), whitespace between encoded
    words dropped, raw 8-bit bytes guessed as UTF-8 then cp874; line breaks
    become single spaces. Never raises.
    """
    if raw is None:
        return ""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if b"=?" not in raw:
        text = raw.decode("ascii") if raw.isascii() else guess_decode(raw)
    else:
        text = _decode_encoded_words(raw)
    if "\r" in text or "\n" in text:
        text = _LINEBREAKS.sub(" ", text)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text


_SINGLE_WORD = re.compile(rb"=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=")


def _decode_encoded_words(raw: bytes) -> str:
    single = _SINGLE_WORD.fullmatch(raw)
    if single is not None:  # the whole value is one encoded word (the common case)
        data = _decode_word_payload(single.group(2), single.group(3))
        if data is not None:
            return decode_bytes(data, single.group(1).decode("ascii", "replace"))
    parts: list[str] = []
    pending = bytearray()
    pending_charset: bytes | None = None
    pos = 0

    def flush() -> None:
        nonlocal pending_charset
        if pending_charset is not None:
            parts.append(decode_bytes(bytes(pending), pending_charset.decode("ascii", "replace")))
            pending.clear()
            pending_charset = None

    for match in _ENCODED_WORD.finditer(raw):
        gap = raw[pos : match.start()]
        if gap and not (pending_charset is not None and _BLANK.match(gap)):
            flush()
            parts.append(gap.decode("ascii") if gap.isascii() else guess_decode(gap))
        charset, encoding, text = match.groups()
        data = _decode_word_payload(encoding, text)
        if data is None:
            flush()
            parts.append(match.group(0).decode("ascii", "replace"))
        else:
            key = charset.lower()
            if pending_charset is not None and pending_charset != key:
                flush()
            pending_charset = key
            pending += data
        pos = match.end()
    flush()
    tail = raw[pos:]
    if tail:
        parts.append(tail.decode("ascii") if tail.isascii() else guess_decode(tail))
    return "".join(parts)


# -- modified UTF-7 (RFC 3501 5.1.3) ------------------------------------------------


def decode_mutf7(name: bytes | str) -> str:
    """Folder name from the wire form: ``&DiEOMQ4tDkUOMg4iDgQOMg4Z-`` -> Thai text.

    Servers that send raw UTF-8 (UTF8=ACCEPT or broken ones) are decoded as such;
    a malformed shift sequence is kept literally rather than losing the folder.
    """
    if isinstance(name, str):
        name_b = name.encode("utf-8", "surrogateescape")
    else:
        name_b = name
    if b"&" not in name_b:
        return name_b.decode("ascii") if name_b.isascii() else guess_decode(name_b)
    out: list[str] = []
    pos = 0
    while pos < len(name_b):
        amp = name_b.find(b"&", pos)
        if amp < 0:
            out.append(name_b[pos:].decode("utf-8", "replace"))
            break
        out.append(name_b[pos:amp].decode("utf-8", "replace"))
        end = name_b.find(b"-", amp + 1)
        if end < 0:
            log.warning("Folder name with an unterminated modified UTF-7 shift kept as is")
            out.append(name_b[amp:].decode("utf-8", "replace"))
            break
        chunk = name_b[amp + 1 : end]
        if not chunk:
            out.append("&")
        else:
            try:
                data = base64.b64decode(chunk.replace(b",", b"/") + b"=" * (-len(chunk) % 4), validate=True)
                out.append(data.decode("utf-16-be"))
            except (binascii.Error, ValueError, UnicodeDecodeError):
                log.warning("Folder name with a malformed modified UTF-7 shift kept as is")
                out.append(name_b[amp : end + 1].decode("utf-8", "replace"))
        pos = end + 1
    return "".join(out)


def encode_mutf7(name: str) -> bytes:
    """Wire form of a folder name (printable ASCII stays, ``&`` becomes ``&-``)."""
    out = bytearray()
    run: list[str] = []

    def flush() -> None:
        if run:
            data = "".join(run).encode("utf-16-be")
            out.extend(b"&" + base64.b64encode(data).rstrip(b"=").replace(b"/", b",") + b"-")
            run.clear()

    for char in name:
        code = ord(char)
        if 0x20 <= code <= 0x7E:
            flush()
            out.extend(b"&-" if char == "&" else char.encode("ascii"))
        else:
            run.append(char)
    flush()
    return bytes(out)


# -- dates ----------------------------------------------------------------------------

_MONTHS = {
    b"jan": 1, b"feb": 2, b"mar": 3, b"apr": 4, b"may": 5, b"jun": 6,
    b"jul": 7, b"aug": 8, b"sep": 9, b"oct": 10, b"nov": 11, b"dec": 12,
}
_ZONES = {
    b"UT": 0, b"UTC": 0, b"GMT": 0, b"Z": 0, b"EST": -300, b"EDT": -240, b"CST": -360,
    b"CDT": -300, b"MST": -420, b"MDT": -360, b"PST": -480, b"PDT": -420, b"ICT": 420,
}


@functools.lru_cache(maxsize=4096)
def _days_to_month(year: int, month: int) -> int:
    """Days from 1970-01-01 to the first of a month (proleptic Gregorian)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _epoch(year: int, month: int, day: int, hour: int, minute: int, second: int, offset_min: int) -> int | None:
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 60):
        return None
    days = _days_to_month(year, month) + day - 1
    return days * 86400 + hour * 3600 + minute * 60 + second - offset_min * 60


def parse_internaldate(raw: bytes) -> int | None:
    """``17-Jul-1996 02:44:25 -0700`` -> seconds since the epoch (UTC)."""
    if len(raw) == 26 and raw[2] == 45 and raw[6] == 45:  # fixed-width form, the common case
        try:
            month = _MONTHS[raw[3:6].lower()]
            offset = int(raw[22:24]) * 60 + int(raw[24:26])
            if raw[21] == 45:
                offset = -offset
            return _epoch(
                int(raw[7:11]), month, int(raw[0:2]), int(raw[12:14]), int(raw[15:17]), int(raw[18:20]), offset
            )
        except (KeyError, ValueError):
            pass
    return parse_date_header(raw)


_DATE_RE = re.compile(
    rb"\s*(?:[A-Za-z]+\s*,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{2,4})\s+"
    rb"(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?\s*([+-]\d{4}|[A-Za-z]{1,5})?"
)


_CANONICAL_DATE_RE = re.compile(rb"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)")
_MONTHS_CASED = {k.capitalize(): v for k, v in _MONTHS.items()}


def parse_date_header(raw: bytes | None) -> int | None:
    """RFC 5322 Date (with the obsolete forms mailers still send) -> epoch seconds, or None."""
    if not raw:
        return None
    match = _CANONICAL_DATE_RE.match(raw)
    if match is not None:  # what nearly every mailer writes
        day, mon, year, hour, minute, second, sign, zh, zm = match.groups()
        month = _MONTHS_CASED.get(mon)
        d = int(day)
        if month is not None and 1 <= d <= 31:
            h, mi, sec = int(hour), int(minute), int(second)
            if h <= 23 and mi <= 59 and sec <= 60:
                offset = int(zh) * 60 + int(zm)
                if sign == b"-":
                    offset = -offset
                return (
                    (_days_to_month(int(year), month) + d - 1) * 86400
                    + h * 3600 + mi * 60 + sec - offset * 60
                )
    match = _DATE_RE.match(raw)
    if match is not None:
        day, mon, year, hour, minute, second, zone = match.groups()
        month = _MONTHS.get(mon.lower())
        if month is not None:
            y = int(year)
            if len(year) == 2:
                y += 2000 if y < 50 else 1900
            elif len(year) == 3:
                y += 1900
            offset = 0
            if zone:
                if zone[:1] in (b"+", b"-"):
                    offset = int(zone[1:3]) * 60 + int(zone[3:5])
                    if zone[:1] == b"-":
                        offset = -offset
                else:
                    offset = _ZONES.get(zone.upper(), 0)
            # Well-formed but impossible (day 45): unknown, not a guess.
            return _epoch(y, month, int(day), int(hour), int(minute), int(second or 0), offset)
    try:
        parsed = email.utils.parsedate_tz(raw.decode("ascii", "replace"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not parsed:
        return None
    try:
        return int(email.utils.mktime_tz(parsed))
    except (TypeError, ValueError, OverflowError):
        return None


# --------------------------------------------------------------------------------------
# 2. Parsing
# --------------------------------------------------------------------------------------


class Address(NamedTuple):
    """One mailbox of an ENVELOPE address list (group markers are dropped)."""

    name: str
    mailbox: str
    host: str

    @property
    def email(self) -> str:
        return f"{self.mailbox}@{self.host}" if self.host else self.mailbox


class Envelope(NamedTuple):
    """ENVELOPE fields, decoded. ``date`` is epoch seconds (None when unparseable)."""

    date: int | None
    subject: str
    from_: tuple[Address, ...]
    sender: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    bcc: tuple[Address, ...]
    in_reply_to: str
    message_id: str


class FetchedMessage(NamedTuple):
    """One FETCH response. Items the server did not send are None.

    ``sections`` maps a body section name as the server wrote it (e.g.
    ``"BODY[HEADER.FIELDS (REFERENCES)]"``) to its bytes; ``extra`` holds any
    other item as parsed by the general tokenizer.
    """

    seq: int
    uid: int | None
    flags: tuple[str, ...] | None
    internaldate: int | None
    size: int | None
    modseq: int | None
    envelope: Envelope | None
    sections: dict[str, bytes | None] | None = None
    extra: dict[str, Any] | None = None


class ParseError(ValueError):
    """A response did not follow the grammar (the caller skips the row)."""


def _excerpt(data: bytes, limit: int = 120) -> str:
    """A short, escaped excerpt for the log (no full message content)."""
    return repr(data[:limit]) + ("…" if len(data) > limit else "")


def _shape(line: bytes, limit: int = 200) -> str:
    """A response's shape for the log: its text with quoted strings emptied (literals
    are cut out already), so the server's item names show and message content does not."""
    return _excerpt(_QUOTED_RE.sub(b'"..."', line), limit)


# -- the general tokenizer ---------------------------------------------------------------

_QUOTED = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKEN = re.compile(
    rb"[ ]*(?:(\()|(\))|(" + _QUOTED + rb")|\{(\d+)\+?\}|((?:[^\s()\"{\[]|\[[^\]]*\])+))"
)
_UNESCAPE = re.compile(rb"\\(.)")
_NIL = b"NIL"


def unquote(token: bytes) -> bytes:
    """``"a \\"b\\""`` -> ``a "b"``."""
    inner = token[1:-1]
    return _UNESCAPE.sub(rb"\1", inner) if b"\\" in inner else inner


class Atom(bytes):
    """An atom or number as sent (distinguishes ``NIL``/flags from strings)."""

    __slots__ = ()


def tokenize(data: bytes, literals: Sequence[bytes] = (), start: int = 0) -> list[Any]:
    """Parse ``data`` into nested lists: Atom for atoms, bytes for strings/literals,
    None for NIL. Literals are taken in order from ``literals`` (see ResponseReader).
    """
    root: list[Any] = []
    stack = [root]
    current = root
    lits = iter(literals)
    pos = start
    end = len(data)
    match = _TOKEN.match
    while pos < end:
        m = match(data, pos)
        if m is None:
            if data[pos:].strip() == b"":
                break
            raise ParseError(f"unexpected byte at {pos}: {_excerpt(data[pos:], 40)}")
        pos = m.end()
        if m.start(5) >= 0:
            atom = m.group(5)
            current.append(None if atom == _NIL else Atom(atom))
        elif m.start(3) >= 0:
            current.append(unquote(m.group(3)))
        elif m.start(1) >= 0:
            child: list[Any] = []
            current.append(child)
            stack.append(child)
            current = child
        elif m.start(2) >= 0:
            if len(stack) == 1:
                raise ParseError("unbalanced ')'")
            stack.pop()
            current = stack[-1]
        elif m.start(4) >= 0:
            try:
                current.append(next(lits))
            except StopIteration:
                raise ParseError("literal marker without data") from None
        else:  # only blanks matched
            break
    if len(stack) != 1:
        raise ParseError("unbalanced '('")
    return root


def _nstring_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return decode_header_text(bytes(value))
    raise ParseError(f"expected a string, got {type(value).__name__}")


def _addresses_from_tree(value: Any) -> tuple[Address, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ParseError("address list is not a list")
    result = []
    for item in value:
        if not isinstance(item, list) or len(item) != 4:
            raise ParseError("address is not a 4-item list")
        name, _adl, mailbox, host = item
        if mailbox is None or host is None:  # RFC 3501 group start/end markers
            continue
        result.append(
            Address(
                decode_header_text(name) if name else "",
                _addr_part(mailbox),
                _addr_part(host),
            )
        )
    return tuple(result)


def _addr_part(raw: bytes | None) -> str:
    if not raw:
        return ""
    return raw.decode("ascii") if raw.isascii() else guess_decode(raw)


def envelope_from_tree(value: Any) -> Envelope:
    """ENVELOPE from the general tokenizer's nested lists."""
    if not isinstance(value, list) or len(value) != 10:
        raise ParseError("ENVELOPE is not a 10-item list")
    date, subject, frm, sender, reply_to, to, cc, bcc, in_reply_to, message_id = value
    return Envelope(
        parse_date_header(bytes(date)) if isinstance(date, (bytes, bytearray)) else None,
        _nstring_text(subject) or "",
        _addresses_from_tree(frm),
        _addresses_from_tree(sender),
        _addresses_from_tree(reply_to),
        _addresses_from_tree(to),
        _addresses_from_tree(cc),
        _addresses_from_tree(bcc),
        _id_text(in_reply_to),
        _id_text(message_id),
    )


def _id_text(raw: Any) -> str:
    if not raw:
        return ""
    if not isinstance(raw, (bytes, bytearray)):
        raise ParseError("message id is not a string")
    text = bytes(raw).decode("ascii") if bytes(raw).isascii() else guess_decode(bytes(raw))
    return " ".join(text.split())


# -- the fast FETCH parser -------------------------------------------------------------

_NS = rb"(NIL|" + _QUOTED + rb"|\{\d+\+?\})"
_NS_NC = rb"(?:NIL|" + _QUOTED + rb"|\{\d+\+?\})"
_ADDR_NC = rb"\(" + _NS_NC + rb" " + _NS_NC + rb" " + _NS_NC + rb" " + _NS_NC + rb"\)"
_ALIST = rb"(NIL|\((?:" + _ADDR_NC + rb" ?)+\))"
# Sender and Reply-To nearly always repeat From: a back-reference to From's bytes
# (one comparison) is tried first, the address-list pattern only when it fails —
# the same groups, ~25 % less matching time per row (measured on 100,000 rows).
_ALIST_OR_FROM = rb"((?P=from_list)|" + _ALIST[1:]
_ENVELOPE_RE = re.compile(
    rb"\(" + _NS + rb" " + _NS + rb" (?P<from_list>" + _ALIST[1:] + (rb" " + _ALIST_OR_FROM) * 2
    + (rb" " + _ALIST) * 3 + rb" " + _NS + rb" " + _NS + rb"\)"
)
_ADDR_RE = re.compile(rb"\(" + _NS + rb" " + _NS + rb" " + _NS + rb" " + _NS + rb"\)")
_FETCH_HEAD = re.compile(rb"\* (\d+) FETCH \(")
_FETCH_COMMON = re.compile(
    rb"\* (\d+) FETCH \((?:UID (\d+) ?)?(?:FLAGS \(([^()]*)\) ?)?(?:INTERNALDATE \"([^\"]*)\" ?)?"
    rb"(?:RFC822\.SIZE (\d+) ?)?(?:MODSEQ \((\d+)\) ?)?"
)
_ITEM_NAME = re.compile(rb" ?([A-Za-z0-9._-]+(?:\[[^\]]*\](?:<\d+>)?)?) ")
_NUMBER = re.compile(rb"(\d+)")
_FLAGS_RE = re.compile(rb"\(([^()]*)\)")
_QUOTED_RE = re.compile(_QUOTED)
_MODSEQ_RE = re.compile(rb"\((\d+)\)")
_NSTRING_RE = re.compile(_NS)


class _Literals:
    """Literals of one response, consumed in the order their markers appear."""

    __slots__ = ("items", "index")

    def __init__(self, items: Sequence[bytes]) -> None:
        self.items = items
        self.index = 0

    def take(self) -> bytes:
        if self.index >= len(self.items):
            raise ParseError("literal marker without data")
        value = self.items[self.index]
        self.index += 1
        return value

    def rest(self) -> Sequence[bytes]:
        return self.items[self.index :]


def _nstring(token: bytes, lits: _Literals) -> bytes | None:
    first = token[0]
    if first == 34:  # '"'
        inner = token[1:-1]
        return _UNESCAPE.sub(rb"\1", inner) if b"\\" in inner else inner
    if first == 123:  # '{'
        return lits.take()
    return None  # NIL


# Plain address lists (no literal, no escape): one str regex, no per-field calls.
_PLAIN_ADDR_RE = re.compile(r'\((?:NIL|"([^"]*)") (?:NIL|"[^"]*") (?:NIL|"([^"]*)") (?:NIL|"([^"]*)")\)')
#: Parsed address lists by their raw bytes: a mailbox repeats its correspondents.
_ADDRESS_CACHE: dict[bytes, tuple[Address, ...]] = {}
_ADDRESS_CACHE_MAX = 20000
_SUBJECT_CACHE: dict[bytes, str] = {}


def _plain_addresses(raw: bytes) -> tuple[Address, ...]:
    cached = _ADDRESS_CACHE.get(raw)
    if cached is not None:
        return cached
    text = raw.decode("ascii")
    decode = decode_header_text
    # Group markers (NIL mailbox or NIL host) come out with an empty part and are dropped.
    result = tuple(
        [
            Address(decode(name) if "=?" in name else name, mailbox, host)
            for name, mailbox, host in _PLAIN_ADDR_RE.findall(text)
            if mailbox and host
        ]
    )
    if len(_ADDRESS_CACHE) >= _ADDRESS_CACHE_MAX:
        _ADDRESS_CACHE.clear()
    _ADDRESS_CACHE[raw] = result
    return result


def _fast_addresses(raw: bytes, lits: _Literals) -> tuple[Address, ...]:
    cached = _ADDRESS_CACHE.get(raw)  # never holds lists with literal markers
    if cached is not None:
        return cached
    if raw == _NIL:
        return ()
    if raw.isascii() and b"{" not in raw and b"\\" not in raw:
        return _plain_addresses(raw)
    result = []
    for name, _adl, mailbox, host in _ADDR_RE.findall(raw):
        # Take literals in order even from the parts we do not keep.
        n = _nstring(name, lits) if name != _NIL else None
        if _adl != _NIL:
            _nstring(_adl, lits)
        m = _nstring(mailbox, lits) if mailbox != _NIL else None
        h = _nstring(host, lits) if host != _NIL else None
        if m is None or h is None:
            continue  # group syntax marker
        result.append(
            Address(
                decode_header_text(n) if n else "",
                m.decode("ascii") if m.isascii() else guess_decode(m),
                h.decode("ascii") if h.isascii() else guess_decode(h),
            )
        )
    return tuple(result)


_new_envelope = tuple.__new__


def _fast_envelope(data: bytes, pos: int, lits: _Literals) -> tuple[Envelope, int]:
    m = _ENVELOPE_RE.match(data, pos)
    if m is None:
        raise ParseError("ENVELOPE not in the expected form")
    return _envelope_of(m.groups(), lits), m.end()


def _envelope_of(groups: Sequence[bytes], lits: _Literals) -> Envelope:
    date_t, subj_t, frm, sender, reply_to, to, cc, bcc, irt_t, mid_t = groups
    # Quoted without escapes is the common case: slice instead of calling _nstring.
    date = date_t[1:-1] if date_t[0] == 34 and 92 not in date_t else (
        _nstring(date_t, lits) if date_t != _NIL else None
    )
    subject = subj_t[1:-1] if subj_t[0] == 34 and 92 not in subj_t else (
        _nstring(subj_t, lits) if subj_t != _NIL else None
    )
    from_list = _fast_addresses(frm, lits)
    # sender and reply-to usually repeat From: parse once (only when free of literals).
    sender_list = from_list if sender == frm and b"{" not in frm else _fast_addresses(sender, lits)
    reply_list = from_list if reply_to == frm and b"{" not in frm else _fast_addresses(reply_to, lits)
    to_list = _fast_addresses(to, lits) if to != _NIL else ()
    cc_list = _fast_addresses(cc, lits) if cc != _NIL else ()
    bcc_list = _fast_addresses(bcc, lits) if bcc != _NIL else ()
    irt = _nstring(irt_t, lits) if irt_t != _NIL else None
    mid = _nstring(mid_t, lits) if mid_t != _NIL else None
    if not subject:
        subject_text = ""
    elif b"=?" in subject or b"\r" in subject or not subject.isascii():
        # Threads and circulars repeat subjects: decode each distinct one once.
        subject_text = _SUBJECT_CACHE.get(subject)  # type: ignore[assignment]
        if subject_text is None:
            subject_text = decode_header_text(subject)
            if len(_SUBJECT_CACHE) >= _ADDRESS_CACHE_MAX:
                _SUBJECT_CACHE.clear()
            _SUBJECT_CACHE[subject] = subject_text
    else:
        subject_text = subject.decode("ascii")
    envelope = _new_envelope(
        Envelope,
        (
            parse_date_header(date) if date else None,
            subject_text,
            from_list,
            sender_list,
            reply_list,
            to_list,
            cc_list,
            bcc_list,
            _id_text(irt) if irt else "",
            (mid.decode("ascii") if mid.isascii() and b" " not in mid else _id_text(mid)) if mid else "",
        ),
    )
    return envelope


def envelope_id_text(raw: bytes, message_id: bool) -> str:
    """Message-ID / In-Reply-To text of a header value (or of a plain quoted ENVELOPE value), as
    ``parse_fetch`` decodes the ENVELOPE's."""
    if not raw:
        return ""
    if message_id and raw.isascii() and b" " not in raw:
        return raw.decode("ascii")
    return _id_text(raw)


def _skip_value(data: bytes, pos: int) -> int:
    """End of one value (atom, string, literal marker or balanced list) starting at pos."""
    depth = 0
    while True:
        m = _TOKEN.match(data, pos)
        if m is None:
            raise ParseError("cannot skip value")
        pos = m.end()
        if m.start(1) >= 0:
            depth += 1
        elif m.start(2) >= 0:
            depth -= 1
            if depth < 0:
                raise ParseError("unbalanced ')'")
        if depth == 0:
            return pos


# The whole row of a summary FETCH in the layout servers (Dovecot, Cyrus) send, in one
# match: no per-item loop for the 100,000-row case. Anything else takes the general path.
_ROW_RE = re.compile(
    rb"\* (\d+) FETCH \(UID (\d+) FLAGS \(([^()]*)\) INTERNALDATE \"([^\"]*)\" RFC822\.SIZE (\d+) "
    rb"(?:MODSEQ \((\d+)\) )?ENVELOPE " + _ENVELOPE_RE.pattern
    + rb"(?: (BODY\[[^\]]*\]) " + _NS + rb")?\)\Z"
)
_NO_LITERALS = _Literals(())

# The header sync's row (``UID FLAGS INTERNALDATE RFC822.SIZE [MODSEQ] BODY[...]``
# with the section as a literal), matched where it lies in the read buffer: no line
# splitting, no second match (``ResponseReader.read_bulk``). Nothing in the matched
# text can hold a line break, so every match is the head of exactly one response;
# anything else takes the general path.
#: Groups: 1 UID, 2 flags (inside the parentheses), 3 INTERNALDATE (unquoted),
#: 4 RFC822.SIZE, 5 the section name (``BODY[...]``), ``literal`` (6) the size of
#: the section's literal, which follows the match and must end in ``)\r\n``.
SUMMARY_ROW_RE = re.compile(
    rb"\* \d++ FETCH \(UID (\d++) FLAGS \(([^()\r\n]*+)\) INTERNALDATE \"([^\"\r\n]*+)\" RFC822\.SIZE (\d++) "
    rb"(?:MODSEQ \(\d++\) )?(BODY\[[^\]\r\n]*+\]) \{(?P<literal>\d{1,9})\}\r\n"
)
#: Largest section literal the bulk path takes in place (bigger ones: the general path).
_BULK_LITERAL_MAX = 1 << 16


def parse_fetch(data: bytes, literals: Sequence[bytes] = ()) -> FetchedMessage:
    """One ``* n FETCH (...)`` response (literals cut out by the reader) -> FetchedMessage.

    Raises ParseError for anything not in the grammar; the callers skip such rows.
    """
    row = _ROW_RE.match(data)
    if row is not None:
        g = row.groups()
        lits = _Literals(literals) if literals else _NO_LITERALS
        envelope = _envelope_of(g[6:16], lits)
        sections = None
        if g[16] is not None:
            sections = {g[16].decode("ascii", "replace"): _nstring(g[17], lits)}
        if literals and lits.index != len(literals):
            raise ParseError("literal without a marker")
        return _new_envelope(
            FetchedMessage,
            (
                int(g[0]),
                int(g[1]),
                tuple(g[2].decode("utf-8", "replace").split()),
                parse_internaldate(g[3]),
                int(g[4]),
                int(g[5]) if g[5] is not None else None,
                envelope,
                sections,
                None,
            ),
        )
    return _parse_fetch_items(data, literals)


def _parse_fetch_items(data: bytes, literals: Sequence[bytes]) -> FetchedMessage:
    """The general FETCH path: items in any order, unknown items kept."""
    head = _FETCH_COMMON.match(data)
    if head is None:
        raise ParseError("not a FETCH response")
    # The items most servers send first, in this order, in one match (the common case).
    seq_b, uid_b, flags_b, date_b, size_b, modseq_b = head.groups()
    seq = int(seq_b)
    uid = int(uid_b) if uid_b is not None else None
    flags = tuple(flags_b.decode("utf-8", "replace").split()) if flags_b is not None else None
    internaldate = parse_internaldate(date_b) if date_b is not None else None
    size = int(size_b) if size_b is not None else None
    modseq = int(modseq_b) if modseq_b is not None else None
    envelope = None
    sections: dict[str, bytes | None] | None = None
    extra: dict[str, Any] | None = None
    lits = _Literals(literals)
    pos = head.end()
    end = len(data)
    while True:
        if pos >= end:
            raise ParseError("FETCH response ends early")
        if data[pos] == 41:  # ')'
            break
        if data[pos] == 32:  # stray blank (lenient)
            pos += 1
            continue
        m = _ITEM_NAME.match(data, pos)
        if m is None:
            raise ParseError(f"bad FETCH item at {pos}")
        name = m.group(1).upper()
        pos = m.end()
        if name == b"UID":
            v = _NUMBER.match(data, pos)
            if v is None:
                raise ParseError("bad UID")
            uid = int(v.group(1))
            pos = v.end()
        elif name == b"FLAGS":
            v = _FLAGS_RE.match(data, pos)
            if v is None:
                raise ParseError("bad FLAGS")
            flags = tuple(v.group(1).decode("utf-8", "replace").split())
            pos = v.end()
        elif name == b"INTERNALDATE":
            v = _QUOTED_RE.match(data, pos)
            if v is None:
                raise ParseError("bad INTERNALDATE")
            internaldate = parse_internaldate(data[v.start() + 1 : v.end() - 1])
            pos = v.end()
        elif name == b"RFC822.SIZE":
            v = _NUMBER.match(data, pos)
            if v is None:
                raise ParseError("bad RFC822.SIZE")
            size = int(v.group(1))
            pos = v.end()
        elif name == b"MODSEQ":
            v = _MODSEQ_RE.match(data, pos)
            if v is None:
                raise ParseError("bad MODSEQ")
            modseq = int(v.group(1))
            pos = v.end()
        elif name == b"ENVELOPE":
            try:
                envelope, pos = _fast_envelope(data, pos, lits)
            except ParseError:
                # Unusual spacing or nesting: the general tokenizer is slower but lenient.
                start_index = lits.index
                new_pos = _skip_value(data, pos)
                chunk = data[pos:new_pos]
                markers = len(re.findall(rb"\{\d+\+?\}", _strip_quoted(chunk)))
                sub_lits = list(lits.items[start_index : start_index + markers])
                lits.index = start_index + markers
                tree = tokenize(chunk, sub_lits)
                if len(tree) != 1:
                    raise
                envelope = envelope_from_tree(tree[0])
                pos = new_pos
        elif name.startswith(b"BODY[") or name.startswith(b"BINARY[") or name.startswith(b"RFC822"):
            v = _NSTRING_RE.match(data, pos)
            if v is None:
                raise ParseError(f"bad {name!r}")
            if sections is None:
                sections = {}
            sections[name.decode("ascii", "replace")] = _nstring(v.group(1), lits)
            pos = v.end()
        else:
            new_pos = _skip_value(data, pos)
            chunk = data[pos:new_pos]
            markers = len(re.findall(rb"\{\d+\+?\}", _strip_quoted(chunk)))
            sub = list(lits.items[lits.index : lits.index + markers])
            lits.index += markers
            tree = tokenize(chunk, sub)
            if extra is None:
                extra = {}
            extra[name.decode("ascii", "replace")] = tree[0] if len(tree) == 1 else tree
            pos = new_pos
    if data[pos + 1 :].strip():
        raise ParseError("garbage after FETCH response")
    return FetchedMessage(seq, uid, flags, internaldate, size, modseq, envelope, sections, extra)


def _strip_quoted(chunk: bytes) -> bytes:
    return _QUOTED_RE.sub(b'""', chunk)


# -- sequence sets ------------------------------------------------------------------------


def parse_sequence_set(raw: bytes | str) -> list[int]:
    """``1:3,7,9:8`` -> [1, 2, 3, 7, 8, 9] (no ``*``; sorted, unique)."""
    if isinstance(raw, str):
        raw = raw.encode("ascii")
    result: set[int] = set()
    for part in raw.split(b","):
        part = part.strip()
        if not part:
            continue
        if b":" in part:
            a, b = part.split(b":", 1)
            lo, hi = sorted((int(a), int(b)))
            if hi - lo > 50_000_000:
                raise ParseError("sequence set too large")
            result.update(range(lo, hi + 1))
        else:
            result.add(int(part))
    return sorted(result)


def iter_sequence_ranges(raw: bytes | str) -> Iterator[tuple[int, int]]:
    """``1:3,7`` -> (1, 3), (7, 7) without expanding (for huge VANISHED sets)."""
    if isinstance(raw, str):
        raw = raw.encode("ascii")
    for part in raw.split(b","):
        part = part.strip()
        if not part:
            continue
        if b":" in part:
            a, b = part.split(b":", 1)
            lo, hi = sorted((int(a), int(b)))
            yield lo, hi
        else:
            n = int(part)
            yield n, n


def format_sequence_set(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 7] -> ``1:3,7`` (input in any order, duplicates allowed)."""
    ordered = sorted(set(numbers))
    if not ordered:
        raise ValueError("empty sequence set")
    parts = []
    start = prev = ordered[0]
    for n in ordered[1:]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = n
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)


# -- other responses -----------------------------------------------------------------------


@dataclass(frozen=True)
class FolderListing:
    """One LIST response (plus LIST-STATUS counts when the server sent them)."""

    name: str  # decoded (Thai text, not modified UTF-7)
    wire_name: bytes  # as the server sent it, for commands
    delimiter: str | None
    attributes: frozenset[str]  # lower-case, e.g. {"\\noselect", "\\sent", "\\haschildren"}
    status: dict[str, int] = field(default_factory=dict)

    @property
    def selectable(self) -> bool:
        return not ({"\\noselect", "\\nonexistent"} & self.attributes)

    @property
    def special_use(self) -> str | None:
        for attr in ("\\inbox", "\\sent", "\\drafts", "\\trash", "\\junk", "\\archive", "\\all", "\\flagged"):
            if attr in self.attributes:
                return attr
        return None


def _astring(value: Any) -> bytes:
    if value is None:
        return b"NIL"
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise ParseError("expected a string")


def parse_list(data: bytes, literals: Sequence[bytes] = ()) -> FolderListing:
    """``* LIST (\\HasNoChildren \\Sent) "/" "Sent"`` -> FolderListing."""
    tree = tokenize(data, literals)
    if len(tree) < 5 or tree[1].upper() not in (b"LIST", b"LSUB", b"XLIST"):
        raise ParseError("not a LIST response")
    attrs, delim, name = tree[2], tree[3], tree[4]
    if not isinstance(attrs, list):
        raise ParseError("LIST attributes are not a list")
    wire = _astring(name)
    decoded = "INBOX" if wire.upper() == b"INBOX" else decode_mutf7(wire)
    return FolderListing(
        decoded,
        wire,
        delim.decode("utf-8", "replace") if delim else None,
        frozenset(bytes(a).decode("utf-8", "replace").lower() for a in attrs),
    )


def parse_status(data: bytes, literals: Sequence[bytes] = ()) -> tuple[bytes, dict[str, int]]:
    """``* STATUS "INBOX" (MESSAGES 3 UIDNEXT 10)`` -> (wire name, {"MESSAGES": 3, ...})."""
    tree = tokenize(data, literals)
    if len(tree) < 4 or tree[1].upper() != b"STATUS" or not isinstance(tree[3], list):
        raise ParseError("not a STATUS response")
    items = tree[3]
    values: dict[str, int] = {}
    for key, value in zip(items[::2], items[1::2]):
        try:
            values[bytes(key).decode("ascii").upper()] = int(value)
        except (TypeError, ValueError):
            raise ParseError("bad STATUS item") from None
    return _astring(tree[2]), values


class Vanished(NamedTuple):
    """``* VANISHED [(EARLIER)] uid-set``: UIDs gone from the selected folder."""

    earlier: bool
    uid_set: str

    def uids(self) -> list[int]:
        return parse_sequence_set(self.uid_set)


_VANISHED_RE = re.compile(rb"\* VANISHED (\(EARLIER\) )?([0-9:,]+)\s*\Z", re.IGNORECASE)


def parse_vanished(data: bytes) -> Vanished:
    m = _VANISHED_RE.match(data)
    if m is None:
        raise ParseError("not a VANISHED response")
    return Vanished(m.group(1) is not None, m.group(2).decode("ascii"))


class SearchResult(NamedTuple):
    """UIDs (or sequence numbers) found, as a compact set and optional counts."""

    uid_set: str  # "" when nothing matched
    count: int | None = None
    highest_modseq: int | None = None

    def numbers(self) -> list[int]:
        return parse_sequence_set(self.uid_set) if self.uid_set else []


def parse_esearch(data: bytes) -> SearchResult:
    """``* ESEARCH (TAG "A1") UID ALL 1:3,5 COUNT 4`` -> SearchResult."""
    tree = tokenize(data)
    items = tree[2:]
    if items and isinstance(items[0], list):
        items = items[1:]
    if items and isinstance(items[0], Atom) and items[0].upper() == b"UID":
        items = items[1:]
    uid_set, count, modseq = "", None, None
    for key, value in zip(items[::2], items[1::2]):
        k = bytes(key).upper()
        if k == b"ALL":
            uid_set = bytes(value).decode("ascii")
        elif k == b"COUNT":
            count = int(value)
        elif k == b"MODSEQ":
            modseq = int(value)
    return SearchResult(uid_set, count, modseq)


def parse_search(data: bytes) -> tuple[list[int], int | None]:
    """``* SEARCH 2 5 (MODSEQ 9)`` -> ([2, 5], 9)."""
    tree = tokenize(data)
    numbers: list[int] = []
    modseq = None
    for value in tree[2:]:
        if isinstance(value, list):
            if len(value) == 2 and bytes(value[0]).upper() == b"MODSEQ":
                modseq = int(value[1])
            continue
        numbers.append(int(value))
    return numbers, modseq


_RESP_CODE = re.compile(rb"\[([A-Za-z0-9.\-]+)(?: ([^\]]*))?\]")


def response_code(text: bytes) -> tuple[str, bytes] | None:
    """``OK [UIDNEXT 44] Predicted`` -> ("UIDNEXT", b"44")."""
    m = _RESP_CODE.search(text)
    if m is None:
        return None
    return m.group(1).decode("ascii").upper(), (m.group(2) or b"")


# -- unsolicited responses (events) -------------------------------------------------------


class Exists(NamedTuple):
    count: int


class Expunge(NamedTuple):
    seq: int


class FlagsChanged(NamedTuple):
    """An unsolicited FETCH: flags of a message changed (UID present when QRESYNC is on)."""

    seq: int
    uid: int | None
    flags: tuple[str, ...] | None
    modseq: int | None


class ModseqChanged(NamedTuple):
    highest_modseq: int


Event = Exists | Expunge | Vanished | FlagsChanged | ModseqChanged

_NUMBERED = re.compile(rb"\* (\d+) (EXISTS|EXPUNGE|RECENT|FETCH)\b", re.IGNORECASE)


def parse_event(data: bytes, literals: Sequence[bytes] = ()) -> Event | None:
    """The event an untagged response carries for the selected folder, if any."""
    m = _NUMBERED.match(data)
    if m is not None:
        kind = m.group(2).upper()
        n = int(m.group(1))
        if kind == b"EXISTS":
            return Exists(n)
        if kind == b"EXPUNGE":
            return Expunge(n)
        if kind == b"FETCH":
            msg = parse_fetch(data, literals)
            return FlagsChanged(msg.seq, msg.uid, msg.flags, msg.modseq)
        return None
    upper = data[:12].upper()
    if upper.startswith(b"* VANISHED"):
        return parse_vanished(data)
    if upper.startswith(b"* OK"):
        code = response_code(data)
        if code is not None and code[0] == "HIGHESTMODSEQ":
            return ModseqChanged(int(code[1]))
    return None


# -- SELECT -----------------------------------------------------------------------------------


@dataclass
class SelectResult:
    """What SELECT/EXAMINE told us about the folder (RFC 3501, 7162)."""

    folder: str
    uidvalidity: int | None = None
    uidnext: int | None = None
    exists: int = 0
    highest_modseq: int | None = None  # None: no CONDSTORE or NOMODSEQ
    flags: tuple[str, ...] = ()
    permanent_flags: tuple[str, ...] = ()
    read_only: bool = False
    #: With QRESYNC: UIDs removed since the given modseq ...
    vanished: list[str] = field(default_factory=list)  # sequence-set strings
    #: ... and messages whose flags changed since then.
    changed: list[FetchedMessage] = field(default_factory=list)
    qresync_used: bool = False

    def vanished_uids(self) -> list[int]:
        result: set[int] = set()
        for uid_set in self.vanished:
            result.update(parse_sequence_set(uid_set))
        return sorted(result)


# --------------------------------------------------------------------------------------
# 3. Reading and commands
# --------------------------------------------------------------------------------------

# Bounds that protect memory and time against a hostile or broken server (a server the
# policy allows is still untrusted). A real server stays far below each; one that goes
# beyond gets :class:`TooMuchData` from the reader, and ImapWire ends the connection with
# ServerError ``server-too-much-data`` (see ``net/failures.py``).

#: One response line (literals cut out): a plain SEARCH of two million UIDs is ~16 MB.
MAX_LINE = 16 * 1024 * 1024
#: Literals of one FETCH response (message bodies; the app asks for 16 MB of a message at most).
MAX_LITERAL = 256 * 1024 * 1024
#: Literals of any other response (folder names in LIST/STATUS, ID strings, ...).
MAX_SMALL_LITERAL = 1024 * 1024
#: Responses one command (or one IDLE wait) may bring: UNTAGGED_BASE, plus
#: UNTAGGED_PER_MESSAGE for each message of the largest folder (EXISTS) the server has
#: announced on this connection, counted up to MAX_COUNTED_MESSAGES. Per message a real
#: server sends at most the FETCH asked for and one change (a flag FETCH, an EXPUNGE): a
#: NOOP after another client marked every message of a million-message folder as read
#: brings a million FETCH responses, well within 2,010,000. The same bound applies to
#: the events gathered and not yet taken.
UNTAGGED_BASE = 10_000
UNTAGGED_PER_MESSAGE = 2
MAX_COUNTED_MESSAGES = 2_000_000
#: LIST: one LIST and one STATUS (LIST-STATUS) response per folder, at most this many folders.
MAX_FOLDERS = 100_000
#: Bytes of the responses a command keeps until its tagged answer (FETCH streams hand
#: their rows on in batches and are not counted): RETAINED_BASE, plus
#: RETAINED_PER_MESSAGE per counted message, plus RETAINED_PER_FOLDER per folder for LIST.
RETAINED_BASE = 32 * 1024 * 1024
RETAINED_PER_MESSAGE = 128
RETAINED_PER_FOLDER = 512

_LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}\Z")


class TooMuchData(Exception):
    """The server sent more than a mail server would (see the bounds above).

    Deliberately not a ParseError: code that skips an unreadable row must never
    swallow it.
    """


_FETCH_RESPONSE = re.compile(rb"\* \d+ FETCH ", re.IGNORECASE)


def _literal_limit(buf: bytes, start: int) -> int:
    """Literal bytes the response at ``start`` may carry: message data only in a FETCH."""
    return MAX_LITERAL if _FETCH_RESPONSE.match(buf, start) is not None else MAX_SMALL_LITERAL


class Transport(Protocol):
    """A connected, already secure byte stream."""

    def send(self, data: bytes) -> None: ...

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        """Up to max_bytes; b"" at end of stream; raises TimeoutError after ``timeout``."""
        ...

    def close(self) -> None: ...


class SocketTransport:
    """Transport over a socket that someone else (imaplib) may have read from.

    imaplib reads through a BufferedReader (``file``); anything it buffered is
    taken over once, after which this object reads the socket directly. Timeouts
    use poll/select, so a timeout never leaves a half-read buffer behind.
    """

    #: Largest block one ``recv`` returns (the reused read buffer's size).
    BLOCK_MAX = 1 << 20

    def __init__(self, sock: socket.socket, file: Any | None = None, *, timeout: float = 60.0) -> None:
        self.sock = sock
        self._file = file
        self._leftover = self._drain(sock, file) if file is not None else b""
        self._block = bytearray()
        # A blocking socket with a timeout: a dead network ends a read with TimeoutError.
        sock.settimeout(timeout)

    @staticmethod
    def _drain(sock: socket.socket, file: Any) -> bytes:
        previous = sock.gettimeout()
        sock.setblocking(False)
        try:
            data = file.peek(65536)
        except (BlockingIOError, ssl.SSLWantReadError, InterruptedError):
            data = b""
        except (OSError, ValueError):
            data = b""
        finally:
            sock.settimeout(previous)
        if data:
            data = file.read1(len(data))
        return data or b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        if self._leftover:
            data, self._leftover = self._leftover, b""
            return data
        sock = self.sock
        is_tls = isinstance(sock, ssl.SSLSocket)
        pending = sock.pending() if is_tls else 0
        if not pending and timeout is not None:
            if not _wait_readable(sock, timeout):
                raise TimeoutError(f"no data within {timeout:.0f} s")
        # TLS hands out one record (<= 16 KiB) per read: take whatever else has
        # arrived too, so that a 50 MB FETCH is parsed in big blocks. The records
        # are read into one reused buffer (sock.recv(n) would allocate n bytes per
        # record) and copied out once.
        max_bytes = min(max_bytes, self.BLOCK_MAX)
        if len(self._block) < max_bytes:
            self._block = bytearray(max_bytes)
        view = memoryview(self._block)
        try:
            total = sock.recv_into(view, max_bytes)
            while total and total < max_bytes and ((is_tls and sock.pending()) or _wait_readable(sock, 0)):
                more = sock.recv_into(view[total:], max_bytes - total)
                if not more:
                    break  # end of stream: the next call reports it
                total += more
            return bytes(view[:total])
        finally:
            view.release()

    def close(self) -> None:
        # The reader holds a reference to the descriptor: close both.
        for closable in (self._file, self.sock):
            if closable is None:
                continue
            try:
                closable.close()
            except (OSError, ValueError):
                pass


def wire_from_session(session: Any, *, timeout: float = 60.0) -> "ImapWire":
    """Take over a logged-in ``net.imap_session.ImapSession`` (policy-checked, TLS verified).

    Uses the session's ``take_socket()`` hand-over; the session is unusable afterwards.
    """
    capabilities = session.capabilities()
    endpoint = session.endpoint
    sock, reader = session.take_socket()
    transport = SocketTransport(sock, reader, timeout=timeout)
    return ImapWire(
        transport, host=endpoint.host, port=endpoint.port, capabilities=capabilities, timeout=timeout
    )


def _wait_readable(sock: socket.socket, timeout: float) -> bool:
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(max(0.0, timeout) * 1000))
    readable, _, _ = select.select([sock], [], [], max(0.0, timeout))
    return bool(readable)


class Response(NamedTuple):
    """One complete server response: its text with literals cut out, and the literals."""

    line: bytes
    literals: list[bytes]


class ResponseReader:
    """Splits the byte stream into responses, bounded in size."""

    CHUNK = 1 << 18

    def __init__(self, transport: Transport, timeout: float | None = 60.0) -> None:
        self.transport = transport
        self.timeout = timeout
        self._buf = b""
        self._pos = 0
        self.bytes_read = 0
        #: Responses read ahead of the command they belong to (see :meth:`unread`).
        self._pushed_back: list[tuple[bytes, Sequence[bytes]]] = []
        # What the responses of the current command may still add up to (see budget()).
        self._responses_left = UNTAGGED_BASE
        self._bytes_left: int | None = RETAINED_BASE

    def budget(self, responses: int, retained_bytes: int | None) -> None:
        """Start counting a new command's responses: at most ``responses`` of them and
        ``retained_bytes`` bytes (None: not counted, for streams) before TooMuchData."""
        self._responses_left = responses
        self._bytes_left = retained_bytes

    def extend_budget(self, responses: int, retained_bytes: int) -> None:
        """More allowance for the current command (the folder turned out bigger)."""
        self._responses_left += responses
        if self._bytes_left is not None:
            self._bytes_left += retained_bytes

    def _spend(self, responses: int, size: int) -> None:
        self._responses_left -= responses
        if self._responses_left < 0:
            raise TooMuchData("more responses to one command than a mail server would send")
        if self._bytes_left is not None:
            self._bytes_left -= size
            if self._bytes_left < 0:
                raise TooMuchData("more response data for one command than a mail server would send")

    def unread(self, responses: Sequence[tuple[bytes, Sequence[bytes]]]) -> None:
        """Give back responses that followed a command's tagged answer (bulk reading
        may take them in the same block); the next read returns them first."""
        self._pushed_back[:0] = list(responses)

    def _fill(self, timeout: float | None = None) -> None:
        data = self.transport.recv(self.CHUNK, self.timeout if timeout is None else timeout)
        if not data:
            raise EOFError("connection closed by the server")
        self.bytes_read += len(data)
        if self._pos:
            self._buf = self._buf[self._pos :] + data
            self._pos = 0
        else:
            self._buf += data

    def buffered(self) -> int:
        return len(self._buf) - self._pos + (1 if self._pushed_back else 0)

    def _readline(self) -> bytes:
        while True:
            idx = self._buf.find(b"\r\n", self._pos)
            if idx >= 0:
                line = self._buf[self._pos : idx]
                self._pos = idx + 2
                return line
            if len(self._buf) - self._pos > MAX_LINE:
                raise TooMuchData(f"a response line longer than {MAX_LINE} bytes")
            self._fill()

    def _readexact(self, n: int) -> bytes:
        available = len(self._buf) - self._pos
        if available < n:
            # Collect big literals in parts (no quadratic re-copying of the buffer).
            parts = [self._buf[self._pos :]]
            have = available
            self._buf, self._pos = b"", 0
            while have < n:
                data = self.transport.recv(max(self.CHUNK, min(n - have, 1 << 22)), self.timeout)
                if not data:
                    raise EOFError("connection closed by the server")
                self.bytes_read += len(data)
                parts.append(data)
                have += len(data)
            joined = b"".join(parts)
            self._buf = joined[n:]
            return joined[:n]
        data = self._buf[self._pos : self._pos + n]
        self._pos += n
        return data

    def read_response(self) -> Response:
        """One response (a line plus the literals it announces)."""
        if self._pushed_back:
            line, literals = self._pushed_back.pop(0)
            self._spend(1, len(line) + sum(map(len, literals)))
            return Response(line, list(literals))
        line = self._readline()
        m = _LITERAL_AT_END.search(line)
        if m is None:
            self._spend(1, len(line))
            return Response(line, [])
        parts = [line]
        literals: list[bytes] = []
        limit = _literal_limit(line, 0)
        total = 0
        while m is not None:
            size = int(m.group(1))
            total += size
            if total > limit:
                raise TooMuchData(f"a literal of {size} bytes in {_excerpt(parts[0], 40)}")
            literals.append(self._readexact(size))
            line = self._readline()
            parts.append(line)
            m = _LITERAL_AT_END.search(line)
        response = Response(b"".join(parts), literals)
        self._spend(1, len(response.line) + total)
        return response

    def read_available(self) -> list[tuple[bytes, Sequence[bytes]]]:
        """Every complete response now in the buffer, as (line, literals); waits for
        data when there is not one complete response yet (one pass over the buffer).
        """
        if self._pushed_back:
            out, self._pushed_back = self._pushed_back, []
            self._spend(len(out), sum(len(line) + sum(map(len, lits)) for line, lits in out))
            return out
        out: list[tuple[bytes, Sequence[bytes]]] = []
        while True:
            buf = self._buf
            pos = start = self._pos
            end = len(buf)
            while True:
                parsed = self._one_response(buf, pos)
                if parsed is None:
                    break  # incomplete: wait for more data
                line, literals, pos = parsed
                out.append((line, literals))
            self._pos = pos
            if out:
                self._spend(len(out), pos - start)
                return out
            big = self._wait_for_more(end - pos)
            if big is not None:
                return [big]

    def _wait_for_more(self, pending: int) -> Response | None:
        """No complete response in the buffer: read more (or refuse an endless line).

        Returns the pending response when it announces a literal bigger than the
        buffer grows by (read in parts instead)."""
        if pending > MAX_LINE:
            raise TooMuchData(f"a response line longer than {MAX_LINE} bytes")
        if self._needs_big_read():
            return self.read_response()
        self._fill()
        return None

    def read_bulk(
        self,
        pattern: "re.Pattern[bytes]",
        build: Callable[["re.Match[bytes]", bytes | None], Any],
        rows: list[Any],
    ) -> list[tuple[bytes, Sequence[bytes]]]:
        """Like :meth:`read_available`, with a shortcut for the common FETCH row.

        At each response, ``pattern.match(buffer, pos)`` (:data:`SUMMARY_ROW_RE`) is
        tried first. A match must end where the response's line ends, or with the
        marker of a literal whose size is its group ``literal``; the literal must
        then end the response (``)\r\n``). For a match, ``build(match, literal)`` is
        called (``literal``: that literal, or None) and what it returns, unless None,
        is appended to ``rows``. Everything else — no match, ``build`` returned None, a cut-off or
        oversized literal — is returned as (line, literals) exactly as
        :meth:`read_available` would. Stops after a response that is not untagged
        (a command's answer), so nothing after it is taken as a row of this command.
        """
        if self._pushed_back:
            out, self._pushed_back = self._pushed_back, []
            self._spend(len(out), sum(len(line) + sum(map(len, lits)) for line, lits in out))
            return out
        out: list[tuple[bytes, Sequence[bytes]]] = []
        append_row = rows.append
        taken = len(rows)
        match = pattern.match
        literal_group = pattern.groupindex["literal"]
        while True:
            buf = self._buf
            pos = start = self._pos
            end = len(buf)
            stop = False
            while pos < end:
                m = match(buf, pos)
                if m is not None:
                    after = m.end()
                    size = m.group(literal_group)
                    if size is None:
                        row = build(m, None)
                        if row is not None:
                            append_row(row)
                            pos = after
                            continue
                    else:
                        n = int(size)
                        close = after + n
                        if n <= _BULK_LITERAL_MAX:
                            if close + 3 > end:
                                break  # the literal is not all here yet
                            if buf[close : close + 3] == b")\r\n":
                                row = build(m, buf[after:close])
                                if row is not None:
                                    append_row(row)
                                    pos = close + 3
                                    continue
                parsed = self._one_response(buf, pos)
                if parsed is None:
                    break  # incomplete: wait for more data
                line, literals, pos = parsed
                out.append((line, literals))
                if line[:1] != b"*":
                    stop = True
                    break
            self._pos = pos
            if out or len(rows) > taken or stop:
                # Rows a builder declined (None) are not counted: they come back in ``out``.
                self._spend(len(out) + len(rows) - taken, pos - start)
                return out
            big = self._wait_for_more(end - pos)
            if big is not None:
                return [big]

    def _one_response(self, buf: bytes, pos: int) -> tuple[bytes, Sequence[bytes], int] | None:
        """The response starting at ``pos`` if it is complete in ``buf``: (line, literals, end)."""
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        if eol > pos and buf[eol - 1] == 125:  # "}": perhaps a literal follows
            m = _LITERAL_AT_END.search(buf, max(pos, eol - 24), eol)
            if m is not None:
                return self._literal_response(buf, pos, m)
        return buf[pos:eol], (), eol + 2

    def _needs_big_read(self) -> bool:
        """The pending response announces a literal larger than the buffer grows by."""
        eol = self._buf.find(b"\r\n", self._pos)
        if eol < 0:
            return False
        m = _LITERAL_AT_END.search(self._buf, self._pos, eol)
        return m is not None and int(m.group(1)) > self.CHUNK

    @staticmethod
    def _literal_response(
        buf: bytes, start: int, m: re.Match[bytes]
    ) -> tuple[bytes, list[bytes], int] | None:
        """A response with literals entirely inside ``buf``, or None if it is cut off."""
        parts = []
        literals = []
        pos = start
        total = 0
        limit = _literal_limit(buf, start)
        while True:
            eol = m.end() if m is not None else -1
            size = int(m.group(1))  # type: ignore[union-attr]
            total += size
            if total > limit:
                raise TooMuchData(f"a literal of {size} bytes in {_excerpt(buf[start:eol], 40)}")
            parts.append(buf[pos:eol])
            data_start = eol + 2
            data_end = data_start + size
            if data_end > len(buf):
                return None
            literals.append(buf[data_start:data_end])
            pos = data_end
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                return None
            m = _LITERAL_AT_END.search(buf, max(pos, eol - 24), eol) if eol > pos and buf[eol - 1] == 125 else None
            if m is None:
                parts.append(buf[pos:eol])
                return b"".join(parts), literals, eol + 2

    def wait_readable(self, timeout: float) -> bool:
        """True when a response (or part of one) arrived within ``timeout`` seconds."""
        if self.buffered():
            return True
        try:
            self._fill(timeout)
        except TimeoutError:
            return False
        return True


class CommandResult(NamedTuple):
    status: str  # "OK" (NO/BAD raise)
    text: bytes  # tagged response text, e.g. b"[READ-WRITE] Select completed"
    untagged: list[Response]


class ImapCommandError(ServerError):
    """The server answered a command with NO or BAD."""

    code = "imap-no"
    default_message = QT_TRANSLATE_NOOP("Sync", "The server {host} could not carry out the request.")

    def __init__(self, host: str, command: str, status: str, text: bytes) -> None:
        code = response_code(text)
        #: RFC 5530 response code, e.g. "NONEXISTENT", "TRYCREATE", "ALREADYEXISTS".
        self.response_code = code[0] if code else None
        self.status = status
        super().__init__(
            detail=f"{command}: {status} {text[:200].decode('utf-8', 'replace')}",
            host=host,
        )


@dataclass
class FetchBatch:
    """Messages parsed from one part of a streaming FETCH."""

    messages: list[FetchedMessage]
    skipped: int = 0
    #: What ``row_builder`` made of the rows it took (see :meth:`ImapWire.fetch_stream`).
    rows: list[Any] = field(default_factory=list)


def quote_mailbox(name: str | bytes) -> bytes:
    """A folder name as an IMAP quoted string (modified UTF-7 for non-ASCII)."""
    wire = name if isinstance(name, bytes) else (b"INBOX" if name.upper() == "INBOX" else encode_mutf7(name))
    return b'"' + wire.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def quote_string(text: str) -> bytes:
    data = text.encode("utf-8")
    if b"\r" in data or b"\n" in data:
        raise ValueError("line breaks cannot be quoted")
    return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


FETCH_SUMMARY_ITEMS = "UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE"


class ImapWire:
    """Tagged IMAP commands over a transport, for one thread at a time.

    Unsolicited responses seen during any command (EXISTS, EXPUNGE, VANISHED,
    flag FETCHes) are appended to :attr:`events` for the sync code to apply.
    Errors: NetworkError for a dead connection or timeout, ImapCommandError
    for NO/BAD, ServerError(protocol-error) for an unreadable stream.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        host: str = "server",
        port: int = 993,
        capabilities: Iterable[str] = (),
        timeout: float = 60.0,
    ) -> None:
        self.transport = transport
        self.reader = ResponseReader(transport, timeout)
        self.host = host
        self.port = port
        self.capabilities: frozenset[str] = frozenset(c.upper() for c in capabilities)
        self.enabled: set[str] = set()
        self.events: list[Event] = []
        self.selected: str | None = None
        #: What the SELECT of the selected folder reported (None when none is selected).
        self.selected_info: SelectResult | None = None
        self._tags = itertools.count(1)
        self._idle_tag: bytes | None = None
        self.broken = False
        #: The largest folder size (EXISTS) announced on this connection, up to
        #: MAX_COUNTED_MESSAGES: what the bounds on responses per command grow with.
        self._counted_messages = 0

    # -- errors -----------------------------------------------------------------------
    def _network_error(self, exc: BaseException, during: str) -> NetworkError:
        self.broken = True
        return failures.from_os_error(exc, self.host, self.port, during)

    def _protocol_error(self, during: str, detail: str) -> ServerError:
        self.broken = True
        return failures.server_error(failures.PROTOCOL, self.host, self.port, f"{during}: {detail}")

    def _too_much(self, during: str, detail: str) -> ServerError:
        """The server went beyond a bound: end the connection (nothing more is read)."""
        self.broken = True
        log.warning("%s sent more than a mail server would during %s (%s); connection closed",
                    self.host, during, detail)
        try:
            self.transport.close()
        except OSError:
            pass
        return failures.too_much_data(self.host, self.port, f"{during}: {detail}")

    # -- bounds (see UNTAGGED_BASE and the others above) --------------------------------
    def _response_limit(self) -> int:
        return UNTAGGED_BASE + UNTAGGED_PER_MESSAGE * self._counted_messages

    def _begin(self, *, streamed: bool = False, folders: int = 0) -> None:
        """A command (or an IDLE wait) starts: bound what its responses may add up to."""
        self.reader.budget(
            self._response_limit() + 2 * folders,
            None if streamed
            else RETAINED_BASE + RETAINED_PER_MESSAGE * self._counted_messages + RETAINED_PER_FOLDER * folders,
        )

    def _folder_grew(self, count: int) -> None:
        counted = min(count, MAX_COUNTED_MESSAGES)
        if counted > self._counted_messages:
            more = counted - self._counted_messages
            self._counted_messages = counted
            self.reader.extend_budget(UNTAGGED_PER_MESSAGE * more, RETAINED_PER_MESSAGE * more)

    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities

    # -- the command loop -------------------------------------------------------------
    def _next_tag(self, *, streamed: bool = False, folders: int = 0) -> bytes:
        """The next command's tag; its responses are counted from here (see :meth:`_begin`)."""
        self._begin(streamed=streamed, folders=folders)
        return b"W%d" % next(self._tags)

    def _send(self, data: bytes, during: str) -> None:
        try:
            self.transport.send(data)
        except (OSError, EOFError) as exc:
            raise self._network_error(exc, during) from None

    def _read(self, during: str) -> Response:
        try:
            return self.reader.read_response()
        except (OSError, EOFError, TimeoutError) as exc:
            raise self._network_error(exc, during) from None
        except TooMuchData as exc:
            raise self._too_much(during, str(exc)) from None
        except ParseError as exc:
            raise self._protocol_error(during, str(exc)) from None

    def _handle_untagged(self, resp: Response, sink: list[Response] | None) -> None:
        line = resp.line
        if line[:5].upper() == b"* BYE":
            # BYE precedes the close; the tagged answer (if any) follows. Keep reading.
            log.info("Server said BYE: %s", _excerpt(line, 80))
            return
        try:
            event = parse_event(line, resp.literals)
        except ParseError as exc:
            log.warning("Unreadable unsolicited response skipped (%s): %s", exc, _excerpt(line))
            event = None
        if event is not None:
            if type(event) is Exists and event.count > self._counted_messages:
                self._folder_grew(event.count)
            if len(self.events) >= self._response_limit():
                raise self._too_much("unsolicited responses", f"more than {len(self.events)} changes not yet taken")
            self.events.append(event)
            if sink is not None and isinstance(event, FlagsChanged):
                sink.append(resp)
            return
        if line[:13].upper() == b"* OK [CLOSED]":
            # QRESYNC: everything before this belonged to the previously selected folder.
            self.events.clear()
        elif line[:13].upper() == b"* CAPABILITY ":
            self.capabilities = frozenset(line[13:].decode("ascii", "replace").upper().split())
        elif line[:5].upper() == b"* OK " or line[:5].upper() == b"* NO ":
            code = response_code(line)
            if code is not None and code[0] == "CAPABILITY":
                self.capabilities = frozenset(code[1].decode("ascii", "replace").upper().split())
        if sink is not None:
            sink.append(resp)

    def _check_usable(self, during: str) -> None:
        if self.broken:
            raise failures.network_error(
                failures.CONNECTION_CLOSED, self.host, self.port, f"{during}: connection already broken"
            )
        if self._idle_tag is not None:
            raise RuntimeError("command while IDLE")

    def command(self, command: bytes, *, during: str | None = None, folders: int = 0) -> CommandResult:
        """Send one command, collect its untagged responses, return on tagged OK.

        ``folders``: how many folders the answer may list (LIST), on top of the usual bounds.
        """
        self._check_usable(during or "command")
        label = during or command.split(b" ", 1)[0].decode("ascii", "replace")
        tag = self._next_tag(folders=folders)
        self._send(tag + b" " + command + b"\r\n", label)
        untagged: list[Response] = []
        return self._finish(tag, label, untagged)

    def _finish(self, tag: bytes, label: str, untagged: list[Response]) -> CommandResult:
        prefix = tag + b" "
        while True:
            resp = self._read(label)
            line = resp.line
            if line.startswith(prefix):
                parts = line.split(b" ", 2)
                status = parts[1].upper().decode("ascii", "replace") if len(parts) > 1 else "BAD"
                text = parts[2] if len(parts) > 2 else b""
                if status != "OK":
                    raise ImapCommandError(self.host, label, status, text)
                return CommandResult(status, text, untagged)
            if line.startswith(b"*"):
                self._handle_untagged(resp, untagged)
            elif line.startswith(b"+"):
                raise self._protocol_error(label, "unexpected continuation request")
            else:
                raise self._protocol_error(label, f"unexpected line {_excerpt(line, 60)}")

    def command_with_literal(self, head: bytes, literal: bytes, tail: bytes = b"", during: str = "") -> CommandResult:
        """A command carrying one literal (APPEND): waits for the continuation (or LITERAL+)."""
        tag = self._next_tag()
        label = during or head.split(b" ", 1)[0].decode("ascii", "replace")
        nonsync = self.has("LITERAL+")
        self._send(tag + b" " + head + b" {%d%s}\r\n" % (len(literal), b"+" if nonsync else b""), label)
        if not nonsync:
            while True:
                resp = self._read(label)
                if resp.line.startswith(b"+"):
                    break
                if resp.line.startswith(tag + b" "):
                    parts = resp.line.split(b" ", 2)
                    raise ImapCommandError(self.host, label, parts[1].decode("ascii", "replace"), parts[-1])
                self._handle_untagged(resp, None)
        self._send(literal + tail + b"\r\n", label)
        return self._finish(tag, label, [])

    # -- simple commands --------------------------------------------------------------------
    def capability(self) -> frozenset[str]:
        self.command(b"CAPABILITY")
        return self.capabilities

    def enable(self, *names: str) -> set[str]:
        """ENABLE (RFC 5161); returns what the server says it enabled."""
        if not self.has("ENABLE"):
            return set()
        result = self.command(b"ENABLE " + " ".join(names).encode("ascii"))
        for resp in result.untagged:
            if resp.line[:10].upper() == b"* ENABLED ":
                self.enabled.update(resp.line[10:].decode("ascii", "replace").upper().split())
        return set(self.enabled)

    def noop(self) -> list[Event]:
        """NOOP; returns (and clears) the events gathered so far."""
        self.command(b"NOOP")
        return self.take_events()

    def take_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events

    def logout(self) -> None:
        try:
            self.command(b"LOGOUT")
        except (NetworkError, ServerError):
            pass
        finally:
            self.transport.close()

    def close(self) -> None:
        self.transport.close()

    # -- folders ------------------------------------------------------------------------------
    def list_folders(self, *, with_status: bool = True) -> list[FolderListing]:
        """All folders, with SPECIAL-USE attributes and (LIST-STATUS) counts.

        ``RETURN (SPECIAL-USE)`` only where SPECIAL-USE is advertised (a plain
        LIST otherwise; attributes a server sends unasked are kept all the same);
        ``CHILDREN`` with LIST-EXTENDED, so \\HasChildren / \\HasNoChildren come.
        """
        status_items = "MESSAGES UNSEEN UIDNEXT UIDVALIDITY"
        if self.has("CONDSTORE") or self.has("QRESYNC"):
            status_items += " HIGHESTMODSEQ"
        returns = []
        if self.has("LIST-EXTENDED"):
            returns += ["SUBSCRIBED", "CHILDREN"]
        if self.has("SPECIAL-USE"):
            returns.append("SPECIAL-USE")
        if with_status and self.has("LIST-STATUS"):
            returns.append(f"STATUS ({status_items})")
        cmd = b'LIST "" "*"'
        if returns and (self.has("LIST-EXTENDED") or self.has("LIST-STATUS")):
            cmd += b" RETURN (" + " ".join(returns).encode("ascii") + b")"
        result = self._folder_listing(cmd, "LIST")
        folders: list[FolderListing] = []
        statuses: dict[bytes, dict[str, int]] = {}
        for resp in result.untagged:
            kind = resp.line[:9].upper()
            try:
                if kind.startswith(b"* LIST "):
                    folders.append(parse_list(resp.line, resp.literals))
                elif kind.startswith(b"* STATUS "):
                    name, values = parse_status(resp.line, resp.literals)
                    statuses[name] = values
            except (ParseError, ValueError, TypeError, IndexError) as exc:
                log.warning("Unreadable LIST/STATUS response skipped (%s): %s", exc, _excerpt(resp.line))
        for folder in folders:
            values = statuses.get(folder.wire_name)
            if values is None and folder.wire_name.upper() == b"INBOX":
                values = next((v for k, v in statuses.items() if k.upper() == b"INBOX"), None)
            if values:
                folder.status.update(values)
        return folders

    def xlist_folders(self) -> list[FolderListing]:
        """``XLIST "" "*"`` (Gmail's and Zimbra's special folders before RFC 6154).

        Attributes as the server spells them (``\\spam``, ``\\allmail`` ...);
        ``core.folder_roles.xlist_attributes`` gives their RFC 6154 names. Some
        servers (Dovecot) answer XLIST with ``* LIST`` lines: those count too.
        """
        result = self._folder_listing(b'XLIST "" "*"', "XLIST")
        folders: list[FolderListing] = []
        for resp in result.untagged:
            if resp.line[:8].upper() == b"* XLIST " or resp.line[:7].upper() == b"* LIST ":
                try:
                    folders.append(parse_list(resp.line, resp.literals))
                except (ParseError, ValueError, TypeError, IndexError) as exc:
                    log.warning("Unreadable XLIST response skipped (%s): %s", exc, _excerpt(resp.line))
        return folders

    def _folder_listing(self, cmd: bytes, verb: str) -> CommandResult:
        """LIST/XLIST: room for MAX_FOLDERS folders (and their STATUS), and no more."""
        result = self.command(cmd, during=verb, folders=MAX_FOLDERS)
        # XLIST is answered with * XLIST lines, or * LIST lines (Dovecot): count both.
        listed = sum(1 for resp in result.untagged if resp.line[:7].upper() in (b"* LIST ", b"* XLIST"))
        if listed > MAX_FOLDERS:
            raise self._too_much(verb, f"more than {MAX_FOLDERS} folders")
        return result

    def status(self, folder: str | bytes, items: str = "MESSAGES UNSEEN UIDNEXT UIDVALIDITY") -> dict[str, int]:
        result = self.command(b"STATUS " + quote_mailbox(folder) + b" (" + items.encode("ascii") + b")")
        for resp in result.untagged:
            if resp.line[:9].upper() == b"* STATUS ":
                try:
                    return parse_status(resp.line, resp.literals)[1]
                except ParseError as exc:
                    raise self._protocol_error("STATUS", str(exc)) from None
        return {}

    def create(self, folder: str | bytes, *, special_use: str | None = None) -> None:
        """CREATE; with ``special_use`` (``"\\Trash"``) as ``(USE (...))`` where the
        server offers CREATE-SPECIAL-USE (RFC 6154), else a plain CREATE."""
        cmd = b"CREATE " + quote_mailbox(folder)
        if special_use and self.has("CREATE-SPECIAL-USE"):
            if not re.fullmatch(r"\\[A-Za-z]+", special_use):
                raise ValueError(f"not a special-use attribute: {special_use!r}")
            cmd += b" (USE (" + special_use.encode("ascii") + b"))"
        self.command(cmd, during="CREATE")

    def delete(self, folder: str | bytes) -> None:
        self.command(b"DELETE " + quote_mailbox(folder))

    def subscribe(self, folder: str | bytes) -> None:
        self.command(b"SUBSCRIBE " + quote_mailbox(folder))

    # -- selecting ---------------------------------------------------------------------------
    def select(
        self,
        folder: str | bytes,
        *,
        readonly: bool = False,
        qresync: tuple[int, int] | None = None,
        condstore: bool = False,
    ) -> SelectResult:
        """SELECT/EXAMINE; ``qresync=(uidvalidity, modseq)`` asks for changes since then.

        QRESYNC must have been ENABLEd; the caller checks that the returned
        UIDVALIDITY equals the one it passed before trusting ``vanished``/``changed``.
        """
        verb = b"EXAMINE " if readonly else b"SELECT "
        cmd = verb + quote_mailbox(folder)
        use_qresync = qresync is not None and "QRESYNC" in self.enabled
        if use_qresync:
            assert qresync is not None
            cmd += b" (QRESYNC (%d %d))" % qresync
        elif condstore and self.has("CONDSTORE"):
            cmd += b" (CONDSTORE)"
        self.selected = None
        self.selected_info = None
        self.events.clear()
        name = folder if isinstance(folder, str) else decode_mutf7(folder)
        result = self.command(cmd, during="SELECT")
        info = SelectResult(folder=name, qresync_used=use_qresync)
        for resp in result.untagged:
            line = resp.line
            upper = line[:16].upper()
            try:
                if upper.startswith(b"* OK ["):
                    code = response_code(line)
                    if code is None:
                        continue
                    key, value = code
                    if key == "UIDVALIDITY":
                        info.uidvalidity = int(value)
                    elif key == "UIDNEXT":
                        info.uidnext = int(value)
                    elif key == "HIGHESTMODSEQ":
                        info.highest_modseq = int(value)
                    elif key == "NOMODSEQ":
                        info.highest_modseq = None
                    elif key == "PERMANENTFLAGS":
                        info.permanent_flags = tuple(value.strip(b"()").decode("utf-8", "replace").split())
                elif upper.startswith(b"* FLAGS "):
                    info.flags = tuple(line[8:].strip(b"()").decode("utf-8", "replace").split())
            except ValueError as exc:
                log.warning("Unreadable SELECT response skipped (%s): %s", exc, _excerpt(line))
        # EXISTS, VANISHED (EARLIER) and FETCH arrived as events.
        for event in self.take_events():
            if isinstance(event, Exists):
                info.exists = event.count
            elif isinstance(event, Vanished):
                info.vanished.append(event.uid_set)
            elif isinstance(event, FlagsChanged):
                info.changed.append(
                    FetchedMessage(event.seq, event.uid, event.flags, None, None, event.modseq, None)
                )
            elif isinstance(event, ModseqChanged):
                info.highest_modseq = event.highest_modseq
        code = response_code(result.text)
        info.read_only = readonly or (code is not None and code[0] == "READ-ONLY")
        self.selected = name
        self.selected_info = info
        return info

    def unselect(self) -> None:
        if self.selected is None:
            return
        if self.has("UNSELECT"):
            self.command(b"UNSELECT")
        else:
            self.command(b"CLOSE")
        self.selected = None
        self.selected_info = None

    # -- searching ---------------------------------------------------------------------------
    def uid_search(self, criteria: str = "ALL") -> SearchResult:
        """UID SEARCH, compact (ESEARCH) when the server can."""
        if self.has("ESEARCH"):
            result = self.command(b"UID SEARCH RETURN (ALL COUNT) " + criteria.encode("ascii"), during="SEARCH")
            for resp in result.untagged:
                if resp.line[:10].upper() == b"* ESEARCH ":
                    try:
                        return parse_esearch(resp.line)
                    except (ParseError, ValueError) as exc:
                        raise self._protocol_error("SEARCH", str(exc)) from None
            return SearchResult("", 0)
        result = self.command(b"UID SEARCH " + criteria.encode("ascii"), during="SEARCH")
        numbers: list[int] = []
        modseq = None
        for resp in result.untagged:
            if resp.line[:9].upper() == b"* SEARCH ":
                try:
                    found, modseq = parse_search(resp.line)
                except (ParseError, ValueError) as exc:
                    raise self._protocol_error("SEARCH", str(exc)) from None
                numbers.extend(found)
        if not numbers:
            return SearchResult("", 0, modseq)
        return SearchResult(format_sequence_set(numbers), len(set(numbers)), modseq)

    # -- fetching -------------------------------------------------------------------------------
    def fetch_stream(
        self,
        uid_set: str,
        items: str = FETCH_SUMMARY_ITEMS,
        *,
        changedsince: int | None = None,
        vanished: bool = False,
        batch_size: int = 1000,
        on_skip: Callable[[bytes, str], None] | None = None,
        row_builder: Callable[["re.Match[bytes]", bytes | None], Any] | None = None,
    ) -> Iterator[FetchBatch]:
        """``UID FETCH uid_set (items)`` yielding parsed messages in batches as they arrive.

        The caller must consume the iterator to the end (the connection is in
        the middle of a response until then). Rows that do not parse are skipped
        with a warning and counted in ``FetchBatch.skipped``. With ``vanished``
        (QRESYNC), VANISHED (EARLIER) responses go to :attr:`events`.
        ``row_builder(match, literal)`` is offered each row in the common layout
        first, as a :data:`SUMMARY_ROW_RE` match in the read buffer (see
        :meth:`ResponseReader.read_bulk`): what it returns (not None) goes to
        ``FetchBatch.rows`` and the row is not parsed here; on None, and for rows
        in any other layout, the usual path (the bulk sync's shortcut).
        """
        self._check_usable("FETCH")
        modifiers = []
        if changedsince is not None:
            modifiers.append(f"CHANGEDSINCE {changedsince}")
            if vanished and "QRESYNC" in self.enabled:
                modifiers.append("VANISHED")
        cmd = f"UID FETCH {uid_set} ({items})"
        if modifiers:
            cmd += " (" + " ".join(modifiers) + ")"
        tag = self._next_tag(streamed=True)
        self._send(tag + b" " + cmd.encode("ascii") + b"\r\n", "FETCH")
        finished = [False]  # set by _fetch_responses once the tagged answer is read
        try:
            yield from self._fetch_responses(tag, batch_size, on_skip, finished, row_builder)
        finally:
            if not finished[0] and not self.broken:
                # The consumer stopped early: read the rest so the connection stays usable.
                try:
                    self._discard_fetch(tag)
                except Exception:  # noqa: BLE001 - whatever it was, this connection is done
                    self.broken = True

    def _discard_fetch(self, tag: bytes) -> None:
        prefix = tag + b" "
        while True:
            resp = self._read("FETCH")
            if resp.line.startswith(prefix):
                return
            if resp.line.startswith(b"*") and b" FETCH (" not in resp.line[:32]:
                self._handle_untagged(resp, None)

    def _fetch_responses(
        self,
        tag: bytes,
        batch_size: int,
        on_skip: Callable[[bytes, str], None] | None,
        finished: list[bool],
        row_builder: Callable[["re.Match[bytes]", bytes | None], Any] | None = None,
    ) -> Iterator[FetchBatch]:
        prefix = tag + b" "
        batch: list[FetchedMessage] = []
        rows: list[Any] = []
        skipped = 0
        logged = False
        reader = self.reader
        while True:
            try:
                if row_builder is not None:
                    responses = reader.read_bulk(SUMMARY_ROW_RE, row_builder, rows)
                else:
                    responses = reader.read_available()
            except (OSError, EOFError, TimeoutError) as exc:
                raise self._network_error(exc, "FETCH") from None
            except TooMuchData as exc:
                raise self._too_much("FETCH", str(exc)) from None
            except ParseError as exc:
                raise self._protocol_error("FETCH", str(exc)) from None
            done = False
            for index, (line, literals) in enumerate(responses):
                if line[:2] == b"* " and b" FETCH (" in line[:32]:
                    try:
                        batch.append(parse_fetch(line, literals))
                    except (ParseError, ValueError, IndexError, TypeError) as exc:
                        skipped += 1
                        if not logged:  # once per FETCH: a server answers its rows alike
                            logged = True
                            log.warning("FETCH row skipped (%s; more are only counted): %s", exc, _shape(line))
                        else:
                            log.debug("FETCH row skipped (%s)", exc)
                        if on_skip is not None:
                            on_skip(line, str(exc))
                elif line.startswith(prefix):
                    parts = line.split(b" ", 2)
                    status = parts[1].upper().decode("ascii", "replace") if len(parts) > 1 else "BAD"
                    if status != "OK":
                        raise ImapCommandError(self.host, "FETCH", status, parts[2] if len(parts) > 2 else b"")
                    done = True
                    reader.unread(responses[index + 1 :])  # they belong to what comes next
                    break
                elif line.startswith(b"*"):
                    self._handle_untagged(Response(line, literals), None)
                else:
                    raise self._protocol_error("FETCH", f"unexpected line {_excerpt(line, 60)}")
            if done:
                finished[0] = True  # a consumer stopping at the last batch needs no draining
                if batch or skipped or rows:
                    yield FetchBatch(batch, skipped, rows)
                return
            if len(batch) + len(rows) >= batch_size:
                yield FetchBatch(batch, skipped, rows)
                batch = []
                rows = []
                skipped = 0

    def fetch(self, uid_set: str, items: str = FETCH_SUMMARY_ITEMS, **kwargs: Any) -> list[FetchedMessage]:
        """Whole FETCH into one list (small sets)."""
        result: list[FetchedMessage] = []
        for batch in self.fetch_stream(uid_set, items, **kwargs):
            result.extend(batch.messages)
        return result

    def read_fetch_raw(self, command: bytes) -> int:
        """Send a command and read its answer to the end without parsing (the wire floor).

        Returns the number of bytes received. Only for measurements.
        """
        tag = self._next_tag()
        self._send(tag + b" " + command + b"\r\n", "FETCH")
        end = b"\r\n" + tag + b" "
        total = 0
        tail = b""
        reader = self.reader
        leftover = reader._buf[reader._pos :]
        reader._buf, reader._pos = b"", 0
        chunk = leftover
        while True:
            if chunk:
                total += len(chunk)
                window = tail + chunk
                idx = window.find(end)
                if idx >= 0 and window.find(b"\r\n", idx + 2) >= 0:
                    return total
                tail = window[-256:]
            try:
                chunk = self.transport.recv(1 << 20, self.reader.timeout)
            except (OSError, TimeoutError) as exc:
                raise self._network_error(exc, "FETCH") from None
            if not chunk:
                raise self._network_error(EOFError("closed"), "FETCH")

    # -- changing ------------------------------------------------------------------------------
    def store_flags(
        self,
        uid_set: str,
        mode: str,
        flags: Sequence[str],
        *,
        unchangedsince: int | None = None,
    ) -> tuple[list[FetchedMessage], str]:
        """``UID STORE uid_set (+|-)FLAGS.SILENT (...)``.

        Returns (FETCH responses the server sent, MODIFIED uid set or "").
        """
        if mode not in ("+", "-", ""):
            raise ValueError("mode must be '+', '-' or ''")
        cmd = f"UID STORE {uid_set}"
        if unchangedsince is not None and self.has("CONDSTORE"):
            cmd += f" (UNCHANGEDSINCE {unchangedsince})"
        cmd += f" {mode}FLAGS.SILENT ({' '.join(flags)})"
        result = self.command(cmd.encode("utf-8"), during="STORE")
        changed = []
        for resp in result.untagged:
            if b" FETCH " in resp.line[:24]:
                try:
                    changed.append(parse_fetch(resp.line, resp.literals))
                except ParseError as exc:
                    log.warning("STORE answer skipped (%s): %s", exc, _excerpt(resp.line))
        code = response_code(result.text)
        modified = code[1].decode("ascii") if code and code[0] == "MODIFIED" else ""
        return changed, modified

    def uid_copy(self, uid_set: str, destination: str | bytes) -> dict[int, int]:
        """UID COPY; returns {old uid: new uid} when the server has UIDPLUS."""
        result = self.command(b"UID COPY " + uid_set.encode("ascii") + b" " + quote_mailbox(destination), during="COPY")
        return _copyuid_map(result.text)

    def uid_move(self, uid_set: str, destination: str | bytes) -> dict[int, int]:
        """UID MOVE (RFC 6851), else COPY + \\Deleted + UID EXPUNGE (or EXPUNGE)."""
        if self.has("MOVE"):
            result = self.command(
                b"UID MOVE " + uid_set.encode("ascii") + b" " + quote_mailbox(destination), during="MOVE"
            )
            mapping = _copyuid_map(result.text)
            if not mapping:
                for resp in result.untagged:
                    if resp.line[:6].upper() == b"* OK [":
                        mapping = _copyuid_map(resp.line)
                        if mapping:
                            break
            return mapping
        mapping = self.uid_copy(uid_set, destination)
        self.store_flags(uid_set, "+", ["\\Deleted"])
        self.uid_expunge(uid_set)
        return mapping

    def uid_expunge(self, uid_set: str) -> None:
        """Remove the \\Deleted messages among ``uid_set``, and no others.

        With UIDPLUS that is ``UID EXPUNGE``. Without it a plain EXPUNGE would
        also erase messages marked \\Deleted elsewhere (by another mail program,
        waiting to be expunged there): those are unmarked for the EXPUNGE and
        marked again after it (a dropped connection in between leaves them
        unmarked, never erased).
        """
        if self.has("UIDPLUS"):
            self.command(b"UID EXPUNGE " + uid_set.encode("ascii"), during="EXPUNGE")
            return
        ours = set(parse_sequence_set(uid_set))
        others = [uid for uid in self.uid_search("DELETED").numbers() if uid not in ours]
        spared = format_sequence_set(others) if others else ""
        if others:
            self.store_flags(spared, "-", ["\\Deleted"])
        self.command(b"EXPUNGE")
        if others:
            self.store_flags(spared, "+", ["\\Deleted"])

    def append(self, folder: str | bytes, message: bytes, flags: Sequence[str] = (), date: str | None = None) -> int | None:
        """APPEND; returns the new UID when the server has UIDPLUS."""
        head = b"APPEND " + quote_mailbox(folder)
        if flags:
            head += b" (" + " ".join(flags).encode("utf-8") + b")"
        if date:
            head += b' "' + date.encode("ascii") + b'"'
        result = self.command_with_literal(head, message, during="APPEND")
        code = response_code(result.text)
        if code and code[0] == "APPENDUID":
            parts = code[1].split()
            if len(parts) == 2 and parts[1].isdigit():
                return int(parts[1])
        return None

    # -- IDLE -----------------------------------------------------------------------------------
    def idle_start(self) -> None:
        """Enter IDLE (RFC 2177); events then arrive through :meth:`idle_wait`."""
        tag = self._next_tag()
        self._send(tag + b" IDLE\r\n", "IDLE")
        while True:
            resp = self._read("IDLE")
            if resp.line.startswith(b"+"):
                break
            if resp.line.startswith(tag + b" "):
                parts = resp.line.split(b" ", 2)
                raise ImapCommandError(self.host, "IDLE", parts[1].decode("ascii", "replace"), parts[-1])
            self._handle_untagged(resp, None)
        self._idle_tag = tag

    def idle_wait(self, timeout: float) -> list[Event]:
        """Wait up to ``timeout`` seconds for events in IDLE; [] when nothing happened."""
        if self._idle_tag is None:
            raise RuntimeError("not in IDLE")
        self._begin()  # each wait may bring what one command may
        try:
            if not self.reader.wait_readable(timeout):
                return self.take_events()
        except (OSError, EOFError) as exc:
            raise self._network_error(exc, "IDLE") from None
        deadline = time.monotonic() + 0.05
        while True:
            resp = self._read("IDLE")
            if resp.line.startswith(b"*"):
                self._handle_untagged(resp, None)
            elif resp.line.startswith(self._idle_tag + b" "):
                # The server ended IDLE by itself (e.g. shutting down).
                self._idle_tag = None
                raise self._network_error(EOFError("IDLE ended by the server"), "IDLE")
            # Gather what arrives together (EXISTS then FETCH) before returning.
            if not self.reader.buffered():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    if not self.reader.wait_readable(remaining):
                        break
                except (OSError, EOFError) as exc:
                    raise self._network_error(exc, "IDLE") from None
        return self.take_events()

    def idle_done(self) -> list[Event]:
        """Leave IDLE; returns any events that arrived meanwhile."""
        tag, self._idle_tag = self._idle_tag, None
        if tag is None:
            return self.take_events()
        self._send(b"DONE\r\n", "IDLE")
        self._begin()
        self._finish(tag, "IDLE", [])
        return self.take_events()


_COPYUID = re.compile(rb"\[COPYUID (\d+) ([0-9:,]+) ([0-9:,]+)\]", re.IGNORECASE)


def _copyuid_map(text: bytes) -> dict[int, int]:
    m = _COPYUID.search(text)
    if m is None:
        return {}
    try:
        old = parse_sequence_set(m.group(2))
        new = parse_sequence_set(m.group(3))
    except (ParseError, ValueError):
        return {}
    # RFC 4315: both sets are in the same order; ranges are ascending here.
    if len(old) != len(new):
        return {}
    return dict(zip(old, new))
