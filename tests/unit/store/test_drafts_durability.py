"""Drafts survive a killed process: a real child autosaving in a loop is killed with SIGKILL,
and the next start reads the last complete draft (never a half-written one).

The child reports each save on stdout after ``save()`` returned; the draft found
afterwards must be that one or the one being written when the kill came.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from govmail_desktop.store.drafts import DraftStore

pytestmark = pytest.mark.linux_only  # the writer is killed with SIGKILL

REPO = Path(__file__).resolve().parents[3]

CHILD_STORE = textwrap.dedent(
    """
    import sys
    from govmail_desktop.core.compose import Draft
    from govmail_desktop.store.drafts import DraftStore

    store = DraftStore(sys.argv[1])
    draft = Draft(draft_id=sys.argv[2], account_id="acct-1", subject="ร่างหนังสือ")
    att = store.add_attachment(draft.draft_id, "แผนงาน.pdf", "application/pdf", b"%PDF" * 4096)
    i = 0
    while True:
        i += 1
        # A body long enough that a write takes more than one system call.
        draft = draft.touched(text=f"ย่อหน้าที่ {i}\\n" + "ข้อความ" * 100000, attachments=(att,))
        store.save(draft)
        print(i, flush=True)
    """
)

CHILD_SERVICE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QTimer
    from govmail_desktop.core.compose import Draft
    from govmail_desktop.services.drafts_service import DraftsService
    from govmail_desktop.store.drafts import DraftStore

    app = QCoreApplication([])
    service = DraftsService(DraftStore(sys.argv[1]))
    state = {"i": 0, "draft": Draft(draft_id=sys.argv[2], account_id="acct-1", subject="ร่างหนังสือ")}

    def saved(draft_id):
        print(service.last_saved(draft_id).text.split("\\n", 1)[0].rsplit(" ", 1)[1], flush=True)

    def tick():
        state["i"] += 1
        state["draft"] = state["draft"].touched(text=f"ย่อหน้าที่ {state['i']}\\n" + "ข้อความ" * 5000)
        service.autosave(state["draft"])

    service.saved.connect(saved)
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(1)
    app.exec()
    """
)


def _run_and_kill(script: str, root: Path, draft_id: str, after_saves: int, phase: float = 0.0) -> int:
    """Start the child, SIGKILL it once it reported ``after_saves`` saves and ``phase`` of one
    save's duration more has passed (so the kill lands at different points of a write);
    returns the last number it reported."""
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(root), draft_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    last = 0
    try:
        assert child.stdout is not None
        first_at = 0.0
        while last < after_saves:
            line = child.stdout.readline()
            if not line:
                raise AssertionError(f"child ended early: {child.stderr.read().decode() if child.stderr else ''}")
            last = int(line)
            if last == 1:
                first_at = time.monotonic()
        if phase and last > 1:
            time.sleep(phase * (time.monotonic() - first_at) / (last - 1))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        # Numbers already written to the pipe before the kill count too.
        rest = child.stdout.read().split()
        if rest:
            last = int(rest[-1])
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    return last


@pytest.mark.parametrize("phase", [0.0, 0.2, 0.4, 0.6, 0.8, 0.95])
@pytest.mark.parametrize("after_saves", [1, 6])
def test_store_killed_while_saving_keeps_the_last_complete_draft(
    tmp_path: Path, after_saves: int, phase: float
) -> None:
    root = tmp_path / "drafts"
    draft_id = "0f" * 16
    last = _run_and_kill(CHILD_STORE, root, draft_id, after_saves, phase)

    store = DraftStore(root)
    [draft] = store.unsent()  # the restart: temporary files tidied, nothing damaged
    number = int(draft.text.split("\n", 1)[0].rsplit(" ", 1)[1])
    assert number in (last, last + 1)  # the last reported save, or the one in progress when killed
    assert draft.text.endswith("ข้อความ" * 100000)
    [att] = draft.attachments
    assert store.read_attachment(draft_id, att) == b"%PDF" * 4096
    assert store.damaged() == []
    assert all(".tmp-" not in p.name for p in store.draft_dir(draft_id).iterdir())


@pytest.mark.parametrize("after_saves", [3, 25])
def test_autosave_service_killed_while_saving_keeps_the_last_complete_draft(tmp_path: Path, after_saves: int) -> None:
    root = tmp_path / "drafts"
    draft_id = "1e" * 16
    last = _run_and_kill(CHILD_SERVICE, root, draft_id, after_saves)

    store = DraftStore(root)
    [draft] = store.unsent()
    number = int(draft.text.split("\n", 1)[0].rsplit(" ", 1)[1])
    # The kill lost at most what was typed since the last autosave that finished.
    assert number >= last
    assert draft.text.endswith("ข้อความ" * 5000)
    assert store.damaged() == []
