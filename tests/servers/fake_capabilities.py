"""A scripted IMAP server that shows a chosen capability list (what ``check-server`` asks).

It greets, answers CAPABILITY (one list before login, maybe another after),
LOGIN, NOOP and LOGOUT over TLS (implicit, the trustme test certificate), and
records the logins. Enough to show ``govmail-admin check-server`` servers the
test Dovecot is not: a Zimbra (mail.go.th) list, a bare IMAP4rev1 server.
"""

from __future__ import annotations

from collections.abc import Sequence

from tests.servers.certs import CertFiles
from tests.servers.fake_base import FakeServer, LineSocket

#: What mail.go.th's Zimbra advertises, before and after login: CONDSTORE, QRESYNC, IDLE,
#: LIST-EXTENDED, LIST-STATUS, UIDPLUS, ESEARCH and XLIST, but neither SPECIAL-USE nor MOVE.
ZIMBRA_CAPABILITIES = (
    "IMAP4rev1 ACL BINARY CATENATE CHILDREN CONDSTORE ENABLE ESEARCH ESORT I18NLEVEL=1 ID IDLE LIST-EXTENDED "
    "LIST-STATUS LITERAL+ LOGIN-REFERRALS MULTIAPPEND NAMESPACE QRESYNC QUOTA RIGHTS=ektx SASL-IR SEARCHRES SORT "
    "THREAD=ORDEREDSUBJECT UIDPLUS UNSELECT WITHIN XLIST AUTH=PLAIN"
).split()


class CapabilityImapServer(FakeServer):
    def __init__(
        self,
        cert: CertFiles,
        before_login: Sequence[str],
        after_login: Sequence[str] | None = None,
        *,
        users: dict[str, str] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.before_login = " ".join(before_login).encode("ascii")
        self.after_login = " ".join(after_login if after_login is not None else before_login).encode("ascii")
        self.users = users if users is not None else {"alice": "Alice2569pass"}
        self.logins: list[tuple[str, bool]] = []  # (user, accepted)
        super().__init__(host=host, tls_context=cert.server_context(), implicit_tls=True)

    def serve(self, io: LineSocket) -> None:
        io.send(b"* OK IMAP4rev1 capability test server ready\r\n")
        logged_in = False
        while True:
            parts = self.readline(io).rstrip(b"\r\n").split(b" ", 2)
            if len(parts) < 2:
                io.send(b"* BAD no tag\r\n")
                continue
            tag, command = parts[0], parts[1].upper()
            args = parts[2] if len(parts) > 2 else b""
            if command == b"CAPABILITY":
                caps = self.after_login if logged_in else self.before_login
                io.send(b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
            elif command == b"LOGIN" and not logged_in:
                user, _, password = args.partition(b" ")
                name, secret = user.strip(b'"').decode(), password.strip(b'"').decode()
                logged_in = self.users.get(name) == secret
                self.logins.append((name, logged_in))
                if logged_in:
                    io.send(tag + b" OK Logged in\r\n")
                else:
                    io.send(tag + b" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
            elif command == b"NOOP":
                io.send(tag + b" OK NOOP completed\r\n")
            elif command == b"LOGOUT":
                io.send(b"* BYE logging out\r\n" + tag + b" OK LOGOUT completed\r\n")
                return
            else:
                io.send(tag + b" BAD unknown command\r\n")
