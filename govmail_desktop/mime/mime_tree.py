"""The MIME structure of a message, as the one parser (:mod:`mime.parse`) sees it.

``govmail-admin inspect`` shows it to IT staff triaging a reported message: every
part with its content type, declared charset (and the codec the app really decodes
it with: Thai labels are read as cp874), transfer encoding, disposition, file name
and size, numbered as IMAP numbers parts (``1``, ``2.1``; the body of an attached
message is ``N.1``) — the numbers :class:`mime.parse.Attachment` ``.part`` uses.

It walks the same ``email.message`` tree :func:`mime.parse.parse_message` builds,
from the same bounded input (:func:`mime.bounds.bound_input`), with the parser's own
helpers for types, names and sizes: there is no second decoder here. The walk uses an
explicit stack, bounded by :data:`mime.parse.MAX_PARTS` and :data:`mime.parse.MAX_DEPTH`;
a message with more containers than :data:`mime.bounds.MAX_CONTAINERS` gets no tree
(as the parser shows it flat).

Nothing here touches the network, Qt or the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from govmail_desktop.mime.bounds import bound_input, parse_bounded
from govmail_desktop.mime.charsets import codec_for
from govmail_desktop.mime.parse import (
    MAX_DEPTH,
    MAX_PARTS,
    _content_type,
    _decoded_size,
    _disposition,
    _entity_size,
    _filename,
    stored_payload,
)


@dataclass
class MimeNode:
    """One MIME part."""

    part: str  # IMAP part number ("" for the message itself)
    content_type: str
    charset: str | None = None  # as declared (lower case)
    codec: str | None = None  # what the app decodes the declared charset with (None: guessed)
    transfer_encoding: str | None = None
    disposition: str | None = None
    filename: str = ""  # decoded, as sent (may hold bidi characters)
    size: int = 0  # leaf: content bytes (decoded; base64 estimated); container/message: bytes as sent
    children: list[MimeNode] = field(default_factory=list)

    def walk(self) -> list[MimeNode]:
        """This node and every node below it, in order (no recursion)."""
        out: list[MimeNode] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-shaped, children nested (built without recursion)."""
        result: dict[str, Any] = {}
        stack: list[tuple[MimeNode, dict[str, Any]]] = [(self, result)]
        while stack:
            node, out = stack.pop()
            out.update(
                part=node.part, content_type=node.content_type, charset=node.charset, codec=node.codec,
                transfer_encoding=node.transfer_encoding, disposition=node.disposition,
                filename=node.filename or None, size=node.size, children=[],
            )
            for child in node.children:
                child_out: dict[str, Any] = {}
                out["children"].append(child_out)
                stack.append((child, child_out))
        return result


@dataclass
class MimeTree:
    """The tree (None when the message has too many containers to be parsed as MIME)."""

    root: MimeNode | None
    truncated: bool = False  # the input was cut before parsing
    incomplete: bool = False  # parts beyond MAX_PARTS / MAX_DEPTH were left out


def _charset(part: Message) -> str | None:
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001 - a broken parameter is no charset
        return None
    return str(charset) if charset else None


def _node(part: Message, number: str, eol: int) -> MimeNode:
    ctype = _content_type(part)
    charset = _charset(part) if ctype.startswith("text/") or part.get_param("charset") else None
    cte = str(part.get("content-transfer-encoding", "")).strip().lower() or None
    if ctype.startswith("message/"):  # an attached message: its own bytes, as mime.parse counts them
        payload = stored_payload(part)
        inner = payload[0] if isinstance(payload, list) and payload and isinstance(payload[0], Message) else None
        size = _entity_size(inner, eol) if inner is not None else _decoded_size(part)
    else:
        size = _entity_size(part, eol) if part.is_multipart() else _decoded_size(part)
    return MimeNode(
        part=number, content_type=ctype, charset=charset, codec=codec_for(charset) if charset else None,
        transfer_encoding=cte, disposition=_disposition(part), filename=_filename(part), size=size,
    )


def _child_number(prefix: str, index: int) -> str:
    return f"{prefix}.{index}" if prefix else str(index)


def mime_tree(raw: bytes) -> MimeTree:
    """The MIME tree of ``raw`` (never raises on malformed or hostile input)."""
    raw, truncated = bound_input(raw or b"")
    eol = 2 if b"\r\n" in raw[:65536] else 1
    msg = parse_bounded(raw)
    if msg is None:
        return MimeTree(None, truncated, incomplete=True)
    root = _node(msg, "", eol)
    incomplete = False
    seen = 1
    # (part, its node, its IMAP number, depth)
    stack: list[tuple[Message, MimeNode, str, int]] = [(msg, root, "", 0)]
    while stack:
        part, node, number, level = stack.pop()
        payload = stored_payload(part)
        if not isinstance(payload, list):
            continue
        children = [c for c in payload if isinstance(c, Message)]
        if node.content_type.startswith("message/"):
            if not children:
                continue
            inner = children[0]
            inner_number = number or "1"
            # The attached message's own header and body: its parts are numbered N.1, N.2 ...
            # (a single-part body is N.1), as IMAP and mime.parse number them.
            kids = [(inner, inner_number if inner.is_multipart() else _child_number(inner_number, 1))]
        else:
            kids = [(c, _child_number(number, i + 1)) for i, c in enumerate(children)]
        if level + 1 > MAX_DEPTH:
            incomplete = True
            continue
        for child, child_number in kids:
            seen += 1
            if seen > MAX_PARTS:
                incomplete = True
                break
            child_node = _node(child, child_number, eol)
            node.children.append(child_node)
            stack.append((child, child_node, child_number, level + 1))
    return MimeTree(root, truncated, incomplete)


__all__ = ["MimeNode", "MimeTree", "mime_tree"]
