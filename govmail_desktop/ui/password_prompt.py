"""Asks for an account's password when the server refused it or none is known.

Shown non-modally (``open()``) when a connection needs a password that neither
the keyring nor this session's memory holds, or when the server refused the
one it had (changed on the server, keyring lost). The password goes to memory
for this session and, if the user wants and the account uses the keyring, to
the keyring — never to a file.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.models.plain_text import plain_label


class PasswordPrompt(QDialog):
    """Signals: ``password_entered(password: str, remember: bool)`` when confirmed."""

    password_entered = Signal(str, bool)

    def __init__(
        self,
        address: str,
        reason: str,
        *,
        can_remember: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordPrompt")
        self._address = address
        self._reason = reason
        # The address and the server's reason are data: plain text (issue 8).
        self.intro = plain_label(QLabel(self))
        self.intro.setWordWrap(True)
        self.reason_label = plain_label(QLabel(self))
        self.reason_label.setObjectName("reason")
        self.reason_label.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self)
        self.remember.setObjectName("remember")
        self.remember.setChecked(can_remember)
        self.remember.setVisible(can_remember)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.password.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.reason_label, self.password, self.remember, self.buttons):
            layout.addWidget(widget)
        self.retranslate_ui()
        self._update_ok()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Password"))
        self.intro.setText(self.tr("Please enter the password of {address}.").format(address=self._address))
        self.reason_label.setText(self._reason)
        self.reason_label.setVisible(bool(self._reason))
        self.remember.setText(self.tr("Remember the password in the system's password store (keyring)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.password.text()))

    def _confirm(self) -> None:
        password = self.password.text()
        if not password:
            return
        remember = self.remember.isVisible() and self.remember.isChecked()
        self.password.clear()  # do not keep it in the widget longer than needed
        self.password_entered.emit(password, remember)
        self.accept()
