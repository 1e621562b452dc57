"""Wires the main window to each account's mailbox (no mail logic here).

The window lays out widgets and actions; :class:`MailboxService` owns the
shown folder, preview loading and the optimistic actions, and
:class:`~govmail_desktop.ui.mailbox_models.MailboxModels` the Qt models over
the account's cache. This controller only connects
them: which account's models the views show, which UIDs are selected, when
the preview loads, which actions are enabled and what they say, asking before
deleting for good, the Move To menu, the status bar and the tray.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from govmail_desktop.core.entities import Address, FlagBits, SpecialUse
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.models.folder_tree import SAVED_SEARCHES_ROLE, FolderIdRole, SelectableRole, SpecialUseRole
from govmail_desktop.services.mailbox import MailboxService
from govmail_desktop.services.mailbox_types import (
    DELETE_FOR_GOOD,
    DELETE_NO_TRASH,
    PREVIEW_EMPTY,
    PREVIEW_READY,
    NewMail,
    PreviewResult,
)
from govmail_desktop.ui.mailbox_models import MailboxModels
from govmail_desktop.ui.main_window import (
    REASON_IN_ARCHIVE,
    REASON_NO_ACCOUNT,
    REASON_NO_ARCHIVE_FOLDER,
    REASON_NO_SELECTION,
    REASON_ONE_MESSAGE,
)
from govmail_desktop.ui.special_folders_dialog import SpecialFoldersDialog
from govmail_desktop.ui.tray import MailTray, raise_window

log = logging.getLogger(__name__)

#: The preview loads once the selection rests this long (arrow-key scrolling
#: through a list does not parse every message passed over).
PREVIEW_DELAY_MS = 60
#: Selected rows whose flags decide what M and S say (enough for any real choice).
MAX_ROWS_FOR_TEXTS = 200
#: Selections remembered across a model reset.
MAX_REMEMBERED = 1000


class MailboxController(QObject):
    """Connects a MainWindow to the accounts' mailboxes (their models and services)."""

    def __init__(
        self,
        window: Any,
        mailboxes: list[MailboxModels],
        *,
        bridge: Any = None,
        tray: MailTray | None = None,
        threaded: bool = False,
        thai_digits: Callable[[], bool] = lambda: False,
        notify_new_mail: Callable[[], bool] = lambda: True,
        save_threading: Callable[[bool], Any] | None = None,
        save_folder_choice: Callable[[MailboxService, dict[str, str]], Any] | None = None,
        mark_read_on_view: bool = True,
        preview_delay_ms: int = PREVIEW_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.mailboxes = list(mailboxes)
        self.bridge = bridge
        self.tray = tray
        self._thai_digits = thai_digits
        self._notify_new_mail = notify_new_mail
        self._save_threading = save_threading
        self._save_folder_choice = save_folder_choice
        self.mark_read_on_view = mark_read_on_view
        self.current: MailboxModels | None = None
        self._marked_read_for: tuple[int, int] | None = None
        self._remembered: tuple[int | None, int | None, list[int]] | None = None
        self._restore_pending = False
        self._reselect_row: int | None = None
        self._showing_folder = False
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(preview_delay_ms)
        self._preview_timer.timeout.connect(self._load_preview)

        self._threaded = threaded
        for mailbox in self.mailboxes:
            self._connect(mailbox)

        w = window
        w.toggle_read_action.triggered.connect(self.toggle_read)
        w.toggle_flag_action.triggered.connect(self.toggle_flag)
        w.archive_action.triggered.connect(self.archive)
        w.delete_action.triggered.connect(self.delete)
        w.delete_permanently_action.triggered.connect(self.delete_permanently)
        w.special_folders_action.triggered.connect(self.choose_special_folders)
        w.refresh_action.triggered.connect(self.refresh)
        w.threading_action.setChecked(threaded)
        w.threading_action.toggled.connect(self.set_threaded)
        w.move_menu.aboutToShow.connect(self._fill_move_menu)
        w.sync_progress.cancel_requested.connect(self.cancel_sync)
        w.account_combo.currentIndexChanged.connect(self._on_account_chosen)
        w.retranslated.connect(self.retranslate)
        if tray is not None:
            tray.activated.connect(partial(raise_window, w))
            tray.notified.connect(self._on_notified)

        w.set_accounts([m.account_name for m in self.mailboxes])
        if self.mailboxes:
            self.activate(self.mailboxes[0])
        self._on_counts()

    # ------------------------------------------------------------------ accounts

    def _connect(self, mailbox: MailboxModels) -> None:
        service = mailbox.service
        service.preview_ready.connect(partial(self._on_preview, mailbox))
        service.connection_changed.connect(partial(self._on_connection, mailbox))
        service.progress_changed.connect(partial(self._on_progress, mailbox))
        service.counts_changed.connect(self._on_counts)
        service.new_mail.connect(self._on_new_mail)
        service.action_settled.connect(partial(self._on_action_settled, mailbox))
        model = mailbox.message_model
        model.modelAboutToBeReset.connect(partial(self._remember_selection, mailbox))
        model.modelReset.connect(partial(self._restore_selection, mailbox))
        model.rowsRemoved.connect(partial(self._on_rows_removed, mailbox))
        # A reset clears the view's selection without a selectionChanged: look again
        # once the view has handled it.
        for changed in (model.modelReset, model.rowsRemoved, model.layoutChanged):
            changed.connect(partial(self._update_actions_later, mailbox))
        model.buildingChanged.connect(partial(self._on_building, mailbox))
        mailbox.folder_model.modelReset.connect(partial(self._on_folders_reset, mailbox))
        service.folder_shown.connect(partial(self._on_folder_shown, mailbox))
        if self._threaded:
            mailbox.set_threaded(True)

    def add_mailbox(self, mailbox: MailboxModels) -> None:
        """A new account (saved by the setup wizard): offer it in the window."""
        self.mailboxes.append(mailbox)
        self._connect(mailbox)
        self.window.set_accounts([m.account_name for m in self.mailboxes])
        if self.current is None:
            self.activate(mailbox)
        else:
            self.window.account_combo.setCurrentIndex(self.mailboxes.index(self.current))
        self._on_counts()

    def formatter(self) -> DateFormatter:
        return DateFormatter(thai_digits=self._thai_digits())

    def _on_account_chosen(self, index: int) -> None:
        if 0 <= index < len(self.mailboxes):
            self.activate(self.mailboxes[index])

    def activate(self, mailbox: MailboxModels) -> None:
        """Show this account's folders and messages in the window."""
        w = self.window
        self.current = mailbox
        mailbox.message_model.set_formatter(self.formatter())
        w.set_folder_model(mailbox.folder_model)
        w.set_message_model(mailbox.message_model)
        w.folder_view.selectionModel().currentChanged.connect(self._on_folder_current)
        selection = w.message_view.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)
        selection.currentChanged.connect(self._on_current_message)
        index = self.mailboxes.index(mailbox)
        if w.account_combo.currentIndex() != index:
            w.account_combo.setCurrentIndex(index)
        w.set_connection_state(mailbox.service.connection_state)
        w.set_list_building(mailbox.message_model.building)
        w.set_action_state(w.special_folders_action, self._save_folder_choice is not None, REASON_NO_ACCOUNT)
        w.sync_progress.set_progress("", 0, 0)
        self._select_current_folder_in_tree()
        self._update_actions()
        self._show_preview(PreviewResult(PREVIEW_EMPTY))

    def _on_folder_shown(self, mailbox: MailboxModels, _folder_id: object) -> None:
        if mailbox is self.current:
            self._reselect_row = None
            self._select_current_folder_in_tree()
            self.window.message_view.scrollToTop()

    def _on_folders_reset(self, mailbox: MailboxModels) -> None:
        if mailbox is self.current:
            # After the view has handled the reset itself (it clears its current index).
            QTimer.singleShot(0, self, self._after_folders_reset)

    def _after_folders_reset(self) -> None:
        self.window.folder_view.expandAll()
        self._select_current_folder_in_tree()

    @property
    def showing_folder(self) -> bool:
        """True while the tree is being made to follow the list (not a user's choice)."""
        return self._showing_folder

    def _select_current_folder_in_tree(self) -> None:
        mailbox = self.current
        if mailbox is None or mailbox.service.current_folder_id is None:
            return
        index = mailbox.folder_model.index_for_folder(mailbox.service.current_folder_id)
        view = self.window.folder_view
        if index.isValid() and view.currentIndex() != index:
            self._showing_folder = True  # the tree follows the list: not a user's choice
            try:
                view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            finally:
                self._showing_folder = False

    # ------------------------------------------------------------------ folder and message selection

    @Slot(QModelIndex, QModelIndex)
    def _on_folder_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._showing_folder or self.current is None or not current.isValid() or not current.data(SelectableRole):
            return
        folder_id = current.data(FolderIdRole)
        service = self.current.service
        if folder_id is not None and folder_id != service.current_folder_id:
            service.select_folder(int(folder_id))
        elif folder_id is not None:
            service.refresh()

    def selected_rows(self) -> list[int]:
        selection = self.window.message_view.selectionModel()
        if selection is None:
            return []
        rows: set[int] = set()
        for rng in selection.selection():
            rows.update(range(rng.top(), rng.bottom() + 1))
        return sorted(rows)

    def selected_uids(self) -> list[int]:
        """UIDs of the selected rows (big ranges are read in one query, not row by row)."""
        selection = self.window.message_view.selectionModel()
        if self.current is None or selection is None:
            return []
        uids: dict[int, None] = {}
        for rng in selection.selection():
            uids.update(dict.fromkeys(self.current.uids_in_rows(rng.top(), rng.bottom())))
        return list(uids)

    @Slot()
    def _on_selection_changed(self, *_args: Any) -> None:
        if self._restore_pending:
            self._remembered = None  # the user chose before the old selection came back
        self._update_actions()
        if not self.window.message_view.selectionModel().hasSelection():
            self._preview_timer.stop()
            if self.current is not None:
                self.current.service.load_preview(None)

    def _update_actions_later(self, mailbox: MailboxModels, *_args: Any) -> None:
        if mailbox is self.current:
            QTimer.singleShot(0, self, self._update_actions)

    def _on_building(self, mailbox: MailboxModels, building: bool) -> None:
        if mailbox is self.current:
            self.window.set_list_building(building)

    def _update_actions(self) -> None:
        """Each action enabled by what is selected now; a disabled one says why."""
        w = self.window
        rows = self.selected_rows() if self.current is not None else []
        w.set_message_actions_enabled(
            bool(rows), REASON_NO_ACCOUNT if self.current is None else REASON_NO_SELECTION
        )
        w.set_reply_actions_enabled(
            len(rows) == 1,
            REASON_NO_ACCOUNT if self.current is None else REASON_ONE_MESSAGE if rows else REASON_NO_SELECTION,
        )
        if not rows or self.current is None:
            w.set_toggle_texts(mark_read=True, flag=True)
            return
        archive = self.current.service.special_folder_id(SpecialUse.ARCHIVE)
        if archive is None:
            w.set_action_state(w.archive_action, False, REASON_NO_ARCHIVE_FOLDER)
        elif archive == self.current.service.current_folder_id:
            w.set_action_state(w.archive_action, False, REASON_IN_ARCHIVE)
        model = self.current.message_model
        any_unread = any_unflagged = False
        for row in rows[:MAX_ROWS_FOR_TEXTS]:
            data = model.row_data(row)
            if data is None:
                continue
            any_unread = any_unread or not data.flags & FlagBits.SEEN
            any_unflagged = any_unflagged or not data.flags & FlagBits.FLAGGED
        self.window.set_toggle_texts(mark_read=any_unread, flag=any_unflagged)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_message(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._preview_timer.start()

    def _load_preview(self) -> None:
        if self.current is None:
            return
        view = self.window.message_view
        index = view.currentIndex()
        if not index.isValid() or not view.selectionModel().isSelected(index):
            self.current.service.load_preview(None)
            return
        self.current.service.load_preview(self.current.message_model.uid_at(index.row()))

    def _on_preview(self, mailbox: MailboxModels, result: PreviewResult) -> None:
        if mailbox is not self.current:
            return
        self._show_preview(result)
        if (
            self.mark_read_on_view
            and result.state == PREVIEW_READY
            and result.summary is not None
            and result.folder_id is not None
            and result.uid is not None
            and self._marked_read_for != (result.folder_id, result.uid)
        ):
            self._marked_read_for = (result.folder_id, result.uid)
            if not result.summary.seen:
                mailbox.service.mark_read([result.uid], True)
        if result.state == PREVIEW_EMPTY:
            self._marked_read_for = None

    def _show_preview(self, result: PreviewResult) -> None:
        self.window.preview_view.show_result(result, self.formatter())
        self.window.show_preview_placeholder(result.state == PREVIEW_EMPTY)

    # ------------------------------------------------------------------ selection across resets and removals

    def _remember_selection(self, mailbox: MailboxModels) -> None:
        if mailbox is not self.current or self._restore_pending:
            return  # a selection remembered before is still to be restored: keep it
        if mailbox.message_model.building and self._remembered is not None:
            return  # the conversation view is being built: the selection before it counts
        view = self.window.message_view
        model = mailbox.message_model
        current = view.currentIndex()
        rows = self.selected_rows()[:MAX_REMEMBERED]
        self._remembered = (
            model.folder_id,
            model.uid_at(current.row()) if current.isValid() else None,
            model.uids_at(rows),
        )

    def _restore_selection(self, mailbox: MailboxModels) -> None:
        """After a reset: select the remembered messages again, once the view and its
        selection model have handled the reset (they clear the selection after this slot)."""
        if mailbox is not self.current or self._remembered is None or self._restore_pending:
            return
        self._restore_pending = True
        QTimer.singleShot(0, self, self._apply_remembered_selection)

    def _apply_remembered_selection(self) -> None:
        self._restore_pending = False
        remembered, self._remembered = self._remembered, None
        mailbox = self.current
        if remembered is None or mailbox is None:
            return
        folder_id, current_uid, uids = remembered
        model = mailbox.message_model
        if model.building:  # nothing shown yet: select them when the conversations are
            self._remembered = remembered
            return
        if folder_id != model.folder_id or folder_id is None:
            return
        if self._reselect_row is not None:  # a removal shown by a reset (conversation view)
            self._select_after_removal()
            return
        selection = self.window.message_view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for uid in uids:
            row = model.row_of_uid(uid)
            if row is not None:
                selection.select(model.index(row, 0), flags)
        if current_uid is not None:
            row = model.row_of_uid(current_uid)
            if row is not None:
                selection.setCurrentIndex(model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def _on_rows_removed(self, mailbox: MailboxModels, *_args: Any) -> None:
        if mailbox is self.current and self._reselect_row is not None:
            QTimer.singleShot(0, self._select_after_removal)

    def _select_after_removal(self) -> None:
        """After delete/move/archive the next message is selected (as in Thunderbird)."""
        row, self._reselect_row = self._reselect_row, None
        if row is None or self.current is None:
            return
        model = self.current.message_model
        if model.rowCount() == 0:
            return
        index = model.index(min(row, model.rowCount() - 1), 0)
        self.window.message_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    # ------------------------------------------------------------------ actions

    def _targets(self) -> list[int]:
        return self.selected_uids() if self.current is not None else []

    @Slot()
    def toggle_read(self) -> None:
        uids = self._targets()
        if uids and self.current is not None:
            self.current.toggle_read(uids)

    @Slot()
    def toggle_flag(self) -> None:
        uids = self._targets()
        if uids and self.current is not None:
            self.current.toggle_flagged(uids)

    def _prepare_removal(self) -> list[int]:
        rows = self.selected_rows()
        self._reselect_row = rows[0] if rows else None
        return self._targets()

    @Slot()
    def archive(self) -> None:
        uids = self._prepare_removal()
        if uids and self.current is not None:
            self.current.service.archive(uids)

    @Slot()
    def delete(self, *, parent: Any = None) -> None:
        """Delete the selection; a question it needs is asked over ``parent`` (a message
        window) or else the main window."""
        if self.current is None:
            return
        shift = bool(QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        mode = self.current.service.delete_mode(shift=shift)
        if mode == DELETE_FOR_GOOD:
            self.delete_permanently(parent=parent)
            return
        if mode == DELETE_NO_TRASH:
            self.ask_without_trash(parent=parent)
            return
        uids = self._prepare_removal()
        if uids:
            self.current.service.delete(uids)

    def _removal_question(
        self, object_name: str, title: str, parent: Any = None
    ) -> tuple[list[int], list[int], MailboxModels, QMessageBox] | None:
        """The selection a removal is about, and a warning box (plain text, deleted when
        closed) to ask about it; None when nothing is selected."""
        mailbox = self.current
        uids = self.selected_uids() if mailbox is not None else []
        if mailbox is None or not uids:
            return None
        box = QMessageBox(parent or self.window)
        box.setObjectName(object_name)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(title)
        return uids, self.selected_rows(), mailbox, box

    @Slot()
    def ask_without_trash(self, *, parent: Any = None) -> None:
        """Delete where the account has no Trash: say so, and let the user create one,
        delete for good, or cancel (the default never erases anything)."""
        asked = self._removal_question("noTrashBox", self.tr("No Trash Folder"), parent)
        if asked is None:
            return
        uids, rows, mailbox, box = asked
        service = mailbox.service
        box.setText(self.tr("This account has no Trash folder, so deleted messages cannot be kept there."))
        box.setInformativeText(
            self.tr(
                "Create a Trash folder on the server and move the {count} message(s) there, or delete "
                "them permanently? Permanently deleted messages cannot be recovered."
            ).format(count=len(uids))
        )
        create = box.addButton(self.tr("&Create Trash Folder"), QMessageBox.ButtonRole.AcceptRole)
        create.setObjectName("createTrashButton")
        for_good = box.addButton(self.tr("&Delete Permanently"), QMessageBox.ButtonRole.DestructiveRole)
        for_good.setObjectName("deleteForGoodButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(create)
        box.setEscapeButton(cancel)

        # Bound to the clicked button's name, not to the box or its buttons: a closure over
        # an object deleted on close crashes PySide when the connection is freed.
        def answered(button: Any) -> None:
            choice = button.objectName() if button is not None else ""
            if mailbox is not self.current or choice not in ("createTrashButton", "deleteForGoodButton"):
                return
            self._reselect_row = rows[0] if rows else None
            if choice == "createTrashButton":
                service.create_trash_and_delete(uids)
            else:
                service.delete(uids, permanent=True)

        box.buttonClicked.connect(answered)
        box.open()

    @Slot()
    def delete_permanently(self, *, parent: Any = None) -> None:
        """Ask first (non-modal for the event loop: QMessageBox.open), then delete for good."""
        asked = self._removal_question("confirmDeleteBox", self.tr("Delete Permanently"), parent)
        if asked is None:
            return
        uids, rows, mailbox, box = asked
        service = mailbox.service
        box.setText(
            self.tr("Delete {count} message(s) permanently? They cannot be recovered.").format(count=len(uids))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes and mailbox is self.current:
                self._reselect_row = rows[0] if rows else None
                service.delete(uids, permanent=True)

        box.finished.connect(answered)
        box.open()

    @Slot()
    def choose_special_folders(self) -> None:
        """File → Special Folders: the account's choice of Sent, Drafts, Trash, Junk, Archive."""
        if self.current is None or self._save_folder_choice is None:
            return
        service = self.current.service
        folders, in_force = service.special_folder_overview()
        dialog = SpecialFoldersDialog(
            service.account_name, folders, service.user_folder_choice, service.policy_folder_choice,
            in_force, self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(partial(self._save_folder_choice, service))
        dialog.open()

    def move_to(self, folder_id: int) -> None:
        uids = self._prepare_removal()
        if uids and self.current is not None:
            self.current.service.move(uids, folder_id)

    def _fill_move_menu(self) -> None:
        menu = self.window.move_menu
        menu.clear()
        if self.current is None:
            return
        model = self.current.folder_model
        current_folder = self.current.service.current_folder_id

        def add(parent: QModelIndex, depth: int) -> None:
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                if index.data(SpecialUseRole) == SAVED_SEARCHES_ROLE:
                    continue  # virtual folders: nothing can be moved into a search
                folder_id = index.data(FolderIdRole)
                name = model.display_name(index.internalPointer())
                action = QAction("    " * depth + name, menu)
                action.setEnabled(bool(index.data(SelectableRole)) and folder_id != current_folder)
                if folder_id is not None:
                    action.triggered.connect(partial(self.move_to, int(folder_id)))
                menu.addAction(action)
                add(index, depth + 1)

        add(QModelIndex(), 0)

    @Slot()
    def refresh(self) -> None:
        if self.current is not None:
            self.current.service.refresh()

    @Slot()
    def cancel_sync(self) -> None:
        if self.current is not None:
            self.current.service.cancel_sync()

    @Slot(bool)
    def set_threaded(self, threaded: bool) -> None:
        self._threaded = threaded
        for mailbox in self.mailboxes:
            mailbox.set_threaded(threaded)
        if self._save_threading is not None:
            self._save_threading(bool(threaded))

    def _on_action_settled(self, mailbox: MailboxModels, _op_id: int, _outcome: object, _error: object) -> None:
        if mailbox is self.current:
            self._update_actions()

    # ------------------------------------------------------------------ status and tray

    def _on_connection(self, mailbox: MailboxModels, state: str) -> None:
        if mailbox is self.current:
            self.window.set_connection_state(state)

    def _on_progress(self, mailbox: MailboxModels, text: str, done: int, total: int) -> None:
        if mailbox is self.current:
            self.window.sync_progress.set_progress(text, done, total)

    def _on_counts(self) -> None:
        if self.tray is not None:
            self.tray.set_unread(sum(m.service.inbox_unread() for m in self.mailboxes))
        self._update_actions()

    def _on_new_mail(self, news: NewMail) -> None:
        if self.tray is None or not self._notify_new_mail():
            return
        items = []
        for summary in news.messages:
            sender: Address | None = summary.sender
            items.append((str(sender) if sender else "", summary.subject))
        self.tray.notify_new_mail(news.count, items, news.account_name if len(self.mailboxes) > 1 else "")

    def _on_notified(self, title: str, _text: str) -> None:
        """Without a system tray the new-mail notice goes to the status bar."""
        if self.tray is not None and not self.tray.available and self.bridge is not None:
            self.bridge.info(title)

    @Slot()
    def retranslate(self) -> None:
        for mailbox in self.mailboxes:
            mailbox.retranslate(self.formatter())
        if self.tray is not None:
            self.tray.retranslate_ui()
        self._update_actions()

    def shutdown(self) -> None:
        self._preview_timer.stop()
        if self.tray is not None:
            self.tray.hide()

