"""The machine policy read again while the app runs (services/policy_watcher.py), joined to
the window: the new rules are swapped into the one :class:`LivePolicy` every service reads,
the user is told once in the status bar (Thai/English) that IT updated the policy — and
which keys apply only after a restart —, and what was set from the policy at start and
can follow it (the preview's plain-text rule, the search download cap; the remote-content
rules follow in ui/remote_bar.py; the previews' internal domains) is set again. Every
account's open connections (sync, IDLE, the outbox's kept ones) are judged by the new rules:
those going where they now refuse are closed and the account says refused.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from govmail_desktop.core.errors import PolicyError
from govmail_desktop.policy import api
from govmail_desktop.policy import messages as m
from govmail_desktop.policy.live import LivePolicy, PolicyChange

if TYPE_CHECKING:
    from govmail_desktop.policy.sources import EffectivePolicy
    from govmail_desktop.services.message_bridge import MessageBridge
    from govmail_desktop.services.policy_watcher import PolicyWatcher
    from govmail_desktop.wiring.context import AppContext, AppOverrides

log = logging.getLogger(__name__)

#: The status bar notice's key (a later change replaces it).
NOTICE_KEY = "policy-changed"


def machine_policy_files(platform: str = sys.platform) -> list[Path]:
    """The machine policy file load_machine_policy reads (watched for changes)."""
    from govmail_desktop.policy.sources import LINUX_POLICY_PATH, windows_policy_path

    if platform.startswith("win"):
        return [windows_policy_path()]
    return [LINUX_POLICY_PATH]


def tell_change(bridge: MessageBridge, change: PolicyChange) -> None:
    """The status bar notice, once per change: an error when the new policy is broken (nothing
    connects or sends), a warning when something applies only after a restart, else a notice."""
    if change.broken:
        bridge.report_error(PolicyError(change.message(), hint=m.POLICY_ERROR_HINT, code=api.POLICY_INVALID,
                                        detail=change.log_text()), key=NOTICE_KEY)
    elif change.restart or change.was_broken:
        bridge.warning(change.message(), key=NOTICE_KEY)
    else:
        bridge.info(change.message(), key=NOTICE_KEY)


def follow_policy(ctx: AppContext, policy: EffectivePolicy, _change: PolicyChange) -> None:
    """Set again what the window took from the policy at start and can follow it now."""
    from govmail_desktop.wiring.mailboxes import join_format_choice

    if ctx.window is not None:
        join_format_choice(ctx.window.preview_view, ctx.settings, ctx.bridge, policy.policy.content.force_plain_text)
        from govmail_desktop.ui.link_guard import LinkGuard

        # The previews' sender checks and link judgements: the internal domains now (windows opened later too).
        domains = tuple(policy.policy.recipients.internal_domains)
        ctx.window.preview_view.internal_domains = domains
        guard = ctx.window.findChild(LinkGuard)
        if guard is not None:
            guard.known_domains = domains
    if ctx.mailboxes is not None:
        ctx.mailboxes.search_download_cap = policy.policy.search.max_download_days if policy.error is None else 0
    judge_connections(ctx, policy)


def judge_connections(ctx: AppContext, policy: EffectivePolicy) -> None:
    """Every account's open connections judged by the policy now in force (as the connectors
    see it: ``policy.server_policy()``); each one it refuses is closed by its own thread."""
    if ctx.mailboxes is None:
        return
    servers = policy.server_policy()
    for mailbox in list(ctx.mailboxes.accounts):
        service = getattr(mailbox.sync, "service", None)  # the engine's SyncService (EngineSyncAdapter)
        if service is not None and hasattr(service, "policy_changed"):
            service.policy_changed(servers)
        if mailbox.outbox is not None:
            mailbox.outbox.policy_changed(servers)


def attach_policy_watcher(ctx: AppContext, overrides: AppOverrides) -> PolicyWatcher | None:
    """Watch the machine policy (or the test's ``overrides.policy_file``); None when the policy
    was given by a test or the demo (nothing to read again)."""
    policy = ctx.policy
    if not isinstance(policy, LivePolicy) or (overrides.policy is not None and overrides.policy_file is None):
        return None
    from govmail_desktop.policy.live import PolicyReloader
    from govmail_desktop.policy.sources import load_machine_policy, load_policy_file
    from govmail_desktop.services.policy_watcher import PolicyWatcher

    load: Callable[[], EffectivePolicy] = load_machine_policy
    files = machine_policy_files()
    if overrides.policy_file is not None:
        load, files = partial(load_policy_file, overrides.policy_file), [overrides.policy_file]
    watcher = PolicyWatcher(PolicyReloader(policy, load), files=files, parent=ctx.app)
    policy.subscribe(partial(follow_policy, ctx, policy))
    watcher.changed.connect(partial(tell_change, ctx.bridge))
    watcher.start()
    ctx.shutdown_hooks.append(watcher.stop)
    return watcher
