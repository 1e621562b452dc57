"""mime.markings: urgency and secrecy in the subject and the headers, written once and
recognised again (every prefix form), and saraban@ addresses."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from govmail_desktop.core.compose import Secrecy, Urgency
from govmail_desktop.core.entities import Address
from govmail_desktop.mime.build import OutgoingMessage, build_message
from govmail_desktop.mime.header_text import decode_words
from govmail_desktop.mime.headers import header_fields, header_section
from govmail_desktop.mime.markings import (
    MARKING_FIELDS,
    Markings,
    header_lookup,
    is_official_address,
    mark_subject,
    marking_headers,
    recognise,
)

DATA = Path(__file__).resolve().parents[2] / "data"
BANGKOK = timezone(timedelta(hours=7))
URGENCIES = [None, *Urgency]
SECRECIES = [None, *Secrecy]


def _lookup(raw: bytes):
    fields = header_fields(header_section(raw))
    return lambda name: [fields[name].decode("ascii", "surrogateescape")] if name in fields else []


def test_subject_prefix_is_urgency_then_secrecy_in_thai():
    assert mark_subject("ขอเชิญประชุม", Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL) == "ด่วนที่สุด ลับ ขอเชิญประชุม"
    assert mark_subject("ขอเชิญประชุม", Urgency.URGENT, None) == "ด่วน ขอเชิญประชุม"
    assert mark_subject("ขอเชิญประชุม", None, Secrecy.TOP_SECRET) == "ลับที่สุด ขอเชิญประชุม"
    assert mark_subject("ขอเชิญประชุม", None, None) == "ขอเชิญประชุม"
    assert mark_subject("", Urgency.VERY_URGENT, None) == "ด่วนมาก"


@pytest.mark.parametrize("typed", [
    "ด่วนที่สุด ลับ ขอเชิญประชุม", "[ด่วนที่สุด] (ลับ) ขอเชิญประชุม", "ลับ ด่วนที่สุด ขอเชิญประชุม",
    "[ด่วนที่สุด ลับ] ขอเชิญประชุม", "ด่วนที่สุด: ขอเชิญประชุม", "【ลับ】 ขอเชิญประชุม", "ด่วน ขอเชิญประชุม",
])
def test_marking_never_doubled(typed):
    marked = mark_subject(typed, Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL)
    assert marked == "ด่วนที่สุด ลับ ขอเชิญประชุม"
    assert mark_subject(marked, Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL) == marked


def test_marking_after_reply_prefix_is_moved_to_the_front_not_doubled():
    assert mark_subject("Re: ลับ ขอเชิญประชุม", None, Secrecy.CONFIDENTIAL) == "ลับ Re: ขอเชิญประชุม"


def test_chosen_class_wins_over_typed_one_of_the_same_kind_and_typed_other_kind_kept():
    assert mark_subject("ด่วน ลับมาก เรื่อง", Urgency.MOST_URGENT, None) == "ด่วนที่สุด ลับมาก เรื่อง"


@pytest.mark.parametrize(("subject", "urgency", "secrecy", "bare"), [
    ("ด่วนที่สุด ลับ ที่ นร ๐๑๐๕/ว ๑๒๓", Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL, "ที่ นร ๐๑๐๕/ว ๑๒๓"),
    ("[ด่วนมาก] ขอข้อมูล", Urgency.VERY_URGENT, None, "ขอข้อมูล"),
    ("(ลับ) รายงาน", None, Secrecy.CONFIDENTIAL, "รายงาน"),
    ("(ลับมาก)รายงาน", None, Secrecy.SECRET, "รายงาน"),
    ("[ด่วน/ลับที่สุด] รายงาน", Urgency.URGENT, Secrecy.TOP_SECRET, "รายงาน"),
    ("ด่วน: รายงาน", Urgency.URGENT, None, "รายงาน"),
    ("ด่วน - รายงาน", Urgency.URGENT, None, "รายงาน"),
    ("【ด่วนที่สุด】รายงาน", Urgency.MOST_URGENT, None, "รายงาน"),
    ("Re: ด่วนที่สุด รายงาน", Urgency.MOST_URGENT, None, "Re: รายงาน"),
    ("ตอบกลับ: Re: [ลับ] รายงาน", None, Secrecy.CONFIDENTIAL, "ตอบกลับ: Re: รายงาน"),
    ("FW: ส่งต่อ: (ด่วนมาก) (ลับมาก) รายงาน", Urgency.VERY_URGENT, Secrecy.SECRET, "FW: ส่งต่อ: รายงาน"),
    ("ด่วนที่สุด", Urgency.MOST_URGENT, None, ""),
    # not markings: no word boundary, not at the start, an ordinary word
    ("ด่วนมากๆ ช่วยดูหน่อย", None, None, "ด่วนมากๆ ช่วยดูหน่อย"),
    ("ลับเฉพาะ", None, None, "ลับเฉพาะ"),
    ("ประชุมด่วน", None, None, "ประชุมด่วน"),
    ("เรื่อง ลับ", None, None, "เรื่อง ลับ"),
    ("Re: ประชุม", None, None, "Re: ประชุม"),
    ("", None, None, ""),
])
def test_recognise_every_subject_form(subject, urgency, secrecy, bare):
    assert recognise(subject) == Markings(urgency, secrecy, bare)


@pytest.mark.parametrize(("urgency", "secrecy"), list(itertools.product(URGENCIES, SECRECIES)))
def test_round_trip_mark_build_parse_recognise(urgency, secrecy):
    """Every combination survives the builder (RFC 2047 subject, extra headers) and comes back
    from the headers alone and from the subject alone."""
    subject = mark_subject("ขอเชิญประชุมคณะทำงาน ครั้งที่ ๑/๒๕๖๙", urgency, secrecy)
    built = build_message(
        OutgoingMessage(
            sender=Address("สมชาย", "somchai@agency.go.th"), to=(Address("", "saraban@dopa.go.th"),),
            subject=subject, text="เรียน", extra_headers=marking_headers(urgency, secrecy),
        ),
        clock=lambda: datetime(2026, 12, 3, 14, 30, tzinfo=BANGKOK),
    )
    lookup = _lookup(built.wire)
    decoded = decode_words(lookup("subject")[0])
    assert decoded == subject
    found = recognise(decoded, lookup)
    assert (found.urgency, found.secrecy, found.bare_subject) == (
        urgency, secrecy, "ขอเชิญประชุมคณะทำงาน ครั้งที่ ๑/๒๕๖๙")
    # the headers alone say the exact classes (a client that rewrites the subject)
    by_headers = recognise("ขอเชิญประชุม", lookup)
    assert (by_headers.urgency, by_headers.secrecy) == (urgency, secrecy)


def test_headers_standard_fields_for_other_clients():
    fields = dict(marking_headers(Urgency.MOST_URGENT, Secrecy.SECRET))
    assert fields["Importance"] == "high" and fields["Priority"] == "urgent"
    assert fields["X-Priority"] == "1 (Highest)" and fields["Sensitivity"] == "Company-Confidential"
    assert fields["X-GovMail-Urgency"] == "most-urgent" and fields["X-GovMail-Secrecy"] == "secret"
    assert dict(marking_headers(Urgency.URGENT, None))["X-Priority"] == "2 (High)"
    assert marking_headers(None, None) == ()
    assert {name.lower() for name, _ in marking_headers(Urgency.URGENT, Secrecy.SECRET)} <= set(MARKING_FIELDS)


@pytest.mark.parametrize(("fields", "urgency", "secrecy"), [
    ([("Importance", "High")], Urgency.URGENT, None),
    ([("X-Priority", "1 (Highest)")], Urgency.URGENT, None),
    ([("X-Priority", "2")], Urgency.URGENT, None),
    ([("X-Priority", "3 (Normal)")], None, None),
    ([("Priority", "urgent")], Urgency.URGENT, None),
    ([("X-MSMail-Priority", "High")], Urgency.URGENT, None),
    ([("Importance", "low")], None, None),
    ([("Sensitivity", "Company-Confidential")], None, Secrecy.CONFIDENTIAL),
    ([("Sensitivity", "Private")], None, None),
    ([("X-GovMail-Urgency", "bogus"), ("X-GovMail-Secrecy", "bogus")], None, None),
])
def test_recognise_from_generic_headers(fields, urgency, secrecy):
    found = recognise("รายงาน", header_lookup(fields))
    assert (found.urgency, found.secrecy, found.bare_subject) == (urgency, secrecy, "รายงาน")


def test_subject_class_beats_generic_importance_and_higher_explicit_class_wins():
    lookup = header_lookup([("Importance", "High"), ("X-GovMail-Secrecy", "secret")])
    found = recognise("ด่วนที่สุด ลับ รายงาน", lookup)
    assert (found.urgency, found.secrecy) == (Urgency.MOST_URGENT, Secrecy.SECRET)


def test_sample_official_letter_recognised():
    raw = (DATA / "11-official-urgent-secret.eml").read_bytes()
    lookup = _lookup(raw)
    found = recognise(decode_words(lookup("subject")[0]), lookup)
    assert (found.urgency, found.secrecy) == (Urgency.MOST_URGENT, Secrecy.CONFIDENTIAL)
    assert found.bare_subject.startswith("ที่ นร ๐๑๐๕/ว ๑๒๓ เรื่อง")


@pytest.mark.parametrize(("address", "official"), [
    ("saraban@agency.go.th", True),
    ("SARABAN@dopa.go.th", True),
    ("saraban.dopa@moi.go.th", True),
    ("saraban_moph@moph.go.th", True),
    ("สารบรรณ <saraban@agency.mail.go.th>", True),
    ("saraban@gmail.com", False),  # only at a government domain
    ("saraban@go.th.evil.example", False),
    ("somchai@agency.go.th", False),
    ("xsaraban@agency.go.th", False),
    ("saraban", False),
    ("", False),
])
def test_official_address(address, official):
    assert is_official_address(address) is official


def test_official_address_follows_the_policy_internal_domains():
    assert is_official_address("saraban@ega.or.th", lambda a: a.endswith("@ega.or.th"))
    assert not is_official_address("saraban@agency.go.th", lambda a: False)
