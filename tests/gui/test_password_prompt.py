"""A refused or unknown password asks the user, keeps the answer safe, and reconnects.

The sync service is H8's fake (``tests/gui/mailbox_helpers.FakeSync``): a real
server cannot be told to forget a password on demand. The real keyring path is
covered in tests/integration/test_keyring.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialogButtonBox

from govmail_desktop.core.errors import AuthError, NetworkError
from govmail_desktop.credentials import SessionPasswords
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
    m = open_mailbox(20, session_passwords=session, credential_store=_store(backend))
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
    assert len(m.sync.sync_requests) > requests_before  # connected again


def test_password_not_remembered_stays_in_memory_only(open_mailbox, qtbot):
    session, backend = SessionPasswords(), MemoryKeyring()
    m = open_mailbox(5, session_passwords=session, credential_store=_store(backend))
    m.sync.problem.emit(AuthError())
    qtbot.waitUntil(lambda: len(visible_prompts()) == 1)
    answer(visible_prompts()[0], PASSWORD, remember=False)
    qtbot.waitUntil(lambda: session.get("acct1") == PASSWORD)
    qtbot.wait(50)
    assert backend.items == {}


def test_cancelled_prompt_changes_nothing_and_other_errors_do_not_ask(open_mailbox, qtbot):
    session = SessionPasswords()
    m = open_mailbox(5, session_passwords=session, credential_store=_store(MemoryKeyring()))
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
