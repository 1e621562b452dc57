"""Command lines that speak the user's language, argparse's own words included.

argparse writes some words of its own ("usage:", "options", "show this help
message and exit", its error messages). It takes them through the module-level
names ``argparse._`` and ``argparse.ngettext`` (gettext). :func:`argparse_speaks`
points those names at this app's catalog while a command line is parsed or its
help printed, so that ``govmail --help`` in Thai is Thai throughout.

:data:`ARGPARSE_TEXTS` lists what a user can see; :data:`ARGPARSE_DEVELOPER_TEXTS`
what only a programming mistake shows (left in English). A test reads argparse's
source and fails when a Python release adds a text that is in neither.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, lookup

#: Context of argparse's own texts in the catalog.
CONTEXT = "ArgParse"

ARGPARSE_TEXTS = (
    QT_TRANSLATE_NOOP("ArgParse", "usage: "),
    QT_TRANSLATE_NOOP("ArgParse", "positional arguments"),
    QT_TRANSLATE_NOOP("ArgParse", "options"),
    QT_TRANSLATE_NOOP("ArgParse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("ArgParse", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("ArgParse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("ArgParse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("ArgParse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("ArgParse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("ArgParse", "can't open '%(filename)s': %(error)s"),
    QT_TRANSLATE_NOOP("ArgParse", "expected one argument"),
    QT_TRANSLATE_NOOP("ArgParse", "expected at most one argument"),
    QT_TRANSLATE_NOOP("ArgParse", "expected at least one argument"),
    QT_TRANSLATE_NOOP("ArgParse", "expected %s argument"),
    QT_TRANSLATE_NOOP("ArgParse", "expected %s arguments"),
    QT_TRANSLATE_NOOP("ArgParse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("ArgParse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
    QT_TRANSLATE_NOOP("ArgParse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("ArgParse", "one of the arguments %s is required"),
    QT_TRANSLATE_NOOP("ArgParse", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("ArgParse", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("ArgParse", "unexpected option string: %s"),
    QT_TRANSLATE_NOOP("ArgParse", "argument \"-\" with mode %r"),
    QT_TRANSLATE_NOOP("ArgParse", "show program's version number and exit"),
)

#: argparse texts that only a mistake in the program's own parser definition shows.
ARGPARSE_DEVELOPER_TEXTS = frozenset(
    {
        "conflicting option string: %s",
        "conflicting option strings: %s",
        ".__call__() not defined",
        "'required' is an invalid argument for positionals",
        "mutually exclusive arguments must be optional",
        "%r is not callable",
        "cannot merge actions - two groups are named %r",
        "invalid option string %(option)r: must start with a character %(prefix_chars)r",
        "dest= is required for options like %r",
        "invalid conflict_resolution value: %r",
        "cannot have multiple subparser arguments",
        "conflicting subparser: %s",
        "conflicting subparser alias: %s",
    }
)

_SOURCES = frozenset(m.source for m in ARGPARSE_TEXTS)


def _gettext(message: str) -> str:
    if message in _SOURCES:
        return lookup(CONTEXT, message)
    return message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


@contextlib.contextmanager
def argparse_speaks() -> Iterator[None]:
    """While inside, argparse's own words come in the current language (catalog.set_language).

    Parse, print help and errors inside this block; the names are restored on exit.
    Not for threads: the command line is read before any start.
    """
    names = vars(argparse)  # its _ and ngettext are module globals its type stubs do not declare
    saved = (names["_"], names["ngettext"])
    names["_"], names["ngettext"] = _gettext, _ngettext
    try:
        yield
    finally:
        names["_"], names["ngettext"] = saved


__all__ = ["ARGPARSE_DEVELOPER_TEXTS", "ARGPARSE_TEXTS", "CONTEXT", "argparse_speaks"]
