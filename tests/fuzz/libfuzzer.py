"""Coverage-guided fuzzing of the targets of :mod:`tests.fuzz.targets` with atheris (libFuzzer).

One target runs in its own process (atheris takes the process over and ends it with
``sys.exit``)::

    python -m tests.fuzz.libfuzzer TARGET WORKDIR [libFuzzer flags ...]

The child imports the modules under test inside ``atheris.instrument_imports`` (the
project's package and the standard library's ``email``, which the MIME parser builds on),
so libFuzzer sees which branches of the app each input reached; it runs the target once on
each seed while instrumenting, so the modules a target imports lazily are instrumented too.
Its seed corpus is ``WORKDIR/corpus`` (built by :func:`build_corpus` from the target's seeds —
tests/data, the public corpora (tests/corpora.py), the test policies, IMAP responses — and the crashing inputs kept
in tests/fuzz/crashes; libFuzzer adds what it finds there, so a later run starts from it);
crashing inputs go to ``WORKDIR/crashes/`` (``crash-…``, ``timeout-…`` for a hang, ``oom-…``).

The parent side (:func:`run_target`, used by ``tools/fuzz.py``) starts the child, restarts it
after a crash for the time left, reads libFuzzer's figures (executions, ``cov:``, ``ft:``) and
shrinks each crashing input (:func:`minimise`) before it is kept in tests/fuzz/crashes.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The repository (not imported from tests.corpora: pytest, which it imports, imports ``email``
#: before the child could instrument it).
REPO_ROOT = Path(__file__).resolve().parents[2]
#: Where each target's corpus and crashes go (never inside the repository's tracked files).
BUILD = REPO_ROOT / "build" / "fuzz"
#: Packages instrumented for coverage (``email``: the standard library's parser under mime/).
INSTRUMENTED = ("govmail_desktop", "email")

_STATUS = re.compile(rb"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)")
_STAT = re.compile(rb"^stat::(\w+):\s+(\d+)")


def available() -> str | None:
    """None when atheris can be used here; otherwise why not (the caller falls back to hypothesis)."""
    try:
        import atheris  # noqa: F401
    except ImportError as exc:
        return f"atheris is not installed for {sys.executable} ({exc}); `pip install -e '.[fuzz]'` on Linux"
    return None


def build_corpus(seeds: list[bytes], kept: list[Path], corpus: Path) -> int:
    """Write ``seeds`` and the ``kept`` crashing inputs into ``corpus`` (named by content, as
    libFuzzer names what it adds); what an earlier run found there stays. Returns the file count."""
    corpus.mkdir(parents=True, exist_ok=True)
    for data in [*seeds, *(p.read_bytes() for p in kept)]:
        path = corpus / hashlib.sha1(data).hexdigest()  # a name, as libFuzzer names its inputs
        if not path.exists():
            path.write_bytes(data)
    return sum(1 for _ in corpus.iterdir())


@dataclass
class Figures:
    """What libFuzzer printed: the last status line's coverage and the final stats."""

    execs: int = 0
    cov: int = 0
    ft: int = 0
    peak_rss_mb: int = 0
    seconds: float = 0.0
    crashes: list[Path] = field(default_factory=list)

    def read(self, line: bytes) -> None:
        status = _STATUS.match(line)
        if status:
            self.cov, self.ft = max(self.cov, int(status[2])), max(self.ft, int(status[3]))
        stat = _STAT.match(line)
        if stat and stat[1] == b"number_of_executed_units":
            self.execs += int(stat[2])
        elif stat and stat[1] == b"peak_rss_mb":
            self.peak_rss_mb = max(self.peak_rss_mb, int(stat[2]))


def _noise(line: bytes) -> bool:
    """Lines not worth showing: instrumentation notices and libFuzzer's per-input progress."""
    status = _STATUS.match(line)
    if status:  # shown: the start, the pulses (at 2^n executions) and the end, not each new input
        return line.split()[1] not in (b"INITED", b"pulse", b"DONE")
    return line.startswith((b"INFO: Instrumenting ", b"WARNING: Failed to find function", b'"', b"###### "))


def run_target(name: str, seconds: float, *, hang: float, rss_mb: int, workdir: Path, seeds: list[bytes],
               kept: list[Path], max_crashes: int = 8, flags: tuple[str, ...] = (),
               echo: Callable[[str], None] = print) -> Figures:
    """Fuzz ``name`` for ``seconds`` in child processes; a crash ends a child, and the next one
    goes on from the corpus for the time left (at most ``max_crashes`` crashes per target)."""
    corpus, crashes = workdir / "corpus", workdir / "crashes"
    crashes.mkdir(parents=True, exist_ok=True)
    echo(f"-- {name}: atheris (libFuzzer), {build_corpus(seeds, kept, corpus)} inputs in {corpus}")
    figures = Figures()
    started = time.monotonic()
    while len(figures.crashes) < max_crashes:
        left = int(seconds - (time.monotonic() - started))
        if left < 1:
            break
        before = set(crashes.iterdir())
        command = [sys.executable, "-m", "tests.fuzz.libfuzzer", name, str(workdir),
                   f"-max_total_time={left}", f"-timeout={max(1, round(hang))}", f"-rss_limit_mb={rss_mb}",
                   f"-artifact_prefix={crashes}{os.sep}", "-print_final_stats=1", *flags, str(corpus)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
        with subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT) as child:
            assert child.stdout is not None
            try:
                for raw in child.stdout:
                    line = raw.rstrip(b"\n")
                    figures.read(line)
                    if not _noise(line):
                        echo(f"   {name}: {line.decode('utf-8', 'replace')}")
                    if time.monotonic() - started > seconds + 300:  # libFuzzer did not stop: end it
                        child.kill()
            finally:
                child.wait()
        found = sorted(set(crashes.iterdir()) - before)
        figures.crashes += found
        if child.returncode == 0 or not found:
            if child.returncode != 0:
                echo(f"   {name}: the fuzzing process ended with exit {child.returncode} and no input kept")
            break
    figures.seconds = time.monotonic() - started
    return figures


# -- shrinking --------------------------------------------------------------------------------------


def failure(run: Callable[[bytes], object], allowed: tuple[type[BaseException], ...], data: bytes,
            hang: float) -> str | None:
    """The exception type and innermost line ``data`` fails with (None: it does not fail)."""
    from tests.fuzz.runner import _time_limit

    try:
        with _time_limit(hang):
            run(data)
    except allowed:
        return None
    except Exception as exc:  # any other exception is the crash being shrunk
        frames = traceback.extract_tb(exc.__traceback__)
        return type(exc).__name__ + (f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else "")
    return None


def minimise(run: Callable[[bytes], object], allowed: tuple[type[BaseException], ...], data: bytes,
             hang: float = 20.0, budget: float = 60.0) -> bytes:
    """The smallest input found (removing chunks, halving their size, ddmin style) that still
    fails at the same place as ``data``; ``data`` itself when it does not fail here (a hang in
    native code, say) or the ``budget`` of seconds is spent."""
    where = failure(run, allowed, data, hang)
    if where is None:
        return data
    deadline = time.monotonic() + budget
    best, chunk = data, max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        pos, shrunk = 0, False
        while pos < len(best) and time.monotonic() < deadline:
            candidate = best[:pos] + best[pos + chunk:]
            if failure(run, allowed, candidate, hang) == where:
                best, shrunk = candidate, True
            else:
                pos += chunk
        if not shrunk:
            chunk //= 2
    return best


def resolve(name: str) -> Any:
    """The :class:`~tests.fuzz.targets.Target` called ``name``, or ``module:attribute`` (a target
    the tests plant)."""
    from tests.fuzz import targets as registry

    if ":" not in name:
        return registry.targets()[name]
    module, attribute = name.split(":", 1)
    return getattr(importlib.import_module(module), attribute)


# -- the child --------------------------------------------------------------------------------------


def _child(argv: list[str]) -> None:
    name, flags = argv[1], argv[3:]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.gui.imageio*=false;qt.text.font.db=false")
    logging.disable(logging.CRITICAL)
    import atheris

    include = list(INSTRUMENTED)
    if ":" in name:  # a test's planted target: only its module (the tests' helpers imported first)
        import tests.fuzz.runner
        import tests.fuzz.targets  # noqa: F401

        include = [name.split(":", 1)[0]]
    early = [p for p in include if p in sys.modules]
    if early:
        print(f"WARNING: {', '.join(early)} imported before instrumentation: not covered", flush=True)
    with atheris.instrument_imports(include=include):
        target = resolve(name)
        if target.needs_qt:
            from PySide6.QtWidgets import QApplication

            keep_app = QApplication.instance() or QApplication(["govmail-fuzz"])
            assert keep_app is not None
        for seed in target.seeds()[:64]:  # imports what the target imports lazily
            failure(target.run, target.allowed, seed, 20.0)
    allowed = target.allowed

    def one(data: bytes) -> None:
        try:
            target.run(data)
        except allowed:
            pass

    atheris.Setup([argv[0], *flags], one)
    atheris.Fuzz()


if __name__ == "__main__":
    _child(sys.argv)
