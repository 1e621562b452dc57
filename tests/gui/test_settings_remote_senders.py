"""Edit → Settings lists the senders whose remote images always load, and removes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel

from govmail_desktop.store.remote_senders import FILE_NAME, RemoteSenders

pytestmark = pytest.mark.gui


def dialog_with(qtbot, senders: RemoteSenders | None):
    from govmail_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog("en", remote_senders=senders)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def select(dialog, *addresses: str) -> None:
    listed = dialog.remote_senders_list
    listed.clearSelection()
    for row in range(listed.count()):
        if listed.item(row).text() in addresses:
            listed.selectionModel().select(listed.model().index(row, 0), QItemSelectionModel.SelectionFlag.Select)


def test_removed_senders_are_gone_after_ok_and_after_a_restart(qtbot, tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    senders = RemoteSenders.load(path)
    for address in ("b@agency.go.th", "a@agency.go.th", "c@example.com"):
        senders.add(address)
    dialog = dialog_with(qtbot, senders)
    listed = dialog.remote_senders_list
    assert [listed.item(i).text() for i in range(listed.count())] == ["a@agency.go.th", "b@agency.go.th",
                                                                      "c@example.com"]
    assert not dialog.remove_sender_button.isEnabled(), "nothing selected yet"
    select(dialog, "a@agency.go.th", "c@example.com")
    assert dialog.remove_sender_button.isEnabled()
    dialog.remove_sender_button.click()
    assert [listed.item(i).text() for i in range(listed.count())] == ["b@agency.go.th"]
    assert senders.allows("a@agency.go.th"), "nothing changes before OK"
    dialog.accept()
    assert senders.addresses() == ["b@agency.go.th"]
    senders.flush()
    assert RemoteSenders.load(path).addresses() == ["b@agency.go.th"]


def test_cancel_keeps_every_sender(qtbot, tmp_path: Path) -> None:
    senders = RemoteSenders.load(tmp_path / FILE_NAME)
    senders.add("a@agency.go.th")
    dialog = dialog_with(qtbot, senders)
    select(dialog, "a@agency.go.th")
    dialog.remove_sender_button.click()
    assert dialog.remote_senders_list.count() == 0
    dialog.reject()
    assert senders.addresses() == ["a@agency.go.th"]


def test_an_empty_list_says_so(qtbot, tmp_path: Path) -> None:
    dialog = dialog_with(qtbot, RemoteSenders.load(tmp_path / FILE_NAME))
    assert dialog.remote_senders_list.count() == 0
    assert dialog.remote_senders_empty.isVisible()
    assert not dialog.remove_sender_button.isEnabled()


def test_without_a_list_the_section_is_not_shown(qtbot) -> None:
    dialog = dialog_with(qtbot, None)
    assert not dialog.remote_group.isVisible()


def mode_dialog(qtbot, images):
    from govmail_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog("en", remote_images=images)
    qtbot.addWidget(dialog)
    dialog.show()
    chosen: list[str] = []
    dialog.remote_mode_chosen.connect(chosen.append)
    return dialog, chosen


def test_choosing_to_always_load_remote_images_is_reported_on_ok(qtbot) -> None:
    from govmail_desktop.ui.settings_dialog import RemoteImagesSettings

    dialog, chosen = mode_dialog(qtbot, RemoteImagesSettings(mode="block"))
    combo = dialog.remote_mode_combo
    assert combo.isEnabled() and combo.currentData() == "block"
    combo.setCurrentIndex(combo.findData("allow"))
    dialog.accept()
    assert chosen == ["allow"]


def test_an_unchanged_choice_is_not_reported(qtbot) -> None:
    from govmail_desktop.ui.settings_dialog import RemoteImagesSettings

    dialog, chosen = mode_dialog(qtbot, RemoteImagesSettings(mode="ask"))
    assert dialog.remote_mode_combo.currentData() == "block", "ask shows the bar as block does"
    dialog.accept()
    assert chosen == []


@pytest.mark.parametrize("images", [{"locked": True}, {"forbidden": True}], ids=["locked", "forbidden"])
def test_the_policy_keeps_the_choice_read_only_and_says_so(qtbot, images) -> None:
    from govmail_desktop.ui.settings_dialog import RemoteImagesSettings

    dialog, chosen = mode_dialog(qtbot, RemoteImagesSettings(mode="allow", **images))
    assert not dialog.remote_mode_combo.isEnabled()
    assert dialog.remote_mode_combo.toolTip()
    dialog.accept()
    assert chosen == []
