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

Disk work: call :func:`restore_draft` on a worker thread, never the GUI's.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from govmail_desktop.core.compose import Draft, DraftAttachment
from govmail_desktop.store.drafts import DraftStore

log = logging.getLogger(__name__)


def restore_draft(draft: Draft, read_attachment: Callable[[DraftAttachment], bytes], store: DraftStore) -> Draft:
    """``draft`` (taken back from the outbox) saved in ``store`` under a new id with copies of
    its attachments; returns the stored draft. StorageError when the disk refuses (the
    outbox entry is then untouched)."""
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


__all__ = ["restore_draft"]
