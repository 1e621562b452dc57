"""Which folder is the account's Sent, Drafts, Trash, Junk and Archive (pure Python).

One place decides, for every folder list the server sends (``sync/folder_list.py``)
and whenever the user changes the choice in the account settings. The result
is stored as ``Folder.special_use`` in the cache; everything else (Delete to the
Trash, the folder tree's order and Thai names, recipients in Sent and Drafts)
reads only that.

Precedence, highest first; each role goes to one folder and each folder has at
most one role:

1. **An explicit choice**: the agency's policy (``locked_settings``
   ``account.folder_trash`` ...) over the user's own choice in the account
   settings. A person who picked a folder knows better than any guess; a
   chosen folder the server does not list (renamed, another server of the
   fleet) is ignored and the automatic detection below applies.
2. **The server's word**: RFC 6154 SPECIAL-USE attributes in LIST replies
   (asked for when advertised, used whenever present), or, on a server that
   advertises XLIST but not SPECIAL-USE (Zimbra, older Gmail), the XLIST
   attributes, already turned into their RFC 6154 names by
   :func:`xlist_attributes` (``\\Spam`` → ``\\Junk``, ``\\Starred`` →
   ``\\Flagged``, ``\\AllMail`` → ``\\All``, ``\\Inbox`` ignored).
3. **Well-known names** in English and Thai, case-insensitive, matched on the
   last part of the name at any level of the hierarchy (``INBOX.Trash`` on
   Courier, ``Trash`` on Zimbra). Among several candidates the shallowest wins
   (a leading ``INBOX`` level does not count), then the earlier name in
   :data:`WELL_KNOWN_NAMES`, then the name itself.

The INBOX never takes another role (it is the Inbox), and a folder that cannot
hold messages (``\\Noselect``) never gets one.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from govmail_desktop.core.entities import Folder, SpecialUse
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg

log = logging.getLogger(__name__)

#: The roles a user (or the policy) may assign, by the key used in settings.
ROLE_KEYS: dict[str, str] = {
    "sent": SpecialUse.SENT,
    "drafts": SpecialUse.DRAFTS,
    "trash": SpecialUse.TRASH,
    "junk": SpecialUse.JUNK,
    "archive": SpecialUse.ARCHIVE,
}
KEY_OF_ROLE: dict[str, str] = {role: key for key, role in ROLE_KEYS.items()}

#: What the folder tree calls the special folders (and messages about them), in any language.
ROLE_NAMES: dict[str, Msg] = {
    SpecialUse.INBOX: QT_TRANSLATE_NOOP("FolderTreeModel", "Inbox"),
    SpecialUse.DRAFTS: QT_TRANSLATE_NOOP("FolderTreeModel", "Drafts"),
    SpecialUse.SENT: QT_TRANSLATE_NOOP("FolderTreeModel", "Sent"),
    SpecialUse.ARCHIVE: QT_TRANSLATE_NOOP("FolderTreeModel", "Archive"),
    SpecialUse.JUNK: QT_TRANSLATE_NOOP("FolderTreeModel", "Junk"),
    SpecialUse.TRASH: QT_TRANSLATE_NOOP("FolderTreeModel", "Trash"),
}

#: XLIST (Gmail's and Zimbra's pre-RFC 6154 command) attributes that differ from RFC 6154.
XLIST_ALIASES: dict[str, str | None] = {
    "\\spam": SpecialUse.JUNK,
    "\\starred": SpecialUse.FLAGGED,
    "\\allmail": SpecialUse.ALL,
    "\\inbox": None,  # the INBOX is known by its name; Gmail also localises it
    "\\important": None,
}

#: Folder names that mean a role, in order of preference (compared case-insensitively).
WELL_KNOWN_NAMES: dict[str, tuple[str, ...]] = {
    SpecialUse.SENT: ("Sent", "Sent Items", "Sent Messages", "จดหมายที่ส่งแล้ว"),
    SpecialUse.DRAFTS: ("Drafts", "ร่างจดหมาย"),
    SpecialUse.TRASH: ("Trash", "Deleted Items", "Deleted Messages", "ถังขยะ"),
    SpecialUse.JUNK: ("Junk", "Spam", "Junk E-mail", "จดหมายขยะ"),
    SpecialUse.ARCHIVE: ("Archive", "Archives"),
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


_NAME_RANK: dict[str, tuple[str, int]] = {
    _fold(name): (role, rank) for role, names in WELL_KNOWN_NAMES.items() for rank, name in enumerate(names)
}


def role_from_name(leaf: str) -> str | None:
    """The role a folder's own name (the last level) suggests, or None."""
    found = _NAME_RANK.get(_fold(leaf))
    return found[0] if found else None


def xlist_attributes(attributes: Iterable[str]) -> frozenset[str]:
    """XLIST attributes in RFC 6154 spelling (lower-case), the others unchanged."""
    out: set[str] = set()
    for attr in attributes:
        lowered = attr.lower()
        if lowered in XLIST_ALIASES:
            alias = XLIST_ALIASES[lowered]
            if alias is not None:
                out.add(alias.lower())
        else:
            out.add(lowered)
    return frozenset(out)


def _depth(folder: Folder) -> int:
    parts = folder.parts
    if len(parts) > 1 and parts[0].upper() == "INBOX":
        parts = parts[1:]
    return len(parts)


def _can_hold_a_role(folder: Folder) -> bool:
    return folder.selectable and not folder.is_inbox


def resolve_special_folders(
    folders: Sequence[Folder], chosen: Mapping[str, str] | None = None
) -> list[Folder]:
    """``folders`` with ``special_use`` set by the rules of the module doc.

    ``chosen`` maps a role (``SpecialUse.TRASH`` ...) to the folder name picked
    by the policy or the user (see :func:`chosen_roles`). The order of the
    folders is kept.
    """
    usable = {f.name: f for f in folders if _can_hold_a_role(f)}
    assigned: dict[str, str] = {}  # role -> folder name
    taken: set[str] = set()

    def give(role: str, name: str) -> None:
        if role not in assigned and name not in taken:
            assigned[role] = name
            taken.add(name)

    # 1. explicit choices
    for role, name in (chosen or {}).items():
        if name in usable:
            give(role, name)
        elif name:
            log.info("The folder chosen for %s is not on the server; detecting it instead", role)
    # 2. the server's attributes (SPECIAL-USE, or XLIST turned into its names)
    by_depth = sorted(usable.values(), key=lambda f: (_depth(f), f.name))
    for folder in by_depth:
        announced = SpecialUse.from_attributes(folder.attributes)
        if announced is not None:
            give(announced, folder.name)
    # 3. well-known names
    candidates = []
    for folder in usable.values():
        found = _NAME_RANK.get(_fold(folder.parts[-1]))
        if found is not None:
            role, rank = found
            candidates.append((_depth(folder), rank, folder.name, role))
    for _depth_of, _rank, name, role in sorted(candidates):
        give(role, name)

    role_of = {name: role for role, name in assigned.items()}
    return [
        f if f.special_use == role_of.get(f.name) else replace(f, special_use=role_of.get(f.name))
        for f in folders
    ]


def chosen_roles(
    user_choice: Mapping[str, str] | None, policy_choice: Mapping[str, str] | None = None
) -> dict[str, str]:
    """{role: folder name}: the policy's choice over the user's, role by role.

    Both map the keys of :data:`ROLE_KEYS` (``"trash"`` ...) to folder names as
    the server spells them; an empty name means "detect it".
    """
    out: dict[str, str] = {}
    for source in (user_choice or {}, policy_choice or {}):
        for key, name in source.items():
            role = ROLE_KEYS.get(key)
            if role is not None and isinstance(name, str) and name.strip():
                out[role] = name
    return out


__all__ = [
    "KEY_OF_ROLE",
    "ROLE_KEYS",
    "WELL_KNOWN_NAMES",
    "XLIST_ALIASES",
    "chosen_roles",
    "resolve_special_folders",
    "role_from_name",
    "xlist_attributes",
]
