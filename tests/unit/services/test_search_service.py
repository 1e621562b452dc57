"""services/search_service: queries answered from a worker thread through signals, query
errors reported with their position, cancel, and the server part joined in."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from govmail_desktop.core.entities import Folder, MessageSummary
from govmail_desktop.search.engine import Hit, SearchScope
from govmail_desktop.search.query import Query, QueryError
from govmail_desktop.services.search_service import SearchService
from govmail_desktop.store.cache import MailCache
from tests.unit.search.conftest import raw_message


class FakeServerPart(QObject):
    """Stands in for services.server_search.ServerSearch (its signals and calls)."""

    results = Signal(int, object)
    finished = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.started: list[tuple[int, Query, list[tuple[str, str]], set[tuple[str, str, int]]]] = []
        self.cancelled: list[int] = []

    def start(self, request_id: int, query: Query, folders: Sequence[tuple[str, str]],
              exclude: Collection[tuple[str, str, int]] = ()) -> bool:
        self.started.append((request_id, query, list(folders), set(exclude)))
        hit = Hit("acct", "INBOX", 3, 1_700_000_000, "บนเซิร์ฟเวอร์", "x", 0, False, 0.0, False, on_server=True)
        QTimer.singleShot(0, lambda: self.results.emit(request_id, [hit]))
        QTimer.singleShot(5, lambda: self.finished.emit(request_id, "outcome"))
        return True

    def cancel(self, request_id: int) -> None:
        self.cancelled.append(request_id)


@pytest.fixture()
def service(tmp_path: Path, qtbot) -> Iterator[tuple[SearchService, MailCache]]:
    cache = MailCache(tmp_path / "cache.sqlite3")
    ids = cache.upsert_folders([Folder("INBOX")])
    cache.insert_summaries(ids["INBOX"], [
        MessageSummary(uid=1, internaldate=1_700_000_000, subject="ขอเชิญประชุม"),
        MessageSummary(uid=2, internaldate=1_700_000_100, subject="งบประมาณ"),
    ])
    cache.put_part(ids["INBOX"], 1, "", raw_message("ขอเชิญประชุม", "เรื่องงบประมาณ"))
    svc = SearchService()
    indexer = svc.add_account("acct", cache)
    assert indexer.wait_idle(30)
    yield svc, cache
    svc.shutdown()
    cache.close()


def record(svc: SearchService) -> list[tuple[object, ...]]:
    events: list[tuple[object, ...]] = []
    svc.results.connect(lambda rid, hits: events.append(("results", rid, hits)))
    svc.server_results.connect(lambda rid, hits: events.append(("server_results", rid, hits)))
    svc.failed.connect(lambda rid, text: events.append(("failed", rid, text)))
    svc.finished.connect(lambda rid: events.append(("finished", rid)))
    return events


def test_results_then_finished(service, qtbot) -> None:
    svc, _ = service
    events = record(svc)
    with qtbot.waitSignal(svc.finished, timeout=10_000):
        svc.search(7, "งบประมาณ", SearchScope(), "date")
    assert [e[:2] for e in events] == [("results", 7), ("finished", 7)]
    assert [h.uid for h in events[0][2]] == [2, 1]  # type: ignore[attr-defined]


def test_malformed_query_fails_with_its_position(service, qtbot) -> None:
    svc, _ = service
    errors: list[object] = []
    svc.query_error.connect(lambda _rid, err: errors.append(err))
    events = record(svc)
    with qtbot.waitSignal(svc.finished, timeout=10_000):
        svc.search(8, 'ประชุม "ไม่ปิด', SearchScope(), "date")
    assert [e[:2] for e in events] == [("failed", 8), ("finished", 8)]
    assert events[0][2]
    assert isinstance(errors[0], QueryError) and errors[0].position == 7


def test_cancelled_request_only_finishes(service, qtbot) -> None:
    svc, _ = service
    got: list[int] = []
    svc.results.connect(lambda rid, _hits: got.append(rid))
    with qtbot.waitSignal(svc.finished, timeout=10_000):
        svc.search(9, "งบ", SearchScope(), "date")
        svc.cancel(9)
    assert got == []


def test_server_part_for_bodies_not_cached(service, qtbot) -> None:
    svc, _ = service
    server = FakeServerPart()
    svc.attach_server_search(server)
    events = record(svc)
    with qtbot.waitSignal(svc.finished, timeout=10_000):
        svc.search(10, "ประชุม", SearchScope(), "date")
    assert [e[:2] for e in events] == [("results", 10), ("server_results", 10), ("finished", 10)]
    server_hits = events[1][2]
    ((rid, _query, folders, exclude),) = server.started
    assert rid == 10
    assert folders == [("acct", "INBOX")]  # message 2 has no body here
    assert exclude == {("acct", "INBOX", 1)}
    assert [h.uid for h in server_hits] == [3]  # type: ignore[attr-defined]


def test_no_server_part_for_header_only_queries(service, qtbot) -> None:
    svc, _ = service
    server = FakeServerPart()
    svc.attach_server_search(server)
    with qtbot.waitSignal(svc.finished, timeout=10_000):
        svc.search(11, "subject:งบ", SearchScope(), "date")
    assert server.started == []


def test_removed_account_is_no_longer_searched_and_its_index_is_gone(service, qtbot) -> None:
    svc, cache = service
    index_path = cache.path.with_name("search.sqlite3")
    assert index_path.exists()
    svc.remove_account("acct")
    assert not index_path.exists()
    events = record(svc)
    with qtbot.waitSignal(svc.finished, timeout=10_000):
        svc.search(12, "งบ", SearchScope(), "date")
    assert events == [("results", 12, []), ("finished", 12)]


def test_the_gui_thread_never_waits_for_a_search(service, qtbot) -> None:
    import threading

    svc, _ = service
    gate = threading.Event()
    released: list[bool] = []
    real = svc.engine.search

    def slow_search(*args, **kwargs):
        released.append(gate.wait(10))  # only the test, after search() returned, opens it
        return real(*args, **kwargs)

    svc.engine.search = slow_search
    with qtbot.waitSignal(svc.finished, timeout=20_000):
        svc.search(13, "งบ", SearchScope(), "date")
        gate.set()
    assert released == [True]
