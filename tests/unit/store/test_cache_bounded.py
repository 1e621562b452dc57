"""The cache's bounded counts for the message list: a count, a position from either end
and the rows at an end of an order, each a walk that stops at its limit."""

from __future__ import annotations

import pytest

from govmail_desktop.store import MailCache, SortKey
from govmail_desktop.store.list_filter import ListFilter
from govmail_desktop.store.uidset import UidSet
from tests.unit.store.factories import fill


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "acct" / "cache.sqlite3")
    yield c
    c.close()


def test_a_count_stops_at_its_limit(cache):
    folder_id = fill(cache, count=300)
    assert cache.count(folder_id, limit=100) == 100
    assert cache.count(folder_id, limit=1000) == 300 == cache.count(folder_id)
    unread = ListFilter(unread=True)
    assert cache.count(folder_id, unread, limit=1000) == 150 and cache.count(folder_id, unread, limit=10) == 10


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [True, False])
def test_positions_from_either_end_agree_with_the_pages(cache, sort, descending):
    folder_id = fill(cache, count=120)
    order = [r.uid for r in cache.page(folder_id, sort, descending, 0, 200)]
    keys = {k.uid: k for k in cache.row_keys(folder_id, order)}
    for row in (0, 1, 59, 118, 119):
        key = keys[order[row]]
        assert cache.position_of_key(folder_id, key, sort, descending) == row
        assert cache.position_of_key(folder_id, key, sort, descending, after=True) == 119 - row
        assert cache.position_of_key(folder_id, key, sort, descending, limit=50) == min(row, 50)
        assert cache.position_of_key(folder_id, key, sort, descending, after=True, limit=50) == min(119 - row, 50)


def test_the_rows_at_an_end_of_an_order_are_checked_against_uid_ranges(cache):
    folder_id = fill(cache, count=300)
    newest, oldest = UidSet([(281, 300)]), UidSet([(1, 20)])
    assert cache.edge_count(folder_id, SortKey.DATE, True, 20, newest) == 20
    assert cache.edge_count(folder_id, SortKey.DATE, False, 20, oldest) == 20
    assert cache.edge_count(folder_id, SortKey.DATE, True, 20, oldest) == 0
    assert cache.edge_count(folder_id, SortKey.DATE, True, 20, UidSet([(281, 290), (295, 300)])) == 16


def test_the_conversation_order_is_counted_by_its_last_position(cache):
    folder_id = fill(cache, count=50)
    assert cache.thread_count(folder_id) == 0
    cache.ensure_thread_order(folder_id)
    assert cache.thread_count(folder_id) == 50


def test_the_conversation_order_is_built_without_holding_the_write_lock(cache, monkeypatch):
    """Another thread writes while the order is computed (a sync at 1,000,000 messages would
    otherwise wait 40 s and fail); the order it stores is then marked stale."""
    import threading

    from govmail_desktop.store import cache_reads as cache_module
    from tests.unit.store.factories import summaries

    folder_id = fill(cache, count=50)
    compute = cache_module.thread_order
    written = []

    def compute_while_another_thread_writes(*args, **kwargs):
        def write() -> None:
            try:
                cache.insert_summaries(folder_id, summaries(51, 51))
                written.append(True)
            finally:
                cache.close_thread()

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(10)
        return compute(*args, **kwargs)

    monkeypatch.setattr(cache_module, "thread_order", compute_while_another_thread_writes)
    assert cache.ensure_thread_order(folder_id) is True
    assert written == [True]
    assert cache.thread_order_state(folder_id) == (False, "date desc")  # stale: message 51 came meanwhile
    assert cache.thread_count(folder_id) == 50
    monkeypatch.setattr(cache_module, "thread_order", compute)
    assert cache.ensure_thread_order(folder_id) is True
    assert cache.thread_order_state(folder_id) == (True, "date desc") and cache.thread_count(folder_id) == 51


@pytest.mark.parametrize("sort", list(SortKey))
def test_a_page_of_a_text_filter_is_read_by_uid_with_the_same_rows(cache, sort):
    """The quick filter's text matches (a set of UIDs, and messages kept shown) are read by
    UID; the rows and their order are those the sort index walk gives."""
    from govmail_desktop.store import list_filter

    folder_id = fill(cache, count=300)
    found = ListFilter(unread=True, uids=frozenset(range(1, 300, 3)), keep=frozenset({7, 9}))
    assert found.candidates_json() is not None
    every = [r.uid for r in cache.page(folder_id, sort, True, 0, 1000)]
    expected = [u for u in every if (u % 2 == 0 and u % 3 == 1) or u in (7, 9)]
    assert [r.uid for r in cache.page(folder_id, sort, True, 0, 1000, found)] == expected
    assert [r.uid for r in cache.page(folder_id, sort, True, 10, 5, found)] == expected[10:15]
    assert cache.count(folder_id, found) == len(expected)
    many = ListFilter(uids=frozenset(range(1, list_filter.MAX_READ_BY_UID + 2)))
    assert many.candidates_json() is None  # walked instead
    assert [r.uid for r in cache.page(folder_id, sort, True, 0, 1000, many)] == every
