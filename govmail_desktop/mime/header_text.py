"""Header text made readable: decoded words, raw 8-bit bytes, control characters.

The decoding itself is :mod:`mime.charsets` (shared with the message list); these
are the small steps the address parser (:mod:`mime.addresses`) and the message
parser (:mod:`mime.parse`) both take on a header value.
"""

from __future__ import annotations

import re

from govmail_desktop.mime.charsets import MAX_HEADER_CHARS, decode_header, guess_decode


def _raw_bytes(value: str) -> bytes:
    """A compat32 header/payload string back to its bytes (8-bit kept as surrogates)."""
    return value.encode("ascii", "surrogateescape")


def _unescape_8bit(value: str) -> str:
    """Raw 8-bit bytes in a header (no RFC 2047): UTF-8 if valid, else cp874."""
    if value.isascii():
        return value
    try:
        data = _raw_bytes(value)
    except UnicodeEncodeError:
        return value  # already real text
    return guess_decode(data)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def decode_words(value: str | None, *, limit: int = MAX_HEADER_CHARS) -> str:
    """Decoded text of a header value as parsed (8-bit bytes kept as surrogates): at most
    ``limit`` characters of it, read by :func:`mime.charsets.decode_header`, the decoder
    the message list uses (RFC 2047 words, Thai and superset charsets, folding)."""
    if not value:
        return ""
    return decode_header(value[:limit])


def clean_display_text(text: str) -> tuple[str, bool]:
    """Text with control characters removed; True if any were there."""
    cleaned = _CONTROL.sub("", text.replace("\t", " "))
    return cleaned.strip(), cleaned != text.replace("\t", " ")
