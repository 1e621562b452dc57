"""A message's header fields: one grammar for the header sync and the preview.

The header sync reads the fields the server returns for
``BODY.PEEK[HEADER.FIELDS (...)]``; the preview reads the same fields from the
message it downloaded. Both split them here, so both see the same values:
a field is ``Name: value`` at the start of a line with its folded continuation
lines; values are unfolded (:func:`~govmail_desktop.mime.charsets.unfold`) and
stripped. The first Subject and Date count; every From, To and Cc counts (the
preview lists every sender a message names, and flags it), kept one per line.

No Qt, no network, no disk.
"""

from __future__ import annotations

import re

from govmail_desktop.mime.charsets import guess_decode, unfold

#: Bytes of one field's (unfolded) value that are read; a hostile, huge header is cut
#: field by field, so a giant field does not hide the ones after it. The fused row path
#: takes header blocks of at most this size (``net.imap.reader.BULK_LITERAL_MAX``).
MAX_VALUE_BYTES = 64 * 1024
#: One field: its name at the start of a line, its value with the folded lines after it.
FIELD_RE = re.compile(rb"^([A-Za-z-]+):[ \t]*((?:.*)(?:\r?\n[ \t].*)*)", re.MULTILINE)
#: The end of the header section: the first empty line.
_HEADER_END = re.compile(rb"\r?\n\r?\n")
#: Fields whose every occurrence counts (the others: the first).
ADDRESS_FIELDS = frozenset({"from", "to", "cc", "reply-to"})
#: Between the occurrences of an address field in one value (never inside an
#: unfolded value: a line break there would have ended the field).
OCCURRENCES = b"\n"


def header_section(raw: bytes) -> bytes:
    """The header lines of a message (up to its first empty line)."""
    if raw.startswith((b"\r\n", b"\n")):
        return b""
    end = _HEADER_END.search(raw)
    return raw if end is None else raw[: end.start()]


def header_fields(block: bytes | None) -> dict[str, bytes]:
    """``References: <a>\\r\\n <b>\\r\\n\\r\\n`` -> ``{"references": b"<a> <b>"}``.

    Names in lower case; values unfolded, stripped and cut to :data:`MAX_VALUE_BYTES`;
    the first occurrence of a field counts, except for :data:`ADDRESS_FIELDS`, whose
    occurrences are all kept, joined by :data:`OCCURRENCES` (split them with
    :func:`occurrences`). Linear in the size of the block.
    """
    if not block:
        return {}
    result: dict[str, bytes] = {}
    for name, value in FIELD_RE.findall(block):
        key = name.decode("ascii").lower()
        value = unfold(value).strip()[:MAX_VALUE_BYTES]
        if key not in result:
            result[key] = value
        elif key in ADDRESS_FIELDS:
            result[key] += OCCURRENCES + value
    return result


def occurrences(value: bytes) -> list[bytes]:
    """The occurrences of an address field that :func:`header_fields` joined."""
    return value.split(OCCURRENCES)


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


__all__ = [
    "ADDRESS_FIELDS",
    "FIELD_RE",
    "MAX_VALUE_BYTES",
    "OCCURRENCES",
    "header_fields",
    "header_section",
    "message_id_text",
    "occurrences",
]
