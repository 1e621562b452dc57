"""Writing mail: the drafts service, the address book, the composer behind Write / Reply /
Forward and the outboxes' answers; :func:`open_composer` for a launch's request.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.settings import Settings
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)
    from PySide6.QtWidgets import QWidget

    from govmail_desktop.core.accounts import Account
    from govmail_desktop.core.compose import Draft
    from govmail_desktop.core.entities import Address
    from govmail_desktop.mime.mailto import ComposeRequest
    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.drafts_service import DraftsService
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.store.addressbook import AddressBook
    from govmail_desktop.store.drafts import DraftStore
    from govmail_desktop.store.outbox import OutboxEntry
    from govmail_desktop.ui.composer.launcher import ComposeLauncher
    from govmail_desktop.ui.main_window import MainWindow
    from govmail_desktop.wiring.context import AppContext
    from govmail_desktop.wiring.mailboxes import AccountMailbox, Mailboxes

log = logging.getLogger(__name__)


# -- writing mail ---------------------------------------------------------------------------------
def attach_composer(ctx: AppContext, mailboxes: Mailboxes, drafts: DraftsService) -> ComposeLauncher:
    """Step 7c: the composer joined to the window (:func:`build_composer`); open composers
    keep their drafts at shutdown."""
    assert ctx.window is not None, "the window is built before the composer"
    book = open_address_book(ctx, mailboxes)
    launcher = build_composer(ctx.window, ctx.settings, ctx.policy, ctx.bridge, mailboxes, drafts, book,
                              provisioned_address=ctx.provisioned_address)
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
    *, provisioned_address: str | None = None,
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
    from govmail_desktop.wiring.accounts import policy_signature_lookup

    # The provisioned account's signature is the policy's (provisioning.signature), not editable.
    profiles = ComposerProfiles(settings, policy_signature_lookup(policy, settings, provisioned_address))
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
