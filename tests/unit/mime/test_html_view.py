"""The formatted view's cleaner (mime/html_view.py) and the parser's HTML for it (mime/parse.py).

Each trick that could make a viewer fetch something is a sample message of its own under
tests/data/html/; every one is checked to really hold its trick before cleaning and to hold
nothing that fetches after it, with its Thai text still there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govmail_desktop.mime.body_text import html_to_text
from govmail_desktop.mime.html_view import (
    BLOCKED_SRC,
    PART_BREAK,
    LinkRef,
    clean_style,
    linkify,
    plain_links,
    render_html,
    text_to_html,
)
from govmail_desktop.mime.parse import parse_message
from govmail_desktop.mime.preview_warnings import W_HTML_SIMPLIFIED

DATA = Path(__file__).resolve().parents[2] / "data"
TRICKS = DATA / "html"

#: sample → (a piece of the trick as it stands in the message's HTML, Thai text that must survive)
TRICK_SAMPLES = {
    "01-css-url.eml": ("url('http://tracker.example.net/css/div.png')", "ข้อความทดสอบ CSS url"),
    "02-css-import.eml": ("@import url(", "ข้อความทดสอบ import"),
    "03-css-image-set.eml": ("image-set(", "ข้อความทดสอบชุดภาพ"),
    "04-srcset.eml": ("srcset=", "ข้อความทดสอบภาพหลายขนาด"),
    "05-link-element.eml": ('<link rel="stylesheet"', "ข้อความทดสอบ link"),
    "06-background-attribute.eml": ('background="http', "ข้อความทดสอบ background"),
    "07-svg-image.eml": ("<image href=", "ข้อความทดสอบ SVG"),
    "08-meta-refresh.eml": ('http-equiv="refresh"', "ข้อความทดสอบ meta refresh"),
    "09-frames-objects.eml": ("<iframe src=", "ข้อความทดสอบ iframe และ object"),
    "10-form.eml": ("<form action=", "กรุณายืนยันรหัสผ่าน"),
    "11-base-href.eml": ("<base href=", "ข้อความทดสอบ base href"),
    "12-event-handlers.eml": ("onerror=", "ข้อความทดสอบ event handler"),
    "13-javascript-links.eml": ("javascript:", "ข้อความทดสอบลิงก์"),
    "14-css-escapes.eml": ("u\\72 l(", "ข้อความทดสอบ CSS escape"),
    "15-other-schemes.eml": ("file:///etc/hostname", "ข้อความทดสอบโพรโทคอลอื่น"),
}

#: What must never be in the cleaned HTML: anything that loads, runs or sends.
FORBIDDEN = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"url\s*\(", r"@import", r"image-set", r"srcset", r"<link\b", r"\sbackground\s*=", r"<svg\b",
        r"<image\b", r"<use\b", r"<meta\b", r"<iframe\b", r"<frame", r"<object\b", r"<embed\b", r"<applet\b",
        r"<audio\b", r"<video\b", r"<source\b", r"<form\b", r"<input\b", r"<button\b", r"<textarea\b",
        r"<base\b", r"<script\b", r"<style\b", r"\son[a-z]+\s*=", r"javascript:", r"vbscript:", r"expression\s*\(",
        r"\saction\s*=", r"formaction", r"poster\s*=", r"\sdata\s*=", r"\scodebase\s*=", r"tracker\.example\.net",
        r"file:", r"smb:", r"\\\\",
    )
]
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]*)\"")
_SAFE_SRC = re.compile(r"^(?:cid:[^\s\"]+|remote:\d+|blocked:)$")


def _dangers(html: str) -> list[str]:
    found = [p.pattern for p in FORBIDDEN if p.search(html)]
    found += [f"img src {src!r}" for src in _IMG_SRC.findall(html) if not _SAFE_SRC.match(src)]
    return found


def _render(name: str):
    parsed = parse_message((TRICKS / name).read_bytes())
    return parsed, render_html(parsed.html, cid_parts=dict(parsed.inline_parts))


def test_every_trick_sample_is_listed():
    assert sorted(p.name for p in TRICKS.glob("*.eml")) == sorted(TRICK_SAMPLES)


@pytest.mark.parametrize("name", sorted(TRICK_SAMPLES))
def test_trick_sample_is_cleaned_of_everything_that_fetches(name):
    trick, thai = TRICK_SAMPLES[name]
    parsed, safe = _render(name)
    assert trick in parsed.html, "the sample no longer holds its trick"
    assert _dangers(parsed.html), "the guard must see the trick in the uncleaned HTML"
    assert _dangers(safe.html) == []
    assert thai in safe.html


def test_the_danger_guard_catches_a_planted_leak():
    planted = '<p style="background:url(http://x/y.png)">a</p><img src="http://x/z.png" srcset="a 2x">'
    assert {"url\\s*\\(", "srcset", "img src 'http://x/z.png'"} <= set(_dangers(planted))


def test_remote_images_are_numbered_once_each_in_order_and_cid_kept():
    parsed, safe = _render("04-srcset.eml")
    assert safe.remote == ()  # srcset URLs are not remote images to offer: they are dropped
    html = (
        '<img src="https://img.example/a.png" width="600"><img src="http://img.example/b.png" height="1">'
        '<img src="https://img.example/a.png"><img src="cid:Logo@Agency"><img src="//cdn.example/c.png">'
    )
    safe = render_html(html, cid_parts={"<logo@agency>": "2"})
    assert safe.remote == ("https://img.example/a.png", "http://img.example/b.png", "https://cdn.example/c.png")
    assert _IMG_SRC.findall(safe.html) == ["remote:0", "remote:1", "remote:0", "cid:logo@agency", "remote:2"]
    assert safe.cids == ("logo@agency",)
    # Sizes are kept aside for when the images load: a blocked one takes a placeholder's room.
    assert safe.remote_sizes == ((600, 0), (0, 1), (0, 0))
    assert "width" not in safe.html and "height" not in safe.html


def test_sources_that_are_neither_inline_nor_web_images_become_the_placeholder():
    _, safe = _render("15-other-schemes.eml")
    sources = _IMG_SRC.findall(safe.html)
    assert sources.count(BLOCKED_SRC) == 5  # file: twice, UNC, smb:, data:
    assert safe.remote == ("https://tracker.example.net/proto/relative.png",)  # protocol-relative is remote


def test_links_keep_only_web_and_mail_targets_and_are_listed_with_their_text():
    _, safe = _render("13-javascript-links.eml")
    assert safe.links == (LinkRef("https://www.agency.mail.go.th/news", "ข่าวของหน่วยงาน"),)
    assert "ลิงก์จาวาสคริปต์" in safe.html  # the text stays, the link goes
    deceptive = render_html('<a href="http://evil.example/x">https://www.krungthai.com</a>')
    assert deceptive.links == (LinkRef("http://evil.example/x", "https://www.krungthai.com"),)


def test_a_relative_link_under_base_href_is_no_link():
    _, safe = _render("11-base-href.eml")
    assert safe.links == ()
    assert _IMG_SRC.findall(safe.html) == [BLOCKED_SRC]


@pytest.mark.parametrize(
    ("style", "kept"),
    [
        ("color: red; font-family: 'Sarabun', sans-serif", "color: red; font-family: 'Sarabun', sans-serif"),
        ("background-color: rgb(255, 0, 0); text-align: center",
         "background-color: rgb(255, 0, 0); text-align: center"),
        ("background: url(http://x/y.png)", None),
        ("color: red; background-image: image-set('x' 1x)", "color: red"),
        ("behavior: url(x.htc); color: blue", "color: blue"),
        ("background: u\\72 l(http://x)", None),
        ("width: expression(alert(1))", None),
        ("color: red /* url(http://x) */", None),
        ("position: fixed; top: 0", None),
        ("font-size: 0px; color: red", "color: red"),
        ("font: 0 Arial", None),
        ("font-size: -2pt", None),
        ("font-size: 10.5pt", "font-size: 10.5pt"),
    ],
)
def test_style_attributes_keep_simple_declarations_only(style, kept):
    assert clean_style(style) == kept


def test_parts_are_cleaned_one_by_one_so_no_markup_spans_two():
    safe = render_html("<b>first part, never closed" + PART_BREAK + "<p>second part</p>")
    assert "<hr>" in safe.html
    first, second = safe.html.split("<hr>")
    assert first.count("<b>") == first.count("</b>") == 1
    assert "<b>" not in second


def test_a_huge_tag_count_is_shown_as_text_in_bounded_work():
    safe = render_html("<i>" * 30_000 + "ข้อความ")
    assert safe.truncated and "ข้อความ" in safe.html and "<i>" not in safe.html


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("ดูที่ https://news.example.com/2569/01. ครับ", [("https://news.example.com/2569/01", "https://news.example.com/2569/01")]),
        ("(www.agency.go.th)", [("http://www.agency.go.th", "www.agency.go.th")]),
        ("ติดต่อ somchai@agency.mail.go.th, ขอบคุณ", [("mailto:somchai@agency.mail.go.th", "somchai@agency.mail.go.th")]),
        ("mailto:a@b.example?subject=x", [("mailto:a@b.example?subject=x", "mailto:a@b.example?subject=x")]),
        ("<b>no tag</b> and no link", []),
    ],
)
def test_plain_text_addresses_become_links(text, links):
    assert [(link.href, link.text) for link in plain_links(text)] == links
    assert "<b>" not in linkify(text)


def test_plain_text_html_keeps_line_breaks_and_spaces():
    assert text_to_html("a\n  b <c>") == '<div style="white-space: pre-wrap">a\n  b &lt;c&gt;</div>'


# -- the parser's HTML ---------------------------------------------------------------------------


def test_the_html_alternative_is_kept_for_the_formatted_view_and_the_plain_one_for_text():
    parsed = parse_message((DATA / "07-html-remote-images.eml").read_bytes())
    assert parsed.text_source == "plain"
    assert "<h1>" in parsed.html and "จดหมายข่าวประจำเดือนมกราคม" in parsed.html
    assert "<h1>" not in parsed.text
    assert dict(parsed.inline_parts) == {"logo-2569@agency.mail.go.th": "2.2"}
    image = dict(parsed.inline_images)["logo-2569@agency.mail.go.th"]
    assert image.startswith(b"\x89PNG")
    assert W_HTML_SIMPLIFIED not in parsed.warnings
    assert not any(a.filename == "logo.png" for a in parsed.attachments)  # inline, not listed twice


@pytest.mark.parametrize("name", ["01-utf8-qp.eml", "03-tis620-8bit.eml", "08-attachment-pdf.eml"])
def test_a_message_without_html_has_none(name):
    parsed = parse_message((DATA / name).read_bytes())
    assert parsed.html == "" and parsed.inline_images == ()


def test_an_html_only_message_gives_both_views_from_one_part():
    raw = (
        b"From: a@b.example\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/html; charset=windows-874\n\n"
        + "<p>เรียน “ผู้อำนวยการ”</p>".encode("cp874")
    )
    parsed = parse_message(raw)
    assert parsed.text_source == "html" and W_HTML_SIMPLIFIED in parsed.warnings
    assert "เรียน “ผู้อำนวยการ”" in parsed.text
    assert render_html(parsed.html).html == "<p>เรียน “ผู้อำนวยการ”</p>"


def test_plain_parts_beside_html_are_shown_as_text_in_the_formatted_view():
    raw = (
        b"From: a@b.example\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
        b"--b\nContent-Type: text/plain; charset=utf-8\n\n<b>plain</b> see https://x.example/\n"
        b"--b\nContent-Type: text/html; charset=utf-8\n\n<p>formatted</p>\n--b--\n"
    )
    safe = render_html(parse_message(raw).html)
    assert "&lt;b&gt;plain&lt;/b&gt;" in safe.html and "<p>formatted</p>" in safe.html
    assert safe.links == (LinkRef("https://x.example/", "https://x.example/"),)


def test_the_reply_text_still_comes_from_the_one_html_to_text():
    raw = (DATA / "html" / "13-javascript-links.eml").read_bytes()
    parsed = parse_message(raw)
    assert parsed.text.strip() == html_to_text(parsed.html).strip()
