"""A file another process holds open (no FILE_SHARE_DELETE), during settings save, cache rebuild
and log rotation.

The holder is a second Python process that ``open()``s the file: on Windows that shares reading
and writing but not deletion, so the file cannot be replaced or renamed (winerror 32/5), as
with a virus scanner, a backup program or another copy of GovMail. core/fileops.replace_with_retry
waits a little and then says "in use by another program"; released within its retries, the
save goes through. The retry pause is replaced by one that lets go of the file at the first
wait, so the "released in time" case needs no timing.
"""

from __future__ import annotations

import logging

import pytest

from govmail_desktop.core import fileops
from govmail_desktop.core.fileops import FileInUseError
from tests.windows.winapi import FileHolder

pytestmark = pytest.mark.windows


@pytest.fixture
def waits(monkeypatch):
    """The pauses replace_with_retry makes; ``release_at_first_wait(holder)`` lets go at the first."""
    pauses = []

    class Waits:
        holder = None

        def release_at_first_wait(self, holder):
            self.holder = holder

    recorder = Waits()

    def pause(seconds):
        pauses.append(seconds)
        if recorder.holder is not None and len(pauses) == 1:
            recorder.holder.release()

    monkeypatch.setattr(fileops, "_sleep", pause)
    recorder.pauses = pauses
    return recorder


def make_settings(path):
    from govmail_desktop.core.settings import Settings

    settings = Settings.load(path)
    settings.set(Settings.mail_threading, not settings.mail_threading)
    return settings


def test_settings_save_held_throughout_says_in_use(tmp_path, waits):
    path = tmp_path / "settings.json"
    make_settings(path).save()
    before = path.read_bytes()
    with FileHolder(path):
        with pytest.raises(FileInUseError) as info:
            make_settings(path).save()
    err = info.value
    assert str(path) in err.user_text("en") and "in use by another program" in err.user_text("en")
    assert str(path) in err.user_text("th") and err.user_text("th") != err.user_text("en")
    assert len(waits.pauses) == fileops.RETRY_ATTEMPTS - 1  # it waited before giving up
    assert path.read_bytes() == before  # the old settings are intact
    assert not list(tmp_path.glob("*.tmp"))  # no temporary file left behind


def test_settings_save_released_within_the_retries_succeeds(tmp_path, waits):
    from govmail_desktop.core.settings import Settings

    path = tmp_path / "settings.json"
    make_settings(path).save()
    with FileHolder(path) as holder:
        waits.release_at_first_wait(holder)
        settings = make_settings(path)
        settings.save()
    assert waits.pauses  # the first try really met the held file
    assert Settings.load(path).mail_threading == settings.mail_threading


def test_cache_rebuild_held_throughout_says_in_use(tmp_path, waits):
    from govmail_desktop.store.cache import MailCache

    path = tmp_path / "cache.sqlite3"
    MailCache(path).close()
    cache = MailCache(path)
    try:
        with FileHolder(path):
            with pytest.raises(FileInUseError) as info:
                cache.rebuild("test")
        assert "in use by another program" in info.value.user_text("en")
        assert path.exists() and not path.with_name(path.name + ".broken").exists()
    finally:
        cache.close()


def test_cache_rebuild_released_within_the_retries_succeeds(tmp_path, waits):
    from govmail_desktop.store.cache import MailCache

    path = tmp_path / "cache.sqlite3"
    MailCache(path).close()
    cache = MailCache(path)
    try:
        with FileHolder(path) as holder:
            waits.release_at_first_wait(holder)
            cache.rebuild("test")
        assert waits.pauses
        assert cache.rebuilt and path.with_name(path.name + ".broken").exists()
    finally:
        cache.close()


def test_log_rotation_with_the_log_held_loses_nothing(tmp_path):
    from govmail_desktop.core.logging_setup import ROLLOVER_RETRY_SECONDS, RetryingRotatingFileHandler

    class Clock:
        now = 0.0

        def __call__(self):
            return self.now

    clock = Clock()
    log_file = tmp_path / "govmail.log"
    handler = RetryingRotatingFileHandler(log_file, max_bytes=2000, backup_count=3, clock=clock)
    handler.setFormatter(logging.Formatter("%(message)s"))
    errors = []
    handler.handleError = errors.append
    log = logging.Logger("held-log-test")
    log.addHandler(handler)
    try:
        log.warning("first record")
        with FileHolder(log_file):
            for i in range(200):
                log.warning("record %03d บันทึก", i)
            assert not (tmp_path / "govmail.log.1").exists()  # could not rotate: still one file
            text = log_file.read_text(encoding="utf-8")
            assert all(f"record {i:03d} บันทึก" in text for i in range(200))
            assert text.count("Log rotation failed") == 1 and "govmail.log" in text
        clock.now += ROLLOVER_RETRY_SECONDS + 1
        log.warning("after release")
    finally:
        handler.close()
    assert errors == []
    assert log_file.read_text(encoding="utf-8") == "after release\n"
    assert "record 199 บันทึก" in (tmp_path / "govmail.log.1").read_text(encoding="utf-8")
