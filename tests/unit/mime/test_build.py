"""mime.build: outgoing Thai mail is standards-correct and comes back equal through our parser
and Python's email package; Bcc only in the Sent copy; no header injection."""

from __future__ import annotations

import email
import email.generator
import email.header
import email.policy
import re
from datetime import datetime, timedelta, timezone

import pytest

from govmail_desktop.core.entities import Address
from govmail_desktop.core.errors import InternationalAddressUnsupported, UnsafeMessageField
from govmail_desktop.mime import parse_message
from govmail_desktop.mime.build import (
    InlineImage,
    OutgoingAttachment,
    OutgoingMessage,
    body_transfer_encoding,
    build_message,
)

BANGKOK = timezone(timedelta(hours=7))
SENDER = Address("สมชาย ใจดี", "somchai@example.go.th")
TO = Address("สมหญิง รักงาน", "somying@example.go.th")
BCC = Address("ผู้อำนวยการ", "director@example.go.th")
LONG_SUBJECT = ("เรื่อง ขอเชิญประชุมคณะกรรมการพัฒนาระบบสารสนเทศ ครั้งที่ 3/2569 "
                "ณ ห้องประชุมชั้น 5 อาคารรัฐประศาสนภักดี")
LONG_NAME = "นายสมชาย ใจดี ผู้อำนวยการกองเทคโนโลยีสารสนเทศและการสื่อสาร สำนักงานปลัด"
THAI_BODY = "เรียน ผู้อำนวยการ\n\nขอเชิญประชุมคณะกรรมการ ตามเอกสารแนบ\n\nขอแสดงความนับถือ\n"
PDF = bytes(range(256)) * 40
FILE_NAME = "หนังสือเชิญประชุมคณะกรรมการ ครั้งที่ 3 (ฉบับแก้ไข).pdf"


def clock() -> datetime:
    return datetime(2026, 12, 3, 14, 30, tzinfo=BANGKOK)


def thai_message(**changes: object) -> OutgoingMessage:
    base = OutgoingMessage(
        sender=SENDER, to=(TO,), bcc=(BCC,), subject=LONG_SUBJECT, text=THAI_BODY,
        attachments=(OutgoingAttachment(FILE_NAME, "application/pdf", PDF),),
        extra_headers=(("X-Urgency", "ด่วนที่สุด"),),
    )
    fields = {**base.__dict__, **changes}
    return OutgoingMessage(**fields)


def py_parse(raw: bytes) -> email.message.EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def header_block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0]


# ---------------------------------------------------------------- round trips


def test_thai_message_round_trips_through_our_parser():
    built = build_message(thai_message(), clock=clock)
    parsed = parse_message(built.wire)
    assert parsed.subject == LONG_SUBJECT
    assert parsed.from_ == (SENDER,)
    assert parsed.to == (TO,)
    assert parsed.text.strip() == THAI_BODY.strip()
    assert [a.filename for a in parsed.attachments] == [FILE_NAME]
    assert parsed.date == clock()
    assert parsed.message_id == built.message_id


def test_thai_message_round_trips_through_python_email():
    built = build_message(thai_message(), clock=clock)
    msg = py_parse(built.wire)
    assert msg["subject"] == LONG_SUBJECT
    assert msg["from"].addresses[0].display_name == SENDER.name
    assert msg["to"].addresses[0].display_name == TO.name
    assert msg["x-urgency"] == "ด่วนที่สุด"
    body = msg.get_body(("plain",))
    assert body is not None and body.get_content().replace("\r\n", "\n") == THAI_BODY
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == FILE_NAME
    assert attachment.get_content() == PDF
    assert msg["date"].datetime == clock()


def test_long_thai_display_name_keeps_its_spaces():
    # Python's own folding of such a name puts spaces where it has none.
    built = build_message(thai_message(to=(Address(LONG_NAME, "a@example.go.th"),)), clock=clock)
    assert parse_message(built.wire).to == (Address(LONG_NAME, "a@example.go.th"),)
    field = re.search(rb"^To:([^\r\n]*(?:\r\n [^\r\n]*)*)", built.wire, re.M)
    assert field is not None
    parts = email.header.decode_header(field.group(1).decode("ascii").replace("\r\n", ""))
    decoded = "".join(p.decode(c or "ascii") if isinstance(p, bytes) else p for p, c in parts)
    assert decoded == f"{LONG_NAME} <a@example.go.th>"


def test_display_name_with_comma_stays_one_address():
    built = build_message(thai_message(to=(Address("สมหญิง, รักงาน", "b@example.go.th"), TO)), clock=clock)
    assert parse_message(built.wire).to == (Address("สมหญิง, รักงาน", "b@example.go.th"), TO)


# ---------------------------------------------------------------- Bcc


def test_bcc_only_in_the_sent_copy():
    built = build_message(thai_message(), clock=clock)
    assert b"\r\nBcc:" not in header_block(built.wire) and not built.wire.startswith(b"Bcc:")
    assert b"director@example.go.th" not in built.wire
    assert py_parse(built.sent_copy)["bcc"].addresses[0].addr_spec == BCC.email
    assert py_parse(built.sent_copy)["bcc"].addresses[0].display_name == BCC.name
    assert "director@example.go.th" in built.envelope_recipients
    # The Sent copy is the sent message plus the Bcc field, boundaries and all.
    without_bcc = re.sub(rb"Bcc:.*\r\n(?: .*\r\n)*", b"", built.sent_copy, count=1)
    assert without_bcc == built.wire


def test_without_bcc_the_message_is_generated_once_and_the_sent_copy_is_the_same_bytes(monkeypatch):
    """Nothing to leave out of what is sent: one generation (the slow part of building)."""
    from govmail_desktop.mime import build as build_module

    generated: list[int] = []
    real = build_module._generate
    monkeypatch.setattr(build_module, "_generate", lambda msg, policy: generated.append(1) or real(msg, policy))
    for eightbit in (False, True):
        generated.clear()
        built = build_message(thai_message(bcc=()), clock=clock, eightbit=eightbit)
        assert len(generated) == 1 and built.sent_copy == built.wire
        assert py_parse(built.wire)["bcc"] is None
    generated.clear()
    with_bcc = build_message(thai_message(), clock=clock)
    assert len(generated) == 2 and with_bcc.sent_copy != with_bcc.wire


def test_boundary_found_in_the_body_is_drawn_again_and_never_compiled_as_a_pattern(monkeypatch):
    """The multipart boundary is checked against the parts with a plain search (the standard
    generator compiles a regular expression per message: a fifth of the build at Send)."""
    from govmail_desktop.mime import build as build_module

    draws = iter([1, 1, 2, 3, 4, 5])
    monkeypatch.setattr(build_module.secrets, "randbits", lambda _bits: next(draws))
    for generator in (email.generator.Generator, email.generator.BytesGenerator):
        monkeypatch.setattr(generator, "_compile_re",
                            classmethod(lambda cls, *a: pytest.fail("a pattern compiled while building")))
    first = "=" * 15 + f"{1:019d}" + "=="
    built = build_message(thai_message(bcc=(), text=f"--{first}\nเนื้อความ\n"), clock=clock, eightbit=True)
    monkeypatch.undo()
    parsed = py_parse(built.wire)
    boundaries = {part.get_boundary() for part in parsed.walk() if part.is_multipart()}
    assert first not in boundaries and len(boundaries) == 1
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == f"--{first}\nเนื้อความ\n"
    assert [p.get_filename() for p in parsed.iter_attachments()] == [FILE_NAME]


# ---------------------------------------------------------------- 7-bit, 8-bit, SMTPUTF8


def _lines_ok(raw: bytes) -> None:
    assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 78 for line in header_block(raw).split(b"\r\n"))
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_seven_bit_output_by_default():
    built = build_message(thai_message(), clock=clock)
    assert all(byte < 128 for byte in built.wire + built.sent_copy)
    _lines_ok(built.wire)
    _lines_ok(built.sent_copy)


def test_eight_bit_body_when_the_server_offers_8bitmime():
    built = build_message(thai_message(), eightbit=True, clock=clock)
    assert "ขอเชิญประชุม".encode() in built.wire
    assert b"Content-Transfer-Encoding: 8bit" in built.wire
    assert header_block(built.wire).isascii()  # headers stay RFC 2047 without SMTPUTF8
    _lines_ok(built.wire)
    assert parse_message(built.wire).text.strip() == THAI_BODY.strip()
    assert parse_message(built.wire).subject == LONG_SUBJECT


def test_utf8_headers_when_the_server_offers_smtputf8():
    built = build_message(thai_message(to=(Address("สมหญิง", "สมหญิง@ตัวอย่าง.ไทย"),)), smtputf8=True, clock=clock)
    assert LONG_SUBJECT.split()[0].encode() in header_block(built.wire)
    assert "สมหญิง@ตัวอย่าง.ไทย" in built.envelope_recipients
    assert py_parse(built.wire)["subject"] == LONG_SUBJECT
    parsed = parse_message(built.wire)
    assert parsed.to == (Address("สมหญิง", "สมหญิง@ตัวอย่าง.ไทย"),)
    assert parsed.subject == LONG_SUBJECT


def test_thai_domain_is_idna_and_thai_local_part_needs_smtputf8():
    built = build_message(thai_message(to=(Address("", "saraban@ตัวอย่าง.ไทย"),)), clock=clock)
    assert "saraban@xn--72c1a1bt4awk9o.xn--o3cw4h" in built.envelope_recipients
    assert b"saraban@xn--72c1a1bt4awk9o.xn--o3cw4h" in built.wire
    with pytest.raises(InternationalAddressUnsupported) as caught:
        build_message(thai_message(to=(Address("", "สารบรรณ@example.go.th"),)), clock=clock)
    assert "สารบรรณ@example.go.th" in caught.value.user_text("en")


# ---------------------------------------------------------------- bodies


def test_transfer_encoding_rule():
    assert body_transfer_encoding(b"Hello\r\n", eightbit=False) == "7bit"
    assert body_transfer_encoding(b"x" * 100 + b"\r\n", eightbit=False) == "quoted-printable"
    mostly_ascii = ("Meeting at 10:00, room 5. " * 5 + "ครับ\r\n").encode()
    assert body_transfer_encoding(mostly_ascii, eightbit=False) == "quoted-printable"
    thai = THAI_BODY.replace("\n", "\r\n").encode()
    assert body_transfer_encoding(thai, eightbit=False) == "base64"
    assert body_transfer_encoding(thai, eightbit=True) == "8bit"
    assert body_transfer_encoding(("ก" * 400).encode(), eightbit=True) == "base64"  # 1200-byte line


def test_mostly_ascii_body_round_trips_as_quoted_printable():
    text = "Dear all,\n\n" + "The meeting is at 10:00 in room 5 of building A, as agreed.\n" * 5 + "ขอบคุณ\n"
    built = build_message(thai_message(text=text), clock=clock)
    assert b"Content-Transfer-Encoding: quoted-printable" in built.wire
    assert py_parse(built.wire).get_body(("plain",)).get_content().replace("\r\n", "\n") == text


def test_text_and_html_as_alternative_with_inline_images_related():
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    html = '<p><b>เรียน</b> ผู้อำนวยการ</p><img src="cid:logo@example.go.th">'
    built = build_message(thai_message(html=html, inline_images=(InlineImage("logo@example.go.th", "image/png", png),)),
                          clock=clock)
    msg = py_parse(built.wire)
    assert msg.get_content_type() == "multipart/mixed"
    alternative = msg.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.get_payload()
    assert html_part.get_content().replace("\r\n", "\n") == html + "\n"
    assert image["Content-ID"] == "<logo@example.go.th>"
    assert image.get_content() == png
    assert parse_message(built.wire).text.strip() == THAI_BODY.strip()  # the preview reads the plain part


def test_text_and_html_without_attachments_is_alternative_at_the_top():
    built = build_message(thai_message(attachments=(), html="<p>เรียน</p>"), clock=clock)
    assert py_parse(built.wire).get_content_type() == "multipart/alternative"


# ---------------------------------------------------------------- headers


def test_long_thai_subject_folds_in_whole_characters():
    built = build_message(thai_message(), clock=clock)
    field = re.search(rb"^Subject:([^\r\n]*(?:\r\n [^\r\n]*)*)", built.wire, re.M)
    assert field is not None
    words = re.findall(rb"=\?utf-8\?B\?([^?]*)\?=", field.group(1))
    assert len(words) > 1
    for word in words:
        email.base64mime.decode(word.decode()).decode("utf-8")  # each word is whole UTF-8
        assert len(word) + 12 <= 75
    assert all(len(line) <= 78 for line in field.group(0).split(b"\r\n"))


def test_attachment_name_rfc2231_and_name_fallback():
    built = build_message(thai_message(), clock=clock)
    assert b"filename*0*=utf-8''%E0%B8" in built.wire
    ctype = re.search(rb"Content-Type: application/pdf;([^\r\n]*(?:\r\n [^\r\n]*)*)", built.wire)
    assert ctype is not None
    name = re.search(r'name="([^"]*)"', ctype.group(1).decode("ascii").replace("\r\n", ""))
    assert name is not None
    parts = email.header.decode_header(name.group(1))
    assert "".join(p.decode(c or "ascii") if isinstance(p, bytes) else p for p, c in parts) == FILE_NAME


def test_ascii_attachment_name_is_plain():
    built = build_message(thai_message(attachments=(OutgoingAttachment("report.pdf", "application/pdf", b"x"),)),
                          clock=clock)
    assert b'filename="report.pdf"' in built.wire and b'name="report.pdf"' in built.wire


def test_message_id_on_the_sender_domain_and_date_in_local_zone():
    built = build_message(thai_message(sender=Address("", "somchai@กรม.ไทย")), clock=clock)
    assert re.fullmatch(r"<[0-9a-f]{32}@xn--[a-z0-9-]+\.xn--o3cw4h>", built.message_id)
    assert b"Date: Thu, 03 Dec 2026 14:30:00 +0700" in built.wire
    other = build_message(thai_message(), clock=clock)
    assert other.message_id.endswith("@example.go.th>") and other.message_id != built.message_id


def test_reply_headers_pass_through():
    built = build_message(thai_message(in_reply_to="<a@example.go.th>",
                                       references=("<z@example.go.th>", "<a@example.go.th>")), clock=clock)
    msg = py_parse(built.wire)
    assert msg["in-reply-to"] == "<a@example.go.th>"
    assert msg["references"] == "<z@example.go.th> <a@example.go.th>"


@pytest.mark.parametrize(
    "changes",
    [
        {"subject": "สวัสดี\r\nBcc: victim@example.com"},
        {"subject": "a\nb"},
        {"subject": "a\x00b"},
        {"to": (Address("x\r\nBcc: y@example.com", "a@example.go.th"),)},
        {"to": (Address("", "a@example.go.th\r\nBcc: y@example.com"),)},
        {"to": (Address("", "a@example.go.th>, <y@example.com"),)},
        {"sender": Address("", "me@example.go.th\n")},
        {"bcc": (Address("", "b\r@example.go.th"),)},
        {"in_reply_to": "<a@example.go.th>\r\nX-Evil: 1"},
        {"references": ("<a@b>\n",)},
        {"extra_headers": (("X-Urgency", "ด่วน\r\nBcc: y@example.com"),)},
        {"extra_headers": (("X-Bad Name", "1"),)},
        {"extra_headers": (("Bcc", "y@example.com"),)},
        {"attachments": (OutgoingAttachment("a\r\nb.pdf", "application/pdf", b""),)},
        {"attachments": (OutgoingAttachment("a.pdf", "application/pdf\r\nX: 1", b""),)},
    ],
    ids=lambda c: next(iter(c)),
)
def test_header_injection_refused(changes):
    with pytest.raises(UnsafeMessageField) as caught:
        build_message(thai_message(**changes), clock=clock)
    assert caught.value.code == "unsafe-field"
    assert caught.value.user_text("th") and caught.value.user_text("en")


def test_a_thai_text_only_message_goes_eight_bit_when_offered():
    # The text alone is the whole message (no HTML, no attachment): its 8-bit body was
    # once copied out of the part as text the generator could not write.
    message = OutgoingMessage(
        sender=Address("สมชาย ใจดี", "somchai@moi.go.th"), to=(Address("", "saraban@dopa.go.th"),),
        subject="ขอเชิญประชุม", text="เรียน ผู้อำนวยการ\n\nขอเชิญประชุมครับ\n",
    )
    for eightbit, smtputf8 in ((True, False), (False, True), (False, False)):
        built = build_message(message, eightbit=eightbit, smtputf8=smtputf8, clock=clock)
        _lines_ok(built.wire)
        assert parse_message(built.wire).text.strip() == message.text.strip()
        content = email.message_from_bytes(built.wire, policy=email.policy.default).get_content()
        assert content.replace("\r\n", "\n").strip() == message.text.strip()
        if eightbit or smtputf8:
            assert "ขอเชิญประชุมครับ".encode() in built.wire
