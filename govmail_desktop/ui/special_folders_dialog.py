"""File → Special Folders: which folder of the account is Sent, Drafts, Trash, Junk, Archive.

For each role the user picks a folder of the server or "Detect automatically"
(the server's attributes, then the usual names: see core/folder_roles.py). A
role the agency's policy sets is shown read-only. The dialog only reports the
choice (``chosen``); the caller saves it with the account and applies it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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

from govmail_desktop.models.plain_text import plain_label

#: Role keys (core.folder_roles.ROLE_KEYS) in the order shown.
ROLE_ORDER = ("sent", "drafts", "trash", "junk", "archive")


class SpecialFoldersDialog(QDialog):
    """Signals: chosen(dict): on OK, {role key: folder name} for the roles the user set
    (roles left on "Detect automatically" are not in it; policy-set roles never are)."""

    chosen = Signal(dict)

    def __init__(
        self,
        account_name: str,
        folders: Sequence[str],
        user_choice: Mapping[str, str],
        policy_choice: Mapping[str, str] | None = None,
        in_force: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``folders``: the server's folder names that can hold mail; ``in_force``:
        {role key: folder name} the account uses now (shown next to "Detect automatically")."""
        super().__init__(parent)
        self.setObjectName("specialFoldersDialog")
        self.setMinimumWidth(460)
        self._account_name = account_name
        self._policy = dict(policy_choice or {})
        self._in_force = dict(in_force or {})
        self._intro = plain_label(QLabel(self))  # the account name is the user's text
        self._intro.setWordWrap(True)
        self.combos: dict[str, QComboBox] = {}
        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in ROLE_ORDER:
            combo = QComboBox(self)
            combo.setObjectName(f"{key}FolderCombo")
            combo.addItem("", "")  # "Detect automatically": text set in retranslate_ui
            for name in folders:
                combo.addItem(name, name)
            locked = self._policy.get(key)
            wanted = locked if locked else user_choice.get(key, "")
            if wanted and combo.findData(wanted) < 0:
                combo.addItem(wanted, wanted)  # chosen earlier, not on the server (now)
            combo.setCurrentIndex(max(0, combo.findData(wanted)))
            combo.setEnabled(not locked)
            label = plain_label(QLabel(self))
            label.setBuddy(combo)
            form.addRow(label, combo)
            self.combos[key] = combo
            self._labels[key] = label
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def choice(self) -> dict[str, str]:
        """{role key: folder name} the user set (policy-set roles are not the user's)."""
        return {
            key: str(combo.currentData())
            for key, combo in self.combos.items()
            if combo.isEnabled() and combo.currentData()
        }

    def accept(self) -> None:
        self.chosen.emit(self.choice())
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Special Folders"))
        self._intro.setText(
            self.tr(
                "Choose the folders of {account} that are used as Sent, Drafts, Trash, Junk and Archive. "
                "\"Detect automatically\" uses what the server says, or the usual folder names."
            ).format(account=self._account_name)
        )
        labels = {
            "sent": self.tr("&Sent:"),
            "drafts": self.tr("&Drafts:"),
            "trash": self.tr("&Trash:"),
            "junk": self.tr("&Junk:"),
            "archive": self.tr("A&rchive:"),
        }
        locked = self.tr("Set by your agency's policy")
        for key, combo in self.combos.items():
            self._labels[key].setText(labels[key])
            found = self._in_force.get(key)
            combo.setItemText(
                0,
                self.tr("Detect automatically (now: {folder})").format(folder=found)
                if found else self.tr("Detect automatically (none found)"),
            )
            combo.setToolTip(locked if not combo.isEnabled() else "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
