"""Autocomplete for To/Cc/Bcc fields that hold several addresses separated by commas.

The composer attaches it with one call::

    attach_address_completer(line_edit, address_book)   # AddressBook, or any suggest(text, limit)

Typing after the last comma (or semicolon, as Outlook users type) asks the
address book for the best matches of that part only; the list shows
``name <email>``; choosing one replaces that part and adds ", " for the next
address, keeping everything before it as typed. Separators inside quotes or
angle brackets (``"Wong, Anan" <anan@ega.or.th>``) do not split.

The address book answers on the GUI thread in a few milliseconds (its index is
built elsewhere); nothing here touches the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.store.addressbook import Suggestion

SEPARATORS = ",;"
Index = QModelIndex | QPersistentModelIndex


class SuggestionSource(Protocol):
    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]: ...


def split_current(text: str) -> tuple[str, str]:
    """(everything up to and including the last separator and the spaces after it, the
    address being typed). Separators inside quotes or ``<…>`` do not count."""
    quoted = False
    angle = 0
    cut = 0
    escaped = False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\" and quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch == "<":
            angle += 1
        elif not quoted and ch == ">":
            angle = max(0, angle - 1)
        elif not quoted and not angle and ch in SEPARATORS:
            cut = i + 1
    head, current = text[:cut], text[cut:]
    stripped = current.lstrip()
    return head + current[: len(current) - len(stripped)], stripped


class AddressCompleterModel(QAbstractListModel):
    """The suggestions for the address being typed (set by :meth:`set_text`).

    Roles: DisplayRole/EditRole ``name <email>``; :attr:`EMAIL_ROLE`, :attr:`NAME_ROLE`,
    :attr:`SOURCE_ROLE` ("contact" or "history"); ToolTipRole the address.
    """

    EMAIL_ROLE = Qt.ItemDataRole.UserRole + 1
    NAME_ROLE = Qt.ItemDataRole.UserRole + 2
    SOURCE_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(
        self, suggest: Callable[[str, int], list[Suggestion]], limit: int = 10, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._suggest = suggest
        self._limit = limit
        self._items: list[Suggestion] = []
        #: The field's text before the address being completed (kept while the user
        #: moves through the list, which rewrites the field).
        self.head = ""

    def set_text(self, text: str) -> None:
        """The whole field as the user typed it: suggest for its last address."""
        self.head, current = split_current(text)
        items = self._suggest(current, self._limit) if current.strip() else []
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def suggestion(self, row: int) -> Suggestion:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.display
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(item.email)
        if role == self.EMAIL_ROLE:
            return item.email
        if role == self.NAME_ROLE:
            return item.name
        if role == self.SOURCE_ROLE:
            return item.source
        return None


class AddressCompleter(QCompleter):
    """A QCompleter for a comma-separated recipient field (see module doc)."""

    def __init__(
        self, line_edit: QLineEdit, suggest: Callable[[str, int], list[Suggestion]], limit: int = 10
    ) -> None:
        super().__init__(line_edit)
        self.setObjectName("addressCompleter")
        self.address_model = AddressCompleterModel(suggest, limit, self)
        self.setModel(self.address_model)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(limit)
        self._line_edit = line_edit
        line_edit.setCompleter(self)
        line_edit.textEdited.connect(self._edited)
        # QLineEdit connects this itself only while it has focus; a choice made with the
        # mouse on the list must land in the field either way.
        self.activated.connect(self._chosen)

    def _chosen(self, text: str) -> None:
        edit = self._line_edit
        if edit.text() != text:
            # As an edit: textEdited follows, so the list starts over for the next address.
            edit.selectAll()
            edit.insert(text)
        edit.setCursorPosition(len(text))

    def _edited(self, text: str) -> None:
        self.address_model.set_text(text)
        if self.address_model.rowCount():
            self.setCompletionPrefix(text)
            self.complete()
        elif (popup := self.popup()) is not None:
            popup.hide()

    def splitPath(self, path: str) -> list[str]:
        return [split_current(path)[1]]

    def pathFromIndex(self, index: Index) -> str:
        """The field's new text: what was before the address, the chosen one, ", "."""
        if not index.isValid():
            return self._line_edit.text()
        return f"{self.address_model.head}{index.data(Qt.ItemDataRole.EditRole)}, "


def attach_address_completer(
    line_edit: QLineEdit, source: SuggestionSource | Callable[[str, int], list[Suggestion]], limit: int = 10
) -> AddressCompleter:
    """Give a recipient field autocomplete from the address book (the one call the
    composer needs). ``source``: an AddressBook, or a ``suggest(text, limit)`` function."""
    suggest = source.suggest if hasattr(source, "suggest") else source
    return AddressCompleter(line_edit, suggest, limit)
