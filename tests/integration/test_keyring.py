"""Passwords live in the real OS keyring (Secret Service) and nowhere else on disk.

After a full wizard session against the real servers (with logging at DEBUG),
every file under GOVMAIL_HOME (settings, logs, cache), the test's temp dirs and
the Secret Service's own directory are searched for the password: raw UTF-8,
UTF-16 and base64 (as in SMTP AUTH PLAIN / LOGIN) at every alignment.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import keyring
import pytest
from keyring.backends import SecretService, fail

from govmail_desktop.core.accounts import AccountStore
from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.core.logging_setup import remove_app_handlers, setup_logging
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings
from govmail_desktop.credentials import SERVICE_NAME, CredentialStore, SessionPasswords
from govmail_desktop.services.account_setup import AccountSetupService, PasswordKeeper
from govmail_desktop.ui.setup_wizard import SetupWizard
from tests.gui.wizard_helpers import fill_account_page, mail_servers  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.integration,
    # The offscreen platform's note when a shown window's size limits change (not the app).
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"),
]


def secret_forms(secret: str) -> list[bytes]:
    """Byte strings any of which in a file means the secret leaked."""
    raw = secret.encode("utf-8")
    forms = [raw, secret.encode("utf-16-le"), secret.encode("utf-16-be")]
    for shift in range(3):
        # base64 of the secret at any offset inside a longer token (e.g. "\\0user\\0password"):
        # the characters that depend only on the secret's own bytes.
        encoded = base64.b64encode(b"\0" * shift + raw)
        start = -(-shift * 4 // 3)  # ceil(shift * 4 / 3)
        end = len(encoded) - 4
        if end - start >= 8:
            forms.append(encoded[start:end])
    return forms


def files_containing(secret: str, *roots: Path) -> list[str]:
    found = []
    needles = secret_forms(secret)
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if any(n in data for n in needles):
                found.append(str(path))
    return found


def test_the_leak_search_finds_every_form(tmp_path):
    """The search below must be able to fail: plant each form and find it."""
    secret = "Alice2569pass"
    for i, token in enumerate(
        [secret.encode(), secret.encode("utf-16-le"), base64.b64encode(b"\0alice\0" + secret.encode()),
         base64.b64encode(b"\0alice@agency.go.th\0" + secret.encode()), base64.b64encode(secret.encode())]
    ):
        (tmp_path / f"f{i}").write_bytes(b"xx " + token + b" yy")
        assert files_containing(secret, tmp_path) == [str(tmp_path / f"f{i}")], token
        (tmp_path / f"f{i}").unlink()


def test_password_round_trips_through_the_real_secret_service(secret_service):
    store = CredentialStore()  # keyring's own choice: the Secret Service
    assert isinstance(store.backend(), SecretService.Keyring)
    assert store.service_name == SERVICE_NAME
    account_id = "keyring-round-trip-test"
    password = "รหัส-Round-Trip-2569"  # non-ASCII survives too
    try:
        store.set_password(account_id, password)
        assert store.get_password(account_id) == password
        # Another client of the same keyring sees it under the app's service name.
        assert keyring.get_password(SERVICE_NAME, account_id) == password
    finally:
        store.delete_password(account_id)
    assert store.get_password(account_id) is None


def test_a_wizard_session_leaves_the_password_only_in_the_keyring(
    qtbot, tmp_path, mail_servers, secret_service, _isolated_home
):
    paths = AppPaths.default()
    paths.ensure()
    setup_logging(paths.log_file, level=logging.DEBUG)
    try:
        store = CredentialStore()
        settings = Settings.load(paths.settings_file)
        wizard = SetupWizard(AccountSetupService(mail_servers.policy, store, settings=settings))
        qtbot.addWidget(wizard)
        wizard.show()
        fill_account_page(wizard, mail_servers.address, imap=mail_servers.imap, smtp=mail_servers.smtp,
                          password=mail_servers.password)
        with qtbot.waitSignal(wizard.account_saved, timeout=30000) as blocker:
            wizard.next()
        account = blocker.args[0]
        assert wizard.service.wait(30)
    finally:
        remove_app_handlers()
    try:
        assert store.get_password(account.id) == mail_servers.password
        assert AccountStore(Settings.load(paths.settings_file)).list() == [account]
        log_text = paths.log_file.read_text(encoding="utf-8")
        assert account.id in log_text  # the log was written during the session
        leaks = files_containing(mail_servers.password, _isolated_home, tmp_path, secret_service.workdir)
        assert leaks == []
    finally:
        store.delete_password(account.id)


def test_without_a_keyring_nothing_is_written_anywhere(qtbot, tmp_path, mail_servers, _isolated_home):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        store = CredentialStore()
        with pytest.raises(CredentialsError) as info:
            store.set_password("any", mail_servers.password)
        assert info.value.code == "keyring"
        assert "keyring" in info.value.user_text("th")

        session = SessionPasswords()
        paths = AppPaths.default()
        wizard = SetupWizard(AccountSetupService(
            mail_servers.policy, store, settings=Settings.load(paths.settings_file),
            passwords=PasswordKeeper(store, session),
        ))
        qtbot.addWidget(wizard)
        wizard.show()
        fill_account_page(wizard, mail_servers.address, imap=mail_servers.imap, smtp=mail_servers.smtp,
                          password=mail_servers.password)
        with qtbot.waitSignal(wizard.service.finished, timeout=30000):
            wizard.next()
        page = wizard.check_page
        assert page.session_button.isVisible()
        # "No usable password store (keyring)", in Thai, with the offer.
        assert page.error_label.text().startswith(CredentialsError().message.text("th"))
        with qtbot.waitSignal(wizard.account_saved, timeout=5000) as blocker:
            page.session_button.click()
        account = blocker.args[0]
        assert account.ask_password_each_session
        assert session.get(account.id) == mail_servers.password
        assert files_containing(mail_servers.password, _isolated_home, tmp_path) == []
        assert paths.settings_file.is_file()
    finally:
        keyring.set_keyring(previous)
