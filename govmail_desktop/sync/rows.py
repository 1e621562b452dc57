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
from govmail_desktop.net import imap_wire
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


# -- the fused path: cache rows straight from the FETCH line -------------------------------
#
# For the bulk header sync, building Envelope/FetchedMessage/Address objects only to
# take them apart again costs about as much as matching the line. ``fast_row`` reads
# the same regular-expression groups ``imap_wire.parse_fetch`` reads and gives the row
# ``row_of(folder_id, parse_fetch(line, literals))`` gives — or None whenever the line
# is not the plain common case (literals or escapes in the envelope, unexpected
# section, odd literal count), and the caller then takes the general path for it.
# tests/unit/sync/test_rows.py compares both paths over Thai and hostile rows.

_ROW_MATCH = imap_wire._ROW_RE.match  # noqa: SLF001 - the one row grammar, shared on purpose
_NIL = b"NIL"
_HEADER_SECTION_B = convert.HEADER_SECTION.encode("ascii")
_RAW_FLAGS: dict[bytes, tuple[int, str]] = {}
_RAW_SUBJECTS: dict[bytes, tuple[str, str]] = {}
_RAW_FROM: dict[bytes, tuple[str, str, str]] = {}
_RAW_PACKED: dict[bytes, str] = {}


def _raw_flags(raw: bytes) -> tuple[int, str]:
    found = _RAW_FLAGS.get(raw)
    if found is None:
        flags = tuple(raw.decode("utf-8", "replace").split())
        found = _remember(_RAW_FLAGS, raw, _flag_columns(flags) if flags else (0, ""))
    return found


def _raw_subject(token: bytes) -> tuple[str, str]:
    found = _RAW_SUBJECTS.get(token)
    if found is None:
        found = _remember(_RAW_SUBJECTS, token, _subject_columns(imap_wire.envelope_subject_text(token)))
    return found


def _raw_from(token: bytes) -> tuple[str, str, str]:
    found = _RAW_FROM.get(token)
    if found is None:
        found = _remember(_RAW_FROM, token, _from_columns(imap_wire.plain_address_list(token)))
    return found


def _raw_packed(token: bytes) -> str:
    if token == _NIL:
        return ""
    found = _RAW_PACKED.get(token)
    if found is None:
        found = _remember(_RAW_PACKED, token, _packed(imap_wire.plain_address_list(token)))
    return found


def _raw_id(token: bytes, message_id: bool) -> str | None:
    if token == _NIL:
        return None
    return _first_id(imap_wire.envelope_id_text(token[1:-1], message_id))


_NO_BASE = object()
_DAY_BASES: dict[bytes, Any] = {}


def _hms(t: bytes) -> int | None:
    """Seconds into the day of a strict ``HH:MM:SS``, or None."""
    if t[2] != 58 or t[5] != 58:
        return None
    digits = t[:2] + t[3:5] + t[6:]
    if not digits.isdigit():
        return None
    h, mi, sec = int(t[:2]), int(t[3:5]), int(t[6:])
    if h > 23 or mi > 59 or sec > 60:
        return None
    return h * 3600 + mi * 60 + sec


def _epoch_by_day(raw: bytes, start: int, parse: Any, linear: Any) -> int | None:
    """``parse(raw)``, reusing the day's part when only the time of day differs.

    Dates of a mailbox share days: the epoch of the day (with its zone) is worked
    out once per distinct ``raw`` with the time masked, and only where ``linear``
    says ``parse`` takes its fixed-format path for that key (then the result is
    exactly day base + seconds into the day). Anything else calls ``parse``.
    """
    t = raw[start : start + 8]
    seconds = _hms(t) if len(t) == 8 else None
    if seconds is None:
        return parse(raw)
    key = raw[:start] + raw[start + 8 :] + bytes((start,))
    base = _DAY_BASES.get(key)
    if base is None:
        if linear(raw):
            full = parse(raw)
            base = _NO_BASE if full is None else full - seconds
        else:
            base = _NO_BASE
        _remember(_DAY_BASES, key, base)
    if base is _NO_BASE:
        return parse(raw)
    return base + seconds


def _internal_linear(raw: bytes) -> bool:
    # parse_internaldate's fixed-width branch succeeds for every time of day.
    return (
        len(raw) == 26 and raw[2] == 45 and raw[6] == 45 and raw[3:6].lower() in imap_wire._MONTHS  # noqa: SLF001
        and raw[0:2].isdigit() and raw[7:11].isdigit() and raw[21] in (43, 45) and raw[22:26].isdigit()
    )


def _header_linear(raw: bytes) -> bool:
    # parse_date_header's canonical branch takes it, with the time at offset 17.
    m = imap_wire._CANONICAL_DATE_RE.match(raw)  # noqa: SLF001
    return (
        m is not None and m.start(4) == 17 and imap_wire._MONTHS_CASED.get(m.group(2)) is not None  # noqa: SLF001
        and 1 <= int(m.group(1)) <= 31
    )


def _internaldate(raw: bytes) -> int | None:
    return _epoch_by_day(raw, 12, imap_wire.parse_internaldate, _internal_linear) if len(raw) == 26 else (
        imap_wire.parse_internaldate(raw)
    )


def _header_date(raw: bytes) -> int | None:
    return _epoch_by_day(raw, 17, imap_wire.parse_date_header, _header_linear) if len(raw) >= 31 else (
        imap_wire.parse_date_header(raw)
    )


def fast_row(folder_id: int, line: bytes, literals: Sequence[bytes]) -> tuple[Any, ...] | None:
    """The row ``row_of`` would give for this FETCH line, or None to take the general path."""
    m = _ROW_MATCH(line)
    if m is None:
        return None
    # The envelope must hold neither literals nor escapes (then every token is NIL or
    # a plain quoted string, and no literal is consumed before the section's).
    envelope = line[m.start(7) : m.end(16)]
    if b"{" in envelope or b"\\" in envelope:
        return None
    (_seq, uid_b, flags_b, internal_b, size_b, _modseq, date_t, subj_t, frm, _sender, _reply, to, cc, _bcc,
     irt_t, mid_t, section, value) = m.groups()
    references = ""
    has_attachments = 0
    if section is not None:
        if value[0] == 123:  # '{': the one literal of this line
            if len(literals) != 1:
                return None
            block = literals[0]
        elif literals:
            return None
        elif value[0] == 34:  # '"'
            if b"\\" in value:
                return None
            block = value[1:-1]
        else:
            block = None
        if block and section == _HEADER_SECTION_B:
            refs, attached = convert._section_info(block)  # noqa: SLF001 - same module family
            references = _references(refs)
            has_attachments = 1 if attached else 0
    elif literals:
        return None
    date = _header_date(date_t[1:-1]) if date_t != _NIL else None
    internal = _internaldate(internal_b)
    if internal is None:
        internal = date if date is not None else 0
    bits, keywords = _raw_flags(flags_b) if flags_b else (0, "")
    subject, subject_key = _raw_subject(subj_t)
    from_display, sender_key, from_packed = _raw_from(frm)
    return (
        folder_id,
        int(uid_b),
        bits,
        keywords,
        internal,
        date,
        int(size_b),
        subject,
        subject_key,
        from_display,
        sender_key,
        from_packed,
        _raw_packed(to),
        _raw_packed(cc),
        _raw_id(mid_t, True),
        _raw_id(irt_t, False),
        references,
        "",  # preview: not part of a header sync
        has_attachments,
    )
