"""mime.dates: the one date parser (list, preview, IMAP) and the header sync's memoised form of it."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from govmail_desktop.mime import dates as D
from govmail_desktop.mime import parse_message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)", 837595405),
        (b"17 Jul 1996 09:23:25 +0000", 837595405),
        (b"Wed, 17 Jul 96 16:23:25 +0700", 837595405),
        (b"Wed,  17 JUL 1996 09:23:25 GMT", 837595405),
        (b"Wed, 17 Jul 1996 16:23:25 ICT", 837595405),
        (b"Wed, 17 Jul 1996 09:23:25 -0000", 837595405),
        ("Wed, 17 Jul 1996 09:23:25 -0000", 837595405),
        (b"Wed, 17 Jul 1996 02:23 -0700", 837595380),
        (b"not a date", None),
        (b"Wed, 45 Jul 1996 02:23:25 -0700", None),
        (b"", None),
        (None, None),
    ],
)
def test_date_header(raw, expected):
    assert D.parse_date(raw) == expected


def test_internaldate_with_space_padded_day():
    assert D.parse_internaldate(b" 7-Jul-1996 02:44:25 -0700") == D.parse_date(b"7 Jul 1996 02:44:25 -0700")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"Date: Wed, 15 Nov 2023 05:14:20 -0000", datetime(2023, 11, 15, 5, 14, 20, tzinfo=UTC)),
        (b"Date: Wed, 15 Nov 2023 12:14:20 ICT", datetime(2023, 11, 15, 5, 14, 20, tzinfo=UTC)),
        (b"Date: Wed, 15 Nov 2023\r\n 12:14:20 +0700", datetime(2023, 11, 15, 5, 14, 20, tzinfo=UTC)),
    ],
)
def test_preview_gives_the_date_the_list_gives(header, expected):
    parsed = parse_message(b"From: a@agency.go.th\r\n" + header + b"\r\nSubject: s\r\n\r\nx\r\n")
    assert parsed.date == expected


def test_preview_without_a_date_has_none():
    assert parse_message(b"From: a@agency.go.th\r\nDate: garbage\r\n\r\nx\r\n").date is None
    assert parse_message(b"From: a@agency.go.th\r\n\r\nx\r\n").date is None


# -- the memoised form gives the parser's answers ------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"14-Nov-2023 22:14:20 +0000", b" 4-Nov-2023 02:14:20 +0700", b"14-Nov-2023 23:59:60 -1200",
        b"14-nov-2023 22:14:20 +0000", b"14-NOV-2023 22:14:20 +0000", b"31-Feb-2023 22:14:20 +0000",
        b"00-Nov-2023 22:14:20 +0000", b"32-Nov-2023 22:14:20 +0000", b"14-Nov-2023 24:00:00 +0000",
        b"14-Nov-2023 22:60:00 +0000", b"14-Nov-2023 22:14:61 +0000", b"14-Nov-2023 2x:14:20 +0000",
        b"14-Nov-2023 -1:14:20 +0000", b"14-Nov-2023  2:14:20 +0000", b"14-Nov-2023 22:14:20 x0700",
        b"14-Nov-2023 22:14:20 +07x0", b"14-Nov-2023x22:14:20 +0000", b"14-Nov-1_23 22:14:20 +0000",
        b"+4-Nov-2023 22:14:20 +0000", b"14-Nov-0000 22:14:20 +0000", b"14-Nov-9999 22:14:20 -9959", b"bad",
        b"14-Nov-2023 22:14:20 +00000", b"",
    ],
)
def test_memo_internaldate_gives_the_parsers_value(raw):
    memo = D.DateMemo()
    assert memo.internaldate(raw) == D.parse_internaldate(raw)
    assert memo.internaldate(raw) == D.parse_internaldate(raw)  # again, from the memoised parts


@pytest.mark.parametrize(
    "raw",
    [
        b"Wed, 15 Nov 2023 05:14:20 +0700", b"Wed, 5 Nov 2023 05:14:20 +0700", b"15 Nov 2023 05:14:20 +0700",
        b"5 Nov 2023 05:14:20 -0330", b"Wed, 15 Nov 2023 05:14:20 +0700 (ICT)", b"Wed, 15 Nov 2023 23:59:60 -0000",
        b"Wed, 15 Nov 2023 24:14:20 +0700", b"Wed, 15 nov 2023 05:14:20 +0700", b"wed, 15 Nov 2023 05:14:20 +0700",
        b"Wed, 45 Nov 2023 05:14:20 +0700", b"Wed, 00 Nov 2023 05:14:20 +0700", b"Wed, 15 Nov 23 05:14:20 +0700",
        b"Wed, 15 Nov 2023 05:14 +0700", b"Wed, 15 Nov 2023 05:14:20 ICT", b"Wed, 15 Nov 2023 05:14:20 GMT+7",
        b"Wed,15 Nov 2023 05:14:20 +0700", b"Wed, 15 Nov 2023 5:14:20 +0700", b"Wed, 15 Xyz 2023 05:14:20 +0700",
        b"Wed, 15 Nov 2023 05:14:20 +07", b"Wed, 15 Nov 2023 05:14:20  +0700", b"Wed, 15 Nov 2023 05:14:20 +0700x",
        b"Wed, 15 Nov 2023 05:1x:20 +0700", b"Wed, 15 Nov 2023 -5:14:20 +0700", b"Wed, 15 Nov 2023 05:14:20",
        b"Wednesday, 15 Nov 2023 05:14:20 +0700", b"Wed, 15 Nov 2023 05:14:20 +0700\r\n", b"", b"garbage",
        b"Wed, 29 Feb 2023 05:14:20 +0700", b"Wed, 31 Apr 2023 05:14:20 +0700", b"Wed, 15 Nov 0000 05:14:20 +0700",
    ],
)
def test_memo_header_date_gives_the_parsers_value(raw):
    memo = D.DateMemo()
    assert memo.header_date(raw) == D.parse_date(raw)
    assert memo.header_date(raw) == D.parse_date(raw)


def test_memo_random_dates_give_the_parsers_value():
    rng = random.Random(2569)
    memo = D.DateMemo(limit=500)  # small: the tables also start afresh on the way
    months = ["Jan", "Feb", "Nov", "Dec", "nov", "Xyz"]
    for _ in range(20000):
        day, hour, minute, second = rng.randrange(0, 33), rng.randrange(0, 26), rng.randrange(0, 62), rng.randrange(62)
        month, year = rng.choice(months), rng.choice([1969, 1970, 2023, 2024, 2100, 9999])
        zone = rng.choice(["+0000", "+0700", "-0330", "-1200", "+1400", "+9999", "ICT", "+07", "-0000"])
        internal = f"{day:2d}-{month}-{year} {hour:02d}:{minute:02d}:{second:02d} {zone}".encode()
        header = rng.choice([f"Wed, {day} ", f"{day} ", f"Wed, {day:02d} ", f"{day:02d} "]).encode() + (
            f"{month} {year} {hour:02d}:{minute:02d}:{second:02d} {zone}".encode()
        )
        assert memo.internaldate(internal) == D.parse_internaldate(internal), internal
        assert memo.header_date(header) == D.parse_date(header), header


def test_two_memos_share_nothing():
    a, b = D.DateMemo(), D.DateMemo()
    a.header_date(b"Wed, 15 Nov 2023 05:14:20 +0700")
    assert a.header_days and not b.header_days and not b.zones
