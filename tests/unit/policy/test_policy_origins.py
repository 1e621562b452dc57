"""Where the policy in force came from (EffectivePolicy.origins, source_text): what the About box
and ``govmail-admin policy show`` say, from one implementation."""

from __future__ import annotations

import json
from pathlib import Path

from govmail_desktop.admin.cli import main
from govmail_desktop.policy.registry import REG_DWORD, REG_MULTI_SZ, REGISTRY_ROOT, InMemoryRegistry
from govmail_desktop.policy.sources import DEFAULT_SOURCE, load_machine_policy, load_policy_file, source_text
from tests.unit.policy.winfakes import FakeWindows

ROOT = Path(__file__).resolve().parents[3]
LOOPBACK = ROOT / "tests" / "data" / "policy" / "test-loopback.json"


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_without_a_machine_policy_the_origin_is_the_built_in_default(tmp_path):
    eff = load_machine_policy(platform="linux", linux_path=tmp_path / "policy.json", check_permissions=False)
    assert eff.origins() == (DEFAULT_SOURCE,)
    assert source_text(DEFAULT_SOURCE, "en") == "built-in default"
    assert source_text(DEFAULT_SOURCE, "th") == "ค่าเริ่มต้นของโปรแกรม"


def test_a_policy_file_comes_first_then_the_default_for_what_it_leaves(tmp_path):
    eff = load_policy_file(LOOPBACK)
    assert eff.origins() == (str(LOOPBACK), DEFAULT_SOURCE)
    assert source_text(str(LOOPBACK), "th") == str(LOOPBACK)


def test_registry_values_are_one_origin_the_key_after_the_file(tmp_path):
    path = write(tmp_path / "ProgramData" / "GovMail" / "policy.json",
                 {"schema_version": 1, "tls": {"min_version": "1.3"}})
    tree = {"servers": {"Allow": (REG_MULTI_SZ, ["mail.agency.go.th"])},
            "attachments": {"max_size_mb": (REG_DWORD, 10)}}
    eff = load_machine_policy(platform="win32", windows_file=path, registry=InMemoryRegistry(tree),
                              windows=FakeWindows())
    assert eff.error is None
    assert eff.origins() == (str(path), REGISTRY_ROOT, DEFAULT_SOURCE)


def test_a_broken_file_is_named_although_it_set_nothing(tmp_path):
    bad = write(tmp_path / "policy.json", {"schema_version": 1, "servers": {"allow": "mail.go.th"}})
    eff = load_policy_file(bad)
    assert not eff.ok
    assert eff.origins() == (str(bad), DEFAULT_SOURCE)


def test_policy_show_names_the_origins(capsys):
    assert main(["--lang", "th", "policy", "show", "--file", str(LOOPBACK)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"ที่มาของนโยบาย: {LOOPBACK}, ค่าเริ่มต้นของโปรแกรม" in lines
