"""The user's choices about a message in the outbox: send it again, try it now, mark it sent.

Each is one durable change of the entry (:meth:`OutboxStore.update`); the outbox
service's worker sends what is then due. Re-exported by :mod:`sync.send`.
"""

from __future__ import annotations

from govmail_desktop.store.outbox import OutboxEntry, OutboxState, OutboxStore, RecipientResult, merge_results


def send_again(store: OutboxStore, entry_id: str) -> OutboxEntry:
    """A failed or "may have been sent" message, queued again at the user's word
    (an ``unknown`` one may reach its recipients twice: the user chose so)."""
    entry = store.get(entry_id)
    confirmed = entry.resend_confirmed or entry.state is OutboxState.UNKNOWN
    # Every recipient not delivered to is named again (a refusal may have been fixed);
    # one the server accepted the message for never is. The waiting clock starts anew.
    kept = tuple(r for r in entry.recipients if r.accepted)
    return store.update(entry_id, state=OutboxState.QUEUED, next_attempt_at=0.0, attempts=0,
                        resend_confirmed=confirmed, problem=None, problem_detail="", recipients=kept,
                        in_flight=(), waiting_since=store.now(), overdue=None)


def retry_now(store: OutboxStore, entry_id: str) -> OutboxEntry:
    """A waiting (or failed) message tried again at once."""
    entry = store.get(entry_id)
    if entry.state is OutboxState.UNKNOWN:
        raise ValueError("a message that may have been sent is only sent again by send_again()")
    if entry.state is OutboxState.FAILED:
        return send_again(store, entry_id)
    return store.update(entry_id, next_attempt_at=0.0)


def mark_sent(store: OutboxStore, entry_id: str) -> OutboxEntry:
    """The user says a "may have been sent" message was sent: it is filed, never resent —
    to the recipients of the transaction whose answer was lost (others that had answered
    4xx in it still wait for their own attempt)."""
    entry = store.get(entry_id)
    taken = [RecipientResult(a, 250, "marked as sent by the user") for a in entry.in_flight or entry.waiting]
    return store.update(entry_id, state=OutboxState.ACCEPTED, next_attempt_at=0.0, problem=None,
                        problem_detail="marked as sent by the user", in_flight=(),
                        recipients=merge_results(entry.recipients, taken))


__all__ = ["mark_sent", "retry_now", "send_again"]
