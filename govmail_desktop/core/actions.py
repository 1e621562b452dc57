"""How a user action ends: one outcome, reported under the action's id.

Every action the user starts (mark read or unread, flag, delete to the Trash,
delete for good, move, copy, archive; later the composer's outbox) gets an id
when it starts. The id is stored with the action's row in the durable queue
(``store/op_queue.py``), travels with it to the server and back, and the
action ends exactly once with ``action_settled(op_id, outcome, error)``:
``outcome`` is an :class:`Outcome`, ``error`` a typed
:class:`~govmail_desktop.core.errors.GovMailError` for FAILED (else None).
Nothing on the way compares texts: the words for the user are made from the
typed error by the message bridge alone.
"""

from __future__ import annotations

from enum import Enum


class Outcome(str, Enum):
    """How an action (or any operation) ended: each ends exactly once, in one of these."""

    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


__all__ = ["Outcome"]
