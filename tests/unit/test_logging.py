"""The log file: in the log directory, rotating, and never holding a password."""

from __future__ import annotations

import logging

import pytest

from govmail_desktop.core.logging_setup import setup_logging
from govmail_desktop.core.paths import AppPaths

PASSWORD = "Kr8-ThaiGov!pw"


@pytest.fixture
def root_logger():
    """setup_logging configures the root logger: restore it afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(saved_level)


def read_logs(log_dir) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(log_dir.glob("govmail.log*")))


def test_log_file_lives_in_the_log_directory(root_logger, _isolated_home):
    paths = AppPaths.default()
    setup_logging(paths.log_file)
    logging.getLogger("govmail_desktop.test").info("started")
    assert paths.log_file.parent == _isolated_home / "log"
    assert "started" in paths.log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "line",
    [
        f"C: a001 LOGIN alice@dwr.mail.go.th {PASSWORD}",
        f'C: a001 LOGIN "alice@dwr.mail.go.th" "{PASSWORD}"',
        f"C: AUTH PLAIN {PASSWORD}",
        f"C: AUTHENTICATE PLAIN {PASSWORD}",
        f"password={PASSWORD}",
        f"keyring entry: Password: {PASSWORD}",
        # the user name quoted with a space, the password with an escaped quote and a space
        f'C: a001 LOGIN "alice smith" "{PASSWORD}"',
        f'C: a001 LOGIN alice "x\\" {PASSWORD}"',
        # a lower-case command, imaplib's debug form, and a user id that looks like English
        f"C: a001 login alice {PASSWORD}",
        f"> b'ABCD1 LOGIN alice \"{PASSWORD}\"'",
        f"C: a001 LOGIN to {PASSWORD}",
    ],
)
def test_credentials_in_protocol_lines_are_redacted(root_logger, tmp_path, line):
    log_file = tmp_path / "govmail.log"
    setup_logging(log_file)
    logging.getLogger("govmail_desktop.net").info("%s", line)
    text = log_file.read_text(encoding="utf-8")
    assert PASSWORD not in text
    assert "<redacted>" in text


def test_login_name_stays_readable_for_support(root_logger, tmp_path):
    log_file = tmp_path / "govmail.log"
    setup_logging(log_file)
    logging.getLogger("govmail_desktop.net").info("C: a001 LOGIN %s %s", "alice@dwr.mail.go.th", PASSWORD)
    text = log_file.read_text(encoding="utf-8")
    assert "alice@dwr.mail.go.th" in text and PASSWORD not in text


@pytest.mark.parametrize(
    "message",
    [
        "IMAP login to %s accepted",  # net/imap_session.py
        "SMTP AUTH to %s accepted",  # net/smtp_session.py
        "Login to %s refused",
        "login at %s: server busy",
        "capabilities of %s: IMAP4rev1 AUTH=LOGIN AUTH=PLAIN IDLE",
    ],
)
def test_host_names_after_login_words_stay_in_the_log(root_logger, tmp_path, message):
    log_file = tmp_path / "govmail.log"
    setup_logging(log_file)
    logging.getLogger("govmail_desktop.net").info(message, "imap.dwr.mail.go.th")
    text = log_file.read_text(encoding="utf-8")
    assert (message % "imap.dwr.mail.go.th") in text
    assert "<redacted>" not in text


def test_password_inside_a_traceback_is_redacted(root_logger, tmp_path):
    log_file = tmp_path / "govmail.log"
    setup_logging(log_file)
    try:
        raise RuntimeError(f"server echoed: a001 LOGIN bob {PASSWORD}")
    except RuntimeError:
        logging.getLogger("govmail_desktop.net").exception("login failed")
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text
    assert PASSWORD not in text


def test_log_file_rotates_and_keeps_a_bounded_number_of_files(root_logger, tmp_path):
    log_file = tmp_path / "govmail.log"
    setup_logging(log_file, max_bytes=2_000, backup_count=2)
    log = logging.getLogger("govmail_desktop.sync")
    for i in range(200):
        log.info("synchronised folder %03d of 200 (ข้อความภาษาไทยในล็อก)", i)
    files = sorted(p.name for p in tmp_path.glob("govmail.log*"))
    assert files == ["govmail.log", "govmail.log.1", "govmail.log.2"]
    assert all(p.stat().st_size <= 2_000 + 200 for p in tmp_path.glob("govmail.log*"))
    assert "folder 199" in log_file.read_text(encoding="utf-8")  # newest in the live file
    assert "folder 000" not in read_logs(tmp_path)  # oldest rotated away


def test_setting_up_twice_does_not_duplicate_lines(root_logger, tmp_path):
    log_file = tmp_path / "govmail.log"
    setup_logging(log_file)
    setup_logging(log_file)
    logging.getLogger("govmail_desktop").warning("once")
    assert log_file.read_text(encoding="utf-8").count("once") == 1
