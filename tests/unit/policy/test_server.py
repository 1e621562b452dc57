"""Address checks (registration country, private ranges, admin ranges) and TLS rules."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy import api
from govmail_desktop.policy.sources import default_effective_policy, load_policy_file, policy_from_dict
from tests.servers.fake_net import ABROAD_IP, THAI_IP, PlannedRegistry, abroad_policy, loopback_policy

TEST_LOOPBACK = Path(__file__).resolve().parents[2] / "data" / "policy" / "test-loopback.json"


@pytest.fixture(scope="module")
def sp():
    return default_effective_policy().server_policy()


@pytest.mark.parametrize(
    "ip", ["203.150.62.10", "::ffff:203.150.62.10", "2001:c38::1", "64:ff9b::cb96:3e0a", "[2405:9800::1]"]
)
def test_thai_addresses_are_allowed(sp, ip):
    assert sp.check_address("imap.mail.go.th", ip) == "TH"


@pytest.mark.parametrize(
    ("ip", "country"),
    [("8.8.8.8", "US"), ("::ffff:8.8.8.8", "US"), ("1.0.0.1", "AU"), ("2404:6800::1", "AU"),
     ("64:ff9b::808:808", "US")],
)
def test_foreign_addresses_are_refused_with_the_country(sp, ip, country):
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("imap.mail.go.th", ip)
    assert info.value.code == api.ADDRESS_NOT_THAILAND
    assert country in info.value.user_text("en")
    assert country in info.value.user_text("th")


@pytest.mark.parametrize(
    "ip", ["127.0.0.1", "::1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "169.254.1.1", "fe80::1",
           "fe80::1%eth0", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "100.64.0.1", "::ffff:127.0.0.1",
           "fc00::1", "240.0.0.1"],
)
def test_private_and_special_addresses_are_refused_unless_listed(sp, ip):
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("imap.mail.go.th", ip)
    assert info.value.code == api.ADDRESS_PRIVATE


def test_unregistered_public_address_is_unknown():
    # An address the RIR data does not cover.
    sp = policy_from_dict({}).server_policy(PlannedRegistry({"203.150.62.10": None}))
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("imap.mail.go.th", "203.150.62.10")
    assert info.value.code == api.ADDRESS_UNKNOWN


# -- loopback addresses given a country: how tests of "an address abroad" stay on this machine

def test_a_loopback_address_planted_abroad_is_refused_with_its_country():
    sp = abroad_policy()
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("mail.go.th", ABROAD_IP)
    assert info.value.code == api.ADDRESS_NOT_THAILAND
    assert "US" in info.value.user_text("en") and ABROAD_IP in info.value.user_text("th")
    assert sp.check_address("mail.go.th", THAI_IP) == "TH"
    assert sp.check_address("localhost", "127.0.0.1") == "127.0.0.1/32"  # the admin's range
    with pytest.raises(PolicyRefused) as other:
        sp.check_address("localhost", "127.0.0.4")  # not planted: loopback is never public
    assert other.value.code == api.ADDRESS_PRIVATE


def test_the_admin_range_wins_over_a_planted_country():
    sp = loopback_policy(registry=PlannedRegistry())  # lists 127.0.0.0/8
    assert sp.check_address("mail.go.th", ABROAD_IP) == "127.0.0.0/8"


def test_without_a_planted_world_loopback_is_never_a_country():
    sp = policy_from_dict({}).server_policy()
    for ip in (ABROAD_IP, THAI_IP):
        with pytest.raises(PolicyRefused) as info:
            sp.check_address("mail.go.th", ip)
        assert info.value.code == api.ADDRESS_PRIVATE


def test_planted_countries_reach_policies_built_inside_the_code_under_test(planted_countries):
    sp = load_policy_file(TEST_LOOPBACK, overrides={"addresses": {"allow_cidrs": ["127.0.0.1/32"]}}).server_policy()
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("mail.go.th", ABROAD_IP)
    assert info.value.code == api.ADDRESS_NOT_THAILAND
    assert sp.check_address("mail.go.th", THAI_IP) == "TH"


def test_garbage_address_is_refused(sp):
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("imap.mail.go.th", "not-an-ip")
    assert info.value.code == api.ADDRESS_UNKNOWN


def test_listed_ranges_are_allowed_and_named():
    sp = policy_from_dict(
        {"addresses": {"allow_cidrs": ["10.20.0.0/16", "8.8.8.0/24", "2001:db8::/32", "127.0.0.1"]}}
    ).server_policy()
    assert sp.check_address("mail.agency.go.th", "10.20.3.4") == "10.20.0.0/16"
    assert sp.check_address("mail.agency.go.th", "8.8.8.8") == "8.8.8.0/24"  # admin's decision
    assert sp.check_address("mail.agency.go.th", "2001:db8::5") == "2001:db8::/32"
    assert sp.check_address("localhost", "127.0.0.1") == "127.0.0.1/32"
    assert sp.check_address("localhost", "::ffff:127.0.0.1") == "127.0.0.1/32"
    for host, ip in (("mail.agency.go.th", "10.21.0.1"), ("localhost", "127.0.0.2")):
        with pytest.raises(PolicyRefused) as info:
            sp.check_address(host, ip)
        assert info.value.code == api.ADDRESS_PRIVATE


def test_loopback_test_policy_allows_local_servers_only():
    eff = load_policy_file(TEST_LOOPBACK)
    assert eff.error is None
    sp = eff.server_policy()
    for host in ("localhost", "127.0.0.1", "::1", "imap.mail.go.th"):
        sp.check_host(host)
    assert sp.check_address("localhost", "127.0.0.1") == "127.0.0.0/8"
    assert sp.check_address("localhost", "::1") == "::1/128"
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("localhost", "8.8.8.8")
    assert info.value.code == api.ADDRESS_NOT_THAILAND
    with pytest.raises(PolicyRefused) as info:
        sp.check_host("imap.gmail.com")
    assert info.value.code == api.HOST_DENIED


def test_tls_rules_default_and_configured(tmp_path):
    assert default_effective_policy().server_policy().tls_rules() == api.TlsRules(
        min_version=ssl.TLSVersion.TLSv1_2, ca_file=None, spki_pins=()
    )
    ca = tmp_path / "agency-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    pin = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    eff = load_policy_file(
        TEST_LOOPBACK, overrides={"tls": {"min_version": "1.3", "ca_file": str(ca), "spki_pins": ["sha256/" + pin]}}
    )
    assert eff.error is None
    rules = eff.server_policy().tls_rules()
    assert rules == api.TlsRules(min_version=ssl.TLSVersion.TLSv1_3, ca_file=ca, spki_pins=(pin,))


def test_refusal_messages_name_the_host_in_thai_and_english(sp):
    with pytest.raises(PolicyRefused) as info:
        sp.check_host("mail.example.com")
    assert info.value.code == api.HOST_NOT_ALLOWED
    assert "mail.example.com" in info.value.user_text("en")
    assert "mail.example.com" in info.value.user_text("th")
    assert info.value.hint is not None
