"""Cache rows straight from FETCH values, for the bulk header sync.

``MailCache.insert_summaries`` takes ``MessageSummary`` entities and turns each
into a row with ``store.cache.summary_row``; for 100,000 messages that
conversion costs more than a second of the sync, mostly recomputing the same
sort keys and packed address lists for the same few hundred correspondents.
This module produces *the same rows* (tests/unit/sync/test_rows.py compares
them with ``summary_row`` over hostile input) with those per-correspondent
values computed once, and writes them with the public
``MailCache.insert_rows`` (one transaction per batch).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from govmail_desktop.core.entities import encode_flags
from govmail_desktop.net.imap_wire import Address as WireAddress
from govmail_desktop.net.imap_wire import FetchedMessage
from govmail_desktop.store import keys
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import convert

log = logging.getLogger(__name__)

_SIMPLE_ID = re.compile(r"<[^<>\s]+>\Z")


# Keyed by the wire tuples (NamedTuples hash in C; the entity dataclasses do not).
_FROM: dict[tuple[WireAddress, ...], tuple[str, str, str]] = {}
_PACKED: dict[tuple[WireAddress, ...], str] = {}
_SUBJECTS: dict[str, tuple[str, str]] = {}
_FLAGS: dict[tuple[str, ...], tuple[int, str]] = {}
_CACHE_MAX = 20000


def _remember(table: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(table) >= _CACHE_MAX:
        table.clear()
    table[key] = value
    return value


def _from_columns(wire: tuple[WireAddress, ...]) -> tuple[str, str, str]:
    """(from_display, sender_key, packed From) — once per correspondent."""
    found = _FROM.get(wire)
    if found is None:
        entities = convert.addresses(wire)
        found = _remember(
            _FROM, wire, (keys.display_of(entities), keys.sender_sort_key(entities), keys.pack_addresses(entities))
        )
    return found


def _packed(wire: tuple[WireAddress, ...]) -> str:
    if not wire:
        return ""
    found = _PACKED.get(wire)
    if found is None:
        found = _remember(_PACKED, wire, keys.pack_addresses(convert.addresses(wire)))
    return found


def _subject_columns(subject: str) -> tuple[str, str]:
    """(one-line subject, sort key); threads repeat subjects."""
    found = _SUBJECTS.get(subject)
    if found is None:
        line = keys.one_line(subject)
        found = _remember(_SUBJECTS, subject, (line, keys.subject_sort_key(line)))
    return found


def _flag_columns(flags: tuple[str, ...]) -> tuple[int, str]:
    found = _FLAGS.get(flags)
    if found is None:
        found = _remember(_FLAGS, flags, encode_flags(flags))
    return found


def _first_id(value: str | None) -> str | None:
    if not value:
        return None
    if _SIMPLE_ID.match(value):
        return value
    found = keys.message_ids(value)
    return found[0] if found else None


def _references(refs: tuple[str, ...]) -> str:
    if not refs:
        return ""
    if all(_SIMPLE_ID.match(r) for r in refs):
        return " ".join(refs)
    return " ".join(keys.message_ids(refs))


def row_of(folder_id: int, msg: FetchedMessage) -> tuple[Any, ...] | None:
    """The ``messages`` row ``summary_row(folder_id, convert.summary_of(msg))`` would give."""
    env = msg.envelope
    uid = msg.uid
    if env is None or uid is None:
        return None
    references: tuple[str, ...] = ()
    has_attachments = False
    sections = msg.sections
    if sections:
        block = sections.get(convert.HEADER_SECTION)
        if block:
            references, has_attachments = convert._section_info(block)  # noqa: SLF001 - same module family
    bits, keywords = _flag_columns(msg.flags) if msg.flags else (0, "")
    subject, subject_key = _subject_columns(env.subject)
    from_display, sender_key, from_packed = _from_columns(env.from_)
    date = env.date
    internal = msg.internaldate
    if internal is None:
        internal = date if date is not None else 0
    return (
        folder_id,
        uid,
        bits,
        keywords,
        internal,
        date,
        int(msg.size or 0),
        subject,
        subject_key,
        from_display,
        sender_key,
        from_packed,
        _packed(env.to),
        _packed(env.cc),
        _first_id(env.message_id),
        _first_id(env.in_reply_to),
        _references(references),
        "",  # preview: not part of a header sync
        1 if has_attachments else 0,
    )


def prepare(folder_id: int, messages: Sequence[FetchedMessage]) -> tuple[list[tuple[Any, ...]], list[FetchedMessage]]:
    """(rows, rows without ENVELOPE — unsolicited flag updates to apply separately)."""
    rows = []
    flag_only = []
    for msg in messages:
        row = row_of(folder_id, msg)
        if row is not None:
            rows.append(row)
        elif msg.flags is not None and msg.uid is not None:
            flag_only.append(msg)
    return rows, flag_only


def write(cache: MailCache, folder_id: int, rows: list[tuple[Any, ...]]) -> None:
    """Insert prepared rows in one transaction."""
    if rows:
        cache.insert_rows(folder_id, rows)
