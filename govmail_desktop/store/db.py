"""SQLite plumbing shared by the cache and the offline queue.

* One connection per thread (``ThreadConnections``): the sync worker writes
  while the GUI thread reads; WAL lets readers run during a write.
* Autocommit mode (``isolation_level=None``) with explicit ``BEGIN IMMEDIATE``
  for writes: no implicit transaction is ever left open by a half-read SELECT,
  which would pin the WAL and block checkpoints.
* SQLite and OS errors become :class:`StorageError` with wording a user can act
  on (disk full, no write permission, damaged file); programming errors
  (``ProgrammingError``, ``InterfaceError``) stay bugs.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.fileops import replace_with_retry
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

MSG_DISK_FULL = QT_TRANSLATE_NOOP("Storage", "The disk is full, so mail could not be saved on this computer.")
HINT_DISK_FULL = QT_TRANSLATE_NOOP(
    "Storage", "Please free some disk space. Mail already shown stays available."
)
MSG_READ_ONLY = QT_TRANSLATE_NOOP("Storage", "GovMail may not write to its data folder {path}.")
HINT_READ_ONLY = QT_TRANSLATE_NOOP(
    "Storage", "Please ask your IT staff to give your user account write access to this folder."
)
MSG_CORRUPT = QT_TRANSLATE_NOOP("Storage", "The mail cache on this computer is damaged.")
HINT_CORRUPT = QT_TRANSLATE_NOOP(
    "Storage", "It will be rebuilt from the server automatically. No mail on the server is lost."
)
MSG_BUSY = QT_TRANSLATE_NOOP("Storage", "The mail cache is in use by another program.")
HINT_BUSY = QT_TRANSLATE_NOOP("Storage", "Please close other copies of GovMail and try again.")
MSG_IO = QT_TRANSLATE_NOOP("Storage", "Reading or writing the mail cache failed.")

#: SQLite primary result codes that mean "this file is not a usable database".
CORRUPT_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def error_name(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def is_corruption(exc: BaseException) -> bool:
    name = error_name(exc)
    if name.startswith(CORRUPT_CODES):
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def storage_error(exc: BaseException, path: Path) -> StorageError:
    """The StorageError a user can act on for a low-level failure at ``path``."""
    name = error_name(exc)
    text = str(exc).lower()
    detail = f"{type(exc).__name__}: {exc} [{name or '-'}] at {path}"
    if name.startswith("SQLITE_FULL") or "disk is full" in text or getattr(exc, "errno", None) == 28:
        return StorageError(MSG_DISK_FULL, hint=HINT_DISK_FULL, detail=detail, code="disk-full")
    if (
        name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"))
        or "readonly" in text
        or "unable to open database" in text
        or isinstance(exc, PermissionError)
        or getattr(exc, "errno", None) in (1, 13, 30)  # EPERM, EACCES, EROFS
    ):
        # An OSError names the file it failed on (mkdir of a missing folder): its parent
        # is the folder that refused the write.
        filename = getattr(exc, "filename", None)
        folder = Path(filename).parent if isinstance(filename, str) and filename else path.parent
        return StorageError(MSG_READ_ONLY, hint=HINT_READ_ONLY, detail=detail, code="read-only", path=str(folder))
    if is_corruption(exc):
        return StorageError(MSG_CORRUPT, hint=HINT_CORRUPT, detail=detail, code="cache-corrupt")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StorageError(MSG_BUSY, hint=HINT_BUSY, detail=detail, code="cache-busy")
    return StorageError(MSG_IO, detail=detail, code="storage")


class ThreadConnections:
    """One sqlite3 connection per thread for one database file.

    ``generation`` changes when the file is replaced (cache rebuild) or the
    connections are closed: every thread then reopens on its next call instead
    of reading a deleted inode. Connections are created with
    ``check_same_thread=False`` only so that :meth:`close_all` can close them
    from another thread; each is otherwise used by its own thread alone, and
    :meth:`in_use` holds a per-connection lock so that ``close_all`` waits for
    a call in progress instead of pulling the connection from under it.
    """

    def __init__(self, path: Path, configure: Callable[[sqlite3.Connection], None]) -> None:
        self.path = path
        self._configure = configure
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: dict[sqlite3.Connection, threading.RLock] = {}
        self.generation = 0

    def get(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and (self._local.generation == self.generation or getattr(self._local, "depth", 0)):
            return conn  # (a call in progress keeps its connection until it returns)
        if conn is not None:
            self._forget(conn)
        conn = self._open()
        self._local.conn, self._local.generation = conn, self.generation
        return conn

    @contextlib.contextmanager
    def in_use(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, locked against ``close_all`` for the duration."""
        depth = getattr(self._local, "depth", 0)
        while True:
            conn = self.get()
            with self._lock:
                lock = self._all.get(conn)
            if lock is None:  # closed by close_all just now: take a fresh one
                self._local.conn = None
                continue
            lock.acquire()
            with self._lock:
                alive = conn in self._all
            if alive:
                break
            lock.release()
            self._local.conn = None
        self._local.depth = depth + 1
        try:
            yield conn
        finally:
            self._local.depth = depth
            lock.release()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=5.0)
        try:
            self._configure(conn)
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._all[conn] = threading.RLock()
        return conn

    def _forget(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            lock = self._all.pop(conn, None)
        if lock is not None:
            with lock, contextlib.suppress(sqlite3.Error):
                conn.close()

    def close_current(self) -> None:
        """Close the calling thread's connection (a worker thread that is ending)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            self._forget(conn)

    def close_all(self) -> None:
        """Close every thread's connection (shutdown, or before replacing the file).

        Waits for calls in progress on other threads; their next call reopens.
        """
        with self._lock:
            conns, self._all = self._all, {}
            self.generation += 1
        for conn, lock in conns.items():
            with lock, contextlib.suppress(sqlite3.Error):
                conn.close()

    @property
    def open_count(self) -> int:
        with self._lock:
            return len(self._all)


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (rollback on any error).

    IMMEDIATE takes the write lock up front, so two writers wait for each other
    (busy timeout) instead of failing with a deadlock on lock upgrade.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")  # may itself fail (disk full): then roll back too
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


class _StoreFile(Protocol):
    _conns: ThreadConnections
    path: Path


_F = TypeVar("_F", bound=Callable[..., Any])


def guarded(method: _F) -> _F:
    """A store method run with its thread's connection in use; SQLite and file errors
    become StorageError naming the file (mistakes in the program's own SQL stay as they are).
    A store with a ``_failure(exc) -> StorageError`` method (the mail cache: a damaged file
    is marked for rebuilding) makes the error itself."""

    @functools.wraps(method)
    def wrapper(self: _StoreFile, *args: Any, **kwargs: Any) -> Any:
        try:
            with self._conns.in_use():
                return method(self, *args, **kwargs)
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except (sqlite3.DatabaseError, OSError) as exc:
            failure = getattr(self, "_failure", None)
            raise (failure(exc) if failure is not None else storage_error(exc, self.path)) from exc

    return wrapper  # type: ignore[return-value]


def move_aside(path: Path, aside: Path) -> None:
    """Move a damaged database file and its WAL/SHM companions to ``aside`` (kept, never deleted)."""
    replace_with_retry(path, aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            replace_with_retry(companion, aside.with_name(aside.name + suffix))
