"""Second, end-to-end proofs of two guarantees each held by a single unit test before:

- the policy's TLS minimum is in the TLS context *before* the handshake: the ClientHello
  the app sends (seen on the wire by a listener that records it) offers no version below
  the minimum — a check made only after the handshake would let this through;
- deny wins over allow, through ``govmail-admin check-server`` (in-process and the
  installed command) and through real connection attempts: a name on both lists is
  refused before it is resolved and no connection is made, while the same set-up with a
  name only on the allowlist does reach the server (the control).
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from typing import Self

import pytest

from govmail_desktop.admin.check_server import check_server
from govmail_desktop.admin.cli import main
from govmail_desktop.core.errors import GovMailError, NetworkError, PolicyRefused, TlsError
from govmail_desktop.i18n import set_language
from govmail_desktop.net import failures
from govmail_desktop.net.account_check import verify_account
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.smtp_session import SmtpSession
from govmail_desktop.policy import api
from govmail_desktop.policy.sources import load_policy_file
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import TEST_POLICY_FILE, RecordingResolver, loopback_policy, loopback_policy_overrides

TLS12, TLS13 = 0x0303, 0x0304
SUPPORTED_VERSIONS = 0x002B  # the TLS extension listing the versions a client offers


# -- the ClientHello on the wire ----------------------------------------------------------

class HelloRecorder:
    """A loopback listener that keeps the first TLS record of each connection, then hangs up."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)  # to notice close() between connections
        self._stop = threading.Event()
        self.port = self._sock.getsockname()[1]
        self.hellos: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                try:
                    while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], "big"):
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                self.hellos.append(data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def offered_versions(record: bytes) -> list[int]:
    """The TLS versions a ClientHello offers (its supported_versions extension)."""
    assert record[:1] == b"\x16", "not a TLS handshake record"
    body = record[5:5 + int.from_bytes(record[3:5], "big")]
    assert body[:1] == b"\x01", "not a ClientHello"
    legacy = int.from_bytes(body[4:6], "big")
    pos = 4 + 2 + 32
    pos += 1 + body[pos]  # session id
    pos += 2 + int.from_bytes(body[pos:pos + 2], "big")  # cipher suites
    pos += 1 + body[pos]  # compression methods
    end = pos + 2 + int.from_bytes(body[pos:pos + 2], "big")
    pos += 2
    while pos < end:
        kind = int.from_bytes(body[pos:pos + 2], "big")
        size = int.from_bytes(body[pos + 2:pos + 4], "big")
        data = body[pos + 4:pos + 4 + size]
        if kind == SUPPORTED_VERSIONS:
            return [int.from_bytes(data[1 + i:3 + i], "big") for i in range(0, data[0], 2)]
        pos += 4 + size
    return [legacy]  # a client without the extension offers only its legacy version


def test_the_hello_parser_reads_what_python_offers():
    """Control for the parser: a plain client context offers what its minimum says."""
    for minimum, expected in ((ssl.TLSVersion.TLSv1_2, [TLS13, TLS12]), (ssl.TLSVersion.TLSv1_3, [TLS13])):
        ctx = ssl.create_default_context()
        ctx.minimum_version = minimum
        with HelloRecorder() as recorder, socket.create_connection(("127.0.0.1", recorder.port), timeout=5) as raw:
            with pytest.raises(ssl.SSLZeroReturnError):  # the recorder hangs up after the hello
                ctx.wrap_socket(raw, server_hostname="localhost")
        assert [offered_versions(h) for h in recorder.hellos] == [expected]


def _imap(endpoint, policy):
    ImapSession.connect(endpoint, policy, resolver=LOCAL, timeout=5).close()


def _smtp(endpoint, policy):
    SmtpSession.connect(endpoint, policy, resolver=LOCAL, timeout=5).close()


def _verify(endpoint, policy):
    verify_account(endpoint, [], "alice", "secret", policy, resolver=LOCAL, timeout=5)


LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})


@pytest.mark.parametrize(("minimum", "offered"), [("1.2", [TLS13, TLS12]), ("1.3", [TLS13])])
@pytest.mark.parametrize("connect", [_imap, _smtp, _verify], ids=["imap", "smtp", "setup-check"])
def test_the_tls_minimum_is_in_the_client_hello(certs, connect, minimum, offered):
    policy = loopback_policy(ca_file=certs.ca_file, min_version=minimum)
    with HelloRecorder() as recorder, pytest.raises(GovMailError) as info:
        connect(Endpoint("localhost", recorder.port, "tls"), policy)
    # The recorder hung up during the handshake: the connection closed, not a policy refusal.
    assert (type(info.value), info.value.code) == (NetworkError, failures.CONNECTION_CLOSED)
    assert [offered_versions(h) for h in recorder.hellos] == [offered]


@pytest.mark.parametrize(("minimum", "offered"), [("1.2", [TLS13, TLS12]), ("1.3", [TLS13])])
def test_check_server_offers_no_version_below_the_minimum(certs, minimum, offered):
    policy = loopback_policy(ca_file=certs.ca_file, min_version=minimum)
    with HelloRecorder() as recorder:
        result = check_server("localhost", policy, policy_source="test", port=recorder.port, security="tls",
                              resolver=LOCAL, timeout=5)
    assert result.exit_code == 2 and result.final_error.code == failures.CONNECTION_CLOSED
    assert [offered_versions(h) for h in recorder.hellos] == [offered]


# -- deny wins over allow ---------------------------------------------------------------------

DENIED = "mail.agency.go.th"  # on the allowlist AND on the denylist
SIBLING = "imap.agency.go.th"  # allowed by the same domain rule, not denied: the control
CONFLICT = {"servers": {"allow": ["localhost", DENIED, ".agency.go.th"], "deny": [DENIED]}}


@pytest.fixture
def conflict_policy_file(tmp_path, certs) -> Path:
    data = json.loads(TEST_POLICY_FILE.read_text(encoding="utf-8"))
    data.update(CONFLICT)
    data["tls"] = loopback_policy_overrides(ca_file=certs.ca_file)["tls"]
    path = tmp_path / "deny-and-allow.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def conflict_policy(conflict_policy_file):
    effective = load_policy_file(conflict_policy_file)
    assert effective.error is None, effective.error
    return effective.server_policy()


@pytest.fixture
def imap_server(certs):
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        yield server


def _resolver(events):
    return RecordingResolver(StaticResolver({DENIED: ["127.0.0.1"], SIBLING: ["127.0.0.1"]}), events)


@pytest.mark.parametrize(
    "attempt",
    [
        lambda ep, policy, resolver: ImapSession.connect(ep, policy, resolver=resolver, timeout=5),
        lambda ep, policy, resolver: SmtpSession.connect(ep, policy, resolver=resolver, timeout=5),
        lambda ep, policy, resolver: verify_account(ep, [ep], "alice", "secret", policy, resolver=resolver,
                                                    timeout=5),
    ],
    ids=["imap", "smtp", "setup-check"],
)
def test_deny_wins_over_allow_in_a_real_connection_attempt(conflict_policy, imap_server, attempt):
    events: list[tuple[str, ...]] = []
    with pytest.raises(PolicyRefused) as info:
        attempt(Endpoint(DENIED, imap_server.port, "tls"), conflict_policy, _resolver(events))
    assert info.value.code == api.HOST_DENIED and DENIED in info.value.user_text("en")
    assert events == []  # refused by name: not even resolved
    assert imap_server.received.connections == 0


def test_the_same_policy_lets_an_allowed_sibling_through(conflict_policy, imap_server):
    """Control: the set-up above does reach the server for a name that is only allowed."""
    events: list[tuple[str, ...]] = []
    with pytest.raises(TlsError) as info:
        ImapSession.connect(Endpoint(SIBLING, imap_server.port, "tls"), conflict_policy, resolver=_resolver(events),
                            timeout=5)
    assert info.value.code == api.CERT_HOSTNAME  # the test certificate names localhost: connected, then refused
    assert events == [("resolve", SIBLING)]
    assert imap_server.received.connections == 1


@pytest.fixture
def english():
    yield
    set_language("th")


def test_deny_wins_over_allow_in_check_server(capsys, conflict_policy_file, imap_server, english):
    def run(host: str) -> tuple[int, dict]:
        code = main(["--lang", "en", "check-server", host, "--port", str(imap_server.port), "--security", "tls",
                     "--resolve", f"{host}:127.0.0.1", "--policy", str(conflict_policy_file), "--json"])
        return code, json.loads(capsys.readouterr().out)

    code, out = run(DENIED)
    assert code == 1 and out["verdict"] == "refused" and out["reason_code"] == api.HOST_DENIED
    assert out["attempts"][0]["addresses"] == [] and out["attempts"][0]["connected_ip"] is None
    assert imap_server.received.connections == 0
    # Control: the sibling only on the allowlist is checked for real (and its certificate judged).
    code, out = run(SIBLING)
    assert code == 1 and out["reason_code"] == api.CERT_HOSTNAME
    assert out["attempts"][0]["connected_ip"] == "127.0.0.1"
    assert imap_server.received.connections == 1


def test_deny_wins_over_allow_in_the_installed_check_server(conflict_policy_file, imap_server):
    script = Path(sys.executable).with_name("govmail-admin")
    proc = subprocess.run(
        [str(script), "--lang", "en", "check-server", DENIED, "--port", str(imap_server.port), "--security", "tls",
         "--resolve", f"{DENIED}:127.0.0.1", "--policy", str(conflict_policy_file), "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    out = json.loads(proc.stdout)
    assert proc.returncode == 1 and out["reason_code"] == api.HOST_DENIED, proc.stderr
    assert out["attempts"][0]["addresses"] == []
    assert imap_server.received.connections == 0
