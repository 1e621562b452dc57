"""SIGTERM, SIGINT and SIGHUP end the app the orderly way (Linux and other POSIX systems).

A desktop session ending, ``systemctl --user stop``, ``kill`` or Ctrl+C in the terminal it was
started from send one of these. Python runs a signal handler only between bytecodes, and the
Qt event loop waits in C, so the handler would wait for the next event; and the default
SIGTERM ends the process on the spot. Here the signal wakes the event loop through a socket
(``signal.set_wakeup_fd`` + a :class:`QSocketNotifier`), and the handler quits the event loop:
the shutdown hooks then run as after File → Quit — open messages are kept as drafts, the
outbox and sync stop between steps, the caches close, the instance lock is released.

Windows has no such signals for a windowed program (log-off reaches Qt as a session end);
nothing is installed there.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger(__name__)

#: The signals that ask the app to end.
QUIT_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


class TerminationSignals(QObject):
    """While alive (a child of the application), the quit signals call ``quit``."""

    def __init__(self, parent: QObject, quit: Callable[[], None]) -> None:
        super().__init__(parent)
        self._quit = quit
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous: dict[signal.Signals, object] = {}
        for name in QUIT_SIGNALS:
            number = getattr(signal, name, None)
            # A signal ignored when the app started stays ignored: `nohup govmail` keeps running
            # when its terminal goes, a background start from a shell ignores Ctrl+C.
            if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
                self._previous[number] = signal.signal(number, self._handle)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        """Python code runs here, so the pending handler runs right after the wake-up."""
        try:
            while self._reader.recv(64):
                pass
        except BlockingIOError:
            pass

    def _handle(self, number: int, _frame: object) -> None:
        log.info("Received %s: ending the orderly way", signal.Signals(number).name)
        self._quit()

    def uninstall(self) -> None:
        """Give the signals back (at shutdown: a second SIGTERM then ends the process at once)."""
        for number, previous in self._previous.items():
            signal.signal(number, previous)  # type: ignore[arg-type]
        self._previous.clear()
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def quit_on_termination(parent: QObject, quit: Callable[[], None]) -> TerminationSignals | None:
    """Install :class:`TerminationSignals` (from the main thread); None on Windows."""
    if sys.platform == "win32":
        return None
    return TerminationSignals(parent, quit)
