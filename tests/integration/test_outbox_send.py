"""The outbox and the send pipeline against the real servers (aiosmtpd submission → LMTP → Dovecot).

End to end: a Thai official message (subject, body, Thai-named attachment, urgency and
secrecy) arrives intact, the Bcc recipient gets it without a Bcc header, a copy is in
Sent, the original is marked answered. Then each way sending can go wrong gives the
right state and text, and nothing is lost.
"""

from __future__ import annotations

import email
import email.policy
import time

import pytest

from govmail_desktop.core.compose import OriginalKind
from govmail_desktop.mime import markings
from govmail_desktop.store.outbox import OutboxState, OutboxStore
from govmail_desktop.sync.send import STEP_ACCEPTED, STEP_APPENDING, SendBlocked, enqueue, retry_now
from tests.integration.outbox_helpers import (
    ATTACHMENT,
    THAI_BODY,
    THAI_FILE,
    THAI_SUBJECT,
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


@pytest.fixture
def policy(certs):
    return effective_policy(certs.ca_file)


@pytest.fixture
def store(tmp_path):
    return OutboxStore(tmp_path / "outbox")


def _enqueue(store, policy, draft, files=None):
    return enqueue(store, draft, reader(files), policy.recipient_policy(), policy.attachment_rules())


def test_outbox_end_to_end_thai_official_message_arrives_intact_bcc_hidden_sent_copy_original_answered(
    dovecot, smtp_server, policy, store
):
    original = plant_original(dovecot, "alice", f"<orig-{time.time_ns()}@localhost>")
    draft = thai_draft(
        bcc="แครอล <carol@localhost>", original=original, original_kind=OriginalKind.REPLY,
        in_reply_to=original.message_id, references=(original.message_id,),
    )
    entry = _enqueue(store, policy, draft)
    assert store.get(entry.entry_id).state is OutboxState.QUEUED

    report = make_sender(store, policy, dovecot, smtp_server.starttls_port).run()

    assert report.done == [entry.entry_id] and report.failed == [] and report.unknown == []
    assert store.entries() == []  # finished entries leave the outbox
    expected_subject = markings.mark_subject(THAI_SUBJECT, draft.urgency, draft.secrecy)
    assert expected_subject.startswith("ด่วนที่สุด") and "ลับ" in expected_subject

    [accepted] = [m for m in smtp_server.accepted if entry.message_id.encode() in m.data]
    assert set(accepted.rcpt_tos) == {"bob@localhost", "carol@localhost"}
    # The server offers 8BITMIME: the Thai body went as 8-bit UTF-8 (the headers stay RFC 2047).
    head, body = accepted.data.split(b"\r\n\r\n", 1)
    assert head.isascii() and THAI_BODY.splitlines()[0].encode() in body

    [raw] = copies(dovecot, "bob", "INBOX", entry.message_id)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == expected_subject
    assert msg["From"].addresses[0].display_name == "อลิซ ใจดี"
    assert msg["In-Reply-To"] == original.message_id
    for name, value in markings.marking_headers(draft.urgency, draft.secrecy):
        assert msg[name] == value
    assert msg["Bcc"] is None and b"carol" not in raw.split(b"\r\n\r\n", 1)[0].lower()
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == THAI_BODY
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == THAI_FILE
    assert attachment.get_content() == ATTACHMENT

    [bcc_copy] = copies(dovecot, "carol", "INBOX", entry.message_id)
    assert email.message_from_bytes(bcc_copy, policy=email.policy.default)["Bcc"] is None

    [sent] = copies(dovecot, "alice", "Sent", entry.message_id)
    sent_msg = email.message_from_bytes(sent, policy=email.policy.default)
    assert sent_msg["Bcc"].addresses[0].addr_spec == "carol@localhost"  # the Sent copy keeps it
    assert sent_msg["Subject"] == expected_subject
    assert "\\Answered" in flags_of(dovecot, "alice", "INBOX", original.uid)


def test_outbox_blocked_message_never_reaches_mail_from(dovecot, certs, store):
    lenient = effective_policy(certs.ca_file)
    strict = effective_policy(certs.ca_file, internal_domains=["go.th"])  # localhost is external now
    draft = thai_draft()  # secret: internal recipients only
    with pytest.raises(SendBlocked) as refused:
        _enqueue(store, strict, draft)
    assert [f.subject for f in refused.value.check.blocks] == ["bob@localhost"]
    assert store.entries() == []

    # Queued under the old rules; the sender checks again right before SMTP.
    entry = _enqueue(store, lenient, draft)
    with ScriptedSmtpServer(dovecot) as server:
        report = make_sender(store, strict, dovecot, server.port).run()
    assert server.script.mail_froms == []
    failed = store.get(entry.entry_id)
    assert report.failed == [entry.entry_id] and failed.state is OutboxState.FAILED
    assert "bob@localhost" in failed.problem.text("en") and "policy" in failed.problem.text("en")
    assert failed.problem.text("th") != failed.problem.text("en")


def test_outbox_smtp_server_down_keeps_the_message_queued_with_backoff(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft())
    before = time.time()
    report = make_sender(store, policy, dovecot, free_port()).run()
    waiting = store.get(entry.entry_id)
    assert report.retry == [entry.entry_id]
    assert waiting.state is OutboxState.QUEUED and waiting.attempts == 1
    assert waiting.next_attempt_at is not None and waiting.next_attempt_at > before
    assert "refused the connection" in waiting.problem.text("en")
    assert "connection returns" in waiting.problem.text("en")
    assert store.draft(entry.entry_id).subject == THAI_SUBJECT  # nothing lost


def test_outbox_auth_failure_holds_the_message_until_the_user_acts(dovecot, smtp_server, policy, store):
    entry = _enqueue(store, policy, thai_draft())
    report = make_sender(store, policy, dovecot, smtp_server.starttls_port, password="wrong-password").run()
    held = store.get(entry.entry_id)
    assert report.retry == [entry.entry_id]
    assert held.state is OutboxState.QUEUED and held.next_attempt_at is None  # no automatic retry
    assert "did not accept the login name or password" in held.problem.text("en")
    assert copies(dovecot, "bob", "INBOX", entry.message_id) == []

    retry_now(store, entry.entry_id)  # the user fixed the password
    make_sender(store, policy, dovecot, smtp_server.starttls_port).run()
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1


@pytest.mark.parametrize("where", ["rcpt", "data"])
def test_outbox_4xx_is_retried_later_and_then_delivered_once(dovecot, policy, store, where):
    entry = _enqueue(store, policy, thai_draft())
    script = Script()
    if where == "rcpt":
        script.rcpt_replies["bob@localhost"] = "450 4.2.1 Mailbox busy, try later"
    else:
        script.data_reply = "451 4.3.0 Queue full, try later"
    with ScriptedSmtpServer(dovecot, script) as server:
        make_sender(store, policy, dovecot, server.port).run()
        waiting = store.get(entry.entry_id)
        assert waiting.state is OutboxState.QUEUED and waiting.next_attempt_at > time.time()
        assert ("450" if where == "rcpt" else "451") in waiting.problem.text("en")
        assert "sent again automatically" in waiting.problem.text("en")

        script.rcpt_replies.clear()
        script.data_reply = None
        retry_now(store, entry.entry_id)
        make_sender(store, policy, dovecot, server.port).run()
    assert store.entries() == []
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1


def test_outbox_5xx_for_every_recipient_fails_with_each_answer(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft(cc="carol@localhost"))
    script = Script(rcpt_replies={
        "bob@localhost": "550 5.1.1 No such user here",
        "carol@localhost": "553 5.7.1 Sender not allowed to send to this recipient",
    })
    with ScriptedSmtpServer(dovecot, script) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
    failed = store.get(entry.entry_id)
    assert report.failed == [entry.entry_id] and failed.state is OutboxState.FAILED
    assert {(r.address, r.code) for r in failed.recipients} == {("bob@localhost", 550), ("carol@localhost", 553)}
    text = failed.problem.text("en")
    assert "bob@localhost: 550 5.1.1 No such user here" in text and "carol@localhost: 553" in text
    assert script.data_seen == 0
    assert store.draft(entry.entry_id).to == thai_draft().to  # kept to edit and send again


def test_outbox_partly_accepted_names_the_refused_recipient(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft(cc="carol@localhost"))
    script = Script(rcpt_replies={"bob@localhost": "550 5.1.1 No such user here"})
    with ScriptedSmtpServer(dovecot, script) as server:
        make_sender(store, policy, dovecot, server.port).run()
    done = store.get(entry.entry_id)  # kept in the outbox: the user must see who did not get it
    assert done.state is OutboxState.DONE
    assert [(r.address, r.code) for r in done.refused] == [("bob@localhost", 550)]
    assert "bob@localhost: 550" in done.problem.text("en") and "carol" not in done.problem.text("en")
    assert len(copies(dovecot, "carol", "INBOX", entry.message_id)) == 1
    assert copies(dovecot, "bob", "INBOX", entry.message_id) == []
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1


def test_outbox_size_exceeded_fails_before_mail_from(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft())
    with ScriptedSmtpServer(dovecot, size_limit=4096) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
    failed = store.get(entry.entry_id)
    assert report.failed == [entry.entry_id] and failed.state is OutboxState.FAILED
    assert server.script.mail_froms == []
    assert "the server takes at most" in failed.problem.text("en")
    assert len(store.wire(entry.entry_id)) > 4096


def test_outbox_552_after_data_is_a_permanent_size_failure(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft())
    script = Script(data_reply="552 5.3.4 Message size exceeds fixed maximum message size")
    with ScriptedSmtpServer(dovecot, script) as server:
        make_sender(store, policy, dovecot, server.port).run()
    failed = store.get(entry.entry_id)
    assert failed.state is OutboxState.FAILED
    assert "too big" in failed.problem.text("en") and "552 5.3.4" in failed.problem.text("en")
    assert failed.problem.text("th") != failed.problem.text("en")


def test_outbox_connection_lost_after_the_end_of_data_is_unknown_and_not_resent(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft())
    script = Script(hang_up_at_data=True)
    with ScriptedSmtpServer(dovecot, script) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
        unknown = store.get(entry.entry_id)
        assert report.unknown == [entry.entry_id] and unknown.state is OutboxState.UNKNOWN
        assert "may have been sent" in unknown.problem.text("en")
        assert unknown.problem.text("th") != unknown.problem.text("en")
        script.hang_up_at_data = False
        make_sender(store, policy, dovecot, server.port).run()  # later runs leave it alone
    assert store.get(entry.entry_id).state is OutboxState.UNKNOWN and script.data_seen == 1


def test_outbox_tells_its_listeners_who_accepted_a_message_once(dovecot, policy, store):
    # The address book counts the recipients of sent mail from this (record_sent).
    entry = _enqueue(store, policy, thai_draft(cc="carol@localhost"))
    script = Script(rcpt_replies={"carol@localhost": "550 5.1.1 No such user here"})
    heard: list[tuple[str, tuple[str, ...]]] = []
    with ScriptedSmtpServer(dovecot, script) as server:
        sender = make_sender(store, policy, dovecot, server.port)
        sender.accepted_listeners.append(lambda e, taken: heard.append((e.message_id, tuple(taken))))
        sender.accepted_listeners.append(lambda e, taken: 1 / 0)  # a broken listener stops nothing
        sender.run()
        sender.run()
    assert heard == [(entry.message_id, ("bob@localhost",))]
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1


def test_outbox_after_a_time_offline_every_message_leaves_before_any_sent_copy(dovecot, smtp_server, policy, store):
    # Back online with a queue: SMTP first for all (the mail is out), then the Sent copies.
    entries = [_enqueue(store, policy, thai_draft(subject=f"หนังสือเวียน ที่ {i}/๒๕๖๙")) for i in range(4)]
    seen: list[tuple[str, str]] = []
    sender = make_sender(store, policy, dovecot, smtp_server.starttls_port,
                         steps=lambda name, eid: seen.append((name, eid)))
    report = sender.run()
    names = [name for name, _eid in seen]
    accepted = [i for i, name in enumerate(names) if name == STEP_ACCEPTED]
    appending = [i for i, name in enumerate(names) if name == STEP_APPENDING]
    assert len(accepted) == len(appending) == 4
    assert max(accepted) < min(appending)
    assert sorted(report.done) == sorted(e.entry_id for e in entries)
    for entry in entries:
        assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
        assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1
    assert store.entries() == []
