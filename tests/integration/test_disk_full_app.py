"""The real app with its data folder on a full tmpfs (issue 16 item 3, the GUI-level check):
the app (tests/stress/crash_app.py, offscreen, in Thai) runs in a private mount namespace whose
``<home>/data`` is a tmpfs; the test fills that tmpfs through ``/proc/<pid>/root`` (the
child's view of its mounts) while new mail arrives, and reads what the window is told."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.integration.disk_full_child import fill_file
from tests.integration.sync_helpers import make_message
from tests.integration.test_disk_full import SKIP
from tests.stress.crash_kills import CrashRig, fill_inbox

pytestmark = [pytest.mark.integration, pytest.mark.linux_only,
              pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]


@pytest.fixture
def rig(fresh_dovecot, tmp_path):
    from tests.servers.smtp import SmtpSubmissionServer

    dovecot = fresh_dovecot()
    fill_inbox(dovecot, "alice", 200)
    smtp = SmtpSubmissionServer(dovecot)
    smtp.start()
    yield CrashRig(dovecot, smtp, tmp_path, 3, messages=200)
    smtp.stop()


def wait_message(app, needle: str, timeout: float) -> list[str]:
    """The MESSAGE lines until one holds ``needle`` (all of them; the last one has it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [line for line in app.drain() if line.startswith("MESSAGE ")]
        if any(needle in m for m in messages):
            return messages
        time.sleep(0.1)
    pytest.fail(f"no message with {needle!r}: {app.drain()} {app.errors[-5:]}")


@pytest.mark.timeout(180)
def test_disk_full_app_tells_in_thai_and_the_next_sync_catches_up_without_a_restart(rig):
    data = rig.home / "data"
    data.mkdir(parents=True)
    prefix = ("unshare", "--mount", "--propagation", "private", "sh", "-c",
              'mount -t tmpfs -o size=16m tmpfs "$0" && exec "$@"', str(data))
    app = rig.start(prefix=prefix, lang="th")
    try:
        assert app.wait_for("READY", 60), app.errors[-5:]
        rig.home = Path(f"/proc/{app.proc.pid}/root{rig.home}")  # the child's tmpfs, seen from here
        assert rig.wait_consistent(app, 60), rig.stats.problems
        filler = f"{rig.home}/data/filler"
        fill_file(filler)
        for i in range(30):  # new mail while the disk is full: the app's sync cannot keep it
            rig.dovecot.deliver("alice", make_message(f"ใหม่ขณะดิสก์เต็ม {i}"))
        messages = wait_message(app, "ดิสก์เต็ม", 60)
        [shown] = [m for m in messages if "ดิสก์เต็ม" in m][:1]
        assert shown.startswith("MESSAGE error ") and "กรุณาเพิ่มพื้นที่ว่างในดิสก์" in shown
        assert app.proc.poll() is None  # still running
        time.sleep(3)  # no write tried again and again while the disk is full (told once or twice)
        log = (rig.workdir / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
        assert 1 <= log.count("[disk-full]") <= 5
        missing = rig.cache_difference(*rig.server_inbox())
        assert missing is not None and "missing [201" in missing  # the new mail could not be kept

        os.unlink(filler)  # room again; the next mail's sync brings everything
        rig.dovecot.deliver("alice", make_message("ใหม่หลังมีพื้นที่"))
        assert rig.wait_consistent(app, 60), rig.stats.problems
        assert app.proc.poll() is None
    finally:
        app.stop()
