"""SIGTERM, SIGINT and SIGHUP end the real app the orderly way (the shutdown hooks run: open
messages kept as drafts, the instance lock released), not on the spot (it ended with -15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.gui, pytest.mark.linux_only]

_CHILD = """
import sys
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides

def shown(ctx):
    ctx.shutdown_hooks.append(lambda: print("HOOKS RAN", flush=True))
    print("SHOWN", flush=True)

sys.exit(main(["--lang", "en"], AppOverrides(on_window_shown=shown)))
"""


def run_and_signal(code: str, home: Path, number: int) -> tuple[int, str, str]:
    """Start the app ``code`` runs, send ``number`` once its window is shown; (exit code, out, err)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    child = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "SHOWN":
                break
        else:
            pytest.fail(f"the app never showed its window: {child.stderr.read() if child.stderr else ''}")
        child.send_signal(number)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, out, err


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_quit_signal_ends_the_app_through_its_shutdown(tmp_path, name):
    home = tmp_path / "home"
    code, out, err = run_and_signal(_CHILD, home, getattr(signal, name))
    assert code == 0, err
    assert "HOOKS RAN" in out
    log = (home / "log" / "govmail.log").read_text(encoding="utf-8")
    assert f"Received {name}: ending the orderly way" in log
    assert "Shutting down" in log


def test_without_the_handler_sigterm_ends_the_process_on_the_spot(tmp_path):
    """The planted old behaviour: no handler installed, the same start ends with -15 and no
    shutdown (proves the test above sees the difference)."""
    planted = _CHILD.replace(
        "from govmail_desktop.app import main",
        "from govmail_desktop.wiring import termination\n"
        "termination.quit_on_termination = lambda parent, quit: None\n"
        "from govmail_desktop.app import main",
    )
    code, out, _err = run_and_signal(planted, tmp_path / "home", signal.SIGTERM)
    assert code == -signal.SIGTERM
    assert "HOOKS RAN" not in out
