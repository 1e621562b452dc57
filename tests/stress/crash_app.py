"""The real app in a process of its own, for the crash-consistency kills (issue 16 item 2).

``python -m tests.stress.crash_app CONFIG.json`` starts ``govmail_desktop.app.main`` the way
``make demo`` does (``tests.servers.demo``: the account put into the profile's settings, its
password held for the session, the loopback test policy) on ``GOVMAIL_HOME=<home>``, and
prints on stdout:

* ``READY`` once the main window is shown (the start reached its first window);
* ``MESSAGE <level> <text>`` for each message the window is given (the message bridge);
* ``SYNC <done> <total>`` while the account's sync reports progress, ``SYNC idle`` when it ends;
* with ``"work": true``, a workload on a timer of the GUI thread, through the app's own
  services: a draft autosaved again and again (``DraftsService.autosave``; ``DRAFT <id> <n>``
  once version ``n`` is on disk, told by the service's ``saved``) and new messages handed to
  the account's outbox (``OutboxService.submit``; ``QUEUED <draft id> <subject token>`` once the outbox holds
  it for good, told by ``submitted``). Meanwhile the app syncs the account by itself.

The parent (``tests.stress.crash_kills``) kills this process with SIGKILL at a random
moment; what the lines said had been recorded is what must survive.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any

from tests.servers.demo import DEMO_ACCOUNT_ID, configure_demo_account

#: The account's address in the profile (configure_demo_account's domain).
SENDER = "อลิสา ศรีสุข <alice@demo.go.th>"
DRAFT_BODY = "เรียน ผู้อำนวยการกอง\n\nร่างหนังสือฉบับที่ {n}\n" + "ข้อความทดลองการบันทึกร่าง\n" * 40


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    home = Path(config["home"])
    os.environ["GOVMAIL_HOME"] = str(home)
    facts: dict[str, Any] = config["facts"]
    configure_demo_account(facts, home)
    if "search_download_days" in config:  # the last start: no background body downloads first
        from govmail_desktop.core.paths import AppPaths
        from govmail_desktop.core.settings import Settings

        settings = Settings.load(AppPaths(home / "config", home / "data", home / "cache", home / "log").settings_file)
        settings.set("search.download_days", int(config["search_download_days"]))
        settings.save()

    from govmail_desktop import app
    from govmail_desktop.wiring.context import AppContext, AppOverrides
    from tests.integration.outbox_helpers import effective_policy

    rng = random.Random(f"{config['seed']}:work")
    tag = str(config["tag"])

    def shown(ctx: AppContext) -> None:
        # What the window is told (status / notification), one line each: the disk-full tests.
        ctx.bridge.message.connect(lambda level, text: print(f"MESSAGE {level} {text}", flush=True))
        # The sync's progress: "SYNC <done> <total>" while it works, "SYNC idle" when it ends.
        for mailbox in ctx.mailboxes.accounts if ctx.mailboxes is not None else ():
            mailbox.service.progress_changed.connect(
                lambda text, done, total: print(f"SYNC {done} {total}" if text else "SYNC idle", flush=True))
        print("READY", flush=True)
        if config.get("sync_all"):  # every folder now, as the periodic check does (F5 for all)
            for mailbox in ctx.mailboxes.accounts if ctx.mailboxes is not None else ():
                mailbox.service.retry_connection()
        if config.get("work"):
            _Workload(ctx, rng, tag, str(config["to"]), float(config.get("interval", 0.15))).start()

    overrides = AppOverrides(
        policy=effective_policy(Path(facts["ca_file"])),
        session_passwords={DEMO_ACCOUNT_ID: facts["password"]},
        on_window_shown=shown,
        setup_wizard_launcher=lambda parent: None,
    )
    return int(app.main(["--lang", str(config.get("lang", "en"))], overrides) or 0)


class _Workload:
    """Drafts autosaved and messages sent through the running app's services."""

    def __init__(self, ctx: Any, rng: random.Random, tag: str, to: str, interval: float) -> None:
        from PySide6.QtCore import QTimer

        from govmail_desktop.core.compose import Draft

        self.ctx, self.rng, self.tag, self.to = ctx, rng, tag, to
        self.count = 0
        self.versions: dict[str, int] = {}
        self.draft = Draft.new(DEMO_ACCOUNT_ID, sender=SENDER, to=to, subject=f"ร่าง {tag}",
                               text=DRAFT_BODY.format(n=0))
        self.timer = QTimer(ctx.app)
        self.timer.setInterval(int(interval * 1000))
        self.timer.timeout.connect(self.step)
        assert ctx.drafts is not None and ctx.mailboxes is not None
        ctx.drafts.saved.connect(self._saved)
        self.outbox = ctx.mailboxes.outbox_of(DEMO_ACCOUNT_ID)
        assert self.outbox is not None, "the account has no outbox"
        self.tokens: dict[str, str] = {}  # draft id → the token in its subject
        self.outbox.submitted.connect(
            lambda draft_id: print(f"QUEUED {draft_id} {self.tokens.get(draft_id, '-')}", flush=True))
        self.outbox.submitFailed.connect(lambda draft_id, err: print(f"REFUSED {draft_id} {err}", flush=True))
        self.outbox.refused.connect(lambda draft_id, check: print(f"REFUSED {draft_id} {check}", flush=True))

    def start(self) -> None:
        self.timer.start()

    def _saved(self, draft_id: str) -> None:
        saved = self.ctx.drafts.last_saved(draft_id)
        if saved is not None:
            print(f"DRAFT {draft_id} {saved.text.split('ฉบับที่ ')[1].split()[0]}", flush=True)

    def step(self) -> None:
        from govmail_desktop.core.compose import Draft

        self.count += 1
        if self.rng.random() < 0.6:
            self.draft = self.draft.touched(text=DRAFT_BODY.format(n=self.count))
            self.ctx.drafts.autosave(self.draft)
        else:
            token = f"{self.tag}-{self.count}"
            draft = Draft.new(DEMO_ACCOUNT_ID, sender=SENDER, to=self.to, subject=f"ทดสอบการหยุดกะทันหัน {token}",
                              text=f"ข้อความที่ {self.count}\n")
            self.tokens[draft.draft_id] = token
            self.outbox.submit(draft, lambda att: b"")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
