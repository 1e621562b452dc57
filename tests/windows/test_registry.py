r"""The registry reader against a real key: every value type, wrong types, access denied.

A throw-away key ``HKEY_CURRENT_USER\Software\GovMailTest-<uuid>`` stands in for
``HKLM\SOFTWARE\Policies\GovMail`` (WindowsRegistryReader takes the hive and key path), so
the values are written and read by Windows itself with the code that reads the machine
policy. The key is deleted after each test, whatever DACL the test left on it.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass

import pytest

from govmail_desktop.policy import winsec
from govmail_desktop.policy.registry import (
    REG_BINARY,
    REG_DWORD,
    REG_EXPAND_SZ,
    REG_MULTI_SZ,
    REG_QWORD,
    REG_SZ,
    WindowsRegistryReader,
    read_registry_policy,
)
from govmail_desktop.policy.sources import load_machine_policy
from tests.windows import winapi

pytestmark = pytest.mark.windows

LOCKED_BOOL = "mail.threading"  # a lockable on/off setting (REG_DWORD 0/1)


@dataclass
class PolicyKey:
    hive: int
    path: str

    def set(self, subkey, name, kind, data):
        import winreg

        where = self.path + ("\\" + subkey if subkey else "")
        with winreg.CreateKeyEx(self.hive, where, 0, winreg.KEY_ALL_ACCESS) as key:
            winreg.SetValueEx(key, name, 0, kind, data)

    def reader(self):
        return WindowsRegistryReader(hive=self.hive, key_path=self.path)


@pytest.fixture
def policy_key():
    if sys.platform != "win32":
        pytest.skip("Windows registry")
    import winreg

    path = rf"Software\GovMailTest-{uuid.uuid4()}"
    winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, path, 0, winreg.KEY_ALL_ACCESS).Close()
    try:
        yield PolicyKey(winreg.HKEY_CURRENT_USER, path)
    finally:
        winapi.delete_key_tree(winreg.HKEY_CURRENT_USER, path)


def system_program_data():
    return winsec.program_data(winsec.SystemWindows())


def test_every_value_type_is_read_as_written(policy_key, monkeypatch):
    policy_key.set("", "schema_version", REG_DWORD, 1)
    policy_key.set("", "description", REG_SZ, "นโยบายทดสอบของหน่วยงาน")
    policy_key.set("servers", "allow", REG_MULTI_SZ, ["mail.test.go.th", "smtp.test.go.th"])
    policy_key.set("tls", "min_version", REG_SZ, "TLSv1.3")
    policy_key.set("tls", "ca_file", REG_EXPAND_SZ, r"%ProgramData%\GovMail\agency-ca.pem")
    policy_key.set("attachments", "max_size_mb", REG_DWORD, 25)
    policy_key.set("search", "max_download_days", REG_QWORD, 365)
    policy_key.set("locked_settings", LOCKED_BOOL, REG_DWORD, 1)
    # the user's own environment must not move %ProgramData% (asked of the system)
    monkeypatch.setenv("ProgramData", r"C:\Users\Public\spoofed")
    monkeypatch.setenv("ALLUSERSPROFILE", r"C:\Users\Public\spoofed")

    reader = policy_key.reader()
    kinds = {name: kind for name, _, kind in reader.values("search") + reader.values("tls")}
    assert kinds == {"max_download_days": REG_QWORD, "min_version": REG_SZ, "ca_file": REG_EXPAND_SZ}
    data, problems, labels = read_registry_policy(reader)

    assert problems == []
    assert data["schema_version"] == 1
    assert data["description"] == "นโยบายทดสอบของหน่วยงาน"
    assert data["servers"] == {"allow": ["mail.test.go.th", "smtp.test.go.th"]}
    assert data["tls"]["min_version"] == "TLSv1.3"
    assert data["tls"]["ca_file"] == system_program_data() + r"\GovMail\agency-ca.pem"
    assert "spoofed" not in data["tls"]["ca_file"]
    assert data["attachments"] == {"max_size_mb": 25}
    assert data["search"] == {"max_download_days": 365}
    assert data["locked_settings"] == {LOCKED_BOOL: True}
    assert labels["tls.ca_file"].endswith(r"\tls\ca_file")


@pytest.mark.parametrize(
    ("subkey", "name", "kind", "data", "needle"),
    [
        ("", "description", REG_BINARY, b"\x00\x01\x02", "REG_BINARY; expected REG_SZ"),
        ("attachments", "max_size_mb", REG_SZ, "25", "REG_SZ; expected REG_DWORD"),
        ("servers", "allow", REG_SZ, "mail.test.go.th", "REG_SZ; expected REG_MULTI_SZ"),
        ("tls", "min_version", REG_DWORD, 3, "REG_DWORD; expected REG_SZ"),
        ("search", "max_download_days", REG_BINARY, b"\x6d\x01\x00\x00", "REG_BINARY; expected REG_DWORD"),
        ("tls", "ca_file", REG_EXPAND_SZ, r"%USERPROFILE%\ca.pem", "%USERPROFILE%"),
        ("locked_settings", LOCKED_BOOL, REG_DWORD, 2, "REG_DWORD 0/1"),
        ("locked_settings", LOCKED_BOOL, REG_SZ, "1", "REG_SZ; expected REG_DWORD 0/1"),
    ],
    ids=["binary-for-text", "text-for-number", "text-for-list", "number-for-text", "binary-for-number",
         "user-variable", "locked-not-0-1", "locked-text"],
)
def test_a_value_of_the_wrong_type_is_a_problem(policy_key, subkey, name, kind, data, needle):
    policy_key.set("servers", "deny", REG_MULTI_SZ, [".blocked.go.th"])  # a good value beside it
    policy_key.set(subkey, name, kind, data)
    data_read, problems, _ = read_registry_policy(policy_key.reader())
    assert len(problems) == 1, [p.message.text("en") for p in problems]
    [problem] = problems
    assert needle in problem.message.text("en")
    assert problem.message.text("th") != problem.message.text("en")  # said in Thai too
    assert name in problem.key
    assert data_read["servers"]["deny"] == [".blocked.go.th"]
    section = data_read.get(subkey, data_read) if subkey else data_read
    assert name not in section


def test_wrong_types_fail_the_whole_policy_closed(policy_key):
    policy_key.set("servers", "allow", REG_SZ, "mail.test.go.th")
    eff = load_machine_policy(platform="win32", registry=policy_key.reader(),
                              windows_file=winapi_missing_file())
    assert eff.error is not None
    assert "REG_SZ" in eff.error.user_text("en")


def test_an_unreadable_subkey_is_reported_not_skipped(policy_key):
    import winreg

    policy_key.set("servers", "allow", REG_MULTI_SZ, ["mail.test.go.th"])
    policy_key.set("tls", "min_version", REG_SZ, "TLSv1.3")
    denied = policy_key.path + r"\tls"
    winapi.set_subkey_sddl(policy_key.hive, denied, winapi.SDDL_DENY_READING)
    with pytest.raises(PermissionError):  # the current user really cannot read it now
        winreg.OpenKey(policy_key.hive, denied, 0, winreg.KEY_READ).Close()

    data, problems, _ = read_registry_policy(policy_key.reader())

    assert data["servers"] == {"allow": ["mail.test.go.th"]}
    assert "tls" not in data or data["tls"] == {}
    [problem] = problems
    assert problem.source.endswith(r"\tls")
    assert "cannot be read" in problem.message.text("en")
    assert problem.message.text("th") != problem.message.text("en")
    eff = load_machine_policy(platform="win32", registry=policy_key.reader(), windows_file=winapi_missing_file())
    assert eff.error is not None  # fails closed: a policy key that cannot be read is not ignored


def test_an_unreadable_policy_key_itself_is_reported(policy_key):
    policy_key.set("servers", "allow", REG_MULTI_SZ, ["mail.test.go.th"])
    winapi.set_subkey_sddl(policy_key.hive, policy_key.path, winapi.SDDL_DENY_READING)
    data, problems, _ = read_registry_policy(policy_key.reader())
    assert data is None
    [problem] = problems
    assert "cannot be read" in problem.message.text("en")


def test_no_key_means_no_registry_policy(policy_key):
    reader = WindowsRegistryReader(hive=policy_key.hive, key_path=policy_key.path + r"\absent")
    assert read_registry_policy(reader) == (None, [], {})


def winapi_missing_file():
    """A machine policy file that does not exist (the registry alone is tested)."""
    from pathlib import Path

    return Path(system_program_data()) / f"GovMailTest-{uuid.uuid4()}" / "policy.json"
