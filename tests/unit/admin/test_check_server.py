"""govmail-admin check-server against scripted servers: exit codes, JSON, no connection when refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govmail_desktop.admin.check_server import check_server, parse_resolve
from govmail_desktop.admin.cli import main
from govmail_desktop.i18n import set_language
from govmail_desktop.net import failures
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.policy import api
from tests.servers.fake_base import SilentListener
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import TEST_POLICY_FILE, loopback_policy
from tests.servers.fake_smtp import FakeSmtpServer


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["--lang", "en", "check-server", *args, "--policy", str(TEST_POLICY_FILE), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_allowed_server_reports_tls_certificate_and_capabilities(certs, capsys):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        code, out = run_json(capsys, "localhost", "--port", str(server.port), "--ca-file", str(certs.ca_file),
                             "--resolve", "localhost:127.0.0.1")
    assert code == 0 and out["verdict"] == "allowed" and out["reason"] is None
    attempt = out["attempts"][0]
    assert attempt["addresses"] == [
        {"ip": "127.0.0.1", "allowed": True, "reason": "127.0.0.0/8", "code": None, "detail": ""}
    ]
    assert attempt["tls_version"] in ("TLSv1.2", "TLSv1.3")
    assert "DNS:localhost" in attempt["certificate"]["sans"]
    assert "IDLE" in attempt["capabilities"] and "STARTTLS" not in attempt["capabilities"]
    assert out["selected"] == {"host": "localhost", "port": server.port, "security": "tls"}


def test_without_ca_file_the_test_server_is_refused(certs, capsys):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        code, out = run_json(capsys, "localhost", "--port", str(server.port), "--resolve", "localhost:127.0.0.1")
    assert code == 1 and out["reason_code"] == api.CERT_INVALID


def test_denylisted_provider_is_refused_without_connecting(capsys):
    with SilentListener("127.0.0.2") as listener:
        code, out = run_json(capsys, "imap.gmail.com", "--port", str(listener.port),
                             "--resolve", f"imap.gmail.com:{listener.host}")
        assert not listener.connection_attempted()
    assert code == 1 and out["reason_code"] == api.HOST_DENIED
    assert out["attempts"][0]["addresses"] == []  # refused by name: not even resolved


def test_foreign_address_refuses_the_host_and_no_address_is_contacted(capsys):
    with SilentListener("127.0.0.2") as listener:
        code, out = run_json(capsys, "mail.go.th", "--port", str(listener.port),
                             "--resolve", f"mail.go.th:{listener.host},8.8.8.8")
        assert not listener.connection_attempted()
    assert code == 1 and out["reason_code"] == api.ADDRESS_NOT_THAILAND
    verdicts = {a["ip"]: (a["allowed"], a["code"]) for a in out["attempts"][0]["addresses"]}
    assert verdicts == {"127.0.0.2": (True, None), "8.8.8.8": (False, api.ADDRESS_NOT_THAILAND)}


def test_server_without_starttls_is_refused(certs, capsys):
    with FakeImapServer("no-starttls", certs.server) as server:
        code, out = run_json(capsys, "localhost", "--port", str(server.port), "--security", "starttls",
                             "--ca-file", str(certs.ca_file), "--resolve", "localhost:127.0.0.1")
        assert server.logins == []
    assert code == 1 and out["reason_code"] == api.TLS_REQUIRED


def test_closed_port_could_not_be_checked(capsys):
    with SilentListener("127.0.0.1") as closed:
        port = closed.port
    code, out = run_json(capsys, "localhost", "--port", str(port), "--resolve", "localhost:127.0.0.1")
    assert code == 2 and out["verdict"] == "not-checked" and out["reason_code"] == failures.CONNECTION_REFUSED


def test_dns_failure_could_not_be_checked(certs):
    result = check_server("localhost", loopback_policy(), policy_source="test", resolver=StaticResolver({}))
    assert result.exit_code == 2 and result.final_error.code == failures.DNS


def test_smtp_probe_lists_every_attempt(certs, capsys):
    with FakeSmtpServer("no-starttls", certs.server) as plain, FakeSmtpServer("ok", certs.server) as good:
        result = check_server(
            "localhost", loopback_policy(ca_file=certs.ca_file), policy_source="test", smtp=True,
            resolver=StaticResolver({"localhost": ["127.0.0.1"]}), port=plain.port,
        )
        assert result.exit_code == 1 and result.final_error.code == api.TLS_REQUIRED
        code, out = run_json(capsys, "localhost", "--smtp", "--port", str(good.port), "--ca-file",
                             str(certs.ca_file), "--resolve", "localhost:127.0.0.1")
    assert code == 0
    assert "AUTH PLAIN" in out["attempts"][0]["capabilities"]


def test_thai_text_output(certs, capsys):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        code = main(["--lang", "th", "check-server", "localhost", "--port", str(server.port),
                     "--policy", str(TEST_POLICY_FILE), "--ca-file", str(certs.ca_file),
                     "--resolve", "localhost:127.0.0.1"])
    out = capsys.readouterr().out
    assert code == 0
    assert "สรุป: อนุญาต" in out and "ใบรับรอง:" in out and "127.0.0.0/8" in out


def test_english_text_output_for_a_refusal(capsys):
    code = main(["--lang", "en", "check-server", "imap.gmail.com", "--policy", str(TEST_POLICY_FILE)])
    out = capsys.readouterr().out
    assert code == 1
    assert "Verdict: REFUSED (host-denied)." in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["mail.go.th:10.0.0.1"], {"mail.go.th": ["10.0.0.1"]}),
        (["mail.go.th:993:10.0.0.1"], {"mail.go.th": ["10.0.0.1"]}),
        (["h:[::1]"], {"h": ["::1"]}),
        (["h:::1"], {"h": ["::1"]}),
        (["h:10.0.0.1,10.0.0.2", "h:10.0.0.3"], {"h": ["10.0.0.1", "10.0.0.2", "10.0.0.3"]}),
    ],
)
def test_resolve_forms(value, expected):
    assert parse_resolve(value) == expected


@pytest.mark.parametrize("value", ["mail.go.th", "mail.go.th:nothing", ":10.0.0.1"])
def test_bad_resolve_values_are_rejected(value):
    with pytest.raises(ValueError):
        parse_resolve([value])


def test_bad_resolve_exits_2(capsys):
    assert main(["--lang", "en", "check-server", "h", "--resolve", "h:x"]) == 2
    assert "expected HOST:IP" in capsys.readouterr().err


def test_unusable_ca_file_could_not_be_checked(tmp_path: Path, capsys):
    with SilentListener("127.0.0.1") as listener:
        code, out = run_json(capsys, "localhost", "--port", str(listener.port), "--ca-file",
                             str(tmp_path / "missing.pem"), "--resolve", "localhost:127.0.0.1")
        assert not listener.connection_attempted()
    assert code == 2 and out["reason_code"] == "ca-file"
