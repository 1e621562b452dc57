"""The Outbox folder's page: the messages not finished yet, what the server said, and the choices.

Shown in place of the message list and preview when the Outbox node of the
folder tree is selected (:mod:`govmail_desktop.ui.outbox_controller` swaps the
pages). Top: one row per message (state, subject, recipients, time, the server's
last answer). Below: the selected message in detail — each recipient with the
server's answer to it (code and text) — and the buttons its state allows:

=================  ==========================================================
failed             Edit and send again · Try again · Delete (asks first)
may have been sent Send again (asks first: the recipients may get it twice) ·
                   Mark as sent
waiting            Send now · Delete (asks first)
sent to some only  Edit and send again (asks first, naming who has it already:
                   the new draft leaves them out) · Remove from the list
sending, filing    (nothing: it finishes by itself)
=================  ==========================================================

The view only asks; :attr:`OutboxView.actionRequested` carries the choice (after
the confirmation where one is asked) to the controller, which hands it to the
outbox service's worker — nothing here touches the disk or the network.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.models.outbox_model import (
    COL_ANSWER,
    COL_RECIPIENTS,
    COL_STATE,
    COL_SUBJECT,
    COL_TIME,
    FAILED_COLOUR,
    UNKNOWN_COLOUR,
    OutboxModel,
    answer_line,
)
from govmail_desktop.models.plain_text import plain_label, plain_tooltip
from govmail_desktop.store.outbox import OutboxEntry, OutboxState, RecipientResult

log = logging.getLogger(__name__)

# The user's choices (what actionRequested carries).
EDIT = "edit"  # failed: back to the composer
TRY_AGAIN = "try-again"  # failed: queued again as it is
DELETE = "delete"  # failed or waiting: out of the outbox, never sent
SEND_NOW = "send-now"  # waiting: try at once
SEND_AGAIN = "send-again"  # may have been sent: send again (confirmed)
MARK_SENT = "mark-sent"  # may have been sent: it was sent, file it
REMOVE = "remove"  # sent to some recipients only: take it off the list

#: Which buttons each state shows, in order.
ACTIONS_BY_STATE: dict[OutboxState, tuple[str, ...]] = {
    OutboxState.FAILED: (EDIT, TRY_AGAIN, DELETE),
    OutboxState.UNKNOWN: (SEND_AGAIN, MARK_SENT),
    OutboxState.QUEUED: (SEND_NOW, DELETE),
    OutboxState.SENDING: (),
    OutboxState.ACCEPTED: (),
    OutboxState.FILED: (),
    OutboxState.DONE: (REMOVE,),
}


def actions_for(entry: OutboxEntry | None) -> tuple[str, ...]:
    if entry is None:
        return ()
    if entry.state is OutboxState.DONE and entry.refused:  # sent to some only: the rest may be corrected
        return (EDIT, REMOVE)
    return ACTIONS_BY_STATE.get(entry.state, ())


def _plain_tip(item: QTreeWidgetItem, column: int) -> None:
    """A recipient row's cell tooltip: the address or the server's words, shown literally."""
    item.setToolTip(column, plain_tooltip(item.text(column)))


class OutboxView(QWidget):
    """The outbox of the account shown (entries given by :meth:`set_entries`).

    Signals:
        actionRequested(str action, str entry_id): the user chose (and confirmed) an action.
    """

    actionRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *, thai_digits: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("outboxView")
        self.model = OutboxModel(self, thai_digits=thai_digits)

        self.title_label = QLabel(self)
        self.title_label.setObjectName("outboxTitle")
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.list = QTreeView(self)
        self.list.setObjectName("outboxList")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setModel(self.model)
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(COL_SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.list.setColumnWidth(COL_STATE, 170)
        self.list.setColumnWidth(COL_RECIPIENTS, 200)
        self.list.setColumnWidth(COL_TIME, 110)
        self.list.setColumnWidth(COL_ANSWER, 260)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._show_detail())
        self.model.modelReset.connect(self._show_detail)
        self.model.dataChanged.connect(lambda *_: self._show_detail())
        self.empty_label = plain_label(QLabel(self))
        self.empty_label.setObjectName("outboxEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)

        # The selected message in detail.
        self.detail = QWidget(self)
        self.detail.setObjectName("outboxDetail")
        self.subject_label = plain_label(QLabel(self.detail))
        self.subject_label.setObjectName("outboxSubject")
        self.subject_label.setWordWrap(True)
        bold = QFont(self.subject_label.font())
        bold.setBold(True)
        self.subject_label.setFont(bold)
        self.state_label = plain_label(QLabel(self.detail))
        self.state_label.setObjectName("outboxState")
        self.state_label.setWordWrap(True)
        self.problem_label = plain_label(QLabel(self.detail))
        self.problem_label.setObjectName("outboxProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recipients = QTreeWidget(self.detail)
        self.recipients.setObjectName("outboxRecipients")
        self.recipients.setRootIsDecorated(False)
        self.recipients.setColumnCount(3)
        self.recipients.setColumnWidth(0, 240)
        self.recipients.setColumnWidth(1, 160)
        self.recipients.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)

        self.buttons: dict[str, QPushButton] = {}
        button_row = QHBoxLayout()
        button_row.setContentsMargins(0, 0, 0, 0)
        for action in (EDIT, SEND_AGAIN, TRY_AGAIN, SEND_NOW, MARK_SENT, DELETE, REMOVE):
            button = QPushButton(self.detail)
            button.setObjectName(f"outbox-{action}")
            button.clicked.connect(lambda _checked=False, a=action: self.request(a))
            button.hide()
            self.buttons[action] = button
            button_row.addWidget(button)
        button_row.addStretch(1)

        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(6, 6, 6, 6)
        detail_layout.addWidget(self.subject_label)
        detail_layout.addWidget(self.state_label)
        detail_layout.addWidget(self.problem_label)
        detail_layout.addWidget(self.recipients, 1)
        detail_layout.addLayout(button_row)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(6, 6, 6, 0)
        top_layout.addWidget(self.title_label)
        top_layout.addWidget(self.list, 1)
        top_layout.addWidget(self.empty_label, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("outboxSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        #: The confirmation open now (tests answer it), or None.
        self.question: QMessageBox | None = None
        self.retranslate_ui()
        self._show_detail()

    # ------------------------------------------------------------------ contents

    def set_entries(self, entries: Sequence[OutboxEntry]) -> None:
        """Show these entries; the selected message stays selected while it is there."""
        chosen = self.selected_entry()
        self.model.set_entries(entries)
        row = self.model.row_of(chosen.entry_id) if chosen is not None else None
        if row is None and self.model.rowCount() and chosen is None:
            row = self._first_needing_user()
        if row is not None and self.list.currentIndex().row() != row:
            self.select_row(row)
        has_rows = self.model.rowCount() > 0
        self.list.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        self._show_detail()

    def _first_needing_user(self) -> int:
        for row, entry in enumerate(self.model.entries()):
            if entry.state in (OutboxState.FAILED, OutboxState.UNKNOWN):
                return row
        return 0

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.list.selectionModel().setCurrentIndex(index, flags)

    def select_entry(self, entry_id: str) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def selected_entry(self) -> OutboxEntry | None:
        index = self.list.currentIndex()
        if not index.isValid() or not self.list.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        return self.model.entry_at(index.row())

    # ------------------------------------------------------------------ detail

    def _show_detail(self) -> None:
        entry = self.selected_entry()
        self.detail.setEnabled(entry is not None)
        self.recipients.clear()
        shown = set(actions_for(entry))
        for action, button in self.buttons.items():
            button.setVisible(action in shown)
        if entry is None:
            self.subject_label.setText(self.tr("Select a message to see what the server answered."))
            self.state_label.clear()
            self.problem_label.clear()
            self.problem_label.hide()
            return
        self.subject_label.setText(entry.subject or self.tr("(no subject)"))
        state = self.tr("{state} · Send pressed {time}").format(
            state=self.model.state_text(entry), time=self.model.time_text(entry.created_at, full=True))
        if entry.attempts:
            state += " · " + self.tr("attempts: {count}").format(count=entry.attempts)
        self.state_label.setText(state)
        colour = {OutboxState.FAILED: FAILED_COLOUR, OutboxState.UNKNOWN: UNKNOWN_COLOUR}.get(entry.state)
        self.state_label.setStyleSheet(f"color: {colour};" if colour else "")
        problem = self.model.problem_text(entry)
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self._fill_recipients(entry)

    def _fill_recipients(self, entry: OutboxEntry) -> None:
        answered = {r.address.lower(): r for r in entry.recipients}
        addresses = list(entry.envelope_recipients)
        addresses += [r.address for r in entry.recipients if r.address.lower() not in
                      {a.lower() for a in addresses}]
        for address in addresses:
            result = answered.get(address.lower())
            item = QTreeWidgetItem([address, self._result_word(entry, result),
                                    answer_line(result) if result is not None else ""])
            for column in range(3):
                _plain_tip(item, column)
            if result is not None and not result.accepted:
                colour = QBrush(QColor(UNKNOWN_COLOUR if result.temporary else FAILED_COLOUR))
                for column in range(3):
                    item.setForeground(column, colour)
            self.recipients.addTopLevelItem(item)

    def _result_word(self, entry: OutboxEntry, result: RecipientResult | None) -> str:
        if result is None:
            if entry.state in (OutboxState.ACCEPTED, OutboxState.FILED, OutboxState.DONE):
                return self.tr("Accepted")
            if entry.state is OutboxState.UNKNOWN:
                return self.tr("Not known")
            return self.tr("Not tried yet") if entry.attempts == 0 else self.tr("No answer")
        if result.accepted:
            return self.tr("Accepted")
        if result.temporary:
            return self.tr("Later (temporary)")
        return self.tr("Refused")

    # ------------------------------------------------------------------ choices

    def request(self, action: str) -> None:
        """A button was pressed: ask first where the choice cannot be undone, then tell."""
        entry = self.selected_entry()
        if entry is None or action not in actions_for(entry):
            return
        if action == SEND_AGAIN:
            box = self._confirm(
                entry, action,
                self.tr("Send this message again?"),
                self.tr("“{subject}” may already have been sent: the connection ended while the server was "
                        "taking it. If it was, every recipient gets it twice. Check with the recipients or in "
                        "the Sent folder first when you can.").format(subject=entry.subject),
            )
            box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Send again"))
        elif action == DELETE:
            box = self._confirm(
                entry, action,
                self.tr("Delete this message from the outbox?"),
                self.tr("“{subject}” will not be sent. This cannot be undone.").format(subject=entry.subject),
            )
            box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        elif action == EDIT and entry.delivered:
            box = self._confirm(
                entry, action,
                self.tr("Edit and send again?"),
                self.tr("{count} recipient(s) already have “{subject}”: {addresses}. The new message leaves "
                        "them out, so they do not get it twice; add them back in the new window if they should."
                        ).format(count=len(entry.delivered), subject=entry.subject,
                                 addresses=", ".join(entry.delivered)),
            )
            box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Edit without them"))
        else:
            self.actionRequested.emit(action, entry.entry_id)

    def _confirm(self, entry: OutboxEntry, action: str, title: str, text: str) -> QMessageBox:
        """Asks (window-modal, not blocking); Yes → actionRequested. Cancel is the default."""
        # One plain label (the informative label would guess rich text from a subject).
        box = plain_label(QMessageBox(QMessageBox.Icon.Warning, title, title + "\n\n" + text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self))
        box.setObjectName(f"outboxConfirm-{action}")
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter never sends twice by accident
        entry_id = entry.entry_id

        def answered(result: int) -> None:
            self.question = None
            if result == QMessageBox.StandardButton.Yes:
                self.actionRequested.emit(action, entry_id)

        box.finished.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.question = box
        box.open()
        return box

    # ------------------------------------------------------------------ texts

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Outbox"))
        self.empty_label.setText(self.tr("The outbox is empty: every message has been sent."))
        self.recipients.setHeaderLabels([self.tr("Recipient"), self.tr("Result"), self.tr("Server's answer")])
        b = self.buttons
        b[EDIT].setText(self.tr("Edit and send again"))
        b[EDIT].setToolTip(self.tr("Open the message in a new window to correct it"))
        b[TRY_AGAIN].setText(self.tr("Try again"))
        b[TRY_AGAIN].setToolTip(self.tr("Send the message again as it is"))
        b[DELETE].setText(self.tr("Delete"))
        b[DELETE].setToolTip(self.tr("Take the message out of the outbox; it will not be sent"))
        b[SEND_NOW].setText(self.tr("Send now"))
        b[SEND_NOW].setToolTip(self.tr("Try to send the message now"))
        b[SEND_AGAIN].setText(self.tr("Send again"))
        b[SEND_AGAIN].setToolTip(self.tr("Send again: the recipients may get it twice"))
        b[MARK_SENT].setText(self.tr("Mark as sent"))
        b[MARK_SENT].setToolTip(self.tr("It was sent: keep a copy in the Sent folder and never send it again"))
        b[REMOVE].setText(self.tr("Remove from the list"))
        b[REMOVE].setToolTip(self.tr("The message was sent; forget what went wrong"))
        self.model.retranslate()
        self._show_detail()


__all__ = [
    "ACTIONS_BY_STATE", "DELETE", "EDIT", "MARK_SENT", "REMOVE", "SEND_AGAIN", "SEND_NOW", "TRY_AGAIN",
    "OutboxView", "actions_for",
]
