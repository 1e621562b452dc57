"""Edit → Identities…: the extra From addresses of each account (name and address).

An official often sends from a second address of the same agency besides their own —
the unit's saraban address, say. Each account's own address is always an identity
(shown, not editable here); this dialog adds, changes and removes the others
(``core/identities.py`` :class:`ComposerProfiles`, kept in the settings file by the
``saved`` handler). An address is taken only where the agency's policy would take it
as an account address (``check_address``: the policy's allowed account domains,
never free mail or a denied domain); what is refused is said in the dialog, in the
policy's own words, and OK keeps it open until it is fixed or removed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QWidget,
)

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.identities import MAX_FIELD_CHARS, ComposerProfiles, Identity
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.ui.composer.account_items import AccountItemsDialog

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_COLOUR = "#b71c1c"

#: ``check_address(address) -> address`` as the policy takes it (domain normalised), or
#: raises a GovMailError saying why not (``EffectivePolicy.check_account_address``).
AddressCheck = Callable[[str], str]


@dataclass
class _Entry:
    """An identity as edited in the dialog (``id`` "" until it is saved)."""

    key: str
    account_id: str
    name: str
    address: str
    id: str = ""


class IdentityEditor(AccountItemsDialog):
    """Signals: saved() after OK wrote the changes into the profiles' settings."""

    saved = Signal()

    def __init__(
        self,
        profiles: ComposerProfiles,
        accounts: list[tuple[str, list[Identity]]],
        check_address: AddressCheck,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("identity", accounts, parent)
        self.setObjectName("identityEditor")
        self.profiles = profiles
        self._check = check_address
        self._keys = (f"new-{n}" for n in itertools.count(1))
        self._entries: dict[str, _Entry] = {}
        for _account_id, identities in accounts:
            for identity in identities[1:]:  # the first is the account's own address
                self._entries[identity.id] = _Entry(identity.id, identity.account_id, identity.name,
                                                    identity.address, identity.id)

        self.account_combo.currentIndexChanged.connect(self._fill_list)
        self.own_label = plain_label(QLabel(self))
        self.own_label.setObjectName("identityOwnLabel")
        self.own_label.setWordWrap(True)
        self.list.currentItemChanged.connect(self._on_current)
        self.add_button.clicked.connect(self.add_identity)
        self.remove_button.clicked.connect(self.remove_identity)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("identityNameEdit")
        self.address_edit = QLineEdit(self)
        self.address_edit.setObjectName("identityAddressEdit")
        for edit in (self.name_edit, self.address_edit):
            edit.setMaxLength(MAX_FIELD_CHARS)
            edit.textEdited.connect(self._store_current)
        self.error_label = plain_label(QLabel(self))
        self.error_label.setObjectName("identityErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.error_label.hide()
        self.hint_label = plain_label(QLabel(self))
        self.hint_label.setWordWrap(True)

        self._labels = [QLabel(self) for _ in range(2)]
        form = QFormLayout()
        self._labels[0].setBuddy(self.name_edit)
        self._labels[1].setBuddy(self.address_edit)
        form.addRow(self._labels[0], self.name_edit)
        form.addRow(self._labels[1], self.address_edit)
        form.addRow("", self.hint_label)
        self.lay_out(form, above_list=(self.own_label,), below_body=(self.error_label,))
        self.retranslate_ui()
        self._fill_list()
        self.resize(720, 360)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Identities"))
        self._labels[0].setText(self.tr("&Name:"))
        self._labels[1].setText(self.tr("E-mail &address:"))
        self.retranslate_frame()
        self.add_button.setText(self.tr("&New Identity"))
        self.name_edit.setPlaceholderText(self.tr("e.g. Central Records Unit"))
        self.address_edit.setPlaceholderText(self.tr("e.g. saraban@agency.go.th"))
        self.hint_label.setText(self.tr(
            "Another address you may send from, e.g. your unit's official-document (saraban) address. "
            "It must be an address of your agency that the policy allows for accounts."))
        self._show_own()

    # ------------------------------------------------------------------ list

    def _own(self) -> Identity | None:
        found = self._identities()
        return found[0] if found else None

    def _show_own(self) -> None:
        own = self._own()
        self.own_label.setText(
            self.tr("Always available: {address} (the account's own address)").format(address=own.from_text)
            if own is not None else "")

    @staticmethod
    def _label(entry: _Entry) -> str:
        if not entry.address:
            return "…"
        return Identity(entry.account_id, entry.address, entry.name).from_text

    def _fill_list(self, *_args: object) -> None:
        self._show_own()
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self._entries.values():
            if entry.account_id == self._account_id():
                item = QListWidgetItem(self._label(entry))
                item.setData(ENTRY_ID_ROLE, entry.key)
                self.list.addItem(item)
        self.list.blockSignals(False)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._on_current(None, None)

    def _on_current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self._current = str(item.data(ENTRY_ID_ROLE)) if item is not None else None
        entry = self._entries.get(self._current or "")
        self.editor.setEnabled(entry is not None)
        self.remove_button.setEnabled(entry is not None)
        shown = entry or _Entry("", "", "", "")
        for edit, value in ((self.name_edit, shown.name), (self.address_edit, shown.address)):
            edit.setText(value)

    def select(self, key: str) -> None:
        """Show the account and the entry ``key`` (e.g. the one OK refused)."""
        entry = self._entries.get(key)
        if entry is None:
            return
        index = self.account_combo.findData(entry.account_id)
        if index >= 0 and index != self.account_combo.currentIndex():
            self.account_combo.setCurrentIndex(index)
        for row in range(self.list.count()):
            if self.list.item(row).data(ENTRY_ID_ROLE) == key:
                self.list.setCurrentRow(row)

    def add_identity(self) -> None:
        own = self._own()
        entry = _Entry(next(self._keys), self._account_id(), own.name if own is not None else "", "")
        self._entries[entry.key] = entry
        self._fill_list()
        self.select(entry.key)
        self.address_edit.setFocus()

    def remove_identity(self) -> None:
        entry = self._entries.pop(self._current or "", None)
        if entry is None:
            return
        if entry.id:
            self._removed.add(entry.id)
        self.error_label.hide()
        self._fill_list()

    def _store_current(self, *_args: object) -> None:
        entry = self._entries.get(self._current or "")
        if entry is None:
            return
        entry.name = self.name_edit.text().strip()
        entry.address = self.address_edit.text().strip()
        item = self.list.currentItem()
        if item is not None:
            item.setText(self._label(entry))
        self.error_label.hide()

    # ------------------------------------------------------------------ OK

    def problem(self, entry: _Entry) -> str | None:
        """Why ``entry`` cannot be kept (in the current language), or None; the address is
        normalised as the policy takes it."""
        if not entry.address:
            return self.tr("Type the e-mail address of this identity.")
        try:
            entry.address = self._check(entry.address)
        except GovMailError as err:
            return err.user_text()
        own = next((ids[0] for account_id, ids in self._accounts if account_id == entry.account_id and ids), None)
        taken = [own.address] if own is not None else []
        taken += [e.address for e in self._entries.values() if e.account_id == entry.account_id and e is not entry]
        if entry.address.casefold() in (a.casefold() for a in taken):
            return self.tr("{address} is already an address of this account.").format(address=entry.address)
        return None

    def accept(self) -> None:
        for entry in self._entries.values():
            problem = self.problem(entry)
            if problem is not None:
                self.select(entry.key)
                self.error_label.setText(problem)
                self.error_label.show()
                self.address_edit.setFocus()
                return
        try:
            for identity_id in self._removed:
                self.profiles.remove_identity(identity_id)
            for entry in self._entries.values():
                if entry.id:
                    self.profiles.update_identity(entry.id, entry.address, entry.name)
                else:
                    entry.id = self.profiles.add_identity(entry.account_id, entry.address, entry.name).id
        except (ValueError, KeyError) as exc:  # validated above; a hand-edited file changed meanwhile
            self.error_label.setText(self.tr("The identities could not be saved: {reason}").format(reason=exc))
            self.error_label.show()
            return
        self.saved.emit()
        super().accept()
