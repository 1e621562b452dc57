"""Draws the message list's marks column as icons (flag, attachment), and the official
markings of a subject as coloured badges (:class:`SubjectDelegate`).

The model gives the marks as text ("⚑📎") for accessibility and tests, but
the bundled Thai font has no glyphs for them (they would show as boxes), so
the view paints small icons instead; the tooltip still says what they mean.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from govmail_desktop.models.message_roles import FlaggedRole, HasAttachmentsRole, MarkingsRole, SubjectShownRole
from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.ui import icons
from govmail_desktop.ui.marking_badges import badges, badges_width, paint_badges

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


class SubjectDelegate(QStyledItemDelegate):
    """The subject column: official markings as coloured badges (urgency red, secrecy purple)
    in front of the subject, which is drawn without the marking words the badges stand for.
    Unmarked rows are drawn as usual."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        markings = index.data(MarkingsRole)
        if markings is None or not markings.marked:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        shown = index.data(SubjectShownRole) or ""
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        # The thread indentation stays in front of the badges.
        stripped = shown.lstrip(" ↳")
        indent = shown[: len(shown) - len(stripped)]
        metrics = QFontMetrics(opt.font)
        left = text_rect.left() + metrics.horizontalAdvance(indent)
        used = paint_badges(painter, QRect(left, text_rect.top(), max(0, text_rect.right() - left), text_rect.height()),
                            markings, opt.font)
        rest = QRect(left + used, text_rect.top(), max(0, text_rect.right() - left - used), text_rect.height())
        painter.save()
        painter.setFont(opt.font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        if indent:
            painter.drawText(QRect(text_rect.left(), text_rect.top(), left - text_rect.left(), text_rect.height()),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), indent)
        elided = metrics.elidedText(stripped, Qt.TextElideMode.ElideRight, rest.width())
        painter.drawText(rest, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        markings = index.data(MarkingsRole)
        if markings is None or not markings.marked:
            return hint
        return QSize(hint.width() + badges_width(markings, option.font), hint.height())

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        """The tooltip names the markings too (the badges are pictures to a screen reader)."""
        markings = index.data(MarkingsRole)
        if event is not None and markings is not None and markings.marked:
            tips = [tip for _, _, tip in badges(markings)]
            subject = index.data(Qt.ItemDataRole.ToolTipRole) or ""
            QToolTip.showText(event.globalPos(), plain_tooltip("\n".join([*tips, subject]).strip()), view)
            return True
        return super().helpEvent(event, view, option, index)
