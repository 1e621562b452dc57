"""Status-bar pieces: sync progress with a cancel button, and the connection state."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from govmail_desktop.ui import icons

OFFLINE = "offline"
CONNECTING = "connecting"
SYNCING = "syncing"
ONLINE = "online"

_ICON_OF_STATE = {
    OFFLINE: "network-offline",
    CONNECTING: "network-offline",
    SYNCING: "network-connected",
    ONLINE: "network-connected",
}


class SyncProgress(QWidget):
    """"กำลังซิงค์ข้อมูล… 1,200/5,000" with a small bar and a cancel button; hidden when idle.

    Signals:
        cancel_requested(): the user pressed the cancel button.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncProgress")
        self.label = QLabel(self)
        self.label.setObjectName("syncProgressLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("syncProgressBar")
        self.bar.setMaximumSize(QSize(140, 14))
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("cancelSyncButton")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.retranslate_ui()
        self.set_progress("", 0, 0)

    def retranslate_ui(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop synchronising now"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_progress(self, text: str, done: int, total: int) -> None:
        """Show work in progress; ``text`` "" hides it; ``total`` 0 means "unknown amount"."""
        if not text:
            self.hide()
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(max(0, min(done, total)))
            self.label.setText(f"{text} {done:,}/{total:,}")
        else:
            self.bar.setRange(0, 0)  # busy indicator
            self.label.setText(text)
        self.show()


def state_icon(state: str) -> QIcon:
    """The status-bar icon of a connection state."""
    return icons.icon(_ICON_OF_STATE.get(state, "network-offline"))
