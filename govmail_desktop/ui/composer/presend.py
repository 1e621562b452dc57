"""The summary shown before sending when the policy has something to say.

Blocked: each offending address or attachment is named with the reason, and
the only way on is back to the message (there is no "send anyway"). Warned:
each warned address or file is named, and Send stays disabled until the user
ticks a confirmation that names exactly those addresses and files.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.services.compose import SendCheckResult

BLOCK_COLOUR = "#b71c1c"
WARN_COLOUR = "#8a5a00"


class PreSendDialog(QDialog):
    """Accepted only for a warned message whose warnings the user confirmed."""

    def __init__(self, check: SendCheckResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preSendDialog")
        self.check = check
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)
        self.heading = plain_label(QLabel(self))
        self.heading.setObjectName("preSendHeading")
        self.heading.setWordWrap(True)
        heading_font = self.heading.font()
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.findings = QListWidget(self)
        self.findings.setObjectName("preSendFindings")
        self.findings.setWordWrap(True)
        self.findings.setAlternatingRowColors(True)
        self.confirm_box = QCheckBox(self)
        self.confirm_box.setObjectName("confirmWarnings")
        #: What the confirmation is about: the warned addresses and files, by name.
        self.confirm_names = plain_label(QLabel(self))
        self.confirm_names.setObjectName("confirmNames")
        self.confirm_names.setWordWrap(True)
        self.confirm_names.setIndent(24)
        self.buttons = QDialogButtonBox(self)
        self.send_button: QPushButton | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.findings, 1)
        layout.addWidget(self.confirm_box)
        layout.addWidget(self.confirm_names)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self._fill()

    @property
    def blocked(self) -> bool:
        return bool(self.check.blocked)

    def warned_names(self) -> list[str]:
        """The addresses and files the confirmation names (each once, in order)."""
        names: list[str] = []
        for finding in self.check.findings:
            if finding.level == "warn" and finding.subject and finding.subject not in names:
                names.append(finding.subject)
        return names

    def _fill(self) -> None:
        for finding in self.check.findings:
            blocked = finding.level == "block"
            prefix = self.tr("Blocked") if blocked else self.tr("Warning")
            # The policy's words name the address or file themselves.
            item = QListWidgetItem(f"{prefix}: {finding.text()}")
            item.setForeground(QColor(BLOCK_COLOUR if blocked else WARN_COLOUR))
            self.findings.addItem(item)
        if self.blocked:
            self.setWindowTitle(self.tr("This message cannot be sent"))
            self.heading.setText(self.tr(
                "Your agency's policy does not allow this message to be sent as it is. "
                "Change what is listed below, then send again."))
            self.heading.setStyleSheet(f"color: {BLOCK_COLOUR};")
            self.confirm_box.hide()
            self.confirm_names.hide()
            back = self.buttons.addButton(self.tr("Back to the Message"), QDialogButtonBox.ButtonRole.RejectRole)
            back.setObjectName("backButton")
            back.setDefault(True)
            return
        self.setWindowTitle(self.tr("Check before sending"))
        self.heading.setText(self.tr("Please check the following before the message is sent."))
        self.heading.setStyleSheet(f"color: {WARN_COLOUR};")
        self.confirm_box.setText(self.tr("I have checked these and want to send the message anyway:"))
        self.confirm_names.setText("\n".join(self.warned_names()))
        self.send_button = self.buttons.addButton(self.tr("Send Anyway"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setObjectName("sendAnywayButton")
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.accept)
        cancel = self.buttons.addButton(self.tr("Back to the Message"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("backButton")
        cancel.setDefault(True)
        self.confirm_box.toggled.connect(self.send_button.setEnabled)

    def accept(self) -> None:
        if self.blocked or not self.confirm_box.isChecked():
            return  # nothing but an explicit confirmation of a warned message gets through
        super().accept()

