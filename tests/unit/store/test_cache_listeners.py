"""MailCache tells its listeners what each committed write changed (the search indexer
keeps its index current from these notes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govmail_desktop.core.entities import Folder, MessageSummary
from govmail_desktop.store.cache import CacheChange, MailCache


@pytest.fixture()
def cache(tmp_path: Path):
    c = MailCache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


def test_every_kind_of_change_is_told(cache: MailCache) -> None:
    seen: list[CacheChange] = []
    cache.add_listener(seen.append)
    ids = cache.upsert_folders([Folder("INBOX"), Folder("Old")])
    cache.insert_summaries(ids["INBOX"], [MessageSummary(uid=1, internaldate=1), MessageSummary(uid=2, internaldate=2)])
    cache.put_part(ids["INBOX"], 1, "", b"Subject: x\r\n\r\nbody")
    cache.expunge(ids["INBOX"], [2])
    cache.reset_folder(ids["INBOX"], uidvalidity=9)
    cache.upsert_folders([Folder("INBOX")])  # "Old" is gone
    cache.rebuild("test")
    assert seen == [
        CacheChange("rows", ids["INBOX"], (1, 2)),
        CacheChange("part", ids["INBOX"], (1,), ""),
        CacheChange("expunged", ids["INBOX"], (2,)),
        CacheChange("folder-cleared", ids["INBOX"]),
        CacheChange("folder-cleared", ids["Old"]),
        CacheChange("rebuilt"),
    ]


def test_nothing_is_told_for_an_expunge_that_removed_nothing(cache: MailCache) -> None:
    seen: list[CacheChange] = []
    ids = cache.upsert_folders([Folder("INBOX")])
    cache.add_listener(seen.append)
    cache.expunge(ids["INBOX"], [5])
    assert seen == []


def test_a_failing_listener_does_not_undo_the_write(cache: MailCache) -> None:
    def broken(change: CacheChange) -> None:
        raise RuntimeError("listener bug")

    cache.add_listener(broken)
    ids = cache.upsert_folders([Folder("INBOX")])
    cache.insert_summaries(ids["INBOX"], [MessageSummary(uid=1, internaldate=1)])
    assert cache.count(ids["INBOX"]) == 1
    cache.remove_listener(broken)
    cache.remove_listener(broken)  # twice: harmless
