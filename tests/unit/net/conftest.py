"""Fixtures for net/ tests: a real loopback test policy trusting the session's test CA."""

from __future__ import annotations

import pytest

from tests.servers.fake_net import loopback_policy


@pytest.fixture
def policy(certs):
    """Allows localhost/127.0.0.0/8 and trusts the test CA (never a bypass)."""
    return loopback_policy(ca_file=certs.ca_file)
