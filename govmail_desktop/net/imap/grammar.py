"""The general IMAP response grammar: a tokenizer of one response into nested lists
(the slow, always correct path), sequence sets, response codes, and the log excerpts
that never show message content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from govmail_desktop.net.imap import bounds


class ParseError(ValueError):
    """A response did not follow the grammar (the caller skips the row)."""


def excerpt(data: bytes, limit: int = 120) -> str:
    """A short, escaped excerpt for the log (no full message content)."""
    return repr(data[:limit]) + ("…" if len(data) > limit else "")


def shape(line: bytes, limit: int = 200) -> str:
    """A response's shape for the log: its text with quoted strings emptied (literals
    are cut out already), so the server's item names show and message content does not."""
    return excerpt(QUOTED_RE.sub(b'"..."', line), limit)


# -- the general tokenizer ---------------------------------------------------------------

QUOTED = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
TOKEN_RE = re.compile(
    rb"[ ]*(?:(\()|(\))|(" + QUOTED + rb")|\{(\d+)\+?\}|((?:[^\s()\"{\[]|\[[^\]]*\])+))"
)
UNESCAPE_RE = re.compile(rb"\\(.)")
NIL = b"NIL"


def unquote(token: bytes) -> bytes:
    """``"a \\"b\\""`` -> ``a "b"``."""
    inner = token[1:-1]
    return UNESCAPE_RE.sub(rb"\1", inner) if b"\\" in inner else inner


class Atom(bytes):
    """An atom or number as sent (distinguishes ``NIL``/flags from strings)."""

    __slots__ = ()


def tokenize(data: bytes, literals: Sequence[bytes] = (), start: int = 0) -> list[Any]:
    """Parse ``data`` into nested lists: Atom for atoms, bytes for strings/literals,
    None for NIL. Literals are taken in order from ``literals`` (see ResponseReader).
    """
    root: list[Any] = []
    stack = [root]
    max_depth = bounds.MAX_NESTING + 1  # the root is one entry of the stack
    current = root
    lits = iter(literals)
    pos = start
    end = len(data)
    match = TOKEN_RE.match
    while pos < end:
        m = match(data, pos)
        if m is None:
            if data[pos:].strip() == b"":
                break
            raise ParseError(f"unexpected byte at {pos}: {excerpt(data[pos:], 40)}")
        pos = m.end()
        if m.start(5) >= 0:
            atom = m.group(5)
            current.append(None if atom == NIL else Atom(atom))
        elif m.start(3) >= 0:
            current.append(unquote(m.group(3)))
        elif m.start(1) >= 0:
            if len(stack) >= max_depth:
                raise ParseError(f"nested deeper than {bounds.MAX_NESTING} levels")
            child: list[Any] = []
            current.append(child)
            stack.append(child)
            current = child
        elif m.start(2) >= 0:
            if len(stack) == 1:
                raise ParseError("unbalanced ')'")
            stack.pop()
            current = stack[-1]
        elif m.start(4) >= 0:
            try:
                current.append(next(lits))
            except StopIteration:
                raise ParseError("literal marker without data") from None
        else:  # only blanks matched
            break
    if len(stack) != 1:
        raise ParseError("unbalanced '('")
    return root

QUOTED_RE = re.compile(QUOTED)


# -- sequence sets ------------------------------------------------------------------------


def parse_sequence_set(raw: bytes | str) -> list[int]:
    """``1:3,7,9:8`` -> [1, 2, 3, 7, 8, 9] (no ``*``; sorted, unique)."""
    if isinstance(raw, str):
        raw = raw.encode("ascii")
    result: set[int] = set()
    for part in raw.split(b","):
        part = part.strip()
        if not part:
            continue
        if b":" in part:
            a, b = part.split(b":", 1)
            lo, hi = sorted((int(a), int(b)))
            if hi - lo > 50_000_000:
                raise ParseError("sequence set too large")
            result.update(range(lo, hi + 1))
        else:
            result.add(int(part))
    return sorted(result)


def iter_sequence_ranges(raw: bytes | str) -> Iterator[tuple[int, int]]:
    """``1:3,7`` -> (1, 3), (7, 7) without expanding (for huge VANISHED sets)."""
    if isinstance(raw, str):
        raw = raw.encode("ascii")
    for part in raw.split(b","):
        part = part.strip()
        if not part:
            continue
        if b":" in part:
            a, b = part.split(b":", 1)
            lo, hi = sorted((int(a), int(b)))
            yield lo, hi
        else:
            n = int(part)
            yield n, n


_UID_SET = re.compile(rb"[1-9][0-9]{0,9}(?::[1-9][0-9]{0,9})?(?:,[1-9][0-9]{0,9}(?::[1-9][0-9]{0,9})?)*")


def check_uid_set(raw: bytes) -> bytes:
    """``raw`` if it is a set of UIDs as a server may send one (known-uids, RFC 7162: no
    ``*``, each 1..MAX_UID); ParseError otherwise. Ranges are checked, never expanded."""
    if _UID_SET.fullmatch(raw) is None:
        raise ParseError(f"not a set of UIDs: {excerpt(raw, 40)}")
    for part in raw.split(b","):
        for number in part.split(b":"):
            if int(number) > bounds.MAX_UID:
                raise ParseError(f"UID beyond {bounds.MAX_UID}: {excerpt(number, 20)}")
    return raw


def checked_number(value: int, what: str, low: int = 1, high: int = bounds.MAX_UID) -> int:
    """``value`` when ``low <= value <= high``; ParseError otherwise."""
    if not low <= value <= high:
        raise ParseError(f"{what} out of range: {str(value)[:24]}")
    return value


def format_sequence_set(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 7] -> ``1:3,7`` (input in any order, duplicates allowed)."""
    ordered = sorted(set(numbers))
    if not ordered:
        raise ValueError("empty sequence set")
    parts = []
    start = prev = ordered[0]
    for n in ordered[1:]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = n
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)

_RESP_CODE = re.compile(rb"\[([A-Za-z0-9.\-]+)(?: ([^\]]*))?\]")


def response_code(text: bytes) -> tuple[str, bytes] | None:
    """``OK [UIDNEXT 44] Predicted`` -> ("UIDNEXT", b"44")."""
    m = _RESP_CODE.search(text)
    if m is None:
        return None
    return m.group(1).decode("ascii").upper(), (m.group(2) or b"")
