"""The preview pane runs the sender checks that need the policy (mime.sender_checks) and shows
their Thai warnings above the text, with the Reply-To address when it goes elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from govmail_desktop.mime.parse import parse_message
from govmail_desktop.mime.preview_warnings import W_POSING_AS_INTERNAL, W_REPLY_TO_OTHER_DOMAIN
from govmail_desktop.policy.hosts import parse_pattern
from govmail_desktop.services.mailbox_types import PREVIEW_READY, PreviewResult

pytestmark = pytest.mark.gui

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "senders"


@pytest.fixture
def thai_pane(qtbot, language_controller):
    from govmail_desktop.ui.preview_pane import PreviewPane

    language_controller.apply("th")
    pane = PreviewPane()
    pane.resize(800, 600)
    qtbot.addWidget(pane)
    pane.show()
    return pane


def show(pane, name: str) -> None:
    pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message((SAMPLES / name).read_bytes())))


def test_an_outside_sender_posing_as_an_agency_is_flagged_in_thai(thai_pane):
    show(thai_pane, "posing-as-agency.eml")
    assert thai_pane.warning_label.isVisible()
    text = thai_pane.warning_label.text()
    assert "มาจากนอกโดเมนของหน่วยงานราชการ" in text
    assert "อย่า" in text  # says what not to do
    assert W_POSING_AS_INTERNAL in thai_pane._result.parsed.warnings  # seen by the remote-content bar too


def test_reply_to_elsewhere_is_flagged_and_its_address_shown(thai_pane):
    show(thai_pane, "reply-to-other-domain.eml")
    assert "โดเมนอื่น" in thai_pane.warning_label.text()
    assert thai_pane.reply_to_label.isVisible()
    assert thai_pane.reply_to_label.text() == "somchai.urgent@evil.example"
    assert thai_pane.reply_to_caption.text() == "ตอบกลับไปที่:"


def test_a_lookalike_government_domain_is_flagged(thai_pane):
    show(thai_pane, "lookalike-go-th.eml")
    assert "go-th.com แทน go.th" in thai_pane.warning_label.text()


def test_a_genuine_agency_gets_no_warning(thai_pane):
    show(thai_pane, "genuine-agency.eml")
    assert not thai_pane.warning_label.isVisible()
    # Its Reply-To is another address of the same agency: shown, without a warning.
    assert thai_pane.reply_to_label.text().endswith("<office@cgd.go.th>")


def test_no_reply_to_row_without_reply_to(thai_pane):
    show(thai_pane, "posing-as-agency.eml")
    assert not thai_pane.reply_to_label.isVisible()
    assert not thai_pane.reply_to_caption.isVisible()


def test_the_policy_internal_domains_are_used(thai_pane):
    raw = "From: =?UTF-8?B?4LiB4Lij4Lih4LiV4Lix4Lin4Lit4Lii4LmI4Liy4LiH?= <saraban@agency.example>\nSubject: x\n\nx\n"
    thai_pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(raw.encode())))
    assert W_POSING_AS_INTERNAL in thai_pane._result.parsed.warnings
    thai_pane.internal_domains = (parse_pattern("go.th"), parse_pattern(".go.th"), parse_pattern("agency.example"))
    thai_pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(raw.encode())))
    assert W_POSING_AS_INTERNAL not in thai_pane._result.parsed.warnings
    assert W_REPLY_TO_OTHER_DOMAIN not in thai_pane._result.parsed.warnings
    assert not thai_pane.warning_label.isVisible()
