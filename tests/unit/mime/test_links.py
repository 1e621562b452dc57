"""Links in a message are judged before they are opened (mime.links.assess_link).

A table per kind of deceptive link: one that must trigger it and one that must not.
"""

from __future__ import annotations

import idna
import pytest

from govmail_desktop.mime.links import (
    KIND_ANCHOR,
    KIND_BARE_IP,
    KIND_INVALID,
    KIND_LOOKALIKE,
    KIND_MAILTO,
    KIND_OK,
    KIND_SCHEME,
    KIND_TEXT_OTHER_DOMAIN,
    KIND_USERINFO,
    LinkVerdict,
    assess_link,
    imitated_domain,
)
from govmail_desktop.policy.hosts import parse_pattern

INTERNAL = (parse_pattern("go.th"), parse_pattern(".go.th"))


def judge(href: str, text: str = "", known=INTERNAL) -> LinkVerdict:
    return assess_link(href, text, known)


# -- the visible text names one domain, the link leads to another ------------------------------

@pytest.mark.parametrize(
    ("href", "text"),
    [
        ("http://go-th.com/login", "mail.go.th"),
        ("https://evil.example/x", "https://mail.go.th/login"),
        ("https://evil.example/", "www.mail.go.th"),
        ("https://mail.go.th.evil.example/", "mail.go.th"),
        ("https://obec.go.th/", "www.moe.go.th"),  # another agency under the same suffix
        ("https://evil.example/", "saraban@moe.go.th"),  # text shows an address, link is a site
        ("https://evil.example/", "เข้าสู่ระบบที่ https://mail.go.th/login ได้เลย"),
        ("https://evil.example/", "(mail.go.th)."),
        ("https://evil.example/", "mail.go.th ดูได้ที่ example.com"),  # one of two names is unrelated
        ("https://10.0.0.1/", "192.168.1.1"),
        ("https://evil.example/", "HTTPS://MAIL.GO.TH"),
    ],
)
def test_text_naming_another_domain_triggers(href, text):
    verdict = judge(href, text)
    assert verdict.kind == KIND_TEXT_OTHER_DOMAIN
    assert verdict.risky
    assert verdict.text_domain  # the domain the text shows is named in the warning
    assert verdict.text_domain in verdict.reason.text("en")


@pytest.mark.parametrize(
    ("href", "text"),
    [
        ("https://mail.go.th/x", "www.mail.go.th"),
        ("https://login.mail.go.th/x", "mail.go.th"),
        ("https://mail.go.th/", "https://mail.go.th/login?next=evil.example"),  # a query is no host
        ("https://mail.go.th/", "อ่านหนังสือเวียน"),  # no domain named at all
        ("https://mail.go.th/", "คลิกที่นี่"),
        ("https://example.com/file.pdf", "file.pdf"),  # a file name is not a domain
        ("https://example.com/r", "report.docx"),
        ("https://" + idna.encode("ไทย.go.th").decode() + "/", "ไทย.go.th"),  # the same IDN host, two forms
        ("https://mail.go.th/", "MAIL.GO.TH."),
        ("https://mail.go.th/", ""),
    ],
)
def test_text_naming_the_same_domain_does_not_trigger(href, text):
    verdict = judge(href, text)
    assert verdict.kind == KIND_OK, verdict
    assert not verdict.risky


# -- bare IP addresses in every spelling a browser accepts ---------------------------------------

@pytest.mark.parametrize(
    ("href", "ip"),
    [
        ("http://192.168.1.1/login", "192.168.1.1"),
        ("http://3232235777/", "192.168.1.1"),  # one decimal number
        ("http://0xC0A80101/", "192.168.1.1"),  # one hex number
        ("http://0300.0250.01.01/", "192.168.1.1"),  # octal parts
        ("http://0xc0.0xa8.1.1/", "192.168.1.1"),
        ("http://192.168.257/", "192.168.1.1"),  # three parts: the last fills two bytes
        ("http://127.1/", "127.0.0.1"),
        ("https://[::1]:8443/x", "::1"),
        ("https://[2001:db8::1]/", "2001:db8::1"),
        ("http://%31%39%32.168.1.1/", "192.168.1.1"),  # percent-escaped host
        ("http://192.168.1.1./", "192.168.1.1"),  # trailing dot
    ],
)
def test_bare_ip_triggers(href, ip):
    verdict = judge(href, "")
    assert verdict.kind == KIND_BARE_IP
    assert ip in verdict.destination
    assert ip in verdict.reason.text("en")


@pytest.mark.parametrize("href", ["https://mail.go.th/", "http://1password.com/", "https://192.example/",
                                  "https://a1.b2.example/"])
def test_a_name_with_digits_is_no_ip(href):
    assert judge(href).kind == KIND_OK


def test_an_ip_the_browser_would_refuse_is_invalid():
    assert judge("http://256.256.256.256/").kind == KIND_INVALID
    assert judge("http://1.2.3.4.5/").kind == KIND_INVALID


# -- look-alike domains -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("href", "imitated"),
    [
        ("https://mail.g\u043e.th/login", "go.th"),  # Cyrillic о
        ("https://mail.xn--g-1tb.th/login", "go.th"),  # the same in punycode
        ("https://mail.g\u03bf.th/", "go.th"),  # Greek omicron
        ("https://\u0440aypal.com/", "paypal.com"),  # Cyrillic р
        ("https://paypa1.com/", "paypal.com"),  # a digit for a letter
        ("https://go-th.com/", "go.th"),
        ("https://gov-th.com/", "go.th"),
        ("https://mail-go.th.example/", "go.th"),
        ("https://mail.go.th.example/", "go.th"),
        ("https://g0.th/", "go.th"),
        ("https://mail.agency.ex\u0430mple/", "agency.example"),  # the policy's own internal domain
    ],
)
def test_lookalike_of_a_known_domain_triggers(href, imitated):
    known = (*INTERNAL, parse_pattern(".agency.example"))
    verdict = judge(href, "", known)
    assert verdict.kind == KIND_LOOKALIKE
    assert verdict.imitates == imitated
    assert imitated in verdict.reason.text("en")
    # The real (punycode) host is what the user is shown, never the look-alike letters.
    assert verdict.destination.isascii()


@pytest.mark.parametrize(
    "href",
    [
        "https://mail.go.th/",
        "https://www.moe.go.th/",
        "https://\u0e44\u0e17\u0e22.go.th/",  # a genuine Thai name
        "https://\u0e2a\u0e33\u0e19\u0e31\u0e01\u0e07\u0e32\u0e19.example/",
        "https://google.com.au/",  # a real country site of a well-known name
        "https://ergo.thing.example/",  # "go.th" inside words is no imitation
        "https://goth.example/",
        "https://paypal.com/",
        "https://münchen.example/",  # a genuine Latin IDN
    ],
)
def test_genuine_domains_are_not_lookalikes(href):
    assert judge(href).kind == KIND_OK


def test_mixed_script_host_is_a_lookalike_even_of_no_known_domain():
    verdict = judge("https://b\u0430nk-login.example/")  # Cyrillic а among Latin letters
    assert verdict.kind == KIND_LOOKALIKE
    assert verdict.imitates == ""
    assert "xn--" in verdict.destination


def test_imitated_domain_takes_plain_strings_too():
    assert imitated_domain("mail-go.th.example", ["go.th"]) == "go.th"
    assert imitated_domain("mail.go.th", ["go.th"]) is None


# -- schemes other than http(s) ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("href", "scheme", "openable"),
    [
        ("file:///C:/Windows/System32/calc.exe", "file", True),
        ("smb://10.0.0.5/share/doc.docx", "smb", True),
        ("\\\\10.0.0.5\\share", "file", True),  # a UNC path opens a network share
        ("ms-word:ofe|u|https://evil.example/doc.docx", "ms-word", True),
        ("ms-msdt:/id PCWDiagnostic", "ms-msdt", False),  # "Follina": runs code, never opened
        ("ftp://files.example/a.zip", "ftp", True),
        ("javascript:alert(1)", "javascript", False),
        (" JaVa\tScRiPt:alert(1)", "javascript", False),  # blanks and tabs are dropped, as browsers do
        ("data:text/html;base64,PHNjcmlwdD4=", "data", False),
        ("vbscript:msgbox", "vbscript", False),
    ],
)
def test_other_schemes_ask_first(href, scheme, openable):
    verdict = judge(href, "mail.go.th")
    assert verdict.kind == KIND_SCHEME
    assert verdict.scheme == scheme
    assert verdict.risky
    assert verdict.openable is openable
    assert verdict.destination


@pytest.mark.parametrize("href", ["http://mail.go.th/", "https://mail.go.th/", "HTTPS://mail.go.th/"])
def test_web_links_are_not_scheme_warnings(href):
    assert judge(href).kind == KIND_OK


# -- mailto, anchors, broken links, user names before the host -----------------------------------

def test_mailto_goes_to_the_composer():
    verdict = judge("mailto:saraban@moe.go.th?subject=x", "ติดต่อ")
    assert verdict.kind == KIND_MAILTO
    assert not verdict.risky
    assert verdict.destination == "saraban@moe.go.th"


def test_http_link_is_not_mailto():
    assert judge("https://mail.go.th/mailto:x").kind == KIND_OK


@pytest.mark.parametrize(("href", "kind"), [("#top", KIND_ANCHOR), ("", KIND_INVALID), ("page.html", KIND_INVALID),
                                            ("https://", KIND_INVALID), ("https://exa mple.com/", KIND_INVALID)])
def test_anchors_and_broken_links(href, kind):
    assert judge(href).kind == kind


@pytest.mark.parametrize(
    ("href", "host"),
    [
        ("https://mail.go.th@evil.example/login", "evil.example"),
        ("https://mail.go.th:pw@evil.example/", "evil.example"),
        ("https://evil.example\\@mail.go.th/", "evil.example"),  # a backslash ends the host, as in browsers
    ],
)
def test_the_real_host_is_found_behind_user_names_and_backslashes(href, host):
    verdict = judge(href, "")
    assert verdict.host == host
    assert verdict.risky
    assert host in verdict.destination
    assert verdict.open_url.startswith(f"https://{host}")


def test_a_user_name_in_a_link_triggers_and_a_plain_link_does_not():
    assert judge("https://user@mail.go.th/").kind == KIND_USERINFO
    assert judge("https://mail.go.th/user@x").kind == KIND_OK  # an @ in the path is no user name


def test_the_destination_shows_hidden_characters_escaped():
    verdict = judge("https://mail.go.th/\u202eexe.pdf", "")
    assert "\u202e" not in verdict.destination
    assert "%E2%80%AE" in verdict.destination


def test_a_long_destination_is_cut_for_showing_but_opened_whole():
    href = "https://mail.go.th/" + "a" * 5000
    verdict = judge(href)
    assert len(verdict.destination) < 600
    assert verdict.open_url == href


def test_the_reason_is_in_thai_too():
    verdict = judge("http://go-th.com/login", "mail.go.th")
    assert verdict.reason.text("th") != verdict.reason.text("en")
