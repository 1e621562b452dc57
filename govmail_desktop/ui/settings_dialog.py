"""Edit → Settings: the user's preferences (UI language, checking for new mail, notifications)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

#: Each language is named in itself, so a user who cannot read the current UI
#: language still finds their own (a common convention; deliberately not tr()).
LANGUAGE_AUTONYMS = (("th", "ไทย"), ("en", "English"))


#: Longest interval offered between checks of every folder (a day).
MAX_CHECK_MINUTES = 24 * 60


@dataclass(frozen=True)
class MailSettings:
    """The mail preferences the dialog shows; ``*_locked``: set by the agency's policy."""

    check_minutes: int = 10
    check_locked: bool = False
    notify: bool = True
    notify_locked: bool = False


class SettingsDialog(QDialog):
    """Shows the preferences and reports what the user accepted.

    Signals:
        language_chosen(str): emitted on OK with the selected language code.
        mail_settings_chosen(int, bool): emitted on OK when the minutes between checks
            of every folder (0: only when asked) or the new-mail notification changed.
    """

    language_chosen = Signal(str)
    mail_settings_chosen = Signal(int, bool)

    def __init__(
        self, current_language: str, parent: QWidget | None = None, mail: MailSettings | None = None
    ) -> None:
        super().__init__(parent)
        self._mail = mail or MailSettings()
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

        self.check_spin = QSpinBox(self)
        self.check_spin.setObjectName("checkMinutesSpin")
        self.check_spin.setRange(0, MAX_CHECK_MINUTES)
        self.check_spin.setValue(max(0, min(MAX_CHECK_MINUTES, int(self._mail.check_minutes))))
        self.check_spin.setEnabled(not self._mail.check_locked)
        self._check_label = QLabel(self)
        self._check_label.setBuddy(self.check_spin)
        self.notify_box = QCheckBox(self)
        self.notify_box.setObjectName("notifyNewMailBox")
        self.notify_box.setChecked(bool(self._mail.notify))
        self.notify_box.setEnabled(not self._mail.notify_locked)

        form = QFormLayout()
        form.addRow(self._language_label, self.language_combo)
        form.addRow(self._check_label, self.check_spin)
        form.addRow("", self.notify_box)
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

    def chosen_mail_settings(self) -> tuple[int, bool]:
        return self.check_spin.value(), self.notify_box.isChecked()

    def accept(self) -> None:
        self.language_chosen.emit(self.chosen_language())
        minutes, notify = self.chosen_mail_settings()
        if (minutes, notify) != (self._mail.check_minutes, self._mail.notify):
            self.mail_settings_chosen.emit(minutes, notify)
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self._language_label.setText(self.tr("&Language:"))
        self._check_label.setText(self.tr("&Check all folders every:"))
        self.check_spin.setSuffix(self.tr(" min"))
        self.check_spin.setSpecialValueText(self.tr("Only when asked (F5)"))
        self.notify_box.setText(self.tr("Show a &notification when new mail arrives"))
        locked = self.tr("Set by your agency's policy")
        self.check_spin.setToolTip(locked if self._mail.check_locked else "")
        self.notify_box.setToolTip(locked if self._mail.notify_locked else "")
        self._note.setText(self.tr("The new language is used at once and saved for the next start."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
