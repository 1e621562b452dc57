"""Contacts: the user's own list of people to write to (add, edit, delete, import, export).

The list lives in the address book (``store/addressbook.py``); the composer's
recipient fields suggest these contacts first. Import reads vCard (.vcf) or CSV
files from Outlook, Thunderbird, Google or Excel and says what it skipped and
why; export writes vCard 3.0/4.0 or CSV. Every question and report is a
non-modal box (``open()``), never a nested event loop. Reading and writing the
files runs on the dialog's own worker thread, never on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.errors import BugError, GovMailError
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.store.addressbook import AddressBook, ImportReport
from govmail_desktop.store.contacts import Contact

#: How many skipped entries the import report lists by name (the rest are counted).
SHOWN_SKIPPED = 20
CSV_KIND, VCARD3_KIND, VCARD4_KIND = "csv", "vcard3", "vcard4"

log = logging.getLogger(__name__)
T = TypeVar("T")


def _split_emails(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace(";", ",").split(",") if p.strip())


class ContactEditDialog(QDialog):
    """One contact's fields. ``save`` is called on OK with the edited contact and returns
    the saved one, or raises GovMailError: its text is shown and the dialog stays open.

    Signals: saved(object Contact)."""

    saved = Signal(object)

    def __init__(self, contact: Contact | None, save: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactEditDialog")
        self.setMinimumWidth(420)
        self._contact = contact
        self._save = save
        shown = contact or Contact("", "")
        self.name_edit = QLineEdit(shown.name, self)
        self.email_edit = QLineEdit(shown.email, self)
        self.other_emails_edit = QLineEdit(", ".join(shown.other_emails), self)
        self.organisation_edit = QLineEdit(shown.organisation, self)
        self.position_edit = QLineEdit(shown.position, self)
        self.phone_edit = QLineEdit(shown.phone, self)
        for name, edit in (("nameEdit", self.name_edit), ("emailEdit", self.email_edit),
                           ("otherEmailsEdit", self.other_emails_edit), ("organisationEdit", self.organisation_edit),
                           ("positionEdit", self.position_edit), ("phoneEdit", self.phone_edit)):
            edit.setObjectName(name)
        self._labels = [plain_label(QLabel(self)) for _ in range(6)]
        form = QFormLayout()
        for label, edit in zip(self._labels, (self.name_edit, self.email_edit, self.other_emails_edit,
                                              self.organisation_edit, self.position_edit, self.phone_edit),
                               strict=True):
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.error_label = plain_label(QLabel(self))
        self.error_label.setObjectName("contactErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def edited(self) -> Contact:
        """The contact as the fields say (not checked yet)."""
        return Contact(
            name=self.name_edit.text(),
            email=self.email_edit.text(),
            other_emails=_split_emails(self.other_emails_edit.text()),
            organisation=self.organisation_edit.text(),
            position=self.position_edit.text(),
            phone=self.phone_edit.text(),
            id=self._contact.id if self._contact is not None else None,
        )

    def accept(self) -> None:
        try:
            saved = self._save(self.edited())  # type: ignore[operator]
        except GovMailError as exc:
            self.error_label.setText(exc.user_text())
            self.error_label.show()
            self.email_edit.setFocus()
            return
        self.saved.emit(saved)
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("New Contact") if self._contact is None else self.tr("Edit Contact"))
        name, email, others, organisation, position, phone = self._labels
        name.setText(self.tr("&Name:"))
        email.setText(self.tr("&E-mail:"))
        others.setText(self.tr("&Other e-mail addresses:"))
        organisation.setText(self.tr("O&rganisation:"))
        position.setText(self.tr("&Position:"))
        phone.setText(self.tr("P&hone:"))
        self.other_emails_edit.setPlaceholderText(self.tr("Separate several addresses with commas"))
        self.email_edit.setPlaceholderText("name@agency.go.th")  # an example address, the same in every language

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class ContactsDialog(QDialog):
    """The contacts list with add, edit, delete, import and export (see module doc).

    Signals:
        contactsChanged(): after any change to the list.
        fileJobFinished(): an import or export finished (its report or error is shown).
    """

    contactsChanged = Signal()
    fileJobFinished = Signal()

    COLUMNS = 5

    def __init__(self, address_book: AddressBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsDialog")
        self.resize(760, 460)
        self.book = address_book
        self._worker: LocalWorker | None = None  # made at the first import or export
        self._file_jobs = 0
        #: The box or dialog open now (a question, a report, an editor, a file chooser).
        self.pending: QWidget | None = None
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("contactsFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("contactsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.damage_label = plain_label(QLabel(self))
        self.damage_label.setObjectName("contactsDamageLabel")
        self.damage_label.setWordWrap(True)
        self.damage_label.setVisible(self.book.contacts.recovered_from_damage)
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.export_button = QPushButton(self)
        for name, button in (("addContactButton", self.add_button), ("editContactButton", self.edit_button),
                             ("deleteContactButton", self.delete_button), ("importContactsButton", self.import_button),
                             ("exportContactsButton", self.export_button)):
            button.setObjectName(name)
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_contact)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.choose_import_file)
        self.export_button.clicked.connect(self.choose_export_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            side.addWidget(button)
        side.addSpacing(12)
        side.addWidget(self.import_button)
        side.addWidget(self.export_button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.damage_label)
        layout.addWidget(self.filter_edit)
        layout.addLayout(middle, 1)
        layout.addWidget(self.buttons)
        self._contacts: list[Contact] = []
        self.reload()
        self.retranslate_ui()

    # ------------------------------------------------------------------ the list

    def reload(self) -> None:
        self._contacts = self.book.list_contacts()
        self.table.setRowCount(len(self._contacts))
        for row, contact in enumerate(self._contacts):
            values = (contact.name, ", ".join(contact.emails), contact.organisation, contact.position, contact.phone)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, contact.id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self._apply_filter(self.filter_edit.text())
        self._update_buttons()

    def _apply_filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        for row, contact in enumerate(self._contacts):
            haystack = " ".join((contact.name, *contact.emails, contact.organisation, contact.position)).casefold()
            self.table.setRowHidden(row, bool(wanted) and wanted not in haystack)

    def selected_contacts(self) -> list[Contact]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._contacts[r] for r in rows if not self.table.isRowHidden(r)]

    def select_contact(self, contact_id: int | None) -> None:
        for row, contact in enumerate(self._contacts):
            if contact.id == contact_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        count = len(self.selected_contacts())
        self.edit_button.setEnabled(count == 1)
        self.delete_button.setEnabled(count > 0)
        self.export_button.setEnabled(bool(self._contacts) and self._file_jobs == 0)

    def _changed(self, select: int | None = None) -> None:
        self.reload()
        if select is not None:
            self.select_contact(select)
        self.contactsChanged.emit()

    # ------------------------------------------------------------------ add, edit, delete

    def _open_editor(self, contact: Contact | None) -> ContactEditDialog:
        save = self.book.add_contact if contact is None else self.book.update_contact
        editor = ContactEditDialog(contact, save, self)
        editor.saved.connect(lambda saved: self._changed(saved.id))
        editor.finished.connect(editor.deleteLater)
        self.pending = editor
        editor.open()
        return editor

    def add_contact(self) -> ContactEditDialog:
        return self._open_editor(None)

    def edit_selected(self) -> ContactEditDialog | None:
        chosen = self.selected_contacts()
        if len(chosen) != 1:
            return None
        return self._open_editor(chosen[0])

    def delete_selected(self) -> QMessageBox | None:
        chosen = self.selected_contacts()
        if not chosen:
            return None
        box = plain_label(QMessageBox(self))
        box.setObjectName("deleteContactsQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete Contacts"))
        if len(chosen) == 1:
            box.setText(self.tr("Delete the contact {name}?").format(name=chosen[0].display_name))
        else:
            box.setText(self.tr("Delete {count} contacts?").format(count=len(chosen)))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        ids = [c.id for c in chosen if c.id is not None]

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                try:
                    for contact_id in ids:
                        self.book.delete_contact(contact_id)
                except GovMailError as exc:
                    self._show_error(exc)
                self._changed()

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        self.pending = box
        box.open()
        return box

    # ------------------------------------------------------------------ import and export

    def _file_dialog(self, save: bool) -> QFileDialog:
        chooser = QFileDialog(self)
        chooser.setObjectName("contactsExportChooser" if save else "contactsImportChooser")
        chooser.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        chooser.finished.connect(chooser.deleteLater)
        self.pending = chooser
        return chooser

    def choose_import_file(self) -> QFileDialog:
        chooser = self._file_dialog(save=False)
        chooser.setWindowTitle(self.tr("Import Contacts"))
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilters([self.tr("Contacts (*.vcf *.vcard *.csv)"), self.tr("All files (*)")])
        chooser.fileSelected.connect(lambda path: self.import_file(Path(path)))
        chooser.open()
        return chooser

    def choose_export_file(self) -> QFileDialog:
        chooser = self._file_dialog(save=True)
        chooser.setWindowTitle(self.tr("Export Contacts"))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        filters = {
            self.tr("vCard 3.0 (*.vcf)"): VCARD3_KIND,
            self.tr("vCard 4.0 (*.vcf)"): VCARD4_KIND,
            self.tr("CSV for Outlook, Thunderbird, Google and Excel (*.csv)"): CSV_KIND,
        }
        chooser.setNameFilters(list(filters))
        chooser.setDefaultSuffix("vcf")
        chooser.filterSelected.connect(
            lambda name: chooser.setDefaultSuffix("csv" if filters.get(name) == CSV_KIND else "vcf")
        )
        chooser.fileSelected.connect(
            lambda path: self.export_file(Path(path), filters.get(chooser.selectedNameFilter(), VCARD3_KIND))
        )
        chooser.open()
        return chooser

    @staticmethod
    def import_kind(path: Path) -> str:
        """CSV or vCard, by the file's name or else its first bytes."""
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return CSV_KIND
        if suffix in (".vcf", ".vcard"):
            return VCARD3_KIND
        try:
            with open(path, "rb") as fh:
                start = fh.read(4096)
        except OSError:
            return VCARD3_KIND  # the import itself reports the file it cannot open
        return VCARD3_KIND if b"BEGIN:VCARD" in start.upper().replace(b"\x00", b"") else CSV_KIND

    def import_file(self, path: Path) -> None:
        """Import ``path`` on the dialog's file worker (never on the GUI thread: an address
        list from Outlook can be large, the file may be on a slow share); then the list is
        reloaded and what was imported and skipped is shown (non-modal, :attr:`pending`)."""
        kind = self.import_kind(path)
        book = self.book

        def job() -> ImportReport:
            return book.import_csv(path) if kind == CSV_KIND else book.import_vcard(path)

        def done(report: ImportReport) -> None:
            self._changed()
            self._show_report(report)

        self._run_file_job(job, done)

    def export_file(self, path: Path, kind: str) -> None:
        """Write every contact to ``path`` as ``kind`` on the file worker; a box only when it failed."""
        book = self.book

        def job() -> None:
            if kind == CSV_KIND:
                book.export_csv(path)
            else:
                book.export_vcard(path, "4.0" if kind == VCARD4_KIND else "3.0")

        self._run_file_job(job, lambda _none: None)

    def _run_file_job(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        if self._worker is None:
            self._worker = LocalWorker("contacts-file", parent=self)
        self._file_jobs += 1
        self._set_file_buttons()

        def finished(result: T) -> None:
            self._file_jobs -= 1
            self._set_file_buttons()
            done(result)
            self.fileJobFinished.emit()

        def failed(exc: BaseException) -> None:
            self._file_jobs -= 1
            self._set_file_buttons()
            if not isinstance(exc, GovMailError):
                log.error("Contacts file job failed", exc_info=exc)
                exc = BugError(detail=f"{type(exc).__name__}: {exc}")
            self._show_error(exc)
            self.fileJobFinished.emit()

        self._worker.submit(job, finished, failed)

    def _set_file_buttons(self) -> None:
        """One import or export at a time: the buttons wait while one runs."""
        busy = self._file_jobs > 0
        self.import_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy and bool(self._contacts))

    def done(self, result: int) -> None:
        # A running import or export finishes on its own (the data is written whole);
        # its report is dropped with the dialog.
        if self._worker is not None:
            self._worker.shutdown(timeout=0.2)
        super().done(result)

    def report_text(self, report: ImportReport) -> str:
        lines = [self.tr("Imported {count} contacts.").format(count=len(report.added))]
        lines.extend(w.text() for w in report.warnings)
        if report.skipped:
            lines.append("")
            lines.append(self.tr("{count} entries were not imported:").format(count=len(report.skipped)))
            lines.extend("• " + s.text() for s in report.skipped[:SHOWN_SKIPPED])
            if len(report.skipped) > SHOWN_SKIPPED:
                lines.append(self.tr("…and {count} more.").format(count=len(report.skipped) - SHOWN_SKIPPED))
        return "\n".join(lines)

    def _box(self, name: str, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = plain_label(QMessageBox(self))
        box.setObjectName(name)
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.finished.connect(box.deleteLater)
        self.pending = box
        box.open()
        return box

    def _show_report(self, report: ImportReport) -> QMessageBox:
        icon = QMessageBox.Icon.Warning if report.skipped or report.warnings else QMessageBox.Icon.Information
        return self._box("contactsImportReport", icon, self.tr("Import Contacts"), self.report_text(report))

    def _show_error(self, exc: GovMailError) -> QMessageBox:
        return self._box("contactsError", QMessageBox.Icon.Warning, self.tr("Contacts"), exc.user_text())

    # ------------------------------------------------------------------ language

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Contacts"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("E-mail"), self.tr("Organisation"), self.tr("Position"), self.tr("Phone")]
        )
        self.filter_edit.setPlaceholderText(self.tr("Search contacts"))
        self.add_button.setText(self.tr("&Add…"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.delete_button.setText(self.tr("&Delete"))
        self.import_button.setText(self.tr("&Import…"))
        self.export_button.setText(self.tr("E&xport…"))
        self.damage_label.setText(
            self.tr("The contacts file was damaged and has been set aside; the list starts empty. "
                    "Your IT staff can recover the old file from the data folder.")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
