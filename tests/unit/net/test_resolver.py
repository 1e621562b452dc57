"""Resolvers: static table (check-server --resolve, tests) and the system one."""

from __future__ import annotations

import pytest

from govmail_desktop.core.errors import NetworkError
from govmail_desktop.net import failures
from govmail_desktop.net.resolver import StaticResolver, system_resolver


def test_static_resolver_matches_names_case_insensitively_and_keeps_order():
    resolver = StaticResolver({"Mail.Go.TH.": ["10.0.0.2", "10.0.0.1", "10.0.0.2"]})
    assert resolver("mail.go.th", 993) == ["10.0.0.2", "10.0.0.1"]


def test_static_resolver_never_falls_back_to_dns():
    with pytest.raises(NetworkError) as info:
        StaticResolver({})("mail.go.th", 993)
    assert info.value.code == failures.DNS


def test_ip_literals_resolve_to_themselves():
    assert StaticResolver({})("127.0.0.1", 993) == ["127.0.0.1"]
    assert system_resolver("[::1]", 993) == ["::1"]


def test_static_resolver_rejects_a_bad_address():
    with pytest.raises(ValueError):
        StaticResolver({"a": ["not-an-ip"]})


def test_system_resolver_resolves_localhost():
    assert "127.0.0.1" in system_resolver("localhost", 993) or "::1" in system_resolver("localhost", 993)
