"""The quick filter bar over the message list (Ctrl+Shift+K), as Thunderbird's.

Buttons keep only the unread, flagged, with-attachment messages, or those from a contact
of the address book; the text box keeps those whose subject, sender, recipients or text
contain the words. It narrows the folder shown, nothing else:

* the conditions become a :class:`~govmail_desktop.store.list_filter.ListFilter`, which
  the message list's SQL paging applies (a 100,000-message folder is never walked in
  Python on the GUI thread);
* the text goes to the search service as a phrase limited to this folder (the one
  matcher, ``search.fold``: Thai normalisation, digits across scripts, case); its hits —
  local at once, the server's when they come — become the filter's UIDs;
* another folder shown: the filter is cleared (the bar stays open); Esc clears it and
  closes the bar.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from govmail_desktop.core.errors import StorageError
from govmail_desktop.models.list_counter import ListCounter
from govmail_desktop.models.plain_text import plain_label, plain_tooltip
from govmail_desktop.store.contacts import email_key
from govmail_desktop.store.list_filter import ListFilter
from govmail_desktop.ui import icons

log = logging.getLogger(__name__)

#: The text is searched once typing rests this long.
TEXT_DELAY_MS = 250


@dataclass(frozen=True)
class QuickFilterState:
    text: str = ""
    unread: bool = False
    flagged: bool = False
    attachment: bool = False
    contact: bool = False

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.unread or self.flagged or self.attachment or self.contact)


def phrase_query(text: str) -> str:
    """The bar's text as one phrase of the query language (quotes inside become spaces)."""
    cleaned = " ".join(text.replace('"', " ").replace("\u201c", " ").replace("\u201d", " ").split())
    return f'"{cleaned}"' if cleaned else ""


class QuickFilterBar(QWidget):
    """The bar's widgets. ``changed(QuickFilterState)`` after a button or (once typing rests)
    the text; ``closed()`` when Esc or ✕ closed it."""

    changed = Signal(object)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickFilterBar")
        self.unread_button = self._toggle("quickFilterUnread", "mail-mark-read")
        self.flagged_button = self._toggle("quickFilterFlagged", "mail-flag")
        self.attachment_button = self._toggle("quickFilterAttachment", "mail-attachment")
        self.contact_button = self._toggle("quickFilterContact", None)
        self.text_field = QLineEdit(self)
        self.text_field.setObjectName("quickFilterText")
        self.text_field.setClearButtonEnabled(True)
        self.text_field.installEventFilter(self)
        self.text_field.textChanged.connect(self._on_text)
        self.count_label = plain_label(QLabel(self))
        self.count_label.setObjectName("quickFilterCount")
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("quickFilterClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.clear_and_close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        for button in (self.unread_button, self.flagged_button, self.attachment_button, self.contact_button):
            row.addWidget(button)
        row.addWidget(self.text_field, 1)
        row.addWidget(self.count_label)
        row.addWidget(self.close_button)
        self._text_reason = ""
        self.retranslate_ui()
        self.hide()

    def _toggle(self, name: str, icon_name: str | None) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        if icon_name:
            button.setIcon(icons.icon(icon_name))
        button.toggled.connect(self._emit)
        return button

    def retranslate_ui(self) -> None:
        self.unread_button.setText(self.tr("Unread"))
        self.unread_button.setToolTip(self.tr("Only messages not read yet"))
        self.flagged_button.setText(self.tr("Flagged"))
        self.flagged_button.setToolTip(self.tr("Only flagged messages"))
        self.attachment_button.setText(self.tr("Attachment"))
        self.attachment_button.setToolTip(self.tr("Only messages with attached files"))
        self.contact_button.setText(self.tr("Contact"))
        self.contact_button.setToolTip(self.tr("Only messages from people in your contacts"))
        self.text_field.setPlaceholderText(self.tr("Filter these messages <Ctrl+Shift+K>"))
        self.text_field.setToolTip(plain_tooltip(self._text_reason or self.tr(
            "Keeps the messages whose subject, sender, recipients or text contain these words")))
        self.close_button.setToolTip(self.tr("Clear the filter and close the bar (Esc)"))

    def changeEvent(self, event: QEvent) -> None:  # Qt's method name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_text_available(self, available: bool, reason: str = "") -> None:
        """Without a search service the text box cannot filter: disabled, saying why."""
        self.text_field.setEnabled(available)
        self._text_reason = "" if available else reason
        self.retranslate_ui()

    def state(self) -> QuickFilterState:
        return QuickFilterState(
            text=self.text_field.text() if self.text_field.isEnabled() else "",
            unread=self.unread_button.isChecked(),
            flagged=self.flagged_button.isChecked(),
            attachment=self.attachment_button.isChecked(),
            contact=self.contact_button.isChecked(),
        )

    def open_bar(self) -> None:
        """Show the bar, the text box focused (Ctrl+Shift+K)."""
        self.show()
        self.text_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_field.selectAll()

    def reset(self, *, emit: bool = True) -> None:
        """Every condition off (the bar stays as it is)."""
        self._timer.stop()
        widgets = (self.unread_button, self.flagged_button, self.attachment_button, self.contact_button,
                   self.text_field)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            for button in widgets[:4]:
                button.setChecked(False)
            self.text_field.clear()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        if emit:
            self.changed.emit(self.state())

    @Slot()
    def clear_and_close(self) -> None:
        self.reset(emit=not self.state().empty)
        self.hide()
        self.closed.emit()

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def _on_text(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def _emit(self, *_args: Any) -> None:
        self._timer.stop()
        self.changed.emit(self.state())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's method name
        if watched is self.text_field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.clear_and_close()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._emit()  # at once, without waiting for the pause
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's method name
        if event.key() == Qt.Key.Key_Escape:
            self.clear_and_close()
            return
        super().keyPressEvent(event)


class QuickFilterController(QObject):
    """Joins the bar to the message list of the account shown and to the search service.

    ``current`` gives the shown account's ``MailboxModels``; ``contacts`` the address
    book's contacts (None: there is none); ``search`` the search service (None: the text
    box is disabled and says why).
    """

    def __init__(
        self,
        window: Any,
        current: Callable[[], Any],
        *,
        search: Any = None,
        contacts: Callable[[], list[Any]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.bar: QuickFilterBar = window.quick_filter_bar
        self.current = current
        self.search = search
        self.contacts = contacts
        self._ids = itertools.count(1_000_000)  # apart from the search view's request ids
        self._request: int | None = None
        #: What the pending text search is for: (models, folder id, state).
        self._asked: tuple[Any, int, QuickFilterState] | None = None
        self._uids: set[int] = set()
        #: The engine answered its most (SEARCH_LIMIT): only the newest matches are shown.
        self._capped = False
        self._joined: set[int] = set()
        #: The folders' message totals ("N of total"), counted off the GUI thread (a
        #: 1,000,000-message folder takes 30-50 ms) per account: {id(models): counter}, the
        #: last totals {(id(models), folder id): total} and the count awaited (id(models), ticket).
        self._counters: dict[int, ListCounter] = {}
        self._totals: dict[tuple[int, int], int] = {}
        self._total_asked: tuple[int, int] | None = None
        self.bar.changed.connect(self.apply)
        self.bar.closed.connect(self._on_closed)
        window.quick_filter_action.triggered.connect(self.open_bar)
        if search is not None:
            search.results.connect(self._on_hits)
            search.server_results.connect(self._on_hits)
            search.failed.connect(self._on_failed)
            search.finished.connect(self._on_finished)
        else:
            self.bar.set_text_available(False, self.tr(
                "Filtering by text needs the search index, which could not be opened; the log says why"))

    # ------------------------------------------------------------------ joining the shown account

    def join(self, models: Any) -> None:
        """Follow this account's list (its folder changes clear the filter; its changes recount)."""
        if id(models) in self._joined:
            return
        self._joined.add(id(models))
        model = models.message_model
        models.service.folder_shown.connect(lambda _folder, m=models: self._on_folder_shown(m))
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(lambda *_a, m=models: self._show_count(m))

    @Slot()
    def open_bar(self) -> None:
        models = self.current()
        if models is None:
            return
        self.join(models)
        self.bar.open_bar()
        self._show_count(models)

    def clear(self) -> None:
        """Drop the filter of the list shown (the bar's buttons and text too; it stays open)."""
        self._cancel()
        self.bar.reset(emit=False)
        models = self.current()
        if models is not None:
            models.message_model.set_filter(None)
            self._show_count(models)

    def clear_all(self, all_models: Any) -> None:
        """Another account is shown: no list keeps a filter the bar no longer shows."""
        self._cancel()
        self.bar.reset(emit=False)
        for models in all_models:
            models.message_model.set_filter(None)
        current = self.current()
        if current is not None:
            self._show_count(current)

    def _on_folder_shown(self, models: Any) -> None:
        if models is not self.current():
            return
        self._cancel()
        self.bar.reset(emit=False)  # the list dropped the filter with the folder
        self._show_count(models)

    def _on_closed(self) -> None:
        self.window.message_view.setFocus()

    # ------------------------------------------------------------------ applying

    @Slot(object)
    def apply(self, state: QuickFilterState) -> None:
        models = self.current()
        if models is None:
            return
        self.join(models)
        folder_id = models.message_model.folder_id
        self._cancel()
        if folder_id is None:
            return
        if not state.text.strip() or self.search is None:
            self._set_filter(models, state, None)
            return
        self._ask_text(models, folder_id, state)

    def _base_filter(self, state: QuickFilterState, uids: frozenset[int] | None) -> ListFilter:
        senders: frozenset[str] | None = None
        if state.contact:
            senders = frozenset(self._contact_keys())
        return ListFilter(unread=state.unread, flagged=state.flagged, attachment=state.attachment,
                          senders=senders, uids=uids)

    def _contact_keys(self) -> set[str]:
        if self.contacts is None:
            return set()
        try:
            return {email_key(e) for contact in self.contacts() for e in contact.emails if e}
        except StorageError as exc:
            log.warning("Contacts could not be read for the quick filter: %s", exc)
            return set()

    def _set_filter(self, models: Any, state: QuickFilterState, uids: frozenset[int] | None) -> None:
        models.message_model.set_filter(self._base_filter(state, uids))
        self._show_count(models)

    def _ask_text(self, models: Any, folder_id: int, state: QuickFilterState) -> None:
        from govmail_desktop.search.engine import SearchScope

        cached = models.service.folder(folder_id)
        if cached is None:
            return
        account = models.service.account_id
        self._request = next(self._ids)
        self._asked = (models, folder_id, state)
        self._uids = set()
        self._capped = False
        self.bar.set_count(self.tr("Searching…"))
        self.search.search(self._request, phrase_query(state.text),
                           SearchScope(account_ids=(account,), folder=(account, cached.name)), "date")

    def _cancel(self) -> None:
        if self._request is not None and self.search is not None:
            self.search.cancel(self._request)
        self._request = None
        self._asked = None

    @Slot(int, object)
    def _on_hits(self, request_id: int, hits: Any) -> None:
        if request_id != self._request or self._asked is None:
            return
        models, folder_id, state = self._asked
        if models is not self.current() or models.message_model.folder_id != folder_id:
            return
        from govmail_desktop.search.engine import DEFAULT_LIMIT as SEARCH_LIMIT  # not before the window draws

        hits = list(hits)
        self._capped = self._capped or len(hits) >= SEARCH_LIMIT
        self._uids.update(int(h.uid) for h in hits)
        self._set_filter(models, state, frozenset(self._uids))

    @Slot(int)
    def _on_finished(self, request_id: int) -> None:
        if request_id == self._request and self._asked is not None and not self._uids:
            self._on_hits(request_id, [])  # nothing found: an empty list, not the whole folder
        if request_id == self._request:
            self._request = None

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id != self._request:
            return
        self._request = None
        self.bar.set_count(message)

    def _show_count(self, models: Any) -> None:
        """"N of total": N is the list's; the folder's total is asked of a counter (shown
        as it was last counted, or "…", until the answer comes)."""
        if models is not self.current() or not self.bar.isVisible():
            return
        model = models.message_model
        if model.list_filter is None:
            self.bar.set_count("")
            return
        folder_id = model.folder_id
        if folder_id is None:
            self._render_count(models, 0)
            return
        counter = self._counters.get(id(models))
        if counter is None:
            counter = self._counters[id(models)] = ListCounter(models.service.cache, self)
            counter.counted.connect(lambda ticket, n, m=models: self._on_total(m, ticket, n))
        self._total_asked = (id(models), counter.ask(folder_id, None))
        self._render_count(models, self._totals.get((id(models), folder_id)))

    def _on_total(self, models: Any, ticket: int, total: int) -> None:
        if self._total_asked != (id(models), ticket):
            return  # a later count is coming
        self._total_asked = None
        folder_id = models.message_model.folder_id
        if total >= 0 and folder_id is not None:  # -1: the cache could not be read (logged)
            self._totals[(id(models), folder_id)] = total
        if models is self.current() and self.bar.isVisible() and models.message_model.list_filter is not None:
            self._render_count(models, self._totals.get((id(models), folder_id)) if folder_id is not None else 0)

    def _render_count(self, models: Any, total: int | None) -> None:
        model = models.message_model
        total_text = "…" if total is None else str(total)
        if model.list_filter is not None and model.list_filter.uids is not None and self._capped:
            from govmail_desktop.search.engine import DEFAULT_LIMIT as SEARCH_LIMIT

            self.bar.set_count(self.tr("{shown} of {total} (the newest {limit} matches)").format(
                shown=model.rowCount(), total=total_text, limit=SEARCH_LIMIT))
            return
        self.bar.set_count(self.tr("{shown} of {total}").format(shown=model.rowCount(), total=total_text))


__all__ = ["QuickFilterBar", "QuickFilterController", "QuickFilterState", "phrase_query"]
