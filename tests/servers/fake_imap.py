"""A scripted IMAP server for STARTTLS attacks a real Dovecot cannot show.

Behaviours (``behaviour=``):

* ``"ok"``            — STARTTLS offered and working; LOGIN over TLS checks ``users``;
* ``"no-starttls"``   — never offers STARTTLS, happily accepts LOGIN in plaintext;
* ``"starttls-no"`` / ``"starttls-bad"`` — offers STARTTLS, answers NO / BAD;
* ``"preauth"``       — greets with ``* PREAUTH`` (already authenticated, no TLS);
* ``"bye"``           — greets with a plaintext ``* BYE [ALERT]`` carrying bait text;
* ``"inject"``        — answers STARTTLS with OK *and* more plaintext responses in the
  same packet (the STARTTLS command-injection attack), then works over TLS.

With ``implicit_tls=True`` the whole session is TLS (993 style) and ``max_tls``
caps the server's TLS version (the minimum-version test). ``after_login``: untagged
responses sent in the same packet as the OK to a good LOGIN (they reach imaplib's
read-ahead buffer before anyone asks).
"""

from __future__ import annotations

import base64
import ssl

from tests.servers.certs import CertFiles
from tests.servers.fake_base import FakeServer, LineSocket

BAIT_TEXT = "Your mailbox is full: log in at http://evil.example/fix"
INJECTED = (
    b"* CAPABILITY IMAP4rev1 AUTH=PLAIN LOGINDISABLED INJECTED-CAPABILITY\r\n"
    b"* OK [ALERT] " + BAIT_TEXT.encode() + b"\r\n"
)
POST_TLS_CAPABILITIES = b"IMAP4rev1 AUTH=PLAIN ID IDLE"


class FakeImapServer(FakeServer):
    def __init__(
        self,
        behaviour: str,
        cert: CertFiles,
        *,
        users: dict[str, str] | None = None,
        implicit_tls: bool = False,
        max_tls: ssl.TLSVersion | None = None,
        host: str = "127.0.0.1",
        after_login: bytes = b"",
    ) -> None:
        ctx = cert.server_context()
        if max_tls is not None:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.maximum_version = max_tls
        self.behaviour = behaviour
        self.after_login = after_login
        self.users = users if users is not None else {"alice": "secret"}
        self.logins: list[tuple[str, bool]] = []  # (user, over_tls)
        super().__init__(host=host, tls_context=ctx, implicit_tls=implicit_tls)

    def serve(self, io: LineSocket) -> None:
        tls = self.implicit_tls
        if self.behaviour == "preauth" and not tls:
            io.send(b"* PREAUTH IMAP4rev1 server logged in as alice\r\n")
        elif self.behaviour == "bye" and not tls:
            io.send(b"* BYE [ALERT] " + BAIT_TEXT.encode() + b"\r\n")
            return
        else:
            io.send(b"* OK IMAP4rev1 fake ready\r\n")
        while True:
            line = self.readline(io)
            parts = line.rstrip(b"\r\n").split(b" ", 2)
            if len(parts) < 2:
                io.send(b"* BAD no tag\r\n")
                continue
            tag, command = parts[0], parts[1].upper()
            args = parts[2] if len(parts) > 2 else b""
            if command == b"CAPABILITY":
                caps = POST_TLS_CAPABILITIES if tls else self._plain_capabilities()
                io.send(b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
            elif command == b"STARTTLS" and not tls:
                if self.behaviour in ("starttls-no", "no-starttls"):
                    io.send(tag + b" NO STARTTLS not available\r\n")
                    continue
                if self.behaviour == "starttls-bad":
                    io.send(tag + b" BAD STARTTLS unknown\r\n")
                    continue
                reply = tag + b" OK Begin TLS negotiation now\r\n"
                if self.behaviour == "inject":
                    reply += INJECTED  # same packet as the OK
                io.send(reply)
                io = LineSocket(self.start_tls(io.sock))
                tls = True
            elif command == b"LOGIN":
                user, _, password = args.partition(b" ")
                self._login(io, tag, user.strip(b'"').decode(), password.strip(b'"').decode(), tls)
            elif command == b"AUTHENTICATE" and args.upper().startswith(b"PLAIN"):
                io.send(b"+ \r\n")
                blob = base64.b64decode(self.readline(io).strip())
                _, user, password = blob.split(b"\0", 2)
                self._login(io, tag, user.decode(), password.decode("utf-8"), tls)
            elif command == b"LOGOUT":
                io.send(b"* BYE logging out\r\n" + tag + b" OK LOGOUT completed\r\n")
                return
            elif command == b"NOOP":
                io.send(tag + b" OK NOOP completed\r\n")
            else:
                io.send(tag + b" BAD unknown command\r\n")

    def _plain_capabilities(self) -> bytes:
        caps = b"IMAP4rev1 AUTH=PLAIN"
        if self.behaviour not in ("no-starttls",):
            caps += b" STARTTLS"
        return caps

    def _login(self, io: LineSocket, tag: bytes, user: str, password: str, tls: bool) -> None:
        self.logins.append((user, tls))
        if self.users.get(user) == password:
            io.send(tag + b" OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n" + self.after_login)
        else:
            io.send(tag + b" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
