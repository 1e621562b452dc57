"""A stand-in for the search service (services/search_service.SearchService) in GUI tests.

Why a fake here: the GUI tests decide when the local hits, the server's hits and the end
of a search arrive (and that they arrive after the call returned, as from the service's
worker), and what a failure says. The real service and index are tested in
tests/unit/search and tests/integration; this one answers from the accounts' caches by
the same matcher (search.fold) over subjects and senders, so what the UI shows can be
checked against the messages themselves.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from govmail_desktop.search.engine import Hit
from govmail_desktop.search.fold import fold
from govmail_desktop.search.query import FlagTerm, TextTerm, parse_query


def FakeHit(
    account_id: str, folder: str, uid: int, date: int, subject: str, sender: str, flags: int = 0,
    has_attachments: bool = False, score: float = 0.0, body_indexed: bool = True, on_server: bool = False,
) -> Hit:
    """A real search.engine.Hit with the defaults a UI test wants."""
    return Hit(account_id, folder, uid, date, subject, sender, flags, has_attachments, score, body_indexed,
               on_server)


class FakeSearchService(QObject):
    results = Signal(int, object)
    server_results = Signal(int, object)
    server_outcome = Signal(int, object)
    failed = Signal(int, str)
    finished = Signal(int)

    def __init__(self, caches: dict[str, Any]) -> None:
        super().__init__()
        self.caches = caches  # account id → MailCache
        self.calls: list[tuple[int, str, Any, str]] = []
        self.cancelled: list[int] = []

    def search(self, request_id: int, query_text: str, scope: Any, sort: str) -> None:
        self.calls.append((request_id, query_text, scope, sort))

    def cancel(self, request_id: int) -> None:
        self.cancelled.append(request_id)

    # -- what the tests make it answer
    @property
    def last(self) -> tuple[int, str, Any, str]:
        return self.calls[-1]

    def matching(self, query_text: str, scope: Any) -> list[Hit]:
        """Hits over subject + sender (brute force through search.fold)."""
        query = parse_query(query_text)
        hits = []
        for account_id, cache in self.caches.items():
            if scope.account_ids is not None and account_id not in scope.account_ids:
                continue
            for cached in cache.folders():
                if scope.folder is not None and scope.folder != (account_id, cached.name):
                    continue
                for uid in cache.known_uids(cached.id):
                    s = cache.summary(cached.id, uid)
                    if s is None:
                        continue
                    sender = str(s.sender) if s.sender else ""
                    ok = True
                    for term in query.terms:
                        if isinstance(term, TextTerm):
                            where = s.subject if term.field == "subject" else (
                                sender if term.field == "from" else f"{s.subject} {sender}")
                            ok = ok and ((fold(term.text) in fold(where)) != term.negated)
                        elif isinstance(term, FlagTerm) and term.name == "unread":
                            ok = ok and ((not s.seen) != term.negated)
                    if ok:
                        hits.append(FakeHit(account_id, cached.name, uid, int(s.internaldate.timestamp()),
                                            s.subject, sender, 0 if not s.seen else 1, s.has_attachments,
                                            score=float(uid % 17)))
        return hits

    def answer(self, *, request: int | None = None, server: list[Hit] | None = None,
               local: list[Hit] | None = None) -> list[Hit]:
        request_id, text, scope, _sort = self.calls[-1] if request is None else next(
            c for c in self.calls if c[0] == request)
        hits = self.matching(text, scope) if local is None else local
        self.results.emit(request_id, hits)
        if server:
            self.server_results.emit(request_id, server)
        self.finished.emit(request_id)
        return hits
