"""Machine policy sources: precedence, recorded sources, and failing closed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy import api
from govmail_desktop.policy.registry import REG_DWORD, REG_MULTI_SZ, REG_SZ, InMemoryRegistry
from govmail_desktop.policy.sources import DEFAULT_SOURCE, load_machine_policy, load_policy_file
from tests.suite_markers import running_as_root
from tests.unit.policy.winfakes import FakeWindows


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def etc(tmp_path):
    return tmp_path / "etc" / "govmail" / "policy.json"


def linux(etc_path: Path, **kw):
    return load_machine_policy(platform="linux", linux_path=etc_path, check_permissions=False, **kw)


def assert_fails_closed(eff, *needles: str):
    assert eff.error is not None
    assert eff.error.code == api.POLICY_INVALID
    text = eff.error.user_text("en")
    for needle in needles:
        assert needle in text, text
    sp = eff.server_policy()
    with pytest.raises(PolicyRefused) as info:
        sp.check_host("imap.mail.go.th")
    assert info.value.code == api.POLICY_INVALID
    for needle in needles:
        assert needle in info.value.user_text("en")
    with pytest.raises(PolicyRefused) as info:
        sp.check_address("imap.mail.go.th", "203.150.62.10")
    assert info.value.code == api.POLICY_INVALID
    with pytest.raises(PolicyRefused) as info:
        eff.check_account_address("a@agency.go.th")
    assert info.value.code == api.POLICY_INVALID
    assert eff.error.user_text("th") != text  # translated


def test_no_machine_file_means_defaults(etc):
    eff = linux(etc)
    assert eff.error is None
    assert set(eff.sources.values()) == {DEFAULT_SOURCE}
    eff.server_policy().check_host("imap.mail.go.th")


def test_machine_file_overrides_defaults_per_key(etc):
    write(etc, {"schema_version": 1, "servers": {"allow": ["mail.agency.go.th"]},
                "tls": {"min_version": "1.3"}})
    eff = linux(etc)
    assert eff.error is None
    assert eff.sources["servers.allow"] == str(etc)
    assert eff.sources["tls.min_version"] == str(etc)
    assert eff.sources["servers.deny"] == DEFAULT_SOURCE  # untouched keys keep the default
    sp = eff.server_policy()
    sp.check_host("mail.agency.go.th")
    with pytest.raises(PolicyRefused) as info:
        sp.check_host("imap.mail.go.th")  # the list replaced the default list
    assert info.value.code == api.HOST_NOT_ALLOWED


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ('{"schema_version": 1,\n "servers": {"allow": ["a.go.th",]}}', ["line 2", "column"]),
        ("", ["line 1"]),
        ("[1, 2]", ["JSON object"]),
        ({"schema_version": 1, "servers": {"alow": ["a.go.th"]}}, ["servers.alow", "unknown key"]),
        ({"schema_version": 1, "sever": {}}, ["sever", "unknown key"]),
        ({"schema_version": 1, "servers": {"allow": "mail.go.th"}}, ["servers.allow", "list"]),
        ({"schema_version": 1, "servers": ["mail.go.th"]}, ["servers", "object"]),
        (
            {"schema_version": 1, "addresses": {"allow_cidrs": ["10.0.0.0/33"]}},
            ["addresses.allow_cidrs", "10.0.0.0/33"],
        ),
        ({"schema_version": 1, "addresses": {"allow_cidrs": ["10.0.0.1/8"]}}, ["did you mean 10.0.0.0/8"]),
        ({"schema_version": 1, "addresses": {"allow_cidrs": ["0.0.0.0/0"]}}, ["too broad"]),
        ({"schema_version": 1, "tls": {"min_version": "1.1"}}, ["tls.min_version", "1.1", "1.2, 1.3"]),
        ({"schema_version": 1, "tls": {"min_version": 1.2}}, ["tls.min_version", "text"]),
        ({"schema_version": 1, "tls": {"ca_file": "missing-ca.pem"}}, ["tls.ca_file", "missing-ca.pem"]),
        ({"schema_version": 1, "tls": {"spki_pins": ["abc"]}}, ["tls.spki_pins"]),
        ({"schema_version": 1, "servers": {"allow": [".th"]}}, ["servers.allow", ".th"]),
        ({"schema_version": 2}, ["schema version 2"]),
        ({"servers": {}}, ["schema_version is missing"]),
        ({"schema_version": 1, "attachments": {"max_size_mb": True}}, ["attachments.max_size_mb"]),
        ({"schema_version": 1, "locked_settings": {"mail.remote_contnet": "block"}}, ["mail.remote_contnet"]),
        (
            {"schema_version": 1, "locked_settings": {"mail.remote_content": "always"}},
            ["mail.remote_content", "always"],
        ),
        (
            '{"schema_version": 1, "tls": {"min_version": "1.3", "min_version": "1.2"}}',
            ["min_version", "more than once"],
        ),
        (b"\xff\xfe{}".decode("latin-1"), ["UTF-8"]),
    ],
)
def test_broken_machine_file_fails_closed(etc, content, needles):
    if isinstance(content, str) and content.startswith("\xff"):
        etc.parent.mkdir(parents=True)
        etc.write_bytes(b"\xff\xfe{}")
    else:
        write(etc, content)
    eff = linux(etc)
    assert_fails_closed(eff, str(etc), *needles)


def test_every_problem_is_recorded(etc):
    write(etc, {"schema_version": 1, "servers": {"alow": []}, "tls": {"min_version": "1.0"}})
    eff = linux(etc)
    keys = [p.key for p in eff.problems]
    assert keys == ["servers.alow", "tls.min_version"]
    assert "tls.min_version" in eff.error.detail


def test_unreadable_machine_file_fails_closed(etc):
    etc.mkdir(parents=True)  # a directory where the file should be
    assert_fails_closed(linux(etc), str(etc))


def test_bom_is_accepted(etc):
    etc.parent.mkdir(parents=True)
    etc.write_bytes(b"\xef\xbb\xbf" + json.dumps({"schema_version": 1}).encode())
    assert linux(etc).error is None


@pytest.mark.linux_only  # permission bits
def test_world_writable_machine_file_fails_closed(etc):
    write(etc, {"schema_version": 1})
    os.chmod(etc, 0o666)
    eff = load_machine_policy(platform="linux", linux_path=etc)
    assert_fails_closed(eff, str(etc), "writable only by root")


@pytest.mark.linux_only
@pytest.mark.skipif(not running_as_root(), reason="needs root to own a file as root")
def test_root_owned_machine_file_is_trusted(etc, tmp_path):
    write(etc, {"schema_version": 1})
    os.chmod(etc, 0o644)
    for folder in (etc.parent, etc.parent.parent, etc.parent.parent.parent):
        os.chmod(folder, 0o755)

    def stat_root_above(path):  # the folders above tmp_path (/tmp is 1777) as root's 0755
        real = os.stat(path)
        if str(tmp_path) in os.path.abspath(path):
            return real
        return os.stat_result((real.st_mode & ~0o7777 | 0o755, *real[1:4], 0, 0, *real[6:]))

    assert load_machine_policy(platform="linux", linux_path=etc, stat_path=stat_root_above).error is None
    os.chown(etc, 1000, 1000)
    assert load_machine_policy(platform="linux", linux_path=etc, stat_path=stat_root_above).error is not None


def test_ca_file_relative_to_the_policy_file(etc):
    ca = write(etc.parent / "agency-ca.pem", "-----BEGIN CERTIFICATE-----\n")
    write(etc, {"schema_version": 1, "tls": {"ca_file": "agency-ca.pem"}})
    eff = linux(etc)
    assert eff.error is None
    assert eff.server_policy().tls_rules().ca_file == ca


# -- Windows: file and registry ------------------------------------------------

def win(tmp_path, tree, file_data=None):
    path = tmp_path / "ProgramData" / "GovMail" / "policy.json"
    if file_data is not None:
        write(path, file_data)
    return load_machine_policy(platform="win32", windows_file=path, registry=InMemoryRegistry(tree),
                               windows=FakeWindows()), path


def test_windows_precedence_registry_over_file_over_default(tmp_path):
    eff, path = win(
        tmp_path,
        {"servers": {"Allow": (REG_MULTI_SZ, ["mail.agency.go.th", ""])},
         "attachments": {"max_size_mb": (REG_DWORD, 10)},
         "locked_settings": {"mail.remote_content": (REG_SZ, "block"), "UI.Thai_Digits": (REG_DWORD, 1)}},
        {"schema_version": 1, "servers": {"allow": ["from-file.go.th"]}, "tls": {"min_version": "1.3"}},
    )
    assert eff.error is None, eff.error and eff.error.detail
    assert eff.sources["servers.allow"] == r"HKLM\SOFTWARE\Policies\GovMail\servers\Allow"
    assert eff.sources["tls.min_version"] == str(path)
    assert eff.sources["servers.deny"] == DEFAULT_SOURCE
    assert eff.sources["locked_settings.mail.remote_content"].endswith(r"locked_settings\mail.remote_content")
    assert eff.values["servers.allow"] == ["mail.agency.go.th"]
    assert eff.policy.attachments.max_size_mb == 10
    assert eff.locked_settings() == {"mail.remote_content": "block", "ui.thai_digits": True}
    sp = eff.server_policy()
    sp.check_host("mail.agency.go.th")
    with pytest.raises(PolicyRefused) as info:
        sp.check_host("from-file.go.th")
    assert info.value.code == api.HOST_NOT_ALLOWED


def test_windows_registry_sets_the_search_download_cap_and_lock(tmp_path):
    eff, _ = win(tmp_path, {
        "Search": {"Max_Download_Days": (REG_DWORD, 14), "default_download_days": (REG_DWORD, 7)},
        "locked_settings": {"search.download_days": (REG_DWORD, 0)},
    })
    assert eff.error is None, eff.error and eff.error.detail
    assert (eff.policy.search.download_days, eff.policy.search.max_download_days) == (7, 14)
    assert eff.locked_settings() == {"search.download_days": 0}
    assert eff.sources["search.max_download_days"] == r"HKLM\SOFTWARE\Policies\GovMail\Search\Max_Download_Days"


def test_windows_without_registry_key_uses_the_file(tmp_path):
    eff, path = win(tmp_path, None, {"schema_version": 1, "tls": {"min_version": "1.3"}})
    assert eff.error is None
    assert eff.sources["tls.min_version"] == str(path)


@pytest.mark.parametrize(
    ("tree", "needles"),
    [
        ({"servers": {"allow": (REG_SZ, "mail.go.th")}}, ["servers.allow", "REG_SZ", "REG_MULTI_SZ"]),
        ({"attachments": {"max_size_mb": (REG_SZ, "10")}}, ["attachments.max_size_mb", "REG_DWORD"]),
        ({"search": {"max_download_days": (REG_SZ, "30")}}, ["search.max_download_days", "REG_DWORD"]),
        ({"locked_settings": {"search.download_days": (REG_SZ, "30")}}, ["search.download_days", "REG_DWORD"]),
        ({"tls": {"min_version": (REG_SZ, "1.0")}}, ["tls.min_version", "1.0"]),
        ({"tls": {"mini_version": (REG_SZ, "1.2")}}, ["tls.mini_version", "unknown key"]),
        ({"serverz": {"allow": (REG_MULTI_SZ, [])}}, ["serverz"]),
        ({"": {"strange": (REG_SZ, "x")}}, ["strange"]),
        ({"locked_settings": {"ui.thai_digits": (REG_DWORD, 7)}}, ["ui.thai_digits", "REG_DWORD 0/1"]),
        ({"tls": PermissionError(13, "Access is denied")}, ["Access is denied"]),
        ({"tls": {"ca_file": (REG_SZ, "relative.pem")}}, ["tls.ca_file", "absolute"]),
    ],
)
def test_broken_registry_values_fail_closed(tmp_path, tree, needles):
    eff, _ = win(tmp_path, tree)
    assert_fails_closed(eff, *needles)


def test_load_policy_file_missing_fails_closed(tmp_path):
    eff = load_policy_file(tmp_path / "nope.json")
    assert_fails_closed(eff, "nope.json")


def test_locking_a_forbidden_server_is_a_policy_error(etc):
    write(etc, {"schema_version": 1, "locked_settings": {"account.imap_host": "imap.gmail.com"}})
    assert_fails_closed(linux(etc), "locked_settings.account.imap_host", "host-denied")
    write(etc, {"schema_version": 1, "locked_settings": {"account.imap_host": "imap.mail.go.th"}})
    eff = linux(etc)
    assert eff.error is None
    assert eff.locked_settings() == {"account.imap_host": "imap.mail.go.th"}
