"""The bundled Thai UI font (Sarabun, SIL OFL, from the ``fontpkg-sarabun`` package).

Many office PCs have no Thai font that Qt can find (a fresh Linux install, a
trimmed Windows image): Thai would show as boxes. Registering Sarabun with the
application and making it the application font fixes that everywhere, and gives
officials the typeface family their documents already use (TH Sarabun).
"""

from __future__ import annotations

import logging
from importlib.resources.abc import Traversable

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from govmail_desktop import resources

log = logging.getLogger(__name__)

FAMILY = resources.FONT_FAMILY
#: Sarabun's letters are small for their point size: below 11 pt Thai vowel and
#: tone marks get hard to read. A larger desktop default is kept.
MIN_POINT_SIZE = 11.0
#: The styles the UI uses (regular text, bold headers, italic quotes).
STYLES = resources.FONT_STYLES


def bundled_font_files() -> list[Traversable]:
    """The TTF files of the fontpkg-sarabun package (package data); empty without it."""
    return resources.font_files(STYLES)


def register_bundled_fonts() -> str | None:
    """Register the bundled font with Qt; return its family name, or None if unusable.

    Needs a QGuiApplication. Each call registers the files again: register once per process.
    """
    families: set[str] = set()
    files = bundled_font_files()
    for font_file in files:
        # A file, not bytes: Qt keeps reading the font after this call (and PySide's
        # QByteArray of Python bytes need not outlive it: a crash at exit).
        path = resources.real_path(font_file)
        font_id = QFontDatabase.addApplicationFont(str(path)) if path is not None else -1
        if font_id < 0:
            log.warning("Qt could not load the bundled font %s", font_file)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if FAMILY not in families:
        log.warning(
            "Bundled Thai font unavailable (%d file(s) found); Thai may show as boxes "
            "unless a Thai system font is installed",
            len(files),
        )
        return None
    log.info("Registered bundled font %s (%d files)", FAMILY, len(files))
    return FAMILY


def use_as_application_font(app: QGuiApplication, family: str) -> QFont:
    """Make ``family`` the application font, keeping a larger desktop font size."""
    font = QFont(app.font())
    font.setFamilies([family])
    size = font.pointSizeF()
    font.setPointSizeF(max(size if size > 0 else 0.0, MIN_POINT_SIZE))
    app.setFont(font)
    log.info("Application font: %s %.1f pt", family, font.pointSizeF())
    return font


def install_thai_font(app: QGuiApplication) -> str | None:
    """Register the bundled font and use it for the whole UI (start-up step)."""
    family = register_bundled_fonts()
    if family is not None:
        use_as_application_font(app, family)
    return family


def rendering_fonts(font: QFont, text: str) -> tuple[list[str], int]:
    """Which font families Qt really uses to draw ``text`` in ``font`` (after its
    own fallback), and how many glyphs come out as "missing" boxes (glyph 0).

    A diagnostic for tests and the screenshot tool: it answers "will Thai show
    as boxes here?" in the actual font environment.
    """
    from PySide6.QtGui import QTextLayout

    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    families: list[str] = []
    missing = 0
    for run in layout.glyphRuns():
        family = run.rawFont().familyName()
        if family not in families:
            families.append(family)
        missing += sum(1 for glyph in run.glyphIndexes() if glyph == 0)
    return families, missing
