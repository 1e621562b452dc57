r"""Windows Group Policy values under ``HKLM\SOFTWARE\Policies\GovMail``.

Mapping to policy keys (documented in docs/admin.md):

* one subkey per section: ``servers``, ``addresses``, ``tls``, ``accounts``,
  ``recipients``, ``content``, ``attachments``; value name = key name
  (``HKLM\SOFTWARE\Policies\GovMail\servers`` value ``allow``);
* lists are ``REG_MULTI_SZ``; text is ``REG_SZ`` (``REG_EXPAND_SZ`` also accepted,
  environment variables expanded); numbers are ``REG_DWORD``;
* ``locked_settings`` subkey: value name = setting key (``mail.remote_content``),
  ``REG_SZ`` for text settings, ``REG_DWORD`` 0/1 for on/off settings;
* values on the ``GovMail`` key itself: ``schema_version`` (``REG_DWORD``, optional),
  ``description`` (``REG_SZ``).

Names are compared case-insensitively (as Windows does). A value of the wrong
type, an unknown subkey or value name, or an unreadable key is a problem and
the policy fails closed. The reader is injected (:class:`RegistryReader`) so
this is tested on Linux with :class:`InMemoryRegistry`; on Windows,
:class:`WindowsRegistryReader` imports ``winreg`` lazily.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Mapping, Protocol

from govmail_desktop.policy import messages as m
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
_SUBKEY = r"SOFTWARE\Policies\GovMail"

# winreg's type constants (same numbers; winreg itself exists only on Windows).
REG_SZ = 1
REG_EXPAND_SZ = 2
REG_BINARY = 3
REG_DWORD = 4
REG_MULTI_SZ = 7
REG_QWORD = 11

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
        """Names of the direct subkeys ([] when the key does not exist)."""


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
    """The real registry (64-bit view), via winreg imported only when used."""

    def _open(self, subkey: str) -> Any:
        import winreg  # noqa: PLC0415 (Windows only)

        path = _SUBKEY + ("\\" + subkey if subkey else "")
        try:
            return winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE, path, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY
            )
        except FileNotFoundError:
            return None

    def values(self, subkey: str) -> list[tuple[str, Any, int]] | None:
        import winreg  # noqa: PLC0415

        key = self._open(subkey)
        if key is None:
            return None
        out = []
        with key:
            i = 0
            while True:
                try:
                    name, data, kind = winreg.EnumValue(key, i)
                except OSError:
                    break
                out.append((name, data, kind))
                i += 1
        return out

    def subkeys(self, subkey: str) -> list[str]:
        import winreg  # noqa: PLC0415

        key = self._open(subkey)
        if key is None:
            return []
        out = []
        with key:
            i = 0
            while True:
                try:
                    out.append(winreg.EnumKey(key, i))
                except OSError:
                    break
                i += 1
        return out


def _expected_type(path: str) -> str:
    return KEYS[path].registry_type


def _convert(data: Any, kind: int, expected: str) -> Any:
    """Registry data -> JSON-shaped value; raises TypeError when the type is wrong."""
    if expected == "REG_MULTI_SZ" and kind == REG_MULTI_SZ:
        items = list(data or [])
        while items and items[-1] == "":
            items.pop()
        return items
    if expected == "REG_SZ" and kind in (REG_SZ, REG_EXPAND_SZ) and isinstance(data, str):
        return os.path.expandvars(data) if kind == REG_EXPAND_SZ else data
    if expected == "REG_DWORD" and kind in (REG_DWORD, REG_QWORD) and isinstance(data, int):
        return data
    raise TypeError


def _type_problem(source: str, key: str, kind: int, expected: str) -> Problem:
    return Problem(
        source, key,
        m.P_REGISTRY_TYPE.format(found=TYPE_NAMES.get(kind, f"type {kind}"), expected=expected),
    )


def read_registry_policy(
    reader: RegistryReader,
) -> tuple[dict[str, Any] | None, list[Problem], dict[str, str]]:
    """(JSON-shaped policy data or None if no GovMail key, problems, key path -> value label)."""
    problems: list[Problem] = []
    labels: dict[str, str] = {}
    try:
        root_values = reader.values("")
    except OSError as exc:
        return None, [Problem(REGISTRY_ROOT, "", m.P_REGISTRY_UNREADABLE.format(reason=str(exc)))], labels
    if root_values is None:
        return None, problems, labels
    data: dict[str, Any] = {}
    for name, value, kind in root_values:
        if not name:
            continue  # the unnamed "(Default)" value carries nothing for us
        key = name.lower()
        if key not in TOP_LEVEL_VALUES:
            problems.append(Problem(REGISTRY_ROOT, name, m.P_UNKNOWN_KEY.format(
                known=", ".join([*TOP_LEVEL_VALUES, *SECTIONS, LOCKED_SETTINGS]))))
            continue
        try:
            data[key] = _convert(value, kind, _expected_type(key))
            labels[key] = f"{REGISTRY_ROOT}\\{name}"
        except TypeError:
            problems.append(_type_problem(REGISTRY_ROOT, key, kind, _expected_type(key)))
    for sub in _sorted(reader.subkeys("")):
        section = sub.lower()
        where = f"{REGISTRY_ROOT}\\{sub}"
        if section not in (*SECTIONS, LOCKED_SETTINGS):
            problems.append(Problem(REGISTRY_ROOT, sub, m.P_UNKNOWN_KEY.format(
                known=", ".join([*SECTIONS, LOCKED_SETTINGS]))))
            continue
        try:
            values = reader.values(sub) or []
        except OSError as exc:
            problems.append(Problem(where, "", m.P_REGISTRY_UNREADABLE.format(reason=str(exc))))
            continue
        if section == LOCKED_SETTINGS:
            _read_locked(values, where, data, problems, labels)
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
            try:
                converted = _convert(value, kind, _expected_type(path))
            except TypeError:
                problems.append(_type_problem(where, path, kind, _expected_type(path)))
                continue
            if path == "tls.ca_file" and converted == "":
                converted = None  # an empty text box in the GPO editor means "not set"
            target[key] = converted
            labels[path] = f"{where}\\{name}"
    return data, problems, labels


def _read_locked(
    values: Iterable[tuple[str, Any, int]],
    where: str,
    data: dict[str, Any],
    problems: list[Problem],
    labels: dict[str, str],
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
            try:
                value = _convert(value, kind, expected)
            except TypeError:
                problems.append(_type_problem(where, path, kind, expected))
                continue
        target[setting] = value
        labels[path] = f"{where}\\{name}"


def _sorted(names: Iterable[str]) -> list[str]:
    return sorted(names, key=str.lower)
