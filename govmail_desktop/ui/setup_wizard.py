"""First-run setup wizard: address + password → connection test → saved.

Page 1 takes the address, password and name, recognises mail.go.th
addresses (built-in profile) and has an "Own mail servers" section for
agencies with their own servers; fields the agency's policy locks are shown
read-only. Page 2 runs the connection test through the full policy on a
worker thread (:class:`~govmail_desktop.services.account_setup.AccountSetupService`)
with a busy indicator, the current step and a working Cancel button, then
either saves the account through the service (settings + keyring, or "ask
each session") or shows one specific error. The wizard holds no account logic
and starts no thread: it shows what the service does.

The composition root (``app.py``) builds the service and opens the wizard, also
when :func:`needs_setup` is true::

    wizard = SetupWizard(AccountSetupService(policy, store, settings=settings, passwords=keeper))
    wizard.account_saved.connect(...)
    wizard.open()
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from govmail_desktop.core.accounts import (
    DUPLICATE_ADDRESS,
    LOCK_IMAP_HOST,
    LOCK_IMAP_PORT,
    LOCK_IMAP_SECURITY,
    LOCK_SMTP_HOST,
    LOCK_SMTP_PORT,
    LOCK_SMTP_SECURITY,
    Account,
    InvalidAccount,
    ServerFields,
    ServerSettings,
    build_account,
    locked_account_fields,
    needs_setup,
    normalize_address,
    recognise_profile,
)
from govmail_desktop.core.errors import GovMailError, PolicyRefused
from govmail_desktop.i18n.catalog import current_language
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.policy import api
from govmail_desktop.policy import messages as policy_messages
from govmail_desktop.policy.provisioning import Provisioned
from govmail_desktop.services.account_setup import AccountSetupService, SetupResult
from govmail_desktop.ui.provisioned_page import ProvisionedPage

log = logging.getLogger(__name__)

__all__ = ["SetupWizard", "needs_setup"]

_ERROR_STYLE = "color: #b00020;"


def _policy_locks(policy: Any) -> dict[str, Any]:
    locked = getattr(policy, "locked_settings", None)
    return locked_account_fields(locked() if callable(locked) else {})


class AccountPage(QWizardPage):
    """Address, password, name; the recognised service; own servers (advanced)."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setObjectName("accountPage")

        self.address = QLineEdit(self)
        self.address.setObjectName("address")
        self.address.setPlaceholderText("name@agency.go.th")
        self.address.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("display_name")
        # Labels that show names, host names or errors (which quote them): plain text.
        self.service_label = plain_label(QLabel(self))
        self.service_label.setObjectName("service_label")
        self.service_label.setWordWrap(True)
        self.ask_each_session = QCheckBox(self)
        self.ask_each_session.setObjectName("ask_each_session")

        self.advanced = QGroupBox(self)
        self.advanced.setObjectName("advanced")
        self.advanced.setCheckable(True)
        self.advanced.setChecked(False)
        self.login = QLineEdit(self.advanced)
        self.login.setObjectName("login")
        self.imap_host = QLineEdit(self.advanced)
        self.imap_host.setObjectName("imap_host")
        self.imap_port = QSpinBox(self.advanced)
        self.imap_port.setObjectName("imap_port")
        self.imap_port.setRange(1, 65535)
        self.imap_port.setValue(993)
        self.imap_security = self._security_combo("imap_security")
        self.smtp_host = QLineEdit(self.advanced)
        self.smtp_host.setObjectName("smtp_host")
        self.smtp_port = QSpinBox(self.advanced)
        self.smtp_port.setObjectName("smtp_port")
        self.smtp_port.setRange(0, 65535)  # 0 = try 465 → 587 → 25
        self.smtp_port.setValue(0)
        self.smtp_security = self._security_combo("smtp_security")

        self.locked_note = QLabel(self)
        self.locked_note.setObjectName("locked_note")
        self.locked_note.setWordWrap(True)
        self.error_label = plain_label(QLabel(self))
        self.error_label.setObjectName("page_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()  # shown with an error only: no empty row taking room

        form = QFormLayout()
        self._address_label = QLabel(self)
        self._password_label = QLabel(self)
        self._name_label = QLabel(self)
        form.addRow(self._address_label, self.address)
        form.addRow(self._password_label, self.password)
        form.addRow(self._name_label, self.display_name)

        adv = QGridLayout(self.advanced)
        self._login_label = QLabel(self.advanced)
        self._imap_label = QLabel(self.advanced)
        self._smtp_label = QLabel(self.advanced)
        self._host_header = QLabel(self.advanced)
        self._port_header = QLabel(self.advanced)
        self._security_header = QLabel(self.advanced)
        adv.addWidget(self._login_label, 0, 0)
        adv.addWidget(self.login, 0, 1, 1, 3)
        adv.addWidget(self._host_header, 1, 1)
        adv.addWidget(self._port_header, 1, 2)
        adv.addWidget(self._security_header, 1, 3)
        adv.addWidget(self._imap_label, 2, 0)
        adv.addWidget(self.imap_host, 2, 1)
        adv.addWidget(self.imap_port, 2, 2)
        adv.addWidget(self.imap_security, 2, 3)
        adv.addWidget(self._smtp_label, 3, 0)
        adv.addWidget(self.smtp_host, 3, 1)
        adv.addWidget(self.smtp_port, 3, 2)
        adv.addWidget(self.smtp_security, 3, 3)
        adv.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.service_label)
        layout.addWidget(self.ask_each_session)
        layout.addWidget(self.advanced)
        layout.addWidget(self.locked_note)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

        self._field_widgets: dict[str, QWidget] = {
            "address": self.address,
            "display_name": self.display_name,
            "login": self.login,
            "imap_host": self.imap_host,
            "imap_port": self.imap_port,
            "imap_security": self.imap_security,
            "smtp_host": self.smtp_host,
            "smtp_port": self.smtp_port,
            "smtp_security": self.smtp_security,
        }
        self._apply_locks()
        self.address.textChanged.connect(self._address_changed)
        self.imap_security.currentIndexChanged.connect(self._imap_security_changed)
        self.smtp_security.currentIndexChanged.connect(self._smtp_security_changed)
        self.smtp_port.valueChanged.connect(self._smtp_port_changed)
        self._smtp_port_changed()
        self.advanced.toggled.connect(self._advanced_toggled)
        self.retranslate_ui()

    def _security_combo(self, name: str) -> QComboBox:
        combo = QComboBox(self.advanced)
        combo.setObjectName(name)
        # Only encrypted choices exist: there is no way to pick plaintext.
        combo.addItem("", "tls")
        combo.addItem("", "starttls")
        return combo

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Your mail account"))
        self.setSubTitle(self.tr("Enter your government e-mail address and password."))
        self._address_label.setText(self.tr("E-mail address:"))
        self._password_label.setText(self.tr("Password:"))
        self._name_label.setText(self.tr("Your name:"))
        self.display_name.setPlaceholderText(self.tr("Shown to the people you write to"))
        self.ask_each_session.setText(self.tr("Ask for the password each session (do not save it)"))
        self.advanced.setTitle(self.tr("Own mail servers (advanced)"))
        self._login_label.setText(self.tr("Login name:"))
        self.login.setPlaceholderText(self.tr("Same as the e-mail address"))
        self._imap_label.setText(self.tr("Incoming mail (IMAP):"))
        self._smtp_label.setText(self.tr("Outgoing mail (SMTP):"))
        self._host_header.setText(self.tr("Server"))
        self._port_header.setText(self.tr("Port"))
        self._security_header.setText(self.tr("Encryption"))
        self.smtp_port.setSpecialValueText(self.tr("Automatic"))
        self.smtp_port.setToolTip(self.tr("Automatic: try ports 465, 587 and 25 and use the first that works."))
        self._size_server_fields()
        for combo in (self.imap_security, self.smtp_security):
            combo.setItemText(0, "TLS")
            combo.setItemText(1, "STARTTLS")
            combo.setToolTip(
                self.tr("TLS: encrypted from the start. STARTTLS: encrypted right after connecting. "
                        "Unencrypted connections are not possible.")
            )
        locked_tip = self.tr("Set by your agency's policy")
        for key in self._wizard.locks:
            widget = self._lock_widget(key)
            widget.setToolTip(locked_tip)
        if self._wizard.locks:
            self.locked_note.setText(
                self.tr("Some server settings are set by your agency's policy and cannot be changed.")
            )
        self._address_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _size_server_fields(self) -> None:
        """Room for what the fields hold: a usual server name, and a port field wide enough
        for "Automatic" in the UI language (Qt sizes a spin box for its numbers only)."""
        metrics = self.imap_host.fontMetrics()
        host_width = metrics.horizontalAdvance("imap.mail.agency.go.th") + 16
        self.imap_host.setMinimumWidth(host_width)
        self.smtp_host.setMinimumWidth(host_width)
        for spin in (self.imap_port, self.smtp_port):
            spin.setMinimumWidth(0)
            numbers = spin.fontMetrics().horizontalAdvance(str(spin.maximum()))
            chrome = spin.sizeHint().width() - numbers  # buttons, frame, margins
            special = spin.fontMetrics().horizontalAdvance(spin.specialValueText())
            # Thai vowel and tone marks may reach past the advance: a few pixels more.
            spin.setMinimumWidth(max(numbers, special) + chrome + 8)

    @Slot(bool)
    def _advanced_toggled(self, _on: bool) -> None:
        self.error_label.clear()
        self.error_label.hide()
        self._wizard.grow_to_fit()

    # -- policy locks -------------------------------------------------------------
    def _lock_widget(self, key: str) -> QWidget:
        return {
            LOCK_IMAP_HOST: self.imap_host,
            LOCK_IMAP_PORT: self.imap_port,
            LOCK_IMAP_SECURITY: self.imap_security,
            LOCK_SMTP_HOST: self.smtp_host,
            LOCK_SMTP_PORT: self.smtp_port,
            LOCK_SMTP_SECURITY: self.smtp_security,
        }[key]

    def _apply_locks(self) -> None:
        locks = self._wizard.locks
        if not locks:
            return
        # Locked servers apply to every address: the section is always in use.
        self.advanced.setCheckable(False)
        for key, value in locks.items():
            widget = self._lock_widget(key)
            # Read-only and visibly so: the window colour instead of an input field's.
            widget.setStyleSheet("background-color: palette(window);")
            if isinstance(widget, QLineEdit):
                widget.setText(str(value))
                widget.setReadOnly(True)
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
                widget.setReadOnly(True)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
                widget.setEnabled(False)

    def _locked(self, key: str) -> bool:
        return key in self._wizard.locks

    # -- reacting to input -------------------------------------------------------
    def _uses_own_servers(self) -> bool:
        return not self.advanced.isCheckable() or self.advanced.isChecked()

    @Slot()
    def _address_changed(self) -> None:
        text = self.address.text().strip()
        try:
            address = normalize_address(text)
        except InvalidAccount:
            self.service_label.clear()
            return
        profile = recognise_profile(address, domain_allowed=self._wizard.domain_allowed)
        if profile is not None:
            self.service_label.setText(
                self.tr("Service: {name}").format(name=profile.name.text(self._wizard.language()))
            )
            if not self.advanced.isChecked() or not self.advanced.isCheckable():
                self._fill_servers(profile.imap, profile.smtp.host)
        else:
            self.service_label.setText(
                self.tr(
                    "This address is not on the mail.go.th service. Please enter your agency's "
                    "mail servers under \"Own mail servers\"."
                )
            )

    def _fill_servers(self, imap: ServerSettings, smtp_host: str) -> None:
        """Show the profile's servers in the advanced section (locked fields stay)."""
        if not self._locked(LOCK_IMAP_HOST):
            self.imap_host.setText(imap.host)
        if not self._locked(LOCK_IMAP_SECURITY):
            self.imap_security.setCurrentIndex(self.imap_security.findData(imap.security))
        if not self._locked(LOCK_IMAP_PORT):
            self.imap_port.setValue(imap.port)
        if not self._locked(LOCK_SMTP_HOST):
            self.smtp_host.setText(smtp_host)
        if not self._locked(LOCK_SMTP_PORT):
            self.smtp_port.setValue(0)

    @Slot()
    def _imap_security_changed(self) -> None:
        if self._locked(LOCK_IMAP_PORT):
            return
        tls = self.imap_security.currentData() == "tls"
        if self.imap_port.value() in (993, 143):
            self.imap_port.setValue(993 if tls else 143)

    @Slot()
    def _smtp_port_changed(self) -> None:
        # "Automatic" probes each port with its own encryption: nothing to choose.
        if not self._locked(LOCK_SMTP_SECURITY):
            self.smtp_security.setEnabled(self.smtp_port.value() != 0)

    @Slot()
    def _smtp_security_changed(self) -> None:
        if self._locked(LOCK_SMTP_PORT):
            return
        tls = self.smtp_security.currentData() == "tls"
        if self.smtp_port.value() in (465, 587):
            self.smtp_port.setValue(465 if tls else 587)

    # -- leaving the page -------------------------------------------------------
    def server_fields(self) -> ServerFields | None:
        if not self._uses_own_servers():
            return None
        smtp_port = self.smtp_port.value()
        return ServerFields(
            imap_host=self.imap_host.text(),
            imap_port=self.imap_port.value(),
            imap_security=self.imap_security.currentData(),
            smtp_host=self.smtp_host.text(),
            smtp_port=smtp_port or None,
            smtp_security=self.smtp_security.currentData(),
        )

    def validatePage(self) -> bool:
        self.error_label.clear()
        self.error_label.hide()
        if not self.password.text():
            self._show_error(self.tr("Please enter your password."), self.password)
            return False
        try:
            account = build_account(
                self.address.text(),
                display_name=self.display_name.text(),
                login=self.login.text(),
                servers=self.server_fields(),
                locked=self._wizard.locks,
                domain_allowed=self._wizard.domain_allowed,
                ask_password_each_session=self.ask_each_session.isChecked(),
            )
            if self._wizard.service.find_account(account.address) is not None:
                raise InvalidAccount(
                    DUPLICATE_ADDRESS, field="address", detail="duplicate address"
                )
        except InvalidAccount as exc:
            if exc.field in ("imap_host", "smtp_host") and self.advanced.isCheckable():
                self.advanced.setChecked(True)
            self._show_error(exc.user_text(self._wizard.language()), self._field_widgets.get(exc.field))
            return False
        self._wizard.draft = account
        return True

    def _show_error(self, text: str, widget: QWidget | None) -> None:
        # The hint above already says it (an address outside mail.go.th, no servers yet):
        # not twice, once in red.
        self.error_label.setText("" if text == self.service_label.text() else text)
        self.error_label.setVisible(bool(self.error_label.text()))
        if widget is not None:
            widget.setFocus()
        self._wizard.grow_to_fit()


class CheckPage(QWizardPage):
    """The connection test: busy indicator, current step, Cancel; then saved or one error."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setObjectName("checkPage")
        self.saved_account: Account | None = None
        self._pending: SetupResult | None = None

        self.busy = QProgressBar(self)
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # indeterminate: "working"
        self.busy.setTextVisible(False)
        # Steps, server errors and the saved servers quote host names: plain text.
        self.step_label = plain_label(QLabel(self))
        self.step_label.setObjectName("step")
        self.step_label.setWordWrap(True)
        self.error_label = plain_label(QLabel(self))
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # What IT staff must change when the policy refused (quotes host names): plain text.
        self.advice_label = plain_label(QLabel(self))
        self.advice_label.setObjectName("advice")
        self.advice_label.setWordWrap(True)
        self.advice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label = plain_label(QLabel(self))
        self.done_label.setObjectName("done")
        self.done_label.setWordWrap(True)
        self._state = "idle"

        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancel_check")
        self.retry_button = QPushButton(self)
        self.retry_button.setObjectName("retry")
        self.change_button = QPushButton(self)
        self.change_button.setObjectName("change_details")
        self.session_button = QPushButton(self)
        self.session_button.setObjectName("use_session")

        buttons = QHBoxLayout()
        for button in (self.cancel_button, self.retry_button, self.change_button, self.session_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.step_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.advice_label)
        layout.addWidget(self.done_label)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.cancel_button.clicked.connect(self.cancel_check)
        self.retry_button.clicked.connect(self._start)
        self.change_button.clicked.connect(wizard.back)
        self.session_button.clicked.connect(self._use_session_passwords)
        service = wizard.service
        service.progress.connect(self._on_progress)
        service.finished.connect(self._on_finished)
        service.failed.connect(self._on_failed)
        service.cancelled.connect(self._on_cancelled)
        self.retranslate_ui()
        self._show_state("idle")

    def retranslate_ui(self) -> None:
        self._retranslate_heading()
        self.cancel_button.setText(self.tr("Cancel the check"))
        self.retry_button.setText(self.tr("Try again"))
        self.change_button.setText(self.tr("Change the details"))
        self.session_button.setText(self.tr("Ask for the password each session"))

    def _retranslate_heading(self) -> None:
        """Title and subtitle say where the check is: running, or how it ended."""
        state = self._state
        if state == "saved":
            self.setTitle(self.tr("Account set up"))
            self.setSubTitle(self.tr("Your account is ready."))
        elif state == "refused":
            self.setTitle(self.tr("Not allowed by the agency's policy"))
            self.setSubTitle(self.tr("The agency's mail policy does not allow this account or its servers."))
        elif state == "failed":
            self.setTitle(self.tr("The connection check failed"))
            self.setSubTitle(self.tr("You can try again, or change the details."))
        elif state == "cancelled":
            self.setTitle(self.tr("The check was cancelled"))
            self.setSubTitle(self.tr("You can try again, or change the details."))
        elif state == "keyring":
            self.setTitle(self.tr("The password cannot be saved"))
            self.setSubTitle(self.tr("The connection works, but this computer has no usable password store."))
        else:
            self.setTitle(self.tr("Checking the connection"))
            self.setSubTitle(self.tr("Signing in to your mail servers through the agency's policy."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- running ------------------------------------------------------------------
    def initializePage(self) -> None:
        self._start()

    def cleanupPage(self) -> None:
        self.cancel_check()

    def isComplete(self) -> bool:
        return self.saved_account is not None

    @Slot()
    def _start(self) -> None:
        wizard = self._wizard
        draft = wizard.draft
        if draft is None or wizard.service.is_running():
            return
        wizard.abandoned = False
        self.saved_account = None
        self._pending = None
        self.error_label.clear()
        self.advice_label.clear()
        self.done_label.clear()
        self.step_label.setText(self.tr("Starting…"))
        self._show_state("running")
        wizard.service.start(
            draft,
            wizard.account_page.password.text(),
            save_password=not draft.ask_password_each_session,
        )
        self.completeChanged.emit()

    @Slot()
    def cancel_check(self) -> None:
        if self._wizard.service.is_running():
            self.cancel_button.setEnabled(False)
            self.step_label.setText(self.tr("Cancelling…"))
            self._wizard.service.cancel()

    def _show_state(self, state: str) -> None:
        self._state = state
        running = state == "running"
        self.busy.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        # After a policy refusal trying again cannot help: the details or the policy must change.
        self.retry_button.setVisible(state in ("failed", "cancelled", "keyring"))
        self.change_button.setVisible(state in ("failed", "refused", "cancelled", "keyring"))
        self.session_button.setVisible(state == "keyring")
        self.step_label.setVisible(state in ("running", "cancelled"))
        self.advice_label.setVisible(state == "refused")
        self.error_label.setVisible(state in ("failed", "refused", "keyring"))
        self._retranslate_heading()

    # -- outcomes (GUI thread, queued from the worker) ---------------------------
    @Slot(str)
    def _on_progress(self, text: str) -> None:
        self.step_label.setText(text)

    @Slot(object)
    def _on_finished(self, result: SetupResult) -> None:
        if self._wizard.abandoned:
            self._wizard.service.discard(result)
            return
        if result.keyring_error is not None:
            self._pending = result
            self._show_state("keyring")
            self.error_label.setText(result.keyring_error.user_text(self._wizard.language()))
            return
        self._commit(result, ask_each_session=result.account.ask_password_each_session)

    @Slot(object)
    def _on_failed(self, error: GovMailError) -> None:
        if self._wizard.abandoned:
            return
        self.advice_label.setText(self._policy_advice(error) if isinstance(error, PolicyRefused) else "")
        self._show_state("refused" if isinstance(error, PolicyRefused) else "failed")
        self.error_label.setText(self._wizard.error_text(error))

    def _policy_advice(self, error: PolicyRefused) -> str:
        """Why "Try again" is not offered, and what IT staff would have to change (with the
        policy key they change, for govmail-admin), by the refusal's reason code."""
        args = error.message.args
        host = str(args.get("host", ""))
        if error.code == api.HOST_NOT_ALLOWED:
            return self.tr(
                "Trying again will not help. If {host} is your agency's mail server, your IT staff "
                "must add it to the servers the policy allows (servers.allow)."
            ).format(host=host)
        if error.code == api.HOST_DENIED or error.message.source == policy_messages.ACCOUNT_DENIED.source:
            return self.tr(
                "Trying again will not help: the policy blocks this mail service for official mail "
                "(servers.deny). Please set up your agency's e-mail account instead."
            )
        if error.code in (api.ADDRESS_NOT_THAILAND, api.ADDRESS_UNKNOWN, api.ADDRESS_PRIVATE):
            return self.tr(
                "Trying again will not help. If {host} is your agency's mail server, your IT staff "
                "must add its address range to the policy (addresses.allow_cidrs)."
            ).format(host=host)
        if error.code == api.ACCOUNT_DOMAIN:
            address = str(args.get("address", ""))
            return self.tr(
                "Trying again will not help. If {domain} is your agency's mail domain, your IT staff "
                "must add it to the domains the policy allows for accounts (accounts.allowed_domains)."
            ).format(domain=address.rpartition("@")[2] or address)
        if error.code == api.HOST_INVALID:
            return self.tr("Trying again will not help: please correct the server name (Change the details).")
        if error.code == api.POLICY_INVALID:
            return self.tr(
                "Trying again will not help: your IT staff must first correct the policy file "
                "(govmail-admin policy validate shows what is wrong)."
            )
        return self.tr(
            "Trying again will not help: the agency's mail policy refused this. Please contact your IT staff."
        )

    @Slot()
    def _on_cancelled(self) -> None:
        if self._wizard.abandoned:
            return
        self._show_state("cancelled")
        self.step_label.setText(self.tr("The check was cancelled."))

    def _commit_failed(self, error: GovMailError) -> None:
        # The settings could not be written (disk full...): the service has removed the
        # password a check kept for the account.
        self._show_state("failed")
        self.error_label.setText(error.user_text(self._wizard.language()))

    @Slot()
    def _use_session_passwords(self) -> None:
        if self._pending is None:
            return
        self._commit(self._pending, ask_each_session=True)

    def _commit(self, result: SetupResult, *, ask_each_session: bool) -> None:
        wizard = self._wizard
        try:
            account = wizard.service.commit(
                result, wizard.account_page.password.text(), ask_each_session=ask_each_session
            )
        except GovMailError as exc:
            self._commit_failed(exc)
            return
        wizard.account_page.password.clear()  # it lives in the keyring or the session now
        self._pending = None
        self.saved_account = account
        self._show_state("saved")
        self.error_label.clear()
        lines = [
            self.tr("Incoming mail (IMAP): {server}").format(server=self._server_text(account.imap)),
            self.tr("Outgoing mail (SMTP): {server}").format(server=self._server_text(account.smtp)),
            self.tr("You will be asked for the password each time you start GovMail Desktop.")
            if ask_each_session
            else self.tr("The password is saved in the system password store (keyring)."),
        ]
        self.done_label.setText("\n".join(lines))
        self.completeChanged.emit()
        wizard.account_saved.emit(account)

    def _server_text(self, server: Any) -> str:
        """"imap.mail.go.th, port 993, encrypted (TLS)": the words, not the settings' codes."""
        security = {"tls": "TLS", "starttls": "STARTTLS"}.get(getattr(server, "security", None) or "")
        port = getattr(server, "port", None)
        if security is None or port is None:  # not verified yet (probing): the name only
            return str(getattr(server, "host", server))
        return self.tr("{host}, port {port}, encrypted ({security})").format(
            host=server.host, port=port, security=security
        )


class SetupWizard(QWizard):
    """The first-run wizard (also usable to add another account).

    Signals:
        account_saved(Account): the account is in the settings file (and its
            password in the keyring, unless it asks each session).

    ``service`` runs the check and saves the account; its ``policy`` (the effective
    policy: ``check_account_address``, ``server_policy()``, ``locked_settings()``)
    decides what the pages lock and accept. The service should have no Qt parent:
    its worker thread holds a reference until it ends, so it outlives a wizard
    closed mid-check.
    """

    account_saved = Signal(object)

    def __init__(
        self, service: AccountSetupService, parent: QWidget | None = None, *, provisioned: Provisioned | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.service = service
        self.policy = service.policy
        self.locks = {} if provisioned is not None else _policy_locks(self.policy)
        self.draft: Account | None = None
        self.abandoned = False
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        # With provisioning (the policy sets the account up) page one asks only for the password.
        self.account_page: AccountPage | ProvisionedPage = (
            AccountPage(self) if provisioned is None else ProvisionedPage(self, provisioned))
        self.check_page = CheckPage(self)
        self.addPage(self.account_page)
        self.addPage(self.check_page)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        # The Next/Finish/Cancel buttons are Qt's own: translations/qtbase_th.ts names them.
        self.setWindowTitle(self.tr("Set up GovMail Desktop"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- helpers for the pages -----------------------------------------------------
    def language(self) -> str:
        """The UI language now (Thai unless the user chose English), for typed errors' texts."""
        return current_language()

    def domain_allowed(self, address: str) -> bool:
        """Whether the policy accepts this account address (for the .or.th profile)."""
        try:
            self.policy.check_account_address(address)
        except PolicyRefused:
            return False
        return True

    def error_text(self, error: GovMailError) -> str:
        """The one error to show: what happened and what to do, in the UI language."""
        return error.user_text(self.language())

    def saved_account(self) -> Account | None:
        return self.check_page.saved_account

    def grow_to_fit(self) -> None:
        """Grow the window when a page needs more room than it has (a hint or an error
        appeared, the own-servers section opened): Qt would squash the fields instead,
        clipping their text. Never beyond the screen."""
        hint = self.sizeHint()
        width, height = max(hint.width(), self.width()), max(hint.height(), self.height())
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width()), min(height, room.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)

    def done(self, result: int) -> None:
        """Closing (Cancel, Esc, window close) during a check cancels it; nothing is saved."""
        if result != QWizard.DialogCode.Accepted and self.service.is_running():
            self.abandoned = True
            self.service.cancel()
        super().done(result)

