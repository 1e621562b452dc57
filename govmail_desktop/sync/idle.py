"""Watching a folder for new mail on a connection of its own (IMAP IDLE, RFC 2177).

The watcher never writes to the cache itself: the server's IDLE messages carry
sequence numbers, not UIDs, and the cache is the folder sync's business. It
only tells the caller "this folder changed", and the caller queues a resync
(with QRESYNC a single round trip), so new mail shows within about a second.

IDLE is renewed before the 29-minute limit of RFC 2177 (firewalls and NATs drop
quiet connections too). Servers without IDLE are polled with NOOP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from govmail_desktop.net.imap.responses import Event
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken

log = logging.getLogger(__name__)


class IdleLoop:
    """Runs until ``stop`` is cancelled or the connection fails (NetworkError propagates)."""

    def __init__(
        self,
        conn: MailboxConnection,
        on_change: Callable[[list[Event]], None],
        stop: CancelToken,
        *,
        folder: str = "INBOX",
        renew_after: float = 25 * 60,
        wake_every: float = 1.0,
        poll_interval: float = 60.0,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.conn = conn
        self.on_change = on_change
        self.stop = stop
        self.folder = folder
        self.renew_after = renew_after
        self.wake_every = wake_every
        self.poll_interval = poll_interval
        self.on_ready = on_ready
        #: Set once the folder is selected and IDLE (or polling) runs: tests wait for it.
        self.watching = False

    def run(self) -> None:
        conn = self.conn
        # EXAMINE: this connection only watches; it must never change flags or \Recent.
        conn.select(self.folder, readonly=True)
        if not conn.has("IDLE"):
            self._poll()
            return
        while not self.stop.cancelled:
            conn.idle_start()
            self._ready()
            started = time.monotonic()
            try:
                while not self.stop.cancelled and time.monotonic() - started < self.renew_after:
                    events = conn.idle_wait(self.wake_every)
                    if events:
                        self.on_change(events)
            finally:
                if not conn.broken:
                    leftover = conn.idle_done()
                    if leftover and not self.stop.cancelled:
                        self.on_change(leftover)

    def _ready(self) -> None:
        if not self.watching:
            self.watching = True
            if self.on_ready is not None:
                self.on_ready()

    def _poll(self) -> None:
        self._ready()
        while not self.stop.wait(self.poll_interval):
            events = self.conn.noop()
            if events:
                self.on_change(events)
