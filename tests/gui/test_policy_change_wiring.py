"""The app's wiring of a policy change to the open connections (wiring/policy_watch.py,
services/sync_adapter.py): every account's sync service and outbox are asked to judge their
connections with the server rules now in force, and the account's refusal reaches the window
as a refused connect does (the adapter's ``problem``, worded by the message bridge).

The connections themselves are closed against the real Dovecot and SMTP server in
tests/integration/test_policy_change_connections.py.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy import api
from govmail_desktop.policy.live import LivePolicy
from govmail_desktop.policy.sources import load_policy_file
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.services.sync_service import SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.wiring.policy_watch import follow_policy
from tests.servers.fake_net import TEST_POLICY_FILE

pytestmark = pytest.mark.gui


class Judged:
    """Records the server rules each policy_changed call was given."""

    def __init__(self) -> None:
        self.given: list[api.ServerPolicy] = []

    def policy_changed(self, servers: api.ServerPolicy) -> list[PolicyRefused]:
        self.given.append(servers)
        return []


def verdict(servers: api.ServerPolicy, host: str) -> str:
    try:
        servers.check_host(host)
    except PolicyRefused as exc:
        return exc.code or ""
    return "allowed"


def test_a_policy_change_has_every_account_judge_its_connections_by_the_rules_in_force():
    live = LivePolicy(load_policy_file(TEST_POLICY_FILE))
    sync, outbox, other = Judged(), Judged(), Judged()
    accounts = [SimpleNamespace(sync=SimpleNamespace(service=sync), outbox=outbox),
                SimpleNamespace(sync=SimpleNamespace(service=other), outbox=None),
                SimpleNamespace(sync=None, outbox=None)]  # an offline-only account: nothing to judge
    ctx = SimpleNamespace(window=None, mailboxes=SimpleNamespace(accounts=accounts, search_download_cap=0))
    live.subscribe(lambda change: follow_policy(ctx, live, change))

    change = live.replace(load_policy_file(TEST_POLICY_FILE, overrides={"servers": {"deny": ["localhost"]}}))
    assert change is not None
    assert [len(j.given) for j in (sync, outbox, other)] == [1, 1, 1]
    for judged in (sync, outbox, other):
        assert verdict(judged.given[0], "localhost") == api.HOST_DENIED  # the new rules
        assert verdict(judged.given[0], "127.0.0.1") == "allowed"


def test_the_refusal_of_a_changed_policy_reaches_the_window_as_a_refused_connect(qapp, tmp_path, qtbot):
    cache, queue = MailCache(tmp_path / "cache.sqlite3"), OfflineOpQueue(tmp_path / "ops.sqlite3")
    service = SyncService(cache, queue, lambda: (_ for _ in ()).throw(AssertionError("no connect here")))
    adapter = EngineSyncAdapter(service, cache, queue)
    refused = PolicyRefused(code=api.HOST_DENIED, detail="host 127.0.0.1 matches deny rule 127.0.0.1")
    try:
        with qtbot.waitSignal(adapter.problem, timeout=5000) as told:
            service.connectionRefused.emit(refused)
        assert told.args[0] is refused
        with qtbot.assertNotEmitted(adapter.problem):
            service.connectionRefused.emit(None)  # allowed again: nothing to say
    finally:
        cache.close()
        queue.close()
