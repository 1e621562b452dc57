"""The real sync service and its adapter with special folders: the
choice of folders kept by every LIST and applied without the network, and a missing
Trash created on the server (the scripted Zimbra-like fake of tests/unit/sync)."""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.services.mailbox_types import DONE, FAILED, STATE_ONLINE
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.services.sync_service import SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync.control import Backoff
from tests.unit.sync.fake_special import zimbra_server

pytestmark = pytest.mark.gui


@pytest.fixture
def engine(qapp, tmp_path):
    made = []

    def make(server, **kwargs):
        cache = MailCache(tmp_path / "cache.sqlite3")
        queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
        service = SyncService(
            cache, queue, server.connect, backoff=lambda: Backoff(initial=0.02, maximum=0.1, jitter=0), **kwargs
        )
        adapter = EngineSyncAdapter(service, cache, queue)
        made.append((service, cache, queue))
        return service, adapter, cache

    yield make
    for service, cache, queue in made:
        assert service.stop(10)
        cache.close()
        queue.close()


def roles_in(cache):
    return {c.name: c.folder.special_use for c in cache.folders() if c.folder.special_use}


def test_the_chosen_folders_are_kept_by_the_folder_list_and_changed_without_the_server(engine, qtbot):
    server = zimbra_server()
    server.add_folder("Old Trash")
    service, adapter, cache = engine(server, chosen_folders={SpecialUse.TRASH: "Old Trash"})
    finished = []
    service.operationFinished.connect(lambda i, o, e: finished.append(i))
    service.start(initial_sync=False)
    op = service.sync_folder_list()
    qtbot.waitUntil(lambda: op in finished)
    assert roles_in(cache)["Old Trash"] == SpecialUse.TRASH and "Trash" not in roles_in(cache)

    server.down = True
    states = []
    adapter.connection_state.connect(states.append)
    with qtbot.waitSignal(adapter.folders_changed):
        adapter.set_chosen_folders({})  # back to automatic detection
    assert roles_in(cache)["Trash"] == SpecialUse.TRASH and "Old Trash" not in roles_in(cache)
    assert states == []  # a cache-only change: no "synchronising" flash
    server.down = False
    op = service.sync_folder_list()
    qtbot.waitUntil(lambda: op in finished)
    assert roles_in(cache)["Trash"] == SpecialUse.TRASH  # the next LIST keeps the new choice


def test_a_missing_trash_is_created_and_reported_to_the_mailbox(engine, qtbot):
    server = zimbra_server(trash=False)
    service, adapter, cache = engine(server)
    problems = []
    adapter.problem.connect(problems.append)
    service.start(initial_sync=False)
    with qtbot.waitSignal(adapter.folders_changed):
        service.sync_folder_list()
    assert SpecialUse.TRASH not in roles_in(cache).values()
    with qtbot.waitSignal(adapter.special_folder_created, timeout=10000) as signal:
        adapter.create_special_folder(SpecialUse.TRASH)
    assert signal.args[:2] == [SpecialUse.TRASH, DONE]
    assert "Trash" in server.folders and roles_in(cache)["Trash"] == SpecialUse.TRASH
    qtbot.waitUntil(lambda: adapter._state == STATE_ONLINE)
    assert problems == []


def test_a_refused_creation_is_reported_once_to_the_mailbox(engine, qtbot):
    server = zimbra_server(trash=False)
    server.create_refused = {"Trash", "INBOX/Trash"}
    service, adapter, cache = engine(server)
    problems = []
    adapter.problem.connect(problems.append)
    service.start(initial_sync=False)
    with qtbot.waitSignal(adapter.folders_changed):
        service.sync_folder_list()
    with qtbot.waitSignal(adapter.special_folder_created, timeout=10000) as signal:
        adapter.create_special_folder(SpecialUse.TRASH)
    role, outcome, error = signal.args
    assert (role, outcome) == (SpecialUse.TRASH, FAILED) and error is not None
    assert problems == []  # the mailbox says it, with what it means for the delete
    assert SpecialUse.TRASH not in roles_in(cache).values()
