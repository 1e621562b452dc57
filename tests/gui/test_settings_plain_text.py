"""Edit → Settings offers "prefer plain text" (``mail.prefer_plain_text``): the choice shows the
message in the preview as plain text at once and is kept; the policy's lock or its forced plain
text (``content.force_plain_text``) is shown and cannot be changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from govmail_desktop.core.settings import Settings
from govmail_desktop.mime import parse_message
from govmail_desktop.services.mailbox_types import PREVIEW_READY, PreviewResult
from tests.gui.mailbox_helpers import open_settings

pytestmark = pytest.mark.gui

NEWSLETTER = Path(__file__).resolve().parents[1] / "data" / "07-html-remote-images.eml"


class Bridge:
    def report(self, *_args, **_kwargs) -> None:
        raise AssertionError("nothing to report")


@pytest.fixture
def window(qtbot, language_controller):
    from govmail_desktop.ui.main_window import MainWindow

    language_controller.apply("th")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.preview_view.show_result(
        PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(NEWSLETTER.read_bytes()))
    )
    return window


def test_prefer_plain_text_in_settings_shows_plain_text_and_is_kept(window, qtbot, tmp_path):
    from govmail_desktop.wiring.mailboxes import join_format_choice

    settings = Settings(tmp_path / "settings.json")
    join_format_choice(window.preview_view, settings, Bridge(), force_plain_text=False)
    assert window.preview_view.showing_formatted
    dialog = open_settings(window, qtbot)
    box = dialog.prefer_plain_box
    assert box.isEnabled() and not box.isChecked()
    assert "ข้อความธรรมดา" in box.text()
    box.setChecked(True)
    dialog.accept()
    assert window.preview_view.body.mode == "plain" and not window.preview_view.showing_formatted
    assert Settings.load(tmp_path / "settings.json").mail_prefer_plain_text is True
    assert window.preview_view.format_toggle.text() == "แสดงแบบจัดรูปแบบ"

    dialog = open_settings(window, qtbot)
    assert dialog.prefer_plain_box.isChecked(), "the dialog shows the choice kept"
    dialog.prefer_plain_box.setChecked(False)
    dialog.reject()
    assert window.preview_view.body.mode == "plain", "Cancel changes nothing"


def test_a_locked_choice_is_shown_and_cannot_be_changed(window, qtbot, tmp_path):
    from govmail_desktop.wiring.mailboxes import join_format_choice

    settings = Settings(tmp_path / "settings.json", locked={"mail.prefer_plain_text": True})
    join_format_choice(window.preview_view, settings, Bridge(), force_plain_text=False)
    dialog = open_settings(window, qtbot)
    assert dialog.prefer_plain_box.isChecked() and not dialog.prefer_plain_box.isEnabled()
    assert dialog.prefer_plain_box.toolTip() == "กำหนดโดยนโยบายของหน่วยงาน"
    dialog.accept()
    assert window.preview_view.body.mode == "plain"


def test_policy_forced_plain_text_is_shown_checked_and_explained(window, qtbot, tmp_path):
    from govmail_desktop.wiring.mailboxes import join_format_choice

    settings = Settings(tmp_path / "settings.json")
    join_format_choice(window.preview_view, settings, Bridge(), force_plain_text=True)
    dialog = open_settings(window, qtbot)
    box = dialog.prefer_plain_box
    assert box.isChecked() and not box.isEnabled()
    assert "นโยบาย" in box.toolTip() and "ข้อความธรรมดา" in box.toolTip()
    dialog.accept()
    assert Settings.load(tmp_path / "settings.json").mail_prefer_plain_text is False, "nothing saved"
