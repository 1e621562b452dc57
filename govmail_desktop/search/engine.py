"""Running a parsed query (:mod:`search.query`) over the local index of one or more accounts.

Every text is compared in its folded form (:func:`search.fold.fold`): a term is found
where ``fold(term)`` is a substring of ``fold(field)`` — Thai terms of any length
inside running text, Latin case- and accent-insensitively, Thai and Arabic digits
alike.

**How a search runs** (per account, one SQL statement walked from the newest
message backwards, see :mod:`search.index` for the tables):

* the positive text terms give the gram tokens every match must have
  (:mod:`search.index_grams`); FTS5 walks that doclist from the highest row id, and
  row ids follow the date, so the newest matches come first; without a positive text
  term the ``docs`` table is walked the same way;
* terms of at most three UTF-16 units are then decided by the grams alone; longer
  ones and field terms (``from:`` ``to:`` ``cc:`` ``subject:``) are confirmed on the
  stored folded text (``instr`` on the header fields, ``gm_body_has`` on the body);
* flags come from the mail cache at search time (attached read-only: a message
  read or flagged a moment ago is already seen so), markings (``is:urgent``
  ``is:secret``) from the index, folders by name, dates as a row id range and
  the date column; ``-term`` negates any of these;
* the walk stops as soon as no message further back can be newer than the
  ``limit``-th match found (row id ``i`` holds a date below ``(i + 1) << ROWID_SHIFT``);
* by relevance: the newest :data:`RELEVANCE_POOL` matches are scored (a term in the
  subject counts most, then sender, recipients, body; more recent mail breaks ties).

Messages whose bodies are not indexed yet can only be matched on their headers:
:meth:`SearchEngine.unindexed` tells the server search which folders still hold some.

**Measurements that chose this design** (Debian 12, SQLite 3.40.1, 2 cores; the
generated corpus of ``benchmarks/search_data.py``; the full table is in the README,
section "Search"): see :data:`MEASUREMENTS`.
"""

from __future__ import annotations

import datetime
import heapq
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from govmail_desktop.core.folder_roles import ROLE_NAMES
from govmail_desktop.i18n.catalog import lookup
from govmail_desktop.i18n.timeutil import to_epoch
from govmail_desktop.search.fold import fold
from govmail_desktop.search.index import MARK_SECRET, MARK_URGENT, ROWID_SHIFT, SearchIndex, body_text
from govmail_desktop.search.index_grams import match_expression, needs_check, term_tokens
from govmail_desktop.search.query import DateTerm, FlagTerm, FolderTerm, Query, TextTerm
from govmail_desktop.store.cache import MailCache

log = logging.getLogger(__name__)

MEASUREMENTS = """
Choosing the technique (20,000 generated messages, 41 MB of folded text; ratio = index
file bytes / UTF-8 bytes of the text indexed; build = the Python + SQLite writes):

  A  FTS5 ``trigram`` tokenizer (contentless, detail=full, 5 columns) for terms of 3+
     characters, plus an FTS5 table of each message's own 1- and 2-character grams
     (detail=column) for short terms, plus the text as zlib:  ratio 4.77 (the trigram
     table alone 2.7), build 33 s — over the 1.5 goal before anything else.
  B  one FTS5 table of own 1-, 2-, 3-unit gram tokens, detail=column, 5 columns, row id =
     the date in seconds, plus zlib text:  ratio 3.84, build 47 s.
  C  own 1/2/3-unit grams in one detail=none table over all fields, a per-field header
     table (detail=column), zlib text:  ratio 1.46 with dense row ids, 2.36 with row id =
     date in seconds — the row id deltas in the doclists dominate the size.
  D  (chosen) C without the header table: header fields stored folded and confirmed with
     instr(); row id = date / 64 s (deltas stay small, the date order is kept); bodies in
     a table of their own.
  ICU word breaking (PyICU): not measured — a word index cannot find a term inside a
  word (งบ inside งบประมาณ, ยา inside พยาบาล) nor a dictionary's unknown word, which the
  issue rules out (no false negatives in running text); and PyICU does not install from
  the project's own files on a fresh Debian 12 (it builds against libicu-dev).

D at 100,000 messages (benchmarks/search_bench.py --runs 9; medians of 3 runs on the
2-core machine, Debian 12, SQLite 3.40.1; searches return the newest 500 matches):

  index_build_s 63.7   index_ratio 1.10 (227 MB for 207 MB of text)
  thai1_p50_ms 2.49    thai2_p50_ms 2.30   thai3_p50_ms 5.38   en_p50_ms 6.62
  from_p50_ms 5.20     combined_p95_ms 12.40   incremental_ms 105.2 (100 messages:
  bodies parsed through mime.parse and indexed; the cache writes before it ~15-20 ms)
  scan (plain LIKE '%term%' over the same text, newest 500): scan_p50_ms 257.9;
  by class thai1 310.0, thai2 275.5, thai3 309.5, en 111.5, from 123.0 — the index is
  17-120 times faster for every term length.
  The same scan over a copy with a date index (SQLite walks newest first and stops at
  500 matches: fast only for a term most messages contain): thai1 4.39, thai2 1.51,
  thai3 10.60, en 4.37, from 5.95 — for the very common 2-character and English test
  terms this early-exit scan answers 0.8-2.3 ms sooner than the index (the index's cost
  there is reading the 500 winners' rows and the cache's flags, and confirming long
  terms in the zlib bodies); for a rare term it costs the full scan (a term in no
  message: ~300 ms against 0.1 ms).
"""

#: Matches scored when sorting by relevance (the newest ones).
RELEVANCE_POOL = 2000
DEFAULT_LIMIT = 500
_SEEN, _FLAGGED = 1, 4
_FIELD_COLUMN = {"subject": "d.subject", "from": "d.sender", "to": "d.rcpt_to", "cc": "d.rcpt_cc"}
_FIELD_WEIGHT = {"subject": 4.0, "sender": 3.0, "rcpt_to": 1.5, "rcpt_cc": 1.0, "body": 1.0}

Sort = Literal["date", "relevance"]


@dataclass(frozen=True)
class SearchScope:
    """Which mail to search: every account (None) or some; one folder (account id, name)."""

    account_ids: tuple[str, ...] | None = None
    folder: tuple[str, str] | None = None


@dataclass(frozen=True)
class Hit:
    account_id: str
    folder: str
    uid: int
    date: int
    subject: str
    sender: str
    flags: int
    has_attachments: bool
    score: float
    body_indexed: bool
    on_server: bool = False


@dataclass
class AccountSource:
    """One account's index and how to name its folders (``{folder id: (name, role)}``)."""

    account_id: str
    index: SearchIndex
    folders: Callable[[], Mapping[int, tuple[str, str | None]]]
    #: Called when a search finds the index file damaged (the indexer builds it again).
    on_damage: Callable[[], None] | None = None

    @classmethod
    def of_cache(cls, account_id: str, cache: MailCache, index: SearchIndex) -> AccountSource:
        """The folders named as the cache has them (read at each search: always current)."""

        def folders() -> dict[int, tuple[str, str | None]]:
            return {f.id: (f.name, f.folder.role) for f in cache.folders()}

        return cls(account_id, index, folders)


class Cancelled(Exception):
    """The search was cancelled (``should_stop`` said so)."""


def folder_matches(term: str, name: str, role: str | None = None, delimiter: str | None = "/") -> bool:
    """Does ``folder:term`` name this folder? Its whole name, its last level, or (for a
    special folder) its role's name in English or Thai — compared folded."""
    wanted = fold(term)
    if not wanted:
        return False
    candidates = {name}
    for sep in {delimiter or "/", "/", "."}:
        candidates.add(name.rsplit(sep, 1)[-1])
    if role is not None and role in ROLE_NAMES:
        msg = ROLE_NAMES[role]
        candidates.update({msg.source, lookup(msg.context, msg.source, "th")})
    return any(fold(c) == wanted for c in candidates)


def day_start(day: datetime.date) -> int:
    """Local midnight at the start of ``day`` as epoch seconds (a query's dates are local)."""
    return int(to_epoch(datetime.datetime(day.year, day.month, day.day)))


@dataclass
class _Plan:
    match: str | None = None
    conditions: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)
    lower_id: int | None = None
    upper_id: int | None = None
    needs_cache: bool = False
    positive: list[tuple[str, str]] = field(default_factory=list)  # (field, folded term) for scoring
    impossible: bool = False

    def add(self, sql: str, *params: object) -> None:
        self.conditions.append((sql, params))

    def where(self) -> tuple[list[str], list[object]]:
        """The conditions and their parameters; SQLite tests conditions in the order written,
        so those that decompress a body come last."""
        ordered = sorted(self.conditions, key=lambda c: "gm_body_has" in c[0])
        return [sql for sql, _ in ordered], [p for _, params in ordered for p in params]


class SearchEngine:
    """Runs queries over accounts' indexes. One read connection per account and thread."""

    def __init__(self, sources: Iterable[AccountSource] = ()) -> None:
        self._sources: dict[str, AccountSource] = {s.account_id: s for s in sources}
        self._local = threading.local()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ accounts

    def set_source(self, source: AccountSource) -> None:
        with self._lock:
            self._sources[source.account_id] = source

    def remove_source(self, account_id: str) -> None:
        with self._lock:
            self._sources.pop(account_id, None)

    def sources(self) -> list[AccountSource]:
        with self._lock:
            return list(self._sources.values())

    def _conn(self, source: AccountSource) -> sqlite3.Connection:
        conns: dict[str, tuple[SearchIndex, sqlite3.Connection]] = getattr(self._local, "conns", None) or {}
        self._local.conns = conns
        held = conns.get(source.account_id)
        if held is not None and held[0] is source.index:
            return held[1]
        if held is not None:
            held[1].close()
        conn = source.index.reader()
        conns[source.account_id] = (source.index, conn)
        return conn

    def _forget(self, account_id: str) -> None:
        conns = getattr(self._local, "conns", None) or {}
        held = conns.pop(account_id, None)
        if held is not None:
            held[1].close()

    def close_thread(self) -> None:
        """Close this thread's read connections."""
        for _, conn in (getattr(self._local, "conns", None) or {}).values():
            conn.close()
        self._local.conns = {}

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: Query,
        scope: SearchScope = SearchScope(),
        sort: Sort = "date",
        limit: int = DEFAULT_LIMIT,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[Hit]:
        """The newest ``limit`` matches (or the ``limit`` most relevant of the newest
        :data:`RELEVANCE_POOL`), across the accounts in scope."""
        hits: list[Hit] = []
        wanted = max(limit, RELEVANCE_POOL) if sort == "relevance" else limit
        for source in self._in_scope(scope):
            try:
                hits.extend(self._search_account(source, query, scope, sort, wanted, should_stop))
            except sqlite3.DatabaseError as exc:
                if not source.index.is_damage(exc):
                    raise
                # A damaged index is disposable: this account's part is empty until rebuilt.
                log.error("Search index of %s is damaged (%s); it is built again", source.account_id, exc)
                self._forget(source.account_id)
                if source.on_damage is not None:
                    source.on_damage()
        if sort == "relevance":
            hits.sort(key=lambda h: (h.score, h.date), reverse=True)
        else:
            hits.sort(key=lambda h: (h.date, h.uid), reverse=True)
        return hits[:limit]

    def _in_scope(self, scope: SearchScope) -> list[AccountSource]:
        sources = self.sources()
        if scope.folder is not None:
            return [s for s in sources if s.account_id == scope.folder[0]]
        if scope.account_ids is not None:
            return [s for s in sources if s.account_id in scope.account_ids]
        return sources

    def _search_account(
        self,
        source: AccountSource,
        query: Query,
        scope: SearchScope,
        sort: Sort,
        limit: int,
        should_stop: Callable[[], bool] | None,
    ) -> list[Hit]:
        folders = source.folders()
        plan = self._plan(query, scope, folders, source.index.max_bump())
        if plan.impossible:
            return []
        conn = self._conn(source)
        has_cache = _has_cache(conn)
        if plan.needs_cache and not has_cache:
            return []
        # The walk reads as little as it can: ids and dates; the winners' texts come after.
        cols = "d.id, d.date"
        join = ""
        if plan.needs_cache:
            join = "JOIN cache.messages m ON m.folder_id = d.folder_id AND m.uid = d.uid"
        where, params = plan.where()
        if plan.match is not None:
            source_sql = "grams g JOIN docs d ON d.id = g.rowid"
            where.insert(0, "grams MATCH ?")
            params.insert(0, plan.match)
            order = "g.rowid DESC"
            id_col = "g.rowid"
        else:
            source_sql = "docs d"
            order = "d.id DESC"
            id_col = "d.id"
        if plan.lower_id is not None:
            where.append(f"{id_col} >= ?")
            params.append(plan.lower_id)
        if plan.upper_id is not None:
            where.append(f"{id_col} <= ?")
            params.append(plan.upper_id)
        sql = f"SELECT {cols} FROM {source_sql} {join}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order}"
        heap: list[tuple[int, int]] = []
        seen = 0
        cursor = conn.execute(sql, params)
        try:
            for row_id, date in cursor:
                seen += 1
                if should_stop is not None and seen % 256 == 0 and should_stop():
                    raise Cancelled()
                if len(heap) >= limit:
                    if (row_id + 1) << ROWID_SHIFT <= heap[0][0]:
                        break  # nothing further back can be newer than the matches held
                    if date > heap[0][0]:
                        heapq.heapreplace(heap, (date, row_id))
                else:
                    heapq.heappush(heap, (date, row_id))
        finally:
            cursor.close()  # ends the read transaction at once (it would hold back the WAL checkpoints)
        if not heap:
            return []
        return self._hits(source, conn, folders, [row_id for _, row_id in heap], has_cache, plan, sort)

    def _hits(self, source: AccountSource, conn: sqlite3.Connection, folders: Mapping[int, tuple[str, str | None]],
              ids: list[int], has_cache: bool, plan: _Plan, sort: Sort) -> list[Hit]:
        texts = "d.subject, d.sender" if sort == "relevance" or not has_cache else "'', ''"
        texts += ", d.rcpt_to, d.rcpt_cc" if sort == "relevance" else ", '', ''"
        cols = f"d.id, d.folder_id, d.uid, d.date, d.body_state, {texts}"
        join = ""
        if has_cache:
            # A message the cache no longer has (the indexer is about to remove it) is left out.
            cols += ", m.flags, m.has_attachments, m.subject, m.from_display"
            join = "JOIN cache.messages m ON m.folder_id = d.folder_id AND m.uid = d.uid"
        rows = conn.execute(
            f"SELECT {cols} FROM docs d {join} WHERE d.id IN (SELECT value FROM json_each(?))",
            ("[" + ",".join(str(i) for i in ids) + "]",),
        ).fetchall()
        hits = []
        for row in rows:
            date = int(row[3])
            folder_name = folders.get(int(row[1]), ("", None))[0]
            score = self._score(conn, row, plan.positive, date) if sort == "relevance" else 0.0
            if has_cache:
                flags, attach, subject, sender = int(row[9]), bool(row[10]), str(row[11]), str(row[12])
            else:
                flags, attach, subject, sender = 0, False, str(row[5]), str(row[6])
            hits.append(Hit(source.account_id, folder_name, int(row[2]), date, subject, sender, flags, attach,
                            score, bool(row[4])))
        return hits

    @staticmethod
    def _score(conn: sqlite3.Connection, row: Sequence[Any], terms: list[tuple[str, str]], date: int) -> float:
        if not terms:
            return 0.0
        texts = {"subject": str(row[5]), "sender": str(row[6]), "rcpt_to": str(row[7]), "rcpt_cc": str(row[8])}
        score = 0.0
        body: str | None = None
        for fld, term in terms:
            for name, weight in _FIELD_WEIGHT.items():
                if fld != "any" and name != {"from": "sender", "to": "rcpt_to", "cc": "rcpt_cc"}.get(fld, fld):
                    continue
                if name == "body":
                    if body is None:
                        blob = conn.execute("SELECT z FROM bodies WHERE id=?", (row[0],)).fetchone()
                        body = body_text(blob[0] if blob else None)
                    found = min(body.count(term), 5)
                else:
                    found = min(texts[name].count(term), 2)
                score += weight * found
        age_days = max(0.0, (time.time() - date) / 86400)
        return score + 1.0 / (1.0 + age_days / 30.0)

    def _plan(
        self, query: Query, scope: SearchScope, folders: Mapping[int, tuple[str, str | None]], max_bump: int
    ) -> _Plan:
        plan = _Plan()
        match_tokens: list[str] = []
        if scope.folder is not None:
            ids = [fid for fid, (name, _) in folders.items() if name == scope.folder[1]]
            if not ids:
                plan.impossible = True
                return plan
            plan.add("d.folder_id = ?", ids[0])
        for term in query.terms:
            if isinstance(term, TextTerm):
                self._text(plan, term, match_tokens)
            elif isinstance(term, FlagTerm):
                self._flag(plan, term)
            elif isinstance(term, FolderTerm):
                ids = [fid for fid, (name, role) in folders.items() if folder_matches(term.name, name, role)]
                marks = ",".join(str(i) for i in ids) or "NULL"
                plan.add(f"d.folder_id {'NOT IN' if term.negated else 'IN'} ({marks})")
            elif isinstance(term, DateTerm):
                self._date(plan, term, max_bump)
        if match_tokens:
            plan.match = match_expression(list(dict.fromkeys(match_tokens)))
        return plan

    @staticmethod
    def _text(plan: _Plan, term: TextTerm, match_tokens: list[str]) -> None:
        folded = fold(term.text)
        if not folded:
            return
        tokens = term_tokens(folded)
        if term.field == "any":
            check = None
            if needs_check(folded):
                check = ("(instr(d.subject, ?) OR instr(d.sender, ?) OR instr(d.rcpt_to, ?) "
                         "OR instr(d.rcpt_cc, ?) OR gm_body_has((SELECT z FROM bodies WHERE id = d.id), ?))")
            if not term.negated:
                match_tokens.extend(tokens)
                if check:
                    plan.add(check, *[folded] * 4, folded.encode("utf-8"))
                plan.positive.append(("any", folded))
                return
            inner = f"d.id IN (SELECT rowid FROM grams WHERE grams MATCH ?){' AND ' + check if check else ''}"
            plan.add(f"NOT ({inner})", match_expression(tokens),
                     *([folded] * 4 + [folded.encode("utf-8")] if check else []))
            return
        column = _FIELD_COLUMN[term.field]
        if term.negated:
            plan.add(f"instr({column}, ?) = 0", folded)
            return
        match_tokens.extend(tokens)  # the field's text is in the grams too: they narrow the walk
        plan.add(f"instr({column}, ?) > 0", folded)
        plan.positive.append((term.field, folded))

    @staticmethod
    def _flag(plan: _Plan, term: FlagTerm) -> None:
        test = {
            "unread": f"(m.flags & {_SEEN}) = 0",
            "flagged": f"(m.flags & {_FLAGGED}) != 0",
            "attachment": "m.has_attachments != 0",
            "urgent": f"(d.marks & {MARK_URGENT}) != 0",
            "secret": f"(d.marks & {MARK_SECRET}) != 0",
        }[term.name]
        if term.name in ("unread", "flagged", "attachment"):
            plan.needs_cache = True
        plan.add(f"NOT {test}" if term.negated else test)

    @staticmethod
    def _date(plan: _Plan, term: DateTerm, max_bump: int) -> None:
        start = day_start(term.start) if term.start is not None else None
        end = day_start(term.end) if term.end is not None else None
        parts = []
        if start is not None:
            parts.append(f"d.date >= {start}")
        if end is not None:
            parts.append(f"d.date < {end}")
        if not parts:
            return
        test = " AND ".join(parts)
        if term.negated:
            plan.add(f"NOT ({test})")
            return
        plan.add(test)
        if start is not None:
            low = start >> ROWID_SHIFT
            plan.lower_id = low if plan.lower_id is None else max(plan.lower_id, low)
        if end is not None:
            high = ((end - 1) >> ROWID_SHIFT) + max_bump
            plan.upper_id = high if plan.upper_id is None else min(plan.upper_id, high)

    # ------------------------------------------------------------------ for the server search

    def unindexed(self, scope: SearchScope = SearchScope()) -> list[tuple[str, str, int]]:
        """(account id, folder name, messages whose body is not indexed) of every folder in
        scope that has some: where the server must be asked (S2's server search)."""
        out: list[tuple[str, str, int]] = []
        for source in self._in_scope(scope):
            folders = source.folders()
            conn = self._conn(source)
            rows = conn.execute(
                "SELECT folder_id, count(*) FROM docs WHERE body_state = 0 GROUP BY folder_id"
            ).fetchall()
            counts = {int(f): int(n) for f, n in rows}
            if _has_cache(conn):
                # Messages the cache has but the index does not yet (the indexer is behind):
                # counted per folder on both sides' indexes, not joined (100,000 rows).
                indexed = dict(conn.execute("SELECT folder_id, count(*) FROM docs GROUP BY folder_id").fetchall())
                for fid, n in conn.execute("SELECT folder_id, count(*) FROM cache.messages GROUP BY folder_id"):
                    behind = int(n) - int(indexed.get(fid, 0))
                    if behind > 0:
                        counts[int(fid)] = counts.get(int(fid), 0) + behind
            for fid, n in sorted(counts.items()):
                name = folders.get(fid, ("", None))[0]
                if not name or n == 0:
                    continue
                if scope.folder is not None and name != scope.folder[1]:
                    continue
                out.append((source.account_id, name, n))
        return out

    def unindexed_uids(self, account_id: str, folder: str) -> list[int]:
        """UIDs of one folder whose bodies are not indexed (the server search may limit
        itself to them)."""
        source = self._sources.get(account_id)
        if source is None:
            return []
        ids = [fid for fid, (name, _) in source.folders().items() if name == folder]
        if not ids:
            return []
        conn = self._conn(source)
        uids = {int(r[0]) for r in conn.execute(
            "SELECT uid FROM docs WHERE folder_id=? AND body_state=0", (ids[0],))}
        if _has_cache(conn):
            uids.update(int(r[0]) for r in conn.execute(
                """SELECT m.uid FROM cache.messages m WHERE m.folder_id=? AND NOT EXISTS
                   (SELECT 1 FROM docs d WHERE d.folder_id = m.folder_id AND d.uid = m.uid)""", (ids[0],)))
        return sorted(uids)


def _has_cache(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "cache" for row in conn.execute("PRAGMA database_list"))


__all__ = ["DEFAULT_LIMIT", "AccountSource", "Cancelled", "Hit", "SearchEngine", "SearchScope", "folder_matches"]
