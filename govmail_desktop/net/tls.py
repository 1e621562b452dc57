"""TLS for every connection: one verifying context, error mapping, SPKI pins, certificate facts.

Nothing in GovMail opens an unverified TLS socket: the context always comes from
:func:`make_context`, which starts from ``ssl.create_default_context()``
(chain and host name verified) and can only *add* trust anchors (the agency CA
from the policy) and *raise* the minimum version.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from _ssl import ENCODING_DER  # for the chain of Python 3.10-3.12: ssl has no public name for it
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from govmail_desktop.core.errors import ConfigError, PolicyError, TlsError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.net import failures
from govmail_desktop.policy import api

#: Never go below this whatever the policy says (OpenSSL's own floor today).
TLS_FLOOR = ssl.TLSVersion.TLSv1_2

_VERSION_NAMES = {
    ssl.TLSVersion.TLSv1: "TLSv1",
    ssl.TLSVersion.TLSv1_1: "TLSv1.1",
    ssl.TLSVersion.TLSv1_2: "TLSv1.2",
    ssl.TLSVersion.TLSv1_3: "TLSv1.3",
}
_VERSION_BY_NAME = {name: version for version, name in _VERSION_NAMES.items()}

# OpenSSL X509_V_ERR_* codes (x509_vfy.h) as reported by SSLCertVerificationError.verify_code
_X509_NOT_YET_VALID = 9
_X509_EXPIRED = 10
_X509_HOSTNAME_MISMATCH = 62
_X509_IP_ADDRESS_MISMATCH = 64

# OpenSSL reasons that mean "no TLS version both sides accept".
_VERSION_REASONS = {
    "UNSUPPORTED_PROTOCOL",
    "TLSV1_ALERT_PROTOCOL_VERSION",
    "NO_PROTOCOLS_AVAILABLE",
    "VERSION_TOO_LOW",
    "WRONG_SSL_VERSION",
}
# The peer did not speak TLS at all (e.g. a plaintext greeting on an implicit-TLS port).
_NOT_TLS_REASONS = {"WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE"}


def version_name(version: ssl.TLSVersion) -> str:
    return _VERSION_NAMES.get(version, version.name)


def parse_version(name: str | None) -> ssl.TLSVersion | None:
    """``"TLSv1.3"`` (as ``SSLSocket.version()`` says) → ``TLSVersion.TLSv1_3``."""
    return _VERSION_BY_NAME.get(name or "")


def effective_min_version(rules: api.TlsRules) -> ssl.TLSVersion:
    return max(rules.min_version, TLS_FLOOR)


def make_context(rules: api.TlsRules, extra_ca_files: Sequence[Path] = ()) -> ssl.SSLContext:
    """The verifying client context for one connection.

    ``extra_ca_files`` adds trust anchors (govmail-admin check-server --ca-file);
    it never turns verification off.

    Trust: ``create_default_context`` loads the system's certificates — on Windows the
    *ROOT* and *CA* system stores (``load_default_certs``), where Group Policy puts an agency
    CA —, and the policy's CA file is added to them. The ``truststore`` package (Windows
    verifying the chain itself) is deliberately not used: it returns no verified chain, so
    :func:`check_pins` could only see the chain the server sent; its revocation check is off
    by default and, when on, makes Windows fetch CRLs/OCSP outside the domestic-server
    policy. See docs/admin.md "TLS trust on Windows" and tests/unit/net/test_tls_windows_trust.py.
    """
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.minimum_version = effective_min_version(rules)
    if rules.ca_file is not None:
        try:
            ctx.load_verify_locations(cafile=str(rules.ca_file))
        except (OSError, ssl.SSLError) as exc:
            # The admin's CA bundle is part of the machine policy: fail closed.
            raise PolicyError(
                QT_TRANSLATE_NOOP("Net", "The CA certificate file named by the policy cannot be used: {path}"),
                code=api.POLICY_INVALID,
                detail=f"{type(exc).__name__}: {exc}",
                path=str(rules.ca_file),
            ) from exc
    for path in extra_ca_files:
        try:
            ctx.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                QT_TRANSLATE_NOOP("Net", "The CA certificate file cannot be used: {path}"),
                code="ca-file",
                detail=f"{type(exc).__name__}: {exc}",
                path=str(path),
            ) from exc
    return ctx


def map_ssl_error(exc: BaseException, host: str, port: int, rules: api.TlsRules) -> TlsError:
    """Turn an ``ssl`` exception raised during the handshake into a TlsError with a reason code."""
    minimum = version_name(effective_min_version(rules))
    if isinstance(exc, ssl.SSLCertVerificationError):
        code = exc.verify_code
        detail = f"certificate verify failed: {exc.verify_message} (X509 error {code})"
        if code in (_X509_EXPIRED, _X509_NOT_YET_VALID):
            return failures.tls_error(api.CERT_EXPIRED, host, port, detail)
        if code in (_X509_HOSTNAME_MISMATCH, _X509_IP_ADDRESS_MISMATCH):
            return failures.tls_error(api.CERT_HOSTNAME, host, port, detail)
        return failures.tls_error(api.CERT_INVALID, host, port, detail)
    reason = getattr(exc, "reason", None) or ""
    detail = f"{type(exc).__name__}: {exc}"
    if reason in _VERSION_REASONS:
        return failures.tls_error(api.TLS_VERSION, host, port, detail, minimum=minimum)
    if reason in _NOT_TLS_REASONS:
        return failures.tls_error(api.TLS_REQUIRED, host, port, detail)
    return failures.tls_error(failures.TLS_HANDSHAKE, host, port, detail)


def spki_sha256(cert_der: bytes) -> str:
    """The SPKI pin of a certificate: base64(SHA-256(DER SubjectPublicKeyInfo)) (RFC 7469 style)."""
    cert = x509.load_der_x509_certificate(cert_der)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def verified_chain_der(sock: ssl.SSLSocket) -> list[bytes]:
    """DER of the verified chain, leaf first (falls back to the leaf alone).

    ``SSLSocket.get_verified_chain()`` is public from Python 3.13; 3.10–3.12
    have the same method on the internal ``_sslobj``.
    """
    getter = getattr(sock, "get_verified_chain", None)
    if getter is None:
        getter = getattr(getattr(sock, "_sslobj", None), "get_verified_chain", None)
    chain: list[bytes] = []
    if getter is not None:
        try:
            for cert in getter() or ():
                chain.append(cert if isinstance(cert, bytes) else cert.public_bytes(ENCODING_DER))
        except (ssl.SSLError, ValueError, AttributeError):
            chain = []
    if not chain:
        leaf = sock.getpeercert(binary_form=True)
        if leaf:
            chain = [leaf]
    return chain


def check_pins(chain: Iterable[bytes], pins: Sequence[str], host: str, port: int) -> str | None:
    """Raise TlsError(PIN_MISMATCH) unless a certificate of the chain matches a pin.

    Returns the matching pin (None when the policy sets no pins).
    """
    if not pins:
        return None
    wanted = {p.strip() for p in pins}
    seen = []
    for der in chain:
        pin = spki_sha256(der)
        if pin in wanted:
            return pin
        seen.append(pin)
    raise failures.tls_error(api.PIN_MISMATCH, host, port, detail=f"server SPKI pins {seen} not in policy pins")


@dataclass(frozen=True)
class CertificateInfo:
    """What an admin wants to see about the server certificate (leaf)."""

    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    sans: tuple[str, ...]
    spki_sha256: str

    @classmethod
    def from_der(cls, der: bytes) -> CertificateInfo:
        cert = x509.load_der_x509_certificate(der)
        sans: list[str] = []
        try:
            ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            sans += [f"DNS:{n}" for n in ext.get_values_for_type(x509.DNSName)]
            sans += [f"IP:{ip}" for ip in ext.get_values_for_type(x509.IPAddress)]
        except x509.ExtensionNotFound:
            pass
        return cls(
            subject=cert.subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(),
            not_before=cert.not_valid_before_utc.astimezone(UTC),
            not_after=cert.not_valid_after_utc.astimezone(UTC),
            sans=tuple(sans),
            spki_sha256=spki_sha256(der),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "sans": list(self.sans),
            "spki_sha256": self.spki_sha256,
        }
