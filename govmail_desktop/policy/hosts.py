"""Host names and host patterns: one normal form, so look-alikes cannot match.

Every name is normalised the same way before it is compared — the server name
the user typed, the domain of an e-mail address, and every pattern in the
policy:

* IDNA 2008 with UTS #46 mapping (``idna`` package): upper case and
  full-width forms are mapped, Unicode labels become A-labels (``xn--…``);
  so ``mail.gо.th`` with a Cyrillic ``о`` becomes ``mail.xn--g-1tb.th`` and
  can never equal ``mail.go.th``;
* one trailing dot (the DNS root) is removed;
* anything that is not a valid host name (``@``, spaces, ``_``, empty labels,
  labels over 63 octets, bad punycode, an all-numeric last label that is not
  an IPv4 address) is refused — ``HOST_INVALID`` for servers.

Pattern syntax (documented in docs/admin.md):

* ``mail.go.th``          — exactly this host;
* ``.mail.go.th`` or ``*.mail.go.th`` — any host *below* it (``imap.mail.go.th``,
  ``a.b.mail.go.th``), not ``mail.go.th`` itself; at least two labels, because
  a suffix such as ``.th`` proves nothing (``outlook.co.th`` is Microsoft);
* ``gmx.*``               — deny lists only: the label(s) ``gmx`` followed by one
  or two final labels (``gmx.de``, ``gmx.net``, ``gmx.co.uk``) and any host
  below those (``imap.gmx.net``);
* ``127.0.0.1``, ``::1``   — an IP literal, matched exactly (allow list only).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass

import idna

EXACT = "exact"
SUFFIX = "suffix"
ANY_TLD = "any-tld"
IP = "ip"

_LDH = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
#: Already in normal form for IDNA: lower-case ASCII labels of letters, digits and inner
#: hyphens (no "--", so no xn-- label). idna.encode returns these unchanged, at ~20 times
#: the cost; a policy of 10,000 names is checked at every start.
_PLAIN_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


class InvalidHost(ValueError):
    """Not a usable host name (the message is English, for logs and problems)."""


def parse_ip_literal(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address if ``text`` is an IP literal (``[::1]`` brackets allowed), else None."""
    candidate = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        return None


def normalize_host(host: str) -> str:
    """The canonical ASCII form of a host name or IP literal; raises InvalidHost.

    IP literals come back in ipaddress' compressed form (``::1``), names as
    lower-case A-labels without the trailing dot.
    """
    if not isinstance(host, str):
        raise InvalidHost("not text")
    if host != host.strip() or not host:
        raise InvalidHost("empty or surrounded by spaces")
    ip = parse_ip_literal(host)
    if ip is not None:
        if getattr(ip, "scope_id", None):
            raise InvalidHost("scoped IPv6 literals are not accepted as server names")
        return ip.compressed
    if any(ord(ch) < 0x21 or ch in "@/\\:[]%?#" for ch in host):
        raise InvalidHost("contains characters not allowed in a host name")
    if len(host) <= 253 and "--" not in host and _PLAIN_NAME.fullmatch(host):
        ascii_name = host
    else:
        try:
            ascii_name = idna.encode(host, uts46=True, std3_rules=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError) as exc:
            raise InvalidHost(str(exc)) from None
    ascii_name = ascii_name.lower()
    if ascii_name.endswith("."):
        ascii_name = ascii_name[:-1]
    if not ascii_name or len(ascii_name) > 253:
        raise InvalidHost("empty or longer than 253 characters")
    labels = ascii_name.split(".")
    for label in labels:
        if not _LDH.match(label):
            raise InvalidHost(f"bad label {label!r}")
        if label.startswith("xn--"):
            # idna already rejected invalid punycode; be sure it round-trips.
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError) as exc:
                raise InvalidHost(str(exc)) from None
    if labels[-1].isdigit():
        # "2130706433" or "127.1": resolvers may read these as IPv4 addresses.
        raise InvalidHost("all-numeric last label is not a host name")
    return ascii_name


def display_host(host: str) -> str:
    """Unicode form for messages (falls back to the ASCII form)."""
    try:
        return idna.decode(host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return host


@dataclass(frozen=True)
class HostPattern:
    """One compiled allow/deny rule; ``text`` is its normal form as shown to admins."""

    kind: str
    value: str  # exact: the host; suffix: "mail.go.th" (matches *.mail.go.th); any-tld: "gmx"

    @property
    def text(self) -> str:
        if self.kind == SUFFIX:
            return "." + self.value
        if self.kind == ANY_TLD:
            return self.value + ".*"
        return self.value

    def matches(self, host: str) -> bool:
        """``host`` must already be normalised (normalize_host)."""
        if self.kind == IP:
            return host == self.value
        if parse_ip_literal(host) is not None:
            return False  # name rules never match IP literals
        return self.matches_name(host)

    def matches_name(self, host: str) -> bool:
        """A name rule against a host that is not an IP literal."""
        if self.kind == EXACT:
            return host == self.value
        if self.kind == SUFFIX:
            return host.endswith("." + self.value)
        labels = host.split(".")
        prefix = self.value.split(".")
        n = len(prefix)
        for i in range(len(labels) - n):
            if labels[i : i + n] == prefix and 1 <= len(labels) - (i + n) <= 2:
                return True
        return False


def parse_pattern(text: str, *, allow_ip: bool = False, allow_any_tld: bool = False) -> HostPattern:
    """Compile one pattern; raises InvalidHost with an English reason."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidHost("empty pattern")
    text = text.strip()
    if text.endswith(".*"):
        if not allow_any_tld:
            raise InvalidHost("'name.*' patterns are only allowed in deny lists")
        body = normalize_host(text[:-2])
        if parse_ip_literal(body) is not None:
            raise InvalidHost("'name.*' needs a name, not an address")
        return HostPattern(ANY_TLD, body)
    if text.startswith(("*.", ".")):
        body = normalize_host(text[2:] if text.startswith("*.") else text[1:])
        if parse_ip_literal(body) is not None:
            raise InvalidHost("a suffix rule needs a name, not an address")
        if "." not in body:
            raise InvalidHost("a suffix needs at least two labels (a suffix like .th proves nothing)")
        return HostPattern(SUFFIX, body)
    if "*" in text:
        raise InvalidHost("'*' is only allowed as '*.' at the start or '.*' at the end")
    body = normalize_host(text)
    if parse_ip_literal(body) is not None:
        if not allow_ip:
            raise InvalidHost("IP addresses are not allowed here")
        return HostPattern(IP, body)
    return HostPattern(EXACT, body)


def first_match(patterns: tuple[HostPattern, ...], host: str) -> HostPattern | None:
    """The first pattern that :meth:`HostPattern.matches` ``host`` (the host is looked at
    once for being an IP literal, not once per pattern)."""
    is_ip = parse_ip_literal(host) is not None
    for pattern in patterns:
        if pattern.kind == IP:
            if host == pattern.value:
                return pattern
        elif not is_ip and pattern.matches_name(host):
            return pattern
    return None


_ADDR_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_ATEXT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-")


def _international_local(local: str) -> bool:
    """An RFC 6531 dot-atom local part (``สมชาย@…``, sent only where the server offers
    SMTPUTF8): ASCII atext or non-ASCII letters, marks and digits; never spaces, controls,
    zero-width or direction marks (they would hide what the address is)."""
    for atom in local.split("."):
        if not atom:
            return False
        for char in atom:
            if char not in _ATEXT and (char.isascii() or unicodedata.category(char)[0] not in "LMN"):
                return False
    return True


def split_address(address: str) -> tuple[str, str]:
    """(local part, normalised domain) of a plain addr-spec; raises InvalidHost.

    Only ``local@domain`` is accepted (dot-atom local part, no quotes, no
    comments, exactly one ``@``): ``a@go.th@evil.example`` and
    ``"a@go.th"@evil.example`` are refused rather than guessed at.
    """
    if not isinstance(address, str):
        raise InvalidHost("not text")
    address = address.strip()
    if address.count("@") != 1:
        raise InvalidHost("an address needs exactly one '@'")
    local, domain = address.split("@")
    if not local or len(local.encode("utf-8")) > 64:
        raise InvalidHost("bad local part")
    if not _ADDR_LOCAL.match(local) and (local.isascii() or not _international_local(local)):
        raise InvalidHost("bad local part")
    domain = normalize_host(domain)
    if parse_ip_literal(domain) is not None:
        raise InvalidHost("address literals are not accepted")
    return local, domain
