"""The message list's item data roles (:class:`~govmail_desktop.models.message_list.MessageListModel`),
on their own so the views and delegates that read them load without the model (its cache, the
date formatting): the main window draws before any mailbox is open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

_USER = int(Qt.ItemDataRole.UserRole)
UidRole = _USER + 1  # int
FlagsRole = _USER + 2  # int bitmask (core.entities.FlagBits)
UnreadRole = _USER + 3  # bool
FlaggedRole = _USER + 4  # bool
HasAttachmentsRole = _USER + 5  # bool
ThreadDepthRole = _USER + 6  # int (0 when not threaded)
KeywordsRole = _USER + 7  # str, space-separated
DateRole = _USER + 8  # int, Unix seconds (received)
#: mime.markings.Markings of the row (urgency, secrecy from the subject's Thai prefix); the
#: list has only the cached subject (the sync fetches no marking headers: its header fast path
#: stays as it is); the preview reads the full header.
MarkingsRole = _USER + 9
#: The subject column's text without the marking words (shown as badges instead).
SubjectShownRole = _USER + 10

__all__ = [
    "DateRole", "FlaggedRole", "FlagsRole", "HasAttachmentsRole", "KeywordsRole", "MarkingsRole",
    "SubjectShownRole", "ThreadDepthRole", "UidRole", "UnreadRole",
]
