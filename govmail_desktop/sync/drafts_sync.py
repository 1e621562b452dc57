"""Drafts in the server's Drafts folder: save (replacing the earlier copy), open, remove.

Saving (:func:`save_draft`):

1. the message is built by :func:`mime.draft_mime.build_draft_copy` (the
   builder's ``sent_copy``: Bcc kept, our ``X-GovMail-Draft-Id`` field);
2. ``APPEND`` to the Drafts folder with ``\\Draft \\Seen``;
3. the new copy's UID comes from ``APPENDUID`` (UIDPLUS); a server that does
   not say it is asked ``UID SEARCH HEADER Message-ID`` (each copy has its own);
4. the earlier copies of the same draft are found by our field
   (``UID SEARCH HEADER X-GovMail-Draft-Id``) and by ``Draft.server_copy``
   (a draft opened from the server that another program wrote), and removed:
   ``UID STORE +FLAGS.SILENT (\\Deleted)`` then ``UID EXPUNGE`` of exactly those UIDs.

Searching by our field, not only by the UID recorded last time, also removes a
copy whose APPEND succeeded just before the connection dropped (the save is then
run again) or that was saved from another computer: exactly one copy stays.

Without UIDPLUS there is no ``UID EXPUNGE``, and a plain ``EXPUNGE`` erases
*every* message marked ``\\Deleted`` in the folder, also ones another mail
program marked and has not expunged yet (IMAP clients that "mark as deleted"
leave them there on purpose, to be undeleted). Unmarking those around the
EXPUNGE (what ``ImapWire.uid_expunge`` does for moves) changes another program's
state and races with it. So here the earlier copies are only marked
``\\Deleted`` (most programs hide or strike them out; the next expunge by the
user removes them), a log line says so, and the next save does not mark them
again (the search is ``UNDELETED``). A draft is never lost this way, and nothing
that is not ours is touched.

Opening (:func:`open_server_draft`): ``UID FETCH BODY.PEEK[]`` (the draft stays
as it was), :func:`mime.draft_mime.read_draft_copy`, the files put in the draft
store, ``Draft.server_copy`` set to where it was found.

The Drafts folder (:func:`drafts_folder`) is the one ``core/folder_roles`` gave
the Drafts role in the cache's folder list (the user's or the policy's choice,
SPECIAL-USE, XLIST on Zimbra, well-known names); when the cache has no folder
list yet it is read first, and an account with no Drafts folder gets one
(``Drafts``, as other mail programs name it).
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Callable, Mapping

from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef
from govmail_desktop.core.entities import Address, SpecialUse
from govmail_desktop.core.errors import ServerError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime.draft_mime import DRAFT_ID_FIELD, build_draft_copy, read_draft_copy
from govmail_desktop.net.imap.grammar import format_sequence_set
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.drafts import DraftDamaged, DraftStore
from govmail_desktop.sync.connection import MailboxConnection
from govmail_desktop.sync.control import CancelToken
from govmail_desktop.sync.folder_list import create_special_folder, sync_folder_list

log = logging.getLogger(__name__)

DRAFT_FLAGS = ("\\Draft", "\\Seen")
#: A Drafts copy bigger than this is not fetched to be opened.
MAX_FETCH_BYTES = 64 * 1024 * 1024
_SEARCHABLE = re.compile(r"[!#-\[\]-~]+")  # printable ASCII without space, quote or backslash


class DraftServerError(ServerError):
    """The Drafts folder copy could not be saved or opened."""

    code = "draft-server"
    default_message = QT_TRANSLATE_NOOP("Drafts", "The draft could not be saved in the server's Drafts folder.")
    default_hint = QT_TRANSLATE_NOOP("Drafts", "The draft is still kept on this computer.")


class ServerDraftGone(ServerError):
    """The draft to open is no longer in the folder (deleted or moved by another program)."""

    code = "draft-gone"
    default_message = QT_TRANSLATE_NOOP("Drafts", "This draft is no longer on the server.")
    default_hint = QT_TRANSLATE_NOOP("Drafts", "It may have been sent or deleted by another mail program.")


# ------------------------------------------------------------------ the folder


def _cached_drafts(cache: MailCache) -> str | None:
    for cached in cache.folders():
        if cached.folder.special_use == SpecialUse.DRAFTS:
            return cached.name
    return None


def drafts_folder(
    conn: MailboxConnection,
    cache: MailCache,
    *,
    chosen: Mapping[str, str] | None = None,
    cancel: CancelToken | None = None,
    create: bool = True,
) -> str | None:
    """The account's Drafts folder (see the module text); None only when ``create`` is False
    and there is none."""
    name = _cached_drafts(cache)
    if name is not None:
        return name
    sync_folder_list(conn, cache, cancel=cancel, chosen=chosen)
    name = _cached_drafts(cache)
    if name is None and create:
        log.info("The account has no Drafts folder; creating one")
        name = create_special_folder(conn, cache, SpecialUse.DRAFTS, cancel=cancel, chosen=chosen)
    return name


# ------------------------------------------------------------------ saving


def _quoted(value: str) -> str:
    if not _SEARCHABLE.fullmatch(value):
        raise ValueError(f"cannot search for {value!r}")
    return f'"{value}"'


def _search(conn: MailboxConnection, criteria: str) -> set[int]:
    return set(conn.uid_search(criteria).numbers())


def _copies_of(conn: MailboxConnection, draft_id: str, *, undeleted: bool) -> set[int]:
    criteria = f"HEADER {DRAFT_ID_FIELD} {_quoted(draft_id)}"
    return _search(conn, ("UNDELETED " if undeleted else "") + criteria)


def _remove(conn: MailboxConnection, folder: str, uids: set[int]) -> None:
    """Mark ``uids`` \\Deleted and expunge exactly them (UIDPLUS); without UIDPLUS only mark them."""
    if not uids:
        return
    uid_set = format_sequence_set(sorted(uids))
    conn.store_flags(uid_set, "+", ["\\Deleted"])
    if conn.has("UIDPLUS"):
        conn.uid_expunge(uid_set)
        log.info("Earlier Drafts copies removed (%d)", len(uids))
    else:
        log.info(
            "Server has no UIDPLUS: %d earlier Drafts copies left marked \\Deleted in %r "
            "(a plain EXPUNGE would also erase messages other programs marked)", len(uids), folder,
        )


def _earlier_copy(draft: Draft, folder: str, uidvalidity: int | None) -> int | None:
    ref = draft.server_copy
    if ref is None:
        return None
    if ref.folder != folder or ref.uidvalidity != uidvalidity:
        log.info("The draft's earlier server copy is in another folder or folder generation; not removed")
        return None
    return ref.uid


def save_draft(
    conn: MailboxConnection,
    draft: Draft,
    read_attachment: Callable[[DraftAttachment], bytes],
    *,
    folder: str,
    fallback_sender: Address,
    cancel: CancelToken | None = None,
) -> MessageRef | None:
    """APPEND ``draft`` to ``folder`` and remove its earlier copies. Returns where the new copy
    is; None when the server took it but could not say which message it is (then nothing
    earlier is removed: two copies rather than none)."""
    built = build_draft_copy(draft, read_attachment, fallback_sender=fallback_sender)
    info = conn.select(folder)
    if cancel is not None:
        cancel.check()
    uid = conn.append(folder, built.sent_copy, list(DRAFT_FLAGS))
    uidvalidity = info.uidvalidity
    if uid is None:
        conn.noop()  # the new message into this connection's view of the folder
        found = _search(conn, f"HEADER Message-ID {_quoted(built.message_id)}")
        if not found:
            log.warning("The server did not say where the saved draft is; earlier copies kept")
            return None
        uid = max(found)
    earlier = _copies_of(conn, draft.draft_id, undeleted=not conn.has("UIDPLUS"))
    previous = _earlier_copy(draft, folder, uidvalidity)
    if previous is not None:
        earlier.add(previous)
    earlier.discard(uid)
    _remove(conn, folder, earlier)
    if uidvalidity is None:
        return None
    return MessageRef(draft.account_id, folder, uidvalidity, uid, built.message_id)


def remove_server_copies(conn: MailboxConnection, draft: Draft, *, folder: str) -> int:
    """Remove every Drafts copy of ``draft`` (it was sent, or the user deleted it). Returns how many."""
    info = conn.select(folder)
    doomed = _copies_of(conn, draft.draft_id, undeleted=not conn.has("UIDPLUS"))
    previous = _earlier_copy(draft, folder, info.uidvalidity)
    if previous is not None:
        doomed.add(previous)
    _remove(conn, folder, doomed)
    return len(doomed)


# ------------------------------------------------------------------ opening


def _fetch_whole(conn: MailboxConnection, uid: int) -> bytes | None:
    data: bytes | None = None
    with contextlib.closing(conn.fetch_stream(str(uid), f"UID BODY.PEEK[]<0.{MAX_FETCH_BYTES}>")) as stream:
        for batch in stream:
            for message in batch.messages:
                if message.uid == uid and message.sections:
                    data = next((v for k, v in message.sections.items() if k.startswith("BODY[]")), data)
    return data


def _find(conn: MailboxConnection, ref: MessageRef) -> tuple[int, int]:
    """(uidvalidity, uid) of ``ref`` now; by its Message-ID when the folder was rebuilt."""
    info = conn.select(ref.folder)
    if info.uidvalidity == ref.uidvalidity:
        return ref.uidvalidity, ref.uid
    if ref.message_id and info.uidvalidity is not None:
        found = _search(conn, f"HEADER Message-ID {_quoted(ref.message_id)}")
        if found:
            return info.uidvalidity, max(found)
    raise ServerDraftGone(detail=f"UIDVALIDITY of {ref.folder!r} changed and the draft was not found")


def _local_twin(store: DraftStore, draft_id: str, ref: MessageRef) -> Draft | None:
    """This computer's copy of the same draft, when it is the one at ``ref`` (or newer)."""
    if not store.exists(draft_id):
        return None
    try:
        local = store.load(draft_id)
    except DraftDamaged:
        return None
    here = local.server_copy
    if here is not None and (here.folder, here.uidvalidity, here.uid) == (ref.folder, ref.uidvalidity, ref.uid):
        return local
    return None


def open_server_draft(conn: MailboxConnection, ref: MessageRef, store: DraftStore) -> Draft:
    """The draft at ``ref`` as a local draft (saved in ``store``, files included)."""
    uidvalidity, uid = _find(conn, ref)
    raw = _fetch_whole(conn, uid)
    if raw is None:
        raise ServerDraftGone(detail=f"UID {uid} of {ref.folder!r} not returned")
    where = MessageRef(ref.account_id, ref.folder, uidvalidity, uid, ref.message_id)
    try:
        server = read_draft_copy(raw, account_id=ref.account_id)
    except ValueError as exc:
        raise DraftServerError(
            QT_TRANSLATE_NOOP("Drafts", "This draft is too big or too complex to be opened."), detail=str(exc)
        ) from None
    if server.draft_id is not None:
        local = _local_twin(store, server.draft_id, where)
        if local is not None:
            return local
    # A draft this computer does not have (or has a different version of): a new local draft,
    # keeping our id only when no local draft uses it (never overwrite local work).
    draft_id = server.draft_id if server.draft_id and not store.exists(server.draft_id) else uuid.uuid4().hex
    attachments = tuple(
        store.add_attachment(draft_id, f.filename, f.content_type, f.data, content_id=f.content_id)
        for f in server.files
    )
    where = MessageRef(ref.account_id, ref.folder, uidvalidity, uid, server.message_id or ref.message_id)
    draft = server.to_draft(draft_id, ref.account_id, attachments, where)
    store.save(draft)
    return draft


__all__ = [
    "DRAFT_FLAGS", "DraftServerError", "ServerDraftGone", "drafts_folder", "open_server_draft",
    "remove_server_copies", "save_draft",
]
