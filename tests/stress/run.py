"""``make stress``: faults, kills and hostile servers at a size for 15 minutes on 2 cores.

Parts (issue 16 item 7), each with its own share of the time budget:

1. fault cycles (tests/stress/fault_cycles.py): sync through the fault proxy while another
   client changes the server; the cache compared with the server after each cycle;
2. sends through the fault proxy (tests/stress/fault_sends.py): exactly once or "may
   have been sent";
3. crash consistency (issue 16 item 2): ``run_kill_rounds`` from tests/stress/crash_kills.py
   when that module is there (SIGKILL of the real app, then the next start checked);
4. hostile servers (issue 16 item 4): every case of tests/servers/hostile_cases.py
   (``HOSTILE_CASES``, ``run_hostile_case``) when that module is there.

A part whose module is missing prints that it was not run and counts 0. A part that runs out
of its time share stops early and says how many it ran. The seed (``--seed``) replays the
same changes and the same faults; every proxied connection's plan is logged to ``--log``.

The last line is ``key=value`` pairs: fault_cycles, cache_mismatches, kills, lost, duplicated,
hostile_cases, crashes, max_rss_mb. ``cache_mismatches`` adds the kill rounds' inconsistent
caches; ``crashes`` counts program errors and hangs in the cycles, hostile cases that crashed
and app starts that failed after a kill. The exit status is 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `python tests/stress/run.py` as well as `python -m tests.stress.run`
    sys.path.insert(0, str(ROOT))

from tests import netguard  # noqa: E402 - after the path above
from tests.servers.dovecot import DovecotServer  # noqa: E402
from tests.servers.smtp import SmtpSubmissionServer  # noqa: E402
from tests.servers.standalone import own_servers  # noqa: E402
from tests.stress.fault_cycles import run_sync_cycles  # noqa: E402
from tests.stress.fault_sends import run_sends  # noqa: E402

#: The user whose account the fault cycles change and sync (the sends go alice → bob).
CYCLE_USER = "carol"
KEYS = ("fault_cycles", "cache_mismatches", "kills", "lost", "duplicated", "hostile_cases", "crashes", "max_rss_mb")


def _optional(module: str, name: str) -> Any:
    """``module.name`` when that part of the issue is built, else None."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def max_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)  # KiB on Linux


class Totals:
    def __init__(self) -> None:
        self.values: dict[str, float] = dict.fromkeys(KEYS, 0)
        self.bad: list[str] = []

    def add(self, key: str, value: float) -> None:
        self.values[key] += value

    def problem(self, text: str) -> None:
        self.bad.append(text)
        print("problem:", text, flush=True)

    def line(self) -> str:
        self.values["max_rss_mb"] = max_rss_mb()
        return " ".join(f"{k}={int(v) if k != 'max_rss_mb' else v}" for k, v in self.values.items())


def part_cycles(args: argparse.Namespace, dovecot: DovecotServer, workdir: Path, totals: Totals) -> None:
    started = time.monotonic()
    stats = run_sync_cycles(dovecot, workdir, args.seed, args.cycles, user=CYCLE_USER,
                            deadline=started + args.cycles_seconds)
    seconds = time.monotonic() - started
    if stats.cycles < args.cycles:
        print(f"fault cycles: ran {stats.cycles} of {args.cycles} in the {args.cycles_seconds:.0f} s share", flush=True)
    threads, fds = stats.leak()
    attempts = stats.attempts or [0]
    gap = "n/a" if stats.min_gap_after_failure is None else f"{stats.min_gap_after_failure:.3f}"
    print(f"fault cycles: {stats.cycles} in {seconds:.0f} s, faults {dict(stats.faults)}, connection attempts "
          f"per cycle max {max(attempts)} mean {sum(attempts) / len(attempts):.2f}, shortest wait between "
          f"attempts {gap} s, thread growth {threads}, descriptor growth {fds}", flush=True)
    totals.add("fault_cycles", stats.cycles)
    totals.add("cache_mismatches", len(stats.mismatches))
    totals.add("crashes", len(stats.crashes))
    for text in stats.mismatches[:20] + stats.crashes[:20] + stats.wrong_errors[:20]:
        totals.problem(text)
    if stats.wrong_errors:
        totals.problem(f"{len(stats.wrong_errors)} syncs ended with a typed error other than a lost connection: "
                       f"{dict(stats.typed_failures)}")
    if threads or fds:
        totals.problem(f"threads grew by {threads} and descriptors by {fds} over the cycles")
    if max(attempts) > 20:
        totals.problem(f"a cycle made {max(attempts)} connection attempts (busy reconnecting?)")


def part_sends(args: argparse.Namespace, dovecot: DovecotServer, smtp: SmtpSubmissionServer, workdir: Path,
               totals: Totals) -> None:
    started = time.monotonic()
    stats = run_sends(dovecot, smtp, workdir, args.seed, args.sends, deadline=started + args.sends_seconds)
    if stats.sends < args.sends:
        print(f"sends: ran {stats.sends} of {args.sends} in the {args.sends_seconds:.0f} s share", flush=True)
    print(f"sends: {stats.sends} in {time.monotonic() - started:.0f} s, delivered once {stats.delivered_once}, "
          f"may have been sent {stats.may_have_been_sent} (of which arrived {stats.may_have_been_sent_arrived}), "
          f"still waiting {stats.waiting}, faults {dict(stats.faults)}", flush=True)
    totals.add("lost", len(stats.lost))
    totals.add("duplicated", len(stats.duplicated))
    for text in stats.lost + stats.duplicated + stats.wrong:
        totals.problem(text)


def part_kills(args: argparse.Namespace, totals: Totals) -> None:
    run_kill_rounds = _optional("tests.stress.crash_kills", "run_kill_rounds")
    if run_kill_rounds is None or args.kills == 0:
        print("crash kills: not run (tests/stress/crash_kills.py with run_kill_rounds is not there)"
              if run_kill_rounds is None else "crash kills: not run (--kills 0)", flush=True)
        return
    started = time.monotonic()
    try:
        result = run_kill_rounds(args.kills, args.seed)
    except Exception as exc:  # the part's own failure: reported, the other parts' figures stay
        totals.problem(f"crash kills stopped: {type(exc).__name__}: {exc}")
        return
    print(f"crash kills: {result} in {time.monotonic() - started:.0f} s", flush=True)
    totals.add("kills", int(result.get("kills", 0)))
    totals.add("lost", int(result.get("lost", 0)))
    totals.add("duplicated", int(result.get("duplicated", 0)))
    totals.add("cache_mismatches", int(result.get("inconsistent", 0)))
    totals.add("crashes", int(result.get("failed_starts", 0)))
    for text in result.get("problems", []):
        totals.problem(f"crash kills: {text}")


def part_hostile(args: argparse.Namespace, totals: Totals) -> None:
    names = _optional("tests.servers.hostile_cases", "HOSTILE_CASES")
    run_case = _optional("tests.servers.hostile_cases", "run_hostile_case")
    judge = _optional("tests.servers.hostile_cases", "problems")
    cases = _optional("tests.servers.hostile_cases", "CASES")
    if names is None or run_case is None:
        run_case = _optional("tests.servers.fake_hostile", "run_hostile_case")
        names = _optional("tests.servers.fake_hostile", "HOSTILE_CASES")
    if names is None or run_case is None or args.hostile_rounds == 0:
        print("hostile servers: not run (no run_hostile_case in tests/servers/hostile_cases.py or fake_hostile.py)"
              if args.hostile_rounds else "hostile servers: not run (--hostile-rounds 0)", flush=True)
        return
    from tests.servers.certs import TestCertificates

    started = time.monotonic()
    deadline = started + args.hostile_seconds
    certs = TestCertificates()
    runs, slowest = 0, (0.0, "")
    try:
        for _ in range(args.hostile_rounds):
            for name in names:
                if time.monotonic() > deadline:
                    break
                out = run_case(name, certs)
                runs += 1
                slowest = max(slowest, (out.seconds, name))
                if out.crashed is not None:
                    totals.add("crashes", 1)
                found = judge(cases[name], out) if judge is not None and cases is not None else []
                for text in found:
                    totals.problem(f"hostile case {name}: {text}")
    finally:
        certs.cleanup()
    print(f"hostile servers: {runs} case runs ({len(names)} cases) in {time.monotonic() - started:.0f} s, "
          f"slowest {slowest[1]} {slowest[0]:.2f} s", flush=True)
    totals.add("hostile_cases", runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000,
                        help="replays the same changes and faults (default: from the clock, printed)")
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--cycles-seconds", type=float, default=500.0)
    parser.add_argument("--sends", type=int, default=100)
    parser.add_argument("--sends-seconds", type=float, default=90.0)
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--hostile-rounds", type=int, default=2)
    parser.add_argument("--hostile-seconds", type=float, default=90.0)
    parser.add_argument("--log", type=Path, default=ROOT / "build" / "stress" / "stress.log",
                        help="every proxied connection's fault plan (and the app's log)")
    args = parser.parse_args(argv)
    netguard.install()  # as in the test suite: nothing here leaves loopback
    args.log.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=args.log, filemode="w", level=logging.INFO,
                        format="%(asctime)s %(threadName)s %(name)s %(levelname)s %(message)s")
    print(f"stress: seed={args.seed} log={args.log}", flush=True)
    started = time.monotonic()
    totals = Totals()
    with tempfile.TemporaryDirectory(prefix="gm-stress-") as tmp:
        workdir = Path(tmp)
        part_hostile(args, totals)
        with own_servers() as (dovecot, smtp):
            part_sends(args, dovecot, smtp, workdir, totals)
            part_cycles(args, dovecot, workdir, totals)
        part_kills(args, totals)
    for violation in list(netguard.STATE.pending):
        totals.problem(violation)
    print(f"stress: {time.monotonic() - started:.0f} s, seed={args.seed}", flush=True)
    print(totals.line(), flush=True)
    return 1 if totals.bad else 0


if __name__ == "__main__":
    sys.exit(main())
