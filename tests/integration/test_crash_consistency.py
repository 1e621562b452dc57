"""Crash consistency (issue 16 item 2), the short slice of ``make stress``: the real app
(``tests.stress.crash_app``) killed with SIGKILL at seeded random moments during its sync of
a folder of a few thousand messages, its draft autosaves and its outbox writes; each next start
reaches its window, the cache equals the server after the sync, nothing recorded is lost and
no message reaches the recipient twice. The checks prove themselves on planted damage."""

from __future__ import annotations

import sqlite3

import pytest

from govmail_desktop.core.compose import Draft
from govmail_desktop.store.drafts import DraftStore
from tests.integration.sync_helpers import make_message
from tests.stress.crash_kills import CrashRig, fill_inbox, run_kill_rounds

pytestmark = [pytest.mark.integration, pytest.mark.linux_only]  # SIGKILL, chown of the Maildir

SEED = 16


@pytest.fixture
def servers(fresh_dovecot):
    from tests.servers.smtp import SmtpSubmissionServer

    dovecot = fresh_dovecot()
    smtp = SmtpSubmissionServer(dovecot)
    smtp.start()
    yield dovecot, smtp
    smtp.stop()


@pytest.mark.timeout(240)
def test_crash_consistency_sigkill_rounds_lose_nothing_send_once_and_resync(servers, tmp_path):
    dovecot, smtp = servers
    result = run_kill_rounds(4, SEED, dovecot=dovecot, smtp=smtp, workdir=tmp_path, messages=2000)
    assert result["kills"] == 4
    assert result["problems"] == []
    assert (result["lost"], result["duplicated"], result["inconsistent"], result["failed_starts"]) == (0, 0, 0, 0)
    # The kills hit real work: a sync under way, outbox entries and drafts being written.
    assert result["kills_during_sync"] >= 1
    assert result["queued"] > 0 and result["drafts_saved"] > 0
    assert result["delivered"] >= 1


def test_crash_consistency_checks_catch_planted_loss_and_duplicate(servers, tmp_path):
    """The rig's own checks: a draft version said saved but older on disk, a queued message
    neither in the outbox nor delivered, and a message delivered twice are each counted."""
    dovecot, smtp = servers
    rig = CrashRig(dovecot, smtp, tmp_path, SEED, messages=0)
    store = DraftStore(rig.home / "data" / "drafts")
    draft = Draft.new("demo-alice", subject="x", text="ร่างหนังสือฉบับที่ 3\n")
    store.save(draft)
    rig.check_recorded([f"DRAFT {draft.draft_id} 5", f"QUEUED {'a' * 32} {rig.tag}r0-1"])
    assert rig.stats.lost == 1  # v3 on disk, v5 said saved

    twice = make_message(f"ทดสอบ {rig.tag}r0-2", message_id=f"<{rig.tag}@agency.go.th>")
    dovecot.deliver("bob", twice)
    dovecot.deliver("bob", twice)
    rig.count_deliveries()
    assert rig.stats.duplicated == 1
    assert rig.stats.lost == 2  # the queued r0-1 went nowhere


def test_crash_consistency_cache_check_catches_a_planted_difference(servers, tmp_path):
    """After a clean start the cache equals the server; a flag changed in the cache file
    behind the app's back is then reported (the comparison is not vacuous)."""
    dovecot, smtp = servers
    fill_inbox(dovecot, "alice", 30)
    rig = CrashRig(dovecot, smtp, tmp_path, SEED, messages=30)
    rig.settle()
    assert (rig.stats.inconsistent, rig.stats.failed_starts, rig.stats.problems) == (0, 0, [])
    server, validity = rig.server_inbox()
    assert rig.cache_difference(server, validity) is None and len(server) == 30

    with sqlite3.connect(rig.account_dir / "cache.sqlite3") as conn:
        conn.execute("UPDATE messages SET flags = (flags | 2) - (flags & 2) "
                     "WHERE uid = (SELECT min(uid) FROM messages)")
    difference = rig.cache_difference(server, validity)
    assert difference is not None and f"flags differ on [{min(server)}]" in difference
