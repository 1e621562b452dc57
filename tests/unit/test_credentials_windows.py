"""Windows Credential Manager (issue 15): explicit persistence and a Windows wording of the hints.

keyring's ``WinVaultKeyring`` writes with ``persist``, by default
``CRED_PERSIST_ENTERPRISE`` (the credential roams with the profile; hardened policies
that forbid storing network credentials refuse it, and remote-desktop setups may not
carry it). GovMail sets it to ``CRED_PERSIST_LOCAL_MACHINE`` explicitly. The backend
is faked here by a class of the same name and module whose ``persist`` behaves like
keyring's descriptor (a constant, or a name such as "local machine").
"""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.credentials import CredentialStore

CRED_PERSIST = {"session": 1, "local machine": 2, "enterprise": 3}  # wincred.h CRED_PERSIST_*
THAI_PASSWORD = "รหัสผ่านลับ-๒๕๖๙"


class WinVaultKeyring(KeyringBackend):
    """keyring.backends.Windows.WinVaultKeyring as far as GovMail sees it."""

    priority = 5

    def __init__(self, fail_with: BaseException | None = None) -> None:
        super().__init__()
        self._persist = CRED_PERSIST["enterprise"]  # keyring's default
        self.items: dict[tuple[str, str], str] = {}
        self.writes: list[tuple[str, str, int]] = []
        self.fail_with = fail_with

    @property
    def persist(self) -> int:
        return self._persist

    @persist.setter
    def persist(self, value: int | str) -> None:
        self._persist = CRED_PERSIST[value] if isinstance(value, str) else value

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        if self.fail_with is not None:
            raise self.fail_with
        self.writes.append((service, username, self._persist))
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


WinVaultKeyring.__module__ = "keyring.backends.Windows"


def test_credentials_are_written_for_the_local_machine():
    backend = WinVaultKeyring()
    store = CredentialStore(backend, platform="win32")
    store.set_password("acc1", THAI_PASSWORD)
    store.set_password("acc2", "second")
    assert backend.writes == [
        ("GovMail Desktop", "acc1", CRED_PERSIST["local machine"]),
        ("GovMail Desktop", "acc2", CRED_PERSIST["local machine"]),
    ]
    assert store.get_password("acc1") == THAI_PASSWORD


def test_other_backends_get_no_persistence_attribute():
    class OtherKeyring(WinVaultKeyring):
        pass

    OtherKeyring.__name__ = OtherKeyring.__qualname__ = "SecretServiceKeyring"
    OtherKeyring.__module__ = "keyring.backends.SecretService"
    backend = OtherKeyring()
    CredentialStore(backend).set_password("acc1", "x")
    assert backend.writes == [("GovMail Desktop", "acc1", CRED_PERSIST["enterprise"])]  # untouched


def hint_of(store: CredentialStore) -> CredentialsError:
    with pytest.raises(CredentialsError) as info:
        store.set_password("acc1", "x")
    return info.value


@pytest.mark.parametrize(
    "store",
    [
        lambda: CredentialStore(fail.Keyring(), platform="win32"),
        lambda: CredentialStore(WinVaultKeyring(fail_with=OSError("CredWrite failed")), platform="win32"),
    ],
    ids=["no-keyring", "write-failed"],
)
def test_the_no_keyring_hint_names_credential_manager_on_windows(store):
    err = hint_of(store())
    assert "Windows Credential Manager" in err.user_text("en")
    assert "GNOME" not in err.user_text("en") and "KWallet" not in err.user_text("en")
    assert "Windows Credential Manager" in err.user_text("th")  # the product name stays, in Thai text
    assert "GNOME" not in err.user_text("th")
    assert "each session" in err.user_text("en")


def test_the_no_keyring_hint_names_the_linux_stores_on_linux():
    err = hint_of(CredentialStore(fail.Keyring(), platform="linux"))
    assert "GNOME Keyring or KWallet" in err.user_text("en")
    assert "Windows" not in err.user_text("en")
