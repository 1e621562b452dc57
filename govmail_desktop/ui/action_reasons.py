"""Why an action is disabled: said in its tooltip, and in the status bar when its
shortcut is pressed (instead of the key doing nothing).

:class:`ActionReasons` keeps, for a window's actions, the base tooltip, the
reason each disabled one gives (a catalogue :class:`~govmail_desktop.i18n.catalog.Msg`,
shown in the current language) and the shortcut that says it. The main window
owns one (``MainWindow.set_action_state``, ``MainWindow.disabled_reason``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QWidget

from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.models.plain_text import plain_tooltip


class ActionReasons:
    """Enabled states with their reasons, for the actions of one window.

    ``notify(level, text)`` shows a notice (the window's status bar); the
    shortcuts that explain a disabled action are children of ``window``.
    """

    def __init__(self, window: QWidget, notify: Callable[[str, str], None]) -> None:
        self._window = window
        self._notify = notify
        #: Base tooltips, reasons for being disabled, and shortcuts that say the reason.
        self._tips: dict[QAction, str] = {}
        self._reasons: dict[QAction, Msg] = {}
        self._explainers: dict[QAction, QShortcut] = {}

    def set_state(self, action: QAction, enabled: bool, reason: Msg | None = None) -> None:
        """Enable an action, or disable it saying why (``reason``) in its tooltip; its
        shortcut then shows the reason in the status bar instead of doing nothing."""
        action.setEnabled(enabled)
        if enabled or reason is None:
            self._reasons.pop(action, None)
        else:
            self._reasons[action] = reason
        explainer = self._explainers.get(action)
        explain = not enabled and reason is not None and bool(action.shortcuts())
        if explain and explainer is None:
            explainer = QShortcut(self._window)
            explainer.setKeys(action.shortcuts())
            explainer.setContext(Qt.ShortcutContext.WindowShortcut)
            explainer.activated.connect(lambda a=action: self._explain(a))
            self._explainers[action] = explainer
        if explainer is not None:
            explainer.setEnabled(explain)
        self.apply_tip(action)

    def reason(self, action: QAction) -> str:
        """Why the action is disabled, in the current language ("" when it is enabled)."""
        reason = self._reasons.get(action)
        if reason is None or action.isEnabled():
            return ""
        return QCoreApplication.translate(reason.context, reason.source)

    def set_tip(self, action: QAction, tip: str) -> None:
        """The action's tooltip when enabled (the reason is added below it when not)."""
        self._tips[action] = tip
        self.apply_tip(action)

    def apply_tip(self, action: QAction) -> None:
        """Set the tooltip again: the base tip (else the text without its mnemonic) and the reason."""
        base = self._tips.get(action) or action.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&")
        reason = self.reason(action)
        action.setToolTip(plain_tooltip(f"{base}\n{reason}" if reason else base))

    def _explain(self, action: QAction) -> None:
        reason = self.reason(action)
        if reason:
            self._notify("info", reason)
