"""Acceptance (issue 14): with a machine policy that provisions the account, the first start of
the real app (app.main, its own process) skips the address page, connects through the policy
and syncs — against the local Dovecot and SMTP server, the policy pointing at them.

Nothing is faked but the OS user (AppOverrides.os_user: the login name the address pattern
expands) and the keyring (an in-memory one; the real Secret Service is in
tests/gui/test_provisioned_wizard.py). With ``password: session`` no wizard opens at all: the
password prompt asks when the account first connects.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.gui.conftest import compiled_translations  # noqa: F401 (fixture)
from tests.integration.sync_helpers import fill

pytestmark = [pytest.mark.integration, pytest.mark.gui]

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK_POLICY = ROOT / "tests" / "data" / "policy" / "test-loopback.json"

_PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from govmail_desktop.app import main
from govmail_desktop.core.os_user import OsUser
from govmail_desktop.policy.sources import load_policy_file
from govmail_desktop.wiring.context import AppOverrides
from tests.gui.mailbox_helpers import offscreen_tray
from tests.unit.test_credentials import MemoryKeyring, _store

policy_file, settings_file, password, subject = sys.argv[1:5]
keyring = MemoryKeyring()
report = {"saw": []}


def visible(name):
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


def shown(ctx):
    ticks = [0]

    def step():
        ticks[0] += 1
        wizards = visible("setupWizard")
        prompts = visible("passwordPrompt")
        if wizards and "wizard" not in report["saw"]:
            wizard = wizards[0]
            report["saw"].append("wizard")
            page = wizard.currentPage()
            report["first_page"] = page.objectName()
            report["address_shown"] = page.address.text()
            report["address_editable"] = not page.address.isReadOnly()
            page.password.setText(password)
            wizard.next()
        if prompts and "prompt" not in report["saw"]:
            report["saw"].append("prompt")
            prompt = prompts[0]
            report["prompt_offers_keyring"] = prompt.remember.isVisible()
            prompt.password.setText(password)
            prompt.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        accounts = ctx.mailboxes.accounts
        subjects = []
        if accounts:
            model = accounts[0].models.message_model
            subjects = [model.index(row, 1).data() for row in range(model.rowCount())]
        if any(subject in str(s) for s in subjects) or ticks[0] > 1200:
            account = accounts[0].account if accounts else None
            report["accounts"] = [m.account.address for m in accounts]
            report["synced"] = sum(subject in str(s) for s in subjects)
            report["login"] = account.login if account else None
            report["imap_port"] = account.imap.port if account else None
            report["ask_each_session"] = account.ask_password_each_session if account else None
            report["keyring"] = sorted(keyring.items.values())
            print("REPORT " + json.dumps(report, ensure_ascii=False))
            ctx.app.quit()
        else:
            QTimer.singleShot(50, step)

    QTimer.singleShot(0, step)


sys.exit(main(["--lang", "th"], AppOverrides(
    settings_path=__import__("pathlib").Path(settings_file), policy=load_policy_file(policy_file),
    on_window_shown=shown, credential_store_factory=lambda: _store(keyring), tray_factory=offscreen_tray,
    os_user=OsUser("AGENCY\\\\Alice", "อลิซ ทดสอบ"),
)))
"""


def run_first_start(tmp_path: Path, dovecot, smtp_server, **provisioning: object) -> dict:
    subject = f"provisioned-{uuid.uuid4().hex[:8]}"
    fill(dovecot, "alice", "INBOX", 3, prefix=subject)
    policy = json.loads(LOOPBACK_POLICY.read_text(encoding="utf-8"))
    policy["tls"] = {"ca_file": str(dovecot.ca_file)}
    policy["provisioning"] = {
        "address": "%USERNAME%@agency.go.th",
        "imap_host": "localhost", "imap_port": dovecot.imaps_port, "imap_security": "tls",
        "smtp_host": "localhost", "smtp_port": smtp_server.starttls_port, "smtp_security": "starttls",
        **provisioning,
    }
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(json.dumps(policy), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(policy_file), str(tmp_path / "settings.json"),
         dovecot.users["alice"], subject],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("REPORT "))
    return json.loads(line.removeprefix("REPORT "))


@pytest.mark.usefixtures("compiled_translations")
def test_first_start_with_a_provisioning_policy_asks_only_the_password_and_syncs(tmp_path, dovecot, smtp_server):
    report = run_first_start(tmp_path, dovecot, smtp_server)
    assert report["saw"] == ["wizard"]
    assert report["first_page"] == "provisionedPage"  # not the address page
    assert report["address_shown"] == "alice@agency.go.th" and report["address_editable"] is False
    assert report["accounts"] == ["alice@agency.go.th"]
    assert report["login"] == "alice@agency.go.th" and report["imap_port"] == dovecot.imaps_port
    assert report["synced"] == 3  # the INBOX messages came from the server
    assert report["keyring"] == [dovecot.users["alice"]]


@pytest.mark.usefixtures("compiled_translations")
def test_first_start_asking_each_session_opens_no_wizard_and_never_writes_the_keyring(
        tmp_path, dovecot, smtp_server):
    report = run_first_start(tmp_path, dovecot, smtp_server, password="session", login="%LOCALPART%")
    assert report["saw"] == ["prompt"]  # no wizard: the password prompt at connect time
    assert report["prompt_offers_keyring"] is False
    assert report["accounts"] == ["alice@agency.go.th"] and report["ask_each_session"] is True
    assert report["login"] == "alice"
    assert report["synced"] == 3
    assert report["keyring"] == []
