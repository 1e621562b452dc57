"""Official markings shown as coloured badges: urgency in red (as it is printed on paper),
secrecy in dark purple, in the message list (painted by the subject delegate) and the
preview (a row of labels).

The badge words are the classes' names through the translator: the Thai words
(ด่วนที่สุด, ลับ, ...) in the Thai UI, English in the English one.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from govmail_desktop.core.compose import Secrecy, Urgency
from govmail_desktop.mime.markings import Markings
from govmail_desktop.models.plain_text import plain_label, plain_tooltip

URGENCY_COLOUR = QColor("#c62828")  # the red of ชั้นความเร็ว on paper
SECRECY_COLOUR = QColor("#5e2a84")
TEXT_COLOUR = QColor("#ffffff")
PAD_X = 4
GAP = 4
RADIUS = 3.0


def _urgency_text(urgency: Urgency) -> str:
    if urgency is Urgency.MOST_URGENT:
        return QCoreApplication.translate("MarkingBadge", "Most urgent")
    if urgency is Urgency.VERY_URGENT:
        return QCoreApplication.translate("MarkingBadge", "Very urgent")
    return QCoreApplication.translate("MarkingBadge", "Urgent")


def _secrecy_text(secrecy: Secrecy) -> str:
    if secrecy is Secrecy.TOP_SECRET:
        return QCoreApplication.translate("MarkingBadge", "Top secret")
    if secrecy is Secrecy.SECRET:
        return QCoreApplication.translate("MarkingBadge", "Secret")
    return QCoreApplication.translate("MarkingBadge", "Confidential")


def badges(markings: Markings | None) -> list[tuple[str, QColor, str]]:
    """(text, colour, tooltip) of each badge, urgency first (the order of the subject prefix)."""
    if markings is None:
        return []
    found = []
    if markings.urgency is not None:
        text = _urgency_text(markings.urgency)
        tip = QCoreApplication.translate("MarkingBadge", "Urgency: {level}").format(level=text)
        found.append((text, URGENCY_COLOUR, tip))
    if markings.secrecy is not None:
        text = _secrecy_text(markings.secrecy)
        tip = QCoreApplication.translate("MarkingBadge", "Secrecy: {level}").format(level=text)
        found.append((text, SECRECY_COLOUR, tip))
    return found


def badge_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setBold(True)
    if small.pointSizeF() > 0:
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
    return small


def badges_width(markings: Markings | None, font: QFont) -> int:
    """Pixels the badges take (with the gap after the last one); 0 when there are none."""
    metrics = QFontMetrics(badge_font(font))
    return sum(metrics.horizontalAdvance(text) + 2 * PAD_X + GAP for text, _, _ in badges(markings))


def paint_badges(painter: QPainter, rect: QRect, markings: Markings | None, font: QFont) -> int:
    """Paint the badges left to right in ``rect`` (vertically centred); returns the width used."""
    found = badges(markings)
    if not found:
        return 0
    small = badge_font(font)
    metrics = QFontMetrics(small)
    height = min(rect.height() - 2, metrics.height() + 2)
    top = rect.top() + (rect.height() - height) // 2
    x = rect.left()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(small)
    for text, colour, _ in found:
        width = metrics.horizontalAdvance(text) + 2 * PAD_X
        if x + width > rect.right():
            break
        box = QRectF(x, top, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(box, RADIUS, RADIUS)
        painter.setPen(TEXT_COLOUR)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        x += width + GAP
    painter.restore()
    return x - rect.left()


class MarkingBadges(QWidget):
    """A row of badge labels (the preview pane): hidden when the message is not marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markingBadges")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(GAP)
        self._layout.addStretch(1)
        self._markings: Markings | None = None
        self.labels: list[QLabel] = []
        self.hide()

    @property
    def markings(self) -> Markings | None:
        return self._markings

    def set_markings(self, markings: Markings | None) -> None:
        self._markings = markings
        for label in self.labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.labels = []
        for index, (text, colour, tip) in enumerate(badges(markings)):
            label = plain_label(QLabel(text, self))
            label.setObjectName("markingBadge")
            label.setToolTip(plain_tooltip(tip))
            label.setStyleSheet(
                f"QLabel {{ background: {colour.name()}; color: {TEXT_COLOUR.name()}; font-weight: bold;"
                f" border-radius: {int(RADIUS)}px; padding: 1px {PAD_X}px; }}"
            )
            self._layout.insertWidget(index, label)
            self.labels.append(label)
        self.setVisible(bool(self.labels))

    def texts(self) -> list[str]:
        return [label.text() for label in self.labels]

    def retranslate(self) -> None:
        self.set_markings(self._markings)
