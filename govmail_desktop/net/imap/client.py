"""Tagged IMAP commands over a transport (:class:`ImapWire`), for one thread at a time.

Streaming FETCH in batches, QRESYNC SELECT, ESEARCH, IDLE, MOVE/COPY with UIDPLUS;
``net.imap_session`` logs in with imapclient and :func:`wire_from_session` takes
over its verified TLS socket.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from govmail_desktop.core.errors import NetworkError, ServerError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.net import failures
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
    ResponseReader,
    RowBuilder,
    SocketTransport,
    TooMuchData,
    Transport,
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
    parse_event,
    parse_list,
    parse_search,
    parse_status,
)
from govmail_desktop.net.imap.text import decode_mutf7, encode_mutf7

log = logging.getLogger(__name__)


class CommandResult(NamedTuple):
    status: str  # "OK" (NO/BAD raise)
    text: bytes  # tagged response text, e.g. b"[READ-WRITE] Select completed"
    untagged: list[Response]


class ImapCommandError(ServerError):
    """The server answered a command with NO or BAD."""

    code = "imap-no"
    default_message = QT_TRANSLATE_NOOP("Sync", "The server {host} could not carry out the request.")

    def __init__(self, host: str, command: str, status: str, text: bytes) -> None:
        code = response_code(text)
        #: RFC 5530 response code, e.g. "NONEXISTENT", "TRYCREATE", "ALREADYEXISTS".
        self.response_code = code[0] if code else None
        self.status = status
        super().__init__(
            detail=f"{command}: {status} {text[:200].decode('utf-8', 'replace')}",
            host=host,
        )


class SearchCharsetRefused(ImapCommandError):
    """The server cannot search with the charset asked for (``NO [BADCHARSET]``): it
    cannot search for Thai (or any non-English) text."""

    code = "imap-badcharset"
    default_message = QT_TRANSLATE_NOOP(
        "Sync",
        "The server {host} cannot search for Thai or other non-English text (it does not accept UTF-8 searches).",
    )
    default_hint = QT_TRANSLATE_NOOP(
        "Sync",
        "Messages on this computer were still searched. Search for English words or numbers to also search the server.",
    )

    def __init__(self, host: str, charset: str, cause: ImapCommandError) -> None:
        self.charset = charset
        ServerError.__init__(self, detail=f"SEARCH CHARSET {charset}: {cause.detail}", host=host)
        self.response_code = cause.response_code
        self.status = cause.status


@dataclass
class FetchBatch:
    """Messages parsed from one part of a streaming FETCH."""

    messages: list[FetchedMessage]
    skipped: int = 0
    #: What ``row_builder`` made of the rows it took (see :meth:`ImapWire.fetch_stream`).
    rows: list[Any] = field(default_factory=list)


def quote_mailbox(name: str | bytes) -> bytes:
    """A folder name as an IMAP quoted string (modified UTF-7 for non-ASCII)."""
    wire = name if isinstance(name, bytes) else (b"INBOX" if name.upper() == "INBOX" else encode_mutf7(name))
    return b'"' + wire.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def quote_string(text: str) -> bytes:
    data = text.encode("utf-8")
    if b"\r" in data or b"\n" in data:
        raise ValueError("line breaks cannot be quoted")
    return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


class ImapWire:
    """Tagged IMAP commands over a transport, for one thread at a time.

    Unsolicited responses seen during any command (EXISTS, EXPUNGE, VANISHED,
    flag FETCHes) are appended to :attr:`events` for the sync code to apply.
    Errors: NetworkError for a dead connection or timeout, ImapCommandError
    for NO/BAD, ServerError(protocol-error) for an unreadable stream.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        host: str = "server",
        port: int = 993,
        capabilities: Iterable[str] = (),
        timeout: float = 60.0,
    ) -> None:
        self.transport = transport
        self.reader = ResponseReader(transport, timeout)
        self.host = host
        self.port = port
        self.capabilities: frozenset[str] = frozenset(c.upper() for c in capabilities)
        self.enabled: set[str] = set()
        self.events: list[Event] = []
        self.selected: str | None = None
        #: What the SELECT of the selected folder reported (None when none is selected).
        self.selected_info: SelectResult | None = None
        self._tags = itertools.count(1)
        self._idle_tag: bytes | None = None
        self.broken = False
        #: The largest folder size (EXISTS) announced on this connection, up to
        #: MAX_COUNTED_MESSAGES: what the bounds on responses per command grow with.
        self._counted_messages = 0
        #: How the connection was made (net/report.py; None for a test transport): the endpoint
        #: and address a changed policy is checked against (sync/connection_policy.py).
        self.report: Any = None

    # -- errors -----------------------------------------------------------------------
    def _network_error(self, exc: BaseException, during: str) -> NetworkError:
        self.broken = True
        return failures.from_os_error(exc, self.host, self.port, during)

    def _protocol_error(self, during: str, detail: str) -> ServerError:
        self.broken = True
        return failures.server_error(failures.PROTOCOL, self.host, self.port, f"{during}: {detail}")

    def _too_much(self, during: str, detail: str) -> ServerError:
        """The server went beyond a bound: end the connection (nothing more is read)."""
        self.broken = True
        log.warning("%s sent more than a mail server would during %s (%s); connection closed",
                    self.host, during, detail)
        try:
            self.transport.close()
        except OSError:
            pass
        return failures.too_much_data(self.host, self.port, f"{during}: {detail}")

    # -- bounds (see net/imap/bounds.py) -----------------------------------------------
    def _response_limit(self) -> int:
        return bounds.UNTAGGED_BASE + bounds.UNTAGGED_PER_MESSAGE * self._counted_messages

    def _begin(self, *, streamed: bool = False, folders: int = 0) -> None:
        """A command (or an IDLE wait) starts: bound what its responses may add up to."""
        self.reader.budget(
            self._response_limit() + 2 * folders,
            None if streamed
            else bounds.RETAINED_BASE
            + bounds.RETAINED_PER_MESSAGE * self._counted_messages
            + bounds.RETAINED_PER_FOLDER * folders,
        )

    def _folder_grew(self, count: int) -> None:
        counted = min(count, bounds.MAX_COUNTED_MESSAGES)
        if counted > self._counted_messages:
            more = counted - self._counted_messages
            self._counted_messages = counted
            self.reader.extend_budget(bounds.UNTAGGED_PER_MESSAGE * more, bounds.RETAINED_PER_MESSAGE * more)

    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities

    # -- the command loop -------------------------------------------------------------
    def _next_tag(self, *, streamed: bool = False, folders: int = 0) -> bytes:
        """The next command's tag; its responses are counted from here (see :meth:`_begin`)."""
        self._begin(streamed=streamed, folders=folders)
        return b"W%d" % next(self._tags)

    def _send(self, data: bytes, during: str) -> None:
        try:
            self.transport.send(data)
        except (OSError, EOFError) as exc:
            raise self._network_error(exc, during) from None

    def _read(self, during: str) -> Response:
        try:
            return self.reader.read_response()
        except (OSError, EOFError, TimeoutError) as exc:
            raise self._network_error(exc, during) from None
        except TooMuchData as exc:
            raise self._too_much(during, str(exc)) from None
        except ParseError as exc:
            raise self._protocol_error(during, str(exc)) from None

    def _handle_untagged(self, resp: Response, sink: list[Response] | None) -> None:
        line = resp.line
        if line[:5].upper() == b"* BYE":
            # BYE precedes the close; the tagged answer (if any) follows. Keep reading.
            log.info("Server said BYE: %s", excerpt(line, 80))
            return
        try:
            event = parse_event(line, resp.literals)
        except (ParseError, ValueError) as exc:  # ValueError: int() of thousands of digits
            log.warning("Unreadable unsolicited response skipped (%s): %s", exc, excerpt(line))
            event = None
        if event is not None:
            if type(event) is Exists and event.messages > self._counted_messages:
                self._folder_grew(event.messages)
            if len(self.events) >= self._response_limit():
                raise self._too_much("unsolicited responses", f"more than {len(self.events)} changes not yet taken")
            self.events.append(event)
            if sink is not None and isinstance(event, FlagsChanged):
                sink.append(resp)
            return
        if line[:13].upper() == b"* OK [CLOSED]":
            # QRESYNC: everything before this belonged to the previously selected folder.
            self.events.clear()
        elif line[:13].upper() == b"* CAPABILITY ":
            self.capabilities = frozenset(line[13:].decode("ascii", "replace").upper().split())
        elif line[:5].upper() == b"* OK " or line[:5].upper() == b"* NO ":
            code = response_code(line)
            if code is not None and code[0] == "CAPABILITY":
                self.capabilities = frozenset(code[1].decode("ascii", "replace").upper().split())
        if sink is not None:
            sink.append(resp)

    def _check_usable(self, during: str) -> None:
        if self.broken:
            raise failures.network_error(
                failures.CONNECTION_CLOSED, self.host, self.port, f"{during}: connection already broken"
            )
        if self._idle_tag is not None:
            raise RuntimeError("command while IDLE")

    def command(self, command: bytes, *, during: str | None = None, folders: int = 0) -> CommandResult:
        """Send one command, collect its untagged responses, return on tagged OK.

        ``folders``: how many folders the answer may list (LIST), on top of the usual bounds.
        """
        self._check_usable(during or "command")
        label = during or command.split(b" ", 1)[0].decode("ascii", "replace")
        tag = self._next_tag(folders=folders)
        self._send(tag + b" " + command + b"\r\n", label)
        untagged: list[Response] = []
        return self._finish(tag, label, untagged)

    def _finish(self, tag: bytes, label: str, untagged: list[Response], *, keep: bool = True) -> CommandResult:
        """Read to the tagged answer. ``keep=False``: untagged responses are not kept
        (their events are: NOOP and IDLE need nothing else, and a flood then costs less)."""
        prefix = tag + b" "
        sink = untagged if keep else None
        while True:
            resp = self._read(label)
            line = resp.line
            if line.startswith(prefix):
                parts = line.split(b" ", 2)
                status = parts[1].upper().decode("ascii", "replace") if len(parts) > 1 else "BAD"
                text = parts[2] if len(parts) > 2 else b""
                if status != "OK":
                    raise ImapCommandError(self.host, label, status, text)
                return CommandResult(status, text, untagged)
            if line.startswith(b"*"):
                self._handle_untagged(resp, sink)
            elif line.startswith(b"+"):
                raise self._protocol_error(label, "unexpected continuation request")
            else:
                raise self._protocol_error(label, f"unexpected line {excerpt(line, 60)}")

    def command_with_literal(self, head: bytes, literal: bytes, tail: bytes = b"", during: str = "") -> CommandResult:
        """A command carrying one literal (APPEND): waits for the continuation (or LITERAL+)."""
        label = during or head.split(b" ", 1)[0].decode("ascii", "replace")
        return self.command_with_literals([head + b" ", tail], [literal], during=label)

    def command_with_literals(
        self, parts: Sequence[bytes], literals: Sequence[bytes], *, during: str = ""
    ) -> CommandResult:
        """A command with literals: ``parts[0] {literals[0]} parts[1] ... parts[-1]``.

        Before each literal the server's continuation request is awaited, unless it
        offers LITERAL+ (RFC 7888: ``{n+}``, sent at once). A tagged NO/BAD instead of
        the continuation raises ImapCommandError (the rest is not sent).
        """
        if len(parts) != len(literals) + 1:
            raise ValueError("one more part than literals")
        self._check_usable(during or "command")
        label = during or parts[0].split(b" ", 1)[0].decode("ascii", "replace")
        tag = self._next_tag()
        nonsync = self.has("LITERAL+")
        pending = tag + b" " + parts[0]
        for i, literal in enumerate(literals):
            self._send(pending + b"{%d%s}\r\n" % (len(literal), b"+" if nonsync else b""), label)
            if not nonsync:
                self._await_continuation(tag, label)
            pending = literal + parts[i + 1]
        self._send(pending + b"\r\n", label)
        return self._finish(tag, label, [])

    def _await_continuation(self, tag: bytes, label: str) -> None:
        while True:
            resp = self._read(label)
            if resp.line.startswith(b"+"):
                return
            if resp.line.startswith(tag + b" "):
                parts = resp.line.split(b" ", 2)
                status = parts[1].decode("ascii", "replace") if len(parts) > 1 else "BAD"
                raise ImapCommandError(self.host, label, status, parts[2] if len(parts) > 2 else b"")
            self._handle_untagged(resp, None)

    # -- simple commands --------------------------------------------------------------------
    def capability(self) -> frozenset[str]:
        self.command(b"CAPABILITY")
        return self.capabilities

    def enable(self, *names: str) -> set[str]:
        """ENABLE (RFC 5161); returns what the server says it enabled."""
        if not self.has("ENABLE"):
            return set()
        result = self.command(b"ENABLE " + " ".join(names).encode("ascii"))
        for resp in result.untagged:
            if resp.line[:10].upper() == b"* ENABLED ":
                self.enabled.update(resp.line[10:].decode("ascii", "replace").upper().split())
        return set(self.enabled)

    def noop(self) -> list[Event]:
        """NOOP; returns (and clears) the events gathered so far."""
        self._check_usable("NOOP")
        tag = self._next_tag()
        self._send(tag + b" NOOP\r\n", "NOOP")
        self._finish(tag, "NOOP", [], keep=False)
        return self.take_events()

    def take_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events

    def logout(self) -> None:
        try:
            self.command(b"LOGOUT")
        except (NetworkError, ServerError):
            pass
        finally:
            self.transport.close()

    def close(self) -> None:
        self.transport.close()

    def interrupt(self) -> None:
        """The one call allowed from another thread: end the connection under its owner
        (a blocked read returns, the next command fails as a lost connection); the owner
        then closes it on its own thread (``secure_connect.interrupt``)."""
        from govmail_desktop.net.secure_connect import interrupt

        interrupt(getattr(self.transport, "sock", None))

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
