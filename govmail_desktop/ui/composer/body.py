"""The message body: plain or rich text, its formatting toolbar, files pasted or dropped.

Rich text offers bold, italic, underline, bulleted and numbered lists, links
and the font size; the body is written in TH Sarabun New where it is
installed (the typeface of Thai official documents), else in the bundled
Sarabun. Files pasted or dropped into the body, and pasted pictures, become
attachments (``filesDropped`` / ``imagePasted``), never inline data the
message would carry unseen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QUrl, Signal
from PySide6.QtGui import QAction, QFont, QFontDatabase, QImage, QKeySequence, QTextCharFormat, QTextListFormat
from PySide6.QtWidgets import QComboBox, QInputDialog, QLineEdit, QTextEdit, QToolBar, QWidget

from govmail_desktop.ui import fonts

#: The official documents' typeface, used when the PC has it.
OFFICIAL_FAMILY = "TH Sarabun New"
#: TH Sarabun New is small for its size: documents use 16 pt.
OFFICIAL_POINT_SIZE = 16.0
BUNDLED_POINT_SIZE = 12.0
FONT_SIZES = (10, 12, 14, 16, 18, 20, 24, 28)


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
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    buffer.close()
    return bytes(data.data())


class BodyEdit(QTextEdit):
    """The body editor. Signals: filesDropped(list of Path), imagePasted(bytes)."""

    filesDropped = Signal(list)
    imagePasted = Signal(bytes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodyEdit")
        self.document().setDefaultFont(body_font())
        self.setAcceptRichText(True)

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
        if not rich:
            self.setPlainText(self.toPlainText())
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
