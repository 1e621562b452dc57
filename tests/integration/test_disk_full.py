"""Disk full and read-only (issue 16 item 3): the data folder is a tmpfs of a few hundred KB
mounted in a private mount namespace (``unshare --mount``: the child sees it, the host never
does), filled during a sync and during a send, or made read-only mid-run, with the suite's
real Dovecot and SMTP server. Expected: the app's typed StorageError with its Thai and English
text, nothing lost (the cache not corrupted, the outbox entry still queued or refused before
anything was sent), nothing sent twice, and recovery once the space returns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.integration.outbox_helpers import copies

pytestmark = [pytest.mark.integration, pytest.mark.linux_only]

ROOT = Path(__file__).resolve().parents[2]


def _namespaces_usable() -> str | None:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare/mount not installed"
    if os.geteuid() != 0:
        return "needs root to mount a tmpfs in a private mount namespace (CI and this machine run as root)"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        return f"no private mount namespace here: {probe.stderr.decode(errors='replace').strip()}"
    return None


SKIP = _namespaces_usable() if sys.platform.startswith("linux") else "Linux only"
needs_namespace = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")


class Child:
    """The child in its namespace; ``steps`` maps each reported step to its facts."""

    def __init__(self, tmp_path: Path, dovecot, smtp_server, scenario: str, **extra: Any) -> None:
        data = tmp_path / "data"
        data.mkdir()
        config = tmp_path / f"{scenario}.json"
        config.write_text(json.dumps({
            "scenario": scenario, "data": str(data), "size": extra.pop("size", "512k"),
            "grow_to": extra.pop("grow_to", "64m"), "smtp_port": smtp_server.starttls_port,
            "imaps_port": dovecot.imaps_port, "ca_file": str(dovecot.ca_file), "users": dict(dovecot.users),
            **extra,
        }, ensure_ascii=False), encoding="utf-8")
        self.data = data
        self.proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", sys.executable, "-m",
             "tests.integration.disk_full_child", str(config)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self.steps: dict[str, dict[str, Any]] = {}

    def read_until(self, marker: str) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("STEP "):
                facts = json.loads(line[5:])
                self.steps[facts["step"]] = facts
            if line.startswith(marker):
                return
        self.proc.wait(timeout=30)
        pytest.fail(f"the child ended before {marker}: rc {self.proc.returncode}, steps {list(self.steps)}, "
                    f"stderr {self.proc.stderr.read() if self.proc.stderr else ''}")

    def go_on(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def finish(self) -> dict[str, dict[str, Any]]:
        self.read_until("END")
        self.proc.wait(timeout=60)
        assert self.proc.returncode == 0
        return self.steps


@pytest.fixture
def big_inbox(fresh_dovecot):
    """A private Dovecot whose alice has 1,500 messages (more than the tmpfs holds)."""
    from tests.stress.crash_kills import fill_inbox

    dovecot = fresh_dovecot()
    fill_inbox(dovecot, "alice", 1500)
    return dovecot


@pytest.fixture
def own_smtp(big_inbox):
    from tests.servers.smtp import SmtpSubmissionServer

    server = SmtpSubmissionServer(big_inbox)
    server.start()
    yield server
    server.stop()


@needs_namespace
@pytest.mark.parametrize("readonly", [False, True], ids=["full", "read-only"])
def test_disk_full_during_send_refuses_before_sending_keeps_the_entry_and_sends_once_later(
    tmp_path, big_inbox, own_smtp, readonly
):
    subject = f"ทดสอบดิสก์เต็ม {uuid.uuid4().hex[:8]}"
    child = Child(tmp_path, big_inbox, own_smtp, "send", subject=subject, readonly=readonly)
    child.read_until("WAIT")
    steps = child.steps
    # Put in the outbox on a full disk: refused with the app's typed error, nothing half-written.
    refused = steps["enqueue-full"]
    assert (refused["outcome"], refused["error"], refused["code"]) == ("refused", "StorageError", "disk-full")
    assert refused["en"].startswith("The disk is full") and "ดิสก์เต็ม" in refused["th"]
    assert steps["after-refusal"] == {"step": "after-refusal", "entries": 0, "leftovers": []}
    # Queued with space, then the disk full (or read-only) when it is to leave: it stays queued,
    # nothing went to the server, and the run says why (the disk, not a program error).
    full = steps["send-full"]
    # "sending" when that line still fitted in the state log's last block (the end of DATA never
    # left: recovery queues it again), else "queued".
    assert full["states"] in (["queued"], ["sending"])
    assert full["storage"] is not None, "the run did not say that the disk stopped it"
    assert full["storage"]["code"] == ("read-only" if readonly else "disk-full")
    assert full["storage"]["th"] and full["storage"]["th"] != full["storage"]["en"]
    message_id = full["message_id"]
    assert copies(big_inbox, "bob", "INBOX", message_id) == []
    assert own_smtp.accepted == []

    child.go_on()
    steps = child.finish()
    assert steps["recovered"]["states"] == []  # sent, filed, done once the space is back
    assert len(copies(big_inbox, "bob", "INBOX", message_id)) == 1
    assert len(copies(big_inbox, "alice", "Sent", message_id)) == 1


def _server_flags(dovecot) -> dict[str, list[str]]:
    from tests.integration.sync_helpers import server_state

    return {str(uid): sorted(flags) for uid, flags in server_state(dovecot, "alice", "INBOX").items()}


@needs_namespace
def test_disk_full_during_sync_keeps_the_cache_sound_and_syncs_when_space_returns(tmp_path, big_inbox, own_smtp):
    steps = Child(tmp_path, big_inbox, own_smtp, "sync").finish()
    full = steps["full"]
    assert (full["outcome"], full["error"], full["code"]) == ("failed", "StorageError", "disk-full")
    assert full["en"].startswith("The disk is full") and "ดิสก์เต็ม" in full["th"]
    # SQLITE_FULL rolled the transaction back: the cache opens as it was (not rebuilt, sound),
    # and what it holds is what the server holds (a part of the folder, never a wrong flag).
    reopened = steps["reopened"]
    assert (reopened["opened"], reopened["rebuilt"], reopened["quick_check"]) == (True, False, "ok")
    server = _server_flags(big_inbox)
    assert 0 < reopened["uids"] < len(server)
    assert {uid: flags for uid, flags in reopened["flags"].items()} == {u: server[u] for u in reopened["flags"]}
    # Space back (the tmpfs grown in place): the same cache object syncs the rest.
    recovered = steps["recovered"]
    assert recovered["outcome"] == "done"
    assert recovered["flags"] == server


@needs_namespace
def test_disk_read_only_during_sync_is_told_and_the_cache_catches_up_when_writable(
    tmp_path, big_inbox, own_smtp
):
    from tests.integration.sync_helpers import make_message

    child = Child(tmp_path, big_inbox, own_smtp, "sync", readonly=True, size="64m")
    child.read_until("WAIT")
    assert child.steps["first"]["outcome"] == "done"
    assert child.steps["first"]["uids"] == 1500
    for i in range(5):  # new mail while the data folder turns read-only
        big_inbox.deliver("alice", make_message(f"ใหม่ระหว่างอ่านอย่างเดียว {i}"))
    child.go_on()
    steps = child.finish()
    readonly = steps["readonly"]
    assert (readonly["outcome"], readonly["error"], readonly["code"]) == ("failed", "StorageError", "read-only")
    assert readonly["th"] and readonly["th"] != readonly["en"]
    reopened = steps["reopened"]
    assert (reopened["opened"], reopened["rebuilt"], reopened["quick_check"], reopened["uids"]) == (
        True, False, "ok", 1500)
    assert steps["recovered"]["outcome"] == "done"
    assert steps["recovered"]["flags"] == _server_flags(big_inbox)


@needs_namespace
def test_disk_full_draft_save_is_refused_and_the_last_saved_version_stays(tmp_path, dovecot, smtp_server):
    steps = Child(tmp_path, dovecot, smtp_server, "drafts").finish()
    refused = steps["save-full"]
    assert (refused["outcome"], refused["code"]) == ("refused", "disk-full")
    assert "ดิสก์เต็ม" in refused["th"]
    assert steps["kept"]["same"] is True
    assert not [name for name in steps["kept"]["files"] if "tmp" in name]  # no half-written file left
    assert steps["recovered"]["saved"] is True
