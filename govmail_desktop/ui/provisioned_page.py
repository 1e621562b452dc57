"""The setup wizard's first page when the machine policy provisions the account.

The address, the login and the servers come from the policy (policy/provisioning.py) and are
shown read-only, saying why; the page asks only for the password — and for the sender's name
when the policy leaves it to the user (``provisioning.display_name``: ``ask``, or the system
knows no full name). The connection test and the save are the wizard's usual second page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWizardPage

from govmail_desktop.core.accounts import InvalidAccount, ServerSettings, SmtpProbe
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.policy.provisioning import Provisioned

if TYPE_CHECKING:
    from govmail_desktop.ui.setup_wizard import SetupWizard

_ERROR_STYLE = "color: #b00020;"
_READ_ONLY_STYLE = "background-color: palette(window);"


class ProvisionedPage(QWizardPage):
    """Password (and the name, when asked for) of the account the policy sets up."""

    def __init__(self, wizard: SetupWizard, provisioned: Provisioned) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.provisioned = provisioned
        self.setObjectName("provisionedPage")
        account = provisioned.account

        # The address and the servers are the policy's data: plain text, read-only.
        self.address = self._read_only("address", account.address)
        self.imap = self._read_only("imap", "")
        self.smtp = self._read_only("smtp", "")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("display_name")
        self.display_name.setText(account.display_name)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.locked_note = QLabel(self)
        self.locked_note.setObjectName("locked_note")
        self.locked_note.setWordWrap(True)
        self.session_note = QLabel(self)
        self.session_note.setObjectName("session_note")
        self.session_note.setWordWrap(True)
        self.session_note.setVisible(provisioned.ask_each_session)
        self.error_label = plain_label(QLabel(self))
        self.error_label.setObjectName("page_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.hide()

        form = QFormLayout()
        self._address_label = QLabel(self)
        self._imap_label = QLabel(self)
        self._smtp_label = QLabel(self)
        self._name_label = QLabel(self)
        self._password_label = QLabel(self)
        form.addRow(self._address_label, self.address)
        form.addRow(self._imap_label, self.imap)
        form.addRow(self._smtp_label, self.smtp)
        if provisioned.ask_name:
            form.addRow(self._name_label, self.display_name)
        else:
            self.display_name.hide()
            self._name_label.hide()
        form.addRow(self._password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.locked_note)
        layout.addLayout(form)
        layout.addWidget(self.session_note)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.retranslate_ui()

    def _read_only(self, name: str, text: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setText(text)
        field.setReadOnly(True)
        field.setStyleSheet(_READ_ONLY_STYLE)
        field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return field

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Your mail account"))
        self.setSubTitle(self.tr("Your agency has set up your e-mail account. Enter your password."))
        self._address_label.setText(self.tr("E-mail address:"))
        self._imap_label.setText(self.tr("Incoming mail (IMAP):"))
        self._smtp_label.setText(self.tr("Outgoing mail (SMTP):"))
        self._name_label.setText(self.tr("Your name:"))
        self._password_label.setText(self.tr("Password:"))
        self.display_name.setPlaceholderText(self.tr("Shown to the people you write to"))
        self.locked_note.setText(self.tr(
            "The address and the mail servers are set by your agency's policy and cannot be changed."))
        self.session_note.setText(self.tr(
            "Your agency's policy does not let the password be saved: you will be asked for it each "
            "time you start GovMail Desktop."))
        tip = self.tr("Set by your agency's policy")
        account = self.provisioned.account
        for field, server in ((self.imap, account.imap), (self.smtp, account.smtp)):
            field.setText(self._server_text(server))
            field.setToolTip(tip)
        self.address.setToolTip(tip)

    def _server_text(self, server: ServerSettings | SmtpProbe) -> str:
        if isinstance(server, SmtpProbe):
            return server.host
        security = {"tls": "TLS", "starttls": "STARTTLS"}[server.security]
        return self.tr("{host}, port {port}, encrypted ({security})").format(
            host=server.host, port=server.port, security=security)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def validatePage(self) -> bool:
        self.error_label.hide()
        if not self.password.text():
            self._show_error(self.tr("Please enter your password."))
            self.password.setFocus()
            return False
        account = self.provisioned.account
        try:
            if self.provisioned.ask_name:
                account = replace(account, display_name=self.display_name.text())
        except InvalidAccount as exc:
            self._show_error(exc.user_text(self._wizard.language()))
            self.display_name.setFocus()
            return False
        self._wizard.draft = account
        return True

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self._wizard.grow_to_fit()
