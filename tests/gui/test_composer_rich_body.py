"""The rich body of the composer: a picture pasted or dropped into it goes inline
(multipart/related, ``cid:``, kept by the draft store and the Drafts copy), into a plain body
it is attached; a rich reply shows its quote as a blockquote with a left border (the
original's text escaped, never its HTML), a plain one as ``>`` lines; Discard goes through
the drafts service, so a late autosave cannot bring the draft back."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from govmail_desktop.core.compose import Draft, MessageRef
from govmail_desktop.core.entities import Address
from govmail_desktop.mime.build import build_message
from govmail_desktop.mime.draft_mime import build_draft_copy, read_draft_copy
from govmail_desktop.mime.outgoing import outgoing_from_draft
from govmail_desktop.mime.parse import parse_message
from govmail_desktop.mime.reply import reply_draft
from govmail_desktop.services.drafts_service import DraftsService
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.ui.composer.window import ComposerWindow
from tests.gui.composer_helpers import SENDER, RecordingOutbox, SavingKeeper, make_policy, make_session


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


@pytest.fixture
def composer(qtbot, store, language_controller):
    language_controller.apply("th")

    def make(*, rich: bool = True, draft: Draft | None = None, keeper=None, fresh: bool | None = None):
        outbox = RecordingOutbox()
        session = make_session(store, make_policy(), outbox=outbox, draft=draft, keeper=keeper)
        if fresh is not None:
            session.fresh = fresh  # a reply started now (as the starter marks it)
        window = ComposerWindow(session, rich=rich)
        window.show()
        made.append(window)
        return window, outbox

    made: list[ComposerWindow] = []
    yield make
    for window in made:
        try:
            if window.isVisible():
                window.session.close(keep=False)
                window.close()
        except RuntimeError:  # deleted on close already
            pass


def picture(width: int = 40, height: int = 30) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#b71c1c"))
    return image


def paste_picture(window: ComposerWindow, image: QImage) -> None:
    mime = QMimeData()
    mime.setImageData(image)
    window.body.insertFromMimeData(mime)


def built(draft: Draft, store: DraftStore) -> email.message.EmailMessage:
    outgoing = outgoing_from_draft(draft, lambda att: store.read_attachment(draft.draft_id, att))
    wire = build_message(outgoing).wire
    return email.message_from_bytes(wire, policy=email.policy.default)


def send(window: ComposerWindow, outbox: RecordingOutbox, qtbot) -> Draft:
    window.to_field.set_text("ผู้อำนวยการ <director@agency.go.th>")
    window.subject_edit.setText("ภาพประกอบ")
    window.subject_edit.textEdited.emit("ภาพประกอบ")
    window.send_action.trigger()
    qtbot.waitUntil(lambda: bool(outbox.submitted), timeout=3000)
    return outbox.submitted[-1]


# ------------------------------------------------------------------ pictures


def test_a_picture_pasted_into_a_rich_body_is_sent_inline_as_multipart_related(composer, store, qtbot):
    window, outbox = composer(rich=True)
    window.body.setFocus()
    window.body.insertPlainText("เรียน ผู้อำนวยการ ตามภาพ ")
    paste_picture(window, picture())
    session = window.session
    [image] = session.draft.attachments
    assert image.content_id and image.content_type == "image/png"
    assert image.filename != "รูปภาพ.png"
    assert session.listed_attachments == ()  # shown in the body, not in the attachment list
    assert not window.attachments.isVisible()
    assert f'src="cid:{image.content_id}"' in session.draft.html
    png = store.read_attachment(session.draft.draft_id, image)

    sent = send(window, outbox, qtbot)
    message = built(sent, store)
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    html_part, image_part = list(related.iter_parts())
    assert html_part.get_content_type() == "text/html"
    assert f'src="cid:{image.content_id}"' in html_part.get_content()
    assert image_part["Content-ID"] == f"<{image.content_id}>"
    assert image_part.get_content_disposition() == "inline"
    assert image_part.get_content() == png
    assert not [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    text_part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "\ufffc" not in text_part.get_content()  # the picture leaves no mark in the text part


def test_an_inline_picture_is_kept_by_the_draft_store_and_the_drafts_copy_and_shown_again(
        composer, store, qtbot):
    window, _ = composer(rich=True)
    paste_picture(window, picture(50, 20))
    window.save_draft()
    draft = window.session.draft
    [image] = draft.attachments
    png = store.read_attachment(draft.draft_id, image)

    loaded = store.load(draft.draft_id)  # the local store
    assert [a.content_id for a in loaded.attachments] == [image.content_id]
    copy = build_draft_copy(loaded, lambda a: store.read_attachment(draft.draft_id, a),
                            fallback_sender=Address(SENDER.name, SENDER.address))
    server = read_draft_copy(copy.sent_copy, account_id="acc1")  # the Drafts folder copy
    [file] = server.files
    assert file.content_id == image.content_id and file.data == png
    assert f"cid:{image.content_id}" in (server.html or "")

    again, _ = composer(rich=True, draft=loaded)  # taken up again: the picture shows
    resource = again.body.document().resource(QTextDocument.ResourceType.ImageResource,
                                              QUrl(f"cid:{image.content_id}"))
    assert isinstance(resource, QImage) and resource.width() == 50


def test_a_picture_dropped_into_a_rich_body_goes_inline_other_files_are_attached(composer, store, qtbot,
                                                                                tmp_path):
    window, _ = composer(rich=True)
    photo = tmp_path / "แผนที่.png"
    picture(30, 30).save(str(photo), "PNG")
    document = tmp_path / "หนังสือ.pdf"
    document.write_bytes(b"%PDF-1.4 test")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl.fromLocalFile(str(document))])
    window.body.insertFromMimeData(mime)
    qtbot.waitUntil(lambda: len(window.session.draft.attachments) == 2)
    inline = [a for a in window.session.draft.attachments if a.content_id]
    assert [a.content_type for a in inline] == ["image/png"]
    assert window.attachments.item_texts() == ["หนังสือ.pdf (13 B)"]


def test_a_picture_pasted_into_a_plain_body_stays_an_attachment(composer, store, qtbot):
    window, outbox = composer(rich=False)
    paste_picture(window, picture())
    [attached] = window.session.draft.attachments
    assert attached.filename == "รูปภาพ.png" and not attached.content_id
    assert window.attachments.item_texts() == ["รูปภาพ.png (" + attached_size(attached) + ")"]
    sent = send(window, outbox, qtbot)
    assert sent.html is None
    message = built(sent, store)
    assert not [p for p in message.walk() if p.get_content_type() == "multipart/related"]
    [part] = [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    assert part.get_filename() == "รูปภาพ.png"


def attached_size(att) -> str:
    from govmail_desktop.services.compose import human_size

    return human_size(att.size)


def test_turning_formatting_off_attaches_the_pictures_and_deleting_one_drops_it(composer, qtbot):
    window, _ = composer(rich=True)
    paste_picture(window, picture())
    paste_picture(window, picture(20, 20))
    assert len(window.session.draft.attachments) == 2
    cursor = window.body.textCursor()  # delete the second picture (just before the cursor)
    cursor.deletePreviousChar()
    window._push_body()
    assert len(window.session.draft.attachments) == 1
    window.rich_action.setChecked(False)
    [kept] = window.session.draft.attachments
    assert not kept.content_id and window.session.draft.html is None
    assert window.attachments.isVisible() and len(window.attachments.item_texts()) == 1


# ------------------------------------------------------------------ quotes

HTML_ORIGINAL = (
    b"From: =?UTF-8?B?4Liq4Lih4LiK4Liy4LiiIOC5g+C4iOC4lOC4tQ==?= <somchai@agency.go.th>\r\n"
    b"To: me@agency.go.th\r\n"
    b"Subject: =?UTF-8?B?4LiC4Lit4LmA4LiK4Li04LiN4Lib4Lij4Liw4LiK4Li44Lih?=\r\n"
    b"Date: Wed, 02 Dec 2026 14:30:00 +0700\r\n"
    b"Message-ID: <orig-1@agency.go.th>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/html; charset=UTF-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n\r\n"
) + (
    '<html><body><p style="color:red">เรียน <b>ผู้อำนวยการ</b></p>'
    "<p>ข้อความ &lt;script&gt;alert(1)&lt;/script&gt; ในวงเล็บ</p>"
    '<table class="orig"><tr><td>ตาราง</td></tr></table></body></html>\r\n'
).encode()


def reply_to_html_original() -> Draft:
    original = parse_message(HTML_ORIGINAL, lang="th")
    ref = MessageRef("acc1", "INBOX", 1, 7, "<orig-1@agency.go.th>")
    return reply_draft(original, ref, account_id="acc1", sender=SENDER.from_text,
                       own_addresses=[SENDER.address], lang="th")


def test_a_rich_reply_shows_and_sends_the_quote_as_a_blockquote_with_the_original_text_escaped(
        composer, store, qtbot):
    window, outbox = composer(rich=True, draft=reply_to_html_original(), fresh=True)
    assert window.rich_action.isChecked()
    shown = window.body.toPlainText()
    assert not [line for line in shown.split("\n") if line.startswith(">")]  # no ">" marks in the rich body
    assert "ผู้อำนวยการ" in shown
    window.body.setFocus()
    window.body.insertPlainText("รับทราบครับ")
    sent = send(window, outbox, qtbot)
    message = built(sent, store)
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    quote = html[html.index("<blockquote"):html.rindex("</blockquote>")]
    assert "border-left" in html[html.index("<blockquote"):html.index(">", html.index("<blockquote"))]
    assert "ผู้อำนวยการ" in quote and "ในวงเล็บ" in quote
    assert "&lt;script&gt;" in quote  # the original's words, escaped
    for original_html in ("<script", "<table", 'class="orig"', "color:red", "<b>"):
        assert original_html not in html
    assert "เขียนว่า:" in html[:html.index("<blockquote")]  # the quote header stays above it
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    assert "> " in text and "รับทราบครับ" in text  # the text part quotes with ">" lines


def test_a_plain_reply_keeps_the_quote_as_gt_lines(composer, store, qtbot):
    window, outbox = composer(rich=False, draft=reply_to_html_original(), fresh=True)
    assert not window.rich_action.isChecked()
    assert "\n> " in window.body.toPlainText()
    sent = send(window, outbox, qtbot)
    assert sent.html is None
    message = built(sent, store)
    assert [p.get_content_type() for p in message.walk()] == ["text/plain"]
    assert "\n> " in message.get_content()


def test_a_rich_reply_saved_and_taken_up_again_keeps_its_quote_levels(composer, store, qtbot):
    window, _ = composer(rich=True, draft=reply_to_html_original(), fresh=True)
    window.save_draft()
    saved = store.load(window.session.draft.draft_id)
    again, _ = composer(rich=True, draft=saved)
    assert again.body.plain_text().rstrip("\n") == window.body.plain_text().rstrip("\n")
    assert "<blockquote" in again.body.rich_html()


# ------------------------------------------------------------------ discard


def test_discard_goes_through_the_drafts_service_so_a_late_autosave_cannot_bring_it_back(
        composer, store, qtbot):
    drafts = DraftsService(store)
    try:
        window, _ = composer(rich=False, keeper=drafts)
        window.to_field.set_text("director@agency.go.th")
        window.save_draft()
        draft_id = window.session.draft.draft_id
        qtbot.waitUntil(lambda: store.exists(draft_id))
        late = window.session.draft
        window.session.close(keep=False)
        drafts.autosave(late)  # an autosave still on its way when the user discarded
        qtbot.waitUntil(lambda: drafts.pending == 0)
        assert not store.exists(draft_id)
    finally:
        drafts.shutdown()


def test_a_keeper_without_a_discard_still_removes_the_draft_from_the_store(composer, store):
    window, _ = composer(rich=False, keeper=SavingKeeper(store))
    window.to_field.set_text("director@agency.go.th")
    window.save_draft()
    assert store.exists(window.session.draft.draft_id)
    window.session.close(keep=False)
    assert not store.exists(window.session.draft.draft_id)
