"""Shared by the outbox tests: the real send pipeline wired to the test servers.

The SMTP and IMAP connections go through the real policy path (the loopback test
policy, the test CA); a :class:`ScriptedSmtpServer` is a real aiosmtpd submission
server (STARTTLS, AUTH only after TLS) whose answers a test chooses (4xx/5xx per
recipient, SIZE, a refused DATA) and which records every MAIL FROM it saw.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef, Secrecy, Urgency
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.smtp_session import SmtpSession
from govmail_desktop.policy.sources import EffectivePolicy, load_policy_file
from govmail_desktop.store.outbox import OutboxStore
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.send import Sender
from tests.servers.dovecot import DovecotServer, free_port
from tests.servers.fake_net import TEST_POLICY_FILE
from tests.servers.smtp import AcceptedMessage, SmtpSubmissionServer, _Authenticator, _LmtpRelayHandler

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})

THAI_SUBJECT = "ขอเชิญประชุมคณะทำงาน ครั้งที่ ๑/๒๕๖๙"
THAI_BODY = (
    "เรียน ผู้อำนวยการกอง\n\n"
    "ด้วยสำนักงานฯ ขอเชิญท่านเข้าร่วมประชุม ในวันจันทร์ที่ ๑๒ มกราคม ๒๕๖๙ เวลา ๐๙.๓๐ น.\n"
    "จึงเรียนมาเพื่อโปรดทราบ\n"
)
THAI_FILE = "หนังสือเชิญประชุม ครั้งที่ ๑.pdf"
ATTACHMENT = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def effective_policy(ca_file: Path, **recipients: Any) -> EffectivePolicy:
    """The loopback test policy; ``localhost`` counts as a government domain for recipients."""
    overrides = {
        "tls": {"ca_file": str(ca_file)},
        "recipients": {"internal_domains": ["go.th", ".go.th", "localhost"], **recipients},
    }
    policy = load_policy_file(TEST_POLICY_FILE, overrides=overrides)
    assert policy.error is None, policy.error
    return policy


def smtp_connector(policy: EffectivePolicy, port: int, user: str, password: str) -> Callable[[], SmtpSession]:
    server_policy = policy.server_policy()

    def connect() -> SmtpSession:
        session = SmtpSession.connect(Endpoint("localhost", port, "starttls"), server_policy, resolver=LOCAL,
                                      timeout=10)
        try:
            session.login(user, password)
        except BaseException:
            session.close()
            raise
        return session

    return connect


def imap_connector(policy: EffectivePolicy, dovecot: DovecotServer, user: str) -> Callable[[], MailboxConnection]:
    server_policy = policy.server_policy()

    def connect() -> MailboxConnection:
        session = ImapSession.connect(Endpoint("localhost", dovecot.imaps_port, "tls"), server_policy,
                                      resolver=LOCAL, timeout=10)
        session.login(user, dovecot.users[user])
        return wire_from_session(session, timeout=10)

    return connect


def make_sender(
    store: OutboxStore,
    policy: EffectivePolicy,
    dovecot: DovecotServer,
    smtp_port: int,
    *,
    user: str = "alice",
    password: str | None = None,
    steps: Callable[[str, str], None] | None = None,
    record_original: Callable[[MessageRef, str], bool] | None = None,
    clock: Callable[[], float] | None = None,
) -> Sender:
    return Sender(
        store,
        connect_smtp=smtp_connector(policy, smtp_port, user, password or dovecot.users[user]),
        connect_imap=imap_connector(policy, dovecot, user),
        sent_folder=lambda: "Sent",
        recipient_policy=policy.recipient_policy,
        attachment_rules=policy.attachment_rules,
        record_original=record_original,
        steps=steps,
        **({"clock": clock} if clock is not None else {}),
    )


def thai_draft(account_id: str = "acct", **values: Any) -> Draft:
    fields: dict[str, Any] = dict(
        sender="อลิซ ใจดี <alice@localhost>",
        to="บ็อบ รักงาน <bob@localhost>",
        subject=THAI_SUBJECT,
        text=THAI_BODY,
        urgency=Urgency.MOST_URGENT,
        secrecy=Secrecy.CONFIDENTIAL,
        attachments=(DraftAttachment(THAI_FILE, "application/pdf", len(ATTACHMENT), "a1.bin"),),
    )
    fields.update(values)
    return Draft.new(account_id, **fields)


def reader(data: Mapping[str, bytes] | None = None) -> Callable[[DraftAttachment], bytes]:
    files = dict(data or {"a1.bin": ATTACHMENT})
    return lambda att: files[att.stored_name]


# ---------------------------------------------------------------- reading the mailboxes


def _client(dovecot: DovecotServer, user: str) -> Any:
    from imapclient import IMAPClient

    context = ssl.create_default_context(cafile=str(dovecot.ca_file))
    client = IMAPClient(dovecot.host, port=dovecot.imaps_port, ssl=True, ssl_context=context)
    client.login(user, dovecot.users[user])
    return client


def copies(dovecot: DovecotServer, user: str, folder: str, message_id: str) -> list[bytes]:
    """Every message with this Message-ID in ``user``'s ``folder`` (raw bytes)."""
    with _client(dovecot, user) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search(["HEADER", "Message-ID", message_id])
        if not uids:
            return []
        data = client.fetch(uids, ["BODY.PEEK[]"])
        return [data[u][b"BODY[]"] for u in uids]


def flags_of(dovecot: DovecotServer, user: str, folder: str, uid: int) -> set[str]:
    with _client(dovecot, user) as client:
        client.select_folder(folder, readonly=True)
        data = client.fetch([uid], ["FLAGS"])
        return {f.decode() if isinstance(f, bytes) else str(f) for f in data[uid][b"FLAGS"]}


def plant_original(dovecot: DovecotServer, user: str, message_id: str) -> MessageRef:
    """A message in ``user``'s INBOX to reply to; its reference."""
    raw = (
        f"From: Bob <bob@localhost>\r\nTo: {user}@localhost\r\nSubject: original\r\n"
        f"Message-ID: {message_id}\r\n\r\nplease answer\r\n"
    ).encode()
    with _client(dovecot, user) as client:
        result = client.append("INBOX", raw)
        client.select_folder("INBOX", readonly=True)
        uidvalidity = client.folder_status("INBOX", ["UIDVALIDITY"])[b"UIDVALIDITY"]
        uids = client.search(["HEADER", "Message-ID", message_id])
    assert result and uids
    return MessageRef("acct", "INBOX", int(uidvalidity), int(uids[0]), message_id)


# ---------------------------------------------------------------- an SMTP server answering as told


@dataclass
class Script:
    """What the scripted server answers (None: what a good server would)."""

    mail_reply: str | None = None
    #: Answered to the next MAIL only (then as a good server would): e.g. "421 4.4.2 timeout".
    mail_reply_once: str | None = None
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address (lower case) → reply
    data_reply: str | None = None
    #: Hang up at the end of DATA instead of answering (the client cannot know the fate).
    hang_up_at_data: bool = False
    #: Whether EHLO offers 8BITMIME / SMTPUTF8 (aiosmtpd offers 8BITMIME unless told not to).
    eightbitmime: bool = True
    smtputf8: bool = False
    mail_froms: list[str] = field(default_factory=list)
    #: MAIL FROM parameters of each transaction (``BODY=8BITMIME``, ``SIZE=...``).
    mail_options: list[list[str]] = field(default_factory=list)
    #: The RCPT TO addresses of each transaction (one list per MAIL FROM).
    rcpts: list[list[str]] = field(default_factory=list)
    data_seen: int = 0
    #: QUIT commands received (connections closed cleanly by the client).
    quits: int = 0


class _ScriptedHandler(_LmtpRelayHandler):
    def __init__(self, owner: SmtpSubmissionServer, script: Script) -> None:
        super().__init__(owner, "starttls")
        self.script = script

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        responses = await super().handle_EHLO(server, session, envelope, hostname, responses)  # PIPELINING
        withheld = set()
        if not self.script.eightbitmime:
            withheld.add("250-8BITMIME")
        if not self.script.smtputf8:
            withheld.add("250-SMTPUTF8")
        return [r for r in responses if r not in withheld]

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        self.script.mail_froms.append(address)
        self.script.mail_options.append(list(mail_options))
        self.script.rcpts.append([])
        if self.script.mail_reply_once:
            reply, self.script.mail_reply_once = self.script.mail_reply_once, None
            return reply
        if self.script.mail_reply:
            return self.script.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.script.rcpts:
            self.script.rcpts[-1].append(address)
        reply = self.script.rcpt_replies.get(address.lower())
        if reply:
            return reply
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.script.quits += 1
        return "221 Bye"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.script.data_seen += 1
        if self.script.hang_up_at_data:
            server.transport.close()
            return "421 4.4.2 closing"
        if self.script.data_reply:
            return self.script.data_reply
        return await super().handle_DATA(server, session, envelope)


class ScriptedSmtpServer:
    """A real STARTTLS submission server (AUTH after TLS) delivering to Dovecot, with the
    answers of ``script``; ``size_limit`` is advertised as SIZE and enforced by aiosmtpd."""

    host = "127.0.0.1"

    def __init__(
        self, dovecot: DovecotServer, script: Script | None = None, *, size_limit: int | None = None,
        idle_timeout: float | None = None,
    ) -> None:
        self.relay = SmtpSubmissionServer(dovecot)  # the LMTP delivery and its record (not started)
        self.script = script or Script()
        self.port = free_port()
        self._lock = threading.Lock()
        kwargs: dict[str, Any] = dict(
            hostname=self.host, port=self.port, server_hostname="localhost",
            authenticator=_Authenticator(dovecot.users), auth_required=True, auth_require_tls=True,
            require_starttls=True, tls_context=self.relay.cert.server_context(),
            auth_exclude_mechanism=["CRAM-MD5"],
        )
        if size_limit is not None:
            kwargs["data_size_limit"] = size_limit
        if idle_timeout is not None:  # the server closes a connection quiet this long
            kwargs["timeout"] = idle_timeout
        if self.script.smtputf8:
            kwargs["enable_SMTPUTF8"] = True
        self.controller = Controller(_ScriptedHandler(self.relay, self.script), **kwargs)

    @property
    def accepted(self) -> list[AcceptedMessage]:
        """The messages this server accepted (and delivered to Dovecot), oldest first."""
        return list(self.relay.accepted)

    def __enter__(self) -> ScriptedSmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
