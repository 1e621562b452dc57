"""An in-memory IMAP server model for unit tests of sync/ and services/.

Only for what a real server cannot show on demand: a server without
CONDSTORE/QRESYNC, a connection that drops after exactly N rows, a NO at a
chosen command, changes injected between two precise steps. Integration
tests use the real Dovecot.

:class:`FakeConnection` implements ``sync.connection.MailboxConnection`` with
the same typed values as ``net.imap.client.ImapWire``; it records the commands it
was asked for (``commands``) so tests can assert round trips.
"""

from __future__ import annotations

import base64
import email.utils
import itertools
import threading
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from govmail_desktop.net import failures
from govmail_desktop.net.imap.client import FetchBatch, ImapCommandError
from govmail_desktop.net.imap.fetch import SUMMARY_ROW_RE, FetchedMessage, parse_fetch
from govmail_desktop.net.imap.grammar import format_sequence_set
from govmail_desktop.net.imap.reader import ResponseReader, RowBuilder
from govmail_desktop.net.imap.responses import (
    Event,
    Exists,
    Expunge,
    FlagsChanged,
    FolderListing,
    SearchResult,
    SelectResult,
    Vanished,
)
from govmail_desktop.sync import convert

FULL_CAPS = (
    "IMAP4REV1", "ESEARCH", "CONDSTORE", "QRESYNC", "ENABLE", "MOVE", "UIDPLUS", "IDLE",
    "SPECIAL-USE", "LIST-EXTENDED", "LIST-STATUS",
)
BASIC_CAPS = ("IMAP4REV1", "UIDPLUS")
#: What Courier-IMAP 5.0 offers (no ESEARCH, CONDSTORE, QRESYNC, SPECIAL-USE, LIST-STATUS).
COURIER_CAPS = (
    "IMAP4REV1", "UIDPLUS", "CHILDREN", "NAMESPACE", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "SORT",
    "QUOTA", "IDLE",
)
#: The header section as a Courier-like server echoes it: field names quoted (RFC 3501
#: astrings), here also in another order and case than asked.
COURIER_HEADER_ECHO = (
    'BODY[HEADER.FIELDS ("Content-Type" "References" "In-Reply-To" "Message-ID" "Subject" "Cc" "To" "From" '
    '"Date")]'
)


@dataclass
class FakeMessage:
    uid: int
    subject: str
    flags: set[str]
    modseq: int
    date: int
    sender: str = "somchai@agency.go.th"
    references: tuple[str, ...] = ()


@dataclass
class FakeFolder:
    name: str
    uidvalidity: int
    special_use: str | None = None
    uidnext: int = 1
    highestmodseq: int = 1
    messages: dict[int, FakeMessage] = field(default_factory=dict)
    vanished: list[tuple[int, int]] = field(default_factory=list)  # (uid, modseq)

    def sorted_uids(self) -> list[int]:
        return sorted(self.messages)

    def seq_of(self, uid: int) -> int:
        return self.sorted_uids().index(uid) + 1


class FakeServer:
    """Mailboxes plus knobs for failures; thread-safe (tests change it while a worker syncs)."""

    def __init__(self, capabilities: Iterable[str] = FULL_CAPS) -> None:
        self.capabilities = frozenset(c.upper() for c in capabilities)
        self.lock = threading.RLock()
        self.folders: dict[str, FakeFolder] = {}
        self.connections: list[FakeConnection] = []
        self._uidvalidity = itertools.count(1000)
        #: Drop the connection after this many FETCH rows in total (then reset to None).
        self.drop_after_rows: int | None = None
        #: Refuse the next command with this verb (e.g. "MOVE") with a NO and a response code.
        self.refuse: dict[str, str | None] = {}
        #: Refuse new connections (the network is down).
        self.down = False
        #: Seconds of "server work" before each FETCH batch (to cancel a running sync).
        self.fetch_delay = 0.0
        self.connect_count = 0
        #: The section name FETCH rows carry the header fields under (None: as asked).
        self.header_echo: str | None = None
        #: SELECT reports ``[UIDNEXT n]`` (Courier may not).
        self.select_uidnext = True
        #: The hierarchy delimiter LIST reports (Courier: ".", folders under "INBOX.").
        self.delimiter = "/"
        #: Folder names the user subscribed to: LIST marks them \Subscribed where LIST-EXTENDED
        #: is advertised (the client asks RETURN (SUBSCRIBED)), LSUB lists them.
        self.subscribed: set[str] = set()
        self.add_folder("INBOX")

    # -- mailbox changes "by another client" -------------------------------------------
    def add_folder(self, name: str, special_use: str | None = None) -> FakeFolder:
        with self.lock:
            folder = FakeFolder(name, next(self._uidvalidity), special_use)
            self.folders[name] = folder
            return folder

    def add_messages(self, folder: str, count: int, *, flags: Iterable[str] = (), subject: str = "ข้อความ") -> list[int]:
        with self.lock:
            box = self.folders[folder]
            uids = []
            for _ in range(count):
                uid = box.uidnext
                box.uidnext += 1
                box.highestmodseq += 1
                box.messages[uid] = FakeMessage(
                    uid, f"{subject} {uid}", set(flags), box.highestmodseq, 1_700_000_000 + uid * 60
                )
                uids.append(uid)
            self._notify(folder, lambda conn: [Exists(len(box.messages))])
            return uids

    def set_flags(self, folder: str, uid: int, flags: Iterable[str], *, origin: FakeConnection | None = None) -> None:
        with self.lock:
            box = self.folders[folder]
            msg = box.messages[uid]
            box.highestmodseq += 1
            msg.flags = set(flags)
            msg.modseq = box.highestmodseq
            seq = box.seq_of(uid)
            self._notify(
                folder,
                lambda conn: [
                    FlagsChanged(seq, uid if "QRESYNC" in conn.enabled else None, tuple(sorted(msg.flags)), msg.modseq)
                ],
                skip=origin,
            )

    def expunge(self, folder: str, uids: Iterable[int], *, origin: FakeConnection | None = None) -> None:
        with self.lock:
            box = self.folders[folder]
            for uid in sorted(uids, reverse=True):
                if uid not in box.messages:
                    continue
                seq = box.seq_of(uid)
                del box.messages[uid]
                box.highestmodseq += 1
                box.vanished.append((uid, box.highestmodseq))

                def gone(conn: FakeConnection, seq: int = seq, uid: int = uid) -> list[Event]:
                    return [Vanished(False, str(uid)) if "QRESYNC" in conn.enabled else Expunge(seq)]

                self._notify(folder, gone, skip=origin)

    def recreate(self, folder: str) -> None:
        """Delete and recreate the folder with the same messages: a new UIDVALIDITY."""
        with self.lock:
            old = self.folders[folder]
            new = self.add_folder(folder, old.special_use)
            for msg in sorted(old.messages.values(), key=lambda m: m.uid):
                uid = new.uidnext
                new.uidnext += 1
                new.highestmodseq += 1
                new.messages[uid] = FakeMessage(uid, msg.subject, set(msg.flags), new.highestmodseq, msg.date)

    def _notify(
        self, folder: str, make: Callable[[FakeConnection], list[Event]], skip: FakeConnection | None = None
    ) -> None:
        for conn in self.connections:
            if conn is not skip and conn.selected == folder and not conn.broken:
                conn.push(make(conn))

    # -- connections -----------------------------------------------------------------
    def connect(self) -> FakeConnection:
        with self.lock:
            if self.down:
                raise failures.network_error(failures.CONNECTION_REFUSED, "fake.go.th", 993, "server down")
            self.connect_count += 1
            conn = FakeConnection(self)
            self.connections.append(conn)
            return conn

    def state(self, folder: str) -> dict[int, frozenset[str]]:
        """{uid: flags} of a folder, for comparing with the cache."""
        with self.lock:
            return {uid: frozenset(m.flags) for uid, m in self.folders[folder].messages.items()}


class FakeConnection:
    """One logged-in connection to a :class:`FakeServer` (see module doc)."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.capabilities = server.capabilities
        self.enabled: set[str] = set()
        self.broken = False
        self.selected: str | None = None
        self.selected_info: SelectResult | None = None
        self.events: list[Event] = []
        self.commands: list[str] = []
        self._cond = threading.Condition(server.lock)
        self._idling = False

    # -- plumbing ------------------------------------------------------------------------
    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities

    def push(self, events: list[Event]) -> None:
        with self._cond:
            self.events.extend(events)
            self._cond.notify_all()

    def _command(self, name: str, text: str = "") -> None:
        self.commands.append(f"{name} {text}".strip())
        if self.broken:
            raise failures.network_error(failures.CONNECTION_CLOSED, "fake.go.th", 993, "broken")
        if self.server.down:
            self._break("server went away")
        if name in self.server.refuse:
            code = self.server.refuse.pop(name)
            text_b = (f"[{code}] " if code else "").encode() + b"refused"
            raise ImapCommandError("fake.go.th", name, "NO", text_b)

    def _break(self, why: str) -> NoReturn:
        self.broken = True
        raise failures.network_error(failures.CONNECTION_CLOSED, "fake.go.th", 993, why)

    def _box(self) -> FakeFolder:
        assert self.selected is not None, "no folder selected"
        return self.server.folders[self.selected]

    def _uids(self, uid_set: str) -> list[int]:
        box = self._box()
        existing = box.sorted_uids()
        highest = existing[-1] if existing else 0
        wanted: set[int] = set()
        for part in uid_set.split(","):
            if ":" in part:
                a, b = part.split(":")
                lo = int(a)
                hi = highest if b == "*" else int(b)
                lo, hi = sorted((lo, hi))
                wanted.update(u for u in existing if lo <= u <= hi)
                if b == "*" and existing:
                    wanted.add(highest)  # RFC 3501: "n:*" includes the last message
            else:
                wanted.add(int(part))
        return [u for u in existing if u in wanted]

    # -- protocol ------------------------------------------------------------------------
    def enable(self, *names: str) -> set[str]:
        self._command("ENABLE", " ".join(names))
        self.enabled.update(n.upper() for n in names if n.upper() in self.capabilities)
        return set(self.enabled)

    def list_folders(self, *, with_status: bool = True) -> list[FolderListing]:
        self._command("LIST")
        with self.server.lock:
            out = []
            for box in self.server.folders.values():
                attrs = {"\\hasnochildren"}
                if box.special_use and self.has("SPECIAL-USE"):
                    attrs.add(box.special_use.lower())
                if box.name in self.server.subscribed and self.has("LIST-EXTENDED"):
                    attrs.add("\\subscribed")
                status = {}
                if with_status and self.has("LIST-STATUS"):
                    status = self._status_values(box)
                out.append(FolderListing(box.name, box.name.encode(), self.server.delimiter, frozenset(attrs), status))
            return out

    def lsub_folders(self) -> list[FolderListing]:
        """``LSUB "" "*"``: the subscribed names (also those of folders gone since)."""
        self._command("LSUB")
        with self.server.lock:
            return [
                FolderListing(name, name.encode(), self.server.delimiter, frozenset())
                for name in sorted(self.server.subscribed)
            ]

    def _status_values(self, box: FakeFolder) -> dict[str, int]:
        return {
            "MESSAGES": len(box.messages),
            "UNSEEN": sum(1 for m in box.messages.values() if "\\Seen" not in m.flags),
            "UIDNEXT": box.uidnext,
            "UIDVALIDITY": box.uidvalidity,
            "HIGHESTMODSEQ": box.highestmodseq,
        }

    def status(self, folder: str, items: str = "") -> dict[str, int]:
        self._command("STATUS", folder)
        with self.server.lock:
            return self._status_values(self.server.folders[folder])

    def select(
        self,
        folder: str,
        *,
        readonly: bool = False,
        qresync: tuple[int, int] | None = None,
        condstore: bool = False,
    ) -> SelectResult:
        use_qresync = qresync is not None and "QRESYNC" in self.enabled
        self._command("EXAMINE" if readonly else "SELECT", folder + (f" QRESYNC {qresync}" if use_qresync else ""))
        with self.server.lock:
            if folder not in self.server.folders:
                raise ImapCommandError("fake.go.th", "SELECT", "NO", b"[NONEXISTENT] no such folder")
            self.selected = folder
            self.events.clear()
            box = self._box()
            modseq_on = self.has("CONDSTORE")
            info = SelectResult(
                folder=folder,
                uidvalidity=box.uidvalidity,
                uidnext=box.uidnext if self.server.select_uidnext else None,
                exists=len(box.messages),
                highest_modseq=box.highestmodseq if modseq_on else None,
                read_only=readonly,
                qresync_used=use_qresync,
            )
            if use_qresync and qresync is not None and qresync[0] == box.uidvalidity:
                since = qresync[1]
                gone = [uid for uid, modseq in box.vanished if modseq > since]
                if gone:
                    info.vanished.append(format_sequence_set(gone))
                info.changed = [
                    FetchedMessage(box.seq_of(m.uid), m.uid, tuple(sorted(m.flags)), None, None, m.modseq)
                    for m in box.messages.values()
                    if m.modseq > since
                ]
            self.selected_info = info
            return info

    def uid_search(self, criteria: str = "ALL") -> SearchResult:
        self._command("SEARCH", criteria)
        with self.server.lock:
            if criteria == "ALL":
                uids = self._box().sorted_uids()
            elif criteria.startswith("UID "):
                uids = self._uids(criteria[4:])
            else:
                raise AssertionError(f"fake server cannot search {criteria!r}")
            return SearchResult(format_sequence_set(uids) if uids else "", len(uids))

    def fetch_stream(
        self,
        uid_set: str,
        items: str,
        *,
        changedsince: int | None = None,
        vanished: bool = False,
        batch_size: int = 1000,
        row_builder: RowBuilder | None = None,
    ) -> Generator[FetchBatch, None, None]:
        """The FETCH responses as a server writes them, read by the app's own
        ``ResponseReader``: with ``row_builder`` the bulk path (``read_bulk``, rows in the
        common layout built from the read buffer), else the general one, as ImapWire does."""
        self._command("FETCH", f"{uid_set} ({items})" + (f" CHANGEDSINCE {changedsince}" if changedsince else ""))
        with self.server.lock:
            box = self._box()
            messages = [box.messages[uid] for uid in self._uids(uid_set)]
            if changedsince is not None:
                messages = [m for m in messages if self._modseq(m) is not None and m.modseq > changedsince]
            responses = [self._fetch_response(box, m, items) for m in messages]
        feed = _Feed()
        reader = ResponseReader(feed, timeout=None)
        reader.budget(len(responses), None)
        batch: list[FetchedMessage] = []
        built: list[Any] = []
        for response in responses:
            if self.server.drop_after_rows is not None:
                if self.server.drop_after_rows <= 0:
                    self.server.drop_after_rows = None
                    self._break("dropped mid-FETCH")
                self.server.drop_after_rows -= 1
            feed.data = response
            if row_builder is not None:
                read = reader.read_bulk(SUMMARY_ROW_RE, row_builder, built)
            else:
                read = reader.read_available()
            batch.extend(parse_fetch(line, literals) for line, literals in read)
            if len(batch) + len(built) >= batch_size:
                if self.server.fetch_delay:
                    time.sleep(self.server.fetch_delay)
                yield FetchBatch(batch, rows=built)
                batch = []
                built = []
        if batch or built:
            yield FetchBatch(batch, rows=built)

    def _modseq(self, msg: FakeMessage) -> int | None:
        return msg.modseq if self.has("CONDSTORE") else None

    def _fetch_response(self, box: FakeFolder, msg: FakeMessage, items: str) -> bytes:
        """One FETCH response in the layout Dovecot writes: the header fields (the sync's
        own items) as a literal, or UID and FLAGS (and MODSEQ) only."""
        uid = msg.uid
        response = b"* %d FETCH (UID %d FLAGS (%s)" % (box.seq_of(uid), uid, " ".join(sorted(msg.flags)).encode())
        headers = "HEADER.FIELDS" in items
        if headers:
            response += b' INTERNALDATE "%s" RFC822.SIZE %d' % (_internaldate(msg.date), 1000 + uid)
        modseq = self._modseq(msg)
        if modseq is not None:
            response += b" MODSEQ (%d)" % modseq
        if headers:
            block = self._header_block(box, msg)
            section = (self.server.header_echo or convert.HEADER_SECTION).encode("ascii")
            response += b" %s {%d}\r\n%s" % (section, len(block), block)
        return response + b")\r\n"

    @staticmethod
    def _header_block(box: FakeFolder, msg: FakeMessage) -> bytes:
        """The header fields the sync asks for, as Dovecot sends them (encoded words)."""

        def word(text: str) -> str:
            return "=?utf-8?B?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="

        lines = [
            f"From: {word('สมชาย ใจดี')} <{msg.sender}>",
            "To: alice@agency.go.th",
            f"Subject: {word(msg.subject)}",
            f"Date: {email.utils.formatdate(msg.date)}",
            f"Message-ID: <m{msg.uid}.{box.uidvalidity}@fake>",
        ]
        if msg.references:
            lines.append("References: " + " ".join(msg.references))
        lines.append("Content-Type: text/plain; charset=utf-8")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")

    def store_flags(
        self, uid_set: str, mode: str, flags: Sequence[str], *, unchangedsince: int | None = None
    ) -> tuple[list[FetchedMessage], str]:
        self._command("STORE", f"{uid_set} {mode}FLAGS {' '.join(flags)}")
        with self.server.lock:
            for uid in self._uids(uid_set):
                current = set(self._box().messages[uid].flags)
                if mode == "+":
                    current |= set(flags)
                elif mode == "-":
                    current -= set(flags)
                else:
                    current = set(flags)
                self.server.set_flags(self.selected, uid, current, origin=self)
        return [], ""

    def uid_copy(self, uid_set: str, destination: str) -> dict[int, int]:
        self._command("COPY", f"{uid_set} {destination}")
        with self.server.lock:
            if destination not in self.server.folders:
                raise ImapCommandError("fake.go.th", "COPY", "NO", b"[TRYCREATE] no such folder")
            source = self._box()
            target = self.server.folders[destination]
            mapping = {}
            for uid in self._uids(uid_set):
                msg = source.messages[uid]
                new_uid = target.uidnext
                target.uidnext += 1
                target.highestmodseq += 1
                target.messages[new_uid] = FakeMessage(
                    new_uid, msg.subject, set(msg.flags), target.highestmodseq, msg.date
                )
                mapping[uid] = new_uid
            return mapping

    def uid_move(self, uid_set: str, destination: str) -> dict[int, int]:
        self._command("MOVE", f"{uid_set} {destination}")
        with self.server.lock:
            if destination not in self.server.folders:
                raise ImapCommandError("fake.go.th", "MOVE", "NO", b"[TRYCREATE] no such folder")
            source = self._box()
            target = self.server.folders[destination]
            mapping = {}
            uids = self._uids(uid_set)
            for uid in uids:
                msg = source.messages[uid]
                new_uid = target.uidnext
                target.uidnext += 1
                target.highestmodseq += 1
                target.messages[new_uid] = FakeMessage(
                    new_uid, msg.subject, set(msg.flags), target.highestmodseq, msg.date
                )
                mapping[uid] = new_uid
            self.server.expunge(self.selected, uids, origin=self)
            return mapping

    def uid_expunge(self, uid_set: str) -> None:
        self._command("EXPUNGE", uid_set)
        with self.server.lock:
            box = self._box()
            doomed = [u for u in self._uids(uid_set) if "\\Deleted" in box.messages[u].flags]
            self.server.expunge(self.selected, doomed, origin=self)

    def noop(self) -> list[Event]:
        self._command("NOOP")
        return self.take_events()

    def take_events(self) -> list[Event]:
        with self._cond:
            events, self.events = self.events, []
            return events

    def idle_start(self) -> None:
        self._command("IDLE")
        self._idling = True

    def idle_wait(self, timeout: float) -> list[Event]:
        with self._cond:
            if self.server.down:
                self._break("server went away during IDLE")
            if not self.events:
                self._cond.wait(timeout)
            if self.server.down:
                self._break("server went away during IDLE")
            return self.take_events()

    def idle_done(self) -> list[Event]:
        self._idling = False
        return self.take_events()

    def logout(self) -> None:
        self.commands.append("LOGOUT")
        self.close()

    def close(self) -> None:
        self.broken = True
        with self.server.lock:
            if self in self.server.connections:
                self.server.connections.remove(self)


class _Feed:
    """The transport the fake's FETCH responses reach the app's ResponseReader through:
    each ``recv`` hands over the response set in ``data`` (one at a time)."""

    def __init__(self) -> None:
        self.data = b""

    def send(self, data: bytes) -> None:  # pragma: no cover - the reader never writes
        raise AssertionError("the reader sent something")

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        self.data = b""


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _internaldate(epoch: int) -> bytes:
    """``17-Jul-1996 09:44:25 +0000`` (IMAP INTERNALDATE, in UTC)."""
    t = time.gmtime(epoch)
    return b"%02d-%s-%04d %02d:%02d:%02d +0000" % (
        t.tm_mday, _MONTHS[t.tm_mon - 1].encode(), t.tm_year, t.tm_hour, t.tm_min, t.tm_sec
    )


def courier_server() -> FakeServer:
    """A FakeServer answering as Courier-IMAP does: its capabilities, the header
    section echoed with quoted field names (another order and case than asked),
    SELECT without ``[UIDNEXT]``, folders under ``INBOX.`` with ``.`` as delimiter
    and no special-use attributes."""
    server = FakeServer(COURIER_CAPS)
    server.header_echo = COURIER_HEADER_ECHO
    server.select_uidnext = False
    server.delimiter = "."
    for name in ("INBOX.Sent", "INBOX.Drafts", "INBOX.Trash"):
        server.add_folder(name)
    return server
