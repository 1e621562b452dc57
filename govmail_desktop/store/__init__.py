"""Local storage: the disposable per-account mail cache and the durable offline queue.

* :class:`MailCache` (``cache.sqlite3``) — folders, message summaries, fetched
  parts; rebuilt empty when damaged (``rebuilt`` tells the sync to refetch).
* :class:`OfflineOpQueue` (``ops.sqlite3``) — actions made offline; never
  deleted by a cache rebuild.
"""

from govmail_desktop.store.cache import CACHE_FILE, CachedFolder, MailCache, account_dir
from govmail_desktop.store.message_rows import SORT_COLUMNS, PageRow, RowKey, SortKey
from govmail_desktop.store.op_queue import QUEUE_FILE, OfflineOpQueue, OpKind, PendingOp
from govmail_desktop.store.schema import SCHEMA_VERSION
from govmail_desktop.store.uidset import UidSet

__all__ = [
    "CACHE_FILE",
    "CachedFolder",
    "MailCache",
    "OfflineOpQueue",
    "OpKind",
    "PageRow",
    "PendingOp",
    "QUEUE_FILE",
    "RowKey",
    "SCHEMA_VERSION",
    "SORT_COLUMNS",
    "SortKey",
    "UidSet",
    "account_dir",
]
