"""The setup wizard when the machine policy provisions the account (policy/provisioning.py):
one page asking only for the password (the address and servers shown read-only, saying why),
then the usual connection check through the policy against the real Dovecot and SMTP server;
"ask each session" never writes the keyring (the real Secret Service)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from govmail_desktop.core.accounts import AccountStore
from govmail_desktop.core.os_user import OsUser
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings
from govmail_desktop.credentials import CredentialStore, SessionPasswords
from govmail_desktop.policy.provisioning import provision
from govmail_desktop.policy.sources import EffectivePolicy, load_policy_file
from govmail_desktop.services.account_setup import AccountSetupService, PasswordKeeper
from govmail_desktop.ui.provisioned_page import ProvisionedPage
from govmail_desktop.ui.setup_wizard import SetupWizard
from tests.gui.wizard_helpers import (  # noqa: F401 (fixtures)
    TEST_POLICY_FILE,
    keyring_store,
    mail_servers,
)

pytestmark = pytest.mark.gui

USER = OsUser("AGENCY\\Alice", "อลิซ ทดสอบ")


def provisioning_policy(ca_file: Path | None, imap: tuple[str, int, str], smtp: tuple[str, int, str],
                        **values: object) -> EffectivePolicy:
    """The loopback test policy, provisioning %USERNAME%@agency.go.th on the given servers."""
    overrides: dict = {"provisioning": {
        "address": "%USERNAME%@agency.go.th",
        "imap_host": imap[0], "imap_port": imap[1], "imap_security": imap[2],
        "smtp_host": smtp[0], "smtp_port": smtp[1], "smtp_security": smtp[2],
        **values,
    }}
    if ca_file is not None:
        overrides["tls"] = {"ca_file": str(ca_file)}
    policy = load_policy_file(TEST_POLICY_FILE, overrides=overrides)
    assert policy.error is None, policy.error
    return policy


def _settings() -> Settings:
    return Settings.load(AppPaths.default().settings_file)


def _wizard(qtbot, policy: EffectivePolicy, store: CredentialStore | None, session: SessionPasswords | None = None,
            user: OsUser = USER) -> SetupWizard:
    made = provision(policy.policy.provisioning, user, policy.check_account_address)
    service = AccountSetupService(policy, store, settings=_settings(),
                                  passwords=PasswordKeeper(store, session), timeout=30.0)
    wizard = SetupWizard(service, provisioned=made)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _next(qtbot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_the_wizard_shows_only_the_password_page(qtbot):
    policy = provisioning_policy(None, ("localhost", 993, "tls"), ("localhost", 587, "starttls"))
    wizard = _wizard(qtbot, policy, None)
    page = wizard.account_page
    assert isinstance(page, ProvisionedPage) and wizard.currentPage() is page
    assert wizard.pageIds() == [0, 1]  # this page, then the check
    # The address and servers come from the policy, read-only, saying why.
    assert page.address.text() == "alice@agency.go.th" and page.address.isReadOnly()
    assert page.imap.isReadOnly() and page.smtp.isReadOnly()
    assert "localhost" in page.imap.text() and "587" in page.smtp.text()
    assert page.address.toolTip() == "Set by your agency's policy"
    assert page.locked_note.isVisible()
    # Only the password is typed: the name is known (the OS account's full name).
    editable = [w.objectName() for w in page.findChildren(type(page.password))
                if w.isVisible() and not w.isReadOnly()]
    assert editable == ["password"]
    # No password: stays on the page with a message.
    _next(qtbot, wizard)
    assert wizard.currentPage() is page and page.error_label.isVisible()


def test_the_name_is_asked_when_the_policy_says_so(qtbot):
    policy = provisioning_policy(None, ("localhost", 993, "tls"), ("localhost", 587, "starttls"),
                                 display_name="ask")
    page = _wizard(qtbot, policy, None).account_page
    assert isinstance(page, ProvisionedPage)
    assert page.display_name.isVisible() and page.display_name.text() == ""


def test_the_password_page_in_thai(qtbot, language_controller, thai_app_font, tmp_path):
    language_controller.apply("th")
    policy = provisioning_policy(None, ("imap.mail.go.th", 993, "tls"), ("smtp.mail.go.th", 465, "tls"),
                                 password="keyring")
    wizard = _wizard(qtbot, policy, None)
    page = wizard.account_page
    assert page.title() == "บัญชีอีเมลของท่าน"
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in page.locked_note.text())
    wizard.resize(620, 420)
    shot = wizard.grab()  # what tools/screenshot.py does; a copy of this one is in the notes
    assert not shot.isNull() and shot.save(str(tmp_path / "provision_wizard_th.png"))


def test_the_provisioned_account_connects_and_keeps_the_password_in_the_keyring(qtbot, mail_servers, keyring_store):
    policy = provisioning_policy(mail_servers.policy.policy.tls.ca_file, mail_servers.imap, mail_servers.smtp)
    wizard = _wizard(qtbot, policy, keyring_store)
    wizard.account_page.password.setText(mail_servers.password)
    with qtbot.waitSignal(wizard.account_saved, timeout=30000) as saved:
        _next(qtbot, wizard)
    account = saved.args[0]
    assert account.address == mail_servers.address == "alice@agency.go.th"
    assert account.display_name == "อลิซ ทดสอบ"
    assert (account.imap.host, account.imap.port) == mail_servers.imap[:2]
    assert keyring_store.get_password(account.id) == mail_servers.password
    assert AccountStore(_settings()).list() == [account]


def test_ask_each_session_never_writes_the_keyring(qtbot, mail_servers, keyring_store):
    # "ask" for the name, so that the wizard shows in session mode too (otherwise none is shown).
    policy = provisioning_policy(mail_servers.policy.policy.tls.ca_file, mail_servers.imap, mail_servers.smtp,
                                 password="session", display_name="ask")
    session = SessionPasswords()
    wizard = _wizard(qtbot, policy, keyring_store, session)
    page = wizard.account_page
    assert isinstance(page, ProvisionedPage) and page.session_note.isVisible()
    page.display_name.setText("อลิซ")
    page.password.setText(mail_servers.password)
    with qtbot.waitSignal(wizard.account_saved, timeout=30000) as saved:
        _next(qtbot, wizard)
    account = saved.args[0]
    assert account.ask_password_each_session and account.display_name == "อลิซ"
    assert session.get(account.id) == mail_servers.password
    assert keyring_store.get_password(account.id) is None  # the real Secret Service holds nothing
    assert "each time" in wizard.check_page.done_label.text()


def test_the_signature_editor_shows_the_policys_signature_locked(qtbot, tmp_path):
    from govmail_desktop.core.identities import ComposerProfiles
    from govmail_desktop.ui.composer.signatures import SignatureEditor
    from govmail_desktop.wiring.accounts import policy_signature_lookup

    policy = provisioning_policy(None, ("imap.mail.go.th", 993, "tls"), ("smtp.mail.go.th", 465, "tls"),
                                 signature=["{name}", "{address}"])
    settings = Settings.load(tmp_path / "settings.json")
    account = provision(policy.policy.provisioning, USER, policy.check_account_address).account
    AccountStore(settings).add(account)
    profiles = ComposerProfiles(settings, policy_signature_lookup(policy, settings, account.address))
    editor = SignatureEditor(profiles, [(account.id, profiles.identities(account))])
    qtbot.addWidget(editor)
    editor.show()
    assert editor.list.count() == 1
    assert not editor.editor.isEnabled() and not editor.remove_button.isEnabled()
    assert not editor.add_button.isEnabled()
    assert editor.editor.toolTip() == "Set by your agency's policy"
    assert editor.preview.toPlainText().splitlines() == ["-- ", "อลิซ ทดสอบ", "alice@agency.go.th"]
    editor.add_signature()  # no way around it
    editor.accept()
    assert profiles.signatures(account.id)[0].locked
    assert (settings.section("composer") or {}).get("signatures", []) == []
