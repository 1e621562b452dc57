"""Composition root: builds every part of the desktop app in a fixed order.

``main()`` is the only place that knows how the parts fit together (in the
manner of qutebrowser's ``app.py``): arguments → paths → logging → settings →
language → QApplication → translators → Thai font → message bridge → main
window → show → event loop → shutdown hooks. Each step is logged, never a secret.

Tests and ``make demo`` reach the seams through :class:`AppOverrides`, which
neither the command line nor the environment can set.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from govmail_desktop import APP_ID, APP_NAME, __version__
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.logging_setup import setup_logging
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings
from govmail_desktop.i18n import catalog
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, translate
from govmail_desktop.i18n.cli import argparse_speaks

log = logging.getLogger(__name__)

#: The setup wizard's contract (issue 3): open it non-blocking over ``parent``.
SetupWizardLauncher = Callable[[Any], None]


@dataclass
class AppOverrides:
    """Seams for tests and ``make demo`` only; never reachable from argv or env."""

    #: Use this settings file instead of the one in the config directory.
    settings_path: Path | None = None
    #: The policy to enforce instead of the machine policy (tests and the demo:
    #: a test policy allowing 127.0.0.1, never a bypass). An ``EffectivePolicy``.
    policy: Any = None
    #: Opens the account setup wizard; enables File → Add account… and is
    #: called at start-up when no account exists.
    setup_wizard_launcher: SetupWizardLauncher | None = None
    #: Passwords to hold in memory for this run only (account id -> password), as
    #: if the user had typed them for "ask each session" (the demo's accounts).
    session_passwords: dict[str, str] = field(default_factory=dict)
    #: Called once the main window is shown (screenshots, start-up tests).
    on_window_shown: Callable[["AppContext"], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AppContext:
    """What the composition root built, in one place (passed to hooks and tests)."""

    paths: AppPaths
    settings: Settings
    app: Any  # QApplication
    language: Any  # ui.qt_i18n.LanguageController
    bridge: Any  # services.message_bridge.MessageBridge
    window: Any = None  # ui.main_window.MainWindow
    policy: Any = None  # policy.sources.EffectivePolicy
    font_family: str | None = None
    #: Passwords of "ask each session" accounts, in memory only.
    session_passwords: Any = None  # credentials.SessionPasswords
    #: Called with each account the setup wizard saves (per-account services hook in here).
    account_saved_handlers: list[Callable[[Any], None]] = field(default_factory=list)
    shutdown_hooks: list[Callable[[], None]] = field(default_factory=list)
    #: Per-account caches, mailbox services and the tray (ui.mailbox_setup.Mailboxes).
    mailboxes: Any = None


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
    return parser


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


# -- building blocks (also used by tests) ----------------------------------------
def load_settings(path: Path, policy: Any = None) -> tuple[Settings, list[GovMailError]]:
    """The user's settings under the policy's locks and defaults.

    An unreadable file gives defaults plus an error to show.
    """
    locked = policy.locked_settings() if policy is not None else {}
    defaults = policy.setting_defaults() if policy is not None else {}
    try:
        return Settings.load(path, locked=locked, defaults=defaults), []
    except GovMailError as err:
        log.warning("Settings unreadable, using defaults for this run: %s", err)
        return Settings(None, locked=locked, defaults=defaults), [err]


def load_policy(overrides: AppOverrides) -> Any:
    """The policy in force: the machine policy, or the one a test/demo supplied.

    Never raises: a broken machine policy comes back with ``error`` set and a
    server policy that refuses every connection (fail closed).
    """
    from govmail_desktop.policy.sources import DEFAULT_SOURCE, load_machine_policy

    if overrides.policy is not None:
        log.info("Policy: supplied by the caller (test or demo)")
        return overrides.policy
    policy = load_machine_policy()
    if policy.error is not None:
        log.error("Machine policy unusable, connecting nowhere: %s", policy.error)
    else:
        log.info("Machine policy loaded (%d value(s) set by the agency)",
                 sum(1 for src in policy.sources.values() if src != DEFAULT_SOURCE))
    return policy


def create_application(argv0: str = "govmail") -> Any:
    """The QApplication (reused if one exists, as under pytest-qt)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from govmail_desktop.ui import icons

    app = QApplication.instance() or QApplication([argv0])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("GovMail")
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(icons.icon(icons.APP_ICON))
    return app


def build_main_window(
    settings: Settings,
    language: Any,
    bridge: Any,
    *,
    setup_wizard_launcher: SetupWizardLauncher | None = None,
) -> Any:
    """The main window wired to the language controller, the settings and the bridge.

    Needs a QApplication; does not show the window or run the event loop.
    """
    from govmail_desktop.ui.main_window import MainWindow

    window = MainWindow(
        language=language.language,
        show_preview=bool(settings.get("mail.preview_pane")),
    )
    # The size, place and pane sizes the user left last time (else chosen for the screen).
    window.restore_layout(settings.get("ui.window_geometry"), settings.get("ui.pane_sizes"))
    window.layout_changed.connect(partial(save_window_layout, settings, bridge))
    bridge.message.connect(window.show_message)
    window.language_requested.connect(partial(switch_language, settings, language, bridge))
    language.language_changed.connect(window.set_current_language)
    window.preview_pane_toggled.connect(
        lambda on: save_setting(settings, bridge, "mail.preview_pane", bool(on))
    )
    window.set_add_account_handler(setup_wizard_launcher)
    return window


def attach_mailboxes(ctx: AppContext, overrides: AppOverrides) -> Any:
    """Open each configured account's cache and mailbox service and show them.

    Starts offline from the cache (the window shows the mail it had at once);
    each account's sync service, when one can be built, connects afterwards.
    Accounts the setup wizard saves later are added the same way.
    ``overrides.extra["sync_factory"]`` replaces the real one (tests, demo).
    """
    from govmail_desktop.core.accounts import accounts_of
    from govmail_desktop.services.sync_adapter import default_sync_factory
    from govmail_desktop.ui.mailbox_setup import attach_mailboxes as attach

    try:
        accounts = accounts_of(ctx.settings)
    except GovMailError as err:
        ctx.bridge.report_error(err)
        accounts = []
    from govmail_desktop.credentials import CredentialStore

    sync_factory = overrides.extra.get("sync_factory") or default_sync_factory(ctx)
    rules = ctx.policy.attachment_rules() if ctx.policy is not None and ctx.policy.error is None else None
    mailboxes = attach(
        ctx.window, ctx.settings, ctx.bridge,
        accounts=accounts, paths=ctx.paths, sync_factory=sync_factory, attachment_rules=rules,
        session_passwords=ctx.session_passwords, credential_store=CredentialStore(),
    )
    ctx.shutdown_hooks.append(mailboxes.shutdown)
    ctx.account_saved_handlers.append(mailboxes.add_account)
    log.info("Mailboxes attached: %d account(s)", len(mailboxes.accounts))
    return mailboxes


def save_setting(settings: Settings, bridge: Any, key: str, value: Any) -> bool:
    """Change one setting and write the file; problems go to the message bridge."""
    try:
        settings.set(key, value)
        settings.save()
    except GovMailError as err:
        bridge.report_error(err)
        return False
    log.info("Setting %s changed", key)
    return True


def save_window_layout(settings: Settings, bridge: Any, geometry: str, pane_sizes: str) -> None:
    """Keep the window's geometry and pane sizes for the next start (written only when changed)."""
    changed = False
    for key, value in (("ui.window_geometry", geometry), ("ui.pane_sizes", pane_sizes)):
        if settings.get(key) != value and not settings.is_locked(key):
            try:
                settings.set(key, value)
            except GovMailError as err:
                log.warning("Window layout not kept: %s", err)
                return
            changed = True
    if changed:
        try:
            settings.save()
        except GovMailError as err:
            bridge.report_error(err)


def switch_language(settings: Settings, language: Any, bridge: Any, lang: str) -> None:
    """Use ``lang`` now (live retranslation) and keep it for the next start."""
    language.apply(lang)
    save_setting(settings, bridge, "ui.language", language.language)


SETTINGS_PROBLEMS = QT_TRANSLATE_NOOP(
    "App",
    "Some settings could not be read and were reset to their defaults. Details are in the log file.",
)


def make_setup_wizard_launcher(ctx: AppContext) -> SetupWizardLauncher:
    """Opens the setup wizard (non-modal) under the policy in force."""
    from govmail_desktop.credentials import CredentialStore

    credential_store = CredentialStore()

    def launch(parent: Any) -> None:
        from PySide6.QtCore import Qt

        from govmail_desktop.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(
            ctx.policy, ctx.settings, credential_store, parent=parent,
            session_passwords=ctx.session_passwords,
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.account_saved.connect(ctx_account_saved_slot(ctx))
        wizard.open()

    return launch


def ctx_account_saved_slot(ctx: AppContext) -> Callable[[Any], None]:
    def on_saved(account: Any) -> None:
        log.info("Account %s added", account.id)
        for handler in ctx.account_saved_handlers:
            handler(account)

    return on_saved


def first_run(ctx: AppContext, launcher: SetupWizardLauncher | None) -> None:
    """With no usable account yet, open the setup wizard (the lead connects the launcher)."""
    from govmail_desktop.core.accounts import needs_setup

    if not needs_setup(ctx.settings):
        return
    if launcher is None:
        log.info("No account configured; no setup wizard connected yet")
        return
    log.info("No account configured: opening the setup wizard")
    launcher(ctx.window)


# -- main ------------------------------------------------------------------------
def main(argv: list[str] | None = None, overrides: AppOverrides | None = None) -> int:
    overrides = overrides or AppOverrides()
    argv = list(sys.argv[1:] if argv is None else argv)
    _language_for_help(argv)
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # --help, --version, bad arguments
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2

    paths = AppPaths.default()
    try:
        paths.ensure()
    except OSError as exc:
        print(f"Cannot create the program's folders / สร้างโฟลเดอร์ของโปรแกรมไม่ได้: {exc}", file=sys.stderr)
        return 1
    setup_logging(paths.log_file, level=logging.DEBUG if args.debug else logging.INFO, console=args.debug)
    log.info(
        "Starting %s %s (Python %s, %s)", APP_NAME, __version__, platform.python_version(), platform.platform()
    )
    log.info("Paths: config=%s data=%s log=%s", paths.config_dir, paths.data_dir, paths.log_dir)
    problem = display_problem()
    if problem:
        log.error("No display: DISPLAY=%r WAYLAND_DISPLAY=%r QT_QPA_PLATFORM=%r",
                  os.environ.get("DISPLAY"), os.environ.get("WAYLAND_DISPLAY"),
                  os.environ.get("QT_QPA_PLATFORM"))
        print(problem, file=sys.stderr)
        return 2
    try:
        return _run(args, paths, overrides)
    except Exception:
        log.exception("Fatal error during start-up")
        print(
            "GovMail Desktop could not start; details are in / เปิดโปรแกรมไม่ได้ ดูรายละเอียดใน "
            f"{paths.log_file}",
            file=sys.stderr,
        )
        return 1
    finally:
        log.info("Exited")
        for handler in logging.getLogger().handlers:
            handler.flush()


def _run(args: argparse.Namespace, paths: AppPaths, overrides: AppOverrides) -> int:
    from govmail_desktop.credentials import SessionPasswords
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.ui.fonts import install_thai_font
    from govmail_desktop.ui.qt_i18n import LanguageController

    policy = load_policy(overrides)
    settings_path = overrides.settings_path or paths.settings_file
    settings, settings_errors = load_settings(settings_path, policy)
    log.info("Settings loaded from %s (%d problem(s))", settings_path, len(settings.problems))
    for problem in settings.problems:
        log.warning("Settings: %s", problem)

    lang = args.lang or settings.get("ui.language")
    catalog.set_language(lang)
    log.info("Language: %s%s", lang, " (from --lang)" if args.lang else "")

    app = create_application()
    log.info("Qt application created (platform %s)", app.platformName())
    restore_qt_handler = _route_qt_messages_to_log()

    language = LanguageController(app, parent=app)
    language.apply(lang)

    font_family = install_thai_font(app)
    bridge = MessageBridge(app)
    ctx = AppContext(
        paths=paths, settings=settings, app=app, language=language, bridge=bridge,
        policy=policy, font_family=font_family, session_passwords=SessionPasswords(),
    )
    for account_id, password in overrides.session_passwords.items():
        ctx.session_passwords.set(account_id, password)
    launcher = overrides.setup_wizard_launcher or make_setup_wizard_launcher(ctx)
    restore_hooks = _install_exception_hooks(bridge)

    ctx.window = build_main_window(settings, language, bridge, setup_wizard_launcher=launcher)
    log.info("Main window built")

    def shutdown() -> None:
        log.info("Shutting down")
        for hook in reversed(ctx.shutdown_hooks):
            try:
                hook()
            except Exception:
                log.exception("Shutdown hook %r failed", hook)

    app.aboutToQuit.connect(shutdown)
    ctx.shutdown_hooks.append(restore_hooks)
    ctx.shutdown_hooks.append(language.uninstall)

    ctx.mailboxes = attach_mailboxes(ctx, overrides)
    ctx.window.show()
    log.info("Main window shown")
    if policy.error is not None:
        bridge.report_error(policy.error)
    for err in settings_errors:
        bridge.report_error(err)
    if settings.problems:
        bridge.warning(SETTINGS_PROBLEMS)
    if language.missing:
        log.warning("Missing translation files: %s", ", ".join(language.missing))
    first_run(ctx, launcher)
    if overrides.on_window_shown is not None:
        overrides.on_window_shown(ctx)

    try:
        code = app.exec()
    finally:
        restore_qt_handler()
    log.info("Event loop ended with code %s", code)
    return int(code)


def _route_qt_messages_to_log() -> Callable[[], None]:
    """Qt's own warnings go to our log file; returns a function that undoes it."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(mode: Any, context: Any, message: str) -> None:
        qt_log.log(levels.get(mode, logging.WARNING), "%s", message)

    previous = qInstallMessageHandler(handler)
    return lambda: qInstallMessageHandler(previous)


def _install_exception_hooks(bridge: Any) -> Callable[[], None]:
    """An exception escaping a slot or a thread becomes a "please report" notice."""
    old_sys, old_thread = sys.excepthook, threading.excepthook

    def sys_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            old_sys(exc_type, exc, tb)
            return
        bridge.report_exception(exc, tb, where="uncaught")

    def thread_hook(hook_args: threading.ExceptHookArgs) -> None:
        if hook_args.exc_value is not None:
            bridge.report_exception(
                hook_args.exc_value, hook_args.exc_traceback,
                where=f"thread {hook_args.thread.name if hook_args.thread else '?'}",
            )

    sys.excepthook = sys_hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook, threading.excepthook = old_sys, old_thread

    return restore


if __name__ == "__main__":
    sys.exit(main())
