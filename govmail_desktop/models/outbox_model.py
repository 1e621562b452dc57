"""The outbox as a table: one row per message the user sent that is not finished yet.

Rows come from :meth:`OutboxService.entries` (a snapshot the service's worker
keeps; reading it never touches the disk). Columns: the state in words, the
subject, the recipients, when Send was pressed, and the server's last answer
(or what went wrong). A failed message is drawn red, one that "may have been
sent" amber, so they stand out in a long list.

:meth:`OutboxModel.set_entries` keeps rows in place when only their contents
changed (``dataChanged``: the selection stays); a message added or removed
resets the model (the view selects the same message again by its id).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from govmail_desktop.i18n.catalog import current_language
from govmail_desktop.i18n.thai_dates import format_full, format_short
from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.store.outbox import OutboxEntry, OutboxState, RecipientResult
from govmail_desktop.sync.send import MSG_UNKNOWN

Index = QModelIndex | QPersistentModelIndex

_USER = int(Qt.ItemDataRole.UserRole)
EntryIdRole = _USER + 1  # str
StateRole = _USER + 2  # OutboxState
EntryRole = _USER + 3  # OutboxEntry

COL_STATE, COL_SUBJECT, COL_RECIPIENTS, COL_TIME, COL_ANSWER = range(5)
COLUMNS = 5

#: Text colours of the states that need the user (as the marking badges: red = act now).
FAILED_COLOUR = "#b71c1c"
UNKNOWN_COLOUR = "#8a5a00"


def needs_user(entry: OutboxEntry) -> bool:
    """Failed or "may have been sent": only the user's choice moves it on."""
    return entry.state in (OutboxState.FAILED, OutboxState.UNKNOWN)


def answer_line(result: RecipientResult) -> str:
    """"550 5.1.1 No such user" — the server's own words (never translated)."""
    return f"{result.code} {result.text}".strip()


class OutboxModel(QAbstractTableModel):
    """The entries of one account's outbox, oldest first."""

    def __init__(self, parent: QObject | None = None, *, thai_digits: bool = False) -> None:
        super().__init__(parent)
        self._entries: list[OutboxEntry] = []
        self._thai_digits = thai_digits

    # ------------------------------------------------------------------ contents

    def set_entries(self, entries: Sequence[OutboxEntry]) -> None:
        new = list(entries)
        if [e.entry_id for e in new] == [e.entry_id for e in self._entries]:
            self._entries = new
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, COLUMNS - 1))
            return
        self.beginResetModel()
        self._entries = new
        self.endResetModel()

    def entries(self) -> list[OutboxEntry]:
        return list(self._entries)

    def entry_at(self, row: int) -> OutboxEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of(self, entry_id: str) -> int | None:
        for row, entry in enumerate(self._entries):
            if entry.entry_id == entry_id:
                return row
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, COLUMNS - 1))

    # ------------------------------------------------------------------ words

    def state_text(self, entry: OutboxEntry) -> str:
        """The state as the user reads it (a partly delivered message says so)."""
        if entry.state is OutboxState.DONE and entry.refused:
            return self.tr("Sent, but not to every recipient")
        if entry.state is OutboxState.QUEUED and entry.attempts > 0:
            return self.tr("Waiting to be sent again")
        return entry.state.label.text(current_language())

    def problem_text(self, entry: OutboxEntry) -> str:
        """What went wrong (translated): waited too long, or the last problem; and how far
        a partly delivered message got. "" when nothing went wrong."""
        lang = current_language()
        parts = []
        if entry.overdue is not None:  # "Not sent yet after N hours: <the last problem>"
            parts.append(entry.overdue.text(lang))
        elif entry.problem is not None:
            parts.append(entry.problem.text(lang))
        elif entry.state is OutboxState.UNKNOWN:  # found so at start-up, after a crash
            parts.append(MSG_UNKNOWN.text(lang))
        if entry.progress is not None:
            parts.append(entry.progress.text(lang))
        return " ".join(parts)

    def answer_text(self, entry: OutboxEntry) -> str:
        """What went wrong (translated), else the server's answers to refused recipients, else
        its answer to the last recipient."""
        problem = self.problem_text(entry)
        if problem:
            return problem
        refused = entry.refused
        if refused:
            return "; ".join(f"{r.address}: {answer_line(r)}" for r in refused)
        if entry.recipients:
            return answer_line(entry.recipients[-1])
        return ""

    def time_text(self, when: float, *, full: bool = False) -> str:
        if not when:
            return ""
        lang = current_language()
        if full:
            return format_full(when, lang, thai_digits=self._thai_digits)
        return format_short(when, lang, thai_digits=self._thai_digits)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            COL_STATE: self.tr("State"),
            COL_SUBJECT: self.tr("Subject"),
            COL_RECIPIENTS: self.tr("Recipients"),
            COL_TIME: self.tr("Send pressed"),
            COL_ANSWER: self.tr("Server's answer"),
        }.get(section)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        role = int(role)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_STATE:
                return self.state_text(entry)
            if column == COL_SUBJECT:
                return entry.subject or self.tr("(no subject)")
            if column == COL_RECIPIENTS:
                return ", ".join(entry.envelope_recipients)
            if column == COL_TIME:
                return self.time_text(entry.created_at)
            if column == COL_ANSWER:
                return self.answer_text(entry).replace("\n", " ")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Subjects, addresses and server answers are data: never rich text.
            if column == COL_TIME:
                return plain_tooltip(self.time_text(entry.created_at, full=True))
            if column == COL_RECIPIENTS:
                return plain_tooltip("\n".join(entry.envelope_recipients))
            if column == COL_ANSWER:
                return plain_tooltip(self.answer_text(entry))
            return plain_tooltip(str(self.data(index, Qt.ItemDataRole.DisplayRole) or ""))
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.state is OutboxState.FAILED:
                return QBrush(QColor(FAILED_COLOUR))
            if entry.state is OutboxState.UNKNOWN:
                return QBrush(QColor(UNKNOWN_COLOUR))
            return None
        if role == EntryIdRole:
            return entry.entry_id
        if role == StateRole:
            return entry.state
        if role == EntryRole:
            return entry
        return None


__all__ = [
    "COLUMNS", "COL_ANSWER", "COL_RECIPIENTS", "COL_STATE", "COL_SUBJECT", "COL_TIME", "EntryIdRole",
    "EntryRole", "OutboxModel", "StateRole", "answer_line", "needs_user",
]
