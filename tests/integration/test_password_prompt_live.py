"""An "ask each session" account after a restart: the real engine needs a password it
does not have, the window asks for it, and the mail then arrives from the real Dovecot.

Nothing is faked: the app's own sync factory (app.engine_sync_factory) and password
keeper connect through the test policy (loopback allowed, the test CA) with verified TLS.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from govmail_desktop.core.accounts import Account, ServerSettings
from govmail_desktop.credentials import SessionPasswords
from govmail_desktop.policy.sources import load_policy_file
from govmail_desktop.services.account_setup import PasswordKeeper
from govmail_desktop.wiring.mailboxes import attach_mailboxes, engine_sync_factory
from tests.gui.conftest import OFFSCREEN_NOISE, compiled_translations, language_controller, make_main_window  # noqa: F401
from tests.gui.mailbox_helpers import offscreen_tray
from tests.integration.sync_helpers import fill

pytestmark = [pytest.mark.integration, pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

LOOPBACK_POLICY = Path(__file__).resolve().parents[1] / "data" / "policy" / "test-loopback.json"
USER = "carol"


def prompts():
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == "passwordPrompt" and w.isVisible()]


def test_ask_each_session_account_prompts_then_syncs(dovecot, make_main_window, qtbot):
    fill(dovecot, USER, "INBOX", 3, prefix="แจ้งเวียน")
    account = Account(
        id=f"ask-{uuid.uuid4().hex[:8]}", address="carol@demo.go.th", display_name="Carol", login=USER,
        imap=ServerSettings("127.0.0.1", dovecot.imaps_port, "tls"),
        smtp=ServerSettings("127.0.0.1", 587, "starttls"),
        ask_password_each_session=True,
    )
    under = make_main_window()
    session = SessionPasswords()  # a new session: nothing typed yet
    passwords = PasswordKeeper(None, session)  # no keyring for this account: it asks each session
    policy = load_policy_file(LOOPBACK_POLICY, overrides={"tls": {"ca_file": str(dovecot.ca_file)}})
    mailboxes = attach_mailboxes(
        under.window, under.settings, under.bridge, [account],
        sync_factory=engine_sync_factory(policy, under.settings, passwords), tray_factory=offscreen_tray,
        mark_read_on_view=False, passwords=passwords,
    )
    try:
        qtbot.waitUntil(lambda: len(prompts()) == 1, timeout=20_000)
        prompt = prompts()[0]
        assert not prompt.remember.isVisible()  # ask-each-session: never offered for the keyring
        prompt.password.setText(dovecot.users[USER])
        prompt.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        model = mailboxes.accounts[0].models.message_model
        qtbot.waitUntil(lambda: model.rowCount() >= 3, timeout=20_000)
        assert session.get(account.id) == dovecot.users[USER]
    finally:
        mailboxes.shutdown()
