"""Who is logged in to the computer: the login name and the account's full name.

What account provisioning (policy/provisioning.py) builds the user's address and name from.
Both come from the system, never from environment variables a user can set before starting
the app (``USERNAME``, ``LOGNAME``): on Linux the password database for the process's uid
(``pwd``; the full name is the first field of GECOS); on Windows ``GetUserNameExW`` with
``NameSamCompatible`` (``AGENCY\\somchai``) and ``NameDisplay`` (the directory's display name),
asked through an injectable function so tests run anywhere. Nothing here raises: an unknown
fact is "".
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: GetUserNameExW's EXTENDED_NAME_FORMAT values.
NAME_SAM_COMPATIBLE = 2
NAME_DISPLAY = 3


@dataclass(frozen=True)
class OsUser:
    """The OS account: ``login`` as the system gives it (``somchai``, ``AGENCY\\somchai``,
    ``somchai@AGENCY.GO.TH``) and its full name ("" when unknown)."""

    login: str
    full_name: str = ""


def gecos_name(gecos: str) -> str:
    """The full name in a GECOS field ("Somchai Jaidee,Room 5,02-123-4567" → "Somchai Jaidee")."""
    return gecos.split(",", 1)[0].strip()


def _posix_user() -> OsUser:
    try:
        import pwd

        entry = pwd.getpwuid(os.getuid())
    except (ImportError, KeyError, OSError):  # no entry for the uid (a container): nothing known
        return OsUser("")
    return OsUser(entry.pw_name, gecos_name(entry.pw_gecos))


def windows_user_name(name_format: int) -> str:  # pragma: no cover - Windows only
    """``GetUserNameExW(name_format)`` ("" when Windows does not know it)."""
    import ctypes

    secur32 = ctypes.WinDLL("secur32")  # type: ignore[attr-defined,unused-ignore]
    size = ctypes.c_ulong(0)
    secur32.GetUserNameExW(name_format, None, ctypes.byref(size))
    if not size.value:
        return ""
    buffer = ctypes.create_unicode_buffer(size.value)
    if not secur32.GetUserNameExW(name_format, buffer, ctypes.byref(size)):
        return ""
    return str(buffer.value)


def current_os_user(
    *,
    windows_name: Callable[[int], str] | None = None,
    platform: str | None = None,
) -> OsUser:
    """The user running the app. ``windows_name`` stands in for GetUserNameExW (tests)."""
    if (platform or sys.platform) != "win32":
        return _posix_user()
    ask = windows_name or windows_user_name
    facts = []
    for name_format in (NAME_SAM_COMPATIBLE, NAME_DISPLAY):
        try:
            facts.append(ask(name_format).strip())
        except OSError as exc:
            log.info("Windows did not give the user name (format %d): %s", name_format, exc)
            facts.append("")
    return OsUser(facts[0], facts[1])
