"""mail.go.th's Zimbra as a transcript: XLIST, which no server of the interop matrix answers
as Zimbra does (tests/servers/fake_zimbra.py; the rest of the matrix is test_interop.py).

The app connects through the policy over STARTTLS and over implicit TLS, logs in,
lists the folders (LIST with LIST-EXTENDED and LIST-STATUS, no special-use
attributes) and, because XLIST is advertised and SPECIAL-USE is not, asks XLIST:
Sent, Drafts, Trash and Junk (``\\Spam``) come from there; the Thai folder arrives
decoded; Zimbra's Chats and Contacts folders get no role. Then it selects the Inbox.
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.engine import folders_in_sync_order
from govmail_desktop.sync.folder_list import sync_folder_list
from tests.servers.fake_net import loopback_policy
from tests.servers.fake_zimbra import ZimbraImapServer

pytestmark = [pytest.mark.integration, pytest.mark.interop]

USERS = {"somchai": "Somchai2569pass"}


@pytest.fixture(params=["starttls", "tls"])
def zimbra(request, certs):
    server = ZimbraImapServer(certs.server, users=USERS, implicit_tls=request.param == "tls")
    yield request.param, server
    server.stop()


def test_zimbra_folders_and_special_folders_from_xlist(zimbra, certs, tmp_path):
    security, server = zimbra
    policy = loopback_policy(ca_file=certs.ca_file)
    session = ImapSession.connect(Endpoint("127.0.0.1", server.port, security), policy, timeout=10)
    try:
        session.login("somchai", USERS["somchai"])
    except BaseException:
        session.close()
        raise
    wire = wire_from_session(session, timeout=10)
    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        prepare(wire)
        assert wire.has("XLIST") and not wire.has("SPECIAL-USE") and not wire.has("MOVE")
        sync_folder_list(wire, cache)
        info = wire.select("INBOX")
        assert (info.uidvalidity, info.uidnext, info.exists) == (2, 268, 3)
    finally:
        wire.logout()
    roles = {c.name: c.folder.special_use for c in cache.folders()}
    assert roles == {
        "INBOX": None,
        "Chats": None,
        "Contacts": None,
        "Emailed Contacts": None,
        "Drafts": SpecialUse.DRAFTS,
        "Junk": SpecialUse.JUNK,
        "Sent": SpecialUse.SENT,
        "Trash": SpecialUse.TRASH,
        "งานสารบรรณ": None,
    }
    thai = cache.folder(cache.folder_id("งานสารบรรณ"))
    assert (thai.server_messages, thai.server_unseen) == (4, 2)  # LIST-STATUS counts
    order = [c.name for c in folders_in_sync_order(cache.folders())]
    assert order[:5] == ["INBOX", "Drafts", "Sent", "Junk", "Trash"]
    # The password went over TLS only; XLIST was asked; nothing outside the transcript.
    assert server.transcript.logins == [("somchai", True)]
    assert "XLIST" in server.transcript.commands
    assert server.transcript.unexpected == []
    cache.close()
