"""The per-user list of senders whose remote images load without asking (store/remote_senders.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govmail_desktop.store.remote_senders import FILE_NAME, MAX_SENDERS, RemoteSenders


def test_added_senders_are_kept_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    senders = RemoteSenders.load(path)
    senders.add("Somchai@Example.go.th")
    senders.add("news@ตัวอย่าง.ไทย")
    senders.flush()
    senders.close()

    again = RemoteSenders.load(path)
    assert again.allows("somchai@example.go.th")
    assert again.allows("SOMCHAI@EXAMPLE.GO.TH")
    assert again.allows("news@ตัวอย่าง.ไทย")
    assert not again.allows("other@example.go.th")
    assert again.addresses() == sorted(["somchai@example.go.th", "news@ตัวอย่าง.ไทย"])
    assert again.problems == []


def test_a_removed_sender_stays_removed_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    senders = RemoteSenders.load(path)
    senders.add("a@example.go.th")
    senders.add("b@example.go.th")
    assert senders.remove("A@example.go.th")
    assert not senders.remove("nobody@example.go.th")
    senders.flush()
    assert RemoteSenders.load(path).addresses() == ["b@example.go.th"]


@pytest.mark.linux_only  # permission bits
def test_the_file_is_private_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "data" / FILE_NAME
    senders = RemoteSenders.load(path)
    senders.add("a@example.go.th")
    senders.flush()
    assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"\x00\xff\xfe garbage",
        b'["a list, not an object"]',
        b'{"version": 1, "senders": "not a list"}',
        b'{"version": 99, "senders": []}',
    ],
    ids=["broken-json", "binary", "wrong-top-level", "wrong-senders", "future-version"],
)
def test_a_damaged_file_is_kept_aside_and_the_list_starts_empty(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(damage)
    senders = RemoteSenders.load(path)
    assert senders.addresses() == []
    assert senders.problems, "the damage is reported"
    aside = list(tmp_path.glob(FILE_NAME + ".broken*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damage
    # The list works again and is written afresh.
    senders.add("a@example.go.th")
    senders.flush()
    assert RemoteSenders.load(path).addresses() == ["a@example.go.th"]


def test_bad_entries_are_skipped_and_the_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(
        json.dumps(
            {"version": 1, "senders": [{"address": "ok@example.go.th"}, {"address": 5}, "x", {"address": "no-at"}]}
        ),
        encoding="utf-8",
    )
    senders = RemoteSenders.load(path)
    assert senders.addresses() == ["ok@example.go.th"]
    assert senders.problems


def test_an_address_that_is_not_one_is_refused(tmp_path: Path) -> None:
    senders = RemoteSenders.load(tmp_path / FILE_NAME)
    for bad in ("", "no-at-sign", "a@", "@example.go.th", "a b@example.go.th", "a@exa\nmple.go.th"):
        with pytest.raises(ValueError):
            senders.add(bad)
        assert not senders.allows(bad)
    assert senders.addresses() == []


def test_the_list_is_bounded(tmp_path: Path) -> None:
    senders = RemoteSenders.load(tmp_path / FILE_NAME)
    for i in range(MAX_SENDERS + 5):
        senders.add(f"s{i}@example.go.th")
    assert len(senders.addresses()) == MAX_SENDERS
    assert senders.allows(f"s{MAX_SENDERS + 4}@example.go.th"), "the newest is kept, the oldest dropped"
    assert not senders.allows("s0@example.go.th")


def test_a_failed_write_is_reported_and_the_list_in_memory_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    errors: list[BaseException] = []
    senders = RemoteSenders.load(blocker / FILE_NAME, on_error=errors.append)
    senders.add("a@example.go.th")
    senders.flush()
    assert errors and senders.allows("a@example.go.th")
