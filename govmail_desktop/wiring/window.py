"""The main window joined to the settings, the language and the message bridge; the
settings it keeps (one setting, the window's layout, the language).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.settings import Setting, Settings

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)

    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.ui.main_window import MainWindow
    from govmail_desktop.ui.qt_i18n import LanguageController
    from govmail_desktop.wiring.context import SetupWizardLauncher

log = logging.getLogger(__name__)


T = TypeVar("T")


def build_main_window(
    settings: Settings,
    language: LanguageController,
    bridge: MessageBridge,
    *,
    setup_wizard_launcher: SetupWizardLauncher | None = None,
) -> MainWindow:
    """The main window wired to the language controller, the settings and the bridge.

    Needs a QApplication; does not show the window or run the event loop.
    """
    from govmail_desktop.ui.main_window import MainWindow

    window = MainWindow(language=language.language, show_preview=settings.mail_preview_pane)
    # The size, place and pane sizes the user left last time (else chosen for the screen).
    window.restore_layout(settings.ui_window_geometry, settings.ui_pane_sizes)
    window.layout_changed.connect(partial(save_window_layout, settings, bridge))
    bridge.message.connect(window.show_message)
    window.language_requested.connect(partial(switch_language, settings, language, bridge))
    language.language_changed.connect(window.set_current_language)
    window.preview_pane_toggled.connect(
        lambda on: save_setting(settings, bridge, Settings.mail_preview_pane, bool(on))
    )
    window.set_add_account_handler(setup_wizard_launcher)
    return window


def save_setting(settings: Settings, bridge: MessageBridge, setting: Setting[T], value: T) -> bool:
    """Change one setting and write the file; problems go to the message bridge."""
    try:
        settings.set(setting, value)
        settings.save()
    except GovMailError as err:
        bridge.report_error(err)
        return False
    log.info("Setting %s changed", setting.key)
    return True


def save_window_layout(settings: Settings, bridge: MessageBridge, geometry: str, pane_sizes: str) -> None:
    """Keep the window's geometry and pane sizes for the next start (written only when changed)."""
    changed = False
    for setting, value in ((Settings.ui_window_geometry, geometry), (Settings.ui_pane_sizes, pane_sizes)):
        if settings.value(setting) != value and not settings.is_locked(setting):
            try:
                settings.set(setting, value)
            except GovMailError as err:
                log.warning("Window layout not kept: %s", err)
                return
            changed = True
    if changed:
        try:
            settings.save()
        except GovMailError as err:
            bridge.report_error(err)


def switch_language(settings: Settings, language: LanguageController, bridge: MessageBridge, lang: str) -> None:
    """Use ``lang`` now (live retranslation) and keep it for the next start."""
    language.apply(lang)
    save_setting(settings, bridge, Settings.ui_language, language.language)
