"""``govmail-admin check-server``: run the app's own connection checks against one server.

It calls exactly what the app calls (``ImapSession.connect`` /
``connect_first_with_auth`` → ``net.secure_connect``), with the machine
policy or ``--policy FILE``, and prints every step: the host rule, every
resolved address and why it is allowed (country or admin range) or refused,
the TLS version and cipher, the certificate, the capabilities learned over
TLS with what each means for the app (``admin/capabilities.py``), and a
verdict. No credentials are sent, unless ``--user`` asks to log in (IMAP
only, over the verified TLS connection, as the app does) to see the
capabilities the server offers after login.

Exit codes: 0 allowed; 1 refused (by the policy — host, address, broken
policy — or by the TLS rules: no TLS/STARTTLS, version, certificate, pin;
reason code printed); 2 could not check (DNS failure, timeout, connection
refused, server error, unusable --ca-file; an unusable --resolve value —
malformed, ambiguous, for another host or port — before anything is
checked; ``--user`` with ``--smtp`` or without a password). A refused
address is never connected to. Capabilities, and a login that fails, never
change the exit code.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from govmail_desktop.admin.capabilities import CapabilityNote, imap_notes, smtp_notes
from govmail_desktop.admin.output import emit, emit_json, safe_text
from govmail_desktop.core.errors import GovMailError, PolicyError, PolicyRefused, TlsError
from govmail_desktop.i18n import QT_TRANSLATE_NOOP, Msg, translate
from govmail_desktop.net.endpoint import (
    IMAP_STARTTLS_PORT,
    IMAP_TLS_PORT,
    SMTP_TLS_PORT,
    Endpoint,
    Security,
)
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.net.resolver import Resolver, StaticResolver, system_resolver
from govmail_desktop.net.smtp_session import (
    DEFAULT_SUBMISSION_PORTS,
    connect_first_with_auth,
    submission_candidates,
)
from govmail_desktop.policy.api import ServerPolicy
from govmail_desktop.policy.hosts import InvalidHost, display_host, normalize_host, parse_ip_literal
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
    #: ``--user``: who logged in (never the password), and how it went (no effect on the exit code).
    login_user: str | None = None
    logged_in: bool = False
    login_error: GovMailError | None = None
    #: The IMAP capabilities the server listed after login (the list the app works with).
    capabilities_after_login: tuple[str, ...] = ()

    @property
    def capability_stage(self) -> str | None:
        """Where the capabilities shown come from: "after-login", "before-login" (IMAP), "ehlo" (SMTP)."""
        if self.final_error is not None or self.selected is None:
            return None
        if self.protocol == "smtp":
            return "ehlo"
        return "after-login" if self.logged_in else "before-login"

    @property
    def offered_capabilities(self) -> tuple[str, ...]:
        """The capability list of the server the app would use (after login where it logged in)."""
        if self.capability_stage is None:
            return ()
        if self.logged_in:
            return self.capabilities_after_login
        for report in reversed(self.attempts):
            if report.endpoint == self.selected:
                return report.capabilities
        return ()

    def capability_notes(self) -> list[CapabilityNote]:
        """What the offered capabilities mean for the app (none when the server is not allowed)."""
        if self.capability_stage is None:
            return []
        if self.protocol == "smtp":
            return smtp_notes(self.offered_capabilities)
        return imap_notes(self.offered_capabilities)

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
            "login": (
                {"user": self.login_user, "ok": self.logged_in,
                 "error": self.login_error.as_dict() if self.login_error else None}
                if self.login_user is not None
                else None
            ),
            "capabilities": (
                {
                    "stage": self.capability_stage,
                    "offered": list(self.offered_capabilities),
                    "notes": {note.name: note.as_dict() for note in self.capability_notes()},
                }
                if self.capability_stage is not None
                else None
            ),
        }


# -- the check itself (no printing) ----------------------------------------------

def default_security(port: int, smtp: bool) -> Security:
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
    security: Security | None = None,
    resolver: Resolver | None = None,
    ca_files: Sequence[Path] = (),
    timeout: float = 10.0,
    login: tuple[str, str] | None = None,
) -> CheckResult:
    """Check ``host`` as the app would; ``login=(user, password)`` (IMAP only) then logs in
    over the verified connection to learn the capabilities offered after login."""
    if login is not None and smtp:
        raise ValueError("login is for IMAP checks only")
    result = CheckResult(host, "smtp" if smtp else "imap", policy_source)
    try:
        if smtp:
            if port is None:
                candidates = submission_candidates(host)
            else:
                candidates = [Endpoint(host, port, security or default_security(port, True))]
            smtp_session = connect_first_with_auth(
                candidates, policy, resolver=resolver, timeout=timeout, reports=result.attempts,
                errors=result.errors, extra_ca_files=ca_files,
            )
            smtp_session.quit()
            result.selected = smtp_session.endpoint
        else:
            port = port or IMAP_TLS_PORT
            endpoint = Endpoint(host, port, security or default_security(port, False))
            report = ConnectionReport(endpoint)
            result.attempts.append(report)
            try:
                session = ImapSession.connect(
                    endpoint, policy, resolver=resolver, timeout=timeout, report=report, extra_ca_files=ca_files
                )
            except GovMailError as exc:
                result.errors.append(exc)
                raise
            if login is not None:
                _log_in(session, result, *login)
            session.logout()
            result.selected = endpoint
    except GovMailError as exc:
        result.final_error = exc
    return result


def _log_in(session: ImapSession, result: CheckResult, user: str, password: str) -> None:
    """LOGIN as the app does (``ImapSession.login``: only over verified TLS); a failure is reported, not raised."""
    result.login_user = user
    try:
        session.login(user, password)
        result.capabilities_after_login = session.capabilities()
        result.logged_in = True
    except GovMailError as exc:
        result.login_error = exc


MSG_RESOLVE_INVALID = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Invalid --resolve value: {value} (expected HOST:IP, HOST:PORT:IP or HOST:[IPv6])"
)
MSG_RESOLVE_NOT_A_NAME = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "Invalid --resolve value: {value} ({host} is not a server name)"
)
MSG_RESOLVE_AMBIGUOUS = QT_TRANSLATE_NOOP(
    "AdminCheckServer",
    "Ambiguous --resolve value: {value} (put IPv6 addresses in brackets: {as_address} or {as_port})",
)
MSG_RESOLVE_OTHER_HOST = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "The --resolve value {value} is for {name}, but the server checked is {host}"
)
MSG_RESOLVE_OTHER_PORT = QT_TRANSLATE_NOOP(
    "AdminCheckServer", "The --resolve value {value} is for port {port}, but this check connects to port {ports}"
)

_PORT = re.compile(r"[0-9]{1,5}")


class ResolveError(ValueError):
    """An unusable ``--resolve`` value (exit 2, nothing checked); :meth:`text` is the one line to print."""

    def __init__(self, message: Msg, **args: Any) -> None:
        self.message = message.format(**args)
        super().__init__(self.message.text("en"))

    def text(self, lang: str | None = None) -> str:
        return self.message.text(lang)


@dataclass(frozen=True)
class ResolveEntry:
    """One ``--resolve`` value: the host in the policy's normal form, curl's optional port, the addresses."""

    value: str
    host: str
    port: int | None
    addresses: tuple[str, ...]


def parse_resolve(values: Sequence[str]) -> list[ResolveEntry]:
    """``HOST:IP``, ``HOST:PORT:IP``, ``HOST:[IPv6]``, ``HOST:PORT:[IPv6]`` (repeat or comma-separate IPs).

    Nothing is guessed: a bare IPv6 address is accepted only where the value
    cannot also be read as ``PORT:IP`` (``h:2001:db8::1`` is the address, or
    port 2001 and ``db8::1``: refused, brackets asked for). HOST is normalised
    as the policy normalises names (IDNA/UTS #46: full-width, case, trailing
    dot), and must be a name. Raises :class:`ResolveError`.
    """
    return [_parse_resolve_value(value) for value in values]


def _parse_resolve_value(value: str) -> ResolveEntry:
    host, sep, rest = value.partition(":")
    if not sep or not host or not rest:
        raise ResolveError(MSG_RESOLVE_INVALID, value=value)
    try:
        name = normalize_host(host)
    except InvalidHost:
        raise ResolveError(MSG_RESOLVE_NOT_A_NAME, value=value, host=host) from None
    if parse_ip_literal(name) is not None:
        raise ResolveError(MSG_RESOLVE_NOT_A_NAME, value=value, host=host)
    as_address = _address_list(rest)
    as_port: tuple[int, list[ipaddress.IPv4Address | ipaddress.IPv6Address]] | None = None
    head, colon, tail = rest.partition(":")
    if colon and _PORT.fullmatch(head) and 1 <= int(head) <= 65535:
        addresses = _address_list(tail)
        if addresses is not None:
            as_port = (int(head), addresses)
    if as_address is not None and as_port is not None:
        raise ResolveError(
            MSG_RESOLVE_AMBIGUOUS, value=value, as_address=f"{host}:{_bracketed(as_address)}",
            as_port=f"{host}:{as_port[0]}:{_bracketed(as_port[1])}",
        )
    if as_address is not None:
        return ResolveEntry(value, name, None, tuple(str(ip) for ip in as_address))
    if as_port is not None:
        return ResolveEntry(value, name, as_port[0], tuple(str(ip) for ip in as_port[1]))
    raise ResolveError(MSG_RESOLVE_INVALID, value=value)


def _address_list(text: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address] | None:
    """``IP[,IP...]`` with IPv6 bare or in brackets (IPv4 never in brackets); None if it is not that."""
    addresses = []
    for item in text.split(","):
        item = item.strip()
        bracketed = item.startswith("[") and item.endswith("]")
        candidate = item[1:-1] if bracketed else item
        if "[" in candidate or "]" in candidate:
            return None
        try:
            ip = ipaddress.ip_address(candidate)
        except ValueError:
            return None
        if bracketed and ip.version != 6:
            return None
        addresses.append(ip)
    return addresses


def _bracketed(addresses: Sequence[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> str:
    return ",".join(f"[{ip}]" if ip.version == 6 else str(ip) for ip in addresses)


def checked_ports(port: int | None, smtp: bool) -> tuple[int, ...]:
    """The ports :func:`check_server` connects to with these options."""
    if port:
        return (port,)
    return tuple(DEFAULT_SUBMISSION_PORTS) if smtp else (IMAP_TLS_PORT,)


def resolve_table(values: Sequence[str], host: str, ports: Sequence[int]) -> dict[str, list[str]]:
    """The ``--resolve`` values as a resolver table for checking ``host`` on ``ports``.

    A value for another host or another port is an error, not ignored (curl
    ignores it and asks DNS, which would check an address the admin did not
    mean). Raises :class:`ResolveError`.
    """
    try:
        checked = normalize_host(host)
    except InvalidHost:
        checked = host  # the check reports the name itself; no --resolve value can match it
    table: dict[str, list[str]] = {}
    for entry in parse_resolve(values):
        if entry.host != checked:
            raise ResolveError(MSG_RESOLVE_OTHER_HOST, value=entry.value, name=display_host(entry.host), host=host)
        if entry.port is not None and entry.port not in ports:
            raise ResolveError(MSG_RESOLVE_OTHER_PORT, value=entry.value, port=entry.port,
                               ports=", ".join(str(p) for p in ports))
        table.setdefault(entry.host, []).extend(entry.addresses)
    return table


def _resolve_key(host: str) -> str:
    try:
        return normalize_host(host.strip())
    except InvalidHost:
        return host.strip().rstrip(".").lower()


class PinnedResolver:
    """``--resolve`` entries first (never DNS for those names), the system resolver for the rest.

    Names are compared in the policy's normal form (``resolve_table`` keys are already in it).
    """

    def __init__(self, table: dict[str, list[str]]) -> None:
        self._static = StaticResolver({_resolve_key(h): ips for h, ips in table.items()})
        self._names = {_resolve_key(h) for h in table}

    def __call__(self, host: str, port: int) -> list[str]:
        key = _resolve_key(host)
        if key in self._names:
            return self._static(key, port)
        return system_resolver(host, port)


# -- command line ---------------------------------------------------------------

def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        help=translate(
            "AdminCheckServer",
            "Use IP for HOST (the server checked) instead of DNS; also HOST:PORT:IP, IPv6 as [IP] "
            "(may be repeated).",
        ),
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
    parser.add_argument(
        "--user", metavar="NAME",
        help=translate(
            "AdminCheckServer",
            "IMAP only: also log in as NAME, over the verified TLS connection, to see the capabilities the "
            "server offers after login (the password is asked for, or read from the first line of standard "
            "input). Without it no credentials are sent.",
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        table = resolve_table(args.resolve, args.host, checked_ports(args.port, args.smtp))
    except ResolveError as exc:
        emit(exc.text(), file=sys.stderr)
        return EXIT_NOT_CHECKED
    login = None
    if args.user is not None:
        if args.smtp:
            emit(translate("AdminCheckServer", "--user is for IMAP checks only (an SMTP server shows its "
                            "capabilities before login)."), file=sys.stderr)
            return EXIT_NOT_CHECKED
        password = read_password(args.user)
        if not password:
            emit(translate("AdminCheckServer", "No password for {user}: type it when asked, or give it on the "
                            "first line of standard input.").format(user=args.user), file=sys.stderr)
            return EXIT_NOT_CHECKED
        login = (args.user, password)
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
        login=login,
    )
    if args.json:
        emit_json(result.as_dict())
    else:
        print_text(result, sys.stdout, policy_problems=[p.text() for p in effective.problems])
    return result.exit_code


def read_password(user: str) -> str:
    """The password for ``--user``: asked on the terminal (not echoed), else the first line of stdin."""
    stdin = sys.stdin
    if stdin is not None and stdin.isatty():
        prompt = translate("AdminCheckServer", "Password for {user}: ").format(user=user)
        try:
            return getpass.getpass(safe_text(prompt))
        except EOFError:
            return ""
    if stdin is None:
        return ""
    return stdin.readline().rstrip("\r\n")


def _security_text(security: str) -> str:
    if security == "tls":
        return translate("AdminCheckServer", "implicit TLS")
    return translate("AdminCheckServer", "STARTTLS")


def print_text(result: CheckResult, out: TextIO, *, policy_problems: Sequence[str] = ()) -> None:
    if result.policy_source == "machine":
        emit(translate("AdminCheckServer", "Policy: the machine policy"), file=out)
    else:
        emit(translate("AdminCheckServer", "Policy: {file}").format(file=result.policy_source), file=out)
    for problem in policy_problems:
        emit(f"  ! {problem}", file=out)
    for i, report in enumerate(result.attempts):
        ep = report.endpoint
        emit(file=out)
        if result.protocol == "smtp":
            head = translate("AdminCheckServer", "SMTP server {host} port {port} ({security})")
        else:
            head = translate("AdminCheckServer", "IMAP server {host} port {port} ({security})")
        emit(head.format(host=ep.host, port=ep.port, security=_security_text(ep.security)), file=out)
        if report.host_allowed is True:
            emit("  " + translate("AdminCheckServer", "Host name: allowed by the policy"), file=out)
        elif report.host_allowed is False:
            emit("  " + translate("AdminCheckServer", "Host name: REFUSED by the policy"), file=out)
        for address in report.addresses:
            if address.allowed:
                line = translate("AdminCheckServer", "Address {ip}: allowed ({reason})")
            else:
                line = translate("AdminCheckServer", "Address {ip}: REFUSED ({reason})")
            emit("  " + line.format(ip=address.ip, reason=address.reason or address.code), file=out)
        if report.connected_ip:
            emit("  " + translate("AdminCheckServer", "Connected to {ip}").format(ip=report.connected_ip), file=out)
        if report.discarded_plaintext_bytes:
            emit("  " + translate(
                "AdminCheckServer", "Warning: the server sent {count} bytes after its STARTTLS reply (discarded)"
            ).format(count=report.discarded_plaintext_bytes), file=out)
        if report.tls_version:
            emit("  " + translate("AdminCheckServer", "TLS: {version}, cipher {cipher}").format(
                version=report.tls_version, cipher=report.cipher), file=out)
        cert = report.certificate
        if cert is not None:
            emit("  " + translate("AdminCheckServer", "Certificate:"), file=out)
            emit("    " + translate("AdminCheckServer", "Subject: {value}").format(value=cert.subject), file=out)
            emit("    " + translate("AdminCheckServer", "Issuer: {value}").format(value=cert.issuer), file=out)
            emit("    " + translate("AdminCheckServer", "Valid from {start} until {end}").format(
                start=cert.not_before.strftime("%Y-%m-%d %H:%M UTC"),
                end=cert.not_after.strftime("%Y-%m-%d %H:%M UTC")), file=out)
            emit("    " + translate("AdminCheckServer", "Names: {value}").format(value=", ".join(cert.sans)),
                  file=out)
            emit("    " + translate("AdminCheckServer", "SPKI pin (SHA-256): {value}").format(
                value=cert.spki_sha256), file=out)
        if report.capabilities:
            emit("  " + translate("AdminCheckServer", "Capabilities (over TLS): {value}").format(
                value=" ".join(report.capabilities)), file=out)
        # With one attempt the verdict below says it; with several, each says why it was skipped.
        if i < len(result.errors) and len(result.attempts) > 1:
            err = result.errors[i]
            emit("  " + translate("AdminCheckServer", "Result: {code}: {text}").format(
                code=err.code, text=err.user_text()), file=out)
    print_capabilities(result, out)
    emit(file=out)
    if result.final_error is None:
        assert result.selected is not None
        emit(translate("AdminCheckServer", "Verdict: ALLOWED. The app would use {host} port {port} ({security}).")
              .format(host=result.selected.host, port=result.selected.port,
                      security=_security_text(result.selected.security)), file=out)
    elif result.exit_code == EXIT_REFUSED:
        emit(translate("AdminCheckServer", "Verdict: REFUSED ({code}).").format(code=result.final_error.code),
              file=out)
        emit(result.final_error.user_text(), file=out)
    else:
        emit(translate("AdminCheckServer", "Verdict: COULD NOT CHECK ({code}).").format(
            code=result.final_error.code), file=out)
        emit(result.final_error.user_text(), file=out)


def print_capabilities(result: CheckResult, out: TextIO) -> None:
    """The login (``--user``) and what the server's capabilities mean for the app, one line each."""
    if result.login_user is not None and result.final_error is None:
        emit(file=out)
        if result.logged_in:
            emit(translate("AdminCheckServer", "Login as {user}: accepted").format(user=result.login_user),
                  file=out)
            emit("  " + translate("AdminCheckServer", "Capabilities after login: {value}").format(
                value=" ".join(result.capabilities_after_login)), file=out)
        elif result.login_error is not None:
            emit(translate("AdminCheckServer", "Login as {user}: failed ({code}): {text}").format(
                user=result.login_user, code=result.login_error.code, text=result.login_error.user_text()),
                file=out)
    notes = result.capability_notes()
    if not notes:
        return
    emit(file=out)
    if result.capability_stage == "before-login":
        emit(translate("AdminCheckServer", "What the capabilities advertised before login mean for the app "
                        "(+ offered, - not advertised):"), file=out)
    else:
        emit(translate("AdminCheckServer", "What the server's capabilities mean for the app "
                        "(+ offered, - not offered):"), file=out)
    for note in notes:
        name = f"{note.name} {note.value}" if note.value else note.name
        emit(f"  {'+' if note.present else '-'} {name}: {note.meaning.text()}", file=out)
    if result.capability_stage == "before-login" and result.login_user is None:
        emit("  " + translate("AdminCheckServer", "Many servers (Dovecot, Cyrus) list more after login: check "
                               "again with --user NAME to see what the app works with."), file=out)
