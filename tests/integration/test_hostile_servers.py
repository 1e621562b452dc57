"""Hostile servers behind verified TLS on loopback: every read is bounded.

A server the policy allows is still untrusted. Each case floods one read path of the
app's real code (policy → TLS → imaplib / our IMAP reader / smtplib) and checks:

* the reported error is exactly ``ServerError`` with code ``server-too-much-data``
  ("the server sent more than a mail server would") — never a wrong password
  (AuthError), a policy refusal, a protocol error or an escaped MemoryError;
* the connection ends early: the server could send only a little of its flood;
* loose bounds the issue asks for: peak RSS growth under 100 MB and an elapsed
  time far above what a bounded read needs (each case takes well under a second).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import time
from pathlib import Path

import pytest

from govmail_desktop.admin.cli import main as admin_main
from govmail_desktop.core.errors import ServerError
from govmail_desktop.net import failures
from govmail_desktop.net.account_check import verify_account
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.smtp_session import SmtpSession
from tests.servers.fake_hostile import Flood, HostileImapServer, HostileSmtpServer
from tests.servers.fake_net import TEST_POLICY_FILE, loopback_policy

pytestmark = [pytest.mark.integration, pytest.mark.linux_only]  # peak RSS from /proc/self

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})
MB = 1024 * 1024
#: Loose bounds: a bounded read stays far below both.
MAX_RSS_GROWTH = 100 * MB
MAX_SECONDS = 20.0
#: The flood the server managed to send before the client hung up (socket buffers included).
MAX_SENT = 40 * MB
#: Line floods: enough to show unbounded growth on the old code without exhausting the machine.
LINE_FLOOD_CAP = 48 * MB


def _peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


@contextlib.contextmanager
def bounded(server):
    """Peak RSS growth (Linux: the high-water mark reset through clear_refs) and time."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pytest.skip("needs /proc/self/clear_refs to reset the peak RSS")
    before = _peak_rss_kb()
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    growth = (_peak_rss_kb() - before) * 1024
    assert growth < MAX_RSS_GROWTH, f"peak RSS grew by {growth / MB:.0f} MB"
    assert elapsed < MAX_SECONDS, f"took {elapsed:.1f} s"
    assert server.sent < MAX_SENT, f"the server sent {server.sent / MB:.0f} MB before the client hung up"


@pytest.fixture
def policy(certs):
    return loopback_policy(ca_file=certs.ca_file)


def _imap(server, policy) -> ImapSession:
    return ImapSession.connect(Endpoint("localhost", server.port, "tls"), policy, resolver=LOCAL, timeout=5)


def _logged_in_wire(server, policy):
    session = _imap(server, policy)
    session.login("alice", "secret")
    return wire_from_session(session, timeout=5)


def _assert_too_much(exc: BaseException) -> None:
    assert type(exc) is ServerError, repr(exc)
    assert exc.code == failures.TOO_MUCH_DATA
    assert "sent more data than a mail server would" in exc.user_text("en")


# -- IMAP: connect and login (imaplib reads) ------------------------------------------------


def test_capability_literal_of_99999999999999_bytes_is_refused_not_a_memory_error(certs, policy):
    flood = Flood(head=b"* CAPABILITY {99999999999999}\r\n", unit=b"x" * 1024)
    with HostileImapServer(certs.server, attack_at="CAPABILITY", flood=flood) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            _imap(server, policy)
    _assert_too_much(info.value)


def test_capability_literal_of_999999999_bytes_is_refused_before_it_is_read(certs, policy):
    flood = Flood(head=b"* CAPABILITY {999999999}\r\n", unit=b"x" * 65536)
    with HostileImapServer(certs.server, attack_at="CAPABILITY", flood=flood) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            _imap(server, policy)
    _assert_too_much(info.value)


def test_flood_of_untagged_lines_while_connecting_is_refused(certs, policy):
    flood = Flood(unit=b"* OK still starting\r\n")
    with HostileImapServer(certs.server, attack_at="CAPABILITY", flood=flood, cap=LINE_FLOOD_CAP) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            _imap(server, policy)
    _assert_too_much(info.value)


def test_endless_line_while_connecting_is_too_much_data(certs, policy):
    flood = Flood(head=b"* CAPABILITY IMAP4rev1 ", unit=b"X" * 65536)
    with HostileImapServer(certs.server, attack_at="CAPABILITY", flood=flood) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            _imap(server, policy)
    _assert_too_much(info.value)


def test_flood_during_login_is_a_server_error_not_a_wrong_password(certs, policy):
    flood = Flood(unit=b"* OK still checking your password\r\n")
    with HostileImapServer(certs.server, attack_at="LOGIN", flood=flood, cap=LINE_FLOOD_CAP) as server:
        session = _imap(server, policy)
        with bounded(server), pytest.raises(ServerError) as info:
            session.login("alice", "secret")
        session.logout()  # the connection is already closed: nothing to wait for
    _assert_too_much(info.value)
    assert "password" not in info.value.message.text("en")


def test_setup_wizard_check_reports_a_login_flood_as_the_servers_fault(certs, policy):
    """What the wizard shows: the server's fault, not "the password is incorrect"."""
    flood = Flood(unit=b"* OK still checking your password\r\n")
    with HostileImapServer(certs.server, attack_at="LOGIN", flood=flood, cap=LINE_FLOOD_CAP) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            verify_account(
                Endpoint("localhost", server.port, "tls"), [], "alice", "secret", policy, resolver=LOCAL, timeout=5
            )
    _assert_too_much(info.value)
    for lang in ("en", "th"):
        assert info.value.user_text(lang) != ""
    assert "incorrect" not in info.value.user_text("en")


# -- IMAP: after login (our own reader) --------------------------------------------------------


def test_unsolicited_fetch_flood_during_noop_is_refused(certs, policy):
    flood = Flood(unit=b"* 1 FETCH (FLAGS (\\Seen))\r\n")
    with HostileImapServer(certs.server, attack_at="NOOP", flood=flood, cap=LINE_FLOOD_CAP) as server:
        wire = _logged_in_wire(server, policy)
        wire.select("INBOX")
        with bounded(server), pytest.raises(ServerError) as info:
            wire.noop()
    _assert_too_much(info.value)
    assert wire.broken


def test_flood_of_changes_while_idle_is_refused(certs, policy):
    flood = Flood(unit=b"* 2 EXPUNGE\r\n")
    with HostileImapServer(certs.server, attack_at="DONE", flood=flood, cap=LINE_FLOOD_CAP) as server:
        wire = _logged_in_wire(server, policy)
        wire.select("INBOX")
        wire.idle_start()
        with bounded(server), pytest.raises(ServerError) as info:
            wire.idle_done()
    _assert_too_much(info.value)


def test_flood_while_waiting_in_idle_is_refused(certs, policy):
    flood = Flood(head=b"+ idling\r\n", unit=b"* 1 FETCH (FLAGS (\\Seen))\r\n")
    with HostileImapServer(certs.server, attack_at="IDLE", flood=flood, cap=LINE_FLOOD_CAP) as server:
        wire = _logged_in_wire(server, policy)
        wire.select("INBOX")
        wire.idle_start()
        with bounded(server), pytest.raises(ServerError) as info:
            wire.idle_wait(5)
    _assert_too_much(info.value)


def test_list_of_millions_of_folders_is_refused(certs, policy):
    flood = Flood(unit=b'* LIST (\\HasNoChildren) "/" "Folder-0123456"\r\n')
    with HostileImapServer(certs.server, attack_at="LIST", flood=flood, cap=LINE_FLOOD_CAP) as server:
        wire = _logged_in_wire(server, policy)
        with bounded(server), pytest.raises(ServerError) as info:
            wire.list_folders()
    _assert_too_much(info.value)


def test_endless_line_after_login_is_too_much_data(certs, policy):
    flood = Flood(head=b"* OK ", unit=b"X" * 65536)
    with HostileImapServer(certs.server, attack_at="NOOP", flood=flood) as server:
        wire = _logged_in_wire(server, policy)
        with bounded(server), pytest.raises(ServerError) as info:
            wire.noop()
    _assert_too_much(info.value)


def test_big_literal_outside_a_fetch_is_refused_before_it_is_read(certs, policy):
    flood = Flood(head=b'* LIST () "/" {200000000}\r\n', unit=b"x" * 65536)
    with HostileImapServer(certs.server, attack_at="LIST", flood=flood) as server:
        wire = _logged_in_wire(server, policy)
        with bounded(server), pytest.raises(ServerError) as info:
            wire.list_folders()
    _assert_too_much(info.value)


# -- SMTP ------------------------------------------------------------------------------------------


def test_endless_multiline_ehlo_reply_over_tls_is_refused(certs, policy):
    flood = Flood(unit=b"250-PIPELINING\r\n")
    with HostileSmtpServer(certs.server, attack_at="EHLO", flood=flood, cap=LINE_FLOOD_CAP) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            SmtpSession.connect(Endpoint("localhost", server.port, "tls"), policy, resolver=LOCAL, timeout=5)
    _assert_too_much(info.value)


def test_over_long_smtp_reply_line_is_too_much_data(certs, policy):
    flood = Flood(head=b"250-", unit=b"X" * 65536)
    with HostileSmtpServer(certs.server, attack_at="EHLO", flood=flood) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            SmtpSession.connect(Endpoint("localhost", server.port, "tls"), policy, resolver=LOCAL, timeout=5)
    _assert_too_much(info.value)


def test_endless_ehlo_reply_before_starttls_is_too_much_data(certs, policy):
    flood = Flood(unit=b"250-PIPELINING\r\n")
    with HostileSmtpServer(
        certs.server, attack_at="EHLO-PLAIN", flood=flood, implicit_tls=False, cap=LINE_FLOOD_CAP
    ) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            SmtpSession.connect(Endpoint("localhost", server.port, "starttls"), policy, resolver=LOCAL, timeout=5)
    _assert_too_much(info.value)


def test_flood_during_smtp_auth_is_a_server_error_not_a_wrong_password(certs, policy):
    flood = Flood(unit=b"334-still thinking\r\n")
    with HostileSmtpServer(certs.server, attack_at="AUTH", flood=flood, cap=LINE_FLOOD_CAP) as server:
        session = SmtpSession.connect(Endpoint("localhost", server.port, "tls"), policy, resolver=LOCAL, timeout=5)
        with bounded(server), pytest.raises(ServerError) as info:
            session.login("alice", "secret")
    _assert_too_much(info.value)


# -- govmail-admin check-server --------------------------------------------------------------------


def test_check_server_reports_a_huge_capability_literal_as_could_not_check(certs, capsys):
    flood = Flood(head=b"* CAPABILITY {99999999999999}\r\n", unit=b"x" * 1024)
    with HostileImapServer(certs.server, attack_at="CAPABILITY", flood=flood) as server:
        with bounded(server):
            code = admin_main([
                "--lang", "en", "check-server", "localhost", "--port", str(server.port),
                "--policy", str(TEST_POLICY_FILE), "--ca-file", str(Path(certs.ca_file)),
                "--resolve", "localhost:127.0.0.1", "--timeout", "5", "--json",
            ])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 2 and out["verdict"] == "not-checked"
    assert out["reason_code"] == failures.TOO_MUCH_DATA and out["reason"]["error"] == "ServerError"
    assert "Traceback" not in captured.err


# -- guard: every read path of the sessions (imaplib, smtplib) faces a flood --------------------------

LINES = Flood(unit=b"* OK flood\r\n")
SMTP_LINES = Flood(unit=b"250-flood\r\n")


def _imap_login(server, policy, password: str = "secret") -> ImapSession:
    session = _imap(server, policy)
    session.login("alice", password)
    return session


def _smtp(server, policy) -> SmtpSession:
    return SmtpSession.connect(Endpoint("localhost", server.port, "tls"), policy, resolver=LOCAL, timeout=5)


def _smtp_send(server, policy) -> None:
    session = _smtp(server, policy)
    session.login("alice", "secret")
    session.transaction(b"Subject: x\r\n\r\nx\r\n", "alice@agency.go.th", ["bob@agency.go.th"])


#: (class, public method) -> (server kind, its options, what to do): each read path in a flood.
SESSION_READ_PATHS = {
    (ImapSession, "connect"): ("imap", {"attack_at": "CAPABILITY", "flood": LINES}, _imap),
    (ImapSession, "capabilities"): (
        "imap", {"attack_at": "CAPABILITY", "skip": 1, "login_capabilities": False, "flood": LINES},
        lambda server, policy: _imap_login(server, policy).capabilities(),
    ),
    (ImapSession, "login"): (
        "imap", {"attack_at": "AUTHENTICATE", "flood": LINES},
        lambda server, policy: _imap_login(server, policy, "รหัสผ่าน"),  # Thai: AUTHENTICATE PLAIN
    ),
    (ImapSession, "logout"): (
        "imap", {"attack_at": "LOGOUT", "flood": LINES}, lambda server, policy: _imap_login(server, policy).logout()
    ),
    (SmtpSession, "connect"): ("smtp", {"attack_at": "GREETING", "flood": Flood(unit=b"220-hello\r\n")}, _smtp),
    (SmtpSession, "login"): (
        "smtp",
        {"attack_at": "AUTH", "flood": SMTP_LINES},
        lambda server, policy: _smtp(server, policy).login("alice", "x"),
    ),
    (SmtpSession, "transaction"): ("smtp", {"attack_at": "MAIL", "flood": SMTP_LINES}, _smtp_send),
    (SmtpSession, "quit"): (
        "smtp", {"attack_at": "QUIT", "flood": SMTP_LINES}, lambda server, policy: _smtp(server, policy).quit()
    ),
}
SESSION_EXEMPT = {
    (ImapSession, "has_capability"): "asks capabilities()",
    (ImapSession, "take_socket"): "reads nothing (hands the socket to net/imap, which has its own guard)",
    (ImapSession, "close"): "reads nothing",
    (SmtpSession, "extensions"): "reads nothing (the EHLO answer already read)",
    (SmtpSession, "auth_mechanisms"): "reads nothing (the EHLO answer already read)",
    (SmtpSession, "offers_auth"): "reads nothing (the EHLO answer already read)",
    (SmtpSession, "size_limit"): "reads nothing (the EHLO answer already read)",
    (SmtpSession, "has_extension"): "reads nothing (the EHLO answer already read)",
    (SmtpSession, "close"): "reads nothing",
    (SmtpSession, "interrupt"): "reads nothing (shuts the socket down from another thread)",
}


def session_methods_unclassified(*classes: type) -> set[tuple[type, str]]:
    """Public methods (keyed by the class defining them) neither flooded nor exempt."""
    public = {
        (next(owner for owner in cls.__mro__ if name in vars(owner)), name)
        for cls in classes
        for name, value in inspect.getmembers(cls)
        if not name.startswith("_") and (callable(value) or isinstance(value, property))
    }
    return public - set(SESSION_READ_PATHS) - set(SESSION_EXEMPT)


def test_every_public_method_of_the_sessions_is_flooded_or_exempt():
    assert session_methods_unclassified(ImapSession, SmtpSession) == set()


def test_session_guard_flags_a_new_method():
    class PlantedSession(SmtpSession):
        def noop(self):
            return self._smtp.noop()

    assert session_methods_unclassified(PlantedSession) == {(PlantedSession, "noop")}


@pytest.mark.parametrize("key", list(SESSION_READ_PATHS), ids=lambda key: f"{key[0].__name__}.{key[1]}")
def test_every_session_read_path_is_bounded(certs, policy, key):
    kind, options, drive = SESSION_READ_PATHS[key]
    server_class = HostileImapServer if kind == "imap" else HostileSmtpServer
    with server_class(certs.server, cap=LINE_FLOOD_CAP, **options) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            drive(server, policy)
    _assert_too_much(info.value)


def test_a_flood_at_logout_never_hides_the_error_that_ended_a_with_block(certs, policy):
    class Ended(Exception):
        pass

    options = {"attack_at": "LOGOUT", "flood": LINES}
    with HostileImapServer(certs.server, cap=LINE_FLOOD_CAP, **options) as server:
        with bounded(server), pytest.raises(Ended):
            with _imap_login(server, policy):
                raise Ended
    with HostileImapServer(certs.server, cap=LINE_FLOOD_CAP, **options) as server:
        with bounded(server), pytest.raises(ServerError) as info:
            with _imap_login(server, policy):
                pass
    _assert_too_much(info.value)
