"""Account provisioning by the machine policy (policy/provisioning.py, the provisioning keys):
the patterns are checked when the policy is read, the OS login name is expanded safely into an
address on an allowed domain (or a clear Thai/English error), and provisioning never loosens
the server or account-domain rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.core.os_user import OsUser, current_os_user, gecos_name
from govmail_desktop.policy import provisioning, registry, schema
from govmail_desktop.policy.defaults import DEFAULT_POLICY_DATA
from govmail_desktop.policy.model import ProvisioningSection
from govmail_desktop.policy.provisioning import ProvisioningFailed, login_name, provision
from govmail_desktop.policy.sources import policy_from_dict

SERVERS = {"imap_host": "imap.agency.go.th", "smtp_host": "smtp.agency.go.th"}


def section(**values: Any) -> ProvisioningSection:
    base: dict[str, Any] = {"address": "%USERNAME%@agency.go.th", **SERVERS}
    base.update(values)
    return ProvisioningSection(**base)


def allow_go_th(address: str) -> str:
    if not address.endswith(".go.th"):
        raise PolicyRefused(detail="not allowed")
    return address


def problems(data: dict[str, Any]) -> list[str]:
    return [f"{p.key}: {p.text('en')}" for p in schema.validate(data)]


def with_provisioning(**values: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEFAULT_POLICY_DATA)
    data["provisioning"].update(values)
    return data


# -- the OS login name becomes the part before @ ------------------------------------------


@pytest.mark.parametrize(("login", "expected"), [
    ("somchai", "somchai"),
    ("Somchai.J", "somchai.j"),  # upper case is lowered
    ("AGENCY\\somchai", "somchai"),  # Windows DOMAIN\user
    ("somchai@AGENCY.GO.TH", "somchai"),  # Kerberos / SSSD user@REALM
    ("  wilai_k ", "wilai_k"),
    ("a+b-c", "a+b-c"),
])
def test_the_login_name_becomes_the_part_before_the_at(login, expected):
    assert login_name(login) == expected


@pytest.mark.parametrize("login", [
    "",  # the system did not say
    "AGENCY\\",  # a domain without a user
    "สมชาย",  # Thai letters cannot be an address here
    "Somchai Jaidee",  # a space
    "a%b",  # a % would be read as a placeholder elsewhere
    "a%b@realm",  # the realm is dropped; what is left is refused
    "\u212aelvin",  # KELVIN SIGN lowers to "k": must not slip in
    "..",
    "a..b",
    "x" * 65,
    "a/b",
    "a'b",
    "a\nb",
])
def test_an_unusable_login_name_is_a_clear_error(login):
    with pytest.raises(ProvisioningFailed) as caught:
        login_name(login)
    error = caught.value
    assert error.code == "provisioning"
    thai, english = error.user_text("th"), error.user_text("en")
    assert "provisioning.address" in english and "IT staff" in english
    assert thai != english and any("\u0e00" <= ch <= "\u0e7f" for ch in thai)


def test_the_realm_is_dropped_before_the_check():
    # "a@b.com%": the part after @ is a realm and goes; what is left must still be clean.
    assert login_name("somchai@b.com%") == "somchai"
    with pytest.raises(ProvisioningFailed):
        login_name("som%chai@b.com")


# -- the account -----------------------------------------------------------------------------


def test_a_pattern_gives_the_users_account_with_the_policys_servers():
    user = OsUser("AGENCY\\Somchai", "สมชาย ใจดี")
    made = provision(section(smtp_port=587, smtp_security="starttls"), user, allow_go_th, account_id="acc1")
    account = made.account
    assert account.address == "somchai@agency.go.th"
    assert account.login == "somchai@agency.go.th"  # %ADDRESS% by default
    assert account.display_name == "สมชาย ใจดี"
    assert (account.imap.host, account.imap.port, account.imap.security) == ("imap.agency.go.th", 993, "tls")
    assert (account.smtp.host, account.smtp.port, account.smtp.security) == ("smtp.agency.go.th", 587, "starttls")
    assert account.ask_password_each_session is False and made.ask_name is False


def test_a_fixed_address_ignores_the_login_name():
    made = provision(section(address="saraban@agency.go.th"), OsUser("สมชาย ใจดี"), allow_go_th)
    assert made.account.address == "saraban@agency.go.th"


@pytest.mark.parametrize(("login", "expected"), [
    ("%LOCALPART%", "somchai"),
    ("AGENCY\\%USERNAME%", "AGENCY\\somchai"),
    ("%address%", "somchai@agency.go.th"),  # placeholders are case-insensitive, as on Windows
])
def test_the_login_format(login, expected):
    made = provision(section(login=login), OsUser("Somchai"), allow_go_th)
    assert made.account.login == expected


@pytest.mark.parametrize(("source", "full_name", "name", "ask"), [
    ("os", "Somchai Jaidee", "Somchai Jaidee", False),
    ("os", "", "", True),  # no full name on the system: asked
    ("os", "Evil\r\nBcc: x@y.com", "Evil Bcc: x@y.com", False),  # no header injection
    ("local_part", "Somchai Jaidee", "somchai", False),
    ("ask", "Somchai Jaidee", "", True),
])
def test_the_display_name_source(source, full_name, name, ask):
    made = provision(section(display_name=source), OsUser("somchai", full_name), allow_go_th)
    assert made.account.display_name == name and made.ask_name is ask


def test_the_address_must_be_on_an_allowed_domain():
    with pytest.raises(ProvisioningFailed) as caught:
        provision(section(address="%USERNAME%@example.com"), OsUser("somchai"), allow_go_th)
    assert "somchai@example.com" in caught.value.user_text("en")


def test_ask_each_session_and_the_locked_signature():
    made = provision(
        section(password="session", signature=("{name}", "กองสารบรรณ", "{address}")),
        OsUser("somchai", "สมชาย ใจดี"), allow_go_th,
    )
    assert made.ask_each_session is True and made.account.ask_password_each_session is True
    assert made.signature == ("สมชาย ใจดี", "กองสารบรรณ", "somchai@agency.go.th")


def test_the_os_user_comes_from_the_system_not_the_environment(monkeypatch):
    monkeypatch.setenv("USER", "someone_else")
    monkeypatch.setenv("LOGNAME", "someone_else")
    monkeypatch.setenv("USERNAME", "someone_else")
    assert current_os_user().login != "someone_else"
    answers = {2: "AGENCY\\somchai", 3: "สมชาย ใจดี"}
    assert current_os_user(platform="win32", windows_name=answers.__getitem__) == OsUser(
        "AGENCY\\somchai", "สมชาย ใจดี")

    def broken(_format: int) -> str:
        raise OSError("no domain controller")

    assert current_os_user(platform="win32", windows_name=broken) == OsUser("", "")
    assert gecos_name("Somchai Jaidee,Room 5,02-123-4567") == "Somchai Jaidee"


# -- the keys, when the policy is read -------------------------------------------------------


def test_the_defaults_provision_nothing():
    assert problems(copy.deepcopy(DEFAULT_POLICY_DATA)) == []
    assert policy_from_dict({"schema_version": 1}).policy.provisioning.enabled is False


@pytest.mark.parametrize(("values", "key"), [
    ({"address": "a@b.com%"}, "provisioning.address"),  # a stray % (injection of a placeholder)
    ({"address": "%USER%@agency.go.th"}, "provisioning.address"),  # unknown placeholder
    ({"address": "%USERDOMAIN%@agency.go.th"}, "provisioning.address"),
    ({"address": "%USERNAME%@%USERDOMAIN%.go.th"}, "provisioning.address"),  # the domain is written out
    ({"address": "somchai"}, "provisioning.address"),
    ({"address": "somchai@@agency.go.th"}, "provisioning.address"),
    ({"address": ""}, "provisioning.address"),
    ({"address": 5}, "provisioning.address"),
    ({"login": "%USERNAME% x"}, "provisioning.login"),
    ({"login": "%PASSWORD%"}, "provisioning.login"),
    ({"login": ""}, "provisioning.login"),
    ({"imap_host": "imap agency"}, "provisioning.imap_host"),
    ({"imap_port": 0}, "provisioning.imap_port"),
    ({"smtp_security": "none"}, "provisioning.smtp_security"),
    ({"display_name": "gecos"}, "provisioning.display_name"),
    ({"signature": ["{name.__class__}"]}, "provisioning.signature"),  # no format-string tricks
    ({"signature": ["{0}"]}, "provisioning.signature"),
    ({"signature": ["line"] * 11}, "provisioning.signature"),
    ({"signature": "one line"}, "provisioning.signature"),
    ({"password": "file"}, "provisioning.password"),
], ids=repr)
def test_a_malformed_provisioning_value_is_refused(values, key):
    found = problems(with_provisioning(**values))
    assert found and all(p.startswith(key + ":") for p in found), found


def test_a_good_provisioning_section_is_accepted():
    data = with_provisioning(address="%UserName%@agency.go.th", login="AGENCY\\%USERNAME%",
                             signature=["{name}", "โทร. 02-123-4567", "{address}"], password="session",
                             **{k: "mail.go.th" for k in ("imap_host", "smtp_host")})
    data["accounts"]["allowed_domains"].append("agency.go.th")
    assert problems(data) == []


@pytest.mark.parametrize(("values", "key"), [
    ({"imap_host": "imap.gmail.com", "smtp_host": "mail.go.th"}, "provisioning.imap_host"),  # denied
    ({"imap_host": "mail.go.th", "smtp_host": "smtp.example.com"}, "provisioning.smtp_host"),  # not allowed
    ({"imap_host": "mail.go.th"}, "provisioning.smtp_host"),  # a server missing
    ({"address": "%USERNAME%@gmail.com", "imap_host": "mail.go.th", "smtp_host": "mail.go.th"},
     "provisioning.address"),  # a free-mail domain
    ({"address": "%USERNAME%@example.com", "imap_host": "mail.go.th", "smtp_host": "mail.go.th"},
     "provisioning.address"),  # not an allowed account domain
], ids=repr)
def test_provisioning_cannot_loosen_the_policy(values, key):
    data = {"schema_version": 1, "provisioning": {"address": "%USERNAME%@agency.go.th", **values}}
    policy = policy_from_dict(data)
    assert policy.error is not None
    assert key in [p.key for p in policy.problems]
    # Reported where the admin wrote it (a server left out: where the address was provisioned).
    assert {p.source for p in policy.problems if p.key == key} == {"inline"}


def test_the_registry_reads_the_provisioning_values():
    tree = {"provisioning": {
        "address": (registry.REG_SZ, "%USERNAME%@agency.go.th"),
        "imap_host": (registry.REG_SZ, "mail.go.th"),
        "smtp_host": (registry.REG_SZ, "mail.go.th"),
        "smtp_port": (registry.REG_DWORD, 587),
        "smtp_security": (registry.REG_SZ, "starttls"),
        "signature": (registry.REG_MULTI_SZ, ["{name}", "{address}", ""]),
        "password": (registry.REG_SZ, "session"),
    }}
    data, found, _ = registry.read_registry_policy(registry.InMemoryRegistry(tree))
    layer, layer_problems = schema.parse_layer(data, "registry", require_version=False)
    assert found == [] and layer_problems == []
    assert layer["provisioning.signature"] == ["{name}", "{address}"]
    assert layer["provisioning.smtp_port"] == 587 and layer["provisioning.password"] == "session"
    # An empty text box in the Group Policy editor means "not set".
    empty, _, _ = registry.read_registry_policy(registry.InMemoryRegistry(
        {"provisioning": {"address": (registry.REG_SZ, "")}}))
    assert empty["provisioning"]["address"] is None


def test_the_pattern_checks_are_the_ones_the_schema_uses():
    with pytest.raises(provisioning.PatternError):
        provisioning.check_address_pattern("%USERNAME%@agency.go.th%")
    assert provisioning.check_address_pattern(" %USERNAME%@agency.go.th ") == "%USERNAME%@agency.go.th"


def test_an_address_pattern_written_as_reg_expand_sz_fails_closed():
    # %USERNAME% is the user's environment, never expanded from the registry (winsec.py).
    tree = {"provisioning": {"address": (registry.REG_EXPAND_SZ, "%USERNAME%@agency.go.th")}}
    _, found, _ = registry.read_registry_policy(registry.InMemoryRegistry(tree))
    assert [p.key for p in found] == ["provisioning.address"]
