"""MIME: raw message bytes → safe plain text (no Qt, no network).

``parse_message`` gives the preview pane a :class:`ParsedMessage`: decoded
headers (Thai legacy charsets aliased to cp874), the sender's parsed address
with spoofing warnings, the body text (text/plain preferred, else sanitised
HTML converted to text, each part on its own) and the attachment list, in
bounded time and memory whatever the input.
"""

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
