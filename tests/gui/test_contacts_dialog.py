"""The contacts dialog: list, add/edit/delete, import with a report of what was skipped, export."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from govmail_desktop.store.addressbook import AddressBook
from govmail_desktop.store.contact_io import read_csv, read_vcards
from govmail_desktop.store.contacts import Contact
from govmail_desktop.ui.contacts_dialog import CSV_KIND, VCARD4_KIND, ContactEditDialog, ContactsDialog

THAI = "\u0e00-\u0e7f"


@pytest.fixture
def book(tmp_path):
    ab = AddressBook(tmp_path / "data")
    ab.contacts.add_many([
        Contact("นายสมชาย ใจดี", "somchai@moph.go.th", organisation="สป.สธ."),
        Contact("Anan Wong", "anan@ega.or.th", ("anan@example.com",), "EGA", "Director", "02 612 6000"),
    ])
    yield ab
    ab.close()


@pytest.fixture
def make_dialog(qtbot, book, language_controller):
    def make(lang: str = "en") -> ContactsDialog:
        language_controller.apply(lang)
        dlg = ContactsDialog(book)
        qtbot.addWidget(dlg)
        dlg.show()
        return dlg

    return make


@pytest.fixture
def dialog(make_dialog):
    return make_dialog("en")


def table_rows(dlg: ContactsDialog) -> list[list[str]]:
    table = dlg.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount()) if not table.isRowHidden(r)]


def run_file_job(qtbot, dlg: ContactsDialog, start) -> QMessageBox | None:
    """Start an import or export and wait for it (it runs on the dialog's worker thread);
    the box it opened, or None when it opened none."""
    before = dlg.pending
    with qtbot.waitSignal(dlg.fileJobFinished, timeout=10_000):
        start()
        assert not dlg.import_button.isEnabled()  # one file job at a time
    box = dlg.pending if dlg.pending is not before else None
    assert box is None or isinstance(box, QMessageBox)
    return box


def fill(editor: ContactEditDialog, **fields: str) -> None:
    for name, value in fields.items():
        getattr(editor, f"{name}_edit").setText(value)


def test_lists_the_contacts_sorted_by_name(dialog):
    assert table_rows(dialog) == [
        ["Anan Wong", "anan@ega.or.th, anan@example.com", "EGA", "Director", "02 612 6000"],
        ["นายสมชาย ใจดี", "somchai@moph.go.th", "สป.สธ.", "", ""],
    ]
    assert not dialog.edit_button.isEnabled() and not dialog.delete_button.isEnabled()


def test_filter_hides_other_contacts(dialog):
    dialog.filter_edit.setText("สมชาย")
    assert [r[0] for r in table_rows(dialog)] == ["นายสมชาย ใจดี"]
    dialog.filter_edit.setText("")
    assert len(table_rows(dialog)) == 2


def test_add_a_contact(qtbot, dialog, book):
    editor = dialog.add_contact()
    fill(editor, name="นางสาวสมศรี มีสุข", email="somsri@ddc.mail.go.th", other_emails="a@x.go.th; b@x.go.th",
         organisation="กรมควบคุมโรค", position="นักวิชาการ", phone="02 590 3000")
    with qtbot.waitSignal(dialog.contactsChanged):
        editor.buttons.button(editor.buttons.StandardButton.Ok).click()
    assert not editor.isVisible()
    saved = book.contacts.owner_of("somsri@ddc.mail.go.th")
    assert saved is not None and saved.other_emails == ("a@x.go.th", "b@x.go.th")
    assert "นางสาวสมศรี มีสุข" in [r[0] for r in table_rows(dialog)]
    assert [c.name for c in dialog.selected_contacts()] == ["นางสาวสมศรี มีสุข"]
    assert book.suggest("สมศรี")[0].email == "somsri@ddc.mail.go.th"


def test_an_invalid_address_keeps_the_editor_open_with_thai_text(qtbot, make_dialog, book):
    dialog = make_dialog("th")
    editor = dialog.add_contact()
    fill(editor, name="ผิด", email="not-an-address")
    editor.buttons.button(editor.buttons.StandardButton.Ok).click()
    assert editor.isVisible() and editor.error_label.isVisible()
    assert "not-an-address" in editor.error_label.text()
    assert any(THAI[0] <= ch <= THAI[-1] for ch in editor.error_label.text())
    fill(editor, email="anan@EGA.or.th")  # someone else's address
    editor.buttons.button(editor.buttons.StandardButton.Ok).click()
    assert editor.isVisible() and "Anan Wong" in editor.error_label.text()
    assert len(book.list_contacts()) == 2


def test_edit_a_contact(qtbot, dialog, book):
    dialog.table.selectRow(0)
    editor = dialog.edit_selected()
    assert editor is not None and editor.email_edit.text() == "anan@ega.or.th"
    fill(editor, position="Deputy Director", other_emails="")
    with qtbot.waitSignal(dialog.contactsChanged):
        editor.accept()
    assert book.contacts.owner_of("anan@ega.or.th").position == "Deputy Director"
    assert book.contacts.owner_of("anan@example.com") is None


@pytest.mark.parametrize(("answer", "left"), [(QMessageBox.StandardButton.No, 2), (QMessageBox.StandardButton.Yes, 0)])
def test_delete_asks_first(qtbot, dialog, book, answer, left):
    dialog.table.selectAll()
    box = dialog.delete_selected()
    assert box is not None and box.isVisible()
    assert "2" in box.text()
    box.button(answer).click()
    assert len(book.list_contacts()) == left
    assert len(table_rows(dialog)) == left


def test_import_reports_what_it_skipped(qtbot, dialog, book, tmp_path):
    path = tmp_path / "from-outlook.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:New Person\r\nEMAIL:new@x.go.th\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Mail\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Copy\r\nEMAIL:anan@ega.or.th\r\nEND:VCARD\r\n"
    )
    with qtbot.waitSignal(dialog.contactsChanged):
        box = run_file_job(qtbot, dialog, lambda: dialog.import_file(path))
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
    assert box.text().splitlines() == [
        "Imported 1 contacts.",
        "",
        "2 entries were not imported:",
        "• card 2 (line 6) No Mail: no e-mail address",
        "• card 3 (line 10) Copy: already in your contacts (Anan Wong)",
    ]
    assert "New Person" in [r[0] for r in table_rows(dialog)]


def test_import_of_a_csv_without_csv_suffix_is_recognised(qtbot, dialog, book, tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes("Name,E-mail Address\nสมศรี,somsri@x.go.th\n".encode())
    box = run_file_job(qtbot, dialog, lambda: dialog.import_file(path))
    assert box.icon() == QMessageBox.Icon.Information
    assert book.contacts.owner_of("somsri@x.go.th") is not None


def test_import_of_a_bad_file_shows_the_reason(qtbot, dialog, book, tmp_path):
    path = tmp_path / "photo.vcf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    box = run_file_job(qtbot, dialog, lambda: dialog.import_file(path))
    assert box.objectName() == "contactsError"
    assert "not a text file" in box.text()
    assert len(book.list_contacts()) == 2


@pytest.mark.parametrize(("kind", "reader"), [(CSV_KIND, read_csv), (VCARD4_KIND, read_vcards)])
def test_export_writes_every_contact(qtbot, dialog, book, tmp_path, kind, reader):
    path = tmp_path / f"out.{kind}"
    assert run_file_job(qtbot, dialog, lambda: dialog.export_file(path, kind)) is None
    assert sorted(reader(path.read_bytes()).contacts, key=lambda c: c.email) == \
        sorted(book.list_contacts(), key=lambda c: c.email)
    if kind == VCARD4_KIND:
        assert b"VERSION:4.0" in path.read_bytes()


def test_import_and_export_buttons_open_file_choosers(dialog):
    dialog.import_button.click()
    chooser = dialog.pending
    assert isinstance(chooser, QFileDialog) and chooser.fileMode() == QFileDialog.FileMode.ExistingFile
    chooser.reject()
    dialog.export_button.click()
    chooser = dialog.pending
    assert isinstance(chooser, QFileDialog) and chooser.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert len(chooser.nameFilters()) == 3
    chooser.reject()


def test_every_label_is_thai(qtbot, make_dialog):
    dialog = make_dialog("th")
    texts = [dialog.windowTitle(), dialog.filter_edit.placeholderText()]
    texts += [b.text() for b in (dialog.add_button, dialog.edit_button, dialog.delete_button,
                                 dialog.import_button, dialog.export_button)]
    texts += [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    editor = dialog.add_contact()
    texts += [editor.windowTitle()] + [label.text() for label in editor._labels]
    for text in texts:
        assert any(THAI[0] <= ch <= THAI[-1] for ch in text), text


def test_import_report_in_thai(qtbot, make_dialog, tmp_path):
    dialog = make_dialog("th")
    path = tmp_path / "list.csv"
    path.write_bytes("Name,E-mail Address\nไม่มีอีเมล,\n".encode())
    box = run_file_job(qtbot, dialog, lambda: dialog.import_file(path))
    assert box.text().splitlines() == [
        "นำเข้าผู้ติดต่อแล้ว 0 รายการ",
        "",
        "ไม่ได้นำเข้า 1 รายการ:",
        "• แถวที่ 2 ไม่มีอีเมล: ไม่มีที่อยู่อีเมล",
    ]


def test_switching_language_retranslates_an_open_dialog(qtbot, dialog, language_controller):
    assert dialog.windowTitle() == "Contacts"
    language_controller.apply("th")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "รายชื่อผู้ติดต่อ")
    assert dialog.import_button.text() == "นำเข้า(&I)…"


def test_import_and_export_run_off_the_gui_thread(qtbot, dialog, book, tmp_path, monkeypatch):
    import threading

    threads: list[str] = []
    for name in ("import_csv", "export_csv"):
        real = getattr(book, name)

        def spy(*args, _real=real, **kwargs):
            threads.append(threading.current_thread().name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(book, name, spy)
    path = tmp_path / "list.csv"
    path.write_bytes("Name,E-mail Address\nสมศรี,somsri@x.go.th\n".encode())
    run_file_job(qtbot, dialog, lambda: dialog.import_file(path))
    run_file_job(qtbot, dialog, lambda: dialog.export_file(tmp_path / "out.csv", CSV_KIND))
    assert threads == ["contacts-file", "contacts-file"]
    assert threading.current_thread() is threading.main_thread()


def test_export_to_an_unwritable_place_shows_the_reason(qtbot, dialog, tmp_path):
    target = tmp_path / "no-such-folder" / "contacts.csv"
    box = run_file_job(qtbot, dialog, lambda: dialog.export_file(target, CSV_KIND))
    assert box is not None and box.objectName() == "contactsError"
    assert box.text()
    assert not target.exists()
    assert dialog.import_button.isEnabled() and dialog.export_button.isEnabled()
