"""Sync through the fault proxy against the real Dovecot (issue 16 item 1, the short slice).

The long run is ``make stress`` (tests/stress/run.py); here a fixed seed and a few cycles.
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.errors import NetworkError
from govmail_desktop.net import failures
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap_session import ImapSession
from tests.servers.fake_net import loopback_policy
from tests.servers.fault_proxy import DOWN, FIN, RST, UP, FaultPlan, FaultProxy
from tests.stress.fault_cycles import run_sync_cycles

pytestmark = pytest.mark.integration

#: Fixed: the same changes and the same faults on every run (the stress run logs its own).
SEED = 20261204
CYCLES = 10

#: Cut points through the TLS handshake, the greeting, CAPABILITY and LOGIN (bytes; with the
#: test certificate the greeting ends near 1,700 bytes down and LOGIN's answer near 2,300).
CUTS = [(DOWN, n) for n in range(0, 3000, 300)] + [(UP, n) for n in range(0, 800, 100)]


def test_a_connection_cut_anywhere_in_connect_and_login_is_a_network_error(dovecot):
    """Found by the fault cycles: an end of stream during the greeting was "the server
    refused the session" (ServerError, not tried again), and during LOGIN "the server did
    not accept the login name or password" (AuthError: the app would ask for the password).
    A lost connection is a NetworkError wherever it happens, so the worker reconnects."""
    policy = loopback_policy(ca_file=dovecot.ca_file)
    plans = [FaultPlan(cut_after=n, cut_direction=d, cut_how=(RST, FIN)[i % 2]) for i, (d, n) in enumerate(CUTS)]
    wrong = []
    with FaultProxy(("127.0.0.1", dovecot.imaps_port), plans) as proxy:
        for plan in plans:
            try:
                session = ImapSession.connect(Endpoint("127.0.0.1", proxy.port, "tls"), policy, timeout=5)
                try:
                    session.login("alice", dovecot.users["alice"])
                finally:
                    session.close()
            except NetworkError as exc:
                assert exc.code in (failures.CONNECTION_CLOSED, failures.TIMEOUT), exc
            except Exception as exc:  # collected: every cut point is reported at once
                wrong.append(f"{plan.describe()}: {type(exc).__name__}: {exc}")
    assert wrong == [], "\n".join(wrong)
    assert sum(1 for r in proxy.records if any(f.startswith("cut") for f in r.fired)) > len(plans) // 2


def test_sync_cycles_with_random_faults_leave_the_cache_equal_to_the_server(fresh_dovecot, tmp_path):
    server = fresh_dovecot()
    stats = run_sync_cycles(server, tmp_path, SEED, CYCLES)
    assert stats.cycles == CYCLES
    assert stats.mismatches == [] and stats.crashes == [] and stats.wrong_errors == []
    # The faults happened (the seed's plans include each kind within these cycles).
    assert {"cut", "stall", "throttle", "fragment"} <= set(stats.faults)
    # Reconnects wait (backoff, initial 0.05 s with 20 % jitter): no busy loop.
    assert max(stats.attempts) <= 10
    assert stats.min_gap_after_failure is None or stats.min_gap_after_failure >= 0.04
    assert stats.leak() == (0, 0)


def test_the_cycle_checks_catch_a_planted_mismatch_and_a_planted_leak(fresh_dovecot, tmp_path):
    """The guards prove themselves: a flag changed in the cache behind the sync's back, a
    message the server does not have, and a socket left open each cycle are all reported."""
    import socket

    from tests.stress.fault_cycles import SyncFaultRig

    server = fresh_dovecot()
    rig = SyncFaultRig(server, tmp_path, SEED).start()
    leaked: list[socket.socket] = []
    try:
        rig.cycle(0)
        assert rig.stats.mismatches == []
        fid = rig.cache.folder_id("INBOX")
        assert fid is not None
        uid = max(rig.cache.known_uids(fid))
        rig.cache.change_flags(fid, [uid], add=["$Planted"])
        planted = rig.compare(99)
        assert len(planted) == 1 and "INBOX" in planted[0] and str(uid) in planted[0]
        for index in (1, 2):
            leaked.append(socket.socket())  # a descriptor that stays open from here on
            rig.cycle(index)
    finally:
        rig.stop()
        for sock in leaked:
            sock.close()
    assert rig.stats.leak()[1] >= 1
