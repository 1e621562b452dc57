"""Rows of the cache's ``messages`` table: the sort orders, the row shapes the list reads,
and the one way a message summary becomes a row and is written (the generated INSERT).

Pure data and SQL text; the database, its threads and transactions are
:class:`store.cache.MailCache`'s. The bulk header sync (``sync/rows.py``) builds
:class:`SummaryRow` values itself, so this module is on its hot path: nothing here
keeps state between calls.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any, NamedTuple

from govmail_desktop.core.entities import FlagBits, MessageSummary, encode_flags
from govmail_desktop.i18n.timeutil import from_epoch, to_epoch
from govmail_desktop.store import keys


class SortKey(str, Enum):
    """Sort orders of the message list; each is backed by an index."""

    DATE = "date"
    SENDER = "sender"
    SUBJECT = "subject"
    SIZE = "size"


#: The :class:`RowKey` fields of each order. Every order ends in ``uid``, so it is total.
SORT_FIELDS: dict[SortKey, tuple[str, ...]] = {
    SortKey.DATE: ("internaldate", "uid"),
    SortKey.SENDER: ("sender_key", "internaldate", "uid"),
    SortKey.SUBJECT: ("subject_key", "internaldate", "uid"),
    SortKey.SIZE: ("size", "uid"),
}
#: A sort field as SQL: the sender and subject keys are the indexed virtual columns (schema.py:
#: the stored key, or SQLite's lower() of the shown text).
_FIELD_SQL = {"sender_key": "sender_sort", "subject_key": "subject_sort"}
#: What each order sorts by, as SQL (ORDER BY, row-value comparisons): the columns its index holds.
SORT_COLUMNS: dict[SortKey, tuple[str, ...]] = {
    sort: tuple(_FIELD_SQL.get(f, f) for f in fields) for sort, fields in SORT_FIELDS.items()
}


def thread_sort_name(sort: SortKey, descending: bool) -> str:
    """How the conversation order's sort is stored: "date desc", "subject asc" ..."""
    return f"{SortKey(sort).value} {'desc' if descending else 'asc'}"


class RowKey(NamedTuple):
    """The values that place a row in every sort order (kept for removed rows)."""

    uid: int
    internaldate: int
    sender_key: str
    subject_key: str
    size: int

    def sort_values(self, sort: SortKey) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in SORT_FIELDS[sort])


class PageRow(NamedTuple):
    """One row of the message list as the model reads it (no body, no preview)."""

    uid: int
    flags: int
    keywords: str
    internaldate: int
    date: int | None
    size: int
    subject: str
    from_display: str
    from_addrs: str
    to_addrs: str
    has_attachments: int

    @property
    def seen(self) -> bool:
        return bool(self.flags & FlagBits.SEEN)

    @property
    def flagged(self) -> bool:
        return bool(self.flags & FlagBits.FLAGGED)


class AddressRow(NamedTuple):
    """The address fields of one cached message (see :meth:`MailCache.address_rows`);
    the address lists are packed (``keys.unpack_addresses``)."""

    uid: int
    internaldate: int
    date: int | None
    from_addrs: str
    to_addrs: str
    cc_addrs: str
    message_id: str | None


_PAGE_COLS = ", ".join(PageRow._fields)
#: The RowKey's values as SQL (the sort keys as the orders compute them).
_ROWKEY_COLS = ", ".join(_FIELD_SQL.get(f, f) for f in RowKey._fields)


def _to_epoch(value: datetime | int | float | None) -> int | None:
    """Seconds since the epoch; a naive datetime is taken as local time (Python's rule)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    return int(to_epoch(value))


def _from_epoch(value: int | None) -> datetime | None:
    return None if value is None else from_epoch(value, UTC)


# SQLite's built-in lower(): ASCII letters only (SQLite without ICU, as Python ships it;
# tests/unit/store/test_summary_row.py checks the library in use).
_SQL_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def stored_key(key: str, shown: str) -> str | None:
    """What the cache stores of a sort ``key`` of the ``shown`` text: None when SQLite's
    ``lower(shown)`` is the key (the sort column computes it: schema.SUBJECT_SORT_SQL),
    else the key itself ("Re: x" -> "x", non-ASCII case)."""
    if key == shown:
        return None  # a case-folded text has no ASCII capitals: lower() leaves it as it is
    lowered = shown.lower() if shown.isascii() else shown.translate(_SQL_LOWER)
    return None if key == lowered else key


class SummaryRow(NamedTuple):
    """One ``messages`` row as the cache writes it: the columns the INSERT names, in
    its order (the INSERT statement is generated from these fields; a test checks
    them against the table). Built by :func:`summary_row` and, for the bulk header
    sync, by ``sync/rows.py``. ``subject_key`` / ``sender_key`` are :func:`stored_key`
    values (None where the sort expression gives the key)."""

    folder_id: int
    uid: int
    flags: int
    keywords: str
    internaldate: int
    date: int | None
    size: int
    subject: str
    subject_key: str | None
    from_display: str
    sender_key: str | None
    from_addrs: str
    to_addrs: str
    cc_addrs: str
    message_id: str | None
    in_reply_to: str | None
    refs: str
    preview: str
    has_attachments: int


#: Columns of a :class:`SummaryRow`.
ROW_COLUMNS = len(SummaryRow._fields)


def summary_row(folder_id: int, s: MessageSummary) -> SummaryRow:
    """A MessageSummary as the ``messages`` columns (sort keys computed here, once)."""
    bits, kw = encode_flags(s.flags)
    subject = keys.one_line(s.subject)
    from_display = keys.display_of(s.from_)
    date = _to_epoch(s.date)
    internal = _to_epoch(s.internaldate)
    if internal is None:
        internal = date if date is not None else 0
    msgids = keys.message_ids(s.message_id)
    irt = keys.message_ids(s.in_reply_to)
    return SummaryRow(
        folder_id=folder_id,
        uid=s.uid,
        flags=bits,
        keywords=kw,
        internaldate=internal,
        date=date,
        size=int(s.size or 0),
        subject=subject,
        subject_key=stored_key(keys.subject_sort_key(subject), subject),
        from_display=from_display,
        sender_key=stored_key(keys.sender_sort_key(s.from_), from_display),
        from_addrs=keys.pack_addresses(s.from_),
        to_addrs=keys.pack_addresses(s.to),
        cc_addrs=keys.pack_addresses(s.cc),
        message_id=msgids[0] if msgids else None,
        in_reply_to=irt[0] if irt else None,
        refs=" ".join(keys.message_ids(s.references)),
        preview=keys.preview_text(s.preview),
        has_attachments=1 if s.has_attachments else 0,
    )


# The INSERT of SummaryRows, made from its fields: a row refreshes every column but its key.
_INSERT_VALUES = "VALUES (" + ",".join("?" * ROW_COLUMNS) + ")"
_INSERT_HEAD = f"INSERT INTO messages ({', '.join(SummaryRow._fields)})\n"
_INSERT_TAIL = "\nON CONFLICT (folder_id, uid) DO UPDATE SET " + ", ".join(
    f"{column}=excluded.{column}" for column in SummaryRow._fields if column not in ("folder_id", "uid")
)
_INSERT_SQL = _INSERT_HEAD + _INSERT_VALUES + _INSERT_TAIL

#: Rows per INSERT statement: each statement binds its rows at once and runs
#: them in one step (faster than executemany, and see MailCache.background_writer).
#: (2,500, a whole sync batch in one statement, halves the writer's waits for the
#: interpreter lock but holds ~3 MB more of SQLite memory per connection for the
#: statement: tests/unit/store/test_cache_memory.py's bound.)
_ROWS_PER_INSERT = 500


def _multi_insert_sql(n: int) -> str:
    """The INSERT of ``n`` rows (the full-size one is made once, at import: no table
    of statements is shared between the threads that write)."""
    if n == _ROWS_PER_INSERT:
        return _FULL_INSERT
    return _INSERT_HEAD + "VALUES " + ",".join([_INSERT_VALUES[len("VALUES ") :]] * n) + _INSERT_TAIL


_FULL_INSERT = _INSERT_HEAD + "VALUES " + ",".join([_INSERT_VALUES[len("VALUES ") :]] * _ROWS_PER_INSERT) + _INSERT_TAIL


def _insert_many(db: sqlite3.Connection, rows: Sequence[SummaryRow]) -> None:
    """``executemany(_INSERT_SQL, rows)``, as a few multi-row statements."""
    per = max(1, min(_ROWS_PER_INSERT, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // ROW_COLUMNS))
    chain = itertools.chain.from_iterable
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        db.execute(_multi_insert_sql(len(part)), list(chain(part)))
