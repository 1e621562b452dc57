"""Group Policy changed while the app runs (issue 15): the policy in force is swapped where the
services read it, every later check uses the new rules, a broken new policy loosens nothing."""

from __future__ import annotations

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy import api
from govmail_desktop.policy.live import LivePolicy, PolicyReloader
from govmail_desktop.policy.registry import REG_DWORD, REG_MULTI_SZ, REG_SZ, InMemoryRegistry
from govmail_desktop.policy.sources import load_machine_policy, policy_from_dict
from tests.unit.policy.winfakes import FakeWindows

A = "mail.a.go.th"
B = "mail.b.go.th"


def allowing(*hosts: str, **sections: dict) -> dict:
    return {"schema_version": 1, "servers": {"allow": list(hosts)}, **sections}


def test_a_server_check_taken_before_the_change_uses_the_new_rules():
    live = LivePolicy(policy_from_dict(allowing(A)))
    servers = live.server_policy()  # as the sync factory keeps it for an account
    assert servers.check_host(A) == A
    with pytest.raises(PolicyRefused) as refused:
        servers.check_host(B)
    assert refused.value.code == api.HOST_NOT_ALLOWED

    change = live.replace(policy_from_dict(allowing(B, addresses={"allow_cidrs": ["10.0.0.0/8"]})))
    assert change is not None and not change.broken
    assert servers.check_host(B) == B
    with pytest.raises(PolicyRefused):
        servers.check_host(A)
    assert servers.check_address(B, "10.1.2.3") == "10.0.0.0/8"  # the domestic check, new ranges
    assert {"servers.allow", "addresses.allow_cidrs"} <= set(change.changed)


def test_recipients_attachments_and_tls_taken_before_the_change_follow_it():
    live = LivePolicy(policy_from_dict(allowing(A)))
    recipients, attachments, servers = live.recipient_policy(), live.attachment_rules(), live.server_policy()
    assert recipients.check(["someone@example.com"]) == []
    assert not attachments.is_blocked_type("report.pdf")

    live.replace(policy_from_dict(allowing(
        A, recipients={"external": "block"}, attachments={"blocked_extensions": [".pdf"]},
        tls={"min_version": "1.3"},
    )))
    assert [f.level for f in recipients.check(["someone@example.com"])] == ["block"]
    assert attachments.is_blocked_type("report.pdf")
    assert servers.tls_rules().min_version.name == "TLSv1_3"
    assert live.policy.recipients.external == "block"  # EffectivePolicy's own reads too


def test_a_broken_new_policy_refuses_every_connection_and_loosens_nothing():
    strict = policy_from_dict(allowing(A, attachments={"max_size_mb": 5}, content={"remote_content_allowed": False}))
    live = LivePolicy(strict)
    servers = live.server_policy()
    # The new file has a bad value: its other keys fall back to looser defaults, never applied.
    broken = policy_from_dict(allowing(A, attachments={"max_size_mb": "big"}))
    assert broken.error is not None and broken.policy.attachments.max_size_mb == 25

    change = live.replace(broken)
    assert change is not None and change.broken
    assert change.problems == broken.problems
    with pytest.raises(PolicyRefused) as refused:
        servers.check_host(A)
    assert refused.value.code == api.POLICY_INVALID  # as at start: fail closed
    assert live.error is not None
    assert live.policy.attachments.max_size_mb == 5  # the previous rules, not the broken file's
    assert live.policy.content.remote_content_allowed is False
    assert [f.level for f in live.recipient_policy().check(["x@mail.a.go.th"])] == ["block"]
    assert "attachments.max_size_mb" in change.message().text("en")

    fixed = live.replace(policy_from_dict(allowing(A)))
    assert fixed is not None and not fixed.broken
    assert servers.check_host(A) == A


def test_nothing_changed_is_not_a_change_and_listeners_hear_only_changes():
    heard = []
    live = LivePolicy(policy_from_dict(allowing(A)))
    live.subscribe(heard.append)
    assert live.replace(policy_from_dict(allowing(A))) is None
    assert heard == []
    change = live.replace(policy_from_dict(allowing(B)))
    assert heard == [change]


def test_keys_that_apply_only_after_a_restart_are_named():
    live = LivePolicy(policy_from_dict(allowing(A)))
    change = live.replace(policy_from_dict(allowing(
        B, locked_settings={"mail.remote_content": "block"}, content={"remote_content": "ask"})))
    assert change is not None
    assert set(change.restart) == {"locked_settings.mail.remote_content", "content.remote_content"}
    assert "servers.allow" not in change.restart
    text = change.message().text("en")
    # named as the Group Policy editor names them, in the user's language
    assert "restart" in text.lower() and "Locked user settings (mail.remote_content)" in text
    assert "Default for remote content" in text and "locked_settings." not in text
    thai = change.message().text("th")
    assert "การตั้งค่าของผู้ใช้ที่ล็อกไว้ (mail.remote_content)" in thai and "ค่าเริ่มต้นของเนื้อหาจากภายนอก" in thai
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in change.message().text("th"))


def test_the_reloader_reads_the_registry_again_and_swaps_when_it_changed(tmp_path):
    """An injected source that changes between reads: HKLM values IT changed by Group Policy."""
    tree: dict = {"servers": {"allow": (REG_MULTI_SZ, [A])}}
    registry = InMemoryRegistry(tree)

    def load():
        return load_machine_policy(platform="win32", windows_file=tmp_path / "none.json", registry=registry,
                                   windows=FakeWindows())

    live = LivePolicy(load())
    reloader = PolicyReloader(live, load)
    servers = live.server_policy()
    assert reloader.reload() is None  # nothing changed
    tree["servers"] = {"allow": (REG_MULTI_SZ, [B]), "deny": (REG_MULTI_SZ, [A])}
    change = reloader.reload()
    assert change is not None and {"servers.allow", "servers.deny"} <= set(change.changed)
    assert servers.check_host(B) == B
    tree["attachments"] = {"max_size_mb": (REG_SZ, "ten")}  # wrong type: broken
    broken = reloader.reload()
    assert broken is not None and broken.broken
    with pytest.raises(PolicyRefused):
        servers.check_host(B)
    tree["attachments"] = {"max_size_mb": (REG_DWORD, 10)}
    assert reloader.reload() is not None and servers.check_host(B) == B


def test_a_loader_that_raises_fails_closed_and_is_logged(caplog):
    live = LivePolicy(policy_from_dict(allowing(A)))

    def load():
        raise RuntimeError("registry exploded")

    change = PolicyReloader(live, load).reload()
    assert change is not None and change.broken
    assert live.error is not None
    assert "registry exploded" in caplog.text
