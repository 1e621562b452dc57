"""What the sync algorithms need from an IMAP connection (and nothing more).

``net.imap.client.ImapWire`` implements this protocol on the policy-checked TLS
socket that ``net.imap_session.ImapSession`` opened and logged in; unit tests
use an in-memory fake server (tests/unit/sync/fake_server.py). Everything is
typed (the values of net/imap), never raw protocol bytes.

One connection belongs to one thread at a time: its commands and answers share one stream.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Protocol

from govmail_desktop.net.imap.client import FetchBatch
from govmail_desktop.net.imap.fetch import FetchedMessage
from govmail_desktop.net.imap.reader import RowBuilder
from govmail_desktop.net.imap.responses import Event, FolderListing, SearchResult, SelectResult


class MailboxConnection(Protocol):
    """An authenticated IMAP connection, as the sync algorithms use it."""

    capabilities: frozenset[str]
    enabled: set[str]
    broken: bool
    #: The selected folder, and what its SELECT reported (None when none is selected).
    selected: str | None
    selected_info: SelectResult | None

    def has(self, capability: str) -> bool: ...

    def enable(self, *names: str) -> set[str]: ...

    def list_folders(self, *, with_status: bool = True) -> list[FolderListing]: ...

    def xlist_folders(self) -> list[FolderListing]: ...

    def lsub_folders(self) -> list[FolderListing]: ...

    def create(self, folder: str, *, special_use: str | None = None) -> None: ...

    def subscribe(self, folder: str) -> None: ...

    def status(self, folder: str, items: str = ...) -> dict[str, int]: ...

    def select(
        self,
        folder: str,
        *,
        readonly: bool = False,
        qresync: tuple[int, int] | None = None,
        condstore: bool = False,
    ) -> SelectResult: ...

    def uid_search(self, criteria: str = "ALL") -> SearchResult: ...

    def uid_search_text(
        self, criteria: Sequence[bytes | str], *, charset: str | None = "UTF-8", limit: int = 0
    ) -> SearchResult:
        """UID SEARCH with user text (``str`` items) among the app's keys (``bytes``); see
        ``ImapWire.uid_search_text``. Raises SearchCharsetRefused on BADCHARSET."""
        ...

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
        """``UID FETCH`` in batches. ``row_builder`` is offered each row in the common
        summary layout (``net.imap.fetch.SUMMARY_ROW_RE``) straight from the read buffer;
        what it returns goes to ``FetchBatch.rows``, a row it declines (None) and every
        other row to ``FetchBatch.messages``."""
        ...

    def store_flags(
        self, uid_set: str, mode: str, flags: Sequence[str], *, unchangedsince: int | None = None
    ) -> tuple[list[FetchedMessage], str]: ...

    def uid_copy(self, uid_set: str, destination: str) -> dict[int, int]: ...

    def uid_move(self, uid_set: str, destination: str) -> dict[int, int]: ...

    def uid_expunge(self, uid_set: str) -> None: ...

    def append(
        self, folder: str, message: bytes, flags: Sequence[str] = (), date: str | None = None
    ) -> int | None:
        """APPEND; the new UID when the server has UIDPLUS."""
        ...

    def noop(self) -> list[Event]: ...

    def take_events(self) -> list[Event]: ...

    def idle_start(self) -> None: ...

    def idle_wait(self, timeout: float) -> list[Event]: ...

    def idle_done(self) -> list[Event]: ...

    def logout(self) -> None: ...

    def close(self) -> None: ...


#: Opens a new, logged-in connection (through the policy); raises GovMailError.
ConnectionFactory = Callable[[], MailboxConnection]


def prepare(conn: MailboxConnection) -> MailboxConnection:
    """Per-connection set-up before any SELECT: turn on QRESYNC (RFC 7162) when offered.

    ENABLE is only valid before a folder is selected, so this runs right after login.
    CONDSTORE alone needs no ENABLE (SELECT ... (CONDSTORE) turns it on).
    When this fails (the connection lost during ENABLE) the connection is closed here: the
    callers (the sync worker, the IDLE watcher) have not taken it yet.
    """
    try:
        if conn.has("QRESYNC") and "QRESYNC" not in conn.enabled:
            conn.enable("QRESYNC")
    except BaseException:
        conn.close()
        raise
    return conn
