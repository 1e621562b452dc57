"""The message list's memory does not grow with the folder (issue 16 item 6).

The same session — open the folder, scroll it from top to bottom as a view asks for
rows, sort by every column, the quick filter on and off, flags changed, new mail
inserted — over a synthetic folder of 20,000 and of 100,000 messages: tracemalloc's
traced peak may differ by no more than 10 MB between the two (the model holds pages
of rows, a bounded number, never a structure per message). A model that keeps every
row of the folder (the planted case) must fail the same comparison. Sizes in messages,
not seconds: nothing here depends on timing.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from govmail_desktop.models.message_list import Column, MessageListModel
from govmail_desktop.models.message_roles import UidRole
from govmail_desktop.store import MailCache
from govmail_desktop.store.list_filter import ListFilter
from tests.unit.store.synthetic import fill_synthetic, synthetic_rows

SMALL, BIG = 20_000, 100_000
#: Loose: 80,000 more messages held as PageRows would be ~50 MB, as bare UIDs ~3 MB.
GROWTH_BOUND_MB = 10
SCREEN = 20  # rows a view shows at once
STOPS = 8  # scroll positions, top to bottom


@pytest.fixture(scope="module")
def caches(tmp_path_factory) -> Any:
    made = {}
    for n in (SMALL, BIG):
        cache = MailCache(tmp_path_factory.mktemp(f"memory{n}") / "cache.sqlite3")
        made[n] = (cache, fill_synthetic(cache, n))
    yield made
    for cache, _ in made.values():
        cache.close()


class EveryRowModel(MessageListModel):
    """Planted: a list model that reads the whole folder into Python when it opens one."""

    def set_folder(self, folder_id: int | None) -> None:
        super().set_folder(folder_id)
        self.all_rows = (
            self._cache.page(folder_id, self.sort_key, self.descending, 0, self._cache.count(folder_id))
            if folder_id else []
        )


def counted(model: MessageListModel) -> MessageListModel:
    """Run the event loop until the background count of a big folder has come in."""
    deadline = time.monotonic() + 10
    while model.count_pending and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.001)
    assert not model.count_pending, "the background count never came"
    return model


def look_at(model: MessageListModel, first: int) -> None:
    """What a view's paint asks for: every column and role of a screenful of rows."""
    for row in range(first, min(first + SCREEN, model.rowCount())):
        for column in Column:
            index = model.index(row, int(column))
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole):
                model.data(index, role)


def scroll_through(model: MessageListModel) -> None:
    count = model.rowCount()
    for stop in range(STOPS + 1):
        look_at(model, max(0, (count - SCREEN) * stop // STOPS))


def session(model_class: type[MessageListModel], cache: MailCache, folder_id: int, count: int) -> float:
    """Peak traced MB of one list session over the folder."""
    gc.collect()
    tracemalloc.start()
    try:
        model = model_class(cache)
        model.set_folder(folder_id)
        assert counted(model).rowCount() == count
        scroll_through(model)
        for column in (Column.SUBJECT, Column.FROM):
            model.sort(int(column), Qt.SortOrder.AscendingOrder)
            scroll_through(model)
        model.sort(int(Column.DATE), Qt.SortOrder.DescendingOrder)
        model.set_filter(ListFilter(unread=True))
        assert 0 < counted(model).rowCount() < count
        scroll_through(model)
        model.set_filter(None)
        counted(model)
        uids = [model.index(r, 0).data(UidRole) for r in range(SCREEN)]
        cache.update_flags(folder_id, {uid: frozenset({"\\Seen", "\\Flagged"}) for uid in uids if uid})
        model.messages_changed([uid for uid in uids if uid])
        new = list(synthetic_rows(folder_id, count + 1, count + 10))
        cache.insert_rows(folder_id, new)
        model.messages_inserted([row.uid for row in new])
        assert model.rowCount() == count + 10
        look_at(model, 0)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        cache.expunge(folder_id, [row.uid for row in new])  # the next session sees the same folder
        return peak
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("model_class", [MessageListModel, EveryRowModel], ids=["the-model", "planted-every-row"])
def test_list_memory_does_not_grow_with_the_folder(qapp, caches, model_class):
    session(model_class, *caches[SMALL], SMALL)  # a first use's one-off costs (imports, caches) not counted
    small = session(model_class, *caches[SMALL], SMALL)
    big = session(model_class, *caches[BIG], BIG)
    growth = big - small
    if model_class is EveryRowModel:
        assert growth > GROWTH_BOUND_MB, f"the planted every-row model grew only {growth:.1f} MB"
        return
    assert growth < GROWTH_BOUND_MB, (
        f"the list's traced peak grew {growth:.1f} MB from {SMALL:,} to {BIG:,} messages ({small:.1f} → {big:.1f} MB)"
    )
