"""The main window's first paint: the composition root shows the window first and joins the
rest of the app to it (passwords, mailboxes, composer, search, the first run) right after the
window has been drawn once, so the user sees the real window as soon as Qt can draw it.

:class:`FirstPaint` emits :attr:`~FirstPaint.painted` once, after the window's first paint
event has been handled, then :attr:`~FirstPaint.ready`. A window the platform does not draw
soon (shown on a hidden workspace, behind a locked screen) does not hold start-up back: after
``fallback_ms`` :attr:`~FirstPaint.ready` is emitted without it (and :attr:`~FirstPaint.painted`
still comes with the first paint).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

#: Longest wait for the first paint before the rest of start-up goes ahead without it.
FALLBACK_MS = 1000


class FirstPaint(QObject):
    """Watches ``window`` (install it before showing the window)."""

    #: Once, after the window's first paint has completed.
    painted = Signal()
    #: Once: right after :attr:`painted`, or after ``fallback_ms`` without a paint.
    ready = Signal()

    def __init__(self, window: QWidget, fallback_ms: int = FALLBACK_MS) -> None:
        super().__init__(window)
        self._window = window
        self._painted = self._ready = self._queued = False
        self._fallback_ms = fallback_ms
        window.installEventFilter(self)
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._not_painted)
        self._fallback.start(fallback_ms)

    @property
    def is_painted(self) -> bool:
        return self._painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint and not self._queued:
            self._queued = True
            QTimer.singleShot(0, self, self._after_paint)  # once this paint has completed
        return False

    def _after_paint(self) -> None:
        self._painted = True
        self._window.removeEventFilter(self)
        log.info("Main window drawn")
        self.painted.emit()
        self._emit_ready()

    def _not_painted(self) -> None:
        log.warning("Main window not drawn within %d ms; start-up goes on without waiting", self._fallback_ms)
        self._emit_ready()

    def _emit_ready(self) -> None:
        if self._ready:
            return
        self._ready = True
        self._fallback.stop()
        self.ready.emit()
