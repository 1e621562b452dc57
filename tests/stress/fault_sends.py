"""Sending through the fault proxy (issue 16 item 1): exactly once, or "may have been sent".

Each message is a Thai official letter with an attachment (tests/integration/outbox_helpers)
written to the outbox and worked by the app's :class:`~govmail_desktop.sync.send.Sender`,
whose SMTP connections go through the fault proxy to the real submission server (aiosmtpd →
LMTP → Dovecot). The sender runs again whenever the entry waits (the sender's clock is
moved past the backoff: no real waiting) until it leaves the outbox (sent and filed), is
``unknown`` (shown as "may have been sent") or ``failed``. Then the copies in the
recipient's INBOX are counted by Message-ID, read by an independent client:

- sent (done, accepted or filed): exactly one copy, else ``lost`` (0) or ``duplicated`` (2+);
- "may have been sent": at most one copy (2+ is ``duplicated``);
- still waiting after all the rounds: no copy yet (else it would go twice: ``duplicated``);
- ``failed`` ("Not sent") with a copy delivered is wrong too (the user would send again).
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govmail_desktop.store.outbox import OutboxState, OutboxStore
from govmail_desktop.sync.send import enqueue
from tests.integration.outbox_helpers import effective_policy, make_sender, reader, thai_draft
from tests.servers.dovecot import DovecotServer
from tests.servers.fault_proxy import FaultPlanner, FaultProxy
from tests.servers.smtp import SmtpSubmissionServer

#: Rounds of the sender per message before it counts as still waiting.
ROUNDS = 12
#: Seconds the sender's clock moves between rounds (past the longest backoff, 1,800 s).
CLOCK_STEP = 2000.0
RECIPIENT = "bob"


def send_planner(seed: int) -> FaultPlanner:
    """SMTP carries the message up (~17 KB with the attachment, TLS included) and ~2 KB down."""
    return FaultPlanner(seed, fault_rate=0.7, cut_bytes=(0, 2_300), cut_bytes_up=(0, 17_500),
                        stall_seconds=(0.05, 0.5), throttle=(50_000, 800_000))


@dataclass
class SendStats:
    sends: int = 0
    delivered_once: int = 0
    may_have_been_sent: int = 0
    may_have_been_sent_arrived: int = 0  # of those, how many did arrive (once)
    waiting: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # "Not sent" although delivered, or a program error
    rounds: list[int] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)


class _Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _inbox_client(dovecot: DovecotServer) -> Any:
    from imapclient import IMAPClient

    client = IMAPClient(dovecot.host, port=dovecot.imaps_port, ssl=True, ssl_context=dovecot.client_ssl_context(),
                        timeout=30)
    client.login(RECIPIENT, dovecot.users[RECIPIENT])
    return client


def _copies(client: Any, message_id: str) -> int:
    client.select_folder("INBOX", readonly=True)
    count = len(client.search(["HEADER", "Message-ID", message_id]))
    client.unselect_folder()
    return count


def run_sends(dovecot: DovecotServer, smtp: SmtpSubmissionServer, workdir: Path, seed: int, count: int,
              planner: FaultPlanner | None = None, *, deadline: float | None = None) -> SendStats:
    """``count`` messages through the faults (fewer if ``deadline``, a monotonic time, passes)."""
    stats = SendStats()
    policy = effective_policy(dovecot.ca_file)
    clock = _Clock()
    store = OutboxStore(workdir / f"outbox-{seed}", clock=clock)
    rng = random.Random(f"{seed}:sends")
    proxy = FaultProxy(("127.0.0.1", smtp.starttls_port), planner or send_planner(seed), name="fault-smtp").start()
    client = _inbox_client(dovecot)
    try:
        sender = make_sender(store, policy, dovecot, proxy.port, clock=clock)
        for index in range(count):
            if deadline is not None and time.monotonic() > deadline:
                break
            draft = thai_draft(subject=f"หนังสือเวียนที่ {index} {uuid.uuid4().hex[:8]}",
                               to="บ็อบ รักงาน <bob@localhost>" if rng.random() < 0.7 else
                               "บ็อบ รักงาน <bob@localhost>, แครอล <carol@localhost>")
            entry = enqueue(store, draft, reader(), policy.recipient_policy(), policy.attachment_rules())
            state = _work(sender, store, clock, entry.entry_id, stats)
            copies = _copies(client, entry.message_id)
            judge_copies(stats, f"seed {seed} send {index} ({entry.message_id})", state, copies)
            stats.sends += 1
    finally:
        try:
            client.logout()
        except Exception:  # closing a test client
            pass
        proxy.stop()
    for record in proxy.records:
        stats.faults.update(f.split("-")[0] for f in record.fired)
    return stats


def _work(sender: Any, store: OutboxStore, clock: _Clock, entry_id: str, stats: SendStats) -> OutboxState | None:
    """Runs the sender until the entry leaves the outbox (None) or settles; its last state."""
    state: OutboxState | None = OutboxState.QUEUED
    rounds = 0
    while rounds < ROUNDS:
        rounds += 1
        sender.run()
        found = [e for e in store.entries() if e.entry_id == entry_id]
        state = found[0].state if found else None
        if state in (None, OutboxState.UNKNOWN, OutboxState.FAILED):
            break
        clock.now += CLOCK_STEP
    stats.rounds.append(rounds)
    return state


def judge_copies(stats: SendStats, name: str, state: OutboxState | None, copies: int) -> None:
    sent = state in (None, OutboxState.DONE, OutboxState.ACCEPTED, OutboxState.FILED)
    if copies > 1:
        stats.duplicated.append(f"{name}: {copies} copies (state {state})")
    elif sent:
        if copies == 1:
            stats.delivered_once += 1
        else:
            stats.lost.append(f"{name}: recorded as sent ({state}) but no copy arrived")
    elif state is OutboxState.UNKNOWN:
        stats.may_have_been_sent += 1
        stats.may_have_been_sent_arrived += copies
    elif state is OutboxState.FAILED:
        stats.wrong.append(f"{name}: 'Not sent' after network faults only ({copies} copies)")
    elif copies:
        stats.duplicated.append(f"{name}: still {state} although delivered: it would go again")
    else:
        stats.waiting += 1
