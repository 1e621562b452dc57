"""A message in its own window: the preview's view of it, and what can be done with it.

Opened by double click / Enter on a message of the list (the Drafts folder keeps
opening the composer), or for a message that is not in a folder — an attached
message, an ``.eml`` file — with :meth:`MessageWindow.show_raw`. The window shows
the message through a whole :class:`~govmail_desktop.ui.preview_pane.PreviewPane`
(the same headers, warnings, body and attachments as the main window's preview)
under a toolbar:

* Reply, Reply all, Forward, Delete, Previous, Next — for a message of the list
  only; the window asks (signals) and ``ui/message_window_controller.py`` does it
  through the composer launcher and the mailbox controller, so they behave as in
  the main window (Delete asks what it asks there).
* Print (Ctrl+P), Export to PDF — ``ui/message_print.py``, painted on a worker thread.
* Save as .eml (Ctrl+S) — the raw bytes as cached, written on a worker thread.
* Source (Ctrl+U) — the raw message as text, read-only, at most
  :data:`~govmail_desktop.services.message_export.MAX_SOURCE_BYTES` of it (it says so).
* Headers — every header field, decoded.

Esc closes the window. Several may be open; they never keep the program running
(closing the main window quits) and :func:`close_all` closes them at shutdown.
File work and decoding run on one shared worker thread (:class:`WindowRegistry`),
never on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFontDatabase, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.i18n.catalog import current_language
from govmail_desktop.i18n.thai_dates import DateFormatter
from govmail_desktop.mime.parse import ParsedMessage, parse_message
from govmail_desktop.mime.preview_warnings import warning_text
from govmail_desktop.models.plain_text import plain_label
from govmail_desktop.services import message_export
from govmail_desktop.services.compose_start import Start
from govmail_desktop.services.local_worker import LocalWorker
from govmail_desktop.services.mailbox_types import PREVIEW_FAILED, PREVIEW_LOADING, PREVIEW_READY, PreviewResult
from govmail_desktop.ui import icons
from govmail_desktop.ui.fonts import register_bundled_fonts
from govmail_desktop.ui.message_print import PrintContent, pdf_printer, render
from govmail_desktop.ui.preview_pane import MAX_SHOWN_RECIPIENTS, PreviewPane, address_text

log = logging.getLogger(__name__)

#: The window's size when it opens.
WINDOW_SIZE = (900, 700)


class WindowRegistry:
    """The open message windows, their shared worker thread and what every one needs.

    ``attachment_rules`` and ``thai_digits`` are set by the composition root
    (``attach_message_windows``); ``pane_hooks`` are called with each new window's
    preview pane and the window, for what is joined to a preview pane (links,
    remote content, the attachment panel) to be joined to this one too.
    """

    def __init__(self) -> None:
        self.windows: list[MessageWindow] = []
        self.attachment_rules: Any = None
        self.thai_digits: Callable[[], bool] = lambda: False
        self.pane_hooks: list[Callable[[PreviewPane, MessageWindow], None]] = []
        self._worker: LocalWorker | None = None

    def worker(self) -> LocalWorker:
        if self._worker is None:
            self._worker = LocalWorker("message-windows")
        return self._worker

    def close_all(self) -> None:
        """Close every message window and stop the worker (shutdown); what was joined to
        the windows' panes belonged to this run and is forgotten."""
        for window in list(self.windows):
            window.close()
        self.windows.clear()
        self.pane_hooks.clear()
        if self._worker is not None:
            self._worker.shutdown()
            self._worker = None


REGISTRY = WindowRegistry()


def close_all() -> None:
    REGISTRY.close_all()


class TextView(QDialog):
    """A read-only text (the source, the headers) with a line saying what was left out."""

    def __init__(self, name: str, title: str, text: str, notice: str, *, fixed: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.notice = plain_label(QLabel(self))
        self.notice.setObjectName("textViewNotice")
        self.notice.setWordWrap(True)
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("textViewText")
        self.text.setReadOnly(True)
        self.text.setUndoRedoEnabled(False)
        if fixed:
            self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlainText(text)  # plain text: nothing in it is interpreted
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)


@cache
def _print_family() -> str:
    """The bundled Thai font (the family of official documents) when it is there, else the
    application's: a PDF made on a PC with no Thai font still holds the Thai text."""
    return register_bundled_fonts() or QApplication.font().family()


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class MessageWindow(QMainWindow):
    """One message, with its actions (see the module docstring).

    ``listed``: the message is one of the main list's (Reply…, Delete, Previous and
    Next shown); False for :meth:`show_raw` windows.

    Signals:
        reply_requested(Start): Reply / Reply all / Forward on the message shown.
        delete_requested(): Delete on the message shown.
        step_requested(int): Previous (-1) / Next (+1).
        closed(): the window closed.
        file_saved(str): an .eml or a PDF was written (its path).
        failed(str): something could not be done (the words shown to the user).
    """

    reply_requested = Signal(object)
    delete_requested = Signal()
    step_requested = Signal(int)
    closed = Signal()
    file_saved = Signal(str)
    failed = Signal(str)

    def __init__(self, *, listed: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # never keeps the program running
        self.setWindowIcon(icons.icon(icons.APP_ICON))
        self.listed = listed
        self._alive = True
        self.result: PreviewResult | None = None
        #: The message's bytes as cached (None while they are not here).
        self.raw: bytes | None = None
        #: Set by the controller for a message of the list: the account's MailboxModels.
        self.mailbox: Any = None
        #: Asks where to save (caption, suggested name, filter) → a path or "" (a seam for tests).
        self.ask_save_path: Callable[[str, str, str], str] = self._ask_save_path
        #: Printers being painted on the worker (kept referenced until done).
        self._printing: list[QPrinter] = []
        self.pane = PreviewPane(self, attachment_rules=REGISTRY.attachment_rules)
        self.setCentralWidget(self.pane)
        self._create_actions()
        self.retranslate_ui()
        self.resize(*WINDOW_SIZE)
        REGISTRY.windows.append(self)
        for hook in list(REGISTRY.pane_hooks):
            try:
                hook(self.pane, self)
            except Exception:
                log.exception("Joining a message window's preview failed")

    # ------------------------------------------------------------------ construction

    def _action(self, name: str, icon_name: str | None, key: QKeySequence | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icons.icon(icon_name))
        if key is not None:
            action.setShortcut(key)
        self.addAction(action)  # its key works wherever the focus is in the window
        return action

    def _create_actions(self) -> None:
        ctrl, shift = Qt.Modifier.CTRL, Qt.Modifier.SHIFT
        self.reply_action = self._action("windowReplyAction", "mail-reply", QKeySequence(ctrl | Qt.Key.Key_R))
        self.reply_all_action = self._action(
            "windowReplyAllAction", "mail-reply-all", QKeySequence(ctrl | shift | Qt.Key.Key_R)
        )
        self.forward_action = self._action("windowForwardAction", "mail-forward", QKeySequence(ctrl | Qt.Key.Key_L))
        self.delete_action = self._action(
            "windowDeleteAction", "mail-delete", QKeySequence(QKeySequence.StandardKey.Delete)
        )
        # Thunderbird's keys: B back, F forward.
        self.previous_action = self._action("previousAction", "go-previous", QKeySequence(Qt.Key.Key_B))
        self.next_action = self._action("nextAction", "go-next", QKeySequence(Qt.Key.Key_F))
        self.print_action = self._action("printAction", "document-print", QKeySequence(ctrl | Qt.Key.Key_P))
        self.pdf_action = self._action("exportPdfAction", "document-pdf")
        self.save_action = self._action("saveEmlAction", "document-save", QKeySequence(ctrl | Qt.Key.Key_S))
        self.source_action = self._action("viewSourceAction", "view-source", QKeySequence(ctrl | Qt.Key.Key_U))
        self.headers_action = self._action("viewHeadersAction", "view-headers")
        self.find_action = self._action("windowFindAction", "edit-find", QKeySequence(QKeySequence.StandardKey.Find))
        self.close_action = self._action("closeWindowAction", None, QKeySequence(Qt.Key.Key_Escape))
        self.close_action.setShortcuts([QKeySequence(Qt.Key.Key_Escape), QKeySequence(ctrl | Qt.Key.Key_W)])

        self.reply_action.triggered.connect(lambda: self.reply_requested.emit(Start.REPLY))
        self.reply_all_action.triggered.connect(lambda: self.reply_requested.emit(Start.REPLY_ALL))
        self.forward_action.triggered.connect(lambda: self.reply_requested.emit(Start.FORWARD))
        self.delete_action.triggered.connect(self.delete_requested)
        self.previous_action.triggered.connect(lambda: self.step_requested.emit(-1))
        self.next_action.triggered.connect(lambda: self.step_requested.emit(1))
        self.print_action.triggered.connect(self.print_message)
        self.pdf_action.triggered.connect(self.export_pdf)
        self.save_action.triggered.connect(self.save_eml)
        self.source_action.triggered.connect(self.show_source)
        self.headers_action.triggered.connect(self.show_headers)
        self.find_action.triggered.connect(self.pane.find_bar.open_bar)  # Ctrl+F: find in this message
        self.close_action.triggered.connect(self.close)

        self.list_actions = (
            self.reply_action, self.reply_all_action, self.forward_action, self.delete_action,
            self.previous_action, self.next_action,
        )
        self.raw_actions = (self.print_action, self.pdf_action, self.save_action, self.source_action,
                            self.headers_action)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("messageToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        if self.listed:
            self.toolbar.addActions([self.reply_action, self.reply_all_action, self.forward_action])
            self.toolbar.addSeparator()
            self.toolbar.addAction(self.delete_action)
            self.toolbar.addSeparator()
            self.toolbar.addActions([self.previous_action, self.next_action])
            self.toolbar.addSeparator()
        else:
            for action in self.list_actions:
                action.setEnabled(False)
                action.setVisible(False)
        self.toolbar.addActions([self.print_action, self.pdf_action, self.save_action])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.source_action, self.headers_action])
        # The answers and Delete with their words; the rest as icons (their names in tooltips
        # and in the menus), so the toolbar fits a window of half a screen.
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton) and action not in (
                self.reply_action, self.reply_all_action, self.forward_action, self.delete_action
            ):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self._create_menus()
        self._update_raw_actions()

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([self.save_action, self.pdf_action, self.print_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([self.headers_action, self.source_action])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.find_action)
        self.message_menu = bar.addMenu("")
        self.message_menu.addActions([self.reply_action, self.reply_all_action, self.forward_action])
        self.message_menu.addSeparator()
        self.message_menu.addActions([self.previous_action, self.next_action])
        self.message_menu.addSeparator()
        self.message_menu.addAction(self.delete_action)
        self.message_menu.menuAction().setVisible(self.listed)

    # ------------------------------------------------------------------ texts

    def retranslate_ui(self) -> None:
        texts = (
            (self.reply_action, self.tr("&Reply"), self.tr("Reply to the sender (Ctrl+R)")),
            (self.reply_all_action, self.tr("Reply &All"), self.tr("Reply to the sender and all recipients")),
            (self.forward_action, self.tr("&Forward"), self.tr("Forward this message (Ctrl+L)")),
            (self.delete_action, self.tr("&Delete"), self.tr("Delete this message (Delete)")),
            (self.previous_action, self.tr("&Previous"), self.tr("The message above in the list (B)")),
            (self.next_action, self.tr("&Next"), self.tr("The message below in the list (F)")),
            (self.print_action, self.tr("&Print…"), self.tr("Print this message (Ctrl+P)")),
            (self.pdf_action, self.tr("Export to P&DF…"), self.tr("Save this message as a PDF file")),
            (self.save_action, self.tr("&Save as .eml…"), self.tr("Save the whole message as an .eml file (Ctrl+S)")),
            (self.source_action, self.tr("Source"), self.tr("Show the message's source (Ctrl+U)")),
            (self.headers_action, self.tr("Headers"), self.tr("Show every header field of the message")),
            (self.find_action, self.tr("&Find…"), self.tr("Find text in this message (Ctrl+F)")),
            (self.close_action, self.tr("Close"), self.tr("Close this window (Esc)")),
        )
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
        self.toolbar.setWindowTitle(self.tr("Message"))
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.message_menu.setTitle(self.tr("&Message"))
        self._set_title()

    def changeEvent(self, event: QEvent) -> None:  # Qt's method name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _set_title(self) -> None:
        subject = self.subject()
        self.setWindowTitle(self.tr("{subject} — Message").format(subject=subject) if subject
                            else self.tr("Message"))

    # ------------------------------------------------------------------ what is shown

    @property
    def parsed(self) -> ParsedMessage | None:
        return self.result.parsed if self.result is not None and self.result.state == PREVIEW_READY else None

    @property
    def folder_id(self) -> int | None:
        return self.result.folder_id if self.result is not None else None

    @property
    def uid(self) -> int | None:
        return self.result.uid if self.result is not None else None

    def subject(self) -> str:
        if self.parsed is not None:
            return self.parsed.subject
        summary = self.result.summary if self.result is not None else None
        return summary.subject if summary is not None else ""

    def formatter(self) -> DateFormatter:
        return DateFormatter(thai_digits=REGISTRY.thai_digits())

    def show_message(self, result: PreviewResult, raw: bytes | None) -> None:
        """Show ``result`` (any state); ``raw``: the message's bytes when they are cached."""
        if not self._alive:
            return
        self.result = result
        self.raw = raw if result.state == PREVIEW_READY else None  # None for a skeleton
        self.pane.show_result(result, self.formatter())
        self._set_title()
        self._update_raw_actions()

    def _update_raw_actions(self) -> None:
        """Print / PDF need the parse; Save, Source and Headers the whole message (not
        only a large message's skeleton)."""
        for action in (self.print_action, self.pdf_action):
            action.setEnabled(self.parsed is not None)
        for action in (self.save_action, self.source_action, self.headers_action):
            action.setEnabled(self.raw is not None and self.parsed is not None)

    def set_step_state(self, previous: bool, following: bool, deletable: bool, replyable: bool) -> None:
        """Previous / Next / Delete possible (the message is in the list shown); Reply… possible."""
        self.previous_action.setEnabled(previous)
        self.next_action.setEnabled(following)
        self.delete_action.setEnabled(deletable)
        for action in (self.reply_action, self.reply_all_action, self.forward_action):
            action.setEnabled(replyable)

    @classmethod
    def show_raw(cls, raw: bytes, title: str = "") -> MessageWindow:
        """A new window for a message that is not in a folder (an attached message, an
        .eml file): parsed on the worker; no Reply, Delete, Previous or Next."""
        window = cls(listed=False)
        window.pane.show_result(PreviewResult(PREVIEW_LOADING))
        if title:
            window.setWindowTitle(title)
        lang = current_language()
        REGISTRY.worker().submit(
            lambda: parse_message(raw, lang=lang),
            lambda parsed: window.show_message(PreviewResult(PREVIEW_READY, parsed=parsed), raw),
            lambda exc: window._parse_failed(exc),
        )
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _parse_failed(self, exc: BaseException) -> None:
        log.error("An attached or saved message could not be read: %s", exc)
        self.show_message(PreviewResult(PREVIEW_FAILED), None)

    # ------------------------------------------------------------------ files

    def _ask_save_path(self, caption: str, name: str, pattern: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, caption, name, pattern)
        return path

    def _file_name(self, extension: str) -> str:
        try:
            return message_export.eml_name(self.subject(), extension)
        except ValueError:
            return "message" + extension

    def save_eml(self) -> None:
        """Save as .eml…: the raw message, exactly as cached."""
        if self.raw is None:
            return
        path = self.ask_save_path(self.tr("Save Message"), self._file_name(".eml"),
                                  self.tr("E-mail messages (*.eml)"))
        if path:
            self.save_eml_to(Path(path))

    def save_eml_to(self, path: Path) -> None:
        raw = self.raw
        if raw is None:
            return
        REGISTRY.worker().submit(
            lambda: message_export.write_copy(path, raw),
            lambda written: self._saved(str(written)),
            lambda exc: self._failed(self.tr("The message could not be saved: {reason}"), exc),
        )

    def export_pdf(self) -> None:
        """Export to PDF…: the message as printed, into a PDF file."""
        if self.parsed is None:
            return
        path = self.ask_save_path(self.tr("Export to PDF"), self._file_name(".pdf"), self.tr("PDF files (*.pdf)"))
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.export_pdf_to(Path(path))

    def export_pdf_to(self, path: Path) -> None:
        content = self.print_content()
        if content is None:
            return

        def job() -> str:
            render(content, pdf_printer(path))
            return str(path)

        REGISTRY.worker().submit(
            job, self._saved, lambda exc: self._failed(self.tr("The PDF could not be written: {reason}"), exc)
        )

    def print_message(self) -> None:
        """Print…: the printer dialog, then the message painted on the worker."""
        content = self.print_content()
        if content is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Print Message"))

        def chosen() -> None:
            self._printing.append(printer)

            def done(_result: object) -> None:
                if printer in self._printing:
                    self._printing.remove(printer)

            def failed(exc: BaseException) -> None:
                done(None)
                self._failed(self.tr("The message could not be printed: {reason}"), exc)

            REGISTRY.worker().submit(lambda: render(content, printer), done, failed)

        dialog.accepted.connect(chosen)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # not exec(): the event loop goes on

    def print_content(self) -> PrintContent | None:
        """What is printed: the subject, From, To, Cc, Date, attachments, warnings and text."""
        parsed = self.parsed
        if parsed is None:
            return None
        rows = [(self.tr("From:"), ", ".join(address_text(a) for a in parsed.from_))]
        for caption, addresses, total in ((self.tr("To:"), parsed.to, parsed.to_total),
                                          (self.tr("Cc:"), parsed.cc, parsed.cc_total)):
            if addresses:
                text = ", ".join(address_text(a) for a in addresses[:MAX_SHOWN_RECIPIENTS])
                more = max(total, len(addresses)) - min(len(addresses), MAX_SHOWN_RECIPIENTS)
                if more > 0:
                    text += " " + self.tr("and {count} more").format(count=more)
                rows.append((caption, text))
        if parsed.date is not None:
            rows.append((self.tr("Date:"), self.formatter().full(parsed.date)))
        files = ", ".join(f"{a.display_name or self.tr('(unnamed)')} ({_size_text(a.size)})"
                          for a in parsed.attachments)
        warnings = tuple("⚠ " + QApplication.translate(w.context, w.source)
                         for w in (warning_text(code) for code in parsed.warnings))
        return PrintContent(
            subject=parsed.subject or self.tr("(no subject)"),
            headers=tuple(rows),
            body=parsed.text,
            attachments=self.tr("Attachments: {files}").format(files=files) if files else "",
            family=_print_family(),
            warnings=warnings,
        )

    def _saved(self, path: str) -> None:
        if self._alive:
            self.statusBar().showMessage(self.tr("Saved: {path}").format(path=path), 8000)
            self.file_saved.emit(path)

    def _failed(self, template: str, exc: BaseException) -> None:
        log.warning("Message window: %s", exc)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        text = template.format(reason=reason)
        if not self._alive:
            return
        self.failed.emit(text)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Message"), text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------------ source and headers

    def show_source(self) -> None:
        """View source: the raw message as text, read-only, bounded (decoded on the worker)."""
        raw = self.raw
        if raw is None:
            return
        REGISTRY.worker().submit(lambda: message_export.source_text(raw), self._show_source,
                                 lambda exc: self._failed(self.tr("The source could not be shown: {reason}"), exc))

    def _show_source(self, source: message_export.SourceText) -> None:
        if not self._alive:
            return
        notice = ""
        if source.cut:
            notice = self.tr(
                "Only the first {shown} of {total} are shown. Save the message as .eml to see all of it."
            ).format(shown=_size_text(source.shown), total=_size_text(source.total))
        view = TextView("messageSourceView", self.tr("Source — {subject}").format(subject=self.subject()),
                        source.text, notice, fixed=True, parent=self)
        view.show()

    def show_headers(self) -> None:
        """Headers: every header field, decoded (on the worker)."""
        raw = self.raw
        if raw is None:
            return
        REGISTRY.worker().submit(lambda: message_export.headers_text(raw), self._show_headers,
                                 lambda exc: self._failed(self.tr("The headers could not be shown: {reason}"), exc))

    def _show_headers(self, found: tuple[str, bool]) -> None:
        if not self._alive:
            return
        text, cut = found
        notice = self.tr("The header is very long; only its beginning is shown.") if cut else ""
        view = TextView("messageHeadersView", self.tr("Headers — {subject}").format(subject=self.subject()),
                        text, notice, fixed=False, parent=self)
        view.show()

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's method name
        self._alive = False
        if self in REGISTRY.windows:
            REGISTRY.windows.remove(self)
        self.closed.emit()
        super().closeEvent(event)


__all__ = ["REGISTRY", "MessageWindow", "TextView", "WindowRegistry", "close_all"]
