"""The main window's size, place and pane sizes: chosen for the screen at the first
start, the user's own after that.

:class:`WindowLayout` sizes the window for the screen (maximised on a small one),
restores the geometry and splitter sizes saved in the settings, and reports them
back (``changed``) a moment after the user stops dragging a splitter and when the
window closes. It keeps no settings itself: the composition root stores what it
reports. :class:`~govmail_desktop.ui.main_window.MainWindow` owns one and keeps
its public methods (``restore_layout``, ``place_for_screen``, ``layout_state``).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

#: A window this size fits a screen with room to spare; a smaller screen gets
#: the window maximised (1100×720 was cramped on the common 1366×768 laptop).
COMFORTABLE_SIZE = QSize(1280, 800)
#: Room left around the comfortable size before a screen counts as big enough.
SCREEN_MARGIN = QSize(80, 60)
#: Folder pane, message list and preview sizes at the first start (pixels, relative).
DEFAULT_PANE_SIZES = (240, 1040, 300, 420)
#: "folders,messages,list,preview": the two splitters' sizes as saved in the settings.
PANE_SIZES_PATTERN = re.compile(r"\d{1,5}(,\d{1,5}){3}")
#: Pane sizes are saved this long after the user stops dragging a splitter.
LAYOUT_SAVE_DELAY_MS = 800


class WindowLayout(QObject):
    """The window's geometry and its two splitters' sizes, restored and reported.

    Signals:
        changed(str, str): the window geometry (Qt's saved geometry in base64)
            and the pane sizes ("folders,messages,list,preview") the user left;
            emitted a moment after a splitter was moved, and by :meth:`report`.
    """

    changed = Signal(str, str)

    def __init__(
        self, window: QMainWindow, main_splitter: QSplitter, list_splitter: QSplitter, preview_pane: QWidget
    ) -> None:
        super().__init__(window)
        window.resize(COMFORTABLE_SIZE)
        self._window = window
        self._main_splitter = main_splitter
        self._list_splitter = list_splitter
        self._preview_pane = preview_pane
        self._pane_sizes = list(DEFAULT_PANE_SIZES)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LAYOUT_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.report)
        main_splitter.splitterMoved.connect(self._on_splitter_moved)
        list_splitter.splitterMoved.connect(self._on_splitter_moved)

    def restore(self, geometry: str = "", pane_sizes: str = "", available: QRect | None = None) -> None:
        """Before the window is shown: the size, place and pane sizes the user left
        (from the settings), else a size chosen for the screen (``available`` is
        the screen's free area; tests give one)."""
        if PANE_SIZES_PATTERN.fullmatch(pane_sizes or ""):
            sizes = [int(n) for n in pane_sizes.split(",")]
            if all(sizes):
                self._pane_sizes = sizes
                self._main_splitter.setSizes(sizes[:2])
                self._list_splitter.setSizes(sizes[2:])
        if geometry and self._window.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii"))):
            return
        if available is None:
            available = self._window.screen().availableGeometry()
        self.place_for_screen(available)

    def place_for_screen(self, available: QRect) -> None:
        """Maximised on a small screen; else the comfortable size, centred."""
        window = self._window
        small = (
            available.width() < COMFORTABLE_SIZE.width() + SCREEN_MARGIN.width()
            or available.height() < COMFORTABLE_SIZE.height() + SCREEN_MARGIN.height()
        )
        if small:
            # The size it returns to when the user un-maximises it: what fits.
            window.resize(COMFORTABLE_SIZE.boundedTo(available.size() * 0.9))
            window.move(available.topLeft())
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
            return
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMaximized)
        window.resize(COMFORTABLE_SIZE)
        frame = QRect(available.topLeft(), COMFORTABLE_SIZE)
        frame.moveCenter(available.center())
        window.move(frame.topLeft())

    def state(self) -> tuple[str, str]:
        """(geometry in base64, "folders,messages,list,preview") as they are now."""
        self._remember_pane_sizes()
        geometry = bytes(self._window.saveGeometry().toBase64().data()).decode("ascii")
        return geometry, ",".join(str(n) for n in self._pane_sizes)

    def report(self) -> None:
        """Emit ``changed`` with the layout as it is now (a pending report is dropped)."""
        self._timer.stop()
        self.changed.emit(*self.state())

    def _remember_pane_sizes(self) -> None:
        # A hidden preview pane (F8) has no size to keep: its last one stays.
        main = self._main_splitter.sizes()
        listed = self._list_splitter.sizes() if self._preview_pane.isVisible() else self._pane_sizes[2:]
        sizes = [*main, *listed]
        if self._window.isVisible() and len(sizes) == 4 and all(sizes):
            self._pane_sizes = sizes

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._remember_pane_sizes()
        self._timer.start()
