"""Header text on the IMAP wire: RFC 2047 encoded words, charset labels, modified
UTF-7 folder names (RFC 3501 5.1.3) and dates (INTERNALDATE, RFC 5322 Date).

Thai legacy charsets are aliased to cp874 (windows-874, x-windows-874, tis-620,
iso-8859-11); raw 8-bit text is guessed as UTF-8, else cp874. Nothing here raises
on bad input.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import functools
import logging
import re

log = logging.getLogger(__name__)


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


def message_id_text(raw: bytes, message_id: bool) -> str:
    """Message-ID (``message_id``) or In-Reply-To text of a header value: 8-bit bytes
    guessed as UTF-8 then cp874, folding and runs of blanks as one space. A Message-ID
    of plain ASCII without a space (nearly all of them) is taken as it is."""
    if not raw:
        return ""
    if message_id and raw.isascii() and b" " not in raw:
        return raw.decode("ascii")
    text = raw.decode("ascii") if raw.isascii() else guess_decode(raw)
    return " ".join(text.split())


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
