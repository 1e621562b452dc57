"""The fault proxy itself (tests/servers/fault_proxy.py): each fault seen by a client,
the same seed giving the same plans, and nothing left behind after ``stop()``.

The upstream is a small loopback server: per connection it sends ``PAYLOAD`` and keeps
what it receives until the client goes.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.servers.fault_proxy import DOWN, FIN, RST, UP, FaultPlan, FaultPlanner, FaultProxy

PAYLOAD = bytes(range(256)) * 80  # 20,480 bytes


class Upstream:
    """Sends PAYLOAD on each connection and records what each connection received."""

    def __init__(self, send: bytes = PAYLOAD) -> None:
        self.send = send
        self.received: list[bytearray] = []
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            got = bytearray()
            self.received.append(got)
            thread = threading.Thread(target=self._serve, args=(conn, got), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket, got: bytearray) -> None:
        with conn:
            conn.settimeout(0.05)
            try:
                if self.send:
                    conn.sendall(self.send)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        continue
                    if not data:
                        return
                    got.extend(data)
            except OSError:
                return

    def wait_connections_ended(self) -> None:
        for thread in list(self._threads):
            thread.join(5)

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(5)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    yield server
    server.close()


def _proxy(upstream: Upstream, *plans: FaultPlan) -> FaultProxy:
    return FaultProxy(("127.0.0.1", upstream.port), list(plans)).start()


def _read_all(sock: socket.socket, limit: int = len(PAYLOAD)) -> tuple[bytes, BaseException | None, int]:
    """Everything until EOF, a reset or ``limit`` bytes: (data, the error, number of reads)."""
    data, reads = bytearray(), 0
    sock.settimeout(10)
    try:
        while len(data) < limit:
            chunk = sock.recv(65536)
            if not chunk:
                return bytes(data), None, reads
            reads += 1
            data.extend(chunk)
    except OSError as exc:
        return bytes(data), exc, reads
    return bytes(data), None, reads


def test_clean_connection_passes_both_ways_untouched(upstream):
    with _proxy(upstream, FaultPlan()) as proxy, socket.create_connection(("127.0.0.1", proxy.port)) as client:
        data, error, _ = _read_all(client)
        client.sendall(b"A1 LOGOUT\r\n" * 100)
        client.shutdown(socket.SHUT_WR)
        assert _read_all(client)[:2] == (b"", None)  # the upstream's close passed on
    assert data == PAYLOAD and error is None
    assert bytes(upstream.received[0]) == b"A1 LOGOUT\r\n" * 100
    assert proxy.records[0].fired == []


@pytest.mark.parametrize("how", [RST, FIN])
def test_cut_server_to_client_after_n_bytes(upstream, how):
    with _proxy(upstream, FaultPlan(cut_after=1000, cut_direction=DOWN, cut_how=how)) as proxy, \
            socket.create_connection(("127.0.0.1", proxy.port)) as client:
        data, error, _ = _read_all(client)
    assert data == PAYLOAD[:1000]
    if how == RST:
        assert isinstance(error, ConnectionResetError)
    else:
        assert error is None  # an orderly end of stream
    assert proxy.records[0].fired == [f"cut-down-{how}"]


def test_cut_client_to_server_after_n_bytes(upstream):
    with _proxy(upstream, FaultPlan(cut_after=15, cut_direction=UP, cut_how=RST)) as proxy, \
            socket.create_connection(("127.0.0.1", proxy.port)) as client:
        _read_all(client)
        client.sendall(b"A1 SELECT INBOX\r\nA2 LOGOUT\r\n")
        _data, error, _ = _read_all(client)
        deadline = time.monotonic() + 5
        while not proxy.records[0].closed and time.monotonic() < deadline:
            time.sleep(0.01)
    assert isinstance(error, ConnectionResetError)
    assert bytes(upstream.received[0]) == b"A1 SELECT INBOX"
    assert proxy.records[0].fired == ["cut-up-rst"]


def test_stall_pauses_the_stream_then_resumes(upstream):
    with _proxy(upstream, FaultPlan(stall_after=500, stall_direction=DOWN, stall_seconds=1.5)) as proxy, \
            socket.create_connection(("127.0.0.1", proxy.port)) as client:
        first, _, _ = _read_all(client, limit=500)
        client.settimeout(0.3)
        with pytest.raises(TimeoutError):  # nothing while stalled
            client.recv(65536)
        rest, error, _ = _read_all(client, limit=len(PAYLOAD) - 500)
    assert first == PAYLOAD[:500] and first + rest == PAYLOAD and error is None
    assert proxy.records[0].fired == ["stall-down"]


def test_throttle_and_fragment_slow_and_split_the_stream(upstream):
    plan = FaultPlan(throttle=20_000, fragment=100)
    started = time.monotonic()
    with _proxy(upstream, plan) as proxy, socket.create_connection(("127.0.0.1", proxy.port)) as client:
        data, error, reads = _read_all(client)
    elapsed = time.monotonic() - started
    assert data == PAYLOAD and error is None
    assert elapsed >= 0.9 * len(PAYLOAD) / 20_000  # the proxy waits this long: a lower bound only
    assert proxy.records[0].writes[DOWN] == len(PAYLOAD) // 100 + 1
    assert reads > 1
    assert set(proxy.records[0].fired) == {"fragment", "throttle"}


def test_refused_connection_is_reset(upstream):
    with _proxy(upstream, FaultPlan(refuse=True)) as proxy, \
            socket.create_connection(("127.0.0.1", proxy.port)) as client:
        data, error, _ = _read_all(client)
    assert data == b"" and isinstance(error, ConnectionResetError)
    assert upstream.received == []  # never forwarded
    assert proxy.records[0].fired == ["refuse"]


def test_same_seed_replays_the_same_plans_and_covers_every_fault():
    plans = [FaultPlanner(seed=1234).plan(i) for i in range(300)]
    assert plans == [FaultPlanner(seed=1234).plan(i) for i in range(300)]
    assert plans != [FaultPlanner(seed=1235).plan(i) for i in range(300)]
    assert any(p.clean for p in plans) and any(p.refuse for p in plans)
    assert {p.cut_how for p in plans if p.cut_after is not None} == {RST, FIN}
    assert {p.cut_direction for p in plans if p.cut_after is not None} == {UP, DOWN}
    assert any(p.stall_after is not None for p in plans)
    assert any(p.throttle for p in plans) and any(p.fragment for p in plans)


def test_proxy_connections_follow_the_seeds_plans_in_order(upstream):
    planner = FaultPlanner(seed=99, stall_seconds=(0.01, 0.02), cut_bytes=(0, 50), cut_bytes_up=(0, 50))
    proxy = FaultProxy(("127.0.0.1", upstream.port), planner).start()
    try:
        for _ in range(12):
            with socket.create_connection(("127.0.0.1", proxy.port)) as client:
                _read_all(client, limit=100)
    finally:
        proxy.stop()
    assert proxy.seed == 99
    assert [r.plan for r in proxy.records] == [planner.plan(i) for i in range(12)]


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.linux_only  # counts /proc/self/fd
def test_stop_leaves_no_thread_or_socket_even_mid_stall(upstream):
    plans = [FaultPlan(stall_after=10, stall_seconds=60), FaultPlan(cut_after=5, cut_how=RST), FaultPlan(),
             FaultPlan(throttle=100)]
    threads, fds = threading.active_count(), _fds()
    proxy = _proxy(upstream, *plans)
    clients = [socket.create_connection(("127.0.0.1", proxy.port)) for _ in plans]
    for client in clients:
        client.settimeout(5)
        try:
            client.recv(5)
        except OSError:
            pass
    assert proxy.live_connections() >= 2  # the stalled and the throttled ones are open
    proxy.stop()
    for client in clients:
        client.close()
    assert proxy.live_connections() == 0 and all(r.closed for r in proxy.records)
    assert not [t.name for t in threading.enumerate() if t.name.startswith("fault-proxy")]
    upstream.wait_connections_ended()  # the proxy closed its side: the upstream's threads end
    assert threading.active_count() == threads
    assert _fds() == fds


def test_upstream_must_be_loopback():
    with pytest.raises(ValueError, match="loopback"):
        FaultProxy(("192.0.2.1", 143))
