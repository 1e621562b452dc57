"""A composer window over a real draft store and the real pre-send check (tests' seams:
the policy, and what the outbox and the drafts service are)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QApplication

from govmail_desktop.core.compose import Draft
from govmail_desktop.core.identities import Identity
from govmail_desktop.mime.outgoing import check_before_send
from govmail_desktop.policy.sources import policy_from_dict
from govmail_desktop.services.compose import ComposeSession
from govmail_desktop.store.drafts import DraftStore

SENDER = Identity("acc1", "somchai@dwr.mail.go.th", "สมชาย ใจดี")


class SavingKeeper:
    """The drafts service's autosave, reduced to the store's save (what it ends in)."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store
        self.saved: list[Draft] = []
        self.to_server: list[Draft] = []

    def autosave(self, draft: Draft) -> None:
        self.store.save(draft)
        self.saved.append(draft)

    def save_to_server(self, draft: Draft) -> None:
        self.to_server.append(draft)


class RecordingOutbox:
    def __init__(self) -> None:
        self.submitted: list[Draft] = []

    def submit(self, draft: Draft, read_attachment: Any) -> None:
        self.submitted.append(draft)


def make_policy(**recipients: Any) -> Any:
    eff = policy_from_dict({"recipients": recipients, "attachments": {"max_size_mb": 1}})
    assert eff.error is None
    return eff


def make_session(store: DraftStore, eff: Any, *, outbox: Any = None, draft: Draft | None = None,
                 signatures: Any = (), keeper: Any = None) -> ComposeSession:
    return ComposeSession(
        draft or Draft.new("acc1", sender=SENDER.from_text),
        identities=[SENDER],
        signatures=signatures,
        recipient_policy=eff.recipient_policy(),
        attachment_rules=eff.attachment_rules(),
        check=partial(check_before_send, recipient_policy=eff.recipient_policy(),
                      attachment_rules=eff.attachment_rules()),
        drafts=keeper or SavingKeeper(store),
        store=store,
        outbox=outbox if outbox is not None else RecordingOutbox(),
    )


def active_modal(qtbot: Any) -> Any:
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    return QApplication.activeModalWidget()
