"""The preview's plain/formatted toggle (remembered per user), the policy's forced plain text,
and Thai text right in every charset sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govmail_desktop.core.settings import Settings
from govmail_desktop.mime import parse_message
from govmail_desktop.services.mailbox_types import PREVIEW_LOADING, PREVIEW_READY, PreviewResult

pytestmark = pytest.mark.gui

DATA = Path(__file__).resolve().parents[1] / "data"
NEWSLETTER = DATA / "07-html-remote-images.eml"


@pytest.fixture
def pane(qtbot, language_controller):
    from govmail_desktop.ui.preview_pane import PreviewPane

    language_controller.apply("th")
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(800, 600)
    pane.show()
    return pane


def show(pane, path: Path) -> None:
    pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(path.read_bytes())))


def test_a_formatted_message_is_shown_formatted_with_a_note_and_a_toggle(pane):
    show(pane, NEWSLETTER)
    assert pane.body.objectName() == "previewBody"
    assert pane.body.mode == "html" and pane.showing_formatted
    assert "จดหมายข่าวประจำเดือนมกราคม" in pane.body.toPlainText()
    assert pane.body.safe is not None and len(pane.body.safe.remote) == 3
    assert pane.format_bar.isVisible() and pane.format_toggle.isEnabled()
    assert pane.format_toggle.text() == "แสดงเป็นข้อความธรรมดา"
    assert "ไม่ได้โหลดเนื้อหาจากภายนอก" in pane.format_note.text()
    assert not pane.warning_label.isVisible()  # no "shown as plain text" warning when it is not


def test_the_toggle_shows_plain_text_and_keeps_the_choice(pane):
    kept: list[bool] = []
    pane.set_format_options(prefer_plain=False, force_plain=False, save=kept.append)
    show(pane, NEWSLETTER)
    pane.format_toggle.click()
    assert pane.body.mode == "plain" and not pane.showing_formatted
    assert kept == [True]
    assert "<h1>" not in pane.body.toPlainText() and "กิจกรรมวันเด็กแห่งชาติ" in pane.body.toPlainText()
    assert pane.format_toggle.text() == "แสดงแบบจัดรูปแบบ"
    show(pane, NEWSLETTER)  # the next message: still plain
    assert pane.body.mode == "plain"
    pane.format_toggle.click()
    assert pane.body.mode == "html" and kept == [True, False]


def test_the_users_remembered_choice_is_used_from_the_start(pane):
    pane.set_format_options(prefer_plain=True, force_plain=False)
    show(pane, NEWSLETTER)
    assert pane.body.mode == "plain" and pane.format_toggle.isChecked() and pane.format_toggle.isEnabled()


def test_the_policy_forces_plain_text_and_says_why(pane):
    kept: list[bool] = []
    pane.set_format_options(prefer_plain=False, force_plain=True, save=kept.append)
    show(pane, NEWSLETTER)
    assert pane.body.mode == "plain"
    assert pane.format_bar.isVisible() and "นโยบายของหน่วยงาน" in pane.format_note.text()
    assert not pane.format_toggle.isEnabled() and not pane.format_toggle.isVisible()
    pane.format_toggle.setChecked(False)  # even if it were reached
    assert pane.body.mode == "plain" and kept == []


def test_a_message_without_html_has_no_toggle(pane):
    show(pane, DATA / "01-utf8-qp.eml")
    assert pane.body.mode == "plain" and not pane.format_bar.isVisible()
    pane.show_result(PreviewResult(PREVIEW_LOADING, 1, 2))
    assert not pane.format_bar.isVisible() and pane.body.toPlainText() == ""


def test_the_choice_is_saved_in_the_user_settings_unless_locked(pane, tmp_path):
    from govmail_desktop.wiring.mailboxes import join_format_choice

    class Bridge:
        errors: list = []

        def report_error(self, err):
            self.errors.append(err)

    settings = Settings(tmp_path / "settings.json")
    join_format_choice(pane, settings, Bridge(), force_plain_text=False)
    show(pane, NEWSLETTER)
    pane.format_toggle.click()
    assert Settings.load(tmp_path / "settings.json").mail_prefer_plain_text is True

    locked = Settings(tmp_path / "locked.json", locked={"mail.prefer_plain_text": False})
    join_format_choice(pane, locked, Bridge(), force_plain_text=False)
    assert pane.save_prefer_plain is None and pane.body.mode == "html"
    pane.format_toggle.click()  # this message only; nothing written, no error
    assert pane.body.mode == "plain" and not (tmp_path / "locked.json").exists() and Bridge.errors == []


MANIFEST = {m["file"]: m["expect"] for m in json.loads((DATA / "seed.json").read_text(encoding="utf-8"))["messages"]}
CHARSET_SAMPLES = [f"{n:02d}-" for n in range(1, 7)]


@pytest.mark.parametrize("prefix", CHARSET_SAMPLES)
def test_thai_text_is_right_in_every_charset_sample(pane, prefix):
    path = next(DATA.glob(prefix + "*.eml"))
    expect = MANIFEST[path.name]
    show(pane, path)
    shown = pane.body.toPlainText()
    for text in expect["body_contains"]:
        assert text in shown
    assert "\ufffd" not in shown
    assert pane.subject_label.text() == expect["subject"]
