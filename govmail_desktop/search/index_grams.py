"""The grams the search index stores and looks up (pure string work, no SQLite).

A folded text (:func:`search.fold.fold`) is written as UTF-16 code units, each as four
hex digits (``ก`` → ``0e01``; a character outside the BMP is its two surrogate units).
The index keeps, per message, the *set* of its 1-, 2- and 3-unit grams as tokens of
4, 8 and 12 hex digits — plain ASCII words that SQLite's FTS5 ``unicode61``
tokenizer keeps whole — so that:

* a term of 1, 2 or 3 units is found by the one token equal to it: exact, no false
  positives and no false negatives, whatever the script (Thai has no word breaks);
* a longer term needs all of a set of its trigrams (covering the term) and is then
  confirmed against the stored text (:func:`needs_check`).

Fields are joined by a newline, which :func:`~search.fold.fold` never leaves in a
text or a term, so no gram of a term spans two fields.

The index removes a message by writing the same tokens again (a contentless FTS5 table
keeps no text): they are made from the folded text it stored, never folded anew. A
change to how tokens are made (or to :func:`~search.fold.fold`) needs a new
``search.index.INDEX_VERSION``, so that old files are built again.
"""

from __future__ import annotations

import operator
import re

FIELD_SEPARATOR = "\n"
_UNIT = 4  # hex digits per UTF-16 code unit
_UNITS = re.compile("....", re.S)


def units(folded: str) -> str:
    """The hex form of a folded text: four hex digits per UTF-16 code unit."""
    return folded.encode("utf-16-be").hex()


def text_tokens(folded: str) -> str:
    """The distinct 1-, 2- and 3-unit grams of a folded text, space-separated (FTS5 input)."""
    one = _UNITS.findall(units(folded))
    two = list(map(operator.add, one, one[1:]))
    grams = set(one)
    grams.update(two)
    grams.update(map(operator.add, two, one[2:]))
    return " ".join(grams)


def unit_count(folded: str) -> int:
    return len(units(folded)) // _UNIT


def term_tokens(folded_term: str) -> list[str]:
    """The tokens a message must have for ``folded_term`` to occur in it.

    Up to three units: the term itself. Longer: the trigrams at units 0, 3, 6, … and
    the last one, which together cover every unit of the term.
    """
    h = units(folded_term)
    n = len(h) // _UNIT
    if n == 0:
        return []
    if n <= 3:
        return [h]
    starts = list(range(0, n - 2, 3))
    if starts[-1] != n - 3:
        starts.append(n - 3)
    return list(dict.fromkeys(h[s * _UNIT : (s + 3) * _UNIT] for s in starts))


def needs_check(folded_term: str) -> bool:
    """True when the tokens of the term only suggest it (longer than three units): the
    stored text must confirm each candidate."""
    return unit_count(folded_term) > 3


def match_expression(tokens: list[str]) -> str:
    """An FTS5 MATCH expression requiring every token."""
    return " AND ".join(f'"{t}"' for t in tokens)
