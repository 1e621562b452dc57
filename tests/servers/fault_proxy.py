"""A loopback TCP proxy that breaks connections on purpose, seeded and replayable.

Between the app and a real server (Dovecot's IMAP, the SMTP submission server), each
accepted connection gets a :class:`FaultPlan`:

- ``refuse``: the connection is reset as soon as it is accepted;
- ``cut_after`` bytes in one direction (``up`` = client → server, ``down`` = server →
  client), then both sides closed with a reset (``rst``: SO_LINGER 0) or an orderly
  close (``fin``);
- ``stall_seconds`` once ``stall_after`` bytes have gone in one direction;
- ``throttle`` to B bytes per second (both directions);
- ``fragment`` every write into k-byte writes (TCP_NODELAY: separate segments).

Plans come from :class:`FaultPlanner`: connection *i* of a proxy with seed *S* gets the
plan drawn from ``random.Random(f"{S}:{i}")``, so a seed replays the same faults whatever
the timing (the log line of every connection gives the seed, its index and its plan).

Threads: one accept thread, and per connection one thread per direction. Sockets have
short timeouts, so every thread notices a cut or :meth:`FaultProxy.stop` within
:data:`POLL` seconds; a connection's sockets are closed once, after both of its threads
have ended (no descriptor is closed under a thread still using it). ``stop()`` joins
everything: nothing is left behind (tests/unit/servers/test_fault_proxy.py checks the
thread count and /proc/self/fd).

Loopback only, both sides: it listens on 127.0.0.1 and refuses an upstream address that
is not a loopback address.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import struct
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

#: Seconds between checks of the cut/stop flags in blocking socket calls.
POLL = 0.02
UP, DOWN = "up", "down"
RST, FIN = "rst", "fin"


@dataclass(frozen=True)
class FaultPlan:
    """What happens to one connection (all None/False: passed through untouched)."""

    refuse: bool = False
    cut_after: int | None = None
    cut_direction: str = DOWN
    cut_how: str = RST
    stall_after: int | None = None
    stall_direction: str = DOWN
    stall_seconds: float = 0.0
    throttle: int | None = None  # bytes per second
    fragment: int | None = None  # bytes per write

    @property
    def clean(self) -> bool:
        return self == FaultPlan()

    def describe(self) -> str:
        if self.refuse:
            return "refuse"
        parts = []
        if self.cut_after is not None:
            parts.append(f"cut {self.cut_direction} after {self.cut_after} B ({self.cut_how})")
        if self.stall_after is not None:
            parts.append(f"stall {self.stall_direction} after {self.stall_after} B for {self.stall_seconds:.2f} s")
        if self.throttle is not None:
            parts.append(f"throttle {self.throttle} B/s")
        if self.fragment is not None:
            parts.append(f"fragment {self.fragment} B")
        return ", ".join(parts) or "clean"


@dataclass
class FaultPlanner:
    """Draws each connection's plan from the seed and the connection's index.

    ``fault_rate``: share of connections with any fault; the rest are clean. Sizes are
    drawn in the given ranges (bytes, seconds, bytes per second); the byte offsets of cuts
    and stalls in ``cut_bytes`` server → client and in ``cut_bytes_up`` client → server (a
    client sends far less: an IMAP sync of a small folder is ~1.5 KB up and ~8 KB down,
    TLS handshake included).
    """

    seed: int
    fault_rate: float = 0.6
    refuse_rate: float = 0.1
    cut_bytes: tuple[int, int] = (0, 12_000)
    cut_bytes_up: tuple[int, int] = (0, 2_000)
    stall_seconds: tuple[float, float] = (0.05, 1.0)
    throttle: tuple[int, int] = (20_000, 400_000)
    fragment: tuple[int, int] = (1, 64)

    def plan(self, index: int) -> FaultPlan:
        rng = random.Random(f"{self.seed}:{index}")
        if rng.random() >= self.fault_rate:
            return FaultPlan()
        if rng.random() < self.refuse_rate:
            return FaultPlan(refuse=True)
        while True:
            kinds = {k for k in ("cut", "stall", "throttle", "fragment") if rng.random() < 0.4}
            if kinds:
                break
        values: dict[str, object] = {}
        if "cut" in kinds:
            direction = rng.choice((UP, DOWN))
            values.update(cut_after=rng.randint(*(self.cut_bytes_up if direction == UP else self.cut_bytes)),
                          cut_direction=direction, cut_how=rng.choice((RST, FIN)))
        if "stall" in kinds:
            direction = rng.choice((UP, DOWN))
            values.update(stall_after=rng.randint(*(self.cut_bytes_up if direction == UP else self.cut_bytes)),
                          stall_direction=direction, stall_seconds=round(rng.uniform(*self.stall_seconds), 3))
        if "throttle" in kinds:
            values["throttle"] = rng.randint(*self.throttle)
        if "fragment" in kinds:
            values["fragment"] = rng.randint(*self.fragment)
        return FaultPlan(**values)


@dataclass
class ConnectionRecord:
    """One accepted connection: its plan, the bytes that went each way, the faults that fired."""

    index: int
    plan: FaultPlan
    sent: dict[str, int] = field(default_factory=lambda: {UP: 0, DOWN: 0})
    writes: dict[str, int] = field(default_factory=lambda: {UP: 0, DOWN: 0})
    fired: list[str] = field(default_factory=list)
    closed: bool = False


class _Connection:
    def __init__(self, record: ConnectionRecord, client: socket.socket) -> None:
        self.record = record
        self.client = client
        self.upstream: socket.socket | None = None
        self.ending = threading.Event()  # cut, error or proxy stop: both directions end
        self.how = FIN
        self.stalled = False
        self.eof = {UP: False, DOWN: False}
        self.threads: list[threading.Thread] = []


class _Closed(Exception):
    pass


def _reset_on_close(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass


class FaultProxy:
    """``FaultProxy(("127.0.0.1", port), planner).start()``; connect to ``.port``; ``stop()``.

    ``plans``: a planner (seeded) or a fixed list (connection *i* gets ``plans[i]``, clean
    beyond its end) — the unit tests use the list.
    """

    def __init__(
        self,
        upstream: tuple[str, int],
        plans: FaultPlanner | Sequence[FaultPlan] | None = None,
        *,
        name: str = "fault-proxy",
    ) -> None:
        if not ipaddress.ip_address(upstream[0]).is_loopback:
            raise ValueError(f"the fault proxy forwards to loopback addresses only, not {upstream[0]}")
        self.upstream = upstream
        self.name = name
        self._planner = plans if isinstance(plans, FaultPlanner) else None
        self._fixed = list(plans) if plans is not None and not isinstance(plans, FaultPlanner) else []
        self._listener: socket.socket | None = None
        self._accepter: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._live: dict[int, _Connection] = {}
        self.records: list[ConnectionRecord] = []
        self.port = 0
        #: Called with each record as a connection is accepted (before anything is forwarded).
        self.on_accept: Callable[[ConnectionRecord], None] | None = None
        #: When False, every new connection is clean (a settling sync); set between runs.
        self.faults_on = True

    @property
    def seed(self) -> int | None:
        return self._planner.seed if self._planner else None

    def plan_for(self, index: int) -> FaultPlan:
        if not self.faults_on:
            return FaultPlan()
        if self._planner is not None:
            return self._planner.plan(index)
        return self._fixed[index] if index < len(self._fixed) else FaultPlan()

    # ------------------------------------------------------------------ life cycle

    def start(self) -> FaultProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(POLL)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._accepter = threading.Thread(target=self._accept_loop, name=f"{self.name}-accept", daemon=True)
        self._accepter.start()
        log.info("%s: 127.0.0.1:%d -> %s:%d, seed=%s", self.name, self.port, *self.upstream, self.seed)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """End every connection and thread, close every socket; waits for them."""
        self._stopping.set()
        if self._accepter is not None:
            self._accepter.join(timeout)
        with self._lock:
            live = list(self._live.values())
        for conn in live:
            conn.ending.set()
        for conn in live:
            for thread in conn.threads:
                thread.join(timeout)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def end_all(self, timeout: float = 10.0) -> None:
        """Reset every open connection (e.g. before a clean settling run); waits for their threads."""
        with self._lock:
            live = list(self._live.values())
        for conn in live:
            conn.how = RST
            conn.ending.set()
        for conn in live:
            for thread in list(conn.threads):
                thread.join(timeout)

    def live_connections(self) -> int:
        with self._lock:
            return len(self._live)

    # ------------------------------------------------------------------ accepting

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with self._lock:
                index = len(self.records)
                record = ConnectionRecord(index, self.plan_for(index))
                self.records.append(record)
            log.info("%s seed=%s connection #%d: %s", self.name, self.seed, index, record.plan.describe())
            if self.on_accept is not None:
                self.on_accept(record)
            if record.plan.refuse:
                record.fired.append("refuse")
                _reset_on_close(client)
                client.close()
                record.closed = True
                continue
            conn = _Connection(record, client)
            with self._lock:
                self._live[index] = conn
            first = threading.Thread(target=self._serve, args=(conn,), name=f"{self.name}-{index}-up", daemon=True)
            conn.threads.append(first)
            first.start()

    def _serve(self, conn: _Connection) -> None:
        """The connection's first thread: connects upstream, pumps client → server, then
        waits for the other direction and closes both sockets (once)."""
        try:
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError as exc:
                log.info("%s connection #%d: upstream refused (%s)", self.name, conn.record.index, exc)
                conn.how = RST
                return
            conn.upstream = upstream
            for sock in (conn.client, upstream):
                sock.settimeout(POLL)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            down = threading.Thread(target=self._pump, args=(conn, DOWN), daemon=True,
                                    name=f"{self.name}-{conn.record.index}-down")
            conn.threads.append(down)
            down.start()
            self._pump(conn, UP)
            down.join()
        finally:
            self._close(conn)

    def _close(self, conn: _Connection) -> None:
        for sock in (conn.client, conn.upstream):
            if sock is None:
                continue
            if conn.how == RST:
                _reset_on_close(sock)
            try:
                sock.close()
            except OSError:
                pass
        conn.record.closed = True
        with self._lock:
            self._live.pop(conn.record.index, None)

    # ------------------------------------------------------------------ forwarding

    def _pump(self, conn: _Connection, direction: str) -> None:
        assert conn.upstream is not None
        src, dst = (conn.client, conn.upstream) if direction == UP else (conn.upstream, conn.client)
        try:
            while not self._ending(conn):
                try:
                    data = src.recv(65536)
                except TimeoutError:
                    continue
                if not data:  # an orderly close: passed on, the other direction goes on
                    conn.eof[direction] = True
                    try:
                        dst.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    if conn.eof[UP] and conn.eof[DOWN]:
                        conn.ending.set()
                    return
                self._forward(conn, direction, data, dst)
        except _Closed:
            return
        except OSError as exc:  # reset by one side: the other side is reset too
            log.debug("%s connection #%d %s: %s", self.name, conn.record.index, direction, exc)
            conn.how = RST
            conn.ending.set()

    def _ending(self, conn: _Connection) -> bool:
        if self._stopping.is_set():
            conn.ending.set()
        return conn.ending.is_set()

    def _forward(self, conn: _Connection, direction: str, data: bytes, dst: socket.socket) -> None:
        plan, record = conn.record.plan, conn.record
        pos = 0
        while pos < len(data):
            done = record.sent[direction]
            end = len(data)
            cut_here = plan.cut_after is not None and plan.cut_direction == direction
            if cut_here and plan.cut_after is not None:
                end = min(end, pos + max(0, plan.cut_after - done))
            stall_here = plan.stall_after is not None and plan.stall_direction == direction and not conn.stalled
            if stall_here and plan.stall_after is not None:
                end = min(end, pos + max(0, plan.stall_after - done))
            self._write(conn, direction, dst, data[pos:end])
            record.sent[direction] += end - pos
            pos = end
            if cut_here and record.sent[direction] >= (plan.cut_after or 0):
                record.fired.append(f"cut-{direction}-{plan.cut_how}")
                conn.how = plan.cut_how
                if plan.cut_how == FIN:
                    for sock in (conn.client, conn.upstream):
                        try:
                            if sock is not None:
                                sock.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                conn.ending.set()
                raise _Closed()
            if stall_here and record.sent[direction] >= (plan.stall_after or 0):
                conn.stalled = True
                record.fired.append(f"stall-{direction}")
                if conn.ending.wait(plan.stall_seconds) or self._ending(conn):
                    raise _Closed()

    def _write(self, conn: _Connection, direction: str, dst: socket.socket, data: bytes) -> None:
        plan = conn.record.plan
        step = plan.fragment or len(data) or 1
        for start in range(0, len(data), step):
            piece = memoryview(data)[start : start + step]
            size = len(piece)
            while piece:
                if self._ending(conn):
                    raise _Closed()
                try:
                    sent = dst.send(piece)
                except TimeoutError:
                    continue
                piece = piece[sent:]
            conn.record.writes[direction] += 1
            if plan.fragment is not None and "fragment" not in conn.record.fired:
                conn.record.fired.append("fragment")
            if plan.throttle:
                if "throttle" not in conn.record.fired:
                    conn.record.fired.append("throttle")
                if conn.ending.wait(size / plan.throttle):
                    raise _Closed()
