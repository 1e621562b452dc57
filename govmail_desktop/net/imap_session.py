"""IMAP over the policy-checked, verified TLS socket (the ONLY importer of imapclient).

How imapclient gets a socket it did not open: :class:`_CheckedIMAP4` is an
``imaplib.IMAP4`` whose ``_create_socket`` returns the socket that
``secure_connect`` already verified, and :class:`_CheckedIMAPClient` hands that
object to IMAPClient through ``_create_IMAP4``. Neither library ever resolves
or connects by itself, and neither ever runs its own ``starttls()``. That hook (and
``_starttls_done``) is the one use of imapclient's internals, in ``_CheckedIMAPClient``;
after login :meth:`ImapSession.take_socket` hands the socket and imaplib's read-ahead
buffer to ``net/imap`` from the imaplib object made here, not through imapclient.

STARTTLS is negotiated here on the plaintext channel
*before* imaplib sees the connection:

* greeting ``* PREAUTH`` → refused (tls-required): a session that is already
  authenticated cannot be upgraded;
* ``* BYE`` or anything but ``* OK`` → refused, the server's text is not shown;
* STARTTLS not advertised, or answered NO/BAD → refused (tls-required) before
  any credential is sent;
* bytes after the tagged OK are discarded by ``secure_connect``;
* imaplib then starts on the TLS socket from a synthetic ``* OK`` greeting and
  asks CAPABILITY again over TLS, so nothing learned in plaintext survives.

Reads are bounded: imaplib accepts lines of a million bytes,
reads any literal whole (``{99999999999999}`` was a MemoryError) and keeps every
untagged response, so :class:`_CheckedIMAP4` bounds its ``readline``/``read`` by the
``LOGIN_PHASE_*`` limits below. Beyond them the connection is closed and the
caller gets ServerError ``server-too-much-data`` — never AuthError.

One :class:`ImapSession` belongs to one thread (imapclient is not thread-safe).
"""

from __future__ import annotations

import imaplib
import logging
import re
import ssl
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn, cast

from imapclient import IMAPClient
from imapclient import exceptions as imap_exc

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.net import failures
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.net.resolver import Resolver
from govmail_desktop.net.secure_connect import PlainChannel, secure_connect
from govmail_desktop.policy import api
from govmail_desktop.policy.api import ServerPolicy

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

log = logging.getLogger(__name__)

_TAG_CAPABILITY = b"GM1"
_TAG_STARTTLS = b"GM2"
_CAPABILITY_CODE = re.compile(rb"\[CAPABILITY ([^\]]*)\]", re.IGNORECASE)
# Response codes after which a NO to LOGIN is the server's problem, not the password (RFC 5530).
_SERVER_SIDE_CODES = ("[UNAVAILABLE]", "[SERVERBUG]", "[CONTACTADMIN]", "[LIMIT]", "[INUSE]")

#: What imaplib may read here (greeting, CAPABILITY, LOGIN/AUTHENTICATE, LOGOUT; the
#: mailbox work runs on net/imap/ with its own bounds). A real server answers
#: each of these in a few lines of a few hundred bytes.
LOGIN_PHASE_MAX_LINE = 64 * 1024
#: A literal in these answers is already odd; message data never comes here.
LOGIN_PHASE_MAX_LITERAL = 64 * 1024
#: Lines (responses and literal ends) and bytes per command sent.
LOGIN_PHASE_MAX_LINES = 1000
LOGIN_PHASE_MAX_BYTES = 1024 * 1024


def _tagged_status(line: bytes, tag: bytes) -> str | None:
    """``b"GM2 OK Begin TLS"`` → ``"OK"`` when the line carries ``tag``."""
    if not line.startswith(tag + b" "):
        return None
    parts = line.split(None, 2)
    return parts[1].decode("ascii", "replace").upper() if len(parts) > 1 else "BAD"


def _read_until_tagged(channel: PlainChannel, tag: bytes) -> tuple[str, list[bytes]]:
    untagged: list[bytes] = []
    while True:
        line = channel.readline()
        status = _tagged_status(line, tag)
        if status is not None:
            return status, untagged
        if line.startswith(b"+"):
            raise failures.server_error(
                failures.PROTOCOL, channel.host, channel.port, "continuation request before TLS"
            )
        if line.upper().startswith(b"* BYE"):
            raise failures.server_error(
                failures.SERVER_REFUSED_SESSION, channel.host, channel.port, "BYE before TLS"
            )
        untagged.append(line)


def negotiate_starttls(channel: PlainChannel) -> None:
    """IMAP STARTTLS on the plaintext channel; returns only on the server's tagged OK."""
    host, port = channel.host, channel.port
    greeting = channel.readline().upper()
    if greeting.startswith(b"* PREAUTH"):
        raise failures.tls_error(api.TLS_REQUIRED, host, port, "PREAUTH greeting where STARTTLS is required")
    if greeting.startswith(b"* BYE"):
        raise failures.server_error(failures.SERVER_REFUSED_SESSION, host, port, "BYE greeting before TLS")
    if not greeting.startswith(b"* OK"):
        raise failures.server_error(failures.PROTOCOL, host, port, "no IMAP greeting")
    capabilities: set[bytes] = set()
    code = _CAPABILITY_CODE.search(greeting)
    if code:
        capabilities.update(code.group(1).split())
    if b"STARTTLS" not in capabilities:
        channel.send(_TAG_CAPABILITY + b" CAPABILITY\r\n")
        status, untagged = _read_until_tagged(channel, _TAG_CAPABILITY)
        if status == "OK":
            for line in untagged:
                if line.upper().startswith(b"* CAPABILITY "):
                    capabilities.update(line.upper().split()[2:])
    if b"STARTTLS" not in capabilities:
        raise failures.tls_error(api.TLS_REQUIRED, host, port, "server does not advertise STARTTLS")
    channel.send(_TAG_STARTTLS + b" STARTTLS\r\n")
    status, _ = _read_until_tagged(channel, _TAG_STARTTLS)
    if status != "OK":
        raise failures.tls_error(api.TLS_REQUIRED, host, port, f"STARTTLS answered {status}")


class _CheckedIMAP4(imaplib.IMAP4):
    """imaplib on a socket that is already connected, checked and TLS-verified."""

    _AFTER_STARTTLS_GREETING = b"* OK [GovMail] TLS established with STARTTLS\r\n"

    def __init__(self, sock: ssl.SSLSocket, host: str, port: int, after_starttls: bool) -> None:
        self._checked_sock: ssl.SSLSocket | None = sock
        #: The socket secure_connect verified: the only one this object ever reads.
        self.verified_socket = sock
        # After STARTTLS there is no new greeting: start imaplib from a synthetic
        # one so that it asks CAPABILITY afresh over TLS.
        self._synthetic_greeting = self._AFTER_STARTTLS_GREETING if after_starttls else None
        self._lines_left = LOGIN_PHASE_MAX_LINES  # for the greeting; each send() renews them
        self._bytes_left = LOGIN_PHASE_MAX_BYTES
        super().__init__(host, port)
        self._tls_established = True

    def _create_socket(self, timeout: float | None) -> ssl.SSLSocket:
        sock, self._checked_sock = self._checked_sock, None
        if sock is None:
            raise self.abort("GovMail connects only once, through the policy")
        return sock

    def send(self, data: ReadableBuffer) -> None:
        # A command (or a literal of one) from us: a new allowance for the answer.
        self._lines_left = LOGIN_PHASE_MAX_LINES
        self._bytes_left = LOGIN_PHASE_MAX_BYTES
        super().send(data)

    def readline(self) -> bytes:
        if self._synthetic_greeting is not None:
            line, self._synthetic_greeting = self._synthetic_greeting, None
            return line
        # imaplib's own readline takes up to 1,000,000 bytes; b"" at EOF is its business.
        line = self._reader.readline(LOGIN_PHASE_MAX_LINE + 1)
        if len(line) > LOGIN_PHASE_MAX_LINE:
            self._too_much(f"a line longer than {LOGIN_PHASE_MAX_LINE} bytes")
        self._lines_left -= 1
        self._bytes_left -= len(line)
        if self._lines_left < 0 or self._bytes_left < 0:
            self._too_much("more responses to one command than a mail server would send")
        return line

    def read(self, size: int) -> bytes:
        """A literal of ``size`` bytes: refused before reading when it is too big."""
        if size > LOGIN_PHASE_MAX_LITERAL or size > self._bytes_left:
            self._too_much(f"a literal of {size} bytes")
        self._bytes_left -= size
        return super().read(size)

    def _too_much(self, detail: str) -> NoReturn:
        """End the connection: nothing more is read from a server that sends this much."""
        log.warning("%s sent more than a mail server would while logging in (%s); connection closed",
                    self.host, detail)
        try:
            self.shutdown()
        except OSError:
            pass
        raise failures.too_much_data(self.host, self.port, f"login phase: {detail}")

    def starttls(self, ssl_context: ssl.SSLContext | None = None) -> NoReturn:
        raise self.abort("TLS is established by GovMail before imaplib starts")

    def hand_over(self) -> tuple[ssl.SSLSocket, BinaryIO]:
        """The verified socket and the buffered reader this object reads it through
        (``readline`` above): bytes imaplib read past the last answer it parsed are in
        that reader, so the new owner takes them first, and closes both."""
        return self.verified_socket, self._reader

    @property
    def _reader(self) -> BinaryIO:
        """imaplib's ``file``: ``open()`` made it with ``makefile("rb")`` (its stubs allow text too)."""
        return cast(BinaryIO, self.file)


class _CheckedIMAPClient(IMAPClient):
    """IMAPClient that uses the prepared imaplib object instead of connecting.

    imapclient has no public way to start on a connection it did not open, so this class
    is the one place that relies on its internals: ``IMAPClient.__init__`` takes its
    imaplib object from ``_create_IMAP4()``, and ``_starttls_done`` makes it refuse a
    STARTTLS of its own and ask CAPABILITY again before login. Checked against the
    imapclient release pyproject.toml allows (4.1); tests/unit/net/test_imapclient_seam.py
    fails when a release changes either.
    """

    def __init__(self, imap4: _CheckedIMAP4, endpoint: Endpoint, timeout: float) -> None:
        self._prepared_imap4: _CheckedIMAP4 | None = imap4
        implicit = endpoint.security == "tls"
        super().__init__(endpoint.host, port=endpoint.port, ssl=implicit, timeout=timeout)
        if self.socket() is not imap4.verified_socket:
            # A release that no longer asks _create_IMAP4: never run on a connection of its own.
            self.shutdown()
            raise failures.server_error(
                failures.PROTOCOL, endpoint.host, endpoint.port, "imapclient did not take the checked connection"
            )
        if not implicit:
            # Makes IMAPClient refuse its own starttls() and re-ask capabilities before login.
            self._starttls_done = True

    def _create_IMAP4(self) -> _CheckedIMAP4:  # imapclient's name
        imap4, self._prepared_imap4 = self._prepared_imap4, None
        if imap4 is None:
            raise imap_exc.IMAPClientAbortError("GovMail connects only once, through the policy")
        return imap4


def _connection_lost(exc: BaseException) -> imaplib.IMAP4.abort | None:
    """imaplib's "the connection ended" (an ``abort`` saying ``socket error: EOF`` or
    ``socket error: <OSError>``), also when imapclient caught it and raised its own error
    (LoginError, CapabilityError) in its place. Other aborts (GovMail's own guards in
    _CheckedIMAP4) are not a lost connection."""
    seen: BaseException | None = exc
    for _ in range(5):  # the chain is short; never follow a cycle
        if seen is None:
            return None
        if isinstance(seen, imaplib.IMAP4.abort) and str(seen).startswith("socket error"):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class ImapSession:
    """One authenticated-or-not IMAP connection that went through the full policy path."""

    def __init__(self, client: IMAPClient, imap4: _CheckedIMAP4, endpoint: Endpoint, report: ConnectionReport) -> None:
        self._client = client
        #: The imaplib object the client runs on (made here, so read here: its state, its socket).
        self._imap4 = imap4
        self.endpoint = endpoint
        self.report = report
        self.logged_in = False
        self._preauth_capabilities: tuple[str, ...] | None = None

    @classmethod
    def connect(
        cls,
        endpoint: Endpoint,
        policy: ServerPolicy,
        *,
        resolver: Resolver | None = None,
        timeout: float = 20.0,
        cancel: threading.Event | None = None,
        report: ConnectionReport | None = None,
        extra_ca_files: Sequence[Path] = (),
    ) -> ImapSession:
        """Connect through the policy, TLS verified; capabilities asked over TLS."""
        report = report if report is not None else ConnectionReport(endpoint)
        conn = secure_connect(
            endpoint,
            policy,
            starttls=negotiate_starttls,
            resolver=resolver,
            timeout=timeout,
            cancel=cancel,
            report=report,
            extra_ca_files=extra_ca_files,
        )
        host, port = endpoint.host, endpoint.port
        try:
            imap4 = _CheckedIMAP4(conn.sock, host, port, after_starttls=endpoint.security == "starttls")
            client = _CheckedIMAPClient(imap4, endpoint, timeout)
        except imaplib.IMAP4.error as exc:
            conn.close()
            lost = _connection_lost(exc)
            if lost is not None:  # the stream ended during the greeting or CAPABILITY: the network
                raise failures.network_error(failures.CONNECTION_CLOSED, host, port, f"greeting: {lost}") from exc
            # Over TLS: a BYE greeting or a non-IMAP server.
            raise failures.server_error(failures.SERVER_REFUSED_SESSION, host, port, f"greeting: {exc}") from exc
        except (OSError, EOFError) as exc:
            conn.close()
            raise failures.from_os_error(exc, host, port, "IMAP greeting") from exc
        except BaseException:
            conn.close()
            raise
        session = cls(client, imap4, endpoint, report)
        report.capabilities = session.capabilities()
        log.info(
            "IMAP connected to %s (%s) port %d, %s", host, report.connected_ip, port, report.tls_version
        )
        return session

    # -- typed results only below ------------------------------------------------

    def capabilities(self) -> tuple[str, ...]:
        """Capability names, upper case, as learned over TLS (asked again after login)."""
        if not self.logged_in and self._preauth_capabilities is not None:
            return self._preauth_capabilities
        try:
            caps = tuple(_text(c).upper() for c in self._client.capabilities())
        except (imaplib.IMAP4.error, OSError, EOFError) as exc:
            raise self._map(exc, "CAPABILITY") from exc
        if not self.logged_in:
            self._preauth_capabilities = caps
        return caps

    def has_capability(self, name: str) -> bool:
        return name.upper() in self.capabilities()

    def login(self, user: str, password: str) -> None:
        """LOGIN (or AUTHENTICATE PLAIN when LOGIN is disabled or the text is not ASCII).

        A NO from the server raises AuthError; the password never reaches a log
        or an error text.
        """
        host, port = self.endpoint.host, self.endpoint.port
        if not self.report.secure:  # defence in depth: connect() only builds secure sessions
            raise failures.tls_error(api.TLS_REQUIRED, host, port, "login on an unverified connection")
        if self._imap4.state != "NONAUTH":
            # PREAUTH over TLS: the server did not check the password we were asked to verify.
            raise failures.server_error(failures.PROTOCOL, host, port, "server pre-authenticated the session")
        caps = self.capabilities()
        ascii_only = user.isascii() and password.isascii()
        use_plain = ("LOGINDISABLED" in caps or not ascii_only) and "AUTH=PLAIN" in caps
        if "LOGINDISABLED" in caps and not use_plain:
            raise failures.server_error(failures.PROTOCOL, host, port, "LOGINDISABLED and no AUTH=PLAIN")
        try:
            if use_plain:
                self._client.plain_login(user, password)
            else:
                self._client.login(user, password)
        except imap_exc.LoginError as exc:
            lost = _connection_lost(exc)
            if lost is not None:  # imapclient re-raises a lost connection as LoginError: not a refusal
                raise self._map(lost, "LOGIN") from None
            text = str(exc).replace(password, "***") if password else str(exc)
            if any(code in text.upper() for code in _SERVER_SIDE_CODES):
                raise failures.server_error(failures.SERVER_REFUSED_SESSION, host, port, f"login: {text}") from None
            raise failures.auth_error(host, detail=f"login refused: {text}") from None
        except (imaplib.IMAP4.error, OSError, EOFError, UnicodeError) as exc:
            # `from None`: the chained exception could carry the command line.
            raise self._map(exc, "LOGIN") from None
        self.logged_in = True
        log.info("IMAP login to %s accepted", host)

    def take_socket(self) -> tuple[ssl.SSLSocket, BinaryIO]:
        """Hand the verified TLS socket over to another IMAP reader (net/imap/client.py).

        Returns ``(socket, buffered_reader)``: imaplib may already have buffered
        bytes in the reader, which the new owner must consume first, and must close
        the reader as well as the socket (the descriptor stays open while the
        reader exists). This session is unusable afterwards (it neither logs out
        nor closes anything).
        """
        sock, reader = self._imap4.hand_over()
        self._client = None
        return sock, reader

    def logout(self) -> None:
        """LOGOUT and close; errors while closing an already broken connection are ignored."""
        if self._client is None:
            return
        try:
            self._client.logout()
        except (imaplib.IMAP4.error, OSError, EOFError):
            self.close()
        self.logged_in = False

    def close(self) -> None:
        """Close without LOGOUT."""
        if self._client is None:
            return
        try:
            self._client.shutdown()
        except (imaplib.IMAP4.error, OSError, EOFError):
            pass

    def __enter__(self) -> ImapSession:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        try:
            self.logout()
        except GovMailError:
            self.close()
            if exc_type is None:  # never hide the error that ended the block
                raise

    def _map(self, exc: BaseException, during: str) -> GovMailError:
        host, port = self.endpoint.host, self.endpoint.port
        if isinstance(exc, (OSError, EOFError)):
            return failures.from_os_error(exc, host, port, during)
        if isinstance(exc, imaplib.IMAP4.abort):
            return failures.network_error(failures.CONNECTION_CLOSED, host, port, f"{during}: {exc}")
        return failures.server_error(failures.PROTOCOL, host, port, f"{during}: {type(exc).__name__}")
