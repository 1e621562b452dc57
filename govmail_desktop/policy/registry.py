r"""Windows Group Policy values under ``HKLM\SOFTWARE\Policies\GovMail``.

Mapping to policy keys (documented in docs/admin.md):

* one subkey per section: ``servers``, ``addresses``, ``tls``, ``accounts``,
  ``recipients``, ``content``, ``attachments``, ``search``, ``provisioning``; value name = key name
  (``HKLM\SOFTWARE\Policies\GovMail\servers`` value ``allow``);
* lists are ``REG_MULTI_SZ``; text is ``REG_SZ`` (``REG_EXPAND_SZ`` also accepted:
  only the system folders ``%ProgramData%``, ``%SystemRoot%`` … are expanded, as
  the system knows them (winsec.py) — never from the user's environment; any
  other ``%name%`` is a problem); numbers are ``REG_DWORD``;
* ``locked_settings`` subkey: value name = setting key (``mail.remote_content``),
  ``REG_SZ`` for text settings, ``REG_DWORD`` 0/1 for on/off settings;
* values on the ``GovMail`` key itself: ``schema_version`` (``REG_DWORD``, optional),
  ``description`` (``REG_SZ``).

Names are compared case-insensitively (as Windows does). A value of the wrong
type, an unknown subkey or value name, an unreadable key, or an enumeration
that ends with any error but "no more items" is a problem and the policy fails
closed (a value that cannot be read is never just skipped). The reader is
injected (:class:`RegistryReader`) so this is tested on Linux with
:class:`InMemoryRegistry`; on Windows, :class:`WindowsRegistryReader` imports
``winreg`` lazily (tests give it a fake winreg).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from govmail_desktop.policy import messages as m
from govmail_desktop.policy import winsec
from govmail_desktop.policy.model import Problem
from govmail_desktop.policy.schema import (
    KEYS,
    LOCKED_SETTINGS,
    SECTIONS,
    TOP_LEVEL_VALUES,
    lockable_settings,
    section_keys,
)

REGISTRY_ROOT = r"HKLM\SOFTWARE\Policies\GovMail"
#: The user's Group Policy (User Configuration): honoured for user-scoped keys only, below every
#: machine source (sources.py); a machine-only key there is ignored with a finding.
USER_REGISTRY_ROOT = r"HKCU\SOFTWARE\Policies\GovMail"
_SUBKEY = r"SOFTWARE\Policies\GovMail"

# winreg's type constants (same numbers; winreg itself exists only on Windows).
REG_SZ = 1
REG_EXPAND_SZ = 2
REG_BINARY = 3
REG_DWORD = 4
REG_MULTI_SZ = 7
REG_QWORD = 11

#: winerror of RegEnumValue/RegEnumKeyEx past the last item; every other error is a failure
ERROR_NO_MORE_ITEMS = 259

TYPE_NAMES = {
    REG_SZ: "REG_SZ", REG_EXPAND_SZ: "REG_EXPAND_SZ", REG_BINARY: "REG_BINARY",
    REG_DWORD: "REG_DWORD", REG_MULTI_SZ: "REG_MULTI_SZ", REG_QWORD: "REG_QWORD",
}


class RegistryReader(Protocol):
    """Read-only view of ``HKLM\\SOFTWARE\\Policies\\GovMail`` (``subkey`` relative to it, "" = itself)."""

    def values(self, subkey: str) -> list[tuple[str, Any, int]] | None:
        """(name, data, type) of every value; None when the key does not exist.

        Raises OSError when the key exists but cannot be read.
        """

    def subkeys(self, subkey: str) -> list[str]:
        """Names of the direct subkeys ([] when the key does not exist).

        Raises OSError when the key exists but cannot be read.
        """


class InMemoryRegistry:
    """A RegistryReader over a dict: ``{"servers": {"allow": (REG_MULTI_SZ, [...])}}``.

    The key ``""`` holds values of the GovMail key itself. ``None`` as the
    whole tree means the GovMail key does not exist; an ``OSError`` instance
    as a subkey's content makes reading it fail (access denied).
    """

    def __init__(self, tree: Mapping[str, Any] | None) -> None:
        self.tree = tree

    def values(self, subkey: str) -> list[tuple[str, Any, int]] | None:
        if self.tree is None:
            return None
        content = self.tree.get(subkey)
        if isinstance(content, OSError):
            raise content
        if content is None:
            return None if subkey else []
        return [(name, data, kind) for name, (kind, data) in content.items()]

    def subkeys(self, subkey: str) -> list[str]:
        if self.tree is None or subkey:
            return []
        return [name for name in self.tree if name]


class WindowsRegistryReader:
    """The real registry (64-bit view), via winreg imported only when used (tests inject a fake).

    ``hive`` (a winreg ``HKEY_*`` handle; ``HKEY_LOCAL_MACHINE`` when None) and ``key_path``
    say where the GovMail key is: the Windows tests read a throw-away key under
    ``HKEY_CURRENT_USER`` with the same code that reads the machine policy.
    """

    def __init__(self, winreg_module: Any = None, *, hive: Any = None, key_path: str = _SUBKEY,
                 current_user: bool = False) -> None:
        self._winreg = winreg_module
        self._hive = hive
        self._key_path = key_path
        #: with no ``hive``: HKEY_CURRENT_USER (the user's policy, USER_REGISTRY_ROOT) instead of HKLM
        self._current_user = current_user

    def _module(self) -> Any:
        if self._winreg is None:
            try:
                import winreg  # Windows only
            except ImportError as exc:  # not Windows: fail closed, never raise out of the loader
                raise OSError(f"the Windows registry is not available ({exc})") from None
            self._winreg = winreg
        return self._winreg

    def _open(self, subkey: str) -> Any:
        winreg = self._module()
        path = self._key_path + ("\\" + subkey if subkey else "")
        hive = self._hive
        if hive is None:
            hive = winreg.HKEY_CURRENT_USER if self._current_user else winreg.HKEY_LOCAL_MACHINE
        try:
            return winreg.OpenKey(hive, path, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY)
        except FileNotFoundError:
            return None

    @staticmethod
    def _enumerate(read: Callable[[Any, int], Any], key: Any) -> list[Any]:
        """Every item up to "no more items" (259); any other error is raised, never a short list."""
        out: list[Any] = []
        index = 0
        while True:
            try:
                item = read(key, index)
            except OSError as exc:
                if getattr(exc, "winerror", None) == ERROR_NO_MORE_ITEMS:
                    return out
                raise
            out.append(item)
            index += 1

    def values(self, subkey: str) -> list[tuple[str, Any, int]] | None:
        key = self._open(subkey)
        if key is None:
            return None
        with key:
            return [tuple(item) for item in self._enumerate(self._module().EnumValue, key)]

    def subkeys(self, subkey: str) -> list[str]:
        key = self._open(subkey)
        if key is None:
            return []
        with key:
            return list(self._enumerate(self._module().EnumKey, key))


def _expected_type(path: str) -> str:
    return KEYS[path].registry_type


def _convert(data: Any, kind: int, expected: str, expand: Callable[[str], str]) -> Any:
    """Registry data -> JSON-shaped value.

    Raises TypeError when the type is wrong, winsec.ExpansionError when a
    REG_EXPAND_SZ value names anything but a system folder.
    """
    if expected == "REG_MULTI_SZ" and kind == REG_MULTI_SZ:
        items = list(data or [])
        while items and items[-1] == "":
            items.pop()
        return items
    if expected == "REG_SZ" and kind in (REG_SZ, REG_EXPAND_SZ) and isinstance(data, str):
        return expand(data) if kind == REG_EXPAND_SZ else data
    if expected == "REG_DWORD" and kind in (REG_DWORD, REG_QWORD) and isinstance(data, int):
        return data
    raise TypeError


def _type_problem(source: str, key: str, kind: int, expected: str) -> Problem:
    return Problem(
        source, key,
        m.P_REGISTRY_TYPE.format(found=TYPE_NAMES.get(kind, f"type {kind}"), expected=expected),
    )


_BAD = object()


def _checked(
    value: Any, kind: int, expected: str, expand: Callable[[str], str],
    where: str, key: str, problems: list[Problem],
) -> Any:
    """The converted value, or _BAD with the problem recorded."""
    try:
        return _convert(value, kind, expected, expand)
    except TypeError:
        problems.append(_type_problem(where, key, kind, expected))
    except winsec.ExpansionError as exc:
        problems.append(Problem(where, key, exc.message))
    return _BAD


def read_registry_policy(
    reader: RegistryReader,
    *,
    windows: winsec.WindowsPlatform | None = None,
    root: str = REGISTRY_ROOT,
    keep: Callable[[str], bool] | None = None,
    ignored: list[Problem] | None = None,
) -> tuple[dict[str, Any] | None, list[Problem], dict[str, str]]:
    """(JSON-shaped policy data or None if no GovMail key, problems, key path -> value label).

    ``windows`` answers where the system folders of REG_EXPAND_SZ values are
    (the real system when None). ``root`` names the key in labels and problems (the reader
    says where it is). A value whose key path ``keep`` refuses (the user's policy: a
    machine-only key) is not read at all; a finding naming it goes to ``ignored``.
    """
    platform = windows if windows is not None else winsec.SystemWindows()

    def expand(text: str) -> str:
        return winsec.expand_system_folders(text, platform)

    problems: list[Problem] = []
    labels: dict[str, str] = {}

    def refused(path: str, where: str, name: str) -> bool:
        if keep is None or keep(path):
            return False
        if ignored is not None:
            ignored.append(Problem(where, path, m.P_MACHINE_ONLY.format(value=f"{where}\\{name}")))
        return True
    try:
        root_values = reader.values("")
    except OSError as exc:
        return None, [Problem(root, "", m.P_REGISTRY_UNREADABLE.format(reason=str(exc)))], labels
    if root_values is None:
        return None, problems, labels
    data: dict[str, Any] = {}
    for name, value, kind in root_values:
        if not name:
            continue  # the unnamed "(Default)" value carries nothing for us
        key = name.lower()
        if key not in TOP_LEVEL_VALUES:
            problems.append(Problem(root, name, m.P_UNKNOWN_KEY.format(
                known=", ".join([*TOP_LEVEL_VALUES, *SECTIONS, LOCKED_SETTINGS]))))
            continue
        if refused(key, root, name):
            continue
        converted = _checked(value, kind, _expected_type(key), expand, root, key, problems)
        if converted is not _BAD:
            data[key] = converted
            labels[key] = f"{root}\\{name}"
    try:
        subkeys = reader.subkeys("")
    except OSError as exc:
        problems.append(Problem(root, "", m.P_REGISTRY_UNREADABLE.format(reason=str(exc))))
        subkeys = []
    for sub in _sorted(subkeys):
        section = sub.lower()
        where = f"{root}\\{sub}"
        if section not in (*SECTIONS, LOCKED_SETTINGS):
            problems.append(Problem(root, sub, m.P_UNKNOWN_KEY.format(
                known=", ".join([*SECTIONS, LOCKED_SETTINGS]))))
            continue
        try:
            values = reader.values(sub) or []
        except OSError as exc:
            problems.append(Problem(where, "", m.P_REGISTRY_UNREADABLE.format(reason=str(exc))))
            continue
        if section == LOCKED_SETTINGS:
            _read_locked([v for v in values if not v[0] or not refused(_locked_path(v[0]), where, v[0])],
                         where, data, problems, labels, expand)
            continue
        target = data.setdefault(section, {})
        known = section_keys(section)
        for name, value, kind in values:
            if not name:
                continue
            key = name.lower()
            path = f"{section}.{key}"
            if path not in KEYS:
                problems.append(Problem(where, path, m.P_UNKNOWN_KEY.format(known=", ".join(known))))
                continue
            if refused(path, where, name):
                continue
            converted = _checked(value, kind, _expected_type(path), expand, where, path, problems)
            if converted is _BAD:
                continue
            if converted == "" and KEYS[path].shape.nullable:
                converted = None  # an empty text box in the GPO editor means "not set" (tls.ca_file ...)
            target[key] = converted
            labels[path] = f"{where}\\{name}"
    return data, problems, labels


def _read_locked(
    values: Iterable[tuple[str, Any, int]],
    where: str,
    data: dict[str, Any],
    problems: list[Problem],
    labels: dict[str, str],
    expand: Callable[[str], str],
) -> None:
    specs = lockable_settings()
    by_lower = {k.lower(): k for k in specs}
    target = data.setdefault(LOCKED_SETTINGS, {})
    for name, value, kind in values:
        if not name:
            continue
        setting = by_lower.get(name.lower(), name)
        path = f"{LOCKED_SETTINGS}.{setting}"
        spec = specs.get(setting)
        if spec is None:
            target[setting] = value  # schema check reports the unknown setting
            continue
        if spec.type is bool:
            if kind not in (REG_DWORD, REG_QWORD) or value not in (0, 1):
                problems.append(_type_problem(where, path, kind, "REG_DWORD 0/1"))
                continue
            value = bool(value)
        else:
            expected = "REG_DWORD" if spec.type is int else "REG_SZ"
            value = _checked(value, kind, expected, expand, where, path, problems)
            if value is _BAD:
                continue
        target[setting] = value
        labels[path] = f"{where}\\{name}"


def _locked_path(name: str) -> str:
    """``locked_settings.<setting>`` for a value name (the setting's own spelling when known)."""
    by_lower = {k.lower(): k for k in lockable_settings()}
    return f"{LOCKED_SETTINGS}.{by_lower.get(name.lower(), name)}"


def _sorted(names: Iterable[str]) -> list[str]:
    return sorted(names, key=str.lower)
