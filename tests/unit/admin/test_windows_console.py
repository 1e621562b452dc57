"""govmail-admin on a Windows console (issue 15): code page 1252, Windows locale names, closed pipes.

Python writes to a redirected stream in the ANSI code page on Windows (cp1252 on an
English Windows): Thai there raised ``UnicodeEncodeError`` (and the error message about
it raised again). The CLI now writes UTF-8 where the stream's encoding cannot encode
Thai. Windows names the Thai locale ``Thai_Thailand`` (``locale.getlocale()``) or
``th-TH``: both select Thai. A reader that goes away (``| head -1``, ``| more`` quit
early) ends the command quietly. ``PYTHONIOENCODING=cp1252`` gives the Windows stream
encoding here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govmail_desktop.admin import cli
from govmail_desktop.i18n import normalize_language

ROOT = Path(__file__).resolve().parents[3]
LOOPBACK = ROOT / "tests" / "data" / "policy" / "test-loopback.json"
THAI_DEFAULT = "ค่าเริ่มต้นของโปรแกรม"  # "built-in default" in policy show


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Thai_Thailand", "th"),
        ("Thai_Thailand.874", "th"),
        ("Thai_Thailand.1252", "th"),
        ("th-TH", "th"),
        ("th_TH", "th"),
        ("English_United States.1252", "en"),
        ("en-US", "en"),
        ("German_Germany.1252", "en"),
    ],
)
def test_windows_locale_names(name, code):
    assert normalize_language(name) == code


@pytest.mark.parametrize(
    ("var", "value"), [("LC_ALL", "Thai_Thailand.1252"), ("LANG", "th-TH"), ("LC_MESSAGES", "th_TH")]
)
def test_the_admin_language_from_a_windows_style_environment(monkeypatch, var, value):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(var, value)
    assert cli._default_language() == "th"


def test_the_admin_language_from_windows_getlocale(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(cli.locale, "getlocale", lambda *a: ("Thai_Thailand", "874"))
    assert cli._default_language() == "th"


def windows_env(locale_name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(PYTHONIOENCODING="cp1252", LC_ALL=locale_name, LANG=locale_name)
    return env


def run_admin(*args: str, locale_name: str = "Thai_Thailand.1252", stdout=subprocess.PIPE):
    return subprocess.run(
        [sys.executable, "-m", "govmail_desktop.admin.cli", *args], cwd=ROOT, env=windows_env(locale_name),
        stdout=stdout, stderr=subprocess.PIPE, timeout=60,
    )


def test_thai_output_under_code_page_1252_is_utf8():
    proc = run_admin("policy", "show", "--file", str(LOOPBACK))
    assert proc.stderr == b""
    assert proc.returncode == 0
    assert THAI_DEFAULT in proc.stdout.decode("utf-8")  # Thai chosen from the Windows locale name


def test_a_thai_error_under_code_page_1252_is_utf8():
    proc = run_admin("no-such-command", locale_name="th-TH")
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "ข้อผิดพลาด" in err and "Traceback" not in err and "UnicodeEncodeError" not in err


def test_english_under_code_page_1252_stays_in_the_code_page():
    proc = run_admin("--lang", "en", "policy", "show", "--file", str(LOOPBACK))
    assert proc.returncode == 0 and proc.stderr == b""
    assert "built-in default" in proc.stdout.decode("cp1252")


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--lang", "en"), ("policy", "show", "--file", str(LOOPBACK)), ("policy", "show", "--json")],
    ids=["help", "no-command", "show", "show-json"],
)
def test_into_a_closed_pipe_under_code_page_1252_is_quiet(args):
    """`govmail-admin … | head -1`: the reader is gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = run_admin(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.stderr == b""
    assert proc.returncode == 0
