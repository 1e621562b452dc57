"""Guard for the class "unbounded reads": a hostile server cannot make the app read without limit.

Every public method of ImapWire that reads from the server is driven into endless
floods of each kind — untagged lines, unsolicited changes, an endless line, huge
literals — from an in-memory transport that gives up after FLOOD_CAP bytes. A
bounded path ends the connection with ServerError ``server-too-much-data`` long
before that; one that reads on is reported. The guard runs with every bound scaled
down (:data:`SMALL_BOUNDS`), so that a hundred cases take a second: what it checks
is that a bound applies on each path; the real values are checked below and, over
TLS, in the integration tests. A new public method must join the table
(or the short, reasoned exemption list), so the next read path is checked too.
Planted instances (a method reading past the bounded reader, bounds switched off)
prove that the guard catches them.

The named tests below it check the bounds themselves, and that what a real server
sends — a 50 MB message, a big folder's changes, many folders — still arrives.
The same read paths over real TLS sockets, and the connect/login/SMTP phases, are
in tests/integration/test_hostile_servers.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from govmail_desktop.core.errors import ServerError
from govmail_desktop.net import failures
from govmail_desktop.net.imap import bounds as imap_bounds
from govmail_desktop.net.imap.client import ImapWire

#: A flood the reader took this much of is not bounded (every bound in SMALL_BOUNDS is far below it).
FLOOD_CAP = 1024 * 1024
#: The guard's bounds: the real ones scaled down.
SMALL_BOUNDS = {
    "MAX_LINE": 64 * 1024,
    "MAX_LITERAL": 64 * 1024,
    "MAX_SMALL_LITERAL": 4 * 1024,
    "UNTAGGED_BASE": 200,
    "MAX_FOLDERS": 100,
    "RETAINED_BASE": 256 * 1024,
}
CAPS = (
    "IMAP4rev1", "ENABLE", "UNSELECT", "UIDPLUS", "MOVE", "ESEARCH", "CONDSTORE", "QRESYNC",
    "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "IDLE", "CREATE-SPECIAL-USE",
)


class FloodNotStopped(Exception):
    """The client read FLOOD_CAP bytes of a flood."""


@dataclass(frozen=True)
class Flood:
    unit: bytes
    head: bytes = b""


class FloodTransport:
    """``prelude`` + ``flood.head``, then ``flood.unit`` over and over (never split
    across the wrap-around), until FLOOD_CAP bytes: then FloodNotStopped."""

    def __init__(self, prelude: bytes, flood: Flood) -> None:
        self.pending = bytearray(prelude + flood.head)
        self.block = flood.unit * max(1, (1 << 20) // len(flood.unit))
        self.offset = 0
        self.delivered = 0
        self.closed = False

    def send(self, data: bytes) -> None:
        if self.closed:
            raise OSError("closed")

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        if self.closed:
            raise OSError("closed")
        if self.delivered >= FLOOD_CAP:
            raise FloodNotStopped(f"{self.delivered} bytes read")
        if self.pending:
            data = bytes(self.pending[:max_bytes])
            del self.pending[: len(data)]
        else:
            data = self.block[self.offset : self.offset + max_bytes]
            self.offset = (self.offset + len(data)) % len(self.block)
        self.delivered += len(data)
        return data

    def close(self) -> None:
        self.closed = True


LINES = Flood(b"* OK still here\r\n")
CHANGES = Flood(b"* 1 FETCH (FLAGS (\\Seen))\r\n")
EXPUNGES = Flood(b"* 1 EXPUNGE\r\n")
ENDLESS_LINE = Flood(b"X" * 4096, head=b"* OK ")
HUGE_LITERAL = Flood(b"x" * 4096, head=b'* LIST () "/" {999999999999}\r\n')
HUGE_FETCH_LITERAL = Flood(b"x" * 4096, head=b"* 1 FETCH (UID 1 BODY[] {999999999999}\r\n")
FLOODS = {
    "lines": LINES, "changes": CHANGES, "expunges": EXPUNGES, "endless line": ENDLESS_LINE,
    "huge literal": HUGE_LITERAL, "huge FETCH literal": HUGE_FETCH_LITERAL,
}
SUMMARY_ROW = (
    b'* 1 FETCH (UID 1 FLAGS () INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 10 '
    b"BODY[HEADER.FIELDS (SUBJECT)] {4}\r\nab\r\n)\r\n"
)


def _unselect(wire: ImapWire) -> None:
    wire.selected = "INBOX"
    wire.unselect()


def _idle_wait(wire: ImapWire) -> None:
    wire.idle_start()
    wire.idle_wait(5)


def _idle_done(wire: ImapWire) -> None:
    wire.idle_start()
    wire.idle_done()


#: Every reading method, and how to drive it into the flood (prelude: what comes first).
READ_PATHS: dict[str, tuple[Callable[[ImapWire], object], bytes]] = {
    "append": (lambda wire: wire.append("INBOX", b"Subject: x\r\n\r\nx"), b""),
    "capability": (lambda wire: wire.capability(), b""),
    "command": (lambda wire: wire.command(b"NAMESPACE"), b""),
    "command_with_literal": (lambda wire: wire.command_with_literal(b"APPEND INBOX", b"x"), b""),
    "command_with_literals": (lambda wire: wire.command_with_literals([b"SEARCH TEXT ", b""], [b"x"]), b""),
    "create": (lambda wire: wire.create("Reports"), b""),
    "delete": (lambda wire: wire.delete("Reports"), b""),
    "enable": (lambda wire: wire.enable("QRESYNC"), b""),
    "fetch": (lambda wire: wire.fetch("1:*", "UID FLAGS"), b""),
    "fetch_stream": (lambda wire: list(wire.fetch_stream("1:*", "UID FLAGS")), b""),
    "idle_done": (_idle_done, b"+ idling\r\n"),
    "idle_start": (lambda wire: wire.idle_start(), b""),
    "idle_wait": (_idle_wait, b"+ idling\r\n"),
    "list_folders": (lambda wire: wire.list_folders(), b""),
    "logout": (lambda wire: wire.logout(), b""),
    "lsub_folders": (lambda wire: wire.lsub_folders(), b""),
    "noop": (lambda wire: wire.noop(), b""),
    "select": (lambda wire: wire.select("INBOX"), b""),
    "status": (lambda wire: wire.status("INBOX"), b""),
    "store_flags": (lambda wire: wire.store_flags("1:5", "+", ["\\Seen"]), b""),
    "subscribe": (lambda wire: wire.subscribe("Reports"), b""),
    "uid_copy": (lambda wire: wire.uid_copy("1:5", "Archive"), b""),
    "uid_expunge": (lambda wire: wire.uid_expunge("1:5"), b""),
    "uid_move": (lambda wire: wire.uid_move("1:5", "Archive"), b""),
    "uid_search": (lambda wire: wire.uid_search(), b""),
    "uid_search_text": (lambda wire: wire.uid_search_text([b"TEXT", "งบประมาณ"]), b"+ go on\r\n"),
    "unselect": (_unselect, b""),
    "xlist_folders": (lambda wire: wire.xlist_folders(), b""),
}
#: Public methods that need no flood case, and why.
EXEMPT = {
    "close": "reads nothing",
    "interrupt": "reads nothing (shuts the socket down from another thread)",
    "has": "reads nothing",
    "take_events": "reads nothing",
    "read_fetch_raw": "benchmarks only: keeps at most 256 bytes of what it reads (the wire floor)",
}
#: A bulk header sync's rows, taken in place by a row builder (ResponseReader.read_bulk).
BULK_ROWS = (
    lambda wire: list(wire.fetch_stream("1:*", "UID FLAGS", row_builder=lambda match, literal: 1)),
    Flood(SUMMARY_ROW),
)


def unclassified(cls: type) -> set[str]:
    """Public methods of ``cls`` neither driven by the guard nor exempt."""
    public = {name for name, value in inspect.getmembers(cls) if not name.startswith("_") and callable(value)}
    return public - set(READ_PATHS) - set(EXEMPT)


def flood_verdict(drive: Callable[[ImapWire], object], flood: Flood, prelude: bytes = b"", wire_cls=ImapWire) -> str:
    """"" when the path ended the connection with ServerError(server-too-much-data)
    before FLOOD_CAP bytes; otherwise what it did instead."""
    transport = FloodTransport(prelude, flood)
    wire = wire_cls(transport, host="hostile.example", capabilities=CAPS, timeout=5)
    try:
        drive(wire)
    except FloodNotStopped as exc:
        return f"read the flood without stopping ({exc})"
    except ServerError as exc:
        if exc.code != failures.TOO_MUCH_DATA:
            return f"reported {exc.code}: {exc.detail}"
        return "" if transport.closed and wire.broken else "did not end the connection"
    except Exception as exc:  # anything else is a finding
        return f"raised {type(exc).__name__}: {exc}"
    # LOGOUT swallows errors: it must still have ended the connection at the bound.
    if transport.closed and wire.broken:
        return ""
    return f"returned normally after {transport.delivered} bytes of a flood"


# -- the guard -------------------------------------------------------------------------------------


@pytest.fixture
def small_bounds(monkeypatch):
    for name, value in SMALL_BOUNDS.items():
        assert value < getattr(imap_bounds, name)
        monkeypatch.setattr(imap_bounds, name, value)


def test_every_public_method_of_the_wire_is_driven_into_floods_or_exempt():
    assert unclassified(ImapWire) == set()
    assert set(EXEMPT) <= {name for name, _ in inspect.getmembers(ImapWire)}, "stale exemption"


@pytest.mark.parametrize("flood", sorted(FLOODS))
@pytest.mark.parametrize("path", sorted(READ_PATHS))
def test_every_read_path_is_bounded(small_bounds, path, flood):
    drive, prelude = READ_PATHS[path]
    assert flood_verdict(drive, FLOODS[flood], prelude) == ""


@pytest.mark.parametrize("flood", [Flood(SUMMARY_ROW), LINES, ENDLESS_LINE, HUGE_FETCH_LITERAL])
def test_bulk_rows_taken_in_place_are_bounded(small_bounds, flood):
    assert flood_verdict(BULK_ROWS[0], flood) == ""


# -- the guard catches planted instances -------------------------------------------------------------


class PlantedWire(ImapWire):
    def unbounded_noop(self) -> list[bytes]:
        """Reads past the bounded reader, keeping everything until the tagged answer."""
        tag = self._next_tag()
        self._send(tag + b" NOOP\r\n", "NOOP")
        kept: list[bytes] = []
        while tag + b" " not in kept[-1:][0] if kept else True:
            kept.append(self.transport.recv(1 << 16, 5))
        return kept


def test_guard_flags_a_new_method_that_is_not_in_the_table():
    assert unclassified(PlantedWire) == {"unbounded_noop"}


def test_guard_catches_a_read_past_the_bounded_reader(small_bounds):
    verdict = flood_verdict(lambda wire: wire.unbounded_noop(), LINES, wire_cls=PlantedWire)
    assert "without stopping" in verdict


@pytest.mark.parametrize(
    "bounds, path, flood",
    [
        (("UNTAGGED_BASE", "RETAINED_BASE"), "noop", LINES),
        (("UNTAGGED_BASE",), "fetch_stream", CHANGES),  # streams: only the count applies
        (("MAX_LINE",), "noop", ENDLESS_LINE),
        (("MAX_SMALL_LITERAL",), "list_folders", HUGE_LITERAL),
        (("MAX_LITERAL",), "fetch", HUGE_FETCH_LITERAL),
    ],
)
def test_guard_catches_a_bound_switched_off(small_bounds, monkeypatch, bounds, path, flood):
    for bound in bounds:
        monkeypatch.setattr(imap_bounds, bound, 10**13)
    drive, prelude = READ_PATHS[path]
    assert "without stopping" in flood_verdict(drive, flood, prelude)


# -- the bounds, and what a real server sends still arrives ----------------------------------------


class Script:
    """Server bytes in big chunks, then nothing (the tests' end of a conversation)."""

    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.closed = False

    def send(self, data: bytes) -> None:
        pass

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        out = bytes(self.data[:max_bytes])
        self.data = self.data[len(out) :]
        return out

    def close(self) -> None:
        self.closed = True


def _wire(data: bytes) -> ImapWire:
    return ImapWire(Script(data), host="mail.agency.go.th", capabilities=CAPS, timeout=5)


def _refused(call: Callable[[], object]) -> ServerError:
    with pytest.raises(ServerError) as info:
        call()
    assert info.value.code == failures.TOO_MUCH_DATA
    return info.value


def test_a_50_mb_message_body_still_arrives():
    body = b"x" * (50 * 1024 * 1024)
    wire = _wire(b"* 1 FETCH (UID 9 BODY[] {%d}\r\n%s)\r\nW1 OK done\r\n" % (len(body), body))
    (message,) = wire.fetch("9", "BODY.PEEK[]")
    assert len(message.sections["BODY[]"]) == len(body)


def test_literals_outside_a_fetch_are_small():
    name = b"x" * 1000
    wire = _wire(b'* LIST () "/" {%d}\r\n%s\r\nW1 OK done\r\n' % (len(name), name))
    assert [f.wire_name for f in wire.list_folders(with_status=False)] == [name]
    big = imap_bounds.MAX_SMALL_LITERAL + 1
    wire = _wire(b'* LIST () "/" {%d}\r\n' % big + b"x" * big + b"\r\nW1 OK done\r\n")
    _refused(lambda: wire.list_folders(with_status=False))
    assert wire.broken and wire.transport.closed


def test_responses_per_command_grow_with_the_folder_the_server_announced(monkeypatch):
    monkeypatch.setattr(imap_bounds, "UNTAGGED_BASE", 10)
    messages = 3000
    changes = b"".join(b"* %d FETCH (FLAGS (\\Seen))\r\n* 1 EXPUNGE\r\n" % n for n in range(1, messages + 1))
    select = b"* %d EXISTS\r\n* OK [UIDVALIDITY 7] x\r\nW1 OK [READ-WRITE] done\r\n" % messages
    wire = _wire(select + changes + b"W2 OK done\r\n")
    wire.select("INBOX")
    assert len(wire.noop()) == 2 * messages  # every message changed and expunged: still fine
    wire = _wire(select + changes + b"* OK one more\r\n" * 11 + b"W2 OK done\r\n")
    wire.select("INBOX")
    _refused(wire.noop)


def test_what_a_folder_claims_is_counted_up_to_a_limit(monkeypatch):
    monkeypatch.setattr(imap_bounds, "UNTAGGED_BASE", 10)
    monkeypatch.setattr(imap_bounds, "MAX_COUNTED_MESSAGES", 100)
    wire = _wire(b"* 4000000000 EXISTS\r\nW1 OK done\r\n" + b"* 1 EXPUNGE\r\n" * 211 + b"W2 OK done\r\n")
    wire.select("INBOX")
    _refused(wire.noop)  # 10 + 2 x 100 allowed, not 2 x 4,000,000,000


def test_changes_left_untaken_across_commands_are_bounded(monkeypatch):
    monkeypatch.setattr(imap_bounds, "UNTAGGED_BASE", 100)
    flood = b"".join(b"* 1 FETCH (FLAGS (\\Seen))\r\n" * 40 + b"W%d OK done\r\n" % tag for tag in range(1, 4))
    wire = _wire(flood)
    wire.command(b"CHECK")  # 40 changes: well under the bound of one command
    wire.command(b"CHECK")
    assert len(wire.events) == 80  # gathered, none taken yet
    _refused(lambda: wire.command(b"CHECK"))  # 120 changes waiting: more than 100


def test_list_has_room_for_many_folders_and_not_more(monkeypatch):
    monkeypatch.setattr(imap_bounds, "UNTAGGED_BASE", 10)
    monkeypatch.setattr(imap_bounds, "MAX_FOLDERS", 500)

    def listing(count: int) -> bytes:
        return b"".join(
            b'* LIST () "/" "F%d"\r\n* STATUS "F%d" (MESSAGES 1 UIDNEXT 2)\r\n' % (n, n) for n in range(count)
        ) + b"W1 OK done\r\n"

    assert len(_wire(listing(500)).list_folders()) == 500
    _refused(_wire(listing(501)).list_folders)


@pytest.mark.parametrize("kind", [b"XLIST", b"LIST"])  # Dovecot answers XLIST with LIST lines
def test_xlist_has_room_for_many_folders_and_not_more(monkeypatch, kind):
    monkeypatch.setattr(imap_bounds, "UNTAGGED_BASE", 10)
    monkeypatch.setattr(imap_bounds, "MAX_FOLDERS", 500)

    def listing(count: int) -> bytes:
        return b"".join(b'* %s () "/" "F%d"\r\n' % (kind, n) for n in range(count)) + b"W1 OK done\r\n"

    assert len(_wire(listing(500)).xlist_folders()) == 500
    _refused(_wire(listing(501)).xlist_folders)


def test_a_fetch_of_a_big_folder_has_room_for_its_rows(monkeypatch):
    monkeypatch.setattr(imap_bounds, "UNTAGGED_BASE", 10)
    rows = 5000
    data = b"* %d EXISTS\r\nW1 OK done\r\n" % rows + b"".join(
        b"* %d FETCH (UID %d FLAGS ())\r\n" % (n, n) for n in range(1, rows + 1)
    ) + b"W2 OK done\r\n"
    wire = _wire(data)
    wire.select("INBOX")
    assert len(wire.fetch("1:*", "UID FLAGS")) == rows
