"""A short, derandomised slice of ``make fuzz`` in every run of the suite, the crashing inputs
kept by earlier fuzz runs replayed, and the fuzzer shown to catch a planted crash."""

from __future__ import annotations

import pytest

from tests.fuzz.runner import fuzz
from tests.fuzz.strategies import apply_edits
from tests.fuzz.targets import Target, close_viewer, crash_files, message_seeds, run_parse, targets

#: Examples per target in the suite's slice (a few seconds each; make fuzz runs minutes).
SLICE_EXAMPLES = 150

TARGETS = targets()
PURE = [name for name, target in TARGETS.items() if not target.needs_qt]
QT = [name for name, target in TARGETS.items() if target.needs_qt]


def _fails_on(result) -> str:
    return "\n".join(f"{c.where}: {c.error} (input {c.data[:200]!r})" for c in result.crashes)


@pytest.mark.parametrize("name", PURE)
def test_fuzz_slice(name):
    result = fuzz(TARGETS[name], max_examples=SLICE_EXAMPLES, derandomize=True, hang_seconds=60)
    assert result.examples >= SLICE_EXAMPLES
    assert not result.crashes, _fails_on(result)


@pytest.mark.gui
@pytest.mark.qt_log_level_fail("CRITICAL")  # corrupt images in the inputs make Qt's decoders warn
@pytest.mark.parametrize("name", QT)
def test_fuzz_slice_qt(qapp, name):
    try:
        result = fuzz(TARGETS[name], max_examples=SLICE_EXAMPLES // 2, derandomize=True, hang_seconds=60)
    finally:
        close_viewer()
    assert result.examples >= SLICE_EXAMPLES // 2
    assert not result.crashes, _fails_on(result)


_KEPT = crash_files()


@pytest.mark.qt_log_level_fail("CRITICAL")
@pytest.mark.parametrize(
    "path",
    _KEPT or [pytest.param(None, marks=pytest.mark.skip(reason="no crashing input kept in tests/fuzz/crashes"))],
    ids=lambda p: p.name if p is not None else "none",
)
def test_kept_crashing_input_no_longer_crashes(request, path):
    target = TARGETS[path.name.split("-", 1)[0]]
    if target.needs_qt:
        request.getfixturevalue("qapp")
    try:
        target.run(path.read_bytes())
    except target.allowed:
        pass
    finally:
        close_viewer()


def test_the_fuzzer_finds_and_keeps_a_planted_crash(tmp_path):
    """A parser that breaks on a NUL byte after a header line is caught, once, and the input
    hypothesis shrank it to is kept for the suite to replay (and still crashes it)."""

    def planted(data: bytes) -> None:
        run_parse(data)
        if b":" in data and b"\x00" in data[data.index(b":"):]:
            raise RuntimeError("planted crash")

    target = Target("planted", planted, lambda: message_seeds()[:20])
    result = fuzz(target, max_examples=300, derandomize=True, keep_dir=tmp_path)
    assert len(result.crashes) == 1
    crash = result.crashes[0]
    assert "planted crash" in crash.error and b"\x00" in crash.data
    assert crash.path is not None and crash.path.read_bytes() == crash.data
    with pytest.raises(RuntimeError, match="planted crash"):
        planted(crash.path.read_bytes())
    assert crash.path.name.startswith("planted-") and crash.path.parent == tmp_path


def test_a_hang_is_a_crash(tmp_path):
    import time

    def slow(data: bytes) -> None:
        if len(data) > 10:
            time.sleep(5)

    result = fuzz(Target("slow", slow, lambda: [b"x" * 50]), max_examples=5, derandomize=True, hang_seconds=0.2)
    assert result.crashes and "Hang" in result.crashes[0].where


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("flip", 1, 0x41), b"aAc"),
        (("insert", 10**6 + 1, b"xy"), b"axybc"),  # positions wrap around the length
        (("token", 0, b"--"), b"--abc"),
        (("delete", 1, 5), b"a"),
        (("repeat", 1, 1, 3), b"abbbbc"),
        (("splice", 3, 1, 2, 3), b"abc234"),
        (("cut", 2), b"ab"),
    ],
)
def test_each_edit(edit, expected):
    assert apply_edits(b"abc", [edit], [b"abc", b"0123456789"]) == expected
    assert isinstance(apply_edits(b"", [edit], [b""]), bytes)


def test_the_viewer_target_keeps_one_document_however_many_messages_it_shows(qapp):
    """The preview gives each message a new document and deleteLater()s the old one; a fuzzing
    loop runs no event loop, so the target deletes them itself (else ~2 GB after 10,000 inputs,
    which libFuzzer reported as out of memory)."""
    from PySide6.QtGui import QTextDocument

    from tests.fuzz.targets import _VIEW, run_viewer

    try:
        for seed in message_seeds()[:20]:
            run_viewer(seed)
        assert len(_VIEW[0].findChildren(QTextDocument)) == 1
    finally:
        close_viewer()
