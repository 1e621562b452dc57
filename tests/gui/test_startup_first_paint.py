"""Start-up draws the real main window first (issue 14, item 6): the composition root shows the
window, and the passwords, mailboxes, composer, search, the first run and the launch's request
join it right after its first paint (wiring/first_paint.py); ``--self-test`` reports that paint."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from govmail_desktop.wiring import self_test
from govmail_desktop.wiring.first_paint import FirstPaint

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui

#: Modules the first paint must not wait for, with the step that loads them after it.
LOADED_AFTER_THE_FIRST_PAINT = [
    "govmail_desktop.credentials",  # the keyring probe (step 6)
    "keyring",
    "govmail_desktop.wiring.mailboxes",  # the mailboxes (step 7)
    "govmail_desktop.services.outbox_service",
    "govmail_desktop.ui.composer.launcher",  # the composer (7c)
    "govmail_desktop.services.search_service",  # search (7g)
    "govmail_desktop.search.engine",
    "govmail_desktop.models.message_list",  # the model a mailbox's list shows
]

_PROBE = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from govmail_desktop.app import create_application, main
from govmail_desktop.i18n import thai_dates
from govmail_desktop.wiring.context import AppOverrides

LATER = json.loads(sys.argv[1])
app = create_application()
seen = {}

def loaded():
    return {"modules": sorted(m for m in LATER if m in sys.modules),
            "parser_loaded": "govmail_desktop.mime.parse" in sys.modules,
            "month_names_loaded": thai_dates.month_names.cache_info().currsize > 0}

class AtFirstPaint(QObject):
    def eventFilter(self, watched, event):
        if "paint" not in seen and event.type() == QEvent.Type.Paint and type(watched).__name__ == "MainWindow":
            seen["paint"] = loaded()
        return False

probe = AtFirstPaint()
app.installEventFilter(probe)

def shown(ctx):
    seen["shown"] = loaded()
    seen["built"] = [ctx.mailboxes is not None, ctx.composer is not None, ctx.search is not None]
    QTimer.singleShot(0, app.quit)

code = main(["--lang", "th"], AppOverrides(on_window_shown=shown))
print(json.dumps(seen))
sys.exit(code)
"""


def _run(script: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    return subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=90)


@pytest.mark.usefixtures("compiled_translations")
def test_the_main_window_is_drawn_before_the_services_and_their_modules_load(tmp_path):
    proc = _run(_PROBE, tmp_path / "home", json.dumps(LOADED_AFTER_THE_FIRST_PAINT))
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["paint"] == {"modules": [], "parser_loaded": False, "month_names_loaded": False}
    # The same probe sees them once start-up is done (it would have seen them at the paint too).
    assert seen["shown"]["modules"] == sorted(LOADED_AFTER_THE_FIRST_PAINT)
    assert seen["built"] == [True, True, True]
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    steps = ["Main window built", "Main window shown", "Main window drawn", "Passwords:", "Mailboxes attached",
             "Composer attached", "Start-up done"]
    positions = [log_text.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), positions


_FAILING_AFTER_THE_PAINT = """
import sys
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides

def no_keyring():
    raise RuntimeError("planted: the keyring cannot be built")

sys.exit(main([], AppOverrides(credential_store_factory=no_keyring)))
"""


@pytest.mark.usefixtures("compiled_translations")
def test_a_step_failing_after_the_first_paint_still_ends_start_up_with_exit_1_and_the_log(tmp_path):
    proc = _run(_FAILING_AFTER_THE_PAINT, tmp_path / "home")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "could not start" in proc.stderr
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    assert "Main window drawn" in log_text
    assert "Fatal error during start-up" in log_text and "planted: the keyring cannot be built" in log_text


def test_first_paint_says_painted_then_ready_once(qapp, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    watcher = FirstPaint(window)
    said: list[str] = []
    watcher.painted.connect(lambda: said.append("painted"))
    watcher.ready.connect(lambda: said.append("ready"))
    window.show()
    qtbot.waitUntil(lambda: "ready" in said)
    window.repaint()
    qtbot.wait(50)
    assert said == ["painted", "ready"] and watcher.is_painted


def test_a_window_not_drawn_does_not_hold_start_up_back(qapp, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    watcher = FirstPaint(window, fallback_ms=20)
    said: list[str] = []
    watcher.painted.connect(lambda: said.append("painted"))
    watcher.ready.connect(lambda: said.append("ready"))
    qtbot.waitUntil(lambda: "ready" in said)  # never shown: ready after the fallback, not painted
    assert said == ["ready"] and not watcher.is_painted
    window.show()  # drawn later: painted comes, ready does not come again
    qtbot.waitUntil(lambda: "painted" in said)
    qtbot.wait(50)
    assert said == ["ready", "painted"]


def test_self_test_prints_the_window_line_at_the_paint_and_the_rest_after_start_up(qapp, qtbot, monkeypatch):
    window = QMainWindow()
    qtbot.addWidget(window)
    watcher = FirstPaint(window)
    out = io.StringIO()
    exits: list[int] = []
    monkeypatch.setattr(qapp, "exit", exits.append)
    self_test.attach_self_test(qapp, window, None, out=out, first_paint=watcher)
    at_ready: list[str] = []
    watcher.ready.connect(lambda: at_ready.append(out.getvalue()))  # the rest of start-up runs here
    window.show()
    qtbot.waitUntil(lambda: bool(exits))
    assert len(at_ready) == 1 and at_ready[0].count("\n") == 1
    assert at_ready[0] == self_test.shown_line(qapp, window) + "\n"
    lines = out.getvalue().splitlines()
    # window, font, Thai, icons, keyring, country, verdict
    assert lines[0] == at_ready[0].strip() and len(lines) == 7
    assert exits == [self_test.EXIT_FAILED]  # no Thai font was installed for this window


@pytest.mark.parametrize("module", ["govmail_desktop.services.launch", "govmail_desktop.mime.mailto"])
def test_reading_a_launch_request_does_not_load_the_message_parser(module):
    """A second launch (a mailto: link) reads its request and hands it over before any window:
    ``mime.mailto`` needs the address parser, not the message parser (``mime/__init__`` loads its
    names at first use)."""
    probe = (f"import sys, {module}\n"
             "from govmail_desktop.mime import parse_message\n"  # the package's names still work
             "print(sorted(m for m in sys.modules if m.startswith('govmail_desktop.mime.parse')))")
    alone = f"import sys, {module}; print('govmail_desktop.mime.parse' in sys.modules)"
    before = subprocess.run([sys.executable, "-c", alone], cwd=ROOT, capture_output=True, text=True, timeout=60)
    after = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (before.returncode, after.returncode) == (0, 0), before.stderr + after.stderr
    assert before.stdout.strip() == "False"
    assert after.stdout.strip() == "['govmail_desktop.mime.parse']"
