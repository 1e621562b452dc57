"""The formatted view (ui/message_view.py) never reaches the network, and shows what it is given.

The zero-requests test points every web address of every sample and corpus message at a
loopback HTTP server that counts each request it receives, renders each message offscreen
(formatted, then plain), and asserts the server heard nothing. A viewer that does fetch
(planted) is caught by the same harness.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtTest import QTest

from govmail_desktop.mime.html_view import render_html
from govmail_desktop.mime.parse import ParsedMessage, parse_message
from govmail_desktop.ui.message_view import ClosedDocument, MessageView
from tests.corpora import CORPORA, MISSING_REASON, corpora_present, corpus_messages

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = sorted(DATA.glob("*.eml")) + sorted((DATA / "html").glob("*.eml"))
#: A loose cap per message (offscreen, on a loaded two-core machine): a hang, not a timing goal.
PER_MESSAGE_CAP_S = 10.0

_WEB_URL = re.compile(r"(?i)(?:https?:)?//[^\s\"'<>()\\]+")


class CountingServer:
    """A loopback HTTP server that counts every request (any method) and answers with a PNG."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                counter.requests.append(f"{self.command} {self.path}")
                body = _png()
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.port}/leak/{n}.png"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = QImage(4, 4, QImage.Format.Format_ARGB32)
    image.fill(QColor("red"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # QIODevice overload missing from the stubs
    return bytes(data.data())


@pytest.fixture
def server() -> Iterator[CountingServer]:
    s = CountingServer()
    yield s
    s.close()


def _aimed_at(parsed: ParsedMessage, server: CountingServer) -> str:
    """The message's HTML with every web address in it pointing at the counting server."""
    counter = iter(range(1_000_000))
    return _WEB_URL.sub(lambda _m: server.url(next(counter)), parsed.html)


def _lay_out(view: MessageView) -> None:
    """Lay the whole document out and paint what is visible (images are asked for then)."""
    view.document().documentLayout().documentSize()
    view.viewport().grab()


def _render_all(view: MessageView, files: list[Path], server: CountingServer) -> tuple[float, Path | None]:
    slowest: tuple[float, Path | None] = (0.0, None)
    for path in files:
        started = time.monotonic()
        parsed = parse_message(path.read_bytes())
        if parsed.html:
            safe = render_html(_aimed_at(parsed, server), cid_parts=dict(parsed.inline_parts))
            view.show_html(safe, dict(parsed.inline_images))
            _lay_out(view)
        view.show_plain(_WEB_URL.sub(lambda _m: server.url(0), parsed.text))
        _lay_out(view)
        elapsed = time.monotonic() - started
        if elapsed > slowest[0]:
            slowest = (elapsed, path)
    return slowest


def _leak_check(qtbot, server: CountingServer, files: list[Path], view: MessageView | None = None) -> None:
    view = view or MessageView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    slowest, where = _render_all(view, files, server)
    time.sleep(0.2)  # anything sent late still arrives at the server
    print(f"slowest message: {slowest:.2f} s ({where})")
    assert server.requests == [], f"the viewer reached the network: {server.requests[:5]}"
    assert slowest < PER_MESSAGE_CAP_S, f"{where} took {slowest:.1f} s"


def test_every_sample_renders_with_zero_requests(qtbot, server):
    assert len(SAMPLES) >= 29
    _leak_check(qtbot, server, SAMPLES)


def test_every_corpus_message_renders_with_zero_requests(qtbot, server):
    if not corpora_present():
        pytest.skip(MISSING_REASON)
    files = corpus_messages(CORPORA)
    assert files, f"no messages found under {CORPORA}"
    _leak_check(qtbot, server, files)


class _FetchingView(MessageView):
    """Planted: a viewer that fetches remote images itself (what the app must never do)."""

    def __init__(self) -> None:
        super().__init__()
        self.remote_provider = self._fetch

    def _fetch(self, index: int) -> QImage | None:
        assert self.safe is not None
        with urllib.request.urlopen(self.safe.remote[index], timeout=5) as answer:
            return QImage.fromData(answer.read())


def test_the_harness_catches_a_viewer_that_fetches(qtbot, server):
    with pytest.raises(AssertionError, match="reached the network"):
        _leak_check(qtbot, server, [DATA / "07-html-remote-images.eml"], view=_FetchingView())
    assert server.requests


# -- the loader ------------------------------------------------------------------------------------


def test_the_document_never_falls_back_to_qts_own_loading(qtbot, tmp_path):
    picture = tmp_path / "local.png"
    QImage(8, 8, QImage.Format.Format_ARGB32).save(str(picture))
    html = f'<img src="{picture.as_uri()}"><img src="local.png"><img src="data:image/png;base64,iVBORw0KGgo=">'
    planted = QTextDocument()
    planted.setBaseUrl(QUrl.fromLocalFile(str(tmp_path) + "/"))
    assert planted.resource(QTextDocument.ResourceType.ImageResource, QUrl(picture.as_uri())) is not None
    closed = ClosedDocument(lambda _kind, _url: None)
    closed.setBaseUrl(QUrl.fromLocalFile(str(tmp_path) + "/"))
    closed.setHtml(html)
    for name in (picture.as_uri(), "local.png", "qrc:/qt-project.org/styles/commonstyle/images/file-16.png"):
        assert closed.resource(QTextDocument.ResourceType.ImageResource, QUrl(name)) is None, name


@pytest.mark.parametrize(
    "name", ["http://127.0.0.1/x.png", "file:///etc/hostname", "qrc:/x.png", "data:image/png;base64,AAAA", "x.png"]
)
def test_the_view_answers_nothing_but_cid_and_remote(qtbot, name):
    view = MessageView()
    qtbot.addWidget(view)
    image = int(QTextDocument.ResourceType.ImageResource.value)
    style = int(QTextDocument.ResourceType.StyleSheetResource.value)
    assert view.loadResource(image, QUrl(name)) is None
    assert view.loadResource(style, QUrl(name)) is None


def test_inline_images_are_shown_and_remote_ones_only_through_the_provider(qtbot):
    parsed = parse_message((DATA / "07-html-remote-images.eml").read_bytes())
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    safe = render_html(parsed.html, cid_parts=dict(parsed.inline_parts))
    view.show_html(safe, dict(parsed.inline_images))
    _lay_out(view)
    kind = QTextDocument.ResourceType.ImageResource
    logo = view.document().resource(kind, QUrl("cid:logo-2569@agency.mail.go.th"))
    assert isinstance(logo, QImage) and logo.size().width() == 1  # the sample's 1×1 PNG
    first = view.document().resource(kind, QUrl("remote:0"))
    assert isinstance(first, QImage) and first.width() == 16  # the small placeholder: no provider yet
    asked: list[int] = []

    def provider(index: int) -> QImage | None:
        asked.append(index)
        image = QImage(40, 30, QImage.Format.Format_ARGB32)
        image.fill(QColor("green"))
        return image if index == 0 else None

    view.remote_provider = provider
    view.reload_remote()
    _lay_out(view)
    assert sorted(set(asked)) == [0, 1, 2]
    loaded = view.document().resource(kind, QUrl("remote:0"))
    assert isinstance(loaded, QImage) and (loaded.width(), loaded.height()) == (600, 450)  # width=600 given


def test_links_report_their_target_and_visible_text_and_are_not_followed(qtbot):
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.show()
    qtbot.waitExposed(view)
    view.show_html(render_html('<p><a href="http://evil.example/x">www.krungthai.com</a> ข้อความ</p>'))
    hovered: list[tuple[str, str]] = []
    clicked: list[tuple[str, str]] = []
    view.link_hovered.connect(lambda url, text: hovered.append((url, text)))
    view.link_clicked.connect(lambda url, text: clicked.append((url, text)))
    cursor = view.document().find("krungthai")
    rect = view.cursorRect(cursor)
    point = QPoint(rect.left() - 2, rect.center().y())
    QTest.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: bool(hovered))
    assert hovered[-1] == ("http://evil.example/x", "www.krungthai.com")
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert clicked == [("http://evil.example/x", "www.krungthai.com")]
    assert view.source().isEmpty()  # nothing was opened


def test_plain_text_links_are_clickable(qtbot):
    view = MessageView()
    qtbot.addWidget(view)
    view.show_plain("ดูรายละเอียดที่ https://www.agency.mail.go.th/news ครับ")
    assert view.toPlainText() == "ดูรายละเอียดที่ https://www.agency.mail.go.th/news ครับ"
    anchors = [f.charFormat().anchorHref() for f in _fragments(view)]
    assert "https://www.agency.mail.go.th/news" in anchors


def _fragments(view: MessageView):
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield it.fragment()
            it += 1
        block = block.next()
