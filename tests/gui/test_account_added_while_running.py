"""An account the setup wizard saves while the app runs gets everything a started one has
(the real composition root, app.main, in its own process): Write works, the composer sends
from its identities into its outbox, the drafts service reaches its connection (Ctrl+S goes
to its Drafts folder), the outbox's "taken" throws the draft away here and asks the Drafts
folder to drop its copies (always, also when no server copy was known yet), and the address
book reads its cached mail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides
from govmail_desktop.core.accounts import AccountStore, build_account
from govmail_desktop.store.cache import MailCache
from govmail_desktop.ui.setup_wizard import SetupWizard
from tests.gui.mailbox_helpers import FakeSync, offscreen_tray
from tests.unit.store.factories import fill

settings_path = Path(sys.argv[1])
added = build_account("wilai@dwr.mail.go.th")
cache = MailCache.for_account(added.id)  # mail already cached for it (a re-added account)
fill(cache, count=8)
cache.close()
runners = {}


class Runner(QObject):
    \"\"\"The account's connection worker (SyncService.run_on_connection): records the jobs.\"\"\"
    operationFinished = Signal(int, str, object)

    def __init__(self):
        super().__init__()
        self.jobs = []

    def run_on_connection(self, key, title, job, first=False):
        self.jobs.append(key[0])
        return len(self.jobs)


def sync_factory(account, account_cache, queue):
    sync = FakeSync(account_cache, queue)
    sync.service = runners[account.id] = Runner()
    return sync


report = {}


def shown(ctx):
    w = ctx.window
    report["write_before"] = w.compose_action.isEnabled()
    wizards = [x for x in QApplication.topLevelWidgets() if isinstance(x, SetupWizard)]
    report["wizard_at_first_run"] = len(wizards)
    store = AccountStore(ctx.settings)  # what the wizard's service does before "saved"
    store.add(added)
    store.save()
    wizards[0].account_saved.emit(added)
    wizards[0].close()
    report["write_after"] = w.compose_action.isEnabled()
    report["accounts"] = [m.account.address for m in ctx.mailboxes.accounts]
    outbox = ctx.mailboxes.outbox_of(added.id)
    report["outbox"] = outbox is not None
    composer = ctx.composer.compose(to="somchai@dwr.mail.go.th", subject="ทดสอบ")
    session = composer.session
    report["identities"] = [i.address for i in session.identities]
    report["sender"] = session.draft.sender
    report["sends_to_its_outbox"] = session._outbox is outbox
    composer.body.setPlainText("เรียน ทุกท่าน")
    composer.save_draft()  # Ctrl+S: locally and to the account's Drafts folder
    draft_id = session.draft.draft_id
    composer.send()
    runner = runners[added.id]
    book = ctx.composer.address_book
    waited = [0]

    def check():
        waited[0] += 1
        gone = not ctx.drafts.store.exists(draft_id)
        found = [s.email for s in book.suggest("anan")]
        if (gone and "draft-remove" in runner.jobs and found) or waited[0] > 200:
            report["jobs"] = runner.jobs
            report["draft_gone"] = gone
            report["suggested"] = found
            report["queued"] = outbox.count()
            print("REPORT " + json.dumps(report, ensure_ascii=False))
            ctx.app.quit()
        else:
            QTimer.singleShot(25, check)

    QTimer.singleShot(0, check)


sys.exit(main([], AppOverrides(
    settings_path=settings_path, on_window_shown=shown, sync_factory=sync_factory,
    credential_store_factory=lambda: None, tray_factory=offscreen_tray,
)))
"""


@pytest.mark.usefixtures("compiled_translations")
def test_an_account_added_while_running_gets_composer_outbox_drafts_and_address_book(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path / "settings.json")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("REPORT "))
    report = json.loads(line.removeprefix("REPORT "))
    assert report["wizard_at_first_run"] == 1 and report["write_before"] is False
    assert report["accounts"] == ["wilai@dwr.mail.go.th"]
    assert report["write_after"] is True
    assert report["outbox"] is True and report["sends_to_its_outbox"] is True
    assert report["identities"] == ["wilai@dwr.mail.go.th"]
    assert "wilai@dwr.mail.go.th" in report["sender"]
    # Ctrl+S reached its Drafts folder; once the outbox had the message, its copies are removed
    # (asked although no server copy was known: the fake connection never answered the save).
    assert report["jobs"][:1] == ["draft-save"] and "draft-remove" in report["jobs"]
    assert report["draft_gone"] is True
    assert report["queued"] == 1  # offline: waiting in its outbox
    assert report["suggested"] == ["anan@ega.or.th"]  # its cached senders are suggested
