"""The process's AppUserModelID on Windows: the id the taskbar, the Start-menu shortcut and
toast notifications group the app by.

Without it Windows names the notifications and taskbar button after the interpreter
("Python") and does not tie them to the Start-menu shortcut the MSI installs, which carries
:data:`govmail_desktop.WINDOWS_APP_USER_MODEL_ID` (packaging/windows). It must be set before
the first window exists. Elsewhere nothing is done.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

log = logging.getLogger(__name__)


def set_app_user_model_id(app_id: str, *, platform: str | None = None, shell32: Any = None) -> bool:
    """Make ``app_id`` this process's AppUserModelID; True if Windows took it.

    ``platform`` and ``shell32`` are seams for tests (the call is checked on any system with
    a fake shell32). The function's types are declared before the call: the id is a wide
    string (LPCWSTR) and the result an HRESULT (negative: failed, and logged).
    """
    platform = sys.platform if platform is None else platform
    if platform != "win32":
        return False
    try:
        import ctypes

        if shell32 is None:
            shell32 = ctypes.WinDLL("shell32")  # type: ignore[attr-defined]
        setter = shell32.SetCurrentProcessExplicitAppUserModelID
        setter.argtypes = [ctypes.c_wchar_p]
        setter.restype = ctypes.c_long  # HRESULT
        result = int(setter(app_id))
    except (OSError, AttributeError, ValueError) as exc:  # never worth failing the start for
        log.warning("Could not set the AppUserModelID %s: %s", app_id, exc)
        return False
    if result < 0:
        log.warning("Could not set the AppUserModelID %s: HRESULT 0x%08X", app_id, result & 0xFFFFFFFF)
        return False
    return True
