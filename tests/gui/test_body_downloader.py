"""services/body_download.BodyDownloader on the real SyncService and sync adapter, with the unit
tests' in-memory server: the status bar's Cancel stops the download until new mail arrives, a
full disk stops it for the session through the app's error path, and a change of the setting
takes effect at once, also in the middle of a batch. (The fetch itself runs against Dovecot in
tests/integration/test_body_download_dovecot.py; here it is replaced by one that can be held.)"""

from __future__ import annotations

import threading
import time

import pytest

from govmail_desktop.core.errors import StorageError
from govmail_desktop.mime.skeleton import SEARCH_TEXT_PART
from govmail_desktop.services import body_download as service_download
from govmail_desktop.services.body_download import BodyDownloader
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.services.sync_service import DONE, SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync import body_download
from tests.unit.sync.fake_server import FakeServer

pytestmark = pytest.mark.gui


def recent(server: FakeServer, count: int) -> list[int]:
    uids = server.add_messages("INBOX", count)
    now = int(time.time())
    for uid in uids:
        server.folders["INBOX"].messages[uid].date = now - 3600 * uid
    return uids


class HeldFetch:
    """The skeleton fetch, replaced: a text per message; ``hold`` makes one UID wait for ``release``."""

    def __init__(self) -> None:
        self.hold: int | None = None
        self.in_flight = threading.Event()
        self.release = threading.Event()
        self.asked: list[int] = []

    def __call__(self, conn, uid, cancelled=lambda: False, *, choose=None):
        self.asked.append(uid)
        if uid == self.hold:
            self.in_flight.set()
            assert self.release.wait(10)
        return f"Subject: {uid}\r\n\r\nข้อความ {uid}\r\n".encode()


@pytest.fixture
def account(qapp, tmp_path, monkeypatch):
    server = FakeServer()
    recent(server, 5)
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    service = SyncService(cache, queue, server.connect)
    adapter = EngineSyncAdapter(service, cache, queue)
    fetch = HeldFetch()
    monkeypatch.setattr(body_download, "fetch_skeleton", fetch)
    service.start(initial_sync=False)
    problems: list[object] = []
    adapter.problem.connect(problems.append)
    yield server, service, adapter, cache, fetch, problems
    fetch.release.set()
    assert service.stop(10)
    cache.close()
    queue.close()


def sync_inbox(qtbot, service: SyncService) -> int:
    with qtbot.waitSignal(service.operationFinished, timeout=10_000) as finished:
        service.sync_folder("INBOX")
    assert finished.args[1] == DONE, finished.args[2]
    folder_id = service.cache.folder_id("INBOX")
    assert folder_id is not None
    return folder_id


def texts(cache: MailCache, inbox: int) -> set[int]:
    return {uid for uid in cache.known_uids(inbox) if cache.get_part(inbox, uid, SEARCH_TEXT_PART) is not None}


def test_the_status_bars_cancel_stops_the_download_until_new_mail_arrives(qtbot, account):
    server, service, adapter, cache, fetch, _ = account
    inbox = sync_inbox(qtbot, service)
    downloader = BodyDownloader(service, cache, lambda: 30, batch=2, pause_ms=0, settle_ms=0)
    fetch.hold = 4  # the newest first: 1, 2, 3, 4 ... (UID 1 is an hour old, UID 5 five hours)
    downloader.start()
    qtbot.waitUntil(fetch.in_flight.is_set, timeout=10_000)
    adapter.cancel()  # the Cancel button next to "Downloading messages for search"
    fetch.release.set()
    qtbot.waitUntil(lambda: downloader.state == service_download.STOPPED, timeout=10_000)
    assert texts(cache, inbox) == {1, 2, 3}  # the one cancelled in flight is not kept
    fetch.hold = None

    new = recent(server, 1)
    with qtbot.waitSignal(downloader.finished, timeout=10_000):
        sync_inbox(qtbot, service)  # new mail: the download goes on, with what is missing
    assert texts(cache, inbox) == {1, 2, 3, 4, 5, *new}
    assert fetch.asked.count(4) == 2 and fetch.asked.count(1) == 1


def test_a_full_disk_stops_the_download_for_the_session_and_is_reported(qtbot, account):
    server, service, adapter, cache, fetch, problems = account
    inbox = sync_inbox(qtbot, service)
    downloader = BodyDownloader(service, cache, lambda: 30, pause_ms=0, settle_ms=0, min_free=1 << 62)
    downloader.start()
    qtbot.waitUntil(lambda: downloader.state == service_download.FULL, timeout=10_000)
    [error] = problems
    assert isinstance(error, StorageError) and error.code == "disk-full"  # the app's usual report
    assert fetch.asked == [] and texts(cache, inbox) == set()
    recent(server, 1)
    sync_inbox(qtbot, service)
    qtbot.wait(50)
    assert downloader.state == service_download.FULL and fetch.asked == []  # new mail does not restart it


def test_a_change_of_the_setting_takes_effect_in_the_middle_of_a_batch(qtbot, account):
    _, service, _, cache, fetch, _ = account
    inbox = sync_inbox(qtbot, service)
    days = [30]
    downloader = BodyDownloader(service, cache, lambda: days[0], pause_ms=0, settle_ms=0)
    fetch.hold = 2
    downloader.start()
    qtbot.waitUntil(fetch.in_flight.is_set, timeout=10_000)
    days[0] = 0  # the user chose "Off"
    downloader.settings_changed()
    fetch.release.set()
    qtbot.waitUntil(lambda: downloader.state == service_download.IDLE, timeout=10_000)
    assert texts(cache, inbox) == {1}
    assert fetch.asked == [1, 2]
    fetch.hold = None

    days[0] = 30  # and on again: the rest, nothing twice
    with qtbot.waitSignal(downloader.finished, timeout=10_000):
        downloader.settings_changed()
    assert texts(cache, inbox) == {1, 2, 3, 4, 5}
    assert sorted(fetch.asked) == [1, 2, 2, 3, 4, 5]
