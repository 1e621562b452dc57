"""core/memory.py: freed heap pages go back to the system after a peak (issue 16 item 6)."""

from __future__ import annotations

import sys

import pytest

from govmail_desktop.core import memory
from govmail_desktop.core.memory import release_free_memory


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim (Linux)")
def test_pages_freed_after_a_peak_are_given_back():
    """64 MB in 4 KB blocks (malloc'd, not mmap'd), all freed but the last one, which pins
    the heap's top: glibc keeps the freed pages resident until they are trimmed."""
    release_free_memory()
    blocks = [bytes(4096) for _ in range(16_384)]
    pin = blocks[-1]
    del blocks
    held = resident_mb()
    assert release_free_memory() is True
    after = resident_mb()
    assert held - after > 32, f"resident {held:.0f} MB before the trim, {after:.0f} MB after"
    assert len(pin) == 4096


def test_nothing_is_done_off_linux(monkeypatch):
    monkeypatch.setattr(memory, "_trim", None)
    assert release_free_memory(platform="win32") is False
    assert memory._trim is None  # no C library was even looked at
