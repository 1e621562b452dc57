"""The sync worker and a policy changed while it connects (services/sync_worker.Worker.recheck).

A connection whose addresses were checked under the old rules and that is finished after the
change was judged (so recheck() saw no connection to end) must not slip through: the worker
judges it by the new rules once it is made, closes it and fails the operation with the
refusal. And recheck() leaves a connection the new rules still allow alone.
The real-server behaviour is in tests/integration/test_policy_change_connections.py.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.policy import api
from govmail_desktop.services.sync_worker import DONE, FAILED, Operation, Worker, _Relay
from govmail_desktop.sync.control import Backoff
from tests.servers.fake_net import loopback_policy
from tests.unit.sync.fake_server import FakeConnection, FakeServer


class CheckedConnection(FakeConnection):
    """A fake connection carrying the report a policy-checked connect leaves (127.0.0.1)."""

    closed = 0

    def __init__(self, server: FakeServer) -> None:
        super().__init__(server)
        self.report = ConnectionReport(Endpoint("127.0.0.1", 993, "tls"), connected_ip="127.0.0.1")

    def close(self) -> None:
        type(self).closed += 1
        super().close()


def run_one(worker: Worker, relay: _Relay) -> tuple[str, object]:
    finished: list[tuple[str, object]] = []
    done = threading.Event()

    def record(_op_id: int, outcome: str, value: object) -> None:
        finished.append((outcome, value))
        done.set()

    relay.finished.connect(record, Qt.ConnectionType.DirectConnection)
    worker.submit(Operation(1, ("list",), lambda: "list", lambda conn, cancel: conn.list_folders()))
    assert done.wait(10)
    return finished[0]


def test_a_connection_made_while_the_policy_changed_is_judged_by_the_new_rules():
    server = FakeServer()
    denying = loopback_policy(allow_hosts=["localhost"])  # 127.0.0.1 no longer on the allow list
    holder: list[Worker] = []

    def connect() -> FakeConnection:
        conn = CheckedConnection(server)
        holder[0].recheck(denying)  # the change arrives while this connect is under way
        return conn

    relay = _Relay()
    worker = Worker("test-sync", relay, connect, Backoff(initial=0.01, maximum=0.05, jitter=0))
    holder.append(worker)
    worker.start()
    try:
        outcome, error = run_one(worker, relay)
    finally:
        worker.stop()
        worker.join(10)
    assert outcome == FAILED and isinstance(error, PolicyRefused) and error.code == api.HOST_NOT_ALLOWED
    assert CheckedConnection.closed == 1 and worker.connection is None


def test_recheck_leaves_an_allowed_connection_alone():
    server = FakeServer()
    relay = _Relay()
    worker = Worker("test-sync", relay, lambda: CheckedConnection(server), Backoff(jitter=0))
    worker.start()
    try:
        assert run_one(worker, relay)[0] == DONE
        conn = worker.connection
        assert worker.recheck(loopback_policy()) is None
        assert worker.connection is conn and not conn.broken
        refused = worker.recheck(loopback_policy(allow_hosts=["localhost"]))
        assert refused is not None and refused.code == api.HOST_NOT_ALLOWED
    finally:
        worker.stop()
        worker.join(10)


def test_an_idle_connection_made_while_the_policy_changed_is_closed_and_idle_waits(qapp):
    """The IDLE watcher, same race: the connection is closed by its thread (no goodbye), and
    the watcher waits for resume() instead of reconnecting to a refused server."""
    from govmail_desktop.services.idle_watcher import IdleWatcher

    server = FakeServer()
    denying = loopback_policy(allow_hosts=["localhost"])
    closed = threading.Event()
    made: list[CheckedConnection] = []

    class Closing(CheckedConnection):
        def close(self) -> None:
            super().close()
            closed.set()

        def logout(self) -> None:  # a goodbye to a refused server would be a failure here
            raise AssertionError("LOGOUT sent to a server the policy refuses")

    def connect() -> FakeConnection:
        conn = Closing(server)
        made.append(conn)
        watcher.recheck(denying)  # the change arrives while this connect is under way
        return conn

    waiting = threading.Event()

    class SeenWaiting(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waiting.set()
            return super().wait(timeout)

    class NoBackoff(Backoff):
        def next_delay(self) -> float:
            raise AssertionError("a reconnect was scheduled to a server the policy refuses")

    watcher = IdleWatcher(connect, backoff=NoBackoff(), wake_every=0.05)
    watcher._resume = SeenWaiting()
    watcher.start()
    try:
        assert closed.wait(10)
        assert waiting.wait(10)  # waits for resume(), as for a password: no reconnect
        assert watcher.connection is None and len(made) == 1
    finally:
        watcher.stop()
        assert watcher.wait(10)
