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


def test_module_sources_read_at_import_are_let_go(tmp_path, monkeypatch):
    """PySide6's import hook reads every later module's source into linecache (10-11 MB for
    the app's modules); forget_module_sources() lets it go. Should a PySide6 release stop
    doing this, the first assertion says the work-around is no longer needed."""
    import linecache

    import PySide6.QtCore  # noqa: F401 - installs the import hook

    from govmail_desktop.core.memory import forget_module_sources

    (tmp_path / "govmail_memory_probe.py").write_text("VALUE = 1\n" * 500, encoding="ascii")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "govmail_memory_probe", raising=False)
    module = __import__("govmail_memory_probe")  # an import statement's way (the hook replaces __import__)
    try:
        assert module.__file__ in linecache.cache, "PySide6's import hook read the module's source"
        assert forget_module_sources() >= 500
        assert module.__file__ not in linecache.cache
        assert linecache.getline(module.__file__, 3) == "VALUE = 1\n"  # read again when asked
    finally:
        sys.modules.pop("govmail_memory_probe", None)
