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

from govmail_desktop.core.entities import Address, encode_flags
from govmail_desktop.net.imap import text as imap_text
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.store import keys
from govmail_desktop.store.cache import MailCache, summary_row
from govmail_desktop.sync import convert

log = logging.getLogger(__name__)

_SIMPLE_ID = re.compile(r"<[^<>\s]+>\Z")


_SUBJECTS: dict[str, tuple[str, str]] = {}
_FLAGS: dict[tuple[str, ...], tuple[int, str]] = {}
_CACHE_MAX = 20000


def _remember(table: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(table) >= _CACHE_MAX:
        table.clear()
    table[key] = value
    return value


def _from_triple(entities: tuple[Address, ...]) -> tuple[str, str, str]:
    """(from_display, sender_key, packed From), as summary_row computes them."""
    return keys.display_of(entities), keys.sender_sort_key(entities), keys.pack_addresses(entities)


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
    """The ``messages`` row ``summary_row(folder_id, convert.summary_of(msg))`` gives: the
    general path, for rows the fused one (:func:`fast_row`) leaves to it."""
    summary = convert.summary_of(msg)
    return None if summary is None else summary_row(folder_id, summary)


def is_update(msg: FetchedMessage) -> bool:
    """A FETCH that carries no summary item (only FLAGS, UID, MODSEQ or the like): the
    server telling of a change, not a summary the sync asked for."""
    return not msg.sections and msg.internaldate is None and msg.size is None


def prepare(
    folder_id: int, messages: Sequence[FetchedMessage]
) -> tuple[list[tuple[Any, ...]], list[FetchedMessage], list[FetchedMessage]]:
    """(rows, unsolicited flag updates to apply separately, unusable rows).

    An unusable row is a summary the client cannot store (no UID, or no header
    section it recognises): the caller counts it and says so — never dropped in silence.
    """
    rows = []
    flag_only = []
    unusable = []
    for msg in messages:
        row = row_of(folder_id, msg)
        if row is not None:
            rows.append(row)
        elif not is_update(msg):
            unusable.append(msg)
        elif msg.flags is not None and msg.uid is not None:
            flag_only.append(msg)
    return rows, flag_only, unusable


def shape_of(msg: FetchedMessage, limit: int = 300) -> str:
    """What the server sent, for the log: item names and section names as the server
    wrote them, sizes instead of values (no message content)."""
    items = [] if msg.uid is None else [f"UID {msg.uid}"]
    if msg.flags is not None:
        items.append(f"FLAGS ({len(msg.flags)} flags)")
    if msg.internaldate is not None:
        items.append("INTERNALDATE")
    if msg.size is not None:
        items.append(f"RFC822.SIZE {msg.size}")
    if msg.modseq is not None:
        items.append("MODSEQ")
    for name, value in (msg.sections or {}).items():
        items.append(f"{name} " + ("NIL" if value is None else f"{{{len(value)} bytes}}"))
    items.extend(msg.extra or ())
    text = f"* {msg.seq} FETCH ({' '.join(items)})"
    text = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)  # the server's text, escaped


def write(cache: MailCache, folder_id: int, rows: list[tuple[Any, ...]]) -> None:
    """Insert prepared rows in one transaction."""
    if rows:
        cache.insert_rows(folder_id, rows)


# -- the fused path: cache rows straight from the read buffer -------------------------------
#
# For the bulk header sync, building FetchedMessage/MessageSummary/Address objects only
# to take them apart again costs about as much as reading the row. ``fast_row`` takes a
# ``net.imap.fetch.SUMMARY_ROW_RE`` match (in the read buffer, by ``ResponseReader.read_bulk``)
# and the header block, and gives the row ``row_of(folder_id, parse_fetch(...))`` gives
# for the same response — or None when it is not the sync's own layout, and the
# response then takes the general path. Every header value is worked out once per
# distinct value (correspondents, subjects, dates' days repeat).
# tests/unit/sync/test_rows.py compares both paths over Thai and hostile rows.

_HEADER_SECTION_B = convert.HEADER_SECTION.encode("ascii")
_RAW_FLAGS: dict[bytes, tuple[int, str]] = {}
_HDR_SUBJECTS: dict[bytes, tuple[str, str]] = {}
_HDR_FROM: dict[bytes, tuple[str, str, str]] = {}
_HDR_PACKED: dict[bytes, str] = {}
_HDR_ATTACHED: dict[bytes, int] = {}
# str's \s also matches \x1c-\x1f, which bytes' \s does not: excluded here too, so
# that what this accepts, _SIMPLE_ID accepts after decoding.
_SIMPLE_ID_B = re.compile(rb"<[^<>\s\x1c-\x1f]+>\Z")
# The slots of the fetched fields; names as sent (any case) -> slot, -1 for others.
_SLOTS = {name.lower(): i for i, name in enumerate(convert.HEADER_FIELDS)}
_DATE, _FROM_, _TO, _CC, _SUBJECT, _MESSAGE_ID, _IN_REPLY_TO, _REFERENCES, _CONTENT_TYPE = range(9)
assert len(_SLOTS) == 9 and _SLOTS["content-type"] == _CONTENT_TYPE
_SLOT_OF: dict[bytes, int] = {}
_FIELDS = convert._FIELD.findall  # noqa: SLF001 - the one field grammar (header_fields)
_FOLD = re.compile(rb"\r?\n[ \t]+")


_HEADER_SECTIONS: dict[bytes, bool] = {}


def _is_header_section(section: bytes) -> bool:
    """The sync's own section in another spelling (Courier quotes the field names;
    case and order may differ: ``convert.section_key``), once per distinct name."""
    found = _HEADER_SECTIONS.get(section)
    if found is None:
        key = convert.section_key(section.decode("ascii", "replace"))
        found = _remember(_HEADER_SECTIONS, section, key == convert.HEADER_SECTION_KEY)
    return found


def _raw_flags(raw: bytes) -> tuple[int, str]:
    found = _RAW_FLAGS.get(raw)
    if found is None:
        flags = tuple(raw.decode("utf-8", "replace").split())
        found = _remember(_RAW_FLAGS, raw, _flag_columns(flags) if flags else (0, ""))
    return found


def _slot(name: bytes) -> int:
    return _remember(_SLOT_OF, name, _SLOTS.get(name.decode("ascii").lower(), -1))


# The field names as most mailers spell them, in slot order.
_CANONICAL = (b"Date", b"From", b"To", b"Cc", b"Subject", b"Message-ID", b"In-Reply-To", b"References", b"Content-Type")
_CANONICAL_SET = frozenset(_CANONICAL)
assert [n.lower() for n in _CANONICAL] == [n.lower().encode() for n in convert.HEADER_FIELDS]


def _header_values(block: bytes) -> list[bytes | None]:
    """The fetched fields' values by slot, as ``convert.header_fields`` gives them
    (first occurrence wins, unfolded, stripped)."""
    pairs = _FIELDS(block)
    found = dict(pairs)
    if len(found) == len(pairs) and found.keys() <= _CANONICAL_SET and b"\n " not in block and b"\n\t" not in block:
        # Each field once, names spelled as usual, nothing folded (the common case).
        g = found.get
        return [
            v.strip() if (v := g(b"Date")) is not None else None,
            v.strip() if (v := g(b"From")) is not None else None,
            v.strip() if (v := g(b"To")) is not None else None,
            v.strip() if (v := g(b"Cc")) is not None else None,
            v.strip() if (v := g(b"Subject")) is not None else None,
            v.strip() if (v := g(b"Message-ID")) is not None else None,
            v.strip() if (v := g(b"In-Reply-To")) is not None else None,
            v.strip() if (v := g(b"References")) is not None else None,
            v.strip() if (v := g(b"Content-Type")) is not None else None,
        ]
    values: list[bytes | None] = [None] * 9
    for name, value in pairs:
        slot = _SLOT_OF.get(name)
        if slot is None:
            slot = _slot(name)
        if slot >= 0 and values[slot] is None:
            values[slot] = (_FOLD.sub(b" ", value) if b"\n" in value else value).strip()
    return values


def _hdr_subject(value: bytes) -> tuple[str, str]:
    found = _HDR_SUBJECTS.get(value)
    if found is None:
        found = _remember(_HDR_SUBJECTS, value, _subject_columns(imap_text.decode_header_text(value)))
    return found


def _hdr_from(value: bytes) -> tuple[str, str, str]:
    found = _HDR_FROM.get(value)
    if found is None:
        found = _remember(_HDR_FROM, value, _from_triple(convert.header_addresses(value)))
    return found


def _hdr_packed(value: bytes) -> str:
    found = _HDR_PACKED.get(value)
    if found is None:
        found = _remember(_HDR_PACKED, value, keys.pack_addresses(convert.header_addresses(value)))
    return found


def _hdr_id(value: bytes | None, message_id: bool) -> str | None:
    if not value:
        return None
    if value.isascii() and _SIMPLE_ID_B.match(value):  # "<local@host>", by far the usual
        return value.decode("ascii")
    return _first_id(convert.id_text(value, message_id))


# A plain References value "<a> <b> ...": its ids joined as they stand are what
# references_of + _references give.
_PLAIN_REFERENCES = re.compile(rb"<[^<>\s\x1c-\x1f]+>(?: <[^<>\s\x1c-\x1f]+>)*\Z")


def _hdr_references(value: bytes | None) -> str:
    if not value:
        return ""
    if value.isascii() and _PLAIN_REFERENCES.match(value):
        return value.decode("ascii")
    return _references(convert.references_of(value))


def _hdr_attached(value: bytes | None) -> int:
    if not value:
        return 0
    found = _HDR_ATTACHED.get(value)
    if found is None:
        found = _remember(_HDR_ATTACHED, value, 1 if convert.is_attachment_type(value) else 0)
    return found


# Dates: a mailbox's dates share days, times of day and zones. Each part is worked out
# once and the epoch is their sum — only for the strict fixed forms, where
# net.imap.text.parse_internaldate / parse_date_header compute exactly that sum; anything
# else is handed to them.

_INVALID = -1 << 62  # a day part that is not in the fixed form (never a real value)
_SECONDS = {b"%02d" % s: s for s in range(61)}
_HOURS_MINUTES: dict[bytes, int] = {}
_ZONES: dict[bytes, int] = {}
_INTERNAL_DAYS: dict[bytes, int] = {}
_HEADER_DAYS: dict[bytes, int] = {}
_HEADER_DAY_RE = re.compile(rb"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) \Z")


def _hours_minutes(t: bytes) -> int | None:
    """Seconds of a strict ``HH:MM`` (as the fixed forms require), or None."""
    found = _HOURS_MINUTES.get(t)
    if found is None and len(t) == 5 and t[2] == 58 and t[:2].isdigit() and t[3:].isdigit():
        h, m = int(t[:2]), int(t[3:])
        if h <= 23 and m <= 59:
            found = _HOURS_MINUTES[t] = h * 3600 + m * 60  # at most 1440 entries
    return found


def _zone(z: bytes) -> int | None:
    """Seconds east of UTC of a strict ``+hhmm`` / ``-hhmm``, or None."""
    found = _ZONES.get(z)
    if found is None and len(z) == 5 and z[0] in (43, 45) and z[1:].isdigit():
        found = (int(z[1:3]) * 60 + int(z[3:5])) * 60
        if z[0] == 45:
            found = -found
        _remember(_ZONES, z, found)
    return found


def _internal_day(d: bytes) -> int:
    """Epoch of ``DD-Mon-YYYY`` as parse_internaldate's fixed-width branch reads it."""
    if len(d) == 11 and d[2] == 45 and d[6] == 45:
        month = imap_text._MONTHS.get(d[3:6].lower())  # noqa: SLF001 - the same table, on purpose
        if month is not None:
            try:
                year, day = int(d[7:11]), int(d[0:2])
            except ValueError:
                return _INVALID
            if 1 <= day <= 31:
                return (imap_text._days_to_month(year, month) + day - 1) * 86400  # noqa: SLF001
    return _INVALID


def _header_day(d: bytes) -> int:
    """Epoch of ``[Www, ]D[D] Mon YYYY `` as parse_date_header's canonical branch reads it."""
    m = _HEADER_DAY_RE.match(d)
    if m is not None:
        month = imap_text._MONTHS_CASED.get(m.group(2))  # noqa: SLF001
        day = int(m.group(1))
        if month is not None and 1 <= day <= 31:
            return (imap_text._days_to_month(int(m.group(3)), month) + day - 1) * 86400  # noqa: SLF001
    return _INVALID


def _internaldate(raw: bytes) -> int | None:
    """``imap_text.parse_internaldate(raw)``."""
    if len(raw) == 26 and raw[11] == 32 and raw[17] == 58 and raw[20] == 32:
        key = raw[:11]
        day = _INTERNAL_DAYS.get(key)
        if day is None:
            day = _remember(_INTERNAL_DAYS, key, _internal_day(key))
        hm = _HOURS_MINUTES.get(raw[12:17])
        if hm is None:
            hm = _hours_minutes(raw[12:17])
        seconds = _SECONDS.get(raw[18:20])
        zone = _ZONES.get(raw[21:])
        if zone is None:
            zone = _zone(raw[21:])
        if day != _INVALID and hm is not None and seconds is not None and zone is not None:
            return day + hm + seconds - zone
    return imap_text.parse_internaldate(raw)


def _header_date(raw: bytes) -> int | None:
    """``imap_text.parse_date_header(raw)``."""
    n = len(raw)
    # Where the time of day starts: after "Www, DD Mon YYYY ", "Www, D Mon YYYY ",
    # "DD Mon YYYY " or "D Mon YYYY " (the day part is checked in full below).
    if n >= 31 and raw[19] == 58:
        p = 17
    elif n >= 30 and raw[18] == 58:
        p = 16
    elif n >= 26 and raw[14] == 58:
        p = 12
    elif n >= 25 and raw[13] == 58:
        p = 11
    else:
        return imap_text.parse_date_header(raw)
    if raw[p + 5] == 58 and raw[p + 8] == 32:
        key = raw[:p]
        day = _HEADER_DAYS.get(key)
        if day is None:
            day = _remember(_HEADER_DAYS, key, _header_day(key))
        hm = _HOURS_MINUTES.get(raw[p : p + 5])
        if hm is None:
            hm = _hours_minutes(raw[p : p + 5])
        seconds = _SECONDS.get(raw[p + 6 : p + 8])
        zone = _ZONES.get(raw[p + 9 : p + 14])
        if zone is None:
            zone = _zone(raw[p + 9 : p + 14])
        if day != _INVALID and hm is not None and seconds is not None and zone is not None:
            return day + hm + seconds - zone
    return imap_text.parse_date_header(raw)


def fast_row(folder_id: int, m: "re.Match[bytes]", literal: bytes | None) -> tuple[Any, ...] | None:
    """The row ``row_of`` would give for this ``SUMMARY_ROW_RE`` match (see above), or None."""
    uid_b, flags_b, internal_b, size_b, section, _size = m.groups()
    if literal is None or (section != _HEADER_SECTION_B and not _is_header_section(section)):
        return None  # another section: the general path
    values = _header_values(literal)
    date_v = values[_DATE]
    date = _header_date(date_v) if date_v else None
    internal = _internaldate(internal_b)
    if internal is None:
        internal = date if date is not None else 0
    if flags_b:
        found = _RAW_FLAGS.get(flags_b)
        bits, keywords = found if found is not None else _raw_flags(flags_b)
    else:
        bits, keywords = 0, ""
    subject_v = values[_SUBJECT] or b""
    found_s = _HDR_SUBJECTS.get(subject_v)
    subject, subject_key = found_s if found_s is not None else _hdr_subject(subject_v)
    from_v = values[_FROM_] or b""
    found_f = _HDR_FROM.get(from_v)
    from_display, sender_key, from_packed = found_f if found_f is not None else _hdr_from(from_v)
    to_v = values[_TO]
    cc_v = values[_CC]
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
        (_HDR_PACKED.get(to_v) or _hdr_packed(to_v)) if to_v else "",
        (_HDR_PACKED.get(cc_v) or _hdr_packed(cc_v)) if cc_v else "",
        _hdr_id(values[_MESSAGE_ID], True),
        _hdr_id(values[_IN_REPLY_TO], False),
        _hdr_references(values[_REFERENCES]),
        "",  # preview: not part of a header sync
        _hdr_attached(values[_CONTENT_TYPE]),
    )
