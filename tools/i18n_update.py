#!/usr/bin/env python3
"""Refresh translations/govmail_th.ts from the sources and fill in Thai texts.

    python tools/i18n_update.py                 # lupdate only; prints unfinished strings
    python tools/i18n_update.py th_strings.json  # ...and apply translations

The JSON file maps context -> {English source: Thai translation}. Several
developers may run this at once: a lock file serialises the read-modify-write.
Obsolete strings are dropped; source locations are not stored (quieter diffs).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "translations" / "govmail_th.ts"


def lupdate_tool() -> str:
    candidate = Path(sys.executable).with_name("pyside6-lupdate")
    return str(candidate) if candidate.exists() else (shutil.which("pyside6-lupdate") or "pyside6-lupdate")


def source_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "govmail_desktop").rglob("*.py"))


def run_lupdate(ts_path: Path) -> None:
    subprocess.run(
        [lupdate_tool(), *source_files(), "-no-obsolete", "-locations", "none",
         "-source-language", "en", "-target-language", "th", "-ts", str(ts_path)],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )


def apply(ts_path: Path, fills: dict[str, dict[str, str]]) -> int:
    tree = ET.parse(ts_path)
    applied = 0
    for ctx in tree.getroot().iter("context"):
        wanted = fills.get(ctx.findtext("name") or "", {})
        for msg in ctx.iter("message"):
            src = msg.findtext("source")
            tr = msg.find("translation")
            if src in wanted and tr is not None:
                tr.text = wanted[src]
                tr.attrib.pop("type", None)
                applied += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                       encoding="utf-8")
    return applied


def unfinished(ts_path: Path) -> list[tuple[str, str]]:
    out = []
    for ctx in ET.parse(ts_path).getroot().iter("context"):
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None or tr.get("type") == "unfinished" or not (tr.text or "").strip():
                out.append((ctx.findtext("name") or "", msg.findtext("source") or ""))
    return out


def main(argv: list[str]) -> int:
    TS.parent.mkdir(exist_ok=True)
    with open(TS.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run_lupdate(TS)
        for name in argv:
            fills = json.loads(Path(name).read_text(encoding="utf-8"))
            print(f"{name}: {apply(TS, fills)} translation(s) applied")
        apply(TS, {})  # normalise formatting
        left = unfinished(TS)
    for ctx, src in left:
        print(f"unfinished: [{ctx}] {src!r}")
    print(f"{len(left)} unfinished")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
