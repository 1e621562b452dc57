"""AccountSetupService against the real Dovecot, SMTP submission server and Secret Service.

Every run goes through the loopback test policy (tests/data/policy/test-loopback.json)
with the test CA (nothing bypassed) and ``verify_account``. Each outcome the wizard can show is
produced here by a real server: success (with the SMTP port probe), wrong
password, certificate problem, server unreachable, refused by policy.
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.accounts import Account, ServerSettings, SmtpProbe, new_account_id
from govmail_desktop.core.errors import AuthError, NetworkError, PolicyRefused, TlsError
from govmail_desktop.credentials import CredentialStore
from govmail_desktop.services.account_setup import AccountSetupService, SetupResult
from tests.gui.wizard_helpers import (  # noqa: F401 (fixtures)
    keyring_store,
    loopback_policy,
    mail_servers,
    recording_verifier,
)
from tests.servers.dovecot import free_port
from tests.servers.fake_base import SilentListener

pytestmark = pytest.mark.integration


def _account(address: str, imap: tuple[str, int, str], smtp) -> Account:
    """An account on the test servers; the login is the full address, as on mail.go.th."""
    return Account(
        id=new_account_id(),
        address=address,
        display_name="",
        login=address,
        imap=ServerSettings(*imap),
        smtp=smtp,
    )


def _run(qtbot, service: AccountSetupService, account: Account, password: str, *, save: bool):
    outcomes: list[tuple[str, object]] = []
    service.finished.connect(lambda r: outcomes.append(("finished", r)))
    service.failed.connect(lambda e: outcomes.append(("failed", e)))
    service.cancelled.connect(lambda: outcomes.append(("cancelled", None)))
    service.start(account, password, save_password=save)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=30000)
    assert service.wait(30)
    qtbot.wait(20)  # anything queued late would arrive now
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def test_success_probes_smtp_in_order_and_saves_the_password(qtbot, mail_servers, smtp_server, keyring_store):
    closed = free_port()  # nothing listens: the probe must move on
    smtp = SmtpProbe("localhost", ((closed, "tls"), (smtp_server.starttls_port, "starttls"),
                                   (smtp_server.tls_port, "tls")))
    account = _account(mail_servers.address, mail_servers.imap, smtp)
    verifier, events = recording_verifier()
    service = AccountSetupService(mail_servers.policy, keyring_store, verifier)
    kind, result = _run(qtbot, service, account, mail_servers.password, save=True)
    assert kind == "finished", result
    assert isinstance(result, SetupResult)
    assert result.account.smtp == ServerSettings("localhost", smtp_server.starttls_port, "starttls")
    assert result.password_saved and result.keyring_error is None
    assert keyring_store.get_password(account.id) == mail_servers.password
    assert result.verified.imap_report.tls_version in ("TLSv1.2", "TLSv1.3")
    # The connections took the policy path: one lookup per server tried (IMAP, the closed SMTP
    # port, SMTP with STARTTLS), through the seam.
    assert events == [("verify",)] + [("resolve", "localhost")] * 3


def test_wrong_password_is_an_auth_error_and_nothing_is_saved(qtbot, mail_servers, keyring_store, fresh_dovecot):
    own = fresh_dovecot()  # a failed login makes a Dovecot slow down later logins: not the shared one
    account = _account(mail_servers.address, ("localhost", own.imaps_port, "tls"), ServerSettings(*mail_servers.smtp))
    service = AccountSetupService(mail_servers.policy, keyring_store)
    kind, error = _run(qtbot, service, account, "Not-The-Password-9", save=True)
    assert kind == "failed" and isinstance(error, AuthError)
    assert "รหัสผ่าน" in error.user_text("th")
    assert keyring_store.get_password(account.id) is None


def test_certificate_problem_is_a_tls_error(qtbot, certs, fresh_dovecot, mail_servers):
    bad = fresh_dovecot(cert=certs.wrong_host("mail.example.org"))
    account = _account(mail_servers.address, ("localhost", bad.imaps_port, "tls"),
                       ServerSettings(*mail_servers.smtp))
    service = AccountSetupService(mail_servers.policy, CredentialStore())
    kind, error = _run(qtbot, service, account, mail_servers.password, save=False)
    assert kind == "failed" and isinstance(error, TlsError), error
    assert error.user_text("th") != error.user_text("en")


def test_unreachable_server_is_a_network_error(qtbot, mail_servers):
    account = _account(mail_servers.address, ("127.0.0.1", free_port(), "tls"), ServerSettings(*mail_servers.smtp))
    service = AccountSetupService(mail_servers.policy, CredentialStore())
    kind, error = _run(qtbot, service, account, mail_servers.password, save=False)
    assert kind == "failed" and isinstance(error, NetworkError), error


@pytest.mark.parametrize(
    ("address", "host", "code"),
    [
        ("someone@gmail.com", "127.0.0.1", "account-domain-not-allowed"),
        ("somchai@agency.go.th", "imap.gmail.com", "host-denied"),
        ("somchai@agency.go.th", "mail.example.org", "host-not-allowed"),
    ],
)
def test_policy_refusal_happens_before_any_network(qtbot, certs, address, host, code):
    listener = SilentListener(host="127.0.0.1")
    try:
        account = _account(address, (host, listener.port, "tls"), ServerSettings("127.0.0.1", listener.port, "tls"))
        verifier, events = recording_verifier()
        service = AccountSetupService(loopback_policy(certs.ca_file), CredentialStore(), verifier)
        kind, error = _run(qtbot, service, account, "Whatever-1", save=False)
        assert kind == "failed" and isinstance(error, PolicyRefused), error
        assert error.code == code
        assert events == []  # no lookup and no connection attempt
        assert not listener.connection_attempted()
    finally:
        listener.close()
