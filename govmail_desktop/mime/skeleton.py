"""The markers of a *skeleton*: a large message kept in the cache without its attachment bodies.

``sync/part_fetch.py`` fetches a large message's structure, header and text parts and
writes them as one MIME message that :func:`mime.parse.parse_message` reads like any
other (one parser). A part whose body was left out keeps its own MIME header and gets
one more field, :data:`LEFT_OUT_FIELD`, with its size as sent and its transfer encoding;
the parser lists it as an :class:`~govmail_desktop.mime.parse.Attachment` with
``downloaded=False`` and that size (``part_fetch.PartFetcher`` downloads it on demand).

A message from outside must never pass for a skeleton (a forged marker would hide a
real attachment behind a fake size). So:

* the parser honours markers only when the caller says the bytes are a skeleton
  (``parse_message(raw, skeleton=True)``), which the mailbox does only for bytes read
  from the cache part :data:`SKELETON_PART`, which only ``sync/part_fetch.py`` writes;
* the skeleton's top header carries :data:`SKELETON_FIELD` with a random token made for
  that skeleton (:func:`new_token`), and a marker counts only with that token — text that
  came from the server (an attached message fetched whole, whose parts could hold
  marker fields) cannot know it;
* every marker field in header text from the server is removed before the skeleton is
  written (:func:`strip_marker_fields`).

No Qt, no I/O.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from email.message import Message

#: The cache part under which a skeleton is kept (the whole message: ``mailbox.BODY_PART``).
SKELETON_PART = "SKELETON"
#: The cache part under which the background download for search (``sync/body_download.py``)
#: keeps a message's text: a skeleton (same markers, same token rule, read with
#: ``parse_message(raw, skeleton=True)``) holding only the text parts the preview shows —
#: every other part left out. The preview does not show it (it fetches the message as
#: usual); the search index reads it like a skeleton.
SEARCH_TEXT_PART = "SEARCH-TEXT"
#: Top header field of a skeleton: its token.
SKELETON_FIELD = "X-GovMail-Skeleton"
#: Part header field of a part left out: ``<token> octets=<n> encoding=<cte>``.
LEFT_OUT_FIELD = "X-GovMail-Left-Out"

_TOKEN = re.compile(r"[0-9a-f]{32}")
_LEFT_OUT = re.compile(r"\A\s*([0-9a-f]{32}) octets=(\d{1,12}) encoding=([A-Za-z0-9._-]{1,40})\s*\Z")
_MARKER_LINE = re.compile(
    rb"^(?:" + re.escape(SKELETON_FIELD.encode()) + rb"|" + re.escape(LEFT_OUT_FIELD.encode()) + rb")[ \t]*:",
    re.IGNORECASE,
)


def new_token() -> str:
    """A fresh random token for one skeleton."""
    return secrets.token_hex(16)


def strip_marker_fields(header: bytes) -> bytes:
    """``header`` (a header block from the server) without any marker field (with its
    folded lines): text from outside never carries a marker into a skeleton."""
    if b"x-govmail" not in header.lower():
        return header
    out: list[bytes] = []
    dropping = False
    for line in header.splitlines(keepends=True):
        if dropping and line[:1] in (b" ", b"\t"):
            continue
        dropping = _MARKER_LINE.match(line) is not None
        if not dropping:
            out.append(line)
    return b"".join(out)


def header_block(header: bytes, extra_fields: Sequence[str] = ()) -> bytes:
    """A header block from the server made safe for a skeleton: marker fields removed,
    ``extra_fields`` (our own, e.g. a marker) added, CRLF line ends, ending in the blank line."""
    lines = strip_marker_fields(header).replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n")
    lines = [line for line in lines if line]
    lines += [field.encode("ascii") for field in extra_fields]
    return b"".join(line + b"\r\n" for line in lines) + b"\r\n"


def top_field(token: str) -> str:
    return f"{SKELETON_FIELD}: {token}"


def left_out_field(token: str, octets: int, encoding: str) -> str:
    return f"{LEFT_OUT_FIELD}: {token} octets={int(octets)} encoding={encoding or '7bit'}"


def skeleton_token(root: Message) -> str | None:
    """The token of a skeleton's top header (None: not a well-formed skeleton)."""
    values = [str(v) for k, v in root.raw_items() if k.lower() == SKELETON_FIELD.lower()]
    if len(values) != 1 or not _TOKEN.fullmatch(values[0].strip()):
        return None
    return values[0].strip()


def left_out_size(part: Message, token: str) -> int | None:
    """The estimated decoded size of a part left out of the skeleton with this ``token``;
    None when the part is not marked (with this token)."""
    for key, value in part.raw_items():
        if key.lower() != LEFT_OUT_FIELD.lower():
            continue
        m = _LEFT_OUT.match(" ".join(str(value).split()))  # unfolded
        if m is not None and secrets.compare_digest(m.group(1), token):
            return estimated_size(int(m.group(2)), m.group(3))
    return None


def estimated_size(octets: int, encoding: str) -> int:
    """Decoded bytes of a body of ``octets`` as sent in ``encoding`` (base64: lines of
    76 characters and a line break; quoted-printable and others: as sent)."""
    if encoding.lower() == "base64":
        return octets * 76 // 78 * 3 // 4
    return octets


__all__ = [
    "LEFT_OUT_FIELD",
    "SKELETON_FIELD",
    "SEARCH_TEXT_PART",
    "SKELETON_PART",
    "estimated_size",
    "header_block",
    "left_out_field",
    "left_out_size",
    "new_token",
    "skeleton_token",
    "strip_marker_fields",
    "top_field",
]
