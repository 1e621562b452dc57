"""A compact, immutable set of IMAP UIDs kept as sorted inclusive ranges.

A folder of 100,000 messages whose UIDs are mostly contiguous is a handful of
ranges instead of 100,000 Python ints; it prints as an IMAP sequence set
(``1:4999,5001:100000``) for QRESYNC's known-UIDs and UID FETCH/EXPUNGE.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator


class UidSet:
    """Sorted, merged, inclusive ranges ``[(first, last), ...]`` of UIDs (all ≥ 1)."""

    __slots__ = ("_starts", "_ends", "_len")

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[list[int]] = []
        for first, last in sorted((min(a, b), max(a, b)) for a, b in ranges):
            if first < 1:
                raise ValueError(f"UIDs start at 1, got {first}")
            if merged and first <= merged[-1][1] + 1:
                if last > merged[-1][1]:
                    merged[-1][1] = last
            else:
                merged.append([first, last])
        self._starts = [r[0] for r in merged]
        self._ends = [r[1] for r in merged]
        self._len = sum(e - s + 1 for s, e in zip(self._starts, self._ends, strict=True))

    @classmethod
    def from_sorted(cls, uids: Iterable[int]) -> UidSet:
        """Build from ascending UIDs (duplicates allowed) in one pass."""
        ranges: list[tuple[int, int]] = []
        start = prev = None
        for uid in uids:
            if prev is not None and uid <= prev + 1:
                prev = max(prev, uid)
                continue
            if start is not None:
                ranges.append((start, prev))  # type: ignore[arg-type]
            start = prev = uid
        if start is not None:
            ranges.append((start, prev))  # type: ignore[arg-type]
        return cls(ranges)

    @classmethod
    def of(cls, uids: Iterable[int]) -> UidSet:
        return cls.from_sorted(sorted(uids))

    @classmethod
    def from_imap(cls, text: str) -> UidSet:
        """Parse ``1:5,7,9:12`` (no ``*``: a cache only holds known UIDs)."""
        ranges = []
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            if ":" in item:
                a, b = item.split(":", 1)
                ranges.append((int(a), int(b)))
            else:
                ranges.append((int(item), int(item)))
        return cls(ranges)

    @property
    def ranges(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))

    def to_imap(self) -> str:
        return ",".join(f"{s}" if s == e else f"{s}:{e}" for s, e in zip(self._starts, self._ends, strict=True))

    def __contains__(self, uid: object) -> bool:
        if not isinstance(uid, int):
            return False
        i = bisect_right(self._starts, uid) - 1
        return i >= 0 and uid <= self._ends[i]

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self) -> Iterator[int]:
        for s, e in zip(self._starts, self._ends, strict=True):
            yield from range(s, e + 1)

    def descending_chunks(self, sizes: Iterable[int]) -> Iterator[UidSet]:
        """The UIDs, highest first, in chunks of the next size each (the last one may be
        smaller): a walk over the ranges, never a list of every UID (a full sync of a
        1,000,000-message folder holds only its current chunk)."""
        i = len(self._starts) - 1
        top = self._ends[i] if i >= 0 else 0
        for size in sizes:
            if i < 0:
                return
            size = max(1, size)
            ranges: list[tuple[int, int]] = []
            while size and i >= 0:
                low = max(self._starts[i], top - size + 1)
                ranges.append((low, top))
                size -= top - low + 1
                top = low - 1
                if top < self._starts[i]:
                    i -= 1
                    top = self._ends[i] if i >= 0 else 0
            yield UidSet(reversed(ranges))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UidSet):
            return NotImplemented
        return self._starts == other._starts and self._ends == other._ends

    def __hash__(self) -> int:
        return hash((tuple(self._starts), tuple(self._ends)))

    def __repr__(self) -> str:
        text = self.to_imap()
        return f"UidSet({text[:60]}{'…' if len(text) > 60 else ''})"

    @property
    def min(self) -> int | None:
        return self._starts[0] if self._starts else None

    @property
    def max(self) -> int | None:
        return self._ends[-1] if self._ends else None

    def union(self, other: UidSet) -> UidSet:
        return UidSet(self.ranges + other.ranges)

    def difference(self, other: UidSet) -> UidSet:
        """UIDs here and not in ``other`` (e.g. known locally, gone on the server)."""
        out: list[tuple[int, int]] = []
        others = other.ranges
        j = 0
        for s, e in zip(self._starts, self._ends, strict=True):
            cur = s
            while j < len(others) and others[j][1] < cur:
                j += 1
            k = j
            while k < len(others) and others[k][0] <= e:
                os_, oe = others[k]
                if os_ > cur:
                    out.append((cur, os_ - 1))
                cur = max(cur, oe + 1)
                if cur > e:
                    break
                k += 1
            if cur <= e:
                out.append((cur, e))
        return UidSet(out)

    def __sub__(self, other: UidSet) -> UidSet:
        return self.difference(other)

    def __or__(self, other: UidSet) -> UidSet:
        return self.union(other)
