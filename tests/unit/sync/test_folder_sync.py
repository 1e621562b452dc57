"""Folder sync algorithms against the in-memory server (sync/folder_sync.py).

What a real Dovecot always offers (QRESYNC) is also covered by
tests/integration/test_sync.py; here the fake server plays the servers and
failures a test cannot get from Dovecot on demand.
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.errors import Cancelled, NetworkError
from govmail_desktop.store.op_queue import OpKind
from govmail_desktop.sync import offline, rows
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from tests.unit.sync.conftest import cached_state
from tests.unit.sync.fake_server import BASIC_CAPS, FakeServer

SMALL = SyncOptions(first_batch=3, growth=2, max_chunk=8, write_batch=4)


def run(server, cache, listener=None, cancel=None, options=SMALL, folder="INBOX"):
    conn = prepare(server.connect())
    return FolderSync(conn, cache, listener, cancel, options).run(folder), conn


def test_initial_sync_fetches_newest_first_in_growing_batches(server, cache, listener):
    server.add_messages("INBOX", 20, flags=["\\Seen"])
    result, conn = run(server, cache, listener)
    assert result.mode == "initial" and (result.fetched, result.skipped) == (20, 0)
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    inserted = [c[2] for c in listener.of("inserted")]
    assert inserted[0] == [18, 19, 20]  # the first screen: the newest messages, first
    fetches = [c for c in conn.commands if c.startswith("FETCH")]
    assert fetches[0].startswith("FETCH 18:20 ") and fetches[1].startswith("FETCH 12:17 ")
    # The first screen is asked for by UIDNEXT, before the SEARCH that lists the whole folder.
    search = next(i for i, c in enumerate(conn.commands) if c.startswith("SEARCH"))
    assert conn.commands.index(fetches[0]) < search < conn.commands.index(fetches[1])
    assert all(max(later) < 18 for later in inserted[1:])
    assert len(fetches) == 4  # 3 + 6 + 8 + 3 (capped at max_chunk)
    assert listener.of("progress")[-1][1:] == (20, 20)
    assert {total for _, _, total in listener.of("progress")} == {20}  # never "3 of 3" first
    summary = cache.summary(cache.folder_id("INBOX"), 20)
    assert summary.subject == "ข้อความ 20" and summary.from_[0].name == "สมชาย ใจดี"


def test_resync_without_changes_is_one_select(server, cache):
    server.add_messages("INBOX", 10)
    run(server, cache)
    result, conn = run(server, cache)
    assert result.mode == "qresync"
    assert conn.commands == ["ENABLE QRESYNC", conn.commands[1]]
    assert conn.commands[1].startswith("SELECT INBOX QRESYNC")
    assert (result.fetched, result.flags_changed, result.removed, result.skipped) == (0, 0, 0, 0)


def test_qresync_brings_flags_expunges_and_new_mail(server, cache, listener):
    server.add_messages("INBOX", 10)
    run(server, cache)
    server.set_flags("INBOX", 3, ["\\Seen", "\\Flagged"])
    server.expunge("INBOX", [5, 6])
    server.add_messages("INBOX", 2)
    result, conn = run(server, cache, listener)
    assert result.mode == "qresync"
    assert (result.flags_changed, result.removed, result.fetched, result.new_mail, result.skipped) == (1, 2, 2, 2, 0)
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    assert ("removed", cache.folder_id("INBOX"), [5, 6]) in listener.calls
    assert ("new_mail", cache.folder_id("INBOX"), [11, 12]) in listener.calls  # the UIDs that arrived
    assert not any(c == "SEARCH ALL" for c in conn.commands)


@pytest.mark.parametrize("caps", [("IMAP4REV1", "CONDSTORE", "ESEARCH"), BASIC_CAPS], ids=["condstore", "plain"])
def test_servers_without_qresync_get_the_same_result(cache, listener, caps):
    server = FakeServer(caps)
    server.add_messages("INBOX", 12)
    first, _ = run(server, cache)
    assert first.mode == "initial"
    server.set_flags("INBOX", 2, ["\\Seen"])
    server.set_flags("INBOX", 11, ["\\Answered"])
    server.expunge("INBOX", [4, 12])
    server.add_messages("INBOX", 3)
    result, conn = run(server, cache, listener)
    assert result.mode == ("condstore" if "CONDSTORE" in caps else "full")
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    assert (result.flags_changed, result.removed, result.fetched, result.skipped) == (2, 2, 3, 0)
    if "CONDSTORE" in caps:
        assert any("CHANGEDSINCE" in c for c in conn.commands)


def test_condstore_without_changes_skips_the_flag_fetch(cache):
    server = FakeServer(("IMAP4REV1", "CONDSTORE", "ESEARCH"))
    server.add_messages("INBOX", 5)
    run(server, cache)
    result, conn = run(server, cache)
    assert result.mode == "condstore"
    assert not any(c.startswith("FETCH") for c in conn.commands)


def test_uidvalidity_change_resets_the_folder(server, cache, listener):
    server.add_messages("INBOX", 6, flags=["\\Seen"])
    run(server, cache)
    old = cache.folder(cache.folder_id("INBOX")).uidvalidity
    server.set_flags("INBOX", 1, [])
    server.recreate("INBOX")
    result, _ = run(server, cache, listener)
    assert result.reset and result.mode == "initial"
    assert ("reset", cache.folder_id("INBOX")) in listener.calls
    assert cache.folder(cache.folder_id("INBOX")).uidvalidity != old
    assert cached_state(cache, "INBOX") == server.state("INBOX")


def test_dropped_connection_mid_sync_then_resumed(server, cache):
    server.add_messages("INBOX", 30)
    server.drop_after_rows = 13
    with pytest.raises(NetworkError):
        run(server, cache)
    fid = cache.folder_id("INBOX")
    partial = cache.known_uids(fid)
    assert 0 < len(partial) < 30 and max(partial) == 30  # newest first: the top is there
    assert cache.folder(fid).uidnext is None  # not claimed complete
    server.set_flags("INBOX", 30, ["\\Seen"])  # changed while we were away
    server.expunge("INBOX", [29])
    result, conn = run(server, cache)
    assert result.mode == "initial"
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    assert any(c == "SEARCH ALL" for c in conn.commands)


def test_cancel_stops_between_batches_and_leaves_the_folder_incomplete(server, cache, listener):
    server.add_messages("INBOX", 30)
    cancel = CancelToken()

    class CancelAfterFirst(type(listener)):
        def rows_inserted(self, folder_id, uids):
            super().rows_inserted(folder_id, uids)
            cancel.cancel()

    with pytest.raises(Cancelled):
        run(server, cache, CancelAfterFirst(), cancel)
    fid = cache.folder_id("INBOX")
    assert 0 < cache.count(fid) < 30
    assert cache.folder(fid).uidnext is None
    result, _ = run(server, cache)
    assert cached_state(cache, "INBOX") == server.state("INBOX") and (result.fetched, result.skipped) == (30 - 3, 0)


def test_changes_announced_during_the_sync_are_applied(server, cache, listener):
    server.add_messages("INBOX", 10)
    run(server, cache)
    conn = prepare(server.connect())

    class Meddler(type(listener)):
        done = False

        def rows_inserted(self, folder_id, uids):
            super().rows_inserted(folder_id, uids)
            if not self.done:  # another client acts while this sync runs
                self.done = True
                server.add_messages("INBOX", 1)
                server.set_flags("INBOX", 1, ["\\Flagged"])
                server.expunge("INBOX", [2])

    server.add_messages("INBOX", 4)
    FolderSync(conn, cache, Meddler(), None, SMALL).run("INBOX")
    assert cached_state(cache, "INBOX") == server.state("INBOX")


def test_rows_without_header_fields_during_a_header_fetch_are_flag_updates(server, cache):
    from govmail_desktop.net.imap.client import FetchBatch
    from govmail_desktop.net.imap.fetch import FetchedMessage

    server.add_messages("INBOX", 3)
    run(server, cache)
    server.add_messages("INBOX", 1)
    conn = prepare(server.connect())
    real_fetch = conn.fetch_stream

    def fetch_with_unsolicited(uid_set, items, **kwargs):
        yield FetchBatch([FetchedMessage(1, 1, ("\\Seen",), None, None, None)], skipped=1)
        yield from real_fetch(uid_set, items, **kwargs)

    conn.fetch_stream = fetch_with_unsolicited
    result = FolderSync(conn, cache, options=SMALL).run("INBOX")
    assert cache.flags_of(cache.folder_id("INBOX"), 1) == frozenset({"\\Seen"})
    assert result.skipped == 1 and result.fetched == 1


def test_resync_of_the_folder_still_selected_is_a_noop(server, cache, listener):
    server.add_messages("INBOX", 10)
    conn = prepare(server.connect())
    FolderSync(conn, cache, options=SMALL).run("INBOX")
    server.set_flags("INBOX", 2, ["\\Flagged"])
    server.expunge("INBOX", [3])
    server.add_messages("INBOX", 2)
    conn.commands.clear()
    result = FolderSync(conn, cache, listener, options=SMALL).run("INBOX")
    assert result.mode == "qresync" and conn.commands[0] == "NOOP"
    assert not any(c.startswith("SELECT") for c in conn.commands)
    assert (result.flags_changed, result.removed, result.fetched, result.new_mail, result.skipped) == (1, 1, 2, 2, 0)
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    fid = cache.folder_id("INBOX")
    assert cache.folder(fid).uidnext == 13  # the new messages are known: not fetched again
    conn.commands.clear()
    again = FolderSync(conn, cache, options=SMALL).run("INBOX")
    assert conn.commands == ["NOOP"] and again.fetched == 0
    # A fresh connection still gets everything right from the stored state.
    server.set_flags("INBOX", 1, ["\\Seen"])
    fresh, _ = run(server, cache)
    assert fresh.mode == "qresync" and cached_state(cache, "INBOX") == server.state("INBOX")


def test_folder_selected_again_by_an_offline_replay_after_it_was_recreated_is_reset(server, cache, queue, listener):
    """The replay of an action queued offline SELECTs a folder whose UIDVALIDITY changed:
    the folder sync that follows on that connection must not trust the selection (the
    "still selected" shortcut) but see the new UIDVALIDITY, drop the old cache and show
    the messages the server has now."""
    server.add_messages("INBOX", 4)
    FolderSync(prepare(server.connect()), cache, options=SMALL).run("INBOX")
    offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1], add=["\\Seen"])
    server.recreate("INBOX")  # UIDs 1..4 again, now naming other messages
    server.add_messages("INBOX", 2, subject="ใหม่")
    conn = prepare(server.connect())  # back online: the queue is sent first
    replayed = offline.replay(conn, cache, queue, listener)
    assert (replayed.dropped, queue.count(), conn.selected) == (1, 0, "INBOX")
    result = FolderSync(conn, cache, listener, options=SMALL).run("INBOX")
    fid = cache.folder_id("INBOX")
    assert result.reset and result.mode == "initial"
    assert ("reset", fid) in listener.calls
    assert cache.folder(fid).uidvalidity == server.folders["INBOX"].uidvalidity
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    assert cache.summary(fid, 6).subject == "ใหม่ 6"
    # Now the selection is the sync's own: the next resync is the one-NOOP shortcut again.
    conn.commands.clear()
    FolderSync(conn, cache, options=SMALL).run("INBOX")
    assert conn.commands == ["NOOP"]


def test_folder_selected_by_something_else_than_the_sync_is_selected_again(server, cache, listener):
    """A plain SELECT (message download, offline replay) reports no changes made since the
    cache's state: changes from before it are fetched by a QRESYNC re-SELECT, not lost."""
    server.add_messages("INBOX", 6)
    FolderSync(prepare(server.connect()), cache, options=SMALL).run("INBOX")
    server.set_flags("INBOX", 2, ["\\Flagged"])
    server.expunge("INBOX", [3])
    conn = prepare(server.connect())
    conn.select("INBOX")  # e.g. a message opened in the preview
    conn.commands.clear()
    result = FolderSync(conn, cache, listener, options=SMALL).run("INBOX")
    assert conn.commands[0].startswith("SELECT INBOX QRESYNC")
    assert (result.mode, result.flags_changed, result.removed) == ("qresync", 1, 1)
    assert cached_state(cache, "INBOX") == server.state("INBOX")


BULK = SyncOptions(first_batch=3, growth=2, max_chunk=8, write_batch=4, bulk_min=10)


def _sort_indexes(cache) -> set[str]:
    from govmail_desktop.store.schema import BULK_SORT_INDEXES

    rows = cache._conn().execute("SELECT name FROM sqlite_master WHERE type='index'")
    return {r[0] for r in rows} & set(BULK_SORT_INDEXES)


def test_big_initial_sync_bulk_loads_and_ends_fully_indexed(server, cache, listener, monkeypatch):
    """Past the first screen the rows go in with the text sort indexes dropped; at the
    end they are back and every sort order lists the whole folder."""
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.message_rows import SortKey
    from govmail_desktop.store.schema import BULK_SORT_INDEXES

    seen_during: list[set[str]] = []
    original = MailCache.insert_rows

    def spy(self, folder_id, rows):
        seen_during.append(_sort_indexes(self))
        return original(self, folder_id, rows)

    monkeypatch.setattr(MailCache, "insert_rows", spy)
    server.add_messages("INBOX", 30)
    result, _ = run(server, cache, listener, options=BULK)
    assert (result.fetched, result.skipped) == (30, 0) and cached_state(cache, "INBOX") == server.state("INBOX")
    assert seen_during[0] and not seen_during[-1]  # first screen indexed, the bulk part not
    assert _sort_indexes(cache) == set(BULK_SORT_INDEXES)
    fid = cache.folder_id("INBOX")
    for key in SortKey:
        assert sorted(r.uid for r in cache.page(fid, key, False, 0, 100)) == list(range(1, 31))


def test_small_fetch_into_a_big_folder_keeps_the_indexes(server, cache, monkeypatch):
    """New mail in a synced folder must not cost a drop and rebuild of its indexes."""
    from govmail_desktop.store.cache import MailCache

    server.add_messages("INBOX", 30)
    run(server, cache, options=BULK)
    calls: list[int] = []
    monkeypatch.setattr(MailCache, "bulk_load", lambda self: calls.append(1))
    server.add_messages("INBOX", 12)  # >= bulk_min, but fewer than the folder holds
    result, _ = run(server, cache, options=BULK)
    assert (result.fetched, result.skipped) == (12, 0) and calls == []


def test_bulk_sync_dying_midway_leaves_a_usable_cache_that_resumes(server, cache, tmp_path):
    """The connection drops inside the bulk phase: the indexes come back at once (and a
    process killed there gets them back at the next open); a new sync finishes the job."""
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.message_rows import SortKey
    from govmail_desktop.store.schema import BULK_SORT_INDEXES

    server.add_messages("INBOX", 40)
    server.drop_after_rows = 20
    with pytest.raises(NetworkError):
        run(server, cache, options=BULK)
    fid = cache.folder_id("INBOX")
    assert 3 < cache.count(fid) < 40 and cache.folder(fid).uidnext is None
    assert _sort_indexes(cache) == set(BULK_SORT_INDEXES)

    cache._drop_sort_indexes()  # as if the process had died inside bulk_load()
    cache.close()
    reopened = MailCache(tmp_path / "cache.sqlite3")
    try:
        assert not reopened.rebuilt and _sort_indexes(reopened) == set(BULK_SORT_INDEXES)
        result, _ = run(server, reopened, options=BULK)
        assert result.mode == "initial" and cached_state(reopened, "INBOX") == server.state("INBOX")
        assert len(reopened.page(fid, SortKey.SUBJECT, True, 0, 100)) == 40
    finally:
        reopened.close()


def test_a_failed_background_write_ends_the_sync_with_that_error_and_nothing_half_done(server, cache, tmp_path,
                                                                                        monkeypatch):
    """Disk full while the writer thread stores a bulk batch: the sync fails with the
    StorageError (not a later one), no row of that batch is announced, the indexes come
    back, and the next sync completes the folder."""
    from govmail_desktop.core.errors import StorageError
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.schema import BULK_SORT_INDEXES
    from tests.unit.sync.conftest import RecordingListener

    server.add_messages("INBOX", 40)
    original = MailCache.insert_rows
    calls = []

    def failing(self, folder_id, rows):
        calls.append(len(rows))
        if len(calls) == 4:  # a batch of the bulk part, on the writer thread
            raise StorageError(detail="disk full (simulated)")
        return original(self, folder_id, rows)

    monkeypatch.setattr(MailCache, "insert_rows", failing)
    listener = RecordingListener()
    with pytest.raises(StorageError, match="simulated"):
        run(server, cache, listener, options=BULK)
    announced = {uid for c in listener.of("inserted") for uid in c[2]}
    fid = cache.folder_id("INBOX")
    assert announced == set(cache.known_uids(fid)) and 3 < len(announced) < 40
    assert _sort_indexes(cache) == set(BULK_SORT_INDEXES)
    assert cache.folder(fid).uidnext is None  # not claimed complete

    monkeypatch.setattr(MailCache, "insert_rows", original)
    result, _ = run(server, cache, options=BULK)
    assert cached_state(cache, "INBOX") == server.state("INBOX") and result.mode == "initial"


def test_the_fake_servers_rows_take_the_fused_row_path(server, cache, monkeypatch):
    """The sync offers every connection its row builder (it does not ask which kind of
    connection it has), so the fake server's rows take the path a real server's take:
    each built by rows.fast_row from the response's bytes, the same as the general path."""
    built = []
    fast_row = rows.fast_row

    def counted(memo, folder_id, match, literal):
        row = fast_row(memo, folder_id, match, literal)
        built.append(None if row is None else row.uid)
        return row

    monkeypatch.setattr(rows, "fast_row", counted)
    server.add_messages("INBOX", 20, flags=["\\Seen"])
    result, _ = run(server, cache)
    assert sorted(built) == list(range(1, 21))
    assert (result.fetched, result.skipped) == (20, 0)
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    summary = cache.summary(cache.folder_id("INBOX"), 20)
    assert (summary.subject, summary.from_[0].name, summary.flags) == ("ข้อความ 20", "สมชาย ใจดี", {"\\Seen"})
