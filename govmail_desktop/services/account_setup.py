"""The setup wizard's connection test, run off the GUI thread.

One run = policy pre-check (no network) → IMAP login and SMTP AUTH through
the full policy (``net.account_check.verify_account``, which probes the SMTP
ports in order) → the password saved in the OS keyring (when asked to). Each
run ends with exactly one of :attr:`AccountSetupService.finished`,
:attr:`~AccountSetupService.failed` or :attr:`~AccountSetupService.cancelled`,
delivered to the GUI thread by queued signals.

"No usable keyring" is not a failure of the test: the account works, only the
password cannot be kept. It comes back inside :class:`SetupResult` so the
wizard can offer "ask for the password each session".
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from govmail_desktop.core.accounts import Account, ServerSettings
from govmail_desktop.core.errors import BugError, Cancelled, CredentialsError, GovMailError
from govmail_desktop.credentials import CredentialStore
from govmail_desktop.net.endpoint import Endpoint

log = logging.getLogger(__name__)

#: ``verify_account(imap, smtp_candidates, login, password, policy, *, cancel, timeout)``.
Verifier = Callable[..., Any]


class AccountPolicy(Protocol):
    """What the setup needs from the effective policy (policy/)."""

    def server_policy(self) -> Any: ...

    def check_account_address(self, address: str) -> Any: ...


@dataclass(frozen=True)
class SetupResult:
    """A successful connection test.

    ``account`` has the SMTP server that worked (no longer probing).
    ``keyring_error`` is set when the password was to be saved but could not be:
    the wizard then offers "ask for the password each session".
    """

    account: Account
    verified: Any
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
        timeout: float = 20.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._policy = policy
        self._credentials = credential_store
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
        except Exception as exc:  # noqa: BLE001 - a bug: traceback to the log, short text to the user
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
        self._policy.check_account_address(account.address)
        server_policy = self._policy.server_policy()
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
