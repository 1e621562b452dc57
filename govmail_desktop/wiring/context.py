"""The composition root's seams (:class:`AppOverrides`, for tests and ``make demo``) and
:class:`AppContext`, what :func:`govmail_desktop.app.main` built, in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)
    from PySide6.QtWidgets import QApplication, QWidget

    from govmail_desktop.core.accounts import Account
    from govmail_desktop.core.os_user import OsUser
    from govmail_desktop.credentials import CredentialStore
    from govmail_desktop.mime.mailto import ComposeRequest
    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.account_setup import PasswordKeeper
    from govmail_desktop.services.drafts_service import DraftsService
    from govmail_desktop.services.mailbox_types import SyncPort
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.services.policy_watcher import PolicyWatcher
    from govmail_desktop.services.search_service import SearchService
    from govmail_desktop.services.single_instance import InstanceServer
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.op_queue import OfflineOpQueue
    from govmail_desktop.ui.composer.launcher import ComposeLauncher
    from govmail_desktop.ui.main_window import MainWindow
    from govmail_desktop.ui.qt_i18n import LanguageController
    from govmail_desktop.ui.tray import MailTray
    from govmail_desktop.wiring.mailboxes import Mailboxes



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
    #: A policy file to enforce and watch instead of the machine policy (tests: the file is
    #: read again when it changes, as the machine policy is).
    policy_file: Path | None = None
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
    #: The OS user account provisioning expands (login name, full name) instead of the system's.
    os_user: OsUser | None = None


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
    #: The address of the account the machine policy provisions for this user (None: none).
    provisioned_address: str | None = None
    #: Reads the machine policy again while the app runs (None: a test's or the demo's policy).
    policy_watcher: PolicyWatcher | None = None
    shutdown_hooks: list[Callable[[], None]] = field(default_factory=list)
