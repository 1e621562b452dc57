"""The full loop on real servers: SMTP submission (TLS + AUTH) → LMTP → Dovecot → IMAP.

Tests talk to the servers with the standard library and imapclient directly (the
package's boundary rules apply to govmail_desktop/, not tests), always over TLS verified
against the test CA.
"""

from __future__ import annotations

import email
import email.policy
import smtplib
import ssl
import uuid
from email.message import EmailMessage

import pytest

pytestmark = pytest.mark.integration

THAI_SUBJECT = "ด่วนที่สุด ขอเชิญประชุมคณะทำงาน ครั้งที่ ๑/๒๕๖๙"
THAI_BODY = (
    "เรียน ผู้อำนวยการกอง\n\n"
    "ด้วยสำนักงานฯ ขอเชิญท่านเข้าร่วมประชุม ในวันจันทร์ที่ ๑๒ มกราคม ๒๕๖๙ เวลา ๐๙.๓๐ น.\n"
    "จึงเรียนมาเพื่อโปรดทราบ\n"
)


def _thai_message(cte: str) -> tuple[EmailMessage, str]:
    msg = EmailMessage()
    msg["From"] = "อลิซ ใจดี <alice@localhost>"
    msg["To"] = "บ็อบ <bob@localhost>"
    msg["Subject"] = THAI_SUBJECT
    message_id = f"<{uuid.uuid4()}@govmail.test>"
    msg["Message-ID"] = message_id
    msg.set_content(THAI_BODY, charset="utf-8", cte=cte)
    return msg, message_id


def _client_context(dovecot) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(dovecot.ca_file))


def _fetch_by_message_id(dovecot, user: str, message_id: str) -> bytes:
    """The raw message with this Message-ID in ``user``'s INBOX, over verified TLS."""
    from imapclient import IMAPClient

    with IMAPClient(
        dovecot.host, port=dovecot.imaps_port, ssl=True, ssl_context=_client_context(dovecot)
    ) as client:
        client.login(user, dovecot.users[user])
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["HEADER", "Message-ID", message_id])
        assert len(uids) == 1, f"expected one message {message_id} in {user}'s INBOX, got {uids}"
        data = client.fetch(uids, ["BODY.PEEK[]"])  # explicit UIDs (imapclient 4.1 range bug)
        return data[uids[0]][b"BODY[]"]


def _assert_thai_intact(raw: bytes) -> None:
    # The header went over the wire RFC 2047-encoded (ASCII), not as raw UTF-8...
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in header_block.lower()
    # ...and decodes back to exactly the Thai that was sent.
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == THAI_SUBJECT
    assert parsed["From"].addresses[0].display_name == "อลิซ ใจดี"
    body = parsed.get_body(("plain",)).get_content()
    assert body.replace("\r\n", "\n") == THAI_BODY  # line endings are the wire's business


@pytest.mark.parametrize("cte", ["quoted-printable", "base64", "8bit"])
def test_send_over_starttls_arrives_in_recipients_inbox(dovecot, smtp_server, cte):
    msg, message_id = _thai_message(cte)
    with smtplib.SMTP(smtp_server.host, smtp_server.starttls_port, local_hostname="localhost", timeout=30) as smtp:
        smtp.starttls(context=_client_context(dovecot))
        smtp.login("alice", dovecot.users["alice"])
        refused = smtp.send_message(msg)
    assert refused == {}

    _assert_thai_intact(_fetch_by_message_id(dovecot, "bob", message_id))
    accepted = [m for m in smtp_server.accepted if message_id.encode() in m.data]
    assert [(m.listener, m.auth_user, m.rcpt_tos) for m in accepted] == [
        ("starttls", "alice", ("bob@localhost",))
    ]


def test_send_over_implicit_tls_arrives_in_recipients_inbox(dovecot, smtp_server):
    msg, message_id = _thai_message("base64")
    with smtplib.SMTP_SSL(
        smtp_server.host, smtp_server.tls_port, context=_client_context(dovecot), local_hostname="localhost",
        timeout=30
    ) as smtp:
        smtp.login("alice@localhost", dovecot.users["alice"])  # full address works too
        smtp.send_message(msg)

    _assert_thai_intact(_fetch_by_message_id(dovecot, "bob", message_id))
    accepted = [m for m in smtp_server.accepted if message_id.encode() in m.data]
    assert [(m.listener, m.auth_user) for m in accepted] == [("tls", "alice")]


def test_auth_is_not_offered_before_starttls(dovecot, smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.starttls_port, local_hostname="localhost", timeout=30) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        assert not smtp.has_extn("auth")
        code, _ = smtp.docmd("AUTH", "PLAIN AGFsaWNlAEFsaWNlMjU2OXBhc3M=")  # alice's real password
        assert code == 530
        code, _ = smtp.docmd("MAIL", "FROM:<alice@localhost>")
        assert code == 530

        smtp.starttls(context=_client_context(dovecot))
        smtp.ehlo()
        assert smtp.has_extn("auth")


def test_mail_without_auth_is_refused_after_starttls(dovecot, smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.starttls_port, local_hostname="localhost", timeout=30) as smtp:
        smtp.starttls(context=_client_context(dovecot))
        smtp.ehlo()
        code, _ = smtp.mail("alice@localhost")
        assert code == 530


@pytest.mark.parametrize("listener", ["starttls", "tls"])
def test_bad_password_is_refused_with_535(dovecot, smtp_server, listener):
    ctx = _client_context(dovecot)
    if listener == "starttls":
        smtp = smtplib.SMTP(smtp_server.host, smtp_server.starttls_port, local_hostname="localhost", timeout=30)
        smtp.starttls(context=ctx)
    else:
        smtp = smtplib.SMTP_SSL(smtp_server.host, smtp_server.tls_port, context=ctx, local_hostname="localhost",
                                timeout=30)
    with smtp:
        with pytest.raises(smtplib.SMTPAuthenticationError) as excinfo:
            smtp.login("alice", "Wrong2569pass")
        assert excinfo.value.smtp_code == 535


def test_unknown_recipient_is_refused(dovecot, smtp_server):
    msg, _ = _thai_message("base64")
    del msg["To"]
    msg["To"] = "nobody@localhost"
    with smtplib.SMTP_SSL(
        smtp_server.host, smtp_server.tls_port, context=_client_context(dovecot), local_hostname="localhost",
        timeout=30
    ) as smtp:
        smtp.login("alice", dovecot.users["alice"])
        with pytest.raises(smtplib.SMTPRecipientsRefused) as excinfo:
            smtp.send_message(msg)
    assert excinfo.value.recipients["nobody@localhost"][0] == 550


def test_imap_starttls_and_implicit_tls_both_verify_against_the_test_ca(dovecot):
    from imapclient import IMAPClient

    ctx = _client_context(dovecot)
    with IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False) as client:
        assert b"STARTTLS" in client.capabilities()
        client.starttls(ctx)
        client.login("bob", dovecot.users["bob"])
        special = {flags[-1] for flags, _sep, _name in client.list_folders() if len(flags) > 1}
        assert {b"\\Drafts", b"\\Sent", b"\\Trash", b"\\Junk"} <= special
    with IMAPClient(dovecot.host, port=dovecot.imaps_port, ssl=True, ssl_context=ctx) as client:
        client.login("bob", dovecot.users["bob"])


def test_server_certificate_is_refused_without_the_test_ca(dovecot):
    from imapclient import IMAPClient

    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(
            dovecot.host, port=dovecot.imaps_port, ssl=True, ssl_context=ssl.create_default_context()
        )
