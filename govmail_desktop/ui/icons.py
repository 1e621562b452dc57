"""The project's SVG icons (package data: ``govmail_desktop/resources/icons``)."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtGui import QIcon

from govmail_desktop import resources

log = logging.getLogger(__name__)

APP_ICON = "govmail-desktop"


@cache
def icon(name: str) -> QIcon:
    """The named icon, or an empty icon (never an error: icons are decoration)."""
    path = resources.icon_path(name)
    if path is None:
        log.warning("Icon %s missing (%s)", name, resources.icon_file(name))
        return QIcon()
    return QIcon(str(path))
