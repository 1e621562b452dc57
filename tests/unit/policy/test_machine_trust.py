r"""Only an administrator can choose the machine policy.

Windows: the folder is asked of the system (known-folder API), the file and its
folder must be owned by Administrators/SYSTEM and writable by no one else
(owner and DACL through an injected platform layer), registry values expand
only system folders, name only local paths, and a registry error fails closed.
Linux: the file and every folder above it must be root's and writable only by root.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy import api
from govmail_desktop.policy.registry import (
    REG_EXPAND_SZ,
    REG_MULTI_SZ,
    REG_SZ,
    InMemoryRegistry,
    WindowsRegistryReader,
    read_registry_policy,
)
from govmail_desktop.policy.sources import DEFAULT_SOURCE, load_machine_policy, load_policy_file
from govmail_desktop.policy.winsec import ADMINISTRATORS, SYSTEM, Ace, FileSecurity
from tests.unit.policy.winfakes import A_USER, FULL_CONTROL, READ_EXECUTE, USERS, FakeWindows

FILE_ADD_FILE = 0x0002

PERMISSIVE = {
    "schema_version": 1,
    "servers": {"allow": ["*.evil.example"], "deny": []},
    "addresses": {"allow_cidrs": ["198.51.100.0/24"]},
    "locked_settings": {"mail.remote_content": "allow"},
}


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def assert_fails_closed(eff, *needles: str) -> str:
    assert eff.error is not None
    assert eff.error.code == api.POLICY_INVALID
    text = eff.error.user_text("en")
    for needle in needles:
        assert needle in text, text
    with pytest.raises(PolicyRefused) as info:
        eff.server_policy().check_host("imap.mail.go.th")
    assert info.value.code == api.POLICY_INVALID
    assert eff.error.user_text("th") != text
    return text


def assert_not_applied(eff) -> None:
    """Nothing of an untrusted file reaches the policy (it could loosen locked settings too)."""
    assert "*.evil.example" not in eff.values["servers.allow"]
    assert eff.values["addresses.allow_cidrs"] == []
    assert "mail.remote_content" not in eff.locked_settings()


# -- Windows: the policy file ------------------------------------------------------

@pytest.fixture
def program_data(tmp_path):
    return tmp_path / "ProgramData"


def win_load(program_data: Path, layer: FakeWindows, tree=None):
    return load_machine_policy(platform="win32", windows=layer, registry=InMemoryRegistry(tree),
                               windows_file=program_data / "GovMail" / "policy.json")


def test_windows_policy_folder_is_not_taken_from_the_environment(monkeypatch, tmp_path):
    mine = write(tmp_path / "mine" / "GovMail" / "policy.json", PERMISSIVE)
    for name in ("ProgramData", "PROGRAMDATA", "ALLUSERSPROFILE", "WIN_PD_OVERRIDE_COMMON_APPDATA"):
        monkeypatch.setenv(name, str(mine.parent.parent))
    layer = FakeWindows(folders={"ProgramData": r"D:\ProgramData"})
    eff = load_machine_policy(platform="win32", windows=layer, registry=InMemoryRegistry(None))
    assert eff.error is None, eff.error and eff.error.detail
    assert set(eff.sources.values()) == {DEFAULT_SOURCE}
    assert_not_applied(eff)
    assert [a.replace("/", "\\") for a in layer.asked] == [r"D:\ProgramData\GovMail\policy.json"]


def test_windows_secure_policy_file_is_loaded(program_data):
    machine = write(program_data / "GovMail" / "policy.json",
                    {"schema_version": 1, "tls": {"min_version": "1.3"}})
    layer = FakeWindows()
    eff = win_load(program_data, layer)
    assert eff.error is None, eff.error and eff.error.detail
    assert eff.sources["tls.min_version"] == str(machine)
    assert layer.asked == [str(machine), str(machine.parent)]  # the file and its folder


def test_windows_user_owned_policy_file_fails_closed(program_data):
    path = write(program_data / "GovMail" / "policy.json", PERMISSIVE)
    layer = FakeWindows(security={str(path): FileSecurity(A_USER, ((Ace(A_USER, FULL_CONTROL)),))})
    eff = win_load(program_data, layer)
    assert_fails_closed(eff, str(path), "owned by", A_USER)
    assert_not_applied(eff)


def test_user_created_file_cannot_set_keys_group_policy_leaves_unset(program_data):
    """IT sets the policy only through Group Policy; a user drops GovMail\\policy.json beside it."""
    path = write(program_data / "GovMail" / "policy.json", PERMISSIVE)
    user_file = FileSecurity(A_USER, (Ace(SYSTEM, FULL_CONTROL), Ace(ADMINISTRATORS, FULL_CONTROL),
                                      Ace(A_USER, FULL_CONTROL)))
    eff = win_load(program_data, FakeWindows(security={str(path): user_file}),
                   {"servers": {"allow": (REG_MULTI_SZ, ["mail.agency.go.th"])}})
    assert_fails_closed(eff, str(path), "owned by")
    assert_not_applied(eff)
    assert eff.values["servers.allow"] == ["mail.agency.go.th"]  # Group Policy itself still applies


def test_windows_everyone_writable_policy_file_fails_closed(program_data):
    path = write(program_data / "GovMail" / "policy.json", PERMISSIVE)
    layer = FakeWindows(security={str(path): FileSecurity(
        ADMINISTRATORS, (Ace(ADMINISTRATORS, FULL_CONTROL), Ace("S-1-1-0", FULL_CONTROL)))})
    assert_fails_closed(win_load(program_data, layer), str(path), "Everyone")


def test_windows_folder_where_users_may_add_files_fails_closed(program_data):
    """The default C:\\ProgramData ACL lets Users create files: IT must remove that on GovMail\\."""
    path = write(program_data / "GovMail" / "policy.json", PERMISSIVE)
    folder = FileSecurity(ADMINISTRATORS, (Ace(SYSTEM, FULL_CONTROL), Ace(ADMINISTRATORS, FULL_CONTROL),
                                           Ace(USERS, READ_EXECUTE), Ace(USERS, FILE_ADD_FILE)))
    eff = win_load(program_data, FakeWindows(security={str(path.parent): folder}))
    assert_fails_closed(eff, str(path.parent), "Users", "WD")
    assert_not_applied(eff)


def test_windows_null_dacl_fails_closed(program_data):
    path = write(program_data / "GovMail" / "policy.json", PERMISSIVE)
    eff = win_load(program_data, FakeWindows(security={str(path): FileSecurity(ADMINISTRATORS, None)}))
    assert_fails_closed(eff, str(path), "no access list")
    assert_not_applied(eff)


@pytest.mark.parametrize("which", ["file", "folder"])
@pytest.mark.parametrize(
    ("error", "needle"),
    [(PermissionError(13, "Access is denied"), "Access is denied"),
     (ValueError("ctypes argument 3: wrong type"), "wrong type")],  # a fault of the layer itself
)
def test_windows_security_lookup_failure_fails_closed(program_data, which, error, needle):
    path = write(program_data / "GovMail" / "policy.json", PERMISSIVE)
    target = path if which == "file" else path.parent
    layer = FakeWindows(security={str(target): error})
    eff = win_load(program_data, layer)
    assert_fails_closed(eff, str(target), needle)
    assert_not_applied(eff)


def test_windows_missing_file_is_no_machine_policy_even_in_an_open_folder(program_data):
    (program_data / "GovMail").mkdir(parents=True)
    folder = FileSecurity(ADMINISTRATORS, (Ace(USERS, FULL_CONTROL),))
    eff = win_load(program_data, FakeWindows(security={str(program_data / "GovMail"): folder}))
    assert eff.error is None
    assert set(eff.sources.values()) == {DEFAULT_SOURCE}


def test_windows_known_folder_failure_uses_the_fixed_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ProgramData", str(tmp_path))
    write(tmp_path / "GovMail" / "policy.json", PERMISSIVE)
    layer = FakeWindows(folders={"ProgramData": OSError(5, "Access is denied")})
    eff = load_machine_policy(platform="win32", windows=layer, registry=InMemoryRegistry(None))
    assert eff.error is None  # C:\ProgramData\GovMail\policy.json does not exist here
    assert layer.asked and layer.asked[0].replace("/", "\\") == r"C:\ProgramData\GovMail\policy.json"
    assert_not_applied(eff)


def test_windows_without_the_platform_layer_fails_closed_not_open(tmp_path):
    """On a machine where the security API is missing (here: Linux), nothing is trusted."""
    path = write(tmp_path / "GovMail" / "policy.json", PERMISSIVE)
    eff = load_machine_policy(platform="win32", windows_file=path, registry=InMemoryRegistry(None))
    assert_fails_closed(eff, str(path))
    assert_not_applied(eff)


def test_windows_registry_without_winreg_fails_closed_not_raises(tmp_path):
    eff = load_machine_policy(platform="win32", windows=FakeWindows(folders={"ProgramData": str(tmp_path)}),
                              registry=WindowsRegistryReader())
    assert_fails_closed(eff, r"HKLM\SOFTWARE\Policies\GovMail")


# -- Windows: registry values ------------------------------------------------------

def test_reg_expand_sz_does_not_use_the_users_environment(monkeypatch, tmp_path):
    ca = write(tmp_path / "mine" / "ca.pem", "-----BEGIN CERTIFICATE-----\n")
    monkeypatch.setenv("USERCA", str(ca.parent))
    monkeypatch.setenv("USERPROFILE", str(ca.parent))
    layer = FakeWindows(folders={"ProgramData": str(tmp_path / "pd")})
    for value, needle in (("$USERCA/ca.pem", "tls.ca_file"), ("${USERCA}/ca.pem", "tls.ca_file"),
                          ("%USERPROFILE%/ca.pem", "%USERPROFILE%")):
        eff = load_machine_policy(platform="win32", windows=layer,
                                  registry=InMemoryRegistry({"tls": {"ca_file": (REG_EXPAND_SZ, value)}}))
        assert_fails_closed(eff, "tls.ca_file", needle)
        assert eff.values.get("tls.ca_file") != str(ca)


def test_reg_expand_sz_expands_system_folders_from_the_platform_layer(monkeypatch, tmp_path):
    monkeypatch.setenv("ProgramData", str(tmp_path / "mine"))
    layer = FakeWindows(folders={"ProgramData": r"D:\ProgramData", "Windows": r"C:\Windows"})
    data, problems, _ = read_registry_policy(
        InMemoryRegistry({"tls": {"ca_file": (REG_EXPAND_SZ, r"%ProgramData%\GovMail\ca.pem")},
                          "locked_settings": {"account.imap_host": (REG_EXPAND_SZ, "%SystemDrive%")}}),
        windows=layer,
    )
    assert problems == []
    assert data["tls"]["ca_file"] == r"D:\ProgramData\GovMail\ca.pem"
    assert data["locked_settings"]["account.imap_host"] == "C:"


@pytest.mark.parametrize(
    "ca_file",
    [
        r"\\fileserver\certs\ca.pem",
        "//fileserver/certs/ca.pem",
        r"\\?\UNC\fileserver\certs\ca.pem",
        r"\\.\pipe\ca",
        r"\/fileserver/certs/ca.pem",
    ],
)
def test_network_or_device_ca_path_is_refused_without_touching_it(tmp_path, ca_file):
    layer = FakeWindows(folders={"ProgramData": str(tmp_path)})
    eff = load_machine_policy(platform="win32", windows=layer,
                              registry=InMemoryRegistry({"tls": {"ca_file": (REG_SZ, ca_file)}}))
    assert_fails_closed(eff, "tls.ca_file", "network or device path", ca_file)
    # the same rule for a policy file
    path = write(tmp_path / "candidate.json", {"schema_version": 1, "tls": {"ca_file": ca_file}})
    assert_fails_closed(load_policy_file(path), "tls.ca_file", "network or device path")


class _WindowsError(OSError):
    """OSError as Windows raises it: with the system's error code in ``winerror``."""

    def __init__(self, winerror: int) -> None:
        super().__init__(22, f"[WinError {winerror}]")
        self.winerror = winerror


class FakeWinreg:
    """Just enough of the winreg module for WindowsRegistryReader: errors injected by index."""

    HKEY_LOCAL_MACHINE = 0x80000002
    KEY_READ = 0x20019
    KEY_WOW64_64KEY = 0x0100

    def __init__(self, tree, *, value_errors=None, key_errors=None, open_errors=None):
        self.tree = tree  # subkey path -> {"values": [(name, data, type)], "keys": [names]}
        self.value_errors = value_errors or {}  # subkey path -> (index, winerror)
        self.key_errors = key_errors or {}
        self.open_errors = open_errors or {}

    class _Key:
        def __init__(self, path):
            self.path = path

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    @staticmethod
    def _error(winerror: int) -> OSError:
        return _WindowsError(winerror)

    def OpenKey(self, root, path, reserved, access):  # winreg's name
        assert root == self.HKEY_LOCAL_MACHINE and access & self.KEY_WOW64_64KEY
        if path in self.open_errors:
            raise self.open_errors[path]
        if path not in self.tree:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._Key(path)

    def _enum(self, key, index, kind, errors):
        failure = errors.get(key.path)
        if failure and index == failure[0]:
            raise self._error(failure[1])
        items = self.tree[key.path][kind]
        if index >= len(items):
            raise self._error(259)  # ERROR_NO_MORE_ITEMS
        return items[index]

    def EnumValue(self, key, index):
        return self._enum(key, index, "values", self.value_errors)

    def EnumKey(self, key, index):
        return self._enum(key, index, "keys", self.key_errors)


ROOT = r"SOFTWARE\Policies\GovMail"
TREE = {
    ROOT: {"values": [], "keys": ["servers", "addresses"]},
    ROOT + r"\servers": {"values": [("allow", ["mail.agency.go.th"], REG_MULTI_SZ),
                                    ("deny", [".agency.go.th"], REG_MULTI_SZ)], "keys": []},
    ROOT + r"\addresses": {"values": [("allow_cidrs", ["10.20.0.0/16"], REG_MULTI_SZ)], "keys": []},
}


def reg_load(winreg):
    return load_machine_policy(platform="win32", windows=FakeWindows(folders={"ProgramData": "/nonexistent"}),
                               registry=WindowsRegistryReader(winreg))


def test_registry_read_through_winreg_ends_only_at_no_more_items():
    eff = reg_load(FakeWinreg(TREE))
    assert eff.error is None, eff.error and eff.error.detail
    assert eff.values["servers.deny"] == [".agency.go.th"]
    assert eff.values["addresses.allow_cidrs"] == ["10.20.0.0/16"]


@pytest.mark.parametrize(
    ("kw", "needles"),
    [
        # the deny value after "allow" fails to read (e.g. ERROR_MORE_DATA): not skipped, fails closed
        ({"value_errors": {ROOT + r"\servers": (1, 234)}}, [r"GovMail\servers", "234"]),
        ({"value_errors": {ROOT: (0, 5)}}, [r"GovMail", "[WinError 5]"]),
        # a subkey list cut short by an error: the remaining sections are not silently dropped
        ({"key_errors": {ROOT: (1, 1450)}}, [r"GovMail", "1450"]),
        ({"open_errors": {ROOT + r"\addresses": PermissionError(13, "Access is denied")}},
         [r"GovMail\addresses", "Access is denied"]),
        ({"open_errors": {ROOT: PermissionError(13, "Access is denied")}}, [r"GovMail", "Access is denied"]),
    ],
)
def test_registry_errors_fail_closed(kw, needles):
    eff = reg_load(FakeWinreg(TREE, **kw))
    assert_fails_closed(eff, *needles)


# -- Linux: the file and every folder above it -------------------------------------

def stat_as_root_above(top: Path, overrides: dict[Path, tuple[int, int, int]] | None = None):
    """os.stat, but folders above ``top`` (/tmp: 1777) read as root's 0755, and the test
    user plays root; ``overrides`` sets (uid, gid, mode bits) for chosen paths."""
    me = os.geteuid()
    by_name = {str(p): v for p, v in (overrides or {}).items()}

    def fake(path, *args, **kwargs):
        real = os.stat(path, *args, **kwargs)
        key = os.path.abspath(path)
        fields = list(real)
        if key in by_name:
            uid, gid, bits = by_name[key]
            fields[0] = (real.st_mode & ~0o7777) | bits
            fields[4], fields[5] = uid, gid
        elif not key.startswith(str(top) + os.sep) and key != str(top):
            fields[0] = (real.st_mode & ~0o7777) | 0o755
            fields[4], fields[5] = 0, 0
        elif real.st_uid == me:
            fields[4] = 0
            fields[5] = 0 if real.st_gid == os.getegid() else real.st_gid
        return os.stat_result(fields)

    return fake


@pytest.fixture
def etc(tmp_path):
    path = write(tmp_path / "etc" / "govmail" / "policy.json", PERMISSIVE)
    for folder in (tmp_path, tmp_path / "etc", tmp_path / "etc" / "govmail"):
        os.chmod(folder, 0o755)
    os.chmod(path, 0o644)
    return path


def linux_load(path: Path, stat):
    return load_machine_policy(platform="linux", linux_path=path, stat_path=stat)


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_root_only_chain_is_trusted(tmp_path, etc):
    eff = linux_load(etc, stat_as_root_above(tmp_path))
    assert eff.error is None, eff.error and eff.error.detail
    assert eff.sources["servers.allow"] == str(etc)


@pytest.mark.linux_only  # POSIX owner and mode bits
@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o733])
def test_root_owned_file_in_a_world_writable_folder_fails_closed(tmp_path, etc, mode):
    os.chmod(etc.parent, mode)
    eff = linux_load(etc, stat_as_root_above(tmp_path))
    assert_fails_closed(eff, str(etc), str(etc.parent), oct(mode))
    assert_not_applied(eff)


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_a_writable_folder_higher_up_the_chain_fails_closed(tmp_path, etc):
    os.chmod(tmp_path / "etc", 0o777)
    eff = linux_load(etc, stat_as_root_above(tmp_path))
    assert_fails_closed(eff, str(tmp_path / "etc"))
    assert_not_applied(eff)


@pytest.mark.linux_only  # POSIX owner and mode bits
@pytest.mark.parametrize(
    ("owner", "needle"),
    [((1000, 0, 0o755), "uid 1000"), ((0, 1000, 0o775), "0o775")],
)
def test_folder_owned_or_group_writable_by_a_user_fails_closed(tmp_path, etc, owner, needle):
    eff = linux_load(etc, stat_as_root_above(tmp_path, {etc.parent: owner}))
    assert_fails_closed(eff, str(etc.parent), needle)
    assert_not_applied(eff)


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_root_group_writable_folder_is_trusted_like_the_file(tmp_path, etc):
    eff = linux_load(etc, stat_as_root_above(tmp_path, {etc.parent: (0, 0, 0o775)}))
    assert eff.error is None


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_folder_reached_through_a_symlink_is_checked_where_it_really_is(tmp_path, etc):
    users = tmp_path / "home" / "user"
    real = write(users / "govmail" / "policy.json", PERMISSIVE)
    os.chmod(tmp_path / "home", 0o755)
    os.chmod(users, 0o755)
    os.chmod(users / "govmail", 0o755)
    os.chmod(real, 0o644)
    link = tmp_path / "etc" / "govmail2"
    link.symlink_to(users / "govmail")
    eff = linux_load(link / "policy.json", stat_as_root_above(tmp_path, {users: (1000, 1000, 0o755)}))
    assert_fails_closed(eff, str(users))
    assert_not_applied(eff)


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_insecure_file_itself_still_fails_closed(tmp_path, etc):
    eff = linux_load(etc, stat_as_root_above(tmp_path, {etc: (1000, 1000, 0o644)}))
    assert_fails_closed(eff, str(etc), "writable only by root")
    assert_not_applied(eff)
