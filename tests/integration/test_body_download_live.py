"""The search download as the app builds it (app.engine_sync_factory) on the real Dovecot: once
connected it downloads the text of recent mail on its own, under the policy's cap, and shows its
progress, translated, through the account's sync status like any other sync work."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from govmail_desktop.core.accounts import Account, ServerSettings
from govmail_desktop.credentials import SessionPasswords
from govmail_desktop.mime.skeleton import SEARCH_TEXT_PART
from govmail_desktop.policy.sources import load_policy_file
from govmail_desktop.services.account_setup import PasswordKeeper
from govmail_desktop.wiring.mailboxes import attach_mailboxes, engine_sync_factory
from tests.gui.conftest import OFFSCREEN_NOISE, compiled_translations, language_controller, make_main_window  # noqa: F401
from tests.gui.mailbox_helpers import offscreen_tray
from tests.integration.sync_helpers import open_wire
from tests.integration.test_body_download_dovecot import put

pytestmark = [pytest.mark.integration, pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

LOOPBACK_POLICY = Path(__file__).resolve().parents[1] / "data" / "policy" / "test-loopback.json"
USER = "bob"


def test_the_app_downloads_recent_texts_once_connected_under_the_policys_cap(fresh_dovecot, make_main_window,
                                                                              qtbot):
    server = fresh_dovecot()
    wire = open_wire(server, USER)
    try:
        recent = put(wire, "INBOX", "แจ้งเวียนล่าสุด", 2)
        older = put(wire, "INBOX", "แจ้งเวียนเดือนก่อน", 20)  # within the user's 30 days, beyond the cap
    finally:
        wire.logout()
    account = Account(
        id=f"dl-{uuid.uuid4().hex[:8]}", address="bob@demo.go.th", display_name="Bob", login=USER,
        imap=ServerSettings("127.0.0.1", server.imaps_port, "tls"),
        smtp=ServerSettings("127.0.0.1", 587, "starttls"),
        ask_password_each_session=True,
    )
    under = make_main_window()
    assert under.settings.search_download_days == 30
    session = SessionPasswords()
    session.set(account.id, server.users[USER])
    passwords = PasswordKeeper(None, session)
    policy = load_policy_file(LOOPBACK_POLICY, overrides={
        "tls": {"ca_file": str(server.ca_file)}, "search": {"max_download_days": 10}})
    assert policy.error is None, policy.problems
    mailboxes = attach_mailboxes(
        under.window, under.settings, under.bridge, [account],
        sync_factory=engine_sync_factory(policy, under.settings, passwords), tray_factory=offscreen_tray,
        mark_read_on_view=False, passwords=passwords,
    )
    try:
        mailbox = mailboxes.accounts[0]
        shown: list[tuple[str, int, int]] = []
        mailbox.sync.progress.connect(lambda text, done, total: shown.append((text, done, total)))
        cache = mailbox.cache
        qtbot.waitUntil(lambda: cache.folder_id("INBOX") is not None, timeout=30_000)
        inbox = cache.folder_id("INBOX")
        qtbot.waitUntil(lambda: cache.get_part(inbox, recent, SEARCH_TEXT_PART) is not None, timeout=30_000)
        qtbot.waitUntil(lambda: mailbox.sync.body_downloader.state == "idle", timeout=30_000)
        assert cache.get_part(inbox, older, SEARCH_TEXT_PART) is None
        title = "กำลังดาวน์โหลดจดหมายไว้สำหรับค้นหา"
        assert (title, 1, 1) in shown, shown
    finally:
        mailboxes.shutdown()
