"""AccountSetupService's contract: one outcome per run, queued to the GUI thread, cancel.

The verifier here is a stand-in that blocks until the test lets it go: races
between a cancel and a finishing check cannot be staged with a real server.
The real servers are in tests/integration/test_account_setup.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest

from govmail_desktop.core.accounts import ServerFields, build_account
from govmail_desktop.core.errors import AuthError, PolicyRefused
from govmail_desktop.credentials import CredentialStore
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.policy.sources import policy_from_dict
from govmail_desktop.services.account_setup import AccountSetupService, SetupResult
from tests.unit.test_credentials import MemoryKeyring

PASSWORD = "Pw-for-Setup-1"


@dataclass
class Verified:
    imap: Endpoint
    smtp: Endpoint


class GatedVerifier:
    """Records its calls and waits for ``release`` before answering."""

    def __init__(self, outcome=None) -> None:
        self.calls: list[tuple] = []
        self.release = threading.Event()
        self.entered = threading.Event()
        self.thread_is_gui: bool | None = None
        self.outcome = outcome

    def __call__(self, imap, smtp_candidates, login, password, policy, *, cancel, timeout):
        self.calls.append((imap, tuple(smtp_candidates), login))
        self.thread_is_gui = threading.current_thread() is threading.main_thread()
        self.entered.set()
        self.release.wait(10)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return Verified(imap, smtp_candidates[1])


@pytest.fixture
def policy():
    return policy_from_dict({"accounts": {"allowed_domains": [".go.th"]}})


class Outcomes:
    def __init__(self, service: AccountSetupService) -> None:
        self.finished: list = []
        self.failed: list = []
        self.cancelled = 0
        self.steps: list[str] = []
        self.threads: set = set()
        service.finished.connect(lambda r: self._on(self.finished, r))
        service.failed.connect(lambda e: self._on(self.failed, e))
        service.cancelled.connect(self._on_cancelled)
        service.progress.connect(self.steps.append)

    def _on(self, bucket, value):
        self.threads.add(threading.current_thread() is threading.main_thread())
        bucket.append(value)

    def _on_cancelled(self):
        self.threads.add(threading.current_thread() is threading.main_thread())
        self.cancelled += 1

    @property
    def total(self) -> int:
        return len(self.finished) + len(self.failed) + self.cancelled


def _service(policy, verifier, backend=None):
    store = CredentialStore(backend or MemoryKeyring(), trusted_backends=(MemoryKeyring,))
    return AccountSetupService(policy, store, verifier), store


def test_success_reports_the_smtp_port_found_and_saves_the_password(qtbot, policy):
    verifier = GatedVerifier()
    service, store = _service(policy, verifier)
    seen = Outcomes(service)
    account = build_account("somchai@dwr.mail.go.th")
    verifier.release.set()
    with qtbot.waitSignal(service.finished, timeout=5000) as blocker:
        service.start(account, PASSWORD, save_password=True)
    result: SetupResult = blocker.args[0]
    assert result.account.smtp.port == 587 and not result.account.smtp_probing
    assert result.password_saved and result.keyring_error is None
    assert store.get_password(account.id) == PASSWORD
    assert verifier.calls[0][2] == "somchai@dwr.mail.go.th"
    assert [e.port for e in verifier.calls[0][1]] == [465, 587, 25]
    assert verifier.thread_is_gui is False  # the check ran off the GUI thread
    assert seen.threads == {True}  # ...and its outcome arrived on the GUI thread
    assert len(seen.steps) == 4  # policy, keyring, sign-in, saving the password
    assert service.wait(5)
    qtbot.wait(10)
    assert seen.total == 1


def test_refused_address_fails_before_any_network(qtbot, policy):
    verifier = GatedVerifier()
    service, _ = _service(policy, verifier)
    seen = Outcomes(service)
    account = build_account(
        "someone@gmail.com",
        servers=ServerFields("imap.gmail.com", 993, "tls", "smtp.gmail.com", 465, "tls"),
    )
    with qtbot.waitSignal(service.failed, timeout=5000) as blocker:
        service.start(account, PASSWORD, save_password=True)
    assert isinstance(blocker.args[0], PolicyRefused)
    assert "gmail.com" in blocker.args[0].user_text("en")
    assert verifier.calls == []
    assert service.wait(5) and seen.total == 1


def test_errors_from_the_check_are_passed_on(qtbot, policy):
    verifier = GatedVerifier(outcome=AuthError(detail="LOGIN failed"))
    verifier.release.set()
    service, store = _service(policy, verifier)
    account = build_account("somchai@agency.go.th")
    with qtbot.waitSignal(service.failed, timeout=5000) as blocker:
        service.start(account, PASSWORD, save_password=True)
    assert isinstance(blocker.args[0], AuthError)
    assert store.get_password(account.id) is None


def test_a_bug_in_the_check_becomes_a_bug_error(qtbot, policy):
    verifier = GatedVerifier(outcome=ZeroDivisionError("oops"))
    verifier.release.set()
    service, _ = _service(policy, verifier)
    with qtbot.waitSignal(service.failed, timeout=5000) as blocker:
        service.start(build_account("a@agency.go.th"), PASSWORD, save_password=False)
    assert blocker.args[0].code == "bug"


def test_cancel_is_immediate_and_the_late_result_is_dropped(qtbot, policy):
    verifier = GatedVerifier()
    service, store = _service(policy, verifier)
    seen = Outcomes(service)
    account = build_account("somchai@agency.go.th")
    service.start(account, PASSWORD, save_password=True)
    assert verifier.entered.wait(5)
    with qtbot.waitSignal(service.cancelled, timeout=5000):
        service.cancel()
    assert not service.is_running()
    verifier.release.set()  # the abandoned check now "succeeds"
    assert service.wait(5)
    qtbot.wait(50)
    assert seen.total == 1 and seen.cancelled == 1
    assert store.get_password(account.id) is None  # a cancelled run saves nothing
    # A new run works after a cancel.
    verifier2 = GatedVerifier()
    verifier2.release.set()
    service._verifier = verifier2
    with qtbot.waitSignal(service.finished, timeout=5000):
        service.start(account, PASSWORD, save_password=False)
    assert seen.total == 2


def test_no_keyring_is_an_offer_not_a_failure(qtbot, policy):
    from keyring.backends import fail

    verifier = GatedVerifier()
    verifier.release.set()
    service = AccountSetupService(policy, CredentialStore(fail.Keyring()), verifier)
    with qtbot.waitSignal(service.finished, timeout=5000) as blocker:
        service.start(build_account("a@agency.go.th"), PASSWORD, save_password=True)
    result = blocker.args[0]
    assert not result.password_saved
    assert result.keyring_error is not None and result.keyring_error.code == "keyring"


def test_starting_twice_is_a_bug(qtbot, policy):
    verifier = GatedVerifier()
    service, _ = _service(policy, verifier)
    service.start(build_account("a@agency.go.th"), PASSWORD, save_password=False)
    with pytest.raises(RuntimeError, match="a connection test is already running"):
        service.start(build_account("a@agency.go.th"), PASSWORD, save_password=False)
    with qtbot.waitSignal(service.cancelled, timeout=5000):
        service.cancel()
    verifier.release.set()
    assert service.wait(5)


# -- where typed passwords go (PasswordKeeper) and the account's commit -------------------------


class BlockingKeyring(MemoryKeyring):
    """A keyring that waits, as one locked behind a D-Bus unlock prompt does."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()
        self.on_gui_thread: bool | None = None

    def set_password(self, service, username, password):
        self.on_gui_thread = threading.current_thread() is threading.main_thread()
        self.entered.set()
        self.release.wait(10)
        super().set_password(service, username, password)


def test_the_keyring_is_written_on_the_keepers_worker_and_the_gui_thread_never_waits(qtbot):
    from govmail_desktop.services.account_setup import PasswordKeeper

    backend = BlockingKeyring()
    keeper = PasswordKeeper(CredentialStore(backend, trusted_backends=(BlockingKeyring,)))
    try:
        keeper.remember("acct", PASSWORD, keep=True)  # returns while the keyring still waits
        assert keeper.session.get("acct") == PASSWORD  # usable at once
        assert backend.entered.wait(10) and backend.items == {}
        assert backend.on_gui_thread is False
        backend.release.set()
        qtbot.waitUntil(lambda: backend.items == {("GovMail Desktop", "acct"): PASSWORD})
    finally:
        backend.release.set()
        keeper.shutdown()


def test_a_keyring_that_cannot_keep_the_password_is_said_and_the_session_keeps_it(qtbot):
    from govmail_desktop.core.errors import CredentialsError
    from govmail_desktop.services.account_setup import PasswordKeeper

    keeper = PasswordKeeper(_service(None, None, MemoryKeyring(fail_with=RuntimeError("locked")))[1])
    try:
        with qtbot.waitSignal(keeper.failed, timeout=10000) as failed:
            keeper.remember("acct", PASSWORD, keep=True)
        assert isinstance(failed.args[0], CredentialsError) and failed.args[0].code == "keyring-failed"
        assert keeper.session.get("acct") == PASSWORD
    finally:
        keeper.shutdown()


def test_without_a_keyring_a_password_lives_in_this_sessions_memory_only():
    from govmail_desktop.services.account_setup import PasswordKeeper

    keeper = PasswordKeeper(None)
    account = build_account("somchai@dwr.mail.go.th")
    assert not keeper.can_keep and keeper.password_for(account) is None
    keeper.remember(account.id, PASSWORD, keep=True)
    assert keeper.password_for(account) == PASSWORD
    keeper.forget(account.id)  # nothing to forget in a keyring there is not
    assert keeper.password_for(account) == PASSWORD


def _checked(account, *, password_saved: bool) -> SetupResult:
    verified = Verified(Endpoint("imap.mail.go.th", 993, "tls"), Endpoint("smtp.mail.go.th", 465, "tls"))
    return SetupResult(account, verified, password_saved)


def test_commit_saves_the_account_and_an_ask_each_session_password_stays_in_memory(qtbot, policy, tmp_path):
    from govmail_desktop.core.accounts import AccountStore
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.services.account_setup import PasswordKeeper

    settings = Settings(tmp_path / "settings.json")
    keeper = PasswordKeeper(None)
    service = AccountSetupService(policy, None, settings=settings, passwords=keeper)
    account = build_account("somchai@dwr.mail.go.th")
    saved = service.commit(_checked(account, password_saved=False), PASSWORD, ask_each_session=True)
    assert saved.ask_password_each_session and saved.id == account.id
    assert AccountStore(Settings.load(tmp_path / "settings.json")).list() == [saved]
    assert keeper.session.get(account.id) == PASSWORD
    assert service.find_account("somchai@dwr.mail.go.th") == saved


def test_a_commit_that_cannot_write_the_settings_removes_the_checked_password_again(qtbot, policy, tmp_path):
    from govmail_desktop.core.accounts import AccountStore
    from govmail_desktop.core.errors import StorageError
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.services.account_setup import PasswordKeeper

    (tmp_path / "not-a-folder").write_text("x")
    settings = Settings(tmp_path / "not-a-folder" / "settings.json")  # its folder cannot be made
    backend = MemoryKeyring()
    store = _service(policy, None, backend)[1]
    account = build_account("somchai@dwr.mail.go.th")
    store.set_password(account.id, PASSWORD)  # what the check did before the commit
    keeper = PasswordKeeper(store)
    service = AccountSetupService(policy, store, settings=settings, passwords=keeper)
    try:
        with pytest.raises(StorageError):
            service.commit(_checked(account, password_saved=True), PASSWORD, ask_each_session=False)
        assert AccountStore(settings).list() == []  # not on disk: not in the list either
        qtbot.waitUntil(lambda: backend.items == {}, timeout=10000)
        assert keeper.session.get(account.id) is None
    finally:
        keeper.shutdown()
