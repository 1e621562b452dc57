"""A scripted SMTP server for what aiosmtpd cannot be made to do (refusals, probing order).

Behaviours: ``"ok"`` (STARTTLS then AUTH PLAIN), ``"no-starttls"`` (offers AUTH in
plaintext and would accept it), ``"starttls-refused"`` (advertises STARTTLS, answers
454), ``"no-auth"`` (TLS works but no AUTH is offered), ``"refuse-greeting"`` (554).
``implicit_tls=True`` gives a 465-style server.

Transactions (after AUTH): ``answers`` replaces the reply to ``MAIL`` (key ``"MAIL"``), to
``RCPT`` of an address (the address) or to ``DATA`` (``"DATA"``); ``pipelining`` says whether
EHLO offers PIPELINING; ``strict_pipelining`` answers MAIL only once RCPT and DATA have
arrived (a client that waits for each answer never gets one). ``commands`` keeps every
command line received, ``batches`` the envelope commands that arrived before the first answer.
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
        answers: dict[str, bytes] | None = None,
        pipelining: bool = True,
        strict_pipelining: bool = False,
    ) -> None:
        self.behaviour = behaviour
        self.answers = answers or {}
        self.pipelining = pipelining
        self.strict_pipelining = strict_pipelining
        self.commands: list[bytes] = []
        self.batches: list[list[bytes]] = []
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
            elif verb == b"MAIL" and self.strict_pipelining:
                batch = [line]
                while not batch[-1].upper().startswith(b"DATA"):
                    batch.append(self.readline(io).rstrip(b"\r\n"))
                self.batches.append(batch)
                self.commands.extend(batch)
                for command in batch[:-1]:
                    io.send(self._envelope_answer(command))
                self._data(io, batch[-1])
            elif verb in (b"MAIL", b"RCPT"):
                self.commands.append(line)
                io.send(self._envelope_answer(line))
            elif verb in (b"RSET", b"NOOP"):
                self.commands.append(line)
                io.send(b"250 2.0.0 OK\r\n")
            elif verb == b"DATA":
                self.commands.append(line)
                self._data(io, line)
            elif verb == b"QUIT":
                io.send(b"221 2.0.0 bye\r\n")
                return
            else:
                io.send(b"502 5.5.2 unknown command\r\n")

    def _envelope_answer(self, command: bytes) -> bytes:
        verb, _, arg = command.partition(b" ")
        if verb.upper() == b"MAIL":
            return self.answers.get("MAIL", b"250 2.1.0 OK") + b"\r\n"
        address = arg.partition(b":")[2].strip().strip(b"<>").decode("utf-8", "replace")
        return self.answers.get(address, b"250 2.1.5 OK") + b"\r\n"

    def _data(self, io: LineSocket, command: bytes) -> str:
        """DATA: the scripted answer, or 354 and the message up to its end."""
        if "DATA" in self.answers and not self.answers["DATA"].startswith(b"354"):
            io.send(self.answers["DATA"] + b"\r\n")
            return "refused"
        io.send(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        lines = []
        while True:
            data_line = self.readline(io)
            if data_line == b".\r\n":
                break
            lines.append(data_line)
        self.messages.append(b"".join(lines))
        io.send(b"250 2.0.0 queued\r\n")
        return "taken"

    def _ehlo(self, tls: bool) -> bytes:
        lines = [b"fake.example greets you", *([b"PIPELINING"] if self.pipelining else []), b"8BITMIME"]
        if not tls and self.behaviour != "no-starttls":
            lines.append(b"STARTTLS")
        if (tls and self.behaviour != "no-auth") or (not tls and self.behaviour == "no-starttls"):
            lines.append(b"AUTH PLAIN")
        out = b"".join(b"250-" + x + b"\r\n" for x in lines[:-1])
        return out + b"250 " + lines[-1] + b"\r\n"
