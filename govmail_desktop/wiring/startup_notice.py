"""Where the start-up's own messages go: the console when there is one, else a message box.

The windowed executable on Windows (``govmail.exe``, built without a console) has no
``sys.stderr`` (it is None): a start-up error printed there went nowhere, and the official
saw the program simply not open. :func:`tell` shows it in a message box instead. The log
has it either way (the callers log first).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from govmail_desktop import APP_NAME

log = logging.getLogger(__name__)


def _message_box(text: str) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from govmail_desktop.models.plain_text import plain_label

    app = QApplication.instance() or QApplication([APP_NAME])
    box = plain_label(QMessageBox(QMessageBox.Icon.Critical, APP_NAME, text))  # paths, errors: as they are
    box.exec()
    del app


def tell(text: str, *, box: bool = True, show_box: Callable[[str], None] | None = None) -> None:
    """Say ``text`` on ``sys.stderr``, or, when there is none and ``box`` is true, in a message
    box (``show_box``: a seam for tests)."""
    out = sys.stderr
    if out is not None:
        try:
            print(text, file=out)
            out.flush()
            return
        except (OSError, ValueError):  # a console closed or detached: the box then
            pass
    if not box:
        return
    try:
        (show_box or _message_box)(text)
    except Exception as exc:  # noqa: BLE001 - no display, no Qt: the log is all that is left
        log.error("Could not show the start-up message in a window either (%s): %s", exc, text)
