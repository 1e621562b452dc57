"""The user's scenarios on every kind of server agencies run.

Each scenario runs the app's own engine — the policy-checked connection
(``ImapSession`` → ``ImapWire``), the folder list and its special folders, the
folder sync, the offline-action queue that Delete and Move go through, the IDLE
watcher — against Dovecot, Dovecot with Zimbra's capabilities (with and without
special-use attributes), Cyrus and Courier (tests/integration/interop_helpers.py).
What the server holds afterwards is read with imapclient, an independent parser:
the cache must equal it (UIDs, flags, sizes, Message-IDs).

``make test`` runs everything on Dovecot and the Zimbra profiles, and a short slice
on Cyrus and Courier (login, full sync of the samples, Delete to Trash, IDLE); the
rest is marked ``interop_full`` and runs with ``make test-interop``. XLIST, which
none of these implements as Zimbra does, is in test_interop_zimbra_xlist.py.
"""

from __future__ import annotations

import threading
import uuid

import pytest

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import AuthError
from govmail_desktop.net import failures
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from govmail_desktop.sync import offline
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.engine import folders_in_sync_order, sync_account
from govmail_desktop.sync.folder_list import sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from govmail_desktop.sync.idle import IdleLoop
from govmail_desktop.sync.listener import SyncListener
from tests.integration.interop_helpers import (
    KINDS,
    PACKAGED,
    Interop,
    InteropServers,
    app_wire,
    append_fresh,
    cache_view,
    message_ids,
    open_app_wire,
    seed_samples,
    server_view,
    wait_until,
)
from tests.integration.sync_helpers import make_message
from tests.servers.packaged import ensure_mailbox

pytestmark = [pytest.mark.integration, pytest.mark.interop]

SMALL = SyncOptions(first_batch=4, growth=2, max_chunk=16, write_batch=4)
#: What `make test` runs on Cyrus and Courier; the other scenarios there are interop_full.
SHORT_SLICE = frozenset({"login", "full_sync", "delete_to_trash", "idle"})
THAI_FOLDER = "งานสารบรรณ"


def on_every_server(scenario: str, *, everywhere: bool = True):
    """Parametrise over every kind; ``interop_full`` where `make test` does not run it
    (Cyrus and Courier beyond the short slice; every kind when not ``everywhere``)."""

    def marks(kind: str) -> list[pytest.MarkDecorator]:
        full = not everywhere or (kind in PACKAGED and scenario not in SHORT_SLICE)
        return [pytest.mark.interop_full] if full else []

    return pytest.mark.parametrize(
        "interop", [pytest.param(kind, id=kind, marks=marks(kind)) for kind in KINDS], indirect=True
    )


@pytest.fixture(scope="session")
def interop_servers(certs):
    servers = InteropServers(certs)
    yield servers
    servers.cleanup()


@pytest.fixture
def interop(request, interop_servers) -> Interop:
    return interop_servers.get(request.param)


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


@pytest.fixture
def queue(tmp_path):
    q = OfflineOpQueue(tmp_path / "ops.sqlite3")
    yield q
    q.close()


class Recorder(SyncListener):
    """The announcements the window would get: new mail (by folder), unreadable messages."""

    def __init__(self) -> None:
        self.new_mail_in: list[int] = []
        self.unreadable: list[tuple[int, int]] = []

    def new_mail(self, folder_id: int, *arrived: object) -> None:
        self.new_mail_in.append(folder_id)

    def messages_unreadable(self, folder_id: int, count: int) -> None:
        self.unreadable.append((folder_id, count))


def sync_everything(interop: Interop, user: str, cache: MailCache, listener: SyncListener | None = None):
    """What the app does after connecting: folder list, then every subscribed folder."""
    with app_wire(interop, user) as wire:
        return sync_account(wire, cache, None, listener or SyncListener(), CancelToken(), SMALL)


def sync_one(interop: Interop, user: str, cache: MailCache, folder: str, listener: SyncListener | None = None):
    with app_wire(interop, user) as wire:
        sync_folder_list(wire, cache)
        return FolderSync(wire, cache, listener, None, SMALL).run(folder)


def replay(interop: Interop, user: str, cache: MailCache, queue: OfflineOpQueue, listener: SyncListener):
    with app_wire(interop, user) as wire:
        return offline.replay(wire, cache, queue, listener)


def uids_of(cache: MailCache, folder: str, ids: list[str]) -> list[int]:
    wanted = set(ids)
    return sorted(uid for uid, row in cache_view(cache, folder).items() if row.message_id in wanted)


def assert_cache_equals_server(interop: Interop, user: str, cache: MailCache, *folders: str) -> None:
    for folder in folders:
        assert cache_view(cache, folder) == server_view(interop, user, folder), folder


# -- scenarios -----------------------------------------------------------------------------------
@on_every_server("login")
def test_login_over_starttls_and_implicit_tls(interop):
    for security in ("starttls", "tls"):
        wire = open_app_wire(interop, "login", security=security)
        try:
            assert "IMAP4REV1" in wire.capabilities
            assert wire.select("INBOX", readonly=True).uidvalidity, security
        finally:
            wire.logout()


@on_every_server("folders")
def test_folder_list_finds_the_special_folders_and_a_thai_folder(interop, cache):
    with interop.imap("folders") as client:
        thai = ensure_mailbox(client, interop.server, THAI_FOLDER)
        nested = ensure_mailbox(client, interop.server, "หนังสือราชการ/ขาเข้า")
    with app_wire(interop, "folders") as wire:
        result = sync_folder_list(wire, cache)
    roles = {c.name: c.folder.special_use for c in cache.folders()}
    assert {thai, nested, "INBOX", *interop.roles.values()} <= set(result.ids)
    for role, name in interop.roles.items():
        assert roles[name] == role, (interop.kind, name, roles)
    assert roles[thai] is None and roles[nested] is None
    # The Inbox first, then the special folders, then the rest (the tree's and the sync's order).
    order = [c.name for c in folders_in_sync_order(cache.folders())]
    assert order[0] == "INBOX"
    assert order.index(interop.roles[SpecialUse.TRASH]) < order.index(thai)


@on_every_server("full_sync")
def test_full_sync_stores_every_sample_as_the_server_has_it(interop, cache):
    seeded = seed_samples(interop, "samples")
    listener = Recorder()
    results = sync_everything(interop, "samples", cache, listener)
    assert all(r.skipped == 0 for r in results), [(r.mode, r.fetched, r.skipped) for r in results]
    assert listener.unreadable == []
    folders = sorted({s.folder for s in seeded})
    for folder in folders:
        server = server_view(interop, "samples", folder)
        assert len(server) == sum(1 for s in seeded if s.folder == folder)
        assert cache_view(cache, folder) == server, folder
    for sample in seeded:
        assert sample.uid is not None, f"{interop.kind} sent no APPENDUID for {sample.file}"
        summary = cache.summary(cache.folder_id(sample.folder), sample.uid)
        assert summary is not None, sample.file
        assert summary.subject == sample.expect["subject"], sample.file
        assert summary.from_[0].name == sample.expect["from_name"], sample.file


@on_every_server("resync")
def test_changes_by_another_client_arrive_at_the_next_sync(interop, cache):
    path = f"{THAI_FOLDER}-{uuid.uuid4().hex[:4]}"
    folder = interop.mailbox(path)
    append_fresh(interop, "resync", path, 12)
    first = sync_one(interop, "resync", cache, folder)
    assert (first.fetched, first.skipped) == (12, 0)
    with interop.imap("resync") as other:
        other.select_folder(folder)
        uids = sorted(other.search("ALL"))
        other.add_flags(uids[:3], [b"\\Flagged"])
        other.remove_flags(uids[0:12:3], [b"\\Seen"])
        other.add_flags(uids[8:11], [b"\\Deleted"])
        other.expunge()
    added = append_fresh(interop, "resync", path, 2, prefix="มาใหม่")
    second = sync_one(interop, "resync", cache, folder)
    assert second.removed == 3 and second.fetched == 2 and second.skipped == 0
    if interop.has("QRESYNC", "resync"):
        assert second.mode == "qresync"
    assert set(added) <= set(message_ids(cache_view(cache, folder)))
    assert_cache_equals_server(interop, "resync", cache, folder)


@on_every_server("delete_to_trash")
def test_delete_moves_the_messages_to_the_trash(interop, cache, queue):
    ids = append_fresh(interop, "trash", "INBOX", 5, prefix="ลบ")
    sync_everything(interop, "trash", cache)
    trash = offline.trash_folder(cache)
    assert trash == interop.roles[SpecialUse.TRASH]
    inbox_before = message_ids(server_view(interop, "trash", "INBOX"))
    trash_before = message_ids(server_view(interop, "trash", trash))
    picked = ids[1:3]
    listener = Recorder()
    offline.record_action(cache, queue, listener, OpKind.DELETE, "INBOX", uids_of(cache, "INBOX", picked))
    result = replay(interop, "trash", cache, queue, listener)
    assert (result.done, result.failed) == (1, 0)
    # The server's Trash grew by exactly the deleted messages; the Inbox shrank by them.
    assert message_ids(server_view(interop, "trash", trash)) == sorted(trash_before + picked)
    assert message_ids(server_view(interop, "trash", "INBOX")) == sorted(set(inbox_before) - set(picked))
    sync_one(interop, "trash", cache, "INBOX")
    sync_one(interop, "trash", cache, trash)
    assert_cache_equals_server(interop, "trash", cache, "INBOX", trash)


@on_every_server("move")
def test_move_to_a_thai_folder(interop, cache, queue):
    target = interop.mailbox(THAI_FOLDER)
    with interop.imap("move") as client:
        ensure_mailbox(client, interop.server, THAI_FOLDER)
    ids = append_fresh(interop, "move", "INBOX", 4, prefix="ย้าย")
    sync_everything(interop, "move", cache)
    picked = ids[:2]
    listener = Recorder()
    offline.record_action(cache, queue, listener, OpKind.MOVE, "INBOX", uids_of(cache, "INBOX", picked), target=target)
    result = replay(interop, "move", cache, queue, listener)
    assert (result.done, result.failed) == (1, 0)
    assert message_ids(server_view(interop, "move", target)) == sorted(picked)
    assert message_ids(server_view(interop, "move", "INBOX")) == sorted(ids[2:])
    sync_one(interop, "move", cache, "INBOX")
    sync_one(interop, "move", cache, target)
    assert_cache_equals_server(interop, "move", cache, "INBOX", target)


@on_every_server("purge")
def test_delete_in_the_trash_removes_for_good(interop, cache, queue):
    ids = append_fresh(interop, "purge", "INBOX", 3, prefix="ทิ้ง")
    sync_everything(interop, "purge", cache)
    trash = interop.roles[SpecialUse.TRASH]
    listener = Recorder()
    offline.record_action(cache, queue, listener, OpKind.DELETE, "INBOX", uids_of(cache, "INBOX", ids))
    assert replay(interop, "purge", cache, queue, listener).done == 1
    sync_one(interop, "purge", cache, trash)
    assert set(ids) <= set(message_ids(cache_view(cache, trash)))
    # Delete again, in the Trash: gone from the server, no copy anywhere.
    offline.record_action(cache, queue, listener, OpKind.DELETE, trash, uids_of(cache, trash, ids[:2]))
    assert replay(interop, "purge", cache, queue, listener).done == 1
    everywhere = []
    with app_wire(interop, "purge") as wire:
        sync_folder_list(wire, cache)
    for cached in cache.folders():
        if cached.folder.selectable:
            everywhere += message_ids(server_view(interop, "purge", cached.name))
    assert not set(ids[:2]) & set(everywhere)
    assert ids[2] in everywhere
    sync_one(interop, "purge", cache, trash)
    assert_cache_equals_server(interop, "purge", cache, trash, "INBOX")


@on_every_server("idle")
def test_new_mail_delivered_while_idle_is_announced(interop, cache):
    append_fresh(interop, "idle", "INBOX", 2, prefix="เดิม")
    sync_one(interop, "idle", cache, "INBOX")
    sync_one(interop, "idle", cache, "INBOX")  # a folder the app has synced before
    changed = threading.Event()
    stop = CancelToken()
    idle_wire = open_app_wire(interop, "idle")
    loop = IdleLoop(idle_wire, lambda events: changed.set(), stop, wake_every=0.2)
    watcher = threading.Thread(target=loop.run, daemon=True)
    watcher.start()
    try:
        assert wait_until(lambda: loop.watching, 10)
        message_id = f"<{uuid.uuid4().hex}@agency.go.th>"
        interop.deliver("idle", make_message("หนังสือด่วนที่สุด", message_id=message_id))
        assert changed.wait(15), f"{interop.kind}: IDLE reported nothing after a delivery"
        listener = Recorder()
        result = sync_one(interop, "idle", cache, "INBOX", listener)
        fid = cache.folder_id("INBOX")
        assert message_id in {cache.summary(fid, uid).message_id for uid in cache.known_uids(fid)}
        # Announced: the window shows a notification for the Inbox.
        announced = (result.mode, result.new_mail, listener.new_mail_in)
        assert result.new_mail == 1 and listener.new_mail_in == [fid], announced
    finally:
        stop.cancel()
        watcher.join(10)
        idle_wire.logout()
    assert not watcher.is_alive()
    assert_cache_equals_server(interop, "idle", cache, "INBOX")


@on_every_server("wrong_password", everywhere=False)
def test_a_wrong_password_is_refused(interop):
    # The server really checks passwords (its private user database is the one in use).
    # Last, and only in `make test-interop`: after a failed login, servers slow down the
    # following ones from the address for seconds (Dovecot's auth penalty, Courier, Cyrus).
    with pytest.raises(AuthError) as info:
        open_app_wire(interop, "login", password="Wrong2569pass").logout()
    assert (type(info.value), info.value.code) == (AuthError, failures.AUTH_FAILED)


@on_every_server("large_attachment")
def test_a_large_message_is_previewed_as_a_skeleton_and_its_file_fetched_in_chunks(interop):
    """BODYSTRUCTURE, BODY.PEEK[n.MIME] and BODY.PEEK[n]<offset.length> (sync/part_fetch.py)
    mean the same on every server: the preview's skeleton holds the Thai text and lists the
    5 MB file without it, and the chunked download gives back the original bytes."""
    from govmail_desktop.mime.parse import parse_message
    from govmail_desktop.sync import part_fetch
    from tests.integration.test_part_fetch_dovecot import ATTACHMENT_NAME, big_message

    raw, attachment = big_message()
    progress: list[int] = []
    with app_wire(interop, "attachments") as wire:
        wire.append("INBOX", raw)
        wire.select("INBOX")
        uid = max(wire.uid_search("ALL").numbers())
        before = wire.reader.bytes_read
        outline = part_fetch.fetch_skeleton(wire, uid)
        fetched = wire.reader.bytes_read - before
        parsed = parse_message(outline, skeleton=True)
        [listed] = parsed.attachments
        body, encoding = part_fetch.fetch_part(
            wire, uid, listed.part, on_progress=lambda done, _total: progress.append(done))
    assert fetched < 100_000 < len(raw) // 50
    assert "ขอส่งรายงานผลการดำเนินงานประจำปี" in parsed.text
    assert listed.filename == ATTACHMENT_NAME and not listed.downloaded
    assert abs(listed.size - len(attachment)) < len(attachment) // 100
    assert part_fetch.decode_body(body, encoding) == attachment
    assert len(progress) > 1 and progress == sorted(progress)
