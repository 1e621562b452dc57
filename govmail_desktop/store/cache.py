"""The per-account mail cache: folders, message summaries, fetched parts (SQLite, WAL).

File: ``<data_dir>/accounts/<account-id>/cache.sqlite3``.

**Disposable.** Everything here can be fetched again from the server, so a
file that is not a database, is malformed, truncated, or carries a schema
version newer than this app knows is moved aside (``cache.sqlite3.broken``,
one kept) and an empty cache is created; :attr:`MailCache.rebuilt` tells the
sync to fetch everything again. Damage found while running marks the file
(``cache.sqlite3.rebuild``) and raises ``StorageError(code="cache-corrupt")``;
it is rebuilt on the next open (or at once with :meth:`MailCache.rebuild`).
The offline action queue is *not* disposable and lives in another file
(``store/op_queue.py``) that a rebuild never touches.

**Threads.** One object per account is shared; every thread gets its own
connection. The sync worker writes in short ``BEGIN IMMEDIATE`` transactions
(one per batch); the GUI thread's models only read, and in WAL mode readers
never wait for the writer. Do not write from the GUI thread: a write may wait
up to the busy timeout for the sync's transaction.

**Speed.** Sorted pages are index walks (see ``schema.py``); ``page()`` finds
the page's row ids on the covering index first and only then reads those 256
rows ("late row lookup"), so even the last page of 100,000 costs a few ms.
For the first full sync of a big folder, write a small first batch (the first
screen), then the rest inside :meth:`MailCache.bulk_load` in batches of
:attr:`MailCache.SUGGESTED_BATCH`; sqlite3 releases the GIL while it writes,
so a writer thread overlaps with parsing. Figures: ``benchmarks/cache_bench.py``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govmail_desktop.core.entities import (
    FlagChange,
    Folder,
    FolderStatus,
    MessageSummary,
    decode_flags,
    encode_flags,
)
from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.fileops import replace_with_retry
from govmail_desktop.core.memory import release_free_memory
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.threads import lower_current_thread_priority
from govmail_desktop.store.cache_reads import CacheReads
from govmail_desktop.store.db import ThreadConnections, guarded, is_corruption, storage_error, write_transaction
from govmail_desktop.store.message_rows import (
    _ROWKEY_COLS,
    AddressRow,
    RowKey,
    SummaryRow,
    _insert_many,
    summary_row,
)
from govmail_desktop.store.schema import BULK_SORT_INDEXES, SCHEMA_VERSION, migrate
from govmail_desktop.store.uidset import UidSet

log = logging.getLogger(__name__)

CACHE_FILE = "cache.sqlite3"
#: SQLite page cache of each connection (KiB). The GUI's reader, the sync worker and
#: the bulk writer have one each; 16 MB each held 23 MB at 100,000 messages and would
#: fill at 1,000,000. Pages are index walks that the OS file cache serves as fast.
PAGE_CACHE_KIB = 4000
#: A cache file from this size on (about 30,000 messages) is opened off the GUI thread when
#: the open must migrate or check it (:meth:`MailCache.slow_open_expected`).
SLOW_OPEN_BYTES = 16 * 2**20
_SQLITE_MAGIC = b"SQLite format 3\x00"
_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


def account_dir(account_id: str, paths: AppPaths | None = None) -> Path:
    """``<data_dir>/accounts/<account-id>``; the id must be a safe file name."""
    if not _ACCOUNT_ID.match(account_id) or ".." in account_id:
        raise ValueError(f"unsafe account id for a directory name: {account_id!r}")
    return (paths or AppPaths.default()).data_dir / "accounts" / account_id


@dataclass(frozen=True)
class CachedFolder:
    """A folder row: the LIST data, the sync state and the server's counts."""

    id: int
    folder: Folder
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    server_messages: int | None
    server_unseen: int | None

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def state(self) -> FolderStatus:
        """What the cache holds in sync (not the server's current figures)."""
        return FolderStatus(self.uidvalidity, self.uidnext, self.highestmodseq)


@dataclass(frozen=True)
class CacheChange:
    """What a write changed, told to the listeners (:meth:`MailCache.add_listener`) after it
    is committed: ``"rows"`` (summaries stored), ``"part"`` (a body part stored: ``part``),
    ``"expunged"`` (messages removed), ``"folder-cleared"`` (every message of a folder gone:
    folder removed, UIDVALIDITY reset) and ``"rebuilt"`` (the whole cache replaced)."""

    kind: str
    folder_id: int | None = None
    uids: tuple[int, ...] = ()
    part: str | None = None


class _Unset:
    pass


_UNSET: Any = _Unset()


#: The flags of the messages in ``temp.flag_updates``, set in one statement. The ``uid IN``
#: term makes SQLite look each message up by (folder_id, uid); without it the plan walked every
#: message of the folder (by a (folder_id, …) index): 1.3-1.5 s per flag change at 1,000,000.
UPDATE_FLAGS_SQL = """UPDATE messages SET flags=u.flags, keywords=u.keywords
   FROM temp.flag_updates AS u
   WHERE messages.folder_id=? AND messages.uid IN (SELECT uid FROM temp.flag_updates)
     AND messages.uid=u.uid
     AND (messages.flags != u.flags OR messages.keywords != u.keywords)
   RETURNING messages.uid"""


class MailCache(CacheReads):
    """The cache database of one account; safe to share between threads (see module doc).

    Attributes set by opening:

    * ``rebuilt`` — the file was unusable and has been replaced by an empty
      cache: the sync must fetch every folder again;
    * ``rebuild_reason`` — why (English, for the log and tests).
    """

    #: Rows per write transaction suggested to the sync (bigger batches write faster;
    #: the first batch should be small so that the first screen appears early).
    SUGGESTED_BATCH = 5000

    def __init__(self, path: Path, *, verify: bool | None = None) -> None:
        """Open (creating, migrating or rebuilding) the cache at ``path``.

        ``verify=None`` runs SQLite's ``quick_check`` only when the last
        session did not close the file (a WAL was left behind); True always;
        False never.
        """
        self.path = Path(path)
        self.rebuilt = False
        self.rebuild_reason: str | None = None
        self._conns = ThreadConnections(self.path, self._configure)
        self._bulk_lock = threading.Lock()
        self._bulk_depth = 0
        self._listeners: list[Callable[[CacheChange], None]] = []
        self._open(verify)

    @classmethod
    def for_account(cls, account_id: str, paths: AppPaths | None = None, **kwargs: Any) -> MailCache:
        return cls(cls.file_for(account_id, paths), **kwargs)

    @staticmethod
    def file_for(account_id: str, paths: AppPaths | None = None) -> Path:
        """Where an account's cache file is."""
        return account_dir(account_id, paths) / CACHE_FILE

    @staticmethod
    def slow_open_expected(path: Path, min_bytes: int = SLOW_OPEN_BYTES) -> bool:
        """Whether opening ``path`` will take seconds, from its header alone (no SQLite): a file
        of at least ``min_bytes`` whose schema is older than this app's (the migration remakes
        the messages table: ~1.8 s per 100,000 messages, once), or whose last session ended
        without closing it (a WAL is left: ``PRAGMA quick_check`` reads the whole file). The
        app opens such a cache off the GUI thread. A hint: a schema change still in the WAL
        is not seen, and the open decides for itself what to do."""
        try:
            if path.stat().st_size < min_bytes:
                return False
            with open(path, "rb") as fh:
                header = fh.read(100)
            wal = path.with_name(path.name + "-wal")
            crashed = wal.exists() and wal.stat().st_size > 0
        except OSError:
            return False
        if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
            return False  # set aside and started empty: quick
        return crashed or int.from_bytes(header[60:64], "big") < SCHEMA_VERSION

    # ------------------------------------------------------------------ opening

    @property
    def _marker(self) -> Path:
        return self.path.with_name(self.path.name + ".rebuild")

    @property
    def _wal(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA page_size = 8192")  # only takes effect on a new file
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use WAL journal (got {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        # Sorts bigger than the page cache (the sort indexes rebuilt after a bulk load,
        # a sender/subject order while those are dropped) spill to a temporary file,
        # not to memory: 1,000,000 rows would hold the whole index in RAM for a moment.
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("PRAGMA wal_autocheckpoint = 4000")

    def _precheck(self) -> tuple[str | None, bool]:
        """(reason to rebuild, last session crashed) from the files alone, without SQLite."""
        if self._marker.exists():
            return "marked as damaged during an earlier session", False
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return None, False
        if size == 0:
            return None, False
        with open(self.path, "rb") as fh:
            header = fh.read(100)
        if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
            return "not an SQLite database", False
        wal_size = self._wal.stat().st_size if self._wal.exists() else 0
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        page_count = int.from_bytes(header[28:32], "big")
        header_count_valid = header[24:28] == header[92:96]
        # With a WAL present the main file may legitimately lag; quick_check covers it.
        if wal_size == 0 and header_count_valid and page_count and size < page_count * page_size:
            return f"truncated ({size} of {page_count * page_size} bytes)", False
        return None, wal_size > 0

    def _open(self, verify: bool | None) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            reason, crashed = self._precheck()
        except OSError as exc:
            raise storage_error(exc, self.path) from exc
        if reason is None:
            reason = self._try_open_existing(verify if verify is not None else crashed)
        if reason is not None:
            self._discard(reason)
            try:
                migrate(self._conns.get())
            except (sqlite3.DatabaseError, OSError) as exc:
                self._conns.close_all()
                raise storage_error(exc, self.path) from exc

    def _try_open_existing(self, verify: bool) -> str | None:
        """Open and migrate; a reason string if the file must be rebuilt instead."""
        try:
            conn = self._conns.get()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                return f"schema version {version} is newer than this app's {SCHEMA_VERSION}"
            if verify:
                try:
                    result = conn.execute("PRAGMA quick_check").fetchone()[0]
                except sqlite3.DatabaseError as exc:  # damage the check itself stumbles on
                    if not is_corruption(exc):
                        raise
                    result = str(exc)
                if result != "ok":
                    return f"quick_check: {result}"
            old = migrate(conn)
            if old and old < SCHEMA_VERSION:
                log.info("Mail cache %s migrated from schema %d to %d", self.path, old, SCHEMA_VERSION)
            conn.execute("SELECT count(*) FROM folders").fetchone()
            self._ensure_sort_indexes(conn)  # a bulk load cut short by a crash
            return None
        except (sqlite3.DatabaseError, ValueError) as exc:
            if isinstance(exc, sqlite3.DatabaseError):
                err = storage_error(exc, self.path)
                if err.code in ("disk-full", "read-only", "cache-busy"):
                    self._conns.close_all()
                    raise err from exc
            return f"unusable: {exc}"
        except OSError as exc:
            self._conns.close_all()
            raise storage_error(exc, self.path) from exc

    def _discard(self, reason: str) -> None:
        """Move the unusable file aside and start from an empty one."""
        log.warning("Mail cache %s is unusable (%s); rebuilding it empty", self.path, reason)
        self._conns.close_all()
        try:
            if self.path.exists():
                replace_with_retry(self.path, self.path.with_name(self.path.name + ".broken"))
            for suffix in ("-wal", "-shm", "-journal"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            self._marker.unlink(missing_ok=True)
        except OSError as exc:
            raise storage_error(exc, self.path) from exc
        self.rebuilt = True
        self.rebuild_reason = reason
        if getattr(self, "_listeners", None):
            self._notify(CacheChange("rebuilt"))

    def rebuild(self, reason: str = "requested") -> None:
        """Replace the cache by an empty one now (other threads reopen on their next call)."""
        self._discard(reason)
        try:
            migrate(self._conns.get())
        except (sqlite3.DatabaseError, OSError) as exc:
            raise storage_error(exc, self.path) from exc

    def mark_damaged(self) -> None:
        """Have the next open rebuild the cache (damage found while running)."""
        with contextlib.suppress(OSError):
            self._marker.touch()

    def _failure(self, exc: BaseException) -> StorageError:
        err = storage_error(exc, self.path)
        if err.code == "cache-corrupt" or is_corruption(exc):
            log.error("Mail cache %s is damaged (%s); it will be rebuilt", self.path, exc)
            self.mark_damaged()
        else:
            log.warning("Mail cache %s: %s", self.path, exc)
        return err

    def close(self) -> None:
        """Close every connection (at shutdown, after the workers have stopped).

        Closing the last connection checkpoints and removes the WAL, which is how
        the next start knows this session ended cleanly.
        """
        self._conns.close_all()
        release_free_memory()  # the connections' page caches (core/memory.py)

    def close_thread(self) -> None:
        """Close this thread's connection; call it when a worker thread finishes."""
        self._conns.close_current()

    def _conn(self) -> sqlite3.Connection:
        return self._conns.get()

    # ------------------------------------------------------------------ listeners

    def add_listener(self, listener: Callable[[CacheChange], None]) -> None:
        """Call ``listener(change)`` after each committed change (on the writing thread:
        it must only note the change and return, e.g. queue it for the search indexer)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[CacheChange], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def _notify(self, change: CacheChange) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("Mail cache listener failed on %s", change.kind)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with write_transaction(self._conn()) as conn:
            yield conn

    @staticmethod
    def _ensure_sort_indexes(conn: sqlite3.Connection) -> None:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        missing = [sql for name, sql in BULK_SORT_INDEXES.items() if name not in present]
        if missing:
            started = time.perf_counter()
            with write_transaction(conn):
                for sql in missing:
                    conn.execute(sql)
            log.info("Mail cache sort indexes built in %.2f s", time.perf_counter() - started)

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[MailCache]:
        """For a big first sync (thousands of new summaries): faster inserts.

        Drops the sender, subject and size sort indexes (``schema.BULK_SORT_INDEXES``)
        for the duration and rebuilds them at the end (a sorted build is several
        times cheaper than row-by-row upkeep: 100,000 rows ≈ 0.3 s). Meanwhile
        sorting by those columns still works, by a temporary sort instead of an
        index walk; the date order (the default view) is unaffected. Nested or concurrent uses share
        one drop/rebuild. A crash inside leaves no harm: the next open rebuilds
        missing indexes.
        """
        with self._bulk_lock:
            self._bulk_depth += 1
            first = self._bulk_depth == 1
        try:
            if first:
                self._drop_sort_indexes()
            yield self
        finally:
            with self._bulk_lock:
                self._bulk_depth -= 1
                last = self._bulk_depth == 0
            if last:
                self._rebuild_sort_indexes()

    @guarded
    def _drop_sort_indexes(self) -> None:
        with self._writing() as db:
            for name in BULK_SORT_INDEXES:
                db.execute(f"DROP INDEX IF EXISTS {name}")

    @guarded
    def _rebuild_sort_indexes(self) -> None:
        conn = self._conn()
        self._ensure_sort_indexes(conn)
        # Fold the bulk write into the main file now, not in the next small commit.
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    @guarded
    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    @guarded
    def data_version(self) -> int:
        """Changes whenever another connection commits (cheap change polling)."""
        return int(self._conn().execute("PRAGMA data_version").fetchone()[0])

    # ------------------------------------------------------------------ folders

    @guarded
    def upsert_folders(self, folders: Iterable[Folder], *, remove_missing: bool = True) -> dict[str, int]:
        """Store the LIST result; returns {name: folder id}.

        With ``remove_missing`` folders no longer listed are dropped with their
        messages (deleted or renamed on the server).
        """
        folders = list(folders)
        with self._writing() as db:
            db.executemany(
                """INSERT INTO folders (name, delimiter, special_use, attributes, subscribed)
                   VALUES (?,?,?,?,?)
                   ON CONFLICT (name) DO UPDATE SET delimiter=excluded.delimiter,
                     special_use=excluded.special_use, attributes=excluded.attributes,
                     subscribed=excluded.subscribed""",
                [
                    (f.name, f.delimiter, f.special_use, " ".join(sorted(f.attributes)), int(f.subscribed))
                    for f in folders
                ],
            )
            ids = {name: fid for fid, name in db.execute("SELECT id, name FROM folders")}
            dropped = []
            if remove_missing:
                listed = {f.name for f in folders}
                for name, fid in list(ids.items()):
                    if name not in listed:
                        self._delete_folder_contents(db, fid)
                        db.execute("DELETE FROM folders WHERE id=?", (fid,))
                        del ids[name]
                        dropped.append(fid)
        for fid in dropped:
            self._notify(CacheChange("folder-cleared", fid))
        return ids

    @staticmethod
    def _delete_folder_contents(db: sqlite3.Connection, folder_id: int) -> int:
        removed = db.execute("DELETE FROM messages WHERE folder_id=?", (folder_id,)).rowcount
        db.execute("DELETE FROM parts WHERE folder_id=?", (folder_id,))
        db.execute("DELETE FROM thread_order WHERE folder_id=?", (folder_id,))
        db.execute("UPDATE folders SET thread_order_valid=0 WHERE id=?", (folder_id,))
        return removed

    @guarded
    def folders(self) -> list[CachedFolder]:
        rows = self._conn().execute(
            """SELECT id, name, delimiter, special_use, attributes, subscribed, uidvalidity,
                      uidnext, highestmodseq, server_messages, server_unseen
               FROM folders ORDER BY name"""
        ).fetchall()
        return [self._folder_of(r) for r in rows]

    @staticmethod
    def _folder_of(r: tuple[Any, ...]) -> CachedFolder:
        folder = Folder(
            name=r[1],
            delimiter=r[2],
            special_use=r[3],
            attributes=frozenset(r[4].split()) if r[4] else frozenset(),
            subscribed=bool(r[5]),
        )
        return CachedFolder(r[0], folder, r[6], r[7], r[8], r[9], r[10])

    @guarded
    def folder(self, folder_id: int) -> CachedFolder | None:
        row = self._conn().execute(
            """SELECT id, name, delimiter, special_use, attributes, subscribed, uidvalidity,
                      uidnext, highestmodseq, server_messages, server_unseen
               FROM folders WHERE id=?""",
            (folder_id,),
        ).fetchone()
        return self._folder_of(row) if row else None

    @guarded
    def folder_id(self, name: str) -> int | None:
        row = self._conn().execute("SELECT id FROM folders WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    @guarded
    def set_folder_state(
        self,
        folder_id: int,
        *,
        uidvalidity: int | None = _UNSET,
        uidnext: int | None = _UNSET,
        highestmodseq: int | None = _UNSET,
    ) -> None:
        """Record how far the cache is in sync (only the values given are changed)."""
        values = {
            k: v
            for k, v in (("uidvalidity", uidvalidity), ("uidnext", uidnext), ("highestmodseq", highestmodseq))
            if v is not _UNSET
        }
        if not values:
            return
        sets = ", ".join(f"{k}=?" for k in values)
        with self._writing() as db:
            db.execute(f"UPDATE folders SET {sets} WHERE id=?", (*values.values(), folder_id))

    @guarded
    def set_server_status(self, statuses: Mapping[int, FolderStatus]) -> None:
        """Store the server's message/unseen counts (STATUS, LIST-STATUS) of many folders."""
        with self._writing() as db:
            db.executemany(
                "UPDATE folders SET server_messages=?, server_unseen=? WHERE id=?",
                [(s.messages, s.unseen, fid) for fid, s in statuses.items()],
            )

    @guarded
    def reset_folder(self, folder_id: int, uidvalidity: int | None = None) -> int:
        """UIDVALIDITY changed: drop the folder's messages and sync state; returns rows dropped."""
        with self._writing() as db:
            removed = self._delete_folder_contents(db, folder_id)
            db.execute(
                "UPDATE folders SET uidvalidity=?, uidnext=NULL, highestmodseq=NULL WHERE id=?",
                (uidvalidity, folder_id),
            )
        self._notify(CacheChange("folder-cleared", folder_id))
        log.info("Folder %d reset (UIDVALIDITY %s): %d cached messages dropped", folder_id, uidvalidity, removed)
        return removed

    # ------------------------------------------------------------------ sync writes

    @guarded
    def insert_summaries(self, folder_id: int, summaries: Iterable[MessageSummary]) -> int:
        """Insert (or refresh) a batch in ONE transaction; returns the number of rows."""
        return self.insert_rows(folder_id, [summary_row(folder_id, s) for s in summaries])

    @guarded
    def insert_rows(self, folder_id: int, rows: Sequence[SummaryRow]) -> int:
        """Insert (or refresh) ready-made ``messages`` rows in ONE transaction.

        For the bulk header sync (``sync/rows.py``), which builds rows straight
        from the wire with per-correspondent values memoised; each row must be
        what :func:`summary_row` gives (a :class:`SummaryRow` of this ``folder_id``).
        Returns the number of rows.
        """
        if not rows:
            return 0
        with self._writing() as db:
            _insert_many(db, rows)
            db.execute("UPDATE folders SET thread_order_valid=0 WHERE id=? AND thread_order_valid", (folder_id,))
        if self._listeners:
            self._notify(CacheChange("rows", folder_id, tuple(r.uid for r in rows)))
        return len(rows)

    @contextlib.contextmanager
    def background_writer(self) -> Iterator[Callable[[int, Sequence[SummaryRow]], Future[int]]]:
        """``submit(folder_id, rows) -> Future`` running :meth:`insert_rows` on a thread of its own.

        For the bulk header sync: SQLite does the page and index work of a
        multi-row INSERT without the interpreter lock, so one batch is written on
        the second core while the sync thread parses the next one (the rows are
        bound in a few big statements, so the writer needs the lock only a few
        times per batch). Batches are written in the order submitted; errors
        come out of the future as :class:`StorageError`. Leaving the context
        waits for the writes and closes the writer's connection.
        """
        pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="cache-writer", initializer=lower_current_thread_priority
        )

        def submit(folder_id: int, rows: Sequence[SummaryRow]) -> Future[int]:
            return pool.submit(self.insert_rows, folder_id, rows)

        try:
            yield submit
        finally:
            pool.submit(self.close_thread)
            pool.shutdown(wait=True)

    @guarded
    def update_flags(
        self,
        folder_id: int,
        changes: Mapping[int, Iterable[str]] | Iterable[FlagChange],
        highestmodseq: int | None = None,
    ) -> list[int]:
        """Set the flags of many messages (server state); returns UIDs whose flags changed.

        ``highestmodseq``, when given, is stored in the same transaction so the
        cache never claims a MODSEQ whose changes it does not hold.
        """
        if isinstance(changes, Mapping):
            items = [(uid, *encode_flags(flags)) for uid, flags in changes.items()]
        else:
            items = [(c.uid, *encode_flags(c.flags)) for c in changes]
        with self._writing() as db:
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS flag_updates "
                "(uid INTEGER PRIMARY KEY, flags INTEGER NOT NULL, keywords TEXT NOT NULL)"
            )
            db.execute("DELETE FROM temp.flag_updates")
            db.executemany("INSERT OR REPLACE INTO temp.flag_updates VALUES (?,?,?)", items)
            changed = db.execute(UPDATE_FLAGS_SQL, (folder_id,)).fetchall()
            db.execute("DELETE FROM temp.flag_updates")
            if highestmodseq is not None:
                db.execute("UPDATE folders SET highestmodseq=? WHERE id=?", (highestmodseq, folder_id))
        return sorted(r[0] for r in changed)

    @guarded
    def change_flags(
        self, folder_id: int, uids: Iterable[int], *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> list[int]:
        """Add/remove flags on some messages (a user action, shown at once); returns changed UIDs."""
        add_bits, add_kw = encode_flags(add)
        rem_bits, rem_kw = encode_flags(remove)
        uid_json = json.dumps(sorted(set(uids)))
        changed: set[int] = set()
        with self._writing() as db:
            if add_bits or rem_bits:
                rows = db.execute(
                    """UPDATE messages SET flags = (flags | ?) & ~?
                       WHERE folder_id=? AND uid IN (SELECT value FROM json_each(?))
                         AND flags != ((flags | ?) & ~?)
                       RETURNING uid""",
                    (add_bits, rem_bits, folder_id, uid_json, add_bits, rem_bits),
                ).fetchall()
                changed.update(r[0] for r in rows)
            if add_kw or rem_kw:
                plus, minus = set(add_kw.split()), set(rem_kw.split())
                current = db.execute(
                    "SELECT uid, keywords FROM messages WHERE folder_id=? AND uid IN (SELECT value FROM json_each(?))",
                    (folder_id, uid_json),
                ).fetchall()
                updates = []
                for uid, kw in current:
                    new = " ".join(sorted((set(kw.split()) | plus) - minus))
                    if new != kw:
                        updates.append((new, folder_id, uid))
                        changed.add(uid)
                db.executemany("UPDATE messages SET keywords=? WHERE folder_id=? AND uid=?", updates)
        return sorted(changed)

    @guarded
    def expunge(self, folder_id: int, uids: Iterable[int] | UidSet) -> list[RowKey]:
        """Remove messages (EXPUNGE/VANISHED); returns the removed rows' sort keys.

        The keys let a model find where the rows *were* in any sort order after
        they are gone (see ``MessageListModel.rows_removed``).
        """
        uid_set = uids if isinstance(uids, UidSet) else UidSet.of(uids)
        if not uid_set:
            return []
        removed: list[RowKey] = []
        ranges = uid_set.ranges
        with self._writing() as db:
            for first, last in ranges:
                removed.extend(
                    RowKey._make(r)
                    for r in db.execute(
                        f"SELECT {_ROWKEY_COLS} FROM messages WHERE folder_id=? AND uid BETWEEN ? AND ?",
                        (folder_id, first, last),
                    )
                )
            if removed:
                params = [(folder_id, a, b) for a, b in ranges]
                db.executemany("DELETE FROM messages WHERE folder_id=? AND uid BETWEEN ? AND ?", params)
                db.executemany("DELETE FROM parts WHERE folder_id=? AND uid BETWEEN ? AND ?", params)
                db.execute("UPDATE folders SET thread_order_valid=0 WHERE id=?", (folder_id,))
        if removed:
            self._notify(CacheChange("expunged", folder_id, tuple(k.uid for k in removed)))
        return removed

    @guarded
    def known_uids(self, folder_id: int) -> UidSet:
        """Every cached UID of a folder as ranges (compact even for 100,000 messages)."""
        cur = self._conn().execute("SELECT uid FROM messages WHERE folder_id=? ORDER BY uid", (folder_id,))
        return UidSet.from_sorted(r[0] for r in cur)

    @guarded
    def max_uid(self, folder_id: int) -> int:
        row = self._conn().execute("SELECT max(uid) FROM messages WHERE folder_id=?", (folder_id,)).fetchone()
        return row[0] or 0

    @guarded
    def address_rows(self, folder_id: int, after_uid: int, limit: int) -> list[AddressRow]:
        """The address fields of up to ``limit`` messages with a UID above ``after_uid``, in
        UID order (an index range): the address book reads a folder in batches."""
        rows = self._conn().execute(
            """SELECT uid, internaldate, date, from_addrs, to_addrs, cc_addrs, message_id
               FROM messages WHERE folder_id=? AND uid>? ORDER BY uid LIMIT ?""",
            (folder_id, after_uid, limit),
        ).fetchall()
        return [AddressRow(*r) for r in rows]

    @guarded
    def flags_of(self, folder_id: int, uid: int) -> frozenset[str] | None:
        row = self._conn().execute(
            "SELECT flags, keywords FROM messages WHERE folder_id=? AND uid=?", (folder_id, uid)
        ).fetchone()
        return decode_flags(row[0], row[1]) if row else None

    # ------------------------------------------------------------------ bodies

    @guarded
    def put_part(self, folder_id: int, uid: int, part: str, data: bytes) -> None:
        """Keep a fetched body part (``""``/``"TEXT"``/``"1.2"``/``"HEADER"`` ...)."""
        with self._writing() as db:
            db.execute(
                """INSERT INTO parts (folder_id, uid, part, data, fetched_at) VALUES (?,?,?,?,?)
                   ON CONFLICT (folder_id, uid, part) DO UPDATE SET data=excluded.data,
                     fetched_at=excluded.fetched_at""",
                (folder_id, uid, part, sqlite3.Binary(data), int(time.time())),
            )
        self._notify(CacheChange("part", folder_id, (uid,), part))

    @guarded
    def get_part(self, folder_id: int, uid: int, part: str) -> bytes | None:
        row = self._conn().execute(
            "SELECT data FROM parts WHERE folder_id=? AND uid=? AND part=?", (folder_id, uid, part)
        ).fetchone()
        return bytes(row[0]) if row else None

    @guarded
    def parts_of(self, folder_id: int, uid: int) -> list[str]:
        rows = self._conn().execute(
            "SELECT part FROM parts WHERE folder_id=? AND uid=? ORDER BY part", (folder_id, uid)
        ).fetchall()
        return [r[0] for r in rows]

    @guarded
    def recent_without_parts(self, folder_id: int, since: int, parts: Sequence[str]) -> list[int]:
        """UIDs of the folder's messages that arrived (INTERNALDATE, epoch seconds) at ``since``
        or later and have none of ``parts`` cached, newest first (the background download
        for search: ``sync/body_download.py``). A walk of the date index."""
        marks = ", ".join("?" for _ in parts) or "NULL"
        rows = self._conn().execute(
            f"""SELECT uid FROM messages AS m WHERE folder_id=? AND internaldate>=?
                  AND NOT EXISTS (SELECT 1 FROM parts AS p WHERE p.folder_id=m.folder_id
                                  AND p.uid=m.uid AND p.part IN ({marks}))
                ORDER BY internaldate DESC, uid DESC""",
            (folder_id, int(since), *parts),
        ).fetchall()
        return [r[0] for r in rows]


__all__ = [
    "CACHE_FILE",
    "CacheChange",
    "CachedFolder",
    "MailCache",
    "account_dir",
]
