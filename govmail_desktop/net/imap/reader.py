"""Bytes from a transport to IMAP responses, with ``{n}`` literals cut out, bounded.

:class:`ResponseReader` splits the stream into responses (and, for the bulk header
sync, hands rows in the common layout to a builder straight from the read buffer);
:class:`SocketTransport` reads the verified TLS socket, taking over what imaplib had
already buffered. The bounds below protect memory and time against a hostile or
broken server.
"""

from __future__ import annotations

import re
import select
import socket
import ssl
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from govmail_desktop.net.imap import bounds
from govmail_desktop.net.imap.grammar import excerpt

#: Makes what the caller keeps of one FETCH row in the common layout, from the pattern's
#: match in the read buffer and the row's literal (None: the row takes the general path).
#: See :meth:`ResponseReader.read_bulk`.
RowBuilder = Callable[["re.Match[bytes]", "bytes | None"], Any]

#: Largest section literal the bulk path takes in place (bigger ones: the general path).
BULK_LITERAL_MAX = 1 << 16

_LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}\Z")


class TooMuchData(Exception):
    """The server sent more than a mail server would (see ``bounds``).

    Deliberately not a ParseError: code that skips an unreadable row must never
    swallow it.
    """


_FETCH_RESPONSE = re.compile(rb"\* \d+ FETCH ", re.IGNORECASE)


def _literal_limit(buf: bytes, start: int) -> int:
    """Literal bytes the response at ``start`` may carry: message data only in a FETCH."""
    return bounds.MAX_LITERAL if _FETCH_RESPONSE.match(buf, start) is not None else bounds.MAX_SMALL_LITERAL


class Transport(Protocol):
    """A connected, already secure byte stream."""

    def send(self, data: bytes) -> None: ...

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        """Up to max_bytes; b"" at end of stream; raises TimeoutError after ``timeout``."""
        ...

    def close(self) -> None: ...


class SocketTransport:
    """Transport over a socket that someone else (imaplib) may have read from.

    imaplib reads through a BufferedReader (``file``); anything it buffered is
    taken over once, after which this object reads the socket directly. Timeouts
    use poll/select, so a timeout never leaves a half-read buffer behind.
    """

    #: Largest block one ``recv`` returns (the reused read buffer's size).
    BLOCK_MAX = 1 << 20

    def __init__(self, sock: socket.socket, file: Any | None = None, *, timeout: float = 60.0) -> None:
        self.sock = sock
        self._file = file
        self._leftover = self._drain(sock, file) if file is not None else b""
        self._block = bytearray()
        # A blocking socket with a timeout: a dead network ends a read with TimeoutError.
        sock.settimeout(timeout)

    @staticmethod
    def _drain(sock: socket.socket, file: Any) -> bytes:
        previous = sock.gettimeout()
        sock.setblocking(False)
        try:
            data = file.peek(65536)
        except (BlockingIOError, ssl.SSLWantReadError, InterruptedError):
            data = b""
        except (OSError, ValueError):
            data = b""
        finally:
            sock.settimeout(previous)
        if data:
            data = file.read1(len(data))
        return data or b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        if self._leftover:
            data, self._leftover = self._leftover, b""
            return data
        sock = self.sock
        tls = sock if isinstance(sock, ssl.SSLSocket) else None
        pending = tls.pending() if tls is not None else 0
        if not pending and timeout is not None:
            if not _wait_readable(sock, timeout):
                raise TimeoutError(f"no data within {timeout:.0f} s")
        # TLS hands out one record (<= 16 KiB) per read: take whatever else has
        # arrived too, so that a 50 MB FETCH is parsed in big blocks. The records
        # are read into one reused buffer (sock.recv(n) would allocate n bytes per
        # record) and copied out once.
        max_bytes = min(max_bytes, self.BLOCK_MAX)
        if len(self._block) < max_bytes:
            self._block = bytearray(max_bytes)
        view = memoryview(self._block)
        try:
            total = sock.recv_into(view, max_bytes)
            while total and total < max_bytes and ((tls is not None and tls.pending()) or _wait_readable(sock, 0)):
                more = sock.recv_into(view[total:], max_bytes - total)
                if not more:
                    break  # end of stream: the next call reports it
                total += more
            return bytes(view[:total])
        finally:
            view.release()

    def close(self) -> None:
        # The reader holds a reference to the descriptor: close both.
        for closable in (self._file, self.sock):
            if closable is None:
                continue
            try:
                closable.close()
            except (OSError, ValueError):
                pass

def _wait_readable(sock: socket.socket, timeout: float) -> bool:
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(max(0.0, timeout) * 1000))
    readable, _, _ = select.select([sock], [], [], max(0.0, timeout))
    return bool(readable)


class Response(NamedTuple):
    """One complete server response: its text with literals cut out, and the literals."""

    line: bytes
    literals: Sequence[bytes]


class ResponseReader:
    """Splits the byte stream into responses, bounded in size."""

    CHUNK = 1 << 18

    def __init__(self, transport: Transport, timeout: float | None = 60.0) -> None:
        self.transport = transport
        self.timeout = timeout
        self._buf = b""
        self._pos = 0
        self.bytes_read = 0
        #: Responses read ahead of the command they belong to (see :meth:`unread`).
        self._pushed_back: list[tuple[bytes, Sequence[bytes]]] = []
        # What the responses of the current command may still add up to (see budget()).
        self._responses_left = bounds.UNTAGGED_BASE
        self._bytes_left: int | None = bounds.RETAINED_BASE

    def budget(self, responses: int, retained_bytes: int | None) -> None:
        """Start counting a new command's responses: at most ``responses`` of them and
        ``retained_bytes`` bytes (None: not counted, for streams) before TooMuchData."""
        self._responses_left = responses
        self._bytes_left = retained_bytes

    def extend_budget(self, responses: int, retained_bytes: int) -> None:
        """More allowance for the current command (the folder turned out bigger)."""
        self._responses_left += responses
        if self._bytes_left is not None:
            self._bytes_left += retained_bytes

    def _spend(self, responses: int, size: int) -> None:
        self._responses_left -= responses
        if self._responses_left < 0:
            raise TooMuchData("more responses to one command than a mail server would send")
        if self._bytes_left is not None:
            self._bytes_left -= size
            if self._bytes_left < 0:
                raise TooMuchData("more response data for one command than a mail server would send")

    def unread(self, responses: Sequence[tuple[bytes, Sequence[bytes]]]) -> None:
        """Give back responses that followed a command's tagged answer (bulk reading
        may take them in the same block); the next read returns them first."""
        self._pushed_back[:0] = list(responses)

    def _fill(self, timeout: float | None = None, *, gather: bool = True) -> None:
        """Read more: until a line end (CRLF) arrives or the pending data passes the line bound.

        Chunks are collected and joined once, so a line trickled a few bytes per packet costs
        linear work (appending each chunk to the buffer copied everything so far: O(n²) for a
        16 MB line). A chunk without CRLF cannot complete the pending response, so nothing
        waits that would not have waited anyway. ``gather=False``: return after one chunk.
        What was read is kept in the buffer whatever happens (a timeout, a closed connection).
        """
        wait = self.timeout if timeout is None else timeout
        pending = self._buf[self._pos :] if self._pos else self._buf
        self._buf, self._pos = pending, 0  # what was taken is let go before the wait
        parts = [pending]
        have = len(pending)
        last = pending[-1:]
        try:
            while True:
                data = self.transport.recv(self.CHUNK, wait)
                if not data:
                    raise EOFError("connection closed by the server")
                self.bytes_read += len(data)
                parts.append(data)
                have += len(data)
                if (
                    not gather or b"\r\n" in data or (last == b"\r" and data[:1] == b"\n")
                    or have > bounds.MAX_LINE
                ):
                    return
                last = data[-1:]
        finally:
            self._buf = b"".join(parts) if len(parts) > 1 else pending

    def buffered(self) -> int:
        return len(self._buf) - self._pos + (1 if self._pushed_back else 0)

    def _readline(self) -> bytes:
        while True:
            idx = self._buf.find(b"\r\n", self._pos)
            if idx >= 0:
                line = self._buf[self._pos : idx]
                self._pos = idx + 2
                return line
            if len(self._buf) - self._pos > bounds.MAX_LINE:
                raise TooMuchData(f"a response line longer than {bounds.MAX_LINE} bytes")
            self._fill()

    def _readexact(self, n: int) -> bytes:
        available = len(self._buf) - self._pos
        if available < n:
            # Collect big literals in parts (no quadratic re-copying of the buffer).
            parts = [self._buf[self._pos :]]
            have = available
            self._buf, self._pos = b"", 0
            while have < n:
                data = self.transport.recv(max(self.CHUNK, min(n - have, 1 << 22)), self.timeout)
                if not data:
                    raise EOFError("connection closed by the server")
                self.bytes_read += len(data)
                parts.append(data)
                have += len(data)
            joined = b"".join(parts)
            self._buf = joined[n:]
            return joined[:n]
        data = self._buf[self._pos : self._pos + n]
        self._pos += n
        return data

    def read_response(self) -> Response:
        """One response (a line plus the literals it announces)."""
        if self._pushed_back:
            pushed_line, pushed_literals = self._pushed_back.pop(0)
            self._spend(1, len(pushed_line) + sum(map(len, pushed_literals)))
            return Response(pushed_line, list(pushed_literals))
        line = self._readline()
        m = _LITERAL_AT_END.search(line)
        if m is None:
            self._spend(1, len(line))
            return Response(line, [])
        parts = [line]
        literals: list[bytes] = []
        limit = _literal_limit(line, 0)
        total = 0
        while m is not None:
            size = int(m.group(1))
            total += size
            if total > limit:
                raise TooMuchData(f"a literal of {size} bytes in {excerpt(parts[0], 40)}")
            literals.append(self._readexact(size))
            line = self._readline()
            parts.append(line)
            m = _LITERAL_AT_END.search(line)
        response = Response(b"".join(parts), literals)
        self._spend(1, len(response.line) + total)
        return response

    def read_available(self) -> list[tuple[bytes, Sequence[bytes]]]:
        """Every complete response now in the buffer, as (line, literals); waits for
        data when there is not one complete response yet (one pass over the buffer).
        """
        if self._pushed_back:
            pushed, self._pushed_back = self._pushed_back, []
            self._spend(len(pushed), sum(len(line) + sum(map(len, lits)) for line, lits in pushed))
            return pushed
        out: list[tuple[bytes, Sequence[bytes]]] = []
        while True:
            buf = self._buf
            pos = start = self._pos
            end = len(buf)
            while True:
                parsed = self._one_response(buf, pos)
                if parsed is None:
                    break  # incomplete: wait for more data
                line, literals, pos = parsed
                out.append((line, literals))
            self._pos = pos
            if out:
                self._spend(len(out), pos - start)
                return out
            big = self._wait_for_more(end - pos)
            if big is not None:
                return [big]

    def _wait_for_more(self, pending: int) -> Response | None:
        """No complete response in the buffer: read more (or refuse an endless line).

        Returns the pending response when it announces a literal bigger than the
        buffer grows by (read in parts instead)."""
        if pending > bounds.MAX_LINE:
            raise TooMuchData(f"a response line longer than {bounds.MAX_LINE} bytes")
        if self._needs_big_read():
            return self.read_response()
        self._fill()
        return None

    def read_bulk(
        self,
        pattern: re.Pattern[bytes],
        build: RowBuilder,
        rows: list[Any],
    ) -> list[tuple[bytes, Sequence[bytes]]]:
        """Like :meth:`read_available`, with a shortcut for the common FETCH row.

        At each response, ``pattern.match(buffer, pos)`` (:data:`SUMMARY_ROW_RE`) is
        tried first. A match must end where the response's line ends, or with the
        marker of a literal whose size is its group ``literal``; the literal must
        then end the response (``)\r\n``). For a match, ``build(match, literal)`` is
        called (``literal``: that literal, or None) and what it returns, unless None,
        is appended to ``rows``. Everything else — no match, ``build`` returned None, a cut-off or
        oversized literal — is returned as (line, literals) exactly as
        :meth:`read_available` would. Stops after a response that is not untagged
        (a command's answer), so nothing after it is taken as a row of this command.
        """
        if self._pushed_back:
            pushed, self._pushed_back = self._pushed_back, []
            self._spend(len(pushed), sum(len(line) + sum(map(len, lits)) for line, lits in pushed))
            return pushed
        out: list[tuple[bytes, Sequence[bytes]]] = []
        append_row = rows.append
        taken = len(rows)
        match = pattern.match
        literal_group = pattern.groupindex["literal"]
        while True:
            buf = self._buf
            pos = start = self._pos
            end = len(buf)
            stop = False
            while pos < end:
                m = match(buf, pos)
                if m is not None:
                    after = m.end()
                    size = m.group(literal_group)
                    if size is None:
                        row = build(m, None)
                        if row is not None:
                            append_row(row)
                            pos = after
                            continue
                    else:
                        n = int(size)
                        close = after + n
                        if n <= BULK_LITERAL_MAX:
                            if close + 3 > end:
                                break  # the literal is not all here yet
                            if buf[close : close + 3] == b")\r\n":
                                row = build(m, buf[after:close])
                                if row is not None:
                                    append_row(row)
                                    pos = close + 3
                                    continue
                parsed = self._one_response(buf, pos)
                if parsed is None:
                    break  # incomplete: wait for more data
                line, literals, pos = parsed
                out.append((line, literals))
                if line[:1] != b"*":
                    stop = True
                    break
            self._pos = pos
            if out or len(rows) > taken or stop:
                # Rows a builder declined (None) are not counted: they come back in ``out``.
                self._spend(len(out) + len(rows) - taken, pos - start)
                return out
            big = self._wait_for_more(end - pos)
            if big is not None:
                return [big]

    def _one_response(self, buf: bytes, pos: int) -> tuple[bytes, Sequence[bytes], int] | None:
        """The response starting at ``pos`` if it is complete in ``buf``: (line, literals, end)."""
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        if eol > pos and buf[eol - 1] == 125:  # "}": perhaps a literal follows
            m = _LITERAL_AT_END.search(buf, max(pos, eol - 24), eol)
            if m is not None:
                return self._literal_response(buf, pos, m)
        return buf[pos:eol], (), eol + 2

    def _needs_big_read(self) -> bool:
        """The pending response announces a literal larger than the buffer grows by."""
        eol = self._buf.find(b"\r\n", self._pos)
        if eol < 0:
            return False
        m = _LITERAL_AT_END.search(self._buf, self._pos, eol)
        return m is not None and int(m.group(1)) > self.CHUNK

    @staticmethod
    def _literal_response(
        buf: bytes, start: int, m: re.Match[bytes]
    ) -> tuple[bytes, list[bytes], int] | None:
        """A response with literals entirely inside ``buf``, or None if it is cut off."""
        parts = []
        literals = []
        pos = start
        total = 0
        limit = _literal_limit(buf, start)
        while True:
            eol = m.end()
            size = int(m.group(1))
            total += size
            if total > limit:
                raise TooMuchData(f"a literal of {size} bytes in {excerpt(buf[start:eol], 40)}")
            parts.append(buf[pos:eol])
            data_start = eol + 2
            data_end = data_start + size
            if data_end > len(buf):
                return None
            literals.append(buf[data_start:data_end])
            pos = data_end
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                return None
            following = (
                _LITERAL_AT_END.search(buf, max(pos, eol - 24), eol) if eol > pos and buf[eol - 1] == 125 else None
            )
            if following is None:
                parts.append(buf[pos:eol])
                return b"".join(parts), literals, eol + 2
            m = following

    def take_buffered(self) -> bytes:
        """The bytes read and not yet taken as responses, handed over and forgotten (for a
        caller that reads the rest of a command's answer by itself)."""
        data = self._buf[self._pos :]
        self._buf, self._pos = b"", 0
        return data

    def wait_readable(self, timeout: float) -> bool:
        """True when a response (or part of one) arrived within ``timeout`` seconds."""
        if self.buffered():
            return True
        try:
            self._fill(timeout, gather=False)
        except TimeoutError:
            return False
        return True
