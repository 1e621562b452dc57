"""A draft as a Drafts-folder message and back: every field the user typed comes back."""

from __future__ import annotations

import base64
import email
import email.policy
from dataclasses import replace

import pytest

from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef, OriginalKind, Secrecy, Urgency
from govmail_desktop.core.entities import Address
from govmail_desktop.mime.draft_mime import DRAFT_ID_FIELD, build_draft_copy, read_draft_copy

ACCOUNT = Address("สมชาย ใจดี", "somchai@moi.go.th")
FILES = {
    "a1": bytes(range(256)) * 40,
    "a2": b"\x89PNG\r\n\x1a\n" + b"\x00" * 300,
}


def read(att: DraftAttachment) -> bytes:
    return FILES[att.stored_name]


def full_draft(**changes: object) -> Draft:
    draft = Draft.new(
        "acct-1",
        sender="สมชาย ใจดี <somchai@moi.go.th>",
        to="สำนักงานสารบรรณ <saraban@dopa.go.th>, somying@moi.go.th",
        cc='"ใจดี, สมหญิง" <somying2@moi.go.th>',
        bcc="ผู้อำนวยการ <boss@moi.go.th>",
        subject="ขอเชิญประชุมคณะทำงาน ครั้งที่ 1/2569",
        text="เรียน ผู้อำนวยการ\n\nตามที่…\n  ย่อหน้าที่มีช่องว่างนำหน้า\n",
        html="<p><b>เรียน</b> ผู้อำนวยการ</p><img src=\"cid:logo@govmail\">",
        attachments=(DraftAttachment("หนังสือเชิญประชุม.pdf", "application/pdf", len(FILES["a1"]), "a1"),
                     DraftAttachment("logo.png", "image/png", len(FILES["a2"]), "a2", content_id="logo@govmail")),
        urgency=Urgency.MOST_URGENT,
        secrecy=Secrecy.SECRET,
        in_reply_to="<orig@dopa.go.th>",
        references=("<first@dopa.go.th>", "<orig@dopa.go.th>"),
        original=MessageRef("acct-1", "INBOX/หนังสือเข้า", 7, 42, "<orig@dopa.go.th>"),
        original_kind=OriginalKind.REPLY,
    )
    return replace(draft, **changes) if changes else draft


def same_fields(back: Draft, draft: Draft) -> None:
    for name in ("sender", "to", "cc", "bcc", "subject", "text", "html", "urgency", "secrecy", "in_reply_to",
                 "references", "original", "original_kind"):
        assert getattr(back, name) == getattr(draft, name), name
    assert int(back.updated_at) == int(draft.updated_at)


def round_trip(draft: Draft) -> tuple[Draft, tuple]:
    built = build_draft_copy(draft, read, fallback_sender=ACCOUNT)
    server = read_draft_copy(built.sent_copy, account_id="acct-1")
    assert server.draft_id == draft.draft_id
    return server.to_draft(draft.draft_id, "acct-1", (), None), server.files


def test_every_field_comes_back() -> None:
    draft = full_draft()
    back, files = round_trip(draft)
    same_fields(back, draft)
    # The inline image is sent without a file name; its name comes from its Content-ID.
    assert sorted(f.filename for f in files) == ["logo.png", "หนังสือเชิญประชุม.pdf"]
    by_name = {f.filename: f for f in files}
    assert by_name["หนังสือเชิญประชุม.pdf"].data == FILES["a1"]
    assert by_name["logo.png"].data == FILES["a2"]
    assert by_name["logo.png"].content_id == "logo@govmail"


def test_the_drafts_copy_keeps_bcc_and_is_readable_by_pythons_email_package() -> None:
    built = build_draft_copy(full_draft(), read, fallback_sender=ACCOUNT)
    msg = email.message_from_bytes(built.sent_copy, policy=email.policy.default)
    assert msg["Bcc"] == "ผู้อำนวยการ <boss@moi.go.th>"
    assert msg["Subject"] == "ขอเชิญประชุมคณะทำงาน ครั้งที่ 1/2569"  # as typed: markings are in fields
    assert msg["X-GovMail-Urgency"] == "most-urgent"
    assert msg[DRAFT_ID_FIELD]
    assert built.sent_copy.isascii()


@pytest.mark.parametrize(
    "changes",
    [
        {"to": "", "cc": "", "bcc": ""},  # no recipients yet
        {"to": "saraban@dopa", "cc": "สมหญิง", "bcc": "boss@"},  # half typed
        {"to": "a@moi.go.th,b@moi.go.th ,  c@moi.go.th"},  # odd spacing
        {"to": "สมศรี@ตัวอย่าง.th"},  # a Thai local part (a 7-bit header cannot hold it)
        {"sender": "", "to": "x@moi.go.th"},  # no sender chosen: the account's address in From
        {"text": "no final line break", "html": None},
        {"text": "", "html": None, "attachments": ()},
        {"subject": "ด่วน เรื่องที่พิมพ์เอง", "urgency": None, "secrecy": None},
    ],
    ids=["no-recipients", "half-typed", "spacing", "thai-local-part", "no-sender", "no-eol", "empty",
         "marking-typed-in-subject"],
)
def test_a_half_written_draft_is_saved_and_comes_back_as_typed(changes: dict) -> None:
    draft = full_draft(**changes)
    back, _ = round_trip(draft)
    # With no sender chosen, From holds the account's address, and that comes back.
    expected = draft if draft.sender else replace(draft, sender="สมชาย ใจดี <somchai@moi.go.th>")
    same_fields(back, expected)


def test_a_draft_of_another_program_gets_markings_from_its_subject() -> None:
    raw = (
        "From: somchai@moi.go.th\r\nTo: saraban@dopa.go.th\r\n"
        "Subject: =?utf-8?b?" + base64.b64encode("ด่วนที่สุด ลับ เรื่องทดสอบ".encode()).decode() + "?=\r\n"
        "Date: Thu, 03 Dec 2026 10:00:00 +0700\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "เนื้อความ\r\n".encode()
    server = read_draft_copy(raw, account_id="acct-1")
    assert server.draft_id is None
    assert (server.subject, server.urgency, server.secrecy) == ("เรื่องทดสอบ", Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL)
    assert server.text == "เนื้อความ\n"
    assert server.to == "saraban@dopa.go.th"


def test_our_exact_field_is_ignored_when_another_program_changed_the_recipients() -> None:
    draft = full_draft(to="a@moi.go.th,b@moi.go.th")  # odd spacing: the exact field is written
    built = build_draft_copy(draft, read, fallback_sender=ACCOUNT)
    changed = built.sent_copy.replace(b"To: a@moi.go.th, b@moi.go.th", b"To: c@moi.go.th")
    assert changed != built.sent_copy
    server = read_draft_copy(changed, account_id="acct-1")
    assert server.to == "c@moi.go.th"
