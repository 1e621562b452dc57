"""``govmail-admin policy show|validate``: what policy is in force, and is a file valid.

* ``policy show [--json] [--file FILE]`` — the effective policy (machine
  policy on top of the built-in default) and the source of every value;
  ``--file`` shows what it would be with FILE as the machine policy file.
  Exit 0 when the policy is valid, 1 when it is broken (the app would then
  connect nowhere).
* ``policy validate FILE [--json]`` — exit 0 when FILE is a valid policy;
  exit 1 listing every problem (key path and what is wrong; line and column
  for JSON syntax errors).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from govmail_desktop.admin.output import emit, emit_json
from govmail_desktop.i18n import translate
from govmail_desktop.policy.model import Problem
from govmail_desktop.policy.schema import KEYS, LOCKED_SETTINGS
from govmail_desktop.policy.sources import (
    DEFAULT_SOURCE,
    EffectivePolicy,
    load_machine_policy,
    load_policy_file,
    source_text,
    validate_file,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``policy show`` and ``policy validate`` to govmail-admin."""
    policy = subparsers.add_parser(
        "policy",
        help=translate("AdminPolicy", "Show or check the agency's mail policy."),
        description=translate("AdminPolicy", "Show or check the agency's mail policy."),
    )
    actions = policy.add_subparsers(dest="policy_command", metavar="ACTION")
    policy.set_defaults(func=lambda args: _usage(policy))

    show = actions.add_parser(
        "show",
        help=translate("AdminPolicy", "Show the policy in force and where each value comes from."),
        description=translate("AdminPolicy", "Show the policy in force and where each value comes from."),
    )
    show.add_argument("--json", action="store_true",
                      help=translate("AdminPolicy", "Machine-readable output (JSON)."))
    show.add_argument(
        "--file", metavar="FILE",
        help=translate("AdminPolicy", "Show the policy as it would be with FILE as the machine policy file."),
    )
    show.set_defaults(func=run_show)

    check = actions.add_parser(
        "validate",
        help=translate("AdminPolicy", "Check a policy file before installing it."),
        description=translate("AdminPolicy", "Check a policy file before installing it."),
    )
    check.add_argument("file", metavar="FILE", help=translate("AdminPolicy", "The policy file to check."))
    check.add_argument("--json", action="store_true",
                       help=translate("AdminPolicy", "Machine-readable output (JSON)."))
    check.set_defaults(func=run_validate)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _value_text(value: Any) -> str:
    if value is None:
        return translate("AdminPolicy", "(not set)")
    if isinstance(value, list):
        return ", ".join(value) if value else translate("AdminPolicy", "(empty list)")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _print_problems(problems: Iterable[Problem], out: TextIO) -> None:
    for problem in problems:
        emit("  - " + problem.text(), file=out)


def run_show(args: argparse.Namespace) -> int:
    eff: EffectivePolicy = load_policy_file(args.file) if args.file else load_machine_policy()
    if args.json:
        emit_json(eff.as_json())
        return 0 if eff.ok else 1
    out = sys.stdout
    emit(translate("AdminPolicy", "Effective mail policy (schema version {version})").format(
        version=eff.policy.schema_version), file=out)
    if eff.ok:
        emit(translate("AdminPolicy", "Status: valid"), file=out)
    else:
        emit(translate("AdminPolicy", "Status: INVALID — the app will connect to no server until this is fixed:"),
              file=out)
        _print_problems(eff.problems, out)
    if eff.findings:  # e.g. a machine-only key in the user's HKCU policy: not applied
        emit(translate("AdminPolicy", "Ignored, not applied (the policy in force does not change):"), file=out)
        _print_problems(eff.findings, out)
    emit(translate("AdminPolicy", "Policy source: {sources}").format(
        sources=", ".join(source_text(label) for label in eff.origins())), file=out)
    emit(file=out)
    for path in KEYS:
        if path not in eff.values:
            continue
        emit(f"{path} = {_value_text(eff.values[path])}", file=out)
        emit("    " + translate("AdminPolicy", "source: {source}").format(
            source=source_text(eff.sources.get(path, DEFAULT_SOURCE))), file=out)
    locked = eff.locked_settings()
    emit(f"{LOCKED_SETTINGS}:", file=out)
    if not locked:
        emit("    " + translate("AdminPolicy", "(no settings are locked)"), file=out)
    for key, value in locked.items():
        path = f"{LOCKED_SETTINGS}.{key}"
        emit(f"    {key} = {_value_text(value)}", file=out)
        emit("        " + translate("AdminPolicy", "source: {source}").format(
            source=source_text(eff.sources.get(path, DEFAULT_SOURCE))), file=out)
    return 0 if eff.ok else 1


def run_validate(args: argparse.Namespace) -> int:
    problems = validate_file(args.file)
    if args.json:
        emit_json({"file": args.file, "valid": not problems, "problems": [p.as_dict() for p in problems]})
        return 0 if not problems else 1
    if not problems:
        emit(translate("AdminPolicy", "{file}: the policy is valid.").format(file=args.file))
        return 0
    emit(translate("AdminPolicy", "{file}: {count} problem(s) found:").format(file=args.file, count=len(problems)))
    _print_problems(problems, sys.stdout)
    return 1
