"""Background threads run below the GUI thread's priority (core/threads.py)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from govmail_desktop.core.threads import BACKGROUND_NICE, lower_current_thread_priority


def _nice_of(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is a Linux feature")
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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is a Linux feature")
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
