"""``govmail --self-test``: start as on a desk, show the main window, say what was found, exit.

For installers and their tests (``make test-deb`` runs it in a clean Debian 12 root) and the
start-up benchmark: after the main window's first paint it prints, in the user's language,
the window and the Qt platform (at once: the benchmark's measuring point), then, once the rest
of start-up has joined the window, the UI font and the fonts Qt really draws Thai text with, and
the icons found, the password store (keyring backend) the app would use and the country the
app's own offline lookup (policy/server.py, iptocc) gives for a Thai address; then it quits with
:data:`EXIT_OK`, or :data:`EXIT_FAILED` when the Thai font or an icon is missing (Thai would show
as boxes, buttons would be blank), when passwords could not be kept in the system's own password
store (GNOME Keyring/KWallet, Windows Credential Manager), or when the lookup does not say TH for
that address (every connection would be refused). No account is needed, no setup wizard opens,
nothing is written to the keyring and no connection is made.

The report also goes to the log (``Self-test report: <line>``), so that a windowed executable
started without a standard output (``govmail.exe`` on Windows) still leaves it somewhere to read
(tools/windows_smoke.py reads either).
"""

from __future__ import annotations

import ipaddress
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from govmail_desktop import resources
from govmail_desktop.core.errors import CredentialsError
from govmail_desktop.credentials import CredentialStore, backend_name
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.policy import server
from govmail_desktop.ui import fonts, icons
from govmail_desktop.wiring.first_paint import FirstPaint

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
#: Longest wait for the first paint; a window never painted is a failure, not a hang.
FIRST_PAINT_TIMEOUT_MS = 60_000
#: Thai text the check draws (consonants, vowels above and below, tone marks).
THAI_SAMPLE = "จดหมายอิเล็กทรอนิกส์ ภาษาไทย กรุงเทพฯ ๑๒๓"
#: A public address registered to Thailand in the RIR data iptocc carries (APNIC, in TOT's
#: 1.0.128.0/17): looked up offline, no connection is made.
THAI_ADDRESS = "1.0.128.1"
EXPECTED_COUNTRY = "TH"
#: What the log lines of the report start with (tools/windows_smoke.py looks for it).
LOG_PREFIX = "Self-test report: "

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
KEYRING_LINE = QT_TRANSLATE_NOOP("SelfTest", "Password store (keyring backend): {backend}")
COUNTRY_LINE = QT_TRANSLATE_NOOP("SelfTest", "Country of {address} (offline lookup): {country}")
NO_OS_KEYRING = QT_TRANSLATE_NOOP(
    "SelfTest", "passwords cannot be kept in the system's password store ({detail})"
)
WRONG_COUNTRY = QT_TRANSLATE_NOOP(
    "SelfTest", "the offline country lookup gives {country} for a Thai address, not {expected}"
)


@dataclass(frozen=True)
class Check:
    """One more line of the report, and why it fails (None: it passed)."""

    line: str
    reason: Msg | None = None


def keyring_check(store: CredentialStore | None) -> Check:
    """The keyring backend the app keeps passwords with (``store``: the one the composition root
    built for this run; None: none): fails unless it is the system's own password store
    (credentials.select_backend's rule). Nothing is read or written."""
    if store is None:
        return Check(KEYRING_LINE.format(backend="-").text(), NO_OS_KEYRING.format(detail="-"))
    try:
        backend = store.backend()
    except CredentialsError as exc:
        return Check(KEYRING_LINE.format(backend="-").text(), NO_OS_KEYRING.format(detail=exc.detail or exc.code))
    return Check(KEYRING_LINE.format(backend=backend_name(backend)).text())


def country_check(registry: server.AddressRegistry | None = None) -> Check:
    """The country the server policy's registry (the offline RIR data) gives :data:`THAI_ADDRESS`:
    fails unless TH (a missing or broken database would refuse every server)."""
    found = (registry if registry is not None else server.DEFAULT_REGISTRY).country_of(
        ipaddress.ip_address(THAI_ADDRESS)
    )
    country = found or "-"
    line = COUNTRY_LINE.format(address=THAI_ADDRESS, country=country).text()
    if found != EXPECTED_COUNTRY:
        return Check(line, WRONG_COUNTRY.format(country=country, expected=EXPECTED_COUNTRY))
    return Check(line)


def system_checks(store: CredentialStore | None) -> list[Check]:
    """The checks beyond the window: the keyring backend (of ``store``) and the country lookup."""
    return [keyring_check(store), country_check()]


def shown_line(app: QApplication, window: QWidget) -> str:
    """The report's first line: the window was shown (its size, the Qt platform)."""
    size = window.size()
    return WINDOW_SHOWN.format(width=size.width(), height=size.height(), platform=app.platformName()).text()


def report(
    app: QApplication, window: QWidget, font_family: str | None, checks: Sequence[Check]
) -> tuple[list[str], list[Msg]]:
    """The report's lines and the reasons it failed (none: passed); ``checks``: the lines after the
    icons (:func:`system_checks`)."""
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
    for check in checks:
        lines.append(check.line)
        if check.reason is not None:
            reasons.append(check.reason)
    return lines, reasons


class _SelfTest(QObject):
    """Says the window was shown once it has been painted; the rest of the report (the fonts, the
    icons) and the exit come after the rest of start-up (``first_paint.ready``'s slots) has run."""

    def __init__(
        self, app: QApplication, window: QWidget, font_family: str | None, out: TextIO | None,
        first_paint: FirstPaint, store: Callable[[], CredentialStore | None],
    ) -> None:
        super().__init__(window)
        self._app, self._window, self._font_family, self._out = app, window, font_family, out
        self._store = store
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
        self._write([shown_line(self._app, self._window)])
        QTimer.singleShot(0, self, self._finish)  # after the rest of start-up

    def _finish(self) -> None:
        lines, reasons = report(self._app, self._window, self._font_family, system_checks(self._store()))
        self._end(lines[1:], reasons)

    def _never_painted(self) -> None:
        self._done = True
        self._end([], [NEVER_PAINTED.format(seconds=FIRST_PAINT_TIMEOUT_MS // 1000)])

    def _end(self, lines: list[str], reasons: list[Msg]) -> None:
        if reasons:
            lines.append(FAILED.format(reasons="; ".join(r.text() for r in reasons)).text())
        else:
            lines.append(PASSED.text())
        self._write(lines)
        self._app.exit(EXIT_FAILED if reasons else EXIT_OK)


    def _write(self, lines: list[str]) -> None:
        """To the standard output when there is one (not in a windowed executable), and the log."""
        for line in lines:
            log.info("%s%s", LOG_PREFIX, line)
        if self._out is not None:
            self._out.write("\n".join(lines) + "\n")
            self._out.flush()


def attach_self_test(
    app: QApplication,
    window: QWidget,
    font_family: str | None,
    out: TextIO | None = None,
    first_paint: FirstPaint | None = None,
    store: Callable[[], CredentialStore | None] = lambda: None,
) -> QObject:
    """Report and quit after ``window``'s first paint (the returned object lives with the window).

    Attach it before the composition root connects the rest of start-up to ``first_paint``.
    ``out`` defaults to the standard output, which a windowed executable may not have (None): the
    report then goes to the log only. ``store`` gives the password store the composition root
    built for this run (its keyring line; ready by the time the report is written).
    """
    watcher = first_paint if first_paint is not None else FirstPaint(window)
    return _SelfTest(app, window, font_family, out if out is not None else sys.stdout, watcher, store)
