"""Account passwords: only in the operating system's keyring, or only in memory.

:class:`CredentialStore` keeps passwords in the OS keyring through the
``keyring`` package: Windows Credential Manager, macOS Keychain, Secret Service
(GNOME Keyring, KeePassXC...) or KWallet on Linux. Any other backend is
refused, in particular ones that write a file (``keyrings.alt``'s
``PlaintextKeyring`` and friends), the ``null`` backend that silently forgets,
and the ``fail`` backend ``keyring`` falls back to when there is no keyring at
all. Refusals raise :class:`CredentialsError` worded for the user, and the app
offers "ask for the password each session" instead: :class:`SessionPasswords`
holds them in memory for this run and writes nothing, anywhere.

There is never a plaintext file fallback. Passwords never appear in settings,
logs, error details or process arguments; error details name the backend and
the exception type only.

Keyring calls can block (D-Bus, an unlock prompt): call them from a worker
thread, never from the GUI thread.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from govmail_desktop import APP_NAME
from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg

try:  # Secret Service: an item deleted by another client between search and read
    from secretstorage.exceptions import ItemNotFoundException as _SecretVanished

    _VANISHED: tuple[type[BaseException], ...] = (_SecretVanished,)
except ImportError:  # not on Linux
    _VANISHED = ()

if TYPE_CHECKING:
    from govmail_desktop.core.accounts import Account

log = logging.getLogger(__name__)

#: The keyring "service" under which every account's password is filed.
SERVICE_NAME = APP_NAME

#: Backends that are the operating system's own encrypted password store.
OS_KEYRING_MODULES: tuple[str, ...] = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.Windows",
    "keyring.backends.macOS",
)

MSG_KEYRING_LOCKED = QT_TRANSLATE_NOOP("Credentials", "The password store (keyring) is locked.")
HINT_KEYRING_LOCKED = QT_TRANSLATE_NOOP(
    "Credentials",
    "Please unlock it (for example, sign out of the desktop and sign in again), "
    "or enter your password each session instead; it will not be saved.",
)
MSG_KEYRING_INSECURE = QT_TRANSLATE_NOOP(
    "Credentials",
    "The password store on this computer keeps passwords unprotected in a file, "
    "so GovMail Desktop will not use it.",
)
HINT_ASK_EACH_SESSION = QT_TRANSLATE_NOOP(
    "Credentials",
    "You can enter your password each session instead; it will not be saved. "
    "IT staff can install a system password store (GNOME Keyring or KWallet).",
)
HINT_ASK_EACH_SESSION_WINDOWS = QT_TRANSLATE_NOOP(
    "Credentials",
    "You can enter your password each session instead; it will not be saved. "
    "IT staff can check that Windows Credential Manager may keep passwords on this computer "
    "(a Group Policy can forbid it).",
)
MSG_KEYRING_SAVE_FAILED = QT_TRANSLATE_NOOP(
    "Credentials", "The password could not be saved in the password store (keyring)."
)
MSG_KEYRING_READ_FAILED = QT_TRANSLATE_NOOP(
    "Credentials", "The password could not be read from the password store (keyring)."
)
MSG_PASSWORD_TOO_LONG = QT_TRANSLATE_NOOP(
    "Credentials",
    "The password is too long for Windows Credential Manager ({size} bytes; it keeps at most "
    "{limit} bytes, about {chars} characters).",
)
HINT_PASSWORD_TOO_LONG = QT_TRANSLATE_NOOP(
    "Credentials",
    "Please use a shorter password, or enter it each session instead; it will not be saved.",
)

#: wincred.h CRED_MAX_CREDENTIAL_BLOB_SIZE (5 * 512 bytes): CredWrite refuses a longer blob.
#: keyring's Windows backend writes the password as UTF-16 (2 bytes a unit, 4 for a character
#: beyond the BMP), so the limit is 1,280 UTF-16 units.
CRED_MAX_CREDENTIAL_BLOB_SIZE = 5 * 512


#: keyring's Windows backend (its class name), and the persistence GovMail writes with:
#: CRED_PERSIST_LOCAL_MACHINE, not keyring's default CRED_PERSIST_ENTERPRISE (a roaming
#: credential, refused where a hardened policy forbids storing network credentials).
WINDOWS_BACKEND = "WinVaultKeyring"
WINDOWS_PERSISTENCE = "local machine"  # keyring's Persistence descriptor maps it to the constant


def ask_each_session_hint(platform: str) -> Msg:
    """The "enter it each session; IT can provide a store" hint, naming this system's store."""
    return HINT_ASK_EACH_SESSION_WINDOWS if platform == "win32" else HINT_ASK_EACH_SESSION


def _persist_on_this_machine(backend: object) -> None:
    """Make keyring's Windows backend write credentials for the local machine."""
    if type(backend).__name__ == WINDOWS_BACKEND and hasattr(backend, "persist"):
        backend.persist = WINDOWS_PERSISTENCE


def _is_windows_backend(backend: object) -> bool:
    return type(backend).__name__ == WINDOWS_BACKEND


def credential_blob_size(password: str) -> int:
    """Bytes of ``password`` in a Windows credential blob (UTF-16, as keyring writes it)."""
    return len(password.encode("utf-16-le"))


def windows_target(service: str, account_id: str) -> str:
    """The one Credential Manager target of an account: keyring's compound name
    ``{username}@{service}``, which keyring's own ``get_password`` also finds."""
    return f"{account_id}@{service}"


def _one_target_writer(backend: object) -> tuple[Callable[..., Any], Callable[[str], Any],
                                                   Callable[[str], None]] | None:
    """keyring's Windows primitives (one CredWrite / CredRead / CredDelete of a target), or
    None when this keyring version has other names (then its public API is used)."""
    write = getattr(backend, "_set_password", None)
    read = getattr(backend, "_read_credential", None)
    delete = getattr(backend, "_delete_password", None)
    if callable(write) and callable(read) and callable(delete):
        return write, read, delete
    return None


def backend_name(backend: object) -> str:
    """``module.Class`` of a keyring backend (logs, error details, govmail-admin doctor)."""
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_os_keyring(backend: object, trusted: tuple[type, ...]) -> bool:
    module = type(backend).__module__
    if module.startswith("keyrings.alt"):
        return False  # file-based, whatever else it claims to be
    # Exact classes only: a subclass may store passwords somewhere else entirely.
    return type(backend) in trusted or module.startswith(OS_KEYRING_MODULES)


def select_backend(
    backend: KeyringBackend, *, trusted: tuple[type, ...] = (), hint: Msg = HINT_ASK_EACH_SESSION
) -> KeyringBackend:
    """The OS keyring to use given ``keyring``'s choice, or :class:`CredentialsError`.

    A chainer (several viable backends) is narrowed to its best OS keyring, so
    a higher-priority file-based backend is skipped rather than written to.
    """
    candidates: list[KeyringBackend]
    if isinstance(backend, ChainerBackend):
        candidates = list(backend.backends)
    else:
        candidates = [backend]
    for candidate in candidates:
        if _is_os_keyring(candidate, trusted):
            return candidate
    names = ", ".join(backend_name(c) for c in candidates) or "none"
    module = type(backend).__module__
    if module.startswith("keyrings.alt") or any(
        type(c).__module__.startswith("keyrings.alt") for c in candidates
    ):
        raise CredentialsError(
            MSG_KEYRING_INSECURE,
            hint=hint,
            code="keyring-insecure",
            detail=f"refused keyring backend(s): {names}",
        )
    raise CredentialsError(hint=hint, code="keyring", detail=f"no OS keyring; backend(s): {names}")


def _failing_module(exc: BaseException) -> str:
    """The keyring backend module in which ``exc`` was raised (its innermost frame), for logs."""
    name = "the keyring backend"
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith(("keyring.backends.", "keyrings.")):
            name = module
        tb = tb.tb_next
    return name


def _wrap(
    exc: BaseException, message: Msg | None = None, *, backend: object, action: str, hint: Msg
) -> CredentialsError:
    """A user-worded error for a keyring failure (the detail never holds a secret)."""
    where = f"{action} via {backend_name(backend)}: {type(exc).__name__}"
    if isinstance(exc, keyring.errors.NoKeyringError):
        return CredentialsError(hint=hint, code="keyring", detail=where)
    if isinstance(exc, keyring.errors.KeyringLocked):
        return CredentialsError(MSG_KEYRING_LOCKED, hint=HINT_KEYRING_LOCKED, code="keyring-locked", detail=where)
    if isinstance(exc, keyring.errors.InitError):
        # Secret Service present in name only (no default collection, daemon gone).
        return CredentialsError(hint=hint, code="keyring", detail=where)
    return CredentialsError(message, hint=hint, code="keyring-failed", detail=where)


class CredentialStore:
    """Passwords of accounts in the OS keyring, filed under ``SERVICE_NAME`` / account id.

    ``backend``: the keyring backend to use; by default ``keyring``'s current
    choice, looked up at each call (so a keyring that appears later is used).
    ``trusted_backends``: extra backend classes accepted as an OS keyring
    (code only; nothing a user setting can reach).
    ``platform``: ``sys.platform`` by default; picks the wording of the hints (a seam for tests).
    On Windows, keyring's Credential Manager backend writes for the local machine.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        service_name: str = SERVICE_NAME,
        trusted_backends: tuple[type, ...] = (),
        platform: str | None = None,
    ) -> None:
        self._backend = backend
        self.service_name = service_name
        self._trusted = trusted_backends
        self._hint = ask_each_session_hint(sys.platform if platform is None else platform)

    def backend(self) -> KeyringBackend:
        """The usable OS keyring, or :class:`CredentialsError` saying why there is none.

        ``keyring`` loads a backend named in ``PYTHON_KEYRING_BACKEND`` or
        ``keyringrc.cfg`` by probing it, and lets the probe's exception through:
        the Secret Service without a D-Bus session raises ``FileNotFoundError``
        (a dead bus address) or ``RuntimeError`` (no address). That is "no
        keyring", not a crash.
        """
        if self._backend is not None:
            chosen = self._backend
        else:
            try:
                chosen = keyring.get_keyring()
            except Exception as exc:  # noqa: BLE001 - any failure to load means "no keyring"
                raise CredentialsError(
                    hint=self._hint, code="keyring",
                    detail=f"loading {_failing_module(exc)} failed: {type(exc).__name__}",
                ) from None
        selected = select_backend(chosen, trusted=self._trusted, hint=self._hint)
        _persist_on_this_machine(selected)
        return selected

    def check_available(self) -> None:
        """Raise :class:`CredentialsError` unless passwords can be stored.

        Touches the store (a lookup of a name that does not exist), so a locked
        or half-working Secret Service is found before the user relies on it.
        """
        backend = self.backend()
        try:
            backend.get_password(self.service_name, "__govmail-availability-check__")
        except Exception as exc:  # noqa: BLE001 - any backend failure means "not usable"
            raise _wrap(exc, backend=backend, action="check", hint=self._hint) from None

    def is_available(self) -> bool:
        """Whether passwords can be stored; never raises (the reason is logged)."""
        try:
            self.check_available()
        except CredentialsError as exc:
            log.info("No usable password store (keyring): %s (%s)", exc.code, exc.detail)
            return False
        return True

    def get_password(self, account_id: str) -> str | None:
        backend = self.backend()
        try:
            primitives = _one_target_writer(backend) if _is_windows_backend(backend) else None
            if primitives is not None:
                found = primitives[1](windows_target(self.service_name, account_id))
                if found:
                    return str(found.value)
            # elsewhere; and on Windows a password saved by an older GovMail under the bare
            # service name (keyring's public lookup finds that one)
            return backend.get_password(self.service_name, account_id)
        except _VANISHED:
            return None  # deleted meanwhile: there is no password
        except Exception as exc:  # noqa: BLE001
            raise _wrap(exc, MSG_KEYRING_READ_FAILED, backend=backend, action="get", hint=self._hint) from None

    def set_password(self, account_id: str, password: str) -> None:
        if not password:
            raise ValueError("refusing to store an empty password")
        backend = self.backend()
        if _is_windows_backend(backend):
            size = credential_blob_size(password)
            if size > CRED_MAX_CREDENTIAL_BLOB_SIZE:
                raise CredentialsError(
                    MSG_PASSWORD_TOO_LONG, hint=HINT_PASSWORD_TOO_LONG, code="keyring-too-long",
                    detail=f"{size} bytes as UTF-16, Credential Manager limit {CRED_MAX_CREDENTIAL_BLOB_SIZE}",
                    size=f"{size:,}", limit=f"{CRED_MAX_CREDENTIAL_BLOB_SIZE:,}",
                    chars=f"{CRED_MAX_CREDENTIAL_BLOB_SIZE // 2:,}",
                )
        try:
            primitives = _one_target_writer(backend) if _is_windows_backend(backend) else None
            if primitives is None:
                backend.set_password(self.service_name, account_id, password)
            else:
                self._set_one_target(account_id, password, *primitives)
        except Exception as exc:  # noqa: BLE001
            raise _wrap(exc, MSG_KEYRING_SAVE_FAILED, backend=backend, action="set", hint=self._hint) from None
        log.info("Password for account %s saved in %s", account_id, backend_name(backend))

    def _set_one_target(
        self, account_id: str, password: str,
        write: Callable[..., Any], read: Callable[[str], Any], delete: Callable[[str], None],
    ) -> None:
        """Windows: the account's password in exactly one target, replaced by one CredWrite.

        keyring's public ``set_password`` keeps the first account under the bare service
        name and, when another account (or a new password) comes, first re-saves the
        previous one under a compound target: a replaced password stays behind in a second
        credential, and the accounts move between targets. Here every account has its own
        target (:func:`windows_target`), written in place, so the account is never without a
        password; a copy an older version left under the bare service name is removed only
        after the new one is written.
        """
        write(windows_target(self.service_name, account_id), account_id, password)
        legacy = read(self.service_name)
        if legacy and legacy.get("UserName") == account_id:
            delete(self.service_name)

    def delete_password(self, account_id: str) -> None:
        """Remove the account's password; a password that is not there is not an error."""
        backend = self.backend()
        try:
            backend.delete_password(self.service_name, account_id)
        except keyring.errors.PasswordDeleteError:
            return
        except _VANISHED:
            return
        except Exception as exc:  # noqa: BLE001
            raise _wrap(exc, MSG_KEYRING_SAVE_FAILED, backend=backend, action="delete", hint=self._hint) from None


class SessionPasswords:
    """Passwords for this run of the app only: kept in memory, never written anywhere."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._passwords: dict[str, str] = {}

    def get(self, account_id: str) -> str | None:
        with self._lock:
            return self._passwords.get(account_id)

    def set(self, account_id: str, password: str) -> None:
        with self._lock:
            self._passwords[account_id] = password

    def forget(self, account_id: str) -> None:
        with self._lock:
            self._passwords.pop(account_id, None)

    def clear(self) -> None:
        with self._lock:
            self._passwords.clear()

    def __contains__(self, account_id: object) -> bool:
        with self._lock:
            return account_id in self._passwords

    def __repr__(self) -> str:  # never show the passwords, even in a traceback
        with self._lock:
            return f"<SessionPasswords for {len(self._passwords)} account(s)>"

    def __reduce__(self) -> NoReturn:  # refuse pickling (a crash reporter must not serialise them)
        raise TypeError("SessionPasswords cannot be pickled")


def password_for(account: Account, store: CredentialStore, session: SessionPasswords) -> str | None:
    """The account's password if known without asking the user (``None``: ask).

    Accounts set to "ask each session" look only in memory; the others look in
    memory first (a password typed this session is newer than the keyring's:
    the keyring was locked, or the server refused the stored one), then in the
    keyring.
    """
    typed = session.get(account.id)
    if account.ask_password_each_session or typed is not None:
        return typed
    try:
        password = store.get_password(account.id)
    except CredentialsError as exc:
        log.warning("Keyring unavailable for account %s: %s", account.id, exc.code)
        password = None
    return password
