"""Ctrl+F: find in the opened message (a bar above the text, as in Thunderbird and the browsers).

Typing marks every match in the message (plain or formatted) through the preview's
:class:`~govmail_desktop.ui.highlight.TextHighlighter` — the one matcher, so ``นำ`` is found
in ``การนำเสนอ`` whatever way ำ was typed, and a tone mark is never lit without its
consonant. Enter / F3 go to the next match, Shift+Enter / Shift+F3 to the previous one;
Esc closes the bar and takes the marks away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from govmail_desktop.ui.highlight import TextHighlighter


class FindBar(QWidget):
    """Find text in one message view; hidden until :meth:`open_bar`."""

    def __init__(self, highlighter: TextHighlighter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.highlighter = highlighter
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(highlighter.set_find_text)
        self.field.installEventFilter(self)
        self.previous_button = QToolButton(self)
        self.previous_button.setObjectName("findPrevious")
        self.previous_button.setArrowType(Qt.ArrowType.UpArrow)
        self.previous_button.clicked.connect(highlighter.previous)
        self.next_button = QToolButton(self)
        self.next_button.setObjectName("findNext")
        self.next_button.setArrowType(Qt.ArrowType.DownArrow)
        self.next_button.clicked.connect(highlighter.next)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("findCount")
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("findClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.close_bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        self.caption = QLabel(self)
        row.addWidget(self.caption)
        row.addWidget(self.field, 1)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.count_label)
        row.addWidget(self.close_button)
        for key, step in ((QKeySequence(Qt.Key.Key_F3), highlighter.next),
                          (QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3), highlighter.previous)):
            shortcut = QShortcut(key, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(step)
        highlighter.found.connect(self._show_count)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        self.caption.setText(self.tr("Find:"))
        self.field.setPlaceholderText(self.tr("Find in this message"))
        self.previous_button.setToolTip(self.tr("Previous match (Shift+Enter)"))
        self.next_button.setToolTip(self.tr("Next match (Enter)"))
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self._show_count(self.highlighter.current, len(self.highlighter.find_spans))

    def changeEvent(self, event: QEvent) -> None:  # Qt's method name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def open_bar(self) -> None:
        """Show the bar with its text selected (Ctrl+F again: type a new text at once)."""
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text():
            self.highlighter.set_find_text(self.field.text())

    def close_bar(self) -> None:
        self.highlighter.set_find_text("")
        self.hide()
        self.highlighter.view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's method name
        if (watched is self.field and event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            event.accept()  # the bar's keys, not a window's shortcut (a message window closes on Esc)
            return True
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.highlighter.previous()
                else:
                    self.highlighter.next()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

    def _show_count(self, current: int, total: int) -> None:
        if not self.field.text().strip():
            self.count_label.setText("")
        elif total == 0:
            self.count_label.setText(self.tr("Not found"))
        else:
            self.count_label.setText(self.tr("{current} of {total}").format(current=current + 1, total=total))
