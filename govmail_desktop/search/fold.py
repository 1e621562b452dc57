"""The one normaliser and matcher of search: the index, the query, the quick filter,
highlighting and the brute-force tests all go through :func:`fold`.

``fold(text)`` is the *search form* of a text. Two texts a reader would call the
same word fold to the same string:

* **Unicode compatibility forms** (NFKC per character: full-width ``Ａ`` → ``a``,
  ligatures, superscript digits);
* **Latin** case-folded (``ß`` → ``ss``) and accents stripped (``é`` → ``e``), typed
  composed or decomposed;
* **digits across scripts**: Thai digits become Arabic (``๒๕๖๙`` → ``2569``);
* **Thai typing forms**: sara am typed as nikhahit + sara aa (``ํ`` ``า``) becomes
  ``ำ``; a tone mark typed after sara am moves in front of it (``กำ่`` → ``ก่ำ``);
  the marks above and below one consonant are put in one canonical order (below
  vowel, above vowel, tone mark, thanthakhat/yamakkan, nikhahit) and a mark typed
  twice counts once (``ก่่`` → ``ก่``); two sara e typed for sara ae (``เเ`` → ``แ``);
* **invisible characters** dropped (zero-width space — Thai text uses it as a word
  break —, joiners, soft hyphen, other format and control characters) and every
  whitespace run (newlines, no-break spaces) made one space, the ends trimmed.

Matching is plain substring matching of folded strings, so a Thai term of any
length matches inside running text (Thai has no spaces between words).

:func:`fold_map` gives the folded text and, for each folded character, the index
in the original text it came from; :func:`find_spans` uses it to return match spans
in the *original* text, widened to whole grapheme clusters (a Thai consonant is
never separated from its vowels and tone marks), for highlighting.

Both :func:`fold` (fast: ``str.translate`` and a few regular expressions, for the
indexer) and :func:`fold_map` run the same steps from the same tables, so they
always agree.

No Qt, no network, no disk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["find_spans", "fold", "fold_map", "is_cluster_continuation"]

_THAI_FIRST, _THAI_LAST = 0x0E00, 0x0E7F
_NIKHAHIT = "\u0e4d"
_SARA_AA = "\u0e32"
_SARA_AM = "\u0e33"
_SARA_E = "\u0e40"
_SARA_AE = "\u0e41"

#: Canonical order of the Thai marks written above/below one consonant.
_MARK_RANK = {
    **{chr(c): 0 for c in (0x0E38, 0x0E39, 0x0E3A)},  # below vowels ุ ู ฺ
    **{chr(c): 1 for c in (0x0E31, 0x0E34, 0x0E35, 0x0E36, 0x0E37, 0x0E47)},  # above vowels ั ิ ี ึ ื ็
    **{chr(c): 2 for c in range(0x0E48, 0x0E4C)},  # tone marks ่ ้ ๊ ๋
    "\u0e4c": 3,  # thanthakhat ์
    "\u0e4e": 3,  # yamakkan ๎
    _NIKHAHIT: 4,  # nikhahit ํ, last: it joins a following sara aa into sara am
}
_MARKS = "".join(sorted(_MARK_RANK))
_TONES = "\u0e48-\u0e4b"


def _is_thai(ch: str) -> bool:
    return _THAI_FIRST <= ord(ch) <= _THAI_LAST


def _fold_char(cp: int) -> str:
    """The folded form of one character (the translation table's entry)."""
    ch = chr(cp)
    if 0x0E50 <= cp <= 0x0E59:  # Thai digits
        return chr(cp - 0x0E50 + 0x30)
    if cp == ord(_SARA_AM):  # decomposed here, recomposed after the marks are ordered
        return _NIKHAHIT + _SARA_AA
    if _is_thai(ch):
        return ch
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf"):  # controls, zero-width space/joiners, soft hyphen, BOM
        return ""
    if category in ("Mn", "Me"):  # a combining accent on its own
        return ""
    out = []
    for c in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch)):
        if unicodedata.category(c) in ("Mn", "Me") and not _is_thai(c):
            continue
        out.append(c)
    folded = unicodedata.normalize("NFC", "".join(out)).casefold()
    # casefold may bring back a combining mark (İ → i̇); NFKC may give spaces/digits.
    folded = "".join(c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) not in ("Mn", "Me"))
    folded = unicodedata.normalize("NFC", folded)
    folded = "".join(" " if c.isspace() else c for c in folded)
    return folded


class _Table(dict[int, str]):
    """``str.translate`` table filled on first use of each character."""

    def __missing__(self, cp: int) -> str:
        value = _fold_char(cp)
        self[cp] = value
        return value


_TABLE = _Table()
for _cp in range(0x80):
    _TABLE[_cp] = _fold_char(_cp)


# -- the steps after the character table ---------------------------------------------------
# Each step is (pattern, rewrite): ``rewrite(match_text)`` gives the replacement and,
# per replacement character, the index inside the match it comes from. ``fold`` runs
# them with ``re.sub``; ``fold_map`` with ``finditer`` keeping the origins.

Rewrite = Callable[[str], tuple[str, tuple[int, ...]]]


def _tone_before_am(m: str) -> tuple[str, tuple[int, ...]]:
    # ํ า + tones → tones + ํ า
    n = len(m)
    return m[2:] + m[:2], (*range(2, n), 0, 1)


def _order_marks(m: str) -> tuple[str, tuple[int, ...]]:
    seen: set[str] = set()
    keep: list[int] = []
    for i in sorted(range(len(m)), key=lambda i: _MARK_RANK[m[i]]):
        if m[i] not in seen:
            seen.add(m[i])
            keep.append(i)
    return "".join(m[i] for i in keep), tuple(keep)


def _constant(replacement: str) -> Rewrite:
    def rewrite(m: str) -> tuple[str, tuple[int, ...]]:
        return replacement, (0,) * len(replacement)

    return rewrite


_STEPS: tuple[tuple[re.Pattern[str], Rewrite], ...] = (
    (re.compile(f"{_NIKHAHIT}{_SARA_AA}[{_TONES}]+"), _tone_before_am),
    (re.compile(f"[{_MARKS}]{{2,}}"), _order_marks),
    (re.compile(f"{_NIKHAHIT}{_SARA_AA}"), _constant(_SARA_AM)),
    (re.compile(f"{_SARA_E}{_SARA_E}"), _constant(_SARA_AE)),
    (re.compile(" {2,}"), _constant(" ")),
)

_cache: dict[Rewrite, dict[str, str]] = {rewrite: {} for _, rewrite in _STEPS}


def _fast(rewrite: Rewrite) -> Callable[[re.Match[str]], str]:
    memo = _cache[rewrite]

    def sub(match: re.Match[str]) -> str:
        text = match.group()
        found = memo.get(text)
        if found is None:
            found = rewrite(text)[0]
            if len(memo) < 4096:
                memo[text] = found
        return found

    return sub


_FAST_STEPS = tuple((pattern, _fast(rewrite)) for pattern, rewrite in _STEPS)


def fold(text: str) -> str:
    """The search form of ``text`` (see the module documentation)."""
    out = text.translate(_TABLE)
    for pattern, sub in _FAST_STEPS:
        out = pattern.sub(sub, out)
    return out.strip(" ")


def fold_map(text: str) -> tuple[str, list[int]]:
    """``(fold(text), origins)``: ``origins[i]`` is the index in ``text`` that folded
    character ``i`` came from."""
    chars: list[str] = []
    origins: list[int] = []
    for i, ch in enumerate(text):
        for c in _TABLE[ord(ch)]:
            chars.append(c)
            origins.append(i)
    current = "".join(chars)
    for pattern, rewrite in _STEPS:
        pieces: list[str] = []
        new_origins: list[int] = []
        last = 0
        for m in pattern.finditer(current):
            start, end = m.span()
            pieces.append(current[last:start])
            new_origins.extend(origins[last:start])
            replacement, sources = rewrite(m.group())
            pieces.append(replacement)
            new_origins.extend(origins[start + k] for k in sources)
            last = end
        if last == 0 and not pieces:
            continue
        pieces.append(current[last:])
        new_origins.extend(origins[last:])
        current, origins = "".join(pieces), new_origins
    start, end = 0, len(current)
    while start < end and current[start] == " ":
        start += 1
    while end > start and current[end - 1] == " ":
        end -= 1
    return current[start:end], origins[start:end]


def is_cluster_continuation(ch: str) -> bool:
    """True for a character that belongs to the grapheme cluster before it
    (UAX #29 Extend / SpacingMark / ZWJ, with Thai sara am as a spacing mark)."""
    if ch in (_SARA_AM, "\u0eb3", "\u200d"):  # ำ, Lao am, zero-width joiner
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def find_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Every occurrence of ``fold(term)`` in ``fold(text)`` as ``(start, end)`` in
    ``text``, widened to whole grapheme clusters; overlapping or touching spans merged."""
    needle = fold(term)
    if not needle:
        return []
    folded, origins = fold_map(text)
    spans: list[tuple[int, int]] = []
    pos = folded.find(needle)
    while pos >= 0:
        covered = origins[pos : pos + len(needle)]
        start, end = min(covered), max(covered) + 1
        while start > 0 and is_cluster_continuation(text[start]):
            start -= 1
        while end < len(text) and is_cluster_continuation(text[end]):
            end += 1
        spans.append((start, end))
        pos = folded.find(needle, pos + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
