"""Sending through the fault proxy (issue 16 item 1, the short slice): every message is
delivered exactly once or shown as "may have been sent" — never twice, never lost.

The long run is ``make stress`` (tests/stress/run.py); here a fixed seed and five messages.
"""

from __future__ import annotations

import pytest

from tests.stress.fault_sends import run_sends

pytestmark = pytest.mark.integration

#: Fixed: its plans cut, stall, throttle and fragment these five sends.
SEED = 20261204
SENDS = 5


def test_sends_through_faults_arrive_once_or_say_may_have_been_sent(fresh_dovecot, fresh_smtp_server, tmp_path):
    dovecot = fresh_dovecot()
    smtp = fresh_smtp_server(dovecot)
    stats = run_sends(dovecot, smtp, tmp_path, SEED, SENDS)
    assert stats.sends == SENDS
    assert (stats.lost, stats.duplicated, stats.wrong) == ([], [], [])
    assert stats.delivered_once + stats.may_have_been_sent + stats.waiting == SENDS
    assert stats.may_have_been_sent_arrived <= stats.may_have_been_sent
    # The faults reached the sends: some needed another round or ended "may have been sent".
    assert max(stats.rounds) > 1 or stats.may_have_been_sent
    assert stats.faults["cut"] >= 1


def test_the_send_checks_catch_planted_losses_and_duplicates():
    """The judge of the copies proves itself on planted outcomes."""
    from govmail_desktop.store.outbox import OutboxState
    from tests.stress.fault_sends import SendStats, judge_copies

    stats = SendStats()
    judge_copies(stats, "sent, one copy", None, 1)
    judge_copies(stats, "sent, no copy", None, 0)
    judge_copies(stats, "sent twice", OutboxState.ACCEPTED, 2)
    judge_copies(stats, "unknown, arrived", OutboxState.UNKNOWN, 1)
    judge_copies(stats, "unknown twice", OutboxState.UNKNOWN, 2)
    judge_copies(stats, "queued but delivered", OutboxState.QUEUED, 1)
    judge_copies(stats, "failed but delivered", OutboxState.FAILED, 1)
    assert stats.delivered_once == 1 and stats.may_have_been_sent == 1
    assert [t.split(":")[0] for t in stats.lost] == ["sent, no copy"]
    assert [t.split(":")[0] for t in stats.duplicated] == ["sent twice", "unknown twice", "queued but delivered"]
    assert [t.split(":")[0] for t in stats.wrong] == ["failed but delivered"]
