"""A message laid out for paper or PDF (Qt print support), off the GUI thread.

:func:`print_content` collects on the GUI thread what is printed (the translated
captions, the header lines as the window shows them, the body text, the
attachment names): plain strings only. :func:`render` then builds a
``QTextDocument`` from them with a ``QTextCursor`` — every string inserted as
text, nothing parsed as HTML, nothing loaded — and prints it to a ``QPrinter``
(a printer the user chose, or ``PdfFormat`` for Export to PDF). ``render`` runs
on a worker thread: Qt supports painting on a ``QPrinter`` and laying out a
``QTextDocument`` outside the GUI thread. Thai text goes into the PDF as text
with the fonts embedded (so it can be searched and copied, and ``pdftotext``
reads it back); the family is the app's (the bundled Thai font, ``ui/fonts.py``).

The font's ``ccmp`` feature is turned off for print: with it, the font joins a
tone mark and an upper vowel (ที่, ซึ่ง, ทั้ง, น้ำ) into one glyph that Qt's PDF
writer cannot map back to characters, so the PDF's text would lose the tone
marks (ที่ read back as ที). Without it each character keeps its own glyph
(positioned by the font's mark tables as before); the price is that ญ and ฐ keep
their lower tails above a lower vowel (ญุ, ฐุ — rare in practice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtPrintSupport import QPrinter

#: Point size of the printed body text.
BODY_POINTS = 11.0


@dataclass(frozen=True)
class PrintContent:
    """What one printed message holds (plain strings, built on the GUI thread)."""

    subject: str
    #: (caption, value) lines under the subject: From, To, Cc, Date.
    headers: tuple[tuple[str, str], ...]
    body: str
    #: "Attachments: a.pdf (12 KB), …" or "".
    attachments: str = ""
    #: The font family for the whole page ("" = Qt's default).
    family: str = ""
    #: Warnings the window shows about the message, printed above the body.
    warnings: tuple[str, ...] = field(default_factory=tuple)


def pdf_printer(path: Path) -> QPrinter:
    """A printer writing an A4 PDF to ``path`` (the form used by Thai offices)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    return printer


def document(content: PrintContent) -> QTextDocument:
    """The message as a text document (see the module docstring). Any thread."""
    doc = QTextDocument()
    base = QFont(content.family) if content.family else QFont()
    base.setPointSizeF(BODY_POINTS)
    base.setFeature(QFont.Tag("ccmp"), 0)  # every character stays text in the PDF (see above)
    doc.setDefaultFont(base)
    cursor = QTextCursor(doc)
    plain = QTextCharFormat()
    plain.setFont(base)
    bold = QTextCharFormat(plain)
    bold.setFontWeight(QFont.Weight.Bold)
    title = QTextCharFormat(bold)
    title.setFontPointSize(BODY_POINTS * 1.3)
    cursor.insertText(content.subject, title)
    for caption, value in content.headers:
        cursor.insertBlock()
        cursor.insertText(caption + " ", bold)
        cursor.insertText(value, plain)
    if content.attachments:
        cursor.insertBlock()
        cursor.insertText(content.attachments, plain)
    for warning in content.warnings:
        cursor.insertBlock()
        cursor.insertText(warning, plain)
    cursor.insertBlock()
    cursor.insertText("─" * 40, plain)
    for line in content.body.split("\n"):
        cursor.insertBlock()
        cursor.insertText(line, plain)
    return doc


def render(content: PrintContent, printer: QPrinter) -> None:
    """Print ``content`` on ``printer`` (worker thread). Raises OSError when a PDF
    could not be written."""
    doc = document(content)
    doc.print_(printer)
    name = printer.outputFileName()
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and name:
        path = Path(name)
        if not path.is_file() or path.stat().st_size == 0:
            raise OSError(f"the PDF was not written: {name}")


__all__ = ["PrintContent", "document", "pdf_printer", "render"]
