"""The message list's counts and change positions in a folder too big to walk on the GUI thread.

At 1,000,000 messages a whole count is 30 ms and a position near the end 130 ms, so the
model counts at most ``COUNT_AT_ONCE`` rows itself, has the rest counted on another
thread, and places changes by walks of at most ``REACH`` rows from either end. Here a
model with tiny limits over a 300-message folder takes every one of those paths: the
rows it shows, the signals it gives and the selection it keeps must be the same as a
model that counts everything.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel

from govmail_desktop.models.message_list import MessageListModel
from govmail_desktop.models.message_roles import UidRole
from govmail_desktop.store import MailCache, SortKey
from govmail_desktop.store.list_filter import ListFilter
from tests.unit.store.factories import fill, summaries

TOTAL = 300


class SmallLimits(MessageListModel):
    """Counts 100 rows at once, walks 20 rows from an end, 200 in all per change."""

    COUNT_AT_ONCE = 100
    REACH = 20
    WALK_BUDGET = 200


class WiderWalks(SmallLimits):
    """Walks reach 100 rows from an end: some changes are placed, some are not."""

    REACH = 100
    WALK_BUDGET = 1000


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "acct" / "cache.sqlite3")
    yield c
    c.close()


@pytest.fixture
def folder_id(cache) -> int:
    return fill(cache, count=TOTAL)


def counted(qtbot, model: MessageListModel) -> MessageListModel:
    qtbot.waitUntil(lambda: not model.count_pending, timeout=5000)
    return model


def opened(qtbot, cache: MailCache, folder_id: int) -> SmallLimits:
    model = SmallLimits(cache)
    model.set_folder(folder_id)
    counted(qtbot, model)
    return model


def column_uids(model: MessageListModel) -> list[int]:
    return [model.index(r, 0).data(UidRole) for r in range(model.rowCount())]


def store_uids(cache: MailCache, folder_id: int, sort: SortKey = SortKey.DATE, descending: bool = True) -> list[int]:
    return [r.uid for r in cache.page(folder_id, sort, descending, 0, 10_000)]


def select(model: MessageListModel, selection: QItemSelectionModel, uid: int) -> None:
    row = model.row_of_uid(uid)
    assert row is not None
    selection.setCurrentIndex(
        model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )


def selected(model: MessageListModel, selection: QItemSelectionModel) -> list[int]:
    return sorted({model.index(i.row(), 0).data(UidRole) for i in selection.selectedRows()})


def test_a_big_folder_shows_the_rows_counted_at_once_then_the_rest_at_the_end(qtmodeltester, qtbot, cache, folder_id):
    model = SmallLimits(cache)
    inserted = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.set_folder(folder_id)
    assert model.rowCount() == 100 and model.count_pending
    assert column_uids(model) == store_uids(cache, folder_id)[:100]  # the newest, in order
    counted(qtbot, model)
    assert inserted == [(100, TOTAL - 1)]
    assert column_uids(model) == store_uids(cache, folder_id)
    qtmodeltester.check(model)


def test_a_filtered_big_folder_is_counted_in_the_background_too(qtbot, cache, folder_id):
    model = opened(qtbot, cache, folder_id)
    model.set_filter(ListFilter(unread=True))  # the even UIDs: 150 of them
    assert model.count_pending and model.rowCount() == 100
    assert counted(qtbot, model).rowCount() == TOTAL // 2
    assert all(uid % 2 == 0 for uid in column_uids(model))


def test_new_mail_in_a_big_folder_is_inserted_on_top_and_checked_in_the_background(qtbot, cache, folder_id):
    model = opened(qtbot, cache, folder_id)
    selection = QItemSelectionModel(model)
    select(model, selection, 150)
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    cache.insert_summaries(folder_id, summaries(TOTAL + 1, TOTAL + 3))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.messages_inserted([TOTAL + 1, TOTAL + 2, TOTAL + 3])
    assert inserted.args[1:] == [0, 2]
    assert model.count_pending  # the arithmetic is being checked
    counted(qtbot, model)
    assert resets == [] and model.rowCount() == TOTAL + 3
    assert column_uids(model) == store_uids(cache, folder_id)
    assert selected(model, selection) == [150]


def test_rows_already_shown_announced_as_new_are_found_out_by_the_check(qtbot, cache, folder_id):
    model = opened(qtbot, cache, folder_id)
    cache.insert_summaries(folder_id, summaries(TOTAL - 1, TOTAL))  # a refetch: the rows were there
    with qtbot.waitSignal(model.modelReset):
        model.messages_inserted([TOTAL - 1, TOTAL])
        counted(qtbot, model)
    assert counted(qtbot, model).rowCount() == TOTAL
    assert column_uids(model) == store_uids(cache, folder_id)


def test_removals_near_the_end_are_placed_from_the_end(qtmodeltester, qtbot, cache, folder_id):
    model = opened(qtbot, cache, folder_id)
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    select(model, selection, 5)  # near the bottom (newest first)
    removed = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    model.modelReset.connect(lambda: removed.append("reset"))
    keys = cache.expunge(folder_id, [2, 3, 9])
    model.messages_removed(keys)
    assert removed == [(TOTAL - 3, TOTAL - 2), (TOTAL - 9, TOTAL - 9)]  # from the bottom up
    assert column_uids(model) == store_uids(cache, folder_id)
    assert selected(model, selection) == [5]
    assert counted(qtbot, model).rowCount() == TOTAL - 3


def test_a_removal_in_the_middle_of_a_big_folder_resets_keeping_the_expected_count(qtbot, cache, folder_id):
    model = opened(qtbot, cache, folder_id)
    keys = cache.expunge(folder_id, [150])  # 150 rows from either end: beyond the walks
    with qtbot.waitSignal(model.modelReset):
        model.messages_removed(keys)
    assert model.rowCount() == TOTAL - 1  # the scroll range stays, before any count
    assert counted(qtbot, model).rowCount() == TOTAL - 1
    assert column_uids(model) == store_uids(cache, folder_id)


def test_scattered_new_mail_in_another_order_is_placed_or_shown_again(qtbot, cache, folder_id):
    model = opened(qtbot, cache, folder_id)
    model.set_sort(SortKey.SUBJECT, False)
    cache.insert_summaries(folder_id, summaries(TOTAL + 1, TOTAL + 40))
    model.messages_inserted(range(TOTAL + 1, TOTAL + 41))
    assert counted(qtbot, model).rowCount() == TOTAL + 40
    assert column_uids(model) == store_uids(cache, folder_id, SortKey.SUBJECT, False)


def test_an_older_batch_at_the_end_of_a_big_folder_is_one_block(qtbot, cache, folder_id):
    cache.expunge(folder_id, range(1, 281))  # a full sync: the 20 newest came first
    model = opened(qtbot, cache, folder_id)
    cache.insert_summaries(folder_id, summaries(1, 280))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.messages_inserted(range(1, 281))
    assert inserted.args[1:] == [20, TOTAL - 1]
    assert counted(qtbot, model).rowCount() == TOTAL
    assert column_uids(model) == store_uids(cache, folder_id)


def test_rows_far_from_both_ends_are_still_found(qtbot, cache, folder_id):
    model = opened(qtbot, cache, folder_id)
    for uid in (TOTAL, TOTAL - 10, 150, 10, 1):
        row = model.row_of_uid(uid)
        assert row is not None and model.index(row, 0).data(UidRole) == uid
    assert model.row_of_uid(TOTAL + 99) is None


@pytest.mark.parametrize("sort", [SortKey.DATE, SortKey.SUBJECT, SortKey.SIZE])
def test_random_changes_leave_the_rows_of_the_store_and_the_selection(qtmodeltester, qtbot, cache, folder_id, sort):
    """New mail and expunges, one by one, in batches, near the ends and in the middle, with
    the small limits: after each change the list shows the store's rows in order (once the
    background count is in), and a change placed without a reset keeps the selected message
    selected (after a reset the window selects it again: ui/mailbox_controller.py)."""
    import random

    rng = random.Random(sort.value)
    model = WiderWalks(cache)
    model.set_folder(folder_id)
    counted(qtbot, model)
    model.set_sort(sort, rng.random() < 0.5)
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    present = set(range(1, TOTAL + 1))
    next_uid = TOTAL + 1
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    placed = 0
    for _step in range(16):
        keep = rng.choice(sorted(present))
        select(model, selection, keep)
        resets.clear()
        if rng.random() < 0.5:
            count = rng.choice([1, 3, 30, 300])
            cache.insert_summaries(folder_id, summaries(next_uid, next_uid + count - 1))
            model.messages_inserted(range(next_uid, next_uid + count))
            present.update(range(next_uid, next_uid + count))
            next_uid += count
        else:
            doomed = rng.sample(sorted(present - {keep}), rng.choice([1, 2, 10, 80]))
            model.messages_removed(cache.expunge(folder_id, doomed))
            present.difference_update(doomed)
        if not resets:
            placed += 1
            assert selected(model, selection) == [keep]
        counted(qtbot, model)
        assert model.rowCount() == len(present)
        assert column_uids(model) == store_uids(cache, folder_id, model.sort_key, model.descending)
    assert placed, "no change was placed by the walks"
