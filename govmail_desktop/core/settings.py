"""User settings: one typed schema with defaults and descriptions.

Settings live in a JSON file (``AppPaths.settings_file``) and never hold a
secret. Values the machine policy locks are passed in as ``locked``: reading
them returns the policy's value and writing them is refused, so no user
setting can loosen the policy.

Every setting is declared once, in :class:`SettingsSchema`; each declaration is
also the setting's typed accessor: ``settings.sync_check_minutes`` is an ``int``
read under the policy's lock and defaults (the attribute is the key with its dot
made an underscore). Code reads settings that way, never by a key string, so a
misspelt or removed setting is an ``AttributeError`` at once (and a mypy error),
not a value silently missing. Code that walks every setting (the policy's
lockable settings, loading the file) uses :data:`SCHEMA`, made from the same
declarations.

Structured data that is not a single value (the list of accounts) is kept in
named *sections*, validated by the module that owns them (``core/accounts.py``).
"""

from __future__ import annotations

import builtins
import json
import logging
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast, overload

from govmail_desktop.core.errors import ConfigError, StorageError
from govmail_desktop.core.fileops import FileInUseError, replace_with_retry
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting of the schema, and its typed accessor on :class:`Settings`.

    As a class attribute of :class:`SettingsSchema` it is a descriptor:
    ``settings.<name>`` reads the value (a ``T``), ``Settings.<name>`` is the
    declaration itself (for :meth:`Settings.set` and :meth:`Settings.is_locked`).
    """

    key: str
    type: type[T]
    default: T
    description: str
    choices: tuple[T, ...] | None = None
    #: For text: the whole value must match this regular expression.
    pattern: str | None = None
    #: For whole numbers: the smallest and largest value allowed.
    bounds: tuple[int, int] | None = None
    #: The description in Thai (the policy reference and the Group Policy templates show it).
    description_th: str = ""

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
        if self.bounds is not None and not self.bounds[0] <= value <= self.bounds[1]:
            raise ValueError(f"{self.key}: {value!r} is not between {self.bounds[0]} and {self.bounds[1]}")
        return value

    @property
    def attribute(self) -> str:
        """The accessor's name: the key with its dots made underscores."""
        return self.key.replace(".", "_")

    @overload
    def __get__(self, obj: None, owner: builtins.type | None = None) -> Setting[T]: ...

    @overload
    def __get__(self, obj: Settings, owner: builtins.type | None = None) -> T: ...

    def __get__(self, obj: Settings | None, owner: builtins.type | None = None) -> T | Setting[T]:
        if obj is None:
            return self
        return obj.value(self)

    def __set__(self, obj: Settings, value: T) -> None:
        # Writing is explicit (it can be refused: locked, invalid) and followed by save().
        raise AttributeError(f"{self.key}: change it with Settings.set(), then save()")


class SettingsSchema:
    """Every user setting, declared once: key, type, default, description, allowed values.

    Each entry is the typed accessor of :class:`Settings` named after its key
    (``sync.check_minutes`` → ``sync_check_minutes``); :data:`SCHEMA` is made from
    these declarations.
    """

    ui_language = Setting(
        "ui.language", str, "th", "Language of the user interface.", ("th", "en"),
        description_th="ภาษาของหน้าจอโปรแกรม",
    )
    ui_thai_digits = Setting(
        "ui.thai_digits", bool, False, "Show numbers in dates with Thai digits.",
        description_th="แสดงตัวเลขในวันที่เป็นเลขไทย",
    )
    ui_window_geometry = Setting(
        "ui.window_geometry",
        str,
        "",
        "Size, place and maximised state of the main window as the user left it "
        "(Qt's saved geometry, base64); empty: chosen for the screen.",
        pattern=r"[A-Za-z0-9+/]{0,4096}={0,2}",
        description_th="ขนาด ตำแหน่ง และสถานะขยายเต็มจอของหน้าต่างหลักตามที่ผู้ใช้ปิดไว้ "
        "(ค่าที่ Qt บันทึกไว้ แบบ base64) ว่างไว้: เลือกตามหน้าจอ",
    )
    ui_pane_sizes = Setting(
        "ui.pane_sizes",
        str,
        "",
        "Sizes in pixels of the folder pane, the message side, the message list and the "
        "preview pane, as 'folders,messages,list,preview'; empty: the defaults.",
        pattern=r"(\d{1,5}(,\d{1,5}){3})?",
        description_th="ขนาดเป็นพิกเซลของบานโฟลเดอร์ ฝั่งจดหมาย รายการจดหมาย และบานแสดงตัวอย่าง "
        "ในรูปแบบ 'folders,messages,list,preview' ว่างไว้: ค่าเริ่มต้น",
    )
    mail_remote_content = Setting(
        "mail.remote_content",
        str,
        "block",
        "Whether images and other content from the Internet load in messages.",
        ("block", "ask", "allow"),
        description_th="โหลดรูปภาพและเนื้อหาอื่นจากอินเทอร์เน็ตในจดหมายหรือไม่",
    )
    mail_prefer_plain_text = Setting(
        "mail.prefer_plain_text", bool, False,
        "Show messages as plain text even when they have a formatted (HTML) version.",
        description_th="แสดงจดหมายเป็นข้อความธรรมดา แม้มีแบบจัดรูปแบบ (HTML)",
    )
    mail_preview_pane = Setting(
        "mail.preview_pane", bool, True, "Show the preview pane under the message list.",
        description_th="แสดงบานแสดงตัวอย่างใต้รายการจดหมาย",
    )
    mail_threading = Setting(
        "mail.threading", bool, False, "Group messages into conversations.",
        description_th="จัดกลุ่มจดหมายตามการสนทนา",
    )
    sync_idle = Setting(
        "sync.idle", bool, True, "Watch the inbox for new mail (IMAP IDLE).",
        description_th="เฝ้าดูจดหมายใหม่ในกล่องจดหมายเข้า (IMAP IDLE)",
    )
    sync_check_minutes = Setting(
        "sync.check_minutes",
        int,
        10,
        "How often every folder is checked for changes, in minutes (0: only when asked).",
        description_th="ความถี่ในการตรวจการเปลี่ยนแปลงของทุกโฟลเดอร์ หน่วยนาที (0: เฉพาะเมื่อสั่ง)",
    )
    search_download_days = Setting(
        "search.download_days", int, 30,
        "Download the text of the messages of the last N days of every folder (not Junk or "
        "Trash) in the background, so that search finds them offline; 0: off. The policy's "
        "search.max_download_days caps it.",
        bounds=(0, 3650),
        description_th="ดาวน์โหลดเนื้อความของจดหมาย N วันล่าสุดในทุกโฟลเดอร์ (ยกเว้นจดหมายขยะและถังขยะ) "
        "ไว้ค้นหาแบบออฟไลน์ (0: ปิด)",
    )
    notify_new_mail = Setting(
        "notify.new_mail", bool, True, "Show a desktop notification for new mail.",
        description_th="แสดงการแจ้งเตือนบนเดสก์ท็อปเมื่อมีจดหมายใหม่",
    )
    compose_rich_text = Setting(
        "compose.rich_text", bool, True,
        "Write new messages with formatting (bold, lists, links); off: plain text.",
        description_th="เขียนจดหมายใหม่แบบจัดรูปแบบ (ตัวหนา รายการ ลิงก์) ถ้าปิดจะเป็นข้อความธรรมดา",
    )
    compose_autosave_seconds = Setting(
        "compose.autosave_seconds", int, 5,
        "How often a message being written is saved on this computer, in seconds.",
        (2, 3, 5, 10, 15, 30),
        description_th="ความถี่ในการบันทึกจดหมายที่กำลังเขียนลงในเครื่องนี้ หน่วยวินาที",
    )


def schema_of(declarations: type) -> dict[str, Setting[Any]]:
    """{key: setting} of a schema class; each accessor must be named after its key."""
    found: dict[str, Setting[Any]] = {}
    for name, value in vars(declarations).items():
        if not isinstance(value, Setting):
            continue
        if name != value.attribute:
            raise TypeError(f"setting {value.key!r} must be declared as {value.attribute!r}, not {name!r}")
        found[value.key] = value
    return found


SCHEMA: dict[str, Setting[Any]] = schema_of(SettingsSchema)

SECTIONS = ("accounts", "composer", "saved_searches")


class Settings(SettingsSchema):
    """The user's settings file, with policy-locked keys applied on top.

    Read a setting through its typed accessor (``settings.mail_threading``);
    change one with ``settings.set(Settings.mail_threading, True)`` then ``save()``.
    """

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
    ) -> Settings:
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
                replace_with_retry(path, backup)
            except (OSError, FileInUseError):
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
    def value(self, setting: Setting[T]) -> T:
        """The value in force: the policy's lock, else the user's, the agency's default,
        the schema's default (what the typed accessors return)."""
        key = setting.key
        if key in self.locked:  # validated against this schema by the policy's loader
            return cast(T, self.locked[key])
        return cast(T, self._values.get(key, self.defaults.get(key, setting.default)))

    def get(self, key: str) -> Any:
        """The value of a setting named by its key (for code that walks the schema;
        everything else reads the typed accessor)."""
        return self.value(SCHEMA[key])

    def is_locked(self, key: str | Setting[Any]) -> bool:
        return (key.key if isinstance(key, Setting) else key) in self.locked

    def set(self, key: str | Setting[Any], value: Any) -> None:
        if isinstance(key, Setting):
            key = key.key
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
        replace_with_retry(tmp, path)
    except (OSError, FileInUseError) as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, FileInUseError):
            raise
        raise StorageError(detail=f"writing {path}: {exc}") from exc
