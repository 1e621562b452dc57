"""The domestic-server policy for connections (implements api.ServerPolicy).

Host rules: deny wins over allow; a name that is not on the allowlist is
refused. Address rules, for every resolved address: an admin-listed range
allows it; otherwise loopback/private/link-local/multicast/reserved addresses
are refused, and a public address must be registered to Thailand per the
offline RIR data in ``iptocc`` (registration country, not physical location).
Which addresses are public and where they are registered is an injectable
:class:`AddressRegistry`, so that tests can give loopback addresses a country
(127.0.0.2 "abroad") and never need a real foreign address.
"""

from __future__ import annotations

import ipaddress
from typing import Protocol

import iptocc

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.policy import api
from govmail_desktop.policy import messages as m
from govmail_desktop.policy.hosts import InvalidHost, display_host, first_match, normalize_host
from govmail_desktop.policy.model import IPNetwork, Policy

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: RFC 6052 well-known NAT64 prefix: the packet really goes to the embedded IPv4 address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

def effective_address(ip: Address) -> Address:
    """The IPv4 address an IPv4-mapped or NAT64 IPv6 address really reaches."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def _parse_address(ip: str) -> Address:
    text = ip.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return ipaddress.ip_address(text)


def _is_special(ip: Address) -> bool:
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_multicast
        or ip.is_reserved
        or not ip.is_global
    )


class AddressRegistry(Protocol):
    """Where an address belongs: is it a public Internet address, and to which country is it
    registered (ISO 3166 code, or None when the registration data does not cover it)."""

    def is_public(self, ip: Address) -> bool: ...

    def country_of(self, ip: Address) -> str | None: ...


class RirRegistry:
    """The real world: loopback, private, link-local, multicast and reserved addresses are
    never public; a public address's country comes from the offline RIR data (iptocc)."""

    def is_public(self, ip: Address) -> bool:
        return not _is_special(ip)

    def country_of(self, ip: Address) -> str | None:
        return iptocc.country_code(str(ip))


#: The registry a :class:`DomesticServerPolicy` consults when none is given (the real world;
#: tests that run the whole app or ``govmail-admin`` in-process replace it for a test).
DEFAULT_REGISTRY: AddressRegistry = RirRegistry()


class DomesticServerPolicy:
    """api.ServerPolicy built from a valid :class:`Policy`."""

    def __init__(self, policy: Policy, *, registry: AddressRegistry | None = None) -> None:
        self.policy = policy
        self._registry = registry if registry is not None else DEFAULT_REGISTRY

    # -- 1. host -------------------------------------------------------------
    def check_host(self, host: str) -> str:
        """Refuse unless allowed; returns the normalised (A-label) name to resolve."""
        try:
            name = normalize_host(host)
        except InvalidHost as exc:
            raise PolicyRefused(
                m.HOST_INVALID, hint=m.HOST_INVALID_HINT, code=api.HOST_INVALID,
                detail=f"host {host!r}: {exc}", host=str(host),
            ) from None
        shown = display_host(name)
        denied = first_match(self.policy.servers.deny, name)
        if denied is not None:
            raise PolicyRefused(
                m.HOST_DENIED, hint=m.HOST_DENIED_HINT, code=api.HOST_DENIED,
                detail=f"host {name} matches deny rule {denied.text}", host=shown, rule=denied.text,
            )
        if first_match(self.policy.servers.allow, name) is None:
            raise PolicyRefused(
                m.HOST_NOT_ALLOWED, hint=m.HOST_NOT_ALLOWED_HINT, code=api.HOST_NOT_ALLOWED,
                detail=f"host {name} matches no allow rule", host=shown,
            )
        return name

    # -- 3. every resolved address -------------------------------------------
    def check_address(self, host: str, ip: str) -> str:
        """Refuse unless ``ip`` may be used; returns "TH" or the admin range it lies in."""
        try:
            shown = display_host(normalize_host(host))
        except InvalidHost:
            shown = str(host)
        try:
            address = _parse_address(ip)
        except ValueError:
            raise PolicyRefused(
                m.ADDRESS_INVALID, hint=m.ADDRESS_PRIVATE_HINT, code=api.ADDRESS_UNKNOWN,
                detail=f"not an IP address: {ip!r}", host=shown, ip=str(ip),
            ) from None
        real = effective_address(address)
        listed = self._listed_range(address, real)
        if listed is not None:
            return listed.compressed
        shown_ip = real.compressed if real is not address else address.compressed
        if not self._registry.is_public(real):
            raise PolicyRefused(
                m.ADDRESS_PRIVATE, hint=m.ADDRESS_PRIVATE_HINT, code=api.ADDRESS_PRIVATE,
                detail=f"{host} -> {address} is not a public address", host=shown, ip=shown_ip,
            )
        country = self._registry.country_of(real)
        if not country:
            raise PolicyRefused(
                m.ADDRESS_UNKNOWN, hint=m.ADDRESS_NOT_THAILAND_HINT, code=api.ADDRESS_UNKNOWN,
                detail=f"{host} -> {address}: no registration data", host=shown, ip=shown_ip,
            )
        country = country.upper()
        if country != "TH":
            raise PolicyRefused(
                m.ADDRESS_NOT_THAILAND, hint=m.ADDRESS_NOT_THAILAND_HINT,
                code=api.ADDRESS_NOT_THAILAND,
                detail=f"{host} -> {address} registered to {country}",
                host=shown, ip=shown_ip, country=country,
            )
        return "TH"

    def _listed_range(self, address: Address, real: Address) -> IPNetwork | None:
        for net in self.policy.addresses.allow_cidrs:
            for candidate in (address, real):
                if candidate.version == net.version and candidate in net:
                    return net
        return None

    # -- 5. TLS ----------------------------------------------------------------
    def tls_rules(self) -> api.TlsRules:
        tls = self.policy.tls
        return api.TlsRules(min_version=tls.ssl_min_version, ca_file=tls.ca_file, spki_pins=tls.spki_pins)


class FailClosedPolicy:
    """api.ServerPolicy used when the machine policy is broken: refuses everything."""

    def __init__(self, problem: Msg) -> None:
        #: names the file/key and what is wrong (renderable in Thai and English)
        self.problem = problem

    def _refuse(self, what: str) -> PolicyRefused:
        return PolicyRefused(
            m.POLICY_INVALID, hint=m.POLICY_INVALID_HINT, code=api.POLICY_INVALID,
            detail=f"policy invalid ({self.problem.text('en')}); refused {what}", problem=self.problem,
        )

    def check_host(self, host: str) -> str:
        raise self._refuse(repr(host))

    def check_address(self, host: str, ip: str) -> str:
        raise self._refuse(f"{host!r} -> {ip}")

    def tls_rules(self) -> api.TlsRules:
        return api.TlsRules()
