"""Host normalisation and allow/deny matching: look-alikes must never match mail.go.th."""

from __future__ import annotations

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy import api
from govmail_desktop.policy.hosts import InvalidHost, normalize_host, parse_pattern, split_address
from govmail_desktop.policy.sources import default_effective_policy, policy_from_dict


@pytest.fixture(scope="module")
def default_server_policy():
    return default_effective_policy().server_policy()


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("mail.go.th", "mail.go.th"),
        ("MAIL.GO.TH", "mail.go.th"),
        ("mail.go.th.", "mail.go.th"),
        ("ｍａｉｌ．ｇｏ．ｔｈ", "mail.go.th"),  # full-width forms map to ASCII (UTS 46)
        ("mail。go.th", "mail.go.th"),  # ideographic full stop is a dot
        ("mail.gо.th", "mail.xn--g-1tb.th"),  # Cyrillic о
        ("อีเมล.ไทย", "xn--y3ciw6a5c.xn--o3cw4h"),
        ("[::1]", "::1"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("127.0.0.1", "127.0.0.1"),
    ],
)
def test_normalize_host(host, expected):
    assert normalize_host(host) == expected


@pytest.mark.parametrize(
    "host",
    ["", " mail.go.th", "mail.go.th@evil", "mail.go.th/x", "a..b", "a_b.go.th", "xn--zz.com",
     "xn--mail-abc.go.th", "-a.go.th", "a" * 64 + ".th", "2130706433", "127.1", "mail.go.th:993",
     "fe80::1%eth0", "mail go.th", "mail.go.th\x00.evil.example"],
)
def test_invalid_hosts_are_refused(host):
    with pytest.raises(InvalidHost):
        normalize_host(host)


@pytest.mark.parametrize(
    "host",
    ["mail.go.th", "imap.mail.go.th", "smtp.mail.go.th", "a.b.mail.go.th", "IMAP.Mail.Go.Th",
     "imap.mail.go.th."],
)
def test_default_allows_mail_go_th_and_subdomains(default_server_policy, host):
    assert default_server_policy.check_host(host) == host.lower().rstrip(".")


@pytest.mark.parametrize(
    ("host", "code"),
    [
        ("mail.go.th.evil.example", api.HOST_NOT_ALLOWED),
        ("evilmail.go.th", api.HOST_NOT_ALLOWED),
        ("go.th", api.HOST_NOT_ALLOWED),
        ("agency.go.th", api.HOST_NOT_ALLOWED),  # not in the default allowlist
        ("mail.gо.th", api.HOST_NOT_ALLOWED),  # Cyrillic о
        ("xn--mail-go-th.example", api.HOST_INVALID),
        ("imap.mail.xn--g-1tb.th", api.HOST_NOT_ALLOWED),
        ("mail.go.th@evil.example", api.HOST_INVALID),
        ("outlook.co.th", api.HOST_DENIED),
        ("imap.gmail.com", api.HOST_DENIED),
        ("smtp.office365.com", api.HOST_DENIED),
        ("imap.gmx.net", api.HOST_DENIED),
        ("mail.yandex.com.tr", api.HOST_DENIED),
        ("hotmail.co.th", api.HOST_DENIED),
        ("example.com", api.HOST_NOT_ALLOWED),
        ("203.150.62.10", api.HOST_NOT_ALLOWED),  # IP literals only when listed exactly
        ("localhost", api.HOST_NOT_ALLOWED),
        ("", api.HOST_INVALID),
    ],
)
def test_default_refuses(default_server_policy, host, code):
    with pytest.raises(PolicyRefused) as info:
        default_server_policy.check_host(host)
    assert info.value.code == code


def test_deny_wins_over_allow():
    sp = policy_from_dict({"servers": {"allow": ["imap.gmail.com", ".go.th"], "deny": [".gmail.com"]}}).server_policy()
    with pytest.raises(PolicyRefused) as info:
        sp.check_host("imap.gmail.com")
    assert info.value.code == api.HOST_DENIED
    assert "gmail.com" in info.value.user_text("en")
    assert sp.check_host("agency.go.th") == "agency.go.th"


def test_ip_literal_allowed_only_when_listed_exactly():
    sp = policy_from_dict({"servers": {"allow": ["127.0.0.1", "::1"]}}).server_policy()
    assert sp.check_host("127.0.0.1") == "127.0.0.1"
    assert sp.check_host("[0::1]") == "::1"
    with pytest.raises(PolicyRefused) as info:
        sp.check_host("127.0.0.2")
    assert info.value.code == api.HOST_NOT_ALLOWED


def test_idn_rule_matches_its_unicode_and_ascii_forms():
    sp = policy_from_dict({"servers": {"allow": ["อีเมล.ไทย"]}}).server_policy()
    assert sp.check_host("อีเมล.ไทย") == "xn--y3ciw6a5c.xn--o3cw4h"
    assert sp.check_host("XN--Y3CIW6A5C.xn--o3cw4h") == "xn--y3ciw6a5c.xn--o3cw4h"


@pytest.mark.parametrize(
    ("pattern", "host", "matches"),
    [
        ("mail.go.th", "mail.go.th", True),
        ("mail.go.th", "imap.mail.go.th", False),
        (".mail.go.th", "mail.go.th", False),
        (".mail.go.th", "imap.mail.go.th", True),
        ("*.mail.go.th", "a.b.mail.go.th", True),
        (".mail.go.th", "evilmail.go.th", False),
        ("gmx.*", "gmx.de", True),
        ("gmx.*", "imap.gmx.co.uk", True),
        ("gmx.*", "gmx.mail.agency.go.th", False),
        ("gmx.*", "notgmx.de", False),
    ],
)
def test_pattern_matching(pattern, host, matches):
    assert parse_pattern(pattern, allow_any_tld=True).matches(normalize_host(host)) is matches


@pytest.mark.parametrize("pattern", [".th", "*.th", "*", "mail.*.th", "*.127.0.0.1"])
def test_too_broad_or_malformed_patterns_are_rejected(pattern):
    with pytest.raises(InvalidHost):
        parse_pattern(pattern)


def test_any_tld_pattern_is_rejected_in_allow_lists():
    with pytest.raises(InvalidHost):
        parse_pattern("mail.*")


@pytest.mark.parametrize(
    "address", ["a@go.th@evil.example", '"a@go.th"@evil.example', "a", "a@", "@go.th", "a b@go.th",
                "a@[127.0.0.1]", "a..b@go.th",
                # international local parts: no spaces, controls, zero-width or direction marks
                "สม ชาย@go.th", "สม\u200bชาย@go.th", "\u202eสมชาย@go.th", "สมชาย\u0000@go.th", ".สมชาย@go.th",
                "ส" * 22 + "@go.th"],  # 66 octets in UTF-8: over the 64 a local part may have
)
def test_split_address_refuses_ambiguous_addresses(address):
    with pytest.raises(InvalidHost):
        split_address(address)


def test_split_address_takes_a_thai_local_part_as_rfc_6531_allows():
    assert split_address("สมชาย.ใจดี@กระทรวง.ไทย") == ("สมชาย.ใจดี", "xn--12cm1c6bby4d.xn--o3cw4h")


def test_split_address_normalises_the_domain():
    assert split_address("Somchai@Agency.MAIL.go.th.") == ("Somchai", "agency.mail.go.th")


def test_plain_ascii_names_take_the_short_way_with_the_same_result(monkeypatch):
    """normalize_host skips IDNA for names already in normal form: same answer, or same refusal."""
    import random

    from govmail_desktop.policy import hosts

    rng = random.Random(8)
    names = ["mail.go.th", "a", "a.b", "a-b.c-d", "ab--cd.go.th", "xn--g-1tb.th", "-a.go.th", "a-.go.th",
             "a..go.th", ".a.go.th", "a.go.th.", "1.go.th", "go.123", "a" * 63 + ".th", "a" * 64 + ".th",
             ".".join(["a" * 63] * 4), ".".join(["a" * 49] * 5) + ".th", "Mail.go.th", "mail.go.th\n"]
    names += ["".join(rng.choice("ab09-.") for _ in range(rng.randint(1, 12))) for _ in range(3000)]

    def outcome(name: str) -> str:
        try:
            return "=" + hosts.normalize_host(name)
        except InvalidHost as exc:
            return "!" + str(exc)

    with monkeypatch.context() as m:  # the short way is taken: IDNA is not even asked
        m.setattr(hosts.idna, "encode", lambda *a, **kw: pytest.fail("IDNA asked for a plain name"))
        assert hosts.normalize_host("m1.agency.go.th") == "m1.agency.go.th"
    short = [outcome(n) for n in names]
    monkeypatch.setattr(hosts, "_PLAIN_NAME", hosts.re.compile(r"(?!)"))  # never the short way
    assert [outcome(n) for n in names] == short


def test_first_match_gives_the_first_pattern_that_matches_for_names_and_ip_literals():
    """first_match looks at the host once for being an IP literal: the same answer as asking
    each pattern in turn (IP rules only for IP literals, name rules never for them)."""
    from govmail_desktop.policy.hosts import first_match

    patterns = tuple(
        parse_pattern(text, allow_ip=True, allow_any_tld=True)
        for text in ("10.0.0.1", "::1", "mail.go.th", ".go.th", "gmail.*", "*.example.com", "127.0.0.1")
    )
    hosts = ["10.0.0.1", "::1", "127.0.0.1", "192.0.2.7", "mail.go.th", "saraban.moe.go.th", "gmail.com",
             "gmail.co.th", "a.example.com", "example.com", "go.th", "localhost"]
    for host in hosts:
        expected = next((p for p in patterns if p.matches(host)), None)
        assert first_match(patterns, host) == expected, host
    assert first_match(patterns, "127.0.0.1") == patterns[-1]
    assert first_match(patterns, "saraban.moe.go.th") == patterns[3]
    assert first_match(patterns, "192.0.2.7") is None
