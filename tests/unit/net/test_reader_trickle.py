"""A response line that arrives a few bytes at a time is gathered in linear work.

The reader used to append every chunk to its buffer (a copy of everything so far) and look
for the line's end from the start again, so a server trickling a long line (or an endless one,
up to the 16 MB line bound) one byte per packet made the client copy O(n²) bytes: minutes of
CPU for one line. Work is measured, not timed: the buffer the reader holds at each receive
(what a copy would cost) summed over the receives, for a line of n bytes, must stay within a
small multiple of n."""

from __future__ import annotations

import pytest

from govmail_desktop.net.imap.reader import ResponseReader, TooMuchData


class Trickle:
    def __init__(self, data: bytes, chunk: int) -> None:
        self.data = data
        self.chunk = chunk
        self.pos = 0
        self.reader: ResponseReader | None = None
        self.held = 0  # bytes the reader's buffer held, summed over the receives

    def send(self, data: bytes) -> None:
        pass

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        assert self.reader is not None
        self.held += len(self.reader._buf)
        out = self.data[self.pos : self.pos + min(self.chunk, max_bytes)]
        self.pos += len(out)
        return out

    def close(self) -> None:
        pass


def reader_for(data: bytes, chunk: int) -> tuple[ResponseReader, Trickle]:
    transport = Trickle(data, chunk)
    reader = ResponseReader(transport, timeout=1.0)
    transport.reader = reader
    return reader, transport


@pytest.mark.parametrize("chunk", [1, 7, 1400])
def test_a_long_line_in_small_chunks_is_read_in_linear_work(chunk):
    n = 200_000
    line = b"* SEARCH " + b"1 " * (n // 2)
    reader, transport = reader_for(line + b"\r\n* OK done\r\n", chunk)
    assert reader.read_response().line == line
    assert reader.read_response().line == b"* OK done"
    assert transport.held <= 4 * len(line)


def test_the_bulk_path_gathers_a_trickled_line_in_linear_work():
    line = b"* 1 FETCH (UID 1 BODY[HEADER.FIELDS (SUBJECT)] \"" + b"x" * 100_000 + b"\")"
    reader, transport = reader_for(line + b"\r\nA1 OK done\r\n", 3)
    got = []
    while not got or got[-1][0][:1] == b"*":
        got += reader.read_available()
    assert [entry[0] for entry in got] == [line, b"A1 OK done"]
    assert transport.held <= 4 * len(line)


def test_bare_line_feeds_do_not_end_the_gathering_early():
    line = b"* OK " + b"a\n" * 50_000
    reader, transport = reader_for(line + b"\r\n", 2)
    assert reader.read_response().line == line
    assert transport.held <= 4 * len(line)


def test_an_endless_trickled_line_still_stops_at_the_line_bound(monkeypatch):
    from govmail_desktop.net.imap import bounds

    monkeypatch.setattr(bounds, "MAX_LINE", 50_000)
    reader, transport = reader_for(b"* OK " + b"z" * 200_000, 5)
    with pytest.raises(TooMuchData):
        reader.read_response()
    assert transport.pos <= 50_000 + 2 * ResponseReader.CHUNK
    assert transport.held <= 4 * 50_000
