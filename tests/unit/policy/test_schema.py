"""Schema, built-in defaults, the shipped default/sample/test policy files, locked settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govmail_desktop.core.errors import ConfigError
from govmail_desktop.core.settings import Settings
from govmail_desktop.policy import api
from govmail_desktop.policy.defaults import DEFAULT_POLICY_DATA
from govmail_desktop.policy.schema import KEYS, validate
from govmail_desktop.policy.sources import default_effective_policy, load_policy_file, policy_from_dict

ROOT = Path(__file__).resolve().parents[3]


def test_defaults_are_valid_and_match_the_shipped_file():
    assert validate(DEFAULT_POLICY_DATA) == []
    shipped = json.loads((ROOT / "resources" / "policy" / "default-policy.json").read_text(encoding="utf-8"))
    assert shipped == DEFAULT_POLICY_DATA


def test_defaults_follow_government_md():
    policy = default_effective_policy().policy
    assert [p.text for p in policy.servers.allow] == ["mail.go.th", ".mail.go.th"]
    deny = {p.text for p in policy.servers.deny}
    for provider in ("gmail.com", "googlemail.com", "outlook.com", "hotmail.*", "live.com", "msn.com",
                     "yahoo.*", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com",
                     "gmx.*", "yandex.*", "mail.ru", "zoho.com", "outlook.co.th"):
        assert provider in deny
    assert policy.tls.min_version == "1.2"
    assert policy.addresses.allow_cidrs == ()
    assert policy.recipients.classified == "internal-only"
    assert policy.content.remote_content == "block"
    for ext in (".exe", ".scr", ".bat", ".cmd", ".com", ".pif", ".js", ".jse", ".vbs", ".vbe", ".wsf",
                ".wsh", ".hta", ".msi", ".msp", ".lnk", ".ps1", ".reg", ".jar", ".cpl"):
        assert ext in policy.attachments.blocked_extensions


@pytest.mark.parametrize("name", ["docs/sample-policy.json", "tests/data/policy/test-loopback.json"])
def test_shipped_policies_validate(name):
    path = ROOT / name
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [p.text("en") for p in validate(data, str(path), base_dir=path.parent)] == []
    assert load_policy_file(path).error is None


def test_every_key_has_a_description_and_a_registry_type():
    for spec in KEYS.values():
        assert spec.description
        assert spec.registry_type in ("REG_SZ", "REG_DWORD", "REG_MULTI_SZ")


def test_every_key_is_documented_in_admin_md():
    doc = (ROOT / "docs" / "admin.md").read_text(encoding="utf-8")
    for path in KEYS:
        assert f"`{path}`" in doc, path


def test_no_key_can_switch_tls_off():
    eff = policy_from_dict({"tls": {"required": False}})
    assert eff.error is not None and eff.problems[0].key == "tls.required"


def test_values_are_normalised():
    eff = policy_from_dict({
        "servers": {"allow": ["*.Agency.GO.TH.", "MAIL.go.th", "mail.go.th"]},
        "tls": {"spki_pins": ["sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]},
        "attachments": {"blocked_extensions": ["EXE", ".Scr"]},
        "addresses": {"allow_cidrs": ["10.0.0.0/8", "2001:DB8:0::/32"]},
    })
    assert eff.error is None
    assert eff.values["servers.allow"] == [".agency.go.th", "mail.go.th"]
    assert eff.values["tls.spki_pins"] == ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]
    assert eff.values["attachments.blocked_extensions"] == [".exe", ".scr"]
    assert eff.values["addresses.allow_cidrs"] == ["10.0.0.0/8", "2001:db8::/32"]


# -- locked settings ---------------------------------------------------------------

def test_locked_settings_cannot_be_loosened_by_the_user(tmp_path):
    eff = policy_from_dict({"locked_settings": {"mail.remote_content": "block"}})
    assert eff.locked_settings() == {"mail.remote_content": "block"}
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps({"settings": {"mail.remote_content": "allow"}}), encoding="utf-8")
    settings = Settings.load(settings_file, locked=eff.locked_settings())
    assert settings.get("mail.remote_content") == "block"  # the user's "allow" is ignored
    with pytest.raises(ConfigError, match="mail.remote_content is locked") as info:
        settings.set("mail.remote_content", "allow")
    assert type(info.value) is ConfigError and "locked by the agency" in info.value.user_text("en")


def test_default_locks_nothing_but_sets_the_remote_content_and_search_download_defaults():
    eff = default_effective_policy()
    assert eff.locked_settings() == {}
    assert eff.setting_defaults() == {"mail.remote_content": "block", "search.download_days": 30}


def test_locked_settings_are_typed():
    eff = policy_from_dict({"locked_settings": {"ui.thai_digits": "yes"}})
    assert eff.error is not None
    assert eff.problems[0].key == "locked_settings.ui.thai_digits"


# -- accounts ------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["somchai@dwr.mail.go.th", "Somchai@Agency.GO.TH", "a@go.th"])
def test_government_accounts_allowed(address):
    local, domain = address.split("@")
    assert default_effective_policy().check_account_address(address) == local + "@" + domain.lower()


@pytest.mark.parametrize(
    "address", ["a@gmail.com", "a@hotmail.co.th", "a@ega.or.th", "a@agency.gо.th", "a@go.th.evil.example",
                "a@go.th@evil.example", "a", "a@"],
)
def test_other_accounts_refused(address):
    from govmail_desktop.core.errors import PolicyRefused

    with pytest.raises(PolicyRefused) as info:
        default_effective_policy().check_account_address(address)
    assert info.value.code == api.ACCOUNT_DOMAIN


def test_admin_may_add_account_domains():
    eff = policy_from_dict({"accounts": {"allowed_domains": ["go.th", ".go.th", "ega.or.th"]}})
    assert eff.check_account_address("a@ega.or.th") == "a@ega.or.th"


def test_reading_keys_default_to_the_safe_side():
    policy = default_effective_policy().policy
    assert policy.content.remote_content_allowed is True
    assert policy.content.remote_hosts == ()
    assert policy.content.remote_http is False
    assert policy.content.force_plain_text is False
    assert policy.attachments.open_blocked == "confirm"


def test_reading_keys_take_booleans_hosts_and_choices():
    eff = policy_from_dict({
        "content": {"remote_content_allowed": False, "remote_hosts": ["img.go.th", ".cdn.go.th"],
                    "remote_http": 1, "force_plain_text": True},
        "attachments": {"open_blocked": "forbid"},
    })
    assert eff.error is None, eff.problems
    content = eff.policy.content
    assert content.remote_content_allowed is False
    assert [p.text for p in content.remote_hosts] == ["img.go.th", ".cdn.go.th"]
    assert content.remote_http is True  # the registry's REG_DWORD 1
    assert content.force_plain_text is True
    assert eff.policy.attachments.open_blocked == "forbid"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"content": {"remote_content_allowed": "no"}}, "content.remote_content_allowed"),
        ({"content": {"remote_http": 2}}, "content.remote_http"),
        ({"content": {"force_plain_text": None}}, "content.force_plain_text"),
        ({"content": {"remote_hosts": "img.go.th"}}, "content.remote_hosts"),
        ({"attachments": {"open_blocked": "allow"}}, "attachments.open_blocked"),
    ],
)
def test_reading_keys_refuse_wrong_values(data, key):
    eff = policy_from_dict(data)
    assert eff.error is not None
    assert [p.key for p in eff.problems] == [key]


# -- search: text downloaded for offline search ------------------------------------------


def test_search_download_defaults_to_thirty_days_with_no_practical_cap():
    search = default_effective_policy().policy.search
    assert (search.download_days, search.max_download_days) == (30, 3650)


def test_search_download_keys_set_the_default_and_the_cap():
    eff = policy_from_dict({"search": {"default_download_days": 7, "max_download_days": 14}})
    assert eff.error is None, eff.problems
    assert eff.setting_defaults()["search.download_days"] == 7
    assert Settings(None, defaults=eff.setting_defaults()).search_download_days == 7
    assert eff.search_download_days(Settings(None, defaults=eff.setting_defaults())) == 7


def test_the_user_cannot_go_beyond_the_policys_cap(tmp_path):
    eff = policy_from_dict({"search": {"max_download_days": 14}})
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps({"settings": {"search.download_days": 365}}), encoding="utf-8")
    settings = Settings.load(settings_file, locked=eff.locked_settings(), defaults=eff.setting_defaults())
    assert settings.search_download_days == 365  # what the user asked for is kept in the file...
    assert eff.search_download_days(settings) == 14  # ...but never more than the cap is downloaded


def test_a_cap_of_zero_turns_the_download_off_for_everyone(tmp_path):
    eff = policy_from_dict({"search": {"max_download_days": 0}})
    settings = Settings(None, defaults=eff.setting_defaults())
    settings.set(Settings.search_download_days, 90)
    assert eff.search_download_days(settings) == 0


def test_the_policy_can_lock_the_search_download_days():
    eff = policy_from_dict({"locked_settings": {"search.download_days": 0}})
    assert eff.error is None, eff.problems
    settings = Settings(None, locked=eff.locked_settings(), defaults=eff.setting_defaults())
    assert settings.search_download_days == 0
    assert settings.is_locked(Settings.search_download_days)
    with pytest.raises(ConfigError, match="search.download_days is locked"):
        settings.set(Settings.search_download_days, 30)
    assert eff.search_download_days(settings) == 0


def test_a_lock_above_the_cap_is_still_capped():
    eff = policy_from_dict({"search": {"max_download_days": 10}, "locked_settings": {"search.download_days": 60}})
    assert eff.error is None, eff.problems
    assert eff.search_download_days(Settings(None, locked=eff.locked_settings())) == 10


def test_a_broken_policy_downloads_nothing():
    eff = policy_from_dict({"search": {"default_download_days": "thirty"}})
    assert eff.error is not None
    assert eff.search_download_days(Settings(None)) == 0


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"search": {"default_download_days": -1}}, "search.default_download_days"),
        ({"search": {"default_download_days": 3651}}, "search.default_download_days"),
        ({"search": {"default_download_days": True}}, "search.default_download_days"),
        ({"search": {"max_download_days": "30"}}, "search.max_download_days"),
        ({"search": {"download_days": 30}}, "search.download_days"),  # the user setting's name
        ({"locked_settings": {"search.download_days": 99999}}, "locked_settings.search.download_days"),
        ({"locked_settings": {"search.download_days": "30"}}, "locked_settings.search.download_days"),
    ],
)
def test_search_download_keys_refuse_wrong_values(data, key):
    eff = policy_from_dict(data)
    assert eff.error is not None
    assert [p.key for p in eff.problems] == [key]


def test_a_settings_file_with_days_out_of_range_falls_back_to_the_default(tmp_path):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps({"settings": {"search.download_days": -5}}), encoding="utf-8")
    settings = Settings.load(settings_file)
    assert settings.search_download_days == 30
    assert any("search.download_days" in problem for problem in settings.problems)
    with pytest.raises(ConfigError):
        settings.set(Settings.search_download_days, 4000)
