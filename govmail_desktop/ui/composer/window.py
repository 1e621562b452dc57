"""The composer window: lays out the fields of one :class:`ComposeSession` and passes edits to it.

From (the account's identities), To / Cc / Bcc marked by the policy as typed,
the subject, the official markings (urgency and secrecy, shown as a coloured
banner and in the subject the recipient will see), the body (rich or plain),
the attachments with their total against the limit.

Keys: Ctrl+Enter send, Ctrl+S save the draft, Esc close (asking whether to
keep the draft), Ctrl+Shift+A attach a file. Files dropped on the window or
pasted into the body are attached; a picture pasted or dropped into a rich
body is shown in it (an inline image, sent as multipart/related), into a plain
one it is attached. A reply's quote shows in a rich body as indented blocks
with a left border (``<blockquote>`` in what is sent), in a plain one as
``>`` lines. Nothing here decides policy: the session
marks the recipients and runs the pre-send check; a blocked message gets a
summary and no way to send it, a warned one needs the confirmation of what
was warned.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.compose import Secrecy, Urgency
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.identities import Signature
from govmail_desktop.models.address_completer import SuggestionSource
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.services.compose import ComposeSession, SendRefused
from govmail_desktop.ui import icons
from govmail_desktop.ui.composer.attachments import AttachmentList
from govmail_desktop.ui.composer.body import BodyEdit, FormatToolbar, local_files
from govmail_desktop.ui.composer.presend import PreSendDialog
from govmail_desktop.ui.composer.recipients import RecipientField

log = logging.getLogger(__name__)

#: The body is handed to the session once typing rests this long (ms); before
#: saving, sending or closing it is handed over at once.
BODY_SYNC_MS = 400
URGENCY_COLOUR = "#b71c1c"
#: Pictures a rich body shows when dropped into it (others, and bigger ones, are attached).
INLINE_PICTURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MAX_INLINE_PICTURE_BYTES = 5 * 1024 * 1024
SECRECY_COLOUR = "#4a148c"


class ComposerWindow(QMainWindow):
    """One message being written.

    Signals:
        closed(): the window closed (the draft kept or discarded as the user chose).
    """

    closed = Signal()

    def __init__(
        self,
        session: ComposeSession,
        *,
        rich: bool = True,
        address_book: SuggestionSource | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("composerWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowIcon(icons.icon("mail-compose"))
        self.session = session
        session.setParent(self)
        self._done = False
        self._presend: PreSendDialog | None = None
        self._close_box: QMessageBox | None = None
        self._body_timer = QTimer(self)
        self._body_timer.setSingleShot(True)
        self._body_timer.setInterval(BODY_SYNC_MS)
        self._body_timer.timeout.connect(self._push_body)
        self._build_actions()
        self._build_fields()
        if address_book is not None:
            for fld in (self.to_field, self.cc_field, self.bcc_field):
                fld.set_address_book(address_book)
        self._build_toolbar()
        # A message started now follows the setting; a saved plain draft stays plain.
        self._load(session.draft.html is not None or (rich and session.fresh))
        self.setAcceptDrops(True)
        session.autosaved.connect(self._on_autosaved)
        session.submitted.connect(self._on_submitted)
        self.retranslate_ui()
        self.resize(QSize(860, 720))

    # ------------------------------------------------------------------ building

    def _build_actions(self) -> None:
        self.send_action = QAction(icons.icon("mail-forward"), "", self)
        self.send_action.setObjectName("sendAction")
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.send_action.triggered.connect(self.send)
        self.save_action = QAction(icons.icon("folder-drafts"), "", self)
        self.save_action.setObjectName("saveDraftAction")
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.triggered.connect(self.save_draft)
        self.attach_action = QAction(icons.icon("mail-attachment"), "", self)
        self.attach_action.setObjectName("attachAction")
        self.attach_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.attach_action.triggered.connect(self.choose_files)
        self.rich_action = QAction(self)
        self.rich_action.setObjectName("richTextAction")
        self.rich_action.setCheckable(True)
        self.rich_action.toggled.connect(self._set_rich)
        for action in (self.send_action, self.save_action, self.attach_action, self.rich_action):
            self.addAction(action)
        self.close_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.close_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.close_shortcut.activated.connect(self.close)

    def _build_fields(self) -> None:
        s = self.session
        self.from_combo = QComboBox(self)
        self.from_combo.setObjectName("fromCombo")
        for identity in s.identities:
            self.from_combo.addItem(identity.from_text, identity.address)
        if s.draft.sender and self.from_combo.findText(s.draft.sender) < 0:
            self.from_combo.addItem(s.draft.sender, "")
        self.from_combo.setCurrentIndex(max(0, self.from_combo.findText(s.draft.sender)))
        self.from_combo.currentIndexChanged.connect(self._on_identity)
        self.to_field = RecipientField(lambda text, typing: s.recipient_marks(text, typing=typing), self)
        self.cc_field = RecipientField(lambda text, typing: s.recipient_marks(text, typing=typing), self)
        self.bcc_field = RecipientField(lambda text, typing: s.recipient_marks(text, typing=typing), self)
        for name, fld in (("to", self.to_field), ("cc", self.cc_field), ("bcc", self.bcc_field)):
            fld.setObjectName(f"{name}Field")
            fld.edit.setObjectName(f"{name}Edit")
            fld.edited.connect(lambda n=name, f=fld: s.update(**{n: f.text()}))
        self.subject_edit = QLineEdit(self)
        self.subject_edit.setObjectName("subjectEdit")
        self.subject_edit.textEdited.connect(self._on_subject)
        self.urgency_combo = QComboBox(self)
        self.urgency_combo.setObjectName("urgencyCombo")
        self.secrecy_combo = QComboBox(self)
        self.secrecy_combo.setObjectName("secrecyCombo")
        self.urgency_combo.activated.connect(self._on_markings)
        self.secrecy_combo.activated.connect(self._on_markings)
        # One badge per marking, coloured as the received-mail badges are (urgency red, secrecy purple).
        self.urgency_badge = plain_label(QLabel(self))
        self.urgency_badge.setObjectName("urgencyBadge")
        self.secrecy_badge = plain_label(QLabel(self))
        self.secrecy_badge.setObjectName("secrecyBadge")
        for badge, colour in ((self.urgency_badge, URGENCY_COLOUR), (self.secrecy_badge, SECRECY_COLOUR)):
            badge.setStyleSheet(
                f"color: white; background: {colour}; font-weight: bold; padding: 2px 10px; border-radius: 3px;"
            )
            badge.hide()
        self.subject_preview = plain_label(QLabel(self))
        self.subject_preview.setObjectName("subjectPreview")
        self.subject_preview.setWordWrap(True)
        self.message_findings = plain_label(QLabel(self))
        self.message_findings.setObjectName("messageFindings")
        self.message_findings.setWordWrap(True)
        self.message_findings.setStyleSheet(f"color: {URGENCY_COLOUR}; font-weight: bold;")
        self.message_findings.hide()

        self.body = BodyEdit(self)
        self.body.image_source = partial(draft_picture, s)  # not a method: no cycle back to the window
        self.body.textChanged.connect(self._body_timer.start)
        self.body.filesDropped.connect(self._body_files)
        self.body.imagePasted.connect(self.attach_image)
        self.format_bar = FormatToolbar(self.body, self)
        self.attachments = AttachmentList(s, self)
        self.attachments.removeRequested.connect(s.remove_attachment)

        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, widget in (("from", self.from_combo), ("to", self.to_field), ("cc", self.cc_field),
                            ("bcc", self.bcc_field), ("subject", self.subject_edit)):
            label = QLabel(self)
            label.setBuddy(widget.edit if isinstance(widget, RecipientField) else widget)
            self._labels[key] = label
            form.addRow(label, widget)
        markings = QHBoxLayout()
        self._labels["urgency"] = QLabel(self)
        self._labels["urgency"].setBuddy(self.urgency_combo)
        self._labels["secrecy"] = QLabel(self)
        self._labels["secrecy"].setBuddy(self.secrecy_combo)
        markings.addWidget(self._labels["urgency"])
        markings.addWidget(self.urgency_combo)
        markings.addSpacing(16)
        markings.addWidget(self._labels["secrecy"])
        markings.addWidget(self.secrecy_combo)
        markings.addSpacing(16)
        markings.addWidget(self.urgency_badge)
        markings.addWidget(self.secrecy_badge)
        markings.addStretch(1)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(form)
        layout.addLayout(markings)
        layout.addWidget(self.subject_preview)
        layout.addWidget(self.message_findings)
        layout.addWidget(self.format_bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.attachments)
        self.setCentralWidget(central)
        self.status_label = plain_label(QLabel(self))
        self.statusBar().addWidget(self.status_label, 1)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("composerToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(22, 22))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.send_action)
        self.toolbar.addAction(self.save_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.attach_action)
        self.signature_button = QToolButton(self)
        self.signature_button.setObjectName("signatureButton")
        self.signature_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.signature_menu = QMenu(self.signature_button)
        self.signature_menu.aboutToShow.connect(self._fill_signature_menu)
        self.signature_button.setMenu(self.signature_menu)
        self.toolbar.addWidget(self.signature_button)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.rich_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    # ------------------------------------------------------------------ loading

    def _load(self, rich: bool) -> None:
        d = self.session.draft
        self.to_field.set_text(d.to)
        self.cc_field.set_text(d.cc)
        self.bcc_field.set_text(d.bcc)
        self.subject_edit.setText(d.subject)
        self.rich_action.blockSignals(True)  # loading is no edit: nothing is pushed back to the draft
        self.rich_action.setChecked(rich)
        self.rich_action.blockSignals(False)
        self.body.set_rich(rich)
        self.format_bar.set_rich(rich)
        self.body.blockSignals(True)
        if rich and d.html is not None:
            self.body.setHtml(d.html)
        elif rich:
            self.body.set_quoted_text(d.text)  # a reply's ">" lines shown as its quote
        else:
            self.body.setPlainText(d.text)
        self.body.blockSignals(False)
        self.body.moveCursor(self.body.textCursor().MoveOperation.Start)
        self._update_markings()

    # ------------------------------------------------------------------ texts

    def retranslate_ui(self) -> None:
        self._update_title()
        self.send_action.setText(self.tr("Send"))
        self.send_action.setToolTip(self.tr("Send the message (Ctrl+Enter)"))
        self.save_action.setText(self.tr("Save Draft"))
        self.save_action.setToolTip(self.tr("Save the message in Drafts (Ctrl+S)"))
        self.attach_action.setText(self.tr("Attach File…"))
        self.attach_action.setToolTip(self.tr("Attach files (Ctrl+Shift+A); you can also drop or paste them"))
        self.rich_action.setText(self.tr("Formatting"))
        self.rich_action.setToolTip(self.tr("Write with formatting (bold, lists, links); off: plain text"))
        self.signature_button.setText(self.tr("Signature"))
        self.signature_button.setToolTip(self.tr("Insert one of your signatures"))
        self.toolbar.setWindowTitle(self.tr("Composer Toolbar"))
        labels = self._labels
        labels["from"].setText(self.tr("&From:"))
        labels["to"].setText(self.tr("&To:"))
        labels["cc"].setText(self.tr("&Cc:"))
        labels["bcc"].setText(self.tr("&Bcc:"))
        labels["subject"].setText(self.tr("S&ubject:"))
        labels["urgency"].setText(self.tr("U&rgency:"))
        labels["secrecy"].setText(self.tr("Secre&cy:"))
        self.bcc_field.edit.setPlaceholderText(self.tr("Hidden from the other recipients"))
        self.to_field.edit.setPlaceholderText(self.tr("Addresses separated by commas"))
        self._fill_marking_combos()
        self._update_markings()
        self.format_bar.retranslate_ui()
        self.attachments.retranslate_ui()

    def _fill_marking_combos(self) -> None:
        urgency, secrecy = self.session.draft.urgency, self.session.draft.secrecy
        self.urgency_combo.clear()
        self.urgency_combo.addItem(self.tr("Normal"), None)
        for u in Urgency:
            self.urgency_combo.addItem(u.thai, u)
        self.secrecy_combo.clear()
        self.secrecy_combo.addItem(self.tr("Not classified"), None)
        for c in Secrecy:
            self.secrecy_combo.addItem(c.thai, c)
        self.urgency_combo.setCurrentIndex(max(0, self.urgency_combo.findData(urgency)))
        self.secrecy_combo.setCurrentIndex(max(0, self.secrecy_combo.findData(secrecy)))
        self.urgency_combo.setToolTip(self.tr("Urgency class of official mail (ชั้นความเร็ว)"))
        self.secrecy_combo.setToolTip(self.tr("Secrecy class of official mail (ชั้นความลับ)"))

    def _update_title(self) -> None:
        subject = self.subject_edit.text().strip()
        self.setWindowTitle(subject or self.tr("Write Message"))

    def changeEvent(self, event: QEvent) -> None:  # Qt's method name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ edits

    def _on_identity(self, index: int) -> None:
        address = self.from_combo.itemData(index)
        identity = next((i for i in self.session.identities if i.address == address), None)
        if identity is not None:
            self.session.set_identity(identity)

    def _on_subject(self, text: str) -> None:
        self.session.update(subject=text)
        self._update_title()
        self._update_markings()

    def _on_markings(self, _index: int) -> None:
        self.session.update(urgency=self.urgency_combo.currentData(), secrecy=self.secrecy_combo.currentData())
        self._update_markings()
        for fld in (self.to_field, self.cc_field, self.bcc_field):
            fld.refresh_marks()  # secrecy changes what is allowed

    def _update_markings(self) -> None:
        d = self.session.draft
        words = [w for w in (d.urgency.thai if d.urgency else "", d.secrecy.thai if d.secrecy else "") if w]
        self.urgency_badge.setText(d.urgency.thai if d.urgency else "")
        self.urgency_badge.setVisible(d.urgency is not None)
        self.secrecy_badge.setText(d.secrecy.thai if d.secrecy else "")
        self.secrecy_badge.setVisible(d.secrecy is not None)
        marked = _marked_subject(d.subject, d.urgency, d.secrecy)
        self.subject_preview.setText(
            self.tr("Recipients will see the subject: {subject}").format(subject=marked) if words else ""
        )
        self.subject_preview.setVisible(bool(words))
        findings = self.session.message_wide_findings()
        self.message_findings.setText("\n".join(findings))
        self.message_findings.setVisible(bool(findings))

    def _set_rich(self, rich: bool) -> None:
        if not rich:
            self.session.images_to_attachments()  # plain text shows no pictures: they are attached
        self.body.set_rich(rich)
        self.format_bar.set_rich(rich)
        self._push_body()
        self.attachments.refresh()

    def _push_body(self) -> None:
        self._body_timer.stop()
        if self.rich_action.isChecked():
            self.session.update(text=self.body.plain_text(), html=self.body.rich_html())
            self.session.drop_unused_images()
        else:
            self.session.update(text=self.body.toPlainText(), html=None)

    def _push_all(self) -> None:
        self.session.update(to=self.to_field.text(), cc=self.cc_field.text(), bcc=self.bcc_field.text(),
                            subject=self.subject_edit.text())
        self._push_body()

    # ------------------------------------------------------------------ signatures

    def _fill_signature_menu(self) -> None:
        self.signature_menu.clear()
        signatures = self.session.signatures_for(self.session.identity())
        if not signatures:
            none = self.signature_menu.addAction(self.tr("No signatures yet (Edit → Signatures…)"))
            none.setEnabled(False)
        for signature in signatures:
            action = self.signature_menu.addAction(signature.display_label())
            action.triggered.connect(lambda _c=False, s=signature: self.insert_signature(s))

    def insert_signature(self, signature: Signature) -> None:
        """Put the signature's lines at the cursor."""
        self.body.textCursor().insertText("\n" + signature.text() + "\n")
        self._push_body()

    # ------------------------------------------------------------------ attachments

    def choose_files(self) -> None:
        dialog = QFileDialog(self, self.tr("Attach Files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda names: self.attach_files([Path(n) for n in names]))
        dialog.open()

    def attach_files(self, paths: list[Path]) -> None:
        """Copied into the draft off the GUI thread; each appears in the list when copied."""
        self._push_all()
        self.session.attach_files([Path(p) for p in paths], self._attach_failed)

    def _attach_failed(self, err: GovMailError) -> None:
        self.show_status(err.user_text(), error=True)

    def attach_image(self, png: bytes) -> None:
        """A pasted picture: shown in a rich body (an inline image), attached to a plain one."""
        if self.rich_action.isChecked():
            self.insert_image(png, "image/png")
            return
        try:
            self.session.attach(self.tr("picture.png"), png, "image/png")
        except GovMailError as err:
            self.show_status(err.user_text(), error=True)

    def insert_image(self, data: bytes, content_type: str) -> bool:
        """Keep the picture in the draft (with a Content-ID) and show it at the cursor."""
        self._push_body()  # the draft is rich (has its HTML) before the picture is listed as its own
        try:
            image = self.session.add_inline_image(data, content_type)
        except GovMailError as err:
            self.show_status(err.user_text(), error=True)
            return False
        if not self.body.insert_image(image.content_id, data):
            self.session.remove_attachment(image.stored_name)  # not a picture Qt can read
            return False
        self._push_body()
        return True

    def _body_files(self, paths: list[Path]) -> None:
        """Files dropped or pasted into the body: pictures into a rich body, the rest attached."""
        files = [Path(p) for p in paths]
        if self.rich_action.isChecked():
            files = [p for p in files if not self._inline_picture(p)]
        if files:
            self.attach_files(files)

    def _inline_picture(self, path: Path) -> bool:
        content_type = INLINE_PICTURE_TYPES.get(path.suffix.lower())
        try:
            if content_type is None or path.stat().st_size > MAX_INLINE_PICTURE_BYTES:
                return False
            data = path.read_bytes()
        except OSError:
            return False  # attached instead, which says what is wrong with the file
        return self.insert_image(data, content_type)


    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt's method name
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # Qt's method name
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.attach_files(files)
        else:
            super().dropEvent(event)

    # ------------------------------------------------------------------ send, save, close

    def send(self) -> None:
        """Ctrl+Enter: the pre-send check; a summary when it has something to say."""
        if self._done or self._presend is not None:
            return
        self._push_all()
        check = self.session.pre_send_check()
        if check is not None and check.findings:
            self._presend = PreSendDialog(check, self)
            self._presend.finished.connect(self._on_presend_finished)
            self._presend.open()
            return
        self._submit(None)

    def show_refusal(self, check: object) -> None:
        """The summary of a check made elsewhere (the outbox refused the message)."""
        if self._presend is not None or not getattr(check, "findings", None):
            return
        self._presend = PreSendDialog(check, self)  # type: ignore[arg-type]
        self._presend.finished.connect(self._on_presend_finished)
        self._presend.open()

    def _on_presend_finished(self, result: int) -> None:
        dialog, self._presend = self._presend, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result == PreSendDialog.DialogCode.Accepted and not dialog.blocked:
            self._submit(dialog.check)

    def _submit(self, confirmed: object) -> None:
        try:
            self.session.send(confirmed=confirmed)  # type: ignore[arg-type]
        except SendRefused as refused:
            if refused.message is not None:
                self.show_status(refused.message.text(), error=True)
            if refused.check is not None and self._presend is None:
                self._presend = PreSendDialog(refused.check, self)
                self._presend.finished.connect(self._on_presend_finished)
                self._presend.open()
        except GovMailError as err:
            self.show_status(err.user_text(), error=True)

    def _on_submitted(self) -> None:
        self._done = True
        self.close()

    def save_draft(self) -> None:
        self._push_all()
        self.session.save_draft()

    def _on_autosaved(self) -> None:
        from PySide6.QtCore import QTime

        self.show_status(self.tr("Draft saved at {time}").format(time=QTime.currentTime().toString("HH:mm")))

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {URGENCY_COLOUR};" if error else "")

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's method name
        if self._done or self.session.is_closed:
            self.closed.emit()
            super().closeEvent(event)
            return
        self._push_all()
        if self.session.draft.is_empty and self.session.draft.server_copy is None:
            self.session.close(keep=False)
            self._done = True
            self.closed.emit()
            super().closeEvent(event)
            return
        event.ignore()
        self.ask_keep_draft()

    def keep_and_close(self) -> None:
        """The app quits: keep what was written as a draft without asking."""
        if self._done:
            return
        self._push_all()
        self.session.close(keep=not self.session.draft.is_empty)
        self._done = True
        self.close()

    def ask_keep_draft(self) -> None:
        """Esc / closing: keep the message in Drafts, discard it, or go on writing."""
        if self._close_box is not None:
            return
        box = QMessageBox(self)
        plain_label(box)
        box.setObjectName("keepDraftBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Close the Message"))
        box.setText(self.tr("Keep this message in Drafts to finish it later?"))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.button(QMessageBox.StandardButton.Save).setText(self.tr("Keep in Drafts"))
        box.button(QMessageBox.StandardButton.Discard).setText(self.tr("Discard"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Go On Writing"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(self._on_close_answer)
        self._close_box = box
        box.open()

    def _on_close_answer(self, _result: int) -> None:
        box, self._close_box = self._close_box, None
        if box is None:
            return
        button = box.clickedButton()
        clicked = box.standardButton(button) if button is not None else QMessageBox.StandardButton.Cancel
        box.deleteLater()
        if clicked == QMessageBox.StandardButton.Save:
            self.session.close(keep=True)
        elif clicked == QMessageBox.StandardButton.Discard:
            self.session.close(keep=False)
        else:
            return
        self._done = True
        self.close()


def draft_picture(session: ComposeSession, content_id: str) -> bytes | None:
    """A saved draft's picture, from the draft store (None: not there)."""
    found = next((a for a in session.attachments if a.content_id == content_id), None)
    if found is None:
        return None
    try:
        return session.read_attachment(found)
    except GovMailError as err:
        log.warning("Picture %s of the draft unreadable: %s", content_id, err)
        return None


def _marked_subject(subject: str, urgency: Urgency | None, secrecy: Secrecy | None) -> str:
    """The subject with the Thai markings as the recipients will see it."""
    try:
        from govmail_desktop.mime.markings import mark_subject
    except ImportError:  # pragma: no cover - until mime/markings.py lands
        words = [w for w in (secrecy.thai if secrecy else "", urgency.thai if urgency else "") if w]
        return " ".join([*words, subject])
    return mark_subject(subject, urgency, secrecy)
