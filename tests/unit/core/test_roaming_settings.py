"""Settings roam with the user's Windows profile (issue 15 item 3).

``settings.json`` belongs in the roaming AppData folder (``%APPDATA%\\govmail``), which a
roaming profile or folder redirection carries to the next PC; the mail cache, the offline
queue and outbox, drafts, the search index, the single-instance lock and the logs stay in
the local one (``%LOCALAPPDATA%\\govmail``): big, rebuilt from the server, or tied to this
PC. Before, every folder was local. A settings file left there by an older version moves
to the roaming folder on the first start (never over a roaming file already there).

Windows is simulated: platformdirs' own Windows class with its folder lookup replaced, or
a platformdirs-like stand-in; no real Windows needed.
"""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs.unix
import platformdirs.windows
import pytest

from govmail_desktop import APP_ID
from govmail_desktop.core import fileops
from govmail_desktop.core import paths as paths_module
from govmail_desktop.core.paths import AppPaths, migrate_settings


@pytest.fixture
def windows_dirs(tmp_path, monkeypatch):
    """platformdirs' Windows class, its known folders under ``tmp_path``."""
    folders = {
        "CSIDL_APPDATA": tmp_path / "Users" / "somchai" / "AppData" / "Roaming",
        "CSIDL_LOCAL_APPDATA": tmp_path / "Users" / "somchai" / "AppData" / "Local",
    }
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: str(folders[csidl]))
    return platformdirs.windows.Windows, folders["CSIDL_APPDATA"], folders["CSIDL_LOCAL_APPDATA"]


def test_windows_settings_roam_and_everything_else_stays_local(windows_dirs):
    dirs, roaming, local = windows_dirs
    paths = AppPaths.default(environ={}, dirs=dirs)
    assert paths.config_dir == roaming / APP_ID
    assert paths.settings_file == roaming / APP_ID / "settings.json"
    for kept_here in (paths.data_dir, paths.cache_dir, paths.log_dir, paths.log_file):
        assert kept_here.is_relative_to(local), kept_here
    # where older versions kept settings.json (the local data folder): read once, to move it
    assert paths.legacy_config_dir == local / APP_ID


def test_what_the_app_keeps_beside_the_settings_does_not_roam(windows_dirs):
    """Everything but the settings lives under the local folders: the cache, the offline queue,
    the outbox, drafts, the search index, contacts, the instance lock and the logs."""
    from govmail_desktop.store.cache import account_dir
    from govmail_desktop.store.contacts import ContactStore
    from govmail_desktop.store.drafts import DraftStore

    dirs, roaming, local = windows_dirs
    paths = AppPaths.default(environ={}, dirs=dirs)
    account = account_dir("acct-1", paths)  # cache.sqlite3, ops.sqlite3, outbox/, search.sqlite3
    assert account.is_relative_to(local)
    assert DraftStore.default(paths).root.is_relative_to(local)
    assert ContactStore.in_data_dir(paths.data_dir).path.is_relative_to(local)
    roaming_users = {field for field in ("config_dir", "data_dir", "cache_dir", "log_dir")
                     if getattr(paths, field).is_relative_to(roaming)}
    assert roaming_users == {"config_dir"}


def test_single_instance_lock_is_local(windows_dirs):
    pytest.importorskip("PySide6")
    from govmail_desktop.services.single_instance import InstanceGuard

    dirs, _roaming, local = windows_dirs
    guard = InstanceGuard(AppPaths.default(environ={}, dirs=dirs), name="govmail-test-roaming")
    assert Path(guard.lock_path).is_relative_to(local)


def test_linux_and_macos_are_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    paths = AppPaths.default(environ={}, dirs=platformdirs.unix.Unix)
    assert paths.config_dir == tmp_path / "cfg" / APP_ID
    assert paths.data_dir == tmp_path / "share" / APP_ID
    assert paths.legacy_config_dir is None  # nothing to move


def test_govmail_home_keeps_everything_under_it(tmp_path, windows_dirs):
    dirs, _roaming, _local = windows_dirs
    paths = AppPaths.default(environ={"GOVMAIL_HOME": str(tmp_path / "home")}, dirs=dirs)
    assert paths.config_dir == tmp_path / "home" / "config"
    assert paths.legacy_config_dir is None


# --- moving an older version's settings ----------------------------------------------------


SETTINGS = '{"settings": {"ui.language": "th"}, "accounts": [{"name": "สมชาย"}]}'


@pytest.fixture
def upgraded(windows_dirs):
    """An older version's profile: settings.json in the local folder, nothing roaming yet."""
    dirs, _roaming, _local = windows_dirs
    paths = AppPaths.default(environ={}, dirs=dirs)
    assert paths.legacy_config_dir is not None
    paths.legacy_config_dir.mkdir(parents=True)
    (paths.legacy_config_dir / "settings.json").write_text(SETTINGS, encoding="utf-8")
    return paths


def test_first_start_moves_the_settings_to_the_roaming_folder(upgraded, caplog):
    caplog.set_level(logging.INFO, logger=paths_module.__name__)
    assert migrate_settings(upgraded) == upgraded.settings_file
    assert upgraded.settings_file.read_text(encoding="utf-8") == SETTINGS
    assert upgraded.legacy_config_dir is not None
    assert not (upgraded.legacy_config_dir / "settings.json").exists()
    assert sorted(p.name for p in upgraded.config_dir.iterdir()) == ["settings.json"]  # no temporary
    assert any("Moved settings" in r.getMessage() and str(upgraded.settings_file) in r.getMessage()
               for r in caplog.records)
    # the next start has nothing to do
    assert migrate_settings(upgraded) == upgraded.settings_file
    assert upgraded.settings_file.read_text(encoding="utf-8") == SETTINGS


def test_a_roaming_settings_file_is_never_overwritten(upgraded, caplog):
    """This PC's old local file meets the profile's roaming one (set up on another PC): the
    roaming one wins and the local one is left where it was, for IT to look at."""
    caplog.set_level(logging.INFO, logger=paths_module.__name__)
    upgraded.config_dir.mkdir(parents=True)
    upgraded.settings_file.write_text('{"settings": {}}', encoding="utf-8")
    assert migrate_settings(upgraded) == upgraded.settings_file
    assert upgraded.settings_file.read_text(encoding="utf-8") == '{"settings": {}}'
    assert upgraded.legacy_config_dir is not None
    assert (upgraded.legacy_config_dir / "settings.json").read_text(encoding="utf-8") == SETTINGS
    assert any("not moved" in r.getMessage() for r in caplog.records)


def test_a_roaming_file_appearing_during_the_move_is_kept(upgraded, monkeypatch):
    """The roaming profile arrives between the look and the move: the move refuses."""
    real = fileops.move_without_replacing

    def profile_arrives(src: fileops.StrPath, dst: fileops.StrPath) -> None:
        Path(dst).write_text('{"from": "roaming"}', encoding="utf-8")
        real(src, dst)

    monkeypatch.setattr(paths_module, "move_without_replacing", profile_arrives)
    assert migrate_settings(upgraded) == upgraded.settings_file
    assert upgraded.settings_file.read_text(encoding="utf-8") == '{"from": "roaming"}'
    assert upgraded.legacy_config_dir is not None
    assert (upgraded.legacy_config_dir / "settings.json").read_text(encoding="utf-8") == SETTINGS
    assert sorted(p.name for p in upgraded.config_dir.iterdir()) == ["settings.json"]


def test_a_failed_move_keeps_using_the_local_file(upgraded, monkeypatch, caplog):
    """The roaming folder cannot be written (a redirected folder offline, a held file): this
    start reads the old file where it is, nothing is lost, the next start tries again."""
    caplog.set_level(logging.WARNING, logger=paths_module.__name__)

    def held(src: fileops.StrPath, dst: fileops.StrPath) -> None:
        raise fileops.FileInUseError(path=str(dst), detail="winerror 32")

    monkeypatch.setattr(paths_module, "move_without_replacing", held)
    assert upgraded.legacy_config_dir is not None
    old = upgraded.legacy_config_dir / "settings.json"
    assert migrate_settings(upgraded) == old
    assert old.read_text(encoding="utf-8") == SETTINGS
    assert not upgraded.settings_file.exists()
    assert [p.name for p in upgraded.config_dir.iterdir()] == []  # no temporary left
    assert any("could not be moved" in r.getMessage() for r in caplog.records)
    assert upgraded.current_settings_file() == old  # what govmail-admin doctor reads meanwhile


def test_nothing_to_move(windows_dirs):
    dirs, _roaming, _local = windows_dirs
    paths = AppPaths.default(environ={}, dirs=dirs)
    assert migrate_settings(paths) == paths.settings_file
    assert not paths.config_dir.exists() or list(paths.config_dir.iterdir()) == []


def test_move_without_replacing_refuses_an_existing_target(tmp_path):
    src, dst = tmp_path / "new", tmp_path / "settings.json"
    src.write_text("new")
    dst.write_text("old")
    with pytest.raises(FileExistsError):
        fileops.move_without_replacing(src, dst)
    assert src.read_text() == "new" and dst.read_text() == "old"
    other = tmp_path / "other.json"
    fileops.move_without_replacing(src, other)
    assert other.read_text() == "new" and not src.exists()


def test_the_admin_guide_names_the_folders_and_files_the_code_uses():
    """docs/admin.md 12f / 12ฉ (roaming profiles and VDI), in both languages."""
    from govmail_desktop.store.contacts import CONTACTS_FILE
    from govmail_desktop.store.remote_senders import FILE_NAME as SENDERS_FILE

    guide = (Path(__file__).resolve().parents[3] / "docs" / "admin.md").read_text(encoding="utf-8")
    for heading in ("#### 12f. Windows: roaming profiles", "#### 12ฉ. Windows: โปรไฟล์แบบโรมมิ่ง"):
        start = guide.index(heading)
        section = guide[start:guide.index("\n### ", start)]
        for named in (f"%APPDATA%\\{APP_ID}\\settings.json", f"%LOCALAPPDATA%\\{APP_ID}\\accounts",
                      f"%LOCALAPPDATA%\\{APP_ID}\\drafts", CONTACTS_FILE, SENDERS_FILE):
            assert named in section, (heading, named)


def test_the_app_moves_the_settings_before_reading_them(upgraded, monkeypatch):
    """app._run: the settings read at start are the moved, roaming file."""
    pytest.importorskip("PySide6")
    import argparse

    from govmail_desktop import app
    from govmail_desktop.wiring.context import AppOverrides

    class Stop(Exception):
        pass

    read: list[Path] = []

    def load_settings(path: Path, policy: object = None) -> None:
        read.append(path)
        raise Stop

    from govmail_desktop.policy.defaults import default_policy_data
    from govmail_desktop.policy.sources import policy_from_dict

    monkeypatch.setattr(app, "load_settings", load_settings)
    overrides = AppOverrides(policy=policy_from_dict(default_policy_data()))
    with pytest.raises(Stop):
        app._run(argparse.Namespace(), upgraded, overrides, None, None)
    assert read == [upgraded.settings_file]
    assert upgraded.settings_file.read_text(encoding="utf-8") == SETTINGS
