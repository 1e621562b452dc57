"""Outbox durability: a real process running the real send pipeline, killed by SIGKILL at each step.

The child (tests/integration/outbox_child.py) stops at the named step and waits; this
test kills it there with SIGKILL (no sleeps: the child says where it is on stdout),
then starts a second process as the app would start again. Whatever the step: no
message is lost, none reaches the recipient twice (the copies in the recipient's
INBOX are counted), the Sent folder holds at most one copy, and the one killed between
the server's 250 and its record is shown as "may have been sent", never resent by itself.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from govmail_desktop.store.outbox import OutboxStore
from govmail_desktop.sync import send
from tests.integration.outbox_helpers import copies, effective_policy, imap_connector, make_sender

pytestmark = [pytest.mark.integration, pytest.mark.linux_only]  # SIGKILL

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, dovecot, smtp_server, mode: str, stop_at: str = "") -> Path:
    path = tmp_path / f"{mode}-{stop_at or 'none'}.json"
    path.write_text(json.dumps({
        "mode": mode, "stop_at": stop_at, "outbox": str(tmp_path / "outbox"),
        "smtp_port": smtp_server.starttls_port, "imaps_port": dovecot.imaps_port,
        "ca_file": str(dovecot.ca_file), "users": dict(dovecot.users),
    }), encoding="utf-8")
    return path


def _child(config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.outbox_child", str(config)],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
    )


def _kill_at(proc: subprocess.Popen[str], step: str) -> list[str]:
    """Read the child's lines until it stops at ``step``; SIGKILL it there."""
    assert proc.stdout is not None
    lines: list[str] = []
    for line in proc.stdout:
        lines.append(line.strip())
        if line.strip() == f"STOPPED {step}":
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            assert proc.returncode == -signal.SIGKILL
            return lines
    proc.wait(timeout=30)
    pytest.fail(f"the child never reached {step}: {lines}")


def _resume(tmp_path: Path, dovecot, smtp_server) -> list[dict[str, str]]:
    proc = _child(_config(tmp_path, dovecot, smtp_server, "resume"))
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    [result] = [line for line in out.splitlines() if line.startswith("RESULT ")]
    return json.loads(result[len("RESULT "):])


#: step → what the outbox holds after the restart ([] = delivered, filed, done)
STEPS = {
    send.STEP_QUEUED: [],  # after the outbox write
    send.STEP_SENDING: [],
    send.STEP_DATA_SENT: [],  # during DATA: the end never left, the server dropped it
    send.STEP_COMMITTING: ["unknown"],  # the end of DATA may have left: not known
    send.STEP_REPLY: ["unknown"],  # after the 250, before it is recorded
    send.STEP_ACCEPTED: [],  # after it is recorded
    send.STEP_APPENDING: [],  # before the Sent APPEND
    send.STEP_APPENDED: [],  # during the Sent append: appended, not recorded
}


@pytest.mark.parametrize("step", list(STEPS))
def test_outbox_durability_sigkill_at_each_step_loses_nothing_and_sends_once(
    tmp_path, dovecot, smtp_server, step
):
    lines = _kill_at(_child(_config(tmp_path, dovecot, smtp_server, "submit", step)), step)
    store = OutboxStore(tmp_path / "outbox")
    [entry] = store.entries()  # durable before any network step, whatever came after
    message_id = entry.message_id
    assert any(line.startswith(f"ENTRY {entry.entry_id} ") for line in lines)

    result = _resume(tmp_path, dovecot, smtp_server)

    assert [r["state"] for r in result] == STEPS[step]
    inbox = len(copies(dovecot, "bob", "INBOX", message_id))
    sent = len(copies(dovecot, "alice", "Sent", message_id))
    # Killed with "committing" recorded but the end of DATA not yet written: the server
    # dropped it, yet the outbox cannot know that, so it asks rather than risk a duplicate.
    assert inbox == (0 if step == send.STEP_COMMITTING else 1)
    assert sent == (0 if STEPS[step] else 1)
    for r in result:
        assert r["label_en"] == "May have been sent"
        assert r["label_th"] != r["label_en"]


def test_outbox_durability_unknown_is_settled_by_the_user_and_never_resent_silently(
    tmp_path, dovecot, smtp_server, certs
):
    _kill_at(_child(_config(tmp_path, dovecot, smtp_server, "submit", send.STEP_REPLY)), send.STEP_REPLY)
    result = _resume(tmp_path, dovecot, smtp_server)
    assert [r["state"] for r in result] == ["unknown"]
    result = _resume(tmp_path, dovecot, smtp_server)  # another start: still not resent
    assert [r["state"] for r in result] == ["unknown"]
    message_id = result[0]["message_id"]
    assert len(copies(dovecot, "bob", "INBOX", message_id)) == 1

    store = OutboxStore(tmp_path / "outbox")
    send.mark_sent(store, result[0]["entry_id"])  # the user: "it was sent"
    policy = effective_policy(certs.ca_file)
    make_sender(store, policy, dovecot, smtp_server.starttls_port).run()
    assert store.entries() == []
    assert len(copies(dovecot, "bob", "INBOX", message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", message_id)) == 1


def test_outbox_durability_unknown_found_in_sent_is_settled_by_itself(tmp_path, dovecot, smtp_server, certs):
    _kill_at(_child(_config(tmp_path, dovecot, smtp_server, "submit", send.STEP_REPLY)), send.STEP_REPLY)
    store = OutboxStore(tmp_path / "outbox")
    [entry] = store.entries()
    # The server filed it in Sent itself (as some do): the Message-ID settles it.
    policy = effective_policy(certs.ca_file)
    conn = imap_connector(policy, dovecot, "alice")()
    conn.append("Sent", store.sent_copy(entry.entry_id), flags=["\\Seen"])
    conn.logout()

    assert _resume(tmp_path, dovecot, smtp_server) == []  # settled: done, out of the outbox
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1
