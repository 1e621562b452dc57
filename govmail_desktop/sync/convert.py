"""Wire values (net/imap) to the shared entities (core/entities) the cache stores.

Header text, fields and dates are read by the one decoder the preview uses too
(``mime.headers``, ``mime.charsets``, ``mime.dates``, ``mime.addresses.parse_addresses``),
so the message list and the preview show the same subject, senders and date.

This runs once per message in a 100,000-message sync, so it is written for
speed: address lists repeat (a mailbox has few correspondents) and are parsed
once per sync (:class:`Memo`, one per sync, never shared between threads); dates
stay integer Unix seconds, which ``MailCache`` takes as they are
(``store.message_rows._to_epoch`` accepts ``int``) — building a datetime per message
only to turn it back into an integer would cost a second per 100,000.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any, TypeVar

from govmail_desktop.core.entities import Address, MessageSummary
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.mime.charsets import decode_header
from govmail_desktop.mime.dates import parse_date
from govmail_desktop.mime.headers import header_fields, message_id_text, occurrences
from govmail_desktop.net.imap.fetch import FetchedMessage

#: What the header sync asks for: the summary's header fields as raw text, with
#: References (threading) and Content-Type (the attachment mark). Not ENVELOPE:
#: it lacks those two, and Dovecot spends ~0.8 s of CPU per 100,000 messages
#: building envelopes (measured beside this list: 1.2 s against 2.0 s, and 67 MB
#: sent against 85 MB). Thunderbird asks for header fields the same way.
HEADER_FIELDS = ("DATE", "FROM", "TO", "CC", "SUBJECT", "MESSAGE-ID", "IN-REPLY-TO", "REFERENCES", "CONTENT-TYPE")
HEADER_SECTION = f"BODY[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
SUMMARY_ITEMS = f"UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
FLAG_ITEMS = "UID FLAGS"

_MSGID = re.compile(rb"<[^<>\s]+>")
# Content types that mean "this message carries files" for the list's paper-clip mark.
_ATTACHMENT_TYPES = re.compile(
    rb"^\s*(?:multipart/mixed|application/|image/|audio/|video/|multipart/report)", re.IGNORECASE
)


def _summary_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for f in dataclasses.fields(MessageSummary):
        if f.default is not dataclasses.MISSING:
            defaults[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:  # immutable values only (tuples, frozensets)
            defaults[f.name] = f.default_factory()
    return defaults


_SUMMARY_DEFAULTS = _summary_defaults()
_SUMMARY_FIELDS = frozenset(f.name for f in dataclasses.fields(MessageSummary))


def new_summary(**values: Any) -> MessageSummary:
    """``MessageSummary(**values)`` without the frozen-dataclass ``__init__`` (4x faster).

    Same object as the constructor makes (tests/unit/sync/test_offline_and_folders.py,
    ``test_summary_matches_the_dataclass_constructor``, compares the two);
    unknown names are refused, missing ones get the dataclass defaults.
    """
    unknown = values.keys() - _SUMMARY_FIELDS
    if unknown:
        raise TypeError(f"unknown MessageSummary fields: {sorted(unknown)}")
    summary = object.__new__(MessageSummary)
    state = dict(_SUMMARY_DEFAULTS)
    state.update(values)
    summary.__dict__.update(state)
    return summary


K = TypeVar("K")
V = TypeVar("V")


class Memo:
    """Values one sync works out once per distinct value: correspondents' address lists,
    section names. One per sync, used on the sync's own thread (never shared between
    accounts or threads); each table starts afresh when it holds :attr:`limit` entries.
    ``sync.rows.RowMemo`` adds the fused row path's tables."""

    __slots__ = ("limit", "addresses", "section_keys")

    def __init__(self, limit: int = 20000) -> None:
        self.limit = limit
        self.addresses: dict[bytes, tuple[Address, ...]] = {}
        self.section_keys: dict[str, str] = {}

    def remember(self, table: dict[K, V], key: K, value: V) -> V:
        if len(table) >= self.limit:
            table.clear()
        table[key] = value
        return value


def header_addresses(value: bytes | None, memo: Memo | None = None) -> tuple[Address, ...]:
    """The mailboxes of a From/To/Cc value of :func:`mime.headers.header_fields` (every
    occurrence of the field), parsed as the preview parses them (mime.addresses.parse_addresses:
    names decoded, controls dropped, at most 100); with a ``memo``, once per distinct
    value — a mailbox repeats its correspondents."""
    if not value:
        return ()
    if memo is not None:
        found = memo.addresses.get(value)
        if found is not None:
            return found
    found = parse_addresses([v.decode("ascii", "surrogateescape") for v in occurrences(value)]).addresses
    return found if memo is None else memo.remember(memo.addresses, value, found)


# -- body section names compared by their meaning -------------------------------------
#
# A server echoes the section it was asked for in its own spelling: Dovecot as asked
# (``BODY[HEADER.FIELDS (DATE FROM ...)]``), Courier with the field names quoted
# (``BODY[HEADER.FIELDS ("DATE" "FROM" ...)]``), which RFC 3501 allows (astring), and
# any server may change their case or order. ``section_key`` gives every spelling of
# one section the same key, worked out once per distinct name (a sync sees one or two).

_SECTION_NAME = re.compile(r"(BODY|BINARY)(?:\.PEEK)?\[([^\]]*)\](<\d+(?:\.\d+)?>)?\Z", re.IGNORECASE)
_FIELD_LIST = re.compile(r"((?:\d+\.)*HEADER\.FIELDS(?:\.NOT)?) ?\((.*)\)\Z", re.IGNORECASE | re.DOTALL)
_FIELD_NAME = re.compile(r'"((?:[^"\\]|\\.)*)"|([^\s"()]+)|(\S)')


def section_key(name: str, memo: Memo | None = None) -> str:
    """The meaning of a body section name: ``BODY[HEADER.FIELDS ("Date" "from")]`` and
    ``body[header.fields (FROM DATE)]`` -> ``BODY[HEADER.FIELDS (DATE FROM)]`` (field
    names unquoted, upper case, sorted, once each; ``BODY.PEEK`` as ``BODY``). A name
    outside this grammar is its upper-case self (equal only to the same spelling)."""
    if memo is None:
        return _section_key(name)
    found = memo.section_keys.get(name)
    if found is None:
        found = memo.remember(memo.section_keys, name, _section_key(name))
    return found


def _section_key(name: str) -> str:
    m = _SECTION_NAME.match(name.strip())
    if m is None:
        return name.upper()
    kind, section, partial = m.group(1).upper(), m.group(2), m.group(3) or ""
    fields = _FIELD_LIST.match(section.strip())
    if fields is None:
        return f"{kind}[{section.strip().upper()}]{partial}"
    names = set()
    for quoted, atom, stray in _FIELD_NAME.findall(fields.group(2)):
        if stray:  # a parenthesis or quote out of place: not a field list
            return name.upper()
        names.add((re.sub(r"\\(.)", r"\1", quoted) if quoted else atom).upper())
    return f"{kind}[{fields.group(1).upper()} ({' '.join(sorted(names))})]{partial}"


#: The key of the section the header sync asks for (:data:`SUMMARY_ITEMS`).
HEADER_SECTION_KEY = section_key(HEADER_SECTION)


def header_block(sections: dict[str, bytes | None] | None, memo: Memo | None = None) -> bytes | None:
    """The HEADER.FIELDS block of a FETCH row, the section named in any spelling
    the server chose (see :func:`section_key`)."""
    if not sections:
        return None
    block = sections.get(HEADER_SECTION)
    if block is None:
        for name, value in sections.items():
            if section_key(name, memo) == HEADER_SECTION_KEY:
                return value
    return block


def id_text(value: bytes | None, message_id: bool) -> str | None:
    """Message-ID / In-Reply-To header text (``mime.headers.message_id_text``), None when empty."""
    if not value:
        return None
    return message_id_text(value, message_id) or None


def references_of(value: bytes | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(m.decode("ascii", "replace") for m in _MSGID.findall(value))


def is_attachment_type(content_type: bytes | None) -> bool:
    """A Content-Type that means "this message carries files" (the list's paper clip)."""
    return bool(content_type and _ATTACHMENT_TYPES.match(content_type))


def fields_info(fields: dict[str, bytes]) -> tuple[tuple[str, ...], bool]:
    """(References, has attachments) of parsed header fields."""
    return references_of(fields.get("references")), is_attachment_type(fields.get("content-type"))


def summary_of(msg: FetchedMessage, memo: Memo | None = None) -> MessageSummary | None:
    """The summary of one FETCH row of :data:`SUMMARY_ITEMS`; None when the row lacks
    the UID or the header fields (an unsolicited flag update)."""
    if msg.uid is None:
        return None
    block = header_block(msg.sections, memo)
    return None if block is None else summary_from_headers(msg, block, memo)


def summary_from_headers(msg: FetchedMessage, block: bytes, memo: Memo | None = None) -> MessageSummary:
    """The summary of a row that carries the header fields."""
    fields = header_fields(block)  # each value cut to mime.headers.MAX_VALUE_BYTES
    date = parse_date(fields.get("date"))
    references, has_attachments = fields_info(fields)
    return new_summary(
        uid=msg.uid,
        flags=frozenset(msg.flags) if msg.flags else frozenset(),
        internaldate=msg.internaldate if msg.internaldate is not None else date,
        date=date,
        size=msg.size or 0,
        subject=decode_header(fields.get("subject")),
        from_=header_addresses(fields.get("from"), memo),
        to=header_addresses(fields.get("to"), memo),
        cc=header_addresses(fields.get("cc"), memo),
        message_id=id_text(fields.get("message-id"), True),
        in_reply_to=id_text(fields.get("in-reply-to"), False),
        references=references,
        has_attachments=has_attachments,
        modseq=msg.modseq,
    )


def summaries_of(messages: Iterable[FetchedMessage], memo: Memo | None = None) -> list[MessageSummary]:
    out = []
    for msg in messages:
        summary = summary_of(msg, memo)
        if summary is not None:
            out.append(summary)
    return out


def flags_of(messages: Iterable[FetchedMessage]) -> dict[int, frozenset[str]]:
    """{uid: flags} of FETCH rows that carry both."""
    return {m.uid: frozenset(m.flags) for m in messages if m.uid is not None and m.flags is not None}


def display_name(raw: bytes) -> str:
    """A decoded header text (for callers that fetched a header themselves)."""
    return decode_header(raw)
