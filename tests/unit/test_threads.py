"""Background threads run below the GUI thread's priority (core/threads.py)."""

from __future__ import annotations

import os
import threading

import pytest

from govmail_desktop.core.threads import BACKGROUND_NICE, lower_current_thread_priority


def _nice_of(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


@pytest.mark.linux_only  # per-thread nice is a Linux feature
def test_only_the_calling_thread_is_lowered():
    before = _nice_of(threading.get_native_id())
    seen = {}

    def background():
        seen["done"] = lower_current_thread_priority()
        seen["nice"] = _nice_of(threading.get_native_id())

    thread = threading.Thread(target=background)
    thread.start()
    thread.join()
    assert seen["done"] is True
    assert seen["nice"] == min(19, before + BACKGROUND_NICE)
    assert _nice_of(threading.get_native_id()) == before  # this (the "GUI") thread is untouched


@pytest.mark.linux_only  # per-thread nice is a Linux feature
def test_the_cache_writer_thread_runs_lowered(tmp_path, monkeypatch):
    from govmail_desktop.store.cache import MailCache

    seen = []
    def record_nice(self, fid, rows):
        seen.append(_nice_of(threading.get_native_id()))

    monkeypatch.setattr(MailCache, "insert_rows", record_nice)
    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        with cache.background_writer() as submit:
            submit(1, []).result()
    finally:
        cache.close()
    assert seen == [min(19, _nice_of(threading.get_native_id()) + BACKGROUND_NICE)]


class _FakeWinFunction:
    """A kernel32 function as ctypes exposes it: argtypes/restype are set, then it is called."""

    def __init__(self, name: str, calls: list, result):
        self.name = name
        self.calls = calls
        self.result = result
        self.argtypes = None
        self.restype = None
        self.types_when_called: list[tuple] = []

    def __call__(self, *args):
        self.types_when_called.append((self.argtypes, self.restype))
        self.calls.append((self.name, args))
        return self.result


class _FakeKernel32:
    PSEUDO_HANDLE = 0xFFFFFFFFFFFFFFFE  # (HANDLE)-2: needs all 64 bits, an int argument would cut it

    def __init__(self, set_result: int):
        self.calls: list = []
        self.GetCurrentThread = _FakeWinFunction("GetCurrentThread", self.calls, self.PSEUDO_HANDLE)
        self.SetThreadPriority = _FakeWinFunction("SetThreadPriority", self.calls, set_result)


def test_windows_call_declares_handle_types_before_calling():
    from ctypes import c_int, wintypes

    kernel32 = _FakeKernel32(set_result=1)
    assert lower_current_thread_priority(platform="win32", kernel32=kernel32, last_error=lambda: 0) is True
    # The types are in place when each function is called, not after.
    assert kernel32.GetCurrentThread.types_when_called == [([], wintypes.HANDLE)]
    assert kernel32.SetThreadPriority.types_when_called == [([wintypes.HANDLE, c_int], wintypes.BOOL)]
    assert kernel32.calls == [
        ("GetCurrentThread", ()),
        ("SetThreadPriority", (_FakeKernel32.PSEUDO_HANDLE, -1)),  # THREAD_PRIORITY_BELOW_NORMAL
    ]


def test_windows_failure_is_logged_with_the_error_code(caplog):
    kernel32 = _FakeKernel32(set_result=0)
    with caplog.at_level("DEBUG", logger="govmail_desktop.core.threads"):
        done = lower_current_thread_priority(platform="win32", kernel32=kernel32, last_error=lambda: 6)
    assert done is False
    failures = [r for r in caplog.records if "SetThreadPriority" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].levelname == "WARNING"
    assert "error 6)" in failures[0].getMessage()


@pytest.mark.windows  # the real SetThreadPriority
def test_windows_priority_reads_back_below_normal():
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.GetCurrentThread.restype = wintypes.HANDLE
    kernel32.GetThreadPriority.argtypes = [wintypes.HANDLE]
    kernel32.GetThreadPriority.restype = ctypes.c_int
    seen = {}

    def background():
        seen["done"] = lower_current_thread_priority()
        seen["priority"] = kernel32.GetThreadPriority(kernel32.GetCurrentThread())

    thread = threading.Thread(target=background)
    thread.start()
    thread.join()
    assert seen == {"done": True, "priority": -1}  # THREAD_PRIORITY_BELOW_NORMAL
