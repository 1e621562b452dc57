"""Draws the message list's marks column as icons (flag, attachment).

The model gives the marks as text ("⚑📎") for accessibility and tests, but
the bundled Thai font has no glyphs for them (they would show as boxes), so
the view paints small icons instead; the tooltip still says what they mean.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from govmail_desktop.models.message_list import FlaggedRole, HasAttachmentsRole
from govmail_desktop.ui import icons

ICON = 14
GAP = 3


class MarksDelegate(QStyledItemDelegate):
    """Flag and paper-clip icons instead of the marks text."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        names = []
        if index.data(FlaggedRole):
            names.append("mail-flag")
        if index.data(HasAttachmentsRole):
            names.append("mail-attachment")
        x = option.rect.left() + GAP
        y = option.rect.top() + (option.rect.height() - ICON) // 2
        for name in names:
            icons.icon(name).paint(painter, QRect(x, y, ICON, ICON))
            x += ICON + GAP

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(2 * (ICON + GAP) + GAP, max(hint.height(), ICON + 2))
