"""The GUI started with no console at all: pythonw.exe running ``--self-test``.

``govmail.exe`` (and pythonw) have no standard streams: ``sys.stdout`` and ``sys.stderr``
are None, so a start-up that writes to them, or a report that only goes there, fails or
says nothing. pythonw.exe next to the test's interpreter starts the app the way a
Start-menu shortcut does; it must exit 0 and leave its report in the log.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govmail_desktop.core.paths import AppPaths
from govmail_desktop.wiring.self_test import LOG_PREFIX, PASSED

pytestmark = pytest.mark.windows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pythonw():
    path = Path(sys.executable).with_name("pythonw.exe")
    if not path.exists():
        pytest.skip(f"no pythonw.exe next to {sys.executable}")
    return path


def start_windowed(pythonw, *args):
    """Start like a shortcut: no console, no standard handles passed (close_fds)."""
    create_no_window = 0x08000000
    return subprocess.run([str(pythonw), *args], cwd=ROOT, env=dict(os.environ), timeout=180,
                          creationflags=create_no_window, close_fds=True)


def test_pythonw_really_has_no_standard_streams(pythonw, tmp_path):
    out = tmp_path / "streams.txt"
    code = f"import sys; open({str(out)!r}, 'w').write(repr((sys.stdout, sys.stderr)))"
    assert start_windowed(pythonw, "-c", code).returncode == 0
    assert out.read_text() == "(None, None)"


def test_the_self_test_runs_without_a_console_and_writes_its_log(pythonw):
    env_home = os.environ["GOVMAIL_HOME"]  # the suite's own home for this test
    log_file = AppPaths.default().log_file
    assert str(log_file).startswith(env_home)
    proc = start_windowed(pythonw, "-m", "govmail_desktop", "--self-test")
    text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    assert proc.returncode == 0, text[-4000:]
    report = [line.split(LOG_PREFIX, 1)[1] for line in text.splitlines() if LOG_PREFIX in line]
    assert report, text[-4000:]
    assert report[-1] in (PASSED.text("th"), PASSED.text("en"))
    assert "Traceback" not in text
