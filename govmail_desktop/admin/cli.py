"""``govmail-admin``: the IT-staff command line (no Qt).

Subcommands live in their own modules, each with ``register(subparsers)``
that adds its parser and sets ``func`` (called with the parsed args, returns
the exit code).

It never prints a traceback: an unexpected error (a bug, MemoryError ...) exits
with :data:`EXIT_UNEXPECTED` and one line naming the error and the log file that
holds the traceback (``govmail-admin.log`` in the app's log folder).
"""

from __future__ import annotations

import argparse
import errno
import locale
import logging
import os
import sys
from pathlib import Path

from govmail_desktop import __version__
from govmail_desktop.admin import check_server, doctor, inspect, policy_cmd
from govmail_desktop.admin.output import emit, use_utf8_where_needed
from govmail_desktop.core.logging_setup import RedactingFormatter, redact
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.i18n import normalize_language, set_language, translate
from govmail_desktop.i18n.catalog import language_from_argv
from govmail_desktop.i18n.cli import argparse_speaks


def _default_language() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            return normalize_language(os.environ[var])
    return normalize_language(locale.getlocale()[0])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govmail-admin",
        description=translate("AdminCli", "GovMail Desktop tools for IT staff."),
    )
    parser.add_argument(
        "--version", action="version", version=f"govmail-admin {__version__}",
        help=translate("App", "Show the version number and exit."),
    )
    parser.add_argument(
        "--lang",
        choices=("th", "en"),
        help=translate("AdminCli", "Language of the output (default: from the locale)."),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    policy_cmd.register(subparsers)
    check_server.register(subparsers)
    inspect.register(subparsers)
    doctor.register(subparsers)
    return parser


#: Exit code of an unexpected error (as "could not check" in check-server).
EXIT_UNEXPECTED = 2
#: Exit code after Ctrl+C.
EXIT_INTERRUPTED = 130


def log_file() -> Path:
    """Where govmail-admin writes the traceback of an unexpected error."""
    return AppPaths.default().log_dir / "govmail-admin.log"


def _log_unexpected(exc: BaseException, argv: list[str]) -> bool:
    """Append the traceback to :func:`log_file`, redacted like the app's log; False if
    it cannot be written (written directly: logging would print its own errors)."""
    record = logging.LogRecord(
        "govmail_desktop.admin", logging.ERROR, __file__, 0, "govmail-admin %s failed unexpectedly",
        (" ".join(argv[:2]),), (type(exc), exc, exc.__traceback__),
    )
    text = RedactingFormatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s").format(record)
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
    except OSError:
        return False
    return True


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    use_utf8_where_needed()
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`govmail-admin policy show | head -1`): not an error.
        _quiet_stdout()
        return 0
    except SystemExit:
        # argparse's --help and usage errors exit from inside parse_args with their text still
        # buffered: flushed here, a closed pipe is quiet too (not "Exception ignored" at exit).
        try:
            sys.stdout.flush()
        except OSError as exc:
            if not _reader_gone(exc):
                raise
            _quiet_stdout()
        raise
    except OSError as exc:
        if not _reader_gone(exc):
            return _unexpected(exc, argv)
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - never a traceback on the terminal
        return _unexpected(exc, argv)


def _reader_gone(exc: OSError) -> bool:
    """Whether ``exc`` says stdout's reader went away.

    Elsewhere that is BrokenPipeError. On Windows, a write into a pipe whose reader closed
    can also fail with ``EINVAL`` from the C library (ERROR_NO_DATA): taken as the closed
    pipe only when stdout itself still cannot be flushed, so that an EINVAL from anything
    else is reported as before.
    """
    if isinstance(exc, BrokenPipeError):
        return True
    if sys.platform != "win32" or exc.errno != errno.EINVAL:
        return False
    try:
        sys.stdout.flush()
    except OSError as again:
        return isinstance(again, BrokenPipeError) or again.errno == errno.EINVAL
    except (ValueError, AttributeError):  # stdout closed or missing
        return False
    return False


def _unexpected(exc: BaseException, argv: list[str]) -> int:
    """One line naming the error and the log holding its traceback (never a traceback here)."""
    if _log_unexpected(exc, argv):
        text = translate(
            "AdminCli", "govmail-admin stopped on an unexpected error ({error}). Details are in {log}."
        )
    else:
        text = translate(
            "AdminCli",
            "govmail-admin stopped on an unexpected error ({error}). The log {log} could not be written.",
        )
    emit(text.format(error=_one_line(exc), log=log_file()), file=sys.stderr)
    return EXIT_UNEXPECTED


def _main(argv: list[str]) -> int:
    # Pick the language before building the parser so that --help is translated.
    set_language(language_from_argv(argv) or _default_language())
    with argparse_speaks():  # argparse's own words ("usage:", "options", errors) translated too
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            sys.stdout.flush()
            return 0
    code = int(args.func(args))
    sys.stdout.flush()  # a closed pipe shows here, not at exit
    return code


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that Python's own flush at exit does not
    report the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout
        pass


if __name__ == "__main__":
    sys.exit(main())
