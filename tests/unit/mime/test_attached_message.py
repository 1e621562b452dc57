"""An attached message (message/rfc822) is listed with its own subject and real size.

It used to be listed as "forwarded.eml (0 B)": the part's payload is a parsed
message, not bytes, so the size of its "text" was zero and its subject unknown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govmail_desktop.mime import parse_message

DATA = Path(__file__).resolve().parents[2] / "data"
FORWARDED = (DATA / "10-forwarded-rfc822.eml").read_bytes().replace(b"\r\n", b"\n")
#: The Subject of the message inside 10-forwarded-rfc822.eml (TIS-620, RFC 2047).
INNER_SUBJECT = "แจ้งผลการพิจารณาคำขอใช้ห้องประชุม"


def inner_bytes(raw: bytes, boundary: bytes) -> bytes:
    """The attached message exactly as it sits in ``raw``: after its part header, up to
    the line break that belongs to the next boundary line."""
    eol = b"\r\n" if b"\r\n" in raw else b"\n"
    start = raw.index(b"Content-Type: message/rfc822")
    start = raw.index(eol + eol, start) + 2 * len(eol)
    end = raw.index(eol + b"--" + boundary, start)
    return raw[start:end]


def attached_message(raw: bytes):
    parsed = parse_message(raw)
    found = [a for a in parsed.attachments if a.content_type == "message/rfc822"]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("eol", [b"\r\n", b"\n"], ids=["crlf-as-imap-serves-it", "lf-as-in-files"])
def test_attached_message_has_its_subject_and_its_real_size(eol):
    raw = FORWARDED.replace(b"\n", eol)
    attachment = attached_message(raw)
    assert attachment.filename == "forwarded.eml"
    assert attachment.subject == INNER_SUBJECT
    assert attachment.size == len(inner_bytes(raw, b"fwd_boundary_1011"))


def test_attached_multipart_message_is_measured_with_its_boundaries_and_parts():
    inner = (
        b"From: a@agency.go.th\r\nSubject: =?UTF-8?B?4Lij4Liy4Lii4LiH4Liy4LiZ?=\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"in\"\r\n\r\n"
        b"preamble\r\n--in\r\nContent-Type: text/plain\r\n\r\nbody text\r\n"
        b"--in\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + b"QUJD" * 500 + b"\r\n--in--\r\n"
    )
    raw = (
        b"From: b@agency.go.th\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"out\"\r\n\r\n"
        b"--out\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        b"--out\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
        + inner + b"\r\n--out--\r\n"
    )
    attachment = attached_message(raw)
    assert attachment.subject == "รายงาน"
    assert attachment.size == len(inner_bytes(raw, b"out"))


def test_attached_message_without_subject_says_so_with_an_empty_subject():
    raw = (
        b"From: b@agency.go.th\nSubject: Fwd\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"out\"\n\n"
        b"--out\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
        b"From: a@agency.go.th\n\nno subject here\n--out--\n"
    )
    attachment = attached_message(raw)
    assert attachment.subject == ""
    assert attachment.size == len(inner_bytes(raw, b"out"))


def test_other_attachments_have_no_subject():
    parsed = parse_message((DATA / "08-attachment-pdf.eml").read_bytes())
    assert [a.subject for a in parsed.attachments] == [None]


def test_subject_of_an_attached_message_loses_control_characters():
    raw = (
        b"From: b@agency.go.th\nSubject: Fwd\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"out\"\n\n"
        b"--out\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
        b"From: a@agency.go.th\nSubject: =?UTF-8?Q?line=0Abreak=07bell?=\n\nx\n--out--\n"
    )
    subject = attached_message(raw).subject
    assert subject is not None and not re.search(r"[\x00-\x1f\x7f]", subject)
    assert "line" in subject and "bell" in subject
