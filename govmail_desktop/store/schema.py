"""Cache schema and its ordered migrations (``PRAGMA user_version``).

Each migration takes the database from version ``n-1`` to ``n``; a fresh file
runs them all. A file whose version is newer than :data:`SCHEMA_VERSION`
(written by a newer app) is not understood and is rebuilt: the cache is
disposable, the server has everything.

Design notes (why the columns look like this):

* dates are INTEGER Unix seconds (UTC): small, sortable, no parsing;
* the five system flags are one INTEGER bitmask (``core.entities.FlagBits``),
  other keywords a text column — flag updates are one integer write;
* ``sender_key`` / ``subject_key`` are case-folded sort keys computed once at
  insert time so that sorting is an index walk, never a Python sort;
* address lists are packed as ``name\\x1femail\\x1e...`` (no JSON parse per row);
* every sort order has an index starting with ``folder_id`` and ending with
  ``uid`` so that (key, uid) is a total order usable for keyset paging and for
  "how many rows sort before this one" counts;
* bodies/parts live in their own table so summaries stay small and hot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

#: FlagBits.FLAGGED (a literal here: the schema's text must not change when code moves).
_FLAGGED = 4


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    (``executescript`` would COMMIT the open transaction first.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


#: Text sort indexes, dropped during a bulk load and rebuilt after it (a sorted
#: build is ~5x cheaper than keeping random-order text keys up to date row by
#: row; the integer size index is cheap enough to keep up — measured: keeping it
#: is faster than rebuilding it). Part of schema version 1: changing them needs a
#: new migration.
BULK_SORT_INDEXES: dict[str, str] = {
    "messages_by_sender": "CREATE INDEX IF NOT EXISTS messages_by_sender "
    "ON messages(folder_id, sender_key, internaldate, uid)",
    "messages_by_subject": "CREATE INDEX IF NOT EXISTS messages_by_subject "
    "ON messages(folder_id, subject_key, internaldate, uid)",
}


def _v1_initial(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE folders (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL UNIQUE,
            delimiter     TEXT,
            special_use   TEXT,
            attributes    TEXT NOT NULL DEFAULT '',
            subscribed    INTEGER NOT NULL DEFAULT 1,
            uidvalidity   INTEGER,
            uidnext       INTEGER,
            highestmodseq INTEGER,
            server_messages INTEGER,
            server_unseen   INTEGER
        );

        CREATE TABLE messages (
            id              INTEGER PRIMARY KEY,
            folder_id       INTEGER NOT NULL REFERENCES folders(id),
            uid             INTEGER NOT NULL,
            flags           INTEGER NOT NULL DEFAULT 0,
            keywords        TEXT NOT NULL DEFAULT '',
            internaldate    INTEGER NOT NULL,
            date            INTEGER,
            size            INTEGER NOT NULL DEFAULT 0,
            subject         TEXT NOT NULL DEFAULT '',
            subject_key     TEXT NOT NULL DEFAULT '',
            from_display    TEXT NOT NULL DEFAULT '',
            sender_key      TEXT NOT NULL DEFAULT '',
            from_addrs      TEXT NOT NULL DEFAULT '',
            to_addrs        TEXT NOT NULL DEFAULT '',
            cc_addrs        TEXT NOT NULL DEFAULT '',
            message_id      TEXT,
            in_reply_to     TEXT,
            refs            TEXT NOT NULL DEFAULT '',
            preview         TEXT NOT NULL DEFAULT '',
            has_attachments INTEGER NOT NULL DEFAULT 0,
            UNIQUE (folder_id, uid)
        );
        CREATE INDEX messages_by_date    ON messages(folder_id, internaldate, uid);
        CREATE INDEX messages_by_size    ON messages(folder_id, size, uid);

        CREATE TABLE parts (
            id         INTEGER PRIMARY KEY,
            folder_id  INTEGER NOT NULL,
            uid        INTEGER NOT NULL,
            part       TEXT NOT NULL,
            data       BLOB NOT NULL,
            fetched_at INTEGER NOT NULL,
            UNIQUE (folder_id, uid, part)
        );
        """,
    )
    for create in BULK_SORT_INDEXES.values():
        db.execute(create)


def _v2_unread_and_threads(db: sqlite3.Connection) -> None:
    # Unread counts per folder without scanning every message (partial index),
    # and a materialised conversation order so that threaded paging is an index
    # range too. Both arrived after the first release of the cache.
    _run_script(
        db,
        """
        CREATE INDEX messages_unread ON messages(folder_id) WHERE (flags & 1) = 0;

        CREATE TABLE thread_order (
            folder_id INTEGER NOT NULL,
            pos       INTEGER NOT NULL,
            uid       INTEGER NOT NULL,
            depth     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (folder_id, pos)
        ) WITHOUT ROWID;
        CREATE INDEX thread_order_by_uid ON thread_order(folder_id, uid);

        ALTER TABLE folders ADD COLUMN thread_order_valid INTEGER NOT NULL DEFAULT 0;
        """
    )


def _v3_thread_order_sort(db: sqlite3.Connection) -> None:
    # The conversation view sorts by a column too: the order materialised in
    # thread_order is for this sort ("date desc", "subject asc" ...); the orders
    # built before were all newest activity first.
    db.execute("ALTER TABLE folders ADD COLUMN thread_order_sort TEXT NOT NULL DEFAULT 'date desc'")


def _v4_filter_indexes(db: sqlite3.Connection) -> None:
    # The quick filter's "flagged" and "has attachment" (store.list_filter): partial indexes in
    # date order, so that the list's count and pages read only those messages (a count of a
    # 100,000-message folder's flagged mail: 30-40 ms by scan on a 92 MB cache, 0.2-0.5 ms from the index). Only
    # the few flagged / attached rows are kept in them. The conditions must stay exactly what
    # ListFilter.sql writes, or SQLite will not use them (tests/unit/store/test_list_filter_plan.py).
    _run_script(
        db,
        f"""
        CREATE INDEX messages_flagged ON messages(folder_id, internaldate, uid)
            WHERE (flags & {_FLAGGED}) != 0;
        CREATE INDEX messages_attached ON messages(folder_id, internaldate, uid)
            WHERE has_attachments != 0;
        """,
    )


#: Ordered: MIGRATIONS[0] makes version 1, MIGRATIONS[1] version 2, ...
MIGRATIONS: tuple[Migration, ...] = (
    _v1_initial, _v2_unread_and_threads, _v3_thread_order_sort, _v4_filter_indexes,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring ``db`` from its ``user_version`` up to ``target``; returns the old version.

    Each step runs in its own transaction together with its version bump, so a
    crash leaves the file at a consistent version.
    """
    current: int = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise ValueError(f"cache schema {current} is newer than {SCHEMA_VERSION}")
    for version in range(current + 1, target + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version:d}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return current
