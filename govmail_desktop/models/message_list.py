"""The message list: a virtual table model over the mail cache.

Why it reads the store directly (and not through services/): every question
it asks is a local, indexed SQLite read of a few milliseconds (a COUNT, a
256-row page, a position), the GUI thread has its own connection, and WAL
means the sync worker's writes never block it. Going through a worker would
add a thread hop to every scroll. It never writes; actions go through the
services, which then tell this model what changed.

Nothing here holds all rows, and nothing on the GUI thread walks the whole
folder: ``data`` reads pages of :attr:`PAGE_SIZE` rows on demand, keeping at
most :attr:`MAX_PAGES` of them (LRU); sorting re-queries an index (never a
Python sort). ``pages_loaded`` / ``rows_loaded`` count what was read, for tests
and benchmarks.

Counts and positions at 1,000,000 messages: SQLite walks an index to count
(30 ms for the whole folder, 130 ms for a position near its end), so the model
counts at most :attr:`COUNT_AT_ONCE` rows itself and has the exact count of a
bigger folder made on another thread (:class:`~govmail_desktop.models.list_counter.ListCounter`):
after a reset the rows it could not count yet are added at the end when the
answer comes (:attr:`count_pending`); after a change placed by arithmetic the
answer checks it (a mismatch resets). Changed rows are placed by walks of at
most :attr:`REACH` rows from either end of the order
(:mod:`~govmail_desktop.models.list_positions`); a change it cannot place so
(the middle of a huge folder) becomes a reset that keeps the row count it
expects, so the view keeps its scroll position.

Conversation view (:meth:`set_threaded`): rows come from the store's
materialised thread order, which only the worker writes (about a second per
100,000 messages). When the order for the folder and sort shown is missing
or stale, the model emits :attr:`threadOrderNeeded`; the mailbox service
builds it on its worker and calls :meth:`thread_order_ready`. Until a first
order exists the list is empty and :attr:`building` is true (the view says
"building conversations…"); a stale order stays shown until the new one is
ready. Clicking a column header in this view orders the conversations by it.

Change notifications (GUI thread slots; the sync service connects to them):

* :meth:`messages_changed` — flags of some UIDs changed → ``dataChanged``;
* :meth:`messages_inserted` — new UIDs are in the cache → ``rowsInserted``
  at their sorted positions (very many: only as one block on top or at the
  end, else a reset; in the conversation view a new order is asked for, then
  a reset);
* :meth:`messages_removed` — rows were expunged; give the ``RowKey``s that
  ``MailCache.expunge`` returned, so their old positions can be found;
* :meth:`refresh` — something changed, unknown what.

Inserts and removals keep the view's selection and current row (Qt moves
persistent indexes). On a reset, views may remember ``uid_at(row)`` of their
selection on ``modelAboutToBeReset`` (pages are still valid then) and find the
rows again with :meth:`row_of_uid` on ``modelReset``.

When the conversation view is off nothing about threads is computed.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QModelRoleData, QModelRoleDataSpan, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from govmail_desktop.core.entities import FlagBits, SpecialUse
from govmail_desktop.core.errors import StorageError
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.mime.markings import Markings, recognise
from govmail_desktop.models.list_rows import CountState, ListRowsModel
from govmail_desktop.models.message_roles import (  # the roles live apart (views load without this model)
    DateRole,
    FlaggedRole,
    FlagsRole,
    HasAttachmentsRole,
    KeywordsRole,
    MarkingsRole,
    SubjectShownRole,
    ThreadDepthRole,
    UidRole,
    UnreadRole,
)
from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.keys import unpack_addresses
from govmail_desktop.store.list_filter import ListFilter
from govmail_desktop.store.message_rows import PageRow, SortKey, thread_sort_name

log = logging.getLogger(__name__)

MESSAGES_MIME_TYPE = "application/x-govmail-messages"

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    MARKS = 0
    SUBJECT = 1
    FROM = 2
    DATE = 3
    SIZE = 4


_SORT_OF_COLUMN = {
    Column.SUBJECT: SortKey.SUBJECT,
    Column.FROM: SortKey.SENDER,
    Column.DATE: SortKey.DATE,
    Column.SIZE: SortKey.SIZE,
}
_COLUMN_OF_SORT = {v: k for k, v in _SORT_OF_COLUMN.items()}

FLAG_MARK = "⚑"
ATTACHMENT_MARK = "📎"


class MessageListModel(ListRowsModel):
    """Virtual, sortable list of one folder's cached messages (its rows: :class:`ListRowsModel`).

    Signals (and ``storageFailed``, see :class:`ListRowsModel`):
        threadOrderNeeded(int, str, bool): folder id, ``SortKey`` value and
            descending: build this conversation order off the GUI thread
            (``MailCache.ensure_thread_order``), then call :meth:`thread_order_ready`.
        buildingChanged(bool): the conversation view started or stopped
            waiting for its first order (see :attr:`building`).
    """

    threadOrderNeeded = Signal(int, str, bool)
    buildingChanged = Signal(bool)

    def __init__(
        self,
        cache: MailCache,
        parent: Any = None,
        *,
        formatter: DateFormatter | None = None,
        page_size: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        super().__init__(cache, parent, page_size=page_size, max_pages=max_pages)
        self._formatter = formatter or DateFormatter()
        #: Sent and Drafts: the correspondent column shows the recipients (To).
        self._recipients = False
        self._bold: QFont | None = None
        #: Conversation view: nothing to show until the worker has built an order.
        self._building = False
        #: The order asked for and not answered yet (folder, sort, descending).
        self._order_asked: tuple[int, SortKey, bool] | None = None
        #: The cache changed (or the sort did) while an order was being built.
        self._order_again = False
        #: Inside a model reset the request waits until the reset has ended.
        self._resetting = False
        self._ask_after_reset = False

    # ------------------------------------------------------------------ setup

    @property
    def folder_id(self) -> int | None:
        return self._folder_id

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def threaded(self) -> bool:
        return self._threaded

    @property
    def list_filter(self) -> ListFilter | None:
        return self._filter

    def set_filter(self, list_filter: ListFilter | None) -> None:
        """Show only the messages the quick filter keeps (None or an inactive filter: all).
        A reset; the folder's rows are counted and paged by SQL with the filter's condition."""
        if list_filter is not None and not list_filter.active:
            list_filter = None
        if list_filter == self._filter:
            return
        self._filter = list_filter
        self._reset()

    @property
    def building(self) -> bool:
        """True while the conversation view waits for its first order (the list is empty)."""
        return self._building

    def set_folder(self, folder_id: int | None) -> None:
        """Show another folder (a reset: nothing of the old one stays loaded)."""
        self._reset(folder_id=folder_id)

    @property
    def shows_recipients(self) -> bool:
        """True in Sent and Drafts, where the correspondent column shows To, not From."""
        return self._recipients

    def _is_outgoing(self, folder_id: int | None) -> bool:
        if folder_id is None:
            return False
        try:
            folder = self._cache.folder(folder_id)
        except StorageError:
            return False
        return folder is not None and folder.folder.special_use in (SpecialUse.SENT, SpecialUse.DRAFTS)

    def set_formatter(self, formatter: DateFormatter) -> None:
        """Language or digit setting changed: redraw the date column."""
        self._formatter = formatter
        if self._row_count:
            self.dataChanged.emit(
                self.index(0, Column.DATE), self.index(self._row_count - 1, Column.DATE), [Qt.ItemDataRole.DisplayRole]
            )

    def retranslate(self, formatter: DateFormatter | None = None) -> None:
        """The UI language changed: new headers, and dates in the new language."""
        self._formatter = formatter or DateFormatter(thai_digits=self._formatter.thai_digits)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._row_count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._row_count - 1, len(Column) - 1))

    def set_threaded(self, threaded: bool) -> None:
        """Group by conversation (References/In-Reply-To). Shows the stored order
        at once when it is current; else the list waits (:attr:`building`) for
        the order asked for with :attr:`threadOrderNeeded`."""
        if threaded == self._threaded:
            return
        self._threaded = threaded
        self._reset()

    def _reload_count(self, expected: int | None = None) -> None:
        """Count the rows to show (reads only); in the conversation view, ask for
        a new order when the stored one is stale or for another sort. A folder too
        big to count here shows ``expected`` rows (or those counted) until the
        background count says how many there are."""
        self._clear_pages()
        self._hidden, self._phantoms = [], []
        self._building = False
        self._count = CountState.EXACT
        if self._folder_id is None:
            self._row_count = 0
            return
        try:
            if self._threads_shown:
                state = self._cache.thread_order_state(self._folder_id)
                if state is None:  # the folder is gone from the cache
                    self._row_count = 0
                    return
                valid, built_for = state
                same_sort = built_for == thread_sort_name(self._sort, self._descending)
                self._row_count = self._cache.thread_count(self._folder_id) if same_sort else 0
                if not (valid and same_sort):
                    # A stale order of this sort stays shown; none (or another sort's): wait.
                    self._building = not same_sort or (self._row_count == 0 and not valid)
                    self._ask_thread_order()
            else:
                counted = self._count_now()
                if counted is None:
                    self._row_count = max(expected or 0, self.COUNT_AT_ONCE)
                    self._count = CountState.PENDING
                    self._ask_count()
                else:
                    self._row_count = counted
        except StorageError as exc:
            self._report(exc)
            self._row_count = 0
            self._building = False

    # ------------------------------------------------------------------ conversation order

    def _ask_thread_order(self) -> None:
        """Ask for the order of the folder and sort shown (one request at a time)."""
        if self._folder_id is None or not self._threads_shown:
            return
        if self._order_asked is not None:
            self._order_again = True  # asked again when the answer comes
            return
        self._order_asked = (self._folder_id, self._sort, self._descending)
        if self._resetting:  # a listener answering at once must not re-enter the reset
            self._ask_after_reset = True
            return
        self.threadOrderNeeded.emit(self._folder_id, self._sort.value, self._descending)

    def thread_order_ready(self, folder_id: int, sort: str, descending: bool) -> None:
        """The worker built the order asked for: show it (or ask again if things moved on)."""
        asked = (folder_id, SortKey(sort), bool(descending))
        if self._order_asked is not None and self._order_asked != asked:
            return  # an answer to an older request (a folder shown before)
        self._order_asked = None
        again, self._order_again = self._order_again, False
        if not self._threaded or self._folder_id is None:
            return
        if again or asked != (self._folder_id, self._sort, self._descending):
            self._ask_thread_order()  # the folder, the cache or the sort changed meanwhile
            return
        self._reset()

    def thread_order_failed(self, folder_id: int) -> None:
        """Building the order failed (reported by the caller): stop waiting, show what is stored."""
        self._order_asked = None
        self._order_again = False
        if self._building and folder_id == self._folder_id:
            self._building = False
            self.buildingChanged.emit(False)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._row_count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                Column.MARKS: "",
                Column.SUBJECT: self.tr("Subject"),
                Column.FROM: self.tr("To") if self._recipients else self.tr("From"),
                Column.DATE: self.tr("Date"),
                Column.SIZE: self.tr("Size"),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.MARKS:
            return self.tr("Flag and attachment")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._row_count:
            return None
        role = int(role)
        if role not in _ROLES_SERVED:
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        return self._value(entry, index.column(), role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # Qt's names
        """Every role a delegate asks for a cell, in one call (Qt 6's item delegates ask this
        way): one call into Python per cell instead of one per role. A repaint during a big
        sync made ~1,000 calls, each waiting for the interpreter lock the sync thread holds."""
        items: list[QModelRoleData]
        if isinstance(roleDataSpan, QModelRoleData):
            items = [roleDataSpan]
        else:
            items = [roleDataSpan[i] for i in range(roleDataSpan.size())]  # type: ignore[index]  # (stubs lack it)
        entry = None
        if index.isValid() and index.row() < self._row_count:
            entry = self._entry(index.row())
        column = index.column()
        for item in items:
            role = int(item.role())
            value = self._value(entry, column, role) if entry is not None and role in _ROLES_SERVED else None
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def _value(self, entry: tuple[PageRow, int], column: int, role: int) -> Any:
        """What ``data`` gives for one served role of a row's cell."""
        row, depth = entry
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, depth, column)
        if role == Qt.ItemDataRole.FontRole:
            if not row.flags & FlagBits.SEEN:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Subjects and names are the sender's text: never rich text.
            return plain_tooltip(self._tooltip(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == Column.SIZE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == UidRole:
            return row.uid
        if role == FlagsRole:
            return int(row.flags)
        if role == UnreadRole:
            return not row.flags & FlagBits.SEEN
        if role == FlaggedRole:
            return bool(row.flags & FlagBits.FLAGGED)
        if role == HasAttachmentsRole:
            return bool(row.has_attachments)
        if role == ThreadDepthRole:
            return depth
        if role == KeywordsRole:
            return row.keywords
        if role == DateRole:
            return row.internaldate
        if role == MarkingsRole:
            return _markings(row.subject or "")
        if role == SubjectShownRole:
            marks = _markings(row.subject or "")
            return self._display(row, depth, Column.SUBJECT, marks.bare_subject if marks.marked else None)
        return None

    def _display(self, row: PageRow, depth: int, column: int, subject_shown: str | None = None) -> str:
        if column == Column.SUBJECT:
            subject = subject_shown or row.subject or self.tr("(no subject)")
            if depth:
                return "  " * min(depth, 8) + "↳ " + subject
            return subject
        if column == Column.FROM:
            if self._recipients:
                return ", ".join(a.display for a in unpack_addresses(row.to_addrs)) or self.tr("(no recipients)")
            return row.from_display or self.tr("(unknown sender)")
        if column == Column.DATE:
            return self._formatter.short(row.internaldate)
        if column == Column.SIZE:
            return self._size_text(row.size)
        if column == Column.MARKS:
            marks = FLAG_MARK if row.flags & FlagBits.FLAGGED else ""
            return marks + (ATTACHMENT_MARK if row.has_attachments else "")
        return ""

    @staticmethod
    def _size_text(size: int) -> str:
        # Unit symbols (as Thai Windows and web mail show them), not words: not translated.
        if size < 1024:
            return f"{size} B"
        if size < 1024 * 1024:
            return f"{max(1, round(size / 1024))} KB"
        return f"{size / (1024 * 1024):.1f} MB"

    def _tooltip(self, row: PageRow, column: int) -> str | None:
        if column == Column.FROM:
            packed = row.to_addrs if self._recipients else row.from_addrs
            return ", ".join(str(a) for a in unpack_addresses(packed)) or None
        if column == Column.SUBJECT:
            return row.subject or None
        if column == Column.DATE:
            return self._formatter.full(row.internaldate)
        if column == Column.SIZE:
            return self.tr("{size} bytes").format(size=f"{row.size:,}")
        if column == Column.MARKS:
            parts = []
            if row.flags & FlagBits.FLAGGED:
                parts.append(self.tr("Flagged"))
            if row.has_attachments:
                parts.append(self.tr("Has attachments"))
            return ", ".join(parts) or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query in another order; selection and current row follow their messages."""
        key = _SORT_OF_COLUMN.get(Column(column)) if 0 <= column < len(Column) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self.set_sort(key, descending)

    def set_sort(self, key: SortKey, descending: bool) -> None:
        key = SortKey(key)
        if self._threads_shown:
            # Conversations ordered by this column: the list shows the new order once
            # the worker has built it (a reset; the selection is found again by UID).
            self._sort, self._descending = key, descending
            self._ask_thread_order()
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        # Persistent indexes are few (selection corners, current row); cap the lookups anyway.
        uid_of: dict[int, int | None] = {}
        for p in old[: 4 * self.MAX_INCREMENTAL]:
            if p.row() not in uid_of:
                uid_of[p.row()] = self.uid_at(p.row())
        self._sort, self._descending = key, descending
        self._clear_pages()
        row_of: dict[int, int | None] = {}
        new = []
        for p in old:
            uid = uid_of.get(p.row())
            if uid is not None and uid not in row_of:
                row_of[uid] = self.row_of_uid(uid)
            row = row_of.get(uid) if uid is not None else None
            new.append(self.index(row, p.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return int(_COLUMN_OF_SORT[self._sort])

    def mimeTypes(self) -> list[str]:
        return [MESSAGES_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Dragged messages: ``{"folder_id": n, "uids": [...]}`` (dropped on the folder tree)."""
        uids = sorted({uid for uid in (self.uid_at(i.row()) for i in indexes if i.isValid()) if uid is not None})
        mime = QMimeData()
        mime.setData(MESSAGES_MIME_TYPE, json.dumps({"folder_id": self._folder_id, "uids": uids}).encode())
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    # ------------------------------------------------------------------ change notifications

    def _show_again(self, expected: int | None = None) -> None:
        self._reset(expected=expected)

    def folder_reset(self) -> None:
        """The folder was emptied and refetched (UIDVALIDITY change, cache rebuild)."""
        self._reset()

    _KEEP = object()

    def _reset(self, folder_id: Any = _KEEP, expected: int | None = None) -> None:
        """Show the rows again (another folder, filter or view; a change not placed);
        ``expected``: the rows a big folder should have (kept until counted)."""
        was_building = self._building
        self.beginResetModel()
        self._resetting = True
        self._changes += 1
        try:
            if folder_id is not MessageListModel._KEEP:
                if folder_id != self._folder_id:
                    self._filter = None  # the quick filter is the shown folder's
                self._folder_id = folder_id
                self._recipients = self._is_outgoing(folder_id)
            self._reload_count(expected)
        finally:
            self._resetting = False
            self.endResetModel()
        if self._building != was_building:
            self.buildingChanged.emit(self._building)
        if self._ask_after_reset and self._order_asked is not None:
            self._ask_after_reset = False
            folder, sort, descending = self._order_asked
            self.threadOrderNeeded.emit(folder, sort.value, descending)


_ROLES_SERVED = frozenset(
    {
        int(Qt.ItemDataRole.DisplayRole),
        int(Qt.ItemDataRole.FontRole),
        int(Qt.ItemDataRole.ToolTipRole),
        int(Qt.ItemDataRole.TextAlignmentRole),
        UidRole,
        FlagsRole,
        UnreadRole,
        FlaggedRole,
        HasAttachmentsRole,
        ThreadDepthRole,
        KeywordsRole,
        DateRole,
        MarkingsRole,
        SubjectShownRole,
    }
)


@functools.lru_cache(maxsize=4096)
def _markings(subject: str) -> Markings:
    """The markings of a subject (cached: the view asks for each visible row on every paint)."""
    return recognise(subject)
