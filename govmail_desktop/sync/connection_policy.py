"""Open connections judged again when the policy changes (issue 15, Group Policy while running).

A connection is checked by the policy when it is made (net/secure_connect.py). When IT
changes the policy while the app runs (policy/live.py), the connections already open — the
sync worker's, the IDLE watcher's, the ones the outbox keeps — are judged again by the very
same check (:func:`net.secure_connect.check_open`: the host rules, then the address the
connection goes to) and each one the new rules refuse is ended: :func:`interrupt` from the
thread that heard of the change (a blocked read returns at once), closed by the thread that
owns it. A connection the new rules still allow is left alone (no reconnect storm).
"""

from __future__ import annotations

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.net.secure_connect import check_open
from govmail_desktop.policy.api import ServerPolicy


def report_of(conn: object) -> ConnectionReport | None:
    """How ``conn`` was made (None: not a policy-checked connection, e.g. a test's fake)."""
    report = getattr(conn, "report", None)
    return report if isinstance(report, ConnectionReport) else None


def refusal_of(report: ConnectionReport | None, policy: ServerPolicy) -> PolicyRefused | None:
    """The refusal a connect to ``report``'s endpoint and address meets under ``policy`` now
    (None: allowed, or nothing to judge). Never raises."""
    if report is None:
        return None
    try:
        check_open(report, policy)
    except PolicyRefused as exc:
        return exc
    return None


def refusal(conn: object, policy: ServerPolicy) -> PolicyRefused | None:
    """:func:`refusal_of` the connection ``conn``."""
    return refusal_of(report_of(conn), policy)


def interrupt(conn: object) -> None:
    """End ``conn`` under the thread that uses it (safe from any thread; see
    ``ImapWire.interrupt`` / ``SmtpSession.interrupt``); its owner closes it."""
    end = getattr(conn, "interrupt", None)
    if callable(end):
        end()
