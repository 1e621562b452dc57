"""The server part of a search: ``UID SEARCH`` in one folder (on a MailboxConnection).

:func:`search_folder` selects the folder, asks the server (``ImapWire.uid_search_text``:
ESEARCH when offered, CHARSET UTF-8 for Thai, the user's text as strings or literals),
keeps the newest :data:`MAX_HITS_PER_FOLDER` UIDs, and returns the headers of what it
found: from the cache for the messages it holds (same UIDVALIDITY), fetched from the
server (the header sync's own FETCH items and conversion) for those it does not.
Fetched headers are not stored: the folder's sync owns what the cache holds.

The criteria come ready-made (``search.imap_criteria``, built by the caller: sync does
not import search). Runs on the account's connection worker; checks ``cancel``
between commands.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from govmail_desktop.core.entities import MessageSummary
from govmail_desktop.net.imap.grammar import format_sequence_set
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import convert
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken

#: Most messages one folder's server search returns (the newest: highest UIDs).
MAX_HITS_PER_FOLDER = 500
#: UIDs per header FETCH of messages the cache lacks.
FETCH_BATCH = 200


@dataclass
class FolderSearch:
    folder: str
    #: The cache's id of the folder (None: the cache does not know it).
    folder_id: int | None
    #: Headers of what the server found, newest (highest UID) first, at most the limit.
    found: list[MessageSummary] = field(default_factory=list)
    #: How many messages the server matched (may be more than ``found``).
    matched: int = 0
    #: UIDs whose headers came from the server (the cache did not hold them).
    fetched: frozenset[int] = frozenset()

    @property
    def truncated(self) -> bool:
        return self.matched > len(self.found)


def search_folder(
    conn: MailboxConnection,
    cache: MailCache,
    folder: str,
    criteria: Sequence[bytes | str],
    *,
    charset: str | None,
    cancel: CancelToken,
    limit: int = MAX_HITS_PER_FOLDER,
) -> FolderSearch:
    """Search ``folder`` on the server (see the module text). Raises SearchCharsetRefused
    (no UTF-8 searches), ImapCommandError, NetworkError, Cancelled."""
    cancel.check()
    if conn.selected != folder:
        conn.select(folder)
    cancel.check()
    info = conn.selected_info
    folder_id = cache.folder_id(folder)
    cached = cache.folder(folder_id) if folder_id is not None else None
    result = conn.uid_search_text(criteria, charset=charset, limit=limit)
    uids = sorted(result.numbers(), reverse=True)
    matched = result.matched if result.matched is not None else len(uids)
    same = (
        cached is not None and info is not None and info.uidvalidity is not None
        and cached.uidvalidity == info.uidvalidity
    )
    summaries: dict[int, MessageSummary] = {}
    missing: list[int] = []
    if same and folder_id is not None:
        known = cache.known_uids(folder_id)
        for uid in uids:
            summary = cache.summary(folder_id, uid) if uid in known else None
            if summary is None:
                missing.append(uid)
            else:
                summaries[uid] = summary
    else:
        missing = list(uids)
    fetched = _fetch_headers(conn, sorted(missing), cancel)
    summaries.update(fetched)
    found = [summaries[uid] for uid in uids if uid in summaries]  # a message gone meanwhile is left out
    return FolderSearch(folder, folder_id, found, matched, frozenset(fetched))


def _fetch_headers(conn: MailboxConnection, uids: list[int], cancel: CancelToken) -> dict[int, MessageSummary]:
    out: dict[int, MessageSummary] = {}
    memo = convert.Memo()
    for start in range(0, len(uids), FETCH_BATCH):
        cancel.check()
        chunk = uids[start:start + FETCH_BATCH]
        wanted = set(chunk)  # rows for other UIDs (a hostile or broken server) are not results
        with contextlib.closing(conn.fetch_stream(format_sequence_set(chunk), convert.SUMMARY_ITEMS)) as stream:
            for batch in stream:
                for summary in convert.summaries_of(batch.messages, memo):
                    if summary.uid in wanted:
                        out[summary.uid] = summary
    return out
