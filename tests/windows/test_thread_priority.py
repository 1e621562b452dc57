"""Background threads really run below normal priority on Windows (read back with GetThreadPriority).

core/threads.py calls SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL) with
declared types (undeclared, the 64-bit pseudo-handle was cut to 32 bits and the call failed
silently). Read back here on the thread the mail cache's bulk writer really uses, and on a
thread lowered directly; the calling (GUI) thread keeps its priority.
"""

from __future__ import annotations

import threading

import pytest

from govmail_desktop.core.threads import THREAD_PRIORITY_BELOW_NORMAL, lower_current_thread_priority

pytestmark = pytest.mark.windows

THREAD_PRIORITY_NORMAL = 0


def thread_priority():
    """GetThreadPriority(GetCurrentThread()) of the calling thread, types declared."""
    import ctypes
    from ctypes import wintypes

    kernel32 = vars(ctypes)["WinDLL"]("kernel32", use_last_error=True)  # Windows' ctypes only
    kernel32.GetCurrentThread.argtypes = []
    kernel32.GetCurrentThread.restype = wintypes.HANDLE
    kernel32.GetThreadPriority.argtypes = [wintypes.HANDLE]
    kernel32.GetThreadPriority.restype = ctypes.c_int
    priority = kernel32.GetThreadPriority(kernel32.GetCurrentThread())
    assert priority != 0x7FFFFFFF, "GetThreadPriority failed (THREAD_PRIORITY_ERROR_RETURN)"
    return priority


def test_a_lowered_thread_reads_back_below_normal_and_the_caller_is_untouched():
    before = thread_priority()
    seen = {}

    def background():
        seen["start"] = thread_priority()
        seen["lowered"] = lower_current_thread_priority()
        seen["after"] = thread_priority()

    worker = threading.Thread(target=background)
    worker.start()
    worker.join()
    assert seen == {"start": before, "lowered": True, "after": before + THREAD_PRIORITY_BELOW_NORMAL}
    assert before == THREAD_PRIORITY_NORMAL
    assert thread_priority() == before  # only the worker was lowered


def test_the_cache_writer_thread_runs_below_normal(tmp_path):
    from govmail_desktop.store.cache import MailCache

    cache = MailCache(tmp_path / "cache.sqlite3")
    seen = []
    cache.insert_rows = lambda folder_id, rows: seen.append((threading.current_thread().name, thread_priority()))
    try:
        with cache.background_writer() as submit:
            submit(1, []).result(timeout=60)
    finally:
        cache.close()
    [(name, priority)] = seen
    assert name.startswith("cache-writer")
    assert priority == THREAD_PRIORITY_BELOW_NORMAL
    assert thread_priority() == THREAD_PRIORITY_NORMAL
