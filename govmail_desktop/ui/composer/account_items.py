"""The frame both Edit → Identities… and Edit → Signatures… are built in.

Each lists items that belong to one account: an account chooser, the account's
items with New and Remove under them on the left, the selected item's fields
on the right, OK and Cancel below. The subclass fills the list and the fields;
this class only lays them out, so the two dialogs look and behave alike.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.identities import Identity


class AccountItemsDialog(QDialog):
    """Account chooser, item list with New/Remove, an editor form, OK/Cancel.

    ``prefix`` names the widgets (``{prefix}AccountCombo``, ``{prefix}List``,
    ``add{Prefix}Button``, ``remove{Prefix}Button``) for tests and accessibility.
    The subclass connects ``account_combo.currentIndexChanged``, the list's
    ``currentItemChanged`` and the two buttons, and calls :meth:`lay_out` with its form.
    """

    def __init__(self, prefix: str, accounts: list[tuple[str, list[Identity]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._current: str | None = None
        self._removed: set[str] = set()
        cap = prefix[:1].upper() + prefix[1:]
        self.account_combo = QComboBox(self)
        self.account_combo.setObjectName(f"{prefix}AccountCombo")
        for account_id, identities in accounts:
            self.account_combo.addItem(identities[0].from_text if identities else account_id, account_id)
        self.account_label = QLabel(self)
        self.account_label.setBuddy(self.account_combo)
        self.list = QListWidget(self)
        self.list.setObjectName(f"{prefix}List")
        self.add_button = QPushButton(self)
        self.add_button.setObjectName(f"add{cap}Button")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName(f"remove{cap}Button")
        self.editor = QWidget(self)
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)

    def lay_out(self, form: QFormLayout, *, above_list: tuple[QWidget, ...] = (),
                below_body: tuple[QWidget, ...] = ()) -> None:
        """Place the frame's widgets around ``form`` (the selected item's fields)."""
        self.editor.setLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.account_label)
        left.addWidget(self.account_combo)
        for widget in above_list:
            left.addWidget(widget)
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.editor, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        for widget in below_body:
            layout.addWidget(widget)
        layout.addWidget(self.box)

    def _account_id(self) -> str:
        return str(self.account_combo.currentData() or "")

    def _identities(self) -> list[Identity]:
        """The chosen account's From addresses, its own address first."""
        return next((ids for account_id, ids in self._accounts if account_id == self._account_id()), [])

    def retranslate_frame(self) -> None:
        # An explicit context: tr() in a base class would look the text up under the subclass's name.
        self.account_label.setText(QCoreApplication.translate("AccountItemsDialog", "Account:"))
        self.remove_button.setText(QCoreApplication.translate("AccountItemsDialog", "&Remove"))
