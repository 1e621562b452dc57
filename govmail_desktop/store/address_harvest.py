"""Who the user corresponds with, read from the cached messages of one account.

File: ``<account dir>/addresses.sqlite3``, beside the mail cache. Disposable like
the cache (everything in it is read again from the cache's messages), so a
damaged file is simply replaced by an empty one and rebuilt.

**Incremental.** Per folder the file remembers the UIDVALIDITY and the highest
UID read; a harvest reads only the messages above it, in batches of
``batch`` rows, each batch one transaction with its watermark. Folder, UID and
UIDVALIDITY identify a message across cache rebuilds, so a rebuilt cache is not
counted twice; a folder whose UIDVALIDITY changed has its counts dropped and
read again.

**Weights.** A message the user wrote (in the Sent folder, or From one of the
user's own addresses) counts its To/Cc recipients with :data:`WEIGHT_SENT`; a
received message counts its sender with :data:`WEIGHT_FROM` and its other
recipients with :data:`WEIGHT_CO_RECIPIENT`. The user's own addresses, Drafts,
Junk and the virtual folders (All Mail, Flagged) are not counted, nor automated
senders (``no-reply@``…) of received mail.

**Recency.** Each use is weighted by ``2 ** ((t - REFERENCE) / HALF_LIFE)``: a
sum of such terms is a frequency in which a use loses half its weight every
:data:`HALF_LIFE_DAYS` days, and it can be added to incrementally (the common
factor ``2 ** ((REFERENCE - now) / HALF_LIFE)`` is applied when ranking).

**Sent now.** :meth:`HarvestStore.record_sent` counts the recipients of a message
at the moment it is sent and remembers its Message-ID, so its copy in the Sent
folder is not counted a second time when the harvest reaches it.
"""

from __future__ import annotations

import contextlib
import logging
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from govmail_desktop.core.entities import Address, SpecialUse
from govmail_desktop.store import keys
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.contacts import email_key
from govmail_desktop.store.db import ThreadConnections, storage_error, write_transaction
from govmail_desktop.store.message_rows import AddressRow

log = logging.getLogger(__name__)

HARVEST_FILE = "addresses.sqlite3"
HARVEST_SCHEMA_VERSION = 1

WEIGHT_SENT = 3.0
WEIGHT_FROM = 1.0
WEIGHT_CO_RECIPIENT = 0.25
HALF_LIFE_DAYS = 90.0
HALF_LIFE = HALF_LIFE_DAYS * 86400.0
#: 2024-01-01 UTC: the instant the stored weights are expressed at.
REFERENCE = 1_704_067_200
#: Dates further back than this are taken as this old (a 1970 date header is a broken one).
OLDEST = 30 * 365 * 86400
#: The pseudo-folder that holds what :meth:`HarvestStore.record_sent` counted
#: (IMAP folder names are never empty).
SENT_NOW = ""
#: Folders whose messages say nothing about whom the user writes to.
SKIPPED_ROLES = frozenset({SpecialUse.DRAFTS, SpecialUse.JUNK, SpecialUse.ALL, SpecialUse.FLAGGED})
#: Local parts of automated senders (received mail from them is not counted).
AUTOMATED = ("no-reply", "noreply", "do-not-reply", "donotreply", "mailer-daemon", "postmaster", "bounce",
             "bounces")


def weight_at(when: float) -> float:
    """The weight of one use at ``when`` (Unix seconds), relative to :data:`REFERENCE`."""
    return math.pow(2.0, (when - REFERENCE) / HALF_LIFE)


def decay_to(now: float) -> float:
    """The factor that turns a stored weight into its value at ``now``."""
    return math.pow(2.0, (REFERENCE - now) / HALF_LIFE)


def is_automated(email: str) -> bool:
    local = email.partition("@")[0].casefold()
    return local in AUTOMATED or local.startswith(("no-reply", "noreply", "bounce+", "bounces+"))


@dataclass
class Usage:
    """How one address was used (summed over folders): ``weight`` as stored (see module doc)."""

    email: str
    name: str
    name_at: int
    uses: int
    sent: int
    weight: float
    last_used: int

    def add(self, other: Usage) -> None:
        if other.name and (other.name_at >= self.name_at or not self.name):
            self.name, self.name_at = other.name, other.name_at
        self.uses += other.uses
        self.sent += other.sent
        self.weight += other.weight
        self.last_used = max(self.last_used, other.last_used)


def _plain_name(name: str, email: str) -> str:
    """A display name worth showing: not empty, not the address itself or another address."""
    name = keys.one_line(name).strip("'\" ")
    if not name or "@" in name or name.casefold() == email.casefold():
        return ""
    return name


class _Tally:
    """Uses counted in one batch, by address key."""

    def __init__(self, now: float, own: frozenset[str]) -> None:
        self.usage: dict[str, Usage] = {}
        self._now = now
        self._own = own

    def when(self, row: AddressRow) -> int:
        t = row.date if row.date else row.internaldate
        if not t or t > self._now + 86400:
            t = row.internaldate or int(self._now)
        return int(min(max(t, self._now - OLDEST), self._now + 86400))

    def count(self, address: Address, weight: float, when: int, *, sent: bool) -> None:
        email = keys.one_line(address.email)
        if "@" not in email or len(email) > 254:
            return
        key = email_key(email)
        if key in self._own:
            return
        use = Usage(email, _plain_name(address.name, email), when, 1, int(sent), weight * weight_at(when), when)
        found = self.usage.get(key)
        if found is None:
            self.usage[key] = use
        else:
            found.add(use)

    def message(self, row: AddressRow, *, in_sent: bool) -> None:
        when = self.when(row)
        senders = keys.unpack_addresses(row.from_addrs)
        recipients = (*keys.unpack_addresses(row.to_addrs), *keys.unpack_addresses(row.cc_addrs))
        written = in_sent or any(email_key(a.email) in self._own for a in senders)
        if written:
            for a in recipients:
                self.count(a, WEIGHT_SENT, when, sent=True)
            return
        for a in senders:
            if not is_automated(a.email):
                self.count(a, WEIGHT_FROM, when, sent=False)
        for a in recipients:
            self.count(a, WEIGHT_CO_RECIPIENT, when, sent=False)


@dataclass(frozen=True)
class HarvestReport:
    """What one harvest run read."""

    messages: int
    folders: int
    cancelled: bool = False
    #: Whether the stored counts changed (messages read, or a folder's counts dropped).
    changed: bool = False


_UPSERT = """INSERT INTO usage (folder, key, email, name, name_at, uses, sent, weight, last_used)
             VALUES (?,?,?,?,?,?,?,?,?)
             ON CONFLICT (folder, key) DO UPDATE SET
               name = CASE WHEN excluded.name <> '' AND (excluded.name_at >= name_at OR name = '')
                           THEN excluded.name ELSE name END,
               name_at = CASE WHEN excluded.name <> '' AND (excluded.name_at >= name_at OR name = '')
                              THEN excluded.name_at ELSE name_at END,
               uses = uses + excluded.uses, sent = sent + excluded.sent,
               weight = weight + excluded.weight, last_used = max(last_used, excluded.last_used)"""


class HarvestStore:
    """The address usage of one account (thread-safe: a connection per thread)."""

    def __init__(self, path: Path, *, own_addresses: Iterable[str] = (), clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.own = frozenset(email_key(a) for a in own_addresses if a)
        self._clock = clock
        self._conns = ThreadConnections(self.path, self._configure)
        #: One harvest at a time (writes of record_sent only wait for SQLite's write lock).
        self._harvest_lock = threading.Lock()
        self._open()

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = NORMAL")

    def _create(self, db: sqlite3.Connection) -> None:
        with write_transaction(db):
            db.execute(
                """CREATE TABLE IF NOT EXISTS folders (
                       name TEXT PRIMARY KEY, uidvalidity INTEGER, last_uid INTEGER NOT NULL)"""
            )
            db.execute(
                """CREATE TABLE IF NOT EXISTS usage (
                       folder TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL,
                       name TEXT NOT NULL, name_at INTEGER NOT NULL, uses INTEGER NOT NULL,
                       sent INTEGER NOT NULL, weight REAL NOT NULL, last_used INTEGER NOT NULL,
                       PRIMARY KEY (folder, key)) WITHOUT ROWID"""
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS sent_now (message_id TEXT PRIMARY KEY, recorded_at INTEGER NOT NULL)"
            )
            db.execute(f"PRAGMA user_version = {HARVEST_SCHEMA_VERSION:d}")

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._conns.get()
            if db.execute("PRAGMA user_version").fetchone()[0] != HARVEST_SCHEMA_VERSION:
                self._create(db)
            db.execute("SELECT count(*) FROM folders").fetchone()
            return
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise
        except sqlite3.DatabaseError as exc:
            err = storage_error(exc, self.path)
            if err.code != "cache-corrupt":
                self._conns.close_all()
                raise err from exc
            log.warning("Address harvest %s is damaged (%s); rebuilding it", self.path, exc)
        except OSError as exc:
            self._conns.close_all()
            raise storage_error(exc, self.path) from exc
        self._conns.close_all()
        try:
            for suffix in ("", "-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            self._create(self._conns.get())
        except (OSError, sqlite3.DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc

    def close(self) -> None:
        self._conns.close_all()

    def close_thread(self) -> None:
        self._conns.close_current()

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._conns.in_use() as conn:
                yield conn
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except (sqlite3.DatabaseError, OSError) as exc:
            raise storage_error(exc, self.path) from exc

    @staticmethod
    def _write(db: sqlite3.Connection, folder: str, usage: dict[str, Usage]) -> None:
        db.executemany(
            _UPSERT,
            [(folder, key, u.email, u.name, u.name_at, u.uses, u.sent, u.weight, u.last_used)
             for key, u in usage.items()],
        )

    # ------------------------------------------------------------------ harvesting

    def harvest(
        self, cache: MailCache, *, batch: int = 5000, cancel: threading.Event | None = None
    ) -> HarvestReport:
        """Read the cached messages not read yet (see module doc); stops between batches
        when ``cancel`` is set. Call it off the GUI thread."""
        messages = folders_done = 0
        dropped = False
        now = self._clock()
        with self._harvest_lock, self._db() as db:
            known = {r[0]: (r[1], r[2]) for r in db.execute("SELECT name, uidvalidity, last_uid FROM folders")}
            for cached in cache.folders():
                folder = cached.folder
                if folder.special_use in SKIPPED_ROLES or not folder.selectable or cached.uidvalidity is None:
                    continue
                uidvalidity, last_uid = known.get(folder.name, (None, 0))
                if uidvalidity is not None and uidvalidity != cached.uidvalidity:
                    log.info("Address harvest: %s has a new UIDVALIDITY; reading it again", folder.name)
                    with write_transaction(db):
                        db.execute("DELETE FROM usage WHERE folder=?", (folder.name,))
                        db.execute("DELETE FROM folders WHERE name=?", (folder.name,))
                    last_uid = 0
                    dropped = True
                in_sent = folder.special_use == SpecialUse.SENT
                folders_done += 1
                while True:
                    if cancel is not None and cancel.is_set():
                        return HarvestReport(messages, folders_done, cancelled=True,
                                             changed=dropped or messages > 0)
                    rows = cache.address_rows(cached.id, last_uid, batch)
                    if not rows:
                        break
                    tally = _Tally(now, self.own)
                    with write_transaction(db):
                        for row in rows:
                            if in_sent and row.message_id and db.execute(
                                "DELETE FROM sent_now WHERE message_id=?", (row.message_id,)
                            ).rowcount:
                                continue  # counted when it was sent
                            tally.message(row, in_sent=in_sent)
                        self._write(db, folder.name, tally.usage)
                        last_uid = rows[-1].uid
                        db.execute(
                            "INSERT OR REPLACE INTO folders (name, uidvalidity, last_uid) VALUES (?,?,?)",
                            (folder.name, cached.uidvalidity, last_uid),
                        )
                    messages += len(rows)
            # A Sent copy that never came (the server files none, the folder is not synced)
            # is not waited for forever.
            with write_transaction(db):
                db.execute("DELETE FROM sent_now WHERE recorded_at < ?", (int(now) - 30 * 86400,))
        return HarvestReport(messages, folders_done, changed=dropped or messages > 0)

    def record_sent(
        self, recipients: Iterable[Address], *, message_id: str | None = None, when: float | None = None
    ) -> dict[str, Usage]:
        """Count the recipients of a message sent now; returns what was added, by key."""
        now = self._clock() if when is None else when
        tally = _Tally(now, self.own)
        for address in recipients:
            tally.count(address, WEIGHT_SENT, int(now), sent=True)
        with self._db() as db, write_transaction(db):
            self._write(db, SENT_NOW, tally.usage)
            ids = keys.message_ids(message_id)
            if ids:
                db.execute("INSERT OR REPLACE INTO sent_now (message_id, recorded_at) VALUES (?,?)",
                           (ids[0], int(now)))
        return tally.usage

    def set_own(self, own_addresses: Iterable[str]) -> bool:
        """The user's own addresses changed (an identity added or removed): what was read
        is dropped (a message from a new identity counts as written by the user, not as
        mail received from that address) and the next harvest reads every folder again.
        The recipients of mail sent from here are kept, less the new own addresses.
        False when nothing changed."""
        own = frozenset(email_key(a) for a in own_addresses if a)
        if own == self.own:
            return False
        with self._harvest_lock, self._db() as db, write_transaction(db):
            db.execute("DELETE FROM usage WHERE folder <> ?", (SENT_NOW,))
            db.executemany("DELETE FROM usage WHERE key = ?", [(k,) for k in own])
            db.execute("DELETE FROM folders")
            self.own = own
        return True

    # ------------------------------------------------------------------ reading

    def usage(self) -> dict[str, Usage]:
        """Every address with its uses summed over the folders, by key."""
        totals: dict[str, Usage] = {}
        with self._db() as db:
            for key, email, name, name_at, uses, sent, weight, last_used in db.execute(
                "SELECT key, email, name, name_at, uses, sent, weight, last_used FROM usage"
            ):
                use = Usage(email, name, name_at, uses, sent, weight, last_used)
                found = totals.get(key)
                if found is None:
                    totals[key] = use
                else:
                    found.add(use)
        return totals
