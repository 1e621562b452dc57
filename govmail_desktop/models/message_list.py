"""The message list: a virtual table model over the mail cache.

Why it reads the store directly (and not through services/): every question
it asks is a local, indexed SQLite read of a few milliseconds (a COUNT, a
256-row page, a position), the GUI thread has its own connection, and WAL
means the sync worker's writes never block it. Going through a worker would
add a thread hop to every scroll. It never writes; actions go through the
services, which then tell this model what changed.

Nothing here holds all rows: ``rowCount`` comes from a COUNT and ``data``
reads pages of :attr:`PAGE_SIZE` rows on demand, keeping at most
:attr:`MAX_PAGES` of them (LRU). Sorting re-queries an index (never a Python
sort). ``pages_loaded`` / ``rows_loaded`` count what was read, for tests and
benchmarks.

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
  at their sorted positions (a reset when very many; in the conversation
  view a new order is asked for, then a reset);
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
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from govmail_desktop.core.entities import FlagBits, MessageSummary, SpecialUse
from govmail_desktop.core.errors import StorageError
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.mime.markings import Markings, recognise
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
from govmail_desktop.store.message_rows import PageRow, RowKey, SortKey, thread_sort_name

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
_PHANTOM = -1


class MessageListModel(QAbstractTableModel):
    """Virtual, sortable list of one folder's cached messages.

    Signals:
        storageFailed(object): a StorageError while reading the cache (the
            rows concerned show empty); emitted from the event loop, once per burst.
        threadOrderNeeded(int, str, bool): folder id, ``SortKey`` value and
            descending: build this conversation order off the GUI thread
            (``MailCache.ensure_thread_order``), then call :meth:`thread_order_ready`.
        buildingChanged(bool): the conversation view started or stopped
            waiting for its first order (see :attr:`building`).
    """

    storageFailed = Signal(object)
    threadOrderNeeded = Signal(int, str, bool)
    buildingChanged = Signal(bool)

    PAGE_SIZE = 256
    #: 12 pages (3,072 rows, ~2.5 MB of rows) around what is shown; 32 held 6.7 MB.
    MAX_PAGES = 12
    #: Above this many changed rows, a notification becomes a model reset.
    MAX_INCREMENTAL = 64

    def __init__(
        self,
        cache: MailCache,
        parent: Any = None,
        *,
        formatter: DateFormatter | None = None,
        page_size: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._formatter = formatter or DateFormatter()
        if page_size:
            self.PAGE_SIZE = page_size
        if max_pages:
            self.MAX_PAGES = max_pages
        self._folder_id: int | None = None
        self._sort = SortKey.DATE
        self._descending = True
        self._threaded = False
        #: The quick filter's conditions (None: every message of the folder).
        self._filter: ListFilter | None = None
        #: Sent and Drafts: the correspondent column shows the recipients (To).
        self._recipients = False
        self._row_count = 0
        # page number -> rows (final-layout coordinates); rows are (PageRow, depth)
        self._pages: OrderedDict[int, list[tuple[PageRow, int]]] = OrderedDict()
        self._uid_rows: dict[int, int] = {}  # uid -> final row, for cached pages only
        # During a sequence of insert/remove signals the model shows intermediate
        # layouts; these translate such a row to the store's (final) row.
        self._hidden: list[tuple[int, int]] = []  # (final start, count) not yet inserted
        self._phantoms: list[tuple[int, int]] = []  # (row, count) removed from the store, not yet from the view
        self._bold: QFont | None = None
        self._error_pending = False
        #: Conversation view: nothing to show until the worker has built an order.
        self._building = False
        #: The order asked for and not answered yet (folder, sort, descending).
        self._order_asked: tuple[int, SortKey, bool] | None = None
        #: The cache changed (or the sort did) while an order was being built.
        self._order_again = False
        #: Inside a model reset the request waits until the reset has ended.
        self._resetting = False
        self._ask_after_reset = False
        self.pages_loaded = 0
        self.rows_loaded = 0

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
    def _threads_shown(self) -> bool:
        """The conversation view is on and no quick filter narrows the list (a filtered
        list is flat, in the chosen column's order)."""
        return self._threaded and self._filter is None

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

    def _reload_count(self) -> None:
        """Count the rows to show (reads only); in the conversation view, ask for
        a new order when the stored one is stale or for another sort."""
        self._clear_pages()
        self._hidden, self._phantoms = [], []
        self._building = False
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
                self._row_count = self._cache.count(self._folder_id, self._filter)
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

    def _clear_pages(self) -> None:
        self._pages.clear()
        self._uid_rows.clear()

    def _report(self, exc: StorageError) -> None:
        log.warning("Message list could not read the cache: %s", exc)
        if not self._error_pending:
            self._error_pending = True

            def emit() -> None:
                self._error_pending = False
                self.storageFailed.emit(exc)

            QTimer.singleShot(0, self, emit)

    # ------------------------------------------------------------------ paging

    def _final_row(self, row: int) -> int:
        """A row of what the view currently sees → a row of the store's order."""
        if self._phantoms:  # starts are in the view's coordinates
            shift = 0
            for start, count in self._phantoms:
                if row < start:
                    break
                if row < start + count:
                    return _PHANTOM
                shift += count
            return row - shift
        if self._hidden:  # starts are in the store's coordinates
            for start, count in self._hidden:
                if row >= start:
                    row += count
                else:
                    break
        return row

    def _entry(self, row: int) -> tuple[PageRow, int] | None:
        final = self._final_row(row)
        if final < 0 or self._folder_id is None:
            return None
        number, offset = divmod(final, self.PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._load_page(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def _load_page(self, number: int) -> list[tuple[PageRow, int]]:
        assert self._folder_id is not None
        start = number * self.PAGE_SIZE
        try:
            if self._threads_shown:
                page = self._cache.thread_page(self._folder_id, start, self.PAGE_SIZE)
            else:
                rows = self._cache.page(
                    self._folder_id, self._sort, self._descending, start, self.PAGE_SIZE, self._filter
                )
                page = [(r, 0) for r in rows]
        except StorageError as exc:
            self._report(exc)
            return []
        self.pages_loaded += 1
        self.rows_loaded += len(page)
        self._pages[number] = page
        for i, (r, _) in enumerate(page):
            self._uid_rows[r.uid] = start + i
        while len(self._pages) > self.MAX_PAGES:
            old_number, old = self._pages.popitem(last=False)
            old_start = old_number * self.PAGE_SIZE
            for i, (r, _) in enumerate(old):
                if self._uid_rows.get(r.uid) == old_start + i:
                    del self._uid_rows[r.uid]
        return page

    @property
    def pages_cached(self) -> int:
        return len(self._pages)

    def row_data(self, row: int) -> PageRow | None:
        """The cached summary row shown at ``row`` (loads its page if needed)."""
        if not 0 <= row < self._row_count:
            return None
        entry = self._entry(row)
        return entry[0] if entry else None

    def uid_at(self, row: int) -> int | None:
        data = self.row_data(row)
        return data.uid if data else None

    def summary_at(self, row: int) -> MessageSummary | None:
        """Everything cached about the message at ``row`` (preview pane, actions)."""
        uid = self.uid_at(row)
        if uid is None or self._folder_id is None:
            return None
        try:
            return self._cache.summary(self._folder_id, uid)
        except StorageError as exc:
            self._report(exc)
            return None

    def uids_at(self, rows: Iterable[int]) -> list[int]:
        return [uid for uid in (self.uid_at(r) for r in rows) if uid is not None]

    def row_of_uid(self, uid: int) -> int | None:
        """Where a UID is shown (a cached page, else one indexed COUNT)."""
        if self._folder_id is None or self._hidden or self._phantoms:
            return None
        row = self._uid_rows.get(uid)
        if row is not None:
            return row
        try:
            if self._threads_shown:
                return self._cache.thread_position_of(self._folder_id, uid)
            return self._cache.position_of(self._folder_id, uid, self._sort, self._descending, self._filter)
        except StorageError as exc:
            self._report(exc)
            return None

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
        row, depth = entry
        column = index.column()
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

    def refresh(self) -> None:
        """The cache changed in unknown ways: redraw, or reset if the row count changed
        (in the conversation view: a reset, which asks for a new order if needed)."""
        if self._folder_id is None:
            return
        if self._threads_shown:
            self._reset()
            return
        try:
            count = self._cache.count(self._folder_id, self._filter)
        except StorageError as exc:
            self._report(exc)
            return
        if count != self._row_count:
            self._reset()
            return
        self._clear_pages()
        if count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(Column) - 1))

    def messages_changed(self, uids: Iterable[int]) -> None:
        """Flags (or other fields) of these UIDs changed; their order did not."""
        uids = list(uids)
        rows = sorted({r for r in (self._uid_rows.get(u) for u in uids) if r is not None})
        if not rows:
            return
        if self._filter is not None:
            # A shown message that no longer matches (read, unflagged) stays until the filter changes.
            self._filter = self._filter.keeping({u for u in uids if u in self._uid_rows})
        for number in {r // self.PAGE_SIZE for r in rows}:
            self._pages.pop(number, None)
        self._uid_rows = {u: r for u, r in self._uid_rows.items() if r // self.PAGE_SIZE in self._pages}
        last_column = len(Column) - 1
        for start, end in _ranges(rows):
            self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))

    def messages_inserted(self, uids: Iterable[int]) -> None:
        """New UIDs are in the cache: insert them where they sort."""
        if self._folder_id is None:
            return
        uids = list(uids)
        if not uids:
            return
        if self._threads_shown:
            self._ask_thread_order()  # shown by a reset once the new order is built
            return
        if len(uids) > 4 * self.MAX_INCREMENTAL or self._filter is not None:
            self._reset()  # filtered: which of them show is the filter's (SQL's) answer
            return
        try:
            keys = self._cache.row_keys(self._folder_id, uids)
            total = self._cache.count(self._folder_id)
            if total - self._row_count != len(keys):
                self._reset()  # some were already shown (refetch) or others changed meanwhile
                return
            keys.sort(key=lambda k: k.sort_values(self._sort), reverse=self._descending)
            first = self._cache.position_of_key(self._folder_id, keys[0], self._sort, self._descending)
            if len(keys) == 1:
                positions = [first]
            else:
                last = self._cache.position_of_key(self._folder_id, keys[-1], self._sort, self._descending)
                if last - first + 1 == len(keys):
                    positions = list(range(first, last + 1))  # one block (new mail on top, older batch at the end)
                elif len(keys) <= self.MAX_INCREMENTAL:
                    position_of = self._cache.position_of_key
                    positions = [first] + [
                        position_of(self._folder_id, k, self._sort, self._descending) for k in keys[1:-1]
                    ] + [last]
                else:
                    self._reset()
                    return
        except StorageError as exc:
            self._report(exc)
            self._reset()
            return
        blocks = list(_ranges(positions))
        self._clear_pages()
        self._hidden = [(start, end - start + 1) for start, end in blocks]
        for start, end in blocks:
            self.beginInsertRows(QModelIndex(), start, end)
            self._hidden.pop(0)
            self._row_count += end - start + 1
            self.endInsertRows()

    def messages_removed(self, removed: Sequence[RowKey]) -> None:
        """Rows were expunged from the cache; ``removed`` are their keys from ``MailCache.expunge``."""
        if self._folder_id is None or not removed:
            return
        if self._threads_shown:
            self._ask_thread_order()  # the removed rows drop out of the stored order's pages at once
            return
        if len(removed) > 4 * self.MAX_INCREMENTAL or self._filter is not None:
            self._reset()
            return
        keys = sorted(removed, key=lambda k: k.sort_values(self._sort), reverse=self._descending)
        try:
            total = self._cache.count(self._folder_id)
            if self._row_count - total != len(keys):
                self._reset()
                return
            if len(keys) > self.MAX_INCREMENTAL:
                first = self._cache.position_of_key(self._folder_id, keys[0], self._sort, self._descending)
                last = self._cache.position_of_key(self._folder_id, keys[-1], self._sort, self._descending)
                if last != first:  # not one block: the rows between are still there
                    self._reset()
                    return
                positions = list(range(first, first + len(keys)))
            else:
                positions = [
                    self._cache.position_of_key(self._folder_id, k, self._sort, self._descending) + i
                    for i, k in enumerate(keys)
                ]
        except StorageError as exc:
            self._report(exc)
            self._reset()
            return
        blocks = list(_ranges(positions))
        self._clear_pages()
        self._phantoms = [(start, end - start + 1) for start, end in blocks]
        for start, end in reversed(blocks):
            self.beginRemoveRows(QModelIndex(), start, end)
            self._phantoms.pop()
            self._row_count -= end - start + 1
            self.endRemoveRows()

    def folder_reset(self) -> None:
        """The folder was emptied and refetched (UIDVALIDITY change, cache rebuild)."""
        self._reset()

    _KEEP = object()

    def _reset(self, folder_id: Any = _KEEP) -> None:
        was_building = self._building
        self.beginResetModel()
        self._resetting = True
        try:
            if folder_id is not MessageListModel._KEEP:
                if folder_id != self._folder_id:
                    self._filter = None  # the quick filter is the shown folder's
                self._folder_id = folder_id
                self._recipients = self._is_outgoing(folder_id)
            self._reload_count()
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


def _ranges(sorted_rows: Iterable[int]) -> Iterable[tuple[int, int]]:
    """[1,2,3,7,8] → (1,3), (7,8)."""
    start = prev = None
    for r in sorted_rows:
        if prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            yield start, prev  # type: ignore[misc]
        start = prev = r
    if start is not None:
        yield start, prev  # type: ignore[misc]
