"""Delete on an account without a Trash, and the choice of special folders.

The window is the real one over a real cache; the sync service is the fake of
mailbox_helpers (it records the Trash creation asked for, the test plays the
server). Nothing may be erased unless the user picked "Delete Permanently".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from govmail_desktop.core.accounts import AccountStore, build_account
from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.errors import ServerError
from govmail_desktop.core.settings import Settings
from govmail_desktop.models.folder_tree import FolderTreeModel, SpecialUseRole
from govmail_desktop.models.message_list import MessageListModel
from govmail_desktop.services.mailbox_types import DONE, FAILED
from govmail_desktop.store.op_queue import OpKind
from govmail_desktop.sync.folder_list import sync_folder_list
from tests.gui.mailbox_helpers import open_mailbox, row_of, select_uid  # noqa: F401
from tests.unit.store.factories import STANDARD_FOLDERS
from tests.unit.sync.fake_special import SpecialFoldersServer, zimbra_server


def without_trash(cache) -> None:
    cache.upsert_folders([f for f in STANDARD_FOLDERS if f.name != "Trash"], remove_missing=True)


def press_delete(window) -> None:
    QTest.keyClick(window.message_view, Qt.Key.Key_Delete)


def no_trash_box(qtbot) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and box.objectName() == "noTrashBox"
    return box


def click(qtbot, box: QMessageBox, name: str | None) -> None:
    button = box.button(QMessageBox.StandardButton.Cancel) if name is None else box.findChild(QAbstractButton, name)
    button.click()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def test_delete_without_a_trash_says_so_and_cancel_changes_nothing(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_trash)
    w = m.window
    select_uid(w, 5)
    press_delete(w)
    box = no_trash_box(qtbot)
    assert "ถังขยะ" in box.text() and "ถาวร" in box.informativeText()  # plainly: no Trash; for good
    assert box.defaultButton().objectName() == "createTrashButton"  # Enter never erases
    click(qtbot, box, None)
    assert row_of(w, 5) is not None and m.sync.applied == [] and m.sync.created_roles == []


def test_enter_on_the_question_creates_a_trash_and_erases_nothing(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_trash)
    m.sync.connection_state.emit("online")
    w = m.window
    select_uid(w, 5)
    press_delete(w)
    box = no_trash_box(qtbot)
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert m.sync.created_roles == [SpecialUse.TRASH] and m.sync.applied == []
    assert row_of(w, 5) is not None  # nothing leaves the list before there is a Trash


def test_create_trash_then_the_messages_move_there(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_trash)
    m.sync.connection_state.emit("online")
    w = m.window
    select_uid(w, 5)
    press_delete(w)
    click(qtbot, no_trash_box(qtbot), "createTrashButton")
    assert m.sync.created_roles == [SpecialUse.TRASH]
    # The "server" made it and listed it again:
    m.cache.upsert_folders(list(STANDARD_FOLDERS), remove_missing=False)
    m.sync.folders_changed.emit()
    m.sync.special_folder_created.emit(SpecialUse.TRASH, DONE, None)
    qtbot.waitUntil(lambda: row_of(w, 5) is None)
    op = m.sync.applied[-1]
    assert op.kind is OpKind.DELETE and op.uids == (5,) and not op.permanent  # to the Trash
    assert "ถังขยะ" in w.notice_label.text()


def test_trash_not_created_means_nothing_deleted(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_trash)
    m.sync.connection_state.emit("online")
    w = m.window
    select_uid(w, 5)
    press_delete(w)
    click(qtbot, no_trash_box(qtbot), "createTrashButton")
    m.sync.special_folder_created.emit(SpecialUse.TRASH, FAILED, ServerError(detail="CREATE refused"))
    qtbot.waitUntil(lambda: "ถังขยะ" in w.notice_label.text())
    assert w.notice_level in ("warning", "error")
    assert row_of(w, 5) is not None and m.sync.applied == []


def test_offline_the_trash_cannot_be_created_and_nothing_is_deleted(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_trash)
    w = m.window
    select_uid(w, 5)
    press_delete(w)
    click(qtbot, no_trash_box(qtbot), "createTrashButton")
    assert m.sync.created_roles == [] and m.sync.applied == [] and row_of(w, 5) is not None
    assert "เชื่อมต่อ" in w.notice_label.text()


def test_delete_permanently_is_the_users_explicit_choice(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_trash)
    w = m.window
    select_uid(w, 5)
    press_delete(w)
    click(qtbot, no_trash_box(qtbot), "deleteForGoodButton")
    qtbot.waitUntil(lambda: row_of(w, 5) is None)
    op = m.sync.applied[-1]
    assert op.kind is OpKind.DELETE and op.permanent


def test_the_service_never_erases_by_default_without_a_trash(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_trash)
    m.service.select_folder(m.inbox)
    assert m.service.delete([5]) is None  # a caller that did not ask the user
    assert m.sync.applied == [] and row_of(m.window, 5) is not None
    assert "ถังขยะ" in m.window.notice_label.text()


# ---------------------------------------------------------------- File → Special Folders


def test_special_folders_dialog_saves_the_choice_with_the_account(make_main_window, qtbot, tmp_path):
    from govmail_desktop.wiring.mailboxes import attach_mailboxes
    from tests.gui.mailbox_helpers import FakeSync, offscreen_tray
    from tests.unit.store.factories import fill

    settings = Settings(tmp_path / "settings.json", locked={"account.folder_junk": "Junk"})
    account = build_account("somchai@dwr.mail.go.th")
    AccountStore(settings).add(account)
    from govmail_desktop.store.cache import MailCache

    cache = MailCache.for_account(account.id)
    fill(cache, count=3)
    cache.close()
    under = make_main_window(settings=settings, lang="th")
    mailboxes = attach_mailboxes(
        under.window, settings, under.bridge, [account],
        sync_factory=lambda _a, c, _q: FakeSync(c), tray_factory=offscreen_tray,
    )
    try:
        service = mailboxes.accounts[0].service
        w = under.window
        assert w.special_folders_action.isEnabled()
        w.special_folders_action.trigger()
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
        dialog = QApplication.activeModalWidget()
        assert dialog.objectName() == "specialFoldersDialog"
        trash = dialog.combos["trash"]
        assert "Trash" in trash.itemText(0)  # detected now
        assert not dialog.combos["junk"].isEnabled()  # the agency's policy sets it
        trash.setCurrentIndex(trash.findData("โครงการ/2569"))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: service.special_folder_id(SpecialUse.TRASH) == service.cache.folder_id("โครงการ/2569"))
        saved = AccountStore(Settings.load(tmp_path / "settings.json")).get(account.id)
        assert saved.special_folder_choice == {"trash": "โครงการ/2569"}
        assert mailboxes.accounts[0].account.special_folder_choice == {"trash": "โครงการ/2569"}
        # The tree shows the chosen folder as ถังขยะ, and no other folder as the Trash.
        model = mailboxes.accounts[0].models.folder_model
        roles = [model.index(r, 0).data(SpecialUseRole) for r in range(model.rowCount())]
        assert roles.count(SpecialUse.TRASH) == 1
    finally:
        mailboxes.shutdown()


# ---------------------------------------------------------------- what the models show


def test_courier_folders_found_by_name_are_translated_ordered_and_show_recipients(qtbot, tmp_path, language_controller):
    from govmail_desktop.store.cache import MailCache

    language_controller.apply("th")

    server = SpecialFoldersServer(("IMAP4REV1", "UIDPLUS", "CHILDREN", "NAMESPACE"))
    server.delimiter = "."
    for name in ("INBOX.Projects", "INBOX.Trash", "INBOX.Sent", "INBOX.Drafts", "INBOX.Spam"):
        server.add_folder(name)
    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        sync_folder_list(server.connect(), cache)
        tree = FolderTreeModel(cache)
        top = [tree.index(r, 0).data() for r in range(tree.rowCount())]
        assert top[:5] == ["กล่องจดหมายเข้า", "ร่างจดหมาย", "จดหมายที่ส่งแล้ว", "จดหมายขยะ", "ถังขยะ"]
        inbox = tree.index(0, 0)
        assert [tree.index(r, 0, inbox).data() for r in range(tree.rowCount(inbox))] == ["Projects"]
        messages = MessageListModel(cache)
        messages.set_folder(cache.folder_id("INBOX.Sent"))
        assert messages.shows_recipients
        messages.set_folder(cache.folder_id("INBOX.Projects"))
        assert not messages.shows_recipients
    finally:
        cache.close()


def test_zimbra_sent_and_drafts_from_xlist_show_recipients(qtbot, tmp_path):
    from govmail_desktop.store.cache import MailCache

    cache = MailCache(tmp_path / "cache.sqlite3")
    try:
        sync_folder_list(zimbra_server().connect(), cache)
        messages = MessageListModel(cache)
        for name in ("Sent", "Drafts"):
            messages.set_folder(cache.folder_id(name))
            assert messages.shows_recipients, name
    finally:
        cache.close()


def test_create_trash_then_move_is_one_action_that_ends_once_under_its_id(open_mailbox, qtbot):
    """The no-Trash flow is one user action: its id is returned when it
    starts, and it ends once — failed when the Trash could not be made (nothing deleted),
    else after the move the creation led to."""
    m = open_mailbox(10, fill_cache=without_trash)
    m.sync.connection_state.emit("online")
    m.service.select_folder(m.inbox)
    settled = []
    m.service.action_settled.connect(lambda op_id, outcome, _error: settled.append((op_id, outcome)))
    refused = m.service.create_trash_and_delete([5])
    m.sync.special_folder_created.emit(SpecialUse.TRASH, FAILED, ServerError(detail="CREATE refused"))
    assert settled == [(refused, FAILED)] and m.sync.applied == [] and row_of(m.window, 5) is not None
    created = m.service.create_trash_and_delete([6])
    assert created > refused
    m.cache.upsert_folders(list(STANDARD_FOLDERS), remove_missing=False)
    m.sync.folders_changed.emit()
    m.sync.special_folder_created.emit(SpecialUse.TRASH, DONE, None)
    qtbot.waitUntil(lambda: bool(m.sync.applied))
    [op] = m.sync.applied
    assert (op.op_id, op.kind, op.uids) == (created, OpKind.DELETE, (6,))
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.done(op)
    assert settled == [(refused, FAILED), (created, DONE)]
