"""Help → About shows the version and where the machine policy came from (the same words as
``govmail-admin policy show``), and says updates come through IT, not the program itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from govmail_desktop import __version__
from govmail_desktop.policy.sources import load_policy_file

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = ROOT / "tests" / "data" / "policy" / "test-loopback.json"


def open_about(window, qtbot) -> QMessageBox:
    window.about_action.trigger()  # QMessageBox.open(): window-modal, does not block
    # A box closed before is deleted later (WA_DeleteOnClose): the open one is the visible one.
    (box,) = [b for b in window.findChildren(QMessageBox, "aboutBox") if b.isVisible()]
    qtbot.waitExposed(box)
    return box


def close(box: QMessageBox, qtbot) -> None:
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not box.isVisible())


def test_about_names_the_version_and_the_policy_file_in_thai_and_english(make_main_window, qtbot):
    under = make_main_window(lang="th")
    eff = load_policy_file(LOOPBACK)
    under.window.set_policy_origin(eff.origins(), ok=eff.ok)

    box = open_about(under.window, qtbot)
    text = box.text()
    assert f"เวอร์ชัน {__version__}" in text
    assert f"ที่มาของนโยบาย: {LOOPBACK}, ค่าเริ่มต้นของโปรแกรม" in text
    assert "เจ้าหน้าที่ไอที" in text  # updates come through IT
    assert "ไม่ถูกต้อง" not in text
    close(box, qtbot)

    under.language.apply("en")
    box = open_about(under.window, qtbot)
    assert f"Version {__version__}" in box.text()
    assert f"Policy source: {LOOPBACK}, built-in default" in box.text()
    close(box, qtbot)


def test_about_says_a_broken_policy_connects_nowhere(make_main_window, qtbot, tmp_path):
    bad = tmp_path / "a<b>&policy.json"
    bad.write_text('{"schema_version": 1, "servers": {"allow": "mail.go.th"}}', encoding="utf-8")
    eff = load_policy_file(bad)
    under = make_main_window(lang="th")
    under.window.set_policy_origin(eff.origins(), ok=eff.ok)

    box = open_about(under.window, qtbot)
    assert str(bad) in box.text().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert "<b>&policy" not in box.text()  # the path is text, not markup
    assert "นโยบายไม่ถูกต้อง" in box.text()
    close(box, qtbot)


_APP_PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from govmail_desktop.app import main
from govmail_desktop.policy.sources import load_policy_file
from govmail_desktop.wiring.context import AppOverrides

def shown(ctx):
    ctx.window.about_action.trigger()
    box = ctx.window.findChild(QMessageBox, "aboutBox")
    print(json.dumps({"about": box.text()}, ensure_ascii=False), flush=True)
    QTimer.singleShot(0, ctx.app.quit)

sys.exit(main(["--lang", "en"], AppOverrides(policy=load_policy_file(Path(sys.argv[1])), on_window_shown=shown,
                                             setup_wizard_launcher=lambda parent: None)))
"""


@pytest.mark.usefixtures("compiled_translations")
def test_the_app_gives_the_about_box_its_policy(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", _APP_PROBE, str(LOOPBACK)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    about = json.loads(proc.stdout.strip().splitlines()[-1])["about"]
    assert f"Policy source: {LOOPBACK}, built-in default" in about
