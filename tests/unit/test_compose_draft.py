"""The one draft type: JSON round trip, damaged input refused, markings parsed."""

from __future__ import annotations

import json

import pytest

from govmail_desktop.core.compose import (
    Draft,
    DraftAttachment,
    MessageRef,
    OriginalKind,
    Secrecy,
    Urgency,
    parse_secrecy,
    parse_urgency,
)


def full_draft() -> Draft:
    return Draft.new(
        "acct-1",
        sender="สมชาย ใจดี <somchai@moi.go.th>",
        to="saraban@dopa.go.th, \"ใจดี, สมหญิง\" <somying@moi.go.th>",
        cc="x@y.go.th",
        bcc="boss@moi.go.th",
        subject="ด่วนที่สุด ขอเชิญประชุม",
        text="เรียน ผู้อำนวยการ\n\nตามที่…",
        html="<p><b>เรียน</b> ผู้อำนวยการ</p>",
        attachments=(DraftAttachment("หนังสือเชิญ.pdf", "application/pdf", 1234, "a1"),
                     DraftAttachment("logo.png", "image/png", 10, "a2", content_id="logo@govmail")),
        urgency=Urgency.MOST_URGENT,
        secrecy=Secrecy.SECRET,
        in_reply_to="<a@b>",
        references=("<z@b>", "<a@b>"),
        original=MessageRef("acct-1", "INBOX", 7, 42, "<a@b>"),
        original_kind=OriginalKind.REPLY,
        server_copy=MessageRef("acct-1", "Drafts", 9, 3),
    )


def test_json_round_trip_keeps_everything():
    draft = full_draft()
    assert Draft.from_json(draft.to_json()) == draft
    assert "ด่วนที่สุด" in draft.to_json()  # Thai kept readable in the file


def test_new_drafts_get_distinct_ids_and_touch_moves_time():
    a, b = Draft.new("x"), Draft.new("x")
    assert a.draft_id != b.draft_id
    assert a.is_empty
    changed = a.touched(subject="เรื่อง")
    assert changed.subject == "เรื่อง" and changed.updated_at >= a.updated_at and not changed.is_empty


@pytest.mark.parametrize(
    "damage",
    [
        "not json",
        "[]",
        json.dumps({"format": 99, "draft_id": "a", "account_id": "b"}),
        json.dumps({"format": 1, "draft_id": "", "account_id": "b"}),
        json.dumps({"format": 1, "draft_id": "a", "account_id": "b", "urgency": "whenever"}),
        json.dumps({"format": 1, "draft_id": "a", "account_id": "b", "attachments": [{"filename": "x"}]}),
        json.dumps({"format": 1, "draft_id": "a", "account_id": "b", "original": {"folder": "INBOX"}}),
    ],
)
def test_damaged_drafts_raise_value_error(damage):
    with pytest.raises(ValueError):
        Draft.from_json(damage)


def test_markings_parse_thai_and_english():
    assert parse_urgency("ด่วนมาก") is Urgency.VERY_URGENT
    assert parse_urgency("most urgent") is Urgency.MOST_URGENT
    assert parse_urgency("ปกติ") is None
    assert parse_secrecy("ลับที่สุด") is Secrecy.TOP_SECRET
    assert Urgency.URGENT.thai == "ด่วน" and Secrecy.SECRET.thai == "ลับมาก"
    with pytest.raises(ValueError):
        parse_urgency("soon")
