"""Rows a server sends for UIDs nobody asked for are never taken as messages.

The header sync is checked against a hostile server on loopback
(tests/unit/net/test_hostile_server_cases.py, case ``imap-uid-not-requested``); these are
the other readers of summaries: the undo of a refused action and the server search.
"""

from __future__ import annotations

from govmail_desktop.net.imap.client import FetchBatch
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.store.op_queue import OpKind
from govmail_desktop.sync import convert, offline, server_search
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.folder_list import sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync

PHANTOM = 77
PHANTOM_ROW = FetchedMessage(
    9, PHANTOM, ("\\Seen",), None, 100, None, {convert.HEADER_SECTION: b"Subject: phantom\r\n\r\n"}
)


class Lying:
    """A connection whose every FETCH answer also carries a row for UID 77."""

    def __init__(self, conn):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def fetch_stream(self, uid_set, items, **kwargs):
        yield from self._conn.fetch_stream(uid_set, items, **kwargs)
        yield FetchBatch([PHANTOM_ROW], 0, [])


def _synced(server, cache):
    conn = prepare(server.connect())
    sync_folder_list(conn, cache)
    FolderSync(conn, cache).run("INBOX")


def test_undoing_a_refused_move_puts_back_only_the_moved_message(server, cache, queue, listener):
    server.add_messages("INBOX", 3)
    _synced(server, cache)
    fid = cache.folder_id("INBOX")
    offline.record_action(cache, queue, listener, OpKind.MOVE, "INBOX", [2], target="Sent")
    server.refuse["MOVE"] = None
    offline.replay(Lying(prepare(server.connect())), cache, queue, listener)
    assert sorted(cache.known_uids(fid)) == [1, 2, 3]


def test_server_search_results_hold_only_the_uids_asked_for(server):
    server.add_messages("INBOX", 3)
    conn = Lying(prepare(server.connect()))
    conn.select("INBOX")
    found = server_search._fetch_headers(conn, [1, 2], CancelToken())
    assert sorted(found) == [1, 2]
