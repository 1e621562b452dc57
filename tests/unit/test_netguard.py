"""The network guard of the suite (tests/netguard.py) stops every attempt to leave the machine.

Each proof plants a violation — a connection to 198.51.100.7 (TEST-NET-2, a documentation
address; not TEST-NET-1, whose 192.0.2.1 is the gateway of some test machines), the
lookup of a real name — with the guard on, and asserts that it was stopped before the
system call and recorded. Before any real attempt the test first checks that
the guard is on, so a broken guard fails the test instead of letting a packet out.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from dataclasses import dataclass

import pytest

from tests import netguard
from tests.netguard_plugin import SITE_DIR

DOC_ADDRESS = "198.51.100.7"  # TEST-NET-2 (RFC 5737): documentation only


@dataclass
class FakeSocket:
    family: int


INET = FakeSocket(socket.AF_INET)
INET6 = FakeSocket(socket.AF_INET6)
UNIX = FakeSocket(getattr(socket, "AF_UNIX", 1))  # 1 on Linux; Windows has no AF_UNIX


def require_guard_on() -> None:
    """Refuse to make a real attempt unless the guard would stop it."""
    if not (netguard.STATE.installed and netguard.STATE.enabled):
        pytest.fail("the network guard is off: not attempting a real connection", pytrace=False)
    assert netguard.verdict("socket.connect", (INET, (DOC_ADDRESS, 9))) is not None


@pytest.mark.parametrize(
    ("event", "args"),
    [
        ("socket.connect", (INET, ("127.0.0.1", 993))),
        ("socket.connect", (INET, ("127.0.0.2", 993))),
        ("socket.connect", (INET, ("localhost", 993))),
        ("socket.connect", (INET6, ("::1", 993, 0, 0))),
        ("socket.connect", (INET6, ("::ffff:127.0.0.1", 993, 0, 0))),
        pytest.param("socket.connect", (UNIX, "/tmp/dovecot/lmtp"), marks=pytest.mark.linux_only),
        pytest.param("socket.connect", (UNIX, b"\0abstract-dbus"), marks=pytest.mark.linux_only),
        ("socket.bind", (INET, ("127.0.0.1", 0))),
        ("socket.getaddrinfo", ("localhost", 993, 0, 1, 6)),
        ("socket.getaddrinfo", ("127.0.0.1", 993, 0, 1, 6)),
        ("socket.getaddrinfo", (b"::1", 993, 0, 1, 6)),
        ("socket.getaddrinfo", (None, 993, 0, 1, 6)),
        ("socket.gethostbyname", ("localhost",)),
        ("socket.gethostbyaddr", ("127.0.0.1",)),
        ("socket.getnameinfo", (("127.0.0.1", 993),)),
        ("open", ("/etc/hosts", "r", 0)),  # not a socket event
    ],
)
def test_loopback_and_local_sockets_are_allowed(event, args):
    assert netguard.verdict(event, args) is None


@pytest.mark.parametrize(
    ("event", "args", "named"),
    [
        ("socket.connect", (INET, (DOC_ADDRESS, 993)), DOC_ADDRESS),
        ("socket.connect", (INET, ("8.8.8.8", 53)), "8.8.8.8"),
        ("socket.connect", (INET, ("10.0.0.1", 993)), "10.0.0.1"),  # private is still off the machine
        ("socket.connect", (INET, ("imap.mail.go.th", 993)), "imap.mail.go.th"),  # resolved inside connect
        ("socket.connect", (INET6, ("2001:db8::1", 993, 0, 0)), "2001:db8::1"),
        ("socket.connect", (INET6, ("::ffff:198.51.100.7", 993, 0, 0)), "::ffff:198.51.100.7"),
        ("socket.sendto", (FakeSocket(socket.AF_INET), ("198.51.100.53", 53)), "198.51.100.53"),
        ("socket.bind", (INET, ("0.0.0.0", 0)), "0.0.0.0"),  # listening on every interface
        ("socket.bind", (INET, ("", 0)), "''"),
        ("socket.connect", (FakeSocket(socket.AF_PACKET), ("eth0", 0)), "family"),
        ("socket.getaddrinfo", ("mail.go.th", 993, 0, 1, 6), "mail.go.th"),
        ("socket.getaddrinfo", ("example.com", 80, 0, 0, 0), "example.com"),
        ("socket.getaddrinfo", (DOC_ADDRESS, 993, 0, 1, 6), DOC_ADDRESS),
        ("socket.gethostbyname", ("mail.go.th",), "mail.go.th"),
        ("socket.gethostbyname_ex", ("mail.go.th",), "mail.go.th"),
        ("socket.gethostbyaddr", ("my-desk",), "my-desk"),  # what socket.getfqdn() does
        ("socket.getnameinfo", ((DOC_ADDRESS, 993),), DOC_ADDRESS),
    ],
)
def test_the_guard_names_every_way_off_the_machine(event, args, named):
    problem = netguard.verdict(event, args)
    assert problem is not None and named in problem and event in problem


def test_the_guard_is_on_for_the_whole_suite_and_its_subprocesses():
    assert netguard.STATE.installed and netguard.STATE.enabled
    env = netguard.subprocess_environment("/dev/null", str(SITE_DIR))
    assert env[netguard.ENV_SWITCH] == "1" and env["PYTHONPATH"].split(os.pathsep)[0] == str(SITE_DIR)
    assert os.environ[netguard.ENV_SWITCH] == "1"
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(SITE_DIR)
    assert os.environ[netguard.ENV_LOG] == netguard.STATE.log_path


def test_the_hook_consults_the_switch():
    """The hook cannot be removed once added: the switch decides (called directly: no socket)."""
    event = ("socket.connect", (INET, (DOC_ADDRESS, 993)))
    with netguard.expect_violations() as seen:
        netguard.STATE.enabled = False
        try:
            netguard._hook(*event)  # the hook itself, fed a planted event
        finally:
            netguard.STATE.enabled = True
        assert seen == [] and netguard.STATE.pending == []
        with pytest.raises(netguard.NetworkGuardViolation, match=DOC_ADDRESS):
            netguard._hook(*event)
    assert len(seen) == 1 and DOC_ADDRESS in seen[0]


def test_a_connection_to_a_documentation_address_is_stopped_before_the_system_call():
    require_guard_on()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)  # a real connect() would return at once (EINPROGRESS) and take a port
    try:
        with netguard.expect_violations() as seen:
            with pytest.raises(netguard.NetworkGuardViolation, match=DOC_ADDRESS):
                sock.connect((DOC_ADDRESS, 9))
            with pytest.raises(netguard.NetworkGuardViolation):
                sock.connect_ex((DOC_ADDRESS, 9))
        # connect() never ran: the socket has no local port and no peer.
        assert sock.getsockname() == ("0.0.0.0", 0)
        with pytest.raises(OSError):
            sock.getpeername()
    finally:
        sock.close()
    assert len(seen) == 2 and all(f"socket.connect to '{DOC_ADDRESS}' port 9" in v for v in seen)


def test_looking_up_a_real_name_is_stopped():
    require_guard_on()
    with netguard.expect_violations() as seen:
        with pytest.raises(netguard.NetworkGuardViolation):
            socket.getaddrinfo("guard-check.invalid", 993)
        with pytest.raises(netguard.NetworkGuardViolation):
            socket.create_connection(("guard-check.invalid", 993), timeout=1)
        with pytest.raises(netguard.NetworkGuardViolation):
            socket.getfqdn()  # reverse-resolves this machine's name
    assert [v.split(" of ")[0] for v in seen] == [
        "network guard: socket.getaddrinfo",
        "network guard: socket.getaddrinfo",
        "network guard: socket.gethostbyaddr",
    ]


_SWALLOWING_TESTS = """
import socket
import threading


def test_swallows_the_guard_in_the_test():
    sock = socket.socket()
    try:
        sock.connect(("198.51.100.7", 9))
    except Exception:
        pass  # code under test that hides every error
    finally:
        sock.close()


def test_swallows_the_guard_in_a_worker_thread():
    def worker():
        try:
            socket.create_connection(("198.51.100.7", 9), timeout=1)
        except Exception:
            pass
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()


def test_stays_on_loopback():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        socket.create_connection(server.getsockname(), timeout=1).close()
"""


def test_a_test_that_swallows_the_violation_still_fails(pytester):
    require_guard_on()
    pytester.makepyfile(test_inner=_SWALLOWING_TESTS)
    with netguard.expect_violations() as leftover:
        result = pytester.runpytest_inprocess("-p", "tests.netguard_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*_ test_swallows_the_guard_in_the_test _*",
        "the test reached beyond this machine (1 blocked):",
        f"*socket.connect to '{DOC_ADDRESS}' port 9*",
        "*_ test_swallows_the_guard_in_a_worker_thread _*",
        "the test reached beyond this machine (1 blocked):",
        f"*'{DOC_ADDRESS}'*",
    ])
    assert leftover == []  # the inner run took (and reported) every violation


def test_a_python_subprocess_is_guarded_too(tmp_path):
    require_guard_on()
    probe = subprocess.run([sys.executable, "-c", "import sys; print('_govmail_test_netguard' in sys.modules)"],
                           capture_output=True, text=True, timeout=60, check=False)
    assert probe.stdout.strip() == "True", probe.stderr  # else the attempt below would be real
    script = textwrap.dedent("""
        import socket
        try:
            socket.create_connection(("198.51.100.7", 9), timeout=1)
        except Exception as exc:
            print(type(exc).__name__)
    """)
    with netguard.expect_violations() as seen:
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert proc.stdout.strip() == "NetworkGuardViolation"  # swallowed there, reported here
    assert "network guard" in proc.stderr
    assert len(seen) == 1 and "in subprocess" in seen[0] and DOC_ADDRESS in seen[0]
