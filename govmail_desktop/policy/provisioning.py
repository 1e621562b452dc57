"""Account provisioning: the account the machine policy sets up for the user.

The policy's ``provisioning`` section (schema.KEYS, model.ProvisioningSection) names the
address — fixed, or a pattern of the OS login name (``%USERNAME%@agency.go.th``) — the IMAP
and SMTP servers, the login name pattern, where the sender's name comes from, a locked
signature and whether the password is remembered. Two halves:

* when the policy is read, the ``check_*`` functions refuse a malformed pattern (schema.py's
  checkers) and :func:`consistency_problems` what the policy's own rules refuse (the servers
  and the address domain: provisioning never loosens the domestic-server policy);
* at first start, :func:`provision` expands it with the OS user's facts
  (core/os_user.py) into an :class:`~govmail_desktop.core.accounts.Account`, or raises
  :class:`ProvisioningFailed` with a Thai/English message saying why.

The login name is never trusted as text: only ``A–Z a–z 0–9 . _ + -`` reach an address
(``DOMAIN\\user`` and ``user@REALM`` are reduced to ``user``), and the result must be a valid
address on a domain the policy allows for accounts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from govmail_desktop.core.accounts import (
    PROFILE_CUSTOM,
    Account,
    InvalidAccount,
    ServerSettings,
    new_account_id,
    normalize_address,
    normalize_host,
)
from govmail_desktop.core.errors import ConfigError, PolicyRefused
from govmail_desktop.core.os_user import OsUser
from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.policy import messages as m
from govmail_desktop.policy.model import Policy, ProvisioningSection

USERNAME = "%USERNAME%"
ADDRESS_PLACEHOLDERS = (USERNAME,)
LOGIN_PLACEHOLDERS = ("%ADDRESS%", "%LOCALPART%", USERNAME)
SIGNATURE_PLACEHOLDERS = ("{name}", "{address}")
#: Most lines of a locked signature, and characters of one line (core/identities.py's field limit).
MAX_SIGNATURE_LINES = 10
MAX_SIGNATURE_LINE = 200
#: What a login name may hold to become the part of an address before @ (ASCII only: the
#: Kelvin sign K or a Thai letter must not slip in through lower-casing or IDNA).
_LOGIN_NAME = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*", re.ASCII)
_TOKEN = re.compile(r"%[^%\s]*%")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

DISPLAY_OS = "os"
DISPLAY_LOCAL_PART = "local_part"
DISPLAY_ASK = "ask"
DISPLAY_CHOICES = (DISPLAY_OS, DISPLAY_LOCAL_PART, DISPLAY_ASK)
PASSWORD_KEYRING = "keyring"
PASSWORD_SESSION = "session"
PASSWORD_CHOICES = (PASSWORD_KEYRING, PASSWORD_SESSION)


class PatternError(Exception):
    """A provisioning value of the policy is malformed (the message names it)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.text("en"))
        self.message = message


class ProvisioningFailed(ConfigError):
    """The policy provisions the account, but not for this user (the login name gives no
    valid, allowed address). The account is not set up; IT staff must change the policy."""

    code = "provisioning"


def _shown(text: str, limit: int = 100) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _placeholders(value: str, allowed: Sequence[str]) -> None:
    for token in _TOKEN.findall(value):
        if token.upper() not in allowed:
            raise PatternError(m.P_PROV_PLACEHOLDER.format(
                value=_shown(value), placeholder=_shown(token), allowed=", ".join(allowed)))
    if "%" in _TOKEN.sub("", value):
        raise PatternError(m.P_PROV_PERCENT.format(value=_shown(value), allowed=", ".join(allowed)))


def _fill(pattern: str, values: dict[str, str]) -> str:
    return _TOKEN.sub(lambda found: values[found.group(0).upper()], pattern)


def check_address_pattern(value: str) -> str:
    """A fixed address or a pattern with %USERNAME% before the @ (PatternError otherwise)."""
    text = value.strip()
    _placeholders(text, ADDRESS_PLACEHOLDERS)
    local, at, domain = text.rpartition("@")
    if at and "%" in domain:
        raise PatternError(m.P_PROV_DOMAIN_FIXED.format(value=_shown(text)))
    try:
        normalize_address(_fill(text, {USERNAME: "user"}))
    except InvalidAccount:
        raise PatternError(m.P_PROV_ADDRESS.format(value=_shown(text))) from None
    return f"{local}@{domain}"


def check_login_pattern(value: str) -> str:
    text = value.strip()
    if not text or _CONTROL.search(text) or any(ch.isspace() for ch in text):
        raise PatternError(m.P_PROV_LOGIN.format(value=_shown(value), allowed=", ".join(LOGIN_PLACEHOLDERS)))
    _placeholders(text, LOGIN_PLACEHOLDERS)
    return text


def check_host(value: str) -> str:
    try:
        return normalize_host(value)
    except InvalidAccount:
        raise PatternError(m.P_PROV_HOST.format(value=_shown(value))) from None


def check_signature(lines: Sequence[str]) -> list[str]:
    if len(lines) > MAX_SIGNATURE_LINES:
        raise PatternError(m.P_PROV_SIGNATURE_LINES.format(count=len(lines), maximum=MAX_SIGNATURE_LINES))
    out = []
    for line in lines:
        rest = line
        for placeholder in SIGNATURE_PLACEHOLDERS:
            rest = rest.replace(placeholder, "")
        if "{" in rest or "}" in rest or _CONTROL.search(line) or len(line) > MAX_SIGNATURE_LINE:
            raise PatternError(m.P_PROV_SIGNATURE.format(value=_shown(line), maximum=MAX_SIGNATURE_LINE))
        out.append(line.rstrip())
    while out and not out[-1]:
        out.pop()
    return out


def consistency_problems(policy: Policy, check_host: Callable[[str], Any]) -> list[tuple[str, Msg]]:
    """(key, problem) for what the policy's own rules refuse: a provisioned address needs both
    servers, each server must pass ``check_host`` (servers.allow / servers.deny), and the
    address's domain must be one allowed for accounts."""
    from govmail_desktop.policy.hosts import first_match

    section = policy.provisioning
    if section.address is None:
        return []
    problems: list[tuple[str, Msg]] = []
    for key in ("imap_host", "smtp_host"):
        host = getattr(section, key)
        if host is None:
            problems.append((f"provisioning.{key}", m.P_PROV_NO_SERVER.format(key=key)))
            continue
        try:
            check_host(host)
        except PolicyRefused as exc:
            problems.append((f"provisioning.{key}", m.P_PROV_REFUSED.format(
                what=m.T_PROV_SERVER, value=host, reason=exc.code)))
    domain = section.address.rpartition("@")[2].lower()
    refused = (
        first_match(policy.servers.deny, domain) or first_match(policy.recipients.free_mail_domains, domain)
        or first_match(policy.accounts.allowed_domains, domain) is None
    )
    if refused:
        problems.append(("provisioning.address", m.P_PROV_REFUSED.format(
            what=m.T_PROV_DOMAIN, value=domain, reason="accounts.allowed_domains")))
    return problems


# -- at first start ------------------------------------------------------------------------


def _failed(reason: Msg, detail: str) -> ProvisioningFailed:
    return ProvisioningFailed(m.PROV_FAILED.format(reason=reason), hint=m.PROV_FAILED_HINT, detail=detail)


def login_name(login: str) -> str:
    """The OS login name as the part of an address before @: ``AGENCY\\Somchai`` → ``somchai``,
    ``somchai@AGENCY.GO.TH`` (Kerberos, SSSD) → ``somchai``; ProvisioningFailed when nothing is
    left or it holds anything but ``A–Z a–z 0–9 . _ + -`` (spaces, Thai letters, % …)."""
    name = login.strip()
    name = name.rpartition("\\")[2]
    name = name.partition("@")[0]
    if not name:
        raise _failed(m.PROV_LOGIN_EMPTY, "no OS login name")
    if len(name) > 64 or not _LOGIN_NAME.fullmatch(name):
        raise _failed(m.PROV_LOGIN_BAD.format(name=_shown(login)), "OS login name not usable in an address")
    return name.lower()


def _clean_name(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())[:MAX_SIGNATURE_LINE]


def provisioned_address(section: ProvisioningSection, user: OsUser) -> str:
    """The address the policy gives this user (ProvisioningFailed when it gives none)."""
    if section.address is None:
        raise _failed(m.PROV_INCOMPLETE, "provisioning is not configured")
    needs_user = USERNAME in section.address.upper()
    text = _fill(section.address, {USERNAME: login_name(user.login)}) if needs_user else section.address
    try:
        return normalize_address(text)
    except InvalidAccount:
        raise _failed(m.PROV_ADDRESS_BAD.format(address=_shown(text)), "provisioned address malformed") from None


@dataclass(frozen=True)
class Provisioned:
    """What the policy sets up: the account (a new id), and what the wizard must still ask."""

    account: Account
    #: the sender's name is not known: the wizard asks for it
    ask_name: bool
    #: the locked signature's lines, placeholders filled ({name}, {address}); () = not locked
    signature: tuple[str, ...]

    @property
    def ask_each_session(self) -> bool:
        return self.account.ask_password_each_session


def signature_lines(section: ProvisioningSection, name: str, address: str) -> tuple[str, ...]:
    """The locked signature of the account (empty when the policy locks none)."""
    return tuple(line.replace("{name}", name).replace("{address}", address) for line in section.signature)


def provision(
    section: ProvisioningSection,
    user: OsUser,
    check_address: Callable[[str], str],
    *,
    account_id: str | None = None,
) -> Provisioned:
    """The provisioned account for ``user``; ``check_address`` is the policy's account-address
    check (EffectivePolicy.check_account_address). Raises ProvisioningFailed."""
    address = provisioned_address(section, user)
    try:
        address = normalize_address(check_address(address))
    except PolicyRefused:
        raise _failed(m.PROV_ADDRESS_REFUSED.format(address=address), "provisioned address refused") from None
    local = address.rpartition("@")[0]
    values = {"%ADDRESS%": address, "%LOCALPART%": local}
    if USERNAME in section.login.upper():
        values[USERNAME] = login_name(user.login)
    login = _fill(section.login, values)
    if section.display_name == DISPLAY_OS:
        name = _clean_name(user.full_name)
    elif section.display_name == DISPLAY_LOCAL_PART:
        name = local
    else:
        name = ""
    if section.imap_host is None or section.smtp_host is None:
        raise _failed(m.PROV_INCOMPLETE, "provisioning without servers")
    try:
        account = Account(
            id=account_id or new_account_id(),
            address=address,
            display_name=name,
            login=login,
            imap=ServerSettings(section.imap_host, section.imap_port, section.imap_security),  # type: ignore[arg-type]
            smtp=ServerSettings(section.smtp_host, section.smtp_port, section.smtp_security),  # type: ignore[arg-type]
            ask_password_each_session=section.password == PASSWORD_SESSION,
            profile=PROFILE_CUSTOM,
        )
    except InvalidAccount as exc:
        raise _failed(exc.message, f"provisioned account invalid: {exc.detail}") from None
    return Provisioned(account, ask_name=not name, signature=signature_lines(section, name, address))
