"""A scripted IMAP server that answers as mail.go.th's Zimbra does, XLIST included.

No server this suite can run implements XLIST as Zimbra does (the Dovecot with
Zimbra's capabilities answers ``XLIST`` with ``* LIST`` lines; Cyrus advertises
SPECIAL-USE besides XLIST, so a client never needs its XLIST). This transcript
server covers that part of the interoperability matrix: CAPABILITY (Zimbra's list,
from its server source: XLIST, no SPECIAL-USE, no MOVE), STARTTLS or
implicit TLS with the trustme certificate, LOGIN, ID, ENABLE, LIST (LIST-EXTENDED
and LIST-STATUS, never a special-use attribute), XLIST (``\\Inbox``, ``\\Sent``,
``\\Drafts``, ``\\Trash``, ``\\Spam``), STATUS, SELECT/EXAMINE and LOGOUT, with
Zimbra's wording. Folder names are modified UTF-7 on the wire (a Thai folder is
there), and Zimbra's non-mail folders (Chats, Contacts, Emailed Contacts) are
listed as Zimbra lists them.

Anything else is answered ``BAD`` and recorded in ``unexpected``: a test asserts the
client asked for nothing the transcript does not cover.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from tests.servers.certs import CertFiles
from tests.servers.dovecot import ZIMBRA_CAPABILITY
from tests.servers.fake_base import FakeServer, LineSocket

HOSTNAME = b"mail.go.th"
#: What Zimbra advertises after login (the Zimbra-profile Dovecot advertises the same).
ZIMBRA_CAPABILITIES = ZIMBRA_CAPABILITY.encode("ascii")


def encode_mutf7(name: str) -> bytes:
    """IMAP's modified UTF-7 (RFC 3501 5.1.3), written out here so the fake does not
    borrow the client's encoder."""
    out = bytearray()
    pending = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            b64 = base64.b64encode(pending.encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.extend(b"&" + b64 + b"-")
            pending = ""

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.extend(b"&-" if ch == "&" else ch.encode("ascii"))
        else:
            pending += ch
    flush()
    return bytes(out)


@dataclass
class ZimbraFolder:
    name: str
    xlist: str = ""  # the XLIST attribute (\Sent, \Spam ...), "" for none
    messages: int = 0
    unseen: int = 0
    uidvalidity: int = 2
    uidnext: int = 1
    highestmodseq: int = 1
    subscribed: bool = True

    @property
    def wire(self) -> bytes:
        return b'"' + encode_mutf7(self.name) + b'"'


def mail_go_th_folders() -> list[ZimbraFolder]:
    """A mail.go.th mailbox: Zimbra's system folders, its non-mail folders, and a Thai folder."""
    return [
        ZimbraFolder("INBOX", "\\Inbox", messages=3, unseen=1, uidvalidity=2, uidnext=268, highestmodseq=1520),
        ZimbraFolder("Chats"),
        ZimbraFolder("Contacts"),
        ZimbraFolder("Drafts", "\\Drafts", uidvalidity=6, uidnext=12, highestmodseq=40),
        ZimbraFolder("Emailed Contacts"),
        ZimbraFolder("Junk", "\\Spam", uidvalidity=4, uidnext=3, highestmodseq=9),
        ZimbraFolder("Sent", "\\Sent", messages=2, uidvalidity=5, uidnext=200, highestmodseq=800),
        ZimbraFolder("Trash", "\\Trash", messages=1, uidvalidity=3, uidnext=90, highestmodseq=300),
        ZimbraFolder("งานสารบรรณ", messages=4, unseen=2, uidvalidity=257, uidnext=5, highestmodseq=30),
    ]


@dataclass
class Transcript:
    """What the clients did: commands by name, logins (user, over TLS), unknown commands."""

    commands: list[str] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)
    unexpected: list[bytes] = field(default_factory=list)


_TOKEN = re.compile(rb'"((?:[^"\\]|\\.)*)"|\(([^()]*)\)|([^\s()"]+)')


def _arguments(args: bytes) -> list[bytes]:
    out = []
    for quoted, paren, atom in _TOKEN.findall(args):
        if quoted or (not paren and not atom):
            out.append(re.sub(rb"\\(.)", rb"\1", quoted))
        else:
            out.append(paren or atom)
    return out


class ZimbraImapServer(FakeServer):
    """``implicit_tls=True``: the 993 port; otherwise the 143 port with STARTTLS."""

    def __init__(
        self,
        cert: CertFiles,
        *,
        users: dict[str, str],
        implicit_tls: bool = False,
        folders: list[ZimbraFolder] | None = None,
    ) -> None:
        self.users = users
        self.folders = folders if folders is not None else mail_go_th_folders()
        self.transcript = Transcript()
        super().__init__(tls_context=cert.server_context(), implicit_tls=implicit_tls)

    def _capabilities(self, tls: bool, authenticated: bool) -> bytes:
        caps = ZIMBRA_CAPABILITIES
        if not authenticated:
            caps += b" AUTH=PLAIN" if tls else b" STARTTLS LOGINDISABLED"
        return caps

    def _folder(self, wire_name: bytes) -> ZimbraFolder | None:
        for folder in self.folders:
            if encode_mutf7(folder.name) == wire_name or (folder.name == "INBOX" and wire_name.upper() == b"INBOX"):
                return folder
        return None

    def serve(self, io: LineSocket) -> None:
        tls = self.implicit_tls
        user: str | None = None
        io.send(b"* OK " + HOSTNAME + b" Zimbra IMAP4rev1 server ready\r\n")
        while True:
            line = self.readline(io).rstrip(b"\r\n")
            tag, _, rest = line.partition(b" ")
            command, _, args = rest.partition(b" ")
            command = command.upper()
            if command == b"UID":
                sub, _, args = args.partition(b" ")
                command = b"UID " + sub.upper()
            self.transcript.commands.append(command.decode("ascii", "replace"))
            ok = tag + b" OK " + command + b" completed\r\n"
            if command == b"CAPABILITY":
                io.send(b"* CAPABILITY " + self._capabilities(tls, user is not None) + b"\r\n" + ok)
            elif command == b"NOOP":
                io.send(ok)
            elif command == b"ID":
                io.send(b'* ID ("NAME" "Zimbra" "VERSION" "8.8.15_GA_4484" "RELEASE" "20220708171128")\r\n' + ok)
            elif command == b"STARTTLS" and not tls:
                io.send(tag + b" OK begin TLS negotiation now\r\n")
                io = LineSocket(self.start_tls(io.sock))
                tls = True
            elif command == b"LOGIN" and user is None:
                if not tls:
                    io.send(tag + b" NO cleartext logins disabled\r\n")
                    continue
                name, password = (a.decode("utf-8", "replace") for a in (_arguments(args) + [b"", b""])[:2])
                self.transcript.logins.append((name, tls))
                if self.users.get(name) == password:
                    user = name
                    io.send(tag + b" OK [CAPABILITY " + self._capabilities(tls, True) + b"] LOGIN completed\r\n")
                else:
                    io.send(tag + b" NO LOGIN failed\r\n")
            elif command == b"LOGOUT":
                io.send(b"* BYE " + HOSTNAME + b" Zimbra IMAP4rev1 server terminating connection\r\n" + ok)
                return
            elif user is None:
                io.send(tag + b" NO " + command + b" failed: must be in AUTHENTICATED or SELECTED state\r\n")
            elif command == b"ENABLE":
                enabled = [a for a in args.split() if a.upper() in (b"QRESYNC", b"CONDSTORE")]
                io.send((b"* ENABLED " + b" ".join(enabled) + b"\r\n" if enabled else b"") + ok)
            elif command in (b"LIST", b"XLIST"):
                io.send(self._list(command, args) + ok)
            elif command == b"STATUS":
                folder = self._folder((_arguments(args) or [b""])[0])
                if folder is None:
                    io.send(tag + b" NO STATUS failed: no such folder\r\n")
                else:
                    io.send(b"* STATUS " + folder.wire + b" " + self._status(folder) + b"\r\n" + ok)
            elif command in (b"SELECT", b"EXAMINE"):
                folder = self._folder((_arguments(args) or [b""])[0])
                if folder is None:
                    io.send(tag + b" NO " + command + b" failed\r\n")
                else:
                    mode = b"READ-ONLY" if command == b"EXAMINE" else b"READ-WRITE"
                    io.send(self._select(folder) + tag + b" OK [" + mode + b"] " + command + b" completed\r\n")
            else:
                self.transcript.unexpected.append(line if command not in (b"LOGIN", b"AUTHENTICATE") else command)
                io.send(tag + b" BAD parse error: invalid command\r\n")

    def _list(self, command: bytes, args: bytes) -> bytes:
        status_items = None
        match = re.search(rb"STATUS \(([^)]*)\)", args, re.IGNORECASE)
        if match:
            status_items = match.group(1).upper().split()
        subscribed = b"SUBSCRIBED" in args.upper().split(b"RETURN", 1)[-1] if b"RETURN" in args.upper() else False
        out = b""
        for folder in self.folders:
            attrs = [b"\\HasNoChildren"]
            if command == b"XLIST" and folder.xlist:
                attrs.append(folder.xlist.encode())
            if subscribed and folder.subscribed:
                attrs.append(b"\\Subscribed")
            out += b"* " + command + b" (" + b" ".join(attrs) + b') "/" ' + folder.wire + b"\r\n"
            if command == b"LIST" and status_items:
                out += b"* STATUS " + folder.wire + b" " + self._status(folder, status_items) + b"\r\n"
        return out

    @staticmethod
    def _status(folder: ZimbraFolder, items: list[bytes] | None = None) -> bytes:
        values = {
            b"MESSAGES": folder.messages, b"RECENT": 0, b"UIDNEXT": folder.uidnext,
            b"UIDVALIDITY": folder.uidvalidity, b"UNSEEN": folder.unseen, b"HIGHESTMODSEQ": folder.highestmodseq,
        }
        wanted = items or [b"MESSAGES", b"UIDNEXT", b"UIDVALIDITY", b"UNSEEN", b"HIGHESTMODSEQ"]
        return b"(" + b" ".join(k + b" " + str(values[k]).encode() for k in wanted if k in values) + b")"

    @staticmethod
    def _select(folder: ZimbraFolder) -> bytes:
        return (
            b"* %d EXISTS\r\n* 0 RECENT\r\n" % folder.messages
            + b"* OK [UIDVALIDITY %d] UIDs are valid for this mailbox\r\n" % folder.uidvalidity
            + b"* OK [UIDNEXT %d] next expected UID is %d\r\n" % (folder.uidnext, folder.uidnext)
            + b"* FLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen $Forwarded $MDNSent Forwarded"
            b" $Junk $NotJunk)\r\n"
            + b"* OK [PERMANENTFLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen $Forwarded $MDNSent Forwarded"
            b" \\*)] junk-related flags are not permanent\r\n"
            + b"* OK [HIGHESTMODSEQ %d] modseq tracked on this mailbox\r\n" % folder.highestmodseq
        )


__all__ = ["ZIMBRA_CAPABILITIES", "ZimbraFolder", "ZimbraImapServer", "encode_mutf7", "mail_go_th_folders"]
