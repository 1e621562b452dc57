"""Step 7g of the composition root: the search service over every account's local index
and the servers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from govmail_desktop.core.errors import GovMailError

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)

    from govmail_desktop.services.search_service import SearchService
    from govmail_desktop.wiring.context import AppContext
    from govmail_desktop.wiring.mailboxes import AccountMailbox, Mailboxes

log = logging.getLogger(__name__)


def open_search(ctx: AppContext, mailboxes: Mailboxes) -> SearchService:
    """Step 7g: the search service and, per account, its index next to the cache
    (``search.sqlite3``) kept current by an indexer thread; an index that cannot open
    leaves that account out of the local search (logged), never the app. The server part
    (services/server_search.py) is attached to it."""
    from govmail_desktop.search.index import INDEX_FILE, SearchIndex
    from govmail_desktop.services.search_service import SearchService
    from govmail_desktop.services.server_search import ServerSearch

    service = SearchService(parent=ctx.window)
    # What is not body-indexed here is searched on the servers, on each account's connection
    # worker (an account without a sync engine counts as offline: its server part is skipped).
    server = ServerSearch(service)
    service.attach_server_search(server)

    def join(mailbox: AccountMailbox) -> None:
        server.add_account(mailbox.account.id, getattr(mailbox.sync, "service", None), mailbox.cache)
        try:
            index = SearchIndex(mailbox.cache.path.with_name(INDEX_FILE), cache_path=mailbox.cache.path)
        except GovMailError as err:
            log.error("Search index of %s could not be opened: %s", mailbox.account.id, err)
            return
        service.add_account(mailbox.account.id, mailbox.cache, index)

    mailboxes.join(join)
    ctx.shutdown_hooks.append(service.shutdown)  # before the caches close (hooks run last first)
    return service
