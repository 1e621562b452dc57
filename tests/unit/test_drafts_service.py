"""DraftsService on this computer: autosave off the GUI thread, coalesced (the last one wins),
the server copy it learned kept in what it writes, discard, crash recovery offer."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from govmail_desktop.core.compose import Draft, MessageRef
from govmail_desktop.services.drafts_service import DraftsService
from govmail_desktop.store.drafts import DraftStore


@pytest.fixture
def service(qapp, tmp_path: Path):
    svc = DraftsService(DraftStore(tmp_path / "drafts"))
    yield svc
    svc.shutdown()


def blocked(service: DraftsService) -> threading.Event:
    """Hold the disk thread until the returned event is set (so autosaves pile up)."""
    gate = threading.Event()
    started = threading.Event()

    def hold() -> None:
        started.set()
        gate.wait(30)

    service._disk.submit(hold)
    started.wait(30)
    return gate


def test_autosave_writes_on_another_thread_and_the_last_one_wins(service, qtbot, monkeypatch) -> None:
    writes: list[tuple[str, str]] = []
    real_save = service.store.save

    def counting_save(draft: Draft):
        writes.append((threading.current_thread().name, draft.text))
        return real_save(draft)

    monkeypatch.setattr(service.store, "save", counting_save)
    draft = Draft.new("acct-1", subject="ร่าง")
    gate = blocked(service)
    for i in range(50):
        draft = draft.touched(text=f"พิมพ์ครั้งที่ {i}")
        service.autosave(draft)
    with qtbot.waitSignal(service.saved, timeout=10000) as saved:
        gate.set()
    assert saved.args == [draft.draft_id]
    qtbot.waitUntil(lambda: service.pending == 0)
    assert writes == [("drafts-disk", "พิมพ์ครั้งที่ 49")]  # coalesced: one write, the last text
    assert service.store.load(draft.draft_id) == draft


def test_a_draft_with_an_older_server_copy_is_written_with_the_current_one(service, qtbot) -> None:
    draft = Draft.new("acct-1", subject="ร่าง")
    ref = MessageRef("acct-1", "Drafts", 9, 12, "<x@moi.go.th>")
    service._server_refs[draft.draft_id] = ref  # what a server save taught the service
    with qtbot.waitSignal(service.saved, timeout=10000):
        service.autosave(replace(draft, server_copy=None))
    assert service.store.load(draft.draft_id).server_copy == ref


def test_after_discard_a_late_autosave_does_not_bring_the_draft_back(service, qtbot) -> None:
    draft = Draft.new("acct-1", subject="ทิ้ง")
    with qtbot.waitSignal(service.saved, timeout=10000):
        service.autosave(draft)
    gate = blocked(service)
    service.discard(draft.draft_id)
    service.autosave(draft.touched(text="พิมพ์ต่อหลังปิด"))
    gate.set()
    qtbot.waitUntil(lambda: service.pending == 0)
    assert not service.store.exists(draft.draft_id)


def test_recoverable_offers_unsent_drafts_and_reports_a_damaged_one(qapp, tmp_path, qtbot) -> None:
    store = DraftStore(tmp_path / "drafts")
    kept = Draft.new("acct-1", subject="ร่างที่ค้างไว้", to="saraban@dopa.go.th")
    empty = Draft.new("acct-1")
    broken = Draft.new("acct-1", subject="เสีย")
    for d in (kept, empty, broken):
        store.save(d)
    (store.draft_dir(broken.draft_id) / "draft.json").write_text("{", encoding="utf-8")

    service = DraftsService(store)  # the next start
    try:
        with qtbot.waitSignal(service.failed, timeout=5000) as failed:
            offered = service.recoverable()
        assert [d.draft_id for d in offered] == [kept.draft_id]  # the empty one is not offered
        assert failed.args[0] == broken.draft_id
        assert "ไม่สามารถอ่านร่างจดหมาย" in failed.args[1]
        assert [d.draft_id for d in store.damaged()] == [broken.draft_id]
    finally:
        service.shutdown()


def test_save_to_server_without_a_server_keeps_the_draft_locally_and_says_so(service, qtbot) -> None:
    draft = Draft.new("acct-x", subject="ออฟไลน์")
    with qtbot.waitSignal(service.failed, timeout=5000) as failed:
        assert service.save_to_server(draft) is None
    assert failed.args[0] == draft.draft_id
    qtbot.waitUntil(lambda: service.store.exists(draft.draft_id))
