"""A mail cache, its search index, indexer and engine in a temporary folder."""

from __future__ import annotations

import datetime
import email.message
import email.utils
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govmail_desktop.core.entities import Address, Folder, MessageSummary
from govmail_desktop.search.engine import AccountSource, Hit, SearchEngine, SearchScope
from govmail_desktop.search.index import SearchIndex
from govmail_desktop.search.indexer import Indexer
from govmail_desktop.search.query import parse_query
from govmail_desktop.store.cache import MailCache

TODAY = datetime.date(2026, 1, 15)
SOMCHAI = Address("สมชาย ใจดี", "somchai@moi.go.th")
EVERYWHERE = SearchScope()


def epoch(year: int, month: int, day: int) -> int:
    return int(datetime.datetime(year, month, day, 10, 0).timestamp())


def raw_message(subject: str, body: str, sender: str = "สมชาย ใจดี <somchai@moi.go.th>",
                headers: dict[str, str] | None = None, attachment: str | None = None) -> bytes:
    msg = email.message.EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = "IT Helpdesk <helpdesk@example.go.th>"
    msg["Date"] = email.utils.formatdate(epoch(2025, 10, 1))
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if attachment:
        msg.add_attachment(b"%PDF-1.4 test", maintype="application", subtype="pdf", filename=attachment)
    return msg.as_bytes()


@dataclass
class World:
    cache: MailCache
    index: SearchIndex
    indexer: Indexer
    engine: SearchEngine
    folders: dict[str, int]

    def add(self, folder: str, uid: int, subject: str, body: str | None = None, *, date: int | None = None,
            sender: Address = SOMCHAI, to: tuple[Address, ...] = (),
            flags: frozenset[str] = frozenset(), has_attachments: bool = False, raw: bytes | None = None) -> None:
        when = date if date is not None else epoch(2025, 10, 1) + uid
        summary = MessageSummary(uid=uid, flags=flags, internaldate=when, date=when, subject=subject, from_=(sender,),
                                 to=to, has_attachments=has_attachments)
        self.cache.insert_summaries(self.folders[folder], [summary])
        if raw is None and body is not None:
            raw = raw_message(subject, body, email.utils.formataddr((sender.name, sender.email)))
        if raw is not None:
            self.cache.put_part(self.folders[folder], uid, "", raw)

    def settle(self) -> None:
        self.indexer.run_pending()

    def search(self, text: str, **kwargs: object) -> list[Hit]:
        self.settle()
        return self.engine.search(parse_query(text, today=TODAY), **kwargs)

    def uids(self, text: str, scope: SearchScope = EVERYWHERE) -> set[int]:
        return {h.uid for h in self.search(text, scope=scope)}


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[World]:
    cache = MailCache(tmp_path / "cache.sqlite3")
    folders = cache.upsert_folders([Folder("INBOX"), Folder("Sent", special_use="\\Sent"), Folder("Projects/งบ")])
    index = SearchIndex(tmp_path / "search.sqlite3", cache_path=cache.path)
    indexer = Indexer("acct", cache, index)
    engine = SearchEngine([AccountSource.of_cache("acct", cache, index)])
    yield World(cache, index, indexer, engine, folders)
    indexer.stop()
    engine.close_thread()
    index.close()
    cache.close()
