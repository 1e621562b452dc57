"""The sync worker's (re)connect (services/sync_service.Worker): a connection that fails in
its set-up is closed, not left to the garbage collector.

Found while reading the connect path for the fault cycles (tests/stress/fault_cycles.py):
when the connection was cut right after LOGIN, during ``ENABLE QRESYNC``
(``sync.connection.prepare``), the worker (and the IDLE watcher, same code) dropped the new
connection without closing it — its socket was left to the garbage collector.
"""

from __future__ import annotations

import threading

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
