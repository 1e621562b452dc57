"""The attachment panels joined to the app (composition root, step 7 with the mailboxes): the
app's one :class:`AttachmentService`, and where each panel reads a message's parts — the
account's cache (with its part fetcher) for a message of a list, else the message a window
holds (an attached message, an .eml file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from govmail_desktop.services.attachments import (
    AttachmentService,
    CachedMessageSource,
    PartSource,
    RawMessageSource,
)
from govmail_desktop.ui import attachment_panel
from govmail_desktop.ui.attachment_panel import set_shared_service

if TYPE_CHECKING:
    from govmail_desktop.ui.preview_pane import PreviewPane


def mailbox_source(account: object, folder_id: int | None, uid: int | None) -> PartSource | None:
    """Message ``uid`` of an account's cache (``app.AccountMailbox``), with the account's part
    fetcher for the parts the cache does not hold (None: they stay unavailable)."""
    if account is None or folder_id is None or uid is None:
        return None
    fetcher = getattr(account, "part_fetcher", None) or getattr(getattr(account, "sync", None), "part_fetcher", None)
    return CachedMessageSource(getattr(account, "cache"), folder_id, uid, fetcher)  # noqa: B009 - any account


def _account_of(mailboxes: object, models: object) -> object:
    return next((a for a in getattr(mailboxes, "accounts", ()) if getattr(a, "models", None) is models), None)


def window_source(window: object, mailboxes: object, folder_id: int | None, uid: int | None) -> PartSource | None:
    """A message window's parts: its account's cache for a message of the list, else the
    message the window holds (an attached message, an .eml file)."""
    if getattr(window, "listed", False) and getattr(window, "mailbox", None) is not None:
        source = mailbox_source(_account_of(mailboxes, getattr(window, "mailbox", None)), folder_id, uid)
        if source is not None:
            return source
    raw = getattr(window, "raw", None)
    return RawMessageSource(raw) if raw is not None else None


def attach_attachment_panels(preview: PreviewPane, mailboxes: object, opened_root: Path) -> Callable[[], None]:
    """The app's attachment service (copies under ``opened_root``; those an earlier run left are
    removed now) joined to the main window's preview (``preview``: its PreviewPane) and to every
    message window; returns what removes the copies at shutdown."""
    service = AttachmentService(opened_root)
    service.clean_stale()
    set_shared_service(service)

    def current(folder_id: int | None, uid: int | None) -> PartSource | None:
        controller = getattr(mailboxes, "controller", None)
        models = getattr(controller, "current", None)
        return mailbox_source(_account_of(mailboxes, models), folder_id, uid)

    preview.attachment_panel.source_for = current
    from govmail_desktop.ui import message_window  # late: the window imports this panel

    def join_window(pane: PreviewPane, window: object) -> None:
        pane.attachment_panel.source_for = lambda f, u: window_source(window, mailboxes, f, u)

    hooks = message_window.REGISTRY.pane_hooks
    hooks.append(join_window)

    def stop() -> None:
        if join_window in hooks:
            hooks.remove(join_window)
        service.shutdown()
        if attachment_panel.current_shared_service() is service:
            set_shared_service(None)

    return stop
