"""What the Windows-only tests ask of Windows: elevation, SIDs, security descriptors, a file
held open by another process.

Importable on every system (tests/windows is collected on Linux too): ctypes' Windows-only
names (WinDLL, WinError, get_last_error) and winreg are reached inside the functions, which
run on Windows only. Every ctypes function used declares its argument and return types.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ADMINISTRATORS = "S-1-5-32-544"
SYSTEM = "S-1-5-18"
USERS = "S-1-5-32-545"

#: winnt.h: which part of a security descriptor RegSetKeySecurity sets
DACL_SECURITY_INFORMATION = 0x00000004
SDDL_REVISION_1 = 1
#: winnt.h access rights
WRITE_DAC = 0x00040000
KEY_QUERY_VALUE = 0x0001
KEY_ENUMERATE_SUB_KEYS = 0x0008


def _dll(name):
    import ctypes

    return vars(ctypes)["WinDLL"](name, use_last_error=True)  # WinDLL: in Windows' ctypes only


def _win_error(code=None):
    import ctypes

    names = vars(ctypes)
    return names["WinError"](names["get_last_error"]() if code is None else code)


def is_elevated():
    """Whether this process runs with the Administrators group enabled (an elevated token)."""
    from ctypes import wintypes

    is_admin = _dll("shell32").IsUserAnAdmin
    is_admin.argtypes = []
    is_admin.restype = wintypes.BOOL
    return bool(is_admin())


def require_elevated(what):
    if not is_elevated():
        pytest.skip(f"{what} needs an elevated (administrator) process; this one is not elevated")


def current_user_sid():
    """The SID of the account running the tests (``whoami /user``, as text S-1-5-21-…)."""
    out = subprocess.run(["whoami", "/user", "/fo", "csv", "/nh"], capture_output=True, text=True,
                         check=True, timeout=30).stdout
    sid = out.strip().rsplit(",", 1)[-1].strip().strip('"')
    assert sid.startswith("S-1-"), out
    return sid


def set_key_sddl(key, sddl):
    """Set the DACL of an open registry key (a winreg handle opened with WRITE_DAC) from SDDL."""
    import ctypes
    from ctypes import wintypes

    advapi32 = _dll("advapi32")
    kernel32 = _dll("kernel32")
    convert = advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW
    convert.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, ctypes.POINTER(ctypes.c_void_p),
                        ctypes.POINTER(wintypes.ULONG)]
    convert.restype = wintypes.BOOL
    set_security = advapi32.RegSetKeySecurity
    set_security.argtypes = [wintypes.HKEY, wintypes.DWORD, ctypes.c_void_p]
    set_security.restype = wintypes.LONG  # an error code itself, not via GetLastError
    local_free = kernel32.LocalFree
    local_free.argtypes = [ctypes.c_void_p]
    local_free.restype = ctypes.c_void_p
    descriptor = ctypes.c_void_p()
    if not convert(sddl, SDDL_REVISION_1, ctypes.byref(descriptor), None):
        raise _win_error()
    try:
        rc = set_security(wintypes.HKEY(key.handle), DACL_SECURITY_INFORMATION, descriptor)
        if rc != 0:
            raise _win_error(rc)
    finally:
        local_free(descriptor)


def set_subkey_sddl(root, path, sddl):
    """Open ``root\\path`` for WRITE_DAC (the owner may always) and set its DACL."""
    import winreg

    with winreg.OpenKey(root, path, 0, WRITE_DAC) as key:
        set_key_sddl(key, sddl)


#: Everyone may do everything: put on a test key before deleting it (undoes any deny).
SDDL_EVERYONE_FULL = "D:(A;;KA;;;WD)"
#: Nobody (the owner included) may read values or list subkeys; everything else allowed.
SDDL_DENY_READING = f"D:P(D;;{KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS:#x};;;WD)(A;;KA;;;WD)"


def delete_key_tree(root, path):
    """Delete ``root\\path`` and everything below, whatever DACL a test left on it."""
    import winreg

    try:
        set_subkey_sddl(root, path, SDDL_EVERYONE_FULL)
    except FileNotFoundError:
        return
    except OSError:
        pass  # try the deletion anyway
    with winreg.OpenKey(root, path, 0, winreg.KEY_READ) as key:
        names = []
        while True:
            try:
                names.append(winreg.EnumKey(key, len(names)))
            except OSError:
                break
    for name in names:
        delete_key_tree(root, path + "\\" + name)
    winreg.DeleteKey(root, path)


def icacls(path, *args):
    """Run icacls on ``path``; its output on failure."""
    proc = subprocess.run(["icacls", str(path), *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"icacls {path} {' '.join(args)}: {proc.stdout}{proc.stderr}"


_HOLDER = textwrap.dedent("""
    import sys
    held = open(sys.argv[1], "rb")  # Windows: read and write shared, delete (rename) not
    print("held", flush=True)
    sys.stdin.readline()
    held.close()
    print("released", flush=True)
    sys.stdin.readline()
""")


class FileHolder:
    """Another process with ``path`` open and no FILE_SHARE_DELETE: it cannot be renamed,
    replaced or deleted until :meth:`release`."""

    def __init__(self, path):
        self.path = Path(path)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(self.path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline().strip()
        assert line == "held", f"the holder did not open {path}: {line!r}"
        self.held = True

    def release(self):
        if self.held:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            assert self.proc.stdout.readline().strip() == "released"
            self.held = False

    def close(self):
        try:
            self.release()
        finally:
            try:
                self.proc.stdin.close()
            finally:
                self.proc.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
