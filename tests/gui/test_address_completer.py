"""The recipient-field completer: suggests for the address after the last comma, shows
"name <email>", and a choice replaces only that address."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from govmail_desktop.models.address_completer import (
    AddressCompleterModel,
    attach_address_completer,
    split_current,
)
from govmail_desktop.store.addressbook import AddressBook
from govmail_desktop.store.contacts import Contact

#: The offscreen platform cannot raise the list or give it the keyboard (a real screen can).
offscreen_popup = pytest.mark.qt_log_ignore(
    r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints\(\))"
)


@pytest.fixture
def book(tmp_path):
    ab = AddressBook(tmp_path)
    ab.contacts.add_many([
        Contact("นายสมชาย ใจดี", "somchai@moph.go.th"),
        Contact("Wong, Anan", "anan@ega.or.th"),
        Contact("Anon Test", "anon@x.go.th"),
    ])
    yield ab
    ab.close()


@pytest.fixture
def field(qtbot, book):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    completer = attach_address_completer(edit, book)
    return edit, completer


def type_text(edit: QLineEdit, text: str) -> None:
    """Typed as a keyboard (or a Thai input method) delivers it: one key event with the text."""
    QApplication.sendEvent(edit, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, text))


def press(widget, key) -> None:
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier))


def shown(completer) -> list[str]:
    model = completer.address_model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


@pytest.mark.parametrize(
    ("text", "head", "current"),
    [
        ("", "", ""),
        ("an", "", "an"),
        ("a@x.go.th, an", "a@x.go.th, ", "an"),
        ("a@x.go.th;an", "a@x.go.th;", "an"),
        ('"Wong, Anan" <anan@ega.or.th>, so', '"Wong, Anan" <anan@ega.or.th>, ', "so"),
        ('"Wong, An', "", '"Wong, An'),
        ("<a,b@x>, c", "<a,b@x>, ", "c"),
        ("a@x.go.th,   ", "a@x.go.th,   ", ""),
    ],
)
def test_split_current_ignores_separators_in_quotes_and_brackets(text, head, current):
    assert split_current(text) == (head, current)


@offscreen_popup
def test_typing_after_a_comma_suggests_for_that_address_only(field):
    edit, completer = field
    type_text(edit, "boss@x.go.th, an")
    assert shown(completer) == ['"Wong, Anan" <anan@ega.or.th>', "Anon Test <anon@x.go.th>"]
    assert completer.popup().isVisible()


@offscreen_popup
def test_thai_typed_finds_the_name_inside_a_title(field):
    edit, completer = field
    type_text(edit, "สมชาย")
    assert shown(completer) == ["นายสมชาย ใจดี <somchai@moph.go.th>"]


@offscreen_popup
def test_choosing_replaces_the_current_address_and_keeps_the_rest(field):
    edit, completer = field
    type_text(edit, '"Wong, Anan" <anan@ega.or.th>, สม')
    popup = completer.popup()
    press(popup, Qt.Key.Key_Down)
    press(popup, Qt.Key.Key_Return)
    assert edit.text() == '"Wong, Anan" <anan@ega.or.th>, นายสมชาย ใจดี <somchai@moph.go.th>, '
    assert not popup.isVisible()
    # The next address starts fresh.
    type_text(edit, "anon")
    assert shown(completer) == ["Anon Test <anon@x.go.th>"]
    press(popup, Qt.Key.Key_Down)
    press(popup, Qt.Key.Key_Return)
    assert edit.text().endswith("นายสมชาย ใจดี <somchai@moph.go.th>, Anon Test <anon@x.go.th>, ")


@offscreen_popup
def test_nothing_to_complete_hides_the_list(field):
    edit, completer = field
    type_text(edit, "an")
    assert completer.popup().isVisible()
    type_text(edit, ", ")
    assert shown(completer) == [] and not completer.popup().isVisible()
    type_text(edit, "zzz")
    assert shown(completer) == [] and not completer.popup().isVisible()


def test_model_roles_and_qt_model_checks(qtmodeltester, book):
    model = AddressCompleterModel(book.suggest)
    model.set_text("x@y.go.th, so")
    qtmodeltester.check(model)
    index = model.index(0, 0)
    assert index.data() == "นายสมชาย ใจดี <somchai@moph.go.th>"
    assert index.data(model.EMAIL_ROLE) == "somchai@moph.go.th"
    assert index.data(model.NAME_ROLE) == "นายสมชาย ใจดี"
    assert index.data(model.SOURCE_ROLE) == "contact"
    assert "somchai@moph.go.th" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.head == "x@y.go.th, "


@offscreen_popup
def test_a_plain_suggest_function_is_accepted(qtbot, book):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    calls: list[tuple[str, int]] = []

    def suggest(text: str, limit: int):
        calls.append((text, limit))
        return book.suggest(text, limit)

    completer = attach_address_completer(edit, suggest, limit=3)
    type_text(edit, "a@b.go.th, wo")
    assert calls == [("wo", 3)]
    assert shown(completer) == ['"Wong, Anan" <anan@ega.or.th>']

