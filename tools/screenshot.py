#!/usr/bin/env python3
"""Screenshot of the main window under Xvfb, with no Thai system font available.

    python tools/screenshot.py                       # -> docs/screenshot-main-window.png
    python tools/screenshot.py --output /tmp/x.png --lang en

It starts a private Xvfb, a private fontconfig that sees only DejaVu (no Thai
glyphs) and a throw-away GOVMAIL_HOME, runs the real app start-up
(``govmail_desktop.app.main``) on the X screen, grabs the window from the X
server, and prints a JSON report: which fonts drew the Thai texts and how many
glyphs were missing (boxes). So the picture proves the bundled font works.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "screenshot-main-window.png"
#: A Latin-only font family, so that the UI has letters but no Thai glyphs.
LATIN_ONLY_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def write_private_fontconfig(directory: Path) -> Path:
    """A fonts.conf that sees only a Latin-only font (or nothing at all)."""
    directory.mkdir(parents=True, exist_ok=True)
    fonts_dir = LATIN_ONLY_FONT_DIR if LATIN_ONLY_FONT_DIR.is_dir() else directory / "empty"
    fonts_dir.mkdir(exist_ok=True)
    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{fonts_dir}</dir>\n"
        f"  <cachedir>{directory / 'cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@contextmanager
def xvfb(width: int = 1280, height: int = 800) -> Iterator[str]:
    """A private X server; yields its DISPLAY value."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise FileNotFoundError("Xvfb is not installed (Debian package: xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit code {proc.poll()})")
        yield f":{number}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def take(output: Path, lang: str, timeout: float = 60.0) -> dict:
    """Run the app under a fresh Xvfb and no Thai fonts; save the window as PNG."""
    with tempfile.TemporaryDirectory(prefix="govmail-shot-") as tmp:
        tmp_path = Path(tmp)
        conf = write_private_fontconfig(tmp_path / "fontconfig")
        with xvfb() as display:
            env = dict(os.environ)
            env.update(
                DISPLAY=display,
                QT_QPA_PLATFORM="xcb",
                FONTCONFIG_FILE=str(conf),
                GOVMAIL_HOME=str(tmp_path / "home"),
                XDG_RUNTIME_DIR=str(tmp_path),
                # No session bus: otherwise libdbus "autolaunches" a dbus-launch
                # on the X screen that outlives the run.
                DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-session-bus'}",
            )
            env.pop("WAYLAND_DISPLAY", None)
            env.pop("XDG_CURRENT_DESKTOP", None)
            proc = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--child",
                 "--output", str(output), "--lang", lang],
                env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
            )
        if proc.returncode != 0:
            raise RuntimeError(f"screenshot child failed ({proc.returncode}):\n{proc.stderr}")
        report_line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
        return json.loads(report_line)


def _child(output: Path, lang: str) -> int:
    """Runs inside Xvfb: the real start-up, then grab and report."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFontDatabase

    from govmail_desktop.app import main
    from govmail_desktop.ui.fonts import rendering_fonts
    from govmail_desktop.wiring.context import AppContext, AppOverrides

    report: dict = {}

    def grab(ctx: AppContext) -> None:
        window = ctx.window
        window.folder_view.setCurrentIndex(window.folder_view.model().index(0, 0))
        pixmap = window.screen().grabWindow(window.winId())
        output.parent.mkdir(parents=True, exist_ok=True)
        if not pixmap.save(str(output), "PNG"):
            raise RuntimeError(f"could not write {output}")
        thai_texts = {
            "window_title": window.windowTitle(),
            "file_menu": window.file_menu.title(),
            "inbox": window.folder_view.model().index(0, 0).data(),
            "compose": window.compose_action.text(),
        }
        report.update(
            output=str(output),
            size=[pixmap.width(), pixmap.height()],
            platform=ctx.app.platformName(),
            font_family=ctx.font_family,
            thai_system_families=[
                f for f in QFontDatabase.families(QFontDatabase.WritingSystem.Thai) if f != ctx.font_family
            ],
            texts=thai_texts,
            rendering={k: rendering_fonts(window.font(), v) for k, v in thai_texts.items()},
        )
        ctx.app.quit()

    def shown(ctx: AppContext) -> None:
        QTimer.singleShot(1500, lambda: grab(ctx))  # let the X server map and paint

    code = main(["--lang", lang], AppOverrides(on_window_shown=shown))
    print(json.dumps(report, ensure_ascii=False))
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--lang", choices=("th", "en"), default="th")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.output, args.lang)
    report = take(args.output, args.lang)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
