"""The sync worker's (re)connect (services/sync_service.Worker): a connection that fails in
its set-up is closed, not left to the garbage collector.

Found while reading the connect path for the fault cycles (tests/stress/fault_cycles.py):
when the connection was cut right after LOGIN, during ``ENABLE QRESYNC``
(``sync.connection.prepare``), the worker (and the IDLE watcher, same code) dropped the new
connection without closing it — its socket was left to the garbage collector.
"""

from __future__ import annotations

import threading
import time
from typing import NoReturn

from PySide6.QtCore import Qt

from govmail_desktop.core.errors import NetworkError
from govmail_desktop.net import failures
from govmail_desktop.services.sync_service import DONE, Operation, Worker, _Relay
from govmail_desktop.sync.control import Backoff
from tests.unit.sync.fake_server import FakeConnection, FakeServer


class CutDuringEnable(FakeConnection):
    closed = 0

    def enable(self, *names: str) -> set[str]:
        self.broken = True
        raise failures.network_error(failures.CONNECTION_CLOSED, "fake.go.th", 993, "cut during ENABLE")

    def close(self) -> None:
        type(self).closed += 1
        super().close()


def test_a_connection_lost_during_its_set_up_is_closed_and_the_worker_reconnects():
    server = FakeServer()
    made: list[FakeConnection] = []

    def connect() -> FakeConnection:
        conn = CutDuringEnable(server) if not made else FakeConnection(server)
        made.append(conn)
        return conn

    relay = _Relay()
    finished: dict[int, tuple[str, object]] = {}
    done = threading.Event()

    def record(op_id: int, outcome: str, value: object) -> None:
        finished[op_id] = (outcome, value)
        done.set()

    relay.finished.connect(record, Qt.ConnectionType.DirectConnection)
    worker = Worker("test-sync", relay, connect, Backoff(initial=0.01, maximum=0.05, jitter=0))
    worker.start()
    try:
        worker.submit(Operation(1, ("list",), lambda: "list", lambda conn, cancel: conn.list_folders()))
        assert done.wait(10)
    finally:
        worker.stop()
        worker.join(10)
    assert finished[1][0] == DONE
    assert len(made) == 2
    assert CutDuringEnable.closed == 1  # the first connection, closed by the worker
    assert not isinstance(finished[1][1], NetworkError)


class RecordingBackoff(Backoff):
    def __init__(self) -> None:
        super().__init__(initial=0.01, factor=2.0, maximum=10.0, jitter=0)
        self.delays: list[float] = []

    def next_delay(self) -> float:
        delay = super().next_delay()
        self.delays.append(delay)
        return delay


class DropsAfterLogin(FakeConnection):
    """Logs in, then loses the connection at the first command (a server or middlebox that
    accepts every session and drops it at once)."""

    def list_folders(self, *, with_status: bool = True) -> NoReturn:
        self._break("dropped after login")


def test_a_server_that_drops_every_session_after_login_is_retried_ever_more_slowly():
    """Seen in the fault cycles' log (every retry waited the initial delay): the worker reset
    its backoff as soon as a connection was made, so a server that takes the login and drops the session at once was
    retried every ``initial`` seconds for ever (every second in the app, from every desk):
    the delays must grow until an operation succeeds."""
    server = FakeServer()
    relay = _Relay()
    backoff = RecordingBackoff()
    worker = Worker("test-sync", relay, lambda: DropsAfterLogin(server), backoff)
    worker.start()
    try:
        worker.submit(Operation(1, ("list",), lambda: "list", lambda conn, cancel: conn.list_folders()))
        stop_waiting = time.monotonic() + 30
        while len(backoff.delays) < 6 and time.monotonic() < stop_waiting:
            time.sleep(0.05)
    finally:
        worker.stop()
        worker.join(10)
    assert backoff.delays[:6] == [0.01, 0.02, 0.04, 0.08, 0.16, 0.32]


def test_a_connection_that_worked_long_enough_starts_the_delays_again(monkeypatch):
    """The other side of the growing delays: a connection lost after STABLE_CONNECTION
    seconds had worked, so the next reconnect waits only the shortest delay again."""
    import sys

    # Where the worker is defined (services/sync_service.py, or sync_worker.py once split off):
    # every connection "lasted" long enough.
    monkeypatch.setattr(sys.modules[Worker.__module__], "STABLE_CONNECTION", 0.0)
    server = FakeServer()
    backoff = RecordingBackoff()
    worker = Worker("test-sync", _Relay(), lambda: DropsAfterLogin(server), backoff)
    worker.start()
    try:
        worker.submit(Operation(1, ("list",), lambda: "list", lambda conn, cancel: conn.list_folders()))
        stop_waiting = time.monotonic() + 30
        while len(backoff.delays) < 4 and time.monotonic() < stop_waiting:
            time.sleep(0.05)
    finally:
        worker.stop()
        worker.join(10)
    assert backoff.delays[:4] == [0.01, 0.01, 0.01, 0.01]


class DropsDuringIdle(FakeConnection):
    """Takes the login, EXAMINE and IDLE, then loses the connection at once."""

    def idle_wait(self, timeout: float) -> NoReturn:
        self._break("dropped during IDLE")


def test_idle_on_a_server_that_drops_every_idle_at_once_is_retried_ever_more_slowly():
    """The IDLE watcher reset its delays as soon as IDLE was accepted: a server (or a
    middlebox) that ends every IDLE at once was reconnected every 2 s for ever."""
    from govmail_desktop.services.idle_watcher import IdleWatcher

    server = FakeServer()
    backoff = RecordingBackoff()
    watcher = IdleWatcher(lambda: DropsDuringIdle(server), backoff=backoff, wake_every=0.01)
    watcher.start()
    try:
        stop_waiting = time.monotonic() + 30
        while len(backoff.delays) < 5 and time.monotonic() < stop_waiting:
            time.sleep(0.05)
    finally:
        watcher.stop()
        assert watcher.wait(10)
    assert backoff.delays[:5] == [0.01, 0.02, 0.04, 0.08, 0.16]
