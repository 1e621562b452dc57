"""The outbox: messages the user sent, kept on disk until the server has them and they are filed.

Where: ``<data_dir>/accounts/<account-id>/outbox/`` — beside the disposable
mail cache, never inside it (a cache rebuild does not touch it). One directory
per message::

    outbox/<entry-id>/
        state.json     what happened so far (a line appended at every step)
        message.pack   the message's bytes in one file (:mod:`store.outbox_pack`):
          draft.json     the draft as the user wrote it (to edit and send again)
          message.eml    the bytes for SMTP DATA (no Bcc header)
          sent.eml       the copy for the Sent folder (with Bcc); absent when it would
                         be the same bytes as message.eml (no Bcc)
          att/<name>     the attachments' bytes, so a failed message can be edited
                         although the draft store has let the draft go

(Entries written before the pack keep these as separate files; they are read as they are.)

Durability: :meth:`OutboxStore.add` writes ``message.pack`` and ``state.json`` into
``<entry-id>.new/``, fsyncs each and that directory, renames it to ``<entry-id>`` and
fsyncs ``outbox/`` — only then does it return, and only then may anything touch the
network. Faster, with a spare (:meth:`OutboxStore.prepare_spare`, made durable while idle:
an entry directory with a pack and a state log of zero bytes), ``add`` writes the message,
its first state and a CRC-32 of its bytes into the spare's pack and ``fdatasync``s that one
file. ``state.json`` is a log (:mod:`store.outbox_files`): each state change appends the
whole entry as one JSON line, ``fdatasync``'d when the next step needs it on disk; the last
whole line counts (a line cut short by a crash reads as nothing), else the pack's first
state; neither: a spare, no message (recovery: also a pack whose CRC fails). Steps a crash
may only repeat are not waited for (:meth:`OutboxStore.update` ``durable=False``).

States (:class:`OutboxState`)::

    queued ──▶ sending ──▶ accepted ──▶ filed ──▶ done
       ▲          │  └──▶ failed (5xx for everyone, too big, blocked by policy)
       └──────────┘ temporary failure (network, 4xx): queued again, later
                 sending + ``committing`` at a crash ──▶ unknown ("may have been sent")

``committing`` is recorded (durably) right before the end of DATA leaves; the
server's 250 is recorded as ``accepted`` the moment it arrives. So an entry
found in ``sending`` at start-up (:meth:`OutboxStore.recover`) either never
finished DATA (safe to send again: ``queued``) or may have been accepted
(``unknown``, never resent without the user's word).

No Qt, no network, no MIME (the bytes are built by the caller).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from govmail_desktop.core.compose import Draft, DraftAttachment
from govmail_desktop.core.errors import StorageError
from govmail_desktop.core.fileops import FileInUseError, replace_with_retry
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.store.cache import account_dir
from govmail_desktop.store.db import storage_error
from govmail_desktop.store.outbox_entry import (
    MSG_PROGRESS,
    TRANSITIONS,
    WAITING,
    IllegalTransition,
    OutboxEntry,
    OutboxState,
    RecipientResult,
    ServerOffers,
    merge_results,
    msg_from_json,
    msg_to_json,
)
from govmail_desktop.store.outbox_files import (
    SPARE_PACK_BYTES,
    SPARE_STATE_BYTES,
    append_state,
    content_end,
    fsync_dir,
    read_state,
    write_durably,
    zero_filled,
)
from govmail_desktop.store.outbox_pack import (
    PackDamaged,
    members_crc,
    read_member,
    read_members,
    write_pack,
    write_pack_in_place,
)

log = logging.getLogger(__name__)

OUTBOX_DIR = "outbox"
STATE_FILE = "state.json"
DRAFT_FILE = "draft.json"
WIRE_FILE = "message.eml"
SENT_FILE = "sent.eml"
ATTACHMENT_DIR = "att"
PACK_FILE = "message.pack"
#: What the account's SMTP server offered at its last EHLO (a guess for building at Send).
SERVER_FILE = "server.json"
#: In the pack of an entry written into a spare: the bytes' CRC-32 (checked at recovery).
CHECK_MEMBER = "check.json"
_NEW_SUFFIX = ".new"
_GONE_SUFFIX = ".gone"


@dataclass
class RecoveryReport:
    """What :meth:`OutboxStore.recover` found after a stop or a crash."""

    requeued: list[str] = field(default_factory=list)  # sending, DATA never ended
    unknown: list[str] = field(default_factory=list)  # DATA ended, answer not recorded
    damaged: list[str] = field(default_factory=list)  # unreadable entries moved aside


class OutboxStore:
    """The outbox of one account. Thread-safe (one lock); one process at a time."""

    def __init__(self, root: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.root = root
        self._clock = clock
        self._lock = threading.RLock()
        self._spares: list[str] = []  # spare entries made by this store, ready for add()
        #: The members of the last messages written into a spare, by entry, with their pack's
        #: (inode, mtime, size): read back from here while the file is the one written.
        self._written: dict[str, tuple[tuple[int, int, int], dict[str, bytes]]] = {}
        #: What server.json holds, once this store has read or written it (a guess anyway).
        self._offers: tuple[ServerOffers | None] | None = None
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, root) from exc

    def now(self) -> float:
        """The store's clock (seconds since the epoch), as it stamps entries."""
        return self._clock()

    @classmethod
    def for_account(cls, account_id: str, paths: AppPaths | None = None) -> OutboxStore:
        return cls(account_dir(account_id, paths) / OUTBOX_DIR)

    # ------------------------------------------------------------ writing

    def add(
        self,
        draft: Draft,
        read_attachment: Callable[[DraftAttachment], bytes],
        *,
        wire: bytes,
        sent_copy: bytes,
        message_id: str,
        envelope_from: str,
        envelope_recipients: Iterable[str],
        subject: str = "",
        transfer: str = "7bit",
    ) -> OutboxEntry:
        """Keep a new message (state ``queued``); returns once it is on disk for good (in a
        spare entry when one is ready: one file written and waited for)."""
        now = self._clock()
        entry = OutboxEntry(
            entry_id=self._new_id(now),
            account_id=draft.account_id,
            draft_id=draft.draft_id,
            state=OutboxState.QUEUED,
            message_id=message_id,
            envelope_from=envelope_from,
            envelope_recipients=tuple(envelope_recipients),
            subject=subject,
            created_at=now,
            updated_at=now,
            transfer=transfer,
        )
        members = [(DRAFT_FILE, draft.to_json().encode("utf-8")), (WIRE_FILE, wire)]
        if sent_copy != wire:  # else (no Bcc) the Sent copy is read from the wire bytes
            members.append((SENT_FILE, sent_copy))
        for att in draft.attachments:
            _check_name(att.stored_name)
            members.append((f"{ATTACHMENT_DIR}/{att.stored_name}", read_attachment(att)))
        spare = self._into_spare(entry, members)
        if spare is not None:
            return spare
        new = self.root / (entry.entry_id + _NEW_SUFFIX)
        final = self.root / entry.entry_id
        try:
            new.mkdir()
            write_pack(new / PACK_FILE, members)
            write_durably(new / STATE_FILE, _state_bytes(entry), sync_dir=False)
            fsync_dir(new)
            replace_with_retry(new, final)
            fsync_dir(self.root)
        except FileInUseError:
            shutil.rmtree(new, ignore_errors=True)
            raise
        except OSError as exc:
            shutil.rmtree(new, ignore_errors=True)
            raise storage_error(exc, new) from exc
        log.info("Outbox %s: queued %s for %d recipient(s)", entry.entry_id, message_id,
                 len(entry.envelope_recipients))
        return entry

    def _new_id(self, now: float | None = None) -> str:
        return f"{int((self._clock() if now is None else now) * 1000):013d}-{uuid.uuid4().hex[:12]}"

    def prepare_spare(self) -> bool:
        """Make an empty entry ready for the next :meth:`add` (durable: its files, its
        directory and ``outbox/`` fsync'd), unless one is ready. Call it when nothing else
        is to be done. False when none could be made (add then writes a new directory)."""
        with self._lock:
            if self._spares:
                return True
            name = self._new_id()
            new = self.root / (name + _NEW_SUFFIX)
            try:
                new.mkdir()
                zero_filled(new / PACK_FILE, SPARE_PACK_BYTES)  # written over in place (outbox_files)
                zero_filled(new / STATE_FILE, SPARE_STATE_BYTES)
                fsync_dir(new)
                replace_with_retry(new, self.root / name)
                fsync_dir(self.root)
            except (OSError, FileInUseError) as exc:  # FileInUseError is a StorageError, not an OSError
                shutil.rmtree(new, ignore_errors=True)
                log.info("Outbox: no spare entry made (%s)", exc)
                return False
            self._spares.append(name)
            return True

    def _into_spare(self, entry: OutboxEntry, members: list[tuple[str, bytes]]) -> OutboxEntry | None:
        """``entry`` written into a ready spare (its pack only, fdatasync'd); None when there
        is none or it cannot be written (held by another program): add makes a new one."""
        with self._lock:
            if not self._spares:
                return None
            name = self._spares.pop()
        entry = replace(entry, entry_id=name)
        check = json.dumps({"crc32": members_crc(members)}).encode("ascii")
        members = [*members, (STATE_FILE, _state_bytes(entry)), (CHECK_MEMBER, check)]
        try:
            write_pack_in_place(self.root / name / PACK_FILE, members)
        except OSError as exc:  # left a spare (its state log is empty): recovery takes it again
            log.info("Outbox: spare entry %s not usable (%s)", name, exc)
            return None
        with contextlib.suppress(OSError):
            self._remember(name, (self.root / name / PACK_FILE).stat(), members)
        log.info("Outbox %s: queued %s for %d recipient(s)", entry.entry_id, entry.message_id,
                 len(entry.envelope_recipients))
        return entry

    def _written_member(self, entry_id: str, name: str) -> bytes | None:
        """Member ``name`` as this store just wrote it into the entry's pack, while the pack is
        still that file; None when not kept (read the disk). KeyError: the pack has no such member."""
        written = self._written.get(entry_id)
        if written is None:
            return None
        try:
            stat = (self.root / entry_id / PACK_FILE).stat()
        except OSError:
            return None
        if written[0] != (stat.st_ino, stat.st_mtime_ns, stat.st_size):
            return None
        if name not in written[1]:
            raise KeyError(f"{entry_id}/{name}")
        return written[1][name]

    def _remember(self, entry_id: str, stat: os.stat_result, members: list[tuple[str, bytes]]) -> None:
        """Keep what was just written for the send that follows (the last two messages)."""
        self._written[entry_id] = ((stat.st_ino, stat.st_mtime_ns, stat.st_size), dict(members))
        while len(self._written) > 2:
            del self._written[next(iter(self._written))]

    def update(
        self, entry_id: str, *, durable: bool = True, current: OutboxEntry | None = None, **changes: Any
    ) -> OutboxEntry:
        """Change an entry durably (a new ``state`` must be allowed by :data:`TRANSITIONS`).

        ``durable=False`` for a step a crash may only make happen again (an idempotent one:
        "sending" before the connection, "filed", "done"): its line is appended but not
        waited for; after a crash the entry is whole in the old state or the new one. The
        next durable write carries it too. ``current``: the entry as this store's last
        ``add``/``update`` of it returned it (the send pipeline's own copy: not read again).
        """
        with self._lock:
            entry = current if current is not None and current.entry_id == entry_id else self.get(entry_id)
            new_state = changes.get("state", entry.state)
            if new_state is not entry.state and new_state not in TRANSITIONS[entry.state]:
                raise IllegalTransition(f"{entry.state.value} -> {OutboxState(new_state).value}")
            updated = replace(entry, updated_at=self._clock(), **changes)
            try:
                append_state(self.root / entry_id / STATE_FILE, _state_bytes(updated), durable=durable)
            except OSError as exc:
                raise storage_error(exc, self.root / entry_id) from exc
            if new_state is not entry.state:
                log.info("Outbox %s: %s -> %s", entry_id, entry.state.value, updated.state.value)
            return updated

    def replace_message(self, entry_id: str, *, wire: bytes, sent_copy: bytes, transfer: str) -> OutboxEntry:
        """The bytes rebuilt for what this server offers (same Message-ID), durably,
        before they are sent."""
        self._written.pop(entry_id, None)
        with self._lock:
            folder = self.root / entry_id
            try:
                if (folder / PACK_FILE).exists():
                    old = read_members(folder / PACK_FILE)
                    bytes_now = [(WIRE_FILE, wire), *([(SENT_FILE, sent_copy)] if sent_copy != wire else [])]
                    # attachments, the first state (a spare's); not the CRC (this pack is whole by rename)
                    rest = [m for m in old if m[0] not in (DRAFT_FILE, WIRE_FILE, SENT_FILE, CHECK_MEMBER)]
                    write_pack(folder / PACK_FILE, [*(m for m in old if m[0] == DRAFT_FILE), *bytes_now, *rest])
                    fsync_dir(folder)
                else:  # an entry from before the pack: its separate files
                    write_durably(folder / WIRE_FILE, wire, sync_dir=False)
                    write_durably(folder / SENT_FILE, sent_copy)
            except PackDamaged as exc:
                raise StorageError(detail=f"outbox entry {entry_id}: {exc}", code="outbox-damaged") from None
            except OSError as exc:
                raise storage_error(exc, folder) from exc
            return self.update(entry_id, transfer=transfer)

    def remember_server_offers(self, offers: ServerOffers) -> None:
        """Keep what the server offered (only when it changed). Not fsync'd: a guess, lost or
        damaged it means one rebuild in the sender, never a wrong message."""
        if self.server_offers() == offers:
            return
        self._offers = (offers,)
        path = self.root / SERVER_FILE
        tmp = path.with_name(SERVER_FILE + ".tmp")
        try:
            tmp.write_text(json.dumps(asdict(offers)), encoding="utf-8")
            replace_with_retry(tmp, path)
        except (OSError, FileInUseError) as exc:
            log.info("Outbox: what the server offers not kept (%s)", exc)

    def server_offers(self) -> ServerOffers | None:
        """What the server offered last (None: not known, or unreadable)."""
        if self._offers is None:
            try:
                data = json.loads((self.root / SERVER_FILE).read_text(encoding="utf-8"))
                self._offers = (ServerOffers(bool(data["eightbitmime"]), bool(data["smtputf8"])),)
            except (OSError, ValueError, KeyError, TypeError):
                self._offers = (None,)
        return self._offers[0]

    def remove(self, entry_id: str) -> None:
        """Forget an entry (done, or taken back by the user to edit)."""
        self._written.pop(entry_id, None)
        with self._lock:
            folder = self.root / entry_id
            gone = self.root / (entry_id + _GONE_SUFFIX)
            try:
                replace_with_retry(folder, gone)
                fsync_dir(self.root)
            except FileNotFoundError:
                return
            except OSError as exc:
                raise storage_error(exc, folder) from exc
            shutil.rmtree(gone, ignore_errors=True)

    # ------------------------------------------------------------ reading

    def get(self, entry_id: str) -> OutboxEntry:
        """The entry; KeyError when there is none, StorageError when it is damaged."""
        _check_name(entry_id)
        path = self.root / entry_id / STATE_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise KeyError(entry_id) from None
        except OSError as exc:
            raise storage_error(exc, path) from exc
        try:
            data = read_state(raw)
        except ValueError:  # no whole line (none yet: written into a spare): the pack's first state
            data = self._first_state(entry_id, raw)
        try:
            return OutboxEntry.from_dict(data)
        except (UnicodeDecodeError, ValueError) as exc:
            raise StorageError(detail=f"outbox entry {entry_id}: {exc}", code="outbox-damaged") from None

    def _first_state(self, entry_id: str, log_bytes: bytes) -> Any:
        """The state written with the message into a spare. KeyError when the pack has none
        and the log is empty (a spare: no message); StorageError when the log has bytes
        but no whole line and the pack no state (damaged)."""
        pack = self.root / entry_id / PACK_FILE
        try:
            member = self._written_member(entry_id, STATE_FILE)
            if member is None:
                member = read_member(pack, STATE_FILE)
        except (FileNotFoundError, PackDamaged):
            member = None
        except OSError as exc:
            raise storage_error(exc, pack) from exc
        if member is None:
            if not content_end(log_bytes):
                raise KeyError(entry_id)
            raise StorageError(detail=f"outbox entry {entry_id}: no whole state", code="outbox-damaged")
        try:
            return read_state(member)
        except ValueError as exc:
            raise StorageError(detail=f"outbox entry {entry_id}: {exc}", code="outbox-damaged") from None

    def _is_spare(self, entry_id: str) -> bool:
        """Whether this entry directory holds no message: a spare (state log empty) whose pack is
        empty or cut short by a crash during ``add`` (which never returned). StorageError for a
        pack that reads whole but not as its CRC says: set aside, kept."""
        folder = self.root / entry_id
        try:
            if content_end((folder / STATE_FILE).read_bytes()):
                return False
            members = read_members(folder / PACK_FILE)
        except (FileNotFoundError, PackDamaged):
            return (folder / STATE_FILE).is_file()  # no state at all: damaged (get() says so)
        except OSError:
            return False  # unreadable now: get() says so; never thrown away
        found = dict(members)
        if STATE_FILE not in found:
            return True
        if CHECK_MEMBER not in found:
            return False  # written whole by rename (replace_message)
        if not content_end(found[CHECK_MEMBER]):
            return True  # written last, not there yet: add never returned (a spare's zero bytes)
        crc = members_crc([m for m in members if m[0] not in (STATE_FILE, CHECK_MEMBER)])
        with contextlib.suppress(ValueError, KeyError, TypeError):
            if json.loads(found[CHECK_MEMBER])["crc32"] == crc:
                return False
        raise StorageError(detail=f"outbox entry {entry_id}: bytes differ from their CRC", code="outbox-damaged")

    def entries(self) -> list[OutboxEntry]:
        """Every readable entry, oldest first."""
        found: list[OutboxEntry] = []
        for name in self._entry_names():
            try:
                found.append(self.get(name))
            except KeyError:  # a spare: no message
                continue
            except StorageError as exc:
                log.warning("Outbox entry %s unreadable: %s", name, exc)
        return sorted(found, key=lambda e: (e.created_at, e.entry_id))

    def pending_count(self) -> int:
        return sum(1 for e in self.entries() if e.pending)

    def draft(self, entry_id: str) -> Draft:
        return Draft.from_json(self._read(entry_id, DRAFT_FILE).decode("utf-8"))

    def wire(self, entry_id: str) -> bytes:
        return self._read(entry_id, WIRE_FILE)

    def sent_copy(self, entry_id: str) -> bytes:
        """The copy for the Sent folder (the wire bytes themselves when there is no Bcc)."""
        try:
            return self._read(entry_id, SENT_FILE)
        except KeyError:
            return self._read(entry_id, WIRE_FILE)

    def read_attachment(self, entry_id: str, attachment: DraftAttachment) -> bytes:
        """The bytes of one of the entry's draft attachments (kept with the entry)."""
        _check_name(attachment.stored_name)
        return self._read(entry_id, f"{ATTACHMENT_DIR}/{attachment.stored_name}")

    def attachment_reader(self, entry_id: str) -> Callable[[DraftAttachment], bytes]:
        return lambda att: self.read_attachment(entry_id, att)

    def _read(self, entry_id: str, name: str) -> bytes:
        """A member of the entry's pack (KeyError when it has none), or the separate file of
        an entry from before the pack."""
        _check_name(entry_id)
        pack = self.root / entry_id / PACK_FILE
        kept = self._written_member(entry_id, name)
        if kept is not None:
            return kept
        try:
            data = read_member(pack, name)
        except FileNotFoundError:
            pass
        except PackDamaged as exc:
            raise StorageError(detail=f"outbox entry {entry_id}: {exc}", code="outbox-damaged") from None
        except OSError as exc:
            raise storage_error(exc, pack) from exc
        else:
            if data is None:
                raise KeyError(f"{entry_id}/{name}")
            return data
        path = self.root / entry_id / name
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise KeyError(f"{entry_id}/{name}") from None
        except OSError as exc:
            raise storage_error(exc, path) from exc

    def _entry_names(self) -> list[str]:
        try:
            return sorted(
                p.name for p in self.root.iterdir()
                if p.is_dir() and not p.name.endswith((_NEW_SUFFIX, _GONE_SUFFIX))
            )
        except OSError as exc:
            raise storage_error(exc, self.root) from exc

    # ------------------------------------------------------------ start-up

    def recover(self) -> RecoveryReport:
        """After a stop or a crash (before anything is sent): half-written new entries and
        half-removed ones are cleared away (``add`` had not returned; ``remove`` had
        decided); an entry left ``sending`` goes back to ``queued`` when DATA never ended,
        else to ``unknown``. Damaged entries are moved aside (kept, never deleted)."""
        report = RecoveryReport()
        with self._lock:
            try:
                leftovers = [p for p in self.root.iterdir() if p.name.endswith((_NEW_SUFFIX, _GONE_SUFFIX))]
            except OSError as exc:
                raise storage_error(exc, self.root) from exc
            for path in leftovers:
                shutil.rmtree(path, ignore_errors=True)
            self._spares.clear()
            for name in self._entry_names():
                try:
                    if self._is_spare(name):  # kept for the next add (one), others removed
                        self._keep_spare(name)
                        continue
                    entry = self.get(name)
                except (KeyError, StorageError) as exc:
                    self._set_aside(name, exc)
                    report.damaged.append(name)
                    continue
                if entry.state is not OutboxState.SENDING:
                    continue
                if entry.committing:
                    self.update(name, state=OutboxState.UNKNOWN, committing=False, next_attempt_at=None)
                    report.unknown.append(name)
                else:
                    self.update(name, state=OutboxState.QUEUED, next_attempt_at=0.0)
                    report.requeued.append(name)
        if report.unknown or report.requeued or report.damaged:
            log.warning("Outbox recovered: %d requeued, %d may have been sent, %d damaged",
                        len(report.requeued), len(report.unknown), len(report.damaged))
        return report

    def _keep_spare(self, name: str) -> None:
        pack = self.root / name / PACK_FILE
        if not self._spares and pack.is_file():
            try:
                if content_end(pack.read_bytes()) or pack.stat().st_size != SPARE_PACK_BYTES:
                    zero_filled(pack, SPARE_PACK_BYTES, new=False)  # a crash's half add: no message
                self._spares.append(name)
                return
            except OSError as exc:
                log.info("Outbox: spare entry %s not kept (%s)", name, exc)
        gone = self.root / (name + _GONE_SUFFIX)
        try:
            replace_with_retry(self.root / name, gone)
        except (OSError, FileInUseError):
            log.info("Outbox: spare entry %s left for the next start", name)
            return
        shutil.rmtree(gone, ignore_errors=True)

    def _set_aside(self, name: str, exc: BaseException) -> None:
        aside = self.root.parent / f"outbox-damaged-{int(self._clock())}-{name}"
        log.error("Outbox entry %s damaged (%s); moved to %s", name, exc, aside)
        try:
            replace_with_retry(self.root / name, aside)
            fsync_dir(self.root)
        except (OSError, FileInUseError):
            log.exception("Could not move the damaged outbox entry %s aside", name)


def _check_name(name: str) -> None:
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise ValueError(f"unsafe outbox file name {name!r}")


def _state_bytes(entry: OutboxEntry) -> bytes:
    return json.dumps(entry.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"


def entries_by_state(entries: Iterable[OutboxEntry]) -> Mapping[OutboxState, list[OutboxEntry]]:
    grouped: dict[OutboxState, list[OutboxEntry]] = {s: [] for s in OutboxState}
    for entry in entries:
        grouped[entry.state].append(entry)
    return grouped


__all__ = [
    "OUTBOX_DIR", "PACK_FILE", "TRANSITIONS", "WAITING", "IllegalTransition", "OutboxEntry", "OutboxState",
    "OutboxStore", "MSG_PROGRESS", "RecipientResult", "RecoveryReport", "ServerOffers", "entries_by_state", "fsync_dir",
    "merge_results", "msg_from_json", "msg_to_json", "append_state", "read_state", "write_durably",
]
