#!/usr/bin/env python3
"""Compile translations/*.ts into govmail_desktop/_generated/ (.qm for Qt, .json for pure code).

Run by ``make`` after installing the package; the outputs are not committed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govmail_desktop.i18n.catalog import parse_ts  # noqa: E402


def find_tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def main() -> int:
    out = ROOT / "govmail_desktop" / "_generated"
    out.mkdir(exist_ok=True)
    lrelease = find_tool("pyside6-lrelease")
    for ts in sorted((ROOT / "translations").glob("*.ts")):
        qm = out / (ts.stem + ".qm")
        # Write beside and rename: a running app may have the old file open.
        tmp_qm = qm.with_name(f".{qm.name}.{os.getpid()}.tmp")
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(tmp_qm)], check=True)
        os.replace(tmp_qm, qm)
        if ts.stem.startswith("govmail_"):
            catalog = parse_ts(ts)
            json_path = out / (ts.stem + ".json")
            tmp_json = json_path.with_name(f".{json_path.name}.{os.getpid()}.tmp")
            tmp_json.write_text(json.dumps(catalog, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(tmp_json, json_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
