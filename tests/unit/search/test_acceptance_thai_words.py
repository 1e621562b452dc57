"""Acceptance (issue 13): every word of tests/data/search_thai_words.txt (1-, 2-, 3+-character
Thai words, official vocabulary, names) is searched through the index in generated running
text — Thai without spaces, typed in the forms normalisation must see through — and the
result must equal a brute-force search of the same texts through search.fold: no false
negatives, no false positives."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from govmail_desktop.search.engine import AccountSource, SearchEngine
from govmail_desktop.search.fold import fold
from govmail_desktop.search.index import IndexDoc, SearchIndex
from govmail_desktop.search.query import parse_query

WORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "search_thai_words.txt"
WORDS = [w.strip() for w in WORDS_FILE.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]
FILLER = ["และ", "ใน", "การ", "ได้", "ให้", "ดังกล่าว", "ทั้งหมด", "เพื่อ", "ประจำ", "ปี", "๒๕๖๘", "2569", "ฯ",
          "ครั้งที่", "๑", "เป็นต้น", "Budget", "Café", "ข้อ", "๓.๑"]
MESSAGES = 400


def typing_variant(rng: random.Random, text: str) -> str:
    """The same text as other keyboards and converters produce it."""
    if rng.random() < 0.3:
        text = text.replace("\u0e33", "\u0e4d\u0e32")  # sara am as nikhahit + sara aa
    if rng.random() < 0.2:
        text = text.replace("\u0e35\u0e48", "\u0e48\u0e35")  # tone mark typed before the vowel
    if rng.random() < 0.2:
        text = text.replace("\u0e48", "\u0e48\u0e48", 1)  # a doubled tone mark
    if rng.random() < 0.2:
        text = text.replace("แ", "เเ")
    if rng.random() < 0.3:
        text = text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    return text


def running_text(rng: random.Random, count: int) -> str:
    pieces = [rng.choice(WORDS) if rng.random() < 0.5 else rng.choice(FILLER) for _ in range(count)]
    out = []
    for piece in pieces:  # Thai runs on without spaces; now and then a space or a line
        out.append(piece)
        roll = rng.random()
        out.append(" " if roll < 0.15 else "\n" if roll < 0.18 else "")
    return typing_variant(rng, "".join(out))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchEngine, list[IndexDoc]]]:
    rng = random.Random(2569)
    docs = []
    for uid in range(1, MESSAGES + 1):
        docs.append(IndexDoc(
            1, uid, 1_700_000_000 + uid * 3600,
            subject=running_text(rng, rng.randint(2, 6)),
            sender=f"{rng.choice(WORDS)} {rng.choice(WORDS)} <user{uid}@example.go.th>",
            to=running_text(rng, 2),
            body=running_text(rng, rng.randint(20, 60)) if rng.random() < 0.9 else None,
        ))
    index = SearchIndex(tmp_path_factory.mktemp("acceptance") / "search.sqlite3")
    index.add(docs)
    engine = SearchEngine([AccountSource("acct", index, lambda: {1: ("INBOX", "\\Inbox")})])
    yield engine, docs
    engine.close_thread()
    index.close()


_FOLDED: dict[tuple[int, str], list[str]] = {}


def _fields(d: IndexDoc, field: str) -> list[str]:
    key = (id(d), field)
    if key not in _FOLDED:
        texts = {"any": [d.subject, d.sender, d.to, d.cc, d.body or ""], "from": [d.sender],
                 "subject": [d.subject], "to": [d.to]}[field]
        _FOLDED[key] = [fold(t) for t in texts]
    return _FOLDED[key]


def brute_force(docs: list[IndexDoc], term: str, field: str = "any") -> set[int]:
    """The reference: fold every field, look for fold(term) in it."""
    needle = fold(term)
    return {d.uid for d in docs if any(needle in t for t in _fields(d, field))}


def mismatches(engine: SearchEngine, docs: list[IndexDoc], words: list[str]) -> list[str]:
    return [w for w in words
            if {h.uid for h in engine.search(parse_query(quoted(w)), limit=10_000)} != brute_force(docs, w)]


def quoted(word: str) -> str:
    return f'"{word}"'


def test_the_word_list_is_big_enough_and_has_short_words() -> None:
    assert len(WORDS) >= 200
    assert {"ณ", "งบ", "ลา", "ยา"} <= set(WORDS)
    assert sum(len(w) == 1 for w in WORDS) >= 1 and sum(len(w) == 2 for w in WORDS) >= 10


def test_every_word_is_found_exactly_where_brute_force_finds_it(corpus: tuple[SearchEngine, list[IndexDoc]]) -> None:
    engine, docs = corpus
    wrong = []
    for word in WORDS:
        expected = brute_force(docs, word)
        got = {h.uid for h in engine.search(parse_query(quoted(word)), limit=10_000)}
        if got != expected:
            wrong.append((word, sorted(expected - got)[:5], sorted(got - expected)[:5]))
    assert wrong == [], "(word, missed, false positives)"
    # The list is not trivially absent from the texts: most words occur.
    assert sum(bool(brute_force(docs, w)) for w in WORDS) > len(WORDS) * 0.9


def test_every_word_in_another_typing_form(corpus: tuple[SearchEngine, list[IndexDoc]]) -> None:
    engine, docs = corpus
    rng = random.Random(7)
    wrong = []
    for word in WORDS:
        variant = typing_variant(rng, word)
        got = {h.uid for h in engine.search(parse_query(quoted(variant)), limit=10_000)}
        if got != brute_force(docs, word):
            wrong.append(word)
    assert wrong == []


@pytest.mark.parametrize("field", ["from", "subject", "to"])
def test_field_terms_match_brute_force(corpus: tuple[SearchEngine, list[IndexDoc]], field: str) -> None:
    engine, docs = corpus
    wrong = []
    for word in WORDS[::3]:
        got = {h.uid for h in engine.search(parse_query(f"{field}:{quoted(word)}"), limit=10_000)}
        if got != brute_force(docs, word, field):
            wrong.append(word)
    assert wrong == []


def test_pairs_of_words_and_negation_match_brute_force(corpus: tuple[SearchEngine, list[IndexDoc]]) -> None:
    engine, docs = corpus
    rng = random.Random(11)
    everything = {d.uid for d in docs}
    for _ in range(60):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        both = {h.uid for h in engine.search(parse_query(f"{quoted(a)} {quoted(b)}"), limit=10_000)}
        assert both == brute_force(docs, a) & brute_force(docs, b), (a, b)
        without = {h.uid for h in engine.search(parse_query(f"{quoted(a)} -{quoted(b)}"), limit=10_000)}
        assert without == brute_force(docs, a) & (everything - brute_force(docs, b)), (a, b)


def test_the_comparison_catches_an_index_that_drops_short_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: tuple[SearchEngine, list[IndexDoc]]
) -> None:
    """A planted fault (unigrams not indexed, as word indexes drop short words) is caught."""
    import govmail_desktop.search.index as index_module
    from govmail_desktop.search.index_grams import text_tokens

    _, docs = corpus
    monkeypatch.setattr(index_module, "text_tokens",
                        lambda folded: " ".join(t for t in text_tokens(folded).split() if len(t) > 4))
    index = SearchIndex(tmp_path / "broken.sqlite3")
    index.add(docs[:100])
    engine = SearchEngine([AccountSource("acct", index, lambda: {1: ("INBOX", None)})])
    assert "ณ" in mismatches(engine, docs[:100], WORDS)
    engine.close_thread()
    index.close()


def test_newest_first_limit_is_the_newest_of_the_brute_force_matches(
    corpus: tuple[SearchEngine, list[IndexDoc]],
) -> None:
    engine, docs = corpus
    dates = {d.uid: d.date for d in docs}
    for word in ("ณ", "งบ", "ลา", "ยา", "ประชุม"):
        expected = sorted(brute_force(docs, word), key=lambda u: dates[u], reverse=True)[:25]
        assert [h.uid for h in engine.search(parse_query(word), limit=25)] == expected
