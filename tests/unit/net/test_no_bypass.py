"""No code path opens a connection or a TLS socket except through net/secure_connect.py.

Checked on the real source tree (and, for unverified TLS, on the tests too), with
synthetic snippets proving each rule can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "govmail_desktop"
TESTS = ROOT / "tests"

#: Where sockets may be opened, and why there. Mail servers: only secure_connect (the
#: domestic-server policy's one enforcement path).
CONNECTING_MODULES = {
    "net/secure_connect.py": "the mail servers' one enforcement path",
    "services/remote_content.py": (
        "remote images in a message, after the user allowed them: web hosts, never a mail server; "
        "each address checked by RemoteRules.check_url (scheme, the policy's remote hosts) first"
    ),
}

UNVERIFIED_TLS = {"_create_unverified_context", "CERT_NONE", "_create_stdlib_context", "wrap_socket_unverified"}
CONNECT_CALLS = {"create_connection", "IMAP4_SSL", "IMAP4", "IMAP4_stream", "SMTP_SSL", "SMTP", "LMTP"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def unverified_tls_uses(source: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Attribute, ast.Name)) and _name(node) in UNVERIFIED_TLS:
            problems.append(f"line {node.lineno}: {_name(node)}")
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    _name(target) == "check_hostname"
                    and isinstance(node.value, ast.Constant)
                    and node.value.value is False
                ):
                    problems.append(f"line {node.lineno}: check_hostname = False")
    return problems


def connection_calls(source: str) -> list[str]:
    """Calls that open a connection by themselves (socket(), create_connection, protocol clients)."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in CONNECT_CALLS:
            # IMAP4.__init__/SMTP.__init__ via super() are how the checked subclasses start.
            problems.append(f"line {node.lineno}: {name}()")
        wraps_a_descriptor = any(k.arg == "fileno" for k in node.keywords)  # opens nothing itself
        if (
            name == "socket" and isinstance(node.func, ast.Attribute) and _name(node.func.value) == "socket"
            and not wraps_a_descriptor
        ):
            problems.append(f"line {node.lineno}: socket.socket()")
        if name == "IMAPClient":
            problems.append(f"line {node.lineno}: IMAPClient()")
    return problems


def test_no_unverified_tls_in_the_app_or_the_tests():
    report = {}
    for path in [*PACKAGE.rglob("*.py"), *TESTS.rglob("*.py")]:
        if path == Path(__file__):
            continue
        found = unverified_tls_uses(path.read_text(encoding="utf-8"))
        if found:
            report[str(path.relative_to(ROOT))] = found
    assert report == {}


def test_only_secure_connect_opens_sockets():
    report = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in CONNECTING_MODULES:
            continue
        found = connection_calls(path.read_text(encoding="utf-8"))
        if found:
            report[rel] = found
    assert report == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "import ssl\nctx = ssl._create_unverified_context()\n",
        "import ssl\nctx.verify_mode = ssl.CERT_NONE\n",
        "ctx.check_hostname = False\n",
    ],
)
def test_unverified_tls_is_detected(snippet):
    assert unverified_tls_uses(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "import socket\ns = socket.create_connection(('h', 993))\n",
        "import socket\ns = socket.socket()\n",
        "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n",
        "from imapclient import IMAPClient\nc = IMAPClient('h')\n",
        "import imaplib\nc = imaplib.IMAP4_SSL('h')\n",
        "import smtplib\nc = smtplib.SMTP('h', 587)\n",
    ],
)
def test_direct_connections_are_detected(snippet):
    assert connection_calls(snippet)


def test_wrapping_a_descriptor_one_already_has_is_not_a_connection():
    # single_instance reads the peer's user id of the local socket Qt accepted this way.
    assert connection_calls("import socket\ns = socket.socket(fileno=os.dup(fd))\n") == []
