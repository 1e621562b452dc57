"""``govmail --help`` and its errors in Thai are Thai throughout, argparse's own words included."""

from __future__ import annotations

import argparse
import ast
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govmail_desktop.i18n import catalog
from govmail_desktop.i18n.cli import ARGPARSE_DEVELOPER_TEXTS, ARGPARSE_TEXTS, argparse_speaks

ROOT = Path(__file__).resolve().parents[3]

#: Words that stay as they are in any language: the program and product names, the codes
#: of the languages (--lang's choices), the link scheme. Option names (-h, --lang) are taken out before.
KEPT_WORDS = {"govmail", "GovMail", "Desktop", "th", "en", "mailto"}
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_QUOTED = re.compile(r"'[^']*'")  # what the user typed, quoted back in an error


def english_words(text: str) -> list[str]:
    """Latin-letter words in ``text`` other than option names, typed values and KEPT_WORDS."""
    text = _QUOTED.sub(" ", _OPTION.sub(" ", text))
    return sorted(set(re.findall(r"[A-Za-z]+", text)) - KEPT_WORDS)


def run_govmail(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "govmail_desktop", *args], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    "planted", ["usage: govmail [-h]", "options:", "  -h, --help  show this help message and exit"]
)
def test_the_english_finder_catches_planted_english(planted):
    assert english_words(planted)


def test_the_english_finder_keeps_option_names_and_typed_values():
    assert english_words("govmail: ข้อผิดพลาด: --lang 'xx' {th,en} -h [--debug]") == []


def test_govmail_help_in_thai_has_no_english():
    proc = run_govmail("--help")  # Thai by default
    assert proc.returncode == 0, proc.stderr
    assert english_words(proc.stdout) == []
    assert "ภาษา" in proc.stdout and "--lang" in proc.stdout and "--debug" in proc.stdout


def test_govmail_help_in_english_stays_english():
    proc = run_govmail("--lang", "en", "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: govmail") and "show this help message and exit" in proc.stdout


@pytest.mark.parametrize("args", [("กล่องจดหมาย",), ("--no-such-option",), ("--lang",)],
                         ids=["unexpected-word", "unrecognized-option", "missing-value"])
def test_bad_arguments_are_explained_in_thai(args):
    proc = run_govmail(*args)
    assert proc.returncode == 2
    assert proc.stderr and english_words(proc.stderr) == [], proc.stderr


@pytest.fixture
def thai():
    before = catalog.current_language()
    catalog.set_language("th")
    yield
    catalog.set_language(before)


def test_argparse_words_are_restored_after_parsing(thai):
    before = argparse._
    with argparse_speaks():
        assert argparse._("options") != "options"
    assert argparse._ is before


def argparse_texts(source: str) -> set[str]:
    """Every literal text argparse passes to its gettext names ``_`` and ``ngettext``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            found.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return found


def unlisted(source: str) -> set[str]:
    return argparse_texts(source) - {m.source for m in ARGPARSE_TEXTS} - ARGPARSE_DEVELOPER_TEXTS


def test_every_text_of_this_pythons_argparse_is_listed():
    """A Python release that adds a text argparse shows makes this fail (list it, translate it)."""
    assert argparse_texts(inspect.getsource(argparse)), "argparse no longer uses _(): the names changed"
    assert unlisted(inspect.getsource(argparse)) == set()


def test_the_listing_check_catches_a_new_argparse_text():
    planted = "def f():\n    raise ArgumentError(None, _('a brand new message %s'))\n"
    assert unlisted(planted) == {"a brand new message %s"}


def test_every_listed_text_has_thai(thai):
    missing = [m.source for m in ARGPARSE_TEXTS if catalog.lookup("ArgParse", m.source, "th") == m.source]
    assert missing == []


# -- govmail-admin: the IT staff's tool speaks the same language ------------------------

ADMIN_KEPT = KEPT_WORDS | {"COMMAND", "ACTION", "HOST", "FILE", "NAME", "SECONDS", "N", "IP", "PORT",
                           "IPv", "PEM", "JSON", "IMAP", "SMTP", "CA", "TLS", "DNS", "locale", "input",
                           "standard", "tls", "starttls", "policy", "show", "validate", "check", "server", "admin",
                           "inspect", "eml", "json", "doctor"}


def run_admin(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govmail_desktop.admin.cli", *args], cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("command", [(), ("policy",), ("check-server",), ("inspect",), ("doctor",)],
                         ids=["top", "policy", "check-server", "inspect", "doctor"])
def test_admin_help_in_thai_has_no_english(command):
    proc = run_admin("--lang", "th", *command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "รูปแบบคำสั่ง" in proc.stdout
    assert set(english_words(proc.stdout)) - ADMIN_KEPT == set(), proc.stdout


def test_admin_bad_command_is_explained_in_thai():
    proc = run_admin("--lang", "th", "no-such-command")
    assert proc.returncode == 2
    assert "ข้อผิดพลาด" in proc.stderr and set(english_words(proc.stderr)) - ADMIN_KEPT == set(), proc.stderr


def test_admin_help_in_english_stays_english():
    proc = run_admin("--lang", "en", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: govmail-admin")
