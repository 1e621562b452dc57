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


# ---------------------------------------------------------------- action ids


def test_a_queued_row_is_found_by_its_action_id_not_by_its_contents(queue_path):
    """Two identical actions (mark the same message read twice) are two rows: each is
    found by the id of the action it is, which no comparison of contents could tell."""
    q = OfflineOpQueue(queue_path)
    try:
        first, second = q.new_op_id(), q.new_op_id()
        assert second > first
        seq1 = q.enqueue(OpKind.FLAGS, "INBOX", 7, [4], add_flags=[Flag.SEEN], op_id=first)
        seq2 = q.enqueue(OpKind.FLAGS, "INBOX", 7, [4], add_flags=[Flag.SEEN], op_id=second)
        assert (q.get(first).seq, q.get(second).seq) == (seq1, seq2)
        assert [op.op_id for op in q.pending()] == [first, second]
        q.complete(seq1)
        assert q.get(first) is None and q.get(second).op_id == second
    finally:
        q.close()


def test_new_action_ids_stay_above_those_queued_in_an_earlier_session(queue_path):
    q = OfflineOpQueue(queue_path)
    q.enqueue(OpKind.DELETE, "INBOX", 1, [2], op_id=41)
    q.close()
    q = OfflineOpQueue(queue_path)
    try:
        assert q.new_op_id() == 42
        assert q.enqueue(OpKind.DELETE, "INBOX", 1, [3]) and q.pending()[-1].op_id == 43
    finally:
        q.close()


def test_queued_rows_of_the_first_schema_are_migrated_and_kept(queue_path):
    """A queue written by a version without action ids: its rows are the user's work,
    so they stay, in order, each with an id (its sequence number), and new ids follow."""
    import sqlite3

    queue_path.parent.mkdir(parents=True)
    db = sqlite3.connect(queue_path)
    db.executescript(
        """CREATE TABLE ops (
               seq         INTEGER PRIMARY KEY AUTOINCREMENT,
               kind        TEXT NOT NULL,
               folder      TEXT NOT NULL,
               uidvalidity INTEGER,
               uids        TEXT NOT NULL,
               add_flags   TEXT NOT NULL DEFAULT '',
               remove_flags TEXT NOT NULL DEFAULT '',
               target      TEXT,
               created_at  REAL NOT NULL,
               attempts    INTEGER NOT NULL DEFAULT 0,
               last_error  TEXT
           );
           INSERT INTO ops (kind, folder, uidvalidity, uids, add_flags, remove_flags, target, created_at)
               VALUES ('flags', 'INBOX', 7, '1:3', '["\\\\Seen"]', '[]', NULL, 1.0);
           INSERT INTO ops (kind, folder, uidvalidity, uids, add_flags, remove_flags, target, created_at, attempts)
               VALUES ('move', 'โครงการ', 9, '5', '[]', '[]', 'เก็บถาวร', 2.0, 1);
           PRAGMA user_version = 1;"""
    )
    db.close()
    q = OfflineOpQueue(queue_path)
    try:
        assert not q.recovered_from_damage
        first, second = q.pending()
        assert (first.kind, first.folder, first.uids.to_imap(), first.add_flags) == (
            OpKind.FLAGS, "INBOX", "1:3", {Flag.SEEN}
        )
        assert (second.kind, second.target, second.attempts) == (OpKind.MOVE, "เก็บถาวร", 1)
        assert (first.op_id, second.op_id) == (first.seq, second.seq)
        assert q.get(second.op_id) == second
        new = q.new_op_id()
        assert new > second.op_id
        q.enqueue(OpKind.DELETE, "INBOX", 7, [9], op_id=new)
        assert [op.op_id for op in q.pending()] == [first.seq, second.seq, new]
    finally:
        q.close()
    reopened = sqlite3.connect(queue_path)
    try:
        assert reopened.execute("PRAGMA user_version").fetchone()[0] == 2
    finally:
        reopened.close()
