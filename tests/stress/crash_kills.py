"""SIGKILL of the real app at random moments, then the next start checked (issue 16 item 2).

Each round: another client changes the account's INBOX (new mail, flags, expunges: the
next sync has work), the real app starts (``tests.stress.crash_app``: ``app.main`` with the
demo's account seam) with its workload (a draft autosaved, messages handed to the outbox)
and syncs by itself; at a seeded random moment — during the sync, or after it settled while
drafts and outbox entries are being written — it is killed with SIGKILL. Then:

* the next start must reach its first window (``READY``), else ``failed_starts``;
* every draft version the app said was on disk is there (the draft store read after the
  kill, before the next start) and every message the outbox said it held is still in the
  outbox or in the recipient's INBOX, else ``lost``;
* after the next sync, the cache's INBOX equals the server's (UIDs, flags, UIDVALIDITY, read
  by imapclient, an independent client) — or the cache was rebuilt and then equals it —
  else ``inconsistent`` (at the end, with the outbox quiet, the Sent folder as well);
* at the end one more start settles the outbox, and the recipient's INBOX is read: a
  Message-ID found twice is ``duplicated``; a message queued before a kill and neither
  delivered nor still in the outbox is ``lost``.

``run_kill_rounds(rounds, seed)`` starts its own Dovecot and SMTP server when none are
given (for ``make stress``); everything is drawn from ``random.Random(f"{seed}:...")``.
"""

from __future__ import annotations

import email
import json
import logging
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

from govmail_desktop.core.entities import decode_flags
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.store.outbox import OutboxState, OutboxStore
from tests.integration.sync_helpers import make_message
from tests.servers.demo import DEMO_ACCOUNT_ID
from tests.servers.dovecot import DovecotServer
from tests.servers.mailbox_state import server_flags
from tests.servers.smtp import SmtpSubmissionServer
from tests.servers.standalone import own_servers

ROOT = Path(__file__).resolve().parents[2]
#: The outbox states in which the outbox still works on a message by itself (sends, files it).
BUSY = (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.ACCEPTED, OutboxState.FILED)
START_LIMIT = 90.0  # seconds to the first window
SETTLE_LIMIT = 120.0  # seconds for the next sync (or the outbox) to settle


@dataclass
class KillStats:
    kills: int = 0
    lost: int = 0
    duplicated: int = 0
    inconsistent: int = 0
    failed_starts: int = 0
    rebuilt: int = 0  # starts that found the cache unusable and rebuilt it (the app's log)
    kills_during_sync: int = 0  # killed after the sync reported progress and before it ended
    queued: int = 0  # messages the outbox said it held before a kill
    drafts_saved: int = 0  # draft versions the app said were on disk before a kill
    delivered: int = 0
    kill_seconds: list[float] = field(default_factory=list)  # start to kill, per round
    problems: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        mean = sum(self.kill_seconds) / len(self.kill_seconds) if self.kill_seconds else 0.0
        return {"kills": self.kills, "lost": self.lost, "duplicated": self.duplicated,
                "inconsistent": self.inconsistent, "failed_starts": self.failed_starts,
                "rebuilt": self.rebuilt, "kills_during_sync": self.kills_during_sync, "queued": self.queued,
                "drafts_saved": self.drafts_saved,
                "delivered": self.delivered, "seconds_per_kill": round(mean, 2),
                "problems": list(self.problems)}


def fill_inbox(server: DovecotServer, user: str, count: int) -> None:
    """``count`` messages written straight into the user's Maildir (an APPEND each takes minutes)."""
    cur = server.home_root / user / "Maildir" / "cur"
    cur.mkdir(parents=True, exist_ok=True)
    base = int(time.time()) - count
    for i in range(count):
        data = make_message(f"หนังสือเวียน {i}", body="เนื้อความ\r\n" * 10).replace(b"\n", b"\r\n").replace(
            b"\r\r\n", b"\r\n")
        (cur / f"{base + i}.M{i}P1.crash,S={len(data)}:2,{'S' if i % 3 else ''}").write_bytes(data)
    subprocess.run(["chown", "-R", f"{server.mail_uid}:{server.mail_gid}", str(cur.parent)], check=True)


class _App:
    """One run of the real app; its stdout read line by line."""

    def __init__(self, config: Path, prefix: tuple[str, ...] = ()) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", "tests.stress.crash_app", str(config)], cwd=ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def _read_errors(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.errors.append(line.rstrip("\n"))
            del self.errors[:-40]

    def drain(self) -> list[str]:
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return self.seen

    def wait_for(self, wanted: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    return False
                continue
            self.seen.append(line)
            if line == wanted:
                return True
        return False

    def wait_for_prefix(self, prefix: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                continue
            self.seen.append(line)
            if line.startswith(prefix):
                return True
        return False

    def kill(self) -> list[str]:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        time.sleep(0.05)  # the reader thread takes what was written before the kill
        return self.drain()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class CrashRig:
    """The servers, the app's profile and what was recorded before each kill."""

    def __init__(self, dovecot: DovecotServer, smtp: SmtpSubmissionServer, workdir: Path, seed: int,
                 *, messages: int = 3000) -> None:
        self.dovecot, self.smtp, self.workdir, self.seed = dovecot, smtp, workdir, seed
        self.messages = messages
        self.home = workdir / "home"
        self.tag = f"K{seed}x{uuid.uuid4().hex[:6]}"
        self.stats = KillStats()
        self.queued: dict[str, str] = {}  # draft id → subject token, of what the outbox said it held
        self.draft_versions: dict[str, int] = {}
        self.rounds = 0

    # ------------------------------------------------------------ paths and config

    @property
    def account_dir(self) -> Path:
        return self.home / "data" / "accounts" / DEMO_ACCOUNT_ID

    def outbox(self) -> OutboxStore:
        return OutboxStore(self.account_dir / "outbox")

    def _config(self, work: bool, **extra: Any) -> Path:
        facts = {
            "address": "alice@demo.go.th", "display_name": "อลิสา ศรีสุข", "login": "alice",
            "password": self.dovecot.users["alice"],
            "imap": {"host": "localhost", "port": self.dovecot.imaps_port, "security": "tls"},
            "smtp": {"host": "localhost", "port": self.smtp.starttls_port, "security": "starttls"},
            "ca_file": str(self.dovecot.ca_file),
        }
        path = self.workdir / f"run-{self.rounds}.json"
        path.write_text(json.dumps({
            "home": str(self.home), "facts": facts, "seed": f"{self.seed}:{self.rounds}", "work": work,
            "tag": f"{self.tag}r{self.rounds}", "to": "บ็อบ <bob@localhost>", **extra,
        }, ensure_ascii=False), encoding="utf-8")
        self.rounds += 1
        return path

    # ------------------------------------------------------------ the server side

    def _client(self) -> Any:
        from imapclient import IMAPClient

        client = IMAPClient(self.dovecot.host, port=self.dovecot.imaps_port, ssl=True,
                            ssl_context=self.dovecot.client_ssl_context(), timeout=60)
        client.login("alice", self.dovecot.users["alice"])
        return client

    def change_server(self, rng: random.Random) -> None:
        """New mail, flag changes and expunges by another client: the next sync has work."""
        client = self._client()
        try:
            client.select_folder("INBOX")
            uids = client.search("ALL")
            if uids:
                chosen = rng.sample(uids, min(len(uids), rng.randint(1, 40)))
                flag = rng.choice([b"\\Seen", b"\\Flagged", b"$Forwarded"])
                (client.add_flags if rng.random() < 0.6 else client.remove_flags)(chosen, [flag])
                gone = rng.sample(uids, min(len(uids), rng.randint(0, 20)))
                if gone:
                    client.delete_messages(gone)
                    client.expunge()
            for i in range(rng.randint(0, 150)):
                client.append("INBOX", make_message(f"ใหม่ {self.tag} {i}"), [b"\\Seen"] if i % 2 else [])
        finally:
            client.logout()

    def server_inbox(self, folder: str = "INBOX") -> tuple[dict[int, frozenset[str]], int]:
        """({uid: flags}, UIDVALIDITY) of ``folder`` read by imapclient (an independent client)."""
        client = self._client()
        try:
            state, status = server_flags(client, folder, [b"UIDVALIDITY"])
            return state, int(status[b"UIDVALIDITY"])
        finally:
            client.logout()

    def cache_inbox(self, folder: str = "INBOX") -> tuple[dict[int, frozenset[str]], int | None] | None:
        """The cache's ``folder`` read through a read-only SQLite connection (the app may be running)."""
        path = self.account_dir / "cache.sqlite3"
        if not path.exists():
            return None
        if str(path).startswith("/proc/"):
            # Seen through another mount namespace (/proc/<pid>/root): SQLite resolves that link
            # to this namespace's file, so a copy of the database and its WAL is read instead.
            snapshot = self.workdir / "snapshot"
            snapshot.mkdir(exist_ok=True)
            for suffix in ("", "-wal"):
                target = snapshot / f"cache.sqlite3{suffix}"
                target.unlink(missing_ok=True)
                if Path(f"{path}{suffix}").exists():
                    shutil.copyfile(f"{path}{suffix}", target)
            path = snapshot / "cache.sqlite3"
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
            try:
                row = conn.execute("SELECT id, uidvalidity FROM folders WHERE name=?", (folder,)).fetchone()
                if row is None:
                    return None
                rows = conn.execute("SELECT uid, flags, keywords FROM messages WHERE folder_id=?", (row[0],))
                return {uid: decode_flags(bits, kw) for uid, bits, kw in rows}, row[1]
            finally:
                conn.close()
        except sqlite3.Error:
            return None

    def cache_difference(self, server: dict[int, frozenset[str]], validity: int, folder: str = "INBOX") -> str | None:
        """How the cache's ``folder`` differs from the server's (None: equal)."""
        cached = self.cache_inbox(folder)
        if cached is None:
            return f"no {folder} in the cache"
        if cached == (server, validity):
            return None
        extra, missing = set(cached[0]) - set(server), set(server) - set(cached[0])
        flags = [u for u in set(cached[0]) & set(server) if cached[0][u] != server[u]]
        return (f"{folder}: cache != server: extra {sorted(extra)[:5]}, missing {sorted(missing)[:5]}, "
                f"flags differ on {sorted(flags)[:5]}, UIDVALIDITY {cached[1]} / {validity}")

    def wait_consistent(self, app: _App, timeout: float = SETTLE_LIMIT, folders: tuple[str, ...] = ("INBOX",)) -> bool:
        """Whether the cache's ``folders`` equal the server's within ``timeout`` (the app syncing)."""
        deadline = time.monotonic() + timeout
        for folder in folders:
            server, validity = self.server_inbox(folder)
            while time.monotonic() < deadline and app.proc.poll() is None:
                if self.cache_difference(server, validity, folder) is None:
                    break
                time.sleep(0.25)
            difference = self.cache_difference(server, validity, folder)
            if difference is not None:
                self.stats.problems.append(difference)
                return False
        return True

    # ------------------------------------------------------------ what was recorded

    def check_recorded(self, lines: list[str]) -> None:
        """After a kill, before the next start: what the app said it had written is on disk."""
        self.outbox().entries()  # the outbox can be read
        for line in lines:
            kind, _, rest = line.partition(" ")
            if kind == "QUEUED":
                draft_id, token = rest.split()
                self.queued[draft_id] = token
                self.stats.queued += 1
            elif kind == "DRAFT":
                draft_id, said = rest.split()
                self.draft_versions[draft_id] = max(self.draft_versions.get(draft_id, 0), int(said))
                self.stats.drafts_saved += 1
        store = DraftStore(self.home / "data" / "drafts")
        for draft_id, saved in self.draft_versions.items():
            try:
                text = store.load(draft_id).text
                found = int(text.split("ฉบับที่ ")[1].split()[0])
            except Exception as exc:  # a draft that cannot be read is lost
                self.stats.lost += 1
                self.stats.problems.append(f"draft {draft_id} unreadable after a kill (v{saved} saved): {exc!r}")
                continue
            if found < saved:
                self.stats.lost += 1
                self.stats.problems.append(f"draft {draft_id}: v{found} on disk, v{saved} was saved")

    # ------------------------------------------------------------ rounds

    def round(self, rng: random.Random) -> None:
        if self.rounds:
            self.change_server(rng)
        app = _App(self._config(work=True))
        try:
            if not app.wait_for("READY", START_LIMIT):
                self.stats.failed_starts += 1
                self.stats.problems.append(f"no first window (rc {app.proc.poll()}): {app.errors[-5:]}")
                return
            first = self.rounds == 1  # the first start syncs the whole folder: killed during it
            if rng.random() < 0.5 or first:  # killed during the sync: once it reports progress
                app.wait_for_prefix("SYNC ", 5.0)
                # (the first at once: a few thousand messages sync in a fraction of a second)
                time.sleep(rng.uniform(0.0, 0.02 if first else 0.6))
            else:  # the sync settled: killed while drafts and the outbox are written
                if not self.wait_consistent(app):
                    self.stats.inconsistent += 1
                time.sleep(rng.uniform(0.0, 1.5))
            lines = app.kill()
            self.stats.kills += 1
            syncing = [line for line in lines if line.startswith("SYNC ")]
            if syncing and syncing[-1] != "SYNC idle":
                self.stats.kills_during_sync += 1
            self.stats.kill_seconds.append(time.monotonic() - app.started)
        finally:
            app.stop()
        self.check_recorded(lines)

    def start(self, *, work: bool = False, prefix: tuple[str, ...] = (), **extra: Any) -> _App:
        """The real app started on this rig's profile (``prefix``: e.g. ``unshare …``)."""
        return _App(self._config(work, **extra), prefix)

    def settle(self) -> None:
        """Two more starts without a workload: the first sends what waits in the outbox (and files
        its Sent copies); the second syncs every folder (a start syncs the INBOX, the others at the
        periodic check) with nothing changing meanwhile, and the cache is compared: INBOX and Sent.
        Neither downloads message texts for search first (minutes for thousands of messages)."""
        app = _App(self._config(work=False, search_download_days=0))
        try:
            if not app.wait_for("READY", START_LIMIT):
                self.stats.failed_starts += 1
                self.stats.problems.append(f"no first window at the end: {app.errors[-5:]}")
                return
            deadline = time.monotonic() + SETTLE_LIMIT
            while time.monotonic() < deadline and any(e.state in BUSY for e in self.outbox().entries()):
                time.sleep(0.25)
        finally:
            app.stop()
        app = _App(self._config(work=False, search_download_days=0, sync_all=True))
        try:
            if not app.wait_for("READY", START_LIMIT):
                self.stats.failed_starts += 1
                self.stats.problems.append(f"no first window at the end: {app.errors[-5:]}")
                return
            if not self.wait_consistent(app, folders=("INBOX", "Sent")):
                self.stats.inconsistent += 1
        finally:
            app.stop()
        self.count_deliveries()
        log = self.home / "log" / "govmail.log"  # the app's log: each start that rebuilt its cache says so
        if log.exists():
            self.stats.rebuilt = log.read_text(encoding="utf-8", errors="replace").count(" was rebuilt: ")

    def count_deliveries(self) -> None:
        """The recipient's INBOX read by imapclient: copies per Message-ID, and each queued
        message either delivered (its subject token found) or still in the outbox."""
        from imapclient import IMAPClient

        entries = {e.draft_id for e in self.outbox().entries()}
        client = IMAPClient(self.dovecot.host, port=self.dovecot.imaps_port, ssl=True,
                            ssl_context=self.dovecot.client_ssl_context(), timeout=60)
        client.login("bob", self.dovecot.users["bob"])
        try:
            client.select_folder("INBOX", readonly=True)
            uids = client.search(["SUBJECT", self.tag])
            headers = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)]"]) if uids else {}
        finally:
            client.logout()
        copies: Counter[str] = Counter()
        tokens: set[str] = set()
        for data in headers.values():
            raw = next(v for k, v in data.items() if k.startswith(b"BODY"))
            message = email.message_from_bytes(raw)
            copies[str(message["Message-ID"]).strip()] += 1
            tokens.add(str(make_header(decode_header(message["Subject"] or ""))).rsplit(" ", 1)[-1])
        self.stats.delivered = sum(copies.values())
        self.stats.duplicated = sum(n - 1 for n in copies.values() if n > 1)
        self.stats.problems.extend(f"{mid} delivered {n} times" for mid, n in copies.items() if n > 1)
        for draft_id, token in self.queued.items():
            if draft_id not in entries and token not in tokens:
                self.stats.lost += 1
                self.stats.problems.append(f"queued message {token} neither delivered nor in the outbox")


def run_kill_rounds(rounds: int, seed: int, *, dovecot: DovecotServer | None = None,
                    smtp: SmtpSubmissionServer | None = None, workdir: Path | None = None,
                    messages: int = 3000) -> dict[str, Any]:
    """``rounds`` SIGKILLs of the real app; dict(kills=…, lost=…, duplicated=…, inconsistent=…, …)."""
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(tempfile.mkdtemp(prefix="gm-crash-"))
            stack.callback(shutil.rmtree, workdir, True)
        if dovecot is None or smtp is None:
            dovecot, smtp = stack.enter_context(own_servers())
        rig = CrashRig(dovecot, smtp, workdir, seed, messages=messages)
        fill_inbox(dovecot, "alice", messages)
        rng = random.Random(f"{seed}:kills")
        for _ in range(rounds):
            rig.round(rng)
        rig.settle()
        return rig.stats.summary()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--messages", type=int, default=3000)
    args = parser.parse_args(argv)
    # Stopped from outside (timeout, Ctrl-C): unwind, so the app, Dovecot and SMTP server stop too.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    # aiosmtpd logs each session a killed app left half-way (a reset TLS handshake): expected here.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    started = time.monotonic()
    result = run_kill_rounds(args.rounds, args.seed, messages=args.messages)
    problems = result.pop("problems")
    for problem in problems:
        print("problem:", problem)
    result["seconds"] = round(time.monotonic() - started, 1)
    print(" ".join(f"{k}={v}" for k, v in result.items()))
    bad = result["lost"] or result["duplicated"] or result["inconsistent"] or result["failed_starts"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
