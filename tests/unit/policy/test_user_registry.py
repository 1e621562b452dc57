r"""HKCU\SOFTWARE\Policies\GovMail (the user's Group Policy) is honoured below every machine
source, for user-scoped keys only; a machine-only key there is ignored with a finding."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest

from govmail_desktop.admin import policy_cmd
from govmail_desktop.policy import schema
from govmail_desktop.policy.registry import (
    REG_DWORD,
    REG_MULTI_SZ,
    REG_SZ,
    REGISTRY_ROOT,
    USER_REGISTRY_ROOT,
    InMemoryRegistry,
    WindowsRegistryReader,
)
from govmail_desktop.policy.sources import DEFAULT_SOURCE, load_machine_policy
from tests.unit.policy.test_registry_hive import HKCU, RecordingWinreg
from tests.unit.policy.winfakes import FakeWindows


def load(tmp_path: Path, hklm: dict | None = None, hkcu: dict | None = None, file_data: dict | None = None):
    path = tmp_path / "ProgramData" / "GovMail" / "policy.json"
    if file_data is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(file_data), encoding="utf-8")
    return load_machine_policy(platform="win32", windows_file=path, registry=InMemoryRegistry(hklm),
                               user_registry=InMemoryRegistry(hkcu), windows=FakeWindows())


def test_user_scoped_keys_from_hkcu_apply_where_no_machine_source_sets_them(tmp_path):
    eff = load(tmp_path, hkcu={
        "content": {"force_plain_text": (REG_DWORD, 1), "remote_content": (REG_SZ, "ask")},
        "locked_settings": {"ui.thai_digits": (REG_DWORD, 1)},
    })
    assert eff.ok and eff.findings == ()
    assert eff.policy.content.force_plain_text is True
    assert eff.policy.content.remote_content == "ask"
    assert eff.locked_settings() == {"ui.thai_digits": True}
    assert eff.sources["content.force_plain_text"] == USER_REGISTRY_ROOT + r"\content\force_plain_text"
    assert eff.origins() == (USER_REGISTRY_ROOT, DEFAULT_SOURCE)


def test_hklm_and_the_machine_file_win_over_hkcu_for_the_same_key(tmp_path):
    eff = load(
        tmp_path,
        hklm={"content": {"remote_content": (REG_SZ, "block")}},
        hkcu={"content": {"remote_content": (REG_SZ, "allow"), "force_plain_text": (REG_DWORD, 0)},
              "locked_settings": {"mail.remote_content": (REG_SZ, "allow")}},
        file_data={"schema_version": 1, "content": {"force_plain_text": True},
                   "locked_settings": {"mail.remote_content": "block"}},
    )
    assert eff.ok
    assert eff.policy.content.remote_content == "block" and eff.sources["content.remote_content"].startswith(
        REGISTRY_ROOT)
    assert eff.policy.content.force_plain_text is True  # the file's, not the user's 0
    assert eff.locked_settings() == {"mail.remote_content": "block"}


@pytest.mark.parametrize(("hkcu", "path"), [
    ({"servers": {"allow": (REG_MULTI_SZ, ["mail.gmail.com"])}}, "servers.allow"),
    ({"servers": {"deny": (REG_MULTI_SZ, [])}}, "servers.deny"),
    ({"addresses": {"allow_cidrs": (REG_MULTI_SZ, ["0.0.0.0/8"])}}, "addresses.allow_cidrs"),
    ({"tls": {"spki_pins": (REG_MULTI_SZ, [])}}, "tls.spki_pins"),
    ({"tls": {"ca_file": (REG_SZ, r"C:\Users\me\ca.pem")}}, "tls.ca_file"),
    ({"recipients": {"external": (REG_SZ, "allow")}}, "recipients.external"),
    ({"attachments": {"max_size_mb": (REG_DWORD, 2048)}}, "attachments.max_size_mb"),
    ({"content": {"remote_http": (REG_DWORD, 1)}}, "content.remote_http"),
    ({"provisioning": {"imap_host": (REG_SZ, "imap.gmail.com")}}, "provisioning.imap_host"),
    ({"locked_settings": {"account.imap_host": (REG_SZ, "imap.gmail.com")}}, "locked_settings.account.imap_host"),
])
def test_machine_only_keys_in_hkcu_are_ignored_with_a_finding(tmp_path, caplog, hkcu, path):
    default = load(tmp_path)
    eff = load(tmp_path, hkcu=hkcu)
    assert eff.ok  # ignored, not broken
    assert eff.values == default.values and eff.sources == default.sources
    assert [f.key for f in eff.findings] == [path]
    text = eff.findings[0].text("en")
    assert "ignored" in text and USER_REGISTRY_ROOT in text
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in eff.findings[0].text("th"))
    assert path in caplog.text
    assert eff.as_json()["findings"][0]["key"] == path


def test_a_bad_value_of_a_user_scoped_key_in_hkcu_fails_closed(tmp_path):
    eff = load(tmp_path, hkcu={"content": {"force_plain_text": (REG_SZ, "yes")}})
    assert not eff.ok
    assert eff.problems[0].source.startswith(USER_REGISTRY_ROOT)


def test_the_scope_of_every_key_is_in_the_model():
    user = {path for path in schema.KEYS if schema.key_scope(path) == schema.USER}
    assert user == {"schema_version", "description", "content.remote_content", "content.remote_content_allowed",
                    "content.remote_hosts", "content.force_plain_text", "search.default_download_days"}
    assert schema.key_scope("locked_settings.mail.remote_content") == schema.USER
    assert schema.key_scope("locked_settings.account.smtp_host") == schema.MACHINE
    assert schema.key_scope("locked_settings.no.such.setting") == schema.MACHINE


def test_the_current_user_reader_opens_hkcu_policies():
    winreg = RecordingWinreg({HKCU: {r"SOFTWARE\Policies\GovMail": {"values": [], "keys": []}}})
    reader = WindowsRegistryReader(winreg, current_user=True)
    assert reader.values("") == []
    assert winreg.opened == [(HKCU, r"SOFTWARE\Policies\GovMail")]


def test_policy_show_lists_what_hkcu_tried_to_set(tmp_path, monkeypatch, capsys):
    hkcu = {"servers": {"allow": (REG_MULTI_SZ, ["mail.gmail.com"])}}
    monkeypatch.setattr(policy_cmd, "load_machine_policy", partial(load, tmp_path, hkcu=hkcu))
    code = policy_cmd.run_show(SimpleNamespace(file=None, json=False))
    out = capsys.readouterr().out
    assert code == 0
    assert "servers.allow" in out and USER_REGISTRY_ROOT + r"\servers\allow" in out


def test_the_admx_offers_user_scoped_keys_to_users_and_rules_to_computers_only():
    import xml.etree.ElementTree as ET

    from govmail_desktop.policy import templates

    ns = {"p": templates.ADMX_NAMESPACE}
    root = ET.fromstring((Path(__file__).resolve().parents[3] / templates.ADMX_PATH).read_text(encoding="utf-8"))
    classes = {}
    for entry, policy in zip(templates.entries(), root.findall("p:policies/p:policy", ns), strict=True):
        assert policy.get("name") == entry.policy_name
        classes[entry.path] = policy.get("class")
    assert classes["content.force_plain_text"] == "Both"
    assert classes["locked_settings.ui.thai_digits"] == "Both"
    assert classes["servers.allow"] == classes["locked_settings.account.imap_host"] == "Machine"
    assert {path for path, cls in classes.items() if cls == "Both"} == {
        path for path in classes if schema.key_scope(path) == schema.USER}
