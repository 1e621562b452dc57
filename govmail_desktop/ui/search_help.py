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

    def rows(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(what to type, examples, what it finds) for every part of the language (docs/search.md)."""
        return [
            (self.tr("a word"), ("งบ",), self.tr("the word anywhere: subject, sender, recipients or text")),
            (self.tr("several words"), ("งบ ประชุม",), self.tr("messages with all of the words, in any order")),
            ('"…"', ('"ที่ มท 0808.2/ว 1234"',), self.tr("the words together, in this order (a phrase)")),
            ("from:", ("from:สมชาย", "from:somchai@moi.go.th"),
             self.tr("the sender's name or address contains the text")),
            ("to:", ("to:saraban@agency.go.th",), self.tr("a recipient (To) contains the text")),
            ("cc:", ("cc:สารบรรณ",), self.tr("a copy recipient (Cc) contains the text")),
            ("subject:", ('subject:"ขออนุมัติ"',), self.tr("the subject contains the text")),
            ("has:attachment", ("has:attachment",), self.tr("messages with attached files")),
            ("is:unread / is:read", ("is:unread",), self.tr("messages not read yet / already read")),
            ("is:flagged", ("is:flagged",), self.tr("flagged messages (is:starred is the same)")),
            ("is:urgent", ("is:urgent",), self.tr("urgent messages (ด่วน, ด่วนมาก, ด่วนที่สุด)")),
            ("is:secret", ("is:secret",), self.tr("secret messages (ลับ, ลับมาก, ลับที่สุด)")),
            ("folder: / in:", ("folder:Inbox", 'in:"จดหมายเข้า"'),
             self.tr("only in this folder (its name or path)")),
            ("after:", ("after:1/10/2568",),
             self.tr("on or after this day (or the first day of this month or year)")),
            ("before:", ("before:1/1/2569",), self.tr("before this day (or before this month or year)")),
            ("date:", ("date:ต.ค.2568", "date:2568", "date:1/10/2568"),
             self.tr("on this day, in this month, in this year")),
            ("-", ("-is:read", "-from:noreply", '-"ขอเชิญ"'),
             self.tr("put - in front of any part to find messages without it")),
        ]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Search Help"))
        rows = "".join(
            "<tr>"
            f"<td><code>{html.escape(syntax)}</code></td>"
            "<td>" + " ".join(
                f'<a href="{EXAMPLE_SCHEME}:#{html.escape(bytes(QUrl.toPercentEncoding(e).data()).decode())}">'
                f"<code>{html.escape(e)}</code></a>" for e in examples
            ) + "</td>"
            f"<td>{html.escape(meaning)}</td>"
            "</tr>"
            for syntax, examples, meaning in self.rows()
        )
        notes = [
            self.tr("A message is found when all the parts of the query hold: 'งบ from:สมชาย after:1/10/2568' "
                    "finds messages with งบ, from สมชาย, since 1 October 2568. Thai words of any length are "
                    "found inside running text."),
            self.tr("Upper and lower case and accents do not matter; Thai digits and Arabic digits find each "
                    "other (๒๕๖๘ = 2568); sara am typed as ํ + า finds ำ and the other way round."),
            self.tr("Operators are written with a colon and no space after it, in any case (FROM: = from:). "
                    "A value with spaces goes in quotes: from:\"สมชาย ใจดี\", date:\"1 ตุลาคม 2568\"."),
            self.tr("Dates: day/month/year with /, - or . ; a year of 2400 or more is a Buddhist-era year "
                    "(2568), any other a Christian-era year (2025); write the year in full. Thai month names, "
                    "short or full (ต.ค.2568, ตุลาคม2568), English ones (Oct2025), or month/year (10/2568); "
                    "today / วันนี้, yesterday / เมื่อวาน."),
            self.tr("after: includes its day, before: does not: 'after:1/10/2568 before:1/11/2568' is all of "
                    "October 2568, the same as date:ต.ค.2568."),
            self.tr("A query that cannot be read is not run: the mistake is said under the search box and its "
                    "part underlined. To search for text with a colon, such as foo:bar, put it in quotes."),
            self.tr("Messages whose text is not on this computer yet are also searched on the server; "
                    "they are marked ☁ in the results."),
            self.tr("Click an example to put it into the search box. The same help, with more detail, is in "
                    "docs/search.md."),
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
