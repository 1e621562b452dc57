"""Edit → Settings: the user's preferences (today: the UI language)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

#: Each language is named in itself, so a user who cannot read the current UI
#: language still finds their own (a common convention; deliberately not tr()).
LANGUAGE_AUTONYMS = (("th", "ไทย"), ("en", "English"))


class SettingsDialog(QDialog):
    """Shows the preferences and reports what the user accepted.

    Signals:
        language_chosen(str): emitted on OK with the selected language code.
    """

    language_chosen = Signal(str)

    def __init__(self, current_language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(420)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("languageCombo")
        for code, name in LANGUAGE_AUTONYMS:
            self.language_combo.addItem(name, code)
        index = self.language_combo.findData(current_language)
        self.language_combo.setCurrentIndex(max(index, 0))

        self._language_label = QLabel(self)
        self._language_label.setBuddy(self.language_combo)
        self._note = QLabel(self)
        self._note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self._language_label, self.language_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._note)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def chosen_language(self) -> str:
        return str(self.language_combo.currentData())

    def accept(self) -> None:
        self.language_chosen.emit(self.chosen_language())
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self._language_label.setText(self.tr("&Language:"))
        self._note.setText(self.tr("The new language is used at once and saved for the next start."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
