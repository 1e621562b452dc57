"""Saved searches as virtual folders of the folder tree: save, open (runs the search), rename, remove."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from govmail_desktop.core.saved_searches import SavedSearches
from govmail_desktop.models.folder_tree import SAVED_SEARCH_ROLE, SAVED_SEARCHES_ROLE, SpecialUseRole
from tests.gui.mailbox_helpers import open_mailbox  # noqa: F401
from tests.gui.test_search_view import make_search, search_for

pytestmark = pytest.mark.gui


def tree_names(model) -> list[str]:
    out = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        out.append(index.data())
        out.extend("  " + model.index(r, 0, index).data() for r in range(model.rowCount(index)))
    return out


def open_dialogs(kind) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def input_dialog(qtbot) -> QInputDialog:
    qtbot.waitUntil(lambda: bool(open_dialogs(QInputDialog)))
    return open_dialogs(QInputDialog)[0]


def test_a_search_saved_from_the_view_becomes_a_folder_that_runs_it(open_mailbox, qtbot):
    m = open_mailbox(30)
    controller, fake = make_search(m)
    controller.open_search()
    search_for(m, controller, "งบ is:unread")
    controller.view.save_button.click()
    dialog = input_dialog(qtbot)
    assert dialog.textValue() == "งบ is:unread"
    dialog.setTextValue("งบที่ยังไม่อ่าน")
    dialog.accept()
    names = tree_names(m.models.folder_model)
    assert names[-2:] == ["การค้นหาที่บันทึกไว้", "  งบที่ยังไม่อ่าน"]
    # The rebuilt tree does not close the search; the new folder becomes the tree's current one.
    qtbot.waitUntil(lambda: m.window.folder_view.currentIndex().data() == "งบที่ยังไม่อ่าน")
    assert m.window.list_pages.currentWidget() is controller.view
    assert controller.view.title_label.text() == "งบที่ยังไม่อ่าน"
    data = json.loads(m.settings.path.read_text(encoding="utf-8"))
    assert [(s["name"], s["query"]) for s in data["saved_searches"]] == [("งบที่ยังไม่อ่าน", "งบ is:unread")]
    # Back to the Inbox, then the virtual folder: the search runs again and shows its name.
    controller.show_list()
    group = m.models.folder_model.index(m.models.folder_model.rowCount() - 1, 0)
    assert group.data(SpecialUseRole) == SAVED_SEARCHES_ROLE
    node = m.models.folder_model.index(0, 0, group)
    assert node.data(SpecialUseRole) == SAVED_SEARCH_ROLE
    calls = len(fake.calls)
    m.window.folder_view.setCurrentIndex(node)
    assert m.window.list_pages.currentWidget() is controller.view
    assert len(fake.calls) == calls + 1 and fake.last[1] == "งบ is:unread"
    assert controller.view.title_label.text() == "งบที่ยังไม่อ่าน"
    assert "การค้นหาที่บันทึกไว้: งบ is:unread" in node.data(Qt.ItemDataRole.ToolTipRole)  # the query


def test_a_saved_search_is_renamed_and_removed_from_the_tree(open_mailbox, qtbot):
    m = open_mailbox(20)
    saved = SavedSearches(m.settings)
    item = saved.add("หนังสือเวียน", 'subject:"หนังสือเวียน"')
    controller, fake = make_search(m, saved=saved)
    assert tree_names(m.models.folder_model)[-1] == "  หนังสือเวียน"
    controller.ask_rename(item.id)
    dialog = input_dialog(qtbot)
    dialog.setTextValue("เวียน ๒๕๖๙")
    dialog.accept()
    assert tree_names(m.models.folder_model)[-1] == "  เวียน ๒๕๖๙"
    assert SavedSearches(m.settings.load(m.settings.path)).get(item.id).name == "เวียน ๒๕๖๙"
    controller.ask_remove(item.id)
    qtbot.waitUntil(lambda: bool(open_dialogs(QMessageBox)))
    box = open_dialogs(QMessageBox)[0]
    assert "ไม่มีจดหมายใดถูกลบ" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert "การค้นหาที่บันทึกไว้" not in tree_names(m.models.folder_model)
    assert json.loads(m.settings.path.read_text(encoding="utf-8"))["saved_searches"] == []


def test_saved_searches_cannot_take_dropped_messages_and_stay_out_of_the_move_menu(open_mailbox):
    m = open_mailbox(20)
    saved = SavedSearches(m.settings)
    saved.add("งบ", "งบ")
    make_search(m, saved=saved)
    model = m.models.folder_model
    group = model.index(model.rowCount() - 1, 0)
    node = model.index(0, 0, group)
    dragged = m.models.message_model.mimeData([m.models.message_model.index(0, 0)])
    assert not model.canDropMimeData(dragged, Qt.DropAction.MoveAction, -1, 0, node)
    m.window.move_menu.aboutToShow.emit()
    texts = [a.text().strip() for a in m.window.move_menu.actions()]
    assert "งบ" not in texts and "การค้นหาที่บันทึกไว้" not in texts
