"""IMAP over the policy path against a scripted server: STARTTLS stripping and injection."""

from __future__ import annotations

import logging

import pytest

from govmail_desktop.core.errors import AuthError, ServerError, TlsError
from govmail_desktop.net import failures
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.policy import api
from tests.servers.fake_imap import BAIT_TEXT, FakeImapServer

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})
PASSWORD = "secret"


def _connect(server, policy, security="starttls"):
    return ImapSession.connect(Endpoint("localhost", server.port, security), policy, resolver=LOCAL, timeout=5)


@pytest.mark.parametrize("behaviour", ["no-starttls", "starttls-no", "starttls-bad", "preauth"])
def test_no_usable_starttls_means_refused_before_login(certs, policy, behaviour):
    with FakeImapServer(behaviour, certs.server) as server:
        with pytest.raises(TlsError) as info:
            session = _connect(server, policy)
            session.login("alice", PASSWORD)  # must never be reached
        assert server.logins == []
        assert not server.received.saw(PASSWORD)
        assert server.received.tls_handshakes == 0
    assert info.value.code == api.TLS_REQUIRED


def test_plaintext_bye_alert_text_is_never_shown(certs, policy):
    with FakeImapServer("bye", certs.server) as server:
        with pytest.raises(ServerError) as info:
            _connect(server, policy)
    err = info.value
    assert type(err) is ServerError and err.code == failures.SERVER_REFUSED_SESSION
    for lang in ("th", "en"):
        assert "evil.example" not in err.user_text(lang)
    assert "evil.example" not in err.detail and BAIT_TEXT not in str(err)


def test_bytes_injected_after_starttls_ok_are_discarded(certs, policy):
    with FakeImapServer("inject", certs.server) as server:
        with _connect(server, policy) as session:
            assert session.report.discarded_plaintext_bytes > 0
            caps = session.capabilities()
            # Only what the server said over TLS counts.
            assert "INJECTED-CAPABILITY" not in caps and "LOGINDISABLED" not in caps
            assert "IDLE" in caps
            session.login("alice", PASSWORD)
        assert server.logins == [("alice", True)]


def test_starttls_session_asks_capabilities_again_over_tls(certs, policy):
    with FakeImapServer("ok", certs.server) as server:
        with _connect(server, policy) as session:
            assert "STARTTLS" not in session.capabilities()  # the plaintext list was dropped
            assert session.report.capabilities == session.capabilities()
            assert session.report.secure and session.report.discarded_plaintext_bytes == 0


def test_login_over_implicit_tls_and_wrong_password(certs, policy):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        with _connect(server, policy, "tls") as session:
            with pytest.raises(AuthError) as info:
                session.login("alice", "wrong-password")
            assert "wrong-password" not in info.value.detail
            assert type(info.value) is AuthError and info.value.code == failures.AUTH_FAILED
        with _connect(server, policy, "tls") as session:
            session.login("alice", PASSWORD)
            assert session.logged_in
    assert server.logins == [("alice", True), ("alice", True)]


def test_thai_password_uses_authenticate_plain(certs, policy):
    thai = "รหัสผ่านลับ"
    with FakeImapServer("ok", certs.server, users={"alice": thai}) as server:
        with _connect(server, policy) as session:
            session.login("alice", thai)
    assert server.logins == [("alice", True)]


def test_password_never_reaches_the_log(certs, policy, caplog):
    good, bad = "S3cret-Passw0rd-good", "Wr0ng-Pa55word-bad"
    caplog.set_level(logging.DEBUG)
    with FakeImapServer("ok", certs.server, users={"alice": good}) as server:
        with _connect(server, policy) as session:
            with pytest.raises(AuthError) as info:
                session.login("alice", bad)
            assert type(info.value) is AuthError and info.value.code == failures.AUTH_FAILED
        with _connect(server, policy) as session:
            session.login("alice", good)
    assert server.logins == [("alice", True), ("alice", True)]
    # imaplib's protocol trace is logged at DEBUG: it must be there, and redacted.
    assert any("LOGIN" in r.getMessage() for r in caplog.records)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert good not in text and bad not in text


def test_take_socket_hands_over_the_verified_connection(certs, policy):
    with FakeImapServer("ok", certs.server) as server:
        session = _connect(server, policy)
        session.login("alice", PASSWORD)
        sock, reader = session.take_socket()
        try:
            sock.sendall(b"X1 NOOP\r\n")
            assert reader.readline() == b"X1 OK NOOP completed\r\n"
            assert sock.version() is not None  # still the TLS socket
        finally:
            reader.close()
            sock.close()
        session.logout()  # a no-op now: the new owner closes
