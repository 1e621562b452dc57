"""SMTP submission over the policy-checked, verified TLS socket (the ONLY importer of smtplib).

smtplib never connects by itself here: :class:`_CheckedSMTP` is given the socket
that ``secure_connect`` verified. For STARTTLS, :func:`negotiate_starttls`
does greeting → EHLO → STARTTLS on the plaintext channel (refusing before any
AUTH if STARTTLS is missing or not answered 220); smtplib then starts on the
TLS socket with a fresh EHLO, so no extension learned in plaintext is kept.

:func:`connect_first_with_auth` / :func:`probe_submission` implement the
built-in mail.go.th profile: 465 implicit TLS → 587 STARTTLS → 25 STARTTLS,
first one with TLS + AUTH wins.

Replies are bounded: smtplib cuts each line at 8 KiB but raises
its own exception for a longer one, and reads a multi-line reply (``250-...``)
without end. :class:`_BoundedReplies` bounds both; beyond them the connection is
closed with ServerError ``server-too-much-data`` (never AuthError).
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

from govmail_desktop.core.errors import (
    Cancelled,
    GovMailError,
    NetworkError,
    PolicyError,
    PolicyRefused,
    TlsError,
)
from govmail_desktop.net import failures
from govmail_desktop.net.endpoint import (
    SMTP_RELAY_PORT,
    SMTP_SUBMISSION_PORT,
    SMTP_TLS_PORT,
    Endpoint,
)
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.net.resolver import Resolver
from govmail_desktop.net.secure_connect import PlainChannel, secure_connect
from govmail_desktop.policy import api
from govmail_desktop.policy.api import ServerPolicy

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

    from govmail_desktop.core.accounts import Account

log = logging.getLogger(__name__)

DEFAULT_SUBMISSION_PORTS = (SMTP_TLS_PORT, SMTP_SUBMISSION_PORT, SMTP_RELAY_PORT)

#: Longest reply line taken: smtplib's own limit (its private ``_MAXLINE``; RFC 5321 asks
#: for 512). Not larger than smtplib's, or smtplib would raise its own error first;
#: tests/unit/net/test_smtp_session.py checks that the two are equal.
SMTP_MAX_LINE = 8192
#: Lines of one reply: a real EHLO reply has a few dozen.
SMTP_MAX_REPLY_LINES = 1000
#: A line of DATA that starts with a dot gets another one.
_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


def _local_name(sock: socket.socket) -> str:
    """EHLO argument: our address literal (no getfqdn(): no reverse DNS, no host name leak)."""
    try:
        ip = ipaddress.ip_address(sock.getsockname()[0])
    except (OSError, ValueError, IndexError):
        return "[127.0.0.1]"
    return f"[IPv6:{ip}]" if ip.version == 6 else f"[{ip}]"


def _read_reply(channel: PlainChannel) -> tuple[int, list[bytes]]:
    """One (possibly multi-line) SMTP reply: code and the text lines."""
    lines: list[bytes] = []
    while True:
        line = channel.readline().rstrip(b"\r\n")
        code = line[:3]
        if not code.isdigit():
            raise failures.server_error(failures.PROTOCOL, channel.host, channel.port, "bad SMTP reply before TLS")
        lines.append(line[4:])
        if line[3:4] != b"-":
            return int(code), lines


def negotiate_starttls(channel: PlainChannel) -> None:
    """Greeting, EHLO, STARTTLS in plaintext; returns only on ``220`` to STARTTLS."""
    host, port = channel.host, channel.port
    code, _ = _read_reply(channel)
    if code != 220:
        raise failures.server_error(failures.SERVER_REFUSED_SESSION, host, port, f"greeting {code} before TLS")
    channel.send(f"EHLO {_local_name(channel.sock)}\r\n".encode("ascii"))
    code, lines = _read_reply(channel)
    if code != 250:
        # Without EHLO there is no STARTTLS; HELO would mean plaintext.
        raise failures.tls_error(api.TLS_REQUIRED, host, port, f"EHLO answered {code}")
    keywords = {line.split()[0].upper() for line in lines[1:] if line.split()}
    if b"STARTTLS" not in keywords:
        raise failures.tls_error(api.TLS_REQUIRED, host, port, "server does not advertise STARTTLS")
    channel.send(b"STARTTLS\r\n")
    code, _ = _read_reply(channel)
    if code != 220:
        raise failures.tls_error(api.TLS_REQUIRED, host, port, f"STARTTLS answered {code}")


class _BoundedReplies:
    """smtplib's reply file (it calls ``readline`` and ``close`` only), with bounds on
    the line length and on the number of lines since our last command."""

    def __init__(self, raw: BinaryIO, owner: _CheckedSMTP) -> None:
        self._raw = raw
        self._owner = owner
        self.lines = 0

    def readline(self, size: int = -1) -> bytes:  # the bound is ours, not the caller's size
        line = self._raw.readline(SMTP_MAX_LINE + 1)
        self.lines += 1
        if len(line) > SMTP_MAX_LINE:
            self._owner.too_much(f"a reply line longer than {SMTP_MAX_LINE} bytes")
        if self.lines > SMTP_MAX_REPLY_LINES:
            self._owner.too_much(f"a reply of more than {SMTP_MAX_REPLY_LINES} lines")
        return line

    def close(self) -> None:
        self._raw.close()


class _CheckedSMTP(smtplib.SMTP):
    """smtplib on a socket that is already connected, checked and TLS-verified."""

    def __init__(self, sock: ssl.SSLSocket, host: str, port: int, timeout: float, expect_greeting: bool) -> None:
        super().__init__(host="", local_hostname=_local_name(sock), timeout=timeout)
        self._host = host
        self._port = port
        self.sock = sock
        self.file = _BoundedReplies(sock.makefile("rb"), self)
        if expect_greeting:
            code, msg = self.getreply()
            if code != 220:
                self.close()
                raise smtplib.SMTPConnectError(code, msg)

    def connect(self, host: str = "localhost", port: int = 0, source_address: object = None) -> NoReturn:
        raise smtplib.SMTPServerDisconnected("GovMail connects only through the policy")

    def send(self, s: ReadableBuffer | str) -> None:
        if isinstance(self.file, _BoundedReplies):
            self.file.lines = 0  # a new command: a new reply to bound
        super().send(s)

    def too_much(self, detail: str) -> NoReturn:
        """End the connection: nothing more is read from a server that sends this much."""
        log.warning("%s sent more than a mail server would (%s); connection closed", self._host, detail)
        try:
            self.close()
        except OSError:
            pass
        raise failures.too_much_data(self._host, self._port, f"SMTP: {detail}")

    def starttls(self, *args: object, **kwargs: object) -> NoReturn:
        raise smtplib.SMTPNotSupportedError("TLS is established by GovMail before smtplib starts")


def _reply_text(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


@dataclass(frozen=True)
class SmtpReply:
    """One answer of the server: its code and text (the lines joined)."""

    code: int
    text: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


@dataclass
class SmtpTransaction:
    """The answers of one :meth:`SmtpSession.transaction` (None: not reached)."""

    mail: SmtpReply | None = None
    recipients: dict[str, SmtpReply] = field(default_factory=dict)
    #: The answer to DATA (when not 354) or to its end.
    data: SmtpReply | None = None

    @property
    def accepted(self) -> list[str]:
        return [r for r, reply in self.recipients.items() if reply.ok]


class SmtpSession:
    """One SMTP connection that went through the full policy path (one thread at a time)."""

    def __init__(self, smtp: _CheckedSMTP, endpoint: Endpoint, report: ConnectionReport) -> None:
        self._smtp = smtp
        self.endpoint = endpoint
        self.report = report
        self.logged_in = False

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
    ) -> SmtpSession:
        """Connect through the policy, TLS verified, then EHLO over TLS."""
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
            # Commands are short writes that each wait for an answer: without this the
            # end of DATA (".", written after the body) waits for the server's delayed ACK.
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp = _CheckedSMTP(conn.sock, host, port, timeout, expect_greeting=endpoint.security == "tls")
            code, _ = smtp.ehlo()
            if code != 250:
                smtp.close()
                raise failures.server_error(failures.PROTOCOL, host, port, f"EHLO over TLS answered {code}")
        except smtplib.SMTPConnectError as exc:
            conn.close()
            raise failures.server_error(
                failures.SERVER_REFUSED_SESSION, host, port, f"greeting {exc.smtp_code}"
            ) from exc
        except smtplib.SMTPServerDisconnected as exc:
            conn.close()
            raise failures.network_error(failures.CONNECTION_CLOSED, host, port, f"SMTP greeting: {exc}") from exc
        except OSError as exc:
            conn.close()
            raise failures.from_os_error(exc, host, port, "SMTP greeting") from exc
        except BaseException:
            conn.close()
            raise
        session = cls(smtp, endpoint, report)
        report.capabilities = session.extensions()
        log.info("SMTP connected to %s (%s) port %d, %s", host, report.connected_ip, port, report.tls_version)
        return session

    def extensions(self) -> tuple[str, ...]:
        """EHLO keywords with their parameters, as learned over TLS (``"AUTH PLAIN LOGIN"``)."""
        return tuple(
            " ".join([name.upper(), *value.split()]) for name, value in self._smtp.esmtp_features.items()
        )

    def auth_mechanisms(self) -> tuple[str, ...]:
        return tuple(self._smtp.esmtp_features.get("auth", "").upper().split())

    @property
    def offers_auth(self) -> bool:
        return self._smtp.has_extn("auth") and bool(self.auth_mechanisms())

    def login(self, user: str, password: str) -> None:
        """AUTH over TLS; 535 (and other 5xx auth failures) → AuthError."""
        host, port = self.endpoint.host, self.endpoint.port
        if not self.report.secure:
            raise failures.tls_error(api.TLS_REQUIRED, host, port, "AUTH on an unverified connection")
        if not self.offers_auth:
            raise failures.server_error(failures.SMTP_NO_AUTH, host, port, "no AUTH in EHLO over TLS")
        try:
            if user.isascii() and password.isascii():
                self._smtp.login(user, password)
            else:
                self._auth_plain_utf8(user, password)
        except smtplib.SMTPAuthenticationError as exc:
            if 400 <= exc.smtp_code < 500:
                raise failures.server_error(
                    failures.SERVER_REFUSED_SESSION, host, port, f"AUTH temporary failure {exc.smtp_code}"
                ) from None
            raise failures.auth_error(host, detail=f"AUTH refused {exc.smtp_code}") from None
        except smtplib.SMTPNotSupportedError:
            raise failures.server_error(failures.SMTP_NO_AUTH, host, port, "no usable AUTH mechanism") from None
        except smtplib.SMTPServerDisconnected as exc:
            raise failures.network_error(failures.CONNECTION_CLOSED, host, port, f"AUTH: {exc}") from None
        except smtplib.SMTPException as exc:
            raise failures.server_error(failures.PROTOCOL, host, port, f"AUTH: {type(exc).__name__}") from None
        except OSError as exc:
            raise failures.from_os_error(exc, host, port, "AUTH") from None
        self.logged_in = True
        log.info("SMTP AUTH to %s accepted", host)

    def _auth_plain_utf8(self, user: str, password: str) -> None:
        """AUTH PLAIN with UTF-8 (smtplib only encodes ASCII): Thai passwords work."""
        if "PLAIN" not in self.auth_mechanisms():
            raise smtplib.SMTPNotSupportedError("non-ASCII credentials need AUTH PLAIN")
        token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8"))
        code, resp = self._smtp.docmd("AUTH", "PLAIN " + token.decode("ascii"))
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, resp)

    @property
    def size_limit(self) -> int | None:
        """The largest message the server takes (EHLO ``SIZE n``); None when it names none."""
        value = self._smtp.esmtp_features.get("size", "").strip()
        return int(value) if value.isdigit() and int(value) > 0 else None

    def has_extension(self, name: str) -> bool:
        """Whether EHLO over TLS offered ``name`` (``8BITMIME``, ``SMTPUTF8``, ``SIZE``...)."""
        return self._smtp.has_extn(name.lower())

    def transaction(
        self,
        message: bytes,
        mail_from: str,
        recipients: Sequence[str],
        *,
        mail_options: Sequence[str] = (),
        data_sent: Callable[[], None] | None = None,
        before_end_of_data: Callable[[], None] | None = None,
        data_answered: Callable[[SmtpReply], None] | None = None,
        result: SmtpTransaction | None = None,
    ) -> SmtpTransaction:
        """MAIL, RCPT for each recipient, DATA (in one write where the server offers
        PIPELINING), then the message, every answer kept.

        Refusals are not errors: the caller reads each answer
        (4xx temporary, 5xx permanent, per recipient). ``data_sent`` is called when
        the message is on the wire but not its end; ``before_end_of_data`` right
        before the final ``.`` leaves (after it the server may deliver);
        ``data_answered`` the moment the answer to it arrives, before anything else.
        A lost connection raises NetworkError (after the end of DATA left, the
        message may have been delivered: the caller knows from its own hooks).
        ``result``, when given, is filled as the answers arrive (the hooks may read
        which recipients the server took) and returned.
        """
        host, port = self.endpoint.host, self.endpoint.port
        smtp = self._smtp
        result = result if result is not None else SmtpTransaction()
        try:
            if self.has_extension("PIPELINING"):
                code, text = self._pipelined_envelope(mail_from, recipients, mail_options, result)
            else:
                code, text = self._envelope(mail_from, recipients, mail_options, result)
            if code != 354:
                if code:
                    result.data = SmtpReply(code, _reply_text(text))
                self._reset()
                return result
            body = _DOT_AT_LINE_START.sub(b"..", message)  # RFC 5321 4.5.2 transparency
            if not body.endswith(b"\r\n"):
                body += b"\r\n"
            smtp.send(body)
            if data_sent is not None:
                data_sent()
            if before_end_of_data is not None:
                before_end_of_data()
            smtp.send(b".\r\n")
            code, text = smtp.getreply()
            result.data = SmtpReply(code, _reply_text(text))
            if data_answered is not None:
                data_answered(result.data)
        except smtplib.SMTPServerDisconnected as exc:
            raise failures.network_error(failures.CONNECTION_CLOSED, host, port, f"send: {exc}") from None
        except smtplib.SMTPException as exc:
            raise failures.server_error(failures.PROTOCOL, host, port, f"send: {type(exc).__name__}") from None
        except OSError as exc:
            raise failures.from_os_error(exc, host, port, "send") from None
        return result

    def _envelope(
        self, mail_from: str, recipients: Sequence[str], mail_options: Sequence[str], result: SmtpTransaction
    ) -> tuple[int, bytes]:
        """MAIL, each RCPT and DATA, each waiting for its answer; the answer to DATA, or
        ``(0, b"")`` when the transaction stopped before it (refused sender, no recipient)."""
        smtp = self._smtp
        code, text = smtp.mail(mail_from, list(mail_options))
        result.mail = SmtpReply(code, _reply_text(text))
        if code != 250:
            return 0, b""
        for rcpt in recipients:
            code, text = smtp.rcpt(rcpt)
            result.recipients[rcpt] = SmtpReply(code, _reply_text(text))
        if not result.accepted:
            return 0, b""
        smtp.putcmd("data")
        return smtp.getreply()

    def _pipelined_envelope(
        self, mail_from: str, recipients: Sequence[str], mail_options: Sequence[str], result: SmtpTransaction
    ) -> tuple[int, bytes]:
        """MAIL, every RCPT and DATA in one write (RFC 2920, where EHLO offers PIPELINING:
        one round trip instead of two and one per recipient), then their answers in order.
        After a refused MAIL the recipients' answers only say that (503): not kept."""
        smtp = self._smtp
        options = "".join(f" {option}" for option in mail_options)
        if any(option.upper() == "SMTPUTF8" for option in mail_options):
            if not smtp.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError("SMTPUTF8 not supported by server")
            smtp.command_encoding = "utf-8"
        commands = [f"mail FROM:{smtplib.quoteaddr(mail_from)}{options}"]
        commands += [f"rcpt TO:{smtplib.quoteaddr(rcpt)}" for rcpt in recipients]
        commands.append("data")
        smtp.send("".join(f"{command}\r\n" for command in commands))
        code, text = self._next_reply()
        result.mail = SmtpReply(code, _reply_text(text))
        mail_taken = code == 250
        for rcpt in recipients:
            code, text = self._next_reply()
            if mail_taken:
                result.recipients[rcpt] = SmtpReply(code, _reply_text(text))
        code, text = self._next_reply()
        if not result.accepted:  # refused sender or every recipient: DATA's answer says no more
            if code == 354:  # a server that wants a message anyway gets an empty one
                smtp.send(b".\r\n")
                self._next_reply()
            return 0, b""
        return code, text

    def _next_reply(self) -> tuple[int, bytes]:
        """The next of several pipelined answers, each bounded like an answer of its own."""
        if isinstance(self._smtp.file, _BoundedReplies):
            self._smtp.file.lines = 0
        return self._smtp.getreply()

    def _reset(self) -> None:
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            log.info("RSET after a refusal failed; the connection is closed")
            self.close()

    def quit(self, timeout: float | None = None) -> None:
        """QUIT, then close; ``timeout``: at most that many seconds for the answer (a
        connection kept idle may meet a network that went away meanwhile)."""
        try:
            if timeout is not None and self._smtp.sock is not None:
                self._smtp.sock.settimeout(timeout)
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        try:
            self._smtp.close()
        except OSError:
            pass

    def interrupt(self) -> None:
        """The one call allowed from another thread: end the connection under its owner (a
        blocked read returns); the owner closes it on its own thread (``secure_connect.interrupt``)."""
        from govmail_desktop.net.secure_connect import interrupt

        interrupt(self._smtp.sock)

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.quit()


def submission_candidates(host: str, ports: Sequence[int] = DEFAULT_SUBMISSION_PORTS) -> list[Endpoint]:
    """465 → implicit TLS; any other port → STARTTLS."""
    return [Endpoint(host, p, "tls" if p == SMTP_TLS_PORT else "starttls") for p in ports]


def _stops_probing(exc: GovMailError) -> bool:
    """Errors that another port would not cure, or that must not be worked around."""
    if isinstance(exc, (PolicyRefused, PolicyError, Cancelled)):
        return True
    if isinstance(exc, TlsError):
        # A certificate / version / pin failure is a security verdict, not a missing port.
        return exc.code != api.TLS_REQUIRED
    if isinstance(exc, NetworkError):
        return exc.code == failures.DNS
    return False


def connect_first_with_auth(
    candidates: Sequence[Endpoint],
    policy: ServerPolicy,
    *,
    resolver: Resolver | None = None,
    timeout: float = 20.0,
    cancel: threading.Event | None = None,
    reports: list[ConnectionReport] | None = None,
    errors: list[GovMailError] | None = None,
    extra_ca_files: Sequence[Path] = (),
) -> SmtpSession:
    """Try the candidates in order; return the first connected session offering TLS + AUTH.

    Ports that are closed, lack STARTTLS or AUTH are skipped; a policy refusal,
    a certificate/version/pin failure, a DNS failure or a cancel stops at once.
    When none works, raises the first error that is not a plain network failure
    (else the first error). ``reports``/``errors`` collect every attempt.
    """
    if not candidates:
        raise ValueError("no SMTP candidates")
    seen: list[GovMailError] = errors if errors is not None else []
    for endpoint in candidates:
        report = ConnectionReport(endpoint)
        if reports is not None:
            reports.append(report)
        try:
            session = SmtpSession.connect(
                endpoint,
                policy,
                resolver=resolver,
                timeout=timeout,
                cancel=cancel,
                report=report,
                extra_ca_files=extra_ca_files,
            )
        except GovMailError as exc:
            seen.append(exc)
            log.info("SMTP candidate %s not usable: %s [%s]", endpoint, exc.code, exc.detail)
            if _stops_probing(exc):
                raise
            continue
        if session.offers_auth:
            return session
        session.quit()
        no_auth = failures.server_error(failures.SMTP_NO_AUTH, endpoint.host, endpoint.port, "no AUTH over TLS")
        seen.append(no_auth)
        log.info("SMTP candidate %s offers no AUTH", endpoint)
    significant = [e for e in seen if not isinstance(e, NetworkError)]
    raise (significant or seen)[0]


def probe_submission(
    host: str,
    policy: ServerPolicy,
    ports: Sequence[int] = DEFAULT_SUBMISSION_PORTS,
    *,
    resolver: Resolver | None = None,
    timeout: float = 20.0,
    cancel: threading.Event | None = None,
    reports: list[ConnectionReport] | None = None,
    extra_ca_files: Sequence[Path] = (),
) -> Endpoint:
    """The first of 465 (TLS) → 587 (STARTTLS) → 25 (STARTTLS) that gives TLS + AUTH."""
    session = connect_first_with_auth(
        submission_candidates(host, ports),
        policy,
        resolver=resolver,
        timeout=timeout,
        cancel=cancel,
        reports=reports,
        extra_ca_files=extra_ca_files,
    )
    session.quit()
    return session.endpoint


def smtp_connector(
    account: Account,
    password: Callable[[], str],
    policy: ServerPolicy,
    *,
    timeout: float = 30.0,
    resolver: Resolver | None = None,
    extra_ca_files: Sequence[Path] = (),
) -> Callable[[], SmtpSession]:
    """Connects an account's SMTP session through the policy path (TLS verified), then
    AUTH over TLS. ``password`` is asked at each connection (keyring or the session's
    memory) before anything is opened; a probe order (465 → 587 → 25) takes the first
    endpoint with TLS + AUTH."""

    def connect() -> SmtpSession:
        secret = password()
        endpoints = [Endpoint(s.host, s.port, s.security) for s in account.smtp_candidates()]
        if len(endpoints) == 1:
            session = SmtpSession.connect(endpoints[0], policy, resolver=resolver, timeout=timeout,
                                          extra_ca_files=extra_ca_files)
        else:
            session = connect_first_with_auth(endpoints, policy, resolver=resolver, timeout=timeout,
                                              extra_ca_files=extra_ca_files)
        try:
            session.login(account.login, secret)
        except BaseException:
            session.close()
            raise
        return session

    return connect
