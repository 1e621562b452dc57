"""packaging/linux/govmail-desktop.desktop (installed by the .deb): the mail-link handler for the
desktop, with a "Write a new message" action, in Thai too; valid for desktop-file-validate and for
our own parser."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from govmail_desktop.wiring.command_line import parse_args

ROOT = Path(__file__).resolve().parents[2]
DESKTOP_FILE = ROOT / "packaging" / "linux" / "govmail-desktop.desktop"
ENTRY = "Desktop Entry"
#: Keys people read: each needs a Thai form beside it.
SHOWN_KEYS = ("Name", "GenericName", "Comment")

VALIDATOR_MISSING = (
    "desktop-file-validate is not installed: the desktop file cannot be checked. `make test` installs it "
    "(Debian package desktop-file-utils, via tools/install-system-deps.sh test); a missing one is a set-up "
    "bug, not a reason to skip."
)


def read(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",), comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(text)
    return parser


def _parsed(line: str):
    """The command line ``Exec`` gives govmail (a link standing for %u), as govmail reads it;
    None when it is not govmail or govmail refuses it."""
    words = shlex.split(line)
    if not words or words[0] != "govmail":
        return None
    try:
        return parse_args([("mailto:someone@example.go.th" if w == "%u" else w) for w in words[1:]])
    except SystemExit:
        return None


def desktop_file_problems(text: str) -> list[str]:
    """What stops the desktop file from doing its job (empty when it does)."""
    problems: list[str] = []
    try:
        entry = read(text)
    except configparser.Error as exc:
        return [f"unreadable: {exc}"]
    if not entry.has_section(ENTRY):
        return ["no [Desktop Entry]"]
    main = entry[ENTRY]
    mime_types = [m for m in main.get("MimeType", "").split(";") if m]
    if "x-scheme-handler/mailto" not in mime_types:
        problems.append("MimeType does not declare x-scheme-handler/mailto")
    exec_line = main.get("Exec", "")
    words = shlex.split(exec_line)
    if not words or words[0] != "govmail":
        problems.append(f"Exec does not start the govmail program: {exec_line!r}")
    codes = [w for w in words if w.startswith("%")]
    if codes != ["%u"]:
        problems.append(f"Exec must take the link as one %u and nothing else: {codes}")
    elif (args := _parsed(exec_line)) is None or not args.uri:
        problems.append("the link given by Exec is not read as a link")
    actions = [a for a in main.get("Actions", "").split(";") if a]
    if "compose" not in actions:
        problems.append("no compose action")
    for key in SHOWN_KEYS:
        if key in main and f"{key}[th]" not in main:
            problems.append(f"{key} has no Thai form")
    for action in actions:
        section = f"Desktop Action {action}"
        if not entry.has_section(section):
            problems.append(f"action {action} has no section")
            continue
        group = entry[section]
        if "Name" not in group or not any("\u0e00" <= ch <= "\u0e7f" for ch in group.get("Name[th]", "")):
            problems.append(f"action {action} has no Thai name")
        action_exec = group.get("Exec", "")
        if (args := _parsed(action_exec)) is None or not args.compose:
            problems.append(f"action {action} does not open the composer: {action_exec!r}")
    return problems


def test_the_desktop_file_does_its_job():
    assert desktop_file_problems(DESKTOP_FILE.read_text(encoding="utf-8")) == []


def test_the_compose_action_writes_a_new_message_in_thai():
    action = read(DESKTOP_FILE.read_text(encoding="utf-8"))["Desktop Action compose"]
    assert action["Name"] == "Write a new message"
    assert action["Name[th]"] == "เขียนจดหมายใหม่"  # as the main window's Write action says it


GOOD = DESKTOP_FILE.read_text(encoding="utf-8") if DESKTOP_FILE.exists() else ""


@pytest.mark.parametrize(
    ("planted", "found"),
    [
        (GOOD.replace("MimeType=x-scheme-handler/mailto;", "MimeType=text/plain;"), "MimeType"),
        (GOOD.replace("Exec=govmail %u", "Exec=govmail"), "%u"),
        (GOOD.replace("Exec=govmail %u", "Exec=govmail %f"), "%u"),
        (GOOD.replace("Exec=govmail %u", "Exec=python3 -m other %u"), "govmail program"),
        (GOOD.replace("Actions=compose;", "Actions=;"), "compose action"),
        (GOOD.replace("Name[th]=เขียนจดหมายใหม่", "Name[th]=Write"), "Thai name"),
        (GOOD.replace("Exec=govmail --compose", "Exec=govmail"), "does not open the composer"),
        (GOOD.replace("Comment[th]=", "X-Comment-th="), "Comment has no Thai form"),
    ],
)
def test_the_check_catches_a_planted_mistake(planted, found):
    assert planted != GOOD
    assert any(found in problem for problem in desktop_file_problems(planted))


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.fail(VALIDATOR_MISSING, pytrace=False)
    return subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=30)


@pytest.mark.linux_only  # desktop-file-validate
def test_desktop_file_validate_is_clean():
    result = validate(DESKTOP_FILE)
    assert result.returncode == 0 and (result.stdout + result.stderr).strip() == "", result.stdout + result.stderr


def test_desktop_file_validate_reports_a_planted_error(tmp_path):
    broken = tmp_path / "broken.desktop"
    broken.write_text(GOOD.replace("Type=Application\n", ""), encoding="utf-8")
    assert validate(broken).returncode != 0
