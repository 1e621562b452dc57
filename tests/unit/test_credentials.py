"""Credentials: only an OS keyring is used; everything else is refused with a plain message."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from govmail_desktop.core.accounts import build_account
from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.credentials import CredentialStore, SessionPasswords, password_for, select_backend

PASSWORD = "Kh0ngLub-Pw9"
ROOT = Path(__file__).resolve().parents[2]


class MemoryKeyring(KeyringBackend):
    """Stands in for an OS keyring in unit tests (passed as trusted explicitly)."""

    priority = 1

    def __init__(self, fail_with: BaseException | None = None) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.fail_with = fail_with

    def _maybe_fail(self) -> None:
        if self.fail_with is not None:
            raise self.fail_with

    def get_password(self, service, username):
        self._maybe_fail()
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self._maybe_fail()
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self._maybe_fail()
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's file backend."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


def _store(backend: KeyringBackend) -> CredentialStore:
    return CredentialStore(backend, trusted_backends=(MemoryKeyring,))


def test_round_trip_and_delete_in_a_trusted_keyring():
    backend = MemoryKeyring()
    store = _store(backend)
    store.check_available()
    assert store.get_password("acc1") is None
    store.set_password("acc1", PASSWORD)
    assert store.get_password("acc1") == PASSWORD
    assert backend.items == {("GovMail Desktop", "acc1"): PASSWORD}
    store.delete_password("acc1")
    store.delete_password("acc1")  # already gone: not an error
    assert store.get_password("acc1") is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_keyring_is_reported_plainly(backend):
    store = CredentialStore(backend)
    assert not store.is_available()
    with pytest.raises(CredentialsError) as info:
        store.set_password("acc1", PASSWORD)
    err = info.value
    assert err.code == "keyring"
    assert "keyring" in err.user_text("en").lower()
    assert "each session" in err.user_text("en")
    assert err.user_text("th") != err.user_text("en")


def test_a_plaintext_file_keyring_is_refused_and_never_written():
    backend = PlaintextKeyring()
    store = CredentialStore(backend)
    with pytest.raises(CredentialsError) as info:
        store.set_password("acc1", PASSWORD)
    assert info.value.code == "keyring-insecure"
    assert "file" in info.value.user_text("en")
    assert backend.items == {}


def test_a_chainer_is_narrowed_to_its_os_keyring(monkeypatch):
    plain, os_keyring = PlaintextKeyring(), MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plain, os_keyring])
    chosen = select_backend(chainer.ChainerBackend(), trusted=(MemoryKeyring,))
    assert chosen is os_keyring
    store = CredentialStore(chainer.ChainerBackend(), trusted_backends=(MemoryKeyring,))
    store.set_password("acc1", PASSWORD)
    assert plain.items == {} and os_keyring.items


def test_an_empty_chainer_means_no_keyring(monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    with pytest.raises(CredentialsError) as info:
        CredentialStore(chainer.ChainerBackend()).check_available()
    assert info.value.code == "keyring"


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (keyring.errors.KeyringLocked("Failed to unlock the collection!"), "keyring-locked"),
        (keyring.errors.InitError("Failed to create the collection"), "keyring"),
        (keyring.errors.NoKeyringError("none"), "keyring"),
        (keyring.errors.PasswordSetError(f"could not store {PASSWORD}"), "keyring-failed"),
        (ConnectionError(f"dbus gone while storing {PASSWORD}"), "keyring-failed"),
    ],
)
def test_keyring_failures_become_credentials_errors_without_the_password(exc, code):
    store = _store(MemoryKeyring(fail_with=exc))
    with pytest.raises(CredentialsError) as info:
        store.set_password("acc1", PASSWORD)
    err = info.value
    assert err.code == code
    everything = " ".join([str(err), repr(err), err.detail, err.user_text("th"), err.user_text("en"),
                           str(err.as_dict())])
    assert PASSWORD not in everything
    assert err.__cause__ is None and err.__suppress_context__  # the original (with the secret) is not chained


def test_availability_check_touches_the_store():
    store = _store(MemoryKeyring(fail_with=keyring.errors.KeyringLocked("locked")))
    with pytest.raises(CredentialsError) as info:
        store.check_available()
    assert info.value.code == "keyring-locked"


def test_default_backend_is_looked_up_at_each_call():
    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        store = CredentialStore(trusted_backends=(MemoryKeyring,))
        assert not store.is_available()
        keyring.set_keyring(MemoryKeyring())
        assert store.is_available()
    finally:
        keyring.set_keyring(previous)


def test_session_passwords_stay_in_memory():
    session = SessionPasswords()
    session.set("acc1", PASSWORD)
    assert session.get("acc1") == PASSWORD and "acc1" in session
    assert PASSWORD not in repr(session)
    with pytest.raises(TypeError):
        pickle.dumps(session)
    session.forget("acc1")
    assert session.get("acc1") is None


def test_password_for_uses_memory_for_ask_each_session_accounts():
    keyring_account = build_account("a@agency.go.th")
    session_account = build_account("b@agency.go.th", ask_password_each_session=True)
    backend = MemoryKeyring()
    store, session = _store(backend), SessionPasswords()
    store.set_password(keyring_account.id, "from-keyring")
    backend.items[("GovMail Desktop", session_account.id)] = "must-not-be-used"
    assert password_for(keyring_account, store, session) == "from-keyring"
    assert password_for(session_account, store, session) is None
    session.set(session_account.id, "typed")
    assert password_for(session_account, store, session) == "typed"
    # A keyring that fails at run time falls back to what the user typed this session.
    broken = _store(MemoryKeyring(fail_with=keyring.errors.KeyringLocked("locked")))
    session.set(keyring_account.id, "typed-again")
    assert password_for(keyring_account, broken, session) == "typed-again"
    # A password typed this session (the server refused the stored one) wins over the keyring.
    assert password_for(keyring_account, store, session) == "typed-again"
    session.forget(keyring_account.id)
    assert password_for(keyring_account, store, session) == "from-keyring"


_NO_DBUS_PROBE = """
import logging, sys
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(name)s: %(message)s")
from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.credentials import CredentialStore
store = CredentialStore()
print(store.is_available())
try:
    store.check_available()
except CredentialsError as exc:
    print(exc.code)
"""


@pytest.mark.parametrize(
    ("bus", "configured_by"),
    [
        ("unix:path=/nonexistent/govmail-test-bus", "env"),
        (None, "env"),
        ("unix:path=/nonexistent/govmail-test-bus", "keyringrc"),
    ],
    ids=["dead-bus-env", "no-bus-env", "dead-bus-keyringrc"],
)
def test_is_available_is_false_without_a_dbus_session(tmp_path, bus, configured_by):
    """The Secret Service keyring chosen by the admin (PYTHON_KEYRING_BACKEND or keyringrc.cfg) on a
    desk without a D-Bus session: keyring raises while loading it; the store says "not available"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTHON_KEYRING", "XDG_"))}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    if bus is not None:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus
    if configured_by == "env":
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    else:
        config = tmp_path / "config" / "python_keyring" / "keyringrc.cfg"
        config.parent.mkdir(parents=True)
        config.write_text("[backend]\ndefault-keyring=keyring.backends.SecretService.Keyring\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _NO_DBUS_PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "keyring"]
    assert "Traceback" not in proc.stderr
    # The log says why (the backend and the exception type), once per check.
    assert "govmail_desktop.credentials: No usable password store (keyring)" in proc.stderr
    assert "SecretService" in proc.stderr


def test_is_available_logs_why_a_probe_failed(caplog):
    store = _store(MemoryKeyring(fail_with=ConnectionError(f"dbus gone {PASSWORD}")))
    with caplog.at_level(logging.INFO, logger="govmail_desktop.credentials"):
        assert store.is_available() is False
    assert "No usable password store (keyring)" in caplog.text and "ConnectionError" in caplog.text
    assert PASSWORD not in caplog.text
