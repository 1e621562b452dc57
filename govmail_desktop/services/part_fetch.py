"""Attachments of large messages, downloaded when the user asks (``PartFetcher``).

A message above ``sync.part_fetch.SKELETON_THRESHOLD`` is cached as a skeleton (its
text and the list of its files, ``mime/skeleton.py``); its files show with
``Attachment.downloaded == False``. :meth:`PartFetcher.fetch` downloads one of them on the
account's connection worker (the IMAP connection never leaves its thread) in chunks
(``BODY.PEEK[part]<offset.length>``), tells ``on_progress(done, total)`` after each,
stops between chunks once ``cancelled()`` says so, and returns the file's bytes decoded
by the parser's decoder. The decoded file is kept in the cache only once it is whole: a
cancel or a lost connection leaves nothing behind. A connection lost after some progress
is opened again and the download goes on where it stopped (at most
:data:`MAX_ATTEMPTS` connections); otherwise the caller gets :class:`PartDownloadFailed`.

``fetch`` blocks its caller: call it from a worker thread (``services/local_worker.py``,
as ``services/attachments.py`` does), never from the GUI thread. ``on_progress`` and
``cancelled`` are called on the connection worker's thread.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Slot

from govmail_desktop.core.errors import BugError, Cancelled, GovMailError, NetworkError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime.parse import parse_message, part_bytes
from govmail_desktop.mime.skeleton import SKELETON_PART
from govmail_desktop.services.sync_service import CANCELLED, FAILED, SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.part_fetch import PartUnavailable, decode_body, fetch_part

log = logging.getLogger(__name__)

#: Connections one download may use (a connection lost after some progress is replaced).
MAX_ATTEMPTS = 3
#: How often a waiting caller asks ``cancelled()`` while the download is still queued.
POLL_SECONDS = 0.1
#: Finished operations remembered for callers that asked after the end (race guard).
_REMEMBERED = 256


def cache_key(part: str) -> str:
    """The cache part under which a downloaded file (decoded) is kept."""
    return f"FILE {part}"


class PartDownloadFailed(NetworkError):
    """The connection was lost during a download and could not be used again."""

    code = "part-download-failed"
    default_message = QT_TRANSLATE_NOOP(
        "PartFetch", "The connection to the server was lost while downloading the attachment. Nothing was kept."
    )
    default_hint = QT_TRANSLATE_NOOP("PartFetch", "Check the network connection and try again.")


class PartFetcher(QObject):
    """Downloads files of cached skeletons for one account (see the module doc).

    Lives in the GUI thread (it hears the sync service's ``operationFinished``);
    :meth:`fetch` is called from worker threads.
    """

    def __init__(self, service: SyncService, cache: MailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.cache = cache
        self._lock = threading.Lock()
        self._waiting: dict[int, concurrent.futures.Future[tuple[bytes, str]]] = {}
        self._ended: OrderedDict[int, tuple[str, object]] = OrderedDict()
        self._calls = itertools.count(1)
        service.operationFinished.connect(self._on_finished)

    def cached(self, folder_id: int, uid: int, part: str) -> bytes | None:
        """The file's bytes if an earlier download kept them (any thread but the GUI's)."""
        return self.cache.get_part(folder_id, uid, cache_key(part))

    def fetch(
        self,
        folder_id: int,
        uid: int,
        part: str,
        *,
        on_progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> bytes:
        """Part ``part`` (IMAP number, ``Attachment.part``) of message ``uid``, decoded.

        ``on_progress(done, total)``: bytes as sent, in order, after each chunk.
        ``cancelled()``: True stops the download between chunks (raises Cancelled).
        Raises PartUnavailable (the message is gone from the server), PartDownloadFailed
        (the connection was lost), Cancelled, or the server's other errors.
        """
        if threading.current_thread() is threading.main_thread():
            raise BugError(detail="PartFetcher.fetch waits for the network: not on the GUI thread")
        try:
            return self._fetch(folder_id, uid, part, on_progress, cancelled)
        finally:
            self.cache.close_thread()  # the caller's worker is not the cache's own thread

    def _fetch(
        self,
        folder_id: int,
        uid: int,
        part: str,
        on_progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> bytes:
        kept = self.cached(folder_id, uid, part)
        if kept is None:
            kept = self._from_skeleton(folder_id, uid, part)
        if kept is not None:
            if on_progress is not None:
                on_progress(len(kept), len(kept))
            return kept
        folder = self.cache.folder(folder_id)
        if folder is None:
            raise PartUnavailable(detail=f"folder {folder_id} is not in the cache")
        name = folder.folder.name
        received = bytearray()
        attempt = 0
        while True:
            attempt += 1
            before = len(received)
            try:
                body, encoding = self._run_once(name, uid, part, received, on_progress, cancelled)
                break
            except NetworkError as exc:
                progressed = len(received) > before
                if attempt < MAX_ATTEMPTS and (progressed or attempt == 1):
                    log.info("Download of part %s of UID %s interrupted (%s); going on", part, uid, exc.code)
                    continue
                if not received:
                    raise  # never got anything: the connection's own error says why
                raise PartDownloadFailed(detail=exc.detail or str(exc)) from exc
        data = decode_body(body, encoding)
        if cancelled is not None and cancelled():
            raise Cancelled()
        self.cache.put_part(folder_id, uid, cache_key(part), data)
        return data

    def _from_skeleton(self, folder_id: int, uid: int, part: str) -> bytes | None:
        """A part the skeleton holds already (text, inline images, small files)."""
        outline = self.cache.get_part(folder_id, uid, SKELETON_PART)
        if outline is None:
            return None
        held = any(a.part == part and a.downloaded for a in parse_message(outline, skeleton=True).attachments)
        return part_bytes(outline, part) if held else None

    # -- one connection's attempt ---------------------------------------------------------------
    def _run_once(
        self,
        folder: str,
        uid: int,
        part: str,
        received: bytearray,
        on_progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> tuple[bytes, str]:
        future: concurrent.futures.Future[tuple[bytes, str]] = concurrent.futures.Future()

        def job(conn: MailboxConnection, cancel: CancelToken) -> object:
            def stop() -> bool:
                return cancel.cancelled or (cancelled is not None and cancelled())

            try:
                if getattr(conn, "selected", None) != folder:
                    conn.select(folder)
                result = fetch_part(conn, uid, part, received=received, on_progress=on_progress, cancelled=stop)
            except BaseException as exc:
                _settle(future, exc)
                raise
            _settle(future, result)
            return None

        op_id = self.service.run_on_connection(
            ("part", folder, uid, part, next(self._calls)),
            lambda: QCoreApplication.translate("PartFetch", "Downloading an attachment"),
            job,
            first=True,
            retry_on_network=False,
        )
        with self._lock:
            ended = self._ended.pop(op_id, None)
            if ended is None:
                self._waiting[op_id] = future
        if ended is not None:
            _settle_outcome(future, *ended)
        asked_to_stop = False
        try:
            while True:
                try:
                    return future.result(timeout=POLL_SECONDS)
                except concurrent.futures.TimeoutError:
                    if not asked_to_stop and cancelled is not None and cancelled():
                        asked_to_stop = True
                        self.service.cancel(op_id)
        finally:
            with self._lock:
                self._waiting.pop(op_id, None)

    @Slot(int, str, object)
    def _on_finished(self, op_id: int, outcome: str, error: object) -> None:
        with self._lock:
            future = self._waiting.get(op_id)
            if future is None:
                self._ended[op_id] = (outcome, error)
                while len(self._ended) > _REMEMBERED:
                    self._ended.popitem(last=False)
                return
        _settle_outcome(future, outcome, error)


def _settle(future: concurrent.futures.Future[tuple[bytes, str]], value: object) -> None:
    try:
        if isinstance(value, BaseException):
            future.set_exception(value)
        else:
            future.set_result(value)  # type: ignore[arg-type]
    except concurrent.futures.InvalidStateError:
        pass  # settled already (the job's own answer and the operation's end both arrive)


def _settle_outcome(future: concurrent.futures.Future[tuple[bytes, str]], outcome: str, error: object) -> None:
    """An operation ended without the job answering (dropped from the queue, no connection)."""
    if outcome == CANCELLED:
        _settle(future, Cancelled())
    elif outcome == FAILED:
        _settle(future, error if isinstance(error, GovMailError) else BugError(detail=str(error)))
    else:
        _settle(future, BugError(detail="the download ended without an answer"))


__all__ = ["MAX_ATTEMPTS", "PartDownloadFailed", "PartFetcher", "PartUnavailable", "cache_key"]
