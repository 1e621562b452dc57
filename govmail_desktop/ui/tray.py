"""System tray icon: unread count (tooltip and badge) and new-mail notifications.

Where the desktop has no system tray (some Linux sessions, the offscreen test
platform) no QSystemTrayIcon is created at all — creating one there only
produces warnings — but the same state is kept (``tooltip()``, ``icon()``)
and notifications are still emitted as :attr:`MailTray.notified`, which the
controller turns into a status-bar notice instead.

Notifications show the sender and subject (what every mail client shows),
never the message text, and only when the ``notify.new_mail`` setting is on.
Both are the sender's text, and freedesktop notification servers may render
markup, so they pass through ``notification_text`` (no ``<``, ``>``, ``&``).
Windows cuts a title over 63 and a text over 255 UTF-16 units wherever the limit
falls, so both are shortened here first, between grapheme clusters, with "…".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from govmail_desktop import APP_NAME
from govmail_desktop.models.plain_text import (
    NOTIFICATION_TEXT_MAX,
    NOTIFICATION_TITLE_MAX,
    notification_text,
    shorten_utf16,
)
from govmail_desktop.ui import icons

log = logging.getLogger(__name__)

ICON_SIZE = 64


def badge_icon(base: QIcon, count: int) -> QIcon:
    """The app icon with a red unread badge ("99+" above 99)."""
    pixmap = base.pixmap(ICON_SIZE, ICON_SIZE) if not base.isNull() else QPixmap(ICON_SIZE, ICON_SIZE)
    if base.isNull():
        pixmap.fill(QColor("#1565c0"))
    if count <= 0:
        return QIcon(pixmap)
    text = "99+" if count > 99 else str(count)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    size = ICON_SIZE * 0.62
    rect = QRect(int(ICON_SIZE - size), 0, int(size), int(size))
    painter.setBrush(QColor("#c62828"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(rect)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * (0.55 if len(text) < 3 else 0.42)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class MailTray(QObject):
    """The tray icon of the main window.

    Signals:
        activated(): the user clicked the icon or a notification (raise the window).
        notified(str, str): a new-mail notification was given (title, text as shown).
    """

    activated = Signal()
    notified = Signal(str, str)

    def __init__(
        self,
        window: QWidget,
        *,
        notifications_enabled: Callable[[], bool] = lambda: True,
        use_system_tray: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self._window = window
        self._notifications_enabled = notifications_enabled
        self._unread = 0
        self._base_icon = icons.icon(icons.APP_ICON)
        self._icon = badge_icon(self._base_icon, 0)
        self._tooltip = ""
        available = QSystemTrayIcon.isSystemTrayAvailable() if use_system_tray is None else use_system_tray
        self.tray: QSystemTrayIcon | None = None
        if available:
            self.tray = QSystemTrayIcon(self._icon, self)
            self.tray.setObjectName("mailTray")
            self.tray.activated.connect(self._on_activated)
            self.tray.messageClicked.connect(self.activated)
            self.menu = QMenu(window)
            self.show_action = self.menu.addAction("")
            self.show_action.triggered.connect(self.activated)
            self.tray.setContextMenu(self.menu)
            self.tray.show()
        self.retranslate_ui()
        log.info("Tray icon: %s", "system tray" if self.tray else "no system tray on this desktop")

    @property
    def available(self) -> bool:
        return self.tray is not None

    def retranslate_ui(self) -> None:
        if self.tray is not None:
            self.show_action.setText(self.tr("Show GovMail"))
        self._update()

    # ------------------------------------------------------------------ state

    @property
    def unread(self) -> int:
        return self._unread

    def tooltip(self) -> str:
        return self._tooltip

    def icon(self) -> QIcon:
        return self._icon

    def set_unread(self, count: int) -> None:
        if count == self._unread:
            return
        self._unread = max(0, count)
        self._icon = badge_icon(self._base_icon, self._unread)
        self._update()

    def _update(self) -> None:
        if self._unread:
            self._tooltip = f"{APP_NAME} — " + self.tr("{count} unread").format(count=f"{self._unread:,}")
        else:
            self._tooltip = f"{APP_NAME} — " + self.tr("no unread mail")
        if self.tray is not None:
            self.tray.setToolTip(self._tooltip)
            self.tray.setIcon(self._icon)

    # ------------------------------------------------------------------ notifications

    def notify_new_mail(self, count: int, senders_and_subjects: list[tuple[str, str]], account: str = "") -> bool:
        """Tell the user new mail arrived; False when notifications are off."""
        if count <= 0 or not self._notifications_enabled():
            return False
        title = self.tr("{count} new message(s)").format(count=count)
        if account:
            title += f" — {account}"
        lines = []
        for sender, subject in senders_and_subjects[:3]:
            lines.append(f"{sender}: {subject}" if subject else sender)
        if count > len(lines) and lines:
            lines.append(self.tr("and {count} more").format(count=count - len(lines)))
        # Windows cuts what exceeds its limits at a UTF-16 unit (inside a Thai cluster):
        # shorten here, between clusters, each line to its share so every sender shows.
        share = (NOTIFICATION_TEXT_MAX - max(0, len(lines) - 1)) // max(1, len(lines))
        shown_title = notification_text(shorten_utf16(title, NOTIFICATION_TITLE_MAX))
        shown_text = notification_text("\n".join(shorten_utf16(line, share) for line in lines))
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(shown_title, shown_text, self._icon, 10_000)
        self.notified.emit(shown_title, shown_text)
        return True

    def _on_activated(self, reason: Any) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.activated.emit()

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()


def raise_window(window: QWidget) -> None:
    """Bring the main window to the front (from the tray or a notification)."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()
