"""mime.addresses.parse_addresses: the one address-list parser (preview, message list, sync).

A folded quoted name could hide the real address (a spoofed sender);
``email.utils.getaddresses`` answered hostile headers differently on Python
3.11.2 (Debian 12) and 3.11.7, so the spoof warnings depended on the
interpreter's patch release. The answers below are fixed
expectations — the same on every interpreter — not "whatever the stdlib says".
"""

from __future__ import annotations

import email.utils
import json
from pathlib import Path

import pytest

from govmail_desktop.mime import addresses as A
from govmail_desktop.mime import parse as P
from govmail_desktop.mime import parse_message
from govmail_desktop.mime import preview_warnings as W
from govmail_desktop.sync import convert
from tests.corpora import CORPORA, corpus_params, require_corpora

STALWART = CORPORA / "stalwartlabs-mail-parser" / "resources" / "eml"

MALFORMED = W.W_FROM_MALFORMED
NAME_OTHER = W.W_FROM_NAME_IS_OTHER_ADDRESS
HIDDEN = W.W_HIDDEN_CHARACTERS


def parsed(value: str) -> tuple[list[tuple[str, str]], set[str]]:
    result = A.parse_addresses([value])
    return [(a.name, a.email) for a in result.addresses], set(result.suspicious)


def spoof(from_lines: str) -> P.ParsedMessage:
    return parse_message(f"{from_lines}\nSubject: x\n\nbody\n".encode("utf-8", "surrogateescape"))


# Hostile and odd address lists with the one answer every interpreter must give.
HOSTILE = [
    # A quoted name folded over lines: the real address must come out, with the warning.
    ('"admin@agency.go.th\r\n  " <x@evil.example>', [("admin@agency.go.th", "x@evil.example")], {NAME_OTHER}),
    ('"admin@agency.go.th\n\t" <x@evil.example>', [("admin@agency.go.th", "x@evil.example")], {NAME_OTHER}),
    ('"admin@agency.go.th" <x@evil.example>', [("admin@agency.go.th", "x@evil.example")], {NAME_OTHER}),
    ("admin@agency.go.th <x@evil.example>", [("admin@agency.go.th", "x@evil.example")], {NAME_OTHER}),
    ("x@evil.example (admin@agency.go.th)", [("admin@agency.go.th", "x@evil.example")], {NAME_OTHER}),
    # espoofer's case: an angle address with an address glued behind it.
    ("<any@attack.example>admin@legit.go.th", [("", "any@attack.example"), ("", "admin@legit.go.th")], {MALFORMED}),
    ("a@b.example, <c@d.example>junk", [("", "a@b.example"), ("", "c@d.example"), ("", "junk")], {MALFORMED}),
    ("Bank <a@b.example> <evil@x.example>", [("Bank", "a@b.example"), ("", "evil@x.example")], {MALFORMED}),
    # Mailsploit: encoded words decode only in the name, never in the address.
    (
        "=?utf-8?b?YWRtaW5AbGVnaXQuZ28udGg+AA==?= <attacker@evil.example>",
        [("admin@legit.go.th>", "attacker@evil.example")],
        {NAME_OTHER, HIDDEN},
    ),
    (
        "abc <=?utf-8?q?admin=40legit=2ego=2eth=3e?=@evil.example>",
        [("abc", "=?utf-8?q?admin=40legit=2ego=2eth=3e?=@evil.example")],
        {MALFORMED},
    ),
    # An unterminated quote must not swallow the address into the name.
    ('"admin@agency.go.th <x@evil.example>', [('"admin@agency.go.th', "x@evil.example")], {NAME_OTHER, MALFORMED}),
    ("Admin <x@evil.example", [("Admin", "x@evil.example")], {MALFORMED}),
    # NUL and control characters in the address: removed from what is shown, flagged.
    ("Admin <x\x00@evil.example>", [("Admin", "x@evil.example")], {MALFORMED}),
    ("Admin <ad\x1bmin@agency.go.th>", [("Admin", "admin@agency.go.th")], {MALFORMED}),
    ("ad\x7fmin@agency.go.th", [("", "admin@agency.go.th")], {MALFORMED}),
    ("Admin <admin@agency.go.th\u202e>", [("Admin", "admin@agency.go.th")], {MALFORMED}),
    ("Admin <>", [("Admin", "")], {MALFORMED}),
    ("Whomever", [("", "Whomever")], {MALFORMED}),
    # Fullwidth and small commercial at inside a name are addresses too.
    ('"admin\uff20agency.go.th" <x@evil.example>', [("admin\uff20agency.go.th", "x@evil.example")], {NAME_OTHER}),
    ('"admin\ufe6bagency.go.th" <x@evil.example>', [("admin\ufe6bagency.go.th", "x@evil.example")], {NAME_OTHER}),
    # Whitespace cannot push the address out of sight.
    ('"Somchai' + " " * 300 + '" <s@agency.go.th>', [("Somchai", "s@agency.go.th")], set()),
    # RFC 5322 appendix A examples (comments, groups, obsolete forms): well-formed, no warning.
    ("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", [("Pete", "pete@silly.test")], set()),
    (
        (
            "A Group(Some people):Chris Jones <c@(Chris's host.)public.example>, joe@example.org,"
            " John <jdoe@one.test> (my dear friend); (the end of the group)"
        ),
        [("Chris Jones", "c@public.example"), ("", "joe@example.org"), ("John", "jdoe@one.test")],
        set(),
    ),
    ("Undisclosed recipients:;", [], set()),
    ("John Doe <jdoe@machine(comment).  example>", [("John Doe", "jdoe@machine.example")], set()),
    ("Joe Q. Public <john.q.public@example.com>", [("Joe Q. Public", "john.q.public@example.com")], set()),
    ('"Joe Q. Public" <john.q.public@example.com>', [("Joe Q. Public", "john.q.public@example.com")], set()),
    ("<@route.example,@other.example:x@evil.example>", [("", "x@evil.example")], set()),
    ('"Somchai, IT" <s@x.go.th>, , c@d.example,', [("Somchai, IT", "s@x.go.th"), ("", "c@d.example")], set()),
    ('"a\\"b" <a@b.example>', [('a"b', "a@b.example")], set()),
    ("user@[192.0.2.1]", [("", "user@[192.0.2.1]")], set()),
    ("<>", [], set()),
    ("=?utf-8?b?4Liq4Lih4LiK4Liy4Lii?= <somchai@agency.go.th>", [("สมชาย", "somchai@agency.go.th")], set()),
    ('"=?utf-8?b?4Liq4Lih4LiK4Liy4Lii?=" <somchai@agency.go.th>', [("สมชาย", "somchai@agency.go.th")], set()),
]


@pytest.mark.parametrize(("value", "addresses", "warnings"), HOSTILE, ids=[repr(h[0])[:60] for h in HOSTILE])
def test_hostile_address_lists_give_one_fixed_answer(value, addresses, warnings):
    assert parsed(value) == (addresses, warnings)


def test_a_folded_quoted_name_cannot_hide_the_real_address():
    message = spoof('From: "admin@agency.go.th\r\n  " <x@evil.example>')
    assert [(a.name, a.email) for a in message.from_] == [("admin@agency.go.th", "x@evil.example")]
    assert NAME_OTHER in message.sender_warnings


def test_an_address_glued_behind_an_angle_address_is_shown_and_flagged():
    message = spoof("From: <any@attack.example>admin@legit.go.th")
    assert [a.email for a in message.from_] == ["any@attack.example", "admin@legit.go.th"]
    assert set(message.sender_warnings) == {W.W_FROM_SEVERAL_ADDRESSES, MALFORMED}


def test_address_parsing_does_not_depend_on_the_stdlib_parser(monkeypatch):
    """The answers above come from our parser, whatever email.utils does on this interpreter."""
    expected = [parsed(value) for value, _, _ in HOSTILE]

    def broken(*args, **kwargs):
        raise AssertionError("email.utils address parsing must not be used")

    monkeypatch.setattr(email.utils, "getaddresses", broken)
    monkeypatch.setattr(email.utils, "parseaddr", broken)
    assert [parsed(value) for value, _, _ in HOSTILE] == expected


@pytest.mark.parametrize(
    "mark",
    [chr(c) for c in [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]],
    ids=lambda ch: f"U+{ord(ch):04X}",
)
def test_invisible_and_bidi_characters_are_stripped_from_names_and_flagged(mark):
    message = spoof(f'From: "ผู้ดูแล{mark}ระบบ {mark}admin" <x@evil.example>')
    assert message.from_[0].name == "ผู้ดูแลระบบ admin"
    assert message.from_[0].email == "x@evil.example"
    assert HIDDEN in message.sender_warnings


def test_an_rfc2047_encoded_right_to_left_override_is_stripped_too():
    # "Admin" + U+202E + "moc.elgoog" would read "Admin google.com" backwards.
    message = spoof("From: =?utf-8?q?Admin_=E2=80=AEmoc=2Eelgoog?= <x@evil.example>")
    assert message.from_[0].name == "Admin moc.elgoog"
    assert HIDDEN in message.sender_warnings


# ---------------------------------------------------------------- look-alike domains

CYRILLIC_O = "\u043e"


@pytest.mark.parametrize(
    ("address", "shown", "warning"),
    [
        # Cyrillic о in an internal (government) domain: punycode beside the name, the strong warning.
        (f"admin@mail.g{CYRILLIC_O}.th", "admin@mail.xn--g-1tb.th", W.W_FROM_LOOKALIKE_INTERNAL),
        (f"admin@agency.g{CYRILLIC_O}.th", "admin@agency.xn--g-1tb.th", W.W_FROM_LOOKALIKE_INTERNAL),
        ("admin@agency.\u0261o.th", "admin@agency.xn--o-r1a.th", W.W_FROM_LOOKALIKE_INTERNAL),  # Latin script g
        ("admin@agency.go.t\u04bb", "admin@agency.go.xn--t-60b", W.W_FROM_LOOKALIKE_INTERNAL),  # Cyrillic shha
        # Whole-script Cyrillic look-alike of a foreign domain (аррӏе.com).
        ("it@\u0430\u0440\u0440\u04cf\u0435.com", "it@xn--80ak6aa92e.com", W.W_FROM_LOOKALIKE_DOMAIN),
        # Latin mixed with Thai in one label.
        ("x@ba\u0e19k.example", "x@xn--bak-5ml.example", W.W_FROM_LOOKALIKE_DOMAIN),
        # Punctuation that reads as a dot or a slash: no domain label has it.
        ("admin@mail.go\u2024th", "admin@mail.xn--goth-hc7a", W.W_FROM_LOOKALIKE_INTERNAL),  # one dot leader
        ("x@go.th\u2044evil.example", "x@go.xn--thevil-qq0c.example", W.W_FROM_LOOKALIKE_DOMAIN),  # fraction slash
        # Already in punycode: shown as it is, still recognised.
        ("admin@mail.xn--g-1tb.th", "admin@mail.xn--g-1tb.th", W.W_FROM_LOOKALIKE_INTERNAL),
    ],
)
def test_look_alike_domains_are_shown_as_punycode_and_flagged(address, shown, warning):
    message = spoof(f"From: =?utf-8?b?4Liq4Lih4LiK4Liy4Lii?= <{address}>")
    assert [(a.name, a.email) for a in message.from_] == [("สมชาย", shown)]
    assert warning in message.sender_warnings
    # The message list shows the same address as the preview.
    assert convert.header_addresses(f"=?utf-8?b?4Liq4Lih4LiK4Liy4Lii?= <{address}>".encode()) == message.from_


@pytest.mark.parametrize(
    "address",
    ["somchai@agency.go.th", "SOMCHAI@AGENCY.GO.TH", "สมชาย@ตัวอย่าง.ไทย", "info@กำนัน.ไทย", "x@straße.de", "a@日本語.jp"],
)
def test_genuine_domains_are_left_alone(address):
    message = spoof(f"From: Name <{address}>")
    assert message.from_[0].email == address
    assert message.sender_warnings == ()


def test_a_fullwidth_domain_is_shown_in_its_real_form_and_flagged():
    message = spoof("From: Admin <admin@mail.\uff47\uff4f.th>")
    assert message.from_[0].email == "admin@mail.go.th"
    assert MALFORMED in message.sender_warnings


# ---------------------------------------------------------------- raw 8-bit headers


def test_raw_utf8_and_cp874_headers_are_decoded_not_replaced():
    for charset in ("utf-8", "cp874"):
        raw = 'From: สมชาย ใจดี <s@agency.go.th>\nTo: "ก, ข" <a@b.example>\nSubject: ทดสอบ\n\nbody\n'
        message = parse_message(raw.encode(charset))
        assert [(a.name, a.email) for a in message.from_] == [("สมชาย ใจดี", "s@agency.go.th")], charset
        assert [(a.name, a.email) for a in message.to] == [("ก, ข", "a@b.example")], charset
        assert message.subject == "ทดสอบ", charset
        assert "\ufffd" not in message.subject + message.from_[0].name


def test_a_forwarded_message_with_raw_utf8_headers_is_decoded():
    inner = "From: สมชาย <s@agency.go.th>\nSubject: งบ\n\nข้อความ\n"
    raw = (
        "From: a@agency.go.th\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\n" + inner
    ).encode()
    text = parse_message(raw, lang="en").text
    assert "From: สมชาย <s@agency.go.th>" in text and "Subject: งบ" in text


# ---------------------------------------------------------------- preview and message list agree


@pytest.mark.parametrize(("value", "addresses", "warnings"), HOSTILE, ids=[repr(h[0])[:60] for h in HOSTILE])
def test_the_message_list_parses_senders_as_the_preview_does(value, addresses, warnings):
    """The header sync unfolds the fetched field (convert.header_fields) before parsing."""
    block = b"From: " + value.encode("utf-8") + b"\r\nSubject: x\r\n\r\n"
    listed = convert.header_addresses(convert.header_fields(block).get("from"))
    previewed = parse_message(block + b"body\r\n").from_
    assert listed == previewed
    if "\r" not in value and "\n" not in value:
        assert [(a.name, a.email) for a in previewed] == addresses


# ---------------------------------------------------------------- a public corpus with expected addresses


#: Where the corpus parser reads a different header block (not an address question).
_OTHER_HEADER_BLOCK = {
    "malformed/019.json": "its first line is not a header field; the email package starts the body there",
}


def _stalwart_expectations() -> list[tuple[Path, str, list[tuple[str, str]]]]:
    if not STALWART.is_dir():
        return []
    found = []
    for expected in sorted(STALWART.glob("*/*.json")):
        if expected.name.endswith(".crlf.json") or str(expected.relative_to(STALWART)) in _OTHER_HEADER_BLOCK:
            continue
        headers = json.loads(expected.read_text(encoding="utf-8"))["parts"][0].get("headers", [])
        for header in headers:
            if header.get("name") not in ("from", "to", "cc"):
                continue
            value = header.get("value")
            listed = value.get("Address", {}).get("List") if isinstance(value, dict) else None
            if not listed or any(not a.get("address") for a in listed):
                continue  # a bare word ("From: Whomever"): not an address to compare
            pairs = [(a.get("name") or "", a["address"]) for a in listed]
            found.append((expected.with_suffix(".eml"), header["name"], pairs))
    return found


@pytest.mark.parametrize(
    ("eml", "field", "expected"),
    corpus_params(_stalwart_expectations(), argcount=3),
    ids=lambda v: str(v.relative_to(STALWART)) if isinstance(v, Path) else None,
)
def test_addresses_match_the_corpus_expectations(eml, field, expected):
    message = parse_message(eml.read_bytes())
    got = {"from": message.from_, "to": message.to, "cc": message.cc}[field]
    assert [(a.name, a.email) for a in got] == expected


def test_the_corpus_expectations_are_there():
    require_corpora()
    assert STALWART.is_dir(), f"{STALWART} is missing from the corpora"
    assert len(_stalwart_expectations()) > 20



def test_a_zero_width_space_between_thai_words_is_removed_without_a_warning():
    # Thai word processors put U+200B between words as a line-break hint.
    message = spoof('From: "สมชาย\u200bใจดี \u200b\u200bกองคลัง" <somchai@moi.go.th>')
    assert message.from_[0].name == "สมชายใจดี กองคลัง"
    assert HIDDEN in message.sender_warnings  # the pair after the space is not between Thai letters
    clean = spoof('From: "นายสมชาย\u200bใจดี" <somchai@moi.go.th>')
    assert clean.from_[0].name == "นายสมชายใจดี"
    assert HIDDEN not in clean.sender_warnings


@pytest.mark.parametrize("name", ["admin\u200b@moi.go.th", "ก\u200b\u202eข", "abc\u200bก"])
def test_a_zero_width_space_outside_thai_text_is_still_flagged(name):
    message = spoof(f'From: "{name}" <x@evil.example>')
    assert HIDDEN in message.sender_warnings
