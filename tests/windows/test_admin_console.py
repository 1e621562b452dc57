"""govmail-admin on Windows as IT staff run it: code page 1252 and a reader that goes away.

Started the way a console script is, with nothing forcing UTF-8 (``PYTHONIOENCODING``
unset, ``PYTHONUTF8=0``) and stdout a pipe, so Python writes in the ANSI code page (1252 on
an English Windows). Thai output must come out (as UTF-8) without ``UnicodeEncodeError``,
and a pipe whose reader has gone (``| more`` quit early) must end quietly: on Windows that
write can fail with ``EINVAL`` rather than ``BrokenPipeError``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.windows

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = ROOT / "tests" / "data" / "policy" / "test-loopback.json"
THAI_DEFAULT = "ค่าเริ่มต้นของโปรแกรม"  # "built-in default" in policy show
ADMIN = [sys.executable, "-c", "import sys; from govmail_desktop.admin.cli import main; sys.exit(main())"]


def ansi_env():
    env = {k: v for k, v in os.environ.items()
           if k.upper() not in ("PYTHONIOENCODING", "PYTHONUTF8", "PYTHONLEGACYWINDOWSSTDIO")}
    env["PYTHONUTF8"] = "0"
    return env


@pytest.fixture(scope="module")
def code_page():
    proc = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], env=ansi_env(),
                          capture_output=True, text=True, timeout=60, check=True)
    encoding = proc.stdout.strip().lower()
    if encoding in ("utf-8", "utf8"):
        pytest.skip("this Windows uses UTF-8 as its ANSI code page: nothing to prove")
    return encoding


def run_admin(*args, stdout=subprocess.PIPE):
    return subprocess.run([*ADMIN, *args], cwd=ROOT, env=ansi_env(), stdout=stdout, stderr=subprocess.PIPE,
                          timeout=120)


def test_thai_output_under_the_ansi_code_page(code_page):
    assert code_page in ("cp1252", "cp437", "cp850") or code_page.startswith("cp")
    proc = run_admin("--lang", "th", "policy", "show", "--file", str(LOOPBACK))
    assert b"UnicodeEncodeError" not in proc.stderr and b"Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert THAI_DEFAULT in proc.stdout.decode("utf-8")


def test_a_thai_usage_error_under_the_ansi_code_page(code_page):
    proc = run_admin("--lang", "th", "no-such-command")
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "ข้อผิดพลาด" in err and "Traceback" not in err


def test_english_stays_in_the_code_page(code_page):
    proc = run_admin("--lang", "en", "policy", "show", "--file", str(LOOPBACK))
    assert proc.returncode == 0 and proc.stderr == b""
    assert "built-in default" in proc.stdout.decode(code_page)


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--lang", "th", "policy", "show", "--file", str(LOOPBACK)), ("policy", "show", "--json")],
    ids=["help", "show-thai", "show-json"],
)
def test_into_a_closed_pipe_ends_quietly(code_page, args):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write
    try:
        proc = run_admin(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.stderr == b"", proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0


def test_a_reader_that_quits_after_the_first_line(code_page):
    proc = subprocess.Popen([*ADMIN, "--lang", "th", "policy", "show", "--file", str(LOOPBACK)], cwd=ROOT,
                            env=ansi_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # `| more`, quit
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert b"Traceback" not in err and b"Exception ignored" not in err, err.decode("utf-8", "replace")
