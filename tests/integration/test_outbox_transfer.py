"""The outbox against a server without 8BITMIME (and without SMTPUTF8), real aiosmtpd → Dovecot.

A server that does not offer 8BITMIME gets 7-bit bytes only (quoted-printable or base64,
as the builder chooses) and the Thai message arrives intact — also when an earlier
attempt went to a server that did offer it (the bytes rebuilt as 8-bit then are rebuilt
as 7-bit again, same Message-ID). An address with Thai letters before the @ and a server
without SMTPUTF8: the typed InternationalAddressUnsupported text naming the address,
``failed``, the message kept to edit.
"""

from __future__ import annotations

import email
import email.policy

import pytest

from govmail_desktop.core.errors import InternationalAddressUnsupported
from govmail_desktop.store.outbox import OutboxState, OutboxStore
from govmail_desktop.sync.send import enqueue, retry_now
from tests.integration.outbox_helpers import (
    ATTACHMENT,
    THAI_BODY,
    THAI_FILE,
    THAI_SUBJECT,
    Script,
    ScriptedSmtpServer,
    copies,
    effective_policy,
    make_sender,
    reader,
    thai_draft,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def policy(certs):
    return effective_policy(certs.ca_file)


@pytest.fixture
def store(tmp_path):
    return OutboxStore(tmp_path / "outbox")


def _enqueue(store, policy, draft):
    return enqueue(store, draft, reader(), policy.recipient_policy(), policy.attachment_rules())


def _arrived_intact(dovecot, message_id: str) -> None:
    [raw] = copies(dovecot, "bob", "INBOX", message_id)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert THAI_SUBJECT in msg["Subject"]
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == THAI_BODY
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == THAI_FILE
    assert attachment.get_content() == ATTACHMENT


def test_outbox_server_without_8bitmime_gets_7bit_and_the_thai_message_arrives_intact(dovecot, policy, store):
    entry = _enqueue(store, policy, thai_draft())
    script = Script(eightbitmime=False)
    with ScriptedSmtpServer(dovecot, script) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
    assert report.done == [entry.entry_id]
    [accepted] = server.accepted
    assert accepted.data.isascii()  # 7-bit only: quoted-printable / base64
    assert not any(o.upper().startswith("BODY=") for o in script.mail_options[0])
    _arrived_intact(dovecot, entry.message_id)


def test_outbox_retry_on_a_server_without_8bitmime_rebuilds_the_8bit_bytes_as_7bit(dovecot, policy, store):
    """First attempt: 8BITMIME offered (the bytes are rebuilt 8-bit), 451 at DATA. The retry
    reaches a server that does not offer it (another submission host, a downgraded relay):
    the bytes must be 7-bit again, never 8-bit bytes without BODY=8BITMIME."""
    entry = _enqueue(store, policy, thai_draft())
    script = Script(data_reply="451 4.3.0 Queue full, try later")
    with ScriptedSmtpServer(dovecot, script) as server:
        make_sender(store, policy, dovecot, server.port).run()
        assert store.get(entry.entry_id).transfer == "8bitmime"  # as that server allowed
        script.data_reply = None
        script.eightbitmime = False
        retry_now(store, entry.entry_id)
        report = make_sender(store, policy, dovecot, server.port).run()
    assert report.done == [entry.entry_id]
    [accepted] = server.accepted
    assert accepted.data.isascii()
    assert not any(o.upper().startswith("BODY=") for o in script.mail_options[-1])
    assert entry.message_id.encode() in accepted.data  # the same message, same Message-ID
    _arrived_intact(dovecot, entry.message_id)


def test_outbox_thai_local_part_without_smtputf8_fails_with_the_typed_message_and_keeps_the_draft(
    dovecot, policy, store
):
    address = "สมชาย@localhost"
    draft = thai_draft(to=f"บ็อบ <bob@localhost>, {address}")
    entry = _enqueue(store, policy, draft)
    script = Script(eightbitmime=False, smtputf8=False)
    with ScriptedSmtpServer(dovecot, script) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
    failed = store.get(entry.entry_id)
    assert report.failed == [entry.entry_id] and failed.state is OutboxState.FAILED
    assert script.mail_froms == []  # refused before MAIL FROM: nobody got a part of it
    expected = InternationalAddressUnsupported(address=address).message
    assert failed.problem is not None
    assert failed.problem.text("en") == expected.text("en") and address in failed.problem.text("en")
    assert failed.problem.text("th") == expected.text("th") != expected.text("en")
    assert store.draft(entry.entry_id).to == draft.to  # nothing lost: kept to edit
    assert copies(dovecot, "bob", "INBOX", entry.message_id) == []


def test_outbox_smtputf8_server_without_8bitmime_never_gets_body_8bitmime(dovecot, policy, store):
    """A server offering SMTPUTF8 but not 8BITMIME (RFC 6531 asks for both; some do not):
    SMTPUTF8 for the Thai address, UTF-8 headers, but a 7-bit body and no BODY=8BITMIME."""
    address = "สมชาย@localhost"
    entry = _enqueue(store, policy, thai_draft(to=f"บ็อบ รักงาน <bob@localhost>, {address}"))
    assert store.get(entry.entry_id).transfer == "smtputf8"
    script = Script(eightbitmime=False, smtputf8=True, rcpt_replies={address: "250 2.1.5 OK"})
    with ScriptedSmtpServer(dovecot, script) as server:
        report = make_sender(store, policy, dovecot, server.port).run()
    assert report.done == [entry.entry_id]
    [options] = script.mail_options
    assert "SMTPUTF8" in [o.upper() for o in options]
    assert not any(o.upper().startswith("BODY=") for o in options)
    [accepted] = server.accepted
    header, _, body = accepted.data.partition(b"\r\n\r\n")
    assert body.isascii()  # the body 7-bit: quoted-printable / base64
    assert address.encode() in header  # the address itself needs (and has) SMTPUTF8
    assert entry.message_id.encode() in accepted.data
    _arrived_intact(dovecot, entry.message_id)


def test_outbox_wire_bytes_built_once_when_the_server_offered_8bitmime_last_time(
    dovecot, policy, store, monkeypatch
):
    """The account's last EHLO offered 8BITMIME: the next message is built 8-bit right at
    Send, once; the sender sends those bytes as they are (no second build, no rewrite)."""
    from govmail_desktop.sync import send as send_module

    script = Script()  # 8BITMIME offered
    with ScriptedSmtpServer(dovecot, script) as server:
        first = _enqueue(store, policy, thai_draft())  # the server not known yet: 7-bit, rebuilt there
        assert first.transfer == "7bit"
        make_sender(store, policy, dovecot, server.port).run()
        builds: list[dict[str, object]] = []
        real_build = send_module.build_message
        monkeypatch.setattr(send_module, "build_message",
                            lambda message, **options: builds.append(options) or real_build(message, **options))
        rewrites: list[str] = []
        real_replace = store.replace_message
        monkeypatch.setattr(store, "replace_message",
                            lambda eid, **kw: rewrites.append(eid) or real_replace(eid, **kw))
        entry = _enqueue(store, policy, thai_draft())
        assert entry.transfer == "8bitmime" and len(builds) == 1
        report = make_sender(store, policy, dovecot, server.port).run()
    assert report.done == [entry.entry_id]
    assert len(builds) == 1 and rewrites == []  # built once, at Send
    assert "BODY=8BITMIME" in [o.upper() for o in script.mail_options[-1]]
    assert not server.accepted[-1].data.isascii()  # the 8-bit body as built
    _arrived_intact(dovecot, entry.message_id)


def test_outbox_built_for_what_the_server_offered_last_and_rebuilt_when_it_changed(dovecot, policy, store):
    """The remembered offer is only a guess: a server that no longer offers 8BITMIME gets the
    message rebuilt 7-bit (same Message-ID), and the next message is built 7-bit at Send."""
    script = Script()
    with ScriptedSmtpServer(dovecot, script) as server:
        _enqueue(store, policy, thai_draft())
        make_sender(store, policy, dovecot, server.port).run()  # learns 8BITMIME
        entry = _enqueue(store, policy, thai_draft())
        assert entry.transfer == "8bitmime"
        script.eightbitmime = False
        report = make_sender(store, policy, dovecot, server.port).run()
        assert report.done == [entry.entry_id]
        assert server.accepted[-1].data.isascii()
        assert not any(o.upper().startswith("BODY=") for o in script.mail_options[-1])
        _arrived_intact(dovecot, entry.message_id)
        assert _enqueue(store, policy, thai_draft()).transfer == "7bit"
        utf8 = _enqueue(store, policy, thai_draft(to="บ็อบ <bob@localhost>, สมชาย@localhost"))
        assert utf8.transfer == "smtputf8-7bit"  # UTF-8 header fields, the body 7-bit as the last EHLO allows
