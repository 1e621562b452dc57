"""Put the sample messages of tests/data into a test Dovecot, as tests/data/seed.json says.

Used by tests and by ``make demo`` (one implementation). Messages are APPENDed over IMAP
(verified TLS) with their flags and with the Date header as INTERNALDATE, so the
mailbox looks as if the mail had arrived over time; folders (Thai names included) are
created and subscribed as needed.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.servers.dovecot import DovecotServer, append_message, ensure_mailbox

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST = DATA_DIR / "seed.json"


@dataclass(frozen=True)
class SeededMessage:
    """Where one sample ended up."""

    file: str
    user: str
    folder: str
    uid: int | None
    expect: Mapping[str, Any]


def load_manifest(manifest: Path | str | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The manifest as a dict (default: tests/data/seed.json)."""
    if manifest is None:
        manifest = MANIFEST
    if isinstance(manifest, Mapping):
        return dict(manifest)
    return json.loads(Path(manifest).read_text(encoding="utf-8"))


def sample_bytes(file: str, data_dir: Path = DATA_DIR) -> bytes:
    """The raw bytes of one sample message."""
    return (data_dir / file).read_bytes()


def seed_mailbox(
    dovecot: DovecotServer,
    manifest: Path | str | Mapping[str, Any] | None = None,
    *,
    users: set[str] | None = None,
    data_dir: Path = DATA_DIR,
) -> list[SeededMessage]:
    """APPEND every manifest entry (optionally only for ``users``); return where each went.

    One IMAP connection per user keeps this fast.
    """
    entries = load_manifest(manifest)["messages"]
    by_user: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if users is None or entry["user"] in users:
            by_user.setdefault(entry["user"], []).append(entry)

    seeded: list[SeededMessage] = []
    for user, user_entries in by_user.items():
        with dovecot.imap(user) as client:
            known: set[str] = {"INBOX"}
            for entry in user_entries:
                folder = entry["folder"]
                if folder not in known:
                    ensure_mailbox(client, dovecot, folder)
                    known.add(folder)
                raw = sample_bytes(entry["file"], data_dir)
                uid = append_message(
                    client, folder, raw, entry.get("flags", ()), _internal_date(raw)
                )
                seeded.append(
                    SeededMessage(entry["file"], user, folder, uid, entry.get("expect", {}))
                )
    return seeded


def _internal_date(raw: bytes) -> Any:
    """The message's Date header as an aware datetime (None if absent or unparsable)."""
    header_block = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    for line in header_block.splitlines():
        if line.lower().startswith(b"date:"):
            try:
                return email.utils.parsedate_to_datetime(line[5:].decode("ascii").strip())
            except (TypeError, ValueError):
                return None
    return None


__all__ = ["DATA_DIR", "MANIFEST", "SeededMessage", "load_manifest", "sample_bytes", "seed_mailbox"]
