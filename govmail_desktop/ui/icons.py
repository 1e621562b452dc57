"""Icons from ``resources/icons`` (SVG, drawn for this project)."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtGui import QIcon

from govmail_desktop.core.paths import resources_dir

log = logging.getLogger(__name__)

APP_ICON = "govmail-desktop"


@cache
def icon(name: str) -> QIcon:
    """The named icon, or an empty icon (never an error: icons are decoration)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        log.warning("Icon %s missing (%s)", name, path)
        return QIcon()
    return QIcon(str(path))
