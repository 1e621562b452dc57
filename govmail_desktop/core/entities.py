"""Typed mail entities shared by every layer (frozen dataclasses, no Qt, no imapclient).

net/ converts the protocol library's raw results into these at one boundary;
sync/ and store/ pass them along; models/ read them (or the store's rows).
Text fields are already decoded (RFC 2047, modified UTF-7 folder names);
datetimes are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntFlag


class Flag:
    """IMAP system flags and common keywords, spelled as on the wire."""

    SEEN = "\\Seen"
    ANSWERED = "\\Answered"
    FLAGGED = "\\Flagged"
    DELETED = "\\Deleted"
    DRAFT = "\\Draft"
    RECENT = "\\Recent"  # session-only; never stored
    FORWARDED = "$Forwarded"
    JUNK = "$Junk"
    NOT_JUNK = "$NotJunk"


class FlagBits(IntFlag):
    """The system flags packed into one integer (how the cache stores them).

    Everything else (keywords such as ``$Forwarded``) is kept as text.
    """

    NONE = 0
    SEEN = 1
    ANSWERED = 2
    FLAGGED = 4
    DELETED = 8
    DRAFT = 16


_BIT_OF = {
    Flag.SEEN.lower(): FlagBits.SEEN,
    Flag.ANSWERED.lower(): FlagBits.ANSWERED,
    Flag.FLAGGED.lower(): FlagBits.FLAGGED,
    Flag.DELETED.lower(): FlagBits.DELETED,
    Flag.DRAFT.lower(): FlagBits.DRAFT,
}
_NAME_OF = {
    FlagBits.SEEN: Flag.SEEN,
    FlagBits.ANSWERED: Flag.ANSWERED,
    FlagBits.FLAGGED: Flag.FLAGGED,
    FlagBits.DELETED: Flag.DELETED,
    FlagBits.DRAFT: Flag.DRAFT,
}


def encode_flags(flags: Iterable[str]) -> tuple[int, str]:
    """Flags → (bitmask of system flags, space-separated keywords).

    System flags are case-insensitive in IMAP; ``\\Recent`` is dropped (it is
    per-session and meaningless in a cache). Keywords keep their spelling,
    sorted so that equal sets give equal text.
    """
    bits = 0
    keywords: set[str] = set()
    for flag in flags:
        bit = _BIT_OF.get(flag.lower())
        if bit is not None:
            bits |= bit
        elif flag.lower() != Flag.RECENT.lower() and flag:
            keywords.add(flag)
    # A plain int: SQLite binds it directly (an IntFlag goes through adaptation first).
    return int(bits), " ".join(sorted(keywords))


def decode_flags(bits: int, keywords: str = "") -> frozenset[str]:
    """Inverse of :func:`encode_flags`."""
    out = {name for bit, name in _NAME_OF.items() if bits & bit}
    if keywords:
        out.update(keywords.split())
    return frozenset(out)


class SpecialUse:
    """RFC 6154 special-use attributes, plus a pseudo one for the INBOX."""

    INBOX = "\\Inbox"  # not an RFC 6154 attribute: the INBOX is known by its name
    DRAFTS = "\\Drafts"
    SENT = "\\Sent"
    ARCHIVE = "\\Archive"
    JUNK = "\\Junk"
    TRASH = "\\Trash"
    ALL = "\\All"
    FLAGGED = "\\Flagged"

    #: Order in which special folders are listed first in the folder tree.
    DISPLAY_ORDER = (INBOX, DRAFTS, SENT, ARCHIVE, JUNK, TRASH)
    KNOWN = frozenset((DRAFTS, SENT, ARCHIVE, JUNK, TRASH, ALL, FLAGGED))

    @classmethod
    def from_attributes(cls, attributes: Iterable[str]) -> str | None:
        """The first special-use attribute in a LIST response's attributes, if any."""
        lowered = {a.lower(): a for a in attributes}
        for known in (cls.DRAFTS, cls.SENT, cls.ARCHIVE, cls.JUNK, cls.TRASH, cls.ALL, cls.FLAGGED):
            if known.lower() in lowered:
                return known
        return None


@dataclass(frozen=True)
class Address:
    """One mailbox of an address header, with its display name decoded."""

    name: str
    email: str

    @property
    def display(self) -> str:
        """What a message list shows: the name, or the address if there is none."""
        return self.name or self.email

    def __str__(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email


@dataclass(frozen=True)
class Folder:
    """A mailbox as LIST reports it; ``name`` is the decoded full name."""

    name: str
    delimiter: str | None = "/"
    special_use: str | None = None
    attributes: frozenset[str] = frozenset()
    subscribed: bool = True

    @property
    def is_inbox(self) -> bool:
        return self.name.upper() == "INBOX"

    @property
    def selectable(self) -> bool:
        lowered = {a.lower() for a in self.attributes}
        return "\\noselect" not in lowered and "\\nonexistent" not in lowered

    @property
    def parts(self) -> tuple[str, ...]:
        """The hierarchy path (``"Projects/2569"`` → ``("Projects", "2569")``)."""
        if not self.delimiter:
            return (self.name,)
        return tuple(self.name.split(self.delimiter))

    @property
    def role(self) -> str | None:
        """Special use including the INBOX pseudo-role."""
        return SpecialUse.INBOX if self.is_inbox else self.special_use


@dataclass(frozen=True)
class FolderStatus:
    """STATUS / SELECT figures of one folder; ``None`` where the server did not say."""

    uidvalidity: int | None = None
    uidnext: int | None = None
    highestmodseq: int | None = None
    messages: int | None = None
    unseen: int | None = None


@dataclass(frozen=True)
class MessageSummary:
    """What the message list needs of one message (headers only, no body).

    ``preview`` is a short plain-text start of the body (may be empty when not
    fetched yet); ``references`` are Message-IDs with angle brackets.
    Dates are timezone-aware datetimes, or Unix seconds straight from the wire
    parser (the store takes both; a bulk sync need not build 100,000 datetimes).
    Address fields only need ``.name`` and ``.email``.
    """

    uid: int
    flags: frozenset[str] = frozenset()
    internaldate: datetime | int | None = None
    date: datetime | int | None = None
    size: int = 0
    subject: str = ""
    from_: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    preview: str = ""
    has_attachments: bool = False
    modseq: int | None = None
    reply_to: tuple[Address, ...] = field(default=())

    @property
    def seen(self) -> bool:
        return Flag.SEEN in self.flags

    @property
    def flagged(self) -> bool:
        return Flag.FLAGGED in self.flags

    @property
    def sender(self) -> Address | None:
        return self.from_[0] if self.from_ else None


@dataclass(frozen=True)
class FlagChange:
    """A flag update reported by the server (FETCH FLAGS / CONDSTORE)."""

    uid: int
    flags: frozenset[str]
    modseq: int | None = None
