"""What the user is writing: one :class:`Draft`, shared by every part of sending.

The composer window edits a draft, the draft store keeps it on disk while the
user types, the Drafts folder keeps a copy on the server, and on Send the
outbox keeps the draft beside the built bytes (so a failed message can be
edited and sent again). One type for all of them, serialised one way
(:meth:`Draft.to_json` / :meth:`Draft.from_json`).

Recipient fields hold the text the user typed (``"สมชาย <somchai@x.go.th>, ..."``),
not parsed addresses: a half-typed draft must be kept as it is. They are
parsed at Send by the one address parser (``mime.addresses.parse_addresses``).

Also here, because every layer needs them: the official markings — urgency
(ชั้นความเร็ว) and secrecy (ชั้นความลับ).

No Qt, no disk, no network.
"""

from __future__ import annotations

import enum
import json
import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg

#: Version of the JSON form; :meth:`Draft.from_json` reads this and older ones.
DRAFT_FORMAT = 1


class Secrecy(enum.Enum):
    """ชั้นความลับ (Regulation on Maintaining Official Secrets 2001), lowest first."""

    CONFIDENTIAL = "confidential"  # ลับ
    SECRET = "secret"  # ลับมาก
    TOP_SECRET = "top-secret"  # ลับที่สุด

    @property
    def label(self) -> Msg:
        return _SECRECY_LABELS[self]

    @property
    def thai(self) -> str:
        """The Thai word as it is written on the document (not translated)."""
        return _SECRECY_THAI[self]


class Urgency(enum.Enum):
    """ชั้นความเร็ว, lowest first."""

    URGENT = "urgent"  # ด่วน
    VERY_URGENT = "very-urgent"  # ด่วนมาก
    MOST_URGENT = "most-urgent"  # ด่วนที่สุด

    @property
    def label(self) -> Msg:
        return _URGENCY_LABELS[self]

    @property
    def thai(self) -> str:
        """The Thai word as it is written on the document (not translated)."""
        return _URGENCY_THAI[self]


_SECRECY_LABELS = {
    Secrecy.CONFIDENTIAL: QT_TRANSLATE_NOOP("Policy", "confidential"),
    Secrecy.SECRET: QT_TRANSLATE_NOOP("Policy", "secret"),
    Secrecy.TOP_SECRET: QT_TRANSLATE_NOOP("Policy", "top secret"),
}
_SECRECY_THAI = {Secrecy.CONFIDENTIAL: "ลับ", Secrecy.SECRET: "ลับมาก", Secrecy.TOP_SECRET: "ลับที่สุด"}
_URGENCY_LABELS = {
    Urgency.URGENT: QT_TRANSLATE_NOOP("Markings", "urgent"),
    Urgency.VERY_URGENT: QT_TRANSLATE_NOOP("Markings", "very urgent"),
    Urgency.MOST_URGENT: QT_TRANSLATE_NOOP("Markings", "most urgent"),
}
_URGENCY_THAI = {Urgency.URGENT: "ด่วน", Urgency.VERY_URGENT: "ด่วนมาก", Urgency.MOST_URGENT: "ด่วนที่สุด"}

_SECRECY_NAMES = {
    "confidential": Secrecy.CONFIDENTIAL, "ลับ": Secrecy.CONFIDENTIAL,
    "secret": Secrecy.SECRET, "ลับมาก": Secrecy.SECRET,
    "top-secret": Secrecy.TOP_SECRET, "top secret": Secrecy.TOP_SECRET,
    "top_secret": Secrecy.TOP_SECRET, "topsecret": Secrecy.TOP_SECRET, "ลับที่สุด": Secrecy.TOP_SECRET,
}
_URGENCY_NAMES = {
    "urgent": Urgency.URGENT, "ด่วน": Urgency.URGENT,
    "very-urgent": Urgency.VERY_URGENT, "very urgent": Urgency.VERY_URGENT, "ด่วนมาก": Urgency.VERY_URGENT,
    "most-urgent": Urgency.MOST_URGENT, "most urgent": Urgency.MOST_URGENT, "ด่วนที่สุด": Urgency.MOST_URGENT,
}
_NOT_CLASSIFIED = {"", "none", "normal", "unclassified", "ปกติ"}


def parse_secrecy(value: Secrecy | str | None) -> Secrecy | None:
    """Secrecy from the enum, its English name or the Thai word; None = not classified."""
    if value is None or isinstance(value, Secrecy):
        return value
    key = " ".join(str(value).split()).lower()
    if key in _NOT_CLASSIFIED:
        return None
    try:
        return _SECRECY_NAMES[key]
    except KeyError:
        raise ValueError(f"unknown secrecy class {value!r}") from None


def parse_urgency(value: Urgency | str | None) -> Urgency | None:
    """Urgency from the enum, its English name or the Thai word; None = not urgent."""
    if value is None or isinstance(value, Urgency):
        return value
    key = " ".join(str(value).split()).lower()
    if key in _NOT_CLASSIFIED:
        return None
    try:
        return _URGENCY_NAMES[key]
    except KeyError:
        raise ValueError(f"unknown urgency class {value!r}") from None


class OriginalKind(enum.Enum):
    """What the draft does with the message it was started from."""

    REPLY = "reply"  # marks the original \\Answered once sent
    FORWARD = "forward"  # marks the original $Forwarded once sent


@dataclass(frozen=True)
class MessageRef:
    """A message on the server, named so that a cache rebuild does not change it."""

    account_id: str
    folder: str
    uidvalidity: int
    uid: int
    message_id: str = ""  # "<...>" when known: settles a changed UIDVALIDITY


@dataclass(frozen=True)
class DraftAttachment:
    """A file attached to a draft. The bytes live in the draft store, under ``stored_name``."""

    filename: str  # what the recipient sees (may be Thai)
    content_type: str
    size: int
    stored_name: str  # file name inside the draft's own directory (ASCII, made by the store)
    #: For an image shown in the rich body (``<img src="cid:...">``); empty for a plain attachment.
    content_id: str = ""


@dataclass(frozen=True)
class Draft:
    """One message being written. Immutable: edits make a new value (:func:`dataclasses.replace`)."""

    draft_id: str
    account_id: str
    #: The identity sending it: the From address as typed/chosen ("ชื่อ <a@b.go.th>").
    sender: str = ""
    to: str = ""
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    text: str = ""
    #: The rich body as HTML, or None for a plain-text message.
    html: str | None = None
    attachments: tuple[DraftAttachment, ...] = ()
    urgency: Urgency | None = None
    secrecy: Secrecy | None = None
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    #: The message this one replies to or forwards, flagged once this one is sent.
    original: MessageRef | None = None
    original_kind: OriginalKind | None = None
    #: The copy in the server's Drafts folder, replaced (not duplicated) on each save.
    server_copy: MessageRef | None = None
    #: Seconds since the epoch of the last change the user made.
    updated_at: float = 0.0

    @staticmethod
    def new(account_id: str, **values: Any) -> Draft:
        """A new draft with a fresh id."""
        return Draft(draft_id=uuid.uuid4().hex, account_id=account_id, updated_at=time.time(), **values)

    def touched(self, **changes: Any) -> Draft:
        """This draft with ``changes`` and a new ``updated_at``."""
        return replace(self, updated_at=time.time(), **changes)

    @property
    def is_empty(self) -> bool:
        """Nothing the user would miss: no recipients, subject, body or attachments."""
        return not (
            self.to.strip() or self.cc.strip() or self.bcc.strip() or self.subject.strip()
            or self.text.strip() or self.attachments
        )

    # ------------------------------------------------------------ JSON

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": DRAFT_FORMAT,
            "draft_id": self.draft_id,
            "account_id": self.account_id,
            "sender": self.sender,
            "to": self.to,
            "cc": self.cc,
            "bcc": self.bcc,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "attachments": [_attachment_dict(a) for a in self.attachments],
            "urgency": self.urgency.value if self.urgency else None,
            "secrecy": self.secrecy.value if self.secrecy else None,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "original": _ref_dict(self.original),
            "original_kind": self.original_kind.value if self.original_kind else None,
            "server_copy": _ref_dict(self.server_copy),
            "updated_at": self.updated_at,
        }

    @staticmethod
    def from_json(text: str) -> Draft:
        """The draft :meth:`to_json` wrote. Raises ValueError on anything else."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"draft is not JSON: {exc}") from None
        return Draft.from_dict(data)

    @staticmethod
    def from_dict(data: object) -> Draft:
        if not isinstance(data, dict):
            raise ValueError("draft is not a JSON object")
        if not isinstance(data.get("format"), int) or data["format"] > DRAFT_FORMAT:
            raise ValueError(f"unknown draft format {data.get('format')!r}")
        try:
            html = data.get("html")
            return Draft(
                draft_id=_str(data, "draft_id", required=True),
                account_id=_str(data, "account_id", required=True),
                sender=_str(data, "sender"),
                to=_str(data, "to"),
                cc=_str(data, "cc"),
                bcc=_str(data, "bcc"),
                subject=_str(data, "subject"),
                text=_str(data, "text"),
                html=html if isinstance(html, str) else None,
                attachments=tuple(_attachment(a) for a in data.get("attachments") or ()),
                urgency=Urgency(data["urgency"]) if data.get("urgency") else None,
                secrecy=Secrecy(data["secrecy"]) if data.get("secrecy") else None,
                in_reply_to=_str(data, "in_reply_to"),
                references=tuple(str(r) for r in data.get("references") or ()),
                original=_ref(data.get("original")),
                original_kind=OriginalKind(data["original_kind"]) if data.get("original_kind") else None,
                server_copy=_ref(data.get("server_copy")),
                updated_at=float(data.get("updated_at") or 0.0),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"damaged draft: {exc}") from None


def _str(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise ValueError(f"{key} must be a string")
    return value


def _attachment_dict(a: DraftAttachment) -> dict[str, Any]:
    return {"filename": a.filename, "content_type": a.content_type, "size": a.size,
            "stored_name": a.stored_name, "content_id": a.content_id}


def _attachment(data: object) -> DraftAttachment:
    if not isinstance(data, dict):
        raise ValueError("attachment is not an object")
    size = data.get("size")
    if not isinstance(size, int) or size < 0:
        raise ValueError("attachment size must be a non-negative integer")
    return DraftAttachment(
        filename=_str(data, "filename", required=True),
        content_type=_str(data, "content_type") or "application/octet-stream",
        size=size,
        stored_name=_str(data, "stored_name", required=True),
        content_id=_str(data, "content_id"),
    )


def _ref_dict(ref: MessageRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"account_id": ref.account_id, "folder": ref.folder, "uidvalidity": ref.uidvalidity,
            "uid": ref.uid, "message_id": ref.message_id}


def _ref(data: object) -> MessageRef | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("message reference is not an object")
    uidvalidity, uid = data.get("uidvalidity"), data.get("uid")
    if not isinstance(uidvalidity, int) or not isinstance(uid, int):
        raise ValueError("message reference needs integer uidvalidity and uid")
    return MessageRef(
        account_id=_str(data, "account_id", required=True),
        folder=_str(data, "folder", required=True),
        uidvalidity=uidvalidity,
        uid=uid,
        message_id=_str(data, "message_id"),
    )


__all__ = [
    "DRAFT_FORMAT", "Draft", "DraftAttachment", "MessageRef", "OriginalKind", "Secrecy", "Urgency",
    "parse_secrecy", "parse_urgency",
]
