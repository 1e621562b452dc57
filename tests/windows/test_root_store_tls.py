"""The agency CA in the Windows root store is trusted without ``ca_file`` (GPO-pushed CAs).

A test CA (trustme, tests/servers/certs.py) is added to the machine's Root store with
certutil (needs an elevated process: the GitHub runner is; skipped otherwise, as adding to
the *user's* Root store shows a confirmation dialog) and always removed again. A small TLS
server on 127.0.0.1 presents a certificate from that CA and sends an IMAP greeting; the
client uses the app's own context (net/tls.make_context, no ca_file in the policy).
Without the CA in the store the same connection fails with the app's certificate error.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading

import pytest

from govmail_desktop.core.errors import TlsError
from govmail_desktop.net import tls
from govmail_desktop.policy import api
from tests.windows import winapi

pytestmark = pytest.mark.windows

GREETING = b"* OK GovMail Windows root store test ready\r\n"


class GreetingTlsServer:
    """Accepts connections on 127.0.0.1 and greets each over TLS, until closed."""

    def __init__(self, context):
        self.context = context
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(30)
        self.port = self.listener.getsockname()[1]
        self.errors = []
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue  # nobody yet (certutil may take a while): wait on
            except OSError:
                return  # closed
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls_conn:
                    tls_conn.sendall(GREETING)
            except (ssl.SSLError, OSError) as exc:  # the client refused the certificate
                self.errors.append(exc)
            finally:
                conn.close()

    def close(self):
        self.stopping = True
        self.listener.close()
        self.thread.join(timeout=30)


def connect(port):
    """The greeting, through the app's TLS context with no ca_file (only the system's roots)."""
    rules = api.TlsRules()
    assert rules.ca_file is None
    context = tls.make_context(rules)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        try:
            with context.wrap_socket(raw, server_hostname="localhost") as conn:
                return conn.recv(1024)
        except ssl.SSLError as exc:
            raise tls.map_ssl_error(exc, "localhost", port, rules) from exc


def certutil(*args):
    proc = subprocess.run(["certutil", *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"certutil {' '.join(args)}: {proc.stdout}{proc.stderr}"


@pytest.fixture
def server(tmp_path):
    from tests.servers.certs import TestCertificates

    certs = TestCertificates(tmp_path / "certs")
    srv = GreetingTlsServer(certs.server.server_context())
    try:
        yield certs, srv
    finally:
        srv.close()


def thumbprint(ca_file):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_pem_x509_certificate(ca_file.read_bytes())
    return cert.fingerprint(hashes.SHA1()).hex()  # certutil names a certificate by its SHA-1 hash


def test_the_ca_in_the_machine_root_store_is_trusted_without_ca_file(server):
    certs, srv = server
    with pytest.raises(TlsError) as before:
        connect(srv.port)
    assert before.value.code == api.CERT_INVALID

    winapi.require_elevated("adding a CA to the machine's Root store")
    certutil("-addstore", "Root", str(certs.ca_file))
    try:
        assert connect(srv.port) == GREETING
    finally:
        certutil("-delstore", "Root", thumbprint(certs.ca_file))

    with pytest.raises(TlsError) as after:
        connect(srv.port)
    assert after.value.code == api.CERT_INVALID
    assert "certificate" in after.value.user_text("en").lower()
    assert after.value.user_text("th") != after.value.user_text("en")
