"""Keeping one account's search index current, on a background thread.

The mail cache tells its listeners what each committed write changed
(:class:`store.cache.CacheChange`); the :class:`Indexer` only queues those notes
(the writer — the sync, the preview's body fetch, the background body download — is
never held up) and its own thread then:

* **header rows stored** → indexes the subject, sender and recipients (and the body,
  if one is already cached);
* **a body stored** (the whole message ``""``, its skeleton ``SKELETON`` or the text-only
  skeleton ``SEARCH-TEXT`` of the background download, whoever fetched it) → parses it
  with the one decoder, :func:`mime.parse.parse_message`, and indexes its text, the
  attachments' names and the official markings read from the header fields
  (:attr:`ParsedMessage.markings`); other parts are files, not text;
* **messages expunged**, a **folder removed** or **reset** (UIDVALIDITY) → removes
  their entries; the **cache rebuilt** → empties the index and starts again.

At start (and after the index was found unusable and rebuilt, or damaged while
running) it **reconciles**: every cached message missing from the index is indexed,
every entry whose message is gone is removed — so nothing is lost to a crash or a
change made while no indexer listened. Work is done in batches of :data:`BATCH`
messages, newest first, so recent mail becomes searchable first.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.threads import lower_current_thread_priority
from govmail_desktop.mime.markings import recognise
from govmail_desktop.mime.parse import ParsedMessage, parse_message
from govmail_desktop.mime.skeleton import SEARCH_TEXT_PART, SKELETON_PART
from govmail_desktop.search.index import MARK_SECRET, MARK_URGENT, IndexDoc, SearchIndex
from govmail_desktop.store import keys
from govmail_desktop.store.cache import CacheChange, MailCache

log = logging.getLogger(__name__)

#: The cache part holding a whole message (services.mailbox_types.BODY_PART).
WHOLE_MESSAGE_PART = ""
#: The parts holding a message's text, best first: the whole message, a large message's
#: skeleton, the text-only skeleton the background download for search keeps.
BODY_PARTS = (WHOLE_MESSAGE_PART, SKELETON_PART, SEARCH_TEXT_PART)
BATCH = 500
#: Messages written by a catch-up after which the gram table is merged.
OPTIMIZE_AFTER = 2000
#: Pause between batches of a long catch-up (the indexer's Python work holds the GIL).
PAUSE_S = 0.02


def _addresses(packed: str) -> str:
    return ", ".join(f"{a.name} <{a.email}>" if a.name else a.email for a in keys.unpack_addresses(packed))


def _marks(urgent: bool, secret: bool) -> int:
    return (MARK_URGENT if urgent else 0) | (MARK_SECRET if secret else 0)


class Indexer:
    """Indexes one account's cache into its search index (see the module documentation)."""

    def __init__(self, account_id: str, cache: MailCache, index: SearchIndex) -> None:
        self.account_id = account_id
        self.cache = cache
        self.index = index
        self._cond = threading.Condition()
        self._headers: dict[int, set[int]] = {}
        self._bodies: dict[int, set[int]] = {}
        self._removed: dict[int, set[int]] = {}
        self._cleared: set[int] = set()
        self._reconcile = True
        self._damaged = False
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._reader: sqlite3.Connection | None = None
        self._reader_path: Path | None = None
        cache.add_listener(self.on_change)

    # ------------------------------------------------------------------ notes from the cache

    def on_change(self, change: CacheChange) -> None:
        """The cache's listener: note the change and return at once."""
        with self._cond:
            fid = change.folder_id
            if change.kind == "rows" and fid is not None:
                self._headers.setdefault(fid, set()).update(change.uids)
            elif change.kind == "part" and fid is not None and change.part in BODY_PARTS:
                self._bodies.setdefault(fid, set()).update(change.uids)
            elif change.kind == "expunged" and fid is not None:
                self._removed.setdefault(fid, set()).update(change.uids)
                for pending in (self._headers, self._bodies):
                    pending.get(fid, set()).difference_update(change.uids)
            elif change.kind == "folder-cleared" and fid is not None:
                self._cleared.add(fid)
                for pending in (self._headers, self._bodies, self._removed):
                    pending.pop(fid, None)
            elif change.kind == "rebuilt":
                self._cleared.add(-1)
                self._headers.clear()
                self._bodies.clear()
                self._removed.clear()
                self._reconcile = True
            else:
                return
            self._cond.notify_all()

    def index_damaged(self) -> None:
        """A search found the index file damaged: build it again (on the indexer's thread)."""
        with self._cond:
            self._damaged = True
            self._cond.notify_all()

    def request_reconcile(self) -> None:
        with self._cond:
            self._reconcile = True
            self._cond.notify_all()

    # ------------------------------------------------------------------ the thread

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"search-indexer-{self.account_id}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread (work in progress ends after its batch) and stop listening."""
        self.cache.remove_listener(self.on_change)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until every change noted so far is indexed (tests, the benchmark)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._busy and not self._has_work(), timeout)

    def _has_work(self) -> bool:
        return bool(self._damaged or self._reconcile or self._cleared or self._removed or self._headers or self._bodies)

    def _run(self) -> None:
        lower_current_thread_priority()
        try:
            while True:
                with self._cond:
                    self._cond.wait_for(lambda: self._stopping or self._has_work())
                    if self._stopping:
                        return
                    self._busy = True
                try:
                    self.run_pending()
                except Exception:
                    log.exception("Search indexer of %s failed; trying again later", self.account_id)
                    with self._cond:
                        self._cond.wait(5.0)
                finally:
                    with self._cond:
                        self._busy = False
                        self._cond.notify_all()
        finally:
            self._close_reader()
            self.index.close_thread()
            self.cache.close_thread()

    def _should_stop(self) -> bool:
        return self._stopping

    # ------------------------------------------------------------------ the work

    def run_pending(self) -> int:
        """Do the work noted so far on the calling thread; returns the messages written."""
        done = 0
        while not self._stopping:
            with self._cond:
                damaged, self._damaged = self._damaged, False
                if damaged:
                    self._reconcile = True
                cleared, self._cleared = self._cleared, set()
                removed, self._removed = self._removed, {}
                reconcile, self._reconcile = self._reconcile, False
                headers, self._headers = self._headers, {}
                bodies, self._bodies = self._bodies, {}
            if not (damaged or cleared or removed or reconcile or headers or bodies):
                return done
            try:
                if damaged:
                    self.index.reset("damaged (found by a search)")
                if -1 in cleared:
                    self._close_reader()  # it still reads the replaced file
                    self.index.clear()
                for fid in cleared - {-1}:
                    self.index.remove_folder(fid)
                for fid, uids in removed.items():
                    self.index.remove(fid, uids)
                if reconcile:
                    caught_up = self.reconcile()
                    done += caught_up
                    if caught_up >= OPTIMIZE_AFTER and not self._stopping:
                        self.index.optimize()  # one segment after a big catch-up: smaller, faster
                for fid, uids in headers.items():
                    # A message whose body came too is indexed once, with it, below.
                    done += self.index_messages(fid, uids - bodies.get(fid, set()), bodies=False)
                for fid, uids in bodies.items():
                    done += self.index_messages(fid, uids, bodies=True)
            except StorageError as exc:
                if self._index_damaged(exc):  # (a damaged cache is rebuilt by the cache itself)
                    log.warning("Search index of %s damaged (%s); building it again", self.account_id, exc)
                    self.index.reset("damaged while running")
                    self.request_reconcile()
                else:
                    raise
        return done

    def _index_damaged(self, exc: StorageError) -> bool:
        """The index file (not the cache) is damaged."""
        return exc.code == "cache-corrupt" and f"at {self.index.path}" in (exc.detail or "")

    def _cache_reader(self) -> sqlite3.Connection:
        if self._reader is None or self._reader_path != self.cache.path:
            self._close_reader()
            uri = Path(self.cache.path).resolve().as_uri() + "?mode=ro"
            self._reader = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            self._reader_path = self.cache.path
        return self._reader

    def _close_reader(self) -> None:
        if self._reader is not None:
            with contextlib.suppress(sqlite3.Error):
                self._reader.close()
            self._reader = None

    def index_messages(self, folder_id: int, uids: Iterable[int], *, bodies: bool) -> int:
        """(Re)index some messages of a folder from the cache. ``bodies``: their bodies were
        just stored (parse them); otherwise a body is parsed only when cached and not yet indexed."""
        wanted = sorted(set(uids), reverse=True)
        done = 0
        for start in range(0, len(wanted), BATCH):
            if self._stopping:
                break
            if start:
                time.sleep(PAUSE_S)  # let the GUI thread have the interpreter between batches
            done += self._index_batch(folder_id, wanted[start : start + BATCH], bodies)
        return done

    def _index_batch(self, folder_id: int, uids: list[int], bodies: bool) -> int:
        conn = self._cache_reader()
        rows = conn.execute(
            """SELECT uid, coalesce(date, internaldate), subject, from_addrs, to_addrs, cc_addrs FROM messages
               WHERE folder_id=? AND uid IN (SELECT value FROM json_each(?))""",
            (folder_id, "[" + ",".join(str(u) for u in uids) + "]"),
        ).fetchall()
        if not rows:
            return 0
        with_body = {
            int(r[0]) for r in conn.execute(
                f"""SELECT DISTINCT uid FROM parts WHERE folder_id=? AND part IN ({','.join('?' * len(BODY_PARTS))})
                    AND uid IN (SELECT value FROM json_each(?))""",
                (folder_id, *BODY_PARTS, "[" + ",".join(str(r[0]) for r in rows) + "]"),
            )
        }
        if not bodies and with_body:
            indexed = self.index.keys(folder_id)
            with_body = {u for u in with_body if not indexed.get((folder_id, u))}
        docs = []
        for uid, date, subject, from_addrs, to_addrs, cc_addrs in rows:
            if self._stopping:
                return 0  # the next start's reconcile does this batch
            body: str | None = None
            marking = recognise(subject or "")
            if uid in with_body:
                parsed = self._parse(folder_id, int(uid))
                if parsed is not None:
                    marking = parsed.markings
                    names = [a.filename for a in parsed.attachments if a.filename]
                    body = parsed.text + ("\n" + "\n".join(names) if names else "")
            docs.append(IndexDoc(
                folder_id, int(uid), int(date or 0), subject or "", _addresses(from_addrs or ""),
                _addresses(to_addrs or ""), _addresses(cc_addrs or ""), body,
                _marks(marking.urgency is not None, marking.secrecy is not None),
            ))
        return self.index.add(docs)

    def _parse(self, folder_id: int, uid: int) -> ParsedMessage | None:
        for part in BODY_PARTS:
            raw = self.cache.get_part(folder_id, uid, part)
            if raw is not None:
                skeleton = part != WHOLE_MESSAGE_PART
                break
        else:
            return None
        try:
            return parse_message(raw, skeleton=skeleton)
        except Exception:  # parse_message never raises on hostile input; a bug must not stop indexing
            log.exception("Message %d/%d could not be parsed for the search index", folder_id, uid)
            return None

    def reconcile(self, should_stop: Callable[[], bool] | None = None) -> int:
        """Bring the index in line with the cache (see the module documentation)."""
        conn = self._cache_reader()
        folders = [int(r[0]) for r in conn.execute("SELECT id FROM folders")]
        indexed = self.index.keys()
        for fid in {f for f, _ in indexed} - set(folders):
            self.index.remove_folder(fid)
        done = 0
        for fid in folders:
            if self._stopping or (should_stop is not None and should_stop()):
                break
            cached = {int(r[0]) for r in conn.execute("SELECT uid FROM messages WHERE folder_id=?", (fid,))}
            have = {u: s for (f, u), s in indexed.items() if f == fid}
            gone = set(have) - cached
            if gone:
                self.index.remove(fid, gone)
            missing = cached - set(have)
            bodies = {
                int(r[0]) for r in conn.execute(
                    f"SELECT DISTINCT uid FROM parts WHERE folder_id=? AND part IN ({','.join('?' * len(BODY_PARTS))})",
                    (fid, *BODY_PARTS),
                )
            }
            unparsed = {u for u in bodies if u in cached and not have.get(u)}
            done += self.index_messages(fid, missing - unparsed, bodies=False)
            done += self.index_messages(fid, unparsed, bodies=True)
        return done


__all__ = ["BATCH", "BODY_PARTS", "Indexer"]
