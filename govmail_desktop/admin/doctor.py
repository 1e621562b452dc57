"""``govmail-admin doctor``: is this desk ready? One report on the install, fonts, keyring,
policy source and servers.

Each area is a pure function from *facts* (gathered by :mod:`admin.doctor_facts`,
injected by tests) to :class:`Finding` s with a status:

* ``ok``   — as it should be;
* ``warn`` — the app works, but not as IT intended (no machine policy, no usable
  keyring so passwords are asked each session, no Thai font known to fontconfig);
* ``fail`` — the app cannot work as deployed (package data missing, no Thai font at
  all, the policy broken or changeable by users, a server refused or not answering);
* ``skip`` — not checked (``--offline``, no fontconfig, no servers configured yet).

Exit codes: :data:`EXIT_OK` (0) every check passed or was skipped; :data:`EXIT_WARNINGS`
(1) at least one warning and no failure; :data:`EXIT_FAILURES` (2) at least one failure.
An unexpected error exits 2 as well (``admin/cli.py``).

The servers are checked by :func:`admin.check_server.check_server` — exactly what
``govmail-admin check-server`` and the app do — with the policy in force, so a server
that the domestic-server policy refuses, or whose TLS the rules refuse, is a failure.
No credentials are ever sent and no secret is ever read or printed (see
:func:`admin.doctor_facts.keyring_facts` for the keyring probe).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from govmail_desktop.admin.check_server import EXIT_ALLOWED, EXIT_REFUSED, CheckResult
from govmail_desktop.admin.output import emit, emit_json
from govmail_desktop.i18n import QT_TRANSLATE_NOOP, Msg, translate
from govmail_desktop.policy.model import Problem
from govmail_desktop.policy.sources import DEFAULT_SOURCE, EffectivePolicy, source_text

Status = Literal["ok", "warn", "fail", "skip"]

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_FAILURES = 2

AREAS = ("install", "fonts", "keyring", "policy", "servers")

#: The app's own icon: without it there is no window or menu icon.
APP_ICON = "govmail-desktop"
#: The compiled Thai catalogues: pure-code texts (govmail-admin, errors), the Qt texts, Qt's own.
TRANSLATION_FILES = ("govmail_th.json", "govmail_th.qm", "qtbase_th.qm")


@dataclass(frozen=True)
class Finding:
    """One line of the report."""

    area: str
    check: str  # stable id, e.g. "install.icons" (the --json key scripts test)
    status: Status
    message: Msg
    #: more lines under it: messages, or text already worded (policy problems, server errors)
    details: tuple[Msg | str, ...] = ()

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "area": self.area,
            "check": self.check,
            "status": self.status,
            "text": self.message.text(lang),
            "details": [render(d, lang) for d in self.details],
        }


def _msg(text: Msg, **args: Any) -> Msg:
    return text.format(**args) if args else text


def render(text: Msg | str, lang: str | None = None) -> str:
    """A message in ``lang``; plain text (a problem already worded, a server's reply) as it is."""
    return text.text(lang) if isinstance(text, Msg) else text


# -- install ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InstallFacts:
    version: str
    python: str
    frozen: bool  # running from the PyInstaller bundle
    #: where the package data were looked for (shown), and the names found there
    icons_location: str
    icon_names: tuple[str, ...]  # "govmail-desktop", "mail-reply" ...
    translations_location: str
    translation_files: tuple[str, ...]  # "govmail_th.qm" ...


M_VERSION_BUNDLE = QT_TRANSLATE_NOOP("AdminDoctor", "GovMail Desktop {version} (installed bundle, Python {python})")
M_VERSION_SOURCE = QT_TRANSLATE_NOOP("AdminDoctor", "GovMail Desktop {version} (from Python {python} packages)")
M_ICONS_OK = QT_TRANSLATE_NOOP("AdminDoctor", "Icons: {count} found in {folder}")
M_ICONS_MISSING = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Icons: the app icon {name} is missing from {folder} (reinstall the package)")
M_TRANSLATIONS_OK = QT_TRANSLATE_NOOP("AdminDoctor", "Thai translations: {files} in {folder}")
M_TRANSLATIONS_MISSING = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Thai translations: {files} missing from {folder} (the app would show English; reinstall)")


def check_install(facts: InstallFacts) -> list[Finding]:
    found: list[Finding] = []
    version = M_VERSION_BUNDLE if facts.frozen else M_VERSION_SOURCE
    found.append(Finding("install", "install.version", "ok", _msg(version, version=facts.version,
                                                                      python=facts.python)))
    names = set(facts.icon_names)
    if APP_ICON in names:
        found.append(Finding("install", "install.icons", "ok",
                             _msg(M_ICONS_OK, count=len(names), folder=facts.icons_location)))
    else:
        found.append(Finding("install", "install.icons", "fail",
                             _msg(M_ICONS_MISSING, name=APP_ICON, folder=facts.icons_location)))
    present = set(facts.translation_files)
    missing = [name for name in TRANSLATION_FILES if name not in present]
    if missing:
        found.append(Finding("install", "install.translations", "fail", _msg(
            M_TRANSLATIONS_MISSING, files=", ".join(missing), folder=facts.translations_location)))
    else:
        found.append(Finding("install", "install.translations", "ok", _msg(
            M_TRANSLATIONS_OK, files=", ".join(TRANSLATION_FILES), folder=facts.translations_location)))
    return found


# -- fonts ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FontFacts:
    #: the bundled Sarabun files the app registers (the app's own lookup): names, and where
    sarabun_files: tuple[str, ...]
    sarabun_location: str
    #: Thai-capable families fontconfig knows (``fc-list :lang=th``); None: not asked
    #: (not Linux, or fc-list not installed)
    thai_families: tuple[str, ...] | None


M_SARABUN_OK = QT_TRANSLATE_NOOP("AdminDoctor", "Thai font Sarabun: {count} file(s) in {folder}")
M_SARABUN_MISSING_SYSTEM = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Thai font Sarabun: not found; the app falls back to the system's Thai fonts (reinstall "
    "the package to get it back)")
M_SARABUN_MISSING = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Thai font Sarabun: not found, and no other Thai font is known: Thai would show as boxes "
    "(reinstall the package)")
M_FONTCONFIG_OK = QT_TRANSLATE_NOOP("AdminDoctor", "Thai fonts known to fontconfig: {families}")
M_FONTCONFIG_NONE = QT_TRANSLATE_NOOP(
    "AdminDoctor", "No Thai font is known to fontconfig: other programs (and printing from them) may show "
    "Thai as boxes; install fonts-thai-tlwg")
M_FONTCONFIG_SKIP = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Thai fonts known to the system: not checked (fontconfig's fc-list is not available)")
#: Families named in the report (the rest are counted).
SHOWN_FAMILIES = 5
M_MORE = QT_TRANSLATE_NOOP("AdminDoctor", "{families} and {count} more")


def check_fonts(facts: FontFacts) -> list[Finding]:
    found: list[Finding] = []
    system_thai = bool(facts.thai_families)
    if facts.sarabun_files:
        found.append(Finding("fonts", "fonts.sarabun", "ok", _msg(
            M_SARABUN_OK, count=len(facts.sarabun_files), folder=facts.sarabun_location)))
    elif system_thai:
        found.append(Finding("fonts", "fonts.sarabun", "warn", M_SARABUN_MISSING_SYSTEM))
    else:
        found.append(Finding("fonts", "fonts.sarabun", "fail", M_SARABUN_MISSING))
    if facts.thai_families is None:
        found.append(Finding("fonts", "fonts.fontconfig", "skip", M_FONTCONFIG_SKIP))
    elif facts.thai_families:
        families = list(facts.thai_families)
        shown = ", ".join(families[:SHOWN_FAMILIES])
        text = (_msg(M_MORE, families=shown, count=len(families) - SHOWN_FAMILIES)
                if len(families) > SHOWN_FAMILIES else shown)
        found.append(Finding("fonts", "fonts.fontconfig", "ok", _msg(M_FONTCONFIG_OK, families=text)))
    else:
        found.append(Finding("fonts", "fonts.fontconfig", "warn", M_FONTCONFIG_NONE))
    return found


# -- keyring ----------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyringFacts:
    #: the backend ``keyring`` picks (``module.Class``; a chainer's backends joined), "" if none loaded
    chosen: str
    #: the OS keyring the app would use, None when there is none
    usable: str | None
    #: why it cannot be used (a CredentialsError's code and user text), None when it can
    error_code: str | None = None
    error_text: Msg | None = None
    #: the probe did not return within the timeout (a locked keyring waiting for an unlock prompt)
    timed_out: bool = False
    timeout: float = 0.0


M_KEYRING_OK = QT_TRANSLATE_NOOP("AdminDoctor", "Password store (keyring): {backend}; passwords can be saved")
M_KEYRING_CHOSEN = QT_TRANSLATE_NOOP("AdminDoctor", "keyring's choice: {backend}")
M_KEYRING_UNUSABLE = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Password store (keyring) not usable ({code}): users will type their password each session")
M_KEYRING_TIMEOUT = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Password store (keyring) {backend} did not answer within {seconds} s (locked, waiting for "
    "an unlock?): users may have to type their password each session")
M_NONE = QT_TRANSLATE_NOOP("AdminDoctor", "(none)")


def check_keyring(facts: KeyringFacts) -> list[Finding]:
    chosen: Msg | str = facts.chosen or M_NONE
    details = (_msg(M_KEYRING_CHOSEN, backend=chosen),)
    if facts.timed_out:
        return [Finding("keyring", "keyring.usable", "warn", _msg(
            M_KEYRING_TIMEOUT, backend=facts.usable or facts.chosen, seconds=f"{facts.timeout:g}"), details)]
    if facts.error_code is not None or facts.usable is None:
        more = (facts.error_text,) if facts.error_text is not None else ()
        return [Finding("keyring", "keyring.usable", "warn",
                        _msg(M_KEYRING_UNUSABLE, code=facts.error_code or "keyring"), (*details, *more))]
    return [Finding("keyring", "keyring.usable", "ok", _msg(M_KEYRING_OK, backend=facts.usable), details)]


# -- policy -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PolicyFacts:
    effective: EffectivePolicy
    #: the machine policy file this platform reads (or the --policy FILE)
    path: Path
    #: True with ``--policy FILE``: a file given on the command line, not the machine policy
    explicit: bool = False
    #: who may change ``path`` (policy.sources.posix_file_problems / windows_file_problems):
    #: None no file; [] only administrators; else the problems. Not asked with --policy.
    permission_problems: tuple[Problem, ...] | None = None


M_POLICY_SOURCES = QT_TRANSLATE_NOOP("AdminDoctor", "Policy source: {sources}")
M_POLICY_GIVEN = QT_TRANSLATE_NOOP("AdminDoctor", "Policy source: {file} (given with --policy, not the machine policy)")
M_POLICY_DEFAULT_ONLY = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Policy source: no machine policy at {file}; the built-in default applies (mail.go.th only)")
M_POLICY_VALID = QT_TRANSLATE_NOOP("AdminDoctor", "The policy is valid (schema version {version})")
M_POLICY_INVALID = QT_TRANSLATE_NOOP(
    "AdminDoctor", "The policy is INVALID: the app connects to no server until it is fixed")
M_PERMISSIONS_OK = QT_TRANSLATE_NOOP("AdminDoctor", "Only administrators can change {file}")
M_PERMISSIONS_BAD = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Users could change {file}: it is not applied and the policy fails closed")
M_PERMISSIONS_NO_FILE = QT_TRANSLATE_NOOP("AdminDoctor", "Permissions: no machine policy file at {file}")
M_PERMISSIONS_NOT_ASKED = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Permissions: not checked for a file given with --policy")


def check_policy(facts: PolicyFacts) -> list[Finding]:
    eff = facts.effective
    found: list[Finding] = []
    labels = [label for label in eff.origins() if label != DEFAULT_SOURCE]
    if facts.explicit:
        found.append(Finding("policy", "policy.source", "ok", _msg(M_POLICY_GIVEN, file=str(facts.path))))
    elif labels:
        found.append(Finding("policy", "policy.source", "ok",
                             _msg(M_POLICY_SOURCES, sources=", ".join(source_text(x) for x in labels))))
    else:
        found.append(Finding("policy", "policy.source", "warn", _msg(M_POLICY_DEFAULT_ONLY, file=str(facts.path))))
    permission = facts.permission_problems or ()
    others = tuple(p for p in eff.problems if p not in permission)
    if eff.ok:
        found.append(Finding("policy", "policy.valid", "ok",
                             _msg(M_POLICY_VALID, version=eff.policy.schema_version)))
    else:
        found.append(Finding("policy", "policy.valid", "fail", M_POLICY_INVALID,
                             tuple(p.text() for p in others)))
    if facts.explicit:
        found.append(Finding("policy", "policy.permissions", "skip", M_PERMISSIONS_NOT_ASKED))
    elif facts.permission_problems is None:
        found.append(Finding("policy", "policy.permissions", "skip",
                             _msg(M_PERMISSIONS_NO_FILE, file=str(facts.path))))
    elif facts.permission_problems:
        found.append(Finding("policy", "policy.permissions", "fail", _msg(M_PERMISSIONS_BAD, file=str(facts.path)),
                             tuple(p.text() for p in facts.permission_problems)))
    else:
        found.append(Finding("policy", "policy.permissions", "ok", _msg(M_PERMISSIONS_OK, file=str(facts.path))))
    return found


# -- servers ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ServerTarget:
    """A server the app would connect to, and who configured it."""

    protocol: Literal["imap", "smtp"]
    host: str
    port: int | None  # None: SMTP whose port is probed (465, 587, 25)
    security: Literal["tls", "starttls"] | None
    #: "policy" (locked or provisioned by the machine policy) or the account's address
    origin: str


@dataclass(frozen=True)
class ServerFacts:
    targets: tuple[ServerTarget, ...]
    #: check_server's result for each target, same order; empty when not checked
    results: tuple[CheckResult, ...] = ()
    offline: bool = False
    #: problems reading the user's accounts (settings file broken ...)
    account_problems: tuple[str, ...] = ()


M_SERVERS_OFFLINE = QT_TRANSLATE_NOOP("AdminDoctor", "Servers: not checked (--offline)")
M_SERVERS_NONE = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Servers: none configured yet (no account, and the policy provisions none)")
M_ORIGIN_POLICY = QT_TRANSLATE_NOOP("AdminDoctor", "the policy")
M_SERVER_ALLOWED = QT_TRANSLATE_NOOP(
    "AdminDoctor", "{protocol} server {host} port {port} (set by {origin}): allowed and answering, {tls}")
M_SERVER_REFUSED = QT_TRANSLATE_NOOP(
    "AdminDoctor", "{protocol} server {host} (set by {origin}): REFUSED ({code})")
M_SERVER_NO_ANSWER = QT_TRANSLATE_NOOP(
    "AdminDoctor", "{protocol} server {host} (set by {origin}): could not be checked ({code})")
M_ACCOUNTS_PROBLEMS = QT_TRANSLATE_NOOP(
    "AdminDoctor", "The user's account settings have problems; those accounts are not checked")


def _tls_text(result: CheckResult) -> str:
    for report in reversed(result.attempts):
        if report.endpoint == result.selected and report.tls_version:
            return str(report.tls_version)
    return "TLS"


def server_finding(target: ServerTarget, result: CheckResult) -> Finding:
    origin: Msg | str = M_ORIGIN_POLICY if target.origin == "policy" else target.origin
    protocol = target.protocol.upper()
    check = f"servers.{target.protocol}.{target.host}" + (f":{target.port}" if target.port else "")
    if result.exit_code == EXIT_ALLOWED and result.selected is not None:
        return Finding("servers", check, "ok", _msg(
            M_SERVER_ALLOWED, protocol=protocol, host=result.selected.host, port=result.selected.port,
            origin=origin, tls=_tls_text(result)))
    assert result.final_error is not None
    reason = (result.final_error.user_text(),)
    text = M_SERVER_REFUSED if result.exit_code == EXIT_REFUSED else M_SERVER_NO_ANSWER
    return Finding("servers", check, "fail",
                   _msg(text, protocol=protocol, host=target.host, origin=origin, code=result.final_error.code),
                   reason)


def check_servers(facts: ServerFacts) -> list[Finding]:
    found: list[Finding] = []
    if facts.account_problems:
        found.append(Finding("servers", "servers.accounts", "warn", M_ACCOUNTS_PROBLEMS,
                             tuple(facts.account_problems)))
    if facts.offline:
        found.append(Finding("servers", "servers", "skip", M_SERVERS_OFFLINE))
        return found
    if not facts.targets:
        found.append(Finding("servers", "servers", "skip", M_SERVERS_NONE))
        return found
    found.extend(server_finding(t, r) for t, r in zip(facts.targets, facts.results, strict=True))
    return found


# -- the report -------------------------------------------------------------------------

def exit_code(findings: Iterable[Finding]) -> int:
    statuses = {f.status for f in findings}
    if "fail" in statuses:
        return EXIT_FAILURES
    if "warn" in statuses:
        return EXIT_WARNINGS
    return EXIT_OK


@dataclass(frozen=True)
class Report:
    version: str
    findings: tuple[Finding, ...]

    @property
    def exit_code(self) -> int:
        return exit_code(self.findings)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.status == s) for s in ("ok", "warn", "fail", "skip")}

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "version": self.version,
            "exit_code": self.exit_code,
            "summary": self.counts(),
            "checks": [f.as_dict(lang) for f in self.findings],
        }


M_TITLE = QT_TRANSLATE_NOOP("AdminDoctor", "GovMail Desktop doctor: version {version}")
AREA_TITLES = {
    "install": QT_TRANSLATE_NOOP("AdminDoctor", "Installation"),
    "fonts": QT_TRANSLATE_NOOP("AdminDoctor", "Fonts"),
    "keyring": QT_TRANSLATE_NOOP("AdminDoctor", "Password store"),
    "policy": QT_TRANSLATE_NOOP("AdminDoctor", "Policy"),
    "servers": QT_TRANSLATE_NOOP("AdminDoctor", "Servers"),
}
STATUS_LABELS = {
    "ok": QT_TRANSLATE_NOOP("AdminDoctor", "OK"),
    "warn": QT_TRANSLATE_NOOP("AdminDoctor", "WARNING"),
    "fail": QT_TRANSLATE_NOOP("AdminDoctor", "FAILED"),
    "skip": QT_TRANSLATE_NOOP("AdminDoctor", "SKIPPED"),
}
M_SUMMARY = QT_TRANSLATE_NOOP(
    "AdminDoctor", "Result: {ok} passed, {warn} warning(s), {fail} failure(s), {skip} skipped (exit code {code})")


def print_report(report: Report, out: TextIO) -> None:
    emit(M_TITLE.format(version=report.version).text(), file=out)
    width = max(len(label.text()) for label in STATUS_LABELS.values())
    for area in AREAS:
        findings = [f for f in report.findings if f.area == area]
        if not findings:
            continue
        emit(file=out)
        emit(AREA_TITLES[area].text(), file=out)
        for finding in findings:
            label = STATUS_LABELS[finding.status].text()
            emit(f"  [{label}]{' ' * (width - len(label))} {finding.message.text()}", file=out)
            for detail in finding.details:
                emit(f"  {' ' * (width + 2)}   - {render(detail)}", file=out)
    emit(file=out)
    emit(M_SUMMARY.format(code=report.exit_code, **report.counts()).text(), file=out)


def build_report(version: str, *, install: InstallFacts, fonts: FontFacts, keyring: KeyringFacts,
                 policy: PolicyFacts, servers: ServerFacts) -> Report:
    findings = [*check_install(install), *check_fonts(fonts), *check_keyring(keyring), *check_policy(policy),
                *check_servers(servers)]
    return Report(version, tuple(findings))


# -- command line -----------------------------------------------------------------------

def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``doctor`` to govmail-admin."""
    text = translate("AdminDoctor", "Check this computer's installation, fonts, password store, policy and "
                                    "mail servers in one report (exit 0 all good, 1 warnings, 2 failures).")
    parser = subparsers.add_parser("doctor", help=text, description=text)
    parser.add_argument("--json", action="store_true",
                        help=translate("AdminDoctor", "Machine-readable output (JSON)."))
    parser.add_argument("--offline", action="store_true",
                        help=translate("AdminDoctor", "Do not connect to the mail servers."))
    parser.add_argument("--policy", metavar="FILE",
                        help=translate("AdminDoctor", "Use this policy file instead of the machine policy."))
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS",
        help=translate("AdminDoctor", "Give up on a server or the password store after this many seconds "
                                      "(default 10)."),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from govmail_desktop.admin import doctor_facts
    from govmail_desktop.credentials import CredentialStore

    report = doctor_facts.gather(CredentialStore(), policy_file=Path(args.policy) if args.policy else None,
                                 offline=args.offline, timeout=args.timeout)
    if args.json:
        emit_json(report.as_dict())
    else:
        print_report(report, sys.stdout)
    return report.exit_code


__all__: Sequence[str] = (
    "EXIT_FAILURES", "EXIT_OK", "EXIT_WARNINGS", "FontFacts", "Finding", "InstallFacts", "KeyringFacts",
    "PolicyFacts", "Report", "ServerFacts", "ServerTarget", "build_report", "check_fonts", "check_install",
    "check_keyring", "check_policy", "check_servers", "exit_code", "print_report", "register", "run",
)
