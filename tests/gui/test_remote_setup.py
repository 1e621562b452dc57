"""Remote content as the composition root joins it: the machine policy, the user's setting,
the senders' list in the data folder, Settings showing that list."""

from __future__ import annotations

from pathlib import Path

import pytest

from govmail_desktop.core.settings import Settings
from govmail_desktop.policy.sources import policy_from_dict
from govmail_desktop.store.remote_senders import FILE_NAME
from govmail_desktop.ui.remote_bar import BLOCKED, FORBIDDEN, PARTLY, attach_remote_content

pytestmark = pytest.mark.gui

#: Nothing listens on loopback port 9: a fetch, if one is made, fails at once and stays here.
HTML = '<p>ข่าว</p><img src="https://127.0.0.1:9/a.png">'


def show(pane, key: object = 1) -> None:
    from govmail_desktop.mime.html_view import render_html

    safe = render_html(HTML)
    pane.body.show_html(safe)
    pane.remote_content.show_message(key, safe.remote, "news@agency.go.th")


def test_the_machine_policy_forbidding_remote_content_reaches_the_preview(make_main_window, tmp_path: Path) -> None:
    under = make_main_window(lang="en")
    policy = policy_from_dict({"content": {"remote_content_allowed": False}})
    stop = attach_remote_content(under.window.preview_view, policy, under.settings, tmp_path, under.bridge)
    try:
        show(under.window.preview_view)
        assert under.window.preview_view.remote_bar.state == FORBIDDEN
    finally:
        stop()


def test_a_broken_policy_forbids_remote_content(make_main_window, tmp_path: Path) -> None:
    under = make_main_window(lang="en")
    broken = policy_from_dict({"content": {"remote_content_allowed": "perhaps"}})
    assert broken.error is not None
    stop = attach_remote_content(under.window.preview_view, broken, under.settings, tmp_path, under.bridge)
    try:
        show(under.window.preview_view)
        assert under.window.preview_view.remote_bar.state == FORBIDDEN
    finally:
        stop()


def test_the_senders_list_is_read_from_the_data_folder_and_shown_in_settings(
    qtbot, make_main_window, tmp_path: Path
) -> None:
    (tmp_path / FILE_NAME).write_text(
        '{"version": 1, "senders": [{"address": "news@agency.go.th", "added": 0}]}', encoding="utf-8"
    )
    under = make_main_window(lang="en")
    pane = under.window.preview_view
    stop = attach_remote_content(pane, policy_from_dict({}), under.settings, tmp_path, under.bridge)
    try:
        assert pane.remote_content.senders.allows("news@agency.go.th")
        under.window.show_settings()
        from govmail_desktop.ui.settings_dialog import SettingsDialog

        qtbot.waitUntil(lambda: under.window.findChild(SettingsDialog) is not None)
        dialog = under.window.findChild(SettingsDialog)
        assert dialog.remote_senders_list.count() == 1
        dialog.remote_senders_list.item(0).setSelected(True)
        dialog.remove_sender_button.click()
        dialog.accept()
        assert not pane.remote_content.senders.allows("news@agency.go.th")
    finally:
        stop()
    assert '"senders": []' in (tmp_path / FILE_NAME).read_text(encoding="utf-8")


def test_a_damaged_senders_list_is_said_and_nothing_loads_without_asking(make_main_window, tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"\x00garbage")
    under = make_main_window(lang="en")
    said: list[str] = []
    under.bridge.message.connect(lambda _level, text: said.append(text))
    pane = under.window.preview_view
    stop = attach_remote_content(pane, policy_from_dict({}), under.settings, tmp_path, under.bridge)
    try:
        assert said and "could not be read" in said[-1]
        show(pane)
        assert pane.remote_bar.state == BLOCKED
    finally:
        stop()


def test_the_user_setting_allow_is_read_when_a_message_is_shown(qtbot, make_main_window, tmp_path: Path) -> None:
    under = make_main_window(lang="en")
    pane = under.window.preview_view
    stop = attach_remote_content(pane, policy_from_dict({}), under.settings, tmp_path, under.bridge)
    try:
        show(pane, key=1)
        assert pane.remote_bar.state == BLOCKED
        under.settings.set(Settings.mail_remote_content, "allow")
        show(pane, key=2)
        assert pane.remote_bar.state != BLOCKED
        # Fetched at once: nothing listens there, so the bar ends saying it was not loaded.
        qtbot.waitUntil(lambda: pane.remote_bar.state == PARTLY, timeout=10_000)
    finally:
        stop()


def test_settings_keeps_the_choice_to_always_show_remote_images(qtbot, make_main_window, tmp_path: Path) -> None:
    from govmail_desktop.ui.settings_dialog import SettingsDialog

    under = make_main_window(lang="en")
    pane = under.window.preview_view
    stop = attach_remote_content(pane, policy_from_dict({}), under.settings, tmp_path, under.bridge)
    try:
        under.window.show_settings()
        qtbot.waitUntil(lambda: under.window.findChild(SettingsDialog) is not None)
        dialog = under.window.findChild(SettingsDialog)
        combo = dialog.remote_mode_combo
        assert combo.isEnabled() and combo.currentData() == "block"
        combo.setCurrentIndex(combo.findData("allow"))
        dialog.accept()
        assert under.settings.mail_remote_content == "allow"
        assert Settings.load(under.settings.path).mail_remote_content == "allow"
        show(pane)
        assert pane.remote_bar.state != BLOCKED
    finally:
        stop()


def test_settings_cannot_change_a_choice_the_policy_locks(qtbot, make_main_window, tmp_path: Path) -> None:
    from govmail_desktop.ui.settings_dialog import SettingsDialog

    settings = Settings(tmp_path / "settings.json", locked={"mail.remote_content": "block"})
    under = make_main_window(settings=settings, lang="en")
    stop = attach_remote_content(under.window.preview_view, policy_from_dict({}), settings, tmp_path, under.bridge)
    try:
        under.window.show_settings()
        qtbot.waitUntil(lambda: under.window.findChild(SettingsDialog) is not None)
        dialog = under.window.findChild(SettingsDialog)
        assert not dialog.remote_mode_combo.isEnabled()
        under.window.preview_view.remote_content.choose_mode("allow")  # even asked directly
        assert settings.mail_remote_content == "block"
    finally:
        stop()
