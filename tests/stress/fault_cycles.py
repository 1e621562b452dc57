"""Sync cycles through the fault proxy, checked against the real Dovecot (issue 16 item 1).

One cycle:

1. another client (imapclient, straight to Dovecot, not through the proxy) changes flags,
   expunges and APPENDs a few messages at random in the watched folders;
2. the app's sync of the account (``sync.engine.sync_account``) runs as an operation of the
   app's own connection worker (``services.sync_service.Worker``: reconnect with backoff
   after a lost connection) whose connections go through the proxy with random faults;
3. a clean settling sync (faults off, the open connections reset first);
4. the cache is compared with the server, read by another independent client: UIDs,
   flags, UIDVALIDITY and HIGHESTMODSEQ (where the cache keeps one).

Also counted per cycle: connection attempts (no busy loop: the backoff waits between
attempts), the error of a failed operation (it must be one of the app's typed errors, a
``BugError`` or a hang is a crash), and threads and open descriptors after the cycle
(they must not grow). Everything is drawn from ``random.Random(f"{seed}:...")``: a seed
replays the same changes and the same fault plans.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from govmail_desktop.core.errors import BugError, GovMailError
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.services.sync_service import DONE, FAILED, Operation, Worker, _Relay
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import Backoff
from govmail_desktop.sync.engine import sync_account
from govmail_desktop.sync.folder_sync import SyncOptions
from govmail_desktop.sync.listener import SyncListener
from tests.integration.sync_helpers import make_message
from tests.servers.dovecot import DovecotServer
from tests.servers.fake_net import loopback_policy
from tests.servers.fault_proxy import FaultPlanner, FaultProxy
from tests.servers.mailbox_state import server_flags

log = logging.getLogger(__name__)

OPTIONS = SyncOptions(first_batch=10, growth=2, max_chunk=40, write_batch=10)
#: The folders another client changes (all the account's folders are synced and compared).
WATCHED = ("INBOX", "โครงการ ๒๕๖๙")
FLAGS = ("\\Seen", "\\Flagged", "\\Answered", "$Forwarded")
#: An operation not finished after this long is a hang (counted as a crash).
OPERATION_LIMIT = 120.0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@dataclass
class CycleStats:
    cycles: int = 0
    mismatches: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    typed_failures: Counter[str] = field(default_factory=Counter)
    #: Operations that ended FAILED with a typed error although only the network failed (a
    #: lost connection is a NetworkError, which the worker retries: it never ends FAILED).
    wrong_errors: list[str] = field(default_factory=list)
    attempts: list[int] = field(default_factory=list)  # connection attempts per cycle (faulty part)
    min_gap_after_failure: float | None = None  # seconds between a failed attempt and the next
    faults: Counter[str] = field(default_factory=Counter)
    threads: list[int] = field(default_factory=list)
    fds: list[int] = field(default_factory=list)

    def leak(self) -> tuple[int, int]:
        """(thread growth, descriptor growth) from the first cycle to the last."""
        if not self.threads:
            return 0, 0
        return self.threads[-1] - self.threads[0], self.fds[-1] - self.fds[0]


class _Recorder:
    """The relay's ``finished`` signal, connected directly (no Qt event loop runs here)."""

    def __init__(self, relay: _Relay) -> None:
        self._done: dict[int, tuple[str, object]] = {}
        self._cond = threading.Condition()
        relay.finished.connect(self._finished, Qt.ConnectionType.DirectConnection)

    def _finished(self, op_id: int, outcome: str, value: object) -> None:
        with self._cond:
            self._done[op_id] = (outcome, value)
            self._cond.notify_all()

    def wait(self, op_id: int, timeout: float) -> tuple[str, object] | None:
        with self._cond:
            self._cond.wait_for(lambda: op_id in self._done, timeout)
            return self._done.pop(op_id, None)


class SyncFaultRig:
    """Dovecot (given) + the fault proxy + a cache + the app's connection worker."""

    def __init__(self, server: DovecotServer, workdir: Path, seed: int, *, user: str = "alice",
                 planner: FaultPlanner | None = None, timeout: float = 5.0) -> None:
        self.server, self.user, self.seed, self.timeout = server, user, seed, timeout
        self.policy = loopback_policy(ca_file=server.ca_file)
        self.proxy = FaultProxy(("127.0.0.1", server.imaps_port), planner or FaultPlanner(seed), name="fault-imap")
        self.cache = MailCache(workdir / f"cache-{seed}.sqlite3")
        self.relay = _Relay()
        self.recorder = _Recorder(self.relay)
        self.backoff = Backoff(initial=0.05, factor=2.0, maximum=1.0, rng=random.Random(seed))
        self.worker = Worker("stress-sync", self.relay, self._connect, self.backoff)
        self._ids = 0
        self._attempt_times: list[tuple[float, bool]] = []
        self._lock = threading.Lock()
        self.stats = CycleStats()
        self._other: Any = None

    # ---------------------------------------------------------------- the app's side

    def _connect(self) -> MailboxConnection:
        started = time.monotonic()
        ok = False
        try:
            session = ImapSession.connect(Endpoint("127.0.0.1", self.proxy.port, "tls"), self.policy,
                                          timeout=self.timeout)
            try:
                session.login(self.user, self.server.users[self.user])
                wire = wire_from_session(session, timeout=self.timeout)
            except BaseException:
                session.close()
                raise
            ok = True
            return wire
        finally:
            with self._lock:
                self._attempt_times.append((started, ok))

    def _run(self, *, limit: float = OPERATION_LIMIT) -> tuple[str, object]:
        self._ids += 1
        op = Operation(self._ids, ("stress", self._ids), lambda: "stress sync",
                       lambda conn, cancel: sync_account(conn, self.cache, None, SyncListener(),
                                                         cancel, OPTIONS))
        self.worker.submit(op)
        result = self.recorder.wait(op.id, limit)
        if result is None:
            self.worker.cancel(op.id)
            result = self.recorder.wait(op.id, 30.0) or ("hang", None)
            return "hang", result[1]
        return result

    def start(self) -> SyncFaultRig:
        self.proxy.start()
        self.worker.start()
        for folder in WATCHED[1:]:
            self.server.create_folder(self.user, folder)
        self._other = self._open_other()
        return self

    def stop(self) -> None:
        self.worker.stop()
        self.worker.join(30)
        self.proxy.stop()
        if self._other is not None:
            try:
                self._other.logout()
            except Exception:  # closing a test client
                pass
        self.cache.close()

    # ---------------------------------------------------------------- the other client

    def _open_other(self) -> Any:
        from imapclient import IMAPClient

        client = IMAPClient(self.server.host, port=self.server.imaps_port, ssl=True,
                            ssl_context=self.server.client_ssl_context(), timeout=30)
        client.login(self.user, self.server.users[self.user])
        return client

    def change_server(self, rng: random.Random) -> None:
        """Flags, expunges and deliveries by another client (not through the proxy)."""
        client = self._other
        for folder in WATCHED:
            client.select_folder(self.server.mailbox(folder))
            uids = client.search("ALL")
            for _ in range(rng.randint(0, 3)):
                if not uids:
                    break
                chosen = rng.sample(uids, min(len(uids), rng.randint(1, 5)))
                flag = rng.choice(FLAGS).encode()
                (client.add_flags if rng.random() < 0.6 else client.remove_flags)(chosen, [flag])
            if uids and rng.random() < 0.5:
                gone = rng.sample(uids, min(len(uids), rng.randint(1, 3)))
                client.delete_messages(gone)
                client.expunge()
            for _ in range(rng.randint(0, 3) if len(uids) < 60 else 0):
                flags = [b"\\Seen"] if rng.random() < 0.3 else []
                client.append(self.server.mailbox(folder), make_message(f"รอบ {uuid.uuid4().hex[:6]}"), flags)
        client.unselect_folder()

    def server_view(self, folder: str) -> tuple[dict[int, frozenset[str]], int, int | None]:
        """({uid: flags}, UIDVALIDITY, HIGHESTMODSEQ) read by an independent client."""
        client = self._other
        name = self.server.mailbox(folder)
        state, status = server_flags(client, name, [b"UIDVALIDITY", b"HIGHESTMODSEQ"])
        client.unselect_folder()
        return state, int(status[b"UIDVALIDITY"]), int(status[b"HIGHESTMODSEQ"])

    # ---------------------------------------------------------------- checking

    def compare(self, cycle: int) -> list[str]:
        problems = []
        for folder in WATCHED:
            fid = self.cache.folder_id(folder)
            if fid is None:
                problems.append(f"cycle {cycle}: {folder} not in the cache")
                continue
            state, validity, modseq = self.server_view(folder)
            cached = {uid: self.cache.flags_of(fid, uid) for uid in self.cache.known_uids(fid)}
            info = self.cache.folder(fid)
            assert info is not None
            if cached != state:
                extra, missing = set(cached) - set(state), set(state) - set(cached)
                flags = [u for u in set(cached) & set(state) if cached[u] != state[u]]
                problems.append(f"cycle {cycle}: {folder}: cache has {sorted(extra)[:5]} the server has not, "
                                f"misses {sorted(missing)[:5]}, other flags on {sorted(flags)[:5]}")
            if info.uidvalidity != validity:
                problems.append(f"cycle {cycle}: {folder}: UIDVALIDITY {info.uidvalidity} != server {validity}")
            if info.highestmodseq is not None and info.highestmodseq != modseq:
                problems.append(f"cycle {cycle}: {folder}: HIGHESTMODSEQ {info.highestmodseq} != server {modseq}")
        return problems

    def _settle_resources(self) -> None:
        """Wait (briefly) until only the worker's kept connection is open in the proxy."""
        deadline = time.monotonic() + 2.0
        while self.proxy.live_connections() > 1 and time.monotonic() < deadline:
            time.sleep(0.01)

    # ---------------------------------------------------------------- one cycle

    def cycle(self, index: int) -> None:
        stats = self.stats
        rng = random.Random(f"{self.seed}:cycle:{index}")
        self.change_server(rng)
        before = len(self.proxy.records)
        with self._lock:
            self._attempt_times.clear()
        # The worker's kept connection is reset (a connection dropped between two syncs):
        # the sync finds it dead and reconnects through the faults.
        self.proxy.faults_on = True
        self.proxy.end_all()
        outcome, value = self._run()
        with self._lock:
            times = list(self._attempt_times)
        stats.attempts.append(len(times))
        for (t0, _ok), (t1, _) in zip(times, times[1:], strict=False):  # each one after a failure
            gap = t1 - t0
            stats.min_gap_after_failure = gap if stats.min_gap_after_failure is None else min(
                stats.min_gap_after_failure, gap)
        for record in self.proxy.records[before:]:
            stats.faults.update(f.split("-")[0] if f.startswith(("cut", "stall")) else f for f in record.fired)
        self._judge(index, "faulty sync", outcome, value)
        self.proxy.faults_on = False
        self.proxy.end_all()
        outcome, value = self._run()
        if outcome != DONE:
            stats.mismatches.append(f"cycle {index}: the clean settling sync ended {outcome}: {value!r}")
            self._judge(index, "settling sync", outcome, value)
        else:
            stats.mismatches.extend(self.compare(index))
        self._settle_resources()
        stats.threads.append(threading.active_count())
        stats.fds.append(open_fds())
        stats.cycles += 1

    def _judge(self, index: int, what: str, outcome: str, value: object) -> None:
        if outcome == DONE:
            return
        if outcome == FAILED and isinstance(value, GovMailError) and not isinstance(value, BugError):
            self.stats.typed_failures[f"{type(value).__name__}:{getattr(value, 'code', '')}"] += 1
            self.stats.wrong_errors.append(f"seed {self.seed} cycle {index} {what}: {type(value).__name__} "
                                           f"{getattr(value, 'code', '')}: {value}")
            return
        self.stats.crashes.append(f"seed {self.seed} cycle {index} {what}: {outcome} {value!r}")


def run_sync_cycles(server: DovecotServer, workdir: Path, seed: int, cycles: int,
                    planner: FaultPlanner | None = None, *, user: str = "alice",
                    deadline: float | None = None) -> CycleStats:
    """``cycles`` fault cycles (fewer if ``deadline``, a time.monotonic() value, passes)."""
    rig = SyncFaultRig(server, workdir, seed, user=user, planner=planner).start()
    try:
        for index in range(cycles):
            if deadline is not None and time.monotonic() > deadline:
                break
            rig.cycle(index)
    finally:
        rig.stop()
    return rig.stats
