"""Background threads yield the processor to the GUI thread.

The sync threads parse and write for seconds at a time during a big sync; at the
same priority as the GUI thread they also win the race for a processor (and so for
the interpreter lock) often enough to stall the window for tens of milliseconds.
Giving them a slightly lower priority keeps the window responsive and costs the sync
nothing measurable (benchmarks/sync_bench.py: same full-sync time, lower worst GUI
stall). Only ever lowered: a thread cannot raise its priority back without
privileges, so call this in threads that stay in the background.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

#: How much lower (Unix "nice" steps) background threads run.
BACKGROUND_NICE = 5

#: winbase.h THREAD_PRIORITY_BELOW_NORMAL.
THREAD_PRIORITY_BELOW_NORMAL = -1


def lower_current_thread_priority(
    *,
    platform: str | None = None,
    kernel32: Any = None,
    last_error: Callable[[], int] | None = None,
) -> bool:
    """Lower the calling thread's scheduling priority; True if it was done.

    ``platform``, ``kernel32`` and ``last_error`` are seams for tests (the Windows
    call is checked on any system with a fake kernel32).
    """
    platform = sys.platform if platform is None else platform
    try:
        if platform == "win32":
            if kernel32 is None or last_error is None:
                import ctypes

                kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
                last_error = ctypes.get_last_error  # type: ignore[attr-defined]
            return _lower_on_windows(kernel32, last_error)
        if hasattr(os, "setpriority"):
            # Linux schedules threads as tasks: PRIO_PROCESS with the thread id
            # sets this thread only. Elsewhere (macOS) it would set the whole
            # process, which must not happen: leave it.
            if not platform.startswith("linux"):
                return False
            tid = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, tid)
            os.setpriority(os.PRIO_PROCESS, tid, min(19, current + BACKGROUND_NICE))
            return True
    except (OSError, AttributeError, ValueError) as exc:  # never worth failing a sync for
        log.debug("Could not lower the priority of thread %s: %s", threading.current_thread().name, exc)
    return False


def _lower_on_windows(kernel32: Any, last_error: Callable[[], int]) -> bool:
    """SetThreadPriority(GetCurrentThread(), BELOW_NORMAL) with the types declared.

    Without declared types ctypes passes and returns C ``int``: on 64-bit Windows the
    pseudo-handle (HANDLE)-2 is cut to 32 bits and the call fails, silently.
    """
    from ctypes import c_int, wintypes

    kernel32.GetCurrentThread.argtypes = []
    kernel32.GetCurrentThread.restype = wintypes.HANDLE
    kernel32.SetThreadPriority.argtypes = [wintypes.HANDLE, c_int]
    kernel32.SetThreadPriority.restype = wintypes.BOOL
    if kernel32.SetThreadPriority(kernel32.GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL):
        return True
    log.warning(
        "SetThreadPriority failed for thread %s (Windows error %d)",
        threading.current_thread().name,
        last_error(),
    )
    return False
