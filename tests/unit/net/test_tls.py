"""Certificate, version and pin refusals, and the SPKI pin computation."""

from __future__ import annotations

import base64
import ssl
import subprocess

import pytest

from govmail_desktop.core.errors import NetworkError, PolicyError, TlsError
from govmail_desktop.net import failures, tls
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.secure_connect import secure_connect
from govmail_desktop.policy import api
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import loopback_policy

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})


def _connect(server, policy, host="localhost"):
    return secure_connect(Endpoint(host, server.port, "tls"), policy, resolver=LOCAL, timeout=5)


@pytest.mark.parametrize(
    ("cert_name", "code"),
    [
        ("expired", api.CERT_EXPIRED),
        ("not_yet_valid", api.CERT_EXPIRED),
        ("wrong_host", api.CERT_HOSTNAME),
        ("untrusted", api.CERT_INVALID),
    ],
)
def test_bad_certificates_are_refused_with_their_reason(certs, policy, cert_name, code):
    cert = getattr(certs, cert_name)()
    with FakeImapServer("ok", cert, implicit_tls=True) as server:
        with pytest.raises(TlsError) as info:
            _connect(server, policy)
        assert server.received.encrypted == b""  # nothing was sent after the failed handshake
    assert info.value.code == code
    assert info.value.user_text("th") and info.value.user_text("en")


def test_ip_literal_host_is_verified_against_ip_sans(certs, policy):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        conn = _connect(server, policy, host="127.0.0.1")
        conn.close()
    assert "IP:127.0.0.1" in conn.report.certificate.sans


def test_ip_literal_missing_from_certificate_is_a_hostname_error(certs, policy):
    with FakeImapServer("ok", certs.issue("dnsonly", "localhost"), implicit_tls=True) as server:
        with pytest.raises(TlsError) as info:
            _connect(server, policy, host="127.0.0.1")
    assert info.value.code == api.CERT_HOSTNAME


def test_without_the_test_ca_the_server_is_not_trusted(certs):
    """The system store alone does not know the test CA: verification is really on."""
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        with pytest.raises(TlsError) as info:
            _connect(server, loopback_policy())
    assert info.value.code == api.CERT_INVALID


def test_tls_below_the_minimum_is_refused(certs):
    policy = loopback_policy(ca_file=certs.ca_file, min_version="1.3")
    with FakeImapServer("ok", certs.server, implicit_tls=True, max_tls=ssl.TLSVersion.TLSv1_2) as server:
        with pytest.raises(TlsError) as info:
            _connect(server, policy)
    assert info.value.code == api.TLS_VERSION
    assert "TLSv1.3" in info.value.user_text("en")


def test_tls12_server_is_fine_with_the_default_minimum(certs, policy):
    with FakeImapServer("ok", certs.server, implicit_tls=True, max_tls=ssl.TLSVersion.TLSv1_2) as server:
        conn = _connect(server, policy)
        conn.close()
    assert conn.report.tls_version == "TLSv1.2"


def test_report_describes_the_certificate(certs, policy):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        conn = _connect(server, policy)
        conn.close()
    cert = conn.report.certificate
    assert "DNS:localhost" in cert.sans and "IP:127.0.0.1" in cert.sans
    assert "GovMail Desktop test CA" in cert.issuer
    assert cert.not_after > cert.not_before
    assert conn.report.cipher and conn.report.tls_version in ("TLSv1.2", "TLSv1.3")


def _openssl_pin(pem_path) -> str:
    """The pin as the usual openssl pipeline computes it (independent of our code)."""
    pubkey = subprocess.run(
        ["openssl", "x509", "-in", str(pem_path), "-pubkey", "-noout"], check=True, capture_output=True
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"], input=pubkey, check=True, capture_output=True
    ).stdout
    digest = subprocess.run(
        ["openssl", "dgst", "-sha256", "-binary"], input=der, check=True, capture_output=True
    ).stdout
    return base64.b64encode(digest).decode()


def test_spki_pin_matches_openssl(certs):
    pem = certs.server.cert_file.read_text().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    der = ssl.PEM_cert_to_DER_cert(pem)
    leaf_only = certs.directory / "leaf-only.pem"
    leaf_only.write_text(pem)
    assert tls.spki_sha256(der) == _openssl_pin(leaf_only)


def test_matching_pin_allows_and_is_reported(certs):
    pem = certs.server.cert_file.read_text().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    pin = tls.spki_sha256(ssl.PEM_cert_to_DER_cert(pem))
    policy = loopback_policy(ca_file=certs.ca_file, pins=[pin])
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        conn = _connect(server, policy)
        conn.close()
    assert conn.report.matched_pin == pin


def test_pin_of_the_ca_also_matches(certs):
    """Pins may name any certificate of the verified chain (e.g. the agency CA)."""
    ca_pin = tls.spki_sha256(ssl.PEM_cert_to_DER_cert(certs.ca_file.read_text()))
    policy = loopback_policy(ca_file=certs.ca_file, pins=[ca_pin])
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        conn = _connect(server, policy)
        conn.close()
    assert conn.report.matched_pin == ca_pin


def test_pin_mismatch_is_refused_before_any_byte_is_sent(certs):
    other = base64.b64encode(b"\x01" * 32).decode()
    policy = loopback_policy(ca_file=certs.ca_file, pins=[other])
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        with pytest.raises(TlsError) as info:
            _connect(server, policy)
        assert server.received.encrypted == b""
    assert info.value.code == api.PIN_MISMATCH


def test_plaintext_server_on_a_tls_port_is_refused(certs, policy):
    with FakeImapServer("ok", certs.server, implicit_tls=False) as server:
        with pytest.raises(TlsError) as info:
            _connect(server, policy)
    assert info.value.code == api.TLS_REQUIRED


def test_unreadable_policy_ca_fails_closed_before_connecting(certs, tmp_path):
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    policy = loopback_policy(ca_file=certs.ca_file)
    rules = policy.tls_rules()
    with pytest.raises(PolicyError) as info:
        tls.make_context(api.TlsRules(ca_file=bogus, min_version=rules.min_version))
    assert type(info.value) is PolicyError and info.value.code == api.POLICY_INVALID


def test_context_always_verifies(certs):
    ctx = tls.make_context(api.TlsRules(min_version=ssl.TLSVersion.TLSv1), [certs.ca_file])
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.minimum_version == ssl.TLSVersion.TLSv1_2  # never below the floor


@pytest.mark.parametrize(
    ("verify_code", "code"),
    [(10, api.CERT_EXPIRED), (9, api.CERT_EXPIRED), (62, api.CERT_HOSTNAME), (64, api.CERT_HOSTNAME),
     (20, api.CERT_INVALID), (18, api.CERT_INVALID)],
)
def test_verify_codes_map_to_reason_codes(verify_code, code):
    exc = ssl.SSLCertVerificationError(1, "certificate verify failed")
    exc.verify_code = verify_code
    exc.verify_message = "x"
    assert tls.map_ssl_error(exc, "h", 993, api.TlsRules()).code == code


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (TimeoutError("timed out"), failures.TIMEOUT),
        (ConnectionRefusedError(111, "refused"), failures.CONNECTION_REFUSED),
        (ConnectionResetError(104, "reset"), failures.CONNECTION_CLOSED),
        (OSError(101, "Network is unreachable"), failures.UNREACHABLE),
    ],
)
def test_socket_errors_map_to_network_codes(exc, code):
    err = failures.from_os_error(exc, "h", 993, "connect")
    assert isinstance(err, NetworkError) and err.code == code
