"""Step 7 of the composition root: each account's cache, offline queue, sync engine,
:class:`MailboxService` and models (:class:`AccountMailbox`), joined to the window by
:class:`Mailboxes` (:func:`attach_mailboxes`, :func:`open_mailboxes`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.wiring.window import save_setting

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)

    from govmail_desktop.core.accounts import Account
    from govmail_desktop.policy.attachments import AttachmentRules
    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.account_setup import PasswordKeeper
    from govmail_desktop.services.local_worker import LocalWorker
    from govmail_desktop.services.mailbox import MailboxService
    from govmail_desktop.services.mailbox_types import SyncPort
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.services.outbox_service import OutboxFactory, OutboxService
    from govmail_desktop.store.cache import MailCache
    from govmail_desktop.store.op_queue import OfflineOpQueue
    from govmail_desktop.ui.mailbox_controller import MailboxController
    from govmail_desktop.ui.mailbox_models import MailboxModels
    from govmail_desktop.ui.main_window import MainWindow
    from govmail_desktop.ui.password_prompt import PasswordPrompts
    from govmail_desktop.ui.preview_pane import PreviewPane
    from govmail_desktop.ui.settings_dialog import MailSettings, SearchDownloadSettings
    from govmail_desktop.ui.tray import MailTray
    from govmail_desktop.wiring.context import AppContext, AppOverrides, SyncFactory, TrayFactory

log = logging.getLogger(__name__)

PREPARING_CACHE = QT_TRANSLATE_NOOP(
    "App", "Preparing the saved mail of {account} for this version of the app; it appears when ready…"
)
CACHE_READY = QT_TRANSLATE_NOOP("App", "The saved mail of {account} is ready.")


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
        #: Caches whose open takes seconds are opened on this thread (:meth:`open_later`).
        self._opener: LocalWorker | None = None

    def join(self, joiner: Callable[[AccountMailbox], None]) -> None:
        """Run ``joiner`` for every open account now and for each account added later (the
        drafts' server, the address book, the composer's outbox answers): an account the setup
        wizard saves while the app runs gets everything a started one has."""
        self._joiners.append(joiner)
        for mailbox in list(self.accounts):
            joiner(mailbox)

    def open_later(self, account: Account) -> bool:
        """Open ``account`` off the GUI thread when its cache's open will take seconds (a
        migration to this version's schema, a check after a crash: :meth:`MailCache.
        slow_open_expected`); it joins the window like an account the setup wizard saves,
        and the status bar says what is happening meanwhile. False: open it now."""
        from govmail_desktop.services.local_worker import LocalWorker
        from govmail_desktop.store import cache as cache_module
        from govmail_desktop.store.cache import MailCache

        path = MailCache.file_for(account.id, self.paths)
        if not MailCache.slow_open_expected(path, cache_module.SLOW_OPEN_BYTES):
            return False
        if self._opener is None:
            self._opener = LocalWorker("cache-open", parent=self.window)
        name = account_label(account)
        log.info("Cache of account %s is opened in the background (migration or check)", account.id)
        self.bridge.info(PREPARING_CACHE.format(account=name), key=f"cache-open:{account.id}")

        def opened_cache() -> MailCache:
            cache = MailCache(path)
            cache.close_thread()  # the GUI thread and the workers open their own connections
            return cache

        def done(cache: MailCache) -> None:
            self.bridge.info(CACHE_READY.format(account=name), key=f"cache-open:{account.id}")
            self.add_account(account, cache=cache)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, GovMailError):
                raise exc
            log.error("Mailbox of %s could not be opened: %s", account.id, exc)
            self.bridge.report_error(exc)

        self._opener.submit(opened_cache, done, failed)
        return True

    def open(self, account: Account, cache: MailCache | None = None) -> AccountMailbox | None:
        """One account, in order: cache (``cache``, when :meth:`open_later` opened it) →
        offline queue → sync service → mailbox service → the UI's models → password prompts;
        then it starts from its cache (no network first). None (reported) when its cache
        cannot open."""
        from govmail_desktop.core.accounts import locked_folder_choice
        from govmail_desktop.core.errors import StorageError
        from govmail_desktop.services.mailbox import MailboxService
        from govmail_desktop.store.cache import MailCache
        from govmail_desktop.store.op_queue import OfflineOpQueue
        from govmail_desktop.ui.mailbox_models import MailboxModels

        try:
            if cache is None:
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
        from govmail_desktop.services.mailbox_types import STATE_ONLINE

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
        outbox.storageFailed.connect(self.bridge.report_error)  # disk full / read-only: sending waits
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

    def add_account(self, account: Account, cache: MailCache | None = None) -> None:
        """An account the setup wizard just saved, or whose cache :meth:`open_later` opened:
        open it and show it."""
        if self.service_of(account.id) is not None:
            if cache is not None:
                cache.close()
            return
        mailbox = self.open(account, cache)
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
        if self._opener is not None:
            self._opener.shutdown()  # a cache still opening: its open ends, it is not shown
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
    opened = [m for m in (mailboxes.open(a) for a in accounts if not mailboxes.open_later(a)) if m is not None]
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
    from govmail_desktop.wiring.attachments import attach_attachment_panels

    # Save / Open of attachments in the preview and the message windows; the opened copies
    # an earlier run left are removed now, this run's at exit.
    ctx.shutdown_hooks.append(
        attach_attachment_panels(ctx.window.preview_view, mailboxes, default_opened_root(ctx.paths.cache_dir))
    )
    log.info("Mailboxes attached: %d account(s)", len(mailboxes.accounts))
    return mailboxes
