"""The logic of one message being written: :class:`ComposeSession` around a :class:`Draft`.

The composer window (``ui/composer/``) shows a session and hands it what the
user typed; everything that decides something lives here:

* **From** — the identities of the account (``core/identities.py``);
* **signatures** — per identity, placed above the quote of a reply or forward;
* **recipients marked as you type** — each address of To/Cc/Bcc checked by the
  policy's :class:`RecipientPolicy` (ok / warn / block, with the reason), and
  ``saraban@`` addresses recognised as official-document addresses;
* **attachments** — stored in the draft store (their bytes never live in the
  window), each with its size, their total against the policy's limit;
* **before sending** — the one pre-send check (``mime.outgoing.check_before_send``,
  injected as ``check``): a blocked message is never handed to the outbox, a
  warned one only with the user's confirmation of exactly those findings
  (the sending service checks again right before SMTP);
* **autosave** — the draft goes to the drafts service every few seconds while it
  changes, and once more when the window closes.

Qt: QtCore only (a timer and signals), no widget; no network, no disk here
(the collaborators do that off the GUI thread).

Signals of :class:`ComposeSession`:
    changed(): the draft changed (any field).
    attachmentsChanged(): an attachment was added or removed.
    autosaved(): the draft was handed to the drafts service.
    sendRefused(object): the pre-send check blocked the message (its SendCheck).
    submitted(): the message went to the outbox (the window may close).
"""

from __future__ import annotations

import enum
import logging
import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from govmail_desktop.core.compose import Draft, DraftAttachment, Secrecy, Urgency
from govmail_desktop.core.errors import BugError, GovMailError
from govmail_desktop.core.identities import Identity, Signature
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.policy.attachments import AttachmentFinding, AttachmentRules
from govmail_desktop.policy.hosts import InvalidHost, split_address
from govmail_desktop.policy.recipients import BLOCK, RecipientPolicy
from govmail_desktop.services.local_worker import LocalWorker

log = logging.getLogger(__name__)

#: Autosave interval when the settings say nothing else (seconds).
DEFAULT_AUTOSAVE_SECONDS = 5


class Mark(enum.Enum):
    """How one typed recipient is shown."""

    OK = "ok"
    WARN = "warn"
    BLOCK = "block"


@dataclass(frozen=True)
class RecipientMark:
    """One address of a recipient field as the policy sees it."""

    #: The mailbox as typed ("สมชาย <a@x.go.th>"), and its bare address.
    shown: str
    address: str
    mark: Mark
    #: Why (the policy's words), in the current language; "" when OK.
    reason: str = ""
    #: A ``saraban@`` address: official documents (หนังสือราชการ) go there.
    official: bool = False


class DraftKeeper(Protocol):
    """What the session needs of the drafts service (``services/drafts_service.py``)."""

    def autosave(self, draft: Draft) -> None: ...


class AttachmentStore(Protocol):
    """What the session needs of the draft store (``store/drafts.py``)."""

    def add_attachment(
        self, draft_id: str, filename: str, content_type: str, data: bytes | Path, *, content_id: str = ""
    ) -> DraftAttachment: ...

    def read_attachment(self, draft_id: str, attachment: DraftAttachment) -> bytes: ...

    def discard(self, draft_id: str) -> None: ...


class Outbox(Protocol):
    """What the session needs of the outbox service (``services/outbox_service.py``)."""

    def submit(self, draft: Draft, read_attachment: Callable[[DraftAttachment], bytes]) -> None: ...


class SendFindingLike(Protocol):
    """One finding of the pre-send check (``mime.outgoing.SendFinding``)."""

    @property
    def subject(self) -> str: ...

    @property
    def level(self) -> str: ...

    @property
    def code(self) -> str: ...

    def text(self, lang: str | None = None) -> str: ...


class SendCheckResult(Protocol):
    """The result of the pre-send check (``mime.outgoing.SendCheck``)."""

    @property
    def blocked(self) -> bool: ...

    @property
    def warned(self) -> bool: ...

    @property
    def findings(self) -> Sequence[SendFindingLike]: ...


#: The pre-send check over a draft (``check_before_send`` with the policy's rules bound).
SendChecker = Callable[[Draft], SendCheckResult]

NOT_CONFIRMED = QT_TRANSLATE_NOOP(
    "Composer", "The warnings changed after you confirmed them; please check the message again."
)


class CannotSend(GovMailError):
    """The account has no way to send now (its outbox could not be opened, the policy is broken)."""

    code = "cannot-send"
    default_message = QT_TRANSLATE_NOOP(
        "Composer", "Messages cannot be sent from this account now. The message is kept in Drafts."
    )


class StillAttaching(GovMailError):
    """Send pressed while files are still being copied into the draft."""

    code = "still-attaching"
    default_message = QT_TRANSLATE_NOOP(
        "Composer", "Files are still being attached. Please send again in a moment."
    )


class SendRefused(Exception):
    """The message may not be sent as it is (blocked, or warnings not confirmed)."""

    def __init__(self, check: SendCheckResult | None, message: Msg | None = None) -> None:
        super().__init__(message.text("en") if message else "blocked by the pre-send check")
        self.check = check
        self.message = message


def is_official(address: str) -> bool:
    """A saraban@ address (through the markings module when it is there)."""
    try:
        from govmail_desktop.mime.markings import is_official_address
    except ImportError:  # pragma: no cover - until mime/markings.py lands
        return address.strip().lower().startswith("saraban@")
    return bool(is_official_address(address))


def mark_recipients(
    text: str, policy: RecipientPolicy | None, secrecy: Secrecy | None = None, *, typing: bool = False
) -> list[RecipientMark]:
    """Each mailbox of a recipient field with its mark.

    ``typing``: the user is still typing at the end of the field, so a last entry
    that is not an address yet is left unmarked (it is not red while half typed).
    """
    entries = list(parse_addresses([text]).addresses) if text.strip() else []
    if typing and entries and not text.rstrip().endswith((",", ";")):
        if not _is_address(entries[-1].email):
            entries.pop()
    marks: list[RecipientMark] = []
    for entry in entries:
        findings = policy.check([entry.email], secrecy) if policy is not None else []
        # A message-wide finding (classified mail blocked entirely) is said once, not per address.
        own = [f for f in findings if f.address]
        level = Mark.BLOCK if any(f.level == BLOCK for f in own) else Mark.WARN if own else Mark.OK
        marks.append(RecipientMark(
            shown=str(entry), address=entry.email, mark=level,
            reason=" ".join(f.text() for f in own), official=is_official(entry.email),
        ))
    return marks


def _is_address(text: str) -> bool:
    try:
        split_address(text)
    except InvalidHost:
        return False
    return True


def place_signature(body: str, signature: Signature | None, *, quoted: bool) -> str:
    """The body with the signature: above the quote of a reply/forward, else at the end.

    The blank lines around it leave the cursor's place (the top) for the user's own text.
    """
    block = signature.text() if signature is not None else ""
    if not block:
        return body
    if quoted:
        return "\n\n" + block + "\n\n" + body.lstrip("\n")
    return (body.rstrip("\n") + "\n\n" if body.strip() else "\n\n") + block + "\n"


def place_signature_html(html: str, signature: Signature | None, *, quoted: bool) -> str:
    """As :func:`place_signature`, for a rich body (the signature as escaped lines)."""
    import html as html_lib

    if signature is None or signature.is_empty:
        return html
    lines = "<br>".join(html_lib.escape(line) for line in [signature.text().split("\n")[0], *signature.lines])
    block = f'<p class="signature">{lines}</p>'
    if quoted:
        return "<p><br></p>" + block + html
    return html + "<p><br></p>" + block


def new_content_id(sender: str) -> str:
    """A Content-ID for a picture of the body: unique, on the sender's domain when known."""
    import uuid

    found = parse_addresses([sender]).addresses if sender.strip() else ()
    domain = found[0].email.rpartition("@")[2] if found else ""
    if not domain or not domain.isascii() or not all(ch.isalnum() or ch in ".-" for ch in domain):
        domain = "govmail.invalid"
    return f"image-{uuid.uuid4().hex[:16]}@{domain}"


def human_size(size: int) -> str:
    """A size as people read it (1 decimal above 1 MB)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{(size + 1023) // 1024} KB"
    return f"{size} B"


def guess_content_type(filename: str) -> str:
    return mimetypes.guess_type(filename, strict=False)[0] or "application/octet-stream"


class ComposeSession(QObject):
    """One message being written (see the module docstring for what it decides)."""

    changed = Signal()
    attachmentsChanged = Signal()
    autosaved = Signal()
    sendRefused = Signal(object)
    submitted = Signal()

    def __init__(
        self,
        draft: Draft,
        *,
        identities: Sequence[Identity] = (),
        signatures: Sequence[Signature] = (),
        recipient_policy: RecipientPolicy | None = None,
        attachment_rules: AttachmentRules | None = None,
        check: SendChecker | None = None,
        drafts: DraftKeeper | None = None,
        store: AttachmentStore | None = None,
        outbox: Outbox | None = None,
        autosave_seconds: float = DEFAULT_AUTOSAVE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._draft = draft
        self.identities = list(identities)
        self.signatures = list(signatures)
        self.recipient_policy = recipient_policy
        self.attachment_rules = attachment_rules
        self._check = check
        self._drafts = drafts
        self._store = store
        self._outbox = outbox
        #: Started now (new, reply, forward), not a saved draft taken up again.
        self.fresh = not draft.text and not draft.html
        #: Saved since the last change (nothing to autosave).
        self._clean = True
        self._closed = False
        self._copier: LocalWorker | None = None
        self._copying = 0
        self._autosave = QTimer(self)
        self._autosave.setInterval(max(1, int(autosave_seconds * 1000)))
        self._autosave.timeout.connect(self.autosave_now)
        self._autosave.start()

    # ------------------------------------------------------------------ the draft

    @property
    def draft(self) -> Draft:
        return self._draft

    @property
    def is_reply_or_forward(self) -> bool:
        return self._draft.original is not None or bool(self._draft.in_reply_to)

    def update(self, **changes: object) -> None:
        """The user changed fields (``to=``, ``subject=``, ``text=``, ``html=`` …)."""
        current = {k: getattr(self._draft, k) for k in changes}
        if current == changes:
            return
        self._draft = self._draft.touched(**changes)
        self._clean = False
        self.changed.emit()

    def set_urgency(self, urgency: Urgency | None) -> None:
        self.update(urgency=urgency)

    def set_secrecy(self, secrecy: Secrecy | None) -> None:
        self.update(secrecy=secrecy)

    def identity(self) -> Identity | None:
        """The identity whose address is the draft's From (None: an address typed by hand)."""
        sender = parse_addresses([self._draft.sender]).addresses if self._draft.sender else ()
        address = sender[0].email.casefold() if sender else ""
        return next((i for i in self.identities if i.address.casefold() == address), None)

    def set_identity(self, identity: Identity) -> None:
        self.update(sender=identity.from_text)

    def signatures_for(self, identity: Identity | None) -> list[Signature]:
        if identity is None:
            return list(self.signatures)
        key = identity.address.casefold()
        return [s for s in self.signatures if not s.identity or s.identity.casefold() == key]

    def default_signature(self) -> Signature | None:
        candidates = [s for s in self.signatures_for(self.identity()) if s.default]
        candidates.sort(key=lambda s: not s.identity)
        return candidates[0] if candidates else None

    def apply_default_signature(self) -> None:
        """Put the identity's default signature in the body (a new message, a reply: once)."""
        signature = self.default_signature()
        if signature is None:
            return
        quoted = self.is_reply_or_forward
        changes: dict[str, object] = {"text": place_signature(self._draft.text, signature, quoted=quoted)}
        if self._draft.html is not None:
            changes["html"] = place_signature_html(self._draft.html, signature, quoted=quoted)
        self.update(**changes)
        self._clean = True  # nothing the user typed yet

    # ------------------------------------------------------------------ recipients

    def recipient_marks(self, text: str, *, typing: bool = False) -> list[RecipientMark]:
        """The marks of one field's text, under the draft's secrecy."""
        return mark_recipients(text, self.recipient_policy, self._draft.secrecy, typing=typing)

    def message_wide_findings(self) -> list[str]:
        """Policy words about the whole message (classified mail not allowed by e-mail at all)."""
        if self.recipient_policy is None or self._draft.secrecy is None:
            return []
        return [f.text() for f in self.recipient_policy.check([], self._draft.secrecy) if not f.address]

    # ------------------------------------------------------------------ attachments

    @property
    def attachments(self) -> tuple[DraftAttachment, ...]:
        return self._draft.attachments

    def attachment_total(self) -> int:
        return sum(a.size for a in self._draft.attachments)

    def attachment_limit(self) -> int | None:
        """The policy's limit in bytes (None: no rules known)."""
        return self.attachment_rules.max_bytes if self.attachment_rules is not None else None

    def over_limit(self) -> bool:
        limit = self.attachment_limit()
        return limit is not None and self.attachment_total() > limit

    def attachment_findings(self, attachment: DraftAttachment) -> list[AttachmentFinding]:
        """What the policy says about this file's name (a blocked type, a disguised one)."""
        return self.attachment_rules.check_name(attachment.filename) if self.attachment_rules else []

    def attach(self, filename: str, data: bytes | Path, content_type: str = "") -> DraftAttachment:
        """Keep the file in the draft store and list it (raises the store's StorageError)."""
        if self._store is None:
            raise RuntimeError("no draft store to keep attachments in")
        attachment = self._store.add_attachment(
            self._draft.draft_id, filename, content_type or guess_content_type(filename), data
        )
        self.update(attachments=(*self._draft.attachments, attachment))
        self.attachmentsChanged.emit()
        return attachment

    def attach_files(self, paths: Sequence[Path], on_error: Callable[[GovMailError], None]) -> None:
        """Copy files into the draft store on a worker thread (a 25 MB file must not freeze
        the window); each is listed (``attachmentsChanged``) once it is safely copied."""
        if self._store is None:
            raise RuntimeError("no draft store to keep attachments in")
        if self._copier is None:
            self._copier = LocalWorker(f"attach-{self._draft.draft_id[:8]}", parent=self)
        store, draft_id = self._store, self._draft.draft_id
        for path in paths:
            self._copying += 1
            self._copier.submit(
                partial(store.add_attachment, draft_id, path.name, guess_content_type(path.name), path),
                self._copied, partial(self._copy_failed, on_error),
            )

    @property
    def copying(self) -> int:
        """Files still being copied in."""
        return self._copying

    def _copied(self, attachment: DraftAttachment) -> None:
        self._copying -= 1
        if self._closed:
            return
        self.update(attachments=(*self._draft.attachments, attachment))
        self.attachmentsChanged.emit()

    def _copy_failed(self, on_error: Callable[[GovMailError], None], exc: BaseException) -> None:
        self._copying -= 1
        on_error(exc if isinstance(exc, GovMailError) else BugError(detail=f"{type(exc).__name__}: {exc}"))

    def add_inline_image(self, data: bytes, content_type: str = "image/png") -> DraftAttachment:
        """A picture shown in the rich body: kept in the draft store with a Content-ID (the
        body shows it by ``<img src="cid:…">``; sent as multipart/related). Raises the
        store's StorageError."""
        if self._store is None:
            raise RuntimeError("no draft store to keep pictures in")
        content_id = new_content_id(self._draft.sender)
        extension = (mimetypes.guess_extension(content_type) or ".png").lstrip(".")
        attachment = self._store.add_attachment(
            self._draft.draft_id, f"{content_id.split('@', 1)[0]}.{extension}", content_type, data,
            content_id=content_id,
        )
        self.update(attachments=(*self._draft.attachments, attachment))
        self.attachmentsChanged.emit()
        return attachment

    @property
    def inline_images(self) -> tuple[DraftAttachment, ...]:
        """The pictures of the rich body (in the draft store, sent inline)."""
        if self._draft.html is None:
            return ()
        return tuple(a for a in self._draft.attachments if a.content_id)

    @property
    def listed_attachments(self) -> tuple[DraftAttachment, ...]:
        """The files the attachment list shows (a rich body's pictures are in the body)."""
        shown = set(self.inline_images)
        return tuple(a for a in self._draft.attachments if a not in shown)

    def images_to_attachments(self) -> None:
        """The body becomes plain text: its pictures go as ordinary attachments."""
        from dataclasses import replace

        if any(a.content_id for a in self._draft.attachments):
            self.update(attachments=tuple(replace(a, content_id="") for a in self._draft.attachments))
            self.attachmentsChanged.emit()

    def drop_unused_images(self) -> None:
        """Pictures deleted from the rich body are not sent (nor kept with the draft)."""
        html = self._draft.html
        if html is None:
            return
        kept = tuple(a for a in self._draft.attachments if not a.content_id or f"cid:{a.content_id}" in html)
        if len(kept) != len(self._draft.attachments):
            self.update(attachments=kept)
            self.attachmentsChanged.emit()

    def remove_attachment(self, stored_name: str) -> None:
        kept = tuple(a for a in self._draft.attachments if a.stored_name != stored_name)
        if len(kept) != len(self._draft.attachments):
            self.update(attachments=kept)
            self.attachmentsChanged.emit()

    def read_attachment(self, attachment: DraftAttachment) -> bytes:
        if self._store is None:
            raise RuntimeError("no draft store")
        return self._store.read_attachment(self._draft.draft_id, attachment)

    # ------------------------------------------------------------------ sending

    def pre_send_check(self) -> SendCheckResult | None:
        """The one pre-send check over the draft as it is now (None: none configured)."""
        return self._check(self._draft) if self._check is not None else None

    def send(self, confirmed: SendCheckResult | None = None) -> None:
        """Hand the message to the outbox after checking it again.

        A blocked message raises :class:`SendRefused` (and emits ``sendRefused``);
        a warned one is sent only when ``confirmed`` is the check the user saw and it
        names the same findings (nothing new slipped in after the confirmation).
        """
        if self._copying:
            raise StillAttaching()
        check = self.pre_send_check()
        if check is not None and check.blocked:
            self.sendRefused.emit(check)
            raise SendRefused(check)
        if check is not None and check.warned and not _same_findings(check, confirmed):
            self.sendRefused.emit(check)
            raise SendRefused(check, NOT_CONFIRMED)
        if self._outbox is None:
            raise CannotSend(detail=f"no outbox for account {self._draft.account_id}")
        self._autosave.stop()
        draft = self._draft
        if self._drafts is not None:
            # On disk as sent: if the outbox refuses it later, the draft is there to reopen.
            self._drafts.autosave(draft)
        self._outbox.submit(draft, self.read_attachment)
        self._clean = True
        self._closed = True
        if self._copier is not None:
            self._copier.shutdown()
        log.info("Draft %s handed to the outbox", draft.draft_id)
        self.submitted.emit()

    # ------------------------------------------------------------------ saving and closing

    @property
    def is_closed(self) -> bool:
        """Sent, kept or discarded: nothing more happens to this draft here."""
        return self._closed

    @property
    def has_unsaved_changes(self) -> bool:
        return not self._clean

    def autosave_now(self) -> None:
        """Hand the draft to the drafts service if it changed (the timer, Ctrl+S, closing)."""
        if self._clean or self._closed or self._drafts is None:
            return
        if self._draft.is_empty and not self._draft.server_copy:
            return  # nothing the user would miss
        self._drafts.autosave(self._draft)
        self._clean = True
        self.autosaved.emit()

    def save_draft(self) -> None:
        """Ctrl+S: save now, also to the server's Drafts folder when the service can."""
        self._clean = False
        self.autosave_now()
        to_server = getattr(self._drafts, "save_to_server", None)
        if to_server is not None and not self._draft.is_empty:
            to_server(self._draft)

    def close(self, *, keep: bool) -> None:
        """The window closes: keep the draft (saved once more) or throw it away."""
        if self._closed:
            return
        if keep:
            self.save_draft()
        elif (discard := getattr(self._drafts, "discard", None)) is not None:
            discard(self._draft.draft_id)  # the drafts service: a late autosave cannot bring it back
        elif self._store is not None:
            self._store.discard(self._draft.draft_id)
        self._closed = True
        self._autosave.stop()
        if self._copier is not None:
            self._copier.shutdown()


def _same_findings(check: SendCheckResult, confirmed: SendCheckResult | None) -> bool:
    if confirmed is None:
        return False
    return _finding_keys(check) == _finding_keys(confirmed)


def _finding_keys(check: SendCheckResult) -> set[tuple[str, str, str]]:
    keys = set()
    for finding in check.findings:
        keys.add((str(finding.subject), str(finding.level), str(finding.code)))
    return keys


__all__ = [
    "ComposeSession", "Mark", "RecipientMark", "SendCheckResult", "SendRefused", "human_size", "mark_recipients",
    "place_signature", "place_signature_html",
]
