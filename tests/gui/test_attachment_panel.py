"""The attachment panel under the preview (ui/attachment_panel.py): name, type icon, size, ⚠;
Open (read-only copy, risky types confirmed saying why, forbidden by policy), Save…, Save All…,
progress and Cancel while a part is fetched; keyboard reachable; attached messages open as
messages with their own attachments."""

from __future__ import annotations

import errno
import os
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QVBoxLayout, QWidget

from govmail_desktop.core.errors import Cancelled
from govmail_desktop.mime.parse import parse_message
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.policy.defaults import DEFAULT_BLOCKED_EXTENSIONS
from govmail_desktop.policy.model import AttachmentsSection
from govmail_desktop.services.attachments import AttachmentService, CachedMessageSource
from govmail_desktop.services.mailbox_types import PREVIEW_READY, PreviewResult
from tests.gui.mailbox_helpers import open_mailbox, select_uid  # noqa: F401 - fixture

pytestmark = pytest.mark.gui

DATA = Path(__file__).resolve().parents[1] / "data"
PDF_MAIL = (DATA / "08-attachment-pdf.eml").read_bytes()
DANGEROUS = (DATA / "09-dangerous-attachments.eml").read_bytes()
FORWARDED_WITH_FILE = (
    b"From: a@agency.go.th\nTo: b@agency.go.th\nSubject: Fwd\nMIME-Version: 1.0\n"
    b"Content-Type: multipart/mixed; boundary=\"out\"\n\n"
    b"--out\nContent-Type: text/plain; charset=utf-8\n\nsee below\n"
    b"--out\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=inner.eml\n\n"
    b"From: c@agency.go.th\nSubject: =?UTF-8?B?4Lir4LiZ4Lix4LiH4Liq4Li34Lit4LmA4Lin4Li14Lii4LiZ?=\n"
    b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"in\"\n\n"
    b"--in\nContent-Type: text/plain\n\ninner text\n"
    b"--in\nContent-Type: text/csv; name=\"table.csv\"\nContent-Disposition: attachment\n\n"
    b"a,b\n1,2\n"
    b"--in--\n"
    b"--out--\n"
)


def rules(open_blocked: str = "confirm") -> AttachmentRules:
    return AttachmentRules(AttachmentsSection(25, tuple(DEFAULT_BLOCKED_EXTENSIONS), open_blocked))


@pytest.fixture
def service(qtbot, tmp_path):
    svc = AttachmentService(tmp_path / "opened")
    yield svc
    svc.shutdown()


@pytest.fixture
def panel(qtbot, service, language_controller):
    from govmail_desktop.ui.attachment_panel import AttachmentPanel

    language_controller.apply("th")
    top = QWidget()
    qtbot.addWidget(top)
    widget = AttachmentPanel(top, service=service)
    widget.top = top  # kept alive with the panel
    widget.opened: list[Path] = []

    def open_url(url: QUrl) -> bool:
        widget.opened.append(Path(url.toLocalFile()))
        return True

    widget.open_url = open_url
    layout = QVBoxLayout(top)
    layout.addWidget(widget)
    top.resize(600, 300)
    top.show()
    return widget


def show(panel, raw: bytes, policy=None) -> None:
    panel.show_attachments(parse_message(raw).attachments, rules=policy or rules(), raw=raw)


def row_of(panel, name: str) -> int:
    return next(i for i, text in enumerate(panel.item_texts()) if name in text)


def choose(panel, path: Path) -> None:
    """Answer the file or folder dialog the panel opened with ``path``."""
    chooser = panel.pending
    assert isinstance(chooser, QFileDialog)
    chooser.fileSelected.emit(str(path))
    chooser.reject()


def settle(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: not panel.busy)


# ---------------------------------------------------------------- what is shown


def test_each_attachment_shows_its_name_size_icon_and_a_warning_for_risky_ones(panel):
    show(panel, DANGEROUS)
    assert panel.isVisible()
    assert panel.title.text() == "ไฟล์แนบ (3)"
    texts = panel.item_texts()
    assert texts[0].startswith("⚠ setup.exe (")
    assert texts[1].startswith("⚠ หนังสือ.pdf.exe (")
    assert texts[2].startswith("⚠ รายงาน<U+202E>fdp.exe (")  # the override shown, not obeyed
    for i in range(3):
        item = panel.list.item(i)
        assert not item.icon().isNull()
        assert "นโยบาย" in item.toolTip()  # says why
    assert ".exe" in panel.list.item(1).toolTip() and ".pdf" in panel.list.item(1).toolTip()


def test_a_plain_pdf_has_no_warning_and_its_type_icon(panel):
    show(panel, PDF_MAIL)
    (text,) = panel.item_texts()
    assert text == "หนังสือเชิญประชุม.pdf (808 B)"
    assert "PDF" in panel.list.item(0).toolTip()


def test_the_type_comes_from_the_name_not_the_senders_content_type(panel):
    show(panel, DANGEROUS)
    tip = panel.list.item(1).toolTip()  # หนังสือ.pdf.exe sent as application/pdf
    assert "PDF document" not in tip and "เอกสาร PDF" not in tip


def test_a_stream_name_shows_the_type_it_is_saved_as(panel):
    """NTFS stream syntax (issue 15): "report.pdf:evil.exe" is saved as "report.pdf_evil.exe",
    an executable (blocked, and the name hides its type), "invoice.exe::$DATA" as
    "invoice.exe" although sent as a PDF; "ประชุม 10:30.pdf" stays a PDF."""
    raw = (b"From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
           b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
           b"filename=\"report.pdf:evil.exe\"\n\nx\n"
           b"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; "
           b"filename=\"invoice.exe::$DATA\"\n\nx\n"
           b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
           b"filename=\"=?UTF-8?B?4Lib4Lij4Liw4LiK4Li44LihIDEwOjMwLnBkZg==?=\"\n\nx\n--b--\n")
    show(panel, raw)
    report, invoice, meeting = panel.item_texts()
    assert report.startswith("⚠ report.pdf:evil.exe (") and invoice.startswith("⚠ invoice.exe::$DATA (")
    assert meeting.startswith("ประชุม 10:30.pdf (")
    for row in (0, 1):
        tip = panel.list.item(row).toolTip()
        assert "PDF document" not in tip and "เอกสาร PDF" not in tip
        assert ".exe" in tip  # the policy's reason names the real type
    assert "PDF" in panel.list.item(2).toolTip()


def test_no_attachments_hides_the_panel(panel):
    show(panel, PDF_MAIL)
    panel.show_attachments(())
    assert not panel.isVisible()


def test_hostile_names_are_shown_as_text(panel):
    raw = (b"From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
           b"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; "
           b"filename=\"<img src='/tmp/x.png'><b>x</b>.pdf\"\n\nx\n--b--\n")
    show(panel, raw)
    assert "<img src='/tmp/x.png'><b>x</b>.pdf" in panel.item_texts()[0]
    assert "&lt;img" in panel.list.item(0).toolTip()  # escaped for the tooltip's rich text


# ---------------------------------------------------------------- keyboard


def test_the_panel_is_reached_with_tab_and_enter_opens(panel, qtbot):
    show(panel, PDF_MAIL)
    top = panel.window()
    with qtbot.waitActive(top):
        top.activateWindow()
    panel.list.setFocus()
    assert panel.list.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(panel.opened) == 1)
    qtbot.keyClick(panel.list, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.open_button
    qtbot.keyClick(panel.open_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.save_button


# ---------------------------------------------------------------- open


@pytest.mark.linux_only  # permission bits
def test_open_hands_a_read_only_copy_to_the_system(panel, qtbot, service):
    show(panel, PDF_MAIL)
    panel.open_current()
    qtbot.waitUntil(lambda: len(panel.opened) == 1)
    (path,) = panel.opened
    assert path.read_bytes().startswith(b"%PDF")
    assert service.copies.root in path.parents
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IRUSR
    assert "อ่านอย่างเดียว" in panel.status.text()
    service.shutdown()
    assert not path.exists()


def test_opening_a_risky_file_asks_first_naming_why_and_cancel_opens_nothing(panel, qtbot):
    show(panel, DANGEROUS)
    panel.list.setCurrentRow(row_of(panel, "หนังสือ.pdf.exe"))
    panel.open_current()
    box = panel.pending
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert ".exe" in box.text() and ".pdf" in box.text() and "นโยบาย" in box.text()
    assert box.defaultButton() is box.escapeButton()  # Cancel is the default
    box.escapeButton().click()
    qtbot.waitUntil(lambda: not box.isVisible())
    qtbot.wait(50)
    assert panel.opened == []


def test_opening_a_risky_file_after_confirming_opens_it(panel, qtbot):
    show(panel, DANGEROUS)
    panel.list.setCurrentRow(row_of(panel, "<U+202E>"))
    panel.open_current()
    box = panel.pending
    assert "<U+202E>" in box.text()
    (open_anyway,) = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole]
    open_anyway.click()
    qtbot.waitUntil(lambda: len(panel.opened) == 1)
    assert panel.opened[0].name == "รายงานfdp.exe"


def test_forbid_refuses_opening_and_still_saves(panel, qtbot, tmp_path):
    show(panel, DANGEROUS, rules("forbid"))
    panel.list.setCurrentRow(0)
    assert not panel.open_button.isEnabled()
    assert "นโยบาย" in panel.list.item(0).toolTip()
    panel.open_attachment(panel.current())  # Enter, the menu: refused all the same
    box = panel.pending
    assert isinstance(box, QMessageBox) and "นโยบาย" in box.text() and "บันทึก" in box.text()
    box.accept()
    qtbot.wait(50)
    assert panel.opened == []
    assert panel.save_button.isEnabled()
    panel.save_current()
    choose(panel, tmp_path / "setup.exe")
    settle(qtbot, panel)
    assert (tmp_path / "setup.exe").read_bytes().startswith(b"MZ")


# ---------------------------------------------------------------- save


def test_save_through_the_dialog_proposes_the_safe_name_and_saves(panel, qtbot, tmp_path):
    show(panel, DANGEROUS)
    panel.list.setCurrentRow(row_of(panel, "<U+202E>"))
    chooser = panel.save_current()
    assert chooser.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert chooser.selectedFiles()[0].endswith("รายงานfdp.exe")  # the override removed: the real .exe shows
    choose(panel, tmp_path / "รายงานfdp.exe")
    settle(qtbot, panel)
    assert (tmp_path / "รายงานfdp.exe").is_file()
    assert str(tmp_path / "รายงานfdp.exe") in panel.status.text()
    again = panel.save_current()  # the next dialog opens where the last file went
    assert Path(again.directory().absolutePath()) == tmp_path
    again.reject()


def test_save_all_to_a_folder_numbers_collisions_and_overwrites_nothing(panel, qtbot, tmp_path):
    (tmp_path / "setup.exe").write_bytes(b"mine")
    show(panel, DANGEROUS)
    chooser = panel.save_all()
    assert chooser.fileMode() == QFileDialog.FileMode.Directory
    choose(panel, tmp_path)
    settle(qtbot, panel)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["setup.exe", "setup (2).exe", "หนังสือ.pdf.exe", "รายงานfdp.exe"]
    )
    assert (tmp_path / "setup.exe").read_bytes() == b"mine"
    assert "3" in panel.status.text() and "setup (2).exe" in panel.status.text()


def test_a_full_disk_shows_a_clear_message_and_leaves_no_file(panel, qtbot, tmp_path, monkeypatch):
    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    show(panel, PDF_MAIL)
    panel.save_current()
    choose(panel, tmp_path / "a.pdf")
    settle(qtbot, panel)
    assert "พื้นที่" in panel.status.text() and panel.status.isVisible()
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_shows_a_clear_message(panel, qtbot, tmp_path, monkeypatch):
    real_open = os.open

    def refuse(path, flags, *args):
        if Path(path).parent == tmp_path:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse)
    show(panel, DANGEROUS)
    panel.save_all()
    choose(panel, tmp_path)
    settle(qtbot, panel)
    assert "โฟลเดอร์" in panel.status.text() and str(tmp_path) in panel.status.text()
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- a part fetched on demand


class Cache:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def get_part(self, folder_id, uid, part):
        return self.raw

    def close_thread(self) -> None:
        pass


class GatedFetcher:
    """Hands out the part in chunks, each after the test lets it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.step = threading.Semaphore(0)

    def fetch(self, folder_id, uid, part, *, on_progress, cancelled):
        got = b""
        while len(got) < len(self.data):
            self.step.acquire(timeout=5)
            if cancelled():
                raise Cancelled()
            got += self.data[len(got) : len(got) + len(self.data) // 4]
            on_progress(len(got), len(self.data))
        return got


def not_downloaded(raw: bytes):
    attachments = []
    for attachment in parse_message(raw).attachments:
        changed = replace(attachment)
        object.__setattr__(changed, "downloaded", False)
        attachments.append(changed)
    return attachments


def test_a_fetch_shows_progress_and_cancel_stops_it(panel, qtbot, tmp_path):
    fetcher = GatedFetcher(b"%PDF" + b"x" * 4000)
    panel.source_for = lambda folder_id, uid: CachedMessageSource(Cache(PDF_MAIL), folder_id, uid, fetcher)
    panel.show_attachments(not_downloaded(PDF_MAIL), rules=rules(), folder_id=1, uid=5)
    assert "ยังไม่ได้ดาวน์โหลด" in panel.list.item(0).toolTip()
    panel.save_to(panel.current(), tmp_path / "a.pdf")
    fetcher.step.release()
    qtbot.waitUntil(lambda: panel.progress.isVisible() and panel.progress.value() > 0)
    assert panel.cancel_button.isVisible()
    assert panel.progress.maximum() == 1000 and panel.progress.value() == 250
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    fetcher.step.release()
    settle(qtbot, panel)
    assert not panel.progress.isVisible() and not panel.cancel_button.isVisible()
    assert panel.status.text() == "ยกเลิกแล้ว"
    assert list(tmp_path.iterdir()) == []


def test_a_fetch_that_finishes_saves_the_fetched_bytes(panel, qtbot, tmp_path):
    fetcher = GatedFetcher(b"%PDF" + b"y" * 4000)
    panel.source_for = lambda folder_id, uid: CachedMessageSource(Cache(PDF_MAIL), folder_id, uid, fetcher)
    panel.show_attachments(not_downloaded(PDF_MAIL), rules=rules(), folder_id=1, uid=5)
    panel.save_to(panel.current(), tmp_path / "a.pdf")
    for _ in range(5):
        fetcher.step.release()
    settle(qtbot, panel)
    assert (tmp_path / "a.pdf").read_bytes() == fetcher.data


def test_without_a_source_the_panel_says_the_files_are_not_here(panel, tmp_path):
    panel.show_attachments(parse_message(PDF_MAIL).attachments, rules=rules(), folder_id=1, uid=5)
    panel.save_to(panel.current(), tmp_path / "a.pdf")
    assert "ไม่" in panel.status.text() and not panel.busy


# ---------------------------------------------------------------- attached messages


def test_an_attached_message_opens_as_a_message(panel, qtbot):
    shown: list[tuple[bytes, str]] = []
    panel.open_message = lambda raw, title: shown.append((raw, title))
    show(panel, FORWARDED_WITH_FILE)
    row = panel.item_texts()[0]
    assert row.startswith("จดหมาย “หนังสือเวียน” (inner.eml, ")
    panel.list.setCurrentRow(0)
    panel.open_current()
    qtbot.waitUntil(lambda: len(shown) == 1)
    raw, title = shown[0]
    assert title == "หนังสือเวียน"
    inner = parse_message(raw)
    assert [a.filename for a in inner.attachments] == ["table.csv"]
    assert panel.opened == []  # never handed to another program


def test_an_attached_message_opens_in_the_message_window_with_its_own_attachments(panel, qtbot, tmp_path):
    from govmail_desktop.ui import message_window
    from govmail_desktop.wiring.attachments import window_source

    hook = lambda pane, window: setattr(  # noqa: E731 - what attach_attachment_panels joins
        pane.attachment_panel, "source_for", lambda f, u: window_source(window, None, f, u))
    message_window.REGISTRY.pane_hooks.append(hook)
    try:
        show(panel, FORWARDED_WITH_FILE)
        panel.list.setCurrentRow(0)
        panel.open_current()
        qtbot.waitUntil(lambda: any(w.isVisible() for w in message_window.REGISTRY.windows))
        (window,) = [w for w in message_window.REGISTRY.windows if w.isVisible()]
        inner_panel = window.pane.attachment_panel
        qtbot.waitUntil(lambda: inner_panel.item_texts() != [])
        assert inner_panel.item_texts()[0].startswith("table.csv")
        inner_panel.service = panel.service
        inner_panel.save_to(inner_panel.current(), tmp_path / "table.csv")
        qtbot.waitUntil(lambda: (tmp_path / "table.csv").exists() and not inner_panel.busy)
        assert (tmp_path / "table.csv").read_bytes().replace(b"\r\n", b"\n") == b"a,b\n1,2"
    finally:
        message_window.REGISTRY.pane_hooks.remove(hook)
        message_window.REGISTRY.close_all()


# ---------------------------------------------------------------- in the preview pane


def test_the_preview_pane_shows_the_panel_with_the_policys_rules(qtbot, language_controller):
    from govmail_desktop.ui.preview_pane import PreviewPane

    language_controller.apply("th")
    pane = PreviewPane(attachment_rules=rules())
    qtbot.addWidget(pane)
    pane.show()
    pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(DANGEROUS)))
    panel = pane.attachment_panel
    assert panel.isVisible() and len(panel.item_texts()) == 3
    assert "ไฟล์แนบ: ⚠ setup.exe" in panel.summary_text()
    pane.show_result(PreviewResult(PREVIEW_READY, 1, 2, None, parse_message(b"From: a@x\nSubject: s\n\nhi\n")))
    assert not panel.isVisible()


def test_the_main_windows_preview_saves_from_the_accounts_cache(open_mailbox, qtbot, tmp_path):
    from govmail_desktop.wiring.attachments import attach_attachment_panels
    from tests.gui.test_mailbox_window import with_sample_body

    m = open_mailbox(5, fill_cache=with_sample_body(700, "09-dangerous-attachments.eml"))
    stop = attach_attachment_panels(m.window.preview_view, m.mailboxes, tmp_path / "opened")
    try:
        select_uid(m.window, 700)
        qtbot.waitUntil(lambda: m.window.preview_view.state == PREVIEW_READY)
        panel = m.window.preview_view.attachment_panel
        assert panel.isVisibleTo(m.window) and len(panel.item_texts()) == 3
        target = tmp_path / "saved"
        target.mkdir()
        panel.save_all_to(target)
        qtbot.waitUntil(lambda: not panel.busy)
        assert sorted(p.name for p in target.iterdir()) == sorted(["setup.exe", "หนังสือ.pdf.exe", "รายงานfdp.exe"])
        assert (target / "setup.exe").read_bytes().startswith(b"MZ This is NOT a program")
    finally:
        stop()
    assert not any((tmp_path / "opened").rglob("*.*"))


def test_a_save_ending_after_its_window_closed_still_saves_and_shows_nothing(qtbot, service, tmp_path):
    from govmail_desktop.ui.attachment_panel import AttachmentPanel

    top = QWidget()
    panel = AttachmentPanel(top, service=service)
    fetcher = GatedFetcher(b"%PDF" + b"z" * 400)
    panel.source_for = lambda folder_id, uid: CachedMessageSource(Cache(PDF_MAIL), folder_id, uid, fetcher)
    panel.show_attachments(not_downloaded(PDF_MAIL), rules=rules(), folder_id=1, uid=5)
    panel.save_to(panel.current(), tmp_path / "a.pdf")
    top.deleteLater()
    qtbot.waitUntil(lambda: not top.isVisible())
    qtbot.wait(20)
    for _ in range(5):
        fetcher.step.release()
    qtbot.waitUntil(lambda: service.worker.pending == 0)
    assert (tmp_path / "a.pdf").read_bytes() == fetcher.data


def test_files_sit_side_by_side_and_wrap_up_to_a_few_lines(panel, qtbot):
    from govmail_desktop.ui.attachment_panel import MAX_VISIBLE_ROWS

    show(panel, DANGEROUS)
    qtbot.waitUntil(lambda: panel.list.height() < 2.5 * panel.list.sizeHintForRow(0))  # one line of three
    one_line = panel.list.height()
    one = b"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"report-%d.pdf\"\n\nx\n"
    many = (b"From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
            + b"".join(one % i for i in range(40)) + b"--b--\n")
    show(panel, many)
    qtbot.waitUntil(lambda: panel.list.height() > one_line)
    row = panel.list.sizeHintForRow(0)
    assert panel.list.height() <= MAX_VISIBLE_ROWS * (row + 2 * panel.list.spacing()) + 2 * panel.list.frameWidth() + 2
    panel.list.setCurrentRow(39)
    qtbot.keyClick(panel.list, Qt.Key.Key_Home)
    assert panel.list.currentRow() == 0
