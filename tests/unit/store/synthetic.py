"""Big synthetic folders written through the cache's own bulk API (``MailCache.insert_rows``
inside ``bulk_load``): 100,000 rows in about two seconds, for memory tests that compare
folder sizes. Rows vary in every sort key (date, sender, subject, size), a third are unread,
one in twenty flagged, every fourth a reply."""

from __future__ import annotations

from collections.abc import Iterator

from govmail_desktop.core.entities import FlagBits, Folder
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.message_rows import SummaryRow

BASE = 1_700_000_000
SENDERS = ["สมชาย ใจดี", "วิไลวรรณ ทองดี", "กองคลัง", "Somsak Kittipong", "IT Helpdesk"]


def synthetic_rows(folder_id: int, first: int, last: int) -> Iterator[SummaryRow]:
    for uid in range(first, last + 1):
        sender = f"{SENDERS[uid % len(SENDERS)]} {uid % 97}"
        subject = f"ขอเชิญประชุมคณะกรรมการ ครั้งที่ {(uid * 7919) % 5000}"
        flags = (0 if uid % 3 == 0 else int(FlagBits.SEEN)) | (int(FlagBits.FLAGGED) if uid % 20 == 0 else 0)
        yield SummaryRow(
            folder_id=folder_id, uid=uid, flags=flags, keywords="", internaldate=BASE + uid * 60, date=BASE + uid * 60,
            size=1000 + (uid * 37) % 50_000, subject=subject, subject_key=subject.casefold(),
            from_display=sender, sender_key=sender.casefold(), from_addrs=f"{sender}\x1fuser{uid % 97}@agency.go.th",
            to_addrs="alice\x1falice@agency.go.th", cc_addrs="", message_id=f"<{uid}@agency.go.th>",
            in_reply_to=f"<{uid - 1}@agency.go.th>" if uid % 4 == 0 else None,
            refs=f"<{uid - 1}@agency.go.th>" if uid % 4 == 0 else "", preview="", has_attachments=int(uid % 10 == 0),
        )


def fill_synthetic(cache: MailCache, count: int, folder: str = "INBOX", batch: int = 10_000) -> int:
    """A folder of ``count`` messages (UIDs 1..count); returns its id."""
    folder_id = cache.upsert_folders([Folder(folder)], remove_missing=False)[folder]
    with cache.bulk_load():
        for start in range(1, count + 1, batch):
            cache.insert_rows(folder_id, list(synthetic_rows(folder_id, start, min(count, start + batch - 1))))
    return folder_id
