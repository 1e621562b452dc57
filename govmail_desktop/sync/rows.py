"""Cache rows straight from FETCH values, for the bulk header sync.

``MailCache.insert_summaries`` takes ``MessageSummary`` entities and turns each
into a :class:`~govmail_desktop.store.message_rows.SummaryRow` with
``store.message_rows.summary_row``; for 100,000 messages that conversion costs more
than a second of the sync, mostly recomputing the same sort keys and packed
address lists for the same few hundred correspondents. This module produces
*the same rows* (tests/unit/sync/test_rows.py compares them with
``summary_row`` over hostile input) with those per-correspondent values
computed once per sync, and writes them with the public
``MailCache.insert_rows`` (one transaction per batch).

Header text, fields and dates are read by the decoder the preview uses
(``mime.charsets``, ``mime.headers``, ``mime.dates``); the tables that remember
their results belong to one sync (:class:`RowMemo`, passed in), never to the
module: every account's worker thread has its own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from govmail_desktop.core.entities import Address, encode_flags
from govmail_desktop.mime.charsets import decode_header, unfold
from govmail_desktop.mime.dates import DateMemo
from govmail_desktop.mime.headers import ADDRESS_FIELDS, FIELD_RE, MAX_VALUE_BYTES, OCCURRENCES
from govmail_desktop.net.imap.bounds import MAX_UID
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.net.imap.reader import BULK_LITERAL_MAX
from govmail_desktop.store import keys
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.message_rows import SummaryRow, stored_key, summary_row
from govmail_desktop.sync import convert

log = logging.getLogger(__name__)

_SIMPLE_ID = re.compile(r"<[^<>\s]+>\Z")
_new_row = tuple.__new__  # SummaryRow(...) without its keyword-argument __new__ (the hot path)


class RowMemo(convert.Memo):
    """What one sync works out once per distinct value: the general path's tables
    (:class:`convert.Memo`) and the fused path's, by the raw bytes of a header value
    (subjects, senders, recipients, content types, flags, section names) and the parts
    of dates (:class:`mime.dates.DateMemo`). Make one per sync and pass it in; it is
    used on that sync's thread only."""

    __slots__ = ("flags", "subjects", "senders", "packed", "attached", "slots", "sections", "dates")

    def __init__(self, limit: int = 20000) -> None:
        super().__init__(limit)
        self.flags: dict[bytes, tuple[int, str]] = {}
        self.subjects: dict[bytes, tuple[str, str | None]] = {}
        self.senders: dict[bytes, tuple[str, str | None, str]] = {}
        self.packed: dict[bytes, str] = {}
        self.attached: dict[bytes, int] = {}
        self.slots: dict[bytes, int] = {}
        self.sections: dict[bytes, bool] = {}
        self.dates = DateMemo(limit)


def _from_triple(entities: tuple[Address, ...]) -> tuple[str, str | None, str]:
    """(from_display, sender_key, packed From), as summary_row computes them."""
    display = keys.display_of(entities)
    return display, stored_key(keys.sender_sort_key(entities), display), keys.pack_addresses(entities)


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


def row_of(folder_id: int, msg: FetchedMessage, memo: convert.Memo | None = None) -> SummaryRow | None:
    """The ``messages`` row ``summary_row(folder_id, convert.summary_of(msg))`` gives: the
    general path, for rows the fused one (:func:`fast_row`) leaves to it."""
    summary = convert.summary_of(msg, memo)
    return None if summary is None else summary_row(folder_id, summary)


def is_update(msg: FetchedMessage) -> bool:
    """A FETCH that carries no summary item (only FLAGS, UID, MODSEQ or the like): the
    server telling of a change, not a summary the sync asked for."""
    return not msg.sections and msg.internaldate is None and msg.size is None


def prepare(
    folder_id: int, messages: Sequence[FetchedMessage], memo: convert.Memo | None = None
) -> tuple[list[SummaryRow], list[FetchedMessage], list[FetchedMessage]]:
    """(rows, unsolicited flag updates to apply separately, unusable rows).

    An unusable row is a summary the client cannot store (no UID, or no header
    section it recognises): the caller counts it and says so — never dropped in silence.
    """
    rows = []
    flag_only = []
    unusable = []
    for msg in messages:
        row = row_of(folder_id, msg, memo)
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


def write(cache: MailCache, folder_id: int, rows: list[SummaryRow]) -> None:
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
# distinct value (correspondents, subjects, dates' days repeat), with the functions the
# general path calls. tests/unit/sync/test_rows.py compares both paths over Thai and
# hostile rows.

_HEADER_SECTION_B = convert.HEADER_SECTION.encode("ascii")
# str's \s also matches \x1c-\x1f, which bytes' \s does not: excluded here too, so
# that what this accepts, _SIMPLE_ID accepts after decoding.
_SIMPLE_ID_B = re.compile(rb"<[^<>\s\x1c-\x1f]+>\Z")
# The slots of the fetched fields; names as sent (any case) -> slot, -1 for others.
_SLOTS = {name.lower(): i for i, name in enumerate(convert.HEADER_FIELDS)}
_DATE, _FROM, _TO, _CC, _SUBJECT, _MESSAGE_ID, _IN_REPLY_TO, _REFERENCES, _CONTENT_TYPE = range(9)
assert len(_SLOTS) == 9 and _SLOTS["content-type"] == _CONTENT_TYPE
#: Slots whose every occurrence counts (mime.headers.ADDRESS_FIELDS), joined as header_fields joins them.
_ADDRESS_SLOTS = frozenset(_SLOTS[name] for name in ADDRESS_FIELDS if name in _SLOTS)
assert _ADDRESS_SLOTS == {_FROM, _TO, _CC}
_FIELDS = FIELD_RE.findall  # the one field grammar (mime.headers.header_fields)
# The blocks taken here are no longer than a value may be: header_fields' cut never applies.
assert BULK_LITERAL_MAX <= MAX_VALUE_BYTES

# The field names as most mailers spell them, in slot order.
_CANONICAL = (b"Date", b"From", b"To", b"Cc", b"Subject", b"Message-ID", b"In-Reply-To", b"References", b"Content-Type")
_CANONICAL_SET = frozenset(_CANONICAL)
assert [n.lower() for n in _CANONICAL] == [n.lower().encode() for n in convert.HEADER_FIELDS]


def _is_header_section(memo: RowMemo, section: bytes) -> bool:
    """The sync's own section in another spelling (Courier quotes the field names;
    case and order may differ: ``convert.section_key``), once per distinct name."""
    found = memo.sections.get(section)
    if found is None:
        key = convert.section_key(section.decode("ascii", "replace"), memo)
        found = memo.remember(memo.sections, section, key == convert.HEADER_SECTION_KEY)
    return found


def _raw_flags(memo: RowMemo, raw: bytes) -> tuple[int, str]:
    found = memo.flags.get(raw)
    if found is None:
        flags = tuple(raw.decode("utf-8", "replace").split())
        found = memo.remember(memo.flags, raw, encode_flags(flags) if flags else (0, ""))
    return found


def _slot(memo: RowMemo, name: bytes) -> int:
    return memo.remember(memo.slots, name, _SLOTS.get(name.decode("ascii").lower(), -1))


def _header_values(memo: RowMemo, block: bytes) -> list[bytes | None]:
    """The fetched fields' values by slot, as ``mime.headers.header_fields`` gives them
    (unfolded, stripped; the first occurrence, or every one of From, To and Cc)."""
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
    slots = memo.slots
    for name, value in pairs:
        slot = slots.get(name)
        if slot is None:
            slot = _slot(memo, name)
        if slot < 0:
            continue
        earlier = values[slot]
        if earlier is None:
            values[slot] = unfold(value).strip()
        elif slot in _ADDRESS_SLOTS:
            values[slot] = earlier + OCCURRENCES + unfold(value).strip()
    return values


def _hdr_subject(memo: RowMemo, value: bytes) -> tuple[str, str | None]:
    """(one-line subject, stored sort key) of a Subject value, as summary_row computes them."""
    found = memo.subjects.get(value)
    if found is None:
        line = keys.one_line(decode_header(value))
        found = memo.remember(memo.subjects, value, (line, stored_key(keys.subject_sort_key(line), line)))
    return found


def _hdr_from(memo: RowMemo, value: bytes) -> tuple[str, str | None, str]:
    found = memo.senders.get(value)
    if found is None:
        found = memo.remember(memo.senders, value, _from_triple(convert.header_addresses(value, memo)))
    return found


def _hdr_packed(memo: RowMemo, value: bytes) -> str:
    found = memo.packed.get(value)
    if found is None:
        found = memo.remember(memo.packed, value, keys.pack_addresses(convert.header_addresses(value, memo)))
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


def _hdr_attached(memo: RowMemo, value: bytes | None) -> int:
    if not value:
        return 0
    found = memo.attached.get(value)
    if found is None:
        found = memo.remember(memo.attached, value, 1 if convert.is_attachment_type(value) else 0)
    return found


def fast_row(memo: RowMemo, folder_id: int, m: re.Match[bytes], literal: bytes | None) -> SummaryRow | None:
    """The row ``row_of`` would give for this ``SUMMARY_ROW_RE`` match (see above), or None.

    The sync binds its memo and folder (``functools.partial(fast_row, memo, folder_id)``)
    and offers that to ``fetch_stream`` as its row builder."""
    uid_b, flags_b, internal_b, size_b, section, _size = m.groups()
    if literal is None or (section != _HEADER_SECTION_B and not _is_header_section(memo, section)):
        return None  # another section: the general path
    uid = int(uid_b)
    if uid > MAX_UID:
        return None  # the general path refuses it (and counts the row as skipped)
    values = _header_values(memo, literal)
    dates = memo.dates
    date_v = values[_DATE]
    date = dates.header_date(date_v) if date_v else None
    internal = dates.internaldate(internal_b)
    if internal is None:
        internal = date if date is not None else 0
    if flags_b:
        found = memo.flags.get(flags_b)
        bits, keywords = found if found is not None else _raw_flags(memo, flags_b)
    else:
        bits, keywords = 0, ""
    subject_v = values[_SUBJECT] or b""
    found_s = memo.subjects.get(subject_v)
    subject, subject_key = found_s if found_s is not None else _hdr_subject(memo, subject_v)
    from_v = values[_FROM] or b""
    found_f = memo.senders.get(from_v)
    from_display, sender_key, from_packed = found_f if found_f is not None else _hdr_from(memo, from_v)
    to_v = values[_TO]
    cc_v = values[_CC]
    packed = memo.packed
    return _new_row(  # the fields of SummaryRow, in order
        SummaryRow,
        (
            folder_id,
            uid,
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
            (packed.get(to_v) or _hdr_packed(memo, to_v)) if to_v else "",
            (packed.get(cc_v) or _hdr_packed(memo, cc_v)) if cc_v else "",
            _hdr_id(values[_MESSAGE_ID], True),
            _hdr_id(values[_IN_REPLY_TO], False),
            _hdr_references(values[_REFERENCES]),
            "",  # preview: not part of a header sync
            _hdr_attached(memo, values[_CONTENT_TYPE]),
        ),
    )
