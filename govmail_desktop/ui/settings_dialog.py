"""Edit → Settings: the user's preferences (UI language, checking for new mail, notifications)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.policy.model import MAX_DOWNLOAD_DAYS
from govmail_desktop.store.remote_senders import RemoteSenders

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


@dataclass(frozen=True)
class RemoteImagesSettings:
    """The user's ``mail.remote_content`` as the dialog shows it; ``locked``: the policy sets it;
    ``forbidden``: the policy allows no remote content at all."""

    mode: str = "block"
    locked: bool = False
    forbidden: bool = False


@dataclass(frozen=True)
class FormatSettings:
    """The user's ``mail.prefer_plain_text`` as the dialog shows it; ``locked``: the policy sets
    it; ``forced``: the policy's ``content.force_plain_text`` shows every message as plain text."""

    prefer_plain: bool = False
    locked: bool = False
    forced: bool = False


#: The choices offered: "ask" shows the same bar as "block", so it is shown as "block".
REMOTE_MODES = ("block", "allow")


@dataclass(frozen=True)
class SearchDownloadSettings:
    """The user's ``search.download_days`` as the dialog shows it (0: off); ``locked``: the policy
    sets it; ``cap``: the policy's ``search.max_download_days`` (0: the download is not allowed)."""

    days: int = 30
    locked: bool = False
    cap: int = MAX_DOWNLOAD_DAYS

    @property
    def fixed(self) -> bool:
        """The user cannot change it: locked, or not allowed at all."""
        return self.locked or self.cap <= 0

    @property
    def shown(self) -> int:
        """The days in force: never above the cap."""
        return max(0, min(self.days, self.cap))


class SettingsDialog(QDialog):
    """Shows the preferences and reports what the user accepted.

    Signals:
        language_chosen(str): emitted on OK with the selected language code.
        remote_mode_chosen(str): emitted on OK when the choice for remote images changed
            ("block" or "allow": ``mail.remote_content``).
        mail_settings_chosen(int, bool): emitted on OK when the minutes between checks
            of every folder (0: only when asked) or the new-mail notification changed.
        prefer_plain_chosen(bool): emitted on OK when "prefer plain text" changed
            (``mail.prefer_plain_text``; never when the policy sets or forces it).
        search_download_chosen(int): emitted on OK when the days of mail downloaded for
            offline search changed (``search.download_days``, 0: off; never when the policy
            locks it or allows no download).
    """

    language_chosen = Signal(str)
    mail_settings_chosen = Signal(int, bool)
    remote_mode_chosen = Signal(str)
    prefer_plain_chosen = Signal(bool)
    search_download_chosen = Signal(int)

    def __init__(
        self,
        current_language: str,
        parent: QWidget | None = None,
        mail: MailSettings | None = None,
        *,
        remote_senders: RemoteSenders | None = None,
        remote_images: RemoteImagesSettings | None = None,
        formatting: FormatSettings | None = None,
        search_download: SearchDownloadSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._formatting = formatting or FormatSettings()
        self._search_download = search_download or SearchDownloadSettings()
        self._mail = mail or MailSettings()
        self._remote_senders = remote_senders
        self._remote_images = remote_images
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(500)
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
        self.prefer_plain_box = QCheckBox(self)
        self.prefer_plain_box.setObjectName("preferPlainTextBox")
        self.prefer_plain_box.setChecked(self._formatting.prefer_plain or self._formatting.forced)
        self.prefer_plain_box.setEnabled(not self._formatting.locked and not self._formatting.forced)
        download = self._search_download
        self.search_download_spin = QSpinBox(self)
        self.search_download_spin.setObjectName("searchDownloadSpin")
        self.search_download_spin.setRange(0, max(0, download.cap))
        self.search_download_spin.setValue(download.shown)
        self.search_download_spin.setEnabled(not download.fixed)
        self._search_download_label = QLabel(self)
        self._search_download_label.setBuddy(self.search_download_spin)

        form = QFormLayout()
        form.addRow(self._language_label, self.language_combo)
        form.addRow(self._check_label, self.check_spin)
        form.addRow(self.notify_box)
        form.addRow(self.prefer_plain_box)
        form.addRow(self._search_download_label, self.search_download_spin)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._build_remote_group()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._note)
        layout.addWidget(self.remote_group)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def _build_remote_group(self) -> None:
        """Senders whose remote images always load ("Always for this sender"), removable.
        Removals take effect on OK."""
        self.remote_group = QGroupBox(self)
        self.remote_group.setObjectName("remoteSendersGroup")
        self.remote_mode_combo = QComboBox(self.remote_group)
        self.remote_mode_combo.setObjectName("remoteModeCombo")
        for mode in REMOTE_MODES:
            self.remote_mode_combo.addItem("", mode)
        images = self._remote_images or RemoteImagesSettings()
        self.remote_mode_combo.setCurrentIndex(max(0, self.remote_mode_combo.findData(self._shown_mode(images.mode))))
        self.remote_mode_combo.setEnabled(not images.locked and not images.forbidden)
        self._remote_mode_label = QLabel(self.remote_group)
        self._remote_mode_label.setBuddy(self.remote_mode_combo)
        mode_row = QFormLayout()
        mode_row.addRow(self._remote_mode_label, self.remote_mode_combo)
        self._remote_mode_label.setVisible(self._remote_images is not None)
        self.remote_mode_combo.setVisible(self._remote_images is not None)
        self._remote_label = QLabel(self.remote_group)
        self._remote_label.setWordWrap(True)
        self.remote_senders_list = QListWidget(self.remote_group)
        self.remote_senders_list.setObjectName("remoteSendersList")
        self.remote_senders_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._remote_label.setBuddy(self.remote_senders_list)
        self.remote_senders_empty = QLabel(self.remote_group)
        self.remote_senders_empty.setObjectName("remoteSendersEmpty")
        self.remove_sender_button = QPushButton(self.remote_group)
        self.remove_sender_button.setObjectName("removeRemoteSender")
        self.remove_sender_button.clicked.connect(self._remove_selected_senders)
        self.remote_senders_list.itemSelectionChanged.connect(self._update_remote_group)
        row = QHBoxLayout()
        row.addWidget(self.remote_senders_empty, 1)
        row.addWidget(self.remove_sender_button, 0, Qt.AlignmentFlag.AlignRight)
        box = QVBoxLayout(self.remote_group)
        box.addLayout(mode_row)
        box.addWidget(self._remote_label)
        box.addWidget(self.remote_senders_list)
        box.addLayout(row)
        self._removed_senders: list[str] = []
        if self._remote_senders is not None:
            self.remote_senders_list.addItems(self._remote_senders.addresses())
        self.remote_senders_list.setMaximumHeight(8 * self.fontMetrics().lineSpacing())
        for widget in (self._remote_label, self.remote_senders_list, self.remote_senders_empty,
                       self.remove_sender_button):
            widget.setVisible(self._remote_senders is not None)
        self.remote_group.setVisible(self._remote_senders is not None or self._remote_images is not None)
        self._update_remote_group()

    @staticmethod
    def _shown_mode(mode: str) -> str:
        return mode if mode in REMOTE_MODES else "block"

    def _update_remote_group(self) -> None:
        self.remove_sender_button.setEnabled(bool(self.remote_senders_list.selectedItems()))
        self.remote_senders_empty.setVisible(
            self._remote_senders is not None and self.remote_senders_list.count() == 0
        )

    def _remove_selected_senders(self) -> None:
        for item in self.remote_senders_list.selectedItems():
            self._removed_senders.append(item.text())
            self.remote_senders_list.takeItem(self.remote_senders_list.row(item))
        self._update_remote_group()

    def chosen_language(self) -> str:
        return str(self.language_combo.currentData())

    def chosen_mail_settings(self) -> tuple[int, bool]:
        return self.check_spin.value(), self.notify_box.isChecked()

    def accept(self) -> None:
        self.language_chosen.emit(self.chosen_language())
        minutes, notify = self.chosen_mail_settings()
        if (minutes, notify) != (self._mail.check_minutes, self._mail.notify):
            self.mail_settings_chosen.emit(minutes, notify)
        formatting = self._formatting
        if not formatting.locked and not formatting.forced:
            plain = self.prefer_plain_box.isChecked()
            if plain != formatting.prefer_plain:
                self.prefer_plain_chosen.emit(plain)
        download = self._search_download
        if not download.fixed and self.search_download_spin.value() != download.shown:
            self.search_download_chosen.emit(self.search_download_spin.value())
        if self._remote_senders is not None:
            for address in self._removed_senders:
                self._remote_senders.remove(address)
            self._removed_senders = []
        images = self._remote_images
        if images is not None and not images.locked and not images.forbidden:
            mode = str(self.remote_mode_combo.currentData())
            if mode != self._shown_mode(images.mode):
                self.remote_mode_chosen.emit(mode)
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
        self.prefer_plain_box.setText(self.tr("Show formatted (HTML) messages as &plain text"))
        if self._formatting.forced:
            plain_tip = self.tr("Your agency's policy shows every message as plain text.")
        elif self._formatting.locked:
            plain_tip = locked
        else:
            plain_tip = self.tr("Plain text shows no pictures or layout; the toggle above a message still "
                                "switches that message.")
        self.prefer_plain_box.setToolTip(plain_tip)
        self._search_download_label.setText(self.tr("&Download messages for offline search from the last:"))
        self.search_download_spin.setSuffix(self.tr(" days"))
        self.search_download_spin.setSpecialValueText(self.tr("Off"))
        download = self._search_download
        if download.cap <= 0:
            download_tip = self.tr("Your agency's policy does not allow downloading messages for search.")
        elif download.locked:
            download_tip = locked
        else:
            download_tip = self.tr("The text of recent messages (not their attachments) in every folder except "
                                   "Junk and Trash is downloaded in the background, so that search finds it "
                                   "without the server.")
            if download.cap < MAX_DOWNLOAD_DAYS:
                download_tip += " " + self.tr("Your agency's policy allows at most {days} days.").format(
                    days=int(download.cap))
        self.search_download_spin.setToolTip(download_tip)
        self._search_download_label.setToolTip(download_tip)
        self._note.setText(self.tr("The new language is used at once and saved for the next start."))
        self.remote_group.setTitle(self.tr("Remote images"))
        self._remote_label.setText(self.tr("Senders whose remote images are always shown:"))
        self.remote_senders_empty.setText(self.tr("No senders yet (“Always for this sender” adds them)."))
        self.remove_sender_button.setText(self.tr("&Remove"))
        self._remote_mode_label.setText(self.tr("Remote &images in messages:"))
        self.remote_mode_combo.setItemText(0, self.tr("Blocked, with a bar to show them"))
        self.remote_mode_combo.setItemText(1, self.tr("Always shown"))
        images = self._remote_images or RemoteImagesSettings()
        if images.forbidden:
            tip = self.tr("Your agency's policy does not allow remote content.")
        elif images.locked:
            tip = locked
        else:
            tip = self.tr("Images from the Internet can tell the sender that you opened a message.")
        self.remote_mode_combo.setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
