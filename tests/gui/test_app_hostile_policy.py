"""The app starts, connects nowhere and says why with a hostile machine policy file.

The start-up path is the real one (``app.load_policy`` → ``load_machine_policy``);
only the file's location is a temp file instead of /etc/govmail/policy.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_policies import HOSTILE_FILES

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import functools, json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides
from govmail_desktop.policy import sources

# the machine policy, read from the test's file instead of /etc/govmail/policy.json
sources.load_machine_policy = functools.partial(
    sources.load_machine_policy, platform="linux", linux_path=Path(sys.argv[1]), check_permissions=False)

def shown(ctx):
    sp = ctx.policy.server_policy()
    try:
        sp.check_host("imap.mail.go.th")
        refused = None
    except Exception as exc:
        refused = getattr(exc, "code", type(exc).__name__)
    print(json.dumps({
        "notice": ctx.window.notice_label.text(),
        "level": ctx.window.notice_level,
        "policy_ok": ctx.policy.error is None,
        "refused": refused,
    }, ensure_ascii=False))
    QTimer.singleShot(0, ctx.app.quit)

sys.exit(main(sys.argv[2:], AppOverrides(on_window_shown=shown)))
"""


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_start_up_with_a_hostile_machine_policy_fails_closed_and_names_the_problem(tmp_path, name):
    data, phrase = HOSTILE_FILES[name]
    policy_file = tmp_path / "policy.json"
    policy_file.write_bytes(data)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(policy_file), "--lang", "en"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=90,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["policy_ok"] is False and result["refused"] == "policy-invalid"
    assert result["level"] == "error"
    assert "policy.json" in result["notice"] and phrase in result["notice"], result["notice"]
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    assert "Machine policy unusable" in log_text and "Main window shown" in log_text
