"""The header sync reads the section however the server spells it (issue 9, item 2).

Courier echoes the header field list quoted (``BODY[HEADER.FIELDS ("DATE" "FROM" ...)]``).
The test Dovecot echoes the list as it was asked for, so asking it with quoted, mixed-case
names in another order makes the real server answer exactly in Courier's spelling
(``BODY[HEADER.FIELDS ("CONTENT-TYPE" "REFERENCES" ...)]``): every sample must still be
stored, with the same rows as the usual spelling gives, and nothing skipped.
"""

from __future__ import annotations

import pytest

from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import convert
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from tests.integration.sync_helpers import cache_state, open_wire, server_state

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
    db = cache._conn()  # noqa: SLF001 - every stored column is compared
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
            'BODY[HEADER.FIELDS ("CONTENT-TYPE" "REFERENCES" "IN-REPLY-TO" "MESSAGE-ID" "SUBJECT" "CC" "TO" "FROM" '
            '"DATE")]'
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
