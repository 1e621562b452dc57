r"""Re-reads the machine policy while the app runs (policy/live.py swaps it in).

When: every :data:`CHECK_MINUTES` minutes; at once when the policy file changes
(:class:`QFileSystemWatcher` on the file and its folder — an admin's editor or the
deployment tool replaces the file); and on Windows when Group Policy has been applied —
Windows then broadcasts ``WM_SETTINGCHANGE`` with the text ``"Policy"`` to every top-level
window, which :class:`PolicyBroadcastFilter` (a native event filter, installed on Windows
only) catches. The registry is read again at each check, so a Group Policy refresh that did
not broadcast is still picked up within the period.

The read (file, registry, owner/DACL checks) runs on a worker thread, never the GUI thread;
its result is swapped in on the GUI thread, where the listeners (the notice, the preview's
content rules) run. Checks that arrive while a read runs are coalesced into one more read.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QAbstractNativeEventFilter,
    QByteArray,
    QCoreApplication,
    QFileSystemWatcher,
    QObject,
    QTimer,
    Signal,
)

from govmail_desktop.policy.live import PolicyChange, PolicyReloader
from govmail_desktop.policy.sources import EffectivePolicy

log = logging.getLogger(__name__)

#: How often the machine policy is read again without a signal (Group Policy's own
#: background refresh is every 90 minutes; this picks up a refresh within 5 minutes).
CHECK_MINUTES = 5
#: A burst of file events (an editor writes, renames, touches) gives one read this much later.
SETTLE_MS = 500

WM_SETTINGCHANGE = 0x001A
#: The lParam text of the broadcast Windows sends after applying Group Policy.
POLICY_AREA = "Policy"
#: Longest lParam text read (the areas Windows names are short: "Policy", "Environment"...).
MAX_AREA_CHARS = 64
#: The event type of a Windows message in a native event filter.
WINDOWS_MSG = b"windows_generic_MSG"


class MSG(ctypes.Structure):
    """The first members of Windows' ``MSG`` (winuser.h): what the filter reads. Declared with
    pointer-sized integers (``WPARAM`` = UINT_PTR, ``LPARAM`` = LONG_PTR), so it is the same
    layout on 32- and 64-bit Windows; the members after ``lParam`` are never read."""

    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
    ]


def read_utf16(address: int, limit: int = MAX_AREA_CHARS) -> str | None:
    """The NUL-terminated UTF-16 text at ``address`` (at most ``limit`` characters; None:
    no text or longer). Read unit by unit, never past the terminator (``wchar_t`` is 2 bytes
    on Windows only: ``ctypes.wstring_at`` would read 4 elsewhere)."""
    if not address:
        return None
    units: list[int] = []
    for index in range(limit + 1):
        unit = ctypes.c_uint16.from_address(address + 2 * index).value
        if unit == 0:
            return bytes(b for u in units for b in u.to_bytes(2, "little")).decode("utf-16-le", "replace")
        units.append(unit)
    return None


def is_policy_broadcast(message: int, area: str | None) -> bool:
    """Whether a window message says Group Policy was applied (``WM_SETTINGCHANGE``, "Policy")."""
    return message == WM_SETTINGCHANGE and area is not None and area.casefold() == POLICY_AREA.casefold()


def message_is_policy_broadcast(address: int, read_text: Callable[[int], str | None] = read_utf16) -> bool:
    """The same, for a ``MSG`` at ``address`` (what a native event filter is given)."""
    if not address:
        return False
    msg = MSG.from_address(address)
    if msg.message != WM_SETTINGCHANGE:
        return False
    return is_policy_broadcast(msg.message, read_text(int(msg.lParam)))


def _event_type(value: QByteArray | bytes | bytearray | memoryview) -> bytes:
    return bytes(value.data()) if isinstance(value, QByteArray) else bytes(value)


class PolicyBroadcastFilter(QAbstractNativeEventFilter):
    """Calls ``on_policy()`` when Windows broadcasts that Group Policy was applied; lets every
    message through (the filter only listens)."""

    def __init__(self, on_policy: Callable[[], None]) -> None:
        super().__init__()
        self._on_policy = on_policy

    def nativeEventFilter(
        self, eventType: QByteArray | bytes | bytearray | memoryview, message: int, /
    ) -> tuple[bool, int]:
        try:
            if _event_type(eventType) == WINDOWS_MSG and message_is_policy_broadcast(int(message)):
                log.info("Windows says Group Policy was applied: reading the policy again")
                self._on_policy()
        except Exception:  # a filter must never break the event loop
            log.exception("Reading a window message failed")
        return False, 0


class PolicyWatcher(QObject):
    """Reads the policy again when it may have changed and swaps it in (on the GUI thread).

    Signals:
        changed(object): a :class:`PolicyChange` after a swap that changed something.
    """

    changed = Signal(object)

    def __init__(
        self,
        reloader: PolicyReloader,
        *,
        files: Sequence[Path] = (),
        interval_ms: int = CHECK_MINUTES * 60 * 1000,
        native_filter: bool = sys.platform == "win32",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.reloader = reloader
        self._files = [Path(f) for f in files]
        self._busy = False
        self._again = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check_now)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._file_event)
        self._watcher.directoryChanged.connect(self._file_event)
        self._relay = _Relay(self)
        self._relay.done.connect(self._apply)
        self._filter: PolicyBroadcastFilter | None = None
        if native_filter:
            self._filter = PolicyBroadcastFilter(self.check_now)

    def start(self) -> None:
        self._timer.start()
        self._watch_files()
        app = QCoreApplication.instance()
        if self._filter is not None and app is not None:
            app.installNativeEventFilter(self._filter)
        log.info("Watching the machine policy (every %d min; files: %s; Windows broadcast: %s)",
                 self._timer.interval() // 60000, ", ".join(map(str, self._files)) or "-",
                 "yes" if self._filter is not None else "no")

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()
        self._settle.stop()
        app = QCoreApplication.instance()
        if self._filter is not None and app is not None:
            app.removeNativeEventFilter(self._filter)

    def _watch_files(self) -> None:
        """The files and their folders (a replaced file leaves the watch; a missing one may come)."""
        wanted = [str(p) for f in self._files for p in (f, f.parent) if p.exists()]
        missing = [p for p in dict.fromkeys(wanted) if p not in (*self._watcher.files(), *self._watcher.directories())]
        if missing:
            self._watcher.addPaths(missing)

    def _file_event(self, _path: str) -> None:
        self._watch_files()
        self._settle.start()

    def check_now(self) -> None:
        """Read the policy again on a worker thread (one more time if a read is running)."""
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        # The thread holds only the relay, a child of the watcher: the watcher's last reference
        # never goes away on the thread (a Qt object must be destroyed on its own thread).
        threading.Thread(target=_read_for, args=(self._relay, self.reloader), name="policy-reload",
                         daemon=True).start()

    def _apply(self, new: EffectivePolicy) -> None:
        self._busy = False
        if self._stopped:
            return
        change = self.reloader.apply(new)
        if change is not None:
            self.changed.emit(change)
        if self._again:
            self._again = False
            self.check_now()


class _Relay(QObject):
    """Carries a read's result from the worker thread to the watcher (queued, GUI thread)."""

    done = Signal(object)


def _read_for(relay: _Relay, reloader: PolicyReloader) -> None:
    new = reloader.read()
    try:
        relay.done.emit(new)
    except RuntimeError:  # the watcher (and its relay) was deleted at exit while reading
        log.debug("Policy read after the watcher was closed")


__all__ = ["PolicyChange", "PolicyWatcher", "PolicyBroadcastFilter", "is_policy_broadcast",
           "message_is_policy_broadcast", "read_utf16"]
