"""Courier-IMAP's ways, which the test Dovecot cannot show.

* The header section echoed with quoted field names (``BODY[HEADER.FIELDS ("DATE"
  "FROM" ...)]``, RFC 3501 astrings): every row must still be stored.
* SELECT without ``[UIDNEXT]``: the folder must still become complete after one sync,
  so that new mail is announced afterwards.

Two servers play Courier: the scripted fake server (``fake_server.courier_server``:
its capabilities, quoted echo in another order and case, no UIDNEXT, folders under
``INBOX.``), and :class:`CourierWire`, a transport that answers the app's own
``ImapWire`` byte for byte as Courier does, from the sample messages of tests/data
(the parser, the fused row path and the general path all run).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govmail_desktop.net.imap.client import ImapWire
from govmail_desktop.net.imap.grammar import parse_sequence_set
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from tests.unit.sync.conftest import cached_state
from tests.unit.sync.fake_server import COURIER_CAPS, courier_server

DATA = Path(__file__).resolve().parents[2] / "data"
SMALL = SyncOptions(first_batch=3, growth=2, max_chunk=8, write_batch=4)


def run(server, cache, listener=None, folder="INBOX", options=SMALL):
    conn = prepare(server.connect())
    return FolderSync(conn, cache, listener, None, options).run(folder)


# -- the scripted fake server as Courier ------------------------------------------------


@pytest.mark.parametrize("folder", ["INBOX", "INBOX.Sent"])
def test_courier_quoted_header_echo_stores_every_message(cache, listener, folder):
    server = courier_server()
    server.add_messages(folder, 20, subject="หนังสือเวียน")
    result = run(server, cache, listener, folder)
    assert (result.fetched, result.skipped) == (20, 0)
    assert cached_state(cache, folder) == server.state(folder)
    fid = cache.folder_id(folder)
    for uid in (1, 20):
        summary = cache.summary(fid, uid)
        assert summary.subject == f"หนังสือเวียน {uid}" and summary.from_[0].name == "สมชาย ใจดี"
        assert summary.message_id == f"<m{uid}.{server.folders[folder].uidvalidity}@fake>"
    assert sum(len(c[2]) for c in listener.of("inserted")) == 20


# -- Courier on the wire, from the sample messages ----------------------------------------

_FIELDS = re.compile(rb"HEADER\.FIELDS \(([^)]*)\)", re.IGNORECASE)


def _header_fields(raw: bytes, wanted: set[bytes]) -> bytes:
    """The wanted header fields of a message as a server returns them (folded lines kept)."""
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    out: list[bytes] = []
    keep = False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if keep:
                out.append(line)
            continue
        keep = line.split(b":", 1)[0].strip().upper() in wanted
        if keep:
            out.append(line)
    return b"".join(line + b"\r\n" for line in out) + b"\r\n"


class CourierWire:
    """A transport answering SELECT, UID SEARCH and UID FETCH as Courier-IMAP does.

    ``quoted``: the header section echoed with quoted field names (Courier) or as
    asked (Dovecot). ``layout``: the FETCH items in the order the fused path takes
    (``uid-first``) or another one (``flags-first``: the general path).
    """

    def __init__(self, messages: list[tuple[bytes, tuple[str, ...]]], *, quoted: bool, layout: str = "uid-first",
                 chunk: int = 997) -> None:
        self.messages = messages  # UID n is messages[n - 1]
        self.quoted = quoted
        self.layout = layout
        self.chunk = chunk
        self.incoming = bytearray()
        self.commands: list[bytes] = []

    def send(self, data: bytes) -> None:
        tag, _, command = data.rstrip(b"\r\n").partition(b" ")
        self.commands.append(command)
        verb = command.upper()
        if verb.startswith(b"SELECT "):
            self.incoming += (
                b"* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n"
                b"* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n"
                b"* %d EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1700000001] Ok\r\n"
                b"* OK [MYRIGHTS \"acdilrsw\"] ACL\r\n%s OK [READ-WRITE] Ok\r\n" % (len(self.messages), tag)
            )
        elif verb.startswith(b"UID SEARCH "):
            uids = b" ".join(b"%d" % uid for uid in range(1, len(self.messages) + 1))
            self.incoming += b"* SEARCH " + uids + b"\r\n" + tag + b" OK SEARCH done.\r\n"
        elif verb.startswith(b"UID FETCH "):
            uid_set = command.split(b" ")[2].decode()
            names = _FIELDS.search(command).group(1).split()
            wanted = {n.strip(b'"').upper() for n in names}
            listed = b" ".join(b'"%s"' % n.upper() for n in names) if self.quoted else b" ".join(names)
            echo = b"BODY[HEADER.FIELDS (" + listed + b")]"
            for uid in parse_sequence_set(uid_set):
                raw, flags = self.messages[uid - 1]
                block = _header_fields(raw, wanted)
                flag_text = " ".join(flags).encode()
                date = b"01-Jan-2026 09:%02d:00 +0700" % uid
                if self.layout == "uid-first":
                    head = b'* %d FETCH (UID %d FLAGS (%s) INTERNALDATE "%s" RFC822.SIZE %d ' % (
                        uid, uid, flag_text, date, len(raw))
                else:
                    head = b'* %d FETCH (FLAGS (%s) RFC822.SIZE %d INTERNALDATE "%s" UID %d ' % (
                        uid, flag_text, len(raw), date, uid)
                self.incoming += head + echo + b" {%d}\r\n" % len(block) + block + b")\r\n"
            self.incoming += tag + b" OK FETCH completed.\r\n"
        else:
            self.incoming += tag + b" OK Done.\r\n"

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        n = min(self.chunk, max_bytes, len(self.incoming))
        data = bytes(self.incoming[:n])
        del self.incoming[:n]
        return data

    def close(self) -> None:
        pass


def _samples() -> list[tuple[str, bytes, tuple[str, ...], dict]]:
    manifest = json.loads((DATA / "seed.json").read_text(encoding="utf-8"))
    return [
        (m["file"], (DATA / m["file"]).read_bytes(), tuple(m.get("flags", ())), m["expect"])
        for m in manifest["messages"]
    ]


def _wire_sync(tmp_path: Path, name: str, transport: CourierWire, capabilities=COURIER_CAPS):
    cache = MailCache(tmp_path / f"{name}.sqlite3")
    wire = ImapWire(transport, host="courier.agency.go.th", capabilities=capabilities)
    result = FolderSync(wire, cache, None, None, SMALL).run("INBOX")
    db = cache._conn()  # every stored column is compared
    rows = [r[2:] for r in db.execute("SELECT * FROM messages ORDER BY uid")]
    return result, cache, rows


@pytest.mark.parametrize("layout", ["uid-first", "flags-first"])
def test_courier_inbox_sync_on_the_wire_stores_every_sample(tmp_path, layout):
    samples = _samples()
    messages = [(raw, flags) for _, raw, flags, _ in samples]
    courier = CourierWire(messages, quoted=True, layout=layout)
    result, cache, rows = _wire_sync(tmp_path, "courier", courier)
    try:
        assert (result.fetched, result.skipped) == (len(samples), 0)
        fid = cache.folder_id("INBOX")
        assert sorted(cache.known_uids(fid)) == list(range(1, len(samples) + 1))
        for uid, (file, _, flags, expect) in enumerate(samples, 1):
            summary = cache.summary(fid, uid)
            assert summary.subject == expect["subject"], file
            assert summary.from_[0].name == expect["from_name"], file
            assert summary.flags == frozenset(flags), file
    finally:
        cache.close()
    # The same samples with the field names echoed as asked (Dovecot) give the same rows.
    _, plain_cache, plain_rows = _wire_sync(tmp_path, "plain", CourierWire(messages, quoted=False, layout=layout))
    plain_cache.close()
    assert rows == plain_rows and len(rows) == len(samples)


# -- SELECT without [UIDNEXT] ---------------------------------------------------------------


def test_without_uidnext_in_select_the_folder_is_complete_after_one_sync(cache, listener):
    server = courier_server()
    server.add_messages("INBOX", 12)
    first = run(server, cache, listener)
    assert (first.mode, first.fetched, first.skipped) == ("initial", 12, 0)
    cached = cache.folder(cache.folder_id("INBOX"))
    assert cached.uidvalidity == server.folders["INBOX"].uidvalidity
    assert cached.uidnext == 13  # the highest UID + 1: every UID below it is cached
    server.add_messages("INBOX", 2)
    server.set_flags("INBOX", 3, ["\\Seen"])
    server.expunge("INBOX", [5])
    second = run(server, cache, listener)
    assert second.mode == "full"  # Courier has neither QRESYNC nor CONDSTORE
    assert (second.fetched, second.new_mail, second.removed, second.flags_changed, second.skipped) == (2, 2, 1, 1, 0)
    assert listener.of("new_mail") == [("new_mail", cache.folder_id("INBOX"), [13, 14])]
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    assert cache.folder(cache.folder_id("INBOX")).uidnext == 15


def test_without_uidnext_the_newest_messages_expunged_still_leave_a_safe_uidnext(cache, listener):
    server = courier_server()
    server.add_messages("INBOX", 6)
    server.expunge("INBOX", [5, 6])  # the server's UIDNEXT is 7, its highest UID 4
    run(server, cache)
    assert cache.folder(cache.folder_id("INBOX")).uidnext == 5  # below the real one: never misses mail
    server.add_messages("INBOX", 1)  # UID 7
    again = run(server, cache, listener)
    assert (again.fetched, again.new_mail) == (1, 1)
    assert cached_state(cache, "INBOX") == server.state("INBOX")


def test_a_folder_left_incomplete_by_an_older_version_completes_without_refetching(cache, listener):
    server = courier_server()
    server.add_messages("INBOX", 8)
    run(server, cache)
    fid = cache.folder_id("INBOX")
    cache.set_folder_state(fid, uidnext=None)  # as the old code left every Courier folder
    again = run(server, cache, listener)
    assert (again.mode, again.fetched) == ("initial", 0)
    assert cache.folder(fid).uidnext == 9
    server.add_messages("INBOX", 1)
    assert run(server, cache, listener).new_mail == 1


def test_mail_arriving_during_the_first_sync_is_counted_in_and_the_state_covers_it(cache, listener):
    server = courier_server()
    server.add_messages("INBOX", 10)
    conn = prepare(server.connect())
    real_fetch = conn.fetch_stream
    delivered = []

    def fetch_then_deliver(uid_set, items, **kwargs):
        yield from real_fetch(uid_set, items, **kwargs)
        if not delivered:
            delivered.extend(server.add_messages("INBOX", 2))  # announced as EXISTS meanwhile

    conn.fetch_stream = fetch_then_deliver
    result = FolderSync(conn, cache, listener, None, SMALL).run("INBOX")
    assert result.fetched == 12 and delivered == [11, 12]
    assert cached_state(cache, "INBOX") == server.state("INBOX")
    assert cache.folder(cache.folder_id("INBOX")).uidnext == 13
    again = run(server, cache, listener)
    assert (again.fetched, again.new_mail) == (0, 0)  # not announced twice
