"""The policy schema (version 1): every key, its type, default and meaning.

A policy source (a JSON file, the registry, the built-in default) is turned
into a *layer*: a flat dict ``{"servers.allow": [...], ...}`` of normalised,
JSON-shaped values, plus a list of :class:`Problem` naming the key path and
what is wrong. Layers are stacked (later wins per key) and the result is
turned into a frozen :class:`Policy` by :func:`build_policy`.

``validate(data)`` is the public one-call check (``govmail-admin policy validate``).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from govmail_desktop.core import settings as user_settings
from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.policy import messages as m
from govmail_desktop.policy.hosts import HostPattern, InvalidHost, parse_pattern
from govmail_desktop.policy.model import (
    MAX_DOWNLOAD_DAYS,
    SCHEMA_VERSION,
    AccountsSection,
    AddressesSection,
    AttachmentsSection,
    ContentSection,
    Policy,
    Problem,
    ProvisioningSection,
    RecipientsSection,
    SearchSection,
    ServersSection,
    TlsSection,
)

#: Address ranges broader than this would make the Thailand check meaningless; the
#: listed ranges *together* may not cover more addresses than one such range either
#: (addresses of the agency's own networks, _LOCAL_V4 and _LOCAL_V6, do not count).
MIN_PREFIX_V4 = 8
MIN_PREFIX_V6 = 16

#: The most entries a list may have. A fleet policy lists tens to a few hundred
#: servers and domains; the bound keeps loading (and every check at run time,
#: which walks the lists) fast whatever the file holds.
MAX_LIST_ENTRIES = 10_000
#: The deepest nesting of a policy document (a valid one is 3 levels deep).
MAX_NESTING = 32
#: Longest value or key quoted in a problem; longer ones are cut with "…".
MAX_SHOWN = 100

#: IPv6 prefixes whose addresses lead to IPv4 addresses (the IPv4 address is inside):
#: listing one would allow every IPv4 address abroad. The server check judges such
#: addresses by the IPv4 address inside, so an admin lists the IPv4 range instead.
TRANSLATION_PREFIXES: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(prefix), kind)
    for prefix, kind in (
        ("::ffff:0:0/96", "IPv4-mapped"),
        ("::ffff:0:0:0/96", "IPv4-translated"),
        ("64:ff9b::/96", "NAT64"),
        ("64:ff9b:1::/48", "local NAT64"),
        ("2002::/16", "6to4"),
        ("2001::/32", "Teredo"),
    )
)

#: The agency's own kinds of network (RFC 1918 private, carrier-grade NAT, loopback,
#: link-local, unique local): refused unless listed, and never a foreign server on
#: the internet, so listing them does not count towards the limit on the ranges.
_LOCAL_V4 = tuple(ipaddress.IPv4Network(n) for n in (
    "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"))
_LOCAL_V6 = tuple(ipaddress.IPv6Network(n) for n in ("::1/128", "fc00::/7", "fe80::/10"))
_N = TypeVar("_N", ipaddress.IPv4Network, ipaddress.IPv6Network)

LOCKED_SETTINGS = "locked_settings"
SECTIONS = (
    "servers", "addresses", "tls", "accounts", "recipients", "content", "attachments", "search", "provisioning",
)
TOP_LEVEL_VALUES = ("schema_version", "description")
#: Who may set a key (KeySpec.scope, key_scope): machine sources only, or the user's policy too.
MACHINE, USER = "machine", "user"


class BadValue(Exception):
    """Raised by a value checker with the problem as a translatable Msg."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.text("en"))
        self.message = message


@dataclass(frozen=True)
class Context:
    """What a checker needs to know about the source the value came from."""

    #: relative paths (tls.ca_file) are resolved against this; None = must be absolute
    base_dir: Path | None = None


@dataclass(frozen=True)
class Shape:
    """What a key's value looks like, for the generated JSON schema, ADMX and docs (templates.py)."""

    kind: str  # "text" | "list" | "integer" | "boolean" | "choice"
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    #: null is allowed (JSON); an empty text in the registry means null
    nullable: bool = False


@dataclass(frozen=True)
class Checker:
    """A value checker that also says what it accepts (:class:`Shape`)."""

    run: Callable[[Any, Context], Any]
    shape: Shape

    def __call__(self, value: Any, ctx: Context) -> Any:
        return self.run(value, ctx)


def _type_name(value: Any) -> Msg:
    if isinstance(value, bool):
        return m.T_BOOLEAN
    if isinstance(value, int):
        return m.T_INTEGER
    if isinstance(value, str):
        return m.T_TEXT
    if isinstance(value, list):
        return m.T_LIST
    if isinstance(value, dict):
        return m.T_OBJECT
    if value is None:
        return m.T_NULL
    return m.T_OTHER


def _expect(expected: Msg, value: Any) -> BadValue:
    return BadValue(m.P_EXPECTED.format(expected=expected, found=_type_name(value)))


def shown(text: str) -> str:
    """``text`` as quoted in a problem: printable (no lone surrogates) and at most MAX_SHOWN long."""
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _unique(items: list[str]) -> list[str]:
    """``items`` without repeats, in order (one hash per item: loading stays linear)."""
    return list(dict.fromkeys(items))


def _text_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _expect(m.T_LIST_OF_TEXT, value)
    if len(value) > MAX_LIST_ENTRIES:
        raise BadValue(m.P_TOO_MANY_ENTRIES.format(count=len(value), maximum=MAX_LIST_ENTRIES))
    return value


def _choice(*choices: str) -> Callable[[Any, Context], Any]:
    def check(value: Any, ctx: Context) -> Any:
        if not isinstance(value, str):
            raise _expect(m.T_TEXT, value)
        if value not in choices:
            raise BadValue(m.P_NOT_ONE_OF.format(value=shown(value), choices=", ".join(choices)))
        return value

    return Checker(check, Shape("choice", choices=choices))


def _flag(value: Any, ctx: Context) -> Any:
    """true/false (the registry's REG_DWORD 0/1 too)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _expect(m.T_BOOLEAN, value)


def _int_range(minimum: int, maximum: int) -> Callable[[Any, Context], Any]:
    def check(value: Any, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _expect(m.T_INTEGER, value)
        if not minimum <= value <= maximum:
            raise BadValue(m.P_OUT_OF_RANGE.format(value=value, minimum=minimum, maximum=maximum))
        return value

    return Checker(check, Shape("integer", minimum=minimum, maximum=maximum))


def _patterns(*, allow_ip: bool, allow_any_tld: bool, domain: bool) -> Callable[[Any, Context], Any]:
    def check(value: Any, ctx: Context) -> Any:
        out: list[str] = []
        for item in _text_list(value):
            try:
                pattern = parse_pattern(item, allow_ip=allow_ip, allow_any_tld=allow_any_tld)
            except InvalidHost as exc:
                msg = m.P_BAD_DOMAIN if domain else m.P_BAD_HOST
                raise BadValue(msg.format(value=shown(item), reason=shown(str(exc)))) from None
            out.append(pattern.text)
        return _unique(out)

    return check


def _schema_version(value: Any, ctx: Context) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect(m.T_INTEGER, value)
    if value != SCHEMA_VERSION:
        raise BadValue(m.P_SCHEMA_NEWER.format(found=value, supported=SCHEMA_VERSION))
    return value


def _description(value: Any, ctx: Context) -> Any:
    if not isinstance(value, str):
        raise _expect(m.T_TEXT, value)
    return value


def _outside_local(nets: Sequence[_N], local: Sequence[_N]) -> int:
    """How many addresses the union of ``nets`` holds outside ``local`` (_LOCAL_V4, _LOCAL_V6)."""
    union = ipaddress.collapse_addresses([*nets, *local])
    return sum(n.num_addresses for n in union) - sum(n.num_addresses for n in local)


def _cidrs(value: Any, ctx: Context) -> Any:
    out: list[str] = []
    nets_v4: list[ipaddress.IPv4Network] = []
    nets_v6: list[ipaddress.IPv6Network] = []
    for item in _text_list(value):
        text = item.strip()
        try:
            net = ipaddress.ip_network(text, strict=True)
        except ValueError:
            try:
                loose = ipaddress.ip_network(text, strict=False)
            except ValueError:
                raise BadValue(m.P_BAD_CIDR.format(value=shown(item))) from None
            raise BadValue(m.P_CIDR_HOST_BITS.format(value=shown(item), suggestion=loose.compressed)) from None
        minimum = MIN_PREFIX_V4 if net.version == 4 else MIN_PREFIX_V6
        if net.prefixlen < minimum:
            raise BadValue(m.P_CIDR_TOO_BROAD.format(value=shown(item), minimum=minimum))
        if net.version == 6:
            for prefix, kind in TRANSLATION_PREFIXES:
                if net.overlaps(prefix):
                    raise BadValue(m.P_CIDR_TRANSLATION.format(
                        value=shown(item), prefix=prefix.compressed, kind=kind))
        if isinstance(net, ipaddress.IPv4Network):
            nets_v4.append(net)
        else:
            nets_v6.append(net)
        out.append(net.compressed)
    outside = (
        ("IPv4", MIN_PREFIX_V4, 32, _outside_local(nets_v4, _LOCAL_V4) if nets_v4 else 0),
        ("IPv6", MIN_PREFIX_V6, 128, _outside_local(nets_v6, _LOCAL_V6) if nets_v6 else 0),
    )
    for family, minimum, bits, count in outside:
        if count > 2 ** (bits - minimum):
            raise BadValue(m.P_CIDRS_TOO_BROAD_TOGETHER.format(family=family, minimum=minimum))
    return _unique(out)


#: how a network (UNC) or device path starts, with either slash
_NETWORK_OR_DEVICE = frozenset({"\\\\", "//", "\\/", "/\\"})


def _ca_file(value: Any, ctx: Context) -> Any:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _expect(m.T_TEXT_OR_NULL, value)
    if not value.strip():
        raise BadValue(m.P_EMPTY_TEXT)
    if value[:2] in _NETWORK_OR_DEVICE:
        # \\server\share (SMB: hangs the start while offline, and hands the server the
        # user's credentials hash), \\?\UNC\..., \\.\device, //server: never touched
        raise BadValue(m.P_CA_NOT_LOCAL.format(path=shown(value)))
    path = Path(value)
    if not path.is_absolute():
        if ctx.base_dir is None:
            raise BadValue(m.P_CA_RELATIVE.format(path=shown(value)))
        path = ctx.base_dir / path
    try:
        found = path.is_file()
    except OSError:  # e.g. a name too long for the system: is_file() raises instead of saying no
        found = False
    if not found:
        raise BadValue(m.P_CA_MISSING.format(path=shown(str(path))))
    return str(path)


def _pins(value: Any, ctx: Context) -> Any:
    out: list[str] = []
    for item in _text_list(value):
        text = item.strip()
        if text.startswith("sha256/"):
            text = text[len("sha256/") :]
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise BadValue(m.P_BAD_PIN.format(value=shown(item))) from None
        if len(raw) != 32:
            raise BadValue(m.P_BAD_PIN.format(value=shown(item)))
        out.append(base64.b64encode(raw).decode("ascii"))
    return _unique(out)


_EXTENSION = re.compile(r"^\.[a-z0-9][a-z0-9_+-]{0,15}$")


def _extensions(value: Any, ctx: Context) -> Any:
    out: list[str] = []
    for item in _text_list(value):
        text = item.strip().lower()
        if text and not text.startswith("."):
            text = "." + text
        if not _EXTENSION.match(text):
            raise BadValue(m.P_BAD_EXTENSION.format(value=shown(item)))
        out.append(text)
    return _unique(out)


def _provisioning_text(check: Callable[[str], Any], *, nullable: bool) -> Checker:
    """A provisioning text (policy/provisioning.py checks its pattern); null allowed when ``nullable``."""
    from govmail_desktop.policy import provisioning

    def run(value: Any, ctx: Context) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            raise _expect(m.T_TEXT_OR_NULL if nullable else m.T_TEXT, value)
        try:
            return check(value)
        except provisioning.PatternError as exc:
            raise BadValue(exc.message) from None

    return Checker(run, Shape("text", nullable=nullable))


def _provisioning_signature(value: Any, ctx: Context) -> Any:
    from govmail_desktop.policy import provisioning

    try:
        return provisioning.check_signature(_text_list(value))
    except provisioning.PatternError as exc:
        raise BadValue(exc.message) from None


def _provisioning_keys() -> tuple[KeySpec, ...]:
    from govmail_desktop.policy import provisioning as p

    security = ("tls", "starttls")
    return (
        KeySpec(
            "provisioning.address",
            _provisioning_text(p.check_address_pattern, nullable=True),
            "The account the policy sets up: a fixed address or a pattern of the OS login name "
            "(%USERNAME%@agency.go.th); null: no provisioning.",
            "REG_SZ",
        ),
        KeySpec(
            "provisioning.login",
            _provisioning_text(p.check_login_pattern, nullable=False),
            "Login name of the provisioned account: %ADDRESS%, %LOCALPART%, %USERNAME% or a pattern of them.",
            "REG_SZ",
        ),
        KeySpec("provisioning.imap_host", _provisioning_text(p.check_host, nullable=True),
                "Incoming mail server (IMAP) of the provisioned account.", "REG_SZ"),
        KeySpec("provisioning.imap_port", _int_range(1, 65535), "IMAP port of the provisioned account.", "REG_DWORD"),
        KeySpec("provisioning.imap_security", _choice(*security), "IMAP encryption: tls or starttls.", "REG_SZ"),
        KeySpec("provisioning.smtp_host", _provisioning_text(p.check_host, nullable=True),
                "Outgoing mail server (SMTP) of the provisioned account.", "REG_SZ"),
        KeySpec("provisioning.smtp_port", _int_range(1, 65535), "SMTP port of the provisioned account.", "REG_DWORD"),
        KeySpec("provisioning.smtp_security", _choice(*security), "SMTP encryption: tls or starttls.", "REG_SZ"),
        KeySpec(
            "provisioning.display_name",
            _choice(*p.DISPLAY_CHOICES),
            "Sender's name: os (the OS account's full name), local_part (of the address) or ask.",
            "REG_SZ",
        ),
        KeySpec(
            "provisioning.signature",
            Checker(_provisioning_signature, Shape("list")),
            "Lines of the provisioned account's locked signature ({name}, {address}); empty: not locked.",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "provisioning.password",
            _choice(*p.PASSWORD_CHOICES),
            "keyring: the password is remembered; session: asked each session, kept in memory only.",
            "REG_SZ",
        ),
    )


@dataclass(frozen=True)
class KeySpec:
    """One policy key: its checker, and (for docs and ``policy show``) meaning and registry type."""

    path: str
    check: Callable[[Any, Context], Any]
    description: str
    registry_type: str  # "REG_SZ" | "REG_DWORD" | "REG_MULTI_SZ"
    #: MACHINE: set only by machine sources; USER: also by the user's Group Policy
    #: (HKCU\Software\Policies\GovMail), below every machine source (:func:`key_scope`)
    scope: str = MACHINE

    @property
    def shape(self) -> Shape:
        """What the value looks like: the checker's own :class:`Shape`, else from the registry type."""
        if isinstance(self.check, Checker):
            return self.check.shape
        return Shape({"REG_MULTI_SZ": "list", "REG_DWORD": "integer"}.get(self.registry_type, "text"))


_FLAG = Checker(_flag, Shape("boolean"))
_CA_FILE = Checker(_ca_file, Shape("text", nullable=True))
_SCHEMA_VERSION = Checker(_schema_version, Shape("integer", minimum=SCHEMA_VERSION, maximum=SCHEMA_VERSION))


KEYS: dict[str, KeySpec] = {
    k.path: k
    for k in (
        KeySpec("schema_version", _SCHEMA_VERSION, "Version of this schema; must be 1.", "REG_DWORD", scope=USER),
        KeySpec("description", _description, "Free text for the admins (shown by policy show).", "REG_SZ", scope=USER),
        KeySpec(
            "servers.allow",
            _patterns(allow_ip=True, allow_any_tld=False, domain=False),
            "Mail server hosts the app may connect to (exact host, .suffix, or IP literal).",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "servers.deny",
            _patterns(allow_ip=False, allow_any_tld=True, domain=False),
            "Hosts never allowed, even if allowed above (foreign free mail). Wins over servers.allow.",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "addresses.allow_cidrs",
            _cidrs,
            "Address ranges allowed besides addresses registered to Thailand (e.g. the agency LAN).",
            "REG_MULTI_SZ",
        ),
        KeySpec("tls.min_version", _choice("1.2", "1.3"), "Lowest TLS version accepted.", "REG_SZ"),
        KeySpec(
            "tls.ca_file",
            _CA_FILE,
            "PEM file of extra trusted CA certificates (agency CA), added to the system store.",
            "REG_SZ",
        ),
        KeySpec(
            "tls.spki_pins",
            _pins,
            "base64 SHA-256 of server public keys (SPKI); if set, one must match the chain.",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "accounts.allowed_domains",
            _patterns(allow_ip=False, allow_any_tld=False, domain=True),
            "Domains of e-mail addresses that may be set up as accounts.",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "recipients.internal_domains",
            _patterns(allow_ip=False, allow_any_tld=False, domain=True),
            "Recipient domains counted as internal (government).",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "recipients.external",
            _choice("allow", "warn", "block"),
            "What happens when mail goes to a recipient outside the internal domains.",
            "REG_SZ",
        ),
        KeySpec(
            "recipients.free_mail",
            _choice("warn", "block"),
            "What happens when mail goes to a free-mail address (free_mail_domains).",
            "REG_SZ",
        ),
        KeySpec(
            "recipients.free_mail_domains",
            _patterns(allow_ip=False, allow_any_tld=True, domain=True),
            "Domains of foreign free-mail providers.",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "recipients.classified",
            _choice("internal-only", "block"),
            "Classified mail (ลับ/ลับมาก/ลับที่สุด): only to internal recipients, or never by e-mail.",
            "REG_SZ",
        ),
        KeySpec(
            "content.remote_content",
            _choice("block", "ask", "allow"),
            "Default for loading remote content (images) in messages; lock it with locked_settings.",
            "REG_SZ", scope=USER,
        ),
        KeySpec(
            "content.remote_content_allowed",
            _FLAG,
            "false: remote content (images) is never loaded, whatever the user chooses.",
            "REG_DWORD", scope=USER,
        ),
        KeySpec(
            "content.remote_hosts",
            _patterns(allow_ip=True, allow_any_tld=True, domain=False),
            "Hosts remote content may be loaded from (exact host or .suffix); empty: any host.",
            "REG_MULTI_SZ", scope=USER,
        ),
        KeySpec(
            "content.remote_http",
            _FLAG,
            "true: remote content may also be loaded over plain HTTP (otherwise HTTPS only).",
            "REG_DWORD",
        ),
        KeySpec(
            "content.force_plain_text",
            _FLAG,
            "true: messages are always shown as plain text, never in the formatted (HTML) view.",
            "REG_DWORD", scope=USER,
        ),
        KeySpec(
            "attachments.max_size_mb",
            _int_range(1, 2048),
            "Largest total attachment size in MB that may be sent.",
            "REG_DWORD",
        ),
        KeySpec(
            "attachments.blocked_extensions",
            _extensions,
            "File extensions that may not be sent and need confirmation to open.",
            "REG_MULTI_SZ",
        ),
        KeySpec(
            "attachments.open_blocked",
            _choice("confirm", "forbid"),
            "Opening a received attachment of a blocked type: confirm (asks, saying why) or forbid.",
            "REG_SZ",
        ),
        KeySpec(
            "search.default_download_days",
            _int_range(0, MAX_DOWNLOAD_DAYS),
            "Default of the user setting search.download_days: the text of the last N days of every "
            "folder is downloaded for offline search (0: off); lock it with locked_settings.",
            "REG_DWORD", scope=USER,
        ),
        KeySpec(
            "search.max_download_days",
            _int_range(0, MAX_DOWNLOAD_DAYS),
            "The most days the user (or a lock) may choose for search.download_days; 0: never.",
            "REG_DWORD",
        ),
        *_provisioning_keys(),
    )
}

def key_scope(path: str) -> str:
    """USER for a key the user's Group Policy (HKCU) may set, below every machine source: the
    content preferences and a lock of a user preference (core/settings.py SCHEMA); MACHINE for
    every rule (servers, addresses, TLS, accounts, recipients, attachments, provisioning, a lock
    of an account's server) and any key the model does not know."""
    if path.startswith(LOCKED_SETTINGS + "."):
        return USER if path.split(".", 1)[1] in user_settings.SCHEMA else MACHINE
    spec = KEYS.get(path)
    return spec.scope if spec is not None else MACHINE


def section_keys(section: str) -> list[str]:
    return [p.split(".", 1)[1] for p in KEYS if p.startswith(section + ".")]


def lockable_settings() -> dict[str, user_settings.Setting[Any]]:
    """Settings a policy may lock: user preferences (core/settings.py SCHEMA) and
    the account server fields (core/accounts.py ACCOUNT_LOCK_SETTINGS)."""
    specs = dict(user_settings.SCHEMA)
    try:
        from govmail_desktop.core.accounts import ACCOUNT_LOCK_SETTINGS
    except ImportError:  # pragma: no cover - accounts module not present
        ACCOUNT_LOCK_SETTINGS = {}
    specs.update(ACCOUNT_LOCK_SETTINGS)
    return specs


def check_locked_setting(name: str, value: Any) -> Any:
    """Validate one locked_settings entry against the lockable settings' own checks."""
    specs = lockable_settings()
    spec = specs.get(name)
    if spec is None:
        raise BadValue(m.P_UNKNOWN_SETTING.format(known=", ".join(sorted(specs))))
    try:
        return spec.validate(value)
    except ValueError as exc:
        raise BadValue(m.P_BAD_SETTING_VALUE.format(value=shown(repr(value)), reason=shown(str(exc)))) from None


def structure_problem(data: Any) -> tuple[str, Msg] | None:
    """(key path, problem) for nesting deeper than MAX_NESTING or text that is not Unicode.

    Checked before anything else looks at the data: JSON allows an unpaired
    surrogate escape (``"\\ud800"``), which is no character and cannot be
    printed or logged. Iterative, so any depth is safe.
    """
    todo: list[tuple[Any, str, int]] = [(data, "", 1)]
    while todo:
        value, path, depth = todo.pop()
        if depth > MAX_NESTING and isinstance(value, (dict, list)):
            return path, m.P_TOO_DEEP.format(maximum=MAX_NESTING)
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return path, m.P_NOT_UNICODE
        elif isinstance(value, dict):
            for key, item in value.items():
                sub = f"{path}.{key}" if path else str(key)
                todo.append((key, sub, depth))
                todo.append((item, sub, depth + 1))
        elif isinstance(value, list):
            todo.extend((item, path, depth + 1) for item in value)
    return None


def parse_layer(
    data: Any,
    source: str,
    *,
    ctx: Context = Context(),
    require_version: bool = True,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check one source's JSON-shaped data; returns (flat layer, problems).

    Only keys without a problem are put in the layer; callers fail closed when
    there is any problem at all.
    """
    layer: dict[str, Any] = {}
    problems: list[Problem] = []

    def problem(key: str, msg: Msg) -> None:
        problems.append(Problem(source, key, msg))

    found = structure_problem(data)
    if found is not None:
        problem(shown(found[0]), found[1])
        return layer, problems
    if not isinstance(data, dict):
        problem("", m.P_TOP_NOT_OBJECT)
        return layer, problems
    if require_version and "schema_version" not in data:
        problem("schema_version", m.P_SCHEMA_MISSING.format(supported=SCHEMA_VERSION))
    known_top = [*TOP_LEVEL_VALUES, *SECTIONS, LOCKED_SETTINGS]
    for name, value in data.items():
        if name in TOP_LEVEL_VALUES:
            try:
                layer[name] = KEYS[name].check(value, ctx)
            except BadValue as exc:
                problem(name, exc.message)
        elif name in SECTIONS:
            if not isinstance(value, dict):
                problem(name, _expect(m.T_OBJECT, value).message)
                continue
            known = section_keys(name)
            for key, item in value.items():
                path = f"{name}.{key}"
                spec = KEYS.get(path)
                if spec is None:
                    problem(shown(path), m.P_UNKNOWN_KEY.format(known=", ".join(known)))
                    continue
                try:
                    layer[path] = spec.check(item, ctx)
                except BadValue as exc:
                    problem(shown(path), exc.message)
        elif name == LOCKED_SETTINGS:
            if not isinstance(value, dict):
                problem(name, _expect(m.T_OBJECT, value).message)
                continue
            for key, item in value.items():
                path = f"{LOCKED_SETTINGS}.{key}"
                try:
                    layer[path] = check_locked_setting(key, item)
                except BadValue as exc:
                    problem(shown(path), exc.message)
        else:
            problem(shown(str(name)), m.P_UNKNOWN_KEY.format(known=", ".join(known_top)))
    return layer, problems


def validate(data: Any, source: str = "", *, base_dir: Path | None = None) -> list[Problem]:
    """Every problem of a policy document (empty list: valid)."""
    return parse_layer(data, source, ctx=Context(base_dir=base_dir))[1]


def build_policy(flat: Mapping[str, Any]) -> Policy:
    """A Policy from a complete flat layer stack (defaults + sources, all validated)."""
    def patterns(key: str, **kw: bool) -> tuple[HostPattern, ...]:
        return tuple(parse_pattern(t, **kw) for t in flat[key])

    locked = {
        k[len(LOCKED_SETTINGS) + 1 :]: v for k, v in flat.items() if k.startswith(LOCKED_SETTINGS + ".")
    }
    ca = flat["tls.ca_file"]
    return Policy(
        servers=ServersSection(
            allow=patterns("servers.allow", allow_ip=True),
            deny=patterns("servers.deny", allow_any_tld=True),
        ),
        addresses=AddressesSection(
            allow_cidrs=tuple(ipaddress.ip_network(c) for c in flat["addresses.allow_cidrs"])
        ),
        tls=TlsSection(
            min_version=flat["tls.min_version"],
            ca_file=Path(ca) if ca else None,
            spki_pins=tuple(flat["tls.spki_pins"]),
        ),
        accounts=AccountsSection(allowed_domains=patterns("accounts.allowed_domains")),
        recipients=RecipientsSection(
            internal_domains=patterns("recipients.internal_domains"),
            external=flat["recipients.external"],
            free_mail=flat["recipients.free_mail"],
            free_mail_domains=patterns("recipients.free_mail_domains", allow_any_tld=True),
            classified=flat["recipients.classified"],
        ),
        content=ContentSection(
            remote_content=flat["content.remote_content"],
            remote_content_allowed=flat["content.remote_content_allowed"],
            remote_hosts=patterns("content.remote_hosts", allow_ip=True, allow_any_tld=True),
            remote_http=flat["content.remote_http"],
            force_plain_text=flat["content.force_plain_text"],
        ),
        attachments=AttachmentsSection(
            max_size_mb=flat["attachments.max_size_mb"],
            blocked_extensions=tuple(flat["attachments.blocked_extensions"]),
            open_blocked=flat["attachments.open_blocked"],
        ),
        search=SearchSection(
            download_days=flat["search.default_download_days"],
            max_download_days=flat["search.max_download_days"],
        ),
        provisioning=ProvisioningSection(
            address=flat["provisioning.address"],
            login=flat["provisioning.login"],
            imap_host=flat["provisioning.imap_host"],
            imap_port=flat["provisioning.imap_port"],
            imap_security=flat["provisioning.imap_security"],
            smtp_host=flat["provisioning.smtp_host"],
            smtp_port=flat["provisioning.smtp_port"],
            smtp_security=flat["provisioning.smtp_security"],
            display_name=flat["provisioning.display_name"],
            signature=tuple(flat["provisioning.signature"]),
            password=flat["provisioning.password"],
        ),
        locked_settings=MappingProxyType(dict(sorted(locked.items()))),
        description=flat.get("description", ""),
        schema_version=flat.get("schema_version", SCHEMA_VERSION),
    )


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The flat layer as the nested JSON document (``policy show --json``)."""
    out: dict[str, Any] = {}
    for path, value in flat.items():
        if path in TOP_LEVEL_VALUES:
            out[path] = value
            continue
        section, key = path.split(".", 1)
        out.setdefault(section, {})[key] = value
    out.setdefault(LOCKED_SETTINGS, {})
    return out
