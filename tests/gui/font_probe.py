"""Run in a child process by test_thai_font.py: build the main window in the
current font environment and report which fonts draw its Thai texts.

    python -m tests.gui.font_probe register|no-register
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QFontDatabase

from govmail_desktop.app import create_application
from govmail_desktop.core.settings import Settings
from govmail_desktop.services.message_bridge import MessageBridge
from govmail_desktop.ui.fonts import install_thai_font, rendering_fonts
from govmail_desktop.ui.qt_i18n import LanguageController
from govmail_desktop.wiring.window import build_main_window


def main(mode: str) -> int:
    app = create_application()
    thai_system_fonts = QFontDatabase.families(QFontDatabase.WritingSystem.Thai)
    family = install_thai_font(app) if mode == "register" else None
    language = LanguageController(app)
    language.apply("th")
    window = build_main_window(Settings(None), language, MessageBridge())
    window.show()
    app.processEvents()
    inbox = window.folder_view.model().index(0, 0)
    labels = {
        "inbox": (window.folder_view.font(), inbox.data()),
        "file_menu": (window.menuBar().font(), window.file_menu.title()),
        "offline": (window.connection_label.font(), window.connection_label.text()),
    }
    report = {
        "thai_system_fonts": thai_system_fonts,
        "registered": family,
        "app_font": app.font().family(),
        "labels": {
            name: {"text": text, "fonts_and_missing": rendering_fonts(font, text)}
            for name, (font, text) in labels.items()
        },
    }
    print(json.dumps(report, ensure_ascii=False), flush=True)
    # The window taken down as when the app quits; then the controller goes with main()'s
    # locals, its translators one by one, each removal retranslating through the others.
    # With the catalogue bytes freed with the controller, that crashed (-11) every time here
    # (without this teardown: at random at exit); see ui/qt_i18n._CATALOGUE_BYTES.
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del window
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
