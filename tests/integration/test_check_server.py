"""govmail-admin check-server against the real Dovecot and SMTP servers: exit codes 0/1/2, JSON."""

from __future__ import annotations

import io
import json
import re
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govmail_desktop.admin.cli import main
from govmail_desktop.i18n import set_language
from govmail_desktop.net import failures
from govmail_desktop.policy import api
from tests.servers.fake_base import SilentListener
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import ABROAD_IP, TEST_POLICY_FILE, THAI_IP, abroad_policy_file

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


# -- helpers ------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


def check(capsys, host: str, *args: str, ca_file: Path | None = None, policy: Path = TEST_POLICY_FILE,
          lang: str = "en") -> tuple[int, dict]:
    argv = ["--lang", lang, "check-server", host, *args, "--policy", str(policy), "--json"]
    if ca_file is not None:
        argv += ["--ca-file", str(ca_file)]
    code = main(argv)
    out = json.loads(capsys.readouterr().out)
    assert out["exit_code"] == code
    return code, out


def settled_log_size(dovecot, quiet: float = 0.3, limit: float = 5.0) -> int:
    """The log's size once Dovecot has finished writing about earlier tests' connections
    (it logs a disconnect a moment after the client has gone)."""
    size, since, deadline = dovecot.log_file.stat().st_size, time.monotonic(), time.monotonic() + limit
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.02)
        now = dovecot.log_file.stat().st_size
        if now != size:
            size, since = now, time.monotonic()
    return size


def imap_logins_since(dovecot, mark: int) -> list[str]:
    with open(dovecot.log_file, "rb") as fh:
        fh.seek(mark)
        return [line for line in fh.read().decode("utf-8", "replace").splitlines() if "imap-login:" in line]


# -- exit 0 ----------------------------------------------------------------------------

@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_imap_server_allowed(capsys, dovecot, security):
    port = dovecot.imaps_port if security == "tls" else dovecot.imap_port
    code, out = check(capsys, "localhost", "--port", str(port), "--security", security,
                      "--resolve", "localhost:127.0.0.1", ca_file=dovecot.ca_file)
    assert code == 0 and out["verdict"] == "allowed"
    attempt = out["attempts"][0]
    assert attempt["connected_ip"] == "127.0.0.1" and attempt["secure"]
    assert attempt["addresses"][0]["reason"] == "127.0.0.0/8"
    assert attempt["tls_version"] == "TLSv1.3"
    assert "IP:127.0.0.1" in attempt["certificate"]["sans"]
    assert "GovMail Desktop test CA" in attempt["certificate"]["issuer"]
    # Dovecot's pre-login capabilities, asked over TLS: no STARTTLS any more.
    assert "AUTH=PLAIN" in attempt["capabilities"] and "STARTTLS" not in attempt["capabilities"]


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_smtp_server_allowed(capsys, smtp_server, security):
    port = smtp_server.tls_port if security == "tls" else smtp_server.starttls_port
    code, out = check(capsys, "localhost", "--smtp", "--port", str(port), "--resolve", "localhost:127.0.0.1",
                      "--security", security, ca_file=smtp_server.ca_file)
    assert code == 0
    assert out["selected"] == {"host": "localhost", "port": port, "security": security}
    assert any(c.startswith("AUTH ") for c in out["attempts"][0]["capabilities"])
    assert "STARTTLS" not in out["attempts"][0]["capabilities"]


def test_installed_command_in_thai(dovecot):
    """The console script itself, as IT staff run it."""
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("govmail-admin")), "--lang", "th", "check-server", "localhost",
         "--port", str(dovecot.imaps_port), "--policy", str(TEST_POLICY_FILE), "--ca-file", str(dovecot.ca_file),
         "--resolve", "localhost:127.0.0.1"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "สรุป: อนุญาต" in proc.stdout and "ใบรับรอง:" in proc.stdout


# -- exit 1 ----------------------------------------------------------------------------

def test_without_the_test_ca_dovecot_is_not_trusted(capsys, dovecot):
    code, out = check(capsys, "localhost", "--port", str(dovecot.imaps_port), "--resolve", "localhost:127.0.0.1")
    assert code == 1 and out["reason_code"] == api.CERT_INVALID


def test_name_missing_from_the_certificate_is_refused(capsys, dovecot):
    code, out = check(capsys, "imap.mail.go.th", "--port", str(dovecot.imaps_port),
                      "--resolve", "imap.mail.go.th:127.0.0.1", ca_file=dovecot.ca_file)
    assert code == 1 and out["reason_code"] == api.CERT_HOSTNAME
    assert out["attempts"][0]["connected_ip"] == "127.0.0.1" and out["attempts"][0]["certificate"] is None


def test_denylisted_provider_pointed_at_dovecot_is_refused_without_connecting(capsys, dovecot):
    mark = settled_log_size(dovecot)
    code, out = check(capsys, "imap.gmail.com", "--port", str(dovecot.imaps_port),
                      "--resolve", "imap.gmail.com:127.0.0.1", ca_file=dovecot.ca_file)
    assert code == 1 and out["reason_code"] == api.HOST_DENIED
    assert out["attempts"][0]["addresses"] == [] and out["attempts"][0]["connected_ip"] is None
    # Control: an allowed check afterwards IS logged by Dovecot, and it is the only connection.
    assert check(capsys, "localhost", "--port", str(dovecot.imaps_port), "--resolve", "localhost:127.0.0.1",
                 ca_file=dovecot.ca_file)[0] == 0
    deadline = time.monotonic() + 10
    while not imap_logins_since(dovecot, mark) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(imap_logins_since(dovecot, mark)) == 1


def test_foreign_address_is_refused_and_never_connected(capsys, dovecot, planted_countries, tmp_path):
    """127.0.0.3 is registered to Thailand and 127.0.0.2 to the US (planted_countries)."""
    with SilentListener(THAI_IP) as thai, SilentListener(ABROAD_IP, thai.port) as abroad:
        code, out = check(capsys, "mail.go.th", "--port", str(thai.port),
                          "--resolve", f"mail.go.th:{THAI_IP}", "--resolve", f"mail.go.th:{ABROAD_IP}",
                          ca_file=dovecot.ca_file, policy=abroad_policy_file(tmp_path))
        assert not thai.connection_attempted() and not abroad.connection_attempted()
    assert code == 1 and out["reason_code"] == api.ADDRESS_NOT_THAILAND
    assert [(a["ip"], a["allowed"], a["reason"]) for a in out["attempts"][0]["addresses"]] == [
        (THAI_IP, True, "TH"), (ABROAD_IP, False, "")]


def test_tls_below_the_policy_minimum_is_refused(capsys, certs, dovecot, tmp_path):
    strict = tmp_path / "strict.json"
    data = json.loads(TEST_POLICY_FILE.read_text(encoding="utf-8"))
    data["tls"] = {"min_version": "1.3"}
    strict.write_text(json.dumps(data), encoding="utf-8")
    with FakeImapServer("ok", certs.server, implicit_tls=True, max_tls=ssl.TLSVersion.TLSv1_2) as capped:
        code, out = check(capsys, "localhost", "--port", str(capped.port), "--resolve", "localhost:127.0.0.1",
                          ca_file=certs.ca_file, policy=strict)
    assert code == 1 and out["reason_code"] == api.TLS_VERSION
    # Control: the real Dovecot offers TLS 1.3 and passes the same policy.
    code, out = check(capsys, "localhost", "--port", str(dovecot.imaps_port), "--resolve", "localhost:127.0.0.1",
                      ca_file=dovecot.ca_file, policy=strict)
    assert code == 0 and out["attempts"][0]["tls_version"] == "TLSv1.3"


def test_broken_policy_file_fails_closed(capsys, dovecot, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "servers": {"alow": []}}')
    with SilentListener("127.0.0.1") as listener:
        code, out = check(capsys, "localhost", "--port", str(listener.port), "--resolve", "localhost:127.0.0.1",
                          policy=broken)
        assert not listener.connection_attempted()
    assert code == 1 and out["reason_code"] == api.POLICY_INVALID


# -- exit 2 ----------------------------------------------------------------------------

def test_closed_port_could_not_be_checked(capsys, dovecot):
    with SilentListener("127.0.0.1") as closed:
        port = closed.port
    code, out = check(capsys, "localhost", "--port", str(port), "--resolve", "localhost:127.0.0.1",
                      ca_file=dovecot.ca_file)
    assert code == 2 and out["reason_code"] == failures.CONNECTION_REFUSED


def test_timeout_could_not_be_checked(capsys, dovecot):
    with SilentListener("127.0.0.2") as silent:  # accepts in the kernel, never answers the TLS hello
        code, out = check(capsys, "localhost", "--port", str(silent.port), "--resolve", f"localhost:{silent.host}",
                          "--timeout", "0.3", ca_file=dovecot.ca_file)
    assert code == 2 and out["reason_code"] == failures.TIMEOUT


def test_text_output_lists_addresses_tls_certificate_and_capabilities(capsys, dovecot):
    code = main(["--lang", "en", "check-server", "localhost", "--port", str(dovecot.imap_port), "--security",
                 "starttls", "--policy", str(TEST_POLICY_FILE), "--ca-file", str(dovecot.ca_file),
                 "--resolve", "localhost:127.0.0.1"])
    text = capsys.readouterr().out
    assert code == 0
    for expected in ("Address 127.0.0.1: allowed (127.0.0.0/8)", "TLS: TLSv1.3", "Subject: ", "Issuer: ",
                     "Names: DNS:localhost", "Capabilities (over TLS): ", "Verdict: ALLOWED"):
        assert expected in text
    assert re.search(r"Valid from \d{4}-\d\d-\d\d .* until \d{4}-\d\d-\d\d", text)


# -- what the capabilities mean for the app ---------------------------------------------------

def test_dovecot_before_login_shows_its_short_list_and_asks_for_user(capsys, dovecot):
    """Dovecot lists SPECIAL-USE, QRESYNC, MOVE only after login: without --user it says so."""
    code, out = check(capsys, "localhost", "--port", str(dovecot.imaps_port), "--resolve", "localhost:127.0.0.1",
                      ca_file=dovecot.ca_file)
    assert code == 0 and out["login"] is None
    report = out["capabilities"]
    assert report["stage"] == "before-login" and report["offered"] == out["attempts"][0]["capabilities"]
    assert report["notes"]["IDLE"]["present"] and not report["notes"]["SPECIAL-USE"]["present"]


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_dovecot_after_login_has_special_use_qresync_idle_move(capsys, dovecot, monkeypatch, security):
    monkeypatch.setattr("sys.stdin", io.StringIO(dovecot.users["alice"] + "\n"))
    port = dovecot.imaps_port if security == "tls" else dovecot.imap_port
    mark = dovecot.log_file.stat().st_size
    code, out = check(capsys, "localhost", "--port", str(port), "--security", security,
                      "--resolve", "localhost:127.0.0.1", "--user", "alice", ca_file=dovecot.ca_file)
    assert code == 0 and out["login"] == {"user": "alice", "ok": True, "error": None}
    report = out["capabilities"]
    assert report["stage"] == "after-login"
    notes = report["notes"]
    for name in ("SPECIAL-USE", "QRESYNC", "CONDSTORE", "IDLE", "MOVE", "UIDPLUS", "LIST-STATUS", "ESEARCH"):
        assert notes[name]["present"], name
    assert not notes["XLIST"]["present"] and "not needed" in notes["XLIST"]["meaning"]
    assert notes["QRESYNC"]["meaning"].startswith("Quick resync")
    assert dovecot.users["alice"] not in json.dumps(out)
    deadline = time.monotonic() + 10
    while not any("Login: user=<alice>" in line for line in imap_logins_since(dovecot, mark)):
        assert time.monotonic() < deadline, "Dovecot logged no login"
        time.sleep(0.02)
    assert any("TLS" in line for line in imap_logins_since(dovecot, mark) if "Login: user=<alice>" in line)


def test_dovecot_wrong_password_is_reported_with_the_same_exit_code(capsys, dovecot, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("not-the-password\n"))
    code, out = check(capsys, "localhost", "--port", str(dovecot.imaps_port), "--resolve", "localhost:127.0.0.1",
                      "--user", "alice", ca_file=dovecot.ca_file)
    assert code == 0 and out["verdict"] == "allowed"
    assert out["login"]["ok"] is False and out["login"]["error"]["code"] == failures.AUTH_FAILED
    assert out["capabilities"]["stage"] == "before-login"


def test_installed_command_in_thai_logs_in_with_the_password_on_stdin(dovecot):
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("govmail-admin")), "--lang", "th", "check-server", "localhost",
         "--port", str(dovecot.imaps_port), "--policy", str(TEST_POLICY_FILE), "--ca-file", str(dovecot.ca_file),
         "--resolve", "localhost:127.0.0.1", "--user", "alice"],
        input=dovecot.users["alice"] + "\n", capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "เข้าสู่ระบบเป็น alice: สำเร็จ" in proc.stdout
    assert "ความสามารถของเซิร์ฟเวอร์มีผลต่อโปรแกรมอย่างไร (+ มี, - ไม่มี):" in proc.stdout
    assert "  + SPECIAL-USE: " in proc.stdout and "  + MOVE: " in proc.stdout and "ถังขยะ" in proc.stdout
    assert dovecot.users["alice"] not in proc.stdout + proc.stderr


def test_smtp_server_capabilities(capsys, smtp_server):
    code, out = check(capsys, "localhost", "--smtp", "--port", str(smtp_server.tls_port), "--security", "tls",
                      "--resolve", "localhost:127.0.0.1", ca_file=smtp_server.ca_file)
    assert code == 0
    report = out["capabilities"]
    assert report["stage"] == "ehlo"
    notes = report["notes"]
    assert list(notes) == ["AUTH", "SIZE", "8BITMIME", "SMTPUTF8"]
    assert notes["AUTH"]["present"] and "PLAIN" in notes["AUTH"]["value"].split()
    assert notes["SIZE"]["value"] == "33554432" and "32 MB" in notes["SIZE"]["meaning"]  # aiosmtpd's default
    offered = {c.split()[0] for c in report["offered"]}
    for name, note in notes.items():
        assert note["present"] == (name in offered), name
