"""What a mail server's capabilities mean for the app (the capability section of ``check-server``).

IT staff judge a server before deployment by what the app will do with it, not
by a list of keywords. Each note says, in one line, what the app does with the
extension or without it, as the code does it today:

* SPECIAL-USE, XLIST, CREATE-SPECIAL-USE: ``core/folder_roles.py`` and
  ``sync/folder_list.py`` (attributes, then XLIST, then well-known names);
* QRESYNC, CONDSTORE, ESEARCH: ``sync/folder_sync.py`` (qresync / condstore /
  full resync) and ``ImapWire.uid_search``;
* IDLE: ``sync/idle.py`` (without it the Inbox is polled with NOOP);
* MOVE, UIDPLUS: ``ImapWire.uid_move`` / ``uid_expunge``;
* LIST-STATUS: ``sync/folder_list.py`` (one STATUS per folder without it);
* SMTP SIZE, 8BITMIME, SMTPUTF8: facts about the server that decide what mail
  it takes; AUTH: ``SmtpSession.login`` (Thai sign-in details need AUTH PLAIN).

Capabilities never change the verdict: a server is refused only by the policy
and the TLS rules.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from govmail_desktop.admin.output import safe_text
from govmail_desktop.i18n import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.sync.folder_list import MAX_STATUS_COMMANDS
from govmail_desktop.sync.idle import IdleLoop

#: How often the Inbox is asked for news on a server without IDLE (IdleLoop's own default).
POLL_SECONDS = float(inspect.signature(IdleLoop).parameters["poll_interval"].default)

#: The IMAP extensions whose presence changes what the app does, in the order they are shown.
IMAP_CAPABILITIES = (
    "SPECIAL-USE", "XLIST", "CREATE-SPECIAL-USE", "QRESYNC", "CONDSTORE", "IDLE", "MOVE", "UIDPLUS",
    "LIST-STATUS", "ESEARCH",
)
#: The SMTP (EHLO) extensions shown.
SMTP_CAPABILITIES = ("AUTH", "SIZE", "8BITMIME", "SMTPUTF8")

# -- IMAP ----------------------------------------------------------------------------------
SPECIAL_USE_YES = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Special folders (Sent, Drafts, Trash, Junk, Archive) are the ones the server marks; well-known names "
    "fill in the rest.",
)
SPECIAL_USE_NO_XLIST = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: special folders come from XLIST, and from their well-known names where XLIST marks none.",
)
SPECIAL_USE_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: special folders are found by their well-known English or Thai names (Sent, Drafts, Trash, "
    "Junk, Archive ...); others can be chosen in the account settings or by the policy.",
)
XLIST_NOT_USED = QT_TRANSLATE_NOOP("AdminCheckServer", "Not used: the app takes the special folders from SPECIAL-USE.")
XLIST_USED = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Special folders come from XLIST (Spam is Junk, Starred is Flagged, AllMail is All Mail)."
)
XLIST_NOT_NEEDED = QT_TRANSLATE_NOOP("AdminCheckServer", "Not offered (not needed: SPECIAL-USE is offered).")
XLIST_NO = QT_TRANSLATE_NOOP("AdminCheckServer", "Not offered: special folders are found by their names only.")
CREATE_SPECIAL_USE_YES = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "A special folder the app creates (a missing Trash) is marked as such on the server too."
)
CREATE_SPECIAL_USE_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Not offered: a special folder the app creates (a missing Trash) is known by its name only."
)
QRESYNC_YES = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Quick resync: one round trip tells which messages were expunged and which flags changed."
)
QRESYNC_NO_ENABLE = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Cannot be turned on (the server does not offer ENABLE): resync as without QRESYNC."
)
QRESYNC_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Not offered: a resync takes several round trips instead of one (see CONDSTORE)."
)
CONDSTORE_WITH_QRESYNC = QT_TRANSLATE_NOOP("AdminCheckServer", "Offered (QRESYNC builds on it).")
CONDSTORE_YES = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "A resync fetches only the flags changed since the last one; all UIDs are compared only when the "
    "message count differs.",
)
CONDSTORE_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: every resync fetches the flags of all messages and compares all UIDs: slower on big folders.",
)
IDLE_YES = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "New mail in the Inbox shows within seconds: the server tells the app at once."
)
IDLE_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: new mail in the Inbox is found by asking the server every {seconds} seconds; all folders are "
    "still checked as often as the setting sync.check_minutes says.",
)
MOVE_YES = QT_TRANSLATE_NOOP("AdminCheckServer", "Moving, and deleting to the Trash, is one command (UID MOVE).")
MOVE_NO_UIDPLUS = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: moving, and deleting to the Trash, copies the messages, marks them deleted and expunges "
    "only those (UID EXPUNGE).",
)
MOVE_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: moving, and deleting to the Trash, copies the messages, marks them deleted and expunges "
    "(see UIDPLUS).",
)
UIDPLUS_YES = QT_TRANSLATE_NOOP("AdminCheckServer", "An expunge removes only the messages the app names (UID EXPUNGE).")
UIDPLUS_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: around each expunge the app takes the deleted mark off messages other programs marked, and "
    "puts it back after (a connection lost in between leaves them unmarked, never erased).",
)
LIST_STATUS_YES = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "The folder list brings the message counts of every folder in one command."
)
LIST_STATUS_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: one STATUS command per folder for the counts (none with more than {limit} folders).",
)
ESEARCH_YES = QT_TRANSLATE_NOOP("AdminCheckServer", "A folder's UID list comes in compact form.")
ESEARCH_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Not offered: a folder's UID list comes as one number per message (more data on big folders)."
)

# -- SMTP ----------------------------------------------------------------------------------
AUTH_PLAIN = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Sign-in over TLS works, also with a user name or password in Thai characters (AUTH PLAIN)."
)
AUTH_NO_PLAIN = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Sign-in over TLS works, but not with a user name or password in Thai characters (that needs AUTH PLAIN).",
)
AUTH_NO = QT_TRANSLATE_NOOP("AdminCheckServer", "Not offered over TLS: the app cannot send mail through this server.")
SIZE_LIMIT = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "The server refuses messages larger than {size} MB (attachments grow by about a third when sent).",
)
SIZE_UNLIMITED = QT_TRANSLATE_NOOP("AdminCheckServer", "The server announces no size limit.")
SIZE_UNREADABLE = QT_TRANSLATE_NOOP("AdminCheckServer", "The server announces a size limit that cannot be read.")
SIZE_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Not announced: a message too large for the server is refused only after it was sent in full."
)
EIGHTBIT_YES = QT_TRANSLATE_NOOP("AdminCheckServer", "The server takes 8-bit message text (Thai in UTF-8 as it is).")
EIGHTBIT_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Not offered: message text must be 7-bit (Thai text encoded as base64 or quoted-printable)."
)
SMTPUTF8_YES = QT_TRANSLATE_NOOP("AdminCheckServer", "The server takes addresses with Thai characters before the @.")
SMTPUTF8_NO = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Not offered: addresses with Thai characters before the @ cannot be used through this server (Thai domain "
    "names work in their xn-- form).",
)


@dataclass(frozen=True)
class CapabilityNote:
    """One capability the app cares about: offered or not, and what that means for the app."""

    name: str
    present: bool
    meaning: Msg
    #: The capability's parameters where they say something (SIZE's byte count, AUTH's mechanisms).
    value: str = ""

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"present": self.present, "value": self.value or None, "meaning": self.meaning.text(lang)}


def imap_notes(capabilities: Iterable[str]) -> list[CapabilityNote]:
    """A note for every name in :data:`IMAP_CAPABILITIES`, from an IMAP CAPABILITY list."""
    caps = {c.upper() for c in capabilities}

    def has(name: str) -> bool:
        return name in caps

    special_use, xlist = has("SPECIAL-USE"), has("XLIST")
    qresync, condstore, uidplus = has("QRESYNC"), has("CONDSTORE"), has("UIDPLUS")
    if special_use:
        special = SPECIAL_USE_YES
        xlist_text = XLIST_NOT_USED if xlist else XLIST_NOT_NEEDED
    else:
        special = SPECIAL_USE_NO_XLIST if xlist else SPECIAL_USE_NO
        xlist_text = XLIST_USED if xlist else XLIST_NO
    if qresync:
        qresync_text = QRESYNC_YES if has("ENABLE") else QRESYNC_NO_ENABLE
    else:
        qresync_text = QRESYNC_NO
    if condstore:
        condstore_text = CONDSTORE_WITH_QRESYNC if qresync and has("ENABLE") else CONDSTORE_YES
    else:
        condstore_text = CONDSTORE_NO
    meanings = {
        "SPECIAL-USE": special,
        "XLIST": xlist_text,
        "CREATE-SPECIAL-USE": CREATE_SPECIAL_USE_YES if has("CREATE-SPECIAL-USE") else CREATE_SPECIAL_USE_NO,
        "QRESYNC": qresync_text,
        "CONDSTORE": condstore_text,
        "IDLE": IDLE_YES if has("IDLE") else IDLE_NO.format(seconds=f"{POLL_SECONDS:g}"),
        "MOVE": MOVE_YES if has("MOVE") else (MOVE_NO_UIDPLUS if uidplus else MOVE_NO),
        "UIDPLUS": UIDPLUS_YES if uidplus else UIDPLUS_NO,
        "LIST-STATUS": LIST_STATUS_YES if has("LIST-STATUS") else LIST_STATUS_NO.format(limit=MAX_STATUS_COMMANDS),
        "ESEARCH": ESEARCH_YES if has("ESEARCH") else ESEARCH_NO,
    }
    return [CapabilityNote(name, has(name), meanings[name]) for name in IMAP_CAPABILITIES]


def _printable(words: Iterable[str]) -> str:
    """Server-sent parameters as shown: control and format characters escaped (admin/output.py), bounded."""
    return safe_text(" ".join(words))[:80]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def smtp_notes(extensions: Iterable[str]) -> list[CapabilityNote]:
    """A note for every name in :data:`SMTP_CAPABILITIES`, from EHLO keywords with their parameters."""
    params: dict[str, list[str]] = {}
    for line in extensions:
        words = line.split()
        if words:
            params.setdefault(words[0].upper(), [w.upper() for w in words[1:]])
    notes = []
    auth = params.get("AUTH")
    if auth:
        notes.append(CapabilityNote("AUTH", True, AUTH_PLAIN if "PLAIN" in auth else AUTH_NO_PLAIN, _printable(auth)))
    else:
        notes.append(CapabilityNote("AUTH", False, AUTH_NO))
    size = params.get("SIZE")
    if size is None:
        notes.append(CapabilityNote("SIZE", False, SIZE_NO))
    elif size and re.fullmatch(r"[0-9]{1,18}", size[0]) and int(size[0]) > 0:
        notes.append(CapabilityNote("SIZE", True, SIZE_LIMIT.format(size=_megabytes(int(size[0]))), size[0]))
    elif not size or size[0] == "0" * len(size[0]):  # "SIZE" or "SIZE 0": no fixed limit (RFC 1870)
        notes.append(CapabilityNote("SIZE", True, SIZE_UNLIMITED, size[0] if size else ""))
    else:
        notes.append(CapabilityNote("SIZE", True, SIZE_UNREADABLE, _printable(size[:1])))
    eightbit = "8BITMIME" in params
    notes.append(CapabilityNote("8BITMIME", eightbit, EIGHTBIT_YES if eightbit else EIGHTBIT_NO))
    notes.append(
        CapabilityNote("SMTPUTF8", "SMTPUTF8" in params, SMTPUTF8_YES if "SMTPUTF8" in params else SMTPUTF8_NO)
    )
    return notes


__all__ = [
    "IMAP_CAPABILITIES",
    "POLL_SECONDS",
    "SMTP_CAPABILITIES",
    "CapabilityNote",
    "imap_notes",
    "smtp_notes",
]
