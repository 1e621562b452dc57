"""What the quick filter bar keeps of a folder's list, as an SQL condition on ``messages``.

The message list pages through the cache with SQL (``MailCache.count`` / ``page`` /
``position_of_key``); a :class:`ListFilter` given to them narrows every one of those
queries, so a filtered 100,000-message folder is still counted and paged by SQLite and
never walked row by row in Python.

* ``unread`` / ``flagged`` / ``attachment`` — the flag bits and the attachment column;
* ``senders`` — the sender's address is one of these (the address book's contacts, in
  :func:`store.contacts.email_key` form); an empty set matches nothing;
* ``uids`` — the messages the search engine found for the filter's text (the text is
  matched there, through ``search.fold``: never here); a page of such a list is read by
  UID (:meth:`ListFilter.candidates_json`), not by walking the folder;
* ``keep`` — messages shown whatever they are now (a message read or unflagged while the
  filter is on stays in the list until the filter changes, as in Thunderbird).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from govmail_desktop.core.entities import FlagBits
from govmail_desktop.store.keys import RECORD, UNIT

# The first sender's e-mail in ``from_addrs`` ("name<US>email<RS>name<US>email…").
_FIRST_EMAIL = (
    f"lower(CASE WHEN instr(from_addrs, char({ord(RECORD)})) > 0 "
    f"THEN substr(from_addrs, instr(from_addrs, char({ord(UNIT)})) + 1, "
    f"instr(from_addrs, char({ord(RECORD)})) - instr(from_addrs, char({ord(UNIT)})) - 1) "
    f"ELSE substr(from_addrs, instr(from_addrs, char({ord(UNIT)})) + 1) END)"
)


#: Up to this many UIDs a page is read by UID (1,000: 10 ms at 1,000,000 messages, where the
#: walk took 70-200 ms); more are cheaper to find by walking the sort index (the search's
#: text filter keeps at most its 500 newest matches).
MAX_READ_BY_UID = 5000


@dataclass(frozen=True)
class ListFilter:
    """The quick filter's conditions (all must hold); see the module's text."""

    unread: bool = False
    flagged: bool = False
    attachment: bool = False
    senders: frozenset[str] | None = None
    uids: frozenset[int] | None = None
    keep: frozenset[int] = frozenset()
    # JSON of the sets, made once (a page query must not serialise 100,000 UIDs again).
    _json: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def active(self) -> bool:
        """True when it keeps out anything at all."""
        return self.unread or self.flagged or self.attachment or self.senders is not None or self.uids is not None

    def keeping(self, uids: frozenset[int] | set[int]) -> ListFilter:
        """The same filter that also shows these messages."""
        if not uids or uids <= self.keep:
            return self
        return replace(self, keep=self.keep | frozenset(uids), _json={})

    def _json_of(self, name: str, values: frozenset[int] | frozenset[str]) -> str:
        text = self._json.get(name)
        if text is None:
            text = self._json[name] = json.dumps(sorted(values))
        return text

    def candidates_json(self) -> str | None:
        """With ``uids``: every message the filter can keep (``uids`` and ``keep``) as JSON, for
        a page read by UID (``MailCache.page``); None when the filter tests each message."""
        if self.uids is None or len(self.uids) + len(self.keep) > MAX_READ_BY_UID:
            return None
        return self._json_of("candidates", self.uids | self.keep)

    def sql(self) -> tuple[str, tuple[object, ...]]:
        """(condition, parameters) to AND onto ``folder_id=?``; ("1", ()) when it keeps all."""
        parts: list[str] = []
        params: list[object] = []
        if self.unread:
            parts.append(f"(flags & {int(FlagBits.SEEN)}) = 0")
        if self.flagged:
            parts.append(f"(flags & {int(FlagBits.FLAGGED)}) != 0")
        if self.attachment:
            parts.append("has_attachments != 0")
        if self.senders is not None:
            parts.append(f"{_FIRST_EMAIL} IN (SELECT value FROM json_each(?))")
            params.append(self._json_of("senders", self.senders))
        if self.uids is not None:
            parts.append("uid IN (SELECT value FROM json_each(?))")
            params.append(self._json_of("uids", self.uids))
        if not parts:
            return "1", ()
        condition = " AND ".join(parts)
        if self.keep:
            condition = f"(({condition}) OR uid IN (SELECT value FROM json_each(?)))"
            params.append(self._json_of("keep", self.keep))
        return f"({condition})", tuple(params)


def where_of(where: ListFilter | None) -> tuple[str, tuple[object, ...]]:
    """The SQL condition of an optional filter (nothing kept out without one)."""
    if where is None or not where.active:
        return "1", ()
    return where.sql()
