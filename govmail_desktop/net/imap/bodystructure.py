"""BODYSTRUCTURE (RFC 3501 section 7.4.2) as a typed tree of :class:`BodyPart`, bounded.

The server's answer is untrusted: the tree is walked with a depth limit
(:data:`MAX_DEPTH`) and a part count limit (:data:`MAX_PARTS`), and anything outside
the grammar raises :class:`BodyStructureError` (a ``ParseError``) with a short,
clear reason; nothing recurses deeper than :data:`MAX_DEPTH` levels.

Part numbers are IMAP's (the numbers ``BODY[...]`` takes and ``mime.parse.Attachment.part``
uses): the parts of a multipart message are ``1``, ``2``, ``2.1`` ...; the body of a
message that is not multipart is ``1``; inside an attached message (message/rfc822)
numbered ``3``, its multipart body's parts are ``3.1``, ``3.2`` ... and a single body is
``3.1``. The whole message's own multipart has the number ``""``.

Used by ``sync/part_fetch.py`` (large messages fetched as a skeleton, attachments on
demand). No Qt, no I/O.
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from govmail_desktop.mime.charsets import decode_param
from govmail_desktop.net.imap.grammar import ParseError, tokenize

#: Nesting levels (multipart in multipart, attached messages) read at most.
MAX_DEPTH = 32
#: Parts (leaves and containers) read at most in one message.
MAX_PARTS = 1000
#: Parameters read at most per parameter list.
MAX_PARAMS = 100


class BodyStructureError(ParseError):
    """A BODYSTRUCTURE outside the grammar or beyond the bounds (the reason says which)."""


@dataclass(frozen=True)
class BodyPart:
    """One part of a message as the server describes it."""

    part: str  # IMAP part number ("" for the message's own multipart)
    content_type: str  # lower-case "text/plain", "multipart/mixed"
    params: tuple[tuple[str, str], ...] = ()  # Content-Type parameters, names lower-case
    content_id: str | None = None
    description: str | None = None
    encoding: str = "7bit"  # Content-Transfer-Encoding, lower-case
    size: int = 0  # octets of the body as sent (still transfer-encoded)
    lines: int | None = None  # text/* and message/rfc822 only
    disposition: str | None = None  # lower-case "attachment" / "inline"
    disposition_params: tuple[tuple[str, str], ...] = ()
    #: Multipart: its parts. message/rfc822: one child, the attached message's body.
    children: tuple[BodyPart, ...] = ()

    @property
    def is_multipart(self) -> bool:
        return self.content_type.startswith("multipart/")

    @property
    def is_message(self) -> bool:
        return self.content_type in ("message/rfc822", "message/global")

    def param(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.params if k == wanted), None)

    @property
    def filename(self) -> str:
        """The file name, decoded (RFC 2231 with continuations and charset, or RFC 2047
        words) as ``mime.parse`` decodes it: ``filename`` of the disposition, else ``name``."""
        return _decoded(self.disposition_params, "filename") or _decoded(self.params, "name")

    def walk(self) -> Iterator[BodyPart]:
        """This part and every part inside it, in order (iterative, bounded by the parse)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def find(self, number: str) -> BodyPart | None:
        """The leaf or attached message numbered ``number`` (None: no such part)."""
        for node in self.walk():
            if node.part == number and not node.is_multipart:
                return node
        return None


def _decoded(params: Sequence[tuple[str, str]], name: str) -> str:
    wanted = [(k, v) for k, v in params if k == name or k.startswith(name + "*")]
    if not wanted:
        return ""
    quoted = [(k, '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"') for k, v in wanted]
    try:
        decoded = email.utils.decode_params([("", ""), *quoted])[1:]
    except (ValueError, IndexError, TypeError, LookupError):
        return ""
    for key, value in decoded:
        if key != name:
            continue
        if isinstance(value, tuple):
            charset, language, text = value
            return decode_param((charset, language, email.utils.unquote(text))).strip()
        return decode_param(email.utils.unquote(value)).strip()
    return ""


# -- the parser ------------------------------------------------------------------------------


def _text(value: Any, what: str, number: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):  # strings, literals and atoms (Atom is bytes)
        return bytes(value).decode("utf-8", "surrogateescape")
    raise BodyStructureError(f"part {number or 'message'}: {what} is not a string")


def _number(value: Any, what: str, number: str) -> int:
    if isinstance(value, (bytes, bytearray)) and bytes(value).isdigit() and len(value) <= 12:
        return int(value)
    raise BodyStructureError(f"part {number or 'message'}: {what} is not a number")


def _params(value: Any, number: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) % 2:
        raise BodyStructureError(f"part {number or 'message'}: bad parameter list")
    if len(value) > 2 * MAX_PARAMS:
        raise BodyStructureError(f"part {number or 'message'}: more than {MAX_PARAMS} parameters")
    out = []
    for key, val in zip(value[::2], value[1::2], strict=True):
        k = _text(key, "a parameter name", number)
        v = _text(val, "a parameter value", number)
        if k is None:
            raise BodyStructureError(f"part {number or 'message'}: parameter without a name")
        out.append((k.lower(), v or ""))
    return tuple(out)


def _disposition(value: Any, number: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    if value is None:
        return None, ()
    if not isinstance(value, list) or len(value) < 1:
        raise BodyStructureError(f"part {number or 'message'}: bad disposition")
    kind = _text(value[0], "the disposition", number)
    params = _params(value[1], number) if len(value) > 1 else ()
    return (kind.lower() if kind else None), params


class _Budget:
    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts = 0

    def spend(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise BodyStructureError(f"more than {MAX_PARTS} parts")


def _child_number(prefix: str, index: int) -> str:
    return f"{prefix}.{index}" if prefix else str(index)


def _body(node: Any, number: str, depth: int, budget: _Budget) -> BodyPart:
    if depth > MAX_DEPTH:
        raise BodyStructureError(f"nested deeper than {MAX_DEPTH} levels")
    if not isinstance(node, list) or not node:
        raise BodyStructureError(f"part {number or 'message'}: not a body")
    budget.spend()
    if isinstance(node[0], list):
        return _multipart(node, number, depth, budget)
    return _single(node, number or "1", depth, budget)


def _multipart(node: list[Any], number: str, depth: int, budget: _Budget) -> BodyPart:
    count = 0
    while count < len(node) and isinstance(node[count], list):
        count += 1
    if count + 1 > len(node):
        raise BodyStructureError(f"part {number or 'message'}: multipart without a subtype")
    if count > MAX_PARTS:
        raise BodyStructureError(f"more than {MAX_PARTS} parts")
    children = tuple(
        _body(node[i], _child_number(number, i + 1), depth + 1, budget) for i in range(count)
    )
    subtype = _text(node[count], "the subtype", number) or "mixed"
    ext = node[count + 1 :]
    params = _params(ext[0], number) if ext else ()
    disposition, dparams = _disposition(ext[1], number) if len(ext) > 1 else (None, ())
    return BodyPart(
        part=number,
        content_type=f"multipart/{subtype.lower()}",
        params=params,
        disposition=disposition,
        disposition_params=dparams,
        children=children,
    )


def _single(node: list[Any], number: str, depth: int, budget: _Budget) -> BodyPart:
    if len(node) < 7:
        raise BodyStructureError(f"part {number}: {len(node)} fields, at least 7 expected")
    kind = (_text(node[0], "the type", number) or "application").lower()
    subtype = (_text(node[1], "the subtype", number) or "octet-stream").lower()
    content_type = f"{kind}/{subtype}"
    params = _params(node[2], number)
    content_id = _text(node[3], "the content id", number)
    description = _text(node[4], "the description", number)
    encoding = (_text(node[5], "the encoding", number) or "7bit").lower()
    size = _number(node[6], "the size", number)
    rest = node[7:]
    lines: int | None = None
    children: tuple[BodyPart, ...] = ()
    if content_type in ("message/rfc822", "message/global") and len(rest) >= 3 and isinstance(rest[1], list):
        # envelope, body, lines: the attached message's body is numbered inside this part
        inner = rest[1]
        inner_number = number if inner and isinstance(inner[0], list) else f"{number}.1"
        children = (_body(inner, inner_number, depth + 1, budget),)
        lines = _number(rest[2], "the line count", number)
        rest = rest[3:]
    elif kind == "text":
        if not rest:
            raise BodyStructureError(f"part {number}: text part without a line count")
        lines = _number(rest[0], "the line count", number)
        rest = rest[1:]
    # body-ext-1part: md5, disposition, language, location, extensions
    disposition, dparams = _disposition(rest[1], number) if len(rest) > 1 else (None, ())
    return BodyPart(
        part=number,
        content_type=content_type,
        params=params,
        content_id=content_id,
        description=description,
        encoding=encoding,
        size=size,
        lines=lines,
        disposition=disposition,
        disposition_params=dparams,
        children=children,
    )


def parse_bodystructure(value: Any) -> BodyPart:
    """The BODYSTRUCTURE item as the general tokenizer reads it (``FetchedMessage.extra``)
    → the message's tree. Raises :class:`BodyStructureError`."""
    return _body(value, "", 0, _Budget())


def parse_bodystructure_bytes(data: bytes, literals: Sequence[bytes] = ()) -> BodyPart:
    """The BODYSTRUCTURE item's text (``(...)``, literals cut out) → the message's tree."""
    try:
        tree = tokenize(data, literals)
    except ParseError as exc:
        raise BodyStructureError(f"not a list: {exc}") from None
    if len(tree) != 1:
        raise BodyStructureError("not exactly one body")
    return parse_bodystructure(tree[0])


__all__ = [
    "MAX_DEPTH",
    "MAX_PARAMS",
    "MAX_PARTS",
    "BodyPart",
    "BodyStructureError",
    "parse_bodystructure",
    "parse_bodystructure_bytes",
]
