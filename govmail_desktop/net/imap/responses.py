"""Typed values of the responses other than FETCH: LIST/XLIST, STATUS, ESEARCH and
SEARCH, VANISHED, the unsolicited events of the selected folder, and SELECT.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from govmail_desktop.net.imap import bounds
from govmail_desktop.net.imap.fetch import FetchedMessage, parse_fetch
from govmail_desktop.net.imap.grammar import (
    Atom,
    ParseError,
    check_uid_set,
    checked_number,
    excerpt,
    parse_sequence_set,
    response_code,
    tokenize,
)
from govmail_desktop.net.imap.text import decode_mutf7

# -- other responses -----------------------------------------------------------------------


@dataclass(frozen=True)
class FolderListing:
    """One LIST response (plus LIST-STATUS counts when the server sent them)."""

    name: str  # decoded (Thai text, not modified UTF-7)
    wire_name: bytes  # as the server sent it, for commands
    delimiter: str | None
    attributes: frozenset[str]  # lower-case, e.g. {"\\noselect", "\\sent", "\\haschildren"}
    status: dict[str, int] = field(default_factory=dict)

    @property
    def selectable(self) -> bool:
        return not ({"\\noselect", "\\nonexistent"} & self.attributes)

    @property
    def special_use(self) -> str | None:
        for attr in ("\\inbox", "\\sent", "\\drafts", "\\trash", "\\junk", "\\archive", "\\all", "\\flagged"):
            if attr in self.attributes:
                return attr
        return None


def _astring(value: Any) -> bytes:
    if value is None:
        return b"NIL"
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise ParseError("expected a string")


def parse_list(data: bytes, literals: Sequence[bytes] = ()) -> FolderListing:
    """``* LIST (\\HasNoChildren \\Sent) "/" "Sent"`` -> FolderListing."""
    tree = tokenize(data, literals)
    if len(tree) < 5 or tree[1].upper() not in (b"LIST", b"LSUB", b"XLIST"):
        raise ParseError("not a LIST response")
    attrs, delim, name = tree[2], tree[3], tree[4]
    if not isinstance(attrs, list):
        raise ParseError("LIST attributes are not a list")
    if isinstance(delim, list):
        raise ParseError("LIST hierarchy delimiter is not a string")
    wire = _astring(name)
    decoded = "INBOX" if wire.upper() == b"INBOX" else decode_mutf7(wire)
    return FolderListing(
        decoded,
        wire,
        delim.decode("utf-8", "replace") if delim else None,
        frozenset(bytes(a).decode("utf-8", "replace").lower() for a in attrs),
    )


def parse_status(data: bytes, literals: Sequence[bytes] = ()) -> tuple[bytes, dict[str, int]]:
    """``* STATUS "INBOX" (MESSAGES 3 UIDNEXT 10)`` -> (wire name, {"MESSAGES": 3, ...})."""
    tree = tokenize(data, literals)
    if len(tree) < 4 or tree[1].upper() != b"STATUS" or not isinstance(tree[3], list):
        raise ParseError("not a STATUS response")
    items = tree[3]
    values: dict[str, int] = {}
    for key, value in zip(items[::2], items[1::2], strict=False):
        try:
            values[bytes(key).decode("ascii").upper()] = int(value)
        except (TypeError, ValueError):
            raise ParseError("bad STATUS item") from None
    return _astring(tree[2]), values


class Vanished(NamedTuple):
    """``* VANISHED [(EARLIER)] uid-set``: UIDs gone from the selected folder."""

    earlier: bool
    uid_set: str

    def uids(self) -> list[int]:
        return parse_sequence_set(self.uid_set)


_VANISHED_RE = re.compile(rb"\* VANISHED (\(EARLIER\) )?(\S+)\s*\Z", re.IGNORECASE)


def parse_vanished(data: bytes) -> Vanished:
    """The set stays as sent (ranges, never expanded: ``1:4294967295`` is one range);
    ParseError for anything outside known-uids (``*``, 0, beyond 32 bits)."""
    m = _VANISHED_RE.match(data)
    if m is None:
        raise ParseError("not a VANISHED response")
    return Vanished(m.group(1) is not None, check_uid_set(m.group(2)).decode("ascii"))


class SearchResult(NamedTuple):
    """UIDs (or sequence numbers) found, as a compact set and optional counts."""

    uid_set: str  # "" when nothing matched
    matched: int | None = None  # (not ``count``: that name is tuple.count)
    highest_modseq: int | None = None

    def numbers(self) -> list[int]:
        return parse_sequence_set(self.uid_set) if self.uid_set else []


_SEQUENCE_SET = re.compile(rb"[0-9*]+(?::[0-9*]+)?(?:,[0-9*]+(?::[0-9*]+)?)*")


def _atom(value: Any, what: str) -> bytes:
    """An atom or string of a SEARCH answer; a list there is outside the grammar."""
    if isinstance(value, list) or value is None:
        raise ParseError(f"{what}: a list where a single value belongs")
    return bytes(value)


def _number(value: Any, what: str, high: int = bounds.MAX_UID, low: int = 0) -> int:
    text = _atom(value, what)
    if not text.isdigit() or len(text) > 20:
        raise ParseError(f"{what}: not a number: {excerpt(text, 40)}")
    return checked_number(int(text), what, low, high)


def parse_esearch(data: bytes) -> SearchResult:
    """``* ESEARCH (TAG "A1") UID ALL 1:3,5 COUNT 4`` -> SearchResult; ParseError when the
    answer is outside the grammar (a list, or text, where a number or a set belongs)."""
    tree = tokenize(data)
    items = tree[2:]
    if items and isinstance(items[0], list):
        items = items[1:]
    if items and isinstance(items[0], Atom) and items[0].upper() == b"UID":
        items = items[1:]
    uid_set, count, modseq = "", None, None
    for key, value in zip(items[::2], items[1::2], strict=False):
        k = _atom(key, "ESEARCH").upper()
        if k == b"ALL":
            found = _atom(value, "ESEARCH ALL")
            if _SEQUENCE_SET.fullmatch(found) is None:
                raise ParseError(f"ESEARCH ALL: not a sequence set: {excerpt(found, 40)}")
            uid_set = check_uid_set(found).decode("ascii")  # no "*", 0 or numbers beyond 32 bits
        elif k == b"COUNT":
            count = _number(value, "ESEARCH COUNT")
        elif k == b"MODSEQ":
            modseq = _number(value, "ESEARCH MODSEQ", bounds.MAX_MODSEQ)
    return SearchResult(uid_set, count, modseq)


def parse_search(data: bytes) -> tuple[list[int], int | None]:
    """``* SEARCH 2 5 (MODSEQ 9)`` -> ([2, 5], 9); ParseError outside the grammar."""
    tree = tokenize(data)
    numbers: list[int] = []
    modseq = None
    for value in tree[2:]:
        if isinstance(value, list):
            if len(value) != 2 or _atom(value[0], "SEARCH").upper() != b"MODSEQ":
                raise ParseError("SEARCH: an unknown list after the numbers")
            modseq = _number(value[1], "SEARCH MODSEQ", bounds.MAX_MODSEQ)
            continue
        numbers.append(_number(value, "SEARCH", low=1))
    return numbers, modseq

# -- unsolicited responses (events) -------------------------------------------------------


class Exists(NamedTuple):
    messages: int  # the mailbox's message count (not ``count``: that name is tuple.count)


class Expunge(NamedTuple):
    seq: int


class FlagsChanged(NamedTuple):
    """An unsolicited FETCH: flags of a message changed (UID present when QRESYNC is on)."""

    seq: int
    uid: int | None
    flags: tuple[str, ...] | None
    modseq: int | None


class ModseqChanged(NamedTuple):
    highest_modseq: int


Event = Exists | Expunge | Vanished | FlagsChanged | ModseqChanged

_NUMBERED = re.compile(rb"\* (\d+) (EXISTS|EXPUNGE|RECENT|FETCH)\b", re.IGNORECASE)


def parse_event(data: bytes, literals: Sequence[bytes] = ()) -> Event | None:
    """The event an untagged response carries for the selected folder, if any."""
    m = _NUMBERED.match(data)
    if m is not None:
        kind = m.group(2).upper()
        if len(m.group(1)) > 10:
            raise ParseError(f"message number beyond 32 bits: {excerpt(m.group(1), 24)}")
        n = int(m.group(1))
        if kind == b"EXISTS":
            return Exists(n)
        if kind == b"EXPUNGE":
            return Expunge(n)
        if kind == b"FETCH":
            msg = parse_fetch(data, literals)
            return FlagsChanged(msg.seq, msg.uid, msg.flags, msg.modseq)
        return None
    upper = data[:12].upper()
    if upper.startswith(b"* VANISHED"):
        return parse_vanished(data)
    if upper.startswith(b"* OK"):
        code = response_code(data)
        if code is not None and code[0] == "HIGHESTMODSEQ":
            if not code[1].isdigit() or len(code[1]) > 19:
                raise ParseError(f"HIGHESTMODSEQ: not a number: {excerpt(code[1], 24)}")
            return ModseqChanged(checked_number(int(code[1]), "HIGHESTMODSEQ", 0, bounds.MAX_MODSEQ))
    return None


# -- SELECT -----------------------------------------------------------------------------------


@dataclass
class SelectResult:
    """What SELECT/EXAMINE told us about the folder (RFC 3501, 7162)."""

    folder: str
    uidvalidity: int | None = None
    uidnext: int | None = None
    exists: int = 0
    highest_modseq: int | None = None  # None: no CONDSTORE or NOMODSEQ
    flags: tuple[str, ...] = ()
    permanent_flags: tuple[str, ...] = ()
    read_only: bool = False
    #: With QRESYNC: UIDs removed since the given modseq ...
    vanished: list[str] = field(default_factory=list)  # sequence-set strings
    #: ... and messages whose flags changed since then.
    changed: list[FetchedMessage] = field(default_factory=list)
    qresync_used: bool = False

    def vanished_uids(self) -> list[int]:
        result: set[int] = set()
        for uid_set in self.vanished:
            result.update(parse_sequence_set(uid_set))
        return sorted(result)
