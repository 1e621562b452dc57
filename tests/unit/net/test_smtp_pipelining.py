"""SMTP PIPELINING (RFC 2920): MAIL, every RCPT and DATA in one write where EHLO offers it,
the answers read in order, refusals kept per recipient as without it."""

from __future__ import annotations

import pytest

from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.smtp_session import SmtpSession
from tests.servers.fake_smtp import FakeSmtpServer

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})
MESSAGE = b"Subject: t\r\n\r\n.dot line\r\nbody\r\n"
FROM = "alice@agency.go.th"
TO = ["bob@agency.go.th", "carol@agency.go.th", "dave@agency.go.th"]


def _session(server: FakeSmtpServer, policy) -> SmtpSession:
    session = SmtpSession.connect(Endpoint("localhost", server.port, "starttls"), policy, resolver=LOCAL, timeout=5)
    session.login("alice", "secret")
    return session


def _verbs(server: FakeSmtpServer) -> list[bytes]:
    return [c.split(b" ", 1)[0].upper() for c in server.commands]


def test_envelope_leaves_in_one_write_and_the_message_after_354(certs, policy):
    # The server answers MAIL only once RCPT and DATA are there: a client waiting for
    # each answer would never get one (the read times out).
    with FakeSmtpServer("ok", certs.server, strict_pipelining=True) as server:
        with _session(server, policy) as session:
            result = session.transaction(MESSAGE, FROM, TO, mail_options=["SIZE=30"])
    assert [b.split(b" ", 1)[0].upper() for b in server.batches[0]] == [b"MAIL", b"RCPT", b"RCPT", b"RCPT", b"DATA"]
    assert server.batches[0][0] == b"mail FROM:<alice@agency.go.th> SIZE=30"
    assert result.mail is not None and result.mail.code == 250
    assert result.accepted == TO
    assert result.data is not None and result.data.code == 250
    assert server.messages == [b"Subject: t\r\n\r\n..dot line\r\nbody\r\n"]


def test_one_refused_recipient_is_named_and_the_others_get_it(certs, policy):
    answers = {"carol@agency.go.th": b"550 5.1.1 no such user"}
    with FakeSmtpServer("ok", certs.server, strict_pipelining=True, answers=answers) as server:
        with _session(server, policy) as session:
            result = session.transaction(MESSAGE, FROM, TO)
    assert result.accepted == ["bob@agency.go.th", "dave@agency.go.th"]
    refused = result.recipients["carol@agency.go.th"]
    assert (refused.code, refused.ok, refused.temporary) == (550, False, False)
    assert "no such user" in refused.text
    assert len(server.messages) == 1


def test_a_refused_sender_keeps_no_recipient_answer_and_sends_nothing(certs, policy):
    # After MAIL's 5xx the server answers RCPT with "need MAIL" (here 250, a careless one):
    # neither may be taken as the recipients' own answers.
    with FakeSmtpServer("ok", certs.server, strict_pipelining=True,
                        answers={"MAIL": b"553 5.7.1 sender not allowed", "DATA": b"503 5.5.1 need MAIL"}) as server:
        with _session(server, policy) as session:
            result = session.transaction(MESSAGE, FROM, TO)
            assert session._smtp.noop()[0] == 250  # the connection is still in step
    assert result.mail is not None and result.mail.code == 553
    assert result.recipients == {}
    assert result.data is None
    assert server.messages == []
    assert _verbs(server)[-2:] == [b"RSET", b"NOOP"]


@pytest.mark.parametrize("data_answer", [b"554 5.5.1 no valid recipients", b"354 go ahead"])
def test_every_recipient_refused_sends_no_message(certs, policy, data_answer):
    refusals = {a: b"550 5.1.1 unknown" for a in TO}
    with FakeSmtpServer("ok", certs.server, strict_pipelining=True,
                        answers={**refusals, "DATA": data_answer}) as server:
        with _session(server, policy) as session:
            result = session.transaction(MESSAGE, FROM, TO)
            assert session._smtp.noop()[0] == 250
    assert result.accepted == []
    assert [r.code for r in result.recipients.values()] == [550, 550, 550]
    assert result.data is None  # the recipients' answers say why, not DATA's
    # A server that said 354 anyway got an empty message, never this one.
    assert server.messages == ([b""] if data_answer.startswith(b"354") else [])


def test_without_pipelining_each_command_waits_for_its_answer(certs, policy):
    answers = {"carol@agency.go.th": b"450 4.2.1 mailbox busy"}
    with FakeSmtpServer("ok", certs.server, pipelining=False, answers=answers) as server:
        with _session(server, policy) as session:
            assert not session.has_extension("PIPELINING")
            result = session.transaction(MESSAGE, FROM, TO)
    assert server.batches == []
    assert _verbs(server) == [b"MAIL", b"RCPT", b"RCPT", b"RCPT", b"DATA"]
    assert result.accepted == ["bob@agency.go.th", "dave@agency.go.th"]
    assert result.recipients["carol@agency.go.th"].temporary
    assert len(server.messages) == 1
