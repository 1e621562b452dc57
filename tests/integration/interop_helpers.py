"""The servers of the interoperability matrix, and an independent view of what they hold.

Kinds (tests/integration/test_interop.py runs every user scenario on each):

* ``dovecot`` — the suite's Dovecot (SPECIAL-USE, MOVE, QRESYNC; folders at the top, ``/``);
* ``zimbra-profile`` — Dovecot advertising exactly Zimbra's capabilities
  (``imap_capability``: XLIST, no SPECIAL-USE, no MOVE), special-use configured;
* ``zimbra-profile-names`` — the same without special-use attributes: only the names
  Sent, Drafts, Trash, Junk say what the folders are;
* ``cyrus`` — Cyrus IMAP 3.6 (Debian's configuration: folders under ``INBOX.``, ``.``);
* ``courier`` — Courier-IMAP 5.0 (``INBOX.``, ``.``, no special-use, no UIDNEXT in
  SELECT, quoted HEADER.FIELDS echo, no CONDSTORE/QRESYNC, IDLE by polling).

Servers start once per test session, on first use, with the default users plus one
user per scenario (scenarios do not see each other's mail). A server that cannot be
started fails the test with what is missing; nothing is skipped.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import ImapWire, wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import prepare
from tests.integration.sync_helpers import make_message
from tests.servers.certs import TestCertificates
from tests.servers.courier import CourierServer
from tests.servers.cyrus import CyrusServer
from tests.servers.debian_pkgs import MissingPrerequisite
from tests.servers.dovecot import DEFAULT_USERS, DovecotError, DovecotServer, append_message, zimbra_profile
from tests.servers.fake_net import loopback_policy
from tests.servers.packaged import ServerStartError, ensure_mailbox
from tests.servers.seed import SeededMessage, _internal_date, load_manifest, sample_bytes

KINDS = ("dovecot", "zimbra-profile", "zimbra-profile-names", "cyrus", "courier")
#: Kinds run from unpacked Debian packages: beyond the short slice, only in `make test-interop`.
PACKAGED = frozenset({"cyrus", "courier"})

#: One mailbox per scenario (password rule of mail.go.th: upper, lower, digits).
SCENARIO_USERS = {
    name: f"{name.capitalize()}2569pass"
    for name in ("login", "folders", "samples", "resync", "trash", "move", "purge", "idle", "attachments")
}


@dataclass
class Interop:
    """One server of the matrix, as the scenarios see it."""

    kind: str
    server: Any  # DovecotServer | CyrusServer | CourierServer
    #: {role (SpecialUse.TRASH ...): the server's folder name} of a new mailbox.
    roles: dict[str, str] = field(default_factory=dict)
    start_seconds: float = 0.0

    @property
    def users(self) -> dict[str, str]:
        return self.server.users

    def mailbox(self, path: str) -> str:
        """The server's name of folder ``path`` (``/`` between levels in tests)."""
        mailbox = getattr(self.server, "mailbox", None)
        return mailbox(path) if mailbox else path

    def deliver(self, user: str, message: bytes) -> None:
        self.server.deliver(user, message)

    def imap(self, user: str):
        return self.server.imap(user)

    def has(self, capability: str, user: str = "login") -> bool:
        with self.imap(user) as client:
            return capability.encode() in client.capabilities()


class InteropServers:
    """Starts each kind on first use; ``cleanup()`` stops them all."""

    def __init__(self, certs: TestCertificates) -> None:
        self.certs = certs
        self._servers: dict[str, Interop] = {}
        self._failures: dict[str, str] = {}

    def get(self, kind: str) -> Interop:
        if kind in self._failures:
            pytest.fail(self._failures[kind], pytrace=False)
        if kind not in self._servers:
            try:
                self._servers[kind] = self._start(kind)
            except (MissingPrerequisite, ServerStartError, DovecotError) as exc:
                self._failures[kind] = f"{kind}: the test server could not be started: {exc}"
            if kind in self._failures:  # outside the except: the report shows only the reason
                pytest.fail(self._failures[kind], pytrace=False)
        return self._servers[kind]

    def _start(self, kind: str) -> Interop:
        users = {**DEFAULT_USERS, **SCENARIO_USERS}
        began = time.monotonic()
        if kind in ("dovecot", "zimbra-profile", "zimbra-profile-names"):
            profile = {} if kind == "dovecot" else zimbra_profile(special_use=kind == "zimbra-profile")
            server: Any = DovecotServer(certs=self.certs, users=users, **profile)
            names = server.special_folders
            roles = {f"\\{name}": name for name in names}
        elif kind == "cyrus":
            server = CyrusServer(certs=self.certs, users=users)
            roles = {role: server.mailbox(name) for role, name in server.special_folders.items()}
        elif kind == "courier":
            server = CourierServer(certs=self.certs, users=users)
            roles = {role: server.mailbox(name) for role, name in server.special_folders.items()}
        else:
            raise ValueError(kind)
        try:
            server.start()
        except BaseException:
            server.cleanup()
            raise
        return Interop(kind, server, roles, time.monotonic() - began)

    def cleanup(self) -> None:
        for interop in self._servers.values():
            interop.server.cleanup()
        self._servers.clear()


# -- the app's own connection path -------------------------------------------------------------
def open_app_wire(
    interop: Interop, user: str, *, security: str = "tls", password: str | None = None, timeout: float = 15.0
) -> ImapWire:
    """A logged-in connection of the sync engine, through the policy (STARTTLS or implicit TLS)."""
    server = interop.server
    port = server.imaps_port if security == "tls" else server.imap_port
    policy = loopback_policy(ca_file=server.ca_file)
    session = ImapSession.connect(Endpoint("127.0.0.1", port, security), policy, timeout=timeout)
    try:
        session.login(user, interop.users[user] if password is None else password)
    except BaseException:
        session.close()
        raise
    wire = wire_from_session(session, timeout=timeout)
    prepare(wire)
    return wire


@contextlib.contextmanager
def app_wire(interop: Interop, user: str, **kwargs: Any) -> Iterator[ImapWire]:
    wire = open_app_wire(interop, user, **kwargs)
    try:
        yield wire
    finally:
        wire.logout()


# -- filling mailboxes (imapclient: not the app's code) -----------------------------------------
def seed_samples(interop: Interop, user: str) -> list[SeededMessage]:
    """APPEND the tests/data samples of seed.json (alice's) into ``user``'s mailbox.

    ``Sent`` goes to the server's Sent folder; other folders keep their (Thai) names
    under the server's personal namespace.
    """
    seeded = []
    with interop.imap(user) as client:
        for entry in load_manifest()["messages"]:
            if entry["user"] != "alice":
                continue
            path = entry["folder"]
            name = interop.roles[SpecialUse.SENT] if path == "Sent" else ensure_mailbox(client, interop.server, path)
            raw = sample_bytes(entry["file"])
            uid = append_message(client, name, raw, entry.get("flags", ()), _internal_date(raw))
            seeded.append(SeededMessage(entry["file"], user, name, uid, entry.get("expect", {})))
    return seeded


def append_fresh(interop: Interop, user: str, path: str, count: int, *, prefix: str = "เรื่อง") -> list[str]:
    """APPEND ``count`` new messages (dated now) to folder ``path``; returns their Message-IDs."""
    ids = []
    with interop.imap(user) as client:
        name = ensure_mailbox(client, interop.server, path)
        for i in range(count):
            message_id = f"<{uuid.uuid4().hex}@agency.go.th>"
            flags = ["\\Seen"] if i % 3 == 0 else []
            append_message(client, name, make_message(f"{prefix} {i}", message_id=message_id), flags)
            ids.append(message_id)
    return ids


# -- the independent view: imapclient, explicit UID lists ---------------------------------------
@dataclass(frozen=True)
class Row:
    flags: frozenset[str]
    size: int
    message_id: str


def server_view(interop: Interop, user: str, folder: str) -> dict[int, Row]:
    """{uid: flags, size, Message-ID} of a folder as the server reports it (imapclient)."""
    with interop.imap(user) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        view: dict[int, Row] = {}
        for start in range(0, len(uids), 200):
            chunk = uids[start : start + 200]
            for uid, data in client.fetch(chunk, ["FLAGS", "RFC822.SIZE", "ENVELOPE"]).items():
                flags = {f.decode() if isinstance(f, bytes) else f for f in data[b"FLAGS"]}
                envelope = data[b"ENVELOPE"]
                mid = envelope.message_id.decode() if envelope.message_id else ""
                view[uid] = Row(frozenset(flags - {"\\Recent"}), int(data[b"RFC822.SIZE"]), mid.strip())
        return view


def cache_view(cache: MailCache, folder: str) -> dict[int, Row]:
    fid = cache.folder_id(folder)
    assert fid is not None, f"{folder} is not in the cache"
    view = {}
    for uid in cache.known_uids(fid):
        summary = cache.summary(fid, uid)
        assert summary is not None
        view[uid] = Row(frozenset(summary.flags), summary.size, (summary.message_id or "").strip())
    return view


def message_ids(view: dict[int, Row]) -> list[str]:
    return sorted(row.message_id for row in view.values())


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


__all__ = [
    "KINDS",
    "PACKAGED",
    "SCENARIO_USERS",
    "Interop",
    "InteropServers",
    "Row",
    "app_wire",
    "append_fresh",
    "cache_view",
    "message_ids",
    "open_app_wire",
    "seed_samples",
    "server_view",
    "wait_until",
]
