"""Write, Reply, Reply all, Forward (inline / as attachment), Edit as new from the main window:
enabled by the selection, in the toolbar, menus and context menu, on their keys; they open the
composer with the reply built from the cached message (read on the mailbox's worker)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from govmail_desktop.core.identities import ComposerProfiles, Signature
from govmail_desktop.policy.sources import default_effective_policy
from govmail_desktop.services import compose_start
from govmail_desktop.services.drafts_service import DraftsService
from govmail_desktop.services.mailbox_types import BODY_PART
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.ui.composer.window import ComposerWindow
from tests.gui.mailbox_helpers import DATA, open_mailbox, select_rows, select_uid  # noqa: F401

UID = 4


@pytest.fixture
def composing(open_mailbox, qtbot, tmp_path):
    """The main window with its mailbox and the composer joined as the app joins them."""
    from govmail_desktop.wiring.compose import build_composer

    def make(*, signature: bool = False, body: str | None = "11-official-urgent-secret.eml"):
        m = open_mailbox(10)
        if body is not None:
            m.cache.put_part(m.inbox, UID, BODY_PART, (DATA / body).read_bytes())
        if signature:
            ComposerProfiles(m.settings).save_signature(Signature.new(
                "acct1", name="อลิสา ศรีสุข", position="นักวิเคราะห์นโยบายและแผน", agency="กรมทรัพยากรน้ำ",
                default=True))
        drafts = DraftsService(DraftStore(tmp_path / "drafts"))
        launcher = build_composer(m.window, m.settings, default_effective_policy(), m.bridge, m.mailboxes, drafts)
        opened: list[ComposerWindow] = []
        launcher.opened.connect(opened.append)
        m.launcher, m.opened, m.drafts = launcher, opened, drafts
        made.append(m)
        return m

    made = []
    yield make
    for m in made:  # composers delete themselves on close
        for composer in list(m.launcher.windows):
            composer.session.close(keep=False)
            composer.close()
        m.drafts.shutdown()


def composer_of(m, qtbot) -> ComposerWindow:
    qtbot.waitUntil(lambda: bool(m.opened), timeout=5000)
    return m.opened[-1]


def test_reply_actions_follow_the_selection_and_say_why(composing):
    m = composing()
    w = m.window
    assert w.compose_action.isEnabled()
    for action in w.reply_actions:
        assert not action.isEnabled()
    select_rows(w, [0])
    assert all(a.isEnabled() for a in w.reply_actions)
    select_rows(w, [0, 1])
    assert not w.reply_action.isEnabled()
    assert w.disabled_reason(w.reply_action) == "เลือกข้อความเดียวเพื่อตอบกลับหรือส่งต่อ"


def test_the_actions_are_in_the_toolbar_menus_and_context_menu(composing):
    w = composing().window
    toolbar = set(w.toolbar.actions())
    assert {w.compose_action, w.reply_action, w.reply_all_action, w.forward_action} <= toolbar
    menu = set(w.message_menu.actions())
    assert set(w.reply_actions) | {w.compose_action} <= menu
    assert set(w.reply_actions) <= set(w.message_context_menu.actions())
    keys = {a.objectName(): a.shortcut().toString() for a in (w.compose_action, *w.reply_actions[:3])}
    assert keys == {"composeAction": "Ctrl+N", "replyAction": "Ctrl+R", "replyAllAction": "Ctrl+Shift+R",
                    "forwardAction": "Ctrl+L"}


def test_ctrl_n_opens_a_new_message_from_the_accounts_identity(composing, qtbot):
    m = composing()
    QTest.keyClick(m.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    composer = composer_of(m, qtbot)
    assert composer.from_combo.currentText() == "อลิสา ศรีสุข <alice@agency.go.th>"
    assert composer.session.draft.to == ""
    composer.session.close(keep=False)


def test_ctrl_r_replies_with_the_signature_above_the_quote_read_off_the_gui_thread(composing, qtbot, monkeypatch):
    m = composing(signature=True)
    threads: list[threading.Thread] = []
    real = compose_start.read_original

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(compose_start, "read_original", spy)
    select_uid(m.window, UID)
    QTest.keyClick(m.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    composer = composer_of(m, qtbot)
    assert threads and threads[0] is not threading.main_thread()
    draft = composer.session.draft
    assert draft.subject.startswith("Re: ")
    assert draft.to == "สารบรรณกลาง <saraban@agency.mail.go.th>"
    assert draft.in_reply_to == "<20260121080500.1111@agency.mail.go.th>"
    text = composer.body.plain_text()  # the rich body shows the quote as blocks; as text, "> " lines
    assert text.index("กรมทรัพยากรน้ำ") < text.index("เขียนว่า:") < text.index("> ")
    assert "> " not in composer.body.toPlainText()
    assert composer.secrecy_combo.currentData() is not None  # a classified original stays classified
    assert composer.rich_action.isChecked() and composer.format_bar.isEnabled()  # compose.rich_text
    composer.session.close(keep=False)


def test_ctrl_shift_r_and_ctrl_l(composing, qtbot):
    m = composing(body="08-attachment-pdf.eml")
    select_uid(m.window, UID)
    QTest.keyClick(m.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    forward = composer_of(m, qtbot)
    assert forward.session.draft.subject.startswith("Fwd: ")
    assert [a.content_type for a in forward.session.attachments] == ["application/pdf"]  # kept
    forward.session.close(keep=False)
    forward.close()
    with qtbot.waitActive(m.window):
        m.window.activateWindow()
    QTest.keyClick(m.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(m.opened) == 2)
    reply_all = m.opened[-1]
    assert reply_all.session.draft.subject.startswith("Re: ")
    assert "alice@agency.go.th" not in reply_all.session.draft.to + reply_all.session.draft.cc
    reply_all.session.close(keep=False)


def test_forward_as_attachment_and_edit_as_new(composing, qtbot):
    m = composing()
    select_uid(m.window, UID)
    m.window.forward_attachment_action.trigger()
    attached = composer_of(m, qtbot)
    assert [a.content_type for a in attached.session.attachments] == ["message/rfc822"]
    assert attached.session.read_attachment(attached.session.attachments[0]) == (
        DATA / "11-official-urgent-secret.eml").read_bytes()
    attached.session.close(keep=False)
    m.window.edit_as_new_action.trigger()
    qtbot.waitUntil(lambda: len(m.opened) == 2)
    again = m.opened[-1]
    assert not again.session.draft.subject.startswith(("Re:", "Fwd:"))
    assert again.session.draft.to == "alice@localhost"
    again.session.close(keep=False)


def test_a_message_not_downloaded_yet_is_fetched_and_the_user_told(composing, qtbot):
    m = composing(body=None)
    select_uid(m.window, UID)
    m.window.reply_action.trigger()
    qtbot.waitUntil(lambda: (m.inbox, UID) in m.sync.body_requests)
    qtbot.waitUntil(lambda: "ยังไม่ได้ดาวน์โหลด" in m.window.notice_label.text())
    assert m.opened == []


def test_a_mailto_link_and_files_open_a_filled_composer(composing, qtbot, tmp_path):
    from types import SimpleNamespace
    from urllib.parse import quote

    from govmail_desktop.mime.mailto import parse_mailto
    from govmail_desktop.wiring.compose import open_composer

    m = composing()
    document = tmp_path / "หนังสือ.pdf"
    document.write_bytes(b"%PDF-1.4\n")
    link = f"mailto:saraban@dwr.mail.go.th?subject={quote('ขอเชิญประชุม')}&cc=a@agency.go.th"
    open_composer(SimpleNamespace(composer=m.launcher, bridge=m.bridge), parse_mailto(link), [document])
    composer = composer_of(m, qtbot)
    qtbot.waitUntil(lambda: len(composer.session.attachments) == 1)
    draft = composer.session.draft
    assert (draft.to, draft.cc, draft.subject) == ("saraban@dwr.mail.go.th", "a@agency.go.th", "ขอเชิญประชุม")
    assert [a.filename for a in draft.attachments] == ["หนังสือ.pdf"]
    assert composer.to_field.official_label.isVisible()


def test_a_message_of_the_drafts_folder_opens_to_continue_it(composing, qtbot, monkeypatch):
    from govmail_desktop.core.compose import Draft
    from tests.unit.store.factories import summaries

    m = composing(signature=True)
    from govmail_desktop.core.entities import SpecialUse

    drafts_id = m.service.special_folder_id(SpecialUse.DRAFTS)
    m.cache.insert_summaries(drafts_id, summaries(1, 2))
    m.cache.set_folder_state(drafts_id, uidvalidity=77, uidnext=3, highestmodseq=1)
    asked = []
    monkeypatch.setattr(m.drafts, "open_server_draft", asked.append)
    m.service.select_folder(drafts_id)
    qtbot.waitUntil(lambda: m.window.message_view.model().rowCount() == 2)
    view = m.window.message_view
    view.activated.emit(view.model().index(0, 1))
    [ref] = asked
    assert (ref.folder, ref.uidvalidity, ref.uid) == ("Drafts", 77, view.model().uid_at(0))
    # What the drafts service fetched continues as it was (no second signature put in).
    saved = Draft.new("acct1", sender="อลิสา ศรีสุข <alice@agency.go.th>", to="b@agency.go.th",
                      subject="ร่างที่ค้างไว้", text="ข้อความที่เขียนไว้\n\n-- \nอลิสา\n", server_copy=ref)
    m.drafts.opened.emit(saved)
    composer = composer_of(m, qtbot)
    assert composer.session.draft.draft_id == saved.draft_id
    assert composer.body.toPlainText().count("อลิสา") == 1
    assert composer.subject_edit.text() == "ร่างที่ค้างไว้"
    m.drafts.opened.emit(saved)  # opened again: the same window comes forward
    assert len(m.launcher.windows) == 1
