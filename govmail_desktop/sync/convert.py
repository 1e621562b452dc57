"""Wire values (net/imap_wire) to the shared entities (core/entities) the cache stores.

This runs once per message in a 100,000-message sync, so it is written for
speed: address tuples repeat (a mailbox has few correspondents) and are
converted once; dates stay integer Unix seconds, which ``MailCache`` takes as
they are (``store.cache._to_epoch`` accepts ``int``) — building a datetime per
message only to turn it back into an integer would cost a second per 100,000.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable

from govmail_desktop.core.entities import Address, MessageSummary
from govmail_desktop.net.imap_wire import Address as WireAddress
from govmail_desktop.net.imap_wire import FetchedMessage, decode_header_text

#: Header fields fetched next to ENVELOPE: threading (References) and the
#: attachment mark (Content-Type); ENVELOPE has neither.
HEADER_FIELDS = ("REFERENCES", "CONTENT-TYPE")
HEADER_SECTION = f"BODY[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
SUMMARY_ITEMS = f"UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
FLAG_ITEMS = "UID FLAGS"

_ADDRESSES: dict[tuple[WireAddress, ...], tuple[Address, ...]] = {}
_ADDRESSES_MAX = 20000
_MSGID = re.compile(rb"<[^<>\s]+>")
_FIELD = re.compile(rb"^([A-Za-z-]+):[ \t]*((?:.*)(?:\r?\n[ \t].*)*)", re.MULTILINE)
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

    Same object as the constructor makes (checked by tests/unit/sync/test_convert.py);
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


def addresses(wire: tuple[WireAddress, ...]) -> tuple[Address, ...]:
    """Entity addresses, converted once per distinct list."""
    if not wire:
        return ()
    found = _ADDRESSES.get(wire)
    if found is None:
        found = tuple([Address(a.name, a.email) for a in wire])
        if len(_ADDRESSES) >= _ADDRESSES_MAX:
            _ADDRESSES.clear()
        _ADDRESSES[wire] = found
    return found


def header_fields(block: bytes | None) -> dict[str, bytes]:
    """``References: <a>\\r\\n <b>\\r\\n\\r\\n`` -> {"references": b"<a> <b>"} (unfolded)."""
    if not block:
        return {}
    result: dict[str, bytes] = {}
    for name, value in _FIELD.findall(block):
        key = name.decode("ascii").lower()
        if key not in result:  # the first occurrence wins (as in the message list of mailers)
            if b"\n" in value:
                value = re.sub(rb"\r?\n[ \t]+", b" ", value)
            result[key] = value.strip()
    return result


def references_of(value: bytes | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(m.decode("ascii", "replace") for m in _MSGID.findall(value))


_SECTION_CACHE: dict[bytes, tuple[tuple[str, ...], bool]] = {}


def _section_info(block: bytes) -> tuple[tuple[str, ...], bool]:
    """(References, has attachments) of the fetched header fields; the many
    identical blocks (same Content-Type, no References) are worked out once."""
    found = _SECTION_CACHE.get(block)
    if found is not None:
        return found
    fields = header_fields(block)
    content_type = fields.get("content-type")
    found = (references_of(fields.get("references")), bool(content_type and _ATTACHMENT_TYPES.match(content_type)))
    if len(block) < 512:
        if len(_SECTION_CACHE) >= _ADDRESSES_MAX:
            _SECTION_CACHE.clear()
        _SECTION_CACHE[block] = found
    return found


def summary_of(msg: FetchedMessage, section: str = HEADER_SECTION) -> MessageSummary | None:
    """The summary of one FETCH row; None when the row lacks UID or ENVELOPE."""
    env = msg.envelope
    uid = msg.uid
    if env is None or uid is None:
        return None
    references: tuple[str, ...] = ()
    has_attachments = False
    sections = msg.sections
    if sections:
        block = sections.get(section)
        if block:
            references, has_attachments = _section_info(block)
    internaldate = msg.internaldate if msg.internaldate is not None else env.date
    return new_summary(
        uid=uid,
        flags=frozenset(msg.flags) if msg.flags else frozenset(),
        internaldate=internaldate,  # int seconds: see module doc
        date=env.date,
        size=msg.size or 0,
        subject=env.subject,
        from_=addresses(env.from_),
        to=addresses(env.to),
        cc=addresses(env.cc),
        message_id=env.message_id or None,
        in_reply_to=env.in_reply_to or None,
        references=references,
        has_attachments=has_attachments,
        modseq=msg.modseq,
        reply_to=addresses(env.reply_to) if env.reply_to != env.from_ else (),
    )


def summaries_of(messages: Iterable[FetchedMessage]) -> list[MessageSummary]:
    out = []
    for msg in messages:
        summary = summary_of(msg)
        if summary is not None:
            out.append(summary)
    return out


def flags_of(messages: Iterable[FetchedMessage]) -> dict[int, frozenset[str]]:
    """{uid: flags} of FETCH rows that carry both."""
    return {m.uid: frozenset(m.flags) for m in messages if m.uid is not None and m.flags is not None}


def display_name(raw: bytes) -> str:
    """A decoded header text (for callers that fetched a header themselves)."""
    return decode_header_text(raw)
