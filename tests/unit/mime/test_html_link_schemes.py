"""Links of other schemes stay clickable in the formatted view so that the link guard can ask
first, naming the real destination (issue 12: "a non-http(s) scheme asks first"); schemes that
run code stay links that are never opened; images of those schemes are still never loaded."""

from __future__ import annotations

import pytest

from govmail_desktop.mime.html_view import list_links, render_html
from govmail_desktop.mime.links import KIND_SCHEME, assess_link

ASKED = [
    "file:///D:/เอกสาร/report.docx",
    "smb://fileserver.agency.go.th/share/doc.docx",
    "ftp://ftp.agency.go.th/pub/form.pdf",
    "tel:+6621234567",
    "webcal://calendar.agency.go.th/meetings.ics",
    "ms-word:ofe|u|https://intranet.agency.go.th/doc.docx",
]
NEVER = ["javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>"]
NEVER_OPENED = ["ms-msdt:/id PCWDiagnostic /skip force", "search-ms:query=invoice&crumb=location:\\\\10.0.0.5\\s"]


@pytest.mark.parametrize("href", ASKED)
def test_a_link_of_another_scheme_stays_a_link_the_guard_asks_about(href):
    safe = render_html(f'<p><a href="{href}">เอกสารประกอบ</a></p>')
    assert [link.href for link in list_links(safe.html)] == [href]
    verdict = assess_link(href, "เอกสารประกอบ")
    assert verdict.kind == KIND_SCHEME and verdict.risky and verdict.openable


@pytest.mark.parametrize("href", NEVER)
def test_script_and_data_links_are_removed(href):
    safe = render_html(f'<p><a href="{href}">คลิก</a></p>')
    assert list_links(safe.html) == ()
    assert "คลิก" in safe.html


@pytest.mark.parametrize("href", NEVER_OPENED)
def test_links_known_to_run_programs_are_never_opened(href):
    verdict = assess_link(href, "ตรวจสอบเอกสาร")
    assert verdict.kind == KIND_SCHEME and not verdict.openable


@pytest.mark.parametrize("src", ["file:///etc/hostname", "smb://fileserver.example.net/share/z.png"])
def test_images_of_those_schemes_are_still_never_loaded(src):
    safe = render_html(f'<p><img src="{src}" alt="x"></p>')
    assert src not in safe.html
