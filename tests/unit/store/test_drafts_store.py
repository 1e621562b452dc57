"""The local draft store: round trip, Thai names, damaged files set aside, attachments, discard."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from govmail_desktop.core.compose import Draft, MessageRef, Secrecy, Urgency
from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.store.drafts import (
    DAMAGED_DIR,
    AttachmentUnreadable,
    DraftDamaged,
    DraftMissing,
    DraftStore,
    clean_filename,
)


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def thai_draft(**changes: object) -> Draft:
    draft = Draft.new(
        "acct-1",
        sender="สมชาย ใจดี <somchai@moi.go.th>",
        to="สำนักงานสารบรรณ <saraban@dopa.go.th>, ผิดรูปแบบ",
        bcc="boss@moi.go.th",
        subject="ขอเชิญประชุมคณะทำงาน",
        text="เรียน ผู้อำนวยการ\n\nตามที่…\n",
        urgency=Urgency.VERY_URGENT,
        secrecy=Secrecy.CONFIDENTIAL,
    )
    return replace(draft, **changes) if changes else draft


def test_default_location_is_the_data_dir_not_the_disposable_cache(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "c", tmp_path / "data", tmp_path / "cache", tmp_path / "log")
    store = DraftStore.default(paths)
    assert store.root == tmp_path / "data" / "drafts"


def test_save_and_load_round_trip_keeps_every_thai_field(store: DraftStore) -> None:
    draft = thai_draft()
    path = store.save(draft)
    assert path.name == "draft.json"
    assert store.load(draft.draft_id) == draft
    # The file is UTF-8 JSON (Thai kept as text, readable by IT staff).
    assert "ขอเชิญประชุมคณะทำงาน" in path.read_text(encoding="utf-8")


def test_saving_again_replaces_the_draft_and_leaves_no_temporary_file(store: DraftStore) -> None:
    draft = thai_draft()
    store.save(draft)
    newer = draft.touched(text="ฉบับแก้ไข")
    store.save(newer)
    assert store.load(draft.draft_id) == newer
    assert sorted(p.name for p in store.draft_dir(draft.draft_id).iterdir()) == ["draft.json"]


def test_unsent_lists_saved_drafts_newest_first(store: DraftStore) -> None:
    old = replace(thai_draft(), updated_at=100.0)
    new = replace(thai_draft(), updated_at=200.0)
    store.save(old)
    store.save(new)
    assert [d.draft_id for d in store.unsent()] == [new.draft_id, old.draft_id]


def test_load_of_an_unknown_draft_is_a_typed_error(store: DraftStore) -> None:
    with pytest.raises(DraftMissing) as info:
        store.load("0123abcd")
    assert info.value.user_text("th") != info.value.user_text("en")


@pytest.mark.parametrize("bad_id", ["../etc", "a/b", "", ".damaged", "x" * 65, "ร่าง"])
def test_unsafe_draft_ids_are_refused(store: DraftStore, bad_id: str) -> None:
    with pytest.raises(ValueError):
        store.draft_dir(bad_id)


@pytest.mark.parametrize(
    "damage",
    [b"{\"format\": 1, \"draft_id\": ", b"\xff\xfe not utf-8", b"[]", b'{"format": 1}'],
    ids=["cut-short", "not-utf8", "not-an-object", "fields-missing"],
)
def test_a_damaged_draft_is_set_aside_kept_and_reported(store: DraftStore, damage: bytes) -> None:
    good = thai_draft()
    store.save(good)
    damaged = thai_draft()
    store.save(damaged)
    att = store.add_attachment(damaged.draft_id, "ภาพ.png", "image/png", b"png bytes")
    (store.draft_dir(damaged.draft_id) / "draft.json").write_bytes(damage)

    recovered = store.unsent()

    assert [d.draft_id for d in recovered] == [good.draft_id]
    assert not store.draft_dir(damaged.draft_id).exists()
    [kept] = store.damaged()
    assert kept.draft_id == damaged.draft_id
    assert kept.path.parent.name == DAMAGED_DIR
    assert (kept.path / "draft.json").read_bytes() == damage  # never deleted, not changed
    assert (kept.path / att.stored_name).read_bytes() == b"png bytes"


def test_loading_a_damaged_draft_raises_with_where_it_was_kept(store: DraftStore) -> None:
    draft = thai_draft()
    store.save(draft)
    (store.draft_dir(draft.draft_id) / "draft.json").write_text("{", encoding="utf-8")
    with pytest.raises(DraftDamaged) as info:
        store.load(draft.draft_id)
    assert info.value.kept_at.is_dir()
    assert str(info.value.kept_at) in info.value.user_text("th")
    assert isinstance(info.value, StorageError)


def test_a_draft_file_naming_another_draft_counts_as_damaged(store: DraftStore) -> None:
    a, b = thai_draft(), thai_draft()
    store.save(a)
    store.save(b)
    (store.draft_dir(a.draft_id) / "draft.json").write_text(b.to_json(), encoding="utf-8")
    with pytest.raises(DraftDamaged):
        store.load(a.draft_id)


def test_leftover_temporary_files_of_a_killed_process_are_removed(store: DraftStore) -> None:
    draft = thai_draft()
    store.save(draft)
    leftover = store.draft_dir(draft.draft_id) / "draft.json.tmp-999999-deadbeef"
    leftover.write_bytes(b'{"format": 1, "dra')
    assert [d.draft_id for d in store.unsent()] == [draft.draft_id]
    assert not leftover.exists()


def test_attachment_from_bytes_with_a_thai_name(store: DraftStore) -> None:
    draft = thai_draft()
    data = bytes(range(256)) * 10
    att = store.add_attachment(draft.draft_id, "หนังสือเชิญประชุม.PDF", "Application/PDF", data)
    assert att.filename == "หนังสือเชิญประชุม.PDF"
    assert att.content_type == "application/pdf"
    assert att.size == len(data)
    assert att.stored_name.isascii() and att.stored_name.endswith(".pdf")
    assert store.read_attachment(draft.draft_id, att) == data
    saved = draft.touched(attachments=(att,))
    store.save(saved)
    assert store.load(draft.draft_id).attachments == (att,)


def test_attachment_copied_from_a_file_in_pieces(store: DraftStore, tmp_path: Path, monkeypatch) -> None:
    from govmail_desktop.store import drafts as drafts_module

    monkeypatch.setattr(drafts_module, "COPY_CHUNK", 1000)
    source = tmp_path / "รายงานประจำปี.docx"
    data = os.urandom(10_500)
    source.write_bytes(data)
    att = store.add_attachment("d1", "", "application/octet-stream", source)
    assert att.filename == "รายงานประจำปี.docx"
    assert att.size == 10_500
    assert store.attachment_path("d1", att).read_bytes() == data


def test_a_missing_source_file_is_a_typed_error_naming_it(store: DraftStore, tmp_path: Path) -> None:
    with pytest.raises(AttachmentUnreadable) as info:
        store.add_attachment("d1", "ไม่มีไฟล์.pdf", "application/pdf", tmp_path / "gone.pdf")
    assert "ไม่มีไฟล์.pdf" in info.value.user_text("th")


@pytest.mark.parametrize(
    ("given", "kept"),
    [("../../etc/passwd", "passwd"), ("C:\\Users\\x\\งาน.doc", "งาน.doc"), ("a\nb.txt", "ab.txt"), ("", "attachment")],
)
def test_attachment_names_lose_directories_and_control_characters(given: str, kept: str) -> None:
    assert clean_filename(given) == kept


def test_a_tampered_stored_name_cannot_reach_outside_the_draft(store: DraftStore) -> None:
    draft = thai_draft()
    att = store.add_attachment(draft.draft_id, "a.txt", "text/plain", b"x")
    for bad in ("../../secret", "draft.json", "/etc/passwd"):
        with pytest.raises(ValueError):
            store.read_attachment(draft.draft_id, replace(att, stored_name=bad))


def test_discard_removes_the_draft_and_its_attachments(store: DraftStore) -> None:
    draft = thai_draft()
    att = store.add_attachment(draft.draft_id, "a.txt", "text/plain", b"x")
    store.save(draft.touched(attachments=(att,)))
    store.discard(draft.draft_id)
    assert not store.draft_dir(draft.draft_id).exists()
    assert store.unsent() == []
    assert [p.name for p in store.root.iterdir()] == []
    store.discard(draft.draft_id)  # twice is harmless


def test_a_half_discarded_draft_is_gone_after_a_restart(store: DraftStore) -> None:
    draft = thai_draft()
    store.save(draft)
    # What a kill right after the discard's rename leaves behind:
    os.replace(store.draft_dir(draft.draft_id), store.root / ".discarded-0123")
    assert store.unsent() == []
    assert not (store.root / ".discarded-0123").exists()


def test_update_server_copy_keeps_the_rest_of_the_stored_draft(store: DraftStore) -> None:
    draft = thai_draft()
    store.save(draft)
    ref = MessageRef("acct-1", "Drafts", 5, 17, "<x@moi.go.th>")
    updated = store.update_server_copy(draft.draft_id, ref)
    assert updated == replace(draft, server_copy=ref)
    assert store.load(draft.draft_id) == updated
    assert store.update_server_copy("0000ffff", ref) is None


def test_the_json_on_disk_is_drafts_own_format(store: DraftStore) -> None:
    draft = thai_draft()
    store.save(draft)
    data = json.loads((store.draft_dir(draft.draft_id) / "draft.json").read_text(encoding="utf-8"))
    assert Draft.from_dict(data) == draft
