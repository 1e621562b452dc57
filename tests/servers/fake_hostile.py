"""Hostile IMAP and SMTP servers behind verified TLS on loopback.

A server the policy allows is still untrusted: these fakes behave like a small,
correct server until a chosen point (``attack_at``: a command such as ``"CAPABILITY"``,
``"LOGIN"``, ``"NOOP"``, ``"LIST"``, ``"IDLE"``, ``"LOGOUT"``, ``"EHLO"``, ``"MAIL"``;
``"GREETING"``; IMAP ``"DONE"``; ``skip`` earlier occurrences answered normally), where they send a
:class:`Flood` — a head, then one unit repeated without end — until the client hangs
up or ``cap`` bytes have gone out. ``sent`` counts the bytes the server managed to
send, so a test can check that the client's limit triggered early.

TLS uses the trustme test certificates; clients verify them as always.
"""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass

from tests.servers.certs import CertFiles
from tests.servers.fake_base import FakeServer, LineSocket

#: Default for how much a flood may send before the server gives up (an unbounded client
#: would have buffered this much; the tests' memory bound is far below it).
DEFAULT_CAP = 192 * 1024 * 1024


@dataclass(frozen=True)
class Flood:
    """``head`` once, then ``unit`` again and again (``{seq}`` in the unit is not expanded)."""

    unit: bytes
    head: bytes = b""
    #: Lines of ``unit`` sent per ``sendall`` (big writes keep the flood fast).
    batch: int = 0

    def chunk(self) -> bytes:
        repeat = self.batch or max(1, (256 * 1024) // max(1, len(self.unit)))
        return self.unit * repeat


#: For a server that only sends scripted ``replies`` (an empty ``attack_at`` never triggers it).
NO_FLOOD = Flood(unit=b"* OK\r\n")


class _FloodSender:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.sent = 0
        self.capped = False
        self.lock = threading.Lock()

    def send(self, io: LineSocket, flood: Flood) -> None:
        """Send the flood until the peer hangs up (OSError) or the cap is reached; an
        empty ``unit``: the head, then silence (a server that stalls mid-response)."""
        data = flood.head
        chunk = flood.chunk()
        if not chunk:
            if data:
                io.sock.sendall(data)
                with self.lock:
                    self.sent += len(data)
            return
        while True:
            if data:
                io.sock.sendall(data)
                with self.lock:
                    self.sent += len(data)
                    if self.sent >= self.cap:
                        self.capped = True
                        return
            data = chunk

    def attack(self, io: LineSocket, flood: Flood) -> None:
        """The flood; once capped, hold the connection open (an attacker would go on)
        until the client leaves."""
        self.send(io, flood)
        io.sock.settimeout(30)
        try:
            while io.sock.recv(65536):
                pass
        except OSError:
            pass


def _send_reply(io: LineSocket, reply: bytes, tag: bytes) -> None:
    """``reply`` with each ``<TAG>`` sent as ``tag``, without copying it (the fake runs in the
    test's process: a copy of a big reply would count in the client's memory figures)."""
    view = memoryview(reply)
    start = 0
    while (found := reply.find(b"<TAG>", start)) >= 0:
        io.sock.sendall(view[start:found])
        io.sock.sendall(tag)
        start = found + len(b"<TAG>")
    io.sock.sendall(view[start:])


class HostileImapServer(FakeServer):
    """IMAP over implicit TLS (993 style) that floods at ``attack_at``.

    Until then it answers CAPABILITY, LOGIN (any password), SELECT/EXAMINE (a folder
    of ``exists`` messages), LIST, NOOP, IDLE/DONE and LOGOUT correctly. ``replies``
    scripts other answers, to every occurrence of a command (``"SELECT"``, ``"UID FETCH"``,
    ``"UID SEARCH"`` ...): the bytes are sent as they are, with ``<TAG>`` replaced by the
    command's tag (a malformed or over-generous answer rather than a flood).
    """

    CAPABILITIES = b"IMAP4rev1 AUTH=PLAIN IDLE UIDPLUS"

    def __init__(
        self,
        cert: CertFiles,
        *,
        attack_at: str = "",
        flood: Flood = NO_FLOOD,
        exists: int = 3,
        skip: int = 0,
        login_capabilities: bool = True,
        cap: int = DEFAULT_CAP,
        host: str = "127.0.0.1",
        replies: dict[str, bytes] | None = None,
        capabilities: bytes = CAPABILITIES,
    ) -> None:
        self.attack_at = attack_at.upper()
        self.flood = flood
        self.replies = {key.upper(): value for key, value in (replies or {}).items()}
        self.capabilities = capabilities
        #: Every command seen (upper case; ``UID FETCH`` style), in order.
        self.commands: list[str] = []
        self.exists = exists
        self.skip = skip
        self.login_capabilities = login_capabilities
        self.flooder = _FloodSender(cap)
        self.logins: list[str] = []
        super().__init__(host=host, tls_context=cert.server_context(), implicit_tls=True)

    @property
    def sent(self) -> int:
        return self.flooder.sent

    @property
    def capped(self) -> bool:
        return self.flooder.capped

    def _attack(self, io: LineSocket) -> None:
        self.flooder.attack(io, self.flood)

    def serve(self, io: LineSocket) -> None:
        if self.attack_at == "GREETING":
            self._attack(io)
            return
        io.send(b"* OK hostile test server ready\r\n")
        while True:
            line = self.readline(io)
            parts = line.rstrip(b"\r\n").split(b" ", 2)
            if len(parts) < 2:
                if self.attack_at == "DONE" and line.strip().upper() == b"DONE":
                    self._attack(io)
                    return
                continue
            tag, command = parts[0], parts[1].upper()
            args = parts[2] if len(parts) > 2 else b""
            if command == b"UID" and args:
                command = b"UID " + args.split(b" ", 1)[0].upper()
            name = command.decode("ascii", "replace")
            self.commands.append(name)
            if name in self.replies and name != self.attack_at:
                _send_reply(io, self.replies[name], tag)
                continue
            if self.attack_at and name == self.attack_at:
                if self.skip <= 0:
                    self._attack(io)
                    return
                self.skip -= 1
            if command == b"CAPABILITY":
                io.send(b"* CAPABILITY " + self.capabilities + b"\r\n" + tag + b" OK done\r\n")
            elif command == b"LOGIN":
                self.logins.append(args.split(b" ", 1)[0].strip(b'"').decode())
                code = b"[CAPABILITY " + self.capabilities + b"] " if self.login_capabilities else b""
                io.send(tag + b" OK " + code + b"Logged in\r\n")
            elif command == b"AUTHENTICATE":
                io.send(b"+ \r\n")
                blob = base64.b64decode(self.readline(io).strip())
                self.logins.append(blob.split(b"\0")[1].decode())
                io.send(tag + b" OK Logged in\r\n")
            elif command in (b"SELECT", b"EXAMINE"):
                io.send(
                    b"* FLAGS (\\Seen \\Deleted)\r\n* %d EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n"
                    b"* OK [UIDNEXT %d] ok\r\n" % (self.exists, self.exists + 1)
                    + tag + b" OK [READ-WRITE] selected\r\n"
                )
            elif command == b"LIST":
                io.send(b'* LIST (\\HasNoChildren) "/" INBOX\r\n' + tag + b" OK listed\r\n")
            elif command == b"IDLE":
                io.send(b"+ idling\r\n")
                done = self.readline(io)
                if self.attack_at == "DONE":
                    self._attack(io)
                    return
                if done.strip().upper() == b"DONE":
                    io.send(tag + b" OK IDLE done\r\n")
            elif command == b"NOOP":
                io.send(tag + b" OK NOOP done\r\n")
            elif command == b"LOGOUT":
                io.send(b"* BYE bye\r\n" + tag + b" OK LOGOUT done\r\n")
                return
            else:
                io.send(tag + b" OK done\r\n")


class HostileSmtpServer(FakeServer):
    """SMTP that floods at ``attack_at`` (``"GREETING"``, ``"EHLO"`` over TLS,
    ``"EHLO-PLAIN"`` before STARTTLS, or any other verb: ``"AUTH"``, ``"MAIL"``,
    ``"QUIT"`` ...); otherwise a small correct server."""

    def __init__(
        self,
        cert: CertFiles,
        *,
        attack_at: str = "",
        flood: Flood = NO_FLOOD,
        implicit_tls: bool = True,
        cap: int = DEFAULT_CAP,
        host: str = "127.0.0.1",
        inject_after_starttls: bytes = b"",
        inject_separately: bool = False,
    ) -> None:
        self.attack_at = attack_at.upper()
        self.flood = flood
        #: Plaintext sent in the same packet as the STARTTLS "220 go ahead" (the injection attack).
        self.inject_after_starttls = inject_after_starttls
        #: Send the injection in its own packet, after the client has begun its TLS handshake.
        self.inject_separately = inject_separately
        self.flooder = _FloodSender(cap)
        super().__init__(host=host, tls_context=cert.server_context(), implicit_tls=implicit_tls)

    @property
    def sent(self) -> int:
        return self.flooder.sent

    def _attack(self, io: LineSocket) -> None:
        self.flooder.attack(io, self.flood)

    def serve(self, io: LineSocket) -> None:
        tls = self.implicit_tls
        if self.attack_at == "GREETING":
            self._attack(io)
            return
        io.send(b"220 hostile.example ESMTP\r\n")
        while True:
            verb, _, _arg = self.readline(io).rstrip(b"\r\n").partition(b" ")
            verb = verb.upper()
            if self.attack_at and verb != b"EHLO" and verb.decode("ascii", "replace") == self.attack_at:
                self._attack(io)
                return
            if verb == b"EHLO":
                if (self.attack_at == "EHLO" and tls) or (self.attack_at == "EHLO-PLAIN" and not tls):
                    self._attack(io)
                    return
                extensions = [b"hostile.example", b"PIPELINING"]
                extensions.append(b"AUTH PLAIN" if tls else b"STARTTLS")
                io.send(b"".join(b"250-" + e + b"\r\n" for e in extensions[:-1]) + b"250 " + extensions[-1] + b"\r\n")
            elif verb == b"STARTTLS" and not tls:
                if self.inject_separately:
                    io.send(b"220 go ahead\r\n")
                    time.sleep(0.2)  # the client's ClientHello is on its way
                    io.send(self.inject_after_starttls)
                else:
                    io.send(b"220 go ahead\r\n" + self.inject_after_starttls)
                io = LineSocket(self.start_tls(io.sock))
                tls = True
            elif verb == b"AUTH":
                io.send(b"235 2.7.0 ok\r\n")
            elif verb == b"QUIT":
                io.send(b"221 bye\r\n")
                return
            elif verb == b"DATA":
                io.send(b"354 go on\r\n")
                while self.readline(io) != b".\r\n":
                    pass
                io.send(b"250 queued\r\n")
            else:
                io.send(b"250 ok\r\n")
