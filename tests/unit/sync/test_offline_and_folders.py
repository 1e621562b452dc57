"""Folder list sync, offline actions and their replay, IDLE loop, backoff, conversion."""

from __future__ import annotations

import dataclasses
import random
import threading

import pytest

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import MessageSummary, SpecialUse
from govmail_desktop.core.errors import ActionRefused, NetworkError
from govmail_desktop.net import failures
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.net.imap.responses import Exists, FolderListing
from govmail_desktop.store.message_rows import summary_row
from govmail_desktop.store.op_queue import OpKind
from govmail_desktop.sync import convert, offline
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.control import Backoff, CancelToken
from govmail_desktop.sync.engine import folders_in_sync_order, sync_account
from govmail_desktop.sync.folder_list import folder_of, sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from govmail_desktop.sync.idle import IdleLoop
from tests.unit.sync.conftest import cached_state
from tests.unit.sync.fake_server import BASIC_CAPS, FakeServer

# -- folder list -------------------------------------------------------------------------


def test_folder_list_with_special_use_thai_names_and_counts(server, cache, listener):
    server.add_folder("งานสารบรรณ/2569")
    server.add_messages("INBOX", 3)
    result = sync_folder_list(prepare(server.connect()), cache, listener)
    assert set(result.ids) == {"INBOX", "Trash", "Sent", "งานสารบรรณ/2569"}
    by_name = {f.name: f for f in cache.folders()}
    assert by_name["Trash"].folder.special_use == SpecialUse.TRASH
    assert by_name["งานสารบรรณ/2569"].folder.parts == ("งานสารบรรณ", "2569")
    assert (by_name["INBOX"].server_messages, by_name["INBOX"].server_unseen) == (3, 3)
    assert listener.of("folders")

    del server.folders["Sent"]
    result = sync_folder_list(prepare(server.connect()), cache, listener)
    assert result.removed == ["Sent"] and cache.folder_id("Sent") is None


def test_folder_list_without_list_status_asks_status(cache):
    server = FakeServer(BASIC_CAPS)
    server.add_messages("INBOX", 2)
    conn = server.connect()
    sync_folder_list(conn, cache)
    assert "STATUS INBOX" in conn.commands
    assert cache.folder(cache.folder_id("INBOX")).server_messages == 2


def test_listing_attributes_become_entities():
    folder = folder_of(FolderListing("Sent", b"Sent", "/", frozenset({"\\sent", "\\subscribed"})))
    assert folder.special_use == SpecialUse.SENT and folder.subscribed
    assert "\\subscribed" not in folder.attributes
    unsubscribed = folder_of(FolderListing("Old", b"Old", "/", frozenset({"\\hasnochildren"})))
    assert unsubscribed.subscribed  # without LIST-EXTENDED nothing says otherwise


def test_sync_account_order_and_result(server, cache, listener):
    server.add_folder("Archive 2566")
    for name in ("INBOX", "Sent", "Archive 2566"):
        server.add_messages(name, 2)
    seen = []
    results = sync_account(prepare(server.connect()), cache, None, listener, CancelToken(), SyncOptions(), seen.append)
    assert seen[:3] == ["INBOX", "Sent", "Trash"]
    assert {r.folder for r in results} == {"INBOX", "Sent", "Trash", "Archive 2566"}
    assert [f.name for f in folders_in_sync_order(cache.folders())][0] == "INBOX"
    for name in ("INBOX", "Sent", "Archive 2566"):
        assert cached_state(cache, name) == server.state(name)


# -- offline actions -------------------------------------------------------------------------


def synced(server, cache, *folders):
    conn = prepare(server.connect())
    sync_folder_list(conn, cache)
    for name in folders or ("INBOX",):
        FolderSync(conn, cache).run(name)
    return conn


def test_actions_show_at_once_and_replay_in_order(server, cache, queue, listener):
    server.add_messages("INBOX", 6)
    synced(server, cache)
    fid = cache.folder_id("INBOX")
    offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1, 2], add=["\\Seen"])
    offline.record_action(cache, queue, listener, OpKind.MOVE, "INBOX", [3], target="Sent")
    offline.record_action(cache, queue, listener, OpKind.DELETE, "INBOX", [4])
    # Shown at once, before any server contact:
    assert cache.flags_of(fid, 1) == frozenset({"\\Seen"})
    assert 3 not in cache.known_uids(fid) and 4 not in cache.known_uids(fid)
    assert ("changed", fid, [1, 2]) in listener.calls and listener.of("removed")
    assert queue.count() == 3 and server.state("INBOX")[1] == frozenset()

    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert (result.done, result.failed, queue.count()) == (3, 0, 0)
    assert server.state("INBOX") == {1: {"\\Seen"}, 2: {"\\Seen"}, 5: set(), 6: set()}
    assert len(server.folders["Sent"].messages) == 1 and len(server.folders["Trash"].messages) == 1
    # The next sync agrees with what was shown.
    FolderSync(prepare(server.connect()), cache).run("INBOX")
    assert cached_state(cache, "INBOX") == server.state("INBOX")


def test_copy_keeps_the_originals_and_puts_copies_in_the_target(server, cache, queue, listener):
    server.add_messages("INBOX", 3)
    synced(server, cache)
    fid = cache.folder_id("INBOX")
    offline.record_action(cache, queue, listener, OpKind.COPY, "INBOX", [1, 3], target="Sent")
    assert sorted(cache.known_uids(fid)) == [1, 2, 3] and not listener.of("removed")  # nothing to show here
    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert (result.done, result.failed, queue.count()) == (1, 0, 0)
    assert sorted(server.state("INBOX")) == [1, 2, 3]
    assert sorted(m.subject for m in server.folders["Sent"].messages.values()) == sorted(
        server.folders["INBOX"].messages[u].subject for u in (1, 3)
    )


def test_refused_copy_is_reported_and_changes_nothing(server, cache, queue, listener):
    server.add_messages("INBOX", 2)
    synced(server, cache)
    offline.record_action(cache, queue, listener, OpKind.COPY, "INBOX", [1], target="Nope")
    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert (result.done, result.failed, queue.count()) == (0, 1, 0)
    assert [m.text("en") for m in result.messages] == ["The server did not copy the messages from INBOX to Nope."]
    assert sorted(cache.known_uids(cache.folder_id("INBOX"))) == [1, 2]


def test_delete_inside_trash_expunges(server, cache, queue, listener):
    server.add_messages("Trash", 2)
    synced(server, cache, "Trash")
    offline.record_action(cache, queue, listener, OpKind.DELETE, "Trash", [1])
    offline.replay(prepare(server.connect()), cache, queue, listener)
    assert list(server.state("Trash")) == [2]


def test_refused_action_is_rolled_back_and_reported(server, cache, queue, listener):
    server.add_messages("INBOX", 3)
    synced(server, cache)
    fid = cache.folder_id("INBOX")
    move = offline.record_action(cache, queue, listener, OpKind.MOVE, "INBOX", [2], target="Sent")
    flag = offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1], add=["\\Flagged"])
    server.refuse["MOVE"] = None
    server.refuse["STORE"] = "CANNOT"
    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert (result.done, result.failed, queue.count()) == (0, 2, 0)
    assert 2 in cache.known_uids(fid)  # the move was undone in the cache
    assert cache.flags_of(fid, 1) == frozenset()  # and the flag
    settled = listener.of("settled")
    assert [(op_id, outcome) for _, op_id, outcome, _ in settled] == [(move, Outcome.FAILED), (flag, Outcome.FAILED)]
    assert all(isinstance(e, ActionRefused) and e.reason == ActionRefused.REFUSED for *_, e in settled)
    assert "INBOX" in settled[0][3].user_text("en") and "Sent" in settled[0][3].user_text("th")


def test_a_refused_move_is_rolled_back_exactly_once_and_settles_once_under_its_id(server, cache, queue, listener):
    """One undo for an action: the replay's (from the server's state). The moved message is
    put back once, the action ends once, and the actions around it end DONE under theirs."""
    server.add_messages("INBOX", 4)
    synced(server, cache)
    fid = cache.folder_id("INBOX")
    before = listener.calls[:]
    read = offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1], add=["\\Seen"])
    move = offline.record_action(cache, queue, listener, OpKind.MOVE, "INBOX", [3], target="Sent")
    again = offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1], add=["\\Seen"])
    assert len({read, move, again}) == 3 and [op.op_id for op in queue.pending()] == [read, move, again]
    assert 3 not in cache.known_uids(fid)
    server.refuse["MOVE"] = None
    offline.replay(prepare(server.connect()), cache, queue, listener)
    new_calls = listener.calls[len(before):]
    assert [c for c in new_calls if c[0] == "inserted"] == [("inserted", fid, [3])]  # put back once
    assert [(c[1], c[2]) for c in new_calls if c[0] == "settled"] == [
        (read, Outcome.DONE), (move, Outcome.FAILED), (again, Outcome.DONE)
    ]
    assert sorted(cache.known_uids(fid)) == [1, 2, 3, 4] and queue.count() == 0
    offline.replay(prepare(server.connect()), cache, queue, listener)  # nothing left: nothing settles twice
    assert len(listener.of("settled")) == 3


def test_an_action_whose_cache_change_fails_is_not_left_in_the_queue(server, cache, queue, listener, monkeypatch):
    from govmail_desktop.core.errors import StorageError

    server.add_messages("INBOX", 2)
    synced(server, cache)

    def disk_full(*args, **kwargs):
        raise StorageError(detail="disk full")

    monkeypatch.setattr(cache, "expunge", disk_full)
    with pytest.raises(StorageError) as info:
        offline.record_action(cache, queue, listener, OpKind.DELETE, "INBOX", [2])
    assert (type(info.value), info.value.detail) == (StorageError, "disk full")  # the cache's own error
    assert queue.count() == 0 and not listener.of("removed")  # nothing done, nothing to send


def test_transient_refusal_keeps_the_action_queued(server, cache, queue, listener):
    server.add_messages("INBOX", 2)
    synced(server, cache)
    offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1], add=["\\Seen"])
    offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [2], add=["\\Seen"])
    server.refuse["STORE"] = "INUSE"
    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert (result.postponed, queue.count()) == (1, 2)
    assert offline.replay(prepare(server.connect()), cache, queue, listener).done == 2


def test_network_failure_keeps_the_rest_queued(server, cache, queue, listener):
    server.add_messages("INBOX", 2)
    synced(server, cache)
    offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1], add=["\\Seen"])
    conn = prepare(server.connect())
    server.down = True
    with pytest.raises(NetworkError) as info:
        offline.replay(conn, cache, queue, listener)
    assert (type(info.value), info.value.code) == (NetworkError, failures.CONNECTION_CLOSED)
    assert queue.count() == 1
    server.down = False
    offline.replay(prepare(server.connect()), cache, queue, listener)
    assert queue.count() == 0 and server.state("INBOX")[1] == {"\\Seen"}


def test_action_on_a_rebuilt_folder_is_dropped(server, cache, queue, listener):
    server.add_messages("INBOX", 2)
    synced(server, cache)
    offline.record_action(cache, queue, listener, OpKind.FLAGS, "INBOX", [1], add=["\\Seen"])
    server.recreate("INBOX")
    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert result.dropped == 1 and queue.count() == 0
    assert server.state("INBOX")[1] == frozenset()


def test_action_dropped_on_a_rebuilt_folder_is_told_to_the_user(server, cache, queue, listener):
    server.add_messages("INBOX", 2)
    synced(server, cache)
    moved = offline.record_action(cache, queue, listener, OpKind.MOVE, "INBOX", [2], target="Sent")
    server.recreate("INBOX")
    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert (result.dropped, result.done, result.failed) == (1, 0, 0)
    expected = "An action made offline in the folder INBOX was not sent: the folder was rebuilt on the server."
    assert [m.text("en") for m in result.messages] == [expected]
    # Not only in the log: the action ends FAILED, for the status bar, with a typed reason.
    [(_, op_id, outcome, error)] = listener.of("settled")
    assert (op_id, outcome, error.reason) == (moved, Outcome.FAILED, ActionRefused.FOLDER_REBUILT)
    assert error.message == result.messages[0]
    assert len(server.folders["Sent"].messages) == 0


# -- IDLE -------------------------------------------------------------------------------------


def test_idle_loop_reports_changes_and_stops():
    server = FakeServer()
    conn = prepare(server.connect())
    stop = CancelToken()
    seen = []
    loop = IdleLoop(conn, lambda events: (seen.extend(events), stop.cancel()), stop, wake_every=0.05)
    worker = threading.Thread(target=loop.run)
    worker.start()
    for _ in range(200):
        if loop.watching:
            break
        stop.wait(0.01)
    server.add_messages("INBOX", 1)
    worker.join(5)
    assert not worker.is_alive()
    assert seen == [Exists(1)]
    assert conn.commands[1:3] == ["EXAMINE INBOX", "IDLE"]


def test_idle_loop_raises_when_the_server_goes_away():
    server = FakeServer()
    conn = prepare(server.connect())
    loop = IdleLoop(conn, lambda events: None, CancelToken(), wake_every=0.01)
    server.down = True
    with pytest.raises(NetworkError) as info:
        loop.run()
    assert (type(info.value), info.value.code) == (NetworkError, failures.CONNECTION_CLOSED)


# -- reconnect timing ----------------------------------------------------------------------


def test_backoff_grows_caps_jitters_and_resets():
    backoff = Backoff(initial=1, factor=2, maximum=10, jitter=0, rng=random.Random(1))
    assert [backoff.next_delay() for _ in range(6)] == [1, 2, 4, 8, 10, 10]
    backoff.reset()
    assert backoff.next_delay() == 1
    jittered = Backoff(initial=10, jitter=0.2, rng=random.Random(7))
    delays = {jittered.next_delay()} | {Backoff(initial=10, jitter=0.2).next_delay() for _ in range(20)}
    assert all(8 <= d <= 12 for d in delays) and len(delays) > 1


# -- conversion ------------------------------------------------------------------------------


def _message(header: bytes = b"") -> FetchedMessage:
    block = (
        "From: =?utf-8?B?4Lic4Li54LmJ4Lit4Liz4LiZ4Lin4Lii4LiB4Liy4Lij?= <director@agency.go.th>\r\n"
        "Subject: =?utf-8?B?4Lin4Liy4Lij4Liw4LiB4Liy4Lij4Lib4Lij4Liw4LiK4Li44Lih?=\r\n"
        "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <m@x>\r\nIn-Reply-To: <p@x>\r\n"
    ).encode("ascii") + header
    return FetchedMessage(4, 42, ("\\Seen", "$Forwarded"), 1_700_000_100, 2048, 7, {convert.HEADER_SECTION: block})


def test_summary_matches_the_dataclass_constructor():
    header = b"References: <a@x>\r\n <p@x>\r\nContent-Type: multipart/mixed;\r\n boundary=x\r\n\r\n"
    fast = convert.summary_of(_message(header))
    slow = MessageSummary(**{f.name: getattr(fast, f.name) for f in dataclasses.fields(MessageSummary)})
    assert fast == slow and summary_row(1, fast) == summary_row(1, slow)
    assert fast.references == ("<a@x>", "<p@x>") and fast.has_attachments
    assert fast.flags == frozenset({"\\Seen", "$Forwarded"}) and fast.from_[0].email == "director@agency.go.th"
    assert convert.summary_of(_message(b"Content-Type: text/plain\r\n\r\n")).has_attachments is False
    with pytest.raises(TypeError):
        convert.new_summary(uid=1, nonsense=2)


def test_rows_without_uid_or_header_fields_are_not_summaries():
    assert convert.summary_of(FetchedMessage(1, None, (), None, None, None)) is None
    assert convert.summary_of(_message()._replace(sections=None)) is None
