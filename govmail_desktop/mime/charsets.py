"""Header text: charset labels, RFC 2047 encoded words, RFC 2231 parameter values, folding.

The one decoder of header text: the message list (the header sync, ``sync/rows.py``
and ``sync/convert.py``), the preview (``mime/parse.py``) and the IMAP layer all
call these functions, so a subject or a name reads the same everywhere.

* **Charset labels** (:func:`codec_for`). Every label of Thai single-byte text
  (TIS-620, ISO-8859-11, windows-874 in all their spellings) is decoded as
  ``cp874``, the superset Windows and Outlook really write: Outlook labels
  windows-874 bytes (curly quotes 0x93/0x94, ellipsis 0x85) ``tis-620``. ISO
  labels whose Windows code page is a superset are decoded with that code page,
  as browsers do (WHATWG Encoding): Latin-1 as windows-1252, Latin-5 as
  windows-1254, GB2312/GBK as GB18030, EUC-KR as windows-949, Shift_JIS as
  windows-31J. Labels that say nothing (``us-ascii``, ``unknown-8bit``) and
  unknown labels leave the bytes to :func:`guess_decode`.
* **Unlabelled 8-bit text** (:func:`guess_decode`): UTF-8 when it is valid
  UTF-8, else cp874 (this is a Thai client).
* **Encoded words** (:func:`decode_header`): adjacent words in one charset are
  joined before decoding (senders split multi-byte characters across words),
  blanks between encoded words are dropped (RFC 2047 section 6.2), a word that
  does not decode is kept as written. Never raises.
* **Folding** (:func:`unfold`): the one unfolding of a header value, for the
  header sync's fetched fields, the address parser and the decoder.

No Qt, no network, no disk.
"""

from __future__ import annotations

import binascii
import codecs
import re
from typing import AnyStr

#: Bytes of one (unfolded) header value that are decoded; the rest is not looked at.
MAX_HEADER_CHARS = 16 * 1024

# -- charset labels ------------------------------------------------------------------

#: Every label of Thai single-byte text, in the normalised form :func:`label_key`
#: gives (lower case, letters and digits only): IANA, WHATWG, Java, IBM, X11 and
#: Windows spellings of TIS-620, ISO-8859-11 and windows-874. All are decoded as
#: cp874, a superset of each of them.
THAI_CHARSETS = frozenset(
    {
        # TIS-620 (TIS 620-2533; the X11 registry's tis620.2533-0 / -1, tis620.2529-1)
        "tis620", "tis6200", "tis6201", "tis6202533", "tis62025330", "tis62025331", "tis62025291",
        "xtis620", "cstis620", "isoir166", "thai",
        # ISO-8859-11
        "iso885911", "iso8859112001", "xiso885911", "csiso885911",
        # windows-874 and its relatives
        "windows874", "xwindows874", "cp874", "xcp874", "ms874", "xms874", "ibm874", "xibm874",
        "dos874", "874", "cswindows874",
    }
)

#: Labels that say nothing about the bytes: the text is guessed (:func:`guess_decode`).
GUESS_LABELS = frozenset(
    {"", "unknown", "unknown8bit", "xunknown", "usascii", "ascii", "ansix341968", "default", "us", "csascii"}
)

#: The code page browsers decode in place of a label's own charset (WHATWG Encoding),
#: keyed by :func:`label_key`: the windows-125x supersets of their ISO charsets and the
#: East Asian supersets mail programs really write.
SUPERSETS = {
    # windows-1252 for Latin-1
    "iso88591": "cp1252", "latin1": "cp1252", "l1": "cp1252", "isoir100": "cp1252", "iso885911987": "cp1252",
    "csisolatin1": "cp1252", "ibm819": "cp1252", "cp819": "cp1252", "xcp1252": "cp1252",
    # windows-1254 for Latin-5 (Turkish)
    "iso88599": "cp1254", "latin5": "cp1254", "l5": "cp1254", "isoir148": "cp1254", "iso885991989": "cp1254",
    "csisolatin5": "cp1254", "xcp1254": "cp1254",
    # East Asian
    "gb2312": "gb18030", "gbk": "gb18030", "xgbk": "gb18030", "csgb2312": "gb18030", "chinese": "gb18030",
    "gb231280": "gb18030", "isoir58": "gb18030",
    "ksc56011987": "cp949", "euckr": "cp949", "cseuckr": "cp949", "ksc5601": "cp949",
    "isoir149": "cp949", "korean": "cp949", "windows949": "cp949",
    "shiftjis": "cp932", "xsjis": "cp932", "sjis": "cp932", "msknaji": "cp932", "mskanji": "cp932",
    "csshiftjis": "cp932", "windows31j": "cp932",
    # Hebrew, visual/logical order marks on the label only
    "iso88598i": "iso8859-8", "iso88598e": "iso8859-8", "iso88596i": "iso8859-6", "iso88596e": "iso8859-6",
    "utf8": "utf-8", "unicode11utf8": "utf-8",
}

_NOT_LABEL_CHARS = re.compile(r"[^0-9a-z]+")


def label_key(charset: str) -> str:
    """A charset label compared by its letters and digits: ``"TIS_620-0"`` -> ``"tis6200"``
    (quotes, an RFC 2231 language suffix ``*th`` and punctuation dropped)."""
    label = charset.strip().strip("\"'").lower().split("*", 1)[0]
    return _NOT_LABEL_CHARS.sub("", label)


def codec_for(charset: str | bytes | None) -> str | None:
    """The Python text codec for a MIME charset label; None when absent, unknown or
    a label that says nothing (then the bytes are guessed, :func:`guess_decode`)."""
    if not charset:
        return None
    if isinstance(charset, bytes):
        charset = charset.decode("ascii", "replace")
    key = label_key(charset)
    if key in THAI_CHARSETS:
        return "cp874"
    if key in GUESS_LABELS:
        return None
    name = SUPERSETS.get(key)
    if name is None:
        name = charset.strip().strip("\"'").lower().split("*", 1)[0]
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    # Never let a label pick a codec that is not a text encoding (base64, zlib, rot13).
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def guess_decode(raw: bytes) -> str:
    """Text of unlabelled 8-bit bytes: ASCII, else UTF-8 when valid, else Thai Windows (cp874)."""
    if raw.isascii():
        return raw.decode("ascii")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp874", "replace")


def decode_bytes(raw: bytes, charset: str | bytes | None) -> str:
    """Text of ``raw`` in the charset a label names; unknown labels leave it to :func:`guess_decode`."""
    codec = codec_for(charset)
    if codec is None:
        return guess_decode(raw)
    try:
        return raw.decode(codec, "replace")
    except LookupError:  # pragma: no cover - codec_for looked it up
        return guess_decode(raw)


# -- folding ---------------------------------------------------------------------------

_FOLD_B = re.compile(rb"\r?\n[ \t]+")
_FOLD_S = re.compile(r"\r?\n[ \t]+")


def unfold(value: AnyStr) -> AnyStr:
    """A header value on one line: each line break with the blanks after it becomes one
    space (RFC 5322 section 2.2.3). The header sync's fetched fields, the address parser
    and :func:`decode_header` all unfold with this."""
    if isinstance(value, bytes):
        return _FOLD_B.sub(b" ", value) if b"\n" in value else value
    return _FOLD_S.sub(" ", value) if "\n" in value else value


def to_bytes(value: str) -> bytes:
    """A header string back to its bytes: the 8-bit bytes a byte parser kept as
    surrogates (``surrogateescape``) come back as they were; real text is UTF-8."""
    try:
        return value.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape")


# -- RFC 2047 encoded words ------------------------------------------------------------

_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=")
_BLANK = re.compile(rb"[ \t\r\n]*\Z")


def _word_bytes(encoding: bytes, text: bytes) -> bytes | None:
    """The bytes of one encoded word's payload; None when it does not decode."""
    try:
        if encoding in (b"B", b"b"):
            text = text.strip()
            return binascii.a2b_base64(text + b"=" * (-len(text) % 4))
        return binascii.a2b_qp(text, header=True)
    except (binascii.Error, ValueError):
        return None


def decode_header(raw: bytes | str | None, limit: int = MAX_HEADER_CHARS) -> str:
    """Decoded text of a header value (subject, display name, file name).

    Folding is unfolded; RFC 2047 encoded words are decoded (adjacent ones in one
    charset joined first, so a Thai character split across two words survives;
    blanks between encoded words dropped; a word that does not decode kept as
    written); raw 8-bit bytes between them are guessed (UTF-8, else cp874). Control
    characters an encoded word carries (a line break, NUL) are left to the display,
    which removes them (``parse.clean_display_text``, ``store.keys.one_line``).
    Accepts the bytes of a fetched field or a parsed header string (8-bit bytes as
    surrogates); at most ``limit`` bytes of the unfolded value are read. Never raises.
    """
    if not raw:
        return ""
    if isinstance(raw, str):
        raw = to_bytes(raw)
    raw = unfold(raw)
    if len(raw) > limit:
        raw = raw[:limit]
    if b"=?" not in raw:
        return raw.decode("ascii") if raw.isascii() else guess_decode(raw)
    return _decode_encoded_words(raw)


def _decode_encoded_words(raw: bytes) -> str:
    single = _ENCODED_WORD.fullmatch(raw)
    if single is not None:  # the whole value is one encoded word (the common case)
        data = _word_bytes(single.group(2), single.group(3))
        if data is not None:
            return decode_bytes(data, single.group(1))
    parts: list[str] = []
    pending = bytearray()
    pending_charset: bytes | None = None
    pos = 0

    def flush() -> None:
        nonlocal pending_charset
        if pending_charset is not None:
            parts.append(decode_bytes(bytes(pending), pending_charset))
            pending.clear()
            pending_charset = None

    for match in _ENCODED_WORD.finditer(raw):
        gap = raw[pos : match.start()]
        if gap and not (pending_charset is not None and _BLANK.match(gap)):
            flush()
            parts.append(gap.decode("ascii") if gap.isascii() else guess_decode(gap))
        charset, encoding, text = match.groups()
        data = _word_bytes(encoding, text)
        if data is None:
            flush()
            parts.append(match.group(0).decode("ascii", "replace"))
        else:
            key = charset.lower().split(b"*", 1)[0]
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


# -- RFC 2231 parameter values ------------------------------------------------------------


def decode_param(value: str | tuple[str | None, str | None, str] | None) -> str:
    """A MIME parameter's text (a file name): an RFC 2231 value as the ``email``
    package returns it (``(charset, language, %-decoded text)``) decoded with
    :func:`decode_bytes` (the same charset table as every header), or a plain value
    with its RFC 2047 words decoded (which mailers put in ``name=`` parameters)."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        charset, _language, text = value
        # The email package %-decodes RFC 2231 values to one character per byte
        # (8-bit bytes it kept as surrogates).
        try:
            data = text.encode("latin-1", "surrogateescape")
        except UnicodeEncodeError:  # real text, not bytes
            data = text.encode("utf-8", "surrogateescape")
        if not charset:
            return decode_header(data)
        return decode_bytes(data, charset)
    return decode_header(value)


__all__ = [
    "GUESS_LABELS",
    "MAX_HEADER_CHARS",
    "SUPERSETS",
    "THAI_CHARSETS",
    "codec_for",
    "decode_bytes",
    "decode_header",
    "decode_param",
    "guess_decode",
    "label_key",
    "to_bytes",
    "unfold",
]
