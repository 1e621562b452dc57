"""The start-up offer: "unsent drafts were found — open them?" after a crash or a killed app.

:func:`offer_unsent_drafts` asks the drafts service for what an earlier run left on
disk and, when there is something, shows :class:`DraftRecoveryDialog` (not modal
to the rest of the window: the mail can be read meanwhile). Each draft is listed
with its subject, recipients and when it was last changed (Thai date, Buddhist era);
all are ticked. "Open" hands the ticked ones to ``open_draft`` (the composer);
"Later" keeps every draft on disk (they are offered again at the next start);
"Discard" throws away the ticked ones after asking.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.compose import Draft
from govmail_desktop.i18n.catalog import current_language
from govmail_desktop.i18n.thai_dates import format_full
from govmail_desktop.i18n.timeutil import from_epoch
from govmail_desktop.services.drafts_service import DraftsService

log = logging.getLogger(__name__)


class DraftRecoveryDialog(QDialog):
    """Lists recovered drafts; ``chosen`` / ``discardChosen`` carry the ticked ones."""

    chosen = Signal(list)
    discardChosen = Signal(list)

    def __init__(self, drafts: list[Draft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftRecoveryDialog")
        self.drafts = list(drafts)
        self.setWindowTitle(self.tr("Unsent drafts"))
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.tr(
            "GovMail was closed before these messages were sent. They were kept on this computer. "
            "Open them to continue writing?"
        ))
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.intro)
        self.list = QListWidget()
        for draft in self.drafts:
            item = QListWidgetItem(self._describe(draft))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, draft.draft_id)
            self.list.addItem(item)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("Open"))
        self.later_button = QPushButton(self.tr("Later"))
        self.discard_button = QPushButton(self.tr("Discard…"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._open)
        self.later_button.clicked.connect(self.reject)
        self.discard_button.clicked.connect(self._ask_discard)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def _describe(self, draft: Draft) -> str:
        subject = draft.subject.strip() or self.tr("(no subject)")
        to = draft.to.strip() or self.tr("(no recipients)")
        when = from_epoch(draft.updated_at, None) if draft.updated_at > 0 else None
        shown = format_full(when, current_language())
        return self.tr("{subject} — to {to} — {when}").format(subject=subject, to=to, when=shown)

    def ticked(self) -> list[Draft]:
        ids = {
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        }
        return [d for d in self.drafts if d.draft_id in ids]

    def _open(self) -> None:
        self.chosen.emit(self.ticked())
        self.accept()

    def _ask_discard(self) -> None:
        doomed = self.ticked()
        if not doomed:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Discard drafts"),
            self.tr("Discard {count} draft(s) for good? They cannot be brought back.").format(count=len(doomed)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Discard"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep"))
        box.setObjectName("draftDiscardQuestion")

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.discardChosen.emit(doomed)
                self.accept()

        box.finished.connect(answered)
        box.open()


def offer_unsent_drafts(
    parent: QWidget, service: DraftsService, open_draft: Callable[[Draft], None]
) -> DraftRecoveryDialog | None:
    """Show the offer when an earlier run left drafts (None when there are none)."""
    drafts = service.recoverable()
    if not drafts:
        return None
    log.info("Offering %d unsent draft(s) from an earlier run", len(drafts))
    dialog = DraftRecoveryDialog(drafts, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def open_all(chosen: list[Draft]) -> None:
        for draft in chosen:
            open_draft(draft)

    def discard_all(doomed: list[Draft]) -> None:
        for draft in doomed:
            service.discard(draft.draft_id)

    dialog.chosen.connect(open_all)
    dialog.discardChosen.connect(discard_all)
    dialog.open()
    return dialog


__all__ = ["DraftRecoveryDialog", "offer_unsent_drafts"]
