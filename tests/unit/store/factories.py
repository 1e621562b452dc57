"""Message summaries for cache and model tests (deterministic, Thai and English text)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

from govmail_desktop.core.entities import Address, Flag, Folder, MessageSummary, SpecialUse

BANGKOK = timezone(timedelta(hours=7))
#: Message 1 arrives at this instant; message n arrives (n-1) minutes later.
BASE_TIME = datetime(2026, 11, 3, 7, 0, tzinfo=UTC)

SENDERS = (
    Address("สมชาย ใจดี", "somchai@dwr.mail.go.th"),
    Address("Anan Wong", "anan@ega.or.th"),
    Address("", "saraban@agency.go.th"),
    Address("กรมบัญชีกลาง", "info@cgd.go.th"),
    Address("Zed Ant", "zed@mail.go.th"),
)
SUBJECTS = ("ขออนุมัติงบประมาณ", "Re: Meeting notes", "หนังสือเวียน", "ตอบกลับ: ประชุม", "Annual report")


def summary(uid: int, **overrides) -> MessageSummary:
    """Message ``uid``: read when uid is odd, flagged every 7th, attachment every 5th."""
    fields = dict(
        uid=uid,
        flags=frozenset({Flag.SEEN} if uid % 2 else set()) | ({Flag.FLAGGED} if uid % 7 == 0 else frozenset()),
        internaldate=BASE_TIME + timedelta(minutes=uid - 1),
        date=BASE_TIME + timedelta(minutes=uid - 1, seconds=-30),
        size=1000 + (uid * 7919) % 50000,
        subject=f"{SUBJECTS[uid % len(SUBJECTS)]} {uid}",
        from_=(SENDERS[uid % len(SENDERS)],),
        to=(Address("ผู้รับ", "me@agency.go.th"),),
        message_id=f"<m{uid}@agency.go.th>",
        preview=f"เนื้อหาตัวอย่าง {uid}",
        has_attachments=uid % 5 == 0,
    )
    fields.update(overrides)
    return MessageSummary(**fields)


def summaries(first: int, last: int) -> Iterator[MessageSummary]:
    for uid in range(first, last + 1):
        yield summary(uid)


STANDARD_FOLDERS = (
    Folder("INBOX", "/", None, frozenset({"\\HasChildren"})),
    Folder("Drafts", "/", SpecialUse.DRAFTS, frozenset({"\\Drafts"})),
    Folder("Sent", "/", SpecialUse.SENT, frozenset({"\\Sent"})),
    Folder("Trash", "/", SpecialUse.TRASH, frozenset({"\\Trash"})),
    Folder("Junk", "/", SpecialUse.JUNK, frozenset({"\\Junk"})),
    Folder("Archive", "/", SpecialUse.ARCHIVE, frozenset({"\\Archive"})),
    Folder("โครงการ", "/", None),
    Folder("โครงการ/2569", "/", None),
    Folder("INBOX/งานด่วน", "/", None),
    Folder("กรม/กอง/ฝ่าย", "/", None),  # parents not listed
)


def fill(cache, folder_name: str = "INBOX", count: int = 300, batch: int = 2000) -> int:
    """Folders + ``count`` messages in one folder; returns that folder's id."""
    ids = cache.upsert_folders(STANDARD_FOLDERS)
    folder_id = ids[folder_name]
    for start in range(1, count + 1, batch):
        cache.insert_summaries(folder_id, summaries(start, min(count, start + batch - 1)))
    cache.set_folder_state(folder_id, uidvalidity=1234, uidnext=count + 1, highestmodseq=100)
    return folder_id
