"""The contract between policy/ (which decides) and net/ (which enforces).

net/ calls these in this order for every IMAP and SMTP connection, and never
skips one:

1. ``check_host(host)``                — allow/deny rules on the name (IDN-aware);
2. resolve the host (net/'s resolver, injectable);
3. ``check_address(host, ip)`` for EVERY resolved address;
4. connect to an address that passed (no second DNS lookup);
5. TLS per ``tls_rules()`` (implicit TLS or STARTTLS, never plaintext; hostname
   verified; minimum version; admin CA bundle; SPKI pins);
6. only then LOGIN / AUTH.

Every refusal raises :class:`govmail_desktop.core.errors.PolicyRefused` with one
of the reason codes below and a Thai/English message saying what the user or
IT admin can do.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

# Stable reason codes (govmail-admin --json, logs, tests).
HOST_NOT_ALLOWED = "host-not-allowed"        # not on the allowlist
HOST_DENIED = "host-denied"                  # on the denylist (e.g. foreign free mail)
HOST_INVALID = "host-invalid"                # not a valid host name (bad IDN, empty...)
ADDRESS_NOT_THAILAND = "address-not-thailand"  # registered outside TH and not in an admin range
ADDRESS_PRIVATE = "address-private"          # loopback/private/link-local not listed by the admin
ADDRESS_UNKNOWN = "address-unknown"          # no registration data for the address
TLS_REQUIRED = "tls-required"                # server offers no TLS / STARTTLS refused
TLS_VERSION = "tls-version"                  # below the minimum version
CERT_INVALID = "cert-invalid"                # chain not trusted
CERT_HOSTNAME = "cert-hostname"              # certificate does not match the host
CERT_EXPIRED = "cert-expired"
PIN_MISMATCH = "pin-mismatch"                # SPKI pin set and none matched
POLICY_INVALID = "policy-invalid"            # machine policy broken: fail closed
ACCOUNT_DOMAIN = "account-domain-not-allowed"  # e-mail address domain not allowed


@dataclass(frozen=True)
class TlsRules:
    min_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2
    #: Extra trust anchors (agency internal CA), added to the system store.
    ca_file: Path | None = None
    #: base64 SHA-256 of the server certificate's SubjectPublicKeyInfo; when
    #: non-empty, at least one certificate in the chain must match.
    spki_pins: tuple[str, ...] = field(default_factory=tuple)


class ServerPolicy(Protocol):
    """What net/ needs from the policy for one connection."""

    def check_host(self, host: str) -> str:
        """Raise PolicyRefused unless the host name may be used.

        Returns the normalised name (lower-case IDNA A-labels, no trailing
        dot; IP literals in compressed form): resolve THIS name, so that what
        was checked is what gets looked up.
        """

    def check_address(self, host: str, ip: str) -> str:
        """Raise PolicyRefused unless ``ip`` may be connected to.

        Returns a short description of why it is allowed: the registration
        country code (``"TH"``) or the admin range it lies in (``"10.0.0.0/8"``).
        """

    def tls_rules(self) -> TlsRules:
        """TLS requirements for connections (TLS itself is always required)."""
