"""verify_account: IMAP login then SMTP AUTH, with typed failures and cancel."""

from __future__ import annotations

import threading

import pytest

from govmail_desktop.core.errors import AuthError, Cancelled, PolicyRefused
from govmail_desktop.net import failures
from govmail_desktop.net.account_check import verify_account
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.policy import api
from tests.servers.fake_base import SilentListener
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_smtp import FakeSmtpServer

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})


@pytest.fixture
def servers(certs):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as imap, FakeSmtpServer(
        "no-auth", certs.server
    ) as smtp_no_auth, FakeSmtpServer("ok", certs.server) as smtp:
        yield imap, smtp_no_auth, smtp


def _candidates(smtp_no_auth, smtp):
    return [Endpoint("localhost", smtp_no_auth.port, "starttls"), Endpoint("localhost", smtp.port, "starttls")]


def test_verified_account_names_the_endpoints_that_worked(policy, servers):
    imap, smtp_no_auth, smtp = servers
    result = verify_account(
        Endpoint("localhost", imap.port, "tls"), _candidates(smtp_no_auth, smtp), "alice", "secret", policy,
        resolver=LOCAL, timeout=5,
    )
    assert result.smtp == Endpoint("localhost", smtp.port, "starttls")
    assert result.imap_report.secure and result.smtp_report.secure
    assert imap.logins == [("alice", True)] and smtp.auths == [("alice", True)]


def test_wrong_password_stops_at_imap(policy, servers):
    imap, smtp_no_auth, smtp = servers
    with pytest.raises(AuthError) as info:
        verify_account(
            Endpoint("localhost", imap.port, "tls"), _candidates(smtp_no_auth, smtp), "alice", "nope", policy,
            resolver=LOCAL, timeout=5,
        )
    assert type(info.value) is AuthError and info.value.code == failures.AUTH_FAILED
    assert smtp.received.connections == 0


def test_refused_smtp_host_sends_no_password_there(policy, servers):
    imap, _, _ = servers
    with SilentListener("127.0.0.2") as listener:
        resolver = StaticResolver({"localhost": ["127.0.0.1"], "smtp.gmail.com": [listener.host]})
        with pytest.raises(PolicyRefused) as info:
            verify_account(
                Endpoint("localhost", imap.port, "tls"), [Endpoint("smtp.gmail.com", listener.port, "tls")],
                "alice", "secret", policy, resolver=resolver, timeout=5,
            )
        assert not listener.connection_attempted()
    assert info.value.code == api.HOST_DENIED


def test_cancelled_before_start_connects_nowhere(policy, servers):
    imap, smtp_no_auth, smtp = servers
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        verify_account(
            Endpoint("localhost", imap.port, "tls"), _candidates(smtp_no_auth, smtp), "alice", "secret", policy,
            resolver=LOCAL, cancel=cancel,
        )
    assert imap.received.connections == 0
