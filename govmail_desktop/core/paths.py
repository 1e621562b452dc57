"""Where the app keeps its files (platformdirs), with one override for tests and the demo.

``GOVMAIL_HOME=/some/dir`` puts config, data, cache and logs under that directory,
so tests and ``make demo`` never touch the user's real profile.

On Windows the settings roam with the user's profile: ``settings.json`` is in the roaming
AppData folder (``%APPDATA%\\govmail-desktop``), which a roaming profile or folder redirection
takes to the next PC. Everything else stays in the local one (``%LOCALAPPDATA%\\govmail-desktop``):
the mail cache, search index, offline queue and outbox, drafts and contacts (``data_dir``),
the opened-attachment copies (``cache_dir``), the logs and the single-instance lock — big,
rebuilt from the server, or tied to this PC. Only ``settings.json`` (and a ``.broken`` copy
of a damaged one) is ever written in ``config_dir``. Versions before this kept the settings
in the local folder too: :func:`migrate_settings` moves them on the first start. On Linux
and macOS roaming changes nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from govmail_desktop import APP_ID
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.fileops import move_without_replacing

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path
    #: Where an older version kept ``settings.json`` when that is not ``config_dir`` (Windows:
    #: the local AppData folder, before the settings roamed); None when nothing can be there.
    legacy_config_dir: Path | None = None

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE

    def current_settings_file(self) -> Path:
        """The settings file to read now: ``settings_file``, or an older version's file while
        it has not been moved (for readers that must not move it, e.g. ``govmail-admin doctor``)."""
        if self.legacy_config_dir is not None and not self.settings_file.exists():
            old = self.legacy_config_dir / SETTINGS_FILE
            if old.exists():
                return old
        return self.settings_file

    @property
    def log_file(self) -> Path:
        return self.log_dir / "govmail.log"

    @classmethod
    def default(
        cls,
        *,
        environ: Mapping[str, str] | None = None,
        dirs: Callable[..., Any] = platformdirs.PlatformDirs,
    ) -> AppPaths:
        """The user's folders; ``environ`` and ``dirs`` (a platformdirs class) are seams for tests."""
        home = (os.environ if environ is None else environ).get("GOVMAIL_HOME")
        if home:
            root = Path(home)
            return cls(root / "config", root / "data", root / "cache", root / "log")
        local = dirs(APP_ID, appauthor=False)
        # roaming=True for the settings only: platformdirs puts the logs under the data folder,
        # which must stay local (so must the cache, queue and drafts in it).
        config_dir = Path(dirs(APP_ID, appauthor=False, roaming=True).user_config_dir)
        old_config_dir = Path(local.user_config_dir)
        return cls(
            config_dir,
            Path(local.user_data_dir),
            Path(local.user_cache_dir),
            Path(local.user_log_dir),
            legacy_config_dir=None if old_config_dir == config_dir else old_config_dir,
        )

    def ensure(self) -> None:
        for d in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)



def migrate_settings(paths: AppPaths) -> Path:
    """Move an older version's ``settings.json`` into ``config_dir`` (Windows: from the local
    to the roaming AppData folder) and return the settings file to use.

    Only when the old file exists and no file is in the new place: a roaming file (the
    profile came from another PC) is never overwritten — the old one is then left where it
    is. The file is copied beside its new name and moved there in one step
    (:func:`core.fileops.move_without_replacing`: the roaming folder may be on another
    volume, redirected to a server); the old file is removed after. When that fails (the
    folder cannot be written, a file is held) the old file is used where it is for this
    start and the move is tried again on the next one. Call once per start, after the
    single-instance lock.
    """
    new = paths.settings_file
    if paths.legacy_config_dir is None:
        return new
    old = paths.legacy_config_dir / SETTINGS_FILE
    if not old.exists():
        return new
    if new.exists():
        log.info("Settings not moved: %s is there already; the older %s is left as it is", new, old)
        return new
    tmp: str | None = None
    try:
        data = old.read_bytes()
        new.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=SETTINGS_FILE + ".", suffix=".tmp", dir=new.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        move_without_replacing(tmp, new)
        tmp = None
    except FileExistsError:
        log.info("Settings not moved: %s appeared meanwhile; the older %s is left as it is", new, old)
        return new
    except (OSError, GovMailError) as exc:
        log.warning("Settings could not be moved from %s to %s (%s); using them where they are", old, new, exc)
        return old
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    log.info("Moved settings from %s to %s (they roam with the user's profile)", old, new)
    try:
        old.unlink()
    except OSError as exc:
        log.warning("The older settings file %s could not be removed: %s", old, exc)
    return new
