"""The quick filter bar (Ctrl+Shift+K) over the folder's list, as Thunderbird's.

Checked against the factory's messages: read when the UID is odd, flagged every 7th, an
attachment every 5th, senders cycling through five addresses (tests/unit/store/factories).
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from govmail_desktop.store.contacts import Contact
from govmail_desktop.ui.search_controller import SearchController
from tests.gui.mailbox_helpers import open_mailbox, shown_uids  # noqa: F401
from tests.gui.search_helpers import FakeSearchService
from tests.unit.store.factories import SENDERS, SUBJECTS, summary

pytestmark = pytest.mark.gui


class Book:
    """The address book's contacts (store.addressbook.AddressBook.list_contacts)."""

    def __init__(self, contacts):
        self.contacts = contacts

    def list_contacts(self):
        return list(self.contacts)


def make_filter(m, *, service=True, contacts=()):
    fake = FakeSearchService({"acct1": m.cache}) if service else None
    controller = SearchController(m.window, m.controller, search=fake, bridge=m.bridge,
                                  contacts=Book(contacts).list_contacts)
    controller.install()
    return controller, fake


def expected(count, keep):
    return [uid for uid in range(count, 0, -1) if keep(summary(uid))]


def test_the_folder_total_of_n_of_total_is_counted_off_the_gui_thread(open_mailbox, qtbot, monkeypatch):
    m = open_mailbox(120)
    make_filter(m)
    bar = m.window.quick_filter_bar
    whole_counts: list[threading.Thread] = []
    real_count = type(m.cache).count

    def recording(cache, folder_id, where=None, *, limit=None):
        if where is None and limit is None:  # a walk of the whole folder
            whole_counts.append(threading.current_thread())
        return real_count(cache, folder_id, where, limit=limit)

    monkeypatch.setattr(type(m.cache), "count", recording)
    QTest.keySequence(m.window.message_view, QKeySequence("Ctrl+Shift+K"))
    bar.flagged_button.click()
    qtbot.waitUntil(lambda: bar.count_label.text().endswith(" จาก 120"))
    assert whole_counts and threading.main_thread() not in whole_counts


def test_ctrl_shift_k_opens_the_bar_and_the_buttons_filter_the_list(open_mailbox, qtbot):
    m = open_mailbox(120)
    controller, _ = make_filter(m)
    w = m.window
    bar = w.quick_filter_bar
    QTest.keySequence(w.message_view, QKeySequence("Ctrl+Shift+K"))
    assert bar.isVisible() and bar.text_field.hasFocus()
    bar.unread_button.click()
    assert shown_uids(w) == expected(120, lambda s: not s.seen)
    # The folder's total is counted off the GUI thread (30-50 ms at 1,000,000 messages).
    qtbot.waitUntil(lambda: bar.count_label.text() == f"{len(expected(120, lambda s: not s.seen))} จาก 120")
    bar.attachment_button.click()
    assert shown_uids(w) == expected(120, lambda s: not s.seen and s.has_attachments)
    bar.unread_button.click()
    bar.flagged_button.click()
    assert shown_uids(w) == expected(120, lambda s: s.flagged and s.has_attachments)


def test_contacts_keeps_the_messages_from_people_in_the_address_book(open_mailbox):
    m = open_mailbox(60)
    controller, _ = make_filter(m, contacts=[Contact("สมชาย", SENDERS[0].email.upper()),
                                             Contact("กรมบัญชีกลาง", "other@x.go.th", (SENDERS[3].email,))])
    bar = m.window.quick_filter_bar
    controller.quick_filter.open_bar()
    bar.contact_button.click()
    assert shown_uids(m.window) == expected(60, lambda s: s.from_[0].email in (SENDERS[0].email, SENDERS[3].email))


def test_the_text_is_searched_in_this_folder_through_the_search_service(open_mailbox, qtbot):
    m = open_mailbox(80)
    controller, fake = make_filter(m)
    bar = m.window.quick_filter_bar
    controller.quick_filter.open_bar()
    bar.flagged_button.click()
    bar.text_field.insert("งบประมาณ")  # QTest types only ASCII
    qtbot.waitUntil(lambda: bool(fake.calls))
    request_id, text, scope, _sort = fake.last
    assert text == '"งบประมาณ"' and scope.account_ids == ("acct1",) and scope.folder == ("acct1", "INBOX")
    assert bar.count_label.text() == "กำลังค้นหา…"
    fake.answer()
    want = expected(80, lambda s: s.flagged and s.subject.startswith(SUBJECTS[0]))
    assert want and shown_uids(m.window) == want
    # Nothing found: an empty list, not the whole folder.
    bar.text_field.setText("ไม่มีคำนี้")
    QTest.keyClick(bar.text_field, Qt.Key.Key_Return)
    fake.answer()
    assert shown_uids(m.window) == []


def test_esc_clears_the_filter_and_closes_the_bar(open_mailbox):
    m = open_mailbox(50)
    controller, _ = make_filter(m)
    bar = m.window.quick_filter_bar
    controller.quick_filter.open_bar()
    bar.unread_button.click()
    assert len(shown_uids(m.window)) == 25
    QTest.keyClick(bar.text_field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and not bar.unread_button.isChecked()
    assert len(shown_uids(m.window)) == 50


def test_another_folder_clears_the_filter_and_the_bar_stays(open_mailbox, qtbot):
    m = open_mailbox(50)
    controller, _ = make_filter(m)
    bar = m.window.quick_filter_bar
    controller.quick_filter.open_bar()
    bar.unread_button.click()
    m.service.select_folder(m.cache.folder_id("Sent"))
    qtbot.waitUntil(lambda: m.models.message_model.folder_id == m.cache.folder_id("Sent"))
    assert bar.isVisible() and not bar.unread_button.isChecked()
    assert m.models.message_model.list_filter is None
    m.service.select_folder(m.inbox)
    assert len(shown_uids(m.window)) == 50


def test_a_big_folder_is_filtered_by_the_cache_not_read_row_by_row(open_mailbox):
    m = open_mailbox(20_000)
    controller, _ = make_filter(m)
    bar = m.window.quick_filter_bar
    model = m.models.message_model
    controller.quick_filter.open_bar()
    before = model.rows_loaded
    bar.unread_button.click()
    assert model.rowCount() == 10_000
    m.window.message_view.scrollToTop()
    assert model.rows_loaded - before <= 2 * model.PAGE_SIZE  # the rows drawn, not the folder


def test_without_a_search_service_the_text_box_is_off_and_says_why(open_mailbox):
    m = open_mailbox(20)
    controller, _ = make_filter(m, service=False)
    bar = m.window.quick_filter_bar
    controller.quick_filter.open_bar()
    assert not bar.text_field.isEnabled()
    assert "ดัชนีการค้นหา" in bar.text_field.toolTip()
    bar.unread_button.click()
    assert len(shown_uids(m.window)) == 10  # the buttons still work


@pytest.mark.parametrize("threaded", [False, True], ids=["flat", "conversation-view-on"])
def test_select_all_of_a_filtered_list_takes_the_messages_shown(open_mailbox, qtbot, threaded):
    """Ctrl+A over more rows than MailboxModels.SMALL_SELECTION reads the UIDs in one query:
    the filter's query (in the list's order), never the folder's (whose first rows are other
    messages: a Delete would have hit them) nor the conversation order the filter replaces."""
    m = open_mailbox(1_500)
    controller, _ = make_filter(m)
    bar = m.window.quick_filter_bar
    model = m.models.message_model
    if threaded:
        m.models.set_threaded(True)
        qtbot.waitUntil(lambda: not model.count_pending and model.rowCount() == 1_500)
    controller.quick_filter.open_bar()
    bar.unread_button.click()
    unread = expected(1_500, lambda s: not s.seen)
    assert len(unread) > m.models.SMALL_SELECTION
    qtbot.waitUntil(lambda: model.rowCount() == len(unread))
    m.window.message_view.selectAll()
    assert shown_uids(m.window) == unread
    assert sorted(m.controller.selected_uids()) == sorted(unread)
