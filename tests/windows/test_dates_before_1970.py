"""Dates before 1970 on real Windows, where the C library refuses negative times.

A message dated "Thu, 01 Jan 1970 00:00:00 +0700" is -25,200 Unix seconds. Windows'
``localtime``/``fromtimestamp`` raise ``OSError: [Errno 22]`` for it; the list (seconds from
the cache) and the preview (a parsed datetime) go through i18n/timeutil instead. Run here
with the real ``datetime`` and the computer's own zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.i18n.timeutil import from_epoch, to_epoch, to_local

pytestmark = pytest.mark.windows

ICT = timezone(timedelta(hours=7))
NEW_YEAR_1970_BANGKOK = -25200
AS_UTC = datetime(1969, 12, 31, 17, 0, tzinfo=UTC)
RAW_1970 = (
    b"From: =?utf-8?b?4Liq4Lih4LiK4Liy4Lii?= <somchai@example.go.th>\r\n"
    b"To: nid@example.go.th\r\n"
    b"Subject: =?utf-8?b?4LiI4LiU4Lir4Lih4Liy4Lii4LmA4LiB4LmI4Liy?=\r\n"
    b"Date: Thu, 01 Jan 1970 00:00:00 +0700\r\n"
    b"Message-ID: <old@example.go.th>\r\n"
    b"\r\n"
    b"body\r\n"
)
NOW = datetime(2026, 11, 3, 16, 0, tzinfo=ICT)


def test_from_epoch_before_1970_in_every_zone():
    assert from_epoch(NEW_YEAR_1970_BANGKOK, UTC) == AS_UTC
    assert from_epoch(NEW_YEAR_1970_BANGKOK, ICT).timetuple()[:5] == (1970, 1, 1, 0, 0)
    assert from_epoch(-86400 * 365 * 60, UTC).year == 1910
    local = from_epoch(NEW_YEAR_1970_BANGKOK, None)  # the computer's zone (the C library refuses)
    assert local == AS_UTC and local.utcoffset() is not None


def test_local_time_and_back():
    shown = to_local(AS_UTC)
    assert shown == AS_UTC
    assert to_epoch(shown.replace(tzinfo=None)) == NEW_YEAR_1970_BANGKOK  # naive local time
    assert to_epoch(AS_UTC) == NEW_YEAR_1970_BANGKOK


def test_a_1970_message_is_parsed_stored_and_read_back():
    from govmail_desktop.mime.parse import parse_message
    from govmail_desktop.store.message_rows import _from_epoch, _to_epoch

    message = parse_message(RAW_1970)
    assert message.date == AS_UTC  # the preview's date
    seconds = _to_epoch(message.date)  # the cache's date column
    assert seconds == NEW_YEAR_1970_BANGKOK
    assert _from_epoch(seconds) == AS_UTC


@pytest.mark.parametrize(
    ("lang", "short", "full"),
    [("th", "1 ม.ค. 2513", "1 มกราคม พ.ศ. 2513 00:00"), ("en", "1 Jan 1970", "1 January 1970 00:00")],
)
def test_the_list_and_the_preview_format_a_1970_date(lang, short, full):
    formatter = DateFormatter(lang, tz=ICT, now=lambda: NOW)
    assert formatter.short(NEW_YEAR_1970_BANGKOK) == short  # the list: seconds from the cache
    assert formatter.full(NEW_YEAR_1970_BANGKOK) == full
    assert formatter.full(AS_UTC) == full  # the preview: a datetime


def test_the_list_in_the_computers_own_zone_does_not_fail():
    formatter = DateFormatter("th", now=lambda: datetime(2026, 11, 3, 16, 0))  # tz None: local time
    local = to_local(AS_UTC)
    text = formatter.full(NEW_YEAR_1970_BANGKOK)
    assert text == formatter.full(AS_UTC)
    assert f"{local.hour:02d}:{local.minute:02d}" in text
    assert ("2513" if local.year == 1970 else "2512") in text  # Buddhist era of that local day
