"""A policy changed while the app runs closes the open connections it now refuses (issue 15).

The account's sync service is connected to the real Dovecot (its connection worker, and IDLE
on a connection of its own), through the real policy path and a :class:`LivePolicy` as the
app builds it. IT then changes the policy:

* to one under which the server's address is abroad (the domestic-server check: 127.0.0.1
  planted in the United States, no admin range for it) — both connections are closed within a
  bounded wait (Dovecot's side of each socket goes away), the account says refused with the
  words a refused connect has, and nothing reconnects; once a later change allows the
  server again, the account syncs again and mail that came meanwhile arrives;
* to a broken policy (fail closed) — every connection is closed;
* to one that only changes a recipients rule — the same connections are kept and keep working.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.policy import api
from govmail_desktop.policy.live import LivePolicy, failed_load
from govmail_desktop.policy.sources import EffectivePolicy, load_policy_file
from govmail_desktop.services.sync_service import DONE, SyncService, imap_connector
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from tests.integration.sync_helpers import make_message
from tests.servers.fake_net import TEST_POLICY_FILE, loopback_policy_overrides

pytestmark = [pytest.mark.integration, pytest.mark.linux_only]  # the servers' sockets are read in /proc/net/tcp

USER = "carol"
#: Bounded waits (not timing assertions): the close is prompt; a slow shared machine gets room.
WAIT_MS = 15_000
_OPEN_STATES = {"01", "08"}  # ESTABLISHED, CLOSE_WAIT: Dovecot has not closed its side yet


def dovecot_holds(port: int, client_ports: list[int]) -> list[int]:
    """Those of our connections (by their local ports) whose other end Dovecot still holds
    open on ``port``: gone once Dovecot has seen the close and closed its side."""
    held = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == port and remote_port in client_ports and fields[3] in _OPEN_STATES:
                held.append(remote_port)
    return held


def client_port(conn) -> int:
    return conn.transport.sock.getsockname()[1]


def policy(ca_file: Path, **overrides: object) -> EffectivePolicy:
    data = loopback_policy_overrides(ca_file=ca_file)
    data.update(overrides)
    effective = load_policy_file(TEST_POLICY_FILE, overrides=data)
    assert effective.error is None, effective.error
    return effective


@pytest.fixture
def running(dovecot, planted_countries, tmp_path, qtbot):
    """The account's sync service connected and IDLE-ing, its policy a LivePolicy."""
    port = dovecot.imaps_port
    live = LivePolicy(policy(dovecot.ca_file))
    servers = live.server_policy()  # kept by the connectors, as engine_sync_factory does
    account = SimpleNamespace(
        id=f"w6-{uuid.uuid4().hex[:8]}", login=USER,
        imap=SimpleNamespace(host="127.0.0.1", port=port, security="tls"),
    )
    connect = imap_connector(account, lambda: dovecot.users[USER], servers, timeout=15)
    idle = imap_connector(account, lambda: dovecot.users[USER], servers, timeout=15)
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    service = SyncService(cache, queue, connect, idle_connect=idle)
    live.subscribe(lambda _change: service.policy_changed(servers))  # as wiring/policy_watch.py does
    service.start()
    try:
        qtbot.waitUntil(lambda: service._idle is not None and service._idle.watching, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: service.pending_operations() == 0 and service.online, timeout=WAIT_MS)
        ports = [client_port(service._worker.connection), client_port(service._idle.connection)]
        qtbot.waitUntil(lambda: len(dovecot_holds(port, ports)) == 2, timeout=WAIT_MS)
        yield SimpleNamespace(service=service, live=live, servers=servers, cache=cache, port=port,
                              client_ports=ports, account=account)
    finally:
        service.stop()
        cache.close()
        queue.close()


def connect_refusal(running) -> PolicyRefused:
    """What a new connect to the account's server meets now (the wording to compare with)."""
    server = running.account.imap
    with pytest.raises(PolicyRefused) as refused:
        ImapSession.connect(Endpoint(server.host, server.port, server.security), running.servers, timeout=15)
    return refused.value


def test_a_policy_that_puts_the_server_abroad_closes_the_sync_and_idle_connections(
        running, dovecot, planted_countries, qtbot):
    service, live = running.service, running.live
    original = live.current
    planted_countries.countries["127.0.0.1"] = "US"  # judged by its country once no admin range covers it
    abroad = policy(dovecot.ca_file, addresses={"allow_cidrs": ["::1/128"]})

    with qtbot.waitSignal(service.connectionRefused, timeout=WAIT_MS) as told:
        live.replace(abroad)
    # Dovecot sees both connections end (its side of each socket is closed).
    qtbot.waitUntil(lambda: not dovecot_holds(running.port, running.client_ports), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not service._idle.watching and not service.online, timeout=WAIT_MS)

    refused = told.args[0]
    assert isinstance(refused, PolicyRefused) and refused.code == api.ADDRESS_NOT_THAILAND
    assert service.refused is refused
    again = connect_refusal(running)  # the words of a refused connect, in Thai and English
    assert refused.code == again.code
    assert refused.user_text("th") == again.user_text("th") and refused.user_text("en") == again.user_text("en")
    assert service._worker.connection is None and service._idle.connection is None

    # Mail arrives while the server is refused; a later change allows it again: the account syncs
    # again (IDLE reconnects and the new message reaches the cache) — nothing was lost.
    subject = f"ระหว่างถูกปฏิเสธ {uuid.uuid4().hex[:6]}"
    dovecot.deliver(USER, make_message(subject))
    with qtbot.waitSignal(service.connectionRefused, timeout=WAIT_MS) as allowed:
        live.replace(original)
    assert allowed.args[0] is None and service.refused is None
    qtbot.waitUntil(lambda: service._idle.watching, timeout=WAIT_MS)
    inbox = running.cache.folder_id("INBOX")

    def arrived() -> bool:
        summaries = (running.cache.summary(inbox, uid) for uid in running.cache.known_uids(inbox))
        return any(s is not None and s.subject == subject for s in summaries)

    qtbot.waitUntil(arrived, timeout=WAIT_MS)


def test_a_broken_policy_closes_every_connection(running, qtbot):
    service = running.service
    with qtbot.waitSignal(service.connectionRefused, timeout=WAIT_MS) as told:
        running.live.replace(failed_load(RuntimeError("the registry could not be read")))
    qtbot.waitUntil(lambda: not dovecot_holds(running.port, running.client_ports), timeout=WAIT_MS)
    assert told.args[0].code == api.POLICY_INVALID
    assert connect_refusal(running).code == api.POLICY_INVALID


def test_a_change_that_still_allows_the_server_keeps_the_connections(running, dovecot, qtbot):
    service = running.service
    worker_conn, idle_conn = service._worker.connection, service._idle.connection
    assert worker_conn is not None and idle_conn is not None
    with qtbot.assertNotEmitted(service.connectionRefused):
        change = running.live.replace(policy(dovecot.ca_file, recipients={"external": "block"}))
    assert change is not None and "recipients.external" in change.changed
    assert service.refused is None
    # The worker goes on on the same connection (an operation done on it), IDLE on its own.
    with qtbot.waitSignal(service.operationFinished, timeout=WAIT_MS) as finished:
        service.sync_folder("INBOX")
    assert finished.args[1] == DONE
    assert service._worker.connection is worker_conn and service._idle.connection is idle_conn
    assert service._idle.watching
    assert len(dovecot_holds(running.port, running.client_ports)) == 2


def test_the_outbox_kept_connections_to_a_refused_server_are_closed_and_nothing_is_lost(
        dovecot, smtp_server, certs, planted_countries, tmp_path, qtbot):
    """The outbox keeps its SMTP and IMAP (Sent copy) connections open after a send; a change
    putting the servers abroad closes both (the mail servers see them end), and a message sent
    afterwards stays in the outbox, held with the refusal, as a refused connect leaves it."""
    from govmail_desktop.net.smtp_session import SmtpSession
    from govmail_desktop.services.outbox_service import OutboxService
    from govmail_desktop.store.outbox import OutboxState, OutboxStore
    from tests.integration.outbox_helpers import LOCAL, effective_policy, make_sender, reader, thai_draft

    live = LivePolicy(effective_policy(certs.ca_file))
    servers = live.server_policy()
    store = OutboxStore(tmp_path / "outbox")
    sender = make_sender(store, live, dovecot, smtp_server.starttls_port)
    service = OutboxService("acct", store, sender, recipient_policy=live.recipient_policy,
                            attachment_rules=live.attachment_rules, online=True, keep_open_for=600)
    live.subscribe(lambda _change: service.policy_changed(servers))  # as wiring/policy_watch.py does
    service.start()
    try:
        with qtbot.waitSignal(service.countChanged, timeout=WAIT_MS * 2, check_params_cb=lambda n: n == 0):
            service.submit(thai_draft(), reader())
        qtbot.waitUntil(lambda: len(sender.open_connections()) == 2, timeout=WAIT_MS)
        smtp, imap = sender.open_connections()
        smtp_port, imap_port = smtp._smtp.sock.getsockname()[1], client_port(imap)
        assert dovecot_holds(smtp_server.starttls_port, [smtp_port]) and dovecot_holds(dovecot.imaps_port, [imap_port])

        planted_countries.countries["127.0.0.1"] = "US"
        live.replace(_abroad(certs.ca_file))
        qtbot.waitUntil(lambda: not sender.connected, timeout=WAIT_MS)  # closed by the outbox's thread
        qtbot.waitUntil(lambda: not dovecot_holds(smtp_server.starttls_port, [smtp_port])
                        and not dovecot_holds(dovecot.imaps_port, [imap_port]), timeout=WAIT_MS)

        draft = thai_draft(subject="ส่งหลังนโยบายเปลี่ยน")
        with qtbot.waitSignal(service.submitted, timeout=WAIT_MS):
            service.submit(draft, reader())

        def held() -> bool:
            entries = service.entries()
            return bool(entries) and entries[0].problem is not None

        qtbot.waitUntil(held, timeout=WAIT_MS)
        [entry] = service.entries()
        assert entry.state is OutboxState.QUEUED and entry.pending  # kept, to leave once allowed
        # Held with the words a refused connect has (Thai and English).
        with pytest.raises(PolicyRefused) as refused:
            SmtpSession.connect(Endpoint("localhost", smtp_server.starttls_port, "starttls"), servers,
                                resolver=LOCAL, timeout=10)
        assert refused.value.code == api.ADDRESS_NOT_THAILAND and entry.problem is not None
        for lang in ("th", "en"):
            assert refused.value.message.text(lang) in entry.problem.text(lang)
        assert entry.problem_detail == refused.value.detail
        assert not sender.connected
    finally:
        service.shutdown()


def _abroad(ca_file: Path) -> EffectivePolicy:
    """The outbox test policy with no admin range for 127.0.0.1 (judged by its country)."""
    overrides = {"tls": {"ca_file": str(ca_file)}, "addresses": {"allow_cidrs": ["::1/128"]},
                 "recipients": {"internal_domains": ["go.th", ".go.th", "localhost"]}}
    effective = load_policy_file(TEST_POLICY_FILE, overrides=overrides)
    assert effective.error is None
    return effective


def test_an_operation_blocked_reading_the_refused_server_ends_failed_with_the_refusal(
        running, dovecot, planted_countries, qtbot):
    """The worker is inside an operation, blocked reading the server (here IDLE for a minute on
    the worker's own connection): the change ends it at once — failed with the refusal, not
    retried — and a later operation is refused as a connect is, without reaching the server."""
    service = running.service

    def wait_on_server(conn, cancel):
        conn.select("INBOX", readonly=True)
        conn.idle_start()
        return conn.idle_wait(60)  # a blocked read; only the interruption ends it early

    with qtbot.waitSignal(service.operationStarted, timeout=WAIT_MS):
        op_id = service.run_on_connection(("w6-wait",), lambda: "wait", wait_on_server)
    qtbot.waitUntil(lambda: service._worker.connection is not None
                    and service._worker.connection._idle_tag is not None, timeout=WAIT_MS)
    planted_countries.countries["127.0.0.1"] = "US"
    with qtbot.waitSignal(service.operationFinished, timeout=WAIT_MS,
                          check_params_cb=lambda i, *_: i == op_id) as finished:
        running.live.replace(policy(dovecot.ca_file, addresses={"allow_cidrs": ["::1/128"]}))
    outcome, error = finished.args[1], finished.args[2]
    assert outcome == "failed" and isinstance(error, PolicyRefused) and error.code == api.ADDRESS_NOT_THAILAND
    qtbot.waitUntil(lambda: not dovecot_holds(running.port, running.client_ports), timeout=WAIT_MS)
    with qtbot.waitSignal(service.operationFinished, timeout=WAIT_MS) as later:
        service.sync_folder("INBOX")
    assert later.args[1] == "failed" and later.args[2].code == api.ADDRESS_NOT_THAILAND
