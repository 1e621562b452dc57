"""Where to connect: a host, a port and how TLS starts (there is no plaintext option)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: ``"tls"`` = implicit TLS from the first byte (IMAPS 993, submissions 465);
#: ``"starttls"`` = plaintext greeting then STARTTLS, refused if the server
#: does not offer it (IMAP 143, submission 587, SMTP 25).
Security = Literal["tls", "starttls"]

IMAP_TLS_PORT = 993
IMAP_STARTTLS_PORT = 143
SMTP_TLS_PORT = 465
SMTP_SUBMISSION_PORT = 587
SMTP_RELAY_PORT = 25


@dataclass(frozen=True)
class Endpoint:
    """One server address as configured (the host name, never a resolved IP)."""

    host: str
    port: int
    security: Security

    def __post_init__(self) -> None:
        # A wrong value here is a programming error, not a user's mistake.
        if self.security not in ("tls", "starttls"):
            raise ValueError(f"security must be 'tls' or 'starttls', not {self.security!r}")
        if not 0 < int(self.port) < 65536:
            raise ValueError(f"port out of range: {self.port!r}")
        if not self.host:
            raise ValueError("empty host")

    def __str__(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"
