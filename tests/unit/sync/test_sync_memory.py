"""Memory of a full sync does not grow with the folder (issue 16 item 6).

A never-synced folder of 1,000,000 messages is one UID range on the wire (ESEARCH
``1:1000000``). The sync keeps it as ranges (``UidSet``) and walks it newest first
in chunks; only the chunk being fetched becomes a set of ints. A list of every UID
(what the sync held before: ``list(server - known)`` and a sorted copy, ~44 MB of
Python ints and pointers at a million) shows in tracemalloc's peak: the planted
case proves the measurement catches it.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.net.imap.responses import SearchResult, SelectResult
from govmail_desktop.store.uidset import UidSet
from govmail_desktop.sync.folder_sync import FolderSync, FolderSyncResult, SyncOptions

MESSAGES = 1_000_000
#: Loose: one 20,000-UID chunk as a set of ints is ~1.5 MB; every UID as a list is ~44 MB.
PEAK_BOUND_MB = 8


class SilentBigFolder:
    """Just enough of a ``MailboxConnection`` for an initial sync of a huge folder whose
    FETCHes bring no rows (what is measured is the sync's own bookkeeping)."""

    enabled: frozenset[str] = frozenset()
    broken = False
    selected_info = None
    selected = None

    def __init__(self, messages: int) -> None:
        self.messages = messages
        self.fetched: list[str] = []

    def has(self, capability: str) -> bool:
        return False

    def select(self, folder: str, **_: Any) -> SelectResult:
        return SelectResult(folder, uidvalidity=7, uidnext=self.messages + 1, exists=self.messages)

    def uid_search(self, criteria: str = "ALL") -> SearchResult:
        assert criteria == "ALL"
        return SearchResult(f"1:{self.messages}")

    def fetch_stream(self, uid_set: str, items: str, **_: Any) -> Iterator[Any]:
        self.fetched.append(uid_set)
        yield from ()

    def take_events(self) -> list[Any]:
        return []


class ListOfEveryUid(FolderSync):
    """Planted: holds the missing UIDs as one sorted list of ints, as the sync once did."""

    def _fetch_missing(self, uids: UidSet | Sequence[int]) -> None:
        order = sorted(uids, reverse=True)
        super()._fetch_missing(order)


def traced_peak_mb(sync: FolderSync) -> float:
    tracemalloc.start()
    try:
        sync.run("INBOX")
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("sync_class", [FolderSync, ListOfEveryUid], ids=["the-sync", "planted-list-of-uids"])
def test_a_full_sync_of_a_million_uids_holds_ranges_not_ints(cache, sync_class):
    conn = SilentBigFolder(MESSAGES)
    sync = sync_class(conn, cache, options=SyncOptions(bulk_min=10**9))
    peak = traced_peak_mb(sync)
    if sync_class is ListOfEveryUid:
        assert peak > PEAK_BOUND_MB, f"the planted list of every UID was not seen ({peak:.1f} MB)"
        return
    assert peak < PEAK_BOUND_MB, f"a full sync of {MESSAGES:,} UIDs peaked at {peak:.1f} MB of Python memory"
    # The first screen by UIDNEXT (it brought no rows here), then the rest of the folder newest
    # first, in growing chunks that are ranges on the wire: every UID asked for once.
    assert conn.fetched[:4] == [f"{MESSAGES - 49}:{MESSAGES}", f"{MESSAGES - 99}:{MESSAGES - 50}",
                                f"{MESSAGES - 499}:{MESSAGES - 100}", f"{MESSAGES - 3699}:{MESSAGES - 500}"]
    assert UidSet([(1, MESSAGES)]) == UidSet.from_imap(",".join(conn.fetched))
    assert sum(len(UidSet.from_imap(s)) for s in conn.fetched) == MESSAGES


def test_flags_of_a_whole_folder_are_stored_batch_by_batch(cache):
    """A full-mode resync refreshes every cached message's flags: written per FETCH batch,
    never gathered into one dict of the whole folder first."""
    stored: list[int] = []

    class Recording(FolderSync):
        def _store_flags(self, changes: dict[int, frozenset[str]]) -> None:
            stored.append(len(changes))

    class Batches(SilentBigFolder):
        def fetch_stream(self, uid_set: str, items: str, **_: Any) -> Iterator[Any]:
            for first in (1, 101):
                yield _Batch([FetchedMessage(uid, uid, ("\\Seen",), None, None, None)
                              for uid in range(first, first + 100)])

    sync = Recording(Batches(200), cache)
    sync._result = FolderSyncResult("INBOX", 1)
    sync._fetch_flags("1:200")
    assert stored == [100, 100]


class _Batch:
    def __init__(self, messages: list[Any]) -> None:
        self.messages = messages
        self.rows: list[Any] = []
        self.skipped = 0


def test_a_big_fetch_gives_freed_memory_back_and_a_small_one_does_not(cache, monkeypatch):
    from govmail_desktop.sync import folder_sync

    calls: list[int] = []
    monkeypatch.setattr(folder_sync, "release_free_memory", lambda: calls.append(1) or True)
    FolderSync(SilentBigFolder(20_000), cache).run("INBOX")  # bulk_min 10,000: a bulk load
    assert calls == [1]
    FolderSync(SilentBigFolder(50), cache, options=SyncOptions()).run("Sent")
    assert calls == [1]
