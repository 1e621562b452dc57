"""Where a composer starts: a new message, a reply, a forward, edit as new, a saved draft.

:class:`ComposeStarter` builds the :class:`ComposeSession` with everything it
needs (the account's identities and signatures, the policy's rules, the draft
store, the drafts and outbox services). A reply or forward needs the original
message: :meth:`ComposeStarter.start_from_message` reads it from the account's
cache **on the mailbox's worker thread** (never the GUI thread: a 2 MB HTML
message takes a while to parse), builds the draft there with ``mime.reply`` and
stores the files a forward keeps in the draft store, then hands the session to
the caller on the GUI thread.

A message whose body is not in the cache yet (never opened, offline) cannot be
answered: the caller is told so (:data:`ORIGINAL_NOT_DOWNLOADED`) and the sync
is asked to fetch it.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from govmail_desktop.core.compose import Draft, MessageRef
from govmail_desktop.core.errors import BugError, GovMailError
from govmail_desktop.core.identities import ComposerProfiles, Identity
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, current_language
from govmail_desktop.mime import reply
from govmail_desktop.mime.parse import ParsedMessage
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.policy.recipients import RecipientPolicy
from govmail_desktop.services.compose import (
    AttachmentStore,
    ComposeSession,
    DraftKeeper,
    Outbox,
    SendChecker,
)
from govmail_desktop.services.mailbox import MailboxService
from govmail_desktop.services.mailbox_types import BODY_PART

log = logging.getLogger(__name__)

ORIGINAL_NOT_DOWNLOADED = QT_TRANSLATE_NOOP(
    "Composer",
    "The message has not been downloaded yet. It is being fetched; please try again in a moment.",
)
ORIGINAL_GONE = QT_TRANSLATE_NOOP("Composer", "The message is no longer in this folder.")


class Start(enum.Enum):
    """What the user asked for on the selected message."""

    REPLY = "reply"
    REPLY_ALL = "reply-all"
    FORWARD = "forward"
    FORWARD_ATTACHED = "forward-attached"
    EDIT_AS_NEW = "edit-as-new"


class AccountLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def address(self) -> str: ...

    @property
    def display_name(self) -> str: ...


@dataclass(frozen=True)
class OriginalMessage:
    """A message read from the cache to answer or forward."""

    ref: MessageRef
    parsed: ParsedMessage
    raw: bytes


class OriginalUnavailable(GovMailError):
    code = "original-unavailable"
    default_message = ORIGINAL_NOT_DOWNLOADED


def read_original(service: MailboxService, folder_id: int, uid: int, lang: str) -> OriginalMessage:
    """The cached message (worker thread). Raises :class:`OriginalUnavailable` when not cached."""
    cache = service.cache
    folder = cache.folder(folder_id)
    summary = cache.summary(folder_id, uid)
    if folder is None or summary is None:
        raise OriginalUnavailable(ORIGINAL_GONE, detail=f"folder {folder_id} uid {uid} gone")
    raw = cache.get_part(folder_id, uid, BODY_PART)
    if raw is None:
        raise OriginalUnavailable(detail=f"folder {folder_id} uid {uid}: body not cached")
    parsed = service.parsed_body(folder_id, uid, raw, lang)  # the preview's parse when it is this message
    ref = MessageRef(service.account_id, folder.folder.name, folder.uidvalidity or 0, uid, parsed.message_id or "")
    return OriginalMessage(ref, parsed, raw)


class ComposeStarter:
    """Builds composer sessions for the accounts (see the module docstring)."""

    def __init__(
        self,
        *,
        accounts: Callable[[], Sequence[AccountLike]],
        profiles: ComposerProfiles,
        recipient_policy: RecipientPolicy | None,
        attachment_rules: AttachmentRules | None,
        check: SendChecker | None,
        store: AttachmentStore,
        drafts: DraftKeeper | None = None,
        outbox_for: Callable[[str], Outbox | None] = lambda _account_id: None,
        autosave_seconds: Callable[[], float] = lambda: 5.0,
        language: Callable[[], str] = current_language,
        sender_allowed: Callable[[str], bool] = lambda _address: True,
    ) -> None:
        self.accounts = accounts
        self.profiles = profiles
        self.recipient_policy = recipient_policy
        self.attachment_rules = attachment_rules
        self.check = check
        self.store = store
        self.drafts = drafts
        self.outbox_for = outbox_for
        self.autosave_seconds = autosave_seconds
        self.language = language
        #: Whether the policy takes an extra identity's address (as an account address).
        self.sender_allowed = sender_allowed

    # ------------------------------------------------------------------ identities

    def _account(self, account_id: str) -> AccountLike | None:
        return next((a for a in self.accounts() if a.id == account_id), None)

    def identities(self, account_id: str) -> list[Identity]:
        """The account's own address, then its extra ones the policy takes (one added to the
        settings file by hand outside the allowed domains is not offered)."""
        account = self._account(account_id)
        if account is None:
            return []
        own, *extra = self.profiles.identities(account)
        return [own, *(i for i in extra if self.sender_allowed(i.address))]

    def own_addresses(self) -> list[str]:
        """Every address of the user (all accounts, all identities): left out of a reply all."""
        return [i.address for a in self.accounts() for i in self.profiles.identities(a)]

    def sender_for(self, account_id: str) -> str:
        identities = self.identities(account_id)
        return identities[0].from_text if identities else ""

    # ------------------------------------------------------------------ sessions

    def session(self, draft: Draft, *, fresh: bool = True) -> ComposeSession:
        """A session over ``draft``; a fresh one gets the identity's default signature."""
        session = ComposeSession(
            draft,
            identities=self.identities(draft.account_id),
            signatures=self.profiles.signatures(draft.account_id),
            recipient_policy=self.recipient_policy,
            attachment_rules=self.attachment_rules,
            check=self.check,
            drafts=self.drafts,
            store=self.store,
            outbox=self.outbox_for(draft.account_id),
            autosave_seconds=self.autosave_seconds(),
        )
        session.fresh = fresh
        if fresh:
            session.apply_default_signature()
        return session

    def new(self, account_id: str, **fields: str) -> ComposeSession:
        return self.session(Draft.new(account_id, sender=self.sender_for(account_id), **fields))

    def resume(self, draft: Draft) -> ComposeSession:
        """A saved draft (recovered, or opened from the Drafts folder) goes on as it was."""
        return self.session(draft, fresh=False)

    def draft_from(self, start: Start, original: OriginalMessage, account_id: str) -> Draft:
        """The new draft for ``start`` (worker thread: kept files are written to the draft store)."""
        sender = self.sender_for(account_id)
        lang = self.language()
        if start in (Start.REPLY, Start.REPLY_ALL):
            return reply.reply_draft(
                original.parsed, original.ref, account_id=account_id, sender=sender,
                own_addresses=self.own_addresses(), reply_all=start is Start.REPLY_ALL, lang=lang,
            )
        if start is Start.EDIT_AS_NEW:
            draft, files = reply.edit_as_new_draft(original.parsed, raw=original.raw, account_id=account_id,
                                                   sender=sender)
        else:
            draft, files = reply.forward_draft(
                original.parsed, original.ref, raw=original.raw, account_id=account_id, sender=sender,
                as_attachment=start is Start.FORWARD_ATTACHED, lang=lang,
            )
        kept = [self.store.add_attachment(draft.draft_id, f.filename, f.content_type, f.data) for f in files]
        return draft.touched(attachments=tuple(kept)) if kept else draft

    def start_from_message(
        self,
        service: MailboxService,
        folder_id: int,
        uid: int,
        start: Start,
        on_ready: Callable[[ComposeSession], object],
        on_failed: Callable[[GovMailError], None],
    ) -> None:
        """Read message ``uid`` and build the reply/forward on the worker; ``on_ready`` on the GUI thread."""
        lang = self.language()

        def job() -> Draft:
            original = read_original(service, folder_id, uid, lang)
            return self.draft_from(start, original, service.account_id)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OriginalUnavailable) and exc.message is ORIGINAL_NOT_DOWNLOADED:
                if service.sync is not None:
                    service.sync.fetch_body(folder_id, uid, whole=True)  # a skeleton has no files
            error = exc if isinstance(exc, GovMailError) else BugError(detail=f"{type(exc).__name__}: {exc}")
            log.warning("Could not start %s from uid %s: %s", start.value, uid, exc)
            on_failed(error)

        service.worker.submit(job, partial(self._ready, on_ready), failed)

    def _ready(self, on_ready: Callable[[ComposeSession], object], draft: Draft) -> None:
        on_ready(self.session(draft))


__all__ = [
    "ORIGINAL_NOT_DOWNLOADED", "ComposeStarter", "OriginalMessage", "OriginalUnavailable", "Start", "read_original",
]
