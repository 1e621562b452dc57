"""Typed, translated errors for everything that can go wrong on a connection.

One place builds them so that the wording (Thai and English) and the reason
codes stay consistent across IMAP, SMTP, the setup wizard and govmail-admin.

Classification (documented in docs/admin-check-server.md):

* :class:`PolicyRefused` — the host name or an address is not allowed
  (raised by policy/, codes from ``policy/api.py``);
* :class:`TlsError` — everything about the secure channel: no TLS/STARTTLS
  (``tls-required``), version below the minimum (``tls-version``),
  certificate untrusted/expired/wrong host, SPKI pin mismatch;
* :class:`NetworkError` — the server could not be reached (``dns``,
  ``connection-refused``, ``timeout``, ``unreachable``, ``connection-closed``);
* :class:`ServerError` — the server answered, but not usefully; ``server-too-much-data``
  when it sent more than a mail server would (a flood of responses, an endless line,
  a huge literal, an endless multi-line reply): every read is bounded, the
  connection is ended, and this is never reported as a wrong password or a
  policy refusal;
* :class:`AuthError` — wrong login name or password.

Server text received before TLS is never put into a message or a detail: it
is unauthenticated and may be an attacker's.
"""

from __future__ import annotations

import errno
import socket

from govmail_desktop.core.errors import AuthError, NetworkError, ServerError, TlsError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.policy import api

# NetworkError codes
DNS = "dns"
CONNECTION_REFUSED = "connection-refused"
TIMEOUT = "timeout"
UNREACHABLE = "unreachable"
CONNECTION_CLOSED = "connection-closed"
# TlsError code for a handshake failure that is none of the api codes
TLS_HANDSHAKE = "tls-handshake"
# ServerError codes
SERVER_REFUSED_SESSION = "server-refused-session"
PROTOCOL = "protocol-error"
SMTP_NO_AUTH = "smtp-auth-unavailable"
SMTP_REJECTED = "smtp-rejected"
TOO_MUCH_DATA = "server-too-much-data"
# AuthError code
AUTH_FAILED = "auth"

_NETWORK = {
    DNS: (
        QT_TRANSLATE_NOOP("Net", "The server name {host} could not be found."),
        QT_TRANSLATE_NOOP("Net", "Please check the server name and the network connection."),
    ),
    CONNECTION_REFUSED: (
        QT_TRANSLATE_NOOP("Net", "The server {host} refused the connection on port {port}."),
        QT_TRANSLATE_NOOP(
            "Net", "Please check the port number, or ask your IT staff whether the server is running."
        ),
    ),
    TIMEOUT: (
        QT_TRANSLATE_NOOP("Net", "The server {host} did not answer in time."),
        QT_TRANSLATE_NOOP("Net", "Please check the network connection and try again."),
    ),
    UNREACHABLE: (
        QT_TRANSLATE_NOOP("Net", "The server {host} cannot be reached from this network."),
        QT_TRANSLATE_NOOP("Net", "Please check the network connection and try again."),
    ),
    CONNECTION_CLOSED: (
        QT_TRANSLATE_NOOP("Net", "The server {host} closed the connection unexpectedly."),
        QT_TRANSLATE_NOOP("Net", "Please try again later."),
    ),
}

_CONTACT_IT = QT_TRANSLATE_NOOP(
    "Net", "The connection was stopped to protect your password. Please contact your IT staff."
)

_TLS = {
    api.TLS_REQUIRED: (
        QT_TRANSLATE_NOOP("Net", "The server {host} does not offer a secure (TLS) connection on port {port}."),
        QT_TRANSLATE_NOOP(
            "Net",
            "GovMail never sends a password or mail without encryption. "
            "Please ask your IT staff for the server's secure port.",
        ),
    ),
    api.TLS_VERSION: (
        QT_TRANSLATE_NOOP(
            "Net",
            "The server {host} offers only a TLS version older than the agency's policy allows (minimum {minimum}).",
        ),
        QT_TRANSLATE_NOOP("Net", "Please ask your IT staff to update the server's TLS settings."),
    ),
    api.CERT_INVALID: (
        QT_TRANSLATE_NOOP("Net", "The certificate of the server {host} is not trusted."),
        _CONTACT_IT,
    ),
    api.CERT_HOSTNAME: (
        QT_TRANSLATE_NOOP("Net", "The certificate presented by the server is not issued for {host}."),
        QT_TRANSLATE_NOOP(
            "Net",
            "Please check the server name. If it is correct, the connection may be intercepted: "
            "contact your IT staff.",
        ),
    ),
    api.CERT_EXPIRED: (
        QT_TRANSLATE_NOOP("Net", "The certificate of the server {host} has expired or is not yet valid."),
        QT_TRANSLATE_NOOP(
            "Net", "Please check this computer's date and time; if they are right, contact your IT staff."
        ),
    ),
    api.PIN_MISMATCH: (
        QT_TRANSLATE_NOOP(
            "Net", "The key of the server {host} is not the one the agency's policy expects (pin mismatch)."
        ),
        _CONTACT_IT,
    ),
    TLS_HANDSHAKE: (
        QT_TRANSLATE_NOOP("Net", "A secure connection to the server {host} could not be established."),
        _CONTACT_IT,
    ),
}

_SERVER = {
    SERVER_REFUSED_SESSION: (
        QT_TRANSLATE_NOOP("Net", "The server {host} did not accept the connection."),
        QT_TRANSLATE_NOOP("Net", "Please try again later."),
    ),
    PROTOCOL: (
        QT_TRANSLATE_NOOP("Net", "The server {host} sent an answer that could not be understood."),
        QT_TRANSLATE_NOOP("Net", "Please check the server name and port with your IT staff."),
    ),
    SMTP_NO_AUTH: (
        QT_TRANSLATE_NOOP(
            "Net", "The mail-sending server {host} does not offer sign-in over a secure connection on port {port}."
        ),
        QT_TRANSLATE_NOOP("Net", "Please ask your IT staff which port to use for sending mail."),
    ),
    SMTP_REJECTED: (
        QT_TRANSLATE_NOOP("Net", "The mail-sending server {host} refused the message."),
        None,
    ),
    TOO_MUCH_DATA: (
        QT_TRANSLATE_NOOP(
            "Net", "The server {host} sent more data than a mail server would, so the connection was closed."
        ),
        QT_TRANSLATE_NOOP(
            "Net",
            "This is a fault (or an attack) on the server's side, not a problem with your password. "
            "Please contact your IT staff.",
        ),
    ),
}


def network_error(code: str, host: str, port: int, detail: str = "") -> NetworkError:
    message, hint = _NETWORK[code]
    return NetworkError(message, hint=hint, code=code, detail=detail, host=host, port=port)


def tls_error(code: str, host: str, port: int, detail: str = "", minimum: str = "") -> TlsError:
    message, hint = _TLS[code]
    return TlsError(message, hint=hint, code=code, detail=detail, host=host, port=port, minimum=minimum)


def server_error(code: str, host: str, port: int, detail: str = "") -> ServerError:
    message, hint = _SERVER[code]
    return ServerError(message, hint=hint, code=code, detail=detail, host=host, port=port)


def too_much_data(host: str, port: int, detail: str) -> ServerError:
    """The server sent more than any mail server would; the caller has ended the connection."""
    return server_error(TOO_MUCH_DATA, host, port, detail)


def auth_error(host: str, detail: str = "") -> AuthError:
    return AuthError(
        QT_TRANSLATE_NOOP("Net", "The server {host} did not accept the login name or password."),
        hint=QT_TRANSLATE_NOOP("Net", "Please check your e-mail address and password and try again."),
        code=AUTH_FAILED,
        detail=detail,
        host=host,
    )


def from_os_error(exc: BaseException, host: str, port: int, during: str) -> NetworkError:
    """Map a socket-level failure to the NetworkError code a user can act on."""
    detail = f"{during}: {type(exc).__name__}: {exc}"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return network_error(TIMEOUT, host, port, detail)
    if isinstance(exc, ConnectionRefusedError):
        return network_error(CONNECTION_REFUSED, host, port, detail)
    if isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, EOFError)):
        return network_error(CONNECTION_CLOSED, host, port, detail)
    if isinstance(exc, OSError) and exc.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ENETDOWN,
        errno.EADDRNOTAVAIL,
    ):
        return network_error(UNREACHABLE, host, port, detail)
    return network_error(UNREACHABLE, host, port, detail)
