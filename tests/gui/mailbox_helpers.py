"""A fake sync service (``services.mailbox_types.SyncPort``) and a window wired to a filled cache.

Why a fake here: the GUI tests must make the server answer *done*, *failed* or
*cancelled* on demand, deliver a body or new mail at a chosen moment, and
report progress — a real server cannot be told to refuse a STORE. The real
engine is exercised against Dovecot in tests/integration/test_mailbox_live.py.

The fake keeps the SyncPort's promise as the engine does: the action's queued
row (found by its id) leaves the queue, and before a *failed* or *cancelled*
is said the cache shows the "server's" state again through the one undo of
``sync/offline.py`` (``show_server_state``). The "server" holds what the cache
held when the fake was made, plus the actions it answered *done*.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QObject, Signal

from govmail_desktop.core.entities import MessageSummary
from govmail_desktop.services.mailbox_types import BODY_PART, CANCELLED, DONE, FAILED, MailOp
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue, OpKind
from govmail_desktop.sync import offline
from govmail_desktop.sync.listener import SyncListener

DATA = Path(__file__).resolve().parents[1] / "data"


class FakeSync(QObject):
    """Records what the facade asks; the test decides what the "server" answers."""

    action_settled = Signal(int, object, object)
    progress = Signal(str, int, int)
    connection_state = Signal(str)
    folders_changed = Signal()
    rows_inserted = Signal(int, list)
    rows_changed = Signal(int, list)
    rows_removed = Signal(int, list)
    folder_reset = Signal(int)
    new_mail = Signal(int, list)
    messages_unreadable = Signal(int, int)
    body_ready = Signal(int, int)
    body_failed = Signal(int, int, object)
    problem = Signal(object)
    special_folder_created = Signal(str, str, object)

    def __init__(self, cache: MailCache, queue: OfflineOpQueue | None = None) -> None:
        super().__init__()
        self.cache = cache
        self.queue = queue
        #: The "server": {folder name: {uid: summary}} as the cache held them now.
        self.server: dict[str, dict[int, MessageSummary]] = {}
        for cached in cache.folders():
            found = (cache.summary(cached.id, uid) for uid in cache.known_uids(cached.id))
            self.server[cached.name] = {s.uid: s for s in found if s is not None}
        self.started = False
        self.stopped = False
        self.applied: list[MailOp] = []
        self.sync_requests: list[int] = []
        self.body_requests: list[tuple[int, int]] = []
        self.cancels = 0
        self.created_roles: list[str] = []

    # -- SyncPort
    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True

    def request_folder_sync(self, folder_id: int) -> None:
        self.sync_requests.append(folder_id)

    def fetch_body(self, folder_id: int, uid: int, *, whole: bool = False) -> None:
        self.body_requests.append((folder_id, uid))

    def apply(self, op: MailOp) -> None:
        self.applied.append(op)

    def cancel(self) -> None:
        self.cancels += 1

    def create_special_folder(self, role: str) -> None:
        self.created_roles.append(role)

    # -- the "server" answers
    def answer(self, outcome: str = DONE, error: Any = None, op: MailOp | None = None) -> MailOp:
        op = op or self.applied[-1]
        row = self.queue.get(op.op_id) if self.queue is not None else None
        if row is not None:
            self.queue.complete(row.seq)
            if outcome == DONE:
                self._carried_out(op)
            else:
                self._undo(row)
        self.action_settled.emit(op.op_id, outcome, error)
        return op

    def _carried_out(self, op: MailOp) -> None:
        box = self.server.get(op.folder, {})
        for uid in op.uids:
            if uid not in box:
                continue
            if op.kind is OpKind.FLAGS:
                box[uid] = replace(box[uid], flags=(box[uid].flags | op.add_flags) - op.remove_flags)
            elif op.kind is not OpKind.COPY:
                del box[uid]

    def _undo(self, row: Any) -> None:
        """What the engine does before a failure is said: the server's state shown again."""
        box = self.server.get(row.folder, {})
        here = [box[uid] for uid in row.uids if uid in box]
        offline.show_server_state(
            self.cache, row, _Relaying(self),
            flags={s.uid: s.flags for s in here}, summaries=here,
        )

    def done(self, op: MailOp | None = None) -> MailOp:
        return self.answer(DONE, None, op)

    def failed(self, error: Any, op: MailOp | None = None) -> MailOp:
        return self.answer(FAILED, error, op)

    def cancelled(self, op: MailOp | None = None) -> MailOp:
        return self.answer(CANCELLED, None, op)

    def deliver_body(self, folder_id: int, uid: int, raw: bytes) -> None:
        self.cache.put_part(folder_id, uid, BODY_PART, raw)
        self.body_ready.emit(folder_id, uid)

    def deliver_new_mail(self, folder_id: int, summaries: list[MessageSummary]) -> None:
        self.cache.insert_summaries(folder_id, summaries)
        uids = [s.uid for s in summaries]
        self.rows_inserted.emit(folder_id, uids)
        self.new_mail.emit(folder_id, uids)


class _Relaying(SyncListener):
    def __init__(self, fake: FakeSync) -> None:
        self.fake = fake

    def rows_changed(self, folder_id: int, uids: Any) -> None:
        self.fake.rows_changed.emit(folder_id, list(uids))

    def rows_inserted(self, folder_id: int, uids: Any) -> None:
        self.fake.rows_inserted.emit(folder_id, list(uids))


@dataclass
class MailboxWindow:
    window: Any
    controller: Any
    service: Any
    sync: FakeSync
    cache: MailCache
    inbox: int
    bridge: Any
    mailboxes: Any
    settings: Any
    #: The account's Qt models (ui/mailbox_models.MailboxModels): folder_model, message_model.
    models: Any = None


def offscreen_tray(window: Any, notifications_enabled: Any) -> Any:
    """The tray seam of the composition root: a tray icon that never asks the desktop for a
    system tray (tests run offscreen; notifications go to the status bar)."""
    from govmail_desktop.ui.tray import MailTray

    return MailTray(window, notifications_enabled=notifications_enabled, use_system_tray=False)


def open_settings(window: Any, qtbot: Any) -> Any:
    """Edit → Settings on ``window``; the dialog once it is shown (it opens window-modal)."""
    from PySide6.QtWidgets import QApplication

    from govmail_desktop.ui.settings_dialog import SettingsDialog

    def shown() -> list[SettingsDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog) and w.isVisible()]

    window.show_settings()
    qtbot.waitUntil(lambda: bool(shown()))
    return shown()[0]


def select_rows(window: Any, rows: list[int]) -> None:
    """Select list rows as a click / Ctrl+click would (current = the first)."""
    view = window.message_view
    model = view.model()
    selection = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    selection.setCurrentIndex(model.index(rows[0], 0), flags)
    for row in rows[1:]:
        selection.select(
            model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )


def select_uid(window: Any, uid: int) -> int:
    model = window.message_view.model()
    row = model.row_of_uid(uid)
    assert row is not None, uid
    select_rows(window, [row])
    return row


def row_of(window: Any, uid: int) -> int | None:
    return window.message_view.model().row_of_uid(uid)


def shown_uids(window: Any) -> list[int]:
    model = window.message_view.model()
    return [model.uid_at(r) for r in range(model.rowCount())]


# ---------------------------------------------------------------- the window under test

import pytest  # noqa: E402


@pytest.fixture
def open_mailbox(make_main_window, qtbot):
    """A main window showing one account whose cache holds ``count`` Inbox messages.

    Built as the app builds it (``app.build_main_window`` then ``app.attach_mailboxes``),
    through the root's seams only: a :class:`FakeSync` from the sync factory, the
    offscreen tray, and ``passwords`` (a ``PasswordKeeper``, e.g. over a memory keyring).
    The cache is filled before the window opens (as after an earlier session):
    what the window shows comes from the cache alone. ``sync=False`` builds
    no sync service (offline only). Returns a :class:`MailboxWindow`.
    """
    from govmail_desktop.core.accounts import Account, AccountStore, ServerSettings
    from govmail_desktop.wiring.mailboxes import attach_mailboxes
    from tests.unit.store.factories import fill

    opened = []

    def make(count: int = 300, *, sync: bool = True, fill_cache=None, lang: str = "th",
             mark_read_on_view: bool = False, settings=None, **options: Any) -> MailboxWindow:
        account = Account(
            id="acct1", address="alice@agency.go.th", display_name="อลิสา ศรีสุข", login="alice",
            imap=ServerSettings("mail.agency.go.th", 993, "tls"), smtp=ServerSettings("mail.agency.go.th", 465, "tls"),
        )
        cache = MailCache.for_account(account.id)
        inbox = fill(cache, count=count)
        if fill_cache is not None:
            fill_cache(cache)
        cache.close()
        under = make_main_window(settings=settings, lang=lang)
        accounts = AccountStore(under.settings)
        accounts.add(account)  # as the setup wizard left it: its special folders are kept there
        fakes: list[FakeSync] = []

        def factory(_account, account_cache, queue):
            if not sync:
                return None
            fake = FakeSync(account_cache, queue)
            fakes.append(fake)
            return fake

        mailboxes = attach_mailboxes(
            under.window, under.settings, under.bridge, [account], sync_factory=factory,
            tray_factory=offscreen_tray, mark_read_on_view=mark_read_on_view, **options,
        )
        opened.append(mailboxes)
        service = mailboxes.accounts[0].service
        models = mailboxes.accounts[0].models
        qtbot.waitUntil(lambda: under.window.message_view.model() is models.message_model)
        # Keyboard shortcuts only reach an active window.
        with qtbot.waitActive(under.window):
            under.window.activateWindow()
        under.window.message_view.setFocus()
        return MailboxWindow(
            under.window, mailboxes.controller, service, fakes[0] if fakes else None, service.cache,
            inbox, under.bridge, mailboxes, under.settings, models,
        )

    yield make
    for mailboxes in opened:
        mailboxes.shutdown()
