"""The search UI over the real search service and index (no stand-in): Thai terms found in the
cached mail, the results shown and marked, the quick filter's text narrowing the folder.

The other GUI tests of the search use tests/gui/search_helpers.FakeSearchService to decide
when answers arrive; this one checks the UI speaks the service's real signals and hits.
"""

from __future__ import annotations

import pytest

from govmail_desktop.models.search_results import HitRole, ResultColumn
from govmail_desktop.services.search_service import SearchService
from govmail_desktop.ui.search_controller import SearchController
from tests.gui.mailbox_helpers import open_mailbox, shown_uids  # noqa: F401
from tests.gui.test_search_view import search_for
from tests.unit.store.factories import SUBJECTS, summary

pytestmark = pytest.mark.gui


@pytest.fixture
def real_search(open_mailbox, qtbot):
    made = []

    def make(count: int):
        m = open_mailbox(count)
        service = SearchService()
        indexer = service.add_account("acct1", m.cache)
        assert indexer.wait_idle(30)
        controller = SearchController(m.window, m.controller, search=service, bridge=m.bridge)
        controller.install()
        made.append(service)
        return m, controller, service

    yield make
    for service in made:
        service.shutdown()


def test_a_thai_term_is_found_by_the_real_service_and_marked_in_the_results(real_search, qtbot):
    m, controller, _service = real_search(60)
    controller.open_search()
    search_for(m, controller, "งบ")  # a two-letter Thai word inside ขออนุมัติงบประมาณ
    view = controller.view
    want = sorted((uid for uid in range(1, 61) if summary(uid).subject.startswith(SUBJECTS[0])), reverse=True)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(want), timeout=10_000)
    assert [view.model.index(r, 0).data(HitRole).uid for r in range(len(want))] == want
    index = view.model.index(0, ResultColumn.SUBJECT)
    assert [index.data()[s:e] for s, e in view.subject_delegate.spans_for(index)] == ["งบ"]
    qtbot.waitUntil(lambda: view.status_label.text() == f"พบจดหมาย {len(want)} ฉบับ", timeout=10_000)


def test_the_quick_filter_text_goes_through_the_real_service(real_search, qtbot):
    m, controller, _service = real_search(60)
    bar = m.window.quick_filter_bar
    controller.quick_filter.open_bar()
    bar.text_field.insert("หนังสือเวียน")
    want = [uid for uid in range(60, 0, -1) if summary(uid).subject.startswith(SUBJECTS[2])]
    qtbot.waitUntil(lambda: shown_uids(m.window) == want, timeout=10_000)
