"""The search query language: parse what the user typed into typed terms.

Grammar (terms separated by white space, all of them must hold)::

    word                 a word anywhere (subject, addresses, body)
    "a phrase"           the words together, in this order
    from:x to:x cc:x     in the sender / recipients / copy recipients
    subject:x            in the subject
    has:attachment       is:unread is:read is:flagged is:urgent is:secret
    folder:x  in:x       in the folder x (its name or path)
    after:D before:D date:D
                         on or after D / before D / within D (a day, a month or a year)
    -term                negation: the term must NOT hold
    op:"two words"       a value with spaces, quoted

Operators are matched in any case (``FROM:`` = ``from:``). Dates accept
Buddhist-era years (any year ≥ 2400: ``1/10/2568``) and Christian-era years
(``1/10/2025``, ``2025-10-01``), Thai and English month names, full or short
(``ต.ค.2568``, ``1 ตุลาคม 2568``, ``Oct 2025``), ``พ.ศ.``/``ค.ศ.`` markers, and
Thai digits anywhere (``๑/๑๐/๒๕๖๘``). ``after:`` is inclusive of its day
(IMAP ``SINCE``), ``before:`` is exclusive (IMAP ``BEFORE``); with a month or a
year they count from its first day.

A malformed query raises :class:`QueryError`, which says what is wrong in
both languages (an :class:`~govmail_desktop.i18n.catalog.Msg`) and where
(``position``/``length`` in the source text, so the UI can underline it).
Text values stay as typed: folding (Thai normalisation, digits, case) is
:mod:`govmail_desktop.search.fold`'s job, done by whoever matches.

The reference for users is ``docs/search.md`` (Thai and English).
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Literal

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.i18n.thai_dates import BUDDHIST_ERA_OFFSET, month_names, to_arabic_digits

TextField = Literal["any", "from", "to", "cc", "subject"]
FlagName = Literal["attachment", "unread", "flagged", "urgent", "secret"]


@dataclass(frozen=True)
class TextTerm:
    """Words and "phrases"; field "any" = subject + addresses + body."""

    text: str
    field: TextField = "any"
    phrase: bool = False
    negated: bool = False


@dataclass(frozen=True)
class FlagTerm:
    """has:attachment is:unread is:flagged is:urgent is:secret."""

    name: FlagName
    negated: bool = False


@dataclass(frozen=True)
class FolderTerm:
    """folder:Inbox folder:"จดหมายเข้า"."""

    name: str
    negated: bool = False


@dataclass(frozen=True)
class DateTerm:
    """after:/before:/date: → the half-open local-date range [start, end); None = open."""

    start: datetime.date | None
    end: datetime.date | None
    negated: bool = False

    def contains(self, day: datetime.date) -> bool:
        """Whether a message of local date ``day`` matches (negation included)."""
        inside = (self.start is None or day >= self.start) and (self.end is None or day < self.end)
        return inside != self.negated


Term = TextTerm | FlagTerm | FolderTerm | DateTerm


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]  # all must hold (AND); empty = everything
    source: str

    @property
    def is_empty(self) -> bool:
        return not self.terms


# --- errors -------------------------------------------------------------------

# The texts (context "SearchQuery"; one literal each so that lupdate extracts them).
MSG_UNCLOSED_QUOTE = QT_TRANSLATE_NOOP("SearchQuery", "A quotation mark is not closed: add the closing \".")
MSG_EMPTY_QUOTES = QT_TRANSLATE_NOOP("SearchQuery", "There is nothing between the quotation marks.")
MSG_LONE_MINUS = QT_TRANSLATE_NOOP(
    "SearchQuery", "A minus sign must be followed by the word or operator to exclude (for example -ประชุม)."
)
MSG_UNKNOWN_OPERATOR = QT_TRANSLATE_NOOP(
    "SearchQuery",
    "Unknown search operator \"{operator}:\". Known operators: from: to: cc: subject: has: is: folder: after: before: date:. To search for the text itself, put it in quotation marks.",  # noqa: E501
)
MSG_EMPTY_VALUE = QT_TRANSLATE_NOOP(
    "SearchQuery", "\"{operator}:\" needs a value right after the colon, for example {example}."
)
MSG_UNKNOWN_HAS = QT_TRANSLATE_NOOP("SearchQuery", "\"has:{value}\" is not known. Use has:attachment.")
MSG_UNKNOWN_IS = QT_TRANSLATE_NOOP(
    "SearchQuery", "\"is:{value}\" is not known. Use is:unread, is:read, is:flagged, is:urgent or is:secret."
)
MSG_BAD_DATE = QT_TRANSLATE_NOOP(
    "SearchQuery",
    "\"{value}\" is not a date. Write for example 1/10/2568, 2025-10-01, ต.ค.2568, \"1 ตุลาคม 2568\", Oct 2025 or 2568.",
)
MSG_NO_SUCH_DAY = QT_TRANSLATE_NOOP("SearchQuery", "There is no such day: \"{value}\".")
MSG_SHORT_YEAR = QT_TRANSLATE_NOOP(
    "SearchQuery", "Write the year in full in \"{value}\" (for example 2568 or 2025, not 68 or 25)."
)
MSG_YEAR_RANGE = QT_TRANSLATE_NOOP(
    "SearchQuery",
    "The year in \"{value}\" is out of range: years from 2400 are Buddhist era (พ.ศ.), earlier ones Christian era (ค.ศ.).",  # noqa: E501
)


MSG_TOO_MANY_TERMS = QT_TRANSLATE_NOOP(
    "SearchQuery", "The search has too many terms: at most {limit}. Remove some words or operators."
)

#: Terms in one query at most: each becomes a condition of the index's SQL (SQLite refuses an
#: expression deeper than 1,000) and a key of the server's UID SEARCH.
MAX_TERMS = 100


class QueryError(ValueError):
    """A malformed query.

    ``message`` is the translatable :class:`Msg`; ``text`` its English text
    (also ``str(err)``); ``user_text(lang)`` the text in the UI's language.
    ``position``/``length`` mark the bad part of the source (characters).
    """

    def __init__(self, message: Msg, position: int, length: int) -> None:
        self.message = message
        self.text = message.text("en")
        self.position = max(0, position)
        self.length = max(1, length)
        super().__init__(self.text)

    def user_text(self, lang: str | None = None) -> str:
        return self.message.text(lang)


# --- tokens -------------------------------------------------------------------

_QUOTES = "\"\u201c\u201d"
_EXTRA_SPACES = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width: Thai text uses U+200B as a word break

_TEXT_FIELDS: dict[str, TextField] = {
    "from": "from", "to": "to", "cc": "cc", "subject": "subject",
}
_FOLDER_OPS = ("folder", "in")
_DATE_OPS = ("after", "before", "date")
_OPERATORS = frozenset((*_TEXT_FIELDS, "has", "is", *_FOLDER_OPS, *_DATE_OPS))
_OPERATOR_RE = re.compile(r"([A-Za-z]{2,12}):")

_HAS_VALUES: dict[str, FlagName] = {"attachment": "attachment", "attachments": "attachment"}
#: is:X → (flag, inverted)
_IS_VALUES: dict[str, tuple[FlagName, bool]] = {
    "unread": ("unread", False), "read": ("unread", True),
    "flagged": ("flagged", False), "starred": ("flagged", False),
    "urgent": ("urgent", False), "secret": ("secret", False),
}
_EXAMPLES = {
    "from": "from:somchai@example.go.th", "to": "to:สมศรี", "cc": "cc:สารบรรณ",
    "subject": "subject:งบประมาณ", "has": "has:attachment", "is": "is:unread",
    "folder": "folder:Inbox", "in": "in:Inbox", "after": "after:1/10/2568",
    "before": "before:1/10/2568", "date": "date:ต.ค.2568",
}


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in _EXTRA_SPACES


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and _is_space(self.text[self.pos]):
            self.pos += 1

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_quote(self) -> bool:
        return self.pos < len(self.text) and self.text[self.pos] in _QUOTES

    def quoted(self) -> tuple[str, int, int]:
        """Read "..." at pos: (content, start of the opening quote, end after the closing one)."""
        start = self.pos
        i = start + 1
        while i < len(self.text) and self.text[i] not in _QUOTES:
            i += 1
        if i >= len(self.text):
            raise QueryError(MSG_UNCLOSED_QUOTE, start, len(self.text) - start)
        self.pos = i + 1
        return self.text[start + 1:i], start, self.pos

    def bare(self) -> str:
        """Read up to white space or a quotation mark."""
        start = self.pos
        while self.pos < len(self.text) and not _is_space(self.text[self.pos]) \
                and self.text[self.pos] not in _QUOTES:
            self.pos += 1
        return self.text[start:self.pos]


def parse_query(text: str, *, today: datetime.date | None = None) -> Query:
    """Parse a query; raises :class:`QueryError` (and nothing else) on malformed input."""
    today = today or datetime.date.today()
    sc = _Scanner(text)
    terms: list[Term] = []
    while True:
        sc.skip_spaces()
        if sc.at_end():
            break
        term_start = sc.pos
        if len(terms) >= MAX_TERMS:
            raise QueryError(MSG_TOO_MANY_TERMS.format(limit=MAX_TERMS), term_start, len(text) - term_start)
        negated = False
        if sc.peek() == "-":
            sc.pos += 1
            if sc.at_end() or _is_space(sc.peek()):
                raise QueryError(MSG_LONE_MINUS, term_start, 1)
            negated = True
        start = sc.pos
        if sc.at_quote():
            content, q_start, q_end = sc.quoted()
            if not content.strip("".join(_EXTRA_SPACES) + " \t\r\n"):
                raise QueryError(MSG_EMPTY_QUOTES, q_start, q_end - q_start)
            terms.append(TextTerm(content, "any", phrase=True, negated=negated))
            continue
        m = _OPERATOR_RE.match(text, start)
        if m is not None:
            op = m.group(1).lower()
            rest = text[m.end():m.end() + 2]
            if op not in _OPERATORS:
                if rest.startswith("/"):  # a URL or path (http://...): plain text
                    word = sc.bare()
                    terms.append(TextTerm(word, "any", phrase=False, negated=negated))
                    continue
                raise QueryError(MSG_UNKNOWN_OPERATOR.format(operator=m.group(1)), start, m.end() - start)
            sc.pos = m.end()
            value_start = sc.pos
            if sc.at_quote():
                value, q_start, q_end = sc.quoted()
                quoted = True
                if not value.strip():
                    raise QueryError(
                        MSG_EMPTY_VALUE.format(operator=m.group(1), example=_EXAMPLES[op]),
                        start, q_end - start,
                    )
            else:
                value = sc.bare()
                quoted = False
                if not value:
                    raise QueryError(
                        MSG_EMPTY_VALUE.format(operator=m.group(1), example=_EXAMPLES[op]),
                        start, m.end() - start,
                    )
            terms.append(_operator_term(op, value, quoted, negated, value_start, sc.pos, today))
            continue
        word = sc.bare()
        terms.append(TextTerm(word, "any", phrase=False, negated=negated))
    return Query(tuple(terms), text)


def _operator_term(
    op: str, value: str, quoted: bool, negated: bool, vstart: int, vend: int, today: datetime.date
) -> Term:
    if op in _TEXT_FIELDS:
        return TextTerm(value, _TEXT_FIELDS[op], phrase=quoted, negated=negated)
    if op in _FOLDER_OPS:
        return FolderTerm(value, negated)
    key = value.strip().casefold()
    if op == "has":
        if key not in _HAS_VALUES:
            raise QueryError(MSG_UNKNOWN_HAS.format(value=value), vstart, vend - vstart)
        return FlagTerm(_HAS_VALUES[key], negated)
    if op == "is":
        if key not in _IS_VALUES:
            raise QueryError(MSG_UNKNOWN_IS.format(value=value), vstart, vend - vstart)
        name, inverted = _IS_VALUES[key]
        return FlagTerm(name, negated != inverted)
    try:
        start, end = parse_date_range(value, today=today)
    except _DateProblem as problem:
        raise QueryError(problem.msg.format(value=value), vstart, vend - vstart) from None
    if op == "after":
        return DateTerm(start, None, negated)
    if op == "before":
        return DateTerm(None, start, negated)
    return DateTerm(start, end, negated)


# --- dates --------------------------------------------------------------------


class _DateProblem(Exception):
    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.source)
        self.msg = msg


_ERA_RE = re.compile(r"(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|\bB\.?E\.?|\bA\.?D\.?|\bC\.?E\.?)", re.IGNORECASE)
_NUMERIC_RE = re.compile(r"^(\d{1,4})([/.\-])(\d{1,2})(?:\2(\d{1,4}))?$")
_MONTH_YEAR_RE = re.compile(r"^(\d{1,2})[/.\-](\d{3,4})$")
_YEAR_RE = re.compile(r"^(\d{1,4})$")
_NAMED_RE = re.compile(r"^(\d{1,2})?[\s\-/.,]*([^\d]+?)[\s\-/.,]*(\d{1,4})?$")
#: The longest date value read ("1 กุมภาพันธ์ พ.ศ. 2568" is 23 characters).
MAX_DATE_CHARS = 40
_RELATIVE = {
    "today": 0, "วันนี้": 0, "yesterday": 1, "เมื่อวาน": 1, "เมื่อวานนี้": 1,
}


def _month_key(name: str) -> str:
    """Compare month names without dots, spaces or case: "ต.ค." = "ตค" = "ต.ค"."""
    return re.sub(r"[\s.]", "", name).casefold()


@functools.cache
def _month_table() -> dict[str, int]:
    """Month names → number, from the one table in i18n.thai_dates (both languages, both widths)."""
    table: dict[str, int] = {}
    for lang in ("th", "en"):
        for width in ("abbreviated", "wide"):
            names = month_names(lang, width)
            for number in range(1, 13):
                table[_month_key(names[number])] = number
    table["sept"] = 9
    return table


def _year(raw: str, era: str | None) -> int:
    if len(raw) < 4:
        raise _DateProblem(MSG_SHORT_YEAR)
    year = int(raw)
    if era == "be" or (era is None and year >= 2400):
        year -= BUDDHIST_ERA_OFFSET
    if not 1000 <= year <= 9000:
        raise _DateProblem(MSG_YEAR_RANGE)
    return year


def _day(year: int, month: int, day: int) -> tuple[datetime.date, datetime.date]:
    try:
        d = datetime.date(year, month, day)
    except ValueError:
        raise _DateProblem(MSG_NO_SUCH_DAY) from None
    return d, d + datetime.timedelta(days=1)


def _month(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    if not 1 <= month <= 12:
        raise _DateProblem(MSG_NO_SUCH_DAY)
    start = datetime.date(year, month, 1)
    end = datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)
    return start, end


def parse_date_range(value: str, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A day, month or year as the half-open range [start, end). Raises _DateProblem."""
    v = to_arabic_digits(value).strip()
    if len(v) > MAX_DATE_CHARS:  # no date is this long (and the patterns stay linear)
        raise _DateProblem(MSG_BAD_DATE)
    era: str | None = None
    m = _ERA_RE.search(v)
    if m is not None:
        era = "be" if m.group(0).lstrip().startswith(("พ", "B", "b")) else "ce"
        v = (v[:m.start()] + " " + v[m.end():]).strip()
    v = re.sub(r"\s+", " ", v)
    key = v.casefold()
    if key in _RELATIVE and era is None:
        return _day_range(today - datetime.timedelta(days=_RELATIVE[key]))
    if m := _YEAR_RE.match(v):
        year = _year(m.group(1), era)
        return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    if m := _MONTH_YEAR_RE.match(v):
        return _month(_year(m.group(2), era), int(m.group(1)))
    if m := _NUMERIC_RE.match(v):
        first, _, middle, last = m.groups()
        if len(first) >= 3:  # year first: 2025-10-01, 2568/10/01, 2025-10
            year = _year(first, era)
            if last is None:
                return _month(year, int(middle))
            return _day(year, int(middle), int(last))
        year = _year(last, era) if last is not None else today.year
        return _day(year, int(middle), int(first))
    if m := _NAMED_RE.match(v):
        day_raw, name, year_raw = m.groups()
        month = _month_table().get(_month_key(name))
        if month is None:
            raise _DateProblem(MSG_BAD_DATE)
        year = _year(year_raw, era) if year_raw is not None else today.year
        if day_raw is None:
            return _month(year, month)
        return _day(year, month, int(day_raw))
    raise _DateProblem(MSG_BAD_DATE)


def _day_range(d: datetime.date) -> tuple[datetime.date, datetime.date]:
    return d, d + datetime.timedelta(days=1)
