"""Links in the message view: the real target on hover (status bar, tooltip), a question naming
the real destination before a risky link opens, mailto: links to the composer.

QDesktopServices.openUrl is replaced by a recorder: nothing is ever opened.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from govmail_desktop.mime.html_view import SafeHtml, render_html
from govmail_desktop.mime.links import KIND_OK, KIND_TEXT_OTHER_DOMAIN
from govmail_desktop.policy.hosts import parse_pattern

pytestmark = pytest.mark.gui

INTERNAL = (parse_pattern("go.th"), parse_pattern(".go.th"))

HTML = (
    '<p><a href="https://mail.go.th/inbox">www.mail.go.th</a></p>'
    '<p><a href="http://go-th.com/login">mail.go.th</a></p>'
    '<p><a href="mailto:saraban@moe.go.th?cc=boss@moe.go.th&amp;subject=%E0%B8%AB%E0%B8%99%E0%B8%B1%E0%B8%87%E0%B8'
    '%AA%E0%B8%B7%E0%B8%AD&amp;body=hello&amp;attach=/etc/passwd">ติดต่อสารบรรณ</a></p>'
    '<p><a href="http://3232235777/x">ดูเอกสาร</a></p>'
)


class Recorder:
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.composed: list[dict[str, str]] = []

    def open(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True

    def compose(self, **fields: str) -> object:
        self.composed.append(fields)
        return object()


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    rec = Recorder()
    monkeypatch.setattr(QDesktopServices, "openUrl", rec.open)
    return rec


@pytest.fixture
def guarded(qtbot, recorder, language_controller):
    """A window with a status bar and a MessageView showing HTML, guarded."""
    from govmail_desktop.ui.link_guard import LinkGuard
    from govmail_desktop.ui.message_view import MessageView

    language_controller.apply("th")
    window = QMainWindow()
    view = MessageView(window)
    window.setCentralWidget(view)
    window.statusBar()
    window.resize(700, 500)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    guard = LinkGuard(INTERNAL, compose=recorder.compose, parent=window)
    guard.attach(view, window.statusBar())
    view.show_html(render_html(HTML))
    return window, view, guard


def link_point(view: Any, text: str, start: int = 0) -> QPoint:
    """The middle of the first character of ``text`` (found from ``start``) in the view."""
    found = view.document().find(text, start, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), text
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 1)
    return view.cursorRect(cursor).center() + QPoint(2, 0)


def laid_out_point(qtbot, view, text: str) -> QPoint:
    """The link's point once the window is laid out (the pointer lands on the view there)."""
    window = view.window()

    def on_view() -> bool:
        point = link_point(view, text)
        return window.childAt(view.viewport().mapTo(window, point)) is view.viewport()

    qtbot.waitUntil(on_view)
    return link_point(view, text)


def hover(qtbot, view, text: str) -> None:
    qtbot.mouseMove(view.viewport(), laid_out_point(qtbot, view, text))


def hover_until(qtbot, view, text: str, condition) -> None:
    """Hover the link until ``condition()`` holds: a window still settling its layout may move the
    link away from under the pointer after the first move."""
    away = QPoint(view.viewport().width() - 3, view.viewport().height() - 3)
    moves = [0]

    def moved() -> bool:
        if condition():
            return True
        moves[0] += 1  # away and back again, the events handled between two looks
        if moves[0] % 2:
            hover(qtbot, view, text)
        else:
            qtbot.mouseMove(view.viewport(), away)
        return False

    qtbot.waitUntil(moved)


def click(qtbot, view, text: str) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=laid_out_point(qtbot, view, text))


def answer_question(qtbot, open_it: bool, seen: list[str]) -> None:
    """Reads the modal question when it comes, then answers it."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.windowTitle() + "\n" + box.text())
        if open_it:
            (button,) = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
            button.click()
        else:
            box.reject()

    QTimer.singleShot(0, answer)


def test_hover_shows_the_real_target_in_the_status_bar_and_tooltip(qtbot, guarded):
    window, view, _guard = guarded
    hover(qtbot, view, "www.mail.go.th")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "https://mail.go.th/inbox")
    assert "https://mail.go.th/inbox" in view.toolTip()

    after_first = view.document().find("www.mail.go.th").selectionEnd()
    qtbot.mouseMove(view.viewport(), link_point(view, "mail.go.th", after_first))  # text mail.go.th → go-th.com
    qtbot.waitUntil(lambda: "go-th.com" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage().startswith("⚠")
    assert "go-th.com" in view.toolTip()
    assert "แต่ลิงก์นี้พาไปที่" in view.toolTip()  # the reason, in Thai

    qtbot.mouseMove(view.viewport(), QPoint(view.viewport().width() - 5, view.viewport().height() - 5))
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "")
    assert view.toolTip() == ""


def test_an_ordinary_link_opens_without_a_question(qtbot, guarded, recorder):
    _window, view, _guard = guarded
    assert _guard.judge("https://mail.go.th/inbox", "www.mail.go.th").kind == KIND_OK
    click(qtbot, view, "www.mail.go.th")
    qtbot.waitUntil(lambda: recorder.opened == ["https://mail.go.th/inbox"])


@pytest.mark.parametrize("open_it", [False, True])
def test_a_risky_link_asks_naming_the_real_destination(qtbot, guarded, recorder, open_it):
    _window, view, guard = guarded
    assert guard.judge("http://go-th.com/login", "mail.go.th").kind == KIND_TEXT_OTHER_DOMAIN
    seen: list[str] = []
    answer_question(qtbot, open_it, seen)
    # "mail.go.th" is also inside "www.mail.go.th": the second link's own text comes after it.
    after_first = view.document().find("www.mail.go.th").selectionEnd()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=link_point(view, "mail.go.th", after_first))
    qtbot.waitUntil(lambda: bool(seen))
    assert "http://go-th.com/login" in seen[0]  # the real destination is named
    assert "mail.go.th" in seen[0]  # and what the text pretended
    assert "เปิดลิงก์นี้หรือไม่" in seen[0]
    if open_it:
        qtbot.waitUntil(lambda: recorder.opened == ["http://go-th.com/login"])
    else:
        qtbot.wait(50)
        assert recorder.opened == []


def test_a_bare_ip_link_names_the_address(qtbot, guarded, recorder):
    _window, view, _guard = guarded
    seen: list[str] = []
    answer_question(qtbot, False, seen)
    click(qtbot, view, "ดูเอกสาร")
    qtbot.waitUntil(lambda: bool(seen))
    assert "192.168.1.1" in seen[0]
    assert recorder.opened == []


def test_other_schemes_ask_and_javascript_is_never_opened(qtbot, guarded, recorder):
    """Links of other schemes stay links in the formatted view (mime.html_view.ASKED_LINK_SCHEMES)."""
    _window, view, _guard = guarded
    view.show_html(SafeHtml(html='<p><a href="smb://10.0.0.5/share/doc.docx">เอกสาร</a></p>'
                                 '<p><a href="javascript:alert(1)">run</a></p>'))
    seen: list[str] = []
    answer_question(qtbot, True, seen)
    click(qtbot, view, "เอกสาร")
    qtbot.waitUntil(lambda: bool(seen))
    assert "smb://10.0.0.5/share/doc.docx" in seen[0]
    qtbot.waitUntil(lambda: recorder.opened == ["smb://10.0.0.5/share/doc.docx"])

    click(qtbot, view, "run")
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()))
    (box,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert "javascript" in box.text()
    assert box.objectName() == "linkNotice"
    box.accept()
    assert recorder.opened == ["smb://10.0.0.5/share/doc.docx"]  # nothing more


def test_mailto_opens_the_composer_with_the_fields(qtbot, guarded, recorder):
    _window, view, _guard = guarded
    click(qtbot, view, "ติดต่อสารบรรณ")
    qtbot.waitUntil(lambda: bool(recorder.composed))
    assert recorder.composed == [
        {"to": "saraban@moe.go.th", "cc": "boss@moe.go.th", "bcc": "", "subject": "หนังสือ", "text": "hello"}
    ]
    assert recorder.opened == []  # never a browser, and the attach= field is ignored


def test_mailto_without_an_account_says_so(qtbot, guarded, recorder):
    _window, view, guard = guarded
    guard.compose = lambda **_fields: None
    click(qtbot, view, "ติดต่อสารบรรณ")
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()))
    (box,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert box.text()
    box.accept()


def test_the_main_window_preview_and_message_windows_are_guarded(qtbot, make_main_window, recorder):
    """The composition root's wiring: the preview's links hover into the main window's status bar,
    a message window's into its own; both previews use the policy's internal domains."""
    from govmail_desktop.ui.link_guard import attach_link_guard
    from govmail_desktop.ui.message_window import MessageWindow

    under = make_main_window(lang="th")
    window = under.window
    internal = (*INTERNAL, parse_pattern("agency.example"))
    guard = attach_link_guard(window, internal, recorder.compose)
    assert window.preview_view.internal_domains == internal
    body = window.preview_view.body
    window.preview_view.show()
    body.show_html(render_html(HTML))
    hover_until(qtbot, body, "ดูเอกสาร", lambda: "192.168.1.1" in window.statusBar().currentMessage())

    opened = MessageWindow(listed=False)
    qtbot.addWidget(opened)
    # Beside the main window: the pointer is sent to the window at its place on the screen.
    opened.move(window.frameGeometry().right() + 20, window.y())
    opened.show()
    qtbot.waitExposed(opened)
    assert opened.pane.internal_domains == internal
    opened.pane.body.show_html(render_html(HTML))
    hover_until(qtbot, opened.pane.body, "www.mail.go.th",
                lambda: opened.statusBar().currentMessage() == "https://mail.go.th/inbox")
    click(qtbot, opened.pane.body, "ติดต่อสารบรรณ")
    qtbot.waitUntil(lambda: bool(recorder.composed))
    assert guard.parent() is window


@pytest.mark.parametrize(
    ("href", "text", "named"),
    [
        ("http://go-th.com/login", "mail.go.th", "go-th.com"),
        ("https://mail.xn--g-1tb.th/login", "เข้าสู่ระบบ", "mail.xn--g-1tb.th"),  # Cyrillic о, shown in punycode
        ("https://mail.g\u043e.th/login", "เข้าสู่ระบบ", "mail.xn--g-1tb.th"),
        ("http://3232235777/", "เอกสาร", "192.168.1.1"),
        ("http://0300.0250.01.01/", "เอกสาร", "192.168.1.1"),
        ("http://%31%39%32.168.1.1/", "เอกสาร", "192.168.1.1"),
        ("https://mail.go.th@evil.example/", "เอกสาร", "evil.example"),
        ("https://evil.example\\@mail.go.th/", "เอกสาร", "mail.go.th"),  # Qt reads it so; that is what opens
        ("https://xn--80ak6aa92e.com/", "apple.com", "xn--80ak6aa92e.com"),
    ],
)
def test_risky_links_stay_risky_through_the_viewer(qtbot, guarded, recorder, href, text, named):
    """From the message's HTML through the sanitiser and the viewer's own URL handling to the
    guard: still asked about, the destination named as what would really be opened."""
    _window, view, guard = guarded
    asked = []
    guard.ask = lambda verdict, _parent: asked.append(verdict) or False
    view.show_html(render_html(f'<p><a href="{href}">{text}</a></p>'))
    click(qtbot, view, text)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0].risky
    assert named in asked[0].destination
    assert recorder.opened == []
