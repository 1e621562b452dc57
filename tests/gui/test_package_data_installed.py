"""An installed wheel finds its icons, translations and Thai font without the source tree.

The wheel is built from a copy of the package (so the work tree gets no build/ litter),
installed with ``pip install --target``, and imported in a child process whose ``sys.path``
is that target plus the virtualenv's site-packages (for PySide6 and fontpkg-sarabun), run
from another directory and without ``site`` (the editable install's path hook would
otherwise bring the source tree back).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.unit.test_package_data import ui_icon_names

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
sys.path[:] = sys.argv[1:3] + [p for p in sys.path if p.startswith(sys.base_prefix)]  # + the standard library
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
import govmail_desktop
from govmail_desktop import resources
from govmail_desktop.i18n import catalog
from govmail_desktop.ui import fonts, icons
from govmail_desktop.ui.qt_i18n import LanguageController

app = QApplication([])
names = json.loads(sys.argv[3])
JSON_SOURCE = "If this is your agency's internal server, your IT staff can list its address range in the policy."
language = LanguageController(app)
language.apply("th")
report = {
    "package": govmail_desktop.__file__,
    "icons_dir": str(resources.icons_dir()),
    "null_icons": [n for n in names if icons.icon(n).pixmap(32, 32).isNull()],
    "missing_qm": language.missing,
    "qt_text": QCoreApplication.translate("MainWindow", "&File"),
    "qt_own_text": QCoreApplication.translate("QPlatformTheme", "Cancel"),
    "json_text": catalog.translate("Policy", JSON_SOURCE),
    "font_files": [f.name for f in resources.font_files(fonts.STYLES)],
    "font_family": fonts.register_bundled_fonts(),
    "source_translations": str(resources.source_translations_dir()),
    "loaded_from": sorted({m.__file__.split("/govmail_desktop/")[0] for m in list(sys.modules.values())
                           if getattr(m, "__file__", None) and "/govmail_desktop/" in m.__file__}),
}
print(json.dumps(report, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, compiled_translations: Path) -> Path:
    """The package as pip installs it from a wheel built now (with the current .qm files)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT / "govmail_desktop", src / "govmail_desktop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # Offline: the test extra puts setuptools and wheel in the environment (tests stay on loopback).
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(base / "dist"), str(src)],
                   check=True, timeout=120)
    (wheel,) = (base / "dist").glob("govmail_desktop-*.whl")
    target = base / "site"
    subprocess.run([*pip, "install", "--no-deps", "--no-compile", "--target", str(target), str(wheel)],
                   check=True, timeout=120)
    return target


def test_the_installed_wheel_finds_icons_translations_and_font(installed, tmp_path):
    names = sorted(ui_icon_names())
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    proc = subprocess.run(
        [sys.executable, "-S", "-c", CHILD, str(installed), sysconfig.get_paths()["purelib"], json.dumps(names)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])

    assert report["loaded_from"] == [str(installed)]
    assert report["package"].startswith(str(installed))
    assert report["icons_dir"].startswith(str(installed))
    assert report["null_icons"] == []
    assert report["missing_qm"] == []
    assert report["qt_text"] == "ไฟล์(&F)"
    assert report["qt_own_text"] == "ยกเลิก"
    assert report["json_text"].startswith("หากเป็นเซิร์ฟเวอร์ภายในของหน่วยงาน")
    assert report["font_files"] == [f"Sarabun-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic",
                                                                         "Medium", "SemiBold")]
    assert report["font_family"] == "Sarabun"
    assert report["source_translations"] == "None"
