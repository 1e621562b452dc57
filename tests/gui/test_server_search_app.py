"""The composition root attaches the server part of search (app.open_search): each account's
server search runs on that account's own sync engine; an account without one is offline."""

from __future__ import annotations

from types import SimpleNamespace

from govmail_desktop.search.query import parse_query
from govmail_desktop.services.server_search import ServerSearch
from govmail_desktop.services.sync_service import SyncService
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.wiring.search import open_search
from tests.gui.mailbox_helpers import open_mailbox  # noqa: F401
from tests.unit.services.test_server_search import SearchingServer


def _search(qtbot, part: ServerSearch, text: str, folders):
    hits: list = []
    part.results.connect(lambda _rid, found: hits.extend(found))
    with qtbot.waitSignal(part.finished, timeout=10_000) as done:
        part.start(1, parse_query(text), folders)
    return hits, done.args[1]


def test_open_search_runs_the_server_part_on_the_accounts_connection(open_mailbox, qtbot, tmp_path):
    m = open_mailbox(5)
    mailbox = m.mailboxes.accounts[0]
    server = SearchingServer()
    server.add_messages("INBOX", 2, subject="งบประมาณ")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    sync = SyncService(mailbox.cache, queue, server.connect)
    sync.start(initial_sync=False)
    mailbox.sync.service = sync  # the engine an EngineSyncAdapter carries
    ctx = SimpleNamespace(window=m.window, shutdown_hooks=[])
    service = open_search(ctx, m.mailboxes)
    try:
        part = service.findChild(ServerSearch)
        assert part is not None
        hits, outcome = _search(qtbot, part, "งบประมาณ", [("acct1", "INBOX")])
        assert sorted(h.subject for h in hits) == ["งบประมาณ 1", "งบประมาณ 2"]
        assert all(h.on_server for h in hits) and outcome.searched == [("acct1", "INBOX")]
        assert any(c.startswith("SEARCH") for conn in server.connections for c in conn.commands)
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()
        sync.stop()
        queue.close()


def test_an_account_without_a_sync_engine_is_offline_for_the_server_part(open_mailbox, qtbot):
    m = open_mailbox(5, sync=False)
    ctx = SimpleNamespace(window=m.window, shutdown_hooks=[])
    service = open_search(ctx, m.mailboxes)
    try:
        part = service.findChild(ServerSearch)
        hits, outcome = _search(qtbot, part, "งบ", [("acct1", "INBOX")])
        assert hits == [] and outcome.offline == ["acct1"]
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()
