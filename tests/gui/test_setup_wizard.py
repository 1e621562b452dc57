"""The first-run wizard, driven like a user would, through the real policy and real servers.

The policy is the loopback test policy (tests/data/policy/test-loopback.json)
with the test CA: no check is bypassed. Servers: Dovecot and the SMTP
submission server from tests/servers; a listener that accepts TCP and never
answers stands in for a hung server (cancel), and a listener that must see no
connection proves that a refusal happens before any network.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QWizard

from govmail_desktop.core.accounts import AccountStore
from govmail_desktop.core.errors import AuthError, PolicyRefused
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings
from govmail_desktop.credentials import CredentialStore, SessionPasswords
from govmail_desktop.policy.sources import policy_from_dict
from govmail_desktop.services.account_setup import AccountSetupService, PasswordKeeper
from govmail_desktop.ui.setup_wizard import SetupWizard, needs_setup
from tests.gui.wizard_helpers import (  # noqa: F401 (fixtures)
    PASSWORD,
    HangingServer,
    fill_account_page,
    keyring_store,
    loopback_policy,
    mail_servers,
    recording_verifier,
)
from tests.servers.fake_base import SilentListener

pytestmark = pytest.mark.gui


def _settings() -> Settings:
    return Settings.load(AppPaths.default().settings_file)


def _wizard(qtbot, policy, *, settings=None, store=None, verifier=None, session=None) -> SetupWizard:
    store = store if store is not None else CredentialStore(fail.Keyring())
    service = AccountSetupService(
        policy, store, verifier, settings=settings or _settings(), passwords=PasswordKeeper(store, session),
        timeout=30.0,
    )
    wizard = SetupWizard(service)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _memory_store() -> CredentialStore:
    from tests.unit.test_credentials import MemoryKeyring, _store

    return _store(MemoryKeyring())


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _next(qtbot, wizard: SetupWizard, *, expect_check: bool = True) -> None:
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    if expect_check:  # page 1 accepted the input: the check page is showing
        assert wizard.currentPage() is wizard.check_page, wizard.account_page.error_label.text()


@pytest.fixture
def silent():
    """A listener that must see no connection."""
    listener = SilentListener(host="127.0.0.1")
    yield listener
    listener.close()


@pytest.fixture
def hanging():
    server = HangingServer()
    yield server
    server.close()


# -- page 1 -------------------------------------------------------------------------------


def test_government_address_is_recognised(qtbot):
    wizard = _wizard(qtbot, loopback_policy())
    page = wizard.account_page
    qtbot.keyClicks(page.address, "somchai@dwr.mail.go.th")
    assert "mail.go.th" in page.service_label.text()
    assert not page.advanced.isChecked()
    assert page.imap_host.text() == "imap.mail.go.th" and page.smtp_port.value() == 0
    page.address.setText("somchai@agency.example")
    assert "Own mail servers" in page.service_label.text() or "เซิร์ฟเวอร์" in page.service_label.text()


def test_bad_input_keeps_the_user_on_page_one(qtbot):
    wizard = _wizard(qtbot, loopback_policy())
    page = wizard.account_page
    page.address.setText("not an address")
    page.password.setText(PASSWORD)
    _next(qtbot, wizard, expect_check=False)
    assert wizard.currentPage() is page
    assert "name@agency.go.th" in page.error_label.text()
    page.address.setText("somchai@agency.go.th")
    page.password.clear()
    _next(qtbot, wizard, expect_check=False)
    assert wizard.currentPage() is page and page.error_label.text()


def test_fields_locked_by_policy_are_read_only(qtbot):
    policy = policy_from_dict(
        {"locked_settings": {"account.imap_host": "imap2.mail.go.th", "account.smtp_port": 587,
                             "account.smtp_security": "starttls"}}
    )
    assert policy.error is None, policy.error
    wizard = _wizard(qtbot, policy)
    page = wizard.account_page
    page.address.setText("somchai@agency.go.th")
    assert page.imap_host.text() == "imap2.mail.go.th" and page.imap_host.isReadOnly()
    assert page.smtp_port.value() == 587 and page.smtp_port.isReadOnly()
    assert not page.smtp_security.isEnabled()
    assert not page.imap_port.isReadOnly() and not page.smtp_host.isReadOnly()
    assert not page.advanced.isCheckable()  # locked servers are always in use
    assert page.locked_note.text()
    # Typing into a locked field changes nothing.
    qtbot.keyClicks(page.imap_host, "evil")
    assert page.imap_host.text() == "imap2.mail.go.th"


def test_own_server_hint_is_shown_once_and_the_server_fields_keep_their_size(qtbot):
    """An address outside mail.go.th and no servers given: the hint is on the page once
    (not again as the red error), the own-servers section opens with the cursor in the
    IMAP server field, and the wizard grows so that no field is squashed (clipped text)."""
    wizard = _wizard(qtbot, loopback_policy())
    page = wizard.account_page
    fill_account_page(wizard, "somchai@agency.example")
    hint = page.service_label.text()
    assert "mail.go.th" in hint
    _next(qtbot, wizard, expect_check=False)
    assert wizard.currentPage() is page
    qtbot.waitUntil(lambda: page.imap_host.hasFocus())
    shown = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert shown.count(hint) == 1
    assert page.advanced.isChecked()
    fields = (page.login, page.imap_host, page.imap_port, page.imap_security,
              page.smtp_host, page.smtp_port, page.smtp_security)
    qtbot.waitUntil(lambda: all(f.height() >= f.minimumSizeHint().height() for f in fields))
    for field in fields:
        assert field.width() >= field.minimumSizeHint().width(), field.objectName()
    # "Automatic" fits the port field (a long Thai word in a box sized for 65535).
    inner = page.smtp_port.findChild(QLineEdit)
    assert inner.width() >= inner.fontMetrics().horizontalAdvance(page.smtp_port.specialValueText()) + 4
    # A different mistake in the section is said in red.
    page.imap_host.setText("bad host name")
    _next(qtbot, wizard, expect_check=False)
    assert page.error_label.isVisible() and page.error_label.text() != hint
    qtbot.waitUntil(lambda: all(f.height() >= f.minimumSizeHint().height() for f in fields))


def _ok_verifier(imap, smtp_candidates, login, password, policy, **kwargs):
    """The servers answered (no network here: what comes after the check is tested)."""
    return SimpleNamespace(smtp=smtp_candidates[0])


def test_saved_page_drops_the_signing_in_subtitle_and_words_the_servers(qtbot):
    store = _memory_store()
    wizard = _wizard(qtbot, loopback_policy(), store=store, verifier=_ok_verifier)
    fill_account_page(wizard, "somchai@dwr.mail.go.th", imap=("imap.mail.go.th", 993, "tls"),
                      smtp=("smtp.mail.go.th", 587, "starttls"))
    with qtbot.waitSignal(wizard.account_saved, timeout=10000):
        _next(qtbot, wizard)
    page = wizard.check_page
    assert page.subTitle() != page.tr("Signing in to your mail servers through the agency's policy.")
    assert page.subTitle() == page.tr("Your account is ready.")
    text = page.done_label.text()
    assert "(tls)" not in text and "(starttls)" not in text
    assert "imap.mail.go.th" in text and "993" in text and "TLS" in text
    assert "smtp.mail.go.th" in text and "587" in text and "STARTTLS" in text
    assert text.count(page.tr("Your account is ready.")) == 0  # said once, in the subtitle


def test_failed_check_drops_the_signing_in_subtitle(qtbot, silent):
    wizard = _wizard(qtbot, loopback_policy())
    fill_account_page(wizard, "somchai@agency.go.th", imap=("imap.example.com", 993, "tls"),
                      smtp=("smtp.example.com", 465, "tls"))
    page = wizard.check_page
    with qtbot.waitSignal(wizard.service.failed, timeout=10000):
        _next(qtbot, wizard)
    assert page.subTitle() != page.tr("Signing in to your mail servers through the agency's policy.")
    assert page.subTitle()


@pytest.mark.parametrize(
    ("address", "imap", "expected"),
    [
        ("somchai@agency.go.th", ("imap.example.com", 993, "tls"), ("servers.allow", "imap.example.com")),
        ("somchai@agency.example", ("imap.mail.go.th", 993, "tls"), ("accounts.allowed_domains", "agency.example")),
        ("someone@gmail.com", ("127.0.0.1", 993, "tls"), ("servers.deny",)),
    ],
    ids=["server-not-allowed", "domain-not-allowed", "denied-service"],
)
def test_policy_refusal_offers_no_retry_and_says_what_it_staff_must_change(qtbot, address, imap, expected):
    wizard = _wizard(qtbot, loopback_policy())
    fill_account_page(wizard, address, imap=imap, smtp=(imap[0], 465, "tls"))
    with qtbot.waitSignal(wizard.service.failed, timeout=10000) as blocker:
        _next(qtbot, wizard)
    assert isinstance(blocker.args[0], PolicyRefused)
    page = wizard.check_page
    assert not page.retry_button.isVisible() and page.change_button.isVisible()
    advice = page.advice_label.text()
    assert page.advice_label.isVisible() and advice
    for word in expected:
        assert word in advice
    assert page.error_label.text() == blocker.args[0].user_text("th")


def test_other_failures_still_offer_retry(qtbot, hanging):
    wizard = _wizard(qtbot, loopback_policy())
    fill_account_page(wizard, "somchai@agency.go.th", imap=("127.0.0.1", hanging.port, "tls"),
                      smtp=("127.0.0.1", hanging.port, "tls"))
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: len(hanging.connections) == 1, timeout=10000)
    hanging.close()  # the connection drops: a network error, worth trying again
    with qtbot.waitSignal(wizard.service.failed, timeout=30000):
        pass
    page = wizard.check_page
    assert page.retry_button.isVisible() and not page.advice_label.isVisible()


# -- page 2: refusals, cancel, responsiveness -------------------------------------------


def test_policy_refusal_of_the_address_connects_nowhere(qtbot, silent):
    verifier, events = recording_verifier()
    wizard = _wizard(qtbot, loopback_policy(), verifier=verifier)
    fill_account_page(wizard, "someone@gmail.com", imap=("127.0.0.1", silent.port, "tls"),
                      smtp=("127.0.0.1", silent.port, "tls"))
    with qtbot.waitSignal(wizard.service.failed, timeout=10000):
        _next(qtbot, wizard)
    page = wizard.check_page
    text = page.error_label.text()
    assert "gmail.com" in text
    assert not silent.connection_attempted()
    assert events == []  # no lookup, no connection: the verifier never ran
    # Trying again cannot help: no "Try again", only "Change the details".
    assert not page.retry_button.isVisible() and page.change_button.isVisible() and not page.busy.isVisible()
    assert needs_setup(_settings())


def test_policy_refusal_of_a_server_not_on_the_allowlist(qtbot):
    verifier, events = recording_verifier()
    wizard = _wizard(qtbot, loopback_policy(), verifier=verifier)
    fill_account_page(wizard, "somchai@agency.go.th", imap=("imap.example.com", 993, "tls"),
                      smtp=("smtp.example.com", 465, "tls"))
    with qtbot.waitSignal(wizard.service.failed, timeout=10000) as blocker:
        _next(qtbot, wizard)
    error = blocker.args[0]
    assert error.code == "host-not-allowed"
    assert wizard.check_page.error_label.text() == error.user_text("th")
    assert "imap.example.com" in error.user_text("th")
    assert events == []
    assert needs_setup(_settings())


def test_cancel_stops_a_hung_check_and_the_gui_keeps_running(qtbot, hanging):
    wizard = _wizard(qtbot, loopback_policy())
    fill_account_page(wizard, "somchai@agency.go.th", imap=("127.0.0.1", hanging.port, "tls"),
                      smtp=("127.0.0.1", hanging.port, "tls"))
    ticks: list[bool] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(wizard.service.is_running()))
    timer.start()
    try:
        _next(qtbot, wizard)
        page = wizard.check_page
        # The check is connected to the silent server and waiting for its TLS answer...
        qtbot.waitUntil(lambda: len(hanging.connections) == 1, timeout=10000)
        seen = len(ticks)
        # ...and the GUI's event loop keeps turning meanwhile.
        qtbot.waitUntil(lambda: len(ticks) >= seen + 5, timeout=10000)
        assert all(ticks[seen:]) and wizard.service.is_running()
        assert page.busy.isVisible() and page.cancel_button.isVisible() and page.step_label.text()
        with qtbot.waitSignal(wizard.service.cancelled, timeout=5000):
            _click(qtbot, page.cancel_button)
    finally:
        timer.stop()
    assert not page.busy.isVisible()
    assert page.retry_button.isVisible() and page.change_button.isVisible()
    assert page.step_label.text() in ("The check was cancelled.", "ยกเลิกการตรวจสอบแล้ว")
    assert not page.isComplete()
    assert needs_setup(_settings())
    hanging.close()  # the abandoned worker's read now fails and its thread ends
    assert wizard.service.wait(30)


def test_closing_the_wizard_during_a_check_saves_nothing(qtbot, hanging):
    wizard = _wizard(qtbot, loopback_policy())
    fill_account_page(wizard, "somchai@agency.go.th", imap=("127.0.0.1", hanging.port, "tls"),
                      smtp=("127.0.0.1", hanging.port, "tls"))
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: len(hanging.connections) == 1, timeout=10000)
    with qtbot.waitSignal(wizard.service.cancelled, timeout=5000):
        wizard.reject()
    assert not wizard.isVisible()
    hanging.close()
    assert wizard.service.wait(30)
    assert needs_setup(_settings())


# -- page 2 against the real servers --------------------------------------------------------


def test_success_saves_the_account_and_the_password_in_the_keyring(qtbot, mail_servers, keyring_store):
    verifier, _ = recording_verifier()
    settings = _settings()
    wizard = _wizard(qtbot, mail_servers.policy, settings=settings, store=keyring_store, verifier=verifier)
    saved = []
    wizard.account_saved.connect(saved.append)
    fill_account_page(wizard, mail_servers.address, imap=mail_servers.imap, smtp=mail_servers.smtp,
                      password=mail_servers.password, display_name="สมชาย ใจดี")
    with qtbot.waitSignal(wizard.account_saved, timeout=30000):
        _next(qtbot, wizard)
    account = saved[0]
    page = wizard.check_page
    assert page.isComplete() and wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert page.done_label.text()
    assert keyring_store.get_password(account.id) == mail_servers.password
    stored = AccountStore(_settings()).list()
    assert stored == [account]
    assert account.display_name == "สมชาย ใจดี" and not account.ask_password_each_session
    assert not account.smtp_probing
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_wrong_password_gives_the_specific_thai_message(qtbot, mail_servers, keyring_store, fresh_dovecot):
    own = fresh_dovecot()  # a failed login makes a Dovecot slow down later logins: not the shared one
    wizard = _wizard(qtbot, mail_servers.policy, store=keyring_store)
    fill_account_page(wizard, mail_servers.address, imap=("localhost", own.imaps_port, "tls"),
                      smtp=mail_servers.smtp, password="Wrong-Password-1")
    with qtbot.waitSignal(wizard.service.failed, timeout=30000) as blocker:
        _next(qtbot, wizard)
    error = blocker.args[0]
    assert isinstance(error, AuthError)
    text = wizard.check_page.error_label.text()
    assert text == error.user_text("th")  # Thai first
    assert "รหัสผ่าน" in text  # "password"
    assert wizard.check_page.retry_button.isVisible()
    assert needs_setup(_settings())
    # "Change the details" goes back to page 1 with what was typed.
    _click(qtbot, wizard.check_page.change_button)
    assert wizard.currentPage() is wizard.account_page
    assert wizard.account_page.address.text() == mail_servers.address


def test_without_a_keyring_the_user_chooses_ask_each_session(qtbot, mail_servers):
    session = SessionPasswords()
    wizard = _wizard(qtbot, mail_servers.policy, store=CredentialStore(fail.Keyring()), session=session)
    fill_account_page(wizard, mail_servers.address, imap=mail_servers.imap, smtp=mail_servers.smtp,
                      password=mail_servers.password)
    with qtbot.waitSignal(wizard.service.finished, timeout=30000):
        _next(qtbot, wizard)
    page = wizard.check_page
    assert page.session_button.isVisible()
    assert "keyring" in page.error_label.text()
    assert not page.isComplete() and needs_setup(_settings())
    with qtbot.waitSignal(wizard.account_saved, timeout=5000) as blocker:
        _click(qtbot, page.session_button)
    account = blocker.args[0]
    assert account.ask_password_each_session
    assert session.get(account.id) == mail_servers.password
    assert AccountStore(_settings()).list() == [account]


def test_the_wizard_speaks_thai_first(qtbot, language_controller):
    language_controller.apply("th")
    wizard = _wizard(qtbot, loopback_policy())
    page = wizard.account_page
    assert page.title() == "บัญชีอีเมลของท่าน"
    assert page.ask_each_session.text().startswith("ถามรหัสผ่าน")
    assert wizard.check_page.cancel_button.text() == "ยกเลิกการตรวจสอบ"
    page.address.setText("somchai@dwr.mail.go.th")
    assert page.service_label.text() == "บริการ: ระบบอีเมลภาครัฐ MailGoThai (mail.go.th)"
    # Switching the language at run time retranslates the open wizard.
    language_controller.apply("en")
    qtbot.waitUntil(lambda: page.title() == "Your mail account")  # LanguageChange is posted
    assert page.service_label.text() == "Service: MailGoThai government e-mail (mail.go.th)"


def test_settings_that_cannot_be_written_save_nothing(qtbot, tmp_path, mail_servers, keyring_store):
    blocker_file = tmp_path / "not-a-directory"
    blocker_file.write_text("x")
    settings = Settings(blocker_file / "settings.json")  # its folder cannot be created
    wizard = _wizard(qtbot, mail_servers.policy, settings=settings, store=keyring_store)
    fill_account_page(wizard, mail_servers.address, imap=mail_servers.imap, smtp=mail_servers.smtp,
                      password=mail_servers.password)
    with qtbot.waitSignal(wizard.service.finished, timeout=30000) as done:
        _next(qtbot, wizard)
    result = done.args[0]
    assert result.password_saved
    page = wizard.check_page
    assert page.error_label.text() and not page.isComplete()
    assert AccountStore(settings).list() == []
    # The password stored for the account that could not be saved is removed again.
    qtbot.waitUntil(lambda: keyring_store.get_password(result.account.id) is None, timeout=10000)
