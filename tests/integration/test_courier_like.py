"""The test Dovecot made to answer as Courier-IMAP does.

The header sync reads the section however the server spells it. Courier echoes the header
field list quoted (``BODY[HEADER.FIELDS ("DATE" "FROM" ...)]``).
The test Dovecot echoes the list as it was asked for, so asking it with quoted, mixed-case
names in another order makes the real server answer exactly in Courier's spelling
(``BODY[HEADER.FIELDS ("CONTENT-TYPE" "REFERENCES" ...)]``): every sample must still be
stored, with the same rows as the usual spelling gives, and nothing skipped.

A SELECT without ``[UIDNEXT]`` must not keep the folder "initial" forever.
The client's connection is narrowed to what Courier offers (its capabilities: no
QRESYNC, CONDSTORE, ESEARCH) and its SELECT answer loses UIDNEXT; the mail, the
header echo, IDLE and the other client's APPEND are the real server's.
"""

from __future__ import annotations

import threading
import uuid

import pytest

from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import convert
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from govmail_desktop.sync.idle import IdleLoop
from tests.integration.sync_helpers import cache_state, fill, make_message, open_wire, server_state
from tests.servers.fake_net import loopback_policy
from tests.unit.sync.conftest import RecordingListener
from tests.unit.sync.fake_server import COURIER_CAPS

pytestmark = pytest.mark.integration

QUOTED_ITEMS = (
    'UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ("Content-Type" "references" "In-Reply-To" '
    '"message-id" "Subject" "cc" "To" "From" "date")]'
)


def _sync(server, path, items):
    cache = MailCache(path)
    wire = open_wire(server, "alice")
    try:
        options = SyncOptions(first_batch=3, growth=2, max_chunk=8, write_batch=4, items=items)
        result = FolderSync(wire, cache, None, None, options).run("INBOX")
    finally:
        wire.logout()
    db = cache._conn()  # every stored column is compared
    rows = [r[2:] for r in db.execute("SELECT * FROM messages ORDER BY uid")]
    return result, cache, rows


def test_quoted_header_field_echo_stores_every_sample(seeded_dovecot, tmp_path):
    inbox = [s for s in seeded_dovecot.seeded if s.user == "alice" and s.folder == "INBOX"]
    assert len(inbox) >= 8
    # The server really answers in Courier's spelling.
    wire = open_wire(seeded_dovecot, "alice")
    try:
        wire.select("INBOX", readonly=True)
        (msg,) = wire.fetch(str(inbox[0].uid), QUOTED_ITEMS)
        assert list(msg.sections) == [
            (
                'BODY[HEADER.FIELDS ("CONTENT-TYPE" "REFERENCES" "IN-REPLY-TO" "MESSAGE-ID" "SUBJECT" "CC" "TO" "FROM" '
                '"DATE")]'
            )
        ]
    finally:
        wire.logout()

    quoted, cache, quoted_rows = _sync(seeded_dovecot, tmp_path / "quoted.sqlite3", QUOTED_ITEMS)
    try:
        assert (quoted.fetched, quoted.skipped) == (len(inbox), 0)
        assert cache_state(cache, "INBOX") == server_state(seeded_dovecot, "alice", "INBOX")
        fid = cache.folder_id("INBOX")
        for sample in inbox:
            summary = cache.summary(fid, sample.uid)
            assert summary.subject == sample.expect["subject"], sample.file
            assert summary.from_[0].name == sample.expect["from_name"], sample.file
    finally:
        cache.close()
    plain, plain_cache, plain_rows = _sync(seeded_dovecot, tmp_path / "plain.sqlite3", convert.SUMMARY_ITEMS)
    plain_cache.close()
    assert (plain.fetched, plain.skipped) == (len(inbox), 0)
    assert quoted_rows == plain_rows


def courier_like_wire(server, user="alice"):
    """The app's connection (through the policy) offering only Courier's capabilities,
    and whose SELECT answers carry no UIDNEXT (nor HIGHESTMODSEQ) — as Courier's do."""
    policy = loopback_policy(ca_file=server.ca_file)
    session = ImapSession.connect(Endpoint("127.0.0.1", server.imaps_port, "tls"), policy, timeout=15)
    try:
        session.login(user, server.users[user])
    except BaseException:
        session.close()
        raise
    wire = wire_from_session(session, timeout=15)
    wire.capabilities = frozenset(COURIER_CAPS)  # before anything is ENABLEd or asked
    real_select = wire.select

    def select_without_uidnext(*args, **kwargs):
        info = real_select(*args, **kwargs)
        info.uidnext = None
        info.highest_modseq = None  # Courier has no CONDSTORE (Dovecot tells it unasked)
        return info

    wire.select = select_without_uidnext
    return wire


def _courier_sync(server, cache, folder, listener=None):
    wire = courier_like_wire(server)
    try:
        options = SyncOptions(first_batch=3, growth=2, max_chunk=8, write_batch=4, items=QUOTED_ITEMS)
        return FolderSync(wire, cache, listener, None, options).run(folder)
    finally:
        wire.logout()


def test_without_uidnext_mail_arriving_while_idle_is_announced(dovecot, tmp_path):
    folder = f"courier-{uuid.uuid4().hex[:6]}"
    fill(dovecot, "alice", folder, 12)
    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        first = _courier_sync(dovecot, cache, folder)
        assert (first.mode, first.fetched, first.skipped) == ("initial", 12, 0)
        fid = cache.folder_id(folder)
        assert cache.folder(fid).uidnext == max(cache.known_uids(fid)) + 1  # complete

        changed = threading.Event()
        stop = CancelToken()
        idle_wire = courier_like_wire(dovecot)
        loop = IdleLoop(idle_wire, lambda events: changed.set(), stop, folder=folder, wake_every=0.2)
        watcher = threading.Thread(target=loop.run, daemon=True)
        watcher.start()
        try:
            for _ in range(100):
                if loop.watching:
                    break
                stop.wait(0.05)
            assert loop.watching
            message_id = f"<{uuid.uuid4().hex}@agency.go.th>"
            dovecot.append("alice", folder, make_message("หนังสือด่วนที่สุด", message_id=message_id))
            assert changed.wait(15), "IDLE reported nothing after another client's APPEND"
        finally:
            stop.cancel()
            watcher.join(10)
            idle_wire.logout()
        listener = RecordingListener()
        again = _courier_sync(dovecot, cache, folder, listener)
        assert (again.mode, again.fetched, again.new_mail, again.skipped) == ("full", 1, 1, 0)
        assert listener.of("new_mail") == [("new_mail", fid, [max(cache.known_uids(fid))])]
        assert cache_state(cache, folder) == server_state(dovecot, "alice", folder)
        newest = cache.summary(fid, max(cache.known_uids(fid)))
        assert (newest.subject, newest.message_id) == ("หนังสือด่วนที่สุด", message_id)
    finally:
        cache.close()
