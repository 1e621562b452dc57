#!/usr/bin/env python3
"""Start-up to the first window: the bundle, the virtualenv, a bare PySide6 window; bundle sizes.

    python benchmarks/startup_bench.py [--runs 11] [--bundle build/bundle/govmail-desktop]
                                       [--deb build/deb/govmail-desktop_<version>_amd64.deb]

Three programs are started as new processes, one after the other in each round (so that
load on the machine falls on all three alike), on the offscreen platform with a temporary
profile (``GOVMAIL_HOME``) and no account:

* ``bundle``  — ``build/bundle/govmail-desktop/govmail --self-test`` (``make bundle``);
* ``venv``    — ``.venv/bin/python -m govmail_desktop --self-test``;
* ``bare``    — ``.venv/bin/python`` running a bare PySide6 ``QMainWindow`` (one label)
  that does what the self-test does around it: on the window's first paint it prints a line
  and quits.

Each figure is the time from starting the process to the first line it prints, which
``--self-test`` writes right after the main window's first paint (wiring/self_test.py): so it
includes the interpreter, the imports, the policy, the settings, Qt, the translations, the
font, the keyring, the main window and its first paint. The file cache is warm (the first
round is a warm-up, not counted): this is a fresh process, not a fresh boot. Medians of
``--runs`` rounds; ratios bundle/bare, venv/bare and bundle/venv.

Sizes: the bundle folder (bytes of its files and ``du``), the .deb, and what the .deb installs
(its ``Installed-Size``). Prints one line per figure and, last, one ``key=value`` line.
No thresholds.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govmail_desktop import __version__  # noqa: E402

VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
BUNDLE = ROOT / "build" / "bundle" / "govmail-desktop"
DEB = ROOT / "build" / "deb" / f"govmail-desktop_{__version__}_amd64.deb"
DEB_CONTROL = ROOT / "build" / "deb" / "root" / "DEBIAN" / "control"

BARE_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("GovMail"))
window.resize(800, 800)

class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if watched is window and event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, lambda: (print("painted", flush=True), app.exit(0)))
        return False

watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""


#: The self-test's keyring line when no password store is usable (both languages end so): where
#: the benchmark runs without a Secret Service the self-test fails for that, which does not
#: change the time to the first paint.
NO_KEYRING = "(keyring backend): -"


def time_to_first_line(command: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from starting ``command`` to its first line on stdout; the process must exit 0
    (or 1 when the self-test found no password store)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    rest, err = proc.communicate(timeout=120)
    no_keyring = proc.returncode == 1 and NO_KEYRING in rest
    if (proc.returncode != 0 and not no_keyring) or not first:
        raise RuntimeError(f"{command[0]} exited {proc.returncode}: {first}{rest}{err}")
    return elapsed


def tree_bytes(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def du_bytes(path: Path) -> int:
    out = subprocess.run(["du", "-s", "--block-size=1", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    parser.add_argument("--deb", type=Path, default=DEB)
    args = parser.parse_args(argv)
    executable = args.bundle / "govmail"
    if not executable.is_file():
        print(f"{executable} is missing: run make bundle", file=sys.stderr)
        return 1
    home = tempfile.mkdtemp(prefix="govmail-startup-bench-")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=home, LANG="C.UTF-8")
    commands = {
        "bundle": [str(executable), "--self-test", "--lang", "th"],
        "venv": [str(VENV_PYTHON), "-m", "govmail_desktop", "--self-test", "--lang", "th"],
        "bare": [str(VENV_PYTHON), "-c", BARE_WINDOW],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_no in range(args.runs + 1):
        for name, command in commands.items():
            elapsed = time_to_first_line(command, dict(env, PYTHONPATH=str(ROOT)) if name == "venv" else env)
            if round_no:  # round 0 warms the file cache and makes the profile
                times[name].append(elapsed)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    figures: dict[str, float | int] = {f"{name}_ms": round(ms, 1) for name, ms in medians.items()}
    figures["bundle_over_bare"] = round(medians["bundle"] / medians["bare"], 2)
    figures["venv_over_bare"] = round(medians["venv"] / medians["bare"], 2)
    figures["bundle_over_venv"] = round(medians["bundle"] / medians["venv"], 2)
    for name, values in times.items():
        print(f"{name:7s} median {medians[name]:7.1f} ms  min {min(values) * 1000:7.1f}  "
              f"max {max(values) * 1000:7.1f}  ({len(values)} runs)")
    print(f"ratios: bundle/bare {figures['bundle_over_bare']}  venv/bare {figures['venv_over_bare']}  "
          f"bundle/venv {figures['bundle_over_venv']}")
    figures["bundle_bytes"] = tree_bytes(args.bundle)
    figures["bundle_du_bytes"] = du_bytes(args.bundle)
    print(f"bundle: {figures['bundle_bytes'] / 2**20:.1f} MiB in files, {figures['bundle_du_bytes'] / 2**20:.1f} MiB "
          f"on disk ({args.bundle})")
    if args.deb.is_file():
        figures["deb_bytes"] = args.deb.stat().st_size
        print(f"deb: {figures['deb_bytes'] / 2**20:.1f} MiB ({args.deb.name})")
    if DEB_CONTROL.is_file():
        match = re.search(r"^Installed-Size: (\d+)", DEB_CONTROL.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            figures["deb_installed_kib"] = int(match.group(1))
            print(f"deb installs: {int(match.group(1)) / 1024:.1f} MiB (Installed-Size)")
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
