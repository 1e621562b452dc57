"""The one path every IMAP and SMTP connection takes (policy/api.py, steps 1–5).

Order, never skipped and never reordered:

1. ``policy.check_host(host)``;
2. resolve once (injectable :data:`Resolver`);
3. ``policy.check_address(host, ip)`` for EVERY address. **All must pass**: if
   any address is refused, the whole connection is refused, even when another
   address would be allowed — a DNS answer that mixes a domestic and a foreign
   address is exactly what a redirection attack looks like, and a later
   connection could otherwise land on the foreign one. Every address is
   checked (and reported) before any connection is attempted;
4. TCP connect to the checked addresses, in order, until one answers (the IP
   string is connected directly: no second lookup);
5. TLS: implicit, or STARTTLS negotiated by the protocol module (a server
   without STARTTLS, or answering it with anything but OK, is refused — never
   used in plaintext; bytes it sent after its OK are discarded); chain and
   host name verified with the policy's CA added, minimum version enforced,
   then SPKI pins.

Only the returned socket may carry credentials. Errors are typed (see
``net/failures.py``); the :class:`ConnectionReport` holds what was done so far.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from govmail_desktop.core.errors import Cancelled, PolicyRefused
from govmail_desktop.net import failures, tls
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.report import AddressCheck, ConnectionReport
from govmail_desktop.net.resolver import Resolver, system_resolver
from govmail_desktop.policy import api
from govmail_desktop.policy.api import ServerPolicy, TlsRules

log = logging.getLogger(__name__)

#: Limits for the plaintext phase before STARTTLS (a hostile server cannot make us buffer more).
PLAIN_MAX_LINE = 8192
PLAIN_MAX_TOTAL = 65536


class PlainChannel:
    """Line I/O on the TCP socket before TLS, for the STARTTLS negotiation only.

    Reads are bounded; whatever is still buffered when the negotiation ends was
    sent by the server after its "go ahead" and is discarded by the caller.
    """

    def __init__(self, sock: socket.socket, host: str, port: int) -> None:
        self.sock = sock
        self.host = host
        self.port = port
        self._buffer = bytearray()
        self._total = 0

    def send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise failures.from_os_error(exc, self.host, self.port, "sending before TLS") from exc

    def readline(self) -> bytes:
        """One line including its CRLF (LF accepted)."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            if len(self._buffer) > PLAIN_MAX_LINE:
                raise failures.too_much_data(self.host, self.port, "over-long line before TLS")
            try:
                chunk = self.sock.recv(4096)
            except OSError as exc:
                raise failures.from_os_error(exc, self.host, self.port, "reading before TLS") from exc
            if not chunk:
                raise failures.network_error(
                    failures.CONNECTION_CLOSED, self.host, self.port, "closed before TLS"
                )
            self._total += len(chunk)
            if self._total > PLAIN_MAX_TOTAL:
                raise failures.too_much_data(self.host, self.port, "too much data before TLS")
            self._buffer += chunk

    def drain_pending(self) -> int:
        """Forget buffered bytes (sent after the server's STARTTLS OK); returns how many."""
        count = len(self._buffer)
        self._buffer.clear()
        return count


#: Protocol-specific STARTTLS negotiation on the plaintext channel. Returns
#: normally only when the server said "go ahead"; otherwise raises
#: TlsError(tls-required) or ServerError. Never sends credentials.
StartTls = Callable[[PlainChannel], None]


@dataclass
class SecureConnection:
    """A verified TLS socket plus the report of how it was made."""

    sock: ssl.SSLSocket
    report: ConnectionReport

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def check_endpoint(
    endpoint: Endpoint,
    policy: ServerPolicy,
    *,
    resolver: Resolver | None = None,
    report: ConnectionReport | None = None,
    cancel: threading.Event | None = None,
) -> list[str]:
    """Steps 1–3: host rules, one resolution, every address checked. Returns the checked IPs.

    Raises the first PolicyRefused after every address has been checked (so
    that the report lists them all); nothing is connected to here.
    """
    report = report if report is not None else ConnectionReport(endpoint)
    host, port = endpoint.host, endpoint.port
    _check_cancel(cancel)
    try:
        checked = policy.check_host(host)
    except PolicyRefused:
        report.host_allowed = False
        raise
    report.host_allowed = True
    # policy/ may return the normalised (A-label) name: resolve and verify that one.
    name = connect_name(host, checked)
    report.checked_name = name
    _check_cancel(cancel)
    addresses = list((resolver or system_resolver)(name, port))
    if not addresses:
        raise failures.network_error(failures.DNS, host, port, "resolver returned no address")
    first_refusal: PolicyRefused | None = None
    for ip in addresses:
        try:
            reason = policy.check_address(name, ip)
        except PolicyRefused as exc:
            report.addresses.append(AddressCheck(ip, False, code=exc.code, detail=exc.detail))
            first_refusal = first_refusal or exc
            continue
        report.addresses.append(AddressCheck(ip, True, reason=str(reason)))
    if first_refusal is not None:
        raise first_refusal
    return addresses


def check_open(report: ConnectionReport, policy: ServerPolicy) -> None:
    """Steps 1 and 3 again for a connection already open (the policy changed meanwhile):
    :func:`check_endpoint` itself — the host rules, then the address — with the address the
    connection is made to in place of a new resolution (no DNS lookup: the open socket goes
    to that address, whatever the name resolves to now). Raises the PolicyRefused a new
    connect would meet; nothing happens for a report that never connected."""
    ip = report.connected_ip
    if ip is None:
        return
    check_endpoint(report.endpoint, policy, resolver=lambda _name, _port: [ip],
                   report=ConnectionReport(report.endpoint))


def interrupt(sock: socket.socket | None) -> None:
    """Wake the thread reading or writing ``sock`` from another thread: both directions are
    shut down (the server sees the connection end; a blocked read returns at once), the
    descriptor is left open for its owner to close on its own thread (no descriptor reused
    under its feet; for TLS the base socket's shutdown, so the TLS object stays intact)."""
    if sock is None:
        return
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):  # already closed or never connected
        pass


def connect_name(host: str, checked: object) -> str:
    """The name to resolve and to verify the certificate against."""
    return checked if isinstance(checked, str) and checked else host


def _connect_tcp(ip: str, port: int, timeout: float) -> socket.socket:
    family = socket.AF_INET6 if ipaddress.ip_address(ip).version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((ip, port))
    except BaseException:
        sock.close()
        raise
    return sock


def secure_connect(
    endpoint: Endpoint,
    policy: ServerPolicy,
    *,
    starttls: StartTls | None = None,
    resolver: Resolver | None = None,
    timeout: float = 20.0,
    cancel: threading.Event | None = None,
    report: ConnectionReport | None = None,
    extra_ca_files: Sequence[Path] = (),
) -> SecureConnection:
    """Steps 1–5 of the policy contract; returns a verified TLS socket (timeout set).

    ``starttls`` is required for ``security="starttls"`` endpoints (the IMAP
    or SMTP module passes its negotiator) and ignored for implicit TLS.
    ``cancel`` is checked between steps; each blocking step is bounded by
    ``timeout`` seconds.
    """
    report = report if report is not None else ConnectionReport(endpoint)
    host, port = endpoint.host, endpoint.port
    if endpoint.security == "starttls" and starttls is None:
        raise ValueError("a STARTTLS endpoint needs the protocol's STARTTLS negotiator")
    addresses = check_endpoint(endpoint, policy, resolver=resolver, report=report, cancel=cancel)
    rules = policy.tls_rules()
    # Built before connecting: a broken policy CA file fails without touching the network.
    context = tls.make_context(rules, extra_ca_files)

    raw: socket.socket | None = None
    last_error: Exception | None = None
    for ip in addresses:
        _check_cancel(cancel)
        try:
            raw = _connect_tcp(ip, port, timeout)
        except OSError as exc:
            log.info("Connecting to %s (%s) port %d failed: %s", host, ip, port, exc)
            last_error = failures.from_os_error(exc, host, port, f"connect {ip}")
            continue
        report.connected_ip = ip
        break
    if raw is None:
        assert last_error is not None
        raise last_error

    try:
        _check_cancel(cancel)
        if endpoint.security == "starttls":
            assert starttls is not None
            channel = PlainChannel(raw, host, port)
            starttls(channel)
            discarded = channel.drain_pending()
            if discarded:
                # RFC 3207/2595: anything after the go-ahead is not part of the TLS session.
                log.warning(
                    "Discarded %d bytes %s sent after its STARTTLS go-ahead (possible injection)",
                    discarded,
                    host,
                )
            report.discarded_plaintext_bytes = discarded
            _check_cancel(cancel)
        secure = _handshake(context, raw, endpoint, report.checked_name or host, rules)
    except BaseException:
        raw.close()
        raise
    try:
        _check_cancel(cancel)
        _verify_session(secure, endpoint, rules, report)
    except BaseException:
        secure.close()
        raise
    return SecureConnection(secure, report)


def _handshake(
    context: ssl.SSLContext, raw: socket.socket, endpoint: Endpoint, name: str, rules: TlsRules
) -> ssl.SSLSocket:
    host, port = endpoint.host, endpoint.port
    try:
        # An IP literal is matched against the certificate's IP SANs (no SNI is sent).
        return context.wrap_socket(raw, server_hostname=name.strip("[]"))
    except ssl.SSLCertVerificationError as exc:
        raise tls.map_ssl_error(exc, host, port, rules) from exc
    except ssl.SSLError as exc:
        if isinstance(exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError)) and not getattr(exc, "reason", None):
            raise failures.network_error(
                failures.CONNECTION_CLOSED, host, port, f"TLS handshake: {exc}"
            ) from exc
        raise tls.map_ssl_error(exc, host, port, rules) from exc
    except OSError as exc:
        raise failures.from_os_error(exc, host, port, "TLS handshake") from exc


def _verify_session(
    sock: ssl.SSLSocket, endpoint: Endpoint, rules: TlsRules, report: ConnectionReport
) -> None:
    """Checks after the handshake: version (belt and braces), pins; fills the report."""
    host, port = endpoint.host, endpoint.port
    version = sock.version()
    negotiated = tls.parse_version(version)
    minimum = tls.effective_min_version(rules)
    if negotiated is None or negotiated < minimum:
        raise failures.tls_error(
            api.TLS_VERSION, host, port, f"negotiated {version}", minimum=tls.version_name(minimum)
        )
    report.tls_version = version
    cipher = sock.cipher()
    report.cipher = cipher[0] if cipher else None
    chain = tls.verified_chain_der(sock)
    if chain:
        report.certificate = tls.CertificateInfo.from_der(chain[0])
    report.matched_pin = tls.check_pins(chain, rules.spki_pins, host, port)
    report.secure = True
