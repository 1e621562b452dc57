"""The search view (Ctrl+K, the toolbar's field): queries, results, errors, help, opening a result.

The search service is the fake of tests/gui/search_helpers.py (the tests decide when hits
arrive); the window, the mailbox, the preview and the folder tree are the app's own, built
as the app builds them (tests/gui/mailbox_helpers.open_mailbox).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from govmail_desktop.models.search_results import SERVER_MARK, HitRole, ResultColumn
from govmail_desktop.services.mailbox_types import BODY_PART
from govmail_desktop.ui.search_controller import SearchController
from tests.gui.mailbox_helpers import open_mailbox  # noqa: F401
from tests.gui.search_helpers import FakeHit, FakeSearchService
from tests.unit.store.factories import summary

pytestmark = pytest.mark.gui

BODY = (
    "From: somchai@dwr.mail.go.th\r\nTo: me@agency.go.th\r\nSubject: =?utf-8?b?{subject}?=\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    "วาระที่ 1 การนำเสนอโครงการ ณ ที่ประชุมกรม\r\n"
)


def make_search(m, *, service=True, saved=None):
    from govmail_desktop.core.saved_searches import SavedSearches

    fake = FakeSearchService({"acct1": m.cache}) if service else None
    saved = saved if saved is not None else SavedSearches(m.settings)
    controller = SearchController(m.window, m.controller, search=fake, saved=saved, save_settings=m.settings.save,
                                  bridge=m.bridge)
    controller.install()
    return controller, fake


def rows(view) -> list[tuple[str, int]]:
    model = view.model
    return [(model.index(r, 0).data(HitRole).folder, model.index(r, 0).data(HitRole).uid)
            for r in range(model.rowCount())]


def search_for(m, controller, text: str) -> None:
    view = controller.view
    view.query_field.setText(text)
    QTest.keyClick(view.query_field, Qt.Key.Key_Return)


def test_ctrl_k_opens_the_search_view_and_a_query_searches_every_folder_and_account(open_mailbox, qtbot):
    m = open_mailbox(60)
    controller, fake = make_search(m)
    w = m.window
    QTest.keySequence(w.message_view, QKeySequence("Ctrl+K"))
    assert w.list_pages.currentWidget() is controller.view
    assert controller.view.query_field.hasFocus()
    search_for(m, controller, "งบประมาณ")
    request_id, text, scope, sort = fake.last
    assert text == "งบประมาณ" and scope.account_ids is None and scope.folder is None and sort == "date"
    assert controller.view.status_label.text() == "กำลังค้นหา…"
    hits = fake.answer()
    want = sorted(((h.folder, h.uid) for h in hits), key=lambda k: -k[1])  # newest first
    assert want and rows(controller.view) == want
    assert all("งบประมาณ" in h.subject for h in hits)
    assert controller.view.status_label.text() == f"พบจดหมาย {len(hits)} ฉบับ"
    # The words are marked in the subject column (whole clusters: ui/highlight.py).
    index = controller.view.model.index(0, ResultColumn.SUBJECT)
    spans = controller.view.subject_delegate.spans_for(index)
    assert [index.data()[s:e] for s, e in spans] == ["งบประมาณ"]


def test_the_toolbar_field_opens_the_search_with_its_query(open_mailbox):
    m = open_mailbox(20)
    controller, fake = make_search(m)
    w = m.window
    assert w.search_field.isEnabled() and w.find_action.isEnabled()
    w.search_field.setText("from:สมชาย")
    QTest.keyClick(w.search_field, Qt.Key.Key_Return)
    assert w.list_pages.currentWidget() is controller.view
    assert fake.last[1] == "from:สมชาย" and controller.view.query() == "from:สมชาย"


def test_a_malformed_query_is_shown_under_the_box_with_the_bad_part_marked_and_not_sent(open_mailbox):
    m = open_mailbox(20)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "งบ after:32/13/2568 ประชุม")
    view = controller.view
    assert fake.calls == []  # never sent
    assert view.error_label.isVisible() and not view.status_label.isVisible()
    html = view.error_label.text()
    assert 'text-decoration: underline; font-weight: bold;">32/13/2568</span>' in html
    assert view.query_field.selectedText() == "32/13/2568"
    assert any("\u0e00" <= c <= "\u0e7f" for c in view.error_label.toolTip())  # said in Thai
    # A query mixing markup is shown as text, never as markup.
    search_for(m, controller, "<b>x</b> is:nonsense")
    assert "&lt;b&gt;" in view.error_label.text() and fake.calls == []
    # Typing hides the message; a good query is sent.
    view.query_field.setFocus()
    QTest.keyClick(view.query_field, Qt.Key.Key_Backspace)
    assert not view.error_label.isVisible()
    search_for(m, controller, "งบ after:1/10/2568")
    assert fake.last[1] == "งบ after:1/10/2568"


def test_a_failed_search_says_why(open_mailbox):
    m = open_mailbox(20)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "งบ")
    fake.failed.emit(fake.last[0], "ดัชนีการค้นหาเสียหาย กำลังสร้างใหม่")
    assert controller.view.error_label.isVisible()
    assert "ดัชนีการค้นหาเสียหาย" in controller.view.error_label.text()


def test_server_hits_are_merged_once_and_marked(open_mailbox):
    m = open_mailbox(30)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "ประชุม")
    local = fake.matching("ประชุม", fake.last[2])
    duplicate = FakeHit("acct1", "INBOX", local[0].uid, local[0].date, local[0].subject, local[0].sender,
                        on_server=True)
    remote = FakeHit("acct1", "Archive", 9001, max(h.date for h in local) + 60, "ประชุมประจำเดือน", "กรมบัญชีกลาง",
                     on_server=True)
    fake.answer(local=local, server=[duplicate, remote])
    view = controller.view
    assert view.model.rowCount() == len(local) + 1
    top = view.model.index(0, ResultColumn.SERVER)
    assert top.data(HitRole).uid == 9001 and top.data() == SERVER_MARK
    assert view.model.index(1, ResultColumn.SERVER).data() == ""
    assert view.status_label.text() == f"พบจดหมาย {len(local) + 1} ฉบับ อยู่บนเซิร์ฟเวอร์ 1 ฉบับ (☁)"
    assert view.model.index(0, ResultColumn.FOLDER).data() == "เก็บถาวร"  # the tree's name for it


def test_results_sorted_by_relevance_search_again_and_show_the_best_first(open_mailbox):
    m = open_mailbox(40)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "ประชุม")
    fake.answer()
    controller.view.sort_combo.setCurrentIndex(1)
    assert fake.last[3] == "relevance" and fake.cancelled == []
    hits = fake.answer()
    scores = [controller.view.model.index(r, 0).data(HitRole).score for r in range(len(hits))]
    assert scores == sorted(scores, reverse=True)


def test_a_late_answer_to_an_older_search_is_ignored(open_mailbox):
    m = open_mailbox(30)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "ประชุม")
    first = fake.last[0]
    search_for(m, controller, "งบประมาณ")
    assert fake.cancelled == [first]
    fake.answer(request=first)
    assert controller.view.model.rowCount() == 0
    fake.answer()
    assert all("งบประมาณ" in controller.view.model.index(r, ResultColumn.SUBJECT).data()
               for r in range(controller.view.model.rowCount()))


def test_a_result_opens_in_the_preview_with_the_words_marked_and_is_what_actions_act_on(open_mailbox, qtbot):
    import base64

    def archive_message(cache):
        archive = cache.folder_id("Archive")
        cache.insert_summaries(archive, [summary(700, subject="การนำเสนอโครงการ 2569")])
        subject = base64.b64encode("การนำเสนอโครงการ 2569".encode()).decode()
        cache.put_part(archive, 700, BODY_PART, BODY.format(subject=subject).encode())

    m = open_mailbox(30, fill_cache=archive_message)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "นำ")
    hit = FakeHit("acct1", "Archive", 700, 1_800_000_000, "การนำเสนอโครงการ 2569", "สมชาย ใจดี")
    fake.answer(local=[hit])
    view = controller.view
    view.results.setCurrentIndex(view.model.index(0, 0))
    pane = m.window.preview_view
    qtbot.waitUntil(lambda: pane.uid == 700 and "การนำเสนอ" in pane.body.toPlainText())
    assert m.window.list_pages.currentWidget() is view  # still searching
    assert pane.highlighter.marked_texts() == ["นำ"]
    # Reply, Delete, M, S… act on the message read: it is the list's selection, in its folder.
    assert m.service.current_folder_id == m.cache.folder_id("Archive")
    assert m.controller.selected_uids() == [700]
    # Double-click: shown in its folder, the search closed, the words still marked.
    view.result_opened.emit(hit)
    assert m.window.list_pages.currentWidget() is m.window.list_page
    assert m.window.folder_view.currentIndex().data() == "เก็บถาวร"
    assert pane.highlighter.marked_texts() == ["นำ"]
    # A new search: the preview no longer shows a result of the last one.
    controller.open_search()
    search_for(m, controller, "งบประมาณ")
    qtbot.waitUntil(lambda: pane.uid is None)


def test_esc_closes_the_search_and_the_list_comes_back_without_marks(open_mailbox):
    m = open_mailbox(20)
    controller, fake = make_search(m)
    controller.open_search("งบ", run=True)
    m.window.preview_view.highlighter.set_terms(["งบ"])
    QTest.keyClick(controller.view, Qt.Key.Key_Escape)
    assert m.window.list_pages.currentWidget() is m.window.list_page
    assert m.window.preview_view.highlighter.terms == ()


def test_choosing_a_folder_in_the_tree_leaves_the_search(open_mailbox):
    m = open_mailbox(20)
    controller, fake = make_search(m)
    controller.open_search("งบ", run=True)
    tree = m.window.folder_view
    tree.setCurrentIndex(m.models.folder_model.index_for_folder(m.cache.folder_id("Sent")))
    assert m.window.list_pages.currentWidget() is m.window.list_page


def test_without_a_search_service_ctrl_k_says_why(open_mailbox):
    m = open_mailbox(20)
    controller, _ = make_search(m, service=False)
    w = m.window
    assert not w.find_action.isEnabled() and not w.search_field.isEnabled()
    QTest.keySequence(w.message_view, QKeySequence("Ctrl+K"))
    assert w.notice_label.text() == "ค้นหาไม่ได้ เปิดดัชนีการค้นหาไม่ได้ ดูสาเหตุได้ในบันทึกการทำงาน (log)"
    assert w.list_pages.currentWidget() is w.list_page


def test_the_help_lists_every_operator_in_thai_and_an_example_fills_the_box(open_mailbox, qtbot):
    m = open_mailbox(10)
    controller, fake = make_search(m)
    controller.open_search()
    controller.view.help_button.click()
    dialog = controller._help
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    for operator in ('"', "from:", "to:", "cc:", "subject:", "has:attachment", "is:unread", "is:read",
                     "is:flagged", "is:urgent", "is:secret", "folder:", "in:", "after:", "before:", "date:", "-"):
        assert operator in text, operator
    assert "after:1/10/2568" in text and "date:ต.ค.2568" in text
    assert dialog.windowTitle() == "วิธีใช้การค้นหา"
    assert "จดหมายที่มีไฟล์แนบ" in text and "ใส่ - หน้าส่วนใดก็ได้" in text  # the descriptions are Thai
    dialog.example_chosen.emit("date:ต.ค.2568")
    assert controller.view.query() == "date:ต.ค.2568"


def test_the_composition_root_attaches_the_search_and_saved_searches(open_mailbox):
    from types import SimpleNamespace

    from govmail_desktop.core.saved_searches import SavedSearches
    from govmail_desktop.ui.search_controller import attach_search

    m = open_mailbox(20)
    SavedSearches(m.settings).add("งบ", "งบ")  # in the settings as an earlier run left them
    fake = FakeSearchService({"acct1": m.cache})
    ctx = SimpleNamespace(window=m.window, mailboxes=m.mailboxes, settings=m.settings, composer=None,
                          bridge=m.bridge)
    controller = attach_search(ctx, fake)
    assert controller is not None and m.window.find_action.isEnabled()
    model = m.models.folder_model
    group = model.index(model.rowCount() - 1, 0)
    assert model.index(0, 0, group).data() == "งบ"
    QTest.keySequence(m.window.message_view, QKeySequence("Ctrl+K"))
    assert m.window.list_pages.currentWidget() is controller.view


def test_without_an_account_search_waits_for_one_and_says_so(make_main_window):
    from types import SimpleNamespace

    from govmail_desktop.ui.search_controller import attach_search
    from govmail_desktop.wiring.mailboxes import attach_mailboxes
    from tests.gui.mailbox_helpers import offscreen_tray

    under = make_main_window()
    mailboxes = attach_mailboxes(under.window, under.settings, under.bridge, [], tray_factory=offscreen_tray)
    try:
        ctx = SimpleNamespace(window=under.window, mailboxes=mailboxes, settings=under.settings, composer=None,
                              bridge=under.bridge)
        assert attach_search(ctx, FakeSearchService({})) is None
        assert not under.window.find_action.isEnabled()
        assert "กรุณาตั้งค่าบัญชีก่อน" in under.window.find_action.toolTip()
    finally:
        mailboxes.shutdown()


def test_the_help_agrees_with_docs_search_md(qtbot):
    """Every operator of the reference's table is in the help, and every example of the help in the
    reference (the two are kept the same; a planted operator missing from the help is caught)."""
    import re
    from pathlib import Path

    from govmail_desktop.ui.search_help import SearchHelpDialog

    doc = (Path(__file__).resolve().parents[2] / "docs" / "search.md").read_text(encoding="utf-8")
    english = doc.split("## English")[1].split("## ภาษาไทย")[0]
    operators = re.findall(r"^\| `([^`]+)`", english, re.MULTILINE)
    dialog = SearchHelpDialog()
    qtbot.addWidget(dialog)
    syntax = " ".join(row[0] for row in dialog.rows())

    def missing(ops):
        return [op for op in ops if op not in syntax]

    assert len(operators) >= 15 and missing(operators) == []
    assert missing([*operators, "near:"]) == ["near:"]  # the check catches one left out
    for _syntax, examples, _meaning in dialog.rows():
        for example in examples:
            assert f"`{example}`" in english, example


def test_what_the_server_part_says_is_shown_after_the_count(open_mailbox):
    from govmail_desktop.services.server_search import ServerSearchOutcome

    m = open_mailbox(20)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "ประชุม")
    request_id = fake.last[0]
    hits = fake.matching("ประชุม", fake.last[2])
    fake.results.emit(request_id, hits)
    fake.server_outcome.emit(request_id, ServerSearchOutcome(offline=["acct1"]))
    fake.finished.emit(request_id)
    status = controller.view.status_label.text()
    assert status.startswith(f"พบจดหมาย {len(hits)} ฉบับ")
    assert status.endswith(ServerSearchOutcome(offline=["acct1"]).summary())


def test_a_search_that_reaches_the_engine_s_limit_says_only_the_newest_are_shown(open_mailbox):
    from govmail_desktop.search.engine import DEFAULT_LIMIT

    m = open_mailbox(10)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "ก")
    hits = [FakeHit("acct1", "INBOX", uid, 1_800_000_000 + uid, f"ก {uid}", "x") for uid in range(DEFAULT_LIMIT)]
    fake.answer(local=hits)
    assert controller.view.status_label.text() == (
        f"พบจดหมาย {DEFAULT_LIMIT} ฉบับ แสดงเฉพาะ {DEFAULT_LIMIT} ฉบับล่าสุด เพิ่มคำค้นเพื่อให้แคบลง")


def test_enter_on_a_result_opens_it_in_its_own_window_and_the_menu_shows_it_in_its_folder(open_mailbox, qtbot):
    m = open_mailbox(30)
    fake = FakeSearchService({"acct1": m.cache})
    opened = []
    controller = SearchController(m.window, m.controller, search=fake, bridge=m.bridge,
                                  open_window=lambda models, folder_id, uid: opened.append((folder_id, uid)))
    controller.install()
    controller.open_search()
    search_for(m, controller, "ประชุม")
    hits = fake.answer()
    view = controller.view
    view.results.setCurrentIndex(view.model.index(0, 0))
    view.results.setFocus()
    QTest.keyClick(view.results, Qt.Key.Key_Return)
    assert opened == [(m.inbox, view.model.index(0, 0).data(HitRole).uid)]
    assert m.window.list_pages.currentWidget() is view  # the search stays behind the window
    controller.open_in_folder(hits[0])
    assert m.window.list_pages.currentWidget() is m.window.list_page
    assert m.controller.selected_uids() == [hits[0].uid]


def test_ctrl_shift_k_in_the_search_brings_the_list_back_with_the_bar(open_mailbox):
    m = open_mailbox(20)
    controller, fake = make_search(m)
    controller.open_search("งบ", run=True)
    QTest.keySequence(controller.view.query_field, QKeySequence("Ctrl+Shift+K"))
    assert m.window.list_pages.currentWidget() is m.window.list_page
    assert m.window.quick_filter_bar.isVisible() and m.window.quick_filter_bar.text_field.hasFocus()


def test_opening_a_result_clears_a_quick_filter_that_would_hide_it(open_mailbox, qtbot):
    m = open_mailbox(30)
    controller, fake = make_search(m)
    bar = m.window.quick_filter_bar
    controller.quick_filter.open_bar()
    bar.unread_button.click()  # the Inbox shows its unread (even UIDs) only
    controller.open_search()
    search_for(m, controller, "ประชุม")
    read = next(h for h in fake.matching("ประชุม", fake.last[2]) if h.uid % 2)
    fake.answer(local=[read])
    controller.view.results.setCurrentIndex(controller.view.model.index(0, 0))
    assert m.controller.selected_uids() == [read.uid]
    assert not bar.unread_button.isChecked() and m.models.message_model.list_filter is None


def test_a_result_of_another_account_opens_in_that_account(make_main_window, qtbot):
    from govmail_desktop.core.accounts import Account, AccountStore, ServerSettings
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.wiring.mailboxes import attach_mailboxes
    from tests.gui.mailbox_helpers import offscreen_tray
    from tests.unit.store.factories import fill

    def account(n: int, name: str) -> Account:
        server = ServerSettings("mail.agency.go.th", 993, "tls")
        return Account(id=f"acct{n}", address=f"user{n}@agency.go.th", display_name=name, login=f"user{n}",
                       imap=server, smtp=ServerSettings("mail.agency.go.th", 465, "tls"))

    accounts = [account(1, "สารบรรณ"), account(2, "ส่วนตัว")]
    for a in accounts:
        cache = MailCache.for_account(a.id)
        fill(cache, count=20)
        cache.close()
    under = make_main_window()
    store = AccountStore(under.settings)
    for a in accounts:
        store.add(a)
    mailboxes = attach_mailboxes(under.window, under.settings, under.bridge, accounts, tray_factory=offscreen_tray)
    try:
        first, second = mailboxes.accounts
        fake = FakeSearchService({"acct1": first.cache, "acct2": second.cache})
        controller = SearchController(under.window, mailboxes.controller, search=fake, bridge=under.bridge)
        controller.install()
        controller.quick_filter.open_bar()
        under.window.quick_filter_bar.unread_button.click()  # the first account's list filtered
        controller.open_search()
        controller.view.query_field.setText("ประชุม")
        QTest.keyClick(controller.view.query_field, Qt.Key.Key_Return)
        fake.answer()
        model = controller.view.model
        accounts_found = {model.index(r, 0).data(HitRole).account_id for r in range(model.rowCount())}
        assert accounts_found == {"acct1", "acct2"}
        row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(HitRole).account_id == "acct2")
        assert model.index(row, ResultColumn.FOLDER).data() == "ส่วนตัว <user2@agency.go.th>: กล่องจดหมายเข้า"
        controller.view.results.setCurrentIndex(model.index(row, 0))
        assert mailboxes.controller.current is second.models
        assert mailboxes.controller.selected_uids() == [model.index(row, 0).data(HitRole).uid]
        assert under.window.list_pages.currentWidget() is controller.view  # still searching
        assert first.models.message_model.list_filter is None  # no list keeps a hidden filter
        assert not under.window.quick_filter_bar.unread_button.isChecked()
    finally:
        mailboxes.shutdown()
