"""``govmail-admin check-server``: run the app's own connection checks against one server.

It calls exactly what the app calls (``ImapSession.connect`` /
``connect_first_with_auth`` → ``net.secure_connect``), with the machine
policy or ``--policy FILE``, and prints every step: the host rule, every
resolved address and why it is allowed (country or admin range) or refused,
the TLS version and cipher, the certificate, the capabilities learned over
TLS, and a verdict. No credentials are sent.

Exit codes: 0 allowed; 1 refused (by the policy — host, address, broken
policy — or by the TLS rules: no TLS/STARTTLS, version, certificate, pin;
reason code printed); 2 could not check (DNS failure, timeout, connection
refused, server error, unusable --ca-file). A refused address is never
connected to.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO

from govmail_desktop.core.errors import GovMailError, PolicyError, PolicyRefused, TlsError
from govmail_desktop.i18n import translate
from govmail_desktop.net.endpoint import (
    IMAP_STARTTLS_PORT,
    IMAP_TLS_PORT,
    SMTP_TLS_PORT,
    Endpoint,
)
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.net.resolver import Resolver, StaticResolver, system_resolver
from govmail_desktop.net.smtp_session import connect_first_with_auth, submission_candidates
from govmail_desktop.policy.api import ServerPolicy
from govmail_desktop.policy.sources import load_machine_policy, load_policy_file

EXIT_ALLOWED = 0
EXIT_REFUSED = 1
EXIT_NOT_CHECKED = 2


@dataclass
class CheckResult:
    """Everything check-server found (the JSON output is this, as a dict)."""

    host: str
    protocol: str  # "imap" | "smtp"
    policy_source: str
    attempts: list[ConnectionReport] = field(default_factory=list)
    #: one per failed attempt, same order as ``attempts``
    errors: list[GovMailError] = field(default_factory=list)
    selected: Endpoint | None = None
    final_error: GovMailError | None = None

    @property
    def exit_code(self) -> int:
        if self.final_error is None:
            return EXIT_ALLOWED
        if isinstance(self.final_error, (PolicyRefused, PolicyError, TlsError)):
            return EXIT_REFUSED
        return EXIT_NOT_CHECKED

    @property
    def verdict(self) -> str:
        return {EXIT_ALLOWED: "allowed", EXIT_REFUSED: "refused", EXIT_NOT_CHECKED: "not-checked"}[self.exit_code]

    def as_dict(self) -> dict[str, Any]:
        attempts = []
        for i, report in enumerate(self.attempts):
            entry = report.as_dict()
            entry["error"] = self.errors[i].as_dict() if i < len(self.errors) else None
            attempts.append(entry)
        return {
            "host": self.host,
            "protocol": self.protocol,
            "policy_source": self.policy_source,
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "reason_code": self.final_error.code if self.final_error else None,
            "reason": self.final_error.as_dict() if self.final_error else None,
            "selected": (
                {"host": self.selected.host, "port": self.selected.port, "security": self.selected.security}
                if self.selected
                else None
            ),
            "attempts": attempts,
        }


# -- the check itself (no printing) ----------------------------------------------

def default_security(port: int, smtp: bool) -> str:
    """993/465 are implicit TLS; 143, 587, 25 and other SMTP ports use STARTTLS."""
    if smtp:
        return "tls" if port == SMTP_TLS_PORT else "starttls"
    return "starttls" if port == IMAP_STARTTLS_PORT else "tls"


def check_server(
    host: str,
    policy: ServerPolicy,
    *,
    policy_source: str,
    port: int | None = None,
    smtp: bool = False,
    security: str | None = None,
    resolver: Resolver | None = None,
    ca_files: Sequence[Path] = (),
    timeout: float = 10.0,
) -> CheckResult:
    result = CheckResult(host, "smtp" if smtp else "imap", policy_source)
    try:
        if smtp:
            if port is None:
                candidates = submission_candidates(host)
            else:
                candidates = [Endpoint(host, port, security or default_security(port, True))]  # type: ignore[arg-type]
            session = connect_first_with_auth(
                candidates, policy, resolver=resolver, timeout=timeout, reports=result.attempts,
                errors=result.errors, extra_ca_files=ca_files,
            )
            session.quit()
            result.selected = session.endpoint
        else:
            port = port or IMAP_TLS_PORT
            endpoint = Endpoint(host, port, security or default_security(port, False))  # type: ignore[arg-type]
            report = ConnectionReport(endpoint)
            result.attempts.append(report)
            try:
                session = ImapSession.connect(
                    endpoint, policy, resolver=resolver, timeout=timeout, report=report, extra_ca_files=ca_files
                )
            except GovMailError as exc:
                result.errors.append(exc)
                raise
            session.logout()
            result.selected = endpoint
    except GovMailError as exc:
        result.final_error = exc
    return result


def parse_resolve(values: Sequence[str]) -> dict[str, list[str]]:
    """``HOST:IP`` (curl's ``HOST:PORT:IP`` and ``[v6]`` forms accepted; repeat or comma-separate IPs)."""
    table: dict[str, list[str]] = {}
    for value in values:
        host, sep, rest = value.partition(":")
        if not sep or not host:
            raise ValueError(value)
        match = re.fullmatch(r"\d+:(.+)", rest)
        if match and _all_ips(match.group(1)):
            rest = match.group(1)
        if not _all_ips(rest):
            raise ValueError(value)
        table.setdefault(host, []).extend(str(ipaddress.ip_address(ip.strip().strip("[]"))) for ip in rest.split(","))
    return table


def _all_ips(text: str) -> bool:
    try:
        for ip in text.split(","):
            ipaddress.ip_address(ip.strip().strip("[]"))
    except ValueError:
        return False
    return bool(text)


class PinnedResolver:
    """``--resolve`` entries first (never DNS for those names), the system resolver for the rest."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self._static = StaticResolver(table)
        self._names = {h.strip().rstrip(".").lower() for h in table}

    def __call__(self, host: str, port: int) -> list[str]:
        if host.strip().rstrip(".").lower() in self._names:
            return self._static(host, port)
        return system_resolver(host, port)


# -- command line ---------------------------------------------------------------

def register(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Add ``check-server`` to govmail-admin."""
    text = translate("AdminCheckServer", "Check whether the app may connect to a mail server, as the app would.")
    parser = subparsers.add_parser("check-server", help=text, description=text)
    parser.add_argument("host", metavar="HOST", help=translate("AdminCheckServer", "Server host name or IP address."))
    parser.add_argument(
        "--port", type=int, metavar="N",
        help=translate("AdminCheckServer", "Port (default: 993 for IMAP; with --smtp, try 465, 587, 25)."),
    )
    parser.add_argument(
        "--smtp", action="store_true",
        help=translate("AdminCheckServer", "Check the mail-sending (SMTP submission) server instead of IMAP."),
    )
    parser.add_argument(
        "--security", choices=("tls", "starttls"),
        help=translate("AdminCheckServer", "How TLS starts on --port (default: from the port number)."),
    )
    parser.add_argument(
        "--policy", metavar="FILE",
        help=translate("AdminCheckServer", "Use this policy file instead of the machine policy."),
    )
    parser.add_argument(
        "--resolve", action="append", default=[], metavar="HOST:IP",
        help=translate("AdminCheckServer", "Use IP for HOST instead of DNS (may be repeated)."),
    )
    parser.add_argument(
        "--ca-file", action="append", default=[], metavar="FILE",
        help=translate("AdminCheckServer", "Also trust the CA certificates in FILE (PEM)."),
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS",
        help=translate("AdminCheckServer", "Give up on a step after this many seconds (default 10)."),
    )
    parser.add_argument(
        "--json", action="store_true", help=translate("AdminCheckServer", "Machine-readable output (JSON).")
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        table = parse_resolve(args.resolve)
    except ValueError as exc:
        print(translate("AdminCheckServer", "Invalid --resolve value: {value} (expected HOST:IP)").format(
            value=str(exc)), file=sys.stderr)
        return EXIT_NOT_CHECKED
    if args.policy:
        effective = load_policy_file(args.policy)
        source = str(args.policy)
    else:
        effective = load_machine_policy()
        source = "machine"
    result = check_server(
        args.host,
        effective.server_policy(),
        policy_source=source,
        port=args.port,
        smtp=args.smtp,
        security=args.security,
        resolver=PinnedResolver(table) if table else None,
        ca_files=[Path(p) for p in args.ca_file],
        timeout=args.timeout,
    )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_text(result, sys.stdout, policy_problems=[p.text() for p in effective.problems])
    return result.exit_code


def _security_text(security: str) -> str:
    if security == "tls":
        return translate("AdminCheckServer", "implicit TLS")
    return translate("AdminCheckServer", "STARTTLS")


def print_text(result: CheckResult, out: TextIO, *, policy_problems: Sequence[str] = ()) -> None:
    if result.policy_source == "machine":
        print(translate("AdminCheckServer", "Policy: the machine policy"), file=out)
    else:
        print(translate("AdminCheckServer", "Policy: {file}").format(file=result.policy_source), file=out)
    for problem in policy_problems:
        print(f"  ! {problem}", file=out)
    for i, report in enumerate(result.attempts):
        ep = report.endpoint
        print(file=out)
        if result.protocol == "smtp":
            head = translate("AdminCheckServer", "SMTP server {host} port {port} ({security})")
        else:
            head = translate("AdminCheckServer", "IMAP server {host} port {port} ({security})")
        print(head.format(host=ep.host, port=ep.port, security=_security_text(ep.security)), file=out)
        if report.host_allowed is True:
            print("  " + translate("AdminCheckServer", "Host name: allowed by the policy"), file=out)
        elif report.host_allowed is False:
            print("  " + translate("AdminCheckServer", "Host name: REFUSED by the policy"), file=out)
        for address in report.addresses:
            if address.allowed:
                line = translate("AdminCheckServer", "Address {ip}: allowed ({reason})")
            else:
                line = translate("AdminCheckServer", "Address {ip}: REFUSED ({reason})")
            print("  " + line.format(ip=address.ip, reason=address.reason or address.code), file=out)
        if report.connected_ip:
            print("  " + translate("AdminCheckServer", "Connected to {ip}").format(ip=report.connected_ip), file=out)
        if report.discarded_plaintext_bytes:
            print("  " + translate(
                "AdminCheckServer", "Warning: the server sent {count} bytes after its STARTTLS reply (discarded)"
            ).format(count=report.discarded_plaintext_bytes), file=out)
        if report.tls_version:
            print("  " + translate("AdminCheckServer", "TLS: {version}, cipher {cipher}").format(
                version=report.tls_version, cipher=report.cipher), file=out)
        cert = report.certificate
        if cert is not None:
            print("  " + translate("AdminCheckServer", "Certificate:"), file=out)
            print("    " + translate("AdminCheckServer", "Subject: {value}").format(value=cert.subject), file=out)
            print("    " + translate("AdminCheckServer", "Issuer: {value}").format(value=cert.issuer), file=out)
            print("    " + translate("AdminCheckServer", "Valid from {start} until {end}").format(
                start=cert.not_before.strftime("%Y-%m-%d %H:%M UTC"),
                end=cert.not_after.strftime("%Y-%m-%d %H:%M UTC")), file=out)
            print("    " + translate("AdminCheckServer", "Names: {value}").format(value=", ".join(cert.sans)),
                  file=out)
            print("    " + translate("AdminCheckServer", "SPKI pin (SHA-256): {value}").format(
                value=cert.spki_sha256), file=out)
        if report.capabilities:
            print("  " + translate("AdminCheckServer", "Capabilities (over TLS): {value}").format(
                value=" ".join(report.capabilities)), file=out)
        # With one attempt the verdict below says it; with several, each says why it was skipped.
        if i < len(result.errors) and len(result.attempts) > 1:
            err = result.errors[i]
            print("  " + translate("AdminCheckServer", "Result: {code}: {text}").format(
                code=err.code, text=err.user_text()), file=out)
    print(file=out)
    if result.final_error is None:
        assert result.selected is not None
        print(translate("AdminCheckServer", "Verdict: ALLOWED. The app would use {host} port {port} ({security}).")
              .format(host=result.selected.host, port=result.selected.port,
                      security=_security_text(result.selected.security)), file=out)
    elif result.exit_code == EXIT_REFUSED:
        print(translate("AdminCheckServer", "Verdict: REFUSED ({code}).").format(code=result.final_error.code),
              file=out)
        print(result.final_error.user_text(), file=out)
    else:
        print(translate("AdminCheckServer", "Verdict: COULD NOT CHECK ({code}).").format(
            code=result.final_error.code), file=out)
        print(result.final_error.user_text(), file=out)
