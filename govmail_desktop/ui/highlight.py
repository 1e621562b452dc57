"""Search matches highlighted: in the search results and in the opened message.

Every span comes from :func:`govmail_desktop.search.fold.find_spans` — the one matcher
(Thai normalisation, digits across scripts, case and accents) — which widens it to whole
grapheme clusters: a Thai consonant is never lit without its vowels and tone marks
(``นำ`` in ``การนำเสนอ``, ``ที่`` in ``ที่ประชุม``).

* :func:`match_spans` — the merged spans of several terms in one text;
* :func:`highlighted_html` — a text as escaped HTML with its spans marked (the results'
  delegate draws it; the sender's text never becomes markup);
* :class:`HighlightDelegate` — draws a column of the results with its matches marked;
* :class:`TextHighlighter` — marks the matches in a ``QTextEdit`` (the preview's message
  text, plain or formatted) through extra selections, again after each new content, and
  steps through them for Ctrl+F (next / previous, the current one in another colour).

Positions: Python indexes count code points, Qt's text positions UTF-16 units; the two
differ after a character outside the BMP (an emoji), so spans are converted.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTextEdit, QWidget

from govmail_desktop.search.fold import find_spans

#: Background of a match (a soft yellow, as Thunderbird and the browsers mark them).
MATCH_COLOUR = QColor("#fff176")
#: Background of the match Ctrl+F is on.
CURRENT_COLOUR = QColor("#ff9632")
#: Matches marked in one message at most (a one-letter term in a long letter).
MAX_MARKS = 5000

Span = tuple[int, int]


def match_spans(text: str, terms: Iterable[str]) -> list[Span]:
    """Every match of any of ``terms`` in ``text`` (code-point offsets), sorted and merged."""
    spans: list[Span] = []
    for term in terms:
        if term and term.strip():
            spans.extend(find_spans(text, term))
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlighted_html(text: str, spans: Sequence[Span], colour: QColor = MATCH_COLOUR) -> str:
    """``text`` escaped for rich text, each span in a marked run."""
    out: list[str] = []
    at = 0
    for start, end in spans:
        out.append(html.escape(text[at:start]))
        out.append(f'<span style="background-color:{colour.name()};">{html.escape(text[start:end])}</span>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out).replace("\n", " ")


def utf16_positions(text: str) -> list[int] | None:
    """For each code-point index (and the end) its UTF-16 offset; None when they are equal."""
    if all(ord(c) < 0x10000 for c in text):
        return None
    positions = [0] * (len(text) + 1)
    at = 0
    for i, ch in enumerate(text):
        positions[i] = at
        at += 2 if ord(ch) >= 0x10000 else 1
    positions[len(text)] = at
    return positions


class HighlightDelegate(QStyledItemDelegate):
    """Draws a text column with the matches of :attr:`terms` marked (plain text only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terms: tuple[str, ...] = ()

    def set_terms(self, terms: Iterable[str]) -> None:
        self.terms = tuple(t for t in terms if t and t.strip())

    def spans_for(self, index: QModelIndex | QPersistentModelIndex) -> list[Span]:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        return match_spans(str(text), self.terms) if text and self.terms else []

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        spans = self.spans_for(index)
        if not spans:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(opt.font)
        document.setHtml(highlighted_html(text, spans))
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.setClipRect(rect)
        top = rect.top() + max(0.0, (rect.height() - document.size().height()) / 2)
        painter.translate(rect.left() + 2, top)
        context.clip = QRectF(0, 0, rect.width(), rect.height())
        document.documentLayout().draw(painter, context)
        painter.restore()


class TextHighlighter(QObject):
    """Marks matches in a ``QTextEdit``: the search's terms, and Ctrl+F's text with a current match.

    ``content_changed`` of the view (a new message, or the same one plain/formatted) makes
    it mark again. Signals: ``found(int current, int total)`` after each change (current is
    -1 when there is no match or no find text).
    """

    found = Signal(int, int)

    def __init__(self, view: QTextEdit, parent: QObject | None = None) -> None:
        super().__init__(parent or view)
        self.view = view
        self.terms: tuple[str, ...] = ()
        self.find_text = ""
        #: Matches of the search terms, then of the find text, in document positions.
        self.term_spans: list[Span] = []
        self.find_spans: list[Span] = []
        self.current = -1
        changed = getattr(view, "content_changed", None)
        if changed is not None:
            changed.connect(self.refresh)

    def set_terms(self, terms: Iterable[str]) -> None:
        """The search's text terms, marked in every message shown (empty: none)."""
        self.terms = tuple(t for t in terms if t and t.strip())
        self.refresh()

    def set_find_text(self, text: str) -> None:
        """Ctrl+F's text: its matches marked, the first one current."""
        self.find_text = text
        self.current = -1
        self.refresh()
        if self.find_spans:
            self.go(0)

    def refresh(self) -> None:
        """Find the matches again in what the view shows now and mark them."""
        text = self.view.document().toPlainText()
        utf16 = utf16_positions(text)

        def convert(spans: list[Span]) -> list[Span]:
            spans = spans[:MAX_MARKS]
            if utf16 is None:
                return spans
            return [(utf16[s], utf16[e]) for s, e in spans]

        self.term_spans = convert(match_spans(text, self.terms)) if self.terms else []
        self.find_spans = convert(match_spans(text, [self.find_text])) if self.find_text.strip() else []
        if self.current >= len(self.find_spans):
            self.current = len(self.find_spans) - 1 if self.find_spans else -1
        self._mark()

    def _selection(self, span: Span, colour: QColor) -> Any:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setForeground(QColor("#000000"))
        selection.format = fmt
        return selection

    def _mark(self) -> None:
        selections = [self._selection(s, MATCH_COLOUR) for s in self.term_spans]
        selections += [
            self._selection(s, CURRENT_COLOUR if i == self.current else MATCH_COLOUR)
            for i, s in enumerate(self.find_spans)
        ]
        self.view.setExtraSelections(selections)
        self.found.emit(self.current, len(self.find_spans))

    def go(self, number: int) -> None:
        """Make match ``number`` (wrapping around) the current one and scroll to it."""
        if not self.find_spans:
            self.current = -1
            self._mark()
            return
        self.current = number % len(self.find_spans)
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.find_spans[self.current][0])
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()
        self._mark()

    def next(self) -> None:
        self.go(self.current + 1)

    def previous(self) -> None:
        self.go(self.current - 1 if self.current >= 0 else -1)

    def marked_texts(self) -> list[str]:
        """The text under each mark (tests and the accessibility of the find bar)."""
        text = self.view.document().toPlainText()
        utf16 = utf16_positions(text)
        if utf16 is None:
            return [text[s:e] for s, e in (*self.term_spans, *self.find_spans)]
        back = {p: i for i, p in enumerate(utf16)}
        return [text[back[s]:back[e]] for s, e in (*self.term_spans, *self.find_spans)]


__all__ = [
    "CURRENT_COLOUR",
    "MATCH_COLOUR",
    "HighlightDelegate",
    "TextHighlighter",
    "highlighted_html",
    "match_spans",
    "utf16_positions",
]
