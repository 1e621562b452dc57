"""Saving and opening received attachments, all file work off the GUI thread.

Where an attachment's bytes come from is a :class:`PartSource`:

* :class:`CachedMessageSource` — the message as the cache holds it, cut out by
  :func:`mime.parse.part_bytes` (the parser's own part numbering and its one
  transfer decoder, ``decode_part_bytes``); a part the cache does not hold
  (``Attachment.downloaded`` False: a large message kept as a skeleton, whose
  small parts are read from the skeleton itself) is asked of the account's part
  fetcher (``services.part_fetch.PartFetcher``) (:class:`PartFetcher`: chunked, with progress,
  cancellable);
* :class:`RawMessageSource` — a message held in memory (an attached message
  opened in its own window, an .eml file).

What is done with the bytes (:class:`AttachmentService`, one worker thread):

* **Save** writes a new file (``core.filenames.write_unique``: the sender's name
  made safe, numbered on a collision, created with ``O_EXCL``) or replaces the
  file the user chose and confirmed in the save dialog
  (``write_replacing``: written beside it, then moved over it). A full disk or
  a folder that cannot be written gives a Thai/English message and leaves no
  partial file.
* **Open** writes a read-only copy into a private folder (mode 0700) under the
  app's cache (:class:`OpenedCopies`), for the UI to hand to the system's
  application. The copies are removed at exit and, in case the app did not
  exit cleanly (or a program still held a file on Windows), at the next start.
* **Risk** (:func:`assess`): a file type the agency's policy blocks
  (``attachments.blocked_extensions``) or a name that hides its real type
  (double extension, bidi characters) needs an explicit confirmation that says
  why; with ``attachments.open_blocked = "forbid"`` it is never opened from the
  app (saving stays allowed). The service checks this itself, whatever the UI
  asked.

No QtGui here (services/ never reach it): the UI opens the copy with
``QDesktopServices``.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import mimetypes
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from govmail_desktop.core.errors import BugError, Cancelled, GovMailError
from govmail_desktop.core.filenames import (
    colons_replaced,
    safe_filename,
    storage_error,
    write_replacing,
    write_unique,
)
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime.preview_warnings import W_ATTACHMENT_NAME, warning_text
from govmail_desktop.mime.skeleton import SKELETON_PART
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.services.local_worker import LocalWorker

if TYPE_CHECKING:  # the parser loads with the first message, not before the window draws
    from govmail_desktop.mime.parse import Attachment

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

#: The whole cached message is stored under this part name (services.mailbox_types.BODY_PART).
WHOLE_MESSAGE = ""
#: Folder name of the opened copies under the cache directory.
OPENED_DIR = "opened-attachments"
#: The policy value that forbids opening blocked types from the app.
FORBID = "forbid"

_UNNAMED = QT_TRANSLATE_NOOP("Attachments", "attachment")
_UNNAMED_MESSAGE = QT_TRANSLATE_NOOP("Attachments", "message")
_OPEN_WARNING = QT_TRANSLATE_NOOP(
    "Attachments",
    "Opening it may run a program that can damage this computer or spread to the agency's network. "
    "Open it only if you know the sender sent it and you expected it.",
)


class AttachmentUnavailable(GovMailError):
    """The part is neither in the cache nor can it be fetched now."""

    code = "attachment-unavailable"
    default_message = QT_TRANSLATE_NOOP("Attachments", "The attachment “{name}” is not on this computer.")
    default_hint = QT_TRANSLATE_NOOP(
        "Attachments", "Connect to the mail server and try again once the message has been downloaded."
    )


class OpenForbidden(GovMailError):
    """The policy forbids opening this file from the app (``attachments.open_blocked = forbid``)."""

    code = "attachment-open-forbidden"
    default_message = QT_TRANSLATE_NOOP(
        "Attachments", "Your agency's policy does not allow opening “{name}” from the mail program."
    )
    default_hint = QT_TRANSLATE_NOOP(
        "Attachments", "You can still save it; ask your IT staff to check it before you open it."
    )


class ConfirmationNeeded(GovMailError):
    """A risky file was asked to be opened without the user's confirmation."""

    code = "attachment-confirmation-needed"
    default_message = QT_TRANSLATE_NOOP("Attachments", "“{name}” is opened only after you confirm it.")


# -- where the bytes come from ------------------------------------------------------------------


class PartSource(Protocol):
    """The decoded bytes of one attachment of one message (called on the worker thread)."""

    def read(self, attachment: Attachment, on_progress: Progress, cancelled: IsCancelled) -> bytes: ...


class PartFetcher(Protocol):
    """A part not in the cache, fetched from the server in chunks (the account's IMAP worker)."""

    def fetch(
        self, folder_id: int, uid: int, part: str, *, on_progress: Progress, cancelled: IsCancelled
    ) -> bytes: ...


def _cut_out(raw: bytes, attachment: Attachment) -> bytes | None:
    from govmail_desktop.mime.parse import part_bytes  # the parser loads with the first message

    return part_bytes(raw, attachment.part)


@dataclass
class RawMessageSource:
    """A message held in memory (an attached message in its own window, an .eml file)."""

    raw: bytes

    def read(self, attachment: Attachment, on_progress: Progress, cancelled: IsCancelled) -> bytes:
        data = _cut_out(self.raw, attachment)
        if data is None:
            raise AttachmentUnavailable(name=attachment.display_name, detail=f"part {attachment.part} not found")
        return data


class _Cache(Protocol):
    def get_part(self, folder_id: int, uid: int, part: str) -> bytes | None: ...

    def close_thread(self) -> None: ...


@dataclass
class CachedMessageSource:
    """Message ``uid`` of folder ``folder_id`` as the account's cache holds it; parts the cache
    does not hold come from ``fetcher`` (None: they are unavailable)."""

    cache: _Cache
    folder_id: int
    uid: int
    fetcher: PartFetcher | None = None

    def read(self, attachment: Attachment, on_progress: Progress, cancelled: IsCancelled) -> bytes:
        if getattr(attachment, "downloaded", True):
            try:  # the whole message, else the skeleton of a large one (its small parts are in it)
                raw = self.cache.get_part(self.folder_id, self.uid, WHOLE_MESSAGE)
                if raw is None:
                    raw = self.cache.get_part(self.folder_id, self.uid, SKELETON_PART)
            finally:
                self.cache.close_thread()  # this worker is not the cache's own thread
            if raw is not None:
                data = _cut_out(raw, attachment)
                if data is not None:
                    return data
        if self.fetcher is None:
            raise AttachmentUnavailable(name=attachment.display_name, detail=f"part {attachment.part} not cached")
        return self.fetcher.fetch(
            self.folder_id, self.uid, attachment.part, on_progress=on_progress, cancelled=cancelled
        )


# -- names and risks ---------------------------------------------------------------------------------


def is_message(attachment: Attachment) -> bool:
    """An attached message (message/rfc822), opened as a message rather than a file."""
    return attachment.subject is not None or attachment.content_type.lower() == "message/rfc822"


def suggested_name(attachment: Attachment, lang: str | None = None) -> str:
    """The name a save dialog proposes: the sender's name made safe; an unnamed part a name of
    its type ("attachment-2.pdf"); an attached message its subject with ".eml"."""
    name = attachment.filename
    if not name and is_message(attachment):
        name = (attachment.subject or "").strip()[:120] or _UNNAMED_MESSAGE.text(lang)
        name = colons_replaced(name) + ".eml"  # "Re:" is not an NTFS stream
    if not name:
        ext = mimetypes.guess_extension(attachment.content_type, strict=False) or ".bin"
        name = f"{_UNNAMED.text(lang)}-{attachment.part}{ext}"
    return safe_filename(name, fallback=_UNNAMED.text(lang) + ".bin")


@dataclass(frozen=True)
class Risk:
    """Why opening an attachment needs the user's confirmation (empty: it does not)."""

    reasons: tuple[str, ...] = ()
    #: The policy forbids opening it from the app at all.
    forbidden: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.reasons)

    def confirmation_text(self, lang: str | None = None) -> str:
        """The reasons, then what opening may do: the confirmation dialog's text."""
        return "\n\n".join((*self.reasons, _OPEN_WARNING.text(lang)))


def assess(attachment: Attachment, rules: AttachmentRules | None, lang: str | None = None) -> Risk:
    """The reasons (Thai/English) opening ``attachment`` needs a confirmation, from the policy's
    blocked types and the parser's deceptive-name check; forbidden under ``open_blocked = forbid``."""
    if is_message(attachment):
        return Risk()  # shown by the app's own viewer, never handed to another program
    reasons: list[str] = []
    if rules is not None and attachment.filename:
        reasons.extend(finding.text(lang) for finding in rules.check_name(attachment.filename))
        # The name the copy is written under, too: a character it drops (a soft hyphen, a
        # joiner) must not hide a blocked type from the check ("invoice.ex\u00ade" → invoice.exe).
        written = suggested_name(attachment, lang)
        if written != attachment.filename:
            reasons.extend(finding.text(lang) for finding in rules.check_name(written))
    if attachment.suspicious_name and not reasons:
        reasons.append(warning_text(W_ATTACHMENT_NAME).text(lang))
    if not reasons:
        return Risk()
    forbid = rules is not None and getattr(rules.rules, "open_blocked", "confirm") == FORBID
    return Risk(tuple(dict.fromkeys(reasons)), forbidden=forbid)


# -- files ------------------------------------------------------------------------------------------------


def _make_writable(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR)


def _remove_tree(root: Path) -> list[Path]:
    """Remove everything under ``root`` (read-only files too); what could not be removed."""
    left: list[Path] = []
    if not root.exists():
        return left
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        _make_writable(path.parent)
        _make_writable(path)
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
        except OSError:
            left.append(path)  # still open in a program (Windows): removed at the next start
    return left


class OpenedCopies:
    """Read-only copies of attachments handed to other programs, in a private folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _private_root(self) -> Path:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, stat.S_IRWXU)
        return self.root

    def write(self, name: str, data: bytes) -> Path:
        """A new read-only file named ``name`` (made safe) in its own folder (mode 0700)."""
        try:
            folder = Path(tempfile.mkdtemp(prefix="open-", dir=self._private_root()))
        except OSError as exc:
            raise storage_error(exc, self.root, name) from exc
        path = write_unique(folder, name, data)
        os.chmod(path, stat.S_IRUSR)
        return path

    def clean(self) -> list[Path]:
        """Remove every copy (at exit, and at start for copies an earlier run left)."""
        left = _remove_tree(self.root)
        if left:
            log.info("%d opened attachment copies still in use; removed at the next start", len(left))
        return left


@dataclass(frozen=True)
class SaveAllResult:
    """What Save all wrote; ``error`` stopped it (the files before it are saved whole)."""

    saved: tuple[Path, ...] = ()
    error: GovMailError | None = None
    #: Files whose name was changed (made safe or numbered): (name as sent, name saved).
    renamed: tuple[tuple[str, str], ...] = ()


def save_bytes(data: bytes, target: Path, *, replace: bool) -> Path:
    """Write ``data`` as ``target`` (its name made safe); ``replace``: the user confirmed
    replacing an existing file, otherwise an existing one is kept and the name numbered."""
    folder = Path(target).parent
    name = safe_filename(Path(target).name)
    if replace and (folder / name).is_file():
        return write_replacing(folder / name, data)
    return write_unique(folder, name, data)


# -- the service ------------------------------------------------------------------------------------


@dataclass
class AttachmentTask:
    """One job of the service; :meth:`cancel` stops a fetch between its chunks."""

    id: int
    kind: str
    name: str
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


def as_error(exc: BaseException) -> GovMailError:
    if isinstance(exc, GovMailError):
        return exc
    if isinstance(exc, OSError):
        return storage_error(exc, Path(getattr(exc, "filename", "") or "."), str(getattr(exc, "filename", "")))
    log.error("Attachment job failed", exc_info=exc)
    bug = BugError(detail=f"{type(exc).__name__}: {exc}")
    bug.__cause__ = exc
    return bug


class AttachmentService(QObject):
    """Save / Save all / Open of received attachments on one worker thread.

    Signals:
        progress(task_id, done, total): bytes of a part fetched from the server so far.
        finished(task_id): a task ended (done, failed or cancelled).
    """

    progress = Signal(int, int, int)
    finished = Signal(int)

    def __init__(self, opened_root: Path, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.copies = OpenedCopies(opened_root)
        self.worker = LocalWorker("attachments", parent=self)
        self._ids = itertools.count(1)
        self._closed = False

    # ------------------------------------------------------------------ life

    def clean_stale(self) -> None:
        """At start: remove the copies an earlier run left (off the GUI thread)."""
        self.worker.submit(self.copies.clean)

    def shutdown(self) -> None:
        """At exit: stop the worker, then remove the opened copies."""
        if self._closed:
            return
        self._closed = True
        self.worker.shutdown()
        self.copies.clean()

    # ------------------------------------------------------------------ jobs

    def _run(
        self,
        kind: str,
        name: str,
        job: Callable[[AttachmentTask, Progress], T],
        on_done: Callable[[T], None],
        on_error: Callable[[GovMailError], None],
    ) -> AttachmentTask:
        task = AttachmentTask(next(self._ids), kind, name)

        def progress(done: int, total: int) -> None:
            self.progress.emit(task.id, done, total)  # queued to the GUI thread

        def run() -> T:
            result = job(task, progress)
            if task.cancelled:
                raise Cancelled()
            return result

        def done(result: T) -> None:
            self.finished.emit(task.id)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.finished.emit(task.id)
            on_error(as_error(exc))

        self.worker.submit(run, done, failed)
        return task

    @staticmethod
    def _read(source: PartSource, attachment: Attachment, task: AttachmentTask, progress: Progress) -> bytes:
        data = source.read(attachment, progress, lambda: task.cancelled)
        if task.cancelled:
            raise Cancelled()
        return data

    def read(
        self,
        source: PartSource,
        attachment: Attachment,
        on_done: Callable[[bytes], None],
        on_error: Callable[[GovMailError], None],
    ) -> AttachmentTask:
        """The attachment's bytes (an attached message to show in its own window)."""
        return self._run("read", attachment.display_name,
                         lambda task, progress: self._read(source, attachment, task, progress), on_done, on_error)

    def save(
        self,
        source: PartSource,
        attachment: Attachment,
        target: Path,
        *,
        replace: bool,
        on_done: Callable[[Path], None],
        on_error: Callable[[GovMailError], None],
    ) -> AttachmentTask:
        """Save one attachment as ``target`` (see :func:`save_bytes`); ``on_done(path saved)``."""

        def job(task: AttachmentTask, progress: Progress) -> Path:
            return save_bytes(self._read(source, attachment, task, progress), target, replace=replace)

        return self._run("save", attachment.display_name, job, on_done, on_error)

    def save_all(
        self,
        source: PartSource,
        attachments: Sequence[Attachment],
        folder: Path,
        *,
        on_done: Callable[[SaveAllResult], None],
        on_error: Callable[[GovMailError], None],
        lang: str | None = None,
    ) -> AttachmentTask:
        """Save every attachment into ``folder``, each under its safe name, numbered on a
        collision (never over a file there); stops at the first error, reported with what was
        saved before it."""

        def job(task: AttachmentTask, progress: Progress) -> SaveAllResult:
            saved: list[Path] = []
            renamed: list[tuple[str, str]] = []
            for attachment in attachments:
                try:
                    data = self._read(source, attachment, task, progress)
                    path = write_unique(Path(folder), suggested_name(attachment, lang), data)
                except Cancelled:
                    raise
                except BaseException as exc:  # noqa: BLE001 - reported with what was saved
                    return SaveAllResult(tuple(saved), as_error(exc), tuple(renamed))
                saved.append(path)
                if attachment.filename and path.name != attachment.filename:
                    renamed.append((attachment.display_name, path.name))
            return SaveAllResult(tuple(saved), None, tuple(renamed))

        return self._run("save-all", str(folder), job, on_done, on_error)

    def open_copy(
        self,
        source: PartSource,
        attachment: Attachment,
        rules: AttachmentRules | None,
        *,
        confirmed: bool,
        on_done: Callable[[Path], None],
        on_error: Callable[[GovMailError], None],
    ) -> AttachmentTask:
        """A read-only copy to open with the system's application; refused when the policy
        forbids it, or when it is risky and ``confirmed`` is False."""
        risk = assess(attachment, rules)

        def job(task: AttachmentTask, progress: Progress) -> Path:
            if risk.forbidden:
                raise OpenForbidden(name=attachment.display_name)
            if risk.needs_confirmation and not confirmed:
                raise ConfirmationNeeded(name=attachment.display_name)
            data = self._read(source, attachment, task, progress)
            return self.copies.write(suggested_name(attachment), data)

        return self._run("open", attachment.display_name, job, on_done, on_error)


def default_opened_root(cache_dir: Path) -> Path:
    """Where the opened copies live: the app's cache directory (private to the user)."""
    return Path(cache_dir) / OPENED_DIR
