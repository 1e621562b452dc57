"""Outbox retries against the real servers (scripted aiosmtpd → LMTP → Dovecot).

Partial acceptance with a temporary refusal: the recipients the server took are
recorded at once and never sent to again; the ones answered 4xx are tried again later
in a transaction naming only them; 5xx ones are reported failed, each with its answer;
the Sent copy is filed once and the original marked once. A message that waits too
long (``OVERDUE_AFTER``) stays queued but carries a notice the user is told once.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from govmail_desktop.core.compose import OriginalKind
from govmail_desktop.store.outbox import STATE_FILE, OutboxState, OutboxStore
from govmail_desktop.sync import send
from govmail_desktop.sync.send import enqueue, retry_now
from tests.integration.outbox_helpers import (
    Script,
    ScriptedSmtpServer,
    copies,
    effective_policy,
    flags_of,
    make_sender,
    plant_original,
    reader,
    thai_draft,
)
from tests.servers.dovecot import free_port

pytestmark = pytest.mark.integration

BOB, CAROL, DAVE = "bob@localhost", "carol@localhost", "dave@localhost"  # dave: no such user (550)


@pytest.fixture
def policy(certs):
    return effective_policy(certs.ca_file)


@pytest.fixture
def store(tmp_path):
    return OutboxStore(tmp_path / "outbox")


def _enqueue(store, policy, draft):
    return enqueue(store, draft, reader(), policy.recipient_policy(), policy.attachment_rules())


def test_outbox_partial_4xx_recipient_is_retried_alone_and_nobody_gets_it_twice(dovecot, policy, store):
    original = plant_original(dovecot, "alice", f"<orig-{time.time_ns()}@localhost>")
    marks: list[tuple[int, str]] = []

    def record_original(ref, flag):
        marks.append((ref.uid, flag))
        return False  # not in a cache: the sender sets it on its own IMAP connection

    draft = thai_draft(to=f"บ็อบ <{BOB}>", cc=f"{CAROL}, {DAVE}", original=original,
                       original_kind=OriginalKind.REPLY)
    entry = _enqueue(store, policy, draft)
    script = Script(rcpt_replies={CAROL: "450 4.2.1 Mailbox busy, try later"})
    with ScriptedSmtpServer(dovecot, script) as server:
        def sender():
            return make_sender(store, policy, dovecot, server.port, record_original=record_original)

        before = time.time()
        report = sender().run()
        waiting = store.get(entry.entry_id)
        # bob has it (recorded), carol waits for a retry, dave is refused for good
        assert report.accepted == [entry.entry_id]
        assert waiting.state is OutboxState.QUEUED and waiting.next_attempt_at > before
        assert waiting.delivered == (BOB,)
        assert waiting.waiting == (CAROL,)
        assert [(r.address, r.code) for r in waiting.failed] == [(DAVE, 550)]
        text = waiting.problem.text("en")
        assert "1 of 3" in text and "tried again" in text and CAROL in text and f"{DAVE}: 550" in text
        assert waiting.problem.text("th") != text
        assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
        assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1
        assert marks == [(original.uid, "\\Answered")]

        sender().run()  # not due yet: nothing leaves
        assert len(script.mail_froms) == 1

        retry_now(store, entry.entry_id)  # still busy: a new transaction naming carol only
        sender().run()
        assert script.rcpts[-1] == [CAROL]
        assert store.get(entry.entry_id).waiting == (CAROL,)

        script.rcpt_replies.clear()
        retry_now(store, entry.entry_id)
        report = sender().run()
        assert script.rcpts[-1] == [CAROL]
    done = store.get(entry.entry_id)  # kept: dave's refusal is for the user to see
    assert report.done == [entry.entry_id] and done.state is OutboxState.DONE
    assert done.delivered == (BOB, CAROL) and done.waiting == ()
    assert [(r.address, r.code) for r in done.refused] == [(DAVE, 550)]
    assert f"{DAVE}: 550" in done.problem.text("en") and CAROL not in done.problem.text("en")
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "carol", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1  # filed once
    assert marks == [(original.uid, "\\Answered")]  # marked once
    assert "\\Answered" in flags_of(dovecot, "alice", "INBOX", original.uid)


def test_outbox_partial_4xx_then_5xx_on_retry_ends_done_with_each_refusal(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft(cc=CAROL))
    script = Script(rcpt_replies={CAROL: "451 4.7.1 Greylisted, try later"})
    with ScriptedSmtpServer(dovecot, script) as server:
        make_sender(store, policy, dovecot, server.port).run()
        script.rcpt_replies[CAROL] = "550 5.1.1 Mailbox disabled"
        retry_now(store, entry.entry_id)
        report = make_sender(store, policy, dovecot, server.port).run()
    done = store.get(entry.entry_id)
    assert report.done == [entry.entry_id] and done.state is OutboxState.DONE
    assert done.delivered == (BOB,)
    assert [(r.address, r.code, r.text) for r in done.failed] == [(CAROL, 550, "5.1.1 Mailbox disabled")]
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1


def test_outbox_4xx_and_5xx_with_none_accepted_retries_only_the_4xx_recipient(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft(cc=DAVE, bcc=CAROL))
    script = Script(rcpt_replies={BOB: "452 4.2.2 Mailbox full", CAROL: "421 4.3.2 Try later"})
    with ScriptedSmtpServer(dovecot, script) as server:
        make_sender(store, policy, dovecot, server.port).run()
        waiting = store.get(entry.entry_id)
        assert waiting.state is OutboxState.QUEUED and waiting.delivered == ()
        assert waiting.waiting == (BOB, CAROL) and [r.address for r in waiting.failed] == [DAVE]
        script.rcpt_replies.clear()
        retry_now(store, entry.entry_id)
        make_sender(store, policy, dovecot, server.port).run()
        assert script.rcpts[-1] == [BOB, CAROL]  # dave's 550 is not asked again
    done = store.get(entry.entry_id)
    assert done.state is OutboxState.DONE and done.delivered == (BOB, CAROL)
    assert len(copies(dovecot, "carol", "INBOX", entry.message_id)) == 1


def test_outbox_unknown_retry_after_a_partial_delivery_is_not_settled_by_the_sent_copy(dovecot, policy, store):
    """The Sent folder holds the copy filed after the first acceptance: it says nothing about
    the retry whose answer was lost, so that one stays "may have been sent"."""
    entry = _enqueue(store, policy, thai_draft(cc=CAROL))
    script = Script(rcpt_replies={CAROL: "450 4.2.1 Mailbox busy"})
    with ScriptedSmtpServer(dovecot, script) as server:
        make_sender(store, policy, dovecot, server.port).run()
        script.rcpt_replies.clear()
        script.hang_up_at_data = True
        retry_now(store, entry.entry_id)
        make_sender(store, policy, dovecot, server.port).run()
        assert store.get(entry.entry_id).state is OutboxState.UNKNOWN
        make_sender(store, policy, dovecot, server.port).settle_unknown()
        unknown = store.get(entry.entry_id)
        assert unknown.state is OutboxState.UNKNOWN and unknown.delivered == (BOB,)
        assert unknown.waiting == (CAROL,)

        script.hang_up_at_data = False
        send.send_again(store, entry.entry_id)  # the user's word: only carol is sent to
        make_sender(store, policy, dovecot, server.port).run()
        assert script.rcpts[-1] == [CAROL]
    assert store.entries() == []  # done, nobody refused: out of the outbox
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1


def test_outbox_retries_back_off_to_a_cap_and_an_overdue_message_is_told_once(dovecot, policy, tmp_path):
    now = [1_000_000.0]

    def clock():
        return now[0]

    store = OutboxStore(tmp_path / "outbox", clock=clock)
    entry = _enqueue(store, policy, thai_draft())
    port = free_port()  # nothing listens: every attempt fails as the network would
    delays: list[float] = []
    told: list[str] = []
    while now[0] - entry.created_at <= send.OVERDUE_AFTER + send.BACKOFF[-1]:
        report = make_sender(store, policy, dovecot, port, clock=clock).run()
        waiting = store.get(entry.entry_id)
        assert waiting.state is OutboxState.QUEUED  # never given up on by itself
        told += report.overdue
        if now[0] - entry.created_at < send.OVERDUE_AFTER:
            assert waiting.overdue is None
        else:
            assert waiting.overdue is not None
        delays.append(waiting.next_attempt_at - now[0])
        now[0] = waiting.next_attempt_at
    assert delays[: len(send.BACKOFF)] == list(send.BACKOFF)
    assert max(delays) == send.BACKOFF[-1]  # capped
    assert told == [entry.entry_id]  # told once, however many attempts follow
    notice = store.get(entry.entry_id).overdue
    assert re.search(r"Not sent yet after [45] hours", notice.text("en"))
    assert "refused the connection" in notice.text("en")  # the last error
    assert notice.text("th") != notice.text("en")

    send.send_again(store, entry.entry_id)  # the user's new start: the clock starts again
    assert store.get(entry.entry_id).overdue is None


def test_outbox_accepted_entry_without_per_recipient_answers_is_finished_never_sent_to_everyone_again(
    dovecot, policy, store
):
    """A state written before answers were kept per recipient (accepted, no recipients
    recorded: a crash between the 250's record and the answers) reads with the new fields'
    defaults and is filed and finished — not taken for "nobody has it yet"."""
    entry = _enqueue(store, policy, thai_draft(cc=CAROL))
    store.update(entry.entry_id, state=OutboxState.SENDING)
    store.update(entry.entry_id, state=OutboxState.ACCEPTED, next_attempt_at=0.0)
    path = store.root / entry.entry_id / STATE_FILE
    old = {k: v for k, v in json.loads(path.read_text(encoding="utf-8").splitlines()[-1]).items()
           if k not in ("in_flight", "filed_once", "original_marked", "waiting_since", "overdue")}
    path.write_text(json.dumps(old), encoding="utf-8")
    legacy = store.get(entry.entry_id)
    assert legacy.delivered == () and legacy.filed_once is False and legacy.overdue is None

    with ScriptedSmtpServer(dovecot) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
    assert report.done == [entry.entry_id] and server.script.mail_froms == []
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1
