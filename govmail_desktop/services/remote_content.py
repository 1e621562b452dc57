"""Remote images of a message, fetched only when allowed, off the GUI thread, within limits.

The formatted view never fetches anything itself (``ui/message_view.py`` answers
``remote:N`` from what this module brought). When the user (or the agency's
policy and the user's choice) allows a message's remote images, each one is
fetched here with the rules of :class:`RemoteRules`:

* HTTPS only, unless the policy allows plain HTTP (``content.remote_http``);
  certificates verified; no user name or password in the address;
* only hosts the policy lists, when it lists any (``content.remote_hosts``);
  host names normalised first (IDNA), so a look-alike never matches;
* no cookies (no cookie jar at all), no ``Referer``, no credentials, a plain
  ``User-Agent`` that is the same for every user; ``Accept-Encoding: identity``;
* a size cap per image (declared length checked first, then counted while
  reading) and a total per message (:class:`Budget`);
* a time limit per image covering connecting, TLS, the headers, every redirect
  and the body — a watchdog closes the socket when it runs out, so a server
  trickling bytes cannot hold a worker;
* redirects followed by hand (at most ``max_redirects``), each target checked
  by the same rules before it is asked;
* only images: the declared type must be a raster image type (never SVG, which
  can refer to other resources) and the bytes must start like one.

:class:`RemoteImageLoader` runs the fetches on its own threads and hands the
results to the GUI thread through a Qt signal (QtCore only: services/ never
reach QtGui; the GUI passes a ``decode`` function that makes the image on the
worker). Messages in Junk are never given to it (``ui/remote_bar.py``).
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from PySide6.QtCore import QObject, Signal, Slot

from govmail_desktop.policy.hosts import HostPattern, InvalidHost, first_match, normalize_host
from govmail_desktop.policy.model import ContentSection

log = logging.getLogger(__name__)

#: One User-Agent for everyone: it says nothing about the user, the version or the system.
USER_AGENT = "GovMail"
ACCEPT = "image/png,image/jpeg,image/gif,image/webp,image/bmp;q=0.9"

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_MESSAGE_BYTES = 20 * 1024 * 1024
#: Remote images fetched for one message at most (the rest stay placeholders).
MAX_IMAGES = 100
TIME_LIMIT = 10.0
MAX_REDIRECTS = 5
#: Images fetched at the same time.
WORKERS = 4
CHUNK = 64 * 1024

REASON_POLICY = "policy"
REASON_SCHEME = "scheme"
REASON_HOST = "host"
REASON_ADDRESS = "address"
REASON_SIZE = "size"
REASON_TOTAL = "total"
REASON_TIME = "time"
REASON_TYPE = "type"
REASON_STATUS = "status"
REASON_REDIRECTS = "redirects"
REASON_NETWORK = "network"
REASON_CANCELLED = "cancelled"
REASON_TOO_MANY = "too-many"

#: Declared types taken (raster images; never SVG).
IMAGE_TYPES = frozenset({
    "image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/webp", "image/bmp",
    "image/x-ms-bmp", "image/x-icon", "image/vnd.microsoft.icon",
})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def looks_like_image(data: bytes) -> bool:
    """True when ``data`` starts like a PNG, JPEG, GIF, WebP, BMP or ICO file."""
    return (
        data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"\x00\x00\x01\x00"))
        or (data.startswith(b"BM") and len(data) > 26)
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    )


class RemoteRefused(Exception):
    """A remote image not fetched; ``reason`` is one of the REASON_* codes (for logs and the bar)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Target:
    """A checked address: what to connect to and what to ask."""

    scheme: str
    host: str  # normalised (A-labels, IP in compressed form)
    port: int
    path: str  # path and query


@dataclass(frozen=True)
class RemoteRules:
    """What may be fetched, and how much."""

    #: The policy's ``content.remote_content_allowed``: False fetches nothing.
    allowed: bool = True
    allow_http: bool = False
    hosts: tuple[HostPattern, ...] = ()
    max_image_bytes: int = MAX_IMAGE_BYTES
    max_message_bytes: int = MAX_MESSAGE_BYTES
    max_images: int = MAX_IMAGES
    time_limit: float = TIME_LIMIT
    max_redirects: int = MAX_REDIRECTS

    @classmethod
    def from_policy(cls, content: ContentSection | None) -> RemoteRules:
        """The rules of the policy's content section (None: a broken policy — nothing allowed)."""
        if content is None:
            return cls(allowed=False)
        return cls(allowed=content.remote_content_allowed, allow_http=content.remote_http,
                   hosts=tuple(content.remote_hosts))

    def check_url(self, url: str) -> Target:
        """The target of ``url`` if these rules let it be fetched; RemoteRefused otherwise."""
        if not self.allowed:
            raise RemoteRefused(REASON_POLICY, "the policy forbids remote content")
        if not isinstance(url, str) or len(url) > 8192 or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
            raise RemoteRefused(REASON_ADDRESS, "not a usable address")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise RemoteRefused(REASON_ADDRESS, str(exc)) from None
        scheme = parts.scheme.lower()
        if scheme not in ("https", "http") or (scheme == "http" and not self.allow_http):
            raise RemoteRefused(REASON_SCHEME, f"{scheme or 'no'} scheme not allowed")
        if parts.username is not None or parts.password is not None:
            raise RemoteRefused(REASON_ADDRESS, "credentials in the address")
        try:
            host = normalize_host(parts.hostname or "")
        except InvalidHost as exc:
            raise RemoteRefused(REASON_ADDRESS, f"host: {exc}") from None
        if self.hosts and first_match(self.hosts, host) is None:
            raise RemoteRefused(REASON_HOST, f"{host} is not among the policy's remote hosts")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


class Budget:
    """Bytes left for one message's remote images (shared by its fetches, thread-safe)."""

    def __init__(self, total: int) -> None:
        self._left = total
        self._lock = threading.Lock()

    @property
    def spent(self) -> bool:
        """Nothing is left: no further image is asked for."""
        with self._lock:
            return self._left <= 0

    def take(self, size: int) -> None:
        with self._lock:
            if size > self._left:
                self._left = 0
                raise RemoteRefused(REASON_TOTAL, "the message's remote images are over the total allowed")
            self._left -= size


class Abort:
    """Cuts a fetch from another thread: shuts its socket down (a blocked read returns at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.reason: str | None = None

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.reason is not None:
                self._shutdown()

    def fire(self, reason: str) -> None:
        with self._lock:
            if self.reason is None:
                self.reason = reason
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def check(self) -> None:
        if self.reason is not None:
            raise RemoteRefused(self.reason, "cut: " + ("time limit" if self.reason == REASON_TIME else self.reason))


@dataclass(frozen=True)
class FetchedImage:
    url: str
    final_url: str
    content_type: str
    data: bytes


class _Conn(http.client.HTTPSConnection):
    """HTTP(S) connection whose raw socket is handed to an :class:`Abort` as soon as it exists."""

    def __init__(self, target: Target, context: ssl.SSLContext, timeout: float, abort: Abort) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._plain = target.scheme == "http"
        self._abort = abort
        if self._plain:
            self.default_port = http.client.HTTP_PORT  # "Host: name" without ":80"

    def connect(self) -> None:
        self.sock = socket.create_connection((self.host, self.port), self.timeout)
        self._abort.watch(self.sock)
        if self._plain:
            return
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)  # type: ignore[attr-defined]
        self._abort.watch(self.sock)


#: The TLS settings remote images are fetched with (for callers that may not import ssl).
TlsContext = ssl.SSLContext


def remote_ssl_context(extra_ca: Path | None = None) -> ssl.SSLContext:
    """The system's trusted CAs (plus the agency's CA file, when the policy names one), TLS 1.2+."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if extra_ca is not None:
        try:
            context.load_verify_locations(cafile=str(extra_ca))
        except (OSError, ssl.SSLError) as exc:
            log.warning("Agency CA file %s not used for remote images: %s", extra_ca, exc)
    return context


def fetch_image(
    url: str,
    rules: RemoteRules,
    *,
    context: ssl.SSLContext,
    budget: Budget | None = None,
    abort: Abort | None = None,
) -> FetchedImage:
    """Fetch one remote image under ``rules``; RemoteRefused says why it was not taken."""
    abort = abort or Abort()
    abort.check()
    if budget is not None and budget.spent:
        raise RemoteRefused(REASON_TOTAL, "the message's remote images are over the total allowed")
    timer = threading.Timer(rules.time_limit, abort.fire, (REASON_TIME,))
    timer.daemon = True
    timer.start()
    deadline = time.monotonic() + rules.time_limit
    try:
        current = url
        for _hop in range(rules.max_redirects + 1):
            target = rules.check_url(current)
            result = _exchange(target, current, rules, context, budget, abort, deadline)
            if isinstance(result, str):  # a redirect: check the next address the same way
                current = urljoin(current, result)
                continue
            content_type, data = result
            return FetchedImage(url, current, content_type, data)
        raise RemoteRefused(REASON_REDIRECTS, f"more than {rules.max_redirects} redirects")
    finally:
        timer.cancel()


def _exchange(
    target: Target, url: str, rules: RemoteRules, context: ssl.SSLContext, budget: Budget | None,
    abort: Abort, deadline: float,
) -> str | tuple[str, bytes]:
    """One request: the redirect's Location, or (content type, bytes) of the image."""
    conn = _Conn(target, context, max(0.01, deadline - time.monotonic()), abort)
    try:
        try:
            conn.putrequest("GET", target.path, skip_accept_encoding=True)
            conn.putheader("User-Agent", USER_AGENT)
            conn.putheader("Accept", ACCEPT)
            conn.putheader("Accept-Encoding", "identity")
            conn.putheader("Connection", "close")
            conn.endheaders()
            response = conn.getresponse()
            abort.check()
            if response.status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise RemoteRefused(REASON_STATUS, f"redirect {response.status} without a Location")
                return location
            if response.status != 200:
                raise RemoteRefused(REASON_STATUS, f"HTTP {response.status}")
            content_type = response.headers.get_content_type() if response.getheader("Content-Type") else ""
            if content_type not in IMAGE_TYPES:
                raise RemoteRefused(REASON_TYPE, f"not an image: {content_type or 'no type'}")
            encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
            if encoding != "identity":
                raise RemoteRefused(REASON_TYPE, f"encoded as {encoding[:40]}")
            data = _read_body(response, rules, budget, abort)
        except RemoteRefused:
            abort.check()  # cut by the watchdog or cancelled: say that, not what it broke
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            abort.check()
            if isinstance(exc, ssl.SSLCertVerificationError):
                raise RemoteRefused(REASON_NETWORK, f"certificate not trusted: {exc.verify_message}") from None
            if isinstance(exc, (TimeoutError, socket.timeout)):
                raise RemoteRefused(REASON_TIME, "time limit") from None
            raise RemoteRefused(REASON_NETWORK, f"{type(exc).__name__}: {exc}") from None
    finally:
        conn.close()
    if not looks_like_image(data):
        raise RemoteRefused(REASON_TYPE, f"{content_type} label on bytes that are not an image")
    log.debug("Remote image fetched: %d bytes from %s", len(data), target.host)
    return content_type, data


def _read_body(response: http.client.HTTPResponse, rules: RemoteRules, budget: Budget | None, abort: Abort) -> bytes:
    declared = response.getheader("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > rules.max_image_bytes:
        raise RemoteRefused(REASON_SIZE, f"{declared} bytes declared, at most {rules.max_image_bytes} taken")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(CHUNK)
        abort.check()
        if not chunk:
            break
        size += len(chunk)
        if size > rules.max_image_bytes:
            raise RemoteRefused(REASON_SIZE, f"over {rules.max_image_bytes} bytes")
        if budget is not None:
            budget.take(len(chunk))
        chunks.append(chunk)
    return b"".join(chunks)


# -- the loader: fetches on worker threads, results on the GUI thread ----------------------------


@dataclass
class _Request:
    token: object
    urls: tuple[str, ...]
    budget: Budget
    left: int
    cancelled: threading.Event = field(default_factory=threading.Event)
    aborts: set[Abort] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def cancel(self) -> None:
        self.cancelled.set()
        with self.lock:
            aborts = list(self.aborts)
        for abort in aborts:
            abort.fire(REASON_CANCELLED)


class RemoteImageLoader(QObject):
    """Fetches a message's remote images on worker threads.

    ``decode(bytes)`` runs on the worker and makes what the GUI shows (a QImage
    there; None: the bytes are no usable image). Results arrive on the thread
    that owns the loader (the GUI thread).

    Signals:
        image_loaded(object token, int index, object image): one image is here.
        image_failed(object token, int index, str reason): one was not taken (REASON_*).
        finished(object token): every image of the request was answered.
    """

    image_loaded = Signal(object, int, object)
    image_failed = Signal(object, int, str)
    finished = Signal(object)
    _answer = Signal(object, int, object, str)

    def __init__(
        self,
        rules: RemoteRules | None = None,
        *,
        context: ssl.SSLContext | None = None,
        decode: Callable[[bytes], object] | None = None,
        workers: int = WORKERS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.rules = rules or RemoteRules()
        self._context = context
        self._decode = decode
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="remote-images")
        self._requests: dict[int, _Request] = {}
        self._closed = False
        self._answer.connect(self._deliver)

    @property
    def context(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = remote_ssl_context()
        return self._context

    def load(self, token: object, urls: Sequence[str]) -> None:
        """Fetch ``urls`` (index = position) for ``token``; answers follow as signals."""
        if self._closed:
            return
        request = _Request(token, tuple(urls), Budget(self.rules.max_message_bytes), len(urls))
        self._requests[id(request)] = request
        if not urls:
            self._requests.pop(id(request))
            self.finished.emit(token)
            return
        rules = self.rules
        context = self.context
        for index, url in enumerate(request.urls):
            if index >= rules.max_images:
                self._answer.emit(request, index, None, REASON_TOO_MANY)
                continue
            self._executor.submit(self._fetch, request, index, url, rules, context)

    def cancel(self, token: object | None = None) -> None:
        """Stop fetching for ``token`` (None: everything); no answer for it follows."""
        for request in list(self._requests.values()):
            if token is None or request.token == token:
                request.cancel()
                self._requests.pop(id(request), None)

    @property
    def busy(self) -> bool:
        return bool(self._requests)

    def shutdown(self) -> None:
        """Cut every fetch and stop the threads (at exit)."""
        self._closed = True
        self.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _fetch(self, request: _Request, index: int, url: str, rules: RemoteRules, context: ssl.SSLContext) -> None:
        """Worker thread."""
        if request.cancelled.is_set():
            return
        abort = Abort()
        with request.lock:
            request.aborts.add(abort)
        image: object = None
        reason = ""
        try:
            if request.cancelled.is_set():
                return
            fetched = fetch_image(url, rules, context=context, budget=request.budget, abort=abort)
            image = self._decode(fetched.data) if self._decode is not None else fetched.data
            if image is None:
                reason = REASON_TYPE
        except RemoteRefused as refused:
            reason = refused.reason
            log.info("Remote image %d not loaded: %s", index, refused.reason)
            log.debug("Remote image %d not loaded: %s", index, refused.detail)
        except Exception:
            log.exception("Remote image %d: unexpected error", index)
            reason = REASON_NETWORK
        finally:
            with request.lock:
                request.aborts.discard(abort)
        if not request.cancelled.is_set():
            self._answer.emit(request, index, image, reason)

    @Slot(object, int, object, str)
    def _deliver(self, request: _Request, index: int, image: object, reason: str) -> None:
        """GUI thread: pass the answer on unless the request was cancelled meanwhile."""
        if request.cancelled.is_set() or id(request) not in self._requests:
            return
        if reason:
            self.image_failed.emit(request.token, index, reason)
        else:
            self.image_loaded.emit(request.token, index, image)
        request.left -= 1
        if request.left <= 0:
            self._requests.pop(id(request), None)
            self.finished.emit(request.token)
