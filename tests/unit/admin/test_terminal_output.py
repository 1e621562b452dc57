r"""govmail-admin never writes a control character or terminal escape that came from a file,
a server or DNS.

A policy file's ``description`` (or any value, key or file name quoted in a problem),
a certificate's subject and issuer, capabilities and server error texts reach the
admin's terminal. ``ESC [ 2 J`` clears it, an OSC 8 sequence hides a link, ``\r``
overwrites a line with a fake "Status: valid", U+202E reverses text. Everything
admin/ prints goes through one helper (admin/output.py: ``emit``, ``emit_json``,
``safe_text``); the guard below proves by planted samples that a print around it is
caught, and the end-to-end tests feed hostile text through policy show, policy
validate and check-server (text and --json) and look at every byte written.
"""

from __future__ import annotations

import ast
import json
import unicodedata
from pathlib import Path

import pytest
import trustme

from govmail_desktop.admin import cli, output, policy_cmd
from govmail_desktop.admin.cli import main
from govmail_desktop.admin.output import emit, json_text, safe_text
from govmail_desktop.i18n import set_language
from govmail_desktop.policy.sources import load_machine_policy
from tests.servers.certs import LOOPBACK_IDENTITIES, CertFiles
from tests.servers.fake_capabilities import CapabilityImapServer
from tests.servers.fake_net import TEST_POLICY_FILE
from tests.servers.fake_smtp import FakeSmtpServer

ADMIN_DIR = Path(output.__file__).parent

#: What an attacker puts in text an admin will see.
HOSTILE = (
    "Agency policy\x1b[2J\x1b[31m"  # clear screen, red
    "\x1b]8;;https://evil.example/\x07click here\x1b]8;;\x07"  # OSC 8 hyperlink
    "\rStatus: valid"  # overwrite the line
    "\nStatus: valid"  # a line of its own
    "\u202eexe.pdf\u2066\u2069\u200b\u200f\u061c"  # bidi override, isolates, zero-width, marks
    "\x9b2J\x85\x7f\x00\x08\x0c\x0b\t"  # C1 CSI and NEL, DEL, NUL, BS, FF, VT, tab
    " ภาษาไทย"
)


def _unsafe(char: str) -> bool:
    """Independent of admin/output.py: what must never reach a terminal raw."""
    code = ord(char)
    return (
        code < 0x20 or 0x7F <= code <= 0x9F
        or code == 0x061C or 0x200B <= code <= 0x200F or 0x2028 <= code <= 0x202E
        or 0x2066 <= code <= 0x2069 or code == 0xFEFF
        or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")
    )


def assert_terminal_safe(text: str) -> None:
    """No unsafe character but the line breaks between lines the program itself writes."""
    bad = sorted({f"U+{ord(c):04X}" for c in text if c != "\n" and _unsafe(c)})
    assert not bad, f"raw {bad} in output:\n{text!r}"


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


# -- the helper -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\rb", "a\\x0db"),
        ("a\nb", "a\\x0ab"),
        ("a\tb", "a\\x09b"),
        ("\x7f\x00\x9b", "\\x7f\\x00\\x9b"),
        ("\u202eexe.pdf", "\\u202eexe.pdf"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("a\u200bb\u200fc", "a\\u200bb\\u200fc"),
        ("\ud800", "\\ud800"),  # a lone surrogate (would make print raise)
        ("\U000e0041", "\\U000e0041"),  # a tag character (Cf)
        ("หนังสือราชการ ด่วนที่สุด", "หนังสือราชการ ด่วนที่สุด"),  # Thai stays as it is
        ("é ñ – “x” \u00a0", "é ñ – “x” \u00a0"),
    ],
)
def test_safe_text_shows_unsafe_characters_as_escapes(raw, shown):
    assert safe_text(raw) == shown
    assert_terminal_safe(safe_text(raw))


def test_safe_text_keeps_line_breaks_and_tabs_only_in_a_block():
    assert safe_text("a\n\tb\r\x1b", multiline=True) == "a\n\tb\\x0d\\x1b"
    assert safe_text("a\n\tb") == "a\\x0a\\x09b"


def test_json_output_keeps_the_values_and_writes_no_unsafe_character():
    data = {"description": HOSTILE, HOSTILE: [HOSTILE, "\U000e0041", "\ud800"], "thai": "นโยบาย"}
    text = json_text(data)
    assert_terminal_safe(text)
    assert json.loads(text) == data
    assert "นโยบาย" in text  # not \u0e19...: Thai stays readable
    # json.dumps(ensure_ascii=False) alone escapes only U+0000-U+001F:
    plain = json.dumps(data, ensure_ascii=False)
    assert any(_unsafe(c) for c in plain)


def test_emit_writes_one_line(capsys):
    emit(HOSTILE)
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert_terminal_safe(out)


# -- the guard: nothing in admin/ prints around the helper ---------------------------------

#: (module, function, call) allowed to write without the helper, and why.
ALLOWED_WRITES = {
    ("cli.py", "_log_unexpected", "write"): "appends to govmail-admin.log, not the terminal",
}
OUTPUT_MODULE = "output.py"


def unsafe_output_calls(source: str, module: str) -> list[str]:
    """Calls in ``source`` that would write to the terminal without admin/output.py."""
    found: list[str] = []

    class Visitor(ast.NodeVisitor):
        def __init__(self) -> None:
            self.function = ""

        def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
            outer, self.function = self.function, node.name
            self.generic_visit(node)
            self.function = outer

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Call(self, node: ast.Call) -> None:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            where = f"{module}:{node.lineno} in {self.function or '<module>'}: {name}()"
            if name in ("print", "pprint"):
                found.append(where)
            elif name in ("write", "writelines", "dump", "dumps"):
                if (module, self.function, name) not in ALLOWED_WRITES:
                    found.append(where)
            elif name == "getpass":  # writes its prompt to the terminal
                first = node.args[0] if node.args else None
                safe = (isinstance(first, ast.Call) and isinstance(first.func, ast.Name)
                        and first.func.id == "safe_text")
                if not safe:
                    found.append(where)
            self.generic_visit(node)

    Visitor().visit(ast.parse(source))
    return found


def test_every_print_in_admin_goes_through_the_output_helper():
    modules = sorted(p for p in ADMIN_DIR.glob("*.py") if p.name != OUTPUT_MODULE)
    assert {p.name for p in modules} >= {"cli.py", "check_server.py", "policy_cmd.py", "capabilities.py"}
    found = [hit for p in modules for hit in unsafe_output_calls(p.read_text(encoding="utf-8"), p.name)]
    assert found == [], "print through admin/output.py (emit, emit_json, safe_text):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "planted",
    [
        "def show(d):\n    print(d)\n",
        "def show(d, out):\n    print('x = ' + d, file=out)\n",
        "import sys\ndef show(d):\n    sys.stdout.write(d)\n",
        "import sys\ndef show(d):\n    sys.stderr.writelines([d])\n",
        "import json\ndef show(d):\n    emit(json.dumps(d))\n",
        "import json, sys\ndef show(d):\n    json.dump(d, sys.stdout)\n",
        "import os\ndef show(d):\n    os.write(1, d)\n",
        "import getpass\ndef ask(user):\n    return getpass.getpass(f'Password for {user}: ')\n",
        "def _log_unexpected(d):\n    print(d)\n",  # the allowed write is a write, not a print
    ],
)
def test_guard_catches_a_planted_unsanitised_print(planted):
    assert unsafe_output_calls(planted, "cli.py")


@pytest.mark.parametrize(
    "clean",
    [
        "def show(d, out):\n    emit('x = ' + d, file=out)\n",
        "def show(d):\n    emit_json(d)\n",
        "import getpass\ndef ask(user):\n    return getpass.getpass(safe_text(user))\n",
        "def _log_unexpected(path, text):\n    with path.open('a') as out:\n        out.write(text)\n",
    ],
)
def test_guard_lets_the_helper_through(clean):
    assert unsafe_output_calls(clean, "cli.py") == []


# -- policy show / validate -----------------------------------------------------------------

def write_policy(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def hostile_policy(tmp_path):
    """A valid policy whose description is hostile, in a file whose name is hostile too."""
    return write_policy(tmp_path / "policy\x1b[31m\u202e.json", {"schema_version": 1, "description": HOSTILE})


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert_terminal_safe(captured.out)
    assert_terminal_safe(captured.err)
    return code, captured.out, captured.err


@pytest.mark.parametrize("lang", ["en", "th"])
def test_policy_show_file_text_shows_the_description_escaped(capsys, hostile_policy, lang):
    code, out, _ = run(capsys, "--lang", lang, "policy", "show", "--file", str(hostile_policy))
    assert code == 0
    description = [line for line in out.splitlines() if line.startswith("description = ")]
    assert description == [f"description = {safe_text(HOSTILE)}"]
    assert "\\x1b]8;;https://evil.example/\\x07click here" in description[0]
    if lang == "en":
        assert [line for line in out.splitlines() if line.startswith("Status:")] == ["Status: valid"]
    assert safe_text(str(hostile_policy)) in out  # the source of each value: the file name


def test_policy_show_machine_policy_text_and_json(capsys, hostile_policy, monkeypatch):
    monkeypatch.setattr(policy_cmd, "load_machine_policy", lambda: load_machine_policy(
        platform="linux", linux_path=hostile_policy, check_permissions=False))
    code, out, _ = run(capsys, "--lang", "en", "policy", "show")
    assert code == 0 and f"description = {safe_text(HOSTILE)}" in out
    code, out, _ = run(capsys, "policy", "show", "--json")
    data = json.loads(out)
    assert code == 0 and data["policy"]["description"] == HOSTILE  # the same value, safely spelled
    assert data["sources"]["description"] == str(hostile_policy)


def test_policy_validate_quotes_hostile_values_escaped(capsys, tmp_path):
    bad = write_policy(tmp_path / "bad\x1b]0;title\x07.json", {
        "schema_version": 1,
        "description": 5,
        HOSTILE: 1,  # an unknown key
        "servers": {"allow": [HOSTILE], "deny": ["\x1b[2J.example"]},
        "locked_settings": {"ui.language": HOSTILE, HOSTILE: True},
        "tls": {"ca_file": "/nonexistent/\x1b[2J\u202eca.pem"},
    })
    for lang in ("en", "th"):
        code, out, _ = run(capsys, "--lang", lang, "policy", "validate", str(bad))
        assert code == 1
        lines = out.splitlines()
        assert lines[0].startswith(safe_text(str(bad)))
        assert all(line.startswith("  - ") for line in lines[1:]), lines  # one line per problem
        assert "\\x1b[2J" in out
    code, out, _ = run(capsys, "policy", "validate", "--json", str(bad))
    data = json.loads(out)
    assert code == 1 and data["file"] == str(bad) and not data["valid"]
    assert any(HOSTILE[:20] in p["message_en"] or HOSTILE[:20] in p["key"] for p in data["problems"])


def test_policy_validate_json_syntax_error_and_broken_bytes(capsys, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"schema_version": 1, "description": "\x1b[2J\xc2\x9b\xe2\x80\xae' + b'\x1b]8;;x\x07 }')
    code, out, _ = run(capsys, "--lang", "en", "policy", "validate", str(broken))
    assert code == 1


def test_unexpected_error_line_is_escaped(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "log_file", lambda: tmp_path / "govmail-admin.log")

    def boom(args):
        raise RuntimeError("from a file: \x1b[2J\x1b]8;;https://evil.example/\x07\u202e")

    monkeypatch.setattr(policy_cmd, "run_validate", boom)
    code, _, err = run(capsys, "--lang", "en", "policy", "validate", "x.json")
    assert code == cli.EXIT_UNEXPECTED
    assert "\\x1b[2J" in err and err.count("\n") == 1


# -- check-server: texts from a server ------------------------------------------------------

def hostile_certificate(tmp_path: Path) -> tuple[CertFiles, Path]:
    """A CA and a loopback certificate whose organisation names are hostile (TLS still verifies)."""
    ca = trustme.CA(organization_name="CA " + HOSTILE.replace("\x00", ""))
    leaf = ca.issue_cert(*LOOPBACK_IDENTITIES, common_name="localhost",
                         organization_name="Org \x1b[2J\u202e\x9b" + "\x1b]8;;https://evil.example/\x07x")
    chain = tmp_path / "chain.pem"
    chain.write_bytes(b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
    key = tmp_path / "key.pem"
    leaf.private_key_pem.write_to_path(str(key))
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return CertFiles(chain, key, LOOPBACK_IDENTITIES), ca_file


HOSTILE_CAPABILITIES = ["IMAP4rev1", "IDLE", "X-\x1b[2J\x07", "X-\x1b]8;;https://evil.example/\x07", "\x7fDEL",
                        "AUTH=PLAIN"]


class HostileLoginServer(CapabilityImapServer):
    """Refuses LOGIN with a hostile text (UTF-8: C1 CSI, bidi override)."""

    def serve(self, io):
        io.send(b"* OK IMAP4rev1 \x1b[2J ready\r\n")
        while True:
            parts = self.readline(io).rstrip(b"\r\n").split(b" ", 2)
            tag, command = parts[0], parts[1].upper() if len(parts) > 1 else b""
            if command == b"CAPABILITY":
                io.send(b"* CAPABILITY " + self.before_login + b"\r\n" + tag + b" OK done\r\n")
            elif command == b"LOGIN":
                io.send(tag + b" NO \x1b[2J\xc2\x9b31m\xe2\x80\xae wrong \x1b]8;;https://evil.example/\x07\r\n")
            elif command == b"LOGOUT":
                io.send(b"* BYE\r\n" + tag + b" OK bye\r\n")
                return
            else:
                io.send(tag + b" BAD unknown\r\n")


def check_argv(port: int, ca_file: Path, *extra: str) -> list[str]:
    return ["check-server", "localhost", "--port", str(port), "--resolve", "localhost:127.0.0.1",
            "--policy", str(TEST_POLICY_FILE), "--ca-file", str(ca_file), *extra]


@pytest.mark.parametrize("lang", ["en", "th"])
def test_check_server_text_escapes_certificate_names_and_capabilities(capsys, tmp_path, lang):
    cert, ca_file = hostile_certificate(tmp_path)
    with CapabilityImapServer(cert, HOSTILE_CAPABILITIES) as server:
        code, out, err = run(capsys, "--lang", lang, *check_argv(server.port, ca_file))
    assert code == 0, out + err
    # (RFC 4514 writes ";" in a name as "\\;")
    assert "Org \\x1b[2J\\u202e\\x9b\\x1b]8" in out  # subject
    assert "\\x1b[31m\\x1b]8" in out and "evil.example/\\x07click here" in out  # issuer
    assert "X-\\x1b[2J\\x07" in out and "\\x7fDEL" in out  # capabilities


def test_check_server_json_keeps_server_texts_exact_and_safe(capsys, tmp_path):
    cert, ca_file = hostile_certificate(tmp_path)
    with CapabilityImapServer(cert, HOSTILE_CAPABILITIES) as server:
        code, out, _ = run(capsys, *check_argv(server.port, ca_file, "--json"))
    data = json.loads(out)
    attempt = data["attempts"][0]
    assert code == 0
    assert "\x1b[31m\x1b]8" in attempt["certificate"]["issuer"]  # RFC 4514 writes ";" as "\\;"
    assert "https://evil.example/\x07click here" in attempt["certificate"]["issuer"]
    assert "\u202e" in attempt["certificate"]["subject"]
    assert "X-\x1b[2J\x07" in attempt["capabilities"]


def test_check_server_login_refusal_text_from_the_server(capsys, tmp_path, monkeypatch):
    import io as _io

    cert, ca_file = hostile_certificate(tmp_path)
    for extra in ((), ("--json",)):
        monkeypatch.setattr("sys.stdin", _io.StringIO("secret\n"))
        with HostileLoginServer(cert, ["IMAP4rev1", "AUTH=PLAIN"]) as server:
            code, out, _ = run(capsys, "--lang", "en", *check_argv(server.port, ca_file, "--user",
                                                                      "al\x1b[2Jice", *extra))
        assert code == 0
        if extra:
            login = json.loads(out)["login"]
            assert login["ok"] is False and login["user"] == "al\x1b[2Jice"
        else:
            assert "Login as al\\x1b[2Jice: failed" in out


class HostileSmtpServer(FakeSmtpServer):
    def _ehlo(self, tls: bool) -> bytes:
        return super()._ehlo(tls).replace(
            b"250-8BITMIME", b"250-8BITMIME\r\n250-X-\x1b]8;;https://evil.example/\x07CLICK\r\n250-SIZE \x1b[2J")


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_check_server_smtp_ehlo_lines_are_escaped(capsys, tmp_path, extra):
    cert, ca_file = hostile_certificate(tmp_path)
    with HostileSmtpServer("ok", cert) as server:
        code, out, _ = run(capsys, "--lang", "en", *check_argv(server.port, ca_file, "--smtp", *extra))
    assert code == 0
    if extra:
        assert any("\x1b]8;;" in c for c in json.loads(out)["attempts"][-1]["capabilities"])
    else:
        assert "\\x1b]8;;https://evil.example/\\x07" in out


def test_check_server_refused_greeting_and_resolve_errors(capsys, tmp_path):
    cert, ca_file = hostile_certificate(tmp_path)
    with FakeSmtpServer("refuse-greeting", cert) as server:
        code, out, _ = run(capsys, "--lang", "en", *check_argv(server.port, ca_file, "--smtp"))
        assert code != 0
        code, out, _ = run(capsys, *check_argv(server.port, ca_file, "--smtp", "--json"))
    code, _, err = run(capsys, "--lang", "en", "check-server", "localhost", "--resolve", "localhost:\x1b[2J\u202e")
    assert code == 2 and "\\x1b[2J\\u202e" in err
