"""Recipient rules: internal, external, free mail, classified mail."""

from __future__ import annotations

import pytest

from govmail_desktop.core.compose import Secrecy
from govmail_desktop.policy import api
from govmail_desktop.policy import recipients as r
from govmail_desktop.policy.sources import default_effective_policy, policy_from_dict


def codes(findings):
    return [(f.address, f.level, f.code) for f in findings]


def rp(**rules):
    eff = policy_from_dict({"recipients": rules})
    assert eff.error is None, eff.error and eff.error.detail
    return eff.recipient_policy()


def test_internal_recipients_pass_by_default():
    policy = default_effective_policy().recipient_policy()
    assert policy.check(["a@agency.go.th", "Somchai <b@dwr.mail.go.th>", "saraban@ega.go.th"]) == []
    assert policy.is_internal("b@dwr.mail.go.th")
    assert not policy.is_internal("b@example.com")


def test_default_allows_external_but_warns_about_free_mail():
    policy = default_effective_policy().recipient_policy()
    findings = policy.check(["citizen@example.co.th", "someone@gmail.com", "x@gmx.de", "y@hotmail.co.th"])
    assert codes(findings) == [
        ("someone@gmail.com", r.WARN, r.RECIPIENT_FREE_MAIL),
        ("x@gmx.de", r.WARN, r.RECIPIENT_FREE_MAIL),
        ("y@hotmail.co.th", r.WARN, r.RECIPIENT_FREE_MAIL),
    ]
    assert not r.is_blocked(findings)
    assert "gmail.com" in findings[0].text("th")


def test_external_warn_and_block():
    assert codes(rp(external="warn").check(["a@example.com"])) == [("a@example.com", r.WARN, r.RECIPIENT_EXTERNAL)]
    findings = rp(external="block").check(["a@example.com", "b@agency.go.th"])
    assert codes(findings) == [("a@example.com", r.BLOCK, r.RECIPIENT_EXTERNAL)]
    assert r.is_blocked(findings)


def test_free_mail_never_looser_than_external():
    # external=block, free_mail=warn: a free-mail recipient is still external, so blocked.
    assert codes(rp(external="block", free_mail="warn").check(["a@gmail.com"])) == [
        ("a@gmail.com", r.BLOCK, r.RECIPIENT_FREE_MAIL)
    ]
    assert codes(rp(free_mail="block").check(["a@Gmail.COM"])) == [("a@gmail.com", r.BLOCK, r.RECIPIENT_FREE_MAIL)]


def test_free_mail_wins_over_a_careless_internal_domain():
    policy = rp(internal_domains=[".go.th", "gmail.com"])
    assert codes(policy.check(["a@gmail.com"])) == [("a@gmail.com", r.WARN, r.RECIPIENT_FREE_MAIL)]


@pytest.mark.parametrize("secrecy", ["ลับ", "ลับมาก", "ลับที่สุด", "confidential", "Secret", "top secret",
                                     Secrecy.TOP_SECRET])
def test_classified_mail_is_internal_only_by_default(secrecy):
    policy = default_effective_policy().recipient_policy()
    assert policy.check(["a@agency.go.th"], secrecy=secrecy) == []
    findings = policy.check(["a@agency.go.th", "b@example.com"], secrecy=secrecy)
    assert codes(findings) == [("b@example.com", r.BLOCK, r.RECIPIENT_CLASSIFIED_EXTERNAL)]


def test_classified_label_is_translated():
    findings = default_effective_policy().recipient_policy().check(["b@example.com"], secrecy="ลับมาก")
    assert "ลับมาก" in findings[0].text("th")
    assert "secret" in findings[0].text("en")


def test_classified_mail_blocked_entirely():
    policy = rp(classified="block")
    findings = policy.check(["a@agency.go.th"], secrecy="ลับ")
    assert codes(findings) == [("", r.BLOCK, r.CLASSIFIED_BLOCKED)]
    assert policy.check(["a@agency.go.th"], secrecy=None) == []
    assert policy.check(["a@agency.go.th"], secrecy="ปกติ") == []


def test_unknown_secrecy_is_an_error():
    with pytest.raises(ValueError):
        default_effective_policy().recipient_policy().check(["a@agency.go.th"], secrecy="hush")


@pytest.mark.parametrize("bad", ["a@go.th@evil.example", "no-at-sign", "a@", "a@xn--zz.com"])
def test_invalid_recipients_are_blocked(bad):
    findings = default_effective_policy().recipient_policy().check([bad])
    assert [f.code for f in findings] == [r.RECIPIENT_INVALID]
    assert findings[0].level == r.BLOCK


def test_look_alike_government_domain_is_external():
    policy = rp(external="warn")
    # Cyrillic "о" in "gо.th": not go.th
    assert codes(policy.check(["a@agency.gо.th"])) == [("a@agency.gо.th", r.WARN, r.RECIPIENT_EXTERNAL)]


def test_duplicates_reported_once():
    assert len(rp(external="warn").check(["a@example.com", "A@example.com", "Name <a@example.com>"])) == 1


def test_broken_policy_blocks_sending():
    eff = policy_from_dict({"recipients": {"external": "maybe"}})
    findings = eff.recipient_policy().check(["a@agency.go.th"])
    assert codes(findings) == [("", r.BLOCK, api.POLICY_INVALID)]
    assert "recipients.external" in findings[0].text("en")
