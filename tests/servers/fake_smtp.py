"""A scripted SMTP server for what aiosmtpd cannot be made to do (refusals, probing order).

Behaviours: ``"ok"`` (STARTTLS then AUTH PLAIN), ``"no-starttls"`` (offers AUTH in
plaintext and would accept it), ``"starttls-refused"`` (advertises STARTTLS, answers
454), ``"no-auth"`` (TLS works but no AUTH is offered), ``"refuse-greeting"`` (554).
``implicit_tls=True`` gives a 465-style server.
"""

from __future__ import annotations

import base64

from tests.servers.certs import CertFiles
from tests.servers.fake_base import FakeServer, LineSocket


class FakeSmtpServer(FakeServer):
    def __init__(
        self,
        behaviour: str,
        cert: CertFiles,
        *,
        users: dict[str, str] | None = None,
        implicit_tls: bool = False,
        host: str = "127.0.0.1",
    ) -> None:
        self.behaviour = behaviour
        self.users = users if users is not None else {"alice": "secret"}
        self.auths: list[tuple[str, bool]] = []  # (user, over_tls)
        self.messages: list[bytes] = []
        super().__init__(host=host, tls_context=cert.server_context(), implicit_tls=implicit_tls)

    def serve(self, io: LineSocket) -> None:
        tls = self.implicit_tls
        if self.behaviour == "refuse-greeting":
            io.send(b"554 5.3.2 go away http://evil.example\r\n")
            return
        io.send(b"220 fake.example ESMTP ready\r\n")
        while True:
            line = self.readline(io).rstrip(b"\r\n")
            verb, _, arg = line.partition(b" ")
            verb = verb.upper()
            if verb == b"EHLO":
                io.send(self._ehlo(tls))
            elif verb == b"STARTTLS" and not tls:
                if self.behaviour in ("starttls-refused", "no-starttls"):
                    io.send(b"454 4.7.0 TLS not available\r\n")
                    continue
                io.send(b"220 2.0.0 Ready to start TLS\r\n")
                io = LineSocket(self.start_tls(io.sock))
                tls = True
            elif verb == b"AUTH":
                mech, _, initial = arg.partition(b" ")
                if mech.upper() != b"PLAIN":
                    io.send(b"504 5.5.4 mechanism not supported\r\n")
                    continue
                if not initial:
                    io.send(b"334 \r\n")
                    initial = self.readline(io).strip()
                _, user, password = base64.b64decode(initial).split(b"\0", 2)
                self.auths.append((user.decode(), tls))
                if self.users.get(user.decode()) == password.decode("utf-8"):
                    io.send(b"235 2.7.0 Authentication successful\r\n")
                else:
                    io.send(b"535 5.7.8 Authentication credentials invalid\r\n")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                io.send(b"250 2.0.0 OK\r\n")
            elif verb == b"DATA":
                io.send(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                lines = []
                while True:
                    data_line = self.readline(io)
                    if data_line == b".\r\n":
                        break
                    lines.append(data_line)
                self.messages.append(b"".join(lines))
                io.send(b"250 2.0.0 queued\r\n")
            elif verb == b"QUIT":
                io.send(b"221 2.0.0 bye\r\n")
                return
            else:
                io.send(b"502 5.5.2 unknown command\r\n")

    def _ehlo(self, tls: bool) -> bytes:
        lines = [b"fake.example greets you", b"PIPELINING", b"8BITMIME"]
        if not tls and self.behaviour != "no-starttls":
            lines.append(b"STARTTLS")
        if (tls and self.behaviour != "no-auth") or (not tls and self.behaviour == "no-starttls"):
            lines.append(b"AUTH PLAIN")
        out = b"".join(b"250-" + x + b"\r\n" for x in lines[:-1])
        return out + b"250 " + lines[-1] + b"\r\n"
