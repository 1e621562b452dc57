"""The offline action queue: flag/move/delete done without a connection, replayed later.

File: ``<data_dir>/accounts/<account-id>/ops.sqlite3`` — a separate database
on purpose. The mail cache (``cache.sqlite3``) is disposable and may be thrown
away and rebuilt at any start; these pending actions are the user's work and
are NOT: a cache rebuild never touches this file. It is written with
``synchronous=FULL`` so an enqueued action survives a power cut.

Actions name folders by their full name and UIDVALIDITY (never by the cache's
folder ids, which a rebuild renumbers); the sync replays them in sequence
order and drops an action whose folder's UIDVALIDITY changed (its UIDs no
longer mean the same messages).

Each row carries the id of the user action it is (``op_id``, see
``core/actions.py``): the sync reports the action's end under that id, and a
row is found by it (:meth:`OfflineOpQueue.get`), never by comparing contents.
The queue hands out the ids (:meth:`OfflineOpQueue.new_op_id`), above every id
still queued from an earlier session.

Schema changes migrate the rows in place (they are the user's work): version 1
had no ``op_id``; its rows are given their sequence number as id.

If this file itself is damaged it is moved aside with a time stamp (kept for
the IT staff, never deleted) and an empty queue is started;
``recovered_from_damage`` is then True so the UI can say that some offline
actions may be lost.
"""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from govmail_desktop.core.paths import AppPaths
from govmail_desktop.store.cache import account_dir
from govmail_desktop.store.db import ThreadConnections, guarded, move_aside, storage_error, write_transaction
from govmail_desktop.store.uidset import UidSet

log = logging.getLogger(__name__)

QUEUE_FILE = "ops.sqlite3"
QUEUE_SCHEMA_VERSION = 2


class OpKind(str, Enum):
    FLAGS = "flags"  # add/remove flags
    MOVE = "move"  # to ``target`` (archive, drag and drop)
    COPY = "copy"  # to ``target``, the originals stay (drag and drop with Ctrl)
    DELETE = "delete"  # to Trash, or \Deleted + EXPUNGE in Trash itself (the sync decides)
    EXPUNGE = "expunge"  # \Deleted + EXPUNGE where the messages are (delete for good, confirmed)


@dataclass(frozen=True)
class PendingOp:
    seq: int
    kind: OpKind
    folder: str
    uidvalidity: int | None
    uids: UidSet
    add_flags: frozenset[str] = frozenset()
    remove_flags: frozenset[str] = frozenset()
    target: str | None = None
    created_at: float = 0.0
    attempts: int = 0
    last_error: str | None = None
    #: The user action this row is (``action_settled`` reports it under this id).
    op_id: int = 0


class OfflineOpQueue:
    """Durable FIFO of pending server actions for one account (thread-safe: a
    connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.recovered_from_damage = False
        self._conns = ThreadConnections(self.path, self._configure)
        #: Held while an action is recorded (row + cache change) and while a replay takes
        #: its list of rows: a replay never sees an action half recorded.
        self.lock = threading.RLock()
        self._open()
        self._ids_lock = threading.Lock()
        self._ids = itertools.count(self._last_op_id() + 1)

    @classmethod
    def for_account(cls, account_id: str, paths: AppPaths | None = None) -> OfflineOpQueue:
        return cls(account_dir(account_id, paths) / QUEUE_FILE)

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")

    def _create(self) -> None:
        """Create the table, or bring an older schema's table up to date keeping its rows."""
        with write_transaction(self._conns.get()) as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            exists = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='ops'").fetchone()
            db.execute(
                """CREATE TABLE IF NOT EXISTS ops (
                       seq         INTEGER PRIMARY KEY AUTOINCREMENT,
                       kind        TEXT NOT NULL,
                       folder      TEXT NOT NULL,
                       uidvalidity INTEGER,
                       uids        TEXT NOT NULL,
                       add_flags   TEXT NOT NULL DEFAULT '',
                       remove_flags TEXT NOT NULL DEFAULT '',
                       target      TEXT,
                       created_at  REAL NOT NULL,
                       attempts    INTEGER NOT NULL DEFAULT 0,
                       last_error  TEXT,
                       op_id       INTEGER
                   )"""
            )
            if exists and version < 2:
                # Version 1 rows: the user's actions from before action ids; each keeps its
                # place in the queue and is given its sequence number as id.
                db.execute("ALTER TABLE ops ADD COLUMN op_id INTEGER")
                migrated = db.execute("UPDATE ops SET op_id = seq WHERE op_id IS NULL").rowcount
                log.info("Offline action queue %s migrated to schema 2 (%d queued actions kept)", self.path, migrated)
            db.execute("CREATE UNIQUE INDEX IF NOT EXISTS ops_op_id ON ops(op_id)")
            db.execute(f"PRAGMA user_version = {QUEUE_SCHEMA_VERSION:d}")

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, self.path) from exc
        try:
            db = self._conns.get()
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > QUEUE_SCHEMA_VERSION:
                raise ValueError(f"queue schema {version} is newer than {QUEUE_SCHEMA_VERSION}")
            self._create()
            db.execute("SELECT count(*) FROM ops").fetchone()
            return
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise
        except (sqlite3.DatabaseError, ValueError) as exc:
            err = storage_error(exc, self.path) if isinstance(exc, sqlite3.DatabaseError) else None
            if err is not None and err.code != "cache-corrupt":
                self._conns.close_all()
                raise err from exc
            damage = exc
        except OSError as exc:
            self._conns.close_all()
            raise storage_error(exc, self.path) from exc
        self._conns.close_all()
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        log.error("Offline action queue %s unusable (%s); kept as %s, starting empty", self.path, damage, aside)
        try:
            move_aside(self.path, aside)
            self._create()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc
        self.recovered_from_damage = True

    def close(self) -> None:
        self._conns.close_all()

    def close_thread(self) -> None:
        """Close this thread's connection; call it when a worker thread finishes."""
        self._conns.close_current()

    @guarded
    def enqueue(
        self,
        kind: OpKind,
        folder: str,
        uidvalidity: int | None,
        uids: Iterable[int] | UidSet,
        *,
        add_flags: Iterable[str] = (),
        remove_flags: Iterable[str] = (),
        target: str | None = None,
        op_id: int | None = None,
    ) -> int:
        """Append an action durably; returns its sequence number.

        ``op_id``: the id of the user action (from :meth:`new_op_id`); a new one if None.
        """
        kind = OpKind(kind)
        if kind in (OpKind.MOVE, OpKind.COPY) and not target:
            raise ValueError(f"a {kind.value} needs a target folder")
        uid_set = uids if isinstance(uids, UidSet) else UidSet.of(uids)
        with write_transaction(self._conns.get()) as db:
            cur = db.execute(
                """INSERT INTO ops (kind, folder, uidvalidity, uids, add_flags, remove_flags, target, created_at, op_id)
                   VALUES (?,?,?,?,?,?,?,?,?)""",
                (
                    kind.value,
                    folder,
                    uidvalidity,
                    uid_set.to_imap(),
                    json.dumps(sorted(add_flags)),
                    json.dumps(sorted(remove_flags)),
                    target,
                    time.time(),
                    self.new_op_id() if op_id is None else int(op_id),
                ),
            )
            return int(cur.lastrowid or 0)

    def new_op_id(self) -> int:
        """A new action id: above every id queued now or handed out before (any thread)."""
        with self._ids_lock:
            return next(self._ids)

    @guarded
    def _last_op_id(self) -> int:
        row = self._conns.get().execute("SELECT max(op_id) FROM ops").fetchone()
        return int(row[0] or 0)

    _COLUMNS = (
        "seq, kind, folder, uidvalidity, uids, add_flags, remove_flags, target, created_at, attempts, last_error, op_id"
    )

    @staticmethod
    def _row(r: tuple[Any, ...]) -> PendingOp:
        return PendingOp(
            seq=r[0],
            kind=OpKind(r[1]),
            folder=r[2],
            uidvalidity=r[3],
            uids=UidSet.from_imap(r[4]),
            add_flags=frozenset(json.loads(r[5] or "[]")),
            remove_flags=frozenset(json.loads(r[6] or "[]")),
            target=r[7],
            created_at=r[8],
            attempts=r[9],
            last_error=r[10],
            op_id=r[11],
        )

    @guarded
    def pending(self, limit: int | None = None) -> list[PendingOp]:
        """Actions in the order they were made."""
        sql = f"SELECT {self._COLUMNS} FROM ops ORDER BY seq"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        return [self._row(r) for r in self._conns.get().execute(sql, params).fetchall()]

    @guarded
    def get(self, op_id: int) -> PendingOp | None:
        """The queued row of action ``op_id``; None once it has left the queue."""
        row = self._conns.get().execute(f"SELECT {self._COLUMNS} FROM ops WHERE op_id=?", (op_id,)).fetchone()
        return self._row(row) if row is not None else None

    @guarded
    def complete(self, seq: int) -> None:
        """The server confirmed the action: forget it."""
        with write_transaction(self._conns.get()) as db:
            db.execute("DELETE FROM ops WHERE seq=?", (seq,))

    @guarded
    def record_failure(self, seq: int, error: str) -> int:
        """Note a failed replay (kept for a later retry); returns the attempt count."""
        with write_transaction(self._conns.get()) as db:
            db.execute("UPDATE ops SET attempts = attempts + 1, last_error=? WHERE seq=?", (error, seq))
            row = db.execute("SELECT attempts FROM ops WHERE seq=?", (seq,)).fetchone()
        return int(row[0]) if row else 0

    @guarded
    def count(self) -> int:
        return int(self._conns.get().execute("SELECT count(*) FROM ops").fetchone()[0])
