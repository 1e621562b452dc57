"""The message text as the reader sees it: formatted (cleaned HTML) or plain, with no network.

:class:`MessageView` is a read-only ``QTextBrowser`` that can never fetch anything:

* its document is a :class:`ClosedDocument`, whose ``loadResource`` asks the view and
  nothing else — Qt's own fallbacks (reading local files, relative paths, ``file:`` and UNC
  paths, ``qrc:``, ``data:``) are never reached;
* the view answers only ``cid:`` (the message's inline images, handed in as bytes by
  :meth:`MessageView.show_html`) and ``remote:N`` (the N-th remote image, asked of
  :attr:`MessageView.remote_provider`, which answers only once the user allowed remote
  images); everything else gets an empty answer (a placeholder image for ``<img>``);
* links are never followed: ``setOpenLinks(False)``; hovering and clicking a link emit
  :attr:`MessageView.link_hovered` / :attr:`MessageView.link_clicked` with the target and
  the visible text, for the link checks to decide.

What it shows was made safe before (:func:`mime.html_view.render_html`,
:func:`mime.html_view.text_to_html`); the loader is the second wall.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QMouseEvent, QPainter, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from govmail_desktop.mime.html_view import BLOCKED_SRC, SafeHtml, cid_key, text_to_html

log = logging.getLogger(__name__)

#: Bytes of one inline image decoded at most.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
#: Pixels of one decoded image at most (width × height); larger ones are scaled down.
MAX_IMAGE_PIXELS = 16 * 1024 * 1024
#: Widest image shown (wider ones are scaled down to it).
MAX_IMAGE_WIDTH = 2048

RemoteProvider = Callable[[int], QImage | None]

_IMAGE = int(QTextDocument.ResourceType.ImageResource.value)


def decode_image(data: bytes) -> QImage | None:
    """An image from bytes, bounded in size; None when it is not one."""
    if not data or len(data) > MAX_IMAGE_BYTES:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    if not buffer.open(QIODevice.OpenModeFlag.ReadOnly):
        return None
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        width, height = size.width(), size.height()
        if width <= 0 or height <= 0:
            return None
        scale = min(1.0, MAX_IMAGE_WIDTH / width, (MAX_IMAGE_PIXELS / (width * height)) ** 0.5)
        if scale < 1.0:
            reader.setScaledSize(QSize(max(1, int(width * scale)), max(1, int(height * scale))))
    image = reader.read()
    return None if image.isNull() else image


PLACEHOLDER_SIZE = 16


def placeholder_image() -> QImage:
    """A small light box with a border: an image that was not loaded."""
    side = PLACEHOLDER_SIZE
    image = QImage(side, side, QImage.Format.Format_ARGB32)
    image.fill(QColor("#f0f0f0"))
    painter = QPainter(image)
    painter.setPen(QColor("#b8b8b8"))
    painter.drawRect(0, 0, side - 1, side - 1)
    painter.drawLine(4, side - 5, side - 5, 4)
    painter.end()
    return image


def fit_image(image: QImage, width: int, height: int) -> QImage:
    """``image`` at the size the message gives it (0: not given; one given keeps the proportions),
    never wider than :data:`MAX_IMAGE_WIDTH`."""
    if width <= 0 and height <= 0:
        width = min(image.width(), MAX_IMAGE_WIDTH)
    if width > 0 and height <= 0:
        height = max(1, round(image.height() * width / max(1, image.width())))
    elif height > 0 and width <= 0:
        width = max(1, round(image.width() * height / max(1, image.height())))
    width, height = min(width, MAX_IMAGE_WIDTH), min(height, MAX_IMAGE_WIDTH * 4)
    if (width, height) == (image.width(), image.height()):
        return image
    return image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)


class ClosedDocument(QTextDocument):
    """A text document that loads no resource by itself: it asks ``answer`` and never Qt's
    fallbacks (local files, relative paths, ``qrc:``, ``data:``)."""

    def __init__(self, answer: Callable[[int, QUrl], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._answer = answer
        #: Answers given, each asked once (Qt caches only what its own loader loaded).
        self._answers: dict[tuple[int, str], Any] = {}

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        key = (int(type), QUrl(name).toString())
        if key not in self._answers:
            try:
                self._answers[key] = self._answer(int(type), QUrl(name))
            except Exception:
                log.exception("Resource answer failed")
                self._answers[key] = None
        return self._answers[key]


class MessageView(QTextBrowser):
    """Read-only message text (formatted or plain) with links that are reported, not followed.

    Signals:
        link_hovered(str url, str text): the pointer (or the keyboard focus) is on a link;
            ("", "") when it left it.
        link_clicked(str url, str text): a link was activated (mouse or Enter).
        content_changed(): a new text is shown (another message, plain/formatted, images
            reloaded): search highlights are marked again (ui/highlight.TextHighlighter).
    """

    link_hovered = Signal(str, str)
    link_clicked = Signal(str, str)
    content_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(ClosedDocument(self._answer, self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        #: Asked for ``remote:N`` images: a QImage once the image is here and allowed, else None.
        self.remote_provider: RemoteProvider | None = None
        #: What is shown: "plain" or "html" ("" before anything).
        self.mode = ""
        self.safe: SafeHtml | None = None
        self._html = ""
        self._cid_images: dict[str, bytes] = {}
        self._decoded: dict[str, QImage | None] = {}
        self._placeholder: QImage | None = None
        self._pointer: QPoint | None = None
        #: Every resource the document asked for (scheme:rest), for tests and diagnostics.
        self.requested: list[str] = []
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.highlighted.connect(self._on_highlighted)

    # ------------------------------------------------------------------ showing

    def show_plain(self, text: str) -> None:
        """Plain text, its web and mail addresses made links."""
        self.mode = "plain"
        self.safe = None
        self._cid_images = {}
        self._set_html(text_to_html(text))

    def show_html(self, safe: SafeHtml, cid_images: Mapping[str, bytes] | None = None) -> None:
        """Cleaned HTML (:func:`mime.html_view.render_html`) with the message's inline images
        (``cid_images``: Content-ID → the part's bytes)."""
        self.mode = "html"
        self.safe = safe
        self._cid_images = {cid_key(k): v for k, v in (cid_images or {}).items()}
        self._set_html(safe.html)

    def clear(self) -> None:
        self.mode = ""
        self.safe = None
        self._cid_images = {}
        self._set_html("")

    def reload_remote(self) -> None:
        """Remote images arrived (or were allowed): ask the provider again and lay out anew,
        keeping the reading position."""
        if self.mode != "html" or self.safe is None or not self.safe.remote:
            return
        bar = self.verticalScrollBar()
        position = bar.value()
        self._set_html(self._html)
        bar.setValue(position)

    def _set_html(self, html: str) -> None:
        self._html = html
        self._decoded = {}
        self.requested = []
        # A fresh document: Qt keeps the resources a document loaded for its lifetime.
        old = self.document()
        self.setDocument(ClosedDocument(self._answer, self))
        if old is not None and old.parent() is self:
            old.deleteLater()
        self.document().setHtml(html)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.content_changed.emit()

    # ------------------------------------------------------------------ resources

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Only ``cid:`` and ``remote:N``; an empty answer for everything else (never Qt's loader)."""
        return self._answer(int(type), QUrl(name))

    def _answer(self, kind: int, url: QUrl) -> Any:
        scheme = url.scheme().lower()
        self.requested.append(url.toString()[:200])
        if kind != _IMAGE:
            return None  # style sheets and anything else: nothing
        if scheme == "cid":
            return self._cid_image(url.path()) or self._blocked()
        if scheme == "remote":
            return self._remote_image(url.path()) or self._blocked()
        if url.toString() == BLOCKED_SRC or scheme == "blocked":
            return self._blocked()
        return None

    def _cid_image(self, cid: str) -> QImage | None:
        key = cid_key(cid)
        if key not in self._decoded:
            data = self._cid_images.get(key)
            self._decoded[key] = decode_image(data) if data else None
        return self._decoded[key]

    def _remote_image(self, number: str) -> QImage | None:
        if self.remote_provider is None or self.safe is None or not number.isdigit():
            return None
        index = int(number)
        if index >= len(self.safe.remote):
            return None
        image = self.remote_provider(index)
        if not isinstance(image, QImage) or image.isNull():
            return None
        sizes = self.safe.remote_sizes
        width, height = sizes[index] if index < len(sizes) else (0, 0)
        return fit_image(image, width, height)

    def _blocked(self) -> QImage:
        if self._placeholder is None:
            self._placeholder = placeholder_image()
        return self._placeholder

    # ------------------------------------------------------------------ links

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._pointer = event.position().toPoint()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._pointer = event.position().toPoint()
        super().mouseReleaseEvent(event)  # emits anchorClicked when it was a link

    def _on_highlighted(self, url: QUrl) -> None:
        href = url.toString()
        self.link_hovered.emit(href, self._anchor_text(href) if href else "")

    def _on_anchor_clicked(self, url: QUrl) -> None:
        href = url.toString()
        self.link_clicked.emit(href, self._anchor_text(href))

    def _anchor_text(self, href: str) -> str:
        """The visible text of the link under the pointer, or of the one the keyboard is on."""
        cursor = self.textCursor()
        if cursor.hasSelection() and cursor.charFormat().anchorHref() == href:
            return cursor.selectedText().replace("\u2029", " ").strip()
        if self._pointer is not None and self.anchorAt(self._pointer) == href:
            return self.anchor_text_at(self.cursorForPosition(self._pointer).position(), href)
        return ""

    def anchor_text_at(self, position: int, href: str) -> str:
        """The text of the run of characters linking to ``href`` around ``position``."""
        block = self.document().findBlock(position)
        runs: list[tuple[int, int, str]] = []
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                start, end = fragment.position(), fragment.position() + fragment.length()
                if fragment.charFormat().anchorHref() == href:
                    if runs and runs[-1][1] == start:
                        runs[-1] = (runs[-1][0], end, runs[-1][2] + fragment.text())
                    else:
                        runs.append((start, end, fragment.text()))
            it += 1
        for start, end, text in runs:
            if start <= position <= end:
                return text.replace("\ufffc", "").strip()
        return runs[0][2].replace("\ufffc", "").strip() if runs else ""
