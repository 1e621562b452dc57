"""The mail cache's reads for the message list: counts, sorted pages, positions, and the
conversation order (built on a worker, read by the list). Part of :class:`store.cache.MailCache`
(its base: the cache's file, connections and writes are there); see that module for threads
and speed. No Qt, no network.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from govmail_desktop.core.entities import MessageSummary, decode_flags
from govmail_desktop.core.memory import release_free_memory
from govmail_desktop.store import keys
from govmail_desktop.store.db import ThreadConnections, guarded
from govmail_desktop.store.list_filter import ListFilter, where_of
from govmail_desktop.store.message_rows import (
    _PAGE_COLS,
    _ROWKEY_COLS,
    SORT_COLUMNS,
    PageRow,
    RowKey,
    SortKey,
    _from_epoch,
    thread_sort_name,
)
from govmail_desktop.store.threads import ThreadInput, thread_order
from govmail_desktop.store.uidset import UidSet

log = logging.getLogger("govmail_desktop.store.cache")  # the cache's log, as before the split


class CacheReads:
    """What the message list reads from the cache (:class:`~govmail_desktop.store.cache.MailCache`
    gives the connections)."""

    path: Path
    _conns: ThreadConnections

    def _conn(self) -> sqlite3.Connection:
        raise NotImplementedError  # MailCache's

    def _writing(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # MailCache's

    # ------------------------------------------------------------------ counts

    @guarded
    def count(self, folder_id: int, where: ListFilter | None = None, *, limit: int | None = None) -> int:
        """Cached messages of the folder (those ``where`` keeps, when given). With ``limit``
        counting stops there (a walk of at most ``limit`` index entries: ~1 ms per 15,000,
        where a whole 1,000,000-message folder takes 30 ms): a result of ``limit`` means
        "at least"."""
        condition, params = where_of(where)
        rows = f"messages WHERE folder_id=? AND {condition}"
        if limit is not None:
            query, args = f"SELECT count(*) FROM (SELECT 1 FROM {rows} LIMIT ?)", (folder_id, *params, limit)
        else:
            query, args = f"SELECT count(*) FROM {rows}", (folder_id, *params)
        return int(self._conn().execute(query, args).fetchone()[0])

    @guarded
    def unread_count(self, folder_id: int) -> int:
        return int(
            self._conn()
            .execute("SELECT count(*) FROM messages WHERE folder_id=? AND (flags & 1) = 0", (folder_id,))
            .fetchone()[0]
        )

    @guarded
    def counts(self, folder_id: int) -> tuple[int, int]:
        """(messages, unread) in the cache."""
        return self.count(folder_id), self.unread_count(folder_id)

    @guarded
    def unread_counts(self) -> dict[int, int]:
        """Unread per folder: the cache's own count once a folder has been synced,
        otherwise the server's STATUS figure (0 when unknown)."""
        rows = self._conn().execute(
            """SELECT f.id,
                      CASE WHEN f.uidvalidity IS NOT NULL
                           THEN (SELECT count(*) FROM messages m WHERE m.folder_id=f.id AND (m.flags & 1) = 0)
                           ELSE coalesce(f.server_unseen, 0) END
               FROM folders f"""
        ).fetchall()
        return {fid: int(n) for fid, n in rows}

    # ------------------------------------------------------------------ model reads

    @staticmethod
    def _order_by(sort: SortKey, descending: bool) -> str:
        direction = "DESC" if descending else "ASC"
        return ", ".join(f"{c} {direction}" for c in SORT_COLUMNS[SortKey(sort)])

    @guarded
    def page(
        self, folder_id: int, sort: SortKey, descending: bool, offset: int, limit: int,
        where: ListFilter | None = None,
    ) -> list[PageRow]:
        """Rows ``offset .. offset+limit-1`` of the folder in the given order (of those
        ``where`` keeps, when given). A filter by a set of UIDs (the quick filter's text)
        reads those messages by UID and sorts them: a walk of the sort index would test
        every message of the folder (70-200 ms per page at 1,000,000)."""
        rows = self._conn().execute(*self._page_query(_PAGE_COLS, folder_id, sort, descending, offset, limit, where))
        return [PageRow._make(r) for r in rows.fetchall()]

    @guarded
    def page_uids(
        self, folder_id: int, sort: SortKey, descending: bool, offset: int, limit: int,
        where: ListFilter | None = None,
    ) -> list[int]:
        """The UIDs of :meth:`page`'s rows, in its order (a selection of many rows: no row
        is built, ~10x less memory and time than the rows)."""
        rows = self._conn().execute(*self._page_query("uid", folder_id, sort, descending, offset, limit, where))
        return [r[0] for r in rows.fetchall()]

    def _page_query(
        self, columns: str, folder_id: int, sort: SortKey, descending: bool, offset: int, limit: int,
        where: ListFilter | None,
    ) -> tuple[str, tuple[object, ...]]:
        order = self._order_by(sort, descending)
        condition, params = where_of(where)
        candidates = where.candidates_json() if where is not None else None
        if candidates is None:
            chosen = f"SELECT id FROM messages WHERE folder_id=? AND {condition}"
            args: tuple[object, ...] = (folder_id, *params)
        else:
            chosen = (f"SELECT m.id FROM json_each(?) AS j CROSS JOIN messages AS m"
                      f" ON m.folder_id=? AND m.uid=j.value WHERE {condition}")
            args = (candidates, folder_id, *params)
        query = (f"SELECT {columns} FROM messages WHERE id IN ({chosen} ORDER BY {order} LIMIT ? OFFSET ?)"
                 f" ORDER BY {order}")
        return query, (*args, limit, offset)

    @guarded
    def row_keys(self, folder_id: int, uids: Iterable[int]) -> list[RowKey]:
        rows = self._conn().execute(
            f"SELECT {_ROWKEY_COLS} FROM messages WHERE folder_id=? AND uid IN (SELECT value FROM json_each(?))",
            (folder_id, json.dumps(sorted(set(uids)))),
        ).fetchall()
        return [RowKey._make(r) for r in rows]

    @guarded
    def position_of_key(
        self, folder_id: int, key: RowKey, sort: SortKey, descending: bool, where: ListFilter | None = None,
        *, after: bool = False, limit: int | None = None,
    ) -> int:
        """How many cached rows (that ``where`` keeps) sort before ``key`` (``after``: after
        it; the row need not exist any more). An index walk as long as the count: with
        ``limit`` it stops there (a result of ``limit`` means "at least")."""
        cols = SORT_COLUMNS[SortKey(sort)]
        op = ">" if descending != after else "<"
        placeholders = ", ".join("?" for _ in cols)
        condition, params = where_of(where)
        rows = f"messages WHERE folder_id=? AND ({', '.join(cols)}) {op} ({placeholders}) AND {condition}"
        args: tuple[object, ...] = (folder_id, *key.sort_values(SortKey(sort)), *params)
        if limit is not None:
            query, args = f"SELECT count(*) FROM (SELECT 1 FROM {rows} LIMIT ?)", (*args, limit)
        else:
            query = f"SELECT count(*) FROM {rows}"
        return int(self._conn().execute(query, args).fetchone()[0])

    @guarded
    def edge_count(
        self, folder_id: int, sort: SortKey, descending: bool, rows: int, uids: UidSet,
        where: ListFilter | None = None,
    ) -> int:
        """How many of the first ``rows`` rows in this order (that ``where`` keeps) have a UID
        in ``uids``: ``rows`` means they are exactly the first rows (the message list places
        a big batch of new mail, on top or at the end, by one short walk of the sort index)."""
        order = self._order_by(sort, descending)
        condition, params = where_of(where)
        ranges = list(uids.ranges)
        within = " OR ".join("uid BETWEEN ? AND ?" for _ in ranges) or "0"
        row = self._conn().execute(
            f"""SELECT count(*) FROM (SELECT uid FROM messages WHERE folder_id=? AND {condition}
                    ORDER BY {order} LIMIT ?) WHERE {within}""",
            (folder_id, *params, rows, *(bound for pair in ranges for bound in pair)),
        ).fetchone()
        return int(row[0])

    @guarded
    def position_of(
        self, folder_id: int, uid: int, sort: SortKey, descending: bool, where: ListFilter | None = None
    ) -> int | None:
        """Row number of a UID in the given order, or None if it is not cached (or ``where`` keeps it out)."""
        found = self.row_keys(folder_id, [uid])
        if not found:
            return None
        if where is not None and where.active and not self.count_of(folder_id, [uid], where):
            return None
        return self.position_of_key(folder_id, found[0], sort, descending, where)

    @guarded
    def count_of(self, folder_id: int, uids: Iterable[int], where: ListFilter | None = None) -> int:
        """How many of these UIDs are cached (and kept by ``where``)."""
        condition, params = where_of(where)
        row = self._conn().execute(
            f"SELECT count(*) FROM messages WHERE folder_id=? AND uid IN (SELECT value FROM json_each(?))"
            f" AND {condition}",
            (folder_id, json.dumps(sorted(set(uids))), *params),
        ).fetchone()
        return int(row[0])

    @guarded
    def summary(self, folder_id: int, uid: int) -> MessageSummary | None:
        """Everything cached about one message, as the entity (preview pane, actions)."""
        r = self._conn().execute(
            """SELECT uid, flags, keywords, internaldate, date, size, subject, from_addrs, to_addrs,
                      cc_addrs, message_id, in_reply_to, refs, preview, has_attachments
               FROM messages WHERE folder_id=? AND uid=?""",
            (folder_id, uid),
        ).fetchone()
        if r is None:
            return None
        return MessageSummary(
            uid=r[0],
            flags=decode_flags(r[1], r[2]),
            internaldate=_from_epoch(r[3]),
            date=_from_epoch(r[4]),
            size=r[5],
            subject=r[6],
            from_=keys.unpack_addresses(r[7]),
            to=keys.unpack_addresses(r[8]),
            cc=keys.unpack_addresses(r[9]),
            message_id=r[10],
            in_reply_to=r[11],
            references=tuple(r[12].split()),
            preview=r[13],
            has_attachments=bool(r[14]),
        )

    # ------------------------------------------------------------------ threads

    @guarded
    def thread_refs(self, folder_id: int) -> list[ThreadInput]:
        """Message-ID / In-Reply-To / References of a folder (the threading input)."""
        rows = self._conn().execute(
            "SELECT uid, internaldate, message_id, in_reply_to, refs FROM messages WHERE folder_id=?",
            (folder_id,),
        ).fetchall()
        return [ThreadInput._make(r) for r in rows]

    @guarded
    def ensure_thread_order(self, folder_id: int, sort: SortKey = SortKey.DATE, descending: bool = True) -> bool:
        """Materialise the conversation order for this sort if stale; True if it was rebuilt.

        Costs about a second per 100,000 messages in Python, so never from the GUI
        thread (the mailbox service runs it on its worker; the message list only reads
        the result), and not inside a write transaction: the folder is read in one
        statement (a consistent snapshot, other threads write meanwhile), the order
        computed, and only its rows are written in a transaction (at 1,000,000 messages
        the whole build held the write lock for 40 s: the sync's writes failed after the
        5 s busy timeout). The folder is marked "being built" (``thread_order_valid``
        -1) first; any insert or expunge meanwhile clears that mark, and the order is
        then stored as stale (shown, and asked for again).
        """
        wanted = thread_sort_name(sort, descending)
        with self._writing() as db:
            state = db.execute(
                "SELECT thread_order_valid, thread_order_sort FROM folders WHERE id=?", (folder_id,)
            ).fetchone()
            if state is None or (state[0] == 1 and state[1] == wanted):
                return False
            db.execute("UPDATE folders SET thread_order_valid=-1 WHERE id=?", (folder_id,))
        started = time.perf_counter()
        columns = SORT_COLUMNS[SortKey(sort)]
        rows = self._conn().execute(
            f"SELECT uid, internaldate, message_id, in_reply_to, refs, {', '.join(columns)} "
            "FROM messages WHERE folder_id=?",
            (folder_id,),
        )
        # Date: conversations by their newest message; other columns: by their first one.
        values: dict[int, tuple[Any, ...]] | None = None if sort == SortKey.DATE else {}

        def inputs() -> Iterator[ThreadInput]:
            """The rows as the statement gives them (never all of them in a list: ~40% of
            the build's peak); the sort values are kept on the way (thread_order reads them
            only once every row has come)."""
            for r in rows:
                if values is not None:
                    values[r[0]] = tuple(r[5:])
                yield ThreadInput._make(r[:5])

        order = thread_order(inputs(), values, descending=descending)
        rows.close()
        values = None
        with self._writing() as db:
            unchanged = db.execute(
                "SELECT thread_order_valid = -1 FROM folders WHERE id=?", (folder_id,)
            ).fetchone()
            if unchanged is None:
                return False  # the folder is gone
            db.execute("DELETE FROM thread_order WHERE folder_id=?", (folder_id,))
            db.executemany(
                "INSERT INTO thread_order (folder_id, pos, uid, depth) VALUES (?,?,?,?)",
                ((folder_id, pos, uid, depth) for pos, (uid, depth) in enumerate(order)),
            )
            db.execute(
                "UPDATE folders SET thread_order_valid=?, thread_order_sort=? WHERE id=?",
                (1 if unchanged[0] else 0, wanted, folder_id),
            )
        log.debug("Thread order of folder %d (%s): %d rows in %.3f s%s", folder_id, wanted, len(order),
                  time.perf_counter() - started, "" if unchanged[0] else " (the folder changed meanwhile: stale)")
        del order
        release_free_memory()  # the whole folder was in Python for a moment (core/memory.py)
        return True

    @guarded
    def thread_order_state(self, folder_id: int) -> tuple[bool, str] | None:
        """(still valid, the sort it was built for) of a folder's conversation order
        (a read); None if the folder is not in the cache."""
        row = self._conn().execute(
            "SELECT thread_order_valid, thread_order_sort FROM folders WHERE id=?", (folder_id,)
        ).fetchone()
        return (row[0] == 1, str(row[1])) if row else None  # -1: being built

    @guarded
    def thread_page(self, folder_id: int, offset: int, limit: int) -> list[tuple[PageRow, int]]:
        """Rows of the conversation order with their depth (call ensure_thread_order first)."""
        cols = ", ".join(f"m.{c}" for c in PageRow._fields)
        rows = self._conn().execute(
            f"""SELECT t.depth, {cols} FROM thread_order t
                JOIN messages m ON m.folder_id=t.folder_id AND m.uid=t.uid
                WHERE t.folder_id=? AND t.pos >= ? ORDER BY t.pos LIMIT ?""",
            (folder_id, offset, limit),
        ).fetchall()
        return [(PageRow._make(r[1:]), r[0]) for r in rows]

    @guarded
    def thread_count(self, folder_id: int) -> int:
        """Rows of the folder's conversation order: one look at the key's end, as the
        positions run 0..n-1 (a count would walk every row: 30 ms at 1,000,000)."""
        row = self._conn().execute(
            "SELECT coalesce(max(pos) + 1, 0) FROM thread_order WHERE folder_id=?", (folder_id,)
        ).fetchone()
        return int(row[0])

    @guarded
    def thread_position_of(self, folder_id: int, uid: int) -> int | None:
        row = self._conn().execute(
            "SELECT pos FROM thread_order WHERE folder_id=? AND uid=?", (folder_id, uid)
        ).fetchone()
        return row[0] if row else None


__all__ = ["CacheReads"]
