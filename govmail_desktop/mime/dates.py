"""Dates of mail: the RFC 5322 ``Date`` header and IMAP's INTERNALDATE, to epoch seconds.

The one date parser: the message list (the header sync), the preview and the
IMAP layer all read dates here, so a message shows the same date everywhere.

:func:`parse_date` reads what mailers write: the canonical form, two- and
three-digit years, missing seconds, ``-0000`` (RFC 5322: the zone is unknown;
the time is taken as UTC), zone names (``GMT``, ``ICT``, the US ones) and
anything else ``email.utils.parsedate_tz`` understands. A well-formed but
impossible date (day 45) gives None, not a guess.

:class:`DateMemo` is the header sync's fast form of the same two parsers: a
mailbox's dates share days, times of day and zones, so each part is worked out
once per distinct value and the epoch is their sum (only for the strict fixed
forms, where the parsers compute exactly that sum; anything else is handed to
them). One memo belongs to one sync; nothing here is shared between threads.

No Qt, no network, no disk.
"""

from __future__ import annotations

import email.utils
import re

MONTHS = {
    b"jan": 1, b"feb": 2, b"mar": 3, b"apr": 4, b"may": 5, b"jun": 6,
    b"jul": 7, b"aug": 8, b"sep": 9, b"oct": 10, b"nov": 11, b"dec": 12,
}
_MONTHS_CASED = {k.capitalize(): v for k, v in MONTHS.items()}
#: Zone names mailers write instead of an offset (minutes east of UTC).
ZONES = {
    b"UT": 0, b"UTC": 0, b"GMT": 0, b"Z": 0, b"EST": -300, b"EDT": -240, b"CST": -360,
    b"CDT": -300, b"MST": -420, b"MDT": -360, b"PST": -480, b"PDT": -420, b"ICT": 420,
}


def days_to_month(year: int, month: int) -> int:
    """Days from 1970-01-01 to the first of a month (proleptic Gregorian)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _epoch(year: int, month: int, day: int, hour: int, minute: int, second: int, offset_min: int) -> int | None:
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 60):
        return None
    days = days_to_month(year, month) + day - 1
    return days * 86400 + hour * 3600 + minute * 60 + second - offset_min * 60


def _as_bytes(raw: bytes | str) -> bytes:
    return raw if isinstance(raw, bytes) else raw.encode("ascii", "replace")


def parse_internaldate(raw: bytes | str | None) -> int | None:
    """``17-Jul-1996 02:44:25 -0700`` -> seconds since the epoch (UTC), or None."""
    if not raw:
        return None
    raw = _as_bytes(raw)
    if len(raw) == 26 and raw[2] == 45 and raw[6] == 45:  # fixed-width form, the common case
        try:
            month = MONTHS[raw[3:6].lower()]
            offset = int(raw[22:24]) * 60 + int(raw[24:26])
            if raw[21] == 45:
                offset = -offset
            return _epoch(
                int(raw[7:11]), month, int(raw[0:2]), int(raw[12:14]), int(raw[15:17]), int(raw[18:20]), offset
            )
        except (KeyError, ValueError):
            pass
    return parse_date(raw)


_DATE_RE = re.compile(
    rb"\s*(?:[A-Za-z]+\s*,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{2,4})\s+"
    rb"(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?\s*([+-]\d{4}|[A-Za-z]{1,5})?"
)
_CANONICAL_DATE_RE = re.compile(
    rb"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"
)


def parse_date(raw: bytes | str | None) -> int | None:
    """An RFC 5322 Date value (with the obsolete forms mailers still send) -> epoch
    seconds, or None. Give it the value as the header sync fetches it: unfolded
    (:func:`govmail_desktop.mime.charsets.unfold`) and stripped."""
    if not raw:
        return None
    raw = _as_bytes(raw)
    match = _CANONICAL_DATE_RE.match(raw)
    if match is not None:  # what nearly every mailer writes
        day, mon, year, hour, minute, second, sign, zh, zm = match.groups()
        month = _MONTHS_CASED.get(mon)
        d = int(day)
        if month is not None and 1 <= d <= 31:
            h, mi, sec = int(hour), int(minute), int(second)
            if h <= 23 and mi <= 59 and sec <= 60:
                offset = int(zh) * 60 + int(zm)
                if sign == b"-":
                    offset = -offset
                return (days_to_month(int(year), month) + d - 1) * 86400 + h * 3600 + mi * 60 + sec - offset * 60
    match = _DATE_RE.match(raw)
    if match is not None:
        day, mon, year, hour, minute, second, zone = match.groups()
        month = MONTHS.get(mon.lower())
        if month is not None:
            y = int(year)
            if len(year) == 2:
                y += 2000 if y < 50 else 1900
            elif len(year) == 3:
                y += 1900
            offset = 0
            if zone:
                if zone[:1] in (b"+", b"-"):
                    offset = int(zone[1:3]) * 60 + int(zone[3:5])
                    if zone[:1] == b"-":
                        offset = -offset
                else:
                    offset = ZONES.get(zone.upper(), 0)
            # Well-formed but impossible (day 45): unknown, not a guess.
            return _epoch(y, month, int(day), int(hour), int(minute), int(second or 0), offset)
    try:
        parsed = email.utils.parsedate_tz(raw.decode("ascii", "replace"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not parsed:
        return None
    try:
        return int(email.utils.mktime_tz(parsed))
    except (TypeError, ValueError, OverflowError):
        return None


# -- the header sync's memoised form -------------------------------------------------------

_INVALID = -1 << 62  # a day part that is not in the fixed form (never a real value)
_SECONDS = {b"%02d" % s: s for s in range(61)}
_HEADER_DAY_RE = re.compile(rb"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) \Z")


class DateMemo:
    """:func:`parse_internaldate` and :func:`parse_date` with the parts of the fixed
    forms (day, time of day, zone) worked out once per distinct value; the same
    answers (tests/unit/mime/test_dates.py compares them over random and odd dates).

    Each table holds at most :attr:`limit` entries (it starts afresh when full).
    """

    __slots__ = ("limit", "hours_minutes", "zones", "internal_days", "header_days")

    def __init__(self, limit: int = 20000) -> None:
        self.limit = limit
        self.hours_minutes: dict[bytes, int] = {}  # at most 1440 entries
        self.zones: dict[bytes, int] = {}
        self.internal_days: dict[bytes, int] = {}
        self.header_days: dict[bytes, int] = {}

    def _remember(self, table: dict[bytes, int], key: bytes, value: int) -> int:
        if len(table) >= self.limit:
            table.clear()
        table[key] = value
        return value

    def _hours_minutes(self, t: bytes) -> int | None:
        """Seconds of a strict ``HH:MM`` (as the fixed forms require), or None."""
        found = self.hours_minutes.get(t)
        if found is None and len(t) == 5 and t[2] == 58 and t[:2].isdigit() and t[3:].isdigit():
            h, m = int(t[:2]), int(t[3:])
            if h <= 23 and m <= 59:
                found = self.hours_minutes[t] = h * 3600 + m * 60
        return found

    def _zone(self, z: bytes) -> int | None:
        """Seconds east of UTC of a strict ``+hhmm`` / ``-hhmm``, or None."""
        found = self.zones.get(z)
        if found is None and len(z) == 5 and z[0] in (43, 45) and z[1:].isdigit():
            found = (int(z[1:3]) * 60 + int(z[3:5])) * 60
            if z[0] == 45:
                found = -found
            self._remember(self.zones, z, found)
        return found

    @staticmethod
    def _internal_day(d: bytes) -> int:
        """Epoch of ``DD-Mon-YYYY`` as parse_internaldate's fixed-width branch reads it."""
        if len(d) == 11 and d[2] == 45 and d[6] == 45:
            month = MONTHS.get(d[3:6].lower())
            if month is not None:
                try:
                    year, day = int(d[7:11]), int(d[0:2])
                except ValueError:
                    return _INVALID
                if 1 <= day <= 31:
                    return (days_to_month(year, month) + day - 1) * 86400
        return _INVALID

    @staticmethod
    def _header_day(d: bytes) -> int:
        """Epoch of ``[Www, ]D[D] Mon YYYY `` as parse_date's canonical branch reads it."""
        m = _HEADER_DAY_RE.match(d)
        if m is not None:
            month = _MONTHS_CASED.get(m.group(2))
            day = int(m.group(1))
            if month is not None and 1 <= day <= 31:
                return (days_to_month(int(m.group(3)), month) + day - 1) * 86400
        return _INVALID

    def internaldate(self, raw: bytes) -> int | None:
        """``parse_internaldate(raw)``."""
        if len(raw) == 26 and raw[11] == 32 and raw[17] == 58 and raw[20] == 32:
            key = raw[:11]
            day = self.internal_days.get(key)
            if day is None:
                day = self._remember(self.internal_days, key, self._internal_day(key))
            hm = self.hours_minutes.get(raw[12:17])
            if hm is None:
                hm = self._hours_minutes(raw[12:17])
            seconds = _SECONDS.get(raw[18:20])
            zone = self.zones.get(raw[21:])
            if zone is None:
                zone = self._zone(raw[21:])
            if day != _INVALID and hm is not None and seconds is not None and zone is not None:
                return day + hm + seconds - zone
        return parse_internaldate(raw)

    def header_date(self, raw: bytes) -> int | None:
        """``parse_date(raw)``."""
        n = len(raw)
        # Where the time of day starts: after "Www, DD Mon YYYY ", "Www, D Mon YYYY ",
        # "DD Mon YYYY " or "D Mon YYYY " (the day part is checked in full below).
        if n >= 31 and raw[19] == 58:
            p = 17
        elif n >= 30 and raw[18] == 58:
            p = 16
        elif n >= 26 and raw[14] == 58:
            p = 12
        elif n >= 25 and raw[13] == 58:
            p = 11
        else:
            return parse_date(raw)
        if raw[p + 5] == 58 and raw[p + 8] == 32:
            key = raw[:p]
            day = self.header_days.get(key)
            if day is None:
                day = self._remember(self.header_days, key, self._header_day(key))
            hm = self.hours_minutes.get(raw[p : p + 5])
            if hm is None:
                hm = self._hours_minutes(raw[p : p + 5])
            seconds = _SECONDS.get(raw[p + 6 : p + 8])
            zone = self.zones.get(raw[p + 9 : p + 14])
            if zone is None:
                zone = self._zone(raw[p + 9 : p + 14])
            if day != _INVALID and hm is not None and seconds is not None and zone is not None:
                return day + hm + seconds - zone
        return parse_date(raw)


__all__ = ["DateMemo", "MONTHS", "ZONES", "days_to_month", "parse_date", "parse_internaldate"]
