"""The search index of one account: a disposable SQLite file next to the mail cache.

File: ``<data_dir>/accounts/<account-id>/search.sqlite3``.

**Disposable**, like the cache: a file that is missing, not a database, damaged or of
another :data:`INDEX_VERSION` is deleted and created empty (``rebuilt`` is set), and
the indexer (:mod:`search.indexer`) fills it again from the cache in the background.

**Tables.**

* ``docs`` — one row per message: folder id and UID (the cache's key), the date,
  official markings (bit 1 urgent, bit 2 secret), whether the body is indexed, the
  folded header fields (subject, sender, To, Cc); ``bodies`` — the folded body text as
  zlib, by the same id (searching confirms long terms in it, and removing a message from
  the contentless gram table needs its tokens again); kept apart so that ``docs`` rows
  stay small and a search's walk over them reads few pages;
* ``grams`` — an FTS5 table (contentless, ``detail=none``) holding each message's
  set of 1-, 2- and 3-unit grams (:mod:`search.index_grams`).

**Row ids follow the date**: a message's id is its date in units of
``2**ROWID_SHIFT`` seconds (bumped to the next free id when taken), so the newest
matches come first when FTS5 walks a doclist backwards and a search for the newest
N matches stops early; ``max_bump`` (meta) bounds how far a bump moved an id, so the
early stop stays exact. Ids grow with the date, so a doclist's deltas stay small.

**Measurements** (``benchmarks/search_bench.py``, see the README section "Search"):
the figures that chose this design are in :mod:`search.engine`'s docstring.

Threads: the indexer thread writes; searches read through their own connections
(:meth:`SearchIndex.reader`), WAL lets them run during a write.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from govmail_desktop.core.paths import AppPaths
from govmail_desktop.search.fold import fold
from govmail_desktop.search.index_grams import FIELD_SEPARATOR, text_tokens
from govmail_desktop.store.cache import account_dir
from govmail_desktop.store.db import ThreadConnections, is_corruption, storage_error, write_transaction

log = logging.getLogger(__name__)

INDEX_FILE = "search.sqlite3"
INDEX_VERSION = 3
#: Row id = date >> ROWID_SHIFT (64-second steps), bumped when taken.
ROWID_SHIFT = 6
MARK_URGENT = 1
MARK_SECRET = 2
_SQLITE_MAGIC = b"SQLite format 3\x00"

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE docs (
    id          INTEGER PRIMARY KEY,
    folder_id   INTEGER NOT NULL,
    uid         INTEGER NOT NULL,
    date        INTEGER NOT NULL,
    marks       INTEGER NOT NULL DEFAULT 0,
    body_state  INTEGER NOT NULL DEFAULT 0,
    subject     TEXT NOT NULL DEFAULT '',
    sender      TEXT NOT NULL DEFAULT '',
    rcpt_to     TEXT NOT NULL DEFAULT '',
    rcpt_cc     TEXT NOT NULL DEFAULT '',
    UNIQUE (folder_id, uid)
);
CREATE TABLE bodies (id INTEGER PRIMARY KEY, z BLOB NOT NULL);
CREATE INDEX docs_without_body ON docs(folder_id) WHERE body_state = 0;
CREATE VIRTUAL TABLE grams USING fts5(g, content='', detail='none', tokenize='unicode61');
INSERT INTO meta (key, value) VALUES ('max_bump', 0);
PRAGMA user_version = {INDEX_VERSION};
"""


@dataclass(frozen=True)
class IndexDoc:
    """One message as the indexer hands it over (texts as shown; the index folds them)."""

    folder_id: int
    uid: int
    date: int
    subject: str = ""
    sender: str = ""
    to: str = ""
    cc: str = ""
    #: The body text (from mime.parse); None: not cached yet (headers only).
    body: str | None = None
    marks: int = 0


@dataclass(frozen=True)
class _Stored:
    id: int
    date: int
    marks: int
    body_state: int
    subject: str
    sender: str
    rcpt_to: str
    rcpt_cc: str
    body: bytes | None

    def body_text(self) -> str:
        return zlib.decompress(self.body).decode("utf-8") if self.body else ""

    def tokens(self) -> str:
        return _tokens(self.subject, self.sender, self.rcpt_to, self.rcpt_cc, self.body_text())


def _tokens(subject: str, sender: str, to: str, cc: str, body: str) -> str:
    return text_tokens(FIELD_SEPARATOR.join((subject, sender, to, cc, body)))


def body_text(blob: bytes | None) -> str:
    """The folded body text of a ``bodies.z`` value."""
    return zlib.decompress(blob).decode("utf-8") if blob else ""


class SearchIndex:
    """The index file of one account (see the module documentation)."""

    def __init__(self, path: Path, *, cache_path: Path | None = None) -> None:
        self.path = Path(path)
        self.cache_path = cache_path
        self.rebuilt = False
        self.rebuild_reason: str | None = None
        self._conns = ThreadConnections(self.path, self._configure)
        self._write_lock = threading.Lock()
        self._open()

    @classmethod
    def for_account(cls, account_id: str, paths: AppPaths | None = None) -> SearchIndex:
        folder = account_dir(account_id, paths)
        from govmail_desktop.store.cache import CACHE_FILE

        return cls(folder / INDEX_FILE, cache_path=folder / CACHE_FILE)

    # ------------------------------------------------------------------ opening

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA page_size = 8192")  # these two only take effect on a new file
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # optimize() gives freed pages back
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -16000")
        conn.execute("PRAGMA temp_store = MEMORY")

    def _problem(self) -> str | None:
        """Why the existing file cannot be used (None: usable or absent)."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return None
        if size == 0:
            return None
        with open(self.path, "rb") as fh:
            if not fh.read(16).startswith(_SQLITE_MAGIC):
                return "not an SQLite database"
        try:
            conn = self._conns.get()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != INDEX_VERSION:
                return f"index version {version}, this app writes {INDEX_VERSION}"
            # Cheap reads of each table (the app opens the index on the GUI thread).
            conn.execute("SELECT id FROM docs LIMIT 1").fetchone()
            conn.execute("SELECT id FROM bodies LIMIT 1").fetchone()
            conn.execute("SELECT value FROM meta WHERE key='max_bump'").fetchone()[0]
            conn.execute("""SELECT rowid FROM grams WHERE grams MATCH '"ffff"' LIMIT 1""").fetchall()
        except (sqlite3.DatabaseError, TypeError) as exc:
            return f"unusable: {exc}"
        return None

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            reason = self._problem()
            if reason is not None:
                self._discard(reason)
            conn = self._conns.get()
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                conn.executescript(_SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            self._conns.close_all()
            raise storage_error(exc, self.path) from exc

    def _discard(self, reason: str) -> None:
        log.warning("Search index %s is unusable (%s); it is built again", self.path, reason)
        self._conns.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self.rebuilt = True
        self.rebuild_reason = reason

    def reset(self, reason: str = "requested") -> None:
        """Start again from an empty index (damage found while running)."""
        with self._write_lock:
            self._discard(reason)
            try:
                self._conns.get().executescript(_SCHEMA)
            except (sqlite3.DatabaseError, OSError) as exc:
                raise storage_error(exc, self.path) from exc

    def close(self) -> None:
        self._conns.close_all()

    def close_thread(self) -> None:
        self._conns.close_current()

    def is_damage(self, exc: BaseException) -> bool:
        return is_corruption(exc)

    # ------------------------------------------------------------------ reading

    def reader(self) -> sqlite3.Connection:
        """A new read connection for a search thread: the index, the cache attached as
        ``cache`` (read only) when known, and ``gm_body_has(body, term)``."""
        # Opened as a URI so that the ATTACH below is read as one on every SQLite build.
        conn = sqlite3.connect(self.path.resolve().as_uri(), uri=True, isolation_level=None,
                               check_same_thread=False, timeout=5.0)
        conn.execute("PRAGMA cache_size = -32000")  # the docs rows of 100,000 messages stay in memory
        conn.execute("PRAGMA query_only = 1")
        conn.create_function("gm_body_has", 2, _body_has, deterministic=True)
        if self.cache_path is not None and self.cache_path.exists():
            uri = self.cache_path.resolve().as_uri() + "?mode=ro"
            conn.execute("ATTACH DATABASE ? AS cache", (uri,))
        return conn

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._conns.in_use() as conn:
            yield conn

    def max_bump(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key='max_bump'").fetchone()[0])

    def count(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT count(*) FROM docs").fetchone()[0])

    def keys(self, folder_id: int | None = None) -> dict[tuple[int, int], int]:
        """{(folder id, uid): body_state} of every message indexed (of one folder)."""
        with self._reading() as conn:
            if folder_id is None:
                rows = conn.execute("SELECT folder_id, uid, body_state FROM docs").fetchall()
            else:
                rows = conn.execute(
                    "SELECT folder_id, uid, body_state FROM docs WHERE folder_id=?", (folder_id,)
                ).fetchall()
        return {(f, u): s for f, u, s in rows}

    def stored_text(self, folder_id: int, uid: int) -> tuple[str, str, str, str, str] | None:
        """The folded (subject, sender, to, cc, body) indexed for a message (tests, checks)."""
        with self._reading() as conn:
            row = self._stored(conn, folder_id, uid)
        if row is None:
            return None
        return row.subject, row.sender, row.rcpt_to, row.rcpt_cc, row.body_text()

    @staticmethod
    def _stored(conn: sqlite3.Connection, folder_id: int, uid: int) -> _Stored | None:
        row = conn.execute(
            """SELECT d.id, d.date, d.marks, d.body_state, d.subject, d.sender, d.rcpt_to, d.rcpt_cc, b.z
               FROM docs d LEFT JOIN bodies b ON b.id = d.id WHERE d.folder_id=? AND d.uid=?""",
            (folder_id, uid),
        ).fetchone()
        return _Stored(*row) if row else None

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock, self._conns.in_use() as conn, write_transaction(conn):
            yield conn

    def add(self, docs: Iterable[IndexDoc]) -> int:
        """Index (or re-index) messages in one transaction; returns how many changed.

        A header-only document for a message whose body is already indexed keeps the body.
        """
        changed = 0
        try:
            with self._writing() as conn:
                max_bump = int(conn.execute("SELECT value FROM meta WHERE key='max_bump'").fetchone()[0])
                new_bump = max_bump
                for doc in docs:
                    bump = self._add_one(conn, doc)
                    if bump is not None:
                        changed += 1
                        new_bump = max(new_bump, bump)
                if new_bump > max_bump:
                    conn.execute("UPDATE meta SET value=? WHERE key='max_bump'", (new_bump,))
        except (sqlite3.DatabaseError, OSError) as exc:
            raise storage_error(exc, self.path) from exc
        return changed

    def _add_one(self, conn: sqlite3.Connection, doc: IndexDoc) -> int | None:
        """Write one document; the bump of its id (None: nothing changed)."""
        subject, sender, to, cc = fold(doc.subject), fold(doc.sender), fold(doc.to), fold(doc.cc)
        old = self._stored(conn, doc.folder_id, doc.uid)
        if old is not None and (max(doc.date, 0) >> ROWID_SHIFT) > old.id:
            # A later date than its row id allows: the message moves to a new id.
            self._delete(conn, old)
            if doc.body is None and old.body is not None:
                doc = IndexDoc(doc.folder_id, doc.uid, doc.date, doc.subject, doc.sender, doc.to, doc.cc,
                               old.body_text(), doc.marks | old.marks)
            old = None
        if doc.body is None:
            body = old.body if old is not None else None
            body_state = old.body_state if old is not None else 0
            body_str: str | None = None
        else:
            body_str = fold(doc.body)
            body = zlib.compress(body_str.encode("utf-8"), 6)
            body_state = 1
        if old is not None:
            # Header fields alone say less about markings than the whole message does.
            marks = doc.marks | (old.marks if doc.body is None else 0)
            now = (subject, sender, to, cc, body_state, marks, doc.date, body)
            if now == (old.subject, old.sender, old.rcpt_to, old.rcpt_cc, old.body_state, old.marks, old.date,
                       old.body):
                return None
            conn.execute("INSERT INTO grams(grams, rowid, g) VALUES ('delete', ?, ?)", (old.id, old.tokens()))
            rowid, bump = old.id, 0
            conn.execute(
                """UPDATE docs SET date=?, marks=?, body_state=?, subject=?, sender=?, rcpt_to=?, rcpt_cc=?
                   WHERE id=?""",
                (doc.date, marks, body_state, subject, sender, to, cc, rowid),
            )
            if body != old.body:
                conn.execute("DELETE FROM bodies WHERE id=?", (rowid,))
                if body is not None:
                    conn.execute("INSERT INTO bodies (id, z) VALUES (?, ?)", (rowid, body))
        else:
            base = max(doc.date, 0) >> ROWID_SHIFT
            rowid = base
            while conn.execute("SELECT 1 FROM docs WHERE id=?", (rowid,)).fetchone() is not None:
                rowid += 1
            bump = rowid - base
            conn.execute(
                """INSERT INTO docs (id, folder_id, uid, date, marks, body_state, subject, sender, rcpt_to,
                   rcpt_cc) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                (rowid, doc.folder_id, doc.uid, doc.date, doc.marks, body_state, subject, sender, to, cc),
            )
            if body is not None:
                conn.execute("INSERT INTO bodies (id, z) VALUES (?, ?)", (rowid, body))
        text = body_str if body_str is not None else body_text(body)
        conn.execute("INSERT INTO grams(rowid, g) VALUES (?, ?)", (rowid, _tokens(subject, sender, to, cc, text)))
        return bump

    def remove(self, folder_id: int, uids: Iterable[int]) -> int:
        """Remove messages of a folder; returns how many were indexed."""
        wanted = sorted(set(uids))
        if not wanted:
            return 0
        removed = 0
        try:
            with self._writing() as conn:
                for uid in wanted:
                    old = self._stored(conn, folder_id, uid)
                    if old is not None:
                        self._delete(conn, old)
                        removed += 1
        except (sqlite3.DatabaseError, OSError) as exc:
            raise storage_error(exc, self.path) from exc
        return removed

    def remove_folder(self, folder_id: int) -> int:
        """Remove every message of a folder (folder deleted, UIDVALIDITY changed)."""
        with self._reading() as conn:
            uids = [r[0] for r in conn.execute("SELECT uid FROM docs WHERE folder_id=?", (folder_id,))]
        return self.remove(folder_id, uids)

    def clear(self) -> None:
        """Remove everything (the cache was rebuilt empty)."""
        try:
            with self._writing() as conn:
                conn.execute("INSERT INTO grams(grams) VALUES ('delete-all')")
                conn.execute("DELETE FROM docs")
                conn.execute("DELETE FROM bodies")
                conn.execute("UPDATE meta SET value=0 WHERE key='max_bump'")
        except (sqlite3.DatabaseError, OSError) as exc:
            raise storage_error(exc, self.path) from exc

    @staticmethod
    def _delete(conn: sqlite3.Connection, old: _Stored) -> None:
        conn.execute("INSERT INTO grams(grams, rowid, g) VALUES ('delete', ?, ?)", (old.id, old.tokens()))
        conn.execute("DELETE FROM docs WHERE id=?", (old.id,))
        conn.execute("DELETE FROM bodies WHERE id=?", (old.id,))

    def optimize(self) -> None:
        """Merge the gram table's segments (after a big build: smaller and faster)."""
        try:
            with self._writing() as conn:
                conn.execute("INSERT INTO grams(grams) VALUES ('optimize')")
            with self._conns.in_use() as conn:
                # Give the freed pages back (executescript steps it to the end; execute frees one page).
                conn.executescript("PRAGMA incremental_vacuum;")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise storage_error(exc, self.path) from exc

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.path.getsize(self.path.with_name(self.path.name + suffix))
        return total


def _body_has(blob: bytes | None, term: str | bytes) -> bool:
    """SQL ``gm_body_has(body, term)``: the folded body holds ``term`` (UTF-8 bytes compare
    as the text does: UTF-8 is self-synchronising, and skipping the decode saves time)."""
    if not blob:
        return False
    needle = term if isinstance(term, bytes) else term.encode("utf-8")
    return needle in zlib.decompress(blob)


def remove_index_files(account_id: str, paths: AppPaths | None = None) -> None:
    """Delete an account's index (the account is removed)."""
    folder = account_dir(account_id, paths)
    for suffix in ("", "-wal", "-shm", "-journal"):
        (folder / (INDEX_FILE + suffix)).unlink(missing_ok=True)


__all__ = ["INDEX_FILE", "INDEX_VERSION", "MARK_SECRET", "MARK_URGENT", "IndexDoc", "SearchIndex",
           "body_text", "remove_index_files"]
