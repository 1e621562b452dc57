"""The search service: queries run on a worker thread, the GUI thread never waits.

:class:`SearchService` (GUI thread) takes ``search(request_id, query_text, scope, sort)``;
its worker parses the text (:func:`search.query.parse_query`) and runs it over the
accounts' local indexes (:class:`search.engine.SearchEngine`). Then:

* ``results(request_id, hits)`` — the local matches (``list[Hit]``);
* when a server search is attached (:meth:`attach_server_search`, S2's
  ``services.server_search.ServerSearch``) and the query asks for text that may be in
  a body not cached here, the folders in scope whose messages are not all
  body-indexed are searched on their servers: ``server_results(request_id, hits)``
  (``on_server=True``, the local hits left out), ``server_outcome(request_id, outcome)``;
* ``failed(request_id, text)`` — a malformed query (``query_error`` carries the
  :class:`~search.query.QueryError` with its position) or a storage problem, in the
  user's language;
* ``finished(request_id)`` — local and server parts are both over (also after
  ``failed`` and after ``cancel``).

``cancel(request_id)`` stops a running local search at its next check and the server
part; nothing more is emitted for it but ``finished``.

Each account's index is kept current by its :class:`search.indexer.Indexer` (a thread
of its own, started by :meth:`add_account`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.search.engine import AccountSource, Cancelled, Hit, SearchEngine, SearchScope, Sort
from govmail_desktop.search.engine import folder_matches as _folder_matches
from govmail_desktop.search.imap_criteria import needs_server
from govmail_desktop.search.index import SearchIndex
from govmail_desktop.search.indexer import Indexer
from govmail_desktop.search.query import FolderTerm, Query, QueryError, parse_query
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.store.cache import MailCache

log = logging.getLogger(__name__)

MSG_SEARCH_FAILED = QT_TRANSLATE_NOOP("SearchService", "The search could not be run: {detail}")


class ServerPart(Protocol):
    """What the service needs of a server search (``services.server_search.ServerSearch``)."""

    results: SignalInstance
    finished: SignalInstance

    def start(self, request_id: int, query: Query, folders: Sequence[tuple[str, str]],
              exclude: Collection[tuple[str, str, int]] = ()) -> bool: ...

    def cancel(self, request_id: int) -> None: ...


@dataclass
class _Request:
    request_id: int
    cancelled: bool = False
    server_running: bool = False
    done: bool = False
    folders: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Local:
    """What the worker hands back for one request."""

    query: Query
    hits: list[Hit]
    unindexed: list[tuple[str, str]]


class SearchService(QObject):
    """Local search on a worker thread, the server part through an attached server search."""

    results = Signal(int, object)
    server_results = Signal(int, object)
    server_outcome = Signal(int, object)
    failed = Signal(int, str)
    query_error = Signal(int, object)
    finished = Signal(int)

    def __init__(self, engine: SearchEngine | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine or SearchEngine()
        self._worker = LocalWorker("search", on_thread_exit=self.engine.close_thread, parent=self)
        self._requests: dict[int, _Request] = {}
        self._indexers: dict[str, Indexer] = {}
        self._server: ServerPart | None = None

    # ------------------------------------------------------------------ accounts

    def add_account(self, account_id: str, cache: MailCache, index: SearchIndex | None = None, *,
                    start_indexer: bool = True) -> Indexer:
        """Search this account's mail; its indexer starts (reconciling the index with the
        cache in the background first)."""
        self.remove_account(account_id, delete_index=False)
        if index is None:
            index = SearchIndex(cache.path.with_name("search.sqlite3"), cache_path=cache.path)
        indexer = Indexer(account_id, cache, index)
        self._indexers[account_id] = indexer
        source = AccountSource.of_cache(account_id, cache, index)
        source.on_damage = indexer.index_damaged
        self.engine.set_source(source)
        if start_indexer:
            indexer.start()
        return indexer

    def remove_account(self, account_id: str, *, delete_index: bool = True) -> None:
        """Stop searching an account; ``delete_index``: the account is removed, so is its index."""
        indexer = self._indexers.pop(account_id, None)
        self.engine.remove_source(account_id)
        if indexer is None:
            return
        indexer.stop()
        indexer.index.close()
        if delete_index:
            for suffix in ("", "-wal", "-shm", "-journal"):
                indexer.index.path.with_name(indexer.index.path.name + suffix).unlink(missing_ok=True)

    def indexer(self, account_id: str) -> Indexer | None:
        return self._indexers.get(account_id)

    # ------------------------------------------------------------------ the server part

    def attach_server_search(self, server: ServerPart) -> None:
        """Search on the servers what is not body-indexed here (S2's ServerSearch)."""
        self._server = server
        server.results.connect(self._on_server_hits)
        server.finished.connect(self._on_server_finished)

    # ------------------------------------------------------------------ requests

    def search(self, request_id: int, query_text: str, scope: SearchScope | None = None,
               sort: Sort = "date") -> None:
        """Start a search (``scope`` None: every account); the answers arrive through the
        signals (never blocks)."""
        scope = scope or SearchScope()
        request = _Request(request_id)
        self._requests[request_id] = request

        def stop() -> bool:
            return request.cancelled

        self._worker.submit(
            lambda: self._run(query_text, scope, sort, stop),
            lambda local: self._local_done(request, scope, local),
            lambda exc: self._local_failed(request, exc),
        )

    def cancel(self, request_id: int) -> None:
        request = self._requests.get(request_id)
        if request is None or request.done:
            return
        request.cancelled = True
        if request.server_running and self._server is not None:
            self._server.cancel(request_id)

    def shutdown(self) -> None:
        for request in self._requests.values():
            request.cancelled = True
        for account_id in list(self._indexers):
            self.remove_account(account_id, delete_index=False)
        self._worker.shutdown()

    def busy(self) -> bool:
        return any(not r.done for r in self._requests.values())

    # ------------------------------------------------------------------ worker side

    def _run(self, query_text: str, scope: SearchScope, sort: Sort, stop: Callable[[], bool]) -> _Local | None:
        if stop():
            return None
        query = parse_query(query_text)
        try:
            hits = self.engine.search(query, scope, sort, should_stop=stop)
        except Cancelled:
            return None
        unindexed: list[tuple[str, str]] = []
        if self._server is not None and needs_server(query):
            folder_terms = [t for t in query.terms if isinstance(t, FolderTerm)]
            for account_id, folder, _count in self.engine.unindexed(scope):
                if all(_folder_matches(t.name, folder) != t.negated for t in folder_terms):
                    unindexed.append((account_id, folder))
        return _Local(query, hits, unindexed)

    # ------------------------------------------------------------------ GUI side

    def _local_done(self, request: _Request, scope: SearchScope, local: _Local | None) -> None:
        if request.cancelled or local is None:
            self._finish(request)
            return
        self.results.emit(request.request_id, local.hits)
        if self._server is not None and local.unindexed:
            exclude = {(h.account_id, h.folder, h.uid) for h in local.hits}
            request.server_running = True
            try:
                started = self._server.start(request.request_id, local.query, local.unindexed, exclude)
            except Exception:
                log.exception("Server search could not start")
                started = False
            if started:
                return  # finished follows the server part
            request.server_running = False
        self._finish(request)

    def _local_failed(self, request: _Request, exc: BaseException) -> None:
        if isinstance(exc, QueryError):
            self.query_error.emit(request.request_id, exc)
            self.failed.emit(request.request_id, exc.user_text())
        elif isinstance(exc, GovMailError):
            self.failed.emit(request.request_id, exc.user_text())
        else:
            log.error("Search failed", exc_info=exc)
            self.failed.emit(request.request_id, MSG_SEARCH_FAILED.format(detail=str(exc)).text())
        self._finish(request)

    @Slot(int, object)
    def _on_server_hits(self, request_id: int, hits: object) -> None:
        request = self._requests.get(request_id)
        if request is not None and not request.cancelled and not request.done:
            self.server_results.emit(request_id, hits)

    @Slot(int, object)
    def _on_server_finished(self, request_id: int, outcome: object) -> None:
        request = self._requests.get(request_id)
        if request is None or request.done:
            return
        request.server_running = False
        if not request.cancelled:
            self.server_outcome.emit(request_id, outcome)
        self._finish(request)

    def _finish(self, request: _Request) -> None:
        if request.done:
            return
        request.done = True
        self._requests.pop(request.request_id, None)
        self.finished.emit(request.request_id)


__all__ = ["SearchService", "ServerPart"]
