"""The command line (``--lang``, ``--compose``, ``--attach``, a ``mailto:`` link) and the
check that a display exists before Qt starts.
"""

from __future__ import annotations

import argparse
import os
import sys

from govmail_desktop import APP_NAME, __version__
from govmail_desktop.i18n import catalog
from govmail_desktop.i18n.catalog import translate
from govmail_desktop.i18n.cli import argparse_speaks


# -- command line ------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govmail",
        description=translate("App", "GovMail Desktop: e-mail for Thai government officials."),
    )
    parser.add_argument(
        "--version", action="version", version=f"{APP_NAME} {__version__}",
        help=translate("App", "Show the version number and exit."),
    )
    parser.add_argument(
        "--lang",
        choices=catalog.SUPPORTED_LANGUAGES,
        help=translate("App", "Language of the user interface for this run (th or en)."),
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help=translate("App", "Write detailed logs, also to the terminal."),
    )
    # Writing a message (in the running instance when there is one): services/launch.py.
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=translate(
            "App",
            "Start, show the main window, report the font and icons found, and exit "
            "(0: all found; for installers and their tests).",
        ),
    )
    parser.add_argument(
        "--compose",
        action="store_true",
        help=translate("App", "Open a new message (in the program if it is already running)."),
    )
    parser.add_argument(
        "--attach",
        action="append",
        metavar=translate("App", "FILE"),
        help=translate("App", "Attach this file to the new message; give it once for each file."),
    )
    parser.add_argument(
        "uri",
        nargs="?",
        type=_mailto_argument,
        metavar="mailto:…",
        help=translate("App", "An e-mail link (mailto:) to write a message from, as a web page gives it."),
    )
    return parser


def _mailto_argument(text: str) -> str:
    """A word on the command line is a ``mailto:`` link (read in full by the composer's side,
    which shows what is wrong with it in the window) or a usage error."""
    from govmail_desktop.mime.mailto import MSG_NOT_MAILTO

    if not text.strip().lower().startswith("mailto:"):
        raise argparse.ArgumentTypeError(MSG_NOT_MAILTO.text())
    return text


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; --help and errors in the current language, argparse's words too."""
    with argparse_speaks():
        return build_parser().parse_args(sys.argv[1:] if argv is None else argv)


def _language_for_help(argv: list[str]) -> None:
    """Honour ``--lang`` before parsing, so that ``--help`` is in that language."""
    lang = catalog.language_from_argv(argv)
    if lang is not None:
        catalog.set_language(lang)


# -- display check -------------------------------------------------------------
NO_DISPLAY_MESSAGE = (
    "ไม่พบหน้าจอแสดงผล (DISPLAY หรือ WAYLAND_DISPLAY) จึงเปิดหน้าต่างโปรแกรมไม่ได้ "
    "กรุณาเปิดโปรแกรมจากเดสก์ท็อป หรือใช้ Xvfb เช่น xvfb-run make run\n"
    "No display found (DISPLAY or WAYLAND_DISPLAY is not set), so the window cannot open. "
    "Start the program from a desktop session, or under Xvfb, e.g. `xvfb-run make run`."
)


def display_problem(environ: dict[str, str] | None = None, plat: str = sys.platform) -> str | None:
    """Why Qt could not open a window here, or None.

    Without a display Qt aborts the process with a core dump and a message about
    plugins; a clear sentence in both languages is kinder.
    """
    env = os.environ if environ is None else environ
    if not plat.startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    has_x = bool(env.get("DISPLAY"))
    has_wayland = bool(env.get("WAYLAND_DISPLAY"))
    if qpa == "xcb" and not has_x:
        return NO_DISPLAY_MESSAGE
    if qpa.startswith("wayland") and not has_wayland:
        return NO_DISPLAY_MESSAGE
    if not qpa and not (has_x or has_wayland):
        return NO_DISPLAY_MESSAGE
    return None
