"""Windows Credential Manager: one target per account, replaced in one write; the blob limit.

keyring's public ``WinVaultKeyring.set_password`` files the first account under the bare
service name; a second account (or a new password for the same one) first re-saves the
previous credential under ``{username}@{service}``: a replaced password stays behind in a
second credential and accounts move between targets. GovMail writes every account to its
own target in one CredWrite. The backend here is keyring's real class with only the three
Credential Manager calls (CredRead/CredWrite/CredDelete of one target) replaced by a table,
so keyring's own lookup and delete logic runs as on Windows.
"""

from __future__ import annotations

import pytest
from keyring.backends import Windows as keyring_windows

from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.credentials import (
    CRED_MAX_CREDENTIAL_BLOB_SIZE,
    CredentialStore,
    credential_blob_size,
    windows_target,
)

SERVICE = "GovMail Desktop"
CRED_PERSIST_LOCAL_MACHINE = 2
THAI_PASSWORD = "รหัสผ่านลับ-๒๕๖๙"


class FakeVault(keyring_windows.WinVaultKeyring):
    """keyring's WinVaultKeyring over an in-memory credential table, recording every call."""

    def __init__(self) -> None:
        super().__init__()
        self._persist_value = 3  # keyring's default, CRED_PERSIST_ENTERPRISE
        self.table: dict[str, dict] = {}
        self.ops: list[tuple[str, str]] = []

    @property  # keyring's descriptor needs win32cred for names: numbers only here
    def persist(self):
        return self._persist_value

    @persist.setter
    def persist(self, value):
        self._persist_value = {"local machine": 2, "enterprise": 3, "session": 1}.get(value, value)

    def _read_credential(self, target):
        self.ops.append(("read", target))
        found = self.table.get(target)
        return None if found is None else keyring_windows.DecodingCredential(found)

    def _set_password(self, target, username, password):
        self.ops.append(("write", target))
        self.table[target] = {
            "TargetName": target, "UserName": username,
            "CredentialBlob": password.encode("utf-16-le"), "Persist": self.persist,
        }

    def _delete_password(self, target):
        self.ops.append(("delete", target))
        self.table.pop(target, None)


FakeVault.__name__ = FakeVault.__qualname__ = "WinVaultKeyring"


def make_store(vault: FakeVault) -> CredentialStore:
    return CredentialStore(vault, trusted_backends=(FakeVault,), platform="win32")


def users(vault: FakeVault) -> dict[str, str]:
    return {target: cred["UserName"] for target, cred in vault.table.items()}


def test_two_accounts_get_one_target_each_written_for_the_local_machine():
    vault = FakeVault()
    store = make_store(vault)
    store.set_password("acc1", THAI_PASSWORD)
    store.set_password("acc2", "second")
    assert users(vault) == {"acc1@GovMail Desktop": "acc1", "acc2@GovMail Desktop": "acc2"}
    assert {cred["Persist"] for cred in vault.table.values()} == {CRED_PERSIST_LOCAL_MACHINE}
    assert store.get_password("acc1") == THAI_PASSWORD
    assert store.get_password("acc2") == "second"
    # keyring's own lookup finds the same credential (what `keyring get` would show)
    assert vault.get_password(SERVICE, "acc1") == THAI_PASSWORD


def test_replacing_a_password_is_one_write_of_the_same_target_and_leaves_no_old_copy():
    vault = FakeVault()
    store = make_store(vault)
    store.set_password("acc1", "old-password")
    vault.ops.clear()
    store.set_password("acc1", "new-password")
    writes = [op for op in vault.ops if op[0] != "read"]
    assert writes == [("write", "acc1@GovMail Desktop")]  # no delete: never without a password
    assert list(vault.table) == ["acc1@GovMail Desktop"]
    assert b"old-password".decode() not in [c["CredentialBlob"].decode("utf-16-le") for c in vault.table.values()]
    assert store.get_password("acc1") == "new-password"


def test_a_copy_under_the_bare_service_name_is_removed_only_after_the_new_one_is_written():
    vault = FakeVault()
    vault._set_password(SERVICE, "acc1", "from-an-older-version")  # keyring's public API put it there
    vault._set_password(SERVICE + "-other", "x", "unrelated")
    vault.ops.clear()
    store = make_store(vault)
    assert store.get_password("acc1") == "from-an-older-version"  # still found before re-saving
    store.set_password("acc1", "new")
    changes = [op for op in vault.ops if op[0] != "read"]
    assert changes == [("write", "acc1@GovMail Desktop"), ("delete", SERVICE)]
    assert users(vault) == {"acc1@GovMail Desktop": "acc1", "GovMail Desktop-other": "x"}
    assert store.get_password("acc1") == "new"


def test_another_accounts_copy_under_the_bare_service_name_is_left_alone():
    vault = FakeVault()
    vault._set_password(SERVICE, "acc2", "acc2-password")
    store = make_store(vault)
    store.set_password("acc1", "acc1-password")
    assert users(vault) == {SERVICE: "acc2", "acc1@GovMail Desktop": "acc1"}
    assert store.get_password("acc2") == "acc2-password"
    assert store.get_password("acc1") == "acc1-password"


def test_delete_removes_only_that_accounts_credential():
    vault = FakeVault()
    store = make_store(vault)
    store.set_password("acc1", "one")
    store.set_password("acc2", "two")
    store.delete_password("acc1")
    store.delete_password("acc1")  # not there any more: not an error
    assert users(vault) == {"acc2@GovMail Desktop": "acc2"}
    assert store.get_password("acc1") is None


@pytest.mark.parametrize(
    ("password", "size"),
    [
        ("ก" * 1280, 2560),  # Thai: one UTF-16 unit each, exactly at the limit
        ("a" * 1280, 2560),
        ("😀" * 640, 2560),  # beyond the BMP: a surrogate pair, 4 bytes each
    ],
    ids=["thai-at-limit", "ascii-at-limit", "emoji-at-limit"],
)
def test_a_password_at_the_blob_limit_is_stored(password, size):
    assert credential_blob_size(password) == size == CRED_MAX_CREDENTIAL_BLOB_SIZE
    vault = FakeVault()
    store = make_store(vault)
    store.set_password("acc1", password)
    assert store.get_password("acc1") == password


@pytest.mark.parametrize(
    ("password", "shown"),
    [("ก" * 1281, "2,562"), ("😀" * 641, "2,564"), ("x" * 5000, "10,000")],
    ids=["thai", "emoji", "ascii"],
)
def test_a_password_over_the_blob_limit_is_refused_with_a_clear_message(password, shown):
    vault = FakeVault()
    store = make_store(vault)
    with pytest.raises(CredentialsError) as info:
        store.set_password("acc1", password)
    err = info.value
    assert err.code == "keyring-too-long"
    assert "too long for Windows Credential Manager" in err.user_text("en")
    assert shown in err.user_text("en") and "2,560" in err.user_text("en")
    assert "Windows Credential Manager" in err.user_text("th") and shown in err.user_text("th")
    assert "ยาว" in err.user_text("th")
    assert password not in str(err) and password not in err.detail
    assert vault.table == {}  # nothing written, no half credential


def test_other_keyrings_have_no_blob_limit():
    class SecretServiceKeyring(FakeVault):
        pass

    SecretServiceKeyring.__module__ = "keyring.backends.SecretService"
    stored: dict = {}

    class Linux(SecretServiceKeyring):
        def set_password(self, service, username, password):
            stored[(service, username)] = password

    Linux.__name__ = "SecretServiceKeyring"
    store = CredentialStore(Linux(), trusted_backends=(Linux,), platform="linux")
    store.set_password("acc1", "x" * 5000)
    assert stored == {(SERVICE, "acc1"): "x" * 5000}


def test_the_target_is_keyrings_compound_name():
    assert windows_target(SERVICE, "acc1") == keyring_windows.WinVaultKeyring._compound_name("acc1", SERVICE)
