"""The fake server of fake_server.py with what special-folder detection needs.

Servers without SPECIAL-USE: XLIST answered as Zimbra does (mail.go.th), special-use
attributes sent without being advertised, CREATE (with ``USE`` under
CREATE-SPECIAL-USE) and SUBSCRIBE, ``UID SEARCH DELETED``, and names CREATE
refuses (Courier refuses folders outside ``INBOX.``).
"""

from __future__ import annotations

from collections.abc import Iterable

from govmail_desktop.net import failures
from govmail_desktop.net.imap.client import ImapCommandError
from govmail_desktop.net.imap.grammar import format_sequence_set
from govmail_desktop.net.imap.responses import FolderListing, SearchResult
from tests.unit.sync.fake_server import FakeConnection, FakeServer

#: What mail.go.th's Zimbra advertises (from Zimbra's server source): XLIST, no SPECIAL-USE, no MOVE.
ZIMBRA_CAPS = (
    "IMAP4REV1", "ACL", "BINARY", "CATENATE", "CHILDREN", "CONDSTORE", "ENABLE", "ESEARCH", "ESORT",
    "I18NLEVEL=1", "ID", "IDLE", "LIST-EXTENDED", "LIST-STATUS", "LITERAL+", "LOGIN-REFERRALS",
    "MULTIAPPEND", "NAMESPACE", "QRESYNC", "QUOTA", "RIGHTS=ektx", "SASL-IR", "SEARCHRES", "SORT",
    "THREAD=ORDEREDSUBJECT", "UIDPLUS", "UNSELECT", "WITHIN", "XLIST",
)


class SpecialFoldersServer(FakeServer):
    """A FakeServer whose connections also answer XLIST, CREATE, SUBSCRIBE and SEARCH DELETED."""

    def __init__(self, capabilities: Iterable[str] = ZIMBRA_CAPS) -> None:
        super().__init__(capabilities)
        #: Special-use attributes in LIST replies even without SPECIAL-USE advertised.
        self.unasked_special_use = False
        #: XLIST spelling of a role where it differs from RFC 6154 (Gmail: {"\\Junk": "\\Spam"}).
        self.xlist_names: dict[str, str] = {}
        #: Names CREATE refuses as invalid (Courier: anything outside "INBOX.").
        self.create_refused: set[str] = set()

    def connect(self) -> SpecialFoldersConnection:
        with self.lock:
            if self.down:
                raise failures.network_error(failures.CONNECTION_REFUSED, "fake.go.th", 993, "server down")
            self.connect_count += 1
            conn = SpecialFoldersConnection(self)
            self.connections.append(conn)
            return conn


class SpecialFoldersConnection(FakeConnection):
    server: SpecialFoldersServer

    def list_folders(self, *, with_status: bool = True) -> list[FolderListing]:
        listed = super().list_folders(with_status=with_status)
        if not self.server.unasked_special_use or self.has("SPECIAL-USE"):
            return listed
        with self.server.lock:
            out = []
            for entry in listed:
                box = self.server.folders[entry.name]
                attrs = entry.attributes | ({box.special_use.lower()} if box.special_use else set())
                out.append(FolderListing(entry.name, entry.wire_name, entry.delimiter, attrs, entry.status))
            return out

    def xlist_folders(self) -> list[FolderListing]:
        self._command("XLIST")
        if not self.has("XLIST"):
            raise ImapCommandError("fake.go.th", "XLIST", "BAD", b"Unknown command")
        with self.server.lock:
            out = []
            for box in self.server.folders.values():
                attrs = {"\\hasnochildren"}
                if box.name == "INBOX":
                    attrs.add("\\inbox")
                if box.special_use:
                    attrs.add(self.server.xlist_names.get(box.special_use, box.special_use).lower())
                out.append(FolderListing(box.name, box.name.encode(), self.server.delimiter, frozenset(attrs)))
            return out

    def create(self, folder: str, *, special_use: str | None = None) -> None:
        self._command("CREATE", folder + (f" (USE ({special_use}))" if special_use else ""))
        with self.server.lock:
            if folder in self.server.folders:
                raise ImapCommandError("fake.go.th", "CREATE", "NO", b"[ALREADYEXISTS] Mailbox exists")
            if folder in self.server.create_refused:
                raise ImapCommandError("fake.go.th", "CREATE", "NO", b"Invalid mailbox name.")
            self.server.add_folder(folder, special_use if self.has("CREATE-SPECIAL-USE") else None)

    def subscribe(self, folder: str) -> None:
        self._command("SUBSCRIBE", folder)
        with self.server.lock:
            self.server.subscribed.add(folder)

    def uid_search(self, criteria: str = "ALL") -> SearchResult:
        if criteria != "DELETED":
            return super().uid_search(criteria)
        self._command("SEARCH", criteria)
        with self.server.lock:
            box = self._box()
            uids = [u for u in box.sorted_uids() if "\\Deleted" in box.messages[u].flags]
            return SearchResult(format_sequence_set(uids) if uids else "", len(uids))


def zimbra_server(*, trash: bool = True) -> SpecialFoldersServer:
    """mail.go.th as the app sees it: Zimbra's capabilities, Sent/Drafts/Trash/Junk
    known only from XLIST (LIST carries no special-use attributes)."""
    server = SpecialFoldersServer(ZIMBRA_CAPS)
    server.add_folder("Sent", "\\Sent")
    server.add_folder("Drafts", "\\Drafts")
    if trash:
        server.add_folder("Trash", "\\Trash")
    server.add_folder("Junk", "\\Junk")
    return server
