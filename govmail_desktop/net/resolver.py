"""Name resolution as an injectable seam (tests, ``check-server --resolve``).

A resolver maps (host, port) to the IP address strings to try, in order. The
enforcement path calls it exactly once per connection and then connects only
to addresses the policy has checked — never a second lookup.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping, Sequence

from govmail_desktop.net import failures

Resolver = Callable[[str, int], list[str]]


def _dedupe(addresses: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for ip in addresses:
        seen.setdefault(ip, None)
    return list(seen)


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's resolver (``getaddrinfo``), addresses in its preferred order."""
    if is_ip_literal(host):
        return [str(ipaddress.ip_address(host.strip("[]")))]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise failures.network_error(failures.DNS, host, port, f"getaddrinfo: {exc}") from exc
    # An IPv4/IPv6 sockaddr starts with the address text (only other families carry an int there).
    addresses = _dedupe(
        [
            ip
            for family, _, _, _, sockaddr in infos
            if family in (socket.AF_INET, socket.AF_INET6) and isinstance(ip := sockaddr[0], str)
        ]
    )
    if not addresses:
        raise failures.network_error(failures.DNS, host, port, "getaddrinfo returned no address")
    return addresses


class StaticResolver:
    """A fixed table {host: [ip, ...]} (like curl's ``--resolve``).

    Host names match case-insensitively and without a trailing dot; an IP
    literal resolves to itself; any other name fails like a DNS error (it never
    falls back to the network).
    """

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self._table: dict[str, list[str]] = {}
        for host, addresses in table.items():
            for ip in addresses:
                ipaddress.ip_address(ip)  # a typo here is the caller's bug
            self._table.setdefault(self._key(host), []).extend(addresses)
        self._table = {k: _dedupe(v) for k, v in self._table.items()}

    @staticmethod
    def _key(host: str) -> str:
        return host.strip().rstrip(".").lower()

    def __call__(self, host: str, port: int) -> list[str]:
        addresses = self._table.get(self._key(host))
        if addresses:
            return list(addresses)
        if is_ip_literal(host):
            return [str(ipaddress.ip_address(host.strip("[]")))]
        raise failures.network_error(failures.DNS, host, port, "name not in the static resolver table")

    def __repr__(self) -> str:
        return f"StaticResolver({self._table!r})"
