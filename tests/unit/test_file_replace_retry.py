"""Replacing a file another program holds open (issue 15, Windows).

On Windows ``os.replace`` fails with ``PermissionError`` (winerror 32 "being used by
another process", or 5 "access denied" when the target is open without delete sharing)
while a virus scanner, a backup/sync program or an editor holds the file. That used to
say "no write access" (ask IT for permissions: the wrong advice). Now every replacement
goes through ``core.fileops.replace_with_retry``: a few short retries, then
``FileInUseError`` saying that another program has the file open. Windows' errors are
simulated with a fake ``os.replace`` (``PermissionError`` with ``winerror`` set).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from govmail_desktop.core import fileops


def held(winerror: int, path: str) -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file", path)
    # Python sets winerror on Windows only.
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


class FakeReplace:
    """``os.replace`` from or onto ``target`` refused ``failures`` times (None: always) as Windows does."""

    def __init__(self, target: Path, failures: int | None, winerror: int = 32):
        self.target, self.failures, self.winerror = str(target), failures, winerror
        self.refused = 0
        self.real = os.replace

    def __call__(self, src, dst):
        if self.target in (str(src), str(dst)) and (self.failures is None or self.refused < self.failures):
            self.refused += 1
            raise held(self.winerror, str(dst))
        return self.real(src, dst)


@pytest.fixture
def no_wait(monkeypatch):
    sleeps: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", sleeps.append)
    return sleeps


def test_a_brief_hold_is_waited_out(tmp_path, no_wait):
    src, dst = tmp_path / "new", tmp_path / "settings.json"
    src.write_text("new")
    dst.write_text("old")
    fake = FakeReplace(dst, failures=3)
    fileops.replace_with_retry(src, dst, replace=fake)
    assert dst.read_text() == "new" and not src.exists()
    assert fake.refused == 3
    assert no_wait == [fileops.RETRY_DELAY] * 3


@pytest.mark.parametrize("winerror", [32, 33, 5])
def test_a_file_held_for_good_says_so(tmp_path, no_wait, winerror):
    src, dst = tmp_path / "new", tmp_path / "settings.json"
    src.write_text("new")
    dst.write_text("old")
    fake = FakeReplace(dst, failures=None, winerror=winerror)
    with pytest.raises(fileops.FileInUseError) as caught:
        fileops.replace_with_retry(src, dst, replace=fake)
    err = caught.value
    assert fake.refused == fileops.RETRY_ATTEMPTS  # bounded
    assert err.code == "file-in-use"
    assert str(dst) in err.user_text("en")
    assert "in use by another program" in err.user_text("en")
    assert "write access" not in err.user_text("en")
    assert str(dst) in err.user_text("th") and "โปรแกรมอื่น" in err.user_text("th")
    assert f"winerror {winerror}" in err.detail
    assert dst.read_text() == "old"


def test_a_plain_permission_error_is_not_retried(tmp_path, no_wait):
    """Linux's EACCES (no winerror) is a real permission problem: raised at once, as before."""
    calls = []

    def refuse(src, dst):
        calls.append(dst)
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    with pytest.raises(PermissionError):
        fileops.replace_with_retry(tmp_path / "a", tmp_path / "b", replace=refuse)
    assert len(calls) == 1 and no_wait == []


# --- the callers: settings save, cache rebuild, saving over a file --------------------------


@pytest.fixture
def windows_hold(monkeypatch, no_wait):
    """Make ``os.replace`` onto one path fail as on Windows, for code that calls it by default."""

    def install(target: Path, failures: int | None) -> FakeReplace:
        fake = FakeReplace(target, failures)
        monkeypatch.setattr(os, "replace", fake)
        return fake

    return install


def test_settings_save_over_a_held_file(tmp_path, windows_hold):
    from govmail_desktop.core.settings import Settings

    path = tmp_path / "settings.json"
    settings = Settings.load(path)
    settings.save()
    before = path.read_text(encoding="utf-8")
    windows_hold(path, failures=None)
    with pytest.raises(fileops.FileInUseError):
        settings.save()
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]  # no temporary left


def test_settings_save_waits_out_a_brief_hold(tmp_path, windows_hold):
    from govmail_desktop.core.settings import Settings

    path = tmp_path / "settings.json"
    Settings.load(path).save()
    fake = windows_hold(path, failures=2)
    Settings.load(path).save()
    assert fake.refused == 2


def test_cache_rebuild_over_a_held_file(tmp_path, windows_hold):
    from govmail_desktop.store.cache import MailCache

    path = tmp_path / "cache.sqlite3"
    cache = MailCache(path)
    try:
        windows_hold(path, failures=None)  # moved aside to ….broken: another program has it open
        with pytest.raises(fileops.FileInUseError) as caught:
            cache.rebuild("test")
        assert caught.value.code == "file-in-use"
    finally:
        cache.close()


def test_saving_over_a_file_open_in_another_program(tmp_path, windows_hold):
    from govmail_desktop.core.filenames import write_replacing

    path = tmp_path / "หนังสือ.pdf"
    path.write_bytes(b"old")
    windows_hold(path, failures=None)
    with pytest.raises(fileops.FileInUseError):
        write_replacing(path, b"new")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["หนังสือ.pdf"]


def test_contacts_exported_over_a_file_open_in_a_spreadsheet(tmp_path, windows_hold):
    from govmail_desktop.store.addressbook import AddressBook

    book = AddressBook(tmp_path / "data")
    try:
        path = tmp_path / "รายชื่อ.csv"
        path.write_bytes(b"old")
        windows_hold(path, failures=None)
        with pytest.raises(fileops.FileInUseError):
            book.export_csv(path, contacts=[])
        assert path.read_bytes() == b"old"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    finally:
        book.close()


def test_a_draft_saved_while_a_scanner_holds_it(tmp_path, windows_hold):
    from govmail_desktop.core.compose import Draft
    from govmail_desktop.store.drafts import DRAFT_FILE, DraftStore

    store = DraftStore(tmp_path / "drafts")
    draft = Draft.new("acct-1", sender="somchai@moi.go.th", subject="ขอเชิญประชุม")
    store.save(draft)
    path = store.draft_dir(draft.draft_id) / DRAFT_FILE
    before = path.read_bytes()
    fake = windows_hold(path, failures=2)  # a virus scanner looks at it briefly
    store.save(draft)
    assert fake.refused == 2
    windows_hold(path, failures=None)
    with pytest.raises(fileops.FileInUseError):
        store.save(draft)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [DRAFT_FILE]
