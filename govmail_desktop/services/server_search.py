"""The server part of a search: folders whose bodies are not all on this computer are
searched on the server, in the background, and what it finds joins the results.

:class:`ServerSearch` (GUI thread) gets a request — the parsed query, the folders to
search (those in scope whose messages are not all body-indexed: the search engine says
which) and the hits the local index already has — and queues one operation per account
on that account's connection worker (``SyncService.run_on_connection``: the one IMAP
connection, never a new path). There ``sync.server_search.search_folder`` runs
``UID SEARCH`` (ESEARCH when offered, ``CHARSET UTF-8`` for Thai) folder by folder with
the criteria of ``search.imap_criteria``; the found UIDs not among the local hits become
:class:`~govmail_desktop.search.engine.Hit` objects with ``on_server=True`` (headers from
the cache, or fetched for messages the cache lacks), checked against what the server
cannot ask (``has:attachment``, ``is:urgent``, ``is:secret``: from the headers, as the
message list shows them), and arrive through :attr:`ServerSearch.results`, folder by
folder. :attr:`ServerSearch.finished` ends the request with a
:class:`ServerSearchOutcome`: what was searched, which accounts were offline (the server
part skipped — a note, never an error dialog), the server's refusals in words
(``SearchCharsetRefused``: a server that cannot search Thai) and whether a folder
matched more than :data:`sync.server_search.MAX_HITS_PER_FOLDER`.

A newer request does not cancel an older one by itself: the caller cancels what it no
longer shows (:meth:`ServerSearch.cancel`).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from govmail_desktop.core.entities import MessageSummary, encode_flags
from govmail_desktop.core.errors import GovMailError, NetworkError
from govmail_desktop.mime.markings import recognise
from govmail_desktop.net.imap.client import ImapCommandError, SearchCharsetRefused
from govmail_desktop.search.engine import Hit
from govmail_desktop.search.imap_criteria import ServerCriteria, criteria_for
from govmail_desktop.search.query import FlagTerm, Query, Term
from govmail_desktop.services.sync_service import CANCELLED, FAILED, SyncService
from govmail_desktop.store import keys
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.server_search import MAX_HITS_PER_FOLDER, FolderSearch, search_folder

log = logging.getLogger(__name__)

HitKey = tuple[str, str, int]  # account id, folder name, UID


@dataclass
class ServerSearchOutcome:
    """How the server part of one request went (see the module text)."""

    #: (account id, folder) searched on a server.
    searched: list[tuple[str, str]] = field(default_factory=list)
    #: Accounts whose server part was skipped: offline, or no connection allowed.
    offline: list[str] = field(default_factory=list)
    #: Translated texts of the servers' refusals (a server that cannot search Thai...).
    problems: list[str] = field(default_factory=list)
    #: Hits sent through ``results``.
    found: int = 0
    #: Some folder matched more messages than were kept (the newest were).
    truncated: bool = False
    cancelled: bool = False

    def summary(self) -> str:
        """One line for the search view's status ('' when there is nothing to say)."""
        parts: list[str] = []
        if self.offline:
            parts.append(QCoreApplication.translate(
                "ServerSearch", "Offline: the server was not searched, only the messages on this computer."))
        parts.extend(self.problems)
        if self.truncated:
            parts.append(QCoreApplication.translate(
                "ServerSearch", "The server found more messages than can be shown; the newest are shown."))
        return " ".join(parts)


@dataclass
class _Request:
    request_id: int
    outcome: ServerSearchOutcome
    ops: dict[int, str] = field(default_factory=dict)  # op id → account id
    seen: set[HitKey] = field(default_factory=set)


@dataclass
class _Account:
    sync: SyncService | None
    cache: MailCache


class ServerSearch(QObject):
    """Server search over the accounts' connection workers (lives in the GUI thread)."""

    #: (request id, list[Hit]) — hits found on a server, folder by folder (``on_server`` True).
    results = Signal(int, object)
    #: (request id, ServerSearchOutcome) — the server part of the request is over.
    finished = Signal(int, object)
    #: Worker → GUI thread: (request id, account id, list[Hit], FolderSearch, the folder's refusal or "").
    _folder_done = Signal(int, str, object, object, str)

    def __init__(self, parent: QObject | None = None, *, limit: int = MAX_HITS_PER_FOLDER) -> None:
        super().__init__(parent)
        self.limit = limit
        self._accounts: dict[str, _Account] = {}
        self._requests: dict[int, _Request] = {}
        self._op_request: dict[tuple[int, int], int] = {}  # (id(sync), op id) → request id
        self._keys = itertools.count(1)
        self._folder_done.connect(self._on_folder_done)

    # -- accounts -------------------------------------------------------------------------------
    def add_account(self, account_id: str, sync: SyncService | None, cache: MailCache) -> None:
        """An account whose folders may be searched (``sync`` None: never online)."""
        self._accounts[account_id] = _Account(sync, cache)
        if sync is not None:
            sync.operationFinished.connect(
                lambda op_id, outcome, error, s=sync: self._on_operation_finished(s, op_id, outcome, error)
            )

    def remove_account(self, account_id: str) -> None:
        self._accounts.pop(account_id, None)

    # -- requests -------------------------------------------------------------------------------
    def start(
        self,
        request_id: int,
        query: Query,
        folders: Sequence[tuple[str, str]],
        exclude: Collection[HitKey] = (),
    ) -> bool:
        """Search ``folders`` ((account id, folder name)) on their servers for ``query``,
        leaving out ``exclude`` (the local hits). False when there is nothing to search
        (``finished`` is then emitted at once, too)."""
        request = _Request(request_id, ServerSearchOutcome(), seen=set(exclude))
        self._requests[request_id] = request
        criteria = criteria_for(query)
        by_account: dict[str, list[str]] = {}
        for account_id, folder in folders:
            by_account.setdefault(account_id, [])
            if folder not in by_account[account_id]:
                by_account[account_id].append(folder)
        for account_id, names in by_account.items():
            account = self._accounts.get(account_id)
            if account is None:
                continue
            if account.sync is None:
                request.outcome.offline.append(account_id)
                continue
            op_id = self._queue(request_id, account_id, account, names, criteria)
            request.ops[op_id] = account_id
            self._op_request[(id(account.sync), op_id)] = request_id
        if not request.ops:
            self._finish(request)
            return False
        return True

    def cancel(self, request_id: int) -> None:
        request = self._requests.get(request_id)
        if request is None:
            return
        request.outcome.cancelled = True
        for op_id, account_id in list(request.ops.items()):
            account = self._accounts.get(account_id)
            if account is not None and account.sync is not None:
                account.sync.cancel(op_id)

    def pending(self) -> bool:
        return bool(self._requests)

    # -- the job on the connection worker ---------------------------------------------------------
    def _queue(
        self, request_id: int, account_id: str, account: _Account, folders: list[str], criteria: ServerCriteria
    ) -> int:
        assert account.sync is not None
        cache = account.cache
        limit = self.limit
        done = self._folder_done
        local_terms = criteria.local_terms

        def job(conn: MailboxConnection, cancel: CancelToken) -> object:
            for folder in folders:
                cancel.check()
                try:
                    found = search_folder(
                        conn, cache, folder, criteria.keys, charset=criteria.charset, cancel=cancel, limit=limit
                    )
                except SearchCharsetRefused:
                    raise  # every folder of this server would refuse it alike
                except ImapCommandError as exc:  # this folder only (gone, not selectable): the others go on
                    log.info("Server search skipped folder %r: %s", folder, exc.detail)
                    done.emit(request_id, account_id, [], FolderSearch(folder, None), exc.user_text())
                    continue
                hits = [
                    _hit(account_id, folder, summary, body_indexed=False)
                    for summary in found.found
                    if _local_terms_hold(local_terms, summary)
                ]
                done.emit(request_id, account_id, hits, found, "")
            return None

        op_id = account.sync.run_on_connection(
            ("server-search", request_id, next(self._keys)),
            lambda: QCoreApplication.translate("ServerSearch", "Searching on the server"),
            job,
            first=True,  # the user is waiting for the results
            retry_on_network=False,  # offline: skip the server part, do not wait for a reconnect
        )
        return op_id

    # -- answers (GUI thread) -----------------------------------------------------------------------
    @Slot(int, str, object, object, str)
    def _on_folder_done(self, request_id: int, account_id: str, hits: object, found: object, problem: str) -> None:
        request = self._requests.get(request_id)
        if request is None or request.outcome.cancelled:
            return
        assert isinstance(hits, list) and isinstance(found, FolderSearch)
        if problem:
            if problem not in request.outcome.problems:
                request.outcome.problems.append(problem)
            return
        request.outcome.searched.append((account_id, found.folder))
        request.outcome.truncated |= found.truncated
        new = []
        for hit in hits:
            key = (hit.account_id, hit.folder, hit.uid)
            if key not in request.seen:
                request.seen.add(key)
                new.append(hit)
        if new:
            request.outcome.found += len(new)
            self.results.emit(request_id, new)

    def _on_operation_finished(self, sync: SyncService, op_id: int, outcome: str, error: object) -> None:
        request_id = self._op_request.pop((id(sync), op_id), None)
        if request_id is None:
            return
        request = self._requests.get(request_id)
        if request is None:
            return
        account_id = request.ops.pop(op_id, "")
        if outcome == CANCELLED:
            request.outcome.cancelled = True
        elif outcome == FAILED:
            if isinstance(error, NetworkError):
                request.outcome.offline.append(account_id)
            elif isinstance(error, GovMailError):
                log.info("Server search in %s failed: %s", account_id, error)
                text = error.user_text()
                if text not in request.outcome.problems:
                    request.outcome.problems.append(text)
            else:
                log.warning("Server search in %s failed: %r", account_id, error)
        if not request.ops:
            self._finish(request)

    def _finish(self, request: _Request) -> None:
        self._requests.pop(request.request_id, None)
        self.finished.emit(request.request_id, request.outcome)


# -- hits ----------------------------------------------------------------------------------------


def _epoch(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int | float):
        return int(value)
    timestamp: Callable[[], float] | None = getattr(value, "timestamp", None)
    return int(timestamp()) if timestamp is not None else 0


def _hit(account_id: str, folder: str, summary: MessageSummary, *, body_indexed: bool) -> Hit:
    return Hit(
        account_id=account_id,
        folder=folder,
        uid=summary.uid,
        date=_epoch(summary.date if summary.date is not None else summary.internaldate),
        subject=summary.subject,
        sender=keys.display_of(summary.from_),  # as the cache's from_display (local hits)
        flags=encode_flags(summary.flags)[0],
        has_attachments=summary.has_attachments,
        score=0.0,
        body_indexed=body_indexed,
        on_server=True,
    )


def _local_terms_hold(terms: Iterable[Term], summary: MessageSummary) -> bool:
    """The terms the server could not check (has:attachment, is:urgent, is:secret), on the
    message's headers — the attachment mark and the subject's markings, as the list shows."""
    markings = None
    for term in terms:
        if not isinstance(term, FlagTerm):
            continue
        if term.name == "attachment":
            value = summary.has_attachments
        else:
            if markings is None:
                markings = recognise(summary.subject)
            value = (markings.urgency if term.name == "urgent" else markings.secrecy) is not None
        if value == term.negated:
            return False
    return True
