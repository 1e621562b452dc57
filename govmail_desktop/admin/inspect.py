"""``govmail-admin inspect FILE.eml [--json] [--policy FILE]``: a reported message, taken apart.

For IT security staff triaging a message a user reported: the decoded header, the
MIME tree (content types, charsets and the codec the app decodes them with, sizes),
the text body, and the findings — sender warnings, links that lead elsewhere than
they say, the remote content the app would block, dangerous or deceptive attachments
(by the policy's blocked types), parts left unexamined. Read by the app's own parser
and checks (:mod:`admin.inspect_report`), with the machine policy or ``--policy FILE``.

Exit codes: 0 nothing flagged; 1 findings; 2 the file is not a message (empty,
binary, no header block) or cannot be read. ``FILE`` ``-`` reads standard input.
Nothing from the message reaches the terminal unescaped (:mod:`admin.output`).
"""

from __future__ import annotations

import argparse
import errno
import sys
from typing import IO, Any, TextIO

from govmail_desktop.admin.inspect_report import (
    NOT_A_MESSAGE_TEXT,
    READ_BYTES,
    InspectReport,
    inspect_message,
    not_a_message,
)
from govmail_desktop.admin.output import emit, emit_json
from govmail_desktop.i18n import translate
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime.mime_tree import MimeNode
from govmail_desktop.policy.sources import EffectivePolicy, load_machine_policy, load_policy_file

EXIT_CLEAN = 0
EXIT_FLAGGED = 1
EXIT_NOT_A_MESSAGE = 2

UNREADABLE = "unreadable"

_CATEGORY_LABEL: dict[str, Msg] = {
    "sender": QT_TRANSLATE_NOOP("AdminInspect", "sender"),
    "link": QT_TRANSLATE_NOOP("AdminInspect", "link"),
    "remote": QT_TRANSLATE_NOOP("AdminInspect", "remote content"),
    "attachment": QT_TRANSLATE_NOOP("AdminInspect", "attachment"),
    "structure": QT_TRANSLATE_NOOP("AdminInspect", "structure"),
}
_TEXT_SOURCE: dict[str, Msg] = {
    "plain": QT_TRANSLATE_NOOP("AdminInspect", "plain text"),
    "html": QT_TRANSLATE_NOOP("AdminInspect", "from the formatted (HTML) part"),
    "mixed": QT_TRANSLATE_NOOP("AdminInspect", "plain text and formatted (HTML) parts"),
    "none": QT_TRANSLATE_NOOP("AdminInspect", "no text"),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``inspect`` to govmail-admin."""
    about = translate("AdminInspect", "Take a reported message (.eml) apart and flag what is risky in it.")
    parser = subparsers.add_parser("inspect", help=about, description=about)
    parser.add_argument("file", metavar="FILE",
                        help=translate("AdminInspect", "The message file (.eml); - reads standard input."))
    parser.add_argument("--json", action="store_true",
                        help=translate("AdminInspect", "Machine-readable output (JSON)."))
    parser.add_argument("--policy", metavar="FILE",
                        help=translate("AdminInspect", "Use this policy file instead of the machine policy."))
    parser.set_defaults(func=run)


# -- reading the file -----------------------------------------------------------------------------


def _open(path: str) -> IO[bytes]:
    return open(path, "rb")


def _read(path: str) -> bytes:
    """At most :data:`READ_BYTES` of the file (or of standard input for ``-``)."""
    if path == "-":
        return sys.stdin.buffer.read(READ_BYTES)
    with _open(path) as stream:
        return stream.read(READ_BYTES)


def _unreadable_text(path: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
        return translate("AdminInspect", "{file}: the file does not exist.").format(file=path)
    if isinstance(exc, IsADirectoryError) or exc.errno == errno.EISDIR:
        reason = translate("AdminInspect", "it is a folder")
    else:
        reason = exc.strerror or type(exc).__name__
    return translate("AdminInspect", "{file}: the file cannot be read ({reason}).").format(file=path, reason=reason)


def _not_a_message_exit(path: str, reason: str, text: str, as_json: bool) -> int:
    if as_json:
        emit_json({"file": path, "message": False, "reason": reason, "exit_code": EXIT_NOT_A_MESSAGE, "text": text})
    else:
        emit(text, file=sys.stderr)
    return EXIT_NOT_A_MESSAGE


def run(args: argparse.Namespace) -> int:
    path = str(args.file)
    try:
        raw = _read(path)
    except OSError as exc:
        return _not_a_message_exit(path, UNREADABLE, _unreadable_text(path, exc), args.json)
    reason = not_a_message(raw)
    if reason is not None:
        text = translate("AdminInspect", "{file} is not an e-mail message: {reason}").format(
            file=path, reason=NOT_A_MESSAGE_TEXT[reason].text())
        return _not_a_message_exit(path, reason, text, args.json)
    policy = load_policy_file(args.policy) if args.policy else load_machine_policy()
    report = inspect_message(raw, policy)
    code = EXIT_FLAGGED if report.flagged else EXIT_CLEAN
    if args.json:
        emit_json(report_json(path, report, policy, args.policy, code))
    else:
        print_report(path, report, policy, args.policy)
    return code


# -- JSON ------------------------------------------------------------------------------------------------


def _policy_json(policy: EffectivePolicy, policy_file: str | None) -> dict[str, Any]:
    return {
        "source": policy_file or "machine",
        "valid": policy.ok,
        "problems": [p.text() for p in policy.problems],
    }


def report_json(
    path: str, report: InspectReport, policy: EffectivePolicy, policy_file: str | None, code: int
) -> dict[str, Any]:
    parsed = report.parsed

    def addresses(items: tuple[Any, ...]) -> list[dict[str, str]]:
        return [{"name": a.name, "address": a.email} for a in items]

    return {
        "file": path,
        "message": True,
        "verdict": "flagged" if report.flagged else "clean",
        "exit_code": code,
        "policy": _policy_json(policy, policy_file),
        "headers": [{"name": name, "value": value} for name, value in report.headers],
        "summary": {
            "subject": parsed.subject,
            "from": addresses(parsed.from_),
            "to": addresses(parsed.to),
            "cc": addresses(parsed.cc),
            "reply_to": addresses(parsed.reply_to),
            "date": parsed.date.isoformat() if parsed.date else None,
            "message_id": parsed.message_id,
        },
        "mime": report.tree.as_dict() if report.tree is not None else None,
        "text": {"source": parsed.text_source, "body": parsed.text},
        "remote_resources": list(report.remote),
        "links": [link.as_dict() for link in report.links],
        "findings": [f.as_dict() for f in report.findings],
        "truncated": report.truncated,
    }


# -- text ------------------------------------------------------------------------------------------------


def _size_text(size: int) -> str:
    if size < 1024:
        return translate("AdminInspect", "{n} bytes").format(n=size)
    if size < 1024 * 1024:
        return translate("AdminInspect", "{n} KB").format(n=f"{size / 1024:.1f}")
    return translate("AdminInspect", "{n} MB").format(n=f"{size / (1024 * 1024):.1f}")


def _node_line(node: MimeNode) -> str:
    bits = [node.content_type]
    if node.charset:
        if node.codec and node.codec != node.charset:
            bits.append(translate("AdminInspect", "charset {charset} (read as {codec})").format(
                charset=node.charset, codec=node.codec))
        else:
            bits.append(translate("AdminInspect", "charset {charset}").format(charset=node.charset))
    if node.transfer_encoding:
        bits.append(node.transfer_encoding)
    if node.disposition:
        bits.append(node.disposition)
    if node.filename:
        bits.append(f"“{node.filename}”")
    bits.append(_size_text(node.size))
    return ", ".join(bits)


def _tree_lines(root: MimeNode) -> list[str]:
    lines: list[str] = []
    stack: list[tuple[MimeNode, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        label = node.part or translate("AdminInspect", "message")
        lines.append("  " * (depth + 1) + f"[{label}] " + _node_line(node))
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return lines


def _heading(text: str, out: TextIO) -> None:
    emit(file=out)
    emit(text, file=out)
    emit("-" * min(60, max(8, len(text))), file=out)


def print_report(path: str, report: InspectReport, policy: EffectivePolicy, policy_file: str | None) -> None:
    out = sys.stdout
    emit(translate("AdminInspect", "File: {file}").format(file=path), file=out)
    source = policy_file or translate("AdminInspect", "the machine policy")
    if policy.ok:
        emit(translate("AdminInspect", "Checked with: {policy}").format(policy=source), file=out)
    else:
        problem = policy.problems[0].text() if policy.problems else ""
        emit(translate("AdminInspect", "Checked with: {policy} — INVALID ({problem}); the values that could be "
                                       "read were used, the built-in default for the rest.").format(
            policy=source, problem=problem), file=out)
    if report.findings:
        emit(translate("AdminInspect", "Result: {count} finding(s) — treat this message with care.").format(
            count=len(report.findings)), file=out)
    else:
        emit(translate("AdminInspect", "Result: nothing was flagged."), file=out)
    if report.truncated:
        emit(translate("AdminInspect", "The message is very large: only its beginning was examined."), file=out)

    _heading(translate("AdminInspect", "Findings"), out)
    if not report.findings:
        emit("  " + translate("AdminInspect", "Nothing was flagged."), file=out)
    for finding in report.findings:
        where = " " + translate("AdminInspect", "(part {part})").format(part=finding.part) if finding.part else ""
        emit(f"  - [{_CATEGORY_LABEL[finding.category].text()}] {finding.text}{where}", file=out)

    _heading(translate("AdminInspect", "Header"), out)
    for name, value in report.headers:
        emit(f"  {name}: {value}", file=out)
    parsed = report.parsed
    emit("  " + translate("AdminInspect", "Sender as the app shows it: {sender}").format(
        sender=", ".join(str(a) for a in parsed.from_) or "-"), file=out)
    if parsed.reply_to:
        emit("  " + translate("AdminInspect", "Replies go to: {addresses}").format(
            addresses=", ".join(str(a) for a in parsed.reply_to)), file=out)

    _heading(translate("AdminInspect", "Structure (MIME parts)"), out)
    if report.tree is None:
        emit("  " + translate("AdminInspect", "Too many nested parts to show the structure."), file=out)
    else:
        for line in _tree_lines(report.tree):
            emit(line, file=out)

    _heading(translate("AdminInspect", "Remote content the app would block ({count})").format(
        count=len(report.remote)), out)
    for url in report.remote:
        emit(f"  {url}", file=out)
    if not report.remote:
        emit("  " + translate("AdminInspect", "None."), file=out)

    _heading(translate("AdminInspect", "Links ({count})").format(count=len(report.links)), out)
    for link in report.links:
        emit(f"  {link.text or '-'} -> {link.href}", file=out)
        if link.warning:
            emit("      ! " + link.warning, file=out)
    if not report.links:
        emit("  " + translate("AdminInspect", "None."), file=out)

    _heading(translate("AdminInspect", "Text ({source})").format(
        source=_TEXT_SOURCE.get(parsed.text_source, _TEXT_SOURCE["none"]).text()), out)
    if parsed.text:
        emit(_indent(parsed.text), file=out, multiline=True)


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.split("\n"))


__all__ = ["EXIT_CLEAN", "EXIT_FLAGGED", "EXIT_NOT_A_MESSAGE", "not_a_message", "register", "run"]
