"""Senders whose remote images load without asking: the user's own allow-list.

"Always for this sender" on the remote-content bar adds the message's From
address here; Edit → Settings lists the addresses and removes them. The list
belongs to the person, not to a mail account or the cache: it lives in the
data folder (beside the contacts), never in the disposable cache, in a small
JSON file written atomically (temporary file, fsync, rename) with the user's
permissions only (mode 0600 from ``mkstemp``).

Addresses are compared case-insensitively in Unicode normal form
(:func:`store.contacts.email_key`); look-alike domains (Cyrillic letters, punycode)
stay different addresses.

**Threads.** Reading and asking (:meth:`allows`, :meth:`addresses`) answer from
memory, for the GUI thread. A change updates memory at once and the file is
written on the list's own thread (:meth:`flush` waits for it: tests and
shutdown); a write that fails is handed to ``on_error`` and the list in memory
is kept.

**Damage.** A file that is not the expected JSON is moved aside
(``remote_senders.json.broken``, kept for IT staff), reported in
:attr:`problems`, and the list starts empty: nothing loads without asking
until the user allows senders again (fail closed).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.fileops import FileInUseError, replace_with_retry
from govmail_desktop.core.settings import atomic_write_text
from govmail_desktop.store.contacts import email_key

log = logging.getLogger(__name__)

FILE_NAME = "remote_senders.json"
VERSION = 1
#: Most senders kept; adding one more drops the oldest.
MAX_SENDERS = 5000
#: Longest address taken (RFC 5321's path limit).
MAX_ADDRESS = 254
#: A larger file is not read (it cannot be ours).
MAX_FILE_BYTES = 2 * 1024 * 1024


def sender_key(address: str) -> str:
    """The form the list keeps and compares an address in; ValueError when it is not one."""
    if not isinstance(address, str):
        raise ValueError("not text")
    key = email_key(address)
    local, at, domain = key.rpartition("@")
    if (
        not at
        or not local
        or not domain
        or len(key) > MAX_ADDRESS
        or any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in key)
        or "." not in domain.strip(".")
    ):
        raise ValueError(f"not an e-mail address: {address[:80]!r}")
    return key


class RemoteSenders:
    """The allow-list in memory, written to ``path`` after each change (None: memory only)."""

    def __init__(self, path: Path | None, *, on_error: Callable[[StorageError], None] | None = None) -> None:
        self.path = path
        self.on_error = on_error
        #: Problems found while reading the file (damage, bad entries); never fatal.
        self.problems: list[str] = []
        self._lock = threading.Lock()
        #: key -> when it was added (seconds since the epoch); insertion order = age.
        self._senders: dict[str, float] = {}
        self._changes = 0
        self._written = 0
        self._writer: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    # -- reading ------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path, *, on_error: Callable[[StorageError], None] | None = None) -> RemoteSenders:
        """The list kept at ``path``; missing: empty; damaged: moved aside, empty."""
        senders = cls(path, on_error=on_error)
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return senders
        except OSError as exc:
            senders.problems.append(f"{path}: {exc}")
            log.warning("Remote-content senders not read from %s: %s", path, exc)
            return senders
        try:
            if len(raw) > MAX_FILE_BYTES:
                raise ValueError("file too large")
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("version") != VERSION:
                raise ValueError("not a version-1 list of senders")
            entries = data.get("senders")
            if not isinstance(entries, list):
                raise ValueError("'senders' is not a list")
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            senders._move_aside(path, str(exc))
            return senders
        for entry in entries:
            try:
                if not isinstance(entry, dict) or not isinstance(entry.get("address"), str):
                    raise ValueError("entry is not {'address': ...}")
                added = entry.get("added")
                key = sender_key(entry["address"])
                senders._senders[key] = float(added) if isinstance(added, (int, float)) else 0.0
            except ValueError as exc:
                senders.problems.append(f"{path}: entry skipped: {exc}")
        senders._trim()
        return senders

    def _move_aside(self, path: Path, reason: str) -> None:
        aside = path.with_name(path.name + ".broken")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.broken{n}")
        try:
            replace_with_retry(path, aside)
        except (OSError, FileInUseError) as exc:
            log.warning("Damaged %s not moved aside: %s", path, exc)
        self.problems.append(f"{path}: {reason}; kept as {aside.name}")
        log.warning("Remote-content senders file %s damaged (%s); kept as %s", path, reason, aside.name)

    # -- asking -------------------------------------------------------------------
    def allows(self, address: str) -> bool:
        """True when remote images from ``address`` load without asking."""
        try:
            key = sender_key(address)
        except ValueError:
            return False
        with self._lock:
            return key in self._senders

    def addresses(self) -> list[str]:
        """The senders on the list, sorted."""
        with self._lock:
            return sorted(self._senders)

    # -- changing -----------------------------------------------------------------
    def add(self, address: str) -> None:
        """Allow ``address``; ValueError when it is not an e-mail address."""
        key = sender_key(address)
        with self._lock:
            self._senders.pop(key, None)
            self._senders[key] = time.time()
            self._trim()
        self._changed()

    def remove(self, address: str) -> bool:
        """Take ``address`` off the list; False when it was not on it."""
        try:
            key = sender_key(address)
        except ValueError:
            return False
        with self._lock:
            if self._senders.pop(key, None) is None:
                return False
        self._changed()
        return True

    def _trim(self) -> None:
        while len(self._senders) > MAX_SENDERS:
            del self._senders[next(iter(self._senders))]

    # -- writing ------------------------------------------------------------------
    def _changed(self) -> None:
        if self.path is None:
            return
        with self._lock:
            self._changes += 1
            if self._writer is None:
                self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="remote-senders")
            self._pending = self._writer.submit(self._write)

    def _write(self) -> None:
        """On the list's thread: the latest list to the file (a later change writes again)."""
        assert self.path is not None
        with self._lock:
            if self._written == self._changes:
                return  # an earlier job already wrote this state
            changes = self._changes
            entries = [{"address": key, "added": round(added)} for key, added in self._senders.items()]
        text = json.dumps({"version": VERSION, "senders": entries}, ensure_ascii=False, indent=1) + "\n"
        try:
            atomic_write_text(self.path, text)
        except StorageError as err:
            log.warning("Remote-content senders not saved: %s", err.detail)
            if self.on_error is not None:
                self.on_error(err)
            return
        with self._lock:
            self._written = max(self._written, changes)

    def flush(self, timeout: float | None = 10.0) -> None:
        """Wait until the changes made so far are written (or their write failed)."""
        with self._lock:
            pending = self._pending
        if pending is not None:
            pending.result(timeout)

    def close(self) -> None:
        """Write what is pending and stop the list's thread."""
        with self._lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.shutdown(wait=True)
