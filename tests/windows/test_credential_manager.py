"""A round trip through the real Windows Credential Manager (keyring's WinVaultKeyring).

Every test files its credentials under a service name of its own and deletes them after.
Checked on what Windows keeps: one credential per account (``{account}@{service}``, never
the bare service name), written for the local machine, a Thai password read back intact,
a replaced password leaving no old copy, and a password over the 2,560-byte blob limit
refused with GovMail's own message before Windows is asked.
"""

from __future__ import annotations

import sys
import uuid

import pytest

from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.credentials import CRED_MAX_CREDENTIAL_BLOB_SIZE, CredentialStore, windows_target

pytestmark = pytest.mark.windows

THAI_PASSWORD = "รหัสผ่าน-ลับมาก-๒๕๖๙"
CRED_PERSIST_LOCAL_MACHINE = 2  # wincred.h


@pytest.fixture
def vault():
    if sys.platform != "win32":
        pytest.skip("Windows Credential Manager")
    from keyring.backends.Windows import WinVaultKeyring

    service = f"GovMail Desktop test {uuid.uuid4()}"
    backend = WinVaultKeyring()
    store = CredentialStore(backend, service_name=service)
    try:
        yield store, backend, service
    finally:
        for target in (service, *(windows_target(service, a) for a in ("acc1", "acc2", "acc3"))):
            backend._delete_password(target)  # no error when it is not there


def test_two_accounts_and_a_thai_password(vault):
    store, backend, service = vault
    store.check_available()
    store.set_password("acc1", THAI_PASSWORD)
    store.set_password("acc2", "second password")
    assert store.get_password("acc1") == THAI_PASSWORD
    assert store.get_password("acc2") == "second password"
    assert backend._read_credential(service) is None  # nothing under the bare service name
    for account in ("acc1", "acc2"):
        credential = backend._read_credential(windows_target(service, account))
        assert credential["UserName"] == account
        assert credential["Persist"] == CRED_PERSIST_LOCAL_MACHINE
    # keyring's own lookup (what `keyring get` shows) finds the same passwords
    assert backend.get_password(service, "acc1") == THAI_PASSWORD


def test_replacing_a_password_keeps_one_credential(vault):
    store, backend, service = vault
    store.set_password("acc1", "old password")
    store.set_password("acc1", THAI_PASSWORD)
    assert store.get_password("acc1") == THAI_PASSWORD
    assert backend._read_credential(service) is None
    assert backend._read_credential(windows_target(service, "acc1")).value == THAI_PASSWORD


def test_delete_removes_the_accounts_credential_only(vault):
    store, backend, service = vault
    store.set_password("acc1", "one")
    store.set_password("acc2", "two")
    store.delete_password("acc1")
    store.delete_password("acc1")  # already gone: not an error
    assert store.get_password("acc1") is None
    assert store.get_password("acc2") == "two"


def test_a_password_at_the_blob_limit_is_kept(vault):
    store, _, _ = vault
    password = "ก" * (CRED_MAX_CREDENTIAL_BLOB_SIZE // 2)  # 1,280 UTF-16 units = 2,560 bytes
    store.set_password("acc3", password)
    assert store.get_password("acc3") == password


def test_windows_itself_refuses_a_blob_over_the_limit(vault):
    """The limit GovMail checks is Windows' own (CredWrite fails one unit above it)."""
    from keyring.backends import Windows as keyring_windows

    _, backend, service = vault
    with pytest.raises(keyring_windows.pywintypes.error):
        backend._set_password(windows_target(service, "acc3"), "acc3", "ก" * (CRED_MAX_CREDENTIAL_BLOB_SIZE // 2 + 1))


def test_a_password_over_the_blob_limit_gets_a_clear_message(vault):
    store, backend, service = vault
    with pytest.raises(CredentialsError) as info:
        store.set_password("acc3", "ก" * 2000)
    err = info.value
    assert err.code == "keyring-too-long"
    assert "Windows Credential Manager" in err.user_text("en") and "4,000" in err.user_text("en")
    assert "รหัสผ่าน" in err.user_text("th") and "4,000" in err.user_text("th")
    assert backend._read_credential(windows_target(service, "acc3")) is None  # nothing written
