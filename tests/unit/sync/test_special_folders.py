"""Special folders on servers without SPECIAL-USE, and Delete where there is no Trash,
on the scripted fake server.

Zimbra (mail.go.th) names its special folders only in XLIST replies; Courier has
none at all and keeps every folder under ``INBOX.``; some servers send the RFC
6154 attributes without advertising SPECIAL-USE.
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import ActionRefused
from govmail_desktop.net.imap.client import ImapCommandError
from govmail_desktop.store.op_queue import OpKind
from govmail_desktop.sync import offline
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.engine import sync_account
from govmail_desktop.sync.folder_list import apply_chosen_folders, create_special_folder, sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync
from tests.unit.sync.conftest import cached_state
from tests.unit.sync.fake_server import BASIC_CAPS, FULL_CAPS
from tests.unit.sync.fake_special import SpecialFoldersServer, zimbra_server

ROLES = {
    "Sent": SpecialUse.SENT, "Drafts": SpecialUse.DRAFTS, "Trash": SpecialUse.TRASH, "Junk": SpecialUse.JUNK,
}


def roles_in(cache):
    return {c.name: c.folder.special_use for c in cache.folders() if c.folder.special_use}


def test_zimbra_special_folders_come_from_xlist(cache, listener):
    server = zimbra_server()
    server.add_folder("Sentinel")  # a name that only starts like "Sent"
    conn = prepare(server.connect())
    sync_folder_list(conn, cache, listener)
    assert "XLIST" in conn.commands
    assert roles_in(cache) == ROLES


def test_xlist_aliases_of_gmail_style_servers(cache):
    server = SpecialFoldersServer(("IMAP4REV1", "UIDPLUS", "XLIST"))
    server.add_folder("[Gmail]/Spam", SpecialUse.JUNK)
    server.add_folder("[Gmail]/All Mail", SpecialUse.ALL)
    server.add_folder("[Gmail]/Starred", SpecialUse.FLAGGED)
    server.xlist_names = {SpecialUse.JUNK: "\\Spam", SpecialUse.ALL: "\\AllMail", SpecialUse.FLAGGED: "\\Starred"}
    sync_folder_list(server.connect(), cache)
    assert roles_in(cache) == {
        "[Gmail]/Spam": SpecialUse.JUNK, "[Gmail]/All Mail": SpecialUse.ALL, "[Gmail]/Starred": SpecialUse.FLAGGED,
    }


def test_no_xlist_where_special_use_is_advertised(cache):
    server = SpecialFoldersServer(FULL_CAPS + ("XLIST",))
    server.add_folder("Papierkorb", SpecialUse.TRASH)
    conn = server.connect()
    sync_folder_list(conn, cache)
    assert "XLIST" not in conn.commands
    assert roles_in(cache) == {"Papierkorb": SpecialUse.TRASH}


def test_xlist_refused_falls_back_to_the_names(cache):
    server = zimbra_server()
    conn = server.connect()

    def refuse():
        raise ImapCommandError("fake.go.th", "XLIST", "BAD", b"Unknown command XLIST")

    conn.xlist_folders = refuse
    sync_folder_list(conn, cache)
    assert roles_in(cache) == ROLES  # Zimbra's folder names are the well-known ones


def test_special_use_attributes_sent_without_the_capability_are_used(cache):
    server = SpecialFoldersServer(BASIC_CAPS)
    server.unasked_special_use = True
    server.add_folder("Gesendet", SpecialUse.SENT)
    server.add_folder("Sent", None)  # the attribute wins over the name
    sync_folder_list(server.connect(), cache)
    assert roles_in(cache) == {"Gesendet": SpecialUse.SENT}


def test_courier_folders_under_inbox_with_a_dot_and_thai_names(cache):
    server = SpecialFoldersServer(("IMAP4REV1", "UIDPLUS", "CHILDREN", "NAMESPACE", "IDLE"))
    server.delimiter = "."
    for name in ("INBOX.Trash", "INBOX.Sent", "INBOX.ร่างจดหมาย", "INBOX.จดหมายขยะ", "INBOX.Archives"):
        server.add_folder(name)
    sync_folder_list(server.connect(), cache)
    assert roles_in(cache) == {
        "INBOX.Trash": SpecialUse.TRASH, "INBOX.Sent": SpecialUse.SENT, "INBOX.ร่างจดหมาย": SpecialUse.DRAFTS,
        "INBOX.จดหมายขยะ": SpecialUse.JUNK, "INBOX.Archives": SpecialUse.ARCHIVE,
    }


def test_the_users_choice_wins_and_applies_without_the_server(cache, listener):
    server = zimbra_server()
    server.add_folder("Old Trash")
    sync_folder_list(server.connect(), cache, chosen={SpecialUse.TRASH: "Old Trash"})
    assert roles_in(cache)["Old Trash"] == SpecialUse.TRASH and "Trash" not in roles_in(cache)
    # The user goes back to automatic detection: no LIST needed to show it.
    server.down = True
    assert apply_chosen_folders(cache, {}, listener)
    assert roles_in(cache) == ROLES and listener.of("folders")
    assert not apply_chosen_folders(cache, {}, listener)  # nothing changed: nothing written


def test_sync_account_passes_the_choice_on(cache, listener):
    server = zimbra_server()
    server.add_folder("Mine")
    sync_account(prepare(server.connect()), cache, None, listener, CancelToken(), chosen={SpecialUse.SENT: "Mine"})
    assert roles_in(cache)["Mine"] == SpecialUse.SENT


# -- Delete -----------------------------------------------------------------------------------------


def test_delete_on_zimbra_moves_to_the_trash_found_by_xlist(cache, queue, listener):
    server = zimbra_server()
    server.add_messages("INBOX", 4)
    conn = prepare(server.connect())
    sync_folder_list(conn, cache)
    FolderSync(conn, cache).run("INBOX")
    offline.record_action(cache, queue, listener, OpKind.DELETE, "INBOX", [2, 3])
    result = offline.replay(prepare(server.connect()), cache, queue, listener)
    assert (result.done, result.failed) == (1, 0)
    assert sorted(server.state("INBOX")) == [1, 4]
    assert len(server.folders["Trash"].messages) == 2


def test_delete_without_a_trash_erases_nothing(cache, queue, listener):
    server = zimbra_server(trash=False)
    server.add_messages("INBOX", 3)
    conn = prepare(server.connect())
    sync_folder_list(conn, cache)
    FolderSync(conn, cache).run("INBOX")
    assert offline.trash_folder(cache) is None
    offline.record_action(cache, queue, listener, OpKind.DELETE, "INBOX", [2])
    replay_conn = prepare(server.connect())
    result = offline.replay(replay_conn, cache, queue, listener)
    assert (result.done, result.failed, queue.count()) == (0, 1, 0)
    assert sorted(server.state("INBOX")) == [1, 2, 3]  # nothing expunged, nothing marked
    assert not any(c.startswith(("STORE", "EXPUNGE", "MOVE")) for c in replay_conn.commands)
    assert cached_state(cache, "INBOX") == server.state("INBOX")  # shown again
    ((_, _op_id, outcome, error),) = listener.of("settled")
    assert outcome is Outcome.FAILED and error.reason == ActionRefused.NO_TRASH
    assert "Trash" in error.user_text("en") and "ถังขยะ" in error.user_text("th")


def test_confirmed_permanent_delete_without_a_trash_expunges(cache, queue, listener):
    server = zimbra_server(trash=False)
    server.add_messages("INBOX", 3)
    conn = prepare(server.connect())
    sync_folder_list(conn, cache)
    FolderSync(conn, cache).run("INBOX")
    offline.record_action(cache, queue, listener, OpKind.EXPUNGE, "INBOX", [2])
    assert offline.replay(prepare(server.connect()), cache, queue, listener).done == 1
    assert sorted(server.state("INBOX")) == [1, 3]


# -- creating a missing Trash -----------------------------------------------------------------------


@pytest.mark.parametrize("create_special_use", [True, False])
def test_create_the_trash_and_give_it_the_role(cache, listener, create_special_use):
    server = zimbra_server(trash=False)
    if create_special_use:
        server.capabilities = server.capabilities | {"CREATE-SPECIAL-USE"}
    conn = prepare(server.connect())
    sync_folder_list(conn, cache)
    assert create_special_folder(conn, cache, SpecialUse.TRASH, listener) == "Trash"
    expected = "CREATE Trash (USE (\\Trash))" if create_special_use else "CREATE Trash"
    assert expected in conn.commands and "Trash" in server.subscribed
    assert server.folders["Trash"].special_use == (SpecialUse.TRASH if create_special_use else None)
    assert offline.trash_folder(cache) == "Trash" and listener.of("folders")


def test_create_the_trash_where_the_server_keeps_folders_under_inbox(cache):
    server = SpecialFoldersServer(("IMAP4REV1", "UIDPLUS"))
    server.delimiter = "."
    server.add_folder("INBOX.Sent")
    conn = server.connect()
    sync_folder_list(conn, cache)
    assert create_special_folder(conn, cache, SpecialUse.TRASH) == "INBOX.Trash"
    assert offline.trash_folder(cache) == "INBOX.Trash"


def test_create_the_trash_under_inbox_when_the_top_level_is_refused(cache):
    server = SpecialFoldersServer(("IMAP4REV1", "UIDPLUS"))
    server.delimiter = "."
    server.create_refused = {"Trash"}  # Courier with only an INBOX so far
    conn = server.connect()
    sync_folder_list(conn, cache)
    assert create_special_folder(conn, cache, SpecialUse.TRASH) == "INBOX.Trash"
    assert [c for c in conn.commands if c.startswith("CREATE")] == ["CREATE Trash", "CREATE INBOX.Trash"]


def test_create_the_trash_refused_everywhere_raises_and_changes_nothing(cache):
    server = SpecialFoldersServer(("IMAP4REV1", "UIDPLUS"))
    server.create_refused = {"Trash", "INBOX/Trash"}
    conn = server.connect()
    sync_folder_list(conn, cache)
    with pytest.raises(ImapCommandError):
        create_special_folder(conn, cache, SpecialUse.TRASH)
    assert offline.trash_folder(cache) is None


def test_create_the_trash_that_another_client_just_made(cache):
    server = zimbra_server(trash=False)
    conn = server.connect()
    sync_folder_list(conn, cache)
    server.add_folder("Trash")  # meanwhile, from the web mail
    assert create_special_folder(conn, cache, SpecialUse.TRASH) == "Trash"
    assert offline.trash_folder(cache) == "Trash"
