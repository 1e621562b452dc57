#!/usr/bin/env python3
"""Cold start on a big cache: a new app process to the first painted rows of its Inbox.

    python benchmarks/cold_start_rows.py --home DIR --settings FILE   (the child; sync_bench starts it)

``sync_bench.py`` calls :func:`prepare_profile` with the cache its full sync wrote (a copy is
put where the app looks for the account's cache, under a profile of its own) and then
:func:`cold_start_rows` ``runs`` times: each run starts ``.venv/bin/python`` on this file, which
runs the real app (``app.main``, as ``compose_open_bench.py`` does: offscreen, no sync, no
keyring, no system tray) and, once the main window's message list has painted rows of the cached
folder, prints ``rows N cpu S`` (S: its CPU seconds so far) and quits. The figure is the time
from starting the process to that line: the interpreter, the imports, the policy, the settings,
Qt, the main window, the cache opened and the first rows read and painted. The OS file cache is
warm (the cache file was just written): a fresh process, not a fresh boot, as in
``startup_bench.py``.

Bytecode: an installed app starts from compiled modules (the packages ship them), but a
development shell may set ``PYTHONDONTWRITEBYTECODE`` (this project's sandboxes do), and then
every start compiles some 300 modules again: 0.3-0.5 s of CPU that no user's start has. The
child therefore runs with its own bytecode cache under the profile (``PYTHONPYCACHEPREFIX``;
the source tree stays clean), written by one untimed start in :func:`prepare_profile`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

#: Longest wait for the rows (a process that never paints them is a failure, not a hang).
TIMEOUT_S = 120.0
ACCOUNT_ID = "bench1"


def prepare_profile(home: Path, cache_file: Path) -> Path:
    """A profile under ``home`` with one account whose cache is a copy of ``cache_file``;
    returns its settings file."""
    sys.path.insert(0, str(ROOT))
    from govmail_desktop.core.accounts import Account, AccountStore, ServerSettings
    from govmail_desktop.core.paths import AppPaths
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.store.cache import CACHE_FILE, account_dir

    settings_path = home / "bench-settings.json"
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    settings = Settings(settings_path)
    AccountStore(settings).add(Account(
        id=ACCOUNT_ID, address="alice@agency.go.th", display_name="อลิสา ศรีสุข", login="alice",
        imap=ServerSettings("mail.agency.go.th", 993, "tls"), smtp=ServerSettings("mail.agency.go.th", 465, "tls"),
    ))
    settings.save()
    target = account_dir(ACCOUNT_ID, AppPaths.default(environ={"GOVMAIL_HOME": str(home)})) / CACHE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache_file, target)
    cold_start_rows(home, settings_path)  # untimed: writes the bytecode cache (and migrates an older cache)
    return settings_path


def _child_environment(home: Path) -> dict[str, str]:
    """The app's environment: offscreen, this profile, and its bytecode cache (see the module's text)."""
    env = dict(os.environ, GOVMAIL_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHONPYCACHEPREFIX=str(home / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cold_start_rows(home: Path, settings_path: Path) -> tuple[float, float]:
    """Seconds from starting the app process to its first painted rows, and the CPU seconds
    the process had used by then (all its threads; less sensitive to a busy machine)."""
    env = _child_environment(home)
    command = [str(VENV_PYTHON), str(Path(__file__).resolve()), "--home", str(home), "--settings", str(settings_path)]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=env, cwd=ROOT) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - started
        rest = proc.stdout.read()
        code = proc.wait(TIMEOUT_S)
    if not line.startswith(b"rows ") or code != 0:
        raise RuntimeError(f"cold start: no rows painted (exit {code}): {(line + rest)[-400:]!r}")
    return elapsed, float(line.split()[3])


def child(settings_path: Path) -> int:
    """Runs the app; prints ``rows N`` after the message list painted rows, then quits."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEvent, QObject, QTimer

    from govmail_desktop.app import main
    from govmail_desktop.ui.tray import MailTray
    from govmail_desktop.wiring.context import AppContext, AppOverrides

    class RowsPainted(QObject):
        def __init__(self, ctx: AppContext) -> None:
            assert ctx.window is not None
            super().__init__(ctx.window)
            self.ctx, self.view, self.done = ctx, ctx.window.message_view, False
            self.view.viewport().installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
            assert self.ctx.window is not None
            model = self.view.model()
            if (not self.done and event.type() == QEvent.Type.Paint and model is not None
                    and model is not self.ctx.window.placeholder_message_model and model.rowCount() > 0):
                self.done = True
                QTimer.singleShot(0, lambda: self.report(model.rowCount()))  # once this paint is over
            return False

        def report(self, rows: int) -> None:
            print(f"rows {rows} cpu {time.process_time():.3f}", flush=True)
            self.view.viewport().removeEventFilter(self)
            self.ctx.app.quit()

    watchers: list[RowsPainted] = []

    def shown(ctx: AppContext) -> None:
        watchers.append(RowsPainted(ctx))
        QTimer.singleShot(int(TIMEOUT_S * 1000), ctx.app.quit)

    def tray(window: object, notifications_enabled: object) -> MailTray:
        return MailTray(window, notifications_enabled=notifications_enabled, use_system_tray=False)

    code = main([], AppOverrides(
        settings_path=settings_path, on_window_shown=shown, sync_factory=lambda *_: None,
        credential_store_factory=lambda: None, tray_factory=tray,
    ))
    return code if watchers and watchers[0].done else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--settings", type=Path, required=True)
    arguments = parser.parse_args()
    os.environ["GOVMAIL_HOME"] = str(arguments.home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(child(arguments.settings))
