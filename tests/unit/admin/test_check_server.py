"""govmail-admin check-server against scripted servers: exit codes, JSON, no connection when refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govmail_desktop.admin import check_server as check_server_module
from govmail_desktop.admin.check_server import (
    PinnedResolver,
    ResolveError,
    check_server,
    checked_ports,
    parse_resolve,
    resolve_table,
)
from govmail_desktop.admin.cli import main
from govmail_desktop.i18n import set_language
from govmail_desktop.net import failures
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.policy import api
from tests.servers.fake_base import SilentListener
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import ABROAD_IP, TEST_POLICY_FILE, THAI_IP, abroad_policy_file, loopback_policy
from tests.servers.fake_smtp import FakeSmtpServer


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


def run_json(capsys, *args: str, policy: Path = TEST_POLICY_FILE) -> tuple[int, dict]:
    code = main(["--lang", "en", "check-server", *args, "--policy", str(policy), "--json"])
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


def test_foreign_address_refuses_the_host_and_no_address_is_contacted(capsys, planted_countries, tmp_path):
    """127.0.0.3 is registered to Thailand and 127.0.0.2 to the US (planted_countries)."""
    policy = abroad_policy_file(tmp_path)
    with SilentListener(THAI_IP) as thai, SilentListener(ABROAD_IP, thai.port) as abroad:
        code, out = run_json(capsys, "mail.go.th", "--port", str(thai.port),
                             "--resolve", f"mail.go.th:{THAI_IP},{ABROAD_IP}", policy=policy)
        assert not thai.connection_attempted() and not abroad.connection_attempted()
    assert code == 1 and out["reason_code"] == api.ADDRESS_NOT_THAILAND
    verdicts = {a["ip"]: (a["allowed"], a["reason"], a["code"]) for a in out["attempts"][0]["addresses"]}
    assert verdicts == {THAI_IP: (True, "TH", None), ABROAD_IP: (False, "", api.ADDRESS_NOT_THAILAND)}


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
        (["mail.go.th:[::1]"], {"mail.go.th": ["::1"]}),
        (["mail.go.th:::1"], {"mail.go.th": ["::1"]}),
        (["mail.go.th:993:::1"], {"mail.go.th": ["::1"]}),
        (["mail.go.th:fe80::1"], {"mail.go.th": ["fe80::1"]}),  # "fe80" is no port
        (["mail.go.th:2001:db8:0:0:0:0:0:1"], {"mail.go.th": ["2001:db8::1"]}),  # 7 groups are no address
        (["mail.go.th:[2600:2001:c00::1]"], {"mail.go.th": ["2600:2001:c00::1"]}),
        (["mail.go.th:993:[2600:2001:c00::1]"], {"mail.go.th": ["2600:2001:c00::1"]}),
        (["mail.go.th:[2001:db8::1],10.0.0.1"], {"mail.go.th": ["2001:db8::1", "10.0.0.1"]}),
        (["mail.go.th:10.0.0.1,10.0.0.2", "mail.go.th:10.0.0.3"],
         {"mail.go.th": ["10.0.0.1", "10.0.0.2", "10.0.0.3"]}),
        (["ｍａｉｌ.go.th:10.0.0.1", "MAIL.GO.TH.:10.0.0.2"], {"mail.go.th": ["10.0.0.1", "10.0.0.2"]}),
    ],
)
def test_resolve_forms(value, expected):
    assert resolve_table(value, "mail.go.th", (993,)) == expected


def test_resolve_table_keys_match_the_name_the_policy_checks(monkeypatch):
    def no_dns(host, port):
        raise AssertionError(f"DNS asked for {host}")

    monkeypatch.setattr(check_server_module, "system_resolver", no_dns)
    resolver = PinnedResolver(resolve_table(["ｍａｉｌ.go.th:10.0.0.1"], "ｍａｉｌ.go.th", (993,)))
    assert resolver("mail.go.th", 993) == ["10.0.0.1"]
    assert resolver("MAIL.go.th.", 993) == ["10.0.0.1"]


@pytest.mark.parametrize("value", ["mail.go.th", "mail.go.th:nothing", ":10.0.0.1"])
def test_bad_resolve_values_are_rejected(value):
    with pytest.raises(ResolveError):
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


# -- --resolve: parsed without guessing, for the server checked -----------------------------

@pytest.mark.parametrize(
    "value",
    [
        "mail.go.th:2600:2001:c00::1",  # read as port 2600 + 2001:c00::1 before: the wrong address was checked
        "mail.go.th:2001:db8::1",  # port 2001 + db8::1, or the address 2001:db8::1
        "mail.go.th:2001:db8::1,10.0.0.1",
    ],
)
def test_resolve_with_a_leading_all_digit_ipv6_group_is_ambiguous(value):
    with pytest.raises(ValueError, match="brackets"):
        parse_resolve([value])


def test_ambiguous_resolve_exits_2_asking_for_brackets(capsys):
    code = main(["--lang", "en", "check-server", "mail.go.th", "--policy", str(TEST_POLICY_FILE),
                 "--resolve", "mail.go.th:2001:db8::1"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "mail.go.th:[2001:db8::1]" in err and "mail.go.th:2001:[db8::1]" in err


@pytest.mark.parametrize(
    "value",
    [
        "bad_host:10.0.0.1",  # not a host name
        "10.0.0.9:10.0.0.1",  # an address, not a name
        "h:[10.0.0.1]",  # brackets are for IPv6 only
        "h:[::1",
        "h:::1]",
        "h:10.0.0.1,",
        "h:0:10.0.0.1",  # port 0
        "h:65536:10.0.0.1",
        "h:993:",
    ],
)
def test_malformed_resolve_values_are_rejected(value):
    with pytest.raises(ValueError):
        parse_resolve([value])


def test_resolve_host_is_normalised_like_the_policy(capsys):
    """A full-width spelling names the same host: its address is used (it was ignored, and DNS asked)."""
    with SilentListener("127.0.0.2") as listener:
        code, out = run_json(capsys, "localhost", "--port", str(listener.port), "--timeout", "0.5",
                             "--resolve", "ｌｏｃａｌｈｏｓｔ:127.0.0.2")
        assert listener.connection_attempted()
    assert [a["ip"] for a in out["attempts"][0]["addresses"]] == ["127.0.0.2"]
    assert code == 2 and out["reason_code"] == failures.TIMEOUT


def test_resolve_for_another_host_is_an_error(capsys):
    with SilentListener("127.0.0.2") as listener:
        code = main(["--lang", "en", "check-server", "localhost", "--port", str(listener.port), "--timeout", "0.5",
                     "--policy", str(TEST_POLICY_FILE), "--resolve", "other.example:127.0.0.2"])
        assert not listener.connection_attempted()
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "other.example" in err and "localhost" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (["--port", "{port}"], "localhost:993:127.0.0.2"),
        (["--smtp"], "localhost:993:127.0.0.2"),  # probing 465, 587, 25
        ([], "localhost:143:127.0.0.2"),  # IMAP default: 993
    ],
)
def test_resolve_for_another_port_is_an_error(capsys, args, value):
    with SilentListener("127.0.0.2") as listener:
        args = [a.format(port=listener.port) for a in args]
        code = main(["--lang", "en", "check-server", "localhost", *args, "--timeout", "0.5",
                     "--policy", str(TEST_POLICY_FILE), "--resolve", value])
        assert not listener.connection_attempted()
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "port" in err and len(err.strip().splitlines()) == 1


def test_resolve_port_may_be_any_port_the_check_connects_to():
    assert checked_ports(None, False) == (993,) and checked_ports(None, True) == (465, 587, 25)
    assert checked_ports(10993, True) == (10993,)
    table = resolve_table(["mail.go.th:587:10.0.0.1", "mail.go.th:25:[2001:db8::1]"], "mail.go.th",
                          checked_ports(None, True))
    assert table == {"mail.go.th": ["10.0.0.1", "2001:db8::1"]}


@pytest.mark.parametrize(
    ("value", "thai"),
    [
        ("mail.go.th:2001:db8::1", "วงเล็บเหลี่ยม"),
        ("other.go.th:10.0.0.1", "เซิร์ฟเวอร์ที่ตรวจคือ mail.go.th"),
        ("mail.go.th:25:10.0.0.1", "พอร์ต 25"),
        ("mail.go.th:nothing", "ไม่ถูกต้อง"),
    ],
)
def test_resolve_errors_are_one_thai_line(capsys, value, thai):
    code = main(["--lang", "th", "check-server", "mail.go.th", "--resolve", value])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert thai in err and len(err.strip().splitlines()) == 1
