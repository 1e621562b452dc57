"""Log rotation while another process holds the log (Windows WinError 32) loses nothing.

The standard RotatingFileHandler closes the log, fails to rename it, and from then on
every record tries the rollover again and is lost (issue 15: "every record after 1 MB
is lost"). The held file is simulated by a ``rotator`` that refuses the move the way
Windows does (PermissionError with winerror 32).
"""

from __future__ import annotations

import logging

import pytest

from govmail_desktop.core import logging_setup
from govmail_desktop.core.logging_setup import RetryingRotatingFileHandler, remove_app_handlers, setup_logging


def sharing_violation(source, dest):
    exc = PermissionError(13, "The process cannot access the file because it is being used by another process",
                          source)
    exc.winerror = 32  # what os.rename sets on Windows
    raise exc


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app_log(tmp_path):
    """setup_logging()'s handler on the root logger (small size), its errors collected."""
    log_file = tmp_path / "govmail.log"
    setup_logging(log_file, max_bytes=400, backup_count=3)
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "baseFilename", None) == str(log_file))
    errors: list[logging.LogRecord] = []
    handler.handleError = errors.append  # the standard handler reports a failed rollover here
    yield log_file, handler, errors
    remove_app_handlers()


def all_text(log_file) -> str:
    files = sorted(log_file.parent.glob(log_file.name + "*"))
    return "".join(f.read_text(encoding="utf-8") for f in files)


def test_a_held_log_keeps_every_record_in_the_current_file(app_log):
    log_file, handler, errors = app_log
    handler.rotator = sharing_violation
    log = logging.getLogger("govmail_desktop.test_rotation")
    for i in range(40):
        log.warning("record %03d ข้อความ", i)
    assert errors == []
    text = log_file.read_text(encoding="utf-8")
    for i in range(40):
        assert f"record {i:03d} ข้อความ" in text
    assert text.count("Log rotation failed") == 1  # said once, then not retried at every record
    assert "WinError 32" in text or "used by another process" in text
    assert not list(log_file.parent.glob("govmail.log.*"))


def test_the_rollover_is_tried_again_later_and_then_rotates(tmp_path):
    log_file = tmp_path / "govmail.log"
    clock = Clock()
    handler = RetryingRotatingFileHandler(log_file, max_bytes=100, backup_count=3, clock=clock)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.rotator = sharing_violation
    log = logging.Logger("rotation-test")
    log.addHandler(handler)
    try:
        for i in range(30):
            log.warning("early %02d", i)
        clock.now += logging_setup.ROLLOVER_RETRY_SECONDS - 1
        log.warning("still held")
        assert not (tmp_path / "govmail.log.1").exists()
        handler.rotator = None  # the other program let go
        clock.now += 2
        log.warning("after release")
    finally:
        handler.close()
    rotated = (tmp_path / "govmail.log.1").read_text(encoding="utf-8")
    assert "early 00" in rotated and "early 29" in rotated and "still held" in rotated
    assert log_file.read_text(encoding="utf-8") == "after release\n"
    assert not (tmp_path / "govmail.log.rotating").exists()


def test_a_failed_rollover_leaves_the_backups_alone(tmp_path):
    log_file = tmp_path / "govmail.log"
    (tmp_path / "govmail.log.1").write_text("backup one\n", encoding="utf-8")
    (tmp_path / "govmail.log.2").write_text("backup two\n", encoding="utf-8")
    handler = RetryingRotatingFileHandler(log_file, max_bytes=100, backup_count=2, clock=Clock())
    handler.rotator = sharing_violation
    log = logging.Logger("rotation-test")
    log.addHandler(handler)
    try:
        for i in range(20):
            log.warning("line %02d", i)
    finally:
        handler.close()
    assert (tmp_path / "govmail.log.1").read_text(encoding="utf-8") == "backup one\n"
    assert (tmp_path / "govmail.log.2").read_text(encoding="utf-8") == "backup two\n"
    assert "line 19" in log_file.read_text(encoding="utf-8")


def test_an_ordinary_rollover_keeps_the_backups_in_order(tmp_path):
    log_file = tmp_path / "govmail.log"
    handler = RetryingRotatingFileHandler(log_file, max_bytes=60, backup_count=3, clock=Clock())
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.Logger("rotation-test")
    log.addHandler(handler)
    try:
        for i in range(12):
            log.warning("entry %02d of the log", i)
    finally:
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["govmail.log", "govmail.log.1", "govmail.log.2", "govmail.log.3"]
    newest_first = [(tmp_path / n).read_text(encoding="utf-8") for n in names]
    assert "entry 11" in newest_first[0]
    numbers = [int(line.split()[1]) for text in reversed(newest_first) for line in text.splitlines()]
    assert numbers == sorted(numbers) and numbers[-1] == 11  # oldest kept file first, nothing reordered
