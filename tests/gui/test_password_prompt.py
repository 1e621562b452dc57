"""A refused or unknown password asks the user, keeps the answer safe, and reconnects.

The sync service is a fake (``tests/gui/mailbox_helpers.FakeSync``): a real
server cannot be told to forget a password on demand. The real keyring path is
covered in tests/integration/test_keyring.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialogButtonBox

from govmail_desktop.core.errors import AuthError, NetworkError, PasswordNeeded
from govmail_desktop.credentials import SessionPasswords
from govmail_desktop.services.account_setup import PasswordKeeper
from tests.gui.mailbox_helpers import open_mailbox  # noqa: F401
from tests.unit.test_credentials import MemoryKeyring, _store

PASSWORD = "Changed2569Pass"


def visible_prompts():
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == "passwordPrompt" and w.isVisible()]


def answer(prompt, password: str, *, remember: bool) -> None:
    prompt.findChild(type(prompt.password), "password").setText(password)
    prompt.remember.setChecked(remember)
    prompt.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_refused_password_prompts_in_thai_and_reconnects_with_the_typed_one(open_mailbox, qtbot):
    session, backend = SessionPasswords(), MemoryKeyring()
    m = open_mailbox(20, passwords=PasswordKeeper(_store(backend), session))
    requests_before = len(m.sync.sync_requests)

    m.sync.problem.emit(AuthError())
    qtbot.waitUntil(lambda: len(visible_prompts()) == 1)
    prompt = visible_prompts()[0]
    assert "alice@agency.go.th" in prompt.intro.text()
    assert "รหัสผ่าน" in prompt.intro.text()
    assert prompt.reason_label.text()  # why it asks: the server's refusal, worded for people

    # A second refusal while the prompt is open does not stack another prompt.
    m.sync.problem.emit(AuthError())
    qtbot.wait(10)
    assert len(visible_prompts()) == 1

    answer(prompt, PASSWORD, remember=True)
    qtbot.waitUntil(lambda: not visible_prompts())
    assert session.get("acct1") == PASSWORD
    qtbot.waitUntil(lambda: backend.items.get(("GovMail Desktop", "acct1")) == PASSWORD)
    assert len(m.sync.sync_requests) == requests_before + 1  # connected again, once


def test_password_not_remembered_stays_in_memory_only(open_mailbox, qtbot):
    session, backend = SessionPasswords(), MemoryKeyring()
    m = open_mailbox(5, passwords=PasswordKeeper(_store(backend), session))
    m.sync.problem.emit(AuthError())
    qtbot.waitUntil(lambda: len(visible_prompts()) == 1)
    answer(visible_prompts()[0], PASSWORD, remember=False)
    qtbot.waitUntil(lambda: session.get("acct1") == PASSWORD)
    qtbot.wait(50)
    assert backend.items == {}


def test_cancelled_prompt_changes_nothing_and_other_errors_do_not_ask(open_mailbox, qtbot):
    session = SessionPasswords()
    m = open_mailbox(5, passwords=PasswordKeeper(_store(MemoryKeyring()), session))
    m.sync.problem.emit(NetworkError())
    qtbot.wait(20)
    assert not visible_prompts()

    m.sync.problem.emit(AuthError())
    qtbot.waitUntil(lambda: len(visible_prompts()) == 1)
    visible_prompts()[0].reject()
    qtbot.waitUntil(lambda: not visible_prompts())
    assert session.get("acct1") is None
    # After a cancel, a later refusal may ask again.
    m.sync.problem.emit(AuthError())
    qtbot.waitUntil(lambda: len(visible_prompts()) == 1)
    visible_prompts()[0].reject()


def error_texts(bridge) -> list[str]:
    texts: list[str] = []
    bridge.message.connect(lambda level, text: texts.append(text) if level == "error" else None)
    return texts


def test_first_prompt_for_an_unknown_password_asks_plainly_and_shows_no_red_error(open_mailbox, qtbot):
    """No password known yet ("ask each session", or nothing in the keyring): the prompt
    asks for it without "check your password and try again" (nothing was refused), and
    the status bar does not repeat it in red while the prompt is open."""
    session = SessionPasswords()
    m = open_mailbox(5, passwords=PasswordKeeper(_store(MemoryKeyring()), session))
    errors = error_texts(m.bridge)
    m.sync.problem.emit(PasswordNeeded(detail="no password known for account acct1"))
    qtbot.waitUntil(lambda: len(visible_prompts()) == 1)
    prompt = visible_prompts()[0]
    shown = prompt.intro.text() + " " + prompt.reason_label.text()
    assert "alice@agency.go.th" in prompt.intro.text() and "รหัสผ่าน" in prompt.intro.text()
    for lang in ("th", "en"):
        assert AuthError.default_hint.text(lang) not in shown
    assert not prompt.reason_label.isVisible()  # the intro says all there is to say
    assert errors == []
    # Cancelled: the status bar now says why the account stays offline (once).
    prompt.reject()
    qtbot.waitUntil(lambda: not visible_prompts())
    assert errors == [PasswordNeeded().user_text("th")]
    assert AuthError.default_hint.text("th") not in errors[0]


def test_a_refused_password_is_told_in_the_prompt_not_twice(open_mailbox, qtbot):
    session = SessionPasswords()
    m = open_mailbox(5, passwords=PasswordKeeper(_store(MemoryKeyring()), session))
    errors = error_texts(m.bridge)
    m.sync.problem.emit(AuthError(detail="LOGIN failed"))
    qtbot.waitUntil(lambda: len(visible_prompts()) == 1)
    prompt = visible_prompts()[0]
    assert prompt.reason_label.text() == AuthError().user_text("th")
    assert errors == []
    answer(prompt, PASSWORD, remember=False)
    qtbot.waitUntil(lambda: not visible_prompts())
    assert errors == []  # answered: nothing to report


def test_without_a_prompt_the_missing_password_is_reported(open_mailbox, qtbot):
    """An app built without session passwords cannot ask: the status bar says it instead."""
    m = open_mailbox(5)
    errors = error_texts(m.bridge)
    m.sync.problem.emit(PasswordNeeded())
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [PasswordNeeded().user_text("th")] and not visible_prompts()
