"""An attached message is listed under the preview by its subject and its real size,
not as "forwarded.eml (0 B)" (found when the app was tried as a new user would)."""

from __future__ import annotations

import pytest

from govmail_desktop.mime import parse_message
from govmail_desktop.services.mailbox_types import PREVIEW_READY, PreviewResult
from tests.gui.mailbox_helpers import DATA
from tests.unit.mime.test_attached_message import inner_bytes

pytestmark = pytest.mark.gui

FORWARDED = (DATA / "10-forwarded-rfc822.eml").read_bytes()


@pytest.fixture
def pane(qtbot, language_controller):
    from govmail_desktop.ui.preview_pane import PreviewPane

    language_controller.apply("th")
    widget = PreviewPane()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def show(pane, raw: bytes) -> None:
    pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(raw)))


def test_an_attached_message_shows_its_subject_and_real_size(pane):
    show(pane, FORWARDED)
    text = pane.attachment_panel.summary_text()
    size = len(inner_bytes(FORWARDED, b"fwd_boundary_1011"))  # the attached message's own bytes
    assert size > 400
    assert text == f"ไฟล์แนบ: จดหมาย “แจ้งผลการพิจารณาคำขอใช้ห้องประชุม” (forwarded.eml, {size} B)"
    assert "(forwarded.eml, 0 B)" not in text


def test_an_attached_message_without_a_subject_or_a_file_name(pane):
    raw = (
        b"From: b@agency.go.th\nSubject: Fwd\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"out\"\n\n"
        b"--out\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
        b"From: a@agency.go.th\n\n" + b"x" * 3000 + b"\n--out--\n"
    )
    show(pane, raw)
    assert pane.attachment_panel.summary_text() == "ไฟล์แนบ: จดหมาย “(ไม่มีเรื่อง)” (3 KB)"


def test_a_subject_made_of_markup_is_shown_as_text(pane):
    raw = (
        b"From: b@agency.go.th\nSubject: Fwd\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"out\"\n\n"
        b"--out\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=a.eml\n\n"
        b"From: a@agency.go.th\nSubject: <img src=\"/tmp/x.png\"><b>bold</b>\n\nx\n--out--\n"
    )
    show(pane, raw)
    panel = pane.attachment_panel
    assert "<img src=\"/tmp/x.png\"><b>bold</b>" in panel.item_texts()[0]  # list items are plain text
    assert "&lt;img" in panel.list.item(0).toolTip()
