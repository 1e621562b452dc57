"""The composer window: recipients marked by the policy as typed, the pre-send summary,
attachments against the limit, the signature above the quote, and its keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QMessageBox

from govmail_desktop.core.compose import Draft, MessageRef, OriginalKind, Secrecy, Urgency
from govmail_desktop.core.identities import Signature
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.ui.composer.presend import PreSendDialog
from govmail_desktop.ui.composer.window import ComposerWindow
from tests.gui.composer_helpers import SENDER, RecordingOutbox, SavingKeeper, active_modal, make_policy, make_session


@pytest.fixture
def store(tmp_path):
    return DraftStore(tmp_path / "drafts")


@pytest.fixture
def open_composer(qtbot, store, language_controller):
    language_controller.apply("th")

    def make(eff=None, **kwargs):
        outbox = kwargs.pop("outbox", None) or RecordingOutbox()
        keeper = kwargs.pop("keeper", None) or SavingKeeper(store)
        session = make_session(store, eff or make_policy(), outbox=outbox, keeper=keeper, **kwargs)
        window = ComposerWindow(session)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitActive(window):
            window.activateWindow()
        return window, outbox, keeper

    return make


def type_into(qtbot, field, text):
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, text)
    field.edit.clearFocus()
    field.refresh_marks(typing=False)


# ------------------------------------------------------------------ marks as you type

def test_an_internal_address_is_not_marked(open_composer, qtbot):
    window, _, _ = open_composer()
    type_into(qtbot, window.to_field, "a@agency.go.th")
    assert window.to_field.blocked_label.isHidden() and window.to_field.warned_label.isHidden()
    assert window.to_field.edit.property("policyMark") == "ok"


def test_a_free_mail_address_is_shown_blocked_in_red_with_the_reason(open_composer, qtbot):
    window, _, _ = open_composer(make_policy(free_mail="block"))
    type_into(qtbot, window.to_field, "a@agency.go.th, c@gmail.com")
    label = window.to_field.blocked_label
    assert label.isVisible()
    assert "c@gmail.com" in label.text() and "gmail.com" in label.text().split(":", 1)[1]
    assert "#b71c1c" in label.styleSheet() and "#b71c1c" in window.to_field.edit.styleSheet()


def test_an_external_address_is_marked_while_typing(open_composer, qtbot):
    window, _, _ = open_composer(make_policy(external="warn"))
    window.cc_field.edit.setFocus()
    qtbot.keyClicks(window.cc_field.edit, "b@example.co.th, ")
    qtbot.waitUntil(lambda: window.cc_field.warned_label.isVisible())
    assert "b@example.co.th" in window.cc_field.warned_label.text()


def test_classified_mail_to_an_external_address_is_blocked_as_soon_as_it_is_marked(open_composer, qtbot):
    window, _, _ = open_composer()
    type_into(qtbot, window.to_field, "b@example.co.th")
    assert window.to_field.edit.property("policyMark") == "ok"
    window.secrecy_combo.setCurrentIndex(window.secrecy_combo.findData(Secrecy.SECRET))
    window.secrecy_combo.activated.emit(window.secrecy_combo.currentIndex())
    assert window.to_field.blocked_label.isVisible()
    assert window.secrecy_badge.text() == "ลับมาก" and window.secrecy_badge.isVisible()
    assert window.urgency_badge.isHidden()


def test_a_saraban_address_is_labelled_official(open_composer, qtbot):
    window, _, _ = open_composer()
    type_into(qtbot, window.to_field, "saraban@dwr.mail.go.th")
    assert window.to_field.official_label.isVisible()
    assert "saraban@dwr.mail.go.th" in window.to_field.official_label.text()


# ------------------------------------------------------------------ the pre-send summary

def fill(qtbot, window, to, subject="หนังสือเชิญประชุม"):
    type_into(qtbot, window.to_field, to)
    window.to_field.edited.emit()
    window.subject_edit.setText(subject)
    window.subject_edit.textEdited.emit(subject)


def test_a_blocked_message_cannot_be_sent(open_composer, qtbot):
    window, outbox, _ = open_composer(make_policy(free_mail="block"))
    fill(qtbot, window, "a@agency.go.th, c@gmail.com")
    qtbot.keyClick(window.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog = active_modal(qtbot)
    assert isinstance(dialog, PreSendDialog) and dialog.blocked
    texts = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    assert len(texts) == 1 and "c@gmail.com" in texts[0]
    assert dialog.send_button is None and dialog.confirm_box.isHidden()
    dialog.accept()  # even forced, it does not let the message through
    assert dialog.isVisible()
    dialog.reject()
    assert outbox.submitted == []
    assert window.isVisible()


def test_a_warned_message_needs_a_confirmation_naming_what_was_warned(open_composer, qtbot):
    window, outbox, _ = open_composer(make_policy(external="warn"))
    fill(qtbot, window, "a@agency.go.th, b@example.co.th")
    window.send_action.trigger()
    dialog = active_modal(qtbot)
    assert not dialog.blocked
    assert dialog.confirm_names.text() == "b@example.co.th"  # what the confirmation is about
    assert dialog.confirm_names.isVisible()
    assert not dialog.send_button.isEnabled()
    dialog.confirm_box.setChecked(True)
    with qtbot.waitSignal(window.destroyed, timeout=3000):
        dialog.send_button.click()
    assert [d.to for d in outbox.submitted] == ["a@agency.go.th, b@example.co.th"]


def test_a_clean_message_is_sent_without_a_summary(open_composer, qtbot):
    window, outbox, _ = open_composer()
    fill(qtbot, window, "a@agency.go.th")
    window.urgency_combo.setCurrentIndex(window.urgency_combo.findData(Urgency.MOST_URGENT))
    window.urgency_combo.activated.emit(window.urgency_combo.currentIndex())
    window.body.setPlainText("เรียน ผู้อำนวยการ")
    with qtbot.waitSignal(window.destroyed, timeout=3000):
        window.send_action.trigger()
    sent = outbox.submitted[0]
    assert sent.urgency is Urgency.MOST_URGENT and sent.text.startswith("เรียน ผู้อำนวยการ")


# ------------------------------------------------------------------ attachments

def test_attachments_show_name_size_and_the_total_against_the_limit(open_composer, qtbot, tmp_path):
    window, _, _ = open_composer()
    first = tmp_path / "หนังสือ.pdf"
    first.write_bytes(b"x" * 600_000)
    second = tmp_path / "แผนที่.png"
    second.write_bytes(b"y" * 600_000)
    window.attach_files([first])  # copied on a worker thread
    qtbot.waitUntil(lambda: len(window.session.attachments) == 1)
    assert window.attachments.isVisible()
    assert window.attachments.item_texts() == ["หนังสือ.pdf (586 KB)"]
    assert "1.0 MB" in window.attachments.total_label.text()
    assert "#b71c1c" not in window.attachments.total_label.styleSheet()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(second))])
    window.body.insertFromMimeData(mime)  # pasted or dropped into the body: attached
    qtbot.waitUntil(lambda: len(window.session.attachments) == 2)
    assert "#b71c1c" in window.attachments.total_label.styleSheet()
    window.attachments.list.setCurrentRow(1)
    window.attachments.remove_button.click()
    assert len(window.session.attachments) == 1


# ------------------------------------------------------------------ signatures

def test_the_default_signature_is_above_the_quote_of_a_reply(open_composer, store):
    signature = Signature.new("acc1", name="สมชาย ใจดี", position="ผู้อำนวยการกอง", agency="กรมทรัพยากรน้ำ",
                              default=True)
    reply = Draft.new("acc1", sender=SENDER.from_text, subject="ตอบกลับ: ประชุม", to="b@agency.go.th",
                      text="เมื่อ 3 ธ.ค. 2569 เวลา 14:30 น. สมหญิง เขียนว่า:\n> ข้อความเดิม\n",
                      in_reply_to="<m1@agency.go.th>", original=MessageRef("acc1", "INBOX", 1, 7),
                      original_kind=OriginalKind.REPLY)
    session = make_session(store, make_policy(), draft=reply, signatures=[signature])
    session.apply_default_signature()
    window = ComposerWindow(session)
    text = window.body.toPlainText()
    assert text.index("กรมทรัพยากรน้ำ") < text.index("เขียนว่า:")
    assert window.body.textCursor().position() == 0  # the user writes above the signature
    window.session.close(keep=False)
    window.deleteLater()


# ------------------------------------------------------------------ keys

def test_ctrl_s_saves_the_draft(open_composer, qtbot, store):
    window, _, keeper = open_composer()
    window.body.setFocus()
    window.body.insertPlainText("ร่างหนังสือ")  # QTest types Latin-1 only
    qtbot.keyClick(window.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert keeper.saved and keeper.saved[-1].text == "ร่างหนังสือ"
    assert keeper.to_server
    assert store.load(window.session.draft.draft_id).text == "ร่างหนังสือ"


@pytest.mark.parametrize("answer, kept", [(QMessageBox.StandardButton.Save, True),
                                          (QMessageBox.StandardButton.Discard, False)])
def test_esc_asks_to_keep_the_draft(open_composer, qtbot, store, answer, kept):
    window, _, _ = open_composer()
    draft_id = window.session.draft.draft_id
    window.subject_edit.setFocus()
    window.subject_edit.insert("รายงานประจำเดือน")  # QTest types Latin-1 only
    qtbot.keyClick(window.subject_edit, Qt.Key.Key_Escape)
    box = active_modal(qtbot)
    assert box.objectName() == "keepDraftBox"
    assert window.isVisible()
    with qtbot.waitSignal(window.closed, timeout=3000):
        box.button(answer).click()
    assert store.exists(draft_id) is kept
    if kept:
        assert store.load(draft_id).subject == "รายงานประจำเดือน"


def test_esc_then_go_on_writing_keeps_the_window(open_composer, qtbot):
    window, _, _ = open_composer()
    window.subject_edit.setText("x")
    window.subject_edit.textEdited.emit("x")
    qtbot.keyClick(window.subject_edit, Qt.Key.Key_Escape)
    box = active_modal(qtbot)
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: window._close_box is None)
    assert window.isVisible()


def test_esc_on_an_empty_message_closes_without_asking(open_composer, qtbot, store):
    window, _, keeper = open_composer()
    with qtbot.waitSignal(window.closed, timeout=3000):
        qtbot.keyClick(window.subject_edit, Qt.Key.Key_Escape)
    assert keeper.saved == []


# ------------------------------------------------------------------ signatures in Edit → Signatures…

def test_the_signature_editor_keeps_several_signatures_per_account(qtbot, tmp_path, language_controller):
    from govmail_desktop.core.identities import ComposerProfiles, Identity
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.ui.composer.signatures import SignatureEditor

    language_controller.apply("th")
    settings = Settings(tmp_path / "settings.json")
    profiles = ComposerProfiles(settings)
    ids = [Identity("acc1", "somchai@dwr.mail.go.th", "สมชาย ใจดี"), Identity("acc1", "unit@dwr.mail.go.th", "กอง")]
    editor = SignatureEditor(profiles, [("acc1", ids)])
    qtbot.addWidget(editor)
    editor.add_signature()
    assert editor.name_edit.text() == "สมชาย ใจดี" and editor.default_box.isChecked()  # the first is the default
    for edit, text in ((editor.position_edit, "ผู้อำนวยการกอง"), (editor.agency_edit, "กรมทรัพยากรน้ำ"),
                       (editor.phone_edit, "0 2271 6000")):
        edit.setText(text)
        edit.textEdited.emit(text)
    assert "โทร. 0 2271 6000" in editor.preview.toPlainText()
    editor.add_signature()
    editor.label_edit.setText("หน่วยงาน")
    editor.label_edit.textEdited.emit("หน่วยงาน")
    editor.identity_combo.setCurrentIndex(editor.identity_combo.findData("unit@dwr.mail.go.th"))
    editor.identity_combo.activated.emit(editor.identity_combo.currentIndex())
    editor.accept()
    saved = ComposerProfiles(settings).signatures("acc1")
    assert [(s.agency, s.default, s.identity) for s in saved] == [
        ("กรมทรัพยากรน้ำ", True, ""), ("", False, "unit@dwr.mail.go.th")]
    assert [s.label for s in ComposerProfiles(settings).signatures("acc1", "somchai@dwr.mail.go.th")] == ["ลายเซ็น 1"]


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints\(\))")
def test_recipient_fields_complete_from_the_address_book(qtbot, store, language_controller):
    from govmail_desktop.store.addressbook import Suggestion

    def suggest(text, limit=10):
        people = [Suggestion("สารบรรณ กรมทรัพยากรน้ำ", "saraban@dwr.mail.go.th", 1.0, "history")]
        return [p for p in people if text.lower() in p.email][:limit]

    session = make_session(store, make_policy())
    window = ComposerWindow(session, address_book=suggest)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.to_field.edit.setFocus()
    qtbot.keyClicks(window.to_field.edit, "a@agency.go.th, sara")
    completer = window.to_field.edit.completer()
    assert completer.completionModel().rowCount() == 1
    completer.activated.emit(completer.pathFromIndex(completer.completionModel().index(0, 0)))
    assert window.to_field.text() == "a@agency.go.th, สารบรรณ กรมทรัพยากรน้ำ <saraban@dwr.mail.go.th>, "
    assert session.draft.to == window.to_field.text()
    window.to_field.refresh_marks()
    assert "saraban@dwr.mail.go.th" in window.to_field.official_label.text()
    session.close(keep=False)
