"""mime.reply over every sample in tests/data (Thai, HTML, legacy charsets, attached
messages, a thread): recipients, threading headers, one prefix, the Thai quote header with
a Buddhist-era date, quoting, kept attachments, carried markings."""

from __future__ import annotations

import email
import email.policy
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from govmail_desktop.core.compose import MessageRef, OriginalKind, Secrecy, Urgency
from govmail_desktop.core.entities import Address
from govmail_desktop.mime import parse_addresses, parse_message
from govmail_desktop.mime.build import OutgoingAttachment, OutgoingMessage, build_message
from govmail_desktop.mime.parse import ParsedMessage, message_ids
from govmail_desktop.mime.reply import (
    MAX_REFERENCES,
    base_subject,
    edit_as_new_draft,
    format_address,
    forward_draft,
    quote_header,
    reply_draft,
    reply_recipients,
    subject_with_prefix,
)

DATA = Path(__file__).resolve().parents[2] / "data"
MANIFEST = {m["file"]: m for m in json.loads((DATA / "seed.json").read_text(encoding="utf-8"))["messages"]}
SAMPLES = sorted(MANIFEST)
BANGKOK = timezone(timedelta(hours=7))
ALICE = ("alice@localhost", "Alice.Srisuk@agency.go.th")  # both identities of the user
STACKED = re.compile(r"^(?:re|fwd?|aw|ตอบกลับ|ส่งต่อ)\s*:\s*(?:re|fwd?|aw|ตอบกลับ|ส่งต่อ)\s*:", re.IGNORECASE)
THAI_PREFIX = re.compile(r"ตอบกลับ:|ส่งต่อ:")


def sample(name: str) -> tuple[bytes, ParsedMessage]:
    raw = (DATA / name).read_bytes()
    return raw, parse_message(raw, lang="th")


def ref(parsed: ParsedMessage) -> MessageRef:
    return MessageRef("acc", "INBOX", 7, 42)


def reply(name: str, *, reply_all: bool = False, lang: str = "th"):
    _, parsed = sample(name)
    draft = reply_draft(parsed, ref(parsed), account_id="acc", sender="alice@localhost",
                        own_addresses=ALICE, reply_all=reply_all, lang=lang, tz=BANGKOK)
    return parsed, draft


def emails(field: str) -> list[str]:
    return [a.email.casefold() for a in parse_addresses([field]).addresses] if field else []


# ---------------------------------------------------------------- every sample


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("reply_all", [False, True], ids=["reply", "reply-all"])
def test_reply_headers_subject_and_quote_over_every_sample(name, reply_all):
    expect = MANIFEST[name]["expect"]
    parsed, draft = reply(name, reply_all=reply_all)
    # one "Re: " in front of the subject as it was decoded (legacy charsets too), nothing stacked
    assert draft.subject.startswith("Re: ") and not STACKED.match(draft.subject)
    assert not THAI_PREFIX.search(draft.subject)
    assert base_subject(draft.subject) == base_subject(expect["subject"])
    assert "\ufffd" not in draft.subject + draft.text
    # threading
    assert draft.in_reply_to == parsed.message_id and draft.references[-1] == parsed.message_id
    if "in_reply_to" in expect:
        assert draft.references[-2] == expect["in_reply_to"]
    assert draft.original == MessageRef("acc", "INBOX", 7, 42, parsed.message_id)
    assert draft.original_kind is OriginalKind.REPLY
    # recipients: somebody, never the user
    to, cc = emails(draft.to), emails(draft.cc)
    assert to and not {a.casefold() for a in ALICE} & set(to + cc)
    assert len(set(to + cc)) == len(to + cc)
    # the Thai quote header with the Buddhist-era year, then every line of the text quoted
    header, *quoted = draft.text.strip("\n").split("\n")
    local = parsed.date.astimezone(BANGKOK)
    assert header.startswith(f"เมื่อ {local.day} ") and f" {local.year + 543} เวลา {local:%H:%M} น. " in header
    assert header.endswith(f"{expect['from_name']} เขียนว่า:")
    assert all(line.startswith(">") for line in quoted)
    quoted_text = "\n".join(quoted)
    for snippet in expect["body_contains"]:
        assert any(snippet in line for line in quoted), snippet
    assert "<" + "p>" not in quoted_text and "<img" not in quoted_text  # HTML quoted as text


@pytest.mark.parametrize("name", SAMPLES)
def test_forward_inline_over_every_sample_keeps_attachments(name):
    raw, parsed = sample(name)
    expect = MANIFEST[name]["expect"]
    draft, kept = forward_draft(parsed, ref(parsed), raw=raw, account_id="acc", sender="alice@localhost",
                                lang="th", tz=BANGKOK)
    assert draft.subject.startswith("Fwd: ") and not STACKED.match(draft.subject)
    assert base_subject(draft.subject) == base_subject(expect["subject"])
    assert draft.to == "" and draft.in_reply_to == "" and draft.references[-1] == parsed.message_id
    assert draft.original_kind is OriginalKind.FORWARD
    assert "---------- จดหมายที่ส่งต่อ ----------" in draft.text
    assert f"จาก: {expect['from_name']} <" in draft.text and f"เรื่อง: {expect['subject']}" in draft.text
    for snippet in expect["body_contains"]:
        assert snippet in draft.text
    assert [a.filename for a in kept] == [a.filename for a in parsed.attachments]
    # bytes equal to what Python's email package decodes
    original = email.message_from_bytes(raw, policy=email.policy.default)
    files = {p.get_filename(): p for p in original.iter_attachments()}
    for attachment in kept:
        if attachment.content_type == "message/rfc822":
            inner = email.message_from_bytes(attachment.data, policy=email.policy.default)
            assert inner["subject"] == expect["nested"]["subject"]
        else:
            assert attachment.data == files[attachment.filename].get_content() or \
                attachment.data == files[attachment.filename].get_payload(decode=True)


@pytest.mark.parametrize("name", SAMPLES)
def test_forward_as_attachment_over_every_sample(name):
    raw, parsed = sample(name)
    draft, attached = forward_draft(parsed, None, raw=raw, account_id="acc", sender="alice@localhost",
                                    as_attachment=True, lang="th")
    assert [(a.content_type, a.data) for a in attached] == [("message/rfc822", raw)]
    name_ = attached[0].filename
    assert name_.endswith(".eml") and not re.search(r'[/\\:*?"<>|\x00-\x1f]', name_)
    assert 0 < len(name_[:-4]) <= 60 and name_[:-4] == name_[:-4].strip(" .")
    assert base_subject(parsed.subject)[:10].replace("/", "-") in name_
    assert draft.text == "" and draft.original is None


def test_forward_as_attachment_file_name_from_the_subject():
    for name, expected in [("01-utf8-qp.eml", "ขอเชิญประชุมคณะกรรมการบริหาร ครั้งที่ ๒-๒๕๖๙.eml"),
                           ("10-forwarded-rfc822.eml", "แจ้งผลการพิจารณาคำขอใช้ห้องประชุม.eml")]:
        raw, parsed = sample(name)
        _, attached = forward_draft(parsed, None, raw=raw, account_id="acc", sender="a@x.go.th", as_attachment=True)
        assert attached[0].filename == expected
    untitled = ParsedMessage(subject=" Re: ")
    _, attached = forward_draft(untitled, None, raw=b"Subject: Re:\n\nx", account_id="acc", sender="a@x.go.th",
                                as_attachment=True, lang="th")
    assert attached[0].filename == "จดหมาย.eml"


@pytest.mark.parametrize("name", SAMPLES)
def test_edit_as_new_over_every_sample(name):
    raw, parsed = sample(name)
    draft, kept = edit_as_new_draft(parsed, raw=raw, account_id="acc", sender="alice@localhost")
    marks = parsed.markings
    assert draft.subject == " ".join(marks.bare_subject.split())
    assert (draft.urgency, draft.secrecy) == (marks.urgency, marks.secrecy)
    assert emails(draft.to) == [a.email.casefold() for a in parsed.to]
    assert draft.text == parsed.text and draft.original is None
    assert [a.filename for a in kept] == [a.filename for a in parsed.attachments]


# ---------------------------------------------------------------- rules


def test_quote_header_thai_and_english():
    parsed = ParsedMessage(from_=(Address("สมชาย ใจดี", "somchai@agency.go.th"),),
                           date=datetime(2026, 12, 3, 7, 30, tzinfo=UTC))
    assert quote_header(parsed, "th", tz=BANGKOK) == "เมื่อ 3 ธ.ค. 2569 เวลา 14:30 น. สมชาย ใจดี เขียนว่า:"
    assert quote_header(parsed, "en", tz=BANGKOK) == "On 3 Dec 2026 at 14:30, สมชาย ใจดี wrote:"
    undated = ParsedMessage(from_=(Address("", "somchai@agency.go.th"),))
    assert quote_header(undated, "th") == "somchai@agency.go.th เขียนว่า:"


@pytest.mark.parametrize("subject", [
    "Re: เรื่อง", "RE: เรื่อง", "Re: Re: เรื่อง", "Fwd: เรื่อง", "FW: เรื่อง", "Fw: เรื่อง", "AW: เรื่อง",
    "ตอบกลับ: เรื่อง", "ส่งต่อ: เรื่อง", "ตอบกลับ: Re: เรื่อง", "Re[2]: เรื่อง", "RE : FW: เรื่อง", "เรื่อง",
    "SV: WG: TR: เรื่อง", "ด่วนที่สุด ลับ Re: เรื่อง", "Re: [ด่วน] เรื่อง",
])
def test_prefixes_never_stacked(subject):
    assert subject_with_prefix(subject, "Re: ") == "Re: เรื่อง"
    assert subject_with_prefix(subject, "Fwd: ") == "Fwd: เรื่อง"


def test_reply_uses_reply_to_and_reply_all_keeps_cc_without_own_addresses_or_duplicates():
    parsed = ParsedMessage(
        subject="ประชุม",
        from_=(Address("สมชาย", "somchai@agency.go.th"),),
        reply_to=(Address("สารบรรณ", "saraban@agency.go.th"),),
        to=(Address("Alice", "ALICE@localhost"), Address("", "saraban@agency.go.th"), Address("ก", "a@x.go.th")),
        cc=(Address("", "alice.srisuk@agency.go.th"), Address("ข", "b@x.go.th"), Address("ก", "A@x.go.th")),
        message_id="<m1@agency.go.th>",
    )
    to, cc = reply_recipients(parsed, ALICE, reply_all=False)
    assert (to, cc) == ([Address("สารบรรณ", "saraban@agency.go.th")], [])
    to, cc = reply_recipients(parsed, ALICE, reply_all=True)
    assert [a.email for a in to] == ["saraban@agency.go.th", "a@x.go.th"]
    assert [a.email for a in cc] == ["b@x.go.th"]


def test_reply_to_own_message_goes_to_its_recipients():
    parsed, draft = reply("13-thread-2-reply.eml")  # in Sent: from alice to carol
    assert emails(draft.to) == ["carol@localhost"]


def test_references_trimmed_keeping_root_and_newest():
    refs = tuple(f"<{i}@x.go.th>" for i in range(300))
    parsed = ParsedMessage(from_=(Address("", "a@x.go.th"),), message_id="<new@x.go.th>", references=refs)
    draft = reply_draft(parsed, None, account_id="acc", sender="me@x.go.th", own_addresses=())
    assert len(draft.references) == MAX_REFERENCES
    assert draft.references[0] == "<0@x.go.th>" and draft.references[-2:] == ("<299@x.go.th>", "<new@x.go.th>")


def test_references_from_single_in_reply_to_when_original_has_none():
    parsed = ParsedMessage(from_=(Address("", "a@x.go.th"),), message_id="<2@x>", in_reply_to=("<1@x>",))
    draft = reply_draft(parsed, None, account_id="acc", sender="me@x.go.th", own_addresses=())
    assert (draft.in_reply_to, draft.references) == ("<2@x>", ("<1@x>", "<2@x>"))


def test_message_ids_skip_junk_and_comments():
    assert message_ids(["<a@b> (comment) junk <c@d>\t<a@b> <no-at> <x y@z>"]) == ("<a@b>", "<c@d>")


def test_markings_secrecy_carried_on_reply_urgency_only_on_forward():
    raw, parsed = sample("11-official-urgent-secret.eml")
    _, draft = reply("11-official-urgent-secret.eml")
    assert (draft.urgency, draft.secrecy) == (None, Secrecy.CONFIDENTIAL)
    assert draft.subject == "Re: ที่ นร ๐๑๐๕/ว ๑๒๓ เรื่อง การเตรียมความพร้อมรับสถานการณ์อุทกภัย"
    forward, _ = forward_draft(parsed, None, raw=raw, account_id="acc", sender="alice@localhost")
    assert (forward.urgency, forward.secrecy) == (Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL)
    assert forward.subject == "Fwd: ที่ นร ๐๑๐๕/ว ๑๒๓ เรื่อง การเตรียมความพร้อมรับสถานการณ์อุทกภัย"


def test_reply_quote_in_english_ui():
    parsed, draft = reply("12-thread-1.eml", lang="en")
    assert draft.text.strip("\n").split("\n")[0] == "On 22 Jan 2026 at 09:00, กมล รักชาติ wrote:"


@pytest.mark.parametrize("name", [
    '"ใจดี, สมหญิง"', "นาย ก. ข.", 'a "quoted" name', "back\\slash", "สมชาย ใจดี", "(หน่วยงาน)", "x@y.go.th",
])
def test_formatted_address_parses_back(name):
    address = Address(name.strip('"') if name.startswith('"') else name, "someone@agency.go.th")
    parsed = parse_addresses([format_address(address)]).addresses
    assert parsed == (address,)


def test_reply_and_forward_survive_the_builder_and_come_back():
    """The drafts' threading and the attached original, through build_message and our parser."""
    raw, parsed = sample("14-thread-3-reply.eml")
    draft = reply_draft(parsed, None, account_id="acc", sender="alice@localhost", own_addresses=ALICE)
    built = build_message(OutgoingMessage(
        sender=Address("", "alice@localhost"), to=parse_addresses([draft.to]).addresses,
        subject=draft.subject, text=draft.text, in_reply_to=draft.in_reply_to, references=draft.references,
    ))
    back = parse_message(built.wire)
    assert back.in_reply_to == ("<20260122140000.1414@localhost>",)
    assert back.references == ("<20260122090000.1212@localhost>", "<20260122103000.1313@localhost>",
                               "<20260122140000.1414@localhost>")
    assert back.subject == "Re: การจัดซื้อครุภัณฑ์คอมพิวเตอร์ ปีงบประมาณ ๒๕๖๙"


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("eightbit", [False, True], ids=["7bit-server", "8bitmime-server"])
def test_forwarded_as_attachment_is_sent_as_a_readable_message(name, eightbit):
    raw, parsed = sample(name)
    draft, attached = forward_draft(parsed, None, raw=raw, account_id="acc", sender="alice@localhost",
                                    as_attachment=True)
    built = build_message(OutgoingMessage(
        sender=Address("", "alice@localhost"), to=(Address("", "bob@agency.go.th"),), subject=draft.subject,
        text="ส่งต่อ", attachments=tuple(OutgoingAttachment(a.filename, a.content_type, a.data) for a in attached),
    ), eightbit=eightbit)
    back = parse_message(built.wire)
    if raw.isascii() or eightbit:
        # an attached message, as RFC 2046 wants it: not base64, its own bytes in CRLF lines
        found = [a for a in back.attachments if a.content_type == "message/rfc822" and "." not in a.part]
        assert len(found) == 1 and found[0].filename == attached[0].filename
        assert found[0].subject == parsed.subject
        assert raw.replace(b"\n", b"\r\n") in built.wire
        assert re.search(rb"Content-Type: message/rfc822;.*?\r\nContent-Transfer-Encoding: (7|8)bit\r\n",
                         built.wire, re.S)
    else:
        # 8-bit message, 7-bit server: sent as a file the recipient can still open
        found = [a for a in back.attachments if a.filename == attached[0].filename]
        assert [a.content_type for a in found] == ["application/octet-stream"]
        outer = email.message_from_bytes(built.wire, policy=email.policy.default)
        part = next(p for p in outer.iter_attachments())
        assert part.get_content() == raw
