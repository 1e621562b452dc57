"""docs/search.md is the reference of the query language: every example in it parses, every
operator is described in both languages, and the mistakes it names are refused."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from govmail_desktop.search import query as query_module
from govmail_desktop.search.query import QueryError, parse_query

DOC = Path(__file__).resolve().parents[3] / "docs" / "search.md"
TEXT = DOC.read_text(encoding="utf-8")
ENGLISH, THAI = TEXT.split("## ภาษาไทย")
TODAY = datetime.date(2026, 12, 4)


def table_examples(section: str) -> list[str]:
    out = []
    for line in section.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 3 and not set(cells[2].strip()) <= set("-"):
            out += re.findall(r"`([^`]+)`", cells[2])
    return out


def query_spans(section: str) -> list[str]:
    """Code spans that are whole queries with an operator (outside the mistakes section)."""
    kept = section.split("### Mistakes")[0].split("### เมื่อพิมพ์ผิด")[0]
    return [s for s in re.findall(r"`([^`]+)`", kept) if re.match(r"-?[a-z]+:\S", s)]


@pytest.mark.parametrize("section", [ENGLISH, THAI], ids=["en", "th"])
def test_every_example_parses(section):
    examples = table_examples(section) + query_spans(section)
    assert len(examples) >= 30
    for example in examples:
        parse_query(example, today=TODAY)


@pytest.mark.parametrize("section", [ENGLISH, THAI], ids=["en", "th"])
def test_every_operator_is_described(section):
    for op in query_module._OPERATORS:
        assert f"`{op}:" in section or f"`{op}:" in section.replace("/ `", "`"), op
    for value in ("attachment", "unread", "read", "flagged", "urgent", "secret"):
        assert f":{value}`" in section, value
    assert "`after:1/10/2568`" in section and "`date:ต.ค.2568`" in section


@pytest.mark.parametrize("mistake", ["foo:bar", "from:", "date:31/2/2568", "date:1/10/68", "-", '"ขอ'])
def test_the_mistakes_named_are_refused(mistake):
    with pytest.raises(QueryError):
        parse_query(mistake, today=TODAY)


@pytest.mark.parametrize("text", ["10:30", "https://mail.go.th/x", '"foo:bar"'])
def test_text_with_a_colon_named_as_text_is_text(text):
    parse_query(text, today=TODAY)
