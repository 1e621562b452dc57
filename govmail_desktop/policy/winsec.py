r"""Windows: where the machine policy lives, and whether only administrators can change it.

Two questions are asked of the system, never of the environment (a user sets
``ProgramData``, ``WIN_PD_OVERRIDE_COMMON_APPDATA`` … for their own processes):

* where a system folder is: the known-folder API
  (``SHGetKnownFolderPath(FOLDERID_ProgramData)``; ``GetSystemWindowsDirectoryW``
  for the Windows folder), with a fixed fallback (``C:\ProgramData``) when the
  call fails or answers something that is not a folder on a local drive;
* who owns a file or folder and who may change it: ``GetNamedSecurityInfoW``
  (owner SID and DACL).

The answers come through a small platform layer (:class:`WindowsPlatform`):
:class:`SystemWindows` is the real one (ctypes, imported lazily, so this
module imports on Linux and its calls fail there with ``OSError``); the tests
inject fakes. The decisions — :func:`security_problems`,
:func:`resolve_known_folder`, :func:`expand_system_folders` — are plain code.

Trusted: owner ``BUILTIN\Administrators`` (S-1-5-32-544), ``SYSTEM`` (S-1-5-18)
or ``TrustedInstaller``; no allow ACE that applies to the object gives any
other account a right that changes it (write/append data — add file/subfolder
on a folder —, delete, delete child, change permissions or owner, generic
write/all). A NULL DACL (everyone full access) and a link (reparse point) are
refused. Deny ACEs are not credited: an allow ACE for a wider group is enough
to refuse, whatever precedes it.
"""

from __future__ import annotations

import errno
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import PureWindowsPath
from typing import Any, Protocol

from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.policy import messages as m

ADMINISTRATORS = "S-1-5-32-544"
SYSTEM = "S-1-5-18"
TRUSTED_INSTALLER = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
#: placeholders in ACEs: CREATOR OWNER only means something when inherited (it becomes the
#: creator), OWNER RIGHTS is the current owner — who must be one of TRUSTED_OWNERS anyway
CREATOR_OWNER = "S-1-3-0"
OWNER_RIGHTS = "S-1-3-4"

TRUSTED_OWNERS = frozenset({ADMINISTRATORS, SYSTEM, TRUSTED_INSTALLER})
TRUSTED_WRITERS = TRUSTED_OWNERS | {CREATOR_OWNER, OWNER_RIGHTS}

#: names shown beside well-known SIDs (Windows' own English names)
WELL_KNOWN = {
    "S-1-1-0": "Everyone",
    "S-1-5-11": "Authenticated Users",
    "S-1-5-4": "INTERACTIVE",
    "S-1-5-32-545": "Users",
    "S-1-5-32-546": "Guests",
    "S-1-5-32-547": "Power Users",
    "S-1-5-7": "ANONYMOUS LOGON",
    ADMINISTRATORS: "Administrators",
    SYSTEM: "SYSTEM",
    TRUSTED_INSTALLER: "TrustedInstaller",
}

# Access-mask bits that change a file or folder (names as icacls prints them).
WRITE_RIGHTS = (
    (0x10000000, "GA"),  # GENERIC_ALL
    (0x40000000, "GW"),  # GENERIC_WRITE
    (0x00000002, "WD"),  # FILE_WRITE_DATA = FILE_ADD_FILE on a folder
    (0x00000004, "AD"),  # FILE_APPEND_DATA = FILE_ADD_SUBDIRECTORY on a folder
    (0x00000040, "DC"),  # FILE_DELETE_CHILD
    (0x00010000, "D"),  # DELETE
    (0x00040000, "WDAC"),  # WRITE_DAC
    (0x00080000, "WO"),  # WRITE_OWNER
)
WRITE_MASK = 0
for _bit, _ in WRITE_RIGHTS:
    WRITE_MASK |= _bit


@dataclass(frozen=True)
class Ace:
    """One access-control entry of a DACL, as far as the decision needs it."""

    sid: str  #: "" when the layer could not read the trustee (counts as anyone)
    mask: int
    allow: bool = True
    #: the ACE is only inherited by children and does not apply to this object
    inherit_only: bool = False


@dataclass(frozen=True)
class FileSecurity:
    owner_sid: str
    #: None = a NULL DACL (no access list: everyone has full access)
    dacl: tuple[Ace, ...] | None
    #: the path itself is a symbolic link or junction (reparse point)
    is_link: bool = False


class WindowsPlatform(Protocol):
    """What the policy loader asks Windows (injected in tests)."""

    def known_folder(self, name: str) -> str:
        """The path of a system folder (a key of :data:`KNOWN_FOLDERS`); OSError when unknown."""

    def file_security(self, path: str) -> FileSecurity:
        """Owner and DACL of a file or folder; FileNotFoundError when it does not exist,
        another OSError when they cannot be read."""


@dataclass(frozen=True)
class KnownFolder:
    guid: str  #: KNOWNFOLDERID; "" = ask GetSystemWindowsDirectoryW
    fallback: str


KNOWN_FOLDERS = {
    "ProgramData": KnownFolder("62AB5D82-FDC1-4DC3-A9DD-070D1D495D97", r"C:\ProgramData"),
    "ProgramFiles": KnownFolder("905E63B6-C1BF-494E-B29C-65B732D3D21A", r"C:\Program Files"),
    "ProgramFilesX86": KnownFolder("7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E", r"C:\Program Files (x86)"),
    "ProgramFilesCommon": KnownFolder(
        "F7F1ED05-9F6D-47A2-AAAE-29D317C6F066", r"C:\Program Files\Common Files"
    ),
    "Windows": KnownFolder("", r"C:\Windows"),
}

_LOCAL_DIR = re.compile(r"[A-Za-z]:\\")


def is_local_folder(path: str) -> bool:
    r"""``X:\…`` — absolute, on a drive letter; not ``\\server``, ``\\?\``, ``//``, relative."""
    return bool(_LOCAL_DIR.match(path.replace("/", "\\"))) and "\x00" not in path


def resolve_known_folder(platform: WindowsPlatform, name: str) -> str:
    """The system's answer for a known folder, or its fixed fallback when there is no sane answer."""
    folder = KNOWN_FOLDERS[name]
    try:
        path = platform.known_folder(name)
    except Exception:  # noqa: BLE001 - any failure of the lookup means "no answer": the fixed folder
        return folder.fallback
    if not isinstance(path, str) or not is_local_folder(path):
        return folder.fallback
    return path


def program_data(platform: WindowsPlatform) -> str:
    return resolve_known_folder(platform, "ProgramData")


# -- REG_EXPAND_SZ ----------------------------------------------------------------

#: variable (lower case) -> known folder; "systemdrive" is the Windows folder's drive
EXPANDABLE = {
    "programdata": "ProgramData",
    "allusersprofile": "ProgramData",
    "systemroot": "Windows",
    "windir": "Windows",
    "systemdrive": "Windows",
    "programfiles": "ProgramFiles",
    "programw6432": "ProgramFiles",
    "programfiles(x86)": "ProgramFilesX86",
    "commonprogramfiles": "ProgramFilesCommon",
}
EXPANDABLE_SHOWN = (
    "%ProgramData%, %ALLUSERSPROFILE%, %SystemRoot%, %windir%, %SystemDrive%, "
    "%ProgramFiles%, %ProgramW6432%, %ProgramFiles(x86)%, %CommonProgramFiles%"
)
_VARIABLE = re.compile(r"%([^%]*)%")


class ExpansionError(ValueError):
    """A REG_EXPAND_SZ value names something other than a system folder."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.text("en"))
        self.message = message


def expand_system_folders(text: str, platform: WindowsPlatform) -> str:
    """Expand ``%ProgramData%`` and the other system folders, asked of the system.

    Any other ``%name%`` (``%USERPROFILE%``, ``%TEMP%`` …), a lone ``%``, is an
    :class:`ExpansionError`: the user's environment must not decide where the
    agency's CA file is. ``$name`` is not a variable on Windows and stays as it is.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        folder = EXPANDABLE.get(name)
        if folder is None:
            raise ExpansionError(m.P_REGISTRY_EXPAND.format(
                value=text, variable=match.group(0), known=EXPANDABLE_SHOWN))
        path = resolve_known_folder(platform, folder)
        if name == "systemdrive":
            return PureWindowsPath(path).drive
        return path

    expanded = []
    pos = 0
    for match in _VARIABLE.finditer(text):
        expanded.append(text[pos:match.start()])
        expanded.append(one(match))
        pos = match.end()
    rest = text[pos:]
    if "%" in rest:
        raise ExpansionError(m.P_REGISTRY_EXPAND.format(value=text, variable="%", known=EXPANDABLE_SHOWN))
    expanded.append(rest)
    return "".join(expanded)


# -- owner and DACL -----------------------------------------------------------------

def account_name(sid: str) -> Any:
    """A SID as shown to IT staff (never looked up over the network: that can hang offline)."""
    if not sid:
        return m.T_UNKNOWN_ACCOUNT
    name = WELL_KNOWN.get(sid)
    return f"{name} ({sid})" if name else sid


def rights_text(mask: int) -> str:
    return ", ".join(name for bit, name in WRITE_RIGHTS if mask & bit)


def security_problems(security: FileSecurity, path: str) -> list[Msg]:
    """Why someone other than an administrator could change this file or folder ([] = trusted).

    The same rights count for both: on a folder, WD and AD are "add file" and
    "add subfolder" (FILE_ADD_FILE == FILE_WRITE_DATA, FILE_ADD_SUBDIRECTORY ==
    FILE_APPEND_DATA), which would let a user create a policy file that is missing.
    """
    problems: list[Msg] = []
    if security.is_link:
        problems.append(m.P_WIN_LINK.format(path=path))
    if security.owner_sid not in TRUSTED_OWNERS:
        problems.append(m.P_WIN_OWNER.format(path=path, owner=account_name(security.owner_sid)))
    if security.dacl is None:
        problems.append(m.P_WIN_NULL_DACL.format(path=path))
        return problems
    writers: dict[str, int] = {}
    for ace in security.dacl:
        if not ace.allow or ace.inherit_only or ace.sid in TRUSTED_WRITERS:
            continue
        bad = ace.mask & WRITE_MASK
        if bad:
            writers[ace.sid] = writers.get(ace.sid, 0) | bad
    for sid, mask in writers.items():
        problems.append(m.P_WIN_WRITABLE.format(who=account_name(sid), path=path, rights=rights_text(mask)))
    return problems


# -- the real layer (ctypes; Windows only) ---------------------------------------------

class SystemWindows:
    """The platform layer of a real Windows machine. Every failure is an OSError."""

    def known_folder(self, name: str) -> str:
        api = _api()
        folder = KNOWN_FOLDERS[name]
        if not folder.guid:
            return api.windows_directory()
        return api.known_folder_path(folder.guid)

    def file_security(self, path: str) -> FileSecurity:
        return _api().file_security(str(path))


@cache
def _api() -> _Win32:
    if sys.platform != "win32":
        raise OSError(errno.ENOSYS, "the Windows security functions exist only on Windows")
    return _Win32()


class _Win32:
    """ctypes bindings: shell32 / kernel32 / advapi32 / ole32."""

    # constants from the Windows SDK
    KF_FLAG_DONT_VERIFY = 0x00004000
    SE_FILE_OBJECT = 1
    OWNER_SECURITY_INFORMATION = 0x00000001
    DACL_SECURITY_INFORMATION = 0x00000004
    INVALID_FILE_ATTRIBUTES = 0xFFFFFFFF
    FILE_ATTRIBUTE_REPARSE_POINT = 0x00000400
    INHERIT_ONLY_ACE = 0x08
    ALLOWED_TYPES = {0x00, 0x05, 0x09, 0x0B}  # ACCESS_ALLOWED[_OBJECT|_CALLBACK|_CALLBACK_OBJECT]_ACE_TYPE
    DENIED_TYPES = {0x01, 0x06, 0x0A, 0x0C}
    OBJECT_TYPES = {0x05, 0x06, 0x0B, 0x0C}  # the SID follows optional GUIDs

    def __init__(self) -> None:
        import ctypes  # Windows only
        from ctypes import wintypes

        self.ctypes = ctypes
        self.wintypes = wintypes

        class GUID(ctypes.Structure):
            _fields_ = [
                ("Data1", wintypes.DWORD),
                ("Data2", wintypes.WORD),
                ("Data3", wintypes.WORD),
                ("Data4", ctypes.c_ubyte * 8),
            ]

        class ACE_HEADER(ctypes.Structure):  # the SDK's name
            _fields_ = [("AceType", ctypes.c_ubyte), ("AceFlags", ctypes.c_ubyte), ("AceSize", wintypes.WORD)]

        class ACL(ctypes.Structure):
            _fields_ = [
                ("AclRevision", ctypes.c_ubyte),
                ("Sbz1", ctypes.c_ubyte),
                ("AclSize", wintypes.WORD),
                ("AceCount", wintypes.WORD),
                ("Sbz2", wintypes.WORD),
            ]

        self.GUID = GUID
        self.ACE_HEADER = ACE_HEADER
        self.ACL = ACL
        p = ctypes.c_void_p

        # WinDLL (stdcall) is in Windows' ctypes only, and so only in the type stubs for Windows.
        windll: Callable[..., ctypes.CDLL] = vars(ctypes)["WinDLL"]
        self.shell32 = windll("shell32", use_last_error=True)
        self.ole32 = windll("ole32", use_last_error=True)
        self.kernel32 = windll("kernel32", use_last_error=True)
        self.advapi32 = windll("advapi32", use_last_error=True)

        f = self.shell32.SHGetKnownFolderPath
        f.argtypes = [ctypes.POINTER(GUID), wintypes.DWORD, wintypes.HANDLE, ctypes.POINTER(p)]
        f.restype = ctypes.c_long  # HRESULT, checked by hand
        f = self.ole32.CoTaskMemFree
        f.argtypes = [p]
        f.restype = None
        f = self.kernel32.GetSystemWindowsDirectoryW
        f.argtypes = [wintypes.LPWSTR, wintypes.UINT]
        f.restype = wintypes.UINT
        f = self.kernel32.GetFileAttributesW
        f.argtypes = [wintypes.LPCWSTR]
        f.restype = wintypes.DWORD
        f = self.kernel32.LocalFree
        f.argtypes = [p]
        f.restype = p
        f = self.advapi32.GetNamedSecurityInfoW
        f.argtypes = [
            wintypes.LPCWSTR, ctypes.c_int, wintypes.DWORD,
            ctypes.POINTER(p), ctypes.POINTER(p), ctypes.POINTER(p), ctypes.POINTER(p), ctypes.POINTER(p),
        ]
        f.restype = wintypes.DWORD  # an error code itself, not via GetLastError
        f = self.advapi32.GetAce
        f.argtypes = [p, wintypes.DWORD, ctypes.POINTER(p)]
        f.restype = wintypes.BOOL
        f = self.advapi32.IsValidSid
        f.argtypes = [p]
        f.restype = wintypes.BOOL
        f = self.advapi32.ConvertSidToStringSidW
        f.argtypes = [p, ctypes.POINTER(p)]
        f.restype = wintypes.BOOL

    # -- folders

    def known_folder_path(self, guid_text: str) -> str:
        import uuid

        ctypes = self.ctypes
        u = uuid.UUID(guid_text)
        guid = self.GUID(u.time_low, u.time_mid, u.time_hi_version, (ctypes.c_ubyte * 8)(*u.bytes[8:]))
        out = ctypes.c_void_p()
        hr = self.shell32.SHGetKnownFolderPath(ctypes.byref(guid), self.KF_FLAG_DONT_VERIFY, None,
                                               ctypes.byref(out))
        try:
            if hr != 0 or not out.value:
                raise OSError(errno.ENOENT, f"SHGetKnownFolderPath failed (HRESULT {hr & 0xFFFFFFFF:#010x})")
            return ctypes.wstring_at(out.value)
        finally:
            self.ole32.CoTaskMemFree(out)  # also when it failed (documented); NULL is fine

    def windows_directory(self) -> str:
        ctypes = self.ctypes
        size = 260
        for _ in range(3):
            buf = ctypes.create_unicode_buffer(size)
            n = self.kernel32.GetSystemWindowsDirectoryW(buf, size)
            if n == 0:
                raise ctypes.WinError(ctypes.get_last_error())
            if n < size:
                return buf.value
            size = n + 1
        raise OSError(errno.ENAMETOOLONG, "GetSystemWindowsDirectoryW: no stable answer")

    # -- security

    def file_security(self, path: str) -> FileSecurity:
        ctypes = self.ctypes
        attributes = self.kernel32.GetFileAttributesW(path)
        if attributes == self.INVALID_FILE_ATTRIBUTES:
            raise ctypes.WinError(ctypes.get_last_error())  # 2/3 -> FileNotFoundError
        owner = ctypes.c_void_p()
        dacl = ctypes.c_void_p()
        descriptor = ctypes.c_void_p()
        rc = self.advapi32.GetNamedSecurityInfoW(
            path, self.SE_FILE_OBJECT, self.OWNER_SECURITY_INFORMATION | self.DACL_SECURITY_INFORMATION,
            ctypes.byref(owner), None, ctypes.byref(dacl), None, ctypes.byref(descriptor),
        )
        if rc != 0:
            raise ctypes.WinError(rc)
        try:
            # owner and dacl point into the descriptor: read everything before freeing it
            if not owner.value:
                raise OSError(errno.EINVAL, f"{path}: the security descriptor has no owner")
            owner_sid = self._sid_string(owner.value)
            aces = None if not dacl.value else tuple(self._aces(dacl.value))
        finally:
            self.kernel32.LocalFree(descriptor)
        return FileSecurity(owner_sid, aces, bool(attributes & self.FILE_ATTRIBUTE_REPARSE_POINT))

    def _sid_string(self, sid: int) -> str:
        ctypes = self.ctypes
        if not self.advapi32.IsValidSid(sid):
            raise OSError(errno.EINVAL, "invalid SID in a security descriptor")
        text = ctypes.c_void_p()
        if not self.advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text)):
            raise ctypes.WinError(ctypes.get_last_error())
        try:
            return ctypes.wstring_at(text.value)
        finally:
            self.kernel32.LocalFree(text)

    def _aces(self, acl_address: int) -> list[Ace]:
        ctypes = self.ctypes
        acl = self.ACL.from_address(acl_address)
        out = []
        for index in range(acl.AceCount):
            ace_ptr = ctypes.c_void_p()
            if not self.advapi32.GetAce(acl_address, index, ctypes.byref(ace_ptr)):
                raise ctypes.WinError(ctypes.get_last_error())
            address = ace_ptr.value
            header = self.ACE_HEADER.from_address(address)
            kind = header.AceType
            if kind not in self.ALLOWED_TYPES and kind not in self.DENIED_TYPES:
                # audit/alarm/label entries do not belong in a DACL: do not guess
                raise OSError(errno.EINVAL, f"unexpected ACE type {kind:#x} in a DACL")
            mask = ctypes.c_uint32.from_address(address + 4).value
            sid_offset = 8
            if kind in self.OBJECT_TYPES:
                flags = ctypes.c_uint32.from_address(address + 8).value
                sid_offset = 12 + (16 if flags & 1 else 0) + (16 if flags & 2 else 0)
            sid = ""
            if sid_offset < header.AceSize:
                try:
                    sid = self._sid_string(address + sid_offset)
                except OSError:
                    sid = ""  # an unreadable trustee counts as anyone
            out.append(Ace(
                sid=sid, mask=mask, allow=kind in self.ALLOWED_TYPES,
                inherit_only=bool(header.AceFlags & self.INHERIT_ONLY_ACE),
            ))
        return out
