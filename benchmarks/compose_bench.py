#!/usr/bin/env python3
"""Compose and send benchmark: the app's own code paths against baselines of the same run.

    python benchmarks/compose_bench.py [--runs 7] [--outbox 100] [--outbox-runs 3] [--keep]

Starts the test Dovecot and the test SMTP submission server (tests/servers/: STARTTLS,
AUTH only after TLS, delivery into Dovecot) — the SMTP server in a process of its own, as a
real one is: in this process it would take the interpreter lock from the pipeline it
serves, a cost smtplib's baseline (blocked in a read meanwhile) hardly pays — every
connection through the policy path (loopback test policy, test CA), then measures:

* ``send_click_ms`` — a composer window (ui/composer/) over a real ``ComposeSession``,
  draft store and ``OutboxService``: the Send action triggered, to the GUI thread free
  again (a zero-time timer posted right after runs);
* ``send_ratio`` — ``OutboxService.submit`` of a Thai official message (Thai subject and
  body, a Thai-named PDF attachment, urgency and secrecy marks) to the moment the server's
  250 after DATA is recorded (``accepted``), less the SMTP connection set-up (connect,
  STARTTLS, AUTH) that the pipeline paid in that send, against ``smtplib`` sending the
  same bytes over an already-authenticated TLS connection; the two alternate, medians of
  ``--runs`` (``send_ratio_raw`` keeps the set-up in);
* ``outbox_100_s`` — ``--outbox`` messages queued while offline, then ``set_online(True)``
  to the last one accepted by the server (``outbox_100_done_s``: to the last copy filed
  in Sent); median of ``--outbox-runs``;
* ``compose_open_ms`` (Ctrl+N on the main window to the composer's body painted) and
  ``reply_open_ms`` (Ctrl+R on a 2 MB HTML message whose body is cached, to the composer
  painted with the quote) — measured first, before the servers start, by
  ``benchmarks/compose_open_bench.py`` in a process of its own (the real app, its main
  window and cache, offline; see that file for what each figure includes); medians of
  ``--runs``.

Prints one line per figure and, last, one ``key=value`` line. No thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import smtplib
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.servers.dovecot import DovecotServer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYS = "compose_open_ms reply_open_ms send_click_ms send_ratio outbox_100_s".split()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Steps:
    """The send pipeline's steps as they happen (worker thread), with their times. The
    benchmark's thread is woken only by the step it waits for (not by every step: each wake
    takes the CPU and the interpreter lock from the pipeline it measures)."""

    def __init__(self) -> None:
        self.at: dict[tuple[str, str], float] = {}
        self.last: dict[str, float] = {}
        self.count: dict[str, int] = defaultdict(int)
        self.changed = threading.Condition()
        self.awaited: str | None = None

    def __call__(self, name: str, entry_id: str) -> None:
        now = time.perf_counter()
        with self.changed:
            self.at[(name, entry_id)] = now
            self.last[name] = max(now, self.last.get(name, now))
            self.count[name] += 1
            if name == self.awaited:
                self.changed.notify_all()

    def wait_count(self, name: str, count: int, timeout: float = 300.0) -> float:
        """Until ``count`` steps ``name`` happened; the time of the last."""
        end = time.monotonic() + timeout
        with self.changed:
            self.awaited = name
            try:
                while self.count[name] < count:
                    left = end - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(f"only {self.count[name]} of {count} {name!r} steps")
                    self.changed.wait(left)
            finally:
                self.awaited = None
            return self.last[name]


class SmtpServerProcess:
    """``SmtpSubmissionServer(dovecot)`` in a child process (forked before Qt starts here)."""

    def __init__(self, dovecot: DovecotServer) -> None:
        import multiprocessing

        from tests.servers.smtp import SmtpSubmissionServer

        self.server = SmtpSubmissionServer(dovecot)  # (ports chosen here)
        context = multiprocessing.get_context("fork")
        self._ready, self._stop = context.Event(), context.Event()
        self._process = context.Process(target=self._serve, daemon=True)
        self._process.start()
        if not self._ready.wait(30):
            self.stop()
            raise RuntimeError("the SMTP server process did not start")

    @property
    def starttls_port(self) -> int:
        return self.server.starttls_port

    def _serve(self) -> None:
        self.server.start()
        self._ready.set()
        self._stop.wait()
        self.server.stop()

    def stop(self) -> None:
        self._stop.set()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()


def measure_opening(runs: int) -> dict[str, float]:
    """compose_open_ms and reply_open_ms from benchmarks/compose_open_bench.py (its own
    process: the real app with its own QApplication and profile); nan when it fails."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("compose_open_bench.py")), "--runs", str(runs), "--json"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    lines = proc.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    try:
        figures = json.loads(lines[-1])
        return {key: float(figures[key]) for key in ("compose_open_ms", "reply_open_ms")}
    except (IndexError, ValueError, KeyError):
        print(f"compose_open_ms, reply_open_ms: not measured (code {proc.returncode}): "
              f"{proc.stderr.strip()[-2000:]}", flush=True)
        return {"compose_open_ms": float("nan"), "reply_open_ms": float("nan")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="sends and baselines (medians)")
    parser.add_argument("--outbox", type=int, default=100, help="messages queued while offline")
    parser.add_argument("--outbox-runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)

    opening = measure_opening(args.runs)  # before the servers start: a quiet machine
    workdir = Path(tempfile.mkdtemp(prefix="govmail-composebench-"))
    os.chmod(workdir, 0o755)
    os.environ["GOVMAIL_HOME"] = str(workdir / "home")

    from tests.servers.certs import TestCertificates
    from tests.servers.dovecot import DovecotServer

    certs = TestCertificates()
    dovecot = DovecotServer(workdir / "dovecot", certs=certs)
    smtp_server: SmtpServerProcess | None = None
    try:
        dovecot.start()
        smtp_server = SmtpServerProcess(dovecot)  # forked before Qt starts in this process
    except BaseException:
        dovecot.cleanup()
        certs.cleanup()
        raise

    import shiboken6
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from govmail_desktop.core.compose import Draft
    from govmail_desktop.core.identities import Identity
    from govmail_desktop.mime.outgoing import check_before_send
    from govmail_desktop.net.endpoint import Endpoint
    from govmail_desktop.net.smtp_session import SmtpSession
    from govmail_desktop.services.compose import ComposeSession
    from govmail_desktop.services.outbox_service import OutboxService
    from govmail_desktop.store.drafts import DraftStore
    from govmail_desktop.store.outbox import OutboxStore
    from govmail_desktop.sync.send import STEP_ACCEPTED, STEP_APPENDED, STEP_QUEUED, Sender, build_for_outbox
    from govmail_desktop.ui.composer.window import ComposerWindow
    from tests.integration.outbox_helpers import (
        ATTACHMENT,
        LOCAL,
        THAI_BODY,
        THAI_FILE,
        effective_policy,
        imap_connector,
        reader,
        thai_draft,
    )

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept: the windows below need it alive
    services: list[OutboxService] = []
    results: dict[str, float] = {}
    try:
        port = smtp_server.starttls_port
        policy = effective_policy(dovecot.ca_file)
        password = dovecot.users["alice"]
        connect_times: list[tuple[float, float]] = []  # (start, end) of each SMTP set-up by the pipeline

        def connect_smtp() -> SmtpSession:
            t0 = time.perf_counter()
            session = SmtpSession.connect(Endpoint("localhost", port, "starttls"), policy.server_policy(),
                                          resolver=LOCAL, timeout=30)
            session.login("alice", password)
            connect_times.append((t0, time.perf_counter()))
            return session

        def outbox(name: str, steps: Steps, *, online: bool) -> OutboxService:
            store = OutboxStore(workdir / name)
            sender = Sender(
                store, connect_smtp=connect_smtp, connect_imap=imap_connector(policy, dovecot, "alice"),
                sent_folder=lambda: "Sent", recipient_policy=policy.recipient_policy,
                attachment_rules=policy.attachment_rules, steps=steps,
            )
            service = OutboxService("acct", store, sender, recipient_policy=policy.recipient_policy,
                                    attachment_rules=policy.attachment_rules, online=online, steps=steps)
            services.append(service)
            service.start()
            return service

        # -- send_ratio: the pipeline against smtplib on a warm connection --------------------
        steps = Steps()
        service = outbox("outbox-ratio", steps, online=True)
        context = ssl.create_default_context(cafile=str(dovecot.ca_file))
        baseline = smtplib.SMTP("127.0.0.1", port, timeout=30)
        baseline.starttls(context=context)
        baseline.login("alice", password)
        built = build_for_outbox(thai_draft(), reader())
        print(f"message: {len(built.wire)} bytes, {len(built.envelope_recipients)} recipient(s)", flush=True)
        raw, excluded, floors = [], [], []
        for run in range(args.runs + 1):  # the first of each is a warm-up, not counted
            t0 = time.perf_counter()
            baseline.sendmail(built.envelope_from, list(built.envelope_recipients), built.wire)
            floor = time.perf_counter() - t0
            connect_times.clear()
            t0 = time.perf_counter()
            service.submit(thai_draft(), reader())
            accepted = steps.wait_count(STEP_ACCEPTED, run + 1)
            steps.wait_count(STEP_APPENDED, run + 1)  # the Sent copy filed: the pipeline is idle again
            setup = sum(end - start for start, end in connect_times if start >= t0 and end <= accepted)
            if run:
                floors.append(floor)
                raw.append(accepted - t0)
                excluded.append(accepted - t0 - setup)
            print(f"run {run}: smtplib {floor * 1000:.1f} ms, app {(accepted - t0) * 1000:.1f} ms "
                  f"(SMTP set-up {setup * 1000:.1f} ms){' (warm-up)' if not run else ''}", flush=True)
        baseline.quit()
        results["send_floor_ms"] = median(floors) * 1000
        results["send_app_ms"] = median(excluded) * 1000
        results["send_ratio"] = median(excluded) / median(floors)
        results["send_ratio_raw"] = median(raw) / median(floors)

        # -- outbox_100_s: queued offline, then the connection returns ----------------------------
        delivered, filed = [], []
        for run in range(args.outbox_runs):
            steps = Steps()
            service = outbox(f"outbox-100-{run}", steps, online=False)
            for i in range(args.outbox):
                service.submit(thai_draft(subject=f"หนังสือเวียน ที่ {i + 1}/๒๕๖๙"), reader())
            steps.wait_count(STEP_QUEUED, args.outbox)
            t0 = time.perf_counter()
            service.set_online(True)
            delivered.append(steps.wait_count(STEP_ACCEPTED, args.outbox) - t0)
            filed.append(steps.wait_count(STEP_APPENDED, args.outbox) - t0)
            print(f"outbox run {run + 1}: {args.outbox} accepted in {delivered[-1]:.2f} s, "
                  f"filed in Sent in {filed[-1]:.2f} s", flush=True)
        results["outbox_100_s"] = median(delivered)
        results["outbox_100_done_s"] = median(filed)

        # -- send_click_ms: Send pressed in a composer window to the GUI free again ---------------
        steps = Steps()
        service = outbox("outbox-click", steps, online=True)
        drafts = DraftStore(workdir / "drafts")
        sender = Identity("acct", "alice@localhost", "อลิซ ใจดี")

        class Keeper:
            def autosave(self, draft: Draft) -> None:
                drafts.save(draft)

        pdf = workdir / THAI_FILE
        pdf.write_bytes(ATTACHMENT)
        clicks = []
        for run in range(args.runs + 1):
            draft = Draft.new("acct", sender=sender.from_text, to="บ็อบ รักงาน <bob@localhost>",
                              subject=f"ขอเชิญประชุม ครั้งที่ {run + 1}", text=THAI_BODY)
            session = ComposeSession(
                draft, identities=[sender], signatures=(), recipient_policy=policy.recipient_policy(),
                attachment_rules=policy.attachment_rules(),
                check=partial(check_before_send, recipient_policy=policy.recipient_policy(),
                              attachment_rules=policy.attachment_rules()),
                drafts=Keeper(), store=drafts, outbox=service,
            )
            session.attach(pdf.name, pdf)  # an official letter travels as a PDF (copied before the window opens)
            sent: list[str] = []
            session.submitted.connect(lambda sent=sent: sent.append("submitted"))
            window = ComposerWindow(session)
            window.resize(900, 700)
            window.show()
            QApplication.processEvents()
            free: list[float] = []
            loop = QEventLoop()

            def freed(free: list[float] = free, loop: QEventLoop = loop) -> None:
                free.append(time.perf_counter())
                loop.quit()

            t0 = time.perf_counter()
            window.send_action.trigger()
            QTimer.singleShot(0, freed)
            loop.exec()
            if not sent:
                raise RuntimeError("the composer did not send (a pre-send summary or an error is shown)")
            steps.wait_count(STEP_ACCEPTED, run + 1)
            if run:
                clicks.append((free[0] - t0) * 1000)
            if shiboken6.isValid(window):  # (it closes itself once sent)
                window.close()
                window.deleteLater()
            QApplication.processEvents()
        results["send_click_ms"] = median(clicks)

        results.update(opening)
        print(f"send_click_ms: {results['send_click_ms']:.1f} (runs: {' '.join(f'{v:.1f}' for v in clicks)})")
        print(f"send_floor_ms (smtplib, warm TLS+AUTH connection): {results['send_floor_ms']:.1f}")
        print(f"send_app_ms (submit to accepted, less SMTP set-up): {results['send_app_ms']:.1f}")
        print(f"send_ratio: {results['send_ratio']:.2f} (with the set-up: {results['send_ratio_raw']:.2f})")
        print(f"outbox_100_s: {results['outbox_100_s']:.2f} (runs: {' '.join(f'{v:.2f}' for v in delivered)}; "
              f"all filed in Sent: {results['outbox_100_done_s']:.2f} s)")
        print(" ".join(f"{key}={results[key]:.3f}" if key.endswith(("_s", "ratio"))
                       else f"{key}={results[key]:.1f}" for key in KEYS))
        return 0
    finally:
        for service in services:
            service.shutdown()
        if smtp_server is not None:
            smtp_server.stop()
        dovecot.cleanup()
        certs.cleanup()
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
