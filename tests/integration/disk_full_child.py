"""A child in a private mount namespace whose data folder is a tiny tmpfs (issue 16 item 3).

``unshare --mount --propagation private python -m tests.integration.disk_full_child CONFIG``
mounts a tmpfs of ``size`` at ``data`` (seen by this process only: nothing leaks onto the
host, the mount goes with the namespace) and runs the Qt-free services against the suite's
real Dovecot and SMTP server, as the outbox durability child does (``outbox_child._Servers``):

* ``sync`` — the account's sync (``sync.engine.sync_account``) into a cache on the tmpfs until
  the disk is full; then the cache reopened (not rebuilt, ``quick_check``), the space given
  back (``mount -o remount,size=…``) and the same cache synced again; with ``readonly`` the
  tmpfs is made read-only (``remount,ro``) after a first sync and the server changed meanwhile;
* ``drafts`` — a draft saved again on a full disk (refused; the last version intact);
* ``send`` — a message put in the outbox on a full disk (refused, nothing written, nothing
  sent), then one queued with space and sent while the disk is full (or read-only), then
  with the space back.

Each step is one JSON object on its own ``STEP`` line; the test judges them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.outbox import OutboxStore
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.engine import sync_account
from govmail_desktop.sync.folder_sync import SyncOptions
from govmail_desktop.sync.listener import SyncListener
from govmail_desktop.sync.send import enqueue
from tests.integration.outbox_child import _Servers
from tests.integration.outbox_helpers import effective_policy, make_sender, reader, thai_draft
from tests.integration.sync_helpers import open_wire

OPTIONS = SyncOptions(first_batch=50, growth=2, max_chunk=400, write_batch=100)


def report(step: str, **facts: Any) -> None:
    print("STEP " + json.dumps({"step": step, **facts}, ensure_ascii=False), flush=True)


def error_facts(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, GovMailError):
        return {"error": type(exc).__name__, "code": exc.code, "en": exc.user_text("en"), "th": exc.user_text("th")}
    return {"error": type(exc).__name__, "code": None, "en": repr(exc), "th": ""}


def mount(*options: str, data: Path) -> None:
    subprocess.run(["mount", "-o", ",".join(options), str(data)], check=True)


def fill_file(path: str | Path) -> None:
    """Append to ``path`` until its file system has not one byte left (the app's data folder
    filled by something else)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)


def fill_disk(data: Path) -> Path:
    """Fill the tmpfs to the last block; the filler file is returned (removing it frees the space)."""
    filler = data / "filler"
    fill_file(filler)
    return filler


def sync_once(servers: Any, cache: MailCache) -> dict[str, Any]:
    wire = open_wire(servers)
    try:
        sync_account(wire, cache, None, SyncListener(), CancelToken(), OPTIONS)
        return {"outcome": "done"}
    except GovMailError as exc:
        return {"outcome": "failed", **error_facts(exc)}
    finally:
        try:
            wire.logout()
        except GovMailError:
            pass


def cache_view(cache: MailCache) -> dict[str, Any]:
    fid = cache.folder_id("INBOX")
    uids = list(cache.known_uids(fid)) if fid is not None else []
    flags = {str(uid): sorted(cache.flags_of(fid, uid) or ()) for uid in uids} if fid is not None else {}
    return {"uids": len(uids), "flags": flags}


def quick_check(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()


def run_sync(config: dict[str, Any], servers: Any, data: Path) -> None:
    path = data / "cache.sqlite3"
    cache = MailCache(path)
    if config.get("readonly"):
        run_sync_read_only(config, servers, data, cache)
        return
    report("full", **sync_once(servers, cache))
    cache.close()
    try:
        reopened = MailCache(path)
    except GovMailError as exc:
        report("reopened", opened=False, **error_facts(exc))
        return
    report("reopened", opened=True, rebuilt=reopened.rebuilt, quick_check=quick_check(path), **cache_view(reopened))
    # Space back without closing: the same cache object goes on.
    mount("remount", "rw", f"size={config['grow_to']}", data=data)
    report("recovered", **sync_once(servers, reopened), **cache_view(reopened))
    reopened.close()


def run_sync_read_only(config: dict[str, Any], servers: Any, data: Path, cache: MailCache) -> None:
    """A first sync; then the data folder read-only (Linux refuses ``remount,ro`` while a file
    is open for writing, so the cache is closed first, as between two starts) while the server
    changes; the cache opened there; then writable again and synced."""
    path = data / "cache.sqlite3"
    report("first", **sync_once(servers, cache), **cache_view(cache))
    cache.close()
    print("WAIT server", flush=True)
    sys.stdin.readline()  # the test changes the server meanwhile
    mount("remount", "ro", data=data)
    try:
        readonly = MailCache(path)
    except GovMailError as exc:
        report("readonly", outcome="failed", **error_facts(exc))
    else:
        report("readonly", **sync_once(servers, readonly))
        readonly.close()
    mount("remount", "rw", data=data)
    reopened = MailCache(path)
    report("reopened", opened=True, rebuilt=reopened.rebuilt, quick_check=quick_check(path), **cache_view(reopened))
    report("recovered", **sync_once(servers, reopened), **cache_view(reopened))
    reopened.close()


def run_send(config: dict[str, Any], servers: Any, data: Path) -> None:
    store = OutboxStore(data / "outbox")
    policy = effective_policy(Path(config["ca_file"]))
    sender = make_sender(store, policy, servers, int(config["smtp_port"]))
    rules = policy.recipient_policy(), policy.attachment_rules()
    filler = fill_disk(data)
    try:
        enqueue(store, thai_draft(subject=config["subject"] + " 1"), reader(), *rules)
        report("enqueue-full", outcome="queued")
    except GovMailError as exc:
        report("enqueue-full", outcome="refused", **error_facts(exc))
    report("after-refusal", entries=len(store.entries()),
           leftovers=sorted(p.name for p in (data / "outbox").rglob("*")))
    filler.unlink()
    entry = enqueue(store, thai_draft(subject=config["subject"] + " 2"), reader(), *rules)
    report("queued", entry_id=entry.entry_id, message_id=entry.message_id)
    if config.get("readonly"):
        mount("remount", "ro", data=data)
    else:
        filler = fill_disk(data)
    run_report = sender.run()
    storage = getattr(run_report, "storage", None)
    report("send-full", states=[e.state.value for e in store.entries()], message_id=entry.message_id,
           storage=error_facts(storage) if storage is not None else None)
    print("WAIT server", flush=True)
    sys.stdin.readline()  # the test counts the copies the servers hold meanwhile
    if config.get("readonly"):
        mount("remount", "rw", data=data)
    else:
        filler.unlink()
    store.recover()  # as the next start does (or the running outbox, once it can write again)
    sender.settle_unknown()
    sender.run()
    report("recovered", states=[e.state.value for e in store.entries()], message_id=entry.message_id)


def run_drafts(config: dict[str, Any], servers: Any, data: Path) -> None:
    """A draft autosaved, then saved again on a full disk: refused, the last version intact."""
    from govmail_desktop.store.drafts import DraftStore

    store = DraftStore(data / "drafts")
    draft = thai_draft(attachments=())
    store.save(draft)
    filler = fill_disk(data)
    try:
        store.save(draft.touched(text="ฉบับแก้ไข\n" * 2000))
        report("save-full", outcome="saved")
    except GovMailError as exc:
        report("save-full", outcome="refused", **error_facts(exc))
    kept = store.load(draft.draft_id)
    files = sorted(p.name for p in store.draft_dir(draft.draft_id).iterdir())
    report("kept", same=kept.text == draft.text, files=files)
    filler.unlink()
    store.save(draft.touched(text="ฉบับแก้ไข\n" * 2000))
    report("recovered", saved=store.load(draft.draft_id).text.startswith("ฉบับแก้ไข"))


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    data = Path(config["data"])
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={config['size']},mode=0700", "tmpfs", str(data)],
                   check=True)
    servers = _Servers(config)
    {"sync": run_sync, "send": run_send, "drafts": run_drafts}[config["scenario"]](config, servers, data)
    print("END", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
