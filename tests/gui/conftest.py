"""Fixtures for GUI tests: compiled translations and a fully wired main window."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govmail_desktop import resources
from govmail_desktop.core.settings import Settings
from govmail_desktop.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]

#: The offscreen platform plugin warns whenever a shown window's size limits
#: change, and when a window is raised (a new composer is); it is the test
#: platform talking, not the app.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


XVFB_MISSING = (
    "Xvfb is not installed: the tests that need a real X screen cannot run. `make test` installs it "
    "(Debian package xvfb, via tools/install-system-deps.sh test); a missing one is a set-up bug, "
    "not a reason to skip."
)


def require_xvfb(which: Any = shutil.which) -> str:
    """The Xvfb program; fails the calling test (never skips) when it is missing, as a
    missing Secret Service does."""
    found = which("Xvfb")
    if found is None:
        pytest.fail(XVFB_MISSING, pytrace=False)
    return found


@pytest.fixture(scope="session")
def xvfb_binary() -> str:
    """Xvfb for the tests marked ``xvfb`` (a real X screen)."""
    return require_xvfb()


@pytest.fixture(scope="session")
def compiled_translations() -> Path:
    """The .qm files, built from translations/*.ts when missing or older (as `make` does)."""
    out = Path(str(resources.translations_dir()))  # the checkout's package data
    stale = [
        ts for ts in (ROOT / "translations").glob("*.ts")
        if not (qm := out / f"{ts.stem}.qm").is_file() or qm.stat().st_mtime < ts.stat().st_mtime
    ]
    if stale:
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_translations.py")], check=True)
        catalog.reload_catalogs()
    return out


@pytest.fixture
def thai_app_font(qapp) -> Iterator[str | None]:
    """The bundled Thai font made the application font (as the app starts), the previous font
    put back afterwards: the tests after it lay out with the font they always had."""
    from govmail_desktop.ui.fonts import install_thai_font

    before = qapp.font()
    try:
        yield install_thai_font(qapp)
    finally:
        qapp.setFont(before)


@pytest.fixture
def language_controller(qapp, compiled_translations) -> Iterator[Any]:
    """Installs the app's translators on the shared QApplication; removes them after."""
    from govmail_desktop.ui.qt_i18n import LanguageController

    controller = LanguageController(qapp, compiled_translations)
    yield controller
    controller.uninstall()
    controller.deleteLater()
    catalog.set_language(catalog.DEFAULT_LANGUAGE)


@dataclass
class WindowUnderTest:
    window: Any
    settings: Settings
    language: Any
    bridge: Any


@pytest.fixture
def make_main_window(qtbot, tmp_path, language_controller):
    """Build the main window as the app does (no event loop); returns a factory."""
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.wiring.window import build_main_window

    def make(settings: Settings | None = None, lang: str | None = None, **kwargs: Any) -> WindowUnderTest:
        settings = settings or Settings(tmp_path / "settings.json")
        language_controller.apply(lang or settings.get("ui.language"))
        bridge = MessageBridge()
        window = build_main_window(settings, language_controller, bridge, **kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return WindowUnderTest(window, settings, language_controller, bridge)

    return make
