"""DraftsService with the account's real sync service and a real Dovecot: Ctrl+S twice leaves one
Drafts copy, the composer's stale server_copy does not matter, a server draft opens; the network
work runs on the sync service's connection worker, never the GUI thread."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from govmail_desktop.core.compose import Draft
from govmail_desktop.core.entities import Address
from govmail_desktop.services.drafts_service import DraftsServer, DraftsService
from govmail_desktop.services.sync_service import SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync import drafts_sync
from tests.integration.sync_helpers import open_wire

pytestmark = pytest.mark.integration

USER = "alice"
PDF = b"%PDF-1.4 " + bytes(range(256)) * 64


@pytest.fixture
def setup(qapp, fresh_dovecot, tmp_path: Path):
    server = fresh_dovecot()
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    sync = SyncService(cache, queue, lambda: open_wire(server, USER))
    sync.start(initial_sync=False)
    service = DraftsService(DraftStore(tmp_path / "drafts"))
    service.set_server("acct-1", DraftsServer(sync, cache, Address("อลิซ", "alice@localhost")))
    yield server, sync, service, tmp_path
    service.shutdown()
    sync.stop()
    cache.close()
    queue.close()


def drafts_count(server) -> tuple[int, set[str]]:
    with server.imap(USER) as client:
        client.select_folder("Drafts", readonly=True)
        uids = client.search("ALL")
        flags = set()
        for data in client.fetch(uids, ["FLAGS"]).values() if uids else ():
            flags |= {f.decode() for f in data[b"FLAGS"]}
        return len(uids), flags


def test_saving_to_the_server_twice_leaves_one_copy(setup, qtbot, monkeypatch) -> None:
    server, _sync, service, tmp_path = setup
    threads: list[str] = []
    real_save = drafts_sync.save_draft

    def recording_save(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real_save(*args, **kwargs)

    monkeypatch.setattr("govmail_desktop.services.drafts_service.save_draft", recording_save)
    draft = Draft.new("acct-1", sender="อลิซ <alice@localhost>", to="bob@localhost", bcc="carol@localhost",
                      subject="ร่างหนังสือเวียน", text="เนื้อความ\n")
    att = service.store.add_attachment(draft.draft_id, "แนบ.pdf", "application/pdf", PDF)
    draft = draft.touched(attachments=(att,))

    with qtbot.waitSignal(service.serverSaved, timeout=20000) as first:
        service.save_to_server(draft)
    # The composer did not take the new server copy: it hands in its old value again.
    with qtbot.waitSignal(service.serverSaved, timeout=20000) as second:
        service.save_to_server(replace(draft, server_copy=None).touched(text="แก้ไขแล้ว\n"))

    assert first.args[1].uid != second.args[1].uid
    count, flags = drafts_count(server)
    assert count == 1
    assert "\\Draft" in flags
    assert threads == ["sync-connection", "sync-connection"]
    assert service.store.load(draft.draft_id).server_copy == second.args[1]

    # Another computer's service opens it from the server.
    elsewhere = DraftsService(DraftStore(tmp_path / "elsewhere"))
    elsewhere.set_server("acct-1", DraftsServer(_sync, _sync.cache, Address("อลิซ", "alice@localhost")))
    try:
        with qtbot.waitSignal(elsewhere.opened, timeout=20000) as opened:
            elsewhere.open_server_draft(second.args[1])
        got = opened.args[0]
        assert (got.subject, got.text, got.bcc) == ("ร่างหนังสือเวียน", "แก้ไขแล้ว\n", "carol@localhost")
        [a] = got.attachments
        assert elsewhere.store.read_attachment(got.draft_id, a) == PDF
    finally:
        elsewhere.shutdown()


def test_a_failed_server_save_is_reported_and_the_draft_stays_local(setup, qtbot, monkeypatch) -> None:
    _server, _sync, service, _ = setup
    from govmail_desktop.core.errors import ServerError

    def refuse(*args, **kwargs):
        raise ServerError(detail="APPEND: NO [OVERQUOTA]")

    monkeypatch.setattr("govmail_desktop.services.drafts_service.save_draft", refuse)
    draft = Draft.new("acct-1", subject="เต็มโควตา", to="bob@localhost")
    with qtbot.waitSignal(service.failed, timeout=20000) as failed:
        service.save_to_server(draft)
    assert failed.args[0] == draft.draft_id
    assert service.store.load(draft.draft_id).subject == "เต็มโควตา"
