"""sync/body_download.py without a server: which messages and which parts the search download
takes, and how one batch behaves (resumes, yields to the user, cancels, stops on a full disk).
The real fetch path (BODYSTRUCTURE, sections, the skeleton) runs against Dovecot in
tests/integration/test_body_download_dovecot.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from govmail_desktop.core.entities import Folder, SpecialUse
from govmail_desktop.core.errors import Cancelled, ServerError, StorageError
from govmail_desktop.mime.skeleton import SEARCH_TEXT_PART, SKELETON_PART
from govmail_desktop.net.imap.bodystructure import parse_bodystructure_bytes
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import body_download
from govmail_desktop.sync.body_download import Wanted, download_batch, text_plan, wanted
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.part_fetch import BODY, LEFT_OUT, SkeletonUnusable
from tests.unit.store.factories import summary
from tests.unit.sync.test_part_fetch import STRUCTURE

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
FOLDERS = (
    Folder("INBOX"),
    Folder("Sent", special_use=SpecialUse.SENT, attributes=frozenset({"\\Sent"})),
    Folder("Trash", special_use=SpecialUse.TRASH, attributes=frozenset({"\\Trash"})),
    Folder("Junk", special_use=SpecialUse.JUNK, attributes=frozenset({"\\Junk"})),
    Folder("All Mail", special_use=SpecialUse.ALL, attributes=frozenset({"\\All"})),
    Folder("โครงการ"),
    Folder("ไม่ได้บอกรับ", subscribed=False),
)


def test_the_text_plan_keeps_the_text_the_preview_shows_and_nothing_else():
    assert text_plan(parse_bodystructure_bytes(STRUCTURE)) == {
        "1.1.1": BODY,  # text/plain of the body
        "1.1.2": BODY,  # its HTML version
        "1.2": LEFT_OUT,  # an image of the HTML body, small as it is
        "1.3": LEFT_OUT,
        "2": LEFT_OUT,  # the PDF
        "3": LEFT_OUT,  # a small CSV file: an attachment, though text
        "4": LEFT_OUT,  # a text file attached
        "5": LEFT_OUT,  # attached messages, small or big
        "6": LEFT_OUT,
    }


def test_a_single_part_message_keeps_its_one_text_part():
    root = parse_bodystructure_bytes(b'("TEXT" "HTML" ("CHARSET" "tis-620") NIL NIL "8BIT" 1200 30 NIL NIL NIL NIL)')
    assert text_plan(root) == {root.part: BODY}


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def cache(tmp_path):
    store = MailCache(tmp_path / "cache.sqlite3")
    ids = store.upsert_folders(FOLDERS)
    # uid = 100 * folder index + age in days: ages 1, 5, 29, 31 and 400 in every folder
    for index, folder in enumerate(FOLDERS, start=1):
        store.insert_summaries(ids[folder.name], [
            summary(index * 100 + age, internaldate=days_ago(age + 0.5)) for age in (1, 5, 29, 31, 400)
        ])
    yield store
    store.close()


def ids_of(cache: MailCache) -> dict[str, int]:
    return {f.name: f.id for f in cache.folders()}


def test_wanted_is_the_last_n_days_of_every_synced_folder_newest_first_but_junk_and_trash(cache):
    found = wanted(cache, 30, now=NOW.timestamp())
    assert [(w.folder, w.uid) for w in found] == [
        ("INBOX", 101), ("INBOX", 105), ("INBOX", 129),
        ("Sent", 201), ("Sent", 205), ("Sent", 229),
        ("โครงการ", 601), ("โครงการ", 605), ("โครงการ", 629),
    ]  # not Trash, Junk, the virtual All Mail, or a folder the user does not subscribe to
    ids = ids_of(cache)
    assert all(w.folder_id == ids[w.folder] for w in found)


def test_more_days_take_older_mail_and_zero_days_takes_none(cache):
    assert [w.uid for w in wanted(cache, 45, now=NOW.timestamp()) if w.folder == "INBOX"] == [101, 105, 129, 131]
    assert [w.uid for w in wanted(cache, 2, now=NOW.timestamp())] == [101, 201, 601]
    assert wanted(cache, 0, now=NOW.timestamp()) == []


@pytest.mark.parametrize("part", ["", SKELETON_PART, SEARCH_TEXT_PART])
def test_a_message_whose_text_is_cached_is_not_wanted_again(cache, part):
    inbox = ids_of(cache)["INBOX"]
    cache.put_part(inbox, 105, part, b"Subject: x\r\n\r\ntext\r\n")
    cache.put_part(inbox, 129, "FILE 2", b"%PDF")  # a downloaded file is not the text
    assert [w.uid for w in wanted(cache, 30, now=NOW.timestamp()) if w.folder == "INBOX"] == [101, 129]


def test_skipped_messages_are_not_wanted(cache):
    inbox = ids_of(cache)["INBOX"]
    assert [w.uid for w in wanted(cache, 30, now=NOW.timestamp(), skip=[(inbox, 101)])][:2] == [105, 129]


# -- one batch ----------------------------------------------------------------------------------


class Conn:
    """Only what download_batch itself uses of a connection: SELECT (folders it refuses)."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.selected: str | None = None
        self.refuse = refuse
        self.selects: list[str] = []

    def select(self, folder: str) -> None:
        self.selects.append(folder)
        if folder in self.refuse:
            raise ServerError(detail=f"NO [NONEXISTENT] {folder}")
        self.selected = folder


@pytest.fixture
def fetched(monkeypatch):
    """The skeleton fetch replaced: records (folder, uid) and returns a text-only message."""
    calls: list[tuple[str | None, int]] = []
    hooks: dict[int, object] = {}

    def fake_fetch(conn, uid, cancelled=lambda: False, *, choose=None):
        assert choose is text_plan
        calls.append((conn.selected, uid))
        hook = hooks.get(uid)
        if isinstance(hook, Exception):
            raise hook
        if callable(hook):
            hook()
        return f"Subject: {uid}\r\n\r\nข้อความ {uid}\r\n".encode()

    monkeypatch.setattr(body_download, "fetch_skeleton", fake_fetch)
    return calls, hooks


def run(cache, conn=None, cancel=None, **kw):
    kw.setdefault("now", NOW.timestamp())
    kw.setdefault("min_free", 0)
    return download_batch(conn or Conn(), cache, 30, cancel or CancelToken(), **kw)


def test_a_batch_keeps_the_text_under_the_search_part_and_the_next_goes_on_from_there(cache, fetched):
    calls, _ = fetched
    first = run(cache, batch=4)
    assert [(w.folder, w.uid) for w in first.fetched] == [("INBOX", 101), ("INBOX", 105), ("INBOX", 129), ("Sent", 201)]
    assert first.remaining == 5 and not first.yielded
    inbox = ids_of(cache)["INBOX"]
    assert cache.get_part(inbox, 101, SEARCH_TEXT_PART) == "Subject: 101\r\n\r\nข้อความ 101\r\n".encode()
    assert cache.get_part(inbox, 101, "") is None  # the preview's own part is left to the preview
    second = run(cache, batch=100)  # as after a restart: only what is missing
    assert [w.uid for w in second.fetched] == [205, 229, 601, 605, 629]
    assert second.remaining == 0
    assert [uid for _, uid in calls] == [101, 105, 129, 201, 205, 229, 601, 605, 629]  # none twice
    assert run(cache).fetched == []


def test_progress_counts_on_from_earlier_batches(cache, fetched):
    seen: list[tuple[int, int]] = []
    run(cache, batch=2, progress=lambda done, total: seen.append((done, total)), done_before=10)
    assert seen == [(10, 19), (11, 19), (12, 19)]


def test_the_batch_stops_as_soon_as_the_users_work_waits(cache, fetched):
    calls, hooks = fetched
    waiting = []
    hooks[105] = lambda: waiting.append("the user clicked a message")  # arrives during the 2nd fetch
    result = run(cache, batch=20, should_yield=lambda: bool(waiting))
    assert [uid for _, uid in calls] == [101, 105]  # the one in flight is finished, no more
    assert result.yielded and result.remaining == 7


def test_a_cancel_stops_between_two_messages(cache, fetched):
    calls, hooks = fetched
    cancel = CancelToken()
    hooks[105] = cancel.cancel
    with pytest.raises(Cancelled):
        run(cache, cancel=cancel)
    inbox = ids_of(cache)["INBOX"]
    assert [uid for _, uid in calls] == [101, 105]
    assert cache.get_part(inbox, 101, SEARCH_TEXT_PART) is not None
    assert cache.get_part(inbox, 105, SEARCH_TEXT_PART) is None  # fetched, but cancelled before kept


def test_little_free_disk_stops_the_download_with_the_disk_full_error(cache, fetched):
    calls, _ = fetched
    with pytest.raises(StorageError) as info:
        run(cache, min_free=1 << 62)
    assert info.value.code == "disk-full"
    assert "disk space" in info.value.user_text("en") and calls == []


def test_a_full_disk_while_keeping_the_text_ends_the_batch_with_the_caches_error(cache, fetched, monkeypatch):
    import sqlite3

    def full(*_args):
        raise cache._failure(sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(cache, "put_part", full)
    with pytest.raises(StorageError) as info:
        run(cache)
    assert info.value.code == "disk-full"


def test_a_folder_the_server_refuses_is_skipped_and_reported(cache, fetched):
    calls, _ = fetched
    result = run(cache, conn=Conn(refuse=frozenset({"Sent"})), batch=20)
    assert result.failed_folders == ["Sent"]
    assert [uid for _, uid in calls] == [101, 105, 129, 601, 605, 629]
    assert result.remaining == 0


def test_a_message_whose_structure_cannot_be_used_is_reported_and_the_rest_go_on(cache, fetched):
    _, hooks = fetched
    hooks[105] = SkeletonUnusable("nested too deep")
    result = run(cache, batch=3)
    assert [w.uid for w in result.unusable] == [105]
    assert [w.uid for w in result.fetched] == [101, 129]
    inbox = ids_of(cache)["INBOX"]
    again = run(cache, batch=1, skip=[(inbox, 105)])
    assert [w.uid for w in again.fetched] == [201]
    assert Wanted("INBOX", inbox, 105) not in again.fetched
