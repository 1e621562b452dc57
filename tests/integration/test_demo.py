"""`make demo` without a screen: the servers start, are seeded, verified and stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers.demo import DemoServers, check_seeded
from tests.servers.seed import load_manifest

pytestmark = [pytest.mark.integration, pytest.mark.servers]  # the demo starts Dovecot and SMTP

REPO = Path(__file__).resolve().parents[2]


def _ports(facts: dict) -> list[int]:
    return [facts[k]["port"] for k in ("imap", "imap_starttls", "smtp", "smtp_tls")]


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def _demo(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.servers.demo", "--dir", str(tmp_path / "demo"), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_demo_check_seeds_and_verifies_then_stops_everything(tmp_path):
    proc = _demo(tmp_path, "--check")
    out, _ = proc.communicate(timeout=90)
    assert proc.returncode == 0, out
    assert "check passed" in out and "127.0.0.1" in out
    facts = json.loads((tmp_path / "demo" / "demo-account.json").read_text(encoding="utf-8"))
    assert facts["address"] == "alice@localhost" and facts["password"]
    assert Path(facts["ca_file"]).is_file()
    assert not any(_listening(port) for port in _ports(facts))


def test_demo_servers_stop_on_ctrl_c(tmp_path):
    proc = _demo(tmp_path, "--no-app")
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # wait until the demo says it is ready
            if "Ctrl-C" in line:
                break
        facts = json.loads((tmp_path / "demo" / "demo-account.json").read_text(encoding="utf-8"))
        assert all(_listening(port) for port in _ports(facts))
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "demo servers stopped" in out
    assert not any(_listening(port) for port in _ports(facts))


def test_check_notices_a_mailbox_that_was_not_seeded(tmp_path):
    servers = DemoServers(tmp_path / "demo")
    try:
        servers.start()
        problems = check_seeded(servers)
    finally:
        servers.stop()
    assert any("01-utf8-qp.eml" in p for p in problems)
    assert any("welcome" in p for p in problems)


def test_demo_servers_write_their_own_log_not_the_apps(tmp_path):
    """The app runs in the demo's process and sends the root logger to its log file; the
    demo's servers (aiosmtpd's "mail.log", tests.servers) log to <demo dir>/servers.log."""
    import logging

    from govmail_desktop.core.logging_setup import remove_app_handlers, setup_logging
    from tests.servers import demo

    app_log = tmp_path / "app" / "govmail.log"
    setup_logging(app_log)  # what the app's start-up does
    try:
        assert demo.main(["--check", "--dir", str(tmp_path / "demo")]) == 0
        logging.getLogger("govmail_desktop.test").info("the app's own line")
    finally:
        remove_app_handlers()
    app_text = app_log.read_text(encoding="utf-8")
    assert "the app's own line" in app_text
    assert " mail.log: " not in app_text and " tests.servers." not in app_text
    servers_text = (tmp_path / "demo" / "servers.log").read_text(encoding="utf-8")
    assert " mail.log: " in servers_text  # the welcome message went through SMTP submission
    # Logging is as before once the demo has ended (a later run in this process starts clean).
    assert logging.getLogger("mail.log").propagate and not logging.getLogger("mail.log").handlers


_DEMO_APP_PROBE = """
import sys
import tests.servers.demo as demo

keep_signals = demo._keep_python_signals_alive


def shown(ctx):
    keep_signals(ctx)
    from PySide6.QtCore import QTimer

    def look(tries=[0]):
        tries[0] += 1
        mailboxes = ctx.mailboxes
        rows = mailboxes.accounts[0].models.message_model.rowCount() if mailboxes.accounts else 0
        state = mailboxes.accounts[0].service.connection_state if mailboxes.accounts else ""
        if (rows and state == "online") or tries[0] > 300:
            print(f"DEMO-APP accounts={len(mailboxes.accounts)} rows={rows} state={state}", flush=True)
            ctx.app.quit()
        else:
            QTimer.singleShot(100, look)

    QTimer.singleShot(100, look)


demo._keep_python_signals_alive = shown
sys.exit(demo.main(["--dir", sys.argv[1], "--fresh"]))
"""


@pytest.mark.gui
def test_make_demo_starts_the_app_on_its_servers_and_shows_the_seeded_mail(tmp_path):
    """`make demo` as a user runs it: the servers, then the app's own start-up (the
    composition root with the demo's seams: the loopback policy with the demo CA, the
    account's password for this session), connected, the Inbox shown from the server."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _DEMO_APP_PROBE, str(tmp_path / "demo")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [line] = [ln for ln in proc.stdout.splitlines() if ln.startswith("DEMO-APP")]
    inbox = sum(1 for e in load_manifest()["messages"] if e["user"] == "alice" and e["folder"] == "INBOX")
    assert line == f"DEMO-APP accounts=1 rows={inbox + 1} state=online"  # the samples + the welcome
    assert "demo servers stopped" in proc.stdout
