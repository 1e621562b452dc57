"""Helpers for net/ tests: the real test policy, and recording wrappers around it.

Tests never bypass the policy: :func:`loopback_policy` is the real
``DomesticServerPolicy`` loaded by policy/ from tests/data/policy/test-loopback.json
(allows ``localhost``/``127.0.0.1``/``::1`` and the loopback ranges), with the
test CA (and any stricter rule a test needs) layered on top.
The recording wrappers only *observe* calls to a real policy or resolver.

"An address abroad" is a loopback address too: :class:`PlannedRegistry` makes
``127.0.0.2`` a public address registered to the United States and ``127.0.0.3`` one
registered to Thailand, and :func:`abroad_policy` lists only 127.0.0.1 and ::1 as the
admin's ranges, so the real country rules judge those two. Should the policy regress,
the connection still stays on this machine (and a listener there notices it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from govmail_desktop.net.resolver import Resolver
from govmail_desktop.policy import api
from govmail_desktop.policy.server import Address, AddressRegistry, RirRegistry
from govmail_desktop.policy.sources import load_policy_file

TEST_POLICY_FILE = Path(__file__).resolve().parents[1] / "data" / "policy" / "test-loopback.json"

#: A loopback address the tests' world registers abroad (United States).
ABROAD_IP = "127.0.0.2"
#: A loopback address the tests' world registers in Thailand.
THAI_IP = "127.0.0.3"
#: The admin's ranges for the tests of the country rules: everything else on loopback is judged.
ONLY_LOCALHOST_CIDRS = ("127.0.0.1/32", "::1/128")


class PlannedRegistry:
    """The real registry, except that the planted loopback addresses are public and
    registered to the given countries (None: public but not in the registration data)."""

    def __init__(self, countries: Mapping[str, str | None] | None = None) -> None:
        self.countries = dict({ABROAD_IP: "US", THAI_IP: "TH"} if countries is None else countries)
        self._real = RirRegistry()

    def is_public(self, ip: Address) -> bool:
        return ip.compressed in self.countries or self._real.is_public(ip)

    def country_of(self, ip: Address) -> str | None:
        if ip.compressed in self.countries:
            return self.countries[ip.compressed]
        return self._real.country_of(ip)


def loopback_policy_overrides(
    *,
    ca_file: Path | None = None,
    min_version: str | None = None,
    pins: Sequence[str] | None = None,
    allow_hosts: Sequence[str] | None = None,
    allow_cidrs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Policy JSON layered on tests/data/policy/test-loopback.json (lists replace)."""
    overrides: dict[str, Any] = {}
    tls: dict[str, Any] = {}
    if ca_file is not None:
        tls["ca_file"] = str(ca_file)
    if min_version is not None:
        tls["min_version"] = min_version
    if pins is not None:
        tls["spki_pins"] = list(pins)
    if tls:
        overrides["tls"] = tls
    if allow_hosts is not None:
        overrides["servers"] = {"allow": list(allow_hosts)}
    if allow_cidrs is not None:
        overrides["addresses"] = {"allow_cidrs": list(allow_cidrs)}
    return overrides


def loopback_policy(*, registry: AddressRegistry | None = None, **kwargs: Any) -> api.ServerPolicy:
    """The real policy from the test-loopback file (+ overrides, e.g. the test CA)."""
    effective = load_policy_file(TEST_POLICY_FILE, overrides=loopback_policy_overrides(**kwargs) or None)
    assert effective.error is None, effective.error
    return effective.server_policy(registry)


def abroad_policy(**kwargs: Any) -> api.ServerPolicy:
    """The test policy judging 127.0.0.2 (US) and 127.0.0.3 (TH) by their planted countries."""
    return loopback_policy(registry=PlannedRegistry(), allow_cidrs=list(ONLY_LOCALHOST_CIDRS), **kwargs)


def abroad_policy_file(folder: Path) -> Path:
    """The same as a file, for ``govmail-admin --policy`` (with ``DEFAULT_REGISTRY`` planted)."""
    data = json.loads(TEST_POLICY_FILE.read_text(encoding="utf-8"))
    data["addresses"] = {"allow_cidrs": list(ONLY_LOCALHOST_CIDRS)}
    path = folder / "test-loopback-abroad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


class RecordingPolicy:
    """Passes every call to a real policy and writes it to a shared event log."""

    def __init__(self, inner: api.ServerPolicy, events: list[tuple[str, ...]]) -> None:
        self.inner = inner
        self.events = events

    def check_host(self, host: str):
        self.events.append(("check_host", host))
        return self.inner.check_host(host)

    def check_address(self, host: str, ip: str) -> str:
        self.events.append(("check_address", ip))
        return self.inner.check_address(host, ip)

    def tls_rules(self) -> api.TlsRules:
        self.events.append(("tls_rules",))
        return self.inner.tls_rules()


class RecordingResolver:
    def __init__(self, inner: Resolver, events: list[tuple[str, ...]]) -> None:
        self.inner = inner
        self.events = events

    def __call__(self, host: str, port: int) -> list[str]:
        self.events.append(("resolve", host))
        return self.inner(host, port)
