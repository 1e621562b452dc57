"""Where changed rows sit in the message list's order, by short index walks only.

The list (:mod:`models.message_list`) tells its views where rows were inserted or
removed. A row's position is a count of the rows sorting before it: an index walk as
long as the position (130 ms for the last rows of 1,000,000). :class:`RowPlacer` walks
at most ``reach`` entries from either end of the order (``MailCache.position_of_key``
with ``limit``) and at most ``budget`` in all, so new mail on top, an older batch at
the end and changes near either end are placed in a few milliseconds; a row placed
nowhere (the middle of a huge folder) gives ``None`` and the list resets instead. A big
batch of new mail is placed whole when it is exactly the first or last rows
(``MailCache.edge_count``: one walk as long as the batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.list_filter import ListFilter
from govmail_desktop.store.message_rows import RowKey, SortKey
from govmail_desktop.store.uidset import UidSet

#: More UID ranges than this in one batch of new mail: not placed as a block (a reset).
MAX_RANGES = 32


class RowPlacer:
    """Counts of rows before/after keys in one folder's order, each walk bounded."""

    def __init__(
        self,
        cache: MailCache,
        folder_id: int,
        sort: SortKey,
        descending: bool,
        where: ListFilter | None,
        *,
        reach: int,
        budget: int,
    ) -> None:
        self._cache = cache
        self._folder_id = folder_id
        self._sort = sort
        self._descending = descending
        self._where = where
        self._reach = reach
        self._budget = budget

    def _walk(self, key: RowKey, after: bool) -> int | None:
        limit = min(self._reach, self._budget)
        if limit <= 0:
            return None
        n = self._cache.position_of_key(
            self._folder_id, key, self._sort, self._descending, self._where, after=after, limit=limit
        )
        self._budget -= n + 1
        return n if n < limit else None

    def before(self, key: RowKey) -> int | None:
        """Rows sorting before ``key`` now; None if farther than the walks may go."""
        return self._walk(key, after=False)

    def after(self, key: RowKey) -> int | None:
        """Rows sorting after ``key`` now; None if farther than the walks may go."""
        return self._walk(key, after=True)

    def position(self, key: RowKey, total: int | None) -> int | None:
        """The row of an existing ``key`` among ``total`` rows (None: not known exactly)."""
        found = self.before(key)
        if found is None and total is not None:
            beyond = self.after(key)
            found = None if beyond is None else total - 1 - beyond
        return found

    def edge_block(self, uids: Sequence[int], total: int | None) -> tuple[int, int] | None:
        """(first, last) row of these new UIDs when they are exactly the first rows of the
        order, or the last of ``total``; None otherwise (or if unsure)."""
        ranges = UidSet.of(uids)
        if len(ranges.ranges) > MAX_RANGES:
            return None
        count = len(ranges)
        cache, fid, sort, where = self._cache, self._folder_id, self._sort, self._where

        def first_rows_are_new(descending: bool) -> bool:
            # The first row alone first (one step): a whole walk only when it can succeed.
            return (cache.edge_count(fid, sort, descending, 1, ranges, where) == 1
                    and cache.edge_count(fid, sort, descending, count, ranges, where) == count)

        if first_rows_are_new(self._descending):
            return 0, count - 1
        if total is not None and first_rows_are_new(not self._descending):
            return total - count, total - 1
        return None


def inserted_positions(
    placer: RowPlacer, keys: Sequence[RowKey], total: int | None, max_scattered: int
) -> list[int] | None:
    """Rows of new ``keys`` (sorted as shown) among ``total`` rows; None if not known.

    One block (new mail on top, an older batch at the end) needs the first and last
    only; up to ``max_scattered`` others are placed one by one."""
    first = placer.position(keys[0], total)
    if first is None:
        return None
    if len(keys) == 1:
        return [first]
    last = placer.position(keys[-1], total)
    if last is None:
        return None
    if last - first + 1 == len(keys):
        return list(range(first, last + 1))
    if len(keys) > max_scattered:
        return None
    positions = [first]
    for key in keys[1:-1]:
        found = placer.position(key, total)
        if found is None:
            return None
        positions.append(found)
    return positions + [last]


def removed_positions(
    placer: RowPlacer, keys: Sequence[RowKey], total_before: int | None, max_scattered: int
) -> list[int] | None:
    """Rows the removed ``keys`` (sorted as shown) had among ``total_before`` rows (None:
    not known exactly); None if not known. The keys are gone from the cache: a key's old
    row is the rows before it now plus the removed ones before it (or the same counted
    from the end)."""
    n = len(keys)

    def old_row(i: int) -> int | None:
        found = placer.before(keys[i])
        if found is not None:
            return found + i
        if total_before is None:
            return None
        beyond = placer.after(keys[i])
        return None if beyond is None else total_before - 1 - beyond - (n - 1 - i)

    if n > max_scattered:  # only as one block
        first, last = old_row(0), old_row(n - 1)
        if first is None or last is None or last - first + 1 != n:
            return None
        return list(range(first, last + 1))
    positions = []
    for i in range(n):
        found = old_row(i)
        if found is None:
            return None
        positions.append(found)
    return positions


def ranges_of(sorted_rows: Iterable[int]) -> Iterable[tuple[int, int]]:
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


__all__ = ["MAX_RANGES", "RowPlacer", "inserted_positions", "ranges_of", "removed_positions"]
