"""Composition root: builds every part of the desktop app in a fixed order.

``main()`` is the only place that knows how the parts fit together (in the
manner of qutebrowser's ``app.py``), and this module is the only one that wires
services to the window. In order, each step logged (never a secret):

 1. arguments, paths, logging; one app per profile (:class:`InstanceGuard`): a later
    launch hands its request (``--compose``, ``--attach``, a ``mailto:`` link) to the
    running app and ends here;
 2. the policy (the machine's, fail closed), the settings under its locks;
 3. the language, the QApplication, its translators, the Thai font;
 4. the message bridge (the one place errors become words) and the exception hooks;
 5. the main window (layout restored), shown at once; the steps below join it right after its
    first paint (:class:`FirstPaint`), so the real window is on screen before the services and
    their modules load (``--self-test`` reports that paint, the start-up benchmark times it);
 6. the passwords: the OS keyring (one :class:`CredentialStore`) and this session's
    memory, behind one :class:`PasswordKeeper`;
 7. the mailboxes (:func:`attach_mailboxes`): for each configured account its cache,
    offline queue, sync engine (:func:`engine_sync_factory`), :class:`MailboxService`
    and the UI's models over it (:class:`MailboxModels`); then the tray, the password
    prompts and the :class:`MailboxController` that joins them to the window; the composer,
    the outbox view, message windows, links, search;
 8. the setup wizard's launcher (an :class:`AccountSetupService` per wizard; a saved
    account joins the mailboxes);
 9. start-up problems reported, first run, this launch's and later launches'
    requests (:func:`handle_launch` → :func:`open_composer`); the event loop runs from step 5
    on; shutdown hooks in reverse order.

The steps' building blocks live next to this module in :mod:`govmail_desktop.wiring`, by
responsibility (context, command line, window, mailboxes, compose, search, accounts,
launches); only this module puts them in order.

Tests and ``make demo`` reach the seams through :class:`AppOverrides` (or the
parameters of :func:`attach_mailboxes`): the policy, the sync factory, the
credential store, the tray. Neither the command line nor the environment can set them.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from govmail_desktop import APP_ID, APP_NAME, WINDOWS_APP_USER_MODEL_ID, __version__
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.logging_setup import setup_logging
from govmail_desktop.core.paths import AppPaths, migrate_settings
from govmail_desktop.core.settings import Settings
from govmail_desktop.core.windows_shell import set_app_user_model_id
from govmail_desktop.i18n import catalog
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.wiring.command_line import _language_for_help, display_problem, parse_args
from govmail_desktop.wiring.context import AppContext, AppOverrides
from govmail_desktop.wiring.launches import _working_dir, hand_over_launch, listen_for_launches
from govmail_desktop.wiring.startup_notice import tell

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtWidgets import QApplication

    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.account_setup import PasswordKeeper
    from govmail_desktop.services.launch import LaunchRequest
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.services.single_instance import InstanceGuard

log = logging.getLogger(__name__)


# -- building blocks (also used by tests) ----------------------------------------
def load_settings(path: Path, policy: EffectivePolicy | None = None) -> tuple[Settings, list[GovMailError]]:
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


def load_policy(overrides: AppOverrides) -> EffectivePolicy:
    """The policy in force: the machine policy, or the one a test/demo supplied.

    Never raises: a broken machine policy comes back with ``error`` set and a
    server policy that refuses every connection (fail closed).
    """
    from govmail_desktop.policy.sources import DEFAULT_SOURCE, load_machine_policy, load_policy_file

    if overrides.policy is not None:
        log.info("Policy: supplied by the caller (test or demo)")
        return overrides.policy
    policy = load_policy_file(overrides.policy_file) if overrides.policy_file else load_machine_policy()
    if policy.error is not None:
        log.error("Machine policy unusable, connecting nowhere: %s", policy.error)
    else:
        log.info("Machine policy loaded (%d value(s) set by the agency)",
                 sum(1 for src in policy.sources.values() if src != DEFAULT_SOURCE))
    return policy


def create_application(argv0: str = "govmail") -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from govmail_desktop.ui import icons

    set_app_user_model_id(WINDOWS_APP_USER_MODEL_ID)  # before any window (Windows only)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([argv0])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("GovMail")
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(icons.icon(icons.APP_ICON))
    return app



SETTINGS_PROBLEMS = QT_TRANSLATE_NOOP(
    "App",
    "Some settings could not be read and were reset to their defaults. Details are in the log file.",
)


# -- the passwords --------------------------------------------------------------------------
def build_passwords(overrides: AppOverrides, bridge: MessageBridge) -> PasswordKeeper:
    """The one keyring of this run and this session's memory, behind one keeper; what the
    keyring cannot keep is said through the bridge."""
    from govmail_desktop.credentials import CredentialStore
    from govmail_desktop.services.account_setup import PasswordKeeper

    factory = overrides.credential_store_factory
    store = factory() if factory is not None else CredentialStore()
    passwords = PasswordKeeper(store, parent=bridge)
    for account_id, password in overrides.session_passwords.items():
        passwords.session.set(account_id, password)
    passwords.failed.connect(bridge.report_error)
    return passwords


# -- main ------------------------------------------------------------------------
def main(argv: list[str] | None = None, overrides: AppOverrides | None = None) -> int:
    overrides = overrides or AppOverrides()
    argv = list(sys.argv[1:] if argv is None else argv)
    _language_for_help(argv)
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # --help, --version, bad arguments
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    from govmail_desktop.services.launch import launch_request

    launch = launch_request(compose=args.compose, uri=args.uri, attach=args.attach, cwd=_working_dir())

    paths = AppPaths.default()
    try:
        paths.ensure()
    except OSError as exc:
        tell(f"Cannot create the program's folders / สร้างโฟลเดอร์ของโปรแกรมไม่ได้: {exc}")
        return 1
    setup_logging(paths.log_file, level=logging.DEBUG if args.debug else logging.INFO, console=args.debug)
    log.info(
        "Starting %s %s (Python %s, %s)", APP_NAME, __version__, platform.python_version(), platform.platform()
    )
    log.info("Paths: config=%s data=%s log=%s", paths.config_dir, paths.data_dir, paths.log_dir)
    # 1b. One app per profile: a later launch hands its request to the running one and ends.
    from govmail_desktop.services.single_instance import InstanceGuard

    guard = InstanceGuard(paths)
    if not guard.acquire():
        return hand_over_launch(guard.name, launch)
    problem = display_problem()
    if problem:
        log.error("No display: DISPLAY=%r WAYLAND_DISPLAY=%r QT_QPA_PLATFORM=%r",
                  os.environ.get("DISPLAY"), os.environ.get("WAYLAND_DISPLAY"),
                  os.environ.get("QT_QPA_PLATFORM"))
        tell(problem, box=False)  # no display: no window could show it
        guard.release()
        return 2
    try:
        return _run(args, paths, overrides, guard, launch)
    except Exception:
        log.exception("Fatal error during start-up")
        tell(f"GovMail Desktop could not start; details are in / เปิดโปรแกรมไม่ได้ ดูรายละเอียดใน {paths.log_file}")
        return 1
    finally:
        guard.release()
        log.info("Exited")
        for handler in logging.getLogger().handlers:
            handler.flush()


def _run(
    args: argparse.Namespace, paths: AppPaths, overrides: AppOverrides, guard: InstanceGuard, launch: LaunchRequest
) -> int:
    from govmail_desktop.policy.live import LivePolicy
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.ui.fonts import install_thai_font
    from govmail_desktop.ui.qt_i18n import LanguageController

    # 2. The policy, then the settings under its locks and defaults. Every service reads it through
    # one LivePolicy, which the policy watcher (step 7h) swaps when IT changes the machine policy.
    loaded = load_policy(overrides)
    policy = loaded if isinstance(loaded, LivePolicy) else LivePolicy(loaded)
    settings_path = overrides.settings_path or migrate_settings(paths)  # Windows: now roaming
    settings, settings_errors = load_settings(settings_path, policy)
    log.info("Settings loaded from %s (%d problem(s))", settings_path, len(settings.problems))
    for problem in settings.problems:
        log.warning("Settings: %s", problem)

    # 3. The language, the application, its translators, the Thai font.
    lang = args.lang or settings.ui_language
    catalog.set_language(lang)
    log.info("Language: %s%s", lang, " (from --lang)" if args.lang else "")
    app = create_application()
    log.info("Qt application created (platform %s)", app.platformName())
    restore_qt_handler = _route_qt_messages_to_log()
    language = LanguageController(app, parent=app)
    language.apply(lang)
    font_family = install_thai_font(app)
    instance = listen_for_launches(guard)

    # 4. Where errors become words, also for exceptions escaping a slot or a thread.
    bridge = MessageBridge(app)
    restore_hooks = _install_exception_hooks(bridge)
    shutdown_hooks: list[Callable[[], None]] = [restore_hooks, language.uninstall]
    if instance is not None:
        shutdown_hooks.append(instance.close)

    from govmail_desktop.wiring.termination import quit_on_termination

    # SIGTERM/SIGINT/SIGHUP (a session ending, kill, Ctrl+C) quit the loop: the same shutdown.
    signals = quit_on_termination(app, app.quit)

    def shutdown() -> None:
        log.info("Shutting down")
        if signals is not None:
            signals.uninstall()  # a second signal while shutting down ends the process at once
        for hook in reversed(shutdown_hooks):
            try:
                hook()
            except Exception:
                log.exception("Shutdown hook %r failed", hook)

    app.aboutToQuit.connect(shutdown)

    # 5. The main window, shown at once; the rest joins it right after its first paint.
    from govmail_desktop.wiring.first_paint import FirstPaint
    from govmail_desktop.wiring.window import build_main_window

    window = build_main_window(settings, language, bridge)
    window.set_policy_origin(policy.origins(), ok=policy.ok)  # Help → About names it
    log.info("Main window built")
    first_paint = FirstPaint(window)
    keepers: list[PasswordKeeper] = []
    if args.self_test:  # govmail --self-test: report after the first paint and quit; no wizard
        from govmail_desktop.wiring.self_test import attach_self_test

        attach_self_test(
            app, window, font_family, first_paint=first_paint, store=lambda: keepers[0].store if keepers else None
        )
    failed: list[BaseException] = []

    def rest_of_start() -> None:
        try:
            keepers.append(build_passwords(overrides, bridge))
            _attach_to_window(args, overrides, launch, settings_errors, AppContext(
                paths=paths, settings=settings, app=app, language=language, bridge=bridge, policy=policy,
                passwords=keepers[0], window=window, font_family=font_family,
                instance=instance, shutdown_hooks=shutdown_hooks,
            ))
        except Exception as exc:  # noqa: BLE001 - re-raised after the loop: start-up failed, exit 1
            failed.append(exc)
            app.exit(1)

    first_paint.ready.connect(rest_of_start)
    window.show()
    log.info("Main window shown")

    try:
        code = app.exec()
    finally:
        restore_qt_handler()
    if failed:
        raise failed[0]
    log.info("Event loop ended with code %s", code)
    return int(code)


def _attach_to_window(
    args: argparse.Namespace, overrides: AppOverrides, launch: LaunchRequest, settings_errors: list[GovMailError],
    ctx: AppContext,
) -> None:
    """Steps 6-9, once the main window has been painted: the passwords, the mailboxes, the composer,
    search, the setup wizard; start-up problems, the first run, this launch's and later launches'
    requests."""
    from govmail_desktop.wiring.accounts import (
        account_saved_handler,
        enforce_provisioned_account,
        first_run,
        make_provisioned_start,
        make_setup_wizard_launcher,
        provisioned_address_for,
    )
    from govmail_desktop.wiring.compose import attach_composer, open_composer, open_drafts, resume_draft
    from govmail_desktop.wiring.launches import handle_launch
    from govmail_desktop.wiring.mailboxes import open_mailboxes
    from govmail_desktop.wiring.search import open_search

    window, policy, settings, passwords, bridge = ctx.window, ctx.policy, ctx.settings, ctx.passwords, ctx.bridge
    assert window is not None, "the window is built and shown first"
    # 6. The passwords (built with the context): one keyring, this session's memory.
    ctx.shutdown_hooks.append(passwords.shutdown)
    log.info("Passwords: %s", "keyring and session memory" if passwords.can_keep else "session memory only")

    # 7. The mailboxes: per account cache → queue → sync → service → models; tray, controller.
    # 7a. The account the machine policy provisions is locked to the policy's servers and login.
    ctx.provisioned_address = provisioned_address_for(policy, overrides.os_user)
    enforce_provisioned_account(policy, settings, ctx.provisioned_address, overrides.os_user)
    mailboxes = ctx.mailboxes = open_mailboxes(ctx, overrides)
    drafts = ctx.drafts = open_drafts(ctx)
    # 7c. Writing mail: the composer behind Write / Reply / Forward, the outboxes' answers.
    ctx.composer = attach_composer(ctx, mailboxes, drafts)
    # 7d. The Outbox page: failed / may-have-been-sent messages, the user's choices, notices.
    from govmail_desktop.ui.outbox_controller import attach_outbox_view

    attach_outbox_view(ctx, open_draft=partial(resume_draft, ctx))
    # 7e. Messages in their own windows (double click / Enter, File → Open Message…).
    from govmail_desktop.ui.message_window_controller import attach_message_windows

    attach_message_windows(ctx)
    # 7f. Links in the previews (main window, message windows): the real target on hover, risky ones
    # asked about first, mailto: to the composer; the previews' sender checks use the policy's domains.
    from govmail_desktop.ui.link_guard import attach_link_guard

    attach_link_guard(window, policy.policy.recipients.internal_domains,
                      ctx.composer.compose if ctx.composer is not None else None)
    ctx.search = open_search(ctx, mailboxes)
    # 7g. Search (issue 13): the search view (Ctrl+K, the toolbar's field), saved searches in the
    # folder tree, the quick filter bar (Ctrl+Shift+K), over the search service (ctx.search; None:
    # Ctrl+K says why and the quick filter works without its text box).
    from govmail_desktop.ui.search_controller import attach_search

    attach_search(ctx, getattr(ctx, "search", None))
    # 7h. The machine policy read again while running (every 5 min, a changed file, Windows'
    # "Group Policy applied" broadcast), off the GUI thread; the user is told once.
    from govmail_desktop.wiring.policy_watch import attach_policy_watcher

    ctx.policy_watcher = attach_policy_watcher(ctx, overrides)

    # 8. Adding an account: the setup wizard, whose saved account joins the mailboxes.
    launcher = overrides.setup_wizard_launcher or make_setup_wizard_launcher(
        policy, settings, passwords, on_saved=account_saved_handler(mailboxes)
    )
    window.set_add_account_handler(launcher)
    # 8b. The account the machine policy provisions (policy/provisioning.py), set up at first run.
    provisioned_start = make_provisioned_start(
        policy, settings, passwords, account_saved_handler(mailboxes), bridge, overrides.os_user)
    # The module sources PySide6's import hook left in linecache (core/memory.py): ~10 MB let go.
    from govmail_desktop.core.memory import forget_module_sources

    log.info("Start-up done (%d module source lines let go)", forget_module_sources())

    # 9. Say what went wrong at start-up, first run, this launch's and later launches' requests.
    if policy.error is not None:
        bridge.report_error(policy.error)
    for err in settings_errors:
        bridge.report_error(err)
    if settings.problems:
        bridge.warning(SETTINGS_PROBLEMS)
    if ctx.language.missing:
        log.warning("Missing translation files: %s", ", ".join(ctx.language.missing))
    first_run(settings, window, *((None, None) if args.self_test else (launcher, provisioned_start)))
    # Drafts an earlier run left on disk (it crashed or was killed): offered back.
    from govmail_desktop.ui.draft_recovery import offer_unsent_drafts

    offer_unsent_drafts(window, drafts, partial(resume_draft, ctx))
    if overrides.on_window_shown is not None:
        overrides.on_window_shown(ctx)
    # This launch's own request, then those of later launches (those that came while starting first).
    opener = overrides.open_composer or open_composer
    if launch.compose:
        handle_launch(ctx, opener, launch)
    if ctx.instance is not None:
        ctx.instance.set_handler(partial(handle_launch, ctx, opener))


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

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        qt_log.log(levels.get(mode, logging.WARNING), "%s", message)

    previous = qInstallMessageHandler(handler)

    def restore() -> None:
        qInstallMessageHandler(previous)

    return restore


def _install_exception_hooks(bridge: MessageBridge) -> Callable[[], None]:
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
