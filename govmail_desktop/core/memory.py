"""Give memory the app holds for no use back: freed heap pages, and module sources.

A full sync of a big folder allocates and frees hundreds of megabytes in batches
(FETCH buffers, parsed rows, SQLite's statements) on its worker and writer threads.
glibc keeps what they freed in each thread's malloc arena for reuse, so the resident
size stays near the sync's peak for the rest of the session (measured at 100,000
messages: 13-20 MB held after the sync, more after several). ``malloc_trim(0)`` returns
the free pages of every arena. Elsewhere nothing is done: Windows' heap decommits freed
segments by itself, and other C libraries have no such call.

PySide6 (shiboken's import hook, ``shibokensupport.feature``) reads the source of every
module imported after it with ``inspect.getsource`` to see whether it mentions PySide6, and
``linecache`` keeps every line it read: about 125,000 lines of ~290 modules, 10-11 MB of
Python strings for nothing (measured with tracemalloc at the end of a sync benchmark).
:func:`forget_module_sources` drops them once the app's modules are imported; a traceback
reads the lines it needs again.
"""

from __future__ import annotations

import ctypes
import linecache
import logging
import sys
from typing import Any

log = logging.getLogger(__name__)

_trim: Any = None


def release_free_memory(*, platform: str | None = None) -> bool:
    """Return freed heap pages to the system (glibc's ``malloc_trim``); True if it was done."""
    global _trim
    if not (platform or sys.platform).startswith("linux"):
        return False
    if _trim is None:
        try:
            trim = ctypes.CDLL(None).malloc_trim  # glibc; musl has none
        except (OSError, AttributeError):
            _trim = False
            return False
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
        _trim = trim
    if _trim is False:
        return False
    _trim(0)
    return True


def forget_module_sources() -> int:
    """Drop the module source lines ``linecache`` keeps; returns how many lines were dropped."""
    lines = sum(len(entry[2]) for entry in list(linecache.cache.values()) if len(entry) == 4)
    linecache.clearcache()
    return lines
