"""A FETCH response the client cannot use is counted, logged once and reported.

Never dropped in silence: the sync's ``skipped`` counts it, the log gets the first
one's shape in the server's words (item and section names, sizes — no message
content), and the listener is told, so the user sees "N messages could not be read".
"""

from __future__ import annotations

import logging

import pytest

from govmail_desktop.net.imap.client import FetchBatch
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.sync import rows
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from tests.unit.net.test_imap_wire import wire_with

SMALL = SyncOptions(first_batch=3, growth=2, max_chunk=8, write_batch=4)
SECRET = b"Subject: the minister's secret plan\r\n\r\n"
OTHER_SECTION = "BODY[HEADER.FIELDS (SUBJECT)]"


def test_unusable_rows_are_counted_logged_once_and_reported(server, cache, listener, caplog):
    server.add_messages("INBOX", 10)
    conn = prepare(server.connect())
    real_fetch = conn.fetch_stream

    def fetch_with_unusable_rows(uid_set, items, **kwargs):
        kwargs.pop("row_builder")  # every row as a typed value, to spoil some of them
        for batch in real_fetch(uid_set, items, **kwargs):
            out = []
            for m in batch.messages:
                if m.uid in (3, 7):  # a section the sync did not ask for
                    m = m._replace(sections={OTHER_SECTION: SECRET})
                elif m.uid == 5:  # a summary without its UID
                    m = m._replace(uid=None)
                out.append(m)
            last = 1 in [m.uid for m in out]  # the last batch (newest first)
            if last:
                out.append(FetchedMessage(9, 9, ("\\Flagged",), None, None, None))  # an update: not counted
            yield FetchBatch(out, skipped=1 if last else 0)  # and one unparsable row

    conn.fetch_stream = fetch_with_unusable_rows
    with caplog.at_level(logging.WARNING):
        result = FolderSync(conn, cache, listener, None, SMALL).run("INBOX")
    fid = cache.folder_id("INBOX")
    assert (result.fetched, result.skipped) == (7, 4)
    assert sorted(cache.known_uids(fid)) == [1, 2, 4, 6, 8, 9, 10]
    assert cache.flags_of(fid, 9) == frozenset({"\\Flagged"})
    assert listener.of("unreadable") == [("unreadable", fid, 4)]
    shapes = [r.getMessage() for r in caplog.records if "could not be used" in r.getMessage()]
    assert len(shapes) == 1  # once per sync, whatever the number of rows
    assert "UID 3 " in shapes[0] and OTHER_SECTION + " {39 bytes}" in shapes[0]
    assert any("4 messages could not be read from the server" in r.getMessage() for r in caplog.records)
    assert "secret plan" not in caplog.text


def test_a_sync_without_unusable_rows_reports_nothing(server, cache, listener):
    server.add_messages("INBOX", 6)
    result = FolderSync(prepare(server.connect()), cache, listener, None, SMALL).run("INBOX")
    assert (result.fetched, result.skipped) == (6, 0)
    assert listener.of("unreadable") == []


def test_prepare_sorts_rows_updates_and_unusable_rows():
    from govmail_desktop.sync import convert

    good = FetchedMessage(1, 11, ("\\Seen",), 1_700_000_000, 10, None, {convert.HEADER_SECTION: SECRET})
    update = FetchedMessage(2, 12, ("\\Seen",), None, None, 7)
    no_uid_update = FetchedMessage(3, None, ("\\Seen",), None, None, None)
    other = good._replace(uid=13, sections={OTHER_SECTION: SECRET})
    nil = good._replace(uid=14, sections={convert.HEADER_SECTION: None})
    no_uid = good._replace(uid=None)
    made, flag_only, unusable = rows.prepare(1, [good, update, no_uid_update, other, nil, no_uid])
    assert [r[1] for r in made] == [11]
    assert flag_only == [update]
    assert unusable == [other, nil, no_uid]


def test_the_shape_of_a_row_names_items_and_sections_but_no_content():
    msg = FetchedMessage(
        4, 13, ("\\Seen", "ลับมาก"), 1_700_000_000, 321, 9, {'BODY[HEADER.FIELDS ("SUBJECT")]\n': SECRET}
    )
    shape = rows.shape_of(msg)
    assert shape.startswith("* 4 FETCH (UID 13 FLAGS (2 flags) INTERNALDATE RFC822.SIZE 321 MODSEQ ")
    assert 'BODY[HEADER.FIELDS ("SUBJECT")]\\n {' + str(len(SECRET)) + " bytes}" in shape
    assert "secret" not in shape and "ลับ" not in shape and "\n" not in shape
    assert len(rows.shape_of(msg._replace(sections={"BODY[" + "X" * 1000 + "]": b""}))) <= 301


def test_unparsable_fetch_rows_are_logged_once_per_fetch_without_content(caplog):
    bad = b'* %d FETCH (UID %d ENVELOPE ("Mon, 1 Jan 2024" "the minister\'s secret plan" (garbage\r\n'
    good = b"* %d FETCH (UID %d FLAGS (\\Seen))\r\n"
    stream = b"".join((bad if i % 2 else good) % (i, 100 + i) for i in range(1, 9)) + b"W1 OK done\r\n"
    wire, _ = wire_with(stream, chunk=16)
    with caplog.at_level(logging.DEBUG, logger="govmail_desktop.net.imap"):
        batches = list(wire.fetch_stream("101:108", "UID FLAGS", batch_size=2))
    assert sum(b.skipped for b in batches) == 4
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "FETCH row skipped" in r.getMessage()]
    assert len(warnings) == 1
    assert "ENVELOPE" in warnings[0].getMessage() and "UID 101" in warnings[0].getMessage()
    assert "secret" not in caplog.text


def _spoil(conn, uids):
    """The connection's FETCHes deliver ``uids`` unusable (a passing server hiccup)."""
    real_fetch = conn.fetch_stream

    def fetch(uid_set, items, **kwargs):
        kwargs.pop("row_builder")
        for batch in real_fetch(uid_set, items, **kwargs):
            out = [m._replace(sections={OTHER_SECTION: SECRET}) if m.uid in uids else m for m in batch.messages]
            yield FetchBatch(out, skipped=batch.skipped)

    conn.fetch_stream = fetch


def _enable(conn, *names):
    conn.enable(*names)
    return conn


@pytest.mark.parametrize("extension", ["QRESYNC", "CONDSTORE"])
def test_messages_unreadable_in_one_sync_are_fetched_by_the_next(server, cache, listener, extension):
    # A quick resync (QRESYNC/CONDSTORE) only asks for what changed since the last one:
    # without care a message that could not be read once would never be fetched again.
    server.add_messages("INBOX", 10)
    conn = _enable(prepare(server.connect()), extension) if extension == "QRESYNC" else prepare(server.connect())
    _spoil(conn, {3, 7})
    first = FolderSync(conn, cache, listener, None, SMALL).run("INBOX")
    fid = cache.folder_id("INBOX")
    assert first.skipped == 2 and 3 not in cache.known_uids(fid)
    conn2 = _enable(prepare(server.connect()), extension) if extension == "QRESYNC" else prepare(server.connect())
    second = FolderSync(conn2, cache, listener, None, SMALL).run("INBOX")
    assert second.skipped == 0
    assert sorted(cache.known_uids(fid)) == list(range(1, 11))
    third = FolderSync(conn2, cache, listener, None, SMALL).run("INBOX")
    assert third.mode in ("qresync", "condstore")  # back to the quick path once all is read
