"""Invisible characters that can reorder or hide what is shown: the one list.

Every Unicode format character (general category Cf: bidi embeddings, overrides and
isolates, directional marks, zero-width space/joiners, word joiner and the invisible
operators, soft hyphen, BOM, interlinear annotation, tags, ...) plus the characters that
are not Cf but show as nothing: the Hangul fillers and the Khmer inherent vowels.

Used for attachment names (``policy.attachments``: a name holding one is flagged and the
character shown as ``<U+202E>``), sender names and addresses (``mime.addresses``: removed
and flagged), file names made from a subject (``mime.reply``) and exported headers.
``tests/unit/core/test_hidden_chars.py`` checks the table against this Python's Unicode
database, so a new format character in a later Unicode version is noticed.

No Qt, no I/O.
"""

from __future__ import annotations

import re

#: Inclusive code point ranges.
HIDDEN_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x0600, 0x0605),  # Arabic number signs (Cf)
    (0x061C, 0x061C),  # Arabic letter mark
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),  # Hangul fillers (Lo, shown as nothing)
    (0x17B4, 0x17B5),  # Khmer inherent vowels (Mn, shown as nothing)
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero width space, non-joiner, joiner; LRM, RLM
    (0x202A, 0x202E),  # LRE RLE PDF LRO RLO
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # LRI RLI FSI PDI, deprecated format characters
    (0x3164, 0x3164),  # Hangul filler
    (0xFEFF, 0xFEFF),  # BOM / zero width no-break space
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE007F),  # tags
)

HIDDEN_CHARS: frozenset[str] = frozenset(
    chr(code) for first, last in HIDDEN_RANGES for code in range(first, last + 1)
)

#: The body of a regular-expression character class matching :data:`HIDDEN_CHARS`.
HIDDEN_CLASS = "".join(
    re.escape(chr(first)) if first == last else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
    for first, last in HIDDEN_RANGES
)

HIDDEN_RE = re.compile(f"[{HIDDEN_CLASS}]")
