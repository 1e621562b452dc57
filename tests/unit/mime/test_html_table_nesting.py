"""Tables nested deeper than MAX_TABLE_DEPTH are flattened by render_html.

Qt's text layout takes time that doubles with each level of nested tables (12 levels
~0.03 s, 20 ~8 s, 30 hours): a hostile message with deeply nested tables froze the
formatted view on the GUI thread. Found by ``make fuzz`` (viewer target; the input is kept
in tests/fuzz/crashes/viewer-*.bin and replayed offscreen by the suite).
"""

from __future__ import annotations

import re

import pytest

from govmail_desktop.mime.html_view import MAX_TABLE_DEPTH, render_html


def _table_depth(html: str) -> int:
    depth = deepest = 0
    for match in re.finditer(r"<(/?)table\b", html):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("levels", [MAX_TABLE_DEPTH + 1, 40, 3000])
def test_deeply_nested_tables_are_flattened_and_keep_their_text(levels):
    html = "<table><tr><td>cell" * levels + "ข้อความ" + "</td></tr></table>" * levels
    safe = render_html(html)
    assert _table_depth(safe.html) == MAX_TABLE_DEPTH
    assert "ข้อความ" in safe.html and safe.html.count("cell") == levels


def test_a_newsletter_layout_keeps_its_tables():
    html = "<table><tr><td>" * MAX_TABLE_DEPTH + "x" + "</td></tr></table>" * MAX_TABLE_DEPTH
    html += "<table><tr><td>a</td><td>b</td></tr></table>"
    safe = render_html(html)
    assert _table_depth(safe.html) == MAX_TABLE_DEPTH
    assert safe.html.count("<table") == MAX_TABLE_DEPTH + 1


def test_unclosed_tables_are_counted_as_nh3_closes_them():
    safe = render_html("<table><tr><td>" * 50 + "x")
    assert _table_depth(safe.html) <= MAX_TABLE_DEPTH and "x" in safe.html
