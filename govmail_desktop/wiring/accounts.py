"""Adding an account: the setup wizard's launcher, a saved account joining the mailboxes,
the wizard at first run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from govmail_desktop.core.settings import Settings

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)
    from PySide6.QtWidgets import QWidget

    from govmail_desktop.core.accounts import Account
    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.account_setup import PasswordKeeper
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
