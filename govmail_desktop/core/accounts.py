"""Mail accounts: the model, the built-in mail.go.th profile, and their storage.

An :class:`Account` says where the user's mail lives and how to sign in; it
never holds a password (that lives only in the OS keyring, ``credentials.py``).
Accounts are kept in the settings file's ``"accounts"`` section as a list of
plain objects, one per account, written by :class:`AccountStore`.

Every ``Account`` that exists is valid: the constructor checks the address
(IDN domains allowed), host names, port ranges and that every connection is
encrypted (implicit TLS or STARTTLS; there is no plaintext option at all).

Whether an address or server *may* be used is the policy's decision
(``policy/``), not this module's: this module only knows what is well formed.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

import idna

from govmail_desktop.core.errors import ConfigError
from govmail_desktop.core.folder_roles import ROLE_KEYS, chosen_roles
from govmail_desktop.core.settings import Setting, Settings
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg

log = logging.getLogger(__name__)

Security = Literal["tls", "starttls"]
SECURITY_CHOICES: tuple[str, ...] = ("tls", "starttls")

SETTINGS_SECTION = "accounts"

PROFILE_MAIL_GO_TH = "mail.go.th"
PROFILE_CUSTOM = "custom"

# Keys the machine policy may lock (``EffectivePolicy.locked_settings()``):
# a locked value replaces what the user or the built-in profile would use, and
# the setup wizard shows it read-only.
LOCK_IMAP_HOST = "account.imap_host"
LOCK_IMAP_PORT = "account.imap_port"
LOCK_IMAP_SECURITY = "account.imap_security"
LOCK_SMTP_HOST = "account.smtp_host"
LOCK_SMTP_PORT = "account.smtp_port"
LOCK_SMTP_SECURITY = "account.smtp_security"
ACCOUNT_LOCK_KEYS: tuple[str, ...] = (
    LOCK_IMAP_HOST,
    LOCK_IMAP_PORT,
    LOCK_IMAP_SECURITY,
    LOCK_SMTP_HOST,
    LOCK_SMTP_PORT,
    LOCK_SMTP_SECURITY,
)
#: The folder the policy sets for a role on every account (``account.folder_trash`` ...),
#: by role key (``core.folder_roles.ROLE_KEYS``); a folder the server does not have is ignored.
LOCK_FOLDER_PREFIX = "account.folder_"
FOLDER_LOCK_KEYS: dict[str, str] = {key: LOCK_FOLDER_PREFIX + key for key in ROLE_KEYS}
#: The special folders' Thai names, for the settings' Thai descriptions (THAI-TERMS.md).
_FOLDER_NAMES_TH = {"sent": "จดหมายที่ส่งแล้ว", "drafts": "ร่างจดหมาย", "trash": "ถังขยะ", "junk": "จดหมายขยะ",
                    "archive": "เก็บถาวร"}
#: Longest folder name accepted in a choice (IMAP names are far shorter in practice).
MAX_FOLDER_NAME = 1000



@dataclass(frozen=True)
class _HostSetting(Setting[str]):
    def validate(self, value: Any) -> Any:
        super().validate(value)
        try:
            return normalize_host(value)
        except InvalidAccount:
            raise ValueError(f"{self.key}: {value!r} is not a valid host name") from None


@dataclass(frozen=True)
class _PortSetting(Setting[int]):
    def validate(self, value: Any) -> Any:
        super().validate(value)
        if not 0 < value < 65536:
            raise ValueError(f"{self.key}: {value!r} is not a port number (1-65535)")
        return value


def check_folder_name(name: Any) -> str:
    """A folder name chosen for a role (as the server spells it), or ValueError."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a folder name is needed")
    if len(name) > MAX_FOLDER_NAME or _CONTROL.search(name):
        raise ValueError("not a folder name (too long, or a control character)")
    return name


@dataclass(frozen=True)
class _FolderSetting(Setting[str]):
    def validate(self, value: Any) -> Any:
        super().validate(value)
        try:
            return check_folder_name(value)
        except ValueError as exc:
            raise ValueError(f"{self.key}: {exc}") from None


def _account_lock_specs() -> dict[str, Setting[Any]]:
    sec = SECURITY_CHOICES
    folders = tuple(
        _FolderSetting(
            lock, str, "",
            f"Folder used as {key} on every account (the server's name, e.g. INBOX.{key.capitalize()}).",
            description_th=f"โฟลเดอร์{_FOLDER_NAMES_TH[key]}ของทุกบัญชี (ชื่อตามที่เซิร์ฟเวอร์ใช้ "
            f"เช่น INBOX.{key.capitalize()})",
        )
        for key, lock in FOLDER_LOCK_KEYS.items()
    )
    specs: tuple[Setting[Any], ...] = (
        *folders,
        _HostSetting(LOCK_IMAP_HOST, str, "", "Incoming mail server (IMAP) host for every account.",
                     description_th="เซิร์ฟเวอร์จดหมายเข้า (IMAP) ของทุกบัญชี"),
        _PortSetting(LOCK_IMAP_PORT, int, 993, "IMAP port for every account.",
                     description_th="พอร์ต IMAP ของทุกบัญชี"),
        Setting(LOCK_IMAP_SECURITY, str, "tls", "IMAP encryption: tls (implicit) or starttls.", sec,
                description_th="การเข้ารหัสของ IMAP: tls (เข้ารหัสตั้งแต่ต้น) หรือ starttls"),
        _HostSetting(LOCK_SMTP_HOST, str, "", "Outgoing mail server (SMTP) host for every account.",
                     description_th="เซิร์ฟเวอร์ส่งจดหมาย (SMTP) ของทุกบัญชี"),
        _PortSetting(LOCK_SMTP_PORT, int, 465, "SMTP port for every account (no probing).",
                     description_th="พอร์ต SMTP ของทุกบัญชี (ไม่ลองพอร์ตอื่น)"),
        Setting(LOCK_SMTP_SECURITY, str, "tls", "SMTP encryption: tls (implicit) or starttls.", sec,
                description_th="การเข้ารหัสของ SMTP: tls (เข้ารหัสตั้งแต่ต้น) หรือ starttls"),
    )
    return {s.key: s for s in specs}


# Keys that must never be written to the settings file, even when found in it.
_SECRET_KEYS = re.compile(r"(?i)pass|secret|token|credential")


class InvalidAccount(ConfigError):
    """An account field is not well formed; ``field`` names the field to fix."""

    code = "account-invalid"
    default_message = QT_TRANSLATE_NOOP("Accounts", "The account settings are not valid.")

    def __init__(self, message: Msg | None = None, *, field: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field = field


# -- field checks ---------------------------------------------------------------

# RFC 5322 dot-atom characters: no quoted local parts (no official address uses them).
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _to_ascii_domain(name: str, *, min_labels: int = 2) -> str:
    """A host or domain name in its ASCII (IDNA, UTS #46) form, or ValueError.

    Mail domains need two labels; a server may be a one-label intranet name.
    """
    name = name.strip().rstrip(".")
    if not name or len(name) > 253:
        raise ValueError("empty or too long")
    try:
        ascii_name = idna.encode(name, uts46=True).decode("ascii").lower()
    except idna.IDNAError as exc:
        raise ValueError(str(exc)) from exc
    labels = ascii_name.split(".")
    if len(labels) < min_labels or any(not 0 < len(label) <= 63 for label in labels):
        raise ValueError("labels must be 1-63 characters (two or more for a mail domain)")
    if labels[-1].isdigit():
        raise ValueError("top-level label is numeric")
    return ascii_name


def normalize_address(address: str) -> str:
    """``name@domain`` with the domain lower-cased and in Unicode (IDN) form.

    Raises :class:`InvalidAccount` (field ``address``) when it is not a plain
    e-mail address.
    """
    text = address.strip()
    bad = InvalidAccount(
        QT_TRANSLATE_NOOP(
            "Accounts", "Please enter a valid e-mail address, for example name@agency.go.th."
        ),
        field="address",
        detail="malformed address",
    )
    if text.count("@") != 1 or _CONTROL.search(text) or " " in text:
        raise bad
    local, domain = text.split("@")
    if not local or len(local) > 64 or not _LOCAL_PART.match(local):
        raise bad
    try:
        unicode_domain = idna.decode(_to_ascii_domain(domain))
    except (ValueError, idna.IDNAError):
        raise bad from None
    return f"{local}@{unicode_domain}"


def address_domain(address: str, *, ascii: bool = True) -> str:
    """The domain of a (normalized) address, ASCII form by default."""
    domain = address.rsplit("@", 1)[-1]
    return _to_ascii_domain(domain) if ascii else domain


def normalize_host(host: str, *, field: str = "host") -> str:
    """A server host name in ASCII form (or an IP literal), or :class:`InvalidAccount`."""
    text = host.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    try:
        return _to_ascii_domain(text, min_labels=1)
    except ValueError:
        raise InvalidAccount(
            QT_TRANSLATE_NOOP("Accounts", "Please enter a valid server name, for example imap.agency.go.th."),
            field=field,
            detail=f"bad host name for {field}",
        ) from None


def check_port(port: Any, *, field: str = "port") -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise InvalidAccount(
            QT_TRANSLATE_NOOP("Accounts", "The port must be a number from 1 to 65535."),
            field=field,
            detail=f"{field}={port!r}",
        )
    return port


def check_security(security: Any, *, field: str = "security") -> Security:
    if security not in SECURITY_CHOICES:
        raise InvalidAccount(
            QT_TRANSLATE_NOOP(
                "Accounts", "Connections must be encrypted: choose TLS or STARTTLS."
            ),
            field=field,
            detail=f"{field}={security!r}",
        )
    return cast(Security, security)


#: Validation of the account keys a policy may lock, in the shape of
#: ``core.settings.SCHEMA`` so the policy schema can check them the same way
#: (``ACCOUNT_LOCK_SETTINGS.get(key)`` next to ``SCHEMA.get(key)``).
ACCOUNT_LOCK_SETTINGS: dict[str, Setting[Any]] = _account_lock_specs()


# -- the model ------------------------------------------------------------------


@dataclass(frozen=True)
class ServerSettings:
    """One server as configured: host name (ASCII form), port, how TLS starts."""

    host: str
    port: int
    security: Security

    def __post_init__(self) -> None:
        object.__setattr__(self, "host", normalize_host(self.host))
        check_port(self.port)
        check_security(self.security)

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "port": self.port, "security": self.security}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ServerSettings:
        return cls(data.get("host", ""), data.get("port"), data.get("security"))  # type: ignore[arg-type]

    def __str__(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


#: mail.go.th's SMTP ports in the order to try them (public configurations show only
#: port 25 with STARTTLS; 465 and 587 are usual for Zimbra).
DEFAULT_SMTP_PROBE_ORDER: tuple[tuple[int, Security], ...] = (
    (465, "tls"),
    (587, "starttls"),
    (25, "starttls"),
)


@dataclass(frozen=True)
class SmtpProbe:
    """SMTP whose port is not known yet: try these in order, keep the first with TLS + AUTH."""

    host: str
    order: tuple[tuple[int, Security], ...] = DEFAULT_SMTP_PROBE_ORDER

    def __post_init__(self) -> None:
        object.__setattr__(self, "host", normalize_host(self.host, field="smtp_host"))
        order = tuple((check_port(p, field="smtp_port"), check_security(s, field="smtp_security"))
                      for p, s in self.order)
        if not order:
            raise InvalidAccount(field="smtp_port", detail="empty SMTP probe order")
        object.__setattr__(self, "order", order)

    def candidates(self) -> tuple[ServerSettings, ...]:
        return tuple(ServerSettings(self.host, port, sec) for port, sec in self.order)

    def to_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "probe": [{"port": p, "security": s} for p, s in self.order],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SmtpProbe:
        probe = data.get("probe")
        if not isinstance(probe, list):
            raise InvalidAccount(field="smtp_port", detail="probe is not a list")
        order = tuple(
            (item.get("port"), item.get("security")) if isinstance(item, Mapping) else (None, None)
            for item in probe
        )
        return cls(data.get("host", ""), order)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Account:
    """One mail account. Never holds a password.

    ``login`` defaults to the full address (mail.go.th signs in with it).
    ``smtp`` is a :class:`SmtpProbe` until the connection test has found a
    working port; the setup wizard saves the concrete :class:`ServerSettings`.
    ``ask_password_each_session``: the password is kept in memory only
    (``credentials.SessionPasswords``), for machines without a usable keyring.
    """

    id: str
    address: str
    display_name: str
    login: str
    imap: ServerSettings
    smtp: ServerSettings | SmtpProbe
    ask_password_each_session: bool = False
    profile: str = PROFILE_CUSTOM
    #: The user's own choice of special folders: ((role key, folder name), ...), e.g.
    #: (("trash", "INBOX.Trash"),); roles not listed are detected (core/folder_roles.py).
    special_folders: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", self.id):
            raise InvalidAccount(field="id", detail=f"bad account id {self.id!r}")
        object.__setattr__(self, "address", normalize_address(self.address))
        display = (self.display_name or "").strip()
        if _CONTROL.search(display):
            # A line break here would become a header injection when sending.
            raise InvalidAccount(
                QT_TRANSLATE_NOOP("Accounts", "The name must not contain line breaks or control characters."),
                field="display_name",
                detail="control character in display name",
            )
        object.__setattr__(self, "display_name", display)
        login = (self.login or "").strip() or self.address
        if _CONTROL.search(login) or " " in login:
            raise InvalidAccount(
                QT_TRANSLATE_NOOP("Accounts", "The login name must not contain spaces or control characters."),
                field="login",
                detail="bad login name",
            )
        object.__setattr__(self, "login", login)
        if not isinstance(self.imap, ServerSettings):
            raise InvalidAccount(field="imap_host", detail="imap is not ServerSettings")
        if not isinstance(self.smtp, (ServerSettings, SmtpProbe)):
            raise InvalidAccount(field="smtp_host", detail="smtp is not ServerSettings/SmtpProbe")
        if not isinstance(self.ask_password_each_session, bool):
            raise InvalidAccount(field="ask_password_each_session", detail="not a bool")
        if self.profile not in (PROFILE_MAIL_GO_TH, PROFILE_CUSTOM):
            raise InvalidAccount(field="profile", detail=f"unknown profile {self.profile!r}")
        object.__setattr__(self, "special_folders", _check_special_folders(self.special_folders))

    @property
    def name_for_display(self) -> str:
        return self.display_name or self.address

    @property
    def smtp_probing(self) -> bool:
        return isinstance(self.smtp, SmtpProbe)

    def smtp_candidates(self) -> tuple[ServerSettings, ...]:
        """The SMTP servers to try, in order (one when the port is known)."""
        if isinstance(self.smtp, SmtpProbe):
            return self.smtp.candidates()
        return (self.smtp,)

    def with_smtp(self, smtp: ServerSettings) -> Account:
        """This account with the SMTP server the connection test found working."""
        return replace(self, smtp=smtp)

    @property
    def special_folder_choice(self) -> dict[str, str]:
        """{role key: folder name} the user picked (see :attr:`special_folders`)."""
        return dict(self.special_folders)

    def with_special_folders(self, choice: Mapping[str, str]) -> Account:
        """This account with the user's choice of special folders (empty names: detect)."""
        return replace(self, special_folders=tuple(sorted((k, v) for k, v in choice.items() if v)))

    def to_dict(self) -> dict[str, Any]:
        # Explicit keys only: nothing that is not listed here reaches the file.
        return {
            "id": self.id,
            "address": self.address,
            "display_name": self.display_name,
            "login": self.login,
            "imap": self.imap.to_dict(),
            "smtp": self.smtp.to_dict(),
            "ask_password_each_session": self.ask_password_each_session,
            "profile": self.profile,
            "special_folders": dict(self.special_folders),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Account:
        if not isinstance(data, Mapping):
            raise InvalidAccount(detail="account entry is not an object")
        imap = data.get("imap")
        smtp = data.get("smtp")
        if not isinstance(imap, Mapping):
            raise InvalidAccount(field="imap_host", detail="imap missing")
        if not isinstance(smtp, Mapping):
            raise InvalidAccount(field="smtp_host", detail="smtp missing")
        smtp_value: ServerSettings | SmtpProbe = (
            SmtpProbe.from_dict(smtp) if "probe" in smtp else ServerSettings.from_dict(smtp)
        )
        return cls(
            id=data.get("id", ""),
            address=str(data.get("address", "")),
            display_name=str(data.get("display_name", "")),
            login=str(data.get("login", "")),
            imap=ServerSettings.from_dict(imap),
            smtp=smtp_value,
            ask_password_each_session=data.get("ask_password_each_session", False),
            profile=data.get("profile", PROFILE_CUSTOM),
            special_folders=_special_folders_from(data.get("special_folders", {})),
        )


def _special_folders_from(raw: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, Mapping):
        raise InvalidAccount(field="special_folders", detail="special_folders is not an object")
    return tuple((str(k), v) for k, v in raw.items() if v != "")


def _check_special_folders(value: Any) -> tuple[tuple[str, str], ...]:
    try:
        pairs = tuple(sorted((str(k), check_folder_name(v)) for k, v in value))
    except (TypeError, ValueError) as exc:
        raise InvalidAccount(field="special_folders", detail=f"special folders: {exc}") from None
    unknown = sorted(k for k, _ in pairs if k not in ROLE_KEYS)
    if unknown or len({k for k, _ in pairs}) != len(pairs):
        raise InvalidAccount(field="special_folders", detail=f"special folders: bad roles {unknown}")
    return pairs


def locked_folder_choice(locked: Mapping[str, Any]) -> dict[str, str]:
    """{role key: folder name} the policy sets for every account (``account.folder_trash`` ...)."""
    return {key: locked[lock] for key, lock in FOLDER_LOCK_KEYS.items() if isinstance(locked.get(lock), str)}


def special_folder_roles(account: Any, locked: Mapping[str, Any] | None = None) -> dict[str, str]:
    """{role: folder name} in force for ``account``: the policy's choice over the user's.

    What ``sync/folder_list.py`` gets as ``chosen`` (see core/folder_roles.py for
    how it ranks against the server's attributes and the folder names).
    """
    user = dict(getattr(account, "special_folders", ()) or ())
    return chosen_roles(user, locked_folder_choice(locked or {}))


def new_account_id() -> str:
    return uuid.uuid4().hex


# -- the built-in mail.go.th profile -------------------------------------------


@dataclass(frozen=True)
class ServiceProfile:
    """A known mail service: where its servers are, so the user types only an address."""

    id: str
    name: Msg
    imap: ServerSettings
    smtp: SmtpProbe


MAIL_GO_TH = ServiceProfile(
    id=PROFILE_MAIL_GO_TH,
    name=QT_TRANSLATE_NOOP("Accounts", "MailGoThai government e-mail (mail.go.th)"),
    imap=ServerSettings("imap.mail.go.th", 993, "tls"),
    smtp=SmtpProbe("smtp.mail.go.th"),
)


def _has_suffix(domain: str, suffix: str) -> bool:
    return domain.endswith("." + suffix)


def recognise_profile(
    address: str, *, domain_allowed: Callable[[str], bool] | None = None
) -> ServiceProfile | None:
    """The built-in profile serving this address, or ``None`` (own servers).

    ``name@mail.go.th``, ``name@agency.mail.go.th`` and ``name@agency.go.th``
    are mail.go.th. ``*.or.th`` agencies are too, but only when
    ``domain_allowed(address)`` (the policy) says so: ``.or.th`` alone proves
    nothing. The address must already be normalized.
    """
    try:
        domain = address_domain(address)
    except ValueError:
        return None
    if domain == "mail.go.th" or _has_suffix(domain, "mail.go.th") or _has_suffix(domain, "go.th"):
        return MAIL_GO_TH
    if _has_suffix(domain, "or.th") and domain_allowed is not None and domain_allowed(address):
        return MAIL_GO_TH
    return None


@dataclass(frozen=True)
class ServerFields:
    """What the user typed (or the policy locked) for the servers, before validation."""

    imap_host: str = ""
    imap_port: int | None = None
    imap_security: str = "tls"
    smtp_host: str = ""
    #: ``None`` = probe the usual ports (465 → 587 → 25).
    smtp_port: int | None = None
    smtp_security: str = "tls"


def locked_account_fields(locked: Mapping[str, Any]) -> dict[str, Any]:
    """The account fields the policy locks, by key (see ``ACCOUNT_LOCK_KEYS``)."""
    return {key: locked[key] for key in ACCOUNT_LOCK_KEYS if key in locked}


def build_account(
    address: str,
    *,
    display_name: str = "",
    login: str = "",
    servers: ServerFields | None = None,
    locked: Mapping[str, Any] | None = None,
    domain_allowed: Callable[[str], bool] | None = None,
    ask_password_each_session: bool = False,
    account_id: str | None = None,
) -> Account:
    """Make an account from what the setup wizard collected.

    With no ``servers``, the built-in profile for the address is used; policy
    ``locked`` values (``account.imap_host`` ...) override both. Raises
    :class:`InvalidAccount` naming the field to fix.
    """
    address = normalize_address(address)
    lock = locked_account_fields(locked or {})
    profile = None if servers is not None else recognise_profile(address, domain_allowed=domain_allowed)
    if profile is None and servers is None and not lock.get(LOCK_IMAP_HOST):
        raise InvalidAccount(
            QT_TRANSLATE_NOOP(
                "Accounts",
                "This address is not on the mail.go.th service. Please enter your agency's "
                "mail servers under \"Own mail servers\".",
            ),
            field="imap_host",
            detail="no profile for the address",
        )
    if profile is not None:
        fields = ServerFields(
            imap_host=profile.imap.host,
            imap_port=profile.imap.port,
            imap_security=profile.imap.security,
            smtp_host=profile.smtp.host,
            smtp_port=None,
        )
    else:
        fields = servers or ServerFields()
    fields = ServerFields(
        imap_host=lock.get(LOCK_IMAP_HOST, fields.imap_host),
        imap_port=lock.get(LOCK_IMAP_PORT, fields.imap_port),
        imap_security=lock.get(LOCK_IMAP_SECURITY, fields.imap_security),
        smtp_host=lock.get(LOCK_SMTP_HOST, fields.smtp_host),
        smtp_port=lock.get(LOCK_SMTP_PORT, fields.smtp_port),
        smtp_security=lock.get(LOCK_SMTP_SECURITY, fields.smtp_security),
    )
    imap_port = fields.imap_port if fields.imap_port is not None else (
        993 if fields.imap_security == "tls" else 143
    )
    imap = ServerSettings(
        normalize_host(fields.imap_host, field="imap_host"),
        check_port(imap_port, field="imap_port"),
        check_security(fields.imap_security, field="imap_security"),
    )
    smtp_host = normalize_host(fields.smtp_host, field="smtp_host")
    smtp: ServerSettings | SmtpProbe
    if fields.smtp_port is None:
        smtp = SmtpProbe(smtp_host)
    else:
        smtp = ServerSettings(
            smtp_host,
            check_port(fields.smtp_port, field="smtp_port"),
            check_security(fields.smtp_security, field="smtp_security"),
        )
    uses_profile = profile is not None and not lock
    return Account(
        id=account_id or new_account_id(),
        address=address,
        display_name=display_name,
        login=login or address,
        imap=imap,
        smtp=smtp,
        ask_password_each_session=ask_password_each_session,
        profile=PROFILE_MAIL_GO_TH if uses_profile else PROFILE_CUSTOM,
    )


DUPLICATE_ADDRESS = QT_TRANSLATE_NOOP("Accounts", "An account with this e-mail address already exists.")


# -- storage ----------------------------------------------------------------------


class AccountStore:
    """The accounts in the settings file's ``"accounts"`` section.

    Changes go into the :class:`Settings` object at once and reach the disk on
    :meth:`save`. Entries that fail validation are kept as they were (minus any
    key that looks like a secret) and listed in ``problems``, so a typo by IT
    staff does not delete an account.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems: list[str] = []
        self._accounts: list[Account] = []
        self._broken: list[dict[str, Any]] = []
        self._load()

    def _load(self) -> None:
        raw = self.settings.section(SETTINGS_SECTION)
        if raw is None:
            return
        if not isinstance(raw, list):
            self.problems.append("accounts: not a list; ignored")
            return
        for index, entry in enumerate(raw):
            try:
                account = Account.from_dict(entry)
            except InvalidAccount as exc:
                self.problems.append(f"accounts[{index}]: {exc.detail or exc}")
                if isinstance(entry, Mapping):
                    self._broken.append(_without_secrets(entry))
                continue
            if self._find_address(account.address) is not None or self.get(account.id) is not None:
                self.problems.append(f"accounts[{index}]: duplicate of {account.address}; ignored")
                continue
            self._accounts.append(account)
        if self.problems:
            log.warning("Account settings problems: %s", "; ".join(self.problems))

    def _find_address(self, address: str) -> Account | None:
        key = address.casefold()
        return next((a for a in self._accounts if a.address.casefold() == key), None)

    def _write(self) -> None:
        self.settings.set_section(
            SETTINGS_SECTION, [a.to_dict() for a in self._accounts] + list(self._broken)
        )

    def list(self) -> list[Account]:
        return list(self._accounts)

    def __len__(self) -> int:
        return len(self._accounts)

    def get(self, account_id: str) -> Account | None:
        return next((a for a in self._accounts if a.id == account_id), None)

    def find(self, address: str) -> Account | None:
        try:
            return self._find_address(normalize_address(address))
        except InvalidAccount:
            return None

    def add(self, account: Account) -> None:
        if self._find_address(account.address) is not None:
            raise InvalidAccount(
                DUPLICATE_ADDRESS,
                field="address",
                detail="duplicate address",
            )
        if self.get(account.id) is not None:
            raise InvalidAccount(field="id", detail="duplicate account id")
        self._accounts.append(account)
        self._write()

    def update(self, account: Account) -> None:
        for index, existing in enumerate(self._accounts):
            if existing.id == account.id:
                other = self._find_address(account.address)
                if other is not None and other.id != account.id:
                    raise InvalidAccount(
                        DUPLICATE_ADDRESS,
                        field="address",
                        detail="duplicate address",
                    )
                self._accounts[index] = account
                self._write()
                return
        raise KeyError(account.id)

    def remove(self, account_id: str) -> Account:
        """Forget an account (the caller also deletes its keyring password)."""
        for index, existing in enumerate(self._accounts):
            if existing.id == account_id:
                del self._accounts[index]
                self._write()
                return existing
        raise KeyError(account_id)

    def save(self) -> None:
        self._write()
        self.settings.save()


def _without_secrets(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: (_without_secrets(v) if isinstance(v, Mapping) else v)
        for k, v in entry.items()
        if not _SECRET_KEYS.search(str(k))
    }


def needs_setup(settings: Settings) -> bool:
    """True when there is no usable account yet: the app starts the setup wizard."""
    return len(AccountStore(settings)) == 0


def accounts_of(settings: Settings) -> list[Account]:
    return AccountStore(settings).list()


__all__ = (
    "Account",
    "AccountStore",
    "InvalidAccount",
    "MAIL_GO_TH",
    "ServerFields",
    "ServerSettings",
    "ServiceProfile",
    "SmtpProbe",
    "build_account",
    "locked_folder_choice",
    "needs_setup",
    "normalize_address",
    "normalize_host",
    "recognise_profile",
    "special_folder_roles",
)
