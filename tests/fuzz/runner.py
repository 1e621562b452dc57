"""Runs one fuzz target with hypothesis for a time or a number of examples; keeps what crashed.

A crash is any exception the target's callers would not catch (:attr:`Target.allowed`), or an
input that runs longer than ``hang_seconds`` (a hang is a crash too: the preview would freeze).
Hypothesis shrinks a crashing input to a small one; it is written to ``keep_dir`` as
``<target>-<sha256[:12]>.bin``, where ``tests/fuzz/test_fuzz_slice.py`` replays it in every run
of the suite.
"""

from __future__ import annotations

import contextlib
import faulthandler
import hashlib
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from tests.fuzz.strategies import mutated
from tests.fuzz.targets import Target


class Hang(Exception):
    """One input ran longer than the time allowed for one example."""


@dataclass
class Crash:
    target: str
    data: bytes
    error: str
    #: The exception's type and the innermost line it came from (one bug, one crash kept).
    where: str = ""
    path: Path | None = None


@dataclass
class FuzzResult:
    target: str
    examples: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    crashes: list[Crash] = field(default_factory=list)

    def line(self) -> str:
        rate = self.examples / self.seconds if self.seconds else 0.0
        return (f"{self.target}: {self.examples} examples in {self.seconds:.0f} s ({rate:.0f}/s), "
                f"slowest {self.slowest:.2f} s, {len(self.crashes)} crash(es)")


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after ``seconds`` (no limit off the main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise Hang(f"one input ran longer than {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def keep(crash: Crash, keep_dir: Path) -> Path:
    keep_dir.mkdir(parents=True, exist_ok=True)
    path = keep_dir / f"{crash.target}-{hashlib.sha256(crash.data).hexdigest()[:12]}.bin"
    path.write_bytes(crash.data)
    return path


def fuzz(
    target: Target,
    *,
    seconds: float | None = None,
    max_examples: int = 100,
    derandomize: bool = False,
    hang_seconds: float = 30.0,
    keep_dir: Path | None = None,
    batch: int = 500,
    inflight: Path | None = None,
) -> FuzzResult:
    """Run ``target`` for ``seconds`` (batches of ``batch`` examples until the time is up) or,
    without ``seconds``, for ``max_examples`` examples. Each crash found is shrunk, kept in
    ``keep_dir`` (when given) and fuzzing goes on.

    A hang in Python code raises :class:`Hang` after ``hang_seconds`` and is kept without
    shrinking (each shrink step would wait as long again). Native code (Qt's layout) cannot be
    interrupted: with ``inflight``, each input is written there before it runs and the process
    ends after twice ``hang_seconds`` in one input (faulthandler, which needs no GIL), so the
    caller (tools/fuzz.py runs each target in a child process) keeps that file."""
    result = FuzzResult(target.name)
    seeds = target.seeds()
    strategy = mutated(seeds)
    started = time.monotonic()
    deadline = started + seconds if seconds is not None else None
    last_failure: list[tuple[bytes, str, str]] = []
    hung = [False]  # a Hang in this batch: the rest of the batch (the shrinking) is skipped

    def one(data: bytes) -> None:
        if hung[0] or (deadline is not None and time.monotonic() > deadline):
            return
        result.examples += 1
        began = time.monotonic()
        if inflight is not None:
            inflight.write_bytes(data)
            faulthandler.dump_traceback_later(2 * hang_seconds, exit=True)
        try:
            with _time_limit(hang_seconds):
                target.run(data)
        except target.allowed:
            pass
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            if isinstance(exc, Hang):
                hung[0] = True
            frames = traceback.extract_tb(exc.__traceback__)
            where = type(exc).__name__
            if frames:
                where += f" at {frames[-1].filename}:{frames[-1].lineno}"
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            last_failure.append((data, error, where))
            del last_failure[:-1]
            raise
        finally:
            if inflight is not None:
                faulthandler.cancel_dump_traceback_later()
            result.slowest = max(result.slowest, time.monotonic() - began)

    while True:
        count = batch if deadline is not None else max_examples
        run = settings(
            max_examples=count, deadline=None, database=None, derandomize=derandomize,
            suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
            phases=[Phase.explicit, Phase.generate, Phase.shrink], print_blob=False,
        )(given(strategy)(one))
        hung[0] = False
        try:
            run()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            data, error, where = last_failure[-1] if last_failure else (b"", repr(exc), repr(exc))
            last_failure.clear()
            if not any(known.where == where for known in result.crashes):
                crash = Crash(target.name, data, error, where)
                if keep_dir is not None:
                    crash.path = keep(crash, keep_dir)
                result.crashes.append(crash)
        if deadline is None or time.monotonic() >= deadline or derandomize:
            break
    result.seconds = time.monotonic() - started
    return result


__all__ = ["Crash", "FuzzResult", "Hang", "fuzz", "keep"]
