"""Edit → Signatures…: the user's signatures (name, position, agency, phone), several per account.

Each signature belongs to an account and, optionally, to one From address of
it; one per account (or per address) can be the default, put into every new
message, reply and forward (above the quote). Stored in the settings file
(``core/identities.py``); what OK accepted is written by the ``saved`` handler.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from govmail_desktop.core.identities import MAX_FIELD_CHARS, ComposerProfiles, Identity, Signature
from govmail_desktop.ui.composer.account_items import AccountItemsDialog

SIGNATURE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SignatureEditor(AccountItemsDialog):
    """Signals: saved() after OK wrote the changes into the profiles' settings."""

    saved = Signal()

    def __init__(
        self,
        profiles: ComposerProfiles,
        accounts: list[tuple[str, list[Identity]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("signature", accounts, parent)
        self.setObjectName("signatureEditor")
        self.profiles = profiles
        self._working: dict[str, Signature] = {
            s.id: s for account_id, _ in accounts for s in profiles.signatures(account_id)
        }
        self.account_combo.currentIndexChanged.connect(self._fill_list)
        self.list.currentItemChanged.connect(self._on_current)
        self.add_button.clicked.connect(self.add_signature)
        self.remove_button.clicked.connect(self.remove_signature)

        self.label_edit = QLineEdit(self)
        self.name_edit = QLineEdit(self)
        self.position_edit = QLineEdit(self)
        self.agency_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        for name, edit in (("label", self.label_edit), ("name", self.name_edit), ("position", self.position_edit),
                           ("agency", self.agency_edit), ("phone", self.phone_edit)):
            edit.setObjectName(f"signature_{name}")
            edit.setMaxLength(MAX_FIELD_CHARS)
            edit.textEdited.connect(self._store_current)
        self.identity_combo = QComboBox(self)
        self.identity_combo.setObjectName("signatureIdentityCombo")
        self.identity_combo.activated.connect(self._store_current)
        self.default_box = QCheckBox(self)
        self.default_box.setObjectName("signatureDefaultBox")
        self.default_box.toggled.connect(self._store_current)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("signaturePreview")
        self.preview.setReadOnly(True)
        self.preview.setMaximumHeight(140)

        self._labels = [QLabel(self) for _ in range(7)]
        form = QFormLayout()
        fields: list[QWidget] = [self.label_edit, self.name_edit, self.position_edit, self.agency_edit,
                                 self.phone_edit, self.identity_combo]
        for label, widget in zip(self._labels, fields, strict=False):
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.default_box)
        form.addRow(self._labels[6], self.preview)
        self.lay_out(form)
        self.retranslate_ui()
        self._fill_list()
        self.resize(760, 420)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Signatures"))
        labels = self._labels
        labels[0].setText(self.tr("Signature &name:"))
        labels[1].setText(self.tr("Your n&ame:"))
        labels[2].setText(self.tr("&Position:"))
        labels[3].setText(self.tr("A&gency:"))
        labels[4].setText(self.tr("P&hone:"))
        labels[5].setText(self.tr("&Used with:"))
        labels[6].setText(self.tr("As it appears:"))
        self.default_box.setText(self.tr("Put it in every new message, reply and forward"))
        self.retranslate_frame()
        self.add_button.setText(self.tr("&New Signature"))
        self.label_edit.setPlaceholderText(self.tr("e.g. Official, Short"))
        self.position_edit.setPlaceholderText(self.tr("e.g. Computer Technical Officer"))

    # ------------------------------------------------------------------ list

    def _fill_list(self, *_args: object) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for signature in self._working.values():
            if signature.account_id == self._account_id():
                item = QListWidgetItem(signature.display_label())
                item.setData(SIGNATURE_ID_ROLE, signature.id)
                self.list.addItem(item)
        self.list.blockSignals(False)
        self.identity_combo.clear()
        self.identity_combo.addItem(self.tr("Any of this account's addresses"), "")
        for identity in self._identities():
            self.identity_combo.addItem(identity.address, identity.address)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._on_current(None, None)

    def _on_current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self._current = str(item.data(SIGNATURE_ID_ROLE)) if item is not None else None
        signature = self._working.get(self._current or "")
        locked = signature is not None and signature.locked
        # The policy's signature (provisioning.signature) is shown, not edited, saying why.
        self.editor.setEnabled(signature is not None and not locked)
        self.remove_button.setEnabled(signature is not None and not locked)
        self.add_button.setEnabled(not self._account_locked())
        self.editor.setToolTip(self.tr("Set by your agency's policy") if locked else "")
        shown = signature or Signature(id="", account_id="")
        for edit, value in ((self.label_edit, shown.label), (self.name_edit, shown.name),
                            (self.position_edit, shown.position), (self.agency_edit, shown.agency),
                            (self.phone_edit, shown.phone)):
            edit.setText(value)
        self.identity_combo.setCurrentIndex(max(0, self.identity_combo.findData(shown.identity)))
        self.default_box.blockSignals(True)
        self.default_box.setChecked(shown.default)
        self.default_box.blockSignals(False)
        self.preview.setPlainText(shown.text())

    def _account_locked(self) -> bool:
        return any(s.locked and s.account_id == self._account_id() for s in self._working.values())

    def add_signature(self) -> None:
        if self._account_locked():
            return
        identities = self._identities()
        signature = Signature.new(self._account_id(), label=self.tr("Signature {n}").format(n=self.list.count() + 1),
                                  name=identities[0].name if identities else "",
                                  default=not any(s.account_id == self._account_id() for s in self._working.values()))
        self._working[signature.id] = signature
        self._fill_list()
        self.list.setCurrentRow(self.list.count() - 1)
        self.name_edit.setFocus()

    def remove_signature(self) -> None:
        if self._current is None:
            return
        self._working.pop(self._current, None)
        self._removed.add(self._current)
        self._fill_list()

    def _store_current(self, *_args: object) -> None:
        signature = self._working.get(self._current or "")
        if signature is None:
            return
        updated = replace(
            signature, label=self.label_edit.text(), name=self.name_edit.text(),
            position=self.position_edit.text(), agency=self.agency_edit.text(), phone=self.phone_edit.text(),
            identity=str(self.identity_combo.currentData() or ""), default=self.default_box.isChecked(),
        )
        if updated.default:  # one default per account and address
            for other in list(self._working.values()):
                if other.id != updated.id and other.account_id == updated.account_id and \
                        other.identity == updated.identity and other.default:
                    self._working[other.id] = replace(other, default=False)
        self._working[updated.id] = updated
        item = self.list.currentItem()
        if item is not None:
            item.setData(Qt.ItemDataRole.DisplayRole, updated.display_label())
        self.preview.setPlainText(updated.text())

    def accept(self) -> None:
        for signature_id in self._removed:
            self.profiles.remove_signature(signature_id)
        for signature in self._working.values():
            if not signature.locked:
                self.profiles.save_signature(signature)
        self.saved.emit()
        super().accept()
