"""Cutting a raw message down before it is parsed, so the parser's time and memory stay bounded.

Used by :func:`mime.parse.parse_message` (and re-exported there): the input is cut to
:data:`MAX_PARSE_BYTES`, :data:`MAX_LINES` lines of at most :data:`MAX_LINE_BYTES`, and header
fields of at most :data:`MAX_FIELD_BYTES`; :func:`parse_bounded` is the one way the modules of
``mime`` hand such input to the stdlib parser. No Qt, no network, no disk.
"""

from __future__ import annotations

import email
import logging
import re
from email.message import Message
from email.policy import compat32

log = logging.getLogger(__name__)

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


def parse_bounded(raw: bytes) -> Message | None:
    """The stdlib parser's tree of ``raw`` (cut by :func:`bound_input` first), or None where
    it is not to be had: more than :data:`MAX_CONTAINERS` containers (not handed to the
    recursive parser at all), nesting deeper than the stack, or an error the parser raises
    on hostile input of its own (a NUL in an RFC 2231 charset name: ValueError from
    ``get_boundary`` while parsing; found by ``make fuzz``). Never raises."""
    if len(_CONTAINER_HEADER.findall(raw)) > MAX_CONTAINERS:
        return None
    try:
        return email.message_from_bytes(raw, policy=compat32)
    except RecursionError:
        return None
    except Exception:
        log.warning("Message could not be parsed as MIME", exc_info=True)
        return None
