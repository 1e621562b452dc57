"""The search view: a query box, the results of every folder and account, what went wrong.

It takes the message list's place (the preview stays below it: a result chosen is read
there); ``ui/search_controller.py`` runs the searches through the search service and
opens the results. This widget only shows and reports:

* the query box (Enter searches), the order (date / relevance), Help, Save Search…, close;
* under the box, a malformed query's message with the bad part of the query underlined
  (the parser's position and length), or the state of the search (searching here, on the
  servers, how many found);
* the results (date, from, subject, folder, ☁ found on the server) with the query's words
  marked in the subject and sender columns (whole Thai clusters, ui/highlight.py).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.models.plain_text import plain_label, plain_tooltip
from govmail_desktop.models.search_results import (
    SORT_DATE,
    SORT_RELEVANCE,
    HitRole,
    ResultColumn,
    SearchResultsModel,
)
from govmail_desktop.ui import icons
from govmail_desktop.ui.highlight import HighlightDelegate

ERROR_COLOUR = "#b71c1c"


def error_html(query: str, message: str, position: int, length: int) -> str:
    """The message, and the query with its bad part underlined (all of it escaped)."""
    position = max(0, min(position, len(query)))
    end = max(position + 1, min(len(query), position + max(1, length)))
    bad = query[position:end] or "\u00a0"  # a missing part at the end: a marked space
    shown = (
        html.escape(query[:position])
        + f'<span style="color:{ERROR_COLOUR}; text-decoration: underline; font-weight: bold;">'
        + html.escape(bad).replace(" ", "&nbsp;")
        + "</span>"
        + html.escape(query[end:])
    )
    return f'<span style="color:{ERROR_COLOUR};">{html.escape(message)}</span><br>{shown}'


class SearchView(QWidget):
    """Query box and results. Signals:

    * ``search_requested(str)`` — the user asked to search (Enter, the button);
    * ``sort_changed(str)`` — ``"date"`` or ``"relevance"``;
    * ``result_selected(object)`` — the current result (a ``Hit``): read it in the preview;
    * ``result_opened(object)`` — a result double-clicked or Enter: show it in its folder;
    * ``save_requested(str)`` — Save Search… with the query in the box;
    * ``help_requested()``, ``close_requested()``.
    """

    search_requested = Signal(str)
    sort_changed = Signal(str)
    result_selected = Signal(object)
    result_opened = Signal(object)
    save_requested = Signal(str)
    help_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, model: SearchResultsModel | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchView")
        self.model = model or SearchResultsModel(self)
        self.title_label = plain_label(QLabel(self))
        self.title_label.setObjectName("searchTitle")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.hide()
        self.query_field = QLineEdit(self)
        self.query_field.setObjectName("searchQuery")
        self.query_field.setClearButtonEnabled(True)
        self.query_field.returnPressed.connect(self._on_search)
        self.query_field.textEdited.connect(self._on_edited)
        self.search_button = QPushButton(self)
        self.search_button.setObjectName("searchButton")
        self.search_button.setIcon(icons.icon("edit-find"))
        self.search_button.clicked.connect(self._on_search)
        self.sort_combo = QComboBox(self)
        self.sort_combo.setObjectName("searchSort")
        self.sort_combo.addItem("", SORT_DATE)
        self.sort_combo.addItem("", SORT_RELEVANCE)
        self.sort_combo.currentIndexChanged.connect(self._on_sort)
        self.help_button = QToolButton(self)
        self.help_button.setObjectName("searchHelpButton")
        self.help_button.setText("?")
        self.help_button.clicked.connect(self.help_requested)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("searchSaveButton")
        self.save_button.clicked.connect(self._on_save)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("searchClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.close_requested)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("searchError")
        self.error_label.setTextFormat(Qt.TextFormat.RichText)  # built by error_html: all escaped
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.status_label = plain_label(QLabel(self))
        self.status_label.setObjectName("searchStatus")

        self.results = QTreeView(self)
        self.results.setObjectName("searchResults")
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setModel(self.model)
        self.subject_delegate = HighlightDelegate(self.results)
        self.from_delegate = HighlightDelegate(self.results)
        self.results.setItemDelegateForColumn(ResultColumn.SUBJECT, self.subject_delegate)
        self.results.setItemDelegateForColumn(ResultColumn.FROM, self.from_delegate)
        header = self.results.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ResultColumn.SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.results.setColumnWidth(ResultColumn.DATE, 130)
        self.results.setColumnWidth(ResultColumn.FROM, 190)
        self.results.setColumnWidth(ResultColumn.FOLDER, 150)
        self.results.setColumnWidth(ResultColumn.SERVER, 32)
        self.results.selectionModel().currentRowChanged.connect(self._on_current)
        self.results.doubleClicked.connect(self._on_double_click)
        self.results.installEventFilter(self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.query_field, 1)
        top.addWidget(self.search_button)
        top.addWidget(self.sort_combo)
        top.addWidget(self.help_button)
        top.addWidget(self.save_button)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(3)
        layout.addWidget(self.title_label)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.results, 1)
        QWidget.setTabOrder(self.query_field, self.results)
        self.retranslate_ui()

    # ------------------------------------------------------------------ texts

    def retranslate_ui(self) -> None:
        self.query_field.setPlaceholderText(
            self.tr('Search: words, "a phrase", from:, subject:, has:attachment, after:1/10/2568 …')
        )
        self.search_button.setText(self.tr("Search"))
        self.sort_combo.setItemText(0, self.tr("Newest first"))
        self.sort_combo.setItemText(1, self.tr("Best match first"))
        self.sort_combo.setToolTip(self.tr("Order of the results"))
        self.help_button.setToolTip(self.tr("How to search: every operator with an example"))
        self.save_button.setText(self.tr("Save Search…"))
        self.save_button.setToolTip(self.tr("Keep this search as a folder in the folder list"))
        self.close_button.setToolTip(self.tr("Close the search and go back to the folder"))

    def changeEvent(self, event: QEvent) -> None:  # Qt's method name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ what the controller shows

    def set_title(self, title: str) -> None:
        """A saved search's name above the box ("" hides it)."""
        self.title_label.setText(title)
        self.title_label.setVisible(bool(title))

    def set_query(self, text: str) -> None:
        self.query_field.setText(text)
        self.clear_error()

    def query(self) -> str:
        return self.query_field.text()

    def sort(self) -> str:
        return str(self.sort_combo.currentData())

    def show_error(self, message: str, position: int | None = None, length: int = 1) -> None:
        """A malformed query (its bad part underlined when known) or a failed search."""
        if position is None:
            text = f'<span style="color:{ERROR_COLOUR};">{html.escape(message)}</span>'
        else:
            text = error_html(self.query(), message, position, length)
        self.error_label.setText(text)
        self.error_label.setToolTip(plain_tooltip(message))
        self.error_label.show()
        self.status_label.hide()
        if position is not None:
            self.query_field.setFocus()
            self.query_field.setSelection(position, max(1, length))

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
        self.status_label.show()

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def set_terms(self, subject_terms: tuple[str, ...], from_terms: tuple[str, ...]) -> None:
        """The words to mark in the subject and sender columns."""
        self.subject_delegate.set_terms(subject_terms)
        self.from_delegate.set_terms(from_terms)
        self.results.viewport().update()

    def focus_query(self) -> None:
        self.query_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_field.selectAll()

    def current_hit(self) -> object | None:
        index = self.results.currentIndex()
        return index.data(HitRole) if index.isValid() else None

    # ------------------------------------------------------------------ user actions

    def _on_search(self) -> None:
        self.search_requested.emit(self.query())

    def _on_edited(self, _text: str) -> None:
        if self.error_label.isVisible():
            self.clear_error()  # the user is fixing it

    def _on_sort(self, _index: int) -> None:
        self.model.set_sort(self.sort())
        self.sort_changed.emit(self.sort())

    def _on_save(self) -> None:
        if self.query().strip():
            self.save_requested.emit(self.query())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hit = current.data(HitRole) if current.isValid() else None
        if hit is not None:
            self.result_selected.emit(hit)

    def _on_double_click(self, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is not None:
            self.result_opened.emit(hit)

    def eventFilter(self, watched: object, event: QEvent) -> bool:  # Qt's method name
        if watched is self.results and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                hit = self.current_hit()
                if hit is not None:
                    self.result_opened.emit(hit)
                    return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's method name
        if event.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
            return
        super().keyPressEvent(event)


__all__ = ["SearchView", "error_html"]
