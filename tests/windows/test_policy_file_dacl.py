r"""The machine policy file's owner and DACL, read from real files (policy/winsec.py).

A file owned by the current user, or that Users may change, is refused (and not applied);
one owned by Administrators that Users may only read is accepted. Owners and DACLs are set
with icacls; making Administrators the owner needs an elevated process (the GitHub runner
is), otherwise the tests are skipped saying so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govmail_desktop.policy import winsec
from govmail_desktop.policy.sources import load_machine_policy, windows_file_problems
from tests.windows import winapi
from tests.windows.winapi import ADMINISTRATORS, SYSTEM, USERS

pytestmark = pytest.mark.windows

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK_POLICY = ROOT / "tests" / "data" / "policy" / "test-loopback.json"


class SpoofedProgramData:
    """The real owner/DACL reader, with ProgramData answered by the test (a temporary folder)."""

    def __init__(self, folder):
        self.folder = str(folder)
        self.real = winsec.SystemWindows()

    def known_folder(self, name):
        return self.folder if name == "ProgramData" else self.real.known_folder(name)

    def file_security(self, path):
        return self.real.file_security(path)


@pytest.fixture
def policy_file(tmp_path):
    winapi.require_elevated("setting a file's owner to Administrators")
    folder = tmp_path / "ProgramData" / "GovMail"
    folder.mkdir(parents=True)
    path = folder / "policy.json"
    shutil.copyfile(LOOPBACK_POLICY, path)
    try:
        yield path
    finally:  # give the tree back to the current user so the temporary folder can go
        for target in (path, folder):
            winapi.icacls(target, "/reset")


def make_trusted(target, *, folder=False):
    inherit = "(OI)(CI)" if folder else ""
    winapi.icacls(target, "/setowner", f"*{ADMINISTRATORS}")
    winapi.icacls(target, "/inheritance:r", "/grant:r", f"*{ADMINISTRATORS}:{inherit}(F)",
                  f"*{SYSTEM}:{inherit}(F)", f"*{USERS}:{inherit}(RX)")


def texts(messages):
    return [msg.text("en") for msg in messages]


def test_an_administrators_file_users_may_only_read_is_accepted(policy_file):
    make_trusted(policy_file.parent, folder=True)
    make_trusted(policy_file)
    security = winsec.SystemWindows().file_security(str(policy_file))
    assert security.owner_sid == ADMINISTRATORS
    assert not security.is_link
    assert winsec.security_problems(security, str(policy_file)) == []
    assert windows_file_problems(policy_file, winsec.SystemWindows()) == []
    eff = load_machine_policy(platform="win32", windows=SpoofedProgramData(policy_file.parents[1]),
                              registry=_no_registry())
    assert eff.error is None, eff.error and eff.error.detail
    assert str(policy_file) in eff.origins()  # the file was applied


def test_a_file_owned_by_the_user_and_writable_by_users_is_refused(policy_file):
    user = winapi.current_user_sid()
    make_trusted(policy_file.parent, folder=True)
    winapi.icacls(policy_file, "/setowner", f"*{user}")
    winapi.icacls(policy_file, "/inheritance:r", "/grant:r", f"*{ADMINISTRATORS}:(F)", f"*{SYSTEM}:(F)",
                  f"*{USERS}:(M)")
    security = winsec.SystemWindows().file_security(str(policy_file))
    assert security.owner_sid == user
    found = texts(winsec.security_problems(security, str(policy_file)))
    assert any(user in text for text in found), found  # the owner
    assert any("Users (S-1-5-32-545)" in text and "WD" in text for text in found), found  # the DACL
    eff = load_machine_policy(platform="win32", windows=SpoofedProgramData(policy_file.parents[1]),
                              registry=_no_registry())
    assert eff.error is not None  # not applied, and the app says why
    assert "Users (S-1-5-32-545)" in eff.error.user_text("en")
    assert eff.error.user_text("th") != eff.error.user_text("en")


def test_an_administrators_file_in_a_folder_users_may_write_is_refused(policy_file):
    winapi.icacls(policy_file.parent, "/setowner", f"*{ADMINISTRATORS}")
    winapi.icacls(policy_file.parent, "/inheritance:r", "/grant:r", f"*{ADMINISTRATORS}:(OI)(CI)(F)",
                  f"*{SYSTEM}:(OI)(CI)(F)", f"*{USERS}:(OI)(CI)(M)")
    make_trusted(policy_file)  # the file itself as it should be (its own DACL, not inherited)
    assert winsec.security_problems(winsec.SystemWindows().file_security(str(policy_file)), str(policy_file)) == []
    problems = [p.message.text("en") for p in windows_file_problems(policy_file, winsec.SystemWindows())]
    assert problems, "a folder Users may write lets them replace the policy file"
    assert all(str(policy_file.parent) in text and str(policy_file) not in text for text in problems), problems
    assert any("Users (S-1-5-32-545)" in text for text in problems), problems


def test_a_missing_file_is_no_file_not_a_problem(tmp_path):
    assert windows_file_problems(tmp_path / "absent" / "policy.json", winsec.SystemWindows()) is None


def _no_registry():
    from govmail_desktop.policy.registry import InMemoryRegistry

    return InMemoryRegistry(None)
