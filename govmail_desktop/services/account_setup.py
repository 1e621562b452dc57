"""Adding an account: the setup wizard's connection test, the account's commit, and
where typed passwords go — everything the wizard and the password prompt need
that is not a widget.

One run = policy pre-check (no network) → IMAP login and SMTP AUTH through
the full policy (``net.account_check.verify_account``, which probes the SMTP
ports in order) → the password saved in the OS keyring (when asked to). Each
run ends with exactly one of :attr:`AccountSetupService.finished`,
:attr:`~AccountSetupService.failed` or :attr:`~AccountSetupService.cancelled`,
delivered to the GUI thread by queued signals. :meth:`AccountSetupService.commit`
then writes the tested account to the settings file (or :meth:`~AccountSetupService.discard`
forgets it).

"No usable keyring" is not a failure of the test: the account works, only the
password cannot be kept. It comes back inside :class:`SetupResult` so the
wizard can offer "ask for the password each session".

:class:`PasswordKeeper` keeps a typed password in this session's memory and,
when wanted, in the OS keyring. A keyring call may block (D-Bus, a locked
keyring waiting to be unlocked), so every one runs on its worker thread,
never on the GUI thread; the UI starts no thread of its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from govmail_desktop.core.accounts import Account, AccountStore, ServerSettings
from govmail_desktop.core.errors import BugError, Cancelled, CredentialsError, GovMailError
from govmail_desktop.core.settings import Settings
from govmail_desktop.credentials import CredentialStore, SessionPasswords, password_for
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.policy.api import ServerPolicy
from govmail_desktop.services.local_worker import LocalWorker

if TYPE_CHECKING:
    from govmail_desktop.net.account_check import VerifiedAccount

log = logging.getLogger(__name__)

class Verifier(Protocol):
    """The connection test: ``net.account_check.verify_account``'s signature."""

    def __call__(
        self,
        imap: Endpoint,
        smtp_candidates: Sequence[Endpoint],
        login: str,
        password: str,
        policy: ServerPolicy,
        *,
        cancel: threading.Event | None = None,
        timeout: float = 20.0,
    ) -> VerifiedAccount: ...


class AccountPolicy(Protocol):
    """What the setup needs from the effective policy (policy/)."""

    def server_policy(self) -> ServerPolicy: ...

    def check_account_address(self, address: str) -> str: ...


class PasswordKeeper(QObject):
    """Where the passwords a user types go: this session's memory, and the OS keyring
    when the user wants it kept there (see the module doc: keyring calls run on the
    keeper's worker thread).

    Signals:
        failed(GovMailError): the keyring could not keep a password (the user is told;
            the password stays in memory for this session).
    """

    failed = Signal(object)

    def __init__(
        self,
        store: CredentialStore | None,
        session: SessionPasswords | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        #: The OS keyring (None: no keyring for this run, passwords live in memory only).
        self.store = store
        self.session = session if session is not None else SessionPasswords()
        self._worker: LocalWorker | None = None

    @property
    def can_keep(self) -> bool:
        """Whether a password can be kept beyond this session (a keyring is there)."""
        return self.store is not None

    def password_for(self, account: Account) -> str | None:
        """The account's password if known without asking the user (None: ask).

        Called on the sync engine's worker thread at connect time (it may wait for the keyring).
        """
        if self.store is None:
            return self.session.get(account.id)
        return password_for(account, self.store, self.session)

    def remember(self, account_id: str, password: str, *, keep: bool) -> None:
        """Use ``password`` from now on; with ``keep``, also save it in the keyring."""
        self.session.set(account_id, password)
        store = self.store
        log.info("Password for account %s entered (%s)", account_id,
                 "to be kept in the keyring" if keep and store is not None else "kept in memory for this session")
        if keep and store is not None:
            self._submit(lambda: store.set_password(account_id, password), self._keep_failed)

    def forget(self, account_id: str) -> None:
        """Remove the account's password from the keyring (an account that was not saved)."""
        store = self.store
        if store is not None:
            self._submit(lambda: store.delete_password(account_id), self._forget_failed)

    def shutdown(self) -> None:
        if self._worker is not None:
            self._worker.shutdown()

    def _submit(self, job: Callable[[], None], on_error: Callable[[BaseException], None]) -> None:
        if self._worker is None:
            self._worker = LocalWorker("keyring", parent=self)
        self._worker.submit(job, None, on_error)

    def _keep_failed(self, exc: BaseException) -> None:
        error = exc if isinstance(exc, GovMailError) else BugError(detail=f"{type(exc).__name__} saving a password")
        self.failed.emit(error)

    @staticmethod
    def _forget_failed(exc: BaseException) -> None:
        code = exc.code if isinstance(exc, GovMailError) else type(exc).__name__
        log.warning("Could not remove the password of an abandoned setup: %s", code)


@dataclass(frozen=True)
class SetupResult:
    """A successful connection test.

    ``account`` has the SMTP server that worked (no longer probing).
    ``keyring_error`` is set when the password was to be saved but could not be:
    the wizard then offers "ask for the password each session".
    """

    account: Account
    verified: VerifiedAccount
    password_saved: bool
    keyring_error: CredentialsError | None = None


# Step identifiers → text (translated in the GUI thread, see _step_text).
STEP_POLICY = "policy"
STEP_KEYRING = "keyring"
STEP_CONNECT = "connect"
STEP_SAVE = "save"


def default_verifier() -> Verifier:
    from govmail_desktop.net.account_check import verify_account

    return verify_account


def endpoint_of(server: ServerSettings) -> Endpoint:
    return Endpoint(server.host, server.port, server.security)


class AccountSetupService(QObject):
    """Runs one account's connection test on a worker thread.

    Signals (always delivered queued, in the thread this object lives in):
        progress(str): the step now running, ready to show.
        finished(SetupResult): the account works (see ``keyring_error``).
        failed(GovMailError): one specific error (AuthError, PolicyRefused,
            TlsError, NetworkError, ServerError, BugError...).
        cancelled(): :meth:`cancel` stopped the run.
    """

    progress = Signal(str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    # Worker → GUI thread relays (queued connections below).
    _worker_step = Signal(int, str)
    _worker_end = Signal(int, str, object)

    def __init__(
        self,
        policy: AccountPolicy,
        credential_store: CredentialStore | None,
        verifier: Verifier | None = None,
        *,
        settings: Settings | None = None,
        passwords: PasswordKeeper | None = None,
        timeout: float = 20.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.policy = policy
        self._credentials = credential_store
        #: Where accounts are saved (None: a check only, nothing can be committed).
        self._accounts = AccountStore(settings) if settings is not None else None
        self.passwords = passwords if passwords is not None else PasswordKeeper(credential_store, parent=self)
        self._verifier = verifier
        self._timeout = timeout
        self._lock = threading.Lock()
        self._run = 0
        self._running = False
        self._cancel: threading.Event | None = None
        self._committed = False
        self._threads: list[threading.Thread] = []
        self._worker_step.connect(self._on_worker_step, Qt.ConnectionType.QueuedConnection)
        self._worker_end.connect(self._on_worker_end, Qt.ConnectionType.QueuedConnection)

    # -- the account (GUI thread) -------------------------------------------------
    def find_account(self, address: str) -> Account | None:
        """The account already set up for this address, if any."""
        return self._accounts.find(address) if self._accounts is not None else None

    def commit(self, result: SetupResult, password: str, *, ask_each_session: bool) -> Account:
        """Save the tested account in the settings file and return it as saved.

        An "ask each session" account's password is kept in this session's memory.
        When the account cannot be written (disk full...) the error is raised and
        nothing is left behind: a password the check stored in the keyring for an
        account that does not exist would only be litter there.
        """
        store = self._accounts
        if store is None:
            raise BugError(detail="account setup without settings to save the account in")
        account = replace(result.account, ask_password_each_session=ask_each_session)
        try:
            store.add(account)
        except GovMailError:
            self.discard(result)
            raise
        try:
            store.save()
        except GovMailError:
            store.remove(account.id)  # not on disk: not in the list either
            self.discard(result)
            raise
        if ask_each_session:
            self.passwords.session.set(account.id, password)
        log.info("Account %s saved", account.id)
        return account

    def discard(self, result: SetupResult) -> None:
        """Forget the password a check stored for an account that will not be saved (the
        wizard was closed meanwhile, or the settings could not be written)."""
        if result.password_saved:
            self.passwords.forget(result.account.id)

    # -- control (GUI thread) -------------------------------------------------
    def is_running(self) -> bool:
        """True from :meth:`start` until its one outcome signal has been emitted."""
        return self._running

    def start(self, account: Account, password: str, *, save_password: bool) -> None:
        """Begin a run; one of finished/failed/cancelled follows."""
        if self._running:
            raise RuntimeError("a connection test is already running")
        with self._lock:
            self._run += 1
            run = self._run
            self._cancel = threading.Event()
            self._committed = False
        self._running = True
        verifier = self._verifier or default_verifier()
        thread = threading.Thread(
            target=self._work,
            args=(run, self._cancel, verifier, account, password, save_password),
            name=f"account-setup-{run}",
            daemon=True,  # a hung server must never keep the app from quitting
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def cancel(self) -> None:
        """Stop the running check; ``cancelled`` follows at once (queued).

        net/ notices the cancel between steps, and a blocking read on a silent
        server only ends with its timeout, so the run is abandoned rather than
        waited for: whatever the worker reports later is dropped, and it will
        not save the password. Too late once the check has passed and the
        password is being saved: then ``finished`` follows as usual.
        """
        with self._lock:
            if self._cancel is None or self._committed or self._cancel.is_set():
                return
            self._cancel.set()
            run = self._run
        self._worker_end.emit(run, "cancelled", None)

    def wait(self, timeout: float | None = None) -> bool:
        """Join the worker threads, abandoned ones included (shutdown, tests).

        True when all have ended. A thread abandoned by :meth:`cancel` ends
        within net/'s timeout.
        """
        for thread in list(self._threads):
            thread.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    # -- worker thread ----------------------------------------------------------
    def _work(
        self,
        run: int,
        cancel: threading.Event,
        verifier: Verifier,
        account: Account,
        password: str,
        save_password: bool,
    ) -> None:
        try:
            outcome: tuple[str, object] = self._check(run, cancel, verifier, account, password, save_password)
        except Cancelled:
            outcome = ("cancelled", None)
        except GovMailError as exc:
            outcome = ("failed", exc)
        except Exception as exc:
            log.exception("Account setup check failed unexpectedly")
            outcome = ("failed", BugError(detail=f"{type(exc).__name__} in account setup"))
        if outcome[0] == "failed" and cancel.is_set():
            # A cancelled socket often surfaces as a network error: the user asked to stop.
            outcome = ("cancelled", None)
        try:
            self._worker_end.emit(run, outcome[0], outcome[1])
        except RuntimeError:  # the Qt object is gone (app shutting down)
            pass

    def _step(self, run: int, step: str) -> None:
        try:
            self._worker_step.emit(run, step)
        except RuntimeError:
            pass

    def _check(
        self,
        run: int,
        cancel: threading.Event,
        verifier: Verifier,
        account: Account,
        password: str,
        save_password: bool,
    ) -> tuple[str, object]:
        # 1. Policy first, before any network: the address's domain and every host name.
        self._step(run, STEP_POLICY)
        self.policy.check_account_address(account.address)
        server_policy = self.policy.server_policy()
        for server in (account.imap, *account.smtp_candidates()):
            server_policy.check_host(server.host)
        if cancel.is_set():
            raise Cancelled()

        # 2. Learn early whether the password can be kept (it changes the outcome's offer).
        keyring_error: CredentialsError | None = None
        if save_password:
            self._step(run, STEP_KEYRING)
            try:
                self._store().check_available()
            except CredentialsError as exc:
                log.info("No usable keyring for the new account: %s", exc.detail)
                keyring_error = exc
        if cancel.is_set():
            raise Cancelled()

        # 3. IMAP login and SMTP AUTH through the full policy.
        self._step(run, STEP_CONNECT)
        verified = verifier(
            endpoint_of(account.imap),
            [endpoint_of(s) for s in account.smtp_candidates()],
            account.login,
            password,
            server_policy,
            cancel=cancel,
            timeout=self._timeout,
        )
        smtp = verified.smtp
        account = account.with_smtp(ServerSettings(smtp.host, smtp.port, smtp.security))

        # 4. Past this point the run completes even if cancel comes now.
        with self._lock:
            if cancel.is_set():
                raise Cancelled()
            self._committed = True
        saved = False
        if save_password and keyring_error is None:
            self._step(run, STEP_SAVE)
            try:
                self._store().set_password(account.id, password)
                saved = True
            except CredentialsError as exc:
                keyring_error = exc
        return "finished", SetupResult(account, verified, saved, keyring_error)

    def _store(self) -> CredentialStore:
        if self._credentials is None:
            raise CredentialsError(code="keyring", detail="no credential store given")
        return self._credentials

    # -- back in the GUI thread -------------------------------------------------
    def _step_text(self, step: str) -> str:
        translate = QCoreApplication.translate
        if step == STEP_POLICY:
            return translate("AccountSetupService", "Checking the address against the agency's policy…")
        if step == STEP_KEYRING:
            return translate("AccountSetupService", "Checking the password store (keyring)…")
        if step == STEP_CONNECT:
            return translate(
                "AccountSetupService",
                "Signing in to the incoming mail server (IMAP) and the outgoing mail server (SMTP)…",
            )
        if step == STEP_SAVE:
            return translate("AccountSetupService", "Saving the password in the password store (keyring)…")
        return step

    @Slot(int, str)
    def _on_worker_step(self, run: int, step: str) -> None:
        if run == self._run and self._running:
            self.progress.emit(self._step_text(step))

    @Slot(int, str, object)
    def _on_worker_end(self, run: int, kind: str, value: object) -> None:
        if run != self._run or not self._running:
            return
        self._running = False
        if kind == "finished":
            self.finished.emit(value)
        elif kind == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
