"""The search view's help: the query language, every operator with an example, in the UI's language.

The same reference as ``docs/search.md`` (Thai and English) and the grammar of
``search/query.py``; each line is translated like any other text of the program, so a
user reading Thai sees the whole help in Thai. Clicking an example puts it into the
search box (:attr:`SearchHelpDialog.example_chosen`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

#: The example links' scheme (never a real URL: the browser opens nothing).
EXAMPLE_SCHEME = "example"


class SearchHelpDialog(QDialog):
    """Non-modal help next to the search view."""

    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchHelp")
        self.setModal(False)
        self.resize(640, 620)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("searchHelpText")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_link)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:  # Qt's method name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == EXAMPLE_SCHEME:
            self.example_chosen.emit(url.fragment(QUrl.ComponentFormattingOption.FullyDecoded))

    def rows(self) -> list[tuple[str, str, str]]:
        """(what to type, an example, what it finds) for every part of the language."""
        return [
            (self.tr("word"), "งบ", self.tr("Messages with the word anywhere: subject, sender, recipients or text. "
                                 "Thai words of any length are found inside running text.")),
            (self.tr("several words"), "งบ ประชุม", self.tr("Messages with all of the words (in any order).")),
            ('"…"', '"ที่ มท 0808.2/ว 1234"', self.tr("The words together, in this order (a phrase).")),
            ("from:", "from:สมชาย", self.tr("The sender's name or address contains the text.")),
            ("to:", "to:saraban@agency.go.th", self.tr("A recipient (To) contains the text.")),
            ("cc:", "cc:สารบรรณ", self.tr("A copy recipient (Cc) contains the text.")),
            ("subject:", 'subject:"ขออนุมัติ"', self.tr("The subject contains the text.")),
            ("has:attachment", "has:attachment", self.tr("Messages with attached files.")),
            ("is:unread / is:read", "is:unread", self.tr("Messages not read yet / already read.")),
            ("is:flagged", "is:flagged", self.tr("Flagged messages.")),
            ("is:urgent", "is:urgent", self.tr("Urgent messages (ด่วน, ด่วนมาก, ด่วนที่สุด).")),
            ("is:secret", "is:secret", self.tr("Secret messages (ลับ, ลับมาก, ลับที่สุด).")),
            ("folder: / in:", 'folder:"กล่องจดหมายเข้า"', self.tr("Only in this folder (its name or path).")),
            ("after:", "after:1/10/2568", self.tr("On or after this day.")),
            ("before:", "before:1/1/2569", self.tr("Before this day.")),
            ("date:", "date:ต.ค.2568", self.tr("On this day, in this month or in this year (date:2568).")),
            ("-", "-is:read -from:noreply", self.tr("Put - in front of any part to find messages without it.")),
        ]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Search Help"))
        rows = "".join(
            "<tr>"
            f"<td><code>{html.escape(syntax)}</code></td>"
            f'<td><a href="{EXAMPLE_SCHEME}:#{html.escape(bytes(QUrl.toPercentEncoding(example).data()).decode())}">'
            f"<code>{html.escape(example)}</code></a></td>"
            f"<td>{html.escape(meaning)}</td>"
            "</tr>"
            for syntax, example, meaning in self.rows()
        )
        notes = [
            self.tr("All the parts must hold: 'งบ from:สมชาย after:1/10/2568' finds messages with งบ, "
               "from สมชาย, since 1 October 2568."),
            self.tr("Dates: day/month/year with /, - or . ; a year of 2400 or more is a Buddhist-era year "
               "(2568), otherwise Christian era (2025); Thai month names, full or short (ต.ค., ตุลาคม), "
               "or English ones (Oct 2025)."),
            self.tr("Thai digits and Arabic digits find each other: ๒๕๖๘ = 2568. Upper and lower case, "
               "and accents, do not matter."),
            self.tr("A value with spaces goes in quotes: from:\"สมชาย ใจดี\"."),
            self.tr("Messages whose text is not on this computer yet are also searched on the server; "
               "they are marked ☁ in the results."),
            self.tr("Click an example to put it into the search box."),
        ]
        heading = html.escape(self.tr("Searching your mail"))
        columns = "".join(
            f"<th>{html.escape(c)}</th>" for c in (self.tr("Type"), self.tr("Example"), self.tr("Finds"))
        )
        self.browser.setHtml(
            f"<h3>{heading}</h3>"
            "<table cellspacing='0' cellpadding='4' border='1' style='border-collapse: collapse;'>"
            f"<tr>{columns}</tr>{rows}</table>"
            + "".join(f"<p>{html.escape(n)}</p>" for n in notes)
        )
        self.browser.setAlignment(Qt.AlignmentFlag.AlignLeft)


__all__ = ["SearchHelpDialog"]
