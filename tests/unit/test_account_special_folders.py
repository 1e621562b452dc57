"""The user's and the policy's choice of special folders: stored with
the account, validated, and the policy's over the user's."""

from __future__ import annotations

import json

import pytest

from govmail_desktop.core import accounts as acc
from govmail_desktop.core.accounts import AccountStore, InvalidAccount, build_account, special_folder_roles
from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.settings import Settings
from govmail_desktop.policy import schema


def test_the_choice_round_trips_through_the_settings_file(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings(path)
    store = AccountStore(settings)
    account = build_account("somchai@dwr.mail.go.th").with_special_folders(
        {"trash": "INBOX.ถังขยะ", "sent": "Sent Items", "junk": ""}
    )
    store.add(account)
    store.save()
    assert json.loads(path.read_text(encoding="utf-8"))["accounts"][0]["special_folders"] == {
        "sent": "Sent Items", "trash": "INBOX.ถังขยะ",
    }
    again = AccountStore(Settings.load(path)).get(account.id)
    assert again == account and again.special_folder_choice == {"sent": "Sent Items", "trash": "INBOX.ถังขยะ"}


def test_accounts_saved_before_the_choice_existed_still_load(tmp_path):
    path = tmp_path / "settings.json"
    entry = build_account("somchai@dwr.mail.go.th").to_dict()
    del entry["special_folders"]
    path.write_text(json.dumps({"version": 1, "accounts": [entry]}), encoding="utf-8")
    store = AccountStore(Settings.load(path))
    assert store.problems == [] and store.list()[0].special_folders == ()


@pytest.mark.parametrize(
    "bad",
    [{"bin": "Trash"}, {"trash": "Tr\nash"}, {"trash": 5}, {"trash": "x" * 1001}, ["trash", "Trash"]],
)
def test_a_bad_choice_is_reported_not_loaded(tmp_path, bad):
    path = tmp_path / "settings.json"
    entry = build_account("somchai@dwr.mail.go.th").to_dict()
    entry["special_folders"] = bad
    path.write_text(json.dumps({"version": 1, "accounts": [entry]}), encoding="utf-8")
    store = AccountStore(Settings.load(path))
    assert store.list() == [] and len(store.problems) == 1
    with pytest.raises(InvalidAccount) as info:
        acc.Account.from_dict(entry)
    assert info.value.field == "special_folders"


def test_the_policy_may_set_a_folder_for_every_account():
    assert schema.check_locked_setting("account.folder_trash", "Deleted Items") == "Deleted Items"
    for value in ("", "a\x00b", 3):
        with pytest.raises(schema.BadValue):
            schema.check_locked_setting("account.folder_trash", value)
    with pytest.raises(schema.BadValue):
        schema.check_locked_setting("account.folder_bin", "Trash")


def test_the_policys_folder_wins_over_the_users_role_by_role():
    account = build_account("somchai@dwr.mail.go.th").with_special_folders({"trash": "Mine", "sent": "My Sent"})
    locked = {"account.folder_trash": "Deleted Items", "mail.remote_content": "block"}
    assert special_folder_roles(account, locked) == {SpecialUse.TRASH: "Deleted Items", SpecialUse.SENT: "My Sent"}
    assert special_folder_roles(object(), {}) == {}  # an account object without a choice


def test_a_policy_folder_lock_does_not_turn_the_profile_off():
    account = build_account("somchai@dwr.mail.go.th", locked={"account.folder_trash": "Trash"})
    assert account.profile == acc.PROFILE_MAIL_GO_TH
