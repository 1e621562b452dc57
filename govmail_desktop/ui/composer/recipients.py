"""To / Cc / Bcc fields: each address marked by the policy as it is typed.

Under each field a short list says what the policy thinks: a blocked address
in red with the reason, a warned one in amber with the reason, a ``saraban@``
address labelled as the agency's official-document address. The field itself
gets a red frame while it holds a blocked address. The marks come from
:meth:`ComposeSession.recipient_marks` (the policy decides, not this widget).

Autocomplete: :meth:`RecipientField.set_address_book` attaches the address
book's completer (``models/address_completer.py``): only the address being
typed (after the last comma) is completed, and the choice replaces just that part.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from govmail_desktop.models.address_completer import SuggestionSource, attach_address_completer
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.services.compose import Mark, RecipientMark

#: Marks are refreshed once typing rests this long (ms).
MARK_DELAY_MS = 250
BLOCK_COLOUR = "#b71c1c"
WARN_COLOUR = "#8a5a00"
OFFICIAL_COLOUR = "#0d47a1"


class RecipientField(QWidget):
    """A line edit for addresses with the policy's marks under it.

    Signals:
        edited(): the user changed the text.
        marksChanged(): the marks under the field were recomputed.
    """

    edited = Signal()
    marksChanged = Signal()

    def __init__(
        self,
        marker: Callable[[str, bool], list[RecipientMark]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._marker = marker
        self.marks: list[RecipientMark] = []
        self.edit = QLineEdit(self)
        self.edit.setClearButtonEnabled(True)
        self.blocked_label = self._mark_label("blockedMarks", BLOCK_COLOUR)
        self.warned_label = self._mark_label("warnedMarks", WARN_COLOUR)
        self.official_label = self._mark_label("officialMarks", OFFICIAL_COLOUR)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        for label in (self.blocked_label, self.warned_label, self.official_label):
            layout.addWidget(label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(MARK_DELAY_MS)
        self._timer.timeout.connect(lambda: self.refresh_marks(typing=self.edit.hasFocus()))
        # textChanged, not textEdited: a completion chosen from the address book sets the text.
        self.edit.textChanged.connect(self._on_edited)
        self.edit.editingFinished.connect(lambda: self.refresh_marks(typing=False))

    def _mark_label(self, name: str, colour: str) -> QLabel:
        label = plain_label(QLabel(self))
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {colour};")
        label.hide()
        return label

    # -- text
    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self.refresh_marks(typing=False)

    def _on_edited(self, _text: str) -> None:
        self._timer.start()
        self.edited.emit()

    # -- marks
    def refresh_marks(self, *, typing: bool = False) -> None:
        """Ask the session for the marks of the text now and show them."""
        self._timer.stop()
        self.marks = self._marker(self.edit.text(), typing)
        blocked = [m for m in self.marks if m.mark is Mark.BLOCK]
        warned = [m for m in self.marks if m.mark is Mark.WARN]
        official = [m for m in self.marks if m.official and m.mark is not Mark.BLOCK]
        self.blocked_label.setText("\n".join(
            self.tr("Cannot be sent: {reason}").format(reason=m.reason)
            for m in blocked
        ))
        self.blocked_label.setVisible(bool(blocked))
        self.warned_label.setText("\n".join(
            self.tr("Please check: {reason}").format(reason=m.reason) for m in warned
        ))
        self.warned_label.setVisible(bool(warned))
        self.official_label.setText("\n".join(
            self.tr("{address} is an official-document address (saraban) of a government agency.").format(
                address=m.address)
            for m in official
        ))
        self.official_label.setVisible(bool(official))
        self.edit.setStyleSheet(f"QLineEdit {{ border: 2px solid {BLOCK_COLOUR}; }}" if blocked else "")
        self.edit.setProperty("policyMark", "block" if blocked else "warn" if warned else "ok")
        self.marksChanged.emit()

    def has_blocked(self) -> bool:
        return any(m.mark is Mark.BLOCK for m in self.marks)

    # -- autocomplete
    def set_address_book(self, source: SuggestionSource) -> None:
        """Complete the address being typed from the address book (``AddressBook`` or a
        ``suggest(text, limit)`` function)."""
        attach_address_completer(self.edit, source)
