"""The sync engine against the real Dovecot, through the policy-enforced connection.

Covered: initial sync into the cache; a
message delivered by LMTP appearing through IDLE; flags and expunges made by
another client arriving by QRESYNC; a UIDVALIDITY change; the server stopped
mid-sync and restarted; offline actions replayed. "Cache equals server" is
checked against imapclient's view of the server (a different parser).
"""

from __future__ import annotations

import threading
import uuid

import pytest

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.errors import ActionRefused, GovMailError, NetworkError
from govmail_desktop.net import failures
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from govmail_desktop.sync import offline
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.engine import sync_account
from govmail_desktop.sync.folder_list import sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from govmail_desktop.sync.idle import IdleLoop
from govmail_desktop.sync.listener import SyncListener
from tests.integration.sync_helpers import cache_state, fill, make_message, open_wire, server_state
from tests.unit.sync.fake_server import COURIER_CAPS

pytestmark = pytest.mark.integration

SMALL = SyncOptions(first_batch=10, growth=2, max_chunk=40, write_batch=10)


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


def unique_folder(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:6]}"


def sync(server, cache, folder, user="alice", listener=None, options=SMALL):
    wire = open_wire(server, user)
    try:
        sync_folder_list(wire, cache)
        return FolderSync(wire, cache, listener, None, options).run(folder)
    finally:
        wire.logout()


def test_initial_sync_of_a_thai_folder(dovecot, cache):
    folder = unique_folder("งานสารบรรณ")
    fill(dovecot, "bob", folder, 45, prefix="หนังสือเวียน")
    result = sync(dovecot, cache, folder, "bob")
    assert result.mode == "initial" and result.fetched == 45 and result.skipped == 0
    assert cache_state(cache, folder) == server_state(dovecot, "bob", folder)
    fid = cache.folder_id(folder)
    newest = cache.summary(fid, max(cache.known_uids(fid)))
    assert newest.subject == "หนังสือเวียน 44"
    assert newest.from_[0].name == "สมชาย ใจดี" and newest.from_[0].email == "somchai@agency.go.th"
    cached = cache.folder(fid)
    assert cached.uidvalidity and cached.uidnext and cached.highestmodseq  # complete: QRESYNC next time
    # A second sync with nothing changed is a QRESYNC SELECT only.
    again = sync(dovecot, cache, folder, "bob")
    assert (again.mode, again.fetched, again.flags_changed, again.removed, again.skipped) == ("qresync", 0, 0, 0, 0)


def test_lmtp_delivery_appears_through_idle(dovecot, cache):
    sync(dovecot, cache, "INBOX", "carol")
    changed = threading.Event()
    stop = CancelToken()
    idle_wire = open_wire(dovecot, "carol")
    loop = IdleLoop(idle_wire, lambda events: changed.set(), stop, wake_every=0.2)
    watcher = threading.Thread(target=loop.run, daemon=True)
    watcher.start()
    try:
        for _ in range(100):
            if loop.watching:
                break
            stop.wait(0.05)
        assert loop.watching
        message_id = f"<{uuid.uuid4().hex}@agency.go.th>"
        dovecot.deliver("carol", make_message("หนังสือด่วนที่สุด", message_id=message_id))
        assert changed.wait(15), "IDLE reported nothing after an LMTP delivery"
        result = sync(dovecot, cache, "INBOX", "carol")
        assert result.mode == "qresync" and result.new_mail == 1
        fid = cache.folder_id("INBOX")
        ids = {cache.summary(fid, uid).message_id for uid in cache.known_uids(fid)}
        assert message_id in ids
    finally:
        stop.cancel()
        watcher.join(10)
        idle_wire.logout()
    assert not watcher.is_alive()


def test_flags_and_expunges_by_another_client_arrive_by_qresync(dovecot, cache):
    folder = unique_folder("qresync")
    uids = fill(dovecot, "alice", folder, 30)
    sync(dovecot, cache, folder)
    with dovecot.imap("alice") as other:
        other.select_folder(folder)
        other.add_flags(uids[:5], [b"\\Flagged"])
        other.remove_flags(uids[0:30:3], [b"\\Seen"])
        other.add_flags(uids[10:14], [b"\\Deleted"])
        other.expunge()
    result = sync(dovecot, cache, folder)
    assert result.mode == "qresync"
    # Changed: \Flagged on 0-4, \Seen off 0, 3, ... 27 (12 was expunged): 12 messages.
    assert result.removed == 4 and result.flags_changed == 12
    assert cache_state(cache, folder) == server_state(dovecot, "alice", folder)


def test_uidvalidity_change_resets_the_folder_cache(dovecot, cache):
    folder = unique_folder("recreated")
    fill(dovecot, "alice", folder, 8)
    sync(dovecot, cache, folder)
    fid = cache.folder_id(folder)
    old_validity = cache.folder(fid).uidvalidity
    with dovecot.imap("alice") as other:
        other.delete_folder(folder)
    fill(dovecot, "alice", folder, 3, prefix="ใหม่")
    listener = RecordingResets()
    result = sync(dovecot, cache, folder, listener=listener)
    assert result.reset and listener.resets == [cache.folder_id(folder)]
    assert cache.folder(cache.folder_id(folder)).uidvalidity != old_validity
    assert cache_state(cache, folder) == server_state(dovecot, "alice", folder)
    fid = cache.folder_id(folder)
    subjects = {cache.summary(fid, uid).subject for uid in cache.known_uids(fid)}
    assert subjects == {"ใหม่ 0", "ใหม่ 1", "ใหม่ 2"}


class RecordingNotices(SyncListener):
    def __init__(self) -> None:
        self.resets: list[int] = []
        self.notices: list[str] = []

    def folder_reset(self, folder_id: int) -> None:
        self.resets.append(folder_id)

    def action_settled(self, op_id: int, outcome: Outcome, error: GovMailError | None) -> None:
        assert outcome is Outcome.FAILED and isinstance(error, ActionRefused)
        self.notices.append(error.reason)


def test_offline_replay_into_a_recreated_thai_folder_drops_the_action_and_resets_the_cache(dovecot, cache, tmp_path):
    """An action queued offline, the folder deleted and recreated with the same name on the
    server (new UIDVALIDITY), then back online: the replay SELECTs the folder on the same
    connection the folder sync then uses. The action is dropped with a notice for the user
    and the sync sees the new UIDVALIDITY despite the folder being selected already."""
    folder = unique_folder("หนังสือราชการ")
    uids = fill(dovecot, "alice", folder, 5)
    sync(dovecot, cache, folder)
    fid = cache.folder_id(folder)
    old_validity = cache.folder(fid).uidvalidity
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    listener = RecordingNotices()
    offline.record_action(cache, queue, listener, OpKind.FLAGS, folder, uids[:2], add=["\\Flagged"])
    with dovecot.imap("alice") as other:
        other.delete_folder(folder)
    fill(dovecot, "alice", folder, 3, prefix="ใหม่")
    wire = open_wire(dovecot, "alice")
    try:
        replayed = offline.replay(wire, cache, queue, listener)
        assert (replayed.dropped, replayed.done, queue.count(), wire.selected) == (1, 0, 0, folder)
        assert listener.notices == [ActionRefused.FOLDER_REBUILT]
        result = FolderSync(wire, cache, listener, None, SMALL).run(folder)
    finally:
        wire.logout()
        queue.close()
    assert result.reset and listener.resets == [fid]
    assert cache.folder(fid).uidvalidity != old_validity
    state = server_state(dovecot, "alice", folder)
    assert cache_state(cache, folder) == state and not any("\\Flagged" in f for f in state.values())
    assert {cache.summary(fid, uid).subject for uid in cache.known_uids(fid)} == {"ใหม่ 0", "ใหม่ 1", "ใหม่ 2"}


class RecordingResets(SyncListener):
    def __init__(self) -> None:
        self.resets: list[int] = []

    def folder_reset(self, folder_id: int) -> None:
        self.resets.append(folder_id)


class StopServerAfterFirstRows(SyncListener):
    def __init__(self, server) -> None:
        self.server = server
        self.stopped = False

    def rows_inserted(self, folder_id, uids):
        if not self.stopped:
            self.stopped = True
            self.server.stop()


def test_server_stopped_mid_sync_then_restarted(fresh_dovecot, cache):
    server = fresh_dovecot()
    folder = "INBOX"
    fill(server, "alice", folder, 120)
    wire = open_wire(server, "alice")
    sync_folder_list(wire, cache)
    listener = StopServerAfterFirstRows(server)
    with pytest.raises(NetworkError) as info:
        FolderSync(wire, cache, listener, None, SMALL).run(folder)
    assert (type(info.value), info.value.code) == (NetworkError, failures.CONNECTION_CLOSED)
    wire.close()
    fid = cache.folder_id(folder)
    assert 0 < cache.count(fid) < 120
    server.start()
    # Changes made while we were away must show too.
    with server.imap("alice") as other:
        other.select_folder(folder)
        uids = other.search("ALL")
        other.add_flags(uids[:3], [b"\\Answered"])
        other.delete_messages(uids[-2:])
        other.expunge()
    result = sync(server, cache, folder)
    assert result.mode == "initial"
    assert cache_state(cache, folder) == server_state(server, "alice", folder)
    assert len(cache_state(cache, folder)) == 118


def test_offline_actions_are_queued_and_replayed(dovecot, cache, tmp_path):
    folder = unique_folder("offline")
    uids = fill(dovecot, "alice", folder, 6)
    sync(dovecot, cache, "Trash")
    sync(dovecot, cache, folder)
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    listener = SyncListener()
    # Offline: no connection exists while the user works.
    offline.record_action(cache, queue, listener, OpKind.FLAGS, folder, uids[:2], add=["\\Seen", "\\Flagged"])
    offline.record_action(cache, queue, listener, OpKind.MOVE, folder, [uids[2]], target="Trash")
    offline.record_action(cache, queue, listener, OpKind.DELETE, folder, [uids[3]])
    assert queue.count() == 3
    before = server_state(dovecot, "alice", folder)
    assert len(before) == 6 and "\\Flagged" not in before[uids[0]]
    queue.close()
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")  # survives a restart of the app
    wire = open_wire(dovecot, "alice")
    try:
        result = offline.replay(wire, cache, queue, listener)
    finally:
        wire.logout()
    assert (result.done, result.failed, queue.count()) == (3, 0, 0)
    after = server_state(dovecot, "alice", folder)
    assert set(after) == {uids[0], uids[1], uids[4], uids[5]}
    assert {"\\Seen", "\\Flagged"} <= after[uids[0]]
    sync(dovecot, cache, folder)
    assert cache_state(cache, folder) == after
    queue.close()


def test_copy_replayed_on_dovecot_keeps_the_originals(dovecot, cache, tmp_path):
    folder, target = unique_folder("copyfrom"), unique_folder("copyto")
    uids = fill(dovecot, "alice", folder, 3)
    fill(dovecot, "alice", target, 0)
    sync(dovecot, cache, folder)
    sync(dovecot, cache, target)
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    offline.record_action(cache, queue, SyncListener(), OpKind.COPY, folder, uids[:2], target=target)
    wire = open_wire(dovecot, "alice")
    try:
        result = offline.replay(wire, cache, queue, SyncListener())
    finally:
        wire.logout()
    assert (result.done, result.failed) == (1, 0)
    assert set(server_state(dovecot, "alice", folder)) == set(uids)
    assert len(server_state(dovecot, "alice", target)) == 2
    sync(dovecot, cache, target)
    assert cache_state(cache, target) == server_state(dovecot, "alice", target)
    queue.close()


def test_resync_on_the_open_connection_sees_other_clients(dovecot, cache):
    folder = unique_folder("open")
    uids = fill(dovecot, "alice", folder, 12)
    wire = open_wire(dovecot, "alice")
    sent: list[bytes] = []
    real_send = wire.transport.send
    wire.transport.send = lambda data: (sent.append(data), real_send(data))[1]
    try:
        sync_folder_list(wire, cache)
        FolderSync(wire, cache, None, None, SMALL).run(folder)
        with dovecot.imap("alice") as other:
            other.select_folder(folder)
            other.add_flags(uids[:2], [b"\\Flagged"])
            other.delete_messages(uids[5:7])
            other.expunge()
        fill(dovecot, "alice", folder, 2, prefix="มาใหม่")
        sent.clear()
        result = FolderSync(wire, cache, None, None, SMALL).run(folder)
        assert not any(b" SELECT " in line for line in sent)
        assert result.mode == "qresync" and result.removed == 2 and result.fetched == 2 and result.skipped == 0
        assert cache_state(cache, folder) == server_state(dovecot, "alice", folder)
    finally:
        wire.logout()


def test_delete_for_good_outside_the_trash_expunges_without_a_copy_in_the_trash(dovecot, cache, tmp_path):
    folder = unique_folder("forgood")
    uids = fill(dovecot, "alice", folder, 3)
    sync(dovecot, cache, "Trash")
    sync(dovecot, cache, folder)
    trash_before = server_state(dovecot, "alice", "Trash")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    listener = SyncListener()
    offline.record_action(cache, queue, listener, OpKind.EXPUNGE, folder, [uids[0]])
    offline.record_action(cache, queue, listener, OpKind.DELETE, folder, [uids[1]])
    assert uids[0] not in cache_state(cache, folder)  # shown at once
    wire = open_wire(dovecot, "alice")
    try:
        result = offline.replay(wire, cache, queue, listener)
    finally:
        wire.logout()
    assert (result.done, result.failed) == (2, 0)
    assert set(server_state(dovecot, "alice", folder)) == {uids[2]}
    # The plain delete went to the Trash; the permanent one left no copy there.
    assert len(server_state(dovecot, "alice", "Trash")) == len(trash_before) + 1
    queue.close()


@pytest.mark.parametrize("capabilities", [None, " ".join(COURIER_CAPS)], ids=["list-extended", "lsub"])
def test_folder_unsubscribed_by_another_client_is_not_synced_periodically(fresh_dovecot, cache, capabilities):
    # The periodic sync (sync_account) checks the subscribed folders, the INBOX and the
    # special folders; an unsubscribed folder stays listed (the tree shows it) unsynced.
    # Dovecot as itself answers LIST ... RETURN (SUBSCRIBED); without LIST-EXTENDED, LSUB.
    server = fresh_dovecot(capabilities=capabilities)
    kept, dropped = "โครงการ", "เก่า 2560"
    for name in (kept, dropped):
        server.create_folder("alice", name)  # created and subscribed
        fill(server, "alice", name, 3)
    with server.imap("alice") as other:
        other.unsubscribe_folder(server.mailbox(dropped))
        subscribed = {name for _flags, _delim, name in other.list_sub_folders()}
    assert kept in subscribed and dropped not in subscribed and "INBOX" not in subscribed
    fill(server, "alice", "INBOX", 2)
    wire = open_wire(server, "alice")
    try:
        results = sync_account(wire, cache, None, SyncListener(), CancelToken(), SMALL)
    finally:
        wire.logout()
    assert {r.folder for r in results} == {"INBOX", "Drafts", "Sent", "Trash", "Junk", kept}
    assert cache_state(cache, kept) == server_state(server, "alice", kept)
    assert cache_state(cache, "INBOX") == server_state(server, "alice", "INBOX")
    fid = cache.folder_id(dropped)
    assert fid is not None and list(cache.known_uids(fid)) == []
    assert not cache.folder(fid).folder.subscribed and cache.folder(cache.folder_id(kept)).folder.subscribed
