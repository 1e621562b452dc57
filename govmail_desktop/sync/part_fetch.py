"""Large messages: a skeleton for the preview, and one part on demand (on a MailboxConnection).

A message above :data:`SKELETON_THRESHOLD` (RFC822.SIZE) is not fetched whole for the
preview. :func:`fetch_skeleton` asks for its BODYSTRUCTURE and header, then for the
MIME header of every part and the bodies worth having at once — the text parts (up to
what the preview decodes), the images of an HTML body, small parts, small attached
messages — and writes them back as one MIME message, the *skeleton*, that the one
parser (``mime.parse.parse_message(raw, skeleton=True)``) reads: every other part keeps
its own header, its body is left out and marked with its size and encoding (the markers
and why they cannot be forged: ``mime/skeleton.py``). The preview then shows the text
and the attachment list with the real sizes at once.

:func:`fetch_part` downloads one part later, in chunks of ``BODY.PEEK[part]<offset.length>``
(plain IMAP4rev1: Zimbra, Dovecot, Courier alike), reporting progress and checking for
a cancel between chunks, and returns the part's bytes decoded by the parser's decoder
(``mime.parse.decode_part_bytes``). Nothing here touches the cache: the caller keeps a
part only once it is whole.

Runs on the account's connection worker (an IMAP connection never crosses threads).
"""

from __future__ import annotations

import contextlib
import email
import logging
import re
from collections.abc import Callable, Mapping
from email.message import Message
from email.policy import compat32

from govmail_desktop.core.errors import Cancelled, ServerError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime import skeleton
from govmail_desktop.mime.parse import MAX_PART_BYTES, decode_part_bytes
from govmail_desktop.net.imap import bounds
from govmail_desktop.net.imap.bodystructure import BodyPart, BodyStructureError, parse_bodystructure
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.net.imap.grammar import ParseError
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken

log = logging.getLogger(__name__)

#: Messages larger than this (RFC822.SIZE) are kept as a skeleton; smaller ones whole.
SKELETON_THRESHOLD = 2 * 1024 * 1024
#: Parts up to this size (as sent) come with the skeleton whatever they are.
SMALL_PART = 32 * 1024
#: Images of an HTML body (parts of a multipart/related) come with it up to this size.
INLINE_MAX = 1024 * 1024
#: Attached messages (message/rfc822) come whole up to this size; bigger: their header only.
MESSAGE_MAX = 256 * 1024
#: Bytes (as sent) of one text part fetched: what the preview decodes at most, base64 included.
TEXT_MAX = MAX_PART_BYTES * 4 // 3 + 4096
#: Sections asked for in one FETCH (keeps each command line short for any server).
SECTIONS_PER_FETCH = 60
#: Bytes asked for per command when a part is downloaded (progress and cancel step).
CHUNK = 512 * 1024

_TEXT_SHOWN = frozenset({"text/plain", "text/html", "text/enriched", "text/richtext", "text/rfc822-headers"})


def shown_text(node: BodyPart) -> bool:
    """A leaf the preview shows as the message's text (not an attachment)."""
    return node.content_type in _TEXT_SHOWN and node.disposition != "attachment"


class PartUnavailable(ServerError):
    """The server no longer has the message (or the part): moved or deleted elsewhere."""

    code = "part-unavailable"
    default_message = QT_TRANSLATE_NOOP(
        "PartFetch", "This attachment could not be downloaded: the message is no longer on the server."
    )
    default_hint = QT_TRANSLATE_NOOP("PartFetch", "Refresh the folder and open the message again.")


class SkeletonUnusable(Exception):
    """The message's structure cannot be kept as a skeleton (the caller fetches it whole)."""


# -- FETCH helpers -----------------------------------------------------------------------------


def _section_key(name: str) -> str:
    """``BODY[1.MIME]`` → ``1.MIME``; ``BODY[2]<0>`` → ``2``; ``BODY[HEADER]`` → ``HEADER``."""
    m = re.match(r"BODY\[([^\]]*)\]", name, re.IGNORECASE)
    return m.group(1).upper() if m else name.upper()


def _fetch_one(
    conn: MailboxConnection, uid: int, items: str, unreadable: list[int] | None = None
) -> FetchedMessage | None:
    """The FETCH response for ``uid`` (None: the server has no such message; the count of
    rows the connection could not read is appended to ``unreadable``)."""
    found: FetchedMessage | None = None
    skipped = 0
    kept = 0  # section bytes merged so far
    with contextlib.closing(conn.fetch_stream(str(uid), items)) as stream:
        for batch in stream:
            skipped += batch.skipped
            for message in batch.messages:
                if message.uid == uid:
                    size = sum(len(value) for value in (message.sections or {}).values() if value)
                    if found is not None and kept + size > bounds.MAX_LITERAL:
                        # More rows for this message than one answer may carry: a hostile
                        # server repeating it with other sections. Not kept.
                        skipped += 1
                        continue
                    kept += size
                    found = message if found is None else _merge(found, message)
    if unreadable is not None:
        unreadable.append(skipped)
    return found


def _merge(a: FetchedMessage, b: FetchedMessage) -> FetchedMessage:
    sections = {**(a.sections or {}), **(b.sections or {})}
    extra = {**(a.extra or {}), **(b.extra or {})}
    return a._replace(sections=sections or None, extra=extra or None, size=a.size or b.size)


def _sections(message: FetchedMessage) -> dict[str, bytes | None]:
    return {_section_key(name): value for name, value in (message.sections or {}).items()}


def fetch_structure(conn: MailboxConnection, uid: int, *, header: bool = False) -> tuple[BodyPart, bytes | None]:
    """The message's BODYSTRUCTURE (and its header when asked). Raises PartUnavailable
    (no such message) or BodyStructureError (a structure outside the grammar or bounds)."""
    items = "UID RFC822.SIZE BODYSTRUCTURE" + (" BODY.PEEK[HEADER]" if header else "")
    unreadable: list[int] = []
    message = _fetch_one(conn, uid, items, unreadable)
    if message is None and unreadable[0]:
        # The answer was there but outside the grammar or bounds (e.g. nested too deep).
        raise BodyStructureError(f"UID {uid}: the server's answer could not be read")
    if message is None or not message.extra or "BODYSTRUCTURE" not in message.extra:
        raise PartUnavailable(detail=f"UID {uid}: no BODYSTRUCTURE")
    root = parse_bodystructure(message.extra["BODYSTRUCTURE"])
    return root, _sections(message).get("HEADER") if header else None


# -- the skeleton -------------------------------------------------------------------------------

#: What a leaf of the skeleton holds: its body, or (attached messages) the header only, or nothing.
BODY, HEADER_ONLY, LEFT_OUT = "body", "header", "left-out"


def plan(root: BodyPart) -> dict[str, str]:
    """{part number: BODY / HEADER_ONLY / LEFT_OUT} for every leaf and attached message."""
    decisions: dict[str, str] = {}
    stack: list[tuple[BodyPart, bool]] = [(root, False)]
    while stack:
        node, in_related = stack.pop()
        if node.is_multipart:
            related = node.content_type == "multipart/related"
            stack.extend((child, related) for child in reversed(node.children))
            continue
        attachment = node.disposition == "attachment"
        if node.is_message:
            decisions[node.part] = BODY if node.size <= MESSAGE_MAX else HEADER_ONLY
        elif shown_text(node):
            decisions[node.part] = BODY
        elif (in_related and not attachment and node.size <= INLINE_MAX) or node.size <= SMALL_PART:
            decisions[node.part] = BODY
        else:
            decisions[node.part] = LEFT_OUT
    return decisions


def _items(root: BodyPart, decisions: Mapping[str, str]) -> list[str]:
    """The sections the skeleton is built from: the MIME header of every part it holds
    (the message's own header comes with the structure) and the bodies :func:`plan` keeps.
    Attached messages are not entered: they come whole, or their header only."""
    items: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node is not root:
            items.append(f"BODY.PEEK[{node.part}.MIME]")
        if node.is_multipart:
            stack.extend(reversed(node.children))
            continue
        decision = decisions.get(node.part)
        if decision == BODY:
            limit = f"<0.{TEXT_MAX}>" if node.content_type.startswith("text/") and node.size > TEXT_MAX else ""
            items.append(f"BODY.PEEK[{node.part}]{limit}")
        elif decision == HEADER_ONLY:
            items.append(f"BODY.PEEK[{node.part}.HEADER]")
    return items


def _boundary(header: bytes, node: BodyPart) -> bytes:
    """The boundary as the one parser will read it from this header (else the server's)."""
    try:
        found = email.message_from_bytes(header, policy=compat32).get_boundary()
    except Exception:  # noqa: BLE001 - any header the stdlib cannot read: the server's value
        found = None
    value = found or node.param("boundary")
    if not value:
        raise SkeletonUnusable(f"part {node.part or 'message'}: multipart without a boundary")
    return value.encode("utf-8", "surrogateescape")


def build_skeleton(
    root: BodyPart, header: bytes, sections: Mapping[str, bytes | None], decisions: Mapping[str, str], token: str
) -> bytes:
    """The skeleton message (see the module doc) from the fetched ``sections``
    (``"1.MIME"``, ``"1"``, ``"3.HEADER"`` ...). Raises SkeletonUnusable when a needed
    section is missing."""
    out: list[bytes] = []

    def need(key: str) -> bytes:
        value = sections.get(key)
        if value is None:
            raise SkeletonUnusable(f"the server sent no {key}")
        return value

    def emit(node: BodyPart, own_header: bytes, top: bool) -> None:
        fields = [skeleton.top_field(token)] if top else []
        if node.is_multipart:
            boundary = _boundary(own_header, node)
            out.append(skeleton.header_block(own_header, fields))
            for child in node.children:
                out.append(b"--" + boundary + b"\r\n")
                emit(child, need(f"{child.part}.MIME"), False)
                out.append(b"\r\n")
            out.append(b"--" + boundary + b"--\r\n")
            return
        decision = decisions.get(node.part, LEFT_OUT)
        if decision == BODY:
            out.append(skeleton.header_block(own_header, fields))
            out.append(need(node.part))
            return
        fields.append(skeleton.left_out_field(token, node.size, node.encoding))
        out.append(skeleton.header_block(own_header, fields))
        if decision == HEADER_ONLY:
            out.append(skeleton.header_block(need(f"{node.part}.HEADER")))

    emit(root, header, True)
    return b"".join(out)


def fetch_skeleton(
    conn: MailboxConnection,
    uid: int,
    cancelled: Callable[[], bool] = lambda: False,
    *,
    choose: Callable[[BodyPart], dict[str, str]] = plan,
) -> bytes:
    """The skeleton of message ``uid`` of the selected folder, with the bodies ``choose``
    keeps (:func:`plan` for the preview; the search download keeps the text only). Raises
    PartUnavailable (gone), SkeletonUnusable (keep it whole instead: structure unreadable,
    beyond the bounds or sections missing), Cancelled, or the connection's errors."""
    try:
        root, header = fetch_structure(conn, uid, header=True)
    except (BodyStructureError, ParseError) as exc:
        raise SkeletonUnusable(str(exc)) from None
    if header is None:
        raise SkeletonUnusable("the server sent no header")
    decisions = choose(root)
    items = _items(root, decisions)
    sections: dict[str, bytes | None] = {}
    for start in range(0, len(items), SECTIONS_PER_FETCH):
        if cancelled():
            raise Cancelled()
        message = _fetch_one(conn, uid, " ".join(["UID", *items[start : start + SECTIONS_PER_FETCH]]))
        if message is None:
            raise PartUnavailable(detail=f"UID {uid} vanished while its skeleton was fetched")
        sections.update(_sections(message))
    return build_skeleton(root, header, sections, decisions, skeleton.new_token())


def fetch_message(
    conn: MailboxConnection,
    cache: MailCache,
    folder: str,
    uid: int,
    cancel: CancelToken,
    *,
    part: str = "",
    limit: int = 16 * 1024 * 1024,
    whole: bool = False,
) -> int:
    """Message ``uid`` of ``folder`` into the cache (``SyncService.fetch_body``): whole, up to
    ``limit`` bytes, as ``part``; or — ``part`` "" and not ``whole``, a message above
    :data:`SKELETON_THRESHOLD` — as a skeleton under ``skeleton.SKELETON_PART``.
    Returns the bytes kept."""
    fid = cache.folder_id(folder)
    if fid is None:
        raise ValueError(f"unknown folder {folder!r}")
    if getattr(conn, "selected", None) != folder:
        conn.select(folder)
    if not whole and part == "":
        summary = cache.summary(fid, uid)
        if summary is not None and (summary.size or 0) > SKELETON_THRESHOLD:
            try:
                outline = fetch_skeleton(conn, uid, lambda: cancel.cancelled)
            except SkeletonUnusable as exc:
                log.info("UID %s kept whole, not as a skeleton: %s", uid, exc)
            else:
                cancel.check()
                cache.put_part(fid, uid, skeleton.SKELETON_PART, outline)
                return len(outline)
    data: bytes | None = None
    with contextlib.closing(conn.fetch_stream(str(uid), f"UID BODY.PEEK[]<0.{limit}>")) as stream:
        for batch in stream:
            for message in batch.messages:
                if message.uid == uid and message.sections:
                    data = next((v for k, v in message.sections.items() if k.startswith("BODY[]")), data)
    cancel.check()
    if data is None:
        raise ServerError(detail=f"the server returned no body for UID {uid}")
    cache.put_part(fid, uid, part, data)
    return len(data)


# -- one part on demand ---------------------------------------------------------------------------


def decode_body(data: bytes, encoding: str) -> bytes:
    """A part's body as sent → its bytes, by the parser's decoder (``decode_part_bytes``)."""
    holder = Message()
    holder["Content-Transfer-Encoding"] = encoding or "7bit"
    holder.set_payload(data.decode("ascii", "surrogateescape"))
    decoded, _cut = decode_part_bytes(holder, limit=len(data) + 1)
    return decoded


def fetch_part(
    conn: MailboxConnection,
    uid: int,
    part: str,
    *,
    received: bytearray | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    chunk: int = CHUNK,
) -> tuple[bytes, str]:
    """Part ``part`` of message ``uid`` of the selected folder, as sent, with its transfer
    encoding: ``(body, encoding)``.

    Downloaded in chunks after what ``received`` already holds (it grows as chunks arrive,
    so a caller can go on after a reconnect); ``on_progress(done, total)`` in bytes as
    sent after each chunk; ``cancelled()`` is asked before each (Cancelled). Raises
    PartUnavailable when the message or part is gone, and the connection's errors.
    """
    if received is None:
        received = bytearray()
    try:
        root, _ = fetch_structure(conn, uid)
    except (BodyStructureError, ParseError) as exc:
        raise ServerError(detail=f"UID {uid}: unreadable BODYSTRUCTURE: {exc}") from None
    node = root.find(part)
    if node is None:
        raise PartUnavailable(detail=f"UID {uid} has no part {part}")
    total = node.size
    if len(received) > total:
        del received[:]
    if on_progress is not None and received:
        on_progress(len(received), total)
    while len(received) < total:
        if cancelled():
            raise Cancelled()
        want = min(chunk, total - len(received))
        message = _fetch_one(conn, uid, f"UID BODY.PEEK[{part}]<{len(received)}.{want}>")
        if message is None:
            raise PartUnavailable(detail=f"UID {uid} vanished during the download")
        piece = _sections(message).get(part.upper())
        if not piece:
            break  # the server has no more (its sizes are its own)
        received.extend(piece)
        if on_progress is not None:
            on_progress(len(received), total)
        if len(piece) < want:
            break
    body = bytes(received)
    if node.is_message:
        return body, "8bit"
    return body, node.encoding


__all__ = [
    "CHUNK",
    "SKELETON_THRESHOLD",
    "PartUnavailable",
    "SkeletonUnusable",
    "build_skeleton",
    "decode_body",
    "fetch_message",
    "fetch_part",
    "fetch_skeleton",
    "fetch_structure",
    "plan",
    "shown_text",
]
