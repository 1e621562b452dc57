"""Opens composer windows from the main window's actions (no mail logic here).

Write (Ctrl+N), Reply (Ctrl+R), Reply all (Ctrl+Shift+R), Forward (Ctrl+L),
Forward as attachment and Edit as new — from the toolbar, the Message menu,
the message list's context menu and the keys — become a
:class:`~govmail_desktop.services.compose_start.ComposeStarter` call for the
selected message; the original is read on the mailbox's worker, and the
window opens when the draft is ready. A message in the Drafts folder opened
(double click, Enter) continues that draft through the drafts service.
Edit → Signatures… opens the signature editor, Edit → Identities… the editor of
the accounts' other From addresses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Signal

from govmail_desktop.core.compose import Draft, MessageRef
from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.models.address_completer import SuggestionSource
from govmail_desktop.services.compose import ComposeSession
from govmail_desktop.services.compose_start import ComposeStarter, Start
from govmail_desktop.ui.composer.window import ComposerWindow
from govmail_desktop.ui.main_window import REASON_NO_CONTACTS

log = logging.getLogger(__name__)


class ComposeLauncher(QObject):
    """Connects a MainWindow's composing actions to a :class:`ComposeStarter`.

    ``current_mailbox()`` gives the account shown (an object with ``service`` and
    ``message_model``, i.e. ``MailboxModels``) or None.

    Signals:
        opened(object): a composer window was opened (the :class:`ComposerWindow`).
    """

    opened = Signal(object)

    def __init__(
        self,
        window: Any,
        starter: ComposeStarter,
        current_mailbox: Callable[[], Any],
        *,
        bridge: Any = None,
        rich_text: Callable[[], bool] = lambda: True,
        drafts: Any = None,
        edit_signatures: Callable[[Any], None] | None = None,
        edit_identities: Callable[[Any], None] | None = None,
        address_book: SuggestionSource | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.starter = starter
        self.current_mailbox = current_mailbox
        self.bridge = bridge
        self.rich_text = rich_text
        self.drafts = drafts
        self._edit_signatures = edit_signatures
        self._edit_identities = edit_identities
        self.address_book = address_book
        #: Open composer windows (kept referenced until they close).
        self.windows: list[ComposerWindow] = []
        w = window
        w.compose_action.triggered.connect(self.compose)
        w.reply_action.triggered.connect(lambda: self.start(Start.REPLY))
        w.reply_all_action.triggered.connect(lambda: self.start(Start.REPLY_ALL))
        w.forward_action.triggered.connect(lambda: self.start(Start.FORWARD))
        w.forward_attachment_action.triggered.connect(lambda: self.start(Start.FORWARD_ATTACHED))
        w.edit_as_new_action.triggered.connect(lambda: self.start(Start.EDIT_AS_NEW))
        w.signatures_action.triggered.connect(self.edit_signatures)
        w.identities_action.triggered.connect(self.edit_identities)
        w.contacts_action.triggered.connect(self.show_contacts)
        w.set_action_state(
            w.contacts_action, address_book is not None and hasattr(address_book, "list_contacts"), REASON_NO_CONTACTS
        )
        w.message_view.activated.connect(self._on_message_activated)
        if drafts is not None and hasattr(drafts, "opened"):
            drafts.opened.connect(self.resume)
        w.set_composer_ready(bool(starter.accounts()))

    # ------------------------------------------------------------------ what is selected

    def _account_id(self) -> str | None:
        mailbox = self.current_mailbox()
        if mailbox is not None:
            return str(mailbox.service.account_id)
        accounts = self.starter.accounts()
        return accounts[0].id if accounts else None

    def _selected(self) -> tuple[Any, int, int] | None:
        """(mailbox, folder id, uid) of the one selected message."""
        mailbox = self.current_mailbox()
        if mailbox is None:
            return None
        view = self.window.message_view
        rows = {i.row() for i in view.selectionModel().selectedRows()} if view.selectionModel() else set()
        if len(rows) != 1:
            return None
        uid = mailbox.message_model.uid_at(rows.pop())
        folder_id = mailbox.service.current_folder_id
        if uid is None or folder_id is None:
            return None
        return mailbox, int(folder_id), int(uid)

    # ------------------------------------------------------------------ opening

    def compose(self, **fields: str) -> ComposerWindow | None:
        """Ctrl+N: a new message from the shown account's first identity."""
        account_id = self._account_id()
        if account_id is None:
            return None
        return self.show(self.starter.new(account_id, **fields))

    def start(self, start: Start) -> None:
        """Reply / reply all / forward / edit as new on the selected message."""
        selected = self._selected()
        if selected is None:
            return
        mailbox, folder_id, uid = selected
        self.starter.start_from_message(mailbox.service, folder_id, uid, start, self.show, self._failed)

    def resume(self, draft: Draft) -> ComposerWindow:
        """A saved draft goes on in a composer (Drafts folder, crash recovery)."""
        for open_window in self.windows:
            if open_window.session.draft.draft_id == draft.draft_id:
                open_window.raise_()
                open_window.activateWindow()
                return open_window
        return self.show(self.starter.resume(draft))

    def show(self, session: ComposeSession) -> ComposerWindow:
        composer = ComposerWindow(session, rich=self.rich_text(), address_book=self.address_book)
        self.windows.append(composer)
        composer.closed.connect(lambda c=composer: self._forget(c))
        composer.show()
        composer.raise_()
        composer.activateWindow()
        self.opened.emit(composer)
        return composer

    def _forget(self, composer: ComposerWindow) -> None:
        if composer in self.windows:
            self.windows.remove(composer)

    def _failed(self, error: GovMailError) -> None:
        if self.bridge is not None:
            self.bridge.report_error(error)
        else:
            log.warning("Composer not opened: %s", error)

    def _on_message_activated(self, index: QModelIndex) -> None:
        """Enter / double click on a message of the Drafts folder: continue writing it."""
        mailbox = self.current_mailbox()
        if mailbox is None or self.drafts is None or not index.isValid():
            return
        service = mailbox.service
        folder_id = service.current_folder_id
        if folder_id is None or folder_id != service.special_folder_id(SpecialUse.DRAFTS):
            return
        uid = mailbox.message_model.uid_at(index.row())
        folder = service.folder(folder_id)
        if uid is None or folder is None:
            return
        ref = MessageRef(service.account_id, folder.folder.name, folder.uidvalidity or 0, int(uid))
        self.drafts.open_server_draft(ref)

    def reopen_refused(self, draft: Draft, check: object) -> ComposerWindow:
        """The outbox refused a message after its window had closed (the policy changed
        meanwhile): the draft opens again with the summary of why."""
        composer = self.resume(draft)
        composer.show_refusal(check)
        return composer

    def edit_signatures(self) -> None:
        if self._edit_signatures is not None:
            self._edit_signatures(self.window)

    def edit_identities(self) -> None:
        """Edit → Identities…: the accounts' other From addresses."""
        if self._edit_identities is not None:
            self._edit_identities(self.window)

    def show_contacts(self) -> None:
        """Edit → Contacts…: the address book's contacts dialog."""
        from PySide6.QtCore import Qt

        from govmail_desktop.ui.contacts_dialog import ContactsDialog

        if self.address_book is None or not hasattr(self.address_book, "list_contacts"):
            return
        dialog = ContactsDialog(self.address_book, self.window)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def close_all(self) -> None:
        """At shutdown: each open message is kept as a draft (no question asked)."""
        for composer in list(self.windows):
            composer.keep_and_close()
