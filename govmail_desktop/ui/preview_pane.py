"""The preview pane: the selected message's headers and text, formatted or plain, nothing remote.

The text is shown by :class:`ui.message_view.MessageView`, a read-only text browser that
loads nothing by itself: a formatted (HTML) message is cleaned first
(:func:`mime.html_view.render_html`) and its images come only from the message itself
(``cid:``) or, once allowed, from the remote-content service. The plain/formatted toggle
above the text is remembered per user (``mail.prefer_plain_text``); the policy's
``content.force_plain_text`` shows every message as plain text and says so, the toggle
disabled. Header labels are plain text and the
attachment tooltip is escaped (``models/plain_text.py``), so a display name or
file name can never be rendered as markup. The sender is always shown as
"name <address>", and the parser's warnings about a
forged-looking sender or a deceptive attachment name appear above the text.

The pane's minimum height never depends on the message: the headers,
warnings and attachment list sit in a scroll area that is as tall as they
need when there is room and scrolls when there is not, so showing a message
never moves the splitter the user placed between the list and the preview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.entities import Address, SpecialUse
from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.i18n.thai_dates import DateFormatter, When
from govmail_desktop.mime.html_view import render_html
from govmail_desktop.mime.markings import is_official_address, recognise
from govmail_desktop.mime.preview_warnings import SENDER_WARNINGS, W_HTML_SIMPLIFIED, warning_text
from govmail_desktop.mime.sender_checks import with_sender_checks
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.services.mailbox_types import (
    MSG_BODY_OFFLINE,
    PREVIEW_EMPTY,
    PREVIEW_FAILED,
    PREVIEW_LOADING,
    PREVIEW_READY,
    PREVIEW_UNAVAILABLE,
    PreviewResult,
)
from govmail_desktop.ui.attachment_panel import AttachmentPanel
from govmail_desktop.ui.find_bar import FindBar
from govmail_desktop.ui.highlight import TextHighlighter
from govmail_desktop.ui.marking_badges import MarkingBadges
from govmail_desktop.ui.message_view import MessageView
from govmail_desktop.ui.remote_bar import RemoteBar, RemoteContent
from govmail_desktop.ui.settings_dialog import FormatSettings

if TYPE_CHECKING:  # the parser loads with the first message, not before the window draws
    from govmail_desktop.mime.parse import ParsedMessage

#: Addresses listed in the To/Cc lines before "and N more".
MAX_SHOWN_RECIPIENTS = 10
#: The headers take at most this share of the pane's height when the text needs room.
HEADER_SHARE = 0.6


def _qt_text(msg: Msg) -> str:
    return QCoreApplication.translate(msg.context, msg.source)


def address_text(address: Address) -> str:
    """"name <address>" — the parsed address always beside the display name."""
    if address.name and address.email:
        return f"{address.name} <{address.email}>"
    return address.email or address.name


class _HeaderContent(QWidget):
    """The widget inside the header area: as tall as its wrapped lines at its width.

    A word-wrapped label's own minimum is its height at a narrow width (many
    lines); the scroll area would take that for the content's height and
    scroll over blank space. The height at the real width (``heightForWidth``)
    is what counts, so the minimum here is nothing.
    """

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)


class HeaderArea(QScrollArea):
    """The headers block: its full height when there is room, scrolling when not.

    Its minimum (two lines of text) is the same for every message, unlike the
    word-wrapped labels inside it, whose height grows with the warnings and
    attachments they hold.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewHeaderArea")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setWidget(content)
        content.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 2 * self.fontMetrics().lineSpacing() + 2 * self.frameWidth())

    def sizeHint(self) -> QSize:
        content = self.widget()
        layout = content.layout() if content is not None else None
        if content is None or layout is None:
            return self.minimumSizeHint()
        # The width left beside a scroll bar: a height that fits there fits without one,
        # so the bar never appears only because it took the width the text needed.
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = max(1, self.width() - 2 * self.frameWidth() - bar)
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else content.sizeHint().height()
        parent = self.parentWidget()
        if parent is not None and parent.height() > 0:
            height = min(height, int(parent.height() * HEADER_SHARE))
        return QSize(content.sizeHint().width(), max(height, self.minimumSizeHint().height()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # new headers: ask the pane's layout for room again
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped labels need another height


class PreviewPane(QWidget):
    """Headers, warnings, attachment list and body text of one message.

    ``attachment_rules`` (``policy.attachments.AttachmentRules``) adds the
    agency's blocked file types to the parser's own deceptive-name checks.
    """

    def __init__(self, parent: QWidget | None = None, *, attachment_rules: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewView")
        self.attachment_rules = attachment_rules
        #: The policy's ``recipients.internal_domains`` for the sender checks (None: the built-in policy's).
        self.internal_domains: tuple[Any, ...] | None = None
        self._result: PreviewResult | None = None
        self._formatter: DateFormatter | None = None
        #: The user's choice (``mail.prefer_plain_text``) and the policy's ``content.force_plain_text``.
        self.prefer_plain = False
        self.force_plain = False
        #: Keeps the user's choice when the toggle changes it (None: not kept, e.g. locked).
        self.save_prefer_plain: Callable[[bool], Any] | None = None

        self.subject_label = self._label("previewSubject")
        font = QFont(self.subject_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.subject_label.setFont(font)
        # Official markings (urgency, secrecy) as coloured badges above the subject.
        self.marking_badges = MarkingBadges(self)
        # saraban@ addresses: an agency's official-document address.
        self.official_label = self._label("previewOfficial")
        self.official_label.setStyleSheet(
            "QLabel { background: #e8f0fe; color: #0b3d91; border: 1px solid #9bb8e8; padding: 2px 4px; }"
        )
        self.official_label.hide()
        self.from_label = self._label("previewFrom")
        self.reply_to_label = self._label("previewReplyTo")
        self.to_label = self._label("previewTo")
        self.cc_label = self._label("previewCc")
        self.date_label = self._label("previewDate")
        self.warning_label = self._label("previewWarnings")
        self.warning_label.setStyleSheet(
            "QLabel { background: #fff3e0; color: #8a3a00; border: 1px solid #e0a060; padding: 4px; }"
        )
        #: Name, type icon and size of each attachment, with Open / Save… / Save All…, under the text
        #: (ui/attachment_panel.py).
        self.attachment_panel = AttachmentPanel(self)

        self.header_form = QFormLayout()
        self.header_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.from_caption = QLabel(self)
        self.reply_to_caption = QLabel(self)
        self.to_caption = QLabel(self)
        self.cc_caption = QLabel(self)
        self.date_caption = QLabel(self)
        self.header_form.addRow(self.from_caption, self.from_label)
        self.header_form.addRow(self.reply_to_caption, self.reply_to_label)
        self.header_form.addRow(self.to_caption, self.to_label)
        self.header_form.addRow(self.cc_caption, self.cc_label)
        self.header_form.addRow(self.date_caption, self.date_label)

        self.body = MessageView(self)
        self.body.setObjectName("previewBody")
        self.body.setTabChangesFocus(True)  # Tab leaves the pane after the links (keyboard navigation)
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        # Plain/formatted: a note and a toggle above the text, shown for messages with HTML.
        self.format_bar = QWidget(self)
        self.format_bar.setObjectName("previewFormatBar")
        self.format_note = QLabel(self.format_bar)
        self.format_note.setObjectName("previewFormatNote")
        self.format_note.setWordWrap(True)
        self.format_toggle = QToolButton(self.format_bar)
        self.format_toggle.setObjectName("previewFormatToggle")
        self.format_toggle.setCheckable(True)  # checked: plain text
        self.format_toggle.toggled.connect(self._on_format_toggled)
        format_row = QHBoxLayout(self.format_bar)
        format_row.setContentsMargins(0, 0, 0, 0)
        format_row.addWidget(self.format_note, 1)
        format_row.addWidget(self.format_toggle)
        self.format_bar.hide()
        #: Bars shown between the headers and the text (the format bar; the remote-content bar).
        self.body_bars = QVBoxLayout()
        self.body_bars.setContentsMargins(0, 0, 0, 0)
        self.body_bars.addWidget(self.format_bar)
        # Remote images: blocked until allowed, the bar says so (ui/remote_bar.py).
        self.remote_bar = RemoteBar(self)
        self.body_bars.addWidget(self.remote_bar)
        self.remote_content = RemoteContent(self.remote_bar, self)
        self.remote_content.attach(self.body)
        #: Search matches marked in the text (the search view's terms; Ctrl+F's find bar).
        self.highlighter = TextHighlighter(self.body, self)
        self.find_bar = FindBar(self.highlighter, self)
        self.body_bars.addWidget(self.find_bar)

        self.header_content = _HeaderContent()
        self.header_content.setObjectName("previewHeaders")
        headers = QVBoxLayout(self.header_content)
        headers.setContentsMargins(0, 0, 0, 0)
        headers.addWidget(self.marking_badges)
        headers.addWidget(self.subject_label)
        headers.addLayout(self.header_form)
        headers.addWidget(self.official_label)
        headers.addWidget(self.warning_label)
        self.header_area = HeaderArea(self.header_content, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header_area)
        layout.addLayout(self.body_bars)
        layout.addWidget(self.body, 1)
        # The files under the text (as Thunderbird's attachment bar): the headers and warnings
        # keep their room above, and a long list of files scrolls in its own few lines.
        layout.addWidget(self.attachment_panel)
        self.retranslate_ui()
        self.show_result(PreviewResult(PREVIEW_EMPTY))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.header_area.updateGeometry()  # its share of the height changed

    def _label(self, name: str) -> QLabel:
        label = plain_label(QLabel(self))  # names are data, never markup
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        return label

    # ------------------------------------------------------------------ texts

    def retranslate_ui(self) -> None:
        self.from_caption.setText(self.tr("From:"))
        self.reply_to_caption.setText(self.tr("Reply to:"))
        self.to_caption.setText(self.tr("To:"))
        self.cc_caption.setText(self.tr("Cc:"))
        self.date_caption.setText(self.tr("Date:"))
        self._update_format_bar()
        self.marking_badges.retranslate()
        if self._result is not None:
            # Dates in the new language (the old formatter spoke the old one).
            digits = self._formatter.thai_digits if self._formatter is not None else False
            self.show_result(self._result, DateFormatter(thai_digits=digits))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ showing

    @property
    def state(self) -> str:
        return self._result.state if self._result else PREVIEW_EMPTY

    @property
    def uid(self) -> int | None:
        """The UID of the message shown (None when none is)."""
        return self._result.uid if self._result else None

    def show_result(self, result: PreviewResult, formatter: DateFormatter | None = None) -> None:
        """Show a preview (any state); keeps it for a language switch."""
        if result.parsed is not None:
            # The sender checks that need the policy's internal domains (mime.sender_checks): one call,
            # kept in the result so the warnings, the remote-content bar and a redraw all see them.
            result = replace(result, parsed=with_sender_checks(result.parsed, self.internal_domains))
        self._result = result
        self._formatter = formatter
        summary = result.summary
        parsed = result.parsed if result.state == PREVIEW_READY else None
        if parsed is None:
            self.remote_content.clear()
        if parsed is None and summary is None:
            self._clear_headers()
            self._update_format_bar()
            if result.state == PREVIEW_FAILED:
                self.body.show_plain(self.tr("This message could not be shown."))
            else:
                self.body.clear()
            return
        subject = parsed.subject if parsed is not None else (summary.subject if summary else "")
        self.subject_label.setText(subject or self.tr("(no subject)"))
        # From the full header when the message is here, else from the subject the list has.
        self.marking_badges.set_markings(parsed.markings if parsed is not None else recognise(subject or ""))
        senders = parsed.from_ if parsed is not None else (summary.from_ if summary else ())
        self.from_label.setText(", ".join(address_text(a) for a in senders) or self.tr("(unknown sender)"))
        self._show_reply_to(parsed)
        to = parsed.to if parsed is not None else (summary.to if summary else ())
        cc = parsed.cc if parsed is not None else (summary.cc if summary else ())
        self._set_recipients(self.to_caption, self.to_label, to, parsed.to_total if parsed else len(to))
        self._set_recipients(self.cc_caption, self.cc_label, cc, parsed.cc_total if parsed else len(cc))
        when: When | None = None
        if parsed is not None and parsed.date is not None:
            when = parsed.date
        elif summary is not None:
            when = summary.date or summary.internaldate
        # Made here, not for an empty pane: its month names load the locale's data (the window's first paint waits).
        formatter = formatter or DateFormatter()
        self.date_label.setText(formatter.full(when) if when is not None else "")
        self._show_official((*senders, *to, *cc))
        self._show_warnings(parsed)
        self._show_attachments(parsed)
        self._update_format_bar()
        if result.state == PREVIEW_READY and parsed is not None:
            self._show_body(parsed)
        elif result.state == PREVIEW_LOADING:
            self.body.show_plain(self.tr("Loading…"))
        elif result.state == PREVIEW_UNAVAILABLE:
            self.body.show_plain(_qt_text(MSG_BODY_OFFLINE))
        elif result.state == PREVIEW_FAILED:
            self.body.show_plain(self.tr("This message could not be shown."))

    # ------------------------------------------------------------------ plain or formatted

    def set_format_options(
        self, *, prefer_plain: bool, force_plain: bool, save: Callable[[bool], Any] | None = None
    ) -> None:
        """The user's choice, the policy's rule and where a new choice is kept; the message shown
        is shown again under them."""
        self.prefer_plain = bool(prefer_plain)
        self.force_plain = bool(force_plain)
        self.save_prefer_plain = save
        if self._result is not None:
            self.show_result(self._result, self._formatter)

    @property
    def showing_formatted(self) -> bool:
        """True when the message shown has HTML and it is shown formatted."""
        return self._formatted_wanted(self._ready_message())

    def _ready_message(self) -> ParsedMessage | None:
        result = self._result
        return result.parsed if result is not None and result.state == PREVIEW_READY else None

    def _formatted_wanted(self, parsed: ParsedMessage | None) -> bool:
        return bool(parsed is not None and parsed.html and not self.force_plain and not self.prefer_plain)

    def _show_body(self, parsed: ParsedMessage) -> None:
        if self._formatted_wanted(parsed):
            safe = render_html(parsed.html, cid_parts=dict(parsed.inline_parts))
            self.body.show_html(safe, dict(parsed.inline_images))
            self._show_remote(parsed, safe.remote)
        else:
            self.body.show_plain(parsed.text)
            self.remote_content.clear()

    def _show_remote(self, parsed: ParsedMessage, urls: tuple[str, ...]) -> None:
        """The remote-content bar for the message shown formatted (its From address for the
        senders' list; never loaded in Junk; a sender warning keeps the list from applying)."""
        result = self._result
        key = (result.folder_id, result.uid) if result is not None and result.uid is not None else ("raw", id(parsed))
        senders = [a.email for a in parsed.from_ if a.email]
        self.remote_content.show_message(
            key, urls, senders[0] if len(senders) == 1 else None,
            in_junk=result is not None and result.folder_role == SpecialUse.JUNK,
            doubtful_sender=any(w in SENDER_WARNINGS for w in parsed.warnings),
        )

    def _update_format_bar(self) -> None:
        """The note and toggle for a message with HTML; the reason when the policy forces plain text."""
        parsed = self._ready_message()
        if parsed is None or not parsed.html:
            self.format_bar.hide()
            return
        formatted = self._formatted_wanted(parsed)
        self.format_toggle.blockSignals(True)
        self.format_toggle.setChecked(not formatted)
        self.format_toggle.blockSignals(False)
        self.format_toggle.setEnabled(not self.force_plain)
        self.format_toggle.setVisible(not self.force_plain)
        if self.force_plain:
            note = self.tr(
                "This message is formatted (HTML). It is shown as plain text because your agency's policy "
                "allows plain text only."
            )
        elif formatted:
            note = self.tr("This message is formatted (HTML); remote content is not loaded.")
        else:
            note = self.tr("This formatted (HTML) message is shown as plain text.")
        self.format_note.setText(note)
        self.format_note.setToolTip(note)
        self.format_toggle.setText(self.tr("Show formatted") if not formatted else self.tr("Show plain text"))
        self.format_bar.show()

    def format_settings(self) -> FormatSettings:
        """The plain-text choice as the Settings dialog shows it."""
        return FormatSettings(prefer_plain=self.prefer_plain, locked=self.save_prefer_plain is None,
                              forced=self.force_plain)

    def choose_prefer_plain(self, plain: bool) -> None:
        """The user's choice from Settings: kept like the toggle's, the message shown again."""
        self._on_format_toggled(plain)

    def _on_format_toggled(self, plain: bool) -> None:
        if self.force_plain:
            return
        self.prefer_plain = bool(plain)
        if self.save_prefer_plain is not None:
            self.save_prefer_plain(self.prefer_plain)
        parsed = self._ready_message()
        self._show_warnings(parsed)
        self._update_format_bar()
        if parsed is not None:
            self._show_body(parsed)

    def _clear_headers(self) -> None:
        for label in (self.subject_label, self.from_label, self.to_label, self.cc_label, self.date_label):
            label.clear()
        for caption, label in ((self.to_caption, self.to_label), (self.cc_caption, self.cc_label)):
            caption.setVisible(True)
            label.setVisible(True)
        self.warning_label.hide()
        self._show_reply_to(None)
        self.attachment_panel.show_attachments(())
        self.official_label.hide()
        self.marking_badges.set_markings(None)

    def _show_reply_to(self, parsed: ParsedMessage | None) -> None:
        """The Reply-To addresses, when there are some other than the sender's."""
        reply_to = parsed.reply_to if parsed is not None else ()
        own = {a.email.casefold() for a in parsed.from_} if parsed is not None else set()
        shown = bool(reply_to) and any(a.email.casefold() not in own for a in reply_to)
        text = ", ".join(address_text(a) for a in reply_to[:MAX_SHOWN_RECIPIENTS]) if shown else ""
        self.reply_to_label.setText(text)
        self.reply_to_caption.setVisible(shown)
        self.reply_to_label.setVisible(shown)

    def _show_official(self, addresses: tuple[Address, ...]) -> None:
        """Name the saraban@ addresses among the sender and recipients."""
        official = list(dict.fromkeys(a.email for a in addresses if is_official_address(a.email)))
        if not official:
            self.official_label.hide()
            return
        self.official_label.setText(
            self.tr("Official-document address (saraban) of a government agency: {addresses}").format(
                addresses=", ".join(official)
            )
        )
        self.official_label.show()

    def _set_recipients(self, caption: QLabel, label: QLabel, addresses: tuple[Address, ...], total: int) -> None:
        shown = [address_text(a) for a in addresses[:MAX_SHOWN_RECIPIENTS]]
        text = ", ".join(shown)
        more = max(total, len(addresses)) - len(shown)
        if more > 0:
            text += " " + self.tr("and {count} more").format(count=more)
        label.setText(text)
        visible = bool(text) or caption is self.to_caption
        caption.setVisible(visible)
        label.setVisible(visible)

    def _show_warnings(self, parsed: ParsedMessage | None) -> None:
        if parsed is None:
            self.warning_label.hide()
            return
        # Sender warnings first: they are what a user must not miss.
        codes = [w for w in parsed.warnings if w in SENDER_WARNINGS] + [
            w for w in parsed.warnings if w not in SENDER_WARNINGS
        ]
        if self._formatted_wanted(parsed):  # shown formatted: it was not simplified
            codes = [w for w in codes if w != W_HTML_SIMPLIFIED]
        lines = ["⚠ " + _qt_text(warning_text(code)) for code in codes]
        self.warning_label.setText("\n".join(lines))
        self.warning_label.setVisible(bool(lines))

    def _show_attachments(self, parsed: ParsedMessage | None) -> None:
        result = self._result
        self.attachment_panel.show_attachments(
            parsed.attachments if parsed is not None else (),
            rules=self.attachment_rules,
            folder_id=result.folder_id if result is not None else None,
            uid=result.uid if result is not None else None,
        )
        self.header_area.updateGeometry()
