"""search/index_grams: the grams written and looked up."""

from __future__ import annotations

from govmail_desktop.search.index_grams import (
    FIELD_SEPARATOR,
    match_expression,
    needs_check,
    term_tokens,
    text_tokens,
    units,
)


def test_units_are_four_hex_digits_per_utf16_unit() -> None:
    assert units("ก") == "0e01"
    assert units("a😀") == "0061" + "d83dde00"  # outside the BMP: two surrogate units


def test_text_tokens_are_the_distinct_one_two_and_three_unit_grams() -> None:
    tokens = set(text_tokens("งบงบ"))
    assert set(text_tokens("งบงบ").split()) == {"0e07", "0e1a", "0e070e1a", "0e1a0e07", "0e070e1a0e07",
                                                 "0e1a0e070e1a"}
    assert tokens  # non-empty


def test_short_terms_are_one_exact_token() -> None:
    assert term_tokens("ณ") == ["0e13"]
    assert term_tokens("งบ") == ["0e070e1a"]
    assert term_tokens("ยาม") == ["0e220e320e21"]
    assert not needs_check("ยาม")


def test_long_terms_are_covered_by_trigrams_and_checked() -> None:
    term = "ประชุม"  # 6 units: trigrams at 0 and 3 cover it
    h = units(term)
    assert term_tokens(term) == [h[0:12], h[12:24]]
    seven = "ประชุมๆ"
    assert term_tokens(seven)[-1] == units(seven)[16:28]  # the last trigram is always there
    assert needs_check(term)


def test_every_term_token_is_among_the_text_tokens_of_a_text_holding_it() -> None:
    text = "ขอเชิญประชุมเรื่องงบประมาณ"
    grams = set(text_tokens(text).split())
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert set(term_tokens(text[start:end])) <= grams


def test_no_gram_spans_two_fields() -> None:
    grams = set(text_tokens(FIELD_SEPARATOR.join(["ab", "cd"])).split())
    assert units("bc") not in grams


def test_match_expression_quotes_every_token() -> None:
    assert match_expression(["0e13", "0e070e1a"]) == '"0e13" AND "0e070e1a"'
