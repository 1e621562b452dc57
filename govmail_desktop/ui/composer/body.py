"""The message body: plain or rich text, its formatting toolbar, files pasted or dropped.

Rich text offers bold, italic, underline, bulleted and numbered lists, links
and the font size; the body is written in TH Sarabun New where it is
installed (the typeface of Thai official documents), else in the bundled
Sarabun. Files pasted or dropped into the body are handed to the window
(``filesDropped``), pasted pictures too (``imagePasted``): in a rich body a
picture becomes an inline image (:meth:`BodyEdit.insert_image`, ``cid:``),
in a plain one an attachment. A reply's quote is shown in a rich body as
indented blocks with a left border (levels read back from the indent,
:data:`~govmail_desktop.mime.reply.QUOTE_INDENT_PX`); :meth:`BodyEdit.rich_html`
writes them as ``<blockquote>``s and :meth:`BodyEdit.plain_text` as ``>`` lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextImageFormat,
    QTextListFormat,
)
from PySide6.QtWidgets import QComboBox, QInputDialog, QLineEdit, QTextEdit, QToolBar, QWidget

from govmail_desktop.mime.reply import QUOTE_INDENT_PX, QUOTE_STYLE, text_to_html
from govmail_desktop.ui import fonts

#: The official documents' typeface, used when the PC has it.
OFFICIAL_FAMILY = "TH Sarabun New"
#: TH Sarabun New is small for its size: documents use 16 pt.
OFFICIAL_POINT_SIZE = 16.0
BUNDLED_POINT_SIZE = 12.0
FONT_SIZES = (10, 12, 14, 16, 18, 20, 24, 28)
#: A picture wider than this is shown (and sent) scaled to this width (px).
MAX_IMAGE_WIDTH = 640
QUOTE_BORDER_COLOUR = "#8a8a8a"
_FRAGMENT_START, _FRAGMENT_END = "<!--StartFragment-->", "<!--EndFragment-->"


def quote_depth(block: QTextBlock) -> int:
    """How deeply a block of the rich body is quoted (0: not a quote), read from its left
    margin (Qt marks only the first block of a ``<blockquote>`` as a quote; each level
    adds its margin, and the editor sets no other)."""
    margin = block.blockFormat().leftMargin()
    return round(margin / QUOTE_INDENT_PX) if margin >= QUOTE_INDENT_PX / 2 else 0


def _blocks(document: QTextDocument) -> list[QTextBlock]:
    found, block = [], document.begin()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found


def _fragment_body(html: str) -> str:
    """What is inside the ``<body>`` of Qt's HTML of a fragment (its markers taken out)."""
    body_at = html.find("<body")
    start = html.find(">", body_at) + 1 if body_at >= 0 else 0
    stop = html.rfind("</body>")
    inner = html[start:stop if stop >= start else len(html)]
    return inner.replace(_FRAGMENT_START, "").replace(_FRAGMENT_END, "").strip("\n")


def _block_text(block: QTextBlock) -> list[str]:
    """A block's lines as plain text (a picture leaves no mark, a no-break space is a space)."""
    return block.text().replace("\ufffc", "").replace("\u00a0", " ").split("\u2028")


def body_font() -> QFont:
    """TH Sarabun New where installed, else the bundled Sarabun (else the application font)."""
    families = set(QFontDatabase.families())
    if OFFICIAL_FAMILY in families:
        font = QFont(OFFICIAL_FAMILY)
        font.setPointSizeF(OFFICIAL_POINT_SIZE)
        return font
    font = QFont()
    if fonts.FAMILY in families:
        font.setFamilies([fonts.FAMILY])
    font.setPointSizeF(BUNDLED_POINT_SIZE)
    return font


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drop or paste carries (URLs of other kinds are left alone)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and Path(url.toLocalFile()).is_file()]


def image_png(mime: QMimeData) -> bytes | None:
    """A pasted picture as PNG bytes (None: the clipboard holds none)."""
    if not mime.hasImage():
        return None
    image = mime.imageData()
    if not isinstance(image, QImage) or image.isNull():
        return None
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The format as str: this PySide6 refuses the bytes its stubs name (a paste raised ValueError).
    saved = image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(buffer.data().data()) if saved else None


class BodyEdit(QTextEdit):
    """The body editor. Signals: filesDropped(list of Path), imagePasted(bytes)."""

    filesDropped = Signal(list)
    imagePasted = Signal(bytes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodyEdit")
        self.document().setDefaultFont(body_font())
        self.setAcceptRichText(True)
        #: The bytes of a ``cid:`` picture of a saved draft (set by the window), or None.
        self.image_source: Callable[[str], bytes | None] | None = None

    # ------------------------------------------------------------------ pictures

    def insert_image(self, content_id: str, data: bytes) -> bool:
        """Show the picture at the cursor as ``<img src="cid:…">`` (False: not a picture)."""
        image = QImage.fromData(data)
        if image.isNull():
            return False
        url = QUrl(f"cid:{content_id}")
        self.document().addResource(QTextDocument.ResourceType.ImageResource, url, image)
        fmt = QTextImageFormat()
        fmt.setName(url.toString())
        if image.width() > MAX_IMAGE_WIDTH:
            fmt.setWidth(MAX_IMAGE_WIDTH)
            fmt.setHeight(image.height() * MAX_IMAGE_WIDTH / image.width())
        self.textCursor().insertImage(fmt)
        return True

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # Qt's method name
        """A saved draft's pictures come from the draft store (``cid:``)."""
        url = QUrl(name) if isinstance(name, str) else name
        if url.scheme() == "cid":
            data = self.image_source(url.path()) if self.image_source is not None else None
            image = QImage.fromData(data) if data else QImage()
            return image if not image.isNull() else None
        return super().loadResource(kind, url)

    # ------------------------------------------------------------------ quotes

    def set_quoted_text(self, text: str) -> None:
        """A plain body (a reply's ``>`` lines) into the rich editor: quotes as indented blocks."""
        if not any(line.startswith(">") for line in text.split("\n")):
            self.setPlainText(text)
            return
        self.setHtml(text_to_html(text))
        self.document().setDefaultFont(body_font())

    def plain_text(self) -> str:
        """The body as plain text; quoted blocks as ``>`` lines (the text part of a rich message)."""
        lines: list[str] = []
        for block in _blocks(self.document()):
            depth = quote_depth(block)
            for line in _block_text(block):
                lines.append(">" * depth + (" " + line if line else "") if depth else line)
        return "\n".join(lines)

    def rich_html(self) -> str:
        """The body as HTML; quoted blocks inside ``<blockquote>``s with a left border."""
        document = self.document()
        html = document.toHtml()
        blocks = _blocks(document)
        if not any(quote_depth(b) for b in blocks):
            return html
        # The quote is written by this method, not as Qt's margins: each run of blocks of
        # one level is exported (by Qt) from a copy whose quote margins are taken off.
        depths = [quote_depth(b) for b in blocks]
        copy = document.clone(self)
        for block, depth in zip(_blocks(copy), depths, strict=True):
            if depth:
                fmt = QTextBlockFormat(block.blockFormat())
                fmt.clearProperty(QTextFormat.Property.BlockQuoteLevel)
                fmt.setLeftMargin(0)
                fmt.setRightMargin(0)
                QTextCursor(block).setBlockFormat(fmt)
        copied = _blocks(copy)
        parts: list[str] = []
        level = index = 0
        while index < len(copied):
            end = index
            while end + 1 < len(copied) and depths[end + 1] == depths[index]:
                end += 1
            while level < depths[index]:
                parts.append(f'<blockquote type="cite" style="{QUOTE_STYLE}">')
                level += 1
            while level > depths[index]:
                parts.append("</blockquote>")
                level -= 1
            cursor = QTextCursor(copy)
            cursor.setPosition(copied[index].position())
            last = copied[end]
            cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
            parts.append(_fragment_body(QTextDocumentFragment(cursor).toHtml()))
            index = end + 1
        parts.extend("</blockquote>" for _ in range(level))
        copy.deleteLater()
        body_at = html.find("<body")
        body_open = html[body_at:html.find(">", body_at) + 1]
        return html[:body_at] + body_open + "\n".join(parts) + "</body></html>"

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's method name
        """The text, then a left border beside each quote level (Qt draws none for blocks)."""
        super().paintEvent(event)
        if not self.acceptRichText():
            return
        painter: QPainter | None = None
        layout = self.document().documentLayout()
        dx = -self.horizontalScrollBar().value()
        dy = -self.verticalScrollBar().value()
        margin = self.document().documentMargin()
        for block in _blocks(self.document()):
            depth = quote_depth(block)
            if not depth:
                continue
            rect = layout.blockBoundingRect(block).translated(dx, dy)
            if rect.bottom() < 0 or rect.top() > self.viewport().height():
                continue
            if painter is None:
                painter = QPainter(self.viewport())
                painter.setPen(QPen(QColor(QUOTE_BORDER_COLOUR), 2))
            for level in range(depth):
                x = int(margin + dx + level * QUOTE_INDENT_PX + 3)
                painter.drawLine(x, int(rect.top()), x, int(rect.bottom()))
        if painter is not None:
            painter.end()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # Qt's method name
        return bool(local_files(source)) or source.hasImage() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # Qt's method name
        files = local_files(source)
        if files:
            self.filesDropped.emit(files)
            return
        png = image_png(source)
        if png is not None:
            self.imagePasted.emit(png)
            return
        if self.acceptRichText():
            super().insertFromMimeData(source)
        else:
            self.insertPlainText(source.text())

    def set_rich(self, rich: bool) -> None:
        """Switch between rich and plain text (plain keeps the words, drops the formatting)."""
        if rich == self.acceptRichText():
            return
        self.setAcceptRichText(rich)
        if rich:
            self.set_quoted_text(self.toPlainText())  # ">" lines become the quote's blocks
        if not rich:
            self.setPlainText(self.plain_text())  # quotes as ">" lines, pictures left out
            self.document().setDefaultFont(body_font())


class FormatToolbar(QToolBar):
    """Bold, italic, underline, lists, link and font size for a :class:`BodyEdit`."""

    def __init__(self, body: BodyEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formatToolbar")
        self.body = body
        self.bold_action = self._toggle("boldAction", QKeySequence.StandardKey.Bold, self._bold)
        self.italic_action = self._toggle("italicAction", QKeySequence.StandardKey.Italic,
                                          lambda on: self.body.setFontItalic(on))
        self.underline_action = self._toggle("underlineAction", QKeySequence.StandardKey.Underline,
                                             lambda on: self.body.setFontUnderline(on))
        self.addSeparator()
        self.bullets_action = self._plain_action("bulletsAction", lambda: self._list(QTextListFormat.Style.ListDisc))
        self.numbers_action = self._plain_action(
            "numbersAction", lambda: self._list(QTextListFormat.Style.ListDecimal))
        self.link_action = self._plain_action("linkAction", self.insert_link)
        self.link_action.setShortcut(QKeySequence("Ctrl+K"))
        self.addSeparator()
        self.size_combo = QComboBox(self)
        self.size_combo.setObjectName("fontSizeCombo")
        for size in FONT_SIZES:
            self.size_combo.addItem(str(size), size)
        default = int(body.document().defaultFont().pointSizeF() or BUNDLED_POINT_SIZE)
        index = self.size_combo.findData(default)
        self.size_combo.setCurrentIndex(index if index >= 0 else 1)
        self.size_combo.activated.connect(self._size)
        self.addWidget(self.size_combo)
        body.currentCharFormatChanged.connect(self._follow_format)
        self.retranslate_ui()

    def _toggle(self, name: str, key: QKeySequence.StandardKey, slot: object) -> QAction:
        action = self.addAction("")
        action.setObjectName(name)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(key))
        action.toggled.connect(slot)
        return action

    def _plain_action(self, name: str, slot: object) -> QAction:
        action = self.addAction("")
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Formatting"))
        self.bold_action.setText(self.tr("B"))
        self.bold_action.setToolTip(self.tr("Bold (Ctrl+B)"))
        self.italic_action.setText(self.tr("I"))
        self.italic_action.setToolTip(self.tr("Italic (Ctrl+I)"))
        self.underline_action.setText(self.tr("U"))
        self.underline_action.setToolTip(self.tr("Underline (Ctrl+U)"))
        self.bullets_action.setText(self.tr("• List"))
        self.bullets_action.setToolTip(self.tr("Bulleted list"))
        self.numbers_action.setText(self.tr("1. List"))
        self.numbers_action.setToolTip(self.tr("Numbered list"))
        self.link_action.setText(self.tr("Link…"))
        self.link_action.setToolTip(self.tr("Insert a link (Ctrl+K)"))
        bold, italic, underline = QFont(), QFont(), QFont()
        bold.setBold(True)
        italic.setItalic(True)
        underline.setUnderline(True)
        self.bold_action.setFont(bold)
        self.italic_action.setFont(italic)
        self.underline_action.setFont(underline)
        self.size_combo.setToolTip(self.tr("Font size (points)"))

    def _bold(self, on: bool) -> None:
        self.body.setFontWeight(QFont.Weight.Bold if on else QFont.Weight.Normal)

    def _list(self, style: QTextListFormat.Style) -> None:
        cursor = self.body.textCursor()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            block = cursor.blockFormat()
            current.remove(cursor.block())
            block.setIndent(0)
            cursor.setBlockFormat(block)
            return
        fmt = QTextListFormat()
        fmt.setStyle(style)
        cursor.createList(fmt)

    def _size(self, index: int) -> None:
        size = self.size_combo.itemData(index)
        if size:
            self.body.setFontPointSize(float(size))
        self.body.setFocus()

    def insert_link(self) -> None:
        """Ask for the address; the selected text (or the address) becomes the link."""
        url, ok = QInputDialog.getText(self, self.tr("Insert Link"), self.tr("Web address:"),
                                       QLineEdit.EchoMode.Normal, "https://")
        self.make_link(url if ok else "")

    def make_link(self, url: str) -> None:
        link = QUrl.fromUserInput(url.strip()) if url.strip() else QUrl()
        if not link.isValid() or link.scheme() not in ("http", "https", "mailto"):
            return
        cursor = self.body.textCursor()
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(link.toString())
        fmt.setFontUnderline(True)
        if cursor.hasSelection():
            cursor.mergeCharFormat(fmt)
        else:
            cursor.insertText(link.toString(), fmt)
            cursor.setCharFormat(QTextCharFormat())
        self.body.setTextCursor(cursor)

    def _follow_format(self, fmt: QTextCharFormat) -> None:
        for action, on in ((self.bold_action, fmt.fontWeight() >= QFont.Weight.Bold),
                           (self.italic_action, fmt.fontItalic()), (self.underline_action, fmt.fontUnderline())):
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)
        index = self.size_combo.findData(int(fmt.fontPointSize()))
        if index >= 0:
            self.size_combo.setCurrentIndex(index)

    def set_rich(self, rich: bool) -> None:
        self.setEnabled(rich)
