"""The fast IMAP response parser and command runner (net/imap/).

Byte-level: responses are fed through a scripted transport (split into small
chunks, so literal and line boundaries fall anywhere). The real Dovecot's
FETCH rows are checked in tests/integration/test_imap_wire_dovecot.py.
"""

from __future__ import annotations

import logging

import pytest

from govmail_desktop.core.errors import NetworkError, ServerError
from govmail_desktop.net import failures
from govmail_desktop.net.imap.client import ImapCommandError, ImapWire
from govmail_desktop.net.imap.fetch import parse_fetch
from govmail_desktop.net.imap.grammar import (
    ParseError,
    format_sequence_set,
    iter_sequence_ranges,
    parse_sequence_set,
)
from govmail_desktop.net.imap.reader import BULK_LITERAL_MAX, ResponseReader, TooMuchData
from govmail_desktop.net.imap.responses import (
    Exists,
    Expunge,
    FlagsChanged,
    ModseqChanged,
    parse_esearch,
    parse_event,
    parse_list,
    parse_search,
    parse_status,
    parse_vanished,
)
from govmail_desktop.net.imap.text import decode_mutf7, encode_mutf7

# "ทดสอบ" (test) in TIS-620 / windows-874 bytes, written out (not produced by a codec).
THAI_TEST_TIS620 = b"\xb7\xb4\xca\xcd\xba"

RFC3501_FETCH = (
    b'* 12 FETCH (UID 4827313 FLAGS (\\Seen $Forwarded) INTERNALDATE "17-Jul-1996 02:44:25 -0700" '
    b'RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" '
    b'"IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) '
    b'(("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) '
    b'((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")'
    b'("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>"))'
)


def flags_line(seq: int, uid: int) -> bytes:
    return b"* %d FETCH (UID %d FLAGS (\\Seen))" % (seq, uid)


# -- modified UTF-7 ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["กล่องจดหมายเข้า", "งาน & เอกสาร", "A&B", "~peter/mail/台北/日本語", "plain"])
def test_mutf7_round_trip(name):
    wire = encode_mutf7(name)
    assert wire.isascii()
    assert decode_mutf7(wire) == name


def test_mutf7_known_vectors():
    # RFC 3501 5.1.3 example.
    assert decode_mutf7(b"~peter/mail/&U,BTFw-/&ZeVnLIqe-") == "~peter/mail/台北/日本語"
    assert encode_mutf7("&") == b"&-"


def test_mutf7_malformed_is_kept(caplog):
    with caplog.at_level(logging.WARNING):
        assert decode_mutf7(b"bad&***-name") == "bad&***-name"
        assert decode_mutf7(b"open&AGE") == "open&AGE"
    assert "modified UTF-7" in caplog.text


# -- FETCH -------------------------------------------------------------------------------


def test_rfc3501_fetch_example():
    msg = parse_fetch(RFC3501_FETCH)
    assert (msg.seq, msg.uid, msg.size) == (12, 4827313, 4286)
    assert msg.flags == ("\\Seen", "$Forwarded")
    assert msg.internaldate == 837596665
    # The sync asks for header fields, not ENVELOPE: it is kept as the tokenizer reads it.
    envelope = msg.extra["ENVELOPE"]
    assert len(envelope) == 10 and envelope[1] == b"IMAP4rev1 WG mtg summary and minutes"
    assert envelope[2] == [[b"Terry Gray", None, b"gray", b"cac.washington.edu"]]
    assert envelope[9] == b"<B27397-0100000@cac.washington.edu>"


def test_items_in_another_order_and_modseq():
    msg = parse_fetch(b"* 3 FETCH (FLAGS (\\Flagged) MODSEQ (12345) UID 77)")
    assert (msg.uid, msg.flags, msg.modseq, msg.sections, msg.extra) == (77, ("\\Flagged",), 12345, None, None)


def test_quoted_section_with_escapes():
    msg = parse_fetch(b'* 1 FETCH (UID 9 BODY[HEADER.FIELDS (SUBJECT)] "Subject: say \\"hi\\" \\\\ bye")')
    assert msg.sections == {"BODY[HEADER.FIELDS (SUBJECT)]": b'Subject: say "hi" \\ bye'}


def test_literals_are_taken_in_order():
    # Dovecot sends 8-bit or multi-line strings as literals; each goes to the item it follows.
    subject = "ด่วนที่สุด: (วาระ) \"ลับ\"".encode()
    name = THAI_TEST_TIS620
    line = (
        b'* 2 FETCH (UID 8 ENVELOPE (NIL {%d} (({%d} NIL "x" "y.go.th")) NIL NIL NIL NIL NIL NIL "<m@x>") '
        b"BODY[HEADER.FIELDS (REFERENCES)] {%d})" % (len(subject), len(name), 20)
    )
    refs = b"References: <a@b>\r\n\r\n"
    msg = parse_fetch(line, [subject, name, refs])
    assert msg.extra["ENVELOPE"][1] == subject and msg.extra["ENVELOPE"][2][0][0] == name
    assert msg.sections == {"BODY[HEADER.FIELDS (REFERENCES)]": refs}


def test_unknown_items_are_kept_in_extra():
    msg = parse_fetch(b'* 1 FETCH (UID 1 X-GM-LABELS ("\\\\Inbox" "work") X-THING 7)')
    assert msg.extra == {"X-GM-LABELS": [b"\\Inbox", b"work"], "X-THING": b"7"}


@pytest.mark.parametrize(
    "line",
    [
        b"* 1 FETCH (UID abc)",
        b"* 1 FETCH (UID 1 FLAGS (\\Seen)",  # unterminated
        b"* 1 FETCH (UID 1 ENVELOPE (NIL {5} NIL NIL NIL NIL NIL NIL NIL NIL))",  # literal missing
        b"* 1 FETCH (UID 1 ENVELOPE ((((((((",
        b"* 1 FETCH (UID 1) trailing",
        b"* x FETCH (UID 1)",
        b"",
    ],
)
def test_malformed_fetch_raises_parse_error(line):
    with pytest.raises(ParseError):
        parse_fetch(line)


# -- other responses ----------------------------------------------------------------------


def test_list_with_thai_folder_and_special_use():
    folder = parse_list(b'* LIST (\\HasNoChildren \\Trash) "/" "' + encode_mutf7("ถังขยะ") + b'"')
    assert folder.name == "ถังขยะ"
    assert folder.special_use == "\\trash"
    assert folder.delimiter == "/"
    assert folder.selectable
    inbox = parse_list(b'* LIST (\\Noselect) "." inbox')
    assert inbox.name == "INBOX" and not inbox.selectable
    literal = parse_list(b'* LIST () NIL {5}', [b"a b c"])
    assert literal.name == "a b c" and literal.delimiter is None


@pytest.mark.parametrize("line", [b"* LIST ()(R)9", b'* LIST () ("/") "INBOX"'])
def test_list_with_a_parenthesised_delimiter_is_a_parse_error(line):
    """Found by make fuzz (tests/fuzz/crashes/imap-920175aa2520.bin): a list where the hierarchy
    delimiter belongs raised AttributeError, which the client does not catch."""
    with pytest.raises(ParseError):
        parse_list(line)


def test_status_vanished_esearch_search():
    assert parse_status(b'* STATUS "INBOX" (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7)') == (
        b"INBOX",
        {"MESSAGES": 231, "UIDNEXT": 44292, "HIGHESTMODSEQ": 7},
    )
    vanished = parse_vanished(b"* VANISHED (EARLIER) 300:302,405")
    assert vanished.earlier and vanished.uids() == [300, 301, 302, 405]
    assert not parse_vanished(b"* VANISHED 5").earlier
    found = parse_esearch(b'* ESEARCH (TAG "W3") UID ALL 1:3,7 COUNT 4')
    assert found.numbers() == [1, 2, 3, 7] and found.matched == 4
    assert parse_esearch(b'* ESEARCH (TAG "W3") UID COUNT 0').numbers() == []
    assert parse_search(b"* SEARCH 2 5 (MODSEQ 9)") == ([2, 5], 9)


def test_sequence_sets():
    assert format_sequence_set([7, 1, 2, 3, 3, 9, 10]) == "1:3,7,9:10"
    assert parse_sequence_set("9:8,1") == [1, 8, 9]
    assert list(iter_sequence_ranges(b"1:3,7")) == [(1, 3), (7, 7)]
    with pytest.raises(ValueError):
        format_sequence_set([])


def test_events():
    assert parse_event(b"* 23 EXISTS") == Exists(23)
    assert parse_event(b"* 4 EXPUNGE") == Expunge(4)
    assert parse_event(b"* 4 FETCH (UID 9 FLAGS (\\Seen) MODSEQ (33))") == FlagsChanged(4, 9, ("\\Seen",), 33)
    assert parse_event(b"* OK [HIGHESTMODSEQ 90] x") == ModseqChanged(90)
    assert parse_event(b"* 2 RECENT") is None


# -- the reader and the command runner ----------------------------------------------------


class ScriptedTransport:
    """A transport that plays back server bytes in small chunks and records what was sent."""

    def __init__(self, server: bytes = b"", chunk: int = 7) -> None:
        self.incoming = bytearray(server)
        self.sent: list[bytes] = []
        self.chunk = chunk
        self.closed = False
        self.timeouts = 0

    def feed(self, data: bytes) -> None:
        self.incoming += data

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        if not self.incoming:
            if timeout is not None and timeout < 5:
                self.timeouts += 1
                raise TimeoutError("nothing to read")
            return b""  # the server closed
        n = min(self.chunk, max_bytes, len(self.incoming))
        data = bytes(self.incoming[:n])
        del self.incoming[:n]
        return data

    def close(self) -> None:
        self.closed = True


def wire_with(server: bytes, chunk: int = 7, **kwargs) -> tuple[ImapWire, ScriptedTransport]:
    transport = ScriptedTransport(server, chunk)
    caps = kwargs.pop("capabilities", ("IMAP4rev1", "ESEARCH", "CONDSTORE", "QRESYNC", "ENABLE", "MOVE", "UIDPLUS"))
    return ImapWire(transport, host="mail.agency.go.th", capabilities=caps, **kwargs), transport


def test_reader_cuts_literals_across_chunk_boundaries():
    body = b"line one\r\nline two {3}\r\n)"
    transport = ScriptedTransport(b"* 1 FETCH (UID 1 BODY[] {%d}\r\n%s)\r\n" % (len(body), body), chunk=3)
    response = ResponseReader(transport).read_response()
    assert response.literals == [body]
    assert response.line == b"* 1 FETCH (UID 1 BODY[] {%d})" % len(body)


def test_reader_refuses_a_huge_literal():
    transport = ScriptedTransport(b"* 1 FETCH (BODY[] {999999999999}\r\n")
    with pytest.raises(TooMuchData):
        ResponseReader(transport).read_response()


def test_select_with_qresync_reports_vanished_and_changes():
    server = (
        b"* ENABLED QRESYNC\r\nW1 OK enabled\r\n"
        b"* OK [CLOSED] previous\r\n"
        b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
        b"* OK [PERMANENTFLAGS (\\Seen \\*)] ok\r\n"
        b"* 120 EXISTS\r\n"
        b"* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
        b"* OK [UIDNEXT 4392] Predicted next UID\r\n"
        b"* OK [HIGHESTMODSEQ 90060115205545359] Highest\r\n"
        b"* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n"
        b"* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))\r\n"
        b"W2 OK [READ-WRITE] mailbox selected\r\n"
    )
    wire, transport = wire_with(server)
    assert wire.enable("QRESYNC") == {"QRESYNC"}
    info = wire.select("INBOX", qresync=(3857529045, 90060115194045000))
    assert transport.sent[-1] == b'W2 SELECT "INBOX" (QRESYNC (3857529045 90060115194045000))\r\n'
    assert (info.uidvalidity, info.uidnext, info.exists) == (3857529045, 4392, 120)
    assert info.highest_modseq == 90060115205545359
    assert info.vanished_uids()[:3] == [41, 43, 44] and len(info.vanished_uids()) == 1 + 74 + 1 + 92 + 327
    assert [(m.uid, m.flags) for m in info.changed] == [(117, ("\\Seen", "\\Answered"))]
    assert info.permanent_flags == ("\\Seen", "\\*") and not info.read_only
    assert wire.events == []


def test_select_of_thai_folder_uses_mutf7():
    wire, transport = wire_with(b"* 0 EXISTS\r\nW1 OK [READ-ONLY] done\r\n")
    info = wire.select("จดหมายที่ส่งแล้ว", readonly=True)
    assert transport.sent[0] == b'W1 EXAMINE "' + encode_mutf7("จดหมายที่ส่งแล้ว") + b'"\r\n'
    assert info.read_only and info.exists == 0


def test_fetch_stream_batches_and_skips_bad_rows(caplog):
    rows = [flags_line(i, 100 + i) for i in range(1, 8)]
    rows[3] = b"* 4 FETCH (UID 104 ENVELOPE (garbage"
    literal_row = b"* 8 FETCH (UID 108 FLAGS () BODY[HEADER.FIELDS (SUBJECT)] {6}\r\nxy\r\nzw )\r\n"
    server = b"\r\n".join(rows) + b"\r\n" + literal_row + b"* 9 EXISTS\r\nW1 OK done\r\n"
    wire, _ = wire_with(server, chunk=11)
    with caplog.at_level(logging.WARNING):
        batches = list(wire.fetch_stream("101:108", "UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)]", batch_size=3))
    uids = [m.uid for b in batches for m in b.messages]
    assert uids == [101, 102, 103, 105, 106, 107, 108]
    assert sum(b.skipped for b in batches) == 1
    assert "FETCH row skipped" in caplog.text
    assert [m for b in batches for m in b.messages][-1].sections == {"BODY[HEADER.FIELDS (SUBJECT)]": b"xy\r\nzw"}
    assert wire.take_events() == [Exists(9)]
    assert all(len(b.messages) <= 4 for b in batches)


SECTION = b"BODY[HEADER.FIELDS (SUBJECT REFERENCES)]"
SUMMARY_ITEMS = "UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT REFERENCES)]"


def summary_line(uid: int, block: bytes = b"Subject: s\r\n\r\n", *, value: bytes | None = None) -> bytes:
    """A header-sync row: the section as a literal, or as ``value`` (quoted/NIL) when given."""
    head = b'* %d FETCH (UID %d FLAGS (\\Seen) INTERNALDATE "14-Nov-2023 22:14:20 +0000" RFC822.SIZE 42 %s ' % (
        uid, uid, SECTION,
    )
    if value is not None:
        return head + value + b")\r\n"
    return head + b"{%d}\r\n%s)\r\n" % (len(block), block)


def test_fetch_stream_row_builder_takes_rows_it_accepts_and_leaves_the_rest():
    block = b"References: <r@x>\r\n\r\n"
    big = b"Subject: " + b"p" * (BULK_LITERAL_MAX + 10) + b"\r\n\r\n"
    stream = [
        summary_line(101),
        summary_line(102, block),
        summary_line(103, value=b'"Subject: say \\"hi\\""'),  # not a literal: the general path
        b"* 4 FETCH (UID 104 ENVELOPE (garbage\r\n",
        b"* 9 EXISTS\r\n",
        summary_line(105, big),  # literal too big for the bulk path
        summary_line(106),
        summary_line(107),
        b"* 7 FETCH (UID 107 FLAGS (\\Seen))\r\n",
        summary_line(109, b"Subject: x\r\n\r\n) trailing\r\n")[:-3] + b" X-MORE 1)\r\n",  # more after the literal
        b"W1 OK done\r\n",
        summary_line(108),  # after the answer: not this command's
        b"W2 OK noop\r\n",
    ]
    wire, _ = wire_with(b"".join(stream), chunk=13)
    seen = []

    def even_uids_only(match, literal):
        uid = int(match.group(1))
        seen.append((uid, literal))
        return uid if uid % 2 == 0 else None

    batches = list(wire.fetch_stream("101:109", SUMMARY_ITEMS, batch_size=3, row_builder=even_uids_only))
    assert [r for b in batches for r in b.rows] == [102, 106]
    assert (102, block) in seen and (101, b"Subject: s\r\n\r\n") in seen and (107, b"Subject: s\r\n\r\n") in seen
    assert not any(uid in (103, 105, 109) for uid, _ in seen)
    general = [m for b in batches for m in b.messages]
    assert [m.uid for m in general] == [101, 103, 105, 107, 107, 109]
    assert general[1].sections == {SECTION.decode(): b'Subject: say "hi"'}
    assert general[2].sections == {SECTION.decode(): big}
    assert general[5].sections == {SECTION.decode(): b"Subject: x\r\n\r\n) trailing\r\n"}
    assert sum(b.skipped for b in batches) == 1  # 104: garbage
    assert wire.take_events() == [Exists(9)]
    # 108 arrived after the FETCH's answer: left to the next command, not taken as a row.
    assert [e.uid for e in wire.noop()] == [108]


@pytest.mark.parametrize("chunk", [1, 5, 64, 4096])
def test_fetch_stream_row_builder_at_any_chunk_size(chunk):
    block = b"Content-Type: text/plain\r\n\r\n"
    stream = b"".join(summary_line(uid, block) for uid in range(1, 41))
    wire, _ = wire_with(stream + b"W1 OK done\r\n", chunk=chunk)
    batches = list(
        wire.fetch_stream("1:40", SUMMARY_ITEMS, batch_size=7, row_builder=lambda m, lit: (int(m.group(1)), lit))
    )
    assert [r for b in batches for r in b.rows] == [(uid, block) for uid in range(1, 41)]
    assert not any(b.messages for b in batches)


def test_fetch_stream_stopped_early_keeps_connection_usable():
    rows = b"".join(flags_line(i, i) + b"\r\n" for i in range(1, 50))
    wire, _ = wire_with(rows + b"W1 OK done\r\n* OK still here\r\nW2 OK noop\r\n", chunk=64)
    stream = wire.fetch_stream("1:*", "UID FLAGS", batch_size=5)
    next(stream)
    stream.close()
    assert wire.noop() == []
    assert not wire.broken


def test_no_answer_raises_command_error_with_code():
    wire, _ = wire_with(b"W1 NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n")
    with pytest.raises(ImapCommandError) as info:
        wire.select("Nope")
    assert info.value.response_code == "NONEXISTENT"
    assert isinstance(info.value, ServerError)
    assert "mail.agency.go.th" in info.value.user_text("en")


def test_dropped_connection_raises_network_error_and_marks_broken():
    wire, _ = wire_with(b"* 1 FETCH (UID 1 FLAGS ())\r\n")
    with pytest.raises(NetworkError) as dropped:
        wire.fetch("1:*", "UID FLAGS")
    assert wire.broken
    with pytest.raises(NetworkError) as after:
        wire.noop()
    assert dropped.value.code == after.value.code == failures.CONNECTION_CLOSED


def test_garbage_stream_is_a_protocol_error():
    wire, _ = wire_with(b"HTTP/1.1 400 Bad Request\r\n")
    with pytest.raises(ServerError) as info:
        wire.noop()
    assert info.value.code == "protocol-error"


def test_esearch_and_plain_search():
    wire, transport = wire_with(b'* ESEARCH (TAG "W1") UID ALL 3:5,9 COUNT 4\r\nW1 OK done\r\n')
    assert wire.uid_search().numbers() == [3, 4, 5, 9]
    assert transport.sent[0] == b"W1 UID SEARCH RETURN (ALL COUNT) ALL\r\n"
    wire, _ = wire_with(b"* SEARCH 4 2\r\n* SEARCH\r\nW1 OK done\r\n", capabilities=("IMAP4rev1",))
    assert wire.uid_search().numbers() == [2, 4]


def test_list_folders_with_list_status():
    server = (
        b'* LIST (\\HasNoChildren) "/" INBOX\r\n'
        b'* STATUS INBOX (MESSAGES 3 UNSEEN 1 UIDNEXT 4 UIDVALIDITY 7)\r\n'
        b'* LIST (\\HasNoChildren \\Sent) "/" "' + encode_mutf7("จดหมายที่ส่งแล้ว") + b'"\r\n'
        b'* STATUS "' + encode_mutf7("จดหมายที่ส่งแล้ว") + b'" (MESSAGES 0 UNSEEN 0 UIDNEXT 1 UIDVALIDITY 8)\r\n'
        b"* LIST (broken\r\n"
        b"W1 OK done\r\n"
    )
    wire, transport = wire_with(
        server, capabilities=("IMAP4rev1", "SPECIAL-USE", "LIST-EXTENDED", "LIST-STATUS", "CONDSTORE")
    )
    folders = wire.list_folders()
    assert transport.sent[0].startswith(
        b'W1 LIST "" "*" RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN'
    )
    assert [(f.name, f.special_use, f.status.get("UNSEEN")) for f in folders] == [
        ("INBOX", None, 1),
        ("จดหมายที่ส่งแล้ว", "\\sent", 0),
    ]


def test_store_move_and_append():
    wire, transport = wire_with(
        b"* 3 FETCH (UID 7 MODSEQ (50))\r\nW1 OK [MODIFIED 9] done\r\n"
        b"* OK [COPYUID 38505 7:8 100:101] moved\r\n* 3 EXPUNGE\r\n* 3 EXPUNGE\r\nW2 OK done\r\n"
        b"+ go ahead\r\nW3 OK [APPENDUID 38505 102] done\r\n"
    )
    changed, modified = wire.store_flags("7:9", "+", ["\\Seen"], unchangedsince=49)
    assert transport.sent[0] == b"W1 UID STORE 7:9 (UNCHANGEDSINCE 49) +FLAGS.SILENT (\\Seen)\r\n"
    assert modified == "9" and changed[0].modseq == 50
    assert wire.uid_move("7:8", "Trash") == {7: 100, 8: 101}
    assert wire.take_events()[-2:] == [Expunge(3), Expunge(3)]
    assert wire.append("Drafts", b"Subject: x\r\n\r\nbody", flags=["\\Draft"]) == 102
    assert transport.sent[-2] == b'W3 APPEND "Drafts" (\\Draft) {18}\r\n'


def test_idle_events_and_done():
    wire, transport = wire_with(b"+ idling\r\n", capabilities=("IMAP4rev1", "IDLE"))
    wire.idle_start()
    assert wire.idle_wait(0.01) == []  # nothing yet: a timeout, not an error
    transport.feed(b"* 5 EXISTS\r\n* 2 FETCH (FLAGS (\\Seen))\r\n")
    assert wire.idle_wait(0.01) == [Exists(5), FlagsChanged(2, None, ("\\Seen",), None)]
    with pytest.raises(RuntimeError, match="command while IDLE"):
        wire.noop()
    transport.feed(b"* 1 EXPUNGE\r\nW1 OK idle done\r\n")
    assert wire.idle_done() == [Expunge(1)]
    assert transport.sent[-1] == b"DONE\r\n"


def test_fetch_stream_closed_at_its_last_batch_does_not_wait_for_more():
    rows = b"".join(flags_line(i, i) + b"\r\n" for i in range(1, 4))
    wire, transport = wire_with(rows + b"W1 OK done\r\n* OK still here\r\nW2 OK noop\r\n", chunk=4096)
    stream = wire.fetch_stream("1:*", "UID FLAGS", batch_size=100)
    batch = next(stream)  # the whole answer, tagged line included
    assert len(batch.messages) == 3
    stream.close()  # must not try to read a tagged answer that was already read
    assert wire.noop() == [] and transport.timeouts == 0 and not wire.broken
