"""govmail-admin into a closed pipe on Windows: the C library's EINVAL, not only BrokenPipeError.

On Windows a write into a pipe whose reader has gone can fail with ``OSError: [Errno 22]
Invalid argument`` (ERROR_NO_DATA through the C runtime) instead of BrokenPipeError; that
ended as "stopped on an unexpected error" on stderr. It is taken as the closed pipe only
when stdout itself still cannot be flushed: an EINVAL from anything else is still reported.
(tests/windows/test_admin_console.py runs the real thing on Windows.)
"""

from __future__ import annotations

import errno
import io
import sys
from pathlib import Path

import pytest

from govmail_desktop.admin import cli

LOOPBACK = str(Path(__file__).resolve().parents[3] / "tests" / "data" / "policy" / "test-loopback.json")


class ClosedPipe(io.TextIOBase):
    """A stdout whose reader is gone, failing as Windows' C runtime does (or as POSIX does)."""

    def __init__(self, error: OSError) -> None:
        self.error = error
        self.encoding_name = "utf-8"

    @property
    def encoding(self):
        return self.encoding_name

    def write(self, text):
        raise self.error

    def flush(self):
        raise self.error


@pytest.mark.parametrize(
    "error",
    [OSError(errno.EINVAL, "Invalid argument"), BrokenPipeError(errno.EPIPE, "Broken pipe")],
    ids=["windows-einval", "broken-pipe"],
)
@pytest.mark.parametrize(
    "args", [["--lang", "th", "policy", "show", "--file", LOOPBACK], ["--help"]], ids=["show", "help"]
)
def test_a_closed_pipe_on_windows_ends_quietly(monkeypatch, capsys, error, args):
    monkeypatch.setattr(cli.sys, "platform", "win32")
    monkeypatch.setattr(sys, "stdout", ClosedPipe(error))
    try:
        code = cli.main(args)
    except SystemExit as exc:  # --help exits from argparse
        code = exc.code
    assert code == 0
    assert capsys.readouterr().err == ""


def test_an_einval_from_anything_else_is_still_reported(monkeypatch, capsys):
    monkeypatch.setattr(cli.sys, "platform", "win32")

    def failing(argv):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(cli, "_main", failing)
    assert cli.main(["policy", "show"]) == cli.EXIT_UNEXPECTED
    assert "OSError" in capsys.readouterr().err


def test_einval_is_not_a_closed_pipe_elsewhere(monkeypatch, capsys):
    monkeypatch.setattr(cli.sys, "platform", "linux")
    monkeypatch.setattr(sys, "stdout", ClosedPipe(OSError(errno.EINVAL, "Invalid argument")))
    assert cli.main(["--lang", "en", "policy", "show", "--file", LOOPBACK]) == cli.EXIT_UNEXPECTED
