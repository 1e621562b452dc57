"""Cancellation, progress and reconnect timing for long sync work (no Qt)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from govmail_desktop.core.errors import Cancelled


class CancelToken:
    """Set by the GUI (through the service), checked by the worker between steps.

    Checks happen between FETCH batches and commands, so a cancel takes effect
    within one batch (a fraction of a second) without breaking the connection.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if cancelled meanwhile (an interruptible sleep)."""
        return self._event.wait(seconds)


#: A connection lost after this many seconds had worked: the reconnect delays start again from
#: the shortest (one lost sooner, or one that never got an operation done, lets them grow).
STABLE_CONNECTION = 30.0


@dataclass
class Backoff:
    """Delays between reconnect attempts: exponential, capped, with jitter.

    Jitter spreads reconnects of many clients after a server restart (an agency
    has thousands of desktops on one server). ``reset()`` after a success.
    """

    initial: float = 1.0
    factor: float = 2.0
    maximum: float = 300.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random)
    attempts: int = 0

    def next_delay(self) -> float:
        base = min(self.maximum, self.initial * (self.factor ** self.attempts))
        self.attempts += 1
        if self.jitter:
            base *= 1.0 + self.rng.uniform(-self.jitter, self.jitter)
        return max(0.0, min(base, self.maximum))

    def reset(self) -> None:
        self.attempts = 0
