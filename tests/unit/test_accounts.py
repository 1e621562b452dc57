"""Accounts: validation, the mail.go.th profile, policy locks and storage in settings."""

from __future__ import annotations

import json

import pytest

from govmail_desktop.core import accounts as acc
from govmail_desktop.core.accounts import (
    MAIL_GO_TH,
    Account,
    AccountStore,
    InvalidAccount,
    ServerFields,
    ServerSettings,
    SmtpProbe,
    build_account,
    needs_setup,
    normalize_address,
    recognise_profile,
)
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings


def _settings() -> Settings:
    return Settings.load(AppPaths.default().settings_file)


# -- addresses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("somchai@dwr.mail.go.th", "somchai@dwr.mail.go.th"),
        ("  Somchai.K@DWR.Mail.Go.Th ", "Somchai.K@dwr.mail.go.th"),
        ("saraban@agency.go.th", "saraban@agency.go.th"),
        ("info@ตัวอย่าง.ไทย", "info@ตัวอย่าง.ไทย"),
        ("info@xn--72c1a1bt4awk9o.xn--o3cw4h", "info@ตัวอย่าง.ไทย"),
    ],
)
def test_addresses_are_normalized(typed, expected):
    assert normalize_address(typed) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "somchai",
        "somchai@",
        "@agency.go.th",
        "a@b@agency.go.th",
        "som chai@agency.go.th",
        "somchai@agency",
        "somchai@agency..go.th",
        ".somchai@agency.go.th",
        "somchai.@agency.go.th",
        "somchai@agency.go.th\r\nBcc: x@evil.example",
        '"quoted"@agency.go.th',
        "somchai@-bad-.go.th",
        "x" * 65 + "@agency.go.th",
    ],
)
def test_malformed_addresses_are_refused_with_the_field_named(bad):
    with pytest.raises(InvalidAccount) as info:
        normalize_address(bad)
    assert info.value.field == "address"
    assert "name@agency.go.th" in info.value.user_text("en")


# -- the built-in profile --------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["somchai@mail.go.th", "somchai@dwr.mail.go.th", "somchai@agency.go.th", "a@sub.agency.go.th"],
)
def test_government_addresses_use_the_mail_go_th_profile(address):
    assert recognise_profile(address) is MAIL_GO_TH


@pytest.mark.parametrize(
    "address",
    ["x@gmail.com", "x@go.th", "x@mail.go.th.evil.example", "x@evilgo.th", "x@outlook.co.th"],
)
def test_other_addresses_have_no_profile(address):
    assert recognise_profile(address) is None


def test_or_th_agencies_use_the_profile_only_when_the_policy_allows_them():
    asked = []

    def allow(address):
        asked.append(address)
        return address.endswith("@ega.or.th")

    assert recognise_profile("x@ega.or.th") is None  # no policy answer: not recognised
    assert recognise_profile("x@ega.or.th", domain_allowed=allow) is MAIL_GO_TH
    assert recognise_profile("x@other.or.th", domain_allowed=allow) is None
    assert asked == ["x@ega.or.th", "x@other.or.th"]


def test_profile_account_has_the_documented_servers_and_login():
    account = build_account("somchai@dwr.mail.go.th", display_name="สมชาย ใจดี")
    assert account.login == "somchai@dwr.mail.go.th"
    assert account.imap == ServerSettings("imap.mail.go.th", 993, "tls")
    assert account.smtp_probing
    assert [(s.host, s.port, s.security) for s in account.smtp_candidates()] == [
        ("smtp.mail.go.th", 465, "tls"),
        ("smtp.mail.go.th", 587, "starttls"),
        ("smtp.mail.go.th", 25, "starttls"),
    ]
    assert account.profile == acc.PROFILE_MAIL_GO_TH
    found = account.with_smtp(ServerSettings("smtp.mail.go.th", 587, "starttls"))
    assert found.smtp_candidates() == (ServerSettings("smtp.mail.go.th", 587, "starttls"),)
    assert not found.smtp_probing


def test_unknown_domain_needs_own_servers():
    with pytest.raises(InvalidAccount) as info:
        build_account("somchai@agency.example")
    assert info.value.field == "imap_host"
    account = build_account(
        "somchai@agency.example",
        login="somchai",
        servers=ServerFields("IMAP.Agency.Example", 143, "starttls", "smtp.agency.example", 587, "starttls"),
    )
    assert account.imap == ServerSettings("imap.agency.example", 143, "starttls")
    assert account.smtp == ServerSettings("smtp.agency.example", 587, "starttls")
    assert account.login == "somchai"
    assert account.profile == acc.PROFILE_CUSTOM


def test_own_servers_without_an_smtp_port_probe_the_usual_ports():
    account = build_account(
        "a@agency.example", servers=ServerFields("imap.agency.example", None, "tls", "smtp.agency.example")
    )
    assert account.imap.port == 993
    assert isinstance(account.smtp, SmtpProbe)
    assert [s.port for s in account.smtp_candidates()] == [465, 587, 25]


# -- validation of servers -------------------------------------------------------------


@pytest.mark.parametrize("security", ["plain", "none", "", None, "ssl"])
def test_plaintext_is_not_a_choice(security):
    with pytest.raises(InvalidAccount) as info:
        ServerSettings("imap.agency.go.th", 143, security)
    assert "TLS" in info.value.user_text("en")


@pytest.mark.parametrize("port", [0, -1, 65536, "993", 99.5, True])
def test_ports_outside_the_range_are_refused(port):
    with pytest.raises(InvalidAccount) as info:
        build_account(
            "a@agency.example", servers=ServerFields("imap.agency.example", port, "tls", "smtp.agency.example", 587)
        )
    assert info.value.field == "imap_port"


@pytest.mark.parametrize("host", ["", "bad host.go.th", "imap..go.th", "-x.go.th", "imap.go.th/x"])
def test_bad_host_names_are_refused(host):
    with pytest.raises(InvalidAccount) as info:
        build_account("a@agency.example", servers=ServerFields(host, 993, "tls", "smtp.agency.example", 465))
    assert info.value.field == "imap_host"


def test_idn_and_ip_hosts_are_kept_in_ascii_form():
    assert ServerSettings("เมล.ตัวอย่าง.ไทย", 993, "tls").host.startswith("xn--")
    assert ServerSettings("127.0.0.1", 993, "tls").host == "127.0.0.1"
    assert ServerSettings("[::1]", 993, "tls").host == "::1"
    assert ServerSettings("LocalHost", 993, "tls").host == "localhost"  # one-label intranet names are fine


def test_display_name_and_login_cannot_inject_headers():
    with pytest.raises(InvalidAccount) as info:
        build_account("a@agency.go.th", display_name="Somchai\r\nBcc: spy@evil.example")
    assert info.value.field == "display_name"
    with pytest.raises(InvalidAccount) as info:
        build_account("a@agency.go.th", login="a\nb")
    assert info.value.field == "login"


# -- policy locks -------------------------------------------------------------------------


def test_policy_locked_servers_override_profile_and_user():
    locked = {"account.imap_host": "mail.agency.go.th", "account.imap_port": 993,
              "account.smtp_host": "mail.agency.go.th", "account.smtp_port": 587,
              "account.smtp_security": "starttls", "ui.language": "th"}
    account = build_account(
        "a@agency.go.th",
        servers=ServerFields("imap.elsewhere.go.th", 143, "starttls", "smtp.elsewhere.go.th", 465, "tls"),
        locked=locked,
    )
    assert account.imap == ServerSettings("mail.agency.go.th", 993, "starttls")
    assert account.smtp == ServerSettings("mail.agency.go.th", 587, "starttls")
    assert account.profile == acc.PROFILE_CUSTOM
    # A locked IMAP host makes an address without a profile usable too.
    other = build_account("a@agency.example", locked=locked)
    assert other.imap.host == "mail.agency.go.th"


def test_lock_settings_validate_like_user_settings():
    specs = acc.ACCOUNT_LOCK_SETTINGS
    assert set(specs) == set(acc.ACCOUNT_LOCK_KEYS) | set(acc.FOLDER_LOCK_KEYS.values())
    assert specs["account.imap_host"].validate("Mail.Agency.Go.Th") == "mail.agency.go.th"
    for key, value in [
        ("account.imap_host", "not a host"),
        ("account.imap_port", 70000),
        ("account.smtp_port", "587"),
        ("account.smtp_security", "plain"),
    ]:
        with pytest.raises(ValueError):
            specs[key].validate(value)


# -- storage --------------------------------------------------------------------------------


def _account(address="somchai@dwr.mail.go.th", **kw) -> Account:
    return build_account(address, display_name="สมชาย", **kw)


def test_accounts_round_trip_through_the_settings_file():
    settings = _settings()
    assert needs_setup(settings)
    store = AccountStore(settings)
    first = _account()
    second = build_account(
        "nid@agency.example",
        servers=ServerFields("imap.agency.example", 993, "tls", "smtp.agency.example", 465, "tls"),
        ask_password_each_session=True,
    )
    store.add(first)
    store.add(second)
    store.save()

    reloaded = _settings()
    assert not needs_setup(reloaded)
    again = AccountStore(reloaded)
    assert again.list() == [first, second]
    assert again.problems == []
    assert again.get(second.id).ask_password_each_session is True
    assert again.find("SOMCHAI@DWR.MAIL.GO.TH") == first


def test_update_and_remove():
    store = AccountStore(_settings())
    a, b = _account(), _account("nid@agency.go.th")
    store.add(a)
    store.add(b)
    renamed = Account(**{**a.__dict__, "display_name": "สมชาย ใจดี"})
    store.update(renamed)
    with pytest.raises(InvalidAccount):
        store.update(Account(**{**b.__dict__, "address": a.address}))
    assert store.remove(b.id) == b
    store.save()
    assert AccountStore(_settings()).list() == [renamed]
    with pytest.raises(KeyError):
        store.remove(b.id)


def test_duplicate_address_is_refused():
    store = AccountStore(_settings())
    store.add(_account())
    with pytest.raises(InvalidAccount) as info:
        store.add(_account("Somchai@DWR.mail.go.th"))
    assert info.value.field == "address"
    assert len(store) == 1


def test_broken_entries_are_reported_and_kept_but_secrets_are_dropped():
    path = AppPaths.default().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    good = _account().to_dict()
    broken = {**_account("x@agency.go.th").to_dict(), "imap": {"host": "imap.mail.go.th", "port": 993,
                                                                  "security": "plain"},
              "password": "Hunter2Secret", "smtp_token": "abc"}
    path.write_text(json.dumps({"version": 1, "settings": {}, "accounts": [good, broken, "junk"]}),
                    encoding="utf-8")
    settings = Settings.load(path)
    store = AccountStore(settings)
    assert [a.address for a in store.list()] == ["somchai@dwr.mail.go.th"]
    assert len(store.problems) == 2
    store.save()
    text = path.read_text(encoding="utf-8")
    assert "Hunter2Secret" not in text and "smtp_token" not in text
    assert '"plain"' in text  # the broken entry is kept for IT staff to fix


def test_no_secret_key_can_reach_the_settings_file():
    """Unknown keys, e.g. a password someone added by hand, are not written back."""
    path = AppPaths.default().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {**_account().to_dict(), "password": "Sup3rSecretPw"}
    path.write_text(json.dumps({"version": 1, "accounts": [entry]}), encoding="utf-8")
    store = AccountStore(Settings.load(path))
    assert len(store) == 1
    store.save()
    assert "Sup3rSecretPw" not in path.read_text(encoding="utf-8")
    assert set(store.list()[0].to_dict()) == {
        "id", "address", "display_name", "login", "imap", "smtp", "ask_password_each_session", "profile",
        "special_folders",
    }
