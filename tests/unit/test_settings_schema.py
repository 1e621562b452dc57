"""Settings are read through typed accessors made from the one schema (core/settings.py).

``settings.sync_check_minutes`` is the schema's ``sync.check_minutes`` under the
policy's lock and defaults; no code outside the schema names a setting by its
key string (a guard, proven on planted samples).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from govmail_desktop.core.errors import ConfigError
from govmail_desktop.core.settings import SCHEMA, Setting, Settings, SettingsSchema, schema_of

PACKAGE = Path(__file__).resolve().parents[2] / "govmail_desktop"
#: The one module that may spell the keys: the schema itself.
SCHEMA_MODULE = PACKAGE / "core" / "settings.py"


def test_every_setting_has_its_typed_accessor_named_after_its_key():
    assert SCHEMA, "empty schema"
    for key, setting in SCHEMA.items():
        assert getattr(Settings, key.replace(".", "_")) is setting


def test_the_accessor_reads_the_lock_then_the_users_value_then_the_agencys_default(tmp_path):
    settings = Settings(
        tmp_path / "settings.json",
        locked={"notify.new_mail": False},
        defaults={"sync.check_minutes": 30, "mail.remote_content": "ask"},
    )
    assert settings.sync_check_minutes == 30  # the agency's default
    settings.set(Settings.sync_check_minutes, 5)
    assert settings.sync_check_minutes == 5  # the user's own value
    assert settings.notify_new_mail is False  # locked by the policy
    assert settings.mail_threading is False  # the schema's default
    with pytest.raises(ConfigError) as refused:
        settings.set(Settings.notify_new_mail, True)
    assert refused.value.detail == "notify.new_mail is locked"
    settings.save()
    again = Settings.load(tmp_path / "settings.json")
    assert again.sync_check_minutes == 5 and again.mail_remote_content == "block"


def test_an_accessor_cannot_be_assigned_so_a_write_is_never_silently_lost(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    accessor = "mail_threading"
    with pytest.raises(AttributeError, match="Settings.set"):
        setattr(settings, accessor, True)
    assert settings.mail_threading is False


def test_a_declaration_not_named_after_its_key_is_refused():
    class Misnamed:
        check_every = Setting("sync.check_minutes", int, 10, "planted: wrong attribute name")

    with pytest.raises(TypeError, match="sync_check_minutes"):
        schema_of(Misnamed)
    assert schema_of(SettingsSchema) == SCHEMA


# -- no setting read by its key string outside the schema ---------------------------------


def key_strings(source: str) -> list[tuple[int, str]]:
    """(line, key) of every string constant that is a setting's key."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in SCHEMA
    ]


def test_no_module_names_a_setting_by_its_key_string():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == SCHEMA_MODULE:
            continue
        found.extend(f"{path.relative_to(PACKAGE)}:{line}: {key}" for line, key in key_strings(path.read_text("utf-8")))
    assert found == []


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        ('minutes = settings.get("sync.check_minutes")\n', [(1, "sync.check_minutes")]),
        ('def get(key):\n    return key\nthreaded = get("mail.threading") or False\n', [(3, "mail.threading")]),
        ('KEYS = ("ui.pane_sizes",)\n', [(1, "ui.pane_sizes")]),
        ("minutes = settings.sync_check_minutes\n", []),
    ],
)
def test_the_key_string_guard_reports_a_planted_read(planted, expected):
    assert key_strings(planted) == expected
