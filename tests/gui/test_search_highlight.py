"""Search matches highlighted in the results and in the opened message, whole Thai clusters.

A Thai consonant and the vowels and tone marks written on it form one grapheme cluster;
a highlight that starts or ends inside one would light a tone mark alone (or leave it
out). Each test checks what is lit against the text: every mark starts and ends on a
cluster boundary, and is what a reader would call the word found.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTreeView

from govmail_desktop.mime.html_view import render_html
from govmail_desktop.search.fold import is_cluster_continuation
from govmail_desktop.ui.highlight import HighlightDelegate, TextHighlighter, highlighted_html, match_spans
from govmail_desktop.ui.message_view import MessageView

THAI_CASES = [
    # (text, term, what is lit)
    ("การนำเสนอ", "นำ", ["นำ"]),
    ("การนำเสนอ", "น\u0e4d\u0e32", ["นำ"]),  # ำ typed as nikhahit + sara aa
    ("ที่ประชุม", "ที่", ["ที่"]),
    ("ที่ประชุม", "ท", ["ที่"]),  # a bare consonant lights its whole cluster
    ("ที่ประชุม", "ที", ["ที่"]),
    ("ผู้ว่าราชการจังหวัด", "ผู", ["ผู้"]),
    ("งบประมาณ ๒๕๖๙ และ 2569", "2569", ["๒๕๖๙", "2569"]),  # digits across scripts
    ("ขอเชิญประชุม ที่ ที่ประชุม", "ที่", ["ที่", "ที่"]),
]


def whole_clusters(text: str, spans: list[tuple[int, int]]) -> bool:
    return all(
        not is_cluster_continuation(text[start]) and (end == len(text) or not is_cluster_continuation(text[end]))
        for start, end in spans
    )


@pytest.mark.parametrize(("text", "term", "lit"), THAI_CASES)
def test_matches_are_whole_grapheme_clusters(text, term, lit):
    spans = match_spans(text, [term])
    assert [text[s:e] for s, e in spans] == lit
    assert whole_clusters(text, spans)


def test_highlighted_html_escapes_the_text_and_marks_whole_clusters():
    text = "<b>การนำเสนอ</b> & ที่ประชุม"
    html = highlighted_html(text, match_spans(text, ["นำ", "ท"]))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert ">นำ</span>" in html and ">ที่</span>" in html


@pytest.fixture
def view(qtbot):
    widget = MessageView()
    qtbot.addWidget(widget)
    widget.resize(500, 300)
    return widget


def marked_clusters_ok(highlighter: TextHighlighter) -> bool:
    text = highlighter.view.document().toPlainText()
    texts = highlighter.marked_texts()
    return all(t and not is_cluster_continuation(t[0]) for t in texts) and all(
        not is_cluster_continuation(text[text.find(t) + len(t)]) if text.find(t) + len(t) < len(text) else True
        for t in texts
    )


def selection_texts(view: MessageView) -> list[str]:
    return [s.cursor.selectedText() for s in view.extraSelections()]


def test_the_plain_text_view_marks_the_search_terms(view):
    highlighter = TextHighlighter(view)
    highlighter.set_terms(["นำ", "ที่"])
    view.show_plain("เรื่อง การนำเสนอ\nณ ห้อง ที่ประชุม ชั้น 3")
    # Marked again for the new content, by the view's own signal.
    assert selection_texts(view) == ["นำ", "ที่"]
    assert highlighter.marked_texts() == ["นำ", "ที่"]


def test_the_formatted_view_marks_the_search_terms_in_a_table_and_after_an_emoji(view):
    highlighter = TextHighlighter(view)
    highlighter.set_terms(["ที่"])
    safe = render_html(
        "<p>😀 วาระ <b>การนำเสนอ</b></p><table><tr><td>ห้อง</td><td>ที่ประชุม</td></tr></table><p>ที่ 1</p>"
    )
    view.show_html(safe)
    assert selection_texts(view) == ["ที่", "ที่"]  # UTF-16 positions after the emoji
    highlighter.set_terms(["ท"])
    assert selection_texts(view) == ["ที่", "ที่"]


def test_find_steps_through_the_matches_and_wraps(view, qtbot):
    highlighter = TextHighlighter(view)
    view.show_plain("ที่ 1 ... ที่ 2 ... ที่ 3")
    found = []
    highlighter.found.connect(lambda current, total: found.append((current, total)))
    highlighter.set_find_text("ที่")
    assert found[-1] == (0, 3)
    highlighter.next()
    highlighter.next()
    assert found[-1] == (2, 3)
    highlighter.next()
    assert found[-1] == (0, 3)  # wraps round
    highlighter.previous()
    assert found[-1] == (2, 3)
    assert view.textCursor().position() == view.document().toPlainText().rfind("ที่")


def test_ctrl_f_opens_the_find_bar_in_the_preview_and_esc_closes_it(qtbot):
    from govmail_desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    pane = window.preview_view
    window.show_preview_placeholder(False)
    pane.body.show_plain("การนำเสนอ ณ ที่ประชุม ที่ตั้ง")
    window.find_in_message_action.trigger()
    assert pane.find_bar.isVisible()
    pane.find_bar.field.insert("ที่")  # QTest types only ASCII
    assert pane.find_bar.count_label.text() == "1 of 2"
    assert selection_texts(pane.body) == ["ที่", "ที่"]
    qtbot.keyClick(pane.find_bar.field, Qt.Key.Key_Return)
    assert pane.find_bar.count_label.text() == "2 of 2"
    qtbot.keyClick(pane.find_bar.field, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()
    assert selection_texts(pane.body) == []


def test_the_results_delegate_marks_whole_clusters(qtbot):
    model = QStandardItemModel()
    for text in ("การนำเสนอโครงการ", "ที่ประชุมกรม", "Annual report"):
        model.appendRow(QStandardItem(text))
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = HighlightDelegate(view)
    view.setItemDelegate(delegate)
    delegate.set_terms(["นำ", "ท"])
    lit = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        text = index.data()
        spans = delegate.spans_for(index)
        assert whole_clusters(text, spans)
        lit.append([text[s:e] for s, e in spans])
    assert lit == [["นำ"], ["ที่"], []]
    view.show()
    view.grab()  # paints through the delegate without error


def test_ctrl_f_finds_in_a_message_window_and_esc_closes_the_bar_not_the_window(qtbot):
    from pathlib import Path

    from PySide6.QtTest import QTest

    from govmail_desktop.ui.message_window import REGISTRY, MessageWindow

    raw = (Path(__file__).resolve().parents[1] / "data" / "03-tis620-8bit.eml").read_bytes()
    window = MessageWindow.show_raw(raw, "letter.eml")
    try:
        qtbot.waitUntil(lambda: window.pane.body.toPlainText().strip() != "", timeout=5000)
        with qtbot.waitActive(window):
            window.activateWindow()
        QTest.keySequence(window, QKeySequence("Ctrl+F"))
        bar = window.pane.find_bar
        assert bar.isVisible() and bar.field.hasFocus()
        text = window.pane.body.toPlainText()
        word = "ประชุม" if "ประชุม" in text else text.split()[0]
        bar.field.insert(word)
        assert selection_texts(window.pane.body) and all(t == word for t in selection_texts(window.pane.body))
        QTest.keyClick(bar.field, Qt.Key.Key_Escape)
        assert not bar.isVisible() and window.isVisible()  # Esc closed the bar, the window stays
    finally:
        REGISTRY.close_all()
