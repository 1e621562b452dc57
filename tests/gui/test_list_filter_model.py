"""The message list narrowed by the quick filter: SQL conditions on the cache's paging.

The factory's messages: read when the UID is odd, flagged every 7th, an attachment every
5th, senders cycling through five addresses. Each test compares the filtered list with
the same condition checked on the summaries themselves.
"""

from __future__ import annotations

import pytest

from govmail_desktop.models.message_list import Column, MessageListModel
from govmail_desktop.models.message_roles import UidRole
from govmail_desktop.store import MailCache
from govmail_desktop.store.list_filter import ListFilter
from tests.unit.store.factories import SENDERS, fill, summary

COUNT = 700


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "acct" / "cache.sqlite3")
    yield c
    c.close()


def shown(model: MessageListModel) -> list[int]:
    return [model.index(r, Column.SUBJECT).data(UidRole) for r in range(model.rowCount())]


def expected(keep) -> list[int]:
    return [uid for uid in range(COUNT, 0, -1) if keep(summary(uid))]


def test_the_model_keeps_the_rules_while_filtered(qtmodeltester, cache):
    folder_id = fill(cache, count=COUNT)
    model = MessageListModel(cache, page_size=64)
    model.set_folder(folder_id)
    model.set_filter(ListFilter(unread=True))
    qtmodeltester.check(model)


@pytest.mark.parametrize(
    ("list_filter", "keep"),
    [
        (ListFilter(unread=True), lambda s: not s.seen),
        (ListFilter(flagged=True), lambda s: s.flagged),
        (ListFilter(attachment=True), lambda s: s.has_attachments),
        (ListFilter(unread=True, attachment=True), lambda s: not s.seen and s.has_attachments),
        (ListFilter(senders=frozenset({SENDERS[0].email, SENDERS[3].email.upper().lower()})),
         lambda s: s.from_[0].email in (SENDERS[0].email, SENDERS[3].email)),
        (ListFilter(senders=frozenset()), lambda s: False),
        (ListFilter(uids=frozenset({3, 70, 699, 5000})), lambda s: s.uid in (3, 70, 699)),
        (ListFilter(flagged=True, uids=frozenset(range(1, 200))), lambda s: s.flagged and s.uid < 200),
    ],
    ids=["unread", "flagged", "attachment", "unread+attachment", "contacts", "no-contacts", "text", "flagged+text"],
)
def test_filtered_rows_are_counted_and_paged_by_the_cache(cache, list_filter, keep):
    folder_id = fill(cache, count=COUNT)
    model = MessageListModel(cache, page_size=64)
    model.set_folder(folder_id)
    model.set_filter(list_filter)
    want = expected(keep)
    assert model.rowCount() == len(want)
    assert shown(model) == want
    for uid in want[:: max(1, len(want) // 7)]:
        assert model.row_of_uid(uid) == want.index(uid)
    # Rows the filter keeps out are not found in the list.
    outside = next((u for u in range(1, COUNT + 1) if u not in want), None)
    if outside is not None:
        assert model.row_of_uid(outside) is None


def test_a_filtered_list_sorted_by_another_column_stays_filtered(cache):
    from govmail_desktop.store import SortKey

    folder_id = fill(cache, count=COUNT)
    model = MessageListModel(cache, page_size=64)
    model.set_folder(folder_id)
    model.set_filter(ListFilter(flagged=True))
    model.set_sort(SortKey.SIZE, False)
    sizes = [summary(uid).size for uid in shown(model)]
    assert sorted(shown(model)) == sorted(expected(lambda s: s.flagged))
    assert sizes == sorted(sizes)


def test_a_message_read_while_the_unread_filter_is_on_stays_in_the_list(cache):
    from govmail_desktop.core.entities import Flag

    folder_id = fill(cache, count=COUNT)
    model = MessageListModel(cache, page_size=64)
    model.set_folder(folder_id)
    model.set_filter(ListFilter(unread=True))
    before = shown(model)
    uid = before[3]
    cache.change_flags(folder_id, [uid], add={Flag.SEEN})
    model.messages_changed([uid])
    assert shown(model) == before  # the row does not jump away under the reader
    model.set_filter(ListFilter(unread=True, flagged=True))
    model.set_filter(ListFilter(unread=True))
    assert uid not in shown(model)  # a new filter asks again


def test_showing_another_folder_drops_the_filter(cache):
    folder_id = fill(cache, count=COUNT)
    other = cache.folder_id("Archive")
    model = MessageListModel(cache, page_size=64)
    model.set_folder(folder_id)
    model.set_filter(ListFilter(unread=True))
    model.set_folder(other)
    assert model.list_filter is None
    model.set_folder(folder_id)
    assert model.rowCount() == COUNT


def test_a_filtered_conversation_view_is_flat_and_asks_for_no_order(cache):
    folder_id = fill(cache, count=COUNT)
    model = MessageListModel(cache, page_size=64)
    model.set_folder(folder_id)
    asked = []
    model.threadOrderNeeded.connect(lambda *a: asked.append(a))
    model.set_filter(ListFilter(attachment=True))
    model.set_threaded(True)
    assert not model.building and not asked
    assert shown(model) == expected(lambda s: s.has_attachments)
    model.set_filter(None)
    assert asked  # the conversations come back once the filter is gone


def test_new_mail_in_a_filtered_list_shows_only_what_matches(cache):
    folder_id = fill(cache, count=COUNT)
    model = MessageListModel(cache, page_size=64)
    model.set_folder(folder_id)
    model.set_filter(ListFilter(flagged=True))
    cache.insert_summaries(folder_id, [summary(uid) for uid in range(COUNT + 1, COUNT + 30)])
    model.messages_inserted(list(range(COUNT + 1, COUNT + 30)))
    assert shown(model)[:4] == [uid for uid in range(COUNT + 29, COUNT, -1) if uid % 7 == 0][:4]
    assert model.rowCount() == len([u for u in range(1, COUNT + 30) if u % 7 == 0])
