"""Delete on a Dovecot that answers as mail.go.th's Zimbra does.

The test Dovecot advertises exactly Zimbra's capabilities (``imap_capability``): no
SPECIAL-USE and no MOVE, so the Trash is found through XLIST (Dovecot answers it as a
LIST carrying its special-use attributes) or, with no attributes configured, by its
name; a move is COPY + STORE \\Deleted + UID EXPUNGE. A third variant has no Trash at
all: nothing may be expunged without the user's explicit "delete permanently".
What the server holds is read with imapclient (an independent parser).
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from govmail_desktop.core.entities import Flag, SpecialUse
from govmail_desktop.services.mailbox_types import DONE
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.services.sync_service import SyncService, imap_connector
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from govmail_desktop.sync import offline
from govmail_desktop.sync.folder_list import sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync
from govmail_desktop.sync.listener import SyncListener
from tests.gui.conftest import OFFSCREEN_NOISE, compiled_translations, language_controller, make_main_window  # noqa: F401
from tests.integration.sync_helpers import cache_state, fill, open_wire, server_state
from tests.servers.dovecot import zimbra_profile
from tests.servers.fake_net import loopback_policy

pytestmark = pytest.mark.integration

USER = "alice"


@pytest.fixture
def stores(tmp_path):
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    yield cache, queue
    cache.close()
    queue.close()


def message_ids(server, folder: str) -> dict[int, str]:
    """{uid: Message-ID} of a folder, read with imapclient."""
    with server.imap(USER) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        if not uids:
            return {}
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        return {
            uid: data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip()
            for uid, data in fetched.items()
        }


def recording(wire) -> list[bytes]:
    sent: list[bytes] = []
    real_send = wire.transport.send

    def send(data: bytes) -> object:
        sent.append(data)
        return real_send(data)

    wire.transport.send = send
    return sent


@pytest.mark.parametrize("special_use", [True, False], ids=["attributes-via-xlist", "names-only"])
def test_delete_moves_exactly_the_deleted_messages_to_the_trash(fresh_dovecot, stores, special_use):
    server = fresh_dovecot(**zimbra_profile(special_use=special_use))
    cache, queue = stores
    uids = fill(server, USER, "INBOX", 6, prefix="หนังสือเวียน")
    inbox_before = message_ids(server, "INBOX")
    trash_before = message_ids(server, "Trash")
    wire = open_wire(server, USER)
    sent = recording(wire)
    try:
        assert not wire.has("SPECIAL-USE") and not wire.has("MOVE") and wire.has("XLIST")
        sync_folder_list(wire, cache)
        FolderSync(wire, cache).run("INBOX")
        assert offline.trash_folder(cache) == "Trash"
        roles = {c.name: c.folder.special_use for c in cache.folders() if c.folder.special_use}
        assert roles == {"Sent": SpecialUse.SENT, "Drafts": SpecialUse.DRAFTS, "Trash": SpecialUse.TRASH,
                         "Junk": SpecialUse.JUNK}
        doomed = [uids[1], uids[4]]
        offline.record_action(cache, queue, SyncListener(), OpKind.DELETE, "INBOX", doomed)
        result = offline.replay(wire, cache, queue)
    finally:
        wire.logout()
    assert (result.done, result.failed) == (1, 0)
    commands = b"".join(sent)
    assert b"UID MOVE" not in commands and b"UID COPY" in commands and b"UID EXPUNGE" in commands
    inbox_after = message_ids(server, "INBOX")
    trash_after = message_ids(server, "Trash")
    assert inbox_after == {uid: mid for uid, mid in inbox_before.items() if uid not in doomed}
    assert sorted(trash_after.values()) == sorted(
        list(trash_before.values()) + [inbox_before[uid] for uid in doomed]
    )
    assert cache_state(cache, "INBOX") == server_state(server, USER, "INBOX")


def test_without_a_trash_nothing_is_expunged_until_the_user_confirms(fresh_dovecot, stores):
    server = fresh_dovecot(**zimbra_profile(trash=False))
    cache, queue = stores
    uids = fill(server, USER, "INBOX", 4)
    before = server_state(server, USER, "INBOX")
    listener = SyncListener()
    wire = open_wire(server, USER)
    sent = recording(wire)
    try:
        sync_folder_list(wire, cache)
        FolderSync(wire, cache).run("INBOX")
        assert offline.trash_folder(cache) is None
        sent.clear()
        # A plain Delete (what a default or a stale queued action would do): refused, rolled back.
        offline.record_action(cache, queue, listener, OpKind.DELETE, "INBOX", uids[:2])
        refused = offline.replay(wire, cache, queue, listener)
        assert (refused.done, refused.failed) == (0, 1)
        assert server_state(server, USER, "INBOX") == before  # nothing expunged, nothing marked
        commands = [line.split(b" ")[1:3] for line in sent]
        assert not any(b"EXPUNGE" in c or b"STORE" in c or b"MOVE" in c or b"COPY" in c for c in commands), commands
        assert cache_state(cache, "INBOX") == before  # shown again
        # The user confirmed "Delete Permanently": now, and only now, it is erased.
        offline.record_action(cache, queue, listener, OpKind.EXPUNGE, "INBOX", [uids[0]])
        confirmed = offline.replay(wire, cache, queue, listener)
    finally:
        wire.logout()
    assert confirmed.done == 1
    assert server_state(server, USER, "INBOX") == {uid: flags for uid, flags in before.items() if uid != uids[0]}
    assert "Trash" not in {f.name for f in cache.folders()}


# -- the window on the real engine: "Create Trash Folder" ---------------------------------------


@pytest.mark.gui
@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_create_trash_from_the_window_then_the_messages_move_there(fresh_dovecot, make_main_window, qtbot):
    from govmail_desktop.wiring.mailboxes import attach_mailboxes
    from tests.gui.mailbox_helpers import offscreen_tray

    server = fresh_dovecot(**zimbra_profile(trash=False))
    uids = fill(server, USER, "INBOX", 5, prefix="หนังสือด่วน")
    inbox_before = message_ids(server, "INBOX")
    account = SimpleNamespace(
        id=f"zimbra-{uuid.uuid4().hex[:8]}", address=f"{USER}@localhost", display_name="Alice",
        login=USER, imap=SimpleNamespace(host="127.0.0.1", port=server.imaps_port, security="tls"),
    )
    policy = loopback_policy(ca_file=server.ca_file)

    def factory(acct, cache, queue):
        service = SyncService(cache, queue, imap_connector(acct, lambda: server.users[USER], policy, timeout=15))
        adapter = EngineSyncAdapter(service, cache, queue)
        service.setParent(adapter)
        return adapter

    under = make_main_window()
    mailboxes = attach_mailboxes(
        under.window, under.settings, under.bridge, [account], sync_factory=factory,
        tray_factory=offscreen_tray, mark_read_on_view=False,
    )
    try:
        service = mailboxes.accounts[0].service
        model = mailboxes.accounts[0].models.message_model
        qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=20_000)
        assert service.special_folder_id(SpecialUse.TRASH) is None
        assert service.delete(uids[:1]) is None  # no Trash, not confirmed: nothing happens
        qtbot.waitUntil(lambda: service.connection_state != "offline", timeout=20_000)
        with qtbot.waitSignal(service.action_settled, timeout=20_000) as settled:  # the delete, once created
            assert service.create_trash_and_delete([uids[0], uids[3]])
        assert settled.args[1] == DONE
        assert service.special_folder_id(SpecialUse.TRASH) == service.cache.folder_id("Trash")
    finally:
        mailboxes.shutdown()
    with server.imap(USER) as client:
        assert "Trash" in {name for _flags, _delim, name in client.list_folders()}
    moved = [inbox_before[uids[0]], inbox_before[uids[3]]]
    assert sorted(message_ids(server, "Trash").values()) == sorted(moved)
    assert set(message_ids(server, "INBOX")) == set(uids) - {uids[0], uids[3]}
    assert Flag.DELETED not in set().union(*server_state(server, USER, "INBOX").values())
