"""The built-in default policy, as the JSON an admin would write.

It lives in code so the app never depends on finding a resource file to be
safe; ``resources/policy/default-policy.json`` is the same data for admins to
read and copy (a test keeps the two identical).
"""

from __future__ import annotations

import copy
from typing import Any

#: Foreign free-mail and consumer mail providers (recipient domains). "name.*"
#: means the provider under any top-level domain (gmx.de, gmx.net, gmx.co.uk).
FREE_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "googlemail.com",
    "outlook.com", "outlook.co.th", "hotmail.*", "live.com", "msn.com",
    "yahoo.*", "ymail.com", "rocketmail.com",
    "icloud.com", "me.com", "mac.com",
    "aol.com",
    "proton.me", "protonmail.com", "protonmail.ch", "pm.me",
    "gmx.*", "yandex.*", "mail.ru",
    "zoho.com", "zohomail.com",
    "tutanota.com", "tuta.io",
    "qq.com", "163.com", "126.com", "naver.com",
)

#: Server hosts: every provider above and everything below it, plus the
#: Microsoft 365 / Google Workspace endpoints (foreign-run, whatever the domain).
_EXTRA_DENIED_SERVERS = ("office365.com", "office.com", "google.com")


def _with_subdomains(domains: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for domain in domains:
        out.append(domain)
        if not domain.endswith(".*"):
            out.append("." + domain)
    return out


DEFAULT_BLOCKED_EXTENSIONS: tuple[str, ...] = (
    ".exe", ".scr", ".bat", ".cmd", ".com", ".pif", ".js", ".jse", ".vbs", ".vbe",
    ".wsf", ".wsh", ".wsc", ".hta", ".msi", ".msp", ".mst", ".lnk", ".ps1", ".psm1",
    ".reg", ".jar", ".cpl", ".dll", ".sys", ".inf", ".scf", ".url", ".application",
    ".gadget", ".msc", ".vb", ".appx", ".appxbundle", ".msix", ".iso", ".img",
    ".vhd", ".vhdx", ".chm", ".xll", ".docm", ".dotm", ".xlsm", ".xltm", ".xlam",
    ".pptm", ".potm", ".ppam", ".ppsm", ".sldm", ".sh", ".desktop", ".appimage",
)

DEFAULT_POLICY_DATA: dict[str, Any] = {
    "schema_version": 1,
    "description": "GovMail Desktop built-in default policy (Cabinet resolution of 18 Dec 2007).",
    "servers": {
        "allow": ["mail.go.th", ".mail.go.th"],
        "deny": _with_subdomains(FREE_MAIL_DOMAINS + _EXTRA_DENIED_SERVERS),
    },
    "addresses": {
        "allow_cidrs": [],
    },
    "tls": {
        "min_version": "1.2",
        "ca_file": None,
        "spki_pins": [],
    },
    "accounts": {
        "allowed_domains": ["go.th", ".go.th"],
    },
    "recipients": {
        "internal_domains": ["go.th", ".go.th"],
        "external": "allow",
        "free_mail": "warn",
        "free_mail_domains": _with_subdomains(FREE_MAIL_DOMAINS),
        "classified": "internal-only",
    },
    "content": {
        "remote_content": "block",
        "remote_content_allowed": True,
        "remote_hosts": [],
        "remote_http": False,
        "force_plain_text": False,
    },
    "attachments": {
        "max_size_mb": 25,
        "blocked_extensions": list(DEFAULT_BLOCKED_EXTENSIONS),
        "open_blocked": "confirm",
    },
    "search": {
        "default_download_days": 30,
        "max_download_days": 3650,
    },
    "provisioning": {
        "address": None,
        "login": "%ADDRESS%",
        "imap_host": None,
        "imap_port": 993,
        "imap_security": "tls",
        "smtp_host": None,
        "smtp_port": 465,
        "smtp_security": "tls",
        "display_name": "os",
        "signature": [],
        "password": "keyring",
    },
    "locked_settings": {},
}


def default_policy_data() -> dict[str, Any]:
    """A fresh copy (callers may modify it)."""
    return copy.deepcopy(DEFAULT_POLICY_DATA)
