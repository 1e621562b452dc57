"""The summary row contract: one named type, the INSERT made from it, checked against the table."""

from __future__ import annotations

import sqlite3

import pytest

from govmail_desktop.core.entities import Address, Folder, MessageSummary
from govmail_desktop.store import message_rows as C
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.message_rows import SummaryRow, summary_row
from govmail_desktop.store.schema import migrate


def _table_columns(db: sqlite3.Connection) -> tuple[str, ...]:
    return tuple(row[1] for row in db.execute("PRAGMA table_info(messages)") if row[1] != "id")


def _contract_problem(db: sqlite3.Connection) -> str | None:
    """What differs between the ``messages`` table (its key ``id`` aside) and SummaryRow."""
    columns = _table_columns(db)
    if columns == SummaryRow._fields:
        return None
    return f"table {columns} != row {SummaryRow._fields}"


def test_the_row_type_names_the_messages_columns_in_order(tmp_path):
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    migrate(db)
    assert _contract_problem(db) is None
    assert C.ROW_COLUMNS == len(SummaryRow._fields) == 19


def test_the_insert_is_made_from_the_row_type():
    head, values, tail = C._INSERT_SQL.partition(C._INSERT_VALUES)
    assert values and head == f"INSERT INTO messages ({', '.join(SummaryRow._fields)})\n"
    assert values.count("?") == C.ROW_COLUMNS
    updated = [part.split("=")[0] for part in tail.split("DO UPDATE SET ", 1)[1].split(", ")]
    assert updated == [f for f in SummaryRow._fields if f not in ("folder_id", "uid")]
    assert C._multi_insert_sql(3).count("?") == 3 * C.ROW_COLUMNS


@pytest.mark.parametrize(
    "columns",
    [
        ("id", *SummaryRow._fields, "thread_key"),  # planted: a column the row does not carry
        ("id", *SummaryRow._fields[:-1]),  # planted: the table lost a column
        ("id", SummaryRow._fields[1], SummaryRow._fields[0], *SummaryRow._fields[2:]),  # planted: reordered
    ],
)
def test_a_table_that_differs_from_the_row_type_is_reported(tmp_path, columns):
    db = sqlite3.connect(tmp_path / "planted.sqlite3")
    db.execute(f"CREATE TABLE messages ({', '.join(columns)})")
    assert _contract_problem(db) is not None


def test_summary_row_gives_a_named_row_that_reads_back(tmp_path):
    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
        summary = MessageSummary(
            uid=7, flags=frozenset({"\\Seen"}), internaldate=1_700_000_000, date=1_699_999_000, size=42,
            subject="Re: ประชุม", from_=(Address("สมชาย", "s@agency.go.th"),), message_id="<m@x>",
        )
        row = summary_row(fid, summary)
        assert isinstance(row, SummaryRow)
        assert (row.uid, row.subject, row.subject_key, row.from_display, row.date) == (
            7, "Re: ประชุม", "ประชุม", "สมชาย", 1_699_999_000,
        )
        assert cache.insert_rows(fid, [row]) == 1
        got = cache.summary(fid, 7)
        assert (got.subject, got.message_id, got.size) == ("Re: ประชุม", "<m@x>", 42)
    finally:
        cache.close()
