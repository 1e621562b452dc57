"""How the sync algorithms report what they changed in the cache.

The service turns these calls (made on its worker thread) into queued Qt
signals for the models; tests record them. Every method has a do-nothing
default so callers implement only what they need.
"""

from __future__ import annotations

from collections.abc import Sequence

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.store.message_rows import RowKey


class SyncListener:
    def progress(self, done: int, total: int) -> None:
        """Units of the current step done so far (messages for a folder sync)."""

    def folders_changed(self) -> None:
        """The folder list or the server's counts were written to the cache."""

    def rows_inserted(self, folder_id: int, uids: Sequence[int]) -> None:
        """New message summaries are in the cache."""

    def rows_changed(self, folder_id: int, uids: Sequence[int]) -> None:
        """Flags of cached messages changed."""

    def rows_removed(self, folder_id: int, keys: Sequence[RowKey]) -> None:
        """Messages were removed from the cache (``MailCache.expunge`` keys)."""

    def folder_reset(self, folder_id: int) -> None:
        """Everything cached for the folder was dropped (UIDVALIDITY changed)."""

    def new_mail(self, folder_id: int, uids: Sequence[int]) -> None:
        """Messages arrived in a folder that had been synced before: their UIDs."""

    def messages_unreadable(self, folder_id: int, count: int) -> None:
        """A folder sync ended with ``count`` FETCH responses it could not use (the user is told)."""

    def action_settled(self, op_id: int, outcome: Outcome, error: GovMailError | None) -> None:
        """The user action ``op_id`` (its queued row) has ended: DONE once the server
        confirmed it; FAILED with an :class:`~govmail_desktop.core.errors.ActionRefused`
        when the server refused it (then undone in the cache) or it was dropped unsent
        because its folder was rebuilt on the server (UIDVALIDITY)."""
