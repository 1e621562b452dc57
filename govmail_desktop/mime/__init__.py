"""MIME: raw message bytes → safe plain text (no Qt, no network).

``parse_message`` gives the preview pane a :class:`ParsedMessage`: decoded
headers (Thai legacy charsets aliased to cp874), the sender's parsed address
with spoofing warnings, the body text (text/plain preferred, else sanitised
HTML converted to text, each part on its own) and the attachment list, in
bounded time and memory whatever the input.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govmail_desktop.mime.addresses import parse_addresses
    from govmail_desktop.mime.body_text import html_to_text
    from govmail_desktop.mime.header_text import decode_words
    from govmail_desktop.mime.parse import (
        THAI_CHARSETS,
        Attachment,
        ParsedMessage,
        codec_for,
        decode_bytes,
        parse_message,
    )
    from govmail_desktop.mime.preview_warnings import SENDER_WARNINGS, warning_text

#: Where each name of the package lives: loaded at first use (``mime.mailto``, which a launch
#: parses before the main window exists, needs none of the parser's modules).
_HOMES = {
    "parse_addresses": "addresses",
    "html_to_text": "body_text",
    "decode_words": "header_text",
    "THAI_CHARSETS": "parse",
    "Attachment": "parse",
    "ParsedMessage": "parse",
    "codec_for": "parse",
    "decode_bytes": "parse",
    "parse_message": "parse",
    "SENDER_WARNINGS": "preview_warnings",
    "warning_text": "preview_warnings",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Attachment",
    "ParsedMessage",
    "SENDER_WARNINGS",
    "THAI_CHARSETS",
    "codec_for",
    "decode_bytes",
    "decode_words",
    "html_to_text",
    "parse_addresses",
    "parse_message",
    "warning_text",
]
