"""``govmail --self-test`` (wiring/self_test.py): what installers and ``make test-deb`` run to
see that the installed app starts to its window with the Thai font and its icons."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from govmail_desktop import resources
from govmail_desktop.ui import fonts
from govmail_desktop.wiring import self_test

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui


def run_self_test(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "govmail_desktop", "--self-test", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=90,
    )


@pytest.mark.usefixtures("compiled_translations")
def test_self_test_shows_the_window_finds_sarabun_and_every_icon_in_thai(tmp_path):
    proc = run_self_test(tmp_path / "home", "--lang", "th")
    assert proc.returncode == self_test.EXIT_OK, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("ทดสอบตัวเอง: แสดงหน้าต่างหลักแล้ว") and "offscreen" in lines[0]
    assert lines[1] == "แบบอักษรของหน้าจอโปรแกรม: Sarabun"
    assert lines[2] == "ข้อความภาษาไทยแสดงด้วยแบบอักษร: Sarabun ตัวอักษรที่แสดงไม่ได้: 0"
    total = len(resources.icon_names())
    assert total > 0 and lines[3] == f"พบไอคอน {total} จาก {total}"
    assert lines[-1] == "ทดสอบตัวเองผ่าน"
    # No account: the setup wizard was not opened, and the run ended by itself.
    log_text = (tmp_path / "home" / "log" / "govmail.log").read_text(encoding="utf-8")
    assert "opening the setup wizard" not in log_text and "Main window shown" in log_text


def test_report_fails_without_the_thai_font_and_names_a_missing_icon(qapp, thai_app_font, monkeypatch):
    window = QMainWindow()
    family = thai_app_font
    lines, reasons = self_test.report(qapp, window, family)
    assert reasons == [] and lines[1].endswith(fonts.FAMILY)
    # Planted: the font was not registered, and an icon is listed that cannot be drawn.
    monkeypatch.setattr(resources, "icon_names", lambda: ["mail-reply", "no-such-icon"])
    lines, reasons = self_test.report(qapp, window, None)
    texts = [r.text("en") for r in reasons]
    assert texts == ["the bundled Thai font (Sarabun) was not found", "icons that cannot be drawn: no-such-icon"]
    assert lines[3].endswith("1 of 2") or lines[3].endswith("1 จาก 2")
