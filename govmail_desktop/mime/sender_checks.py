"""Sender warnings that need the agency's policy: who counts as internal (government).

The parser (:mod:`mime.addresses`, :func:`mime.parse.parse_message`) already flags what
it can see alone — a display name holding another address, look-alike letters of another
alphabet in the sender's domain (against the built-in ``go.th``), hidden characters. With
the policy's internal domains (``recipients.internal_domains``) this module adds:

* :data:`~mime.preview_warnings.W_REPLY_TO_OTHER_DOMAIN` — a Reply-To address at a domain
  that is neither a sender's domain nor one above or below it (replies would go elsewhere);
* :data:`~mime.preview_warnings.W_POSING_AS_INTERNAL` — a sender outside the internal
  domains writing as if internal: an agency's name in the display name (กระทรวง, กรม,
  สำนักงาน, จังหวัด, ราชการ, สารบรรณ, "Ministry", ...), an internal address or domain in it
  (``"saraban@moe.go.th" <x@evil.example>``), or a ``saraban`` mailbox outside the government;
* :data:`~mime.preview_warnings.W_FROM_IMITATES_INTERNAL` — a sender domain spelled like an
  internal one (``go-th.com``, ``gov-th.com``, ``mail-go.th.example``, ``mail.go.th.example``,
  ``g0.th``; :func:`mime.links.imitated_domain`);
* :data:`~mime.preview_warnings.W_FROM_LOOKALIKE_INTERNAL` for look-alike letters imitating
  an internal domain the policy adds (the parser knows only the built-in ones); it replaces
  the weaker :data:`~mime.preview_warnings.W_FROM_LOOKALIKE_DOMAIN`.

One call where a preview is prepared: :func:`with_sender_checks`. Pure (no Qt, no network,
no disk); ``govmail-admin inspect`` uses the same functions with the effective policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from govmail_desktop.core.entities import Address
from govmail_desktop.mime.links import (
    GOVERNMENT_DOMAIN,
    domain_names,
    has_lookalike_label,
    imitated_domain,
    named_hosts,
    same_site,
)
from govmail_desktop.mime.preview_warnings import (
    SENDER_WARNINGS,
    W_FROM_IMITATES_INTERNAL,
    W_FROM_LOOKALIKE_DOMAIN,
    W_FROM_LOOKALIKE_INTERNAL,
    W_POSING_AS_INTERNAL,
    W_REPLY_TO_OTHER_DOMAIN,
    WARNING_TEXT,
)
from govmail_desktop.policy.hosts import EXACT, SUFFIX, HostPattern, InvalidHost, normalize_host, parse_pattern

if TYPE_CHECKING:  # annotations only (the preview pane loads this before any message is parsed)
    from govmail_desktop.mime.parse import ParsedMessage

#: Words of a Thai government agency's name (a display name holding one, from outside the
#: internal domains, writes as if internal). "กรม" followed by "ธรรม" is กรมธรรม์ (an
#: insurance policy), not a department.
AGENCY_WORDS_TH = (
    "กระทรวง", "สำนักงาน", "สำนักนายกรัฐมนตรี", "จังหวัด", "ศาลากลาง", "อำเภอ", "เทศบาล",
    "องค์การบริหารส่วน", "ราชการ", "สารบรรณ",
)
_DEPARTMENT_TH = re.compile(r"กรม(?!ธรรม)")
#: The same in English (whole words, any case).
_AGENCY_WORDS_EN = re.compile(r"\b(?:ministry|department of|government|royal thai|provincial office|saraban)\b", re.I)
#: An official-document mailbox: saraban@, saraban.moe@, moe-saraban@ ...
_SARABAN = re.compile(r"saraban", re.I)


class InternalDomains:
    """Which domains are internal: the policy's patterns (``HostPattern``; a plain name means
    itself and every domain below it). ``None``: the built-in policy's."""

    def __init__(self, internal: Iterable[Any] | None = None) -> None:
        patterns: list[HostPattern] = []
        for item in _built_in() if internal is None else internal:
            if isinstance(item, str):
                for name in domain_names([item]):
                    patterns += [HostPattern(EXACT, name), HostPattern(SUFFIX, name)]
            elif isinstance(item, HostPattern):
                patterns.append(item)
        self.patterns = tuple(patterns)
        #: Domain names of the rules (for look-alike checks), the built-in go.th always among them.
        self.names = tuple(dict.fromkeys((*domain_names(self.patterns), GOVERNMENT_DOMAIN)))

    def contains(self, domain: str) -> bool:
        """True when ``domain`` (any form) is internal by the rules."""
        host = _host(domain)
        return bool(host) and any(p.matches(host) for p in self.patterns)


def _built_in() -> list[HostPattern]:
    from govmail_desktop.policy.defaults import DEFAULT_POLICY_DATA

    found = []
    for text in DEFAULT_POLICY_DATA.get("recipients", {}).get("internal_domains", ()):
        try:
            found.append(parse_pattern(str(text)))
        except InvalidHost:
            continue
    return found


def _host(domain: str) -> str:
    try:
        return normalize_host(domain.strip().rstrip("."))
    except InvalidHost:
        return ""


def _domain(address: Address) -> str:
    return _host(address.email.rpartition("@")[2]) if "@" in address.email else ""


def posing_as_internal(address: Address, internal: InternalDomains) -> bool:
    """A sender outside the internal domains whose name (or mailbox) reads as a government one."""
    domain = _domain(address)
    if not domain or internal.contains(domain):
        return False
    name = address.name or ""
    if any(word in name for word in AGENCY_WORDS_TH) or _DEPARTMENT_TH.search(name):
        return True
    if _AGENCY_WORDS_EN.search(name) or _SARABAN.search(address.email.rpartition("@")[0]):
        return True
    return any(internal.contains(normal) for _, normal in named_hosts(name))


def reply_to_elsewhere(senders: Sequence[Address], reply_to: Sequence[Address]) -> bool:
    """A Reply-To address at a domain unrelated to every sender's domain."""
    own = [d for d in (_domain(a) for a in senders) if d]
    if not own:
        return False
    for address in reply_to:
        domain = _domain(address) or address.email.rpartition("@")[2].lower()
        if domain and not any(same_site(domain, d) for d in own):
            return True
    return False


def imitation_code(address: Address, internal: InternalDomains) -> str | None:
    """The warning for a sender domain imitating an internal one, None when it does not."""
    domain = _domain(address)
    if not domain or internal.contains(domain):
        return None
    if imitated_domain(domain, internal.names, government=internal.names) is None:
        return None
    return W_FROM_LOOKALIKE_INTERNAL if has_lookalike_label(domain) else W_FROM_IMITATES_INTERNAL


def sender_warnings(parsed: ParsedMessage, internal_domains: Iterable[Any] | None = None) -> tuple[str, ...]:
    """The warning codes these checks find in ``parsed`` (whether or not it has them already).

    ``internal_domains``: the policy's ``recipients.internal_domains`` (``HostPattern``) or
    plain domain names; None: the built-in policy's (``go.th`` and below).
    """
    internal = InternalDomains(internal_domains)
    found: dict[str, None] = {}
    for address in parsed.from_:
        code = imitation_code(address, internal)
        if code:
            found[code] = None
        if posing_as_internal(address, internal):
            found[W_POSING_AS_INTERNAL] = None
    if reply_to_elsewhere(parsed.from_, parsed.reply_to):
        found[W_REPLY_TO_OTHER_DOMAIN] = None
    return tuple(found)


def with_sender_checks(parsed: ParsedMessage, internal_domains: Iterable[Any] | None = None) -> ParsedMessage:
    """``parsed`` with the sender warnings of :func:`sender_warnings` added (each once; the
    stronger look-alike warning replaces the weaker one), sender warnings first."""
    codes = set(parsed.warnings) | set(sender_warnings(parsed, internal_domains))
    if W_FROM_LOOKALIKE_INTERNAL in codes:
        codes.discard(W_FROM_LOOKALIKE_DOMAIN)
    order = list(WARNING_TEXT)
    rank = {code: i for i, code in enumerate(order)}
    sender = sorted((c for c in codes if c in SENDER_WARNINGS), key=lambda c: rank.get(c, len(order)))
    others = [c for c in parsed.warnings if c in codes and c not in SENDER_WARNINGS]
    warnings = (*sender, *others)
    return parsed if warnings == parsed.warnings else replace(parsed, warnings=warnings)


__all__ = [
    "AGENCY_WORDS_TH",
    "InternalDomains",
    "imitation_code",
    "posing_as_internal",
    "reply_to_elsewhere",
    "sender_warnings",
    "with_sender_checks",
]
