"""Folder list sync: LIST with SPECIAL-USE (and LIST-STATUS counts) into the cache.

Thai folder names arrive in modified UTF-7 and are stored decoded. Which
folder is Sent, Drafts, Trash, Junk or Archive is decided in one place,
``core/folder_roles.py``: the user's or the policy's choice, then the server's
RFC 6154 attributes (used whenever LIST carries them, asked for when
SPECIAL-USE is advertised), then XLIST (asked for when the server advertises
XLIST but not SPECIAL-USE: mail.go.th's Zimbra), then well-known English and
Thai names at any level (``INBOX.Trash`` on Courier). Without LIST-STATUS the
counts come from one STATUS per folder.

Subscriptions: LIST marks the subscribed folders ``\\Subscribed`` where the server
offers LIST-EXTENDED (the client asks ``RETURN (SUBSCRIBED)``); elsewhere LSUB names
them. A folder the server does not mark stays in the list (the folder tree shows
it, opening it syncs it) as unsubscribed, which the periodic sync skips
(``engine.folders_in_sync_order``; the INBOX and the special folders are checked
all the same). Where the server says nothing about subscriptions (LSUB refused or
empty, or no folder marked at all: accounts that never subscribed anything) every
folder counts as subscribed.

:func:`create_special_folder` makes a missing one (the user asked for a Trash).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace

from govmail_desktop.core.entities import Folder, FolderStatus, SpecialUse
from govmail_desktop.core.errors import ServerError
from govmail_desktop.core.folder_roles import WELL_KNOWN_NAMES, resolve_special_folders, xlist_attributes
from govmail_desktop.net.imap.client import ImapCommandError
from govmail_desktop.net.imap.responses import FolderListing
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


def folder_of(
    listing: FolderListing, xlist: frozenset[str] = frozenset(), *, subscriptions_known: bool = False
) -> Folder:
    """The entity for one LIST response (``xlist``: the same folder's XLIST attributes).

    XLIST attributes count only where LIST gave no special-use attribute of its own.
    ``subscriptions_known``: the server said which folders are subscribed, so one
    without ``\\Subscribed`` is not (otherwise every existing folder counts as subscribed).
    """
    attributes = listing.attributes
    if xlist and SpecialUse.from_attributes(attributes) is None:
        attributes = attributes | xlist_attributes(xlist)
    subscribed = "\\subscribed" in attributes or not (subscriptions_known or "\\nonexistent" in attributes)
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


def _xlist(conn: MailboxConnection) -> dict[bytes, frozenset[str]]:
    """XLIST attributes by wire name, on a server that offers XLIST but not SPECIAL-USE."""
    if not conn.has("XLIST") or conn.has("SPECIAL-USE"):
        return {}
    try:
        return {entry.wire_name: entry.attributes for entry in conn.xlist_folders()}
    except ServerError as exc:  # advertised but refused: the names still work
        log.info("XLIST failed; special folders from their names: %s", exc.detail)
        return {}


def _wire_key(wire_name: bytes) -> bytes:
    return b"INBOX" if wire_name.upper() == b"INBOX" else wire_name


def _with_lsub(conn: MailboxConnection, listings: list[FolderListing]) -> list[FolderListing]:
    """Without LIST-EXTENDED, the folders LSUB names get ``\\subscribed`` as LIST-EXTENDED gives it."""
    if conn.has("LIST-EXTENDED"):
        return listings
    try:
        names = {_wire_key(entry.wire_name) for entry in conn.lsub_folders()}
    except ServerError as exc:  # refused: nothing known, every folder counts as subscribed
        log.info("LSUB failed; every folder counts as subscribed: %s", exc.detail)
        return listings
    return [
        replace(entry, attributes=entry.attributes | {"\\subscribed"}) if _wire_key(entry.wire_name) in names else entry
        for entry in listings
    ]


def sync_folder_list(
    conn: MailboxConnection,
    cache: MailCache,
    listener: SyncListener | None = None,
    cancel: CancelToken | None = None,
    chosen: Mapping[str, str] | None = None,
) -> FolderListResult:
    """LIST the server's folders, store them (dropping deleted ones) and their counts.

    ``chosen``: {role: folder name} picked by the policy or the user
    (``core.folder_roles.chosen_roles``); it wins over what the server says.
    """
    listener = listener or SyncListener()
    before = {f.name for f in cache.folders()}
    listed = _with_lsub(conn, conn.list_folders(with_status=True))
    subscriptions_known = any("\\subscribed" in entry.attributes for entry in listed)
    listings = [entry for entry in listed if "\\nonexistent" not in entry.attributes]
    if not any(entry.name == "INBOX" for entry in listings):
        # RFC 3501: INBOX always exists, even when a server forgets to list it.
        listings.append(FolderListing("INBOX", b"INBOX", "/", frozenset()))
    xlist = _xlist(conn)
    folders = resolve_special_folders(
        [
            folder_of(entry, xlist.get(entry.wire_name, frozenset()), subscriptions_known=subscriptions_known)
            for entry in listings
        ],
        chosen,
    )
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


def apply_chosen_folders(
    cache: MailCache, chosen: Mapping[str, str] | None, listener: SyncListener | None = None
) -> bool:
    """The user changed which folder has which role: apply it to the cached list (no network).

    Returns True when a folder's role changed (the listener is told).
    """
    cached = [c.folder for c in cache.folders()]
    resolved = resolve_special_folders(cached, chosen)
    if [f.special_use for f in resolved] == [f.special_use for f in cached]:
        return False
    cache.upsert_folders(resolved, remove_missing=False)
    (listener or SyncListener()).folders_changed()
    return True


def _personal_prefix(folders: list[Folder]) -> str:
    """``"INBOX."`` where every folder but the INBOX lives under it (Courier), else ``""``."""
    inbox = next((f for f in folders if f.is_inbox), None)
    if inbox is None or not inbox.delimiter:
        return ""
    prefix = "INBOX" + inbox.delimiter
    others = [f for f in folders if not f.is_inbox]
    if others and all(f.name.upper().startswith(prefix.upper()) for f in others):
        return inbox.name + inbox.delimiter
    return ""


def create_special_folder(
    conn: MailboxConnection,
    cache: MailCache,
    role: str,
    listener: SyncListener | None = None,
    cancel: CancelToken | None = None,
    chosen: Mapping[str, str] | None = None,
) -> str:
    """Create the folder for ``role`` (``SpecialUse.TRASH`` ...) and give it that role.

    Named in English as other mail programs expect (``Trash``), under ``INBOX.``
    where the server keeps every folder there (Courier; also tried when the
    server refuses a top-level name). ``CREATE ... (USE (\\Trash))`` where the
    server offers CREATE-SPECIAL-USE. The folder list is then read again with
    the new folder in that role (a choice naming a folder the server does not
    have is what left the role empty). Returns the new folder's name; ImapCommandError when the server refuses.
    """
    leaf = WELL_KNOWN_NAMES[role][0]
    folders = [c.folder for c in cache.folders()]
    prefix = _personal_prefix(folders)
    inbox = next((f for f in folders if f.is_inbox), None)
    names = [prefix + leaf]
    if not prefix and inbox is not None and inbox.delimiter:
        names.append(inbox.name + inbox.delimiter + leaf)
    use = role if conn.has("CREATE-SPECIAL-USE") else None
    created = None
    for index, name in enumerate(names):
        try:
            conn.create(name, special_use=use)
        except ImapCommandError as exc:
            if exc.response_code == "ALREADYEXISTS":
                created = name  # made meanwhile (another client): use it
                break
            if index + 1 < len(names):
                log.info("CREATE %s refused (%s); trying under the INBOX", role, exc.detail)
                continue
            raise
        created = name
        break
    assert created is not None
    try:
        conn.subscribe(created)
    except ServerError as exc:
        log.info("SUBSCRIBE of the new folder failed: %s", exc.detail)
    roles = dict(chosen or {})
    roles[role] = created
    sync_folder_list(conn, cache, listener, cancel, roles)
    log.info("Created the %s folder", role)
    return created
