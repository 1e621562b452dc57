#!/usr/bin/env python3
"""Mail cache benchmark: bulk insert, sorted paging and first rows at 100,000 messages.

    python benchmarks/cache_bench.py [--messages 100000] [--batch 2000] [--keep DIR]
    python benchmarks/cache_bench.py --messages 1000000 --build FILE

Measures the store's own code paths (and the message list model over it, on an
offscreen QApplication) against baselines taken in the same run:

* insert: ``MailCache.insert_summaries`` in batches vs a bare ``executemany`` of
  the same rows into a table with no index (the SQLite floor);
* pages: median of ``page()`` at the top, middle and bottom in each sort order;
* first rows: open the cache file + COUNT + the 50 newest rows, and the same
  through ``MessageListModel``.

Prints one line per figure and, last, a ``key=value`` line. No thresholds:
figures are for the issue note, not pass/fail.

``--build FILE`` only writes a cache of ``--messages`` messages (one INBOX, newest first, as
a first sync does; the summaries made a batch at a time, so a million fit in memory: about a
minute) for profiling the message list at that size without a server (reopen, cold start,
removals, memory), and exits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from govmail_desktop.core.entities import Address, Flag, Folder, MessageSummary
from govmail_desktop.store import MailCache, SortKey
from govmail_desktop.store.message_rows import summary_row

BASE = datetime(2020, 1, 1, tzinfo=UTC)
NAMES = [Address(f"ผู้ส่ง หน่วยงาน {i}", f"user{i}@agency{i % 40}.go.th") for i in range(700)]
SUBJECTS = ["ขออนุมัติงบประมาณ", "Re: ประชุมคณะทำงาน", "หนังสือเวียน ที่ มท", "Fwd: Annual report", "แจ้งกำหนดการ"]


def make_summaries(n: int, first: int = 1) -> list[MessageSummary]:
    """Messages ``first`` .. ``n`` (the same message for a UID every time)."""
    out = []
    for uid in range(first, n + 1):
        out.append(
            MessageSummary(
                uid=uid,
                flags=frozenset({Flag.SEEN}) if uid % 3 else frozenset(),
                internaldate=BASE + timedelta(minutes=uid * 7),
                date=BASE + timedelta(minutes=uid * 7, seconds=-20),
                size=2000 + (uid * 7919) % 900_000,
                subject=f"{SUBJECTS[uid % 5]} ครั้งที่ {uid % 997}",
                from_=(NAMES[(uid * 31) % 700],),
                to=(Address("ผู้รับ", "me@agency.go.th"),),
                message_id=f"<{uid}.{uid * 13}@agency.go.th>",
                in_reply_to=f"<{uid - 1}.{(uid - 1) * 13}@agency.go.th>" if uid % 4 == 0 else None,
                preview="เนื้อหาตัวอย่างของจดหมาย " * 6,
                has_attachments=uid % 6 == 0,
            )
        )
    return out


def build(path: Path, n: int, batch: int) -> None:
    """A cache file of ``n`` messages at ``path``, written as a first full sync writes them."""
    started = time.perf_counter()
    cache = MailCache(path)
    folder_id = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    first = max(1, n - 199)
    cache.insert_summaries(folder_id, reversed(make_summaries(n, first)))  # the first screen
    with cache.bulk_load():
        for high in range(first - 1, 0, -batch):
            cache.insert_summaries(folder_id, reversed(make_summaries(high, max(1, high - batch + 1))))
    cache.set_folder_state(folder_id, uidvalidity=1, uidnext=n + 1)
    cache.close()
    print(f"built {path}: {n} messages in {time.perf_counter() - started:.1f} s")


def median_ms(fn, repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=MailCache.SUGGESTED_BATCH)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep the files")
    parser.add_argument("--build", type=Path, metavar="FILE", help="only write a cache of --messages messages here")
    args = parser.parse_args(argv)
    n = args.messages
    if args.build is not None:
        build(args.build, n, args.batch)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="govmail-cache-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: dict[str, float | int] = {"messages": n}
    try:
        summaries = make_summaries(n)
        newest_first = list(reversed(summaries))  # how the sync delivers them

        # --- baseline: bare executemany of the same rows, no indexes -------------
        t = time.perf_counter()
        rows = [summary_row(1, s) for s in newest_first]
        convert_s = time.perf_counter() - t
        floor_db = sqlite3.connect(work / "floor.sqlite3", isolation_level=None)
        floor_db.execute("PRAGMA journal_mode=WAL")
        floor_db.execute("PRAGMA synchronous=NORMAL")
        floor_db.execute(f"CREATE TABLE m ({', '.join(f'c{i}' for i in range(19))})")
        t = time.perf_counter()
        for i in range(0, n, args.batch):
            floor_db.execute("BEGIN IMMEDIATE")
            floor_db.executemany(f"INSERT INTO m VALUES ({','.join('?' * 19)})", rows[i : i + args.batch])
            floor_db.execute("COMMIT")
        floor_s = time.perf_counter() - t
        floor_db.close()
        del rows

        # --- the cache ----------------------------------------------------------
        path = work / "acct" / "cache.sqlite3"
        shutil.rmtree(path.parent, ignore_errors=True)
        cache = MailCache(path)
        folder_id = cache.upsert_folders([Folder("INBOX")])["INBOX"]
        # Row-by-row index upkeep (what an incremental sync does), on a throwaway copy.
        plain = MailCache(work / "plain" / "cache.sqlite3")
        plain_id = plain.upsert_folders([Folder("INBOX")])["INBOX"]
        t = time.perf_counter()
        for i in range(0, n, args.batch):
            plain.insert_summaries(plain_id, newest_first[i : i + args.batch])
        plain_s = time.perf_counter() - t
        plain.close()
        shutil.rmtree(work / "plain", ignore_errors=True)

        # A first full sync: a small first batch (first screen), then bulk_load().
        t = time.perf_counter()
        first = min(200, n)
        cache.insert_summaries(folder_id, newest_first[:first])
        first_batch_ms = (time.perf_counter() - t) * 1000
        with cache.bulk_load():
            for i in range(first, n, args.batch):
                cache.insert_summaries(folder_id, newest_first[i : i + args.batch])
        insert_s = time.perf_counter() - t
        cache.set_folder_state(folder_id, uidvalidity=1, uidnext=n + 1)
        figures.update(
            insert_s=round(insert_s, 3),
            insert_floor_s=round(floor_s, 3),
            insert_ratio=round(insert_s / floor_s, 2),
            insert_no_bulk_s=round(plain_s, 3),
            convert_s=round(convert_s, 3),
            first_batch_ms=round(first_batch_ms, 2),
        )
        print(f"insert {n} summaries (bulk_load, batches of {args.batch}): {insert_s:.2f} s "
              f"({n / insert_s:,.0f}/s), of which entity→row conversion ≈ {convert_s:.2f} s")
        print(f"baseline bare executemany, no indexes: {floor_s:.2f} s → ratio {insert_s / floor_s:.2f}")
        print(f"same inserts without bulk_load (indexes kept up row by row): {plain_s:.2f} s")
        print(f"first batch of {first} rows committed in {first_batch_ms:.1f} ms")

        # --- reads ----------------------------------------------------------------
        for sort in SortKey:
            for label, offset in (("top", 0), ("middle", n // 2), ("bottom", max(0, n - 256))):
                ms = median_ms(lambda sort=sort, offset=offset: cache.page(folder_id, sort, True, offset, 256))
                figures[f"page_{sort.value}_{label}_ms"] = round(ms, 2)
            print(f"page of 256 by {sort.value:7s}: top {figures[f'page_{sort.value}_top_ms']:.2f} ms, "
                  f"middle {figures[f'page_{sort.value}_middle_ms']:.2f} ms, "
                  f"bottom {figures[f'page_{sort.value}_bottom_ms']:.2f} ms")
        figures["count_ms"] = round(median_ms(lambda: cache.count(folder_id)), 2)
        figures["unread_counts_ms"] = round(median_ms(cache.unread_counts), 2)
        figures["position_of_ms"] = round(
            median_ms(lambda: cache.position_of(folder_id, n // 2, SortKey.SENDER, False)), 2
        )
        figures["known_uids_ms"] = round(median_ms(lambda: cache.known_uids(folder_id), 5), 2)
        print(f"count {figures['count_ms']} ms, unread per folder {figures['unread_counts_ms']} ms, "
              f"position of a UID {figures['position_of_ms']} ms, known UIDs as ranges {figures['known_uids_ms']} ms")

        changes = {uid: {Flag.SEEN, Flag.FLAGGED} for uid in range(1, n + 1, max(1, n // 1000))}
        t = time.perf_counter()
        cache.update_flags(folder_id, changes, highestmodseq=99)
        figures["update_flags_1000_ms"] = round((time.perf_counter() - t) * 1000, 2)
        t = time.perf_counter()
        cache.expunge(folder_id, range(2, n, max(1, n // 100)))
        figures["expunge_100_ms"] = round((time.perf_counter() - t) * 1000, 2)
        print(f"update flags of {len(changes)} messages {figures['update_flags_1000_ms']} ms, "
              f"expunge 100 scattered {figures['expunge_100_ms']} ms")
        t = time.perf_counter()
        cache.ensure_thread_order(folder_id)
        figures["thread_order_s"] = round(time.perf_counter() - t, 3)
        print(f"conversation order for the whole folder: {figures['thread_order_s']} s (only when threading is on)")
        cache.close()
        figures["file_mb"] = round(path.stat().st_size / 1e6, 1)

        # --- first rows from a cold open -------------------------------------------
        def cold_first_rows() -> None:
            c = MailCache(path, verify=False)
            c.count(folder_id)
            c.page(folder_id, SortKey.DATE, True, 0, 50)
            c.close()

        figures["first_rows_ms"] = round(median_ms(cold_first_rows, 7), 2)
        t = time.perf_counter()
        c = MailCache(path, verify=True)
        figures["quick_check_ms"] = round((time.perf_counter() - t) * 1000, 1)
        c.close()

        from PySide6.QtWidgets import QApplication

        from govmail_desktop.models.message_list import Column, MessageListModel

        app = QApplication.instance() or QApplication([])

        def model_first_rows() -> None:
            c = MailCache(path, verify=False)
            model = MessageListModel(c)
            model.set_folder(folder_id)
            for row in range(50):
                for column in Column:
                    model.index(row, column).data()
            c.close()

        figures["model_first_rows_ms"] = round(median_ms(model_first_rows, 7), 2)
        del app
        print(f"cold open + count + 50 newest rows: {figures['first_rows_ms']} ms; "
              f"through the model (all columns formatted): {figures['model_first_rows_ms']} ms")
        print(f"quick_check at open (only after an unclean exit): {figures['quick_check_ms']} ms; "
              f"file {figures['file_mb']} MB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
