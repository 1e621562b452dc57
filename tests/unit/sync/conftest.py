"""Fixtures for sync/ unit tests: a real cache file, a fake server, a recording listener."""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync.listener import SyncListener
from tests.unit.sync.fake_server import FakeServer


class RecordingListener(SyncListener):
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def progress(self, done, total):
        self.calls.append(("progress", done, total))

    def folders_changed(self):
        self.calls.append(("folders",))

    def rows_inserted(self, folder_id, uids):
        self.calls.append(("inserted", folder_id, list(uids)))

    def rows_changed(self, folder_id, uids):
        self.calls.append(("changed", folder_id, list(uids)))

    def rows_removed(self, folder_id, keys):
        self.calls.append(("removed", folder_id, sorted(k.uid for k in keys)))

    def folder_reset(self, folder_id):
        self.calls.append(("reset", folder_id))

    def new_mail(self, folder_id, uids):
        self.calls.append(("new_mail", folder_id, list(uids)))

    def messages_unreadable(self, folder_id, count):
        self.calls.append(("unreadable", folder_id, count))

    def action_settled(self, op_id, outcome, error):
        self.calls.append(("settled", op_id, outcome, error))

    def of(self, kind):
        return [c for c in self.calls if c[0] == kind]


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


@pytest.fixture
def queue(tmp_path):
    q = OfflineOpQueue(tmp_path / "ops.sqlite3")
    yield q
    q.close()


@pytest.fixture
def server():
    s = FakeServer()
    s.add_folder("Trash", SpecialUse.TRASH)
    s.add_folder("Sent", SpecialUse.SENT)
    return s


@pytest.fixture
def listener():
    return RecordingListener()


def cached_state(cache: MailCache, folder: str) -> dict[int, frozenset[str] | None]:
    """{uid: flags} of a folder in the cache (compare with FakeServer.state)."""
    fid = cache.folder_id(folder)
    return {uid: cache.flags_of(fid, uid) for uid in cache.known_uids(fid)}
