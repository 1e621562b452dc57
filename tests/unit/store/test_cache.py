"""The mail cache: schema, migrations, sync writes, model reads, damage and disk errors."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from govmail_desktop.core.entities import Flag, FlagChange, Folder, FolderStatus, SpecialUse
from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.store import CACHE_FILE, MailCache, OfflineOpQueue, OpKind, SortKey, UidSet
from govmail_desktop.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from tests.unit.store.factories import STANDARD_FOLDERS, fill, summaries, summary


@pytest.fixture
def cache(tmp_path):
    c = MailCache(tmp_path / "acct" / CACHE_FILE)
    yield c
    c.close()


def all_uids(cache: MailCache, folder_id: int, sort: SortKey, descending: bool, page: int = 64) -> list[int]:
    out: list[int] = []
    offset = 0
    while True:
        rows = cache.page(folder_id, sort, descending, offset, page)
        out.extend(r.uid for r in rows)
        if len(rows) < page:
            return out
        offset += page


# ---------------------------------------------------------------- schema


def test_new_cache_lives_in_the_account_data_dir_with_wal_and_current_schema():
    cache = MailCache.for_account("somchai@dwr.mail.go.th")
    try:
        expected = AppPaths.default().data_dir / "accounts" / "somchai@dwr.mail.go.th" / "cache.sqlite3"
        assert cache.path == expected and expected.is_file()
        assert cache.schema_version() == SCHEMA_VERSION
        assert not cache.rebuilt
        conn = cache._conn()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"folders", "messages", "parts", "thread_order"} <= tables
    finally:
        cache.close()


def test_an_account_id_cannot_escape_the_accounts_directory():
    for bad in ("../other", "a/b", "", ".hidden", "x/../../y"):
        with pytest.raises(ValueError):
            MailCache.for_account(bad)


def test_sorted_pages_use_indexes_not_a_sort(cache):
    conn = cache._conn()
    for sort in SortKey:
        order = cache._order_by(sort, True)
        plan = " ".join(
            str(r[3])
            for r in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM messages WHERE folder_id=1 ORDER BY {order} LIMIT 10 OFFSET 5"
            )
        )
        assert "USE TEMP B-TREE" not in plan, (sort, plan)
        assert "INDEX" in plan


def test_an_older_cache_is_migrated_and_keeps_its_messages(tmp_path):
    path = tmp_path / CACHE_FILE
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    migrate(db, target=1)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.execute("INSERT INTO folders (id, name, delimiter, uidvalidity) VALUES (1, 'INBOX', '/', 7)")
    db.executemany(
        "INSERT INTO messages (folder_id, uid, flags, internaldate, size, subject) VALUES (1, ?, ?, ?, 10, ?)",
        [(1, 1, 100, "read"), (2, 0, 200, "unread"), (3, 0, 300, "unread too")],
    )
    db.close()

    cache = MailCache(path)
    try:
        assert not cache.rebuilt
        assert cache.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert cache.count(1) == 3
        assert cache.unread_count(1) == 2  # uses the index the migration added
        assert cache.ensure_thread_order(1)  # the table the migration added
        assert cache.thread_count(1) == 3
    finally:
        cache.close()


# ---------------------------------------------------------------- folders


def test_folders_are_upserted_and_removed_when_no_longer_listed(cache):
    ids = cache.upsert_folders(STANDARD_FOLDERS)
    assert set(ids) == {f.name for f in STANDARD_FOLDERS}
    trash = ids["Trash"]
    cache.insert_summaries(trash, summaries(1, 5))
    sent = cache.folder(ids["Sent"])
    assert sent.folder.special_use == SpecialUse.SENT and sent.folder.delimiter == "/"

    remaining = [f for f in STANDARD_FOLDERS if f.name != "Trash"]
    ids2 = cache.upsert_folders(remaining + [Folder("Sent", "/", SpecialUse.SENT, frozenset({"\\Sent", "\\Marked"}))])
    assert "Trash" not in ids2 and ids2["INBOX"] == ids["INBOX"]
    assert cache.count(trash) == 0
    assert cache.folder(ids["Sent"]).folder.attributes == frozenset({"\\Sent", "\\Marked"})
    assert cache.folder_id("Trash") is None


def test_folder_state_and_server_counts(cache):
    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    cache.set_folder_state(fid, uidvalidity=99, uidnext=10)
    cache.set_folder_state(fid, highestmodseq=1234)
    state = cache.folder(fid).state
    assert (state.uidvalidity, state.uidnext, state.highestmodseq) == (99, 10, 1234)
    cache.set_server_status({fid: FolderStatus(messages=50, unseen=4)})
    row = cache.folder(fid)
    assert (row.server_messages, row.server_unseen) == (50, 4)


def test_unread_counts_use_the_cache_once_synced_and_the_server_before(cache):
    ids = cache.upsert_folders(STANDARD_FOLDERS)
    inbox, sent = ids["INBOX"], ids["Sent"]
    cache.set_server_status({inbox: FolderStatus(unseen=40), sent: FolderStatus(unseen=3)})
    cache.insert_summaries(inbox, summaries(1, 10))  # uids 2,4,..,10 unread
    cache.set_folder_state(inbox, uidvalidity=1)
    counts = cache.unread_counts()
    assert counts[inbox] == 5  # synced: the cache's own count
    assert counts[sent] == 3  # not synced yet: the server's STATUS
    assert counts[ids["Drafts"]] == 0


# ---------------------------------------------------------------- messages


def test_insert_and_read_back_a_summary(cache):
    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    s = summary(5, subject="Re:\tงบ\x00ประมาณ\r\n", references=("<a@x>", "<b@x>"), in_reply_to="<b@x>")
    assert cache.insert_summaries(fid, [s]) == 1
    back = cache.summary(fid, 5)
    assert back.subject == "Re: งบ ประมาณ"  # control characters never reach a display field
    assert back.from_ == s.from_ and back.to == s.to
    assert back.internaldate == s.internaldate and back.date == s.date
    assert back.flags == s.flags and back.has_attachments == s.has_attachments
    assert back.references == ("<a@x>", "<b@x>") and back.in_reply_to == "<b@x>"
    assert back.message_id == "<m5@agency.go.th>"
    assert cache.summary(fid, 999) is None


def test_inserting_a_uid_again_updates_it_instead_of_duplicating(cache):
    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    cache.insert_summaries(fid, summaries(1, 3))
    cache.insert_summaries(fid, [summary(2, subject="แก้ไขแล้ว")])
    assert cache.count(fid) == 3
    assert cache.summary(fid, 2).subject == "แก้ไขแล้ว"


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", list(SortKey))
def test_pages_follow_the_sort_order_and_cover_every_row_once(cache, sort, descending):
    fid = fill(cache, count=300)
    uids = all_uids(cache, fid, sort, descending)
    assert sorted(uids) == list(range(1, 301))
    rows = {uid: cache.summary(fid, uid) for uid in uids}
    from govmail_desktop.store.keys import sender_sort_key, subject_sort_key

    def key(uid):
        s = rows[uid]
        ts = int(s.internaldate.timestamp())
        return {
            SortKey.DATE: (ts, uid),
            SortKey.SENDER: (sender_sort_key(s.from_), ts, uid),
            SortKey.SUBJECT: (subject_sort_key(s.subject), ts, uid),
            SortKey.SIZE: (s.size, uid),
        }[sort]

    assert uids == sorted(uids, key=key, reverse=descending)
    for probe in (0, 1, 150, 299):
        assert cache.position_of(fid, uids[probe], sort, descending) == probe


def test_date_order_is_newest_first_and_subject_order_ignores_reply_prefixes(cache):
    fid = fill(cache, count=20)
    assert [r.uid for r in cache.page(fid, SortKey.DATE, True, 0, 3)] == [20, 19, 18]
    subjects = [r.subject for r in cache.page(fid, SortKey.SUBJECT, False, 0, 20)]
    # "Re: Meeting notes" sorts under M, "ตอบกลับ: ประชุม" under ป — not under R / ต.
    keys = [s.split(" ", 1)[1] if s.startswith(("Re:", "ตอบกลับ:")) else s for s in subjects]
    assert keys == sorted(keys, key=str.casefold)


def test_update_flags_reports_only_real_changes_and_stores_the_modseq(cache):
    fid = fill(cache, count=10)
    changed = cache.update_flags(
        fid,
        {1: {Flag.SEEN}, 2: {Flag.SEEN}, 3: {Flag.SEEN, "$Work"}, 4: set(), 99: {Flag.SEEN}},
        highestmodseq=555,
    )
    # 1 was already \Seen only; 2 becomes read; 3 gains a keyword; 4 unchanged (unread); 99 unknown
    assert changed == [2, 3]
    assert cache.flags_of(fid, 3) == frozenset({Flag.SEEN, "$Work"})
    assert cache.folder(fid).highestmodseq == 555
    assert cache.update_flags(fid, [FlagChange(2, frozenset())]) == [2]
    assert cache.flags_of(fid, 2) == frozenset()


def test_change_flags_adds_and_removes_system_flags_and_keywords(cache):
    fid = fill(cache, count=10)
    assert cache.change_flags(fid, [2, 4], add=[Flag.SEEN]) == [2, 4]
    assert cache.change_flags(fid, [2, 4], add=[Flag.SEEN]) == []
    assert cache.change_flags(fid, [1, 2], remove=[Flag.SEEN], add=["$Todo"]) == [1, 2]
    assert cache.flags_of(fid, 1) == frozenset({"$Todo"})
    assert cache.change_flags(fid, [1], remove=["$Todo"]) == [1]
    assert cache.flags_of(fid, 1) == frozenset()


def test_expunge_removes_rows_and_parts_and_returns_their_keys(cache):
    fid = fill(cache, count=50)
    cache.put_part(fid, 10, "TEXT", b"body")
    keys = cache.expunge(fid, [10, 11, 12, 40, 777])
    assert sorted(k.uid for k in keys) == [10, 11, 12, 40]
    assert cache.count(fid) == 46
    assert cache.get_part(fid, 10, "TEXT") is None
    assert cache.known_uids(fid).ranges == [(1, 9), (13, 39), (41, 50)]
    assert cache.expunge(fid, UidSet.from_imap("1:5")) and cache.count(fid) == 41
    assert cache.max_uid(fid) == 50


def test_uidvalidity_reset_drops_only_that_folders_messages(cache):
    ids = cache.upsert_folders(STANDARD_FOLDERS)
    inbox, sent = ids["INBOX"], ids["Sent"]
    cache.insert_summaries(inbox, summaries(1, 20))
    cache.insert_summaries(sent, summaries(1, 5))
    cache.put_part(inbox, 3, "1", b"x")
    cache.set_folder_state(inbox, uidvalidity=1, uidnext=21, highestmodseq=9)
    assert cache.reset_folder(inbox, uidvalidity=2) == 20
    assert cache.count(inbox) == 0 and cache.count(sent) == 5
    assert cache.get_part(inbox, 3, "1") is None
    state = cache.folder(inbox).state
    assert (state.uidvalidity, state.uidnext, state.highestmodseq) == (2, None, None)
    assert not cache.known_uids(inbox)


def test_parts_are_kept_per_folder_uid_and_part(cache):
    fid = fill(cache, count=3)
    cache.put_part(fid, 1, "1.2", b"\x00\xffpdf")
    cache.put_part(fid, 1, "TEXT", "ข้อความ".encode())
    cache.put_part(fid, 1, "TEXT", b"replaced")
    assert cache.get_part(fid, 1, "1.2") == b"\x00\xffpdf"
    assert cache.get_part(fid, 1, "TEXT") == b"replaced"
    assert cache.parts_of(fid, 1) == ["1.2", "TEXT"]
    assert cache.get_part(fid, 2, "TEXT") is None


def test_thread_order_groups_replies_under_their_parents(cache):
    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    cache.insert_summaries(
        fid,
        [
            summary(1, message_id="<root@x>"),
            summary(2, message_id="<other@x>"),
            summary(3, message_id="<r1@x>", in_reply_to="<root@x>", references=("<root@x>",)),
            summary(4, message_id="<r2@x>", in_reply_to="<r1@x>", references=("<root@x>", "<r1@x>")),
        ],
    )
    assert cache.ensure_thread_order(fid)
    assert not cache.ensure_thread_order(fid)  # still valid
    order = [(r.uid, depth) for r, depth in cache.thread_page(fid, 0, 10)]
    assert order == [(1, 0), (3, 1), (4, 2), (2, 0)]  # newest activity first (uid 4)
    cache.insert_summaries(fid, [summary(5, message_id="<new@x>")])
    assert cache.ensure_thread_order(fid)  # an insert made it stale
    assert cache.thread_position_of(fid, 5) == 0


def test_a_writer_thread_and_a_reader_thread_work_at_once(cache):
    fid = fill(cache, count=10)
    errors: list[BaseException] = []

    def write():
        try:
            for start in range(11, 2011, 100):
                cache.insert_summaries(fid, summaries(start, start + 99))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def write_and_close():
        write()
        cache.close_thread()  # a finishing worker gives its connection back

    writer = threading.Thread(target=write_and_close)
    writer.start()
    seen, paged = [], []
    try:
        while writer.is_alive():
            n = cache.count(fid)
            seen.append(n)
            paged.append((n, len(cache.page(fid, SortKey.DATE, True, 0, 50))))
    finally:
        writer.join()
    assert all(rows >= min(50, n) for n, rows in paged)  # a later read never sees fewer rows
    assert not errors
    assert cache.count(fid) == 2010
    assert cache._conns.open_count == 1  # only this thread's connection is left
    assert seen == sorted(seen)  # each read saw a committed batch, never a partial one
    assert all((n - 10) % 100 == 0 for n in seen)


# ---------------------------------------------------------------- damage: rebuilt empty


def _filled_file(tmp_path: Path) -> Path:
    path = tmp_path / "acct" / CACHE_FILE
    cache = MailCache(path)
    fill(cache, count=3000)
    cache.close()
    assert not path.with_name(CACHE_FILE + "-wal").exists()  # a clean close removes the WAL
    return path


def _assert_rebuilt_and_usable(path: Path, reason_part: str) -> None:
    cache = MailCache(path)
    try:
        assert cache.rebuilt, "the damaged cache should have been rebuilt"
        assert reason_part in (cache.rebuild_reason or "")
        assert cache.schema_version() == SCHEMA_VERSION
        assert cache.folders() == []
        fid = fill(cache, count=5)
        assert cache.count(fid) == 5
        assert path.with_name(CACHE_FILE + ".broken").exists()
    finally:
        cache.close()
    again = MailCache(path)
    assert not again.rebuilt  # the rebuilt file is fine next time
    again.close()


def test_a_truncated_cache_is_rebuilt(tmp_path):
    path = _filled_file(tmp_path)
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    _assert_rebuilt_and_usable(path, "truncated")


def test_a_cache_of_garbage_bytes_is_rebuilt(tmp_path):
    path = _filled_file(tmp_path)
    path.write_bytes(os.urandom(64 * 1024))
    _assert_rebuilt_and_usable(path, "not an SQLite database")


def test_a_tiny_non_database_file_is_rebuilt(tmp_path):
    path = tmp_path / "acct" / CACHE_FILE
    path.parent.mkdir(parents=True)
    path.write_text("hello")
    _assert_rebuilt_and_usable(path, "not an SQLite database")


def test_a_cache_from_a_newer_app_is_rebuilt(tmp_path):
    path = _filled_file(tmp_path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    _assert_rebuilt_and_usable(path, "newer")


def test_damage_found_while_running_is_reported_and_rebuilt_next_time(tmp_path):
    path = _filled_file(tmp_path)
    size = path.stat().st_size
    with open(path, "r+b") as fh:  # keep the header and schema, smash the data behind them
        fh.seek(size // 2)
        fh.write(b"\xa5" * (size - size // 2))
    cache = MailCache(path, verify=False)
    assert not cache.rebuilt  # the header looked fine
    with pytest.raises(StorageError) as info:
        for sort in SortKey:
            cache.page(1, sort, True, 0, 3000)
        cache.known_uids(1)
        cache.thread_refs(1)
    assert info.value.code == "cache-corrupt"
    assert "rebuilt" in info.value.user_text("en")
    cache.close()
    _assert_rebuilt_and_usable(path, "damaged")


def test_verify_finds_damage_the_header_does_not_show(tmp_path):
    path = _filled_file(tmp_path)
    with open(path, "r+b") as fh:
        fh.seek(3 * 8192 + 100)
        fh.write(b"\x00\xff" * 2000)
    cache = MailCache(path, verify=True)
    try:
        assert cache.rebuilt and "quick_check" in cache.rebuild_reason
    finally:
        cache.close()


def test_closing_waits_for_a_call_in_progress_on_another_thread(cache):
    fid = fill(cache, count=10)
    started, errors = threading.Event(), []

    def slow(_uid):
        started.set()
        threading.Event().wait(0.3)  # the insert is still running when close() starts
        return 1

    def worker():
        try:
            conn = cache._conn()
            conn.create_function("slow", 1, slow)
            conn.execute(
                "CREATE TEMP TRIGGER slow_insert AFTER INSERT ON main.messages BEGIN SELECT slow(new.uid); END"
            )
            cache.insert_summaries(fid, [summary(11)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    assert started.wait(5)
    cache.close()  # must wait: closing a connection mid-statement crashes SQLite
    t.join()
    assert not errors
    assert cache.count(fid) == 11  # the insert finished; the cache reopens on the next call


def test_rebuild_now_makes_other_threads_reopen(cache):
    fid = fill(cache, count=10)
    result = {}

    def read_in_thread():
        result["before"] = cache.count(fid)

    t = threading.Thread(target=read_in_thread)
    t.start()
    t.join()
    cache.rebuild("test")
    assert cache.rebuilt and cache.folders() == []
    t = threading.Thread(target=lambda: result.setdefault("after", cache.folders()))
    t.start()
    t.join()
    assert result == {"before": 10, "after": []}


def test_the_offline_queue_survives_a_cache_rebuild(tmp_path):
    path = _filled_file(tmp_path)
    queue = OfflineOpQueue(path.with_name("ops.sqlite3"))
    seq = queue.enqueue(OpKind.MOVE, "INBOX", 1234, [5, 6, 7], target="Archive")
    queue.close()
    path.write_bytes(b"garbage" * 1000)
    cache = MailCache(path)
    assert cache.rebuilt
    cache.close()
    queue = OfflineOpQueue(path.with_name("ops.sqlite3"))
    try:
        [op] = queue.pending()
        assert (op.seq, op.kind, op.folder, op.target, list(op.uids)) == (
            seq, OpKind.MOVE, "INBOX", "Archive", [5, 6, 7]
        )
        assert not queue.recovered_from_damage
    finally:
        queue.close()


# ---------------------------------------------------------------- disk errors: StorageError


def test_a_full_disk_is_a_storage_error_saying_so(cache):
    fid = fill(cache, count=10)
    pages = cache._conn().execute("PRAGMA page_count").fetchone()[0]
    cache._conn().execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk full"
    with pytest.raises(StorageError) as info:
        cache.insert_summaries(fid, summaries(11, 5000))
    assert info.value.code == "disk-full"
    assert "disk is full" in info.value.user_text("en")
    assert cache.count(fid) == 10  # the failed batch left nothing half-written


_READ_ONLY_PROBE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from govmail_desktop.core.errors import StorageError
    from govmail_desktop.store import MailCache
    try:
        cache = MailCache(Path(sys.argv[1]))
        if len(sys.argv) > 2:
            cache.upsert_folders([])
            cache.set_folder_state(1, uidvalidity=5)
    except StorageError as exc:
        print(exc.code, "|", exc.user_text("en"))
    else:
        print("no error")
    """
)


def _run_as_unprivileged(path: Path, *extra: str) -> str:
    """Run the probe where file permissions apply: as root, without the capabilities
    that let root ignore them (setpriv drops CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-c", _READ_ONLY_PROBE, str(path), *extra]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    out = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=str(Path(__file__).resolve().parents[3]), timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.linux_only  # permission bits, setpriv
def test_a_read_only_data_directory_is_a_storage_error_with_an_actionable_message():
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="govmail-ro-"))
    try:
        os.chmod(base, 0o555)  # nobody (or we) may enter it but not create anything
        out = _run_as_unprivileged(base / "accounts" / "a" / CACHE_FILE)
        assert out.startswith("read-only |"), out
        assert f"data folder {base}." in out and "write access" in out  # names the folder that refused
    finally:
        os.chmod(base, 0o755)
        os.rmdir(base)


@pytest.mark.linux_only  # permission bits, setpriv
def test_an_existing_cache_we_may_not_write_is_a_storage_error(tmp_path):
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="govmail-ro-"))
    try:
        path = base / "acct" / CACHE_FILE
        cache = MailCache(path)
        fill(cache, count=5)
        cache.close()
        os.chmod(base, 0o755)
        os.chmod(path.parent, 0o555)
        os.chmod(path, 0o444)
        assert _run_as_unprivileged(path, "write").startswith("read-only |")
    finally:
        for p in (base / "acct", base):
            os.chmod(p, 0o755)
        shutil.rmtree(base)


# ---------------------------------------------------------------- bulk load


def _index_names(cache: MailCache) -> set[str]:
    return {r[0] for r in cache._conn().execute("SELECT name FROM sqlite_master WHERE type='index'")}


def test_bulk_load_drops_the_random_order_sort_indexes_and_rebuilds_them(cache):
    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    with cache.bulk_load():
        with cache.bulk_load():  # nested: one drop, one rebuild
            cache.insert_summaries(fid, summaries(1, 500))
        assert not {"messages_by_sender", "messages_by_subject", "messages_by_size"} & _index_names(cache)
        assert "messages_by_date" in _index_names(cache)  # the date order arrives in order: kept up
        # Sorting by sender and size still works meanwhile (a temporary sort).
        during = all_uids(cache, fid, SortKey.SENDER, False)
        by_size = all_uids(cache, fid, SortKey.SIZE, True)
    assert {"messages_by_sender", "messages_by_subject", "messages_by_size"} <= _index_names(cache)
    assert all_uids(cache, fid, SortKey.SENDER, False) == during and len(during) == 500
    assert all_uids(cache, fid, SortKey.SIZE, True) == by_size and len(by_size) == 500


def test_indexes_lost_in_a_crash_during_a_bulk_load_come_back_at_open(tmp_path):
    path = tmp_path / "acct" / CACHE_FILE
    cache = MailCache(path)
    fill(cache, count=50)
    cache._drop_sort_indexes()  # as if the app died inside bulk_load()
    cache.close()
    cache = MailCache(path)
    try:
        assert {"messages_by_sender", "messages_by_subject", "messages_by_size"} <= _index_names(cache)
        assert not cache.rebuilt and cache.count(1) == 50
    finally:
        cache.close()


def test_summaries_may_carry_unix_seconds_and_any_name_email_address(cache):
    """The fast sync path hands over wire-parser values without building datetimes."""
    from typing import NamedTuple

    class WireAddress(NamedTuple):
        name: str
        email: str

    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    sender = (WireAddress("", "x@y.go.th"),)
    cache.insert_summaries(fid, [summary(1, internaldate=1_793_700_000, date=None, from_=sender)])
    back = cache.summary(fid, 1)
    assert int(back.internaldate.timestamp()) == 1_793_700_000 and back.date is None
    assert back.from_[0].email == "x@y.go.th"
    assert cache.page(fid, SortKey.DATE, True, 0, 1)[0].from_display == "x@y.go.th"


def test_a_slow_open_is_told_from_the_file_header(tmp_path):
    """MailCache.slow_open_expected: an old schema or a crashed session's WAL, in a big file."""
    path = tmp_path / CACHE_FILE
    assert not MailCache.slow_open_expected(path, 0)  # no file: a new cache, quick
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    migrate(db, target=SCHEMA_VERSION - 1)
    db.close()
    assert MailCache.slow_open_expected(path, 0)  # an older schema: a migration
    assert not MailCache.slow_open_expected(path, path.stat().st_size + 1)  # too small to matter
    MailCache(path).close()
    assert not MailCache.slow_open_expected(path, 0)  # current and closed cleanly
    crashed = sqlite3.connect(path, isolation_level=None)  # a session still open: its WAL is there
    crashed.execute("INSERT INTO folders (name, delimiter) VALUES ('INBOX', '/')")
    try:
        assert path.with_name(path.name + "-wal").stat().st_size > 0
        assert MailCache.slow_open_expected(path, 0)  # the open checks the whole file
    finally:
        crashed.close()
    path.write_bytes(b"not a database" * 10)
    assert not MailCache.slow_open_expected(path, 0)  # set aside and started empty: quick


@pytest.mark.parametrize("sort", [SortKey.DATE, SortKey.SUBJECT, SortKey.SENDER])
def test_page_uids_are_the_uids_of_the_page_rows(cache, sort):
    """MailCache.page_uids (a big selection) reads what page() reads, filtered or not."""
    from govmail_desktop.store.list_filter import ListFilter

    fid = fill(cache, count=300)
    for where in (None, ListFilter(unread=True), ListFilter(uids=frozenset(range(1, 300, 7)))):
        for descending in (True, False):
            rows = cache.page(fid, sort, descending, 10, 120, where)
            assert rows, (sort, where)
            assert cache.page_uids(fid, sort, descending, 10, 120, where) == [r.uid for r in rows]
