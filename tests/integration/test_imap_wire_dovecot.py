"""The fast parser on what a real Dovecot sends for real and hostile messages.

Two checks: the Thai samples of tests/data decode to what seed.json expects
(TIS-620 8-bit headers, windows-874 with Outlook quotes, ISO-8859-11, UTF-8),
and a spread of hostile messages from the public corpora (tests/corpora.py) syncs
into the cache as the general path reads the same server answer.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from govmail_desktop.net.imap.client import ImapCommandError
from govmail_desktop.sync import convert
from tests.corpora import CORPORA, require_corpora
from tests.integration.sync_helpers import open_wire
from tests.servers.dovecot import to_crlf

pytestmark = pytest.mark.integration

CORPUS_GLOBS = (
    "apache-james-mime4j/core/src/test/resources/testmsgs/*.msg",
    "python-cpython/**/msg_*.txt",
    "SpamScope-mail-parser/tests/mails/*",
    "AltSysrq-crymap/src/test_data/*.eml",
    "rjarry-aerc/**/*.eml",
)
MAX_CORPUS_MESSAGES = 120


def corpus_files() -> list[Path]:
    """A spread of the corpora's messages; skips the calling test when the corpora are absent."""
    require_corpora()
    files: list[Path] = []
    for pattern in CORPUS_GLOBS:
        files.extend(sorted(p for p in CORPORA.glob(pattern) if p.is_file())[:40])
    return files[:MAX_CORPUS_MESSAGES]


def test_thai_samples_decode_as_expected(seeded_dovecot):
    samples = [s for s in seeded_dovecot.seeded if s.user == "alice"]
    wire = open_wire(seeded_dovecot, "alice")
    checked = 0
    try:
        for folder in {s.folder for s in samples}:
            wire.select(folder, readonly=True)
            expected = {s.uid: s.expect for s in samples if s.folder == folder}
            for msg in wire.fetch(",".join(map(str, sorted(expected))), convert.SUMMARY_ITEMS):
                expect = expected[msg.uid]
                summary = convert.summary_of(msg)
                assert summary.subject == expect["subject"], expect
                if "from_name" in expect:
                    assert summary.from_[0].name == expect["from_name"]
                checked += 1
    finally:
        wire.logout()
    assert checked == len(samples) == 14  # every sample of tests/data/seed.json


def test_hostile_messages_sync_into_the_cache_as_the_general_path_reads_them(dovecot, tmp_path):
    """The header sync over real hostile messages: every one arrives, and the rows the
    fused path wrote are the rows the general path (parse_fetch -> summary_of ->
    summary_row) makes of the same server answer."""
    from govmail_desktop.core.entities import Folder
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.message_rows import summary_row
    from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions

    files = corpus_files()
    folder = f"corpus-{uuid.uuid4().hex[:6]}"
    wire = open_wire(dovecot, "bob")
    appended = 0
    try:
        wire.create(folder)
        for path in files:
            try:
                wire.append(folder, to_crlf(path.read_bytes()))
                appended += 1
            except ImapCommandError:
                pass
        cache = MailCache(tmp_path / "cache.sqlite3")
        try:
            cache.upsert_folders([Folder(folder)])
            # Small batches and bulk_min: the bulk load and its writer thread are used too.
            options = SyncOptions(first_batch=5, growth=4, write_batch=16, bulk_min=20)
            result = FolderSync(wire, cache, options=options).run(folder)
            assert result.fetched == appended >= 60 and result.skipped == 0
            fid = cache.folder_id(folder)
            wire.select(folder, readonly=True)
            fetched = wire.fetch("1:*", convert.SUMMARY_ITEMS)
            general = {m.uid: summary_row(fid, convert.summary_of(m)) for m in fetched}
            conn = cache._conn()  # reading the stored rows back as they are
            columns = (
                "folder_id, uid, flags, keywords, internaldate, date, size, subject, subject_key, from_display, "
                "sender_key, from_addrs, to_addrs, cc_addrs, message_id, in_reply_to, refs, preview, has_attachments"
            )
            stored = {r[1]: tuple(r) for r in conn.execute(f"SELECT {columns} FROM messages WHERE folder_id=?", (fid,))}
            assert stored.keys() == general.keys()
            for uid, row in general.items():
                assert stored[uid] == tuple(row), uid
        finally:
            cache.close()
    finally:
        wire.logout()
