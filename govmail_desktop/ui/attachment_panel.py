"""The attachments of the message shown: name, type icon, size, ⚠ for risky files; Open, Save…,
Save All…; progress and Cancel while a part is fetched from the server.

Keyboard: the list takes the focus with Tab; Enter (or a double click) opens the
current attachment, the context-menu key offers Open / Save… / Save All…, and the
buttons follow the list in the tab order.

Safety (the work itself is :mod:`services.attachments`, on its worker thread):

* The type icon comes from the *name's* extension when it has one (the sender's
  Content-Type may call an .exe a PDF); a file the agency's policy blocks, or
  whose name hides its real type (double extension, bidi characters), shows ⚠
  and a warning icon, and its tooltip says why.
* Open hands a read-only copy to the system's application
  (``QDesktopServices.openUrl``); a risky file first asks, saying why, with
  Cancel as the default button; under ``attachments.open_blocked = "forbid"`` it
  is refused (it can still be saved).
* An attached message (message/rfc822) opens as a message in the app's own
  message window (:attr:`AttachmentPanel.open_message`, by default
  ``ui.message_window.MessageWindow.show_raw``), with its own attachments.
* Names are data: the list shows them as plain text and every tooltip goes
  through ``plain_tooltip``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QFileInfo,
    QMimeDatabase,
    QMimeType,
    QObject,
    QPoint,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.errors import Cancelled, GovMailError
from govmail_desktop.core.filenames import safe_filename
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.models.plain_text import plain_label, plain_tooltip
from govmail_desktop.policy.attachments import AttachmentRules, real_extension
from govmail_desktop.services.attachments import (
    AttachmentService,
    AttachmentTask,
    OpenForbidden,
    PartSource,
    RawMessageSource,
    Risk,
    SaveAllResult,
    assess,
    default_opened_root,
    is_message,
    suggested_name,
)

if TYPE_CHECKING:  # the parser loads with the first message, not before the window draws
    from govmail_desktop.mime.parse import Attachment

log = logging.getLogger(__name__)

#: Text colour of a risky attachment's row (the preview's warning colour).
WARNING_COLOUR = "#8a3a00"
#: Rows shown before the list scrolls.
MAX_VISIBLE_ROWS = 3
#: Characters of an attached message's subject shown in the list.
MAX_ATTACHED_SUBJECT = 120
#: A job still running after this long shows the busy bar (a quick local save shows nothing).
BUSY_DELAY_MS = 300
#: A row's item data: its index in the attachments shown.
INDEX_ROLE = int(Qt.ItemDataRole.UserRole) + 1

_shared: AttachmentService | None = None


def shared_service() -> AttachmentService:
    """The app's one attachment service (the preview and every message window use it);
    made on first use with the default paths, removing its copies when the app quits."""
    global _shared
    if _shared is None:
        set_shared_service(AttachmentService(default_opened_root(AppPaths.default().cache_dir)))
    assert _shared is not None
    return _shared


def current_shared_service() -> AttachmentService | None:
    """The service in use now (None: none made yet)."""
    return _shared


def set_shared_service(service: AttachmentService | None) -> None:
    """Use ``service`` from now on (the composition root makes it with the app's paths)."""
    global _shared
    _shared = service
    app = QCoreApplication.instance()
    if service is not None and app is not None:
        app.aboutToQuit.connect(service.shutdown)


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _native_dialogs() -> bool:
    return QGuiApplication.platformName() not in ("offscreen", "minimal")


def open_in_message_window(raw: bytes, title: str, parent: QWidget | None) -> None:
    """Show an attached message in the app's message window (helper G's ``MessageWindow``)."""
    from govmail_desktop.ui import message_window  # late: the window imports this panel

    message_window.MessageWindow.show_raw(raw, title)


class AttachmentPanel(QWidget):
    """The list of attachments with Open / Save… / Save All… (see the module doc).

    Where the bytes come from is given with the list: ``raw`` (a message held in memory),
    or ``folder_id``/``uid`` turned into a source by :attr:`source_for` (the composition
    root sets it: the account's cache and part fetcher).

    Signals:
        status_changed(str): the line under the list changed (saved, failed, ...).
    """

    status_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, service: AttachmentService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentPanel")
        self._service = service
        #: (folder id, uid) of the message shown (None, None: one not in a folder) → where its
        #: parts come from; None: not available. Set by :func:`attach_attachment_panels`.
        self.source_for: Callable[[int | None, int | None], PartSource | None] | None = None
        #: Show an attached message: (raw bytes, title).
        self.open_message: Callable[[bytes, str], None] = lambda raw, title: open_in_message_window(raw, title, self)
        #: Hand a file to the system (QDesktopServices.openUrl; tests replace it).
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        #: The dialog open now (tests answer it).
        self.pending: QDialog | None = None
        self.last_folder: Path | None = None
        self._attachments: tuple[Attachment, ...] = ()
        self._rules: AttachmentRules | None = None
        self._folder_id: int | None = None
        self._uid: int | None = None
        self._raw: bytes | None = None
        self._tasks: dict[int, AttachmentTask] = {}
        self._connected: AttachmentService | None = None
        self._mime = QMimeDatabase()
        #: False once the widget is gone (its window closed): a job ending later is not shown.
        alive = self._alive = [True]
        self.destroyed.connect(lambda *_: alive.__setitem__(0, False))
        self._icons = QFileIconProvider()

        self.title = plain_label(QLabel(self))
        self.title.setObjectName("attachmentTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)

        self.list = QListWidget(self)
        self.list.setObjectName("attachmentList")
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        # Side by side, wrapping to the next line (as Thunderbird's attachment bar): three files
        # take one line under the headers, not three.
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.installEventFilter(self)
        self.list.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())

        self.open_button = QPushButton(self)
        self.open_button.setObjectName("attachmentOpen")
        self.open_button.clicked.connect(self.open_current)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("attachmentSave")
        self.save_button.clicked.connect(self.save_current)
        self.save_all_button = QPushButton(self)
        self.save_all_button.setObjectName("attachmentSaveAll")
        self.save_all_button.clicked.connect(self.save_all)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("attachmentProgress")
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(self.fontMetrics().height() + 6)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("attachmentCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self._fit_timer = QTimer(self)  # a child: never fires once the panel is gone
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_height)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)

        self.status = plain_label(QLabel(self))
        self.status.setObjectName("attachmentStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()

        # "Attachments (3)" with the buttons beside it, the list, then progress and the status line.
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.open_button)
        top.addWidget(self.save_button)
        top.addWidget(self.save_all_button)
        busy = QHBoxLayout()
        busy.setContentsMargins(0, 0, 0, 0)
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addLayout(busy)
        layout.addWidget(self.status)
        self.setTabOrder(self.list, self.open_button)
        self.setTabOrder(self.open_button, self.save_button)
        self.setTabOrder(self.save_button, self.save_all_button)
        self.setTabOrder(self.save_all_button, self.cancel_button)
        self._set_busy(False)
        self.retranslate_ui()
        self.hide()

    # ------------------------------------------------------------------ service

    @property
    def service(self) -> AttachmentService:
        service = self._service or shared_service()
        if self._connected is not service:
            if self._connected is not None:
                self._connected.progress.disconnect(self._on_progress)
            service.progress.connect(self._on_progress)
            self._connected = service
        return service

    @service.setter
    def service(self, service: AttachmentService | None) -> None:
        self._service = service

    # ------------------------------------------------------------------ texts

    def retranslate_ui(self) -> None:
        self.open_button.setText(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open the attachment with the program for its type (Enter)"))
        self.save_button.setText(self.tr("Save…"))
        self.save_all_button.setText(self.tr("Save All…"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.list.setAccessibleName(self.tr("Attachments"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ showing

    def show_attachments(
        self,
        attachments: Sequence[Attachment],
        *,
        rules: AttachmentRules | None = None,
        folder_id: int | None = None,
        uid: int | None = None,
        raw: bytes | None = None,
    ) -> None:
        """List ``attachments`` of one message (hidden when there are none)."""
        same = (folder_id, uid, raw) == (self._folder_id, self._uid, self._raw) and tuple(
            attachments
        ) == self._attachments
        self._attachments = tuple(attachments)
        self._rules = rules
        self._folder_id, self._uid, self._raw = folder_id, uid, raw
        if not same:
            self._set_status("")
        self._fill()
        self.setVisible(bool(self._attachments))

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return self._attachments

    def item_texts(self) -> list[str]:
        """The rows as shown (tests, the accessible description)."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def summary_text(self) -> str:
        """"Attachments: a.pdf (12 KB), ⚠ b.exe (1 KB)" — one line naming every row."""
        return self.tr("Attachments: {files}").format(files=", ".join(self.item_texts()))

    def risk(self, attachment: Attachment) -> Risk:
        return assess(attachment, self._rules)

    def _fill(self) -> None:
        current = max(self.list.currentRow(), 0)
        self.list.clear()
        for index, attachment in enumerate(self._attachments):
            risk = self.risk(attachment)
            warn = risk.needs_confirmation or attachment.suspicious_name
            item = QListWidgetItem(self._icon(attachment), ("⚠ " if warn else "") + self.row_text(attachment))
            item.setData(INDEX_ROLE, index)
            if warn:
                item.setForeground(QBrush(QColor(WARNING_COLOUR)))
            item.setToolTip(plain_tooltip(self._details(attachment, risk)))
            self.list.addItem(item)
        if self._attachments:
            self.list.setCurrentRow(min(current, len(self._attachments) - 1))
        self.title.setText(self.tr("Attachments ({count})").format(count=len(self._attachments)))
        self.list.setAccessibleDescription(self.summary_text())
        self._fit_height()
        self._update_buttons()

    def row_text(self, attachment: Attachment) -> str:
        """"report.pdf (12 KB)"; an attached message by its subject:
        "message “subject” (forwarded.eml, 3 KB)"."""
        name = attachment.display_name or self.tr("(unnamed)")
        size = size_text(attachment.size)
        if attachment.subject is None:
            return f"{name} ({size})"
        subject = attachment.subject or self.tr("(no subject)")
        if len(subject) > MAX_ATTACHED_SUBJECT:
            subject = subject[: MAX_ATTACHED_SUBJECT - 1] + "…"
        if attachment.filename:
            return self.tr("message “{subject}” ({name}, {size})").format(subject=subject, name=name, size=size)
        return self.tr("message “{subject}” ({size})").format(subject=subject, size=size)

    def _details(self, attachment: Attachment, risk: Risk) -> str:
        lines = [attachment.display_name or self.tr("(unnamed)"),
                 self.tr("Type: {type}").format(type=self._mime_type(attachment).comment() or attachment.content_type),
                 self.tr("Size: {size}").format(size=size_text(attachment.size))]
        if attachment.subject is not None:
            lines.insert(1, self.tr("Subject: {subject}").format(subject=attachment.subject or self.tr("(no subject)")))
        if not getattr(attachment, "downloaded", True):
            lines.append(self.tr("Not downloaded yet: it is fetched from the server when you open or save it."))
        if risk.forbidden:
            lines.append(self.tr("Your agency's policy does not allow opening this file here; it can be saved."))
        lines.extend("⚠ " + reason for reason in risk.reasons)
        return "\n".join(lines)

    def _mime_type(self, attachment: Attachment) -> QMimeType:
        """The type by the extension of the name the file is saved under (what the system
        would open it as: "a.pdf:b.exe" is saved as "a.pdf_b.exe"), else the sender's type."""
        saved = safe_filename(attachment.filename)
        if real_extension(saved):
            by_name = self._mime.mimeTypeForFile(saved, QMimeDatabase.MatchMode.MatchExtension)
            if not by_name.isDefault():
                return by_name
        return self._mime.mimeTypeForName(attachment.content_type)

    def _icon(self, attachment: Attachment) -> QIcon:
        """The icon of the attachment's type: an attached message's, else the system's icon of
        the type named by the file's real extension (else the sender's Content-Type)."""
        if is_message(attachment):
            return QIcon.fromTheme("message-rfc822", QIcon.fromTheme("mail-message", self._file_icon()))
        kind = self._mime_type(attachment)
        for name in (kind.iconName(), kind.genericIconName()) if kind.isValid() else ():
            icon = QIcon.fromTheme(name)
            if not icon.isNull():
                return icon
        name = safe_filename(attachment.filename) if real_extension(attachment.filename) else ""
        if name:
            icon = self._icons.icon(QFileInfo(name))  # the desktop's icon for the extension (Windows)
            if not icon.isNull():
                return icon
        return self._file_icon()

    def _file_icon(self) -> QIcon:
        return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _fit_height(self) -> None:
        """As tall as the wrapped lines of files at the list's width, at most
        :data:`MAX_VISIBLE_ROWS` lines (then it scrolls)."""
        view = self.list
        row = max(view.sizeHintForRow(0) if view.count() else self.fontMetrics().height() + 4, 1)
        lines = 1
        if view.count():
            view.doItemsLayout()
            tops = {view.visualItemRect(view.item(i)).top() + view.verticalOffset() for i in range(view.count())}
            lines = min(len(tops), MAX_VISIBLE_ROWS)
        height = lines * (row + 2 * view.spacing()) + 2 * view.frameWidth() + 2
        if view.height() != height:
            view.setFixedHeight(height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.Resize:
            self._fit_timer.start()  # the files wrap anew at the new width
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 400), hint.height())

    def _update_buttons(self) -> None:
        has = self.current() is not None
        self.open_button.setEnabled(has)
        self.save_button.setEnabled(has)
        self.save_all_button.setEnabled(len(self._attachments) > 1)
        self.save_all_button.setVisible(len(self._attachments) > 1)
        attachment = self.current()
        if attachment is not None and not is_message(attachment) and self.risk(attachment).forbidden:
            self.open_button.setEnabled(False)
            self.open_button.setToolTip(
                self.tr("Your agency's policy does not allow opening this file here; it can be saved.")
            )
        else:
            self.open_button.setToolTip(self.tr("Open the attachment with the program for its type (Enter)"))

    def current(self) -> Attachment | None:
        item = self.list.currentItem()
        if item is None:
            return None
        index = item.data(INDEX_ROLE)
        return self._attachments[index] if isinstance(index, int) and 0 <= index < len(self._attachments) else None

    # ------------------------------------------------------------------ status and progress

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("QLabel { color: #b00020; }" if error else "")
        self.status.setVisible(bool(text))
        self.status_changed.emit(text)

    def _error(self, error: GovMailError) -> None:
        if isinstance(error, Cancelled):
            self._set_status(self.tr("Cancelled."))
            return
        self._set_status(error.user_text(), error=True)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if not busy:
            self.progress.setRange(0, 0)

    def _show_busy(self) -> None:
        if self._tasks:
            self._set_busy(True)

    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        if task_id not in self._tasks:
            return
        self._set_busy(True)
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
            self.progress.setFormat(self.tr("Downloading {done} of {total}").format(
                done=size_text(done), total=size_text(total)))
        else:
            self.progress.setRange(0, 0)

    def _started(self, task: AttachmentTask) -> None:
        self._tasks[task.id] = task
        self.progress.setFormat("")
        self._busy_timer.start()

    def _ended(self, task: AttachmentTask) -> None:
        self._tasks.pop(task.id, None)
        if not self._tasks:
            self._busy_timer.stop()
            self._set_busy(False)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel(self) -> None:
        """Stop the running fetches (between their chunks); nothing is saved or opened."""
        for task in list(self._tasks.values()):
            task.cancel()

    def _source(self) -> PartSource | None:
        if self._raw is not None:
            return RawMessageSource(self._raw)
        if self.source_for is not None:
            return self.source_for(self._folder_id, self._uid)
        return None

    def _source_or_say(self) -> PartSource | None:
        source = self._source()
        if source is None:
            self._set_status(self.tr("The attachments of this message are not available on this computer."),
                             error=True)
        return source

    def _job(self, start: Callable[[Callable[[object], None], Callable[[GovMailError], None]], AttachmentTask],
             on_done: Callable[[object], None]) -> AttachmentTask:
        """Start a service job, tracking it for progress and Cancel."""
        holder: list[AttachmentTask] = []
        alive = self._alive

        def done(result: object) -> None:
            if not alive[0]:  # closed meanwhile: the file was saved all the same
                return
            if holder:
                self._ended(holder[0])
            on_done(result)

        def failed(error: GovMailError) -> None:
            if not alive[0]:
                log.info("Attachment job of a closed window failed: %s", error)
                return
            if holder:
                self._ended(holder[0])
            self._error(error)

        task = start(done, failed)
        holder.append(task)
        self._started(task)
        return task

    # ------------------------------------------------------------------ open

    def open_current(self) -> None:
        attachment = self.current()
        if attachment is not None:
            self.open_attachment(attachment)

    def open_attachment(self, attachment: Attachment) -> None:
        """An attached message in the message window; a file with the system's application
        (a risky one after a confirmation that says why; refused when the policy forbids it)."""
        if is_message(attachment):
            self._open_message(attachment)
            return
        risk = self.risk(attachment)
        if risk.forbidden:
            self._refuse(attachment, risk)
            return
        if risk.needs_confirmation:
            self._confirm_open(attachment, risk)
            return
        self._open_file(attachment, confirmed=False)

    def _open_file(self, attachment: Attachment, *, confirmed: bool) -> None:
        source = self._source_or_say()
        if source is None:
            return
        self._set_status(self.tr("Opening “{name}”…").format(name=attachment.display_name))
        service = self.service
        self._job(
            lambda done, failed: service.open_copy(source, attachment, self._rules, confirmed=confirmed,
                                                   on_done=done, on_error=failed),
            lambda path: self._opened(attachment, Path(str(path))),
        )

    def _opened(self, attachment: Attachment, path: Path) -> None:
        if self.open_url(QUrl.fromLocalFile(str(path))):
            self._set_status(self.tr("Opened a read-only copy of “{name}”.").format(name=attachment.display_name))
        else:
            self._set_status(self.tr("No program on this computer opens “{name}”. You can save it instead.").format(
                name=attachment.display_name), error=True)

    def _message_box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = plain_label(QMessageBox(self))
        box.setObjectName("attachmentQuestion")
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        box.finished.connect(box.deleteLater)
        self.pending = box
        return box

    def _refuse(self, attachment: Attachment, risk: Risk) -> QMessageBox:
        error = OpenForbidden(name=attachment.display_name)
        text = "\n\n".join((*risk.reasons, error.user_text()))
        box = self._message_box(QMessageBox.Icon.Warning, self.tr("Opening not allowed"), text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self._set_status(error.message.text(), error=True)
        box.open()
        return box

    def _confirm_open(self, attachment: Attachment, risk: Risk) -> QMessageBox:
        box = self._message_box(QMessageBox.Icon.Warning, self.tr("Open a risky file?"), risk.confirmation_text())
        box.setInformativeText(self.tr("Do you still want to open “{name}”?").format(name=attachment.display_name))
        open_anyway = box.addButton(self.tr("Open Anyway"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)

        def answered() -> None:
            if box.clickedButton() is open_anyway:
                self._open_file(attachment, confirmed=True)

        box.finished.connect(answered)
        box.open()
        return box

    def _open_message(self, attachment: Attachment) -> None:
        source = self._source_or_say()
        if source is None:
            return
        title = attachment.subject or self.tr("(no subject)")
        service = self.service
        self._job(lambda done, failed: service.read(source, attachment, done, failed),
                  lambda raw: self._show_message(bytes(raw), title))  # type: ignore[call-overload]

    def _show_message(self, raw: bytes, title: str) -> None:
        try:
            self.open_message(raw, title)
        except Exception:  # the message window is missing or failed: say so, keep the app
            log.exception("An attached message could not be shown")
            self._set_status(self.tr("The attached message could not be shown. You can save it instead."),
                             error=True)

    # ------------------------------------------------------------------ save

    def _start_folder(self) -> Path:
        if self.last_folder is not None and self.last_folder.is_dir():
            return self.last_folder
        downloads = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        return Path(downloads) if downloads and Path(downloads).is_dir() else Path.home()

    def _file_dialog(self, title: str) -> QFileDialog:
        chooser = QFileDialog(self, title)
        chooser.setOption(QFileDialog.Option.DontUseNativeDialog, not _native_dialogs())
        chooser.finished.connect(chooser.deleteLater)
        self.pending = chooser
        return chooser

    def save_current(self) -> QFileDialog | None:
        attachment = self.current()
        return self.choose_save_path(attachment) if attachment is not None else None

    def choose_save_path(self, attachment: Attachment) -> QFileDialog:
        """The save dialog, proposing the attachment's safe name in the last folder used; an
        existing file is replaced only after the dialog's own question."""
        chooser = self._file_dialog(self.tr("Save Attachment"))
        chooser.setObjectName("attachmentSaveChooser")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setFileMode(QFileDialog.FileMode.AnyFile)
        chooser.setDirectory(str(self._start_folder()))
        chooser.selectFile(suggested_name(attachment))
        chooser.fileSelected.connect(lambda path: self.save_to(attachment, Path(path), replace=Path(path).exists()))
        chooser.open()
        return chooser

    def save_to(self, attachment: Attachment, path: Path, *, replace: bool = False) -> None:
        """Save ``attachment`` as ``path`` (``replace``: the user confirmed replacing it)."""
        source = self._source_or_say()
        if source is None:
            return
        self.last_folder = path.parent
        service = self.service
        self._set_status(self.tr("Saving “{name}”…").format(name=attachment.display_name))
        self._job(
            lambda done, failed: service.save(source, attachment, path, replace=replace, on_done=done,
                                              on_error=failed),
            lambda saved: self._set_status(self.tr("Saved as “{path}”.").format(path=str(saved))),
        )

    def save_all(self) -> QFileDialog | None:
        if not self._attachments:
            return None
        chooser = self._file_dialog(self.tr("Save All Attachments to Folder"))
        chooser.setObjectName("attachmentFolderChooser")
        chooser.setFileMode(QFileDialog.FileMode.Directory)
        chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        chooser.setDirectory(str(self._start_folder()))
        chooser.fileSelected.connect(lambda folder: self.save_all_to(Path(folder)))
        chooser.open()
        return chooser

    def save_all_to(self, folder: Path) -> None:
        """Every attachment into ``folder``; names made safe and numbered, nothing overwritten."""
        source = self._source_or_say()
        if source is None:
            return
        self.last_folder = folder
        service = self.service
        attachments = self._attachments
        self._set_status(self.tr("Saving {count} attachments…").format(count=len(attachments)))
        self._job(
            lambda done, failed: service.save_all(source, attachments, folder, on_done=done, on_error=failed),
            lambda result: self._saved_all(folder, result),  # type: ignore[arg-type]
        )

    def _saved_all(self, folder: Path, result: SaveAllResult) -> None:
        lines = []
        if result.saved:
            lines.append(self.tr("Saved {count} files to “{folder}”.").format(
                count=len(result.saved), folder=str(folder)))
        for sent, saved in result.renamed:
            lines.append(self.tr("“{sent}” was saved as “{saved}”.").format(sent=sent, saved=saved))
        if result.error is not None:
            if isinstance(result.error, Cancelled):
                lines.append(self.tr("Cancelled."))
            else:
                lines.append(result.error.user_text())
        self._set_status("\n".join(lines), error=result.error is not None and not isinstance(result.error, Cancelled))

    # ------------------------------------------------------------------ menu

    def _context_menu(self, pos: QPoint) -> None:
        attachment = self.current()
        if attachment is None:
            return
        menu = QMenu(self)
        menu.setObjectName("attachmentMenu")
        menu.addAction(self.tr("Open"), self.open_current).setEnabled(self.open_button.isEnabled())
        menu.addAction(self.tr("Save…"), self.save_current)
        if len(self._attachments) > 1:
            menu.addAction(self.tr("Save All…"), self.save_all)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.list.viewport().mapToGlobal(pos))
