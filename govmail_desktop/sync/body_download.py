"""The text of recent messages downloaded in the background for offline search (no Qt).

With the user setting ``search.download_days`` above 0 (under the policy's
``search.max_download_days``), the account's connection worker fetches, a small batch at a
time, the text of the messages that arrived (INTERNALDATE: the server's date, which a sender
cannot forge) in the last N days of every synchronised folder, so that the search index
(``search/``) holds their bodies and finds them without the server.

What is fetched: the text parts the preview shows (:func:`text_plan`: text/plain, text/html
and the like that are not attachments), through the part-fetch path of large messages
(``part_fetch.fetch_skeleton``): the result is a skeleton whose other parts (attachments,
inline images, attached messages) are left out with their sizes. It is kept under
``mime.skeleton.SEARCH_TEXT_PART`` by ``MailCache.put_part`` — the index reads it like a
skeleton; the preview does not use it and fetches the message as before.

Which messages: :func:`wanted` — every synchronised folder (``engine.folders_in_sync_order``:
INBOX first) except Junk and Trash (unwanted and deleted mail: searching it is rare, and the
server search still covers it) and the virtual All / Flagged folders (copies of messages
that live in another folder), newest first, skipping those whose body, skeleton or search
text is cached already. That makes the download resumable: after a restart it goes on with
what is missing.

How: :func:`download_batch` runs one batch as one operation of the connection worker (the
IMAP connection never leaves its thread). Between messages it asks ``should_yield()`` — true
when the user's work (a message clicked, a folder opened) waits on the same worker — and
stops early, so the user's request runs next; at most the one message in flight is finished
first. It stops with ``StorageError(code="disk-full")`` — the app's usual disk-full path —
when the disk is full or less than :data:`MIN_FREE_BYTES` would be left (the text is
optional: it must never fill the disk). The cache itself has no size limit.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import ServerError, StorageError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime.skeleton import SEARCH_TEXT_PART, SKELETON_PART
from govmail_desktop.net.imap.bodystructure import BodyPart
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.engine import folders_in_sync_order
from govmail_desktop.sync.part_fetch import (
    BODY,
    LEFT_OUT,
    PartUnavailable,
    SkeletonUnusable,
    fetch_skeleton,
    shown_text,
)

log = logging.getLogger(__name__)

#: Messages per batch (one operation of the connection worker).
BATCH = 20
#: The download stops when less than this would be left free on the cache's disk.
MIN_FREE_BYTES = 200 * 1024 * 1024
#: Folders never downloaded: unwanted and deleted mail, and virtual folders of copies.
SKIPPED_ROLES = frozenset({SpecialUse.JUNK, SpecialUse.TRASH, SpecialUse.ALL, SpecialUse.FLAGGED})
#: Cache parts that hold a message's text already (BODY_PART of services/mailbox.py is "").
HAVE_TEXT = ("", SKELETON_PART, SEARCH_TEXT_PART)
DAY = 24 * 60 * 60

MSG_LOW_DISK = QT_TRANSLATE_NOOP(
    "BodyDownload", "Little disk space is left, so no more messages are downloaded for search."
)
HINT_LOW_DISK = QT_TRANSLATE_NOOP(
    "BodyDownload", "Please free some disk space; the download goes on at the next start."
)


@dataclass(frozen=True)
class Wanted:
    """One message whose text is still to be downloaded."""

    folder: str
    folder_id: int
    uid: int


def text_plan(root: BodyPart) -> dict[str, str]:
    """{part: BODY / LEFT_OUT} for every leaf and attached message: the text parts the
    preview shows are kept, everything else (attachments, images, attached messages) left out."""
    decisions: dict[str, str] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_multipart:
            stack.extend(reversed(node.children))
            continue
        decisions[node.part] = BODY if not node.is_message and shown_text(node) else LEFT_OUT
    return decisions


def wanted(cache: MailCache, days: int, *, now: float | None = None,
           skip: Iterable[tuple[int, int]] = ()) -> list[Wanted]:
    """Messages of the last ``days`` days whose text is not cached, folder by folder in sync
    order (Junk, Trash and virtual folders left out), newest first; ``skip``: (folder id, uid)
    pairs not to try again (their structure could not be used)."""
    if days <= 0:
        return []
    since = int((time.time() if now is None else now) - days * DAY)
    skipped = set(skip)
    out: list[Wanted] = []
    for cached in folders_in_sync_order(cache.folders()):
        if cached.folder.role in SKIPPED_ROLES:
            continue
        for uid in cache.recent_without_parts(cached.id, since, HAVE_TEXT):
            if (cached.id, uid) not in skipped:
                out.append(Wanted(cached.name, cached.id, uid))
    return out


def check_disk(path: Path, minimum: int = MIN_FREE_BYTES) -> None:
    """StorageError("disk-full") when less than ``minimum`` bytes are free where ``path`` is."""
    try:
        free = shutil.disk_usage(path).free
    except OSError as exc:  # the folder is gone or unreadable: the cache's own write will say
        log.debug("Free space of %s unknown: %s", path, exc)
        return
    if free < minimum:
        raise StorageError(MSG_LOW_DISK, hint=HINT_LOW_DISK, code="disk-full",
                           detail=f"{free} bytes free at {path}, below {minimum}")


@dataclass
class BatchResult:
    """What one batch did; ``remaining``: messages still wanted after it."""

    fetched: list[Wanted] = field(default_factory=list)
    #: Messages whose structure cannot be used (not tried again this session).
    unusable: list[Wanted] = field(default_factory=list)
    #: Folders the server would not open (their messages not tried again this session).
    failed_folders: list[str] = field(default_factory=list)
    yielded: bool = False
    remaining: int = 0


def download_batch(
    conn: MailboxConnection,
    cache: MailCache,
    days: int,
    cancel: CancelToken,
    *,
    batch: int = BATCH,
    should_yield: Callable[[], bool] = lambda: False,
    skip: Iterable[tuple[int, int]] = (),
    skip_folders: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
    done_before: int = 0,
    min_free: int = MIN_FREE_BYTES,
    now: float | None = None,
) -> BatchResult:
    """Download the text of up to ``batch`` wanted messages (see the module doc).

    ``progress(done, total)`` counts from ``done_before`` (messages of earlier batches of the
    same run). Raises Cancelled, StorageError (disk full or nearly) and the connection's errors.
    """
    result = BatchResult()
    folders_out = set(skip_folders)
    todo = [w for w in wanted(cache, days, now=now, skip=skip) if w.folder not in folders_out]
    total = done_before + len(todo)
    if progress is not None:
        progress(done_before, total)
    for index, item in enumerate(todo[:batch]):
        cancel.check()
        if should_yield():
            result.yielded = True
            break
        if item.folder in folders_out:
            continue
        check_disk(cache.path.parent, min_free)
        try:
            _fetch_one(conn, cache, item, cancel)
        except _FolderGone:
            folders_out.add(item.folder)
            result.failed_folders.append(item.folder)
            continue
        except (SkeletonUnusable, PartUnavailable) as exc:
            log.info("Text of UID %s in %r not downloaded for search: %s", item.uid, item.folder, exc)
            result.unusable.append(item)
            continue
        result.fetched.append(item)
        if progress is not None:
            progress(done_before + index + 1, total)
    result.remaining = sum(
        1 for w in todo if w not in result.fetched and w not in result.unusable and w.folder not in folders_out
    )
    return result


class _FolderGone(Exception):
    """The server would not select the folder (deleted or renamed elsewhere)."""


def _fetch_one(conn: MailboxConnection, cache: MailCache, item: Wanted, cancel: CancelToken) -> None:
    if getattr(conn, "selected", None) != item.folder:
        try:
            conn.select(item.folder)
        except ServerError as exc:
            if isinstance(exc, PartUnavailable):
                raise
            log.info("Folder %r not opened for the search download: %s", item.folder, exc.detail or exc.code)
            raise _FolderGone() from exc
    outline = fetch_skeleton(conn, item.uid, lambda: cancel.cancelled, choose=text_plan)
    cancel.check()
    cache.put_part(item.folder_id, item.uid, SEARCH_TEXT_PART, outline)


__all__ = [
    "BATCH",
    "HAVE_TEXT",
    "MIN_FREE_BYTES",
    "SKIPPED_ROLES",
    "BatchResult",
    "Wanted",
    "check_disk",
    "download_batch",
    "text_plan",
    "wanted",
]
