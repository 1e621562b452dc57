"""The provisioned account stays the policy's: its signature is the policy's locked one (the
composer's profiles offer no other and refuse edits), and its servers, login and password mode
are set back to the policy's at start (wiring/accounts.py)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from govmail_desktop.core.accounts import AccountStore, ServerSettings
from govmail_desktop.core.identities import ComposerProfiles, Signature
from govmail_desktop.core.os_user import OsUser
from govmail_desktop.core.settings import Settings
from govmail_desktop.policy.provisioning import provision
from govmail_desktop.policy.sources import policy_from_dict
from govmail_desktop.wiring.accounts import (
    enforce_provisioned_account,
    policy_signature_lookup,
    provisioned_address_for,
)

USER = OsUser("AGENCY\\Somchai", "สมชาย ใจดี")


def _policy(**values: object):
    policy = policy_from_dict({"schema_version": 1, "provisioning": {
        "address": "%USERNAME%@mail.go.th", "imap_host": "imap.mail.go.th", "smtp_host": "smtp.mail.go.th",
        "signature": ["{name}", "กองกลาง", "{address}"], **values}})
    assert policy.error is None, policy.error
    return policy


@pytest.fixture
def setup(tmp_path):
    policy = _policy()
    settings = Settings.load(tmp_path / "settings.json")
    account = provision(policy.policy.provisioning, USER, policy.check_account_address).account
    store = AccountStore(settings)
    store.add(account)
    store.save()
    return policy, settings, account


def test_the_provisioned_account_has_only_the_policys_signature(setup):
    policy, settings, account = setup
    address = provisioned_address_for(policy, USER)
    assert address == "somchai@mail.go.th"
    profiles = ComposerProfiles(settings, policy_signature_lookup(policy, settings, address))
    [signature] = profiles.signatures(account.id)
    assert signature.locked and signature.default
    assert signature.text().splitlines() == ["-- ", "สมชาย ใจดี", "กองกลาง", "somchai@mail.go.th"]
    assert profiles.default_signature(account.id) == signature
    with pytest.raises(ValueError):
        profiles.save_signature(Signature.new(account.id, name="my own"))
    with pytest.raises(ValueError):
        profiles.save_signature(replace(signature, fixed_lines=("changed",)))
    assert "fixed_lines" not in json.dumps(settings.section("composer") or {})


def test_other_accounts_and_policies_without_a_signature_are_the_users(setup):
    policy, settings, account = setup
    other = replace(account, id="other1", address="wilai@mail.go.th")
    AccountStore(settings).add(other)
    lookup = policy_signature_lookup(policy, settings, "somchai@mail.go.th")
    profiles = ComposerProfiles(settings, lookup)
    saved = profiles.save_signature(Signature.new("other1", name="วิไล"))
    assert profiles.signatures("other1") == [saved]
    assert policy_signature_lookup(_policy(signature=[]), settings, "somchai@mail.go.th") is None


def test_the_provisioned_accounts_servers_are_set_back_to_the_policys(setup):
    policy, settings, account = setup
    store = AccountStore(settings)
    store.update(replace(account, imap=ServerSettings("imap.other.go.th", 143, "starttls"), login="x",
                         ask_password_each_session=True))
    store.save()
    enforce_provisioned_account(policy, settings, "somchai@mail.go.th", USER)
    [now] = AccountStore(Settings.load(settings.path)).list()
    assert now.imap == account.imap and now.login == account.login
    assert now.ask_password_each_session is False and now.id == account.id


def test_no_provisioning_no_address():
    assert provisioned_address_for(policy_from_dict({"schema_version": 1}), USER) is None
    assert provisioned_address_for(_policy(), OsUser("สมชาย")) is None  # the first run says why
