"""Asks for an account's password when the server refused it or none is known.

Shown non-modally (``open()``) when a connection needs a password that neither
the keyring nor this session's memory holds, or when the server refused the
one it had (changed on the server, keyring lost). The password goes to memory
for this session and, if the user wants and the account uses the keyring, to
the keyring — never to a file (:class:`~govmail_desktop.services.account_setup.PasswordKeeper`
does both, the keyring off the GUI thread). :class:`PasswordPrompts` opens the
prompt when an account's mailbox needs a password.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.accounts import Account
from govmail_desktop.core.errors import GovMailError, PasswordNeeded
from govmail_desktop.i18n.catalog import current_language
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.services.account_setup import PasswordKeeper
from govmail_desktop.services.mailbox import MailboxService


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
        # The address and the server's reason are data: plain text.
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


class PasswordPrompts(QObject):
    """Asks for the password of each account whose mailbox needs one (one prompt per
    account at a time), hands it to the :class:`PasswordKeeper` and connects again.

    Without a keeper (nowhere to keep a typed password) the reason is said in the
    status bar instead, until the account is connected.
    """

    def __init__(self, window: QWidget, passwords: PasswordKeeper | None, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.passwords = passwords
        self._open: dict[str, PasswordPrompt] = {}

    def watch(self, account: Account, service: MailboxService) -> None:
        """Ask when ``service`` says the account needs its password."""
        service.password_needed.connect(partial(self.ask, account, service))

    def ask(self, account: Account, service: MailboxService, error: object) -> None:
        if account.id in self._open:
            return  # the open prompt already says it
        if self.passwords is None:
            if isinstance(error, GovMailError):
                service.report_connection_problem(error)  # ends once connected
            return
        # None known yet: the intro says all there is. Refused: the server's reason.
        reason = (
            error.user_text(current_language())
            if isinstance(error, GovMailError) and not isinstance(error, PasswordNeeded)
            else ""
        )
        can_remember = self.passwords.can_keep and not getattr(account, "ask_password_each_session", False)
        prompt = PasswordPrompt(account.address, reason, can_remember=can_remember, parent=self.window)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.password_entered.connect(partial(self._entered, account.id, service))
        prompt.finished.connect(partial(self._closed, account.id))
        prompt.rejected.connect(partial(self._cancelled, service, error))
        self._open[account.id] = prompt
        prompt.open()

    def _closed(self, account_id: str, _result: int) -> None:
        self._open.pop(account_id, None)

    @staticmethod
    def _cancelled(service: MailboxService, error: object) -> None:
        """No password given: the status bar says why the account stays offline (until
        it is connected)."""
        if isinstance(error, GovMailError):
            service.report_connection_problem(error)

    def _entered(self, account_id: str, service: MailboxService, password: str, remember: bool) -> None:
        if self.passwords is not None:
            self.passwords.remember(account_id, password, keep=remember)
        service.retry_connection()
