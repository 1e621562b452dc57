"""Adding an account: the setup wizard's launcher, a saved account joining the mailboxes,
the wizard at first run — or, when the machine policy provisions the account
(policy/provisioning.py), the password-only wizard, or no wizard at all when the password
is asked each session (the password prompt asks at connect time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from govmail_desktop.core.settings import Settings

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)
    from PySide6.QtWidgets import QWidget

    from govmail_desktop.core.accounts import Account
    from govmail_desktop.core.identities import Signature
    from govmail_desktop.core.os_user import OsUser
    from govmail_desktop.policy.provisioning import Provisioned
    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.account_setup import PasswordKeeper
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.wiring.context import SetupWizardLauncher
    from govmail_desktop.wiring.mailboxes import Mailboxes

log = logging.getLogger(__name__)


def make_setup_wizard_launcher(
    policy: EffectivePolicy, settings: Settings, passwords: PasswordKeeper, on_saved: Callable[[Account], None]
) -> SetupWizardLauncher:
    """Opens the setup wizard (non-modal) under the policy in force; each wizard gets its
    own :class:`AccountSetupService` (no Qt parent: its check thread may outlive the
    wizard), and a saved account goes to ``on_saved``."""

    def launch(parent: QWidget) -> None:
        open_setup_wizard(parent, policy, settings, passwords, on_saved)

    return launch


def open_setup_wizard(
    parent: QWidget,
    policy: EffectivePolicy,
    settings: Settings,
    passwords: PasswordKeeper,
    on_saved: Callable[[Account], None],
    provisioned: Provisioned | None = None,
) -> None:
    """One setup wizard (non-modal); with ``provisioned``, the password-only one."""
    from PySide6.QtCore import Qt

    from govmail_desktop.services.account_setup import AccountSetupService
    from govmail_desktop.ui.setup_wizard import SetupWizard

    service = AccountSetupService(policy, passwords.store, settings=settings, passwords=passwords)
    wizard = SetupWizard(service, parent=parent, provisioned=provisioned)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.account_saved.connect(on_saved)
    wizard.open()


#: At first run with provisioning: sets the account up (or says why not); True when it did.
ProvisionedStart = Callable[["QWidget"], bool]


def make_provisioned_start(
    policy: EffectivePolicy,
    settings: Settings,
    passwords: PasswordKeeper,
    on_saved: Callable[[Account], None],
    bridge: MessageBridge,
    user: OsUser | None = None,
) -> ProvisionedStart | None:
    """What the first run does when the machine policy provisions the account (None: it does
    not). ``user``: the OS user (None: the system's, core/os_user.py)."""
    section = policy.policy.provisioning
    if policy.error is not None or not section.enabled:
        return None

    def start(window: QWidget) -> bool:
        from govmail_desktop.core.accounts import AccountStore
        from govmail_desktop.core.errors import GovMailError
        from govmail_desktop.core.os_user import current_os_user
        from govmail_desktop.policy.provisioning import ProvisioningFailed, provision

        try:
            made = provision(section, user or current_os_user(), policy.check_account_address)
        except ProvisioningFailed as exc:
            log.warning("Account provisioning failed: %s", exc.detail)
            bridge.report_error(exc)
            return True  # the policy's account, or none: IT staff must fix the policy
        if made.ask_name or not made.ask_each_session:
            log.info("Provisioned account %s: asking for the password", made.account.address)
            open_setup_wizard(window, policy, settings, passwords, on_saved, provisioned=made)
            return True
        # Asked each session and nothing else to ask: saved now, the password is asked when
        # the account first connects (ui/password_prompt.py) and kept in memory only.
        store = AccountStore(settings)
        try:
            store.add(made.account)
            store.save()
        except GovMailError as exc:
            bridge.report_error(exc)
            return True
        log.info("Provisioned account %s saved (password asked each session)", made.account.address)
        on_saved(made.account)
        return True

    return start


def account_saved_handler(mailboxes: Mailboxes) -> Callable[[Account], None]:
    """What the setup wizard's "saved" does: the new account joins the window."""

    def on_saved(account: Account) -> None:
        log.info("Account %s added", account.id)
        mailboxes.add_account(account)

    return on_saved


def first_run(
    settings: Settings,
    window: QWidget,
    launcher: SetupWizardLauncher | None,
    provisioned: ProvisionedStart | None = None,
) -> None:
    """With no usable account yet, set up the one the policy provisions, else open the wizard."""
    from govmail_desktop.core.accounts import needs_setup

    if not needs_setup(settings):
        return
    if provisioned is not None and provisioned(window):
        return
    if launcher is None:
        log.info("No account configured; no setup wizard connected")
        return
    log.info("No account configured: opening the setup wizard")
    launcher(window)


def provisioned_address_for(policy: EffectivePolicy, user: OsUser | None = None) -> str | None:
    """The address the machine policy provisions for this user (None: it provisions none, or
    cannot for this user — the first run says why)."""
    from govmail_desktop.core.os_user import current_os_user
    from govmail_desktop.policy.provisioning import ProvisioningFailed, provisioned_address

    section = policy.policy.provisioning
    if policy.error is not None or not section.enabled:
        return None
    try:
        return provisioned_address(section, user or current_os_user())
    except ProvisioningFailed:
        return None


def enforce_provisioned_account(
    policy: EffectivePolicy, settings: Settings, address: str | None, user: OsUser | None = None
) -> None:
    """The provisioned account is locked: its servers, login and password mode are the policy's,
    whatever the settings file says (an edited file, or a policy that moved the servers)."""
    from dataclasses import replace

    from govmail_desktop.core.accounts import AccountStore
    from govmail_desktop.core.errors import GovMailError
    from govmail_desktop.core.os_user import current_os_user
    from govmail_desktop.policy.provisioning import ProvisioningFailed, provision

    if address is None:
        return
    store = AccountStore(settings)
    existing = store.find(address)
    if existing is None:
        return
    try:
        made = provision(policy.policy.provisioning, user or current_os_user(), policy.check_account_address,
                         account_id=existing.id).account
    except (ProvisioningFailed, GovMailError) as exc:
        log.warning("Provisioned account not checked: %s", getattr(exc, "detail", exc))
        return
    wanted = replace(existing, imap=made.imap, smtp=made.smtp, login=made.login,
                     ask_password_each_session=made.ask_password_each_session)
    if wanted == existing:
        return
    log.info("Provisioned account %s: servers and login set back to the policy's", existing.id)
    store.update(wanted)
    try:
        store.save()
    except GovMailError as exc:  # in force for this run all the same
        log.warning("Provisioned account could not be saved: %s", exc.detail)


def policy_signature_lookup(
    policy: EffectivePolicy, settings: Settings, address: str | None
) -> Callable[[str], Signature | None] | None:
    """account id → the signature the policy locks for it (provisioning.signature), for
    core.identities.ComposerProfiles; None when the policy locks none."""
    section = policy.policy.provisioning
    if address is None or not section.signature:
        return None

    def lookup(account_id: str) -> Signature | None:
        from govmail_desktop.core.accounts import AccountStore
        from govmail_desktop.core.identities import policy_signature
        from govmail_desktop.policy.provisioning import signature_lines

        account = AccountStore(settings).get(account_id)
        if account is None or address is None or account.address.casefold() != address.casefold():
            return None
        return policy_signature(account_id, signature_lines(section, account.display_name, account.address))

    return lookup
