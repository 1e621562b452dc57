"""The test suite never leaves this machine: a guard on every socket of the test process.

An audit hook (``sys.addaudithook``) sees each ``socket.connect``, ``socket.sendto``,
``socket.bind`` and name lookup (``socket.getaddrinfo``, ``gethostbyname``,
``gethostbyaddr``, ``getnameinfo``) *before* the system call is made. Allowed:

- Unix-domain sockets (D-Bus, Dovecot's LMTP socket) and netlink;
- loopback addresses: 127.0.0.0/8, ``::1`` and ``::ffff:127.x.x.x``;
- looking up ``localhost`` or a numeric loopback address.

Anything else — a public or private address, a wildcard bind, the lookup of a real
name — is a violation: the hook raises :class:`NetworkGuardViolation` (the call is
aborted, no packet is sent) and records it, so that the test fails even when the code
under test swallows the exception (tests/netguard_plugin.py checks after every phase).

Audit hooks cannot be removed once added: the hook consults the module-level switch
:data:`STATE` (``enabled``). Python subprocesses the tests start inherit the guard
through ``GOVMAIL_TEST_NETGUARD=1`` and ``tests/netguard_site/sitecustomize.py`` on
``PYTHONPATH``; they append their violations to the file named by
``GOVMAIL_TEST_NETGUARD_LOG``, which the test process reads. Programs that are not
Python (Dovecot, gnome-keyring, dbus-daemon, openssl) and Python started with ``-I``/``-S``
or with an environment that drops these variables are not covered.

Only the standard library is used here: subprocesses load this file by path.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

ENV_SWITCH = "GOVMAIL_TEST_NETGUARD"
ENV_LOG = "GOVMAIL_TEST_NETGUARD_LOG"

_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"}
_ADDRESSED = {"socket.connect", "socket.sendto", "socket.bind"}
_EVENTS = frozenset(_LOOKUPS | _ADDRESSED | {"socket.getnameinfo"})
#: Names that stay on the machine.
_LOCAL_NAMES = {"localhost", "localhost.", "ip6-localhost", "ip6-loopback"}
#: Socket families that never leave the machine.
_LOCAL_FAMILIES = {getattr(socket, name) for name in ("AF_UNIX", "AF_NETLINK") if hasattr(socket, name)}


class NetworkGuardViolation(RuntimeError):
    """A test tried to reach beyond loopback (raised before the system call)."""


@dataclass
class GuardState:
    enabled: bool = False
    installed: bool = False
    #: violations not yet taken by the test runner (this process and its subprocesses)
    pending: list[str] = field(default_factory=list)
    log_path: str | None = None
    log_offset: int = 0
    in_subprocess: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


STATE = GuardState()


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    text = host.strip("[]").split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _is_local_name(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return isinstance(host, str) and (host.lower() in _LOCAL_NAMES or _is_loopback(host))


def verdict(event: str, args: tuple) -> str | None:
    """Why ``event`` would leave the machine, or None when it stays on it."""
    if event not in _EVENTS:
        return None
    if event in _ADDRESSED:
        sock, address = args[0], args[1]
        family = getattr(sock, "family", None)
        if family in _LOCAL_FAMILIES:
            return None
        if family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and address:
            host = address[0]
            if _is_local_name(host):
                return None
            return f"{event} to {address[0]!r} port {address[1] if len(address) > 1 else '?'}"
        return f"{event} on a socket of family {family!r} to {address!r}"
    if event == "socket.getnameinfo":
        sockaddr = args[0]
        host = sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else sockaddr
        return None if _is_loopback(host) else f"{event} of {host!r}"
    host = args[0]
    if event == "socket.getaddrinfo" and host is None:
        return None  # the loopback address (or a wildcard bind, which socket.bind then refuses)
    if _is_local_name(host):
        return None
    return f"{event} of {host!r} (looking up a real name or a non-loopback address)"


def _hook(event: str, args: tuple) -> None:
    if event not in _EVENTS or not STATE.enabled:
        return
    problem = verdict(event, args)
    if problem is None:
        return
    text = f"network guard: {problem} (tests stay on loopback: 127.0.0.0/8, ::1, localhost)"
    _record(text)
    raise NetworkGuardViolation(text)


def _record(text: str) -> None:
    with STATE.lock:
        STATE.pending.append(text)
    if STATE.in_subprocess and STATE.log_path:
        line = json.dumps({"pid": os.getpid(), "argv": sys.argv[:3], "violation": text}) + "\n"
        try:
            with open(STATE.log_path, "a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError:
            pass
        print(text, file=sys.stderr)


def install(*, log_path: str | None = None, in_subprocess: bool = False) -> None:
    """Add the audit hook (once per process) and switch the guard on."""
    with STATE.lock:
        STATE.log_path = log_path
        STATE.in_subprocess = in_subprocess
        if log_path and not in_subprocess:
            STATE.log_offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        if not STATE.installed:
            sys.addaudithook(_hook)
            STATE.installed = True
        STATE.enabled = True


def subprocess_environment(log_path: str, site_dir: str) -> dict[str, str]:
    """The variables that carry the guard into Python subprocesses."""
    paths = [site_dir] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != site_dir]
    return {ENV_SWITCH: "1", ENV_LOG: log_path, "PYTHONPATH": os.pathsep.join(paths)}


def _subprocess_violations() -> list[str]:
    path = STATE.log_path
    if STATE.in_subprocess or not path or not os.path.exists(path):
        return []
    with open(path, "rb") as fh:
        fh.seek(STATE.log_offset)
        data = fh.read()
    complete = data[: data.rfind(b"\n") + 1]
    STATE.log_offset += len(complete)
    found = []
    for line in complete.decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
            found.append(f"in subprocess {entry.get('argv')} (pid {entry.get('pid')}): {entry['violation']}")
        except (ValueError, KeyError, TypeError):
            found.append(f"in a subprocess: {line}")
    return found


def take() -> list[str]:
    """The violations recorded since the last call (this process and its subprocesses)."""
    found = _subprocess_violations()
    with STATE.lock:
        found = STATE.pending + found
        STATE.pending = []
    return found


@contextmanager
def expect_violations() -> Iterator[list[str]]:
    """For the guard's own tests: collect (and so clear) the violations made inside."""
    collected: list[str] = []
    before = take()
    try:
        yield collected
    finally:
        collected.extend(take())
        with STATE.lock:
            STATE.pending[:0] = before  # anything from before is still the test runner's business
