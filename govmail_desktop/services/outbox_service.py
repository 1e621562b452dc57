"""The outbox of one account for the GUI: Send, the outbox folder, the user's choices.

All disk and network work runs on the service's own worker thread (never the
GUI thread): :meth:`OutboxService.submit` returns at once; the draft is checked,
built and written to the outbox durably (``submitted(draft_id)``) — or refused
(``refused(draft_id, SendCheck)``, ``submitFailed(draft_id, error)``) — and then
sent when the account is online (``set_online``); offline it waits in the
outbox and leaves when the connection returns. Temporary failures are tried
again on the backoff schedule of ``sync.send``.

Every change of an entry is told by ``entryChanged(entry_id)``, the number of
messages in the outbox by ``countChanged(n)``; :meth:`entries` is a snapshot
kept by the worker (reading it never touches the disk).
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from govmail_desktop.core.accounts import Account
from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef
from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import GovMailError, PasswordNeeded, PolicyRefused, StorageError
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.net.smtp_session import smtp_connector
from govmail_desktop.policy.api import ServerPolicy
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.policy.recipients import RecipientPolicy
from govmail_desktop.policy.sources import EffectivePolicy
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from govmail_desktop.store.outbox import OutboxEntry, OutboxState, OutboxStore
from govmail_desktop.sync import connection_policy, offline, send
from govmail_desktop.sync.listener import SyncListener
from govmail_desktop.sync.send import SendBlocked, Sender

log = logging.getLogger(__name__)

AttachmentReader = Callable[[DraftAttachment], bytes]

#: States in which Delete / Remove takes a message out of the outbox when the worker gets to
#: it: not started, refused, "may have been sent", or finished. Never one being sent or one
#: the server has taken whose Sent copy and original's mark are still to come.
DISCARDABLE = frozenset({OutboxState.QUEUED, OutboxState.FAILED, OutboxState.UNKNOWN, OutboxState.DONE})
#: How many messages the worker remembers having finished (Delete that arrives late is told so).
_FINISHED_KEPT = 200
#: Seconds the SMTP (and IMAP) connection stays open after the outbox emptied: the next Send
#: within that time needs no new connection, TLS handshake and AUTH. Then it is closed
#: cleanly (QUIT, LOGOUT) — also when the account goes offline or the app quits.
KEEP_OPEN_FOR = 30.0
#: Seconds the outbox waits after this computer's disk refused a write (full, read-only)
#: before it tries again by itself; Send, Try again and going online try at once.
STORAGE_RETRY = 60.0

MSG_ALREADY_SENT = QT_TRANSLATE_NOOP(
    "Outbox", "“{subject}” was not deleted: it had already been sent. Its copy goes to the Sent folder as usual."
)


class OutboxService(QObject):
    """One account's outbox, worked on a thread of its own."""

    #: An entry changed (state, answers, problem) or was removed.
    entryChanged = Signal(str)
    #: Messages in the outbox (all not finished: waiting, sending, failed, may have been sent).
    countChanged = Signal(int)
    #: The draft is in the outbox for good (the composer may close and discard the draft).
    submitted = Signal(str)
    #: The draft was not taken: the SendCheck names each address or file and why.
    refused = Signal(str, object)
    #: The draft was not taken for another reason (disk, a field the builder refuses): a GovMailError.
    submitFailed = Signal(str, object)
    #: A message has waited longer than ``sync.send.OVERDUE_AFTER`` without leaving (it is still
    #: tried): entry id and the notice (a Msg, "Not sent yet after N hours: <last problem>").
    #: Told once per message, ever; the notice stays in ``OutboxEntry.overdue`` for the view.
    overdue = Signal(str, object)
    #: Delete / Remove reached a message the worker had meanwhile sent or begun to send: it was
    #: not removed (it finishes as usual). Entry id and the text for the user (a Msg).
    discardRefused = Signal(str, object)
    #: This computer's disk refused a write (full, read-only) while messages were to leave: a
    #: StorageError for the user. Nothing of them left; they wait and are tried again after
    #: ``storage_retry`` seconds. Told once until a run gets through again.
    storageFailed = Signal(object)

    def __init__(
        self,
        account_id: str,
        store: OutboxStore,
        sender: Sender,
        *,
        recipient_policy: Callable[[], RecipientPolicy],
        attachment_rules: Callable[[], AttachmentRules],
        online: bool = False,
        steps: Callable[[str, str], None] | None = None,
        clock: Callable[[], float] = time.time,
        keep_open_for: float = KEEP_OPEN_FOR,
        storage_retry: float = STORAGE_RETRY,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.account_id = account_id
        self.store = store
        self.pipeline = sender
        self._recipient_policy = recipient_policy
        self._attachment_rules = attachment_rules
        self._steps = steps
        self._clock = clock
        self._online = online
        self._keep_open_for = keep_open_for
        self._storage_retry = storage_retry
        #: When (time.monotonic) to try again after the disk refused a write; None: it did not.
        self._storage_until: float | None = None
        self._storage_told = False
        #: When (time.monotonic) the kept connections are closed; None: none kept.
        self._close_at: float | None = None
        self._jobs: deque[Callable[[], None]] = deque()
        self._wake = threading.Condition()
        self._stop = threading.Event()
        self._cancel = threading.Event()
        self._send_wanted = True
        self._settle_wanted = True
        #: A spare outbox entry to be made when the worker is idle (the next Send writes one file).
        self._spare_wanted = True
        self._snapshot: list[OutboxEntry] = []
        #: Subjects of the messages the worker finished (and let go), by entry id, newest last.
        self._finished: dict[str, str] = {}
        self._snapshot_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ GUI thread API

    def start(self) -> None:
        """Recover the outbox after the last run (on the worker) and start working it."""
        if self._thread is not None:
            return
        self._jobs.append(self._recover)
        self._thread = threading.Thread(target=self._loop, name=f"outbox-{self.account_id}", daemon=True)
        self._thread.start()

    def submit(self, draft: Draft, read_attachment: AttachmentReader) -> None:
        """Send ``draft``: checked (policy), built and written to the outbox durably, then sent
        (or queued while offline). Returns at once; the answer is ``submitted(draft_id)``,
        ``refused(draft_id, SendCheck)`` or ``submitFailed(draft_id, error)``.

        ``read_attachment(att)`` gives the bytes of each of the draft's attachments (the draft
        store's ``read_attachment`` bound to this draft); it is called on the worker thread.
        """
        self._post(lambda: self._submit(draft, read_attachment))

    def retry(self, entry_id: str) -> None:
        """Try a waiting message now (a failed one is queued again as it is)."""
        self._post(lambda: self._change(entry_id, send.retry_now))

    def send_again(self, entry_id: str) -> None:
        """The user chose to send a "may have been sent" (or failed) message again."""
        self._post(lambda: self._change(entry_id, send.send_again))

    def mark_sent(self, entry_id: str) -> None:
        """The user says a "may have been sent" message was sent: filed, never resent."""
        self._post(lambda: self._change(entry_id, send.mark_sent))

    def discard(self, entry_id: str) -> None:
        """Remove a waiting, failed, unknown or finished message from the outbox (the user's
        choice). Decided when the worker gets to it: a message sent or being sent meanwhile
        is not removed (``discardRefused``)."""
        self._post(lambda: self._discard(entry_id))

    def take_back(self, entry_id: str) -> tuple[Draft, AttachmentReader]:
        """The draft of a failed or waiting message and a reader of its attachments, to edit
        and send again (reads the disk: call it from a worker, or accept a short read)."""
        return self.store.draft(entry_id), self.store.attachment_reader(entry_id)

    def entries(self) -> list[OutboxEntry]:
        """The outbox as the worker saw it last, oldest first."""
        with self._snapshot_lock:
            return list(self._snapshot)

    def count(self) -> int:
        return sum(1 for e in self.entries() if e.pending)

    def policy_changed(self, policy: ServerPolicy) -> list[PolicyRefused]:
        """The policy changed (GUI thread): a kept connection going where ``policy`` now refuses
        is ended at once and closed by the worker; a send on it ends as the existing rules say
        (before the end of DATA it waits, with the refusal; after it, "may have been sent").
        Returns the refusals; connections still allowed are kept."""
        refused = []
        for conn in self.pipeline.open_connections():
            refusal = connection_policy.refusal(conn, policy)
            if refusal is not None:
                refused.append(refusal)
                connection_policy.interrupt(conn)
        if refused:
            self._post(lambda: self._close_connections(clean=False))  # nothing more said to that server
        return refused

    def set_online(self, online: bool) -> None:
        """The account's connection came back (send what waits) or went away."""
        was = self._online
        self._online = online
        if online and not was:
            self.wake()
        elif was and not online:
            self._post(lambda: self._close_connections(clean=False))  # the network is gone: no goodbye

    def wake(self) -> None:
        """Send what is due now (and look again for messages that may have been sent)."""
        with self._wake:
            self._send_wanted = True
            self._settle_wanted = True
            self._wake.notify()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop the worker (a send in progress is finished or left to recovery)."""
        self._stop.set()
        self._cancel.set()
        with self._wake:
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # ------------------------------------------------------------ worker

    def _post(self, job: Callable[[], None]) -> None:
        with self._wake:
            self._jobs.append(job)
            self._wake.notify()

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self._spare_wanted:
                with self._wake:
                    idle = not self._jobs and not self._due()
                if idle:  # nothing else to do: the next Send's entry made ready (outside the lock)
                    self._spare_wanted = False
                    self._prepare_spare()
                    continue
            with self._wake:
                while not self._jobs and not self._stop.is_set() and not self._due():
                    self._wake.wait(self._wait_time())
                job = self._jobs.popleft() if self._jobs else None
            if self._stop.is_set():
                break
            try:
                if job is not None:
                    job()
                elif self._online and self._work_due():
                    self._send_now()
                elif self._idle_over():
                    self._close_connections()
            except Exception:  # the worker must go on; the log has the bug
                log.exception("Outbox worker of %s: unexpected error", self.account_id)
                self._refresh()
        self._close_connections()

    def _prepare_spare(self) -> None:
        try:
            self.store.prepare_spare()
        except Exception:  # only a head start for the next Send: never stops the worker
            log.exception("Outbox of %s: no spare entry made", self.account_id)

    def _idle_over(self) -> bool:
        return self._close_at is not None and time.monotonic() >= self._close_at

    def _close_connections(self, clean: bool = True) -> None:
        """The kept connections closed (QUIT / LOGOUT when ``clean``, else just dropped)."""
        self._close_at = None
        try:
            self.pipeline.close(clean=clean)
        except Exception:  # closing must not stop the worker
            log.exception("Outbox of %s: closing the connections failed", self.account_id)

    def _due(self) -> bool:
        return self._idle_over() or self._work_due()

    def _work_due(self) -> bool:
        if not self._online:
            return False
        if self._send_wanted or self._settle_wanted:
            return True
        if self._storage_until is not None:
            return time.monotonic() >= self._storage_until
        nxt = self.pipeline.next_due_at()
        return nxt is not None and nxt <= self._clock()

    def _wait_time(self) -> float | None:
        waits = [] if self._close_at is None else [self._close_at - time.monotonic()]
        if self._online and self._storage_until is not None:
            waits.append(self._storage_until - time.monotonic())
        elif self._online:
            nxt = self.pipeline.next_due_at()
            if nxt is not None:
                waits.append(nxt - self._clock())
        return max(0.05, min(waits)) if waits else None

    def _send_now(self) -> None:
        self._send_wanted = False
        if self._storage_until is not None:
            # The disk refused a write last time: a message may have been left "sending" on
            # disk (never handed over: see Sender.run); recovered as at a start.
            self._storage_until = None
            try:
                self.store.recover()
            except StorageError as err:
                self._storage_refused(err)
                return
        if self._settle_wanted:
            self._settle_wanted = False
            self.pipeline.settle_unknown(self._changed)
        subjects = {e.entry_id: e.subject for e in self.entries()}
        keep = self._keep_open_for > 0
        report = self.pipeline.run(self._cancel, self._changed, keep_open=keep)
        if report.storage is not None:
            self._storage_refused(report.storage)
        else:
            self._storage_told = False
        self._close_at = time.monotonic() + self._keep_open_for if keep and self.pipeline.connected else None
        for entry_id in report.done:
            self._finished[entry_id] = subjects.get(entry_id, "")
        for entry_id in list(self._finished)[:-_FINISHED_KEPT]:
            del self._finished[entry_id]
        self._refresh()
        for entry_id in report.overdue:
            entry = next((e for e in self.entries() if e.entry_id == entry_id), None)
            if entry is not None and entry.overdue is not None:
                self.overdue.emit(entry_id, entry.overdue)

    def _storage_refused(self, error: GovMailError) -> None:
        """The disk refused a write: wait ``storage_retry`` seconds; tell the user once."""
        self._storage_until = time.monotonic() + self._storage_retry
        if not self._storage_told:
            self._storage_told = True
            self.storageFailed.emit(error)

    def _recover(self) -> None:
        self.store.recover()
        self._refresh()

    def _submit(self, draft: Draft, read_attachment: AttachmentReader) -> None:
        try:
            entry = send.enqueue(self.store, draft, read_attachment, self._recipient_policy(),
                                 self._attachment_rules(), self._steps)
        except SendBlocked as blocked:
            self.refused.emit(draft.draft_id, blocked.check)
            return
        except GovMailError as err:
            log.warning("Draft %s not put in the outbox: %s", draft.draft_id, err)
            self.submitFailed.emit(draft.draft_id, err)
            return
        self._send_wanted = True
        self._spare_wanted = True
        self._changed(entry.entry_id, entry)
        self.submitted.emit(draft.draft_id)
        if self._online and self._storage_until is None and not self._jobs and not self._stop.is_set():
            self._send_now()  # at once: not after another turn of the loop

    def _change(self, entry_id: str, action: Callable[[OutboxStore, str], OutboxEntry]) -> None:
        try:
            action(self.store, entry_id)
        except (KeyError, ValueError) as exc:
            log.warning("Outbox action on %s not possible: %s", entry_id, exc)
        self._send_wanted = True
        self._changed(entry_id)

    def _discard(self, entry_id: str) -> None:
        try:
            entry = self.store.get(entry_id)
        except KeyError:  # finished meanwhile (or removed twice)
            if entry_id in self._finished:
                self.discardRefused.emit(entry_id, MSG_ALREADY_SENT.format(subject=self._finished[entry_id]))
            self._changed(entry_id)
            return
        if entry.state in DISCARDABLE:
            self.store.remove(entry_id)
            log.info("Outbox %s: removed at the user's word (%s)", entry_id, entry.state.value)
        else:
            log.info("Outbox %s: not removed, already %s", entry_id, entry.state.value)
            self.discardRefused.emit(entry_id, MSG_ALREADY_SENT.format(subject=entry.subject))
        self._send_wanted = True
        self._changed(entry_id)

    def _changed(self, entry_id: str, entry: OutboxEntry | None = None) -> None:
        """One entry changed (or went): only it is read again (unless given as just written),
        the snapshot changed in place."""
        try:
            entry = entry if entry is not None else self.store.get(entry_id)
        except KeyError:  # removed
            pass
        except (GovMailError, ValueError) as err:
            log.warning("Outbox entry %s unreadable: %s", entry_id, err)
            self._refresh()
            self.entryChanged.emit(entry_id)
            return
        with self._snapshot_lock:
            kept = [e for e in self._snapshot if e.entry_id != entry_id]
        if entry is not None:
            bisect.insort(kept, entry, key=_order)
        self._set_snapshot(kept)
        self.entryChanged.emit(entry_id)

    def _refresh(self) -> None:
        """Every entry read again (at start, after a run, after an error)."""
        try:
            entries = self.store.entries()
        except GovMailError as err:
            log.warning("Outbox of %s unreadable: %s", self.account_id, err)
            return
        self._set_snapshot(entries)

    def _set_snapshot(self, entries: list[OutboxEntry]) -> None:
        with self._snapshot_lock:
            before = sum(1 for e in self._snapshot if e.pending)
            self._snapshot = entries
        count = sum(1 for e in entries if e.pending)
        if count != before:
            self.countChanged.emit(count)


def _order(entry: OutboxEntry) -> tuple[float, str]:
    """The outbox's order (:meth:`OutboxStore.entries`): oldest first."""
    return entry.created_at, entry.entry_id


class PasswordSource(Protocol):
    def password_for(self, account: Account) -> str | None: ...


#: ``factory(account, cache, offline_queue)`` → the account's outbox service (None: cannot send).
OutboxFactory = Callable[[Account, MailCache, "OfflineOpQueue | None"], "OutboxService | None"]


def sent_folder_of(cache: MailCache) -> str | None:
    """The account's Sent folder as the cache knows it (its role decided by ``core.folder_roles``)."""
    for cached in cache.folders():
        if cached.folder.special_use == SpecialUse.SENT and cached.folder.selectable:
            return cached.name
    return None


def original_recorder(cache: MailCache, queue: OfflineOpQueue | None) -> Callable[[MessageRef, str], bool]:
    """Marks the original of a sent reply/forward through the offline op queue, so the cache
    shows it at once and the sync sends it; False when the cache does not know the message
    (the sender then sets the flag on its own connection)."""

    def record(ref: MessageRef, flag: str) -> bool:
        if queue is None:
            return False
        fid = cache.folder_id(ref.folder)
        cached = cache.folder(fid) if fid is not None else None
        if cached is None or cached.uidvalidity != ref.uidvalidity:
            return False
        offline.record_action(cache, queue, SyncListener(), OpKind.FLAGS, ref.folder, [ref.uid], add=[flag])
        return True

    return record


def engine_outbox_factory(
    policy: EffectivePolicy, passwords: PasswordSource, paths: AppPaths | None = None
) -> OutboxFactory | None:
    """Builds each account's outbox; None when the machine policy is broken (fails closed:
    nothing may be sent)."""
    if policy.error is not None:
        return None
    from govmail_desktop.services.sync_service import imap_connector

    def factory(account: Account, cache: MailCache, queue: OfflineOpQueue | None) -> OutboxService:
        def password() -> str:
            found = passwords.password_for(account)
            if found is None:
                raise PasswordNeeded(detail=f"no password known for account {account.id}")
            return found

        server_policy = policy.server_policy()
        store = OutboxStore.for_account(account.id, paths)
        sender = Sender(
            store,
            connect_smtp=smtp_connector(account, password, server_policy),
            connect_imap=imap_connector(account, password, server_policy),
            sent_folder=lambda: sent_folder_of(cache),
            recipient_policy=policy.recipient_policy,
            attachment_rules=policy.attachment_rules,
            record_original=original_recorder(cache, queue),
        )
        return OutboxService(account.id, store, sender, recipient_policy=policy.recipient_policy,
                             attachment_rules=policy.attachment_rules)

    return factory


def is_waiting(entry: OutboxEntry) -> bool:
    """Still to leave by itself (not failed, not "may have been sent")."""
    return entry.state in (OutboxState.QUEUED, OutboxState.SENDING)


__all__ = [
    "DISCARDABLE", "MSG_ALREADY_SENT", "AttachmentReader", "OutboxFactory", "OutboxService",
    "engine_outbox_factory", "is_waiting", "original_recorder", "sent_folder_of",
]
