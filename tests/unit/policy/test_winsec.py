r"""Windows: the machine folder comes from the system, and only administrators may change the policy.

The ctypes layer cannot run here (Linux); the decisions are tested with an
injected platform layer (tests/unit/policy/winfakes.py).
"""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import PureWindowsPath

import pytest

from govmail_desktop.policy import winsec
from govmail_desktop.policy.sources import windows_policy_path
from govmail_desktop.policy.winsec import (
    ADMINISTRATORS,
    CREATOR_OWNER,
    OWNER_RIGHTS,
    SYSTEM,
    TRUSTED_INSTALLER,
    Ace,
    ExpansionError,
    FileSecurity,
    expand_system_folders,
    resolve_known_folder,
    security_problems,
)
from tests.unit.policy.winfakes import (
    A_USER,
    AUTHENTICATED_USERS,
    EVERYONE,
    FULL_CONTROL,
    READ_EXECUTE,
    SECURE,
    USERS,
    FakeWindows,
)

FILE_WRITE_DATA = 0x0002  # FILE_ADD_FILE on a folder
FILE_APPEND_DATA = 0x0004  # FILE_ADD_SUBDIRECTORY on a folder
FILE_WRITE_EA = 0x0010
FILE_DELETE_CHILD = 0x0040
FILE_WRITE_ATTRIBUTES = 0x0100
DELETE = 0x00010000
WRITE_DAC = 0x00040000
WRITE_OWNER = 0x00080000
GENERIC_ALL = 0x10000000
GENERIC_WRITE = 0x40000000

ADMIN_ACES = (Ace(SYSTEM, FULL_CONTROL), Ace(ADMINISTRATORS, FULL_CONTROL))


def sec(*aces: Ace, owner: str = ADMINISTRATORS, link: bool = False) -> FileSecurity:
    return FileSecurity(owner_sid=owner, dacl=(*ADMIN_ACES, *aces), is_link=link)


def texts(problems) -> str:
    return " | ".join(p.text("en") for p in problems)


# -- the module itself ----------------------------------------------------------

def test_winsec_imports_on_linux_and_its_system_layer_fails_with_oserror():
    if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux
        pytest.skip("on Windows the real layer answers")
    # a fresh interpreter: importing the module loads no Windows-only ctypes bindings
    code = ("import sys, govmail_desktop.policy.winsec as w; "
            "print('ctypes.wintypes' in sys.modules, type(w.SystemWindows()).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "SystemWindows"]
    layer = winsec.SystemWindows()
    for call in (lambda: layer.known_folder("ProgramData"),
                 lambda: layer.file_security(r"C:\ProgramData\GovMail\policy.json")):
        with pytest.raises(OSError, match="exist only on Windows") as info:
            call()
        assert type(info.value) is OSError and info.value.errno == errno.ENOSYS
    # and the loader built on it falls back instead of failing
    assert resolve_known_folder(layer, "ProgramData") == r"C:\ProgramData"


# -- owner and DACL: what may change the policy ---------------------------------

@pytest.mark.parametrize(
    "security",
    [
        SECURE,
        sec(Ace(USERS, READ_EXECUTE)),
        sec(owner=SYSTEM),
        sec(owner=TRUSTED_INSTALLER),
        # an inherit-only ACE (e.g. "Users may add files" meant for subfolders) does not apply here
        sec(Ace(USERS, FILE_WRITE_DATA | FILE_APPEND_DATA, inherit_only=True)),
        # CREATOR OWNER / OWNER RIGHTS stand for the owner, which must be an administrator anyway
        sec(Ace(CREATOR_OWNER, GENERIC_ALL)),
        sec(Ace(OWNER_RIGHTS, FULL_CONTROL)),
        # attributes and extended attributes do not change what the file says
        sec(Ace(USERS, FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA)),
        # an empty DACL: no one but the (administrator) owner
        FileSecurity(owner_sid=ADMINISTRATORS, dacl=()),
    ],
)
def test_administrator_only_security_is_trusted(security):
    assert security_problems(security, r"C:\ProgramData\GovMail") == []


@pytest.mark.parametrize(
    ("security", "needles"),
    [
        (sec(owner=A_USER), ["owned by", A_USER, "Administrators or SYSTEM"]),
        (sec(owner=USERS), ["owned by", "Users"]),
        (sec(Ace(EVERYONE, FILE_WRITE_DATA)), ["Everyone", "WD"]),
        (sec(Ace(USERS, FILE_WRITE_DATA)), ["Users", "WD"]),  # FILE_ADD_FILE on the folder
        (sec(Ace(USERS, FILE_APPEND_DATA)), ["Users", "AD"]),  # FILE_ADD_SUBDIRECTORY
        (sec(Ace(USERS, FILE_DELETE_CHILD)), ["DC"]),
        (sec(Ace(AUTHENTICATED_USERS, GENERIC_ALL)), ["Authenticated Users", "GA"]),
        (sec(Ace(A_USER, GENERIC_WRITE)), [A_USER, "GW"]),
        (sec(Ace(USERS, DELETE)), ["Users", "rights D)"]),
        (sec(Ace(USERS, WRITE_DAC)), ["WDAC"]),
        (sec(Ace(USERS, WRITE_OWNER)), ["WO"]),
        (sec(Ace(USERS, FULL_CONTROL)), ["Users"]),
        # a deny ACE is not credited: an allow ACE for a wider group still refuses
        (sec(Ace(USERS, FILE_WRITE_DATA, allow=False), Ace(EVERYONE, FILE_WRITE_DATA)), ["Everyone"]),
        # a trustee the layer could not read (e.g. an object ACE) counts as "anyone"
        (sec(Ace("", FILE_WRITE_DATA)), ["unknown"]),
        (FileSecurity(owner_sid=ADMINISTRATORS, dacl=None), ["no access list", "everyone"]),
        (sec(link=True), ["link"]),
    ],
)
def test_security_that_lets_others_change_the_policy_is_refused(security, needles):
    problems = security_problems(security, r"C:\ProgramData\GovMail\policy.json")
    text = texts(problems)
    assert problems, "should be refused"
    assert r"C:\ProgramData\GovMail\policy.json" in text
    for needle in needles:
        assert needle in text, text
    assert all(p.text("th") != p.text("en") for p in problems)  # translated


# -- the machine folder: asked of the system, never of the environment ----------

def test_policy_path_comes_from_the_known_folder_not_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ProgramData", str(tmp_path / "mine"))
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path / "mine"))
    monkeypatch.setenv("ALLUSERSPROFILE", str(tmp_path / "mine"))
    monkeypatch.setenv("WIN_PD_OVERRIDE_COMMON_APPDATA", str(tmp_path / "mine"))
    path = windows_policy_path(FakeWindows(folders={"ProgramData": r"D:\ProgramData"}))
    assert PureWindowsPath(str(path)) == PureWindowsPath(r"D:\ProgramData\GovMail\policy.json")


@pytest.mark.parametrize(
    "answer",
    [
        OSError(-2147024894, "SHGetKnownFolderPath failed"),
        RuntimeError("ctypes fault"),
        "",
        "ProgramData",  # not absolute
        r"\\fileserver\share\ProgramData",  # not on this computer
        r"\\?\UNC\fileserver\share",
        "//fileserver/share",
        r"C:ProgramData",  # drive-relative
    ],
)
def test_known_folder_failure_falls_back_to_the_fixed_folder(monkeypatch, tmp_path, answer):
    monkeypatch.setenv("ProgramData", str(tmp_path / "mine"))
    path = windows_policy_path(FakeWindows(folders={"ProgramData": answer}))
    assert PureWindowsPath(str(path)) == PureWindowsPath(r"C:\ProgramData\GovMail\policy.json")


def test_every_known_folder_has_a_fixed_fallback():
    layer = FakeWindows()
    assert resolve_known_folder(layer, "Windows") == r"C:\Windows"
    assert resolve_known_folder(layer, "ProgramFiles") == r"C:\Program Files"


# -- REG_EXPAND_SZ: only system folders, never the user's environment -----------

FOLDERS = FakeWindows(folders={
    "ProgramData": r"D:\PD", "Windows": r"E:\WINNT", "ProgramFiles": r"D:\Apps",
    "ProgramFilesX86": r"D:\Apps86", "ProgramFilesCommon": r"D:\Apps\Common",
})


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        (r"%ProgramData%\GovMail\ca.pem", r"D:\PD\GovMail\ca.pem"),
        (r"%PROGRAMDATA%\GovMail\ca.pem", r"D:\PD\GovMail\ca.pem"),
        (r"%ALLUSERSPROFILE%\ca.pem", r"D:\PD\ca.pem"),
        (r"%SystemRoot%\ca.pem", r"E:\WINNT\ca.pem"),
        (r"%windir%\ca.pem", r"E:\WINNT\ca.pem"),
        (r"%SystemDrive%\certs\ca.pem", r"E:\certs\ca.pem"),
        (r"%ProgramFiles%\GovMail\ca.pem", r"D:\Apps\GovMail\ca.pem"),
        (r"%ProgramFiles(x86)%\ca.pem", r"D:\Apps86\ca.pem"),
        (r"%CommonProgramFiles%\ca.pem", r"D:\Apps\Common\ca.pem"),
        (r"C:\certs\ca.pem", r"C:\certs\ca.pem"),
        (r"C:\certs\$HOME\ca.pem", r"C:\certs\$HOME\ca.pem"),  # "$name" is not a variable on Windows
    ],
)
def test_system_folders_are_expanded_from_the_system(monkeypatch, tmp_path, text, expanded):
    for name in ("ProgramData", "ALLUSERSPROFILE", "SystemRoot", "windir", "SystemDrive",
                 "ProgramFiles", "HOME"):
        monkeypatch.setenv(name, str(tmp_path / "mine"))
    assert expand_system_folders(text, FOLDERS) == expanded


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (r"%USERPROFILE%\ca.pem", "%USERPROFILE%"),
        (r"%APPDATA%\ca.pem", "%APPDATA%"),
        (r"%TEMP%\ca.pem", "%TEMP%"),
        (r"%GOVMAIL_CA%", "%GOVMAIL_CA%"),
        (r"%ProgramData\ca.pem", "%"),  # unbalanced
        (r"C:\100%\ca.pem", "%"),
    ],
)
def test_other_variables_are_refused(monkeypatch, tmp_path, text, needle):
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    with pytest.raises(ExpansionError) as info:
        expand_system_folders(text, FOLDERS)
    message = info.value.message
    assert needle in message.text("en")
    assert "%ProgramData%" in message.text("en")  # says what may be used
    assert message.text("th") != message.text("en")
