"""The setup wizard's connection test: IMAP login, then SMTP AUTH, all through the policy.

Runs off the GUI thread. ``cancel`` is checked between steps and every
blocking step is bounded by ``timeout`` seconds, so after a cancel the worker
ends within one timeout at most (the wizard need not wait for it).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from govmail_desktop.core.errors import Cancelled
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.net.resolver import Resolver
from govmail_desktop.net.smtp_session import connect_first_with_auth
from govmail_desktop.policy.api import ServerPolicy


@dataclass(frozen=True)
class VerifiedAccount:
    """The endpoints that worked (SMTP: the first candidate with TLS + AUTH) and how."""

    imap: Endpoint
    smtp: Endpoint
    imap_report: ConnectionReport
    smtp_report: ConnectionReport


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def verify_account(
    imap: Endpoint,
    smtp_candidates: Sequence[Endpoint],
    login: str,
    password: str,
    policy: ServerPolicy,
    *,
    resolver: Resolver | None = None,
    cancel: threading.Event | None = None,
    timeout: float = 20.0,
    extra_ca_files: Sequence[Path] = (),
) -> VerifiedAccount:
    """IMAP LOGIN, then SMTP AUTH on the first candidate offering TLS + AUTH.

    Raises AuthError (wrong password), PolicyRefused (host/address refused),
    TlsError (no TLS, certificate, version, pin), NetworkError (DNS, refused,
    timeout), ServerError, PolicyError (broken policy) or Cancelled.
    """
    _check_cancel(cancel)
    session = ImapSession.connect(
        imap, policy, resolver=resolver, timeout=timeout, cancel=cancel, extra_ca_files=extra_ca_files
    )
    with session:
        _check_cancel(cancel)
        session.login(login, password)
    imap_report = session.report
    _check_cancel(cancel)
    smtp = connect_first_with_auth(
        smtp_candidates,
        policy,
        resolver=resolver,
        timeout=timeout,
        cancel=cancel,
        extra_ca_files=extra_ca_files,
    )
    with smtp:
        _check_cancel(cancel)
        smtp.login(login, password)
    return VerifiedAccount(imap=imap, smtp=smtp.endpoint, imap_report=imap_report, smtp_report=smtp.report)
