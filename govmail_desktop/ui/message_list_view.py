"""The message list's view: a table laid out on demand, whatever the folder's size.

Why not a QTreeView (what the list was until issue 16): a tree view lays out every
row of its model when the model is set or reset — one item per row (about 40 bytes)
and, through ``QAbstractItemModel.hasIndex``, two calls into the Python model per row.
Measured with a 1,000,000-row model: 47 MB and 8 s before the first paint (100,000:
12 MB, 0.8 s). A table view asks only for the rows it shows and keeps uniform row
heights without a per-row record (1,000,000 rows: the same 6 MB as 100,000).

It behaves as the list did: whole rows are selected, Home/End go to the first/last
message, Left/Right do not wander between columns, no grid or row numbers, and
``header()`` is the column header (as a tree view's). When the model has no rows it
says why (:meth:`set_empty_text`) instead of showing a blank area.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from govmail_desktop.ui.message_delegate import ICON

_Cursor = QAbstractItemView.CursorAction


class MessageListView(QTableView):
    """Rows of messages, one line each (see the module's text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # One line of text (Thai vowels and tone marks included) or the marks column's icons.
        rows.setDefaultSectionSize(max(self.fontMetrics().height() + 8, ICON + 6))
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def header(self) -> QHeaderView:
        """The column header (a tree view's name for it)."""
        return self.horizontalHeader()

    def empty_text(self) -> str:
        return self._empty_text

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.viewport().update()

    def moveCursor(  # Qt's method name
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        if cursorAction in (_Cursor.MoveLeft, _Cursor.MoveRight):
            return self.currentIndex()  # one message a row: nothing to the side
        if cursorAction in (_Cursor.MoveHome, _Cursor.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier  # the first / last message, not column
        return super().moveCursor(cursorAction, modifiers)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's method name
        super().paintEvent(event)
        model = self.model()
        if self._empty_text and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            rect = self.viewport().rect().adjusted(12, 12, -12, -12)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._empty_text)
            painter.end()

