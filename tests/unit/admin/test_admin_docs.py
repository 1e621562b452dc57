"""docs/admin.md and the Ansible example name only govmail-admin commands that exist, and the
playbook is well-formed YAML doing what the guide says.

* Every ``govmail-admin …`` line in a fenced code block of docs/admin.md (and every command
  of packaging/ansible/govmail.yml) is parsed by the real command-line parser, options and
  all; every inline `` `govmail-admin …` `` names an existing command (and action). A
  planted misspelt command or option is reported.
* PyYAML is not a dependency of the project (and not installed in the test environment), so
  the playbook is read by :func:`load_yaml_subset`, a strict reader of the block-style YAML
  subset the playbook is written in; anything outside it (tabs, an unquoted ``{{ … }}``, an
  indentation YAML would reject, a duplicate key) is an error, proven by planted samples.
  Where PyYAML happens to be importable its reading must be the same.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from govmail_desktop.admin.cli import build_parser

ROOT = Path(__file__).resolve().parents[3]
ADMIN_MD = ROOT / "docs" / "admin.md"
PLAYBOOK = ROOT / "packaging" / "ansible" / "govmail.yml"

_COMMAND = re.compile(r"govmail-admin(?:\.exe)?(?=\s|$)(.*)")
_FENCE = re.compile(r"^\s*```")
_INLINE = re.compile(r"`(govmail-admin[^`]*)`")
_SHELL_END = {"|", "||", "&&", ";", "<", ">", ">>", "2>", "2>&1"}


# -- commands in the guide -------------------------------------------------------------------

def code_block_commands(markdown: str) -> list[tuple[int, str]]:
    """(line number, the text after ``govmail-admin``) of each command line in a fenced block."""
    found: list[tuple[int, str]] = []
    in_block = False
    for number, line in enumerate(markdown.splitlines(), 1):
        if _FENCE.match(line):
            in_block = not in_block
            continue
        if in_block and (match := _COMMAND.search(line)):
            rest = re.split(r"\s#", match.group(1), maxsplit=1)[0]  # a shell comment after the command
            found.append((number, rest.strip()))
    return found


def inline_commands(markdown: str) -> list[tuple[int, str]]:
    """(line number, words after ``govmail-admin``) of each inline code span naming a command."""
    return [(number, m.group(1).split(None, 1)[1] if " " in m.group(1) else "")
            for number, line in enumerate(markdown.splitlines(), 1) for m in _INLINE.finditer(line)]


def argv_of(rest: str) -> list[str]:
    words = shlex.split(rest, posix=False)
    for i, word in enumerate(words):
        if word in _SHELL_END:
            return words[:i]
    return words


def parse_error(argv: list[str]) -> str | None:
    """What the real parser says is wrong with ``govmail-admin ARGV`` (None: it parses)."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            build_parser().parse_args(argv)
    except SystemExit as exc:
        if exc.code not in (0, None):  # --help and --version exit 0
            return stderr.getvalue().strip().splitlines()[-1] if stderr.getvalue().strip() else "error"
    return None


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def unknown_command(words: list[str]) -> str | None:
    """The first word that is not a command (or an action of it) of govmail-admin; None if all are.
    Global options (``--lang en``) before the command are skipped."""
    parser = build_parser()
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 2 if words[i] == "--lang" else 1
    commands = _subparsers(parser)
    if i >= len(words):
        return None
    if words[i] not in commands:
        return words[i]
    actions = _subparsers(commands[words[i]])
    if actions and i + 1 < len(words) and not words[i + 1].startswith("-") and words[i + 1] not in actions:
        return words[i + 1]
    return None


def guide_problems(markdown: str) -> list[str]:
    problems = []
    for number, rest in code_block_commands(markdown):
        error = parse_error(argv_of(rest))
        if error:
            problems.append(f"line {number}: govmail-admin {rest}: {error}")
    for number, words in inline_commands(markdown):
        bad = unknown_command(words.split())
        if bad:
            problems.append(f"line {number}: `govmail-admin {words}`: no command {bad!r}")
    return problems


def test_the_guide_shows_doctor_and_the_other_commands():
    commands = {argv_of(rest)[0] for _, rest in code_block_commands(ADMIN_MD.read_text(encoding="utf-8"))
                if argv_of(rest)}
    assert {"doctor", "policy", "check-server", "inspect"} <= commands


def test_every_command_in_the_guide_exists():
    assert guide_problems(ADMIN_MD.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        ("```\ngovmail-admin doctr\n```\n", "invalid choice"),
        ("```\ngovmail-admin policy shw\n```\n", "invalid choice"),
        ("```\ngovmail-admin doctor --no-such-option   # comment\n```\n", "unrecognized arguments"),
        ("```\ngovmail-admin check-server\n```\n", "required"),
        ("Run `govmail-admin doctr --json` on the desk.\n", "no command 'doctr'"),
        ("Run `govmail-admin policy shw`.\n", "no command 'shw'"),
    ],
)
def test_a_planted_bad_command_is_caught(planted, expected):
    problems = guide_problems("# Guide\n\n" + planted)
    assert len(problems) == 1 and expected in problems[0], problems


def test_good_commands_pass_the_checker():
    sample = ("```\ngovmail-admin --lang en doctor --offline --json   # note\n"
              "C:\\> govmail-admin.exe policy show --file C:\\policy.json\n```\n"
              "Inline: `govmail-admin doctor`, `govmail-admin policy validate`, `govmail-admin --lang th doctor`.\n")
    assert guide_problems(sample) == []


# -- the Ansible playbook: a strict reader of its YAML subset ------------------------------

class YamlSubsetError(ValueError):
    pass


_PLAIN_START_FORBIDDEN = tuple("{[&*!|>@`%'\"")
_INT = re.compile(r"-?(0|[1-9][0-9]*)")


def _scalar(text: str, number: int) -> Any:
    text = text.strip()
    if text.startswith('"'):
        end = text.find('"', 1)
        while end > 0 and text[end - 1] == "\\":
            end = text.find('"', end + 1)
        if end < 0 or text[end + 1:].strip():
            raise YamlSubsetError(f"line {number}: unterminated or trailing text after a quoted value")
        return text[1:end].replace('\\"', '"').replace("\\\\", "\\")
    text = re.split(r"\s#", text, maxsplit=1)[0].rstrip()
    if text.startswith(_PLAIN_START_FORBIDDEN):
        raise YamlSubsetError(f"line {number}: a value starting with {text[0]!r} must be quoted: {text}")
    if ": " in text or text.endswith(":"):
        raise YamlSubsetError(f"line {number}: mapping value not allowed here: {text}")
    if text in ("true", "false"):
        return text == "true"
    if text in ("null", "~", ""):
        return None
    if re.fullmatch(r"0[0-9]+", text):
        raise YamlSubsetError(f"line {number}: a number with a leading 0 is octal in YAML 1.1: quote it")
    if _INT.fullmatch(text):
        return int(text)
    return text


def load_yaml_subset(text: str) -> Any:
    """Block sequences and mappings of scalars (plain, double-quoted), comments, one ``---``."""
    lines: list[tuple[int, int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip(" \t"))]:
            raise YamlSubsetError(f"line {number}: tab in indentation")
        stripped = raw.strip()
        if not stripped or stripped.startswith("#") or (stripped == "---" and not lines):
            continue
        lines.append((number, len(raw) - len(raw.lstrip(" ")), raw.strip()))
    pos = 0

    def block(indent: int) -> Any:
        nonlocal pos
        number, column, content = lines[pos]
        if column != indent:
            raise YamlSubsetError(f"line {number}: unexpected indentation")
        if content == "-" or content.startswith("- "):
            items = []
            while pos < len(lines) and lines[pos][1] == indent and (lines[pos][2] == "-"
                                                                     or lines[pos][2].startswith("- ")):
                number, _, content = lines[pos]
                item = content[1:].strip()
                if not item:
                    pos += 1
                    items.append(block(lines[pos][1]) if pos < len(lines) and lines[pos][1] > indent else None)
                elif re.match(r"[A-Za-z_][\w.-]*:(\s|$)", item):
                    # "- key: value": a mapping whose keys continue at the column after "- "
                    lines[pos] = (number, indent + 2, item)
                    items.append(block(indent + 2))
                else:
                    items.append(_scalar(item, number))
                    pos += 1
            return items
        mapping: dict[str, Any] = {}
        while pos < len(lines) and lines[pos][1] == indent:
            number, _, content = lines[pos]
            match = re.match(r"([A-Za-z_][\w.-]*):(?:\s+(.*))?$", content)
            if not match:
                raise YamlSubsetError(f"line {number}: expected 'key: value': {content}")
            key, value = match.group(1), match.group(2)
            if key in mapping:
                raise YamlSubsetError(f"line {number}: duplicate key {key}")
            pos += 1
            if value is None or value.startswith("#"):
                if pos < len(lines) and lines[pos][1] > indent:
                    mapping[key] = block(lines[pos][1])
                else:
                    mapping[key] = None
            else:
                mapping[key] = _scalar(value, number)
        return mapping

    if not lines:
        return None
    result = block(0)
    if pos != len(lines):
        number, _, content = lines[pos]
        raise YamlSubsetError(f"line {number}: unexpected indentation: {content}")
    return result


GOOD_PLAYBOOK_TEXT = PLAYBOOK.read_text(encoding="utf-8")


def test_playbook_reads_as_yaml_and_does_what_the_guide_says():
    (play,) = load_yaml_subset(GOOD_PLAYBOOK_TEXT)
    assert play["hosts"] and play["become"] is True
    modules = [next(key for key in task if key.startswith("ansible.builtin.")) for task in play["tasks"]]
    assert "ansible.builtin.apt_repository" in modules and "ansible.builtin.apt" in modules
    policy = next(task["ansible.builtin.copy"] for task in play["tasks"] if "ansible.builtin.copy" in task)
    assert policy["dest"] == "/etc/govmail/policy.json"
    assert (policy["owner"], policy["group"], policy["mode"]) == ("root", "root", "0644")
    assert "validate" in policy  # the policy is checked before it replaces the old one
    assert any("govmail-admin" in str(task.get("ansible.builtin.command", "")) and "doctor" in
               str(task.get("ansible.builtin.command", "")) for task in play["tasks"])


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        ("- name: x\n\thosts: all\n", "tab in indentation"),
        ("- name: x\n  vars:\n    a: {{ b }}\n", "must be quoted"),
        ("- name: x\n  hosts: all\n   become: true\n", "unexpected indentation"),
        ("- name: x\n  hosts: all\n  hosts: other\n", "duplicate key"),
        ("- name: x\n  tasks:\n    - name: y\n      ansible.builtin.file:\n        mode: 0644\n", "octal"),
        ("- name: x\n  msg: a: b\n", "mapping value"),
    ],
)
def test_the_yaml_reader_rejects_planted_mistakes(planted, expected):
    with pytest.raises(YamlSubsetError, match=expected):
        load_yaml_subset(planted)


def _tasks() -> list[dict[str, Any]]:
    plays = load_yaml_subset(GOOD_PLAYBOOK_TEXT)
    assert isinstance(plays, list) and len(plays) == 1
    play = plays[0]
    assert play["hosts"] and play["become"] is True
    return play["tasks"]


def _module(task: dict[str, Any]) -> tuple[str, Any]:
    modules = [k for k in task if k.startswith("ansible.builtin.")]
    assert len(modules) == 1, task
    return modules[0], task[modules[0]]


def test_playbook_does_what_the_guide_says():
    tasks = _tasks()
    assert all(isinstance(t.get("name"), str) and t["name"] for t in tasks)
    by_module: dict[str, list[Any]] = {}
    for task in tasks:
        module, args = _module(task)
        by_module.setdefault(module, []).append(args)
    (repo,) = by_module["ansible.builtin.apt_repository"]
    assert "signed-by=/etc/apt/keyrings/govmail.asc" in repo["repo"]
    (apt,) = by_module["ansible.builtin.apt"]
    assert apt["name"] == "govmail-desktop" and "force-confold" in apt["dpkg_options"]
    (policy,) = [c for c in by_module["ansible.builtin.copy"] if c["dest"] == "/etc/govmail/policy.json"]
    assert (policy["owner"], policy["group"], policy["mode"]) == ("root", "root", "0644")
    assert policy["validate"].startswith("govmail-admin ") and "policy validate %s" in policy["validate"]
    commands = [c for c in by_module["ansible.builtin.command"] if "doctor" in c]
    assert len(commands) == 1


def _render(text: str, variables: dict[str, Any]) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: str(variables[m.group(1)]), text)


def test_playbook_commands_exist():
    variables = load_yaml_subset(GOOD_PLAYBOOK_TEXT)[0]["vars"]
    lines = []
    for task in _tasks():
        _, args = _module(task)
        values = [args] if isinstance(args, str) else list(args.values()) if isinstance(args, dict) else []
        lines.extend(_render(v, variables) for v in values if isinstance(v, str) and "govmail-admin" in v)
    assert len(lines) == 2
    problems = guide_problems("```\n" + "\n".join(lines) + "\n```\n")
    assert problems == []
