"""The Qt item models of one account's mailbox, owned on the UI side.

:class:`MailboxModels` builds the folder tree and message list models over the
account's cache and keeps them in step with its
:class:`~govmail_desktop.services.mailbox.MailboxService`: the service says
which folder is shown and what changed in the cache (it holds no Qt GUI
type); the models read the cache and draw. What the user does in the views
goes back to the service: a drop on a folder moves or copies, a conversation
view asks the service to build its order on its worker.

It also answers what only the shown list knows: the UIDs of selected rows and,
for M and S, whether the selected messages are read or flagged (from the
rows already loaded; a cache read for the rest).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Slot

from govmail_desktop.core.entities import Flag, decode_flags
from govmail_desktop.core.errors import StorageError
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.models.folder_tree import FolderTreeModel
from govmail_desktop.models.message_list import MessageListModel
from govmail_desktop.services.mailbox import MailboxService
from govmail_desktop.store.message_rows import RowKey

log = logging.getLogger(__name__)


class MailboxModels(QObject):
    """One account's folder tree and message list models, following its mailbox service."""

    #: Selections up to this many rows are read from the model's pages; bigger
    #: ones (Ctrl+A in a big folder) in one indexed query.
    SMALL_SELECTION = 512
    #: A toggle (M, S) decides from at most this many of the selected messages.
    TOGGLE_SAMPLE = 200

    def __init__(
        self, service: MailboxService, *, formatter: DateFormatter | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent or service)
        self.service = service
        cache = service.cache
        self.folder_model = FolderTreeModel(cache, self)
        self.message_model = MessageListModel(cache, self, formatter=formatter)
        # What the views and the models ask of the service.
        self.folder_model.storageFailed.connect(service.report_problem)
        self.message_model.storageFailed.connect(service.report_problem)
        self.message_model.threadOrderNeeded.connect(service.build_thread_order)
        self.folder_model.messagesDropped.connect(service.drop)
        # What the service says changed (connected before any view or controller, so the
        # models have changed when they hear of it).
        service.folder_shown.connect(self._on_folder_shown)
        service.folders_changed.connect(self.folder_model.reload)
        service.unread_changed.connect(self.folder_model.update_counts)
        service.messages_inserted.connect(self._on_inserted)
        service.messages_changed.connect(self._on_changed)
        service.messages_removed.connect(self._on_removed)
        service.folder_reset.connect(self._on_folder_reset)
        service.thread_order_ready.connect(self.message_model.thread_order_ready)
        service.thread_order_failed.connect(self.message_model.thread_order_failed)
        if service.current_folder_id is not None:
            self.message_model.set_folder(service.current_folder_id)

    @property
    def account_name(self) -> str:
        return self.service.account_name

    # ------------------------------------------------------------------ from the service

    @Slot(object)
    def _on_folder_shown(self, folder_id: int | None) -> None:
        self.message_model.set_folder(folder_id)  # conversation view: "building" until its order is ready

    def _shown(self, folder_id: int) -> bool:
        return self.message_model.folder_id == folder_id

    @Slot(int, list)
    def _on_inserted(self, folder_id: int, uids: list[int]) -> None:
        if self._shown(folder_id):
            self.message_model.messages_inserted(uids)

    @Slot(int, list)
    def _on_changed(self, folder_id: int, uids: list[int]) -> None:
        if self._shown(folder_id):
            self.message_model.messages_changed(uids)

    @Slot(int, list)
    def _on_removed(self, folder_id: int, keys: list[RowKey]) -> None:
        if self._shown(folder_id):
            self.message_model.messages_removed(keys)

    @Slot(int)
    def _on_folder_reset(self, folder_id: int) -> None:
        if self._shown(folder_id):
            self.message_model.folder_reset()

    # ------------------------------------------------------------------ the UI's choices

    def set_threaded(self, threaded: bool) -> None:
        """Group the list by conversation (the service builds the order on its worker)."""
        self.message_model.set_threaded(threaded)

    def retranslate(self, formatter: DateFormatter | None = None) -> None:
        self.folder_model.retranslate()
        self.message_model.retranslate(formatter)

    # ------------------------------------------------------------------ selections

    def uids_in_rows(self, first: int, last: int) -> list[int]:
        """UIDs of the list rows ``first..last`` as shown now."""
        model = self.message_model
        last = min(last, model.rowCount() - 1)
        if last < first:
            return []
        folder_id = model.folder_id
        if last - first < self.SMALL_SELECTION or folder_id is None:
            return model.uids_at(range(first, last + 1))
        cache = self.service.cache
        shown = model.list_filter  # a quick filter's list is flat, in the column's order
        try:
            if model.threaded and shown is None:
                return [r.uid for r, _depth in cache.thread_page(folder_id, first, last - first + 1)]
            return cache.page_uids(folder_id, model.sort_key, model.descending, first, last - first + 1, shown)
        except StorageError as exc:
            self.service.report_problem(exc)
            return []

    def uids_with_flag(self, uids: Iterable[int], flag: str) -> tuple[list[int], list[int]]:
        """(with, without) the flag among the first :attr:`TOGGLE_SAMPLE` UIDs, read
        from the model's pages (a cache query only for rows not loaded)."""
        with_flag: list[int] = []
        without: list[int] = []
        for uid in itertools.islice(uids, self.TOGGLE_SAMPLE):
            row = self.message_model.row_of_uid(uid)
            data = self.message_model.row_data(row) if row is not None else None
            flags = decode_flags(data.flags, data.keywords) if data is not None else self.service.flags_of(uid)
            (with_flag if flags is not None and flag in flags else without).append(uid)
        return with_flag, without

    def toggle_read(self, uids: Sequence[int]) -> int | None:
        """Thunderbird's M: any unread among them → all read; else all unread.

        A huge selection (Ctrl+A) decides by its first messages, as the menu text does.
        """
        _, unread = self.uids_with_flag(uids, Flag.SEEN)
        return self.service.mark_read(uids, read=bool(unread))

    def toggle_flagged(self, uids: Sequence[int]) -> int | None:
        _, unflagged = self.uids_with_flag(uids, Flag.FLAGGED)
        return self.service.set_flagged(uids, flagged=bool(unflagged))
