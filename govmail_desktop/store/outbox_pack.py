"""One file for the bytes of an outbox message: the draft, the message, its Sent copy and
the attachments (``message.pack`` in the entry's directory).

Why one file: each file kept durably costs an fsync (and a directory of files one more);
the outbox writes a message at every Send, before anything goes to the network. One file
is written, fsync'd and renamed into place like any other (``write_pack``), so the
message is on disk for good with one fsync instead of one per part.

Format: a first line ``GOVMAIL-OUTBOX-PACK 1``, a second line with the JSON index
``[[name, offset, length], ...]`` (offsets from the end of that line), then the members'
bytes one after the other. A file that does not read back whole raises
:class:`PackDamaged` (never half a member).

No Qt, no network, no MIME.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from govmail_desktop.core.fileops import write_atomically

PACK_MAGIC = b"GOVMAIL-OUTBOX-PACK 1\n"
#: Longest index line read (a message has a handful of members; an attachment name is short).
MAX_INDEX_BYTES = 1 << 20


class PackDamaged(ValueError):
    """The pack does not read back whole (cut short, not a pack, a bad index)."""


def write_pack(path: Path, members: Sequence[tuple[str, bytes]]) -> None:
    """``members`` in ``path`` atomically: a temporary file written and fsync'd, then renamed
    over ``path``. The caller fsyncs the directory (once, for all it put there)."""
    write_atomically(path, lambda fh: _write(fh, members))


def write_pack_in_place(path: Path, members: Sequence[tuple[str, bytes]]) -> None:
    """``members`` over the existing file ``path`` (its name already on disk) from its start,
    its bytes ``fdatasync``'d; what the file held past them stays (a spare's zero bytes: the
    index says where the members end). Not atomic: a crash part-way leaves a pack that does
    not read back whole — for a file nothing depends on until this returns (a spare)."""
    with open(path, "r+b") as fh:
        _write(fh, members)
        sync = getattr(os, "fdatasync", None)
        (sync or os.fsync)(fh.fileno())


def members_crc(members: Sequence[tuple[str, bytes]]) -> int:
    """CRC-32 of the members' bytes, in order (does a pack written in place read back as written?)."""
    crc = 0
    for _name, data in members:
        crc = zlib.crc32(data, crc)
    return crc


def _write(fh: BinaryIO, members: Sequence[tuple[str, bytes]]) -> None:
    index: list[list[object]] = []
    offset = 0
    for name, data in members:
        index.append([name, offset, len(data)])
        offset += len(data)
    fh.write(PACK_MAGIC)
    fh.write(json.dumps(index, ensure_ascii=False).encode("utf-8") + b"\n")
    for _name, data in members:
        fh.write(data)
    fh.flush()


def _index(fh: BinaryIO, path: Path) -> tuple[list[tuple[str, int, int]], int]:
    if fh.readline(len(PACK_MAGIC)) != PACK_MAGIC:
        raise PackDamaged(f"{path.name}: not an outbox pack")
    line = fh.readline(MAX_INDEX_BYTES)
    if not line.endswith(b"\n"):
        raise PackDamaged(f"{path.name}: index cut short")
    try:
        raw = json.loads(line.decode("utf-8"))
        index = [(str(name), int(offset), int(length)) for name, offset, length in raw]
    except (UnicodeDecodeError, ValueError, TypeError) as exc:
        raise PackDamaged(f"{path.name}: bad index ({exc})") from None
    if any(offset < 0 or length < 0 for _name, offset, length in index):
        raise PackDamaged(f"{path.name}: bad index")
    return index, fh.tell()


def read_member(path: Path, name: str) -> bytes | None:
    """The bytes of member ``name`` (None: the pack has no such member). FileNotFoundError
    when there is no pack; PackDamaged when it does not read back whole."""
    with open(path, "rb") as fh:
        index, start = _index(fh, path)
        for member, offset, length in index:
            if member == name:
                fh.seek(start + offset)
                data = fh.read(length)
                if len(data) != length:
                    raise PackDamaged(f"{path.name}: {name} cut short")
                return data
    return None


def read_members(path: Path) -> list[tuple[str, bytes]]:
    """Every member, in order (to write the pack again with some replaced)."""
    with open(path, "rb") as fh:
        index, start = _index(fh, path)
        members = []
        for name, offset, length in index:
            fh.seek(start + offset)
            data = fh.read(length)
            if len(data) != length:
                raise PackDamaged(f"{path.name}: {name} cut short")
            members.append((name, data))
    return members


def member_names(path: Path) -> list[str]:
    with open(path, "rb") as fh:
        return [name for name, _offset, _length in _index(fh, path)[0]]


__all__ = [
    "MAX_INDEX_BYTES", "PACK_MAGIC", "PackDamaged", "member_names", "members_crc", "read_member", "read_members",
    "write_pack",
    "write_pack_in_place",
]
