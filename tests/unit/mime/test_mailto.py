"""mailto: links (RFC 6068) → ComposeRequest: only to/cc/bcc/subject/body/in-reply-to are honoured
(a link that attaches files — "Mailto: Me Your Secrets", 2020 — must attach nothing)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from govmail_desktop.core.entities import Address
from govmail_desktop.mime.addresses import MAX_ADDRESSES
from govmail_desktop.mime.mailto import (
    MAX_MAILTO_CHARS,
    MSG_BAD_ESCAPE,
    MSG_LIST_TOO_LONG,
    MSG_NOT_MAILTO,
    MSG_NOT_UTF8,
    ComposeRequest,
    MailtoError,
    parse_mailto,
)


def emails(addresses: tuple[Address, ...]) -> list[str]:
    return [a.email for a in addresses]


# -- RFC 6068 section 6 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "to", "subject", "body"),
    [
        ("mailto:chris@example.com", ["chris@example.com"], "", ""),
        ("mailto:infobot@example.com?subject=current-issue", ["infobot@example.com"], "current-issue", ""),
        ("mailto:infobot@example.com?body=send%20current-issue", ["infobot@example.com"], "", "send current-issue"),
        (
            "mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index",
            ["infobot@example.com"], "", "send current-issue\nsend index",
        ),
        ("mailto:majordomo@example.com?body=subscribe%20bamboo-l", ["majordomo@example.com"], "", "subscribe bamboo-l"),
        ("mailto:gorby%25kremvax@example.com", ["gorby%kremvax@example.com"], "", ""),
        ("mailto:%22not%40me%22@example.org", ['"not@me"@example.org'], "", ""),
        (
            "mailto:%22%5C%5C%5C%22it's%5C%20ugly%5C%5C%5C%22%22@example.org",
            ['"\\\\\\"it\'s\\ ugly\\\\\\""@example.org'], "", "",
        ),
        ("mailto:user@example.org?subject=caf%C3%A9", ["user@example.org"], "café", ""),
        (
            "mailto:user@%E7%B4%8D%E8%B1%86.example.org?subject=Test&body=NATTO",
            ["user@納豆.example.org"], "Test", "NATTO",
        ),
        ("mailto:?to=addr1@an.example,addr2@an.example", ["addr1@an.example", "addr2@an.example"], "", ""),
        ("mailto:addr1@an.example?to=addr2@an.example", ["addr1@an.example", "addr2@an.example"], "", ""),
    ],
)
def test_rfc6068_examples(uri: str, to: list[str], subject: str, body: str) -> None:
    request = parse_mailto(uri)
    assert emails(request.to) == to
    assert (request.subject, request.body) == (subject, body)
    assert request.ignored == () and request.cleaned == ()


def test_rfc6068_in_reply_to_and_cc() -> None:
    request = parse_mailto("mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E")
    assert request.in_reply_to == "<3469A91.D10AF4C@example.com>"
    request = parse_mailto("mailto:joe@example.com?cc=bob@example.com&body=hello")
    assert (emails(request.to), emails(request.cc), request.body) == (["joe@example.com"], ["bob@example.com"], "hello")


def test_unknown_field_of_rfc_example_is_ignored_and_reported() -> None:
    request = parse_mailto("mailto:unlikely%3Faddress@example.com?blat=foop")
    assert emails(request.to) == ["unlikely?address@example.com"]
    assert request.ignored == ("blat",)


# -- Thai text ----------------------------------------------------------------------


def test_thai_percent_encoded_subject_and_body() -> None:
    subject = "ขอเชิญประชุม ด่วนที่สุด"
    body = "เรียน ผู้อำนวยการ\nขอแจ้งกำหนดการ"
    request = parse_mailto(
        f"mailto:saraban@moph.go.th?subject={quote(subject)}&body={quote(body.replace(chr(10), chr(13) + chr(10)))}"
    )
    assert request.subject == subject
    assert request.body == body
    assert emails(request.to) == ["saraban@moph.go.th"]


def test_thai_text_given_unescaped_by_the_desktop() -> None:
    request = parse_mailto("mailto:สมชาย@ตัวอย่าง.ไทย?subject=สวัสดี ครับ")
    assert emails(request.to) == ["สมชาย@ตัวอย่าง.ไทย"]
    assert request.subject == "สวัสดี ครับ"


def test_thai_display_name_in_cc() -> None:
    request = parse_mailto("mailto:?cc=%E0%B8%AA%E0%B8%A1%E0%B8%8A%E0%B8%B2%E0%B8%A2%20%3Csomchai@example.go.th%3E")
    assert request.cc == (Address("สมชาย", "somchai@example.go.th"),)


# -- what a link may not do -----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "reported"),
    [
        ("attach=/etc/passwd", ("attach",)),
        ("attachment=%2Fhome%2Fuser%2F.ssh%2Fid_rsa", ("attachment",)),
        ("ATTACH=/etc/passwd&file=~/.gnupg/secring.gpg", ("attach", "file")),
        ("from=director@evil.example", ("from",)),
        ("Reply-To=x@evil.example&references=%3Ca@b%3E&X-Mailer=z", ("reply-to", "references", "x-mailer")),
        ("send=1&attach=a&attach=b", ("send", "attach")),
    ],
)
def test_unhonoured_fields_are_ignored_and_reported(query: str, reported: tuple[str, ...]) -> None:
    request = parse_mailto(f"mailto:a@example.go.th?subject=hi&{query}")
    assert request.ignored == reported
    assert emails(request.to) == ["a@example.go.th"]
    assert request.subject == "hi"
    notice = request.ignored_notice()
    assert notice is not None and reported[0] in notice.text("en") and reported[0] in notice.text("th")
    # Nothing in the request can carry a file or a send order.
    assert set(vars(request)) == {"to", "cc", "bcc", "subject", "body", "in_reply_to", "ignored", "cleaned"}


def test_no_notice_when_nothing_was_ignored() -> None:
    assert parse_mailto("mailto:a@b.go.th").ignored_notice() is None


def test_field_names_are_case_insensitive() -> None:
    request = parse_mailto("mailto:?TO=a@b.go.th&Cc=c@b.go.th&BCC=d@b.go.th&SUBJECT=s&Body=b")
    assert emails(request.to) == ["a@b.go.th"]
    assert emails(request.cc) == ["c@b.go.th"]
    assert emails(request.bcc) == ["d@b.go.th"]
    assert (request.subject, request.body) == ("s", "b")


def test_plus_is_not_a_space() -> None:
    request = parse_mailto("mailto:user+tag@example.go.th?subject=1+1%2B1&body=a+b")
    assert emails(request.to) == ["user+tag@example.go.th"]
    assert (request.subject, request.body) == ("1+1+1", "a+b")


def test_duplicate_addresses_merged_first_field_wins() -> None:
    request = parse_mailto(
        "mailto:a@b.go.th,A@B.GO.TH?to=a@b.go.th&to=c@b.go.th&cc=c@b.go.th,d@b.go.th&bcc=a@b.go.th,e@b.go.th&bcc=e@b.go.th"
    )
    assert emails(request.to) == ["a@b.go.th", "c@b.go.th"]
    assert emails(request.cc) == ["d@b.go.th"]
    assert emails(request.bcc) == ["e@b.go.th"]


def test_repeated_subject_first_counts_later_reported() -> None:
    request = parse_mailto("mailto:a@b.go.th?subject=first&subject=second")
    assert request.subject == "first"
    assert request.ignored == ("subject",)


# -- injection and damaged input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "subject"),
    [
        ("Hello%0D%0ABcc:%20spy@evil.example", "Hello Bcc: spy@evil.example"),
        ("Hello%0ABcc:%20spy@evil.example", "Hello Bcc: spy@evil.example"),
        ("Hel%00lo%0D", "Hello "),
        ("tab%09bell%07", "tabbell"),
    ],
)
def test_header_injection_in_subject_is_flattened(encoded: str, subject: str) -> None:
    request = parse_mailto(f"mailto:a@b.go.th?subject={encoded}")
    assert request.subject == subject
    assert request.cleaned == ("subject",)
    assert request.bcc == ()


def test_line_break_in_address_field_makes_no_new_header() -> None:
    request = parse_mailto("mailto:?to=a@b.go.th%0D%0ABcc:%20spy@evil.example")
    assert request.bcc == ()
    assert "\n" not in "".join(emails(request.to)) and "\r" not in "".join(emails(request.to))
    assert "to" in request.cleaned


def test_body_keeps_line_breaks_and_tabs_but_not_nul() -> None:
    request = parse_mailto("mailto:a@b.go.th?body=one%0D%0Atwo%0Dthree%0Afour%09tab%00")
    assert request.body == "one\ntwo\nthree\nfour\ttab"
    assert request.cleaned == ("body",)


@pytest.mark.parametrize("value", ["%3Cno-at-sign%3E", "abc@def", "%3Ca@b%3E%0D%0ABcc:x@y", "%3Ca%20b@c%3E"])
def test_in_reply_to_not_a_message_id_is_dropped(value: str) -> None:
    request = parse_mailto(f"mailto:a@b.go.th?in-reply-to={value}")
    assert request.in_reply_to == ""
    assert request.cleaned == ("in-reply-to",)


@pytest.mark.parametrize("uri", ["mailto:a@b.go.th?subject=100%", "mailto:a@b.go.th?subject=%4", "mailto:a%ZZ@b.go.th"])
def test_malformed_percent_escape_is_refused(uri: str) -> None:
    with pytest.raises(MailtoError) as caught:
        parse_mailto(uri)
    assert caught.value.code == "mailto-invalid"
    assert caught.value.message == MSG_BAD_ESCAPE
    assert caught.value.message.text("th") != caught.value.message.text("en")


@pytest.mark.parametrize(
    "uri", ["mailto:a@b.go.th?subject=%C3%28", "mailto:a@b.go.th?subject=%BB%D1%AD%CB%D2", "mailto:a\udcbb@b.go.th"]
)
def test_invalid_utf8_is_refused(uri: str) -> None:
    # %BB%D1%AD%CB%D2 is "ปัญหา" in TIS-620: not guessed, refused.
    with pytest.raises(MailtoError) as caught:
        parse_mailto(uri)
    assert caught.value.message == MSG_NOT_UTF8
    assert "UTF-8" in caught.value.user_text("th")


@pytest.mark.parametrize("uri", ["http://example.com/", "a@b.go.th", "mailtoa@b.go.th", "javascript:alert(1)"])
def test_not_a_mailto_link_is_refused(uri: str) -> None:
    with pytest.raises(MailtoError) as caught:
        parse_mailto(uri)
    assert caught.value.message == MSG_NOT_MAILTO


def test_scheme_is_case_insensitive_and_fragment_dropped() -> None:
    request = parse_mailto("  MailTo:a@b.go.th?subject=x#attach=/etc/passwd  ")
    assert (emails(request.to), request.subject, request.ignored) == (["a@b.go.th"], "x", ())


def test_over_long_input_is_refused() -> None:
    uri = "mailto:a@b.go.th?body=" + "x" * MAX_MAILTO_CHARS
    with pytest.raises(MailtoError) as caught:
        parse_mailto(uri)
    assert str(MAX_MAILTO_CHARS) in caught.value.message.text("en")
    assert str(MAX_MAILTO_CHARS) in caught.value.message.text("th")
    # Just under the limit is read in full.
    fits = "mailto:a@b.go.th?body=" + "x" * (MAX_MAILTO_CHARS - 30)
    assert len(parse_mailto(fits).body) == MAX_MAILTO_CHARS - 30


def test_too_many_recipients_refused_not_cut() -> None:
    many = ",".join(f"u{i}@b.go.th" for i in range(MAX_ADDRESSES + 1))
    with pytest.raises(MailtoError) as caught:
        parse_mailto(f"mailto:?cc={many}")
    assert str(MAX_ADDRESSES) in caught.value.message.text("th")
    exactly = ",".join(f"u{i}@b.go.th" for i in range(MAX_ADDRESSES))
    assert len(parse_mailto(f"mailto:?cc={exactly}").cc) == MAX_ADDRESSES


def test_recipient_list_longer_than_the_parser_reads_is_refused() -> None:
    # One very long address value would be cut by the parser, maybe inside an address.
    with pytest.raises(MailtoError) as caught:
        parse_mailto("mailto:?to=a@b.go.th," + "x" * 20000 + "@evil.example")
    assert caught.value.message == MSG_LIST_TOO_LONG


def test_request_is_frozen() -> None:
    request = parse_mailto("mailto:a@b.go.th")
    assert isinstance(request, ComposeRequest)
    with pytest.raises(AttributeError):
        request.subject = "x"  # type: ignore[misc]
