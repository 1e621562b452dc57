"""The core of :class:`~govmail_desktop.net.imap.client.ImapWire`: one connection's tagged
command loop (tags, sending, reading with the bounds of ``net/imap/bounds.py``, untagged
responses gathered as events, NO/BAD as :class:`ImapCommandError`) and the commands that
need nothing else (CAPABILITY, ENABLE, NOOP, LOGOUT). The folder, search, fetch, change and
IDLE commands are ``ImapWire``'s, in ``net/imap/client.py``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from govmail_desktop.core.errors import NetworkError, ServerError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.net import failures
from govmail_desktop.net.imap import bounds
from govmail_desktop.net.imap.grammar import (
    ParseError,
    excerpt,
    response_code,
)
from govmail_desktop.net.imap.reader import (
    Response,
    ResponseReader,
    TooMuchData,
    Transport,
)
from govmail_desktop.net.imap.responses import (
    Event,
    Exists,
    FlagsChanged,
    SelectResult,
    parse_event,
)
from govmail_desktop.net.imap.text import encode_mutf7

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


def quote_mailbox(name: str | bytes) -> bytes:
    """A folder name as an IMAP quoted string (modified UTF-7 for non-ASCII)."""
    wire = name if isinstance(name, bytes) else (b"INBOX" if name.upper() == "INBOX" else encode_mutf7(name))
    return b'"' + wire.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def quote_string(text: str) -> bytes:
    data = text.encode("utf-8")
    if b"\r" in data or b"\n" in data:
        raise ValueError("line breaks cannot be quoted")
    return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


class WireCore:
    """The command loop of one IMAP connection, for one thread at a time (the base of
    :class:`~govmail_desktop.net.imap.client.ImapWire`, which says what it promises)."""

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
