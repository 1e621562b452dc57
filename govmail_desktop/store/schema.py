"""Cache schema and its ordered migrations (``PRAGMA user_version``).

Each migration takes the database from version ``n-1`` to ``n``; a fresh file
runs them all. A file whose version is newer than :data:`SCHEMA_VERSION`
(written by a newer app) is not understood and is rebuilt: the cache is
disposable, the server has everything.

Design notes (why the columns look like this):

* dates are INTEGER Unix seconds (UTC): small, sortable, no parsing;
* the five system flags are one INTEGER bitmask (``core.entities.FlagBits``),
  other keywords a text column — flag updates are one integer write;
* each text is stored once: the sender and subject orders are indexes on virtual
  generated columns (``sender_sort``, ``subject_sort``: :data:`SENDER_SORT_SQL`,
  :data:`SUBJECT_SORT_SQL`) over the shown text, ``lower(subject)`` /
  ``lower(from_display)``; ``sender_key`` /
  ``subject_key`` hold the case-folded sort key only where that expression is not
  it ("Re:" prefixes, non-ASCII case), else NULL (schema version 5; before, each
  row held both texts twice and the indexes a third copy). Sorting is an index
  walk, never a Python sort;
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


#: The sort key of the sender and subject orders: the stored key where there is one, else
#: SQLite's ``lower()`` (ASCII letters only) of the shown text. Virtual generated columns
#: ``sender_sort`` / ``subject_sort`` (nothing stored in the row; the indexes below hold the
#: values), so that queries name them as columns and row-value ranges walk the indexes.
SENDER_SORT_SQL = "coalesce(sender_key, lower(from_display))"
SUBJECT_SORT_SQL = "coalesce(subject_key, lower(subject))"

#: Sort indexes whose keys arrive in random order, dropped during a bulk load and rebuilt
#: after it (a sorted build is ~5x cheaper than keeping random-order text keys up to date
#: row by row). The size index too: cheap to keep up at 100,000 messages, but not beyond
#: what the page cache holds (1,000,000 rows inserted newest first in batches of 2,500:
#: 35 s of inserts, 19 s CPU, with it kept up; 10 s, 5 s CPU, without; its sorted build
#: at the end costs a few tenths of a second). The date and UID orders come in order and
#: stay. Part of schema version 5: changing them needs a new migration.
BULK_SORT_INDEXES: dict[str, str] = {
    "messages_by_sender": "CREATE INDEX IF NOT EXISTS messages_by_sender "
    "ON messages(folder_id, sender_sort, internaldate, uid)",
    "messages_by_subject": "CREATE INDEX IF NOT EXISTS messages_by_subject "
    "ON messages(folder_id, subject_sort, internaldate, uid)",
    "messages_by_size": "CREATE INDEX IF NOT EXISTS messages_by_size ON messages(folder_id, size, uid)",
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
    # The sort indexes of version 1 (on the stored keys; version 5 replaces them).
    db.execute("CREATE INDEX messages_by_sender ON messages(folder_id, sender_key, internaldate, uid)")
    db.execute("CREATE INDEX messages_by_subject ON messages(folder_id, subject_key, internaldate, uid)")


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


def _v5_sort_keys_once(db: sqlite3.Connection) -> None:
    # Each text once (see the module notes): the sort keys become NULL where SQLite's lower()
    # of the shown text is the key, and the sender / subject indexes are on virtual columns
    # of that expression.
    # The table is made again (the keys' columns lose NOT NULL: SQLite cannot alter a column)
    # through a temporary copy, so that it takes the pages the old one leaves (no free pages
    # left behind in the file); rows keep their ids; every index is made again as the
    # earlier versions made it.
    _run_script(
        db,
        f"""
        CREATE TEMP TABLE messages_v4 AS SELECT * FROM main.messages;
        DROP TABLE main.messages;
        CREATE TABLE main.messages (
            id              INTEGER PRIMARY KEY,
            folder_id       INTEGER NOT NULL REFERENCES folders(id),
            uid             INTEGER NOT NULL,
            flags           INTEGER NOT NULL DEFAULT 0,
            keywords        TEXT NOT NULL DEFAULT '',
            internaldate    INTEGER NOT NULL,
            date            INTEGER,
            size            INTEGER NOT NULL DEFAULT 0,
            subject         TEXT NOT NULL DEFAULT '',
            subject_key     TEXT,
            from_display    TEXT NOT NULL DEFAULT '',
            sender_key      TEXT,
            from_addrs      TEXT NOT NULL DEFAULT '',
            to_addrs        TEXT NOT NULL DEFAULT '',
            cc_addrs        TEXT NOT NULL DEFAULT '',
            message_id      TEXT,
            in_reply_to     TEXT,
            refs            TEXT NOT NULL DEFAULT '',
            preview         TEXT NOT NULL DEFAULT '',
            has_attachments INTEGER NOT NULL DEFAULT 0,
            sender_sort     TEXT GENERATED ALWAYS AS ({SENDER_SORT_SQL}) VIRTUAL,
            subject_sort    TEXT GENERATED ALWAYS AS ({SUBJECT_SORT_SQL}) VIRTUAL,
            UNIQUE (folder_id, uid)
        );
        INSERT INTO main.messages (id, folder_id, uid, flags, keywords, internaldate, date, size, subject,
                                   subject_key, from_display, sender_key, from_addrs, to_addrs, cc_addrs,
                                   message_id, in_reply_to, refs, preview, has_attachments)
            SELECT id, folder_id, uid, flags, keywords, internaldate, date, size, subject,
                   nullif(subject_key, lower(subject)), from_display, nullif(sender_key, lower(from_display)),
                   from_addrs, to_addrs, cc_addrs, message_id, in_reply_to, refs, preview, has_attachments
            FROM temp.messages_v4 ORDER BY id;
        DROP TABLE temp.messages_v4;
        CREATE INDEX messages_by_date    ON messages(folder_id, internaldate, uid);
        """,
    )
    for create in BULK_SORT_INDEXES.values():
        db.execute(create)
    # In the order the earlier versions made them (SQLite's planner weighs equal-cost
    # indexes by it: the partial ones must come after the sort indexes).
    _run_script(
        db,
        f"""
        CREATE INDEX messages_unread ON messages(folder_id) WHERE (flags & 1) = 0;
        CREATE INDEX messages_flagged ON messages(folder_id, internaldate, uid)
            WHERE (flags & {_FLAGGED}) != 0;
        CREATE INDEX messages_attached ON messages(folder_id, internaldate, uid)
            WHERE has_attachments != 0;
        """,
    )


#: Ordered: MIGRATIONS[0] makes version 1, MIGRATIONS[1] version 2, ...
MIGRATIONS: tuple[Migration, ...] = (
    _v1_initial, _v2_unread_and_threads, _v3_thread_order_sort, _v4_filter_indexes, _v5_sort_keys_once,
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
