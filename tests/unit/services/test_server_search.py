"""ServerSearch over the real SyncService and an in-memory server: what reaches the server,
hits not repeated, a server that cannot search Thai, cancel, accounts without a connection.
The real server is in tests/integration/test_server_search_dovecot.py."""

from __future__ import annotations

import threading

import pytest

from govmail_desktop.net.imap.client import ImapCommandError, SearchCharsetRefused
from govmail_desktop.net.imap.grammar import format_sequence_set
from govmail_desktop.net.imap.responses import SearchResult
from govmail_desktop.search.imap_criteria import criteria_for
from govmail_desktop.search.query import parse_query
from govmail_desktop.services.server_search import ServerSearch
from govmail_desktop.services.sync_service import SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from tests.unit.sync.fake_server import FakeConnection, FakeServer

ACCOUNT = "acct"


class SearchingConnection(FakeConnection):
    """The fake connection with a SEARCH that matches the first text against the subjects."""

    def uid_search_text(self, criteria, *, charset="UTF-8", limit=0):
        self._command("SEARCH", repr((tuple(criteria), charset)))
        server = self.server
        if getattr(server, "badcharset", False) and charset:
            raise SearchCharsetRefused("fake.go.th", charset, ImapCommandError(
                "fake.go.th", "SEARCH", "NO", b"[BADCHARSET (US-ASCII)] no"))
        gate = getattr(server, "gate", None)
        if gate is not None:
            gate.wait(10)
        text = next(item for item in criteria if isinstance(item, str))
        with server.lock:
            uids = [m.uid for m in self._box().messages.values() if text in m.subject]
        kept = sorted(uids)[-limit:] if limit else sorted(uids)
        return SearchResult(format_sequence_set(kept) if kept else "", len(uids))


class SearchingServer(FakeServer):
    def connect(self):
        conn = super().connect()
        searching = SearchingConnection(self)
        self.connections[-1] = searching
        del conn
        return searching


@pytest.fixture
def account(qapp, tmp_path):
    server = SearchingServer()
    server.add_folder("Archive")
    server.add_messages("INBOX", 3, subject="งบประมาณ")
    server.add_messages("INBOX", 2, subject="Lunch")
    server.add_messages("Archive", 2, subject="งบประมาณ เก่า")
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    sync = SyncService(cache, queue, server.connect)
    sync.start(initial_sync=False)
    searcher = ServerSearch()
    searcher.add_account(ACCOUNT, sync, cache)
    yield server, sync, cache, searcher
    server.gate = None
    sync.stop()
    cache.close()
    queue.close()


def run(qtbot, searcher, text, folders, exclude=(), request_id=1, before_wait=None):
    hits: list = []
    searcher.results.connect(lambda rid, found: hits.extend(found) if rid == request_id else None)
    with qtbot.waitSignal(searcher.finished, timeout=10_000,
                          check_params_cb=lambda rid, _o: rid == request_id) as done:
        searcher.start(request_id, parse_query(text), folders, exclude)
        if before_wait is not None:
            before_wait()
    return hits, done.args[1]


def test_criteria_and_charset_reach_the_server_and_hits_are_not_repeated(qtbot, account):
    server, _sync, _cache, searcher = account
    hits, outcome = run(qtbot, searcher, "งบประมาณ",
                        [(ACCOUNT, "INBOX"), (ACCOUNT, "Archive"), (ACCOUNT, "INBOX")],
                        exclude={(ACCOUNT, "INBOX", 2)})
    assert sorted((h.folder, h.uid) for h in hits) == [("Archive", 1), ("Archive", 2), ("INBOX", 1), ("INBOX", 3)]
    assert all(h.on_server and h.account_id == ACCOUNT for h in hits)
    assert {h.subject for h in hits} == {"งบประมาณ 1", "งบประมาณ 3", "งบประมาณ เก่า 1", "งบประมาณ เก่า 2"}
    expected = criteria_for(parse_query("งบประมาณ"))
    searches = [c for conn in server.connections for c in conn.commands if c.startswith("SEARCH")]
    assert searches == [f"SEARCH {(expected.keys, 'UTF-8')!r}"] * 2  # each folder once
    assert outcome.searched == [(ACCOUNT, "INBOX"), (ACCOUNT, "Archive")] and outcome.found == 4


def test_a_server_that_cannot_search_thai_is_named_not_raised(qtbot, account):
    server, _sync, _cache, searcher = account
    server.badcharset = True
    hits, outcome = run(qtbot, searcher, "งบประมาณ", [(ACCOUNT, "INBOX")])
    assert hits == [] and not outcome.offline
    refused = SearchCharsetRefused("fake.go.th", "UTF-8", ImapCommandError("fake.go.th", "SEARCH", "NO", b""))
    assert outcome.problems == [refused.user_text()]  # in the app's language
    assert refused.user_text("en").startswith("The server fake.go.th cannot search for Thai")
    assert refused.user_text() in outcome.summary()


def test_cancel_drops_the_results(qtbot, account):
    server, _sync, _cache, searcher = account
    server.gate = threading.Event()
    hits, outcome = run(qtbot, searcher, "งบประมาณ", [(ACCOUNT, "INBOX")],
                        before_wait=lambda: (searcher.cancel(1), server.gate.set()))
    assert outcome.cancelled and hits == []
    assert not searcher.pending()


def test_accounts_without_a_connection_and_unknown_accounts(qtbot, account, tmp_path):
    _server, _sync, cache, searcher = account
    searcher.add_account("no-sync", None, cache)
    hits, outcome = run(qtbot, searcher, "งบ", [("no-sync", "INBOX"), ("unknown", "INBOX")])
    assert hits == [] and outcome.offline == ["no-sync"] and outcome.searched == []
    assert "Offline" in outcome.summary()


def test_nothing_to_search_finishes_at_once(qtbot, account):
    _server, _sync, _cache, searcher = account
    with qtbot.waitSignal(searcher.finished, timeout=1000):
        assert searcher.start(5, parse_query("งบ"), []) is False


def test_a_lost_connection_counts_as_offline(qtbot, account):
    server, _sync, _cache, searcher = account
    server.down = True
    hits, outcome = run(qtbot, searcher, "งบ", [(ACCOUNT, "INBOX")])
    assert hits == [] and outcome.offline == [ACCOUNT]


def test_a_folder_the_server_refuses_does_not_stop_the_others(qtbot, account):
    server, _sync, _cache, searcher = account
    hits, outcome = run(qtbot, searcher, "งบประมาณ", [(ACCOUNT, "Gone"), (ACCOUNT, "Archive")])
    assert sorted((h.folder, h.uid) for h in hits) == [("Archive", 1), ("Archive", 2)]
    assert outcome.searched == [(ACCOUNT, "Archive")]
    assert len(outcome.problems) == 1 and "fake.go.th" in outcome.problems[0]
