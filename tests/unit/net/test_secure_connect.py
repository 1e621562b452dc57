"""The enforcement order and "refused means not connected", against real sockets."""

from __future__ import annotations

import threading

import pytest

from govmail_desktop.core.errors import Cancelled, NetworkError, PolicyRefused
from govmail_desktop.net import failures
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.secure_connect import secure_connect
from govmail_desktop.policy import api
from tests.servers.fake_base import SilentListener
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import (
    ABROAD_IP,
    THAI_IP,
    RecordingPolicy,
    RecordingResolver,
    abroad_policy,
    loopback_policy,
)


@pytest.fixture
def tls_server(certs):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        yield server


def test_checks_run_in_contract_order_and_resolve_happens_once(policy, tls_server):
    events: list[tuple[str, ...]] = []
    resolver = RecordingResolver(StaticResolver({"localhost": ["127.0.0.1"]}), events)
    conn = secure_connect(
        Endpoint("localhost", tls_server.port, "tls"), RecordingPolicy(policy, events), resolver=resolver
    )
    conn.close()
    names = [e[0] for e in events]
    assert names[:3] == ["check_host", "resolve", "check_address"]
    assert names.count("resolve") == 1
    assert conn.report.secure and conn.report.connected_ip == "127.0.0.1"
    assert tls_server.received.connections == 1


def test_a_refused_host_is_never_resolved_nor_connected(policy):
    events: list[tuple[str, ...]] = []
    with SilentListener("127.0.0.2") as listener:
        resolver = RecordingResolver(StaticResolver({"imap.gmail.com": [listener.host]}), events)
        with pytest.raises(PolicyRefused) as info:
            secure_connect(
                Endpoint("imap.gmail.com", listener.port, "tls"),
                RecordingPolicy(policy, events),
                resolver=resolver,
            )
        assert info.value.code == api.HOST_DENIED
        assert [e[0] for e in events] == ["check_host"]
        assert not listener.connection_attempted()


def test_every_address_is_checked_before_any_connection(certs):
    """A Thai address, allowed and listening, and one abroad in the same answer: all refused.
    Both are loopback addresses given a country (fake_net.PlannedRegistry), so even a
    regressed policy would only reach the listeners here, which would notice."""
    policy = abroad_policy(ca_file=certs.ca_file, allow_hosts=["mail.example.go.th"])
    events: list[tuple[str, ...]] = []
    with SilentListener(THAI_IP) as thai, SilentListener(ABROAD_IP, thai.port) as abroad:
        resolver = StaticResolver({"mail.example.go.th": [THAI_IP, ABROAD_IP]})
        report = ConnectionReport(Endpoint("mail.example.go.th", thai.port, "tls"))
        with pytest.raises(PolicyRefused) as info:
            secure_connect(
                report.endpoint,
                RecordingPolicy(policy, events),
                resolver=RecordingResolver(resolver, events),
                report=report,
            )
        assert info.value.code == api.ADDRESS_NOT_THAILAND
        assert not thai.connection_attempted() and not abroad.connection_attempted()
    assert [e for e in events if e[0] == "check_address"] == [
        ("check_address", THAI_IP),
        ("check_address", ABROAD_IP),
    ]
    assert [(a.ip, a.allowed) for a in report.addresses] == [(THAI_IP, True), (ABROAD_IP, False)]
    assert report.addresses[0].reason == "TH"
    assert report.addresses[1].code == api.ADDRESS_NOT_THAILAND


def test_the_silent_listener_does_notice_a_connection(certs):
    """Control for the tests above: the same set-up with only allowed addresses IS seen."""
    policy = loopback_policy(ca_file=certs.ca_file, allow_hosts=["mail.example.go.th"])
    with SilentListener("127.0.0.2") as listener:
        with pytest.raises(NetworkError) as info:
            secure_connect(
                Endpoint("mail.example.go.th", listener.port, "tls"),
                policy,
                resolver=StaticResolver({"mail.example.go.th": [listener.host]}),
                timeout=0.3,  # the listener never answers the TLS hello
            )
        assert info.value.code == failures.TIMEOUT
        assert listener.connection_attempted()


def test_private_address_not_listed_is_refused(certs):
    policy = loopback_policy(ca_file=certs.ca_file, allow_cidrs=[])
    with SilentListener("127.0.0.2") as listener:
        with pytest.raises(PolicyRefused) as info:
            secure_connect(Endpoint("localhost", listener.port, "tls"), policy,
                           resolver=StaticResolver({"localhost": [listener.host]}))
        assert info.value.code == api.ADDRESS_PRIVATE
        assert not listener.connection_attempted()


def test_next_checked_address_is_tried_when_one_refuses_the_connection(policy, tls_server):
    # 127.0.0.3 has nothing listening on that port: connection refused, then 127.0.0.1.
    resolver = StaticResolver({"localhost": ["127.0.0.3", "127.0.0.1"]})
    conn = secure_connect(Endpoint("localhost", tls_server.port, "tls"), policy, resolver=resolver)
    conn.close()
    assert conn.report.connected_ip == "127.0.0.1"
    assert [a.ip for a in conn.report.addresses] == ["127.0.0.3", "127.0.0.1"]


def test_connection_refused_everywhere_is_a_network_error(policy):
    with SilentListener("127.0.0.1") as free:
        port = free.port
    with pytest.raises(NetworkError) as info:
        resolver = StaticResolver({"localhost": ["127.0.0.1"]})
        secure_connect(Endpoint("localhost", port, "tls"), policy, resolver=resolver)
    assert info.value.code == failures.CONNECTION_REFUSED


def test_dns_failure_is_a_network_error_with_code_dns(policy):
    with pytest.raises(NetworkError) as info:
        secure_connect(Endpoint("localhost", 993, "tls"), policy, resolver=StaticResolver({}))
    assert info.value.code == failures.DNS


def test_cancel_before_start_connects_nowhere(policy):
    cancel = threading.Event()
    cancel.set()
    with SilentListener("127.0.0.1") as listener:
        with pytest.raises(Cancelled):
            secure_connect(Endpoint("localhost", listener.port, "tls"), policy,
                           resolver=StaticResolver({"localhost": ["127.0.0.1"]}), cancel=cancel)
        assert not listener.connection_attempted()


def test_starttls_endpoint_without_negotiator_is_a_programming_error(policy):
    with pytest.raises(ValueError):
        secure_connect(Endpoint("localhost", 143, "starttls"), policy)


def test_plaintext_endpoint_does_not_exist():
    with pytest.raises(ValueError):
        Endpoint("localhost", 143, "plain")
