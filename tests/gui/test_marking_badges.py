"""Official markings of received mail as coloured badges (urgency red, secrecy purple) in the
message list and the preview, in Thai; saraban@ addresses labelled in the preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeView

from govmail_desktop.core.compose import Secrecy, Urgency
from govmail_desktop.mime import parse_message
from govmail_desktop.models.message_list import Column, MessageListModel
from govmail_desktop.models.message_roles import MarkingsRole, SubjectShownRole
from govmail_desktop.services.mailbox_types import PREVIEW_READY, PreviewResult
from govmail_desktop.store import MailCache
from govmail_desktop.ui.marking_badges import SECRECY_COLOUR, URGENCY_COLOUR
from tests.unit.store.factories import STANDARD_FOLDERS, summary

pytestmark = pytest.mark.gui

DATA = Path(__file__).resolve().parents[1] / "data"
SUBJECTS = {
    1: "ด่วนที่สุด ลับ ที่ นร ๐๑๐๕/ว ๑๒๓",
    2: "[ด่วนมาก] ขอข้อมูลบุคลากร",
    3: "(ลับมาก) รายงานการประชุม",
    4: "ประชุมประจำเดือน",
}


@pytest.fixture
def model(tmp_path):
    cache = MailCache(tmp_path / "acct" / "cache.sqlite3")
    folder_id = cache.upsert_folders(STANDARD_FOLDERS)["INBOX"]
    cache.insert_summaries(folder_id, [summary(uid, subject=text) for uid, text in SUBJECTS.items()])
    cache.set_folder_state(folder_id, uidvalidity=1, uidnext=5, highestmodseq=1)
    list_model = MessageListModel(cache)
    list_model.set_folder(folder_id)
    yield list_model
    cache.close()


def row_of(model: MessageListModel, uid: int) -> int:
    row = model.row_of_uid(uid)
    assert row is not None
    return row


def test_list_rows_carry_the_markings_recognised_from_the_cached_subject(model):
    def at(uid, role):
        return model.index(row_of(model, uid), Column.SUBJECT).data(role)

    assert (at(1, MarkingsRole).urgency, at(1, MarkingsRole).secrecy) == (Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL)
    assert (at(2, MarkingsRole).urgency, at(2, MarkingsRole).secrecy) == (Urgency.VERY_URGENT, None)
    assert (at(3, MarkingsRole).urgency, at(3, MarkingsRole).secrecy) == (None, Secrecy.SECRET)
    assert not at(4, MarkingsRole).marked
    # the badges stand for the words: the subject is drawn without them; the text itself is unchanged
    assert at(1, SubjectShownRole) == "ที่ นร ๐๑๐๕/ว ๑๒๓" and at(2, SubjectShownRole) == "ขอข้อมูลบุคลากร"
    assert at(1, Qt.ItemDataRole.DisplayRole) == SUBJECTS[1]
    assert at(4, SubjectShownRole) == SUBJECTS[4]


def _colour_in(image, rect, colour: QColor) -> bool:
    for x in range(rect.left(), rect.right()):
        for y in range(rect.top(), rect.bottom()):
            pixel = QColor(image.pixel(x, y))
            if abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green()) + abs(
                    pixel.blue() - colour.blue()) < 30:
                return True
    return False


def test_list_paints_red_urgency_and_purple_secrecy_badges_only_on_marked_rows(qtbot, model, language_controller):
    from govmail_desktop.ui.message_delegate import SubjectDelegate

    language_controller.apply("th")
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(Column.SUBJECT, SubjectDelegate(view))
    view.resize(900, 300)
    view.setColumnWidth(Column.SUBJECT, 450)
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()

    def cell(uid):
        return view.visualRect(model.index(row_of(model, uid), Column.SUBJECT))

    assert _colour_in(image, cell(1), URGENCY_COLOUR) and _colour_in(image, cell(1), SECRECY_COLOUR)
    assert _colour_in(image, cell(2), URGENCY_COLOUR) and not _colour_in(image, cell(2), SECRECY_COLOUR)
    assert _colour_in(image, cell(3), SECRECY_COLOUR) and not _colour_in(image, cell(3), URGENCY_COLOUR)
    assert not _colour_in(image, cell(4), URGENCY_COLOUR) and not _colour_in(image, cell(4), SECRECY_COLOUR)


@pytest.fixture
def pane(qtbot):
    from govmail_desktop.ui.preview_pane import PreviewPane

    widget = PreviewPane()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def show(pane, raw: bytes) -> None:
    pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(raw)))


def test_preview_shows_thai_badges_and_the_saraban_label(qtbot, pane, language_controller):
    language_controller.apply("th")
    show(pane, (DATA / "11-official-urgent-secret.eml").read_bytes())
    assert pane.marking_badges.isVisible() and pane.marking_badges.texts() == ["ด่วนที่สุด", "ลับ"]
    assert "ชั้นความเร็ว: ด่วนที่สุด" in pane.marking_badges.labels[0].toolTip()
    assert pane.official_label.isVisible()
    assert pane.official_label.text() == (
        "ที่อยู่รับส่งหนังสือราชการ (สารบรรณ) ของหน่วยงานราชการ: saraban@agency.mail.go.th")
    language_controller.apply("en")  # the language change reaches the pane as an event
    qtbot.waitUntil(lambda: pane.marking_badges.texts() == ["Most urgent", "Confidential"])


def test_preview_reads_the_marking_headers_not_only_the_subject(pane, language_controller):
    language_controller.apply("th")
    raw = (b"From: a@agency.go.th\nTo: b@agency.go.th\nSubject: report\nX-GovMail-Urgency: very-urgent\n"
           b"X-GovMail-Secrecy: top-secret\n\nbody\n")
    show(pane, raw)
    assert pane.marking_badges.texts() == ["ด่วนมาก", "ลับที่สุด"]
    assert not pane.official_label.isVisible()


def test_preview_of_unmarked_mail_has_no_badges(pane, language_controller):
    language_controller.apply("th")
    show(pane, (DATA / "12-thread-1.eml").read_bytes())
    assert not pane.marking_badges.isVisible() and pane.marking_badges.texts() == []
    show(pane, b"From: x@gmail.com\nTo: saraban@gmail.com\nSubject: x\n\nbody\n")
    assert not pane.official_label.isVisible()  # saraban@ at a free-mail domain is not official
