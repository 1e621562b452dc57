"""The attachment list of the composer: each file with its size, the total against the limit.

A file the policy blocks by its name (a program, a disguised double extension)
is shown in red with the reason at once; the total turns red when it passes
the agency's limit. Files come from the Attach button (a file dialog), drag
and drop onto the composer, and paste; this widget only shows them and says
which one the user wants removed (``removeRequested``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from govmail_desktop.core.compose import DraftAttachment
from govmail_desktop.models.plain_text import plain_label, plain_tooltip
from govmail_desktop.policy.attachments import safe_display_name
from govmail_desktop.services.compose import ComposeSession, human_size
from govmail_desktop.ui import icons

STORED_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
BLOCK_COLOUR = "#b71c1c"


class AttachmentList(QWidget):
    """Signals: removeRequested(str stored_name), attachRequested()."""

    removeRequested = Signal(str)
    attachRequested = Signal()

    def __init__(self, session: ComposeSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.list = QListWidget(self)
        self.list.setObjectName("attachmentList")
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setIconSize(QSize(16, 16))
        self.list.setMaximumHeight(72)
        self.list.installEventFilter(self)
        self.total_label = plain_label(QLabel(self))
        self.total_label.setObjectName("attachmentTotal")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeAttachmentButton")
        self.remove_button.clicked.connect(self._remove_selected)
        self.remove_button.setEnabled(False)
        self.list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectedItems()))
        )
        row = QHBoxLayout()
        row.addWidget(self.total_label, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        session.attachmentsChanged.connect(self.refresh)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove the selected attachment (Delete)"))
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for attachment in self.session.listed_attachments:  # the rich body's pictures are in the body
            self.list.addItem(self._item(attachment))
        total = self.session.attachment_total()
        limit = self.session.attachment_limit()
        if limit is None:
            text = self.tr("Attachments: {total}").format(total=human_size(total))
        else:
            text = self.tr("Attachments: {total} of at most {limit}").format(
                total=human_size(total), limit=human_size(limit))
        if self.session.over_limit():
            text += " — " + self.tr("too large to send; remove some files")
        self.total_label.setText(text)
        over = self.session.over_limit()
        self.total_label.setStyleSheet(f"color: {BLOCK_COLOUR}; font-weight: bold;" if over else "")
        self.setVisible(bool(self.session.listed_attachments) or over)

    def _item(self, attachment: DraftAttachment) -> QListWidgetItem:
        shown = safe_display_name(attachment.filename)
        item = QListWidgetItem(icons.icon("mail-attachment"), f"{shown} ({human_size(attachment.size)})")
        item.setData(STORED_NAME_ROLE, attachment.stored_name)
        findings = self.session.attachment_findings(attachment)
        if findings:
            item.setForeground(QColor(BLOCK_COLOUR))
            item.setToolTip(plain_tooltip("\n".join(f.text() for f in findings)))
        else:
            item.setToolTip(plain_tooltip(shown))
        return item

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.removeRequested.emit(str(item.data(STORED_NAME_ROLE)))

    def eventFilter(self, watched: object, event: object) -> bool:  # Qt's method name
        if watched is self.list and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self._remove_selected()
                return True
        return False

    def item_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
