"""The conversation view sorts by a column: the materialised thread order is built for
the sort the user chose (conversations placed by their first message's value), and
a cache built before (schema 2) keeps its newest-first order without a rebuild."""

from __future__ import annotations

import sqlite3

import pytest

from govmail_desktop.core.entities import Address, Folder
from govmail_desktop.store import CACHE_FILE, MailCache, SortKey
from govmail_desktop.store.message_rows import thread_sort_name
from govmail_desktop.store.schema import migrate
from tests.unit.store.factories import summary


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "acct" / "cache.sqlite3")
    yield c
    c.close()


def conversations(cache) -> int:
    """Three conversations whose orders by date, subject, sender and size all differ.

    uid 1 "ข" (Chai, big) → reply 4; uid 2 "ก" (Zed, small); uid 3 "ค" (Anan, middle)
    → reply 5 (newest of all: message n arrives n minutes after the first).
    """
    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    cache.insert_summaries(fid, [
        summary(1, message_id="<a@x>", subject="ข งบประมาณ", from_=(Address("Chai", "chai@a.go.th"),), size=9000),
        summary(2, message_id="<b@x>", subject="ก ประชุม", from_=(Address("Zed", "zed@a.go.th"),), size=1000),
        summary(3, message_id="<c@x>", subject="ค หนังสือเวียน", from_=(Address("Anan", "anan@a.go.th"),), size=5000),
        summary(4, message_id="<a1@x>", in_reply_to="<a@x>", references=("<a@x>",), subject="Re: ข งบประมาณ",
                from_=(Address("Anan", "anan@a.go.th"),), size=100),
        summary(5, message_id="<c1@x>", in_reply_to="<c@x>", references=("<c@x>",), subject="Re: ค หนังสือเวียน",
                from_=(Address("Zed", "zed@a.go.th"),), size=100),
    ])
    return fid


def order(cache, fid) -> list[tuple[int, int]]:
    return [(r.uid, depth) for r, depth in cache.thread_page(fid, 0, 100)]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        (SortKey.DATE, True, [(3, 0), (5, 1), (1, 0), (4, 1), (2, 0)]),  # newest activity first (5, 4, 2)
        (SortKey.DATE, False, [(2, 0), (1, 0), (4, 1), (3, 0), (5, 1)]),
        (SortKey.SUBJECT, False, [(2, 0), (1, 0), (4, 1), (3, 0), (5, 1)]),  # ก, ข, ค
        (SortKey.SUBJECT, True, [(3, 0), (5, 1), (1, 0), (4, 1), (2, 0)]),
        (SortKey.SENDER, False, [(3, 0), (5, 1), (1, 0), (4, 1), (2, 0)]),  # Anan, Chai, Zed
        (SortKey.SIZE, True, [(1, 0), (4, 1), (3, 0), (5, 1), (2, 0)]),  # 9000, 5000, 1000
        (SortKey.SIZE, False, [(2, 0), (3, 0), (5, 1), (1, 0), (4, 1)]),
    ],
)
def test_conversations_are_ordered_by_the_chosen_column_replies_stay_under_them(cache, sort, descending, expected):
    fid = conversations(cache)
    assert cache.ensure_thread_order(fid, sort, descending)
    assert order(cache, fid) == expected
    assert cache.thread_order_state(fid) == (True, thread_sort_name(sort, descending))


def test_another_sort_rebuilds_the_same_sort_does_not(cache):
    fid = conversations(cache)
    assert cache.ensure_thread_order(fid, SortKey.SUBJECT, False)
    assert not cache.ensure_thread_order(fid, SortKey.SUBJECT, False)
    assert cache.ensure_thread_order(fid, SortKey.DATE, True)
    assert cache.thread_order_state(fid) == (True, "date desc")
    cache.insert_summaries(fid, [summary(6, message_id="<d@x>", subject="ง")])
    assert cache.thread_order_state(fid) == (False, "date desc")  # stale, still for that sort
    assert cache.ensure_thread_order(fid, SortKey.DATE, True)
    assert order(cache, fid)[0] == (6, 0)


def test_an_order_built_by_schema_2_is_kept_as_newest_first(tmp_path):
    path = tmp_path / CACHE_FILE
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    migrate(db, target=2)
    db.execute(
        "INSERT INTO folders (id, name, delimiter, uidvalidity, thread_order_valid) VALUES (1, 'INBOX', '/', 7, 1)"
    )
    db.execute(
        "INSERT INTO messages (folder_id, uid, flags, internaldate, size, subject) VALUES (1, 1, 0, 100, 10, 'x')"
    )
    db.execute("INSERT INTO thread_order (folder_id, pos, uid, depth) VALUES (1, 0, 1, 0)")
    db.close()
    cache = MailCache(path)
    try:
        assert cache.thread_order_state(1) == (True, "date desc")
        assert not cache.ensure_thread_order(1)  # nothing to rebuild after the upgrade
        assert cache.thread_count(1) == 1
    finally:
        cache.close()
