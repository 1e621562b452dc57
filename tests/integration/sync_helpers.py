"""Helpers for the sync integration tests: the app's own connection path and an independent oracle.

Connections go through the real policy (loopback test policy + the test CA) and
``ImapSession`` → ``net.imap.client.wire_from_session``, exactly as the app connects.
The oracle reading the server's state is imapclient (a different parser), with
explicit UID lists (imapclient 4.1.0 breaks on range FETCH).
"""

from __future__ import annotations

import email.utils
import uuid

from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import ImapWire, wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import prepare
from tests.servers.dovecot import DovecotServer
from tests.servers.fake_net import loopback_policy


def open_wire(server: DovecotServer, user: str = "alice", timeout: float = 15.0) -> ImapWire:
    """A logged-in connection for the sync code, through the policy (never a bypass)."""
    policy = loopback_policy(ca_file=server.ca_file)
    session = ImapSession.connect(Endpoint("127.0.0.1", server.imaps_port, "tls"), policy, timeout=timeout)
    try:
        session.login(user, server.users[user])
    except BaseException:
        session.close()
        raise
    wire = wire_from_session(session, timeout=timeout)
    prepare(wire)
    return wire


def make_message(subject: str, *, sender: str = "สมชาย ใจดี <somchai@agency.go.th>", body: str = "เนื้อความ\r\n",
                 message_id: str | None = None, references: str | None = None) -> bytes:
    """A small RFC 5322 message with a UTF-8 encoded-word subject."""
    from email.header import Header

    message_id = message_id or f"<{uuid.uuid4().hex}@agency.go.th>"
    name, _, address = sender.partition(" <")
    lines = [
        f"From: {Header(name, 'utf-8').encode()} <{address}",
        "To: alice@localhost",
        f"Subject: {Header(subject, 'utf-8').encode()}",
        f"Date: {email.utils.formatdate(localtime=False)}",
        f"Message-ID: {message_id}",
    ]
    if references:
        lines.append(f"References: {references}")
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", ""]
    return ("\r\n".join(lines) + "\r\n" + body).encode("utf-8")


def fill(server: DovecotServer, user: str, folder: str, count: int, *, prefix: str = "เรื่อง") -> list[int]:
    """APPEND ``count`` messages over one connection of the app's own wire; returns UIDs."""
    wire = open_wire(server, user)
    try:
        existing = {f.name for f in wire.list_folders(with_status=False)}
        if folder not in existing:
            wire.create(folder)
        uids = []
        for i in range(count):
            flags = ["\\Seen"] if i % 3 == 0 else []
            uid = wire.append(folder, make_message(f"{prefix} {i}"), flags)
            assert uid is not None, "the server did not say the new message's UID (APPENDUID)"
            uids.append(uid)
        return uids
    finally:
        wire.logout()


def server_state(server: DovecotServer, user: str, folder: str) -> dict[int, frozenset[str]]:
    """{uid: flags} on the server, read with imapclient (an independent parser)."""
    with server.imap(user) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        state: dict[int, frozenset[str]] = {}
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            for uid, data in client.fetch(chunk, ["FLAGS"]).items():
                flags = {f.decode() if isinstance(f, bytes) else f for f in data[b"FLAGS"]}
                state[uid] = frozenset(flags - {"\\Recent"})
        return state


def cache_state(cache: MailCache, folder: str) -> dict[int, frozenset[str] | None]:
    fid = cache.folder_id(folder)
    assert fid is not None, f"{folder} not in the cache"
    return {uid: cache.flags_of(fid, uid) for uid in cache.known_uids(fid)}
