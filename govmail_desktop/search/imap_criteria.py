"""A parsed query (:mod:`.query`) as IMAP SEARCH criteria, for the server part of a search.

The criteria are a sequence for ``ImapWire.uid_search_text``: ``bytes`` items are
search keys written here (``TEXT``, ``FROM``, ``NOT``, ``OR``, ``SENTSINCE``,
``1-Oct-2025``, parentheses), ``str`` items are the user's text. The wire sends
each text as a quoted string or a literal and checks every key as an atom, so no
text can turn into protocol (tests/unit/net/test_imap_search_text.py); here the
text is also cleaned (control characters and line breaks become spaces, space
runs one space).

Mapping (all terms AND, as IMAP does with a list of keys)::

    word / "phrase"       TEXT x                 (header and body)
    from: to: cc:         FROM x / TO x / CC x
    subject:              SUBJECT x
    is:unread             UNSEEN   (negated: SEEN)
    is:flagged            FLAGGED  (negated: UNFLAGGED)
    after:D               SENTSINCE D            (the message's own Date, as the list shows)
    before:D              SENTBEFORE D
    date:D                SENTON D for one day, else SENTSINCE start SENTBEFORE end
    -term                 NOT term (a negated range: NOT (SENTSINCE a SENTBEFORE b))

A server compares text without the app's folding (:mod:`.fold`), so a text is
sent in the forms a Thai message may hold it in: Thai and Arabic digits
(``2569`` / ``๒๕๖๙``) and sara am composed or typed as nikhahit + sara aa
(``ำ`` / ``ํา``), joined by ``OR`` (at most four forms). The server's own case
rules apply (IMAP servers compare case-insensitively).

What IMAP cannot ask — ``has:attachment``, ``is:urgent``, ``is:secret`` — is left
to :attr:`ServerCriteria.local_terms`: the caller checks those on the found
messages' headers. ``folder:`` terms choose the folders searched
(:attr:`ServerCriteria.folders`) and are not criteria.

``CHARSET UTF-8`` is asked only when some text is not ASCII (every server must
take US-ASCII; a server that refuses UTF-8 says BADCHARSET, see
``net.imap.client.SearchCharsetRefused``).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from govmail_desktop.i18n.thai_dates import to_arabic_digits, to_thai_digits
from govmail_desktop.search.query import DateTerm, FlagTerm, FolderTerm, Query, Term, TextTerm

Criterion = bytes | str

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FIELD_KEYS = {"any": b"TEXT", "from": b"FROM", "to": b"TO", "cc": b"CC", "subject": b"SUBJECT"}
#: Flags IMAP can search: (key when set, key when negated).
_FLAG_KEYS = {"unread": (b"UNSEEN", b"SEEN"), "flagged": (b"FLAGGED", b"UNFLAGGED")}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_SARA_AM = "\u0e33"
_NIKHAHIT_AA = "\u0e4d\u0e32"
#: Most forms of one text sent (digits × sara am).
MAX_FORMS = 4


@dataclass(frozen=True)
class ServerCriteria:
    keys: tuple[Criterion, ...]
    #: "UTF-8" when a text is not ASCII, else None (US-ASCII, the default every server takes).
    charset: str | None
    #: Terms the server cannot check (has:attachment, is:urgent, is:secret): the caller
    #: checks them on the headers of what the server found.
    local_terms: tuple[Term, ...]
    #: folder: terms (they choose folders, they are not criteria).
    folders: tuple[FolderTerm, ...]


def imap_date(day: datetime.date) -> bytes:
    """``1-Oct-2025`` (IMAP date: English month abbreviations whatever the locale)."""
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}".encode("ascii")


def clean_text(text: str) -> str:
    """The text as sent: NFC, control characters and line breaks as spaces, one space per run."""
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def text_forms(text: str) -> list[str]:
    """The forms a message may hold ``text`` in (see the module text), the typed one first."""
    text = clean_text(text)
    digit_forms = [text]
    for form in (to_arabic_digits(text), to_thai_digits(to_arabic_digits(text))):
        if form not in digit_forms:
            digit_forms.append(form)
    forms = list(digit_forms)  # the digit forms first, then sara am the other way
    for form in digit_forms:
        for variant in (form.replace(_NIKHAHIT_AA, _SARA_AM), form.replace(_SARA_AM, _NIKHAHIT_AA)):
            if variant not in forms:
                forms.append(variant)
    return forms[:MAX_FORMS]


def _any_of(key: bytes, forms: list[str]) -> list[Criterion]:
    """``key f1`` or ``OR key f1 OR key f2 key f3`` ... (IMAP's OR takes two keys)."""
    if len(forms) == 1:
        return [key, forms[0]]
    return [b"OR", key, forms[0], *_any_of(key, forms[1:])]


def _grouped(keys: list[Criterion]) -> list[Criterion]:
    """One search key: a list of several keys goes in parentheses."""
    if len(keys) == 1 or keys[0] == b"OR" or (len(keys) == 2 and isinstance(keys[1], str)):
        return keys
    return [b"(", *keys, b")"]


def _text_keys(term: TextTerm) -> list[Criterion]:
    forms = text_forms(term.text)
    if not forms or not forms[0]:
        return []
    return _any_of(_FIELD_KEYS[term.field], forms)


def _date_keys(term: DateTerm) -> list[Criterion]:
    start, end = term.start, term.end
    if start is not None and end is not None and end - start == datetime.timedelta(days=1):
        return [b"SENTON", imap_date(start)]
    keys: list[Criterion] = []
    if start is not None:
        keys += [b"SENTSINCE", imap_date(start)]
    if end is not None:
        keys += [b"SENTBEFORE", imap_date(end)]
    return keys


def criteria_for(query: Query) -> ServerCriteria:
    """The server criteria of ``query`` (see the module text)."""
    keys: list[Criterion] = []
    local: list[Term] = []
    folders: list[FolderTerm] = []
    for term in query.terms:
        if isinstance(term, FolderTerm):
            folders.append(term)
            continue
        if isinstance(term, FlagTerm):
            if term.name not in _FLAG_KEYS:
                local.append(term)
                continue
            keys.append(_FLAG_KEYS[term.name][1 if term.negated else 0])
            continue
        part = _text_keys(term) if isinstance(term, TextTerm) else _date_keys(term)
        if not part:
            continue
        if term.negated:
            keys += [b"NOT", *_grouped(part)]
        else:
            keys += part
    if not keys:
        keys = [b"ALL"]
    return ServerCriteria(tuple(keys), _charset(keys), tuple(local), tuple(folders))


def _charset(keys: Iterable[Criterion]) -> str | None:
    return "UTF-8" if any(isinstance(k, str) and not k.isascii() for k in keys) else None


def needs_server(query: Query) -> bool:
    """Whether the server can find more than the cached headers do: the query looks for
    text that may be in a body (words and phrases without a field)."""
    return any(isinstance(t, TextTerm) and t.field == "any" for t in query.terms)
