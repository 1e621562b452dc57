"""The policy as frozen dataclasses (built only from validated data: schema.py).

One section per JSON object of the policy file (schema_version 1):
servers, addresses, tls, accounts, recipients, content, attachments,
search, provisioning, locked_settings. The meaning and default of each key is in schema.KEYS and
docs/admin.md.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.policy.hosts import HostPattern

SCHEMA_VERSION = 1

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ServersSection:
    allow: tuple[HostPattern, ...]
    deny: tuple[HostPattern, ...]


@dataclass(frozen=True)
class AddressesSection:
    allow_cidrs: tuple[IPNetwork, ...]


@dataclass(frozen=True)
class TlsSection:
    min_version: str  # "1.2" | "1.3"
    ca_file: Path | None
    spki_pins: tuple[str, ...]

    @property
    def ssl_min_version(self) -> ssl.TLSVersion:
        return ssl.TLSVersion.TLSv1_3 if self.min_version == "1.3" else ssl.TLSVersion.TLSv1_2


@dataclass(frozen=True)
class AccountsSection:
    allowed_domains: tuple[HostPattern, ...]


@dataclass(frozen=True)
class RecipientsSection:
    internal_domains: tuple[HostPattern, ...]
    external: str  # "allow" | "warn" | "block"
    free_mail: str  # "warn" | "block"
    free_mail_domains: tuple[HostPattern, ...]
    classified: str  # "internal-only" | "block"


@dataclass(frozen=True)
class ContentSection:
    remote_content: str  # default of the user setting mail.remote_content
    #: False: remote content is never loaded, whatever the user chooses.
    remote_content_allowed: bool = True
    #: Hosts remote content may come from; empty: any host.
    remote_hosts: tuple[HostPattern, ...] = ()
    #: Plain-HTTP remote content allowed (otherwise HTTPS only).
    remote_http: bool = False
    #: Messages are always shown as plain text (no formatted view).
    force_plain_text: bool = False


@dataclass(frozen=True)
class AttachmentsSection:
    max_size_mb: int
    blocked_extensions: tuple[str, ...]  # lower case, with the dot
    #: Opening a received attachment of a blocked type: "confirm" (asks, saying why) or "forbid".
    open_blocked: str = "confirm"


#: The most days of mail whose text may be downloaded for search (about ten years: no cap).
MAX_DOWNLOAD_DAYS = 3650


@dataclass(frozen=True)
class SearchSection:
    """Downloading message text in the background for offline search (user setting
    ``search.download_days``)."""

    #: Default of the user setting search.download_days (0: off).
    download_days: int = 30
    #: The most days the user (or a lock) may choose; 0: the download is off for everyone.
    max_download_days: int = MAX_DOWNLOAD_DAYS

    def allowed_days(self, wanted: int) -> int:
        """The days in force for a user's (or a lock's) ``wanted``: never above the cap."""
        return max(0, min(int(wanted), self.max_download_days))


@dataclass(frozen=True)
class ProvisioningSection:
    """The account the machine policy sets up for the user (policy/provisioning.py).

    ``address`` None: no provisioning (the setup wizard asks for everything).
    """

    #: a fixed address or a pattern with %USERNAME% (the OS login name)
    address: str | None = None
    #: the login name: a pattern with %ADDRESS%, %LOCALPART%, %USERNAME%
    login: str = "%ADDRESS%"
    imap_host: str | None = None
    imap_port: int = 993
    imap_security: str = "tls"  # "tls" | "starttls"
    smtp_host: str | None = None
    smtp_port: int = 465
    smtp_security: str = "tls"
    #: where the sender's name comes from: "os" (the account's full name), "local_part", "ask"
    display_name: str = "os"
    #: lines of the account's locked signature ({name}, {address}); empty: not locked
    signature: tuple[str, ...] = ()
    #: "keyring" (remembered) or "session" (asked each session, memory only)
    password: str = "keyring"

    @property
    def enabled(self) -> bool:
        return self.address is not None


@dataclass(frozen=True)
class Policy:
    servers: ServersSection
    addresses: AddressesSection
    tls: TlsSection
    accounts: AccountsSection
    recipients: RecipientsSection
    content: ContentSection
    attachments: AttachmentsSection
    search: SearchSection = field(default_factory=SearchSection)
    provisioning: ProvisioningSection = field(default_factory=ProvisioningSection)
    #: user setting key (core/settings.py SCHEMA) -> the value it is locked to
    locked_settings: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    schema_version: int = SCHEMA_VERSION


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy source: where (source, key path, line) and what."""

    source: str
    key: str
    message: Msg
    line: int | None = None
    column: int | None = None

    def as_msg(self) -> Msg:
        """The whole problem, with where it is, as one translatable message."""
        from govmail_desktop.policy import messages

        where = self.source  # a JSON syntax message carries its own line and column
        if self.key:
            return messages.PROBLEM_AT.format(source=where, key=self.key, problem=self.message)
        return messages.PROBLEM_IN.format(source=where, problem=self.message)

    def text(self, lang: str | None = None) -> str:
        return self.as_msg().text(lang)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "key": self.key,
            "line": self.line,
            "column": self.column,
            "message_en": self.message.text("en"),
            "message_th": self.message.text("th"),
        }
