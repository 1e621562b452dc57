"""Runs the background text download for search (``sync/body_download.py``) for one account.

:class:`BodyDownloader` lives in the GUI thread next to the account's ``SyncService``. It
queues one batch at a time at the back of the connection worker's queue
(``SyncService.run_in_background``), waits :data:`PAUSE_MS` after each (the server and the
computer get room) and queues the next while messages remain. Every batch stops early
when the user's work waits on the same connection (``SyncService.others_waiting``), so a
clicked message is fetched next; batches run again after new mail arrives, after a
reconnect, and when the setting changes.

Progress shows as the worker's operation ("Downloading messages for search 120/800") in
the status bar through the sync adapter, with its Cancel button: a cancel stops the
download until new mail arrives, the setting changes or the app starts again (what is
downloaded stays). A full disk stops it for this session; the adapter reports the error.

Nothing here waits: the cache is read on the worker thread, inside the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from govmail_desktop.core.errors import NetworkError, StorageError
from govmail_desktop.services.sync_service import CANCELLED, DONE, FAILED, SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import body_download
from govmail_desktop.sync.body_download import BatchResult
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.listener import SyncListener

if TYPE_CHECKING:
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.policy.sources import EffectivePolicy

log = logging.getLogger(__name__)

#: Pause between two batches (milliseconds).
PAUSE_MS = 500
#: Wait after new mail or a reconnect before looking for work (the sync usually goes on).
SETTLE_MS = 3000

#: States (``state``), for the tests and the log. STOPPED: the user cancelled (again after new
#: mail); FULL: the disk is (nearly) full (again only when the setting changes or at the next start).
IDLE, WAITING, RUNNING, STOPPED, FULL = "idle", "waiting", "running", "stopped", "disk-full"


class BodyDownloader(QObject):
    """The search download of one account (see the module doc).

    ``days()`` is asked at the start of each batch: the days in force (the user's setting
    under the policy's cap: ``EffectivePolicy.search_download_days``); 0 stops.

    Signals:
        batch_done(int fetched, int remaining): a batch ended (tests, the log).
        finished(): nothing is left to download for now.
    """

    batch_done = Signal(int, int)
    finished = Signal()

    def __init__(
        self,
        service: SyncService,
        cache: MailCache,
        days: Callable[[], int],
        *,
        batch: int = body_download.BATCH,
        pause_ms: int = PAUSE_MS,
        settle_ms: int = SETTLE_MS,
        min_free: int = body_download.MIN_FREE_BYTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.cache = cache
        self.days = days
        self.batch = batch
        self.pause_ms = pause_ms
        self.settle_ms = settle_ms
        self.min_free = min_free
        self.state = IDLE
        self._op_id: int | None = None
        self._holder: list[BatchResult] = []
        self._restart = False
        self._done_in_run = 0
        #: (folder id, uid) whose structure could not be used; folders the server refused.
        self._unusable: set[tuple[int, int]] = set()
        self._bad_folders: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run_batch)
        service.operationFinished.connect(self._on_finished)
        service.newMail.connect(self._on_new_messages)
        service.messagesInserted.connect(self._on_new_messages)
        service.onlineChanged.connect(self._on_online)

    # -- control (GUI thread) --------------------------------------------------------------
    def start(self, delay_ms: int = 0) -> None:
        """Look for work after ``delay_ms`` (unless a batch is queued or running)."""
        if self._op_id is not None:
            return
        if self.days() <= 0:
            self._timer.stop()
            self.state = IDLE
            return
        self.state = WAITING
        if not self._timer.isActive() or delay_ms < self._timer.remainingTime():
            self._timer.start(max(0, delay_ms))

    def settings_changed(self) -> None:
        """The days in force may have changed: stop what runs, start again from what is cached."""
        self._timer.stop()
        self._unusable.clear()
        self._bad_folders.clear()
        self._done_in_run = 0
        if self._op_id is not None:
            self._restart = True  # once the running batch has stopped
            self.service.cancel(self._op_id)
            return
        self.state = IDLE
        self.start()

    def stop(self) -> None:
        """Stop now (a batch running ends between two messages); nothing queued after it."""
        self._timer.stop()
        if self._op_id is not None:
            self.service.cancel(self._op_id)
        self.state = STOPPED

    # -- one batch ----------------------------------------------------------------------------
    @Slot()
    def _run_batch(self) -> None:
        days = self.days()
        if days <= 0 or self._op_id is not None:
            self.state = IDLE if days <= 0 else self.state
            return
        holder: list[BatchResult] = []
        skip = frozenset(self._unusable)
        skip_folders = frozenset(self._bad_folders)
        done_before = self._done_in_run
        service = self.service
        cache = self.cache

        def job(listener: SyncListener, conn: MailboxConnection, cancel: CancelToken) -> object:
            holder.append(body_download.download_batch(
                conn, cache, days, cancel, batch=self.batch, should_yield=service.others_waiting,
                skip=skip, skip_folders=skip_folders, progress=listener.progress,
                done_before=done_before, min_free=self.min_free,
            ))
            return None

        self.state = RUNNING
        self._holder = holder
        self._op_id = service.run_in_background(
            ("search-download",),
            lambda: QCoreApplication.translate("BodyDownload", "Downloading messages for search"),
            job,
        )

    @Slot(int, str, object)
    def _on_finished(self, op_id: int, outcome: str, error: object) -> None:
        if op_id != self._op_id:
            return
        self._op_id = None
        result = self._holder[0] if self._holder else None
        if self._restart:
            self._restart = False
            self.state = IDLE
            self.start()
            return
        if outcome == CANCELLED:
            log.info("Search download cancelled; it goes on after new mail or at the next start")
            self.state = STOPPED
            return
        if outcome == FAILED:
            if isinstance(error, StorageError):
                log.warning("Search download stopped: %s", error.detail or error.code)
                self.state = FULL
            elif isinstance(error, NetworkError):
                self.state = IDLE  # again once the connection is back (onlineChanged)
            else:
                log.info("Search download batch failed (%s); again after new mail", error)
                self.state = IDLE
            return
        assert outcome == DONE
        if result is None:
            self.state = IDLE
            return
        self._unusable.update((w.folder_id, w.uid) for w in result.unusable)
        self._bad_folders.update(result.failed_folders)
        self._done_in_run += len(result.fetched)
        self.batch_done.emit(len(result.fetched), result.remaining)
        if result.remaining > 0:
            self.state = WAITING
            self._timer.start(0 if result.yielded else self.pause_ms)
        else:
            self._done_in_run = 0
            self.state = IDLE
            self.finished.emit()

    # -- triggers --------------------------------------------------------------------------
    @Slot(int, object)
    def _on_new_messages(self, _folder_id: int, _uids: object) -> None:
        if self.state in (IDLE, STOPPED) and self._op_id is None:
            self.start(self.settle_ms)

    @Slot(bool)
    def _on_online(self, online: bool) -> None:
        if online and self.state == IDLE and self._op_id is None:
            self.start(self.settle_ms)


__all__ = ["FULL", "IDLE", "PAUSE_MS", "RUNNING", "SETTLE_MS", "STOPPED", "WAITING", "BodyDownloader", "for_account"]


def for_account(
    service: SyncService, cache: MailCache, policy: EffectivePolicy, settings: Settings,
    parent: QObject | None = None, **kwargs: int,
) -> BodyDownloader:
    """The account's downloader as the app builds it: the days in force are the user's
    ``search.download_days`` (or the policy's lock) under ``search.max_download_days``, read
    at each batch (``EffectivePolicy.search_download_days``)."""
    return BodyDownloader(service, cache, lambda: policy.search_download_days(settings), parent=parent, **kwargs)
