"""Joins the search view, the saved searches and the quick filter to the window and the search service.

* **Search view** (Ctrl+K, Edit → Search…, the toolbar's search field): takes the message
  list's place above the preview. A query is first parsed here (``search.query``, pure and
  instant) so a malformed one is shown under the box with its bad part underlined and never
  sent; a good one goes to the :class:`~govmail_desktop.services.search_service.SearchService`
  with a new request id (the previous one cancelled). Its signals bring the local hits, then
  the servers' (marked ☁), then ``finished``; the GUI thread never waits for any of it.
* **Opening a result**: the result's account and folder are shown in the (hidden) message
  list and the message selected there, so the preview reads it and every message action
  (Reply, Delete, M, S…) acts on exactly that message; the query's words are marked in the
  preview's text. Double-click / Enter shows it in its folder (the search closes).
* **Saved searches** (virtual folders, ``core/saved_searches.py``): Save Search… in the view;
  Rename…/Remove in the folder tree's context menu; choosing one in the tree runs its query.
* **Quick filter** (Ctrl+Shift+K): :class:`~govmail_desktop.ui.quick_filter.QuickFilterController`.

Choosing any other folder in the tree (or Esc / ✕ in the view) brings the message list back.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import GovMailError, StorageError
from govmail_desktop.i18n.catalog import Msg, current_language
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.models.folder_tree import SAVED_SEARCH_ROLE, SavedSearchIdRole, SpecialUseRole
from govmail_desktop.models.search_results import SORT_RELEVANCE, HitRole
from govmail_desktop.search.engine import DEFAULT_LIMIT as SEARCH_LIMIT
from govmail_desktop.search.query import QueryError, TextTerm, parse_query
from govmail_desktop.ui.quick_filter import QuickFilterController
from govmail_desktop.ui.search_help import SearchHelpDialog

log = logging.getLogger(__name__)


def query_terms(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The words to mark: (in subjects, in senders, in the message text); () when it does not parse."""
    try:
        query = parse_query(text)
    except QueryError:
        return (), (), ()
    words = [t for t in query.terms if isinstance(t, TextTerm) and not t.negated]
    subject = tuple(t.text for t in words if t.field in ("any", "subject"))
    sender = tuple(t.text for t in words if t.field in ("any", "from"))
    body = tuple(t.text for t in words if t.field == "any")
    return subject, sender, body


class SearchController(QObject):
    """The search side of one main window (see the module's text)."""

    def __init__(
        self,
        window: Any,
        mailboxes: Any,
        *,
        search: Any = None,
        saved: Any = None,
        save_settings: Callable[[], None] | None = None,
        bridge: Any = None,
        contacts: Callable[[], list[Any]] | None = None,
        thai_digits: Callable[[], bool] = lambda: False,
        open_window: Callable[[Any, int, int], Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.mailboxes = mailboxes  # the MailboxController: .mailboxes, .current, .activate()
        self.search = search
        self.saved = saved
        self.save_settings = save_settings
        self.bridge = bridge
        self._thai_digits = thai_digits
        #: Opens a message in its own window (MessageWindowController.open_message), if there is one.
        self.open_window = open_window
        self.view = window.search_view
        self.view.model.folder_label = self.folder_label
        self._ids = itertools.count(1)
        self.request: int | None = None
        self._searching = False
        self._server_pending = False
        self._routing = False
        self._bound_selection: Any = None
        self._trees: set[int] = set()
        self._help: SearchHelpDialog | None = None
        self._body_terms: tuple[str, ...] = ()
        #: What the server part said (offline, a refusal, too many found): after the count.
        self._server_note = ""
        #: Local hits of the request shown (the engine answers at most SEARCH_LIMIT).
        self._local_count = 0
        #: The saved search shown (its id), or None.
        self.saved_shown: str | None = None
        self.quick_filter = QuickFilterController(
            window, lambda: self.mailboxes.current, search=search, contacts=contacts, parent=self
        )

    # ------------------------------------------------------------------ joining the window

    def install(self) -> None:
        w = self.window
        from govmail_desktop.ui.main_window import REASON_NO_ACCOUNT, REASON_NO_SEARCH

        available = self.search is not None
        w.set_action_state(w.find_action, available, REASON_NO_SEARCH)
        w.set_action_state(w.quick_filter_action, self.mailboxes.current is not None, REASON_NO_ACCOUNT)
        w.find_action.triggered.connect(self._on_find_action)
        w.search_field.setEnabled(available)
        w.search_field.returnPressed.connect(self._on_toolbar_search)
        v = self.view
        v.search_requested.connect(self.run)
        v.sort_changed.connect(self._on_sort)
        v.result_selected.connect(self.show_hit)
        v.result_opened.connect(self.open_result)
        v.results.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        v.results.customContextMenuRequested.connect(self._results_menu)
        w.quick_filter_action.triggered.connect(self._on_quick_filter)
        self.view.model.set_formatter(DateFormatter(thai_digits=self._thai_digits()))
        v.save_requested.connect(self.ask_save)
        v.help_requested.connect(self.show_help)
        v.close_requested.connect(self.show_list)
        if self.search is not None:
            self.search.results.connect(self._on_results)
            self.search.server_results.connect(self._on_server_results)
            self.search.failed.connect(self._on_failed)
            self.search.finished.connect(self._on_finished)
            outcome = getattr(self.search, "server_outcome", None)
            if outcome is not None:  # offline, a server that cannot search Thai, too many found
                outcome.connect(self._on_server_outcome)
        w.account_combo.currentIndexChanged.connect(self._on_account_changed)
        w.folder_view.clicked.connect(self._on_folder_clicked)
        w.folder_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        w.folder_view.customContextMenuRequested.connect(self._folder_menu)
        w.retranslated.connect(self._retranslate)
        self.show_saved_in_trees()
        self._bind_tree()

    def _bind_tree(self) -> None:
        selection = self.window.folder_view.selectionModel()
        if selection is None or selection is self._bound_selection:
            return
        self._bound_selection = selection
        selection.currentChanged.connect(self._on_folder_current)

    @Slot(int)
    def _on_account_changed(self, _index: int) -> None:
        self.quick_filter.clear_all(self.mailboxes.mailboxes)
        self.show_saved_in_trees()
        self._bind_tree()
        from govmail_desktop.ui.main_window import REASON_NO_ACCOUNT

        self.window.set_action_state(self.window.quick_filter_action, self.mailboxes.current is not None,
                                     REASON_NO_ACCOUNT)

    @Slot(QModelIndex)
    def _on_folder_clicked(self, index: QModelIndex) -> None:
        self._bind_tree()
        if index.data(SpecialUseRole) == SAVED_SEARCH_ROLE:
            self._on_folder_current(index, QModelIndex())

    @Slot(QModelIndex, QModelIndex)
    def _on_folder_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._routing or getattr(self.mailboxes, "showing_folder", False) or not current.isValid():
            return  # the tree follows the list or was rebuilt: not the user's choice of a folder
        if current.isValid() and current.data(SpecialUseRole) == SAVED_SEARCH_ROLE:
            self.open_saved(str(current.data(SavedSearchIdRole)))
            return
        if self.search_shown:
            self.show_list(focus=False)

    # ------------------------------------------------------------------ pages

    @property
    def search_shown(self) -> bool:
        return self.window.list_pages.currentWidget() is self.view

    @Slot()
    def _on_find_action(self) -> None:
        self.open_search()

    def open_search(self, query: str | None = None, *, run: bool = False, title: str = "") -> None:
        """Show the search view (Ctrl+K): with ``query`` in the box, searched at once when ``run``."""
        if self.search is None:
            return
        w = self.window
        w.list_pages.setCurrentWidget(self.view)
        w.message_view.clearSelection()  # no message action on mail not in sight
        if not title:
            self.saved_shown = None
        self.view.set_title(title)
        if query is not None:
            self.view.set_query(query)
        if run:
            self.run(self.view.query())
        else:
            self.view.focus_query()

    @Slot()
    def show_list(self, *, focus: bool = True) -> None:
        """Back to the folder's messages (the search's marks leave the preview)."""
        self._cancel()
        self.window.list_pages.setCurrentWidget(self.window.list_page)
        self.window.preview_view.highlighter.set_terms(())
        self.saved_shown = None
        if focus:
            self.window.message_view.setFocus()
            current = self.mailboxes.current
            if current is not None:
                index = current.folder_model.index_for_folder(current.service.current_folder_id or -1)
                if index.isValid():
                    routing, self._routing = self._routing, True
                    try:
                        self.window.folder_view.setCurrentIndex(index)
                    finally:
                        self._routing = routing

    def _on_toolbar_search(self) -> None:
        text = self.window.search_field.text()
        if text.strip():
            self.open_search(text, run=True)
            self.window.search_field.clear()

    # ------------------------------------------------------------------ searching

    @Slot(str)
    def run(self, text: str) -> None:
        """Parse, then search (a malformed query is shown and never sent)."""
        if self.search is None:
            return
        self._cancel()
        self.view.model.clear()
        if self.search_shown:
            self.window.message_view.clearSelection()  # the preview showed a result of the last search
        if not text.strip():
            self.view.clear_error()
            self.view.show_status("")
            return
        try:
            parse_query(text)
        except QueryError as err:
            self.view.show_error(err.user_text(current_language()), err.position, err.length)
            self.view.set_terms((), ())
            return
        self.view.clear_error()
        subject, sender, body = query_terms(text)
        self.view.set_terms(subject, sender)
        self._body_terms = body
        from govmail_desktop.search.engine import SearchScope

        self.request = next(self._ids)
        self._server_note = ""
        self._local_count = 0
        self._searching = True
        self._server_pending = False
        self._show_progress()
        self.search.search(self.request, text, SearchScope(), self.view.sort())

    def _cancel(self) -> None:
        if self.request is not None and self.search is not None and self._searching:
            self.search.cancel(self.request)
        self._searching = False

    def _on_sort(self, _sort: str) -> None:
        if self.view.query().strip() and self.view.error_label.isHidden():
            self.run(self.view.query())  # the engine picks its best hits for this order

    @Slot(int, object)
    def _on_results(self, request_id: int, hits: Any) -> None:
        if request_id != self.request:
            return
        self._local_count += len(hits)
        self.view.model.add_hits(hits)
        self._server_pending = True
        self._show_progress()

    @Slot(int, object)
    def _on_server_results(self, request_id: int, hits: Any) -> None:
        if request_id != self.request:
            return
        self.view.model.add_hits(hits)
        self._show_progress()

    @Slot(int, object)
    def _on_server_outcome(self, request_id: int, outcome: Any) -> None:
        if request_id != self.request:
            return
        summary = getattr(outcome, "summary", None)
        self._server_note = str(summary() if callable(summary) else "")
        self._show_progress()

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id != self.request:
            return
        self._searching = False
        self.view.show_error(message)

    @Slot(int)
    def _on_finished(self, request_id: int) -> None:
        if request_id != self.request:
            return
        self._searching = False
        self._server_pending = False
        self._show_progress()

    def _show_progress(self) -> None:
        model = self.view.model
        count, on_server = model.rowCount(), model.server_count()
        if self._searching and count == 0:
            text = self.tr("Searching…")
        elif self._searching:
            text = self.tr("{count} found so far; still searching (also on the servers)…").format(count=count)
        elif count == 0:
            text = self.tr("No messages found.")
        elif on_server:
            text = self.tr("{count} message(s) found, {server} of them on the server (☁).").format(
                count=count, server=on_server)
        else:
            text = self.tr("{count} message(s) found.").format(count=count)
        if self._local_count >= SEARCH_LIMIT:
            text = f"{text} " + (
                self.tr("Only the {limit} best matches are shown; add words to narrow the search.")
                if self.view.sort() == SORT_RELEVANCE else
                self.tr("Only the newest {limit} are shown; add words to narrow the search.")
            ).format(limit=SEARCH_LIMIT)
        if self._server_note:
            text = f"{text} {self._server_note}"
        self.view.show_status(text)

    # ------------------------------------------------------------------ results

    def _models_of(self, account_id: str) -> Any | None:
        return next((m for m in self.mailboxes.mailboxes if m.service.account_id == account_id), None)

    def folder_label(self, account_id: str, folder: str) -> str:
        models = self._models_of(account_id)
        if models is None:
            return folder
        try:
            folder_id = models.service.cache.folder_id(folder)
        except StorageError:
            folder_id = None
        label: Msg | str = models.service.folder_label(folder_id) if folder_id is not None else folder
        text = label.text(current_language()) if isinstance(label, Msg) else str(label or folder)
        if len(self.mailboxes.mailboxes) > 1:
            return f"{models.account_name}: {text}"
        return text

    @Slot(object)
    def show_hit(self, hit: Any) -> None:
        """Read a result in the preview: its folder shown underneath, the message selected there."""
        models = self._models_of(hit.account_id)
        if models is None:
            return
        try:
            folder_id = models.service.cache.folder_id(hit.folder)
        except StorageError as exc:
            self._report(exc)
            return
        if folder_id is None:
            return
        routing, self._routing = self._routing, True
        try:
            if self.mailboxes.current is not models:
                self.mailboxes.activate(models)
                self._bind_tree()
            if models.service.current_folder_id != folder_id:
                models.service.show_folder(folder_id)
            model = models.message_model
            if model.list_filter is not None:
                self.quick_filter.clear()  # the result must be in the list to be selected
            row = model.row_of_uid(int(hit.uid))
            view = self.window.message_view
            if row is not None:
                view.selectionModel().setCurrentIndex(
                    model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
            else:  # not in the list (the conversation order is being built): the preview alone
                view.clearSelection()
                models.service.load_preview(int(hit.uid))
        finally:
            self._routing = routing
        self.window.preview_view.highlighter.set_terms(self._body_terms)

    @Slot(object)
    def open_result(self, hit: Any) -> None:
        """Double-click / Enter: the message in its own window (as in the list), else in its folder."""
        models = self._models_of(hit.account_id)
        if self.open_window is None or models is None:
            self.open_in_folder(hit)
            return
        self.show_hit(hit)
        folder_id = models.service.current_folder_id
        if folder_id is None or folder_id == models.service.special_folder_id(SpecialUse.DRAFTS):
            self.open_in_folder(hit)  # a draft continues in the composer, from its folder
            return
        self.open_window(models, int(folder_id), int(hit.uid))

    @Slot(QPoint)
    def _results_menu(self, pos: QPoint) -> None:
        results = self.view.results
        index = results.indexAt(pos)
        hit = index.data(HitRole) if index.isValid() else None
        if hit is None:
            return
        menu = QMenu(results)
        menu.setObjectName("searchResultMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.open_window is not None:
            menu.addAction(self.tr("Open in New Window"), partial(self.open_result, hit))
        menu.addAction(self.tr("Show in Folder"), partial(self.open_in_folder, hit))
        menu.popup(results.viewport().mapToGlobal(pos))

    @Slot()
    def _on_quick_filter(self) -> None:
        if self.search_shown:  # the bar filters the folder's list: bring it back
            self.show_list(focus=False)
            self.window.quick_filter_bar.open_bar()

    @Slot(object)
    def open_in_folder(self, hit: Any) -> None:
        """Double-click / Enter on a result: its folder, the message selected, the search closed."""
        terms = self._body_terms
        self.show_hit(hit)
        self.window.list_pages.setCurrentWidget(self.window.list_page)
        self.saved_shown = None
        current = self.mailboxes.current
        if current is not None:
            index = current.folder_model.index_for_folder(current.service.current_folder_id or -1)
            routing, self._routing = self._routing, True
            try:
                self.window.folder_view.setCurrentIndex(index)
            finally:
                self._routing = routing
        self.window.message_view.setFocus()
        self.window.preview_view.highlighter.set_terms(terms)  # the words stay marked in the message

    # ------------------------------------------------------------------ saved searches

    def show_saved_in_trees(self) -> None:
        items = [(s.id, s.name, s.query) for s in self.saved] if self.saved is not None else []
        routing, self._routing = self._routing, True  # a rebuilt tree is not the user choosing a folder
        try:
            for models in self.mailboxes.mailboxes:
                if id(models.folder_model) not in self._trees:
                    self._trees.add(id(models.folder_model))
                    models.folder_model.modelReset.connect(self._after_tree_reset)
                models.folder_model.set_saved_searches(items)
        finally:
            self._routing = routing

    @Slot()
    def _after_tree_reset(self) -> None:
        # After the mailbox controller has selected its folder again (its timer came first).
        QTimer.singleShot(0, self, self._select_saved_in_tree)

    def _select_saved_in_tree(self) -> None:
        """The saved search shown stays the tree's current item (the tree was rebuilt)."""
        current = self.mailboxes.current
        if self.saved_shown is None or current is None or not self.search_shown:
            return
        index = current.folder_model.index_for_saved_search(self.saved_shown)
        if index.isValid() and self.window.folder_view.currentIndex() != index:
            routing, self._routing = self._routing, True
            try:
                self.window.folder_view.setCurrentIndex(index)
            finally:
                self._routing = routing

    @Slot(str)
    def open_saved(self, search_id: str) -> None:
        found = self.saved.get(search_id) if self.saved is not None else None
        if found is None:
            return
        self.open_search(found.query, run=True, title=found.name)
        self.saved_shown = found.id

    def _keep(self) -> bool:
        """Write the settings file; False (reported) when it could not be written."""
        if self.save_settings is None:
            return True
        try:
            self.save_settings()
        except (OSError, GovMailError) as exc:
            self._report(exc if isinstance(exc, GovMailError) else StorageError(detail=str(exc)))
            return False
        return True

    def _report(self, exc: GovMailError) -> None:
        if self.bridge is not None:
            self.bridge.report_error(exc)
        else:
            log.warning("Search: %s", exc)

    def _name_dialog(self, title: str, text: str) -> QInputDialog:
        """A name asked for (the caller sets the label: its own translated text)."""
        dialog = QInputDialog(self.window)
        dialog.setObjectName("savedSearchName")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setWindowTitle(title)
        dialog.setTextValue(text)
        return dialog

    @Slot(str)
    def ask_save(self, query: str) -> None:
        """Save Search…: asks a name (the query proposed), then a virtual folder in the tree."""
        if self.saved is None or not query.strip():
            return
        dialog = self._name_dialog(self.tr("Save Search"), query.strip()[:60])
        dialog.setLabelText(self.tr("Name of the saved search:"))
        dialog.textValueSelected.connect(partial(self.save_search, query))
        dialog.open()

    def save_search(self, query: str, name: str) -> None:
        if self.saved is None:
            return
        try:
            item = self.saved.add(name or query, query)
        except ValueError:
            return
        if not self._keep():
            self.saved.remove(item.id)
            return
        self.saved_shown = item.id
        self.view.set_title(item.name)
        self.show_saved_in_trees()

    def rename_saved(self, search_id: str, name: str) -> None:
        if self.saved is None or self.saved.get(search_id) is None:
            return
        try:
            item = self.saved.rename(search_id, name)
        except ValueError:
            return
        self._keep()
        self.show_saved_in_trees()
        if self.saved_shown == search_id:
            self.view.set_title(item.name)

    def remove_saved(self, search_id: str) -> None:
        if self.saved is None or not self.saved.remove(search_id):
            return
        self._keep()
        self.show_saved_in_trees()
        if self.saved_shown == search_id:
            self.saved_shown = None
            self.view.set_title("")

    @Slot(QPoint)
    def _folder_menu(self, pos: QPoint) -> None:
        view = self.window.folder_view
        index = view.indexAt(pos)
        if not index.isValid() or index.data(SpecialUseRole) != SAVED_SEARCH_ROLE or self.saved is None:
            return
        search_id = str(index.data(SavedSearchIdRole))
        found = self.saved.get(search_id)
        if found is None:
            return
        menu = QMenu(view)
        menu.setObjectName("savedSearchMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Open"), partial(self.open_saved, search_id))
        menu.addAction(self.tr("Rename…"), partial(self.ask_rename, search_id))
        menu.addAction(self.tr("Remove"), partial(self.ask_remove, search_id))
        menu.popup(view.viewport().mapToGlobal(pos))

    def ask_rename(self, search_id: str) -> None:
        found = self.saved.get(search_id) if self.saved is not None else None
        if found is None:
            return
        dialog = self._name_dialog(self.tr("Rename Saved Search"), found.name)
        dialog.setLabelText(self.tr("New name:"))
        dialog.textValueSelected.connect(partial(self.rename_saved, search_id))
        dialog.open()

    def ask_remove(self, search_id: str) -> None:
        found = self.saved.get(search_id) if self.saved is not None else None
        if found is None:
            return
        box = QMessageBox(self.window)
        box.setObjectName("removeSavedSearch")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove Saved Search"))
        box.setText(self.tr("Remove the saved search “{name}”? No message is deleted.").format(name=found.name))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(partial(self._answered_remove, search_id))
        box.open()

    def _answered_remove(self, search_id: str, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_saved(search_id)

    # ------------------------------------------------------------------ help and language

    @Slot()
    def show_help(self) -> None:
        if self._help is None:
            self._help = SearchHelpDialog(self.window)
            self._help.example_chosen.connect(self._use_example)
        self._help.show()
        self._help.raise_()

    def _use_example(self, example: str) -> None:
        self.open_search(example)

    @Slot()
    def _retranslate(self) -> None:
        self.view.model.retranslate(DateFormatter(thai_digits=self._thai_digits()))
        if self.search_shown and not self.view.error_label.isVisible():
            self._show_progress()
        for models in self.mailboxes.mailboxes:
            models.folder_model.retranslate()


def attach_search(ctx: Any, search: Any = None) -> SearchController | None:
    """Composition root step: the search view, the saved searches and the quick filter in
    ``ctx.window`` over ``ctx.mailboxes`` (``search``: the search service, None when it could
    not be built — then Ctrl+K says why and the quick filter works without its text box).
    Without an account yet it is joined when the first one is added (the setup wizard)."""
    from govmail_desktop.core.saved_searches import SavedSearches
    from govmail_desktop.ui.main_window import REASON_NO_ACCOUNT

    window, mailboxes = ctx.window, ctx.mailboxes
    if window is None or mailboxes is None:
        return None
    saved = SavedSearches(ctx.settings)
    for problem in saved.problems:
        log.warning("Saved searches: %s", problem)
    settings = ctx.settings
    built: list[SearchController] = []

    def build() -> SearchController | None:
        controller_of = getattr(mailboxes, "controller", None)
        if controller_of is None:
            return None
        book = getattr(ctx.composer, "address_book", None)
        contacts = book.list_contacts if book is not None and hasattr(book, "list_contacts") else None
        from govmail_desktop.ui.message_window_controller import MessageWindowController

        windows = window.findChildren(MessageWindowController)
        controller = SearchController(
            window, controller_of, search=search, saved=saved, save_settings=settings.save, bridge=ctx.bridge,
            contacts=contacts, thai_digits=lambda: settings.ui_thai_digits,
            open_window=windows[0].open_message if windows else None,
        )
        controller.install()
        return controller

    def join(_mailbox: Any) -> None:
        if not built:
            controller = build()
            if controller is not None:
                built.append(controller)
            return
        built[0].show_saved_in_trees()  # the new account's tree shows them too
        window.set_action_state(window.quick_filter_action, True, REASON_NO_ACCOUNT)

    join_all = getattr(mailboxes, "join", None)
    if join_all is not None:
        join_all(join)
    elif not built:
        controller = build()
        if controller is not None:
            built.append(controller)
    if not built:
        window.set_action_state(window.find_action, False, REASON_NO_ACCOUNT)
    return built[0] if built else None


__all__ = ["SearchController", "attach_search", "query_terms"]
