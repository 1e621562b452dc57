"""govmail-admin doctor: every check's pass / warn / fail from injected facts, the exit codes,
the facts gathered from files (settings, policy, fontconfig's answer, a keyring backend), the
command line in English and Thai. The servers against the real Dovecot: tests/integration/test_doctor.py."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from govmail_desktop import resources
from govmail_desktop.admin import doctor, doctor_facts
from govmail_desktop.admin.check_server import CheckResult
from govmail_desktop.admin.cli import build_parser, main
from govmail_desktop.admin.doctor import (
    EXIT_FAILURES,
    EXIT_OK,
    EXIT_WARNINGS,
    Finding,
    FontFacts,
    InstallFacts,
    KeyringFacts,
    PolicyFacts,
    ServerFacts,
    ServerTarget,
    check_fonts,
    check_install,
    check_keyring,
    check_policy,
    check_servers,
)
from govmail_desktop.core.errors import NetworkError, PolicyRefused
from govmail_desktop.credentials import CredentialStore
from govmail_desktop.i18n import QT_TRANSLATE_NOOP, set_language
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.report import ConnectionReport
from govmail_desktop.policy import messages as pm
from govmail_desktop.policy.model import Problem
from govmail_desktop.policy.sources import load_policy_file, policy_from_dict
from tests.servers.fake_net import TEST_POLICY_FILE


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("th")


def statuses(findings: list[Finding]) -> dict[str, str]:
    return {f.check: f.status for f in findings}


# -- install ------------------------------------------------------------------------------

def install(**changes) -> InstallFacts:
    base = {"version": "1.2.3", "python": "3.11.2", "frozen": True, "icons_location": "/opt/x/icons",
            "icon_names": ("govmail-desktop", "mail-reply"), "translations_location": "/opt/x/_generated",
            "translation_files": doctor.TRANSLATION_FILES}
    return InstallFacts(**{**base, **changes})


def test_install_all_present_passes():
    found = check_install(install())
    assert statuses(found) == {"install.version": "ok", "install.icons": "ok", "install.translations": "ok"}
    assert "1.2.3" in found[0].message.text() and "bundle" in found[0].message.text()


def test_install_without_the_app_icon_fails():
    found = statuses(check_install(install(icon_names=("mail-reply",))))
    assert found["install.icons"] == "fail"


def test_install_without_a_compiled_catalogue_fails_and_names_it():
    found = check_install(install(translation_files=("govmail_th.json",)))
    bad = next(f for f in found if f.check == "install.translations")
    assert bad.status == "fail"
    assert "govmail_th.qm" in bad.message.text() and "qtbase_th.qm" in bad.message.text()


# -- fonts --------------------------------------------------------------------------------

SARABUN = ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf")


@pytest.mark.parametrize(
    ("sarabun", "families", "expected"),
    [
        (SARABUN, ("Loma", "Garuda"), {"fonts.sarabun": "ok", "fonts.fontconfig": "ok"}),
        (SARABUN, (), {"fonts.sarabun": "ok", "fonts.fontconfig": "warn"}),
        (SARABUN, None, {"fonts.sarabun": "ok", "fonts.fontconfig": "skip"}),
        ((), ("Loma",), {"fonts.sarabun": "warn", "fonts.fontconfig": "ok"}),
        ((), (), {"fonts.sarabun": "fail", "fonts.fontconfig": "warn"}),
        ((), None, {"fonts.sarabun": "fail", "fonts.fontconfig": "skip"}),
    ],
    ids=["all", "no-system-thai", "no-fontconfig", "no-sarabun", "no-thai-at-all", "no-sarabun-no-fc"],
)
def test_fonts(sarabun, families, expected):
    assert statuses(check_fonts(FontFacts(sarabun, "/opt/fonts", families))) == expected


def test_many_thai_families_are_counted_not_all_listed():
    families = tuple(f"Family{i}" for i in range(9))
    text = check_fonts(FontFacts(SARABUN, "/f", families))[1].message.text()
    assert "Family4" in text and "Family5" not in text and "4 more" in text


def test_fontconfig_answer_is_read_by_family(monkeypatch):
    monkeypatch.setattr(doctor_facts.shutil, "which", lambda name: "/usr/bin/fc-list")
    calls = []

    def run(argv, **kwargs):
        calls.append(argv)
        return subprocess.CompletedProcess(argv, 0, "Loma,ลอมา\nGaruda\n\nLoma\nTlwg Typo,ทลwg\n", "")

    assert doctor_facts.fontconfig_thai_families(run) == ("Garuda", "Loma", "Tlwg Typo")
    assert calls == [["/usr/bin/fc-list", ":lang=th", "family"]]


def test_fontconfig_missing_or_failing_is_not_asked(monkeypatch):
    def failing(argv, **kwargs):
        return subprocess.CompletedProcess(argv, 1, "", "error")

    monkeypatch.setattr(doctor_facts.shutil, "which", lambda name: "/usr/bin/fc-list")
    assert doctor_facts.fontconfig_thai_families(failing) is None
    monkeypatch.setattr(doctor_facts.shutil, "which", lambda name: None)
    assert doctor_facts.fontconfig_thai_families(failing) is None


def test_font_facts_find_the_installed_sarabun():
    """The app's own lookup (govmail_desktop.resources, the styles ui/fonts.py registers)."""
    facts = doctor_facts.font_facts()
    assert facts.sarabun_files == tuple(f"Sarabun-{style}.ttf" for style in resources.FONT_STYLES)
    assert facts.sarabun_location


# -- keyring ------------------------------------------------------------------------------

class ProbeKeyring(KeyringBackend):
    """An OS keyring stand-in that records every call (passed as trusted)."""

    priority = 1

    def __init__(self, fail_with: BaseException | None = None, block: threading.Event | None = None) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.fail_with = fail_with
        self.block = block

    def get_password(self, service, username):
        self.calls.append("get")
        if self.block is not None:
            self.block.wait(30)
        if self.fail_with is not None:
            raise self.fail_with
        return None

    def set_password(self, service, username, password):
        self.calls.append("set")

    def delete_password(self, service, username):
        self.calls.append("delete")


def probe(backend: KeyringBackend, timeout: float = 10.0) -> KeyringFacts:
    store = CredentialStore(backend, trusted_backends=(ProbeKeyring,))
    return doctor_facts.keyring_facts(store, timeout=timeout, chosen_backend=lambda: "chosen.Backend")


def test_usable_keyring_passes_and_nothing_is_written():
    backend = ProbeKeyring()
    facts = probe(backend)
    assert backend.calls == ["get"]  # a lookup only: no test entry written or deleted
    finding = check_keyring(facts)[0]
    assert finding.status == "ok" and "ProbeKeyring" in finding.message.text()
    assert any("chosen.Backend" in str(d) for d in finding.details)


def test_locked_keyring_warns_with_its_reason():
    facts = probe(ProbeKeyring(fail_with=keyring.errors.KeyringLocked("locked")))
    finding = check_keyring(facts)[0]
    assert facts.error_code == "keyring-locked"
    assert finding.status == "warn" and "keyring-locked" in finding.message.text()


def test_no_os_keyring_warns():
    from keyring.backends import fail

    facts = doctor_facts.keyring_facts(CredentialStore(fail.Keyring()), chosen_backend=lambda: "")
    finding = check_keyring(facts)[0]
    assert finding.status == "warn" and facts.usable is None
    assert "(none)" in " ".join(str(d) for d in finding.details)


def test_a_keyring_that_never_answers_is_given_up_on():
    release = threading.Event()
    try:
        facts = probe(ProbeKeyring(block=release), timeout=0.2)
    finally:
        release.set()
    finding = check_keyring(facts)[0]
    assert facts.timed_out and finding.status == "warn" and "0.2 s" in finding.message.text()


# -- policy -------------------------------------------------------------------------------

MACHINE = Path("/etc/govmail/policy.json")


def machine_policy(data: dict | None = None):
    return policy_from_dict(data or {"servers": {"allow": ["mail.example.go.th"]}}, source=str(MACHINE))


def test_policy_from_the_machine_file_passes():
    found = check_policy(PolicyFacts(machine_policy(), MACHINE, permission_problems=()))
    assert statuses(found) == {"policy.source": "ok", "policy.valid": "ok", "policy.permissions": "ok"}
    assert str(MACHINE) in found[0].message.text()


def test_built_in_default_only_warns():
    found = statuses(check_policy(PolicyFacts(policy_from_dict({}, source="x"), MACHINE)))
    # policy_from_dict({}) sets nothing: every value is the built-in default
    assert found == {"policy.source": "warn", "policy.valid": "ok", "policy.permissions": "skip"}


def test_invalid_policy_fails_and_lists_its_problems():
    found = check_policy(PolicyFacts(machine_policy({"servers": {"alow": []}}), MACHINE, permission_problems=()))
    valid = next(f for f in found if f.check == "policy.valid")
    assert valid.status == "fail" and any("alow" in str(d) for d in valid.details)


def test_a_file_users_could_change_fails_the_permission_check():
    problem = Problem(str(MACHINE), "", pm.P_INSECURE_FILE.format(uid=1000, mode="0o666"))
    found = check_policy(PolicyFacts(machine_policy(), MACHINE, permission_problems=(problem,)))
    assert statuses(found)["policy.permissions"] == "fail"
    perms = next(f for f in found if f.check == "policy.permissions")
    assert any("1000" in str(d) for d in perms.details)


def test_policy_given_on_the_command_line():
    facts = doctor_facts.policy_facts(TEST_POLICY_FILE)
    found = statuses(check_policy(facts))
    assert facts.explicit and found == {"policy.source": "ok", "policy.valid": "ok", "policy.permissions": "skip"}


def test_machine_policy_permissions_use_the_loaders_check(tmp_path, monkeypatch):
    """A file owned by a user: the same problems load_machine_policy found."""
    path = tmp_path / "policy.json"
    path.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(doctor_facts, "LINUX_POLICY_PATH", path)
    monkeypatch.setattr(doctor_facts, "load_machine_policy", lambda platform: load_policy_file(path))
    facts = doctor_facts.policy_facts(platform_name="linux")
    assert facts.path == path and facts.permission_problems  # tmp_path is not root's
    assert statuses(check_policy(facts))["policy.permissions"] == "fail"


# -- servers ------------------------------------------------------------------------------

IMAP = ServerTarget("imap", "mail.example.go.th", 993, "tls", "policy")
SMTP = ServerTarget("smtp", "mail.example.go.th", None, None, "somchai@example.go.th")


def allowed(target: ServerTarget) -> CheckResult:
    endpoint = Endpoint(target.host, target.port or 465, target.security or "tls")
    result = CheckResult(target.host, target.protocol, "machine")
    result.attempts.append(ConnectionReport(endpoint, tls_version="TLSv1.3"))
    result.selected = endpoint
    return result


def failed(target: ServerTarget, error) -> CheckResult:
    result = CheckResult(target.host, target.protocol, "machine")
    result.final_error = error
    return result


def test_allowed_servers_pass():
    found = check_servers(ServerFacts((IMAP, SMTP), (allowed(IMAP), allowed(SMTP))))
    assert [f.status for f in found] == ["ok", "ok"]
    assert "TLSv1.3" in found[0].message.text() and "the policy" in found[0].message.text()
    assert "somchai@example.go.th" in found[1].message.text()


def test_refused_server_fails_with_the_reason():
    error = PolicyRefused(QT_TRANSLATE_NOOP("Test", "Host refused by policy"), code="host-not-allowed")
    found = check_servers(ServerFacts((IMAP,), (failed(IMAP, error),)))
    assert found[0].status == "fail" and "REFUSED (host-not-allowed)" in found[0].message.text()
    assert found[0].details == ("Host refused by policy",)


def test_server_not_answering_fails():
    found = check_servers(ServerFacts((IMAP,), (failed(IMAP, NetworkError(code="timeout")),)))
    assert found[0].status == "fail" and "could not be checked (timeout)" in found[0].message.text()


def test_offline_and_no_servers_are_skipped():
    assert statuses(check_servers(ServerFacts((IMAP,), offline=True))) == {"servers": "skip"}
    assert statuses(check_servers(ServerFacts(()))) == {"servers": "skip"}


def test_broken_accounts_warn():
    found = check_servers(ServerFacts((), account_problems=("accounts[0]: bad",)))
    assert statuses(found) == {"servers.accounts": "warn", "servers": "skip"}


def test_policy_locked_servers_are_targets():
    eff = policy_from_dict({"servers": {"allow": [".example.go.th"]},
                            "locked_settings": {"account.imap_host": "imap.example.go.th", "account.imap_port": 143,
                                                "account.imap_security": "starttls",
                                                "account.smtp_host": "smtp.example.go.th"}})
    assert eff.ok, eff.problems
    assert doctor_facts.policy_targets(eff) == [
        ServerTarget("imap", "imap.example.go.th", 143, "starttls", "policy"),
        ServerTarget("smtp", "smtp.example.go.th", None, None, "policy"),
    ]


def test_provisioned_servers_are_targets():
    eff = policy_from_dict({"servers": {"allow": [".agency.go.th"]}, "accounts": {"allowed_domains": ["agency.go.th"]},
                            "provisioning": {"address": "%USERNAME%@agency.go.th", "imap_host": "imap.agency.go.th",
                                             "imap_port": 143, "imap_security": "starttls",
                                             "smtp_host": "smtp.agency.go.th"}})
    assert eff.ok, eff.problems
    assert doctor_facts.policy_targets(eff) == [
        ServerTarget("imap", "imap.agency.go.th", 143, "starttls", "policy"),
        ServerTarget("smtp", "smtp.agency.go.th", 465, "tls", "policy"),
    ]


def write_settings(path: Path, accounts: list[dict]) -> None:
    path.write_text(json.dumps({"settings": {}, "accounts": accounts}), encoding="utf-8")


ACCOUNT = {"id": "a1", "address": "somchai@example.go.th", "display_name": "Somchai", "login": "somchai",
           "imap": {"host": "imap.example.go.th", "port": 993, "security": "tls"},
           "smtp": {"host": "smtp.example.go.th", "port": 587, "security": "starttls"}}


def test_account_servers_are_targets(tmp_path):
    settings = tmp_path / "settings.json"
    write_settings(settings, [ACCOUNT, {"id": "bad", "address": "not an address"}])
    targets, problems = doctor_facts.account_targets(settings, policy_from_dict({}))
    assert targets == [
        ServerTarget("imap", "imap.example.go.th", 993, "tls", "somchai@example.go.th"),
        ServerTarget("smtp", "smtp.example.go.th", 587, "starttls", "somchai@example.go.th"),
    ]
    assert len(problems) == 1 and "accounts[1]" in problems[0]


def test_a_broken_settings_file_is_reported_and_left_alone(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text("{not json", encoding="utf-8")
    targets, problems = doctor_facts.account_targets(settings, policy_from_dict({}))
    assert targets == [] and problems and settings.read_text(encoding="utf-8") == "{not json"
    assert not (tmp_path / "settings.json.broken").exists()
    assert doctor_facts.account_targets(tmp_path / "missing.json", policy_from_dict({})) == ([], [])


def test_each_server_is_checked_once():
    twice = ServerTarget("imap", IMAP.host, IMAP.port, IMAP.security, "somchai@example.go.th")
    assert doctor_facts.unique([IMAP, twice, SMTP]) == [IMAP, SMTP]


# -- exit codes and the command line --------------------------------------------------------

def finding(status) -> Finding:
    return Finding("install", "x", status, QT_TRANSLATE_NOOP("AdminDoctor", "OK"))


@pytest.mark.parametrize(
    ("found", "code"),
    [(["ok", "skip"], EXIT_OK), (["ok", "warn", "skip"], EXIT_WARNINGS), (["warn", "fail", "ok"], EXIT_FAILURES),
     ([], EXIT_OK)],
)
def test_exit_codes(found, code):
    assert doctor.exit_code([finding(s) for s in found]) == code


def test_doctor_is_a_subcommand():
    assert build_parser().parse_args(["doctor", "--offline", "--json"]).func is doctor.run


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVMAIL_HOME", str(tmp_path))
    (tmp_path / "config").mkdir()
    return tmp_path


def test_cli_json_offline(capsys, home):
    write_settings(home / "config" / "settings.json", [ACCOUNT])
    code = main(["--lang", "en", "doctor", "--offline", "--json", "--policy", str(TEST_POLICY_FILE)])
    out = json.loads(capsys.readouterr().out)
    assert out["exit_code"] == code and code in (EXIT_OK, EXIT_WARNINGS)
    checks = {c["check"]: c for c in out["checks"]}
    assert checks["servers"]["status"] == "skip" and checks["policy.valid"]["status"] == "ok"
    assert {c["area"] for c in out["checks"]} == set(doctor.AREAS)
    assert out["summary"]["fail"] == 0


def test_cli_text_in_thai(capsys, home):
    code = main(["--lang", "th", "doctor", "--offline", "--policy", str(tmp_missing := home / "none.json")])
    out = capsys.readouterr().out
    assert code == EXIT_FAILURES  # a --policy file that does not exist: the policy fails closed
    assert "[ไม่ผ่าน]" in out and "นโยบาย" in out and str(tmp_missing) in out
