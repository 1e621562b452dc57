#!/usr/bin/env python3
"""Address book benchmark: harvest of a 100,000-message cache and suggestions per keystroke.

    python benchmarks/addressbook_bench.py [--messages 100000] [--people 20000]

A cache (INBOX + Sent, 10 % sent) whose senders and recipients are drawn from
``--people`` Thai and Latin names with a skewed (Zipf-like) frequency, circulars
with up to 30 co-recipients, and 200 contacts. Measures:

* ``harvest_full_s``: the first harvest (reads every message, builds the index);
* ``harvest_again_ms``: a harvest with nothing new (what runs after each sync);
* ``refresh_ms``: rebuilding the history index alone;
* ``suggest_median_ms`` / ``suggest_max_ms``: ``suggest(text, 10)`` for every prefix
  typed of 60 names, Thai and Latin, plus queries that match nothing (the full scan);
* ``addresses``: distinct addresses in the index.

Prints one line per figure and, last, a ``key=value`` line. No thresholds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govmail_desktop.core.entities import Address, Folder, MessageSummary, SpecialUse
from govmail_desktop.store.addressbook import AddressBook
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.contacts import Contact

THAI_GIVEN = ["สมชาย", "สมศรี", "อนันต์", "กำธร", "วิไล", "ประยุทธ", "สุดา", "ธนพล", "พรทิพย์", "ณัฐวุฒิ"]
THAI_FAMILY = ["ใจดี", "มีสุข", "ทองคำ", "ศรีสุข", "วงศ์ไทย", "แก้วมณี", "บุญมา", "สายทอง"]
TITLES = ["นาย", "นาง", "นางสาว", "ดร.", ""]
LATIN = ["anan", "somchai", "wichai", "kanya", "preecha", "nida", "sakda", "malee", "thana", "porn"]
DOMAINS = [f"{d}.go.th" for d in ("moph", "mof", "cgd", "moe", "dga", "ega", "mot", "moi", "m-society", "mdes")]
ME = Address("ฉัน", "me@agency.go.th")


def people(n: int, rng: random.Random) -> list[Address]:
    out = []
    for i in range(n):
        given, family = rng.choice(THAI_GIVEN), rng.choice(THAI_FAMILY)
        name = f"{rng.choice(TITLES)}{given} {family}" if i % 3 else f"{rng.choice(LATIN).title()} {family}"
        out.append(Address(name, f"{rng.choice(LATIN)}.{i}@{rng.choice(DOMAINS)}"))
    return out


def build_cache(path: Path, messages: int, who: list[Address], rng: random.Random) -> MailCache:
    cache = MailCache(path)
    ids = cache.upsert_folders([Folder("INBOX"), Folder("Sent", "/", SpecialUse.SENT)])
    weights = [1.0 / (i + 1) for i in range(len(who))]
    now = int(time.time())
    batches: dict[str, list[MessageSummary]] = {"INBOX": [], "Sent": []}
    for uid in range(1, messages + 1):
        sent = uid % 10 == 0
        folder = "Sent" if sent else "INBOX"
        count = rng.choice((1, 1, 1, 2, 3, 30))
        recipients = tuple(rng.choices(who, weights, k=count))
        when = now - rng.randint(0, 3 * 365 * 86400)
        if sent:
            s = MessageSummary(uid=uid, internaldate=when, date=when, from_=(ME,), to=recipients)
        else:
            s = MessageSummary(uid=uid, internaldate=when, date=when, from_=tuple(rng.choices(who, weights, k=1)),
                               to=(ME,), cc=recipients if count > 1 else ())
        batches[folder].append(s)
        if len(batches[folder]) >= 5000:
            cache.insert_summaries(ids[folder], batches[folder])
            batches[folder] = []
    for folder, rest in batches.items():
        if rest:
            cache.insert_summaries(ids[folder], rest)
        cache.set_folder_state(ids[folder], uidvalidity=1, uidnext=messages + 1, highestmodseq=1)
    return cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(2569)
    who = people(args.people, rng)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        cache = build_cache(root / "acc" / "cache.sqlite3", args.messages, who, rng)
        print(f"cache of {args.messages} messages built in {time.perf_counter() - t0:.1f} s (not measured)")
        book = AddressBook(root / "data")
        book.contacts.add_many(Contact(a.name, f"c.{a.email}") for a in who[:200])
        book.add_account("acc", cache, [ME.email])

        t0 = time.perf_counter()
        report = book.harvest()
        harvest_full = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = book.harvest()
        harvest_again = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        book.refresh()
        refresh = (time.perf_counter() - t0) * 1000
        addresses = len(book._history)
        print(f"first harvest: {report.messages} messages in {harvest_full:.2f} s; {addresses} addresses")
        print(f"harvest with nothing new: {again.messages} messages in {harvest_again:.1f} ms")
        print(f"history index rebuilt in {refresh:.0f} ms")

        queries: list[str] = []
        for person in rng.sample(who, 60):
            typed = person.name.split(" ")[0].removeprefix("นางสาว").removeprefix("นาย").removeprefix("นาง")
            queries.extend(typed[:i] for i in range(1, len(typed) + 1))
        queries += ["zzz", "ฮฮฮ", "qq.", "nomatch@nowhere"]
        times = []
        for q in queries:
            t0 = time.perf_counter()
            book.suggest(q, 10)
            times.append((time.perf_counter() - t0) * 1000)
        median, worst = statistics.median(times), max(times)
        print(f"suggest: {len(queries)} keystrokes, median {median:.2f} ms, max {worst:.2f} ms")
        book.close()
        cache.close()
    print(
        f"messages={args.messages} addresses={addresses} harvest_full_s={harvest_full:.2f} "
        f"harvest_again_ms={harvest_again:.1f} refresh_ms={refresh:.0f} "
        f"suggest_median_ms={median:.2f} suggest_max_ms={worst:.2f}"
    )


if __name__ == "__main__":
    main()
