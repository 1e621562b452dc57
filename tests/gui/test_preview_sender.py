"""The preview pane shows the parsed sender's real address and the spoof warnings in Thai
(a name that looks like an address, hidden characters)."""

from __future__ import annotations

import pytest

from govmail_desktop.mime import parse_message
from govmail_desktop.services.mailbox_types import PREVIEW_READY, PreviewResult

pytestmark = pytest.mark.gui


@pytest.fixture
def thai_pane(qtbot, language_controller):
    from govmail_desktop.ui.preview_pane import PreviewPane

    language_controller.apply("th")
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.show()
    return pane


def show(pane, from_line: str) -> None:
    raw = f"From: {from_line}\nSubject: x\n\nbody\n".encode()
    pane.show_result(PreviewResult(PREVIEW_READY, 1, 1, None, parse_message(raw)))


@pytest.mark.parametrize(
    ("from_line", "shown", "warning"),
    [
        # A quoted name folded over lines does not hide the address.
        ('"admin@agency.go.th\r\n  " <x@evil.example>', "admin@agency.go.th <x@evil.example>", "ปลอมแปลง"),
        # The address glued behind the angle address is shown, on every interpreter.
        ("<any@attack.example>admin@legit.go.th", "any@attack.example, admin@legit.go.th", "หลายราย"),
        # Cyrillic о in a government domain: punycode beside the name.
        ("ผู้ดูแลระบบ <admin@mail.g\u043e.th>", "ผู้ดูแลระบบ <admin@mail.xn--g-1tb.th>", "เลียนแบบโดเมนของหน่วยงานราชการ"),
        # A right-to-left override in the name is removed from what is shown.
        ('"Admin \u202emoc.elgoog" <x@evil.example>', "Admin moc.elgoog <x@evil.example>", "ทิศทางข้อความ"),
    ],
)
def test_the_real_address_and_a_thai_warning_are_shown(thai_pane, from_line, shown, warning):
    show(thai_pane, from_line)
    assert thai_pane.from_label.text() == shown
    assert thai_pane.warning_label.isVisible()
    assert warning in thai_pane.warning_label.text()
