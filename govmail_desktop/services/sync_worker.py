"""The sync service's connection worker: a thread with a serial queue of operations and one
IMAP connection (services/sync_service.py builds two: the connection worker and the local one).

Every operation ends in exactly one of ``done``, ``failed`` or ``cancelled``. A dropped
connection is not a failure: the worker goes offline, waits (exponential backoff with
jitter), reconnects and runs the operation again. When a changed policy refuses the server
the open connection goes to (:meth:`Worker.recheck`, sync/connection_policy.py), the
connection is ended and closed by this thread, and the running operation fails with the
refusal instead (no reconnect: a connect would be refused the same way).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal, SignalInstance

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.errors import BugError, Cancelled, GovMailError, NetworkError, PolicyRefused
from govmail_desktop.core.threads import lower_current_thread_priority
from govmail_desktop.sync import connection_policy
from govmail_desktop.sync.connection import ConnectionFactory, MailboxConnection, prepare
from govmail_desktop.sync.control import STABLE_CONNECTION, Backoff, CancelToken

if TYPE_CHECKING:
    from govmail_desktop.policy.api import ServerPolicy

log = logging.getLogger(__name__)

DONE = Outcome.DONE
FAILED = Outcome.FAILED
CANCELLED = Outcome.CANCELLED


@dataclass
class Operation:
    """One queued unit of work; ``run(conn)`` does it on the worker's thread.

    ``conn`` is the worker's connection when ``needs_connection``, else None. What
    ``run`` returns is not used: an operation ends as DONE, or with its error.
    """

    id: int
    key: tuple[str | int, ...]  # equal keys = the same work (a second request joins the queued one)
    title: Callable[[], str]
    run: Callable[[MailboxConnection | None, CancelToken], object]
    needs_connection: bool = True
    retry_on_network: bool = True
    cancel: CancelToken = field(default_factory=CancelToken)
    started: bool = False


class _Relay(QObject):
    """Signals emitted by worker threads; connected queued to the service's slots."""

    started = Signal(int, str)
    progress = Signal(int, int, int)
    finished = Signal(int, str, object)
    online = Signal(bool)
    status = Signal(str)
    folders = Signal()
    inserted = Signal(int, object)
    changed = Signal(int, object)
    removed = Signal(int, object)
    reset = Signal(int)
    new_mail = Signal(int, object)
    unreadable = Signal(int, int)
    action_settled = Signal(int, object, object)


class Worker(threading.Thread):
    """A thread with a serial queue of operations and (optionally) one connection.

    Never touched from the GUI thread except through :meth:`submit`,
    :meth:`cancel` and :meth:`stop`, which only change the queue under a lock.
    """

    def __init__(
        self,
        name: str,
        relay: _Relay,
        connect: ConnectionFactory | None,
        backoff: Backoff,
        on_connected: Callable[[MailboxConnection, CancelToken], None] | None = None,
    ) -> None:
        super().__init__(name=name, daemon=True)  # a hung server must never block quitting
        self.relay = relay
        self.connect = connect
        self.backoff = backoff
        self.on_connected = on_connected
        self._cond = threading.Condition()
        self._queue: deque[Operation] = deque()
        self._current: Operation | None = None
        self._stopping = False
        self._conn: MailboxConnection | None = None
        self._connected_at = 0.0
        self.online: bool | None = None
        #: The open connection goes where a changed policy refuses (set by recheck(); taken by this thread).
        self._refused: PolicyRefused | None = None
        #: The policy last given to recheck(), and how many times: a connect under way during a
        #: change is judged again when it is made (it was checked under the rules before).
        self._policy: ServerPolicy | None = None
        self._policy_changes = 0

    # -- called from the GUI thread -----------------------------------------------------
    def submit(self, op: Operation, *, first: bool = False) -> int:
        with self._cond:
            for queued in self._queue:
                if queued.key == op.key and not queued.started:
                    return queued.id  # the same work is already waiting
            if first:
                self._queue.appendleft(op)
            else:
                self._queue.append(op)
            self._cond.notify()
        return op.id

    def cancel(self, op_id: int) -> bool:
        """True if found. A queued op is dropped (its ``cancelled`` is emitted here)."""
        with self._cond:
            for op in list(self._queue):
                if op.id == op_id:
                    self._queue.remove(op)
                    self.relay.finished.emit(op.id, CANCELLED, None)
                    return True
            if self._current is not None and self._current.id == op_id:
                self._current.cancel.cancel()
                return True
        return False

    def cancel_all(self) -> None:
        with self._cond:
            ids = [op.id for op in self._queue]
        for op_id in ids:
            self.cancel(op_id)
        with self._cond:
            if self._current is not None:
                self._current.cancel.cancel()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            if self._current is not None:
                self._current.cancel.cancel()
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._queue) + (1 if self._current is not None else 0)

    @property
    def connection(self) -> MailboxConnection | None:
        """The open connection (read from any thread; only this worker's thread uses it)."""
        return self._conn

    def recheck(self, policy: ServerPolicy) -> PolicyRefused | None:
        """The policy changed: when the open connection goes where ``policy`` now refuses, it
        is interrupted (a running operation ends failed with the refusal) and this worker's
        thread closes it; the refusal is returned. An allowed one is left alone."""
        with self._cond:
            self._policy = policy
            self._policy_changes += 1
            conn = self._conn
            refused = connection_policy.refusal(conn, policy) if conn is not None else None
            if refused is None:
                return None
            self._refused = refused
            self._cond.notify()
        connection_policy.interrupt(conn)
        return refused

    # -- the thread ---------------------------------------------------------------------
    def run(self) -> None:
        lower_current_thread_priority()  # the window first (see core/threads.py)
        dropped: list[Operation] = []
        try:
            while True:
                self._drop_refused()
                with self._cond:
                    while not self._queue and not self._stopping and self._refused is None:
                        self._cond.wait()
                    if self._refused is not None and not self._stopping:
                        continue
                    if self._stopping:
                        dropped = list(self._queue)
                        self._queue.clear()
                        break
                    op = self._queue.popleft()
                    op.started = True
                    self._current = op
                self._emit(self.relay.started, op.id, op.title())
                outcome, value = self._execute(op)
                with self._cond:
                    self._current = None
                self._emit(self.relay.finished, op.id, outcome, value)
            for op in dropped:
                self._emit(self.relay.finished, op.id, CANCELLED, None)
        finally:
            self._disconnect(logout=True)

    def _emit(self, signal: SignalInstance, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the Qt side is gone (shutdown)
            pass

    def _execute(self, op: Operation) -> tuple[Outcome, object]:
        """How ``op`` ended, with its error when FAILED (else what it returned, or None)."""
        while True:
            if op.cancel.cancelled:
                return CANCELLED, None
            try:
                conn = self._connection(op.cancel) if op.needs_connection else None
                result = op.run(conn, op.cancel)
                if conn is not None:
                    # Only a finished operation proves the connection works: a server that takes
                    # the login and drops every session must meet growing delays, not a retry
                    # every ``initial`` seconds for ever.
                    self.backoff.reset()
                return DONE, result
            except Cancelled:
                return CANCELLED, None
            except NetworkError as exc:
                refused = self._drop_refused()
                if refused is not None:  # ended because a changed policy refuses its server
                    return FAILED, refused
                lasted = time.monotonic() - self._connected_at if self._conn is not None else 0.0
                self._disconnect()
                self._set_online(False)
                if not op.retry_on_network or self._stopping:
                    return FAILED, exc
                if lasted >= STABLE_CONNECTION:  # it worked for a while: a fresh start of the delays
                    self.backoff.reset()
                delay = self.backoff.next_delay()
                log.info("Connection lost (%s); retrying in %.1f s", exc.detail or exc.code, delay)
                text = QCoreApplication.translate("SyncService", "Offline. Reconnecting in {seconds} s…")
                self._emit(self.relay.status, text.format(seconds=max(1, round(delay))))
                if op.cancel.wait(delay):
                    return CANCELLED, None
            except GovMailError as exc:
                refused = self._drop_refused()
                if refused is not None:
                    return FAILED, refused
                if op.cancel.cancelled:
                    return CANCELLED, None
                if self._conn is not None and getattr(self._conn, "broken", False):
                    self._disconnect()
                return FAILED, exc
            except Exception as exc:  # a bug: traceback to the log, short text to the user
                refused = self._drop_refused()
                if refused is not None:  # what reading an interrupted connection raised
                    return FAILED, refused
                log.exception("Operation %d failed unexpectedly", op.id)
                self._disconnect()
                return FAILED, BugError(detail=f"{type(exc).__name__} in a sync operation")

    def _connection(self, cancel: CancelToken) -> MailboxConnection:
        if self._conn is not None and not getattr(self._conn, "broken", False):
            return self._conn
        self._disconnect()
        if self.connect is None:
            raise RuntimeError("this worker has no connection")
        self._emit(self.relay.status, QCoreApplication.translate("SyncService", "Connecting…"))
        changes = self._policy_changes
        conn = prepare(self.connect())
        with self._cond:  # a policy change while connecting: judged by the new rules too
            refused = None
            if self._policy is not None and changes != self._policy_changes:
                refused = connection_policy.refusal(conn, self._policy)
            if refused is None:
                self._conn = conn
        if refused is not None:
            conn.close()
            raise refused
        self._connected_at = time.monotonic()
        self._set_online(True)
        if self.on_connected is not None:
            self.on_connected(conn, cancel)
        return conn

    def _drop_refused(self) -> PolicyRefused | None:
        """This thread: close the connection a changed policy refuses (no goodbye: nothing
        more is said to that server); the refusal, or None when there was none."""
        with self._cond:
            refused, self._refused = self._refused, None
        if refused is not None:
            log.warning("A changed policy refuses this connection's server (%s): closed", refused.code)
            self._disconnect()
            self._set_online(False)
        return refused

    def _disconnect(self, *, logout: bool = False) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if logout and not getattr(conn, "broken", False):
                conn.logout()
            else:
                conn.close()
        except GovMailError:
            pass
        except Exception:  # closing a broken connection must not matter
            log.debug("Closing a connection failed", exc_info=True)

    def _set_online(self, online: bool) -> None:
        if self.online != online:
            self.online = online
            self._emit(self.relay.online, online)
            self._emit(self.relay.status, "" if online else QCoreApplication.translate("SyncService", "Offline"))


__all__ = ["CANCELLED", "DONE", "FAILED", "Operation", "Worker"]
