"""check_before_send and outgoing_from_draft: what the composer shows and what the sender builds."""

from __future__ import annotations

import pytest

from govmail_desktop.core.compose import Draft, DraftAttachment, Secrecy, Urgency
from govmail_desktop.mime import markings
from govmail_desktop.mime.outgoing import (
    ADDRESS_INVALID,
    BLOCK,
    NO_RECIPIENTS,
    SENDER_INVALID,
    WARN,
    InvalidAddress,
    check_before_send,
    outgoing_from_draft,
)
from govmail_desktop.policy.sources import default_effective_policy, policy_from_dict

POLICY = default_effective_policy()


def _check(draft: Draft, policy=POLICY):
    return check_before_send(draft, policy.recipient_policy(), policy.attachment_rules())


def _draft(**values) -> Draft:
    fields = dict(sender="สมชาย ใจดี <somchai@moi.go.th>", to="saraban@moe.go.th", subject="เรื่อง")
    fields.update(values)
    return Draft.new("acct", **fields)


def test_outgoing_clean_draft_has_no_findings():
    check = _check(_draft(cc="หัวหน้า <boss@moi.go.th>"))
    assert check.findings == () and not check.blocked and not check.warned


def test_outgoing_invalid_address_is_named_with_its_field_and_blocks():
    check = _check(_draft(to="saraban@moe.go.th, somchai", bcc="a@b@c.go.th"))
    assert check.blocked
    invalid = [(f.subject, f.code, f.level) for f in check.findings if f.code == ADDRESS_INVALID]
    assert invalid == [("somchai", ADDRESS_INVALID, BLOCK), ("a@b@c.go.th", ADDRESS_INVALID, BLOCK)]
    assert "in the To field" in check.findings[0].text("en")
    assert "ในช่อง ถึง" in check.findings[0].text("th")
    assert "สำเนาลับถึง" in check.findings[1].text("th")


def test_outgoing_no_recipient_and_bad_sender_block():
    check = _check(_draft(to="", sender="not an address"))
    assert {f.code for f in check.blocks} == {NO_RECIPIENTS, SENDER_INVALID}


def test_outgoing_policy_findings_name_the_address_and_warn_or_block():
    check = _check(_draft(to="friend@gmail.com", cc="partner@example.com"))
    by_address = {f.subject: f for f in check.findings}
    free = by_address["friend@gmail.com"]
    assert free.level == WARN and "free e-mail" in free.text("en")
    assert "partner@example.com" not in by_address  # the default policy allows other external mail
    assert check.warned and not check.blocked

    secret = _check(_draft(to="partner@example.com", secrecy=Secrecy.SECRET))  # classified: internal only
    assert secret.blocked and [f.subject for f in secret.blocks] == ["partner@example.com"]


def test_outgoing_bcc_recipients_are_checked_too():
    check = _check(_draft(bcc="x@example.com", secrecy=Secrecy.CONFIDENTIAL))
    assert [f.subject for f in check.blocks] == ["x@example.com"]


def test_outgoing_attachment_findings_name_the_file_and_blocks_come_first():
    policy = policy_from_dict({"schema_version": 1, "attachments": {"max_size_mb": 1}})
    draft = _draft(to="friend@gmail.com", attachments=(
        DraftAttachment("รายงาน.pdf.exe", "application/octet-stream", 10, "a1"),
        DraftAttachment("ภาพ.png", "image/png", 2 * 1024 * 1024, "a2"),
    ))
    check = _check(draft, policy)
    assert check.blocked
    assert check.findings[0].level == BLOCK and check.findings[-1].level == WARN
    assert "รายงาน.pdf.exe" in {f.subject for f in check.blocks}
    assert any("limit is 1 MB" in f.text("en") for f in check.blocks)


def test_outgoing_from_draft_parses_addresses_and_applies_markings():
    draft = _draft(
        to="สมหญิง <somying@moe.go.th>, saraban@moe.go.th", bcc="lab@moi.go.th", subject="ขอเชิญประชุม",
        urgency=Urgency.VERY_URGENT, secrecy=Secrecy.CONFIDENTIAL, html="<p>x <img src='cid:logo'></p>",
        attachments=(DraftAttachment("โลโก้.png", "image/png", 3, "i1", content_id="logo"),
                     DraftAttachment("หนังสือ.pdf", "application/pdf", 3, "f1")),
    )
    data = {"i1": b"png", "f1": b"pdf"}
    message = outgoing_from_draft(draft, lambda att: data[att.stored_name])
    assert message.sender.name == "สมชาย ใจดี" and message.sender.email == "somchai@moi.go.th"
    assert [a.email for a in message.to] == ["somying@moe.go.th", "saraban@moe.go.th"]
    assert [a.email for a in message.bcc] == ["lab@moi.go.th"]
    assert message.subject == markings.mark_subject("ขอเชิญประชุม", Urgency.VERY_URGENT, Secrecy.CONFIDENTIAL)
    assert message.subject != "ขอเชิญประชุม"
    assert message.extra_headers == markings.marking_headers(Urgency.VERY_URGENT, Secrecy.CONFIDENTIAL)
    assert [(i.content_id, i.data) for i in message.inline_images] == [("logo", b"png")]
    assert [(a.filename, a.data) for a in message.attachments] == [("หนังสือ.pdf", b"pdf")]


@pytest.mark.parametrize("field", ["to", "cc", "bcc", "sender"])
def test_outgoing_from_draft_refuses_an_invalid_address_with_a_typed_error(field):
    with pytest.raises(InvalidAddress) as err:
        outgoing_from_draft(_draft(**{field: "สมชาย ใจดี"}), lambda att: b"")
    assert err.value.user_text("th") != err.value.user_text("en")
