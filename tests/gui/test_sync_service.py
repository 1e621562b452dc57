"""The sync service's threads and signals (services/sync_service.py, idle_watcher.py).

The in-memory server (tests/unit/sync/fake_server.py) plays network drops,
refusals and slow fetches on demand; the real Dovecot path is covered by
tests/integration/test_sync.py and the end-to-end test at the bottom.
"""

from __future__ import annotations

import os
import socket
import threading
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.errors import ActionRefused, ServerError
from govmail_desktop.core.threads import BACKGROUND_NICE
from govmail_desktop.services.sync_service import CANCELLED, DONE, FAILED, SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from govmail_desktop.sync import offline
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.control import Backoff
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from govmail_desktop.sync.listener import SyncListener
from tests.unit.sync.fake_server import FakeServer, courier_server

pytestmark = pytest.mark.gui

SMALL = SyncOptions(first_batch=5, growth=2, max_chunk=20, write_batch=5)


def quick_backoff() -> Backoff:
    return Backoff(initial=0.02, factor=2, maximum=0.1, jitter=0)


class Recorder:
    """Every signal of the service, with the thread it arrived in."""

    def __init__(self, service: SyncService) -> None:
        self.finished: dict[int, list[tuple[str, object]]] = defaultdict(list)
        self.started: list[tuple[int, str]] = []
        self.inserted: list[tuple[int, list[int]]] = []
        self.changed: list[tuple[int, list[int]]] = []
        self.removed: list[tuple[int, list]] = []
        self.online: list[bool] = []
        self.status: list[str] = []
        self.new_mail: list[tuple[int, list[int]]] = []
        self.unreadable: list[tuple[int, int]] = []
        self.settled: list[tuple[int, Outcome, object]] = []
        self.threads: set[str] = set()
        service.operationFinished.connect(lambda i, o, e: self._add(self.finished[i], (o, e)))
        service.operationStarted.connect(lambda i, t: self._add(self.started, (i, t)))
        service.messagesInserted.connect(lambda f, u: self._add(self.inserted, (f, u)))
        service.messagesChanged.connect(lambda f, u: self._add(self.changed, (f, u)))
        service.messagesRemoved.connect(lambda f, k: self._add(self.removed, (f, k)))
        service.onlineChanged.connect(lambda v: self._add(self.online, v))
        service.statusChanged.connect(lambda t: self._add(self.status, t))
        service.newMail.connect(lambda f, u: self._add(self.new_mail, (f, list(u))))
        service.messagesUnreadable.connect(lambda f, n: self._add(self.unreadable, (f, n)))
        service.actionSettled.connect(lambda i, o, e: self._add(self.settled, (i, o, e)))

    def _add(self, target: list, item: object) -> None:
        self.threads.add(threading.current_thread().name)
        target.append(item)

    def outcome(self, op_id: int) -> str | None:
        return self.finished[op_id][0][0] if self.finished.get(op_id) else None


@pytest.fixture
def server():
    s = FakeServer()
    s.add_folder("Trash", "\\Trash")
    return s


@pytest.fixture
def stores(tmp_path):
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    yield cache, queue
    cache.close()
    queue.close()


@pytest.fixture
def make_service(qapp, stores):
    made = []

    def make(server, **kwargs):
        cache, queue = stores
        service = SyncService(cache, queue, server.connect, options=SMALL, backoff=quick_backoff, **kwargs)
        made.append(service)
        return service, Recorder(service)

    yield make
    for service in made:
        assert service.stop(10)


def record(cache, queue, kind, folder, uids, **kwargs) -> int:
    """What the mailbox does when the user acts: the action shown and queued under its id."""
    return offline.record_action(cache, queue, SyncListener(), kind, folder, uids, **kwargs)


def wait_finished(qtbot, rec, *op_ids, timeout=10000):
    qtbot.waitUntil(lambda: all(rec.finished.get(i) for i in op_ids), timeout=timeout)


def state(cache, folder):
    fid = cache.folder_id(folder)
    return {uid: cache.flags_of(fid, uid) for uid in cache.known_uids(fid)}


def test_results_arrive_as_queued_signals_in_the_gui_thread(qtbot, server, make_service, stores):
    server.add_messages("INBOX", 12)
    service, rec = make_service(server)
    service.start()
    ops = [service.sync_folder_list(), service.sync_folder("INBOX")]
    assert not rec.finished  # nothing is delivered synchronously from a worker
    wait_finished(qtbot, rec, *ops)
    assert rec.threads == {threading.main_thread().name}
    assert sum(len(u) for _, u in rec.inserted) == 12
    assert rec.online == [True]
    assert state(stores[0], "INBOX") == server.state("INBOX")
    titles = dict(rec.started)
    assert titles[ops[1]]  # translated title (Thai by default), never empty


def test_messages_the_server_sent_unreadably_are_reported_in_the_gui_thread(qtbot, server, make_service, stores):
    server.add_messages("INBOX", 9)
    server.header_echo = "BODY[HEADER.FIELDS (SUBJECT)]"  # not the section the sync asked for
    service, rec = make_service(server)
    service.start(initial_sync=False)
    op = service.sync_folder("INBOX")
    wait_finished(qtbot, rec, op)
    assert rec.unreadable == [(stores[0].folder_id("INBOX"), 9)]
    assert rec.threads == {threading.main_thread().name}
    assert rec.outcome(op) == DONE and state(stores[0], "INBOX") == {}


@pytest.mark.linux_only  # per-thread nice is a Linux feature
def test_the_sync_worker_runs_below_the_gui_thread(qtbot, server, make_service):
    nice_seen = []
    connect = server.connect

    def connect_and_look(*args, **kwargs):
        nice_seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return connect(*args, **kwargs)

    server.connect = connect_and_look
    service, rec = make_service(server)
    service.start()
    wait_finished(qtbot, rec, service.sync_folder_list())
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert nice_seen and all(n == min(19, gui + BACKGROUND_NICE) for n in nice_seen)


def test_every_operation_ends_exactly_once(qtbot, server, make_service):
    server.add_messages("INBOX", 60)
    server.fetch_delay = 0.05
    service, rec = make_service(server)
    service.start(initial_sync=False)
    folders = service.sync_folder_list()
    running = service.sync_folder("INBOX")
    queued = service.sync_folder("Trash")
    missing = service.sync_folder("ไม่มีโฟลเดอร์นี้")
    duplicate = service.sync_folder("ไม่มีโฟลเดอร์นี้")
    assert duplicate == missing  # the same work waiting is not queued twice
    service.cancel(queued)
    qtbot.waitUntil(lambda: bool(rec.inserted), timeout=10000)
    service.cancel(running)
    wait_finished(qtbot, rec, folders, running, queued, missing)
    qtbot.wait(200)  # nothing arrives twice, even late
    assert {op: len(v) for op, v in rec.finished.items()} == {folders: 1, running: 1, queued: 1, missing: 1}
    assert rec.outcome(folders) == DONE
    assert rec.outcome(running) == CANCELLED
    assert rec.outcome(queued) == CANCELLED
    assert rec.outcome(missing) == FAILED
    assert isinstance(rec.finished[missing][0][1], ServerError)
    assert queued not in dict(rec.started)  # cancelled before it ever ran


def test_reconnects_with_backoff_and_finishes_the_sync(qtbot, server, make_service, stores):
    server.add_messages("INBOX", 40)
    server.down = True
    service, rec = make_service(server)
    service.start()
    qtbot.waitUntil(lambda: len(rec.status) >= 2, timeout=5000)
    assert not service.online and rec.status[-1]  # "Offline. Reconnecting in 1 s…"
    server.down = False
    server.drop_after_rows = 12  # and the connection drops once more mid-sync
    op = service.sync_folder("INBOX")
    wait_finished(qtbot, rec, op)
    assert rec.outcome(op) == DONE
    assert state(stores[0], "INBOX") == server.state("INBOX")
    assert rec.online[-1] is True and False in rec.online
    assert server.connect_count >= 2


def test_starts_offline_from_the_cache(qtbot, server, make_service, stores):
    from govmail_desktop.models.message_list import MessageListModel

    cache, _ = stores
    server.add_messages("INBOX", 7)
    conn = prepare(server.connect())
    FolderSync(conn, cache).run("INBOX")
    server.down = True
    service, rec = make_service(server)
    service.start()
    model = MessageListModel(cache)
    model.set_folder(cache.folder_id("INBOX"))
    assert model.rowCount() == 7  # at once, with no server
    qtbot.waitUntil(lambda: rec.online == [False] or bool(rec.status), timeout=5000)
    assert not any(rec.finished.values())  # the sync waits for the network, it does not fail


def test_idle_reports_new_mail_and_the_inbox_is_resynced(qtbot, server, make_service, stores):
    server.add_messages("INBOX", 3)
    service, rec = make_service(server, idle_connect=server.connect)
    service.start()
    qtbot.waitUntil(lambda: service._idle is not None and service._idle.watching, timeout=10000)
    qtbot.waitUntil(lambda: service.pending_operations() == 0 and len(rec.finished) >= 2, timeout=10000)
    server.add_messages("INBOX", 2)
    fid = stores[0].folder_id("INBOX")
    qtbot.waitUntil(lambda: (fid, [4, 5]) in rec.new_mail, timeout=10000)
    assert state(stores[0], "INBOX") == server.state("INBOX")


def test_idle_reports_new_mail_on_a_courier_like_server(qtbot, make_service, stores):
    """Courier: no UIDNEXT in SELECT, quoted header echo, no QRESYNC/CONDSTORE."""
    server = courier_server()
    server.add_messages("INBOX", 3)
    service, rec = make_service(server, idle_connect=server.connect)
    service.start()
    qtbot.waitUntil(lambda: service._idle is not None and service._idle.watching, timeout=10000)
    qtbot.waitUntil(lambda: service.pending_operations() == 0 and len(rec.finished) >= 2, timeout=10000)
    fid = stores[0].folder_id("INBOX")
    assert state(stores[0], "INBOX") == server.state("INBOX") and rec.new_mail == []
    server.add_messages("INBOX", 2)
    qtbot.waitUntil(lambda: (fid, [4, 5]) in rec.new_mail, timeout=10000)
    assert state(stores[0], "INBOX") == server.state("INBOX") and rec.unreadable == []


def test_actions_show_at_once_then_reach_the_server(qtbot, server, make_service, stores):
    cache, queue = stores
    server.add_messages("INBOX", 5)
    service, rec = make_service(server)
    service.start()
    qtbot.waitUntil(lambda: service.pending_operations() == 0 and cache.count(cache.folder_id("INBOX") or 0) == 5,
                    timeout=10000)
    fid = cache.folder_id("INBOX")
    read = record(cache, queue, OpKind.FLAGS, "INBOX", [1, 2], add=["\\Seen"])
    assert cache.flags_of(fid, 1) == {"\\Seen"}  # shown before the server has it
    move = record(cache, queue, OpKind.MOVE, "INBOX", [3], target="Trash")
    assert 3 not in cache.known_uids(fid)
    service.send_offline_actions()
    qtbot.waitUntil(lambda: len(rec.settled) == 2, timeout=10000)
    assert rec.settled == [(read, Outcome.DONE, None), (move, Outcome.DONE, None)]
    assert queue.count() == 0
    assert server.state("INBOX")[1] == {"\\Seen"} and 3 not in server.state("INBOX")
    # A refusal is undone, then the action ends FAILED under its id with a typed reason.
    server.refuse["STORE"] = None
    flag = record(cache, queue, OpKind.FLAGS, "INBOX", [4], add=["\\Flagged"])
    service.send_offline_actions()
    qtbot.waitUntil(lambda: len(rec.settled) == 3, timeout=10000)
    op_id, outcome, error = rec.settled[-1]
    assert (op_id, outcome, error.reason) == (flag, Outcome.FAILED, ActionRefused.REFUSED)
    assert cache.flags_of(fid, 4) == frozenset()  # already undone when it ends
    assert (fid, [4]) in rec.changed and "INBOX" in error.user_text("en")


def test_actions_made_offline_are_sent_after_reconnecting(qtbot, server, make_service, stores):
    cache, queue = stores
    server.add_messages("INBOX", 4)
    FolderSync(prepare(server.connect()), cache).run("INBOX")
    server.down = True
    service, rec = make_service(server)
    service.start()
    op = record(cache, queue, OpKind.FLAGS, "INBOX", [2], add=["\\Flagged"])
    service.send_offline_actions()
    qtbot.waitUntil(lambda: rec.status != [], timeout=10000)  # offline: it waits for the connection
    assert queue.count() == 1 and rec.settled == []
    assert cache.flags_of(cache.folder_id("INBOX"), 2) == frozenset({"\\Flagged"})
    server.down = False
    qtbot.waitUntil(lambda: queue.count() == 0, timeout=10000)
    qtbot.waitUntil(lambda: rec.settled == [(op, Outcome.DONE, None)], timeout=10000)
    assert server.state("INBOX")[2] == {"\\Flagged"}
    qtbot.waitUntil(lambda: service.pending_operations() == 0 and bool(rec.finished), timeout=10000)
    counts = Counter(len(v) for v in rec.finished.values())
    assert set(counts) == {1}


@pytest.mark.integration
def test_end_to_end_new_mail_from_lmtp_through_idle(qtbot, dovecot, stores, qapp):
    """The real path: policy → TLS → login → wire; IDLE on its own connection."""
    import uuid
    from types import SimpleNamespace

    from govmail_desktop.services.sync_service import imap_connector
    from tests.integration.sync_helpers import make_message
    from tests.servers.fake_net import loopback_policy

    cache, queue = stores
    account = SimpleNamespace(
        imap=SimpleNamespace(host="127.0.0.1", port=dovecot.imaps_port, security="tls"), login="carol"
    )
    policy = loopback_policy(ca_file=dovecot.ca_file)
    connect = imap_connector(account, lambda: dovecot.users["carol"], policy, timeout=15)
    service = SyncService(cache, queue, connect, idle_connect=connect, backoff=quick_backoff)
    rec = Recorder(service)
    try:
        service.start()
        qtbot.waitUntil(lambda: service._idle.watching and service.pending_operations() == 0, timeout=15000)
        assert all(v[0][0] == DONE for v in rec.finished.values())
        message_id = f"<{uuid.uuid4().hex}@agency.go.th>"
        dovecot.deliver("carol", make_message("ด่วนที่สุด ทดสอบ IDLE", message_id=message_id))
        fid = cache.folder_id("INBOX")

        def arrived() -> bool:
            return any(
                cache.summary(fid, uid).message_id == message_id for _, uids in rec.inserted for uid in uids
            )

        qtbot.waitUntil(arrived, timeout=15000)
        qtbot.waitUntil(lambda: bool(rec.new_mail), timeout=15000)  # at the end of that sync
        [arrived_uid] = [u for _, uids in rec.inserted for u in uids if cache.summary(fid, u).message_id == message_id]
        assert rec.new_mail[-1] == (fid, [arrived_uid])
        assert rec.threads == {threading.main_thread().name}
    finally:
        stopped = service.stop(5)
        if not stopped:
            import faulthandler
            import sys
            faulthandler.dump_traceback(sys.stderr, all_threads=True)
        assert stopped


def test_fetch_body_goes_first_and_lands_in_the_cache(qtbot, dovecot, stores):
    """A whole message for the preview, from the real server into the cache."""
    from types import SimpleNamespace

    from govmail_desktop.services.sync_service import imap_connector
    from tests.integration.sync_helpers import fill
    from tests.servers.fake_net import loopback_policy

    cache, queue = stores
    import uuid

    folder = f"body-{uuid.uuid4().hex[:6]}"
    uids = fill(dovecot, "bob", folder, 2, prefix="ไฟล์แนบ")
    account = SimpleNamespace(
        imap=SimpleNamespace(host="127.0.0.1", port=dovecot.imaps_port, security="tls"), login="bob"
    )
    policy = loopback_policy(ca_file=dovecot.ca_file)
    connect = imap_connector(account, lambda: dovecot.users["bob"], policy, timeout=15)
    service = SyncService(cache, queue, connect, backoff=quick_backoff)
    rec = Recorder(service)
    try:
        service.start(initial_sync=False)
        sync_op = service.sync_folder_list()
        wait_finished(qtbot, rec, sync_op)
        body_op = service.fetch_body(folder, uids[1])
        wait_finished(qtbot, rec, body_op)
        assert rec.outcome(body_op) == DONE
        data = cache.get_part(cache.folder_id(folder), uids[1], "")
        assert data.startswith(b"From: ") and b"\r\nSubject: " in data and "เนื้อความ".encode() in data
        missing = service.fetch_body(folder, 999999)
        wait_finished(qtbot, rec, missing)
        assert rec.outcome(missing) == FAILED
    finally:
        assert service.stop(15)


def test_delete_for_good_expunges_and_a_plain_delete_goes_to_the_trash(qtbot, server, make_service, stores):
    cache, queue = stores
    server.add_messages("INBOX", 3)
    service, rec = make_service(server)
    service.start()
    qtbot.waitUntil(lambda: service.pending_operations() == 0 and cache.count(cache.folder_id("INBOX") or 0) == 3,
                    timeout=10000)
    for_good = record(cache, queue, OpKind.EXPUNGE, "INBOX", [1])
    to_trash = record(cache, queue, OpKind.DELETE, "INBOX", [2])
    service.send_offline_actions()
    qtbot.waitUntil(lambda: len(rec.settled) == 2, timeout=10000)
    assert [(i, o) for i, o, _ in rec.settled] == [(for_good, Outcome.DONE), (to_trash, Outcome.DONE)]
    assert queue.count() == 0
    assert set(server.state("INBOX")) == {3}
    assert len(server.state("Trash")) == 1  # only the plain delete's copy


class CountingPort:
    """A loopback TCP port that counts the connections made to it (and closes each)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="counting-port", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


def test_without_a_password_nothing_connects_and_idle_waits_for_one(qtbot, stores):
    """No password known: neither the sync nor the IDLE watcher opens a connection (TLS
    only to fail); the watcher waits for the password instead of retrying, and tries again
    once one is given (the prompt's answer ends in sync_all)."""
    from govmail_desktop.core.errors import PasswordNeeded
    from govmail_desktop.services.sync_service import imap_connector
    from tests.servers.fake_net import loopback_policy

    cache, queue = stores
    port = CountingPort()
    account = SimpleNamespace(
        id="acct1", login="alice", imap=SimpleNamespace(host="127.0.0.1", port=port.port, security="tls")
    )
    known = threading.Event()
    asked: Counter[str] = Counter()

    def password_of(who: str):
        def password() -> str:
            asked[who] += 1
            if not known.is_set():
                raise PasswordNeeded(detail="no password known for account acct1")
            return "secret"

        return password

    policy = loopback_policy()
    service = SyncService(
        cache, queue, imap_connector(account, password_of("sync"), policy, timeout=2),
        idle_connect=imap_connector(account, password_of("idle"), policy, timeout=2),
        options=SMALL, backoff=quick_backoff,
    )
    rec = Recorder(service)
    try:
        service.start()
        qtbot.waitUntil(lambda: len(rec.finished) == 2 and asked["idle"] >= 1, timeout=10000)
        assert [(o, type(e)) for (o, e), in rec.finished.values()] == [(FAILED, PasswordNeeded)] * 2
        qtbot.wait(500)  # the watcher's reconnect delays here are 0.02-0.1 s
        assert (port.accepted, asked["sync"], asked["idle"]) == (0, 2, 1)
        known.set()  # the user typed it
        service.sync_all()
        qtbot.waitUntil(lambda: asked["idle"] >= 2 and port.accepted >= 2, timeout=10000)
    finally:
        assert service.stop(10)
        port.close()
