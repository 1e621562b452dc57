"""A private test CA (trustme) and the server certificates the test servers present.

Clients in tests verify TLS against ``TestCertificates.ca_file`` — never unverified TLS.
Besides the good "localhost / 127.0.0.1 / ::1" certificate, refusal tests need bad ones:
``expired()``, ``not_yet_valid()``, ``wrong_host()`` (issued by the trusted CA, so only
the one defect is tested) and ``untrusted()`` (a valid-looking certificate from a CA the
client does not trust).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

import trustme

#: Names the good server certificate is valid for (what the test servers listen on).
LOOPBACK_IDENTITIES: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class CertFiles:
    """One server certificate written to disk: what a server's config needs."""

    cert_file: Path  # leaf + chain, PEM
    key_file: Path  # private key, PEM
    identities: tuple[str, ...]

    def server_context(self) -> ssl.SSLContext:
        """An SSL server context presenting this certificate (TLS 1.2 minimum)."""
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(str(self.cert_file), str(self.key_file))
        return ctx


class TestCertificates:
    """A trustme CA plus certificates written under ``directory``.

    Files are world-readable on purpose: Dovecot reads them as root, but the directory
    must also be usable by helpers that run as other users.
    """

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, directory: Path | str | None = None) -> None:
        self._owns_directory = directory is None
        if directory is None:
            directory = tempfile.mkdtemp(prefix="govmail-certs-")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o755)
        self.ca = trustme.CA(organization_name="GovMail Desktop test CA")
        self.ca_file = self.directory / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        os.chmod(self.ca_file, 0o644)
        self._counter = 0
        self.server = self.issue("server", *LOOPBACK_IDENTITIES)

    # -- the good certificate (shortcuts) ------------------------------------------
    @property
    def server_cert_file(self) -> Path:
        return self.server.cert_file

    @property
    def server_key_file(self) -> Path:
        return self.server.key_file

    # -- issuing --------------------------------------------------------------------
    def issue(
        self,
        name: str,
        *identities: str,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        ca: trustme.CA | None = None,
    ) -> CertFiles:
        """Issue a server certificate for ``identities`` and write it as ``name``-*.pem."""
        issuer = ca or self.ca
        leaf = issuer.issue_cert(
            *identities,
            common_name=identities[0] if identities else None,
            not_before=not_before,
            not_after=not_after,
        )
        self._counter += 1
        stem = f"{name}-{self._counter}"
        cert_file = self.directory / f"{stem}-chain.pem"
        key_file = self.directory / f"{stem}-key.pem"
        with open(cert_file, "wb") as fh:
            for pem in leaf.cert_chain_pems:
                fh.write(pem.bytes())
        leaf.private_key_pem.write_to_path(str(key_file))
        os.chmod(cert_file, 0o644)
        os.chmod(key_file, 0o644)  # test key: readability matters more than secrecy
        return CertFiles(cert_file, key_file, tuple(identities))

    def expired(self) -> CertFiles:
        """A loopback certificate from the trusted CA that expired yesterday."""
        now = dt.datetime.now(dt.UTC)
        return self.issue(
            "expired",
            *LOOPBACK_IDENTITIES,
            not_before=now - dt.timedelta(days=30),
            not_after=now - dt.timedelta(days=1),
        )

    def not_yet_valid(self) -> CertFiles:
        """A loopback certificate from the trusted CA that becomes valid tomorrow."""
        now = dt.datetime.now(dt.UTC)
        return self.issue(
            "future",
            *LOOPBACK_IDENTITIES,
            not_before=now + dt.timedelta(days=1),
            not_after=now + dt.timedelta(days=30),
        )

    def wrong_host(self, *identities: str) -> CertFiles:
        """A valid certificate from the trusted CA for a host that is not ours."""
        return self.issue("wronghost", *(identities or ("mail.example.org",)))

    def untrusted(self) -> CertFiles:
        """A loopback certificate issued by a CA that clients do not trust."""
        return self.issue("untrusted", *LOOPBACK_IDENTITIES, ca=trustme.CA())

    def cleanup(self) -> None:
        """Remove the files if this object created the directory."""
        if self._owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    # -- client side ------------------------------------------------------------
    def client_context(self) -> ssl.SSLContext:
        """A verifying client context trusting only the test CA (tests use this)."""
        return ssl.create_default_context(cafile=str(self.ca_file))


__all__ = ["CertFiles", "LOOPBACK_IDENTITIES", "TestCertificates"]
