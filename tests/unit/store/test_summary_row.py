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


# ---------------------------------------------------------------- each text stored once (schema 5)


def test_sqlite_lower_folds_ascii_letters_only():
    """stored_key relies on it: the SQLite in use has no ICU lower()."""
    db = sqlite3.connect(":memory:")
    text = "Re: ÄÖ İstanbul ÉCOLE ไทย Ωmega"
    assert db.execute("SELECT lower(?)", (text,)).fetchone()[0] == "re: ÄÖ İstanbul École ไทย Ωmega"
    assert C.stored_key("re: äö i̇stanbul école ไทย ωmega", text) is not None  # non-ASCII capitals: kept
    assert db.execute("SELECT lower('ABC Ä')").fetchone()[0] == "abc Ä"


@pytest.mark.parametrize(
    ("key", "shown", "stored"),
    [
        ("ประชุม", "ประชุม", None),  # Thai: no case
        ("monthly report 5", "Monthly report 5", None),  # ASCII case: lower() gives it
        ("it helpdesk", "IT Helpdesk", None),
        ("ประชุม", "Re: ประชุม", "ประชุม"),  # a prefix: the key is kept
        ("über", "Über", "über"),  # non-ASCII case: SQLite's lower() does not fold it
        ("strasse", "STRAßE", "strasse"),
        ("", "", None),
        ("", "Re:", ""),  # only a prefix: the empty key is kept
    ],
)
def test_a_sort_key_is_stored_only_where_sqlite_cannot_compute_it(key, shown, stored):
    assert C.stored_key(key, shown) == stored
    db = sqlite3.connect(":memory:")
    # What the sort column computes from the stored value is the key itself.
    assert db.execute("SELECT coalesce(?, lower(?))", (stored, shown)).fetchone()[0] == key


def _insert(cache: MailCache, fid: int, uid: int, subject: str, sender: str) -> None:
    summary = MessageSummary(
        uid=uid, flags=frozenset(), internaldate=1_700_000_000 + uid, date=None, size=uid,
        subject=subject, from_=(Address(sender, f"u{uid}@agency.go.th"),),
    )
    cache.insert_rows(fid, [summary_row(fid, summary)])


def test_sender_and_subject_orders_follow_the_keys_with_nothing_stored_twice(tmp_path):
    from govmail_desktop.store import keys
    from govmail_desktop.store.message_rows import SortKey

    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
        cases = [("Re: banana", "Zed"), ("apple", "ซอมบี้"), ("Über", "ann"), ("Cherry", "Über Co"),
                 ("ขอเชิญ", "Bob"), ("FW: Apple pie", "bob")]
        for uid, (subject, sender) in enumerate(cases, 1):
            _insert(cache, fid, uid, subject, sender)
        stored = cache._conn().execute("SELECT uid, subject_key, sender_key FROM messages ORDER BY uid").fetchall()
        assert stored == [(1, "banana", None), (2, None, None), (3, "über", None), (4, None, "über co"),
                          (5, None, None), (6, "apple pie", None)]
        for sort, key in ((SortKey.SUBJECT, keys.subject_sort_key), (SortKey.SENDER, None)):
            for descending in (False, True):
                page = [r.uid for r in cache.page(fid, sort, descending, 0, 10)]
                if key is not None:
                    values = {uid: key(subject) for uid, (subject, _) in enumerate(cases, 1)}
                else:
                    values = {uid: sender.casefold() for uid, (_, sender) in enumerate(cases, 1)}
                expected = sorted(values, key=lambda u: (values[u], 1_700_000_000 + u, u), reverse=descending)
                assert page == expected, (sort, descending)
                # Every row is placed where the page has it (row-value ranges on the sort index).
                for position, uid in enumerate(page):
                    (row_key,) = cache.row_keys(fid, [uid])
                    assert row_key.sort_values(sort)[0] == values[uid]
                    assert cache.position_of_key(fid, row_key, sort, descending) == position
    finally:
        cache.close()


def test_a_schema_4_cache_keeps_its_rows_and_stores_each_key_once(tmp_path):
    path = tmp_path / "cache.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, target=4)
    db.execute("INSERT INTO folders (id, name, delimiter, uidvalidity) VALUES (1, 'INBOX', '/', 7)")
    db.executemany(
        "INSERT INTO messages (folder_id, uid, flags, internaldate, size, subject, subject_key, from_display,"
        " sender_key) VALUES (1, ?, 4, ?, 10, ?, ?, ?, ?)",
        [(1, 100, "Re: Budget", "budget", "Somchai", "somchai"),
         (2, 200, "agenda", "agenda", "ไทย", "ไทย"),
         (3, 300, "Über", "über", "IT Desk", "it desk")],
    )
    db.close()
    cache = MailCache(path)
    try:
        from govmail_desktop.store.message_rows import SortKey
        from govmail_desktop.store.schema import SCHEMA_VERSION

        assert not cache.rebuilt and cache.schema_version() == SCHEMA_VERSION
        conn = cache._conn()
        assert conn.execute("SELECT uid, subject_key, sender_key FROM messages ORDER BY uid").fetchall() == [
            (1, "budget", None), (2, None, None), (3, "über", None)
        ]
        assert [r.uid for r in cache.page(1, SortKey.SUBJECT, False, 0, 5)] == [2, 1, 3]
        assert [r.uid for r in cache.page(1, SortKey.SENDER, False, 0, 5)] == [3, 1, 2]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"messages_by_sender", "messages_by_subject", "messages_flagged", "messages_unread"} <= names
        assert cache.count(1) == 3 and cache.unread_count(1) == 3
    finally:
        cache.close()
