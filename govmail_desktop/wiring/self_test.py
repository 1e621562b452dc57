"""``govmail --self-test``: start as on a desk, show the main window, say what was found, exit.

For installers and their tests (``make test-deb`` runs it in a clean Debian 12 root) and the
start-up benchmark: after the main window's first paint it prints, in the user's language,
the window and the Qt platform (at once: the benchmark's measuring point), then, once the rest
of start-up has joined the window, the UI font and the fonts Qt really draws Thai text with, and
the icons found; then it quits with :data:`EXIT_OK`, or :data:`EXIT_FAILED` when the Thai
font or an icon is missing (Thai would show as boxes, buttons would be blank). No account is
needed and no setup wizard opens.
"""

from __future__ import annotations

import sys
from typing import TextIO

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from govmail_desktop import resources
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.ui import fonts, icons
from govmail_desktop.wiring.first_paint import FirstPaint

EXIT_OK = 0
EXIT_FAILED = 1
#: Longest wait for the first paint; a window never painted is a failure, not a hang.
FIRST_PAINT_TIMEOUT_MS = 60_000
#: Thai text the check draws (consonants, vowels above and below, tone marks).
THAI_SAMPLE = "จดหมายอิเล็กทรอนิกส์ ภาษาไทย กรุงเทพฯ ๑๒๓"

WINDOW_SHOWN = QT_TRANSLATE_NOOP("SelfTest", "Self-test: main window shown ({width}×{height}, Qt platform {platform})")
FONT_LINE = QT_TRANSLATE_NOOP("SelfTest", "User interface font: {family}")
THAI_LINE = QT_TRANSLATE_NOOP("SelfTest", "Thai text drawn with: {families}; missing letters: {missing}")
ICONS_LINE = QT_TRANSLATE_NOOP("SelfTest", "Icons found: {found} of {total}")
PASSED = QT_TRANSLATE_NOOP("SelfTest", "Self-test passed.")
FAILED = QT_TRANSLATE_NOOP("SelfTest", "Self-test failed: {reasons}")
NO_THAI_FONT = QT_TRANSLATE_NOOP("SelfTest", "the bundled Thai font (Sarabun) was not found")
THAI_BOXES = QT_TRANSLATE_NOOP("SelfTest", "Thai letters would show as boxes")
ICONS_MISSING = QT_TRANSLATE_NOOP("SelfTest", "icons that cannot be drawn: {names}")
NO_ICONS = QT_TRANSLATE_NOOP("SelfTest", "no icons were found")
NEVER_PAINTED = QT_TRANSLATE_NOOP("SelfTest", "the main window was not drawn within {seconds} seconds")


def shown_line(app: QApplication, window: QWidget) -> str:
    """The report's first line: the window was shown (its size, the Qt platform)."""
    size = window.size()
    return WINDOW_SHOWN.format(width=size.width(), height=size.height(), platform=app.platformName()).text()


def report(app: QApplication, window: QWidget, font_family: str | None) -> tuple[list[str], list[Msg]]:
    """The report's lines and the reasons it failed (none: passed)."""
    reasons: list[Msg] = []
    ui_font = app.font()
    used, missing = fonts.rendering_fonts(ui_font, THAI_SAMPLE)
    if font_family != fonts.FAMILY or ui_font.family() != fonts.FAMILY:
        reasons.append(NO_THAI_FONT)
    if missing:
        reasons.append(THAI_BOXES)
    names = resources.icon_names()
    broken = [name for name in names if icons.icon(name).pixmap(32, 32).isNull()]
    if not names:
        reasons.append(NO_ICONS)
    elif broken:
        reasons.append(ICONS_MISSING.format(names=", ".join(broken)))
    lines = [
        shown_line(app, window),
        FONT_LINE.format(family=ui_font.family()).text(),
        THAI_LINE.format(families=", ".join(used) or "-", missing=missing).text(),
        ICONS_LINE.format(found=len(names) - len(broken), total=len(names)).text(),
    ]
    return lines, reasons


class _SelfTest(QObject):
    """Says the window was shown once it has been painted; the rest of the report (the fonts, the
    icons) and the exit come after the rest of start-up (``first_paint.ready``'s slots) has run."""

    def __init__(
        self, app: QApplication, window: QWidget, font_family: str | None, out: TextIO, first_paint: FirstPaint
    ) -> None:
        super().__init__(window)
        self._app, self._window, self._font_family, self._out = app, window, font_family, out
        self._done = False
        first_paint.painted.connect(self._painted)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._never_painted)
        self._timeout.start(FIRST_PAINT_TIMEOUT_MS)

    def _painted(self) -> None:
        if self._done:
            return
        self._done = True
        self._timeout.stop()
        self._out.write(shown_line(self._app, self._window) + "\n")
        self._out.flush()
        QTimer.singleShot(0, self, self._finish)  # after the rest of start-up

    def _finish(self) -> None:
        lines, reasons = report(self._app, self._window, self._font_family)
        self._end(lines[1:], reasons)

    def _never_painted(self) -> None:
        self._done = True
        self._end([], [NEVER_PAINTED.format(seconds=FIRST_PAINT_TIMEOUT_MS // 1000)])

    def _end(self, lines: list[str], reasons: list[Msg]) -> None:
        if reasons:
            lines.append(FAILED.format(reasons="; ".join(r.text() for r in reasons)).text())
        else:
            lines.append(PASSED.text())
        self._out.write("\n".join(lines) + "\n")
        self._out.flush()
        self._app.exit(EXIT_FAILED if reasons else EXIT_OK)


def attach_self_test(
    app: QApplication,
    window: QWidget,
    font_family: str | None,
    out: TextIO | None = None,
    first_paint: FirstPaint | None = None,
) -> QObject:
    """Report and quit after ``window``'s first paint (the returned object lives with the window).

    Attach it before the composition root connects the rest of start-up to ``first_paint``.
    """
    watcher = first_paint if first_paint is not None else FirstPaint(window)
    return _SelfTest(app, window, font_family, out if out is not None else sys.stdout, watcher)
