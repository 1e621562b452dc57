"""Reply to the message the preview shows: the message parsed for the preview is used again
(a 2 MB HTML message takes a good part of a second to parse and turn into text), but only
while it is the same message, the same bytes and the same language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from govmail_desktop.services import compose_start
from govmail_desktop.services import mailbox as mailbox_module
from govmail_desktop.services.mailbox_types import BODY_PART, PREVIEW_READY
from tests.gui.mailbox_helpers import DATA, open_mailbox, select_uid  # noqa: F401
from tests.gui.test_compose_actions import UID, composer_of, composing  # noqa: F401


@pytest.fixture
def parses(monkeypatch):
    """Every message parse for the preview or a reply (wherever either is done)."""
    seen: list[bytes] = []
    real = mailbox_module.parse_message

    def counting(raw: bytes, **kwargs):
        seen.append(raw)
        return real(raw, **kwargs)

    for module in (mailbox_module, compose_start):
        if hasattr(module, "parse_message"):
            monkeypatch.setattr(module, "parse_message", counting)
    return seen


def show_preview(m, qtbot, uid: int = UID) -> None:
    with qtbot.waitSignal(m.service.preview_ready, timeout=5000,
                          check_params_cb=lambda result: result.state == PREVIEW_READY and result.uid == uid):
        select_uid(m.window, uid)


def reply(m, qtbot, count: int):
    QTest.keyClick(m.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(m.opened) == count, timeout=5000)
    composer = m.opened[-1]
    composer.session.close(keep=False)
    return composer


def test_reply_to_the_previewed_message_uses_the_preview_s_parse(composing, qtbot, parses):
    m = composing()
    show_preview(m, qtbot)
    assert len(parses) == 1
    composer = reply(m, qtbot, 1)
    assert len(parses) == 1  # not parsed a second time
    assert composer.session.draft.in_reply_to == "<20260121080500.1111@agency.mail.go.th>"
    assert "เขียนว่า:" in composer.body.toPlainText()


def test_a_message_whose_bytes_changed_since_the_preview_is_parsed_again(composing, qtbot, parses):
    m = composing()
    show_preview(m, qtbot)
    other = (DATA / "01-utf8-qp.eml").read_bytes()
    m.cache.put_part(m.inbox, UID, BODY_PART, other)  # e.g. fetched again after a cache rebuild
    composer = reply(m, qtbot, 1)
    assert parses == [(DATA / "11-official-urgent-secret.eml").read_bytes(), other]
    assert composer.session.draft.in_reply_to != "<20260121080500.1111@agency.mail.go.th>"


def test_another_message_than_the_previewed_one_is_parsed_for_the_reply(composing, qtbot, parses):
    m = composing()
    m.cache.put_part(m.inbox, UID + 1, BODY_PART, (DATA / "01-utf8-qp.eml").read_bytes())
    show_preview(m, qtbot, UID + 1)
    select_uid(m.window, UID)  # selected; its preview not awaited: the reply reads it itself
    composer = reply(m, qtbot, 1)
    assert composer.session.draft.in_reply_to == "<20260121080500.1111@agency.mail.go.th>"
    assert len(parses) >= 2
