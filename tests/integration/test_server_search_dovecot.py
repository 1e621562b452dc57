"""Server search on the real Dovecot: a message whose body is not on this computer is found
by the server's SEARCH (through the account's connection worker) and handed on as a hit
marked on_server; local hits are not repeated; Thai text and Thai digits; a folder the cache
does not hold; what IMAP cannot ask checked on the headers; offline skips the server part.

Three server profiles: Dovecot as it is (ESEARCH, LITERAL+), Dovecot answering as
mail.go.th's Zimbra (its capabilities: ESEARCH, LITERAL+, no SPECIAL-USE, no MOVE), and
one offering neither ESEARCH nor LITERAL+ (plain ``* SEARCH`` answers, synchronising
literals for the Thai text)."""

from __future__ import annotations

import email.utils
import uuid
from email.header import Header
from pathlib import Path
from types import SimpleNamespace

import pytest

from govmail_desktop.net import failures
from govmail_desktop.search.query import parse_query
from govmail_desktop.services.server_search import ServerSearch, ServerSearchOutcome
from govmail_desktop.services.sync_service import DONE, SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from tests.integration.sync_helpers import open_wire
from tests.servers.dovecot import zimbra_profile

pytestmark = pytest.mark.integration

USER = "alice"
ACCOUNT = "acct-1"
PLAIN_CAPABILITY = "IMAP4rev1 SASL-IR ID ENABLE IDLE UIDPLUS CONDSTORE QRESYNC UNSELECT CHILDREN NAMESPACE"
PROFILES = {
    "dovecot": {},
    "zimbra": zimbra_profile(),
    "no-esearch-no-literal+": {"capabilities": PLAIN_CAPABILITY},
}


def message(subject: str, body: str, *, sender: str = "สมชาย ใจดี <somchai@agency.go.th>",
            attachment: bool = False) -> bytes:
    name, _, address = sender.partition(" <")
    head = [
        f"From: {Header(name, 'utf-8').encode()} <{address}",
        "To: alice@localhost",
        f"Subject: {Header(subject, 'utf-8').encode()}",
        f"Date: {email.utils.formatdate(localtime=False)}",
        f"Message-ID: <{uuid.uuid4().hex}@agency.go.th>",
        "MIME-Version: 1.0",
    ]
    if not attachment:
        head += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
        return ("\r\n".join(head) + "\r\n\r\n" + body + "\r\n").encode("utf-8")
    head.append('Content-Type: multipart/mixed; boundary="b1"')
    parts = (
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
        'filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcK\r\n--b1--\r\n'
    )
    return ("\r\n".join(head) + "\r\n\r\n" + parts).encode("utf-8")


@pytest.fixture(params=sorted(PROFILES))
def profile(request) -> str:
    return request.param


def _open_account(server, tmp_path: Path, connect=None) -> SimpleNamespace:
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    wires: list = []

    def default_connect():
        wire = open_wire(server, USER)
        wires.append(wire)
        return wire

    sync = SyncService(cache, queue, connect or default_connect)
    sync.start(initial_sync=False)
    searcher = ServerSearch()
    searcher.add_account(ACCOUNT, sync, cache)
    return SimpleNamespace(cache=cache, queue=queue, sync=sync, searcher=searcher, wires=wires, server=server)


@pytest.fixture
def mailbox(qapp, fresh_dovecot, profile, tmp_path: Path):
    server = fresh_dovecot(**PROFILES[profile])
    uids = {
        "budget": server.append(USER, "INBOX", message(
            "รายงานการประชุม", "เรียน ผู้อำนวยการ\r\nขออนุมัติงบประมาณโครงการ ประจำปี ๒๕๖๙\r\n")),
        "lunch": server.append(USER, "INBOX", message("Lunch", "See you at noon", sender="Bob <bob@example.org>")),
        "subject": server.append(USER, "INBOX", message("งบประมาณ ไตรมาส 2", "ตามที่แนบมา", attachment=True)),
        "attached": server.append(USER, "INBOX", message(
            "ส่งเอกสาร", "แนบเอกสารงบประมาณมาด้วย", attachment=True)),
        "archived": server.append(USER, "Archive", message("ลาพักร้อน", "ขอลาพักร้อน ๓ วัน งบประมาณไม่เกี่ยว")),
    }
    acct = _open_account(server, tmp_path)
    acct.uids = uids
    acct.profile = profile
    yield acct
    acct.sync.stop()
    acct.cache.close()
    acct.queue.close()


def _sync_inbox(qtbot, acct) -> None:
    with qtbot.waitSignal(acct.sync.operationFinished, timeout=30_000) as finished:
        acct.sync.sync_folder("INBOX")
    assert finished.args[1] == DONE, finished.args[2]


def _search(qtbot, acct, text: str, folders, exclude=(), request_id: int = 1):
    hits: list = []
    acct.searcher.results.connect(lambda rid, found: hits.extend(found) if rid == request_id else None)
    with qtbot.waitSignal(acct.searcher.finished, timeout=30_000,
                          check_params_cb=lambda rid, _outcome: rid == request_id) as done:
        acct.searcher.start(request_id, parse_query(text), folders, exclude)
    outcome = done.args[1]
    assert isinstance(outcome, ServerSearchOutcome)
    return hits, outcome


def test_a_message_whose_body_is_not_cached_is_found_on_the_server(qtbot, mailbox):
    _sync_inbox(qtbot, mailbox)  # headers only: no body is on this computer
    folder_id = mailbox.cache.folder_id("INBOX")
    assert mailbox.cache.get_part(folder_id, mailbox.uids["budget"], "") is None
    # The local index found the message whose subject has the word; the server adds the rest.
    local = {(ACCOUNT, "INBOX", mailbox.uids["subject"])}
    hits, outcome = _search(qtbot, mailbox, "งบประมาณ", [(ACCOUNT, "INBOX")], local)
    assert outcome.searched == [(ACCOUNT, "INBOX")] and not outcome.offline and not outcome.problems
    assert sorted(h.uid for h in hits) == sorted([mailbox.uids["budget"], mailbox.uids["attached"]])
    by_uid = {h.uid: h for h in hits}
    budget = by_uid[mailbox.uids["budget"]]
    assert budget.on_server and not budget.body_indexed
    assert (budget.account_id, budget.folder) == (ACCOUNT, "INBOX")
    assert budget.subject == "รายงานการประชุม" and budget.sender == "สมชาย ใจดี"
    assert budget.date > 0 and not budget.has_attachments
    assert by_uid[mailbox.uids["attached"]].has_attachments
    assert outcome.found == 2 and not outcome.truncated
    plain = mailbox.profile == "no-esearch-no-literal+"
    wire = mailbox.wires[-1]
    assert wire.has("ESEARCH") != plain and wire.has("LITERAL+") != plain
    assert wire.has("SPECIAL-USE") == (mailbox.profile == "dovecot")
    # Nothing was downloaded or marked read by the search.
    assert mailbox.cache.get_part(folder_id, mailbox.uids["budget"], "") is None
    assert "\\Seen" not in mailbox.cache.summary(folder_id, mailbox.uids["budget"]).flags


def test_thai_digits_find_arabic_digits_and_english_words(qtbot, mailbox):
    _sync_inbox(qtbot, mailbox)
    hits, _ = _search(qtbot, mailbox, "2569", [(ACCOUNT, "INBOX")])
    assert [h.uid for h in hits] == [mailbox.uids["budget"]]
    hits, _ = _search(qtbot, mailbox, "noon -from:somchai", [(ACCOUNT, "INBOX")], request_id=2)
    assert [h.uid for h in hits] == [mailbox.uids["lunch"]]


def test_a_folder_the_cache_does_not_hold_has_its_headers_fetched(qtbot, mailbox):
    hits, outcome = _search(qtbot, mailbox, '"ลาพักร้อน ๓ วัน"', [(ACCOUNT, "Archive")])
    assert [h.uid for h in hits] == [mailbox.uids["archived"]]
    assert hits[0].subject == "ลาพักร้อน" and hits[0].on_server
    assert outcome.searched == [(ACCOUNT, "Archive")]


def test_what_imap_cannot_ask_is_checked_on_the_headers(qtbot, mailbox):
    _sync_inbox(qtbot, mailbox)
    hits, _ = _search(qtbot, mailbox, "งบประมาณ has:attachment", [(ACCOUNT, "INBOX")])
    assert sorted(h.uid for h in hits) == sorted([mailbox.uids["subject"], mailbox.uids["attached"]])
    hits, _ = _search(qtbot, mailbox, "งบประมาณ -has:attachment is:unread", [(ACCOUNT, "INBOX")], request_id=2)
    assert [h.uid for h in hits] == [mailbox.uids["budget"]]


def test_the_newest_are_kept_when_the_server_finds_too_many(qtbot, mailbox):
    _sync_inbox(qtbot, mailbox)
    mailbox.searcher.limit = 1
    hits, outcome = _search(qtbot, mailbox, "งบประมาณ", [(ACCOUNT, "INBOX")])
    assert [h.uid for h in hits] == [mailbox.uids["attached"]]  # the highest UID found
    assert outcome.truncated and "newest" in outcome.summary()


@pytest.mark.parametrize("profile", ["dovecot"], indirect=True)
def test_offline_skips_the_server_part_without_an_error(qtbot, qapp, fresh_dovecot, tmp_path: Path, profile):
    server = fresh_dovecot()

    def unreachable():
        raise failures.network_error(failures.CONNECTION_REFUSED, "127.0.0.1", server.imaps_port, "test")

    acct = _open_account(server, tmp_path, connect=unreachable)
    try:
        hits, outcome = _search(qtbot, acct, "งบประมาณ", [(ACCOUNT, "INBOX")])
        assert hits == [] and outcome.offline == [ACCOUNT] and outcome.searched == []
        assert "Offline" in outcome.summary()
    finally:
        acct.sync.stop()
        acct.cache.close()
        acct.queue.close()


@pytest.mark.parametrize("profile", ["zimbra"], indirect=True)
def test_search_service_merges_server_hits_with_local_ones(qtbot, mailbox):
    """The whole path: the local index finds the message whose subject has the word; the
    message whose body alone has it (not on this computer) comes from the server, marked."""
    from govmail_desktop.search.engine import SearchScope
    from govmail_desktop.services.search_service import SearchService

    _sync_inbox(qtbot, mailbox)
    service = SearchService()
    service.attach_server_search(mailbox.searcher)
    indexer = service.add_account(ACCOUNT, mailbox.cache)
    try:
        assert indexer.wait_idle(30)
        local: list = []
        server: list = []
        outcomes: list = []
        service.results.connect(lambda rid, hits: local.extend(hits))
        service.server_results.connect(lambda rid, hits: server.extend(hits))
        service.server_outcome.connect(lambda rid, outcome: outcomes.append(outcome))
        with qtbot.waitSignal(service.finished, timeout=30_000):
            service.search(7, "งบประมาณ", SearchScope(), "date")
        assert [h.uid for h in local] == [mailbox.uids["subject"]] and not local[0].on_server
        assert sorted(h.uid for h in server) == sorted([mailbox.uids["budget"], mailbox.uids["attached"]])
        assert all(h.on_server and h.folder == "INBOX" for h in server)
        assert outcomes and outcomes[0].searched == [(ACCOUNT, "INBOX")]
    finally:
        service.shutdown()
