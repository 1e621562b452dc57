"""What happened on one connection attempt, step by step (for the wizard, logs, check-server).

The enforcement path fills a :class:`ConnectionReport` as it goes, so that a
refusal still shows every address that was checked and why (govmail-admin
prints it even when the verdict is "refused").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.tls import CertificateInfo


@dataclass(frozen=True)
class AddressCheck:
    """The policy's verdict on one resolved address."""

    ip: str
    allowed: bool
    #: When allowed: the registration country ("TH") or the admin range ("10.0.0.0/8").
    reason: str = ""
    #: When refused: the reason code from policy/api.py, and the policy's technical detail.
    code: str | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"ip": self.ip, "allowed": self.allowed, "reason": self.reason, "code": self.code,
                "detail": self.detail}


@dataclass
class ConnectionReport:
    """Filled in order: host check, addresses, TCP connect, TLS, capabilities."""

    endpoint: Endpoint
    host_allowed: bool | None = None
    #: The name resolved and verified in the certificate (policy-normalised, A-label).
    checked_name: str | None = None
    addresses: list[AddressCheck] = field(default_factory=list)
    connected_ip: str | None = None
    tls_version: str | None = None
    cipher: str | None = None
    certificate: CertificateInfo | None = None
    #: The SPKI pin that matched (None when the policy sets no pins).
    matched_pin: str | None = None
    #: Bytes the server sent after its STARTTLS "go ahead" before TLS: discarded.
    discarded_plaintext_bytes: int = 0
    #: IMAP CAPABILITY / SMTP EHLO keywords, asked again after TLS.
    capabilities: tuple[str, ...] = ()
    #: True once TLS is verified (chain, host name, version, pins): credentials may go.
    secure: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "host": self.endpoint.host,
            "port": self.endpoint.port,
            "security": self.endpoint.security,
            "host_allowed": self.host_allowed,
            "checked_name": self.checked_name,
            "addresses": [a.as_dict() for a in self.addresses],
            "connected_ip": self.connected_ip,
            "tls_version": self.tls_version,
            "cipher": self.cipher,
            "certificate": self.certificate.as_dict() if self.certificate else None,
            "matched_pin": self.matched_pin,
            "discarded_plaintext_bytes": self.discarded_plaintext_bytes,
            "capabilities": list(self.capabilities),
            "secure": self.secure,
        }
