"""The outbox in the GUI: OutboxService on its worker thread against the real servers,
the Outbox folder with its count in the folder tree, the count in the status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from govmail_desktop.core.entities import Folder, SpecialUse
from govmail_desktop.models.folder_tree import OUTBOX_ROLE, FolderTreeModel, SpecialUseRole
from govmail_desktop.services.outbox_service import OutboxService, sent_folder_of
from govmail_desktop.store import MailCache
from govmail_desktop.store.outbox import OutboxState, OutboxStore
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
def cache(tmp_path):
    c = MailCache(tmp_path / "acct" / "cache.sqlite3")
    yield c
    c.close()


def _service(tmp_path, policy, dovecot, port, *, online):
    store = OutboxStore(tmp_path / "outbox")
    sender = make_sender(store, policy, dovecot, port)
    service = OutboxService("acct", store, sender, recipient_policy=policy.recipient_policy,
                            attachment_rules=policy.attachment_rules, online=online)
    return service


def test_outbox_service_offline_send_queues_then_leaves_when_the_connection_returns(
    qtbot, tmp_path, dovecot, smtp_server, certs
):
    policy = effective_policy(certs.ca_file)
    service = _service(tmp_path, policy, dovecot, smtp_server.starttls_port, online=False)
    service.start()
    draft = thai_draft()
    counts: list[int] = []
    submitted: list[str] = []
    service.countChanged.connect(counts.append)
    service.submitted.connect(submitted.append)
    try:
        with qtbot.waitSignals([service.submitted, service.countChanged], timeout=10000):
            service.submit(draft, reader())
        assert submitted == [draft.draft_id]
        [entry] = service.entries()
        assert entry.state is OutboxState.QUEUED and service.count() == 1
        assert copies(dovecot, "bob", "INBOX", entry.message_id) == []  # offline: nothing left

        with qtbot.waitSignal(service.countChanged, timeout=20000, check_params_cb=lambda n: n == 0):
            service.set_online(True)
        assert service.entries() == [] and counts == [1, 0]
        assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
        assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1
    finally:
        service.shutdown()


def test_outbox_service_refuses_a_blocked_draft_and_the_server_sees_no_mail_from(
    qtbot, tmp_path, dovecot, certs
):
    policy = effective_policy(certs.ca_file, internal_domains=["go.th"])
    with ScriptedSmtpServer(dovecot) as server:
        service = _service(tmp_path, policy, dovecot, server.port, online=True)
        service.start()
        draft = thai_draft()  # classified, to an external address under this policy
        try:
            with qtbot.waitSignal(service.refused, timeout=10000) as blocker:
                service.submit(draft, reader())
        finally:
            service.shutdown()
    draft_id, check = blocker.args
    assert draft_id == draft.draft_id and check.blocked
    assert [f.subject for f in check.blocks] == ["bob@localhost"]
    assert service.entries() == [] and server.script.mail_froms == []


def test_outbox_folder_shows_its_count_after_the_special_folders_and_hides_when_empty(qtmodeltester, cache):
    cache.upsert_folders([Folder("INBOX"), Folder("Sent", special_use=SpecialUse.SENT), Folder("โครงการ")])
    model = FolderTreeModel(cache)
    assert OUTBOX_ROLE not in [model.index(r, 0).data(SpecialUseRole) for r in range(model.rowCount())]

    model.set_outbox_count(2)
    roles = [model.index(r, 0).data(SpecialUseRole) for r in range(model.rowCount())]
    assert roles == [SpecialUse.INBOX, SpecialUse.SENT, OUTBOX_ROLE, None]
    outbox = model.index(2, 0)
    assert outbox.data().endswith("(2)")
    assert model.flags(outbox) & Qt.ItemFlag.ItemIsSelectable  # shows the Outbox page
    assert not (model.flags(outbox) & Qt.ItemFlag.ItemIsDropEnabled)  # not a server folder
    assert model.index_for_outbox() == outbox
    qtmodeltester.check(model)

    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, *_: changed.append(top.row()))
    model.set_outbox_count(3)
    assert changed == [2] and model.index(2, 0).data().endswith("(3)")

    model.set_outbox_count(0)
    assert OUTBOX_ROLE not in [model.index(r, 0).data(SpecialUseRole) for r in range(model.rowCount())]
    assert sent_folder_of(cache) == "Sent"


def test_outbox_count_in_the_status_bar_in_thai_and_english(make_main_window):
    made = make_main_window(lang="th")
    window = made.window
    assert not window.outbox_label.isVisible()
    window.set_outbox_count(2)
    assert window.outbox_label.isVisible() and window.outbox_label.text() == "กล่องจดหมายออก: 2"
    made.language.apply("en")
    window.retranslate_ui()
    assert window.outbox_label.text() == "Outbox: 2"
    window.set_outbox_count(0)
    assert not window.outbox_label.isVisible()


def test_outbox_service_refresh_after_a_change_reads_only_the_changed_entry(
    qtbot, tmp_path, dovecot, certs, monkeypatch
):
    """The snapshot is kept by changing the one entry that changed: a Send with N messages
    waiting reads no state (the new one is as just written), never all N again (that was
    O(n²) for a queue)."""
    policy = effective_policy(certs.ca_file)
    service = _service(tmp_path, policy, dovecot, 1, online=False)  # offline: nothing is sent
    service.start()
    try:
        for i in range(4):
            with qtbot.waitSignal(service.submitted, timeout=10000):
                service.submit(thai_draft(subject=f"เรื่องที่ {i}"), reader())
        reads: list[str] = []
        whole: list[int] = []
        real_get, real_entries = service.store.get, service.store.entries
        monkeypatch.setattr(service.store, "get", lambda eid: reads.append(eid) or real_get(eid))
        monkeypatch.setattr(service.store, "entries", lambda: whole.append(1) or real_entries())
        with qtbot.waitSignal(service.submitted, timeout=10000):
            service.submit(thai_draft(subject="เรื่องที่ 4"), reader())
        entries = service.entries()
        assert [e.subject for e in entries] == [f"เรื่องที่ {i}" for i in range(5)]
        assert reads == [] and whole == []
        assert entries == real_entries()  # the same as reading them all
        reads.clear()
        with qtbot.waitSignal(service.countChanged, timeout=10000, check_params_cb=lambda n: n == 4):
            service.discard(entries[0].entry_id)
        assert [e.entry_id for e in service.entries()] == [e.entry_id for e in entries[1:]]
        assert set(reads) == {entries[0].entry_id} and whole == []
    finally:
        service.shutdown()


def test_outbox_service_keeps_the_connection_for_the_next_send_and_closes_it_after_the_idle_time(
    qtbot, tmp_path, dovecot, certs
):
    policy = effective_policy(certs.ca_file)
    script = Script()
    with ScriptedSmtpServer(dovecot, script) as server:
        store = OutboxStore(tmp_path / "outbox")
        sender = make_sender(store, policy, dovecot, server.port)
        opened: list[int] = []
        connect = sender._connect_smtp
        sender._connect_smtp = lambda: opened.append(1) or connect()
        service = OutboxService("acct", store, sender, recipient_policy=policy.recipient_policy,
                                attachment_rules=policy.attachment_rules, online=True, keep_open_for=1.5)
        service.start()
        try:
            for i in range(2):
                with qtbot.waitSignal(service.countChanged, timeout=20000, check_params_cb=lambda n: n == 0):
                    service.submit(thai_draft(subject=f"หนังสือ ที่ {i + 1}"), reader())
            assert len(server.accepted) == 2
            assert opened == [1] and script.quits == 0  # the second went on the first one's connection
            qtbot.waitUntil(lambda: script.quits == 1, timeout=10000)  # then closed cleanly (QUIT)
            qtbot.waitUntil(lambda: not sender.connected, timeout=10000)  # and the IMAP one (LOGOUT)
            assert opened == [1]
        finally:
            service.shutdown()
