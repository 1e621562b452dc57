"""The search query language: every operator, Thai and Buddhist-era dates, clear errors."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmail_desktop.search.query import (
    DateTerm,
    FlagTerm,
    FolderTerm,
    Query,
    QueryError,
    TextTerm,
    parse_query,
)

TODAY = datetime.date(2026, 12, 4)
D = datetime.date


def terms(text: str) -> tuple:
    return parse_query(text, today=TODAY).terms


def error(text: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        parse_query(text, today=TODAY)
    return info.value


# --- words and phrases ------------------------------------------------------------


def test_empty_query_has_no_terms():
    assert parse_query("   ", today=TODAY) == Query((), "   ")
    assert parse_query("", today=TODAY).is_empty


def test_words_are_separate_terms_and_kept_as_typed():
    assert terms("งบ  ประมาณ\tBudget") == (
        TextTerm("งบ"), TextTerm("ประมาณ"), TextTerm("Budget"),
    )


def test_zero_width_space_separates_words():
    assert terms("ลา\u200bยา") == (TextTerm("ลา"), TextTerm("ยา"))


def test_single_thai_character_word():
    assert terms("ณ") == (TextTerm("ณ"),)


def test_phrase_keeps_inner_spaces():
    assert terms('"ที่ มท 0808.2/ว 1234"') == (TextTerm("ที่ มท 0808.2/ว 1234", phrase=True),)


def test_typographic_quotes_make_a_phrase():
    assert terms("\u201cขอเชิญประชุม\u201d") == (TextTerm("ขอเชิญประชุม", phrase=True),)


def test_word_followed_by_quote_splits():
    assert terms('ab"c d"') == (TextTerm("ab"), TextTerm("c d", phrase=True))


def test_letter_number_with_slash_and_dot_is_one_word():
    assert terms("มท0808.2/ว1234") == (TextTerm("มท0808.2/ว1234"),)


def test_url_is_text_not_an_operator():
    assert terms("https://mail.go.th/x") == (TextTerm("https://mail.go.th/x"),)


def test_time_with_colon_is_text():
    assert terms("10:30") == (TextTerm("10:30"),)


def test_thai_before_colon_is_text():
    assert terms("เรื่อง:งบ") == (TextTerm("เรื่อง:งบ"),)


# --- negation ------------------------------------------------------------------


def test_negated_word_phrase_and_operator():
    assert terms('-ลา -"ขอ ลา" -from:somchai') == (
        TextTerm("ลา", negated=True),
        TextTerm("ขอ ลา", phrase=True, negated=True),
        TextTerm("somchai", field="from", negated=True),
    )


def test_hyphen_inside_word_is_not_negation():
    assert terms("e-mail") == (TextTerm("e-mail"),)


@pytest.mark.parametrize("text, position", [("-", 0), ("งบ -", 3), ("- งบ", 0)])
def test_lone_minus_is_an_error_at_its_place(text, position):
    err = error(text)
    assert (err.position, err.length) == (position, 1)
    assert "minus" in err.text


# --- field operators -------------------------------------------------------------


@pytest.mark.parametrize("op", ["from", "to", "cc", "subject"])
def test_field_operators(op):
    assert terms(f"{op}:สมชาย") == (TextTerm("สมชาย", field=op),)


def test_operators_in_any_case():
    assert terms("FROM:a Subject:b Is:Unread HAS:Attachment FOLDER:Inbox AFTER:2568") == (
        TextTerm("a", field="from"),
        TextTerm("b", field="subject"),
        FlagTerm("unread"),
        FlagTerm("attachment"),
        FolderTerm("Inbox"),
        DateTerm(D(2025, 1, 1), None),
    )


def test_quoted_field_value_is_a_phrase():
    assert terms('from:"สมชาย ใจดี" subject:"ขอ อนุมัติ"') == (
        TextTerm("สมชาย ใจดี", field="from", phrase=True),
        TextTerm("ขอ อนุมัติ", field="subject", phrase=True),
    )


def test_quoted_value_may_contain_colon_and_minus():
    assert terms('subject:"Re: -งบ"') == (TextTerm("Re: -งบ", field="subject", phrase=True),)


def test_quoted_text_that_looks_like_an_operator_is_text():
    assert terms('"foo:bar"') == (TextTerm("foo:bar", phrase=True),)


def test_email_address_value():
    assert terms("from:somchai@moi.go.th") == (TextTerm("somchai@moi.go.th", field="from"),)


# --- flags and folders ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("has:attachment", FlagTerm("attachment")),
        ("has:attachments", FlagTerm("attachment")),
        ("is:unread", FlagTerm("unread")),
        ("is:read", FlagTerm("unread", negated=True)),
        ("-is:read", FlagTerm("unread")),
        ("is:flagged", FlagTerm("flagged")),
        ("is:starred", FlagTerm("flagged")),
        ("is:urgent", FlagTerm("urgent")),
        ("is:secret", FlagTerm("secret")),
        ("-is:secret", FlagTerm("secret", negated=True)),
    ],
)
def test_flags(text, expected):
    assert terms(text) == (expected,)


def test_folder_keeps_name_as_typed_and_quoted_thai():
    assert terms('folder:INBOX/งาน in:"จดหมาย เข้า" -folder:Junk') == (
        FolderTerm("INBOX/งาน"), FolderTerm("จดหมาย เข้า"), FolderTerm("Junk", negated=True),
    )


# --- dates -----------------------------------------------------------------------------

OCT_1_2025 = (D(2025, 10, 1), D(2025, 10, 2))
OCT_2025 = (D(2025, 10, 1), D(2025, 11, 1))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1/10/2568", OCT_1_2025),
        ("1/10/2025", OCT_1_2025),
        ("01-10-2568", OCT_1_2025),
        ("1.10.2568", OCT_1_2025),
        ("2025-10-01", OCT_1_2025),
        ("2568/10/01", OCT_1_2025),
        ("๑/๑๐/๒๕๖๘", OCT_1_2025),
        ("1ต.ค.2568", OCT_1_2025),
        ('"1 ต.ค. 2568"', OCT_1_2025),
        ('"1 ตุลาคม 2568"', OCT_1_2025),
        ('"1 ตุลาคม พ.ศ. 2568"', OCT_1_2025),
        ("1-Oct-2025", OCT_1_2025),
        ('"1 October 2025"', OCT_1_2025),
        ("ต.ค.2568", OCT_2025),
        ("ต.ค.๒๕๖๘", OCT_2025),
        ("ตค2568", OCT_2025),
        ("ต.ค2568", OCT_2025),
        ("ตุลาคม2568", OCT_2025),
        ('"ต.ค. 2568"', OCT_2025),
        ("ต.ค.พ.ศ.2568", OCT_2025),
        ("Oct2025", OCT_2025),
        ("oct-2025", OCT_2025),
        ('"October 2025"', OCT_2025),
        ("10/2568", OCT_2025),
        ("2025-10", OCT_2025),
        ("2568", (D(2025, 1, 1), D(2026, 1, 1))),
        ("2025", (D(2025, 1, 1), D(2026, 1, 1))),
        ("พ.ศ.2568", (D(2025, 1, 1), D(2026, 1, 1))),
        ('"ค.ศ. 2568"', (D(2568, 1, 1), D(2569, 1, 1))),
        ("ธ.ค.2568", (D(2025, 12, 1), D(2026, 1, 1))),
        ("29/2/2567", (D(2024, 2, 29), D(2024, 3, 1))),
        ("ต.ค.", (D(2026, 10, 1), D(2026, 11, 1))),  # no year: this year
        ("4/12", (D(2026, 12, 4), D(2026, 12, 5))),
        ("today", (D(2026, 12, 4), D(2026, 12, 5))),
        ("วันนี้", (D(2026, 12, 4), D(2026, 12, 5))),
        ("เมื่อวาน", (D(2026, 12, 3), D(2026, 12, 4))),
        ("Yesterday", (D(2026, 12, 3), D(2026, 12, 4))),
    ],
)
def test_date_forms(value, expected):
    assert terms(f"date:{value}") == (DateTerm(*expected),)


def test_every_thai_and_english_month_name():
    from govmail_desktop.i18n.thai_dates import month_names

    for lang in ("th", "en"):
        for width in ("abbreviated", "wide"):
            names = month_names(lang, width)
            for number in range(1, 13):
                (term,) = terms(f'date:"{names[number]} 2568"')
                assert term.start == D(2025, number, 1), names[number]


def test_after_is_inclusive_and_before_exclusive():
    (after,) = terms("after:1/10/2568")
    (before,) = terms("before:1/10/2568")
    assert after == DateTerm(D(2025, 10, 1), None)
    assert before == DateTerm(None, D(2025, 10, 1))
    assert after.contains(D(2025, 10, 1)) and not after.contains(D(2025, 9, 30))
    assert before.contains(D(2025, 9, 30)) and not before.contains(D(2025, 10, 1))


def test_after_and_before_a_month_count_from_its_first_day():
    assert terms("after:ต.ค.2568 before:ม.ค.2569") == (
        DateTerm(D(2025, 10, 1), None), DateTerm(None, D(2026, 1, 1)),
    )


def test_negated_date():
    (term,) = terms("-date:ต.ค.2568")
    assert term == DateTerm(*OCT_2025, negated=True)
    assert term.contains(D(2025, 9, 30)) and not term.contains(D(2025, 10, 15))


def test_buddhist_era_threshold():
    assert terms("date:2399")[0].start == D(2399, 1, 1)  # Christian era below 2400
    assert terms("date:2400")[0].start == D(1857, 1, 1)


def test_today_defaults_to_the_real_date():
    (term,) = parse_query("date:today").terms
    assert term.start == datetime.date.today()


# --- errors -------------------------------------------------------------------------


def test_unknown_operator_points_at_it():
    err = error("งบ foo:bar")
    assert (err.position, err.length) == (3, 4)
    assert '"foo:"' in err.text and "quotation marks" in err.text


def test_unknown_operator_keeps_the_case_typed():
    assert '"Foo:"' in error("Foo:x").text


@pytest.mark.parametrize("text", ["from:", "from: สมชาย", "date:", 'subject:""', 'to:"  "'])
def test_empty_value(text):
    err = error(text)
    assert err.position == 0 and "needs a value" in err.text


def test_unclosed_quote_points_at_the_opening_mark():
    err = error('งบ "ขอ อนุมัติ')
    assert (err.position, err.length) == (3, 11)
    assert "not closed" in err.text


def test_unclosed_quote_in_a_value():
    err = error('from:"สมชาย')
    assert err.position == 5 and "not closed" in err.text


def test_empty_quotes():
    err = error('a ""')
    assert (err.position, err.length) == (2, 2)


@pytest.mark.parametrize(
    "value, words",
    [
        ("abc", "not a date"),
        ("32/1/2568", "no such day"),
        ("31/2/2568", "no such day"),
        ("1/13/2568", "no such day"),
        ("13/2568", "no such day"),
        ("1/10/68", "in full"),
        ("ต.ค.68", "in full"),
        ("68", "in full"),
        ("999", "in full"),
        ("ตุลา2568", "not a date"),
        ("ต.ค.2568x", "not a date"),
        ("1/10/2568/1", "not a date"),
        ("วันนี้2568", "not a date"),
        ("9999", "out of range"),
        ("0000", "out of range"),
    ],
)
def test_bad_dates(value, words):
    err = error(f"งบ date:{value}")
    assert (err.position, err.length) == (8, len(value))
    assert words in err.text.lower()


@pytest.mark.parametrize("text, position", [("has:files", 4), ("is:xyz", 3), ("-is:new", 4)])
def test_unknown_flag_values(text, position):
    err = error(text)
    assert err.position == position


def test_error_is_translated_into_thai():
    err = error("foo:bar")
    thai = err.user_text("th")
    assert thai != err.text and "foo:" in thai
    assert err.user_text("en") == err.text == str(err)


def test_every_error_message_has_a_thai_translation():
    from govmail_desktop.search import query

    msgs = [v for k, v in vars(query).items() if k.startswith("MSG_")]
    assert len(msgs) >= 10
    for msg in msgs:
        filled = msg.format(operator="x", example="y", value="z", limit=1)
        assert filled.text("th") != filled.text("en"), msg.source


# --- property tests ---------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("abcAZ019๐๑๒๕๖๘ งบลายาณำําก่้๊๋ัิ-:/.\"“”\t\u200b")
    + ["from:", "to:", "cc:", "subject:", "has:", "is:", "folder:", "in:", "after:", "before:",
       "date:", "ต.ค.", "ตุลาคม", "Oct", "2568", "2025", "attachment", "unread", "พ.ศ.", "\r\n"]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_ALPHABET, max_size=20).map("".join))
def test_parse_raises_only_query_error(text):
    try:
        query = parse_query(text, today=TODAY)
    except QueryError as err:
        assert 0 <= err.position < max(1, len(text)) + 1
        assert err.position + err.length <= len(text) + 1
        assert err.text and err.user_text("th")
    else:
        assert query.source == text
        for term in query.terms:
            if isinstance(term, TextTerm | FolderTerm):
                assert term.text.strip() if isinstance(term, TextTerm) else term.name.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_any_unicode_raises_only_query_error(text):
    try:
        parse_query(text, today=TODAY)
    except QueryError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2300, 12, 31)), st.booleans(), st.booleans())
def test_any_day_round_trips_in_both_eras_and_digit_sets(day, buddhist, thai_digits):
    from govmail_desktop.i18n.thai_dates import to_thai_digits

    year = day.year + 543 if buddhist else day.year
    if buddhist and year < 2400:
        year = day.year  # below 2400 a year means Christian era
    text = f"date:{day.day}/{day.month}/{year}"
    if thai_digits:
        text = to_thai_digits(text)
    assert terms(text) == (DateTerm(day, day + datetime.timedelta(days=1)),)


def test_a_very_long_date_value_is_refused_before_the_patterns():
    # A letter and 20,000 dots made the month-name pattern backtrack quadratically
    # (minutes); values longer than any date are refused before it runs.
    from govmail_desktop.search import query

    value = "ก" + "." * 20000
    err = error(f"date:{value}")
    assert "not a date" in err.text and err.length == len(value)
    assert len("1 กุมภาพันธ์ พ.ศ. 2568") < query.MAX_DATE_CHARS


# --- bounds --------------------------------------------------------------------------------------


def test_a_query_of_more_terms_than_max_terms_is_a_typed_error_at_the_first_extra_term():
    """Found by make fuzz (tests/fuzz/crashes/search-*.bin): a thousand words made the local
    search's SQL deeper than SQLite allows ("Expression tree is too large"), shown raw."""
    from govmail_desktop.search.query import MAX_TERMS

    text = " ".join(["งบ"] * MAX_TERMS) + " -from:x"
    err = error(text)
    assert (err.position, err.length) == (len(text) - len("-from:x"), len("-from:x"))
    assert str(MAX_TERMS) in err.text and err.user_text("th") != err.text
    assert len(terms(" ".join(["งบ"] * MAX_TERMS))) == MAX_TERMS
