"""The search index follows the cache: messages expunged, folders removed or reset, the
cache rebuilt, the account removed; a missing, damaged or foreign index is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from govmail_desktop.core.entities import Folder
from govmail_desktop.search.index import INDEX_VERSION, IndexDoc, SearchIndex, remove_index_files
from govmail_desktop.search.indexer import Indexer
from govmail_desktop.store.cache import MailCache

from .conftest import World


def test_expunged_messages_leave_the_index(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "งบ")
    world.add("INBOX", 2, "ประชุม", "งบ")
    assert world.uids("ประชุม") == {1, 2}
    world.cache.expunge(world.folders["INBOX"], [1])
    world.settle()
    assert world.index.keys() == {(world.folders["INBOX"], 2): 1}
    assert world.uids("งบ") == {2}


def test_a_removed_folder_leaves_the_index(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "x")
    world.add("Sent", 2, "ประชุม", "x")
    world.settle()
    world.cache.upsert_folders([Folder("INBOX"), Folder("Projects/งบ")])  # Sent gone on the server
    world.settle()
    assert world.uids("ประชุม") == {1}
    assert {f for f, _ in world.index.keys()} == {world.folders["INBOX"]}


def test_uidvalidity_reset_empties_the_folder_in_the_index(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "x")
    world.add("Sent", 2, "ประชุม", "x")
    world.settle()
    world.cache.reset_folder(world.folders["INBOX"], uidvalidity=77)
    world.settle()
    assert world.uids("ประชุม") == {2}
    assert (world.folders["INBOX"], 1) not in world.index.keys()


def test_cache_rebuilt_empties_the_index(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "x")
    world.settle()
    world.cache.rebuild("test")
    world.settle()
    assert world.index.count() == 0


def test_reconcile_at_start_catches_up_with_what_happened_while_nobody_listened(tmp_path: Path) -> None:
    cache = MailCache(tmp_path / "cache.sqlite3")
    ids = cache.upsert_folders([Folder("INBOX")])
    index = SearchIndex(tmp_path / "search.sqlite3", cache_path=cache.path)
    # The index holds a message the cache no longer has; the cache has one never indexed.
    index.add([IndexDoc(ids["INBOX"], 5, 1_700_000_000, "เก่า", "", "", "", "ข้อความเก่า")])
    from govmail_desktop.core.entities import MessageSummary

    cache.insert_summaries(ids["INBOX"], [MessageSummary(uid=6, internaldate=1_700_000_100, subject="ใหม่")])
    indexer = Indexer("acct", cache, index)  # listens only from now on; reconciles first
    indexer.run_pending()
    assert index.keys() == {(ids["INBOX"], 6): 0}
    indexer.stop()
    index.close()
    cache.close()


def test_the_indexer_thread_indexes_in_the_background(world: World) -> None:
    world.indexer.start()
    world.add("INBOX", 1, "ประชุมด่วน", "งบประมาณ")
    assert world.indexer.wait_idle(30)
    from govmail_desktop.search.query import parse_query

    assert [h.uid for h in world.engine.search(parse_query("งบ"))] == [1]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not a database at all" * 10, "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\x07" * 4000, "unusable"),
    ],
)
def test_a_damaged_index_file_is_rebuilt_empty(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "search.sqlite3"
    path.write_bytes(content)
    index = SearchIndex(path)
    assert index.rebuilt and reason in (index.rebuild_reason or "")
    assert index.count() == 0
    index.add([IndexDoc(1, 1, 1_700_000_000, "งบ", "", "", "", None)])
    assert index.count() == 1
    index.close()


def test_an_index_of_another_version_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite3"
    index = SearchIndex(path)
    index.add([IndexDoc(1, 1, 1_700_000_000, "งบ", "", "", "", None)])
    index.close()
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {INDEX_VERSION + 1}")
    conn.close()
    again = SearchIndex(path)
    assert again.rebuilt and "version" in (again.rebuild_reason or "")
    assert again.count() == 0
    again.close()


def test_a_good_index_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite3"
    index = SearchIndex(path)
    index.add([IndexDoc(1, 1, 1_700_000_000, "งบ", "", "", "", "ข้อความ")])
    index.close()
    again = SearchIndex(path)
    assert not again.rebuilt
    assert again.stored_text(1, 1) == ("งบ", "", "", "", "ข้อความ")
    again.close()


def test_account_removal_deletes_the_index_files(tmp_path: Path) -> None:
    from govmail_desktop.core.paths import AppPaths
    from govmail_desktop.store.cache import account_dir

    paths = AppPaths(config_dir=tmp_path / "c", data_dir=tmp_path / "d", cache_dir=tmp_path / "x",
                     log_dir=tmp_path / "l")
    folder = account_dir("acct", paths)
    folder.mkdir(parents=True)
    index = SearchIndex(folder / "search.sqlite3")
    index.add([IndexDoc(1, 1, 1_700_000_000, "งบ", "", "", "", None)])
    index.close()
    remove_index_files("acct", paths)
    assert not (folder / "search.sqlite3").exists()


def test_header_refresh_keeps_the_indexed_body(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "เนื้อความสำคัญ")
    world.settle()
    summary = world.cache.summary(world.folders["INBOX"], 1)
    assert summary is not None
    world.cache.insert_summaries(world.folders["INBOX"], [summary])
    world.settle()
    assert world.uids("สำคัญ") == {1}


def test_damage_found_by_a_search_rebuilds_the_index(world: World) -> None:
    for uid in range(1, 200):
        world.add("INBOX", uid, f"ประชุม {uid}", "งบประมาณ " * 50)
    world.settle()
    damaged: list[bool] = []
    source = world.engine.sources()[0]
    def on_damage() -> None:
        damaged.append(True)
        world.indexer.index_damaged()

    source.on_damage = on_damage
    world.engine.close_thread()
    world.index.close()
    with open(world.index.path, "r+b") as fh:  # scribble over the gram table's pages
        fh.seek(8192 * 3)
        fh.write(b"\xff" * 8192 * 20)
    assert world.search("ประชุม") == []  # no exception: that account's part is empty
    assert damaged == [True]
    world.settle()  # the indexer builds the index again from the cache
    assert len(world.search("ประชุม", limit=1000)) == 199


def test_churn_keeps_the_gram_table_consistent(tmp_path: Path) -> None:
    """Re-indexing and removing write 'delete' rows into the contentless gram table: they must
    name exactly the tokens once written, or the table goes wrong silently."""
    import random
    import sqlite3

    rng = random.Random(5)
    words = ["งบ", "ลา", "ยา", "ณ", "ประชุม", "budget", "๒๕๖๙", "คำสั่ง"]
    index = SearchIndex(tmp_path / "search.sqlite3")
    live: dict[int, IndexDoc] = {}
    for _ in range(400):
        uid = rng.randint(1, 40)
        roll = rng.random()
        if roll < 0.2:
            index.remove(1, [uid])
            live.pop(uid, None)
        else:
            body = " ".join(rng.choice(words) for _ in range(8)) if roll < 0.7 else None
            doc = IndexDoc(1, uid, 1_700_000_000 + rng.randint(0, 10_000), rng.choice(words), "", "", "", body)
            index.add([doc])
            previous = live.get(uid)
            if body is None and previous is not None and previous.body is not None:
                doc = IndexDoc(1, uid, doc.date, doc.subject, "", "", "", previous.body)
            live[uid] = doc
    conn = sqlite3.connect(index.path)
    conn.execute("INSERT INTO grams(grams, rank) VALUES ('integrity-check', 0)")
    from govmail_desktop.search.engine import AccountSource, SearchEngine
    from govmail_desktop.search.fold import fold
    from govmail_desktop.search.query import parse_query

    engine = SearchEngine([AccountSource("a", index, lambda: {1: ("INBOX", None)})])
    for word in words:
        expected = {u for u, d in live.items() if fold(word) in fold(d.subject) or fold(word) in fold(d.body or "")}
        assert {h.uid for h in engine.search(parse_query(word), limit=1000)} == expected, word
    engine.close_thread()
    conn.close()
    index.close()


def test_optimize_gives_freed_space_back(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "search.sqlite3")
    docs = [IndexDoc(1, uid, 1_700_000_000 + uid * 60, f"ประชุม {uid}", "", "", "", "งบประมาณ ลาป่วย " * 40 + str(uid))
            for uid in range(1, 1500)]
    index.add(docs)
    index.optimize()
    full = index.size_bytes()
    index.remove(1, range(1, 1400))
    index.optimize()
    assert index.size_bytes() < full / 3
    index.close()


def _corrupt(path: Path) -> Exception:
    import sqlite3

    from govmail_desktop.store.db import storage_error

    exc = sqlite3.DatabaseError("database disk image is malformed")
    exc.sqlite_errorname = "SQLITE_CORRUPT"
    return storage_error(exc, path)


def test_index_damage_found_while_indexing_rebuilds_it(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.add("INBOX", 1, "ประชุม", "งบ")
    world.settle()
    real_add = world.index.add
    calls: list[int] = []

    def failing_add(docs):
        calls.append(1)
        if len(calls) == 1:
            raise _corrupt(world.index.path)
        return real_add(docs)

    monkeypatch.setattr(world.index, "add", failing_add)
    world.add("INBOX", 2, "ประชุม", "ลา")
    world.settle()  # the failure resets the index; the reconcile fills it again
    assert world.index.rebuilt
    assert world.uids("ประชุม") == {1, 2}


def test_cache_damage_does_not_throw_the_index_away(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.add("INBOX", 1, "ประชุม", "งบ")
    world.settle()
    monkeypatch.setattr(world.cache, "get_part", lambda *a: (_ for _ in ()).throw(_corrupt(world.cache.path)))
    world.cache.put_part(world.folders["INBOX"], 1, "", b"Subject: x\r\n\r\ny")
    with pytest.raises(Exception, match="damaged"):
        world.indexer.run_pending()
    assert not world.index.rebuilt
    assert world.index.count() == 1
