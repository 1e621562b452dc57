"""The message list's view lays out only what it shows (issue 16 item 6).

A QTreeView lays out every row of its model on a reset: an item per row and, through
``hasIndex``, calls into the Python model for each (1,000,000 rows: 47 MB and seconds
before the first paint). The count of calls into the model is what tells, not time: the
view over a 1,000,000-row model may call ``rowCount`` a bounded number of times; the
planted QTreeView calls it for every row. Keyboard: Home/End reach the first/last
message, Left/Right stay on the row, whole rows are selected.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from govmail_desktop.ui.message_list_view import MessageListView

ROWS = 1_000_000
CALLS_BOUND = 2_000


class CountingModel(QAbstractTableModel):
    """A million rows of nothing much, counting how often the view asks for the count."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.count_calls = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        self.count_calls += 1
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return f"message {index.row()}" if role == Qt.ItemDataRole.DisplayRole else None


def planted_tree_view() -> QTreeView:
    view = QTreeView()
    view.setUniformRowHeights(True)
    view.setRootIsDecorated(False)
    return view


@pytest.mark.parametrize("make_view", [MessageListView, planted_tree_view], ids=["the-view", "planted-tree-view"])
def test_a_million_rows_are_not_laid_out_one_by_one(qtbot, make_view):
    model = CountingModel(ROWS)
    view = make_view()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    QTest.qWait(20)
    if isinstance(view, MessageListView):
        assert model.count_calls < CALLS_BOUND, f"{model.count_calls:,} calls of rowCount for one paint"
    else:
        assert model.count_calls > ROWS, "the planted tree view was expected to lay out every row"


def test_keys_move_between_messages_not_columns(qtbot):
    model = CountingModel(100)
    view = MessageListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    view.setCurrentIndex(model.index(5, 1))
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (5, 1)
    QTest.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == 99
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().row() == 0
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    assert view.header() is view.horizontalHeader()
    assert not view.verticalHeader().isVisible()
