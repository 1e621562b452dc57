"""The bundled Thai UI font (Sarabun, SIL OFL, from the ``fontpkg-sarabun`` package).

Many office PCs have no Thai font that Qt can find (a fresh Linux install, a
trimmed Windows image): Thai would show as boxes. Registering Sarabun with the
application and making it the application font fixes that everywhere, and gives
officials the typeface family their documents already use (TH Sarabun).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from govmail_desktop.core.paths import resources_dir

log = logging.getLogger(__name__)

FAMILY = "Sarabun"
#: Sarabun's letters are small for their point size: below 11 pt Thai vowel and
#: tone marks get hard to read. A larger desktop default is kept.
MIN_POINT_SIZE = 11.0
#: The styles the UI uses (regular text, bold headers, italic quotes).
STYLES = ("Regular", "Bold", "Italic", "BoldItalic", "Medium", "SemiBold")


def bundled_font_files() -> list[Path]:
    """The TTF files of the fontpkg-sarabun package, else of ``resources/fonts``
    (where a packager may copy them); empty when neither has them."""
    dirs = []
    try:
        import fontpkg_sarabun

        dirs.append(Path(fontpkg_sarabun.ROOT) / "files")
    except ImportError:
        pass
    dirs.append(resources_dir() / "fonts")
    for files_dir in dirs:
        found = [p for style in STYLES if (p := files_dir / f"Sarabun-{style}.ttf").is_file()]
        if found:
            return found
    return []


def register_bundled_fonts() -> str | None:
    """Register the bundled font with Qt; return its family name, or None if unusable.

    Needs a QGuiApplication. Registering twice is harmless (Qt returns the same id).
    """
    families: set[str] = set()
    files = bundled_font_files()
    for path in files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("Qt could not load the bundled font %s", path)
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
