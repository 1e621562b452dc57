"""What a mailbox holds, read by an independent client (imapclient), for comparing the app's
cache with the server (fault cycles, crash kills)."""

from __future__ import annotations

from typing import Any

#: UIDs fetched per FETCH command.
BATCH = 500


def server_flags(client: Any, folder: str, status_items: list[bytes]) -> tuple[dict[int, frozenset[str]], dict]:
    """({uid: flags without \\Recent}, STATUS ``status_items``) of ``folder``, selected read-only."""
    status = client.folder_status(folder, status_items)
    client.select_folder(folder, readonly=True)
    uids = client.search("ALL")
    state: dict[int, frozenset[str]] = {}
    for start in range(0, len(uids), BATCH):
        for uid, data in client.fetch(uids[start:start + BATCH], ["FLAGS"]).items():
            flags = {f.decode() if isinstance(f, bytes) else f for f in data[b"FLAGS"]}
            state[uid] = frozenset(flags - {"\\Recent"})
    return state, status
