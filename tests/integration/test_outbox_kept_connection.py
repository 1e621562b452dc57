"""The outbox's SMTP connection kept open between messages (real aiosmtpd → Dovecot).

``Sender.run(keep_open=True)`` leaves the SMTP and IMAP connections open for the next
message (the service closes them after an idle time). A kept connection the server has
closed meanwhile — silently at its idle timeout, or with 421 to the next MAIL — fails
before anything of the message was handed over: the message goes at once on a new
connection, delivered once, never queued with a backoff for it. And the durable points
of one send stay where the issue puts them: the message before any network step,
``committing`` before the end of DATA, ``accepted`` the moment the 250 arrives.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from govmail_desktop.store import outbox as outbox_module
from govmail_desktop.store.outbox import OutboxStore, ServerOffers
from govmail_desktop.sync.send import Sender, enqueue
from tests.integration.outbox_helpers import (
    Script,
    ScriptedSmtpServer,
    copies,
    effective_policy,
    make_sender,
    reader,
    thai_draft,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def policy(certs):
    return effective_policy(certs.ca_file)


@pytest.fixture
def store(tmp_path):
    return OutboxStore(tmp_path / "outbox")


def _enqueue(store, policy, **values: Any):
    return enqueue(store, thai_draft(**values), reader(), policy.recipient_policy(), policy.attachment_rules())


def _counting(sender: Sender) -> list[int]:
    """Counts the SMTP connections the sender opens."""
    opened: list[int] = []
    connect = sender._connect_smtp

    def counted():
        opened.append(1)
        return connect()

    sender._connect_smtp = counted
    return opened


def test_outbox_kept_connection_is_used_for_the_next_message(dovecot, policy, store):
    script = Script()
    with ScriptedSmtpServer(dovecot, script) as server:
        sender = make_sender(store, policy, dovecot, server.port)
        opened = _counting(sender)
        try:
            for i in range(3):
                entry = _enqueue(store, policy, subject=f"หนังสือ ที่ {i + 1}")
                assert sender.run(keep_open=True).done == [entry.entry_id]
            assert opened == [1] and script.quits == 0 and sender.connected
        finally:
            sender.close()
        assert script.quits == 1 and not sender.connected  # closed with QUIT
    assert len(server.accepted) == 3


@pytest.mark.parametrize("how", ["idle-timeout", "421"])
def test_outbox_kept_connection_the_server_closed_is_replaced_and_the_message_sent_at_once(
    dovecot, policy, store, how
):
    script = Script()
    with ScriptedSmtpServer(dovecot, script, idle_timeout=0.5 if how == "idle-timeout" else None) as server:
        sender = make_sender(store, policy, dovecot, server.port)
        opened = _counting(sender)
        try:
            _enqueue(store, policy)
            sender.run(keep_open=True)
            if how == "idle-timeout":
                time.sleep(1.2)  # the server closes the quiet connection (no answer, no 421)
            else:
                script.mail_reply_once = "421 4.4.2 localhost Error: timeout exceeded"
            entry = _enqueue(store, policy)
            report = sender.run(keep_open=True)
        finally:
            sender.close()
    assert report.done == [entry.entry_id] and report.retry == []  # sent now, not in 15 s
    assert opened == [1, 1]
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1


def test_outbox_durable_points_of_a_send_are_the_message_committing_and_accepted(
    dovecot, smtp_server, policy, store, monkeypatch
):
    """Which writes wait for the disk (directory fsync'd): the new message, ``committing``,
    ``accepted`` and letting it go; the other steps (sending, filed, done) are ones a crash
    only makes happen again, written whole but not waited for."""
    synced_dirs: list[str] = []
    real = outbox_module.fsync_dir

    def recording(path):
        synced_dirs.append(path.name)
        real(path)

    monkeypatch.setattr(outbox_module, "fsync_dir", recording)
    updates: list[tuple[str, bool]] = []
    real_update = store.update

    def update(eid, *, durable=True, **changes):
        entry = real_update(eid, durable=durable, **changes)
        step = "committing" if changes.get("committing") else entry.state.value
        updates.append((step, durable))
        return entry

    monkeypatch.setattr(store, "update", update)
    store.remember_server_offers(ServerOffers(eightbitmime=True, smtputf8=False))  # as its last EHLO said
    entry = _enqueue(store, policy)
    assert synced_dirs[-1] == store.root.name  # in place, for good, before anything else
    report = make_sender(store, policy, dovecot, smtp_server.starttls_port).run()
    assert report.done == [entry.entry_id]
    assert updates == [("sending", False), ("committing", True), ("accepted", True), ("filed", False)]
    assert synced_dirs[-1] == store.root.name  # let go (removed) for good
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    with pytest.raises(KeyError):
        store.get(entry.entry_id)
