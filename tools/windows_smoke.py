#!/usr/bin/env python3
r"""Smoke checks of an installed GovMail Desktop: the app's self-test and the admin tool.

    python tools/windows_smoke.py self-test --exe "C:\Program Files\GovMail Desktop\govmail.exe"
    python tools/windows_smoke.py self-test --report saved.txt --keyring keyring.backends.SecretService.Keyring
    python tools/windows_smoke.py admin --exe "C:\Program Files\GovMail Desktop\govmail-admin.exe" \
        --version 0.1.0 --allows .ci.agency.go.th --source "HKLM\SOFTWARE\Policies\GovMail"

The Windows CI job (.github/workflows/windows.yml) runs both after installing the MSI.

``self-test`` starts the executable with ``--self-test --lang en`` and an empty ``GOVMAIL_HOME``
(settings, log and cache in a fresh folder; the keyring is the real one, and the self-test writes
nothing to it), and asserts from the report (govmail_desktop/wiring/self_test.py):

- the main window was shown and the self-test passed (exit code 0);
- the user interface font is Sarabun and Thai is drawn with Sarabun, no letter missing;
- every icon was found (and there are some);
- the keyring backend is ``--keyring`` (default: keyring's Windows Credential Manager backend);
- the offline country lookup gives TH for the Thai address.

``govmail.exe`` is a windowed program: started with pipes it has a standard output, but should it
have none the report is read from the log (``<home>/log/govmail.log``, lines ``Self-test report:``).

``admin`` runs ``govmail-admin --version`` (must name ``--version``, by default the version in this
checkout's govmail_desktop/__init__.py) and ``policy show`` (human and
``--json``): the policy must be valid, and ``servers.allow`` must hold ``--allows``, set by
``--source`` (the MSI's ``SERVERS_ALLOW`` property written to the registry and read back).

Standard library only: the job's Python runs it without the project installed.
tests/unit/test_windows_workflow.py runs both checks here (a real self-test's output, the real
admin tool) and plants failures.
"""

from __future__ import annotations

import argparse
import json
import locale
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: keyring's Windows Credential Manager backend (credentials.WINDOWS_BACKEND in its module).
WINDOWS_KEYRING = "keyring.backends.Windows.WinVaultKeyring"
THAI_FONT = "Sarabun"
EXPECTED_COUNTRY = "TH"
#: What the self-test's log lines start with (self_test.LOG_PREFIX).
LOG_PREFIX = "Self-test report: "
ROOT = Path(__file__).resolve().parent.parent
#: The self-test waits up to 60 s for the first paint; a cold start from a fresh install is slower.
DEFAULT_TIMEOUT = 240

# The English report lines (self_test.py's message sources; the test formats each source and
# checks that its pattern here reads it back).
SHOWN = re.compile(r"^Self-test: main window shown \((\d+)\D(\d+), Qt platform (\S+)\)$")
UI_FONT = re.compile(r"^User interface font: (.+)$")
THAI = re.compile(r"^Thai text drawn with: (.+); missing letters: (\d+)$")
ICONS = re.compile(r"^Icons found: (\d+) of (\d+)$")
KEYRING = re.compile(r"^Password store \(keyring backend\): (\S+)$")
COUNTRY = re.compile(r"^Country of (\S+) \(offline lookup\): (\S+)$")
PASSED = "Self-test passed."
FAILED = re.compile(r"^Self-test failed: (.+)$")


@dataclass
class Report:
    """What a self-test said (None: the line was not there)."""

    platform: str | None = None
    ui_font: str | None = None
    thai_fonts: list[str] = field(default_factory=list)
    missing_letters: int | None = None
    icons_found: int | None = None
    icons_total: int | None = None
    keyring: str | None = None
    address: str | None = None
    country: str | None = None
    passed: bool = False
    failure: str | None = None


def parse(text: str) -> Report:
    """Read the report's lines (other lines, e.g. Qt's warnings, are ignored)."""
    report = Report()
    for raw in text.splitlines():
        line = raw.strip()
        if m := SHOWN.match(line):
            report.platform = m.group(3)
        elif m := UI_FONT.match(line):
            report.ui_font = m.group(1)
        elif m := THAI.match(line):
            report.thai_fonts = [f.strip() for f in m.group(1).split(",") if f.strip() not in ("", "-")]
            report.missing_letters = int(m.group(2))
        elif m := ICONS.match(line):
            report.icons_found, report.icons_total = int(m.group(1)), int(m.group(2))
        elif m := KEYRING.match(line):
            report.keyring = m.group(1)
        elif m := COUNTRY.match(line):
            report.address, report.country = m.group(1), m.group(2)
        elif line == PASSED:
            report.passed = True
        elif m := FAILED.match(line):
            report.failure = m.group(1)
    return report


def problems(report: Report, *, keyring: str = WINDOWS_KEYRING) -> list[str]:
    """What is wrong with the report (empty: the smoke start passed)."""
    found: list[str] = []
    if report.platform is None:
        found.append("the main window was not reported shown")
    if report.ui_font != THAI_FONT:
        found.append(f"user interface font is {report.ui_font!r}, not {THAI_FONT}")
    if THAI_FONT not in report.thai_fonts or report.missing_letters != 0:
        found.append(f"Thai drawn with {report.thai_fonts}, missing letters {report.missing_letters}")
    if not report.icons_total or report.icons_found != report.icons_total:
        found.append(f"icons found: {report.icons_found} of {report.icons_total}")
    if report.keyring != keyring:
        found.append(f"keyring backend is {report.keyring!r}, not {keyring}")
    if report.country != EXPECTED_COUNTRY:
        found.append(f"country of {report.address} is {report.country!r}, not {EXPECTED_COUNTRY}")
    if report.failure is not None:
        found.append(f"the self-test failed: {report.failure}")
    elif not report.passed:
        found.append("the self-test did not say it passed")
    return found


def decode(data: bytes) -> str:
    """The child's output: UTF-8, else the system's code page (a frozen app on a pipe may use it)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(locale.getpreferredencoding(False), errors="replace")


def log_report(log_file: Path) -> str:
    """The report's lines as the self-test logged them (empty when there is no log)."""
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(line.split(LOG_PREFIX, 1)[1] for line in text.splitlines() if LOG_PREFIX in line)


def run_self_test(exe: Path, home: Path, timeout: float) -> tuple[int | None, str]:
    """Start ``exe --self-test --lang en`` with ``GOVMAIL_HOME=home``: (exit code or None, report)."""
    env = dict(os.environ, GOVMAIL_HOME=str(home))
    try:
        proc = subprocess.run([str(exe), "--self-test", "--lang", "en"], env=env, capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        out = decode(exc.stdout or b"")
        print(f"windows_smoke: {exe} did not end within {timeout:.0f} s", file=sys.stderr)
        return None, out or log_report(home / "log" / "govmail.log")
    out = decode(proc.stdout)
    if proc.stderr:
        print(decode(proc.stderr), file=sys.stderr)
    if not parse(out).platform:  # no standard output: read the log
        out = log_report(home / "log" / "govmail.log") or out
    return proc.returncode, out


def source_version(init: Path = ROOT / "govmail_desktop" / "__init__.py") -> str:
    """``__version__`` as written in the package's source (the project is not installed here)."""
    match = re.search(r'^__version__ = "([^"]+)"$', init.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise SystemExit(f"windows_smoke: no __version__ in {init}")
    return match.group(1)


def admin_problems(
    exe: Path, *, version: str, allows: str | None = None, source: str | None = None, timeout: float = 120
) -> list[str]:
    """What is wrong with ``govmail-admin --version`` and ``policy show`` (empty: all right)."""
    found: list[str] = []

    def run(*args: str) -> tuple[int, str]:
        proc = subprocess.run([str(exe), *args], capture_output=True, timeout=timeout, check=False)
        out = decode(proc.stdout)
        print(f"> govmail-admin {' '.join(args)}  (exit {proc.returncode})\n{out}{decode(proc.stderr)}")
        return proc.returncode, out

    code, out = run("--version")
    if code != 0 or out.strip() != f"govmail-admin {version}":
        found.append(f"--version said {out.strip()!r} (exit {code}), not 'govmail-admin {version}'")
    code, out = run("--lang", "en", "policy", "show")
    if code != 0 or "Status: valid" not in out:
        found.append(f"policy show: exit {code}, no 'Status: valid'")
    code, out = run("--lang", "en", "policy", "show", "--json")
    try:
        shown: dict[str, Any] = json.loads(out)
    except ValueError:
        return [*found, f"policy show --json: exit {code}, not JSON"]
    if code != 0 or shown.get("valid") is not True:
        found.append(f"policy show --json: exit {code}, valid={shown.get('valid')!r}, problems={shown.get('problems')}")
    allow = shown.get("policy", {}).get("servers", {}).get("allow", [])
    if allows is not None and allows not in allow:
        found.append(f"servers.allow is {allow}, without {allows}")
    origin = str(shown.get("sources", {}).get("servers.allow", ""))
    if source is not None and not origin.startswith(source):
        found.append(f"servers.allow comes from {origin!r}, not {source}")
    return found


def _report(found: list[str], what: str) -> int:
    for problem in found:
        print(f"windows_smoke {what}: FAILED: {problem}", file=sys.stderr)
    if not found:
        print(f"windows_smoke {what}: passed")
    return 1 if found else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="windows_smoke.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    selftest = commands.add_parser("self-test", help="start govmail --self-test and check its report")
    source = selftest.add_mutually_exclusive_group(required=True)
    source.add_argument("--exe", type=Path, help="the installed govmail.exe to start with --self-test")
    source.add_argument("--report", type=Path, help="check a saved self-test output instead (UTF-8)")
    selftest.add_argument("--keyring", default=WINDOWS_KEYRING, help=f"the expected backend ({WINDOWS_KEYRING})")
    selftest.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds before it is a hang")
    admin = commands.add_parser("admin", help="run govmail-admin --version and policy show")
    admin.add_argument("--exe", type=Path, required=True, help="the installed govmail-admin.exe")
    admin.add_argument("--version", help="the version it must name (default: this checkout's)")
    admin.add_argument("--allows", help="a host pattern servers.allow must hold")
    admin.add_argument("--source", help="what the source of servers.allow must start with")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not (args.exe or args.report).is_file():
        print(f"windows_smoke: no such file: {args.exe or args.report}", file=sys.stderr)
        return 1
    if args.command == "admin":
        version = args.version or source_version()
        return _report(admin_problems(args.exe, version=version, allows=args.allows, source=args.source),
                       "admin")
    code: int | None = 0
    if args.report is not None:
        text = args.report.read_text(encoding="utf-8")
    else:
        with tempfile.TemporaryDirectory(prefix="govmail-smoke-", ignore_cleanup_errors=True) as home:
            code, text = run_self_test(args.exe, Path(home), args.timeout)
    print(text)
    found = problems(parse(text), keyring=args.keyring)
    if code != 0:
        found.insert(0, f"exit code {code} (0 expected)")
    return _report(found, "self-test")


if __name__ == "__main__":
    sys.exit(main())
