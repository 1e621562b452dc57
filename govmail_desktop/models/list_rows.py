"""Where the message list's rows come from: counts, pages and the places of changes.

:class:`ListRowsModel` is the half of :class:`~govmail_desktop.models.message_list.MessageListModel`
that reads the cache (the other half shows the rows: columns, roles, sorting, the
conversation view). It keeps the row count, at most :attr:`ListRowsModel.MAX_PAGES`
pages of rows (LRU), and turns the sync's and the user's changes into Qt's insert and
remove signals at the rows' places, so that views keep their selection and scroll
position. See the message list's module text for why counts and positions are walked
only a short way on the GUI thread.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QTimer, Signal

from govmail_desktop.core.entities import MessageSummary
from govmail_desktop.core.errors import StorageError
from govmail_desktop.models.list_counter import ListCounter
from govmail_desktop.models.list_positions import RowPlacer, inserted_positions, ranges_of, removed_positions
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.list_filter import ListFilter
from govmail_desktop.store.message_rows import PageRow, RowKey, SortKey
from govmail_desktop.store.uidset import UidSet

log = logging.getLogger(__name__)

_PHANTOM = -1


class CountState(IntEnum):
    """How far the model's row count is known (see the module's text)."""

    EXACT = 0
    #: Changed by arithmetic in a big folder: the background count checks it.
    CHECKING = 1
    #: A big folder after a reset: the background count says how many rows to add or drop at the end.
    PENDING = 2


class ListRowsModel(QAbstractTableModel):
    """The rows of one folder's list as the cache has them (see the module's text).

    Subclasses show the rows and implement :meth:`_show_again` (a model reset that
    counts again) and :meth:`_ask_thread_order` (the conversation view's new order).

    Signals:
        storageFailed(object): a StorageError while reading the cache (the
            rows concerned show empty); emitted from the event loop, once per burst.
    """

    storageFailed = Signal(object)

    PAGE_SIZE = 256
    #: 12 pages (3,072 rows, ~2.5 MB of rows) around what is shown; 32 held 6.7 MB.
    MAX_PAGES = 12
    #: Above this many changed rows, a notification is placed only as one block.
    MAX_INCREMENTAL = 64
    #: Rows counted on the GUI thread (~1.5 ms); a bigger folder is counted on another thread.
    COUNT_AT_ONCE = 20_000
    #: Longest walk from an end of the order to place a changed row (~1.5 ms) ...
    REACH = 16_384
    #: ... and the most rows walked to place one notification's rows.
    WALK_BUDGET = 65_536

    def __init__(
        self, cache: MailCache, parent: Any = None, *, page_size: int | None = None, max_pages: int | None = None
    ) -> None:
        super().__init__(parent)
        self._cache = cache
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
        self._row_count = 0
        # page number -> rows (final-layout coordinates); rows are (PageRow, depth)
        self._pages: OrderedDict[int, list[tuple[PageRow, int]]] = OrderedDict()
        self._uid_rows: dict[int, int] = {}  # uid -> final row, for cached pages only
        # During a sequence of insert/remove signals the model shows intermediate
        # layouts; these translate such a row to the store's (final) row.
        self._hidden: list[tuple[int, int]] = []  # (final start, count) not yet inserted
        self._phantoms: list[tuple[int, int]] = []  # (row, count) removed from the store, not yet from the view
        self._error_pending = False
        self._count = CountState.EXACT
        self._counter = ListCounter(cache, self)
        self._counter.counted.connect(self._on_counted)
        self._count_asked: int | None = None  # the ticket of the count in flight
        self._count_again = False
        #: Bumped by every change of the rows: a count asked before it is out of date.
        self._changes = 0
        self._count_changes = 0
        self.pages_loaded = 0
        self.rows_loaded = 0

    @property
    def _threads_shown(self) -> bool:
        """The conversation view is on and no quick filter narrows the list (a filtered
        list is flat, in the chosen column's order)."""
        return self._threaded and self._filter is None

    def _show_again(self, expected: int | None = None) -> None:
        """A model reset that reads the rows again; ``expected``: the rows a big folder
        should have, shown until the background count has them."""
        raise NotImplementedError

    def _ask_thread_order(self) -> None:
        """The conversation view needs a new order (the cache changed)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ counting

    @property
    def count_pending(self) -> bool:
        """True while the row count waits for (or is checked by) the background count."""
        return self._count != CountState.EXACT

    def _count_now(self) -> int | None:
        """The rows to show when fewer than :attr:`COUNT_AT_ONCE` (a short walk); else None."""
        assert self._folder_id is not None
        counted = self._cache.count(self._folder_id, self._filter, limit=self.COUNT_AT_ONCE)
        return counted if counted < self.COUNT_AT_ONCE else None

    def _ask_count(self) -> None:
        """Have the rows counted on the counting thread (one count in flight at a time)."""
        if self._folder_id is None:
            return
        if self._count_asked is not None:
            self._count_again = True  # asked again when the answer comes
            return
        self._count_changes = self._changes
        self._count_asked = self._counter.ask(self._folder_id, self._filter)

    def _on_counted(self, ticket: int, count: int) -> None:
        """The background count: add or drop rows at the end (after a reset), or check a change."""
        if ticket != self._count_asked:
            return
        self._count_asked = None
        again, self._count_again = self._count_again, False
        if self._count == CountState.EXACT or self._folder_id is None or self._threads_shown:
            return
        if again or self._changes != self._count_changes:
            self._ask_count()  # the rows changed meanwhile: that answer is out of date
            return
        if count < 0:
            return  # could not count (reported in the log): keep what is shown
        if self._count == CountState.CHECKING:
            if count != self._row_count:
                log.info("Message list: %d rows expected, %d counted: shown again", self._row_count, count)
                self._show_again()
            else:
                self._count = CountState.EXACT
            return
        self._count = CountState.EXACT
        shown = self._row_count
        if count > shown:  # the rows past those counted at once: the end of the order
            self.beginInsertRows(QModelIndex(), shown, count - 1)
            self._row_count = count
            self.endInsertRows()
        elif count < shown:  # fewer than expected: the last rows read as empty until now
            self.beginRemoveRows(QModelIndex(), count, shown - 1)
            self._row_count = count
            self.endRemoveRows()

    def _counted_change(self, delta: int) -> tuple[bool, int | None, bool]:
        """Before rows are inserted (``delta`` > 0) or removed: (the count agrees, the rows
        there are now, counted here). Counted here in a small folder; in a big one the
        total is expected and checked in the background (None while a count is pending)."""
        if self._count == CountState.PENDING:
            return True, None, False
        counted = self._count_now() if self._row_count + delta < self.COUNT_AT_ONCE else None
        if counted is not None:
            return counted - self._row_count == delta, counted, True
        return True, self._row_count + delta, False

    def _changed(self, counted: bool) -> None:
        """Rows were inserted or removed (``counted``: the new total was counted here);
        a big folder's count is checked in the background."""
        self._changes += 1
        if counted or self._folder_id is None or self._threads_shown:
            return
        if self._count == CountState.EXACT:
            self._count = CountState.CHECKING
        self._ask_count()

    def _placer(self) -> RowPlacer:
        assert self._folder_id is not None
        return RowPlacer(
            self._cache, self._folder_id, self._sort, self._descending, self._filter,
            reach=self.REACH, budget=self.WALK_BUDGET,
        )

    def _clear_pages(self, first_row: int = 0) -> None:
        """Forget the pages from the one holding ``first_row`` on (rows before it did not move)."""
        if first_row <= 0:
            self._pages.clear()
            self._uid_rows.clear()
            return
        kept = first_row // self.PAGE_SIZE
        for number in [n for n in self._pages if n >= kept]:
            del self._pages[number]
        self._uid_rows = {u: r for u, r in self._uid_rows.items() if r < kept * self.PAGE_SIZE}

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

    def _read_page(self, start: int) -> list[PageRow]:
        """The flat list's rows from ``start``: read from the nearer end of the order (an
        OFFSET walks that many index entries: the last page of 1,000,000 took 22 ms, from
        the end it takes one). From the end only while the count is exact and no change
        is being signalled (the store's rows are then exactly the view's)."""
        assert self._folder_id is not None
        total = self._row_count
        if self._count == CountState.EXACT and not (self._hidden or self._phantoms) and start > total // 2:
            rows = self._cache.page(
                self._folder_id, self._sort, not self._descending,
                max(0, total - start - self.PAGE_SIZE), min(self.PAGE_SIZE, total - start), self._filter,
            )
            rows.reverse()
            return rows
        return self._cache.page(self._folder_id, self._sort, self._descending, start, self.PAGE_SIZE, self._filter)

    def _load_page(self, number: int) -> list[tuple[PageRow, int]]:
        assert self._folder_id is not None
        start = number * self.PAGE_SIZE
        try:
            if self._threads_shown:
                page = self._cache.thread_page(self._folder_id, start, self.PAGE_SIZE)
            else:
                page = [(r, 0) for r in self._read_page(start)]
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
        """Where a UID is shown (a cached page, else a walk from the nearer end of the order)."""
        if self._folder_id is None or self._hidden or self._phantoms:
            return None
        row = self._uid_rows.get(uid)
        if row is not None:
            return row
        try:
            if self._threads_shown:
                return self._cache.thread_position_of(self._folder_id, uid)
            found = self._cache.row_keys(self._folder_id, [uid])
            if not found or (
                self._filter is not None and not self._cache.count_of(self._folder_id, [uid], self._filter)
            ):
                return None
            row = self._placer().position(found[0], None if self._count == CountState.PENDING else self._row_count)
            if row is None:  # the middle of a huge folder: one long walk (a selection far from both ends)
                row = self._cache.position_of_key(self._folder_id, found[0], self._sort, self._descending, self._filter)
            return row if row < self._row_count else None
        except StorageError as exc:
            self._report(exc)
            return None

    # ------------------------------------------------------------------ change notifications

    def refresh(self) -> None:
        """The cache changed in unknown ways: redraw, or reset if the row count changed
        (in the conversation view: a reset, which asks for a new order if needed; in a
        big folder the count is checked in the background)."""
        if self._folder_id is None:
            return
        if self._threads_shown:
            self._show_again()
            return
        try:
            count = self._count_now()
        except StorageError as exc:
            self._report(exc)
            return
        if count is not None and count != self._row_count:
            self._show_again()
            return
        self._clear_pages()
        if self._row_count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._row_count - 1, self.columnCount() - 1))
        if count is None:
            self._changed(counted=False)

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
        last_column = self.columnCount() - 1
        for start, end in ranges_of(rows):
            self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))

    def messages_inserted(self, uids: Iterable[int]) -> None:
        """New UIDs are in the cache: insert them where they sort (a batch on top or at the
        end as one block; else a reset that keeps the expected count)."""
        if self._folder_id is None:
            return
        uids = list(uids)
        if not uids:
            return
        if self._threads_shown:
            self._ask_thread_order()  # shown by a reset once the new order is built
            return
        if self._filter is not None:
            self._show_again()  # filtered: which of them show is the filter's (SQL's) answer
            return
        new = len(UidSet.of(uids))
        try:
            if new > 4 * self.MAX_INCREMENTAL:
                agrees, total, counted = self._counted_change(new)
                block = self._placer().edge_block(uids, total) if agrees else None
                positions = list(range(block[0], block[1] + 1)) if block is not None else None
            else:
                keys = self._cache.row_keys(self._folder_id, uids)
                agrees, total, counted = self._counted_change(len(keys))
                if not agrees or not keys:
                    positions = None if not agrees else []
                else:
                    keys.sort(key=lambda k: k.sort_values(self._sort), reverse=self._descending)
                    positions = inserted_positions(self._placer(), keys, total, self.MAX_INCREMENTAL)
        except StorageError as exc:
            self._report(exc)
            self._show_again()
            return
        if positions is None or (positions and positions[-1] >= self._row_count + len(positions)):
            # Already shown (a refetch), or not placed by short walks: shown again, same scroll.
            self._show_again(expected=self._row_count + new)
            return
        if not positions:
            return
        blocks = list(ranges_of(positions))
        self._clear_pages(positions[0])  # an older batch at the end leaves the top's pages alone
        self._hidden = [(start, end - start + 1) for start, end in blocks]
        for start, end in blocks:
            self.beginInsertRows(QModelIndex(), start, end)
            self._hidden.pop(0)
            self._row_count += end - start + 1
            self.endInsertRows()
        self._changed(counted)

    def messages_removed(self, removed: Sequence[RowKey]) -> None:
        """Rows were expunged from the cache; ``removed`` are their keys from ``MailCache.expunge``."""
        if self._folder_id is None or not removed:
            return
        if self._threads_shown:
            self._ask_thread_order()  # the removed rows drop out of the stored order's pages at once
            return
        if self._filter is not None:
            self._show_again()
            return
        keys = sorted(removed, key=lambda k: k.sort_values(self._sort), reverse=self._descending)
        try:
            agrees, total, counted = self._counted_change(-len(keys))
            positions = None
            if agrees:
                before = None if total is None else self._row_count
                positions = removed_positions(self._placer(), keys, before, self.MAX_INCREMENTAL)
        except StorageError as exc:
            self._report(exc)
            self._show_again()
            return
        if positions is None or positions[-1] >= self._row_count:
            # Not placed by short walks (or not shown): shown again, keeping the scroll position.
            self._show_again(expected=max(0, self._row_count - len(keys)))
            return
        blocks = list(ranges_of(positions))
        self._clear_pages(positions[0])
        self._phantoms = [(start, end - start + 1) for start, end in blocks]
        for start, end in reversed(blocks):
            self.beginRemoveRows(QModelIndex(), start, end)
            self._phantoms.pop()
            self._row_count -= end - start + 1
            self.endRemoveRows()
        self._changed(counted)


__all__ = ["CountState", "ListRowsModel"]
