"""govmail-admin never prints a traceback.

An unexpected error exits 2 with one line: the error and the log file that holds
the traceback.
"""

from __future__ import annotations

import pytest

from govmail_desktop.admin import check_server, cli
from govmail_desktop.i18n import set_language


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


def _failing(exc: BaseException):
    def run(args):
        raise exc

    return run


@pytest.mark.parametrize(
    "exc, shown",
    [
        (RuntimeError("boom\nwith a second line"), "RuntimeError: boom with a second line"),
        (MemoryError(), "MemoryError"),
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum recursion depth exceeded"),
    ],
)
def test_unexpected_error_exits_2_with_one_line_and_the_log_path(monkeypatch, capsys, exc, shown):
    monkeypatch.setattr(check_server, "run", _failing(exc))
    code = cli.main(["--lang", "en", "check-server", "mail.agency.go.th"])
    captured = capsys.readouterr()
    assert code == cli.EXIT_UNEXPECTED == 2
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert shown in lines[0] and str(cli.log_file()) in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""
    logged = cli.log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and type(exc).__name__ in logged


def test_unexpected_error_is_explained_in_thai(monkeypatch, capsys):
    monkeypatch.setattr(check_server, "run", _failing(RuntimeError("boom")))
    assert cli.main(["--lang", "th", "check-server", "mail.agency.go.th"]) == 2
    err = capsys.readouterr().err
    assert "RuntimeError: boom" in err and "unexpected" not in err


def test_unwritable_log_is_said_and_still_no_traceback(monkeypatch, capsys, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("GOVMAIL_HOME", str(blocker))  # the log folder cannot be created
    monkeypatch.setattr(check_server, "run", _failing(RuntimeError("boom")))
    code = cli.main(["--lang", "en", "check-server", "mail.agency.go.th"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1
    assert "could not be written" in err and "Traceback" not in err


def test_the_log_is_redacted_like_the_apps(monkeypatch, capsys):
    monkeypatch.setattr(check_server, "run", _failing(RuntimeError("password=hunter2 rejected")))
    assert cli.main(["--lang", "en", "check-server", "mail.agency.go.th"]) == 2
    assert "hunter2" not in capsys.readouterr().err
    assert "hunter2" not in cli.log_file().read_text(encoding="utf-8")


def test_ctrl_c_ends_quietly(monkeypatch, capsys):
    monkeypatch.setattr(check_server, "run", _failing(KeyboardInterrupt()))
    assert cli.main(["check-server", "mail.agency.go.th"]) == cli.EXIT_INTERRUPTED
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
