"""Instants from Unix seconds, the same on every system (dates before 1970 included).

``datetime.fromtimestamp()`` asks the C library, and Windows' refuses negative times
(``OSError: [Errno 22]``): a message dated "1 Jan 1970 00:00 +0700" is -25200 seconds
and broke the message list and the preview there. :func:`from_epoch` is arithmetic
from the epoch instead. ``aware.astimezone()`` (the computer's zone) asks the same
C library: :func:`to_local` falls back to the zone's present offset where it refuses,
and so does :func:`to_epoch` for a naive (local) time, whose ``timestamp()`` asks it too.

This sits in the lowest layer (with the date formatting) so that every layer uses it;
nothing in the package calls ``fromtimestamp`` (a test checks the source).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

#: 1970-01-01 00:00 UTC.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def from_epoch(seconds: float, tz: tzinfo | None) -> datetime:
    """The aware datetime ``seconds`` after the epoch, in ``tz`` (None: the computer's zone).

    Raises OverflowError for seconds beyond the years 1..9999 (as ``fromtimestamp`` does).
    """
    moment = EPOCH + timedelta(seconds=seconds)
    return to_local(moment) if tz is None else moment.astimezone(tz)


def to_local(moment: datetime) -> datetime:
    """An aware ``moment`` in the computer's zone.

    Where the system cannot say what the zone was then (Windows, before 1970), the
    zone's present offset is used: right for Thailand, at most the daylight-saving hour
    off elsewhere, and never a crash.
    """
    try:
        return moment.astimezone()
    except (OSError, OverflowError, ValueError):
        return moment.astimezone(_present_local_zone())


def to_epoch(moment: datetime) -> float:
    """Unix seconds of ``moment``; a naive one is the computer's local time (Python's rule),
    taken at the zone's present offset where the system cannot say (Windows, before 1970)."""
    if moment.tzinfo is not None:
        return (moment - EPOCH).total_seconds()
    try:
        return moment.timestamp()
    except (OSError, OverflowError, ValueError):
        return (moment.replace(tzinfo=_present_local_zone()) - EPOCH).total_seconds()


def _present_local_zone() -> tzinfo:
    return datetime.now(UTC).astimezone().tzinfo or UTC
