"""govmail-admin doctor's servers part against the real Dovecot and SMTP submission server:
the servers the policy locks and the user's account set are checked with check-server's code
path (allowed and answering: ok), a server the domestic-server policy refuses fails, a server
that does not answer fails, and --offline connects to nothing."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from govmail_desktop.admin.cli import main
from govmail_desktop.admin.doctor import EXIT_FAILURES
from govmail_desktop.i18n import set_language
from tests.servers.fake_net import ABROAD_IP, TEST_POLICY_FILE, abroad_policy_file

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


def write_policy(folder: Path, dovecot, smtp_server, *, base: Path = TEST_POLICY_FILE) -> Path:
    """The loopback test policy trusting the test CA and locking the account's servers to the test servers."""
    data = json.loads(base.read_text(encoding="utf-8"))
    data["tls"] = {"ca_file": str(dovecot.ca_file)}
    data["locked_settings"] = {
        "account.imap_host": "127.0.0.1", "account.imap_port": dovecot.imaps_port, "account.imap_security": "tls",
        "account.smtp_host": "127.0.0.1", "account.smtp_port": smtp_server.starttls_port,
        "account.smtp_security": "starttls",
    }
    path = folder / "doctor-policy.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_account(home: Path, imap_host: str, imap_port: int, security: str = "tls", smtp_port: int = 465) -> None:
    (home / "config").mkdir(exist_ok=True)
    account = {"id": "a1", "address": "alice@localhost.go.th", "display_name": "Alice", "login": "alice",
               "imap": {"host": imap_host, "port": imap_port, "security": security},
               "smtp": {"host": imap_host, "port": smtp_port, "security": "tls"}}
    (home / "config" / "settings.json").write_text(json.dumps({"accounts": [account]}), encoding="utf-8")


def doctor(capsys, *args: str) -> tuple[int, dict]:
    code = main(["--lang", "en", "doctor", "--json", "--timeout", "5", *args])
    out = json.loads(capsys.readouterr().out)
    assert out["exit_code"] == code
    return code, out


def server_checks(out: dict) -> list[dict]:
    return [c for c in out["checks"] if c["area"] == "servers"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVMAIL_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def test_policy_and_account_servers_allowed_and_answering(capsys, tmp_path, home, dovecot, smtp_server):
    policy = write_policy(tmp_path, dovecot, smtp_server)
    with socket.socket() as closed:  # bound, never listening: connection refused
        closed.bind(("127.0.0.1", 0))
        write_account(home, "127.0.0.1", dovecot.imap_port, "starttls", smtp_port=closed.getsockname()[1])
        code, out = doctor(capsys, "--policy", str(policy))
    checks = server_checks(out)
    texts = [c["text"] for c in checks]
    assert [c["status"] for c in checks] == ["ok", "ok", "ok", "fail"], texts
    assert f"IMAP server 127.0.0.1 port {dovecot.imaps_port} (set by the policy)" in texts[0]
    assert f"SMTP server 127.0.0.1 port {smtp_server.starttls_port} (set by the policy)" in texts[1]
    assert f"port {dovecot.imap_port} (set by alice@localhost.go.th)" in texts[2] and "TLSv1.3" in texts[2]
    # The account's SMTP port: nothing listens there.
    assert "SMTP server 127.0.0.1 (set by alice@localhost.go.th): could not be checked" in texts[3]
    assert code == EXIT_FAILURES


def test_server_refused_by_the_domestic_server_policy_fails(capsys, tmp_path, home, dovecot, planted_countries):
    """127.0.0.2 is registered abroad in the tests' world: refused before any connection."""
    write_account(home, ABROAD_IP, dovecot.imaps_port)
    code, out = doctor(capsys, "--policy", str(abroad_policy_file(tmp_path)))
    imap = server_checks(out)[0]
    assert imap["status"] == "fail" and "REFUSED" in imap["text"] and ABROAD_IP in imap["text"]
    assert code == EXIT_FAILURES


def test_offline_connects_to_nothing(capsys, tmp_path, home, dovecot, smtp_server, monkeypatch):
    policy = write_policy(tmp_path, dovecot, smtp_server)

    def no_network(*args, **kwargs):
        raise AssertionError("doctor --offline opened a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    _, out = doctor(capsys, "--offline", "--policy", str(policy))
    assert [(c["check"], c["status"]) for c in server_checks(out)] == [("servers", "skip")]


def test_provisioned_servers_are_checked(capsys, tmp_path, home, dovecot, smtp_server):
    data = json.loads(TEST_POLICY_FILE.read_text(encoding="utf-8"))
    data["tls"] = {"ca_file": str(dovecot.ca_file)}
    data["provisioning"] = {"address": "%USERNAME%@mail.go.th", "imap_host": "127.0.0.1",
                            "imap_port": dovecot.imaps_port, "imap_security": "tls", "smtp_host": "127.0.0.1",
                            "smtp_port": smtp_server.tls_port, "smtp_security": "tls"}
    policy = tmp_path / "provisioning.json"
    policy.write_text(json.dumps(data), encoding="utf-8")
    _, out = doctor(capsys, "--policy", str(policy))
    checks = server_checks(out)
    assert [c["status"] for c in checks] == ["ok", "ok"], checks
    assert f"IMAP server 127.0.0.1 port {dovecot.imaps_port} (set by the policy)" in checks[0]["text"]
    assert f"SMTP server 127.0.0.1 port {smtp_server.tls_port} (set by the policy)" in checks[1]["text"]
