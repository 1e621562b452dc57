"""Joins the accounts' outboxes to the main window: the Outbox page, the choices, the notices.

* The Outbox node of the folder tree (shown while the account's outbox holds
  messages) shows the :class:`~govmail_desktop.ui.outbox_view.OutboxView` in
  place of the message list and preview; any other folder brings them back.
  The two pages share the main splitter's right-hand slot (a QStackedWidget put
  there by :meth:`OutboxController.install`), so the pane sizes the window saves
  do not change. While the outbox is shown the message list has no selection,
  so no message action (Delete…) can reach messages the user does not see.
* The user's choices go to the account's :class:`OutboxService`, whose methods
  only post a job to its worker (never disk or network on the GUI thread).
  "Edit and send again" takes the draft back on a worker of its own
  (:func:`~govmail_desktop.services.outbox_edit.restore_draft`: draft store
  first, durably), then removes the outbox entry and opens the draft through
  ``open_draft`` — the composition root's ``app.resume_draft``.
* When a message becomes failed or "may have been sent" (also found so at
  start-up, after a crash), was sent to some recipients only, or has waited too
  long (the service's ``overdue``), the status bar says so through the message
  bridge, whatever page is shown.

Accounts are read from ``mailboxes.accounts`` (the root's ``Mailboxes``: each
with ``account``, ``models.folder_model`` and ``outbox``), again whenever the
shown account changes, so an account added later is joined too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Slot
from PySide6.QtWidgets import QStackedWidget

from govmail_desktop.core.compose import Draft
from govmail_desktop.core.errors import BugError, GovMailError, StorageError
from govmail_desktop.i18n.catalog import Msg, current_language
from govmail_desktop.models.folder_tree import OUTBOX_ROLE, SpecialUseRole
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.services.outbox_edit import restore_draft
from govmail_desktop.services.outbox_service import OutboxService
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.store.outbox import OutboxEntry, OutboxState
from govmail_desktop.ui.outbox_view import (
    DELETE,
    EDIT,
    MARK_SENT,
    REMOVE,
    SEND_AGAIN,
    SEND_NOW,
    TRY_AGAIN,
    OutboxView,
)

log = logging.getLogger(__name__)

#: The notice keys (one per account): a later notice about the same outbox replaces it.
NOTICE_KEY = "outbox:{account}"


class OutboxController(QObject):
    """The Outbox page of one main window and the notices of every account's outbox."""

    def __init__(
        self,
        window: Any,
        mailboxes: Any,
        *,
        bridge: Any,
        drafts: DraftStore | None,
        open_draft: Callable[[Draft], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.mailboxes = mailboxes
        self.bridge = bridge
        self.drafts = drafts
        self.open_draft = open_draft
        self.view = OutboxView(window)
        self.view.actionRequested.connect(self.act)
        self.stack: QStackedWidget | None = None
        #: The outbox shown (None: the message list is shown).
        self.shown: OutboxService | None = None
        self._watched: dict[int, OutboxService] = {}
        #: What each entry was when last seen, by (account id, entry id): notices on a change.
        self._states: dict[tuple[str, str], tuple[OutboxState, bool]] = {}
        self._bound_selection: Any = None
        self._worker: LocalWorker | None = None
        #: Entries being taken back to the composer (a second click waits for the first).
        self._editing: set[str] = set()

    # ------------------------------------------------------------------ joining the window

    def install(self) -> None:
        """Put the Outbox page beside the message list and follow the folder tree."""
        w = self.window
        splitter = w.main_splitter
        index = splitter.indexOf(w.list_splitter)
        sizes = splitter.sizes()
        self.stack = QStackedWidget()
        self.stack.setObjectName("mailPages")
        splitter.replaceWidget(index, self.stack)
        self.stack.addWidget(w.list_splitter)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(w.list_splitter)
        splitter.setSizes(sizes)
        w.account_combo.currentIndexChanged.connect(self._on_account_changed)
        # A click also rebinds: the tree's selection model is new whenever another account is shown.
        w.folder_view.clicked.connect(self._on_folder_clicked)
        self.watch_accounts()
        self._bind_tree()

    def watch_accounts(self) -> None:
        """Join every account's outbox not joined yet (its changes, its notices)."""
        for mailbox in getattr(self.mailboxes, "accounts", ()):
            service = getattr(mailbox, "outbox", None)
            if service is None or id(service) in self._watched:
                continue
            self._watched[id(service)] = service
            service.entryChanged.connect(self._on_entry_changed)
            service.countChanged.connect(self._on_count_changed)
            service.overdue.connect(self._on_overdue)
            service.discardRefused.connect(self._on_discard_refused)
            self.refresh(service)

    def _bind_tree(self) -> None:
        selection = self.window.folder_view.selectionModel()
        if selection is None or selection is self._bound_selection:
            return
        self._bound_selection = selection
        selection.currentChanged.connect(self._on_folder_current)
        self._on_folder_current(self.window.folder_view.currentIndex(), QModelIndex())

    @Slot(int)
    def _on_account_changed(self, _index: int) -> None:
        # The mailbox controller (connected first) has shown the account's folders by now.
        self.watch_accounts()
        self._bind_tree()
        self._on_folder_current(self.window.folder_view.currentIndex(), QModelIndex())

    @Slot(QModelIndex)
    def _on_folder_clicked(self, index: QModelIndex) -> None:
        self._bind_tree()
        self._on_folder_current(index, QModelIndex())

    @Slot(QModelIndex, QModelIndex)
    def _on_folder_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(SpecialUseRole) == OUTBOX_ROLE:
            service = self.outbox_for_model(current.model())
            if service is not None:
                self.show_outbox(service)
                return
        self.show_messages()

    def outbox_for_model(self, folder_model: Any) -> OutboxService | None:
        """The outbox of the account whose folder tree this is."""
        for mailbox in getattr(self.mailboxes, "accounts", ()):
            if mailbox.models.folder_model is folder_model:
                return getattr(mailbox, "outbox", None)
        return None

    def account_label(self, service: OutboxService) -> str:
        for mailbox in getattr(self.mailboxes, "accounts", ()):
            if getattr(mailbox, "outbox", None) is service:
                return str(getattr(mailbox.account, "address", "") or service.account_id)
        return service.account_id

    # ------------------------------------------------------------------ pages

    def show_outbox(self, service: OutboxService) -> None:
        self.watch_accounts()
        self.window.message_view.clearSelection()  # no message action on mail not in sight
        self.show_entries_of(service)
        if self.stack is not None:
            self.stack.setCurrentWidget(self.view)

    def show_entries_of(self, service: OutboxService) -> None:
        """The page shows (and follows) this account's outbox."""
        self.shown = service
        self.view.set_entries(service.entries())

    def show_messages(self) -> None:
        self.shown = None
        if self.stack is not None:
            self.stack.setCurrentWidget(self.window.list_splitter)

    @property
    def outbox_shown(self) -> bool:
        return self.stack is not None and self.stack.currentWidget() is self.view

    # ------------------------------------------------------------------ outbox changes

    @Slot(str)
    def _on_entry_changed(self, _entry_id: str) -> None:
        self.refresh_all()

    @Slot(int)
    def _on_count_changed(self, _count: int) -> None:
        self.refresh_all()

    @Slot(str, object)
    def _on_overdue(self, entry_id: str, notice: object) -> None:
        """A message has waited too long (told once by the service; it is still tried)."""
        for service in self._watched.values():
            entry = next((e for e in service.entries() if e.entry_id == entry_id), None)
            if entry is not None and isinstance(notice, Msg):
                self.bridge.warning(self.tr("“{subject}”: {notice}").format(
                    subject=entry.subject, notice=notice.text(current_language())),
                    key=NOTICE_KEY.format(account=service.account_id))
                return

    @Slot(str, object)
    def _on_discard_refused(self, _entry_id: str, notice: object) -> None:
        """Delete reached a message the outbox had meanwhile sent: it was kept; say so."""
        service = self.sender()
        if isinstance(notice, Msg):
            account = service.account_id if isinstance(service, OutboxService) else ""
            self.bridge.warning(notice.text(current_language()), key=NOTICE_KEY.format(account=account))

    def refresh_all(self) -> None:
        # Signals come queued from the outboxes' workers; each refresh reads a snapshot only.
        for service in list(self._watched.values()):
            self.refresh(service)

    def refresh(self, service: OutboxService) -> None:
        """The outbox changed: the page (when it shows this outbox) and the notices."""
        entries = service.entries()
        if service is self.shown:
            self.view.set_entries(entries)
        self._notice_changes(service, entries)

    def _notice_changes(self, service: OutboxService, entries: list[OutboxEntry]) -> None:
        account = service.account_id
        failed: list[OutboxEntry] = []
        unknown: list[OutboxEntry] = []
        partly: list[OutboxEntry] = []
        seen: dict[tuple[str, str], tuple[OutboxState, bool]] = {}
        for entry in entries:
            key = (account, entry.entry_id)
            now = (entry.state, bool(entry.refused))
            seen[key] = now
            if self._states.get(key) == now:
                continue
            if entry.state is OutboxState.FAILED:
                failed.append(entry)
            elif entry.state is OutboxState.UNKNOWN:
                unknown.append(entry)
            elif entry.state is OutboxState.DONE and entry.refused:
                partly.append(entry)
        self._states = {k: v for k, v in self._states.items() if k[0] != account}
        self._states.update(seen)
        notice = NOTICE_KEY.format(account=account)
        if unknown:
            self.bridge.warning(self._unknown_text(unknown), key=notice)
        elif failed:
            self.bridge.warning(self._failed_text(failed), key=notice)
        elif partly:
            self.bridge.warning(self.tr("“{subject}” was sent, but not to every recipient: see the Outbox.")
                                .format(subject=partly[0].subject), key=notice)

    def _unknown_text(self, entries: list[OutboxEntry]) -> str:
        if len(entries) == 1:
            return self.tr("“{subject}” may have been sent: open the Outbox to send it again or mark it as sent."
                           ).format(subject=entries[0].subject)
        return self.tr("{count} messages may have been sent: open the Outbox to send them again or mark them "
                       "as sent.").format(count=len(entries))

    def _failed_text(self, entries: list[OutboxEntry]) -> str:
        if len(entries) == 1:
            return self.tr("“{subject}” was not sent: open the Outbox to see the server's answer and send it "
                           "again.").format(subject=entries[0].subject)
        return self.tr("{count} messages were not sent: open the Outbox to see the server's answers."
                       ).format(count=len(entries))

    # ------------------------------------------------------------------ the user's choices

    @Slot(str, str)
    def act(self, action: str, entry_id: str) -> None:
        """Carry out a choice made (and confirmed) in the view on the outbox shown."""
        service = self.shown
        if service is None:
            return
        log.info("Outbox %s: the user chose %s", entry_id, action)
        if action == SEND_NOW or action == TRY_AGAIN:
            service.retry(entry_id)
        elif action == SEND_AGAIN:
            service.send_again(entry_id)
        elif action == MARK_SENT:
            service.mark_sent(entry_id)
        elif action in (DELETE, REMOVE):
            service.discard(entry_id)
        elif action == EDIT:
            self.edit(service, entry_id)

    def edit(self, service: OutboxService, entry_id: str) -> None:
        """Failed (or partly delivered) message → the drafts (durably) → out of the outbox → the
        composer. Recipients the server already accepted it for are left out of the new draft
        (the view's confirmation said so; the user may add them back)."""
        if self.drafts is None:
            self.bridge.report_error(BugError(detail="no draft store: cannot edit an outbox message"))
            return
        if entry_id in self._editing:
            return
        self._editing.add(entry_id)
        drafts = self.drafts
        entry = next((e for e in service.entries() if e.entry_id == entry_id), None)
        delivered = entry.delivered if entry is not None else ()
        if self._worker is None:
            self._worker = LocalWorker("outbox-edit", parent=self)

        def job() -> Draft:
            try:
                draft, reader = service.take_back(entry_id)
                return restore_draft(draft, reader, drafts, leave_out=delivered)
            except KeyError as exc:  # a file of the entry is gone: the outbox is damaged
                raise StorageError(detail=f"outbox entry {entry_id}: {exc} missing", code="outbox-damaged") from None

        def done(draft: Draft) -> None:
            self._editing.discard(entry_id)
            service.discard(entry_id)
            self.open_draft(draft)

        def failed(exc: BaseException) -> None:
            self._editing.discard(entry_id)
            err = exc if isinstance(exc, GovMailError) else BugError(detail=f"{type(exc).__name__}: {exc}")
            log.warning("Outbox %s could not be taken back to edit: %s", entry_id, exc)
            self.bridge.report_error(err)

        self._worker.submit(job, done, failed)

    def shutdown(self) -> None:
        if self._worker is not None:
            self._worker.shutdown()


def attach_outbox_view(ctx: Any, open_draft: Callable[[Draft], object]) -> OutboxController | None:
    """Composition root step: the Outbox page in ``ctx.window`` for ``ctx.mailboxes``
    (None without a window or mailboxes); its worker stops at shutdown."""
    if ctx.window is None or ctx.mailboxes is None:
        return None
    drafts = getattr(ctx.drafts, "store", None)
    controller = OutboxController(ctx.window, ctx.mailboxes, bridge=ctx.bridge, drafts=drafts, open_draft=open_draft)
    controller.install()
    ctx.shutdown_hooks.append(controller.shutdown)
    return controller


__all__ = ["NOTICE_KEY", "OutboxController", "attach_outbox_view"]
