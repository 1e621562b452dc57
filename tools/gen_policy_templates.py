"""Write the policy references generated from the policy model (``make policy-templates``).

packaging/policy/govmail.schema.json, packaging/windows/admx/GovMail.admx, its en-US and th-TH
GovMail.adml, and the key reference between the markers of docs/admin.md: see
govmail_desktop/policy/templates.py. ``--check`` writes nothing and exits 1 when a file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govmail_desktop.policy import templates  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1)")
    args = parser.parse_args(argv)
    doc = (ROOT / templates.DOC_PATH).read_text(encoding="utf-8")
    stale = []
    for name, text in templates.generated_files(doc).items():
        path = ROOT / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        stale.append(name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    for name in stale:
        print(("stale: " if args.check else "wrote: ") + name)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
