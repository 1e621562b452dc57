#!/usr/bin/env python3
"""Search benchmark: the local index (search/) at N generated messages, against a LIKE scan.

    python benchmarks/search_bench.py [--messages 100000] [--runs 15] [--keep]

Generates ``--messages`` Thai + English messages (``benchmarks/search_data.py``:
official phrases, names, letter numbers like ``ที่ มท 0808.2/ว 1234`` in both digit
sets, Buddhist-era dates; deterministic), stores their header rows in a real mail
cache (``store.cache.MailCache``), then measures:

* ``index_build_s`` — every message's header fields and body text written into a
  new index (``SearchIndex.add`` in batches of 2,000, then ``optimize``);
* ``index_ratio`` — index file bytes / UTF-8 bytes of the folded text indexed;
* ``thai1_p50_ms`` ``thai2_p50_ms`` ``thai3_p50_ms`` ``en_p50_ms`` ``from_p50_ms`` —
  ``SearchEngine.search`` (parse_query included) for terms of 1, 2, 3+ Thai characters,
  English words and ``from:`` terms, the newest 500 matches by date, median over all
  terms of the class × ``--runs``;
* ``combined_p95_ms`` — a Thai term + ``from:`` + a date range, 95th percentile;
* ``incremental_ms`` — 100 newly synced messages: their header rows and whole RFC 822
  bodies stored through the cache (as the sync and the body fetch do; not counted), then
  the indexer's work for them (bodies parsed by mime.parse, headers and text indexed),
  median of 5 rounds;
* ``scan_p50_ms`` — the baseline, the same question by a plain scan: ``SELECT id … WHERE
  text LIKE '%term%' ORDER BY date DESC LIMIT 500`` over a table holding the same folded
  text (every field joined), for the same terms; also per class (``scan_thai1_p50_ms`` …)
  to compare each term length; and ``scan_newest_*``: the same over a copy with a date
  index, where SQLite walks newest first and stops after 500 matches (fast for a very
  common term, as slow as the plain scan for a rare one).

Prints one line per figure and, last, one ``key=value`` line. No thresholds.
"""

from __future__ import annotations

import argparse
import email.message
import email.utils
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmarks import search_data
from govmail_desktop.core.entities import Address, Folder, MessageSummary
from govmail_desktop.search.engine import AccountSource, SearchEngine
from govmail_desktop.search.fold import fold
from govmail_desktop.search.index import IndexDoc, SearchIndex
from govmail_desktop.search.indexer import Indexer
from govmail_desktop.search.query import parse_query
from govmail_desktop.store.cache import MailCache

LIMIT = 500
TERMS = {
    "thai1": ["ณ", "ฯ", "ฎ", "ฤ", "ษ"],
    "thai2": ["งบ", "ลา", "ยา", "ผล", "ภัย"],
    "thai3": ["ประชุม", "งบประมาณ", "ลาป่วย", "ยาเสพติด", "อุทกภัย", "0808.2", "ที่ มท ๐", "พูลสวัสดิ์"],
    "en": ["budget", "meeting", "cafe", "helpdesk", "procurement", "naive"],
    "from": ["from:สมชาย", "from:john", "from:mof.go.th", "from:ณัฐวุฒิ", "from:garcia"],
}
COMBINED = ["งบประมาณ from:สมชาย after:1/1/2568 before:1/1/2569", "ลา from:mol.go.th date:2567",
            "ประชุม from:ศิริพร after:1/6/2568", "ยา from:user before:1/1/2567"]


def _addresses(text: str) -> tuple[Address, ...]:
    return tuple(Address(n, e) for n, e in email.utils.getaddresses([text]))


def _summary(m: search_data.GeneratedMessage) -> MessageSummary:
    flags = frozenset((["\\Seen"] if m.flags & 1 else []) + (["\\Flagged"] if m.flags & 2 else []))
    return MessageSummary(uid=m.uid, flags=flags, internaldate=m.date, date=m.date, size=len(m.body) * 2,
                          subject=m.subject, from_=(Address(m.from_name, m.from_email),), to=_addresses(m.to),
                          cc=_addresses(m.cc), message_id=f"<{m.folder}.{m.uid}@bench>",
                          has_attachments=m.has_attachments)


def _raw(m: search_data.GeneratedMessage) -> bytes:
    msg = email.message.EmailMessage()
    msg["Subject"] = m.subject
    msg["From"] = email.utils.formataddr((m.from_name, m.from_email))
    msg["To"] = m.to
    if m.cc:
        msg["Cc"] = m.cc
    msg["Date"] = email.utils.formatdate(m.date)
    msg.set_content(m.body)
    return msg.as_bytes()


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="search-bench-"))
    results: dict[str, float] = {}
    try:
        started = time.perf_counter()
        messages = list(search_data.generate(args.messages + 500))
        extra = messages[args.messages :]
        messages = messages[: args.messages]
        print(f"generated {len(messages)} messages in {time.perf_counter() - started:.1f} s", flush=True)

        cache = MailCache(workdir / "cache.sqlite3")
        ids = cache.upsert_folders([Folder("INBOX"), Folder("Sent", special_use="\\Sent"), Folder("Archive")])
        with cache.bulk_load():
            for name in ids:
                mine = [_summary(m) for m in messages if m.folder == name]
                for start in range(0, len(mine), MailCache.SUGGESTED_BATCH):
                    cache.insert_summaries(ids[name], mine[start : start + MailCache.SUGGESTED_BATCH])
        index = SearchIndex(workdir / "search.sqlite3", cache_path=cache.path)
        folders = {fid: (name, None) for name, fid in ids.items()}
        engine = SearchEngine([AccountSource("bench", index, lambda: folders)])

        # -- build
        docs = [IndexDoc(ids[m.folder], m.uid, m.date, m.subject, f"{m.from_name} <{m.from_email}>", m.to, m.cc,
                         m.body) for m in messages]
        started = time.perf_counter()
        for start in range(0, len(docs), 2000):
            index.add(docs[start : start + 2000])
        index.optimize()
        results["index_build_s"] = time.perf_counter() - started
        text_bytes = 0
        plain = sqlite3.connect(workdir / "plain.sqlite3", isolation_level=None)
        plain.execute("PRAGMA journal_mode=WAL")
        plain.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, date INTEGER, text TEXT)")
        plain.execute("BEGIN")
        for i, m in enumerate(messages):
            text = "\n".join(fold(x) for x in (m.subject, f"{m.from_name} <{m.from_email}>", m.to, m.cc, m.body))
            text_bytes += len(text.encode("utf-8"))
            plain.execute("INSERT INTO plain VALUES (?,?,?)", (i, m.date, text))
        plain.execute("COMMIT")
        # The same text with a date index: a scan that walks newest first and stops early.
        plain.execute("ATTACH DATABASE ? AS dated", (str(workdir / "plain_dated.sqlite3"),))
        plain.execute("CREATE TABLE dated.plain AS SELECT * FROM main.plain")
        plain.execute("CREATE INDEX dated.plain_by_date ON plain(date)")
        results["index_ratio"] = index.size_bytes() / text_bytes
        print(f"index_build_s: {results['index_build_s']:.1f}  index {index.size_bytes() / 1e6:.1f} MB for "
              f"{text_bytes / 1e6:.1f} MB of text: index_ratio {results['index_ratio']:.2f}", flush=True)

        # -- queries (one warm-up pass first)
        def run(text: str) -> float:
            query = parse_query(text)
            return _timed(lambda: engine.search(parse_query(text), limit=LIMIT)) if query.terms else 0.0

        def scan(term: str, table: str = "main.plain") -> float:
            needle = fold(term.split(":", 1)[-1])
            return _timed(lambda: plain.execute(
                f"SELECT id FROM {table} WHERE text LIKE ? ORDER BY date DESC LIMIT ?",
                (f"%{needle}%", LIMIT)).fetchall())

        for terms in TERMS.values():
            for t in terms:
                run(t)
                scan(t)
        scans: list[float] = []
        for cls, terms in TERMS.items():
            times = [run(t) for _ in range(args.runs) for t in terms]
            results[f"{cls}_p50_ms"] = statistics.median(times)
            scan_times = [scan(t) for _ in range(max(3, args.runs // 3)) for t in terms]
            results[f"scan_{cls}_p50_ms"] = statistics.median(scan_times)
            scans.extend(scan_times)
            newest = [scan(t, "dated.plain") for _ in range(max(3, args.runs // 3)) for t in terms]
            results[f"scan_newest_{cls}_p50_ms"] = statistics.median(newest)
            counts = [len(engine.search(parse_query(t), limit=LIMIT)) for t in terms]
            print(f"{cls}_p50_ms: {results[f'{cls}_p50_ms']:.2f} (max {max(times):.1f}; scan p50 "
                  f"{results[f'scan_{cls}_p50_ms']:.1f}, with a date index "
                  f"{results[f'scan_newest_{cls}_p50_ms']:.1f}; hits {counts})", flush=True)
        results["scan_p50_ms"] = statistics.median(scans)
        combined = [run(t) for _ in range(args.runs * 2) for t in COMBINED]
        results["combined_p95_ms"] = _p(combined, 0.95)
        print(f"combined_p95_ms: {results['combined_p95_ms']:.2f} (p50 {statistics.median(combined):.2f})")

        # -- incremental: 100 newly synced messages, through the cache and the indexer
        indexer = Indexer("bench", cache, index)
        indexer.run_pending()  # the start-up reconcile (nothing to do but compare)
        rounds: list[float] = []
        stores: list[float] = []
        for r in range(5):
            batch = extra[r * 100 : (r + 1) * 100]
            summaries: dict[str, list[MessageSummary]] = {}
            for m in batch:
                summaries.setdefault(m.folder, []).append(
                    _summary(search_data.GeneratedMessage(m.folder, 1_000_000 + m.uid, m.date, m.subject, m.from_name,
                                                          m.from_email, m.to, m.cc, m.body, m.flags,
                                                          m.has_attachments)))
            raws = [(ids[m.folder], 1_000_000 + m.uid, _raw(m)) for m in batch]

            def sync(summaries: dict[str, list[MessageSummary]] = summaries,
                     raws: list[tuple[int, int, bytes]] = raws) -> None:
                for name, rows in summaries.items():
                    cache.insert_summaries(ids[name], rows)
                for fid, uid, raw in raws:
                    cache.put_part(fid, uid, "", raw)

            stored = _timed(sync)  # the sync's own writes, the indexer only noted them
            rounds.append(_timed(indexer.run_pending))
            stores.append(stored)
            assert len(engine.search(parse_query(f"from:{batch[0].from_email}"), limit=LIMIT)) >= 1
        indexer.stop()
        results["incremental_ms"] = statistics.median(rounds)
        print(f"incremental_ms: {results['incremental_ms']:.1f} (rounds {' '.join(f'{v:.0f}' for v in rounds)}: "
              f"header rows and bodies parsed and indexed; the cache writes before it "
              f"{statistics.median(stores):.0f} ms)")
        cache.close()
        index.close()
        keys = ["index_build_s", "index_ratio", "thai1_p50_ms", "thai2_p50_ms", "thai3_p50_ms", "en_p50_ms",
                "from_p50_ms", "combined_p95_ms", "incremental_ms", "scan_p50_ms", "scan_thai1_p50_ms",
                "scan_thai2_p50_ms", "scan_thai3_p50_ms", "scan_en_p50_ms", "scan_from_p50_ms",
                "scan_newest_thai1_p50_ms", "scan_newest_thai2_p50_ms", "scan_newest_thai3_p50_ms",
                "scan_newest_en_p50_ms", "scan_newest_from_p50_ms"]
        print(" ".join(f"{k}={results[k]:.3f}" if k.endswith(("_s", "ratio")) else f"{k}={results[k]:.2f}"
                       for k in keys))
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
