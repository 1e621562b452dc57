"""The atheris (libFuzzer) engine of ``make fuzz``: it finds and keeps a planted crash and a
planted hang in a real atheris process, reads libFuzzer's figures, shrinks what crashed, and
``tools/fuzz.py`` says when it falls back to hypothesis. The targets themselves are fuzzed in
the suite by the hypothesis slice (tests/fuzz/test_fuzz_slice.py): an atheris start-up per
target (instrumenting, loading hundreds of seeds) would add a minute to ``make test``."""

from __future__ import annotations

import importlib.util
import logging
import os
import time
from pathlib import Path

import pytest

from tests.fuzz.libfuzzer import Figures, available, build_corpus, failure, minimise, run_target
from tests.fuzz.targets import Target

needs_atheris = pytest.mark.skipif(available() is not None, reason=str(available()))


def _planted_crash(data: bytes) -> None:
    # Byte by byte, so that each step is a new branch for libFuzzer to keep (coverage guidance).
    if len(data) >= 3 and data[0] == ord("G") and data[1] == ord("O") and data[2] == ord("V"):
        raise RuntimeError("planted crash")
    if data[:1] == b"B":
        raise ValueError("allowed: the callers catch it")


def _planted_hang(data: bytes) -> None:
    if len(data) >= 2 and data[0] == ord("Z") and data[1] == ord("Z"):
        time.sleep(30)


#: Found from seeds that match none of its branches; "B…" raises what the callers catch (not a crash).
PLANTED = Target("planted", _planted_crash, lambda: [b"xyz", b"BAD"], allowed=(ValueError,))
PLANTED_HANG = Target("planted_hang", _planted_hang, lambda: [b"xyz"])


@needs_atheris
def test_atheris_finds_a_planted_crash_and_leaves_the_input(tmp_path: Path) -> None:
    lines: list[str] = []
    figures = run_target("tests.fuzz.test_libfuzzer:PLANTED", 60, hang=5, rss_mb=1024, workdir=tmp_path,
                         seeds=PLANTED.seeds(), kept=[], max_crashes=1, flags=("-seed=1",), echo=lines.append)
    assert len(figures.crashes) == 1, "\n".join(lines)
    crash = figures.crashes[0]
    assert crash.parent == tmp_path / "crashes" and crash.name.startswith("crash-")
    assert crash.read_bytes()[:3] == b"GOV"
    assert figures.execs > 0 and figures.seconds < 60
    assert any("planted crash" in line for line in lines)
    assert {b"BAD", b"xyz"} <= {p.read_bytes() for p in (tmp_path / "corpus").iterdir()}


@needs_atheris
def test_atheris_counts_a_hang_as_a_crash(tmp_path: Path) -> None:
    lines: list[str] = []
    figures = run_target("tests.fuzz.test_libfuzzer:PLANTED_HANG", 60, hang=1, rss_mb=1024, workdir=tmp_path,
                         seeds=PLANTED_HANG.seeds(), kept=[], max_crashes=1, flags=("-seed=1",),
                         echo=lines.append)
    assert [p.name.split("-")[0] for p in figures.crashes] == ["timeout"], "\n".join(lines)
    assert figures.crashes[0].read_bytes()[:2] == b"ZZ"


def test_libfuzzer_figures_are_read_from_its_output():
    figures = Figures()
    for line in [b"#2\tINITED cov: 120 ft: 300 corp: 9/1Kb exec/s: 0 rss: 70Mb",
                 b"#4096\tpulse  cov: 180 ft: 512 corp: 20/2Kb lim: 4096 exec/s: 2048 rss: 71Mb",
                 b"#9000\tNEW    cov: 181 ft: 530 corp: 21/2Kb lim: 4096 exec/s: 2000 rss: 71Mb L: 5/5 MS: 1",
                 b"stat::number_of_executed_units: 9120", b"stat::peak_rss_mb:              72",
                 b"#10\tINITED cov: 100 ft: 200 corp: 9/1Kb exec/s: 0 rss: 70Mb",  # a restart after a crash
                 b"stat::number_of_executed_units: 10"]:
        figures.read(line)
    assert (figures.execs, figures.cov, figures.ft, figures.peak_rss_mb) == (9130, 181, 530, 72)


def test_the_seed_corpus_holds_seeds_and_kept_crashes_and_keeps_what_libfuzzer_added(tmp_path):
    kept = tmp_path / "parse-abc.bin"
    kept.write_bytes(b"kept")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "found-by-an-earlier-run").write_bytes(b"new")
    assert build_corpus([b"a", b"b", b"a"], [kept], corpus) == 4
    assert sorted(p.read_bytes() for p in corpus.iterdir()) == [b"a", b"b", b"kept", b"new"]


def test_minimise_keeps_the_failure_and_its_place():
    def planted(data: bytes) -> None:
        if b":" in data and b"\x00" in data[data.index(b":"):]:
            raise RuntimeError("planted")
        if data.startswith(b"x"):
            raise KeyError("another place")

    data = b"Subject: hello\r\nFrom: a@b\x00c\r\n\r\nbody" * 3
    small = minimise(planted, (), data, budget=30)
    assert small == b":\x00"
    assert failure(planted, (), small, 5) == failure(planted, (), data, 5)
    assert minimise(planted, (), b"no crash here") == b"no crash here"


def test_make_fuzz_says_when_it_falls_back_to_hypothesis_and_ends_with_key_value_lines(monkeypatch, capsys):
    path = Path(__file__).resolve().parents[2] / "tools" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("fuzz_tool", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    monkeypatch.setattr("tests.fuzz.libfuzzer.available", lambda: "atheris is not installed (planted)")
    # main() sets Qt's logging rules for its run: kept to this test
    monkeypatch.setenv("QT_LOGGING_RULES", os.environ.get("QT_LOGGING_RULES", ""))
    assert tool.main(["--seconds", "1", "bodystructure"]) == 0
    assert not logging.root.manager.disable  # the log is given back to the rest of the process
    out = capsys.readouterr().out.strip().splitlines()
    assert any("Falling back to the hypothesis runner" in line and "(planted)" in line for line in out)
    target_line = dict(item.split("=", 1) for item in out[-2].split()[1:])
    assert target_line["target"] == "bodystructure" and target_line["engine"] == "hypothesis"
    assert int(target_line["execs"]) > 0 and target_line["crashes"] == "0" and target_line["cov"] == "-"
    assert out[-1].startswith("fuzz_total targets=1 engine=hypothesis ")


@pytest.mark.parametrize("line, shown", [
    (b"#3\tINITED cov: 5 ft: 5 corp: 2/6b exec/s: 0 rss: 61Mb", True),
    (b"#524288\tpulse  cov: 5 ft: 5 corp: 2/4b lim: 4096 exec/s: 262144 rss: 61Mb", True),
    (b"#1642927\tDONE   cov: 5 ft: 5 corp: 2/4b lim: 4096 exec/s: 182547 rss: 61Mb", True),
    (b"#45\tNEW    cov: 6 ft: 7 corp: 3/7b lim: 4 exec/s: 0 rss: 61Mb L: 1/3 MS: 1 EraseBytes-", False),
    (b"#32\tREDUCE cov: 5 ft: 5 corp: 2/5b lim: 4 exec/s: 0 rss: 61Mb L: 2/3 MS: 1 EraseBytes-", False),
    (b"INFO: Instrumenting govmail_desktop.mime.parse", False),
    (b"==25252== ERROR: libFuzzer: fuzz target exited", True),
])
def test_the_output_shows_libfuzzers_milestones_and_errors_not_each_new_input(line, shown):
    from tests.fuzz.libfuzzer import _noise

    assert _noise(line) is not shown
