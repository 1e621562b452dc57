"""Attachment rules: blocked types, double extensions, bidi tricks, size."""

from __future__ import annotations

import pytest

from govmail_desktop.policy import attachments as a
from govmail_desktop.policy.sources import default_effective_policy, policy_from_dict


@pytest.fixture(scope="module")
def rules():
    return default_effective_policy().attachment_rules()


def codes(findings):
    return sorted(f.code for f in findings)


@pytest.mark.parametrize("name", ["report.pdf", "หนังสือราชการ.docx", "photo.JPG", "data.tar.gz", "notes",
                                  ".hidden", "budget.xlsx"])
def test_ordinary_files_pass(rules, name):
    assert rules.check_name(name) == []


@pytest.mark.parametrize(
    "name", ["setup.exe", "SETUP.EXE", "run.bat", "x.scr", "a.js", "b.vbs", "c.hta", "d.msi", "e.lnk",
             "f.ps1", "g.jar", "h.cpl", "macro.docm", "disk.iso", "trailing.exe.", "spaces.exe   ",
             "fullwidth．ｅｘｅ"],
)
def test_blocked_types(rules, name):
    assert codes(rules.check_name(name)) == [a.ATTACHMENT_BLOCKED_TYPE]
    assert rules.is_blocked_type(name)


@pytest.mark.parametrize("name", ["หนังสือ.pdf.exe", "invoice.PDF.scr", "report.pdf            .exe", "photo.jpg.js"])
def test_double_extensions(rules, name):
    findings = rules.check_name(name)
    assert codes(findings) == [a.ATTACHMENT_BLOCKED_TYPE, a.ATTACHMENT_DOUBLE_EXTENSION]
    assert all(f.level == a.BLOCK for f in findings)


def test_right_to_left_override(rules):
    name = "invoice\u202efdp.exe"  # displays as "invoiceexe.pdf"
    findings = rules.check_name(name)
    assert codes(findings) == [a.ATTACHMENT_BIDI, a.ATTACHMENT_BLOCKED_TYPE]
    text = findings[0].text("en")
    assert "<U+202E>" in text and ".exe" in text
    assert "\u202e" not in text


def test_bidi_is_flagged_even_for_harmless_types(rules):
    assert codes(rules.check_name("a\u2067b\u2069.pdf")) == [a.ATTACHMENT_BIDI]


def test_safe_display_name():
    assert a.safe_display_name("x\u202eabc") == "x<U+202E>abc"


def test_size_limit(rules):
    limit = 25 * 1024 * 1024
    assert rules.check_outgoing([("a.pdf", limit // 2), ("b.pdf", limit // 2)]) == []
    findings = rules.check_outgoing([("a.pdf", limit), ("b.pdf", 1)])
    assert codes(findings) == [a.ATTACHMENT_TOO_LARGE]
    assert "25" in findings[0].text("th")


def test_policy_controls_the_list_and_limit():
    rules = policy_from_dict(
        {"attachments": {"max_size_mb": 1, "blocked_extensions": ["PDF", ".zip"]}}
    ).attachment_rules()
    assert rules.is_blocked_type("a.pdf") and rules.is_blocked_type("a.ZIP")
    assert not rules.is_blocked_type("a.exe")
    assert codes(rules.check_total_size(2 * 1024 * 1024)) == [a.ATTACHMENT_TOO_LARGE]
