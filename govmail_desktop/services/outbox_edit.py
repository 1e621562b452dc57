"""A message that was not sent goes back to the drafts, to be edited and sent again.

The outbox keeps its own copy of the draft and of the attachments' bytes (the
draft store let the draft go once the outbox had it). Editing it again means
putting it back in the draft store *durably first* — draft and attachment files
written and fsync'd by :class:`~govmail_desktop.store.drafts.DraftStore` — and
only then removing it from the outbox: a crash in between leaves both copies
(the start-up offer brings the draft back), never neither.

The draft gets a new id: the drafts service ignores autosaves of a draft it
threw away after the first send, and the old id may still name a server copy
in the Drafts folder that was removed.

A message the server accepted for some recipients only comes back without them
(``leave_out``): the new message must not reach them a second time unless the
user adds them back in the composer.

Disk work: call :func:`restore_draft` on a worker thread, never the GUI's.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable

from govmail_desktop.core.compose import Draft, DraftAttachment
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.mime.reply import format_address
from govmail_desktop.store.drafts import DraftStore

log = logging.getLogger(__name__)


def _key(address: str) -> str:
    """An address compared as the envelope names it (case-insensitive, the domain as IDNA)."""
    local, _, domain = address.strip().rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain}".casefold()


def leave_out_recipients(draft: Draft, addresses: Iterable[str]) -> Draft:
    """``draft`` without ``addresses`` in To, Cc and Bcc (the other recipients as they were
    typed, one parser: ``mime.addresses.parse_addresses``)."""
    gone = {_key(a) for a in addresses}
    if not gone:
        return draft

    def kept(text: str) -> str:
        if not text.strip():
            return text
        parsed = parse_addresses([text]).addresses
        if not any(_key(a.email) in gone for a in parsed):
            return text
        return ", ".join(format_address(a) for a in parsed if _key(a.email) not in gone)

    return draft.touched(to=kept(draft.to), cc=kept(draft.cc), bcc=kept(draft.bcc))


def restore_draft(
    draft: Draft,
    read_attachment: Callable[[DraftAttachment], bytes],
    store: DraftStore,
    *,
    leave_out: Iterable[str] = (),
) -> Draft:
    """``draft`` (taken back from the outbox) saved in ``store`` under a new id with copies of
    its attachments, without the recipients in ``leave_out`` (those that have it already);
    returns the stored draft. StorageError when the disk refuses (the outbox entry is then
    untouched)."""
    draft = leave_out_recipients(draft, leave_out)
    new_id = uuid.uuid4().hex
    attachments = []
    for att in draft.attachments:
        copied = store.add_attachment(new_id, att.filename, att.content_type, read_attachment(att),
                                      content_id=att.content_id)
        attachments.append(copied)
    restored = draft.touched(draft_id=new_id, attachments=tuple(attachments), server_copy=None)
    store.save(restored)
    log.info("Outbox draft %s back in the drafts as %s (%d attachment(s))", draft.draft_id, new_id,
             len(attachments))
    return restored


__all__ = ["leave_out_recipients", "restore_draft"]
