"""The composition root enforces the policy it is given: locks, defaults, fail-closed start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides
from govmail_desktop.policy.sources import load_policy_file

def shown(ctx):
    w = ctx.window
    print(json.dumps({
        "notice": w.notice_label.text(),
        "level": w.notice_level,
        "policy_ok": ctx.policy.error is None,
        "remote_content": ctx.settings.get("mail.remote_content"),
        "remote_locked": ctx.settings.is_locked("mail.remote_content"),
    }, ensure_ascii=False))
    QTimer.singleShot(0, ctx.app.quit)

policy = load_policy_file(Path(sys.argv[1]))
sys.exit(main(sys.argv[2:], AppOverrides(policy=policy, on_window_shown=shown)))
"""


def run_with_policy(tmp_path: Path, policy_text: str, *args: str) -> dict:
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(policy_text, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(policy_file), *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_broken_policy_starts_the_app_and_names_the_file(tmp_path):
    result = run_with_policy(tmp_path, '{"schema_version": 1, "servers": {"allow": [', "--lang", "en")
    assert result["policy_ok"] is False
    assert result["level"] == "error"
    assert "policy.json" in result["notice"]
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    assert "Main window shown" in log_text


def test_broken_policy_notice_is_thai_by_default(tmp_path):
    result = run_with_policy(tmp_path, '{"schema_version": 1, "unknown_key": true}')
    assert result["level"] == "error"
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in result["notice"])


def test_policy_locks_and_defaults_reach_the_settings(tmp_path):
    locked = json.dumps({
        "schema_version": 1,
        "content": {"remote_content": "ask"},
        "locked_settings": {"mail.remote_content": "block"},
    })
    result = run_with_policy(tmp_path, locked)
    assert result["policy_ok"] is True
    assert result["remote_content"] == "block" and result["remote_locked"] is True

    default_only = json.dumps({"schema_version": 1, "content": {"remote_content": "ask"}})
    result = run_with_policy(tmp_path, default_only)
    assert result["remote_content"] == "ask" and result["remote_locked"] is False


_WIZARD_PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides
from govmail_desktop.policy.sources import load_policy_file

def shown(ctx):
    def look():
        wizards = [w for w in QApplication.topLevelWidgets()
                   if w.objectName() == "setupWizard" and w.isVisible()]
        print(json.dumps({"wizards": len(wizards),
                          "title": wizards[0].windowTitle() if wizards else ""},
                         ensure_ascii=False))
        for w in wizards:
            w.reject()
        ctx.app.quit()
    QTimer.singleShot(0, look)

sys.exit(main([], AppOverrides(policy=load_policy_file(sys.argv[1]), on_window_shown=shown)))
"""


def test_first_start_without_an_account_opens_the_setup_wizard_in_thai(tmp_path):
    policy_file = tmp_path / "policy.json"
    policy_file.write_text('{"schema_version": 1}', encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", _WIZARD_PROBE, str(policy_file)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["wizards"] == 1
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in result["title"])
