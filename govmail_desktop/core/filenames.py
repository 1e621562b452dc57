"""File names from received mail made safe to save, and files created without overwriting.

A received attachment's name is chosen by the sender. Saved as it is, it could
climb out of the chosen folder (``../``, ``C:\\``, ``/etc/passwd``), name a
Windows device (``CON``, ``nul.txt`` open the console or the null device
instead of a file), hide its real type (a RIGHT-TO-LEFT OVERRIDE shows
``รายงาน\\u202efdp.exe`` as ``รายงานexe.pdf``), be cut or refused by the file
system (300 Thai characters are 900 UTF-8 bytes; most file systems take 255),
carry an NTFS stream (``report.pdf:evil.exe`` written on Windows is a hidden stream
``evil.exe`` of ``report.pdf``; ``invoice.exe::$DATA`` is ``invoice.exe``), or replace
a file the user already has.

:func:`safe_filename` turns any name into one ordinary file name that Windows,
macOS and Linux take alike; Thai text stays as it is (only normalised to NFC).
:func:`open_unique` / :func:`unique_path` create the file with ``O_EXCL`` —
never over an existing file, never through a symbolic link of that name — and
number collisions the way file managers do: ``report (2).pdf``.
:func:`write_unique` and :func:`write_replacing` write a whole file and leave
nothing behind when the disk is full or the folder cannot be written
(:class:`DiskFull`, :class:`FolderUnwritable`, Thai/English text).

No Qt here: the attachment service calls these on its worker thread.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import unicodedata
from pathlib import Path
from typing import BinaryIO

from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.fileops import replace_with_retry
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP

#: UTF-8 bytes of a file name at most (NAME_MAX is 255 on Linux and macOS; Windows counts
#: 255 UTF-16 units; room is left for " (99)" and for encrypted home folders).
MAX_NAME_BYTES = 200
#: An extension longer than this (bytes, with the dot) is treated as part of the name.
MAX_EXTENSION_BYTES = 16
#: Collisions numbered at most up to this before giving up.
MAX_NUMBER = 9999

#: Windows device names: a file named so (with any extension, trailing spaces
#: ignored) is the device, not a file.
DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"COM{n}" for n in "123456789¹²³"}
    | {f"LPT{n}" for n in "123456789¹²³"}
)

#: Characters Windows refuses in a name, plus both path separators.
_RESERVED = re.compile(r'[<>:"/\\|?*]')
_DOTS = re.compile(r"\.{2,}")
#: NTFS's designator of a file's unnamed (default) stream, at the end of a name.
_DATA_STREAM = re.compile(r"[:\uff1a\ufe55\ufe13]{2}\$data$", re.IGNORECASE)
#: Unicode categories dropped: control (C0, C1, NUL), format (bidi overrides and isolates,
#: zero-width characters, BOM), surrogates, unassigned.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn"})
#: Thai vowels written before their consonant: a name is not cut right after one.
_THAI_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")

#: ':' and the characters NFKC folds to it (full width U+FF1A, small U+FE55, vertical U+FE13):
#: NTFS reads ``name:stream`` as a stream of the file ``name``.
STREAM_SEPARATORS = frozenset(":\uff1a\ufe55\ufe13")
#: '/' and '\\' and the characters NFKC folds to them: what ends a folder part of a name.
_PATH_SEPARATORS = frozenset("/\\\uff0f\uff3c\ufe68")

_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class FolderUnwritable(StorageError):
    """The chosen folder does not exist or cannot be written to."""

    code = "folder-unwritable"
    default_message = QT_TRANSLATE_NOOP("Files", "The folder “{folder}” cannot be written to.")
    default_hint = QT_TRANSLATE_NOOP(
        "Files", "Nothing was saved. Choose another folder, or ask your IT staff for permission to write there."
    )


class DiskFull(StorageError):
    """The disk (or the user's quota) ran out of space while writing."""

    code = "disk-full"
    default_message = QT_TRANSLATE_NOOP("Files", "There is not enough free space on the disk to save “{name}”.")
    default_hint = QT_TRANSLATE_NOOP(
        "Files", "Nothing was saved. Free some space, or save to another drive or folder."
    )


class WriteFailed(StorageError):
    """Any other error while writing a file."""

    code = "write-failed"
    default_message = QT_TRANSLATE_NOOP("Files", "“{name}” could not be written to “{folder}”.")
    default_hint = QT_TRANSLATE_NOOP("Files", "Nothing was saved. Please try again or choose another folder.")


def storage_error(exc: OSError, folder: Path, name: str) -> StorageError:
    """The typed error for an ``OSError`` met while writing ``name`` into ``folder``."""
    detail = f"{type(exc).__name__}: errno {exc.errno}"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return DiskFull(name=name, detail=detail)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR) or isinstance(
        exc, (PermissionError, FileNotFoundError, NotADirectoryError)
    ):
        return FolderUnwritable(folder=str(folder), detail=detail)
    return WriteFailed(name=name, folder=str(folder), detail=detail)


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes of ``text``, cut before a character and never between a
    Thai consonant and its marks (nor right after a leading vowel)."""
    if _utf8_len(text) <= limit:
        return text
    out = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    rest = text[len(out) :]
    while out and rest and unicodedata.category(rest[0]) in ("Mn", "Mc", "Me"):
        rest = out[-1] + rest
        out = out[:-1]
    while out and out[-1] in _THAI_LEADING_VOWELS:
        out = out[:-1]
    return out


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or _utf8_len(ext) + 1 > MAX_EXTENSION_BYTES or " " in ext:
        return name, ""
    return stem, "." + ext


def _tidy(name: str) -> str:
    """Trailing dots/spaces off, leading dots/spaces off (no hidden files, no "..")."""
    return name.strip(" ").rstrip(". ").lstrip(". ")


def _fit(stem: str, ext: str, suffix: str = "") -> str:
    """``stem + suffix + ext`` within :data:`MAX_NAME_BYTES`, the stem cut first."""
    room = MAX_NAME_BYTES - _utf8_len(ext) - _utf8_len(suffix)
    stem = _tidy(_cut(stem, max(room, 1)))
    return (stem or "_") + suffix + ext


def safe_filename(name: str, *, fallback: str = "attachment") -> str:
    """``name`` as one ordinary file name: no folders, devices, hidden or reordering characters,
    no colon (so saving never creates an NTFS stream; a trailing ``::$DATA`` is dropped:
    :func:`without_data_stream`), no trailing dots or spaces, at most
    :data:`MAX_NAME_BYTES` bytes with the extension kept; ``fallback`` (made safe too) when
    nothing usable is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(" " if ch in "\t\n\r" else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = without_data_stream(text)
    text = colons_replaced(_RESERVED.sub("_", text))
    text = _DOTS.sub(".", text)
    text = _tidy(text)
    if not text.strip("._ "):
        if fallback and fallback != name:
            return safe_filename(fallback, fallback="")
        text = "attachment"
    if text.split(".", 1)[0].rstrip(" ").upper() in DEVICE_NAMES:
        text = "_" + text
    stem, ext = _split_extension(text)
    return _fit(stem, ext)


def without_stream_suffix(name: str) -> str:
    """``name`` up to the first colon of its last path component (:data:`STREAM_SEPARATORS`).

    NTFS takes ``invoice.exe::$DATA`` as the file ``invoice.exe`` and ``report.pdf:evil.exe``
    as a stream of ``report.pdf``: that part is one of the names the attachment rules judge
    (``policy.attachments.judged_names``; the other is the whole name with its colons
    replaced, the name another program may save it under). Remove hidden characters first
    (a zero-width space before the colon is not part of the name)."""
    start = max((i for i, ch in enumerate(name) if ch in _PATH_SEPARATORS), default=-1) + 1
    for i in range(start, len(name)):
        if name[i] in STREAM_SEPARATORS:
            return name[:i]
    return name


def without_data_stream(name: str) -> str:
    """``name`` without a trailing ``::$DATA`` — NTFS's name for a file's own contents, so
    ``photo.jpg::$DATA`` is the file ``photo.jpg``. Any other colon stays (to be replaced
    when the name is made safe): "ประชุม 10:30.pdf" is a name, not a stream."""
    return _DATA_STREAM.sub("", name)


def colons_replaced(text: str) -> str:
    """``text`` — a subject or a title the app makes a name from, not a received file name —
    with every colon (:data:`STREAM_SEPARATORS`) made "_", so that "Re: ประชุม" + ".eml" keeps
    its extension through :func:`safe_filename`."""
    return "".join("_" if ch in STREAM_SEPARATORS else ch for ch in text)


def _numbered(name: str, number: int) -> str:
    if number == 1:
        return name
    stem, ext = _split_extension(name)
    return _fit(stem, ext, f" ({number})")


def open_unique(folder: Path, name: str) -> tuple[Path, BinaryIO]:
    """Create a new file for ``name`` (made safe) directly in ``folder`` and open it for writing.

    An existing file — or symbolic link — of that name is never opened: the name is numbered
    ("report (2).pdf") until one is free. Raises :class:`FolderUnwritable` (missing folder,
    no permission, read-only file system) or another :class:`StorageError`.
    """
    folder = Path(folder)
    base = safe_filename(name)
    for number in range(1, MAX_NUMBER + 1):
        candidate = _numbered(base, number)
        path = folder / candidate
        if path.parent != folder or path.name != candidate:  # cannot happen: the name has no separator
            raise FolderUnwritable(folder=str(folder), detail=f"unsafe name {candidate!r}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_NOFOLLOW, 0o666)
        except FileExistsError:
            continue
        except IsADirectoryError:
            continue
        except OSError as exc:
            raise storage_error(exc, folder, candidate) from exc
        return path, os.fdopen(fd, "wb")
    raise WriteFailed(name=base, folder=str(folder), detail="no free numbered name")


def unique_path(folder: Path, name: str) -> Path:
    """A new, empty file for ``name`` in ``folder`` (see :func:`open_unique`), reserved for
    the caller to fill: nothing else can take the name meanwhile."""
    path, handle = open_unique(folder, name)
    handle.close()
    return path


def _write_all(handle: BinaryIO, data: bytes) -> None:
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())  # a full disk may only show here (delayed allocation, network drives)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def write_unique(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as a new file in ``folder`` (numbered on a collision); on any failure the
    partly written file is removed and a :class:`StorageError` raised."""
    path, handle = open_unique(folder, name)
    try:
        with handle:
            _write_all(handle, data)
    except OSError as exc:
        _remove(path)
        raise storage_error(exc, Path(folder), path.name) from exc
    except BaseException:
        _remove(path)
        raise
    return path


def write_replacing(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path``, replacing the file there (the user confirmed it): written to a
    new file beside it first and moved over it only when complete, so a full disk leaves the old
    file as it was and no partial file."""
    path = Path(path)
    temp, handle = open_unique(path.parent, f"{path.name}.part")
    try:
        with handle:
            _write_all(handle, data)
        replace_with_retry(temp, path)
    except OSError as exc:
        _remove(temp)
        raise storage_error(exc, path.parent, path.name) from exc
    except BaseException:
        _remove(temp)
        raise
    return path
