"""Account-level sync: which folders, in which order (pure Python).

Order matters for what the user sees first: the folder list (so the tree is
right), then INBOX, then the other special folders, then the rest. Pending
offline actions are sent before anything is fetched, so a resync does not
show a message the user has just moved away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.store.cache import CachedFolder, MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync import offline
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.folder_list import sync_folder_list
from govmail_desktop.sync.folder_sync import FolderSync, FolderSyncResult, SyncOptions
from govmail_desktop.sync.listener import SyncListener

log = logging.getLogger(__name__)

_ROLE_ORDER = {role: i for i, role in enumerate(SpecialUse.DISPLAY_ORDER)}


def folders_in_sync_order(folders: list[CachedFolder]) -> list[CachedFolder]:
    """Selectable folders that are subscribed, the INBOX or a special folder (Drafts, Sent,
    Archive, Junk, Trash: checked even unsubscribed): INBOX, special folders, then by name."""
    chosen = [f for f in folders if f.folder.selectable and (f.folder.subscribed or f.folder.role in _ROLE_ORDER)]
    return sorted(chosen, key=lambda f: (_ROLE_ORDER.get(f.folder.role or "", len(_ROLE_ORDER)), f.name))


def sync_account(
    conn: MailboxConnection,
    cache: MailCache,
    queue: OfflineOpQueue | None,
    listener: SyncListener,
    cancel: CancelToken,
    options: SyncOptions | None = None,
    on_folder: Callable[[str], None] | None = None,
    chosen: Mapping[str, str] | None = None,
) -> list[FolderSyncResult]:
    """Offline actions, folder list, then every folder; returns the folder results.

    ``chosen``: the special folders picked by the user or the policy (see sync_folder_list).
    """
    if queue is not None and queue.count():
        offline.replay(conn, cache, queue, listener, cancel)
    sync_folder_list(conn, cache, listener, cancel, chosen)
    results = []
    for cached in folders_in_sync_order(cache.folders()):
        cancel.check()
        if on_folder is not None:
            on_folder(cached.name)
        results.append(FolderSync(conn, cache, listener, cancel, options).run(cached.name))
    return results
