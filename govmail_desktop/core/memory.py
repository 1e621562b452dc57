"""Give heap memory freed after a big, short-lived peak back to the operating system.

A full sync of a big folder allocates and frees hundreds of megabytes in batches
(FETCH buffers, parsed rows, SQLite's statements) on its worker and writer threads.
glibc keeps what they freed in each thread's malloc arena for reuse, so the resident
size stays near the sync's peak for the rest of the session (measured at 100,000
messages: 13-20 MB held after the sync, more after several). ``malloc_trim(0)`` returns
the free pages of every arena. Elsewhere nothing is done: Windows' heap decommits freed
segments by itself, and other C libraries have no such call.
"""

from __future__ import annotations

import ctypes
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
