"""Dates before 1970 (issue 15): Windows' C library refuses negative Unix times.

``datetime.fromtimestamp(-1)`` and ``aware.astimezone()`` for an instant before 1970
raise ``OSError: [Errno 22]`` on Windows, so a message dated "1 Jan 1970 00:00 +0700"
(-25200 seconds) broke the message list and the preview there. Instants are computed
from the epoch with a timedelta instead (govmail_desktop/i18n/timeutil.py), which is
the same on every system. Windows is simulated here by a ``datetime`` whose
``fromtimestamp`` and ``astimezone()`` raise as Windows' do; a guard over the source
keeps ``fromtimestamp`` out of the package.
"""

from __future__ import annotations

import ast
import importlib
import time
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import pytest

from govmail_desktop.i18n.thai_dates import DateFormatter

PACKAGE = Path(__file__).resolve().parents[3] / "govmail_desktop"
ICT = timezone(timedelta(hours=7))
NEW_YEAR_1970_BANGKOK = -25200  # Thu, 01 Jan 1970 00:00:00 +0700
AS_UTC = datetime(1969, 12, 31, 17, 0, tzinfo=UTC)
RAW_1970 = (
    b"From: =?utf-8?b?4Liq4Lih4LiK4Liy4Lii?= <somchai@example.go.th>\r\n"
    b"To: nid@example.go.th\r\n"
    b"Subject: old\r\n"
    b"Date: Thu, 01 Jan 1970 00:00:00 +0700\r\n"
    b"Message-ID: <old@example.go.th>\r\n"
    b"\r\n"
    b"body\r\n"
)


class WindowsDatetime(datetime):
    """``datetime`` as it behaves on Windows for instants before 1970."""

    @classmethod
    def fromtimestamp(cls, t, tz=None):
        if t < 0:
            raise OSError(22, "Invalid argument")
        return super().fromtimestamp(t, tz)

    def astimezone(self, tz: tzinfo | None = None):
        if tz is None and self.tzinfo is not None and self < datetime(1970, 1, 1, tzinfo=UTC):
            raise OSError(22, "Invalid argument")
        return super().astimezone(tz)

    def timestamp(self) -> float:
        if self.tzinfo is None and self.year < 1970:  # a naive time is local: the C library is asked
            raise OSError(22, "Invalid argument")
        return super().timestamp()


#: Every module that turned Unix seconds into datetimes (their ``datetime`` name is replaced).
MODULES = (
    "govmail_desktop.mime.top_fields",
    "govmail_desktop.mime.draft_mime",
    "govmail_desktop.store.message_rows",
    "govmail_desktop.i18n.thai_dates",
)


@pytest.fixture
def windows_datetime(monkeypatch):
    for name in MODULES:
        monkeypatch.setattr(importlib.import_module(name), "datetime", WindowsDatetime, raising=False)
    assert WindowsDatetime.fromtimestamp(1, UTC).year == 1970  # the fake still works for later times
    with pytest.raises(OSError):
        WindowsDatetime.fromtimestamp(-1, UTC)
    return WindowsDatetime


@pytest.fixture
def bangkok_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Bangkok")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_date_field_of_a_1970_message_gives_its_date(windows_datetime):
    from govmail_desktop.mime.parse import parse_message
    from govmail_desktop.mime.top_fields import first_date

    assert first_date(["Thu, 01 Jan 1970 00:00:00 +0700"]) == AS_UTC
    assert parse_message(RAW_1970).date == AS_UTC  # the preview's date


def test_the_cache_reads_a_1970_date_back(windows_datetime):
    from govmail_desktop.store.message_rows import _from_epoch

    assert _from_epoch(NEW_YEAR_1970_BANGKOK) == AS_UTC


@pytest.mark.parametrize(
    ("lang", "short", "full"),
    [
        ("th", "1 ม.ค. 2513", "1 มกราคม พ.ศ. 2513 00:00"),
        ("en", "1 Jan 1970", "1 January 1970 00:00"),
    ],
)
def test_the_list_and_the_preview_format_a_1970_date(windows_datetime, lang, short, full):
    formatter = DateFormatter(lang, tz=ICT, now=lambda: datetime(2026, 11, 3, 16, 0, tzinfo=ICT))
    assert formatter.short(NEW_YEAR_1970_BANGKOK) == short  # the list: seconds from the cache
    assert formatter.full(NEW_YEAR_1970_BANGKOK) == full
    assert formatter.full(WindowsDatetime(1969, 12, 31, 17, 0, tzinfo=UTC)) == full  # the preview: a datetime


def test_local_time_before_1970_uses_the_computer_zone(windows_datetime, bangkok_local_time):
    formatter = DateFormatter("en", now=lambda: datetime(2026, 11, 3, 16, 0))  # tz None: local time
    assert formatter.full(NEW_YEAR_1970_BANGKOK) == "1 January 1970 00:00"
    assert formatter.full(WindowsDatetime(1969, 12, 31, 17, 0, tzinfo=UTC)) == "1 January 1970 00:00"


def test_from_epoch_is_plain_arithmetic():
    from govmail_desktop.i18n.timeutil import from_epoch

    assert from_epoch(NEW_YEAR_1970_BANGKOK, UTC) == AS_UTC
    assert from_epoch(NEW_YEAR_1970_BANGKOK, ICT).timetuple()[:5] == (1970, 1, 1, 0, 0)
    assert from_epoch(1.5, UTC) == datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)
    for seconds in (-86400 * 365 * 70, -1, 0, 1_700_000_000, 1_700_000_000.25):
        assert from_epoch(seconds, UTC) == datetime.fromtimestamp(seconds, UTC)  # Linux agrees


def test_local_time_falls_back_to_the_present_offset_where_the_system_refuses(bangkok_local_time):
    from govmail_desktop.i18n.timeutil import from_epoch, to_local

    shown = to_local(WindowsDatetime(1969, 12, 31, 17, 0, tzinfo=UTC))
    assert shown.timetuple()[:5] == (1970, 1, 1, 0, 0)
    assert shown.utcoffset() == timedelta(hours=7)
    assert from_epoch(NEW_YEAR_1970_BANGKOK, None).timetuple()[:5] == (1970, 1, 1, 0, 0)


def test_a_local_time_before_1970_gives_its_unix_seconds(bangkok_local_time):
    from govmail_desktop.i18n.timeutil import to_epoch

    assert to_epoch(WindowsDatetime(1970, 1, 1)) == NEW_YEAR_1970_BANGKOK  # naive: local (Bangkok)
    assert to_epoch(WindowsDatetime(1969, 12, 31, 17, tzinfo=UTC)) == NEW_YEAR_1970_BANGKOK
    assert to_epoch(datetime(2026, 11, 3, 16, 0)) == datetime(2026, 11, 3, 16, 0).timestamp()


def test_a_search_for_days_before_1970(monkeypatch, bangkok_local_time):
    """``before:1/1/2513`` (Buddhist era) starts at local midnight, -25200."""
    import datetime as real_datetime
    from types import SimpleNamespace

    from govmail_desktop.search import engine

    monkeypatch.setattr(engine, "datetime", SimpleNamespace(datetime=WindowsDatetime, date=real_datetime.date))
    assert engine.day_start(real_datetime.date(1970, 1, 1)) == NEW_YEAR_1970_BANGKOK
    assert engine.day_start(real_datetime.date(1957, 6, 1)) == int(
        (datetime(1957, 6, 1, tzinfo=ICT) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
    )


def test_the_cache_stores_a_1970_date(windows_datetime):
    from govmail_desktop.store.message_rows import _to_epoch

    assert _to_epoch(WindowsDatetime(1969, 12, 31, 17, 0, tzinfo=UTC)) == NEW_YEAR_1970_BANGKOK


# --- guard: nothing in the package calls fromtimestamp ------------------------------------


def fromtimestamp_calls(source: str) -> list[int]:
    """Lines calling ``*.fromtimestamp(...)`` / ``*.utcfromtimestamp(...)``."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("fromtimestamp", "utcfromtimestamp")
    ]


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("from datetime import datetime\nwhen = datetime.fromtimestamp(t, UTC)\n", [2]),
        ("import datetime\n\nx = datetime.datetime.utcfromtimestamp(0)\n", [3]),
        ("from govmail_desktop.i18n.timeutil import from_epoch\nwhen = from_epoch(t, UTC)\n", []),
    ],
)
def test_the_guard_finds_a_planted_fromtimestamp(source, lines):
    assert fromtimestamp_calls(source) == lines


def test_no_module_calls_fromtimestamp():
    found = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if "_generated" not in path.parts and (lines := fromtimestamp_calls(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "use govmail_desktop.i18n.timeutil.from_epoch (Windows refuses negative times)"

