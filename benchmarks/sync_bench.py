#!/usr/bin/env python3
"""Sync benchmark: the app's own code paths against baselines of the same run.

    python benchmarks/sync_bench.py [--messages 100000] [--runs 5] [--keep] [--folder-store DIR]

Starts the test Dovecot (tests/servers/dovecot.py), fills INBOX by writing
Maildir files straight into cur/ (realistic Thai mail: encoded-word subjects
and names in UTF-8 and TIS-620, threads, attachments), warms Dovecot's cache
with one untimed fetch, then measures:

* ``wire_floor_s`` — raw ``UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE
  ENVELOPE)`` on one connection, read to the end, not parsed;
* ``full_sync_s`` — ``SyncService.sync_folder`` of the never-seen folder into
  a new cache (worker thread, parser, cache writes, queued signals into a
  ``MessageListModel`` shown in an offscreen view), call to ``done`` signal;
  floor and full sync alternate, medians of ``--runs``;
* ``first_rows_s`` — same runs: until the model holds the 50 newest rows;
  ``first_rows_floor_s`` — the server's part of it: on a new logged-in connection, ``SELECT INBOX``
  and ``UID FETCH`` of the 50 UIDs below UIDNEXT with the app's items, read to the end (Dovecot's
  Maildir reads its whole ``dovecot-uidlist`` for the first RFC822.SIZE of a session: ~0.5 s at
  1,000,000 messages);
* ``gui_max_stall_ms`` — same runs: longest gap between ticks of a 5 ms GUI
  timer, minus the 5 ms;
* ``resync_nochange_ms`` — ``SyncService.sync_folder`` again (the app's way:
  its open connection, QRESYNC), call to ``done``; ``select_floor_ms`` — a raw
  ``SELECT INBOX (QRESYNC (v m))`` on a fresh connection;
* ``resync_changes_ms`` — after another client changed flags of 100 messages
  and expunged 100; ``resync_changes_floor_ms`` — the server's part: a NOOP on another
  connection selected with QRESYNC, which the server answers with the same changes;
* ``reopen_paint_ms`` — a new cache object on the file, a new model and view:
  ``set_folder`` to the first paint with rows;
* ``rss_mb`` — resident memory with the folder open;
* ``cache_bytes_per_msg`` — the cache file on disk (with its WAL, no bodies fetched) over the
  messages it holds, after the runs above;
* ``cold_start_rows_s`` — a new app process (``benchmarks/cold_start_rows.py``: the real app,
  offscreen, no sync) started on a copy of that cache, to the first painted rows of the folder;
  ``cold_start_cpu_s`` — the CPU time that process had used by then (a shared machine's load
  stretches the wall time, hardly this).

``make bench MESSAGES=1000000 BENCH_ARGS="--runs 1"`` runs it at a million messages (the test
Dovecot is configured for that size: see ``DovecotServer(big_folders=True)``). Filling and indexing
that folder takes 15-20 minutes: ``--folder-store DIR`` keeps the filled Maildir with Dovecot's index
in DIR (hard links: no second copy of the messages) and the next run with the same ``--messages``
starts from it.

Every connection goes through the policy (loopback test policy, test CA).
Prints one line per figure and, last, one ``key=value`` line. No thresholds.
"""

from __future__ import annotations

import argparse
import array
import base64
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYS = (
    "full_sync_s wire_floor_s full_sync_ratio first_rows_s first_rows_floor_s resync_nochange_ms select_floor_ms "
    "resync_changes_ms resync_changes_floor_ms reopen_paint_ms gui_max_stall_ms rss_mb cache_bytes_per_msg "
    "cold_start_rows_s cold_start_cpu_s"
).split()

SENDERS = [
    "สมชาย ใจดี", "วิไลวรรณ ทองดี", "ประสิทธิ์ มั่นคง", "ศูนย์เทคโนโลยีสารสนเทศ", "กองคลัง",
    "Somsak Kittipong", "อลิสา ศรีสุข", "ธนพล แก้วมณี", "สำนักงานปลัด", "IT Helpdesk",
]
TOPICS = [
    "ขอเชิญประชุมคณะกรรมการบริหาร ครั้งที่ {n}", "รายงานผลการดำเนินงานประจำไตรมาส {n}",
    "ขออนุมัติเบิกจ่ายงบประมาณ โครงการที่ {n}", "หนังสือเวียน ที่ มท {n}/๒๕๖๙", "Monthly report {n}",
    "แจ้งกำหนดการอบรมหลักสูตร รุ่นที่ {n}", "ส่ง “ร่างคำสั่ง” แต่งตั้งคณะทำงาน ชุดที่ {n}",
]


def encoded_word(text: str, charset: str, use_base64: bool) -> str:
    data = text.encode("cp874" if charset != "utf-8" else "utf-8", "replace")
    if use_base64:
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    q = "".join(chr(b) if 48 <= b < 123 and chr(b).isalnum() else f"={b:02X}" for b in data)
    return f"=?{charset}?Q?{q}?="


def fill_maildir(maildir: Path, count: int, seed: int = 1) -> None:
    """Write ``count`` messages into Maildir/cur (about 7 s for 100,000; one APPEND at a time takes minutes)."""
    rng = random.Random(seed)
    cur = maildir / "cur"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    base = 1_700_000_000
    body_line = "เนื้อความของหนังสือราชการ ตัวอย่างสำหรับทดสอบความเร็ว\r\n"
    for i in range(1, count + 1):
        # A correspondent writes with one mailer: the same name, charset and encoding each time.
        k = rng.randrange(300)
        charset = ("tis-620", "windows-874")[k % 2] if k % 5 == 0 else "utf-8"
        use_base64 = (k // 5) % 2 == 0
        sender = SENDERS[k % len(SENDERS)]
        topic = TOPICS[rng.randrange(len(TOPICS))].format(n=i % 500)
        prefix = "Re: " if i % 4 == 0 else ""
        subject = prefix + (encoded_word(topic, charset, use_base64) if not topic.isascii() else topic)
        headers = [
            f"From: {encoded_word(sender, charset, use_base64)} <user{k}@agency{k % 17}.go.th>",
            "To: alice@localhost",
        ]
        if i % 5 == 0:
            headers.append(f"Cc: {encoded_word('กองกลาง', 'utf-8', True)} <central@agency.go.th>")
        headers += [
            f"Subject: {subject}",
            f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0700', time.gmtime(base + i * 60 + 7 * 3600))}",
            f"Message-ID: <{i}.{seed}@agency.go.th>",
        ]
        if i % 4 == 0:
            headers += [f"In-Reply-To: <{i - 1}.{seed}@agency.go.th>",
                        f"References: <{i - 3}.{seed}@agency.go.th> <{i - 1}.{seed}@agency.go.th>"]
        headers.append("MIME-Version: 1.0")
        if i % 10 == 0:
            headers.append('Content-Type: multipart/mixed; boundary="b1"')
            body = ("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body_line * 8
                    + "--b1\r\nContent-Type: application/pdf; name=\"doc.pdf\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n"
                    + "JVBERi0xLjQK" * 40 + "\r\n--b1--\r\n")
        else:
            headers.append("Content-Type: text/plain; charset=utf-8")
            body = body_line * rng.randint(5, 30)
        data = ("\r\n".join(headers) + "\r\n\r\n" + body).encode("utf-8")
        flags = ("S" if rng.random() < 0.7 else "") + ("F" if rng.random() < 0.05 else "")
        name = cur / f"{base + i}.M{i}P1.bench,S={len(data)}:2,{''.join(sorted(flags))}"
        name.write_bytes(data)
        os.utime(name, (base + i * 60, base + i * 60))


def stored_maildir(store: Path | None, count: int) -> Path | None:
    """The Maildir of ``count`` messages kept in ``store`` by an earlier run, if complete."""
    if store is None:
        return None
    kept = store / f"maildir-{count}"
    return kept if (kept / "complete").is_file() else None


def copy_maildir(source: Path, target: Path) -> None:
    """``source`` as ``target``: the messages as hard links (Dovecot never rewrites a message
    file, it renames or removes it), its own index files as copies (those it rewrites).

    The index files are looked for outside ``cur``/``new``/``tmp`` and copied by the kernel
    (``shutil.copyfile``): a walk of a million message names and a 700 MB index read into
    memory were this process's own peak (355 MB of small objects), and part of it stayed
    resident in Python's allocator for the rest of the run, counted in ``rss_mb``."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-al", str(source), str(target)], check=True)
    (target / "complete").unlink(missing_ok=True)
    for folder, dirs, files in os.walk(target):
        dirs[:] = [d for d in dirs if d not in ("cur", "new", "tmp")]
        for name in files:
            if not name.startswith("dovecot"):
                continue
            path = Path(folder) / name
            original = source / path.relative_to(target)
            path.unlink()
            shutil.copyfile(original, path)
            shutil.copystat(original, path)
            info = original.stat()
            os.chown(path, info.st_uid, info.st_gid)


def keep_maildir(maildir: Path, store: Path, count: int) -> None:
    """Keep the filled Maildir, with the index Dovecot has just built, for later runs."""
    kept = store / f"maildir-{count}"
    store.mkdir(parents=True, exist_ok=True)
    copy_maildir(maildir, kept)
    (kept / "complete").write_text(f"{count}\n")
    print(f"kept the filled Maildir in {kept}", flush=True)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="full syncs and floors (medians)")
    parser.add_argument("--repeat", type=int, default=7, help="repetitions of the small figures")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--folder-store", type=Path, metavar="DIR",
                        help="keep the filled and indexed Maildir here and start from it next time "
                             "(a million messages take 15-20 minutes to write and index)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="govmail-syncbench-"))
    os.chmod(workdir, 0o755)
    os.environ["GOVMAIL_HOME"] = str(workdir / "home")

    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks import cold_start_rows
    from govmail_desktop.core.memory import forget_module_sources
    from govmail_desktop.models.message_list import MessageListModel
    from govmail_desktop.net.endpoint import Endpoint
    from govmail_desktop.net.imap.client import wire_from_session
    from govmail_desktop.net.imap_session import ImapSession
    from govmail_desktop.services.sync_service import DONE, SyncService, imap_connector
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.op_queue import OfflineOpQueue
    from govmail_desktop.store.uidset import UidSet
    from govmail_desktop.sync import convert
    from govmail_desktop.sync.connection import prepare
    from govmail_desktop.ui.message_list_view import MessageListView
    from tests.servers.certs import TestCertificates
    from tests.servers.dovecot import DovecotServer
    from tests.servers.fake_net import loopback_policy

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept: the views below need it alive
    forget_module_sources()  # as the app does once it has started (core/memory.py)
    certs = TestCertificates()
    server = DovecotServer(workdir / "dovecot", certs=certs, big_folders=True)
    results: dict[str, float] = {}
    try:
        server.start()
        started = time.perf_counter()
        maildir = server.home_root / "alice" / "Maildir"
        stored = stored_maildir(args.folder_store, args.messages)
        if stored is not None:
            copy_maildir(stored, maildir)
            print(f"fill: {args.messages} messages linked from {stored} in {time.perf_counter() - started:.1f} s",
                  flush=True)
        else:
            fill_maildir(maildir, args.messages)
            print(f"fill: {args.messages} messages written in {time.perf_counter() - started:.1f} s", flush=True)
        subprocess.run(["chown", "-R", f"{server.mail_uid}:{server.mail_gid}", str(maildir)], check=True)

        policy = loopback_policy(ca_file=server.ca_file)
        account = SimpleNamespace(imap=SimpleNamespace(host="127.0.0.1", port=server.imaps_port, security="tls"),
                                  login="alice")
        connect = imap_connector(account, lambda: server.users["alice"], policy, timeout=120)

        def raw_wire():
            session = ImapSession.connect(Endpoint("127.0.0.1", server.imaps_port, "tls"), policy, timeout=120)
            session.login("alice", server.users["alice"])
            return prepare(wire_from_session(session, timeout=120))

        summary_fetch = b"UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)"

        def first_rows_floor() -> float:
            wire = raw_wire()
            try:
                t0 = time.perf_counter()
                info = wire.select("INBOX")
                assert info.uidnext is not None, "the test Dovecot gives UIDNEXT"
                newest = b"%d:%d" % (max(1, info.uidnext - 50), info.uidnext - 1)
                wire.read_fetch_raw(b"UID FETCH " + newest + b" (" + convert.SUMMARY_ITEMS.encode("ascii") + b")")
                return time.perf_counter() - t0
            finally:
                wire.logout()

        def wire_floor() -> float:
            wire = raw_wire()
            try:
                wire.select("INBOX")
                t0 = time.perf_counter()
                wire.read_fetch_raw(summary_fetch)
                return time.perf_counter() - t0
            finally:
                wire.logout()

        started = time.perf_counter()
        warm = raw_wire()
        info = warm.select("INBOX")
        for _ in range(2):  # Dovecot builds and then settles its cache file (floor's and app's items): untimed
            warm.read_fetch_raw(summary_fetch)
            warm.read_fetch_raw(b"UID FETCH 1:* (" + convert.SUMMARY_ITEMS.encode("ascii") + b")")
        warm.logout()
        print(f"warm-up: Dovecot indexed {info.exists} messages in {time.perf_counter() - started:.1f} s", flush=True)
        if args.folder_store is not None and stored is None:
            keep_maildir(maildir, args.folder_store, args.messages)

        class Waiter:
            """Runs the GUI event loop until ``done()`` is called (never a busy loop: the
            GUI thread must not compete with the sync worker for the interpreter)."""

            def __init__(self) -> None:
                self.loop: QEventLoop | None = None
                self.finished = False

            def done(self) -> None:
                self.finished = True
                if self.loop is not None:
                    self.loop.quit()

            def wait(self, timeout: float = 600.0) -> None:
                if not self.finished:
                    self.loop = QEventLoop()
                    QTimer.singleShot(int(timeout * 1000), self.loop.quit)
                    self.loop.exec()
                    self.loop = None
                if not self.finished:
                    raise TimeoutError("benchmark step did not finish")
                self.finished = False

        class Stalls:
            """Longest gap between ticks of a 5 ms timer in the GUI thread."""

            INTERVAL = 5

            def __init__(self) -> None:
                self.timer = QTimer()
                self.timer.setTimerType(Qt.TimerType.PreciseTimer)
                self.timer.setInterval(self.INTERVAL)
                self.timer.timeout.connect(self.tick)
                self.clock = QElapsedTimer()
                self.worst = 0.0
                self.last = 0.0

            def start(self) -> None:
                self.clock.start()
                self.last = 0.0
                self.timer.start()

            def tick(self) -> None:
                now = self.clock.nsecsElapsed() / 1e6
                self.worst = max(self.worst, now - self.last - self.INTERVAL)
                self.last = now

            def stop(self) -> float:
                self.timer.stop()
                return max(0.0, self.worst)

        class Session:
            """One app instance: cache, service, model and an offscreen view."""

            def __init__(self, cache_path: Path) -> None:
                self.cache = MailCache(cache_path)
                self.queue = OfflineOpQueue(cache_path.with_name("ops.sqlite3"))
                self.service = SyncService(self.cache, self.queue, connect)
                self.model = MessageListModel(self.cache)
                self.view = MessageListView()  # the main window's list (a table laid out on demand)
                self.view.setModel(self.model)
                self.view.resize(1100, 700)
                self.view.show()
                self.finished: dict[int, str] = {}
                self.finished_at: dict[int, float] = {}
                self.first_rows_at: float | None = None
                #: FETCH responses a sync could not use (must stay empty: nothing dropped).
                self.unreadable: list[tuple[int, int]] = []
                self.t0 = 0.0
                self.awaited: int | None = None
                self.waiter = Waiter()
                self.service.operationFinished.connect(self.on_finished)
                self.service.messagesInserted.connect(self.inserted)
                self.service.messagesUnreadable.connect(lambda f, n: self.unreadable.append((f, n)))
                self.service.messagesChanged.connect(lambda f, u: self.model.messages_changed(u))
                self.service.messagesRemoved.connect(lambda f, k: self.model.messages_removed(k))
                self.service.start(initial_sync=False)

            def on_finished(self, op_id: int, outcome: str, error: object) -> None:
                self.finished_at[op_id] = time.perf_counter()
                self.finished[op_id] = outcome
                if op_id == self.awaited:
                    self.waiter.done()

            def inserted(self, folder_id: int, uids: list[int]) -> None:
                if self.model.folder_id != folder_id:
                    self.model.set_folder(folder_id)
                else:
                    self.model.messages_inserted(uids)
                if self.first_rows_at is None and self.model.rowCount() >= 50:
                    self.first_rows_at = time.perf_counter() - self.t0

            def run(self, op_id_maker) -> float:
                self.t0 = time.perf_counter()
                op = self.awaited = op_id_maker()
                if op in self.finished:  # (only possible for a joined duplicate)
                    self.waiter.done()
                self.waiter.wait()
                elapsed = self.finished_at[op] - self.t0
                if self.finished[op] != DONE:
                    raise RuntimeError(f"operation ended {self.finished[op]}")
                return elapsed

            def close(self) -> None:
                self.service.stop(30)
                self.view.close()
                self.model.deleteLater()  # and its counting thread (an app has one model per account)
                self.cache.close()
                self.queue.close()

        floors, first_floors, fulls, firsts, stalls = [], [], [], [], []
        session = None
        for run in range(args.runs):
            floors.append(wire_floor())
            first_floors.append(first_rows_floor())
            if session is not None:
                session.close()
            cache_dir = workdir / f"cache{run}"
            cache_dir.mkdir()
            session = Session(cache_dir / "cache.sqlite3")
            session.run(session.service.sync_folder_list)  # connected, folders known: as in the app
            gc.collect()
            probe = Stalls()
            probe.start()
            fulls.append(session.run(lambda session=session: session.service.sync_folder("INBOX")))
            stalls.append(probe.stop())
            firsts.append(session.first_rows_at or float("nan"))
            assert session.cache.count(session.cache.folder_id("INBOX")) == args.messages
            assert session.unreadable == [], f"messages skipped by the sync: {session.unreadable}"
            print(f"run {run + 1}: wire floor {floors[-1]:.2f} s, full sync {fulls[-1]:.2f} s, "
                  f"first rows {firsts[-1]:.3f} s (server {first_floors[-1]:.3f} s), GUI stall {stalls[-1]:.1f} ms",
                  flush=True)
        assert session is not None
        results["wire_floor_s"] = median(floors)
        results["full_sync_s"] = median(fulls)
        results["full_sync_ratio"] = results["full_sync_s"] / results["wire_floor_s"]
        results["first_rows_s"] = median(firsts)
        results["first_rows_floor_s"] = median(first_floors)
        results["gui_max_stall_ms"] = median(stalls)

        # Resync with no change, as the app does it (its connection, QRESYNC).
        nochange = [session.run(lambda: session.service.sync_folder("INBOX")) * 1000 for _ in range(args.repeat)]
        results["resync_nochange_ms"] = median(nochange)
        fid = session.cache.folder_id("INBOX")
        state = session.cache.folder(fid)
        # The test Dovecot has QRESYNC: the synced folder has its UIDVALIDITY and HIGHESTMODSEQ.
        assert state is not None, "INBOX is in the cache after its sync"
        assert state.uidvalidity is not None and state.highestmodseq is not None, "INBOX cached without QRESYNC"
        selects = []
        for _ in range(args.repeat):
            wire = raw_wire()
            try:
                t0 = time.perf_counter()
                wire.command(b'SELECT "INBOX" (QRESYNC (%d %d))' % (state.uidvalidity, state.highestmodseq))
                selects.append((time.perf_counter() - t0) * 1000)
            finally:
                wire.logout()
        results["select_floor_ms"] = median(selects)

        # Another client flags 100 and expunges 100; then the app's resync.
        changes, change_floors = [], []
        other = raw_wire()
        other.select("INBOX")
        watcher = raw_wire()  # the floor: a connection selected with QRESYNC, told of the changes by NOOP
        watcher.select("INBOX", condstore=True)
        # The benchmark's own bookkeeping of the server's UIDs: ranges, and one array of 4-byte
        # UIDs to pick from (a list of a million ints is a million small objects in Python's
        # allocator, whose arenas partly stayed resident in rss_mb after it was deleted).
        left = session.cache.known_uids(fid)
        rng = random.Random(5)
        for iteration in range(max(2, args.repeat // 2)):
            picked = rng.sample(array.array("I", left), 200)
            left = left - UidSet.of(picked[100:])
            flagged, doomed = picked[:100], picked[100:]
            other.store_flags(",".join(map(str, flagged)), "+", ["\\Flagged", "$Bench"])
            other.store_flags(",".join(map(str, doomed)), "+", ["\\Deleted"])
            other.uid_expunge(",".join(map(str, doomed)))
            other.take_events()

            def floor() -> None:
                t0 = time.perf_counter()
                told = watcher.noop()
                change_floors.append((time.perf_counter() - t0) * 1000)
                assert told, "the watching connection was told of the changes"

            # Whoever asks first may pay for the server's look at the other client's changes:
            # the floor and the app take turns at going first.
            if iteration % 2 == 0:
                floor()
            changes.append(session.run(lambda: session.service.sync_folder("INBOX")) * 1000)
            if iteration % 2 == 1:
                floor()
        other.logout()
        watcher.logout()
        results["resync_changes_ms"] = median(changes)
        results["resync_changes_floor_ms"] = median(change_floors)
        assert session.unreadable == [], f"messages skipped by a resync: {session.unreadable}"
        assert session.cache.known_uids(fid) == left  # the cache equals the server after the changes
        messages_left = len(left)
        cache_path = session.cache.path
        session.close()

        # Reopen the cached folder: a new cache object, model and view (an app start).
        class PaintedView(MessageListView):
            """Notes the time it first paints rows (in ``painted``) and ends the wait."""

            def __init__(self, painted: list[float], waiter: Waiter) -> None:
                super().__init__()
                self.painted = painted
                self.waiter = waiter

            def paintEvent(self, event):  # Qt's name
                super().paintEvent(event)
                if self.model() is not None and self.model().rowCount() and not self.painted:
                    self.painted.append(time.perf_counter())
                    self.waiter.done()

        paints = []
        keep_open = None
        for _ in range(args.repeat):
            painted: list[float] = []
            waiter = Waiter()
            t0 = time.perf_counter()
            cache = MailCache(cache_path)
            model = MessageListModel(cache)
            view = PaintedView(painted, waiter)
            view.setModel(model)
            view.resize(1100, 700)
            model.set_folder(cache.folder_id("INBOX"))
            view.show()
            waiter.wait(60)
            paints.append((painted[0] - t0) * 1000)
            if keep_open is not None:
                keep_open[2].close()
                keep_open[1].deleteLater()
                keep_open[0].close()
            keep_open = (cache, model, view)
        results["reopen_paint_ms"] = median(paints)
        gc.collect()
        results["rss_mb"] = rss_mb()
        if keep_open is not None:
            keep_open[2].close()
            keep_open[0].close()

        on_disk = sum(p.stat().st_size for p in (cache_path, cache_path.with_name(cache_path.name + "-wal"))
                      if p.exists())
        results["cache_bytes_per_msg"] = on_disk / messages_left
        cold_home = workdir / "coldhome"
        settings_path = cold_start_rows.prepare_profile(cold_home, cache_path)
        cold_runs = [cold_start_rows.cold_start_rows(cold_home, settings_path) for _ in range(args.repeat)]
        colds = [wall for wall, _cpu in cold_runs]
        results["cold_start_rows_s"] = median(colds)
        results["cold_start_cpu_s"] = median([cpu for _wall, cpu in cold_runs])

        print(f"wire_floor_s: {results['wire_floor_s']:.3f} (runs: {' '.join(f'{v:.2f}' for v in floors)})")
        print(f"full_sync_s: {results['full_sync_s']:.3f} (runs: {' '.join(f'{v:.2f}' for v in fulls)})")
        print(f"full_sync_ratio: {results['full_sync_ratio']:.2f}")
        print(f"first_rows_s: {results['first_rows_s']:.3f} (server's first screen on a new connection, "
              f"first_rows_floor_s: {results['first_rows_floor_s']:.3f})")
        print(f"gui_max_stall_ms: {results['gui_max_stall_ms']:.1f} (runs: {' '.join(f'{v:.0f}' for v in stalls)})")
        print(f"resync_nochange_ms: {results['resync_nochange_ms']:.1f} (min {min(nochange):.1f})")
        print(f"select_floor_ms: {results['select_floor_ms']:.1f} (min {min(selects):.1f})")
        print(f"resync_changes_ms: {results['resync_changes_ms']:.1f} (runs: {' '.join(f'{v:.0f}' for v in changes)}; "
              f"the server's NOOP to a selected connection, resync_changes_floor_ms: "
              f"{results['resync_changes_floor_ms']:.1f})")
        print(f"reopen_paint_ms: {results['reopen_paint_ms']:.1f}")
        print(f"rss_mb: {results['rss_mb']:.1f}")
        print(f"cache_bytes_per_msg: {results['cache_bytes_per_msg']:.1f} ({on_disk} bytes, {messages_left} messages)")
        print(f"cold_start_rows_s: {results['cold_start_rows_s']:.3f} (runs: {' '.join(f'{v:.2f}' for v in colds)}; "
              f"CPU of the app process by then, cold_start_cpu_s: {results['cold_start_cpu_s']:.3f})")
        print(" ".join(f"{key}={results[key]:.3f}" if key.endswith(("_s", "ratio"))
                       else f"{key}={results[key]:.1f}" for key in KEYS))
        return 0
    finally:
        server.cleanup()
        certs.cleanup()
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
