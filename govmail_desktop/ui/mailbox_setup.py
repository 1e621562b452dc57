"""Builds the per-account mailboxes and hooks them into the main window.

Called by the composition root (``app.attach_mailboxes``) once the window
exists: for each configured account its cache, offline queue, sync service
(when one can be built) and :class:`MailboxService`, then one
:class:`MailboxController` and the tray icon. Everything starts from the
cache, so the window shows the mail it had at once, with no network.
Accounts saved later by the setup wizard come in through
:meth:`Mailboxes.add_account`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt

from govmail_desktop.core.accounts import Account, AccountStore, locked_folder_choice
from govmail_desktop.core.errors import GovMailError, PasswordNeeded
from govmail_desktop.i18n.catalog import current_language
from govmail_desktop.services.mailbox import AccountMailbox, MailboxService, open_account_mailbox
from govmail_desktop.ui.mailbox_controller import MailboxController
from govmail_desktop.ui.settings_dialog import MailSettings
from govmail_desktop.ui.tray import MailTray

log = logging.getLogger(__name__)

#: ``factory(account, cache, offline_queue)`` → the account's sync service, or None (offline only).
SyncFactory = Callable[[Any, Any, Any], Any]


def account_label(account: Any) -> str:
    name = getattr(account, "display_name", "")
    address = getattr(account, "address", "")
    return f"{name} <{address}>" if name and address else (address or name or account.id)


class Mailboxes:
    """The accounts' mailboxes, their controller and the tray (for the app, shutdown and tests)."""

    def __init__(
        self,
        window: Any,
        settings: Any,
        bridge: Any,
        *,
        paths: Any = None,
        sync_factory: SyncFactory | None = None,
        attachment_rules: Any = None,
        use_system_tray: bool | None = None,
        mark_read_on_view: bool = True,
        session_passwords: Any = None,
        credential_store: Any = None,
    ) -> None:
        self.window = window
        self.settings = settings
        self.bridge = bridge
        self.paths = paths
        self.sync_factory = sync_factory
        self.use_system_tray = use_system_tray
        self.mark_read_on_view = mark_read_on_view
        #: Where typed passwords go: this session's memory, and the keyring if wanted.
        self.session_passwords = session_passwords
        self.credential_store = credential_store
        self._prompts: dict[str, Any] = {}
        self.accounts: list[AccountMailbox] = []
        self.controller: MailboxController | None = None
        self.tray: MailTray | None = None
        window.preview_view.attachment_rules = attachment_rules

    # ------------------------------------------------------------------ settings

    def _get(self, key: str) -> Any:
        try:
            return self.settings.get(key)
        except Exception:  # noqa: BLE001 - an unknown key must not stop the window
            return None

    def _save(self, key: str, value: Any) -> None:
        try:
            self.settings.set(key, value)
            self.settings.save()
        except GovMailError as err:
            self.bridge.report_error(err)

    # ------------------------------------------------------------------ accounts

    def open(self, account: Any) -> AccountMailbox | None:
        """Open one account's mailbox and start it from its cache; None if it cannot open."""
        try:
            mailbox = open_account_mailbox(
                account, paths=self.paths, bridge=self.bridge, sync_factory=self.sync_factory, parent=self.window
            )
        except GovMailError as err:
            log.error("Mailbox of %s could not be opened: %s", account.id, err)
            self.bridge.report_error(err)
            return None
        mailbox.service.account_name = account_label(account)
        mailbox.service.set_folder_choice(  # the sync service was given the same choice
            dict(getattr(account, "special_folders", ()) or ()),
            locked_folder_choice(getattr(self.settings, "locked", {}) or {}),
            apply=False,
        )
        mailbox.service.password_needed.connect(partial(self.ask_password, mailbox))
        for problem in mailbox.problems:
            self.bridge.report_error(problem)
        self.accounts.append(mailbox)
        mailbox.service.start()  # cached mail first (Inbox), then the sync service
        mailbox.service.set_check_interval(self._get("sync.check_minutes") or 0)
        log.info("Mailbox of account %s opened (%s)", account.id, "with sync" if mailbox.sync else "offline only")
        return mailbox

    def ask_password(self, mailbox: AccountMailbox, error: Any) -> None:
        """Ask for the password of ``mailbox``'s account (one prompt per account at a time)."""
        account = mailbox.account
        if account.id in self._prompts:
            return  # the open prompt already says it
        if self.session_passwords is None:  # nowhere to keep a typed password: say it instead
            if isinstance(error, GovMailError):
                mailbox.service.report_connection_problem(error)  # ends once connected
            return
        from govmail_desktop.ui.password_prompt import PasswordPrompt

        # None known yet: the intro says all there is. Refused: the server's reason.
        reason = (
            error.user_text(current_language())
            if isinstance(error, GovMailError) and not isinstance(error, PasswordNeeded)
            else ""
        )
        can_remember = self.credential_store is not None and not getattr(
            account, "ask_password_each_session", False
        )
        prompt = PasswordPrompt(account.address, reason, can_remember=can_remember, parent=self.window)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.password_entered.connect(partial(self._password_entered, mailbox))
        prompt.finished.connect(partial(self._prompt_closed, account.id))
        prompt.rejected.connect(partial(self._prompt_cancelled, mailbox, error))
        self._prompts[account.id] = prompt
        prompt.open()

    def _prompt_closed(self, account_id: str, _result: int) -> None:
        self._prompts.pop(account_id, None)

    def _prompt_cancelled(self, mailbox: AccountMailbox, error: Any) -> None:
        """No password given: the status bar says why the account stays offline (until
        it is connected)."""
        if isinstance(error, GovMailError):
            mailbox.service.report_connection_problem(error)

    def _password_entered(self, mailbox: AccountMailbox, password: str, remember: bool) -> None:
        account_id = mailbox.account.id
        self.session_passwords.set(account_id, password)
        log.info("Password for account %s entered (%s)", account_id,
                 "to be kept in the keyring" if remember else "kept in memory for this session")
        if remember and self.credential_store is not None:
            store, bridge = self.credential_store, self.bridge

            def save() -> None:  # the keyring may block on D-Bus: never on the GUI thread
                try:
                    store.set_password(account_id, password)
                except GovMailError as err:
                    bridge.report_error(err)

            threading.Thread(target=save, name="keyring-save", daemon=True).start()
        mailbox.service.retry_connection()

    def connect_window(self, services: list[MailboxService]) -> None:
        self.tray = MailTray(
            self.window,
            notifications_enabled=lambda: bool(self._get("notify.new_mail")),
            use_system_tray=self.use_system_tray,
        )
        self.controller = MailboxController(
            self.window,
            services,
            bridge=self.bridge,
            tray=self.tray,
            threaded=bool(self._get("mail.threading")),
            thai_digits=lambda: bool(self._get("ui.thai_digits")),
            notify_new_mail=lambda: bool(self._get("notify.new_mail")),
            save_setting=self._save,
            save_folder_choice=self.save_folder_choice,
            mark_read_on_view=self.mark_read_on_view,
        )

    def add_account(self, account: Any) -> None:
        """An account the setup wizard just saved: open it and show it."""
        if self.service_of(account.id) is not None:
            return
        mailbox = self.open(account)
        if mailbox is None:
            return
        if self.controller is None:
            self.connect_window([mailbox.service])
        else:
            self.controller.add_service(mailbox.service)

    def save_folder_choice(self, service: MailboxService, choice: dict[str, str]) -> None:
        """The user picked special folders (File → Special Folders): keep them with the
        account in the settings file and show them at once."""
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
            except (GovMailError, KeyError) as err:
                if isinstance(err, GovMailError):
                    self.bridge.report_error(err)
                else:
                    log.error("Account %s is no longer in the settings", account.id)
                return
            mailbox.account = updated
        service.set_folder_choice(choice)

    # ------------------------------------------------------------------ mail settings

    def mail_settings(self) -> MailSettings:
        """The preferences Edit → Settings shows (and which of them the policy locks)."""
        locked = getattr(self.settings, "is_locked", lambda key: False)
        return MailSettings(
            check_minutes=int(self._get("sync.check_minutes") or 0),
            check_locked=bool(locked("sync.check_minutes")),
            notify=bool(self._get("notify.new_mail")),
            notify_locked=bool(locked("notify.new_mail")),
        )

    def apply_mail_settings(self, check_minutes: int, notify: bool) -> None:
        """The user changed them in Edit → Settings: save, and check on the new schedule."""
        current = self.mail_settings()
        if check_minutes != current.check_minutes and not current.check_locked:
            self._save("sync.check_minutes", int(check_minutes))
            for mailbox in self.accounts:
                mailbox.service.set_check_interval(self._get("sync.check_minutes") or 0)
        if notify != current.notify and not current.notify_locked:
            self._save("notify.new_mail", bool(notify))  # read at each new mail

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
            except Exception:  # noqa: BLE001 - the others must still close
                log.exception("Closing the mailbox of %s failed", mailbox.account.id)


def attach_mailboxes(
    window: Any,
    settings: Any,
    bridge: Any,
    *,
    accounts: list[Any],
    **options: Any,
) -> Mailboxes:
    """Open every account's mailbox and connect them to ``window``.

    No account → no models are set and the window keeps its placeholders.
    An account that cannot open is reported; the others still open.
    """
    mailboxes = Mailboxes(window, settings, bridge, **options)
    window.set_mail_settings_source(mailboxes.mail_settings)
    window.mail_settings_requested.connect(mailboxes.apply_mail_settings)
    opened = [m for m in (mailboxes.open(a) for a in accounts) if m is not None]
    if opened:
        mailboxes.connect_window([m.service for m in opened])
    return mailboxes
