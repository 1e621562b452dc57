"""A cache whose open takes seconds (a migration to this version's schema, a check after a
crash) is opened off the GUI thread; its account joins the window when it is ready
(wiring/mailboxes.py ``Mailboxes.open_later``; issue 16: the schema 5 migration took ~18 s
for a 1,000,000-message cache on the GUI thread)."""

from __future__ import annotations

import sqlite3
import threading

from govmail_desktop.core.accounts import Account, ServerSettings
from govmail_desktop.store import cache as cache_module
from govmail_desktop.store.cache import CACHE_FILE, MailCache
from govmail_desktop.store.schema import SCHEMA_VERSION, migrate
from govmail_desktop.wiring.mailboxes import CACHE_READY, PREPARING_CACHE, account_label, attach_mailboxes
from tests.gui.mailbox_helpers import offscreen_tray


def old_cache(account: Account) -> None:
    """The account's cache as a first version of the app left it (schema 1), three messages."""
    path = MailCache.file_for(account.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert path.name == CACHE_FILE
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    migrate(db, target=1)
    db.execute("INSERT INTO folders (id, name, delimiter, uidvalidity) VALUES (1, 'INBOX', '/', 7)")
    db.executemany(
        "INSERT INTO messages (folder_id, uid, flags, internaldate, size, subject) VALUES (1, ?, ?, ?, 10, ?)",
        [(1, 1, 100, "อ่านแล้ว"), (2, 0, 200, "ยังไม่อ่าน"), (3, 0, 300, "ยังไม่อ่านเช่นกัน")],
    )
    db.close()


def test_an_old_cache_is_migrated_off_the_gui_thread_and_its_account_joins_when_ready(
    make_main_window, qtbot, monkeypatch
):
    account = Account(
        id="acct-old", address="alice@agency.go.th", display_name="อลิสา ศรีสุข", login="alice",
        imap=ServerSettings("mail.agency.go.th", 993, "tls"), smtp=ServerSettings("mail.agency.go.th", 465, "tls"),
    )
    old_cache(account)
    monkeypatch.setattr(cache_module, "SLOW_OPEN_BYTES", 0)  # the test's cache is small
    migrated_on: list[threading.Thread] = []
    real_migrate = cache_module.migrate

    def recording_migrate(conn, *args, **kwargs):
        migrated_on.append(threading.current_thread())
        return real_migrate(conn, *args, **kwargs)

    monkeypatch.setattr(cache_module, "migrate", recording_migrate)
    under = make_main_window(lang="th")
    mailboxes = attach_mailboxes(under.window, under.settings, under.bridge, [account], tray_factory=offscreen_tray)
    try:
        # Not opened yet: the window is up and says what is happening.
        assert mailboxes.accounts == []
        name = account_label(account)
        assert under.window.notice_label.text() == PREPARING_CACHE.format(account=name).text("th")
        qtbot.waitUntil(lambda: len(mailboxes.accounts) == 1, timeout=10_000)
        assert migrated_on and all(t is not threading.main_thread() for t in migrated_on)
        mailbox = mailboxes.accounts[0]
        assert mailbox.cache.schema_version() == SCHEMA_VERSION
        assert mailbox.cache.count(1) == 3  # every message kept
        assert under.window.notice_label.text() == CACHE_READY.format(account=name).text("th")
        qtbot.waitUntil(lambda: under.window.message_view.model() is mailbox.models.message_model)
        assert under.window.message_view.model().rowCount() == 3
    finally:
        mailboxes.shutdown()


def test_a_small_or_current_cache_opens_at_once(make_main_window, monkeypatch):
    account = Account(
        id="acct-small", address="bob@agency.go.th", display_name="Bob", login="bob",
        imap=ServerSettings("mail.agency.go.th", 993, "tls"), smtp=ServerSettings("mail.agency.go.th", 465, "tls"),
    )
    old_cache(account)  # old, but far below SLOW_OPEN_BYTES: migrated where it opens, at once
    under = make_main_window(lang="th")
    mailboxes = attach_mailboxes(under.window, under.settings, under.bridge, [account], tray_factory=offscreen_tray)
    try:
        assert len(mailboxes.accounts) == 1
        assert mailboxes.accounts[0].cache.schema_version() == SCHEMA_VERSION
    finally:
        mailboxes.shutdown()
