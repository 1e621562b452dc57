"""Tagged IMAP commands over a transport (:class:`ImapWire`), for one thread at a time.

Streaming FETCH in batches, QRESYNC SELECT, ESEARCH, IDLE, MOVE/COPY with UIDPLUS;
``net.imap_session`` logs in with imapclient and :func:`wire_from_session` takes
over its verified TLS socket.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from govmail_desktop.net.imap import bounds
from govmail_desktop.net.imap.fetch import SUMMARY_ROW_RE, FetchedMessage, parse_fetch
from govmail_desktop.net.imap.grammar import (
    ParseError,
    checked_number,
    excerpt,
    format_sequence_set,
    parse_sequence_set,
    response_code,
    shape,
)
from govmail_desktop.net.imap.reader import (
    Response,
    RowBuilder,
    SocketTransport,
    TooMuchData,
)
from govmail_desktop.net.imap.responses import (
    Event,
    Exists,
    FlagsChanged,
    FolderListing,
    ModseqChanged,
    SearchResult,
    SelectResult,
    Vanished,
    parse_esearch,
    parse_list,
    parse_search,
    parse_status,
)
from govmail_desktop.net.imap.text import decode_mutf7
from govmail_desktop.net.imap.wire_core import (
    CommandResult,
    ImapCommandError,
    SearchCharsetRefused,
    WireCore,
    quote_mailbox,
    quote_string,
)

log = logging.getLogger(__name__)

__all__ = [
    "CommandResult",
    "FetchBatch",
    "ImapCommandError",
    "ImapWire",
    "SearchCharsetRefused",
    "quote_mailbox",
    "quote_string",
    "wire_from_session",
]


@dataclass
class FetchBatch:
    """Messages parsed from one part of a streaming FETCH."""

    messages: list[FetchedMessage]
    skipped: int = 0
    #: What ``row_builder`` made of the rows it took (see :meth:`ImapWire.fetch_stream`).
    rows: list[Any] = field(default_factory=list)


class ImapWire(WireCore):
    """Tagged IMAP commands over a transport, for one thread at a time.

    Unsolicited responses seen during any command (EXISTS, EXPUNGE, VANISHED,
    flag FETCHes) are appended to :attr:`events` for the sync code to apply.
    Errors: NetworkError for a dead connection or timeout, ImapCommandError
    for NO/BAD, ServerError(protocol-error) for an unreadable stream.
    """

    # -- folders ------------------------------------------------------------------------------
    def list_folders(self, *, with_status: bool = True) -> list[FolderListing]:
        """All folders, with SPECIAL-USE attributes and (LIST-STATUS) counts.

        ``RETURN (SPECIAL-USE)`` only where SPECIAL-USE is advertised (a plain
        LIST otherwise; attributes a server sends unasked are kept all the same);
        ``CHILDREN`` with LIST-EXTENDED, so \\HasChildren / \\HasNoChildren come.
        """
        status_items = "MESSAGES UNSEEN UIDNEXT UIDVALIDITY"
        if self.has("CONDSTORE") or self.has("QRESYNC"):
            status_items += " HIGHESTMODSEQ"
        returns = []
        if self.has("LIST-EXTENDED"):
            returns += ["SUBSCRIBED", "CHILDREN"]
        if self.has("SPECIAL-USE"):
            returns.append("SPECIAL-USE")
        if with_status and self.has("LIST-STATUS"):
            returns.append(f"STATUS ({status_items})")
        cmd = b'LIST "" "*"'
        if returns and (self.has("LIST-EXTENDED") or self.has("LIST-STATUS")):
            cmd += b" RETURN (" + " ".join(returns).encode("ascii") + b")"
        result = self._folder_listing(cmd, "LIST")
        folders: list[FolderListing] = []
        statuses: dict[bytes, dict[str, int]] = {}
        for resp in result.untagged:
            kind = resp.line[:9].upper()
            try:
                if kind.startswith(b"* LIST "):
                    folders.append(parse_list(resp.line, resp.literals))
                elif kind.startswith(b"* STATUS "):
                    name, values = parse_status(resp.line, resp.literals)
                    statuses[name] = values
            except (ParseError, ValueError, TypeError, IndexError) as exc:
                log.warning("Unreadable LIST/STATUS response skipped (%s): %s", exc, excerpt(resp.line))
        for folder in folders:
            status = statuses.get(folder.wire_name)
            if status is None and folder.wire_name.upper() == b"INBOX":
                status = next((v for k, v in statuses.items() if k.upper() == b"INBOX"), None)
            if status:
                folder.status.update(status)
        return folders

    def xlist_folders(self) -> list[FolderListing]:
        """``XLIST "" "*"`` (Gmail's and Zimbra's special folders before RFC 6154).

        Attributes as the server spells them (``\\spam``, ``\\allmail`` ...);
        ``core.folder_roles.xlist_attributes`` gives their RFC 6154 names. Some
        servers (Dovecot) answer XLIST with ``* LIST`` lines: those count too.
        """
        result = self._folder_listing(b'XLIST "" "*"', "XLIST")
        folders: list[FolderListing] = []
        for resp in result.untagged:
            if resp.line[:8].upper() == b"* XLIST " or resp.line[:7].upper() == b"* LIST ":
                try:
                    folders.append(parse_list(resp.line, resp.literals))
                except (ParseError, ValueError, TypeError, IndexError) as exc:
                    log.warning("Unreadable XLIST response skipped (%s): %s", exc, excerpt(resp.line))
        return folders

    def lsub_folders(self) -> list[FolderListing]:
        """``LSUB "" "*"``: the subscribed folders, on a server without LIST-EXTENDED
        (whose LIST cannot say it with ``RETURN (SUBSCRIBED)``)."""
        result = self._folder_listing(b'LSUB "" "*"', "LSUB")
        folders: list[FolderListing] = []
        for resp in result.untagged:
            if resp.line[:7].upper() == b"* LSUB ":
                try:
                    folders.append(parse_list(resp.line, resp.literals))
                except (ParseError, ValueError, TypeError, IndexError) as exc:
                    log.warning("Unreadable LSUB response skipped (%s): %s", exc, excerpt(resp.line))
        return folders

    def _folder_listing(self, cmd: bytes, verb: str) -> CommandResult:
        """LIST/XLIST/LSUB: room for MAX_FOLDERS folders (and their STATUS), and no more."""
        result = self.command(cmd, during=verb, folders=bounds.MAX_FOLDERS)
        # XLIST is answered with * XLIST lines, or * LIST lines (Dovecot): count both.
        listed = sum(
            1 for resp in result.untagged if resp.line[:7].upper() in (b"* LIST ", b"* XLIST", b"* LSUB ")
        )
        if listed > bounds.MAX_FOLDERS:
            raise self._too_much(verb, f"more than {bounds.MAX_FOLDERS} folders")
        return result

    def status(self, folder: str | bytes, items: str = "MESSAGES UNSEEN UIDNEXT UIDVALIDITY") -> dict[str, int]:
        result = self.command(b"STATUS " + quote_mailbox(folder) + b" (" + items.encode("ascii") + b")")
        for resp in result.untagged:
            if resp.line[:9].upper() == b"* STATUS ":
                try:
                    return parse_status(resp.line, resp.literals)[1]
                except ParseError as exc:
                    raise self._protocol_error("STATUS", str(exc)) from None
        return {}

    def create(self, folder: str | bytes, *, special_use: str | None = None) -> None:
        """CREATE; with ``special_use`` (``"\\Trash"``) as ``(USE (...))`` where the
        server offers CREATE-SPECIAL-USE (RFC 6154), else a plain CREATE."""
        cmd = b"CREATE " + quote_mailbox(folder)
        if special_use and self.has("CREATE-SPECIAL-USE"):
            if not re.fullmatch(r"\\[A-Za-z]+", special_use):
                raise ValueError(f"not a special-use attribute: {special_use!r}")
            cmd += b" (USE (" + special_use.encode("ascii") + b"))"
        self.command(cmd, during="CREATE")

    def delete(self, folder: str | bytes) -> None:
        self.command(b"DELETE " + quote_mailbox(folder))

    def subscribe(self, folder: str | bytes) -> None:
        self.command(b"SUBSCRIBE " + quote_mailbox(folder))

    # -- selecting ---------------------------------------------------------------------------
    def select(
        self,
        folder: str | bytes,
        *,
        readonly: bool = False,
        qresync: tuple[int, int] | None = None,
        condstore: bool = False,
    ) -> SelectResult:
        """SELECT/EXAMINE; ``qresync=(uidvalidity, modseq)`` asks for changes since then.

        QRESYNC must have been ENABLEd; the caller checks that the returned
        UIDVALIDITY equals the one it passed before trusting ``vanished``/``changed``.
        """
        verb = b"EXAMINE " if readonly else b"SELECT "
        cmd = verb + quote_mailbox(folder)
        use_qresync = qresync is not None and "QRESYNC" in self.enabled
        if use_qresync:
            assert qresync is not None
            cmd += b" (QRESYNC (%d %d))" % qresync
        elif condstore and self.has("CONDSTORE"):
            cmd += b" (CONDSTORE)"
        self.selected = None
        self.selected_info = None
        self.events.clear()
        name = folder if isinstance(folder, str) else decode_mutf7(folder)
        result = self.command(cmd, during="SELECT")
        info = SelectResult(folder=name, qresync_used=use_qresync)
        for resp in result.untagged:
            line = resp.line
            upper = line[:16].upper()
            try:
                if upper.startswith(b"* OK ["):
                    code = response_code(line)
                    if code is None:
                        continue
                    key, value = code
                    if key == "UIDVALIDITY":
                        info.uidvalidity = checked_number(int(value), "UIDVALIDITY")
                    elif key == "UIDNEXT":
                        info.uidnext = checked_number(int(value), "UIDNEXT")
                    elif key == "HIGHESTMODSEQ":
                        info.highest_modseq = checked_number(int(value), "HIGHESTMODSEQ", 0, bounds.MAX_MODSEQ)
                    elif key == "NOMODSEQ":
                        info.highest_modseq = None
                    elif key == "PERMANENTFLAGS":
                        info.permanent_flags = tuple(value.strip(b"()").decode("utf-8", "replace").split())
                elif upper.startswith(b"* FLAGS "):
                    info.flags = tuple(line[8:].strip(b"()").decode("utf-8", "replace").split())
            except ValueError as exc:
                log.warning("Unreadable SELECT response skipped (%s): %s", exc, excerpt(line))
        # EXISTS, VANISHED (EARLIER) and FETCH arrived as events.
        for event in self.take_events():
            if isinstance(event, Exists):
                info.exists = event.messages
            elif isinstance(event, Vanished):
                info.vanished.append(event.uid_set)
            elif isinstance(event, FlagsChanged):
                info.changed.append(
                    FetchedMessage(event.seq, event.uid, event.flags, None, None, event.modseq)
                )
            elif isinstance(event, ModseqChanged):
                info.highest_modseq = event.highest_modseq
        code = response_code(result.text)
        info.read_only = readonly or (code is not None and code[0] == "READ-ONLY")
        self.selected = name
        self.selected_info = info
        return info

    def unselect(self) -> None:
        if self.selected is None:
            return
        if self.has("UNSELECT"):
            self.command(b"UNSELECT")
        else:
            self.command(b"CLOSE")
        self.selected = None
        self.selected_info = None

    # -- searching ---------------------------------------------------------------------------
    def uid_search(self, criteria: str = "ALL") -> SearchResult:
        """UID SEARCH, compact (ESEARCH) when the server can."""
        if self.has("ESEARCH"):
            result = self.command(b"UID SEARCH RETURN (ALL COUNT) " + criteria.encode("ascii"), during="SEARCH")
            for resp in result.untagged:
                if resp.line[:10].upper() == b"* ESEARCH ":
                    try:
                        return parse_esearch(resp.line)
                    except (ParseError, ValueError) as exc:
                        raise self._protocol_error("SEARCH", str(exc)) from None
            return SearchResult("", 0)
        result = self.command(b"UID SEARCH " + criteria.encode("ascii"), during="SEARCH")
        numbers: list[int] = []
        modseq = None
        for resp in result.untagged:
            if resp.line[:9].upper() == b"* SEARCH ":
                try:
                    found, modseq = parse_search(resp.line)
                except (ParseError, ValueError) as exc:
                    raise self._protocol_error("SEARCH", str(exc)) from None
                numbers.extend(found)
        if not numbers:
            return SearchResult("", 0, modseq)
        return SearchResult(format_sequence_set(numbers), len(set(numbers)), modseq)

    def uid_search_text(
        self, criteria: Sequence[bytes | str], *, charset: str | None = "UTF-8", limit: int = 0
    ) -> SearchResult:
        """``UID SEARCH [RETURN (ALL COUNT)] [CHARSET x] criteria`` with user text in it.

        ``criteria``: ``bytes`` items are search keys the app wrote (atoms such as
        ``FROM``, ``NOT``, ``SENTSINCE``, ``1-Oct-2025``, and parentheses: checked,
        never user text); ``str`` items are the user's strings, sent as a quoted string
        when plain printable ASCII and as a literal otherwise (Thai, quotes, braces,
        line breaks: a literal's length is counted, so nothing in it is read as
        protocol). ESEARCH when offered, else plain SEARCH. ``limit`` > 0 keeps the
        highest (newest) ``limit`` UIDs; ``matched`` is always the full count.
        Raises SearchCharsetRefused when the server refuses the charset (BADCHARSET).
        """
        parts, literals = _search_parts(criteria)
        head = b"UID SEARCH "
        esearch = self.has("ESEARCH")
        if esearch:
            head += b"RETURN (ALL COUNT) "
        if charset:
            if not re.fullmatch(r"[A-Za-z0-9\-_]+", charset):
                raise ValueError(f"not a charset name: {charset!r}")
            head += b"CHARSET " + charset.encode("ascii") + b" "
        parts[0] = head + parts[0]
        try:
            result = self.command_with_literals(parts, literals, during="SEARCH")
        except ImapCommandError as exc:
            if exc.response_code == "BADCHARSET" or (charset and _mentions_charset(exc)):
                raise SearchCharsetRefused(self.host, charset or "", exc) from None
            raise
        numbers: list[int] = []
        matched: int | None = None
        modseq = None
        for resp in result.untagged:
            try:
                if esearch and resp.line[:10].upper() == b"* ESEARCH ":
                    found = parse_esearch(resp.line)
                    numbers = found.numbers() if found.uid_set else []
                    matched, modseq = found.matched, found.highest_modseq
                elif resp.line[:9].upper() == b"* SEARCH " or resp.line.upper() == b"* SEARCH":
                    some, modseq = parse_search(resp.line)
                    numbers.extend(some)
            except (ParseError, ValueError) as exc:
                raise self._protocol_error("SEARCH", str(exc)) from None
        unique = sorted(set(numbers))
        if matched is None:
            matched = len(unique)
        if limit > 0 and len(unique) > limit:
            unique = unique[-limit:]
        return SearchResult(format_sequence_set(unique) if unique else "", matched, modseq)

    # -- fetching -------------------------------------------------------------------------------
    def fetch_stream(
        self,
        uid_set: str,
        items: str,
        *,
        changedsince: int | None = None,
        vanished: bool = False,
        batch_size: int = 1000,
        on_skip: Callable[[bytes, str], None] | None = None,
        row_builder: RowBuilder | None = None,
    ) -> Generator[FetchBatch, None, None]:
        """``UID FETCH uid_set (items)`` yielding parsed messages in batches as they arrive.

        The caller must consume the iterator to the end (the connection is in
        the middle of a response until then). Rows that do not parse are skipped
        with a warning and counted in ``FetchBatch.skipped``. With ``vanished``
        (QRESYNC), VANISHED (EARLIER) responses go to :attr:`events`.
        ``row_builder(match, literal)`` is offered each row in the common layout
        first, as a :data:`SUMMARY_ROW_RE` match in the read buffer (see
        :meth:`ResponseReader.read_bulk`): what it returns (not None) goes to
        ``FetchBatch.rows`` and the row is not parsed here; on None, and for rows
        in any other layout, the usual path (the bulk sync's shortcut).
        """
        self._check_usable("FETCH")
        modifiers = []
        if changedsince is not None:
            modifiers.append(f"CHANGEDSINCE {changedsince}")
            if vanished and "QRESYNC" in self.enabled:
                modifiers.append("VANISHED")
        cmd = f"UID FETCH {uid_set} ({items})"
        if modifiers:
            cmd += " (" + " ".join(modifiers) + ")"
        tag = self._next_tag(streamed=True)
        self._send(tag + b" " + cmd.encode("ascii") + b"\r\n", "FETCH")
        finished = [False]  # set by _fetch_responses once the tagged answer is read
        try:
            yield from self._fetch_responses(tag, batch_size, on_skip, finished, row_builder)
        finally:
            if not finished[0] and not self.broken:
                # The consumer stopped early: read the rest so the connection stays usable.
                try:
                    self._discard_fetch(tag)
                except Exception:  # noqa: BLE001 - whatever it was, this connection is done
                    self.broken = True

    def _discard_fetch(self, tag: bytes) -> None:
        prefix = tag + b" "
        while True:
            resp = self._read("FETCH")
            if resp.line.startswith(prefix):
                return
            if resp.line.startswith(b"*") and b" FETCH (" not in resp.line[:32]:
                self._handle_untagged(resp, None)

    def _fetch_responses(
        self,
        tag: bytes,
        batch_size: int,
        on_skip: Callable[[bytes, str], None] | None,
        finished: list[bool],
        row_builder: RowBuilder | None = None,
    ) -> Generator[FetchBatch, None, None]:
        prefix = tag + b" "
        batch: list[FetchedMessage] = []
        rows: list[Any] = []
        skipped = 0
        logged = False
        held = 0  # literal bytes of the rows in ``batch`` (a batch is handed on early past the bound)
        reader = self.reader
        while True:
            try:
                if row_builder is not None:
                    responses = reader.read_bulk(SUMMARY_ROW_RE, row_builder, rows)
                else:
                    responses = reader.read_available()
            except (OSError, EOFError, TimeoutError) as exc:
                raise self._network_error(exc, "FETCH") from None
            except TooMuchData as exc:
                raise self._too_much("FETCH", str(exc)) from None
            except ParseError as exc:
                raise self._protocol_error("FETCH", str(exc)) from None
            done = False
            for index, (line, literals) in enumerate(responses):
                if line[:2] == b"* " and b" FETCH (" in line[:32]:
                    try:
                        batch.append(parse_fetch(line, literals))
                        held += sum(map(len, literals))
                    except (ParseError, ValueError, IndexError, TypeError) as exc:
                        skipped += 1
                        if not logged:  # once per FETCH: a server answers its rows alike
                            logged = True
                            log.warning("FETCH row skipped (%s; more are only counted): %s", exc, shape(line))
                        else:
                            log.debug("FETCH row skipped (%s)", exc)
                        if on_skip is not None:
                            on_skip(line, str(exc))
                elif line.startswith(prefix):
                    parts = line.split(b" ", 2)
                    status = parts[1].upper().decode("ascii", "replace") if len(parts) > 1 else "BAD"
                    if status != "OK":
                        raise ImapCommandError(self.host, "FETCH", status, parts[2] if len(parts) > 2 else b"")
                    done = True
                    reader.unread(responses[index + 1 :])  # they belong to what comes next
                    break
                elif line.startswith(b"*"):
                    self._handle_untagged(Response(line, literals), None)
                else:
                    raise self._protocol_error("FETCH", f"unexpected line {excerpt(line, 60)}")
            if done:
                finished[0] = True  # a consumer stopping at the last batch needs no draining
                if batch or skipped or rows:
                    yield FetchBatch(batch, skipped, rows)
                return
            if len(batch) + len(rows) >= batch_size or held >= bounds.FETCH_BATCH_BYTES:
                yield FetchBatch(batch, skipped, rows)
                batch = []
                rows = []
                skipped = 0
                held = 0

    def fetch(self, uid_set: str, items: str, **kwargs: Any) -> list[FetchedMessage]:
        """Whole FETCH into one list (small sets)."""
        result: list[FetchedMessage] = []
        for batch in self.fetch_stream(uid_set, items, **kwargs):
            result.extend(batch.messages)
        return result

    def read_fetch_raw(self, command: bytes) -> int:
        """Send a command and read its answer to the end without parsing (the wire floor).

        Returns the number of bytes received. Only for measurements.
        """
        tag = self._next_tag()
        self._send(tag + b" " + command + b"\r\n", "FETCH")
        end = b"\r\n" + tag + b" "
        total = 0
        tail = b""
        chunk = self.reader.take_buffered()
        while True:
            if chunk:
                total += len(chunk)
                window = tail + chunk
                idx = window.find(end)
                if idx >= 0 and window.find(b"\r\n", idx + 2) >= 0:
                    return total
                tail = window[-256:]
            try:
                chunk = self.transport.recv(1 << 20, self.reader.timeout)
            except (OSError, TimeoutError) as exc:
                raise self._network_error(exc, "FETCH") from None
            if not chunk:
                raise self._network_error(EOFError("closed"), "FETCH")

    # -- changing ------------------------------------------------------------------------------
    def store_flags(
        self,
        uid_set: str,
        mode: str,
        flags: Sequence[str],
        *,
        unchangedsince: int | None = None,
    ) -> tuple[list[FetchedMessage], str]:
        """``UID STORE uid_set (+|-)FLAGS.SILENT (...)``.

        Returns (FETCH responses the server sent, MODIFIED uid set or "").
        """
        if mode not in ("+", "-", ""):
            raise ValueError("mode must be '+', '-' or ''")
        cmd = f"UID STORE {uid_set}"
        if unchangedsince is not None and self.has("CONDSTORE"):
            cmd += f" (UNCHANGEDSINCE {unchangedsince})"
        cmd += f" {mode}FLAGS.SILENT ({' '.join(flags)})"
        result = self.command(cmd.encode("utf-8"), during="STORE")
        changed = []
        for resp in result.untagged:
            if b" FETCH " in resp.line[:24]:
                try:
                    changed.append(parse_fetch(resp.line, resp.literals))
                except ParseError as exc:
                    log.warning("STORE answer skipped (%s): %s", exc, excerpt(resp.line))
        code = response_code(result.text)
        modified = code[1].decode("ascii") if code and code[0] == "MODIFIED" else ""
        return changed, modified

    def uid_copy(self, uid_set: str, destination: str | bytes) -> dict[int, int]:
        """UID COPY; returns {old uid: new uid} when the server has UIDPLUS."""
        result = self.command(b"UID COPY " + uid_set.encode("ascii") + b" " + quote_mailbox(destination), during="COPY")
        return _copyuid_map(result.text)

    def uid_move(self, uid_set: str, destination: str | bytes) -> dict[int, int]:
        """UID MOVE (RFC 6851), else COPY + \\Deleted + UID EXPUNGE (or EXPUNGE)."""
        if self.has("MOVE"):
            result = self.command(
                b"UID MOVE " + uid_set.encode("ascii") + b" " + quote_mailbox(destination), during="MOVE"
            )
            mapping = _copyuid_map(result.text)
            if not mapping:
                for resp in result.untagged:
                    if resp.line[:6].upper() == b"* OK [":
                        mapping = _copyuid_map(resp.line)
                        if mapping:
                            break
            return mapping
        mapping = self.uid_copy(uid_set, destination)
        self.store_flags(uid_set, "+", ["\\Deleted"])
        self.uid_expunge(uid_set)
        return mapping

    def uid_expunge(self, uid_set: str) -> None:
        """Remove the \\Deleted messages among ``uid_set``, and no others.

        With UIDPLUS that is ``UID EXPUNGE``. Without it a plain EXPUNGE would
        also erase messages marked \\Deleted elsewhere (by another mail program,
        waiting to be expunged there): those are unmarked for the EXPUNGE and
        marked again after it (a dropped connection in between leaves them
        unmarked, never erased).
        """
        if self.has("UIDPLUS"):
            self.command(b"UID EXPUNGE " + uid_set.encode("ascii"), during="EXPUNGE")
            return
        ours = set(parse_sequence_set(uid_set))
        others = [uid for uid in self.uid_search("DELETED").numbers() if uid not in ours]
        spared = format_sequence_set(others) if others else ""
        if others:
            self.store_flags(spared, "-", ["\\Deleted"])
        self.command(b"EXPUNGE")
        if others:
            self.store_flags(spared, "+", ["\\Deleted"])

    def append(
        self, folder: str | bytes, message: bytes, flags: Sequence[str] = (), date: str | None = None
    ) -> int | None:
        """APPEND; returns the new UID when the server has UIDPLUS."""
        head = b"APPEND " + quote_mailbox(folder)
        if flags:
            head += b" (" + " ".join(flags).encode("utf-8") + b")"
        if date:
            head += b' "' + date.encode("ascii") + b'"'
        result = self.command_with_literal(head, message, during="APPEND")
        code = response_code(result.text)
        if code and code[0] == "APPENDUID":
            parts = code[1].split()
            if len(parts) == 2 and parts[1].isdigit():
                return int(parts[1])
        return None

    # -- IDLE -----------------------------------------------------------------------------------
    def idle_start(self) -> None:
        """Enter IDLE (RFC 2177); events then arrive through :meth:`idle_wait`."""
        tag = self._next_tag()
        self._send(tag + b" IDLE\r\n", "IDLE")
        while True:
            resp = self._read("IDLE")
            if resp.line.startswith(b"+"):
                break
            if resp.line.startswith(tag + b" "):
                parts = resp.line.split(b" ", 2)
                raise ImapCommandError(self.host, "IDLE", parts[1].decode("ascii", "replace"), parts[-1])
            self._handle_untagged(resp, None)
        self._idle_tag = tag

    def idle_wait(self, timeout: float) -> list[Event]:
        """Wait up to ``timeout`` seconds for events in IDLE; [] when nothing happened."""
        if self._idle_tag is None:
            raise RuntimeError("not in IDLE")
        self._begin()  # each wait may bring what one command may
        try:
            if not self.reader.wait_readable(timeout):
                return self.take_events()
        except (OSError, EOFError) as exc:
            raise self._network_error(exc, "IDLE") from None
        deadline = time.monotonic() + 0.05
        while True:
            resp = self._read("IDLE")
            if resp.line.startswith(b"*"):
                self._handle_untagged(resp, None)
            elif resp.line.startswith(self._idle_tag + b" "):
                # The server ended IDLE by itself (e.g. shutting down).
                self._idle_tag = None
                raise self._network_error(EOFError("IDLE ended by the server"), "IDLE")
            # Gather what arrives together (EXISTS then FETCH) before returning.
            if not self.reader.buffered():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    if not self.reader.wait_readable(remaining):
                        break
                except (OSError, EOFError) as exc:
                    raise self._network_error(exc, "IDLE") from None
        return self.take_events()

    def idle_done(self) -> list[Event]:
        """Leave IDLE; returns any events that arrived meanwhile."""
        tag, self._idle_tag = self._idle_tag, None
        if tag is None:
            return self.take_events()
        self._send(b"DONE\r\n", "IDLE")
        self._begin()
        self._finish(tag, "IDLE", [], keep=False)
        return self.take_events()


_COPYUID = re.compile(rb"\[COPYUID (\d+) ([0-9:,]+) ([0-9:,]+)\]", re.IGNORECASE)


#: A search key the app writes itself (never user text): an atom of letters, digits and
#: "-" (FROM, NOT, SENTSINCE, 1-Oct-2025, X-GovMail-Urgency), or a parenthesis.
_SEARCH_ATOM = re.compile(rb"[A-Za-z0-9][A-Za-z0-9\-]*|\(|\)")
_PLAIN_ASCII = re.compile(r"[\x20-\x7e]*")


def _search_parts(criteria: Sequence[bytes | str]) -> tuple[list[bytes], list[bytes]]:
    """The criteria as command parts with literals between them (see ``command_with_literals``)."""
    if not criteria:
        raise ValueError("no search criteria")
    parts: list[bytes] = []
    literals: list[bytes] = []
    current = bytearray()
    previous: bytes | None = None
    for item in criteria:
        if isinstance(item, bytes):
            if _SEARCH_ATOM.fullmatch(item) is None:
                raise ValueError(f"not a search key: {item!r}")
            token: bytes | None = item
        elif isinstance(item, str):
            token = None
        else:
            raise TypeError(f"search criteria are bytes (keys) or str (text), not {type(item).__name__}")
        if previous is not None and previous != b"(" and token != b")":
            current += b" "
        if token is not None:
            current += token
            previous = token
        elif isinstance(item, str) and _PLAIN_ASCII.fullmatch(item) is not None:
            current += b'"' + item.encode("ascii").replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
            previous = b'""'
        else:
            parts.append(bytes(current))
            literals.append(str(item).encode("utf-8", "replace"))  # a lone surrogate matches nothing anyway
            current = bytearray()
            previous = b"{}"
    parts.append(bytes(current))
    return parts, literals


def _mentions_charset(exc: ImapCommandError) -> bool:
    """A NO/BAD to a CHARSET search that names the charset but has no BADCHARSET code."""
    detail = exc.detail.upper()
    return exc.response_code is None and "CHARSET" in detail and exc.status in ("NO", "BAD")


def _copyuid_map(text: bytes) -> dict[int, int]:
    m = _COPYUID.search(text)
    if m is None:
        return {}
    try:
        old = parse_sequence_set(m.group(2))
        new = parse_sequence_set(m.group(3))
    except (ParseError, ValueError):
        return {}
    # RFC 4315: both sets are in the same order; ranges are ascending here.
    if len(old) != len(new):
        return {}
    return dict(zip(old, new, strict=True))


def wire_from_session(session: Any, *, timeout: float = 60.0) -> ImapWire:
    """Take over a logged-in ``net.imap_session.ImapSession`` (policy-checked, TLS verified).

    Uses the session's ``take_socket()`` hand-over; the session is unusable afterwards.
    """
    capabilities = session.capabilities()
    endpoint = session.endpoint
    sock, reader = session.take_socket()
    transport = SocketTransport(sock, reader, timeout=timeout)
    wire = ImapWire(
        transport, host=endpoint.host, port=endpoint.port, capabilities=capabilities, timeout=timeout
    )
    wire.report = getattr(session, "report", None)
    return wire
