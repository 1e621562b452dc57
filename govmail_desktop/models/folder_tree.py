"""The folder tree: special folders first with Thai names, then the user's folders.

Built from the cache's folder rows (a few hundred at most, so the whole tree is
kept as small Python nodes). Special folders — Inbox, Drafts, Sent, Archive,
Junk, Trash, in that order — are lifted to the top level wherever the server
keeps them (e.g. ``INBOX.Sent``) and shown by their role's name in the user's
language; every other folder keeps its own (decoded, often Thai) name and
sits under its parent by the server's hierarchy delimiter, sorted with Thai
collation. Missing parents (``A/B`` listed without ``A``) appear as
non-selectable nodes. Unread counts come from ``MailCache.unread_counts``:
the label shows "กล่องจดหมายเข้า (3)" and unread folders are bold.

Refreshing: :meth:`update_counts` after flags change (only ``dataChanged``);
:meth:`reload` after the folder list changed (a reset if the structure
changed — select again with :meth:`index_for_folder`).

Dropping messages dragged from the message list emits :attr:`messagesDropped`;
the services do the move/copy.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCollator,
    QLocale,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.folder_roles import ROLE_NAMES
from govmail_desktop.i18n.catalog import current_language
from govmail_desktop.models.message_list import MESSAGES_MIME_TYPE
from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.store.cache import CachedFolder, MailCache

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex

_USER = int(Qt.ItemDataRole.UserRole)
FolderIdRole = _USER + 1  # int, or None for a placeholder parent
FolderNameRole = _USER + 2  # the server's full (decoded) name
SpecialUseRole = _USER + 3  # "\\Inbox", "\\Sent", ... or None
UnreadRole = _USER + 4  # int
SelectableRole = _USER + 5  # bool
#: The role of the local Outbox node (messages waiting to be sent; not a server folder).
OUTBOX_ROLE = "outbox"
#: The "Saved Searches" node (last in the tree) and each saved search under it: virtual folders
#: whose messages are the search's results (ui/search_controller.py runs the search).
SAVED_SEARCHES_ROLE = "saved-searches"
SAVED_SEARCH_ROLE = "saved-search"
SavedSearchIdRole = _USER + 6  # str: the saved search's id (core/saved_searches.py)


@dataclass(eq=False)
class _Node:
    folder_id: int | None
    label: str  # own name (last hierarchy part), or "" for a special folder
    full_name: str
    role: str | None = None
    unread: int = 0
    selectable: bool = True
    #: A saved search's query (its tooltip) and id.
    query: str = ""
    search_id: str = ""
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class FolderTreeModel(QAbstractItemModel):
    """Tree of the account's folders with unread counts.

    Signals:
        messagesDropped(int, int, list, bool): target folder id, source folder id,
            UIDs, copy (True) or move (False) — a drop from the message list.
        storageFailed(object): a StorageError while reading the cache.
    """

    messagesDropped = Signal(int, int, list, bool)
    storageFailed = Signal(object)

    def __init__(self, cache: MailCache, parent: Any = None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._root = _Node(None, "", "")
        self._by_id: dict[int, _Node] = {}
        self._bold: QFont | None = None
        self._collator = QCollator(QLocale(QLocale.Language.Thai, QLocale.Country.Thailand))
        self._collator.setNumericMode(True)
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        #: The view's icons by special use (None: a user folder); set by the UI.
        self._icon_for: Callable[[str | None], Any] | None = None
        #: Messages in the account's outbox (shown as the Outbox folder when not 0).
        self._outbox_count = 0
        #: Saved searches shown under "Saved Searches": (id, name, query).
        self._saved: tuple[tuple[str, str, str], ...] = ()
        self.reload()

    def set_icon_provider(self, icon_for: Callable[[str | None], Any] | None) -> None:
        """Icons for the folders (DecorationRole), by special use; the UI owns the pictures."""
        self._icon_for = icon_for
        if self._root.children:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._root.children) - 1, 0),
                                  [Qt.ItemDataRole.DecorationRole])

    # ------------------------------------------------------------------ building

    def _special_name(self, role: str) -> str:
        if role == OUTBOX_ROLE:
            return self.tr("Outbox")
        name = ROLE_NAMES.get(role)  # the one table, also used by messages about folders
        return name.text(current_language()) if name is not None else ""

    def _build(self, folders: Sequence[CachedFolder], unread: dict[int, int]) -> _Node:
        root = _Node(None, "", "")
        by_path: dict[tuple[str, ...], _Node] = {}
        hoisted: dict[str, _Node] = {}

        def path_of(f: CachedFolder) -> tuple[str, ...]:
            parts = f.folder.parts
            return (("INBOX",) + parts[1:]) if parts and parts[0].upper() == "INBOX" else parts

        for cf in folders:
            role = cf.folder.role
            node = _Node(
                cf.id,
                path_of(cf)[-1],
                cf.name,
                role=None,
                unread=unread.get(cf.id, 0),
                selectable=cf.folder.selectable,
            )
            if role in SpecialUse.DISPLAY_ORDER and role not in hoisted and cf.folder.selectable:
                node.role = role
                hoisted[role] = node
            by_path[path_of(cf)] = node

        def attach(path: tuple[str, ...], node: _Node) -> None:
            if node.role is not None or len(path) == 1:
                node.parent = root
                root.children.append(node)
                return
            parent_path = path[:-1]
            parent = by_path.get(parent_path)
            if parent is None:  # listed child without its parent: a placeholder
                parent = _Node(None, parent_path[-1], "", selectable=False)
                by_path[parent_path] = parent
                attach(parent_path, parent)
            node.parent = parent
            parent.children.append(node)

        for path, node in sorted(by_path.items(), key=lambda item: len(item[0])):
            if node.parent is None:
                attach(path, node)
        if self._outbox_count > 0:  # after the server's special folders
            root.children.append(
                _Node(None, "", "", role=OUTBOX_ROLE, unread=self._outbox_count, selectable=False, parent=root)
            )

        order = {role: i for i, role in enumerate(SpecialUse.DISPLAY_ORDER)}

        def sort_children(node: _Node) -> None:
            node.children.sort(
                key=lambda n: (
                    0 if n.role else 1,
                    order.get(n.role or "", 99),
                    self._collator.sortKey(n.label),
                )
            )
            for child in node.children:
                sort_children(child)

        sort_children(root)
        if self._saved:  # the virtual folders after every real one
            group = _Node(None, "", "", role=SAVED_SEARCHES_ROLE, selectable=False, parent=root)
            for search_id, name, query in sorted(self._saved, key=lambda s: self._collator.sortKey(s[1])):
                group.children.append(_Node(None, name, "", role=SAVED_SEARCH_ROLE, selectable=False,
                                            query=query, search_id=search_id, parent=group))
            root.children.append(group)
        return root

    def set_saved_searches(self, saved: Sequence[tuple[str, str, str]]) -> None:
        """The saved searches to show as virtual folders: (id, name, query) each."""
        saved = tuple(saved)
        if saved == self._saved:
            return
        self._saved = saved
        self.reload()

    def index_for_saved_search(self, search_id: str) -> QModelIndex:
        group = next((n for n in self._root.children if n.role == SAVED_SEARCHES_ROLE), None)
        node = next((n for n in group.children if n.search_id == search_id), None) if group else None
        return self.createIndex(node.row(), 0, node) if node is not None else QModelIndex()

    def _read(self) -> tuple[list[CachedFolder], dict[int, int]] | None:
        try:
            return self._cache.folders(), self._cache.unread_counts()
        except StorageError as exc:
            log.warning("Folder tree could not read the cache: %s", exc)
            self.storageFailed.emit(exc)
            return None

    @staticmethod
    def _shape(node: _Node) -> list[Any]:
        return [(c.folder_id, c.label, c.role, c.query, c.search_id, FolderTreeModel._shape(c)) for c in node.children]

    def reload(self) -> None:
        """Re-read the folder list: counts only → dataChanged; new structure → reset."""
        read = self._read()
        if read is None:
            return
        root = self._build(*read)
        if self._shape(root) == self._shape(self._root):
            self._apply_counts({n.folder_id: n.unread for n in _walk(root) if n.folder_id is not None})
            return
        self.beginResetModel()
        self._root = root
        self._by_id = {n.folder_id: n for n in _walk(root) if n.folder_id is not None}
        self.endResetModel()

    def set_outbox_count(self, count: int) -> None:
        """Messages waiting in the account's outbox: the Outbox folder shows them (hidden at 0)."""
        if count == self._outbox_count:
            return
        self._outbox_count = count
        node = next((n for n in self._root.children if n.role == OUTBOX_ROLE), None)
        if node is not None and count > 0:
            node.unread = count
            index = self.createIndex(node.row(), 0, node)
            self.dataChanged.emit(index, index)
            return
        self.reload()

    def update_counts(self) -> None:
        """Unread counts changed (flags, new mail): redraw the affected labels."""
        try:
            counts = self._cache.unread_counts()
        except StorageError as exc:
            self.storageFailed.emit(exc)
            return
        self._apply_counts(counts)

    def _apply_counts(self, counts: dict[int, int]) -> None:
        for folder_id, unread in counts.items():
            node = self._by_id.get(folder_id)
            if node is not None and node.unread != unread:
                node.unread = unread
                index = self.createIndex(node.row(), 0, node)
                self.dataChanged.emit(index, index)

    def retranslate(self) -> None:
        """The UI language changed: special folders get their names in the new language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 0)
        for node in _walk(self._root):
            if node.role:
                index = self.createIndex(node.row(), 0, node)
                self.dataChanged.emit(index, index)

    # ------------------------------------------------------------------ lookups

    def index_for_folder(self, folder_id: int) -> QModelIndex:
        node = self._by_id.get(folder_id)
        return self.createIndex(node.row(), 0, node) if node is not None else QModelIndex()

    def index_for_outbox(self) -> QModelIndex:
        """The Outbox node (invalid while the outbox is empty)."""
        node = next((n for n in self._root.children if n.role == OUTBOX_ROLE), None)
        return self.createIndex(node.row(), 0, node) if node is not None else QModelIndex()

    def folder_id_at(self, index: Index) -> int | None:
        node = self._node(index)
        return node.folder_id if node is not self._root else None

    def _node(self, index: Index) -> _Node:
        if index.isValid():
            node = index.internalPointer()
            if isinstance(node, _Node):
                return node
        return self._root

    def display_name(self, node: _Node) -> str:
        if node.role == SAVED_SEARCH_ROLE:
            return node.label
        if node.role == SAVED_SEARCHES_ROLE:
            return self.tr("Saved Searches")
        return self._special_name(node.role) if node.role else node.label

    # ------------------------------------------------------------------ Qt model API

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        parent_node = self._node(parent)
        if row >= len(parent_node.children):
            return QModelIndex()
        return self.createIndex(row, 0, parent_node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and section == 0 and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Folders")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        node = self._node(index)
        if node.role in (OUTBOX_ROLE, SAVED_SEARCH_ROLE):  # a page of its own (Outbox, search view); no drops
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not node.selectable or node.folder_id is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        role = int(role)
        if role == Qt.ItemDataRole.DisplayRole:
            name = self.display_name(node)
            return f"{name} ({node.unread})" if node.unread > 0 else name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon_for(node.role) if self._icon_for is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Folder names are the server's text: never rich text.
            if node.role == OUTBOX_ROLE:
                return plain_tooltip(self.tr("{count} message(s) waiting to be sent").format(count=node.unread))
            if node.role == SAVED_SEARCH_ROLE:
                return plain_tooltip(self.tr("Saved search: {query}").format(query=node.query))
            if node.role == SAVED_SEARCHES_ROLE:
                return plain_tooltip(self.tr("Searches you saved; each shows what the mail holds now"))
            if node.unread > 0:
                return plain_tooltip(
                    self.tr("{name}: {count} unread").format(name=node.full_name or node.label, count=node.unread)
                )
            return plain_tooltip(node.full_name or node.label)
        if role == Qt.ItemDataRole.FontRole:
            if node.unread > 0:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == FolderIdRole:
            return node.folder_id
        if role == FolderNameRole:
            return node.full_name
        if role == SpecialUseRole:
            return node.role
        if role == UnreadRole:
            return node.unread
        if role == SelectableRole:
            return node.selectable and node.folder_id is not None
        if role == SavedSearchIdRole:
            return node.search_id or None
        return None

    # ------------------------------------------------------------------ drops from the message list

    def mimeTypes(self) -> list[str]:
        return [MESSAGES_MIME_TYPE]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        target = self._node(parent)
        return (
            data.hasFormat(MESSAGES_MIME_TYPE)
            and action in (Qt.DropAction.MoveAction, Qt.DropAction.CopyAction)
            and target.folder_id is not None
            and target.selectable
        )

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            payload = json.loads(bytes(data.data(MESSAGES_MIME_TYPE).data()).decode())
            source, uids = int(payload["folder_id"]), [int(u) for u in payload["uids"]]
        except (ValueError, KeyError, TypeError):
            return False
        target = self._node(parent).folder_id
        assert target is not None
        if target == source or not uids:
            return False
        self.messagesDropped.emit(target, source, uids, action == Qt.DropAction.CopyAction)
        return True


def _walk(node: _Node):  # type: ignore[no-untyped-def]
    for child in node.children:
        yield child
        yield from _walk(child)
