r"""The CA file the machine policy names is trusted only if only an administrator can change it.

``tls.ca_file`` adds a certificate authority to TLS verification: a user who can
edit or replace that file (or create it in its folder) could make the app accept
a certificate of their own for mail.go.th. The same rules as for the machine
policy file apply (test_machine_trust.py): Linux — the file and every folder above
it root's and writable only by root; Windows — the file and its folder owned by
Administrators/SYSTEM and changeable by no one else. Otherwise the policy fails
closed, naming the CA file. Checked when the machine policy is loaded (app start,
``govmail-admin policy show``, check-server without ``--policy``), with the
stat and Windows layers injected (the tests run as root in /tmp, which is 1777).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from govmail_desktop.admin import policy_cmd
from govmail_desktop.admin.cli import main
from govmail_desktop.policy.registry import REG_SZ, InMemoryRegistry
from govmail_desktop.policy.sources import ca_file_problems, load_machine_policy
from govmail_desktop.policy.winsec import ADMINISTRATORS, SYSTEM, Ace, FileSecurity
from tests.unit.policy.test_machine_trust import assert_fails_closed, stat_as_root_above, write
from tests.unit.policy.winfakes import A_USER, FULL_CONTROL, READ_EXECUTE, USERS, FakeWindows

PEM = "-----BEGIN CERTIFICATE-----\n"
FILE_ADD_FILE = 0x0002


def secure(*paths: Path) -> None:
    for path in paths:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


# -- Linux --------------------------------------------------------------------------

@pytest.fixture
def etc(tmp_path):
    """/etc/govmail/policy.json naming agency-ca.pem beside it, all root-only (with the stat layer)."""
    folder = tmp_path / "etc" / "govmail"
    policy = write(folder / "policy.json", {"schema_version": 1, "tls": {"ca_file": "agency-ca.pem"}})
    ca = write(folder / "agency-ca.pem", PEM)
    secure(tmp_path, tmp_path / "etc", folder, policy, ca)
    return policy


def linux_load(policy: Path, stat):
    return load_machine_policy(platform="linux", linux_path=policy, stat_path=stat)


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_ca_file_in_a_root_only_chain_is_used(tmp_path, etc):
    eff = linux_load(etc, stat_as_root_above(tmp_path))
    assert eff.error is None, eff.error and eff.error.detail
    assert eff.server_policy().tls_rules().ca_file == etc.parent / "agency-ca.pem"


@pytest.mark.linux_only  # POSIX owner and mode bits
@pytest.mark.parametrize(("owner", "needle"), [((1000, 1000, 0o644), "uid 1000"), ((0, 0, 0o666), "0o666"),
                                               ((0, 1000, 0o664), "0o664")])
def test_ca_file_a_user_can_change_fails_closed(tmp_path, etc, owner, needle):
    ca = etc.parent / "agency-ca.pem"
    eff = linux_load(etc, stat_as_root_above(tmp_path, {ca: owner}))
    text = assert_fails_closed(eff, str(etc), "tls.ca_file", str(ca), "certificate authority", needle)
    assert "policy file" not in text.split("tls.ca_file", 1)[1]  # the reason is about the CA file


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_ca_file_in_a_world_writable_folder_fails_closed(tmp_path):
    """/etc/govmail is root's; the CA is in /srv/certs, which anyone may write to (sticky or not)."""
    policy_dir = tmp_path / "etc" / "govmail"
    certs = tmp_path / "srv" / "certs"
    ca = write(certs / "ca.pem", PEM)
    policy = write(policy_dir / "policy.json", {"schema_version": 1, "tls": {"ca_file": str(ca)}})
    secure(tmp_path, tmp_path / "etc", policy_dir, policy, tmp_path / "srv", ca)
    os.chmod(certs, 0o1777)
    eff = linux_load(policy, stat_as_root_above(tmp_path))
    assert_fails_closed(eff, "tls.ca_file", str(ca), str(certs), "0o1777", "above the CA file")


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_ca_file_in_real_tmp_is_refused_by_the_real_stat(tmp_path):
    """No injected layer: /tmp (1777) is above the file, so it is never trusted."""
    ca = write(tmp_path / "ca.pem", PEM)
    problems = ca_file_problems(ca, "/etc/govmail/policy.json", platform="linux")
    texts = [p.text("en") for p in problems]
    assert any("the folder /tmp " in t and "0o1777" in t and str(ca) in t for t in texts), texts
    assert {(p.source, p.key) for p in problems} == {("/etc/govmail/policy.json", "tls.ca_file")}


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_ca_file_reached_through_a_link_is_checked_where_it_really_is(tmp_path, etc):
    home = tmp_path / "home" / "user"
    mine = write(home / "ca.pem", PEM)
    secure(tmp_path / "home", home, mine)
    link = etc.parent / "linked-ca.pem"
    link.symlink_to(mine)
    write(etc, {"schema_version": 1, "tls": {"ca_file": "linked-ca.pem"}})
    eff = linux_load(etc, stat_as_root_above(tmp_path, {home: (1000, 1000, 0o755)}))
    assert_fails_closed(eff, "tls.ca_file", str(link), str(home))


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_ca_file_gone_or_unreadable_at_the_check_fails_closed(tmp_path, etc):
    ca = etc.parent / "agency-ca.pem"
    base = stat_as_root_above(tmp_path)
    for error, needle in ((FileNotFoundError(2, "No such file or directory"), "does not exist"),
                          (PermissionError(13, "Permission denied"), "Permission denied")):
        def fake(path, *args, _error=error, **kwargs):
            if os.path.abspath(path) == str(ca):
                raise _error
            return base(path, *args, **kwargs)

        assert_fails_closed(linux_load(etc, fake), "tls.ca_file", str(ca), needle)


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_ca_file_check_is_off_with_the_permission_checks(tmp_path, etc):
    eff = load_machine_policy(platform="linux", linux_path=etc, check_permissions=False)
    assert eff.error is None, eff.error and eff.error.detail


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_untrusted_policy_file_does_not_get_its_ca_file_checked_twice(tmp_path, etc):
    """An untrusted policy file is not applied, so its CA file is not the policy's at all."""
    ca = etc.parent / "agency-ca.pem"
    eff = linux_load(etc, stat_as_root_above(tmp_path, {etc: (1000, 1000, 0o644), ca: (1000, 1000, 0o644)}))
    assert_fails_closed(eff, str(etc))
    assert eff.values["tls.ca_file"] is None
    assert str(ca) not in eff.error.detail


@pytest.mark.linux_only  # POSIX owner and mode bits
def test_policy_show_reports_an_untrusted_ca_file(tmp_path, etc, monkeypatch, capsys):
    ca = etc.parent / "agency-ca.pem"
    monkeypatch.setattr(policy_cmd, "load_machine_policy", functools.partial(
        load_machine_policy, platform="linux", linux_path=etc,
        stat_path=stat_as_root_above(tmp_path, {ca: (1000, 1000, 0o644)})))
    assert main(["--lang", "en", "policy", "show"]) == 1
    out = capsys.readouterr().out
    assert "INVALID" in out and str(ca) in out and "certificate authority" in out
    assert main(["--lang", "th", "policy", "show"]) == 1
    th = capsys.readouterr().out
    assert str(ca) in th and "certificate authority" not in th


# -- Windows ------------------------------------------------------------------------

@pytest.fixture
def program_data(tmp_path):
    folder = tmp_path / "ProgramData" / "GovMail"
    write(folder / "agency-ca.pem", PEM)
    write(folder / "policy.json", {"schema_version": 1, "tls": {"ca_file": "agency-ca.pem"}})
    return folder


def win_load(folder: Path, layer: FakeWindows, tree=None):
    return load_machine_policy(platform="win32", windows=layer, registry=InMemoryRegistry(tree),
                               windows_file=folder / "policy.json")


def test_windows_ca_file_of_administrators_is_used(program_data):
    layer = FakeWindows()
    eff = win_load(program_data, layer)
    assert eff.error is None, eff.error and eff.error.detail
    ca = program_data / "agency-ca.pem"
    assert str(ca) in layer.asked and str(ca.parent) in layer.asked


def test_windows_user_owned_ca_file_fails_closed(program_data):
    ca = program_data / "agency-ca.pem"
    layer = FakeWindows(security={str(ca): FileSecurity(A_USER, (Ace(A_USER, FULL_CONTROL),))})
    assert_fails_closed(win_load(program_data, layer), "tls.ca_file", str(ca), "owned by", A_USER)


def test_windows_ca_from_group_policy_in_a_folder_users_may_add_to_fails_closed(tmp_path):
    """Group Policy names C:\\Certs\\ca.pem; Users may create files in C:\\Certs."""
    certs = tmp_path / "Certs"
    ca = write(certs / "ca.pem", PEM)
    folder = FileSecurity(ADMINISTRATORS, (Ace(SYSTEM, FULL_CONTROL), Ace(ADMINISTRATORS, FULL_CONTROL),
                                           Ace(USERS, READ_EXECUTE), Ace(USERS, FILE_ADD_FILE)))
    eff = win_load(tmp_path / "ProgramData" / "GovMail", FakeWindows(security={str(certs): folder}),
                   {"tls": {"ca_file": (REG_SZ, str(ca))}})
    assert_fails_closed(eff, r"HKLM\SOFTWARE\Policies\GovMail\tls", "tls.ca_file", str(ca), str(certs),
                        "Users", "WD")


@pytest.mark.parametrize("error", [PermissionError(13, "Access is denied"), ValueError("ctypes: wrong type"),
                                   FileNotFoundError(2, "The system cannot find the file specified")])
def test_windows_ca_file_security_unreadable_fails_closed(program_data, error):
    ca = program_data / "agency-ca.pem"
    layer = FakeWindows(security={str(ca): error})
    assert_fails_closed(win_load(program_data, layer), "tls.ca_file", str(ca))
