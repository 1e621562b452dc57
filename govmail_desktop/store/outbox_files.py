"""The outbox's durable files: a file replaced atomically, a directory's entries made
durable, and the state log (``state.json``: one line per state, the last whole line counts).

A spare entry's files are made ahead of time full of zero bytes (:func:`zero_filled`), and
written over in place: an ``fdatasync`` then only waits for the bytes, not for the file
system's journal (no new length, no new blocks), which is most of the wait at Send on a
busy disk. Zero bytes at the end of a log or pack are no content (:func:`content_end`).

See :mod:`govmail_desktop.store.outbox` for what is written when. No Qt, no network.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from govmail_desktop.core.fileops import fsync_dir, write_atomically

#: Bytes of state log (``state.json``) before it is written again as its last line.
STATE_LOG_LIMIT = 64 * 1024
#: Zero bytes a spare's state log is made with: room for a message's states (a few hundred
#: bytes each) without the file growing.
SPARE_STATE_BYTES = 16 * 1024
#: Zero bytes a spare's pack is made with: a letter with a PDF or two is written over them
#: (a bigger message makes the file grow, as any file written anew).
SPARE_PACK_BYTES = 512 * 1024


def zero_filled(path: Path, size: int, *, new: bool = True) -> None:
    """A file of ``size`` zero bytes (``new``: a file that is not there yet; else written
    over), written and fsync'd: its blocks and length on disk."""
    with open(path, "xb" if new else "wb") as fh:
        fh.write(bytes(size))
        fh.flush()
        os.fsync(fh.fileno())


def content_end(raw: bytes) -> int:
    """Where the content of a file made by :func:`zero_filled` ends (its length otherwise)."""
    return len(raw.rstrip(b"\0"))


def write_durably(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    """``data`` in ``path``, atomically (temporary file, fsync, rename), the directory fsync'd."""
    write_atomically(path, lambda fh: fh.write(data))
    if sync_dir:
        fsync_dir(path.parent)


def _datasync(fd: int) -> None:
    """The file's bytes (and its length) on disk; ``fsync`` where there is no ``fdatasync``."""
    sync = getattr(os, "fdatasync", None)
    (sync or os.fsync)(fd)


def append_state(path: Path, line: bytes, *, durable: bool) -> None:
    """``line`` (a whole state, ending in a newline) at the end of the state log ``path``,
    ``fdatasync``'d when ``durable``. The log is written again as this one line (atomically,
    the directory fsync'd: the next appends go to that file) when it has grown past
    :data:`STATE_LOG_LIMIT`, or when another program holds it (Windows refuses the append)."""
    try:
        with open(path, "r+b") as fh:
            end = content_end(fh.read(STATE_LOG_LIMIT + 1))  # (written anew past the limit)
            if end + len(line) < STATE_LOG_LIMIT:
                if end:  # after a line a crash cut short, on a line of its own
                    fh.seek(end - 1)
                    if fh.read(1) != b"\n":
                        line = b"\n" + line
                fh.seek(end)
                fh.write(line)
                fh.flush()
                if durable:
                    _datasync(fh.fileno())
                return
    except FileNotFoundError:
        pass  # (an entry from before the log was made with the entry): made now
    except PermissionError as exc:
        if getattr(exc, "winerror", None) not in (32, 33):  # not a sharing/lock violation
            raise
    write_durably(path, line)


def read_state(raw: bytes) -> Any:
    """The last whole line of a state log as JSON (a line cut short by a crash is skipped);
    ValueError when none reads."""
    lines = raw[:content_end(raw)].split(b"\n")
    for line in reversed(lines):
        if not line.strip():
            continue
        try:
            return json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue  # cut short: the state before it counts
    raise ValueError("no whole state line")


__all__ = [
    "SPARE_PACK_BYTES", "SPARE_STATE_BYTES", "STATE_LOG_LIMIT", "append_state", "content_end", "fsync_dir",
    "read_state", "write_durably", "zero_filled",
]
