"""Replacing a file that another program may hold open (Windows).

Every "write a temporary file, then move it over the real one" in the package ends
with :func:`replace_with_retry`. On Linux a rename never waits for readers. On Windows
``os.replace`` fails while another process holds the file without delete sharing — a
virus scanner or a backup/sync program looking at a file just written, an editor with
a saved attachment open, another copy of GovMail — with ``PermissionError``
winerror 32 (sharing violation), 33 (lock violation) or 5 (access denied, when the
target is the held one). Those holds are usually brief: retry a few times, then say
what is wrong (:class:`FileInUseError`, "in use by another program"), not "no write
access", which sends the user to IT for permissions they already have.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from govmail_desktop.core.errors import StorageError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

#: Tries in all, and the pause between them: half a second at most.
RETRY_ATTEMPTS = 10
RETRY_DELAY = 0.05

#: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: another process has the file open.
_HELD = (32, 33)
#: ERROR_ACCESS_DENIED: also what replacing a held target gives (or a real permission problem).
_ACCESS_DENIED = 5

_sleep: Callable[[float], None] = time.sleep

StrPath = str | os.PathLike[str]


class FileInUseError(StorageError):
    """A file could not be replaced because another program has it open."""

    code = "file-in-use"
    default_message = QT_TRANSLATE_NOOP(
        "Storage", "The file {path} is in use by another program, so GovMail could not replace it."
    )
    default_hint = QT_TRANSLATE_NOOP(
        "Storage",
        "Please close the program that has it open (for example a document viewer, a backup or "
        "file sync program, or another copy of GovMail) and try again.",
    )


def fsync_dir(path: StrPath) -> None:
    """Make a directory's entries (a rename, a new file) durable. Not on Windows, where a
    directory cannot be opened and NTFS journals the rename itself."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """``path`` written whole or not at all: ``write`` fills a temporary file beside it, which
    is fsync'd and renamed over ``path`` (:func:`replace_with_retry`; when another program
    holds ``path`` throughout, the temporary file is removed and :class:`FileInUseError`
    raised). The caller fsyncs the directory when the rename must be durable (:func:`fsync_dir`)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        replace_with_retry(tmp, path)
    except FileInUseError:
        tmp.unlink(missing_ok=True)
        raise


def replace_with_retry(
    src: StrPath,
    dst: StrPath,
    *,
    replace: Callable[[StrPath, StrPath], None] | None = None,
) -> None:
    """``os.replace(src, dst)``, waiting out a brief hold by another program.

    Raises :class:`FileInUseError` when the file stays held, and any other ``OSError``
    (a real permission problem, a full disk) at once, as ``os.replace`` does.
    ``replace`` is a seam for tests (default: ``os.replace`` at call time).
    """
    move = replace or os.replace
    for attempt in range(1, RETRY_ATTEMPTS + 1):
        try:
            move(src, dst)
            return
        except PermissionError as exc:
            winerror = getattr(exc, "winerror", None)
            if winerror not in (*_HELD, _ACCESS_DENIED):
                raise  # not Windows' "in use": a real permission problem
            if attempt < RETRY_ATTEMPTS:
                _sleep(RETRY_DELAY)
                continue
            if winerror == _ACCESS_DENIED and not any(
                _writable_but_held(Path(path)) for path in (src, dst) if os.path.exists(path)
            ):
                raise
            log.warning("Could not replace %s after %d tries: %s", dst, attempt, exc)
            raise FileInUseError(
                path=str(dst), detail=f"replacing {dst} with {src}: winerror {winerror}: {exc}"
            ) from exc


def move_without_replacing(src: StrPath, dst: StrPath) -> None:
    """Move the file ``src`` to ``dst`` (same volume) in one step, never over an existing
    ``dst``: ``FileExistsError`` then, both files as they were. A brief hold by another
    program is waited out as in :func:`replace_with_retry`.

    Windows' rename refuses an existing target by itself; POSIX's would replace it, so there
    the file is linked under the new name (which refuses) and the old name removed.
    """
    replace_with_retry(src, dst, replace=_rename_no_clobber)


def _rename_no_clobber(src: StrPath, dst: StrPath) -> None:
    if os.name == "nt":
        os.rename(src, dst)  # MoveFileEx without MOVEFILE_REPLACE_EXISTING
        return
    os.link(src, dst)  # FileExistsError when dst exists
    os.unlink(src)


def _writable_but_held(path: Path) -> bool:
    """After "access denied": True if ``path`` (the file moved, or the one replaced) may
    itself be written, so the refusal was a hold by another program rather than a
    permission problem."""
    try:
        with open(path, "ab"):
            return True
    except PermissionError as exc:
        return getattr(exc, "winerror", None) in _HELD
    except OSError:
        return False
