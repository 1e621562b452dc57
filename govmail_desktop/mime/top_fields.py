"""The top-level header fields a parse reads (one field grammar with the header sync:
:mod:`mime.headers`), message IDs of In-Reply-To / References, and the Date field.

Used by :func:`mime.parse.parse_message` (``message_ids`` is re-exported there). No Qt, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from govmail_desktop.i18n.timeutil import from_epoch
from govmail_desktop.mime.charsets import to_bytes, unfold
from govmail_desktop.mime.dates import parse_date
from govmail_desktop.mime.headers import ADDRESS_FIELDS, header_fields, header_section, occurrences


def top_fields(raw: bytes) -> Callable[[str], list[str]]:
    """``values(name)``: the values of a top-level header field as :func:`mime.headers.header_fields`
    gives them (unfolded, stripped; every occurrence of an address field, else the first),
    as strings with 8-bit bytes kept as surrogates for :func:`decode_words` / :func:`parse_addresses`."""
    fields = header_fields(header_section(raw))

    def values(name: str) -> list[str]:
        value = fields.get(name)
        if value is None:
            return []
        found = occurrences(value) if name in ADDRESS_FIELDS else [value]
        return [v.decode("ascii", "surrogateescape") for v in found]

    return values


#: A message ID as it stands in In-Reply-To / References: "<left@right>", no blanks inside.
_MESSAGE_ID = re.compile(r"<[^<>\s@]{1,250}@[^<>\s@]{1,250}>")
#: At most this many IDs are read from one References field (a hostile one may hold thousands).
MAX_REFERENCES = 500


def message_ids(values: list[str]) -> tuple[str, ...]:
    """The message IDs in In-Reply-To / References values, in order, each once (comments and
    anything that is not ``<id@domain>`` skipped)."""
    found: dict[str, None] = {}
    for value in values:
        for match in _MESSAGE_ID.finditer(value):
            if len(found) >= MAX_REFERENCES:
                break
            if match.group(0).isascii():
                found.setdefault(match.group(0), None)
    return tuple(found)


def first_date(values: list[str]) -> datetime | None:
    """The first Date field, read as the message list reads it (:func:`mime.dates.parse_date`
    of the unfolded, stripped value): ``-0000`` and zone names such as ``ICT`` give a date."""
    if not values:
        return None
    epoch = parse_date(to_bytes(unfold(values[0])).strip())
    if epoch is None:
        return None
    try:
        return from_epoch(epoch, UTC)
    except (OverflowError, OSError, ValueError):  # year 0 or 10000: no date rather than a crash
        return None
