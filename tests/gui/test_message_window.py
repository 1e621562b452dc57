"""A message in its own window (issue 12, item 6): opened by double click and Enter, Previous /
Next following the list, Reply / Delete from the window, Print to PDF with its Thai text, Save as
.eml, the source (bounded, read-only) and the full headers; attached messages and .eml files."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from govmail_desktop.mime.headers import header_section
from govmail_desktop.mime.parse import parse_message, part_bytes
from govmail_desktop.services import message_export
from govmail_desktop.services.mailbox_types import BODY_PART, PREVIEW_READY
from govmail_desktop.ui import message_window as message_window_module
from govmail_desktop.ui.message_window import REGISTRY, MessageWindow, TextView
from govmail_desktop.ui.message_window_controller import MessageWindowController
from tests.gui.mailbox_helpers import DATA, open_mailbox, row_of, select_uid  # noqa: F401
from tests.gui.test_compose_actions import UID, composing  # noqa: F401

PDFTOTEXT_MISSING = (
    "pdftotext is not installed: the PDF export cannot be checked. `make test` installs it "
    "(Debian package poppler-utils, via tools/install-system-deps.sh test); a missing one is a set-up "
    "bug, not a reason to skip."
)
THAI_BODY = "11-official-urgent-secret.eml"


@pytest.fixture
def windows(composing, qtbot):
    """The main window with its mailbox, the composer and the message windows joined as the
    app joins them; UID 4 holds a Thai official message, UIDs 5 and 3 other cached ones."""

    def make(**options):
        m = composing(**options)
        m.cache.put_part(m.inbox, UID + 1, BODY_PART, (DATA / "01-utf8-qp.eml").read_bytes())
        m.cache.put_part(m.inbox, UID - 1, BODY_PART, (DATA / "03-tis620-8bit.eml").read_bytes())
        m.messages = MessageWindowController(m.window, lambda: m.mailboxes.controller, m.launcher, bridge=m.bridge)
        m.opened_windows = []
        m.messages.opened.connect(m.opened_windows.append)
        return m

    yield make
    REGISTRY.close_all()


def ready(window: MessageWindow) -> bool:
    return window.result is not None and window.result.state == PREVIEW_READY and window.raw is not None


def opened(m, qtbot, count: int = 1) -> MessageWindow:
    qtbot.waitUntil(lambda: len(m.opened_windows) == count, timeout=5000)
    window = m.opened_windows[-1]
    qtbot.waitUntil(lambda: ready(window), timeout=5000)
    return window


def double_click(m, uid: int) -> None:
    view = m.window.message_view
    row = select_uid(m.window, uid)
    point = view.visualRect(view.model().index(row, 0)).center()
    # A real double click: press, release, then the double-click event on the same row.
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


# ---------------------------------------------------------------- opening


def test_double_click_opens_the_message_in_its_own_window(windows, qtbot):
    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    original = parse_message((DATA / THAI_BODY).read_bytes())
    assert window.uid == UID and window.isVisible()
    assert window.pane.subject_label.text() == original.subject
    assert window.windowTitle().startswith(original.subject)
    assert "สำนักงานปลัดสำนักนายกรัฐมนตรี" in window.pane.body.toPlainText()
    assert window.raw == (DATA / THAI_BODY).read_bytes()
    assert not window.testAttribute(Qt.WidgetAttribute.WA_QuitOnClose)  # never keeps the program running
    toolbar = {a.objectName() for a in window.toolbar.actions() if a.objectName()}
    assert {"windowReplyAction", "windowReplyAllAction", "windowForwardAction", "windowDeleteAction",
            "previousAction", "nextAction", "printAction", "exportPdfAction", "saveEmlAction",
            "viewSourceAction", "viewHeadersAction"} <= toolbar
    assert window.reply_action.text().startswith("ตอบกลับ")


def test_enter_opens_the_message_and_esc_closes_the_window(windows, qtbot):
    m = windows()
    select_uid(m.window, UID)
    m.window.message_view.setFocus()
    QTest.keyClick(m.window.message_view, Qt.Key.Key_Return)
    window = opened(m, qtbot)
    assert window.uid == UID
    with qtbot.waitActive(window):
        window.activateWindow()
    with qtbot.waitSignal(window.closed, timeout=3000):
        QTest.keyClick(window, Qt.Key.Key_Escape)
    assert m.messages.windows == [] and REGISTRY.windows == []


def test_a_message_already_open_is_brought_forward_not_opened_twice(windows, qtbot):
    m = windows()
    double_click(m, UID)
    first = opened(m, qtbot)
    double_click(m, UID)
    qtbot.wait(50)
    assert m.opened_windows == [first] and m.messages.windows == [first]


def test_a_draft_still_opens_in_the_composer_not_in_a_message_window(windows, qtbot):
    from tests.unit.store.factories import summary

    m = windows()
    drafts = m.cache.folder_id("Drafts")
    m.cache.insert_summaries(drafts, [summary(1)])
    m.service.select_folder(drafts)
    qtbot.waitUntil(lambda: m.window.message_view.model().rowCount() == 1)
    asked = []
    m.drafts.open_server_draft = asked.append
    double_click(m, 1)
    qtbot.waitUntil(lambda: bool(asked))
    assert m.opened_windows == [] and m.messages.windows == []


def test_a_body_not_downloaded_yet_is_fetched_and_shown_when_it_arrives(windows, qtbot):
    m = windows()
    m.sync.connection_state.emit("online")
    double_click(m, 7)
    qtbot.waitUntil(lambda: len(m.opened_windows) == 1)
    window = m.opened_windows[0]
    qtbot.waitUntil(lambda: (m.inbox, 7) in m.sync.body_requests)
    assert window.raw is None and not window.save_action.isEnabled() and not window.source_action.isEnabled()
    m.sync.deliver_body(m.inbox, 7, (DATA / "02-utf8-base64.eml").read_bytes())
    qtbot.waitUntil(lambda: ready(window), timeout=5000)
    assert window.save_action.isEnabled() and window.uid == 7


# ---------------------------------------------------------------- previous / next, reply, delete


def test_next_and_previous_move_the_list_selection_and_the_window_follows(windows, qtbot):
    m = windows()
    double_click(m, UID + 1)
    window = opened(m, qtbot)
    view = m.window.message_view
    assert window.next_action.isEnabled() and window.previous_action.isEnabled()
    window.next_action.trigger()  # the list is newest first: the next row is the older message
    qtbot.waitUntil(lambda: window.uid == UID and ready(window), timeout=5000)
    assert view.model().uid_at(view.currentIndex().row()) == UID
    assert "สำนักงานปลัดสำนักนายกรัฐมนตรี" in window.pane.body.toPlainText()
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_B)  # Thunderbird's key for the previous message
    qtbot.waitUntil(lambda: window.uid == UID + 1 and ready(window), timeout=5000)
    assert view.model().uid_at(view.currentIndex().row()) == UID + 1
    QTest.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: window.uid == UID, timeout=5000)


def test_previous_and_next_stop_at_the_ends_and_need_the_window_s_folder_shown(windows, qtbot):
    m = windows()
    model = m.window.message_view.model()
    newest = model.uid_at(0)
    m.cache.put_part(m.inbox, newest, BODY_PART, (DATA / "01-utf8-qp.eml").read_bytes())
    double_click(m, newest)
    window = opened(m, qtbot)
    assert not window.previous_action.isEnabled() and window.next_action.isEnabled()
    m.service.select_folder(m.cache.folder_id("Sent"))
    qtbot.waitUntil(lambda: not window.next_action.isEnabled(), timeout=5000)
    assert not window.delete_action.isEnabled()
    assert window.reply_action.isEnabled()  # a reply reads the message from the cache, wherever the list is


def test_reply_from_the_window_opens_the_composer_for_that_message(windows, qtbot):
    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    select_uid(m.window, UID + 1)  # the list has moved on: the window's message counts
    window.reply_action.trigger()
    qtbot.waitUntil(lambda: len(m.opened) == 1, timeout=5000)
    draft = m.opened[-1].session.draft
    assert draft.in_reply_to == "<20260121080500.1111@agency.mail.go.th>"
    assert draft.subject.startswith("Re: ")
    m.opened[-1].session.close(keep=False)
    window.forward_action.trigger()
    qtbot.waitUntil(lambda: len(m.opened) == 2, timeout=5000)
    assert m.opened[-1].session.draft.subject.startswith("Fwd: ")
    m.opened[-1].session.close(keep=False)


def test_delete_from_the_window_deletes_its_message_and_shows_the_next(windows, qtbot):
    m = windows()
    double_click(m, UID + 1)
    window = opened(m, qtbot)
    select_uid(m.window, 9)  # elsewhere in the list: the window's message is the one deleted
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: row_of(m.window, UID + 1) is None, timeout=5000)
    op = m.sync.applied[-1]
    assert op.uids == (UID + 1,) and not op.permanent and row_of(m.window, 9) is not None
    qtbot.waitUntil(lambda: window.uid == UID and ready(window), timeout=5000)  # the one that took its place
    assert "สำนักงานปลัดสำนักนายกรัฐมนตรี" in window.pane.body.toPlainText()


def test_delete_in_the_trash_asks_over_the_window_and_no_keeps_it(windows, qtbot):
    from tests.unit.store.factories import summary

    m = windows()
    trash = m.cache.folder_id("Trash")
    m.cache.insert_summaries(trash, [summary(2)])
    m.cache.put_part(trash, 2, BODY_PART, (DATA / "01-utf8-qp.eml").read_bytes())
    m.service.select_folder(trash)
    qtbot.waitUntil(lambda: m.window.message_view.model().rowCount() == 1)
    double_click(m, 2)
    window = opened(m, qtbot)
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert box.objectName() == "confirmDeleteBox" and box.parent() is window and "ถาวร" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.wait(50)
    assert row_of(m.window, 2) is not None and window.isVisible() and m.sync.applied == []
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    with qtbot.waitSignal(window.closed, timeout=5000):  # nothing left in the folder: the window closes
        QApplication.activeModalWidget().button(QMessageBox.StandardButton.Yes).click()
    assert m.sync.applied[-1].permanent


# ---------------------------------------------------------------- print / PDF, .eml, source, headers


def pdf_text(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail(PDFTOTEXT_MISSING, pytrace=False)
    result = subprocess.run([tool, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                            timeout=60, check=True)
    return result.stdout


_THAI_MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


def comparable(text: str) -> str:
    """Text as a PDF gives it back: ำ as ํ + า (the shaper splits it), the marks over one
    letter in one order, without blanks and line breaks (a long line wraps on paper)."""
    text = unicodedata.normalize("NFKD", text)
    out: list[str] = []
    marks: list[str] = []
    for ch in text:
        if ch in _THAI_MARKS:
            marks.append(ch)
            continue
        out.extend(sorted(marks))
        marks = []
        out.append(ch)
    out.extend(sorted(marks))
    return "".join("".join(out).split())


def test_comparable_text_keeps_what_a_pdf_reader_must_find():
    assert comparable("น้ำท่วม") == comparable("น\u0e4d\u0e49\u0e32ท่วม")  # as pdftotext gives it
    assert comparable("ที่") != comparable("ที")  # a lost tone mark is still a difference


@pytest.mark.linux_only  # pdftotext (poppler-utils, installed by make test)
def test_pdf_export_of_a_thai_message_holds_the_thai_text(windows, qtbot, tmp_path):
    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    target = tmp_path / "หนังสือ.pdf"
    window.ask_save_path = lambda caption, name, pattern: str(target)
    with qtbot.waitSignal(window.file_saved, timeout=30000) as saved:
        window.pdf_action.trigger()
    assert saved.args == [str(target)] and target.read_bytes().startswith(b"%PDF")
    text = comparable(pdf_text(target))
    parsed = window.parsed
    assert comparable(parsed.subject) in text
    for line in (line for line in parsed.text.splitlines() if line.strip()):
        assert comparable(line) in text, line
    assert "saraban@agency.mail.go.th" in text


def test_print_content_is_plain_strings_with_the_captions_translated(windows, qtbot):
    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    content = window.print_content()
    assert content.headers[0][0] == "จาก:" and "saraban@agency.mail.go.th" in content.headers[0][1]
    assert content.body == window.parsed.text


def test_save_as_eml_writes_exactly_the_cached_bytes_off_the_gui_thread(windows, qtbot, tmp_path, monkeypatch):
    import threading

    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    suggested = []
    threads = []
    real = message_export.write_copy

    def spy(path, data):
        threads.append(threading.current_thread())
        return real(path, data)

    monkeypatch.setattr(message_export, "write_copy", spy)

    def ask(caption, name, pattern):
        suggested.append(name)
        return str(tmp_path / "saved.eml")

    window.ask_save_path = ask
    with qtbot.waitSignal(window.file_saved, timeout=5000):
        window.save_action.trigger()
    assert (tmp_path / "saved.eml").read_bytes() == (DATA / THAI_BODY).read_bytes()
    assert threads and threads[0] is not threading.main_thread()
    assert suggested[0].endswith(".eml") and "/" not in suggested[0]
    assert [p.name for p in tmp_path.iterdir()] == ["saved.eml"]  # no temporary file left behind


def test_a_save_that_fails_says_why(windows, qtbot, tmp_path):
    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    with qtbot.waitSignal(window.failed, timeout=5000) as failed:
        window.save_eml_to(tmp_path / "no-such-folder" / "x.eml")
    assert failed.args[0].startswith("บันทึกจดหมายไม่ได้")
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    box.close()


def test_view_source_is_read_only_and_bounded(windows, qtbot):
    m = windows()
    big = (DATA / "03-tis620-8bit.eml").read_bytes() + b"\n" + (b"x" * 998 + b"\n") * 3000  # 3 MB
    m.cache.put_part(m.inbox, UID, BODY_PART, big)
    double_click(m, UID)
    window = opened(m, qtbot)
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(TextView, "messageSourceView") is not None, timeout=5000)
    view = window.findChild(TextView, "messageSourceView")
    assert view.text.isReadOnly()
    shown = view.text.toPlainText()
    assert len(shown.encode("utf-8")) <= message_export.MAX_SOURCE_BYTES + 1024 * 1024  # Thai is 3 bytes in UTF-8
    assert "Subject: =?" in shown  # the raw header, its encoded words not decoded
    assert parse_message((DATA / "03-tis620-8bit.eml").read_bytes()).text.splitlines()[0] in shown  # TIS-620 read
    assert view.notice.isVisible() and "2.0 MB" in view.notice.text() and "2.9 MB" in view.notice.text()


def test_source_text_shows_hidden_characters_and_reads_each_line_in_its_charset():
    raw = ("Subject: x\r\n\r\nสวัสดี\r\n".encode() + "ทดสอบ".encode("cp874") + b"\r\nbad\x1b[31m \xe2\x80\xae evil\r\n")
    source = message_export.source_text(raw)
    assert source.text.split("\n") == ["Subject: x", "", "สวัสดี", "ทดสอบ", "bad<U+001B>[31m <U+202E> evil", ""]
    assert not source.cut
    cut = message_export.source_text(b"a\n" * 100, limit=11)
    assert cut.cut and cut.shown == 10 and cut.total == 200 and cut.text == "a\n" * 5


def test_headers_view_lists_every_field_decoded(windows, qtbot):
    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    window.headers_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(TextView, "messageHeadersView") is not None, timeout=5000)
    text = window.findChild(TextView, "messageHeadersView").text.toPlainText()
    lines = text.splitlines()
    header = header_section((DATA / THAI_BODY).read_bytes()).replace(b"\r\n", b"\n")
    raw_names = [line.split(b":", 1)[0].decode() for line in header.split(b"\n") if line[:1] not in (b" ", b"\t")]
    assert [line.split(":", 1)[0] for line in lines] == raw_names
    subject = next(line for line in lines if line.startswith("Subject:"))
    assert subject == "Subject: " + window.parsed.subject


def test_header_rows_are_bounded_and_show_hidden_characters():
    rows, cut = message_export.header_rows(b"Subject: =?UTF-8?B?4oCuZXhlLnBkZg==?=\r\nX-A: 1\r\n\r\nbody")
    assert rows == [("Subject", "<U+202E>exe.pdf"), ("X-A", "1")] and not cut
    many = b"".join(b"X-%d: v\r\n" % i for i in range(message_export.MAX_HEADER_FIELDS + 5)) + b"\r\n"
    rows, cut = message_export.header_rows(many)
    assert cut and len(rows) == message_export.MAX_HEADER_FIELDS


# ---------------------------------------------------------------- messages that are not in a folder


def test_show_raw_opens_an_attached_message_without_list_actions(qtbot):
    outer = (DATA / "10-forwarded-rfc822.eml").read_bytes()
    part = next(a.part for a in parse_message(outer).attachments if a.subject is not None)
    inner = part_bytes(outer, part)
    window = MessageWindow.show_raw(inner, "forwarded.eml")
    try:
        qtbot.waitUntil(lambda: ready(window), timeout=5000)
        expected = parse_message(inner)
        assert window.pane.subject_label.text() == expected.subject and expected.subject
        assert "building@agency.mail.go.th" in window.pane.from_label.text()
        assert window.pane.body.toPlainText().strip() == expected.text.strip()
        assert window.uid is None
        for action in window.list_actions:
            assert not action.isVisible() and not action.isEnabled()
        assert window.save_action.isEnabled() and window.source_action.isEnabled()
        assert window in REGISTRY.windows
    finally:
        REGISTRY.close_all()
    assert REGISTRY.windows == []


def test_file_open_message_opens_an_eml_file(windows, qtbot, tmp_path):
    m = windows()
    path = tmp_path / "ขอเชิญประชุม.eml"
    path.write_bytes((DATA / "03-tis620-8bit.eml").read_bytes())
    assert m.messages.open_file_action in m.window.file_menu.actions()
    assert m.messages.open_file_action.text().startswith("เปิดจดหมาย")
    m.messages.ask_open_path = lambda: str(path)
    m.messages.open_file_action.trigger()
    qtbot.waitUntil(lambda: len(m.opened_windows) == 1, timeout=5000)
    window = m.opened_windows[0]
    qtbot.waitUntil(lambda: ready(window), timeout=5000)
    assert window.parsed.subject == parse_message(path.read_bytes()).subject
    assert not window.listed


def test_message_windows_close_at_shutdown(windows, qtbot):
    m = windows()
    double_click(m, UID)
    first = opened(m, qtbot)
    second = MessageWindow.show_raw((DATA / "01-utf8-qp.eml").read_bytes())
    qtbot.waitUntil(lambda: ready(second), timeout=5000)
    m.messages.shutdown()
    assert not first.isVisible() and not second.isVisible()
    assert REGISTRY.windows == [] and m.messages.windows == []
    assert message_window_module.REGISTRY._worker is None


def test_ctrl_p_asks_for_a_printer_without_blocking(windows, qtbot):
    from PySide6.QtPrintSupport import QPrintDialog

    m = windows()
    double_click(m, UID)
    window = opened(m, qtbot)
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # returns: no nested event loop
    dialog = window.findChild(QPrintDialog)
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "พิมพ์จดหมาย"
    dialog.reject()
    assert window._printing == []


def test_the_window_reads_its_message_as_the_preview_does_with_the_folder_s_role(windows, qtbot):
    """The Junk rules (no remote content there) see the window's message as the preview's."""
    from govmail_desktop.core.entities import SpecialUse
    from tests.unit.store.factories import summary

    m = windows()
    junk = m.cache.folder_id("Junk")
    m.cache.insert_summaries(junk, [summary(3)])
    m.cache.put_part(junk, 3, BODY_PART, (DATA / "07-html-remote-images.eml").read_bytes())
    m.service.select_folder(junk)
    qtbot.waitUntil(lambda: m.window.message_view.model().rowCount() == 1)
    double_click(m, 3)
    window = opened(m, qtbot)
    assert window.result.folder_role == SpecialUse.JUNK
