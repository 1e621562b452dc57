"""sync/part_fetch.py without a server: which parts a skeleton holds, the fallback to the whole
message when the structure is hostile, and the one decoder for downloaded parts."""

from __future__ import annotations

import base64
import quopri
from collections.abc import Iterator

import pytest

from govmail_desktop.mime.skeleton import SKELETON_PART
from govmail_desktop.net.imap.bodystructure import parse_bodystructure_bytes
from govmail_desktop.net.imap.client import FetchBatch
from govmail_desktop.net.imap.fetch import parse_fetch
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import part_fetch
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.part_fetch import BODY, HEADER_ONLY, LEFT_OUT, fetch_message, plan
from tests.unit.store.factories import fill, summary

STRUCTURE = (
    b'(((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "BASE64" 9000000 16 NIL NIL NIL NIL)'
    b'("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 3400 40 NIL NIL NIL NIL) "ALTERNATIVE")'
    b'("IMAGE" "PNG" NIL "<logo@x>" NIL "BASE64" 500000 NIL ("INLINE" NIL) NIL NIL)'
    b'("IMAGE" "JPEG" NIL "<big@x>" NIL "BASE64" 3000000 NIL ("INLINE" NIL) NIL NIL) "RELATED")'
    b'("APPLICATION" "PDF" NIL NIL NIL "BASE64" 6990000 NIL ("ATTACHMENT" ("FILENAME" "a.pdf")) NIL NIL)'
    b'("TEXT" "CSV" NIL NIL NIL "7BIT" 20000 300 NIL ("ATTACHMENT" ("FILENAME" "small.csv")) NIL NIL)'
    b'("TEXT" "PLAIN" NIL NIL NIL "BASE64" 900000 300 NIL ("ATTACHMENT" ("FILENAME" "big.txt")) NIL NIL)'
    b'("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 900 (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL)'
    b' ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL NIL) 30 NIL NIL NIL NIL)'
    b'("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 4000000 (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL)'
    b' ("APPLICATION" "ZIP" NIL NIL NIL "BASE64" 3999000 NIL NIL NIL NIL) 30 NIL NIL NIL NIL) "MIXED")'
)


def test_the_skeleton_holds_text_inline_images_and_small_parts_only():
    decisions = plan(parse_bodystructure_bytes(STRUCTURE))
    assert decisions == {
        "1.1.1": BODY,  # the text (cut to what the preview decodes when bigger)
        "1.1.2": BODY,
        "1.2": BODY,  # an image of the HTML body
        "1.3": LEFT_OUT,  # ... unless it is big
        "2": LEFT_OUT,  # the PDF
        "3": BODY,  # a small file
        "4": LEFT_OUT,  # a big text file attached
        "5": BODY,  # a small attached message, whole
        "6": HEADER_ONLY,  # a big one: its header (subject) only
    }
    items = part_fetch._items(parse_bodystructure_bytes(STRUCTURE), decisions)
    assert f"BODY.PEEK[1.1.1]<0.{part_fetch.TEXT_MAX}>" in items
    assert "BODY.PEEK[2]" not in items and "BODY.PEEK[2.MIME]" in items and "BODY.PEEK[6.HEADER]" in items
    # Attached messages are not entered: the small one comes whole, the big one its header.
    inside = sorted(item for item in items if item.startswith(("BODY.PEEK[5", "BODY.PEEK[6")))
    assert inside == ["BODY.PEEK[5.MIME]", "BODY.PEEK[5]", "BODY.PEEK[6.HEADER]", "BODY.PEEK[6.MIME]"]


class FakeConnection:
    """Answers FETCH for one message: its RFC822.SIZE, a BODYSTRUCTURE as given, the whole body."""

    def __init__(self, structure: bytes, raw: bytes) -> None:
        self.structure = structure
        self.raw = raw
        self.selected: str | None = None
        self.asked: list[str] = []

    def select(self, folder: str) -> None:
        self.selected = folder

    def fetch_stream(self, uid_set: str, items: str) -> Iterator[FetchBatch]:
        self.asked.append(items)
        if "BODYSTRUCTURE" in items:
            line = b"* 1 FETCH (UID %s RFC822.SIZE 7000000 BODYSTRUCTURE %s BODY[HEADER] {2}\r\n)" % (
                uid_set.encode(), self.structure)
            message = parse_fetch(line.replace(b"{2}\r\n", b"{2}"), [b"\r\n"])
        else:
            line = b"* 1 FETCH (UID %s BODY[]<0> {%d})" % (uid_set.encode(), len(self.raw))
            message = parse_fetch(line, [self.raw])
        yield FetchBatch([message])


@pytest.fixture
def cache(tmp_path):
    store = MailCache(tmp_path / "cache.sqlite3")
    inbox = fill(store, count=1)
    store.insert_summaries(inbox, [summary(7, size=7_000_000)])
    yield store
    store.close()


@pytest.mark.parametrize("structure", [
    b"(" * 200 + b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1)' + b' "MIXED")' * 200,
    b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" "x" 1)',
    b"(" + b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1)' * 1500 + b' "MIXED")',
], ids=["deep", "malformed", "huge-count"])
def test_a_hostile_structure_keeps_the_message_whole_for_the_preview(cache, structure):
    raw = b"Subject: x\r\n\r\nbody\r\n"
    conn = FakeConnection(structure, raw)
    inbox = cache.folder_id("INBOX")
    assert fetch_message(conn, cache, "INBOX", 7, CancelToken()) == len(raw)
    assert cache.get_part(inbox, 7, "") == raw
    assert cache.get_part(inbox, 7, SKELETON_PART) is None
    assert conn.asked[-1] == "UID BODY.PEEK[]<0.16777216>"


def test_whole_asks_for_the_whole_message_even_when_large(cache):
    raw = b"Subject: x\r\n\r\nbody\r\n"
    conn = FakeConnection(b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1)', raw)
    fetch_message(conn, cache, "INBOX", 7, CancelToken(), whole=True)
    assert conn.asked == ["UID BODY.PEEK[]<0.16777216>"]
    assert cache.get_part(cache.folder_id("INBOX"), 7, "") == raw


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable", "8bit", "binary", "7bit"])
def test_downloaded_parts_are_decoded_by_the_parsers_decoder(encoding):
    text = "หนังสือราชการ = ๑๐๐%\r\n".encode() * 1000
    data = text + bytes(range(256))
    if encoding == "base64":
        sent = base64.encodebytes(data).replace(b"\n", b"\r\n")
    elif encoding == "quoted-printable":
        data = text  # quoted-printable carries text: its line breaks are CRLF
        sent = quopri.encodestring(text.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
    else:
        sent = data
    assert part_fetch.decode_body(sent, encoding) == data
