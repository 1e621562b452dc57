"""Folder list sync: LIST with SPECIAL-USE (and LIST-STATUS counts) into the cache.

Thai folder names arrive in modified UTF-7 and are stored decoded. Special
folders are recognised by their RFC 6154 attribute, so a server whose Sent
folder is called "จดหมายที่ส่งแล้ว" or "Sent Items" is handled the same way.
Without LIST-STATUS the counts come from one STATUS per folder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from govmail_desktop.core.entities import Folder, FolderStatus, SpecialUse
from govmail_desktop.core.errors import ServerError
from govmail_desktop.net.imap_wire import FolderListing
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.listener import SyncListener

log = logging.getLogger(__name__)

#: Beyond this many folders, counts without LIST-STATUS are not worth one STATUS each.
MAX_STATUS_COMMANDS = 200


@dataclass
class FolderListResult:
    ids: dict[str, int]  # folder name -> cache id
    added: list[str]
    removed: list[str]


def folder_of(listing: FolderListing) -> Folder:
    """The entity for one LIST response."""
    attributes = listing.attributes
    subscribed = True
    if "\\subscribed" in attributes or "\\nonexistent" in attributes:
        subscribed = "\\subscribed" in attributes
    return Folder(
        name=listing.name,
        delimiter=listing.delimiter,
        special_use=SpecialUse.from_attributes(attributes),
        attributes=frozenset(a for a in attributes if a != "\\subscribed"),
        subscribed=subscribed,
    )


def _status_of(values: dict[str, int]) -> FolderStatus:
    return FolderStatus(
        uidvalidity=values.get("UIDVALIDITY"),
        uidnext=values.get("UIDNEXT"),
        highestmodseq=values.get("HIGHESTMODSEQ"),
        messages=values.get("MESSAGES"),
        unseen=values.get("UNSEEN"),
    )


def sync_folder_list(
    conn: MailboxConnection,
    cache: MailCache,
    listener: SyncListener | None = None,
    cancel: CancelToken | None = None,
) -> FolderListResult:
    """LIST the server's folders, store them (dropping deleted ones) and their counts."""
    listener = listener or SyncListener()
    before = {f.name for f in cache.folders()}
    listings = [entry for entry in conn.list_folders(with_status=True) if "\\nonexistent" not in entry.attributes]
    if not any(entry.name == "INBOX" for entry in listings):
        # RFC 3501: INBOX always exists, even when a server forgets to list it.
        listings.append(FolderListing("INBOX", b"INBOX", "/", frozenset()))
    folders = [folder_of(entry) for entry in listings]
    ids = cache.upsert_folders(folders, remove_missing=True)
    statuses: dict[int, FolderStatus] = {}
    need_status = [entry for entry in listings if not entry.status and entry.selectable]
    if need_status and len(need_status) <= MAX_STATUS_COMMANDS:
        for entry in need_status:
            if cancel is not None:
                cancel.check()
            try:
                entry.status.update(conn.status(entry.name))
            except ServerError as exc:  # e.g. a folder deleted meanwhile
                log.info("STATUS of a folder failed: %s", exc.detail)
    for entry in listings:
        if entry.status and entry.name in ids:
            statuses[ids[entry.name]] = _status_of(entry.status)
    if statuses:
        cache.set_server_status(statuses)
    after = set(ids)
    result = FolderListResult(ids, sorted(after - before), sorted(before - after))
    listener.folders_changed()
    log.info("Folder list: %d folders (%d new, %d gone)", len(ids), len(result.added), len(result.removed))
    return result
