"""SMTP over the policy path against a scripted server: STARTTLS, AUTH, probing order."""

from __future__ import annotations

import smtplib

import pytest

from govmail_desktop.core.errors import AuthError, PolicyRefused, ServerError, TlsError
from govmail_desktop.net import failures
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.smtp_session import (
    SMTP_MAX_LINE,
    SmtpSession,
    connect_first_with_auth,
    probe_submission,
    submission_candidates,
)
from govmail_desktop.policy import api
from tests.servers.fake_base import SilentListener
from tests.servers.fake_smtp import FakeSmtpServer

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})
PASSWORD = "secret"


def _connect(server, policy, security="starttls"):
    return SmtpSession.connect(Endpoint("localhost", server.port, security), policy, resolver=LOCAL, timeout=5)


def test_reply_line_bound_is_smtplibs_own_limit():
    # Larger, and smtplib would raise its own error (not server-too-much-data) before ours;
    # smaller, and a reply smtplib takes would be refused. A Python release changing it fails here.
    assert SMTP_MAX_LINE == smtplib._MAXLINE


def test_default_probe_order_is_465_tls_587_starttls_25_starttls():
    assert submission_candidates("smtp.mail.go.th") == [
        Endpoint("smtp.mail.go.th", 465, "tls"),
        Endpoint("smtp.mail.go.th", 587, "starttls"),
        Endpoint("smtp.mail.go.th", 25, "starttls"),
    ]


@pytest.mark.parametrize("behaviour", ["no-starttls", "starttls-refused"])
def test_no_starttls_means_refused_before_auth(certs, policy, behaviour):
    with FakeSmtpServer(behaviour, certs.server) as server:
        with pytest.raises(TlsError) as info:
            _connect(server, policy).login("alice", PASSWORD)
        assert server.auths == [] and not server.received.saw(PASSWORD)
    assert info.value.code == api.TLS_REQUIRED


def test_refused_greeting_text_is_not_shown(certs, policy):
    with FakeSmtpServer("refuse-greeting", certs.server) as server:
        with pytest.raises(ServerError) as info:
            _connect(server, policy)
    assert type(info.value) is ServerError and info.value.code == failures.SERVER_REFUSED_SESSION
    assert "evil.example" not in info.value.user_text("en") + info.value.detail


def test_starttls_login_send_and_ehlo_again_over_tls(certs, policy):
    with FakeSmtpServer("ok", certs.server) as server:
        with _connect(server, policy) as session:
            assert "STARTTLS" not in session.extensions()  # plaintext EHLO was dropped
            assert session.offers_auth and session.auth_mechanisms() == ("PLAIN",)
            with pytest.raises(AuthError) as info:
                session.login("alice", "wrong")
            assert type(info.value) is AuthError and info.value.code == failures.AUTH_FAILED
            session.login("alice", PASSWORD)
            result = session.transaction(b"Subject: hi\r\n\r\nbody\r\n", "alice@localhost", ["bob@localhost"])
        assert result.accepted == ["bob@localhost"] and result.data is not None and result.data.ok
        assert server.auths == [("alice", True), ("alice", True)]
        assert server.messages and b"Subject: hi" in server.messages[0]


def test_thai_password_over_implicit_tls(certs, policy):
    thai = "รหัสผ่านลับ"
    with FakeSmtpServer("ok", certs.server, implicit_tls=True, users={"alice": thai}) as server:
        with _connect(server, policy, "tls") as session:
            session.login("alice", thai)
    assert server.auths == [("alice", True)]


def test_probing_skips_closed_no_starttls_and_no_auth_ports(certs, policy):
    with SilentListener("127.0.0.1") as closed:
        closed_port = closed.port  # nothing listens there once closed
    with FakeSmtpServer("no-starttls", certs.server) as plain, FakeSmtpServer(
        "no-auth", certs.server
    ) as no_auth, FakeSmtpServer("ok", certs.server) as good:
        candidates = [
            Endpoint("localhost", closed_port, "tls"),
            Endpoint("localhost", plain.port, "starttls"),
            Endpoint("localhost", no_auth.port, "starttls"),
            Endpoint("localhost", good.port, "starttls"),
        ]
        errors: list = []
        session = connect_first_with_auth(candidates, policy, resolver=LOCAL, timeout=5, errors=errors)
        session.quit()
        assert session.endpoint == candidates[3]
        assert [e.code for e in errors] == [failures.CONNECTION_REFUSED, api.TLS_REQUIRED, failures.SMTP_NO_AUTH]
        assert plain.auths == [] and no_auth.auths == []


def test_probe_submission_returns_the_first_port_with_tls_and_auth(certs, policy):
    with SilentListener("127.0.0.1") as closed:
        closed_port = closed.port
    with FakeSmtpServer("no-starttls", certs.server) as plain, FakeSmtpServer(
        "ok", certs.server
    ) as good, FakeSmtpServer("ok", certs.server) as later:
        reports: list = []
        endpoint = probe_submission(
            "localhost", policy, ports=(closed_port, plain.port, good.port, later.port),
            resolver=LOCAL, reports=reports, timeout=5,
        )
        assert later.received.connections == 0  # stops at the first that works
        assert plain.received.connections == 1
    assert endpoint == Endpoint("localhost", good.port, "starttls")
    assert [r.endpoint.port for r in reports] == [closed_port, plain.port, good.port]
    assert reports[2].secure and "AUTH PLAIN" in reports[2].capabilities


def test_certificate_failure_stops_probing(certs, policy):
    with FakeSmtpServer("ok", certs.expired(), implicit_tls=True) as bad, FakeSmtpServer(
        "ok", certs.server
    ) as good:
        with pytest.raises(TlsError) as info:
            connect_first_with_auth(
                [Endpoint("localhost", bad.port, "tls"), Endpoint("localhost", good.port, "starttls")],
                policy, resolver=LOCAL, timeout=5,
            )
        assert good.received.connections == 0
    assert info.value.code == api.CERT_EXPIRED


def test_policy_refusal_stops_probing_and_connects_nowhere(policy):
    with SilentListener("127.0.0.2") as listener:
        resolver = StaticResolver({"smtp.gmail.com": [listener.host]})
        with pytest.raises(PolicyRefused) as info:
            probe_submission("smtp.gmail.com", policy, ports=(listener.port, listener.port), resolver=resolver)
        assert not listener.connection_attempted()
    assert info.value.code == api.HOST_DENIED


def test_when_no_port_works_the_useful_error_is_raised(certs, policy):
    with SilentListener("127.0.0.1") as closed:
        closed_port = closed.port
    with FakeSmtpServer("no-starttls", certs.server) as plain:
        with pytest.raises(TlsError) as info:
            connect_first_with_auth(
                [Endpoint("localhost", closed_port, "tls"), Endpoint("localhost", plain.port, "starttls")],
                policy, resolver=LOCAL, timeout=5,
            )
    assert info.value.code == api.TLS_REQUIRED


def test_the_smtp_socket_sends_small_writes_at_once(certs, policy):
    # The end of DATA is a small write after the body: Nagle would hold it for the
    # server's delayed ACK (~40 ms a message).
    import socket

    with FakeSmtpServer("ok", certs.server) as server, _connect(server, policy) as session:
        sock = session._smtp.sock
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
