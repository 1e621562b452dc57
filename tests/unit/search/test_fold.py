"""search/fold: the one normaliser and matcher (Thai typing forms, digits, Latin, spans)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmail_desktop.search.fold import find_spans, fold, fold_map, is_cluster_continuation

KO = "\u0e01"  # ก
MAI_EK = "\u0e48"  # ่
MAI_THO = "\u0e49"  # ้
SARA_II = "\u0e35"  # ี
SARA_U = "\u0e38"  # ุ
NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"


# -- Thai typing forms ------------------------------------------------------------------------

def test_sara_am_typed_as_nikhahit_and_sara_aa_folds_to_sara_am() -> None:
    assert fold("ค" + NIKHAHIT + SARA_AA + "สั่ง") == fold("คำสั่ง") == "คำสั่ง"


def test_sara_am_with_tone_mark_in_any_typing_order() -> None:
    canonical = KO + MAI_EK + SARA_AM  # ก่ำ
    assert fold(canonical) == canonical
    assert fold(KO + SARA_AM + MAI_EK) == canonical  # tone typed after sara am
    assert fold(KO + NIKHAHIT + MAI_EK + SARA_AA) == canonical  # nikhahit before the tone
    assert fold(KO + MAI_EK + NIKHAHIT + SARA_AA) == canonical  # what NFKD gives


def test_nfkd_of_sara_am_folds_back() -> None:
    text = "น้ำใจ กำหนด"
    assert fold(unicodedata.normalize("NFKD", text)) == fold(text) == text


def test_doubled_tone_mark_counts_once() -> None:
    assert fold("ที่" + MAI_EK) == "ที่"
    assert fold(KO + MAI_THO + MAI_THO + MAI_THO) == KO + MAI_THO


def test_doubled_vowel_mark_counts_once() -> None:
    assert fold(KO + SARA_II + SARA_II + MAI_EK) == KO + SARA_II + MAI_EK
    assert fold(KO + SARA_U + SARA_U) == KO + SARA_U


def test_misordered_tone_and_vowel() -> None:
    assert fold("ท" + MAI_EK + SARA_II) == "ที่"
    assert fold(KO + MAI_EK + SARA_U) == KO + SARA_U + MAI_EK  # below vowel before the tone
    assert fold("สิทธ" + "\u0e4c" + "\u0e34") == "สิทธิ์"  # thanthakhat after the vowel


def test_two_sara_e_typed_for_sara_ae() -> None:
    assert fold("เเผนงาน") == fold("แผนงาน") == "แผนงาน"


def test_different_tone_marks_are_not_merged() -> None:
    assert fold("ไก่") != fold("ไก้")
    assert fold("ปา") != fold("ป่า")


def test_zero_width_space_between_thai_words_is_invisible() -> None:
    assert fold("งบ\u200bประมาณ") == "งบประมาณ"
    assert "งบประมาณ" in fold("ขอ\u200bงบ\u200bประมาณ\u00ad")


# -- digits and Latin ---------------------------------------------------------------------------

def test_thai_digits_fold_to_arabic() -> None:
    assert fold("๒๕๖๙") == "2569"
    assert fold("ที่ มท ๐๘๐๘.๒/ว ๑๒๓๔") == fold("ที่ มท 0808.2/ว 1234") == "ที่ มท 0808.2/ว 1234"


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Budget", "budget"),
        ("CAFÉ", "cafe"),
        ("Cafe\u0301", "cafe"),  # decomposed accent
        ("Straße", "strasse"),
        ("Ｍｅｅｔｉｎｇ", "meeting"),  # full-width
        ("ﬁnance", "finance"),  # ligature
        ("İstanbul", "istanbul"),
        ("naïve Zoë", "naive zoe"),
    ],
)
def test_latin_case_and_accents(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_whitespace_runs_become_one_space_and_ends_are_trimmed() -> None:
    assert fold("  ประชุม\n\n\tวันที่\u00a0 ๕  ") == "ประชุม วันที่ 5"


def test_control_characters_dropped() -> None:
    assert fold("a\x00b\x07c") == "abc"


# -- fold_map and find_spans --------------------------------------------------------------------

def test_fold_map_origins_point_into_the_original() -> None:
    text = "กำ่ Straße ๑"
    folded, origins = fold_map(text)
    assert folded == fold(text)
    assert len(origins) == len(folded)
    assert origins[:3] == [0, 2, 1]
    assert all(0 <= o < len(text) for o in origins)


def test_find_spans_in_running_thai_text() -> None:
    text = "ขอเชิญประชุมที่ห้องประชุมใหญ่"
    spans = find_spans(text, "ประชุม")
    assert [text[a:b] for a, b in spans] == ["ประชุม", "ประชุม"]


def test_find_spans_never_split_a_cluster() -> None:
    text = "ที่ดิน"
    (span,) = find_spans(text, "ท")
    assert text[span[0] : span[1]] == "ที่"  # the consonant keeps its vowel and tone mark
    (span,) = find_spans("คำสั่ง", "ค")
    assert "คำสั่ง"[span[0] : span[1]] == "คำ"  # sara am stays with its consonant
    (span,) = find_spans("กี่", SARA_II)
    assert span == (0, 3)  # a mark alone widens to its whole cluster


def test_find_spans_across_typing_forms_and_digits() -> None:
    text = "เลขที่ ๐๘๐๘.๒/ว ๑๒๓๔ ค" + NIKHAHIT + SARA_AA + "สั่ง"
    (digits,) = find_spans(text, "0808.2")
    assert text[digits[0] : digits[1]] == "๐๘๐๘.๒"
    (order,) = find_spans(text, "คำสั่ง")
    assert text[order[0] : order[1]] == "ค" + NIKHAHIT + SARA_AA + "สั่ง"


def test_find_spans_case_and_accents() -> None:
    text = "Re: CAFÉ budget"
    (span,) = find_spans(text, "cafe")
    assert text[span[0] : span[1]] == "CAFÉ"


def test_find_spans_empty_term_finds_nothing() -> None:
    assert find_spans("abc", "  ") == []
    assert find_spans("abc", "\u200b") == []


def test_cluster_continuation() -> None:
    assert is_cluster_continuation(MAI_EK)
    assert is_cluster_continuation(SARA_AM)
    assert not is_cluster_continuation(KO)
    assert not is_cluster_continuation("\u0e40")  # เ starts its own cluster


# -- properties ---------------------------------------------------------------------------------

_THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
_MIXED = st.one_of(_THAI, st.sampled_from(list(" \n\u200b\u00a0aAéE\u0301ßﬁ1๑.-/")), st.characters())


@settings(max_examples=300, deadline=None)
@given(st.text(_MIXED, max_size=40))
def test_fold_map_agrees_with_fold(text: str) -> None:
    folded, origins = fold_map(text)
    assert folded == fold(text)
    assert len(origins) == len(folded)
    assert all(0 <= o < len(text) for o in origins)


@settings(max_examples=300, deadline=None)
@given(st.text(_MIXED, max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=200, deadline=None)
@given(st.text(_THAI, max_size=30), st.text(_THAI, min_size=1, max_size=4))
def test_find_spans_agrees_with_folded_containment(text: str, term: str) -> None:
    spans = find_spans(text, term)
    assert bool(spans) == (bool(fold(term)) and fold(term) in fold(text))
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert not is_cluster_continuation(text[start]) or start == 0
        assert end == len(text) or not is_cluster_continuation(text[end])


@settings(max_examples=200, deadline=None)
@given(st.text(_MIXED, max_size=30), st.text(_MIXED, min_size=1, max_size=3))
def test_spans_are_sorted_and_apart(text: str, term: str) -> None:
    spans = find_spans(text, term)
    assert spans == sorted(spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_touching_matches_make_one_span() -> None:
    assert find_spans("งบงบ", "งบ") == [(0, 4)]
    assert find_spans("งบ งบ", "งบ") == [(0, 2), (3, 5)]
