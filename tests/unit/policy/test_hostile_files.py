"""Hostile policy files: nesting, size, numbers, text, address ranges, many entries.

The guard at the end feeds every file of tests/hostile_policies.py through every
loader entry point: each must give a result — valid, or invalid with a specific
reason — and never raise, nor reach the loader's last-resort safety net.
"""

from __future__ import annotations

import ipaddress
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy import api, hosts, schema, sources
from govmail_desktop.policy import messages as m
from govmail_desktop.policy.model import Problem
from govmail_desktop.policy.sources import (
    EffectivePolicy,
    load_machine_policy,
    load_policy_file,
    policy_from_dict,
    validate_file,
)
from tests.hostile_policies import HOSTILE_FILES, hostile_corpus


def write(tmp_path: Path, data: bytes | str | dict, name: str = "policy.json") -> Path:
    path = tmp_path / name
    if isinstance(data, dict):
        data = json.dumps(data)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def problems_en(eff) -> list[str]:
    return [p.text("en") for p in eff.problems]


def assert_fails_closed(eff, *needles: str) -> None:
    assert eff.error is not None and eff.error.code == api.POLICY_INVALID
    text = " | ".join(problems_en(eff))
    for needle in needles:
        assert needle in text, text
    with pytest.raises(PolicyRefused) as info:
        eff.server_policy().check_host("imap.mail.go.th")
    assert info.value.code == api.POLICY_INVALID


# -- nesting and size ---------------------------------------------------------------

def test_deeply_nested_policy_file_fails_closed_instead_of_raising(tmp_path):
    path = write(tmp_path, "[" * 1000 + "]" * 1000)
    assert_fails_closed(load_policy_file(path), "nested more than 32 levels")
    assert any("nested more than" in p.text("en") for p in validate_file(path))
    eff = load_machine_policy(platform="linux", linux_path=path, check_permissions=False)
    assert_fails_closed(eff, str(path), "nested more than")


def test_nesting_inside_a_value_is_refused_with_thai_text(tmp_path):
    path = write(tmp_path, '{"schema_version": 1, "description": ' + "[" * 40 + "]" * 40 + "}")
    eff = load_policy_file(path)
    assert_fails_closed(eff, "nested more than 32 levels")
    assert "32" in eff.problems[0].text("th") and eff.problems[0].text("th") != eff.problems[0].text("en")


def test_nesting_up_to_the_limit_is_only_judged_by_the_schema(tmp_path):
    depth = schema.MAX_NESTING - 1  # the top-level object is one level
    path = write(tmp_path, '{"schema_version": 1, "description": ' + "[" * depth + "]" * depth + "}")
    assert problems_en(load_policy_file(path)) == [f"{path}, key description: expected text, found a list"]


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    path = write(tmp_path, {"schema_version": 1, "description": "[{" * 5000 + '\\"]'})
    assert load_policy_file(path).ok


def test_policy_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, {"schema_version": 1, "description": "x" * (2 * 1024 * 1024)})
    assert_fails_closed(load_policy_file(path), "larger than 1024 KiB")


def test_a_policy_file_just_under_the_size_limit_loads(tmp_path):
    doc = {"schema_version": 1, "description": ""}
    doc["description"] = "x" * (sources.MAX_POLICY_BYTES - len(json.dumps(doc)))
    path = write(tmp_path, doc)
    assert path.stat().st_size == sources.MAX_POLICY_BYTES
    assert load_policy_file(path).ok


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_named_pipe_as_policy_file_fails_closed_without_waiting(tmp_path):
    fifo = tmp_path / "policy.json"
    os.mkfifo(fifo)
    result: list = []
    loader = threading.Thread(target=lambda: result.append(load_policy_file(fifo)), daemon=True)
    loader.start()
    loader.join(10)
    if loader.is_alive():  # unblock the thread: a writer opens and closes the pipe
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        loader.join(5)
        pytest.fail("the loader waited for a writer on a named pipe")
    assert_fails_closed(result[0], "not a regular file")


def test_number_with_thousands_of_digits_fails_closed(tmp_path):
    path = write(tmp_path, '{"schema_version": 1, "attachments": {"max_size_mb": ' + "9" * 5000 + "}}")
    assert_fails_closed(load_policy_file(path), "more than 20 digits")


def test_lone_surrogate_escape_fails_closed(tmp_path):
    """JSON allows "\\ud800", but it is no character: printing it crashed govmail-admin."""
    path = write(tmp_path, '{"schema_version": 1, "description": "ok \\ud800"}')
    assert_fails_closed(load_policy_file(path), "description", "not valid Unicode")
    path = write(tmp_path, '{"schema_version": 1, "\\udfff": 1}')
    eff = load_policy_file(path)
    assert_fails_closed(eff, "not valid Unicode")
    "".join(problems_en(eff)).encode("utf-8")  # the report itself can be printed
    # a real pair is one character (an emoji) and fine
    assert load_policy_file(write(tmp_path, '{"schema_version": 1, "description": "\\ud83d\\ude00"}')).ok


def test_unusable_ca_file_path_fails_closed(tmp_path):
    """Path.is_file() raises for a name too long for the system (it crashed the loader)."""
    path = write(tmp_path, {"schema_version": 1, "tls": {"ca_file": "/" + "a" * 100_000}})
    assert_fails_closed(load_policy_file(path), "tls.ca_file")


def test_long_values_are_shortened_in_problems(tmp_path):
    eff = load_policy_file(write(tmp_path, {"schema_version": 1, "servers": {"allow": ["a" * 500_000]},
                                             "k" * 100_000: 1}))
    assert_fails_closed(eff, "servers.allow", "unknown key")
    assert all(len(text) < 2000 for text in problems_en(eff))


def test_policy_from_dict_refuses_deep_nesting_too():
    deep: list = []
    for _ in range(2000):
        deep = [deep]
    eff = policy_from_dict({"description": deep})
    assert eff.error is not None and "nested more than" in problems_en(eff)[0]


# -- address ranges judged together; translation prefixes refused -------------------

def test_many_ranges_covering_all_of_ipv4_are_refused():
    eff = policy_from_dict({"addresses": {"allow_cidrs": [f"{i}.0.0.0/8" for i in range(256)]}})
    assert_fails_closed(eff, "addresses.allow_cidrs", "IPv4 ranges together")


def test_two_public_slash_8_ranges_are_together_too_broad():
    eff = policy_from_dict({"addresses": {"allow_cidrs": ["8.0.0.0/8", "9.0.0.0/8"]}})
    assert_fails_closed(eff, "IPv4 ranges together", "/8")
    eff = policy_from_dict({"addresses": {"allow_cidrs": ["8.0.0.0/9", "8.128.0.0/9", "9.0.0.0/24"]}})
    assert_fails_closed(eff, "IPv4 ranges together")


def test_ipv6_ranges_are_judged_together():
    eff = policy_from_dict({"addresses": {"allow_cidrs": ["2400::/16", "2600::/16"]}})
    assert_fails_closed(eff, "IPv6 ranges together", "/16")


def test_local_and_private_ranges_do_not_count_towards_the_limit():
    """An agency may list its LANs and loopback; only addresses the Thailand check judges count."""
    ranges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
              "100.64.0.0/10", "203.0.0.0/8", "::1/128", "fd00::/16", "fe80::/64", "2001:c00::/32"]
    eff = policy_from_dict({"addresses": {"allow_cidrs": ranges}})
    assert eff.ok, problems_en(eff)
    assert eff.server_policy().check_address("mail.agency.go.th", "10.1.2.3") == "10.0.0.0/8"


def test_overlapping_and_duplicate_ranges_count_once():
    eff = policy_from_dict({"addresses": {"allow_cidrs": ["8.0.0.0/8", "8.8.0.0/16", "8.8.8.0/24", "8.0.0.0/8"]}})
    assert eff.ok, problems_en(eff)
    assert eff.values["addresses.allow_cidrs"] == ["8.0.0.0/8", "8.8.0.0/16", "8.8.8.0/24"]


@pytest.mark.parametrize(
    ("cidr", "prefix"),
    [
        ("::ffff:0:0/96", "::ffff:0:0/96"),
        ("::ffff:8.8.8.0/120", "::ffff:0:0/96"),
        ("::ffff:0:0:0/96", "::ffff:0:0:0/96"),
        ("64:ff9b::/96", "64:ff9b::/96"),
        ("64:ff9b::808:800/120", "64:ff9b::/96"),
        ("64:ff9b:1::/48", "64:ff9b:1::/48"),
        ("2002::/16", "2002::/16"),
        ("2002:808:808::/48", "2002::/16"),
        ("2001::/32", "2001::/32"),
        ("2001::/16", "2001::/32"),
    ],
)
def test_ranges_that_lead_to_ipv4_addresses_are_refused(cidr, prefix):
    eff = policy_from_dict({"addresses": {"allow_cidrs": [cidr]}})
    assert_fails_closed(eff, "addresses.allow_cidrs", cidr, prefix, "list the IPv4 range itself")
    assert prefix in eff.problems[0].text("th")


def test_foreign_address_through_a_translation_prefix_is_not_allowed():
    """What the bypass did: 64:ff9b::/96 listed let 64:ff9b::8.8.8.8 (US) through."""
    eff = policy_from_dict({"addresses": {"allow_cidrs": ["64:ff9b::/96"]}})
    with pytest.raises(PolicyRefused) as info:
        eff.server_policy().check_address("mail.go.th", "64:ff9b::808:808")
    assert info.value.code == api.POLICY_INVALID


# -- many entries: linear loading, and a bound ----------------------------------------

@pytest.mark.parametrize("key", [k for k, spec in schema.KEYS.items() if spec.registry_type == "REG_MULTI_SZ"])
def test_lists_over_the_entry_limit_are_refused(tmp_path, key):
    section, name = key.split(".")
    path = write(tmp_path, {"schema_version": 1, section: {name: ["x"] * (schema.MAX_LIST_ENTRIES + 1)}})
    eff = load_policy_file(path)
    assert_fails_closed(eff, key, f"{schema.MAX_LIST_ENTRIES + 1} entries", f"at most {schema.MAX_LIST_ENTRIES}")
    assert len(eff.problems) == 1  # refused as a whole, before looking at each entry


def test_twenty_thousand_patterns_are_refused_with_a_clear_message(tmp_path):
    path = write(tmp_path, HOSTILE_FILES["many-patterns"][0])
    assert_fails_closed(load_policy_file(path), "servers.deny", "20000 entries", "at most 10000")


def test_a_list_at_the_entry_limit_loads_in_order_without_duplicates(tmp_path):
    n = schema.MAX_LIST_ENTRIES
    names = [f"m{i}.agency.go.th" for i in range(n // 2)]
    path = write(tmp_path, {"schema_version": 1, "servers": {"allow": names + [x.upper() for x in names]}})
    eff = load_policy_file(path)
    assert eff.ok, problems_en(eff)[:3]
    assert eff.values["servers.allow"] == names
    assert [p.text for p in eff.policy.servers.allow] == names
    eff.server_policy().check_host(names[-1].upper())


def test_each_pattern_is_normalised_a_fixed_number_of_times(tmp_path, monkeypatch):
    """Linear loading, counted rather than timed: twice the patterns, exactly twice the work."""
    calls = [0]
    real = hosts.normalize_host

    def counting(host):
        calls[0] += 1
        return real(host)

    monkeypatch.setattr(hosts, "normalize_host", counting)

    def work(n: int) -> int:
        calls[0] = 0
        path = write(tmp_path, {"schema_version": 1, "servers": {"deny": [f"h{i}.example" for i in range(n)]}})
        assert load_policy_file(path).ok
        return calls[0]

    base = work(0)
    assert work(4000) - base == 2 * (work(2000) - base) <= 2 * 2 * 2000


def test_duplicate_checks_compare_each_pattern_a_fixed_number_of_times(tmp_path, monkeypatch):
    """The quadratic step was a duplicate check against a list: count the comparisons it makes."""
    operations = [0]

    class CountingText(str):
        def __eq__(self, other):
            operations[0] += 1
            return str.__eq__(self, other)

        def __hash__(self):
            operations[0] += 1
            return str.__hash__(self)

    class Counted:
        def __init__(self, pattern):
            self.text = CountingText(pattern.text)

    real = schema.parse_pattern
    monkeypatch.setattr(schema, "parse_pattern", lambda *a, **kw: Counted(real(*a, **kw)))

    def work(n: int) -> int:
        operations[0] = 0
        layer, problems = schema.parse_layer(
            {"schema_version": 1, "servers": {"deny": [f"h{i}.example" for i in range(n)]}}, "test")
        assert problems == [] and len(layer["servers.deny"]) == n
        return operations[0]

    assert work(4000) <= 2 * work(2000) + 10


# -- the guard: no hostile file makes the loader raise ---------------------------------

ENTRY_POINTS: dict[str, Callable[[Path], EffectivePolicy | list[Problem]]] = {
    "load_policy_file": lambda path: load_policy_file(path),
    "load_policy_file+overrides": lambda path: load_policy_file(path, overrides={"tls": {"min_version": "1.3"}}),
    "machine (linux)": lambda path: load_machine_policy(platform="linux", linux_path=path, check_permissions=False),
    "validate_file": lambda path: validate_file(path),
}


def loader_failures(path: Path) -> list[str]:
    """What went wrong when ``path`` is fed to every loader entry point (empty: all fine).

    Fine means: a result came back, and an invalid result names at least one problem,
    none of them the last-resort "could not be checked" of the safety net (that would
    be an exception a specific check should have turned into a clear reason).
    """
    failures: list[str] = []
    for name, load in ENTRY_POINTS.items():
        try:
            result = load(path)
        except BaseException as exc:  # the guard reports every kind
            failures.append(f"{name}: raised {type(exc).__name__}: {str(exc)[:100]}")
            continue
        problems = result if isinstance(result, list) else list(result.problems)
        if not isinstance(result, list) and (result.error is None) != (not problems):
            failures.append(f"{name}: error and problems disagree")
        for problem in problems:
            if problem.message.source == m.P_UNEXPECTED.source:
                failures.append(f"{name}: reached the safety net: {problem.text('en')[:200]}")
            try:
                problem.text("en").encode("utf-8")
                problem.text("th").encode("utf-8")
                json.dumps(problem.as_dict(), ensure_ascii=False).encode("utf-8")
            except (UnicodeError, ValueError) as exc:
                failures.append(f"{name}: problem cannot be printed: {exc}")
        if not isinstance(result, list):
            try:
                json.dumps(result.as_json(), ensure_ascii=False).encode("utf-8")
            except (UnicodeError, ValueError) as exc:
                failures.append(f"{name}: policy show --json would fail: {exc}")
    return failures


CORPUS = hostile_corpus()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_policy_files_never_make_the_loader_raise(tmp_path, name):
    path = write(tmp_path, CORPUS[name])
    assert loader_failures(path) == []


def test_hostile_files_fail_closed_with_their_reason(tmp_path):
    for name, (data, phrase) in HOSTILE_FILES.items():
        eff = load_policy_file(write(tmp_path, data, f"{name}.json"))
        assert_fails_closed(eff, phrase)


@pytest.mark.parametrize(
    ("target", "exc"),
    [
        ("hosts.normalize_host", RecursionError("planted")),
        ("schema.check_locked_setting", ValueError("planted")),
        ("sources.json.loads", MemoryError("planted")),
        ("sources.parse_layer", KeyError("planted")),
        ("ipaddress.ip_network", OverflowError("planted")),
    ],
)
def test_guard_reports_a_planted_exception(tmp_path, monkeypatch, target, exc):
    """The guard catches the class: a step made to raise is reported, and the app still fails closed."""
    path = write(tmp_path, {"schema_version": 1, "servers": {"allow": ["mail.agency.go.th"]},
                            "addresses": {"allow_cidrs": ["10.0.0.0/8"]},
                            "locked_settings": {"mail.remote_content": "block"}})
    assert loader_failures(path) == []
    module_name, attr = target.rsplit(".", 1)
    owner = {"hosts": hosts, "schema": schema, "sources": sources, "sources.json": json,
             "ipaddress": ipaddress}[module_name]

    real = getattr(owner, attr)

    def boom(*args, **kwargs):  # raises on this file's data only, not on the built-in default
        if any(marker in repr(args) for marker in ("agency", "10.0.0.0", "mail.remote_content", str(path))):
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attr, boom)
    failures = loader_failures(path)
    assert failures and all("planted" in f for f in failures), failures
    # the safety net itself: the loader returns a fail-closed result naming the file
    eff = load_policy_file(path)
    assert_fails_closed(eff, str(path), "could not be checked", type(exc).__name__)
