"""No shared mutable globals on the row path: what a sync works out once
per distinct value lives in its own memo (``rows.RowMemo``), passed in, never in a module."""

from __future__ import annotations

import functools
import random
import types
import uuid
from pathlib import Path
from typing import Any

import pytest

from govmail_desktop.mime import addresses, charsets, dates, header_text, headers, parse
from govmail_desktop.net.imap import client, fetch, grammar, reader, text
from govmail_desktop.store import cache as cache_module
from govmail_desktop.store import keys, message_rows
from govmail_desktop.sync import convert, folder_sync, rows
from tests.unit.sync.test_list_matches_preview import _synced_rows

ROW_PATH = [rows, convert, folder_sync, charsets, dates, headers, parse, addresses, header_text, keys, cache_module,
            message_rows, fetch, reader, grammar, text, client]


def module_state(modules: list[types.ModuleType]) -> dict[str, Any]:
    """A copy of every mutable container and function cache a module holds at its top level."""
    state: dict[str, Any] = {}
    for module in modules:
        for name, value in vars(module).items():
            key = f"{module.__name__}.{name}"
            if isinstance(value, dict):
                state[key] = dict(value)
            elif isinstance(value, (list, bytearray)):
                state[key] = list(value)
            elif isinstance(value, set):
                state[key] = set(value)
            elif callable(getattr(value, "cache_info", None)):
                state[key] = value.cache_info().currsize
    return state


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _fresh_messages(n: int) -> list[tuple[str, bytes]]:
    """Messages no test has synced before (every value new: nothing can come from a table)."""
    rng = random.Random(uuid.uuid4().int)
    out = []
    for i in range(n):
        tag = uuid.uuid4().hex[:10]
        raw = (
            f"From: =?utf-8?Q?{tag}?= <{tag}@agency.go.th>\r\nTo: t{tag}@agency.go.th\r\n"
            f"Subject: =?iso-8859-1?Q?{tag}_=93{i}=94?=\r\n"
            f"Date: {rng.choice(['Mon', 'Tue'])}, {rng.randrange(1, 28)} Nov {rng.randrange(1990, 2030)} "
            f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} +0{rng.randrange(10)}00\r\n"
            f"Message-ID: <{tag}@x>\r\nContent-Type: application/{tag}\r\n\r\nbody\r\n"
        )
        out.append((tag, raw.encode("ascii")))
    return out


@pytest.mark.parametrize("layout", ["uid-first", "flags-first"])
def test_a_sync_leaves_no_trace_in_any_module(tmp_path, layout):
    messages = _fresh_messages(60)
    before = module_state(ROW_PATH)
    _synced_rows(tmp_path, messages, layout)
    for _, raw in messages[:5]:
        parse.parse_message(raw)
    assert changed(before, module_state(ROW_PATH)) == []


def test_the_guard_sees_a_module_that_remembers():
    """Planted: a module-level memo filled by a call is reported."""
    planted = types.ModuleType("planted_memo")
    seen: dict[bytes, int] = {}

    @functools.lru_cache(maxsize=64)
    def decode(value: bytes) -> str:
        seen[value] = 1
        return value.decode()

    vars(planted).update(_SEEN=seen, decode=decode)
    before = module_state([planted])
    decode(b"x")
    assert changed(before, module_state([planted])) == ["planted_memo._SEEN", "planted_memo.decode"]


def test_each_sync_has_its_own_memo_and_its_tables_stay_bounded():
    block = b"From: a@b.c\r\nSubject: s\r\nDate: Wed, 15 Nov 2023 05:14:20 +0700\r\n\r\n"
    line = b'* 1 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE "14-Nov-2023 22:14:20 +0000" RFC822.SIZE 9 %s {%d}\r\n' % (
        convert.HEADER_SECTION.encode(), len(block),
    )
    match = fetch.SUMMARY_ROW_RE.match(line)
    assert match is not None
    first, second = rows.RowMemo(), rows.RowMemo()
    row = rows.fast_row(first, 3, match, block)
    assert row is not None and (row.subject, row.from_addrs) == ("s", "\x1fa@b.c")
    assert first.subjects and first.senders and first.dates.header_days
    assert not second.subjects and not second.senders and not second.dates.header_days
    small = rows.RowMemo(limit=3)
    for i in range(10):
        small.remember(small.subjects, b"%d" % i, ("", ""))
    assert len(small.subjects) <= 3


def test_the_sync_makes_its_memo_per_run(tmp_path: Path, monkeypatch):
    made: list[rows.RowMemo] = []
    original = rows.RowMemo.__init__

    def counting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(rows.RowMemo, "__init__", counting)
    _synced_rows(tmp_path, _fresh_messages(3), "uid-first")
    _synced_rows(tmp_path / "again", _fresh_messages(3), "uid-first")
    assert len(made) == 2 and made[0] is not made[1] and made[0].senders and made[1].senders
