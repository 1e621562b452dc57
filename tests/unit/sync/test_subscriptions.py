"""Which folders the periodic sync checks: the subscribed ones, as the server says.

With LIST-EXTENDED the client asks ``LIST ... RETURN (SUBSCRIBED)``; without it, LSUB.
A folder the server does not mark subscribed stays in the cached list (the folder
tree shows it and opening it syncs it) but ``sync_account`` skips it. The INBOX and
the special folders (Drafts, Sent, Archive, Junk, Trash) are always checked. Where
the server says nothing about subscriptions (LSUB refused, or no folder subscribed
at all) every folder counts as subscribed, as before.
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.net.imap.responses import FolderListing
from govmail_desktop.sync.connection import prepare
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.engine import folders_in_sync_order, sync_account
from govmail_desktop.sync.folder_list import folder_of, sync_folder_list
from govmail_desktop.sync.folder_sync import SyncOptions
from tests.unit.sync.fake_server import BASIC_CAPS, COURIER_CAPS, FULL_CAPS, FakeServer


def _server(caps: tuple[str, ...]) -> FakeServer:
    """INBOX, Sent, Trash, a subscribed "โครงการ" and an unsubscribed "เก่า 2560" (none of
    the special folders subscribed either)."""
    server = FakeServer(caps)
    server.add_folder("Sent", SpecialUse.SENT)
    server.add_folder("Trash", SpecialUse.TRASH)
    server.add_folder("โครงการ")
    server.add_folder("เก่า 2560")
    for name in server.folders:
        server.add_messages(name, 2)
    server.subscribed = {"โครงการ"}
    return server


def _synced(server: FakeServer, cache, listener) -> set[str]:
    results = sync_account(prepare(server.connect()), cache, None, listener, CancelToken(), SyncOptions())
    return {r.folder for r in results}


@pytest.mark.parametrize("caps", [FULL_CAPS, BASIC_CAPS], ids=["list-extended", "lsub"])
def test_unsubscribed_folder_is_kept_in_the_list_but_not_synced(caps, cache, listener):
    server = _server(caps)
    assert _synced(server, cache, listener) == {"INBOX", "Sent", "Trash", "โครงการ"}
    by_name = {f.name: f.folder for f in cache.folders()}
    assert set(by_name) == {"INBOX", "Sent", "Trash", "โครงการ", "เก่า 2560"}  # still listed (tree)
    assert not by_name["เก่า 2560"].subscribed and by_name["โครงการ"].subscribed
    assert list(cache.known_uids(cache.folder_id("เก่า 2560"))) == []


@pytest.mark.parametrize(
    ("caps", "asks_lsub"), [(FULL_CAPS, False), (BASIC_CAPS, True), (COURIER_CAPS, True)],
    ids=["list-extended", "basic", "courier"],
)
def test_lsub_only_without_list_extended(caps, asks_lsub, cache):
    conn = _server(caps).connect()
    sync_folder_list(conn, cache)
    assert ("LSUB" in conn.commands) is asks_lsub


def test_subscribing_again_brings_the_folder_back(cache, listener):
    server = _server(FULL_CAPS)
    assert "เก่า 2560" not in _synced(server, cache, listener)
    server.subscribed.add("เก่า 2560")
    assert "เก่า 2560" in _synced(server, cache, listener)
    assert cache.folder(cache.folder_id("เก่า 2560")).folder.subscribed


def test_a_folder_chosen_as_a_special_folder_is_synced_unsubscribed(cache, listener):
    server = _server(FULL_CAPS)
    results = sync_account(
        prepare(server.connect()), cache, None, listener, CancelToken(), SyncOptions(),
        chosen={SpecialUse.ARCHIVE: "เก่า 2560"},
    )
    assert "เก่า 2560" in {r.folder for r in results}


@pytest.mark.parametrize("why", ["lsub-refused", "lsub-empty", "nothing-subscribed"])
def test_no_subscription_information_means_every_folder_is_synced(why, cache, listener):
    server = _server(FULL_CAPS if why == "nothing-subscribed" else BASIC_CAPS)
    if why == "lsub-refused":
        server.refuse["LSUB"] = None
    else:
        server.subscribed = set()
    assert _synced(server, cache, listener) == {"INBOX", "Sent", "Trash", "โครงการ", "เก่า 2560"}
    assert all(f.folder.subscribed for f in cache.folders())


def test_folder_of_with_and_without_subscription_information():
    plain = FolderListing("Old", b"Old", "/", frozenset({"\\hasnochildren"}))
    marked = FolderListing("New", b"New", "/", frozenset({"\\subscribed"}))
    assert folder_of(plain).subscribed  # nothing known: subscribed, as before
    assert not folder_of(plain, subscriptions_known=True).subscribed
    assert folder_of(marked, subscriptions_known=True).subscribed
    assert "\\subscribed" not in folder_of(marked, subscriptions_known=True).attributes


def test_sync_order_keeps_inbox_and_special_folders_unsubscribed(cache):
    server = _server(FULL_CAPS)
    sync_folder_list(server.connect(), cache)
    order = [f.name for f in folders_in_sync_order(cache.folders())]
    assert order == ["INBOX", "Sent", "Trash", "โครงการ"]
    assert not any(f.folder.subscribed for f in cache.folders() if f.name in ("INBOX", "Sent", "Trash"))

