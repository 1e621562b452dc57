"""check-server shows what the server's capabilities mean for the app.

Scripted servers on loopback behind the trustme TLS certificate: a Zimbra
(mail.go.th) capability list, a server that lists more after login (as Dovecot
and Cyrus do), a bare IMAP4rev1 server, an SMTP server with SIZE and SMTPUTF8.
Capabilities never change the exit code; a login happens only with --user.
"""

from __future__ import annotations

import io
import json

import pytest

from govmail_desktop.admin.cli import main
from govmail_desktop.i18n import set_language
from govmail_desktop.net import failures
from tests.servers.fake_base import SilentListener
from tests.servers.fake_capabilities import ZIMBRA_CAPABILITIES, CapabilityImapServer
from tests.servers.fake_net import TEST_POLICY_FILE
from tests.servers.fake_smtp import FakeSmtpServer

PASSWORD = "Alice2569pass"
BEFORE_LOGIN = ["IMAP4rev1", "SASL-IR", "ID", "ENABLE", "IDLE", "LITERAL+", "AUTH=PLAIN"]
AFTER_LOGIN = [*BEFORE_LOGIN[:-1], "SPECIAL-USE", "QRESYNC", "CONDSTORE", "MOVE", "UIDPLUS", "ESEARCH", "LIST-STATUS"]


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


def check(capsys, port: int, *args: str, lang: str = "en", json_out: bool = True, ca_file=None):
    argv = ["--lang", lang, "check-server", "localhost", "--port", str(port), "--resolve", "localhost:127.0.0.1",
            "--policy", str(TEST_POLICY_FILE), *args]
    if ca_file is not None:
        argv += ["--ca-file", str(ca_file)]
    if json_out:
        argv.append("--json")
    code = main(argv)
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if json_out else captured.out), captured.err


def with_stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


# -- a Zimbra-like server (mail.go.th) ----------------------------------------------------------

def test_zimbra_like_server_json_says_what_each_capability_means(certs, capsys):
    with CapabilityImapServer(certs.server, ZIMBRA_CAPABILITIES) as server:
        code, out, _ = check(capsys, server.port, ca_file=certs.ca_file)
        assert server.logins == []  # no --user: no credentials
    assert code == 0 and out["verdict"] == "allowed" and out["login"] is None
    report = out["capabilities"]
    assert report["stage"] == "before-login"
    assert "XLIST" in report["offered"]
    notes = report["notes"]
    assert {name: note["present"] for name, note in notes.items()} == {
        "SPECIAL-USE": False, "XLIST": True, "CREATE-SPECIAL-USE": False, "QRESYNC": True, "CONDSTORE": True,
        "IDLE": True, "MOVE": False, "UIDPLUS": True, "LIST-STATUS": True, "ESEARCH": True,
    }
    assert "XLIST" in notes["SPECIAL-USE"]["meaning"] and "well-known names" in notes["SPECIAL-USE"]["meaning"]
    assert "UID EXPUNGE" in notes["MOVE"]["meaning"] and "copies" in notes["MOVE"]["meaning"]
    assert notes["QRESYNC"]["meaning"].startswith("Quick resync")


def test_zimbra_like_server_text_in_english_and_thai(certs, capsys):
    with CapabilityImapServer(certs.server, ZIMBRA_CAPABILITIES) as server:
        code, english, _ = check(capsys, server.port, ca_file=certs.ca_file, json_out=False)
        thai_code, thai, _ = check(capsys, server.port, ca_file=certs.ca_file, json_out=False, lang="th")
    assert code == thai_code == 0
    lines = english.splitlines()
    assert "What the capabilities advertised before login mean for the app (+ offered, - not advertised):" in lines
    assert any(line.startswith("  - SPECIAL-USE: Not offered: special folders come from XLIST") for line in lines)
    assert any(line.startswith("  + XLIST: ") for line in lines)
    assert any(line.startswith("  - MOVE: ") for line in lines)
    assert any("--user NAME" in line for line in lines)
    # the section comes before the verdict, the verdict stays last
    assert english.index("+ XLIST") < english.index("Verdict: ALLOWED")
    assert "  - SPECIAL-USE: " in thai and "XLIST" in thai and "สรุป: อนุญาต" in thai
    thai_lines = [line for line in thai.splitlines() if line.startswith(("  + ", "  - "))]
    assert len(thai_lines) == 10 and all(any("\u0e00" <= ch <= "\u0e7f" for ch in line) for line in thai_lines)


def test_a_bare_imap4rev1_server_is_still_allowed(certs, capsys):
    with CapabilityImapServer(certs.server, ["IMAP4rev1", "AUTH=PLAIN"]) as server:
        code, out, _ = check(capsys, server.port, ca_file=certs.ca_file)
    assert code == 0 and out["verdict"] == "allowed"
    notes = out["capabilities"]["notes"]
    assert not any(note["present"] for note in notes.values())
    assert "every 60 seconds" in notes["IDLE"]["meaning"] and "sync.check_minutes" in notes["IDLE"]["meaning"]
    assert "slower on big folders" in notes["CONDSTORE"]["meaning"]


# -- --user: the capabilities after login --------------------------------------------------------

def test_user_logs_in_and_shows_the_capabilities_after_login(certs, capsys, monkeypatch):
    with_stdin(monkeypatch, PASSWORD + "\n")
    with CapabilityImapServer(certs.server, BEFORE_LOGIN, AFTER_LOGIN) as server:
        code, out, _ = check(capsys, server.port, "--user", "alice", ca_file=certs.ca_file)
        assert server.logins == [("alice", True)]
        assert server.received.saw(PASSWORD) and not server.received.plaintext  # over TLS only
    assert code == 0 and out["login"] == {"user": "alice", "ok": True, "error": None}
    report = out["capabilities"]
    assert report["stage"] == "after-login" and report["offered"] == [c.upper() for c in AFTER_LOGIN]
    assert out["attempts"][0]["capabilities"] == [c.upper() for c in BEFORE_LOGIN]
    notes = report["notes"]
    for name in ("SPECIAL-USE", "QRESYNC", "IDLE", "MOVE"):
        assert notes[name]["present"], name
    assert PASSWORD not in json.dumps(out)


def test_user_text_output_shows_the_login_and_no_password(certs, capsys, monkeypatch):
    with_stdin(monkeypatch, PASSWORD + "\n")
    with CapabilityImapServer(certs.server, BEFORE_LOGIN, AFTER_LOGIN) as server:
        code, text, err = check(capsys, server.port, "--user", "alice", ca_file=certs.ca_file, json_out=False)
    assert code == 0
    assert "Login as alice: accepted" in text and "Capabilities after login: " in text
    assert "What the server's capabilities mean for the app (+ offered, - not offered):" in text
    assert "  + SPECIAL-USE: " in text and "  + MOVE: " in text and "--user NAME" not in text
    assert PASSWORD not in text + err


def test_failed_login_is_reported_and_keeps_the_exit_code(certs, capsys, monkeypatch):
    with_stdin(monkeypatch, "wrong-password\n")
    with CapabilityImapServer(certs.server, BEFORE_LOGIN, AFTER_LOGIN) as server:
        code, out, _ = check(capsys, server.port, "--user", "alice", ca_file=certs.ca_file)
        assert server.logins == [("alice", False)]
    assert code == 0 and out["verdict"] == "allowed"
    assert out["login"]["ok"] is False and out["login"]["error"]["code"] == failures.AUTH_FAILED
    assert out["capabilities"]["stage"] == "before-login"
    assert out["capabilities"]["notes"]["SPECIAL-USE"]["present"] is False
    assert "wrong-password" not in json.dumps(out)


def test_failed_login_text(certs, capsys, monkeypatch):
    with_stdin(monkeypatch, "wrong-password\n")
    with CapabilityImapServer(certs.server, BEFORE_LOGIN, AFTER_LOGIN) as server:
        code, text, _ = check(capsys, server.port, "--user", "alice", ca_file=certs.ca_file, json_out=False)
    assert code == 0 and "Login as alice: failed (auth): " in text
    assert "advertised before login" in text and "wrong-password" not in text


def test_user_is_refused_for_smtp_before_connecting(capsys, monkeypatch):
    with_stdin(monkeypatch, PASSWORD + "\n")
    with SilentListener("127.0.0.1") as listener:
        code, out, err = check(capsys, listener.port, "--smtp", "--user", "alice", json_out=False)
        assert not listener.connection_attempted()
    assert code == 2 and out == "" and "--user" in err and len(err.strip().splitlines()) == 1


def test_user_without_a_password_is_refused_before_connecting(capsys, monkeypatch):
    with_stdin(monkeypatch, "")
    with SilentListener("127.0.0.1") as listener:
        code, out, err = check(capsys, listener.port, "--user", "alice", json_out=False, lang="th")
        assert not listener.connection_attempted()
    assert code == 2 and out == "" and "alice" in err and "รหัสผ่าน" in err


def test_password_is_asked_on_a_terminal_without_echo(certs, capsys, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    asked = []

    def fake_getpass(prompt):
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setattr("sys.stdin", Terminal(""))
    monkeypatch.setattr("govmail_desktop.admin.check_server.getpass.getpass", fake_getpass)
    with CapabilityImapServer(certs.server, BEFORE_LOGIN, AFTER_LOGIN) as server:
        code, out, _ = check(capsys, server.port, "--user", "alice", ca_file=certs.ca_file)
    assert code == 0 and out["login"]["ok"] and asked == ["Password for alice: "]


# -- no capability section where the app would not connect -------------------------------------

def test_refused_server_has_no_capability_section_and_no_login(certs, capsys, monkeypatch):
    with_stdin(monkeypatch, PASSWORD + "\n")
    with CapabilityImapServer(certs.server, ZIMBRA_CAPABILITIES) as server:
        code, out, _ = check(capsys, server.port, "--user", "alice")  # the test CA is not trusted
        assert server.logins == [] and not server.received.saw(PASSWORD)
    assert code == 1 and out["capabilities"] is None and out["login"] is None


# -- SMTP ---------------------------------------------------------------------------------------

class SizedSmtpServer(FakeSmtpServer):
    """The scripted SMTP server, announcing a 25 MB limit and SMTPUTF8."""

    def _ehlo(self, tls: bool) -> bytes:
        return super()._ehlo(tls).replace(b"250-8BITMIME", b"250-8BITMIME\r\n250-SIZE 26214400\r\n250-SMTPUTF8")


def test_smtp_capabilities_size_limit_and_sign_in(certs, capsys):
    with SizedSmtpServer("ok", certs.server) as server:
        code, out, _ = check(capsys, server.port, "--smtp", ca_file=certs.ca_file)
        text_code, text, _ = check(capsys, server.port, "--smtp", ca_file=certs.ca_file, json_out=False)
    assert code == text_code == 0
    report = out["capabilities"]
    assert report["stage"] == "ehlo"
    notes = report["notes"]
    assert notes["SIZE"] == {"present": True, "value": "26214400", "meaning": notes["SIZE"]["meaning"]}
    assert "25 MB" in notes["SIZE"]["meaning"]
    assert notes["AUTH"]["value"] == "PLAIN" and "Thai characters" in notes["AUTH"]["meaning"]
    assert notes["8BITMIME"]["present"] and notes["SMTPUTF8"]["present"]
    assert "  + SIZE 26214400: The server refuses messages larger than 25 MB" in text
    assert "  + AUTH PLAIN: " in text


def test_smtp_without_size_or_smtputf8(certs, capsys):
    with FakeSmtpServer("ok", certs.server) as server:
        code, out, _ = check(capsys, server.port, "--smtp", ca_file=certs.ca_file)
    assert code == 0
    notes = out["capabilities"]["notes"]
    assert not notes["SIZE"]["present"] and not notes["SMTPUTF8"]["present"] and notes["8BITMIME"]["present"]
