"""A bug inside the send pipeline (the builder raising, a step failing unexpectedly) never
leaves a message in "sending" and never loses it: the entry is recorded as failed with a
plain "error in the program" text — or as "may have been sent" when the end of DATA may
have left — and the worker carries on with the next message. Real aiosmtpd → Dovecot.
"""

from __future__ import annotations

import pytest

from govmail_desktop.store.outbox import OutboxState, OutboxStore
from govmail_desktop.sync import send
from govmail_desktop.sync.send import (
    MSG_PROGRAM_ERROR,
    MSG_PROGRAM_ERROR_AFTER,
    MSG_PROGRAM_ERROR_UNKNOWN,
    STEP_APPENDING,
    STEP_REPLY,
    enqueue,
)
from tests.integration.outbox_helpers import (
    Script,
    ScriptedSmtpServer,
    copies,
    effective_policy,
    make_sender,
    reader,
    thai_draft,
)

pytestmark = pytest.mark.integration

BUGGY = "ข้อความที่ตัวสร้างล้ม"


@pytest.fixture
def policy(certs):
    return effective_policy(certs.ca_file)


@pytest.fixture
def store(tmp_path):
    return OutboxStore(tmp_path / "outbox")


def _enqueue(store, policy, draft):
    return enqueue(store, draft, reader(), policy.recipient_policy(), policy.attachment_rules())


def test_outbox_builder_bug_fails_the_entry_with_a_program_error_and_the_next_one_is_sent(
    dovecot, policy, store, monkeypatch
):
    buggy = _enqueue(store, policy, thai_draft(subject=BUGGY))
    good = _enqueue(store, policy, thai_draft())
    real_build = send.build_message

    def build(message, **options):  # the rebuild for the server's 8BITMIME goes wrong for one message
        if BUGGY in message.subject:
            raise UnicodeEncodeError("ascii", "ก", 0, 1, "a bug in the builder")
        return real_build(message, **options)

    monkeypatch.setattr(send, "build_message", build)
    with ScriptedSmtpServer(dovecot, Script()) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
    failed = store.get(buggy.entry_id)
    assert failed.state is OutboxState.FAILED and report.failed == [buggy.entry_id]
    assert failed.problem == MSG_PROGRAM_ERROR
    assert "program" in failed.problem.text("en") and failed.problem.text("th") != failed.problem.text("en")
    assert "UnicodeEncodeError" in failed.problem_detail
    assert store.draft(buggy.entry_id).subject == BUGGY  # kept, to try again or edit
    assert script_mail_froms(server) == 1  # only the good one reached MAIL FROM
    assert report.done == [good.entry_id]
    assert len(copies(dovecot, "bob", "INBOX", good.message_id)) == 1


def script_mail_froms(server: ScriptedSmtpServer) -> int:
    return len(server.script.mail_froms)


def test_outbox_bug_after_the_end_of_data_left_makes_it_may_have_been_sent_never_sending(
    dovecot, policy, store
):
    first = _enqueue(store, policy, thai_draft(subject=BUGGY))
    second = _enqueue(store, policy, thai_draft())

    def steps(name, entry_id):
        if name == STEP_REPLY and entry_id == first.entry_id:
            raise RuntimeError("a bug between the server's answer and its record")

    with ScriptedSmtpServer(dovecot, Script()) as server:
        report = make_sender(store, policy, dovecot, server.port, steps=steps).run()
    unknown = store.get(first.entry_id)
    assert unknown.state is OutboxState.UNKNOWN and report.unknown == [first.entry_id]
    assert unknown.problem == MSG_PROGRAM_ERROR_UNKNOWN and unknown.next_attempt_at is None
    assert unknown.in_flight == ("bob@localhost",)  # who it may have reached (Mark as sent covers them)
    assert report.done == [second.entry_id]  # the worker carried on
    assert len(copies(dovecot, "bob", "INBOX", first.message_id)) == 1  # never sent again by itself
    assert len(copies(dovecot, "bob", "INBOX", second.message_id)) == 1


def test_outbox_bug_while_filing_an_accepted_message_is_told_then_filed_once_never_resent(
    dovecot, policy, store
):
    entry = _enqueue(store, policy, thai_draft())
    failures = [STEP_APPENDING]

    def steps(name, entry_id):
        if failures and name == failures[0]:
            failures.pop()
            raise RuntimeError("a bug before the Sent copy")

    with ScriptedSmtpServer(dovecot, Script()) as server:
        make_sender(store, policy, dovecot, server.port, steps=steps).run()
        accepted = store.get(entry.entry_id)
        assert accepted.state is OutboxState.ACCEPTED and accepted.problem == MSG_PROGRAM_ERROR_AFTER
        assert accepted.pending  # still in the outbox, its problem shown
        store.update(entry.entry_id, next_attempt_at=0.0)  # its time has come
        report = make_sender(store, policy, dovecot, server.port, steps=steps).run()
        assert len(server.script.mail_froms) == 1  # never sent again
    assert report.done == [entry.entry_id] and state_of(store, entry.entry_id) is None  # nothing left to say
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1


def state_of(store: OutboxStore, entry_id: str) -> OutboxState | None:
    try:
        return store.get(entry_id).state
    except KeyError:
        return None
