"""Saved searches: the virtual folders of the folder tree, kept in the settings file.

Each is a name and a query (the search language of ``search/query.py``); opening one in
the folder tree runs its query again over every account (the results are never stored:
a virtual folder always shows what the mail holds now, as Thunderbird's saved searches).
They live in the ``saved_searches`` section of :class:`~govmail_desktop.core.settings.Settings`::

    "saved_searches": [{"id": "3f2a…", "name": "งบประมาณ 2569", "query": "งบ after:1/10/2568"}]

A damaged entry is skipped and named in :attr:`SavedSearches.problems` (never a crash at
start-up). Changes go into the settings at once; the caller saves the file.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from govmail_desktop.core.settings import Settings

SETTINGS_SECTION = "saved_searches"
#: Longest name and query kept (a name is a folder label; a query a line of text).
MAX_NAME = 120
MAX_QUERY = 2000
#: Saved searches kept at most (the folder tree stays a tree of folders).
MAX_SAVED = 200


@dataclass(frozen=True)
class SavedSearch:
    id: str
    name: str
    query: str


def _line(text: Any, limit: int) -> str:
    if not isinstance(text, str):
        raise ValueError("expected text")
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    if not cleaned:
        raise ValueError("empty")
    return cleaned[:limit]


class SavedSearches:
    """The saved searches of one settings file, in the order the user made them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems: list[str] = []
        self._items: list[SavedSearch] = []
        raw = settings.section(SETTINGS_SECTION)
        if raw is None:
            return
        if not isinstance(raw, list):
            self.problems.append(f"{SETTINGS_SECTION}: not a list; ignored")
            return
        for index, entry in enumerate(raw[:MAX_SAVED]):
            try:
                if not isinstance(entry, dict):
                    raise ValueError("not an object")
                item = SavedSearch(
                    id=_line(entry.get("id"), 64),
                    name=_line(entry.get("name"), MAX_NAME),
                    query=_line(entry.get("query"), MAX_QUERY),
                )
            except ValueError as exc:
                self.problems.append(f"{SETTINGS_SECTION}[{index}]: {exc}")
                continue
            if any(i.id == item.id for i in self._items):
                self.problems.append(f"{SETTINGS_SECTION}[{index}]: id used twice")
                continue
            self._items.append(item)

    def __iter__(self) -> Iterator[SavedSearch]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def get(self, search_id: str) -> SavedSearch | None:
        return next((i for i in self._items if i.id == search_id), None)

    def _write(self) -> None:
        self.settings.set_section(SETTINGS_SECTION, [asdict(i) for i in self._items])

    def add(self, name: str, query: str) -> SavedSearch:
        """A new saved search (ValueError: an empty name or query, or too many)."""
        if len(self._items) >= MAX_SAVED:
            raise ValueError("too many saved searches")
        item = SavedSearch(uuid.uuid4().hex, _line(name, MAX_NAME), _line(query, MAX_QUERY))
        self._items.append(item)
        self._write()
        return item

    def rename(self, search_id: str, name: str) -> SavedSearch:
        return self._change(search_id, name=_line(name, MAX_NAME))

    def set_query(self, search_id: str, query: str) -> SavedSearch:
        return self._change(search_id, query=_line(query, MAX_QUERY))

    def _change(self, search_id: str, **fields: str) -> SavedSearch:
        for n, item in enumerate(self._items):
            if item.id == search_id:
                self._items[n] = replace(item, **fields)
                self._write()
                return self._items[n]
        raise KeyError(search_id)

    def remove(self, search_id: str) -> bool:
        kept = [i for i in self._items if i.id != search_id]
        if len(kept) == len(self._items):
            return False
        self._items = kept
        self._write()
        return True
