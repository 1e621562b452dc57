"""Small scripted servers for what a real server cannot show (refusal tests only).

Each fake listens on a loopback address with a free port, serves every
connection on its own thread and records everything it received — in
plaintext and after TLS — so a test can assert that a password never arrived.
TLS on the fakes uses the trustme test certificates; clients always verify.
"""

from __future__ import annotations

import base64
import select
import socket
import ssl
import threading
from dataclasses import dataclass, field


class LineSocket:
    """CRLF line reading on a socket without read-ahead surprises across a TLS upgrade."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()

    def readline(self) -> bytes:
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        end = self.buffer.index(b"\n") + 1
        line = bytes(self.buffer[:end])
        del self.buffer[:end]
        return line

    def read_exact(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)


@dataclass
class Received:
    """What one fake server saw, across all its connections."""

    connections: int = 0
    plaintext: bytearray = field(default_factory=bytearray)
    encrypted: bytearray = field(default_factory=bytearray)  # decrypted bytes received over TLS
    tls_handshakes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, secret: str) -> bool:
        """Whether ``secret`` arrived on any connection, raw or inside a base64 SASL token."""
        needle = secret.encode("utf-8")
        with self.lock:
            data = bytes(self.plaintext) + bytes(self.encrypted)
        if needle in data:
            return True
        for token in data.split():
            try:
                if needle in base64.b64decode(token, validate=True):
                    return True
            except ValueError:
                continue
        return False


class FakeServer:
    """Accept loop on a loopback address; subclasses implement :meth:`serve`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
    ) -> None:
        self.host = host
        self.tls_context = tls_context
        self.implicit_tls = implicit_tls
        self.received = Received()
        self._listener = socket.create_server((host, port))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept_thread = threading.Thread(target=self._accept_loop, daemon=True, name=f"fake-{self.port}")
        self._accept_thread.start()

    # -- life cycle -----------------------------------------------------------------
    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() at once
        except OSError:
            pass
        self._accept_thread.join(5)
        self._listener.close()
        for t in self._threads:
            t.join(5)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                if self._stop.is_set():
                    return
                continue
            with self.received.lock:
                self.received.connections += 1
            t = threading.Thread(target=self._run, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _run(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            if self.implicit_tls:
                conn = self.start_tls(conn)
            self.serve(LineSocket(conn))
        except (EOFError, OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    # -- helpers for subclasses ----------------------------------------------------
    def start_tls(self, conn: socket.socket) -> ssl.SSLSocket:
        assert self.tls_context is not None
        tls_sock = self.tls_context.wrap_socket(conn, server_side=True)
        with self.received.lock:
            self.received.tls_handshakes += 1
        return tls_sock

    def record(self, sock: socket.socket, data: bytes) -> None:
        with self.received.lock:
            (self.received.encrypted if isinstance(sock, ssl.SSLSocket) else self.received.plaintext).extend(data)

    def readline(self, io: LineSocket) -> bytes:
        line = io.readline()
        self.record(io.sock, line)
        return line

    def serve(self, io: LineSocket) -> None:
        raise NotImplementedError


class SilentListener:
    """A listening socket that must see no connection (a refused address).

    Connections complete in the kernel's backlog before the client's connect()
    returns, so checking right after the client gave up needs no waiting.
    """

    def __init__(self, host: str = "127.0.0.2", port: int = 0) -> None:
        self._sock = socket.create_server((host, port))
        self.host = host
        self.port = self._sock.getsockname()[1]

    def connection_attempted(self) -> bool:
        readable, _, _ = select.select([self._sock], [], [], 0)
        if readable:
            conn, _ = self._sock.accept()
            conn.close()
            return True
        return False

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> SilentListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
