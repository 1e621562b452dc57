"""Folder names on the IMAP wire: modified UTF-7 (RFC 3501 5.1.3).

Header text (RFC 2047 words, charset labels) and dates are read by the one
decoder the preview uses too: :mod:`govmail_desktop.mime.charsets`,
:mod:`govmail_desktop.mime.dates`. Nothing here raises on bad input.
"""

from __future__ import annotations

import base64
import binascii
import logging

from govmail_desktop.mime.charsets import guess_decode

log = logging.getLogger(__name__)


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
