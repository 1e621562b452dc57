"""Official markings of a message: urgency (ชั้นความเร็ว) and secrecy (ชั้นความลับ).

Writing (the outgoing message, :mod:`mime.outgoing`):

* **Subject.** The Thai words go in front of the subject, urgency first, then
  secrecy, separated by single spaces, without brackets or a colon::

      ด่วนที่สุด ลับ ที่ นร ๐๑๐๕/ว ๑๒๓ เรื่อง ...

  This is how agencies write them in e-mail subjects (and how the e-saraban
  systems and the sample letters in ``tests/data`` do); on paper the urgency is
  printed top left in red and the secrecy class top and bottom centre, so the
  urgency is read first. A marking already in the subject (in any form
  :func:`recognise` knows, also after ``Re:``/``Fwd:``) is taken out first,
  so nothing is ever doubled; the class chosen in the composer wins over one
  typed in the subject.
* **Headers** (:func:`marking_headers`), so every client shows something:

  - urgency as ``Importance: high``, ``Priority: urgent`` (RFC 2156) and
    ``X-Priority: 1 (Highest)`` for ด่วนที่สุด / ด่วนมาก, ``2 (High)`` for
    ด่วน (Outlook, Thunderbird and the Zimbra web client show these);
  - secrecy as ``Sensitivity: Company-Confidential`` (RFC 2156; Outlook shows
    its "Confidential" banner) — the only standard field for it, but with one
    value for all three classes;
  - the exact classes in our own fields ``X-GovMail-Urgency`` and
    ``X-GovMail-Secrecy`` (ASCII tokens: ``urgent``, ``very-urgent``,
    ``most-urgent``; ``confidential``, ``secret``, ``top-secret``), since
    neither standard field can tell the three classes apart.

Reading (:func:`recognise`, for the badges in the message list and preview):
the classes named by our own fields or by the subject prefix — the higher of
the two when both name one; failing both, the generic fields: a high
``Importance`` / ``X-Priority`` 1–2 / ``Priority: urgent`` is shown as ด่วน and
``Sensitivity: Company-Confidential`` as ลับ (the lowest class: another
client's "high priority" is not a Thai urgency class). Subject forms
recognised, at the start or after reply/forward prefixes, in any order::

    ด่วนที่สุด ลับ เรื่อง      [ด่วนมาก] เรื่อง      (ลับ) เรื่อง      [ด่วน/ลับมาก] เรื่อง
    ด่วน: เรื่อง              【ลับ】 เรื่อง

A word counts only as a whole word: "ด่วนมากๆ ช่วยดู" and "ลับเฉพาะ" are not
markings (Thai has no spaces between words, so the word must be followed by a
space, punctuation or the end).

``saraban@…`` addresses (:func:`is_official_address`): the central addresses
agencies use to exchange official documents (หนังสือราชการ).

No Qt, no network, no disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from govmail_desktop.core.compose import Secrecy, Urgency

#: Our own header fields, carrying the exact class.
URGENCY_FIELD = "X-GovMail-Urgency"
SECRECY_FIELD = "X-GovMail-Secrecy"
#: Every field :func:`recognise` reads (lower case): a caller fetching headers fetches these.
MARKING_FIELDS = (
    "x-govmail-urgency", "x-govmail-secrecy", "importance", "priority", "x-priority", "x-msmail-priority",
    "sensitivity",
)

_URGENCY_ORDER = {u: i for i, u in enumerate(Urgency)}
_SECRECY_ORDER = {s: i for i, s in enumerate(Secrecy)}

#: Thai words, longest first so that ด่วนที่สุด is not read as ด่วน.
_WORDS: tuple[tuple[str, Urgency | Secrecy], ...] = tuple(
    sorted(
        [(u.thai, u) for u in Urgency] + [(s.thai, s) for s in Secrecy],
        key=lambda pair: -len(pair[0]),
    )
)
_WORD_ALT = "|".join(re.escape(w) for w, _ in _WORDS)
#: After a marking word: a space, punctuation a prefix may end with, or the end.
_BOUNDARY = r"(?=[\s:：\-–—,;/!]|$)"
_BRACKETS = {"[": "]", "(": ")", "【": "】", "{": "}", "<": ">", "«": "»", "《": "》"}
_OPEN_ALT = "".join(re.escape(o) for o in _BRACKETS)
#: One bracket group of one or more marking words: "[ด่วนที่สุด ลับ]", "(ลับ)", "[ด่วน/ลับมาก]".
_BRACKETED = re.compile(
    rf"(?P<open>[{_OPEN_ALT}])\s*(?P<words>(?:{_WORD_ALT})(?:\s*[\s,/|+]\s*(?:{_WORD_ALT}))*)\s*(?P<close>[\]\)】}}>»》])"
    r"\s*[:：\-–—]?\s*"
)
#: One bare marking word, then its separator: "ด่วนที่สุด ", "ลับ: ", "ด่วน - ".
_BARE = re.compile(rf"(?P<words>{_WORD_ALT}){_BOUNDARY}\s*(?:[:：\-–—,/]\s*)?")
#: Reply and forward prefixes (English, German AW/WG, Nordic SV, French TR, Thai), with "Re[2]:" counts.
_PREFIX = re.compile(
    r"(?:re|aw|sv|fw|fwd|wg|tr|ตอบ\s*กลับ|ตอบ|ส่งต่อ)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*", re.IGNORECASE
)
_WORD_OF = dict(_WORDS)
_SPLIT_WORDS = re.compile(_WORD_ALT)


@dataclass(frozen=True)
class Markings:
    """What :func:`recognise` found; ``bare_subject`` is the subject without the marking words
    (reply/forward prefixes kept where they were)."""

    urgency: Urgency | None = None
    secrecy: Secrecy | None = None
    bare_subject: str = ""

    @property
    def marked(self) -> bool:
        return self.urgency is not None or self.secrecy is not None


def _higher_urgency(a: Urgency | None, b: Urgency | None) -> Urgency | None:
    if a is None or b is None:
        return a or b
    return a if _URGENCY_ORDER[a] >= _URGENCY_ORDER[b] else b


def _higher_secrecy(a: Secrecy | None, b: Secrecy | None) -> Secrecy | None:
    if a is None or b is None:
        return a or b
    return a if _SECRECY_ORDER[a] >= _SECRECY_ORDER[b] else b


def _split_subject(subject: str) -> tuple[Urgency | None, Secrecy | None, str]:
    """Markings at the start of ``subject`` (also between reply/forward prefixes), and the
    subject with them taken out."""
    text = subject.strip()
    urgency: Urgency | None = None
    secrecy: Secrecy | None = None
    kept: list[str] = []  # the reply/forward prefixes passed on the way, as written
    pos = 0
    while pos < len(text):
        match = _BRACKETED.match(text, pos) or _BARE.match(text, pos)
        if match:
            for word in _SPLIT_WORDS.findall(match.group("words")):
                mark = _WORD_OF[word]
                if isinstance(mark, Urgency):
                    urgency = _higher_urgency(urgency, mark)
                else:
                    secrecy = _higher_secrecy(secrecy, mark)
            pos = match.end()
            continue
        prefix = _PREFIX.match(text, pos)
        if prefix:
            kept.append(prefix.group(0).strip())
            pos = prefix.end()
            continue
        break
    if urgency is None and secrecy is None:
        return None, None, subject
    rest = text[pos:]
    bare = " ".join([*kept, rest]) if rest else " ".join(kept)
    return urgency, secrecy, bare.strip()


def mark_subject(subject: str, urgency: Urgency | None, secrecy: Secrecy | None) -> str:
    """``"ด่วนที่สุด ลับ " + subject``: the chosen classes in front, never doubled.

    A marking already in the subject is taken out (so the result never holds one twice);
    a class of a kind not chosen here but typed in the subject is kept. With nothing
    chosen the subject is returned as it is.
    """
    if urgency is None and secrecy is None:
        return subject
    typed_urgency, typed_secrecy, bare = _split_subject(subject)
    urgency = urgency or typed_urgency
    secrecy = secrecy or typed_secrecy
    words = [m.thai for m in (urgency, secrecy) if m is not None]
    return " ".join([*words, bare]) if bare else " ".join(words)


def marking_headers(urgency: Urgency | None, secrecy: Secrecy | None) -> tuple[tuple[str, str], ...]:
    """The header fields for these classes (none for an unmarked message)."""
    fields: list[tuple[str, str]] = []
    if urgency is not None:
        highest = urgency in (Urgency.MOST_URGENT, Urgency.VERY_URGENT)
        fields += [
            ("Importance", "high"),
            ("Priority", "urgent"),
            ("X-Priority", "1 (Highest)" if highest else "2 (High)"),
            (URGENCY_FIELD, urgency.value),
        ]
    if secrecy is not None:
        fields += [("Sensitivity", "Company-Confidential"), (SECRECY_FIELD, secrecy.value)]
    return tuple(fields)


HeaderLookup = Callable[[str], list[str]]


def _first(header: HeaderLookup, name: str) -> str:
    for value in header(name):
        text = str(value).strip()
        if text:
            return text
    return ""


def _own_urgency(value: str) -> Urgency | None:
    try:
        return Urgency(value.strip().lower())
    except ValueError:
        return None


def _own_secrecy(value: str) -> Secrecy | None:
    try:
        return Secrecy(value.strip().lower())
    except ValueError:
        return None


def _generic_urgency(header: HeaderLookup) -> Urgency | None:
    importance = _first(header, "importance").lower()
    priority = _first(header, "priority").lower()
    x_priority = _first(header, "x-priority")
    ms_priority = _first(header, "x-msmail-priority").lower()
    digit = re.match(r"\s*(\d)", x_priority)
    if (
        importance.startswith("high")
        or priority.startswith("urgent")
        or (digit is not None and digit.group(1) in "12")
        or ms_priority.startswith("high")
    ):
        return Urgency.URGENT
    return None


def recognise(subject: str, header: HeaderLookup | None = None) -> Markings:
    """The markings of a received message, from its header fields (``header(name)`` gives the
    values of a field by its lower-case name; None when only the subject is known, as in the
    message list) and its subject. See the module text for the rules."""
    urgency, secrecy, bare = _split_subject(subject or "")
    if header is not None:
        urgency = _higher_urgency(urgency, _own_urgency(_first(header, URGENCY_FIELD.lower())))
        secrecy = _higher_secrecy(secrecy, _own_secrecy(_first(header, SECRECY_FIELD.lower())))
        if urgency is None:
            urgency = _generic_urgency(header)
        if secrecy is None and _first(header, "sensitivity").lower().startswith("company-confidential"):
            secrecy = Secrecy.CONFIDENTIAL
    return Markings(urgency, secrecy, bare)


def header_lookup(fields: Iterable[tuple[str, str]]) -> HeaderLookup:
    """A :data:`HeaderLookup` over ``(name, value)`` pairs (names in any case)."""
    table: dict[str, list[str]] = {}
    for name, value in fields:
        table.setdefault(name.lower(), []).append(value)
    return lambda name: table.get(name.lower(), [])


def _default_internal(domain: str) -> bool:
    from govmail_desktop.policy.defaults import DEFAULT_POLICY_DATA

    for pattern in DEFAULT_POLICY_DATA.get("recipients", {}).get("internal_domains", ()):
        suffix = str(pattern).lower().lstrip("*").lstrip(".")
        if suffix and (domain == suffix or domain.endswith("." + suffix)):
            return True
    return False


_SARABAN = re.compile(r"saraban(?:[._+\-]?[a-z0-9]+)*\Z", re.IGNORECASE)


def is_official_address(email: str, is_internal: Callable[[str], bool] | None = None) -> bool:
    """Whether ``email`` is an agency's official-document address (สารบรรณ): a local part that
    starts with ``saraban`` (``saraban@``, ``saraban.dopa@``, ``saraban_moi@``) at a government
    domain. ``is_internal(address)`` decides what is government (pass the active
    ``RecipientPolicy.is_internal``; by default the built-in policy's ``go.th`` and below), so
    that ``saraban@gmail.com`` is not labelled official.
    """
    text = (email or "").strip()
    if text.endswith(">") and "<" in text:
        text = text[text.rindex("<") + 1 : -1].strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or not _SARABAN.match(local):
        return False
    if is_internal is not None:
        return bool(is_internal(text))
    return _default_internal(domain.lower().rstrip("."))


__all__ = [
    "MARKING_FIELDS",
    "SECRECY_FIELD",
    "URGENCY_FIELD",
    "HeaderLookup",
    "Markings",
    "header_lookup",
    "is_official_address",
    "mark_subject",
    "marking_headers",
    "recognise",
]
