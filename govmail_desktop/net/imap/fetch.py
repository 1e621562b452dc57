"""FETCH responses: the typed values (:class:`FetchedMessage`) and their parser.

``parse_fetch`` matches the common FETCH items with compiled regular expressions
(every byte touched once or twice in C) and reads any other item with the general
tokenizer (``grammar.tokenize``). :data:`SUMMARY_ROW_RE` is the header sync's row in
the common layout, matched in the read buffer by ``reader.ResponseReader.read_bulk``
(the fused row path; the sync asks for header fields, not ENVELOPE).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from govmail_desktop.mime.dates import parse_internaldate
from govmail_desktop.net.imap import bounds
from govmail_desktop.net.imap.grammar import (
    QUOTED,
    QUOTED_RE,
    TOKEN_RE,
    UNESCAPE_RE,
    ParseError,
    checked_number,
    tokenize,
)


class FetchedMessage(NamedTuple):
    """One FETCH response. Items the server did not send are None.

    ``sections`` maps a body section name as the server wrote it (e.g.
    ``"BODY[HEADER.FIELDS (REFERENCES)]"``) to its bytes; ``extra`` holds any
    other item as parsed by the general tokenizer.
    """

    seq: int
    uid: int | None
    flags: tuple[str, ...] | None
    internaldate: int | None
    size: int | None
    modseq: int | None
    sections: dict[str, bytes | None] | None = None
    extra: dict[str, Any] | None = None


# -- the FETCH parser ------------------------------------------------------------------

_NS = rb"(NIL|" + QUOTED + rb"|\{\d+\+?\})"
_FETCH_COMMON = re.compile(
    rb"\* (\d+) FETCH \((?:UID (\d+) ?)?(?:FLAGS \(([^()]*)\) ?)?(?:INTERNALDATE \"([^\"]*)\" ?)?"
    rb"(?:RFC822\.SIZE (\d+) ?)?(?:MODSEQ \((\d+)\) ?)?"
)
_ITEM_NAME = re.compile(rb" ?([A-Za-z0-9._-]+(?:\[[^\]]*\](?:<\d+>)?)?) ")
_NUMBER = re.compile(rb"(\d+)")
_FLAGS_RE = re.compile(rb"\(([^()]*)\)")
_MODSEQ_RE = re.compile(rb"\((\d+)\)")
_NSTRING_RE = re.compile(_NS)


class _Literals:
    """Literals of one response, consumed in the order their markers appear."""

    __slots__ = ("items", "index")

    def __init__(self, items: Sequence[bytes]) -> None:
        self.items = items
        self.index = 0

    def take(self) -> bytes:
        if self.index >= len(self.items):
            raise ParseError("literal marker without data")
        value = self.items[self.index]
        self.index += 1
        return value


def _nstring(token: bytes, lits: _Literals) -> bytes | None:
    first = token[0]
    if first == 34:  # '"'
        inner = token[1:-1]
        return UNESCAPE_RE.sub(rb"\1", inner) if b"\\" in inner else inner
    if first == 123:  # '{'
        return lits.take()
    return None  # NIL


def _skip_value(data: bytes, pos: int) -> int:
    """End of one value (atom, string, literal marker or balanced list) starting at pos."""
    depth = 0
    while True:
        m = TOKEN_RE.match(data, pos)
        if m is None:
            raise ParseError("cannot skip value")
        pos = m.end()
        if m.start(1) >= 0:
            depth += 1
            if depth > bounds.MAX_NESTING:
                raise ParseError(f"nested deeper than {bounds.MAX_NESTING} levels")
        elif m.start(2) >= 0:
            depth -= 1
            if depth < 0:
                raise ParseError("unbalanced ')'")
        if depth == 0:
            return pos


# The header sync's row (``UID FLAGS INTERNALDATE RFC822.SIZE [MODSEQ] BODY[...]``
# with the section as a literal), matched where it lies in the read buffer: no line
# splitting, no second match (``ResponseReader.read_bulk``). Nothing in the matched
# text can hold a line break, so every match is the head of exactly one response;
# anything else takes the general path.
#: Groups: 1 UID, 2 flags (inside the parentheses), 3 INTERNALDATE (unquoted),
#: 4 RFC822.SIZE, 5 the section name (``BODY[...]``), ``literal`` (6) the size of
#: the section's literal, which follows the match and must end in ``)\r\n``.
#: A UID of up to ten digits, not starting with 0 (the builder still checks it against
#: ``bounds.MAX_UID``); anything else takes the general path, which refuses it.
SUMMARY_ROW_RE = re.compile(
    rb"\* \d++ FETCH \(UID ([1-9]\d{0,9}+) FLAGS \(([^()\r\n]*+)\) INTERNALDATE \"([^\"\r\n]*+)\" "
    rb"RFC822\.SIZE (\d{1,18}+) "
    rb"(?:MODSEQ \(\d++\) )?(BODY\[[^\]\r\n]*+\]) \{(?P<literal>\d{1,9})\}\r\n"
)


#: Flag lists seen, shared: a folder has a handful of distinct ones, and a NOOP after another
#: client changed a million messages keeps a million events (one tuple each otherwise).
_FLAG_TUPLES: dict[bytes, tuple[str, ...]] = {}
_FLAG_TUPLES_MAX = 4096


def _flags(raw: bytes) -> tuple[str, ...]:
    found = _FLAG_TUPLES.get(raw)
    if found is None:
        found = tuple(raw.decode("utf-8", "replace").split())
        if len(raw) <= 512:
            if len(_FLAG_TUPLES) >= _FLAG_TUPLES_MAX:
                _FLAG_TUPLES.clear()
            _FLAG_TUPLES[raw] = found
    return found


def parse_fetch(data: bytes, literals: Sequence[bytes] = ()) -> FetchedMessage:
    """One ``* n FETCH (...)`` response (literals cut out by the reader) -> FetchedMessage.

    Items in any order; body sections in ``sections``, items not known here (ENVELOPE,
    BODYSTRUCTURE, ...) kept in ``extra`` as the general tokenizer reads them. Raises
    ParseError for anything not in the grammar; the callers skip such rows.
    """
    head = _FETCH_COMMON.match(data)
    if head is None:
        raise ParseError("not a FETCH response")
    # The items most servers send first, in this order, in one match (the common case).
    seq_b, uid_b, flags_b, date_b, size_b, modseq_b = head.groups()
    seq = int(seq_b)
    uid = int(uid_b) if uid_b is not None else None
    flags = _flags(flags_b) if flags_b is not None else None
    internaldate = parse_internaldate(date_b) if date_b is not None else None
    size = int(size_b) if size_b is not None else None
    modseq = int(modseq_b) if modseq_b is not None else None
    sections: dict[str, bytes | None] | None = None
    extra: dict[str, Any] | None = None
    lits = _Literals(literals)
    pos = head.end()
    end = len(data)
    while True:
        if pos >= end:
            raise ParseError("FETCH response ends early")
        if data[pos] == 41:  # ')'
            break
        if data[pos] == 32:  # stray blank (lenient)
            pos += 1
            continue
        m = _ITEM_NAME.match(data, pos)
        if m is None:
            raise ParseError(f"bad FETCH item at {pos}")
        name = m.group(1).upper()
        pos = m.end()
        if name == b"UID":
            v = _NUMBER.match(data, pos)
            if v is None:
                raise ParseError("bad UID")
            uid = int(v.group(1))
            pos = v.end()
        elif name == b"FLAGS":
            v = _FLAGS_RE.match(data, pos)
            if v is None:
                raise ParseError("bad FLAGS")
            flags = _flags(v.group(1))
            pos = v.end()
        elif name == b"INTERNALDATE":
            v = QUOTED_RE.match(data, pos)
            if v is None:
                raise ParseError("bad INTERNALDATE")
            internaldate = parse_internaldate(data[v.start() + 1 : v.end() - 1])
            pos = v.end()
        elif name == b"RFC822.SIZE":
            v = _NUMBER.match(data, pos)
            if v is None:
                raise ParseError("bad RFC822.SIZE")
            size = int(v.group(1))
            pos = v.end()
        elif name == b"MODSEQ":
            v = _MODSEQ_RE.match(data, pos)
            if v is None:
                raise ParseError("bad MODSEQ")
            modseq = int(v.group(1))
            pos = v.end()
        elif name.startswith((b"BODY[", b"BINARY[", b"RFC822")):
            v = _NSTRING_RE.match(data, pos)
            if v is None:
                raise ParseError(f"bad {name!r}")
            if sections is None:
                sections = {}
            sections[name.decode("ascii", "replace")] = _nstring(v.group(1), lits)
            pos = v.end()
        else:
            new_pos = _skip_value(data, pos)
            chunk = data[pos:new_pos]
            markers = len(re.findall(rb"\{\d+\+?\}", _strip_quoted(chunk)))
            sub = list(lits.items[lits.index : lits.index + markers])
            lits.index += markers
            tree = tokenize(chunk, sub)
            if extra is None:
                extra = {}
            extra[name.decode("ascii", "replace")] = tree[0] if len(tree) == 1 else tree
            pos = new_pos
    if data[pos + 1 :].strip():
        raise ParseError("garbage after FETCH response")
    # Numbers a server cannot mean (UID 0, beyond 32 bits ...) refuse the row: the cache
    # and UID sets hold them as such (see bounds).
    checked_number(seq, "message number")
    if uid is not None:
        checked_number(uid, "UID")
    if size is not None:
        checked_number(size, "RFC822.SIZE", 0, bounds.MAX_MODSEQ)
    if modseq is not None:
        checked_number(modseq, "MODSEQ", 0, bounds.MAX_MODSEQ)
    return FetchedMessage(seq, uid, flags, internaldate, size, modseq, sections, extra)


def _strip_quoted(chunk: bytes) -> bytes:
    return QUOTED_RE.sub(b'""', chunk)
