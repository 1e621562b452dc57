"""The outbox service on a disk that refuses writes (issue 16 item 3), with the real servers:
the user is told once (the app's typed StorageError, Thai and English) instead of a program
error logged every 50 ms, the message stays queued and nothing reaches the server, and once
the disk takes writes again the message leaves by itself, once, without a restart.

The refusal is the one the tmpfs child of test_disk_full.py meets (ENOSPC through
``store.db.storage_error``), here injected into the store's writes so that the running
service can be watched in this process."""

from __future__ import annotations

import errno
import logging

import pytest

from govmail_desktop.services.outbox_service import OutboxService
from govmail_desktop.store.db import storage_error
from govmail_desktop.store.outbox import OutboxState, OutboxStore
from govmail_desktop.sync.send import enqueue
from tests.integration.outbox_helpers import copies, effective_policy, make_sender, reader, thai_draft

pytestmark = [pytest.mark.integration, pytest.mark.gui]


class FullDisk:
    """The store's writes fail as on a full disk while ``full``."""

    def __init__(self, store: OutboxStore) -> None:
        self.full = False
        self.refused = 0
        update = store.update

        def guarded_update(*args, **kwargs):
            if self.full:
                self.refused += 1
                raise storage_error(OSError(errno.ENOSPC, "No space left on device"), store.root)
            return update(*args, **kwargs)

        store.update = guarded_update  # type: ignore[method-assign]


def test_disk_full_outbox_service_tells_once_waits_and_sends_once_when_space_returns(
    qtbot, tmp_path, dovecot, smtp_server, certs, caplog
):
    policy = effective_policy(certs.ca_file)
    store = OutboxStore(tmp_path / "outbox")
    entry = enqueue(store, thai_draft(), reader(), policy.recipient_policy(), policy.attachment_rules())
    disk = FullDisk(store)
    disk.full = True
    sender = make_sender(store, policy, dovecot, smtp_server.starttls_port)
    service = OutboxService("acct", store, sender, recipient_policy=policy.recipient_policy,
                            attachment_rules=policy.attachment_rules, online=True, storage_retry=1.0)
    told: list[object] = []
    service.storageFailed.connect(told.append)
    caplog.set_level(logging.WARNING)
    try:
        with qtbot.waitSignal(service.storageFailed, timeout=10000):
            service.start()
        qtbot.wait(600)  # within the retry time: no new attempt (it was every 50 ms, each a traceback)
        assert disk.refused == 1
        [error] = told
        assert error.code == "disk-full" and "ดิสก์เต็ม" in error.user_text("th")
        assert not [r for r in caplog.records if "unexpected error" in r.getMessage()]
        assert [e.state for e in store.entries()] == [OutboxState.QUEUED]
        assert copies(dovecot, "bob", "INBOX", entry.message_id) == []

        disk.full = False  # room again: the next try sends it, no restart
        with qtbot.waitSignal(service.countChanged, timeout=20000, check_params_cb=lambda n: n == 0):
            pass
        assert len(told) == 1  # told once, not at each try
    finally:
        service.shutdown()
    assert store.entries() == []
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1


def test_disk_full_right_after_the_servers_250_is_may_have_been_sent_never_resent(
    tmp_path, dovecot, smtp_server, certs
):
    """The disk fills between the server's 250 and its record: the run stops on the disk's
    error; the entry (on disk: the end of DATA left, no answer recorded) is recovered as
    "may have been sent" and never sent again by itself."""
    policy = effective_policy(certs.ca_file)
    store = OutboxStore(tmp_path / "outbox")
    entry = enqueue(store, thai_draft(), reader(), policy.recipient_policy(), policy.attachment_rules())
    disk = FullDisk(store)
    update = store.update

    def fill_at_accepted(entry_id, **changes):
        if changes.get("state") is OutboxState.ACCEPTED:
            disk.full = True  # from the record of the 250 on, nothing can be written
        return update(entry_id, **changes)

    store.update = fill_at_accepted
    sender = make_sender(store, policy, dovecot, smtp_server.starttls_port)
    report = sender.run()
    assert report.storage is not None and report.storage.code == "disk-full"
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1

    disk.full = False
    store.recover()  # as the running outbox does once the disk takes writes again (or the next start)
    [after] = store.entries()
    assert after.state is OutboxState.UNKNOWN
    sender.run()
    assert [e.state for e in store.entries()] == [OutboxState.UNKNOWN]
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
