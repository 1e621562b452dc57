"""A real SMTP submission server (aiosmtpd) that delivers to the test Dovecot over LMTP.

Two listeners on 127.0.0.1, like a real submission service:
- ``starttls_port``: plaintext greeting, STARTTLS required; AUTH is offered only after
  TLS (530 before STARTTLS, 535 on a bad password);
- ``tls_port``: implicit TLS (the 465 style).
Accepted mail is handed to Dovecot's LMTP socket, so it appears in the recipient's
IMAP INBOX — the full send → receive loop. Accepted envelopes are recorded.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers.certs import CertFiles
from tests.servers.dovecot import DovecotServer, free_port, lmtp_deliver


class _DropLoginDataNoise(logging.Filter):
    """aiosmtpd logs a deprecation warning of its own on every successful AUTH."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "login_data is deprecated" not in record.getMessage()


logging.getLogger("mail.log").addFilter(_DropLoginDataNoise())


@dataclass(frozen=True)
class AcceptedMessage:
    """One message the server accepted: what tests assert on."""

    listener: str  # "starttls" or "tls"
    auth_user: str | None
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    lmtp_replies: dict[str, tuple[int, bytes]] = field(default_factory=dict)


def _login_name(login: bytes | str) -> str:
    """Same normalisation as Dovecot's auth_username_format=%Ln (lower-case local part)."""
    text = login.decode("utf-8", "replace") if isinstance(login, bytes) else login
    return text.split("@", 1)[0].lower()


class _Authenticator:
    """Checks AUTH PLAIN/LOGIN against the Dovecot users (same passwords)."""

    def __init__(self, users: Mapping[str, str]) -> None:
        self._users = users

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = _login_name(auth_data.login)
        expected = self._users.get(user)
        password = auth_data.password.decode("utf-8", "replace")
        if expected is None or password != expected:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=user)


class _LmtpRelayHandler:
    """aiosmtpd handler: forward each accepted message to Dovecot over LMTP."""

    def __init__(self, owner: SmtpSubmissionServer, listener: str) -> None:
        self._owner = owner
        self._listener = listener

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        # aiosmtpd reads commands in order from its stream, so it serves pipelined ones, but
        # it does not say so; Postfix (mail.go.th's Zimbra MTA) and Exim do (RFC 2920).
        session.host_name = hostname
        if self._owner.pipelining:
            return [*responses[:-1], "250-PIPELINING", responses[-1]]
        return responses

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        # This server only serves its own users (any domain reaches them, as in Dovecot):
        # refuse unknown ones at RCPT like a real server does for its own domain.
        if _login_name(address) not in self._owner.users:
            return "550 5.1.1 Recipient address rejected: user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        if isinstance(data, str):  # only if someone sets decode_data=True
            data = data.encode("utf-8")
        mail_from = envelope.mail_from or ""
        rcpts = tuple(envelope.rcpt_tos)
        loop = asyncio.get_running_loop()
        try:
            replies = await loop.run_in_executor(
                None, lmtp_deliver, self._owner.lmtp_socket, mail_from, rcpts, data
            )
        except Exception as exc:  # Dovecot down: a temporary failure, as a real MTA says
            logging.getLogger(__name__).warning("LMTP delivery failed: %s", exc)
            return "451 4.3.0 Local delivery temporarily unavailable"
        auth_user = session.auth_data if isinstance(session.auth_data, str) else None
        delivered = [r for r, (code, _text) in replies.items() if code == 250]
        if not delivered:
            return "550 5.1.1 No recipient could be delivered"
        self._owner._record(
            AcceptedMessage(self._listener, auth_user, mail_from, rcpts, bytes(data), replies)
        )
        return "250 2.0.0 Message accepted for delivery"


class _ImplicitTlsSMTP(SMTP):
    """SMTP on a socket that is TLS from the first byte.

    aiosmtpd only counts STARTTLS as TLS, so with ``auth_require_tls`` it would never
    offer AUTH here; passing False instead triggers a "no TLS" warning on every
    connection. The transport IS TLS, so lift the requirement after construction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._auth_require_tls = False


class _ImplicitTlsController(Controller):
    def factory(self) -> SMTP:
        return _ImplicitTlsSMTP(self.handler, **self.SMTP_kwargs)


class SmtpSubmissionServer:
    """SMTP submission on 127.0.0.1 (STARTTLS port + implicit-TLS port) → Dovecot LMTP.

    Attributes: ``host``, ``starttls_port``, ``tls_port``, ``users`` (same as Dovecot's),
    ``accepted`` (list of AcceptedMessage, oldest first).
    """

    host = "127.0.0.1"

    def __init__(
        self,
        dovecot: DovecotServer,
        *,
        cert: CertFiles | None = None,
        cert_file: Path | str | None = None,
        key_file: Path | str | None = None,
        users: Mapping[str, str] | None = None,
        starttls_port: int | None = None,
        tls_port: int | None = None,
        enable_smtputf8: bool = False,
        pipelining: bool = True,
    ) -> None:
        """Prepare (not start). Certificate defaults to the one Dovecot presents.
        ``pipelining``: EHLO over TLS offers PIPELINING (RFC 2920), as real MTAs do."""
        self.dovecot = dovecot
        if cert is not None:
            cert_file, key_file = cert.cert_file, cert.key_file
        self.cert = CertFiles(
            Path(cert_file or dovecot.cert_file), Path(key_file or dovecot.key_file), ()
        )
        self.ca_file = dovecot.ca_file
        self.users: Mapping[str, str] = users if users is not None else dovecot.users
        self.starttls_port = starttls_port or free_port()
        self.tls_port = tls_port or free_port()
        self.enable_smtputf8 = enable_smtputf8
        self.pipelining = pipelining
        self.accepted: list[AcceptedMessage] = []
        self._lock = threading.Lock()
        self._controllers: list[Controller] = []

    @property
    def lmtp_socket(self) -> Path:
        return self.dovecot.lmtp_socket

    def _record(self, message: AcceptedMessage) -> None:
        with self._lock:
            self.accepted.append(message)

    def clear(self) -> None:
        """Forget recorded messages (tests sharing the session server may want this)."""
        with self._lock:
            self.accepted.clear()

    def start(self) -> SmtpSubmissionServer:
        if self._controllers:
            return self
        authenticator = _Authenticator(self.users)
        common: dict[str, Any] = dict(
            hostname=self.host,
            server_hostname="localhost",
            authenticator=authenticator,
            auth_required=True,
            enable_SMTPUTF8=self.enable_smtputf8,
            auth_exclude_mechanism=["CRAM-MD5"],  # only what the client library uses
        )
        starttls = Controller(
            _LmtpRelayHandler(self, "starttls"),
            port=self.starttls_port,
            tls_context=self.cert.server_context(),
            require_starttls=True,
            auth_require_tls=True,
            **common,
        )
        implicit = _ImplicitTlsController(
            _LmtpRelayHandler(self, "tls"),
            port=self.tls_port,
            ssl_context=self.cert.server_context(),
            auth_require_tls=True,  # lifted by _ImplicitTlsSMTP: the socket is TLS
            **common,
        )
        try:
            for controller in (starttls, implicit):
                controller.start()
                self._controllers.append(controller)
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        while self._controllers:
            controller = self._controllers.pop()
            try:
                controller.stop()
            except Exception:  # already stopped / never fully started
                logging.getLogger(__name__).debug("controller stop failed", exc_info=True)

    def __enter__(self) -> SmtpSubmissionServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return bool(self._controllers)


__all__ = ["AcceptedMessage", "SmtpSubmissionServer"]
