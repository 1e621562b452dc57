"""Edit → Identities…: extra From addresses per account (the agency's saraban address as a
second identity), added, changed and removed through ComposerProfiles; an address the
policy would not take as an account address (outside the allowed domains, free mail) is
refused in the policy's words, in Thai; the composer offers the identities as From."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.identities import ComposerProfiles
from govmail_desktop.policy.sources import default_effective_policy
from govmail_desktop.ui.composer.identities import IdentityEditor
from tests.gui.mailbox_helpers import DATA, open_mailbox  # noqa: F401
from tests.gui.test_compose_actions import composer_of, composing  # noqa: F401

SARABAN = "saraban@agency.go.th"


def open_editor(m, qtbot) -> IdentityEditor:
    w = m.window
    assert w.identities_action.isEnabled()
    assert w.identities_action in w.edit_menu.actions()
    w.identities_action.trigger()
    qtbot.waitUntil(lambda: w.findChild(IdentityEditor) is not None and w.findChild(IdentityEditor).isVisible())
    return w.findChild(IdentityEditor)


def type_into(edit, text: str) -> None:
    """As typed (QTest cannot type Thai letters): the text and the edit's textEdited."""
    edit.setText(text)
    edit.textEdited.emit(text)


def type_identity(editor: IdentityEditor, qtbot, address: str, name: str = "") -> None:
    editor.add_button.click()
    type_into(editor.name_edit, name)
    type_into(editor.address_edit, address)


def ok(editor: IdentityEditor) -> None:
    editor.box.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.fixture
def thai(language_controller):
    language_controller.apply("th")


def refusal(address: str) -> str:
    with pytest.raises(GovMailError) as err:
        default_effective_policy().check_account_address(address)
    return err.value.user_text()


@pytest.mark.usefixtures("thai")
def test_the_saraban_address_added_as_a_second_identity_is_offered_as_from(composing, qtbot):
    m = composing()
    editor = open_editor(m, qtbot)
    assert editor.windowTitle() == "ตัวตนผู้ส่ง"
    assert "alice@agency.go.th" in editor.own_label.text()  # the account's own, always there
    type_identity(editor, qtbot, SARABAN, "งานสารบรรณ กรมทรัพยากรน้ำ")
    ok(editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    account = m.mailboxes.accounts[0].account
    assert [(i.name, i.address) for i in ComposerProfiles(m.settings).identities(account)] == [
        ("อลิสา ศรีสุข", "alice@agency.go.th"), ("งานสารบรรณ กรมทรัพยากรน้ำ", SARABAN)]

    m.window.compose_action.trigger()  # Write: both addresses in From
    composer = composer_of(m, qtbot)
    items = [composer.from_combo.itemText(i) for i in range(composer.from_combo.count())]
    assert items == ["อลิสา ศรีสุข <alice@agency.go.th>", f"งานสารบรรณ กรมทรัพยากรน้ำ <{SARABAN}>"]
    composer.from_combo.setCurrentIndex(1)
    assert composer.session.draft.sender == f"งานสารบรรณ กรมทรัพยากรน้ำ <{SARABAN}>"
    composer.session.close(keep=False)
    composer.close()


@pytest.mark.usefixtures("thai")
def test_an_identity_is_changed_and_removed(composing, qtbot):
    m = composing()
    profiles_before = ComposerProfiles(m.settings)
    account = m.mailboxes.accounts[0].account
    editor = open_editor(m, qtbot)
    type_identity(editor, qtbot, SARABAN, "สารบรรณ")
    ok(editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    editor = open_editor(m, qtbot)
    assert editor.list.count() == 1 and editor.address_edit.text() == SARABAN
    type_into(editor.name_edit, "งานสารบรรณกลาง")
    ok(editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert [i.name for i in ComposerProfiles(m.settings).identities(account)][1:] == ["งานสารบรรณกลาง"]
    editor = open_editor(m, qtbot)
    editor.remove_button.click()
    ok(editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert [i.address for i in ComposerProfiles(m.settings).identities(account)] == ["alice@agency.go.th"]
    assert profiles_before.problems == []


@pytest.mark.usefixtures("thai")
@pytest.mark.parametrize("address", ["somchai.j@gmail.com", "somchai@example.com", "ไม่ใช่ที่อยู่"])
def test_an_identity_outside_the_allowed_account_domains_is_refused_in_the_policys_words(
        composing, qtbot, address):
    m = composing()
    account = m.mailboxes.accounts[0].account
    editor = open_editor(m, qtbot)
    type_identity(editor, qtbot, address, "สมชาย")
    ok(editor)
    assert editor.isVisible()  # kept open until fixed or removed
    assert editor.error_label.isVisible()
    assert editor.error_label.text() == refusal(address)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in editor.error_label.text())  # in Thai
    assert [i.address for i in ComposerProfiles(m.settings).identities(account)] == ["alice@agency.go.th"]
    editor.remove_button.click()  # the user gives up on it: OK now closes
    ok(editor)
    qtbot.waitUntil(lambda: not editor.isVisible())


@pytest.mark.usefixtures("thai")
def test_the_accounts_own_address_or_one_twice_is_refused(composing, qtbot):
    m = composing()
    editor = open_editor(m, qtbot)
    type_identity(editor, qtbot, "ALICE@agency.go.th")
    ok(editor)
    assert editor.isVisible()
    assert editor.error_label.text() == "ALICE@agency.go.th เป็นที่อยู่ของบัญชีนี้อยู่แล้ว"


@pytest.mark.usefixtures("thai")
def test_an_identity_outside_the_policy_written_into_the_settings_by_hand_is_not_offered(composing, qtbot):
    m = composing()
    account = m.mailboxes.accounts[0].account
    profiles = m.launcher.starter.profiles
    profiles.add_identity(account.id, "alice.private@gmail.com", "อลิสา")  # as if edited by hand
    profiles.add_identity(account.id, SARABAN, "สารบรรณ")
    m.window.compose_action.trigger()
    composer = composer_of(m, qtbot)
    items = [composer.from_combo.itemText(i) for i in range(composer.from_combo.count())]
    assert items == ["อลิสา ศรีสุข <alice@agency.go.th>", f"สารบรรณ <{SARABAN}>"]
    composer.session.close(keep=False)
    composer.close()


def test_signatures_follow_an_identity_whose_address_changes_or_is_removed(composing):
    from govmail_desktop.core.identities import Signature

    m = composing()
    profiles = ComposerProfiles(m.settings)
    identity = profiles.add_identity("acct1", SARABAN, "สารบรรณ")
    profiles.save_signature(Signature.new("acct1", name="งานสารบรรณ", identity=SARABAN))
    profiles.update_identity(identity.id, "saraban.dwr@agency.go.th", "สารบรรณ")
    assert [s.identity for s in profiles.signatures("acct1")] == ["saraban.dwr@agency.go.th"]
    profiles.remove_identity(identity.id)
    assert [s.identity for s in profiles.signatures("acct1")] == [""]
    with pytest.raises(ValueError):
        profiles.update_identity(profiles.add_identity("acct1", SARABAN).id, "not an address")


def test_a_saved_identity_is_told_to_the_address_book_at_once(open_mailbox, qtbot, tmp_path, monkeypatch):
    from govmail_desktop.services.drafts_service import DraftsService
    from govmail_desktop.store.addressbook import AddressBook
    from govmail_desktop.store.drafts import DraftStore
    from govmail_desktop.wiring.compose import build_composer

    m = open_mailbox(3)
    book = AddressBook(tmp_path / "book")
    book.add_account("acct1", m.cache, ["alice@agency.go.th"])
    told: list[tuple[str, list[str]]] = []
    real = book.set_own_addresses

    def spy(account_id, addresses):
        told.append((account_id, list(addresses)))
        return real(account_id, addresses)

    monkeypatch.setattr(book, "set_own_addresses", spy)
    drafts = DraftsService(DraftStore(tmp_path / "drafts"))
    build_composer(m.window, m.settings, default_effective_policy(), m.bridge, m.mailboxes, drafts,
                   address_book=book)
    try:
        editor = open_editor(m, qtbot)
        type_identity(editor, qtbot, SARABAN, "งานสารบรรณ")
        ok(editor)
        assert told == [("acct1", ["alice@agency.go.th", SARABAN])]
        qtbot.waitUntil(lambda: book.suggest("saraban") == [], timeout=10_000)
    finally:
        drafts.shutdown()
        book.close()
