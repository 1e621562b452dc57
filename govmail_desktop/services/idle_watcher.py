"""IDLE on its own connection and thread: "INBOX changed", as a signal for the sync service.

The watcher reconnects with backoff when the network drops, and after every
reconnect reports a change once (mail may have come while it was away). When
the password is missing or refused it does not retry (that would only fail
again, and repeated refused logins can lock the account): it waits until
:meth:`IdleWatcher.resume` says a password may be known now; the same when the
policy refuses the server (at connect, or a changed policy refusing the open connection:
:meth:`IdleWatcher.recheck` ends it, this thread closes it). It never writes to the
cache: the sync service's worker does that (a QRESYNC
resync of INBOX, one round trip when nothing else changed).
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance, Slot

from govmail_desktop.core.errors import AuthError, GovMailError, PolicyRefused
from govmail_desktop.policy.api import ServerPolicy
from govmail_desktop.sync import connection_policy
from govmail_desktop.sync.connection import ConnectionFactory, MailboxConnection, prepare
from govmail_desktop.sync.control import STABLE_CONNECTION, Backoff, CancelToken
from govmail_desktop.sync.idle import IdleLoop

log = logging.getLogger(__name__)


class IdleWatcher(QObject):
    """Signals (emitted in this object's thread):
    changed(str folder): the server reported new mail, expunges or flag changes.
    watchingChanged(bool): IDLE runs / the connection was lost.
    """

    changed = Signal(str)
    watchingChanged = Signal(bool)
    _relay_changed = Signal(str)
    _relay_watching = Signal(bool)

    def __init__(
        self,
        connect: ConnectionFactory,
        *,
        folder: str = "INBOX",
        backoff: Backoff | None = None,
        wake_every: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._connect = connect
        self.folder = folder
        self._backoff = backoff or Backoff(initial=2.0, maximum=300.0)
        self._wake_every = wake_every
        self._stop = CancelToken()
        #: Set by resume() (a password may be known now) and by stop().
        self._resume = threading.Event()
        self._thread: threading.Thread | None = None
        self.watching = False
        #: This round's connection (set and closed by the watcher's thread; read by recheck()).
        self.connection: MailboxConnection | None = None
        #: A changed policy refuses the open connection's server (set by recheck()).
        self._refused: PolicyRefused | None = None
        #: The policy last given to recheck(), and how many times (a connect under way during a
        #: change is judged by the new rules once it is made).
        self._policy: ServerPolicy | None = None
        self._policy_changes = 0
        queued = Qt.ConnectionType.QueuedConnection
        self._relay_changed.connect(self.changed, queued)
        self._relay_watching.connect(self._on_watching, queued)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="sync-idle", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end (it notices within ``wake_every`` seconds)."""
        self._stop.cancel()
        self._resume.set()

    def resume(self) -> None:
        """A password may be known now: a watcher waiting for one connects again."""
        self._resume.set()

    def recheck(self, policy: ServerPolicy) -> PolicyRefused | None:
        """The policy changed: when the open connection goes where ``policy`` now refuses, it
        is interrupted (IDLE's read returns at once) and this watcher's thread closes it and
        waits for :meth:`resume`; the refusal is returned. An allowed one is left alone."""
        self._policy = policy
        self._policy_changes += 1
        conn = self.connection
        refused = connection_policy.refusal(conn, policy) if conn is not None else None
        if refused is not None:
            self._refused = refused
            connection_policy.interrupt(conn)
        return refused

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @Slot(bool)
    def _on_watching(self, watching: bool) -> None:
        if watching != self.watching:
            self.watching = watching
            self.watchingChanged.emit(watching)

    def _emit(self, signal: SignalInstance, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the Qt side is gone (shutdown)
            self._stop.cancel()

    def _run(self) -> None:
        first = True
        while not self._stop.cancelled:
            conn: MailboxConnection | None = None
            needs_password = False
            ready_at: list[float] = []
            self._resume.clear()
            changes = self._policy_changes
            try:
                conn = prepare(self._connect())
                self.connection = conn
                if self._policy is not None and changes != self._policy_changes:
                    late = connection_policy.refusal(conn, self._policy)
                    if late is not None:
                        self._refused = late
                        raise late
                reconnected = not first

                # Called by this round's loop, so it binds this round's value.
                def ready(reconnected: bool = reconnected, ready_at: list[float] = ready_at) -> None:
                    ready_at.append(time.monotonic())
                    self._emit(self._relay_watching, True)
                    if reconnected:  # mail may have arrived while we were away
                        self._emit(self._relay_changed, self.folder)

                loop = IdleLoop(
                    conn,
                    lambda events: self._emit(self._relay_changed, self.folder),
                    self._stop,
                    folder=self.folder,
                    wake_every=self._wake_every,
                    on_ready=ready,
                )
                first = False
                loop.run()
            except AuthError as exc:
                needs_password = True
                log.info("IDLE waits for the password (%s)", exc.code)
            except PolicyRefused as exc:  # at connect: it would only be refused again
                needs_password = True
                log.info("IDLE waits: the policy refuses the server (%s)", exc.code)
            except GovMailError as exc:
                log.info("IDLE connection ended (%s: %s)", type(exc).__name__, exc.detail or exc.code)
            except Exception:  # keep watching; a bug goes to the log
                if self._refused is None:
                    log.exception("IDLE watcher failed unexpectedly")
            finally:
                refused, self._refused, self.connection = self._refused, None, None
                if refused is not None:  # a changed policy refuses the server: no goodbye to it
                    log.warning("A changed policy refuses the IDLE connection's server (%s): closed", refused.code)
                    needs_password = True
                if conn is not None:
                    try:
                        if refused is None and not getattr(conn, "broken", False):
                            conn.logout()
                        else:
                            conn.close()
                    except Exception:  # noqa: BLE001 - closing a dead connection
                        pass
            if self._stop.cancelled:
                break
            if ready_at and time.monotonic() - ready_at[0] >= STABLE_CONNECTION:
                # It watched for a while: a fresh start of the delays. An IDLE the server ends at
                # once must meet growing delays, not a reconnect every ``initial`` seconds for ever.
                self._backoff.reset()
            self._emit(self._relay_watching, False)
            if needs_password:
                self._resume.wait()
                self._backoff.reset()
            else:
                self._stop.wait(self._backoff.next_delay())
        self._emit(self._relay_watching, False)
