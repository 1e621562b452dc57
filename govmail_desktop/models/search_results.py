"""The search view's results: hits of every folder and account, local and found on the server.

Rows are :class:`~govmail_desktop.search.engine.Hit` objects as the search service sends
them (``results`` from the local index, ``server_results`` from the servers' SEARCH);
the model merges them (a message found both ways is listed once, the local hit kept),
and orders them by date (newest first) or by relevance (best first, then newest).
Everything is held in memory: the engine answers a bounded number of hits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from govmail_desktop.core.entities import FlagBits
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.models.plain_text import plain_tooltip

Index = QModelIndex | QPersistentModelIndex

SORT_DATE = "date"
SORT_RELEVANCE = "relevance"

#: The hit of a row (any column).
HitRole = int(Qt.ItemDataRole.UserRole) + 1
#: True for a hit found by the server's search (the text is not on this computer).
OnServerRole = int(Qt.ItemDataRole.UserRole) + 2

SERVER_MARK = "☁"


class ResultColumn(IntEnum):
    DATE = 0
    FROM = 1
    SUBJECT = 2
    FOLDER = 3
    SERVER = 4


def hit_key(hit: Any) -> tuple[str, str, int]:
    return (hit.account_id, hit.folder, int(hit.uid))


class SearchResultsModel(QAbstractTableModel):
    """Search hits in a table: date, from, subject, folder, found on the server."""

    def __init__(
        self,
        parent: Any = None,
        *,
        formatter: DateFormatter | None = None,
        folder_label: Callable[[str, str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._hits: list[Any] = []
        self._keys: set[tuple[str, str, int]] = set()
        self._sort = SORT_DATE
        #: Made at the first date shown (its month names load the locale's data; the main window's
        #: first paint does not wait for them).
        self._formatter: DateFormatter | None = formatter
        #: (account id, folder name) → what the folder tree calls it.
        self.folder_label: Callable[[str, str], str] = folder_label or (lambda _account, folder: folder)
        self._bold: QFont | None = None

    # ------------------------------------------------------------------ content

    @property
    def sort_order(self) -> str:
        return self._sort

    def set_sort(self, sort: str) -> None:
        """Newest first (``"date"``) or best first (``"relevance"``)."""
        if sort not in (SORT_DATE, SORT_RELEVANCE) or sort == self._sort:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = sort
        self._order()
        self.layoutChanged.emit()

    def _sort_key(self, hit: Any) -> tuple[Any, ...]:
        if self._sort == SORT_RELEVANCE:
            return (-float(hit.score), -int(hit.date), hit.on_server)
        return (-int(hit.date), -float(hit.score))

    def _order(self) -> None:
        self._hits.sort(key=self._sort_key)

    def clear(self) -> None:
        self.beginResetModel()
        self._hits = []
        self._keys = set()
        self.endResetModel()

    def add_hits(self, hits: Iterable[Any]) -> int:
        """Merge hits in (those already listed are skipped); returns how many were new."""
        new = []
        for hit in hits:
            key = hit_key(hit)
            if key not in self._keys:
                self._keys.add(key)
                new.append(hit)
        if not new:
            return 0
        self.beginResetModel()
        self._hits.extend(new)
        self._order()
        self.endResetModel()
        return len(new)

    def hit_at(self, row: int) -> Any | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def row_of(self, key: tuple[str, str, int]) -> int | None:
        return next((r for r, h in enumerate(self._hits) if hit_key(h) == key), None)

    def server_count(self) -> int:
        return sum(1 for h in self._hits if h.on_server)

    def _dates(self) -> DateFormatter:
        if self._formatter is None:
            self._formatter = DateFormatter()
        return self._formatter

    def set_formatter(self, formatter: DateFormatter) -> None:
        self._formatter = formatter
        if self._hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, len(ResultColumn) - 1))

    def retranslate(self, formatter: DateFormatter | None = None) -> None:
        if formatter is not None:
            self._formatter = formatter
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ResultColumn) - 1)
        if self._hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, len(ResultColumn) - 1))

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ResultColumn)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(ResultColumn):
            return None
        column = ResultColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                ResultColumn.DATE: self.tr("Date"),
                ResultColumn.FROM: self.tr("From"),
                ResultColumn.SUBJECT: self.tr("Subject"),
                ResultColumn.FOLDER: self.tr("Folder"),
                ResultColumn.SERVER: SERVER_MARK,
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == ResultColumn.SERVER:
            return self.tr("Found on the server (the message's text is not on this computer yet)")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit_at(index.row()) if index.isValid() else None
        if hit is None:
            return None
        column = ResultColumn(index.column())
        role = int(role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ResultColumn.DATE:
                return self._dates().short(int(hit.date))
            if column == ResultColumn.FROM:
                return hit.sender or self.tr("(unknown sender)")
            if column == ResultColumn.SUBJECT:
                return hit.subject or self.tr("(no subject)")
            if column == ResultColumn.FOLDER:
                return self.folder_label(hit.account_id, hit.folder)
            return SERVER_MARK if hit.on_server else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ResultColumn.DATE:
                return plain_tooltip(self._dates().full(int(hit.date)))
            if column == ResultColumn.SERVER:
                return self.tr("Found on the server") if hit.on_server else None
            text = self.data(index, Qt.ItemDataRole.DisplayRole)
            return plain_tooltip(str(text)) if text else None
        if role == Qt.ItemDataRole.FontRole:
            if not int(hit.flags) & FlagBits.SEEN:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ResultColumn.SERVER:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == HitRole:
            return hit
        if role == OnServerRole:
            return bool(hit.on_server)
        return None


__all__ = [
    "SERVER_MARK",
    "SORT_DATE",
    "SORT_RELEVANCE",
    "HitRole",
    "OnServerRole",
    "ResultColumn",
    "SearchResultsModel",
    "hit_key",
]
