"""Outbox durability of a partly accepted message: a real process killed by SIGKILL at each step.

The server takes the message for bob and answers 450 for carol. Killed anywhere in the
first transaction or in carol's later one, then started again: bob never gets a second
copy, carol gets exactly one once the server takes her, the Sent folder holds one copy,
and a kill between the server's 250 and its record leaves "may have been sent" — which
the Sent copy (filed after bob's delivery) must not settle for carol's transaction.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govmail_desktop.store.outbox import OutboxStore
from govmail_desktop.sync import send
from tests.integration.outbox_helpers import (
    Script,
    ScriptedSmtpServer,
    copies,
    effective_policy,
    make_sender,
    reader,
    thai_draft,
)
from tests.integration.test_outbox_durability import _child, _kill_at

pytestmark = [pytest.mark.integration, pytest.mark.linux_only]  # SIGKILL

BUSY = {"carol@localhost": "450 4.2.1 Mailbox busy, try later"}


def _config(tmp_path: Path, dovecot, port: int, mode: str, stop_at: str = "") -> Path:
    path = tmp_path / f"{mode}-{stop_at or 'none'}.json"
    path.write_text(json.dumps({
        "mode": mode, "stop_at": stop_at, "outbox": str(tmp_path / "outbox"), "cc": "carol@localhost",
        "smtp_port": port, "imaps_port": dovecot.imaps_port,
        "ca_file": str(dovecot.ca_file), "users": dict(dovecot.users),
    }), encoding="utf-8")
    return path


def _resume(tmp_path: Path, dovecot, port: int) -> list[dict[str, str]]:
    proc = _child(_config(tmp_path, dovecot, port, "resume"))
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    [result] = [line for line in out.splitlines() if line.startswith("RESULT ")]
    return json.loads(result[len("RESULT "):])


def _counts(dovecot, message_id: str) -> tuple[int, int, int]:
    return (len(copies(dovecot, "bob", "INBOX", message_id)), len(copies(dovecot, "carol", "INBOX", message_id)),
            len(copies(dovecot, "alice", "Sent", message_id)))


#: kill in the first transaction (bob 250, carol 450) → state after the restart
FIRST = {
    send.STEP_REPLY: "unknown",  # bob's 250 not recorded: may have been sent
    send.STEP_ACCEPTED: "queued",  # recorded: filed, marked, carol waits
    send.STEP_APPENDED: "queued",
    send.STEP_FILED: "queued",
}


@pytest.mark.parametrize("step", list(FIRST))
def test_outbox_partial_durability_sigkill_in_the_first_transaction_never_sends_twice(tmp_path, dovecot, step):
    with ScriptedSmtpServer(dovecot, Script(rcpt_replies=dict(BUSY))) as server:
        _kill_at(_child(_config(tmp_path, dovecot, server.port, "submit", step)), step)
        result = _resume(tmp_path, dovecot, server.port)
        assert [r["state"] for r in result] == [FIRST[step]]
        message_id = result[0]["message_id"]
        store = OutboxStore(tmp_path / "outbox")
        entry = store.get(result[0]["entry_id"])
        assert _counts(dovecot, message_id)[:2] == (1, 0)
        if FIRST[step] == "unknown":
            return  # the user decides (test_outbox_durability covers that choice)
        assert entry.delivered == ("bob@localhost",) and entry.waiting == ("carol@localhost",)
        assert _counts(dovecot, message_id) == (1, 0, 1)

        server.script.rcpt_replies.clear()
        send.retry_now(store, entry.entry_id)
        assert _resume(tmp_path, dovecot, server.port) == []  # delivered to all: out of the outbox
        assert server.script.rcpts[-1] == ["carol@localhost"]
    assert _counts(dovecot, message_id) == (1, 1, 1)


#: kill in carol's later transaction → (state after the restart, carol's copies)
SECOND = {
    send.STEP_SENDING: ([], 1),  # DATA never started: sent again to carol alone
    send.STEP_COMMITTING: (["unknown"], 0),  # the end of DATA may have left
    send.STEP_REPLY: (["unknown"], 1),  # carol's 250 not recorded
    send.STEP_ACCEPTED: ([], 1),
    send.STEP_FILED: ([], 1),
}


@pytest.mark.parametrize("step", list(SECOND))
def test_outbox_partial_durability_sigkill_in_the_retry_never_sends_twice(tmp_path, dovecot, certs, step):
    policy = effective_policy(certs.ca_file)
    store = OutboxStore(tmp_path / "outbox")
    with ScriptedSmtpServer(dovecot, Script(rcpt_replies=dict(BUSY))) as server:
        entry = send.enqueue(store, thai_draft(cc="carol@localhost"), reader(), policy.recipient_policy(),
                             policy.attachment_rules())
        make_sender(store, policy, dovecot, server.port).run()  # bob has it, carol waits
        server.script.rcpt_replies.clear()
        send.retry_now(store, entry.entry_id)

        _kill_at(_child(_config(tmp_path, dovecot, server.port, "resume", step)), step)
        result = _resume(tmp_path, dovecot, server.port)
        states, carol = SECOND[step]
        assert [r["state"] for r in result] == states
        assert _counts(dovecot, entry.message_id) == (1, carol, 1)
        assert all(rcpts == ["carol@localhost"] for rcpts in server.script.rcpts[1:])  # bob never named again
        if states:
            unknown = store.get(entry.entry_id)
            assert unknown.delivered == ("bob@localhost",) and unknown.in_flight == ("carol@localhost",)
