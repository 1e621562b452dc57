"""Bring one folder of the cache in line with the server.

Four ways, chosen from what the cache knows and what the server offers:

* ``initial`` — never synced, interrupted, or UIDVALIDITY changed: the UID list
  (ESEARCH, compact), then headers newest first in growing batches (50 first,
  so the first screen is painted at once), each batch one short write
  transaction. An interrupted sync continues where it stopped.
* ``qresync`` (RFC 7162) — ``SELECT (QRESYNC (uidvalidity modseq))`` returns
  the expunged UIDs (VANISHED) and changed flags in the SELECT itself; with no
  changes the whole resync is that one round trip.
* ``condstore`` — ``UID FETCH (FLAGS) (CHANGEDSINCE m)`` for flags; expunges
  found by comparing counts, and only when they differ by a full UID diff.
* ``full`` — servers without either: ``UID FETCH 1:* (UID FLAGS)`` and a
  ``UID SEARCH ALL`` diff (correct, just slower).

A folder's sync state (UIDNEXT, HIGHESTMODSEQ) is written only after a pass
completed, so an interrupted sync never claims changes it has not got. A
server whose SELECT gives no UIDNEXT (Courier) gets one past the highest UID
the pass saw or cached: UIDs are given out in ascending order, so every UID
below it is then cached or gone, and the folder is complete (new mail is told). A
UIDVALIDITY change drops the folder's cache (its UIDs name other messages now).
Untagged EXISTS/EXPUNGE/VANISHED/FETCH arriving meanwhile are applied too.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from govmail_desktop.core.entities import Folder
from govmail_desktop.core.memory import release_free_memory
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.net.imap.grammar import iter_sequence_ranges
from govmail_desktop.net.imap.responses import (
    Event,
    Exists,
    Expunge,
    FlagsChanged,
    ModseqChanged,
    SelectResult,
    Vanished,
)
from govmail_desktop.store.cache import CachedFolder, MailCache
from govmail_desktop.store.message_rows import SummaryRow
from govmail_desktop.store.uidset import UidSet
from govmail_desktop.sync import convert, rows
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.listener import SyncListener

log = logging.getLogger(__name__)


@dataclass
class SyncOptions:
    """Batch sizes (tests make them small; the defaults suit 100,000-message folders)."""

    #: Newest messages fetched first, so that the first screen appears at once.
    first_batch: int = 50
    #: Each following FETCH asks for ``growth`` times more, up to ``max_chunk`` UIDs.
    growth: int = 8
    max_chunk: int = 20000
    #: Rows per cache write transaction (and between checks for cancel / GUI pauses).
    #: Measured at 100,000 with the background writer (tmp probe, alternated runs): 2,500 syncs
    #: as fast as 10,000 (9.1 vs 9.05 s) and leaves 6-7 MB less resident (the Python arenas
    #: that two batches in flight spread over stay pinned); 20,000 stalled the GUI.
    write_batch: int = 2500
    items: str = convert.SUMMARY_ITEMS
    #: Rounds of catching up with mail that arrived during the sync itself.
    max_catch_up: int = 3
    #: Fetching at least this many summaries, and more than the folder already
    #: holds, writes them inside ``MailCache.bulk_load`` (sort indexes rebuilt once
    #: at the end instead of kept up row by row).
    bulk_min: int = 10000


@dataclass
class FolderSyncResult:
    folder: str
    folder_id: int
    mode: str = "initial"  # initial | qresync | condstore | full
    reset: bool = False
    fetched: int = 0
    flags_changed: int = 0
    removed: int = 0
    #: UIDs of the messages that arrived since the previous complete sync (ascending).
    new_uids: list[int] = field(default_factory=list)
    #: FETCH responses the client could not use (unparsable, or a summary without a
    #: UID or a header section it recognises): logged once, told to the listener.
    skipped: int = 0
    seconds: float = 0.0
    uidvalidity: int | None = None
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def new_mail(self) -> int:
        """How many messages arrived since the previous complete sync."""
        return len(self.new_uids)


class FolderSync:
    """One folder sync on one connection (the caller's worker thread)."""

    def __init__(
        self,
        conn: MailboxConnection,
        cache: MailCache,
        listener: SyncListener | None = None,
        cancel: CancelToken | None = None,
        options: SyncOptions | None = None,
    ) -> None:
        self.conn = conn
        self.cache = cache
        self.listener = listener or SyncListener()
        self.cancel = cancel or CancelToken()
        self.options = options or SyncOptions()
        self._saw_exists = False
        self._saw_expunge = False
        self._fid = 0
        self._result: FolderSyncResult | None = None
        self._done = 0
        self._total = 0
        #: The UIDs :meth:`_first_screen` asked for (the folder's diff does not ask again).
        self._screen: UidSet | None = None
        #: MailCache.background_writer's submit while a bulk load runs, else None.
        self._submit: Callable[[int, Sequence[SummaryRow]], Future[int]] | None = None
        self._in_flight: tuple[Future[int] | None, list[SummaryRow], list[FetchedMessage], int] | None = None
        self._unusable_logged = False
        self._unasked_logged = False
        #: The highest UID the server listed in this pass (SEARCH), for servers without UIDNEXT.
        self._highest_seen = 0
        #: What this sync works out once per distinct header value (its own: never shared
        #: with another account's worker thread).
        self._memo = rows.RowMemo()

    # -- entry point ---------------------------------------------------------------
    def run(self, name: str) -> FolderSyncResult:
        started = time.perf_counter()
        cache, conn = self.cache, self.conn
        fid = cache.folder_id(name)
        if fid is None:
            # Not listed yet (a sync asked for before the folder list): remember it.
            fid = cache.upsert_folders([Folder(name)], remove_missing=False)[name]
        self._fid = fid
        cached = cache.folder(fid)
        assert cached is not None
        result = self._result = FolderSyncResult(name, fid)
        complete = cached.uidvalidity is not None and cached.uidnext is not None
        if (
            complete
            and cached.highestmodseq
            and "QRESYNC" in conn.enabled
            and not conn.broken
            and self._selection_in_step(cached, name)
        ):
            return self._resync_selected(cached, started)
        qresync = None
        if complete and cached.highestmodseq and "QRESYNC" in conn.enabled:
            assert cached.uidvalidity is not None  # a complete cache has it
            qresync = (int(cached.uidvalidity), int(cached.highestmodseq))
        self.cancel.check()
        result.stages["cache"] = time.perf_counter() - started
        info = conn.select(name, qresync=qresync, condstore=conn.has("CONDSTORE"))
        result.uidvalidity = info.uidvalidity
        result.stages["select"] = time.perf_counter() - started - result.stages["cache"]
        if cached.uidvalidity is not None and info.uidvalidity != cached.uidvalidity:
            log.warning(
                "UIDVALIDITY of a folder changed (%s -> %s): its cache is dropped", cached.uidvalidity, info.uidvalidity
            )
            cache.reset_folder(fid, info.uidvalidity)
            self.listener.folder_reset(fid)
            result.reset = True
            complete = False
        elif cached.uidvalidity is None:
            cache.set_folder_state(fid, uidvalidity=info.uidvalidity)

        if complete and info.qresync_used:
            assert cached.uidnext is not None  # a complete cache has it
            result.mode = "qresync"
            self._apply_vanished(info.vanished)
            self._apply_flags(info.changed)
            new_uids = self._uids_from(cached.uidnext, info.uidnext)
            result.new_uids = list(new_uids)
            self._fetch_missing(new_uids)
        elif complete and cached.highestmodseq and info.highest_modseq is not None:
            assert cached.uidnext is not None  # a complete cache has it
            result.mode = "condstore"
            if info.highest_modseq != cached.highestmodseq and cached.uidnext > 1:
                self._fetch_flags(f"1:{cached.uidnext - 1}", changedsince=cached.highestmodseq)
            lacking: UidSet | list[int] = self._uids_from(cached.uidnext, info.uidnext)
            if info.exists != cache.count(fid) + len(lacking):
                lacking = self._full_diff(refresh_flags=False)
            result.new_uids = [uid for uid in lacking if uid >= (cached.uidnext or 0)]
            self._fetch_missing(lacking)
        elif complete:
            result.mode = "full"
            before = cached.uidnext or 0
            missing = self._full_diff(refresh_flags=True)
            result.new_uids = [uid for uid in missing if uid >= before]
            self._fetch_missing(missing)
        else:
            result.mode = "initial"
            had_rows = cache.count(fid) > 0
            if not had_rows:
                self._first_screen(info)
            self._fetch_missing(self._full_diff(refresh_flags=had_rows))
        derived = info.uidnext is None
        if derived:  # SELECT said nothing (Courier): what this pass has seen and cached
            info.uidnext = self._uidnext_seen(cached.uidnext if complete else None)
        self._catch_up(info)
        if derived:
            info.uidnext = self._uidnext_seen(info.uidnext)

        # Only now does the cache hold everything up to these values. Not quite when
        # some messages could not be read: then no HIGHESTMODSEQ is kept, so the next
        # sync compares the whole folder ("full") and fetches them again instead of
        # asking only for what changed since (they would never come back).
        modseq = None if result.skipped else info.highest_modseq
        new_state = (info.uidvalidity, info.uidnext, modseq)
        if result.reset or new_state != (cached.uidvalidity, cached.uidnext, cached.highestmodseq):
            cache.set_folder_state(fid, uidvalidity=info.uidvalidity, uidnext=info.uidnext, highestmodseq=modseq)
        if result.new_uids and result.mode != "initial":
            self.listener.new_mail(fid, sorted(result.new_uids))
        self._report_skipped()
        result.seconds = time.perf_counter() - started
        log.info(
            "Folder synced (%s): %d fetched, %d flag changes, %d removed in %.3f s",
            result.mode,
            result.fetched,
            result.flags_changed,
            result.removed,
            result.seconds,
        )
        return result

    def _selection_in_step(self, cached: CachedFolder, name: str) -> bool:
        """Whether the connection's selection of ``name`` has told everything a re-SELECT
        would: then a NOOP brings the rest (:meth:`_resync_selected`).

        Not when its UIDVALIDITY is not the cache's (the folder was recreated on the
        server, e.g. selected again by an offline replay: the cache must be dropped), nor
        when the SELECT was made at a HIGHESTMODSEQ beyond the cache's (by a replay or a
        message download, without QRESYNC): the changes made before it came in no
        response, and only a QRESYNC SELECT from the cache's state brings them.
        """
        conn = self.conn
        info = conn.selected_info
        if conn.selected != name or info is None or info.folder != name:
            return False
        if info.uidvalidity != cached.uidvalidity:
            log.info("The selected folder's UIDVALIDITY is not the cached one: it is selected again")
            return False
        return (
            info.highest_modseq is not None
            and cached.highestmodseq is not None
            and info.highest_modseq <= cached.highestmodseq
        )

    def _resync_selected(self, cached: CachedFolder, started: float) -> FolderSyncResult:
        """The folder is still selected on this connection, since a SELECT whose state
        the cache holds (:meth:`_selection_in_step`): a NOOP brings every change.

        With QRESYNC enabled the server reports expunges as VANISHED and flag
        changes as FETCH with UID and MODSEQ to a selected folder, so a re-SELECT
        (which makes Dovecot close and reopen a 100,000-message index, ~45 ms)
        adds nothing. The stored HIGHESTMODSEQ stays as it was unless the server
        announces a new one: a later QRESYNC SELECT then asks for a little more
        than needed, never less.
        """
        result = self._result
        assert result is not None
        result.mode = "qresync"
        result.uidvalidity = cached.uidvalidity
        events = self.conn.noop()
        result.stages["select"] = time.perf_counter() - started
        modseq = self._drain_events(events)
        uidnext = int(cached.uidnext or 1)
        if self._saw_exists or self._saw_expunge:
            info = SelectResult(result.folder, cached.uidvalidity, uidnext)
            self._catch_up(info)
        known_max = self.cache.max_uid(self._fid)
        new_uidnext = max(uidnext, known_max + 1)
        new_modseq = modseq if modseq is not None and modseq > (cached.highestmodseq or 0) else cached.highestmodseq
        if result.skipped:  # as in run(): the next sync compares the whole folder to fetch them again
            new_modseq = None
        if (new_uidnext, new_modseq) != (cached.uidnext, cached.highestmodseq):
            self.cache.set_folder_state(self._fid, uidnext=new_uidnext, highestmodseq=new_modseq)
        if result.new_uids:
            self.listener.new_mail(self._fid, sorted(result.new_uids))
        self._report_skipped()
        result.seconds = time.perf_counter() - started
        return result

    @property
    def _current(self) -> FolderSyncResult:
        """The result of the run in progress (the steps below run only inside :meth:`run`)."""
        result = self._result
        assert result is not None
        return result

    def _report_skipped(self) -> None:
        """Say how many FETCH responses could not be used (never dropped in silence)."""
        result = self._result
        assert result is not None
        if result.skipped:
            log.warning(
                "Folder sync (%s): %d messages could not be read from the server", result.mode, result.skipped
            )
            self.listener.messages_unreadable(self._fid, result.skipped)

    # -- steps ------------------------------------------------------------------------
    def _uidnext_seen(self, previous: int | None) -> int:
        """A UIDNEXT for a server whose SELECT gave none: one past the highest UID this
        pass saw on the server or the cache holds (never below ``previous``)."""
        return max(previous or 1, self._highest_seen + 1, self.cache.max_uid(self._fid) + 1)

    def _uids_from(self, first: int, server_uidnext: int | None) -> list[int]:
        """UIDs >= first on the server (new since the last complete sync)."""
        if server_uidnext is not None and server_uidnext <= first:
            return []
        found = self.conn.uid_search(f"UID {first}:*").numbers()
        if found:
            self._highest_seen = max(self._highest_seen, max(found))
        # "n:*" always includes the highest UID, even when it is below n (RFC 3501).
        return [uid for uid in found if uid >= first]

    def _full_diff(self, *, refresh_flags: bool) -> UidSet:
        """Drop what the server no longer has; return the UIDs the cache lacks (as ranges:
        a never-synced folder of 1,000,000 messages is one range, not a million ints)."""
        self.cancel.check()
        server = UidSet.from_imap(self.conn.uid_search("ALL").uid_set)
        self._highest_seen = max(self._highest_seen, server.max or 0)
        known = self.cache.known_uids(self._fid)
        gone = known - server
        if gone:
            self._expunge(gone)
        kept = known - gone
        if refresh_flags and kept:
            self._fetch_flags(kept.to_imap())
        return server - known

    def _fetch_flags(self, uid_set: str, changedsince: int | None = None) -> None:
        """FLAGS of many messages (all of them, or those changed since a MODSEQ)."""
        self.cancel.check()
        result = self._current
        # Stored batch by batch: the flags of a whole folder are never held at once.
        with contextlib.closing(
            self.conn.fetch_stream(uid_set, convert.FLAG_ITEMS, changedsince=changedsince, batch_size=20000)
        ) as stream:
            for batch in stream:
                result.skipped += batch.skipped
                changes = convert.flags_of(batch.messages)
                if changes:
                    self._store_flags(changes)

    def _store_flags(self, changes: dict[int, frozenset[str]]) -> None:
        changed = self.cache.update_flags(self._fid, changes)
        if changed:
            self._current.flags_changed += len(changed)
            self.listener.rows_changed(self._fid, changed)

    def _apply_flags(self, messages: Iterable[FetchedMessage]) -> None:
        changes = convert.flags_of(messages)
        if changes:
            self._store_flags(changes)

    def _apply_vanished(self, uid_sets: Sequence[str]) -> None:
        ranges = [r for uid_set in uid_sets for r in iter_sequence_ranges(uid_set)]
        if ranges:
            self._expunge(UidSet(ranges))

    def _expunge(self, uids: UidSet) -> None:
        keys = self.cache.expunge(self._fid, uids)
        if keys:
            self._current.removed += len(keys)
            self.listener.rows_removed(self._fid, keys)

    def _chunk_sizes(self, *, screen_shown: bool = False) -> Iterator[int]:
        """50, 400, 3200, ... up to ``max_chunk``: the first screen comes at once (400, ...
        when :meth:`_first_screen` has fetched it already)."""
        opts = self.options
        size = max(1, opts.first_batch)
        if screen_shown:
            size = min(opts.max_chunk, size * max(1, opts.growth))
        while True:
            yield size
            size = min(opts.max_chunk, size * max(1, opts.growth))

    def _first_screen(self, info: SelectResult) -> None:
        """A never-seen folder's newest messages before anything else: the UIDs just below
        UIDNEXT, asked for as a range before the UID SEARCH ALL that lists the whole
        folder (150-230 ms for 1,000,000 messages on Dovecot, more on a busy server). The
        range may hold fewer than ``first_batch`` messages (UIDs of expunged mail are never
        used again); the folder's diff then fetches everything the cache lacks, these
        excepted. Nothing is done for a folder one batch can hold, or without UIDNEXT."""
        size = self.options.first_batch
        if info.uidnext is None or info.uidnext <= 1 or info.exists <= size:
            return
        self.cancel.check()
        newest = UidSet([(max(1, info.uidnext - size), info.uidnext - 1)])
        self._total = info.exists  # the whole folder from the start: never "50 of 50" first
        self.listener.progress(self._done, self._total)
        self._fetch_chunk(newest.to_imap(), set(newest))
        self._screen = newest

    def _fetch_missing(self, uids: UidSet | Sequence[int]) -> None:
        """Fetch summaries of ``uids`` newest first, in growing batches. The UIDs stay
        ranges (:class:`UidSet`); only the chunk being fetched is a set of ints."""
        if not uids:
            return
        opts = self.options
        missing = uids if isinstance(uids, UidSet) else UidSet.of(uids)
        screen_shown = False
        if self._screen is not None:  # asked for once: one the server sent unreadably stays skipped
            missing, self._screen = missing - self._screen, None
            screen_shown = self._done > 0  # else the folder's first chunk is the first screen
            self._total = max(self._total, self._done + len(missing))  # counted from EXISTS already
        else:
            self._total += len(missing)
        self.listener.progress(self._done, self._total)
        chunks = missing.descending_chunks(self._chunk_sizes(screen_shown=screen_shown))
        first = True
        bulk = len(missing) >= opts.bulk_min and len(missing) > self.cache.count(self._fid)
        with contextlib.ExitStack() as stack:
            for chunk in chunks:
                self.cancel.check()
                if bulk and not first:  # the first screen is written with every index in place
                    stack.enter_context(self.cache.bulk_load())
                    # Each batch is written on the cache's writer thread while the next
                    # one is read and parsed (full sync of 100,000: -0.4 s, see
                    # MailCache.background_writer).
                    self._submit = stack.enter_context(self.cache.background_writer())
                    stack.push(self._end_writes)
                    bulk = False
                first = False
                self._fetch_chunk(chunk.to_imap(), set(chunk))
            self._finish_write()
        if len(missing) >= opts.bulk_min:
            # The batches' buffers and rows are freed; give the pages back (core/memory.py).
            release_free_memory()
        self.cancel.check()

    def _write(self, new_rows: list[SummaryRow], flag_only: list[FetchedMessage], skipped: int) -> None:
        """Store one batch: at once, or on the writer thread while the next batch is parsed."""
        if self._submit is None:
            if new_rows:
                rows.write(self.cache, self._fid, new_rows)
            self._stored(new_rows, flag_only, skipped)
            return
        self._finish_write()  # one batch in flight at a time, written in order
        future = self._submit(self._fid, new_rows) if new_rows else None
        # Flag updates wait with their batch: they must land after its rows.
        self._in_flight = (future, new_rows, flag_only, skipped)

    def _finish_write(self) -> None:
        """Wait for the batch in flight (its errors are raised here) and announce it."""
        if self._in_flight is None:
            return
        future, new_rows, flag_only, skipped = self._in_flight
        self._in_flight = None
        if future is not None:
            future.result()
        self._stored(new_rows, flag_only, skipped)

    def _end_writes(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        """Leaving the bulk section: no more background writes; a batch still in
        flight is finished (on an error path without masking that error)."""
        self._submit = None
        if exc_type is None:
            self._finish_write()
        else:
            try:
                self._finish_write()
            except Exception:  # the first error is the one to report; this one is logged
                log.warning("A cache write failed while the sync was ending on an error", exc_info=True)
        return False

    def _fetch_chunk(self, uid_set: str, wanted: set[int]) -> None:
        """Summaries of ``uid_set`` (``wanted``: the same UIDs) into the cache. A row for a
        UID not asked for, or for one already taken (a hostile or broken server), is
        skipped and counted, never stored."""
        opts = self.options
        # Rows in the common layout become cache rows straight from the read buffer
        # (rows.fast_row; the same rows as the general path).
        builder = functools.partial(rows.fast_row, self._memo, self._fid)
        stream = self.conn.fetch_stream(uid_set, opts.items, batch_size=opts.write_batch, row_builder=builder)
        with contextlib.closing(stream):
            for batch in stream:
                new_rows, flag_only, unusable = rows.prepare(self._fid, batch.messages, self._memo)
                if unusable and not self._unusable_logged:
                    self._unusable_logged = True  # once per sync: the server answers them all alike
                    log.warning(
                        "A FETCH response could not be used for the message list (%d in this batch; "
                        "further ones are only counted): %s",
                        len(unusable),
                        rows.shape_of(unusable[0]),
                    )
                if batch.rows:
                    new_rows = batch.rows + new_rows
                unasked = self._take_wanted(new_rows, wanted)
                self._write(new_rows, flag_only, batch.skipped + len(unusable) + unasked)
                if self.cancel.cancelled:
                    break  # closing() reads the rest of this FETCH; the caller raises

    def _take_wanted(self, new_rows: list[SummaryRow], wanted: set[int]) -> int:
        """Keep (in place) the rows of ``wanted`` UIDs, each once, taking them out of
        ``wanted``; returns how many rows were dropped."""
        kept = []
        for row in new_rows:
            if row.uid in wanted:
                wanted.discard(row.uid)
                kept.append(row)
        dropped = len(new_rows) - len(kept)
        if dropped:
            if not self._unasked_logged:
                self._unasked_logged = True  # once per sync
                log.warning("The server sent %d FETCH rows for UIDs not asked for (or twice); skipped", dropped)
            new_rows[:] = kept
        return dropped

    def _stored(self, new_rows: list[SummaryRow], flag_only: list[FetchedMessage], skipped: int) -> None:
        """A batch's rows are committed: count them and tell the listener."""
        result = self._result
        assert result is not None
        result.skipped += skipped
        if new_rows:
            result.fetched += len(new_rows)
            self._done += len(new_rows)
            self.listener.rows_inserted(self._fid, [row.uid for row in new_rows])
            self.listener.progress(self._done, self._total)
        if flag_only:
            self._apply_flags(flag_only)

    # -- what happened meanwhile --------------------------------------------------------
    def _drain_events(self, events: Sequence[Event] | None = None) -> int | None:
        """Apply queued events; returns a HIGHESTMODSEQ the server announced, if any."""
        flags: list[FetchedMessage] = []
        vanished: list[str] = []
        modseq: int | None = None
        for event in self.conn.take_events() if events is None else events:
            if isinstance(event, Vanished):
                vanished.append(event.uid_set)
            elif isinstance(event, FlagsChanged):
                if event.uid is not None and event.flags is not None:
                    flags.append(FetchedMessage(event.seq, event.uid, event.flags, None, None, event.modseq))
                else:
                    self._saw_expunge = True  # no UID: only a full diff can place it
            elif isinstance(event, Exists):
                self._saw_exists = True
            elif isinstance(event, Expunge):
                self._saw_expunge = True
            elif isinstance(event, ModseqChanged):
                modseq = max(modseq or 0, event.highest_modseq)
        if vanished:
            self._apply_vanished(vanished)
        if flags:
            self._apply_flags(flags)
        return modseq

    def _catch_up(self, info: SelectResult) -> None:
        """Apply changes the server announced while this sync ran (bounded rounds)."""
        for _ in range(self.options.max_catch_up):
            self._drain_events()
            if not (self._saw_exists or self._saw_expunge):
                return
            exists, expunge = self._saw_exists, self._saw_expunge
            self._saw_exists = self._saw_expunge = False
            missing: UidSet | list[int]
            if expunge and "QRESYNC" not in self.conn.enabled:
                missing = self._full_diff(refresh_flags=False)
            else:
                known_max = self.cache.max_uid(self._fid)
                start = max(info.uidnext or 1, known_max + 1)
                missing = self._uids_from(start, None) if exists else []
            if missing and self._result is not None and self._result.mode != "initial":
                self._result.new_uids.extend(uid for uid in missing if uid >= (info.uidnext or 1))
            self._fetch_missing(missing)
        self._drain_events()
