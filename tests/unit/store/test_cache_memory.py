"""SQLite's own memory for the mail cache stays bounded whatever the folder's size
(issue 16 item 6): the page cache of each connection is ``PAGE_CACHE_KIB`` and sorts
bigger than that (the sort indexes rebuilt after a bulk load) spill to a temporary file,
never to memory. Measured with SQLite's own counter (``sqlite3_status64``, which
tracemalloc cannot see); the planted case (16 MB page caches and in-memory temporary
storage, the settings before) must exceed the same bound.
"""

from __future__ import annotations

import ctypes
import sqlite3
from collections.abc import Callable

import pytest

from govmail_desktop.store import MailCache, SortKey
from govmail_desktop.store import cache as cache_module
from tests.unit.store.synthetic import fill_synthetic

MESSAGES = 100_000
#: Two connections (the writer's and this thread's reader) of 4 MB, plus the sorter's
#: and the statements' memory; the old settings reached 25-30 MB here.
BOUND_MB = 14
_SQLITE_STATUS_MEMORY_USED = 0


def sqlite_peak_counter() -> Callable[[bool], float]:
    """``peak(reset)`` in MB from the SQLite library the sqlite3 module uses (skip where
    that library's symbols cannot be reached: the module's extension resolves them). With
    ``reset``: the memory in use now (the high-water mark starts again from it); without: the
    high-water mark. The counter is the process's: what other tests' connections still hold
    is in both, so a test compares the two."""
    import _sqlite3

    try:
        lib = ctypes.CDLL(_sqlite3.__file__)
        status = lib.sqlite3_status64
    except (OSError, AttributeError):
        pytest.skip("sqlite3_status64 is not reachable from the sqlite3 module here")
    status.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int64), ctypes.c_int]
    status.restype = ctypes.c_int

    def peak(reset: bool) -> float:
        current, high = ctypes.c_int64(), ctypes.c_int64()
        status(_SQLITE_STATUS_MEMORY_USED, ctypes.byref(current), ctypes.byref(high), int(reset))
        return (current if reset else high).value / 2**20

    return peak


def old_settings(conn: sqlite3.Connection) -> None:
    """The connection settings before issue 16 (planted)."""
    conn.execute("PRAGMA cache_size = -16000")
    conn.execute("PRAGMA temp_store = MEMORY")


@pytest.mark.parametrize("planted", [False, True], ids=["the-cache", "planted-16mb-caches-memory-temp"])
def test_sqlite_memory_of_a_100k_folder_stays_bounded(tmp_path, monkeypatch, planted):
    peak = sqlite_peak_counter()
    if planted:
        configure = MailCache._configure

        def planted_configure(conn: sqlite3.Connection) -> None:
            configure(conn)
            old_settings(conn)

        monkeypatch.setattr(MailCache, "_configure", staticmethod(planted_configure))
    before = peak(True)  # held already by connections other tests left open
    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        folder_id = fill_synthetic(cache, MESSAGES)  # bulk load: the sort indexes are rebuilt at its end
        for sort in (SortKey.SENDER, SortKey.SUBJECT, SortKey.DATE):
            for offset in range(0, MESSAGES, MESSAGES // 8):
                assert len(cache.page(folder_id, sort, True, offset, 256)) == 256
        used = peak(False) - before
    finally:
        cache.close()
    if planted:
        assert used > BOUND_MB, f"the planted settings stayed at {used:.1f} MB"
    else:
        assert used < BOUND_MB, f"SQLite used up to {used:.1f} MB for a {MESSAGES:,}-message folder"
        assert cache_module.PAGE_CACHE_KIB * 1024 * 2 < BOUND_MB * 2**20


def test_building_a_conversation_order_gives_its_memory_back(tmp_path, monkeypatch):
    """The order is worked out in Python over every row of the folder: once it is stored,
    the freed pages go back to the system; an order already current costs nothing."""
    from govmail_desktop.store import cache_reads

    calls: list[int] = []
    monkeypatch.setattr(cache_reads, "release_free_memory", lambda: calls.append(1) or True)
    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        folder_id = fill_synthetic(cache, 2_000)
        assert cache.ensure_thread_order(folder_id) is True
        assert calls == [1]
        assert cache.ensure_thread_order(folder_id) is False
        assert calls == [1]
        assert cache.thread_count(folder_id) == 2_000
    finally:
        cache.close()


def test_closing_the_cache_gives_its_page_caches_back(tmp_path, monkeypatch):
    """Closed connections' page caches are freed into their threads' malloc arenas, which keep
    them resident (measured: ~5 MB more after each closed sync session at 100,000 messages).
    Not on every worker's close_thread (a part fetch ends with one): a trim walks every arena."""
    calls: list[int] = []
    monkeypatch.setattr(cache_module, "release_free_memory", lambda: calls.append(1) or True)
    cache = MailCache(tmp_path / "cache.sqlite3")
    cache.count(1)
    cache.close_thread()
    assert calls == []
    cache.close()
    assert calls == [1]
