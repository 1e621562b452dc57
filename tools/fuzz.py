#!/usr/bin/env python3
"""``make fuzz``: hypothesis over the parsers and the viewer, for minutes, printing what it found.

Targets (tests/fuzz/targets.py): ``parse`` (mime.parse.parse_message + the MIME tree),
``render`` (mime.html_view.render_html), ``inspect`` (govmail-admin inspect's analysis),
``viewer`` (ui.message_view.MessageView offscreen: show, lay out, paint), ``policy``
(policy.sources validate_file / load_policy_file), ``imap`` (net.imap.reader.ResponseReader
and the FETCH/LIST/STATUS/SEARCH parsers), ``bodystructure`` (net.imap.bodystructure).
Seeds: tests/data and the public corpora in ../shared/corpora (when present), the test
policies, IMAP responses.

    python tools/fuzz.py                       # every target, 660 s in all (11 minutes)
    python tools/fuzz.py --total 1800          # half an hour in all
    python tools/fuzz.py --seconds 60 parse    # one target for a minute
    make fuzz FUZZ_ARGS="--total 3600"

Each crash (an exception the app's callers would not catch, or one input running longer
than --hang seconds) is shrunk by hypothesis and kept as tests/fuzz/crashes/<target>-<digest>.bin;
the normal test suite replays every kept file (tests/fuzz/test_fuzz_slice.py). Exit 0 when
nothing crashed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Seconds in all when neither --total nor --seconds is given (the issue asks for at least 10 minutes).
DEFAULT_TOTAL = 660


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Broken images and fonts in the inputs make Qt's decoders warn on every example.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.gui.imageio*=false;qt.text.font.db=false")
    from tests.fuzz.runner import fuzz
    from tests.fuzz.targets import CRASHES, targets

    known = targets()
    parser = argparse.ArgumentParser(prog="tools/fuzz.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"targets to run (default: all): {', '.join(known)}")
    parser.add_argument("--total", type=float, default=None,
                        help=f"seconds in all, shared by the targets (default {DEFAULT_TOTAL})")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per target (instead of --total)")
    parser.add_argument("--hang", type=float, default=30.0,
                        help="seconds one input may take before it counts as a crash")
    parser.add_argument("--keep", type=Path, default=CRASHES,
                        help=f"where crashing inputs are kept (default {CRASHES})")
    args = parser.parse_args(argv)
    # The targets log what they skip in hostile input (a warning per odd folder name ...): not news here.
    logging.disable(logging.CRITICAL)
    names = args.targets or list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    per_target = args.seconds if args.seconds is not None else (args.total or DEFAULT_TOTAL) / len(names)

    if any(known[n].needs_qt for n in names):
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(["govmail-fuzz"])
        assert app is not None

    from tests.corpora import CORPORA, corpora_present

    print(f"fuzzing {len(names)} target(s), {per_target:.0f} s each; corpora: "
          f"{CORPORA if corpora_present() else 'absent (seeds from tests/data only)'}", flush=True)
    started = time.monotonic()
    results = []
    for name in names:
        target = known[name]
        print(f"-- {name}: {target.about}; {len(target.seeds())} seeds", flush=True)
        result = fuzz(target, seconds=per_target, hang_seconds=args.hang, keep_dir=args.keep)
        results.append(result)
        print(result.line(), flush=True)
        for crash in result.crashes:
            print(f"   CRASH {crash.where}: {crash.error.splitlines()[-1] if crash.error else ''}", flush=True)
            print(f"   input ({len(crash.data)} bytes) kept as {crash.path}", flush=True)
    total_examples = sum(r.examples for r in results)
    crashes = sum(len(r.crashes) for r in results)
    print(f"total: {total_examples} examples in {time.monotonic() - started:.0f} s, {crashes} crash(es)", flush=True)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
