"""Drafts on this computer: never lost, even when the app is killed while saving.

Where: ``<data_dir>/drafts/`` (NOT the disposable cache; :meth:`DraftStore.default`
takes it from ``core.paths.AppPaths``). One directory per draft::

    drafts/
      <draft-id>/draft.json          Draft.to_json(), replaced atomically on each save
      <draft-id>/att-<hex>.<ext>     attachment bytes (DraftAttachment.stored_name)
      .damaged/<draft-id>-<stamp>/   a draft whose JSON could not be read: set aside, kept
      .discarded-<hex>/              a discarded draft on its way out (removed at next start)

Every write is: a temporary file in the same directory, ``fsync``, ``os.replace`` over
the real name, ``fsync`` of the directory. A process killed at any point leaves
either the previous complete ``draft.json`` or the new complete one, never a
half-written file (a leftover temporary file is removed by :meth:`DraftStore.unsent`).

A ``draft.json`` that does not parse (disk damage, edited by hand) is never
deleted: its whole directory is moved to ``.damaged/`` for the IT staff, logged,
and reported (:class:`DraftDamaged`, :meth:`DraftStore.damaged`).

Thread-safe: writes of one draft are serialised by a lock per draft. No Qt, no
network; file names on disk are ASCII made here (a Thai attachment name lives
only in the JSON).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef
from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.fileops import fsync_dir, replace_with_retry
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.store.db import storage_error

log = logging.getLogger(__name__)

DRAFTS_DIR = "drafts"
DRAFT_FILE = "draft.json"
DAMAGED_DIR = ".damaged"
_DISCARDED_PREFIX = ".discarded-"
_TMP_MARK = ".tmp-"
#: A draft id is a directory name: letters, digits and '-' only (Draft.new makes uuid hex).
_DRAFT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")
#: What :meth:`DraftStore.add_attachment` names files: never a path, never draft.json.
_STORED_NAME = re.compile(r"att-[0-9a-f]{32}(?:\.[A-Za-z0-9]{1,10})?")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,10})$")
_CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029\x85]")
#: Copying a source file is done in pieces of this size (never the whole file in memory).
COPY_CHUNK = 1024 * 1024


class DraftMissing(StorageError):
    """No draft with this id is stored (discarded, or never saved)."""

    code = "draft-missing"
    default_message = QT_TRANSLATE_NOOP("Drafts", "The draft could not be found on this computer.")
    default_hint = QT_TRANSLATE_NOOP("Drafts", "It may have been sent or discarded already.")


class DraftDamaged(StorageError):
    """A stored draft could not be read; its files were set aside (kept), not deleted."""

    code = "draft-damaged"
    default_message = QT_TRANSLATE_NOOP(
        "Drafts", "A saved draft could not be read. It was set aside in {path} and not deleted."
    )
    default_hint = QT_TRANSLATE_NOOP("Drafts", "Please tell your IT staff if the draft is needed.")

    def __init__(self, draft_id: str, kept_at: Path, detail: str = "") -> None:
        super().__init__(detail=detail, path=str(kept_at))
        self.draft_id = draft_id
        self.kept_at = kept_at


class AttachmentUnreadable(StorageError):
    """The file the user chose to attach could not be read."""

    code = "attachment-unreadable"
    default_message = QT_TRANSLATE_NOOP("Drafts", "The file {name} could not be read, so it was not attached.")
    default_hint = QT_TRANSLATE_NOOP("Drafts", "Please check that the file still exists and that you may open it.")


@dataclass(frozen=True)
class DamagedDraft:
    """A draft set aside because its JSON could not be read."""

    draft_id: str
    path: Path  # the directory under .damaged/ (the JSON and the attachments as they were)


def check_draft_id(draft_id: str) -> str:
    if not isinstance(draft_id, str) or not _DRAFT_ID.fullmatch(draft_id):
        raise ValueError(f"unsafe draft id for a directory name: {draft_id!r}")
    return draft_id


def clean_filename(filename: str) -> str:
    """The name the recipient sees: no directories, no control characters, never empty."""
    name = _CONTROL.sub("", filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name if name not in ("", ".", "..") else "attachment"


class DraftStore:
    """The drafts of every account, one directory each under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @classmethod
    def default(cls, paths: AppPaths | None = None) -> DraftStore:
        return cls((paths or AppPaths.default()).data_dir / DRAFTS_DIR)

    # ------------------------------------------------------------------ paths

    def draft_dir(self, draft_id: str) -> Path:
        return self.root / check_draft_id(draft_id)

    def attachment_path(self, draft_id: str, att: DraftAttachment) -> Path:
        """Where ``att``'s bytes are (the name is checked: a tampered JSON cannot point elsewhere)."""
        if not _STORED_NAME.fullmatch(att.stored_name):
            raise ValueError(f"unsafe stored attachment name {att.stored_name!r}")
        return self.draft_dir(draft_id) / att.stored_name

    @contextmanager
    def _locked(self, draft_id: str) -> Iterator[None]:
        with self._locks_guard:
            lock = self._locks.setdefault(draft_id, threading.Lock())
        with lock:
            yield

    def _ensure_dir(self, draft_id: str) -> Path:
        directory = self.draft_dir(draft_id)
        if not directory.is_dir():
            new_root = not self.root.is_dir()
            directory.mkdir(parents=True, exist_ok=True)
            if new_root:
                fsync_dir(self.root.parent)
            fsync_dir(self.root)
        return directory

    # ------------------------------------------------------------------ atomic files

    @staticmethod
    def _temp_name(directory: Path, final: str) -> Path:
        return directory / f"{final}{_TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def _write_atomic(self, directory: Path, final: str, data: bytes | BinaryIO) -> int:
        """Write ``data`` to ``directory/final`` atomically and durably; returns the byte count."""
        tmp = self._temp_name(directory, final)
        size = 0
        try:
            with open(tmp, "xb") as out:
                if isinstance(data, bytes):
                    out.write(data)
                    size = len(data)
                else:
                    while chunk := data.read(COPY_CHUNK):
                        out.write(chunk)
                        size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            replace_with_retry(tmp, directory / final)
            fsync_dir(directory)
        except BaseException:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise
        return size

    # ------------------------------------------------------------------ drafts

    def save(self, draft: Draft) -> Path:
        """Write ``draft`` durably (atomic replace + fsync). Returns the JSON file's path."""
        data = draft.to_json().encode("utf-8")
        try:
            with self._locked(draft.draft_id):
                directory = self._ensure_dir(draft.draft_id)
                self._write_atomic(directory, DRAFT_FILE, data)
        except OSError as exc:
            raise storage_error(exc, self.draft_dir(draft.draft_id)) from exc
        return self.draft_dir(draft.draft_id) / DRAFT_FILE

    def exists(self, draft_id: str) -> bool:
        return (self.draft_dir(draft_id) / DRAFT_FILE).is_file()

    def load(self, draft_id: str) -> Draft:
        """The stored draft. DraftMissing when there is none; DraftDamaged (set aside) when unreadable."""
        path = self.draft_dir(draft_id) / DRAFT_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DraftMissing(detail=f"no {path}") from None
        except OSError as exc:
            raise storage_error(exc, path) from exc
        try:
            draft = Draft.from_json(raw.decode("utf-8"))
            if draft.draft_id != draft_id:
                raise ValueError(f"the file holds draft {draft.draft_id!r}")
        except (UnicodeDecodeError, ValueError) as exc:
            kept = self._set_aside(draft_id, str(exc))
            raise DraftDamaged(draft_id, kept, detail=f"{path}: {exc}") from None
        return draft

    def update_server_copy(self, draft_id: str, ref: MessageRef | None) -> Draft | None:
        """Record where the server copy of a stored draft now is; None when the draft is gone."""
        with self._locked(draft_id):
            try:
                current = self.load(draft_id)
            except DraftMissing:
                return None
            updated = replace(current, server_copy=ref)
            try:
                self._write_atomic(self.draft_dir(draft_id), DRAFT_FILE, updated.to_json().encode("utf-8"))
            except OSError as exc:
                raise storage_error(exc, self.draft_dir(draft_id)) from exc
        return updated

    def _set_aside(self, draft_id: str, reason: str) -> Path:
        """Move a damaged draft's directory under .damaged/ (kept for the IT staff)."""
        damaged_root = self.root / DAMAGED_DIR
        target = damaged_root / f"{draft_id}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        try:
            damaged_root.mkdir(parents=True, exist_ok=True)
            replace_with_retry(self.draft_dir(draft_id), target)
            fsync_dir(damaged_root)
            fsync_dir(self.root)
        except (OSError, StorageError) as exc:
            log.error("A damaged draft could not be set aside (%s): %s", reason, exc)
            return self.draft_dir(draft_id)
        log.warning("Draft %s could not be read (%s); set aside in %s", draft_id, reason, target)
        return target

    def draft_ids(self) -> list[str]:
        """Ids of every draft directory (with or without a saved draft.json)."""
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise storage_error(exc, self.root) from exc
        return sorted(e.name for e in entries if e.is_dir() and _DRAFT_ID.fullmatch(e.name))

    def unsent(self) -> list[Draft]:
        """Every readable stored draft, most recently changed first (for crash recovery).

        Tidies what a killed process left: temporary files of other processes and
        half-discarded drafts. Damaged drafts are set aside (see :meth:`damaged`).
        """
        self._tidy()
        drafts: list[Draft] = []
        for draft_id in self.draft_ids():
            if not (self.draft_dir(draft_id) / DRAFT_FILE).is_file():
                continue
            try:
                drafts.append(self.load(draft_id))
            except DraftDamaged:
                continue  # logged and kept by load()
        drafts.sort(key=lambda d: d.updated_at, reverse=True)
        return drafts

    def damaged(self) -> list[DamagedDraft]:
        """Drafts set aside because they could not be read (newest name last)."""
        damaged_root = self.root / DAMAGED_DIR
        if not damaged_root.is_dir():
            return []
        out = []
        for entry in sorted(damaged_root.iterdir()):
            draft_id = entry.name.split("-", 1)[0]
            out.append(DamagedDraft(draft_id, entry))
        return out

    def _tidy(self) -> None:
        own = f"{_TMP_MARK}{os.getpid()}-"
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(_DISCARDED_PREFIX):
                shutil.rmtree(entry.path, ignore_errors=True)
            elif entry.is_dir() and _DRAFT_ID.fullmatch(entry.name):
                for inner in os.scandir(entry.path):
                    if _TMP_MARK in inner.name and own not in inner.name:
                        try:
                            os.unlink(inner.path)
                        except OSError:
                            pass

    def discard(self, draft_id: str) -> None:
        """Remove a draft and its attachments (sent, or thrown away by the user)."""
        directory = self.draft_dir(draft_id)
        with self._locked(draft_id):
            if not directory.exists():
                return
            doomed = self.root / f"{_DISCARDED_PREFIX}{uuid.uuid4().hex}"
            try:
                replace_with_retry(directory, doomed)  # one atomic step: the draft is gone
                fsync_dir(self.root)
            except OSError as exc:
                raise storage_error(exc, directory) from exc
        shutil.rmtree(doomed, ignore_errors=True)

    # ------------------------------------------------------------------ attachments

    def add_attachment(
        self,
        draft_id: str,
        filename: str,
        content_type: str,
        data: bytes | Path,
        *,
        content_id: str = "",
    ) -> DraftAttachment:
        """Store a file for ``draft_id`` (bytes, or copied from a file in pieces) durably.

        Returns the :class:`DraftAttachment` to put in the draft (the caller saves the
        draft). A source file that cannot be read raises :class:`AttachmentUnreadable`.
        """
        name = clean_filename(filename if filename or not isinstance(data, Path) else data.name)
        ext = _EXTENSION.search(name)
        stored = f"att-{uuid.uuid4().hex}" + (f".{ext.group(1).lower()}" if ext else "")
        try:
            directory = self._ensure_dir(draft_id)
        except OSError as exc:
            raise storage_error(exc, self.draft_dir(draft_id)) from exc
        if isinstance(data, Path):
            try:
                source = open(data, "rb")  # closed by the with below
            except OSError as exc:
                raise AttachmentUnreadable(name=name, detail=f"{type(exc).__name__}: {exc}") from None
            try:
                with source:
                    size = self._write_atomic(directory, stored, source)
            except OSError as exc:
                if getattr(exc, "filename", None) == str(data):
                    raise AttachmentUnreadable(name=name, detail=f"{type(exc).__name__}: {exc}") from None
                raise storage_error(exc, directory) from exc
        else:
            try:
                size = self._write_atomic(directory, stored, bytes(data))
            except OSError as exc:
                raise storage_error(exc, directory) from exc
        return DraftAttachment(
            filename=name,
            content_type=(content_type or "application/octet-stream").strip().lower(),
            size=size,
            stored_name=stored,
            content_id=content_id,
        )

    def read_attachment(self, draft_id: str, att: DraftAttachment) -> bytes:
        path = self.attachment_path(draft_id, att)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise DraftMissing(detail=f"attachment file {path} is missing") from None
        except OSError as exc:
            raise storage_error(exc, path) from exc


__all__ = [
    "AttachmentUnreadable",
    "DRAFTS_DIR",
    "DamagedDraft",
    "DraftDamaged",
    "DraftMissing",
    "DraftStore",
    "check_draft_id",
    "clean_filename",
]
