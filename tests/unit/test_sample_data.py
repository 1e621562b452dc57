"""The sample messages in tests/data are what tests/data/seed.json says they are.

Decoded with Python's email package plus a local alias of the Thai legacy charsets to
cp874 (Python has no "windows-874"; cp874 is a superset of TIS-620 and ISO-8859-11).
The app's own parser (mime/) must reach the same results; this only proves the data.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import json
from email.message import Message
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
MANIFEST = json.loads((DATA / "seed.json").read_text(encoding="utf-8"))["messages"]

_THAI_LEGACY = {"windows-874", "x-windows-874", "cp874", "tis-620", "tis620", "iso-8859-11"}


def _codec(charset: str | None) -> str:
    charset = (charset or "us-ascii").lower()
    return "cp874" if charset in _THAI_LEGACY else charset


def _header_text(msg: Message, name: str) -> str:
    raw = msg.get(name)
    assert raw is not None, f"no {name} header"
    parts = email.header.decode_header(str(raw))
    return "".join(
        text.decode(_codec(charset)) if isinstance(text, bytes) else text for text, charset in parts
    )


def _display_name(msg: Message) -> str:
    name, _addr = email.utils.parseaddr(_header_text(msg, "From"))
    return name


def _first_part(msg: Message, content_type: str) -> Message:
    for part in msg.walk():
        if part.get_content_type() == content_type and part.get_content_disposition() != "attachment":
            return part
        if part is not msg and part.get_content_type() == "message/rfc822":
            break  # do not descend into an attached message
    raise AssertionError(f"no {content_type} part")


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(_codec(part.get_content_charset())).replace("\r\n", "\n")


def _attachment_names(msg: Message) -> list[str | None]:
    names = []
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            continue
        if part.get_content_disposition() == "attachment":
            names.append(part.get_filename())
    return names


def _check(msg: Message, expect: dict) -> None:
    assert _header_text(msg, "Subject") == expect["subject"]
    assert _display_name(msg) == expect["from_name"]
    plain = _first_part(msg, "text/plain")
    assert plain.get_content_charset() == expect["charset"]
    body = _text(plain)
    for snippet in expect["body_contains"]:
        assert snippet in body
    if "html_contains" in expect:
        html = _text(_first_part(msg, "text/html"))
        for snippet in expect["html_contains"]:
            assert snippet in html


def _parse(file: str) -> Message:
    return email.message_from_bytes((DATA / file).read_bytes())


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_sample_decodes_to_the_expected_thai(entry):
    msg = _parse(entry["file"])
    expect = entry["expect"]
    _check(msg, expect)
    assert _attachment_names(msg) == expect.get("attachments", [])
    if "in_reply_to" in expect:
        assert msg["In-Reply-To"] == expect["in_reply_to"]
        assert expect["in_reply_to"] in msg["References"]
    if "nested" in expect:
        [rfc822] = [p for p in msg.walk() if p.get_content_type() == "message/rfc822"]
        [inner] = rfc822.get_payload()
        _check(inner, expect["nested"])
    for part in msg.walk():
        assert not part.defects, f"{entry['file']}: {part.defects}"


def test_every_sample_is_in_the_manifest_and_uses_lf_line_endings():
    files = sorted(p.name for p in DATA.glob("*.eml"))
    assert files == sorted(e["file"] for e in MANIFEST)
    for name in files:
        assert b"\r" not in (DATA / name).read_bytes(), name


def test_legacy_charsets_are_really_legacy_bytes():
    """The TIS-620 / windows-874 samples carry single-byte Thai, not UTF-8 in disguise."""
    tis = _first_part(_parse("03-tis620-8bit.eml"), "text/plain").get_payload(decode=True)
    assert "รายงาน".encode("tis-620") in tis
    with pytest.raises(UnicodeDecodeError):
        tis.decode("utf-8")
    # Outlook's curly quotes and ellipsis: bytes 0x93/0x94/0x85, which TIS-620 lacks.
    for file in ("04-windows874-outlook.eml", "06-tis620-label-with-cp874-quotes.eml"):
        body = _first_part(_parse(file), "text/plain").get_payload(decode=True)
        assert b"\x93" in body and b"\x94" in body and b"\x85" in body
        as_tis620 = body.decode("tis-620")  # Python maps 0x80-0x9F to C1 controls
        assert "\x93" in as_tis620 and "\u201c" not in as_tis620
        assert "\u201c" in body.decode("cp874")


def test_attachments_are_what_their_names_claim():
    pdf_msg = _parse("08-attachment-pdf.eml")
    [pdf] = [p for p in pdf_msg.walk() if p.get_content_type() == "application/pdf"]
    data = pdf.get_payload(decode=True)
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")

    danger = _parse("09-dangerous-attachments.eml")
    names = _attachment_names(danger)
    assert names[1].endswith(".pdf.exe")
    assert "\u202e" in names[2]  # RIGHT-TO-LEFT OVERRIDE: shows as "รายงานexe.pdf"
    for part in danger.walk():
        if part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True)
            # "MZ" like a Windows program, but harmless text, a few dozen bytes
            assert payload.startswith(b"MZ") and b"NOT a program" in payload and len(payload) < 100


def test_html_sample_has_an_inline_cid_image_and_a_tracking_pixel():
    msg = _parse("07-html-remote-images.eml")
    [image] = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<logo-2569@agency.mail.go.th>"
    html = _text(_first_part(msg, "text/html"))
    assert 'width="1" height="1"' in html
