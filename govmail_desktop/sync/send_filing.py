"""After the server took a message: its copy in the Sent folder, the original's mark, and
settling "may have been sent" by the Sent folder (Qt-free; part of :mod:`sync.send`).

:class:`Filing` holds the account's IMAP connection for this. The copy is appended
unless the Sent folder has it already (found by Message-ID, so a crash between
APPEND and its record never files it twice) → ``filed``, once per message even when
recipients that answered 4xx are sent to later; the original of a reply or forward
is marked ``\\Answered`` / ``$Forwarded`` through the offline op queue (or straight on
the connection when the cache does not know it) → ``done``. A refused copy is told,
never worth sending the message again; a connection problem postpones the copy.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from govmail_desktop.core.compose import MessageRef, OriginalKind
from govmail_desktop.core.entities import Flag
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.net.imap.client import ImapCommandError
from govmail_desktop.store.outbox import OutboxEntry, OutboxState, OutboxStore, RecipientResult, merge_results
from govmail_desktop.sync.connection import ConnectionFactory, MailboxConnection

log = logging.getLogger(__name__)

STEP_APPENDING = "appending"  # the Sent copy is about to be appended
STEP_APPENDED = "appended"  # APPEND answered, "filed" not recorded yet
STEP_FILED = "filed"
STEP_DONE = "done"

#: A kept IMAP connection quiet this long (seconds) is checked (NOOP) before it is used again.
KEPT_CHECK_AFTER = 2.0

MSG_NOT_FILED = QT_TRANSLATE_NOOP("Outbox", "Sent, but the copy could not be saved in the Sent folder ({answer}).")


@dataclass
class SendReport:
    """What one :meth:`Sender.run` did (entry ids)."""

    accepted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    retry: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)
    #: Entries that became ``overdue`` in this run (each is named once, ever).
    overdue: list[str] = field(default_factory=list)
    #: The run stopped because this computer's disk refused a write (full, read-only): a
    #: StorageError for the user; nothing of the entry it was working on had left.
    storage: GovMailError | None = None


class Filing:
    """The Sent copy, the original's mark and the unknown-fate search of one account's outbox.

    ``connect_imap()`` a logged-in IMAP connection (None: no Sent copy, no marks by IMAP);
    ``sent_folder()`` the Sent role folder's name (None when the account has none);
    ``record_original(ref, flag)`` queues the flag in the offline op queue and returns True
    (False when the cache does not know the message: it is set on the connection);
    ``retry_waiting(entry)`` queues a partly delivered entry for its 4xx recipients;
    ``delay(attempts)`` the backoff before the copy is tried again.
    """

    def __init__(
        self,
        store: OutboxStore,
        *,
        connect_imap: ConnectionFactory | None,
        sent_folder: Callable[[], str | None],
        record_original: Callable[[MessageRef, str], bool] | None,
        steps: Callable[[str, str], None],
        retry_waiting: Callable[[OutboxEntry], OutboxEntry],
        delay: Callable[[int], float],
        clock: Callable[[], float],
    ) -> None:
        self.store = store
        self._connect_imap = connect_imap
        self._sent_folder = sent_folder
        self._record_original = record_original
        self._steps = steps
        self._retry_waiting = retry_waiting
        self._delay = delay
        self._clock = clock
        self._imap: MailboxConnection | None = None
        self._imap_used = 0.0

    def close(self, clean: bool = True) -> None:
        """LOGOUT (``clean``) or just close the kept IMAP connection."""
        if self._imap is not None and not clean:
            self._drop_imap()
        if self._imap is not None:
            try:
                self._imap.logout()
            except GovMailError:
                self._imap.close()
            self._imap = None

    @property
    def connected(self) -> bool:
        return self._imap is not None

    @property
    def imap_connection(self) -> MailboxConnection | None:
        """The kept IMAP connection (read from any thread; only the outbox worker uses it)."""
        return self._imap

    def _imap_conn(self) -> MailboxConnection | None:
        if self._imap is None and self._connect_imap is not None:
            self._imap = self._connect_imap()
        self._imap_used = time.monotonic()
        return self._imap

    def _drop_imap(self) -> None:
        if self._imap is not None:
            self._imap.close()
            self._imap = None

    def in_sent(self, conn: MailboxConnection, folder: str, message_id: str) -> bool:
        """Whether ``folder`` holds a message with this Message-ID."""
        conn.select(folder, readonly=True)
        quoted = message_id.replace("\\", "").replace('"', "")
        return bool(conn.uid_search(f'HEADER Message-ID "{quoted}"').uid_set)

    def file(self, entry: OutboxEntry, changed: Callable[[str], None]) -> OutboxEntry:
        if self._imap is not None and time.monotonic() - self._imap_used > KEPT_CHECK_AFTER:
            # kept from an earlier message and quiet since: the server may have closed it
            try:
                self._imap.noop()
            except GovMailError as err:
                log.info("Outbox: the kept IMAP connection is gone (%s); connecting again", err.detail[:200])
                self._drop_imap()
        eid = entry.entry_id
        if entry.filed_once:  # a later delivery to recipients that had answered 4xx: one copy only
            entry = self.store.update(eid, state=OutboxState.FILED, durable=False)
            self._steps(STEP_FILED, eid)
            changed(eid)
            return entry
        folder = self._sent_folder()
        try:
            conn = self._imap_conn() if folder else None
            if conn is None or folder is None:
                log.info("Outbox %s: no Sent folder (or no IMAP): no copy filed", eid)
                entry = self.store.update(eid, state=OutboxState.FILED, filed_once=True, durable=False)
            elif self.in_sent(conn, folder, entry.message_id):
                log.info("Outbox %s: the Sent folder has it already", eid)
                entry = self.store.update(eid, state=OutboxState.FILED, sent_folder=folder, filed_once=True,
                                          durable=False)
            else:
                self._steps(STEP_APPENDING, eid)
                uid = conn.append(folder, self.store.sent_copy(eid), flags=[Flag.SEEN])
                self._steps(STEP_APPENDED, eid)
                entry = self.store.update(eid, state=OutboxState.FILED, sent_folder=folder, sent_uid=uid,
                                          filed_once=True, durable=False)
        except ImapCommandError as err:  # the server refused the copy: the message is sent all the same
            self._drop_imap()
            entry = self.store.update(eid, state=OutboxState.FILED, filed_once=True,
                                      problem=MSG_NOT_FILED.format(answer=err.detail[:120]), problem_detail=err.detail)
        except GovMailError as err:  # later, never by sending it again
            self._drop_imap()
            delay = self._delay(max(entry.attempts, 1))
            log.info("Outbox %s: Sent copy postponed (%s)", eid, err.detail[:200])
            entry = self.store.update(eid, next_attempt_at=self._clock() + delay, problem_detail=err.detail[:300])
            changed(eid)
            return entry
        self._steps(STEP_FILED, eid)
        changed(eid)
        return entry

    def finish(self, entry: OutboxEntry, report: SendReport, changed: Callable[[str], None]) -> OutboxEntry:
        """The original marked, then ``done`` (and let go when nothing is left to tell). The
        writes here are not waited for on disk: a crash only makes a step happen again (the
        mark is a flag added once more; the Sent copy is looked for by Message-ID first)."""
        eid = entry.entry_id
        marked = entry.original_marked
        if not marked:
            draft = self.store.draft(eid)
            if draft.original is not None and draft.original_kind is not None:
                flag = Flag.ANSWERED if draft.original_kind is OriginalKind.REPLY else Flag.FORWARDED
                self._mark_original(draft.original, flag)
        # Delivered to some; the ones answered 4xx are tried again later. (An entry with no
        # recipient recorded as delivered — written before answers were kept per recipient —
        # is finished as it is: it must never be sent to everyone again.)
        if entry.waiting and entry.delivered:
            if not marked:
                entry = self.store.update(eid, original_marked=True, durable=False)
            entry = self._retry_waiting(entry)
            report.retry.append(eid)
            changed(eid)
            return entry
        keep = bool(entry.refused) or entry.problem is not None  # the user is to read what happened
        if keep:
            entry = self.store.update(eid, original_marked=True, state=OutboxState.DONE, durable=False)
        else:
            entry = replace(entry, original_marked=True, state=OutboxState.DONE)
        self._steps(STEP_DONE, eid)
        report.done.append(eid)
        if not keep:
            self.store.remove(eid)
        changed(eid)
        return entry

    def _mark_original(self, ref: MessageRef, flag: str) -> None:
        try:
            if self._record_original is not None and self._record_original(ref, flag):
                return
            conn = self._imap_conn()
            if conn is None:
                return
            info = conn.select(ref.folder)
            if info.uidvalidity != ref.uidvalidity:
                log.info("Original message not marked: its folder was rebuilt")
                return
            conn.store_flags(str(ref.uid), "+", [flag])
        except (GovMailError, ValueError) as err:  # a mark is not worth failing a sent message
            log.warning("Original message not marked %s: %s", flag, err)

    # ------------------------------------------------------------ unknown fate

    def settle_unknown(self, changed: Callable[[str], None] | None = None) -> SendReport:
        """Entries that may have been sent, looked for in the Sent folder by Message-ID:
        found → filed → done; otherwise they stay for the user to decide."""
        report = SendReport()
        notify = changed or (lambda _entry_id: None)
        # One filed after an earlier delivery is in Sent already: that copy says nothing of
        # the later transaction whose answer was lost; the user decides that one.
        unknown = [e for e in self.store.entries() if e.state is OutboxState.UNKNOWN and not e.filed_once]
        folder = self._sent_folder()
        if not unknown or folder is None:
            return report
        try:
            conn = self._imap_conn()
            if conn is None:
                return report
            for entry in unknown:
                if self.in_sent(conn, folder, entry.message_id):
                    taken = [RecipientResult(a, 250, "found in Sent") for a in entry.in_flight or entry.waiting]
                    filed = self.store.update(entry.entry_id, state=OutboxState.FILED, sent_folder=folder,
                                              filed_once=True, in_flight=(),
                                              recipients=merge_results(entry.recipients, taken),
                                              problem=None, problem_detail="found in Sent")
                    report.settled.append(entry.entry_id)
                    self.finish(filed, report, notify)
        except GovMailError as err:
            log.info("Unknown outbox entries not settled now: %s", err.detail[:200])
            self._drop_imap()
        finally:
            self.close()
        return report


__all__ = ["MSG_NOT_FILED", "STEP_APPENDED", "STEP_APPENDING", "STEP_DONE", "STEP_FILED", "Filing", "SendReport"]
