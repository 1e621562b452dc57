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

If this file itself is damaged it is moved aside with a time stamp (kept for
the IT staff, never deleted) and an empty queue is started;
``recovered_from_damage`` is then True so the UI can say that some offline
actions may be lost.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from govmail_desktop.core.paths import AppPaths
from govmail_desktop.store.cache import account_dir
from govmail_desktop.store.db import ThreadConnections, storage_error, write_transaction
from govmail_desktop.store.uidset import UidSet

log = logging.getLogger(__name__)

QUEUE_FILE = "ops.sqlite3"
QUEUE_SCHEMA_VERSION = 1
F = TypeVar("F", bound=Callable[..., Any])


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


def _guarded(method: F) -> F:
    @functools.wraps(method)
    def wrapper(self: "OfflineOpQueue", *args: Any, **kwargs: Any) -> Any:
        try:
            with self._conns.in_use():
                return method(self, *args, **kwargs)
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except (sqlite3.DatabaseError, OSError) as exc:
            raise storage_error(exc, self.path) from exc

    return wrapper  # type: ignore[return-value]


class OfflineOpQueue:
    """Durable FIFO of pending server actions for one account (thread-safe: a
    connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.recovered_from_damage = False
        self._conns = ThreadConnections(self.path, self._configure)
        self._open()

    @classmethod
    def for_account(cls, account_id: str, paths: AppPaths | None = None) -> "OfflineOpQueue":
        return cls(account_dir(account_id, paths) / QUEUE_FILE)

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")

    def _create(self) -> None:
        with write_transaction(self._conns.get()) as db:
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
                       last_error  TEXT
                   )"""
            )
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
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                wal = self.path.with_name(self.path.name + suffix)
                if wal.exists():
                    os.replace(wal, aside.with_name(aside.name + suffix))
            self._create()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc
        self.recovered_from_damage = True

    def close(self) -> None:
        self._conns.close_all()

    def close_thread(self) -> None:
        """Close this thread's connection; call it when a worker thread finishes."""
        self._conns.close_current()

    @_guarded
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
    ) -> int:
        """Append an action durably; returns its sequence number."""
        kind = OpKind(kind)
        if kind in (OpKind.MOVE, OpKind.COPY) and not target:
            raise ValueError(f"a {kind.value} needs a target folder")
        uid_set = uids if isinstance(uids, UidSet) else UidSet.of(uids)
        with write_transaction(self._conns.get()) as db:
            cur = db.execute(
                """INSERT INTO ops (kind, folder, uidvalidity, uids, add_flags, remove_flags, target, created_at)
                   VALUES (?,?,?,?,?,?,?,?)""",
                (
                    kind.value,
                    folder,
                    uidvalidity,
                    uid_set.to_imap(),
                    json.dumps(sorted(add_flags)),
                    json.dumps(sorted(remove_flags)),
                    target,
                    time.time(),
                ),
            )
            return int(cur.lastrowid or 0)

    @_guarded
    def pending(self, limit: int | None = None) -> list[PendingOp]:
        """Actions in the order they were made."""
        sql = "SELECT seq, kind, folder, uidvalidity, uids, add_flags, remove_flags, target, created_at, attempts, last_error FROM ops ORDER BY seq"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        out = []
        for r in self._conns.get().execute(sql, params).fetchall():
            out.append(
                PendingOp(
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
                )
            )
        return out

    @_guarded
    def complete(self, seq: int) -> None:
        """The server confirmed the action: forget it."""
        with write_transaction(self._conns.get()) as db:
            db.execute("DELETE FROM ops WHERE seq=?", (seq,))

    @_guarded
    def record_failure(self, seq: int, error: str) -> int:
        """Note a failed replay (kept for a later retry); returns the attempt count."""
        with write_transaction(self._conns.get()) as db:
            db.execute("UPDATE ops SET attempts = attempts + 1, last_error=? WHERE seq=?", (error, seq))
            row = db.execute("SELECT attempts FROM ops WHERE seq=?", (seq,)).fetchone()
        return int(row[0]) if row else 0

    @_guarded
    def count(self) -> int:
        return int(self._conns.get().execute("SELECT count(*) FROM ops").fetchone()[0])
