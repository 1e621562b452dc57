"""Sender and message warnings that need the policy's internal domains (mime.sender_checks).

Each warning: a message that triggers it and one that must not; the existing parser
warnings (a name holding another address, look-alike letters) are kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govmail_desktop.mime.parse import parse_message
from govmail_desktop.mime.preview_warnings import (
    SENDER_WARNINGS,
    W_FROM_IMITATES_INTERNAL,
    W_FROM_LOOKALIKE_DOMAIN,
    W_FROM_LOOKALIKE_INTERNAL,
    W_FROM_NAME_IS_OTHER_ADDRESS,
    W_POSING_AS_INTERNAL,
    W_REPLY_TO_OTHER_DOMAIN,
    WARNING_TEXT,
    warning_text,
)
from govmail_desktop.mime.sender_checks import sender_warnings, with_sender_checks
from govmail_desktop.policy.hosts import parse_pattern

INTERNAL = (parse_pattern("go.th"), parse_pattern(".go.th"))
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "senders"


def parsed(from_line: str, reply_to: str | None = None):
    head = f"From: {from_line}\n"
    if reply_to is not None:
        head += f"Reply-To: {reply_to}\n"
    return parse_message(f"{head}Subject: x\n\nbody\n".encode())


def codes(from_line: str, reply_to: str | None = None, internal=INTERNAL) -> tuple[str, ...]:
    return with_sender_checks(parsed(from_line, reply_to), internal).warnings


# -- Reply-To to another domain ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("from_line", "reply_to"),
    [
        ("กรมบัญชีกลาง <saraban@cgd.go.th>", "cgd.saraban@gmail.com"),
        ("Somchai <somchai@mail.go.th>", "Somchai <somchai@evil.example>"),
        ("x@moe.go.th", "a@moe.go.th, b@obec.go.th"),  # one of two goes to another agency
    ],
)
def test_reply_to_another_domain_triggers(from_line, reply_to):
    assert W_REPLY_TO_OTHER_DOMAIN in codes(from_line, reply_to)


@pytest.mark.parametrize(
    ("from_line", "reply_to"),
    [
        ("saraban@cgd.go.th", None),
        ("saraban@cgd.go.th", "saraban@cgd.go.th"),
        ("saraban@cgd.go.th", "ฝ่ายสารบรรณ <office@CGD.GO.TH>"),  # case does not matter
        ("news@lists.example.org", "editor@example.org"),  # a sub-domain of the same site
        ("saraban@cgd.go.th", ""),
    ],
)
def test_reply_to_the_same_domain_does_not_trigger(from_line, reply_to):
    assert W_REPLY_TO_OTHER_DOMAIN not in codes(from_line, reply_to)


# -- an outside sender writing as if internal ---------------------------------------------------

@pytest.mark.parametrize(
    "from_line",
    [
        "กรมบัญชีกลาง <cgd.office@gmail.com>",
        "กระทรวงการคลัง <mof@evil.example>",
        "สำนักงานจังหวัดเชียงใหม่ <cm@hotmail.com>",
        "งานสารบรรณ จังหวัดขอนแก่น <kk@outlook.com>",
        '"saraban@moe.go.th" <x@evil.example>',  # an internal address in the name
        "ฝ่ายบุคคล moe.go.th <hr@evil.example>",  # an internal domain in the name
        "Saraban MOE <moe@evil.example>",
        "Somchai <saraban.moe@gmail.com>",  # a saraban mailbox outside the government
        "Ministry of Finance <mof@evil.example>",
    ],
)
def test_outside_sender_posing_as_internal_triggers(from_line):
    assert W_POSING_AS_INTERNAL in codes(from_line)


@pytest.mark.parametrize(
    "from_line",
    [
        "กรมบัญชีกลาง <saraban@cgd.go.th>",  # the agency writing from its own domain
        "สำนักงานจังหวัดเชียงใหม่ <saraban@chiangmai.go.th>",
        "สมชาย ใจดี <somchai@gmail.com>",  # a person outside, named as a person
        "บริษัท ตัวอย่าง จำกัด <sales@example.co.th>",
        "ตัวแทนกรมธรรม์ประกันภัย <agent@insure.example>",  # กรมธรรม์ is an insurance policy, not a กรม
        "Newsletter <news@example.com>",
    ],
)
def test_a_genuine_or_plain_sender_is_not_posing(from_line):
    assert W_POSING_AS_INTERNAL not in codes(from_line)


def test_the_policy_decides_what_is_internal():
    # An agency whose policy adds its own domain: its mail is internal, an outsider naming it is not.
    internal = (*INTERNAL, parse_pattern("agency.example"))
    assert W_POSING_AS_INTERNAL not in codes("กรมตัวอย่าง <saraban@agency.example>", internal=internal)
    assert W_POSING_AS_INTERNAL in codes("กรมตัวอย่าง <saraban@agency.example>", internal=INTERNAL)


# -- look-alike sender domains -------------------------------------------------------------------

@pytest.mark.parametrize(
    "from_line",
    [
        "saraban@moe.go-th.com",
        "saraban@moe.gov-th.com",
        "admin@mail-go.th.example",
        "admin@mail.go.th.example",
        "admin@g0.th",
    ],
)
def test_spelled_lookalike_of_an_internal_domain_triggers(from_line):
    found = codes(from_line)
    assert W_FROM_IMITATES_INTERNAL in found


@pytest.mark.parametrize(
    "from_line",
    [
        "admin@mail.g\u043e.th",  # Cyrillic о
        "admin@m\u0430il.g\u03bf.th",  # Cyrillic а and Greek ο
        "admin@agency.ex\u0430mple",  # the policy's own domain with a Cyrillic а
    ],
)
def test_other_alphabet_lookalike_of_an_internal_domain_gets_the_strong_warning(from_line):
    internal = (*INTERNAL, parse_pattern("agency.example"), parse_pattern(".agency.example"))
    found = codes(from_line, internal=internal)
    assert W_FROM_LOOKALIKE_INTERNAL in found
    assert W_FROM_LOOKALIKE_DOMAIN not in found  # the weaker one is replaced


@pytest.mark.parametrize(
    "from_line",
    ["admin@mail.go.th", "saraban@moe.go.th", "x@goth.example", "x@ergo.thing.example", "x@example.com",
     "x@\u0e44\u0e17\u0e22.example"],
)
def test_genuine_domains_are_no_lookalikes(from_line):
    found = codes(from_line)
    assert W_FROM_IMITATES_INTERNAL not in found
    assert W_FROM_LOOKALIKE_INTERNAL not in found


# -- the existing warnings are kept ---------------------------------------------------------------

def test_existing_parser_warnings_are_kept():
    found = codes('"admin@agency.go.th" <x@evil.example>')
    assert W_FROM_NAME_IS_OTHER_ADDRESS in found
    assert W_POSING_AS_INTERNAL in found


def test_a_message_without_sender_gets_nothing_new():
    assert sender_warnings(parse_message(b"Subject: x\n\nbody\n"), INTERNAL) == ()


def test_checks_are_idempotent_and_ordered():
    once = with_sender_checks(parsed("กรมบัญชีกลาง <x@go-th.com>", "y@evil.example"), INTERNAL)
    twice = with_sender_checks(once, INTERNAL)
    assert once.warnings == twice.warnings
    assert len(set(once.warnings)) == len(once.warnings)
    assert once.sender_warnings == once.warnings[: len(once.sender_warnings)]


def test_default_internal_domains_are_the_built_in_policy():
    assert W_FROM_IMITATES_INTERNAL in with_sender_checks(parsed("x@go-th.com")).warnings


@pytest.mark.parametrize("code", [W_REPLY_TO_OTHER_DOMAIN, W_POSING_AS_INTERNAL, W_FROM_IMITATES_INTERNAL])
def test_new_warnings_are_sender_warnings_with_thai_text_saying_what_to_do(code):
    assert code in SENDER_WARNINGS
    assert code in WARNING_TEXT
    thai = warning_text(code).text("th")
    assert thai != warning_text(code).text("en")
    assert "อย่า" in thai or "ตรวจสอบ" in thai  # what to do: do not… / check…


# -- whole sample messages (tests/data/senders) ---------------------------------------------------

@pytest.mark.parametrize(
    ("name", "expected", "absent"),
    [
        ("reply-to-other-domain.eml", {W_REPLY_TO_OTHER_DOMAIN}, {W_POSING_AS_INTERNAL}),
        ("posing-as-agency.eml", {W_POSING_AS_INTERNAL}, {W_REPLY_TO_OTHER_DOMAIN}),
        ("lookalike-go-th.eml", {W_FROM_IMITATES_INTERNAL, W_POSING_AS_INTERNAL}, set()),
        ("lookalike-cyrillic.eml", {W_FROM_LOOKALIKE_INTERNAL}, {W_FROM_LOOKALIKE_DOMAIN}),
        ("genuine-agency.eml", set(), {W_REPLY_TO_OTHER_DOMAIN, W_POSING_AS_INTERNAL, W_FROM_IMITATES_INTERNAL,
                                       W_FROM_LOOKALIKE_INTERNAL, W_FROM_NAME_IS_OTHER_ADDRESS}),
    ],
)
def test_sample_messages(name, expected, absent):
    message = with_sender_checks(parse_message((SAMPLES / name).read_bytes()), INTERNAL)
    assert expected <= set(message.warnings)
    assert not absent & set(message.warnings)
    if not expected:
        assert not message.sender_warnings
