"""The policy file changes while the app's window is open (issue 15): the app reads it again,
the checks made afterwards use the new rules, and the user is told once in the status bar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.gui

_PROBE = """
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides

path, new_text = Path(sys.argv[1]), sys.argv[2]

def outcome(check):
    try:
        check()
        return "allowed"
    except Exception as exc:
        return getattr(exc, "code", repr(exc))

def shown(ctx):
    window, policy = ctx.window, ctx.policy
    servers = policy.server_policy()          # taken before the change, as the sync factory does
    recipients = policy.recipient_policy()    # as the composer keeps it
    before = {"a": outcome(lambda: servers.check_host("mail.a.go.th"))}

    def changed(change):
        print(json.dumps({
            "before": before,
            "a": outcome(lambda: servers.check_host("mail.a.go.th")),
            "b": outcome(lambda: servers.check_host("mail.b.go.th")),
            "external": [f.level for f in recipients.check(["someone@example.com"])],
            "force_plain": window.preview_view.force_plain,
            "remote_allowed": getattr(window.preview_view.remote_content.content, "remote_content_allowed", None),
            "search_cap": ctx.mailboxes.search_download_cap,
            "internal": [str(d) for d in window.preview_view.internal_domains],
            "notice": window.notice_label.text(),
            "level": window.notice_level,
        }, ensure_ascii=False))
        QTimer.singleShot(0, ctx.app.quit)

    ctx.policy_watcher.changed.connect(changed)
    tmp = path.with_suffix(".new")
    tmp.write_text(new_text, encoding="utf-8")
    os.replace(tmp, path)  # a deployment tool replacing the file
    QTimer.singleShot(30000, lambda: (print(json.dumps({"timeout": True})), ctx.app.quit()))

sys.exit(main(sys.argv[3:], AppOverrides(policy_file=path, on_window_shown=shown)))
"""

START = {"schema_version": 1, "servers": {"allow": ["mail.a.go.th"]}}


def run_with_change(tmp_path: Path, new_text: str, *args: str) -> dict:
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(json.dumps(START), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(policy_file), new_text, *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=90,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_changed_policy_file_applies_to_checks_made_afterwards(tmp_path):
    new = {"schema_version": 1, "servers": {"allow": ["mail.b.go.th"]},
           "recipients": {"external": "block", "internal_domains": ["agency.go.th"]},
           "content": {"force_plain_text": True, "remote_content_allowed": False},
           "search": {"max_download_days": 7}}
    result = run_with_change(tmp_path, json.dumps(new), "--lang", "en")
    assert result["before"] == {"a": "allowed"}
    assert result["a"] == "host-not-allowed" and result["b"] == "allowed"
    assert result["external"] == ["block"]
    # What the window took from the policy at start follows it: the preview's plain-text rule,
    # the remote-content rules, the search download cap.
    assert result["force_plain"] is True and result["remote_allowed"] is False and result["search_cap"] == 7
    assert len(result["internal"]) == 1 and "agency.go.th" in result["internal"][0]
    assert result["level"] == "info" and "IT staff updated" in result["notice"]


def test_a_broken_new_policy_file_fails_closed_and_says_so_in_thai(tmp_path):
    result = run_with_change(tmp_path, '{"schema_version": 1, "servers": {"allow": [')
    assert result["a"] == "policy-invalid" and result["b"] == "policy-invalid"
    assert result["external"] == ["block"]
    assert result["remote_allowed"] is None and result["search_cap"] == 0  # nothing loads or downloads
    assert result["level"] == "error"
    assert "policy.json" in result["notice"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in result["notice"])
