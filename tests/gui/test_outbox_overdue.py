"""OutboxService tells the user once when a message has waited too long (sync.send.OVERDUE_AFTER),
on its worker thread against a real (closed) port: the message stays queued and is still tried."""

from __future__ import annotations

import time

import pytest

from govmail_desktop.services.outbox_service import OutboxService
from govmail_desktop.store.outbox import OutboxState, OutboxStore
from govmail_desktop.sync import send
from tests.integration.outbox_helpers import effective_policy, make_sender, reader, thai_draft
from tests.servers.dovecot import free_port

pytestmark = pytest.mark.integration


def test_outbox_service_tells_once_that_a_message_is_overdue_and_keeps_trying(qtbot, tmp_path, dovecot, certs):
    policy = effective_policy(certs.ca_file)
    root = tmp_path / "outbox"
    # Sent (queued) five hours ago, while the server was unreachable
    then = OutboxStore(root, clock=lambda: time.time() - 5 * 3600)
    entry = send.enqueue(then, thai_draft(), reader(), policy.recipient_policy(), policy.attachment_rules())
    store = OutboxStore(root)
    service = OutboxService("acct", store, make_sender(store, policy, dovecot, free_port()),
                            recipient_policy=policy.recipient_policy, attachment_rules=policy.attachment_rules,
                            online=True)
    told: list[tuple[str, object]] = []
    service.overdue.connect(lambda entry_id, notice: told.append((entry_id, notice)))
    try:
        with qtbot.waitSignal(service.overdue, timeout=20000):
            service.start()
        [(entry_id, notice)] = told
        assert entry_id == entry.entry_id
        assert notice.text("en").startswith("Not sent yet after 5 hours: ")
        assert "refused the connection" in notice.text("en")
        assert notice.text("th") != notice.text("en")

        service.retry(entry.entry_id)  # another failed attempt: not told again
        qtbot.waitUntil(lambda: any(e.attempts >= 2 and e.state is OutboxState.QUEUED for e in service.entries()),
                        timeout=20000)
        [waiting] = service.entries()
        assert waiting.state is OutboxState.QUEUED and waiting.next_attempt_at is not None
        assert waiting.overdue is not None  # still shown in the outbox view
        assert len(told) == 1
    finally:
        service.shutdown()
