"""The offline action queue: durable, ordered, never lost silently."""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import Flag
from govmail_desktop.store import OfflineOpQueue, OpKind, UidSet


@pytest.fixture
def queue_path(tmp_path):
    return tmp_path / "acct" / "ops.sqlite3"


def test_actions_come_back_in_the_order_they_were_made_after_a_restart(queue_path):
    q = OfflineOpQueue(queue_path)
    a = q.enqueue(OpKind.FLAGS, "INBOX", 7, [3, 1, 2], add_flags=[Flag.SEEN])
    b = q.enqueue(OpKind.MOVE, "INBOX", 7, UidSet.from_imap("10:20"), target="เก็บถาวร")
    c = q.enqueue(OpKind.DELETE, "โครงการ/2569", 9, [5])
    q.close()

    q = OfflineOpQueue(queue_path)
    try:
        ops = q.pending()
        assert [op.seq for op in ops] == [a, b, c] and a < b < c
        assert ops[0].kind is OpKind.FLAGS and ops[0].uids.to_imap() == "1:3" and ops[0].add_flags == {Flag.SEEN}
        assert ops[1].target == "เก็บถาวร" and len(ops[1].uids) == 11
        assert ops[2].folder == "โครงการ/2569" and ops[2].uidvalidity == 9
        assert q.count() == 3
    finally:
        q.close()


def test_completed_actions_are_forgotten_and_failures_counted(queue_path):
    q = OfflineOpQueue(queue_path)
    try:
        a = q.enqueue(OpKind.FLAGS, "INBOX", 1, [1], remove_flags=[Flag.SEEN])
        b = q.enqueue(OpKind.DELETE, "INBOX", 1, [2])
        assert q.record_failure(a, "NO [SERVERBUG]") == 1
        assert q.record_failure(a, "NO again") == 2
        q.complete(b)
        [op] = q.pending()
        assert (op.seq, op.attempts, op.last_error) == (a, 2, "NO again")
    finally:
        q.close()


def test_a_move_needs_a_target(queue_path):
    q = OfflineOpQueue(queue_path)
    try:
        with pytest.raises(ValueError):
            q.enqueue(OpKind.MOVE, "INBOX", 1, [1])
    finally:
        q.close()


def test_a_damaged_queue_is_kept_aside_and_reported(queue_path):
    q = OfflineOpQueue(queue_path)
    q.enqueue(OpKind.DELETE, "INBOX", 1, [2])
    q.close()
    queue_path.write_bytes(b"\x00garbage" * 500)
    q = OfflineOpQueue(queue_path)
    try:
        assert q.recovered_from_damage
        assert q.pending() == []
        kept = list(queue_path.parent.glob("ops.sqlite3.damaged-*"))
        assert len(kept) == 1 and kept[0].read_bytes().startswith(b"\x00garbage")
    finally:
        q.close()
