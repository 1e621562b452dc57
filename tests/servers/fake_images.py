"""A loopback web server for remote-image tests: scripted answers, every request recorded.

``ImageServer`` listens on 127.0.0.1 (a free port), over TLS with the trustme test
certificate (valid for ``localhost`` and ``127.0.0.1``) or in plain HTTP, and answers
each path with a :class:`Route`: status, headers, body, optionally trickled slowly.
Every request is recorded with its headers, so a test can assert that no cookie and
no referrer were sent, and count how many requests a GUI made.
"""

from __future__ import annotations

import ssl
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.servers.certs import TestCertificates


def png_bytes(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real PNG image (what a mail's remote image would be)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = png_bytes()


@dataclass(frozen=True)
class Route:
    """How the server answers one path."""

    status: int = 200
    body: bytes = PNG
    content_type: str | None = "image/png"
    headers: tuple[tuple[str, str], ...] = ()
    #: Send Content-Length (False: the body ends when the connection closes).
    length: bool = True
    #: Seconds between chunks of ``chunk`` bytes of the body (0: all at once).
    trickle: float = 0.0
    chunk: int = 1
    #: Seconds to wait before the status line.
    delay: float = 0.0


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class ImageServer:
    """Started by :func:`image_server`; ``url(path)`` names a path on it."""

    scheme: str
    host: str
    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)


def _handler(server: ImageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with server.lock:
                server.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path.split("?")[0], Route(status=404, body=b"", content_type=None))
            if route.delay and server.stopping.wait(route.delay):
                return
            self.send_response(route.status)
            if route.content_type is not None:
                self.send_header("Content-Type", route.content_type)
            for name, value in route.headers:
                self.send_header(name, value)
            if route.length:
                self.send_header("Content-Length", str(len(route.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                if not route.trickle:
                    self.wfile.write(route.body)
                    return
                for start in range(0, len(route.body), route.chunk):
                    if server.stopping.wait(route.trickle):
                        return
                    self.wfile.write(route.body[start : start + route.chunk])
                    self.wfile.flush()
            except OSError:
                pass  # the client hung up (a cut download)

    return Handler


@contextmanager
def image_server(certs: TestCertificates | None, *, host: str = "127.0.0.1") -> Iterator[ImageServer]:
    """An image server on ``host``: HTTPS with ``certs``' loopback certificate, else plain HTTP."""
    httpd = ThreadingHTTPServer((host, 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    server = ImageServer("https" if certs is not None else "http", host, httpd.server_address[1])
    httpd.RequestHandlerClass = _handler(server)
    if certs is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(certs.server_cert_file), str(certs.server_key_file))
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def client_context(certs: TestCertificates) -> ssl.SSLContext:
    """What the client trusts in tests: the test CA only."""
    context = ssl.create_default_context(cafile=str(certs.ca_file))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def wait_for(predicate: object, timeout: float = 5.0) -> bool:
    """Poll ``predicate()`` until true (server threads record requests asynchronously)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False
