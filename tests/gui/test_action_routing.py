"""Typed action results end to end: the mailbox facade, the adapter
and the real sync engine over the in-memory server (tests/unit/sync/fake_server.py).

An action starts with an id, is recorded once (``offline.record_action``), sent by the
engine, undone once (from the server's state) when refused, and ends once with
``action_settled(op_id, Outcome, error)``; the words for the user are made by the
message bridge alone, so Thai and English route the same. New mail arrives as the
UIDs that arrived.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import Flag
from govmail_desktop.core.errors import ActionRefused
from govmail_desktop.services.mailbox import MailboxService
from govmail_desktop.services.mailbox_types import ActionFailed
from govmail_desktop.services.message_bridge import MessageBridge
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.services.sync_service import SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.control import Backoff
from govmail_desktop.sync.folder_list import sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync
from govmail_desktop.ui.mailbox_models import MailboxModels
from tests.unit.sync.fake_server import FakeConnection, FakeServer

pytestmark = pytest.mark.gui


@dataclass
class Account:
    server: FakeServer
    engine: SyncService
    adapter: EngineSyncAdapter
    mailbox: MailboxService
    models: MailboxModels
    bridge: MessageBridge
    cache: MailCache
    queue: OfflineOpQueue
    inbox: int
    settled: list
    notices: list


@pytest.fixture
def open_account(qapp, tmp_path):
    """An account over a server with ``count`` Inbox messages, cached by an earlier
    session; the engine runs but syncs nothing unless asked (the tests decide when)."""
    opened: list[Account] = []

    def make(count: int = 5, *, lang: str = "th", name: str = "a") -> Account:
        server = FakeServer()
        server.add_folder("Trash", "\\Trash")
        server.add_folder("Archive", "\\Archive")
        server.add_messages("INBOX", count)
        cache = MailCache(tmp_path / name / "cache.sqlite3")
        queue = OfflineOpQueue(tmp_path / name / "ops.sqlite3")
        conn = prepare(server.connect())
        sync_folder_list(conn, cache)
        FolderSync(conn, cache).run("INBOX")
        conn.logout()
        engine = SyncService(cache, queue, server.connect, backoff=lambda: Backoff(initial=0.02, maximum=0.1, jitter=0))
        adapter = EngineSyncAdapter(engine, cache, queue)
        engine.setParent(adapter)
        bridge = MessageBridge(language=lambda: lang)
        mailbox = MailboxService(
            "acct", "Alice", cache, sync=adapter, offline_queue=queue, bridge=bridge, language=lambda: lang
        )
        models = MailboxModels(mailbox)
        inbox = cache.folder_id("INBOX")
        account = Account(server, engine, adapter, mailbox, models, bridge, cache, queue, inbox, [], [])
        mailbox.action_settled.connect(lambda *args: account.settled.append(args))
        bridge.message.connect(lambda level, text: account.notices.append((level, text)))
        engine.start(initial_sync=False)
        mailbox.show_folder(inbox)  # shown from the cache, no sync asked
        opened.append(account)
        return account

    yield make
    for account in opened:
        assert account.engine.stop(10)
        account.mailbox.shutdown()
        account.cache.close()
        account.queue.close()


def refused_mark_read(account: Account, qtbot) -> tuple:
    """Mark message 4 read; the server refuses the STORE. What reached the GUI, and how."""
    account.server.refuse["STORE"] = "CANNOT"
    op_id = account.mailbox.mark_read([4])
    qtbot.waitUntil(lambda: bool(account.settled), timeout=10000)
    [(settled_id, outcome, error)] = account.settled
    assert settled_id == op_id
    return (
        settled_id,
        type(outcome),
        outcome,
        type(error),
        error.code,
        type(error.cause),
        error.cause.reason,
        account.cache.flags_of(account.inbox, 4),
        account.queue.count(),
    )


def test_an_actions_outcome_reaches_the_gui_by_id_and_enum_alike_in_thai_and_english(open_account, qtbot):
    """The same refusal in both languages: identical routing (id, outcome, typed reason,
    the undo); only the bridge's sentence differs."""
    thai = open_account(lang="th", name="th")
    english = open_account(lang="en", name="en")
    routed_th = refused_mark_read(thai, qtbot)
    routed_en = refused_mark_read(english, qtbot)
    assert routed_th == routed_en
    op_id, outcome_type, outcome, error_type, code, cause_type, reason, flags, queued = routed_th
    assert (outcome_type, outcome, error_type, cause_type) == (Outcome, Outcome.FAILED, ActionFailed, ActionRefused)
    assert (code, reason, flags, queued) == ("action-failed:action-refused", ActionRefused.REFUSED, frozenset(), 0)
    [(level_th, text_th)] = [n for n in thai.notices if n[0]]
    [(level_en, text_en)] = [n for n in english.notices if n[0]]
    assert level_th == level_en == "error"
    assert text_th.startswith("ไม่สามารถทำเครื่องหมายว่าอ่านแล้วได้")
    assert text_en.startswith("Could not mark the messages as read; the change was undone.")
    assert "INBOX" in text_en and "INBOX" in text_th  # the engine's part, worded by the bridge too


def test_a_refused_action_is_undone_once_from_the_servers_state(open_account, qtbot):
    """Another client read message 4 while ours was queued; our STORE is refused. The one
    undo shows what the server has (read), not the state before the action (unread):
    a second, local undo would wrongly make it unread again."""
    account = open_account()
    assert Flag.SEEN not in account.cache.flags_of(account.inbox, 4)
    account.server.set_flags("INBOX", 4, ["\\Seen"])  # the other client
    account.server.refuse["STORE"] = "CANNOT"
    changed = []
    account.adapter.rows_changed.connect(lambda fid, uids: changed.append((fid, uids)))
    op_id = account.mailbox.mark_read([4])
    qtbot.waitUntil(lambda: bool(account.settled), timeout=10000)
    qtbot.wait(100)  # nothing more follows
    assert [(i, o) for i, o, _ in account.settled] == [(op_id, Outcome.FAILED)]
    assert account.cache.flags_of(account.inbox, 4) == account.server.state("INBOX")[4] == {"\\Seen"}
    assert account.queue.count() == 0 and account.mailbox.pending_ops == 0


def test_a_refused_move_comes_back_once_and_the_next_action_still_ends_done(open_account, qtbot):
    account = open_account()
    model = account.models.message_model
    qtbot.waitUntil(lambda: model.rowCount() == 5)
    account.server.refuse["MOVE"] = None
    inserted = []
    account.adapter.rows_inserted.connect(lambda fid, uids: inserted.append(list(uids)))
    archive = account.cache.folder_id("Archive")
    moved = account.mailbox.move([2], archive)
    qtbot.waitUntil(lambda: len(account.settled) == 1, timeout=10000)
    assert inserted == [[2]]  # put back once, by the engine's undo
    assert model.rowCount() == 5 and sorted(account.cache.known_uids(account.inbox)) == [1, 2, 3, 4, 5]
    flagged = account.mailbox.set_flagged([2])
    qtbot.waitUntil(lambda: len(account.settled) == 2, timeout=10000)
    assert [(i, o) for i, o, _ in account.settled] == [(moved, Outcome.FAILED), (flagged, Outcome.DONE)]
    assert account.server.state("INBOX")[2] == {"\\Flagged"}


def test_new_mail_is_announced_as_the_uids_that_arrived(open_account, qtbot, monkeypatch):
    """Two messages arrive, one of them unreadable: the notification is about the one
    that arrived and can be read, never about an older message guessed from a count."""
    account = open_account(3)
    news = []
    account.mailbox.new_mail.connect(news.append)
    real_response = FakeConnection._fetch_response

    def response(self, box, msg, items):
        data = real_response(self, box, msg, items)
        if msg.uid == 4 and "HEADER.FIELDS" in items:
            return data[: data.index(b" BODY[")] + b")\r\n"  # the header fields left out
        return data

    monkeypatch.setattr(FakeConnection, "_fetch_response", response)
    account.server.add_messages("INBOX", 2, subject="ด่วน")
    account.engine.sync_folder("INBOX")
    qtbot.waitUntil(lambda: bool(news), timeout=10000)
    [arrived] = news
    assert arrived.uids == (4, 5) and arrived.count == 2
    assert [m.uid for m in arrived.messages] == [5] and arrived.messages[0].subject == "ด่วน 5"
