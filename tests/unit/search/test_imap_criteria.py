"""Queries as IMAP SEARCH criteria: every operator, Thai forms, dates, negation, and no
user text outside a string (the wire's quoting is proven in tests/unit/net/test_imap_search_text.py)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from govmail_desktop.net.imap.client import _search_parts
from govmail_desktop.search.imap_criteria import clean_text, criteria_for, imap_date, needs_server, text_forms
from govmail_desktop.search.query import FlagTerm, FolderTerm, QueryError, parse_query

TODAY = datetime.date(2026, 12, 4)


def crit(text: str):
    return criteria_for(parse_query(text, today=TODAY))


def test_empty_query_is_all():
    c = crit("")
    assert c.keys == (b"ALL",) and c.charset is None


def test_english_words_need_no_charset():
    c = crit('budget "annual report"')
    assert c.keys == (b"TEXT", "budget", b"TEXT", "annual report")
    assert c.charset is None


def test_thai_word_asks_for_utf8():
    c = crit("งบ")
    assert c.keys == (b"TEXT", "งบ") and c.charset == "UTF-8"


def test_fields():
    c = crit("from:somchai to:a@b.go.th cc:x subject:Budget")
    assert c.keys == (b"FROM", "somchai", b"TO", "a@b.go.th", b"CC", "x", b"SUBJECT", "Budget")


def test_flags_on_the_server_and_the_rest_left_to_the_caller():
    c = crit("is:unread -is:flagged is:read has:attachment is:urgent -is:secret")
    assert c.keys == (b"UNSEEN", b"UNFLAGGED", b"SEEN")
    assert c.local_terms == (FlagTerm("attachment"), FlagTerm("urgent"), FlagTerm("secret", negated=True))


def test_folders_are_scope_not_criteria():
    c = crit('folder:Inbox -folder:"จดหมาย ขยะ" ลา')
    assert c.keys == (b"TEXT", "ลา")
    assert c.folders == (FolderTerm("Inbox"), FolderTerm("จดหมาย ขยะ", negated=True))


def test_dates_buddhist_era():
    assert crit("after:1/10/2568").keys == (b"SENTSINCE", b"1-Oct-2025")
    assert crit("before:1/10/2568").keys == (b"SENTBEFORE", b"1-Oct-2025")
    assert crit("date:1/10/2568").keys == (b"SENTON", b"1-Oct-2025")
    assert crit("date:ต.ค.2568").keys == (b"SENTSINCE", b"1-Oct-2025", b"SENTBEFORE", b"1-Nov-2025")
    assert crit("date:2568").keys == (b"SENTSINCE", b"1-Jan-2025", b"SENTBEFORE", b"1-Jan-2026")


def test_imap_date_uses_english_months_whatever_the_language():
    assert imap_date(datetime.date(2025, 12, 31)) == b"31-Dec-2025"


def test_negation():
    assert crit("-ลา").keys == (b"NOT", b"TEXT", "ลา")
    assert crit("-from:x").keys == (b"NOT", b"FROM", "x")
    assert crit("-date:ต.ค.2568").keys == (
        b"NOT", b"(", b"SENTSINCE", b"1-Oct-2025", b"SENTBEFORE", b"1-Nov-2025", b")"
    )
    assert crit("-2569").keys == (b"NOT", b"OR", b"TEXT", "2569", b"TEXT", "๒๕๖๙")


def test_digits_in_both_scripts():
    assert crit("2569").keys == (b"OR", b"TEXT", "2569", b"TEXT", "๒๕๖๙")
    assert crit("๒๕๖๙").keys == (b"OR", b"TEXT", "๒๕๖๙", b"TEXT", "2569")


def test_sara_am_in_both_typed_forms():
    assert text_forms("กำหนด") == ["กำหนด", "ก\u0e4d\u0e32หนด"]
    assert text_forms("ก\u0e4d\u0e32หนด") == ["ก\u0e4d\u0e32หนด", "กำหนด"]


def test_at_most_four_forms():
    forms = text_forms("ทำ 0808 ๑")
    assert forms == ["ทำ 0808 ๑", "ทำ 0808 1", "ทำ ๐๘๐๘ ๑", "ท\u0e4d\u0e32 0808 ๑"]


def test_three_forms_nest_or():
    assert crit('"0808 ๑"').keys == (
        b"OR", b"TEXT", "0808 ๑", b"OR", b"TEXT", "0808 1", b"TEXT", "๐๘๐๘ ๑",
    )


def test_text_cleaned_of_control_characters_and_line_breaks():
    assert clean_text("a\r\n\tb\x00c  d\u2028e") == "a b c d e"
    assert crit('"a\r\nb"').keys == (b"TEXT", "a b")


def test_needs_server_only_for_body_text():
    assert needs_server(parse_query("งบ from:x"))
    assert needs_server(parse_query("-งบ"))
    assert not needs_server(parse_query("from:x subject:y is:unread date:2568"))


_TOKENS = st.sampled_from(
    ["งบ", "ลา", "2569", "๒๕๖๙", "กำ", "-", "\"", "from:", "subject:", "is:unread", "is:flagged",
     "has:attachment", "date:ต.ค.2568", "after:1/10/2568", "x\r\ny", "{3}", "\\", "(", ")", " ", "OR"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOKENS, max_size=12).map("".join))
def test_criteria_are_well_formed_for_the_wire(text):
    try:
        query = parse_query(text, today=TODAY)
    except QueryError:
        return
    c = criteria_for(query)
    parts, literals = _search_parts(c.keys)  # every key a checked atom
    depth = 0
    for item in c.keys:
        depth += item == b"("
        depth -= item == b")"
        assert depth >= 0
        if isinstance(item, str):
            assert item and "\r" not in item and "\n" not in item
    assert depth == 0
    assert len(parts) == len(literals) + 1
    assert (c.charset == "UTF-8") == any(isinstance(k, str) and not k.isascii() for k in c.keys)
