"""The app's package data, found through ``importlib.resources``: the one place that knows
where icons, compiled translations and the Thai font live.

* icons: ``govmail_desktop/resources/icons/*.svg`` (drawn for this project);
* translations: ``govmail_desktop/_generated/*.qm`` and ``*.json`` (built by
  ``make translations`` from ``translations/*.ts``, shipped in the wheel);
* the font: the Sarabun TTFs of the ``fontpkg-sarabun`` package.

The same calls work from a source checkout, an installed wheel and a PyInstaller bundle
(where the data are real files too). Nothing here imports Qt: ``govmail-admin`` uses it.
"""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Iterable
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "govmail_desktop"
FONT_PACKAGE = "fontpkg_sarabun"
FONT_FAMILY = "Sarabun"
#: The styles the app registers (regular text, bold headers, italic quotes); govmail-admin doctor
#: looks for the same files.
FONT_STYLES = ("Regular", "Bold", "Italic", "BoldItalic", "Medium", "SemiBold")
ICON_SUFFIX = ".svg"

#: Keeps files that ``as_file`` had to extract (a zipped install) until the process ends:
#: Qt reads an SVG icon's file when it first paints it, not when the QIcon is made.
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)
_paths: dict[str, Path] = {}


def icons_dir() -> Traversable:
    return files(__name__) / "icons"


def icon_file(name: str) -> Traversable:
    """The icon called ``name`` (``mail-reply``), whether or not it exists."""
    return icons_dir() / f"{name}{ICON_SUFFIX}"


def icon_names() -> list[str]:
    """The names of every shipped icon."""
    return sorted(
        entry.name.removesuffix(ICON_SUFFIX) for entry in icons_dir().iterdir() if entry.name.endswith(ICON_SUFFIX)
    )


def icon_path(name: str) -> Path | None:
    """A real file of the icon for APIs that need a path (Qt's QIcon), or None if not shipped."""
    return real_path(icon_file(name))


def real_path(resource: Traversable) -> Path | None:
    """``resource`` as a file on disk (itself where it is one), or None if it does not exist."""
    if not resource.is_file():
        return None
    key = str(resource)
    if key not in _paths:
        _paths[key] = _extracted.enter_context(as_file(resource))
    return _paths[key]


def translations_dir() -> Traversable:
    """The compiled catalogues: ``<name>_<lang>.qm`` for Qt, ``govmail_<lang>.json`` for pure code."""
    return files(PACKAGE) / "_generated"


def source_translations_dir() -> Path | None:
    """``translations/`` of a source checkout (the ``.ts`` sources), None when installed.

    Only for developers: the pure catalogue falls back to the ``.ts`` when nothing is
    built yet, and a stale ``.qm`` is reported.
    """
    package = files(PACKAGE)
    if not isinstance(package, Path):
        return None
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "translations").is_dir():
        return checkout / "translations"
    return None


def font_files(styles: Iterable[str]) -> list[Traversable]:
    """The Sarabun TTFs of the given styles (``Regular``, ``Bold``…) that the font package
    ships, in that order; empty if the package is not installed."""
    try:
        font_dir = files(FONT_PACKAGE) / "files"
    except ModuleNotFoundError:
        return []
    return [f for style in styles if (f := font_dir / f"{FONT_FAMILY}-{style}.ttf").is_file()]
