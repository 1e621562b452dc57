"""SIGTERM, SIGINT and SIGHUP end the real app the orderly way (the shutdown hooks run: open
messages kept as drafts, the instance lock released), not on the spot (it ended with -15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
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


def default_dispositions() -> None:
    """In the child: the quit signals as a desktop session starts it (this suite may run with
    SIGHUP or SIGINT ignored, as under nohup or in a background job, and a child inherits that)."""
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)


def run_and_signal(code: str, home: Path, number: int,
                   first: Callable[[subprocess.Popen], None] | None = None) -> tuple[int, str, str]:
    """Start the app ``code`` runs, send ``number`` once its window is shown; (exit code, out, err).
    The output is read from the pipe itself, all of it (a line-buffered reader would keep what
    came with "SHOWN" from the rest). ``first``: done to the shown app before the signal."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    child = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, preexec_fn=default_dispositions)
    seen = b""
    try:
        assert child.stdout is not None
        while b"SHOWN\n" not in seen:
            chunk = os.read(child.stdout.fileno(), 4096)
            if not chunk:
                _, err = child.communicate(timeout=60)
                pytest.fail(f"the app never showed its window: {err.decode(errors='replace')}")
            seen += chunk
        if first is not None:
            first(child)
        child.send_signal(number)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, (seen + out).decode(errors="replace"), err.decode(errors="replace")


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_quit_signal_ends_the_app_through_its_shutdown(tmp_path, name):
    home = tmp_path / "home"
    code, out, err = run_and_signal(_CHILD, home, getattr(signal, name))
    assert code == 0, err
    assert "HOOKS RAN" in out
    log = (home / "log" / "govmail.log").read_text(encoding="utf-8")
    assert f"Received {name}: ending the orderly way" in log
    assert "Shutting down" in log


def test_a_signal_ignored_at_start_stays_ignored(tmp_path):
    """`nohup govmail`: SIGHUP ignored when it starts is not taken over (the app keeps running;
    SIGTERM then ends it the orderly way)."""
    ignoring = _CHILD.replace("import sys\n", "import signal, sys\nsignal.signal(signal.SIGHUP, signal.SIG_IGN)\n", 1)
    home = tmp_path / "home"

    def hang_up(child: subprocess.Popen) -> None:
        child.send_signal(signal.SIGHUP)
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=3)  # still running: nothing to wait for but a deadline

    code, out, _err = run_and_signal(ignoring, home, signal.SIGTERM, first=hang_up)
    assert code == 0
    assert "HOOKS RAN" in out
    log = (home / "log" / "govmail.log").read_text(encoding="utf-8")
    assert "Received SIGHUP" not in log and "Received SIGTERM: ending the orderly way" in log


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
