"""The mailbox window on the real engine and the real Dovecot (through the test policy).

Nothing is faked: the window's MailboxService talks to the sync engine
(services/sync_service.py) through services/sync_adapter.py; the engine
connects through the policy-checked, verified TLS path. What the server holds
afterwards is read with imapclient (an independent parser).
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from govmail_desktop.core.entities import Flag
from govmail_desktop.models.folder_tree import FolderNameRole
from govmail_desktop.models.message_list import Column
from govmail_desktop.services.mailbox_types import DONE, PREVIEW_READY, STATE_OFFLINE
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.services.sync_service import SyncService, imap_connector
from govmail_desktop.wiring.mailboxes import attach_mailboxes
from tests.gui.conftest import OFFSCREEN_NOISE, compiled_translations, language_controller, make_main_window  # noqa: F401
from tests.gui.mailbox_helpers import offscreen_tray, select_uid
from tests.integration.sync_helpers import fill, server_state
from tests.servers.fake_net import loopback_policy

pytestmark = [pytest.mark.integration, pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

USER = "bob"


def folder_names(model, parent=None) -> list[str]:
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    names = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        names.append(index.data(FolderNameRole))
        names.extend(folder_names(model, index))
    return names


@pytest.fixture
def live_window(dovecot, make_main_window, qtbot):
    folder = f"งานสารบรรณ-{uuid.uuid4().hex[:6]}"
    uids = fill(dovecot, USER, folder, 12, prefix="หนังสือเวียน")
    account = SimpleNamespace(
        id=f"live-{uuid.uuid4().hex[:8]}", address=f"{USER}@localhost", display_name="Bob",
        login=USER, imap=SimpleNamespace(host="127.0.0.1", port=dovecot.imaps_port, security="tls"),
    )
    policy = loopback_policy(ca_file=dovecot.ca_file)

    def factory(acct, cache, queue):
        connect = imap_connector(acct, lambda: dovecot.users[USER], policy, timeout=15)
        service = SyncService(cache, queue, connect)
        adapter = EngineSyncAdapter(service, cache, queue)
        service.setParent(adapter)
        return adapter

    under = make_main_window()
    mailboxes = attach_mailboxes(
        under.window, under.settings, under.bridge, [account], sync_factory=factory,
        tray_factory=offscreen_tray, mark_read_on_view=False,
    )
    with qtbot.waitActive(under.window):
        under.window.activateWindow()
    yield SimpleNamespace(window=under.window, mailboxes=mailboxes, folder=folder, uids=uids,
                          service=mailboxes.accounts[0].service, cache=mailboxes.accounts[0].cache,
                          models=mailboxes.accounts[0].models)
    mailboxes.shutdown()


def test_window_fills_from_the_server_and_a_read_mark_reaches_it(live_window, dovecot, qtbot):
    w = live_window.window
    service = live_window.service
    folder = live_window.folder
    # Folder tree from the server (LIST + SPECIAL-USE), the Inbox first, in Thai.
    qtbot.waitUntil(lambda: folder in folder_names(live_window.models.folder_model), timeout=20_000)
    assert w.folder_view.model().index(0, 0).data().startswith("กล่องจดหมายเข้า")
    assert w.connection_label.text() != "ออฟไลน์"
    # Open the folder: its messages come from the server into the list.
    folder_id = service.cache.folder_id(folder)
    index = live_window.models.folder_model.index_for_folder(folder_id)
    w.folder_view.selectionModel().setCurrentIndex(index, w.folder_view.selectionModel().SelectionFlag.ClearAndSelect)
    qtbot.waitUntil(lambda: w.message_view.model().rowCount() == 12, timeout=20_000)
    newest = max(live_window.uids)
    assert w.message_view.model().index(0, Column.SUBJECT).data() == "หนังสือเวียน 11"
    # fill() marks every third message read; the newest (index 11) is unread.
    assert Flag.SEEN not in server_state(dovecot, USER, folder)[newest]
    # The preview fetches the body from the server.
    select_uid(w, newest)
    qtbot.waitUntil(lambda: w.preview_view.state == PREVIEW_READY, timeout=20_000)
    assert "เนื้อความ" in w.preview_view.body.toPlainText()
    assert w.preview_view.from_label.text() == "สมชาย ใจดี <somchai@agency.go.th>"
    # Mark it read in the UI: shown at once, then confirmed by the server.
    with qtbot.waitSignal(service.action_settled, timeout=20_000) as settled:
        w.toggle_read_action.trigger()
        qtbot.waitUntil(
            lambda: w.message_view.model().index(0, Column.SUBJECT).data(Qt.ItemDataRole.FontRole) is None
        )
    assert settled.args[1] == DONE
    assert Flag.SEEN in server_state(dovecot, USER, folder)[newest]
    assert service.connection_state != STATE_OFFLINE


def test_copy_from_the_window_reaches_the_server_and_shows_in_the_target(live_window, dovecot, qtbot):
    service = live_window.service
    folder = live_window.folder
    qtbot.waitUntil(lambda: folder in folder_names(live_window.models.folder_model), timeout=20_000)
    target = f"สำเนา-{uuid.uuid4().hex[:6]}"
    fill(dovecot, USER, target, 0)
    service.retry_connection()  # sync everything: the new folder is listed
    qtbot.waitUntil(lambda: target in folder_names(live_window.models.folder_model), timeout=20_000)
    source_id, target_id = service.cache.folder_id(folder), service.cache.folder_id(target)
    picked = sorted(live_window.uids)[:2]
    with qtbot.waitSignal(service.action_settled, timeout=20_000) as settled:
        service.copy(picked, target_id, source_id)  # what a drop with Ctrl does
    assert settled.args[1] == DONE
    assert set(server_state(dovecot, USER, folder)) == set(live_window.uids)  # the originals stay
    assert len(server_state(dovecot, USER, target)) == 2
    # The facade asked for the target's sync: the copies arrive in its cache.
    qtbot.waitUntil(lambda: service.cache.count(target_id) == 2, timeout=20_000)
