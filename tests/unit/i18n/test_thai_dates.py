"""Dates as Thai officials read them: Buddhist era, Thai months, relative days, Thai digits."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from govmail_desktop.i18n.thai_dates import (
    DateFormatter,
    buddhist_year,
    month_names,
    to_arabic_digits,
    to_thai_digits,
)

BANGKOK = ZoneInfo("Asia/Bangkok")


def bkk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


def formatter(now: datetime, lang: str = "th", **kwargs) -> DateFormatter:
    return DateFormatter(lang, tz=BANGKOK, now=lambda: now, **kwargs)


NOW = bkk(2026, 11, 3, 16, 0)  # 3 Nov 2569, afternoon


def test_buddhist_era_year():
    assert buddhist_year(2026) == 2569
    assert buddhist_year(1957) == 2500


@pytest.mark.parametrize(
    ("when", "th", "en"),
    [
        (bkk(2026, 11, 3, 14, 30), "วันนี้ 14:30", "Today 14:30"),
        (bkk(2026, 11, 3, 0, 0), "วันนี้ 00:00", "Today 00:00"),
        (bkk(2026, 11, 2, 9, 5), "เมื่อวาน 09:05", "Yesterday 09:05"),
        (bkk(2026, 11, 1, 23, 59), "1 พ.ย. 23:59", "1 Nov 23:59"),
        (bkk(2026, 1, 15, 8, 0), "15 ม.ค. 08:00", "15 Jan 08:00"),
        (bkk(2025, 11, 3, 14, 30), "3 พ.ย. 2568", "3 Nov 2025"),
        (bkk(2000, 12, 31, 12, 0), "31 ธ.ค. 2543", "31 Dec 2000"),
    ],
)
def test_list_form_relative_to_today(when, th, en):
    assert formatter(NOW).short(when) == th
    assert formatter(NOW, "en").short(when) == en


def test_year_boundary_yesterday_is_last_year_and_older_days_show_the_year():
    new_year = bkk(2027, 1, 1, 0, 10)
    f = formatter(new_year)
    assert f.short(bkk(2026, 12, 31, 23, 50)) == "เมื่อวาน 23:50"
    assert f.short(bkk(2026, 12, 30, 10, 0)) == "30 ธ.ค. 2569"
    assert f.short(bkk(2027, 1, 1, 0, 5)) == "วันนี้ 00:05"
    assert formatter(new_year, "en").short(bkk(2026, 12, 30, 10, 0)) == "30 Dec 2026"


def test_leap_day():
    f = formatter(bkk(2028, 3, 1, 9, 0))
    assert f.short(bkk(2028, 2, 29, 18, 45)) == "เมื่อวาน 18:45"
    assert f.date(bkk(2028, 2, 29, 18, 45)) == "29 ก.พ. 2571"
    assert formatter(bkk(2029, 3, 1, 9, 0)).short(bkk(2028, 2, 29, 18, 45)) == "29 ก.พ. 2571"


def test_full_form_names_the_era():
    f = formatter(NOW)
    assert f.full(bkk(2026, 11, 3, 14, 30)) == "3 พฤศจิกายน พ.ศ. 2569 14:30"
    assert formatter(NOW, "en").full(bkk(2026, 11, 3, 14, 30)) == "3 November 2026 14:30"


def test_thai_digits_are_optional():
    f = formatter(NOW, thai_digits=True)
    assert f.short(bkk(2025, 11, 3, 14, 30)) == "๓ พ.ย. ๒๕๖๘"
    assert f.short(bkk(2026, 11, 3, 14, 30)) == "วันนี้ ๑๔:๓๐"
    assert f.full(bkk(2026, 11, 3, 14, 30)) == "๓ พฤศจิกายน พ.ศ. ๒๕๖๙ ๑๔:๓๐"
    assert to_thai_digits("2569 A1") == "๒๕๖๙ A๑"
    assert to_arabic_digits("๒๕๖๙") == "2569"


def test_dates_are_shown_in_local_time_whatever_zone_they_come_in():
    # 17:30 UTC on 2 Nov is 00:30 on 3 Nov in Bangkok: "today", not "yesterday".
    utc = datetime(2026, 11, 2, 17, 30, tzinfo=UTC)
    assert formatter(NOW).short(utc) == "วันนี้ 00:30"
    # The cache stores Unix seconds.
    assert formatter(NOW).short(int(utc.timestamp())) == "วันนี้ 00:30"
    # "now" given in another zone is still compared in local time.
    f = DateFormatter("th", tz=BANGKOK, now=lambda: datetime(2026, 11, 2, 18, 0, tzinfo=UTC))
    assert f.short(utc) == "วันนี้ 00:30"


def test_missing_date_is_empty():
    assert formatter(NOW).short(None) == "" and formatter(NOW).full(None) == ""


def test_month_names_come_from_babel_with_the_dots():
    assert month_names("th")[1:] == (
        "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    )
    assert month_names("th", "wide")[12] == "ธันวาคม"
    assert month_names("en")[11] == "Nov"


def test_english_can_use_the_buddhist_era_too():
    assert formatter(NOW, "en", buddhist_era=True).date(bkk(2025, 1, 2)) == "2 Jan 2568"
