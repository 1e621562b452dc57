"""Conversation order from References / In-Reply-To (a simplified JWZ threading).

Messages that share any Message-ID through their References/In-Reply-To chain
form one conversation (union-find, so a missing middle message does not split
it). Inside a conversation a message hangs under its nearest ancestor present
in the folder; replies are in date order. Conversations are listed newest
activity first, or by a column the user chose (subject, sender, size: the
value of the conversation's first message). The result is materialised in the
store's ``thread_order`` table, so the threaded list pages like the flat one
and threading costs nothing while it is switched off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple


class ThreadInput(NamedTuple):
    """One message's threading headers as the cache stores them: ``message_id`` and
    ``in_reply_to`` are single ``<id>`` values (or None), ``refs`` is space-separated."""

    uid: int
    internaldate: int
    message_id: str | None
    in_reply_to: str | None
    refs: str


def thread_order(
    rows: Iterable[ThreadInput],
    sort_values: Mapping[int, tuple[Any, ...]] | None = None,
    *,
    descending: bool = True,
) -> list[tuple[int, int]]:
    """``[(uid, depth), ...]`` in display order.

    Without ``sort_values`` conversations are ordered by their newest message
    (newest activity first when ``descending``). With them (uid → the values
    that sort the flat list by a column, ending in the uid), each conversation
    is placed by the values of its first message, as the flat list would place
    that message. Inside a conversation replies stay in date order.
    """
    # Union-find over messages (their UID, an int) and Message-IDs (str): the two kinds of
    # key never collide, and a million "uid:N" strings are not made (a third of the time).
    parent_of: dict[int | str, int | str] = {}

    def find(x: int | str) -> int | str:
        root = x
        while (up := parent_of.get(root, root)) != root:
            root = up
        while (up := parent_of.get(x, x)) != root:  # path compression
            parent_of[x], x = root, up
        return root

    by_msgid: dict[str, int] = {}
    chains: dict[int, Sequence[str]] = {}
    date_of: dict[int, int] = {}
    for uid, date, msgid, in_reply_to, refs in rows:
        if msgid and msgid not in by_msgid:
            by_msgid[msgid] = uid
        chain = refs.split() if refs else []
        if in_reply_to and in_reply_to not in chain:
            chain.append(in_reply_to)
        chains[uid] = chain or ()  # most messages start a conversation: no list each
        date_of[uid] = date
        root = find(uid)
        for mid in ([msgid] if msgid else []) + chain:
            other = find(mid)
            if other != root:
                parent_of[other] = root

    # Tree inside each conversation: nearest ancestor present in this folder.
    tree_parent: dict[int, int | None] = {}
    for uid, ancestors in chains.items():
        parent = None
        for mid in reversed(ancestors):
            candidate = by_msgid.get(mid)
            if candidate is not None and candidate != uid:
                parent = candidate
                break
        tree_parent[uid] = parent
    # Break cycles (hostile or broken headers): walk up, cut where we loop.
    for uid in tree_parent:
        seen = {uid}
        cur = tree_parent[uid]
        while cur is not None:
            if cur in seen:
                tree_parent[uid] = None
                break
            seen.add(cur)
            cur = tree_parent.get(cur)

    children: dict[int | None, list[int]] = {}
    conversations: dict[int | str, list[int]] = {}
    for uid in chains:
        conversations.setdefault(find(uid), []).append(uid)
        children.setdefault(tree_parent[uid], []).append(uid)

    def order_key(uid: int) -> tuple[int, int]:
        return (date_of[uid], uid)

    for kids in children.values():
        kids.sort(key=order_key)

    def conversation_key(members: list[int]) -> tuple[Any, ...]:
        if sort_values is None:
            return max(order_key(u) for u in members)
        first = min((u for u in members if tree_parent[u] is None), key=order_key, default=None)
        return sort_values[first if first is not None else min(members, key=order_key)]

    threads = sorted(conversations.values(), key=conversation_key, reverse=descending)
    out: list[tuple[int, int]] = []
    for members in threads:
        member_set = set(members)
        tops = sorted((u for u in members if tree_parent[u] is None), key=order_key)
        stack = [(u, 0) for u in reversed(tops)]
        while stack:
            uid, depth = stack.pop()
            out.append((uid, depth))
            for kid in reversed(children.get(uid, ())):
                if kid in member_set:
                    stack.append((kid, depth + 1))
    return out
