"""Message dates for people: Buddhist-era years, Thai month names, optional Thai digits.

List form (``DateFormatter.short``), relative to "now" in local time::

    th: "วันนี้ 14:30"   "เมื่อวาน 09:05"   "3 พ.ย. 14:30" (this year)   "3 พ.ย. 2569"
    en: "Today 14:30"    "Yesterday 09:05"  "3 Nov 14:30"                 "3 Nov 2026"

Full form (``DateFormatter.full``): "3 พฤศจิกายน พ.ศ. 2569 14:30" / "3 November 2026 14:30".

Babel supplies the month names but not the Buddhist calendar: the year is
CE + 543. Month names and the "Today"/"Yesterday" words are looked up once
per formatter, so formatting is a few string operations (a message list of
100,000 rows formats only the rows on screen, but even all of them is cheap).
``now`` and ``tz`` are seams for tests; by default dates show in the
computer's local time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from babel.dates import get_month_names

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, current_language, normalize_language
from govmail_desktop.i18n.timeutil import from_epoch, to_local

BUDDHIST_ERA_OFFSET = 543
THAI_ERA = "พ.ศ."
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

When = datetime | int | float

_TODAY = QT_TRANSLATE_NOOP("ThaiDates", "Today")
_YESTERDAY = QT_TRANSLATE_NOOP("ThaiDates", "Yesterday")


def buddhist_year(ce_year: int) -> int:
    """2026 → 2569."""
    return ce_year + BUDDHIST_ERA_OFFSET


def to_thai_digits(text: str) -> str:
    """``"3 พ.ย. 2569"`` → ``"๓ พ.ย. ๒๕๖๙"`` (other characters unchanged)."""
    return text.translate(_THAI_DIGITS)


def to_arabic_digits(text: str) -> str:
    return text.translate(_ARABIC_DIGITS)


@functools.cache
def month_names(lang: str, width: Literal["abbreviated", "wide"] = "abbreviated") -> tuple[str, ...]:
    """Month names from Babel, index 1..12 (index 0 is empty); cached per language."""
    names = get_month_names(width, locale="th" if lang == "th" else "en")
    return ("",) + tuple(names[i] for i in range(1, 13))


class DateFormatter:
    """Formats dates for one language and digit setting (make one, use it for every row).

    ``when`` may be a timezone-aware datetime, a naive one (taken as local
    time, Python's rule) or Unix seconds (what the cache stores).
    """

    def __init__(
        self,
        lang: str | None = None,
        *,
        thai_digits: bool = False,
        tz: tzinfo | None = None,
        now: Callable[[], datetime] | None = None,
        buddhist_era: bool | None = None,
    ) -> None:
        self.lang = normalize_language(lang or current_language())
        self.thai_digits = thai_digits
        self.buddhist_era = (self.lang == "th") if buddhist_era is None else buddhist_era
        self._tz = tz
        self._now = now or (lambda: datetime.now(tz) if tz is not None else datetime.now())
        self._short_months = month_names(self.lang, "abbreviated")
        self._long_months = month_names(self.lang, "wide")
        self._today_word = _TODAY.text(self.lang)
        self._yesterday_word = _YESTERDAY.text(self.lang)

    # --- helpers -------------------------------------------------------------

    def _local(self, when: When) -> datetime:
        if isinstance(when, (int, float)):
            return from_epoch(when, self._tz)  # tz None → the computer's zone
        if self._tz is not None:
            return when.astimezone(self._tz)
        return to_local(when) if when.tzinfo is not None else when

    def _today(self) -> date:
        now = self._now()
        if self._tz is not None and now.tzinfo is not None:
            now = now.astimezone(self._tz)
        return now.date()

    def _year(self, year: int) -> int:
        return year + BUDDHIST_ERA_OFFSET if self.buddhist_era else year

    def _digits(self, text: str) -> str:
        return text.translate(_THAI_DIGITS) if self.thai_digits else text

    # --- public forms --------------------------------------------------------

    def time(self, when: When) -> str:
        t = self._local(when)
        return self._digits(f"{t.hour:02d}:{t.minute:02d}")

    def short(self, when: When | None) -> str:
        """The message-list form, relative to today."""
        if when is None:
            return ""
        t = self._local(when)
        today = self._today()
        day = t.date()
        hm = f"{t.hour:02d}:{t.minute:02d}"
        if day == today:
            text = f"{self._today_word} {hm}"
        elif day == today - timedelta(days=1):
            text = f"{self._yesterday_word} {hm}"
        elif t.year == today.year:
            text = f"{t.day} {self._short_months[t.month]} {hm}"
        else:
            text = f"{t.day} {self._short_months[t.month]} {self._year(t.year)}"
        return self._digits(text)

    def date(self, when: When | None) -> str:
        """Day, short month and year: "3 พ.ย. 2569" / "3 Nov 2026"."""
        if when is None:
            return ""
        t = self._local(when)
        return self._digits(f"{t.day} {self._short_months[t.month]} {self._year(t.year)}")

    def full(self, when: When | None) -> str:
        """"3 พฤศจิกายน พ.ศ. 2569 14:30" / "3 November 2026 14:30" (tooltips, headers)."""
        if when is None:
            return ""
        t = self._local(when)
        year = self._year(t.year)
        era = f"{THAI_ERA} " if self.lang == "th" and self.buddhist_era else ""
        return self._digits(f"{t.day} {self._long_months[t.month]} {era}{year} {t.hour:02d}:{t.minute:02d}")


def format_short(when: When | None, lang: str | None = None, *, thai_digits: bool = False) -> str:
    """One-off convenience; reuse a :class:`DateFormatter` for many dates."""
    return DateFormatter(lang, thai_digits=thai_digits).short(when)


def format_full(when: When | None, lang: str | None = None, *, thai_digits: bool = False) -> str:
    return DateFormatter(lang, thai_digits=thai_digits).full(when)
