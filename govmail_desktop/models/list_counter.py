"""Exact message counts of big folders, counted off the GUI thread for the message list.

SQLite has no stored row count: ``count(*)`` walks an index, about 30 ms for a
1,000,000-message folder (more while a sync writes), and a GUI thread that waits for
it misses frames. The message list (:mod:`models.message_list`) therefore counts at
most ``COUNT_AT_ONCE`` rows itself (``MailCache.count(limit=...)``) and asks a
:class:`ListCounter` for the rest; the answer comes back as the ``counted`` signal in
the GUI thread.

Counts run on a :class:`~govmail_desktop.services.local_worker.LocalWorker` of the counter's
own (the app's way off the GUI thread: the answer comes back through a queued signal, and
none after the counter is gone), one count at a time (there is rarely more than one in
flight: a reset, or a check after a batch of new mail). The worker's connection to the
cache is closed after each count, so no connection outlives the work (a cache closed
meanwhile is opened again only by a later count).
"""

from __future__ import annotations

import itertools
import logging

from PySide6.QtCore import QObject, Signal

from govmail_desktop.core.errors import StorageError
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.list_filter import ListFilter

log = logging.getLogger(__name__)


class ListCounter(QObject):
    """Counts a folder's messages (those a quick filter keeps) off the GUI thread.

    Signals:
        counted(int, int): the ticket :meth:`ask` returned and the count; -1 when the
            cache could not be read (logged; the list keeps what it shows).
    """

    counted = Signal(int, int)

    def __init__(self, cache: MailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._tickets = itertools.count(1)
        worker = self._worker = LocalWorker("message-list-count", parent=self)
        self.destroyed.connect(lambda *_: worker.shutdown())

    def ask(self, folder_id: int, where: ListFilter | None) -> int:
        """Count in the background; returns the ticket the answer will carry."""
        ticket = next(self._tickets)
        cache = self._cache

        def count() -> int:
            try:
                return cache.count(folder_id, where)
            except StorageError as exc:
                log.warning("Message list could not count folder %d: %s", folder_id, exc)
                return -1
            finally:
                cache.close_thread()

        self._worker.submit(count, lambda n: self.counted.emit(ticket, n))
        return ticket

    def shutdown(self) -> None:
        """No more counts; one under way is waited for (its answer is dropped)."""
        self._worker.shutdown()


__all__ = ["ListCounter"]
