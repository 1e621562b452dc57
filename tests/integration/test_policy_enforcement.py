"""Every connection goes through the policy, against the real servers.

Real Dovecot (IMAP STARTTLS + IMAPS) and the real aiosmtpd submission server, the real
policy (tests/data/policy/test-loopback.json + the test CA), the app's own code path
(ImapSession / SmtpSession / verify_account). Fakes only where a real server cannot
show the attack (no STARTTLS, STARTTLS NO/BAD, PREAUTH, injection, TLS capped at 1.2).

In every refused case the test proves the password was never sent: Dovecot's log shows
no authentication attempt, the fakes record everything they received, and listeners on
refused addresses see no connection at all.
"""

from __future__ import annotations

import logging
import re
import ssl
import time
from email.message import EmailMessage

import pytest

from govmail_desktop.core.errors import AuthError, PolicyRefused, ServerError, TlsError
from govmail_desktop.net import failures
from govmail_desktop.net.account_check import verify_account
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.smtp_session import SmtpSession, connect_first_with_auth
from govmail_desktop.policy import api
from tests.servers.fake_base import SilentListener
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import ABROAD_IP, THAI_IP, RecordingResolver, abroad_policy, loopback_policy
from tests.servers.fake_smtp import FakeSmtpServer

pytestmark = pytest.mark.integration

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})


# -- helpers ------------------------------------------------------------------------

class DovecotLog:
    """Lines Dovecot logged after a mark (the login process logs every connection)."""

    def __init__(self, dovecot) -> None:
        self.path = dovecot.log_file

    def mark(self) -> int:
        return self.path.stat().st_size

    def since(self, mark: int) -> str:
        with open(self.path, "rb") as fh:
            fh.seek(mark)
            return fh.read().decode("utf-8", "replace")

    def wait_for(self, mark: int, pattern: str, timeout: float = 10.0) -> str:
        """Poll until a line matching ``pattern`` appears after ``mark``; returns the new text."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.since(mark)
            if re.search(pattern, text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"no log line matching {pattern!r}; got:\n{text}")
            time.sleep(0.02)


# Dovecot's login process logs each connection that ended without login; a very fresh
# instance may say so before its auth service is even ready.
NO_AUTH_ATTEMPT = r"imap-login: .*Disconnected.*\((no auth attempts|disconnected before auth was ready)"


def assert_no_auth_in(text: str, password: str) -> None:
    assert "Login: user=" not in text and "auth failed" not in text
    assert password not in text


@pytest.fixture(scope="module")
def policy(dovecot):
    """The real test policy with the test CA: allows localhost/127.0.0.1 and mail.go.th names."""
    return loopback_policy(ca_file=dovecot.ca_file)


@pytest.fixture
def log(dovecot):
    return DovecotLog(dovecot)


def imap_endpoint(dovecot, security: str, host: str = "localhost") -> Endpoint:
    return Endpoint(host, dovecot.imaps_port if security == "tls" else dovecot.imap_port, security)


def smtp_endpoint(smtp_server, security: str, host: str = "localhost") -> Endpoint:
    return Endpoint(host, smtp_server.tls_port if security == "tls" else smtp_server.starttls_port, security)


# -- allowed ------------------------------------------------------------------------

@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_imap_login_allowed_with_the_test_ca(dovecot, policy, log, security):
    mark = log.mark()
    with ImapSession.connect(imap_endpoint(dovecot, security), policy, resolver=LOCAL, timeout=10) as session:
        report = session.report
        assert report.secure and report.connected_ip == "127.0.0.1"
        assert [(a.ip, a.allowed, a.reason) for a in report.addresses] == [("127.0.0.1", True, "127.0.0.0/8")]
        assert "DNS:localhost" in report.certificate.sans
        assert "STARTTLS" not in report.capabilities  # asked again over TLS
        session.login("alice", dovecot.users["alice"])
        assert "QRESYNC" in session.capabilities()
    log.wait_for(mark, r"Login: user=<alice>.*TLS")


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_smtp_auth_and_send_allowed_with_the_test_ca(dovecot, smtp_server, policy, security):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "alice@localhost", "bob@localhost", f"policy test {security}"
    msg.set_content("ทดสอบ")
    before = len(smtp_server.accepted)
    with SmtpSession.connect(smtp_endpoint(smtp_server, security), policy, resolver=LOCAL, timeout=10) as session:
        assert session.report.secure and session.offers_auth
        session.login("alice", dovecot.users["alice"])
        result = session.transaction(msg.as_bytes(), "alice@localhost", ["bob@localhost"])
        assert result.accepted == ["bob@localhost"] and result.data is not None and result.data.ok
    accepted = smtp_server.accepted[before:]
    assert [(m.listener, m.auth_user) for m in accepted] == [(security, "alice")]


def test_verify_account_uses_the_first_smtp_candidate_with_tls_and_auth(dovecot, smtp_server, policy):
    with SilentListener("127.0.0.1") as closed:
        closed_port = closed.port
    result = verify_account(
        imap_endpoint(dovecot, "tls"),
        [Endpoint("localhost", closed_port, "tls"), smtp_endpoint(smtp_server, "starttls")],
        "alice@localhost",
        dovecot.users["alice"],
        policy,
        resolver=LOCAL,
        timeout=10,
    )
    assert result.smtp == smtp_endpoint(smtp_server, "starttls")
    assert result.imap_report.secure and result.smtp_report.secure


def test_wrong_password_is_an_auth_error_for_imap_and_smtp(fresh_dovecot, smtp_server, policy):
    # A private Dovecot: a failed login makes Dovecot delay later logins from the same IP.
    server = fresh_dovecot()
    log = DovecotLog(server)
    mark = log.mark()
    with ImapSession.connect(imap_endpoint(server, "tls"), policy, resolver=LOCAL, timeout=10) as session:
        with pytest.raises(AuthError) as imap_info:
            session.login("alice", "Not-Alice-2569")
    log.wait_for(mark, r"auth failed")
    with SmtpSession.connect(smtp_endpoint(smtp_server, "starttls"), policy, resolver=LOCAL) as session:
        with pytest.raises(AuthError) as smtp_info:
            session.login("alice", "Not-Alice-2569")
    for info in (imap_info, smtp_info):
        assert type(info.value) is AuthError and info.value.code == failures.AUTH_FAILED


def test_tls13_minimum_is_met_by_dovecot(dovecot):
    policy = loopback_policy(ca_file=dovecot.ca_file, min_version="1.3")
    with ImapSession.connect(imap_endpoint(dovecot, "tls"), policy, resolver=LOCAL) as session:
        assert session.report.tls_version == "TLSv1.3"


def test_password_never_reaches_the_log(dovecot, smtp_server, policy, caplog):
    caplog.set_level(logging.DEBUG)
    password = dovecot.users["alice"]
    verify_account(
        imap_endpoint(dovecot, "starttls"), [smtp_endpoint(smtp_server, "tls")], "alice", password, policy,
        resolver=LOCAL,
    )
    assert any("LOGIN" in r.getMessage() for r in caplog.records)  # the protocol trace was on
    assert password not in "\n".join(r.getMessage() for r in caplog.records)
    assert password not in caplog.text


# -- refused by the host rules: never resolved, never connected --------------------

@pytest.mark.parametrize(
    ("host", "code"),
    [("mail.example.org", api.HOST_NOT_ALLOWED), ("imap.gmail.com", api.HOST_DENIED),
     ("outlook.office365.com", api.HOST_DENIED)],
)
def test_host_refused_by_name_is_never_resolved_or_connected(dovecot, policy, host, code):
    events: list = []
    with SilentListener("127.0.0.2") as listener:
        # Both the listener and the real Dovecot are "behind" this name.
        resolver = RecordingResolver(StaticResolver({host: [listener.host, "127.0.0.1"]}), events)
        for port in (listener.port, dovecot.imaps_port):
            with pytest.raises(PolicyRefused) as info:
                verify_account(Endpoint(host, port, "tls"), [Endpoint(host, port, "tls")], "alice",
                               dovecot.users["alice"], policy, resolver=resolver)
            assert info.value.code == code
        assert not listener.connection_attempted()
    assert events == []  # refused before the name was even resolved


# -- refused by the address rules: every address checked before any connection -------

def test_address_outside_thailand_is_refused_and_never_connected(dovecot, log):
    """127.0.0.2 is registered to the US and 127.0.0.3 to Thailand (fake_net.PlannedRegistry):
    a regressed policy would reach only the listeners here."""
    policy = abroad_policy(ca_file=dovecot.ca_file)
    mark = log.mark()
    with SilentListener(THAI_IP) as thai, SilentListener(ABROAD_IP, thai.port) as abroad:
        resolver = StaticResolver({"imap.mail.go.th": [ABROAD_IP], "mail.mail.go.th": [THAI_IP, ABROAD_IP]})
        with pytest.raises(PolicyRefused) as only_foreign:
            verify_account(Endpoint("imap.mail.go.th", abroad.port, "tls"),
                           [Endpoint("imap.mail.go.th", abroad.port, "tls")],
                           "alice", dovecot.users["alice"], policy, resolver=resolver)
        with pytest.raises(PolicyRefused) as mixed:
            ImapSession.connect(Endpoint("mail.mail.go.th", thai.port, "tls"), policy, resolver=resolver)
        assert not thai.connection_attempted() and not abroad.connection_attempted()
    assert only_foreign.value.code == mixed.value.code == api.ADDRESS_NOT_THAILAND
    assert ABROAD_IP in only_foreign.value.user_text("th") and "US" in only_foreign.value.user_text("en")
    assert_no_auth_in(log.since(mark), dovecot.users["alice"])


def test_private_address_not_listed_by_the_admin_is_refused(dovecot):
    policy = loopback_policy(ca_file=dovecot.ca_file, allow_cidrs=[])
    with SilentListener("127.0.0.2") as listener:
        with pytest.raises(PolicyRefused) as info:
            verify_account(Endpoint("localhost", listener.port, "tls"), [], "alice", dovecot.users["alice"],
                           policy, resolver=StaticResolver({"localhost": [listener.host]}))
        assert not listener.connection_attempted()
    assert info.value.code == api.ADDRESS_PRIVATE


# -- refused by TLS: connected, but nothing sent before verification ------------------

def test_certificate_not_matching_the_host_is_refused(dovecot, policy, log):
    """Dovecot's certificate is for localhost; connect to it by another (allowed) name."""
    mark = log.mark()
    resolver = StaticResolver({"imap.mail.go.th": ["127.0.0.1"]})
    with pytest.raises(TlsError) as info:
        verify_account(Endpoint("imap.mail.go.th", dovecot.imaps_port, "tls"), [], "alice",
                       dovecot.users["alice"], policy, resolver=resolver)
    assert info.value.code == api.CERT_HOSTNAME
    text = log.wait_for(mark, NO_AUTH_ATTEMPT)
    assert_no_auth_in(text, dovecot.users["alice"])


@pytest.mark.parametrize(("cert_kind", "code"), [("wrong_host", api.CERT_HOSTNAME), ("expired", api.CERT_EXPIRED)])
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_bad_server_certificate_is_refused(fresh_dovecot, certs, cert_kind, code, security):
    server = fresh_dovecot(cert=getattr(certs, cert_kind)())
    policy = loopback_policy(ca_file=certs.ca_file)
    log = DovecotLog(server)
    mark = log.mark()
    with pytest.raises(TlsError) as info:
        verify_account(imap_endpoint(server, security), [], "alice", server.users["alice"], policy,
                       resolver=LOCAL, timeout=10)
    assert info.value.code == code
    text = log.wait_for(mark, NO_AUTH_ATTEMPT)
    assert_no_auth_in(text, server.users["alice"])


def test_smtp_with_an_expired_certificate_is_refused_and_probing_stops(fresh_smtp_server, certs, dovecot):
    server = fresh_smtp_server(dovecot, cert=certs.expired())
    policy = loopback_policy(ca_file=certs.ca_file)
    with pytest.raises(TlsError) as info:
        connect_first_with_auth(
            [smtp_endpoint(server, "tls"), smtp_endpoint(server, "starttls")], policy, resolver=LOCAL
        )
    assert info.value.code == api.CERT_EXPIRED
    assert server.accepted == []


def test_tls_below_the_minimum_is_refused(certs, dovecot):
    policy = loopback_policy(ca_file=certs.ca_file, min_version="1.3")
    with FakeImapServer("ok", certs.server, implicit_tls=True, max_tls=ssl.TLSVersion.TLSv1_2,
                        users=dict(dovecot.users)) as server:
        with pytest.raises(TlsError) as info:
            verify_account(Endpoint("localhost", server.port, "tls"), [], "alice", dovecot.users["alice"],
                           policy, resolver=LOCAL)
        assert server.received.tls_handshakes == 0  # the handshake never completed
        assert not server.received.saw(dovecot.users["alice"])
    assert info.value.code == api.TLS_VERSION


@pytest.mark.parametrize(
    ("behaviour", "error", "code"),
    [
        ("no-starttls", TlsError, api.TLS_REQUIRED),
        ("starttls-no", TlsError, api.TLS_REQUIRED),
        ("starttls-bad", TlsError, api.TLS_REQUIRED),
        ("preauth", TlsError, api.TLS_REQUIRED),
        ("bye", ServerError, failures.SERVER_REFUSED_SESSION),  # the server ends the session at once
    ],
)
def test_imap_server_without_usable_starttls_never_gets_the_password(certs, dovecot, behaviour, error, code):
    policy = loopback_policy(ca_file=certs.ca_file)
    password = dovecot.users["alice"]
    with FakeImapServer(behaviour, certs.server, users=dict(dovecot.users)) as server:
        with pytest.raises(error) as info:
            verify_account(Endpoint("localhost", server.port, "starttls"), [], "alice", password, policy,
                           resolver=LOCAL)
        assert server.logins == [] and not server.received.saw(password)
        assert server.received.tls_handshakes == 0
    assert type(info.value) is error and info.value.code == code
    assert "evil.example" not in info.value.user_text("th") + info.value.user_text("en")


@pytest.mark.parametrize("behaviour", ["no-starttls", "starttls-refused"])
def test_smtp_server_without_starttls_never_gets_the_password(certs, dovecot, behaviour):
    policy = loopback_policy(ca_file=certs.ca_file)
    password = dovecot.users["alice"]
    with FakeSmtpServer(behaviour, certs.server, users=dict(dovecot.users)) as server:
        with pytest.raises(TlsError) as info:
            verify_account(imap_endpoint(dovecot, "tls"), [Endpoint("localhost", server.port, "starttls")],
                           "alice", password, policy, resolver=LOCAL)
        assert server.auths == [] and not server.received.saw(password)
    assert info.value.code == api.TLS_REQUIRED


def test_injected_bytes_after_starttls_ok_are_discarded(certs, dovecot):
    policy = loopback_policy(ca_file=certs.ca_file)
    with FakeImapServer("inject", certs.server, users=dict(dovecot.users)) as server:
        with ImapSession.connect(Endpoint("localhost", server.port, "starttls"), policy, resolver=LOCAL) as s:
            assert s.report.discarded_plaintext_bytes > 0
            assert "INJECTED-CAPABILITY" not in s.capabilities()
            s.login("alice", dovecot.users["alice"])
        assert server.logins == [("alice", True)]
