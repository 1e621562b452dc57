"""Thai renders with the bundled Sarabun font even where no Thai font is installed.

The font environment is a private fontconfig that sees only DejaVu (Latin,
Greek, Cyrillic… no Thai). The same check is run without registering the
bundled font, to show the environment really lacks Thai glyphs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import screenshot  # noqa: E402  (tools/screenshot.py: the reproducible screenshot)

pytestmark = pytest.mark.linux_only  # a private fontconfig

THAI = re.compile("[\u0e00-\u0e7f]")


def run_probe(mode: str, fontconfig_dir: Path) -> dict:
    conf = screenshot.write_private_fontconfig(fontconfig_dir)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FONTCONFIG_FILE=str(conf))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.gui.font_probe", mode],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.usefixtures("compiled_translations")
def test_bundled_font_draws_thai_without_thai_system_fonts(tmp_path):
    with_font = run_probe("register", tmp_path / "fc")

    assert with_font["thai_system_fonts"] == []  # the environment has no Thai font
    assert with_font["registered"] == "Sarabun" and with_font["app_font"] == "Sarabun"
    for name, label in with_font["labels"].items():
        assert THAI.search(label["text"]), name
        families, missing = label["fonts_and_missing"]
        assert missing == 0, f"{name}: {missing} glyphs drawn as boxes"
        assert families == ["Sarabun"], name


@pytest.mark.usefixtures("compiled_translations")
def test_without_the_bundled_font_the_same_labels_are_boxes(tmp_path):
    without = run_probe("no-register", tmp_path / "fc")

    assert without["thai_system_fonts"] == []
    for name, label in without["labels"].items():
        assert THAI.search(label["text"]), name
        families, missing = label["fonts_and_missing"]
        assert "Sarabun" not in families
        assert missing > 0, f"{name}: expected boxes without a Thai font"


@pytest.mark.xvfb
@pytest.mark.usefixtures("compiled_translations", "xvfb_binary")
def test_screenshot_under_xvfb_shows_rendered_thai(tmp_path, qapp):
    output = tmp_path / "main-window.png"
    report = screenshot.take(output, "th")

    assert report["platform"] == "xcb"
    assert [f for f in report["thai_system_families"] if not f.startswith("Sarabun")] == []
    assert report["texts"]["inbox"] == "กล่องจดหมายเข้า"
    for name, (families, missing) in report["rendering"].items():
        assert missing == 0 and families == ["Sarabun"], name
    image = QImage(str(output))
    assert (image.width(), image.height()) == tuple(report["size"])
    assert image.width() >= 800 and image.height() >= 500
    # A real picture, not a blank or black frame.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20
