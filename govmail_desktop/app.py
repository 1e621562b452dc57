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
 5. the passwords: the OS keyring (one :class:`CredentialStore`) and this session's
    memory, behind one :class:`PasswordKeeper`;
 6. the main window (layout restored);
 7. the mailboxes (:func:`attach_mailboxes`): for each configured account its cache,
    offline queue, sync engine (:func:`engine_sync_factory`), :class:`MailboxService`
    and the UI's models over it (:class:`MailboxModels`); then the tray, the password
    prompts and the :class:`MailboxController` that joins them to the window;
 8. the setup wizard's launcher (an :class:`AccountSetupService` per wizard; a saved
    account joins the mailboxes);
 9. show, report start-up problems, first run, this launch's and later launches'
    requests (:func:`handle_launch` → :func:`open_composer`), the event loop; shutdown
    hooks in reverse order.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from govmail_desktop import APP_ID, APP_NAME, __version__
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.logging_setup import setup_logging
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Setting, Settings
from govmail_desktop.i18n import catalog
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, translate
from govmail_desktop.i18n.cli import argparse_speaks

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtWidgets import QApplication, QWidget

    from govmail_desktop.core.accounts import Account
    from govmail_desktop.core.compose import Draft
    from govmail_desktop.core.entities import Address
    from govmail_desktop.credentials import CredentialStore
    from govmail_desktop.mime.mailto import ComposeRequest
    from govmail_desktop.policy.attachments import AttachmentRules
    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.account_setup import PasswordKeeper
    from govmail_desktop.services.drafts_service import DraftsService
    from govmail_desktop.services.launch import LaunchRequest
    from govmail_desktop.services.mailbox import MailboxService, SyncPort
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.services.outbox_service import OutboxFactory, OutboxService
    from govmail_desktop.services.search_service import SearchService
    from govmail_desktop.services.single_instance import InstanceGuard, InstanceServer
    from govmail_desktop.store.addressbook import AddressBook
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.drafts import DraftStore
    from govmail_desktop.store.op_queue import OfflineOpQueue
    from govmail_desktop.store.outbox import OutboxEntry
    from govmail_desktop.ui.composer.launcher import ComposeLauncher
    from govmail_desktop.ui.mailbox_controller import MailboxController
    from govmail_desktop.ui.mailbox_models import MailboxModels
    from govmail_desktop.ui.main_window import MainWindow
    from govmail_desktop.ui.password_prompt import PasswordPrompts
    from govmail_desktop.ui.preview_pane import PreviewPane
    from govmail_desktop.ui.qt_i18n import LanguageController
    from govmail_desktop.ui.settings_dialog import MailSettings, SearchDownloadSettings
    from govmail_desktop.ui.tray import MailTray

log = logging.getLogger(__name__)

T = TypeVar("T")

# -- the seams (parameters of the root; tests and the demo pass their own) ----------------
#: Opens the setup wizard non-blocking over ``parent``.
SetupWizardLauncher = Callable[["QWidget"], None]
#: ``factory(account, cache, offline_queue)`` → the account's sync service (None: offline only).
SyncFactory = Callable[["Account", "MailCache", "OfflineOpQueue | None"], "SyncPort | None"]
#: The OS keyring for this run (None: none, passwords live in memory only).
CredentialStoreFactory = Callable[[], "CredentialStore | None"]
#: ``factory(window, notifications_enabled)`` → the tray icon.
TrayFactory = Callable[["MainWindow", Callable[[], bool]], "MailTray"]
#: ``opener(ctx, request, files)`` opens the composer (:func:`open_composer`).
ComposerOpener = Callable[["AppContext", "ComposeRequest", list[Path]], None]


@dataclass
class AppOverrides:
    """Seams for tests and ``make demo`` only; never reachable from argv or env."""

    #: Use this settings file instead of the one in the config directory.
    settings_path: Path | None = None
    #: The policy to enforce instead of the machine policy (tests and the demo:
    #: a test policy allowing 127.0.0.1, never a bypass).
    policy: EffectivePolicy | None = None
    #: Opens the account setup wizard; enables File → Add account… and is
    #: called at start-up when no account exists.
    setup_wizard_launcher: SetupWizardLauncher | None = None
    #: Passwords to hold in memory for this run only (account id -> password), as
    #: if the user had typed them for "ask each session" (the demo's accounts).
    session_passwords: dict[str, str] = field(default_factory=dict)
    #: Called once the main window is shown (screenshots, start-up tests).
    on_window_shown: Callable[[AppContext], None] | None = None
    #: Builds each account's sync service instead of :func:`engine_sync_factory`.
    sync_factory: SyncFactory | None = None
    #: The keyring for this run instead of the system's.
    credential_store_factory: CredentialStoreFactory | None = None
    #: The tray icon instead of :func:`system_tray`.
    tray_factory: TrayFactory | None = None
    #: Opens the composer for a launch's request instead of :func:`open_composer`.
    open_composer: ComposerOpener | None = None


@dataclass
class AppContext:
    """What the composition root built, in one place (passed to hooks and tests)."""

    paths: AppPaths
    settings: Settings
    app: QApplication
    language: LanguageController
    bridge: MessageBridge
    policy: EffectivePolicy
    passwords: PasswordKeeper
    window: MainWindow | None = None
    font_family: str | None = None
    #: The accounts' mailboxes, their controller and the tray.
    mailboxes: Mailboxes | None = None
    #: Drafts of every account: autosave, the Drafts folder, the start-up offer.
    drafts: DraftsService | None = None
    #: Opens composer windows (Write, Reply, a mailto: link, a recovered draft).
    composer: ComposeLauncher | None = None
    #: Takes the requests of later launches (None: no safe place for its socket).
    instance: InstanceServer | None = None
    #: Search over every account's local index (issue 13); None: not built.
    search: SearchService | None = None
    shutdown_hooks: list[Callable[[], None]] = field(default_factory=list)


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


def create_application(argv0: str = "govmail") -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from govmail_desktop.ui import icons

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([argv0])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("GovMail")
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(icons.icon(icons.APP_ICON))
    return app


def build_main_window(
    settings: Settings,
    language: LanguageController,
    bridge: MessageBridge,
    *,
    setup_wizard_launcher: SetupWizardLauncher | None = None,
) -> MainWindow:
    """The main window wired to the language controller, the settings and the bridge.

    Needs a QApplication; does not show the window or run the event loop.
    """
    from govmail_desktop.ui.main_window import MainWindow

    window = MainWindow(language=language.language, show_preview=settings.mail_preview_pane)
    # The size, place and pane sizes the user left last time (else chosen for the screen).
    window.restore_layout(settings.ui_window_geometry, settings.ui_pane_sizes)
    window.layout_changed.connect(partial(save_window_layout, settings, bridge))
    bridge.message.connect(window.show_message)
    window.language_requested.connect(partial(switch_language, settings, language, bridge))
    language.language_changed.connect(window.set_current_language)
    window.preview_pane_toggled.connect(
        lambda on: save_setting(settings, bridge, Settings.mail_preview_pane, bool(on))
    )
    window.set_add_account_handler(setup_wizard_launcher)
    return window


def save_setting(settings: Settings, bridge: MessageBridge, setting: Setting[T], value: T) -> bool:
    """Change one setting and write the file; problems go to the message bridge."""
    try:
        settings.set(setting, value)
        settings.save()
    except GovMailError as err:
        bridge.report_error(err)
        return False
    log.info("Setting %s changed", setting.key)
    return True


def save_window_layout(settings: Settings, bridge: MessageBridge, geometry: str, pane_sizes: str) -> None:
    """Keep the window's geometry and pane sizes for the next start (written only when changed)."""
    changed = False
    for setting, value in ((Settings.ui_window_geometry, geometry), (Settings.ui_pane_sizes, pane_sizes)):
        if settings.value(setting) != value and not settings.is_locked(setting):
            try:
                settings.set(setting, value)
            except GovMailError as err:
                log.warning("Window layout not kept: %s", err)
                return
            changed = True
    if changed:
        try:
            settings.save()
        except GovMailError as err:
            bridge.report_error(err)


def switch_language(settings: Settings, language: LanguageController, bridge: MessageBridge, lang: str) -> None:
    """Use ``lang`` now (live retranslation) and keep it for the next start."""
    language.apply(lang)
    save_setting(settings, bridge, Settings.ui_language, language.language)


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


# -- the mailboxes ----------------------------------------------------------------------------
def system_tray(window: MainWindow, notifications_enabled: Callable[[], bool]) -> MailTray:
    """The tray icon (a system tray when the desktop has one; else notices in the status bar)."""
    from govmail_desktop.ui.tray import MailTray

    return MailTray(window, notifications_enabled=notifications_enabled)


def engine_sync_factory(policy: EffectivePolicy, settings: Settings, passwords: PasswordKeeper) -> SyncFactory | None:
    """Builds each account's sync engine and its adapter; None when nothing may connect.

    A broken machine policy fails closed: no sync service at all (the window
    shows the cache, offline). The password comes from the keyring or the
    session's memory, asked on the engine's worker thread at connect time.
    """
    if policy.error is not None:
        return None
    from govmail_desktop.core.accounts import special_folder_roles
    from govmail_desktop.core.errors import PasswordNeeded
    from govmail_desktop.services.body_download import for_account as search_download
    from govmail_desktop.services.sync_adapter import EngineSyncAdapter
    from govmail_desktop.services.sync_service import SyncService, imap_connector

    def factory(account: Account, cache: MailCache, queue: OfflineOpQueue | None) -> SyncPort | None:
        if queue is None:  # nowhere to keep the user's actions: offline only
            return None

        def password() -> str:
            found = passwords.password_for(account)
            if found is None:  # "ask each session" after a restart, or the keyring lost it
                raise PasswordNeeded(detail=f"no password known for account {account.id}")
            return found

        server_policy = policy.server_policy()
        connect = imap_connector(account, password, server_policy)
        idle = imap_connector(account, password, server_policy) if settings.sync_idle else None
        chosen = special_folder_roles(account, settings.locked)
        service = SyncService(cache, queue, connect, idle_connect=idle, chosen_folders=chosen)
        adapter = EngineSyncAdapter(service, cache, queue)
        service.setParent(adapter)
        # The text of recent mail for offline search: starts once connected (issue 13).
        adapter.body_downloader = search_download(service, cache, policy, settings, parent=adapter)
        return adapter

    return factory


def account_label(account: Account) -> str:
    """"Name <address>" as the account list shows it."""
    name = getattr(account, "display_name", "")
    address = getattr(account, "address", "")
    return f"{name} <{address}>" if name and address else (address or name or account.id)


@dataclass
class AccountMailbox:
    """What the root built for one account (closed at shutdown)."""

    account: Account
    cache: MailCache
    offline_queue: OfflineOpQueue | None
    sync: SyncPort | None
    service: MailboxService
    models: MailboxModels
    #: Sending (None: the account cannot send, e.g. the policy is broken).
    outbox: OutboxService | None = None

    def close(self) -> None:
        if self.outbox is not None:
            self.outbox.shutdown()
        self.service.shutdown()
        self.cache.close()
        if self.offline_queue is not None:
            self.offline_queue.close()


class Mailboxes:
    """The accounts' mailboxes joined to the window: their controller, the tray and the
    password prompts (built by :func:`attach_mailboxes`; accounts saved later by the setup
    wizard come in through :meth:`add_account`)."""

    def __init__(
        self,
        window: MainWindow,
        settings: Settings,
        bridge: MessageBridge,
        *,
        paths: AppPaths | None,
        sync_factory: SyncFactory | None,
        passwords: PasswordKeeper | None,
        tray_factory: TrayFactory,
        mark_read_on_view: bool,
        outbox_factory: OutboxFactory | None = None,
    ) -> None:
        from govmail_desktop.ui.password_prompt import PasswordPrompts

        self.window = window
        self.settings = settings
        self.bridge = bridge
        self.paths = paths
        self.sync_factory = sync_factory
        self.outbox_factory = outbox_factory
        self.tray_factory = tray_factory
        self.mark_read_on_view = mark_read_on_view
        self.prompts: PasswordPrompts = PasswordPrompts(window, passwords)
        self.accounts: list[AccountMailbox] = []
        self.controller: MailboxController | None = None
        self.tray: MailTray | None = None
        #: What the later steps of the root join to each account (:meth:`join`).
        self._joiners: list[Callable[[AccountMailbox], None]] = []

    def join(self, joiner: Callable[[AccountMailbox], None]) -> None:
        """Run ``joiner`` for every open account now and for each account added later (the
        drafts' server, the address book, the composer's outbox answers): an account the setup
        wizard saves while the app runs gets everything a started one has."""
        self._joiners.append(joiner)
        for mailbox in list(self.accounts):
            joiner(mailbox)

    def open(self, account: Account) -> AccountMailbox | None:
        """One account, in order: cache → offline queue → sync service → mailbox service →
        the UI's models → password prompts; then it starts from its cache (no network first).
        None (reported) when its cache cannot open."""
        from govmail_desktop.core.accounts import locked_folder_choice
        from govmail_desktop.core.errors import StorageError
        from govmail_desktop.services.mailbox import MailboxService
        from govmail_desktop.store.cache import MailCache
        from govmail_desktop.store.op_queue import OfflineOpQueue
        from govmail_desktop.ui.mailbox_models import MailboxModels

        try:
            cache = MailCache.for_account(account.id, self.paths)
        except GovMailError as err:
            log.error("Mailbox of %s could not be opened: %s", account.id, err)
            self.bridge.report_error(err)
            return None
        if cache.rebuilt:
            log.warning("Cache of account %s was rebuilt: %s", account.id, cache.rebuild_reason)
        problems: list[GovMailError] = []
        queue: OfflineOpQueue | None
        try:
            queue = OfflineOpQueue.for_account(account.id, self.paths)
        except StorageError as exc:
            log.error("Offline queue of %s unusable: %s", account.id, exc)
            problems.append(exc)
            queue = None
        sync: SyncPort | None = None
        if self.sync_factory is not None:
            try:
                sync = self.sync_factory(account, cache, queue)
            except GovMailError as exc:
                problems.append(exc)
                log.error("Sync service of %s could not be built: %s", account.id, exc)
        service = MailboxService(
            account.id, account_label(account), cache, sync=sync, offline_queue=queue, bridge=self.bridge,
            parent=self.window,
        )
        service.set_folder_choice(  # the sync service was given the same choice
            dict(getattr(account, "special_folders", ()) or ()),
            locked_folder_choice(self.settings.locked),
            apply=False,
        )
        models = MailboxModels(service)
        self.prompts.watch(account, service)
        for problem in problems:
            self.bridge.report_error(problem)
        mailbox = AccountMailbox(account, cache, queue, sync, service, models)
        mailbox.outbox = self.open_outbox(mailbox)
        self.accounts.append(mailbox)
        service.start()  # cached mail first (Inbox), then the sync service
        service.set_check_interval(self.settings.sync_check_minutes)
        log.info("Mailbox of account %s opened (%s)", account.id, "with sync" if sync else "offline only")
        return mailbox

    def open_outbox(self, mailbox: AccountMailbox) -> OutboxService | None:
        """The account's outbox: sends while its mailbox is online, shows its count in the
        folder tree and the status bar. None (reported) when it cannot be built."""
        from govmail_desktop.services.mailbox import STATE_ONLINE

        if self.outbox_factory is None:
            return None
        try:
            outbox = self.outbox_factory(mailbox.account, mailbox.cache, mailbox.offline_queue)
        except GovMailError as exc:
            log.error("Outbox of %s could not be opened: %s", mailbox.account.id, exc)
            self.bridge.report_error(exc)
            return None
        if outbox is None:
            return None
        outbox.setParent(self.window)
        mailbox.service.connection_changed.connect(lambda state: outbox.set_online(state == STATE_ONLINE))
        outbox.countChanged.connect(mailbox.models.folder_model.set_outbox_count)
        outbox.countChanged.connect(self._show_outbox_count)
        outbox.submitFailed.connect(lambda _draft_id, error: self.bridge.report_error(error))
        outbox.start()
        return outbox

    def _show_outbox_count(self) -> None:
        self.window.set_outbox_count(sum(m.outbox.count() for m in self.accounts if m.outbox is not None))

    def outbox_of(self, account_id: str) -> OutboxService | None:
        """Where the composer sends a draft of this account (None: it cannot be sent)."""
        for mailbox in self.accounts:
            if mailbox.account.id == account_id:
                return mailbox.outbox
        return None

    def connect_window(self, opened: Sequence[AccountMailbox]) -> None:
        """The tray and the controller that joins the accounts' models to the window."""
        from govmail_desktop.ui.mailbox_controller import MailboxController

        settings = self.settings
        self.tray = self.tray_factory(self.window, lambda: settings.notify_new_mail)
        self.controller = MailboxController(
            self.window,
            [m.models for m in opened],
            bridge=self.bridge,
            tray=self.tray,
            threaded=settings.mail_threading,
            thai_digits=lambda: settings.ui_thai_digits,
            notify_new_mail=lambda: settings.notify_new_mail,
            save_threading=partial(save_setting, settings, self.bridge, Settings.mail_threading),
            save_folder_choice=self.save_folder_choice,
            mark_read_on_view=self.mark_read_on_view,
        )
        log.info("Window connected to %d account(s)", len(opened))

    def add_account(self, account: Account) -> None:
        """An account the setup wizard just saved: open it and show it."""
        if self.service_of(account.id) is not None:
            return
        mailbox = self.open(account)
        if mailbox is None:
            return
        if self.controller is None:
            self.connect_window([mailbox])
        else:
            self.controller.add_mailbox(mailbox.models)
        for joiner in list(self._joiners):
            try:
                joiner(mailbox)
            except GovMailError as err:
                self.bridge.report_error(err)

    def save_folder_choice(self, service: MailboxService, choice: dict[str, str]) -> None:
        """The user picked special folders (File → Special Folders): keep them with the
        account in the settings file and show them at once."""
        from govmail_desktop.core.accounts import Account, AccountStore

        mailbox = next((m for m in self.accounts if m.service is service), None)
        if mailbox is None:
            return
        account = mailbox.account
        if isinstance(account, Account):
            try:
                updated = account.with_special_folders(choice)
                store = AccountStore(self.settings)
                store.update(updated)
                store.save()
            except GovMailError as err:
                self.bridge.report_error(err)
                return
            except KeyError:
                log.error("Account %s is no longer in the settings", account.id)
                return
            mailbox.account = updated
        service.set_folder_choice(choice)

    #: The policy's ``search.max_download_days`` (open_mailboxes sets it; 0: no download allowed;
    #: None: no policy given, no cap).
    search_download_cap: int | None = None

    def search_download_settings(self) -> SearchDownloadSettings:
        """Edit → Settings' days of mail downloaded for offline search, the lock and the cap."""
        from govmail_desktop.ui.settings_dialog import SearchDownloadSettings

        settings = self.settings
        cap = SearchDownloadSettings().cap if self.search_download_cap is None else self.search_download_cap
        return SearchDownloadSettings(
            days=settings.search_download_days,
            locked=settings.is_locked(Settings.search_download_days),
            cap=cap,
        )

    def apply_search_download(self, days: int) -> None:
        """The user changed the days in Edit → Settings: save, and each account's download
        starts again from what is cached (more days: older mail too; 0: it stops)."""
        current = self.search_download_settings()
        if current.fixed or days == current.shown:
            return
        save_setting(self.settings, self.bridge, Settings.search_download_days, max(0, min(int(days), current.cap)))
        for mailbox in self.accounts:
            downloader = getattr(mailbox.sync, "body_downloader", None)
            if downloader is not None:
                downloader.settings_changed()

    def mail_settings(self) -> MailSettings:
        """The preferences Edit → Settings shows (and which of them the policy locks)."""
        from govmail_desktop.ui.settings_dialog import MailSettings

        settings = self.settings
        return MailSettings(
            check_minutes=settings.sync_check_minutes,
            check_locked=settings.is_locked(Settings.sync_check_minutes),
            notify=settings.notify_new_mail,
            notify_locked=settings.is_locked(Settings.notify_new_mail),
        )

    def apply_mail_settings(self, check_minutes: int, notify: bool) -> None:
        """The user changed them in Edit → Settings: save, and check on the new schedule."""
        current = self.mail_settings()
        if check_minutes != current.check_minutes and not current.check_locked:
            save_setting(self.settings, self.bridge, Settings.sync_check_minutes, int(check_minutes))
            for mailbox in self.accounts:
                mailbox.service.set_check_interval(self.settings.sync_check_minutes)
        if notify != current.notify and not current.notify_locked:
            save_setting(self.settings, self.bridge, Settings.notify_new_mail, bool(notify))  # read at each new mail

    def service_of(self, account_id: str) -> MailboxService | None:
        for mailbox in self.accounts:
            if mailbox.account.id == account_id:
                return mailbox.service
        return None

    def shutdown(self) -> None:
        if self.controller is not None:
            self.controller.shutdown()
        for mailbox in self.accounts:
            try:
                mailbox.close()
            except Exception:  # the others must still close
                log.exception("Closing the mailbox of %s failed", mailbox.account.id)


def join_format_choice(pane: PreviewPane, settings: Settings, bridge: MessageBridge, force_plain_text: bool) -> None:
    """The preview's plain/formatted choice: the user's ``mail.prefer_plain_text`` (kept when the
    toggle changes it, unless the policy locks it) under the policy's ``content.force_plain_text``."""
    locked = settings.is_locked(Settings.mail_prefer_plain_text)
    pane.set_format_options(
        prefer_plain=settings.mail_prefer_plain_text,
        force_plain=force_plain_text,
        save=None if locked else partial(save_setting, settings, bridge, Settings.mail_prefer_plain_text),
    )


def attach_mailboxes(
    window: MainWindow,
    settings: Settings,
    bridge: MessageBridge,
    accounts: Sequence[Account],
    *,
    paths: AppPaths | None = None,
    sync_factory: SyncFactory | None = None,
    passwords: PasswordKeeper | None = None,
    tray_factory: TrayFactory = system_tray,
    attachment_rules: AttachmentRules | None = None,
    mark_read_on_view: bool = True,
    outbox_factory: OutboxFactory | None = None,
    force_plain_text: bool = False,
) -> Mailboxes:
    """Open every account's mailbox and join them to ``window`` (step 7 of :func:`main`).

    Starts offline from the cache (the window shows the mail it had at once);
    each account's sync service, when one can be built, connects afterwards.
    No account → no models are set and the window keeps its placeholders. An
    account that cannot open is reported; the others still open.

    Tests build their window through this too: their seams are the parameters
    (``sync_factory``, ``passwords`` with its credential store, ``tray_factory``).
    """
    window.preview_view.attachment_rules = attachment_rules
    join_format_choice(window.preview_view, settings, bridge, force_plain_text)
    mailboxes = Mailboxes(
        window, settings, bridge, paths=paths, sync_factory=sync_factory, passwords=passwords,
        tray_factory=tray_factory, mark_read_on_view=mark_read_on_view, outbox_factory=outbox_factory,
    )
    window.set_mail_settings_source(mailboxes.mail_settings)
    window.mail_settings_requested.connect(mailboxes.apply_mail_settings)
    window.set_search_download_source(mailboxes.search_download_settings)
    window.search_download_requested.connect(mailboxes.apply_search_download)
    opened = [m for m in (mailboxes.open(a) for a in accounts) if m is not None]
    if opened:
        mailboxes.connect_window(opened)
    return mailboxes


def open_mailboxes(ctx: AppContext, overrides: AppOverrides) -> Mailboxes:
    """Step 7: the configured accounts' mailboxes in the window, closed at shutdown."""
    from govmail_desktop.core.accounts import accounts_of

    assert ctx.window is not None, "the window is built before the mailboxes"
    try:
        accounts = accounts_of(ctx.settings)
    except GovMailError as err:
        ctx.bridge.report_error(err)
        accounts = []
    policy = ctx.policy
    sync_factory = overrides.sync_factory or engine_sync_factory(policy, ctx.settings, ctx.passwords)
    from govmail_desktop.services.outbox_service import engine_outbox_factory

    mailboxes = attach_mailboxes(
        ctx.window, ctx.settings, ctx.bridge, accounts,
        paths=ctx.paths, sync_factory=sync_factory, passwords=ctx.passwords,
        tray_factory=overrides.tray_factory or system_tray,
        attachment_rules=policy.attachment_rules() if policy.error is None else None,
        outbox_factory=engine_outbox_factory(policy, ctx.passwords, ctx.paths),
        force_plain_text=policy.policy.content.force_plain_text,
    )
    ctx.shutdown_hooks.append(mailboxes.shutdown)
    # Text of recent mail downloaded for offline search: never more days than the policy allows.
    mailboxes.search_download_cap = policy.policy.search.max_download_days if policy.error is None else 0
    from govmail_desktop.ui.remote_bar import attach_remote_content

    # Remote images of formatted messages: the policy, the user's choice, the senders' list.
    ctx.shutdown_hooks.append(
        attach_remote_content(ctx.window.preview_view, policy, ctx.settings, ctx.paths.data_dir, ctx.bridge)
    )
    from govmail_desktop.services.attachments import default_opened_root
    from govmail_desktop.ui.attachment_panel import attach_attachment_panels

    # Save / Open of attachments in the preview and the message windows; the opened copies
    # an earlier run left are removed now, this run's at exit.
    ctx.shutdown_hooks.append(
        attach_attachment_panels(ctx.window.preview_view, mailboxes, default_opened_root(ctx.paths.cache_dir))
    )
    log.info("Mailboxes attached: %d account(s)", len(mailboxes.accounts))
    return mailboxes


# -- writing mail ---------------------------------------------------------------------------------
def attach_composer(ctx: AppContext, mailboxes: Mailboxes, drafts: DraftsService) -> ComposeLauncher:
    """Step 7c: the composer joined to the window (:func:`build_composer`); open composers
    keep their drafts at shutdown."""
    assert ctx.window is not None, "the window is built before the composer"
    book = open_address_book(ctx, mailboxes)
    launcher = build_composer(ctx.window, ctx.settings, ctx.policy, ctx.bridge, mailboxes, drafts, book)
    ctx.shutdown_hooks.append(launcher.close_all)
    return launcher


def _record_sent(book: AddressBook, account_id: str, entry: OutboxEntry, taken: list[str]) -> None:
    book.record_sent(account_id, taken, message_id=entry.message_id)


def open_address_book(ctx: AppContext, mailboxes: Mailboxes) -> AddressBook | None:
    """The address book behind the recipient fields: the user's contacts and every account's
    cached senders and recipients, read again (off the GUI thread) as new mail arrives."""
    from govmail_desktop.core.identities import ComposerProfiles
    from govmail_desktop.store.addressbook import AddressBook

    try:
        book = AddressBook(ctx.paths.data_dir)
    except GovMailError as err:
        ctx.bridge.report_error(err)
        return None
    started = False

    def join(mailbox: AccountMailbox) -> None:
        account = mailbox.account
        own = [i.address for i in ComposerProfiles(ctx.settings).identities(account)]
        try:
            book.add_account(account.id, mailbox.cache, own)
        except GovMailError as err:
            ctx.bridge.report_error(err)
            return
        mailbox.service.new_mail.connect(lambda _new, account_id=account.id: book.harvest_in_background(account_id))
        if mailbox.outbox is not None:  # recipients of sent mail suggested at once (outbox worker thread)
            mailbox.outbox.pipeline.accepted_listeners.append(partial(_record_sent, book, account.id))
        if started:  # an account added while the app runs: read its cache now
            book.harvest_in_background(account.id)

    mailboxes.join(join)
    started = True
    book.harvest_in_background()
    ctx.shutdown_hooks.append(book.close)
    log.info("Address book opened (%d account(s))", len(mailboxes.accounts))
    return book


def build_composer(
    window: MainWindow, settings: Settings, policy: EffectivePolicy, bridge: MessageBridge,
    mailboxes: Mailboxes, drafts: DraftsService, address_book: AddressBook | None = None,
) -> ComposeLauncher:
    """What starts a composer (identities, signatures, the policy's rules, the
    pre-send check, the drafts, each account's outbox) and the launcher behind Write /
    Reply / Forward. What an outbox does with a message the composer handed it comes back
    here: taken → the draft is thrown away (here and in the Drafts folder); refused → it
    opens again with the reasons."""
    from PySide6.QtCore import Qt

    from govmail_desktop.core.accounts import accounts_of
    from govmail_desktop.core.identities import ComposerProfiles
    from govmail_desktop.mime.outgoing import check_before_send
    from govmail_desktop.services.compose_start import ComposeStarter
    from govmail_desktop.ui.composer.identities import IdentityEditor
    from govmail_desktop.ui.composer.launcher import ComposeLauncher
    from govmail_desktop.ui.composer.signatures import SignatureEditor

    store = drafts.store
    profiles = ComposerProfiles(settings)
    for problem in profiles.problems:
        log.warning("Composer settings: %s", problem)
    recipient_policy = policy.recipient_policy()  # a broken policy blocks every recipient
    attachment_rules = policy.attachment_rules()
    check = partial(check_before_send, recipient_policy=recipient_policy, attachment_rules=attachment_rules)

    def accounts() -> list[Account]:
        try:
            return accounts_of(settings)
        except GovMailError:
            return []

    starter = ComposeStarter(
        accounts=accounts, profiles=profiles, recipient_policy=recipient_policy,
        attachment_rules=attachment_rules, check=check, store=store, drafts=drafts,
        outbox_for=mailboxes.outbox_of, autosave_seconds=lambda: settings.compose_autosave_seconds,
        sender_allowed=partial(_policy_takes_address, policy),
    )

    def edit_signatures(parent: QWidget) -> None:
        editor = SignatureEditor(profiles, [(a.id, profiles.identities(a)) for a in accounts()], parent)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(partial(_save_settings, settings, bridge))
        editor.open()

    def edit_identities(parent: QWidget) -> None:
        # An identity's address is held to the rules of an account's address (allowed domains).
        editor = IdentityEditor(profiles, [(a.id, profiles.identities(a)) for a in accounts()],
                                policy.check_account_address, parent)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(partial(_save_settings, settings, bridge))
        editor.saved.connect(tell_address_book)
        editor.open()

    def tell_address_book() -> None:
        """New or removed identities: the address book stops (or starts) suggesting them."""
        if address_book is not None:
            for account in accounts():
                address_book.set_own_addresses(account.id, [i.address for i in profiles.identities(account)])

    launcher = ComposeLauncher(
        window, starter, lambda: mailboxes.controller.current if mailboxes.controller else None,
        bridge=bridge, rich_text=lambda: settings.compose_rich_text, drafts=drafts,
        edit_signatures=edit_signatures, edit_identities=edit_identities, address_book=address_book, parent=window,
    )
    def join(mailbox: AccountMailbox) -> None:
        if mailbox.outbox is not None:
            mailbox.outbox.submitted.connect(partial(_draft_sent, drafts, mailbox.account.id))
            mailbox.outbox.refused.connect(partial(_draft_refused, launcher, store, bridge))
        window.set_composer_ready(bool(accounts()))  # Write works once an account exists

    mailboxes.join(join)
    log.info("Composer attached (%d account(s), drafts in %s)", len(accounts()), store.root)
    return launcher


def _policy_takes_address(policy: EffectivePolicy, address: str) -> bool:
    """Whether the policy would take ``address`` as an account's (an identity's From)."""
    try:
        policy.check_account_address(address)
    except GovMailError:
        return False
    return True


def _save_settings(settings: Settings, bridge: MessageBridge) -> None:
    try:
        settings.save()
    except GovMailError as err:
        bridge.report_error(err)


def _draft_sent(drafts: DraftsService, account_id: str, draft_id: str) -> None:
    """The outbox has the message for good: its draft goes, here and in the Drafts folder
    (always asked: the copies are found by the draft's id, also one a Ctrl+S made whose
    answer had not come back yet)."""
    from govmail_desktop.core.compose import Draft

    draft = drafts.last_saved(draft_id) or Draft(draft_id=draft_id, account_id=account_id)
    drafts.discard(draft_id)
    drafts.remove_from_server(draft)


def _draft_refused(launcher: ComposeLauncher, store: DraftStore, bridge: MessageBridge, draft_id: str,
                   check: object) -> None:
    """The outbox's own check refused what the composer let through: open it again, saying why."""
    from govmail_desktop.store.drafts import DraftMissing

    try:
        draft = store.load(draft_id)
    except (DraftMissing, GovMailError) as err:
        bridge.report_error(err)
        return
    launcher.reopen_refused(draft, check)


# -- adding an account --------------------------------------------------------------------------
def open_search(ctx: AppContext, mailboxes: Mailboxes) -> SearchService:
    """Step 7g: the search service and, per account, its index next to the cache
    (``search.sqlite3``) kept current by an indexer thread; an index that cannot open
    leaves that account out of the local search (logged), never the app. The server part
    (services/server_search.py) is attached to it."""
    from govmail_desktop.search.index import INDEX_FILE, SearchIndex
    from govmail_desktop.services.search_service import SearchService
    from govmail_desktop.services.server_search import ServerSearch

    service = SearchService(parent=ctx.window)
    # What is not body-indexed here is searched on the servers, on each account's connection
    # worker (an account without a sync engine counts as offline: its server part is skipped).
    server = ServerSearch(service)
    service.attach_server_search(server)

    def join(mailbox: AccountMailbox) -> None:
        server.add_account(mailbox.account.id, getattr(mailbox.sync, "service", None), mailbox.cache)
        try:
            index = SearchIndex(mailbox.cache.path.with_name(INDEX_FILE), cache_path=mailbox.cache.path)
        except GovMailError as err:
            log.error("Search index of %s could not be opened: %s", mailbox.account.id, err)
            return
        service.add_account(mailbox.account.id, mailbox.cache, index)

    mailboxes.join(join)
    ctx.shutdown_hooks.append(service.shutdown)  # before the caches close (hooks run last first)
    return service


def open_drafts(ctx: AppContext) -> DraftsService:
    """The drafts service (``<data_dir>/drafts/``), joined to each account's connection worker."""
    from govmail_desktop.core.accounts import special_folder_roles
    from govmail_desktop.core.entities import Address
    from govmail_desktop.services.drafts_service import DraftsServer, DraftsService
    from govmail_desktop.store.drafts import DraftStore

    drafts = DraftsService(DraftStore.default(ctx.paths), parent=ctx.app)

    def join(mailbox: AccountMailbox) -> None:
        runner = getattr(mailbox.sync, "service", None)  # the engine adapter's SyncService
        if runner is not None and hasattr(runner, "run_on_connection"):
            account = mailbox.account
            chosen = special_folder_roles(account, ctx.settings.locked)
            address = Address(account.display_name, account.address)
            drafts.set_server(account.id, DraftsServer(runner, mailbox.cache, address, chosen))

    if ctx.mailboxes is not None:
        ctx.mailboxes.join(join)
    ctx.shutdown_hooks.append(drafts.shutdown)
    return drafts


def resume_draft(ctx: AppContext, draft: Draft) -> None:
    """Open a saved draft (recovered at start-up, or from the Drafts folder) in the composer."""
    if ctx.composer is None:
        log.info("Draft %s to be resumed; no composer in this window", draft.draft_id)
        return
    ctx.composer.resume(draft)


def make_setup_wizard_launcher(
    policy: EffectivePolicy, settings: Settings, passwords: PasswordKeeper, on_saved: Callable[[Account], None]
) -> SetupWizardLauncher:
    """Opens the setup wizard (non-modal) under the policy in force; each wizard gets its
    own :class:`AccountSetupService` (no Qt parent: its check thread may outlive the
    wizard), and a saved account goes to ``on_saved``."""

    def launch(parent: QWidget) -> None:
        from PySide6.QtCore import Qt

        from govmail_desktop.services.account_setup import AccountSetupService
        from govmail_desktop.ui.setup_wizard import SetupWizard

        service = AccountSetupService(policy, passwords.store, settings=settings, passwords=passwords)
        wizard = SetupWizard(service, parent=parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.account_saved.connect(on_saved)
        wizard.open()

    return launch


def account_saved_handler(mailboxes: Mailboxes) -> Callable[[Account], None]:
    """What the setup wizard's "saved" does: the new account joins the window."""

    def on_saved(account: Account) -> None:
        log.info("Account %s added", account.id)
        mailboxes.add_account(account)

    return on_saved


def first_run(settings: Settings, window: QWidget, launcher: SetupWizardLauncher | None) -> None:
    """With no usable account yet, open the setup wizard."""
    from govmail_desktop.core.accounts import needs_setup

    if not needs_setup(settings):
        return
    if launcher is None:
        log.info("No account configured; no setup wizard connected")
        return
    log.info("No account configured: opening the setup wizard")
    launcher(window)


# -- launches: one app per profile, the composer from a link or files ----------------------------
ALREADY_RUNNING_UNREACHABLE = QT_TRANSLATE_NOOP(
    "App",
    "GovMail Desktop is already running, but this start could not pass the request to it safely. "
    "Please switch to its window.",
)
ALREADY_RUNNING_NO_ANSWER = QT_TRANSLATE_NOOP(
    "App",
    "GovMail Desktop is already running but does not answer. Please switch to its window, or close it "
    "and try again.",
)
ALREADY_RUNNING_REFUSED = QT_TRANSLATE_NOOP(
    "App",
    "GovMail Desktop is already running but did not accept the request (it may be another version). "
    "Please close it and try again.",
)


def _working_dir() -> Path:
    """Where relative ``--attach`` names are looked for (a deleted folder: the root, and the
    file check then says the file was not found)."""
    try:
        return Path.cwd()
    except OSError:
        return Path(os.sep)


def hand_over_launch(name: str | None, launch: LaunchRequest) -> int:
    """This launch is the second on its profile: say what is wrong with its request on
    stderr (the running app shows it too), hand the request over, end. 0 when it was
    handed over without problems, 2 with problems, 1 when it could not be handed over."""
    from govmail_desktop.services.launch import evaluate
    from govmail_desktop.services.single_instance import HandOver, hand_over

    order = evaluate(launch)
    problems = list(order.problems) if order is not None else []
    for err in problems:
        print(err.user_text(), file=sys.stderr)
    notice = order.request.ignored_notice() if order is not None and order.request is not None else None
    if notice is not None:
        print(notice.text(), file=sys.stderr)
    result = hand_over(name, launch) if name is not None else HandOver.UNSAFE
    log.info("Second launch: request %s the running instance (%s)",
             "handed to" if result is HandOver.DELIVERED else "not handed to", result.value)
    if result is HandOver.DELIVERED:
        return 2 if problems else 0
    failure = {
        HandOver.REFUSED: ALREADY_RUNNING_REFUSED,
        HandOver.NO_ANSWER: ALREADY_RUNNING_NO_ANSWER,
    }.get(result, ALREADY_RUNNING_UNREACHABLE)
    print(failure.text(), file=sys.stderr)
    return 1


def listen_for_launches(guard: InstanceGuard) -> InstanceServer | None:
    """Step 3b: take later launches' requests (they wait until the window is shown)."""
    from govmail_desktop.services.single_instance import InstanceServer

    if guard.name is None:
        log.warning("No private place for the instance socket: later launches cannot reach this one")
        return None
    server = InstanceServer(guard.name)
    if not server.listen():
        return None
    return server


def raise_window(window: QWidget) -> None:
    """Bring the main window to the front (from the tray or minimised too)."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()


def handle_launch(ctx: AppContext, opener: ComposerOpener, launch: LaunchRequest) -> None:
    """A launch's request in the running app: the window comes forward; for compose, the
    link's and files' problems are shown, and the composer opens (unless the link was
    broken) through ``opener``."""
    from govmail_desktop.services.launch import evaluate

    if ctx.window is not None:
        raise_window(ctx.window)
    order = evaluate(launch)
    if order is None:
        return
    for err in order.problems:
        ctx.bridge.report_error(err)
    if order.request is None:
        return
    notice = order.request.ignored_notice()
    if notice is not None:
        ctx.bridge.warning(notice)
    opener(ctx, order.request, list(order.attachments))


def open_composer(ctx: AppContext, request: ComposeRequest, attachments: list[Path]) -> None:
    """Open a new message filled from ``request`` (a link's fields) with ``attachments``
    (checked files; the agency's attachment rules apply in the composer). The composer
    window's entry point: every way of writing a message from outside comes here."""
    log.info("Composer asked for: %d recipient(s), %d file(s)",
             len(request.to) + len(request.cc) + len(request.bcc), len(attachments))
    if ctx.composer is None:
        return
    from govmail_desktop.mime.reply import format_address

    def joined(addresses: Sequence[Address]) -> str:
        return ", ".join(format_address(a) for a in addresses)

    composer = ctx.composer.compose(
        to=joined(request.to), cc=joined(request.cc), bcc=joined(request.bcc),
        subject=request.subject, text=request.body,
    )
    if composer is None:
        ctx.bridge.warning(QT_TRANSLATE_NOOP("App", "Set up an account first to write a message."))
        return
    composer.attach_files(attachments)


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
        print(f"Cannot create the program's folders / สร้างโฟลเดอร์ของโปรแกรมไม่ได้: {exc}", file=sys.stderr)
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
        print(problem, file=sys.stderr)
        guard.release()
        return 2
    try:
        return _run(args, paths, overrides, guard, launch)
    except Exception:
        log.exception("Fatal error during start-up")
        print(
            "GovMail Desktop could not start; details are in / เปิดโปรแกรมไม่ได้ ดูรายละเอียดใน "
            f"{paths.log_file}",
            file=sys.stderr,
        )
        return 1
    finally:
        guard.release()
        log.info("Exited")
        for handler in logging.getLogger().handlers:
            handler.flush()


def _run(
    args: argparse.Namespace, paths: AppPaths, overrides: AppOverrides, guard: InstanceGuard, launch: LaunchRequest
) -> int:
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.ui.fonts import install_thai_font
    from govmail_desktop.ui.qt_i18n import LanguageController

    # 2. The policy, then the settings under its locks and defaults.
    policy = load_policy(overrides)
    settings_path = overrides.settings_path or paths.settings_file
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

    # 5. The passwords: one keyring, this session's memory.
    passwords = build_passwords(overrides, bridge)
    log.info("Passwords: %s", "keyring and session memory" if passwords.can_keep else "session memory only")
    ctx = AppContext(
        paths=paths, settings=settings, app=app, language=language, bridge=bridge, policy=policy,
        passwords=passwords, font_family=font_family, instance=instance,
    )

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
    ctx.shutdown_hooks.append(passwords.shutdown)
    if instance is not None:
        ctx.shutdown_hooks.append(instance.close)

    # 6. The main window.
    window = ctx.window = build_main_window(settings, language, bridge)
    log.info("Main window built")

    # 7. The mailboxes: per account cache → queue → sync → service → models; tray, controller.
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

    # 8. Adding an account: the setup wizard, whose saved account joins the mailboxes.
    launcher = overrides.setup_wizard_launcher or make_setup_wizard_launcher(
        policy, settings, passwords, on_saved=account_saved_handler(mailboxes)
    )
    window.set_add_account_handler(launcher)

    # 9. Show, say what went wrong at start-up, first run, the event loop.
    window.show()
    log.info("Main window shown")
    if policy.error is not None:
        bridge.report_error(policy.error)
    for err in settings_errors:
        bridge.report_error(err)
    if settings.problems:
        bridge.warning(SETTINGS_PROBLEMS)
    if language.missing:
        log.warning("Missing translation files: %s", ", ".join(language.missing))
    first_run(settings, window, launcher)
    # Drafts an earlier run left on disk (it crashed or was killed): offered back.
    from govmail_desktop.ui.draft_recovery import offer_unsent_drafts

    offer_unsent_drafts(window, drafts, partial(resume_draft, ctx))
    if overrides.on_window_shown is not None:
        overrides.on_window_shown(ctx)
    # This launch's own request, then those of later launches (those that came while starting first).
    opener = overrides.open_composer or open_composer
    if launch.compose:
        handle_launch(ctx, opener, launch)
    if instance is not None:
        instance.set_handler(partial(handle_launch, ctx, opener))

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
