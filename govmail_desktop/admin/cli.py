"""``govmail-admin``: the IT-staff command line (no Qt).

Subcommands live in their own modules, each with ``register(subparsers)``
that adds its parser and sets ``func`` (called with the parsed args, returns
the exit code).
"""

from __future__ import annotations

import argparse
import locale
import os
import sys

from govmail_desktop import __version__
from govmail_desktop.admin import check_server, policy_cmd
from govmail_desktop.i18n import normalize_language, set_language, translate
from govmail_desktop.i18n.catalog import language_from_argv


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
    parser.add_argument("--version", action="version", version=f"govmail-admin {__version__}")
    parser.add_argument(
        "--lang",
        choices=("th", "en"),
        help=translate("AdminCli", "Language of the output (default: from the locale)."),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    policy_cmd.register(subparsers)
    check_server.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Pick the language before building the parser so that --help is translated.
    set_language(language_from_argv(argv) or _default_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        code = int(args.func(args))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `govmail-admin policy show | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
