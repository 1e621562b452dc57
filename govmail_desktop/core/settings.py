"""User settings: one typed schema with defaults and descriptions.

Settings live in a JSON file (``AppPaths.settings_file``) and never hold a
secret. Values the machine policy locks are passed in as ``locked``: reading
them returns the policy's value and writing them is refused, so no user
setting can loosen the policy.

Structured data that is not a single value (the list of accounts) is kept in
named *sections*, validated by the module that owns them (``core/accounts.py``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from govmail_desktop.core.errors import ConfigError, StorageError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] | None = None
    #: For text: the whole value must match this regular expression.
    pattern: str | None = None

    def validate(self, value: Any) -> Any:
        if self.type is bool and not isinstance(value, bool):
            raise ValueError(f"{self.key}: expected true/false, got {value!r}")
        if self.type is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"{self.key}: expected an integer, got {value!r}")
        if self.type is str and not isinstance(value, str):
            raise ValueError(f"{self.key}: expected text, got {value!r}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"{self.key}: {value!r} is not one of {list(self.choices)}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise ValueError(f"{self.key}: {value[:80]!r} is not in the expected form")
        return value


SCHEMA: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("ui.language", str, "th", "Language of the user interface.", ("th", "en")),
        Setting("ui.thai_digits", bool, False, "Show numbers in dates with Thai digits."),
        Setting(
            "ui.window_geometry",
            str,
            "",
            "Size, place and maximised state of the main window as the user left it "
            "(Qt's saved geometry, base64); empty: chosen for the screen.",
            pattern=r"[A-Za-z0-9+/]{0,4096}={0,2}",
        ),
        Setting(
            "ui.pane_sizes",
            str,
            "",
            "Sizes in pixels of the folder pane, the message side, the message list and the "
            "preview pane, as 'folders,messages,list,preview'; empty: the defaults.",
            pattern=r"(\d{1,5}(,\d{1,5}){3})?",
        ),
        Setting(
            "mail.remote_content",
            str,
            "block",
            "Whether images and other content from the Internet load in messages.",
            ("block", "ask", "allow"),
        ),
        Setting("mail.preview_pane", bool, True, "Show the preview pane under the message list."),
        Setting("mail.threading", bool, False, "Group messages into conversations."),
        Setting("sync.idle", bool, True, "Watch the inbox for new mail (IMAP IDLE)."),
        Setting(
            "sync.check_minutes",
            int,
            10,
            "How often every folder is checked for changes, in minutes (0: only when asked).",
        ),
        Setting("notify.new_mail", bool, True, "Show a desktop notification for new mail."),
    )
}

SECTIONS = ("accounts",)


class Settings:
    """The user's settings file, with policy-locked keys applied on top."""

    def __init__(
        self,
        path: Path | None,
        locked: Mapping[str, Any] | None = None,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.locked: dict[str, Any] = dict(locked or {})
        #: Defaults set by the agency's policy (the user may still change them).
        self.defaults: dict[str, Any] = {k: v for k, v in (defaults or {}).items() if k in SCHEMA}
        self._values: dict[str, Any] = {}
        self._sections: dict[str, Any] = {}
        #: Problems found while loading (shown to the user, never fatal).
        self.problems: list[str] = []

    # -- loading and saving -------------------------------------------------
    @classmethod
    def load(
        cls,
        path: Path,
        locked: Mapping[str, Any] | None = None,
        defaults: Mapping[str, Any] | None = None,
    ) -> "Settings":
        settings = cls(path, locked, defaults)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return settings
        except OSError as exc:
            raise StorageError(detail=f"reading {path}: {exc}") from exc
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("top level is not an object")
        except ValueError as exc:
            # Keep the broken file for the user/IT staff; start from defaults.
            backup = path.with_name(path.name + ".broken")
            try:
                os.replace(path, backup)
            except OSError:
                pass
            settings.problems.append(f"{path}: {exc}; saved as {backup.name}")
            log.warning("Settings file %s unreadable (%s); kept as %s", path, exc, backup)
            return settings
        for key, value in data.get("settings", {}).items():
            spec = SCHEMA.get(key)
            if spec is None:
                settings.problems.append(f"unknown setting {key!r} ignored")
                continue
            try:
                settings._values[key] = spec.validate(value)
            except ValueError as exc:
                settings.problems.append(str(exc))
        for name in SECTIONS:
            if name in data:
                settings._sections[name] = data[name]
        return settings

    def save(self) -> None:
        if self.path is None:
            return
        data: dict[str, Any] = {"version": 1, "settings": dict(sorted(self._values.items()))}
        data.update(self._sections)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        atomic_write_text(self.path, text)

    # -- values -------------------------------------------------------------
    def get(self, key: str) -> Any:
        spec = SCHEMA[key]
        if key in self.locked:
            return self.locked[key]
        return self._values.get(key, self.defaults.get(key, spec.default))

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def set(self, key: str, value: Any) -> None:
        spec = SCHEMA.get(key)
        if spec is None:
            raise KeyError(key)
        if key in self.locked:
            raise ConfigError(
                QT_TRANSLATE_NOOP("Errors", "This setting is locked by the agency's policy."),
                detail=f"{key} is locked",
            )
        try:
            self._values[key] = spec.validate(value)
        except ValueError as exc:
            raise ConfigError(detail=str(exc)) from exc

    def section(self, name: str) -> Any:
        return self._sections.get(name)

    def set_section(self, name: str, value: Any) -> None:
        if name not in SECTIONS:
            raise KeyError(name)
        self._sections[name] = value


def atomic_write_text(path: Path, text: str) -> None:
    """Write a file so that a crash or a full disk never leaves it half-written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StorageError(detail=f"writing {path}: {exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StorageError(detail=f"writing {path}: {exc}") from exc
