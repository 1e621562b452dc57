"""Opens messages in their own windows and carries out what those windows ask.

* Double click / Enter on a message of the list opens it in a
  :class:`~govmail_desktop.ui.message_window.MessageWindow` (a message of the
  Drafts folder is left to the composer launcher, which continues the draft;
  a message already open in a window brings that window to the front).
* The window's message is read on the account's mailbox worker as the preview
  reads it (``MailboxService.read_message``: summary, cached bytes or a large
  message's skeleton, the one parse — the preview's parse is used again when it is
  the same message; the folder's role, for the Junk rules); a body not downloaded
  yet is asked of the sync service and shown when it arrives.
* Reply / Reply all / Forward go through the composer launcher's starter, as the
  main window's actions do. Delete selects the window's message in the list and
  runs the mailbox controller's delete (the same question where it asks one,
  over this window); once the message leaves the list the window shows the one
  that took its place, or closes when there is none. Previous / Next move the
  list's selection and the window follows. These need the window's folder to be
  the one the list shows (else they are disabled).
* File → Open Message… opens an ``.eml`` file (read on the worker, at most
  :data:`MAX_EML_BYTES`) in a window of its own.

No mail logic here: the window lays out, this module connects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.services.compose_start import Start
from govmail_desktop.services.mailbox_types import (
    PREVIEW_FAILED,
    PREVIEW_LOADING,
    PREVIEW_UNAVAILABLE,
    STATE_OFFLINE,
    PreviewResult,
)
from govmail_desktop.ui.message_window import REGISTRY, MessageWindow

log = logging.getLogger(__name__)

#: Largest .eml file File → Open Message… reads.
MAX_EML_BYTES = 64 * 1024 * 1024


class MessageWindowController(QObject):
    """Joins message windows to the main window, its mailboxes and the composer.

    ``mailbox_controller()`` gives the :class:`~govmail_desktop.ui.mailbox_controller.MailboxController`
    (None before any account exists); ``launcher`` the composer launcher (None: no Reply).

    Signals:
        opened(MessageWindow): a window was opened.
    """

    opened = Signal(object)

    def __init__(
        self,
        window: Any,
        mailbox_controller: Callable[[], Any],
        launcher: Any = None,
        *,
        bridge: Any = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.mailbox_controller = mailbox_controller
        self.launcher = launcher
        self.bridge = bridge
        #: Per window: the read it waits for (a newer one makes older answers stale).
        self._generation: dict[MessageWindow, int] = {}
        #: Per window: the message to show once its own has left the list after Delete.
        self._after_delete: dict[MessageWindow, int | None] = {}
        self._joined: set[int] = set()
        window.message_view.activated.connect(self._on_activated)
        # Another account shown: its list is not the windows' (after the mailbox controller switched).
        window.account_combo.currentIndexChanged.connect(lambda *_: QTimer.singleShot(0, self, self.update_states))
        self.open_file_action = QAction(window)
        self.open_file_action.setObjectName("openMessageFileAction")
        self.open_file_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_O))
        self.open_file_action.triggered.connect(self.open_file)
        first = window.file_menu.actions()
        window.file_menu.insertAction(first[1] if len(first) > 1 else None, self.open_file_action)
        #: Asks which .eml to open ("" = none); a seam for tests.
        self.ask_open_path: Callable[[], str] = self._ask_open_path
        window.retranslated.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.open_file_action.setText(self.tr("&Open Message…"))
        self.open_file_action.setToolTip(self.tr("Open a saved message (.eml file) in its own window"))

    @property
    def windows(self) -> list[MessageWindow]:
        """The message windows of the list open now."""
        return list(self._generation)

    # ------------------------------------------------------------------ opening

    def _current(self) -> Any:
        controller = self.mailbox_controller()
        return controller.current if controller is not None else None

    def _on_activated(self, index: QModelIndex) -> None:
        mailbox = self._current()
        if mailbox is None or not index.isValid():
            return
        service = mailbox.service
        folder_id = service.current_folder_id
        if folder_id is None or folder_id == service.special_folder_id(SpecialUse.DRAFTS):
            return  # a draft continues in the composer (the composer launcher opens it)
        uid = mailbox.message_model.uid_at(index.row())
        if uid is not None:
            self.open_message(mailbox, int(folder_id), int(uid))

    def open_message(self, mailbox: Any, folder_id: int, uid: int) -> MessageWindow:
        """A window for message ``uid`` of ``folder_id`` (the one already showing it, if any)."""
        for open_window in self._generation:
            if open_window.mailbox is mailbox and (open_window.folder_id, open_window.uid) == (folder_id, uid):
                open_window.raise_()
                open_window.activateWindow()
                return open_window
        message_window = MessageWindow(listed=True)
        message_window.mailbox = mailbox
        self._generation[message_window] = 0
        message_window.reply_requested.connect(partial(self.reply, message_window))
        message_window.delete_requested.connect(partial(self.delete, message_window))
        message_window.step_requested.connect(partial(self.step, message_window))
        message_window.closed.connect(partial(self._forget, message_window))
        self._join(mailbox)
        self.load(message_window, folder_id, uid)
        message_window.show()
        message_window.raise_()
        message_window.activateWindow()
        self.opened.emit(message_window)
        return message_window

    def _join(self, mailbox: Any) -> None:
        """Once per account: its list's changes and its bodies' arrival reach the windows."""
        if id(mailbox) in self._joined:
            return
        self._joined.add(id(mailbox))
        model = mailbox.message_model
        for changed in (model.rowsRemoved, model.modelReset, model.rowsInserted, model.layoutChanged):
            changed.connect(partial(self._list_changed, mailbox))
        mailbox.service.folder_shown.connect(lambda *_: self.update_states())
        body_ready = getattr(mailbox.service.sync, "body_ready", None)
        if body_ready is not None:
            body_ready.connect(partial(self._body_ready, mailbox))

    def _forget(self, message_window: MessageWindow) -> None:
        self._generation.pop(message_window, None)
        self._after_delete.pop(message_window, None)

    def load(self, message_window: MessageWindow, folder_id: int, uid: int) -> None:
        """Read message ``uid`` on the mailbox's worker and show it in ``message_window``."""
        service = message_window.mailbox.service
        generation = self._generation.get(message_window, 0) + 1
        self._generation[message_window] = generation
        self._after_delete.pop(message_window, None)
        message_window.show_message(PreviewResult(PREVIEW_LOADING, folder_id, uid), None)
        self.update_states()

        def read() -> tuple[PreviewResult, bytes | None]:
            result: tuple[PreviewResult, bytes | None] = service.read_message(folder_id, uid)
            return result

        def failed(exc: BaseException) -> None:
            log.warning("Message %s of folder %s could not be read for its window: %s", uid, folder_id, exc)
            if self._generation.get(message_window) == generation:
                message_window.show_message(PreviewResult(PREVIEW_FAILED, folder_id, uid), None)

        service.worker.submit(read, partial(self._read, message_window, generation), failed)

    def _read(self, message_window: MessageWindow, generation: int, answer: tuple[PreviewResult, bytes | None]) -> None:
        if self._generation.get(message_window) != generation:
            return
        result, raw = answer
        service = message_window.mailbox.service
        if result.state == PREVIEW_LOADING and result.folder_id is not None and result.uid is not None:
            sync = service.sync
            if result.summary is None:
                result = replace(result, state=PREVIEW_FAILED)  # gone meanwhile
            elif sync is None or (
                service.connection_state == STATE_OFFLINE and not getattr(sync, "queues_offline", False)
            ):
                result = replace(result, state=PREVIEW_UNAVAILABLE)
            else:
                sync.fetch_body(result.folder_id, result.uid)
        message_window.show_message(result, raw)
        self.update_states()

    def _body_ready(self, mailbox: Any, folder_id: int, uid: int) -> None:
        for message_window in self.windows:
            if (message_window.mailbox is mailbox and message_window.raw is None
                    and (message_window.folder_id, message_window.uid) == (folder_id, uid)):
                self.load(message_window, folder_id, uid)

    # ------------------------------------------------------------------ where the window is in the list

    def _row(self, message_window: MessageWindow) -> int | None:
        """The window's row in the list, when the list shows the window's folder."""
        mailbox = message_window.mailbox
        if mailbox is None or mailbox is not self._current() or message_window.uid is None:
            return None
        if mailbox.service.current_folder_id != message_window.folder_id:
            return None
        row: int | None = mailbox.message_model.row_of_uid(message_window.uid)
        return row

    def update_states(self) -> None:
        """Previous / Next / Delete of each window, from where its message is in the list."""
        for message_window in self.windows:
            row = self._row(message_window)
            count = message_window.mailbox.message_model.rowCount() if row is not None else 0
            message_window.set_step_state(
                row is not None and row > 0, row is not None and row < count - 1, row is not None,
                self.launcher is not None and message_window.uid is not None,
            )

    def _list_changed(self, mailbox: Any, *_args: Any) -> None:
        # After the mailbox controller has handled the change (its reselection is queued the same way).
        QTimer.singleShot(0, self, partial(self._after_list_change, mailbox))

    def _after_list_change(self, mailbox: Any) -> None:
        model = mailbox.message_model
        for message_window, following in list(self._after_delete.items()):
            if message_window.mailbox is not mailbox or message_window.uid is None:
                continue
            if model.row_of_uid(message_window.uid) is not None:
                continue  # still there (the question was not answered yet, or No)
            if following is not None and model.row_of_uid(following) is not None:
                assert message_window.folder_id is not None
                self.load(message_window, message_window.folder_id, following)
            else:
                message_window.close()
        self.update_states()

    def _select(self, mailbox: Any, row: int) -> None:
        view = self.window.message_view
        index = mailbox.message_model.index(row, 0)
        view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        view.scrollTo(index)

    # ------------------------------------------------------------------ the window's actions

    def step(self, message_window: MessageWindow, delta: int) -> None:
        """Previous / Next: the list's selection moves, the window shows that message."""
        row = self._row(message_window)
        if row is None or message_window.folder_id is None:
            return
        model = message_window.mailbox.message_model
        target = row + delta
        uid = model.uid_at(target) if 0 <= target < model.rowCount() else None
        if uid is None:
            return
        self._select(message_window.mailbox, target)
        self.load(message_window, message_window.folder_id, int(uid))

    def reply(self, message_window: MessageWindow, start: Start) -> None:
        """Reply / Reply all / Forward on the window's message (as the main window's actions)."""
        launcher = self.launcher
        if launcher is None or message_window.folder_id is None or message_window.uid is None:
            return
        launcher.starter.start_from_message(
            message_window.mailbox.service, message_window.folder_id, message_window.uid, start,
            launcher.show, self._reply_failed,
        )

    def _reply_failed(self, error: GovMailError) -> None:
        if self.bridge is not None:
            self.bridge.report_error(error)
        else:
            log.warning("Composer not opened: %s", error)

    def delete(self, message_window: MessageWindow) -> None:
        """Delete: the mailbox controller's delete on the window's message (selected in the
        list first), its question over this window."""
        controller = self.mailbox_controller()
        row = self._row(message_window)
        if controller is None or row is None:
            return
        model = message_window.mailbox.message_model
        following = model.uid_at(row + 1) if row + 1 < model.rowCount() else (
            model.uid_at(row - 1) if row > 0 else None)
        self._select(message_window.mailbox, row)
        self._after_delete[message_window] = following
        controller.delete(parent=message_window)

    # ------------------------------------------------------------------ .eml files

    def _ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Open Message"), "", self.tr("E-mail messages (*.eml);;All files (*)")
        )
        return path

    def open_file(self) -> None:
        """File → Open Message…: an .eml file in a window of its own (read on the worker)."""
        path = self.ask_open_path()
        if path:
            self.open_eml(Path(path))

    def open_eml(self, path: Path) -> None:
        def read() -> bytes:
            with open(path, "rb") as handle:
                data = handle.read(MAX_EML_BYTES + 1)
            if len(data) > MAX_EML_BYTES:
                raise ValueError("too large")
            return data

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValueError):
                text = self.tr("The file {name} is too large to open as a message.").format(name=path.name)
            else:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                text = self.tr("The file {name} could not be opened: {reason}").format(name=path.name, reason=reason)
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Open Message"), text,
                              QMessageBox.StandardButton.Ok, self.window)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

        REGISTRY.worker().submit(read, lambda raw: self._show_file(raw, path), failed)

    def _show_file(self, raw: bytes, path: Path) -> None:
        self.opened.emit(MessageWindow.show_raw(raw, path.name))

    def shutdown(self) -> None:
        """Close every message window (the program is quitting)."""
        REGISTRY.close_all()


def attach_message_windows(ctx: Any) -> MessageWindowController | None:
    """Composition root step: message windows for ``ctx.window``'s list (None without a
    window); the policy's attachment rules and the Thai-digit setting reach every window's
    preview; the windows close at shutdown."""
    if ctx.window is None:
        return None
    policy = ctx.policy
    REGISTRY.attachment_rules = policy.attachment_rules() if policy.error is None else None
    settings = ctx.settings
    REGISTRY.thai_digits = lambda: bool(settings.ui_thai_digits)
    mailboxes = ctx.mailboxes
    controller = MessageWindowController(
        ctx.window, lambda: mailboxes.controller if mailboxes is not None else None, ctx.composer,
        bridge=ctx.bridge, parent=ctx.window,
    )
    ctx.shutdown_hooks.append(controller.shutdown)
    return controller


__all__ = ["MAX_EML_BYTES", "MessageWindowController", "attach_message_windows"]
