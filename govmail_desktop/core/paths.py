"""Where the app keeps its files (platformdirs), with one override for tests and the demo.

``GOVMAIL_HOME=/some/dir`` puts config, data, cache and logs under that directory,
so tests and ``make demo`` never touch the user's real profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from govmail_desktop import APP_ID


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "govmail.log"

    @classmethod
    def default(cls) -> AppPaths:
        home = os.environ.get("GOVMAIL_HOME")
        if home:
            root = Path(home)
            return cls(root / "config", root / "data", root / "cache", root / "log")
        dirs = platformdirs.PlatformDirs(APP_ID, appauthor=False)
        return cls(
            Path(dirs.user_config_dir),
            Path(dirs.user_data_dir),
            Path(dirs.user_cache_dir),
            Path(dirs.user_log_dir),
        )

    def ensure(self) -> None:
        for d in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)

